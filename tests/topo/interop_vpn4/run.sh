#!/usr/bin/env bash
# vtopod with five real BGP daemons, VPN-IPv4 (RFC 4364) over eBGP.
#
#   vt    vtopod    AS 65000  198.18.0.10  sessions to all five below
#   gb    GoBGP     AS 65001  198.18.0.1
#   bird  BIRD 2    AS 65002  198.18.0.2
#   frr   FRR bgpd  AS 65003  198.18.0.3
#   obgp  OpenBGPD  AS 65004  198.18.0.4
#   exa   ExaBGP    AS 65005  198.18.0.5
#
# Each daemon that can originate (all but OpenBGPD, tests/topo/README.md)
# sends one route with its own RD, RTs and label, next hop its own address.
# Peer -> vtopod: `vtopoctl -j show rib ipv4-vpn` holds it with the RD, RTs,
# label and next hop as originated.  vtopod -> peer: every other daemon's own
# CLI holds it with the same RD, RTs and label, and vtopod's address as next
# hop (RFC 4271 s5.1.3: eBGP; vtopod passes the label on unchanged, as GoBGP
# and OpenBGPD do).  Then every route is withdrawn and its absence asserted
# everywhere, except on OpenBGPD 7.7, which counts VPN withdrawals but keeps
# the routes (asserted, so that a fixed OpenBGPD is noticed).
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24
topo_host gb 198.18.0.1/24
topo_host bird 198.18.0.2/24
topo_host frr 198.18.0.3/24
topo_host obgp 198.18.0.4/24
topo_host exa 198.18.0.5/24

VT=198.18.0.10 GB=198.18.0.1 BIRD=198.18.0.2 FRR=198.18.0.3 OBGP=198.18.0.4 EXA=198.18.0.5
vtopod_start vt <(vtopod_conf vt 65000 $VT $GB:65001 $BIRD:65002 $FRR:65003 $OBGP:65004 $EXA:65005)
gobgp_start gb <(gobgp_conf gb 65001 $GB $VT:65000)
bird_start bird <(bird_conf bird 65002 $BIRD $VT:65000)
frr_start frr <(frr_conf frr 65003 $FRR $VT:65000)
openbgpd_start obgp <(openbgpd_conf obgp 65004 $OBGP $VT:65000)
exabgp_start exa <(exabgp_conf exa 65005 $EXA $VT:65000)

for peer in $GB $BIRD $FRR $OBGP $EXA; do
	wait_ok 30 "vt: session to $peer established" vtopod_session_up vt $peer
done
# VPN-IPv4 negotiated, from vtopod's side (families are the negotiated ones)
vt_fams() { # ADDR
	vtopoctl_ vt -j show neighbors "$1" |
		"$TOPO_PY" -c 'import json,sys; print(json.load(sys.stdin)["neighbors"][0]["families"])'
}
for peer in $GB $BIRD $FRR $OBGP $EXA; do
	check "vt: ipv4-vpn negotiated with $peer" grep -q "'ipv4-vpn'" <(vt_fams $peer)
done
wait_ok 10 "gb: session up" gobgp_session_up gb $VT
wait_ok 10 "bird: session up" bird_session_up bird $VT
wait_ok 10 "frr: session up" frr_session_up frr $VT
wait_ok 10 "obgp: session up" openbgpd_session_up obgp $VT
wait_ok 10 "exa: session up" exabgp_session_up exa $VT

# ------------------------------------------------------------ origination
R_GB=(65001:100 198.51.100.0/24 100 65001:100,65001:101)
R_BIRD=(65002:200 203.0.113.0/25 200 65002:200)
R_FRR=(65003:300 203.0.113.128/25 300 65003:300)
R_EXA=(65005:500 192.0.2.0/24 500 65005:500,65005:501)
gobgp_vpn4_add gb "${R_GB[@]}" $GB
bird_vpn4_add bird "${R_BIRD[@]}" $BIRD
frr_vpn4_add frr "${R_FRR[@]}" $FRR
exabgp_vpn4_add exa "${R_EXA[@]}" $EXA

# peer -> vtopod: as originated.
wait_ok 10 "vt has gb's route" vpn4_rib_has vtopod vt "${R_GB[@]}" $GB
wait_ok 10 "vt has bird's route" vpn4_rib_has vtopod vt "${R_BIRD[@]}" $BIRD
wait_ok 10 "vt has frr's route" vpn4_rib_has vtopod vt "${R_FRR[@]}" $FRR
wait_ok 10 "vt has exa's route" vpn4_rib_has vtopod vt "${R_EXA[@]}" $EXA

