"""UDP traffic for the data-plane scenarios, run inside host namespaces.

    udpflow.py echo ADDR PORT SECONDS
        answer every datagram to ADDR:PORT with the same bytes, for SECONDS
    udpflow.py flows SRC DST PORT FIRST N COUNT TRIES
        N flows from SRC, source ports FIRST..FIRST+N-1, to DST:PORT (an
        echo): each sends COUNT probes one after the other, a probe is sent
        up to TRIES times until its echo comes back (0.5 s each).  Prints
        "PORT SENT ANSWERED" per flow, then "total SENT ANSWERED"
    udpflow.py sink ADDR PORT SECONDS IDLE [STOPFILE]
        count sequence numbers arriving on ADDR:PORT until SECONDS pass or,
        once something arrived (and STOPFILE exists, if given), IDLE
        seconds pass without a datagram.
        Prints JSON: received, first, last, missing (count), gaps (list of
        [first-missing, count] runs), dups
    udpflow.py stream SRC DST PORT INTERVAL COUNT [STOPFILE]
        COUNT datagrams from SRC to DST:PORT carrying sequence numbers 0..,
        one every INTERVAL seconds (paced on the clock, not by sleeps that
        drift), fewer if STOPFILE appears.  Prints "start EPOCH" (the
        wall-clock time of #0) at once, then "sent SEQ EPOCH" for each
        datagram (when it really left: a sender the scheduler held back
        sends late, in a burst), then the number sent

Bounded in count and time; addresses are the test's own namespaces.
"""

import json
import os
import select
import socket
import struct
import sys
import time


def echo(addr, port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    end = time.time() + float(seconds)
    while time.time() < end:
        r, _, _ = select.select([s], [], [], 1)
        if r:
            data, peer = s.recvfrom(2048)
            s.sendto(data, peer)


def flows(src, dst, port, first, n, count, tries):
    total_s = total_a = 0
    for p in range(int(first), int(first) + int(n)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((src, p))
        s.connect((dst, int(port)))
        sent = answered = 0
        for i in range(int(count)):
            msg = struct.pack("!HI", p, i)
            for _ in range(int(tries)):
                s.send(msg)
                sent += 1
                r, _, _ = select.select([s], [], [], 0.5)
                if r and s.recv(2048) == msg:
                    answered += 1
                    break
        s.close()
        print(p, sent, answered)
        total_s += sent
        total_a += answered
    print("total", total_s, total_a)


def sink(addr, port, seconds, idle, stopfile=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((addr, int(port)))
    end = time.time() + float(seconds)
    seen = set()
    dups = 0
    last_rx = None
    while time.time() < end:
        if (last_rx is not None and time.time() - last_rx > float(idle) and
                (stopfile is None or os.path.exists(stopfile))):
            break
        r, _, _ = select.select([s], [], [], 0.1)
        if not r:
            continue
        data = s.recv(2048)
        if len(data) < 4:
            continue
        (seq,) = struct.unpack("!I", data[:4])
        if seq in seen:
            dups += 1
        seen.add(seq)
        last_rx = time.time()
    out = {"received": len(seen), "dups": dups, "first": None, "last": None,
           "missing": 0, "gaps": []}
    if seen:
        lo, hi = min(seen), max(seen)
        out["first"], out["last"] = lo, hi
        run = None
        for q in range(lo, hi + 1):
            if q not in seen:
                if run is None:
                    run = [q, 0]
                    out["gaps"].append(run)
                run[1] += 1
                out["missing"] += 1
            else:
                run = None
    print(json.dumps(out))


def stream(src, dst, port, interval, count, stopfile=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    t0 = time.monotonic()
    print("start %.6f" % time.time(), flush=True)
    iv = float(interval)
    sent = 0
    log = []
    for i in range(int(count)):
        if stopfile and i % 10 == 0 and os.path.exists(stopfile):
            break
        delay = t0 + i * iv - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            s.sendto(struct.pack("!I", i) + b"x" * 60, (dst, int(port)))
        except OSError:
            pass  # counted as lost by the sink
        log.append("sent %d %.6f" % (i, time.time()))
        sent += 1
    print("\n".join(log))
    print(sent)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"echo": echo, "flows": flows, "sink": sink, "stream": stream}[cmd](*args)


if __name__ == "__main__":
    main()
