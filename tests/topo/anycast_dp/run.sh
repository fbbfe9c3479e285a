#!/usr/bin/env bash
# Anycast service instances sharing flows, with real traffic (draft s5.2)
# and the symmetric hash (draft-ietf-bess-service-chaining s3.4.2).
#
# Figure 1 (lib/fig1dp.sh) with a fifth PE, S-PE-C 198.18.0.5, that hosts a
# second instance of Serv-A: Serv-A1 behind S-PE-A and Serv-A2 behind
# S-PE-C, both 198.51.100.1, exported under distinct RDs (198.18.0.2:1,
# 198.18.0.5:1).  z1-to-z2 {Serv-A, Serv-B} and z2-to-z1 {Serv-B, Serv-A}
# are `hash-mode symmetric` on every PE.  The instance is picked by PE-1
# (zone 1's ingress) forward and by S-PE-B (Serv-B's out-VRF) in reverse:
# two PEs, each with the anycast set {S-PE-A, S-PE-C}.
#
# 64 UDP flows from vm1 (source ports 40000..40063) to vm2's echo on port
# 5000, 3 probes each, every probe answered.  Read inside the instances'
# namespaces (nftables: the named counters of lib/fig1dp.sh and sets of
# the UDP ports each instance forwarded per direction):
#  - PE-1's and S-PE-B's FIB: the route to the other zone is an ECMP set
#    over S-PE-A and S-PE-C with the symmetric hash;
#  - the flows are shared: each instance forwarded some zone 1 -> zone 2
#    packets, the two counts add up to the 192 probes (and Serv-B saw all
#    192); same for the 192 echoes zone 2 -> zone 1;
#  - per flow: the instance that forwarded a flow's probes (source port P)
#    also forwarded its echoes (destination port P), and the other did not;
#    every one of the 64 ports appears at exactly one instance;
#  - the same after the routes came in different orders at the two PEs
#    (Serv-A1's route withdrawn and given back at S-PE-A, PE-1's vtopod
#    restarted): each PE orders the set by content, not by arrival (with
#    the set in arrival order, all 64 replies came back through the other
#    instance here);
#  - control: with hash-mode 5tuple (reload on PE-1 and S-PE-B) the same
#    64 flows still reach vm2 but some come back through the other
#    instance: what symmetric hashing prevents.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

topo_init
topo_prefix ac$$
topo_need nft jq python3 ping ethtool
UDPFLOW=$TOPO_LIB/udpflow.py
SPEA=198.18.0.2 SPEB=198.18.0.3 SPEC=198.18.0.5
FIG1_HOSTS="vm1:pe1:203.0.113.10 vm2:pe2:203.0.113.70"
FIG1_PES="pe1:198.18.0.1:fig1-pe1 spea:$SPEA:fig1-spe-a speb:$SPEB:fig1-spe-b pe2:198.18.0.4:fig1-pe2 spec:$SPEC:fig1-spe-a"
FIG1_SVCS="serva:spea:serv-a:198.51.100.1 serva2:spec:serv-a:198.51.100.1 servb:speb:serv-b:198.51.100.2"
HASH='def hash($m): (.["vtopo:vtopo"]["service-topologies"]["service-topology"][]
  | select(.name == "z1-to-z2" or .name == "z2-to-z1") | .["hash-mode"]) = $m;'
# every PE accepts MPLS-in-UDP from every other (underlay/pe-address)
PES='.["vtopo:vtopo"].underlay["pe-address"] =
  ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4", "198.18.0.5"]'
# S-PE-C's own labels (S-PE-A's configuration has 2000-2999)
LABELS_C='.["vtopo:vtopo"].underlay["label-range"] = {"first": 5000, "last": 5999}'
fig1_conf_hook() { # NAME: S-PE-C is S-PE-A's configuration at its own address
	case $1 in
	spec) sed "s/${SPEA//./\\.}\\b/$SPEC/g" | jq "$HASH hash(\"symmetric\") | $PES | $LABELS_C" ;;
	rr) jq --arg a $SPEC '.["vtopo:vtopo"].neighbors.neighbor +=
		[{"address": $a, "peer-group": "pes", "description": "S-PE-C"}]' ;;
	*) jq "$HASH hash(\"symmetric\") | $PES | $LABELS_C" ;;
	esac
}
fig1_up || topo_die "Figure 1 with S-PE-C did not come up"
VM1=$(fig1_addr vm1) VM2=$(fig1_addr vm2)

