#!/usr/bin/env bash
# vtopo-dp's per-packet trace (docs/fib-protocol.md "Per-packet trace") on
# S-PE-A of Figure 1 (tests/topo/lib/fig1dp.sh): `trace on src VM1 dst VM2
# proto icmp`, one ping vm1 -> vm2, `trace show`.  What the trace must say
# comes from the configuration (tests/config/fig1-spe-a.json: Serv-A's
# VRFs serv-a-in and serv-a-out, the service interface serv-a, Serv-A at
# 198.51.100.1), the topology's PE addresses, PE-1's own FIB (the label it
# pushes towards S-PE-A, read with vtopoctl) and the TTL rules the fig1_dp
# scenario checks with Serv-A's nftables (one decrement per data-plane hop):
#  - the echo request is traced twice on S-PE-A: once as it comes from PE-1
#    (198.18.0.1) with PE-1's label, TTL 63, and leaves on serv-a to Serv-A
#    with TTL 62; once as it comes back from Serv-A on serv-a (TTL 61), is
#    looked up in serv-a-out (the VRF of serv-a in vtopo-dp's state), hits
#    vm2's route and is encapsulated to S-PE-B (198.18.0.3) with TTL 60;
#  - the echo reply is not traced (the filter's source is vm1), nor anything
#    on S-PE-B, where the trace is off; after `trace off` a second ping adds
#    nothing; a bad filter is refused with a message naming the word.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_need nft jq python3 ping ethtool
# shellcheck disable=SC2034 # read by fig1dp.sh
FIG1_HOSTS="vm1:pe1:203.0.113.10 vm2:pe2:203.0.113.70"
fig1_up || topo_die "Figure 1 did not come up"
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2)
PE1=198.18.0.1 SPEB=198.18.0.3 SA=198.51.100.1

dpc() { # NAME ARGS...: vtopo-dp's CLI on PE NAME
	local n=$1
	shift
	fig1_x "$n" "$VTOPO_DP" -s "$TOPO_DIR/$n/dp.sock" "$@"
}

# a bad filter: refused, naming the word, and the trace stays off
if out=$(dpc spea trace on src "$VM1" port 7 2>&1); then
	topo_die "a filter with 'port' was accepted"
fi
grep -q '"error":"port: unknown' <<<"$out" || topo_die "bad filter: $out"
is "after a refused filter, trace on" "$(dpc spea trace show | jq .on)" false

# PE-1's label for vm2 (its FIB, as vtopod programmed it): "PE LABEL"
read -r pe label <<<"$(fig1_fib pe1 zone1 "$VM2/32")"
is "PE-1 sends vm2's traffic to" "$pe" 198.18.0.2
out_id=$(dpc spea show | jq -r '.vrfs[] | select(.name == "serv-a-out") | .id')
[ -n "$out_id" ] || topo_die "no VRF serv-a-out on S-PE-A"

dpc spea trace on src "$VM1" dst "$VM2" proto icmp >/dev/null
fig1_x vm1 ping -c1 -W2 "$VM2" >/dev/null || topo_die "vm1 -> vm2: ping lost"
dpc spea trace show >"$TOPO_DIR/trace.json"
cat "$TOPO_DIR/trace.json" >&2
steps() { jq -r ".packets[$1].steps[]" "$TOPO_DIR/trace.json"; }
is "packets traced" "$(jq .traced "$TOPO_DIR/trace.json")" 2
want=$(printf '%s\n' \
	"packet $VM1 -> $VM2 proto 1 ttl 63 length 84" \
	"in underlay from PE $PE1, label $label -> nh .*" \
	"nh .*: local" \
	"out interface serv-a to $SA, ttl 62")
paste <(steps 0) <(echo "$want") | while IFS=$'\t' read -r have re; do
	[[ $have =~ ^$re$ ]] || topo_die "from PE-1: step '$have', want '$re'"
done
is "from PE-1: steps" "$(steps 0 | wc -l)" 4
want=$(printf '%s\n' \
	"packet $VM1 -> $VM2 proto 1 ttl 61 length 84" \
	"in interface serv-a, vrf $out_id" \
	"vrf serv-a-out \\($out_id\\): route $VM2/32 -> nh .*" \
	"nh .*: tunnel" \
	"encap MPLS-in-UDP to PE $SPEB labels [0-9]+ ttl 60")
paste <(steps 1) <(echo "$want") | while IFS=$'\t' read -r have re; do
	[[ $have =~ ^$re$ ]] || topo_die "from Serv-A: step '$have', want '$re'"
done
is "from Serv-A: steps" "$(steps 1 | wc -l)" 5
topo_log "ok: the request's path through S-PE-A: PE-1 -> serv-a -> Serv-A -> serv-a-out -> S-PE-B"
is "S-PE-B (trace off) traced" "$(dpc speb trace show | jq .traced)" 0

dpc spea trace off >/dev/null
fig1_x vm1 ping -c1 -W2 "$VM2" >/dev/null || topo_die "vm1 -> vm2: second ping lost"
is "after trace off, packets traced" "$(dpc spea trace show | jq .traced)" 2
topo_log "trace_dp: OK"
