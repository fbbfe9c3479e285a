#!/usr/bin/env bash
# Run one libFuzzer target for FUZZ_SECONDS (default 5) over its checked-in
# seed corpus, without writing into the corpus.  Fails on any crash, leak or
# sanitizer report.  Usage: run.sh TARGET_BINARY SEED_DIR
set -euo pipefail
bin=$1 seeds=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
exec "$bin" -max_total_time="${FUZZ_SECONDS:-5}" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 \
	-artifact_prefix="$work/" "$work/corpus" "$seeds"
