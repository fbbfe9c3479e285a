#!/usr/bin/env bash
# Active/standby service nodes with real traffic (draft s5.3: "the active
# service path can then be made to win over the standby service path by
# appropriately setting the BGP path attributes").
#
# Figure 1 (lib/fig1dp.sh) with a fifth PE, S-PE-C 198.18.0.5, hosting a
# second Serv-A (same address 198.51.100.1, RD 198.18.0.5:1).  S-PE-A
# exports its Serv-A route with LOCAL_PREF 200 (export-policy of
# serv-a-in), S-PE-C with the default 100: Serv-A1 is active, Serv-A2
# standby.  A UDP stream from vm1 to vm2, one datagram every 20 ms with a
# sequence number, runs through all the steps; counted by nftables inside
# the instances (z1z2 of lib/fig1dp.sh) and by the receiver:
#  1. PE-1's FIB sends zone 2 to S-PE-A only; the stream passes Serv-A1,
#     Serv-A2 sees none of it;
#  2. S-PE-A loses Serv-A (reload without the node: its route is
#     withdrawn): PE-1 moves to S-PE-C, Serv-A2's counter moves;
#  3. Serv-A is back at S-PE-A (reload): the active wins again, Serv-A1's
#     counter moves again;
#  4. drain: S-PE-A's LOCAL_PREF lowered to 50 by reload, Serv-A1 still
#     there: PE-1 moves to S-PE-C; 5. undrain: back to 200, back to S-PE-A;
#     both make-before-break: no datagram lost in these two steps;
#  6. S-PE-A's vtopod stopped: the RR withdraws its routes, PE-1 moves to
#     S-PE-C; 7. started again: back to S-PE-A (losses printed, as for 2, 3);
#  8. the stream recovered: its last datagrams arrived; every datagram vm2
#     got passed one of the two instances (sum of their counters >= what
#     vm2 got), and Serv-B saw every one.
# The loss of each step is printed: datagrams missing x 20 ms, each
# credited to the step during which the sender really sent it (its own
# send times, lib/udpflow.py), not to a clock estimate (no timed
# assertion; the bound is that each switch completes
# within 10 s), with the vtopo-dp drop and ARP-miss counters that moved
# on each PE and the VRFs' no-route counters
# (no-label on S-PE-A: a datagram PE-1 sent to Serv-A1's label after
# S-PE-A had released it, before the withdrawal reached PE-1).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix sb$$
topo_need nft jq python3 ping ethtool
IV=0.02
SPEA=198.18.0.2 SPEC=198.18.0.5
FIG1_HOSTS="vm1:pe1:203.0.113.10 vm2:pe2:203.0.113.70"
FIG1_PES="pe1:198.18.0.1:fig1-pe1 spea:$SPEA:fig1-spe-a speb:198.18.0.3:fig1-spe-b pe2:198.18.0.4:fig1-pe2 spec:$SPEC:fig1-spe-a"
FIG1_SVCS="serva:spea:serv-a:198.51.100.1 serva2:spec:serv-a:198.51.100.1 servb:speb:serv-b:198.51.100.2"
ACTIVE='(.["vtopo:vtopo"]["network-instances"]["network-instance"][]
  | select(.name == "serv-a-in") | .["export-policy"]) =
  {"statement": [{"name": "active", "actions": {"set-local-pref": 200}}]}'
# every PE accepts MPLS-in-UDP from every other (underlay/pe-address): the
# fallback, the PEs this one tunnels to, would refuse S-PE-C at S-PE-B
# while S-PE-B's own reverse path still goes to S-PE-A
PES='.["vtopo:vtopo"].underlay["pe-address"] =
  ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4", "198.18.0.5"]'
# S-PE-C's own labels (S-PE-A's configuration has 2000-2999)
LABELS_C='.["vtopo:vtopo"].underlay["label-range"] = {"first": 5000, "last": 5999}'
fig1_conf_hook() { # NAME
	case $1 in
	spec) sed "s/${SPEA//./\\.}\\b/$SPEC/g" | jq "$PES | $LABELS_C" ;;
	spea) jq "$ACTIVE | $PES" ;;
	rr) jq --arg a $SPEC '.["vtopo:vtopo"].neighbors.neighbor +=
		[{"address": $a, "peer-group": "pes", "description": "S-PE-C"}]' ;;
	*) jq "$PES" ;;
	esac
}
fig1_up || topo_die "Figure 1 with S-PE-C did not come up"
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2)

