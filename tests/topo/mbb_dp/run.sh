#!/usr/bin/env bash
# Make-before-break under traffic: a service node inserted into a running
# chain, and removed again, by `vtopoctl reload` (draft s4.1.5: "a new
# service node could be inserted into the service chain seamlessly by just
# configuring the service policy"), with a real stream that must lose
# nothing.
#
# Figure 1 (lib/fig1dp.sh) plus Serv-C 198.51.100.3 behind S-PE-B
# (serv-c-in / serv-c-out, RDs 198.18.0.3:3 / :4), in no chain at first.
# A UDP stream from vm1 to vm2, one datagram every 10 ms with a sequence
# number, runs through all the steps; read with nftables counters inside
# the service nodes (z1z2 of lib/fig1dp.sh) and by the receiver:
#  1. z1-to-z2 {Serv-A, Serv-B}: the stream passes Serv-A and Serv-B,
#     Serv-C sees none of it;
#  2. reload on every PE: {Serv-A, Serv-B, Serv-C}: S-PE-B's serv-b-out
#     sends zone 2 to Serv-C's interface, serv-c-out to PE-2; Serv-C's
#     counter starts increasing;
#  3. reload: {Serv-A, Serv-B} again: Serv-C's counter stops, Serv-B's
#     goes on;
#  4. every sequence number arrived at vm2 (none missing, from the first to
#     the last sent), and Serv-A and Serv-B forwarded every one.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix mb$$
topo_need nft jq python3 ping ethtool
IV=0.01
SA=198.51.100.1 SB=198.51.100.2 SC=198.51.100.3
FIG1_HOSTS="vm1:pe1:203.0.113.10 vm2:pe2:203.0.113.70"
FIG1_SVCS="serva:spea:serv-a:$SA servb:speb:serv-b:$SB servc:speb:serv-c:$SC"
SERVC=$(<"$TOPO_LIB/serv-c.jq")
fig1_conf_hook() { # NAME
	case $1 in
	speb) jq "$SERVC" ;;
	*) cat ;;
	esac
}
fig1_up || topo_die "Figure 1 with Serv-C did not come up"
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2)

sequence() { # ADDRESS...: z1-to-z2's sequence, reloaded on every PE
	local l n f out
	l=$(printf '"%s",' "$@")
	for n in pe1 spea pe2 speb; do
		f=$TOPO_DIR/$n/vtopod.json
		jq "(.[\"vtopo:vtopo\"][\"service-topologies\"][\"service-topology\"][]
		    | select(.name == \"z1-to-z2\") | .[\"service-node-sequence\"]) = [${l%,}]" \
			"$f" >"$f.new" && mv "$f.new" "$f"
		out=$(vtopoctl_ $n reload 2>&1) || topo_die "reload on $n: $out"
	done
}
nh_type() { fig1_fib "$@" | cut -d' ' -f1; }

# the stream, 60 s at most, stopped by the test
fig1_mark
fig1_stream_start 70 $IV 6000

# 1. {A, B}
wait_ok 10 "the stream passes Serv-B" fig1_ge 100 servb z1z2
[ "$(fig1_delta servc z1z2)" = 0 ] || topo_die "Serv-C forwarded $(fig1_delta servc z1z2)"
topo_log "ok: Serv-C, in no chain, forwarded nothing"

# 2. insert Serv-C
miss0=$(fig1_dp_counter speb arp-miss)
sequence $SA $SB $SC
wait_ok 10 "S-PE-B: serv-b-out sends $VM2 to Serv-C" eq local nh_type speb serv-b-out "$VM2/32"
wait_ok 10 "the stream passes Serv-C" fig1_ge 100 servc z1z2
c1=$(fig1_counter servc z1z2)
b1=$(fig1_counter servb z1z2)
topo_log "S-PE-B's vtopo-dp: $(($(fig1_dp_counter speb arp-miss) - miss0)) packets found Serv-C's MAC unknown (they wait for the reply, RFC 1122 s2.3.2.2)"

# 3. remove it
sequence $SA $SB
wait_ok 10 "S-PE-B: serv-b-out sends $VM2 to PE-2 again" eq 198.18.0.4 nh_type speb serv-b-out "$VM2/32"
wait_ok 10 "the stream passes Serv-B without Serv-C" fig1_ge $((b1 + 200)) servb z1z2
c2=$(fig1_counter servc z1z2)
wait_ok 5 "Serv-C's counter stays" fig1_ge $((b1 + 300)) servb z1z2
[ "$(fig1_counter servc z1z2)" = "$c2" ] || topo_die "Serv-C still forwards"
topo_log "ok: Serv-C forwarded $((c2 - FIG1_MARK[servc.z1z2])) datagrams while in the chain ($c1 when checked), none after"

# 4. stop, then count
fig1_stream_stop
sent=$(tail -1 "$TOPO_DIR/stream.out")
read -r got missing first last < <(jq -r '"\(.received) \(.missing) \(.first) \(.last)"' "$TOPO_DIR/sink.json")
topo_log "sent $sent, vm2 got $got (#$first..#$last), $missing missing"
jq -r --argjson iv $IV '.gaps[] | "lost: \(.[1]) datagrams from #\(.[0]) = \(.[1] * $iv * 1000 | round) ms"' \
	"$TOPO_DIR/sink.json" | while read -r l; do topo_log "$l"; done
[ "$first" = 0 ] && [ "$last" = $((sent - 1)) ] && [ "$missing" = 0 ] ||
	topo_die "datagrams lost: $missing in between, first #$first, last #$last of $sent"
topo_log "ok: every one of the $sent datagrams arrived"
a=$(fig1_delta serva z1z2) b=$(fig1_delta servb z1z2)
[ "$a" -ge "$sent" ] && [ "$b" -ge "$sent" ] || topo_die "Serv-A $a, Serv-B $b of $sent"
topo_log "ok: Serv-A forwarded $a, Serv-B $b (of $sent)"
topo_log "mbb_dp: OK"
