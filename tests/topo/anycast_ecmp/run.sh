#!/usr/bin/env bash
# Service scaling (draft s5.2): Serv-A's service IP is advertised by
# several service-PEs, each with its own RD, next hop and label, and the
# ingress PE forwards the zone prefixes steered to Serv-A over the ECMP set
# of the equal-best paths (RFC 4271 s9.1.2.2 a-d across RDs).
#
#   pe1  198.18.0.1  vtopod, ingress PE of zone1 (topology z1-to-z2 {Serv-A}
#                    for VPN-IPv4, z1-to-z2-v6 for VPN-IPv6 with hash-mode
#                    symmetric)
#   gb   198.18.0.9  GoBGP (iBGP), plays the service-PEs and PE-2: Serv-A
#                    198.51.100.1/32 and 2001:db8:100::1/128 (RT 65000:100)
#                    from S-PE-A1 198.18.0.2, S-PE-A2 198.18.0.12, S-PE-A3
#                    198.18.0.22 (RD NH:1, labels 1x01 / 1x02), 12 zone-2
#                    prefixes per family (RT 65000:2 + 65000:101/65000:102,
#                    next hop PE-2 198.18.0.4)
#
# Expected members are the (next hop, label) pairs GoBGP's RIB holds for
# Serv-A's address, filtered by the RFC's rule (highest LOCAL_PREF, then
# shortest AS_PATH) on the attributes GoBGP shows:
#  1. two S-PEs: every zone prefix -> ECMP of those two, one shared object;
#  2. a third: the same object grows to three (same id);
#  3. the third at LOCAL_PREF 50: out of the set (s9.1.1);
#  4. the third at LOCAL_PREF 100 but a longer AS_PATH: out (s9.1.2.2 a);
#     with ORIGIN EGP against the others' INCOMPLETE: it alone (b); with
#     MED 10 against the others' none (0), all from the same (empty, this
#     AS's) AS_PATH: out (c);
#  5. the first withdrawn: two again (S-PE-A2, S-PE-A3 after 4 is undone).
# Each step also for VPN-IPv6, whose set shows hash "symmetric".
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_prefix ae$$
topo_switch
PE1=198.18.0.1 GB=198.18.0.9 PE2=198.18.0.4
SA1=198.18.0.2 SA2=198.18.0.12 SA3=198.18.0.22
SVC4=198.51.100.1 SVC6=2001:db8:100::1
N=12
topo_host pe1 $PE1/24
topo_host gb $GB/24

vtopod_start pe1 - <<JSON
{ "vtopo:vtopo": {
  "global": { "as": 65000, "router-id": "$PE1" },
  "neighbors": { "neighbor": [
    { "address": "$GB", "remote-as": 65000, "local-address": "$PE1",
      "timers": { "connect-retry": 2 },
      "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" }, { "name": "ipv6-vpn" } ] } } ] },
  "network-instances": { "network-instance": [
    { "name": "zone1", "route-distinguisher": "$PE1:1",
      "vpn-targets": { "vpn-target": [
        { "route-target": "target:65000:1", "route-target-type": "both" },
        { "route-target": "target:65000:100", "route-target-type": "import" },
        { "route-target": "target:65000:101", "route-target-type": "import" },
        { "route-target": "target:65000:102", "route-target-type": "import" } ] } } ] },
  "service-topologies": { "service-topology": [
    { "name": "z1-to-z2", "route-target": "target:65000:101", "address-family": "ipv4-vpn",
      "service-node-sequence": [ "$SVC4" ], "ingress-vrf": [ "zone1" ] },
    { "name": "z1-to-z2-v6", "route-target": "target:65000:102", "address-family": "ipv6-vpn",
      "service-node-sequence": [ "$SVC6" ], "ingress-vrf": [ "zone1" ],
      "hash-mode": "symmetric" } ] } } }
JSON
gb_conf() { GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $PE1:65000; }
gobgp_start gb <(gb_conf)
wait_ok 20 "pe1 - gb established" vtopod_session_up pe1 $GB

