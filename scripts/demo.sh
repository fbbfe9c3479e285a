#!/usr/bin/env bash
# make demo: the service-chaining demo (draft Figure 1 in network namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh all
make all
echo "The service-chaining demo needs vtopod and vtopo-dp, which are not built yet."
echo "What runs today: the BGP decoder, e.g.  build/src/ctl/vtopoctl decode --help"
exit 1
