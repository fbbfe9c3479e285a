#!/usr/bin/env bash
# RFC 7606 against vtopod: a raw peer (lib/rawbgp.py, hand-built bytes)
# sends malformed UPDATEs while a GoBGP session on the same vtopod carries
# routes and must never notice.
#
#   vt   vtopod  AS 65000  198.18.0.10
#   raw  rawbgp  AS 65010  198.18.0.20  IPv4 unicast
#   gb   GoBGP   AS 65001  198.18.0.1   IPv4 unicast and VPN-IPv4
#
# Expected outcomes, from RFC 7606:
#   ORIGIN value 7                      s7.1  treat-as-withdraw
#   attribute length past the list      s4    treat-as-withdraw
#   AS_PATH segment type 7              s7.2  treat-as-withdraw
#   ATOMIC_AGGREGATE of length 1        s7.6  attribute discard (route stays)
#   MP_REACH_NLRI twice                 s3 g  NOTIFICATION 3/1, session reset
# Treat-as-withdraw is seen as the route going from vtopod's RIB and from
# GoBGP behind it, with the raw session still up (no NOTIFICATION received,
# state established).  gb's session: flap count 0 and never left
# Established (GoBGP's counters and uptime, vtopod's NOTIFICATION counters).
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24
topo_host raw 198.18.0.20/24
topo_host gb 198.18.0.1/24
VT=198.18.0.10 RAW=198.18.0.20 GB=198.18.0.1

vtopod_start vt - <<EOF
{"vtopo:vtopo": {
 "global": {"as": 65000, "router-id": "$VT", "listen": [{"address": "$VT"}],
            "logging": {"level": "debug"}},
 "neighbors": {"neighbor": [
  {"address": "$RAW", "remote-as": 65010, "local-address": "$VT", "passive": true,
   "afi-safis": {"afi-safi": [{"name": "ipv4-unicast"}]}},
  {"address": "$GB", "remote-as": 65001, "local-address": "$VT",
   "timers": {"connect-retry": 2},
   "afi-safis": {"afi-safi": [{"name": "ipv4-unicast"}, {"name": "ipv4-vpn"}]}}
 ]}
}}
EOF
GOBGP_FAMS=l3vpn-ipv4-unicast+ipv4-unicast gobgp_conf gb 65001 $GB $VT:65000 >"$TOPO_DIR/gb.toml"
gobgp_start gb "$TOPO_DIR/gb.toml"
wait_ok 30 "vt: session to gb established" vtopod_session_up vt $GB

# gb's routes, there from before the first malformed message to the end.
gobgp_cli gb global rib -a ipv4 add 198.51.100.0/24 nexthop $GB
gobgp_vpn4_add gb 65001:100 198.51.100.0/24 100 65001:100 $GB
wait_ok 10 "vt has gb's VPN route" vpn4_rib_has vtopod vt 65001:100 198.51.100.0/24 100 65001:100 $GB

# The raw peer.
d=$TOPO_DIR/raw
mkfifo "$d/cmd.fifo"
topo_spawn raw "$d/rawbgp.log" "$TOPO_PY" "$TOPO_LIB/rawbgp.py" $RAW $VT 65010 \
	"$d/cmd.fifo" "$d/received.log"
wait_ok 10 "raw: session up" test -e "$d/received.log.ready"
wait_ok 10 "vt: session to raw established" vtopod_session_up vt $RAW
raw_send() { echo "$1 $2" >"$d/cmd.fifo"; }

u4_paths() { # NAME PREFIX: "PEER NEXTHOP ATOMIC" per path in vtopod's RIB
	vtopoctl_ "$1" -j show rib ipv4-unicast | "$TOPO_PY" -c '
import json, sys
for r in json.load(sys.stdin)["routes"]:
    if r["prefix"] == sys.argv[1]:
        for p in r["paths"]:
            print(p["peer"], p["next_hop"], "atomic" if p.get("atomic_aggregate") else "-")
' "$2"
}
vt_has() { # PREFIX: vtopod has the raw peer's path
	local have
	have=$(u4_paths vt "$1")
	echo "vt paths for $1: [$have]"
	grep -q "^$RAW $RAW " <<<"$have"
}
gb_has() { # PREFIX: GoBGP has a path
	gobgp_cli gb global rib -a ipv4 "$1" -j | tee /dev/stderr | grep -q "\"$1\""
}
raw_up() { # no NOTIFICATION received, vtopod still Established
	! grep -q notification "$d/received.log" && vtopod_session_up vt $RAW
}

