#!/usr/bin/env bash
# RT-Constraint (RFC 4684) through a vtopod route reflector, three PEs that
# all import the same route target.
#
#   rr   vtopod  AS 65000  198.18.0.10  reflector (cluster id 198.18.0.99),
#                                       ipv4-vpn + rtc to every PE
#   pe1  GoBGP   AS 65000  198.18.0.1   VRF red imports/exports 65000:1
#   pe2  GoBGP   AS 65000  198.18.0.2   same
#   pe3  vtopod  AS 65000  198.18.0.3   VRF red (RT 65000:1 both), one
#                                       attachment exported as a /32
#
# Each PE's membership route 65000:65000:1 is the same NLRI; the reflector's
# best path for it is pe1's (lowest BGP identifier, RFC 4271 s9.1.2.2 f).
# RFC 4684 s3.2: pe1 must still learn from the reflector that others import
# 65000:1, or it keeps its VPN routes for 65000:1 to itself.  The reflector
# sends pe1 the best of the other paths, pe2's: read in pe1's Adj-RIB-In
# from rr with ORIGINATOR_ID pe2 and CLUSTER_LIST the cluster id (RFC 4456
# s8).  Then every PE holds every other PE's VPN route (GoBGP's RIB, and
# vtopod's); pe3's label is the one pe3 says it exports the attachment with.
# pe2 withdrawing its membership moves pe1 to pe3's path, and pe2 loses the
# routes it no longer asks for.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host rr 198.18.0.10/24
topo_host pe1 198.18.0.1/24
topo_host pe2 198.18.0.2/24
topo_host pe3 198.18.0.3/24
RR=198.18.0.10 PE1=198.18.0.1 PE2=198.18.0.2 PE3=198.18.0.3 CLUSTER=198.18.0.99

gobgp_pe_conf() { # AS ROUTER-ID: iBGP to rr, VPN-IPv4 and RTC
	GOBGP_FAMS=l3vpn-ipv4-unicast+rtc gobgp_conf x "$1" "$2" $RR:65000
}
pe3_conf() {
	cat <<EOF
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE3", "listen": [ { "address": "$PE3" } ],
                "logging": { "level": "debug" } },
    "network-instances": { "network-instance": [
      { "name": "red", "route-distinguisher": "65000:3",
        "vpn-targets": { "vpn-target": [
          { "route-target": "target:65000:1", "route-target-type": "both" } ] },
        "attachments": { "attachment": [
          { "name": "vm3", "interface": "vm3-if",
            "address": [ { "ip": "192.0.2.33", "prefix-length": 24 } ] } ] } } ] },
    "neighbors": { "neighbor": [
      { "address": "$RR", "remote-as": 65000, "local-address": "$PE3",
        "timers": { "connect-retry": 2 },
        "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" }, { "name": "rtc" } ] } } ] }
  }
}
EOF
}

vtopod_start rr <(VTOPOD_RR_CLIENTS=1 VTOPOD_CLUSTER_ID=$CLUSTER \
	vtopod_conf rr 65000 $RR $PE1:65000:ipv4-vpn+rtc $PE2:65000:ipv4-vpn+rtc \
	$PE3:65000:ipv4-vpn+rtc)
gobgp_start pe1 <(gobgp_pe_conf 65000 $PE1)
gobgp_start pe2 <(gobgp_pe_conf 65000 $PE2)
pe3_conf | vtopod_start pe3 -
for peer in $PE1 $PE2 $PE3; do
	wait_ok 30 "rr: session to $peer established" vtopod_session_up rr $peer
done

# Memberships first (GoBGP: a VRF's import RTs), then the VPN routes
# (GoBGP sends them to rr only once rr asked for 65000:1).
gobgp_cli pe1 vrf add red rd 65000:1 rt import 65000:1 export 65000:1
gobgp_cli pe2 vrf add red rd 65000:2 rt import 65000:1 export 65000:1
A=(65000:1 198.51.100.0/24 101 65000:1 $PE1)
B=(65000:2 203.0.113.0/25 102 65000:1 $PE2)
gobgp_vpn4_add pe1 "${A[@]}"
gobgp_vpn4_add pe2 "${B[@]}"

