#!/usr/bin/env bash
# RT-Constraint (RFC 4684) between vtopod and GoBGP, which filters for real.
#
#   vt   vtopod  AS 65000  198.18.0.10  ipv4-vpn + rtc to gb1 and gb2,
#                                       ipv4-vpn only to gb3
#   gb1  GoBGP   AS 65001  198.18.0.1   source of VPN routes, rtc
#   gb2  GoBGP   AS 65002  198.18.0.2   receiver: its VRFs' import RTs are
#                                       its membership, rtc
#   gb3  GoBGP   AS 65003  198.18.0.3   source without rtc
#
# gb2 asks for RT 65001:100 (VRF red).  vtopod passes that membership on to
# gb1 (RFC 4684 s4 over eBGP), and gb1 sends vtopod only the routes that carry
# it: its route with RT 65001:999 never reaches vtopod.  gb3 does not speak
# RTC, so vtopod gets both of its routes and itself keeps from gb2 the one
# gb2 did not ask for (RFC 4684 s4, the filter on the advertising side).  The
# membership then changes at run time (VRF blue asks for 65001:999 and
# 65003:999; VRF red goes) and routes follow: announced, then withdrawn.
# vtopod must never originate the RTC default route (zero-length NLRI):
# GoBGP 3.10 crashes when it gets it next to another membership route.  The
# sets of RTC routes each GoBGP holds are compared exactly.
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24
topo_host gb1 198.18.0.1/24
topo_host gb2 198.18.0.2/24
topo_host gb3 198.18.0.3/24
VT=198.18.0.10 GB1=198.18.0.1 GB2=198.18.0.2 GB3=198.18.0.3

gobgp_rtc_conf() { # AS ROUTER-ID: one eBGP session to vt, VPN-IPv4 and RTC
	GOBGP_FAMS=l3vpn-ipv4-unicast+rtc gobgp_conf x "$1" "$2" $VT:65000
}

vtopod_start vt <(vtopod_conf vt 65000 $VT $GB1:65001:ipv4-vpn+rtc $GB2:65002:ipv4-vpn+rtc \
	$GB3:65003:ipv4-vpn)
gobgp_start gb1 <(gobgp_rtc_conf 65001 $GB1)
gobgp_start gb2 <(gobgp_rtc_conf 65002 $GB2)
gobgp_start gb3 <(gobgp_conf gb3 65003 $GB3 $VT:65000)
for peer in $GB1 $GB2 $GB3; do
	wait_ok 30 "vt: session to $peer established" vtopod_session_up vt $peer
done
vt_fams() { # ADDR: negotiated families, one per line
	vtopoctl_ vt -j show neighbors "$1" |
		"$TOPO_PY" -c 'import json,sys; print(*json.load(sys.stdin)["neighbors"][0]["families"], sep="\n")'
}
check "vt: rtc negotiated with gb1" grep -qx rtc <(vt_fams $GB1)
check "vt: rtc negotiated with gb2" grep -qx rtc <(vt_fams $GB2)
check "vt: no rtc with gb3" not grep -qx rtc <(vt_fams $GB3)

# rtc_keys NAME: the RTC NLRI GoBGP holds, sorted, one line ("AS:RT", GoBGP's
# text; the default route would be a key without a route target).
rtc_keys() {
	gobgp_cli "$1" global rib -a rtc -j |
		"$TOPO_PY" -c 'import json,sys; d=json.load(sys.stdin) or {}; print(" ".join(sorted(d)))'
}
rtc_is() { # NAME WANT
	local have
	have=$(rtc_keys "$1")
	echo "have [$have] want [$2]"
	[ "$have" = "$2" ]
}

gobgp_cli gb2 vrf add red rd 65002:1 rt import 65001:100 export 65002:1
wait_ok 10 "gb1 holds gb2's membership (65001:100) from vt, and nothing else" \
	rtc_is gb1 "65002:65001:100"