# "ecmp HASH PE:LABEL..." or the plain next hop
ecmp() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first // {} | .nexthop // {} |
	  if .type == "ecmp" then "ecmp \(.hash) " +
	    ([.members[] | "\(.pe):\(.labels[0])"] | sort | map(split(":")[0]) | join(" "))
	  else (.type // "none") end'
}
wait_ok 30 "PE-1: $VM2 over S-PE-A and S-PE-C, symmetric" \
	eq "ecmp symmetric $SPEA $SPEC" ecmp pe1 zone1 "$VM2/32"
wait_ok 30 "S-PE-B: $VM1 over S-PE-A and S-PE-C, symmetric" \
	eq "ecmp symmetric $SPEA $SPEC" ecmp speb serv-b-out "$VM1/32"

fib_pe() { fig1_fib "$@" | cut -d' ' -f1; }

# per-flow sets in each instance: UDP ports forwarded per direction
for n in serva serva2; do
	fig1_x $n nft -f - <<EOF
table inet flows {
	set z1z2p { typeof udp sport; }
	set z2z1p { typeof udp dport; }
	chain forward {
		type filter hook forward priority 10; policy accept;
		ip saddr $VM1 ip daddr $VM2 udp dport 5000 add @z1z2p { udp sport }
		ip saddr $VM2 ip daddr $VM1 udp sport 5000 add @z2z1p { udp dport }
	}
}
EOF
done
ports() { # NODE SET: the ports in it, sorted, one per line
	fig1_x "$1" nft -j list set inet flows "$2" |
		jq -r '.nftables[] | select(.set) | .set.elem // [] | .[]' | sort -n
}

fig1_x vm2 python3 "$UDPFLOW" echo "$VM2" 5000 120 </dev/null >/dev/null 2>&1 &
TOPO_PIDS+=($!)
# warm-up: every flow answered once (ARP at S-PE-C / S-PE-A may drop a
# first packet of each instance)
wait_ok 10 "vm2's echo answers" eq "total 1 1" \
	fig1_x vm1 python3 "$UDPFLOW" flows "$VM1" "$VM2" 5000 39999 1 1 1
fig1_x vm1 python3 "$UDPFLOW" flows "$VM1" "$VM2" 5000 40000 64 1 4 >"$TOPO_DIR/warm.out"
is "warm-up: flows answered" "$(awk '$1 == "total" {print $3}' "$TOPO_DIR/warm.out")" 64

run_flows() { # OUT: 64 flows x 3 probes, counters and sets from zero
	local n
	fig1_mark
	for n in serva serva2; do
		fig1_x $n nft flush set inet flows z1z2p
		fig1_x $n nft flush set inet flows z2z1p
	done
	fig1_x vm1 python3 "$UDPFLOW" flows "$VM1" "$VM2" 5000 40000 64 3 1 >"$1"
}

symmetric() { # WHEN: 64 flows, each reply through its flow's instance
	run_flows "$TOPO_DIR/sym.out"
	is "symmetric: probes sent, answered" "$(awk '$1 == "total" {print $2, $3}' "$TOPO_DIR/sym.out")" "192 192"
	local a b n
	a=$(fig1_delta serva z1z2) b=$(fig1_delta serva2 z1z2)
	topo_log "zone 1 -> zone 2: Serv-A1 $a, Serv-A2 $b packets"
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || topo_die "the flows are not shared: $a / $b"
	is "zone 1 -> zone 2 through Serv-A1 + Serv-A2" $((a + b)) 192
	is "zone 1 -> zone 2 through Serv-B" "$(fig1_delta servb z1z2)" 192
	a=$(fig1_delta serva z2z1) b=$(fig1_delta serva2 z2z1)
	topo_log "zone 2 -> zone 1: Serv-A1 $a, Serv-A2 $b packets"
	is "zone 2 -> zone 1 through Serv-A1 + Serv-A2" $((a + b)) 192
	is "zone 2 -> zone 1 through Serv-B" "$(fig1_delta servb z2z1)" 192
	for n in serva serva2; do
		ports $n z1z2p >"$TOPO_DIR/$n.fwd"
		ports $n z2z1p >"$TOPO_DIR/$n.rev"
		is "$n: flows whose replies came back through another instance" \
			"$(comm -3 "$TOPO_DIR/$n.fwd" "$TOPO_DIR/$n.rev" | wc -l)" 0
	done
	is "flows at Serv-A1 / Serv-A2 (each port at one)" \
		"$(sort -n "$TOPO_DIR/serva.fwd" "$TOPO_DIR/serva2.fwd" | uniq | wc -l) $(comm -12 "$TOPO_DIR/serva.fwd" "$TOPO_DIR/serva2.fwd" | wc -l)" "64 0"
	topo_log "symmetric ($1): Serv-A1 $(wc -l <"$TOPO_DIR/serva.fwd") flows, Serv-A2 $(wc -l <"$TOPO_DIR/serva2.fwd") flows, every reply through its flow's instance"
}
symmetric "first"

