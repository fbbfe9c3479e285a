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
# `run.sh static`: the same, with PE-2 a vtopod (tests/config/fig1-pe2.json)
# originating the covering route and the 50 zone prefixes from static
# routes of zone2 (docs/config.md "Static routes"): the aggregate towards
# vm2 (next-hop-address 203.0.113.70), later the default route as a
# blackhole, each with 65000:101 by an export statement, the zone prefixes
# via vm2 with 65000:201 by another (s4.1.4: "the actual zone prefixes will
# be attached with a separate service-topology-RT"); each is added and
# removed by `vtopoctl reload`.  zone2 allocates labels per prefix; the
# label expected for each route is the one GoBGP, a plain RR client,
# received for it.
#
# usage: run.sh [static]   (as root; exit 77 otherwise; needs VTOPOD and
#        VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"

VARIANT=${1:-gobgp}
topo_init
TOPO_PREFIX=c2$$
topo_switch
RD=$PE2:1 N=50
SPEC='{"name": "z1-to-z2-spec", "route-target": "target:65000:201",
  "address-family": "ipv4-vpn", "service-node-sequence": ["198.51.100.1", "198.51.100.2"]}'
chain_fig1 "$(chain_import zone1 65000:201) | $CHAIN_TOP += [$SPEC + {\"ingress-vrf\": [\"zone1\"]}]" \
	"$CHAIN_TOP += [$SPEC]" "$(chain_import serv-b-out 65000:201) | $CHAIN_TOP += [$SPEC]"
LA=$CHAIN_LA LB=$CHAIN_LB

