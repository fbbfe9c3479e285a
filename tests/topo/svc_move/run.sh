#!/usr/bin/env bash
# A service node moves to another service-PE, then changes its label
# (draft s4.1.3: "a significant benefit of this next-hop indirection is to
# avoid redundant advertisements of zone prefixes"), VPN-IPv4 and VPN-IPv6.
#
#   pe1   198.18.0.1    PE-1 (vtopod), zone1 ingress of z1-to-z2(-v6)
#   spea  198.18.0.2    S-PE-A (vtopod), Serv-A 198.51.100.1, 2001:db8:100::1
#   speb  198.18.0.3    S-PE-B (vtopod), Serv-B
#   spec  198.18.0.5    S-PE-C (GoBGP): Serv-A's new home
#   gb    198.18.0.100  GoBGP as PE-2: N zone-2 prefixes 198.19.i.0/24 and
#                       2001:db8:2:(i+1)::/64, next hop 198.18.0.4, RTs 65000:2
#                       and the topology RT 65000:101 (v4) or 65000:111 (v6)
#   rr    198.18.0.254  vtopod route reflector (tests/config/fig1-*.json)
#
# 1. PE-1's zone1 sends all 2N zone prefixes to Serv-A at S-PE-A.
# 2. The move: S-PE-C advertises Serv-A's addresses (own RD, next hop and
#    labels), S-PE-A loses its Serv-A attachment by reload (withdrawing
#    its routes): all 2N re-point to S-PE-C with S-PE-C's labels.
# 3. S-PE-C changes the labels only: all 2N follow.
# 4. The attachment moves on to S-PE-B (a reload gives it Serv-A's VRFs
#    and node) and S-PE-C withdraws: all 2N go to S-PE-B with the labels
#    vtopod allocated there, and S-PE-B's new serv-a-out hands them to
#    Serv-B's local interface.
# Expected next hops and labels: Serv-A's route as GoBGP PE-2 receives it
# from the RR.  No zone prefix is advertised again: on the RR's link
# (tcpdump, tshark) the packets carrying a zone-2 prefix do not grow while
# every UPDATE of the move carries Serv-A's route, and GoBGP PE-2's own
# count of UPDATEs sent does not move; S-PE-B keeps the prefixes' own
# next hop and labels.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"
. "$(dirname "$0")/../lib/fig1tab.sh"

topo_init
topo_switch
SPEC=198.18.0.5 N=50
SA4=198.51.100.1/32 SA6=2001:db8:100::1/128
for h in pe1:$PE1 spea:$SPEA speb:$SPEB rr:$RR gb:$GB spec:$SPEC; do
	topo_host "${h%%:*}" "${h#*:}/24"
