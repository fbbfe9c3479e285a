#!/usr/bin/env bash
# The control plane of Figure 1 of draft-rfernando-bess-service-chaining-01:
# five vtopods, iBGP through a vtopod route reflector (ipv4-vpn, ipv6-vpn,
# rtc), configured with the golden Figure 1 files (tests/config/fig1-*.json),
# PE-2 with a zone-1 VRF added (VM-3, intra-zone traffic, s2).  With RTC
# every VPN route reaches only the PEs that import it: VM-1's routes leave
# PE-1 only because the reflector tells PE-1 of the other PEs' membership
# of RTs whose best membership path is PE-1's own (RFC 4684 s3.2).  A GoBGP
# client of the RR (VPN-IPv4 and VPN-IPv6, no RTC: it is sent everything)
# is the second implementation the expected next hops and labels are read
# from.
#
#   pe1   198.18.0.1    PE-1, zone 1 (VM-1 203.0.113.10, 2001:db8:1::10)
#   spea  198.18.0.2    S-PE-A, Serv-A 198.51.100.1, 2001:db8:100::1
#   speb  198.18.0.3    S-PE-B, Serv-B 198.51.100.2, 2001:db8:100::2
#   pe2   198.18.0.4    PE-2, zone 2 (VM-2 203.0.113.70, 2001:db8:2::10),
#                       zone 1 (VM-3 203.0.113.20, 2001:db8:1::20)
#   gb    198.18.0.100  GoBGP, RR client
#   rr    198.18.0.254  route reflector
#
# Checked with `vtopoctl -j show fib` (lib/fig1tab.sh): every route VRF of
# every PE holds exactly, for VPN-IPv4 and VPN-IPv6, what draft s2 and
# s4.1.3 prescribe (service-node and intra-zone routes direct; in an
# ingress zone VRF the other zone's prefixes to the first service node's
# PE and label; in an intermediate out-VRF to the next node; in the last
# node's out-VRF the prefix's own next hop and label).
# Then the VPN-IPv4 chain loses Serv-B by `vtopoctl reload` on every PE
# (section 4.1.3 step 1: a change of the chain is configuration only):
# S-PE-A's out-VRF is now the last hop and forwards VM-2's /32 to PE-2
# directly, the VPN-IPv6 chain is untouched, and PE-2 sends no UPDATE
# (tcpdump on PE-2's link, counted by tshark: "no re-advertisement of zone
# prefixes").
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/chain.sh"
. "$(dirname "$0")/../lib/fig1tab.sh"

topo_init
topo_prefix vt$$-f1
topo_switch
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 rr:$RR gb:$GB; do
	topo_host "${h%%:*}" "${h#*:}/24"
done
capture_start pe2 # from before PE-2's first UPDATE
jq "$CHAIN_V.neighbors.neighbor += [{\"address\": \"$GB\", \"peer-group\": \"pes\"}]" \
	"$FIG1TAB_CONF/fig1-rr.json" >"$TOPO_DIR/rr.json"
vtopod_start rr "$TOPO_DIR/rr.json"
fig1tab_pes pe1:pe1 spea:spe-a speb:spe-b pe2:pe2:"$FIG1_ZONE1_PE2"
GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $RR:65000 >"$TOPO_DIR/gb.toml"
gobgp_start gb "$TOPO_DIR/gb.toml"
for h in pe1:$PE1 spea:$SPEA speb:$SPEB pe2:$PE2 gb:$GB; do
	wait_ok 30 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
done
wait_ok 30 "GoBGP holds one path to each of the ten routes" fig1tab_gobgp_all gb
fig1tab_expect gb
fig1tab_check

# Remove Serv-B from z1-to-z2 on every PE by reload
VM2=${FIG1TAB_V4[2]} VM2_6=${FIG1TAB_V6[2]}
before=$(capture_updates pe2 "ip.src == $PE2")
[ "$before" -gt 0 ] || topo_die "the capture holds no UPDATE from PE-2"
for n in pe1 spea speb pe2; do
	chain_set_conf $n "($CHAIN_TOP[] | select(.name == \"z1-to-z2\")
	  | .[\"service-node-sequence\"]) = [\"198.51.100.1\"]" >/dev/null
done
l2=$(fig1tab_nh gb "$VM2")
wait_ok 30 "S-PE-A: $VM2 -> PE-2 ($l2) directly" chain_is "$l2" chain_fib spea serv-a-out "$VM2"
la=$(fig1tab_nh gb "${FIG1TAB_V4[3]}") lb6=$(fig1tab_nh gb "${FIG1TAB_V6[4]}")
check "PE-1 still sends $VM2 to Serv-A ($la)" chain_is "$la" chain_fib pe1 zone1 "$VM2"
check "S-PE-A still sends $VM2_6 to Serv-B ($lb6)" chain_is "$lb6" chain_fib spea serv-a-out "$VM2_6"
# a keepalive interval is 30 s: any UPDATE PE-2 sent by now is on the wire
after=$(capture_updates pe2 "ip.src == $PE2")
capture_stop pe2
topo_log "UPDATEs sent by PE-2 on the wire: $before before the reload, $after after"
[ "$before" = "$after" ] || topo_die "PE-2's routes were advertised again"
topo_log "fig1_ctl: OK"
