# shellcheck shell=bash
# Figure 1 of draft-rfernando-bess-service-chaining-01 with a data plane:
# five vtopods (four PEs and a route reflector, iBGP, the golden
# tests/config/fig1-*.json files), a vtopo-dp under every PE (vtopod
# --fib-socket), hosts and two service nodes in their own namespaces, real
# traffic.  Sourced after topo.sh, by tests/topo/fig1_dp/run.sh and
# scripts/demo.sh.
#
#   zone 1 hosts          198.18.0.0/24 underlay (bridge)          zone 2 hosts
#   vm1 vm3 --- [pe1] ---------+---------+---------+--------- [pe2] --- vm2
#                              |         |         |
#                            [spea]    [speb]     [rr]
#                              |         |
#                            serva     servb      (one interface each: traffic
#                         (nftables  (nftables     for the node leaves the PE's
#                          firewall)  counters)    in-VRF, comes back into its
#                                                  out-VRF, draft s3.1)
#
#   pe1 198.18.0.1 PE-1   spea 198.18.0.2 S-PE-A   speb 198.18.0.3 S-PE-B
#   pe2 198.18.0.4 PE-2   rr 198.18.0.254 route reflector
#
# Between PEs packets are MPLS in UDP (RFC 7510).  A host is a namespace
# with eth0, a veth whose other end (named as the configuration's attachment
# interface) is in its PE's namespace, read by vtopo-dp; the host routes
# everything on-link and vtopo-dp answers ARP for what its VRF routes.  A
# service node is a plain Linux router (ip_forward) whose eth0 is the PE's
# service interface; it sends what it forwards back out of eth0.  Its
# nftables table `inet svc` has named counters:
#   z1z2  z2z1  z1z1     packets zone 1 -> zone 2, back, inside zone 1
#   blocked              packets the firewall dropped (Serv-A only, TCP
#                        port $FIG1_BLOCKED_PORT)
# and sets ttl_z1z2 / ttl_z2z1 of the IP TTLs it saw per direction (the
# TTL tells how many hops a packet made before it reached the node).
#
# Parameters (environment or variables, before fig1_up):
#   FIG1_PES     "NAME:UNDERLAY-ADDR:CONFIG ..." the PEs (default: Figure 1's)
#   FIG1_SVCS    "NAME:PE:INTERFACE:ADDR ..." the service nodes, one
#                namespace each (default: serva and servb, as configured)
#   FIG1_HOSTS   "NAME:PE:ADDR ..." hosts; the zone is the PE's zone VRF
#                (pe1: zone1, pe2: zone2).  Default: vm1 and vm3 on PE-1,
#                vm2 on PE-2 (the configuration's VM-1 and VM-2, plus one).
#   FIG1_BLOCKED_PORT  the TCP port Serv-A drops (default 23)
#   FIG1_HOST_MTU      hosts' MTU (default 1400: room for the tunnel)
#   FIG1_DP_ARGS       more vtopo-dp options, split on spaces (default none)
#
# Functions:
#   fig1_up                    everything up; returns once BGP is up and
#                              every host pings its PE's FIB (fig1_wait)
#   fig1_x NAME CMD...         run CMD in NAME's namespace (a host, a
#                              service node or a PE)
#   fig1_addr NAME             a host's address
#   fig1_counter NODE NAME     packets of a service node's named counter
#   fig1_ttls NODE SET         the TTLs in one of its sets, sorted, spaces
#   fig1_fib NAME VRF PREFIX   the FIB next hop of PREFIX: "PE LABEL" or a type
#   fig1_dp_show NAME          vtopo-dp's show JSON on PE NAME
#   fig1_tcp FROM ADDR PORT    a TCP connection that gets a line back (0/1)
#   fig1_tcp_server NAME PORT...  start line servers on a host
#   fig1_trace FROM ADDR [MAX] who answers TTL 1, 2, ... (a ping traceroute)
#   fig1_mark / fig1_delta NODE COUNTER   service-node counters between two
#                              moments
#   fig1_ping_z1z2 FROM ADDR N N pings zone 1 -> zone 2 through Serv-A
#                              then Serv-B, replies back through Serv-B
#                              then Serv-A (counters and TTLs asserted)
#   fig1_dp_counter NAME C     a vtopo-dp global counter on PE NAME
#   fig1_ge MIN NODE COUNTER   predicate: a service-node counter reached MIN
#   fig1_stream_start SECONDS INTERVAL COUNT / fig1_stream_stop   a
#                              numbered UDP stream vm1 -> vm2 (udpflow.py)
#   fig1_vtopod_restart NAME, fig1_dp_restart NAME ADDR   restart a PE's
#                              vtopod (same configuration) or vtopo-dp
#   fig1_conf_hook NAME        defined by the scenario: filters NAME's
#                              configuration (JSON, stdin to stdout)
#
# IPv6 (FIG1_V6=1, before fig1_up): hosts and service nodes get IPv6 too.
#   FIG1_HOSTS6  "NAME=ADDR ..." the hosts' IPv6 addresses (/64, on the
#                attachment too; default vm1, vm3 in 2001:db8:1::/64, vm2
#                in 2001:db8:2::/64, as the golden configurations)
#   FIG1_SVCS6   "NAME=ADDR ..." the service nodes' (the configurations'
#                serv-a-v6 and serv-b-v6)
#   A host routes everything on-link (`ip -6 route add default dev eth0`)
#   and vtopo-dp answers its Neighbor Solicitations (proxy-ND).  A service
#   node forwards IPv6 as well; its table `inet svc` gets counters
#   z1z2v6 z2z1v6 z1z1v6 and sets hl_z1z2 / hl_z2z1 of the hop limits it
#   saw, counted before the firewall's drop rule.
#   fig1_addr6 NAME, fig1_wait6 (after fig1_up: every host pings every
#   other over IPv6), fig1_ping6 FROM ADDR, fig1_tcp_server6 NAME PORT...,
#   fig1_tcp6 FROM ADDR PORT, fig1_trace6 FROM ADDR [MAX]: as their IPv4
#   namesakes.
#
# Needs VTOPOD, VTOPOCTL, VTOPO_DP; nft, jq, python3.