done
capture_start rr
jq "$CHAIN_V.neighbors.neighbor += [{\"address\": \"$GB\", \"peer-group\": \"pes\"},
	{\"address\": \"$SPEC\", \"peer-group\": \"pes\"}]" "$FIG1TAB_CONF/fig1-rr.json" >"$TOPO_DIR/rr.json"
vtopod_start rr "$TOPO_DIR/rr.json"
fig1tab_pes pe1:pe1 spea:spe-a speb:spe-b
for h in gb:$GB spec:$SPEC; do
	GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf "${h%%:*}" 65000 "${h#*:}" \
		$RR:65000 >"$TOPO_DIR/${h%%:*}.toml"
	gobgp_start "${h%%:*}" "$TOPO_DIR/${h%%:*}.toml"
done
for h in pe1:$PE1 spea:$SPEA speb:$SPEB gb:$GB spec:$SPEC; do
	wait_ok 30 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
done
for i in $(seq 0 $((N - 1))); do
	gobgp_cli gb global rib -a vpnv4 add 198.19.$i.0/24 label $((3100 + i)) rd $PE2:1 \
		rt 65000:2 65000:101 nexthop $PE2
	gobgp_cli gb global rib -a vpnv6 add 2001:db8:2:$((i + 1))::/64 label $((3200 + i)) rd $PE2:1 \
		rt 65000:2 65000:111 nexthop ::ffff:$PE2
done

# The zone prefixes in NAME's VRF going to "NEXTHOP LABEL", per family.
Z4='^198\.19\.[0-9]+\.0/24 z1-to-z2' Z6='^2001:db8:2:[0-9]+::/64 z1-to-z2-v6'
count() { # NAME VRF REGEX
	chain_fib_all "$1" "$2" | grep -cE -- "$3" || true
}
# PE-1: all N of each family to Serv-A as GoBGP PE-2 sees its route
pe1_follows() {
	local sa4 sa6
	sa4=$(fig1tab_nh gb $SA4) sa6=$(fig1tab_nh gb $SA6)
	echo "Serv-A in GoBGP: $sa4 / $sa6"
	[ "$(wc -l <<<"$sa4")" = 1 ] && [ "$(wc -l <<<"$sa6")" = 1 ] || return 1
	[ "$(count pe1 zone1 "$Z4 $sa4\$")" = $N ] && [ "$(count pe1 zone1 "$Z6 $sa6\$")" = $N ]
}
# S-PE-B, the last service-PE: each prefix's own next hop and label
speb_own() {
	local i bad=0
	chain_fib_all speb serv-b-out >"$TOPO_DIR/speb.fib"
	for i in $(seq 0 $((N - 1))); do
		grep -qx "198.19.$i.0/24 z1-to-z2 $PE2 $((3100 + i))" "$TOPO_DIR/speb.fib" &&
			grep -qx "2001:db8:2:$((i + 1))::/64 z1-to-z2-v6 $PE2 $((3200 + i))" "$TOPO_DIR/speb.fib" ||
			bad=$((bad + 1))
	done
	echo "$bad wrong"
	[ $bad = 0 ]
}
sa_is() { # NEXTHOP: the only path to Serv-A (both families) in GoBGP PE-2's RIB
	local a b
	a=$(fig1tab_nh gb $SA4) b=$(fig1tab_nh gb $SA6)
	echo "$a / $b"
	[ "${a%% *}" = "$1" ] && [ "${b%% *}" = "$1" ] && [ "$(wc -l <<<"$a$b")" = 1 ]
}
is_local_b() { # S-PE-B's serv-a-out: the next node, Serv-B, is local
	[ "$(count speb serv-a-out "$Z4 local\$")" = $N ] && [ "$(count speb serv-a-out "$Z6 local\$")" = $N ]
}
sa_label() { # LABEL4 LABEL6: GoBGP PE-2 has them
	[ "$(fig1tab_nh gb $SA4)" = "$SPEC $1" ] && [ "$(fig1tab_nh gb $SA6)" = "$SPEC $2" ]
}

wait_ok 30 "Serv-A at S-PE-A in GoBGP's RIB" sa_is $SPEA
wait_ok 30 "PE-1: $N + $N zone prefixes -> Serv-A at S-PE-A" pe1_follows
wait_ok 30 "S-PE-B: every zone prefix -> PE-2 with its own label" speb_own
# every copy of the zone prefixes is through the RR before the count: to
# S-PE-A's out-VRF and to GoBGP S-PE-C too (PE-1 and S-PE-B above)
zones_at() { # NAME VRF
	[ "$(count "$1" "$2" "$Z4")" = $N ] && [ "$(count "$1" "$2" "$Z6")" = $N ]
}
spec_zones() {
	[ "$(fig1tab_rib spec | grep -cE '"prefix":"(198\.19\.|2001:db8:2:)')" = $((2 * N)) ]
}
wait_ok 30 "S-PE-A: $N + $N zone prefixes" zones_at spea serv-a-out
wait_ok 30 "GoBGP S-PE-C: $N + $N zone prefixes" spec_zones

# Packets on the RR's link (tcpdump, tshark): those with a zone-2 prefix,
# with Serv-A's route, with an UPDATE (tshark decodes VPN-IPv6 NLRI as text
# only: the address bytes).  The move is read in the packets captured
# after the baseline, once everything before it has settled (above): the
# initial table spans TCP segments, the move's few UPDATEs do not.
ZONE_F='bgp.mp_reach_nlri_ipv4_prefix == 198.19.0.0/16 ||
  bgp.mp_unreach_nlri_ipv4_prefix == 198.19.0.0/16 || bgp contains 20:01:0d:b8:00:02'
SA_F='bgp.mp_reach_nlri_ipv4_prefix == 198.51.100.1 ||
  bgp.mp_unreach_nlri_ipv4_prefix == 198.51.100.1 || bgp contains 20:01:0d:b8:01:00:00:00:00'
pk() { tshark -r "$TOPO_DIR/rr/bgp.pcap" -n -Y "$1" 2>/dev/null | wc -l; }
gb_sent() { gobgp_updates gb | cut -d' ' -f1; }
base=$(pk frame)
zone0=$(pk "$ZONE_F") z6=$(pk 'bgp contains 20:01:0d:b8:00:02')
sent0=$(gb_sent)
topo_log "wire before: $base packets, $zone0 with zone prefixes ($z6 VPN-IPv6); GoBGP PE-2 sent $sent0"
[ "$z6" -gt 0 ] && [ "$zone0" -gt "$z6" ] || topo_die "the capture holds no zone prefix of one family"

# 2. the move
gobgp_cli spec global rib -a vpnv4 add $SA4 label 5000 rd $SPEC:1 rt 65000:100 nexthop $SPEC
gobgp_cli spec global rib -a vpnv6 add $SA6 label 5001 rd $SPEC:1 rt 65000:100 nexthop ::ffff:$SPEC
out=$(chain_set_conf spea "del($CHAIN_V[\"service-nodes\"][\"service-node\"][]
  | select(.name == \"serv-a\" or .name == \"serv-a-v6\"))") || topo_die "reload on S-PE-A: $out"
wait_ok 30 "Serv-A only at S-PE-C in GoBGP's RIB" sa_is $SPEC
wait_ok 30 "PE-1: $N + $N zone prefixes -> Serv-A at S-PE-C" pe1_follows

# 3. the labels only
gobgp_cli spec global rib -a vpnv4 add $SA4 label 6000 rd $SPEC:1 rt 65000:100 nexthop $SPEC
gobgp_cli spec global rib -a vpnv6 add $SA6 label 6001 rd $SPEC:1 rt 65000:100 nexthop ::ffff:$SPEC
wait_ok 30 "GoBGP PE-2 has Serv-A's new labels" sa_label 6000 6001
wait_ok 30 "PE-1: $N + $N zone prefixes -> S-PE-C's new labels" pe1_follows
wait_ok 30 "S-PE-B: every zone prefix still -> PE-2 with its own label" speb_own
check "S-PE-B: Serv-A's route now via S-PE-C" chain_is "$SPEC 6000" chain_fib speb serv-b-out $SA4

# 4. the attachment moves to S-PE-B, a vtopod (its own labels), and S-PE-C
# withdraws: PE-1 sends all to S-PE-B, whose new serv-a-out hands them to
# Serv-B on the same PE (its local interface)
SERVA_B=$(jq -c . <<'EOF_JSON'
{"vrfs": [
  {"name": "serv-a-in", "route-distinguisher": "198.18.0.3:5", "vpn-targets": {"vpn-target": [
    {"route-target": "target:65000:100", "route-target-type": "export"}]}},
  {"name": "serv-a-out", "route-distinguisher": "198.18.0.3:6", "vpn-targets": {"vpn-target": [
    {"route-target": "target:65000:100", "route-target-type": "import"},
    {"route-target": "target:65000:101", "route-target-type": "import"},
    {"route-target": "target:65000:111", "route-target-type": "import"}]}}],
 "nodes": [
  {"name": "serv-a", "address": "198.51.100.1", "interface": "serv-a",
   "in-vrf": "serv-a-in", "out-vrf": "serv-a-out", "label-mode": "direct"},
  {"name": "serv-a-v6", "address": "2001:db8:100::1", "interface": "serv-a",
   "in-vrf": "serv-a-in", "out-vrf": "serv-a-out"}]}
EOF_JSON
)
out=$(chain_set_conf speb "$SERVA_B as \$m | $CHAIN_V[\"network-instances\"][\"network-instance\"] += \$m.vrfs
  | $CHAIN_V[\"service-nodes\"][\"service-node\"] += \$m.nodes") || topo_die "reload on S-PE-B: $out"
gobgp_cli spec global rib -a vpnv4 del $SA4 label 6000 rd $SPEC:1
gobgp_cli spec global rib -a vpnv6 del $SA6 label 6001 rd $SPEC:1
wait_ok 30 "Serv-A only at S-PE-B in GoBGP's RIB" sa_is $SPEB
wait_ok 30 "PE-1: $N + $N zone prefixes -> Serv-A at S-PE-B" pe1_follows
wait_ok 30 "S-PE-B serv-a-out: $N + $N zone prefixes -> Serv-B's interface" is_local_b
wait_ok 30 "S-PE-B serv-b-out: every zone prefix still -> PE-2 with its own label" speb_own

new="frame.number > $base"
zone=$(pk "$new && ($ZONE_F)") upd=$(pk "$new && bgp.type == 2")
sa=$(pk "$new && bgp.type == 2 && ($SA_F)") sent1=$(gb_sent)
topo_log "wire during the moves: $upd packets with an UPDATE, $sa with Serv-A's route, $zone with a zone prefix; GoBGP PE-2 sent $sent1"
[ "$sa" -gt 0 ] || topo_die "no UPDATE with Serv-A's route in the capture"
[ "$zone" = 0 ] || topo_die "zone prefixes advertised again: $zone packets"
[ "$upd" = "$sa" ] || topo_die "$((upd - sa)) packets of UPDATEs during the moves without Serv-A's route"
[ "$sent1" = "$sent0" ] || topo_die "GoBGP PE-2 sent $((sent1 - sent0)) UPDATEs"
topo_log "svc_move: OK"
