#!/usr/bin/env bash
# Fine-grained steering with VPN FlowSpec for IPv6 through real packets
# (draft-rfernando-bess-service-chaining-01 s4.1.5, RFC 8956): the
# scenario of tests/topo/flowspec_dp in IPv6 over the same IPv4 underlay.
# vtopod programs vtopo-dp on every PE; one flow (TCP to VM-2 port 80)
# goes through Serv-A then Serv-B while other traffic between the same
# hosts goes direct.  The hosts are unmodified Linux with an on-link
# default route (vtopo-dp answers their Neighbor Solicitations); the
# service nodes are Linux IPv6 routers on one arm.
#
#   pe1   198.18.0.1    PE-1, zone1, VM-1 2001:db8:1::10 on vm1-z1
#   spea  198.18.0.2    S-PE-A, Serv-A 2001:db8:100::1 on serv-a
#   speb  198.18.0.3    S-PE-B, Serv-B 2001:db8:100::2 on serv-b
#   pe2   198.18.0.4    PE-2, zone2, VM-2 2001:db8:2::10 on vm2-z2
#   rr    198.18.0.254  route reflector
#   gb    198.18.0.100  GoBGP, injects the VPN FlowSpec route (ipv6-vpn-flowspec)
#
# The flow route (RD 198.18.0.4:1, destination 2001:db8:2::10/128, upper-
# layer protocol TCP, destination port 80, RT 65000:101 of the ipv6-vpn
# topology z1-to-z2 {Serv-A, Serv-B}) becomes an IPv6 flow rule in PE-1's
# zone1 (to S-PE-A) and in S-PE-A's serv-a-out (to S-PE-B).
#
# Checked, by the service nodes' own nftables counters (ip6 rules) and the
# hosts' own TCP and ping: with the flow route, HTTP GETs from VM-1 to
# VM-2:80 over IPv6 succeed and both nodes count the flow's packets, while
# ping6 from VM-1 to VM-2 succeeds and neither counts ICMPv6; vtopo-dp on
# PE-1 and S-PE-A holds one IPv6 flow rule and counts hits on it; once the
# flow route is withdrawn GETs still succeed and the counters stand still.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL, VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
: "${VTOPO_DP:?VTOPO_DP is not set}"
for t in nft jq ethtool; do
	command -v $t >/dev/null || {
		echo "SKIP: $t missing"
		exit 77
	}
done
TOPO_PREFIX=${TOPO_NS_PREFIX:+$TOPO_NS_PREFIX$$}
TOPO_PREFIX=${TOPO_PREFIX:-fs6$$}
topo_switch
PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 RR=198.18.0.254 GB=198.18.0.100
VM1=2001:db8:1::10 VM2=2001:db8:2::10 SA=2001:db8:100::1 SB=2001:db8:100::2
RD=198.18.0.4:1
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR gb:$GB; do
	topo_host "${h%%:*}" "${h#*:}/24"
done

# An attachment or service-node link: NAME's namespace gets interface
# IFACE (vtopo-dp's), the peer namespace PEER gets eth0 with ADDR.
# Checksums are filled in by the sender (vtopo-dp reads whole frames).
topo_link() { # NAME IFACE PEER ADDR/LEN
	local ns peer
	ns=$(topo_ns "$1")
	peer=$(topo_ns "$3")
	ip netns add "$peer"
	TOPO_NS+=("$peer")
	mkdir -p "$TOPO_DIR/$3"
	ip -n "$peer" link set lo up
	# IPv6 on the host's side, addresses usable at once (no DAD)
	ip netns exec "$peer" sh -c 'for k in all default; do
		sysctl -qw net.ipv6.conf.$k.accept_dad=0; done'
	ip -n "$ns" link add "$2" type veth peer name eth0 netns "$peer"
	ip -n "$ns" link set "$2" up
	ip -n "$peer" addr add "$4" dev eth0 nodad
	ip -n "$peer" link set eth0 up
	topo_exec "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true
	topo_exec "$3" ethtool -K eth0 tx off rx off >/dev/null 2>&1 || true
	topo_exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
}
topo_link pe1 vm1-z1 vm1 $VM1/64
topo_link pe2 vm2-z2 vm2 $VM2/64
topo_link spea serv-a sva $SA/64
topo_link speb serv-b svb $SB/64
# the hosts send everything on the link; vtopo-dp answers NS for what the
# VRF routes elsewhere (proxy-ND, RFC 4861 s7.2.8)
topo_exec vm1 ip -6 route add default dev eth0
topo_exec vm2 ip -6 route add default dev eth0
# A service node: one arm, forwards what it receives back out of the same
# link, and counts
for n in sva svb; do
	topo_exec $n sysctl -qw net.ipv6.conf.all.forwarding=1
	topo_exec $n ip -6 route add 2001:db8::/32 dev eth0
	topo_exec $n nft -f - <<NFT
