#!/bin/bash
# vtopod's BGP sessions against GoBGP (and a hand-written OPEN) in a pair of
# network namespaces joined by a veth.
#
#   session_gobgp.sh VTOPOD YANG_DIR CASE
#
# CASE: basic    session up with ipv4-vpn negotiated; gobgpd stopped -> vtopod
#                notices (NOTIFICATION or TCP loss, leaves established)
#       md5-good TCP-MD5 with the same password: up
#       md5-bad  different passwords: never up, and vtopod's log names TCP-MD5
#       bad-open an OPEN with the wrong peer AS -> NOTIFICATION 2/2 (RFC 4271 s6.2)
#
# Every wait is a bounded retry on a condition.  Exit 77 (skip) when not
# root or when a tool is missing.
set -u
VTOPOD=$1
YANG_DIR=$2
CASE=$3

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
case $CASE in bad-open) ;; *) command -v gobgpd >/dev/null && command -v gobgp >/dev/null ||
	{ echo "SKIP: gobgpd/gobgp not installed"; exit 77; } ;; esac
[ -x /usr/bin/python3 ] || { echo "SKIP: /usr/bin/python3 missing"; exit 77; }

P=vts$$
T=$(mktemp -d)
VT_PID=
GB_PID=
cleanup() {
	[ -n "$VT_PID" ] && kill "$VT_PID" 2>/dev/null
	[ -n "$GB_PID" ] && kill "$GB_PID" 2>/dev/null
	[ -n "$VT_PID" ] && wait "$VT_PID" 2>/dev/null
	[ -n "$GB_PID" ] && wait "$GB_PID" 2>/dev/null
	ip netns del $P-a 2>/dev/null
	ip netns del $P-b 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- vtopod log"; cat "$T/vtopod.log" 2>/dev/null | tail -40
	echo "--- gobgpd log"; tail -20 "$T/gobgpd.log" 2>/dev/null
	exit 1
}

# wait_for TRIES CMD...: retry CMD every 0.2 s, at most TRIES times
wait_for() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

A=192.0.2.1 # vtopod
B=192.0.2.2 # gobgpd / the raw client
ip netns add $P-a && ip netns add $P-b || fail "cannot create namespaces"
ip link add $P-va type veth peer name $P-vb || fail "cannot create veth"
ip link set $P-va netns $P-a
ip link set $P-vb netns $P-b
ip -n $P-a addr add $A/24 dev $P-va
ip -n $P-b addr add $B/24 dev $P-vb
for ns in $P-a $P-b; do ip -n $ns link set lo up; done
ip -n $P-a link set $P-va up
ip -n $P-b link set $P-vb up

VT_PW=
GB_PW=
PASSIVE=false
case $CASE in
md5-good) VT_PW=vtopo-secret GB_PW=vtopo-secret ;;
md5-bad) VT_PW=vtopo-secret GB_PW=another-secret ;;
bad-open) PASSIVE=true ;;
esac

pw_json=
[ -n "$VT_PW" ] && pw_json="\"auth-password\": \"$VT_PW\","
cat >"$T/vtopod.json" <<JSON
{
  "vtopo:vtopo": {
    "neighbors": { "neighbor": [ {
      "address": "$B", "remote-as": 65001, "local-address": "$A", $pw_json
      "passive": $PASSIVE,
      "timers": { "hold-time": 9, "connect-retry": 2 },
      "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" } ] }
    } ] },
    "global": {
      "as": 65000, "router-id": "$A",
      "listen": [ { "address": "$A" } ],
      "control-socket": "$T/vtopod.sock",
      "logging": { "file": "$T/vtopod.log", "level": "debug" }
    }
  }
}
JSON
VTOPO_YANG_DIR=$YANG_DIR "$VTOPOD" -n -f "$T/vtopod.json" >/dev/null || fail "config rejected"
VTOPO_YANG_DIR=$YANG_DIR ip netns exec $P-a "$VTOPOD" -f "$T/vtopod.json" 2>"$T/vtopod.err" &
VT_PID=$!

