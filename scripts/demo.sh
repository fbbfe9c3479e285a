#!/usr/bin/env bash
# make demo: Figure 1 of draft-rfernando-bess-service-chaining-01 in network
# namespaces, with real packets.  Builds everything, brings up four PEs
# (vtopod for BGP, vtopo-dp for packets), a route reflector, hosts in two
# zones and two service nodes, then sends traffic and shows, step by step,
# the path it took and the counters that prove it.  Everything it starts
# is removed at the end (also on failure or Ctrl-C); the exit status is
# nonzero when any check fails.  Needs root (network namespaces).
#
# The topology is tests/topo/lib/fig1dp.sh, the same as the topology test
# tests/topo/fig1_dp/run.sh, which asserts the same facts.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo creates network namespaces and needs root: sudo make demo" >&2
	exit 1
fi
echo "Building vtopo (installing missing packages first) ..."
scripts/deps.sh build || exit 1
for t in nft jq ethtool ping python3 ip; do
	command -v $t >/dev/null || { scripts/deps.sh test || exit 1; break; }
done
make all >build-demo.log 2>&1 || { tail -20 build-demo.log; echo "build failed (build-demo.log)"; exit 1; }
rm -f build-demo.log

export VTOPOD=$ROOT/build/src/vtopod/vtopod VTOPOCTL=$ROOT/build/src/ctl/vtopoctl
export VTOPO_DP=$ROOT/build/src/dp/vtopo-dp VTOPO_YANG_DIR=$ROOT/yang
# shellcheck source=tests/topo/lib/topo.sh
. tests/topo/lib/topo.sh
# shellcheck source=tests/topo/lib/fig1dp.sh
. tests/topo/lib/fig1dp.sh

# the daemons' chatter goes to a log; the demo's own text to the terminal
LOG=$ROOT/build/demo.log
exec 3>&2 2>"$LOG"
topo_init
# shellcheck disable=SC2034 # used by topo.sh
TOPO_PREFIX=demo$$
exec 2>&3

FAILS=0
say() { printf '%s\n' "$*"; }
step() { printf '\n== Step %s\n' "$*"; }
expect() { # DESCRIPTION HAVE WANT
	if [ "$2" = "$3" ]; then
		say "   ok: $1"
	else
		say "   FAILED: $1 (got '$2', expected '$3')"
		FAILS=$((FAILS + 1))
	fi
}
T0=$SECONDS
# shellcheck disable=SC2034 # read by fig1dp.sh: IPv6 on hosts and service nodes too (step 8)
FIG1_V6=1

cat <<'TXT'

vtopo demo: service chaining (draft-rfernando-bess-service-chaining-01,
Figure 1) with real packets.

A provider network connects two zones of virtual machines.  Traffic between
the zones must pass through service nodes (a firewall, then another box),
and in the opposite direction through the same nodes in reverse order.
Nothing is configured on the hosts or the service nodes for this: the PEs
(provider edge routers) steer the traffic, with BGP routes that carry
"service topology" route targets.

  zone 1                                                          zone 2
  vm1 203.0.113.10 --+                                      +-- vm2 203.0.113.70
  vm3 203.0.113.11 --+-- PE-1 ---- underlay network ---- PE-2
                                198.18.0.0/24
                           S-PE-A           S-PE-B        route reflector
                             |                 |
                           Serv-A            Serv-B
                    (firewall: drops       (counts what
                     TCP port 23)           it forwards)

  Service topology z1-to-z2: zone 1 -> zone 2 goes through Serv-A, then Serv-B.
  Service topology z2-to-z1: zone 2 -> zone 1 goes through Serv-B, then Serv-A.

Every host, PE and service node is a Linux network namespace.  Each PE runs
vtopod (the BGP speaker) and vtopo-dp (the data plane it programs); between
PEs packets travel as MPLS in UDP.  Serv-A and Serv-B are ordinary Linux
routers with nftables counters: what they count is the proof.
TXT

step "1: start the network and wait for BGP"
if ! fig1_up 2>>"$LOG"; then
	say "   FAILED: the network did not come up (details in build/demo.log)"
	exit 1
fi
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2) VM3=$(fig1_addr vm3)
if ! fig1_wait6 2>>"$LOG"; then
	say "   FAILED: IPv6 between the hosts did not come up (details in build/demo.log)"
	exit 1
fi
say "   ok: 5 BGP speakers up, every host can reach every other ($((SECONDS - T0)) s)"

