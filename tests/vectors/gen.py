#!/usr/bin/python3
"""
gen.py: the BGP wire vectors, built by an encoder of its own.

Every vector is written from a description: small builder functions follow
the RFC layouts byte by byte and return both the wire bytes and the part of
the decoder's JSON (docs/decode-json.md) that the description implies.  So
the expected values come from what was put in, never from the project's
decoder.  Output: data/NNN-name.json with
    description, ref, params (optional), hex, canonical, expect.

    gen.py              regenerate data/
    gen.py --selfcheck  check data/ is up to date, the builders against
                        RFC worked examples and scapy's BGP layer

Not for: deciding what the decoder should do with a malformed message (that
is RFC 7606 and docs/rfc7606.md; here it is only written down per vector).
"""
import argparse
import ipaddress
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

# ---------------------------------------------------------------- primitives


def u8(v):
    return struct.pack("!B", v)


def u16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("!I", v)


def ip4(s):
    return ipaddress.IPv4Address(s).packed


def ip6(s):
    return ipaddress.IPv6Address(s).packed


def ipb(s):
    return ipaddress.ip_address(s).packed


def hx(b):
    return b.hex()


def pfx_bytes(p):
    """RFC 4271 s4.3: a prefix is its length in bits and the minimum number
    of octets holding it."""
    net = ipaddress.ip_network(p)
    return net.prefixlen, net.network_address.packed[:(net.prefixlen + 7) // 8]


# ---------------------------------------------------------------- names
# Family names of docs/decode-json.md, with their RFC 4760 AFI/SAFI.
FAMS = {
    "ipv4-unicast": (1, 1), "ipv6-unicast": (2, 1),
    "ipv4-labeled-unicast": (1, 4), "ipv6-labeled-unicast": (2, 4),
    "ipv4-vpn": (1, 128), "ipv6-vpn": (2, 128), "rtc": (1, 132),
    "ipv4-flowspec": (1, 133), "ipv6-flowspec": (2, 133),
    "ipv4-vpn-flowspec": (1, 134), "ipv6-vpn-flowspec": (2, 134),
}

# NOTIFICATION codes and subcodes: RFC 4271 s4.5, RFC 5492 s5, RFC 4486 s4,
# RFC 8538 s5 (hard reset), RFC 7313 s5, RFC 6608 s3; names are the RFC names
# in lower case with hyphens.
NOTIFY_CODES = {
    1: "message-header-error", 2: "open-message-error", 3: "update-message-error",
    4: "hold-timer-expired", 5: "finite-state-machine-error", 6: "cease",
    7: "route-refresh-message-error",
}
NOTIFY_SUBCODES = {
    1: {1: "connection-not-synchronized", 2: "bad-message-length", 3: "bad-message-type"},
    2: {1: "unsupported-version-number", 2: "bad-peer-as", 3: "bad-bgp-identifier",
        4: "unsupported-optional-parameter", 6: "unacceptable-hold-time",
        7: "unsupported-capability"},
    3: {1: "malformed-attribute-list", 2: "unrecognized-well-known-attribute",
        3: "missing-well-known-attribute", 4: "attribute-flags-error",
        5: "attribute-length-error", 6: "invalid-origin-attribute",
        8: "invalid-next-hop-attribute", 9: "optional-attribute-error",
        10: "invalid-network-field", 11: "malformed-as-path"},
    6: {1: "maximum-number-of-prefixes-reached", 2: "administrative-shutdown",
        3: "peer-de-configured", 4: "administrative-reset", 5: "connection-rejected",
        6: "other-configuration-change", 7: "connection-collision-resolution",
        8: "out-of-resources", 9: "hard-reset"},
    7: {1: "invalid-message-length"},
}

# RFC 7606 error ids (src/wire/verdict.h) -> their stable names (the verdict
# table, which docs/rfc7606.md renders).  These are names only: which error a
# vector must raise, and the action, come from the description and the RFC.
ERR_NAMES = {
    "BGP_E_AGGREGATOR": "aggregator-malformed",
    "BGP_E_AS4_AGGREGATOR": "as4-aggregator-malformed",
    "BGP_E_AS4_FROM_NEW": "as4-attribute-from-new-speaker",
    "BGP_E_AS4_PATH": "as4-path-malformed",
    "BGP_E_AS_PATH": "as-path-malformed",
    "BGP_E_ATOMIC_AGGREGATE": "atomic-aggregate-malformed",
    "BGP_E_CLUSTER_LIST": "cluster-list-malformed",
    "BGP_E_CLUSTER_LIST_EBGP": "cluster-list-from-ebgp",
    "BGP_E_COMMUNITIES": "communities-malformed",
    "BGP_E_COUNT": "none",
    "BGP_E_EXT_COMMUNITIES": "ext-communities-malformed",
    "BGP_E_FLOWSPEC_NLRI": "flowspec-nlri",
    "BGP_E_HDR_LENGTH": "header-length",
    "BGP_E_HDR_MARKER": "header-marker",
    "BGP_E_HDR_TYPE": "header-type",
    "BGP_E_IPV6_EXT_COMMUNITIES": "ipv6-ext-communities-malformed",
    "BGP_E_KEEPALIVE_LENGTH": "keepalive-length",
    "BGP_E_LARGE_COMMUNITIES": "large-communities-malformed",
    "BGP_E_LOCAL_PREF": "local-pref-malformed",
    "BGP_E_LOCAL_PREF_EBGP": "local-pref-from-ebgp",
    "BGP_E_MED": "med-malformed",
    "BGP_E_MP_REACH": "mp-reach-malformed",
    "BGP_E_MP_REACH_NEXT_HOP": "mp-reach-next-hop",
    "BGP_E_MP_REACH_NLRI": "mp-reach-nlri",
    "BGP_E_MP_UNREACH": "mp-unreach-malformed",
    "BGP_E_MP_UNREACH_NLRI": "mp-unreach-nlri",
    "BGP_E_NEXT_HOP": "next-hop-malformed",
    "BGP_E_NOTIFY_LENGTH": "notification-length",
    "BGP_E_OPEN_BGP_ID": "open-bgp-id",
    "BGP_E_OPEN_CAP_MALFORMED": "open-capability-malformed",
    "BGP_E_OPEN_HOLD_TIME": "open-hold-time",
    "BGP_E_OPEN_LENGTH": "open-length",
    "BGP_E_OPEN_OPT_PARAM_LEN": "open-opt-param-length",
    "BGP_E_OPEN_OPT_PARAM_UNSUPPORTED": "open-opt-param-unsupported",
    "BGP_E_OPEN_PEER_AS": "open-peer-as",
    "BGP_E_OPEN_VERSION": "open-version",
    "BGP_E_ORIGIN": "origin-malformed",
    "BGP_E_ORIGINATOR_ID": "originator-id-malformed",
    "BGP_E_ORIGINATOR_ID_EBGP": "originator-id-from-ebgp",
    "BGP_E_REFRESH_LENGTH": "route-refresh-length",
    "BGP_E_UPD_ATTR_FLAGS": "attribute-flags",
    "BGP_E_UPD_ATTR_LEN": "total-attribute-length",
    "BGP_E_UPD_ATTR_OVERRUN": "attribute-length-overrun",
    "BGP_E_UPD_DUP_ATTR": "duplicate-attribute",
    "BGP_E_UPD_DUP_MP": "duplicate-mp-attribute",
    "BGP_E_UPD_MISSING_AS_PATH": "missing-as-path",
    "BGP_E_UPD_MISSING_LOCAL_PREF": "missing-local-pref",
    "BGP_E_UPD_MISSING_NEXT_HOP": "missing-next-hop",
    "BGP_E_UPD_MISSING_ORIGIN": "missing-origin",
    "BGP_E_UPD_NLRI": "nlri-field",
    "BGP_E_UPD_UNKNOWN_WELLKNOWN": "unrecognized-well-known",
    "BGP_E_UPD_WITHDRAWN_LEN": "withdrawn-length",
}
# Where the RFC lets the implementation choose (session reset or AFI/SAFI
# disable, RFC 7606 s5.3 / s7.11), the choice made in docs/rfc7606.md.
ERR_ACTIONS = {
    "BGP_E_MP_REACH": "session-reset",
    "BGP_E_MP_REACH_NEXT_HOP": "afi-safi-disable",
    "BGP_E_MP_REACH_NLRI": "afi-safi-disable",
    "BGP_E_MP_UNREACH_NLRI": "afi-safi-disable",
    "BGP_E_FLOWSPEC_NLRI": "afi-safi-disable",
}


# ---------------------------------------------------------------- header


def msg(mtype, body, length=None, marker=b"\xff" * 16):
    """RFC 4271 s4.1: marker, 2-octet length (whole message), type."""
    if length is None:
        length = 19 + len(body)
    return marker + u16(length) + u8(mtype) + body


def hdr_expect(mtype_name, wire):
    return {"type": mtype_name, "length": struct.unpack("!H", wire[16:18])[0]}


# ---------------------------------------------------------------- OPEN


class Cap:
    """One capability (RFC 5492 s4): code, length, value; plus its JSON."""

    def __init__(self, code, value, js):
        self.code, self.value, self.js = code, value, js

    def wire(self):
        return u8(self.code) + u8(len(self.value)) + self.value


def fam_js(fam):
    return {"family": fam} if isinstance(fam, str) else {"afi": fam[0], "safi": fam[1]}


def afisafi(fam):
    return FAMS[fam] if isinstance(fam, str) else fam


def cap_mp(fam):
    """RFC 4760 s8: AFI (2), reserved (1), SAFI (1)."""
    afi, safi = afisafi(fam)
    return Cap(1, u16(afi) + u8(0) + u8(safi), dict({"code": 1, "name": "multiprotocol"},
                                                     **fam_js(fam)))


def cap_rr():
    return Cap(2, b"", {"code": 2, "name": "route-refresh"})  # RFC 2918 s2


def cap_rr_old():
    return Cap(128, b"", {"code": 128, "name": "route-refresh-old"})


def cap_enh_rr():
    return Cap(70, b"", {"code": 70, "name": "enhanced-route-refresh"})  # RFC 7313 s3


def cap_ext_msg():
    return Cap(6, b"", {"code": 6, "name": "extended-message"})  # RFC 8654 s3


def cap_as4(asn):
    return Cap(65, u32(asn), {"code": 65, "name": "as4", "asn": asn})  # RFC 6793 s3


def cap_addpath(entries):
    """RFC 7911 s4: (AFI, SAFI, send/receive) triples; 1 receive, 2 send."""
    val, fams = b"", []
    for fam, send, recv in entries:
        afi, safi = afisafi(fam)
        val += u16(afi) + u8(safi) + u8((2 if send else 0) | (1 if recv else 0))
        fams.append({"family": fam, "send": send, "receive": recv})
    return Cap(69, val, {"code": 69, "name": "add-path", "families": fams})


def cap_gr(restart_time, restarting, notification, entries):
    """RFC 4724 s3 (+ RFC 8538 N bit): flags and 12-bit time, then
    (AFI, SAFI, flags with F = 0x80) per family."""
    flags = (0x8 if restarting else 0) | (0x4 if notification else 0)
    val = u16(flags << 12 | restart_time)
    fams = []
    for fam, fwd in entries:
        afi, safi = afisafi(fam)
        val += u16(afi) + u8(safi) + u8(0x80 if fwd else 0)
        fams.append({"family": fam, "forwarding": fwd})
    return Cap(64, val, {"code": 64, "name": "graceful-restart", "restart_time": restart_time,
                         "restarting": restarting, "notification": notification,
                         "families": fams})


def cap_ext_nh(entries):
    """RFC 8950 s3: (NLRI AFI, NLRI SAFI (2 octets), next-hop AFI)."""
    val = b"".join(u16(a) + u16(s) + u16(n) for a, s, n in entries)
    return Cap(5, val, {"code": 5, "name": "extended-nexthop", "hex": hx(val)})


def cap_unknown(code, val):
    return Cap(code, val, {"code": code, "name": "unknown", "hex": hx(val)})


# The project's canonical OPEN (what bgp_open_encode writes; RFC 5492 fixes
# no order): one Capabilities parameter per capability, multiprotocol first
# in bgp_fam_table order (then families it does not speak), then route
# refresh, enhanced route refresh, extended message, 4-octet AS, ADD-PATH,
# graceful restart, and the rest as received.
CAP_ORDER = {2: 2, 70: 3, 6: 4, 65: 5, 69: 6, 64: 7}


def open_canonical(caps, layout):
    if layout == "one" and len(caps) > 1 or layout == "ext":
        return False
    fams = list(FAMS)

    def key(i_c):
        i, c = i_c
        if c.code == 1:
            fam = c.js.get("family")
            return (0, fams.index(fam)) if fam else (1, i)
        if c.code == 128:
            return None  # folded into route refresh
        return (CAP_ORDER.get(c.code, 8), i if c.code not in CAP_ORDER else 0)
    keys = [key(x) for x in enumerate(caps)]
    return None not in keys and keys == sorted(keys)


def open_msg(my_as, hold, bgp_id, caps, layout="each", version=4):
    """RFC 4271 s4.2 OPEN.  layout: "one" = every capability in one
    Capabilities parameter (RFC 5492 s4), "each" = one parameter per
    capability, "ext" = RFC 9072 extended optional parameters."""
    if layout == "one":
        blob = b"".join(c.wire() for c in caps)
        params = u8(2) + u8(len(blob)) + blob if caps else b""
        plen = u8(len(params))
    elif layout == "each":
        params = b"".join(u8(2) + u8(len(c.wire())) + c.wire() for c in caps)
        plen = u8(len(params))
    else:  # RFC 9072 s2: 255, 255, 2-octet length; params with 2-octet lengths
        blob = b"".join(c.wire() for c in caps)
        params = u8(2) + u16(len(blob)) + blob
        plen = u8(255) + u8(255) + u16(len(params))
    body = u8(version) + u16(my_as) + u16(hold) + ip4(bgp_id) + plen + params
    wire = msg(1, body)
    asn = my_as
    for c in caps:
        if c.code == 65 and len(c.value) == 4:
            asn = struct.unpack("!I", c.value)[0]
    js = dict(hdr_expect("open", wire), version=version, my_as=my_as, asn=asn, hold_time=hold,
              bgp_id=bgp_id, capabilities=[c.js for c in caps])
    if layout == "ext":
        js["extended_parameters"] = True
    js["_canonical"] = open_canonical(caps, layout)
    return wire, js


# ---------------------------------------------------------------- other messages


def keepalive():
    wire = msg(4, b"")  # RFC 4271 s4.4: header only
    return wire, hdr_expect("keepalive", wire)


def notification(code, subcode, data=b"", shutdown=None):
    """RFC 4271 s4.5; RFC 9003 s2: Cease/2 and Cease/4 data = length octet
    plus UTF-8 shutdown communication."""
    if shutdown is not None:
        text = shutdown.encode("utf-8")
        data = u8(len(text)) + text
    wire = msg(3, u8(code) + u8(subcode) + data)
    js = dict(hdr_expect("notification", wire), code=code, subcode=subcode)
    if code in NOTIFY_CODES:
        js["code_name"] = NOTIFY_CODES[code]
    if subcode in NOTIFY_SUBCODES.get(code, {}):
        js["subcode_name"] = NOTIFY_SUBCODES[code][subcode]
    if data:
        js["data"] = hx(data)
    if shutdown is not None:
        js["shutdown_message"] = shutdown
    return wire, js


def route_refresh(fam, subtype=0):
    """RFC 2918 s3 / RFC 7313 s4: AFI, message subtype (was reserved), SAFI."""
    afi, safi = afisafi(fam)
    wire = msg(5, u16(afi) + u8(subtype) + u8(safi))
    js = dict(hdr_expect("route-refresh", wire), subtype=["normal", "begin", "end"][subtype])
    js.update(fam_js(fam))
    return wire, js


# ---------------------------------------------------------------- NLRI
# Each builder returns (bytes, json object of one NLRI).


def path_id(pid):
    """RFC 7911 s3: a 4-octet path identifier before the NLRI."""
    return (u32(pid), {"path_id": pid}) if pid is not None else (b"", {})


def nlri_prefix(p, pid=None):
    """RFC 4271 s4.3 / RFC 4760 s5: length in bits, prefix octets."""
    pb, pj = path_id(pid)
    plen, b = pfx_bytes(p)
    return pb + u8(plen) + b, dict(pj, prefix=str(ipaddress.ip_network(p)))


def label_entries(labels, bos=True):
    """RFC 8277 s2 / RFC 3032: 20-bit label, 3 bits TC, S bit on the last."""
    out = b""
    for i, lab in enumerate(labels):
        s = 1 if (bos and i == len(labels) - 1) else 0
        out += (lab << 4 | s).to_bytes(3, "big")
    return out


def nlri_labeled(p, labels, pid=None, raw_labels=None):
    """RFC 8277 s2.2: length counts label bits + prefix bits."""
    pb, pj = path_id(pid)
    lb = raw_labels if raw_labels is not None else label_entries(labels)
    plen, b = pfx_bytes(p)
    js = dict(pj, prefix=str(ipaddress.ip_network(p)))
    if raw_labels is None:
        js["labels"] = labels
    return pb + u8(len(lb) * 8 + plen) + lb + b, js


def rd_type0(asn, num):
    return u16(0) + u16(asn) + u32(num), "%d:%d" % (asn, num)  # RFC 4364 s4.2


def rd_type1(addr, num):
    return u16(1) + ip4(addr) + u16(num), "%s:%d" % (addr, num)


def rd_type2(asn, num):
    return u16(2) + u32(asn) + u16(num), "%d:%d" % (asn, num)


def nlri_vpn(p, labels, rd, pid=None, raw_labels=None):
    """RFC 4364 s4.3.4 / RFC 4659 s3.2 / RFC 8277: labels, RD, prefix."""
    pb, pj = path_id(pid)
    lb = raw_labels if raw_labels is not None else label_entries(labels)
    plen, b = pfx_bytes(p)
    js = dict(pj, prefix=str(ipaddress.ip_network(p)), rd=rd[1])
    if raw_labels is None:
        js["labels"] = labels
    return pb + u8(len(lb) * 8 + 64 + plen) + lb + rd[0] + b, js


def nlri_rtc(origin_as=None, rt=None, length=96):
    """RFC 4684 s4: length in bits (0 = default), origin AS (4), route
    target (8), cut to the length."""
    if length == 0:
        return u8(0), {"default": True}
    full = u32(origin_as) + rt[0]
    nb = (length + 7) // 8
    js = {"origin_as": origin_as, "length": length}
    if length >= 48:  # type and sub-type present: a target, zero-padded
        padded = rt[0][:nb - 4] + bytes(12 - nb)
        js["route_target"] = ecomm_text(padded)
    return u8(length) + full[:nb], js


def fs_len(n):
    """RFC 8955 s4.1: length in one octet below 240, else 0xfnnn."""
    return u8(n) if n < 240 else u16(0xF000 | n)


def nlri_flow(comps, rd=None, pid=None):
    """RFC 8955 s4.1 / s8: [length][RD][components]."""
    pb, pj = path_id(pid)
    body = (rd[0] if rd else b"") + b"".join(c[0] for c in comps)
    js = dict(pj)
    if rd:
        js["rd"] = rd[1]
    js["components"] = [c[1] for c in comps]
    return pb + fs_len(len(body)) + body, js


# ---- FlowSpec components, RFC 8955 s4.2.2 / RFC 8956 s3

FS_NAMES = {1: "destination", 2: "source", 3: "protocol", 4: "port", 5: "destination-port",
            6: "source-port", 7: "icmp-type", 8: "icmp-code", 9: "tcp-flags",
            10: "packet-length", 11: "dscp", 12: "fragment", 13: "flow-label"}
# RFC 8955 s4.2.1.1: lt gt eq bits -> operator
NUM_OPS = {"false": 0, "==": 1, ">": 2, ">=": 3, "<": 4, "<=": 5, "!=": 6, "true": 7}


def fs_prefix4(ctype, p):
    plen, b = pfx_bytes(p)
    return u8(ctype) + u8(plen) + b, {"type": FS_NAMES[ctype], "prefix": p}


def fs_prefix6(ctype, p, offset=0):
    """RFC 8956 s3.1: type, length, offset, pattern of bits [offset, length)
    padded to an octet."""
    net = ipaddress.IPv6Network(p)
    bits = int.from_bytes(net.network_address.packed, "big")
    n = net.prefixlen - offset
    nb = (n + 7) // 8
    pat = (bits >> (128 - net.prefixlen)) & ((1 << n) - 1) if n else 0
    pat <<= nb * 8 - n
    wire = u8(ctype) + u8(net.prefixlen) + u8(offset) + pat.to_bytes(nb, "big")
    return wire, {"type": FS_NAMES[ctype], "prefix": p, "offset": offset}


def val_len(v, size):
    code = {1: 0, 2: 1, 4: 2, 8: 3}[size]
    return code, v.to_bytes(size, "big")


def fs_numeric(ctype, ops):
    """RFC 8955 s4.2.1.1: ops = [(op, and, value, size)]; e-bit on the last."""
    wire, js = u8(ctype), []
    for i, (op, a, v, size) in enumerate(ops):
        code, vb = val_len(v, size)
        e = 0x80 if i == len(ops) - 1 else 0
        wire += u8(e | (0x40 if a else 0) | code << 4 | NUM_OPS[op]) + vb
        js.append({"op": op, "and": a, "value": v})
    return wire, {"type": FS_NAMES[ctype], "ops": js}


def fs_bitmask(ctype, ops):
    """RFC 8955 s4.2.1.2: ops = [(not, match, and, value, size)]."""
    wire, js = u8(ctype), []
    for i, (nt, m, a, v, size) in enumerate(ops):
        code, vb = val_len(v, size)
        e = 0x80 if i == len(ops) - 1 else 0
        wire += u8(e | (0x40 if a else 0) | code << 4 | (2 if nt else 0) | (1 if m else 0)) + vb
        name = ("not-" if nt else "") + ("match" if m else "any")
        js.append({"op": name, "and": a, "value": v})
    return wire, {"type": FS_NAMES[ctype], "ops": js}


# ---------------------------------------------------------------- communities


def ecomm_text(b):
    """Text form of an 8-byte extended community, as listed in
    src/lib/ecomm.h, computed from the RFC 4360 / RFC 8955 layouts."""
    t, st = b[0], b[1]
    if t in (0x00, 0x01, 0x02) and st in (0x02, 0x03, 0x13):
        kind = {0x02: "target", 0x03: "origin", 0x13: "rt-record"}[st]
        if t == 0x00:
            ga, la = struct.unpack("!HI", b[2:])
        elif t == 0x01:
            ga, la = str(ipaddress.IPv4Address(b[2:6])), struct.unpack("!H", b[6:])[0]
        else:
            ga, la = struct.unpack("!IH", b[2:])
        return "%s:%s:%d" % (kind, ga, la)
    if t in (0x80, 0x81, 0x82) and st == 0x08:
        if t == 0x80:
            ga, la = struct.unpack("!HI", b[2:])
        elif t == 0x81:
            ga, la = str(ipaddress.IPv4Address(b[2:6])), struct.unpack("!H", b[6:])[0]
        else:
            ga, la = struct.unpack("!IH", b[2:])
        return "redirect:%s:%d" % (ga, la)
    if t == 0x80 and st == 0x06:
        asn, rate = struct.unpack("!Hf", b[2:])
        return "traffic-rate:%d:%d" % (asn, rate)
    if t == 0x80 and st == 0x0C:
        asn, rate = struct.unpack("!Hf", b[2:])
        return "traffic-rate-packets:%d:%d" % (asn, rate)
    if t == 0x80 and st == 0x07 and b[7] <= 3:
        acts = [n for n, bit in (("terminal", 1), ("sample", 2)) if b[7] & bit]
        return "traffic-action:" + (",".join(acts) or "none")
    if t == 0x80 and st == 0x09:
        return "traffic-marking:%d" % (b[7] & 0x3F)
    if t == 0x01 and st == 0x0C:
        return "redirect-ip:%s%s" % (ipaddress.IPv4Address(b[2:6]), ":copy" if b[7] & 1 else "")
    if t == 0x08 and st == 0x00:
        return "redirect-ip-nh" + (":copy" if b[7] & 1 else "")
    if t == 0x03 and st == 0x0C:
        return "encap:%d" % struct.unpack("!H", b[6:])[0]
    if t == 0x03 and st == 0x14 and b[6:] == bytes(2):
        return "chash-order:%d" % struct.unpack("!I", b[2:6])[0]
    if t == 0x03 and st == 0xAA:
        flags = [n for n, octet, mask in LB_FLAGS if b[octet] & mask]
        return "load-balance:" + (",".join(flags) or "none")
    return "raw:" + hx(b)


# draft-ietf-bess-service-chaining-06 s10.3 Load Balance Settings: octet 2
# holds s d c p P (L3 source / destination, L4 protocol, source / destination
# port), octet 5 the B (source bias) bit, as the draft's figure draws them.
LB_FLAGS = (("src-ip", 2, 0x80), ("dst-ip", 2, 0x40), ("proto", 2, 0x20),
            ("src-port", 2, 0x10), ("dst-port", 2, 0x08), ("source-bias", 5, 0x80))


def ec_load_balance(names):
    b = bytearray([0x03, 0xAA, 0, 0, 0, 0, 0, 0])
    for n, octet, mask in LB_FLAGS:
        if n in names:
            b[octet] |= mask
    return bytes(b)


def ec_chash_order(order):
    """draft-ietf-bess-service-chaining-06 s10.2: 4-octet sort order, 2
    reserved octets."""
    return u8(0x03) + u8(0x14) + u32(order) + u16(0)


def ec_redirect_ip(addr, copy):
    """draft-ietf-idr-flowspec-redirect-ip-02 s3: type 0x01 sub-type 0x0c,
    target address, C (copy) in the least significant bit."""
    return u8(0x01) + u8(0x0C) + ip4(addr) + u16(1 if copy else 0)


def ec_redirect_ip_nh(copy):
    """The older redirect-to-IP community (0x08 0x00): the target is the
    route's next hop; only the C flag is carried."""
    return u8(0x08) + u8(0x00) + bytes(5) + u8(1 if copy else 0)


def ec_as2(st, asn, num, t=0x00):
    return u8(t) + u8(st) + u16(asn) + u32(num)


def ec_ip4(st, addr, num, t=0x01):
    return u8(t) + u8(st) + ip4(addr) + u16(num)


def ec_as4(st, asn, num, t=0x02):
    return u8(t) + u8(st) + u32(asn) + u16(num)


def rt(asn_or_ip, num):
    """A route target of the form its global administrator needs (RFC 4360
    s4 type 0x00 / 0x01, RFC 5668 type 0x02)."""
    if isinstance(asn_or_ip, str):
        b = ec_ip4(0x02, asn_or_ip, num)
    elif asn_or_ip > 0xFFFF:
        b = ec_as4(0x02, asn_or_ip, num)
    else:
        b = ec_as2(0x02, asn_or_ip, num)
    return b, ecomm_text(b)


def ec_traffic_rate(asn, rate, st=0x06):
    """RFC 8955 s7.1 (bytes/s, sub-type 0x06) and s7.2 (packets/s, 0x0c):
    2-octet id, IEEE 754 single-precision rate."""
    return u8(0x80) + u8(st) + u16(asn) + struct.pack("!f", rate)


def ec_traffic_action(terminal, sample):
    return u8(0x80) + u8(0x07) + bytes(5) + u8((2 if sample else 0) | (1 if terminal else 0))


def ec_traffic_marking(dscp):
    return u8(0x80) + u8(0x09) + bytes(5) + u8(dscp)  # RFC 8955 s7.5


def ec_encap(tunnel_type):
    return u8(0x03) + u8(0x0C) + bytes(4) + u16(tunnel_type)  # RFC 9012 s4.1


WELL_KNOWN_COMMS = {0xFFFFFF01: "no-export", 0xFFFFFF02: "no-advertise",
                    0xFFFFFF03: "no-export-subconfed", 0xFFFFFF04: "no-peer",
                    0xFFFF0000: "graceful-shutdown", 0xFFFF029A: "blackhole"}


def comm_text(c):
    return WELL_KNOWN_COMMS.get(c, "%d:%d" % (c >> 16, c & 0xFFFF))


# ---------------------------------------------------------------- attributes
# Each builder returns Attr(wire, where, key, value): the JSON goes into
# "attributes" (where == "a") or at the top of the UPDATE object ("top").


class Attr:
    def __init__(self, wire, where, key, value):
        self.wire, self.where, self.key, self.value = wire, where, key, value


def attr_hdr(flags, code, val, ext=None):
    """RFC 4271 s4.3: flags, type, 1- or 2-octet length (Extended Length bit
    0x10); ext=None picks the 2-octet form exactly when needed."""
    if ext is None:
        ext = len(val) > 255
    if ext:
        return u8(flags | 0x10) + u8(code) + u16(len(val)) + val
    return u8(flags & ~0x10) + u8(code) + u8(len(val)) + val


def a_origin(v):
    return Attr(attr_hdr(0x40, 1, u8(v)), "a", "origin", ["igp", "egp", "incomplete"][v])


def aspath_bytes(segs, as4):
    """RFC 4271 s4.3 / RFC 6793: (type, count, ASNs of 2 or 4 octets)."""
    out = b""
    for st, asns in segs:
        out += u8(st) + u8(len(asns)) + b"".join(u32(a) if as4 else u16(a) for a in asns)
    return out


def aspath_text(segs):
    parts = []
    for st, asns in segs:
        s = [str(a) for a in asns]
        if st == 2:
            parts.append(" ".join(s))
        elif st == 1:
            parts.append("{" + ",".join(s) + "}")
        elif st == 3:
            parts.append("(" + " ".join(s) + ")")
    return " ".join(parts)


SEQ, SET, CSEQ = 2, 1, 3


def a_aspath(segs, as4=True):
    return Attr(attr_hdr(0x40, 2, aspath_bytes(segs, as4)), "a", "as_path", aspath_text(segs))


def a_as4path(segs):
    return Attr(attr_hdr(0xC0, 17, aspath_bytes(segs, True)), "a", "as4_path", aspath_text(segs))


def a_nexthop(addr):
    return Attr(attr_hdr(0x40, 3, ip4(addr)), "a", "next_hop", addr)


def a_med(v):
    return Attr(attr_hdr(0x80, 4, u32(v)), "a", "med", v)


def a_localpref(v):
    return Attr(attr_hdr(0x40, 5, u32(v)), "a", "local_pref", v)


def a_atomic():
    return Attr(attr_hdr(0x40, 6, b""), "a", "atomic_aggregate", True)


def a_aggregator(asn, addr, as4=True):
    val = (u32(asn) if as4 else u16(asn)) + ip4(addr)
    return Attr(attr_hdr(0xC0, 7, val), "a", "aggregator", {"as": asn, "address": addr})


def a_as4aggregator(asn, addr):
    return Attr(attr_hdr(0xC0, 18, u32(asn) + ip4(addr)), "a", "as4_aggregator",
                {"as": asn, "address": addr})


def a_communities(comms):
    return Attr(attr_hdr(0xC0, 8, b"".join(u32(c) for c in comms)), "a", "communities",
                [comm_text(c) for c in comms])


def a_originator(addr):
    return Attr(attr_hdr(0x80, 9, ip4(addr)), "a", "originator_id", addr)


def a_cluster_list(ids):
    return Attr(attr_hdr(0x80, 10, b"".join(ip4(i) for i in ids)), "a", "cluster_list", ids)


def a_ext_communities(ecs):
    return Attr(attr_hdr(0xC0, 16, b"".join(ecs)), "a", "ext_communities",
                [ecomm_text(e) for e in ecs])


def a_ipv6_ext_communities(entries):
    """RFC 5701 s2: type, sub-type, IPv6 global admin (16), local admin (2)."""
    val, texts = b"", []
    for kind, addr, num in entries:
        st = {"target6": 0x02, "origin6": 0x03}[kind]
        val += u8(0x00) + u8(st) + ip6(addr) + u16(num)
        texts.append("%s:[%s]:%d" % (kind, ipaddress.IPv6Address(addr), num))
    return Attr(attr_hdr(0xC0, 25, val), "a", "ipv6_ext_communities", texts)


def a_large_communities(lcs):
    """RFC 8092 s3: global admin, local data 1, local data 2 (4 octets each)."""
    val = b"".join(u32(g) + u32(a) + u32(b) for g, a, b in lcs)
    return Attr(attr_hdr(0xC0, 32, val), "a", "large_communities",
                ["%d:%d:%d" % lc for lc in lcs])


def a_unknown(flags, code, val):
    return Attr(attr_hdr(flags, code, val), "a", "unknown",
                [{"type": code, "flags": flags, "hex": hx(val)}])


def mp_nexthop(fam, nh, ll=None):
    """RFC 4760 s3 next hop; RFC 4364 s4.3.2 / RFC 4659 s3.2.1: VPN next
    hops are an RD of zeros plus the address; RFC 2545 s3: IPv6 global plus
    link-local (32 octets)."""
    if nh is None:
        return b""
    vpn = afisafi(fam)[1] == 128
    b = (bytes(8) if vpn else b"") + ipb(nh)
    if ll:
        b += (bytes(8) if vpn else b"") + ipb(ll)
    return b


def a_mp_reach(fam, nh, nlris, ll=None, ext=None):
    """RFC 4760 s3: AFI, SAFI, next-hop length and next hop, reserved, NLRI."""
    afi, safi = afisafi(fam)
    nhb = mp_nexthop(fam, nh, ll)
    val = u16(afi) + u8(safi) + u8(len(nhb)) + nhb + u8(0) + b"".join(n[0] for n in nlris)
    js = fam_js(fam)
    if nh is not None:
        js["next_hop"] = str(ipaddress.ip_address(nh))
    if ll:
        js["next_hop_link_local"] = str(ipaddress.ip_address(ll))
    js["nlri"] = [n[1] for n in nlris]
    return Attr(attr_hdr(0x80, 14, val, ext), "top", "mp_reach", js)


def a_mp_unreach(fam, nlris, ext=None):
    """RFC 4760 s4: AFI, SAFI, withdrawn routes."""
    afi, safi = afisafi(fam)
    val = u16(afi) + u8(safi) + b"".join(n[0] for n in nlris)
    js = dict(fam_js(fam), withdrawn=[n[1] for n in nlris])
    return Attr(attr_hdr(0x80, 15, val, ext), "top", "mp_unreach", js)


def raw_attr(wire):
    """An attribute given as bytes (malformed ones); nothing expected."""
    return Attr(wire, None, None, None)


# ---------------------------------------------------------------- UPDATE


def update(withdrawn=(), attrs=(), nlri=(), wd_raw=None, attrs_raw=None, nlri_raw=None,
           keep_order=False):
    """RFC 4271 s4.3: withdrawn routes length and routes, total path
    attribute length and attributes, NLRI.  Attributes go in ascending type
    order (the canonical order, update.h) unless keep_order."""
    if not keep_order:
        attrs = sorted(attrs, key=lambda a: a.wire[1])
    wd = wd_raw if wd_raw is not None else b"".join(n[0] for n in withdrawn)
    ab = attrs_raw if attrs_raw is not None else b"".join(a.wire for a in attrs)
    nb = nlri_raw if nlri_raw is not None else b"".join(n[0] for n in nlri)
    wire = msg(2, u16(len(wd)) + wd + u16(len(ab)) + ab + nb)
    js = hdr_expect("update", wire)
    if withdrawn:
        js["withdrawn"] = [n[1] for n in withdrawn]
    at = {}
    for a in attrs:
        if a.where == "a":
            if a.key == "unknown":
                at.setdefault("unknown", []).extend(a.value)
            else:
                at[a.key] = a.value
        elif a.where == "top":
            js[a.key] = a.value
    if at:
        js["attributes"] = at
    if nlri:
        js["nlri"] = [n[1] for n in nlri]
    return wire, js


def base_attrs(nh="192.0.2.1", path=((SEQ, (65001,)),), as4=True, origin=0):
    """ORIGIN, AS_PATH and (for IPv4 NLRI) NEXT_HOP: RFC 4271 s5 mandatory."""
    out = [a_origin(origin), a_aspath(list(path), as4)]
    if nh:
        out.append(a_nexthop(nh))
    return out


# ---------------------------------------------------------------- registry

VECTORS = []


def vec(name, description, ref, built, canonical=None, params=None, expect=None, drop=()):
    """Register one vector.  built = (wire, json) from a message builder;
    expect overrides it (malformed vectors); drop removes keys whose value the
    description does not fix."""
    wire, js = built
    implied = js.pop("_canonical", True)
    canonical = implied if canonical is None else canonical
    if expect is not None:
        js = dict(hdr_expect(js["type"], wire), **expect) if "type" in js else expect
    for k in drop:
        js.pop(k, None)
    v = {"description": description, "ref": ref}
    if params:
        v["params"] = params
    v.update({"hex": hx(wire), "canonical": canonical, "expect": js})
    VECTORS.append((name, v))


def bad(name, description, ref, wire, action, err, code=None, subcode=None, attribute=None,
        discarded=None, params=None, extra=None):
    """A malformed message: the expected verdict (RFC 7606 s2 action, and the
    NOTIFICATION for a session reset)."""
    if isinstance(action, list):  # the RFC leaves a choice; docs/rfc7606.md makes it
        assert ERR_ACTIONS[err] in action, name
        action = ERR_ACTIONS[err]
    vd = {"action": action}
    if ERR_NAMES.get(err):
        vd["error"] = ERR_NAMES[err]
    if code is not None:
        vd["code"] = code
    if subcode is not None:
        vd["subcode"] = subcode
    if attribute is not None:
        vd["attribute"] = attribute
    if discarded is not None:
        vd["discarded"] = discarded
    if action == "afi-safi-disable" and extra and "family" in extra:
        vd["family"] = extra.pop("family")
    exp = {"verdict": vd}
    if extra:
        exp.update(extra)
    v = {"description": description, "ref": ref}
    if params:
        v["params"] = params
    v.update({"hex": hx(wire), "canonical": False, "expect": exp, "error_id": err})
    VECTORS.append((name, v))


# ================================================================ the vectors

RD0 = rd_type0(65000, 1)
RD1 = rd_type1("192.0.2.1", 7)
RD2 = rd_type2(4200000000, 1)
NO_AS4 = {"as4": False}


def vectors_open():
    vec("open-minimal", "OPEN without optional parameters", "RFC 4271 s4.2",
        open_msg(65001, 180, "192.0.2.1", []))
    vec("open-hold-zero", "OPEN with hold time 0 (no keepalives)", "RFC 4271 s4.2",
        open_msg(65001, 0, "192.0.2.1", [cap_as4(65001)]))
    vec("open-hold-three", "OPEN with the smallest non-zero hold time", "RFC 4271 s6.2",
        open_msg(65001, 3, "192.0.2.1", [cap_as4(65001)]))
    vec("open-mp-ipv4", "OPEN: multiprotocol IPv4 unicast and 4-octet AS", "RFC 4760 s8",
        open_msg(65001, 90, "192.0.2.1", [cap_mp("ipv4-unicast"), cap_as4(65001)]))
    for fam in FAMS:
        vec("open-mp-" + fam, "OPEN: multiprotocol capability for " + fam,
            "RFC 4760 s8; RFC 5492 s4",
            open_msg(65002, 90, "192.0.2.2", [cap_mp(fam), cap_rr(), cap_as4(65002)]))
    vec("open-mp-unknown-family", "OPEN: multiprotocol capability for AFI 25 SAFI 70 (EVPN), "
        "which the project does not speak", "RFC 4760 s8",
        open_msg(65001, 90, "192.0.2.1", [cap_mp((25, 70)), cap_as4(65001)]))
    vec("open-as4-trans", "OPEN from a 4-octet AS: my_as is AS_TRANS", "RFC 6793 s3",
        open_msg(23456, 90, "192.0.2.1", [cap_mp("ipv4-vpn"), cap_as4(4200000001)]))
    vec("open-route-refresh-all", "OPEN: route refresh, old route refresh, enhanced route "
        "refresh, extended message", "RFC 2918 s2; RFC 7313 s3; RFC 8654 s3",
        open_msg(65001, 90, "192.0.2.1",
                 [cap_rr(), cap_rr_old(), cap_enh_rr(), cap_ext_msg(), cap_as4(65001)]))
    vec("open-addpath", "OPEN: ADD-PATH send/receive per family", "RFC 7911 s4",
        open_msg(65001, 90, "192.0.2.1",
                 [cap_mp("ipv4-unicast"), cap_mp("ipv6-unicast"), cap_as4(65001),
                  cap_addpath([("ipv4-unicast", True, True), ("ipv6-unicast", False, True),
                               ("ipv4-vpn", True, False)])]))
    vec("open-graceful-restart", "OPEN: graceful restart, restarting, two families with and "
        "without forwarding state", "RFC 4724 s3",
        open_msg(65001, 90, "192.0.2.1",
                 [cap_as4(65001),
                  cap_gr(120, True, False, [("ipv4-unicast", True), ("ipv4-vpn", False)])]))
    vec("open-graceful-restart-n", "OPEN: graceful restart with the N bit (notification)",
        "RFC 4724 s3; RFC 8538 s2",
        open_msg(65001, 90, "192.0.2.1",
                 [cap_as4(65001), cap_gr(300, False, True, [("ipv6-vpn", True)])]))
    vec("open-graceful-restart-helper", "OPEN: graceful restart helper only (no families)",
        "RFC 4724 s3", open_msg(65001, 90, "192.0.2.1", [cap_gr(0, False, False, [])]))
    vec("open-extended-nexthop", "OPEN: extended next hop (IPv4 NLRI over IPv6 next hop)",
        "RFC 8950 s3", open_msg(65001, 90, "192.0.2.1",
                                [cap_ext_nh([(1, 1, 2), (1, 128, 2)]), cap_as4(65001)]))
    vec("open-unknown-capability", "OPEN: unknown capability 73 (FQDN) kept as hex",
        "RFC 5492 s4", open_msg(65001, 90, "192.0.2.1",
                                [cap_as4(65001), cap_unknown(73, b"\x04host\x00")]))
    vec("open-caps-one-param", "OPEN: every capability in one optional parameter",
        "RFC 5492 s4", open_msg(65001, 90, "192.0.2.1",
                                [cap_mp("ipv4-unicast"), cap_mp("ipv4-vpn"), cap_rr(),
                                 cap_as4(65001)], layout="one"))
    vec("open-caps-unordered", "OPEN: capabilities in another order than the canonical "
        "one", "RFC 5492 s4", open_msg(65001, 90, "192.0.2.1",
                                       [cap_as4(65001), cap_rr(), cap_mp("ipv4-vpn"),
                                        cap_mp("ipv4-unicast")]))
    vec("open-extended-params", "OPEN with RFC 9072 extended optional parameters",
        "RFC 9072 s2", open_msg(65001, 90, "192.0.2.1",
                                [cap_mp("ipv4-unicast"), cap_as4(65001)], layout="ext"))
    big = [cap_mp(f) for f in FAMS] + [cap_rr(), cap_enh_rr(), cap_as4(4200000002),
                                       cap_addpath([(f, True, True) for f in FAMS])]
    vec("open-everything", "OPEN: every family, ADD-PATH for all, 4-octet AS",
        "RFC 5492 s4; RFC 7911 s4", open_msg(23456, 240, "198.51.100.1", big))


def vectors_small():
    vec("keepalive", "KEEPALIVE", "RFC 4271 s4.4", keepalive())
    vec("notification-hold-timer", "NOTIFICATION hold timer expired", "RFC 4271 s4.5",
        notification(4, 0))
    vec("notification-header-bad-length", "NOTIFICATION message header error, bad length, "
        "data = the length", "RFC 4271 s6.1", notification(1, 2, u16(18)))
    vec("notification-open-bad-peer-as", "NOTIFICATION OPEN error bad peer AS",
        "RFC 4271 s6.2", notification(2, 2))
    vec("notification-unsupported-capability", "NOTIFICATION OPEN error unsupported "
        "capability, data = the capability", "RFC 5492 s5",
        notification(2, 7, u8(69) + u8(4) + u16(1) + u8(1) + u8(3)))
    vec("notification-update-malformed-aspath", "NOTIFICATION UPDATE error malformed "
        "AS_PATH", "RFC 4271 s6.3", notification(3, 11))
    vec("notification-update-attr-length", "NOTIFICATION UPDATE error attribute length, "
        "data = the attribute", "RFC 4271 s6.3",
        notification(3, 5, bytes.fromhex("40010200")))
    vec("notification-fsm", "NOTIFICATION finite state machine error", "RFC 4271 s6.6",
        notification(5, 0))
    vec("notification-cease-max-prefix", "NOTIFICATION cease, maximum number of prefixes "
        "reached, data = AFI, SAFI, limit", "RFC 4486 s4",
        notification(6, 1, u16(1) + u8(128) + u32(1000)))
    vec("notification-cease-shutdown", "NOTIFICATION cease, administrative shutdown with a "
        "shutdown communication", "RFC 9003 s2",
        notification(6, 2, shutdown="maintenance window 42"))
    vec("notification-cease-shutdown-utf8", "NOTIFICATION cease, administrative shutdown, "
        "UTF-8 message", "RFC 9003 s2",
        notification(6, 2, shutdown="Wartung \u00fcber Nacht"))
    vec("notification-cease-reset", "NOTIFICATION cease, administrative reset with a "
        "shutdown communication", "RFC 9003 s2",
        notification(6, 4, shutdown="config change"))
    vec("notification-cease-shutdown-empty", "NOTIFICATION cease, administrative shutdown "
        "without data", "RFC 4486 s4", notification(6, 2))
    for sub in (3, 5, 6, 7, 8):
        vec("notification-cease-%d" % sub, "NOTIFICATION cease subcode %d (%s)"
            % (sub, NOTIFY_SUBCODES[6][sub]), "RFC 4486 s4", notification(6, sub))
    vec("notification-cease-hard-reset", "NOTIFICATION cease hard reset", "RFC 8538 s5",
        notification(6, 9, bytes([6, 2])))
    vec("notification-route-refresh", "NOTIFICATION route refresh invalid message length, "
        "data = the message", "RFC 7313 s5",
        notification(7, 1, msg(5, u16(1) + u8(1) + u8(1) + u8(0))))
    vec("route-refresh-ipv4", "ROUTE-REFRESH ipv4-unicast", "RFC 2918 s3",
        route_refresh("ipv4-unicast"))
    vec("route-refresh-vpnv6", "ROUTE-REFRESH ipv6-vpn", "RFC 2918 s3",
        route_refresh("ipv6-vpn"))
    vec("route-refresh-borr", "ROUTE-REFRESH beginning of route refresh (ipv4-vpn)",
        "RFC 7313 s4", route_refresh("ipv4-vpn", 1))
    vec("route-refresh-eorr", "ROUTE-REFRESH end of route refresh (ipv4-vpn)",
        "RFC 7313 s4", route_refresh("ipv4-vpn", 2))
    vec("route-refresh-rtc", "ROUTE-REFRESH rtc", "RFC 2918 s3", route_refresh("rtc"))
    vec("route-refresh-unknown-family", "ROUTE-REFRESH for AFI 25 SAFI 70", "RFC 2918 s3",
        route_refresh((25, 70)))


def vectors_ipv4():
    p1, p2 = nlri_prefix("192.0.2.0/24"), nlri_prefix("198.51.100.0/25")
    vec("update-ipv4-basic", "UPDATE: one IPv4 prefix, ORIGIN, AS_PATH, NEXT_HOP",
        "RFC 4271 s4.3", update(attrs=base_attrs(), nlri=[p1]))
    vec("update-ipv4-two-prefixes", "UPDATE: two IPv4 prefixes of different lengths",
        "RFC 4271 s4.3", update(attrs=base_attrs(), nlri=[p1, p2]))
    vec("update-ipv4-prefix-lengths", "UPDATE: prefixes /0, /8, /17, /32",
        "RFC 4271 s4.3",
        update(attrs=base_attrs(), nlri=[nlri_prefix(p) for p in
                                         ("0.0.0.0/0", "198.0.0.0/8", "198.18.128.0/17",
                                          "203.0.113.9/32")]))
    vec("update-ipv4-withdraw", "UPDATE: IPv4 withdrawn routes only", "RFC 4271 s4.3",
        update(withdrawn=[p1, nlri_prefix("203.0.113.128/25")]))
    vec("update-ipv4-withdraw-and-announce", "UPDATE: withdraw one, announce another",
        "RFC 4271 s4.3", update(withdrawn=[p2], attrs=base_attrs(), nlri=[p1]))
    for o in (1, 2):
        vec("update-origin-%s" % ["igp", "egp", "incomplete"][o], "UPDATE: ORIGIN %d" % o,
            "RFC 4271 s5.1.1", update(attrs=base_attrs(origin=o), nlri=[p1]))
    vec("update-all-wellknown", "UPDATE: MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR",
        "RFC 4271 s5.1", update(attrs=base_attrs() + [a_med(50), a_localpref(200), a_atomic(),
                                                      a_aggregator(65001, "192.0.2.9")],
                                nlri=[p1]), params={"ibgp": True})
    vec("update-aspath-set", "UPDATE: AS_PATH with an AS_SET", "RFC 4271 s4.3",
        update(attrs=base_attrs(path=[(SEQ, (65001, 65002)), (SET, (65003, 65004))]),
               nlri=[p1]))
    vec("update-aspath-confed", "UPDATE: AS_PATH with an AS_CONFED_SEQUENCE",
        "RFC 5065 s3", update(attrs=base_attrs(path=[(CSEQ, (65005, 65006)),
                                                     (SEQ, (65001,))]), nlri=[p1]))
    vec("update-aspath-empty", "UPDATE: empty AS_PATH (iBGP-originated)", "RFC 4271 s5.1.2",
        update(attrs=base_attrs(path=()) + [a_localpref(100)], nlri=[p1]),
        params={"ibgp": True})
    vec("update-aspath-as4", "UPDATE: 4-octet ASNs in AS_PATH", "RFC 6793 s4.1",
        update(attrs=base_attrs(path=[(SEQ, (4200000001, 65001, 4200000002))]), nlri=[p1]))
    long = [(SEQ, tuple(range(64512, 64512 + 255))), (SEQ, (65010,))]
    vec("update-aspath-long", "UPDATE: AS_PATH of 256 ASNs in two segments (extended length)",
        "RFC 4271 s4.3", update(attrs=base_attrs(path=long), nlri=[p1]))
    vec("update-as2-session", "UPDATE on a 2-octet AS session: AS_TRANS in AS_PATH, "
        "AS4_PATH and AS4_AGGREGATOR", "RFC 6793 s4.2.2",
        update(attrs=[a_origin(0), a_aspath([(SEQ, (65001, 23456))], as4=False),
                      a_nexthop("192.0.2.1"), a_aggregator(23456, "192.0.2.9", as4=False),
                      a_as4path([(SEQ, (65001, 4200000001))]),
                      a_as4aggregator(4200000001, "192.0.2.9")], nlri=[p1]),
        params=NO_AS4)
    vec("update-as2-session-plain", "UPDATE on a 2-octet AS session without AS4 attributes",
        "RFC 6793 s4.2.2", update(attrs=base_attrs(path=[(SEQ, (65001, 65002))], as4=False),
                                  nlri=[p1]), params=NO_AS4)
    vec("update-communities", "UPDATE: COMMUNITIES, plain and every well-known one",
        "RFC 1997; RFC 3765; RFC 7999; RFC 8326",
        update(attrs=base_attrs() + [a_communities([65000 << 16 | 1, 65001 << 16 | 100]
                                                   + sorted(WELL_KNOWN_COMMS))], nlri=[p1]))
    vec("update-rr-attrs", "UPDATE: ORIGINATOR_ID and CLUSTER_LIST", "RFC 4456 s8",
        update(attrs=base_attrs() + [a_localpref(100), a_originator("192.0.2.7"),
                                     a_cluster_list(["192.0.2.100", "198.51.100.100"])],
               nlri=[p1]), params={"ibgp": True})
    vec("update-large-communities", "UPDATE: LARGE_COMMUNITIES", "RFC 8092 s3",
        update(attrs=base_attrs() + [a_large_communities([(4200000000, 1, 2),
                                                          (65000, 0, 4294967295)])],
               nlri=[p1]))
    vec("update-unknown-optional", "UPDATE: an unknown optional transitive attribute is "
        "kept verbatim", "RFC 4271 s5",
        update(attrs=base_attrs() + [a_unknown(0xC0, 99, bytes.fromhex("deadbeef"))],
               nlri=[p1]))
    vec("update-unknown-partial", "UPDATE: unknown optional transitive attribute with the "
        "Partial bit", "RFC 4271 s4.3",
        update(attrs=base_attrs() + [a_unknown(0xE0, 240, bytes.fromhex("0102"))], nlri=[p1]))
    vec("update-unknown-nontransitive", "UPDATE: unknown optional non-transitive attribute",
        "RFC 4271 s5", update(attrs=base_attrs() + [a_unknown(0x80, 241, b"\x00")],
                              nlri=[p1]))
    vec("update-ext-length-short", "UPDATE: extended length on a short attribute (legal, "
        "not canonical)", "RFC 4271 s4.3",
        update(attrs=[a_origin(0), Attr(attr_hdr(0x40, 2, aspath_bytes([(SEQ, (65001,))],
                                                                        True), ext=True),
                                        "a", "as_path", "65001"),
                      a_nexthop("192.0.2.1")], nlri=[p1]), canonical=False)
    vec("update-attrs-unordered", "UPDATE: attributes not in type order (legal, not "
        "canonical)", "RFC 4271 s5",
        update(attrs=[a_nexthop("192.0.2.1"), a_aspath([(SEQ, (65001,))]), a_origin(0)],
               nlri=[p1], keep_order=True), canonical=False)
    vec("update-eor-ipv4", "End-of-RIB for ipv4-unicast: an empty UPDATE", "RFC 4724 s2",
        update(), expect={"end_of_rib": "ipv4-unicast"})


def ext_comm_vectors():
    p1 = nlri_prefix("192.0.2.0/24")
    groups = [
        ("rt-as2", "route target, 2-octet AS", "RFC 4360 s4",
         [rt(65000, 1), rt(65001, 4294967295)]),
        ("rt-ipv4", "route target, IPv4 address", "RFC 4360 s4", [rt("192.0.2.1", 7)]),
        ("rt-as4", "route target, 4-octet AS", "RFC 5668 s3", [rt(4200000000, 1)]),
        ("origin", "route origin of the three forms", "RFC 4360 s5",
         [ec_as2(0x03, 65000, 1), ec_ip4(0x03, "192.0.2.1", 7), ec_as4(0x03, 4200000000, 1)]),
        ("rt-record", "RT-Record of the three forms",
         "draft-ietf-bess-service-chaining-06 s10.1",
         [ec_as2(0x13, 65000, 1), ec_ip4(0x13, "192.0.2.1", 7), ec_as4(0x13, 4200000000, 1)]),
        ("encap", "encapsulation MPLS-in-UDP", "RFC 9012 s4.1", [ec_encap(13)]),
        ("chash-order", "consistent hash sort order", "draft-ietf-bess-service-chaining-06 "
         "s10.2", [ec_chash_order(7), ec_chash_order(4294967295)]),
        ("load-balance", "load-balance settings: all, two flags, source bias only, none",
         "draft-ietf-bess-service-chaining-06 s10.3",
         [ec_load_balance([n for n, _, _ in LB_FLAGS]), ec_load_balance(["src-ip", "dst-port"]),
          ec_load_balance(["source-bias"]), ec_load_balance([])]),
        ("raw", "an extended community without a text form", "RFC 4360 s3",
         [bytes.fromhex("4300000000000001")]),
    ]
    for name, what, ref, ecs in groups:
        ecs = [e[0] if isinstance(e, tuple) else e for e in ecs]
        vec("update-ecomm-" + name, "UPDATE: EXT_COMMUNITIES " + what, ref,
            update(attrs=base_attrs() + [a_ext_communities(ecs)], nlri=[p1]))
    vec("update-ipv6-ecomm", "UPDATE: IPV6_EXT_COMMUNITIES target and origin",
        "RFC 5701 s2", update(attrs=base_attrs() + [a_ipv6_ext_communities(
            [("target6", "2001:db8::1", 7), ("origin6", "2001:db8:1::2", 65535)])],
            nlri=[p1]))



def mp_base(ibgp=False):
    """Attributes of an MP-only UPDATE: ORIGIN and AS_PATH, no NEXT_HOP
    (RFC 4760 s3: not needed without IPv4 NLRI)."""
    out = [a_origin(0), a_aspath([] if ibgp else [(SEQ, (65001,))])]
    return out + [a_localpref(100)] if ibgp else out


def vectors_mp():
    v6 = [nlri_prefix("2001:db8::/32"), nlri_prefix("2001:db8:1:2::/64")]
    vec("update-ipv6-unicast", "UPDATE: MP_REACH ipv6-unicast, global next hop",
        "RFC 4760 s3; RFC 2545 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv6-unicast", "2001:db8::1", v6)]))
    vec("update-ipv6-unicast-ll", "UPDATE: MP_REACH ipv6-unicast, global and link-local "
        "next hop", "RFC 2545 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv6-unicast", "2001:db8::1", v6[:1],
                                             ll="fe80::1")]))
    vec("update-ipv6-prefix-lengths", "UPDATE: IPv6 prefixes /0, /48, /127, /128",
        "RFC 4760 s5",
        update(attrs=mp_base() + [a_mp_reach("ipv6-unicast", "2001:db8::1",
                                             [nlri_prefix(p) for p in
                                              ("::/0", "2001:db8:abcd::/48",
                                               "2001:db8::fffe/127", "2001:db8::5/128")])]))
    vec("update-ipv6-withdraw", "UPDATE: MP_UNREACH ipv6-unicast", "RFC 4760 s4",
        update(attrs=[a_mp_unreach("ipv6-unicast", v6)]))
    vec("update-ipv4-mp", "UPDATE: IPv4 unicast carried in MP_REACH", "RFC 4760 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv4-unicast", "192.0.2.1",
                                             [nlri_prefix("203.0.113.0/24")])]))
    # labeled unicast, RFC 8277
    vec("update-ipv4-lu", "UPDATE: ipv4-labeled-unicast, one label", "RFC 8277 s2.2",
        update(attrs=mp_base() + [a_mp_reach("ipv4-labeled-unicast", "192.0.2.1",
                                             [nlri_labeled("198.51.100.0/24", [100])])]))
    vec("update-ipv4-lu-stack", "UPDATE: ipv4-labeled-unicast, label stack of three "
        "(multiple labels capability)", "RFC 8277 s2.1",
        update(attrs=mp_base() + [a_mp_reach("ipv4-labeled-unicast", "192.0.2.1",
                                             [nlri_labeled("198.51.100.0/24",
                                                           [100, 200, 1048575])])]))
    vec("update-ipv4-lu-implicit-null", "UPDATE: ipv4-labeled-unicast, implicit null "
        "label 3", "RFC 8277 s2.2; RFC 3032 s2.1",
        update(attrs=mp_base() + [a_mp_reach("ipv4-labeled-unicast", "192.0.2.1",
                                             [nlri_labeled("192.0.2.1/32", [3])])]))
    vec("update-ipv6-lu", "UPDATE: ipv6-labeled-unicast", "RFC 8277 s2.2",
        update(attrs=mp_base() + [a_mp_reach("ipv6-labeled-unicast", "2001:db8::1",
                                             [nlri_labeled("2001:db8:5::/48", [16])])]))
    vec("update-ipv4-lu-withdraw", "UPDATE: ipv4-labeled-unicast withdraw with label "
        "0x800000", "RFC 8277 s2.4",
        update(attrs=[a_mp_unreach("ipv4-labeled-unicast",
                                   [nlri_labeled("198.51.100.0/24", None,
                                                 raw_labels=u8(0x80) + bytes(2))])]))
    vec("update-ipv4-lu-withdraw-zero", "UPDATE: ipv4-labeled-unicast withdraw with label "
        "field 0x000000 (accepted, re-encoded as 0x800000)", "RFC 8277 s2.4",
        update(attrs=[a_mp_unreach("ipv4-labeled-unicast",
                                   [nlri_labeled("198.51.100.0/24", None,
                                                 raw_labels=bytes(3))])]), canonical=False)
    # VPN, RFC 4364 / RFC 4659
    vec("update-vpnv4-rd0", "UPDATE: ipv4-vpn, RD type 0, route target", "RFC 4364 s4.3.4",
        update(attrs=mp_base() + [a_ext_communities([rt(65000, 1)[0]]),
                                  a_mp_reach("ipv4-vpn", "192.0.2.1",
                                             [nlri_vpn("198.51.100.0/24", [100], RD0)])]))
    vec("update-vpnv4-rd1", "UPDATE: ipv4-vpn, RD type 1", "RFC 4364 s4.2",
        update(attrs=mp_base() + [a_ext_communities([rt("192.0.2.1", 7)[0]]),
                                  a_mp_reach("ipv4-vpn", "192.0.2.1",
                                             [nlri_vpn("198.51.100.0/24", [101], RD1)])]))
    vec("update-vpnv4-rd2", "UPDATE: ipv4-vpn, RD type 2", "RFC 4364 s4.2",
        update(attrs=mp_base() + [a_ext_communities([rt(4200000000, 1)[0]]),
                                  a_mp_reach("ipv4-vpn", "192.0.2.1",
                                             [nlri_vpn("198.51.100.0/24", [102], RD2)])]))
    vec("update-vpnv4-stack", "UPDATE: ipv4-vpn with a two-label stack",
        "RFC 8277 s2.1; RFC 4364 s4.3.4",
        update(attrs=mp_base() + [a_mp_reach("ipv4-vpn", "192.0.2.1",
                                             [nlri_vpn("203.0.113.0/24", [16, 1000], RD0)])]))
    vec("update-vpnv4-many", "UPDATE: ipv4-vpn, several NLRI and RTs of all three forms, "
        "iBGP", "RFC 4364 s4.3.4",
        update(attrs=mp_base(ibgp=True) + [
            a_ext_communities([rt(65000, 1)[0], rt("192.0.2.1", 7)[0], rt(4200000000, 1)[0]]),
            a_mp_reach("ipv4-vpn", "198.18.0.1",
                       [nlri_vpn("198.51.100.0/24", [100], RD0),
                        nlri_vpn("198.51.100.128/25", [100], RD0),
                        nlri_vpn("192.0.2.0/32", [200], RD1),
                        nlri_vpn("0.0.0.0/0", [300], RD2)])]), params={"ibgp": True})
    vec("update-vpnv4-withdraw", "UPDATE: ipv4-vpn withdraw with label 0x800000",
        "RFC 8277 s2.4; RFC 4364 s4.3.4",
        update(attrs=[a_mp_unreach("ipv4-vpn",
                                   [nlri_vpn("198.51.100.0/24", None, RD0,
                                             raw_labels=u8(0x80) + bytes(2)),
                                    nlri_vpn("192.0.2.0/24", None, RD1,
                                             raw_labels=u8(0x80) + bytes(2))])]))
    vec("update-vpnv6", "UPDATE: ipv6-vpn, RD type 0", "RFC 4659 s3.2",
        update(attrs=mp_base() + [a_ext_communities([rt(65000, 2)[0]]),
                                  a_mp_reach("ipv6-vpn", "2001:db8::1",
                                             [nlri_vpn("2001:db8:100::/48", [200], RD0)])]))
    vec("update-vpnv6-ll", "UPDATE: ipv6-vpn, next hop with link-local (48 octets)",
        "RFC 4659 s3.2.1.1",
        update(attrs=mp_base() + [a_mp_reach("ipv6-vpn", "2001:db8::1",
                                             [nlri_vpn("2001:db8:100::/48", [200], RD1)],
                                             ll="fe80::2")]))
    vec("update-vpnv6-stack", "UPDATE: ipv6-vpn, two labels, RD type 2", "RFC 4659 s3.2",
        update(attrs=mp_base() + [a_mp_reach("ipv6-vpn", "2001:db8::1",
                                             [nlri_vpn("2001:db8:200::/64", [17, 18], RD2)])]))
    vec("update-vpnv6-withdraw", "UPDATE: ipv6-vpn withdraw", "RFC 4659 s3.2; RFC 8277 s2.4",
        update(attrs=[a_mp_unreach("ipv6-vpn",
                                   [nlri_vpn("2001:db8:100::/48", None, RD0,
                                             raw_labels=u8(0x80) + bytes(2))])]))
    vec("update-vpnv4-reflected", "UPDATE: ipv4-vpn from a route reflector (ORIGINATOR_ID, "
        "CLUSTER_LIST)",
        "RFC 4456 s8; RFC 4364 s4.3.4",
        update(attrs=mp_base(ibgp=True) + [
            a_originator("192.0.2.7"), a_cluster_list(["192.0.2.100"]),
            a_ext_communities([rt(65000, 1)[0]]),
            a_mp_reach("ipv4-vpn", "192.0.2.7", [nlri_vpn("198.51.100.0/24", [100], RD0)])]),
        params={"ibgp": True})
    # RT-Constraint, RFC 4684
    vec("update-rtc", "UPDATE: rtc, full 96-bit prefix", "RFC 4684 s4",
        update(attrs=mp_base(ibgp=True) + [a_mp_reach("rtc", "192.0.2.1",
                                                      [nlri_rtc(65001, rt(65000, 100))])]),
        params={"ibgp": True})
    vec("update-rtc-forms", "UPDATE: rtc with route targets of the three forms",
        "RFC 4684 s4",
        update(attrs=mp_base(ibgp=True) + [a_mp_reach("rtc", "192.0.2.1", [
            nlri_rtc(65001, rt(65000, 100)), nlri_rtc(65001, rt("192.0.2.1", 7)),
            nlri_rtc(4200000001, rt(4200000000, 1))])]), params={"ibgp": True})
    vec("update-rtc-default", "UPDATE: rtc default (zero length)", "RFC 4684 s4",
        update(attrs=mp_base(ibgp=True) + [a_mp_reach("rtc", "192.0.2.1", [nlri_rtc(length=0)])]),
        params={"ibgp": True})
    vec("update-rtc-partial", "UPDATE: rtc partial prefixes of 32, 48, 64 and 80 bits",
        "RFC 4684 s4",
        update(attrs=mp_base(ibgp=True) + [a_mp_reach("rtc", "192.0.2.1", [
            nlri_rtc(65001, rt(65000, 100), 32), nlri_rtc(65001, rt(65000, 100), 48),
            nlri_rtc(65001, rt(65000, 100), 64), nlri_rtc(65001, rt(65000, 100), 80)])]),
        params={"ibgp": True})
    vec("update-rtc-odd-length", "UPDATE: rtc prefix of 70 bits (not octet aligned)",
        "RFC 4684 s4",
        update(attrs=mp_base(ibgp=True) + [a_mp_reach("rtc", "192.0.2.1", [
            nlri_rtc(65001, (ec_as2(0x02, 65000, 0), ""), 70)])]), params={"ibgp": True})
    vec("update-rtc-withdraw", "UPDATE: rtc withdraw", "RFC 4684 s4",
        update(attrs=[a_mp_unreach("rtc", [nlri_rtc(65001, rt(65000, 100)),
                                           nlri_rtc(length=0)])]), params={"ibgp": True})
    # End-of-RIB, RFC 4724 s2
    for fam in ("ipv6-unicast", "ipv4-vpn", "ipv6-vpn", "rtc", "ipv4-flowspec"):
        vec("update-eor-" + fam, "End-of-RIB for %s: MP_UNREACH with no NLRI" % fam,
            "RFC 4724 s2", update(attrs=[a_mp_unreach(fam, [])]),
            expect={"end_of_rib": fam})


