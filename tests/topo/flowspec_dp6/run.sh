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
topo_prefix fs6$$
fsdp_run 6
topo_log "flowspec_dp6: OK"
