# chain.sh: reading service chains off vtopod (draft s4.1.3), shared by the
# chain scenarios (pending, ...).  Source after topo.sh.
#
#   chain_fib NAME VRF PREFIX        "pe label..." | "local IFACE" | drop | pending | none
#   chain_fib_reason NAME VRF PREFIX the pending reason of that FIB route, or "-"
#   chain_state NAME TOPO VRF AFI    "resolved" | the pending reason | none
#   chain_set_conf NAME JQ-FILTER    rewrite NAME's running config, vtopoctl reload

chain_fib() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first |
	  if . == null then "none"
	  elif .state != "installed" then "pending"
	  else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
	                   elif .type == "local" then "local \(.interface)"
	                   else .type end) end'
}

chain_fib_reason() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" \
	  '[.vrfs[].routes[] | select(.prefix == $p)] | first | .reason // "-"'
}

chain_state() { # NAME TOPO VRF AFI
	vtopoctl_ "$1" -j show service-topology "$2" | jq -r --arg v "$3" --arg a "$4" '
	  [.[].vrfs[] | select(.vrf == $v and .afi == $a)] | first |
	  if . == null then "none" elif .state == "resolved" then "resolved"
	  else .reason end'
}

# Apply a jq filter to NAME's configuration and reload it; the reload's
# output (error text on failure) goes to stdout, its status is returned.
chain_set_conf() { # NAME JQ-FILTER
	local f=$TOPO_DIR/$1/vtopod.json
	jq "$2" "$f" >"$f.new" && mv "$f.new" "$f"
	vtopoctl_ "$1" reload 2>&1
}

# The label of the VPN route to ADDRESS/32 as NAME (a vtopod, e.g. the route
# reflector) holds it as best: the label its owner advertised (RFC 8277).
chain_rib_label() { # NAME ADDRESS
	vtopoctl_ "$1" -j show rib ipv4-vpn | jq -r --arg a "$2/32" \
	  '[.routes[] | select(.prefix | endswith(":" + $a)) | .paths[] | select(.best)]
	   | first | .labels[0] // "null"'
}

# Every route of VRF as "prefix topology nexthop" lines, sorted.
chain_fib_all() { # NAME VRF
	vtopoctl_ "$1" -j show fib "$2" | jq -r '.vrfs[].routes[] |
	  "\(.prefix) \(.topology // "-") \(if .state != "installed" then "pending"
	   else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
	   else .type end) end)"' | sort
}

# chain_fig1 PE1-JQ SPEA-JQ SPEB-JQ: the Figure 1 control plane
# (tests/config/fig1-*.json) with a vtopod route reflector, PE-1, S-PE-A
# and S-PE-B, and GoBGP at the RR as the egress zone PE-2 (it originates
# zone-2 routes with next hop $PE2).  Each PE's file goes through its jq
# filter (`.` for none); default timers.  Returns once every
# session is up and the RR holds both service-node routes; sets
# CHAIN_LA / CHAIN_LB, the labels S-PE-A and S-PE-B advertised for Serv-A
# and Serv-B (draft s4.1.1).
PE1=198.18.0.1 SPEA=198.18.0.2 SPEB=198.18.0.3 PE2=198.18.0.4 RR=198.18.0.254 GB=198.18.0.100
CHAIN_V='.["vtopo:vtopo"]'
CHAIN_TOP="$CHAIN_V[\"service-topologies\"][\"service-topology\"]"
chain_has_label() { [ "$(chain_rib_label rr "$1")" != null ]; }
chain_fig1() { # PE1-JQ SPEA-JQ SPEB-JQ
	local conf h n
	conf=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../config" && pwd)
	for h in pe1:$PE1 spea:$SPEA speb:$SPEB rr:$RR gb:$GB; do
		topo_host "${h%%:*}" "${h#*:}/24"
	done
	jq "$CHAIN_V.neighbors.neighbor += [{\"address\": \"$GB\", \"peer-group\": \"pes\"}]" \
		"$conf/fig1-rr.json" >"$TOPO_DIR/rr.json"
	jq "$1" "$conf/fig1-pe1.json" >"$TOPO_DIR/pe1.json"
	jq "$2" "$conf/fig1-spe-a.json" >"$TOPO_DIR/spea.json"
	jq "$3" "$conf/fig1-spe-b.json" >"$TOPO_DIR/speb.json"
	for n in rr pe1 spea speb; do
		vtopod_start $n "$TOPO_DIR/$n.json"
	done
	gobgp_start gb <(gobgp_conf gb 65000 $GB $RR:65000)
	for h in pe1:$PE1 spea:$SPEA speb:$SPEB gb:$GB; do
		wait_ok 30 "rr - ${h%%:*} established" vtopod_session_up rr "${h#*:}"
	done
	for h in 198.51.100.1 198.51.100.2; do
		wait_ok 20 "the RR has the route to $h" chain_has_label $h
	done
	CHAIN_LA=$(chain_rib_label rr 198.51.100.1) CHAIN_LB=$(chain_rib_label rr 198.51.100.2)
	topo_log "labels: Serv-A $CHAIN_LA, Serv-B $CHAIN_LB"
}

# A jq filter adding an import RT to a VRF.
chain_import() { # VRF RT
	echo "($CHAIN_V[\"network-instances\"][\"network-instance\"][] | select(.name == \"$1\")
	  | .[\"vpn-targets\"][\"vpn-target\"]) += [{\"route-target\": \"target:$2\",
	  \"route-target-type\": \"import\"}]"
}

# is WANT CMD...: the last line CMD prints is WANT (for wait_ok)
chain_is() { [ "$("${@:2}" | tail -1)" = "$1" ]; }

# UPDATE messages the RR received from ADDRESS
chain_rr_rx() { # ADDRESS
	vtopoctl_ rr -j show neighbors "$1" |
		jq -r '.. | objects | .messages? // empty | .received.update // empty' | head -1
}
