#!/usr/bin/env bash
# Fine-grained steering with VPN FlowSpec
# (draft-rfernando-bess-service-chaining-01 s4.1.5): a VPN FlowSpec route
# (RFC 8955 s8, SAFI 134) carrying a service-topology RT is resolved through
# the chain like a zone route and installed with the chain's next hop; with
# a distinct service-topology RT that only the ingress zone VRF imports it
# is installed there alone.
#
# The Figure 1 control plane (tests/config/fig1-*.json, five vtopods, iBGP
# through a route reflector) with GoBGP as one more client of the RR:
#
#   pe1   198.18.0.1    PE-1, zone 1; also imports zone 2 (65000:2)
#   spea  198.18.0.2    S-PE-A, Serv-A 198.51.100.1
#   speb  198.18.0.3    S-PE-B, Serv-B 198.51.100.2
#   pe2   198.18.0.4    PE-2, zone 2 (VM-2 203.0.113.70); here without the
#                       export policy that tags zone-2 prefixes with the
#                       z1-to-z2 RTs (65000:101, 65000:111), so VM-2's
#                       route goes direct
#   rr    198.18.0.254  route reflector
#   gb    198.18.0.100  GoBGP: injects the flow route, and reads the labels
#                       the PEs advertised (a second implementation)
#
# Topology z1-to-z2 (RT 65000:101) is {Serv-A, Serv-B}; z1-to-z2-flow (RT
# 65000:121) has the same sequence and is imported only by PE-1's zone VRF
# (its ingress-vrf).  GoBGP announces one flow in RD 198.18.0.4:1:
# destination 203.0.113.70/32, TCP, destination port 80.  Checked with
# `vtopoctl show fib -j` (docs/ctl-json.md):
#  - RT 65000:101: PE-1's zone VRF has the flow rule, with the bytes of
#    RFC 8955 s4.2.2, pointing at S-PE-A with S-PE-A's label for Serv-A
#    (s4.1.3 steps 1-3), while the prefix 203.0.113.70/32 goes to PE-2 with
#    PE-2's label; S-PE-A's out-VRF points the flow at S-PE-B with Serv-B's
#    label; S-PE-B (the last hop) installs no rule;
#  - the route is replaced with RT 65000:121: PE-1 keeps the rule (same next
#    hop), S-PE-A's rule goes;
#  - withdrawn: no rule left on PE-1.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_prefix fs$$
topo_switch
CONF=$(cd "$(dirname "$0")/../../config" && pwd)
PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 RR=198.18.0.254 GB=198.18.0.100
VM2=203.0.113.70/32
RD=198.18.0.4:1
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR gb:$GB; do
	topo_host "${h%%:*}" "${h#*:}/24"
done

# The Figure 1 files with this scenario's changes (jq, on copies)
TOP='.["vtopo:vtopo"]["service-topologies"]["service-topology"]'
FLOWTOP='{"name": "z1-to-z2-flow", "route-target": "target:65000:121",
  "address-family": "ipv4-vpn", "service-node-sequence": ["198.51.100.1", "198.51.100.2"]}'
jq '.["vtopo:vtopo"].neighbors.neighbor += [{"address": "'$GB'", "peer-group": "pes",
      "description": "GoBGP"}]' "$CONF/fig1-rr.json" >"$TOPO_DIR/rr.json"
