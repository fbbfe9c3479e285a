#!/usr/bin/env bash
# Service redundancy (draft s5.3): Serv-A's service IP from two
# service-PEs; the BGP attributes of the service route make one path win
# (active), the other stays as standby; withdrawing the active fails over,
# re-advertising it fails back.  Only the service route moves: the zone
# prefixes are not re-advertised (UPDATEs counted by GoBGP and vtopod) and
# every one of them follows through the one shared next-hop object.
#
#   pe1  198.18.0.1  vtopod, ingress PE of zone1, topologies z1-to-z2
#                    {Serv-A 198.51.100.1} (VPN-IPv4) and z1-to-z2-v6
#                    {Serv-A 2001:db8:100::1} (VPN-IPv6)
#   gb   198.18.0.9  GoBGP (iBGP): Serv-A from S-PE-A1 198.18.0.2 (RD
#                    198.18.0.2:1, labels 1101 / 1102) and S-PE-A2
#                    198.18.0.12 (labels 1201 / 1202); 20 zone-2 prefixes
#                    per family from PE-2 198.18.0.4
#
# The active path expected is computed from GoBGP's RIB by RFC 4271:
# highest LOCAL_PREF (s9.1.1), shortest AS_PATH (s9.1.2.2 a), lowest MED
# among paths whose AS_PATH starts with the same AS (c).
#  1. LOCAL_PREF 200 on S-PE-A1: active A1; A1 withdrawn -> A2; back -> A1;
#  2. equal LOCAL_PREF, AS_PATH 65010 on both, MED 20 on A1 and 10 on A2:
#     active A2; A2 withdrawn -> A1; back -> A2;
#  3. the same MEDs with A1's AS_PATH 65020: different neighbour ASes, the
#     MEDs are not compared (c), both paths form an ECMP set.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_prefix as$$
topo_switch
PE1=198.18.0.1 GB=198.18.0.9 PE2=198.18.0.4 A1=198.18.0.2 A2=198.18.0.12
SVC4=198.51.100.1 SVC6=2001:db8:100::1
N=20
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
      "service-node-sequence": [ "$SVC6" ], "ingress-vrf": [ "zone1" ] } ] } } }
JSON
gb_conf() { GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $PE1:65000; }
gobgp_start gb <(gb_conf)
wait_ok 20 "pe1 - gb established" vtopod_session_up pe1 $GB

pfx_of() { [ "$1" = vpnv4 ] && echo $SVC4/32 || echo $SVC6/128; }
label_of() { # FAM NH
	case "$1 $2" in
	"vpnv4 $A1") echo 1101 ;; "vpnv6 $A1") echo 1102 ;;
	"vpnv4 $A2") echo 1201 ;; *) echo 1202 ;;
	esac
}
# svc_add NH [ATTR...]: Serv-A from the S-PE at NH (RD NH:1), both families
svc_add() {
	local nh=$1 f gnh
	shift
	for f in vpnv4 vpnv6; do
		gnh=$nh
		[ $f = vpnv4 ] || gnh=::ffff:$nh
		gobgp_cli gb global rib -a $f add "$(pfx_of $f)" label "$(label_of $f "$nh")" \
			rd "$nh:1" rt 65000:100 nexthop $gnh "$@"
	done
}
svc_del() { # NH
	local f
	for f in vpnv4 vpnv6; do
		gobgp_cli gb global rib -a $f del "$(pfx_of $f)" label "$(label_of $f "$1")" rd "$1:1"
	done
}
for i in $(seq 1 $N); do
	gobgp_cli gb global rib -a vpnv4 add 203.0.113.$i/32 label $((2000 + i)) rd $PE2:1 \
		rt 65000:2 65000:101 nexthop $PE2
	gobgp_cli gb global rib -a vpnv6 add 2001:db8:2::$i/128 label $((3000 + i)) rd $PE2:1 \
		rt 65000:2 65000:102 nexthop ::ffff:$PE2
done

