#!/usr/bin/env bash
# Several service topologies in one VPN (draft s4.1.5 "Multiple service
# topologies", s5.1) and a per-VM chain (s4.2) on the Figure 1 control
# plane (lib/chain.sh: vtopod RR, PE-1, S-PE-A, S-PE-B; GoBGP as PE-2).
#
# Zone 1 -> zone 2, two topologies, from GoBGP (next hop PE-2):
#   VM-2 203.0.113.70/32 label 2001, RT 65000:101: z1-to-z2 {Serv-A, Serv-B}
#   VM-3 203.0.113.80/32 label 2002, RT 65000:105: z1-to-z3 {Serv-B}
# Zone 2 -> zone 1, the other direction, a different sequence: VM-1
# 203.0.113.10 attached at PE-1 is exported with RT 65000:102, z2-to-z1
# {Serv-B, Serv-A}; and with a per-VM statement of PE-1's export policy
# (condition: attachment vm1) also with RT 65000:106, topology vm1
# {Serv-B} of higher preference.
# Checked on `vtopoctl -j show fib` (route, topology, next hop):
#  - PE-1 zone1: VM-2 -> S-PE-A/Serv-A, VM-3 -> S-PE-B/Serv-B (step 1);
#  - S-PE-A serv-a-out: VM-2 -> S-PE-B/Serv-B; VM-1 (z2-to-z1 last hop)
#    -> PE-1 with VM-1's label;
#  - S-PE-B serv-b-out: VM-2 and VM-3 -> PE-2 with their labels (last
#    hop of both); VM-1 by vm1, of which Serv-B is the last node -> PE-1
#    with VM-1's label;
#  - the per-VM statement removed from PE-1's export policy by reload:
#    S-PE-B serv-b-out sends VM-1 on by z2-to-z1 to S-PE-A/Serv-A.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"

topo_init
TOPO_PREFIX=c2$$
topo_switch
VM1=203.0.113.10/32 VM2=203.0.113.70/32 VM3=203.0.113.80/32
T3='{"name": "z1-to-z3", "route-target": "target:65000:105", "address-family": "ipv4-vpn",
  "service-node-sequence": ["198.51.100.2"]}'
TVM='{"name": "vm1", "route-target": "target:65000:106", "address-family": "ipv4-vpn",
  "service-node-sequence": ["198.51.100.2"], "preference": 10}'
PERVM='{"name": "vm1", "conditions": {"attachment": "vm1"},
  "actions": {"add-route-target": ["target:65000:106"]}}'
POLICY='.["vtopo:vtopo"]["network-instances"]["network-instance"][] | select(.name == "zone1")
  | .["export-policy"].statement'
chain_fig1 "$(chain_import zone1 65000:105) | $CHAIN_TOP += [$T3 + {\"ingress-vrf\": [\"zone1\"]}]
	| ($POLICY) |= [$PERVM] + ." \
	"$CHAIN_TOP += [$T3, $TVM]" \
	"$(chain_import serv-b-out 65000:105) | $(chain_import serv-b-out 65000:106) | $CHAIN_TOP += [$T3, $TVM]"
LA=$CHAIN_LA LB=$CHAIN_LB
wait_ok 20 "the RR has the route to VM-1" chain_has_label 203.0.113.10
L1=$(chain_rib_label rr 203.0.113.10)
topo_log "VM-1's label at PE-1: $L1"
gobgp_vpn4_add gb $PE2:1 $VM2 2001 65000:2,65000:101 $PE2
gobgp_vpn4_add gb $PE2:1 $VM3 2002 65000:2,65000:105 $PE2

fib() { # NAME VRF PREFIX: "topology nexthop"
	chain_fib_all "$1" "$2" | awk -v p="$3" '$1 == p { $1 = ""; print substr($0, 2) }'
}
expect() { # NAME VRF PREFIX "TOPOLOGY NEXTHOP"
	wait_ok 20 "$1 $2: $3 -> $4" chain_is "$4" fib "$1" "$2" "$3"
}
# zone 1 -> zone 2: two topologies
expect pe1 zone1 $VM2 "z1-to-z2 $SPEA $LA"
expect pe1 zone1 $VM3 "z1-to-z3 $SPEB $LB"
expect spea serv-a-out $VM2 "z1-to-z2 $SPEB $LB"
expect speb serv-b-out $VM2 "z1-to-z2 $PE2 2001"
expect speb serv-b-out $VM3 "z1-to-z3 $PE2 2002"
[ -z "$(fib spea serv-a-out $VM3)" ] || topo_die "S-PE-A holds VM-3, which z1-to-z3 does not pass"
# zone 2 -> zone 1: the per-VM chain, then the zone chain
expect speb serv-b-out $VM1 "vm1 $PE1 $L1"
expect spea serv-a-out $VM1 "z2-to-z1 $PE1 $L1"
out=$(chain_set_conf pe1 "del($POLICY[] | select(.name == \"vm1\"))") ||
	topo_die "reload of PE-1's export policy refused: $out"
expect speb serv-b-out $VM1 "z2-to-z1 $SPEA $LA"
expect spea serv-a-out $VM1 "z2-to-z1 $PE1 $L1"
# the zone direction is untouched
expect speb serv-b-out $VM2 "z1-to-z2 $PE2 2001"
expect pe1 zone1 $VM3 "z1-to-z3 $SPEB $LB"
topo_log "two_topos_pervm: OK"
