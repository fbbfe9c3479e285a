# shellcheck shell=bash
# The flowspec_dp scenario for one address family: VPN FlowSpec steering
# through real packets (draft-rfernando-bess-service-chaining-01 s4.1.5).
# Sourced after topo.sh and fig1dp.sh by tests/topo/flowspec_dp/run.sh
# (IPv4, RFC 8955) and tests/topo/flowspec_dp6/run.sh (IPv6, RFC 8956),
# which say what is checked; the underlay is IPv4 in both.
#
#   fsdp_run 4|6    the whole scenario (after topo_init and TOPO_PREFIX)
#
# Needs VTOPOD, VTOPOCTL, VTOPO_DP; nft, jq, ethtool.

PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 RR=198.18.0.254 GB=198.18.0.100
RD=198.18.0.4:1

# the family's addresses and names
fsdp_family() { # 4|6
	FSDP_FAM=$1
	if [ "$1" = 6 ]; then
		VM1=2001:db8:1::10 VM2=2001:db8:2::10 SA=2001:db8:100::1 SB=2001:db8:100::2
		HOSTLEN=64 SVCLEN=64 HOSTPFX=128 PING="ping -6"
		VPN=ipv6-vpn GB_FAM=l3vpn-ipv6-flowspec
		GB_RIB=ipv6-l3vpn-flowspec
		# the IPv4 configuration's families plus ipv6-vpn
		AFIS='{"name": "ipv4-vpn"}, {"name": "ipv6-vpn"}, {"name": "rtc"}, {"name": "ipv6-vpn-flowspec"}'
		# shellcheck disable=SC2034 # read by fig1_ns (fig1dp.sh)
		FIG1_V6=1 # fig1_ns: IPv6 on, no DAD
	else
		VM1=203.0.113.10 VM2=203.0.113.70 SA=198.51.100.1 SB=198.51.100.2
		HOSTLEN=26 SVCLEN=24 HOSTPFX=32 PING=ping
		VPN=ipv4-vpn GB_FAM=l3vpn-ipv4-flowspec
		GB_RIB=ipv4-l3vpn-flowspec
		AFIS='{"name": "ipv4-vpn"}, {"name": "rtc"}, {"name": "ipv4-vpn-flowspec"}'
	fi
}

# An attachment or service-node link: namespace NAME with eth0 holding
# ADDR, the other end IFACE in PE's namespace (vtopo-dp's).
fsdp_link() { # NAME PE IFACE ADDR/LEN
	fig1_ns "$1"
	fig1_link "$1" "$2" "$3"
	fig1_x "$1" ip addr add "$4" dev eth0
}

# A service node: one arm, forwards what it receives back out of the same
# link, and counts what it forwards by nftables rules with comments.
fsdp_svc() { # NAME
	local n=$1
	if [ "$FSDP_FAM" = 6 ]; then
		fig1_x "$n" sysctl -qw net.ipv6.conf.all.forwarding=1
		fig1_x "$n" ip -6 route add 2001:db8::/32 dev eth0
		fig1_x "$n" nft -f - <<NFT
table inet svc {
	chain svc_forward {
		type filter hook forward priority 0;
		ip6 daddr $VM2 tcp dport 80 counter comment "flow"
		ip6 daddr $VM2 meta l4proto ipv6-icmp counter comment "icmp"
		ip6 saddr 2001:db8::/32 counter comment "all"
	}
}
NFT
		return
	fi
	fig1_x "$n" sysctl -qw net.ipv4.ip_forward=1
	for k in all.send_redirects eth0.send_redirects all.rp_filter eth0.rp_filter; do
		fig1_x "$n" sysctl -qw "net.ipv4.conf.$k=0"
	done
	fig1_x "$n" ip route add 203.0.113.0/24 dev eth0
	fig1_x "$n" nft -f - <<NFT
table inet svc {
	chain svc_forward {
		type filter hook forward priority 0;
		ip daddr $VM2 tcp dport 80 counter comment "flow"
		ip daddr $VM2 meta l4proto icmp counter comment "icmp"
		counter comment "all"
	}
}
NFT
}

sv_count() { # NODE COMMENT: packets counted by the service node's rule
	fig1_x "$1" nft -j list chain inet svc svc_forward | jq -r --arg c "$2" \
	  '.nftables[].rule? | select(.comment == $c) | .expr[] | .counter?.packets // empty'
}