step "2: what the PEs' forwarding tables say about vm2 ($VM2)"
say "   Excerpts of \`vtopoctl show fib\` on each PE.  A VRF is one of a PE's"
say "   routing tables: one per zone, two per service node (towards it, and for"
say "   what comes back from it).  \"tunnel\" means: send it in MPLS over UDP"
say "   to that PE, with the label that PE gave the destination; the label"
say "   tells the receiving PE where the packet goes next."
fibrow() { # NAME VRF PREFIX TITLE NEXT-PE
	say ""
	say "   $4, VRF $2:"
	vtopoctl_ "$1" show fib "$2" | grep -E "^Prefix|^$3 " | sed 's/^/     /'
	NEXT=$(fig1_fib "$1" "$2" "$3" | cut -d' ' -f1)
	[ "$NEXT" = "$5" ] || expect "$4: $3 goes to $5" "$NEXT" "$5"
}
fibrow pe1 zone1 "$VM2/32" "PE-1 (zone 1)" 198.18.0.2
say "     -> the first service node: Serv-A, reached through S-PE-A (198.18.0.2)"
fibrow spea serv-a-out "$VM2/32" "S-PE-A, for what comes back from Serv-A" 198.18.0.3
say "     -> the next service node: Serv-B, through S-PE-B (198.18.0.3)"
fibrow speb serv-b-out "$VM2/32" "S-PE-B, for what comes back from Serv-B" 198.18.0.4
say "     -> the last service node is done: on to PE-2 (198.18.0.4), where vm2 is"
fibrow pe2 zone2 "$VM1/32" "PE-2 (zone 2), the way back to vm1" 198.18.0.3
say "     -> the reverse topology starts with Serv-B, through S-PE-B"

step "3: vm1 (zone 1) pings vm2 (zone 2), 5 times"
fig1_mark
fig1_x vm1 ping -c5 -i0.2 -W1 "$VM2" >"$TOPO_DIR/ping12.out" 2>&1
say "   $(grep 'packets transmitted' "$TOPO_DIR/ping12.out")"
A=$(fig1_delta serva z1z2) B=$(fig1_delta servb z1z2)
TA=$(fig1_ttls serva ttl_z1z2) TB=$(fig1_ttls servb ttl_z1z2)
say "   Serv-A forwarded $A packets from zone 1 to zone 2, Serv-B $B."
say "   Which came first?  The IP TTL starts at 64 and every router on the way"
say "   lowers it by one.  Serv-A saw $TA (after PE-1, S-PE-A and itself), Serv-B"
say "   saw $TB: three routers more (S-PE-A, S-PE-B and itself), so Serv-A came"
say "   first."
expect "5 of 5 pings answered" "$(grep -c 'bytes from' "$TOPO_DIR/ping12.out")" 5
expect "Serv-A counted 5" "$A" 5
expect "Serv-B counted 5" "$B" 5
expect "Serv-A before Serv-B (TTL 61 then 58)" "$TA $TB" "61 58"
A=$(fig1_delta serva z2z1) B=$(fig1_delta servb z2z1)
TA=$(fig1_ttls serva ttl_z2z1) TB=$(fig1_ttls servb ttl_z2z1)
say "   The replies took the reverse topology: Serv-B forwarded $B (TTL $TB),"
say "   then Serv-A $A (TTL $TA)."
expect "replies through Serv-B, then Serv-A (TTL 61 then 58)" "$B $A $TB $TA" "5 5 61 58"

