#!/usr/bin/env bash
# Static routes of a VRF (yang network-instance/static-routes, RFC 8349
# style) exported like any other route, read in GoBGP's RIB and in
# vtopo-dp's tables.
#
#   gb    GoBGP  AS 65000  198.18.0.1  iBGP, VPN-IPv4 + VPN-IPv6
#   pe    vtopod AS 65000  198.18.0.2  VRF zone2 (RD 65000:20, zone RT
#                                      65000:2, per-vrf label), export
#                                      statement "agg": 198.19.0.0/16 exact
#                                      -> the topology RT 65000:102
#                                      (draft s4.1.4: the aggregate carries
#                                      the service-topology RT, the
#                                      specifics do not); attachment ce1 on
#                                      tap-ce1 (203.0.113.20/24,
#                                      2001:db8:2::20/64); static routes
#           198.19.0.0/16     blackhole            (the zone's aggregate)
#           192.0.2.0/24      next-hop 203.0.113.20 (a CE subnet behind ce1)
#           2001:db8:20::/48  next-hop 2001:db8:2::20
#           198.51.100.64/26  outgoing-interface tap-ce1
#         vtopo-dp                     pe's data plane (--fib-socket)
#
# Checked:
#  - GoBGP has exactly the host routes and the four statics under RD
#    65000:20, with the zone RT, the aggregate alone with 65000:102 too;
#    each with pe as next hop and the VRF's one label (RFC 4364 s4.3.2,
#    per-VRF allocation: the same label as ce1's host routes);
#  - vtopo-dp holds each as RFC 8349 says: a drop, ce1's interface with the
#    CE as gateway (both families), ce1's interface on-link; GoBGP's label
#    is popped to a lookup in zone2;
#  - a reload removing 192.0.2.0/24 and turning 198.51.100.64/26 into a
#    blackhole withdraws the first alone and re-advertises nothing else
#    (GoBGP's received UPDATE count grows by 1, counted up to a later
#    marker attachment); vtopo-dp drops 198.51.100.64/26 from then on;
#  - a next-hop-address of the wrong family and an unknown
#    outgoing-interface are refused by reload, naming the leaf; the
#    session stays up.
# Expected values come from the configuration, RFC 4364 and the draft.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL and
#        VTOPO_DP)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
TOPO_PREFIX=${TOPO_NS_PREFIX:+$TOPO_NS_PREFIX$$}
TOPO_PREFIX=${TOPO_PREFIX:-st$$}
topo_switch
topo_host gb 198.18.0.1/24
topo_host pe 198.18.0.2/24
GB=198.18.0.1 PE=198.18.0.2 RD=65000:20
: "${VTOPO_DP:?VTOPO_DP is not set}"

gb_conf() { GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $PE:65000; }