# ---- configurations (yang/vtopo.yang; structure as tests/config/fig1-*.json)
fsdp_neighbor() { # ADDR
	printf '{"address": "%s", "remote-as": 65000, "local-address": "%s",
	  "timers": {"connect-retry": 2}, "afi-safis": {"afi-safi": [%s]}}' "$RR" "$1" "$AFIS"
}
fsdp_rt() { printf '{"route-target": "target:%s", "route-target-type": "%s"}' "$1" "$2"; }
fsdp_spe() { # NAME UNDERLAY LETTER ADDR OUT-VRF-IMPORTS: a service PE with its node
	local rts="" rt
	for rt in $5; do rts="$rts${rts:+, }$(fsdp_rt "$rt" import)"; done
	cat >"$TOPO_DIR/$1.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$2"},
 "neighbors": {"neighbor": [$(fsdp_neighbor "$2")]},
 "network-instances": {"network-instance": [
  {"name": "serv-$3-in", "route-distinguisher": "$2:1",
   "vpn-targets": {"vpn-target": [$(fsdp_rt 65000:100 export)]}},
  {"name": "serv-$3-out", "route-distinguisher": "$2:2",
   "vpn-targets": {"vpn-target": [$rts]}}]},
 "service-nodes": {"service-node": [{"name": "serv-$3", "address": "$4", "interface": "serv-$3",
   "in-vrf": "serv-$3-in", "out-vrf": "serv-$3-out", "label-mode": "direct"}]},
 "underlay": {"pe-address": ["$PE1", "$SPEA", "$SPEB", "$PE2"]},
 "service-topologies": {"service-topology": [$TOPOLOGY]}}}
EOF
}
fsdp_conf() {
	TOPOLOGY='{"name": "z1-to-z2", "route-target": "target:65000:101",
	  "address-family": "'$VPN'", "service-node-sequence": ["'$SA'", "'$SB'"]}'
	cat >"$TOPO_DIR/pe1.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$PE1"},
 "neighbors": {"neighbor": [$(fsdp_neighbor $PE1)]},
 "network-instances": {"network-instance": [{"name": "zone1", "route-distinguisher": "$PE1:1",
  "vpn-targets": {"vpn-target": [$(fsdp_rt 65000:1 both), $(fsdp_rt 65000:2 import),
    $(fsdp_rt 65000:100 import), $(fsdp_rt 65000:101 import)]},
  "attachments": {"attachment": [{"name": "vm1", "host": "vm1", "interface": "vm1-z1",
    "address": [{"ip": "$VM1", "prefix-length": $HOSTLEN}]}]}}]},
 "service-topologies": {"service-topology": [$(jq -c '. + {"ingress-vrf": ["zone1"]}' <<<"$TOPOLOGY")]}}}
EOF
	# Serv-A's out-VRF imports no zone: the flow rule alone steers VM-2's
	# port 80 there (vtopo-dp answers Serv-A's ARP or NS for VM-2 because
	# of it), and PE-1's MPLS-in-UDP is accepted by the configured
	# underlay/pe-address, not by a route back to PE-1.  Serv-B's out-VRF
	# is the last hop: zone 2's routes lead on to PE-2.
	fsdp_spe spea $SPEA a $SA "65000:100 65000:101"
	fsdp_spe speb $SPEB b $SB "65000:2 65000:100 65000:101"
	cat >"$TOPO_DIR/pe2.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$PE2"},
 "neighbors": {"neighbor": [$(fsdp_neighbor $PE2)]},
 "network-instances": {"network-instance": [{"name": "zone2", "route-distinguisher": "$PE2:1",
  "vpn-targets": {"vpn-target": [$(fsdp_rt 65000:2 both), $(fsdp_rt 65000:1 import),
    $(fsdp_rt 65000:100 import)]},
  "attachments": {"attachment": [{"name": "vm2", "host": "vm2", "interface": "vm2-z2",
    "address": [{"ip": "$VM2", "prefix-length": $HOSTLEN}]}]}}]},
 "service-topologies": {"service-topology": [$TOPOLOGY]}}}
EOF
	cat >"$TOPO_DIR/rr.json" <<EOF
{"vtopo:vtopo": {"global": {"as": 65000, "router-id": "$RR"},
 "peer-groups": {"peer-group": [{"name": "pes", "remote-as": 65000,
   "route-reflector-client": true, "local-address": "$RR",
   "afi-safis": {"afi-safi": [$AFIS]}}]},
 "neighbors": {"neighbor": [{"address": "$PE1", "peer-group": "pes"},
   {"address": "$SPEA", "peer-group": "pes"}, {"address": "$SPEB", "peer-group": "pes"},
   {"address": "$PE2", "peer-group": "pes"},
   {"address": "$GB", "peer-group": "pes"}]}}}
EOF
}

