"""ExaBGP API processes for the topology harness.

dump FILE        append every line ExaBGP writes to us (JSON messages) to FILE
pipe FIFO READY  copy the lines written to FIFO to ExaBGP (API commands);
                 create READY once FIFO is open

ExaBGP starts these as its `process` entries (tests/topo/lib/peers.sh).  Not
for anything else.
"""

import os
import sys


def dump(path):
    with open(path, "a", encoding="utf-8") as out:
        for line in sys.stdin:
            out.write(line)
            out.flush()


def pipe(fifo, ready):
    # Opened read-write: the open does not wait for a writer, and the pipe
    # never reads end-of-file when a writer closes it.
    fd = os.open(fifo, os.O_RDWR)
    with open(ready, "w", encoding="utf-8"):
        pass
    with os.fdopen(fd, "r", encoding="utf-8") as src:
        for line in src:
            sys.stdout.write(line)
            sys.stdout.flush()


def main():
    if sys.argv[1] == "dump":
        dump(sys.argv[2])
    elif sys.argv[1] == "pipe":
        pipe(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: exabgp_api.py dump FILE | pipe FIFO READY")


if __name__ == "__main__":
    main()