pe_conf() {
	cat <<EOT
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE", "listen": [ { "address": "$PE" } ],
                "logging": { "level": "debug" } },
    "network-instances": { "network-instance": [
      { "name": "zone2", "route-distinguisher": "$RD", "label-mode": "per-vrf",
        "vpn-targets": { "vpn-target": [
          { "route-target": "target:65000:2", "route-target-type": "both" } ] },
        "export-policy": { "statement": [
          { "name": "agg", "conditions": { "prefix": "198.19.0.0/16" },
            "actions": { "add-route-target": [ "target:65000:102" ] } } ] },
        "attachments": { "attachment": [
          { "name": "ce1", "interface": "tap-ce1",
            "address": [ { "ip": "203.0.113.20", "prefix-length": 24 },
                         { "ip": "2001:db8:2::20", "prefix-length": 64 } ] } ] },
        "static-routes": { "route": [
          { "destination-prefix": "198.19.0.0/16",
            "next-hop": { "special-next-hop": "blackhole" } },
          { "destination-prefix": "192.0.2.0/24",
            "next-hop": { "next-hop-address": "203.0.113.20" } },
          { "destination-prefix": "2001:db8:20::/48",
            "next-hop": { "next-hop-address": "2001:db8:2::20" } },
          { "destination-prefix": "198.51.100.64/26",
            "next-hop": { "outgoing-interface": "tap-ce1" } } ] } }
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

ip -n "$(topo_ns pe)" link add tap-ce1 type veth peer name ce1-eth
ip -n "$(topo_ns pe)" link set tap-ce1 up
ip -n "$(topo_ns pe)" link set ce1-eth up
topo_spawn pe "$TOPO_DIR/pe/vtopo-dp.log" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock"
wait_ok 10 "vtopo-dp listens" test -S "$TOPO_DIR/pe/dp.sock"

gobgp_start gb <(gb_conf)
vtopod_start pe <(pe_conf) --fib-socket "$TOPO_DIR/pe/dp.sock"
wait_ok 30 "pe: session to gb established" vtopod_session_up pe $GB
wait_ok 10 "gb: session to pe established" gobgp_session_up gb $PE

# gb_table: every path of GoBGP's vpnv4 and vpnv6 tables as "RD PREFIX
# RT,RT.. NEXTHOP LABEL", sorted
gb_table() { gobgp_vpn_table gb rd prefix rt nexthop label; }
# gb_is EXPECTED: GoBGP's tables are exactly EXPECTED (LABEL for the label
# of ce1's /32, which must be a label of the 20-bit space above the
# reserved values, RFC 3032 s2.1)
gb_is() {
	local got label
	got=$(gb_table) || return 1
	label=$(awk -v p="$RD" '$1 == p && $2 == "203.0.113.20/32" { print $5 }' <<<"$got")
	echo "got:"
	echo "$got"
	[ -n "$label" ] && [ "$label" -ge 16 ] && [ "$label" -le 1048575 ] || return 1
	echo "want:"
	sed "s/LABEL/$label/" <<<"$1"
	[ "$got" = "$(sed "s/LABEL/$label/" <<<"$1" | sort)" ]
}
gb_updates() { # UPDATEs GoBGP received
	gobgp_cli gb neighbor -j | norm gobgp-updates | cut -d' ' -f2
}
gb_flops() {
	gobgp_cli gb neighbor $PE -j | "$TOPO_PY" -c '
import json, sys
print(json.load(sys.stdin)["state"].get("flops", 0))'
}

# RFC 4364 s4.3.2: RD, export RTs (+ the policy's, s4.1.4), pe as next hop
# (RFC 4659 s3.2.1.2: ::ffff:198.18.0.2 for VPN-IPv6, which GoBGP prints
# as the IPv4 address), one label for the VRF
WANT="$RD 203.0.113.20/32 65000:2 $PE LABEL
$RD 2001:db8:2::20/128 65000:2 $PE LABEL
$RD 198.19.0.0/16 65000:102,65000:2 $PE LABEL
$RD 192.0.2.0/24 65000:2 $PE LABEL
$RD 2001:db8:20::/48 65000:2 $PE LABEL
$RD 198.51.100.64/26 65000:2 $PE LABEL"
wait_ok 20 "gb: the statics with RD, RTs, pe as next hop and the VRF's label" gb_is "$WANT"
flops0=$(gb_flops)
LABEL=$(gb_table | awk -v p="$RD" '$1 == p && $2 == "198.19.0.0/16" { print $5 }')

# dp_route VRF PREFIX TYPE [IFNAME [GATEWAY]]: vtopo-dp's route and its
# next hop (TYPE drop or local; GATEWAY "-" for none: on-link)
dp_route() {
	ip netns exec "$(topo_ns pe)" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock" show | "$TOPO_PY" -c '
import json, sys
vrf, prefix, typ = sys.argv[1:4]
ifname = sys.argv[4] if len(sys.argv) > 4 else None
gw = sys.argv[5] if len(sys.argv) > 5 else None
d = json.load(sys.stdin)
ifs = {i["id"]: i for i in d["interfaces"]}
nhs = {n["id"]: n for n in d["nexthops"]}
v = [v for v in d["vrfs"] if v["name"] == vrf]
r = [r for r in (v[0]["routes"] if v else []) if r["prefix"] == prefix]
nh = nhs.get(r[0]["nh"]) if r else None
print("route", r, "nh", nh)
ok = nh is not None and nh["type"] == typ
if ok and ifname:
    i = ifs.get(nh["interface"])
    ok = i is not None and i["name"] == ifname
if ok and gw:
    ok = nh.get("gateway", "-") in (gw, "0.0.0.0", "::") if gw == "-" else nh.get("gateway") == gw
sys.exit(0 if ok else 1)' "$@"
}
dp_label_lookup() { # LABEL VRF: the label pops to a lookup in VRF
	ip netns exec "$(topo_ns pe)" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock" show | "$TOPO_PY" -c '
import json, sys
label, vrf = int(sys.argv[1]), sys.argv[2]
d = json.load(sys.stdin)
nhs = {n["id"]: n for n in d["nexthops"]}
v = [v for v in d["vrfs"] if v["name"] == vrf]
ls = [l for l in d["labels"] if l["label"] == label]
nh = nhs.get(ls[0]["nh"]) if len(ls) == 1 else None
print("label", ls, "nh", nh)
sys.exit(0 if v and nh and nh["type"] == "lookup" and nh["vrf"] == v[0]["id"] else 1)' "$@"
}
wait_ok 10 "vtopo-dp: the aggregate drops" dp_route zone2 198.19.0.0/16 drop
check "vtopo-dp: 192.0.2.0/24 to tap-ce1 via the CE" \
	dp_route zone2 192.0.2.0/24 local tap-ce1 203.0.113.20
check "vtopo-dp: 2001:db8:20::/48 to tap-ce1 via the CE" \
	dp_route zone2 2001:db8:20::/48 local tap-ce1 2001:db8:2::20
check "vtopo-dp: 198.51.100.64/26 on-link on tap-ce1" \
	dp_route zone2 198.51.100.64/26 local tap-ce1 -
check "vtopo-dp: GoBGP's label $LABEL pops to a lookup in zone2" dp_label_lookup "$LABEL" zone2
# show fib: each static with its action
fib_static() { # PREFIX STATIC-TEXT
	vtopoctl_ pe -j show fib zone2 | "$TOPO_PY" -c '
import json, sys
prefix, want = sys.argv[1:3]
d = json.load(sys.stdin)
d = d.get("data", d)
r = [r for v in d["vrfs"] for r in v["routes"] if r["prefix"] == prefix]
print(r)
sys.exit(0 if len(r) == 1 and r[0]["via"] == "static" and r[0]["static"] == want
         and r[0]["state"] == "installed" and r[0]["exported"] else 1)' "$@"
}
check "show fib: the aggregate is a static drop" fib_static 198.19.0.0/16 drop
check "show fib: the CE subnet's next hop" fib_static 192.0.2.0/24 "next-hop-address 203.0.113.20"
check "show fib: the on-link one" fib_static 198.51.100.64/26 "interface tap-ce1"

reload() { # JQ-FILTER: edit pe's configuration and reload it
	jq "$1" "$TOPO_DIR/pe/vtopod.json" >"$TOPO_DIR/pe/vtopod.json.new"
	mv "$TOPO_DIR/pe/vtopod.json.new" "$TOPO_DIR/pe/vtopod.json"
	vtopoctl_ pe reload 2>&1
}
STATICS='.["vtopo:vtopo"]["network-instances"]["network-instance"][]
	| select(.name == "zone2") | .["static-routes"].route'

topo_log "reload: 192.0.2.0/24 goes, 198.51.100.64/26 becomes a blackhole"
u0=$(gb_updates)
out=$(reload "($STATICS) |= (map(select(.\"destination-prefix\" != \"192.0.2.0/24\"))
	| map(if .\"destination-prefix\" == \"198.51.100.64/26\"
	      then .\"next-hop\" = {\"special-next-hop\": \"blackhole\"} else . end))") ||
	topo_die "reload failed: $out"
WANT=$(grep -v " 192.0.2.0/24 " <<<"$WANT")
wait_ok 20 "gb: 192.0.2.0/24 withdrawn, the rest as before" gb_is "$WANT"
wait_ok 10 "vtopo-dp: 198.51.100.64/26 drops now" dp_route zone2 198.51.100.64/26 drop
wait_ok 10 "vtopo-dp: 192.0.2.0/24 is gone" not dp_route zone2 192.0.2.0/24 local
# a marker after the reload: once GoBGP has it, it has every UPDATE the
# reload caused (one TCP session, sent in order)
check "attach add marker" vtopoctl_ pe attach add marker vrf zone2 address 198.51.100.9
WANT="$WANT
$RD 198.51.100.9/32 65000:2 $PE LABEL"
wait_ok 20 "gb: the marker" gb_is "$WANT"
u1=$(gb_updates)
topo_log "UPDATEs received by gb: $u0 before the reload, $u1 after it and the marker"
check "gb: 1 UPDATE for the reload (the withdrawal), 1 for the marker ($u0 -> $u1)" \
	test $((u1 - u0)) -eq 2

topo_log "bad static routes are refused by reload, naming the leaf"
cp "$TOPO_DIR/pe/vtopod.json" "$TOPO_DIR/pe/good.json"
if out=$(reload "($STATICS) += [{\"destination-prefix\": \"192.0.2.0/24\",
	\"next-hop\": {\"next-hop-address\": \"2001:db8:2::20\"}}]"); then
	topo_die "reload accepted an IPv6 next hop for an IPv4 prefix: $out"
fi
topo_log "refused: $out"
grep -q "static-routes/route\[destination-prefix='192.0.2.0/24'\]/next-hop/next-hop-address" \
	<<<"$out" || topo_die "the refusal does not name the leaf: $out"
grep -q "not of the destination's family" <<<"$out" || topo_die "no reason: $out"
cp "$TOPO_DIR/pe/good.json" "$TOPO_DIR/pe/vtopod.json"
if out=$(reload "($STATICS) += [{\"destination-prefix\": \"192.0.2.0/24\",
	\"next-hop\": {\"outgoing-interface\": \"tap-nowhere\"}}]"); then
	topo_die "reload accepted an unknown outgoing-interface: $out"
fi
topo_log "refused: $out"
grep -q "next-hop/outgoing-interface" <<<"$out" || topo_die "the refusal does not name the leaf: $out"
grep -q "'tap-nowhere' is neither an attachment" <<<"$out" || topo_die "no reason: $out"
mv "$TOPO_DIR/pe/good.json" "$TOPO_DIR/pe/vtopod.json"
check "gb: nothing moved" gb_is "$WANT"
check "pe: session up" vtopod_session_up pe $GB
flops1=$(gb_flops)
check "gb: no session flap ($flops0 -> $flops1)" test "$flops1" -eq "$flops0"
topo_log "PASS"
