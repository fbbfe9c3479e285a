#!/usr/bin/env bash
# Real traffic through VRF static routes on Figure 1 (lib/fig1dp.sh): PE-2's
# zone2 gets two static routes (yang network-instance/static-routes, RFC
# 8349 style), both inside zone 2's /26, so zone2's export statement
# z1-to-z2-v4 (203.0.113.64/26, lengths 26..32) tags them with the
# z1-to-z2 topology RT (draft s4.1.2, s4.1.4):
#   203.0.113.112/28  next hop vm2 (203.0.113.70): vm2 is the CE of a LAN
#                     whose address 203.0.113.113 it holds on its loopback
#   203.0.113.120/29  blackhole
#
# Checked with the service nodes' own nftables counters and TTL sets and
# with the kernel's ping:
#  - PE-1's zone1 sends 203.0.113.112/28 to S-PE-A (the first service node)
#    and S-PE-B's serv-b-out, the last hop, to PE-2 with the label PE-2
#    advertised for the static route (read at the route reflector);
#  - vm1 pings 203.0.113.113: every echo passes Serv-A (TTL 61) then Serv-B
#    (TTL 58), PE-2 hands it to the CE vm2 by the static route, and every
#    reply comes back through z2-to-z1 (Serv-B, then Serv-A);
#  - vm1 pings 203.0.113.121: no answer; Serv-A and Serv-B each forwarded
#    every echo (the chain applies), and PE-2's vtopo-dp dropped them at
#    the blackhole (its drop-nexthop counter grows by exactly that number).
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL,
#        VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"

CE_NET=203.0.113.112/28 CE_ADDR=203.0.113.113
BH_NET=203.0.113.120/29 BH_ADDR=203.0.113.121

fig1_conf_hook() { # NAME: PE-2's zone2 gets the static routes
	if [ "$1" = pe2 ]; then
		jq --arg ce "$CE_NET" --arg bh "$BH_NET" '
		  (.["vtopo:vtopo"]["network-instances"]["network-instance"][]
		   | select(.name == "zone2") | .["static-routes"]) =
		  {"route": [
		     {"destination-prefix": $ce, "next-hop": {"next-hop-address": "203.0.113.70"}},
		     {"destination-prefix": $bh, "next-hop": {"special-next-hop": "blackhole"}}]}'
	else
		cat
	fi
}

topo_init
topo_prefix sd$$
topo_need nft jq python3 ping
fig1_up || topo_die "Figure 1 did not come up"
topo_log "ok: Figure 1 up, every host reaches every other"
VM1=$(fig1_addr vm1)
fig1_x vm2 ip addr add "$CE_ADDR/32" dev lo

# the label a PE advertised for PREFIX, as the RR holds it (key RD:PREFIX)
rr_label() { # PREFIX
	vtopoctl_ rr -j show rib ipv4-vpn | jq -r --arg p "$1" '
	  [(.data // .).routes[] | select(.prefix | endswith(":" + $p))
	   | .paths[0].labels[0]] | first // empty'
}
wait_ok 20 "PE-1: $CE_NET installed" fig1_installed pe1 zone1 "$CE_NET"
wait_ok 20 "S-PE-B: $CE_NET installed in serv-b-out" fig1_installed speb serv-b-out "$CE_NET"
wait_ok 20 "the RR holds $CE_NET and $BH_NET" \
	eval '[ -n "$(rr_label $CE_NET)" ] && [ -n "$(rr_label $BH_NET)" ]'
LCE=$(rr_label "$CE_NET") LBH=$(rr_label "$BH_NET")
LSA=$(rr_label 198.51.100.1/32)
# labels have local meaning: PE-2 gives out 4000-4999 (tests/config/fig1-pe2.json)
[ "$LCE" -ge 4000 ] && [ "$LCE" -le 4999 ] && [ "$LBH" -ge 4000 ] && [ "$LBH" -le 4999 ] ||
	topo_die "PE-2's labels $LCE and $LBH are not in its label-range"
is "PE-1: $CE_NET to Serv-A at S-PE-A" "$(fig1_fib pe1 zone1 "$CE_NET")" "198.18.0.2 $LSA"
is "S-PE-B: $CE_NET to PE-2 with the static route's label" \
	"$(fig1_fib speb serv-b-out "$CE_NET")" "198.18.0.4 $LCE"
is "S-PE-B: $BH_NET to PE-2 with its label" "$(fig1_fib speb serv-b-out "$BH_NET")" \
	"198.18.0.4 $LBH"

# through the chain to the CE's LAN, and back
fig1_ping_z1z2 vm1 "$CE_ADDR" 5

# through the chain into the blackhole
fig1_mark
d0=$(fig1_dp_counter pe2 drop-nexthop)
if fig1_x vm1 ping -c3 -i0.2 -W1 "$BH_ADDR" >/dev/null 2>&1; then
	topo_die "vm1 -> $BH_ADDR answered through a blackhole"
fi
topo_log "ok: vm1 -> $BH_ADDR: no answer"
is "vm1 -> $BH_ADDR: Serv-A forwarded it" "$(fig1_delta serva z1z2)" 3
is "vm1 -> $BH_ADDR: Serv-B forwarded it" "$(fig1_delta servb z1z2)" 3
is "PE-2's vtopo-dp dropped it at the blackhole" \
	"$(($(fig1_dp_counter pe2 drop-nexthop) - d0))" 3
is "no reply came back: Serv-B zone 2 -> zone 1" "$(fig1_delta servb z2z1)" 0
topo_log "ok: $VM1 reached a CE's LAN behind a static route through the chain"
topo_log "static_dp: OK"