def vectors_addpath():
    ap4 = {"addpath": ["ipv4-unicast"]}
    vec("update-addpath-ipv4", "UPDATE: ADD-PATH IPv4 unicast, two paths for one prefix",
        "RFC 7911 s3",
        update(attrs=base_attrs(), nlri=[nlri_prefix("192.0.2.0/24", 1),
                                         nlri_prefix("192.0.2.0/24", 2)]), params=ap4)
    vec("update-addpath-ipv4-withdraw", "UPDATE: ADD-PATH IPv4 withdraw", "RFC 7911 s3",
        update(withdrawn=[nlri_prefix("192.0.2.0/24", 4294967295)]), params=ap4)
    vec("update-addpath-ipv6", "UPDATE: ADD-PATH IPv6 unicast in MP_REACH", "RFC 7911 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv6-unicast", "2001:db8::1",
                                             [nlri_prefix("2001:db8::/32", 7)])]),
        params={"addpath": ["ipv6-unicast"]})
    vec("update-addpath-vpnv4", "UPDATE: ADD-PATH ipv4-vpn", "RFC 7911 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv4-vpn", "192.0.2.1",
                                             [nlri_vpn("198.51.100.0/24", [100], RD0, 1),
                                              nlri_vpn("198.51.100.0/24", [101], RD0, 2)])]),
        params={"addpath": ["ipv4-vpn"]})
    vec("update-addpath-lu", "UPDATE: ADD-PATH ipv4-labeled-unicast", "RFC 7911 s3",
        update(attrs=mp_base() + [a_mp_reach("ipv4-labeled-unicast", "192.0.2.1",
                                             [nlri_labeled("198.51.100.0/24", [100], 9)])]),
        params={"addpath": ["ipv4-labeled-unicast"]})
    vec("update-addpath-only-v6", "UPDATE: ADD-PATH for ipv6 only, IPv4 NLRI without "
        "path ids", "RFC 7911 s3",
        update(attrs=base_attrs(), nlri=[nlri_prefix("192.0.2.0/24")]),
        params={"addpath": ["ipv6-unicast"]})