# pe3's route: the label pe3 exports its attachment with
pe3_label() {
	vtopoctl_ pe3 -j show attachments |
		jq -r '[.. | objects | select(.address? == "192.0.2.33/32") | .label] | first // empty'
}
wait_ok 10 "pe3 exports vm3 with a label" test -n "$(pe3_label)"
C=(65000:3 192.0.2.33/32 "$(pe3_label)" 65000:1 $PE3)
topo_log "pe3 exports 192.0.2.33/32 with label ${C[2]}"

# rr's best membership path is pe1's (lowest BGP identifier)
rr_best_from() {
	vtopoctl_ rr -j show rib rtc | jq -r \
		'[.routes[] | select(.prefix == "65000:target:65000:1") | .paths[] | select(.best)
		  | .peer] | first // empty'
}
wait_ok 10 "rr holds 65000:1 from all three PEs" test "$(vtopoctl_ rr -j show rib rtc |
	jq '[.routes[] | select(.prefix == "65000:target:65000:1") | .paths[]] | length')" = 3
check "rr's best path for 65000:1 is pe1's" test "$(rr_best_from)" = $PE1

# rtc_from_rr NAME: "ORIGINATOR_ID CLUSTER_LIST" of the 65000:65000:1 path
# NAME received from rr (GoBGP's Adj-RIB-In), empty when there is none
rtc_from_rr() {
	gobgp_cli "$1" neighbor $RR adj-in -a rtc -j | "$TOPO_PY" -c '
import json, sys
for p in (json.load(sys.stdin) or {}).get("65000:65000:1", []):
    a = {x["type"]: x for x in p["attrs"]}
    print(a.get(9, {}).get("value", "-"), ",".join(a.get(10, {}).get("value") or ["-"]))'
}
rtc_from_rr_is() { # NAME WANT
	local have
	have=$(rtc_from_rr "$1")
	echo "have [$have] want [$2]"
	[ "$have" = "$2" ]
}
wait_ok 10 "pe1 learns 65000:1 from rr: pe2's path (the best not from pe1)" \
	rtc_from_rr_is pe1 "$PE2 $CLUSTER"
check "pe2 learns 65000:1 from rr: pe1's path (the best)" rtc_from_rr_is pe2 "$PE1 $CLUSTER"

wait_ok 10 "pe2 has pe1's route" vpn4_rib_has gobgp pe2 "${A[@]}"
wait_ok 10 "pe3 has pe1's route" vpn4_rib_has vtopod pe3 "${A[@]}"
wait_ok 10 "pe1 has pe2's route" vpn4_rib_has gobgp pe1 "${B[@]}"
wait_ok 10 "pe3 has pe2's route" vpn4_rib_has vtopod pe3 "${B[@]}"
wait_ok 10 "pe1 has pe3's route" vpn4_rib_has gobgp pe1 "${C[@]}"
wait_ok 10 "pe2 has pe3's route" vpn4_rib_has gobgp pe2 "${C[@]}"

# pe2 leaves 65000:1: pe1 now gets pe3's membership path; pe2 no longer
# asks for 65000:1, so rr withdraws the others' routes from it
gobgp_cli pe2 vrf del red
wait_ok 10 "pe1 learns 65000:1 from rr: now pe3's path" rtc_from_rr_is pe1 "$PE3 $CLUSTER"
wait_ok 10 "pe2: pe1's route withdrawn" vpn4_rib_lacks gobgp pe2 "${A[@]:0:2}"
wait_ok 10 "pe2: pe3's route withdrawn" vpn4_rib_lacks gobgp pe2 "${C[@]:0:2}"
check "pe3 keeps pe1's route" vpn4_rib_has vtopod pe3 "${A[@]}"
check "pe1 keeps pe3's route" vpn4_rib_has gobgp pe1 "${C[@]}"
for n in pe1 pe2; do
	check "$n: gobgpd still up, session to rr established" topo_up $n gobgp_session_up $n $RR
done
topo_log "PASS"
