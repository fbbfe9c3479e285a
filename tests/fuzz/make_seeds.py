#!/usr/bin/env python3
"""Build the libFuzzer seed corpora in tests/fuzz/corpus/ from the wire
vectors (tests/vectors/data).  Each seed is laid out as its target reads
it (see the selector byte in each fuzz_*.c).  Run after the vectors change:
    python3 tests/fuzz/make_seeds.py
"""
import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "vectors", "data")
OUT = os.path.join(HERE, "corpus")

# bgp_fam_table order (src/wire/bgp.c)
FAMS = [(1, 1), (2, 1), (1, 4), (2, 4), (1, 128), (2, 128), (1, 132),
        (1, 133), (2, 133), (1, 134), (2, 134)]


def put(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def selector(params):
    sel = 0
    if params.get("as4", True):
        sel |= 1
    if params.get("ibgp"):
        sel |= 2
    if params.get("addpath"):
        sel |= 0x80
    return sel


def attrs(body):
    """Yield (type, value) of an UPDATE body's path attributes."""
    if len(body) < 4:
        return
    wl = struct.unpack("!H", body[:2])[0]
    p = 2 + wl
    if p + 2 > len(body):
        return
    al = struct.unpack("!H", body[p:p + 2])[0]
    p += 2
    end = min(p + al, len(body))
    while p + 3 <= end:
        flags, t = body[p], body[p + 1]
        if flags & 0x10:
            if p + 4 > end:
                return
            ln = struct.unpack("!H", body[p + 2:p + 4])[0]
            p += 4
        else:
            ln = body[p + 2]
            p += 3
        yield t, body[p:p + ln]
        p += ln


def nlri_seeds(t, v, addpath):
    if len(v) < 3:
        return
    afi, safi = struct.unpack("!HB", v[:3])
    if (afi, safi) not in FAMS:
        return
    fam = FAMS.index((afi, safi))
    if t == 14:
        if len(v) < 4:
            return
        nhl = v[3]
        field, withdraw = v[4 + nhl + 1:], False
    else:
        field, withdraw = v[3:], True
    sel = fam | (0x40 if addpath else 0) | (0x80 if withdraw else 0)
    put("nlri", bytes([sel]) + field)
    if safi in (133, 134) and not addpath:
        flow_seeds(field, afi, safi == 134)


def flow_seeds(field, afi, vpn):
    p = 0
    while p < len(field):
        ln = field[p]
        if ln >= 0xf0:
            if p + 2 > len(field):
                return
            ln = ((ln & 0x0f) << 8) | field[p + 1]
            p += 2
        else:
            p += 1
        comps = field[p + (8 if vpn else 0):p + ln]
        put("flowspec", bytes([1 if afi == 2 else 0]) + comps)
        p += ln


def strings(o):
    if isinstance(o, str):
        yield o
    elif isinstance(o, dict):
        for v in o.values():
            yield from strings(v)
    elif isinstance(o, list):
        for v in o:
            yield from strings(v)


def main():
    n = 0
    for fn in sorted(os.listdir(DATA)):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(DATA, fn)) as f:
            vec = json.load(f)
        msg = bytes.fromhex(vec["hex"])
        params = vec.get("params", {})
        put("msg", bytes([selector(params)]) + msg)
        if len(msg) >= 19:
            body = msg[19:]
            if msg[18] == 2:
                put("update", bytes([selector(params)]) + body)
                for t, v in attrs(body):
                    if t in (14, 15):
                        nlri_seeds(t, v, bool(params.get("addpath")))
            elif msg[18] == 1:
                put("open", body)
        for s in strings(vec.get("expect", {})):
            if 0 < len(s) < 200 and not all(c in "0123456789abcdef" for c in s):
                put("text", s.encode())
        n += 1
    print(f"seeds from {n} vectors:",
          {t: len(os.listdir(os.path.join(OUT, t))) for t in sorted(os.listdir(OUT))})


if __name__ == "__main__":
    sys.exit(main())
