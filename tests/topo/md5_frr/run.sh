#!/usr/bin/env bash
# TCP-MD5 (RFC 2385) between vtopod and FRR bgpd.
#
#   vt   vtopod    AS 65000  198.18.0.10  auth-password "vtopo-md5"
#   frr  FRR bgpd  AS 65003  198.18.0.3   neighbor ... password
#
# Same password: the session comes up (both sides say so) and a VPN route
# crosses.  Then FRR's password is changed at run time: FRR drops the
# session, and it never comes back; vtopod's log says why (TCP-MD5 on, the
# kernel dropped segments), once the kernel has dropped some, and neither
# side is Established after that.
#
# usage: run.sh   (as root; exit 77 otherwise)
# shellcheck disable=SC2086
set -euo pipefail
. "$(dirname "$0")/../lib/topo.sh"

topo_init
topo_switch
topo_host vt 198.18.0.10/24
topo_host frr 198.18.0.3/24
VT=198.18.0.10 FRR=198.18.0.3 PW=vtopo-md5

vtopod_conf vt 65000 $VT $FRR:65003 |
	"$TOPO_PY" -c '
import json, sys
c = json.load(sys.stdin)
c["vtopo:vtopo"]["neighbors"]["neighbor"][0]["auth-password"] = sys.argv[1]
json.dump(c, sys.stdout)' $PW >"$TOPO_DIR/vt.json"
vtopod_start vt "$TOPO_DIR/vt.json"
{
	frr_conf frr 65003 $FRR $VT:65000
	printf 'router bgp 65003\n neighbor %s password %s\n' $VT $PW
} >"$TOPO_DIR/frr.conf"
frr_start frr "$TOPO_DIR/frr.conf"

wait_ok 30 "vt: session to frr established with TCP-MD5" vtopod_session_up vt $FRR
wait_ok 10 "frr: session up" frr_session_up frr $VT
check "vt: the neighbor uses TCP-MD5" grep -q '"md5":true' <(vtopoctl_ vt -j show neighbors $FRR)
R=(65003:300 203.0.113.0/24 300 65003:300)
frr_vpn4_add frr "${R[@]}" $FRR
wait_ok 10 "vt has frr's route" vpn4_rib_has vtopod vt "${R[@]}" $FRR

# ------------------------------------------------------------ bad password
vtysh_ frr -c 'configure terminal' -c 'router bgp 65003' \
	-c "neighbor $VT password not-$PW"
wait_ok 20 "vt: session to frr down after FRR's password changed" not vtopod_session_up vt $FRR
md5_logged() { grep -E "TCP-MD5 on; the kernel dropped [1-9]" "$TOPO_DIR/vt/vtopod.log"; }
# Both sides retry (connect-retry 2 s on vtopod): the kernel drops their
# SYNs, and vtopod names TCP-MD5 within a few attempts.
wait_ok 60 "vt: a log line names TCP-MD5 with dropped segments" md5_logged
topo_log "vtopod says: $(md5_logged | tail -n 1)"
check "vt: not established with a bad password" not vtopod_session_up vt $FRR
check "frr: not established with a bad password" not frr_session_up frr $VT
wait_ok 10 "vt: frr's route gone with the session" vpn4_rib_lacks vtopod vt "${R[@]:0:2}"
topo_log "PASS"
