#!/usr/bin/env bash
# End-to-end test of vtopo-dp in network namespaces: two PEs, each running
# vtopo-dp programmed by fibprog.py (an independent writer of the FIB
# protocol), hosts attached by veth, a service node in the path.
#
#   dp-h1 --- [dp-pe1] ==MPLS-in-UDP 198.18.0.0/24== [dp-pe2] --- dp-h2
#                                                     |      |
#                                            in-VRF  p2si  p2so  out-VRF
#                                                     |      |
#                                                    dp-svc, dp-svc2 (nftables)
#
# h1 -> h2: PE-1 VRF red pushes label 100 -> PE-2 label 100 -> service node
# (in-VRF side; a symmetric ECMP group over two instances) -> back on the
# out-VRF side -> h2.  h2 -> h1: the out-VRF sends it through the same
# instance backwards (symmetric ECMP again), the in-VRF pushes label 200,
# PE-1 looks up VRF red.  Each service node remembers the UDP ports it
# forwarded in each direction, which proves the symmetry.  Checked: ping both ways; the service node's own
# nftables counter; tshark decodes MPLS label 100 in UDP 6635 on the
# underlay; MPLS-in-UDP from a non-PE address is dropped and counted; TTL
# expiry answers ICMP time exceeded; a resync from a restarted writer
# removes what it does not restate while forwarding continues; the labels
# view of SHOW stays small when the whole state is too large for a reply.
#
# usage: e2e.sh VTOPO-DP   (root; exits 77 otherwise)
set -uo pipefail
DP=${1:?usage: e2e.sh VTOPO-DP}
HERE=$(cd "$(dirname "$0")" && pwd)
PROG="python3 $HERE/fibprog.py"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
for t in ip nft tshark ping python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

NS="dp-h1 dp-pe1 dp-pe2 dp-h2 dp-svc dp-svc2"
TMP=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	for n in $NS; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

fails=0
ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; fails=$((fails + 1)); }
# retry N CMD...: bounded wait for a condition (0.2 s steps)
retry() {
	local n=$1; shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.2; done
	return 1
}
x() { local n=$1; shift; ip netns exec "$n" "$@"; }

for n in $NS; do ip netns del "$n" 2>/dev/null; ip netns add "$n"; x "$n" ip link set lo up; done
link() { # ns1 if1 ns2 if2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	x "$1" ip link set "$2" up
	x "$3" ip link set "$4" up
	for s in "$1:$2" "$3:$4"; do
		x "${s%%:*}" sysctl -qw "net.ipv6.conf.${s#*:}.disable_ipv6=1"
		x "${s%%:*}" ethtool -K "${s#*:}" tx off >/dev/null 2>&1 || true
	done
}
link dp-h1 eth0 dp-pe1 p1a
link dp-pe1 ul dp-pe2 ul
link dp-pe2 p2a dp-h2 eth0
link dp-pe2 p2si dp-svc in
link dp-pe2 p2so dp-svc out
link dp-pe2 p2si2 dp-svc2 in
link dp-pe2 p2so2 dp-svc2 out

x dp-h1 ip addr add 192.0.2.10/24 dev eth0
x dp-h1 ip route add default via 192.0.2.1
x dp-h2 ip addr add 198.51.100.10/24 dev eth0
x dp-h2 ip route add default via 198.51.100.1
x dp-pe1 ip addr add 198.18.0.1/24 dev ul
x dp-pe2 ip addr add 198.18.0.2/24 dev ul
x dp-pe2 ip addr add 198.18.0.99/24 dev ul # not a PE: the rogue sender
x dp-svc ip addr add 203.0.113.2/29 dev in
x dp-svc ip addr add 203.0.113.10/29 dev out
x dp-svc sysctl -qw net.ipv4.ip_forward=1
x dp-svc ip route add 198.51.100.0/24 via 203.0.113.9
x dp-svc ip route add 192.0.2.0/24 via 203.0.113.1
x dp-svc2 ip addr add 203.0.113.18/29 dev in
x dp-svc2 ip addr add 203.0.113.26/29 dev out
x dp-svc2 sysctl -qw net.ipv4.ip_forward=1
x dp-svc2 ip route add 198.51.100.0/24 via 203.0.113.25
x dp-svc2 ip route add 192.0.2.0/24 via 203.0.113.17
# each service node counts, and remembers the UDP source ports it saw
# forward (to h2's echo port 7) and back (from port 7)
for n in dp-svc dp-svc2; do x $n nft -f - <<'NFT'
table inet svc {
	set fwd_ports { type inet_service; flags dynamic; }
	set rev_ports { type inet_service; flags dynamic; }
	chain svc_forward {
		type filter hook forward priority 0;
		ip daddr 198.51.100.10 counter
		ip daddr 198.51.100.10 udp dport 7 add @fwd_ports { udp sport }
		ip saddr 198.51.100.10 udp sport 7 add @rev_ports { udp dport }
	}
}
NFT
done

