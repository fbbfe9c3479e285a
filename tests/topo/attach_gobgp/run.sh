#!/usr/bin/env bash
# Attachments added and removed at run time (draft-rfernando-bess-service-
# chaining-01 s2: "when a VM comes up ... the attached PE starts to export
# the VM's IP address with the corresponding zone-RT"), seen in GoBGP's RIB.
#
#   gb    GoBGP  AS 65000  198.18.0.1  iBGP, VPN-IPv4 + VPN-IPv6
#   pe    vtopod AS 65000  198.18.0.2  VRFs blue (RD 65000:10, zone RT
#                                      65000:100, export policy adds
#                                      65000:999, per-prefix labels) and red
#                                      (RD 65000:20, RT 65000:200, per-vrf)
#         vtopo-dp                     pe's data plane (--fib-socket), with
#                                      interface tap-vm1 (a veth) towards vm1
#
# `vtopoctl attach add` puts a /32 and a /128 into GoBGP's RIB with the RD
# and RTs of the configuration, a label and pe as next hop (RFC 4364 s4.3.2,
# RFC 4659 s3.2.1.2 for IPv6 over an IPv4 session); a VM in two zones shows
# up under both RDs; labels follow each VRF's label mode; bad commands fail
# with their reason and leave GoBGP's session alone (same uptime, no flap); a
# reload keeps the attachments but withdraws those whose VRF it removes, and
# a SIGHUP that gives the VRF back brings them back; `attach del` withdraws.  vtopo-dp gets the attachment too: the interface
# in its VRF, the host route to it, and the label GoBGP received popped to
# it; `attach del` takes them out.  Every expected value comes from the
# configuration below or from GoBGP.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD, VTOPOCTL and
#        VTOPO_DP)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_prefix at$$
topo_switch
topo_host gb 198.18.0.1/24
topo_host pe 198.18.0.2/24
GB=198.18.0.1 PE=198.18.0.2
BLUE_RD=65000:10 RED_RD=65000:20
# what GoBGP must see: zone RT plus the export policy's RT for blue
BLUE_RTS='["65000:100", "65000:999"]' RED_RTS='["65000:200"]'
V4=198.51.100.5 V6=2001:db8:5::5 V4B=198.51.100.6

gb_conf() { GOBGP_FAMS=l3vpn-ipv4-unicast+l3vpn-ipv6-unicast gobgp_conf gb 65000 $GB $PE:65000; }

