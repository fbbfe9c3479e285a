#!/usr/bin/env bash
# vtopod and vtopo-dp over an IPv6 underlay: two PEs peer over IPv6 (iBGP,
# ipv6-vpn), each runs vtopo-dp with an IPv6 underlay address (-u) and
# vtopod programs it (--fib-socket); a zone VRF with one IPv6 host on
# each PE (unmodified Linux, on-link default route, proxy-ND).
#
#   h1 2001:db8:1::10 --- [pe1 2001:db8:ff::1] ==== [pe2 2001:db8:ff::2] --- h2 2001:db8:2::10
#
# Checked: the session is established over IPv6; PE-1's FIB sends h2's
# host route through a tunnel to PE-2's IPv6 address (vtopoctl show fib)
# and vtopo-dp holds that tunnel and both PEs as IPv6 peers
# (underlay/pe-address); ping6 both ways; PE-2 counts what it
# decapsulated; tshark decodes PE-1's underlay as IPv6 from 2001:db8:ff::1
# to 2001:db8:ff::2, UDP 6635, PE-2's label for h2 with bottom-of-stack,
# carrying h1's echo requests with hop limit 63 (PE-1 decremented it).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
: "${VTOPOD:?VTOPOD is not set}" "${VTOPOCTL:?VTOPOCTL is not set}"
: "${VTOPO_DP:?VTOPO_DP is not set}"
topo_prefix uv$$
topo_need python3 ping ethtool tshark tcpdump jq
U1=2001:db8:ff::1 U2=2001:db8:ff::2 H1=2001:db8:1::10 H2=2001:db8:2::10

topo_switch
# the PEs: IPv6 on the bridge (topo_host's IPv4 address is unused)
topo_host pe1 198.18.0.1/24 $U1/64
topo_host pe2 198.18.0.2/24 $U2/64
# shellcheck disable=SC2034 # read by lib/fig1dp.sh (fig1_ns)
FIG1_V6=1
host() { # NAME PE ADDR
	fig1_ns "$1"
	fig1_link "$1" "$2" "$1-if"
	fig1_x "$1" ip -6 addr add "$3/64" dev eth0 nodad
	fig1_x "$1" ip -6 route add default dev eth0
}
host h1 pe1 $H1
host h2 pe2 $H2

conf() { # PE ROUTER-ID LOCAL PEER HOST ADDR
	cat <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$2"},
 "underlay": {"pe-address": ["$U1", "$U2"]},
 "neighbors": {"neighbor": [{"address": "$4", "remote-as": 65000, "local-address": "$3",
   "timers": {"connect-retry": 1}, "afi-safis": {"afi-safi": [{"name": "ipv6-vpn"}]}}]},
 "network-instances": {"network-instance": [{"name": "zone", "route-distinguisher": "$2:1",
  "vpn-targets": {"vpn-target": [{"route-target": "target:65000:1", "route-target-type": "both"}]},
  "attachments": {"attachment": [{"name": "$5", "host": "$5", "interface": "$5-if",
    "address": [{"ip": "$6", "prefix-length": 64}]}]}}]}}}
EOF
}
start() { # PE UNDERLAY CONF-ARGS...
	local pe=$1
	fig1_dp_start "$1" "$2"
	shift 2
	fig1_vtopod_start "$pe" <(conf "$@")
}
start pe1 $U1 pe1 198.18.0.1 $U1 $U2 h1 $H1
start pe2 $U2 pe2 198.18.0.2 $U2 $U1 h2 $H2
wait_ok 30 "pe1 - pe2 established over IPv6" vtopod_session_up pe1 $U2
wait_ok 30 "PE-1: $H2/128 installed" fig1_installed pe1 zone "$H2/128"
via=$(fig1_fib pe1 zone "$H2/128")
is "PE-1's FIB for $H2/128 (PE, label)" "${via%% *}" $U2
LABEL=${via#* }
is "vtopo-dp on PE-1: its tunnel's PE" \
	"$(fig1_dp_show pe1 | jq -r '[.nexthops[] | select(.type == "tunnel") | .pe] | join(",")')" $U2
is "vtopo-dp on PE-1: the IPv6 PE peers" \
	"$(fig1_dp_show pe1 | jq -r '[.peers[].address] | sort | join(",")')" "$U1,$U2"

capture_start pe1 eth0 'ip6 and udp dst port 6635' "$TOPO_DIR/underlay.pcap"
# the first packets may wait while the PEs resolve the hosts
wait_ok 20 "h1 pings h2 over the IPv6 underlay" fig1_ping6 h1 $H2
dec0=$(fig1_dp_counter pe2 decap)
fig1_x h1 ping -6 -c3 -i0.2 -W1 $H2 >"$TOPO_DIR/ping12.out" 2>&1 ||
	topo_die "h1 -> h2: pings lost"
fig1_x h2 ping -6 -c3 -i0.2 -W1 $H1 >"$TOPO_DIR/ping21.out" 2>&1 ||
	topo_die "h2 -> h1: pings lost"
is "h1 -> h2: hop limit of h2's replies (PE-2 and PE-1)" \
	"$(grep -o 'ttl=[0-9]*' "$TOPO_DIR/ping12.out" | sort -u)" ttl=62
is "PE-2 decapsulated from PE-1 (3 requests, 3 replies)" \
	$(($(fig1_dp_counter pe2 decap) - dec0)) 6
capture_stop pe1
got=$(tshark -n -r "$TOPO_DIR/underlay.pcap" -d udp.port==6635,mpls \
	-Y "ipv6.dst == $H2 && icmpv6.type == 128" -T fields -E occurrence=f \
	-e ipv6.src -e ipv6.dst -e udp.dstport -e mpls.label -e mpls.bottom 2>/dev/null | sort -u)
is "tshark: h1's echo requests on PE-1's underlay (outer src, dst, port, label, BoS)" \
	"$(tr '\t' ' ' <<<"$got")" "$U1 $U2 6635 $LABEL 1"
got=$(tshark -n -r "$TOPO_DIR/underlay.pcap" -d udp.port==6635,mpls \
	-Y "ipv6.dst == $H2 && icmpv6.type == 128" -T fields -E occurrence=l -e ipv6.hlim \
	2>/dev/null | sort -u)
is "tshark: their inner hop limit" "$got" 63
topo_log "underlay6_vtopod: OK"
