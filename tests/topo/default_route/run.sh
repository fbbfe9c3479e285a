#!/usr/bin/env bash
# Zone prefix aggregation and a default route along the chain (draft
# s4.1.4) on the Figure 1 control plane (tests/config/fig1-*.json, vtopod
# route reflector), with GoBGP at the RR playing the egress zone PE-2:
#
#   pe1 198.18.0.1 PE-1   spea .2 S-PE-A   speb .3 S-PE-B   rr .254   gb .100
#
# GoBGP originates, next hop PE-2 198.18.0.4, RD 198.18.0.4:1:
#  - the covering route, carrying the service-topology RT 65000:101 of
#    z1-to-z2 {Serv-A, Serv-B}: first the aggregate 198.19.0.0/16 (label
#    3000), later instead the default route 0.0.0.0/0 (label 3001);
#  - 50 zone prefixes 198.19.N.0/24 (label 3100+N) with a separate
#    service-topology RT 65000:201 (topology z1-to-z2-spec, same sequence)
#    that only PE-1's zone1 and S-PE-B's serv-b-out (last service-PE) import.
# Checked on `vtopoctl -j show fib`:
#  - PE-1 zone1: each of the 50 -> S-PE-A with Serv-A's label (step 1);
#  - S-PE-A serv-a-out (intermediate hop) holds the covering route -> S-PE-B
#    with Serv-B's label and none of the 50: its route count is the same
#    with 0 and with 50 zone prefixes;
#  - S-PE-B serv-b-out: each of the 50 -> PE-2 with its own label (step 4),
#    the covering route -> PE-2 with its label.
# The expected labels come from GoBGP's input and, for the service nodes,
# from the RR's RIB (what the service-PEs advertised).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"

topo_init
TOPO_PREFIX=c2$$
topo_switch
RD=$PE2:1 N=50
SPEC='{"name": "z1-to-z2-spec", "route-target": "target:65000:201",
  "address-family": "ipv4-vpn", "service-node-sequence": ["198.51.100.1", "198.51.100.2"]}'
chain_fig1 "$(chain_import zone1 65000:201) | $CHAIN_TOP += [$SPEC + {\"ingress-vrf\": [\"zone1\"]}]" \
	"$CHAIN_TOP += [$SPEC]" "$(chain_import serv-b-out 65000:201) | $CHAIN_TOP += [$SPEC]"
LA=$CHAIN_LA LB=$CHAIN_LB

is() { chain_is "$@"; }
count() { # NAME VRF PATTERN: routes of VRF whose line matches
	chain_fib_all "$1" "$2" | grep -c -- "$3" || true
}

# --- the aggregate, then the zone prefixes
gobgp_vpn4_add gb $RD 198.19.0.0/16 3000 65000:2,65000:101 $PE2
wait_ok 20 "S-PE-A: 198.19.0.0/16 -> S-PE-B $LB" is "$SPEB $LB" chain_fib spea serv-a-out 198.19.0.0/16
wait_ok 20 "S-PE-B: 198.19.0.0/16 -> PE-2 3000" is "$PE2 3000" chain_fib speb serv-b-out 198.19.0.0/16
wait_ok 20 "PE-1: 198.19.0.0/16 -> S-PE-A $LA" is "$SPEA $LA" chain_fib pe1 zone1 198.19.0.0/16
before=$(chain_fib_all spea serv-a-out | wc -l)
for i in $(seq 0 $((N - 1))); do
	gobgp_cli gb global rib -a vpnv4 add 198.19.$i.0/24 label $((3100 + i)) rd $RD \
		rt 65000:2 65000:201 nexthop $PE2
done
wait_ok 30 "PE-1: $N zone prefixes -> S-PE-A $LA by z1-to-z2-spec" is $N \
	count pe1 zone1 "^198\.19\.[0-9]*\.0/24 z1-to-z2-spec $SPEA $LA\$"
want_b() { # every zone prefix at S-PE-B with its own label from GoBGP
	local i bad=0
	chain_fib_all speb serv-b-out >"$TOPO_DIR/speb.fib"
	for i in $(seq 0 $((N - 1))); do
		grep -qx "198.19.$i.0/24 z1-to-z2-spec $PE2 $((3100 + i))" "$TOPO_DIR/speb.fib" ||
			bad=$((bad + 1))
	done
	echo "$bad wrong"
	[ $bad = 0 ]
}
wait_ok 30 "S-PE-B: $N zone prefixes -> PE-2 with their own labels" want_b
after=$(chain_fib_all spea serv-a-out | wc -l)
topo_log "S-PE-A serv-a-out routes: $before with the aggregate alone, $after with $N zone prefixes"
[ "$before" = "$after" ] || topo_die "S-PE-A's service VRF grew with the zone prefixes"
[ "$(count spea serv-a-out '^198\.19\.[0-9]*\.0/24')" = 0 ] ||
	topo_die "S-PE-A's service VRF holds zone prefixes"
is "$SPEB $LB" chain_fib spea serv-a-out 198.19.0.0/16 || topo_die "S-PE-A lost the aggregate"

# --- the default route instead of the aggregate
gobgp_vpn4_add gb $RD 0.0.0.0/0 3001 65000:2,65000:101 $PE2
gobgp_vpn4_del gb $RD 198.19.0.0/16
wait_ok 20 "S-PE-A: no aggregate" is none chain_fib spea serv-a-out 198.19.0.0/16
wait_ok 20 "S-PE-A: 0.0.0.0/0 -> S-PE-B $LB" is "$SPEB $LB" chain_fib spea serv-a-out 0.0.0.0/0
wait_ok 20 "S-PE-B: 0.0.0.0/0 -> PE-2 3001" is "$PE2 3001" chain_fib speb serv-b-out 0.0.0.0/0
wait_ok 20 "PE-1: 0.0.0.0/0 -> S-PE-A $LA" is "$SPEA $LA" chain_fib pe1 zone1 0.0.0.0/0
n=$(chain_fib_all spea serv-a-out | wc -l)
topo_log "S-PE-A serv-a-out routes with the default route: $n"
[ "$n" = "$before" ] || topo_die "S-PE-A's service VRF: $n routes, $before expected"
[ "$(count spea serv-a-out '^198\.19\.')" = 0 ] || topo_die "S-PE-A's service VRF holds zone prefixes"
is $N count pe1 zone1 "^198\.19\.[0-9]*\.0/24 z1-to-z2-spec $SPEA $LA\$" ||
	topo_die "PE-1 lost zone prefixes"
want_b >/dev/null || topo_die "S-PE-B lost zone prefixes"
topo_log "default_route: OK"
