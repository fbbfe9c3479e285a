"""A raw BGP speaker for topology tests: hand-built messages, byte by byte.

    rawbgp.py LOCAL PEER AS FIFO LOG

Connects from LOCAL to PEER:179, sends an OPEN (AS, hold time 90, router
id LOCAL; capabilities: multiprotocol IPv4 unicast, 4-octet AS), answers
the peer's OPEN with a KEEPALIVE and sends one every 10 s.  Each line read
from FIFO names a message to send (`NAME PREFIX`, see MESSAGES); every
message received is appended to LOG as one line: `open`, `keepalive`,
`update`, `notification CODE SUBCODE`, and `closed` at the end.  A file
LOG.ready appears when the session is up.

The messages follow RFC 4271 s4.3; the malformed ones are the cases of
RFC 7606 named in their comments.  Nothing here parses what it builds: the
bytes are the test.  Not a BGP implementation.
"""

import ipaddress
import os
import socket
import struct
import sys
import threading
import time

MARKER = b"\xff" * 16
NEXT_HOP = None  # set from LOCAL
MY_AS = 0


def msg(typ, body):
    return MARKER + struct.pack("!HB", 19 + len(body), typ) + body


def attr(flags, typ, value, ext=False):
    if ext:
        return struct.pack("!BBH", flags | 0x10, typ, len(value)) + value
    return struct.pack("!BBB", flags, typ, len(value)) + value


def nlri(prefix):
    net = ipaddress.ip_network(prefix)
    n = (net.prefixlen + 7) // 8
    return bytes([net.prefixlen]) + net.network_address.packed[:n]


def origin(v=0):
    return attr(0x40, 1, bytes([v]))


def as_path(seg_type=2, asns=None):
    asns = asns if asns is not None else [MY_AS]
    return attr(0x40, 2, bytes([seg_type, len(asns)]) + b"".join(struct.pack("!I", a) for a in asns))


def next_hop():
    return attr(0x40, 3, NEXT_HOP)


def update(attrs, prefixes, withdrawn=b""):
    body = struct.pack("!H", len(withdrawn)) + withdrawn
    body += struct.pack("!H", len(attrs)) + attrs
    return msg(2, body + b"".join(nlri(p) for p in prefixes))


def mp_reach_v4(prefix):
    # RFC 4760 s3: AFI 1, SAFI 1, next hop length 4, reserved, NLRI
    v = struct.pack("!HBB", 1, 1, 4) + NEXT_HOP + b"\x00" + nlri(prefix)
    return attr(0x80, 14, v)


def m_valid(p):
    return update(origin() + as_path() + next_hop(), [p])


def m_bad_origin(p):
    # RFC 7606 s7.1: ORIGIN value undefined -> treat-as-withdraw
    return update(origin(7) + as_path() + next_hop(), [p])


def m_len_overrun(p):
    # RFC 7606 s4: the last attribute's length runs past the end of the
    # path attributes -> treat-as-withdraw.  NEXT_HOP claims 8 octets, 4
    # are there; the Total Path Attribute Length is right, so the NLRI
    # field can still be found.
    a = origin() + as_path() + struct.pack("!BBB", 0x40, 3, 8) + NEXT_HOP
    return update(a, [p])


def m_bad_as_path(p):
    # RFC 7606 s7.2: AS_PATH segment type 7 (undefined) -> treat-as-withdraw
    return update(origin() + as_path(seg_type=7) + next_hop(), [p])


def m_atomic_len1(p):
    # RFC 7606 s7.6: ATOMIC_AGGREGATE with length other than 0 ->
    # attribute discard
    return update(origin() + as_path() + next_hop() + attr(0x40, 6, b"\x00"), [p])


def m_dup_mp_reach(p):
    # RFC 7606 s3 (g): MP_REACH_NLRI more than once -> NOTIFICATION
    # UPDATE Message Error / Malformed Attribute List (3/1)
    a = origin() + as_path() + mp_reach_v4(p) + mp_reach_v4(p)
    body = struct.pack("!H", 0) + struct.pack("!H", len(a)) + a
    return msg(2, body)


MESSAGES = {
    "valid": m_valid,
    "bad-origin": m_bad_origin,
    "len-overrun": m_len_overrun,
    "bad-as-path": m_bad_as_path,
    "atomic-len1": m_atomic_len1,
    "dup-mp-reach": m_dup_mp_reach,
}


def open_msg(asn, rid):
    caps = bytes([1, 4, 0, 1, 0, 1])  # RFC 4760: IPv4 unicast
    caps += bytes([65, 4]) + struct.pack("!I", asn)  # RFC 6793
    opt = bytes([2, len(caps)]) + caps
    my_as = asn if asn < 65536 else 23456
    return msg(1, struct.pack("!BHH", 4, my_as, 90) + rid + bytes([len(opt)]) + opt)


def main(argv):
    global NEXT_HOP, MY_AS
    local, peer, asn, fifo, log = argv[1], argv[2], int(argv[3]), argv[4], argv[5]
    NEXT_HOP = ipaddress.ip_address(local).packed
    MY_AS = asn
    out = open(log, "a", buffering=1)
    s = socket.create_connection((peer, 179), timeout=30, source_address=(local, 0))
    s.settimeout(None)
    lock = threading.Lock()

    def send(b):
        with lock:
            s.sendall(b)

    send(open_msg(asn, NEXT_HOP))

    def reader():
        buf = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
            while len(buf) >= 19:
                ln, typ = struct.unpack("!HB", buf[16:19])
                if len(buf) < ln:
                    break
                m, buf = buf[:ln], buf[ln:]
                if typ == 1:
                    out.write("open\n")
                    send(msg(4, b""))
                elif typ == 4:
                    out.write("keepalive\n")
                    open(log + ".ready", "w").close()
                elif typ == 2:
                    out.write("update\n")
                elif typ == 3:
                    out.write("notification %d %d\n" % (m[19], m[20]))
        out.write("closed\n")
        os._exit(0)

    threading.Thread(target=reader, daemon=True).start()

    def keepalive():
        while True:
            time.sleep(10)
            send(msg(4, b""))

    threading.Thread(target=keepalive, daemon=True).start()
    while True:
        with open(fifo) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0] in MESSAGES:
                    send(MESSAGES[parts[0]](parts[1]))
                elif parts:
                    print("rawbgp: unknown command %r" % line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
