#!/bin/sh
# Runs each harness built by build.sh for SECONDS on a scratch copy of its
# seed corpus and prints TAP. Crash artifacts and logs are kept in the
# scratch directory, whose path is printed on failure.
# Usage: tests/fuzz/run.sh OUTDIR SECONDS
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 OUTDIR SECONDS" >&2
	exit 2
fi
out=$1
secs=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pd-fuzz-XXXXXX") || exit 1
n=0
failed=0
for h in fuzz_query fuzz_urlencoded fuzz_cookie fuzz_multipart fuzz_pdf fuzz_logo fuzz_directory fuzz_offers; do
	n=$((n + 1))
	corpus=$work/$h.corpus
	mkdir -p "$corpus" "$work/$h.artifacts"
	if [ -d "$here/corpus/$h" ]; then
		cp "$here/corpus/$h"/* "$corpus"/ 2>/dev/null
	fi
	dict=
	[ "$h" = fuzz_multipart ] && dict=-dict=$here/multipart.dict
	[ "$h" = fuzz_pdf ] && dict=-dict=$here/pdf.dict
	log=$work/$h.log
	if [ ! -x "$out/$h" ]; then
		echo "not ok $n - $h"
		echo "#   $out/$h not found (run build.sh first)"
		failed=1
		continue
	fi
	# shellcheck disable=SC2086
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$out/$h" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/$h.artifacts/" $dict \
		"$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n - $h (runs: $runs)"
	else
		echo "not ok $n - $h"
		echo "#   exit status $rc; log $log; artifacts in $work/$h.artifacts/"
		grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$log" | head -n 20 | sed 's/^/#   /'
		failed=1
	fi
done
echo "1..$n"
if [ $failed -eq 0 ]; then
	rm -rf "$work"
	exit 0
fi
exit 1
