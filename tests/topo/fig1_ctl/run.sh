#!/usr/bin/env bash
# The control plane of Figure 1 of draft-rfernando-bess-service-chaining-01:
# five vtopods, iBGP through a route reflector (ipv4-vpn, ipv6-vpn, rtc),
# configured with the golden Figure 1 files (tests/config/fig1-*.json).
#
#   pe1   198.18.0.1    PE-1, zone 1 (VM-1 203.0.113.10)
#   spea  198.18.0.2    S-PE-A, Serv-A 198.51.100.1
#   speb  198.18.0.3    S-PE-B, Serv-B 198.51.100.2
#   pe2   198.18.0.4    PE-2, zone 2 (VM-2 203.0.113.70)
#   rr    198.18.0.254  route reflector
#
# Service topology z1-to-z2 (RT 65000:101) is {Serv-A, Serv-B}.  Checked
# with `vtopoctl show fib -j` (section 4.1.3):
#  - step 1, PE-1: a zone-2 prefix carrying the service-topology RT goes to
#    the first service node: S-PE-A's PE address and its label for Serv-A;
#  - S-PE-A's out-VRF: the next node, Serv-B, at S-PE-B with its label;
#  - S-PE-B, the last service-PE: "use the route's own next hop and label"
#    (PE-2 and PE-2's label for VM-2).
# Then the chain loses Serv-B by `vtopoctl reload` on every PE (section
# 4.1.3 step 1: a change of the chain is configuration only): S-PE-A's
# out-VRF is now the last hop and forwards to PE-2 directly, and PE-2's
# zone route is not advertised again (the RR's count of UPDATEs received
# from PE-2 does not move).
#
# Not registered in meson yet: the S-PE-A step fails.  S-PE-A's own
# RT-Constraint route for 65000:101 loses the decision to the same NLRI
# reflected from PE-1 (ORIGINATOR_ID step), so S-PE-A never advertises its
# membership and the RR sends it no zone routes (RFC 4684 s3: each PE must
# advertise its own import targets).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
TOPO_PREFIX=${TOPO_NS_PREFIX:+$TOPO_NS_PREFIX$$}
TOPO_PREFIX=${TOPO_PREFIX:-vt$$-f1}
topo_switch
CONF=$(cd "$(dirname "$0")/../../config" && pwd)
PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 RR=198.18.0.254
VM2=203.0.113.70/32
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR; do
	topo_host "${h%%:*}" "${h#*:}/24"
done
vtopod_start rr "$CONF/fig1-rr.json"
vtopod_start pe1 "$CONF/fig1-pe1.json"
vtopod_start spea "$CONF/fig1-spe-a.json"
vtopod_start speb "$CONF/fig1-spe-b.json"
vtopod_start pe2 "$CONF/fig1-pe2.json"
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2; do
	wait_ok 30 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
done

# jq over `show fib VRF -j`: the next hop of PREFIX as "pe label...", or
# "local", "drop", "pending"
fib_nh() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first //{} |
	  if .state != "installed" then "pending"
	  else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
	                   else .type end) end'
}
fib_topo() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" \
	  '[.vrfs[].routes[] | select(.prefix == $p)] | first | .topology // "-"'
}
# the label of the route with this address as the RR received it (the
# label the owning PE advertises, s4.1.1: for a service node, a label that
# sends traffic straight to it; RFC 8277)
adv_label() { # ADDRESS
	vtopoctl_ rr -j show rib ipv4-vpn | jq -r --arg a "$1/32" \
	  '[.routes[] | select(.prefix | endswith(":" + $a)) | .paths[] | select(.best)]
	   | first | .labels[0] // "null"'
}
fib_is() { [ "$(fib_nh "$1" "$2" "$3")" = "$4" ]; }

has_label() { [ "$(adv_label "$1")" != null ]; }
for a in 198.51.100.1 198.51.100.2 203.0.113.70; do
	wait_ok 30 "the RR has the route to $a" has_label $a
done
LA=$(adv_label 198.51.100.1) # Serv-A's label at S-PE-A
LB=$(adv_label 198.51.100.2) # Serv-B's label at S-PE-B
L2=$(adv_label 203.0.113.70) # VM-2's label at PE-2
topo_log "labels: Serv-A $LA, Serv-B $LB, VM-2 $L2"

# s4.1.3 step 1: PE-1's zone VRF sends zone-2 prefixes to Serv-A via S-PE-A
wait_ok 30 "PE-1: $VM2 -> S-PE-A label $LA" fib_is pe1 zone1 $VM2 "$SPEA $LA"
[ "$(fib_topo pe1 zone1 $VM2)" = z1-to-z2 ] || topo_die "PE-1: $VM2 not steered by z1-to-z2"
# S-PE-A's out-VRF: the next node, Serv-B at S-PE-B
wait_ok 30 "S-PE-A: $VM2 -> S-PE-B label $LB" fib_is spea serv-a-out $VM2 "$SPEB $LB"
# S-PE-B, the last service-PE: the route's own next hop and label
wait_ok 30 "S-PE-B: $VM2 -> PE-2 label $L2" fib_is speb serv-b-out $VM2 "$PE2 $L2"

# Remove Serv-B from z1-to-z2 on every PE by reload
rx_from_pe2() {
	vtopoctl_ rr -j show neighbors $PE2 | jq -r '.. | objects | .messages? // empty | .received.update // empty' | head -1
}
before=$(rx_from_pe2)
for h in pe1:fig1-pe1 spea:fig1-spe-a speb:fig1-spe-b pe2:fig1-pe2; do
	n=${h%%:*} f=$TOPO_DIR/${h%%:*}/vtopod.json
	jq '(.["vtopo:vtopo"]["service-topologies"]["service-topology"][]
	     | select(.name == "z1-to-z2") | .["service-node-sequence"]) = ["198.51.100.1"]' \
		"$f" >"$f.new" && mv "$f.new" "$f"
	vtopoctl_ "$n" reload >/dev/null
done
wait_ok 30 "S-PE-A: $VM2 -> PE-2 label $L2 directly" fib_is spea serv-a-out $VM2 "$PE2 $L2"
fib_is pe1 zone1 $VM2 "$SPEA $LA" || topo_die "PE-1 no longer sends $VM2 to Serv-A"
after=$(rx_from_pe2)
topo_log "UPDATEs received by the RR from PE-2: $before before, $after after"
[ -n "$before" ] && [ "$before" = "$after" ] || topo_die "PE-2's routes were advertised again"
topo_log "fig1_ctl: OK"