FIG1_CONF=$(cd "$TOPO_LIB/../../config" && pwd)
FIG1_HOSTS=${FIG1_HOSTS:-vm1:pe1:203.0.113.10 vm3:pe1:203.0.113.11 vm2:pe2:203.0.113.70}
FIG1_BLOCKED_PORT=${FIG1_BLOCKED_PORT:-23}
FIG1_HOST_MTU=${FIG1_HOST_MTU:-1400}
# PEs: NAME:UNDERLAY-ADDRESS:CONFIG (tests/config/CONFIG.json)
FIG1_PES=${FIG1_PES:-pe1:198.18.0.1:fig1-pe1 spea:198.18.0.2:fig1-spe-a speb:198.18.0.3:fig1-spe-b pe2:198.18.0.4:fig1-pe2}
FIG1_RR=198.18.0.254
# service nodes: NAME:PE:INTERFACE:ADDRESS (the configuration's)
FIG1_SVCS=${FIG1_SVCS:-serva:spea:serv-a:198.51.100.1 servb:speb:serv-b:198.51.100.2}
FIG1_ZONE1=203.0.113.0/26
FIG1_ZONE2=203.0.113.64/26
FIG1_HOSTS6=${FIG1_HOSTS6:-vm1=2001:db8:1::10 vm3=2001:db8:1::11 vm2=2001:db8:2::10}
FIG1_SVCS6=${FIG1_SVCS6:-serva=2001:db8:100::1 servb=2001:db8:100::2}
FIG1_ZONE1_6=2001:db8:1::/64
FIG1_ZONE2_6=2001:db8:2::/64

fig1_x() { # NAME CMD...
	local n=$1
	shift
	ip netns exec "$(topo_ns "$n")" "$@"
}

fig1_addr() { cat "$TOPO_DIR/$1/addr"; }

# a namespace that is not on the underlay bridge
fig1_ns() { # NAME
	local ns
	ns=$(topo_ns "$1")
	ip netns add "$ns"
	TOPO_NS+=("$ns")
	mkdir -p "$TOPO_DIR/$1"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	# IPv6 hosts and service nodes: addresses usable at once (no DAD)
	[ -z "${FIG1_V6:-}" ] || ip netns exec "$ns" sh -c 'for k in all default; do
		sysctl -qw net.ipv6.conf.$k.disable_ipv6=0 net.ipv6.conf.$k.accept_dad=0
	done'
}