# ---- the hosts' own traffic
get_ok() { # an HTTP GET from VM-1 to VM-2 port 80 is answered
	fig1_x vm1 timeout 3 bash -c "exec 3<>/dev/tcp/$VM2/80 &&
	  printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -1 <&3" | grep -q '^HTTP/1.0 200'
}
# shellcheck disable=SC2086 # PING is split on purpose
ping_ok() { fig1_x vm1 $PING -c1 -W1 $VM2 >/dev/null; }

# ---- the FIB (vtopod's show fib) and the data plane (vtopo-dp's show)
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
	gobgp_cli gb global rib -a $GB_RIB "$1" rd $RD \
		match destination $VM2/$HOSTPFX protocol tcp destination-port ==80 "then" accept rt 65000:101
}
dp_flows() { fig1_dp_show "$1" | jq '.flows | length'; }
dp_has_flow() { [ "$(dp_flows "$1")" = 1 ]; }
dp_flow() { fig1_dp_show "$1" | jq -r ".flows[0].$2"; } # NAME FIELD

fsdp_run() { # 4|6
	local h n flowpk before beforeb m hits
	fsdp_family "$1"
	topo_switch
	for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR gb:$GB; do
		topo_host "${h%%:*}" "${h#*:}/24"
	done
	fsdp_link vm1 pe1 vm1-z1 $VM1/$HOSTLEN
	fsdp_link vm2 pe2 vm2-z2 $VM2/$HOSTLEN
	fsdp_link sva spea serv-a $SA/$SVCLEN
	fsdp_link svb speb serv-b $SB/$SVCLEN
	# the hosts send everything on the link; vtopo-dp answers ARP (NS,
	# RFC 4861 s7.2.8) for what the VRF routes elsewhere
	if [ "$1" = 6 ]; then
		fig1_x vm1 ip -6 route add default dev eth0
		fig1_x vm2 ip -6 route add default dev eth0
	else
		fig1_x vm1 ip route add default dev eth0
		fig1_x vm2 ip route add default dev eth0
	fi
	fsdp_svc sva
	fsdp_svc svb
	fsdp_conf

	# vtopod with vtopo-dp on each PE: vtopo-dp first, then vtopod --fib-socket
	vtopod_start rr "$TOPO_DIR/rr.json"
	for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2; do
		fig1_dp_start "${h%%:*}" "${h#*:}"
		fig1_vtopod_start "${h%%:*}" "$TOPO_DIR/${h%%:*}.json"
	done
	gobgp_start gb <(GOBGP_FAMS=$GB_FAM gobgp_conf gb 65000 $GB $RR:65000)
	for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 gb:$GB; do
		wait_ok 60 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
	done

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

	flow add
	wait_ok 30 "PE-1: flow rule towards S-PE-A" flow_at pe1 zone1 $SPEA
	wait_ok 30 "S-PE-A: flow rule towards S-PE-B" flow_at spea serv-a-out $SPEB
	# the data plane holds it too (vtopo-dp's own show)
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
	if [ "$1" = 6 ]; then
		# vtopo-dp's own view: an IPv6 rule for VM-2's address that the packets hit
		for n in pe1 spea; do
			m=$(dp_flow $n match)
			case $m in *"$VM2/128"*) topo_log "ok: vtopo-dp on $n: rule $m" ;;
			*) topo_die "vtopo-dp on $n: rule $m, want destination $VM2/128" ;; esac
			hits=$(dp_flow $n counters.packets)
			[ "$hits" -ge 6 ] && topo_log "ok: vtopo-dp on $n: $hits packets hit the rule" ||
				topo_die "vtopo-dp on $n: $hits packets hit the rule (want >= 6)"
		done
	fi
	# shellcheck disable=SC2086 # PING is split on purpose
	fig1_x vm1 $PING -c5 -i0.2 -W1 $VM2 >"$TOPO_DIR/ping.out" 2>&1 ||
		topo_die "pings lost: $(tail -2 "$TOPO_DIR/ping.out")"
	check "Serv-A saw no ICMP (other traffic goes direct)" test "$(sv_count sva icmp)" = 0
	check "Serv-B saw no ICMP" test "$(sv_count svb icmp)" = 0

	flow del
	wait_ok 30 "PE-1: flow rule withdrawn" flow_at pe1 zone1 ""
	before=$(sv_count sva flow) beforeb=$(sv_count svb flow)
	wait_ok 10 "GET answered after the withdrawal" get_ok
	get_ok || topo_die "second GET after the withdrawal"
	check "Serv-A counted no more TCP to $VM2:80 ($before)" test "$(sv_count sva flow)" = "$before"
	check "Serv-B counted no more TCP to $VM2:80 ($beforeb)" test "$(sv_count svb flow)" = "$beforeb"
}