A=(65001:100 198.51.100.0/24 100 65001:100)
B=(65001:999 203.0.113.0/25 999 65001:999)
C=(65003:100 203.0.113.128/25 300 65001:100)
D=(65003:999 192.0.2.0/24 399 65003:999)
gobgp_vpn4_add gb1 "${A[@]}" $GB1
gobgp_vpn4_add gb1 "${B[@]}" $GB1
gobgp_vpn4_add gb3 "${C[@]}" $GB3
gobgp_vpn4_add gb3 "${D[@]}" $GB3

wait_ok 10 "vt has A from gb1" vpn4_rib_has vtopod vt "${A[@]}" $GB1
wait_ok 10 "vt has C from gb3" vpn4_rib_has vtopod vt "${C[@]}" $GB3
wait_ok 10 "vt has D from gb3 (gb3 has no RTC)" vpn4_rib_has vtopod vt "${D[@]}" $GB3
wait_ok 10 "gb2 has A" vpn4_rib_has gobgp gb2 "${A[@]}" $VT
wait_ok 10 "gb2 has C" vpn4_rib_has gobgp gb2 "${C[@]}" $VT
# Absence after presence of the routes sent in the same breath: gb1's filter
# kept B from vt, vt's filter kept D from gb2.
check "gb1 holds B itself" vpn4_rib_has gobgp gb1 "${B[@]}" $GB1
check "vt lacks B: gb1 filtered it (gb2 did not ask for 65001:999)" \
	vpn4_rib_lacks vtopod vt "${B[@]:0:2}"
check "gb2 lacks D: vt filtered it" vpn4_rib_lacks gobgp gb2 "${D[@]:0:2}"
check "gb2 lacks B" vpn4_rib_lacks gobgp gb2 "${B[@]:0:2}"
# gb1 has no VRF: vt asks gb1 for nothing of its own, and gb1's membership
# is empty, so it gets no VPN route from vt (C carries 65001:100, which only
# gb2 asked for).
check "gb1 lacks C (it asked for nothing)" vpn4_rib_lacks gobgp gb1 "${C[@]:0:2}"
check "vt: no local membership route" \
	grep -q '"local":\[\]' <(vtopoctl_ vt -j show rt-constraint)

# ------------------------------------------------------------ membership grows
gobgp_cli gb2 vrf add blue rd 65002:2 rt import 65001:999 65003:999 export 65002:2
wait_ok 10 "gb1 holds both of gb2's memberships" \
	rtc_is gb1 "65002:65001:100 65002:65001:999 65002:65003:999"
wait_ok 10 "vt has B from gb1 now" vpn4_rib_has vtopod vt "${B[@]}" $GB1
wait_ok 10 "gb2 has B now" vpn4_rib_has gobgp gb2 "${B[@]}" $VT
wait_ok 10 "gb2 has D now (vt re-evaluated its filter)" vpn4_rib_has gobgp gb2 "${D[@]}" $VT

# ------------------------------------------------------------ and shrinks
gobgp_cli gb2 vrf del red
wait_ok 10 "gb1 holds gb2's remaining memberships" \
	rtc_is gb1 "65002:65001:999 65002:65003:999"
wait_ok 10 "gb2: A withdrawn" vpn4_rib_lacks gobgp gb2 "${A[@]:0:2}"
wait_ok 10 "gb2: C withdrawn" vpn4_rib_lacks gobgp gb2 "${C[@]:0:2}"
wait_ok 10 "vt: A withdrawn by gb1 (nobody asks for 65001:100)" \
	vpn4_rib_lacks vtopod vt "${A[@]:0:2}"
check "gb2 keeps B" vpn4_rib_has gobgp gb2 "${B[@]}" $VT
check "gb2 keeps D" vpn4_rib_has gobgp gb2 "${D[@]}" $VT

# No RTC default anywhere, and every GoBGP still runs with its session up.
check "gb2's RTC table: its own memberships only" \
	rtc_is gb2 "65002:65001:999 65002:65003:999"
for n in gb1 gb2 gb3; do
	check "$n: gobgpd still up, session to vt established" topo_up $n gobgp_session_up $n $VT
done
topo_log "PASS"
