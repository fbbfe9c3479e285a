# fig1tab.sh: the whole route tables the Figure 1 control plane must give
# every PE (draft s2, s4.1.1, s4.1.3), for VPN-IPv4 and VPN-IPv6, with the
# expected next hops and labels read from a GoBGP that holds every route
# (the route reflector itself, or a client of it).  Shared by fig1_ctl and
# fig1_gobgp_rr (and svc_move).  Source after topo.sh and chain.sh.
#
#   FIG1_ZONE1_PE2          jq filter: PE-2 gets a zone-1 VRF with VM-3
#   fig1tab_gobgp_all GB    predicate: GB holds one path to each route
#   fig1tab_expect GB       build the expected tables (FIG1TAB_WANT)
#   fig1tab_eq NAME VRF     predicate: NAME's VRF holds exactly that
#   fig1tab_check [WAIT]    fig1tab_eq on every route VRF of the figure
#   fig1tab_pes NAME:FILE[:JQ]...  vtopod on each NAME with
#                           tests/config/fig1-FILE.json filtered by JQ
#
# The hosts: PE-1 zone 1 VM-1 203.0.113.10, 2001:db8:1::10; PE-2 zone 2
# VM-2 203.0.113.70, 2001:db8:2::10 and zone 1 VM-3 203.0.113.20,
# 2001:db8:1::20; Serv-A 198.51.100.1, 2001:db8:100::1 at S-PE-A, Serv-B
# 198.51.100.2, 2001:db8:100::2 at S-PE-B.  z1-to-z2(-v6) is {Serv-A,
# Serv-B} from PE-1's zone1, z2-to-z1(-v6) {Serv-B, Serv-A} from PE-2's
# zone2 (tests/config/fig1-*.json).

FIG1_ZONE1_PE2=$(jq -c . <<'EOF_JSON'
{"name": "zone1", "route-distinguisher": "198.18.0.4:3",
 "vpn-targets": {"vpn-target": [{"route-target": "target:65000:1", "route-target-type": "both"}]},
 "attachments": {"attachment": [{"name": "vm3", "host": "vm3", "interface": "vm3-z1",
   "address": [{"ip": "203.0.113.20", "prefix-length": 26},
               {"ip": "2001:db8:1::20", "prefix-length": 64}]}]}}
EOF_JSON
)
FIG1_ZONE1_PE2=".[\"vtopo:vtopo\"][\"network-instances\"][\"network-instance\"] += [$FIG1_ZONE1_PE2]"
# VM-1 VM-3 VM-2 Serv-A Serv-B
FIG1TAB_V4=(203.0.113.10/32 203.0.113.20/32 203.0.113.70/32 198.51.100.1/32 198.51.100.2/32)
FIG1TAB_V6=(2001:db8:1::10/128 2001:db8:1::20/128 2001:db8:2::10/128 2001:db8:100::1/128
	2001:db8:100::2/128)
declare -A FIG1TAB_WANT
FIG1TAB_CONF=$(cd "$TOPO_LIB/../../config" && pwd)

# vtopod on each NAME with the golden configuration FILE, filtered by the jq
# filter JQ (none: as it is) and with ConnectRetryTime 2 s
fig1tab_pes() { # NAME:FILE[:JQ]...
	local h n f q retry="$CHAIN_V.neighbors.neighbor[].timers = {\"connect-retry\": 2}"
	for h in "$@"; do
		IFS=: read -r n f q <<<"$h"
		jq "${q:-.} | $retry" "$FIG1TAB_CONF/fig1-$f.json" >"$TOPO_DIR/$n.json"
		vtopod_start "$n" "$TOPO_DIR/$n.json"
	done
}

fig1tab_rib() { # GB: both families, one normalized line per path
	gobgp_cli "$1" global rib -a vpnv4 -j | norm rib gobgp
	gobgp_cli "$1" global rib -a vpnv6 -j | norm rib gobgp
}

# "NEXTHOP LABEL" of every path to PREFIX in GB's RIB
fig1tab_nh() { # GB PREFIX
	fig1tab_rib "$1" | jq -r --arg p "$2" 'select(.prefix == $p) | "\(.nexthop) \(.label)"'
}