table inet svc {
	chain svc_forward {
		type filter hook forward priority 0;
		ip6 daddr $VM2 tcp dport 80 counter comment "flow"
		ip6 daddr $VM2 meta l4proto ipv6-icmp counter comment "icmp"
		ip6 saddr 2001:db8::/32 counter comment "all"
	}
}
NFT
done
sv_count() { # NODE COMMENT: packets counted by the service node's rule
	topo_exec "$1" nft -j list chain inet svc svc_forward | jq -r --arg c "$2" \
	  '.nftables[].rule? | select(.comment == $c) | .expr[] | .counter?.packets // empty'
}

# ---- configurations (yang/vtopo.yang; structure as tests/config/fig1-*.json)
neighbor() { # ADDR
	printf '{"address": "%s", "remote-as": 65000, "local-address": "%s",
	  "timers": {"connect-retry": 2}, "afi-safis": {"afi-safi": [{"name": "ipv4-vpn"},
	  {"name": "ipv6-vpn"}, {"name": "rtc"}, {"name": "ipv6-vpn-flowspec"}]}}' "$RR" "$1"
}
rt() { printf '{"route-target": "target:%s", "route-target-type": "%s"}' "$1" "$2"; }
TOPOLOGY='{"name": "z1-to-z2", "route-target": "target:65000:101",
  "address-family": "ipv6-vpn", "service-node-sequence": ["2001:db8:100::1", "2001:db8:100::2"]}'
cat >"$TOPO_DIR/pe1.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$PE1"},
 "neighbors": {"neighbor": [$(neighbor $PE1)]},
 "network-instances": {"network-instance": [{"name": "zone1", "route-distinguisher": "$PE1:1",
  "vpn-targets": {"vpn-target": [$(rt 65000:1 both), $(rt 65000:2 import), $(rt 65000:100 import),
    $(rt 65000:101 import)]},
  "attachments": {"attachment": [{"name": "vm1", "host": "vm1", "interface": "vm1-z1",
    "address": [{"ip": "$VM1", "prefix-length": 64}]}]}}]},
 "service-topologies": {"service-topology": [$(jq -c '. + {"ingress-vrf": ["zone1"]}' <<<"$TOPOLOGY")]}}}
EOF
# serv-a-out imports zone 1 (65000:1) as well: vtopo-dp takes MPLS-in-UDP
# only from the PEs its FIB has a tunnel to, and S-PE-A must take PE-1's;
# and zone 2 (65000:2): vtopo-dp answers Serv-A's ARP for VM-2's address
# only when the out-VRF routes it (the flow rule then wins over that route)
cat >"$TOPO_DIR/spea.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$SPEA"},
 "neighbors": {"neighbor": [$(neighbor $SPEA)]},
 "network-instances": {"network-instance": [
  {"name": "serv-a-in", "route-distinguisher": "$SPEA:1",
   "vpn-targets": {"vpn-target": [$(rt 65000:100 export)]}},
  {"name": "serv-a-out", "route-distinguisher": "$SPEA:2",
   "vpn-targets": {"vpn-target": [$(rt 65000:1 import), $(rt 65000:2 import),
     $(rt 65000:100 import), $(rt 65000:101 import)]}}]},
 "service-nodes": {"service-node": [{"name": "serv-a", "address": "$SA", "interface": "serv-a",
   "in-vrf": "serv-a-in", "out-vrf": "serv-a-out", "label-mode": "direct"}]},
 "service-topologies": {"service-topology": [$TOPOLOGY]}}}
