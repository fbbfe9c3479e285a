# shellcheck shell=bash
# Topology-test harness: network namespaces on a bridge, BGP daemons started in
# them, uniform RIB readers for assertions, bounded waits, packet captures.
#
# Sourced by the scenario scripts (tests/topo/*/run.sh), which run as root
# under `set -euo pipefail`.  Not a test by itself; tests/topo/harness proves it.
#
#   topo_init                      per-run prefix, temp dir, cleanup trap
#   topo_prefix DEFAULT            a shorter namespace prefix (after topo_init)
#   topo_need TOOL...              skip the test (exit 77) unless each TOOL is on PATH
#   topo_switch                    the bridge namespace every host hangs off
#   topo_host NAME ADDR/LEN [ADDR6/LEN]
#   topo_exec NAME CMD...          run CMD in host NAME's namespace
#   wait_for TIMEOUT DESCRIPTION CMD...
#   PEER_start NAME CONF|-         PEER in gobgp bird frr openbgpd exabgp vtopod
#   PEER_stop NAME
#   PEER_vpn4_add NAME RD PREFIX LABEL RT[,RT...] NEXTHOP
#   PEER_vpn4_del NAME RD PREFIX   withdraw a route PEER_vpn4_add originated
#   PEER_vpn4_rib NAME             VPN-IPv4 RIB as normalized JSON lines
#   PEER_session_up NAME PEERADDR  predicate for wait_for
#   vpn4_rib_has PEER NAME RD PREFIX LABEL RT[,RT...] NEXTHOP   predicate
#                                  (LABEL `-`: the daemon shows no label)
#   vpn4_rib_lacks PEER NAME RD PREFIX                          predicate
#   not CMD...                     negated predicate, for wait_for
#   is WHAT HAVE WANT              a one-shot equality assertion, logged
#   eq WANT CMD...                 predicate: the last line CMD prints is WANT
#   capture_start NAME [IFACE [FILTER [PCAP]]] / capture_stop NAME
#   capture_updates NAME [FILTER]  UPDATE messages captured (tshark filter)
#
# Every daemon of host NAME keeps its files in $TOPO_DIR/NAME/ (config, log,
# control socket, pid).  A host runs at most one daemon.  The peer-specific
# functions live in peers.sh (sourced below).

TOPO_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOPO_PY=/usr/bin/python3
TOPO_NORMALIZE="$TOPO_LIB/normalize.py"
TOPO_PREFIX=
TOPO_DIR=
TOPO_NS=()   # namespaces created, in order
TOPO_PIDS=() # processes started (daemons, captures)
TOPO_SW=
TOPO_OUT=1
TOPO_ERR=2

topo_log() {
	printf '[topo %s] %s\n' "$(date +%T)" "$*" >&2
}

topo_die() {
	topo_log "FAIL: $*"
	exit 1
}

# topo_init: must be called once, before anything else, in the main shell.
topo_init() {
	[ "$(id -u)" -eq 0 ] || {
		echo "SKIP: topology tests need root"
		exit 77
	}
	local rnd
	rnd=$(od -An -N2 -tx2 /dev/urandom | tr -d ' \n')
	TOPO_PREFIX="vt$$-$rnd"
	TOPO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vtopo-topo.XXXXXX")
	# The script's own output: a signal may arrive while a predicate's
	# output is redirected, and the cleanup must still be seen.
	exec {TOPO_OUT}>&1 {TOPO_ERR}>&2
	chmod 755 "$TOPO_DIR"
	trap topo_cleanup EXIT
	trap 'exec 2>&"$TOPO_ERR"; topo_log "interrupted"; exit 130' INT TERM HUP
	topo_log "prefix $TOPO_PREFIX, files in $TOPO_DIR"
}

# topo_prefix DEFAULT: after topo_init, a shorter namespace prefix for
# scenarios whose interface or namespace names carry it: $TOPO_NS_PREFIX
# and our pid when the environment sets TOPO_NS_PREFIX, else DEFAULT.
topo_prefix() {
	TOPO_PREFIX=${TOPO_NS_PREFIX:+$TOPO_NS_PREFIX$$}
	TOPO_PREFIX=${TOPO_PREFIX:-$1}
}

# topo_need TOOL...: skip the test (exit 77) unless every TOOL is on PATH.
topo_need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || {
			echo "SKIP: $t missing"
			exit 77
		}
	done
}

topo_ns() { # NAME -> namespace name
	echo "$TOPO_PREFIX-$1"
}