S1=$TMP/pe1.sock S2=$TMP/pe2.sock
ip netns exec dp-pe1 "$DP" -s "$S1" -u 198.18.0.1 -m 1500 2>"$TMP/pe1.err" & PIDS+=($!)
ip netns exec dp-pe2 "$DP" -s "$S2" -u 198.18.0.2 -m 1500 2>"$TMP/pe2.err" & PIDS+=($!)
retry 50 test -S "$S1" && retry 50 test -S "$S2" || { fail "vtopo-dp sockets"; exit 1; }

cat >"$TMP/pe1.json" <<'EOF2'
[{"op": "vrf", "id": 1, "name": "red"},
 {"op": "if", "id": 1, "name": "p1a", "role": "attach", "vrf": 1, "addr": ["192.0.2.1/24"]},
 {"op": "nh", "id": 1, "type": "local", "if": 1},
 {"op": "nh", "id": 2, "type": "tunnel", "pe": "198.18.0.2", "labels": [100]},
 {"op": "nh", "id": 3, "type": "lookup", "vrf": 1},
 {"op": "route", "vrf": 1, "prefix": "192.0.2.0/24", "nh": 1},
 {"op": "route", "vrf": 1, "prefix": "198.51.100.0/24", "nh": 2},
 {"op": "route", "vrf": 1, "prefix": "203.0.113.128/25", "nh": 2},
 {"op": "label", "label": 200, "nh": 3},
 {"op": "peer", "addr": "198.18.0.2"}]
EOF2
cat >"$TMP/pe2.json" <<'EOF2'
[{"op": "vrf", "id": 1, "name": "red-in"},
 {"op": "vrf", "id": 2, "name": "red"},
 {"op": "if", "id": 1, "name": "p2a", "role": "attach", "vrf": 2, "addr": ["198.51.100.1/24"]},
 {"op": "if", "id": 2, "name": "p2si", "role": "service", "vrf": 1, "addr": ["203.0.113.1/29"]},
 {"op": "if", "id": 3, "name": "p2so", "role": "service", "vrf": 2, "addr": ["203.0.113.9/29"]},
 {"op": "if", "id": 4, "name": "p2si2", "role": "service", "vrf": 1, "addr": ["203.0.113.17/29"]},
 {"op": "if", "id": 5, "name": "p2so2", "role": "service", "vrf": 2, "addr": ["203.0.113.25/29"]},
 {"op": "nh", "id": 1, "type": "local", "if": 2, "gw": "203.0.113.2"},
 {"op": "nh", "id": 2, "type": "local", "if": 1},
 {"op": "nh", "id": 3, "type": "tunnel", "pe": "198.18.0.1", "labels": [200]},
 {"op": "nh", "id": 4, "type": "local", "if": 4, "gw": "203.0.113.18"},
 {"op": "nh", "id": 5, "type": "ecmp", "symmetric": true, "members": [1, 4]},
 {"op": "nh", "id": 6, "type": "local", "if": 3, "gw": "203.0.113.10"},
 {"op": "nh", "id": 7, "type": "local", "if": 5, "gw": "203.0.113.26"},
 {"op": "nh", "id": 8, "type": "ecmp", "symmetric": true, "members": [6, 7]},
 {"op": "label", "label": 100, "nh": 5},
 {"op": "route", "vrf": 2, "prefix": "198.51.100.0/24", "nh": 2},
 {"op": "route", "vrf": 2, "prefix": "192.0.2.0/24", "nh": 8},
 {"op": "route", "vrf": 1, "prefix": "192.0.2.0/24", "nh": 3},
 {"op": "peer", "addr": "198.18.0.1"}]
EOF2
x dp-pe1 $PROG "$S1" 1 "$TMP/pe1.json" && ok "PE-1 programmed (resync requested, ack 0)" ||
	fail "PE-1 programming"
x dp-pe2 $PROG "$S2" 1 "$TMP/pe2.json" && ok "PE-2 programmed (resync requested, ack 0)" ||
	fail "PE-2 programming"

show() { x "$1" "$DP" -s "$2" show; }
# jq-free JSON query: q NS SOCK PYTHON-EXPR (j is the show output)
q() { show "$1" "$2" | python3 -c "import json,sys; j=json.load(sys.stdin); print($3)"; }

