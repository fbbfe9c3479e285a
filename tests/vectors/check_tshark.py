#!/usr/bin/python3
"""
check_tshark.py: the wire vectors against Wireshark's BGP dissector.

Every vector's message is put in its own TCP/179 stream of one pcap (written
here, no extra tools), dissected once with `tshark -T json -O bgp`, and the
fields tshark reports (type, length, prefixes, RDs, labels, route targets and
other communities, AS paths, next hops, capabilities, NOTIFICATION code and
subcode, FlowSpec components) are compared with the same fields of the
vector's "expect".  A field is compared only when both sides have it.

Where tshark 4.0 is wrong, the disagreement is listed in KNOWN below with the
RFC section that decides; any other disagreement fails the test.  Malformed
vectors are compared on their header only (tshark has no RFC 7606 verdict).

    check_tshark.py DATA_DIR [--tshark PATH] [-v]

Not for: checking our decoder (check_decode.py does that).
"""
import argparse
import glob
import ipaddress
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

# (vector name, field) -> the RFC section that decides and why tshark differs.
# Vector names are the file names without the number and ".json".
KNOWN = {
    ("update-rtc-partial", "well-formed"):
        "RFC 4684 s4: prefixes shorter than 96 bits are legal; tshark 4.0 throws on them",
    ("update-rtc-partial", "mp_reach.nlri"):
        "RFC 4684 s4: a 48/64-bit prefix holds the type and the start of the target, "
        "tshark 4.0 reads past the prefix",
    ("update-rtc-odd-length", "well-formed"):
        "RFC 4684 s4: a prefix length that is not a multiple of 8 is legal",
    ("update-rtc-odd-length", "mp_reach.nlri"):
        "RFC 4684 s4: partial target (see update-rtc-partial)",
    ("update-rtc-forms", "mp_reach.nlri"):
        "RFC 4684 s4 / RFC 5668 s2: the 4-octet-AS target is type 0x02 with a 2-octet "
        "number; tshark 4.0 shows it as 4294967295:1",
    ("flowspec6-offset", "well-formed"):
        "RFC 8956 s3.1: the pattern holds length - offset bits; tshark 4.0 reads "
        "length bits",
    ("flowspec6-source-offset", "well-formed"): "RFC 8956 s3.1 (as above)",
    ("flowspec-value-sizes", "mp_reach.nlri"):
        "RFC 8955 s4.2.1.1: operator len 10 means a 4-octet value; tshark 4.0 reads 8",
    ("open-extended-params", "well-formed"):
        "RFC 9072 s2: Non-Ext OP Type 255 announces extended optional parameters; "
        "tshark 4.0 parses them as RFC 4271 parameters",
    ("open-extended-params", "capabilities"): "RFC 9072 s2 (as above)",
    ("update-vpnv6-stack", "mp_reach.nlri"):
        "RFC 4659 s3.2 / RFC 8277 s2: two labels and an RD of type 2 are legal; tshark 4.0 "
        "prints its unformatted label format string",
    ("update-addpath-vpnv4", "mp_reach.nlri"):
        "RFC 7911 s3: a path identifier precedes each NLRI once ADD-PATH is negotiated; "
        "tshark 4.0 guesses ADD-PATH for IPv4 unicast only",
}

MSG_TYPES = {1: "open", 2: "update", 3: "notification", 4: "keepalive", 5: "route-refresh"}
FAMS = {(1, 1): "ipv4-unicast", (2, 1): "ipv6-unicast", (1, 4): "ipv4-labeled-unicast",
        (2, 4): "ipv6-labeled-unicast", (1, 128): "ipv4-vpn", (2, 128): "ipv6-vpn",
        (1, 132): "rtc", (1, 133): "ipv4-flowspec", (2, 133): "ipv6-flowspec",
        (1, 134): "ipv4-vpn-flowspec", (2, 134): "ipv6-vpn-flowspec"}
FS_NAMES = {1: "destination", 2: "source", 3: "protocol", 4: "port", 5: "destination-port",
            6: "source-port", 7: "icmp-type", 8: "icmp-code", 9: "tcp-flags",
            10: "packet-length", 11: "dscp", 12: "fragment", 13: "flow-label"}