P1=203.0.113.0/26 P2=203.0.113.64/26 P3=203.0.113.128/26 P4=203.0.113.192/26
for p in $P1 $P2 $P3; do raw_send valid $p; done
for p in $P1 $P2 $P3; do
	wait_ok 10 "vt has $p from raw" vt_has $p
	wait_ok 10 "gb has $p through vt" gb_has $p
done

# gb's session as it is now: GoBGP's flap count and uptime.
gb_state() { # "FLOPS UPTIME-START"
	gobgp_cli gb neighbor $VT -j | "$TOPO_PY" -c '
import json, sys
n = json.load(sys.stdin)
up = n["timers"]["state"].get("uptime", 0)
print(n["state"].get("flops", 0), up.get("seconds", 0) if isinstance(up, dict) else up)'
}
read -r flops0 up0 < <(gb_state)

raw_send bad-origin $P1
wait_ok 10 "bad ORIGIN: $P1 withdrawn from vt (RFC 7606 s7.1)" not vt_has $P1
wait_ok 10 "bad ORIGIN: $P1 withdrawn from gb" not gb_has $P1
check "bad ORIGIN: raw session stays up" raw_up

raw_send len-overrun $P2
wait_ok 10 "length overrun: $P2 withdrawn from vt (RFC 7606 s4)" not vt_has $P2
wait_ok 10 "length overrun: $P2 withdrawn from gb" not gb_has $P2
check "length overrun: raw session stays up" raw_up

raw_send bad-as-path $P3
wait_ok 10 "bad AS_PATH: $P3 withdrawn from vt (RFC 7606 s7.2)" not vt_has $P3
wait_ok 10 "bad AS_PATH: $P3 withdrawn from gb" not gb_has $P3
check "bad AS_PATH: raw session stays up" raw_up

raw_send atomic-len1 $P4
wait_ok 10 "ATOMIC_AGGREGATE length 1: $P4 accepted (RFC 7606 s7.6)" vt_has $P4
check "ATOMIC_AGGREGATE length 1: the attribute is discarded" \
	grep -qx "$RAW $RAW -" <(u4_paths vt $P4)
wait_ok 10 "ATOMIC_AGGREGATE length 1: gb has $P4" gb_has $P4
gb_atomic() { gobgp_cli gb global rib -a ipv4 $P4 -j | grep -q '"type":6'; }
check "gb: $P4 arrives without ATOMIC_AGGREGATE" not gb_atomic
check "ATOMIC_AGGREGATE length 1: raw session stays up" raw_up

raw_send dup-mp-reach 198.51.100.128/25
wait_ok 10 "duplicate MP_REACH_NLRI: raw gets NOTIFICATION 3/1 (RFC 7606 s3 g)" \
	grep -qx "notification 3 1" "$d/received.log"
wait_ok 10 "duplicate MP_REACH_NLRI: vt leaves Established with raw" not vtopod_session_up vt $RAW
check "vt: last error towards raw is 3/1, sent" grep -q \
	'"last_error":{"direction":"sent","code":3,"subcode":1' <(vtopoctl_ vt -j show neighbors $RAW)
wait_ok 10 "session reset: raw's routes gone from gb" not gb_has $P4

# gb never noticed.
read -r flops1 up1 < <(gb_state)
check "gb: flap count unchanged ($flops0 -> $flops1)" test "$flops1" -eq "$flops0"
check "gb: same session (uptime start $up0 -> $up1)" test "$up1" -eq "$up0"
check "vt: session to gb still established" vtopod_session_up vt $GB
check "vt: no NOTIFICATION exchanged with gb" not grep -q '"notification":[1-9]' \
	<(vtopoctl_ vt -j show neighbors $GB)
check "vt: gb's VPN route still there" \
	vpn4_rib_has vtopod vt 65001:100 198.51.100.0/24 100 65001:100 $GB
check "gb still has its own unicast route" gb_has 198.51.100.0/24
topo_log "PASS"
