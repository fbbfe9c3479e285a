#!/usr/bin/env python3
"""Sum meson test results from one or more build dirs; print 'N passed, N failed'."""
import json
import sys

passed = failed = skipped = 0
for d in sys.argv[1:]:
    try:
        with open(f"{d}/meson-logs/testlog.json") as f:
            for line in f:
                if not line.strip():
                    continue
                t = json.loads(line)
                r = t.get("result")
                if r in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif r == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                    print(f"FAILED: {d}: {t.get('name')} ({r})")
    except FileNotFoundError:
        print(f"FAILED: {d}: no test log (build or setup failed)")
        failed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
