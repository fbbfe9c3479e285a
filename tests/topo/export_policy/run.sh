#!/usr/bin/env bash
# Export policy evaluated per route (draft-rfernando-bess-service-chaining-01
# s4.1.2: "the corresponding zone-VRF will have a route-policy that attaches
# the appropriate Service-topology-RTs to routes exported from the VRF";
# s4.2: "The VM route carries the service-topology RT" of its own chain),
# read in GoBGP's RIB.
#
#   gb    GoBGP  AS 65000  198.18.0.1  iBGP, VPN-IPv4 + VPN-IPv6
#   pe    vtopod AS 65000  198.18.0.2  VRF zone1 (RD 65000:11, zone RT
#                                      65000:1) with three statements:
#           z-v4  prefix 203.0.113.0/26 26..32            -> 65000:102
#           z-v6  ipv6-vpn, prefix 2001:db8:1::/64 64..128 -> 65000:112
#           vm9   attachment vm9                           -> 65000:106
#         and attachments vm1 (203.0.113.10, 2001:db8:1::10), vm2
#         (203.0.113.11) and vm3 (198.51.100.3, outside the zone prefix).
#
# Checked, on the whole of GoBGP's vpnv4 and vpnv6 tables (exact RT sets,
# nothing more, nothing less):
#  - each route carries the zone RT and the RTs of exactly the statements
#    whose conditions it meets: an IPv4 host route never the IPv6
#    topology's RT, vm3 only the zone RT;
#  - `vtopoctl attach add vm9` (run time) gets the per-VM RT on both its
#    host routes, `attach add vm8` does not;
#  - a reload removing z-v6 re-advertises the two IPv6 routes without
#    65000:112 and nothing else: GoBGP's received UPDATE count grows by 2,
#    counted up to a later marker route (an attachment added after the
#    reload, which vtopod sends after anything the reload sent);
#  - a reload adding a reject-route statement for vm2's /32 withdraws it
#    alone; removing the statement brings it back with its RTs;
#  - a statement whose address-family contradicts its prefix is refused by
#    reload with the reason; the session stays up.
# Expected RT sets come from the configuration and the draft's rules above.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_prefix ep$$
topo_switch
topo_host gb 198.18.0.1/24
topo_host pe 198.18.0.2/24
GB=198.18.0.1 PE=198.18.0.2 RD=65000:11

gb_conf() { GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $PE:65000; }

pe_conf() {
	cat <<EOT
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE", "listen": [ { "address": "$PE" } ],
                "logging": { "level": "debug" } },
    "network-instances": { "network-instance": [
      { "name": "zone1", "route-distinguisher": "$RD",
        "vpn-targets": { "vpn-target": [
          { "route-target": "target:65000:1", "route-target-type": "both" } ] },
        "export-policy": { "statement": [
          { "name": "z-v4",
            "conditions": { "prefix": "203.0.113.0/26", "masklength-range": "26..32" },
            "actions": { "add-route-target": [ "target:65000:102" ] } },
          { "name": "z-v6",
            "conditions": { "address-family": "ipv6-vpn", "prefix": "2001:db8:1::/64",
                            "masklength-range": "64..128" },
            "actions": { "add-route-target": [ "target:65000:112" ] } },
          { "name": "vm9", "conditions": { "attachment": "vm9" },
            "actions": { "add-route-target": [ "target:65000:106" ] } } ] },
        "attachments": { "attachment": [
          { "name": "vm1", "interface": "vm1-z1",
            "address": [ { "ip": "203.0.113.10", "prefix-length": 26 },
                         { "ip": "2001:db8:1::10", "prefix-length": 64 } ] },
          { "name": "vm2", "interface": "vm2-z1",
            "address": [ { "ip": "203.0.113.11", "prefix-length": 26 } ] },
          { "name": "vm3", "interface": "vm3-z1",
            "address": [ { "ip": "198.51.100.3", "prefix-length": 24 } ] } ] } }
    ] },
    "neighbors": { "neighbor": [
      { "address": "$GB", "remote-as": 65000, "local-address": "$PE",
        "timers": { "connect-retry": 1 },
        "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" }, { "name": "ipv6-vpn" } ] } }
    ] }
  }
}
EOT
}

gobgp_start gb <(gb_conf)
pe_conf | vtopod_start pe -
wait_ok 30 "pe: session to gb established" vtopod_session_up pe $GB
wait_ok 10 "gb: session to pe established" gobgp_session_up gb $PE

# gb_table: every path of GoBGP's vpnv4 and vpnv6 tables as "RD PREFIX
# RT,RT..." (RTs sorted), sorted
gb_table() { gobgp_vpn_table gb rd prefix rt; }
# gb_is EXPECTED: GoBGP's tables are exactly EXPECTED (lines as gb_table)
gb_is() {
	local got
	got=$(gb_table) || return 1
	echo "got:"
	echo "$got"
	echo "want:"
	echo "$1"
	[ "$got" = "$(sort <<<"$1")" ]
}
gb_updates() { # UPDATEs GoBGP received
	gobgp_cli gb neighbor -j | norm gobgp-updates | cut -d' ' -f2
}
gb_flops() {
	gobgp_cli gb neighbor $PE -j | "$TOPO_PY" -c '
import json, sys
print(json.load(sys.stdin)["state"].get("flops", 0))'
}
reload() { # JQ-FILTER: edit pe's configuration and reload it
	jq "$1" "$TOPO_DIR/pe/vtopod.json" >"$TOPO_DIR/pe/vtopod.json.new"
	mv "$TOPO_DIR/pe/vtopod.json.new" "$TOPO_DIR/pe/vtopod.json"
	vtopoctl_ pe reload 2>&1
}

