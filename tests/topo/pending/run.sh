#!/usr/bin/env bash
# Pending service chains (draft s4.1.3, s4.1.2): a chain with a missing
# piece states why in words in `vtopoctl show service-topology`, keeps its
# prefixes pending in `show fib` (a stateful service is never bypassed), and
# resolves once the piece is configured by `vtopoctl reload`, without a
# restart of vtopod (same process, same BGP session).
#
#   pe1  198.18.0.1  vtopod, ingress PE of zone1
#   gb   198.18.0.9  GoBGP (iBGP), plays S-PE-A and PE-2: it originates
#                    Serv-A 198.51.100.1/32 (RT 65000:100, label 1001, next
#                    hop 198.18.0.2) and zone-2 prefixes 203.0.113.70/32
#                    (RT 65000:101, label 2001), 203.0.113.71/32
#                    (RT 65000:103, label 2002) and 203.0.113.72/32
#                    (RT 65000:109, label 2003), next hop 198.18.0.4
#
# Missing pieces:
#  1. service IP unresolved: zone1 imports the topology RT 65000:101 but
#     not 65000:100, so Serv-A's address is unknown in zone1 (s4.1.3
#     step 3); adding the import resolves it to GoBGP's next hop and label;
#  2. wrong family: giving topology t103 (ipv4-vpn) Serv-A's IPv6 address
#     is refused by reload with the reason in words (the configuration
#     model stops it before any chain sees it), t103 keeps forwarding;
#  3. unknown VRF: a topology whose ingress-vrf names a VRF that does not
#     exist is refused by reload with the reason in words, the running
#     chains stay; defining that VRF (importing the topology RT 65000:109
#     and Serv-A's 65000:100) in the same change resolves it there.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"

topo_init
TOPO_PREFIX=c2$$
topo_switch
PE1=198.18.0.1 GB=198.18.0.9 SPEA=198.18.0.2 PE2=198.18.0.4
topo_host pe1 $PE1/24
topo_host gb $GB/24

vtopod_start pe1 - <<JSON
{ "vtopo:vtopo": {
  "global": { "as": 65000, "router-id": "$PE1" },
  "neighbors": { "neighbor": [
    { "address": "$GB", "remote-as": 65000, "local-address": "$PE1",
      "timers": { "connect-retry": 2 },
      "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" } ] } } ] },
  "network-instances": { "network-instance": [
    { "name": "zone1", "route-distinguisher": "$PE1:1",
      "vpn-targets": { "vpn-target": [
        { "route-target": "target:65000:1", "route-target-type": "both" },
        { "route-target": "target:65000:101", "route-target-type": "import" },
        { "route-target": "target:65000:103", "route-target-type": "import" } ] } } ] },
  "service-topologies": { "service-topology": [
    { "name": "z1-to-z2", "route-target": "target:65000:101", "address-family": "ipv4-vpn",
      "service-node-sequence": [ "198.51.100.1" ], "ingress-vrf": [ "zone1" ] },
    { "name": "t103", "route-target": "target:65000:103", "address-family": "ipv4-vpn",
      "service-node-sequence": [ "198.51.100.1" ], "ingress-vrf": [ "zone1" ] } ] } } }
JSON
PID=$(cat "$TOPO_DIR/pe1/pid")
gobgp_start gb <(gobgp_conf gb 65000 $GB $PE1:65000)
wait_ok 20 "pe1 - gb established" vtopod_session_up pe1 $GB
gobgp_vpn4_add gb $SPEA:1 198.51.100.1/32 1001 65000:100 $SPEA
gobgp_vpn4_add gb $PE2:1 203.0.113.70/32 2001 65000:2,65000:101 $PE2
gobgp_vpn4_add gb $PE2:1 203.0.113.71/32 2002 65000:2,65000:103 $PE2
gobgp_vpn4_add gb $PE2:1 203.0.113.72/32 2003 65000:2,65000:109 $PE2

last_is() { [ "$("$@" | tail -1)" = "${ARGS_WANT:?}" ]; }
want() { # TIMEOUT DESCRIPTION WANT CMD...
	local t=$1 d=$2
	ARGS_WANT=$3
	shift 3
	wait_ok "$t" "$d" last_is "$@"
}

# 1. service IP unresolved
want 20 "z1-to-z2 in zone1: service IP unresolved" \
	"service IP unresolved in the VRF" chain_state pe1 z1-to-z2 zone1 ipv4