# a veth from NAME's eth0 to PE's interface IFNAME (checksums filled in:
# vtopo-dp reads frames with AF_PACKET, before any offload would do it)
fig1_link() { # NAME PE IFNAME
	local ns pe
	ns=$(topo_ns "$1") pe=$(topo_ns "$2")
	ip -n "$pe" link add "$3" type veth peer name eth0 netns "$ns"
	ip netns exec "$pe" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
	ip netns exec "$pe" ethtool -K "$3" tx off >/dev/null 2>&1 || true
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1 || true
	ip -n "$pe" link set "$3" up
	ip -n "$ns" link set eth0 up
}

fig1_zone_of() { # PE -> the zone VRF of that PE
	case $1 in
	pe1) echo zone1 ;;
	pe2) echo zone2 ;;
	*) topo_die "no zone VRF on $1" ;;
	esac
}

# the PE's configuration: the golden file, with the attachments of
# FIG1_HOSTS on that PE in place of the file's own
fig1_conf() { # PE FILE-BASENAME
	local pe=$1 atts='[]' h name hpe addr vrf
	for h in $FIG1_HOSTS; do
		IFS=: read -r name hpe addr <<<"$h"
		[ "$hpe" = "$pe" ] || continue
		atts=$(jq -c --arg n "$name" --arg a "$addr" \
			'. + [{"name": $n, "host": $n, "interface": ($n + "-if"),
			       "address": [{"ip": $a, "prefix-length": 26}]}]' <<<"$atts")
	done
	[ -z "${FIG1_V6:-}" ] || atts=$(fig1_atts6 "$atts")
	vrf=
	[ "$pe" != pe1 ] && [ "$pe" != pe2 ] || vrf=$(fig1_zone_of "$pe")
	# the golden files' default timers (ConnectRetryTime 30 s): sessions
	# between vtopods come up at once all the same (tests/topo/collision)
	jq --arg v "$vrf" --argjson atts "$atts" '
	  (.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	   | select(.name == $v) | .attachments.attachment) = $atts' "$FIG1_CONF/$2.json"
}

# vtopod with its FIB going to the vtopo-dp of the same namespace
fig1_vtopod_start() { # NAME CONF
	vtopod_start "$1" "$2" --fib-socket "$TOPO_DIR/$1/dp.sock"
}

# vtopo-dp (not through topo_spawn: the pid file is vtopod's)
fig1_dp_start() { # NAME UNDERLAY-ADDR
	local d="$TOPO_DIR/$1"
	# shellcheck disable=SC2086 # FIG1_DP_ARGS is split on purpose
	ip netns exec "$(topo_ns "$1")" "$VTOPO_DP" -s "$d/dp.sock" -u "$2" -m 1500 \
		${FIG1_DP_ARGS:-} </dev/null >>"$d/vtopo-dp.log" 2>&1 &
	TOPO_PIDS+=($!)
	echo $! >"$d/dp.pid"
	wait_ok 10 "vtopo-dp on $1 listens" test -S "$d/dp.sock"
}

fig1_dp_show() { # NAME
	fig1_x "$1" "$VTOPO_DP" -s "$TOPO_DIR/$1/dp.sock" show
}

# a service node: a Linux router on one interface, nftables counters
fig1_svc() { # NAME PE IFNAME ADDR
	local name=$1 blocked=
	fig1_ns "$name"
	fig1_link "$name" "$2" "$3"
	echo "$4" >"$TOPO_DIR/$name/addr"
	fig1_x "$name" ip addr add "$4/24" dev eth0
	fig1_x "$name" ip route add default dev eth0
	fig1_x "$name" sysctl -qw net.ipv4.ip_forward=1
	for k in all.send_redirects eth0.send_redirects all.rp_filter eth0.rp_filter; do
		fig1_x "$name" sysctl -qw "net.ipv4.conf.$k=0"
	done
	[ "$name" != serva ] || blocked="tcp dport $FIG1_BLOCKED_PORT counter name blocked drop"
	fig1_x "$name" nft -f - <<EOF
table inet svc {
	counter z1z2 { }
	counter z2z1 { }
	counter z1z1 { }
	counter blocked { }
	set ttl_z1z2 { typeof ip ttl; }
	set ttl_z2z1 { typeof ip ttl; }
	chain forward {
		type filter hook forward priority 0; policy accept;
		ip saddr $FIG1_ZONE1 ip daddr $FIG1_ZONE2 counter name z1z2 add @ttl_z1z2 { ip ttl }
		ip saddr $FIG1_ZONE2 ip daddr $FIG1_ZONE1 counter name z2z1 add @ttl_z2z1 { ip ttl }
		ip saddr $FIG1_ZONE1 ip daddr $FIG1_ZONE1 counter name z1z1
		$blocked
	}
}
EOF
	[ -z "${FIG1_V6:-}" ] || fig1_svc6 "$name"
}

