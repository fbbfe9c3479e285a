# shellcheck shell=bash
# Per-daemon functions of the topology harness: config templates, start/stop,
# VPN-IPv4 origination, RIB readers, session predicates.  Sourced by topo.sh;
# not usable alone.  What each daemon can and cannot do here is written down
# in tests/topo/README.md.
#
# For every PEER in gobgp bird frr openbgpd exabgp vtopod:
#   PEER_conf NAME AS ROUTER-ID PEER:PEER-AS...
#                            print a template config: eBGP VPN-IPv4 sessions
#                            from ROUTER-ID (also the local address) to each
#                            PEER
#   PEER_start NAME CONF|-   CONF is a file, or `-` for standard input; pass a
#                            template by process substitution,
#                            `bird_start b <(bird_conf b ...)` (a pipe into
#                            PEER_start would run it in a subshell, and the
#                            PID it records would be lost)
#   PEER_stop NAME
#
# PEER_vpn4_add records each route in NAME/originated ("RD PREFIX LABEL RT
# NEXTHOP"), so that PEER_vpn4_del needs only RD and PREFIX.

norm() { # MODE ARGS...: run normalize.py
	"$TOPO_PY" "$TOPO_NORMALIZE" "$@"
}

originated_add() { # NAME RD PREFIX LABEL RT NEXTHOP
	echo "$2 $3 $4 $5 $6" >>"$TOPO_DIR/$1/originated"
}

# originated_take NAME RD PREFIX: print "LABEL RT NEXTHOP" of the route and
# forget it; fails when NAME did not originate it.
originated_take() {
	local f="$TOPO_DIR/$1/originated" hit
	hit=$(grep -m1 "^$2 $3 " "$f" 2>/dev/null) || {
		topo_log "$1 did not originate $2 $3"
		return 1
	}
	grep -vxF "$hit" "$f" >"$f.new" || true
	mv "$f.new" "$f"
	echo "${hit#"$2 $3 "}"
}

# ---------------------------------------------------------------- GoBGP
# gobgpd's gRPC API listens on 127.0.0.1:50051 of the host's own namespace.

