#!/usr/bin/env bash
# Restarts without loss (Figure 1 with real traffic, tests/topo/lib/fig1dp.sh;
# graceful restart enabled on every session, RFC 4724).
#
# vm1 pings vm2 every 50 ms through the chain z1-to-z2 (PE-1, S-PE-A and
# Serv-A, S-PE-B and Serv-B, PE-2) while:
#  1. S-PE-A's vtopod exits for a graceful restart (SIGUSR1: sessions closed
#     without NOTIFICATION) and starts again: the route reflector keeps
#     S-PE-A's routes (helper, s4.2), vtopo-dp keeps forwarding with what it
#     has, the new vtopod advertises the R and F bits (the reflector logs
#     the forwarding state kept, s4.2) and holds vtopo-dp's resync until
#     its session is up with End-of-RIB (s4.1): every ping is answered and
#     Serv-A's and Serv-B's nftables counters grow by the number sent;
#     vtopo-dp reports exactly one more resync;
#     The new vtopod's BGP is blocked (nftables in S-PE-A's namespace) for
#     3 s: meanwhile vtopo-dp says resync-pending, `show fib` says the
#     resync is held, no resync happens and the pings still pass;
#  2. the same with PE-1's vtopod (the ingress PE), BGP not blocked;
#  3. labels kept (docs/fib-protocol.md "Restarts"): a reload adds an
#     attachment to serv-a-in on S-PE-A: it gets the label after Serv-A's
#     IPv4 and IPv6 next hops (Serv-A's labels unchanged, the RR's `show
#     rib`) and the next interface id, whereas in configuration order
#     attachments come before service nodes.  Then S-PE-A's vtopod is
#     restarted with that configuration as in 1, pinging every 5 ms (every
#     ping answered): a restarted vtopod that allocated in configuration
#     order would advertise Serv-A's IPv4 route with the label vtopo-dp
#     still forwards to Serv-A's IPv6 address, and PE-1's packets would be
#     dropped until the resync (13 of 2000 in one run); one that gave Serv-A's
#     interface a new id would lose those beyond the 4 kept while ARP
#     resolves again (9 in one run).  vtopod logs that it found every label
#     vtopo-dp held by its action.  Once it is done, the RR holds exactly
#     the labels of before the restart;
#  4. S-PE-A's vtopo-dp restarts: vtopod replays the FIB (vtopo-dp
#     generation 0); forwarding comes back within the wait bound and the
#     loss window is reported as packets lost x 50 ms (not asserted).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
TOPO_PREFIX=${TOPO_NS_PREFIX:+$TOPO_NS_PREFIX$$}
TOPO_PREFIX=${TOPO_PREFIX:-rd$$}
for t in nft jq ping ethtool; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

fig1_conf_hook() { # graceful restart on every session, the RR's too
	jq '(.["vtopo:vtopo"].neighbors.neighbor[]) |= . + {"graceful-restart": {"enabled": true}}'
}

fig1_up || topo_die "Figure 1 did not come up"
VM2=$(fig1_addr vm2)
INTERVAL=0.05 PINGS=200

dp_resyncs() { fig1_dp_show "$1" | jq -r .resyncs; }
dp_settled() { # NAME RESYNCS: one more resync than RESYNCS, none pending
	local j
	j=$(fig1_dp_show "$1")
	[ "$(jq -r .resyncs <<<"$j")" -gt "$2" ] && [ "$(jq -r '.["resync-pending"]' <<<"$j")" = false ]
}
rr_kept_fwd() { # ADDR: the RR logged the F bits of ADDR's new OPEN
	grep -F "$1" "$TOPO_DIR/rr/vtopod.log" | grep -Eq "forwarding state kept for [1-9]"
}

# pings in the background; COUNT at 50 ms; ping_wait in this shell (not in
# a command substitution: wait knows the children of its own shell only)
ping_start() { # COUNT
	fig1_x vm1 ping -n -i "$INTERVAL" -c "$1" -W 2 "$VM2" >"$TOPO_DIR/ping.out" 2>&1 &
	PING=$!
	TOPO_PIDS+=("$PING")
}
ping_wait() { wait "$PING" || true; }
ping_result() { # -> "SENT RECEIVED" (after ping_wait)
	sed -nE 's/^([0-9]+) packets transmitted, ([0-9]+) received.*/\1 \2/p' "$TOPO_DIR/ping.out"
}

gr_restart() { # NAME: SIGUSR1, then the same configuration again
	local pid conf
	pid=$(cat "$TOPO_DIR/$1/pid")
	kill -USR1 "$pid"
	topo_reap "$pid" 50
	conf=$(cat "$TOPO_DIR/$1/vtopod.json.in")
	fig1_vtopod_start "$1" - <<<"$conf"
}

bgp_block() { # NAME: no BGP in or out of NAME's namespace
	fig1_x "$1" nft -f - <<NFT
table inet blk {
	chain out { type filter hook output priority 0; tcp dport 179 drop; tcp sport 179 drop; }
}
NFT
}
dp_pending() { [ "$(fig1_dp_show "$1" | jq -r '.["resync-pending"]')" = true ]; }
fib_held() { vtopoctl_ "$1" -j show fib | jq -r .dataplane | grep -q "resync held"; }