# svc_add FAM NH LABEL [ATTR...]: Serv-A from the S-PE at NH, RD NH:1
svc_add() {
	local fam=$1 nh=$2 label=$3 pfx=$SVC4/32 gnh=$2
	shift 3
	[ "$fam" = vpnv4 ] || pfx=$SVC6/128 gnh=::ffff:$nh
	gobgp_cli gb global rib -a "$fam" add $pfx label "$label" rd "$nh:1" \
		rt 65000:100 nexthop $gnh "$@"
}
svc_del() { # FAM NH LABEL
	local pfx=$SVC4/32
	[ "$1" = vpnv4 ] || pfx=$SVC6/128
	gobgp_cli gb global rib -a "$1" del $pfx label "$3" rd "$2:1"
}
for i in $(seq 1 $N); do
	gobgp_cli gb global rib -a vpnv4 add 203.0.113.$i/32 label $((2000 + i)) rd $PE2:1 \
		rt 65000:2 65000:101 nexthop $PE2
	gobgp_cli gb global rib -a vpnv6 add 2001:db8:2::$i/128 label $((3000 + i)) rd $PE2:1 \
		rt 65000:2 65000:102 nexthop ::ffff:$PE2
done

# GoBGP's paths to Serv-A's address in FAM, as sorted "NEXTHOP LABEL" lines,
# reduced by RFC 4271 s9.1.1 (highest LOCAL_PREF, 100 when absent) and
# s9.1.2.2 a (shortest AS_PATH), b (lowest ORIGIN), c (lowest MED among
# paths whose AS_PATH starts with the same AS).
gb_expect() { # FAM
	local pfx=$SVC4/32
	[ "$1" = vpnv4 ] || pfx=$SVC6/128
	gobgp_cli gb global rib -a "$1" -j | jq -r --arg p "$pfx" '
	  [to_entries[] | select(.key | endswith(":" + $p)) | .value[] |
	   { nh: ([.attrs[] | select(.type == 14) | .nexthop] | first
	          // ([.attrs[] | select(.type == 3) | .nexthop] | first)
	          | sub("^::ffff:"; "")),
	     label: .nlri.labels[0],
	     lp: ([.attrs[] | select(.type == 5) | .value] | first // 100),
	     origin: ([.attrs[] | select(.type == 1) | .value] | first // 0),
	     med: ([.attrs[] | select(.type == 4) | .metric] | first // 0),
	     path: [.attrs[] | select(.type == 2) | .as_paths[]? | .asns[]] }
	   | .asl = (.path | length) | .nas = (.path[0] // 0)]
	  | (map(.lp) | max) as $lp | map(select(.lp == $lp))
	  | (map(.asl) | min) as $asl | map(select(.asl == $asl))
	  | (map(.origin) | min) as $o | map(select(.origin == $o))
	  | . as $s | map(. as $x | select(all($s[]; .nas != $x.nas or .med >= $x.med)))
	  | .[] | "\(.nh) \(.label)"' | sort
}

# PE-1's zone1 FIB routes of FAM's zone-2 prefixes (a JSON array)
fib4() { [ "$1" = vpnv4 ] && echo 203.0.113. || echo 2001:db8:2::; }
pe_fib() { # FAM
	vtopoctl_ pe1 -j show fib zone1 | jq -r --arg z "$(fib4 "$1")" '
	  [.vrfs[].routes[] | select(.prefix | startswith($z))]'
}
# the distinct next-hop ids of FAM's zone prefixes
pe_ids() { pe_fib "$1" | jq -r 'map(.nexthop.id) | unique | map(tostring) | join(" ")'; }
pe_members() { # FAM: sorted "PE LABEL" of the first zone prefix's set
	pe_fib "$1" | jq -r 'first | .nexthop |
	  if .type == "ecmp" then .members[] else . end |
	  "\(.pe) \(.labels[0])"' | sort
}
pe_type() { pe_fib "$1" | jq -r 'first | "\(.nexthop.type) \(.nexthop.hash // "-")"'; }
pe_count() { pe_fib "$1" | jq -r 'map(select(.state == "installed")) | length'; }

# matches FAM: PE-1's set is GoBGP's, every prefix on it, one object
matches() {
	local fam=$1 want got
	want=$(gb_expect "$fam")
	got=$(pe_members "$fam")
	echo "want: $want" | tr '\n' ' '
	echo
	echo "got:  $got" | tr '\n' ' '
	echo
	[ -n "$want" ] && [ "$want" = "$got" ] && [ "$(pe_count "$fam")" = $N ] &&
		[ "$(pe_ids "$fam" | wc -w)" = 1 ]
}
members_are() { # FAM "NH LABEL,NH LABEL..."
	local got
	got=$(pe_members "$1")
	echo "pe1 has: $got" | tr '\n' ' '
	echo
	[ "$got" = "$(tr , '\n' <<<"$2" | sort)" ] && matches "$1"
}
step() { # DESCRIPTION WANT4 WANT6 TYPE4 TYPE6
	wait_ok 15 "$1 (VPN-IPv4)" members_are vpnv4 "$2"
	wait_ok 15 "$1 (VPN-IPv6)" members_are vpnv6 "$3"
	[ "$(pe_type vpnv4)" = "$4" ] || topo_die "$1: VPN-IPv4 set is $(pe_type vpnv4), not $4"
	[ "$(pe_type vpnv6)" = "$5" ] || topo_die "$1: VPN-IPv6 set is $(pe_type vpnv6), not $5"
	topo_log "$1: $(pe_members vpnv4 | tr '\n' ';') / $(pe_members vpnv6 | tr '\n' ';')"
}

# 1. two service-PEs
for f in vpnv4 vpnv6; do
	svc_add $f $SA1 $([ $f = vpnv4 ] && echo 1101 || echo 1102)
	svc_add $f $SA2 $([ $f = vpnv4 ] && echo 1201 || echo 1202)
done
step "two S-PEs" "$SA1 1101,$SA2 1201" "$SA1 1102,$SA2 1202" "ecmp 5-tuple" "ecmp symmetric"
id4=$(pe_ids vpnv4) id6=$(pe_ids vpnv6)
[ "$id4" != "$id6" ] || topo_die "VPN-IPv4 and VPN-IPv6 share next hop $id4"
topo_log "shared objects: VPN-IPv4 nh $id4, VPN-IPv6 nh $id6 ($N prefixes each)"
# show service-topology states the configured mode
[ "$(vtopoctl_ pe1 -j show service-topology z1-to-z2-v6 | jq -r '.[0].hash')" = symmetric ] ||
	topo_die "show service-topology does not state hash symmetric"

# 2. a third
svc_add vpnv4 $SA3 1301
svc_add vpnv6 $SA3 1302
step "three S-PEs" "$SA1 1101,$SA2 1201,$SA3 1301" "$SA1 1102,$SA2 1202,$SA3 1302" \
	"ecmp 5-tuple" "ecmp symmetric"
[ "$(pe_ids vpnv4)" = "$id4" ] && [ "$(pe_ids vpnv6)" = "$id6" ] ||
	topo_die "the set grew into a new object ($(pe_ids vpnv4) / $(pe_ids vpnv6))"

# 3. the third at a lower LOCAL_PREF (RFC 4271 s9.1.1): not equal-best
svc_add vpnv4 $SA3 1301 local-pref 50
svc_add vpnv6 $SA3 1302 local-pref 50
step "third at LOCAL_PREF 50" "$SA1 1101,$SA2 1201" "$SA1 1102,$SA2 1202" \
	"ecmp 5-tuple" "ecmp symmetric"

# 4. LOCAL_PREF back to 100, a longer AS_PATH (s9.1.2.2 a): not equal-best
svc_add vpnv4 $SA3 1301 aspath 65010,65011
svc_add vpnv6 $SA3 1302 aspath 65010,65011
step "third with AS_PATH length 2" "$SA1 1101,$SA2 1201" "$SA1 1102,$SA2 1202" \
	"ecmp 5-tuple" "ecmp symmetric"

# ... ORIGIN EGP against the others' INCOMPLETE (GoBGP's default): the
# third alone is best (b); then MED 10 against none (c): out
svc_add vpnv4 $SA3 1301 origin egp
svc_add vpnv6 $SA3 1302 origin egp
step "third with ORIGIN EGP" "$SA3 1301" "$SA3 1302" "tunnel -" "tunnel -"
svc_add vpnv4 $SA3 1301 med 10
svc_add vpnv6 $SA3 1302 med 10
step "third with MED 10" "$SA1 1101,$SA2 1201" "$SA1 1102,$SA2 1202" \
	"ecmp 5-tuple" "ecmp symmetric"

# 5. back to equal, then the first withdrawn: two again, same object
svc_add vpnv4 $SA3 1301
svc_add vpnv6 $SA3 1302
step "three again" "$SA1 1101,$SA2 1201,$SA3 1301" "$SA1 1102,$SA2 1202,$SA3 1302" \
	"ecmp 5-tuple" "ecmp symmetric"
svc_del vpnv4 $SA1 1101
svc_del vpnv6 $SA1 1102
step "S-PE-A1 withdrawn" "$SA2 1201,$SA3 1301" "$SA2 1202,$SA3 1302" \
	"ecmp 5-tuple" "ecmp symmetric"
[ "$(pe_ids vpnv4)" = "$id4" ] && [ "$(pe_ids vpnv6)" = "$id6" ] ||
	topo_die "the set shrank into a new object ($(pe_ids vpnv4) / $(pe_ids vpnv6))"
topo_log "anycast_ecmp: OK"