# tshark on PE-2's underlay while the first pings flow
ip netns exec dp-pe2 tshark -n -i ul -w "$TMP/ul.pcap" -f "udp port 6635" -a duration:20 \
	2>"$TMP/tshark.err" & TSH=$!
retry 50 grep -q Capturing "$TMP/tshark.err" || fail "tshark did not start"

pingok() { x dp-h1 ping -c1 -W1 198.51.100.10 >/dev/null 2>&1; }
if retry 25 pingok; then ok "h1 pings h2 through the tunnel and the service node"; else
	fail "h1 -> h2 ping"; fi
x dp-h1 ping -c5 -i0.2 -W1 198.51.100.10 >"$TMP/ping.out" 2>&1
grep -q " 0% packet loss" "$TMP/ping.out" && ok "5 of 5 pings answered" || fail "ping loss: $(tail -2 "$TMP/ping.out")"
kill -INT $TSH 2>/dev/null; wait $TSH 2>/dev/null

# the service nodes' own counters saw the traffic (summed over both
# instances: the symmetric ECMP group picks one per flow)
nftjson() { for n in "$@"; do x "$n" nft -j list ruleset; done; }
NFTPY='
import json, sys
def docs(text):
    d, i = json.JSONDecoder(), 0
    while i < len(text.strip()):
        o, i = d.raw_decode(text, i)
        while i < len(text) and text[i].isspace(): i += 1
        yield o
