"""Normalize FlowSpec RIBs (RFC 8955 IPv4, RFC 8955 s8 VPN) for topology tests.

    flow.py DAEMON < output      DAEMON in vtopod gobgp exabgp

One line per route, sorted: `FAMILY RD DESTINATION ACTION...` with FAMILY
`flow` or `flow-vpn`, RD `-` outside a VPN, the destination prefix
component, and the actions from the extended communities, sorted:
`rate:N` (traffic-rate, RFC 8955 s7.3; 0 is discard) and `rt:A:N`.  Only
the destination component is read: the tests use no other.  ExaBGP's
received-message log is replayed (announce, withdraw, session down).
"""

import json
import sys


def out(fam, rd, dest, acts):
    return " ".join([fam, rd or "-", dest] + sorted(acts))


def vtopod(text):
    doc = json.loads(text)
    fam = "flow-vpn" if "vpn" in doc.get("family", "") else "flow"
    res = []
    for r in doc.get("routes", []):
        dest = [c["prefix"] for c in r.get("components", []) if c.get("type") == "destination"]
        for p in r.get("paths", [])[:1]:
            acts = []
            for e in p.get("ext_communities", []):
                if e.startswith("traffic-rate:"):
                    acts.append("rate:%d" % int(float(e.rsplit(":", 1)[1])))
                elif e.startswith("target:"):
                    acts.append("rt:" + e[len("target:"):])
            res.append(out(fam, r.get("rd"), dest[0] if dest else "?", acts))
    return res


def gobgp(text):
    doc = json.loads(text) if text.strip() else {}
    res = []
    for paths in (doc or {}).values():
        p = paths[0]
        n = p["nlri"]
        rd = n.get("rd")
        fam = "flow-vpn" if rd else "flow"
        rd = "%s:%s" % (rd["admin"], rd["assigned"]) if rd else None
        dest = [c["value"]["prefix"] for c in n["value"] if c["type"] == 1]
        acts = []
        for a in p["attrs"]:
            if a["type"] != 16:
                continue
            for e in a["value"]:
                if e.get("type") == 128 and e.get("subtype") == 6:
                    acts.append("rate:%d" % int(e["rate"]))
                elif e.get("type") == 0 and e.get("subtype") == 2:
                    acts.append("rt:" + e["value"])
        res.append(out(fam, rd, dest[0] if dest else "?", acts))
    return res


def exabgp(text):
    rib = {}
    for ln in text.splitlines():
        try:
            m = json.loads(ln)
        except ValueError:
            continue
        nb = m.get("neighbor", {})
        if m.get("type") == "state" and nb.get("state") in ("down", "connected"):
            rib.clear()
            continue
        u = nb.get("message", {}).get("update")
        if not u:
            continue
        acts = []
        for e in u.get("attribute", {}).get("extended-community", []):
            s = e.get("string", "")
            if s.startswith("rate-limit:"):
                acts.append("rate:%d" % int(float(s.split(":")[1])))
            elif s.startswith("target:"):
                acts.append("rt:" + s[len("target:"):])
        for fam_key, fam in (("ipv4 flow", "flow"), ("ipv4 flow-vpn", "flow-vpn")):
            for nh in u.get("announce", {}).get(fam_key, {}).values():
                for r in nh:
                    k = (fam, r.get("rd"), r["destination-ipv4"][0])
                    rib[k] = acts
            for r in u.get("withdraw", {}).get(fam_key, []):
                rib.pop((fam, r.get("rd"), r["destination-ipv4"][0]), None)
    return [out(f, rd, d, a) for (f, rd, d), a in rib.items()]


if __name__ == "__main__":
    fn = {"vtopod": vtopod, "gobgp": gobgp, "exabgp": exabgp}[sys.argv[1]]
    for line in sorted(fn(sys.stdin.read())):
        print(line)
