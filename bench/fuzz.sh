#!/usr/bin/env bash
# Fuzzing: every libFuzzer target (fuzz/fuzz_<target>.c, built by
# `make FUZZ=1 fuzz-bin` with clang, ASan and UBSan) runs for FUZZ_SECONDS
# (default 60) one after the other, seeded with the committed corpus
# fuzz/corpus/<target>; what it finds goes to build-fuzz/corpus/<target>,
# a crash (or timeout, or memory blow-up) to build-fuzz/crashes/<target>-*.
# Appends a section to bench/RESULTS.md: per target the executions, the
# seconds, the coverage from libFuzzer's last status line (cov: edges, ft:
# features), the corpus it ended with, and the crashes, which must be 0:
# any crash makes the script fail.
#
#   --smoke      FUZZ_RUNS (2000) executions per target, the committed
#                corpus first, at most 1 s; nothing written (make check
#                runs it: a run of 1 s took 2 s a target, libFuzzer checks
#                the time once a second)
#   --no-record  the full run without writing RESULTS.md (make fuzz)
#   --promote    afterwards, what the runs found that adds coverage to the
#                committed corpus (libFuzzer -merge=1) is copied into
#                fuzz/corpus/<target>, at most FUZZ_PROMOTE_MAX (20) of the
#                smallest such inputs per target
#   FUZZ_TARGETS="reply pcap" runs only those.
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
mode=record promote=0
for a in "$@"; do
	case $a in
	--smoke) mode=smoke ;;
	--no-record) mode=no-record ;;
	--promote) promote=1 ;;
	*) echo "usage: bench/fuzz.sh [--smoke | --no-record] [--promote]" >&2; exit 2 ;;
	esac
done
seconds=${FUZZ_SECONDS:-60} label=fuzz runs=-1
[ $mode = smoke ] && seconds=1 runs=${FUZZ_RUNS:-2000} label="fuzz smoke"
targets=${FUZZ_TARGETS:-$(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_||; s|\.c$||')}

if ! command -v clang >/dev/null; then
	[ $mode = smoke ] && { echo "ok - fuzz smoke # SKIP clang not installed (scripts/deps.sh installs it)"; exit 0; }
	echo "clang missing (scripts/deps.sh installs it)" >&2
	exit 1
fi
mkdir -p build-fuzz/crashes
if ! make -s -j2 FUZZ=1 fuzz-bin >build-fuzz/build.log 2>&1; then
	echo "not ok - fuzz targets did not build with clang (build-fuzz/build.log):"
	tail -n 20 build-fuzz/build.log | sed 's/^/#   /'
	exit 1
fi

# What a target reads: the first sentence after "libFuzzer target:".
describe() {
	sed -n '1,/\*\//p' "fuzz/fuzz_$1.c" | sed 's/^ *\/\?\*\/\? \?//' | tr '\n' ' ' |
	    sed -E 's/.*libFuzzer target: *//; s/\.  .*//; s/\. [A-Z].*//; s/\. *\*\/.*//; s/ *\*\/.*//; s/ *$//'
}

# run TARGET OUTDIR LOG: libFuzzer's own figures, one "key=value" a line.
run() {
	local t=$1 out=$2 log=$3 start end rc
	mkdir -p "$out"
	start=$(date +%s.%N)
	build-fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -runs="$runs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="build-fuzz/crashes/$t-" "$out" "fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	end=$(date +%s.%N)
	echo "rc=$rc"
	awk -v s="$start" -v e="$end" 'BEGIN { printf "seconds=%.1f\n", e - s }'
	sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/execs=\1/p' "$log"
	sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/per_sec=\1/p' "$log"
	sed -n 's/^stat::new_units_added: *\([0-9]*\)/new_units=\1/p' "$log"
	sed -n 's/^stat::peak_rss_mb: *\([0-9]*\)/rss_mb=\1/p' "$log"
	grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -n 1 |
	    sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\)\/\([0-9A-Za-z]*\).*/cov=\1\nft=\2\ncorp=\3\ncorp_size=\4/p'
	echo "crashes=$(ls "build-fuzz/crashes/$t-"* 2>/dev/null | wc -l)"
}

declare -A fig
failed=0
rows=()
for t in $targets; do
	[ -x "build-fuzz/fuzz/fuzz_$t" ] || { echo "not ok - fuzz $t: no build-fuzz/fuzz/fuzz_$t"; failed=1; continue; }
	rm -f "build-fuzz/crashes/$t-"*
	if [ $mode = smoke ]; then
		out=$(mktemp -d) log=$out.log
	else
		out=build-fuzz/corpus/$t log=build-fuzz/fuzz-$t.log
		echo "== fuzz $t ($seconds s)" >&2
	fi
	fig=()
	while IFS='=' read -r k v; do fig[$k]=$v; done < <(run "$t" "$out" "$log")
	execs=${fig[execs]:-0} crashes=${fig[crashes]:-0}
	if [ "${fig[rc]}" != 0 ] || [ "$crashes" != 0 ] || [ "$execs" = 0 ]; then
		[ "$crashes" = 0 ] && crashes=1
		echo "not ok - fuzz $t: exit status ${fig[rc]}, $execs execs, $crashes crashes (log: $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 5 | sed 's/^/#   /'
		failed=1
	else
		echo "ok - $label $t: $execs execs, 0 crashes"
	fi
	[ $mode = smoke ] && { rm -rf "$out" "$log"; continue; }
	rows+=("| $t | $(describe "$t") | $execs | ${fig[seconds]} | ${fig[per_sec]:-0} | ${fig[cov]:--} | ${fig[ft]:--} | $(ls "fuzz/corpus/$t" | wc -l) | ${fig[corp]:--} (${fig[corp_size]:--}) | ${fig[new_units]:-0} | ${fig[rss_mb]:--} | $crashes |")
done

if [ $promote = 1 ] && [ $mode != smoke ]; then
	for t in $targets; do
		fresh=$(mktemp -d)
		cp "fuzz/corpus/$t/"* "$fresh/"
		build-fuzz/fuzz/fuzz_"$t" -merge=1 "$fresh" "build-fuzz/corpus/$t" >/dev/null 2>&1
		n=0
		for f in $(ls -S -r "$fresh"); do
			[ -e "fuzz/corpus/$t/$f" ] && continue
			[ $n -ge "${FUZZ_PROMOTE_MAX:-20}" ] && break
			cp "$fresh/$f" "fuzz/corpus/$t/$f"
			n=$((n + 1))
		done
		echo "fuzz $t: $n inputs that add coverage promoted to fuzz/corpus/$t" >&2
		rm -rf "$fresh"
	done
fi

if [ $mode = record ] && [ $failed = 0 ]; then
	{
		echo
		echo "## Fuzzing — $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo
		echo "- command: \`bash bench/fuzz.sh\` (FUZZ_SECONDS=$seconds per target, one target at a time)"
		echo "- kernel $(uname -r), $(nproc) CPUs, load average before the last target: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "- $(clang --version | head -n 1), libFuzzer with ASan and UBSan; tree at git $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
		echo "- seeds: fuzz/corpus/<target> (committed); cov = edges, ft = features, from libFuzzer's last status line; corpus = what libFuzzer held at the end (inputs, bytes)"
		echo
		echo "| target | what it reads | executions | seconds | exec/s | cov | ft | seeds | corpus | new inputs | peak RSS MB | crashes |"
		echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		printf '%s\n' "${rows[@]}"
	} >>bench/RESULTS.md
fi
[ $mode = smoke ] || printf '%s\n' "${rows[@]}" >&2
exit $failed
