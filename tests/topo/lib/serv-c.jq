# Serv-C on S-PE-B (198.51.100.3, interface serv-c, in/out VRFs serv-c-in
# and serv-c-out, label mode direct): a jq filter over S-PE-B's
# configuration (tests/config/fig1-spe-b.json), used by chain_edit and
# mbb_dp to add a third service node that z1-to-z2 can be edited to use.
.["vtopo:vtopo"] |= (
  .["network-instances"]["network-instance"] += [
    {"name": "serv-c-in", "route-distinguisher": "198.18.0.3:3", "vpn-targets": {"vpn-target": [
      {"route-target": "target:65000:100", "route-target-type": "export"}]}},
    {"name": "serv-c-out", "route-distinguisher": "198.18.0.3:4", "vpn-targets": {"vpn-target": [
      {"route-target": "target:65000:100", "route-target-type": "import"},
      {"route-target": "target:65000:101", "route-target-type": "import"}]}}]
  | .["service-nodes"]["service-node"] += [
    {"name": "serv-c", "address": "198.51.100.3", "interface": "serv-c",
     "in-vrf": "serv-c-in", "out-vrf": "serv-c-out", "label-mode": "direct"}])
