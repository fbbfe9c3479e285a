#!/usr/bin/env bash
# make check: install what is missing, build with warnings as errors, build
# an ASan/UBSan variant and a libFuzzer variant, run every test, and end with
# one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh all || exit 1

status=0
setup() { # dir, extra args...
	local d=$1; shift
	if [ ! -f "$d/build.ninja" ]; then
		meson setup "$d" "$@" >"$d.setup.log" 2>&1 || { cat "$d.setup.log"; return 1; }
	fi
}

dirs=()
setup build -Dwerror=true && ninja -C build && dirs+=(build) || status=1
setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debug && ninja -C build-asan && dirs+=(build-asan) || status=1
CC=clang setup build-fuzz -Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized &&
	ninja -C build-fuzz || status=1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for d in "${dirs[@]}"; do
	echo "== tests in $d"
	# topology tests (network namespaces, real peers) run once, in the plain build
	if [ "$d" = build ]; then
		meson test -C "$d" --print-errorlogs --num-processes 2 || true
	else
		meson test -C "$d" --print-errorlogs --num-processes 2 --no-suite topo || true
	fi
done
if [ -f build-fuzz/build.ninja ]; then
	echo "== bounded fuzz run"
	FUZZ_SECONDS=${FUZZ_SECONDS:-5} meson test -C build-fuzz --suite fuzz --print-errorlogs \
		--num-processes 1 || true
	[ -f build-fuzz/meson-logs/testlog.json ] && dirs+=(build-fuzz)
fi

[ $status -ne 0 ] && echo "FAILED: a build step failed"
python3 scripts/summary.py "${dirs[@]}" || status=1
exit $status