fig1_counter() { # NODE COUNTER
	fig1_x "$1" nft -j list counter inet svc "$2" |
		jq -r '.nftables[] | select(.counter) | .counter.packets'
}

fig1_ttls() { # NODE SET
	fig1_x "$1" nft -j list set inet svc "$2" |
		jq -r '[.nftables[] | select(.set) | .set.elem // [] | .[]] | sort | map(tostring) | join(" ")'
}

fig1_host() { # NAME PE ADDR
	fig1_ns "$1"
	fig1_link "$1" "$2" "$1-if"
	echo "$3" >"$TOPO_DIR/$1/addr"
	fig1_x "$1" ip link set eth0 mtu "$FIG1_HOST_MTU"
	fig1_x "$1" ip addr add "$3/26" dev eth0
	# everything on-link: the PE's vtopo-dp answers ARP for what it routes
	fig1_x "$1" ip route add default dev eth0
	[ -z "${FIG1_V6:-}" ] || fig1_host6 "$1"
}

# the FIB next hop of PREFIX in NAME's VRF: "PE LABEL...", "local", ...
fig1_fib() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first //{} |
	  if .state != "installed" then "pending"
	  else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
	                   else .type end) end'
}

fig1_installed() { [ "$(fig1_fib "$@")" != pending ]; }

# a line server on each PORT of host NAME (answers "hello from NAME PORT")
fig1_tcp_server() { # NAME PORT...
	fig1_line_server "$1" "$(fig1_addr "$1")" tcp.log "${@:2}"
}

# the same at ADDR (IPv4 or IPv6), logging to $TOPO_DIR/NAME/LOG
fig1_line_server() { # NAME ADDR LOG PORT...
	local name=$1 addr=$2 log=$3
	shift 3
	ip netns exec "$(topo_ns "$name")" python3 -c '
import socket, sys, selectors, time
sel = selectors.DefaultSelector()
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
for p in sys.argv[3:]:
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(p))); s.listen(16); sel.register(s, selectors.EVENT_READ, p)
end = time.time() + 600
while time.time() < end:
    for k, _ in sel.select(1):
        c, _ = k.fileobj.accept()
        c.sendall(("hello from %s port %s\n" % (sys.argv[2], k.data)).encode()); c.close()
' "$addr" "$name" "$@" </dev/null >>"$TOPO_DIR/$name/$log" 2>&1 &
	TOPO_PIDS+=($!)
}

# connect from host FROM to ADDR:PORT (kernel TCP, 3 s); prints the line
fig1_tcp() { # FROM ADDR PORT
	fig1_x "$1" timeout 3 python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
print(s.makefile().readline().strip())' "$2" "$3" 2>/dev/null
}

fig1_ping() { # FROM ADDR: one ping answered
	fig1_x "$1" ping -c1 -W1 "$2" >/dev/null 2>&1
}

