#!/usr/bin/env bash
# Runs every test of `make check` and ends with one line:
#   N passed, N failed[, N skipped]
# Each test program prints TAP lines ("ok - name", "not ok - name",
# "ok - name # SKIP why"); a program that exits non-zero without a
# "not ok" line counts as one failure.
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
logs=build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0 fail=0 skip=0

run_one() {
	local label=$1; shift
	local log="$logs/${label//\//_}.log" rc p f s t0=$SECONDS
	"$@" >"$log" 2>&1
	rc=$?
	t0=$((SECONDS - t0))
	p=$(grep -cE '^ok ' "$log" | tr -d ' ')
	s=$(grep -cE '^ok .*# *(SKIP|skip)' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok ' "$log" | tr -d ' ')
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $label exited with status $rc" >>"$log"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -ne 0 ]; then
		printf 'FAIL %-40s %d passed, %d failed, %d s (log: %s)\n' "$label" "$p" "$f" "$t0" "$log"
		grep -E '^not ok ' "$log" | sed 's/^/     /'
		tail -n 15 "$log" | sed 's/^/     | /'
	else
		printf 'ok   %-40s %d passed%s%s\n' "$label" "$p" "$([ "$s" -gt 0 ] && echo ", $s skipped")" "$([ "$t0" -gt 0 ] && echo ", $t0 s")"
	fi
}

# Unit tests, normal and sanitizer builds (cmocka speaks TAP when asked).
export CMOCKA_MESSAGE_OUTPUT=TAP
for b in build/test/test_* build/test/sim_* build-asan/test/test_* build-asan/test/sim_*; do
	[ -x "$b" ] || continue
	run_one "${b%%/*}:${b##*/}" "$b"
done
unset CMOCKA_MESSAGE_OUTPUT

# The committed fuzz corpus, replayed by each target (normal and ASan).
for b in build/fuzz/replay_* build-asan/fuzz/replay_*; do
	[ -x "$b" ] || continue
	run_one "${b%%/*}:fuzz-${b##*/replay_}" "$b" "fuzz/corpus/${b##*/replay_}"
done

# Command-line tests that need no namespace.
for t in test/cli/t_*.sh; do
	run_one "cli:$(basename "$t" .sh)" timeout 120 bash "$t"
done

# Namespace labs with the real kernel; the first ones again under ASan.
for t in test/ns/t_*.sh; do
	run_one "ns:$(basename "$t" .sh)" timeout 300 bash "$t"
done
for t in ${ASAN_LABS:-test/ns/t_basic.sh test/ns/t_badinput.sh}; do
	[ -x build-asan/mcast ] || continue
	MCAST=build-asan/mcast run_one "ns-asan:$(basename "$t" .sh)" timeout 300 bash "$t"
done

# Benchmarks prove they still run (no timing is asserted).
for t in bench/*.sh; do
	[ -f "$t" ] || continue
	run_one "bench-smoke:$(basename "$t" .sh)" timeout 300 bash "$t" --smoke
done

line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
line="$line ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
echo "$line"
[ "$fail" -eq 0 ]