NUM_OPS = ["false", "==", ">", ">=", "<", "<=", "!=", "true"]
WELL_KNOWN_COMMS = {0xFFFFFF01: "no-export", 0xFFFFFF02: "no-advertise",
                    0xFFFFFF03: "no-export-subconfed", 0xFFFFFF04: "no-peer",
                    0xFFFF0000: "graceful-shutdown", 0xFFFF029A: "blackhole"}


# ---------------------------------------------------------------- pcap


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload, sport):
    """Ethernet / IPv4 192.0.2.1 -> 192.0.2.2 / TCP sport -> 179, PSH+ACK."""
    tcp = struct.pack("!HHIIBBHHH", sport, 179, 1000, 1, 5 << 4, 0x18, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 1, 0x4000, 64, 6, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return bytes(6) + bytes([0, 0, 0, 0, 0, 1]) + b"\x08\x00" + ip + tcp + payload


def write_pcap(path, messages):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, m in enumerate(messages):
            p = frame(m, 10000 + i)  # one stream per vector
            f.write(struct.pack("<IIII", i + 1, 0, len(p), len(p)) + p)


# ---------------------------------------------------------------- tshark tree


class T:
    """tshark's JSON object kept as ordered (key, value) pairs: it repeats
    keys (one per attribute, capability, community ...)."""

    def __init__(self, pairs):
        self.p = pairs

    def all(self, key):
        return [T(v) if isinstance(v, list) else v for k, v in self.p if k == key]

    def get(self, key, default=None):
        a = self.all(key)
        return a[0] if a else default

    def items(self):
        return [(k, T(v) if isinstance(v, list) else v) for k, v in self.p]

    def find(self, key):
        out = []
        for k, v in self.p:
            if k == key:
                out.append(T(v) if isinstance(v, list) else v)
            if isinstance(v, list):
                out.extend(T(v).find(key))
        return out


def num(s):
    return int(s, 0) if isinstance(s, str) else s


def pfx(addr, plen):
    return str(ipaddress.ip_network("%s/%d" % (addr, plen), strict=False))


# ---------------------------------------------------------------- facts from tshark


def ts_ecomm(e):
    t = num(e.get("bgp.ext_com.type"))
    st = None
    for k, v in e.items():
        if k.startswith("bgp.ext_com.stype"):
            st = num(v)
    g = lambda k: e.get("bgp.ext_com." + k)
    if t in (0x00, 0x01, 0x02) and st in (0x02, 0x03, 0x13):
        kind = {0x02: "target", 0x03: "origin", 0x13: "rt-record"}[st]
        ga = {0: g("value_as2"), 1: g("value_IP4"), 2: g("value_as4")}[t]
        la = g("value_an4") if t == 0 else g("value_an2")
        return "%s:%s:%s" % (kind, ga, la) if ga is not None and la is not None else None
    if t in (0x80, 0x81, 0x82) and st == 0x08:
        ga = {0x80: g("value_as2"), 0x81: g("value_IP4"), 0x82: g("value_as4")}[t]
        la = g("value_an4") if t == 0x80 else g("value_an2")
        return "redirect:%s:%s" % (ga, la) if ga is not None and la is not None else None
    if t == 0x80 and st == 0x06:
        rate = e.get("bgp.ext_com_flow.rate_limit")
        return "traffic-rate:%s:%d" % (g("value_as2"), float(rate)) if rate else None
    if t == 0x80 and st == 0x07:
        s, a = e.get("bgp.ext_com_flow.sample"), e.get("bgp.ext_com_flow.traff_act")
        if s == "1" and a == "1":
            return "traffic-action:terminal,sample"
        return None
    if t == 0x80 and st == 0x09:
        d = g("value_fs_dscp")
        return "traffic-marking:%d" % num(d) if d else None
    if t == 0x03 and st == 0x0C:
        return "encap:%s" % g("tunnel_type")
    return None


def ts_aspath(attr):
    parts = []
    for seg in attr.all("bgp.update.path_attribute.as_path_segment"):
        st = num(seg.get("bgp.update.path_attribute.as_path_segment.type"))
        asns = seg.all("bgp.update.path_attribute.as_path_segment.as4") or \
            seg.all("bgp.update.path_attribute.as_path_segment.as2")
        if st == 2:
            parts.append(" ".join(asns))
        elif st == 1:
            parts.append("{" + ",".join(asns) + "}")
        elif st == 3:
            parts.append("(" + " ".join(asns) + ")")
        else:
            return None
    return " ".join(parts)


def ts_labels(s):
    """"100,200 (bottom)" -> [100, 200]; withdrawn stacks -> None."""
    if s is None or "withdrawn" in s:
        return None
    if not re.match(r"^\d+(,\d+)*( \(.*\))?$", s):
        return s  # not a label stack: shows up as a disagreement
    return [int(x) for x in re.sub(r"\s*\(.*\)", "", s).split(",")]


def ts_rd_fs(t):
    """RD of a VPN FlowSpec NLRI from tshark's split fields."""
    g = lambda k: t.get("bgp.flowspec_route_distinguisher_" + k)
    typ = num(g("type"))
    if typ == 0:
        return "%s:%d" % (g("admin_as_num_2"), num(g("asnum_4")))
    if typ == 1:
        return "%s:%s" % (g("admin_ipv4"), g("asnum_2"))
    if typ == 2:
        return "%d:%s" % (num(g("admin_as_num_4")), g("asnum_2"))
    return None


def ts_flow_components(tree):
    comps = []
    for f in tree.all("bgp.flowspec_nlri.filter"):
        ctype = num(f.get("bgp.flowspec_nlri.filter_type"))
        c = {"type": FS_NAMES.get(ctype, str(ctype))}
        for k, v in f.items():
            if not isinstance(v, T):
                continue
            a = v.get("bgp.flowspec_nlri.dst_prefix_filter") or \
                v.get("bgp.flowspec_nlri.src_prefix_filter")
            if a:
                c["prefix"] = pfx(a, int(v.get("bgp.prefix_length")))
        a6 = f.get("bgp.flowspec_nlri.dst_ipv6_pref") or f.get("bgp.flowspec_nlri.src_ipv6_pref")
        if a6:
            c["prefix"] = pfx(a6, int(f.get("bgp.flowspec_nlri.ipv6_pref_length")))
            c["offset"] = int(f.get("bgp.flowspec_nlri.ipv6_pref_offset"))
        ops, cur = [], None
        for k, v in f.items():
            if k == "bgp.flowspec_nlri.opflags":
                o = num(v)
                cur = {"and": bool(o & 0x40)}
                if ctype in (9, 12):
                    cur["op"] = ("not-" if o & 2 else "") + ("match" if o & 1 else "any")
                else:
                    cur["op"] = NUM_OPS[o & 7]
                ops.append(cur)
            elif cur is not None and "value" not in cur and not isinstance(v, T) and (
                    k.startswith("bgp.flowspec_nlri.dec_val") or
                    k in ("bgp.flowspec_nlri.val_tcp.flags", "bgp.flowspec_nlri.val_frag",
                          "bgp.flowspec_nlri.val_dsfield")):
                cur["value"] = num(v)
        if ops:
            c["ops"] = ops
        comps.append(c)
    return comps


def ts_nlri(t):
    """One NLRI subtree (unicast, labeled, VPN, RTC) -> facts."""
    n = {}
    plen = t.get("bgp.prefix_length")
    addr = None
    for k, v in t.items():
        if k in ("bgp.nlri_prefix", "bgp.withdrawn_prefix") or (
                k.endswith("_prefix") and k.startswith("bgp.mp_")):
            addr = v
    labels = ts_labels(t.get("bgp.label_stack"))
    stack = t.get("bgp.label_stack")
    nlab = len(stack.split(",")) if stack else 0
    rd = t.get("bgp.rd")
    if addr is not None and plen is not None:
        bits = int(plen) - 24 * nlab - (64 if rd else 0)
        n["prefix"] = pfx(addr, bits)
    if labels is not None:
        n["labels"] = labels
    if rd:
        n["rd"] = rd
    if t.get("bgp.nlri_path_id"):
        n["path_id"] = int(t.get("bgp.nlri_path_id"))
    if t.get("bgp.originating_as"):
        n["origin_as"] = int(t.get("bgp.originating_as"))
        n["length"] = int(plen)
        cp = t.get("bgp.community_prefix")
        if cp and int(plen) == 96:
            n["route_target"] = "target:" + cp
    return n


def ts_mp(attr, kind):
    a = "bgp.update.path_attribute.%s_nlri" % kind
    afi, safi = num(attr.get(a + ".afi")), num(attr.get(a + ".safi"))
    out = {"family": FAMS.get((afi, safi), "%d/%d" % (afi, safi))}
    nht = attr.get(a + ".next_hop_tree")
    if isinstance(nht, T):
        nh = nht.get(a + ".next_hop.ipv4") or nht.get(a + ".next_hop.ipv6")
        if nh:
            out["next_hop"] = nh
        ll = nht.get(a + ".next_hop.ipv6.link_local")
        if ll:
            out["next_hop_link_local"] = ll
    nlri = []
    for sub in attr.all(a):
        if not isinstance(sub, T):
            continue
        if sub.get("bgp.wildcard_route_target") is not None:
            nlri.append({"default": True})  # RFC 4684 s4 zero-length default
        if not any(isinstance(v, T) for _, v in sub.items()):
            # tshark 4.0 shows VPN-IPv6 NLRI as label fields plus text only
            for st in sub.all("bgp.label_stack"):
                lab = ts_labels(st)
                nlri.append({"labels": lab} if lab else {})
        for k, v in sub.items():
            if k == "bgp.flowspec_nlri_tree":
                n = {}
                if v.get("bgp.flowspec_route_distinguisher"):
                    n["rd"] = ts_rd_fs(v.get("bgp.flowspec_route_distinguisher"))
                n["components"] = ts_flow_components(v)
                nlri.append(n)
            elif isinstance(v, T) and k not in ("bgp.flowspec_nlri_tree",):
                nlri.append(ts_nlri(v))
    out["nlri" if kind == "mp_reach" else "withdrawn"] = nlri
    return out


def ts_update(b, f):
    wd = b.get("bgp.update.withdrawn_routes")
    if isinstance(wd, T):
        f["withdrawn"] = [ts_nlri(v) for k, v in wd.items() if isinstance(v, T)]
    nl = b.get("bgp.update.nlri")
    if isinstance(nl, T):
        f["nlri"] = [ts_nlri(v) for k, v in nl.items() if isinstance(v, T)]
    at = {}
    pas = b.get("bgp.update.path_attributes")
    for attr in (pas.all("bgp.update.path_attribute") if isinstance(pas, T) else []):
        code = num(attr.get("bgp.update.path_attribute.type_code"))
        g = lambda k: attr.get("bgp.update.path_attribute." + k)
        if code == 1 and g("origin") is not None:
            at["origin"] = ["igp", "egp", "incomplete", None][min(int(g("origin")), 3)]
        elif code == 2:
            at["as_path"] = ts_aspath(attr)
        elif code == 17:
            at["as4_path"] = ts_aspath(attr)
        elif code == 3 and g("next_hop"):
            at["next_hop"] = g("next_hop")
        elif code == 4 and g("multi_exit_disc"):
            at["med"] = int(g("multi_exit_disc"))
        elif code == 5 and g("local_pref"):
            at["local_pref"] = int(g("local_pref"))
        elif code in (7, 18) and g("aggregator_as"):
            at["aggregator" if code == 7 else "as4_aggregator"] = {
                "as": int(g("aggregator_as")), "address": g("aggregator_origin")}
        elif code == 8:
            cs = []
            for comms in attr.find("bgp.update.path_attribute.communities"):
                for k, c in comms.items():
                    if k == "bgp.update.path_attribute.community_wellknown":
                        cs.append(WELL_KNOWN_COMMS.get(num(c), c))
                    elif k == "bgp.update.path_attribute.community":
                        cs.append("%s:%s" % (
                            c.get("bgp.update.path_attribute.community_as"),
                            c.get("bgp.update.path_attribute.community_value")))
            at["communities"] = cs
        elif code == 9 and g("originator_id"):
            at["originator_id"] = g("originator_id")
        elif code == 10:
            at["cluster_list"] = attr.find("bgp.path_attribute.cluster_id")
        elif code == 16:
            at["ext_communities"] = [ts_ecomm(e) for e in attr.find("bgp.ext_community")]
        elif code == 32:
            lcs = []
            for t in attr.find("bgp.large_communities_tree"):
                lcs.append("%s:%s:%s" % (t.get("bgp.large_communities.ga"),
                                         t.get("bgp.large_communities.ldp1"),
                                         t.get("bgp.large_communities.ldp2")))
            at["large_communities"] = lcs
        elif code == 14:
            f["mp_reach"] = ts_mp(attr, "mp_reach")
        elif code == 15:
            f["mp_unreach"] = ts_mp(attr, "mp_unreach")
    if at:
        f["attributes"] = at


def ts_open(b, f):
    f["version"] = int(b.get("bgp.open.version"))
    f["my_as"] = int(b.get("bgp.open.myas"))
    f["hold_time"] = int(b.get("bgp.open.holdtime"))
    f["bgp_id"] = b.get("bgp.open.identifier")
    caps = []
    for c in b.find("bgp.cap"):
        code = int(c.get("bgp.cap.type"))
        cj = {"code": code}
        if code == 1 and c.get("bgp.cap.mp.afi"):
            key = (int(c.get("bgp.cap.mp.afi")), int(c.get("bgp.cap.mp.safi")))
            if key in FAMS:
                cj["family"] = FAMS[key]
            else:
                cj["afi"], cj["safi"] = key
        elif code == 65 and c.get("bgp.cap.4as"):
            cj["asn"] = int(c.get("bgp.cap.4as"))
        elif code == 69:
            fams = []
            for afi, safi, sr in zip(c.all("bgp.cap.ap.afi"), c.all("bgp.cap.ap.safi"),
                                     c.all("bgp.cap.ap.sendreceive")):
                sr = int(sr)
                fams.append({"family": FAMS.get((int(afi), int(safi))),
                             "send": bool(sr & 2), "receive": bool(sr & 1)})
            cj["families"] = fams
        elif code == 64:
            tm = c.get("bgp.cap.gr.timers_tree")
            if isinstance(tm, T):
                cj["restart_time"] = int(tm.get("bgp.cap.gr.timers.restart_time"))
                cj["restarting"] = tm.get("bgp.cap.gr.timers.restart_flag") == "1"
                cj["notification"] = tm.get("bgp.cap.gr.timers.notification_flag") == "1"
            fams = []
            for afi, safi, fl in zip(c.all("bgp.cap.gr.afi"), c.all("bgp.cap.gr.safi"),
                                     c.all("bgp.cap.gr.flag")):
                fams.append({"family": FAMS.get((int(afi), int(safi))),
                             "forwarding": bool(num(fl) & 0x80)})
            cj["families"] = fams
        caps.append(cj)
    f["capabilities"] = caps


def ts_facts(b):
    f = {}
    t = int(b.get("bgp.type"))
    f["type"] = MSG_TYPES.get(t, "unknown")
    f["length"] = int(b.get("bgp.length"))
    if t == 1:
        ts_open(b, f)
    elif t == 2:
        ts_update(b, f)
    elif t == 3:
        f["code"] = int(b.get("bgp.notify.major_error"))
        for k, v in b.items():
            if k.startswith("bgp.notify.minor_error"):
                f["subcode"] = int(v)
        if b.get("bgp.notify.communication") is not None:
            f["shutdown_message"] = b.get("bgp.notify.communication")
    elif t == 5:
        key = (int(b.get("bgp.route_refresh.afi")), int(b.get("bgp.route_refresh.safi")))
        if key in FAMS:
            f["family"] = FAMS[key]
        else:
            f["afi"], f["safi"] = key
        f["subtype"] = ["normal", "begin", "end"][int(b.get("bgp.route_refresh.subtype"))]
    return f


# ---------------------------------------------------------------- comparison


def compare(exp, got, path, out):
    """Record (path, expected, got) for each difference in fields both have;
    lists element-wise, order kept."""
    if isinstance(exp, dict) and isinstance(got, dict):
        for k in exp:
            if k in got:
                compare(exp[k], got[k], path + [k], out)
    elif isinstance(exp, list) and isinstance(got, list):
        if len(exp) != len(got):
            out.append((path, exp, got))
            return
        for e, g in zip(exp, got):
            compare(e, g, path, out)
    elif got is None:
        return  # tshark has no text form for it
    elif exp != got:
        out.append((path, exp, got))


FIELDS = ("type", "length", "version", "my_as", "hold_time", "bgp_id", "capabilities",
          "code", "subcode", "shutdown_message", "family", "afi", "safi", "subtype",
          "withdrawn", "nlri", "attributes", "mp_reach", "mp_unreach")


def field_name(path):
    """The KNOWN-table field: the first two levels for MP attributes."""
    if path and path[0] in ("mp_reach", "mp_unreach", "attributes") and len(path) > 1:
        return path[0] + "." + path[1]
    return path[0] if path else ""


def main():
    ap = argparse.ArgumentParser(description="compare the wire vectors with tshark")
    ap.add_argument("data")
    ap.add_argument("--tshark", default=shutil.which("tshark") or "tshark")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.data, "*.json")))
    vecs = []
    for fn in files:
        with open(fn, encoding="utf-8") as fh:
            vecs.append((re.sub(r"^\d+-|\.json$", "", os.path.basename(fn)), json.load(fh)))
    if not vecs:
        print("no vectors in %s" % args.data)
        return 1
    if not os.path.exists(args.tshark) and not shutil.which(args.tshark):
        print("SKIP: tshark not found")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "vectors.pcap")
        write_pcap(pcap, [bytes.fromhex(v["hex"]) for _, v in vecs])
        res = subprocess.run([args.tshark, "-n", "-r", pcap, "-T", "json", "-O", "bgp"],
                             capture_output=True, text=True)
    if res.returncode != 0:
        print("tshark failed: %s" % res.stderr.strip())
        return 1
    frames = json.loads(res.stdout, object_pairs_hook=lambda p: p)
    if len(frames) != len(vecs):
        print("tshark returned %d frames for %d vectors" % (len(frames), len(vecs)))
        return 1

    failures, known_hit, compared, nfields = [], set(), 0, 0
    for (name, v), fr in zip(vecs, frames):
        layers = T(T(fr).get("_source").p).get("layers")
        bgps = [b for b in layers.all("bgp") if isinstance(b, T)]
        exp = v["expect"]
        malformed_vec = "verdict" in exp
        diffs = []
        if not bgps:
            if not malformed_vec:
                diffs.append((["type"], exp.get("type"), "no BGP message"))
        else:
            try:
                got = ts_facts(bgps[0])
            except (TypeError, ValueError, IndexError, AttributeError) as e:
                got = {}
                if not malformed_vec:
                    diffs.append((["tshark-fields"], "readable", "unexpected layout: %r" % e))
            if malformed_vec:  # the header only: tshark has no verdicts
                exp = {k: exp[k] for k in ("type",) if k in exp}
            elif layers.get("_ws.malformed") is not None:
                diffs.append((["well-formed"], True, "tshark: malformed packet"))
            compare({k: exp[k] for k in FIELDS if k in exp}, got, [], diffs)
            nfields += sum(1 for k in FIELDS if k in exp and k in got)
        compared += 1
        for path, e, g in diffs:
            key = (name, field_name(path))
            if key in KNOWN:
                known_hit.add(key)
                if args.verbose:
                    print("known  %s %s: %s" % (name, key[1], KNOWN[key]))
                continue
            failures.append("%s: %s: expected %s, tshark %s" % (
                name, ".".join(path), json.dumps(e), json.dumps(g)))
    for f in failures:
        print("FAIL " + f)
    stale = sorted(set(KNOWN) - known_hit)
    for s in stale:
        print("note: known exception no longer seen: %s %s" % s)
    print("tshark: %d vectors, %d top-level fields compared, %d known tshark deviations, "
          "%d disagreements" % (compared, nfields, len(known_hit), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
