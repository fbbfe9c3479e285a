#!/usr/bin/env bash
# Two vtopods peering with each other, default timers (ConnectRetryTime 30 s,
# RFC 4271 s10; the jitter of s10 makes the first retry 22.5 s at the
# earliest).
#
#   a   vtopod  AS 65000  198.18.0.1
#   b   vtopod  AS 65000  198.18.0.2   (the higher BGP Identifier)
#
# 1. a starts first: its connection is refused (b is not there) and it waits
#    in Idle for its automatic restart; b starts and calls a.  a takes the
#    call (restarting at once rather than refusing it while Idle) and the
#    session is up well within 10 s, not after a ConnectRetryTime.
# 2. Both are reloaded with each other as a new neighbor while nftables
#    holds back SYN-ACKs, so that both connection attempts are in progress
#    at once; once let through, both TCP connections come up (the kernels
#    retransmit), and collision detection (RFC 4271 s6.8)
#    keeps the one initiated by the higher BGP Identifier, b's; the other
#    is closed with a NOTIFICATION Cease / Connection Collision Resolution
#    (RFC 4486 s4, subcode 7) when it was up, read by tshark (as many as
#    the daemons log).  Again up within 10 s, no flap; one TCP connection
#    is left, to a's port 179 (b called).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host a 198.18.0.1/24
topo_host b 198.18.0.2/24
A=198.18.0.1 B=198.18.0.2

conf() { # ROUTER-ID [PEER]: no timers configured, the defaults apply
	local nb=
	[ -z "${2:-}" ] || nb="{\"address\": \"$2\", \"remote-as\": 65000, \"local-address\": \"$1\",
	  \"afi-safis\": {\"afi-safi\": [{\"name\": \"ipv4-vpn\"}]}}"
	cat <<EOT
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$1", "listen": [{"address": "$1"}],
   "logging": {"level": "debug"}},
 "neighbors": {"neighbor": [$nb]}}}
EOT
}

# ---- 1. one after the other
conf $A $B | vtopod_start a -
wait_ok 10 "a: its first connection to b failed, a is Idle" \
	grep -q 'connect -> idle' "$TOPO_DIR/a/vtopod.log"
conf $B $A | vtopod_start b -
wait_ok 10 "a: session to b established" vtopod_session_up a $B
wait_ok 10 "b: session to a established" vtopod_session_up b $A

# ---- 2. both at once, connections crossing
vtopod_stop a
vtopod_stop b
# hold every SYN-ACK back: both connection attempts stay in progress
for n in a b; do
	topo_exec $n nft -f - <<'EOT'
table inet hold {
	chain out {
		type filter hook output priority 0;
		tcp flags & (syn | ack) == syn | ack drop
	}
}
EOT
done
conf $A | vtopod_start a -
conf $B | vtopod_start b -
capture_start a
conf $A $B >"$TOPO_DIR/a/vtopod.json.in"
conf $B $A >"$TOPO_DIR/b/vtopod.json.in"
for n in a b; do
	norm vtopod-conf "$TOPO_DIR/$n/vtopod.sock" "$TOPO_DIR/$n/vtopod.log" \
		<"$TOPO_DIR/$n/vtopod.json.in" >"$TOPO_DIR/$n/vtopod.json"
done
mark_a=$(wc -l <"$TOPO_DIR/a/vtopod.log") mark_b=$(wc -l <"$TOPO_DIR/b/vtopod.log")
vtopoctl_ a reload &
ra=$!
vtopoctl_ b reload &
rb=$!
wait $ra
wait $rb
in_connect() { # NAME PEER: the session waits for its own connection attempt
	vtopoctl_ "$1" -j show neighbors "$2" | jq -e '.neighbors[0].state == "connect"' >/dev/null
}
wait_ok 10 "a: connecting to b" in_connect a $B
wait_ok 10 "b: connecting to a" in_connect b $A
# let them through: the kernels' retransmissions complete both handshakes
for n in a b; do
	topo_exec $n nft delete table inet hold
done
wait_ok 10 "a: session to b established" vtopod_session_up a $B
wait_ok 10 "b: session to a established" vtopod_session_up b $A
cease7() { # NOTIFICATIONs Cease / Connection Collision Resolution, read by tshark
	tshark -r "$TOPO_DIR/a/bgp.pcap" -n -Y 'bgp.type == 3 && bgp.notify.major_error == 6' \
		-T fields -e bgp.notify.minor_error_cease 2>/dev/null | tr ',' '\n' | grep -cx 7
}
# Cease/7 that a and b say they sent since the reload
sent7() {
	cat <(tail -n +$((mark_a + 1)) "$TOPO_DIR/a/vtopod.log") \
		<(tail -n +$((mark_b + 1)) "$TOPO_DIR/b/vtopod.log") |
		grep -c 'sent NOTIFICATION 6/7' || true
}
cease7_is_sent7() {
	local w s
	w=$(cease7 || true) s=$(sent7)
	echo "on the wire $w, in the logs $s"
	[ "$w" = "$s" ]
}
# When both connections came up, the loser is closed with Cease/7; when
# one side resolved while its own attempt was still in progress, that
# attempt ends without a NOTIFICATION (there is no BGP connection to send
# one on).  Either way the wire shows what the daemons say they sent
# (tcpdump hands packets over in blocks: poll the file).
wait_ok 10 "tshark: the Cease/7 NOTIFICATIONs on the wire are those logged" cease7_is_sent7
topo_log "Cease / Connection Collision Resolution NOTIFICATIONs: $(sent7)"
capture_stop a
conns() { # NAME: established BGP connections, "LOCAL PEER" per line
	topo_exec "$1" ss -Htn state established '( sport = :179 or dport = :179 )' |
		awk '{print $3, $4}'
}
check "a: one BGP connection left" test "$(conns a | wc -l)" = 1
check "it is b's (a's port 179): RFC 4271 s6.8, the higher BGP Identifier's" \
	grep -q "^$A:179 " <(conns a)
check "a: the session did not go down after the collision" \
	not grep -q 'established -> ' <(tail -n +$((mark_a + 1)) "$TOPO_DIR/a/vtopod.log")
check "b: the session did not go down after the collision" \
	not grep -q 'established -> ' <(tail -n +$((mark_b + 1)) "$TOPO_DIR/b/vtopod.log")
topo_log "PASS"
