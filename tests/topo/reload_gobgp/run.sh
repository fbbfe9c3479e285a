#!/usr/bin/env bash
# Configuration reload at run time, seen by a GoBGP that filters by
# RT-Constraint for real (RFC 4684).
#
#   gb    GoBGP  AS 65001  198.18.0.1  VPN-IPv4 + RTC, originates a route with
#                                      route target 65001:100
#   pe    vtopod AS 65000  198.18.0.2  VPN-IPv4 + RTC towards gb
#
# pe starts without a VRF importing 65001:100: GoBGP does not send the route.
# A reload adds such a VRF: pe's membership now covers the target and GoBGP
# sends the route.  A bad file is then refused by `vtopoctl reload` (exit 1,
# the YANG path named) and the session stays up, never reset.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
# a caller may name the namespaces (concurrent suites on one machine)
topo_prefix vt$$-rl
topo_switch
topo_host gb 198.18.0.1/24
topo_host pe 198.18.0.2/24
GB=198.18.0.1 PE=198.18.0.2
R=(65001:100 198.51.100.0/24 100 65001:100 $GB)

gb_conf() {
	GOBGP_FAMS=l3vpn-ipv4-unicast+rtc gobgp_conf gb 65001 $GB $PE:65000
}

# pe's configuration; $1: extra members of "vtopo:vtopo", $2: hold time
pe_conf() {
	cat <<EOF
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE", "listen": [ { "address": "$PE" } ] },
    $1
    "neighbors": { "neighbor": [
      { "address": "$GB", "remote-as": 65001, "local-address": "$PE",
        "timers": { "connect-retry": 1, "hold-time": $2 },
        "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" }, { "name": "rtc" } ] } }
    ] }
  }
}
EOF
}
VRF='"network-instances": { "network-instance": [ { "name": "blue",
  "route-distinguisher": "65000:1", "vpn-targets": { "vpn-target": [
  { "route-target": "target:65001:100", "route-target-type": "import" } ] } } ] },'

gobgp_start gb <(gb_conf)
gobgp_vpn4_add gb "${R[@]}"
pe_conf "" 90 | vtopod_start pe -
wait_ok 30 "pe: session to gb established" vtopod_session_up pe $GB
wait_ok 10 "gb: session to pe established" gobgp_session_up gb $PE

# pe's RIB holds the route from gb (vtopoctl JSON, docs/ctl-json.md)
pe_has() {
	vtopoctl_ pe -j show rib ipv4-vpn "$1:$2" | $TOPO_PY -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("data", d)
print(d)
sys.exit(0 if d.get("routes") else 1)'
}
# gb has received at least $1 UPDATE messages (from pe, its only peer)
gb_received() {
	local sent rcvd
	read -r sent rcvd < <(gobgp_updates gb)
	echo "gb: sent $sent received $rcvd"
	[ "$rcvd" -ge "$1" ]
}
pe_uptime() {
	vtopoctl_ pe -j show neighbors $GB | $TOPO_PY -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("data", d)
n = d["neighbors"][0]
print(n["state"], n.get("uptime", 0))'
}

# gb's own Adj-RIB-Out towards pe holds the route (GoBGP's RTC filter)
gb_adj_out_has() {
	gobgp_cli gb neighbor $PE adj-out -a vpnv4 | tee /dev/stderr | grep -qF "$1"
}

# Before: pe asks for nothing in 65001:100 and GoBGP, which has pe's RTC
# membership (its End-of-RIB, RFC 4684 s6) keeps the route to itself.
wait_ok 10 "gb has pe's RTC End-of-RIB" gb_received 1
check "gb does not send the route to pe" not gb_adj_out_has "${R[1]}"
check "pe does not have the route" not pe_has "${R[@]::2}"
check "pe's membership is empty" not grep -q 65001:100 < <(vtopoctl_ pe -j show rt-constraint)

# Reload: a VRF importing 65001:100
pe_conf "$VRF" 90 >"$TOPO_DIR/pe/vtopod.json.in"
norm vtopod-conf "$TOPO_DIR/pe/vtopod.sock" "$TOPO_DIR/pe/vtopod.log" \
	<"$TOPO_DIR/pe/vtopod.json.in" >"$TOPO_DIR/pe/vtopod.json"
check "vtopoctl reload" vtopoctl_ pe reload
check "pe originates target:65001:100" grep -q 'target:65001:100' < <(vtopoctl_ pe -j show rt-constraint)
wait_ok 20 "GoBGP sends the route now" pe_has "${R[@]::2}"
check "gb's Adj-RIB-Out towards pe has it" gb_adj_out_has "${R[1]}"
read -r st0 up0 < <(pe_uptime)
[ "$st0" = established ] || topo_die "session not established after the reload"

# A bad file (hold time 1 is out of range): refused whole, session kept
pe_conf "$VRF" 1 >"$TOPO_DIR/pe/vtopod.json.in"
norm vtopod-conf "$TOPO_DIR/pe/vtopod.sock" "$TOPO_DIR/pe/vtopod.log" \
	<"$TOPO_DIR/pe/vtopod.json.in" >"$TOPO_DIR/pe/vtopod.json"
if vtopoctl_ pe reload 2>"$TOPO_DIR/reload.err"; then
	topo_die "a bad file was accepted"
fi
check "the refusal names the YANG path" grep -q "timers/hold-time" "$TOPO_DIR/reload.err"
check "the log names it too" grep -q "reload refused: .*hold-time" "$TOPO_DIR/pe/vtopod.log"
check "pe still has the route" pe_has "${R[@]::2}"
read -r st1 up1 < <(pe_uptime)
[ "$st1" = established ] && [ "$up1" -ge "$up0" ] ||
	topo_die "the session changed after a refused reload ($st0 $up0 -> $st1 $up1)"
check "gb's session is up" gobgp_session_up gb $PE
topo_log "PASS"
