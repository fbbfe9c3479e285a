#!/usr/bin/env bash
# vtopo-dp over an IPv6 underlay: two PEs whose vtopo-dp (-u with an IPv6
# address) send MPLS-in-UDP (RFC 7510) to each other's IPv6 address, each
# programmed by tests/dp/fibprog.py (an independent writer of the FIB
# protocol) with TUNNEL next hops and PEER addresses in IPv6.  A host on
# each PE, IPv4 and IPv6, with an on-link default route (vtopo-dp answers
# ARP and NS for what its VRF routes).
#
#   h1 --- [pe1] ==== 2001:db8:ff::/64 (bridge) ==== [pe2] --- h2
#   203.0.113.10                                          203.0.113.70
#   2001:db8:1::10     label 100 ->   <- label 200       2001:db8:2::10
#
# Checked: ping and ping6 from h1 to h2 and back over the IPv6 underlay;
# a capture on PE-1's underlay decodes in tshark (-d udp.port==6635,mpls)
# as IPv6 from 2001:db8:ff::1 to 2001:db8:ff::2, UDP 6635, label 100 with
# bottom-of-stack, carrying the hosts' IPv6 and IPv4 echo requests; PE-2
# counts the packets it decapsulated from its IPv6 peer.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
: "${VTOPO_DP:?VTOPO_DP is not set}"
topo_prefix u6$$
topo_need python3 ping ethtool tshark tcpdump jq
PROG="python3 $(cd "$(dirname "$0")/../../dp" && pwd)/fibprog.py"
U1=2001:db8:ff::1 U2=2001:db8:ff::2
H1=203.0.113.10 H2=203.0.113.70 H16=2001:db8:1::10 H26=2001:db8:2::10

topo_switch
# the PEs: IPv6 on the bridge (the IPv4 address is topo_host's and unused)
topo_host pe1 198.18.0.1/24 $U1/64
topo_host pe2 198.18.0.2/24 $U2/64
# the hosts: IPv4 and IPv6, everything on-link
# shellcheck disable=SC2034 # read by lib/fig1dp.sh (fig1_ns)
FIG1_V6=1
host() { # NAME PE ADDR4 ADDR6
	fig1_ns "$1"
	fig1_link "$1" "$2" "$1-if"
	fig1_x "$1" ip addr add "$3/26" dev eth0
	fig1_x "$1" ip route add default dev eth0
	fig1_x "$1" ip -6 addr add "$4/64" dev eth0 nodad
	fig1_x "$1" ip -6 route add default dev eth0
}
host h1 pe1 $H1 $H16
host h2 pe2 $H2 $H26
wait_ok 10 "PE-1 reaches PE-2 over IPv6" fig1_x pe1 ping -6 -c1 -W1 $U2

# vtopo-dp on each PE, IPv6 underlay
fig1_dp_start pe1 $U1
fig1_dp_start pe2 $U2
program() { # PE IF LOCAL-V4 LOCAL-V6 REMOTE-V4 REMOTE-V6 PEER OUT-LABEL IN-LABEL
	cat >"$TOPO_DIR/$1/ops.json" <<EOF
[{"op": "vrf", "id": 1, "name": "zone"},
 {"op": "if", "id": 1, "name": "$2", "role": "attach", "vrf": 1, "addr": [], "mtu": 0},
 {"op": "nh", "id": 1, "type": "local", "if": 1, "gw": ""},
 {"op": "nh", "id": 2, "type": "tunnel", "pe": "$7", "labels": [$8]},
 {"op": "route", "vrf": 1, "prefix": "$3/32", "nh": 1},
 {"op": "route", "vrf": 1, "prefix": "$4/128", "nh": 1},
 {"op": "route", "vrf": 1, "prefix": "$5/32", "nh": 2},
 {"op": "route", "vrf": 1, "prefix": "$6/128", "nh": 2},
 {"op": "label", "label": $9, "nh": 1},
 {"op": "peer", "addr": "$7"}]
EOF
	fig1_x "$1" $PROG "$TOPO_DIR/$1/dp.sock" 1 "$TOPO_DIR/$1/ops.json" >/dev/null
}
program pe1 h1-if $H1 $H16 $H2 $H26 $U2 100 200 || topo_die "PE-1 not programmed"
program pe2 h2-if $H2 $H26 $H1 $H16 $U1 200 100 || topo_die "PE-2 not programmed"
topo_log "ok: both vtopo-dp programmed with IPv6 tunnels and peers"

capture_start pe1 eth0 'ip6 and udp dst port 6635' "$TOPO_DIR/underlay.pcap"
# the first packets may be lost while the PEs resolve the hosts
wait_ok 20 "h1 pings h2 over IPv6 (IPv6 underlay)" fig1_x h1 ping -6 -c1 -W1 $H26
wait_ok 20 "h1 pings h2 over IPv4 (IPv6 underlay)" fig1_x h1 ping -c1 -W1 $H2
dec0=$(fig1_dp_show pe2 | jq -r '.counters.decap.packets')
fig1_x h1 ping -6 -c3 -i0.2 -W1 $H26 >/dev/null || topo_die "h1 -> h2 IPv6: pings lost"
fig1_x h1 ping -c3 -i0.2 -W1 $H2 >/dev/null || topo_die "h1 -> h2 IPv4: pings lost"
fig1_x h2 ping -6 -c3 -i0.2 -W1 $H16 >/dev/null || topo_die "h2 -> h1 IPv6: pings lost"
topo_log "ok: ping and ping6 both ways"
is "PE-2 decapsulated from its IPv6 peer (6 requests, 3 replies)" \
	$(($(fig1_dp_show pe2 | jq -r '.counters.decap.packets') - dec0)) 9
capture_stop pe1
# the outer IPv6 header is the first ipv6.src/ipv6.dst; tshark lists the
# inner one after it in the same field
got=$(tshark -n -r "$TOPO_DIR/underlay.pcap" -d udp.port==6635,mpls \
	-Y "ipv6.dst == $H26 && icmpv6.type == 128" -T fields -E occurrence=f \
	-e ipv6.src -e ipv6.dst -e udp.dstport -e mpls.label -e mpls.bottom 2>/dev/null | sort -u)
is "tshark: h1's IPv6 echo requests on PE-1's underlay (outer src, dst, port, label, BoS)" \
	"$(tr '\t' ' ' <<<"$got")" "$U1 $U2 6635 100 1"
got=$(tshark -n -r "$TOPO_DIR/underlay.pcap" -d udp.port==6635,mpls \
	-Y "ip.dst == $H2 && icmp.type == 8" -T fields -E occurrence=f \
	-e ipv6.src -e ipv6.dst -e udp.dstport -e mpls.label -e mpls.bottom 2>/dev/null | sort -u)
is "tshark: h1's IPv4 echo requests in the IPv6 underlay" "$(tr '\t' ' ' <<<"$got")" \
	"$U1 $U2 6635 100 1"
topo_log "underlay6_dp: OK"
