#!/usr/bin/env bash
# Figure 1 of draft-rfernando-bess-service-chaining-01 with real IPv6
# traffic: the fig1_dp setup (tests/topo/lib/fig1dp.sh) with FIG1_V6=1,
# hosts and service nodes with the golden configurations' IPv6 addresses
# (zone 1 2001:db8:1::/64, zone 2 2001:db8:2::/64, Serv-A 2001:db8:100::1,
# Serv-B 2001:db8:100::2), chained by the ipv6-vpn topologies z1-to-z2-v6
# {Serv-A, Serv-B} and z2-to-z1-v6 {Serv-B, Serv-A}.  The hosts are
# unmodified Linux with an on-link default route: vtopo-dp answers their
# Neighbor Solicitations (proxy-ND) and resolves them and the service
# nodes with its own; the underlay is IPv4 (MPLS-in-UDP carrying IPv6).
#
# Checked with the service nodes' own nftables counters (ip6 rules) and
# hop-limit sets, read inside their namespaces, the kernel's ping and TCP,
# and tshark:
#  - vm1 -> vm2: 5 pings pass Serv-A then Serv-B (5 each, IPv6 counters);
#    Serv-A sees hop limit 61 and Serv-B 58 (from 64: PE-1, S-PE-A and
#    Serv-A's own forwarding decrement it, RFC 8200 s3; then S-PE-A,
#    S-PE-B, Serv-B); the replies go Serv-B (61) then Serv-A (58) and reach
#    vm1 with 56;
#  - TCP over IPv6 to vm2 port 80 gets vm2's line; to port 23 it does not:
#    Serv-A's drop counter moves and Serv-B sees nothing zone 1 -> zone 2;
#  - vm2 -> vm1 (the reverse topology): Serv-B first (61), Serv-A (58);
#  - vm1 -> vm3 (zone 1, both on PE-1): no service node counts a packet and
#    PE-1 encapsulates none;
#  - the IPv4 counters of the service nodes did not move: the traffic above
#    was IPv6;
#  - vm3 with its default route via PE-1's link-local address (EUI-64 of
#    the PE side's MAC) instead of on-link still reaches vm2, and has the
#    PE side's MAC for it (vtopo-dp answers NS for its own address);
#  - a traceroute6 (ping -6 with hop limit 1, 2, ...) from vm1 to vm2 is
#    answered by PE-1, S-PE-A, Serv-A, S-PE-A, S-PE-B, Serv-B, S-PE-B,
#    PE-2, vm2 (the PEs' ICMPv6 Time Exceeded, RFC 4443 s3.3, from their
#    IPv4 underlay address in 64:ff9b:1::/96), and from vm2 to vm1 by the
#    reverse;
#  - a capture of PE-1's underlay decodes in tshark (-d udp.port==6635,mpls)
#    as MPLS with bottom-of-stack set carrying IPv6 vm1 -> vm2 ICMPv6 echo
#    requests with a good ICMPv6 checksum; the proxy Neighbor
#    Advertisement vm1 received from vtopo-dp decodes with a good checksum,
#    router and solicited flags set, override clear.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix d6$$
topo_need nft jq python3 ping ethtool tshark tcpdump
# shellcheck disable=SC2034 # read by lib/fig1dp.sh
FIG1_V6=1
fig1_up || topo_die "Figure 1 did not come up"
fig1_wait6 || topo_die "Figure 1 over IPv6 did not come up"
topo_log "ok: Figure 1 up, every host reaches every other over IPv4 and IPv6"
VM1=$(fig1_addr6 vm1) VM2=$(fig1_addr6 vm2) VM3=$(fig1_addr6 vm3)

# IPv6 counters between two moments: fig1_mark and fig1_delta (FIG1_V6)
no_v4() { # WHAT: the IPv4 counters did not move
	local n c
	for n in serva servb; do
		for c in z1z2 z2z1 z1z1; do
			is "$1: $n IPv4 counter $c" "$(fig1_delta $n $c)" 0
		done
	done
}

# zone 1 -> zone 2 and the replies, with PE-1's underlay captured
fig1_mark
fig1_x pe1 timeout 15 tcpdump -n -U -i eth0 -c 10 -w "$TOPO_DIR/underlay.pcap" \
	'udp dst port 6635' >"$TOPO_DIR/tcpdump.log" 2>&1 &