def fs_mp(fam, nlris, ecs=(), ibgp=False):
    """A FlowSpec UPDATE: MP_REACH with no next hop (RFC 8955 s4: length 0)
    and the traffic filtering actions as extended communities (s7)."""
    attrs = mp_base(ibgp)
    if ecs:
        attrs.append(a_ext_communities(list(ecs)))
    attrs.append(a_mp_reach(fam, None, nlris))
    return update(attrs=attrs)


def vectors_flowspec():
    d24 = fs_prefix4(1, "192.0.2.0/24")
    # RFC 8955 s4.3 worked examples (the section the brief calls s4.2.3)
    ex1 = nlri_flow([d24, fs_numeric(3, [("==", False, 6, 1)]),
                     fs_numeric(4, [("==", False, 25, 1)])])
    vec("flowspec-rfc8955-example1", "FlowSpec: RFC 8955 example 1, packets to "
        "192.0.2.0/24 and TCP port 25", "RFC 8955 s4.3", fs_mp("ipv4-flowspec", [ex1]))
    ex2 = nlri_flow([d24, fs_prefix4(2, "203.0.113.0/24"),
                     fs_numeric(4, [(">=", False, 137, 1), ("<=", True, 139, 1),
                                    ("==", False, 8080, 2)])])
    vec("flowspec-rfc8955-example2", "FlowSpec: RFC 8955 example 2, to 192.0.2.0/24 from "
        "203.0.113.0/24, port [137,139] or 8080", "RFC 8955 s4.3",
        fs_mp("ipv4-flowspec", [ex2]))
    # every component type, RFC 8955 s4.2.2
    vec("flowspec-ports", "FlowSpec: port, destination port and source port",
        "RFC 8955 s4.2.2.4-6",
        fs_mp("ipv4-flowspec", [nlri_flow([
            fs_numeric(4, [("==", False, 80, 1)]),
            fs_numeric(5, [(">", False, 1023, 2), ("<", True, 65535, 2)]),
            fs_numeric(6, [("!=", False, 53, 1)])])]))
    vec("flowspec-icmp", "FlowSpec: protocol ICMP, ICMP type and code", "RFC 8955 s4.2.2.7-8",
        fs_mp("ipv4-flowspec", [nlri_flow([d24, fs_numeric(3, [("==", False, 1, 1)]),
                                           fs_numeric(7, [("==", False, 8, 1)]),
                                           fs_numeric(8, [("==", False, 0, 1)])])]))
    vec("flowspec-tcp-flags", "FlowSpec: TCP flags, bitmask operators of every kind "
        "(match, not-match, any, not-any), 1 and 2 octet values", "RFC 8955 s4.2.2.9",
        fs_mp("ipv4-flowspec", [nlri_flow([fs_numeric(3, [("==", False, 6, 1)]),
                                           fs_bitmask(9, [(False, True, False, 0x02, 1),
                                                          (True, True, True, 0x10, 1),
                                                          (False, False, False, 0x01, 1),
                                                          (True, False, True, 0x0004, 2)])])]))
    vec("flowspec-packet-length", "FlowSpec: packet length with every numeric comparison "
        "(false, ==, >, >=, <, <=, !=, true)", "RFC 8955 s4.2.1.1; s4.2.2.10",
        fs_mp("ipv4-flowspec", [nlri_flow([fs_numeric(10, [
            ("false", False, 0, 1), ("==", False, 64, 1), (">", False, 1000, 2),
            (">=", True, 1500, 2), ("<", False, 40, 1), ("<=", True, 9000, 2),
            ("!=", False, 576, 2), ("true", False, 0, 1)])])]))
    vec("flowspec-value-sizes", "FlowSpec: numeric values of 1, 2, 4 and 8 octets",
        "RFC 8955 s4.2.1.1",
        fs_mp("ipv4-flowspec", [nlri_flow([fs_numeric(10, [
            ("==", False, 1, 1), ("==", False, 2, 2), ("==", False, 4, 4),
            ("==", False, 8, 8)])])]))
    vec("flowspec-dscp", "FlowSpec: DSCP", "RFC 8955 s4.2.2.11",
        fs_mp("ipv4-flowspec", [nlri_flow([d24, fs_numeric(11, [("==", False, 46, 1),
                                                                ("==", False, 10, 1)])])]))
    vec("flowspec-fragment", "FlowSpec: fragment DF or first-fragment, not is-fragment",
        "RFC 8955 s4.2.2.12",
        fs_mp("ipv4-flowspec", [nlri_flow([fs_prefix4(1, "192.0.2.1/32"),
                                           fs_bitmask(12, [(False, False, False, 0x01, 1),
                                                           (False, False, False, 0x04, 1),
                                                           (True, True, True, 0x02, 1)])])]))
    vec("flowspec-source-only", "FlowSpec: source prefix only", "RFC 8955 s4.2.2.2",
        fs_mp("ipv4-flowspec", [nlri_flow([fs_prefix4(2, "198.51.100.0/24")])]))
    vec("flowspec-all-v4", "FlowSpec: all twelve IPv4 component types in one NLRI",
        "RFC 8955 s4.2.2",
        fs_mp("ipv4-flowspec", [nlri_flow([
            d24, fs_prefix4(2, "198.51.100.0/24"), fs_numeric(3, [("==", False, 17, 1)]),
            fs_numeric(4, [("==", False, 53, 1)]), fs_numeric(5, [("==", False, 53, 1)]),
            fs_numeric(6, [(">=", False, 1024, 2)]), fs_numeric(7, [("==", False, 3, 1)]),
            fs_numeric(8, [("==", False, 4, 1)]), fs_bitmask(9, [(False, True, False, 2, 1)]),
            fs_numeric(10, [("<", False, 100, 1)]), fs_numeric(11, [("==", False, 0, 1)]),
            fs_bitmask(12, [(False, False, False, 8, 1)])])]))
    long_ops = [("==", False, 1000 + i, 2) for i in range(85)]
    vec("flowspec-long", "FlowSpec: an NLRI of 256 octets (two-octet 0xfnnn length, "
        "extended-length MP_REACH)", "RFC 8955 s4.1",
        fs_mp("ipv4-flowspec", [nlri_flow([d24, fs_numeric(5, long_ops)])]))
    vec("flowspec-two-nlri", "FlowSpec: two NLRI in one MP_REACH", "RFC 8955 s4.1",
        fs_mp("ipv4-flowspec", [ex1, nlri_flow([fs_prefix4(1, "198.51.100.0/24")])]))
    vec("flowspec-withdraw", "FlowSpec: withdraw in MP_UNREACH", "RFC 8955 s4.1",
        update(attrs=[a_mp_unreach("ipv4-flowspec", [ex1])]))
    # traffic filtering actions, RFC 8955 s7
    acts = [
        ("traffic-rate", "RFC 8955 s7.1", ec_traffic_rate(65000, 1000000.0)),
        ("traffic-rate-drop", "RFC 8955 s7.1", ec_traffic_rate(65000, 0.0)),
        ("traffic-rate-packets", "RFC 8955 s7.2", ec_traffic_rate(65000, 100.0, 0x0C)),
        ("traffic-action", "RFC 8955 s7.3", ec_traffic_action(True, True)),
        ("traffic-action-terminal", "RFC 8955 s7.3", ec_traffic_action(True, False)),
        ("traffic-action-sample", "RFC 8955 s7.3", ec_traffic_action(False, True)),
        ("traffic-action-none", "RFC 8955 s7.3", ec_traffic_action(False, False)),
        ("redirect-as2", "RFC 8955 s7.4", ec_as2(0x08, 65000, 1, t=0x80)),
        ("redirect-ipv4", "RFC 8955 s7.4; RFC 7674", ec_ip4(0x08, "192.0.2.1", 7, t=0x81)),
        ("redirect-as4", "RFC 8955 s7.4; RFC 7674", ec_as4(0x08, 4200000000, 1, t=0x82)),
        ("traffic-marking", "RFC 8955 s7.5", ec_traffic_marking(46)),
        ("redirect-ip", "draft-ietf-idr-flowspec-redirect-ip-02 s3",
         ec_redirect_ip("198.51.100.1", False)),
        ("redirect-ip-copy", "draft-ietf-idr-flowspec-redirect-ip-02 s3",
         ec_redirect_ip("198.51.100.1", True)),
        ("redirect-ip-nh", "draft-ietf-idr-flowspec-redirect-ip-02 s3",
         ec_redirect_ip_nh(False)),
        ("redirect-ip-nh-copy", "draft-ietf-idr-flowspec-redirect-ip-02 s3",
         ec_redirect_ip_nh(True)),
    ]
    for name, ref, ec in acts:
        vec("flowspec-action-" + name, "FlowSpec with the %s action" % name, ref,
            fs_mp("ipv4-flowspec", [ex1], [ec]))
    # IPv6, RFC 8956
    d6 = fs_prefix6(1, "2001:db8::/32")
    vec("flowspec6-destination", "FlowSpec IPv6: destination prefix, offset 0",
        "RFC 8956 s3.1", fs_mp("ipv6-flowspec", [nlri_flow([d6])]))
    vec("flowspec6-offset", "FlowSpec IPv6: destination interface-id pattern ::1/128 with "
        "offset 64", "RFC 8956 s3.1",
        fs_mp("ipv6-flowspec", [nlri_flow([fs_prefix6(1, "::1/128", 64)])]))
    vec("flowspec6-source-offset", "FlowSpec IPv6: source pattern ::a:0:0:0/80 with offset 64",
        "RFC 8956 s3.1",
        fs_mp("ipv6-flowspec", [nlri_flow([fs_prefix6(2, "::a:0:0:0/80", 64)])]))
    vec("flowspec6-flow-label", "FlowSpec IPv6: destination and flow label", "RFC 8956 s3.7",
        fs_mp("ipv6-flowspec", [nlri_flow([d6, fs_numeric(13, [("==", False, 0x12345, 4)])])]))
    vec("flowspec6-all", "FlowSpec IPv6: every component type RFC 8956 allows",
        "RFC 8956 s3",
        fs_mp("ipv6-flowspec", [nlri_flow([
            d6, fs_prefix6(2, "2001:db8:1::/48"), fs_numeric(3, [("==", False, 58, 1)]),
            fs_numeric(4, [("==", False, 443, 2)]), fs_numeric(5, [("==", False, 443, 2)]),
            fs_numeric(6, [(">", False, 1023, 2)]), fs_numeric(7, [("==", False, 128, 1)]),
            fs_numeric(8, [("==", False, 0, 1)]), fs_bitmask(9, [(False, True, False, 2, 1)]),
            fs_numeric(10, [(">=", False, 1280, 2)]), fs_numeric(11, [("==", False, 46, 1)]),
            fs_bitmask(12, [(False, False, False, 8, 1)]),
            fs_numeric(13, [("==", False, 7, 4)])])]))
    # VPN FlowSpec, RFC 8955 s8
    vec("flowspec-vpn4", "VPN FlowSpec IPv4 with RD type 0 and a route target",
        "RFC 8955 s8",
        fs_mp("ipv4-vpn-flowspec", [nlri_flow([d24, fs_numeric(3, [("==", False, 6, 1)])],
                                              rd=RD0)], [rt(65000, 1)[0]]))
    vec("flowspec-vpn4-rd1", "VPN FlowSpec IPv4 with RD type 1", "RFC 8955 s8",
        fs_mp("ipv4-vpn-flowspec", [nlri_flow([d24], rd=RD1)], [rt("192.0.2.1", 7)[0]]))
    vec("flowspec-vpn6", "VPN FlowSpec IPv6 with RD type 2", "RFC 8955 s8; RFC 8956 s3",
        fs_mp("ipv6-vpn-flowspec", [nlri_flow([d6, fs_numeric(5, [("==", False, 80, 1)])],
                                              rd=RD2)], [rt(4200000000, 1)[0]]))
    vec("flowspec-vpn4-withdraw", "VPN FlowSpec IPv4 withdraw", "RFC 8955 s8",
        update(attrs=[a_mp_unreach("ipv4-vpn-flowspec", [nlri_flow([d24], rd=RD0)])]))