# s4.1.2: z-v4 for the IPv4 zone prefixes, z-v6 for the IPv6 ones; vm3 is
# outside the zone prefix; nothing is vm9
WANT="$RD 203.0.113.10/32 65000:1,65000:102
$RD 2001:db8:1::10/128 65000:1,65000:112
$RD 203.0.113.11/32 65000:1,65000:102
$RD 198.51.100.3/32 65000:1"
wait_ok 20 "gb: configured attachments with their statements' RTs only" gb_is "$WANT"
flops0=$(gb_flops)

topo_log "attach add vm9 (named by a statement) and vm8 (not) at run time"
check "attach add vm9" vtopoctl_ pe attach add vm9 vrf zone1 address 203.0.113.20 \
	address 2001:db8:1::20
check "attach add vm8" vtopoctl_ pe attach add vm8 vrf zone1 address 203.0.113.21
# s4.2: vm9's host routes carry its own chain's RT and the zone's
WANT="$WANT
$RD 203.0.113.20/32 65000:1,65000:102,65000:106
$RD 2001:db8:1::20/128 65000:1,65000:106,65000:112
$RD 203.0.113.21/32 65000:1,65000:102"
wait_ok 20 "gb: vm9 with 65000:106, vm8 without" gb_is "$WANT"

topo_log "reload without z-v6: only the two IPv6 routes change"
u0=$(gb_updates)
out=$(reload '(.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	| select(.name == "zone1") | .["export-policy"].statement) |= map(select(.name != "z-v6"))') ||
	topo_die "reload without z-v6 failed: $out"
WANT=$(sed -e "s|^$RD 2001:db8:1::10/128 .*|$RD 2001:db8:1::10/128 65000:1|" \
	-e "s|^$RD 2001:db8:1::20/128 .*|$RD 2001:db8:1::20/128 65000:1,65000:106|" <<<"$WANT")
wait_ok 20 "gb: the IPv6 routes without 65000:112, the rest as before" gb_is "$WANT"
# a marker after the reload: once GoBGP has it, it has every UPDATE the
# reload caused (one TCP session, sent in order)
check "attach add marker" vtopoctl_ pe attach add marker vrf zone1 address 198.51.100.9
WANT="$WANT
$RD 198.51.100.9/32 65000:1"
wait_ok 20 "gb: the marker" gb_is "$WANT"
u1=$(gb_updates)
topo_log "UPDATEs received by gb: $u0 before the reload, $u1 after it and the marker"
check "gb: 2 UPDATEs for the reload, 1 for the marker ($u0 -> $u1)" test $((u1 - u0)) -eq 3

topo_log "reject-route for vm2's /32: withdrawn alone, back when the statement goes"
POLICY='.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	| select(.name == "zone1") | .["export-policy"].statement'
out=$(reload "($POLICY) |= [{\"name\": \"no-vm2\", \"conditions\": {\"prefix\": \"203.0.113.11/32\"},
	\"actions\": {\"policy-result\": \"reject-route\"}}] + .") || topo_die "reload failed: $out"
WITH_VM2=$WANT
WANT=$(grep -v " 203.0.113.11/32 " <<<"$WANT")
wait_ok 20 "gb: vm2's /32 withdrawn, the rest as before" gb_is "$WANT"
out=$(reload "($POLICY) |= map(select(.name != \"no-vm2\"))") || topo_die "reload failed: $out"
WANT=$WITH_VM2
wait_ok 20 "gb: vm2's /32 back with its RTs" gb_is "$WANT"

topo_log "a statement whose family contradicts its prefix is refused"
cp "$TOPO_DIR/pe/vtopod.json" "$TOPO_DIR/pe/good.json"
if out=$(reload '(.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	| select(.name == "zone1") | .["export-policy"].statement) +=
	[{"name": "bad", "conditions": {"address-family": "ipv6-vpn", "prefix": "203.0.113.0/26"},
	  "actions": {"add-route-target": ["target:65000:999"]}}]'); then
	topo_die "reload accepted an ipv6-vpn statement with an IPv4 prefix: $out"
fi
topo_log "refused: $out"
grep -q "address-family ipv6-vpn, but prefix 203.0.113.0/26 is an IPv4 prefix" <<<"$out" ||
	topo_die "the refusal does not say why: $out"
mv "$TOPO_DIR/pe/good.json" "$TOPO_DIR/pe/vtopod.json"

topo_log "attach del vm9: withdrawn; the rest stays"
check "attach del vm9" vtopoctl_ pe attach del vm9
WANT=$(grep -v -e " 203.0.113.20/32 " -e " 2001:db8:1::20/128 " <<<"$WANT")
wait_ok 20 "gb: vm9's routes withdrawn" gb_is "$WANT"
check "gb: no session flap" test "$(gb_flops)" -eq "$flops0"
check "pe: session up" vtopod_session_up pe $GB
topo_log "PASS"