# gobgp_conf NAME AS ROUTER-ID PEER:PEER-AS...: sessions from ROUTER-ID
# (also the local address) with the GoBGP families $GOBGP_FAMS
# (l3vpn-ipv4-unicast), `+` separated, on each.
gobgp_conf() { # NAME AS ROUTER-ID PEER:PEER-AS...
	local as=$2 rid=$3 n f fams=${GOBGP_FAMS:-l3vpn-ipv4-unicast}
	shift 3
	printf '[global.config]\n  as = %s\n  router-id = "%s"\n' "$as" "$rid"
	printf '  local-address-list = ["%s"]\n' "$rid"
	for n in "$@"; do
		printf '[[neighbors]]\n  [neighbors.config]\n'
		printf '    neighbor-address = "%s"\n    peer-as = %s\n' "${n%:*}" "${n##*:}"
		for f in ${fams//+/ }; do
			printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n'
			printf '      afi-safi-name = "%s"\n' "$f"
		done
	done
}

gobgp_cli() { # NAME ARGS...
	local name=$1
	shift
	topo_exec "$name" gobgp -u 127.0.0.1 -p 50051 "$@"
}

gobgp_start() { # NAME CONF|-
	local name=$1 d="$TOPO_DIR/$1"
	topo_conf "$name" gobgp.toml "$2"
	echo gobgp >"$d/kind"
	topo_spawn "$name" "$d/gobgpd.log" gobgpd -f "$d/gobgp.toml" -p \
		--api-hosts 127.0.0.1:50051 --pprof-disable
	wait_ok 10 "gobgpd on $name answers" topo_up "$name" gobgp_cli "$name" neighbor
}

gobgp_stop() { topo_kill "$1"; }

# RT list: comma separated, e.g. 65001:100,65001:101
gobgp_vpn4_add() { # NAME RD PREFIX LABEL RT NEXTHOP
	local rts
	IFS=, read -ra rts <<<"$5"
	originated_add "$@"
	gobgp_cli "$1" global rib -a vpnv4 add "$3" label "$4" rd "$2" rt "${rts[@]}" nexthop "$6"
}

gobgp_vpn4_del() { # NAME RD PREFIX
	local rest
	rest=$(originated_take "$1" "$2" "$3")
	gobgp_cli "$1" global rib -a vpnv4 del "$3" label "${rest%% *}" rd "$2"
}

gobgp_vpn4_rib() { # NAME
	gobgp_cli "$1" global rib -a vpnv4 -j | norm rib gobgp
}

# gobgp_vpn_table NAME FIELD...: every path of NAME's vpnv4 and vpnv6
# tables as one line of the normalized FIELDs (rd, prefix, rt, nexthop,
# label ...; a list such as rt sorted and joined by commas), lines sorted
gobgp_vpn_table() {
	local name=$1
	shift
	{
		gobgp_cli "$name" global rib -a vpnv4 -j | norm rib gobgp
		gobgp_cli "$name" global rib -a vpnv6 -j | norm rib gobgp
	} | "$TOPO_PY" -c '
import json, sys
rows = []
for l in sys.stdin:
    if l.strip():
        p = json.loads(l)
        rows.append(" ".join(",".join(sorted(p[f])) if isinstance(p[f], list) else str(p[f])
                             for f in sys.argv[1:]))
print("\n".join(sorted(rows)))' "$@"
}

# gobgp_updates NAME: "SENT RECEIVED", UPDATE messages counted by gobgpd over
# all its sessions.
gobgp_updates() {
	gobgp_cli "$1" neighbor -j | norm gobgp-updates
}

gobgp_session_up() { # NAME PEERADDR
	gobgp_cli "$1" neighbor -j | norm session gobgp "$2"
}

# ---------------------------------------------------------------- BIRD 2
# The template's static protocol includes NAME/routes.conf, which
# bird_vpn4_add and bird_vpn4_del rewrite before `birdc configure`: BIRD can
# only originate from its configuration.

bird_conf() { # NAME AS ROUTER-ID PEER:PEER-AS...
	local name=$1 as=$2 rid=$3 n i=0
	shift 3
	cat <<-EOF
		router id $rid;
		protocol device { }
		vpn4 table vpntab4;
		protocol static vpnstatic {
			vpn4 { table vpntab4; };
			include "$TOPO_DIR/$name/routes.conf";
		}
	EOF
	# No `next hop self` on the vpn4 channel: BIRD 2.0.12 then sends label 3.
	for n in "$@"; do
		i=$((i + 1))
		cat <<-EOF
			protocol bgp peer$i {
				local $rid as $as;
				neighbor ${n%:*} as ${n##*:};
				vpn4 mpls { table vpntab4; import all; export all; };
			}
		EOF
	done
}

birdc_() { # NAME ARGS...
	local name=$1
	shift
	birdc -s "$TOPO_DIR/$name/bird.ctl" "$@"
}

bird_start() { # NAME CONF|-
	local name=$1 d="$TOPO_DIR/$1"
	# The log file goes first: BIRD logs to syslog unless told otherwise.
	{
		echo "log \"$d/bird.log\" all;"
		topo_conf "$name" bird.conf.in "$2"
		cat "$d/bird.conf.in"
	} >"$d/bird.conf"
	echo bird >"$d/kind"
	touch "$d/routes.conf"
	topo_spawn "$name" "$d/bird.out.log" bird -f -c "$d/bird.conf" -s "$d/bird.ctl" \
		-P "$d/bird.pid"
	wait_ok 10 "BIRD on $name answers" topo_up "$name" birdc_ "$name" show status
}

bird_stop() { topo_kill "$1"; }

bird_reconfigure() { # NAME
	birdc_ "$1" configure | grep -q 'Reconfigured\|Reconfiguration in progress' || {
		birdc_ "$1" configure >&2
		return 1
	}
}

bird_vpn4_add() { # NAME RD PREFIX LABEL RT NEXTHOP
	local name=$1 rd=$2 prefix=$3 label=$4 nh=$6 rt rts ext=
	IFS=, read -ra rts <<<"$5"
	for rt in "${rts[@]}"; do
		ext="$ext bgp_ext_community.add((rt, ${rt%:*}, ${rt##*:}));"
	done
	originated_add "$@"
	echo "route $rd $prefix via $nh mpls $label {$ext };" >>"$TOPO_DIR/$name/routes.conf"
	bird_reconfigure "$name"
}

bird_vpn4_del() { # NAME RD PREFIX
	local f="$TOPO_DIR/$1/routes.conf"
	originated_take "$1" "$2" "$3" >/dev/null
	grep -vF "route $2 $3 " "$f" >"$f.new" || true
	mv "$f.new" "$f"
	bird_reconfigure "$1"
}

bird_vpn4_rib() { # NAME
	birdc_ "$1" show route table vpntab4 all | norm rib bird
}

bird_session_up() { # NAME PEERADDR
	birdc_ "$1" show protocols all | norm session bird "$2"
}

# ---------------------------------------------------------------- FRR bgpd
# bgpd alone (no zebra); configured at runtime through vtysh.

frr_conf() { # NAME AS ROUTER-ID PEER:PEER-AS...
	local n
	printf 'frr defaults traditional\nhostname %s\nrouter bgp %s\n' "$1" "$2"
	printf ' bgp router-id %s\n no bgp ebgp-requires-policy\n' "$3"
	printf ' no bgp default ipv4-unicast\n'
	for n in "${@:4}"; do
		printf ' neighbor %s remote-as %s\n' "${n%:*}" "${n##*:}"
	done
	printf ' address-family ipv4 vpn\n'
	for n in "${@:4}"; do
		printf '  neighbor %s activate\n' "${n%:*}"
	done
	printf ' exit-address-family\n'
}

vtysh_() { # NAME ARGS...
	vtysh --vty_socket "$TOPO_DIR/$1" -d bgpd "${@:2}"
}

frr_start() { # NAME CONF|-
	local name=$1 d="$TOPO_DIR/$1"
	topo_conf "$name" bgpd.conf "$2"
	echo frr >"$d/kind"
	topo_spawn "$name" "$d/bgpd.out.log" /usr/lib/frr/bgpd -f "$d/bgpd.conf" \
		-i "$d/bgpd.pid" -Z -S -n -P 0 --vty_socket "$d" --log "file:$d/bgpd.log"
	wait_ok 10 "FRR bgpd on $name answers" topo_up "$name" vtysh_ "$name" -c 'show bgp summary json'
}

frr_stop() { topo_kill "$1"; }

# The route map sets the RTs and the next hop (RFC 4364 s4.3.2 next hop of a
# VPN route; `set ipv4 vpn next-hop`).
frr_vpn4_add() { # NAME RD PREFIX LABEL RT NEXTHOP
	local name=$1 rd=$2 prefix=$3 label=$4 nh=$6 rm
	rm="VT-$rd-$prefix"
	rm=${rm//[:\/.]/-}
	originated_add "$@"
	vtysh_ "$name" -c 'configure terminal' \
		-c "route-map $rm permit 10" \
		-c "set extcommunity rt ${5//,/ }" \
		-c "set ipv4 vpn next-hop $nh" \
		-c 'exit' \
		-c 'router bgp' -c 'address-family ipv4 vpn' \
		-c "network $prefix rd $rd label $label route-map $rm"
}

frr_vpn4_del() { # NAME RD PREFIX
	local name=$1 rd=$2 prefix=$3 label rm
	rm="VT-$rd-$prefix"
	rm=${rm//[:\/.]/-}
	label=$(originated_take "$name" "$rd" "$prefix")
	label=${label%% *}
	vtysh_ "$name" -c 'configure terminal' \
		-c 'router bgp' -c 'address-family ipv4 vpn' \
		-c "no network $prefix rd $rd label $label" \
		-c 'exit' -c 'exit' -c "no route-map $rm"
}

# `show bgp ipv4 vpn json` lists RD and prefixes but neither labels nor
# RTs: each prefix is read again with its detail.
frr_vpn4_rib() { # NAME
	local name=$1 cmds=() k
	while read -r k; do
		cmds+=(-c "show bgp ipv4 vpn rd ${k% *} ${k#* } json")
	done < <(vtysh_ "$name" -c 'show bgp ipv4 vpn json' | norm frr-keys)
	[ "${#cmds[@]}" -gt 0 ] || return 0
	vtysh_ "$name" "${cmds[@]}" | norm rib frr
}

frr_session_up() { # NAME PEERADDR
	vtysh_ "$1" -c "show bgp neighbors $2 json" | norm session frr "$2"
}

# ---------------------------------------------------------------- OpenBGPD
# On Linux OpenBGPD has no MPLS VPN interface (mpe) to attach a VPN to, so it
# receives and re-advertises VPN routes but cannot originate them.

openbgpd_conf() { # NAME AS ROUTER-ID PEER:PEER-AS...
	local n
	printf 'AS %s\nrouter-id %s\nlisten on %s\nfib-update no\n' "$2" "$3" "$3"
	for n in "${@:4}"; do
		printf 'neighbor %s {\n\tremote-as %s\n\tannounce IPv4 vpn\n}\n' \
			"${n%:*}" "${n##*:}"
	done
	printf 'allow from any\nallow to any\n'
}

openbgpd_start() { # NAME CONF|-
	local name=$1 d="$TOPO_DIR/$1"
	# bgpd chroots to the home of its user _openbgpd.
	mkdir -p /run/openbgpd
	{
		echo "socket \"$d/bgpd.sock\""
		topo_conf "$name" bgpd.conf.in "$2"
		cat "$d/bgpd.conf.in"
	} >"$d/bgpd.conf"
	echo openbgpd >"$d/kind"
	topo_spawn "$name" "$d/bgpd.log" bgpd -d -f "$d/bgpd.conf"
	wait_ok 10 "OpenBGPD on $name answers" topo_up "$name" bgpctl -s "$d/bgpd.sock" show summary
}

openbgpd_stop() { topo_kill "$1"; }

openbgpd_vpn4_add() {
	topo_log "OpenBGPD cannot originate VPN-IPv4 routes on Linux (no mpe interface)"
	return 1
}

openbgpd_vpn4_del() { openbgpd_vpn4_add; }

openbgpd_vpn4_rib() { # NAME
	bgpctl -s "$TOPO_DIR/$1/bgpd.sock" -j show rib vpnv4 detail | norm rib openbgpd
}

# openbgpd_withdraws NAME PEERADDR: withdrawals received from PEERADDR
# (bgpctl counts them; OpenBGPD 7.7 does not act on those of VPN routes, see
# tests/topo/README.md).
openbgpd_withdraws() {
	bgpctl -s "$TOPO_DIR/$1/bgpd.sock" -j show neighbor "$2" | norm openbgpd-withdraws
}

openbgpd_session_up() { # NAME PEERADDR
	bgpctl -s "$TOPO_DIR/$1/bgpd.sock" -j show neighbor "$2" | norm session openbgpd "$2"
}

# ---------------------------------------------------------------- ExaBGP
# Two API processes: `dump` appends what ExaBGP receives (JSON) to
# NAME/received.jsonl, `cmd` copies NAME/api.fifo to ExaBGP.  The RIB is
# rebuilt from the received messages.

exabgp_conf() { # NAME AS ROUTER-ID PEER:PEER-AS...
	local d="$TOPO_DIR/$1" api="$TOPO_LIB/exabgp_api.py" as=$2 rid=$3 n
	shift 3
	cat <<-EOF
		process dump { run $TOPO_PY $api dump $d/received.jsonl; encoder json; }
		process cmd { run $TOPO_PY $api pipe $d/api.fifo $d/api.ready; encoder text; }
	EOF
	for n in "$@"; do
		cat <<-EOF
			neighbor ${n%:*} {
				router-id $rid;
				local-address $rid;
				local-as $as;
				peer-as ${n##*:};
				family { ipv4 mpls-vpn; }
				api { processes [ dump ]; neighbor-changes; receive { parsed; update; } }
				api { processes [ cmd ]; }
			}
		EOF
	done
}

exabgp_start() { # NAME CONF|-
	local name=$1 d="$TOPO_DIR/$1"
	topo_conf "$name" exabgp.conf "$2"
	echo exabgp >"$d/kind"
	rm -f "$d/api.fifo" "$d/api.ready"
	mkfifo "$d/api.fifo"
	: >"$d/received.jsonl"
	topo_spawn "$name" "$d/exabgp.log" env exabgp.daemon.user=root \
		exabgp.daemon.drop=false exabgp.api.cli=false exabgp.log.destination=stdout \
		"exabgp.tcp.bind=$(topo_addr "$name")" exabgp "$d/exabgp.conf"
	wait_ok 10 "ExaBGP on $name reads its API pipe" topo_up "$name" test -e "$d/api.ready"
}

exabgp_stop() { topo_kill "$1"; }

exabgp_api() { # NAME LINE: one API command
	echo "$2" >"$TOPO_DIR/$1/api.fifo"
}

exabgp_vpn4_add() { # NAME RD PREFIX LABEL RT NEXTHOP
	local ext
	ext="target:${5//,/ target:}"
	originated_add "$@"
	exabgp_api "$1" "announce route $3 rd $2 label $4 next-hop $6 extended-community [ $ext ]"
}

exabgp_vpn4_del() { # NAME RD PREFIX
	local rest label nh
	rest=$(originated_take "$1" "$2" "$3")
	label=${rest%% *}
	nh=${rest##* }
	exabgp_api "$1" "withdraw route $3 rd $2 label $label next-hop $nh"
}

exabgp_vpn4_rib() { # NAME
	norm rib exabgp <"$TOPO_DIR/$1/received.jsonl"
}

exabgp_session_up() { # NAME PEERADDR
	norm session exabgp "$2" <"$TOPO_DIR/$1/received.jsonl"
}

# ---------------------------------------------------------------- vtopod
# $VTOPOD and $VTOPOCTL name the programs.  vtopod_start points the config's
# control socket and log file into NAME's directory unless the config sets
# them.  The JSON vtopoctl must print is described in tests/topo/README.md.

vtopoctl_() { # NAME ARGS...
	"${VTOPOCTL:?VTOPOCTL is not set}" -s "$TOPO_DIR/$1/vtopod.sock" "${@:2}"
}

# vtopod_conf NAME AS ROUTER-ID PEER:PEER-AS[:FAM+FAM...]...: sessions from
# ROUTER-ID (also the local and listen address); families default to
# $VTOPOD_FAMS (ipv4-vpn), `+` separated.  A PEER-AS equal to AS is an
# internal peer; VTOPOD_RR_CLIENTS=1 makes every internal peer a route
# reflector client (RFC 4456), VTOPOD_CLUSTER_ID sets global/cluster-id.
vtopod_conf() {
	local as=$2 rid=$3 n addr pas fams f sep=
	shift 3
	printf '{"vtopo:vtopo": {\n "global": {"as": %s, "router-id": "%s",' "$as" "$rid"
	[ -z "${VTOPOD_CLUSTER_ID:-}" ] || printf ' "cluster-id": "%s",' "$VTOPOD_CLUSTER_ID"
	printf ' "listen": [{"address": "%s"}], "logging": {"level": "debug"}},\n' "$rid"
	printf ' "neighbors": {"neighbor": [\n'
	for n in "$@"; do
		IFS=: read -r addr pas fams <<<"$n"
		[ -n "$fams" ] || fams=${VTOPOD_FAMS:-ipv4-vpn}
		printf '%s  {"address": "%s", "remote-as": %s, "local-address": "%s",' \
			"$sep" "$addr" "$pas" "$rid"
		printf ' "timers": {"connect-retry": 2},'
		if [ "$pas" = "$as" ] && [ "${VTOPOD_RR_CLIENTS:-0}" = 1 ]; then
			printf ' "route-reflector-client": true,'
		fi
		printf ' "afi-safis": {"afi-safi": ['
		local fsep=
		for f in ${fams//+/ }; do
			printf '%s{"name": "%s"}' "$fsep" "$f"
			fsep=', '
		done
		printf ']}}'
		sep=$',\n'
	done
	printf '\n ]}\n}}\n'
}

# vtopod_start NAME CONF|- [OPTION...]: OPTIONs go to vtopod as they are
# (e.g. --fib-socket PATH)
vtopod_start() { # NAME CONF|- [OPTION...]
	local name=$1 d="$TOPO_DIR/$1"
	: "${VTOPOD:?VTOPOD is not set}"
	topo_conf "$name" vtopod.json.in "$2"
	norm vtopod-conf "$d/vtopod.sock" "$d/vtopod.log" <"$d/vtopod.json.in" >"$d/vtopod.json"
	echo vtopod >"$d/kind"
	topo_spawn "$name" "$d/vtopod.out.log" "$VTOPOD" -f "$d/vtopod.json" "${@:3}"
	wait_ok 10 "vtopod on $name answers" topo_up "$name" vtopoctl_ "$name" -j show neighbors
}

vtopod_stop() { topo_kill "$1"; }

vtopod_vpn4_rib() { # NAME
	vtopoctl_ "$1" -j show rib ipv4-vpn | norm rib vtopod
}

vtopod_session_up() { # NAME PEERADDR
	vtopoctl_ "$1" -j show neighbors | norm session vtopod "$2"
}