# COUNT pings FROM a zone-1 host to ADDR in zone 2, all answered, checked
# inside the service nodes: each request passed Serv-A then Serv-B (TTL 61
# then 58 of 64: three data-plane hops each, fig1_dp) and each reply Serv-B
# then Serv-A.  ping's output is left in $TOPO_DIR/ping-FROM-ADDR.out.
fig1_ping_z1z2() { # FROM ADDR COUNT
	local out="$TOPO_DIR/ping-$1-$2.out"
	fig1_mark
	fig1_x "$1" ping -c"$3" -i0.2 -W1 "$2" >"$out" 2>&1 ||
		{ cat "$out"; topo_die "$1 -> $2: pings lost"; }
	is "$1 -> $2: Serv-A forwarded zone 1 -> zone 2" "$(fig1_delta serva z1z2)" "$3"
	is "$1 -> $2: Serv-B forwarded zone 1 -> zone 2" "$(fig1_delta servb z1z2)" "$3"
	is "$1 -> $2: Serv-A's TTL (3 hops from $1)" "$(fig1_ttls serva ttl_z1z2)" 61
	is "$1 -> $2: Serv-B's TTL (6 hops: after Serv-A)" "$(fig1_ttls servb ttl_z1z2)" 58
	is "replies from $2: Serv-B forwarded zone 2 -> zone 1" "$(fig1_delta servb z2z1)" "$3"
	is "replies from $2: Serv-A forwarded zone 2 -> zone 1" "$(fig1_delta serva z2z1)" "$3"
}

# BGP up, every host's route installed at the other PE, traffic flowing
fig1_wait() {
	local h name pe addr hp
	for h in $FIG1_PES; do
		wait_for 30 "rr - ${h%%:*} established" vtopod_session_up rr "$(cut -d: -f2 <<<"$h")" ||
			return 1
	done
	for h in $FIG1_HOSTS; do
		IFS=: read -r name pe addr <<<"$h"
		for hp in pe1 pe2; do
			wait_for 30 "$hp: $addr/32 installed" fig1_installed "$hp" "$(fig1_zone_of $hp)" \
				"$addr/32" || return 1
		done
	done
	# first packets may be lost to ARP (vtopo-dp drops while it resolves)
	local a b
	for a in $FIG1_HOSTS; do
		for b in $FIG1_HOSTS; do
			[ "$a" != "$b" ] || continue
			wait_for 20 "${a%%:*} pings ${b%%:*}" fig1_ping "${a%%:*}" "$(cut -d: -f3 <<<"$b")" ||
				return 1
		done
	done
}

# A scenario may define fig1_conf_hook NAME (stdin: the vtopod configuration
# of NAME as JSON, stdout: the one to use) to change what fig1_up starts.
fig1_hook() { # NAME
	if declare -F fig1_conf_hook >/dev/null; then fig1_conf_hook "$1"; else cat; fi
}

# Restarts, for scenarios that check forwarding across them: the same
# configuration (the daemon's own copy, which a scenario may have edited).
fig1_vtopod_restart() { # NAME
	local conf
	topo_kill "$1"
	conf=$(cat "$TOPO_DIR/$1/vtopod.json.in")
	fig1_vtopod_start "$1" - <<<"$conf"
}
fig1_dp_restart() { # NAME UNDERLAY-ADDR
	local pid
	pid=$(cat "$TOPO_DIR/$1/dp.pid")
	kill -TERM "$pid" 2>/dev/null || true
	topo_reap "$pid" 30
	rm -f "$TOPO_DIR/$1/dp.sock"
	fig1_dp_start "$1" "$2"
}

fig1_up() {
	local h name addr conf pe ifn
	: "${VTOPOD:?VTOPOD is not set}" "${VTOPOCTL:?VTOPOCTL is not set}"
	: "${VTOPO_DP:?VTOPO_DP is not set}"
	topo_switch
	for h in $FIG1_PES; do
		IFS=: read -r name addr conf <<<"$h"
		topo_host "$name" "$addr/24"
	done
	topo_host rr "$FIG1_RR/24"
	for h in $FIG1_HOSTS; do
		IFS=: read -r name pe addr <<<"$h"
		fig1_host "$name" "$pe" "$addr"
	done
	for h in $FIG1_SVCS; do
		IFS=: read -r name pe ifn addr <<<"$h"
		fig1_svc "$name" "$pe" "$ifn" "$addr"
	done
	fig1_hook rr <"$FIG1_CONF/fig1-rr.json" | vtopod_start rr -
	for h in $FIG1_PES; do
		IFS=: read -r name addr conf <<<"$h"
		fig1_dp_start "$name" "$addr"
		fig1_conf "$name" "$conf" | fig1_hook "$name" | fig1_vtopod_start "$name" -
	done
	fig1_wait
}