# ---------------------------------------------------------------- malformed
SR, TAW, AD, AFD = "session-reset", "treat-as-withdraw", "attribute-discard", "afi-safi-disable"
UPD = {"type": "update"}


def upd_with(attr_wires, nlri=("192.0.2.0/24",), extra_first=()):
    """UPDATE bytes with ORIGIN/AS_PATH/NEXT_HOP replaced or completed by
    the given raw attributes (kept in the given order)."""
    return update(attrs=[raw_attr(w) for w in attr_wires],
                  nlri=[nlri_prefix(p) for p in nlri], keep_order=True)[0]


def good(*skip):
    """The wire of the three mandatory attributes, minus the type codes in
    skip."""
    out = []
    for a in base_attrs():
        code = a.wire[1]
        if code not in skip:
            out.append(a.wire)
    return out


def vectors_malformed_header():
    ka = keepalive()[0]
    bad("bad-marker", "KEEPALIVE with a marker that is not all ones", "RFC 4271 s6.1", 
        msg(4, b"", marker=b"\xff" * 15 + b"\xfe"), SR, "BGP_E_HDR_MARKER", 1, 1)
    bad("bad-length-short", "header length 18 (below 19)", "RFC 4271 s6.1",
        ka[:16] + u16(18) + ka[18:], SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("bad-length-long", "header length 4097 without extended messages", "RFC 4271 s6.1; "
        "RFC 8654 s4", msg(2, u16(0) + u16(0) + bytes(4097 - 23)), SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("bad-type", "message type 7 (unknown)", "RFC 4271 s6.1", msg(7, b""), SR,
        "BGP_E_HDR_TYPE", 1, 3)
    bad("bad-type-zero", "message type 0", "RFC 4271 s6.1", msg(0, b""), SR,
        "BGP_E_HDR_TYPE", 1, 3)
    bad("keepalive-long", "KEEPALIVE with one byte of body", "RFC 4271 s6.1; s4.4",
        msg(4, b"\x00"), SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("open-short", "OPEN of 28 octets (minimum is 29)", "RFC 4271 s6.1; s4.2",
        msg(1, bytes.fromhex("04fde900b4c0000201")), SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("update-short", "UPDATE of 22 octets (minimum is 23)", "RFC 4271 s6.1; s4.3",
        msg(2, bytes(3)), SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("notification-short", "NOTIFICATION of 20 octets (minimum is 21)",
        "RFC 4271 s6.1; s4.5", msg(3, b"\x06"), SR, "BGP_E_HDR_LENGTH", 1, 2)
    bad("route-refresh-borr-long", "ROUTE-REFRESH BoRR with 5 octets of body",
        "RFC 7313 s5", msg(5, u16(1) + u8(1) + u8(128) + u8(0)), SR,
        "BGP_E_REFRESH_LENGTH", 7, 1)


def vectors_malformed_open():
    def open_raw(version=4, my_as=65001, hold=90, bgp_id="192.0.2.1", params=b"", plen=None):
        plen = len(params) if plen is None else plen
        return msg(1, u8(version) + u16(my_as) + u16(hold) + ip4(bgp_id) + u8(plen) + params)
    as4 = cap_as4(65001).wire()
    p_as4 = u8(2) + u8(len(as4)) + as4
    bad("open-version-3", "OPEN version 3", "RFC 4271 s6.2", open_raw(version=3, params=p_as4),
        SR, "BGP_E_OPEN_VERSION", 2, 1)
    bad("open-hold-1", "OPEN hold time 1", "RFC 4271 s6.2", open_raw(hold=1, params=p_as4), SR,
        "BGP_E_OPEN_HOLD_TIME", 2, 6)
    bad("open-hold-2", "OPEN hold time 2", "RFC 4271 s6.2", open_raw(hold=2, params=p_as4), SR,
        "BGP_E_OPEN_HOLD_TIME", 2, 6)
    bad("open-bgp-id-zero", "OPEN BGP identifier 0.0.0.0", "RFC 4271 s6.2; RFC 6286 s2.2",
        open_raw(bgp_id="0.0.0.0", params=p_as4), SR, "BGP_E_OPEN_BGP_ID", 2, 3)
    bad("open-peer-as-zero", "OPEN with My AS 0", "RFC 7607 s2",
        open_raw(my_as=0), SR, "BGP_E_OPEN_PEER_AS", 2, 2)
    bad("open-as4-zero", "OPEN with 4-octet AS capability carrying AS 0", "RFC 7607 s2",
        open_raw(params=u8(2) + u8(6) + cap_as4(0).wire()), SR, "BGP_E_OPEN_PEER_AS", 2, 2)
    bad("open-param-overrun", "OPEN optional parameters length 10 with 8 octets of "
        "parameters", "RFC 4271 s6.2", open_raw(params=p_as4, plen=10), SR,
        "BGP_E_OPEN_OPT_PARAM_LEN", 2)
    bad("open-param-auth", "OPEN with optional parameter type 1 (deprecated "
        "authentication)", "RFC 4271 s6.2; RFC 5492 s4",
        open_raw(params=u8(1) + u8(2) + b"\x00\x00"), SR,
        "BGP_E_OPEN_OPT_PARAM_UNSUPPORTED", 2, 4)
    bad("open-cap-overrun", "OPEN capability length runs past its parameter",
        "RFC 5492 s4; RFC 4271 s6.2",
        open_raw(params=u8(2) + u8(4) + u8(65) + u8(4) + u16(0xfde9)), SR,
        "BGP_E_OPEN_CAP_MALFORMED", 2)
    bad("open-cap-as4-short", "OPEN 4-octet AS capability of length 2", "RFC 6793 s3",
        open_raw(params=u8(2) + u8(4) + u8(65) + u8(2) + u16(0xfde9)), SR,
        "BGP_E_OPEN_CAP_MALFORMED", 2)
    bad("open-cap-mp-short", "OPEN multiprotocol capability of length 3", "RFC 4760 s8",
        open_raw(params=u8(2) + u8(5) + u8(1) + u8(3) + u16(1) + u8(0)), SR,
        "BGP_E_OPEN_CAP_MALFORMED", 2)


def vectors_malformed_update():
    bad("upd-withdrawn-overrun", "UPDATE withdrawn routes length runs past the message",
        "RFC 7606 s4; RFC 4271 s6.3", msg(2, u16(10) + bytes.fromhex("18c00002") + u16(0)),
        SR, "BGP_E_UPD_WITHDRAWN_LEN", 3, 1, extra=dict(UPD))
    ab = b"".join(good())
    bad("upd-attr-len-overrun", "UPDATE total path attribute length runs past the message",
        "RFC 7606 s4; RFC 4271 s6.3", msg(2, u16(0) + u16(len(ab) + 10) + ab), SR,
        "BGP_E_UPD_ATTR_LEN", 3, 1, extra=dict(UPD))
    bad("upd-attr-overrun", "UPDATE: the last attribute's length runs past the attribute "
        "list", "RFC 7606 s4",
        msg(2, u16(0) + u16(len(ab) + 3) + ab + bytes.fromhex("800404") +
            bytes.fromhex("18c00002")), TAW, "BGP_E_UPD_ATTR_OVERRUN", extra=dict(UPD))
    bad("upd-attr-truncated-header", "UPDATE: two octets left in the attribute list, too "
        "few for an attribute header", "RFC 7606 s4",
        msg(2, u16(0) + u16(len(ab) + 2) + ab + b"\x40\x05" + bytes.fromhex("18c00002")),
        TAW, "BGP_E_UPD_ATTR_OVERRUN", extra=dict(UPD))
    bad("upd-origin-flags", "UPDATE: ORIGIN with the optional bit", "RFC 7606 s3 c; s7.1",
        upd_with([bytes.fromhex("c0010100")] + good(1)), TAW, "BGP_E_UPD_ATTR_FLAGS",
        attribute=1, extra=dict(UPD))
    bad("upd-med-flags", "UPDATE: MED flagged well-known transitive", "RFC 7606 s3 c; s7.4",
        upd_with(good() + [bytes.fromhex("400404") + u32(5)]), TAW, "BGP_E_UPD_ATTR_FLAGS",
        attribute=4, extra=dict(UPD))
    bad("upd-dup-attr", "UPDATE: MED twice, the repeat is discarded", "RFC 7606 s3 g",
        upd_with(good() + [a_med(5).wire, a_med(6).wire]), AD, "BGP_E_UPD_DUP_ATTR",
        extra=dict(UPD, attributes={"med": 5}))
    mp = a_mp_reach("ipv6-unicast", "2001:db8::1", [nlri_prefix("2001:db8::/32")]).wire
    bad("upd-dup-mp-reach", "UPDATE: MP_REACH_NLRI twice", "RFC 7606 s3 g",
        upd_with(good(3) + [mp, mp], nlri=()), SR, "BGP_E_UPD_DUP_MP", 3, 1, extra=dict(UPD))
    bad("upd-unknown-wellknown", "UPDATE: unrecognized well-known attribute 99",
        "RFC 4271 s6.3", upd_with(good() + [bytes.fromhex("406301") + b"\x00"]), SR,
        "BGP_E_UPD_UNKNOWN_WELLKNOWN", 3, 2, extra=dict(UPD))
    bad("upd-missing-origin", "UPDATE with NLRI and no ORIGIN", "RFC 7606 s3 d",
        upd_with(good(1)), TAW, "BGP_E_UPD_MISSING_ORIGIN", extra=dict(UPD))
    bad("upd-missing-aspath", "UPDATE with NLRI and no AS_PATH", "RFC 7606 s3 d",
        upd_with(good(2)), TAW, "BGP_E_UPD_MISSING_AS_PATH", extra=dict(UPD))
    bad("upd-missing-nexthop", "UPDATE with IPv4 NLRI and no NEXT_HOP", "RFC 7606 s3 d",
        upd_with(good(3)), TAW, "BGP_E_UPD_MISSING_NEXT_HOP", extra=dict(UPD))
    bad("upd-missing-localpref", "iBGP UPDATE without LOCAL_PREF", "RFC 7606 s3 d; "
        "RFC 4271 s5.1.5", upd_with(good()), TAW, "BGP_E_UPD_MISSING_LOCAL_PREF",
        params={"ibgp": True}, extra=dict(UPD))
    bad("upd-nlri-bad-length", "UPDATE: IPv4 NLRI prefix length 33", "RFC 7606 s5.3",
        update(attrs=[raw_attr(w) for w in good()], nlri_raw=bytes.fromhex("21c0000201"))[0],
        SR, "BGP_E_UPD_NLRI", 3, 10, extra=dict(UPD))
    bad("upd-nlri-truncated", "UPDATE: IPv4 NLRI /24 with only two prefix octets",
        "RFC 7606 s5.3",
        update(attrs=[raw_attr(w) for w in good()], nlri_raw=bytes.fromhex("18c000"))[0],
        SR, "BGP_E_UPD_NLRI", 3, 10, extra=dict(UPD))
    bad("upd-withdrawn-bad-length", "UPDATE: withdrawn prefix length 40", "RFC 7606 s5.3",
        update(wd_raw=bytes.fromhex("28c000020000"))[0], SR, "BGP_E_UPD_NLRI", 3, 10,
        extra=dict(UPD))
    # per attribute, RFC 7606 s7
    bad("upd-origin-value", "UPDATE: ORIGIN value 3", "RFC 7606 s7.1",
        upd_with([bytes.fromhex("40010103")] + good(1)), TAW, "BGP_E_ORIGIN", attribute=1,
        extra=dict(UPD))
    bad("upd-origin-length", "UPDATE: ORIGIN of length 2", "RFC 7606 s7.1",
        upd_with([bytes.fromhex("4001020000")] + good(1)), TAW, "BGP_E_ORIGIN", attribute=1,
        extra=dict(UPD))
    o, _, n = good()
    bad("upd-aspath-overrun", "UPDATE: AS_PATH segment count larger than the attribute",
        "RFC 7606 s7.2", upd_with([o, bytes.fromhex("40020602020000fde9"), n]), TAW,
        "BGP_E_AS_PATH", attribute=2, extra=dict(UPD))
    bad("upd-aspath-segtype", "UPDATE: AS_PATH segment type 0", "RFC 7606 s7.2",
        upd_with([o, bytes.fromhex("4002060001") + u32(65001), n]), TAW, "BGP_E_AS_PATH",
        attribute=2, extra=dict(UPD))
    bad("upd-aspath-zero-seg", "UPDATE: AS_PATH segment of zero ASNs", "RFC 7606 s7.2",
        upd_with([o, bytes.fromhex("40020202 00".replace(" ", "")), n]), TAW, "BGP_E_AS_PATH",
        attribute=2, extra=dict(UPD))
    bad("upd-aspath-as2-odd", "UPDATE on a 2-octet AS session: AS_PATH of 5 octets",
        "RFC 7606 s7.2", upd_with([o, bytes.fromhex("4002050201fde9ff"), n]), TAW, "BGP_E_AS_PATH",
        attribute=2, params=NO_AS4, extra=dict(UPD))
    bad("upd-nexthop-length", "UPDATE: NEXT_HOP of 5 octets", "RFC 7606 s7.3",
        upd_with(good(3) + [bytes.fromhex("400305c000020100")]), TAW, "BGP_E_NEXT_HOP",
        attribute=3, extra=dict(UPD))
    bad("upd-med-length", "UPDATE: MED of 3 octets", "RFC 7606 s7.4",
        upd_with(good() + [bytes.fromhex("800403000005")]), TAW, "BGP_E_MED", attribute=4,
        extra=dict(UPD))
    bad("upd-localpref-length", "iBGP UPDATE: LOCAL_PREF of 3 octets", "RFC 7606 s7.5",
        upd_with(good() + [bytes.fromhex("400503000064")]), TAW, "BGP_E_LOCAL_PREF",
        attribute=5, params={"ibgp": True}, extra=dict(UPD))
    bad("upd-localpref-ebgp", "eBGP UPDATE carrying LOCAL_PREF: discarded", "RFC 7606 s7.5",
        upd_with(good() + [a_localpref(100).wire]), AD, "BGP_E_LOCAL_PREF_EBGP",
        discarded=[5], extra=dict(UPD))
    bad("upd-atomic-length", "UPDATE: ATOMIC_AGGREGATE of length 1", "RFC 7606 s7.6",
        upd_with(good() + [bytes.fromhex("40060100")]), AD, "BGP_E_ATOMIC_AGGREGATE",
        discarded=[6], extra=dict(UPD))
    bad("upd-aggregator-length", "UPDATE: AGGREGATOR of 7 octets on a 4-octet session",
        "RFC 7606 s7.7", upd_with(good() + [bytes.fromhex("c00707") + u16(65001) +
                                            ip4("192.0.2.9") + b"\x00"]), AD,
        "BGP_E_AGGREGATOR", discarded=[7], extra=dict(UPD))
    bad("upd-aggregator-as2-length", "UPDATE: AGGREGATOR of 8 octets on a 2-octet session",
        "RFC 7606 s7.7", upd_with([o, a_aspath([(SEQ, (65001,))], False).wire, n,
                                   a_aggregator(65001, "192.0.2.9", True).wire]), AD,
        "BGP_E_AGGREGATOR", discarded=[7], params=NO_AS4, extra=dict(UPD))
    bad("upd-communities-length", "UPDATE: COMMUNITIES of 5 octets", "RFC 7606 s7.8",
        upd_with(good() + [bytes.fromhex("c00805fde8000100")]), TAW, "BGP_E_COMMUNITIES",
        attribute=8, extra=dict(UPD))
    bad("upd-originator-length", "iBGP UPDATE: ORIGINATOR_ID of 3 octets", "RFC 7606 s7.9",
        upd_with(good() + [a_localpref(100).wire, bytes.fromhex("800903c00002")]), TAW,
        "BGP_E_ORIGINATOR_ID", attribute=9, params={"ibgp": True}, extra=dict(UPD))
    bad("upd-cluster-list-length", "iBGP UPDATE: CLUSTER_LIST of 5 octets", "RFC 7606 s7.10",
        upd_with(good() + [a_localpref(100).wire, bytes.fromhex("800a05c000020100")]), TAW,
        "BGP_E_CLUSTER_LIST", attribute=10, params={"ibgp": True}, extra=dict(UPD))
    bad("upd-ecomm-length", "UPDATE: EXT_COMMUNITIES of 7 octets", "RFC 7606 s7.14",
        upd_with(good() + [bytes.fromhex("c01007") + rt(65000, 1)[0][:7]]), TAW,
        "BGP_E_EXT_COMMUNITIES", attribute=16, extra=dict(UPD))
    bad("upd-ipv6-ecomm-length", "UPDATE: IPV6_EXT_COMMUNITIES of 19 octets",
        "RFC 7606 s7.15", upd_with(good() + [bytes.fromhex("c01913") + bytes(19)]), TAW,
        "BGP_E_IPV6_EXT_COMMUNITIES", attribute=25, extra=dict(UPD))
    bad("upd-lcomm-length", "UPDATE: LARGE_COMMUNITIES of 13 octets", "RFC 8092 s6",
        upd_with(good() + [bytes.fromhex("c0200d") + bytes(13)]), TAW,
        "BGP_E_LARGE_COMMUNITIES", attribute=32, extra=dict(UPD))
    bad("upd-as4path-malformed", "UPDATE on a 2-octet session: AS4_PATH segment overrun, "
        "discarded", "RFC 6793 s6; RFC 7606 s7.2",
        upd_with([o, a_aspath([(SEQ, (23456,))], False).wire, n,
                  bytes.fromhex("c01106020300000001")]), AD, "BGP_E_AS4_PATH",
        discarded=[17], params=NO_AS4, extra=dict(UPD))
    bad("upd-as4aggregator-length", "UPDATE on a 2-octet session: AS4_AGGREGATOR of 7 "
        "octets, discarded", "RFC 6793 s6",
        upd_with([o, a_aspath([(SEQ, (23456,))], False).wire, n,
                  bytes.fromhex("c01207") + u32(4200000001) + bytes(3)]), AD,
        "BGP_E_AS4_AGGREGATOR", discarded=[18], params=NO_AS4, extra=dict(UPD))
    # MP_REACH / MP_UNREACH, RFC 7606 s7.11, s7.12, s5.3
    mpv = u16(2) + u8(1) + u8(15) + bytes(15) + u8(0) + bytes.fromhex("2020010db8")
    bad("upd-mp-nexthop-length", "UPDATE: MP_REACH ipv6-unicast with next-hop length 15",
        "RFC 7606 s7.11", upd_with(good(3) + [attr_hdr(0x80, 14, mpv)], nlri=()),
        [SR, AFD], "BGP_E_MP_REACH_NEXT_HOP", extra=dict(UPD, family="ipv6-unicast"))
    mpv = u16(2) + u8(1) + u8(16) + ip6("2001:db8::1") + u8(0) + bytes.fromhex("812001")
    bad("upd-mp-nlri-bad-length", "UPDATE: MP_REACH ipv6-unicast NLRI prefix length 129",
        "RFC 7606 s5.3; s7.11", upd_with(good(3) + [attr_hdr(0x80, 14, mpv)], nlri=()),
        [SR, AFD], "BGP_E_MP_REACH_NLRI", extra=dict(UPD, family="ipv6-unicast"))
    mpv = u16(2) + u8(1) + bytes.fromhex("402001")
    bad("upd-mp-unreach-truncated", "UPDATE: MP_UNREACH ipv6-unicast /64 with two prefix "
        "octets", "RFC 7606 s5.3; s7.12", update(attrs=[raw_attr(attr_hdr(0x80, 15, mpv))])[0],
        [SR, AFD], "BGP_E_MP_UNREACH_NLRI", extra=dict(UPD, family="ipv6-unicast"))
    bad("upd-mp-reach-short", "UPDATE: MP_REACH of 3 octets (no next-hop length)",
        "RFC 7606 s7.11", upd_with(good(3) + [attr_hdr(0x80, 14, u16(1) + u8(1))], nlri=()),
        [SR, AFD], "BGP_E_MP_REACH", extra=dict(UPD))
    bad("upd-vpn-nlri-short", "UPDATE: ipv4-vpn NLRI length 88 bits, too short for "
        "label + RD + /24", "RFC 7606 s5.3; RFC 4364 s4.3.4",
        upd_with(good(3) + [attr_hdr(0x80, 14, u16(1) + u8(128) + u8(12) + bytes(8) +
                                     ip4("192.0.2.1") + u8(0) + u8(88) + bytes(11))],
                 nlri=()), [SR, AFD], "BGP_E_MP_REACH_NLRI",
        extra=dict(UPD, family="ipv4-vpn"))
    # FlowSpec NLRI, RFC 8955 s4.2 and s10
    def fs_bad(comps):
        body = comps
        val = u16(1) + u8(133) + u8(0) + u8(0) + fs_len(len(body)) + body
        return upd_with(good(3) + [attr_hdr(0x80, 14, val)], nlri=())
    bad("flowspec-order", "FlowSpec: protocol before destination (not increasing)",
        "RFC 8955 s4.2", fs_bad(bytes.fromhex("038106") + bytes.fromhex("0118c00002")),
        [SR, AFD, TAW], "BGP_E_FLOWSPEC_NLRI",
        extra=dict(UPD, family="ipv4-flowspec"))
    bad("flowspec-unknown-type", "FlowSpec: component type 14", "RFC 8955 s4.2",
        fs_bad(bytes.fromhex("0118c00002") + bytes.fromhex("0e8101")),
        [SR, AFD, TAW], "BGP_E_FLOWSPEC_NLRI",
        extra=dict(UPD, family="ipv4-flowspec"))
    bad("flowspec-no-end-bit", "FlowSpec: operator list without the end-of-list bit "
        "running into the next NLRI", "RFC 8955 s4.2.1.1",
        fs_bad(bytes.fromhex("030106")), [SR, AFD, TAW], "BGP_E_FLOWSPEC_NLRI",
        extra=dict(UPD, family="ipv4-flowspec"))
    bad("flowspec-prefix-33", "FlowSpec: destination prefix length 33", "RFC 8955 s4.2.2.1",
        fs_bad(bytes.fromhex("0121c000020100")), [SR, AFD, TAW], "BGP_E_FLOWSPEC_NLRI",
        extra=dict(UPD, family="ipv4-flowspec"))


# ================================================================ output and self-test


def build():
    del VECTORS[:]
    for fn in (vectors_open, vectors_small, vectors_ipv4, ext_comm_vectors, vectors_mp,
               vectors_addpath, vectors_flowspec, vectors_malformed_header,
               vectors_malformed_open, vectors_malformed_update):
        fn()
    names = [n for n, _ in VECTORS]
    assert len(names) == len(set(names)), "duplicate vector names"
    return [("%03d-%s.json" % (i + 1, n), v) for i, (n, v) in enumerate(VECTORS)]


def render(v):
    return json.dumps(v, indent=1, ensure_ascii=False) + "\n"


def write(files):
    os.makedirs(DATA, exist_ok=True)
    for f in os.listdir(DATA):
        if f.endswith(".json"):
            os.unlink(os.path.join(DATA, f))
    for name, v in files:
        with open(os.path.join(DATA, name), "w", encoding="utf-8") as fh:
            fh.write(render(v))


def check_rfc_examples(fail):
    """Builders against byte strings printed in the RFCs."""
    ex1 = nlri_flow([fs_prefix4(1, "192.0.2.0/24"), fs_numeric(3, [("==", False, 6, 1)]),
                     fs_numeric(4, [("==", False, 25, 1)])])[0]
    if ex1 != bytes.fromhex("0b0118c0000203810604811 9".replace(" ", "")):
        fail("RFC 8955 s4.3 example 1: %s" % ex1.hex())
    ex2 = nlri_flow([fs_prefix4(1, "192.0.2.0/24"), fs_prefix4(2, "203.0.113.0/24"),
                     fs_numeric(4, [(">=", False, 137, 1), ("<=", True, 139, 1),
                                    ("==", False, 8080, 2)])])[0]
    if ex2 != bytes.fromhex("120118c00002" "0218cb0071" "040389458b911f90"):
        fail("RFC 8955 s4.3 example 2: %s" % ex2.hex())
    # RFC 8277 s2: label 16 with the S bit is 0x000101
    if label_entries([16]) != bytes.fromhex("000101"):
        fail("RFC 8277 label entry")
    # RFC 8955 s4.1: length 256 is 0xf100
    if fs_len(256) != bytes.fromhex("f100"):
        fail("RFC 8955 s4.1 long length")


def check_scapy(fail):
    """A sample of messages rebuilt with scapy's BGP layer (an independent
    encoder) must give the same bytes."""
    try:
        from scapy.all import conf
        conf.contribs.setdefault("bgp", {})["use_2_bytes_asn"] = False
        import scapy.contrib.bgp as sb
    except ImportError:
        print("scapy not available: skipping the scapy cross-check")
        return 0

    def pa(flags, code, attr):
        return sb.BGPPathAttr(type_flags=flags, type_code=code, attribute=attr)

    seg = sb.BGPPAAS4BytesPath.ASPathSegment
    upd_attrs = [pa(0x40, 1, sb.BGPPAOrigin(origin=0)),
                 pa(0x40, 2, sb.BGPPAAS4BytesPath(segments=[seg(segment_type=2,
                                                               segment_value=[65001])])),
                 pa(0x40, 3, sb.BGPPANextHop(next_hop="192.0.2.1"))]
    pairs = [
        ("keepalive", bytes(sb.BGPKeepAlive()), keepalive()[0]),
        ("notification", bytes(sb.BGPHeader() / sb.BGPNotification(error_code=6,
                                                                      error_subcode=2)),
         notification(6, 2)[0]),
        ("route-refresh", bytes(sb.BGPHeader() / sb.BGPRouteRefresh(afi=1, subtype=1,
                                                                      safi=128)),
         route_refresh("ipv4-vpn", 1)[0]),
        ("open", bytes(sb.BGPHeader() / sb.BGPOpen(
            my_as=65001, hold_time=90, bgp_id="192.0.2.1",
            opt_params=[sb.BGPOptParam(param_type=2,
                                       param_value=sb.BGPCapMultiprotocol(afi=1, safi=1) /
                                       sb.BGPCapFourBytesASN(asn=65001))])),
         open_msg(65001, 90, "192.0.2.1", [cap_mp("ipv4-unicast"), cap_as4(65001)],
                  layout="one")[0]),
        ("update-ipv4", bytes(sb.BGPHeader() / sb.BGPUpdate(
            path_attr=upd_attrs, nlri=[sb.BGPNLRI_IPv4(prefix="192.0.2.0/24")])),
         update(attrs=base_attrs(), nlri=[nlri_prefix("192.0.2.0/24")])[0]),
        ("update-withdraw", bytes(sb.BGPHeader() / sb.BGPUpdate(
            withdrawn_routes=[sb.BGPNLRI_IPv4(prefix="192.0.2.0/24"),
                              sb.BGPNLRI_IPv4(prefix="203.0.113.128/25")])),
         update(withdrawn=[nlri_prefix("192.0.2.0/24"),
                           nlri_prefix("203.0.113.128/25")])[0]),
        ("update-med-lp-comm", bytes(sb.BGPHeader() / sb.BGPUpdate(
            path_attr=upd_attrs + [pa(0x80, 4, sb.BGPPAMultiExitDisc(med=50)),
                                   pa(0x40, 5, sb.BGPPALocalPref(local_pref=200)),
                                   pa(0xC0, 8, sb.BGPPACommunity(community=0xFDE80001))],
            nlri=[sb.BGPNLRI_IPv4(prefix="192.0.2.0/24")])),
         update(attrs=base_attrs() + [a_med(50), a_localpref(200),
                                      a_communities([0xFDE80001])],
                nlri=[nlri_prefix("192.0.2.0/24")])[0]),
        ("update-mp-ipv6", bytes(sb.BGPHeader() / sb.BGPUpdate(path_attr=upd_attrs[:2] + [
            pa(0x80, 14, sb.BGPPAMPReachNLRI(
                afi=2, safi=1, nh_addr_len=16, nh_v6_addr="2001:db8::1",
                nlri=[sb.BGPNLRI_IPv6(prefix="2001:db8::/32")]))])),
         update(attrs=mp_base() + [a_mp_reach("ipv6-unicast", "2001:db8::1",
                                              [nlri_prefix("2001:db8::/32")])])[0]),
    ]
    for name, theirs, ours in pairs:
        if theirs != ours:
            fail("scapy %s:\n  scapy %s\n  ours  %s" % (name, theirs.hex(), ours.hex()))
    return len(pairs)


def check_vectors(files, fail):
    nbad = 0
    for name, v in files:
        b = bytes.fromhex(v["hex"])
        hdr_ok = "verdict" not in v["expect"] or v["error_id"] not in (
            "BGP_E_HDR_MARKER", "BGP_E_HDR_LENGTH")
        if hdr_ok and struct.unpack("!H", b[16:18])[0] != len(b):
            fail("%s: header length field != message length" % name)
        if "verdict" in v["expect"]:
            nbad += 1
            if "RFC" not in v["ref"]:
                fail("%s: malformed vector without an RFC reference" % name)
    if len(files) < 150:
        fail("only %d vectors" % len(files))
    if nbad < 40:
        fail("only %d malformed vectors" % nbad)
    return nbad


def selfcheck(files):
    errors = []
    fail = errors.append
    check_rfc_examples(fail)
    n_scapy = check_scapy(fail)
    nbad = check_vectors(files, fail)
    on_disk = sorted(f for f in os.listdir(DATA) if f.endswith(".json")) \
        if os.path.isdir(DATA) else []
    if on_disk != sorted(n for n, _ in files):
        fail("data/ file list differs from the generator (run gen.py)")
    else:
        for name, v in files:
            with open(os.path.join(DATA, name), encoding="utf-8") as fh:
                if fh.read() != render(v):
                    fail("%s: differs from the generator (run gen.py)" % name)
    for e in errors:
        print("FAIL", e)
    print("%d vectors (%d malformed), %d scapy cross-checks, %d failures"
          % (len(files), nbad, n_scapy, len(errors)))
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--selfcheck", action="store_true")
    args = ap.parse_args()
    files = build()
    if args.selfcheck:
        return selfcheck(files)
    write(files)
    print("wrote %d vectors to %s" % (len(files), os.path.relpath(DATA)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
