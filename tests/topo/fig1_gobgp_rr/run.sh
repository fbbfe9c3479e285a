#!/usr/bin/env bash
# The control plane of Figure 1 of draft-rfernando-bess-service-chaining-01
# with GoBGP as the route reflector: four vtopods (tests/config/fig1-*.json)
# are clients of a gobgpd at 198.18.0.254 (route-reflector-client, families
# l3vpn-ipv4-unicast, l3vpn-ipv6-unicast and rtc, so GoBGP also filters by
# RT-Constraint, RFC 4684).  Each PE's RT membership in GoBGP's RTC table is
# exactly the RTs its configuration imports.
#
#   pe1   198.18.0.1    PE-1, zone 1: VM-1 203.0.113.10, 2001:db8:1::10
#   spea  198.18.0.2    S-PE-A, Serv-A 198.51.100.1, 2001:db8:100::1
#   speb  198.18.0.3    S-PE-B, Serv-B 198.51.100.2, 2001:db8:100::2
#   pe2   198.18.0.4    PE-2, zone 2: VM-2 203.0.113.70, 2001:db8:2::10;
#                       and (added here) zone 1: VM-3 203.0.113.20, 2001:db8:1::20
#   rr    198.18.0.254  GoBGP
#
# z1-to-z2 (RT 65000:101, VPN-IPv4) and z1-to-z2-v6 (65000:111, VPN-IPv6)
# are {Serv-A, Serv-B} from PE-1's zone1; z2-to-z1 and z2-to-z1-v6 are
# {Serv-B, Serv-A} from PE-2's zone2.  Every route VRF of every PE must
# hold exactly (`vtopoctl -j show fib`, all routes, both families):
#  - service-node routes and intra-zone routes (s2, s4.1.1): the route's
#    own next hop and label;
#  - s4.1.3 step 1-3 in an ingress zone VRF: the zone prefix of the other
#    zone -> the first service node's PE and label; in the out-VRF of a
#    node that is not last: -> the next node's PE and label;
#  - step 4 in the out-VRF of the last node: the zone prefix's own next
#    hop and label.
# Every expected next hop and label is read from GoBGP's RIB (what the
# owning PE advertised, as the second implementation decoded it), never
# from vtopod's output.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"
. "$(dirname "$0")/../lib/fig1tab.sh"

topo_init
topo_switch
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR; do
	topo_host "${h%%:*}" "${h#*:}/24"
done
{
	printf '[global.config]\n  as = 65000\n  router-id = "%s"\n' $RR
	printf '  local-address-list = ["%s"]\n' $RR
	for n in $PE1 $SPEA $SPEB $PE2; do
		printf '[[neighbors]]\n  [neighbors.config]\n'
		printf '    neighbor-address = "%s"\n    peer-as = 65000\n' $n
		printf '  [neighbors.route-reflector.config]\n'
		printf '    route-reflector-client = true\n    route-reflector-cluster-id = "%s"\n' $RR
		for f in l3vpn-ipv4-unicast l3vpn-ipv6-unicast rtc; do
			printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n'
			printf '      afi-safi-name = "%s"\n' $f
		done
	done
} >"$TOPO_DIR/rr.toml"
gobgp_start rr "$TOPO_DIR/rr.toml"

# PE-2 also has a zone-1 VRF with VM-3: intra-zone traffic between PE-1
# and PE-2 (draft s2)
fig1tab_pes pe1:pe1 spea:spe-a speb:spe-b pe2:pe2:"$FIG1_ZONE1_PE2"
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2; do
	wait_ok 30 "rr - ${h%%:*} established" gobgp_session_up rr "${h#*:}"
done
wait_ok 30 "GoBGP holds one path to each of the ten routes" fig1tab_gobgp_all rr
# RT-Constraint (RFC 4684 s3, draft s5.2): each PE's membership in GoBGP's
# RTC table is exactly the RTs its configuration imports (its VRFs' import
# RTs and the service-topology RTs, by which zone prefixes are imported)
rtc_want() { # NAME
	jq -r '.["vtopo:vtopo"] | [(.["network-instances"]["network-instance"][]?
	  | .["vpn-targets"]["vpn-target"][] | select(.["route-target-type"] != "export")
	  | .["route-target"]), (.["service-topologies"]["service-topology"][]? | .["route-target"])]
	  | map(sub("^target:"; "65000:")) | unique[]' "$TOPO_DIR/$1.json"
}
rtc_have() { # ADDRESS
	gobgp_cli rr global rib -a rtc -j | jq -r --arg a "$1" \
	  'to_entries[] | select(any(.value[]; .["neighbor-ip"] == $a)) | .key' | sort
}
rtc_is() { [ -n "$(rtc_want "$1")" ] && diff <(rtc_want "$1") <(rtc_have "$2"); }
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2; do
	wait_ok 20 "GoBGP: ${h%%:*}'s RT membership" rtc_is "${h%%:*}" "${h#*:}"
done
fig1tab_expect rr
fig1tab_check
topo_log "fig1_gobgp_rr: OK"
