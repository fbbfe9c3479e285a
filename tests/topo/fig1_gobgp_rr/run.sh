#!/usr/bin/env bash
# The control plane of Figure 1 of draft-rfernando-bess-service-chaining-01
# with GoBGP as the route reflector: four vtopods (tests/config/fig1-*.json)
# are clients of a gobgpd at 198.18.0.254 (route-reflector-client, families
# l3vpn-ipv4-unicast, l3vpn-ipv6-unicast and rtc, so GoBGP also filters by
# RT-Constraint, RFC 4684).
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

topo_init
topo_switch
CONF=$(cd "$(dirname "$0")/../../config" && pwd)
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
ZONE1_PE2='{"name": "zone1", "route-distinguisher": "198.18.0.4:3",
  "vpn-targets": {"vpn-target": [{"route-target": "target:65000:1", "route-target-type": "both"}]},
  "attachments": {"attachment": [{"name": "vm3", "host": "vm3", "interface": "vm3-z1",
    "address": [{"ip": "203.0.113.20", "prefix-length": 26},
                {"ip": "2001:db8:1::20", "prefix-length": 64}]}]}}'
ZONE1_PE2=$(jq -c . <<<"$ZONE1_PE2")
retry="$CHAIN_V.neighbors.neighbor[].timers = {\"connect-retry\": 2}"
for h in pe1:pe1:. spea:spe-a:. speb:spe-b:. \
	pe2:pe2:"$CHAIN_V[\"network-instances\"][\"network-instance\"] += [$ZONE1_PE2]"; do
	IFS=: read -r n f q <<<"$h"
	jq "$q | $retry" "$CONF/fig1-$f.json" >"$TOPO_DIR/$n.json"
	vtopod_start "$n" "$TOPO_DIR/$n.json"
done
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2; do
	wait_ok 30 "rr - ${h%%:*} established" gobgp_session_up rr "${h#*:}"
done

# GoBGP's RIB, one normalized line per path, both families
gb_rib() {
	{
		gobgp_cli rr global rib -a vpnv4 -j | norm rib gobgp
		gobgp_cli rr global rib -a vpnv6 -j | norm rib gobgp
	}
}
# "NEXTHOP LABEL" of the only path to PREFIX in GoBGP's RIB
gb_nh() { # PREFIX
	gb_rib | jq -r --arg p "$1" 'select(.prefix == $p) | "\(.nexthop) \(.label)"'
}
V4=(203.0.113.10/32 203.0.113.20/32 203.0.113.70/32 198.51.100.1/32 198.51.100.2/32)
V6=(2001:db8:1::10/128 2001:db8:1::20/128 2001:db8:2::10/128 2001:db8:100::1/128 2001:db8:100::2/128)
gb_all() { # one path per prefix, for all ten
	local p n bad=0
	for p in "${V4[@]}" "${V6[@]}"; do
		n=$(gb_nh "$p" | wc -l)
		[ "$n" = 1 ] || { echo "$p: $n paths"; bad=1; }
	done
	return $bad
}
wait_ok 30 "GoBGP holds one path to each of the ten routes" gb_all

# The expected tables, per family: VM1 VM3 VM2 SERV-A SERV-B
declare -A want
expect() { # VM1 VM3 VM2 SA SB SUFFIX(of the topology names)
	local vm1=$1 vm3=$2 vm2=$3 sa=$4 sb=$5 s=$6 nvm1 nvm3 nvm2 nsa nsb
	nvm1=$(gb_nh "$vm1") nvm3=$(gb_nh "$vm3") nvm2=$(gb_nh "$vm2")
	nsa=$(gb_nh "$sa") nsb=$(gb_nh "$sb")
	topo_log "GoBGP: VM-1 $nvm1, VM-3 $nvm3, VM-2 $nvm2, Serv-A $nsa, Serv-B $nsb"
	# the service-node and zone routes come from their owners
	[ "${nvm1%% *}" = $PE1 ] && [ "${nvm3%% *}" = $PE2 ] && [ "${nvm2%% *}" = $PE2 ] &&
		[ "${nsa%% *}" = $SPEA ] && [ "${nsb%% *}" = $SPEB ] ||
		topo_die "GoBGP's next hops are not the owning PEs"
	want[pe1:zone1]+="$sa - $nsa
$sb - $nsb
$vm1 - local
$vm3 - $nvm3
$vm2 z1-to-z2$s $nsa
"
	want[spea:serv-a-out]+="$sa - local
$sb - $nsb
$vm1 z2-to-z1$s $nvm1
$vm2 z1-to-z2$s $nsb
"
	want[speb:serv-b-out]+="$sa - $nsa
$sb - local
$vm1 z2-to-z1$s $nsa
$vm2 z1-to-z2$s $nvm2
"
	want[pe2:zone2]+="$sa - $nsa
$sb - $nsb
$vm1 z2-to-z1$s $nsb
$vm2 - local
"
	want[pe2:zone1]+="$vm1 - $nvm1
$vm3 - local
"
}
expect "${V4[@]}" ""
expect "${V6[@]}" -v6

fib_eq() { # NAME VRF
	local have exp
	have=$(chain_fib_all "$1" "$2")
	exp=$(sort <<<"${want[$1:$2]%$'\n'}")
	diff <(echo "$exp") <(echo "$have")
}
for k in pe1:zone1 spea:serv-a-out speb:serv-b-out pe2:zone2 pe2:zone1; do
	wait_ok 30 "${k%%:*} ${k#*:}: exactly the draft's next hops" fib_eq "${k%%:*}" "${k#*:}"
done
topo_log "fig1_gobgp_rr: OK"
