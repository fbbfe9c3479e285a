#!/usr/bin/env bash
# Harness self-test: proves tests/topo/lib against five real BGP daemons.
#
#   hub   GoBGP     AS 65001  198.18.0.1   sessions to all four others
#   bird  BIRD 2    AS 65002  198.18.0.2
#   frr   FRR bgpd  AS 65003  198.18.0.3
#   obgp  OpenBGPD  AS 65004  198.18.0.4   also peers with exa
#   exa   ExaBGP    AS 65005  198.18.0.5   also peers with obgp
#
# Every session is eBGP with VPN-IPv4 (RFC 4364) negotiated.  Each daemon that
# can originate sends one route with its own RD, RT and label, the next hop
# being its own address; each route is read back with the receiving daemon's
# own CLI and compared field by field; then every route is withdrawn and its
# absence asserted.  OpenBGPD cannot originate (tests/topo/README.md); its
# re-advertisement to exa is checked instead.  A capture on the hub is
# checked against gobgpd's own UPDATE counters, and stopping each peer must
# take its session down.
#
# usage: run.sh   (as root; exit 77 otherwise)
# Addresses are constants; RT lists are comma separated on purpose.
# shellcheck disable=SC2086,SC2054,SC2206
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host hub 198.18.0.1/24
topo_host bird 198.18.0.2/24
topo_host frr 198.18.0.3/24
topo_host obgp 198.18.0.4/24
topo_host exa 198.18.0.5/24

HUB=198.18.0.1 BIRD=198.18.0.2 FRR=198.18.0.3 OBGP=198.18.0.4 EXA=198.18.0.5
gobgp_start hub <(gobgp_conf hub 65001 $HUB $BIRD:65002 $FRR:65003 $OBGP:65004 $EXA:65005)
bird_start bird <(bird_conf bird 65002 $BIRD $HUB:65001)
frr_start frr <(frr_conf frr 65003 $FRR $HUB:65001)
# A config given whole rather than from the template: towards exa, OpenBGPD
# would keep the hub's next hop (a third-party next hop on the shared subnet,
# RFC 4271 s5.1.3), and exa could not tell the two paths apart.  exa's routes
# are not passed on to the hub: OpenBGPD 7.7 ignores VPN withdrawals and would
# keep advertising them.
openbgpd_start obgp - <<EOF
AS 65004
router-id $OBGP
listen on $OBGP
fib-update no
neighbor $HUB {
	remote-as 65001
	announce IPv4 vpn
}
neighbor $EXA {
	remote-as 65005
	announce IPv4 vpn
	set nexthop self
}
allow from any
allow to any
deny to $HUB AS 65005
EOF
exabgp_start exa <(exabgp_conf exa 65005 $EXA $HUB:65001 $OBGP:65004)

for peer in $BIRD $FRR $OBGP $EXA; do
	wait_ok 30 "hub: session to $peer established" gobgp_session_up hub $peer
done
wait_ok 10 "bird: session to hub established" bird_session_up bird $HUB
wait_ok 10 "frr: session to hub established" frr_session_up frr $HUB
wait_ok 10 "obgp: session to hub established" openbgpd_session_up obgp $HUB
wait_ok 10 "obgp: session to exa established" openbgpd_session_up obgp $EXA
wait_ok 10 "exa: session to hub established" exabgp_session_up exa $HUB
wait_ok 10 "exa: session to obgp established" exabgp_session_up exa $OBGP

# Everything from here on is captured on the hub, to be compared with gobgpd's
# counters at the end.
read -r sent0 received0 < <(gobgp_updates hub)
capture_start hub

# ------------------------------------------------------------ origination
R_HUB=(65001:100 198.51.100.0/24 100 65001:100,65001:101 $HUB)
R_BIRD=(65002:200 203.0.113.0/25 200 65002:200 $BIRD)
R_FRR=(65003:300 203.0.113.128/25 300 65003:300 $FRR)
R_EXA=(65005:500 192.0.2.0/24 500 65005:500,65005:501 $EXA)
gobgp_vpn4_add hub "${R_HUB[@]}"
bird_vpn4_add bird "${R_BIRD[@]}"
frr_vpn4_add frr "${R_FRR[@]}"
exabgp_vpn4_add exa "${R_EXA[@]}"

# peer -> hub: RD, prefix, label, RTs and next hop as originated.
wait_ok 10 "hub has bird's route" vpn4_rib_has gobgp hub "${R_BIRD[@]}"
wait_ok 10 "hub has frr's route" vpn4_rib_has gobgp hub "${R_FRR[@]}"
wait_ok 10 "hub has exa's route" vpn4_rib_has gobgp hub "${R_EXA[@]}"

# hub -> peer.
wait_ok 10 "bird has hub's route" vpn4_rib_has bird bird "${R_HUB[@]}"
wait_ok 10 "frr has hub's route" vpn4_rib_has frr frr "${R_HUB[@]}"
wait_ok 10 "exa has hub's route" vpn4_rib_has exabgp exa "${R_HUB[@]}"
# bgpctl shows no label of a VPN prefix.
wait_ok 10 "obgp has hub's route (no label shown)" \
	vpn4_rib_has openbgpd obgp 65001:100 198.51.100.0/24 - 65001:100,65001:101 $HUB