TCPDUMP=$!
TOPO_PIDS+=("$TCPDUMP")
wait_ok 5 "tcpdump listens" grep -q listening "$TOPO_DIR/tcpdump.log"
fig1_x vm1 ping -6 -c5 -i0.2 -W1 "$VM2" >"$TOPO_DIR/ping12.out" 2>&1 ||
	{ cat "$TOPO_DIR/ping12.out"; topo_die "vm1 -> vm2: pings lost"; }
is "vm1 -> vm2: Serv-A forwarded zone 1 -> zone 2" "$(fig1_delta serva z1z2v6)" 5
is "vm1 -> vm2: Serv-B forwarded zone 1 -> zone 2" "$(fig1_delta servb z1z2v6)" 5
is "vm1 -> vm2: Serv-A's hop limit (3 hops from vm1)" "$(fig1_ttls serva hl_z1z2)" 61
is "vm1 -> vm2: Serv-B's hop limit (6 hops: after Serv-A)" "$(fig1_ttls servb hl_z1z2)" 58
is "replies: Serv-B forwarded zone 2 -> zone 1" "$(fig1_delta servb z2z1v6)" 5
is "replies: Serv-A forwarded zone 2 -> zone 1" "$(fig1_delta serva z2z1v6)" 5
is "replies: Serv-B's hop limit (3 hops from vm2)" "$(fig1_ttls servb hl_z2z1)" 61
is "replies: Serv-A's hop limit (6 hops: after Serv-B)" "$(fig1_ttls serva hl_z2z1)" 58
is "replies at vm1: hop limit" "$(grep -o 'ttl=[0-9]*' "$TOPO_DIR/ping12.out" | sort -u)" ttl=56
no_v4 "vm1 -> vm2"
topo_reap "$TCPDUMP" 20 || true

# the capture, decoded by tshark: MPLS-in-UDP (RFC 7510) carrying IPv6
# (the request leaves PE-1 with hop limit 63 and the same label TTL)
dec=$(tshark -n -r "$TOPO_DIR/underlay.pcap" -d udp.port==6635,mpls \
	-Y "ipv6.src == $VM1 && ipv6.dst == $VM2 && icmpv6.type == 128" \
	-T fields -e mpls.bottom -e mpls.ttl -e ipv6.hlim -e icmpv6.checksum.status 2>/dev/null |
	sort -u)
is "tshark: PE-1's MPLS-in-UDP echo requests (BoS, label TTL, hop limit, checksum)" \
	"$(tr '\t' ' ' <<<"$dec")" "1 63 63 1"

# the proxy NA vm1 gets for vm2's address, captured on vm1 while its
# neighbour entry is flushed
fig1_x vm1 timeout 10 tcpdump -n -U -i eth0 -c 1 -w "$TOPO_DIR/na.pcap" \
	'icmp6 and ip6[40] == 136' >"$TOPO_DIR/tcpdump-na.log" 2>&1 &
TCPDUMP=$!
TOPO_PIDS+=("$TCPDUMP")
wait_ok 5 "tcpdump listens on vm1" grep -q listening "$TOPO_DIR/tcpdump-na.log"
fig1_x vm1 ip -6 neigh flush dev eth0
wait_ok 10 "vm1 pings vm2 again" fig1_ping6 vm1 "$VM2"
topo_reap "$TCPDUMP" 15 || true
na=$(tshark -n -r "$TOPO_DIR/na.pcap" -T fields \
	-e icmpv6.nd.na.target_address -e icmpv6.checksum.status -e icmpv6.nd.na.flag.r \
	-e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o -e ipv6.hlim 2>/dev/null | head -1)
is "tshark: proxy NA (target, checksum, R, S, O, hop limit)" "$(tr '\t' ' ' <<<"$na")" \
	"$VM2 1 1 1 0 255"

# the firewall over IPv6: port 80 passes, port 23 stops at Serv-A
fig1_tcp_server6 vm2 80 "$FIG1_BLOCKED_PORT"
wait_ok 10 "vm1 -> vm2 TCP port 80 answered over IPv6" fig1_tcp6 vm1 "$VM2" 80
is "TCP over IPv6 port 80 line" "$(fig1_tcp6 vm1 "$VM2" 80)" "hello from vm2 port 80"
fig1_mark
if fig1_tcp6 vm1 "$VM2" "$FIG1_BLOCKED_PORT"; then
	topo_die "TCP over IPv6 port $FIG1_BLOCKED_PORT passed the firewall"
fi
topo_log "ok: TCP over IPv6 port $FIG1_BLOCKED_PORT: no answer"
d=$(fig1_delta serva blocked)
[ "$d" -ge 1 ] && topo_log "ok: Serv-A dropped $d IPv6 packets to port $FIG1_BLOCKED_PORT" ||
	topo_die "Serv-A's drop counter did not move"