# Counters between two moments: fig1_mark, traffic, fig1_delta NODE COUNTER.
# fig1_mark also empties the TTL sets (with FIG1_V6, the IPv6 counters and
# hop-limit sets too).
declare -gA FIG1_MARK=()
fig1_mark() {
	local n c h counters="z1z2 z2z1 z1z1 blocked" sets="ttl_z1z2 ttl_z2z1"
	[ -z "${FIG1_V6:-}" ] || counters+=" z1z2v6 z2z1v6 z1z1v6" sets+=" hl_z1z2 hl_z2z1"
	for h in $FIG1_SVCS; do
		n=${h%%:*}
		for c in $counters; do
			FIG1_MARK[$n.$c]=$(fig1_counter $n $c)
		done
		for c in $sets; do
			fig1_x $n nft flush set inet svc $c
		done
	done
}
fig1_delta() { # NODE COUNTER
	echo $(($(fig1_counter "$1" "$2") - ${FIG1_MARK[$1.$2]:-0}))
}

# fig1_ge MIN NODE COUNTER: predicate for wait_ok: a service node's counter
# has reached MIN (printed, so that a timeout shows where it stood)
fig1_ge() {
	local c
	c=$(fig1_counter "$2" "$3")
	echo "$2 $3 = $c"
	[ "$c" -ge "$1" ]
}

# A UDP stream (lib/udpflow.py) from vm1 to vm2 port 6000: COUNT datagrams
# one every INTERVAL s, a sink on vm2 for SECONDS at most.  fig1_stream_stop
# ends both; then $TOPO_DIR/stream.out ends with the number sent and
# $TOPO_DIR/sink.json says what arrived.
fig1_stream_start() { # SECONDS INTERVAL COUNT
	local vm1 vm2
	vm1=$(fig1_addr vm1) vm2=$(fig1_addr vm2)
	FIG1_STREAM_STOP=$TOPO_DIR/stream.stop
	fig1_x vm2 python3 "$TOPO_LIB/udpflow.py" sink "$vm2" 6000 "$1" 1 "$FIG1_STREAM_STOP" \
		</dev/null >"$TOPO_DIR/sink.json" 2>&1 &
	FIG1_SINK=$!
	TOPO_PIDS+=($FIG1_SINK)
	wait_ok 5 "vm2 listens on UDP 6000" fig1_udp_listens vm2 6000
	fig1_x vm1 python3 "$TOPO_LIB/udpflow.py" stream "$vm1" "$vm2" 6000 "$2" "$3" \
		"$FIG1_STREAM_STOP" </dev/null >"$TOPO_DIR/stream.out" 2>&1 &
	FIG1_STREAM=$!
	TOPO_PIDS+=($FIG1_STREAM)
}
fig1_udp_listens() { fig1_x "$1" ss -Hlun "sport = :$2" | grep -q .; } # NAME PORT
fig1_stream_stop() {
	touch "$FIG1_STREAM_STOP"
	topo_reap "$FIG1_STREAM" 50
	topo_reap "$FIG1_SINK" 50
}

# a vtopo-dp global counter (packets) on PE NAME: encap, decap, ...
fig1_dp_counter() { # NAME COUNTER
	fig1_dp_show "$1" | jq -r --arg c "$2" '.counters[$c].packets'
}

# fig1_trace FROM ADDR [MAX]: a traceroute with ping: for TTL 1, 2, ...
# the address that answered (time exceeded, or ADDR's echo reply), one
# line "TTL ADDRESS" each, "TTL -" for no answer; stops at ADDR
fig1_trace() {
	local from=$1 to=$2 max=${3:-12} t out who
	for t in $(seq 1 "$max"); do
		out=$(fig1_x "$from" ping -n -c1 -W1 -t "$t" "$to" 2>&1 || true)
		who=$(sed -nE 's/^From ([0-9.]+).*Time to live exceeded.*/\1/p; s/^[0-9]+ bytes from ([0-9.]+):.*/\1/p' <<<"$out" | head -1)
		echo "$t ${who:--}"
		[ "$who" != "$to" ] || return 0
	done
	return 1
}

# --- IPv6 (FIG1_V6=1) ---

fig1_addr6() { # NAME: a host's or service node's IPv6 address
	local h
	for h in $FIG1_HOSTS6 $FIG1_SVCS6; do
		[ "${h%%=*}" != "$1" ] || { echo "${h#*=}"; return 0; }
	done
	return 1
}

