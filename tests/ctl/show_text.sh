#!/usr/bin/env bash
# vtopoctl show against a stand-in daemon (fake_vtopod: the real control
# socket server answering from the hand-written JSON files in show/, which
# follow docs/ctl-json.md): the text output must equal the expected files
# in show/ (also written by hand), -j must print the data object as the
# daemon sent it, daemon errors exit 1 with "vtopoctl: ERROR", a daemon
# that is not running exits 1 naming the socket, usage errors exit 2.
#
# usage: show_text.sh VTOPOCTL FAKE_VTOPOD DATA_DIR
set -uo pipefail
vtopoctl=$1
fake=$2
data=$3
tmp=$(mktemp -d)
sock=$tmp/vtopod.sock
status=0
fail() { echo "FAIL: $*"; status=1; }
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# daemon not running
"$vtopoctl" -s "$sock" show memory >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "no daemon: exit status $rc, want 1"
grep -q "^vtopoctl: cannot connect to $sock: .*(is vtopod running?)" "$tmp/err" ||
	fail "no daemon: message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "no daemon: output on stdout"

# start the stand-in and wait until it says it listens (bounded)
mkfifo "$tmp/ready"
"$fake" "$sock" "$data" >"$tmp/ready" &
pid=$!
read -r -t 10 line <"$tmp/ready"
[ "${line:-}" = ready ] || { echo "FAIL: fake_vtopod did not start"; exit 1; }

# text output, compared with the expected files
check_text() { # NAME ARGS...
	local name=$1
	shift
	"$vtopoctl" -s "$sock" show "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || fail "show $*: exit status $rc: $(cat "$tmp/err")"
	diff -u "$data/$name.txt" "$tmp/out" || fail "show $*: text differs from $name.txt"
}
check_text neighbors neighbors
check_text neighbor-192.0.2.1 neighbors 192.0.2.1
check_text neighbor-2001-db8--2 neighbors 2001:db8::2
check_text rib-ipv4-vpn rib ipv4-vpn
check_text rib-ipv4-vpn rib ipv4-vpn 65000:1:192.0.2.0/24
check_text rib-ipv6-vpn rib ipv6-vpn
check_text rtc rt-constraint
check_text memory memory

# -j: the data object as sent, compact, one line; --pretty indents it
if command -v python3 >/dev/null; then
	for w in memory rt-constraint "rib ipv4-vpn" neighbors; do
		f=$(case $w in memory) echo memory;; rt-constraint) echo rtc;;
			"rib ipv4-vpn") echo rib-ipv4-vpn;; neighbors) echo neighbors;; esac)
		# shellcheck disable=SC2086
		"$vtopoctl" -j -s "$sock" show $w >"$tmp/out" || fail "-j show $w: exit status"
		[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "-j show $w: not one line"
		python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a!=b)' \
			"$data/$f.json" "$tmp/out" || fail "-j show $w: not the daemon's data"
	done
	"$vtopoctl" -s "$sock" show --pretty -j memory >"$tmp/out" || fail "--pretty: exit status"
	[ "$(wc -l <"$tmp/out")" -gt 1 ] || fail "--pretty: one line"
	python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a!=b)' \
		"$data/memory.json" "$tmp/out" || fail "--pretty: not the daemon's data"
fi

# errors from the daemon: exit 1, its message on stderr, nothing on stdout
check_error() { # MESSAGE ARGS...
	local want=$1
	shift
	"$vtopoctl" -s "$sock" show "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "show $*: exit status $rc, want 1"
	[ "$(cat "$tmp/err")" = "vtopoctl: $want" ] || fail "show $*: stderr: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail "show $*: output on stdout"
}
check_error "unknown family 'ipv5'" rib ipv5
check_error "bad prefix '192.0.2.0/24' for ipv4-vpn" rib ipv4-vpn 192.0.2.0/24
check_error "bad address 'nowhere'" neighbors nowhere
check_error "no neighbor 198.51.100.7" neighbors 198.51.100.7
check_error "fake_vtopod: no rib-rtc.json" rib rtc

# usage errors: exit 2 before any request
for args in "" "routes" "memory extra" "rib" "neighbors 192.0.2.1 x" "--bogus memory"; do
	# shellcheck disable=SC2086
	"$vtopoctl" -s "$sock" show $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || fail "show $args: exit status $rc, want 2"
	grep -q '^usage: vtopoctl' "$tmp/err" || fail "show $args: no usage"
done

# the daemon is still there and answers
check_text memory memory
exit $status
