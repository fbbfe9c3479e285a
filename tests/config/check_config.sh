#!/bin/sh
# check_config.sh VTOPOD FILE [PATH]: vtopod -n must accept FILE (exit 0),
# or, given PATH, reject it (exit 1) naming the data path PATH among the
# errors it prints.  Either way no sanitizer may have spoken (UBSan
# reports do not change the exit status).
vtopod=$1 file=$2 want=$3
out=$("$vtopod" -n -f "$file" 2>&1)
rc=$?
printf '%s\n' "$out"
case $out in *AddressSanitizer* | *"runtime error"*) echo "sanitizer report"; exit 1 ;; esac
if [ -z "$want" ]; then
	[ $rc -eq 0 ] || { echo "exit status $rc, want 0"; exit 1; }
	exit 0
fi
[ $rc -eq 1 ] || { echo "exit status $rc, want 1"; exit 1; }
printf '%s\n' "$out" | grep -qF -- "$want: " || { echo "no error at $want"; exit 1; }
exit 0