# Re-advertised over eBGP: next hop rewritten to the speaker, label passed on
# unchanged (neither GoBGP nor OpenBGPD allocates a label of its own).
wait_ok 10 "bird has frr's route through hub" \
	vpn4_rib_has bird bird 65003:300 203.0.113.128/25 300 65003:300 $HUB
wait_ok 10 "frr has exa's route through hub" \
	vpn4_rib_has frr frr 65005:500 192.0.2.0/24 500 65005:500,65005:501 $HUB
wait_ok 10 "exa has bird's route through hub" \
	vpn4_rib_has exabgp exa 65002:200 203.0.113.0/25 200 65002:200 $HUB
wait_ok 10 "exa has hub's route through obgp" \
	vpn4_rib_has exabgp exa 65001:100 198.51.100.0/24 100 65001:100,65001:101 $OBGP
wait_ok 10 "obgp has exa's route from exa" \
	vpn4_rib_has openbgpd obgp 65005:500 192.0.2.0/24 - 65005:500,65005:501 $EXA

# ------------------------------------------------------------ withdrawal
obgp_wd0=$(openbgpd_withdraws obgp $HUB)
gobgp_vpn4_del hub 65001:100 198.51.100.0/24
bird_vpn4_del bird 65002:200 203.0.113.0/25
frr_vpn4_del frr 65003:300 203.0.113.128/25
exabgp_vpn4_del exa 65005:500 192.0.2.0/24

for r in "65002:200 203.0.113.0/25" "65003:300 203.0.113.128/25" "65005:500 192.0.2.0/24"; do
	wait_ok 10 "hub: $r withdrawn" vpn4_rib_lacks gobgp hub $r
done
for r in "65001:100 198.51.100.0/24" "65002:200 203.0.113.0/25" \
	"65003:300 203.0.113.128/25" "65005:500 192.0.2.0/24"; do
	wait_ok 10 "bird: $r withdrawn" vpn4_rib_lacks bird bird $r
	wait_ok 10 "frr: $r withdrawn" vpn4_rib_lacks frr frr $r
done
# exa keeps the paths OpenBGPD re-advertised (below): only the hub's go.
wait_ok 10 "exa: hub's route withdrawn" not vpn4_rib_has exabgp exa "${R_HUB[@]}"
wait_ok 10 "exa: bird's route through hub withdrawn" \
	not vpn4_rib_has exabgp exa 65002:200 203.0.113.0/25 200 65002:200 $HUB
wait_ok 10 "exa: frr's route through hub withdrawn" \
	not vpn4_rib_has exabgp exa 65003:300 203.0.113.128/25 300 65003:300 $HUB

# OpenBGPD 7.7 counts the hub's withdrawals but keeps the routes, and goes on
# advertising them to exa.  Checked so that a fixed OpenBGPD is noticed (and
# tests/topo/README.md updated).
openbgpd_got_withdraws() { [ "$(openbgpd_withdraws obgp $HUB)" -gt "$obgp_wd0" ]; }
wait_ok 10 "obgp: withdrawals from the hub counted" openbgpd_got_withdraws
check "obgp: keeps the hub's withdrawn route (OpenBGPD 7.7 on Linux)" \
	vpn4_rib_has openbgpd obgp 65001:100 198.51.100.0/24 - 65001:100,65001:101 $HUB
check "exa: keeps the hub's route re-advertised by obgp" \
	vpn4_rib_has exabgp exa 65001:100 198.51.100.0/24 100 65001:100,65001:101 $OBGP

# ------------------------------------------------------------ capture
# Once gobgpd's counters stop moving, the capture must hold exactly the
# UPDATEs they counted: the helper counts messages, not packets.
# Settled: two samples in a row (wait_for polls every 0.2 s) are equal.
hub_updates_settled() {
	local now last=
	now=$(gobgp_updates hub)
	[ ! -f "$TOPO_DIR/updates.last" ] || last=$(cat "$TOPO_DIR/updates.last")
	echo "$now" >"$TOPO_DIR/updates.last"
	echo "now $now, before $last"
	[ "$now" = "$last" ]
}
wait_ok 10 "hub's UPDATE counters settle" hub_updates_settled
read -r sent1 received1 < <(gobgp_updates hub)
capture_counts_match() {
	local s r
	s=$(capture_updates hub "ip.src == $HUB")
	r=$(capture_updates hub "ip.dst == $HUB")
	echo "capture: sent $s received $r;" \
		"gobgpd: sent $((sent1 - sent0)) received $((received1 - received0))"
	[ "$s" -eq $((sent1 - sent0)) ] && [ "$r" -eq $((received1 - received0)) ]
}
wait_ok 5 "capture counts the UPDATEs gobgpd counted" capture_counts_match
capture_stop hub
check "capture saw UPDATEs at all" test "$((sent1 - sent0))" -gt 0
topo_log "$(capture_counts_match)"

# ------------------------------------------------------------ stop
bird_stop bird
frr_stop frr
openbgpd_stop obgp
exabgp_stop exa
for peer in $BIRD $FRR $OBGP $EXA; do
	wait_ok 10 "hub: session to $peer down after stop" not gobgp_session_up hub $peer
done
gobgp_stop hub
check "hub's gobgpd is gone" not topo_exec hub gobgp -u 127.0.0.1 neighbor
topo_log "PASS"