jq "(.[\"vtopo:vtopo\"][\"network-instances\"][\"network-instance\"][] | select(.name == \"zone1\")
      | .[\"vpn-targets\"][\"vpn-target\"]) += [{\"route-target\": \"target:65000:2\",
      \"route-target-type\": \"import\"}, {\"route-target\": \"target:65000:121\",
      \"route-target-type\": \"import\"}]
    | $TOP += [$FLOWTOP + {\"ingress-vrf\": [\"zone1\"]}]" \
	"$CONF/fig1-pe1.json" >"$TOPO_DIR/pe1.json"
jq "del(.[\"vtopo:vtopo\"][\"network-instances\"][\"network-instance\"][]
      | .[\"export-policy\"].statement[] | select(.name | startswith(\"z1-to-z2\")))
    | $TOP += [$FLOWTOP]" "$CONF/fig1-pe2.json" >"$TOPO_DIR/pe2.json"
for s in spe-a spe-b; do
	jq "$TOP += [$FLOWTOP]" "$CONF/fig1-$s.json" >"$TOPO_DIR/$s.json"
done
# connect-retry 2 s instead of the default, for a quicker start
for f in pe1 pe2 spe-a spe-b; do
	jq '.["vtopo:vtopo"].neighbors.neighbor[].timers = {"connect-retry": 2}' \
		"$TOPO_DIR/$f.json" >"$TOPO_DIR/$f.json.new" && mv "$TOPO_DIR/$f.json.new" "$TOPO_DIR/$f.json"
done

vtopod_start rr "$TOPO_DIR/rr.json"
vtopod_start pe1 "$TOPO_DIR/pe1.json"
vtopod_start spea "$TOPO_DIR/spe-a.json"
vtopod_start speb "$TOPO_DIR/spe-b.json"
vtopod_start pe2 "$TOPO_DIR/pe2.json"
GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv4-flowspec gobgp_conf gb 65000 $GB $RR:65000 >"$TOPO_DIR/gb.toml"
gobgp_start gb "$TOPO_DIR/gb.toml"
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 gb:$GB; do
	wait_ok 60 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
done

# The label of the VPN-IPv4 route to ADDRESS as GoBGP received it from the RR
gb_label() { # ADDRESS
	gobgp_vpn4_rib gb | jq -r --arg p "$1/32" 'select(.prefix == $p) | .label' | head -1
}
has_label() { [ -n "$(gb_label "$1")" ]; }
for a in 198.51.100.1 198.51.100.2 203.0.113.70; do
	wait_ok 30 "GoBGP has the route to $a" has_label $a
done
LA=$(gb_label 198.51.100.1) # Serv-A's label at S-PE-A (s4.1.1)
LB=$(gb_label 198.51.100.2) # Serv-B's label at S-PE-B
L2=$(gb_label 203.0.113.70) # VM-2's label at PE-2
topo_log "labels as GoBGP received them: Serv-A $LA, Serv-B $LB, VM-2 $L2"

# jq over `show fib VRF -j`
fib_nh() { # NAME VRF PREFIX: "pe label..." or pending
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first //{} |
	  if .state != "installed" then "pending"
	  else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
	                   else .type end) end'
}
# the installed flow rules of a VRF as "RD NLRI-HEX TOPOLOGY PE LABEL..."
fib_flows() { # NAME VRF
	vtopoctl_ "$1" -j show fib "$2" | jq -r '.vrfs[].flows[]? | select(.state == "installed") |
	  "\(.rd) \(.nlri) \(.topology) \(.nexthop.pe) \(.nexthop.labels // [] | map(tostring) | join(" "))"'
}
fib_is() { # NAME VRF PREFIX EXPECTED
	local have
	have=$(fib_nh "$1" "$2" "$3")
	printf 'want [%s]\nhave [%s]\n' "$4" "$have"
	vtopoctl_ "$1" show fib "$2"
	[ "$have" = "$4" ]
}
flows_are() { # NAME VRF EXPECTED (lines; empty for none)
	local have
	have=$(fib_flows "$1" "$2")
	printf 'want [%s]\nhave [%s]\n' "$3" "$have"
	[ "$have" = "$3" ]
}

# s2: VM-2's route carries no service-topology RT here: direct to PE-2
wait_ok 30 "PE-1: $VM2 -> PE-2 label $L2 (direct)" fib_is pe1 zone1 $VM2 "$PE2 $L2"

# RFC 8955 s4.2.2 by hand: type 1 destination 0x20 (/32) cb.00.71.46
# (203.0.113.70); type 3 protocol, operator 0x81 (end of list, one octet,
# ==) 6; type 5 destination port, 0x81 80 (0x50)
NLRI=0120cb0071460381060581""50
flow() { # add|del RT
	gobgp_cli gb global rib -a ipv4-l3vpn-flowspec "$1" rd $RD \
		match destination $VM2 protocol tcp destination-port ==80 "then" accept rt "$2"
}
flow add 65000:101
# s4.1.5 + s4.1.3: PE-1 sends the flow to the first node, Serv-A at S-PE-A
wait_ok 30 "PE-1: flow -> S-PE-A label $LA" \
	flows_are pe1 zone1 "$RD $NLRI z1-to-z2 $SPEA $LA"
# ... while other traffic to VM-2 still goes direct
check "PE-1: $VM2 still -> PE-2 label $L2" fib_is pe1 zone1 $VM2 "$PE2 $L2"
# S-PE-A's out-VRF: the next node, Serv-B at S-PE-B
wait_ok 30 "S-PE-A: flow -> S-PE-B label $LB" \
	flows_are spea serv-a-out "$RD $NLRI z1-to-z2 $SPEB $LB"
# S-PE-B is the last hop: a plain destination lookup, no rule
check "S-PE-B: no flow rule (last hop)" flows_are speb serv-b-out ""
check "PE-2: no flow rule" flows_are pe2 zone2 ""

# s4.1.5: "installed only in the ingress zone-PE VRF using a distinct
# Service-topology-RT": the same flow now with z1-to-z2-flow's RT
flow add 65000:121
wait_ok 30 "S-PE-A: flow rule gone" flows_are spea serv-a-out ""
wait_ok 30 "PE-1: flow -> S-PE-A label $LA (z1-to-z2-flow)" \
	flows_are pe1 zone1 "$RD $NLRI z1-to-z2-flow $SPEA $LA"
check "S-PE-B: no flow rule" flows_are speb serv-b-out ""

# withdrawal removes it
flow del 65000:121
wait_ok 30 "PE-1: flow rule withdrawn" flows_are pe1 zone1 ""
check "PE-1: $VM2 still -> PE-2 label $L2" fib_is pe1 zone1 $VM2 "$PE2 $L2"
topo_log "flowspec_chain: OK"
