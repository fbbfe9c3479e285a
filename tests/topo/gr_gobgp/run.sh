#!/usr/bin/env bash
# Graceful restart, vtopod as the Receiving Speaker (RFC 4724 s4.2), with
# GoBGP as the restarting peer and a second GoBGP watching what vtopod
# passes on.
#
#   gb    GoBGP  AS 65001  198.18.0.1  graceful-restart on, restart time 60 s
#   pe    vtopod AS 65000  198.18.0.2  graceful-restart on towards gb
#   obs   GoBGP  AS 65003  198.18.0.3  a plain peer of pe
#
# gb originates two VPN-IPv4 routes, which reach obs through pe.  gobgpd is
# killed (SIGKILL: no NOTIFICATION, the TCP session just fails): pe must keep
# both routes, marked stale, and send obs no withdrawal.  gobgpd comes back
# with -r (R bit, F bit for VPN-IPv4) and originates only the first route:
# at its End-of-RIB pe withdraws the second one, still stale, and obs sees
# exactly that.
#
# usage: run.sh   (as root; exit 77 otherwise; needs VTOPOD and VTOPOCTL)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
# a caller may name the namespaces (concurrent suites on one machine)
topo_prefix vt$$-gr
topo_switch
topo_host gb 198.18.0.1/24
topo_host pe 198.18.0.2/24
topo_host obs 198.18.0.3/24
GB=198.18.0.1 PE=198.18.0.2 OBS=198.18.0.3

gb_conf() {
	gobgp_conf gb 65001 $GB $PE:65000
	cat <<TOML
  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = 60
  [neighbors.afi-safis.mp-graceful-restart.config]
    enabled = true
TOML
}

R1=(65001:100 198.51.100.0/25 100 65001:100 $GB)
R2=(65001:100 198.51.100.128/25 101 65001:100 $GB)

# The GoBGP of gb; with -r it says it is restarting.  Its link stays down
# until its routes are in, so that they all go before its End-of-RIB.
gb_start() {
	local d="$TOPO_DIR/gb"
	topo_exec gb ip link set eth0 down
	gb_conf >"$d/gobgp.toml"
	echo gobgp >"$d/kind"
	topo_spawn gb "$d/gobgpd.log" gobgpd -f "$d/gobgp.toml" -p "$@" \
		--api-hosts 127.0.0.1:50051 --pprof-disable
	wait_ok 10 "gobgpd on gb answers" topo_up gb gobgp_cli gb neighbor
}

gb_start
gobgp_vpn4_add gb "${R1[@]}"
gobgp_vpn4_add gb "${R2[@]}"
topo_exec gb ip link set eth0 up
gobgp_start obs <(gobgp_conf obs 65003 $OBS $PE:65000)
vtopod_start pe - <<EOF
{
  "vtopo:vtopo": {
    "global": { "as": 65000, "router-id": "$PE", "listen": [ { "address": "$PE" } ] },
    "neighbors": { "neighbor": [
      { "address": "$GB", "remote-as": 65001, "local-address": "$PE",
        "timers": { "connect-retry": 1 },
        "graceful-restart": { "enabled": true, "restart-time": 90 },
        "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" } ] } },
      { "address": "$OBS", "remote-as": 65003, "local-address": "$PE",
        "timers": { "connect-retry": 1 },
        "afi-safis": { "afi-safi": [ { "name": "ipv4-vpn" } ] } }
    ] }
  }
}
EOF

# pe's "show neighbors" for gb, one field: gr FIELD
gr() {
	vtopoctl_ pe -j show neighbors "$GB" | $TOPO_PY -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("data", d)
n = d["neighbors"][0]
g = n.get("graceful_restart", {})
print({"state": n.get("state"), "gr": g.get("state"), "stale": g.get("stale_routes"),
       "cap": n.get("capabilities", {}).get("graceful_restart")}[sys.argv[1]])' "$1"
}
gr_is() { [ "$(gr "$1")" = "$2" ]; }

# pe_path RD PREFIX LABEL NEXTHOP STALE: pe's RIB (vtopoctl's JSON,
# docs/ctl-json.md) holds this one path from gb, stale (true) or not (false)
pe_path() {
	vtopoctl_ pe -j show rib ipv4-vpn "$1:$2" | $TOPO_PY -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("data", d)
want = [int(sys.argv[1]), sys.argv[2], sys.argv[3] == "true"]
have = [[p.get("labels", [None])[0], p.get("next_hop"), p.get("stale", False)]
        for r in d.get("routes", []) for p in r["paths"]]
print("want", want, "have", have)
sys.exit(0 if have == [want] else 1)' "$3" "$4" "$5"
}

wait_ok 30 "pe: session to gb established" vtopod_session_up pe $GB
wait_ok 30 "pe: session to obs established" vtopod_session_up pe $OBS
check "graceful restart negotiated with gb" gr_is cap True
wait_ok 10 "obs has R1" vpn4_rib_has gobgp obs "${R1[@]::3}" 65001:100 $PE
wait_ok 10 "obs has R2" vpn4_rib_has gobgp obs "${R2[@]::3}" 65001:100 $PE
read -r _ rcv0 < <(gobgp_updates obs)

# ---- gb dies without a word (RFC 4724 s4.2: retain, mark stale)
gbpid=$(cat "$TOPO_DIR/gb/pid")
kill -KILL "$gbpid"
topo_reap "$gbpid" 30
rm -f "$TOPO_DIR/gb/pid"
wait_ok 20 "pe: gb's session is lost" not vtopod_session_up pe $GB
wait_ok 5 "pe: gb restarting" gr_is gr restarting
check "pe keeps both routes stale" gr_is stale 2
check "pe has R1, stale" pe_path "${R1[@]::3}" $GB true
check "pe has R2, stale" pe_path "${R2[@]::3}" $GB true
check "obs still has R1" vpn4_rib_has gobgp obs "${R1[@]::3}" 65001:100 $PE
check "obs still has R2" vpn4_rib_has gobgp obs "${R2[@]::3}" 65001:100 $PE
read -r _ rcv1 < <(gobgp_updates obs)
[ "$rcv1" = "$rcv0" ] || topo_die "obs got $((rcv1 - rcv0)) UPDATEs while gb was restarting"

# ---- gb comes back (R bit, F bit) with R1 only; its End-of-RIB flushes R2
: >"$TOPO_DIR/gb/originated"
gb_start -r
gobgp_vpn4_add gb "${R1[@]}"
topo_exec gb ip link set eth0 up
wait_ok 30 "pe: session to gb established again" vtopod_session_up pe $GB
wait_ok 30 "pe: stale routes gone after gb's End-of-RIB" gr_is gr none
check "pe has no stale route" gr_is stale 0
check "pe has R1, no longer stale" pe_path "${R1[@]::3}" $GB false
check "pe lost R2" not pe_path "${R2[@]::3}" $GB true
wait_ok 10 "obs lost R2" vpn4_rib_lacks gobgp obs "${R2[@]::2}"
check "obs kept R1" vpn4_rib_has gobgp obs "${R1[@]::3}" 65001:100 $PE
# one UPDATE, R2's withdrawal: R1 was neither withdrawn nor sent again
read -r _ rcv2 < <(gobgp_updates obs)
[ $((rcv2 - rcv1)) = 1 ] || topo_die "obs got $((rcv2 - rcv1)) UPDATEs after gb's restart, not 1"
# gb came back with the F bit for VPN-IPv4: R2 went at End-of-RIB, not at once
check "pe waited for gb's End-of-RIB" grep -q "forwarding state kept for 1 of" "$TOPO_DIR/pe/vtopod.log"
topo_log "PASS"
