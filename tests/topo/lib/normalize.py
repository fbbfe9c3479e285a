"""Normalize BGP daemons' CLI output for the topology harness.

One VPN-IPv4 path per output line, as canonical JSON (sorted keys, no
spaces), so that shell assertions compare lines:

    {"label":100,"nexthop":"198.18.0.1","prefix":"198.51.100.0/24",
     "rd":"65001:100","rt":["65001:100","65001:101"]}

label is the first label of the stack (null when the daemon does not show
it), rt the route targets in sorted order without a type prefix.

usage:
    normalize.py rib DAEMON           DAEMON's RIB output on stdin
    normalize.py session DAEMON ADDR  exit 0 when the session to ADDR is up
    normalize.py route RD PREFIX LABEL RT[,RT...] NEXTHOP   print one line
    normalize.py gobgp-updates        "SENT RECEIVED" UPDATE counters, all peers
    normalize.py openbgpd-withdraws   withdraws received, from `bgpctl -j show neighbor`
    normalize.py frr-keys             "RD PREFIX" per line from FRR's summary
    normalize.py vtopod-conf SOCKET LOGFILE   fill in vtopod's runtime paths

Used by tests/topo/lib/peers.sh; the daemons' output formats are described
in tests/topo/README.md.  Not a general parser of those formats.
"""

import json
import re
import sys