fig1tab_gobgp_all() { # GB
	local p n bad=0
	for p in "${FIG1TAB_V4[@]}" "${FIG1TAB_V6[@]}"; do
		n=$(fig1tab_nh "$1" "$p" | wc -l)
		[ "$n" = 1 ] || {
			echo "$p: $n paths"
			bad=1
		}
	done
	return $bad
}

fig1tab_fam() { # GB VM1 VM3 VM2 SA SB SUFFIX
	local gb=$1 vm1=$2 vm3=$3 vm2=$4 sa=$5 sb=$6 s=$7 nvm1 nvm3 nvm2 nsa nsb
	nvm1=$(fig1tab_nh "$gb" "$vm1") nvm3=$(fig1tab_nh "$gb" "$vm3")
	nvm2=$(fig1tab_nh "$gb" "$vm2") nsa=$(fig1tab_nh "$gb" "$sa") nsb=$(fig1tab_nh "$gb" "$sb")
	topo_log "GoBGP: VM-1 $nvm1, VM-3 $nvm3, VM-2 $nvm2, Serv-A $nsa, Serv-B $nsb"
	# each route from its owner (s2, s4.1.1)
	[ "${nvm1%% *}" = "$PE1" ] && [ "${nvm3%% *}" = "$PE2" ] && [ "${nvm2%% *}" = "$PE2" ] &&
		[ "${nsa%% *}" = "$SPEA" ] && [ "${nsb%% *}" = "$SPEB" ] ||
		topo_die "GoBGP's next hops are not the owning PEs"
	# ingress zone VRFs: service nodes and intra-zone routes direct, the
	# other zone to the first node (s4.1.3 steps 1-3)
	FIG1TAB_WANT[pe1:zone1]+="$sa - $nsa"$'\n'"$sb - $nsb"$'\n'"$vm1 - local"$'\n'
	FIG1TAB_WANT[pe1:zone1]+="$vm3 - $nvm3"$'\n'"$vm2 z1-to-z2$s $nsa"$'\n'
	FIG1TAB_WANT[pe2:zone2]+="$sa - $nsa"$'\n'"$sb - $nsb"$'\n'"$vm2 - local"$'\n'
	FIG1TAB_WANT[pe2:zone2]+="$vm1 z2-to-z1$s $nsb"$'\n'
	FIG1TAB_WANT[pe2:zone1]+="$vm1 - $nvm1"$'\n'"$vm3 - local"$'\n'
	# out-VRFs: the next node, or the prefix's own next hop and label at
	# the last node (step 4)
	FIG1TAB_WANT[spea:serv-a-out]+="$sa - local"$'\n'"$sb - $nsb"$'\n'
	FIG1TAB_WANT[spea:serv-a-out]+="$vm1 z2-to-z1$s $nvm1"$'\n'"$vm2 z1-to-z2$s $nsb"$'\n'
	FIG1TAB_WANT[speb:serv-b-out]+="$sa - $nsa"$'\n'"$sb - local"$'\n'
	FIG1TAB_WANT[speb:serv-b-out]+="$vm1 z2-to-z1$s $nsa"$'\n'"$vm2 z1-to-z2$s $nvm2"$'\n'
}

fig1tab_expect() { # GB
	FIG1TAB_WANT=()
	fig1tab_fam "$1" "${FIG1TAB_V4[@]}" ""
	fig1tab_fam "$1" "${FIG1TAB_V6[@]}" -v6
}

# NAME's VRF, every route as chain_fib_all prints it, against the table
fig1tab_eq() { # NAME VRF
	diff <(sort <<<"${FIG1TAB_WANT[$1:$2]%$'\n'}") <(chain_fib_all "$1" "$2")
}

fig1tab_check() { # [WAIT seconds]
	local k
	for k in pe1:zone1 spea:serv-a-out speb:serv-b-out pe2:zone2 pe2:zone1; do
		wait_ok "${1:-30}" "${k%%:*} ${k#*:}: exactly the draft's next hops" \
			fig1tab_eq "${k%%:*}" "${k#*:}"
	done
}
