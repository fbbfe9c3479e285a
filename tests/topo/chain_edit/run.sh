#!/usr/bin/env bash
# Editing a running service chain by `vtopoctl reload` (draft s4.1.5 "a new
# service node could be inserted into the service chain seamlessly by just
# configuring the service policy"; s4.1.3 step 1) on the Figure 1 control
# plane (lib/chain.sh: vtopod RR, PE-1, S-PE-A, S-PE-B; GoBGP as PE-2
# originating VM-2 203.0.113.70/32, label 2001, RTs 65000:2 and the
# z1-to-z2 RT 65000:101).  S-PE-B also hosts Serv-C 198.51.100.3
# (serv-c-in / serv-c-out), in no chain at first.  Steps, each a reload of
# the topology on PE-1, S-PE-A and S-PE-B, each checked on every PE's FIB:
#  1. {A, B}:     PE-1 -> S-PE-A/LA, S-PE-A -> S-PE-B/LB, S-PE-B -> PE-2/2001
#  2. {A, B, C}:  insert Serv-C: S-PE-B serv-b-out -> interface serv-c,
#                 serv-c-out -> PE-2/2001 (now the last hop)
#  3. {A, B}:     Serv-C removed again, as in 1
#  4. {A, C}:     Serv-B replaced by Serv-C: S-PE-A -> S-PE-B/LC,
#                 serv-c-out -> PE-2/2001
#  5. deleted:    PE-1 -> PE-2/2001 directly (the RT names no topology)
# Make-before-break: a poller reads PE-1's and S-PE-A's FIB entry for VM-2
# all along; no sample may miss it or show it pending or dropped.  No zone
# prefix is advertised again: GoBGP's count of UPDATEs sent and the RR's
# count received from each vtopod PE do not move (no route refresh, no
# re-advertisement).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"

topo_init
TOPO_PREFIX=c2$$
topo_switch
VM2=203.0.113.70/32
SERVC=$(<"$TOPO_LIB/serv-c.jq")
chain_fig1 . . "$SERVC"
LA=$CHAIN_LA LB=$CHAIN_LB
wait_ok 20 "the RR has the route to Serv-C" chain_has_label 198.51.100.3
LC=$(chain_rib_label rr 198.51.100.3)
topo_log "Serv-C's label at S-PE-B: $LC"
gobgp_vpn4_add gb $PE2:1 $VM2 2001 65000:2,65000:101 $PE2

PE_RE="198\.18\.0\.[0-9]+ [0-9]+$"
step() { # TOPOLOGY-JQ: reload the z1-to-z2 change on every vtopod PE
	local n out
	for n in pe1 spea speb; do
		out=$(chain_set_conf $n "$1") || topo_die "reload on $n refused: $out"
	done
}
sequence() { # ADDRESS...: z1-to-z2's service-node sequence
	local l
	l=$(printf '"%s",' "$@")
	step "($CHAIN_TOP[] | select(.name == \"z1-to-z2\") | .[\"service-node-sequence\"]) = [${l%,}]"
}

# 1. {A, B}
wait_ok 20 "PE-1: $VM2 -> S-PE-A $LA" chain_is "$SPEA $LA" chain_fib pe1 zone1 $VM2
wait_ok 20 "S-PE-A: $VM2 -> S-PE-B $LB" chain_is "$SPEB $LB" chain_fib spea serv-a-out $VM2
wait_ok 20 "S-PE-B: $VM2 -> PE-2 2001" chain_is "$PE2 2001" chain_fib speb serv-b-out $VM2

# the make-before-break poller, bounded in count and time
touch "$TOPO_DIR/polling"
(
	for _ in $(seq 1 3000); do
		[ -e "$TOPO_DIR/polling" ] || break
		echo "pe1 $(chain_fib pe1 zone1 $VM2)"
		echo "spea $(chain_fib spea serv-a-out $VM2)"
	done >"$TOPO_DIR/samples"
) &
TOPO_PIDS+=($!)
POLLER=$!
gb_sent() { gobgp_updates gb | cut -d' ' -f1; }
rx() { echo "$(chain_rr_rx $PE1) $(chain_rr_rx $SPEA) $(chain_rr_rx $SPEB) $(gb_sent)"; }
before=$(rx)

# 2. insert Serv-C after Serv-B
sequence 198.51.100.1 198.51.100.2 198.51.100.3
# Serv-C is attached to S-PE-B itself: the local interface (s4.1.3 step 3)
wait_ok 20 "S-PE-B serv-b-out: $VM2 -> Serv-C" chain_is "local serv-c" chain_fib speb serv-b-out $VM2
wait_ok 20 "S-PE-B serv-c-out: $VM2 -> PE-2 2001" chain_is "$PE2 2001" chain_fib speb serv-c-out $VM2
chain_is "$SPEA $LA" chain_fib pe1 zone1 $VM2 || topo_die "PE-1 moved"
chain_is "$SPEB $LB" chain_fib spea serv-a-out $VM2 || topo_die "S-PE-A moved"

# 3. remove it again
sequence 198.51.100.1 198.51.100.2
wait_ok 20 "S-PE-B serv-b-out: $VM2 -> PE-2 2001" chain_is "$PE2 2001" chain_fib speb serv-b-out $VM2
chain_is "$SPEA $LA" chain_fib pe1 zone1 $VM2 || topo_die "PE-1 moved"
chain_is "$SPEB $LB" chain_fib spea serv-a-out $VM2 || topo_die "S-PE-A moved"

# 4. replace Serv-B by Serv-C
sequence 198.51.100.1 198.51.100.3
wait_ok 20 "S-PE-A: $VM2 -> Serv-C $LC" chain_is "$SPEB $LC" chain_fib spea serv-a-out $VM2
wait_ok 20 "S-PE-B serv-c-out: $VM2 -> PE-2 2001" chain_is "$PE2 2001" chain_fib speb serv-c-out $VM2
chain_is "$SPEA $LA" chain_fib pe1 zone1 $VM2 || topo_die "PE-1 moved"

# 5. delete the chain
step "del($CHAIN_TOP[] | select(.name == \"z1-to-z2\"))"
wait_ok 20 "PE-1: $VM2 -> PE-2 2001 directly" chain_is "$PE2 2001" chain_fib pe1 zone1 $VM2
wait_ok 20 "S-PE-A: $VM2 -> PE-2 2001 directly" chain_is "$PE2 2001" chain_fib spea serv-a-out $VM2

rm -f "$TOPO_DIR/polling"
wait "$POLLER" || true
after=$(rx)
topo_log "UPDATEs (RR from PE-1, S-PE-A, S-PE-B; GoBGP sent): $before before, $after after"
[ "$before" = "$after" ] || topo_die "routes were advertised again"
n=$(wc -l <"$TOPO_DIR/samples")
bad=$(grep -cv -E "^(pe1|spea) $PE_RE" "$TOPO_DIR/samples" || true)
topo_log "FIB samples during the edits: $n, without a forwarding entry: $bad"
[ "$n" -ge 10 ] || topo_die "too few samples ($n)"
[ "$bad" = 0 ] || { grep -v -E "^(pe1|spea) $PE_RE" "$TOPO_DIR/samples" | sort | uniq -c; topo_die "an entry went missing"; }
topo_log "chain_edit: OK"
