# chain.sh: reading service chains off vtopod (draft s4.1.3), shared by the
# chain scenarios (pending, ...).  Source after topo.sh.
#
#   chain_fib NAME VRF PREFIX        "pe label..." | local | drop | pending | none
#   chain_fib_reason NAME VRF PREFIX the pending reason of that FIB route, or "-"
#   chain_state NAME TOPO VRF AFI    "resolved" | the pending reason | none
#   chain_set_conf NAME JQ-FILTER    rewrite NAME's running config, vtopoctl reload

chain_fib() { # NAME VRF PREFIX
	vtopoctl_ "$1" -j show fib "$2" | jq -r --arg p "$3" '
	  [.vrfs[].routes[] | select(.prefix == $p)] | first |
	  if . == null then "none"
	  elif .state != "installed" then "pending"
	  else (.nexthop | if .pe then "\(.pe) \(.labels | map(tostring) | join(" "))"
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