step "4: the same path, hop by hop (a traceroute made of pings)"
say "   Each ping gets a TTL of 1, 2, 3, ...; the router where it runs out"
say "   answers \"time exceeded\" (the PEs from their underlay address)."
hopname() {
	case $1 in
	198.18.0.1) echo PE-1 ;; 198.18.0.2) echo S-PE-A ;; 198.18.0.3) echo S-PE-B ;;
	198.18.0.4) echo PE-2 ;; 198.51.100.1) echo Serv-A ;; 198.51.100.2) echo Serv-B ;;
	"$VM1") echo vm1 ;; "$VM2") echo "vm2 (the destination answers)" ;; *) echo "no answer" ;;
	esac
}
trace() { # FROM TO
	local t who path=
	while read -r t who; do
		printf '     TTL %s: %-14s %s\n' "$t" "$who" "$(hopname "$who")"
		path="$path $(hopname "$who" | cut -d' ' -f1)"
	done < <(fig1_trace "$1" "$2")
	TRACE=${path# }
}
say ""
say "   vm1 -> vm2:"
trace vm1 "$VM2"
expect "vm1 -> vm2 through Serv-A, then Serv-B" "$TRACE" \
	"PE-1 S-PE-A Serv-A S-PE-A S-PE-B Serv-B S-PE-B PE-2 vm2"
say ""
say "   vm2 -> vm1:"
trace vm2 "$VM1"
expect "vm2 -> vm1 through Serv-B, then Serv-A" "$TRACE" \
	"PE-2 S-PE-B Serv-B S-PE-B S-PE-A Serv-A S-PE-A PE-1 vm1"

step "5: the firewall: TCP from vm1 to vm2, port 80 and port $FIG1_BLOCKED_PORT"
fig1_tcp_server vm2 80 "$FIG1_BLOCKED_PORT"
wait_for 10 "TCP port 80" fig1_tcp vm1 "$VM2" 80 2>>"$LOG"
fig1_mark
line=$(fig1_tcp vm1 "$VM2" 80)
if [ -n "$line" ]; then say "   port 80: vm2 answered \"$line\""; else say "   port 80: no answer"; fi
expect "port 80 passes" "$line" "hello from vm2 port 80"
fig1_mark
line=$(fig1_tcp vm1 "$VM2" "$FIG1_BLOCKED_PORT")
D=$(fig1_delta serva blocked) B=$(fig1_delta servb z1z2)
say "   port $FIG1_BLOCKED_PORT: ${line:-no answer (connection timed out)}"
say "   Serv-A's drop rule counted $D packets (the connection attempt and its"
say "   retries); Serv-B, next in the chain, saw $B of them."
expect "port $FIG1_BLOCKED_PORT blocked" "${line:-blocked}" blocked
expect "Serv-A dropped them" "$([ "$D" -ge 1 ] && echo yes)" yes
expect "nothing reached Serv-B" "$B" 0

step "6: vm2 (zone 2) pings vm1 (zone 1): zone 2's own topology"
fig1_mark
fig1_x vm2 ping -c5 -i0.2 -W1 "$VM1" >"$TOPO_DIR/ping21.out" 2>&1
say "   $(grep 'packets transmitted' "$TOPO_DIR/ping21.out")"
A=$(fig1_delta serva z2z1) B=$(fig1_delta servb z2z1)
TA=$(fig1_ttls serva ttl_z2z1) TB=$(fig1_ttls servb ttl_z2z1)
say "   Serv-B forwarded $B packets from zone 2 to zone 1 (TTL $TB), Serv-A $A"
say "   (TTL $TA): this time Serv-B came first."
expect "5 of 5 pings answered" "$(grep -c 'bytes from' "$TOPO_DIR/ping21.out")" 5
expect "Serv-B, then Serv-A" "$B $A $TB $TA" "5 5 61 58"

step "7: vm1 pings vm3, both in zone 1"
fig1_mark
enc=$(fig1_dp_counter pe1 encap)
fig1_x vm1 ping -c5 -i0.2 -W1 "$VM3" >"$TOPO_DIR/ping13.out" 2>&1
say "   $(grep 'packets transmitted' "$TOPO_DIR/ping13.out")"
n=0
for s in serva servb; do
	for c in z1z2 z2z1 z1z1; do n=$((n + $(fig1_delta $s $c))); done
done
enc=$(($(fig1_dp_counter pe1 encap) - enc))
say "   Service nodes saw $n packets; PE-1 sent $enc into the tunnels: traffic"
say "   inside a zone goes straight from host to host through PE-1."
expect "5 of 5 pings answered" "$(grep -c 'bytes from' "$TOPO_DIR/ping13.out")" 5
expect "no service node involved" "$n $enc" "0 0"

step "8: the same over IPv6: vm1 (2001:db8:1::10) pings vm2 (2001:db8:2::10)"
say "   The hosts have IPv6 addresses too, and nothing but a default route"
say "   \"everything is on this link\": vtopo-dp answers their neighbour"
say "   solicitations for what its VRF routes.  The ipv6-vpn topologies chain"
say "   the same service nodes."
VM26=$(fig1_addr6 vm2)
A0=$(fig1_counter serva z1z2v6) B0=$(fig1_counter servb z1z2v6)
fig1_x serva nft flush set inet svc hl_z1z2
fig1_x servb nft flush set inet svc hl_z1z2
fig1_x vm1 ping -6 -c5 -i0.2 -W1 "$VM26" >"$TOPO_DIR/ping12v6.out" 2>&1
say "   $(grep 'packets transmitted' "$TOPO_DIR/ping12v6.out")"
A=$(($(fig1_counter serva z1z2v6) - A0)) B=$(($(fig1_counter servb z1z2v6) - B0))
TA=$(fig1_ttls serva hl_z1z2) TB=$(fig1_ttls servb hl_z1z2)
say "   Serv-A forwarded $A IPv6 packets from zone 1 to zone 2 (hop limit $TA),"
say "   Serv-B $B (hop limit $TB): the same order as IPv4."
expect "5 of 5 pings answered" "$(grep -c 'bytes from' "$TOPO_DIR/ping12v6.out")" 5
expect "Serv-A, then Serv-B" "$A $B $TA $TB" "5 5 61 58"
say "   (tests/topo/fig1_dp6 asserts more: TCP, the firewall, the reverse"
say "   topology, traceroute6.)"

say ""
if [ "$FAILS" -eq 0 ]; then
	say "All checks passed in $((SECONDS - T0)) s.  Removing the namespaces and daemons."
	say "The same facts are asserted by \`make check\` (tests tests/topo/fig1_dp, fig1_dp6)."
else
	say "FAILED: $FAILS of the checks above (daemon logs: build/demo.log).  Cleaning up."
	exit 1
fi