start_gobgpd() {
	local pw=
	[ -n "$GB_PW" ] && pw="auth-password = \"$GB_PW\""
	cat >"$T/gobgp.toml" <<TOML
[global.config]
  as = 65001
  router-id = "$B"
  local-address-list = ["$B"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$A"
    peer-as = 65000
    $pw
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l3vpn-ipv4-unicast"
TOML
	ip netns exec $P-b gobgpd -f "$T/gobgp.toml" --api-hosts 127.0.0.1:50051 --pprof-disable \
		-p >"$T/gobgpd.log" 2>&1 &
	GB_PID=$!
	wait_for 50 ip netns exec $P-b gobgp neighbor >/dev/null 2>&1 || fail "gobgpd API not up"
}

# GoBGP's view: Established with ipv4-vpn (l3vpn-ipv4-unicast) negotiated
gobgp_established() {
	ip netns exec $P-b gobgp neighbor -j 2>/dev/null >"$T/nbr.json" || return 1
	/usr/bin/python3 - "$T/nbr.json" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))[0]
st = n["state"]["session_state"]
if st not in (6, "established", "ESTABLISHED"):
    sys.exit(1)
fams = [a for a in n.get("afi_safis", []) if a.get("state", {}).get("enabled")]
ok = any(a["config"]["family"] == {"afi": 1, "safi": 128} for a in fams)
sys.exit(0 if ok else 1)
PY
}

vt_log() { grep -q -- "$1" "$T/vtopod.log" 2>/dev/null; }

case $CASE in
md5-good)
	start_gobgpd
	wait_for 100 gobgp_established || fail "GoBGP never saw Established with ipv4-vpn"
	wait_for 50 vt_log "session established" || fail "vtopod did not log the session"
	# SIGTERM: Cease / Administrative Shutdown with a shutdown
	# communication (RFC 9003) reaches GoBGP
	kill -TERM "$VT_PID"
	wait "$VT_PID" || fail "vtopod exited non-zero on SIGTERM"
	VT_PID=
	wait_for 50 grep -q "vtopod shutting down" "$T/gobgpd.log" ||
		fail "GoBGP did not get the shutdown communication"
	echo "PASS: $CASE"
	exit 0
	;;
basic)
	start_gobgpd
	wait_for 100 gobgp_established || fail "GoBGP never saw Established with ipv4-vpn"
	wait_for 50 vt_log "session established" || fail "vtopod did not log the session"
	kill "$GB_PID"
	wait "$GB_PID" 2>/dev/null
	GB_PID=
	wait_for 100 vt_log "established -> idle" || fail "vtopod did not notice gobgpd stopping"
	;;
md5-bad)
	start_gobgpd
	# both sides retry every 2 s: the failure is named within a few attempts
	wait_for 100 vt_log "TCP-MD5 on; the kernel dropped [1-9]" ||
		fail "vtopod's log does not name TCP-MD5 (with dropped segments)"
	vt_log "session established" && fail "session came up with different passwords"
	gobgp_established && fail "GoBGP says Established with different passwords"
	;;
bad-open)
	wait_for 50 vt_log "listening on" || fail "vtopod is not listening"
	ip netns exec $P-b /usr/bin/python3 - "$A" <<'PY' || fail "no NOTIFICATION 2/2"
import socket, struct, sys
# OPEN (RFC 4271 s4.2) from AS 65099 where vtopod expects 65001, built by hand
body = struct.pack("!BHHIB", 4, 65099, 90, 0xC0000202, 0)
msg = b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 1) + body
s = socket.create_connection((sys.argv[1], 179), timeout=10)
s.sendall(msg)
buf = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    buf += d
# vtopod sends its OPEN first, then the NOTIFICATION: walk the messages
off, notes = 0, []
while off + 19 <= len(buf):
    ln, typ = struct.unpack("!HB", buf[off + 16:off + 19])
    if typ == 3:
        notes.append((buf[off + 19], buf[off + 20]))
    off += ln
print("notifications:", notes)
sys.exit(0 if (2, 2) in notes else 1)
PY
	wait_for 25 vt_log "peer AS 65099, configured remote-as 65001" || fail "no log line for the bad AS"
	;;
*) fail "unknown case $CASE" ;;
esac

# SIGTERM: vtopod exits cleanly
kill -TERM "$VT_PID"
wait "$VT_PID"
rc=$?
VT_PID=
[ $rc = 0 ] || fail "vtopod exited with $rc"
vt_log "vtopod stopped" || fail "no clean stop"
[ -n "${VERBOSE:-}" ] && cat "$T/vtopod.log"
echo "PASS: $CASE"