is "TCP port $FIG1_BLOCKED_PORT: Serv-A saw zone 1 -> zone 2" "$(fig1_delta serva z1z2v6)" "$d"
is "TCP port $FIG1_BLOCKED_PORT: Serv-B saw zone 1 -> zone 2" "$(fig1_delta servb z1z2v6)" 0

# zone 2 -> zone 1: its own topology, Serv-B first
fig1_mark
fig1_x vm2 ping -6 -c5 -i0.2 -W1 "$VM1" >"$TOPO_DIR/ping21.out" 2>&1 ||
	{ cat "$TOPO_DIR/ping21.out"; topo_die "vm2 -> vm1: pings lost"; }
is "vm2 -> vm1: Serv-B forwarded zone 2 -> zone 1" "$(fig1_delta servb z2z1v6)" 5
is "vm2 -> vm1: Serv-A forwarded zone 2 -> zone 1" "$(fig1_delta serva z2z1v6)" 5
is "vm2 -> vm1: Serv-B's hop limit (first)" "$(fig1_ttls servb hl_z2z1)" 61
is "vm2 -> vm1: Serv-A's hop limit (second)" "$(fig1_ttls serva hl_z2z1)" 58
no_v4 "vm2 -> vm1"

# inside zone 1: no service node, no tunnel
fig1_mark
enc=$(fig1_dp_counter pe1 encap)
fig1_x vm1 ping -6 -c5 -i0.2 -W1 "$VM3" >"$TOPO_DIR/ping13.out" 2>&1 ||
	{ cat "$TOPO_DIR/ping13.out"; topo_die "vm1 -> vm3: pings lost"; }
for n in serva servb; do
	for c in z1z2v6 z2z1v6 z1z1v6; do
		is "vm1 -> vm3: $n counter $c" "$(fig1_delta $n $c)" 0
	done
done
is "vm1 -> vm3: packets PE-1 encapsulated" $(($(fig1_dp_counter pe1 encap) - enc)) 0
is "vm1 -> vm3: hop limit at vm3's replies" "$(grep -o 'ttl=[0-9]*' "$TOPO_DIR/ping13.out" | sort -u)" ttl=63
# a host may use the PE as its gateway by its link-local address instead
# (fe80:: + the modified EUI-64 of the PE side's MAC, RFC 4291 appendix A):
# vm3's default route via it still reaches vm2
mac=$(fig1_x pe1 cat /sys/class/net/vm3-if/address)
IFS=: read -r m0 m1 m2 m3 m4 m5 <<<"$mac"
gw=$(printf 'fe80::%x:%x:%x:%x' $(((0x$m0 ^ 2) << 8 | 0x$m1)) $((0x$m2 << 8 | 0xff)) \
	$((0xfe << 8 | 0x$m3)) $((0x$m4 << 8 | 0x$m5)))
fig1_x vm3 ip -6 route replace default via "$gw" dev eth0
wait_ok 10 "vm3 pings vm2 with its default route via $gw" fig1_ping6 vm3 "$VM2"
is "vm3's neighbour entry for $gw" \
	"$(fig1_x vm3 ip -6 neigh show "$gw" dev eth0 | grep -o 'lladdr [0-9a-f:]*')" "lladdr $mac"

# the path hop by hop: who answers hop limit 1, 2, ...  The PEs from
# their IPv4 underlay address in 64:ff9b:1::/96 (RFC 8215; vtopod gives
# vtopo-dp's interfaces no address), the service nodes from their own
E=64:ff9b:1:: SA=$(fig1_addr6 serva) SB=$(fig1_addr6 servb)
PE1=${E}c612:1 SPEA=${E}c612:2 SPEB=${E}c612:3 PE2=${E}c612:4
want=$(printf '%s\n' $PE1 $SPEA $SA $SPEA $SPEB $SB $SPEB $PE2 "$VM2" | nl -w1 -s' ')
is "traceroute6 vm1 -> vm2" "$(fig1_trace6 vm1 "$VM2" | tr '\n' ,)" "$(tr '\n' , <<<"$want")"
want=$(printf '%s\n' $PE2 $SPEB $SB $SPEB $SPEA $SA $SPEA $PE1 "$VM1" | nl -w1 -s' ')
is "traceroute6 vm2 -> vm1" "$(fig1_trace6 vm2 "$VM1" | tr '\n' ,)" "$(tr '\n' , <<<"$want")"
topo_log "fig1_dp6: OK"
