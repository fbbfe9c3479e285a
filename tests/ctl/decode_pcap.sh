#!/usr/bin/env bash
# vtopoctl decode on real captures, checked against tshark.
#
# Two BGP conversations (data/session-*.txt, hex written from the RFCs) are
# turned into TCP segments that cut through messages (bgp_segments.py) and
# written as captures by text2pcap: an IPv4 session with ADD-PATH and an
# IPv6 session between 2-octet AS speakers, so that both decode right only
# if the session parameters are learnt from the OPENs.  Some segments are
# put out of order (reordercap after swapped timestamps), every packet of
# the first session is captured twice (retransmissions), and the two
# sessions are interleaved in one pcapng.  tshark dissects the same files;
# compare_tshark.py checks every message field by field.
#
# usage: decode_pcap.sh VTOPOCTL
set -euo pipefail
vtopoctl=$1
here=$(cd "$(dirname "$0")" && pwd)
for tool in text2pcap reordercap mergecap editcap tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

re='^(?<dir>[IO])\s(?<time>[0-9.]+)\s(?<data>[0-9a-f]+)$'
t2p() { # conversation-input out.pcap text2pcap-args...
	local in=$1 out=$2
	shift 2
	text2pcap -q -F pcap -r "$re" -t "%s.%f" -D "$@" "$in" "$out" 2>"$out.log" || {
		cat "$out.log"
		return 1
	}
}
count() { grep -c '^[IO] ' "$1"; }

python3 "$here/bgp_segments.py" "$here/data/session-addpath.txt" --segment 23 \
	--swap 1 --swap 4 >"$tmp/a.txt"
t2p "$tmp/a.txt" "$tmp/a0.pcap" -4 192.0.2.1,192.0.2.2 -T 50000,179
reordercap "$tmp/a0.pcap" "$tmp/a1.pcap" >/dev/null
python3 "$here/bgp_segments.py" "$here/data/session-as2.txt" --segment 17 \
	--start 1700000000.00005 >"$tmp/b.txt"
t2p "$tmp/b.txt" "$tmp/b.pcap" -6 2001:db8::1,2001:db8::2 -T 50001,179
mergecap -F pcapng -w "$tmp/all.pcapng" "$tmp/a1.pcap" "$tmp/a1.pcap" "$tmp/b.pcap"
want=$(($(count "$here/data/session-addpath.txt") + $(count "$here/data/session-as2.txt")))

status=0
check() { # name capture expected-count
	local name=$1 cap=$2 n=$3
	echo "== $name"
	if ! "$vtopoctl" decode "$cap" >"$tmp/$name.jsonl" 2>"$tmp/$name.err"; then
		echo "vtopoctl decode failed:"
		cat "$tmp/$name.err"
		status=1
		return
	fi
	tshark -r "$cap" -o tcp.reassemble_out_of_order:TRUE -T json -O bgp \
		--no-duplicate-keys >"$tmp/$name.tshark.json" 2>/dev/null
	python3 "$here/compare_tshark.py" "$tmp/$name.jsonl" "$tmp/$name.tshark.json" "$n" ||
		status=1
}
check all "$tmp/all.pcapng" "$want"
check as2-pcap "$tmp/b.pcap" "$(count "$here/data/session-as2.txt")"

# raw IP link type (no Ethernet header)
t2p "$tmp/b.txt" "$tmp/b-raw.pcap" -l 101 -6 2001:db8::1,2001:db8::2 -T 50001,179
check raw-ip "$tmp/b-raw.pcap" "$(count "$here/data/session-as2.txt")"

# a segment lost from the capture: frame 12 is the middle one of the three
# that carry the UPDATE (17-byte segments: OPEN 3, OPEN 3, KEEPALIVE 2 + 2,
# UPDATE 3, NOTIFICATION 2).  The UPDATE is lost, the loss is reported,
# exit status 1, and the rest still decodes.
echo "== gap"
editcap "$tmp/b.pcap" "$tmp/b-gap.pcap" 12
rc=0
"$vtopoctl" decode "$tmp/b-gap.pcap" >"$tmp/gap.jsonl" 2>"$tmp/gap.err" || rc=$?
types=$(python3 -c 'import json, sys
print(" ".join(json.loads(l)["type"] for l in open(sys.argv[1])))' "$tmp/gap.jsonl")
if [ $rc -ne 1 ] || ! grep -q '2001:db8::1\]:50001 -> .*: 17 bytes missing' "$tmp/gap.err" ||
	[ "$types" != "open open keepalive keepalive notification" ]; then
	echo "gap: exit $rc, types '$types', stderr:"
	cat "$tmp/gap.err"
	status=1
fi

# standard input, and --pretty still one object per message
echo "== stdin"
n=$("$vtopoctl" -j decode --pretty - <"$tmp/b.pcap" | python3 -c '
import json, sys
dec, s, n = json.JSONDecoder(), sys.stdin.read(), 0
i = 0
while i < len(s):
    if s[i].isspace():
        i += 1
        continue
    _, i = dec.raw_decode(s, i)
    n += 1
print(n)')
if [ "$n" != "$(count "$here/data/session-as2.txt")" ]; then
	echo "stdin/--pretty: $n objects"
	status=1
fi
exit $status