# GoBGP's paths to Serv-A in FAM that RFC 4271 s9.1.1 and s9.1.2.2 a-c
# leave, as sorted "NEXTHOP LABEL" lines (all of GoBGP's paths here are
# its own: ORIGIN and eBGP/iBGP are the same for each).
gb_expect() { # FAM
	gobgp_cli gb global rib -a "$1" -j | jq -r --arg p "$(pfx_of "$1")" '
	  [to_entries[] | select(.key | endswith(":" + $p)) | .value[] |
	   { nh: ([.attrs[] | select(.type == 14) | .nexthop] | first
	          // ([.attrs[] | select(.type == 3) | .nexthop] | first)
	          | sub("^::ffff:"; "")),
	     label: .nlri.labels[0],
	     lp: ([.attrs[] | select(.type == 5) | .value] | first // 100),
	     med: ([.attrs[] | select(.type == 4) | .metric] | first // 0),
	     path: [.attrs[] | select(.type == 2) | .as_paths[]? | .asns[]] }
	   | .asl = (.path | length) | .nas = (.path[0] // 0)]
	  | (map(.lp) | max) as $lp | map(select(.lp == $lp))
	  | (map(.asl) | min) as $asl | map(select(.asl == $asl))
	  | . as $s | map(. as $x | select(all($s[]; .nas != $x.nas or .med >= $x.med)))
	  | .[] | "\(.nh) \(.label)"' | sort
}

zone_of() { [ "$1" = vpnv4 ] && echo 203.0.113. || echo 2001:db8:2::; }
pe_fib() { # FAM: PE-1's zone1 routes of the zone-2 prefixes
	vtopoctl_ pe1 -j show fib zone1 | jq --arg z "$(zone_of "$1")" \
		'[.vrfs[].routes[] | select(.prefix | startswith($z))]'
}
# "TYPE N-IDS N-INSTALLED" then one "PE LABEL" line per member, sorted
pe_state() { # FAM
	local j
	j=$(pe_fib "$1")
	jq -r '"\(first.nexthop.type) \(map(.nexthop.id) | unique | length) \(
	  map(select(.state == "installed")) | length)"' <<<"$j"
	jq -r 'first | .nexthop | if .type == "ecmp" then .members[] else . end |
	  "\(.pe) \(.labels[0])"' <<<"$j" | sort
}
pe_id() { pe_fib "$1" | jq -r 'first.nexthop.id'; }

# is_on FAM TYPE: PE-1 forwards every zone prefix of FAM over one object of
# TYPE whose members are what GoBGP's RIB says
is_on() {
	local want got
	want=$(printf '%s 1 %s\n' "$2" $N; gb_expect "$1")
	got=$(pe_state "$1")
	printf 'want:\n%s\ngot:\n%s\n' "$want" "$got"
	[ "$want" = "$got" ]
}
# on TYPE NH...: both families on NH (one: tunnel, several: ecmp), which
# must also be GoBGP's answer
on() {
	local type=$1 f want nh
	shift
	for f in vpnv4 vpnv6; do
		want=$(for nh in "$@"; do echo "$nh $(label_of $f "$nh")"; done | sort)
		wait_ok 15 "$f on $*" is_on $f "$type"
		[ "$(gb_expect $f)" = "$want" ] ||
			topo_die "GoBGP's RIB gives $(gb_expect $f | tr '\n' ';') in $f, the test expects $*"
		[ "$(pe_id $f)" = "${ID[$f]}" ] || topo_die "$f: a new object $(pe_id $f), not ${ID[$f]}"
	done
}

# UPDATE messages: "GOBGP-SENT GOBGP-RECEIVED PE1-RECEIVED"
updates() {
	echo "$(gobgp_updates gb) $(vtopoctl_ pe1 -j show neighbors $GB |
		jq -r '[.. | objects | .messages? // empty | .received.update // empty] | first')"
}
# every UPDATE GoBGP sent (its only session is to pe1) has reached pe1
settled() {
	local s r p
	read -r s r p <<<"$(updates)"
	echo "GoBGP sent $s, pe1 received $p"
	[ "$s" = "$p" ]
}
# one_update DESCRIPTION BEFORE: exactly one UPDATE from GoBGP since
# BEFORE, none from PE-1: the service route alone moved
one_update() {
	local now
	read -r s0 r0 p0 <<<"$2"
	now=$(updates)
	read -r s1 r1 p1 <<<"$now"
	topo_log "$1: UPDATEs GoBGP sent +$((s1 - s0)), received +$((r1 - r0)), pe1 received +$((p1 - p0))"
	[ $((s1 - s0)) = 2 ] && [ $((p1 - p0)) = 2 ] && [ $((r1 - r0)) = 0 ] ||
		topo_die "$1: expected one UPDATE per family from GoBGP and none from pe1"
}
# failover DESCRIPTION ACTIVE STANDBY ATTR...: withdraw the active, the
# standby takes over; re-advertise, back to the active
failover() {
	local d=$1 act=$2 stb=$3 u
	shift 3
	wait_ok 10 "pe1 has every UPDATE GoBGP sent" settled
	u=$(updates)
	svc_del "$act"
	on tunnel "$stb"
	wait_ok 10 "pe1 has every UPDATE GoBGP sent" settled
	one_update "$d: $act withdrawn" "$u"
	u=$(updates)
	svc_add "$act" "$@"
	on tunnel "$act"
	wait_ok 10 "pe1 has every UPDATE GoBGP sent" settled
	one_update "$d: $act back" "$u"
}

declare -A ID
# 1. LOCAL_PREF: A1 active
svc_add $A2
svc_add $A1 local-pref 200
wait_ok 15 "vpnv4 resolved" is_on vpnv4 tunnel
wait_ok 15 "vpnv6 resolved" is_on vpnv6 tunnel
ID[vpnv4]=$(pe_id vpnv4) ID[vpnv6]=$(pe_id vpnv6)
on tunnel $A1
topo_log "LOCAL_PREF 200: active $A1 (nh ${ID[vpnv4]} / ${ID[vpnv6]} for $N prefixes each)"
failover "LOCAL_PREF" $A1 $A2 local-pref 200

# 2. MED within one neighbour AS: A2 (MED 10) active
svc_add $A1 aspath 65010 med 20
svc_add $A2 aspath 65010 med 10
on tunnel $A2
topo_log "MED 10 vs 20 from AS 65010: active $A2"
failover "MED" $A2 $A1 aspath 65010 med 10

# 3. the same MEDs from different neighbour ASes: not compared, ECMP
svc_add $A1 aspath 65020 med 20
on ecmp $A1 $A2
topo_log "MED 20 from AS 65020, 10 from AS 65010: both paths (ECMP)"
topo_log "active_standby: OK"
