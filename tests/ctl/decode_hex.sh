#!/usr/bin/env bash
# vtopoctl decode on hex text: comments, blank lines, separators, lines
# with and without the marker; a line that is not hex is reported with its
# number, the other lines still decode and the exit status is 1; an OPEN
# sets the session parameters for the lines after it.
#
# Expected values are read off the bytes by RFC 4271 s4 (header, UPDATE
# fields) and RFC 6793 s4.2.2 (2-octet AS_PATH between OLD speakers).
#
# usage: decode_hex.sh VTOPOCTL
set -uo pipefail
vtopoctl=$1
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# UPDATE without the marker: ORIGIN incomplete, AS_PATH (65010 65011) in
# 2 octets, NEXT_HOP 198.51.100.1, NLRI 203.0.113.0/24.
upd2='002f 02 0000 0014 40010102 4002060202fdf2fdf3 400304c6336401 18 cb0071'
cat >"$tmp/in.txt" <<EOT
# a KEEPALIVE with the marker, colon separated
ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:00:13:04

this line is not hex
00 17 05 00 01 00 01   # ROUTE-REFRESH ipv4-unicast, no marker
0013 0
# OPEN AS 65010 (2-octet, no 4-octet AS capability), MP ipv4-unicast
ffffffffffffffffffffffffffffffff 0025 01 04 fdf2 00b4 c6336401 08 02 06 010400010001
$upd2
EOT
"$vtopoctl" decode "$tmp/in.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, want 1"
grep -q 'line 4: not a hex' "$tmp/err" || fail "no error for line 4: $(cat "$tmp/err")"
grep -q 'line 6: not a hex' "$tmp/err" || fail "no error for line 6 (odd digits)"
[ "$(grep -c 'line' "$tmp/err")" -eq 2 ] || fail "errors: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'EOT' || status=1
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
want = [('keepalive', 19), ('route-refresh', 23), ('open', 37), ('update', 47)]
got = [(o['type'], o['length']) for o in objs]
assert got == want, got
rr, upd = objs[1], objs[3]
assert rr['family'] == 'ipv4-unicast' and rr['subtype'] == 'normal', rr
assert 'verdict' not in upd, upd
assert upd['attributes']['as_path'] == '65010 65011', upd
assert upd['attributes']['origin'] == 'incomplete', upd
assert upd['attributes']['next_hop'] == '198.51.100.1', upd
assert [n['prefix'] for n in upd['nlri']] == ['203.0.113.0/24'], upd
EOT

# The same UPDATE without the OPEN: decoded as 4-octet by default, the
# AS_PATH does not parse (RFC 7606 s7.2: treat-as-withdraw); --no-as4 fixes it.
echo "$upd2" | "$vtopoctl" decode >"$tmp/as4" || fail "decode as4: status $?"
echo "$upd2" | "$vtopoctl" decode --no-as4 >"$tmp/as2" || fail "decode --no-as4: status $?"
python3 - "$tmp/as4" "$tmp/as2" <<'EOT' || status=1
import json, sys
as4 = json.loads(open(sys.argv[1]).read())
as2 = json.loads(open(sys.argv[2]).read())
assert as4['verdict']['action'] == 'treat-as-withdraw', as4
assert as2['attributes']['as_path'] == '65010 65011', as2
EOT

# Usage errors: exit 2, the culprit named, usage on stderr.
"$vtopoctl" decode --addpath ipv5-unicast - </dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "bad family: exit status"
grep -q "unknown family 'ipv5-unicast'" "$tmp/err" || fail "bad family: $(cat "$tmp/err")"
grep -q '^usage: vtopoctl decode' "$tmp/err" || fail "bad family: no usage"
"$vtopoctl" frobnicate 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown command: exit status"
grep -q "unknown command 'frobnicate'" "$tmp/err" || fail "unknown command: $(cat "$tmp/err")"
"$vtopoctl" decode a b 2>/dev/null
[ $? -eq 2 ] || fail "two inputs: exit status"
exit $status