# pe2_statics JQ-ARRAY AGG-PREFIX: PE-2's zone2 with these static routes,
# AGG-PREFIX tagged 65000:101 and 198.19.0.0/16 24..24 tagged 65000:201
ZONE2='.["vtopo:vtopo"]["network-instances"]["network-instance"][] | select(.name == "zone2")'
pe2_statics() {
	echo "($ZONE2 | .[\"static-routes\"]) = {\"route\": ($1)} |
	  ($ZONE2 | .[\"export-policy\"].statement) |= (map(select(.name | startswith(\"agg\") | not))
	  + [{\"name\": \"agg\", \"conditions\": {\"prefix\": \"$2\"},
	      \"actions\": {\"add-route-target\": [\"target:65000:101\"]}},
	     {\"name\": \"agg-spec\", \"conditions\": {\"prefix\": \"198.19.0.0/16\",
	      \"masklength-range\": \"24..24\"},
	      \"actions\": {\"add-route-target\": [\"target:65000:201\"]}}])"
}
AGG_VIA='{"destination-prefix": "198.19.0.0/16", "next-hop": {"next-hop-address": "203.0.113.70"}}'
DFLT_DROP='{"destination-prefix": "0.0.0.0/0", "next-hop": {"special-next-hop": "blackhole"}}'
SPECIFICS=$(for i in $(seq 0 $((N - 1))); do
	printf '{"destination-prefix": "198.19.%d.0/24", "next-hop": {"next-hop-address": "203.0.113.70"}}\n' "$i"
done | jq -s -c .)
pe2_set() { # JQ-FILTER
	local out
	out=$(chain_set_conf pe2 "$1") || topo_die "pe2: reload refused: $out"
}
if [ "$VARIANT" = static ]; then
	topo_host pe2 "$PE2/24"
	jq ".[\"vtopo:vtopo\"].neighbors.neighbor[].timers = {\"connect-retry\": 2} |
	    ($ZONE2 | .[\"label-mode\"]) = \"per-prefix\"" \
		"$(dirname "$0")/../../config/fig1-pe2.json" | vtopod_start pe2 -
	wait_ok 30 "rr - pe2 established" vtopod_session_up rr $PE2
	# vm2's host route reaches S-PE-A (s4.1.2: with 65000:101) before
	# anything is counted there
	wait_ok 20 "S-PE-A has vm2's /32" not chain_is none chain_fib spea serv-a-out 203.0.113.70/32
fi
gb_rib() { gobgp_cli gb global rib -a vpnv4 -j | norm rib gobgp >"$TOPO_DIR/gb.rib"; }
gb_label() { # PREFIX: the label of PE-2's route in GoBGP's last gb_rib
	jq -r --arg rd "$RD" --arg p "$1" 'select(.rd == $rd and .prefix == $p) | .label' \
		"$TOPO_DIR/gb.rib"
}
gb_has() { # PREFIX...: GoBGP has PE-2's route to each
	local p
	gb_rib
	for p in "$@"; do [ -n "$(gb_label "$p")" ] || return 1; done
}

count() { # NAME VRF PATTERN: routes of VRF whose line matches
	chain_fib_all "$1" "$2" | grep -c -- "$3" || true
}

# --- the aggregate, then the zone prefixes
if [ "$VARIANT" = static ]; then
	pe2_set "$(pe2_statics "[$AGG_VIA]" 198.19.0.0/16)"
	wait_ok 20 "gb has PE-2's aggregate" gb_has 198.19.0.0/16
	LAGG=$(gb_label 198.19.0.0/16)
	lspec() { gb_label "198.19.$1.0/24"; }
else
	gobgp_vpn4_add gb $RD 198.19.0.0/16 3000 65000:2,65000:101 $PE2
	LAGG=3000 LDFLT=3001
	lspec() { echo $((3100 + $1)); }
fi
wait_ok 20 "S-PE-A: 198.19.0.0/16 -> S-PE-B $LB" chain_is "$SPEB $LB" chain_fib spea serv-a-out 198.19.0.0/16
wait_ok 20 "S-PE-B: 198.19.0.0/16 -> PE-2 $LAGG" chain_is "$PE2 $LAGG" chain_fib speb serv-b-out 198.19.0.0/16
wait_ok 20 "PE-1: 198.19.0.0/16 -> S-PE-A $LA" chain_is "$SPEA $LA" chain_fib pe1 zone1 198.19.0.0/16
before=$(chain_fib_all spea serv-a-out | wc -l)
if [ "$VARIANT" = static ]; then
	pe2_set "$(pe2_statics "[$AGG_VIA] + $SPECIFICS" 198.19.0.0/16)"
	# shellcheck disable=SC2046
	wait_ok 20 "gb has PE-2's $N zone prefixes" gb_has $(seq -f "198.19.%g.0/24" 0 $((N - 1)))
else
	for i in $(seq 0 $((N - 1))); do
		gobgp_cli gb global rib -a vpnv4 add 198.19.$i.0/24 label $((3100 + i)) rd $RD \
			rt 65000:2 65000:201 nexthop $PE2
	done
fi
wait_ok 30 "PE-1: $N zone prefixes -> S-PE-A $LA by z1-to-z2-spec" chain_is $N \
	count pe1 zone1 "^198\.19\.[0-9]*\.0/24 z1-to-z2-spec $SPEA $LA\$"
want_b() { # every zone prefix at S-PE-B with its own label from GoBGP
	local i bad=0
	chain_fib_all speb serv-b-out >"$TOPO_DIR/speb.fib"
	for i in $(seq 0 $((N - 1))); do
		grep -qx "198.19.$i.0/24 z1-to-z2-spec $PE2 $(lspec "$i")" "$TOPO_DIR/speb.fib" ||
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
chain_is "$SPEB $LB" chain_fib spea serv-a-out 198.19.0.0/16 || topo_die "S-PE-A lost the aggregate"

# --- the default route instead of the aggregate
if [ "$VARIANT" = static ]; then
	pe2_set "$(pe2_statics "[$DFLT_DROP] + $SPECIFICS" 0.0.0.0/0)"
	wait_ok 20 "gb has PE-2's default route" gb_has 0.0.0.0/0
	LDFLT=$(gb_label 0.0.0.0/0)
else
	gobgp_vpn4_add gb $RD 0.0.0.0/0 3001 65000:2,65000:101 $PE2
	gobgp_vpn4_del gb $RD 198.19.0.0/16
fi
wait_ok 20 "S-PE-A: no aggregate" chain_is none chain_fib spea serv-a-out 198.19.0.0/16
wait_ok 20 "S-PE-A: 0.0.0.0/0 -> S-PE-B $LB" chain_is "$SPEB $LB" chain_fib spea serv-a-out 0.0.0.0/0
wait_ok 20 "S-PE-B: 0.0.0.0/0 -> PE-2 $LDFLT" chain_is "$PE2 $LDFLT" chain_fib speb serv-b-out 0.0.0.0/0
wait_ok 20 "PE-1: 0.0.0.0/0 -> S-PE-A $LA" chain_is "$SPEA $LA" chain_fib pe1 zone1 0.0.0.0/0
n=$(chain_fib_all spea serv-a-out | wc -l)
topo_log "S-PE-A serv-a-out routes with the default route: $n"
[ "$n" = "$before" ] || topo_die "S-PE-A's service VRF: $n routes, $before expected"
[ "$(count spea serv-a-out '^198\.19\.')" = 0 ] || topo_die "S-PE-A's service VRF holds zone prefixes"
chain_is $N count pe1 zone1 "^198\.19\.[0-9]*\.0/24 z1-to-z2-spec $SPEA $LA\$" ||
	topo_die "PE-1 lost zone prefixes"
want_b >/dev/null || topo_die "S-PE-B lost zone prefixes"
if [ "$VARIANT" = static ]; then
	# PE-2 itself: the default drops, the zone prefixes go to vm2
	chain_is drop chain_fib pe2 zone2 0.0.0.0/0 || topo_die "PE-2: the default route does not drop"
	chain_is "local vm2-z2" chain_fib pe2 zone2 198.19.7.0/24 || topo_die "PE-2: 198.19.7.0/24 not to vm2"
fi
topo_log "default_route ($VARIANT): OK"
