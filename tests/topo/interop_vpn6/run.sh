#!/usr/bin/env bash
# VPN-IPv6 (RFC 4659) through vtopod between GoBGP and BIRD, over IPv6
# transport (2001:db8::/32, RFC 3849).
#
#   vt    vtopod  AS 65000  2001:db8:ff::10
#   gb    GoBGP   AS 65001  2001:db8:ff::1
#   bird  BIRD 2  AS 65002  2001:db8:ff::2
#
# Each originates one VPN-IPv6 route (own RD, RT, label, next hop its own
# address); vtopod holds it as originated, the other daemon with the same
# RD, RT and label and vtopod's address as next hop (eBGP); withdrawals too.
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24 2001:db8:ff::10/64
topo_host gb 198.18.0.1/24 2001:db8:ff::1/64
topo_host bird 198.18.0.2/24 2001:db8:ff::2/64
VT=2001:db8:ff::10 GB=2001:db8:ff::1 BIRD=2001:db8:ff::2

vtopod_conf vt 65000 198.18.0.10 x:65001 y:65002 | "$TOPO_PY" -c '
import json, sys
c = json.load(sys.stdin)["vtopo:vtopo"]
vt, gb, bird = sys.argv[1:4]
c["global"]["listen"] = [{"address": vt}]
for n, a in zip(c["neighbors"]["neighbor"], (gb, bird)):
    n["address"] = a
    n["local-address"] = vt
    n["afi-safis"] = {"afi-safi": [{"name": "ipv6-vpn"}]}
json.dump({"vtopo:vtopo": c}, sys.stdout)' $VT $GB $BIRD >"$TOPO_DIR/vt.json"
vtopod_start vt "$TOPO_DIR/vt.json"
gobgp_conf gb 65001 198.18.0.1 "[$VT]:65000" |
	sed -e 's/l3vpn-ipv4-unicast/l3vpn-ipv6-unicast/' -e "s/\"\[$VT\]\"/\"$VT\"/" \
		-e "s/local-address-list = \[\"198.18.0.1\"\]/local-address-list = [\"$GB\"]/" \
		>"$TOPO_DIR/gb.toml"
gobgp_start gb "$TOPO_DIR/gb.toml"
bird_start bird - <<EOF
router id 198.18.0.2;
protocol device { }
vpn6 table vpntab6;
protocol static vpnstatic {
	vpn6 { table vpntab6; };
	include "$TOPO_DIR/bird/routes.conf";
}
protocol bgp peer1 {
	local $BIRD as 65002;
	neighbor $VT as 65000;
	vpn6 mpls { table vpntab6; import all; export all; };
}
EOF
wait_ok 30 "vt: session to gb established" vtopod_session_up vt $GB
wait_ok 30 "vt: session to bird established" vtopod_session_up vt $BIRD

rib6() { # WHO
	case $1 in
	vt) vtoctl_json=$(vtopoctl_ vt -j show rib ipv6-vpn) && norm rib vtopod <<<"$vtoctl_json" ;;
	gb) gobgp_cli gb global rib -a vpnv6 -j | norm rib gobgp ;;
	bird) birdc_ bird show route table vpntab6 all | norm rib bird ;;
	esac
}
has6() { # WHO RD PREFIX LABEL RT NEXTHOP
	local want have
	want=$(vpn4_route "${@:2}")
	have=$(rib6 "$1") || return 1
	printf 'want %s\nhave:\n%s\n' "$want" "$have"
	grep -qxF -- "$want" <<<"$have"
}
lacks6() { # WHO RD PREFIX
	local have
	have=$(rib6 "$1") || return 1
	printf 'unwanted %s %s\nhave:\n%s\n' "$2" "$3" "$have"
	! grep -qF -- "\"prefix\":\"$3\",\"rd\":\"$2\"" <<<"$have"
}

R_GB=(65001:600 2001:db8:1::/64 600 65001:600)
R_BIRD=(65002:700 2001:db8:2::/64 700 65002:700)
gobgp_cli gb global rib -a vpnv6 add 2001:db8:1::/64 label 600 rd 65001:600 rt 65001:600 nexthop $GB
echo "route 65002:700 2001:db8:2::/64 via $BIRD mpls 700 { bgp_ext_community.add((rt, 65002, 700)); };" \
	>"$TOPO_DIR/bird/routes.conf"
bird_reconfigure bird

wait_ok 10 "vt has gb's route" has6 vt "${R_GB[@]}" $GB
wait_ok 10 "vt has bird's route" has6 vt "${R_BIRD[@]}" $BIRD
wait_ok 10 "bird has gb's route from vt" has6 bird "${R_GB[@]}" $VT
wait_ok 10 "gb has bird's route from vt" has6 gb "${R_BIRD[@]}" $VT

gobgp_cli gb global rib -a vpnv6 del 2001:db8:1::/64 label 600 rd 65001:600
: >"$TOPO_DIR/bird/routes.conf"
bird_reconfigure bird
for w in vt gb bird; do
	wait_ok 10 "$w: gb's route withdrawn" lacks6 $w "${R_GB[@]:0:2}"
	wait_ok 10 "$w: bird's route withdrawn" lacks6 $w "${R_BIRD[@]:0:2}"
done
topo_log "PASS"