EOF
cat >"$TOPO_DIR/speb.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$SPEB"},
 "neighbors": {"neighbor": [$(neighbor $SPEB)]},
 "network-instances": {"network-instance": [
  {"name": "serv-b-in", "route-distinguisher": "$SPEB:1",
   "vpn-targets": {"vpn-target": [$(rt 65000:100 export)]}},
  {"name": "serv-b-out", "route-distinguisher": "$SPEB:2",
   "vpn-targets": {"vpn-target": [$(rt 65000:1 import), $(rt 65000:2 import),
     $(rt 65000:100 import), $(rt 65000:101 import)]}}]},
 "service-nodes": {"service-node": [{"name": "serv-b", "address": "$SB", "interface": "serv-b",
   "in-vrf": "serv-b-in", "out-vrf": "serv-b-out", "label-mode": "direct"}]},
 "service-topologies": {"service-topology": [$TOPOLOGY]}}}
EOF
cat >"$TOPO_DIR/pe2.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$PE2"},
 "neighbors": {"neighbor": [$(neighbor $PE2)]},
 "network-instances": {"network-instance": [{"name": "zone2", "route-distinguisher": "$PE2:1",
  "vpn-targets": {"vpn-target": [$(rt 65000:2 both), $(rt 65000:1 import), $(rt 65000:100 import)]},
  "attachments": {"attachment": [{"name": "vm2", "host": "vm2", "interface": "vm2-z2",
    "address": [{"ip": "$VM2", "prefix-length": 64}]}]}}]},
 "service-topologies": {"service-topology": [$TOPOLOGY]}}}
EOF
cat >"$TOPO_DIR/rr.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$RR"},
 "peer-groups": {"peer-group": [{"name": "pes", "remote-as": 65000,
   "route-reflector-client": true, "local-address": "$RR",
   "afi-safis": {"afi-safi": [{"name": "ipv4-vpn"}, {"name": "ipv6-vpn"}, {"name": "rtc"},
     {"name": "ipv6-vpn-flowspec"}]}}]},
 "neighbors": {"neighbor": [{"address": "$PE1", "peer-group": "pes"},
   {"address": "$SPEA", "peer-group": "pes"}, {"address": "$SPEB", "peer-group": "pes"},
   {"address": "$PE2", "peer-group": "pes"},
   {"address": "$GB", "peer-group": "pes"}]}}}
EOF

# vtopod with vtopo-dp on each PE: vtopo-dp first, then vtopod --fib-socket
pe_start() { # NAME UNDERLAY
	local d="$TOPO_DIR/$1"
	ip netns exec "$(topo_ns "$1")" "$VTOPO_DP" -s "$d/dp.sock" -u "$2" -m 1500 \
		</dev/null >"$d/dp.log" 2>&1 &
	TOPO_PIDS+=($!)
	wait_ok 10 "vtopo-dp on $1 listens" test -S "$d/dp.sock"
	norm vtopod-conf "$d/vtopod.sock" "$d/vtopod.log" <"$TOPO_DIR/$1.json" >"$d/vtopod.json"
	echo vtopod >"$d/kind"
	topo_spawn "$1" "$d/vtopod.out.log" "$VTOPOD" -f "$d/vtopod.json" --fib-socket "$d/dp.sock"
	wait_ok 10 "vtopod on $1 answers" topo_up "$1" vtopoctl_ "$1" -j show neighbors
}
vtopod_start rr "$TOPO_DIR/rr.json"
pe_start pe1 $PE1
pe_start spea $SPEA
pe_start speb $SPEB
pe_start pe2 $PE2
gobgp_start gb <(gobgp_conf gb 65000 $GB $RR:65000 | sed 's/l3vpn-ipv4-unicast/l3vpn-ipv6-flowspec/')
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 gb:$GB; do
	wait_ok 60 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
done

# The hosts' own traffic
get_ok() { # an HTTP GET from VM-1 to VM-2 port 80 is answered
	topo_exec vm1 timeout 3 bash -c "exec 3<>/dev/tcp/$VM2/80 &&
	  printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -1 <&3" | grep -q '^HTTP/1.0 200'
}
ping_ok() { topo_exec vm1 ping -6 -c1 -W1 $VM2 >/dev/null; }
mkdir -p "$TOPO_DIR/vm2/www"
echo hello >"$TOPO_DIR/vm2/www/index.html"
ip netns exec "$(topo_ns vm2)" /usr/bin/python3 -m http.server 80 --bind $VM2 \
	--directory "$TOPO_DIR/vm2/www" </dev/null >"$TOPO_DIR/vm2/http.log" 2>&1 &
