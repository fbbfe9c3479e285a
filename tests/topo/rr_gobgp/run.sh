#!/usr/bin/env bash
# vtopod as route reflector (RFC 4456) between two GoBGP clients, VPN-IPv4.
#
#   vt   vtopod  AS 65000  198.18.0.10  cluster id 198.18.0.99, both clients
#   gb1  GoBGP   AS 65000  198.18.0.1   client
#   gb2  GoBGP   AS 65000  198.18.0.2   client
#
# A route from one client reaches the other with RD, RTs, label and next hop
# unchanged (a reflector does not touch them, RFC 4456 s10), ORIGINATOR_ID
# the BGP identifier of the client it came from (s8) and CLUSTER_LIST the
# reflector's cluster id (s8), read from GoBGP's own RIB.  The originating
# client does not get its own route back.  A withdrawal is reflected too.
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
VT=198.18.0.10 GB1=198.18.0.1 GB2=198.18.0.2 CLUSTER=198.18.0.99

vtopod_start vt <(VTOPOD_RR_CLIENTS=1 VTOPOD_CLUSTER_ID=$CLUSTER \
	vtopod_conf vt 65000 $VT $GB1:65000 $GB2:65000)
gobgp_start gb1 <(gobgp_conf gb1 65000 $GB1 $VT:65000)
gobgp_start gb2 <(gobgp_conf gb2 65000 $GB2 $VT:65000)
for peer in $GB1 $GB2; do
	wait_ok 30 "vt: session to $peer established" vtopod_session_up vt $peer
done
check "vt: gb1 is a route reflector client" \
	grep -q '"rr_client":true' <(vtopoctl_ vt -j show neighbors $GB1)

# rr_attrs NAME RD PREFIX: "ORIGINATOR_ID CLUSTER_LIST,..." of the path GoBGP
# holds (path attributes 9 and 10, RFC 4456 s8), "- -" when absent.
rr_attrs() {
	gobgp_cli "$1" global rib -a vpnv4 -j | "$TOPO_PY" -c '
import json, sys
key = sys.argv[1] + ":" + sys.argv[2]
for p in (json.load(sys.stdin) or {}).get(key, []):
    a = {x["type"]: x for x in p["attrs"]}
    orig = a.get(9, {}).get("value", "-")
    cl = a.get(10, {}).get("value") or ["-"]
    print(orig, ",".join(cl))
' "$2" "$3"
}
rr_attrs_are() { # NAME RD PREFIX WANT
	local have
	have=$(rr_attrs "$1" "$2" "$3")
	echo "have [$have] want [$4]"
	[ "$have" = "$4" ]
}

R1=(65000:1 198.51.100.0/24 101 65000:1)
R2=(65000:2 203.0.113.0/24 202 65000:2,65000:3)
gobgp_vpn4_add gb1 "${R1[@]}" $GB1
gobgp_vpn4_add gb2 "${R2[@]}" $GB2

wait_ok 10 "vt has gb1's route" vpn4_rib_has vtopod vt "${R1[@]}" $GB1
wait_ok 10 "vt has gb2's route" vpn4_rib_has vtopod vt "${R2[@]}" $GB2
wait_ok 10 "gb2 has gb1's route, next hop and label unchanged" \
	vpn4_rib_has gobgp gb2 "${R1[@]}" $GB1
wait_ok 10 "gb1 has gb2's route, next hop and label unchanged" \
	vpn4_rib_has gobgp gb1 "${R2[@]}" $GB2
# The identifiers are the GoBGP router ids (the clients' BGP identifiers)
# and the configured cluster id, as RFC 4456 s8 says.
check "gb2: ORIGINATOR_ID gb1, CLUSTER_LIST [cluster id]" \
	rr_attrs_are gb2 "${R1[0]}" "${R1[1]}" "$GB1 $CLUSTER"
check "gb1: ORIGINATOR_ID gb2, CLUSTER_LIST [cluster id]" \
	rr_attrs_are gb1 "${R2[0]}" "${R2[1]}" "$GB2 $CLUSTER"
# RFC 4456 s8 / RFC 4271 s9.2: not reflected back to its originator; read
# from what gb1 received from vt (its Adj-RIB-In).
adj_in_keys() { # NAME
	gobgp_cli "$1" neighbor $VT adj-in -a vpnv4 -j |
		"$TOPO_PY" -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin) or {})))'
}
adj_in_is() { # NAME WANT
	local have
	have=$(adj_in_keys "$1")
	echo "have [$have] want [$2]"
	[ "$have" = "$2" ]
}
check "gb1 received from vt only gb2's route" adj_in_is gb1 "${R2[0]}:${R2[1]}"
check "gb2 received from vt only gb1's route" adj_in_is gb2 "${R1[0]}:${R1[1]}"

gobgp_vpn4_del gb1 "${R1[@]:0:2}"
wait_ok 10 "vt: gb1's route withdrawn" vpn4_rib_lacks vtopod vt "${R1[@]:0:2}"
wait_ok 10 "gb2: gb1's route withdrawn" vpn4_rib_lacks gobgp gb2 "${R1[@]:0:2}"
check "gb1 keeps gb2's route" vpn4_rib_has gobgp gb1 "${R2[@]}" $GB2
topo_log "PASS"