pe_of() { fig1_fib "$@" | cut -d' ' -f1; }
wait_ok 20 "PE-1: $VM2 to the active, S-PE-A" eq $SPEA pe_of pe1 zone1 "$VM2/32"
conf=$TOPO_DIR/spea/vtopod.json
cp "$conf" "$TOPO_DIR/spea.with-serv-a.json"
reload_spea() { # FILE
	cp "$1" "$conf"
	out=$(vtopoctl_ spea reload 2>&1) || topo_die "reload on S-PE-A: $out"
}
jq '.["vtopo:vtopo"]["service-nodes"]["service-node"] |= map(select(.interface != "serv-a"))' \
	"$conf" >"$TOPO_DIR/spea.without-serv-a.json"

# where the data planes dropped: vtopo-dp's drop counters per PE
DROPS="no-label no-nexthop drop-nexthop decap-not-peer ttl-expired malformed too-big-dropped arp-miss not-ipv4"
declare -A DP0=()
for n in pe1 spea spec speb pe2; do
	for c in $DROPS; do DP0[$n.$c]=$(fig1_dp_counter $n $c); done
done

# the stream, 40 s at most, stopped by the test
fig1_mark
fig1_stream_start 60 $IV 2000

# each step's start (wall clock); once the stream stopped, the first
# datagram the sender really sent from then on (stream.out: "sent SEQ
# EPOCH"): a sender the loaded machine held back sends late, so a clock
# estimate of the sequence number would credit the next step's losses
# to this one
PHASES=() # "EPOCH NAME" of each step
phase() { PHASES+=("$(date +%s.%N) $1"); }
seq_at() { # EPOCH: the first datagram sent at or after it
	awk -v t="$1" '$1 == "sent" && $3 >= t {print $2; f = 1; exit}
		END {if (!f) print 1000000000}' "$TOPO_DIR/stream.out"
}

# 1. through the active
wait_ok 10 "the stream passes Serv-A1" fig1_ge 50 serva z1z2
[ "$(fig1_delta serva2 z1z2)" = 0 ] || topo_die "the standby forwarded $(fig1_delta serva2 z1z2)"
topo_log "ok: the standby Serv-A2 forwarded nothing"

# 2. failover: the active's route withdrawn (the node gone from S-PE-A)
phase failover
reload_spea "$TOPO_DIR/spea.without-serv-a.json"
wait_ok 10 "PE-1: $VM2 to the standby, S-PE-C" eq $SPEC pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A2" fig1_ge $((FIG1_MARK[serva2.z1z2] + 50)) serva2 z1z2

# 3. failback: the active back
a1=$(fig1_counter serva z1z2)
phase failback
reload_spea "$TOPO_DIR/spea.with-serv-a.json"
wait_ok 10 "PE-1: $VM2 to the active again" eq $SPEA pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A1 again" fig1_ge $((a1 + 50)) serva z1z2

# 4. drain: the active's LOCAL_PREF below the standby's, the node still
# there: PE-1 moves before anything is taken away
b1=$(fig1_counter serva2 z1z2)
phase drain
jq '(.["vtopo:vtopo"]["network-instances"]["network-instance"][] | select(.name == "serv-a-in")
   | .["export-policy"].statement[0].actions["set-local-pref"]) = 50' \
	"$TOPO_DIR/spea.with-serv-a.json" >"$TOPO_DIR/spea.drained.json"
reload_spea "$TOPO_DIR/spea.drained.json"
wait_ok 10 "PE-1: $VM2 to S-PE-C (S-PE-A drained)" eq $SPEC pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A2" fig1_ge $((b1 + 50)) serva2 z1z2

# 5. undrain
a1=$(fig1_counter serva z1z2)
phase undrain
reload_spea "$TOPO_DIR/spea.with-serv-a.json"
wait_ok 10 "PE-1: $VM2 to the active again" eq $SPEA pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A1 again" fig1_ge $((a1 + 50)) serva z1z2

