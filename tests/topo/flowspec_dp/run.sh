#!/usr/bin/env bash
# Fine-grained steering with VPN FlowSpec through real packets
# (draft-rfernando-bess-service-chaining-01 s4.1.5): vtopod programs
# vtopo-dp (--fib-socket) on every PE; one flow (TCP to VM-2 port 80) goes
# through a service node while other traffic between the same hosts goes
# direct.  Checked by nftables counters inside the service node's
# namespace, and by the hosts' own TCP and ping.
#
#   pe1   198.18.0.1    PE-1, zone1, VM-1 203.0.113.10 on vm1-z1
#   spea  198.18.0.2    S-PE-A, Serv-A 198.51.100.1 on serv-a (one arm:
#                       in-VRF serv-a-in, out-VRF serv-a-out)
#   speb  198.18.0.3    S-PE-B, Serv-B 198.51.100.2 on serv-b (likewise)
#   pe2   198.18.0.4    PE-2, zone2, VM-2 203.0.113.70 on vm2-z2
#   rr    198.18.0.254  route reflector
#   gb    198.18.0.100  GoBGP, injects the VPN FlowSpec route
#
# The PEs and the reflector speak RT-Constraint (RFC 4684): each PE gets
# only the VPN and flow routes its VRFs import.
# Zones 1 and 2 import each other's RT (65000:1, 65000:2): zone routes
# carry no service-topology RT, so traffic goes straight from PE to PE.
# Service topology z1-to-z2 (RT 65000:101) is {Serv-A, Serv-B}, as in
# Figure 1.  The flow route (RD 198.18.0.4:1, destination 203.0.113.70/32,
# TCP, destination port 80, RT 65000:101) steers only that flow: at PE-1 to
# Serv-A at S-PE-A; what Serv-A sends back is matched by S-PE-A's flow rule
# in its out-VRF and sent to Serv-B at S-PE-B; S-PE-B's out-VRF is the last
# hop (a destination lookup: PE-2).  Replies go direct.
#
# Checked: with the flow route, an HTTP GET from VM-1 to VM-2:80 succeeds
# and Serv-A's and Serv-B's counters of TCP to 203.0.113.70:80 rise, while
# pings from VM-1 to VM-2 succeed and both ICMP counters stay 0; once the
# flow route is withdrawn, GETs still succeed and the TCP counters no
# longer move.
#
# The scenario itself is tests/topo/lib/flowspec_dp.sh.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL, VTOPO_DP)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"
. "$(dirname "$0")/../lib/fig1dp.sh"
. "$(dirname "$0")/../lib/flowspec_dp.sh"

topo_init
: "${VTOPO_DP:?VTOPO_DP is not set}"
topo_need nft jq ethtool
topo_prefix fsd$$
fsdp_run 4
topo_log "flowspec_dp: OK"