want 5 "203.0.113.70/32 pending in zone1" pending chain_fib pe1 zone1 203.0.113.70/32
want 5 "its reason" "service IP unresolved in the VRF" \
	chain_fib_reason pe1 zone1 203.0.113.70/32
out=$(chain_set_conf pe1 '(.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	| select(.name == "zone1") | .["vpn-targets"]["vpn-target"]) +=
	[{"route-target": "target:65000:100", "route-target-type": "import"}]') ||
	topo_die "reload adding the import of 65000:100 failed: $out"
# RT-Constraint is not configured: the route is already in vtopod's RIB
want 20 "z1-to-z2 in zone1 resolved" resolved chain_state pe1 z1-to-z2 zone1 ipv4
want 5 "203.0.113.70/32 -> S-PE-A label 1001" "$SPEA 1001" \
	chain_fib pe1 zone1 203.0.113.70/32

# 2. wrong family: refused by reload with the reason in words, t103 stays
want 5 "203.0.113.71/32 -> S-PE-A label 1001 (t103)" "$SPEA 1001" \
	chain_fib pe1 zone1 203.0.113.71/32
cp "$TOPO_DIR/pe1/vtopod.json" "$TOPO_DIR/pe1/good.json"
if out=$(chain_set_conf pe1 '(.["vtopo:vtopo"]["service-topologies"]["service-topology"][]
	| select(.name == "t103") | .["service-node-sequence"]) = ["2001:db8:100::1"]'); then
	topo_die "reload accepted an IPv6 hop in an ipv4-vpn topology: $out"
fi
topo_log "refused: $out"
grep -q 'not an IPv4 address' <<<"$out" || topo_die "the refusal does not say why: $out"
mv "$TOPO_DIR/pe1/good.json" "$TOPO_DIR/pe1/vtopod.json"
want 5 "t103 still resolved" resolved chain_state pe1 t103 zone1 ipv4

# 3. unknown VRF: refused with its name, nothing changes
TOPO_ADD='.["vtopo:vtopo"]["service-topologies"]["service-topology"] +=
	[{"name": "z9", "route-target": "target:65000:109", "address-family": "ipv4-vpn",
	  "service-node-sequence": ["198.51.100.1"], "ingress-vrf": ["zone9"]}]'
cp "$TOPO_DIR/pe1/vtopod.json" "$TOPO_DIR/pe1/good.json"
if out=$(chain_set_conf pe1 "$TOPO_ADD"); then
	topo_die "reload accepted an ingress-vrf naming no VRF: $out"
fi
topo_log "refused: $out"
grep -q zone9 <<<"$out" || topo_die "the refusal does not name zone9: $out"
[ "$(chain_state pe1 z9 zone1 ipv4)" = none ] || topo_die "z9 exists after a refused reload"
want 5 "z1-to-z2 still resolved" resolved chain_state pe1 z1-to-z2 zone1 ipv4
mv "$TOPO_DIR/pe1/good.json" "$TOPO_DIR/pe1/vtopod.json"
out=$(chain_set_conf pe1 "$TOPO_ADD"' | .["vtopo:vtopo"]["network-instances"]["network-instance"] +=
	[{"name": "zone9", "route-distinguisher": "198.18.0.1:9", "vpn-targets": {"vpn-target": [
	  {"route-target": "target:65000:109", "route-target-type": "import"},
	  {"route-target": "target:65000:100", "route-target-type": "import"}]}}]') ||
	topo_die "reload defining zone9 failed: $out"
want 20 "z9 in zone9 resolved" resolved chain_state pe1 z9 zone9 ipv4
want 5 "zone9: 203.0.113.72/32 -> S-PE-A label 1001" "$SPEA 1001" \
	chain_fib pe1 zone9 203.0.113.72/32

# no restart: the same process, the session never dropped
[ "$(cat "$TOPO_DIR/pe1/pid")" = "$PID" ] && kill -0 "$PID" ||
	topo_die "vtopod was restarted"
# GoBGP's own count of session drops (its neighbor state "flops")
flops=$(gobgp_cli gb neighbor -j | jq -r '[.. | objects | .flops? // empty] | first // "none"')
topo_log "session drops seen by GoBGP: $flops"
[ "$flops" = none ] || [ "$flops" = 0 ] || topo_die "the session to GoBGP dropped $flops times"
gobgp_session_up gb $PE1 >/dev/null || topo_die "the session to GoBGP is down"
topo_log "pending: OK"
