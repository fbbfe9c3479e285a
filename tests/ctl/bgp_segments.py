#!/usr/bin/python3
"""Turn a BGP conversation into text2pcap input (regex mode, see
decode_pcap.sh): each side's messages are concatenated into its TCP byte
stream and cut into segments of a fixed size, so that messages straddle
segments.  Segments are interleaved in conversation order; --swap N gives
the N-th segment of a side the timestamp of the next one of that side, so
that after reordercap the capture holds them out of order.

Input lines: "I HEX" (client -> server) or "O HEX" (server -> client);
'#' comments.  Output lines: "I|O SECONDS.MICROS HEX".
"""
import argparse
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('conversation')
    ap.add_argument('--segment', type=int, default=23)
    ap.add_argument('--start', type=float, default=1700000000.0)
    ap.add_argument('--swap', type=int, action='append', default=[])
    args = ap.parse_args()

    turns = []  # (dir, bytes) per message, in conversation order
    for line in open(args.conversation):
        line = line.split('#', 1)[0].split()
        if line:
            turns.append((line[0], bytes.fromhex(''.join(line[1:]))))

    # cut each side's stream, keeping the turn order
    segs = []  # [dir, data]
    pending = {'I': b'', 'O': b''}
    for d, data in turns:
        pending[d] += data
        while len(pending[d]) >= args.segment:
            segs.append([d, pending[d][:args.segment]])
            pending[d] = pending[d][args.segment:]
        # the other side speaks next: flush what this side has
        if pending[d]:
            segs.append([d, pending[d]])
            pending[d] = b''

    times = [args.start + i * 0.0001 for i in range(len(segs))]
    for side in 'IO':
        idx = [i for i, s in enumerate(segs) if s[0] == side]
        for n in args.swap:
            if n + 1 < len(idx):
                a, b = idx[n], idx[n + 1]
                times[a], times[b] = times[b], times[a]
    for (d, data), t in zip(segs, times):
        print('%s %.6f %s' % (d, t, data.hex()))


if __name__ == '__main__':
    sys.exit(main())