zero_loss_restart() { # NAME ADDR [BLOCK]: BLOCK: BGP kept down 3 s after the restart
	local r0 sent recv
	r0=$(dp_resyncs "$1")
	fig1_mark
	ping_start "$PINGS" # 10 s
	sleep 1             # pings flowing before the restart
	[ -z "${3:-}" ] || bgp_block "$1"
	gr_restart "$1"
	if [ -n "${3:-}" ]; then
		# the new vtopod cannot reach the reflector: it knows only its
		# configuration, vtopo-dp forwards with the old state meanwhile
		sleep 3
		dp_pending "$1" || topo_die "$1: vtopo-dp not waiting for a resync"
		fib_held "$1" || topo_die "$1: show fib does not say the resync is held"
		is "$1: vtopo-dp resyncs while BGP is down" "$(($(dp_resyncs "$1") - r0))" 0
		fig1_x "$1" nft delete table inet blk
	fi
	wait_ok 30 "$1: vtopo-dp resynced by the new vtopod" dp_settled "$1" "$r0"
	ping_wait
	read -r sent recv <<<"$(ping_result)"
	is "$1 restart: vm1 -> vm2 pings answered of $sent" "$recv" "$sent"
	is "$1 restart: Serv-A forwarded zone 1 -> zone 2" "$(fig1_delta serva z1z2)" "$sent"
	is "$1 restart: Serv-B forwarded zone 1 -> zone 2" "$(fig1_delta servb z1z2)" "$sent"
	is "$1 restart: vtopo-dp resyncs" "$(($(dp_resyncs "$1") - r0))" 1
	wait_ok 10 "$1: the RR saw the F bits of the new OPEN (RFC 4724 s4.2)" rr_kept_fwd "$2"
	grep -q "every neighbor up with End-of-RIB" "$TOPO_DIR/$1/vtopod.log" ||
		topo_die "$1: the resync was not held for End-of-RIB"
	topo_log "ok: $1: the resync waited for End-of-RIB"
}

zero_loss_restart spea 198.18.0.2 block
zero_loss_restart pe1 198.18.0.1

# 3. labels kept across a restart
spea_labels() { # -> "KEY LABELS;..." of the paths the RR has from S-PE-A, one line
	for f in ipv4-vpn ipv6-vpn; do
		vtopoctl_ rr -j show rib $f | jq -r '(.data // .).routes[] | .prefix as $k
		  | .paths[] | select(.peer == "198.18.0.2" and (.stale // false | not))
		  | "\($k) \(.labels | map(tostring) | join("/"))"'
	done | sort | paste -sd';'
}
spea_routes() { spea_labels | tr ';' '\n' | grep -c . || true; }
serva_labels() { spea_labels | tr ';' '\n' | grep -F -e 198.51.100.1/ -e 2001:db8:100::1/ | paste -sd';'; }
conf=$TOPO_DIR/spea/vtopod.json
# an attachment in serv-a-in: configured, it comes before the service
# nodes (their order in the model), added by a reload it comes after them
ATT='(.["vtopo:vtopo"]["network-instances"]["network-instance"][]
  | select(.name == "serv-a-in") | .attachments.attachment) += [{"name": "probe",
  "host": "probe", "interface": "probe0", "address": [{"ip": "192.0.2.77", "prefix-length": 32}]}]'
fig1_x spea ip link add probe0 type veth peer name probe1
fig1_x spea ip link set probe0 up
serva_before=$(serva_labels)
n=$(spea_routes)
jq "$ATT" "$conf" >"$TOPO_DIR/spea.probe.json"
cp "$TOPO_DIR/spea.probe.json" "$conf"
vtopoctl_ spea reload >/dev/null || topo_die "reload of S-PE-A with the probe attachment"
wait_ok 20 "the RR has the probe attachment of S-PE-A" eq $((n + 1)) spea_routes
hist_order=$(spea_labels)
topo_log "S-PE-A's labels after the reload: $hist_order"
is "Serv-A's labels kept by the reload" "$(serva_labels)" "$serva_before"
# the restart starts from this configuration, in which the attachment
# comes first
jq "$ATT" "$TOPO_DIR/spea/vtopod.json.in" >"$TOPO_DIR/spea.in.json"
cp "$TOPO_DIR/spea.in.json" "$TOPO_DIR/spea/vtopod.json.in"
INTERVAL=0.005 PINGS=2000 # 5 ms: a window of wrong labels is tens of ms
zero_loss_restart spea 198.18.0.2
INTERVAL=0.05 PINGS=200
wait_ok 20 "the RR has S-PE-A's labels of before the restart" eq "$hist_order" spea_labels
# one label per route advertised, each found again by its action
grep -q "vtopo-dp holds $((n + 1)) labels: $((n + 1)) kept for their actions" \
	"$TOPO_DIR/spea/vtopod.log" || topo_die "S-PE-A did not recover vtopo-dp's $((n + 1)) labels"
topo_log "ok: S-PE-A recovered vtopo-dp's $((n + 1)) labels by their actions"

# 4. vtopo-dp itself restarts: vtopod replays at once (generation 0)
ping_start 200 # 10 s
sleep 1
fig1_dp_restart spea 198.18.0.2
wait_ok 20 "forwarding through S-PE-A's new vtopo-dp" fig1_ping vm1 "$VM2"
ping_wait
read -r sent recv <<<"$(ping_result)"
[ "$recv" -gt 0 ] || topo_die "no ping answered around the vtopo-dp restart"
lost=$((sent - recv))
topo_log "vtopo-dp restart on S-PE-A: $lost of $sent pings lost, loss window about" \
	"$(awk -v n="$lost" -v i="$INTERVAL" 'BEGIN { printf "%d ms", n * i * 1000 }')" \
	"($lost x ${INTERVAL}s; includes vtopo-dp's start and ARP)"
topo_log "PASS"