# topo_cleanup: EXIT trap.  Kills every process started (by PID, then every
# process left in our namespaces), deletes our namespaces, checks that nothing
# is left, prints the daemons' logs when the run failed, removes the temp dir
# (kept when TOPO_KEEP=1).
topo_cleanup() {
	local rc=$? ns pid left
	trap - EXIT INT TERM HUP
	exec 1>&"$TOPO_OUT" 2>&"$TOPO_ERR"
	set +e
	for pid in "${TOPO_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${TOPO_PIDS[@]}"; do
		topo_reap "$pid" 30
	done
	for ns in "${TOPO_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ns in "${TOPO_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			topo_reap "$pid" 20
		done
		ip netns del "$ns" 2>/dev/null
	done
	left=$(ip netns list | grep -F "$TOPO_PREFIX-" || true)
	for pid in "${TOPO_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && left="$left pid $pid"
	done
	if [ -n "$left" ]; then
		topo_log "cleanup left behind: $left"
		[ "$rc" -ne 0 ] || rc=1
	fi
	if [ "$rc" -ne 0 ] && [ -n "$TOPO_DIR" ]; then
		topo_dump_logs
	fi
	if [ -n "$TOPO_DIR" ] && [ "${TOPO_KEEP:-0}" != 1 ]; then
		rm -rf "$TOPO_DIR"
	fi
	exit "$rc"
}

topo_reap() { # PID TENTHS: wait up to TENTHS/10 s for PID to go, then SIGKILL it
	local pid=$1 n=$2
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

topo_dump_logs() {
	local f
	for f in "$TOPO_DIR"/*/*.log; do
		[ -s "$f" ] || continue
		echo "----- ${f#"$TOPO_DIR"/} (last 40 lines)" >&2
		tail -n 40 "$f" >&2
	done
}

topo_switch() {
	TOPO_SW=$(topo_ns sw)
	ip netns add "$TOPO_SW"
	TOPO_NS+=("$TOPO_SW")
	ip -n "$TOPO_SW" link add br0 type bridge
	ip -n "$TOPO_SW" link set br0 up
	ip -n "$TOPO_SW" link set lo up
}

# topo_host NAME ADDR/LEN [ADDR6/LEN]: namespace with eth0 on the bridge.
# NAME: up to 12 characters (the bridge port is called v-NAME).
topo_host() {
	local name=$1 addr=$2 addr6=${3:-} ns
	[ -n "$TOPO_SW" ] || topo_die "topo_host before topo_switch"
	[ "${#name}" -le 12 ] || topo_die "host name too long: $name"
	ns=$(topo_ns "$name")
	ip netns add "$ns"
	TOPO_NS+=("$ns")
	mkdir -p "$TOPO_DIR/$name"
	echo "${addr%/*}" >"$TOPO_DIR/$name/addr"
	# Created inside the switch namespace: no name is ever taken in the
	# caller's namespace, so concurrent runs cannot collide.
	ip -n "$TOPO_SW" link add "v-$name" type veth peer name eth0 netns "$ns"
	ip -n "$TOPO_SW" link set "v-$name" master br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$addr" dev eth0
	if [ -n "$addr6" ]; then
		echo "${addr6%/*}" >"$TOPO_DIR/$name/addr6"
		ip -n "$ns" addr add "$addr6" dev eth0 nodad
	fi
	ip -n "$ns" link set eth0 up
}

topo_exec() { # NAME CMD...
	local name=$1
	shift
	ip netns exec "$(topo_ns "$name")" "$@"
}

topo_addr() { # NAME -> its IPv4 address
	cat "$TOPO_DIR/$1/addr"
}

# topo_spawn NAME LOGFILE CMD...: start CMD in NAME's namespace in the
# background; `ip netns exec` execs, so the PID recorded is the command's.
topo_spawn() {
	local name=$1 log=$2
	shift 2
	ip netns exec "$(topo_ns "$name")" "$@" </dev/null >>"$log" 2>&1 &
	TOPO_PIDS+=($!)
	echo $! >"$TOPO_DIR/$name/pid"
}

# topo_up NAME CMD...: CMD succeeds; exit status 255 (wait_for gives up)
# when NAME's daemon has exited.
topo_up() {
	local name=$1
	shift
	kill -0 "$(cat "$TOPO_DIR/$name/pid")" 2>/dev/null || {
		echo "the daemon of $name has exited"
		return 255
	}
	"$@"
}

# topo_kill NAME: stop NAME's daemon (SIGTERM, then SIGKILL after 3 s).
topo_kill() {
	local name=$1 pid
	[ -f "$TOPO_DIR/$name/pid" ] || return 0
	pid=$(cat "$TOPO_DIR/$name/pid")
	kill -TERM "$pid" 2>/dev/null || true
	topo_reap "$pid" 30
	rm -f "$TOPO_DIR/$name/pid"
}

# topo_conf NAME FILE CONF|-: copy CONF (or standard input) to NAME's FILE.
topo_conf() {
	local name=$1 file=$2 conf=$3
	if [ "$conf" = - ]; then
		cat >"$TOPO_DIR/$name/$file"
	else
		cp "$conf" "$TOPO_DIR/$name/$file"
	fi
}

# wait_for TIMEOUT DESCRIPTION CMD...: run CMD until it succeeds, every 0.2 s,
# for at most TIMEOUT seconds.  On timeout print DESCRIPTION and CMD's last
# output, and fail.  CMD exiting with 255 means "will never succeed": give up
# at once.
wait_for() {
	local timeout=$1 desc=$2 out t0 now rc
	shift 2
	out="$TOPO_DIR/wait_for.out"
	t0=$(date +%s%N)
	while :; do
		rc=0
		"$@" >"$out" 2>&1 || rc=$?
		[ "$rc" -ne 0 ] || return 0
		now=$(date +%s%N)
		if [ "$rc" -eq 255 ] || [ $(((now - t0) / 1000000)) -ge $((timeout * 1000)) ]; then
			if [ "$rc" -eq 255 ]; then
				topo_log "gave up waiting for: $desc"
			else
				topo_log "timeout after ${timeout}s waiting for: $desc"
			fi
			topo_log "last output of: $*"
			sed 's/^/    /' "$out" >&2
			return 1
		fi
		sleep 0.2
	done
}

# check DESCRIPTION CMD...: a one-shot assertion, logged; CMD's output is
# shown only when it fails.
check() {
	local desc=$1 out="$TOPO_DIR/check.out"
	shift
	if "$@" >"$out" 2>&1; then
		topo_log "ok: $desc"
	else
		sed 's/^/    /' "$out" >&2
		topo_die "$desc"
	fi
}

# wait_ok TIMEOUT DESCRIPTION CMD...: wait_for that ends the run on timeout
# and logs success with the time it took.
wait_ok() {
	local t0=$SECONDS
	wait_for "$@" || topo_die "$2"
	topo_log "ok: $2 ($((SECONDS - t0)) s)"
}

not() { ! "$@"; }

# is WHAT HAVE WANT: HAVE must be WANT; logged either way.  (Some
# scenarios define an `is` of their own after sourcing this file.)
is() {
	if [ "$2" = "$3" ]; then topo_log "ok: $1: $2"; else topo_die "$1: $2, want $3"; fi
}

# eq WANT CMD...: predicate for wait_ok: the last line CMD prints is WANT
# (printed, so that a timeout shows what it was instead).
eq() {
	local have
	have=$("${@:2}" | tail -1)
	echo "$have"
	[ "$have" = "$1" ]
}

# vpn4_route RD PREFIX LABEL RT[,RT...] NEXTHOP: the normalized line.
vpn4_route() {
	"$TOPO_PY" "$TOPO_NORMALIZE" route "$@"
}

# vpn4_rib_has PEER NAME RD PREFIX LABEL RT[,RT...] NEXTHOP: NAME's RIB, read
# with PEER's own CLI, holds exactly this route.  Prints the RIB.
vpn4_rib_has() {
	local peer=$1 name=$2 want rib
	shift 2
	want=$(vpn4_route "$@")
	rib=$("${peer}_vpn4_rib" "$name")
	printf 'want %s\nhave:\n%s\n' "$want" "$rib"
	grep -qxF -- "$want" <<<"$rib"
}

# vpn4_rib_lacks PEER NAME RD PREFIX: NAME's RIB has no path for RD:PREFIX.
vpn4_rib_lacks() {
	local peer=$1 name=$2 rd=$3 prefix=$4 rib
	rib=$("${peer}_vpn4_rib" "$name")
	printf 'unwanted rd %s prefix %s\nhave:\n%s\n' "$rd" "$prefix" "$rib"
	! grep -qF -- "\"prefix\":\"$prefix\",\"rd\":\"$rd\"" <<<"$rib"
}

# Captures: tcpdump on NAME's interface IFACE (eth0) of what the capture
# filter FILTER takes (BGP: tcp port 179) into PCAP (NAME/bgp.pcap, which
# capture_updates reads), written packet by packet so that the file can be
# read while the capture runs.  One capture per NAME at a time.
capture_start() { # NAME [IFACE [FILTER [PCAP]]]
	local name=$1 ifc=${2:-eth0} filter=${3:-tcp port 179} d="$TOPO_DIR/$1"
	local pcap=${4:-$d/bgp.pcap}
	# Not through topo_exec: a function in the background is a subshell, and
	# $! would be that subshell's PID, not tcpdump's.
	ip netns exec "$(topo_ns "$name")" tcpdump -i "$ifc" -U -n -s 0 -w "$pcap" \
		"$filter" </dev/null >"$d/tcpdump.log" 2>&1 &
	TOPO_PIDS+=($!)
	echo $! >"$d/tcpdump.pid"
	wait_for 5 "tcpdump listening on $name" grep -q 'listening on' "$d/tcpdump.log"
}

capture_stop() {
	local d="$TOPO_DIR/$1" pid
	pid=$(cat "$d/tcpdump.pid")
	kill -INT "$pid" 2>/dev/null || true
	topo_reap "$pid" 30
}

# capture_updates NAME [FILTER]: number of BGP UPDATE messages (not packets:
# one segment may carry several) in NAME's capture, optionally only in the
# packets that match the tshark display filter FILTER (e.g. ip.src == ADDR).
capture_updates() {
	local d="$TOPO_DIR/$1" filter=bgp
	[ -z "${2:-}" ] || filter="bgp && ($2)"
	tshark -r "$d/bgp.pcap" -n -Y "$filter" -T fields -e bgp.type 2>/dev/null |
		tr ',' '\n' | grep -cx 2 || true
}

# shellcheck source=peers.sh
. "$TOPO_LIB/peers.sh"
