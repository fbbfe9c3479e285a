#!/usr/bin/env bash
# The PE allow-list of vtopo-dp (RFC 7510 s5: MPLS-in-UDP is accepted only
# from the network's PEs), configured in vtopod as underlay/pe-address and
# pushed to vtopo-dp as FIB peers (docs/fib-protocol.md), on Figure 1 with
# real traffic (tests/topo/lib/fig1dp.sh).
#
# S-PE-A's list is PE-1, S-PE-B, PE-2 and pe9 (198.18.0.9), a PE that
# S-PE-A has no tunnel to (no route of S-PE-A leads there): the allow-list
# does not come from the FIB.  scapy sends the same MPLS-in-UDP packet
# (UDP 6635, RFC 7510 s3; one label: the one PE-1's FIB uses to reach
# Serv-A, read in PE-1's FIB; inside, UDP from vm1 to vm2 port 9999):
#  - from rogue (198.18.0.99, on the underlay, not in the list): nothing
#    reaches Serv-A (an nftables counter in Serv-A's namespace stays 0) and
#    S-PE-A's decap-not-peer counter grows by exactly the number sent;
#  - from pe9: Serv-A counts every packet, decap-not-peer does not move.
# vtopo-dp's peers are exactly the configured list.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix pa$$
topo_need nft jq ping ethtool
/usr/bin/python3 -c 'import scapy.contrib.mpls' 2>/dev/null || { echo "SKIP: scapy missing"; exit 77; }

PE9=198.18.0.9 ROGUE=198.18.0.99 N=7
ALLOW='["198.18.0.1", "198.18.0.3", "198.18.0.4", "198.18.0.9"]'
fig1_conf_hook() { # S-PE-A gets the allow-list
	if [ "$1" = spea ]; then
		jq --argjson a "$ALLOW" '.["vtopo:vtopo"].underlay["pe-address"] = $a'
	else
		cat
	fi
}

fig1_up || topo_die "Figure 1 did not come up"
topo_host pe9 "$PE9/24"
topo_host rogue "$ROGUE/24"
topo_log "ok: Figure 1 up; pe9 and rogue on the underlay"

is "S-PE-A's vtopo-dp peers" "$(fig1_dp_show spea | jq -c '[.peers[].address] | sort')" \
	"$(jq -c 'sort' <<<"$ALLOW")"
# no route of S-PE-A's FIB leads to pe9
is "S-PE-A tunnels to pe9" "$(fig1_dp_show spea |
	jq --arg a "$PE9" '[.nexthops[] | select(.pe == $a)] | length')" 0

# the label PE-1 uses to reach Serv-A on S-PE-A: vm2's chain entry
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2)
read -r via label <<<"$(fig1_fib pe1 zone1 "$VM2/32")"
is "PE-1's next hop for vm2 (first service PE)" "$via" 198.18.0.2
[ -n "$label" ] || topo_die "no label for vm2 at PE-1"

# Serv-A counts UDP to port 9999 before anything else
fig1_x serva nft -f - <<NFT
table inet probe {
	counter p { }
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		udp dport 9999 counter name p
	}
}
NFT
probe() { fig1_x serva nft -j list counter inet probe p | jq -r '.nftables[] | select(.counter) | .counter.packets'; }

send() { # FROM-NAME SRC-ADDR
	topo_exec "$1" /usr/bin/python3 - "$2" 198.18.0.2 "$label" "$VM1" "$VM2" "$N" <<'PY'
import sys
from scapy.all import IP, UDP, Raw, conf, send
from scapy.contrib.mpls import MPLS
conf.verb = 0
src, dst, label, inner_src, inner_dst, n = sys.argv[1:7]
inner = IP(src=inner_src, dst=inner_dst, ttl=64) / UDP(sport=40000, dport=9999) / Raw(b"x" * 32)
# RFC 7510 s3: UDP destination port 6635, then the label stack
pkt = IP(src=src, dst=dst) / UDP(sport=49152, dport=6635) / MPLS(label=int(label), s=1, ttl=64) / inner
send(pkt, count=int(n), inter=0.01)
PY
}

np_at_least() { [ "$(($(fig1_dp_counter spea decap-not-peer) - np0))" -ge "$1" ]; }
probe_at_least() { [ "$(($(probe) - p0))" -ge "$1" ]; }

np0=$(fig1_dp_counter spea decap-not-peer) p0=$(probe)
send rogue "$ROGUE"
wait_for 10 "S-PE-A counts $N not-peer drops" np_at_least "$N" || true
is "decap-not-peer on S-PE-A after $N from rogue" "$(($(fig1_dp_counter spea decap-not-peer) - np0))" "$N"
is "packets at Serv-A from rogue" "$(($(probe) - p0))" 0

np0=$(fig1_dp_counter spea decap-not-peer) p0=$(probe)
send pe9 "$PE9"
wait_for 10 "Serv-A receives $N from pe9" probe_at_least "$N" || true
is "packets at Serv-A from pe9 (configured, no tunnel)" "$(($(probe) - p0))" "$N"
is "decap-not-peer on S-PE-A after $N from pe9" "$(($(fig1_dp_counter spea decap-not-peer) - np0))" 0
topo_log "PASS"