# vtopod -> peer: same RD, RTs, label; next hop vtopod (eBGP).
for r in R_GB R_BIRD R_FRR R_EXA; do
	declare -n route=$r
	[ $r = R_GB ] || wait_ok 10 "gb has ${route[0]} ${route[1]} from vt" \
		vpn4_rib_has gobgp gb "${route[@]}" $VT
	[ $r = R_BIRD ] || wait_ok 10 "bird has ${route[0]} ${route[1]} from vt" \
		vpn4_rib_has bird bird "${route[@]}" $VT
	[ $r = R_FRR ] || wait_ok 10 "frr has ${route[0]} ${route[1]} from vt" \
		vpn4_rib_has frr frr "${route[@]}" $VT
	[ $r = R_EXA ] || wait_ok 10 "exa has ${route[0]} ${route[1]} from vt" \
		vpn4_rib_has exabgp exa "${route[@]}" $VT
	# bgpctl shows no label of a VPN prefix; exa above shows vt keeps it.
	wait_ok 10 "obgp has ${route[0]} ${route[1]} from vt (no label shown)" \
		vpn4_rib_has openbgpd obgp "${route[0]}" "${route[1]}" - "${route[3]}" $VT
	unset -n route
done

# OpenBGPD re-advertises to vtopod only what came from vtopod: RFC 4271
# s9.1.2 loop detection on vtopod's side (AS 65000 in AS_PATH) drops it, so
# vtopod keeps one path per route.
only_one_path() { # RD PREFIX
	local n
	n=$(vtopod_vpn4_rib vt | grep -cF "\"prefix\":\"$2\",\"rd\":\"$1\"" || true)
	echo "paths for $1 $2: $n"
	[ "$n" -eq 1 ]
}
for r in "${R_GB[*]:0:2}"; do check "vt: one path for $r" only_one_path $r; done

# ------------------------------------------------------------ withdrawal
obgp_wd0=$(openbgpd_withdraws obgp $VT)
gobgp_vpn4_del gb "${R_GB[@]:0:2}"
bird_vpn4_del bird "${R_BIRD[@]:0:2}"
frr_vpn4_del frr "${R_FRR[@]:0:2}"
exabgp_vpn4_del exa "${R_EXA[@]:0:2}"

for r in R_GB R_BIRD R_FRR R_EXA; do
	declare -n route=$r
	wait_ok 10 "vt: ${route[0]} ${route[1]} withdrawn" vpn4_rib_lacks vtopod vt "${route[@]:0:2}"
	wait_ok 10 "gb: ${route[0]} ${route[1]} withdrawn" vpn4_rib_lacks gobgp gb "${route[@]:0:2}"
	wait_ok 10 "bird: ${route[0]} ${route[1]} withdrawn" vpn4_rib_lacks bird bird "${route[@]:0:2}"
	wait_ok 10 "frr: ${route[0]} ${route[1]} withdrawn" vpn4_rib_lacks frr frr "${route[@]:0:2}"
	[ $r = R_EXA ] || wait_ok 10 "exa: ${route[0]} ${route[1]} withdrawn" \
		not vpn4_rib_has exabgp exa "${route[@]}" $VT
	unset -n route
done

# OpenBGPD 7.7: the withdrawals arrive (counted) but the routes stay.
openbgpd_got_withdraws() {
	local n
	n=$(openbgpd_withdraws obgp $VT)
	echo "withdraws from vt: $n (before: $obgp_wd0)"
	[ "$n" -ge $((obgp_wd0 + 4)) ]
}
wait_ok 10 "obgp: four withdrawals from vt counted" openbgpd_got_withdraws
check "obgp: keeps gb's withdrawn route (OpenBGPD 7.7 on Linux)" \
	vpn4_rib_has openbgpd obgp "${R_GB[0]}" "${R_GB[1]}" - "${R_GB[3]}" $VT

# ------------------------------------------------------------ stop
gobgp_stop gb
wait_ok 10 "vt: session to gb down after gobgpd stopped" not vtopod_session_up vt $GB
check "vt: the other sessions stay up" vtopod_session_up vt $EXA
topo_log "PASS"