'
nftpk=$(nftjson dp-svc dp-svc2 | python3 -c "$NFTPY"'
t = 0
for doc in docs(sys.stdin.read()):
    for e in doc["nftables"]:
        for x in e.get("rule", {}).get("expr", []):
            if "counter" in x: t += x["counter"]["packets"]
print(t)')
[ "${nftpk:-0}" -ge 6 ] && ok "service nodes' nftables counters: $nftpk packets forwarded" ||
	fail "service node counters ${nftpk:-none} (want >= 6)"

# tshark decodes MPLS in UDP 6635: label 100 towards PE-2, 200 back
labels=$(tshark -n -r "$TMP/ul.pcap" -d udp.port==6635,mpls -T fields -E occurrence=f -e ip.dst -e mpls.label \
	-e mpls.bottom -Y "mpls && icmp" 2>/dev/null | sort -u)
echo "$labels" | sed 's/^/# tshark: /'
echo "$labels" | grep -qP '^198\.18\.0\.2\t100\t1$' && ok "tshark: label 100 (BoS) to 198.18.0.2" ||
	fail "tshark did not see label 100 to PE-2"
echo "$labels" | grep -qP '^198\.18\.0\.1\t200\t1$' && ok "tshark: label 200 (BoS) to 198.18.0.1" ||
	fail "tshark did not see label 200 to PE-1"

# symmetric ECMP over two service instances: 64 UDP flows h1 -> h2:7 and
# their replies; each instance must have seen exactly the same source ports
# in both directions, and both instances must carry some flows
x dp-h2 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.10", 7))
s.settimeout(20)
try:
    while True:
        d, a = s.recvfrom(2048)
        s.sendto(d, a)
except socket.timeout:
    pass' & ECHO=$!
echoed=$(x dp-h1 python3 -c '
import socket
n = 0
for port in range(40000, 40064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.10", port))
    s.settimeout(1)
    for _ in range(3):
        s.sendto(b"x", ("198.51.100.10", 7))
        try:
            s.recvfrom(100); n += 1; break
        except socket.timeout:
            pass
print(n)')
kill $ECHO 2>/dev/null; wait $ECHO 2>/dev/null
[ "$echoed" = 64 ] && ok "64 UDP flows echoed through the ECMP service group" ||
	fail "UDP flows echoed: $echoed of 64"
sets() { x "$1" nft -j list set inet svc "$2" | python3 -c "$NFTPY"'
ports = []
for doc in docs(sys.stdin.read()):
    for e in doc["nftables"]:
        if "set" in e: ports += e["set"].get("elem", [])
print(" ".join(str(p) for p in sorted(p for p in ports if isinstance(p, int))))'; }
f1=$(sets dp-svc fwd_ports) r1=$(sets dp-svc rev_ports) f2=$(sets dp-svc2 fwd_ports) r2=$(sets dp-svc2 rev_ports)
n1=$(echo $f1 | wc -w) n2=$(echo $f2 | wc -w)
[ -n "$f1" ] && [ "$f1" = "$r1" ] && [ -n "$f2" ] && [ "$f2" = "$r2" ] && [ $((n1 + n2)) -eq 64 ] &&
	ok "symmetric ECMP: instance 1 carried $n1 flows, instance 2 $n2, each flow's reply came back through the same instance" ||
	fail "symmetric ECMP: svc fwd/rev $n1/$(echo $r1 | wc -w), svc2 fwd/rev $n2/$(echo $r2 | wc -w)"

# TTL expiry: PE-1 answers ICMP time exceeded from its gateway address
x dp-h1 ping -c1 -W2 -t1 198.51.100.10 >"$TMP/ttl.out" 2>&1
grep -q "From 192.0.2.1.*Time to live exceeded" "$TMP/ttl.out" &&
	ok "TTL 1: ICMP time exceeded from 192.0.2.1" || fail "TTL expiry: $(cat "$TMP/ttl.out")"

# MTU: 1500-octet packet with DF + 32 octets of IPv4/UDP/one label (RFC 7510
# s3) does not fit the 1500 underlay: ICMP fragmentation needed, MTU 1468
x dp-h1 ping -c1 -W2 -M do -s 1472 198.51.100.10 >"$TMP/mtu.out" 2>&1
grep -q "From 192.0.2.1.*Frag needed and DF set (mtu = 1468)" "$TMP/mtu.out" &&
	ok "DF 1500 octets: ICMP frag needed, mtu 1468" || fail "MTU: $(cat "$TMP/mtu.out")"
x dp-h1 ping -c1 -W2 -M do -s 1440 198.51.100.10 >/dev/null 2>&1 &&
	ok "DF 1468 octets fits and is answered" || fail "1468-octet ping"

# MPLS-in-UDP from 198.18.0.99 (not a PE peer) is dropped and counted
before=$(q dp-pe1 "$S1" 'j["counters"]["decap-not-peer"]["packets"]')
lbl_before=$(q dp-pe1 "$S1" '[l for l in j["labels"] if l["label"]==200][0]["counters"]["packets"]')
x dp-pe2 python3 - <<'PY'
import socket, struct
def csum(b):
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
icmp = struct.pack(">BBHHH", 8, 0, 0, 1, 1)
icmp = icmp[:2] + struct.pack(">H", csum(icmp)) + icmp[4:]
ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 64, 1, 0,
                 socket.inet_aton("198.51.100.10"), socket.inet_aton("192.0.2.10"))
ip = ip[:10] + struct.pack(">H", csum(ip)) + ip[12:]
mpls = struct.pack(">I", 200 << 12 | 1 << 8 | 64)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.0.99", 0))
for _ in range(3):
    s.sendto(mpls + ip + icmp, ("198.18.0.1", 6635))
PY
notpeer() { [ "$(q dp-pe1 "$S1" 'j["counters"]["decap-not-peer"]["packets"]')" -ge $((before + 3)) ]; }
if retry 25 notpeer; then ok "3 packets from non-PE 198.18.0.99 dropped and counted"; else
	fail "decap-not-peer did not grow by 3 (was $before)"; fi
lbl_after=$(q dp-pe1 "$S1" '[l for l in j["labels"] if l["label"]==200][0]["counters"]["packets"]')
[ "$lbl_after" = "$lbl_before" ] && ok "label 200 counter unchanged by the non-PE packets" ||
	fail "label 200 counter moved $lbl_before -> $lbl_after"

# FlowSpec in the ingress VRF (RFC 8955 s4.2.2.3 protocol == 1 and
# s4.2.2.10 packet-length >= 1000, bytes by hand: 03 81 01 0a 93 03 e8)
# -> DROP: large pings are dropped, small ones still pass
cat >"$TMP/flow.json" <<'EOF2'
[{"op": "nh", "id": 9, "type": "drop"},
 {"op": "flow", "vrf": 1, "id": 1, "priority": 10, "nlri": "0381010a9303e8", "nh": 9}]
EOF2
x dp-pe1 $PROG "$S1" 2 "$TMP/flow.json" && ok "flow rule added as generation 2 (no resync)" ||
	fail "flow rule"
x dp-h1 ping -c2 -i0.2 -W1 -s 1200 198.51.100.10 >/dev/null 2>&1 &&
	fail "1228-octet pings passed the flow rule" || ok "1228-octet pings dropped by the flow rule"
pingok && ok "small pings unaffected by the flow rule" || fail "small ping with the flow rule"
fh=$(q dp-pe1 "$S1" '[f for f in j["flows"] if f["id"]==1][0]["counters"]["packets"]')
fm=$(q dp-pe1 "$S1" '[f for f in j["flows"] if f["id"]==1][0]["match"]')
[ "$fh" -eq 2 ] && ok "flow counter 2 ($fm)" || fail "flow counter $fh (want 2)"

# a restarted writer (generation 0) resyncs: 203.0.113.128/25 is not restated
# ... while h1 pings h2 every 20 ms: no ping may be lost across the resync
grep -v 203.0.113.128 "$TMP/pe1.json" >"$TMP/pe1b.json"
x dp-h1 ping -c100 -i0.02 -W1 198.51.100.10 >"$TMP/ping-resync.out" 2>&1 &
PING=$!
retry 50 grep -q "icmp_seq=10 " "$TMP/ping-resync.out"
x dp-pe1 $PROG "$S1" 1 "$TMP/pe1b.json" --fresh && ok "PE-1 resync after writer restart acked" ||
	fail "PE-1 resync"
wait $PING
loss=$(grep -o "[0-9.]*% packet loss" "$TMP/ping-resync.out")
[ "$loss" = "0% packet loss" ] && ok "100 pings at 20 ms across the resync: $loss" ||
	fail "pings across the resync: ${loss:-none}"
routes=$(q dp-pe1 "$S1" '" ".join(r["prefix"] for v in j["vrfs"] for r in v["routes"])')
case "$routes" in
*203.0.113.128*) fail "resync kept an unrestated route: $routes" ;;
*198.51.100.0/24*) ok "resync removed the unrestated route, kept the others" ;;
*) fail "routes after resync: $routes" ;;
esac
pingok && ok "ping after resync" || fail "ping after resync"
x dp-h1 ping -c1 -W1 -s 1200 198.51.100.10 >/dev/null 2>&1 &&
	ok "resync removed the flow rule: large ping passes" || fail "large ping after resync"