def line(rd, prefix, label, rts, nexthop):
    return json.dumps(
        {
            "rd": rd,
            "prefix": prefix,
            "label": label,
            "rt": sorted(set(rts)),
            "nexthop": nexthop,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def json_docs(text):
    """Every JSON document in text (vtysh prints one per command)."""
    dec = json.JSONDecoder()
    pos, docs = 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return docs
        doc, pos = dec.raw_decode(text, pos)
        docs.append(doc)


def split_rd_prefix(key):
    """'65001:100:198.51.100.0/24' -> ('65001:100', '198.51.100.0/24'),
    '65001:100:2001:db8::/64' -> ('65001:100', '2001:db8::/64')."""
    admin, num, prefix = key.split(":", 2)
    return f"{admin}:{num}", prefix


def strip_rt(text):
    """'target:65001:100', 'RT:65001:100', 'rt 65001:100' -> '65001:100'."""
    for head in ("target:", "RT:", "rt:", "rt ", "route-target:"):
        if text.startswith(head):
            return text[len(head):]
    return text


def first_label(value):
    """A label, a stack, or a stack of stacks (ExaBGP) -> first label."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return int(value) if value is not None else None


# --------------------------------------------------------------- GoBGP
def rib_gobgp(text):
    out = []
    table = json.loads(text) if text.strip() else {}
    for key, paths in table.items():
        rd, prefix = split_rd_prefix(key)
        for path in paths:
            rts, nexthop = [], None
            for attr in path.get("attrs", []):
                if attr.get("type") == 16:  # EXTENDED COMMUNITIES
                    rts += [v["value"] for v in attr["value"] if v.get("subtype") == 2]
                elif attr.get("type") == 14:  # MP_REACH_NLRI
                    nexthop = attr.get("nexthop")
                elif attr.get("type") == 3 and nexthop is None:
                    nexthop = attr.get("nexthop")
            label = first_label(path["nlri"].get("labels"))
            out.append(line(rd, prefix, label, rts, nexthop))
    return out


def session_gobgp(text, addr):
    for n in json.loads(text):
        st = n.get("state", {})
        if st.get("neighbor_address") == addr:
            return st.get("session_state") in (6, "established", "ESTABLISHED")
    return False


def gobgp_updates(text):
    sent = received = 0
    for n in json.loads(text):
        msgs = n.get("state", {}).get("messages", {})
        sent += msgs.get("sent", {}).get("update", 0)
        received += msgs.get("received", {}).get("update", 0)
    return f"{sent} {received}"


# --------------------------------------------------------------- BIRD 2
BIRD_HEAD = re.compile(r"^(?:(\S+) (\S+)\s+)?\s*(\w+) \[(\S+) ")
BIRD_VIA = re.compile(r"^\s+via (\S+) on \S+(?: mpls ([\d/]+))?")


def rib_bird(text):
    out, net, cur = [], None, None

    def flush():
        if cur is not None:
            nexthop = cur["bgp_nh"] or cur["via"]
            label = cur["bgp_label"] if cur["bgp_label"] is not None else cur["via_label"]
            out.append(line(net[0], net[1], label, cur["rts"], nexthop))

    for raw in text.splitlines():
        m = BIRD_HEAD.match(raw)
        if m and m.group(3) in ("unicast", "unreachable", "blackhole", "prohibited"):
            flush()
            if m.group(1):
                net = (m.group(1), m.group(2))
            cur = {"via": None, "via_label": None, "bgp_nh": None, "bgp_label": None, "rts": []}
            continue
        if cur is None:
            continue
        v = BIRD_VIA.match(raw)
        s = raw.strip()
        if v:
            cur["via"] = v.group(1)
            if v.group(2):
                cur["via_label"] = int(v.group(2).split("/")[0])
        elif s.startswith("BGP.next_hop:"):
            cur["bgp_nh"] = s.split()[1]
        elif s.startswith("BGP.mpls_label_stack:"):
            cur["bgp_label"] = int(s.split()[1].split("/")[0])
        elif s.startswith("BGP.ext_community:"):
            # (rt, 65001, 100) (ro, ...) ...
            for kind, admin, num in re.findall(r"\((\w+), ([^,]+), (\d+)\)", s):
                if kind == "rt":
                    cur["rts"].append(f"{admin}:{num}")
    flush()
    return out


def session_bird(text, addr):
    # One block per protocol: a line at column 0, then indented lines.
    blocks, cur = [], []
    for raw in text.splitlines():
        if raw and not raw[0].isspace():
            blocks.append(cur)
            cur = []
        cur.append(raw.strip())
    blocks.append(cur)
    for b in blocks:
        if f"Neighbor address: {addr}" in b and any(
            x.startswith("BGP state:") and x.endswith("Established") for x in b
        ):
            return True
    return False


# --------------------------------------------------------------- FRR
def frr_keys(text):
    doc = json.loads(text)
    rds = doc.get("routes", {}).get("routeDistinguishers", {})
    return [f"{rd} {prefix}" for rd, nets in rds.items() for prefix in nets]


def rib_frr(text):
    out = []
    for doc in json_docs(text):
        for rd, entry in doc.items():
            if not isinstance(entry, dict) or "paths" not in entry:
                continue
            for path in entry["paths"]:
                ext = path.get("extendedCommunity", {}).get("string", "")
                rts = [strip_rt(t) for t in ext.split() if t.startswith("RT:")]
                nhs = path.get("nexthops") or [{}]
                out.append(
                    line(rd, entry["prefix"], path.get("remoteLabel"), rts, nhs[0].get("ip"))
                )
    return out


def session_frr(text, addr):
    return json.loads(text).get(addr, {}).get("bgpState") == "Established"


# --------------------------------------------------------------- OpenBGPD
def rib_openbgpd(text):
    out = []
    doc = json.loads(text) if text.strip() else {}
    for r in doc.get("rib", []):
        words = r["prefix"].split()  # "rd 65001:100 198.51.100.0/24"
        if len(words) != 3 or words[0] != "rd":
            continue
        rts = [strip_rt(c) for c in r.get("extended_communities", []) if c.startswith("rt ")]
        # bgpctl prints no label for VPN prefixes.
        out.append(line(words[1], words[2], None, rts, r.get("exit_nexthop")))
    return out


def session_openbgpd(text, addr):
    for n in json.loads(text).get("neighbors", []):
        if n.get("remote_addr") == addr:
            return n.get("state") == "Established"
    return False


def openbgpd_withdraws(text):
    n = json.loads(text).get("neighbors", [{}])[0]
    return n.get("stats", {}).get("update", {}).get("received", {}).get("withdraws", 0)


# --------------------------------------------------------------- ExaBGP
def exabgp_events(text):
    for raw in text.splitlines():
        raw = raw.strip()
        if raw.startswith("{"):
            yield json.loads(raw)


def rib_exabgp(text):
    """Replay what ExaBGP received: Adj-RIB-In per peer."""
    rib = {}  # (peer, rd, prefix) -> line
    for ev in exabgp_events(text):
        nb = ev.get("neighbor", {})
        peer = nb.get("address", {}).get("peer")
        if ev.get("type") == "state" and nb.get("state") in ("down", "connected"):
            rib = {k: v for k, v in rib.items() if k[0] != peer}
            continue
        if ev.get("type") != "update":
            continue
        upd = nb.get("message", {}).get("update", {})
        for nlri in upd.get("withdraw", {}).get("ipv4 mpls-vpn", []):
            rib.pop((peer, nlri["rd"], nlri["nlri"]), None)
        attrs = upd.get("attribute", {})
        rts = [
            strip_rt(c["string"])
            for c in attrs.get("extended-community", [])
            if c.get("string", "").startswith("target:")
        ]
        for nexthop, nlris in upd.get("announce", {}).get("ipv4 mpls-vpn", {}).items():
            for nlri in nlris:
                key = (peer, nlri["rd"], nlri["nlri"])
                rib[key] = line(
                    nlri["rd"], nlri["nlri"], first_label(nlri.get("label")), rts, nexthop
                )
    return list(rib.values())


def session_exabgp(text, addr):
    state = None
    for ev in exabgp_events(text):
        nb = ev.get("neighbor", {})
        if ev.get("type") == "state" and nb.get("address", {}).get("peer") == addr:
            state = nb.get("state")
    return state == "up"


# --------------------------------------------------------------- vtopod
# The interface vtopod must provide (tests/topo/README.md): a list of
# {"prefix": "RD:PREFIX" (or "rd" and "prefix"), "paths": [{"label", "rt",
# "nexthop", "best"}]}, bare or under a "routes" key.
def rib_vtopod(text):
    out = []
    doc = json.loads(text)
    if isinstance(doc, dict):
        doc = doc.get("routes", [])
    for r in doc:
        if "rd" in r:
            rd, prefix = r["rd"], r["prefix"]
            # vtopoctl keys a route "RD:PREFIX" and gives the RD apart too
            if prefix.startswith(rd + ":"):
                prefix = prefix[len(rd) + 1:]
        else:
            rd, prefix = split_rd_prefix(r["prefix"])
        for p in r.get("paths", []):
            if "ext_communities" in p:  # vtopoctl (docs/ctl-json.md)
                rts = [x for x in p["ext_communities"] if x.startswith("target:")]
            else:
                rts = p.get("rt", [])
            if isinstance(rts, str):
                rts = [rts]
            out.append(
                line(rd, prefix, first_label(p.get("labels", p.get("label"))),
                     [strip_rt(x) for x in rts], p.get("next_hop", p.get("nexthop")))
            )
    return out


def session_vtopod(text, addr):
    doc = json.loads(text)
    if isinstance(doc, dict):
        doc = doc.get("neighbors", [])
    for n in doc:
        if addr in (n.get("address"), n.get("neighbor-address"), n.get("remote-address")):
            return str(n.get("state", "")).lower() == "established"
    return False


def vtopod_conf(sock, logfile):
    conf = json.load(sys.stdin)
    glob = conf.setdefault("vtopo:vtopo", {}).setdefault("global", {})
    glob.setdefault("control-socket", sock)
    glob.setdefault("logging", {}).setdefault("file", logfile)
    json.dump(conf, sys.stdout, indent=2)
    sys.stdout.write("\n")


RIB = {
    "gobgp": rib_gobgp,
    "bird": rib_bird,
    "frr": rib_frr,
    "openbgpd": rib_openbgpd,
    "exabgp": rib_exabgp,
    "vtopod": rib_vtopod,
}
SESSION = {
    "gobgp": session_gobgp,
    "bird": session_bird,
    "frr": session_frr,
    "openbgpd": session_openbgpd,
    "exabgp": session_exabgp,
    "vtopod": session_vtopod,
}


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "rib" and len(argv) == 3:
        for ln in sorted(RIB[argv[2]](sys.stdin.read())):
            print(ln)
    elif mode == "session" and len(argv) == 4:
        return 0 if SESSION[argv[2]](sys.stdin.read(), argv[3]) else 1
    elif mode == "route" and len(argv) == 7:
        rd, prefix, label, rts, nexthop = argv[2:]
        lab = None if label in ("-", "null") else int(label)
        print(line(rd, prefix, lab, rts.split(","), nexthop))
    elif mode == "gobgp-updates" and len(argv) == 2:
        print(gobgp_updates(sys.stdin.read()))
    elif mode == "openbgpd-withdraws" and len(argv) == 2:
        print(openbgpd_withdraws(sys.stdin.read()))
    elif mode == "frr-keys" and len(argv) == 2:
        for k in frr_keys(sys.stdin.read()):
            print(k)
    elif mode == "vtopod-conf" and len(argv) == 4:
        vtopod_conf(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
