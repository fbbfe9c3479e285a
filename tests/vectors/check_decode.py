#!/usr/bin/python3
"""
check_decode.py: run `vtopoctl decode` on every wire vector and check that
the vector's "expect" is a subset of the JSON it prints.

Each vector is decoded by its own vtopoctl process (an OPEN in the input
would otherwise change the session parameters of the vectors after it), with
the vector's params as options: --no-as4, --addpath FAMILY, --ibgp.  Objects
are compared key by key (keys the vector does not mention are ignored), lists
element-wise with the order kept.

    check_decode.py VTOPOCTL DATA_DIR [-v]

Prints one line per failure and a summary; exit status 1 on any failure.
Not for: the bytes the encoder writes back (roundtrip.c checks those).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_tshark import write_pcap  # noqa: E402  (one pcap writer for both)

MARKER = "ff" * 16


def subset(exp, got, path, out):
    """Append a line to out for every place where exp is not in got."""
    where = ".".join(path) or "(top)"
    if isinstance(exp, dict):
        if not isinstance(got, dict):
            out.append("%s: expected an object, got %s" % (where, json.dumps(got)))
            return
        for k, v in exp.items():
            if k not in got:
                out.append("%s: missing key %r (expected %s)" % (where, k, json.dumps(v)))
            else:
                subset(v, got[k], path + [k], out)
    elif isinstance(exp, list):
        if not isinstance(got, list) or len(got) != len(exp):
            out.append("%s: expected %s, got %s" % (where, json.dumps(exp), json.dumps(got)))
            return
        for i, (e, g) in enumerate(zip(exp, got)):
            subset(e, g, path + ["%d" % i], out)
    elif type(exp) is not type(got) or exp != got:
        out.append("%s: expected %s, got %s" % (where, json.dumps(exp), json.dumps(got)))


def options(params):
    opts = []
    if params.get("as4") is False:
        opts.append("--no-as4")
    for fam in params.get("addpath", []):
        opts += ["--addpath", fam]
    if params.get("ibgp"):
        opts.append("--ibgp")
    return opts


def decode(vtopoctl, v, tmp):
    """Run the decoder on one vector; returns (list of JSON objects, stderr).
    Hex input cannot carry a wrong marker (the decoder puts a missing one
    back), so such a vector goes in as a capture."""
    cmd = [vtopoctl, "decode"] + options(v.get("params", {}))
    if v["hex"].startswith(MARKER):
        res = subprocess.run(cmd + ["-"], input=v["hex"] + "\n", capture_output=True,
                             text=True, timeout=30)
    else:
        pcap = os.path.join(tmp, "v.pcap")
        write_pcap(pcap, [bytes.fromhex(v["hex"])])
        res = subprocess.run(cmd + [pcap], capture_output=True, text=True, timeout=30)
    objs = []
    for line in res.stdout.splitlines():
        if line.strip():
            objs.append(json.loads(line))
    return objs, res.stderr.strip()


def check(name, v, objs, err):
    """Failure lines for one vector."""
    if len(objs) != 1:
        return ["%d JSON objects for one message%s" % (len(objs), (": " + err) if err else "")]
    got = objs[0]
    out = []
    exp = v["expect"]
    subset(exp, got, [], out)
    if "verdict" not in exp and "verdict" in got:
        out.append("unexpected verdict %s" % json.dumps(got["verdict"]))
    return out


def main():
    ap = argparse.ArgumentParser(description="check vtopoctl decode against the vectors")
    ap.add_argument("vtopoctl")
    ap.add_argument("data")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.data, "*.json")))
    if not files:
        print("no vectors in %s" % args.data)
        return 1
    nfail = nbad_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fn in files:
            name = re.sub(r"\.json$", "", os.path.basename(fn))
            with open(fn, encoding="utf-8") as fh:
                v = json.load(fh)
            try:
                objs, err = decode(args.vtopoctl, v, tmp)
            except (subprocess.SubprocessError, ValueError) as e:
                objs, err = [], "decoder failed: %s" % e
            lines = check(name, v, objs, err)
            if lines:
                nfail += 1
                for line in lines:
                    print("FAIL %s: %s" % (name, line))
                if args.verbose:
                    print("     got: %s" % json.dumps(objs))
            elif "verdict" in v["expect"]:
                nbad_ok += 1
    print("decode: %d vectors, %d passed (%d of them malformed), %d failed"
          % (len(files), len(files) - nfail, nbad_ok, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
