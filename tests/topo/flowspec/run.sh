#!/usr/bin/env bash
# FlowSpec (RFC 8955) and VPN FlowSpec (RFC 8955 s8) through vtopod between
# GoBGP and ExaBGP.
#
#   vt   vtopod  AS 65000  198.18.0.10  ipv4-flowspec, ipv4-vpn-flowspec
#   gb   GoBGP   AS 65001  198.18.0.1
#   exa  ExaBGP  AS 65005  198.18.0.5
#
# Each side originates one IPv4 and one VPN flow route; each route is read on
# vtopod (`vtopoctl -j show rib`), and on the other side with its own CLI
# (`gobgp global rib -a ...`, ExaBGP's JSON), with the same RD, destination
# component and actions (traffic-rate, route targets).  Then every route is
# withdrawn and its absence asserted on all three.  Normalizer: lib/flow.py.
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24
topo_host gb 198.18.0.1/24
topo_host exa 198.18.0.5/24
VT=198.18.0.10 GB=198.18.0.1 EXA=198.18.0.5
FLOW="$TOPO_PY $TOPO_LIB/flow.py"

vtopod_start vt <(VTOPOD_FAMS=ipv4-flowspec+ipv4-vpn-flowspec vtopod_conf vt 65000 $VT \
	$GB:65001 $EXA:65005)
GOBGP_FAMS=ipv4-flowspec+l3vpn-ipv4-flowspec gobgp_conf gb 65001 $GB $VT:65000 >"$TOPO_DIR/gb.toml"
gobgp_start gb "$TOPO_DIR/gb.toml"
exabgp_conf exa 65005 $EXA $VT:65000 |
	sed 's/family { ipv4 mpls-vpn; }/family { ipv4 flow; ipv4 flow-vpn; }/' >"$TOPO_DIR/exa.conf"
exabgp_start exa "$TOPO_DIR/exa.conf"
wait_ok 30 "vt: session to gb established" vtopod_session_up vt $GB
wait_ok 30 "vt: session to exa established" vtopod_session_up vt $EXA
wait_ok 10 "exa: session up" exabgp_session_up exa $VT

flows() { # WHO: every flow route WHO holds, normalized
	case $1 in
	vt) { vtopoctl_ vt -j show rib ipv4-flowspec | $FLOW vtopod
		vtopoctl_ vt -j show rib ipv4-vpn-flowspec | $FLOW vtopod; } | sort ;;
	gb) { gobgp_cli gb global rib -a ipv4-flowspec -j | $FLOW gobgp
		gobgp_cli gb global rib -a ipv4-l3vpn-flowspec -j | $FLOW gobgp; } | sort ;;
	exa) $FLOW exabgp <"$TOPO_DIR/exa/received.jsonl" ;;
	esac
}
flow_has() { # WHO LINE
	local have
	have=$(flows "$1") || return 1
	printf 'want %s\nhave:\n%s\n' "$2" "$have"
	grep -qxF -- "$2" <<<"$have"
}
flow_lacks() { # WHO FAMILY RD DEST
	local have
	have=$(flows "$1") || return 1
	printf 'unwanted %s %s %s\nhave:\n%s\n' "$2" "$3" "$4" "$have"
	! grep -q -- "^$2 $3 $4 " <<<"$have"
}

# Expected lines: the actions as given to each daemon (traffic-rate 0 is
# GoBGP's and ExaBGP's discard, RFC 8955 s7.3).
GB_F="flow - 192.0.2.0/24 rate:0"
GB_V="flow-vpn 65001:1 198.51.100.0/24 rate:1000 rt:65001:1"
EXA_F="flow - 203.0.113.0/24 rate:0"
EXA_V="flow-vpn 65005:1 203.0.113.128/25 rate:2000 rt:65005:1"
gobgp_cli gb global rib -a ipv4-flowspec add match destination 192.0.2.0/24 then discard
gobgp_cli gb global rib -a ipv4-l3vpn-flowspec add rd 65001:1 \
	match destination 198.51.100.0/24 then rate-limit 1000 rt 65001:1
exabgp_api exa "announce flow route { match { destination 203.0.113.0/24; } then { discard; } }"
exabgp_api exa "announce flow route { rd 65005:1; match { destination 203.0.113.128/25; } then { rate-limit 2000; extended-community [ target:65005:1 ]; } }"

for l in "$GB_F" "$GB_V" "$EXA_F" "$EXA_V"; do
	wait_ok 10 "vt has [$l]" flow_has vt "$l"
done
wait_ok 10 "exa has gb's flow route" flow_has exa "$GB_F"
wait_ok 10 "exa has gb's VPN flow route" flow_has exa "$GB_V"
wait_ok 10 "gb has exa's flow route" flow_has gb "$EXA_F"
wait_ok 10 "gb has exa's VPN flow route" flow_has gb "$EXA_V"

gobgp_cli gb global rib -a ipv4-flowspec del match destination 192.0.2.0/24 then discard
gobgp_cli gb global rib -a ipv4-l3vpn-flowspec del rd 65001:1 \
	match destination 198.51.100.0/24 then rate-limit 1000 rt 65001:1
exabgp_api exa "withdraw flow route { match { destination 203.0.113.0/24; } then { discard; } }"
exabgp_api exa "withdraw flow route { rd 65005:1; match { destination 203.0.113.128/25; } then { rate-limit 2000; extended-community [ target:65005:1 ]; } }"
for l in "$GB_F" "$GB_V" "$EXA_F" "$EXA_V"; do
	read -r fam rd dest _ <<<"$l"
	wait_ok 10 "vt: $fam $rd $dest withdrawn" flow_lacks vt $fam $rd $dest
	wait_ok 10 "gb: $fam $rd $dest withdrawn" flow_lacks gb $fam $rd $dest
	wait_ok 10 "exa: $fam $rd $dest withdrawn" flow_lacks exa $fam $rd $dest
done
topo_log "PASS"
