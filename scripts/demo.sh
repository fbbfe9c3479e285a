#!/usr/bin/env bash
# make demo.  The service-chaining demo (the draft's Figure 1 in network
# namespaces, real traffic through Serv-A and Serv-B) needs vtopod and
# vtopo-dp, which are not built yet.  Until they are, this shows what runs
# today: the BGP wire codec, through `vtopoctl decode`, on messages of the
# kinds a service-chaining PE exchanges.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
make all >/dev/null
ctl=build/src/ctl/vtopoctl
vec=tests/vectors/data

show() { # vector-file explanation
	local hex
	hex=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hex"])' "$vec/$1")
	echo
	echo "== $2"
	echo "   wire: ${hex:0:96}$([ ${#hex} -gt 96 ] && echo ...)"
	echo "$hex" | "$ctl" decode --pretty - | sed 's/^/   /'
}

cat <<'TXT'
vtopo demo (today: the BGP codec).

A PE in a service-chaining VPN exchanges VPN-IPv4 routes whose route targets
say which zone, and which service topology, a route belongs to.  vtopoctl
decode reads BGP messages as hex or from a pcap/pcapng capture and prints
every field as JSON.
TXT
show 009-open-mp-ipv4-vpn.json "an OPEN offering the VPN-IPv4 family (RFC 4760 multiprotocol capability)"
show 100-update-vpnv4-rd0.json "a VPN-IPv4 route: label, route distinguisher, prefix and route target"
show 203-upd-origin-value.json "a malformed UPDATE: the verdict RFC 7606 prescribes (withdraw the routes, keep the session)"
echo
echo "vtopod (the BGP speaker) and vtopo-dp (the data plane) are built; the demo of"
echo "the draft's Figure 1 that runs both on every PE and sends traffic through the"
echo "chain is not here yet and will replace this one."