# the labels view (docs/fib-protocol.md, SHOW "labels"): with 3000 more
# routes PE-2's whole state no longer fits one SHOW-REPLY, its labels view
# still does, and holds exactly the labels programmed (pe2.json) with the
# next hops they point at and no routes
python3 -c '
import json
print(json.dumps([{"op": "route", "vrf": 2, "prefix": "10.%d.%d.0/24" % (i // 250, i % 250),
                   "nh": 2} for i in range(3000)]))' >"$TMP/many.json"
x dp-pe2 $PROG "$S2" 2 "$TMP/many.json" && ok "PE-2: 3000 more routes as generation 2" ||
	fail "PE-2: 3000 more routes"
if show dp-pe2 "$S2" >/dev/null 2>"$TMP/big.err"; then
	fail "the whole state of 3000 routes fit one reply: the labels view is not needed"
else
	ok "the whole state does not fit one reply: $(cat "$TMP/big.err")"
fi
want=$(python3 -c 'import json,sys; print(" ".join("%d->%d" % (o["label"], o["nh"]) for o in
	sorted(json.load(open(sys.argv[1])), key=lambda o: o.get("label", 0)) if o["op"] == "label"))' \
	"$TMP/pe2.json")
got=$(x dp-pe2 "$DP" -s "$S2" show labels | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["generation"] == 2 and "routes" not in json.dumps(j), "not the labels view"
nhs = {n["id"] for n in j["nexthops"]}
assert all(l["nh"] in nhs for l in j["labels"]), "a label without its next hop"
print(" ".join("%d->%d" % (l["label"], l["nh"]) for l in sorted(j["labels"], key=lambda l: l["label"])))')
[ -n "$want" ] && [ "$got" = "$want" ] && ok "labels view: $got" ||
	fail "labels view: '$got', want '$want'"
x dp-pe2 "$DP" -s "$S2" show nonsense >/dev/null 2>&1 && fail "show with an unknown view worked" ||
	ok "show with an unknown view refused"
sed 's/"op": "route"/"op": "route-del"/' "$TMP/many.json" >"$TMP/few.json"
x dp-pe2 $PROG "$S2" 3 "$TMP/few.json" && ok "PE-2: the 3000 routes removed again" ||
	fail "PE-2: removing the 3000 routes"

# stop both data planes cleanly: their stderr (sanitizer reports) must be empty
show dp-pe1 "$S1" >"$TMP/pe1.show"; show dp-pe2 "$S2" >"$TMP/pe2.show"
for p in "${PIDS[@]:0:2}"; do kill "$p"; wait "$p"; done
for f in "$TMP/pe1.err" "$TMP/pe2.err"; do
	[ -s "$f" ] && { fail "vtopo-dp stderr:"; grep -E "ERROR|SUMMARY|#[0-9] " "$f" | head -30; } || ok "$(basename "$f" .err): clean exit, empty stderr"
done
[ $fails -eq 0 ] && echo "PASS" || { echo "FAIL: $fails"; cat "$TMP/pe1.show" "$TMP/pe2.show"; }
exit $((fails > 0))
