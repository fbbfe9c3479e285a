#!/usr/bin/env python3
"""fibprog: a second, independent writer of the FIB protocol
(docs/fib-protocol.md), used by the data-plane tests to program vtopo-dp.

    fibprog.py SOCKET GEN OPS.json [--fresh]

The writer claims to hold generation GEN-1 (0 with --fresh, like a vtopod
that just restarted).  When the data plane holds no state or another
generation it asks for a resync, and the batch then begins with RESYNC: what
is not restated is removed.

OPS.json is a list of ops, e.g.
  {"op": "vrf", "id": 1, "name": "red"}
  {"op": "if", "id": 1, "name": "veth0", "role": "attach", "vrf": 1,
   "addr": ["192.0.2.1/24"], "mtu": 0}
  {"op": "nh", "id": 1, "type": "local", "if": 1, "gw": "192.0.2.10"}
  {"op": "nh", "id": 2, "type": "tunnel", "pe": "198.18.0.2", "labels": [100]}
  {"op": "nh", "id": 3, "type": "lookup", "vrf": 1}
  {"op": "nh", "id": 4, "type": "ecmp", "symmetric": true, "members": [1, 2]}
  {"op": "nh", "id": 5, "type": "drop"}
  {"op": "route", "vrf": 1, "prefix": "198.51.100.0/24", "nh": 2}
  {"op": "label", "label": 100, "nh": 1}
  {"op": "flow", "vrf": 1, "id": 1, "priority": 10, "nlri": "hex", "nh": 3}
  {"op": "peer", "addr": "198.18.0.2"}
  {"op": "route-del", ...}, {"op": "label-del", ...} ...
Exits 0 when the data plane ACKs the commit with status 0.
"""
import ipaddress
import json
import socket
import struct
import sys

MAGIC = 0x56544642
HELLO, BATCH, COMMIT, RESYNC_REQ, ACK, SHOW, SHOW_REPLY = 1, 2, 3, 4, 5, 6, 7
OP_BASE = 16
OPS = {"resync": 1, "vrf": 2, "vrf-del": 3, "if": 4, "if-del": 5, "nh": 6, "nh-del": 7,
       "route": 8, "route-del": 9, "label": 10, "label-del": 11, "flow": 12,
       "flow-del": 13, "peer": 14, "peer-del": 15}
NH = {"drop": 1, "local": 2, "tunnel": 3, "lookup": 4, "ecmp": 5}


def msg(mtype, body=b""):
    return struct.pack(">IHH", 8 + len(body), mtype, 0) + body


def addr(text):
    if not text:
        return b"\x00"
    a = ipaddress.ip_address(text)
    return bytes([1 if a.version == 4 else 2]) + a.packed


def prefix(text):
    n = ipaddress.ip_network(text)
    return bytes([1 if n.version == 4 else 2, n.prefixlen]) + n.network_address.packed


def ifaddr(text):
    i = ipaddress.ip_interface(text)
    return bytes([1 if i.version == 4 else 2, i.network.prefixlen]) + i.ip.packed


def name(text):
    b = text.encode()
    return bytes([len(b)]) + b


def op_body(o):
    k = o["op"]
    if k == "resync":
        return b""
    if k == "vrf":
        return struct.pack(">I", o["id"]) + name(o["name"])
    if k in ("vrf-del", "if-del", "nh-del"):
        return struct.pack(">I", o["id"])
    if k == "if":
        role = 2 if o.get("role") == "service" else 1
        b = struct.pack(">I", o["id"]) + name(o["name"])
        b += struct.pack(">BIHB", role, o["vrf"], o.get("mtu", 0), len(o.get("addr", [])))
        for a in o.get("addr", []):
            b += ifaddr(a)
        return b
    if k == "nh":
        t = NH[o["type"]]
        b = struct.pack(">IB", o["id"], t)
        if t == 2:
            b += struct.pack(">I", o["if"]) + addr(o.get("gw"))
        elif t == 3:
            b += addr(o["pe"]) + bytes([len(o["labels"])])
            b += b"".join(struct.pack(">I", lb) for lb in o["labels"])
        elif t == 4:
            b += struct.pack(">I", o["vrf"])
        elif t == 5:
            b += bytes([1 if o.get("symmetric") else 0, len(o["members"])])
            b += b"".join(struct.pack(">I", m) for m in o["members"])
        return b
    if k in ("route", "route-del"):
        b = struct.pack(">I", o["vrf"]) + prefix(o["prefix"])
        return b + (struct.pack(">I", o["nh"]) if k == "route" else b"")
    if k in ("label", "label-del"):
        return struct.pack(">I", o["label"]) + (struct.pack(">I", o["nh"]) if k == "label" else b"")
    if k == "flow":
        nlri = bytes.fromhex(o["nlri"])
        return (struct.pack(">IIIBB", o["vrf"], o["id"], o.get("priority", 0),
                            o.get("afi", 1), len(nlri)) + nlri + struct.pack(">I", o["nh"]))
    if k == "flow-del":
        return struct.pack(">II", o["vrf"], o["id"])
    if k in ("peer", "peer-del"):
        return addr(o["addr"])
    raise ValueError("unknown op " + k)


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(5)
        self.s.connect(path)
        self.buf = b""

    def recv(self):
        while True:
            if len(self.buf) >= 8:
                ln, mtype, _ = struct.unpack(">IHH", self.buf[:8])
                if len(self.buf) >= ln:
                    body, self.buf = self.buf[8:ln], self.buf[ln:]
                    return mtype, body
            d = self.s.recv(65536)
            if not d:
                raise EOFError("data plane closed the connection")
            self.buf += d


def main():
    path, gen, ops_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    held = 0 if "--fresh" in sys.argv else gen - 1
    ops = json.load(open(ops_file))
    c = Conn(path)
    mtype, body = c.recv()
    assert mtype == HELLO, mtype
    magic, ver, role, _, dpgen = struct.unpack(">IHBBQ", body)
    assert magic == MAGIC and ver == 1 and role == 2
    c.s.sendall(msg(HELLO, struct.pack(">IHBBQ", MAGIC, 1, 1, 0, held)))
    if dpgen == 0 or dpgen != held:  # the data plane's rule, docs/fib-protocol.md
        mtype, _ = c.recv()
        assert mtype == RESYNC_REQ, "expected a resync request, got %d" % mtype
        ops = [{"op": "resync"}] + ops
    out = msg(BATCH, struct.pack(">Q", gen))
    for o in ops:
        out += msg(OP_BASE + OPS[o["op"]], op_body(o))
    out += msg(COMMIT, struct.pack(">Q", gen))
    c.s.sendall(out)
    while True:
        mtype, body = c.recv()
        if mtype == ACK:
            agen, status = struct.unpack(">QI", body)
            print("ack generation %d status %d (dp held generation %d)" % (agen, status, dpgen))
            sys.exit(0 if agen == gen and status == 0 else 1)


if __name__ == "__main__":
    main()