TOPO_PIDS+=($!)
wait_ok 30 "VM-1 pings VM-2 (direct, PE-1 to PE-2)" ping_ok
wait_ok 30 "VM-1 GETs from VM-2 (direct)" get_ok
for n in sva svb; do
	[ "$(sv_count $n all)" = 0 ] || topo_die "$n forwarded $(sv_count $n all) packets before any flow route"
done

fib_flows() { # NAME VRF: installed flow rules as "PE LABEL"
	vtopoctl_ "$1" -j show fib "$2" | jq -r '.vrfs[].flows[]? | select(.state == "installed") |
	  "\(.nexthop.pe) \(.nexthop.labels // [] | map(tostring) | join(" "))"'
}
flow_at() { # NAME VRF PE
	local have
	have=$(fib_flows "$1" "$2" | cut -d' ' -f1)
	echo "want [$3] have [$have]"
	[ "$have" = "$3" ]
}
flow() { # add|del
	gobgp_cli gb global rib -a ipv6-l3vpn-flowspec "$1" rd $RD \
		match destination $VM2/128 protocol tcp destination-port ==80 "then" accept rt 65000:101
}
flow add
wait_ok 30 "PE-1: flow rule towards S-PE-A" flow_at pe1 zone1 $SPEA
wait_ok 30 "S-PE-A: flow rule towards S-PE-B" flow_at spea serv-a-out $SPEB
# the data plane holds it too (vtopo-dp's own show)
dp_flows() { topo_exec "$1" "$VTOPO_DP" -s "$TOPO_DIR/$1/dp.sock" show | jq '.flows | length'; }
dp_has_flow() { [ "$(dp_flows "$1")" = 1 ]; }
wait_ok 10 "vtopo-dp on PE-1 holds one flow rule" dp_has_flow pe1
wait_ok 10 "vtopo-dp on S-PE-A holds one flow rule" dp_has_flow spea
check "vtopo-dp on S-PE-B holds none (last hop)" test "$(dp_flows speb)" = 0

for i in 1 2 3; do
	wait_ok 10 "GET $i from VM-1 to VM-2:80 answered through Serv-A and Serv-B" get_ok
done
for n in sva svb; do
	flowpk=$(sv_count $n flow)
	topo_log "$n counted $flowpk packets of TCP to $VM2:80"
	[ "${flowpk:-0}" -ge 6 ] || topo_die "$n saw ${flowpk:-no} packets of the flow (want >= 6: 3 connections)"
done
# vtopo-dp's own view: an IPv6 rule for VM-2's address that the packets hit
dp_flow() { # NAME FIELD
	topo_exec "$1" "$VTOPO_DP" -s "$TOPO_DIR/$1/dp.sock" show | jq -r ".flows[0].$2"
}
for n in pe1 spea; do
	m=$(dp_flow $n match)
	case $m in *"$VM2/128"*) topo_log "ok: vtopo-dp on $n: rule $m" ;;
	*) topo_die "vtopo-dp on $n: rule $m, want destination $VM2/128" ;; esac
	hits=$(dp_flow $n counters.packets)
	[ "$hits" -ge 6 ] && topo_log "ok: vtopo-dp on $n: $hits packets hit the rule" ||
		topo_die "vtopo-dp on $n: $hits packets hit the rule (want >= 6)"
done
topo_exec vm1 ping -6 -c5 -i0.2 -W1 $VM2 >"$TOPO_DIR/ping.out" 2>&1 ||
	topo_die "pings lost: $(tail -2 "$TOPO_DIR/ping.out")"
check "Serv-A saw no ICMPv6 (other traffic goes direct)" test "$(sv_count sva icmp)" = 0
check "Serv-B saw no ICMPv6" test "$(sv_count svb icmp)" = 0

flow del
wait_ok 30 "PE-1: flow rule withdrawn" flow_at pe1 zone1 ""
before=$(sv_count sva flow) beforeb=$(sv_count svb flow)
wait_ok 10 "GET answered after the withdrawal" get_ok
get_ok || topo_die "second GET after the withdrawal"
check "Serv-A counted no more TCP to $VM2:80 ($before)" test "$(sv_count sva flow)" = "$before"
check "Serv-B counted no more TCP to $VM2:80 ($beforeb)" test "$(sv_count svb flow)" = "$beforeb"
topo_log "flowspec_dp6: OK"