# The PEs must list the set alike: a member's place in it may not depend on
# the order its route came in.  Serv-A1's route withdrawn and given back
# (reload at S-PE-A) comes after Serv-A2's at every PE; PE-1's vtopod
# restarted then learns both again, in the RR's order.
conf=$TOPO_DIR/spea/vtopod.json
cp "$conf" "$TOPO_DIR/spea.json"
jq '.["vtopo:vtopo"]["service-nodes"]["service-node"] |= map(select(.interface != "serv-a"))' \
	"$TOPO_DIR/spea.json" >"$conf"
out=$(vtopoctl_ spea reload 2>&1) || topo_die "reload on S-PE-A: $out"
wait_ok 10 "S-PE-B: $VM1 through S-PE-C only" eq "$SPEC" fib_pe speb serv-b-out "$VM1/32"
cp "$TOPO_DIR/spea.json" "$conf"
out=$(vtopoctl_ spea reload 2>&1) || topo_die "reload on S-PE-A: $out"
wait_ok 10 "S-PE-B: $VM1 over both again" \
	eq "ecmp symmetric $SPEA $SPEC" ecmp speb serv-b-out "$VM1/32"
fig1_vtopod_restart pe1
wait_ok 30 "PE-1 (restarted): $VM2 over both" \
	eq "ecmp symmetric $SPEA $SPEC" ecmp pe1 zone1 "$VM2/32"
wait_ok 20 "the first flow answered again" eq "total 1 1" \
	fig1_x vm1 python3 "$UDPFLOW" flows "$VM1" "$VM2" 5000 39999 1 1 1
fig1_x vm1 python3 "$UDPFLOW" flows "$VM1" "$VM2" 5000 40000 64 1 4 >"$TOPO_DIR/warm2.out"
symmetric "after the routes came in other orders"

# control: the 5-tuple hash on the two PEs that choose
for n in pe1 speb; do
	f=$TOPO_DIR/$n/vtopod.json
	jq "$HASH hash(\"5tuple\")" "$f" >"$f.new" && mv "$f.new" "$f"
	out=$(vtopoctl_ $n reload 2>&1) || topo_die "reload on $n: $out"
done
wait_ok 10 "PE-1: 5-tuple hash" eq "ecmp 5-tuple $SPEA $SPEC" ecmp pe1 zone1 "$VM2/32"
wait_ok 10 "S-PE-B: 5-tuple hash" eq "ecmp 5-tuple $SPEA $SPEC" ecmp speb serv-b-out "$VM1/32"
run_flows "$TOPO_DIR/5t.out"
is "5-tuple: probes sent, answered" "$(awk '$1 == "total" {print $2, $3}' "$TOPO_DIR/5t.out")" "192 192"
x=0
for n in serva serva2; do
	ports $n z1z2p >"$TOPO_DIR/$n.fwd"
	ports $n z2z1p >"$TOPO_DIR/$n.rev"
	x=$((x + $(comm -23 "$TOPO_DIR/$n.fwd" "$TOPO_DIR/$n.rev" | wc -l)))
done
topo_log "5-tuple: $x of 64 flows came back through the other instance"
[ "$x" -gt 0 ] || topo_die "5-tuple: every flow symmetric by chance: the check above proves nothing"
topo_log "anycast_dp: OK"