# 6. S-PE-A's vtopod stopped (SIGTERM): its session to the RR goes, the RR
# withdraws S-PE-A's routes; S-PE-A's vtopo-dp keeps its tables
b1=$(fig1_counter serva2 z1z2)
phase vtopod_stop
topo_kill spea
wait_ok 10 "PE-1: $VM2 to S-PE-C (S-PE-A's vtopod down)" eq $SPEC pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A2" fig1_ge $((b1 + 50)) serva2 z1z2

# 7. and started again (same configuration)
a1=$(fig1_counter serva z1z2)
phase vtopod_start
conf_in=$(cat "$TOPO_DIR/spea/vtopod.json.in")
fig1_vtopod_start spea - <<<"$conf_in"
wait_ok 20 "PE-1: $VM2 to the active again" eq $SPEA pe_of pe1 zone1 "$VM2/32"
wait_ok 10 "the stream passes Serv-A1 again" fig1_ge $((a1 + 50)) serva z1z2
phase end

# stop, then count
fig1_stream_stop
sent=$(tail -1 "$TOPO_DIR/stream.out")
read -r got missing last < <(jq -r '"\(.received) \(.missing) \(.last)"' "$TOPO_DIR/sink.json")
topo_log "sent $sent, vm2 got $got, $missing missing in between, last $last"
[ "$last" -ge $((sent - 5)) ] || topo_die "the stream did not recover: last $last of $sent"
a=$(fig1_delta serva z1z2) b=$(fig1_delta serva2 z1z2) bb=$(fig1_delta servb z1z2)
topo_log "Serv-A1 $a, Serv-A2 $b, Serv-B $bb datagrams"
[ $((a + b)) -ge "$got" ] || topo_die "vm2 got $got, the instances forwarded $((a + b))"
[ "$bb" -ge "$got" ] || topo_die "vm2 got $got, Serv-B forwarded $bb"
topo_log "ok: every datagram vm2 got passed Serv-A1 or Serv-A2, and Serv-B"
# the datagrams lost in each step: gaps starting in [its first, the next's)
lost() { # FROM TO
	jq --argjson a "$1" --argjson b "$2" '[.gaps[] | select(.[0] >= $a and .[0] < $b) | .[1]] | add // 0' \
		"$TOPO_DIR/sink.json"
}
for k in 0 1 2 3 4 5; do
	read -r from name <<<"${PHASES[k]}"
	from=$(seq_at "$from") to=$(seq_at "${PHASES[k + 1]%% *}")
	n=$(lost "$from" "$to")
	topo_log "loss window, $name (#$from..#$((to - 1))): $n datagrams x ${IV}s = $(jq -n "$n * $IV * 1000 | round") ms"
	eval "LOST_$name=$n"
done
topo_log "total loss: $missing datagrams x ${IV}s = $(jq -n "$missing * $IV * 1000 | round") ms"
for n in pe1 spea spec speb pe2; do
	for c in $DROPS; do
		d=$(($(fig1_dp_counter $n $c) - DP0[$n.$c]))
		[ "$d" = 0 ] || topo_log "vtopo-dp on $n: $c $d"
	done
done
for n in pe1 spea spec speb pe2; do
	fig1_dp_show $n | jq -r --arg n $n '.vrfs[]? | select(.["no-route"].packets > 0)
	  | "vtopo-dp on \($n): vrf \(.name) no route for \(.["no-route"].packets)"' |
		while read -r l; do topo_log "$l"; done
	fig1_dp_show $n | jq -r --arg n $n '.interfaces[]? | select(.drop.packets > 0)
	  | "vtopo-dp on \($n): interface \(.name) dropped \(.drop.packets)"' |
		while read -r l; do topo_log "$l"; done
done
# draining by LOCAL_PREF is make-before-break: nothing lost
[ "$LOST_drain" = 0 ] && [ "$LOST_undrain" = 0 ] ||
	topo_die "lost while draining ($LOST_drain) or undraining ($LOST_undrain)"
topo_log "ok: draining and undraining by LOCAL_PREF lost nothing"
topo_log "standby_dp: OK"
