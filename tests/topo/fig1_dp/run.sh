#!/usr/bin/env bash
# Figure 1 of draft-rfernando-bess-service-chaining-01 with real traffic:
# five vtopods (tests/config/fig1-*.json), vtopo-dp under every PE, hosts in
# zone 1 (vm1, vm3 on PE-1) and zone 2 (vm2 on PE-2), Serv-A (a firewall
# dropping TCP port 23) behind S-PE-A and Serv-B behind S-PE-B, both plain
# Linux routers with nftables counters (tests/topo/lib/fig1dp.sh).
#
# Checked with the service nodes' own nftables counters and TTL sets, read
# inside their namespaces, and with the kernel's ping and TCP:
#  - zone 1 -> zone 2 (topology z1-to-z2 {Serv-A, Serv-B}, s4.1.3): 5 pings
#    pass Serv-A and Serv-B, 5 each; Serv-A first: it sees TTL 61 and Serv-B
#    58.  Every data-plane hop decrements the TTL once (RFC 3032 s2.4.3 at
#    the label push and pop edges, RFC 1812 s5.3.1 in the nodes, whose
#    forward hook runs after it): from 64, PE-1 -> S-PE-A -> Serv-A (3),
#    then S-PE-A -> S-PE-B -> Serv-B (3 more);
#  - the replies come back through z2-to-z1 {Serv-B, Serv-A}: Serv-B sees
#    TTL 61, Serv-A 58, and vm1 gets them with 56 (two PEs more);
#  - TCP to port 80 of vm2 gets vm2's line; to port 23 it does not: Serv-A
#    counts the drops and Serv-B sees no packet zone 1 -> zone 2;
#  - vm2 pings vm1 (z2-to-z1): Serv-B first (TTL 61), then Serv-A (58);
#  - vm1 pings vm3 (same zone, same PE): no service node sees a packet and
#    PE-1's vtopo-dp encapsulates none;
#  - a traceroute (ping with TTL 1, 2, ...) from vm1 to vm2 is answered by
#    PE-1, S-PE-A, Serv-A, S-PE-A, S-PE-B, Serv-B, S-PE-B, PE-2, vm2 (the
#    PEs from their underlay address: vtopod gives vtopo-dp's interfaces no
#    address, RFC 1812 s4.3.2.4), and from vm2 to vm1 by the reverse.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix dm$$
topo_need nft jq python3 ping ethtool
fig1_up || topo_die "Figure 1 did not come up"
topo_log "ok: Figure 1 up, every host reaches every other"
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2) VM3=$(fig1_addr vm3)

# zone 1 -> zone 2 and the replies
fig1_ping_z1z2 vm1 "$VM2" 5
is "replies: Serv-B's TTL (3 hops from vm2)" "$(fig1_ttls servb ttl_z2z1)" 61
is "replies: Serv-A's TTL (6 hops: after Serv-B)" "$(fig1_ttls serva ttl_z2z1)" 58
is "replies at vm1: TTL" "$(grep -o 'ttl=[0-9]*' "$TOPO_DIR/ping-vm1-$VM2.out" | sort -u)" ttl=56

# the firewall: port 80 passes, port 23 does not get past Serv-A
fig1_tcp_server vm2 80 "$FIG1_BLOCKED_PORT"
wait_ok 10 "vm1 -> vm2 TCP port 80 answered" fig1_tcp vm1 "$VM2" 80
is "TCP port 80 line" "$(fig1_tcp vm1 "$VM2" 80)" "hello from vm2 port 80"
fig1_mark
if fig1_tcp vm1 "$VM2" "$FIG1_BLOCKED_PORT"; then
	topo_die "TCP port $FIG1_BLOCKED_PORT passed the firewall"
fi
topo_log "ok: TCP port $FIG1_BLOCKED_PORT: no answer"
d=$(fig1_delta serva blocked)
[ "$d" -ge 1 ] && topo_log "ok: Serv-A dropped $d packets to port $FIG1_BLOCKED_PORT" ||
	topo_die "Serv-A's drop counter did not move"
is "TCP port $FIG1_BLOCKED_PORT: Serv-B saw zone 1 -> zone 2" "$(fig1_delta servb z1z2)" 0

# zone 2 -> zone 1: its own topology, Serv-B first
fig1_mark
fig1_x vm2 ping -c5 -i0.2 -W1 "$VM1" >"$TOPO_DIR/ping21.out" 2>&1 ||
	{ cat "$TOPO_DIR/ping21.out"; topo_die "vm2 -> vm1: pings lost"; }
is "vm2 -> vm1: Serv-B forwarded zone 2 -> zone 1" "$(fig1_delta servb z2z1)" 5
is "vm2 -> vm1: Serv-A forwarded zone 2 -> zone 1" "$(fig1_delta serva z2z1)" 5
is "vm2 -> vm1: Serv-B's TTL (first)" "$(fig1_ttls servb ttl_z2z1)" 61
is "vm2 -> vm1: Serv-A's TTL (second)" "$(fig1_ttls serva ttl_z2z1)" 58

# inside zone 1: no service node, no tunnel
fig1_mark
enc=$(fig1_dp_counter pe1 encap)
fig1_x vm1 ping -c5 -i0.2 -W1 "$VM3" >"$TOPO_DIR/ping13.out" 2>&1 ||
	{ cat "$TOPO_DIR/ping13.out"; topo_die "vm1 -> vm3: pings lost"; }
for n in serva servb; do
	for c in z1z2 z2z1 z1z1; do
		is "vm1 -> vm3: $n counter $c" "$(fig1_delta $n $c)" 0
	done
done
is "vm1 -> vm3: packets PE-1 encapsulated" $(($(fig1_dp_counter pe1 encap) - enc)) 0
# the path hop by hop: who answers TTL 1, 2, ...
PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 SA=198.51.100.1 SB=198.51.100.2
want=$(printf '%s\n' $PE1 $SPEA $SA $SPEA $SPEB $SB $SPEB $PE2 "$VM2" | nl -w1 -s' ')
is "traceroute vm1 -> vm2" "$(fig1_trace vm1 "$VM2" | tr '\n' ,)" "$(tr '\n' , <<<"$want")"
want=$(printf '%s\n' $PE2 $SPEB $SB $SPEB $SPEA $SA $SPEA $PE1 "$VM1" | nl -w1 -s' ')
is "traceroute vm2 -> vm1" "$(fig1_trace vm2 "$VM1" | tr '\n' ,)" "$(tr '\n' , <<<"$want")"
topo_log "fig1_dp: OK"