# the attachments of fig1_conf with each host's IPv6 address added
fig1_atts6() { # ATTACHMENTS-JSON
	local h atts=$1
	for h in $FIG1_HOSTS6; do
		atts=$(jq -c --arg n "${h%%=*}" --arg a "${h#*=}" \
			'map(if .name == $n then .address += [{"ip": $a, "prefix-length": 64}] else . end)' \
			<<<"$atts")
	done
	echo "$atts"
}

fig1_host6() { # NAME
	local a
	a=$(fig1_addr6 "$1") || return 0
	fig1_x "$1" ip -6 addr add "$a/64" dev eth0 nodad
	# everything on-link: the PE's vtopo-dp answers NS for what it routes
	fig1_x "$1" ip -6 route add default dev eth0
}

# a service node's IPv6 address, forwarding, and counters and hop-limit
# sets inserted at the head of the forward chain (before the drop)
fig1_svc6() { # NAME
	local a
	a=$(fig1_addr6 "$1") || return 0
	fig1_x "$1" ip -6 addr add "$a/64" dev eth0 nodad
	fig1_x "$1" ip -6 route add default dev eth0
	fig1_x "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
	fig1_x "$1" nft -f - <<EOF
add counter inet svc z1z2v6
add counter inet svc z2z1v6
add counter inet svc z1z1v6
add set inet svc hl_z1z2 { typeof ip6 hoplimit; }
add set inet svc hl_z2z1 { typeof ip6 hoplimit; }
insert rule inet svc forward ip6 saddr $FIG1_ZONE1_6 ip6 daddr $FIG1_ZONE1_6 counter name z1z1v6
insert rule inet svc forward ip6 saddr $FIG1_ZONE2_6 ip6 daddr $FIG1_ZONE1_6 counter name z2z1v6 add @hl_z2z1 { ip6 hoplimit }
insert rule inet svc forward ip6 saddr $FIG1_ZONE1_6 ip6 daddr $FIG1_ZONE2_6 counter name z1z2v6 add @hl_z1z2 { ip6 hoplimit }
EOF
}

fig1_ping6() { # FROM ADDR: one ping answered
	fig1_x "$1" ping -6 -c1 -W1 "$2" >/dev/null 2>&1
}

# after fig1_up: every host's IPv6 host route installed at both zone PEs,
# every host pings every other
fig1_wait6() {
	local a b hp
	for a in $FIG1_HOSTS6; do
		for hp in pe1 pe2; do
			wait_for 30 "$hp: ${a#*=}/128 installed" fig1_installed "$hp" \
				"$(fig1_zone_of $hp)" "${a#*=}/128" || return 1
		done
	done
	for a in $FIG1_HOSTS6; do
		for b in $FIG1_HOSTS6; do
			[ "$a" != "$b" ] || continue
			wait_for 20 "${a%%=*} pings ${b%%=*} (IPv6)" fig1_ping6 "${a%%=*}" "${b#*=}" ||
				return 1
		done
	done
}

# line servers over IPv6 (answer "hello from NAME port PORT")
fig1_tcp_server6() { # NAME PORT...
	fig1_line_server "$1" "$(fig1_addr6 "$1")" tcp6.log "${@:2}"
}

# fig1_tcp works for IPv6 addresses (socket.create_connection)
fig1_tcp6() { fig1_tcp "$@"; }

# fig1_trace over IPv6 (ping -6 with hop limit 1, 2, ...): "HOPS ADDRESS"
# lines, "HOPS -" for no answer; stops at ADDR
fig1_trace6() { # FROM ADDR [MAX]
	local from=$1 to=$2 max=${3:-12} t out who
	for t in $(seq 1 "$max"); do
		out=$(fig1_x "$from" ping -6 -n -c1 -W1 -t "$t" "$to" 2>&1 || true)
		who=$(sed -nE 's/^From ([0-9a-f:]+).*Time exceeded.*/\1/p; s/^[0-9]+ bytes from ([0-9a-f:]+):.*/\1/p' <<<"$out" | head -1)
		echo "$t ${who:--}"
		[ "$who" != "$to" ] || return 0
	done
	return 1
}