# pe's configuration; $1: "red" to keep VRF red
pe_conf() {
	local red=
	[ "$1" != red ] || red=',
      { "name": "red", "route-distinguisher": "'$RED_RD'", "label-mode": "per-vrf",
        "vpn-targets": { "vpn-target": [
          { "route-target": "target:65000:200", "route-target-type": "both" } ] } }'
	cat <<EOT
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE", "listen": [ { "address": "$PE" } ],
                "logging": { "level": "debug" } },
    "network-instances": { "network-instance": [
      { "name": "blue", "route-distinguisher": "$BLUE_RD", "label-mode": "per-prefix",
        "vpn-targets": { "vpn-target": [
          { "route-target": "target:65000:100", "route-target-type": "both" } ] },
        "export-policy": { "statement": [
          { "name": "svc", "actions": { "add-route-target": [ "target:65000:999" ] } } ] } }$red
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

: "${VTOPO_DP:?VTOPO_DP is not set}"
ip -n "$(topo_ns pe)" link add tap-vm1 type veth peer name vm1-eth
ip -n "$(topo_ns pe)" link set tap-vm1 up
ip -n "$(topo_ns pe)" link set vm1-eth up
topo_spawn pe "$TOPO_DIR/pe/vtopo-dp.log" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock"
wait_ok 10 "vtopo-dp listens" test -S "$TOPO_DIR/pe/dp.sock"

gobgp_start gb <(gb_conf)
# the FIB goes to vtopo-dp
vtopod_start pe <(pe_conf red) --fib-socket "$TOPO_DIR/pe/dp.sock"
wait_ok 30 "pe: session to gb established" vtopod_session_up pe $GB
wait_ok 10 "gb: session to pe established" gobgp_session_up gb $PE

# gb_path FAM RD PREFIX: GoBGP's path for RD:PREFIX as one normalized line
# {"label","nexthop","prefix","rd","rt"}; fails when there is none.
gb_path() {
	gobgp_cli gb global rib -a "$1" -j | norm rib gobgp | "$TOPO_PY" -c '
import json, sys
rd, prefix = sys.argv[1:3]
hits = [l for l in sys.stdin if l.strip() and json.loads(l)["rd"] == rd
        and json.loads(l)["prefix"] == prefix]
print("".join(hits), end="")
sys.exit(0 if len(hits) == 1 else 1)' "$2" "$3"
}
# gb_has FAM RD PREFIX RTS-JSON NEXTHOP: that path with those RTs (any
# order), that next hop and a label of the 20-bit space above the reserved
# values (RFC 3032 s2.1: 0-15 are reserved)
gb_has() {
	gb_path "$1" "$2" "$3" | "$TOPO_PY" -c '
import json, sys
p = json.loads(sys.stdin.read())
want_rts, nh = json.loads(sys.argv[1]), sys.argv[2]
print(p)
ok = sorted(p["rt"]) == sorted(want_rts) and p["nexthop"] == nh
ok = ok and isinstance(p["label"], int) and 16 <= p["label"] <= 1048575
sys.exit(0 if ok else 1)' "$4" "$5"
}
# gb_lacks FAM RD PREFIX: GoBGP's RIB was read and has no such path
gb_lacks() {
	local n
	n=$(gobgp_cli gb global rib -a "$1" -j | norm rib gobgp | "$TOPO_PY" -c '
import json, sys
print(sum(1 for l in sys.stdin if l.strip() and json.loads(l)["rd"] == sys.argv[1]
          and json.loads(l)["prefix"] == sys.argv[2]))' "$2" "$3") || return 1
	echo "$n paths"
	[ "$n" = 0 ]
}
gb_label() { # FAM RD PREFIX
	gb_path "$@" | "$TOPO_PY" -c 'import json, sys; print(json.loads(sys.stdin.read())["label"])'
}
# GoBGP's flap count and the start of its session's uptime
gb_state() {
	gobgp_cli gb neighbor $PE -j | "$TOPO_PY" -c '
import json, sys
n = json.load(sys.stdin)
up = n["timers"]["state"].get("uptime", 0)
print(n["state"].get("flops", 0), up.get("seconds", 0) if isinstance(up, dict) else up)'
}
# RFC 4659 s3.2.1.2: VPN-IPv6 over an IPv4 session, next hop ::ffff:IPv4,
# which GoBGP (Go's net.IP) prints as the IPv4 address
NH6=$PE

topo_log "attach add: a VM with an IPv4 and an IPv6 address in blue"
check "attach add vm1" vtopoctl_ pe attach add vm1 vrf blue address $V4/32 \
	address $V6/128 interface tap-vm1
wait_ok 10 "gb has vm1's /32 under blue's RD with blue's RTs" \
	gb_has vpnv4 $BLUE_RD $V4/32 "$BLUE_RTS" $PE
wait_ok 10 "gb has vm1's /128 under blue's RD" gb_has vpnv6 $BLUE_RD $V6/128 "$BLUE_RTS" $NH6
read -r flops0 up0 < <(gb_state)

topo_log "the same VM in a second zone, and another VM there"
check "attach add vm1-red" vtopoctl_ pe attach add vm1-red vrf red address $V4
check "attach add vm2 (JSON)" vtopoctl_ pe -j attach add vm2 vrf red address $V4B/32
wait_ok 10 "gb has vm1's /32 under red's RD too" gb_has vpnv4 $RED_RD $V4/32 "$RED_RTS" $PE
wait_ok 10 "gb has vm2's /32" gb_has vpnv4 $RED_RD $V4B/32 "$RED_RTS" $PE
check "gb still has vm1's /32 in blue" gb_has vpnv4 $BLUE_RD $V4/32 "$BLUE_RTS" $PE
# RFC 4364 s4.3.2: per-vrf, one label for the VRF; per-prefix, one each
l_red1=$(gb_label vpnv4 $RED_RD $V4/32) l_red2=$(gb_label vpnv4 $RED_RD $V4B/32)
l_blue4=$(gb_label vpnv4 $BLUE_RD $V4/32) l_blue6=$(gb_label vpnv6 $BLUE_RD $V6/128)
check "per-vrf red: one label ($l_red1 $l_red2)" test "$l_red1" -eq "$l_red2"
check "per-prefix blue: two labels ($l_blue4 $l_blue6)" test "$l_blue4" -ne "$l_blue6"
check "the labels of two VRFs differ" test "$l_red1" -ne "$l_blue4"
# vtopo-dp's own state (vtopo-dp show, docs/fib-protocol.md): VRF routes
# PREFIX to IFNAME (gateway the host), and the label GoBGP got for it is
# popped (RFC 4364 s4.3.2) to that next hop (per-prefix) or to a lookup in
# the VRF (per-vrf)
dp_has() { # VRF PREFIX IFNAME LABEL MODE
	ip netns exec "$(topo_ns pe)" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock" show | "$TOPO_PY" -c '
import json, sys
vrf, prefix, ifname, label, mode = sys.argv[1:6]
d = json.load(sys.stdin)
ifs = {i["id"]: i for i in d["interfaces"]}
nhs = {n["id"]: n for n in d["nexthops"]}
v = [v for v in d["vrfs"] if v["name"] == vrf]
r = [r for r in (v[0]["routes"] if v else []) if r["prefix"] == prefix]
nh = nhs.get(r[0]["nh"]) if r else None
print("route", r, "nh", nh)
ok = nh is not None and nh["type"] == "local" and nh["gateway"] == prefix.split("/")[0]
i = ifs.get(nh["interface"]) if nh else None
print("interface", i)
ok = ok and i is not None and i["name"] == ifname and i["role"] == "attach" and i["vrf"] == v[0]["id"]
ls = [l for l in d["labels"] if l["label"] == int(label)]
print("label", ls)
lnh = nhs.get(ls[0]["nh"]) if len(ls) == 1 else None
print("label nh", lnh)
if mode == "per-prefix":
    ok = ok and lnh is not None and lnh["id"] == r[0]["nh"]
else:
    ok = ok and lnh is not None and lnh["type"] == "lookup" and lnh["vrf"] == v[0]["id"]
sys.exit(0 if ok else 1)' "$@"
}
dp_lacks() { # IFNAME VRF PREFIX: no such interface, no such route in VRF
	ip netns exec "$(topo_ns pe)" "$VTOPO_DP" -s "$TOPO_DIR/pe/dp.sock" show | "$TOPO_PY" -c '
import json, sys
ifname, vrf, prefix = sys.argv[1:4]
d = json.load(sys.stdin)
ifs = [i for i in d["interfaces"] if i["name"] == ifname]
rs = [r for v in d["vrfs"] if v["name"] == vrf for r in v["routes"] if r["prefix"] == prefix]
print(ifs, rs)
sys.exit(0 if not ifs and not rs else 1)' "$@"
}
wait_ok 10 "vtopo-dp: blue routes vm1's /32 to tap-vm1, GoBGP's label $l_blue4 too" \
	dp_has blue $V4/32 tap-vm1 "$l_blue4" per-prefix
check "show attachments lists vm1" grep -q '"name":"vm1"' < <(vtopoctl_ pe -j show attachments)
check "the FIB of blue has vm1's host route" grep -qF "\"$V4/32\"" \
	< <(vtopoctl_ pe -j show fib blue)

# bad_cmd WANT ARGS...: fails with exit 1 and WANT in its error
bad_cmd() {
	local want=$1 rc=0
	shift
	vtopoctl_ pe "$@" >"$TOPO_DIR/bad.out" 2>"$TOPO_DIR/bad.err" || rc=$?
	cat "$TOPO_DIR/bad.err"
	[ "$rc" -eq 1 ] && grep -qF "$want" "$TOPO_DIR/bad.err"
}
topo_log "bad commands: refused with the reason, nothing else moves"
check "unknown VRF" bad_cmd "unknown network-instance 'green'" \
	attach add vm3 vrf green address 198.51.100.7/32
check "not a host address" bad_cmd "not a host address" \
	attach add vm3 vrf blue address 198.51.100.0/24
check "bad address" bad_cmd "bad address '198.51.100.300'" \
	attach add vm3 vrf blue address 198.51.100.300
check "duplicate name" bad_cmd "attachment 'vm1' exists" attach add vm1 vrf red address 198.51.100.8
check "address taken in the VRF" bad_cmd "address $V4 is attachment 'vm1''s" \
	attach add vm3 vrf blue address $V4
check "interface taken" bad_cmd "interface 'tap-vm1' is attachment 'vm1''s" \
	attach add vm3 vrf red address 198.51.100.9 interface tap-vm1
check "no address" bad_cmd "missing 'address ADDRESS'" attach add vm3 vrf blue
check "unknown attachment" bad_cmd "no attachment 'vm9'" attach del vm9
check "gb lacks what was refused" gb_lacks vpnv4 $BLUE_RD 198.51.100.7/32
read -r flops1 up1 < <(gb_state)
check "gb: flap count unchanged ($flops0 -> $flops1)" test "$flops1" -eq "$flops0"
check "gb: same session (uptime start $up0 -> $up1)" test "$up1" -eq "$up0"
check "pe: session up" vtopod_session_up pe $GB

topo_log "reload without VRF red: blue's attachment stays, red's are withdrawn"
pe_conf "" >"$TOPO_DIR/pe/vtopod.json.in"
norm vtopod-conf "$TOPO_DIR/pe/vtopod.sock" "$TOPO_DIR/pe/vtopod.log" \
	<"$TOPO_DIR/pe/vtopod.json.in" >"$TOPO_DIR/pe/vtopod.json"
vtopoctl_ pe reload >"$TOPO_DIR/reload.out" || topo_die "reload failed"
cat "$TOPO_DIR/reload.out" >&2
check "reload says vm1-red was withdrawn and why" \
	grep -q "attachment vm1-red withdrawn: unknown network-instance 'red'" "$TOPO_DIR/reload.out"
wait_ok 10 "gb: vm1's /32 under red's RD is withdrawn" gb_lacks vpnv4 $RED_RD $V4/32
wait_ok 10 "gb: vm2's /32 is withdrawn" gb_lacks vpnv4 $RED_RD $V4B/32
wait_ok 10 "vtopo-dp: vm2's interface and /32 are gone" dp_lacks vm2 red $V4B/32
check "gb still has vm1's /32 in blue" gb_has vpnv4 $BLUE_RD $V4/32 "$BLUE_RTS" $PE
check "gb still has vm1's /128 in blue" gb_has vpnv6 $BLUE_RD $V6/128 "$BLUE_RTS" $NH6
check "show attachments: vm2 withdrawn with the reason" grep -q \
	"vm2 .*withdrawn: unknown network-instance 'red'" < <(vtopoctl_ pe show attachments)

topo_log "SIGHUP with red back: its attachments come back"
pe_conf red >"$TOPO_DIR/pe/vtopod.json.in"
norm vtopod-conf "$TOPO_DIR/pe/vtopod.sock" "$TOPO_DIR/pe/vtopod.log" \
	<"$TOPO_DIR/pe/vtopod.json.in" >"$TOPO_DIR/pe/vtopod.json"
kill -HUP "$(cat "$TOPO_DIR/pe/pid")"
wait_ok 10 "gb has vm1's /32 under red's RD again" gb_has vpnv4 $RED_RD $V4/32 "$RED_RTS" $PE
wait_ok 10 "gb has vm2's /32 again" gb_has vpnv4 $RED_RD $V4B/32 "$RED_RTS" $PE
check "the log says vm2 is up again" grep -q "attachment vm2 is up again" \
	"$TOPO_DIR/pe/vtopod.log"
l_vm2=$(gb_label vpnv4 $RED_RD $V4B/32)
wait_ok 10 "vtopo-dp: red routes vm2's /32 to vm2 again, GoBGP's label $l_vm2 too" \
	dp_has red $V4B/32 vm2 "$l_vm2" per-vrf

topo_log "attach del: withdrawn in GoBGP"
check "attach del vm1" vtopoctl_ pe attach del vm1
wait_ok 10 "gb: vm1's /32 is withdrawn" gb_lacks vpnv4 $BLUE_RD $V4/32
wait_ok 10 "gb: vm1's /128 is withdrawn" gb_lacks vpnv6 $BLUE_RD $V6/128
wait_ok 10 "vtopo-dp: tap-vm1 and vm1's /32 are gone" dp_lacks tap-vm1 blue $V4/32
check "attach del vm2" vtopoctl_ pe attach del vm2
wait_ok 10 "gb: vm2's /32 is withdrawn" gb_lacks vpnv4 $RED_RD $V4B/32
check "gb still has vm1-red's /32" gb_has vpnv4 $RED_RD $V4/32 "$RED_RTS" $PE
check "show attachments has no vm2" not grep -q '"name":"vm2"' \
	< <(vtopoctl_ pe -j show attachments)
read -r flops2 up2 < <(gb_state)
check "gb: same session at the end ($up0 -> $up2, flaps $flops0 -> $flops2)" \
	test "$up2" -eq "$up0" -a "$flops2" -eq "$flops0"
# vtopo-dp took every batch, the first (a resync) included
check "pe: no FIB commit failed" not grep -q 'FIB commit failed' "$TOPO_DIR/pe/vtopod.log"
topo_log "PASS"
