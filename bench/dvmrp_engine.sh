#!/usr/bin/env bash
# DVMRP engine costs in instructions (callgrind: repeatable, whatever the
# machine is doing), bench/dvmrp_engine.c:
#   - per route entry of a report, 5,000 routes from one neighbour: the
#     codec (decode and walk), the route table learning every route (the
#     first full report) and in the steady state (the same report again);
#     at 500 routes too: the ratio shows whether the cost per entry grows
#     with the table;
#   - per prune received, 10,000 (origin, group) entries: the prune engine,
#     and the deadline query the router makes after every event;
#   - the heap per route and per prune entry.
# No peer: mrouted's route and prune code is no library to call; the
# side-by-side with mrouted is bench/dvmrp_scale.sh (the daemons' CPU on a
# real load).  Appends a dated section to bench/RESULTS.md; the last line is
# the headline.  --smoke: small sizes, no callgrind, writes nothing.
set -u
cd "$(dirname "$0")/.."
BIN=build/bench/dvmrp_engine
RESULTS=${RESULTS:-bench/RESULTS.md}
[ -x $BIN ] || make -s $BIN || { echo "not ok - dvmrp_engine did not build"; exit 1; }

if [ "${1:-}" = --smoke ]; then
	out=$($BIN rib 200 2 && $BIN prune 100)
	if echo "$out" | grep -q '^reports=2 decoded=200 learned=200 steady=400 routes=202$' &&
	    echo "$out" | grep -q '^prunes=100 entries=100 held=100 '; then
		echo "ok - dvmrp_engine smoke"
	else
		echo "not ok - dvmrp_engine smoke: $out"
		exit 1
	fi
	exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind missing (scripts/deps.sh installs it)"; exit 1; }

# instr FUNCTION ARGS...: the instructions counted in FUNCTION (inclusive;
# its clones too, e.g. bench_prunes.constprop.0).
instr() {
	local fn=$1 f=build/callgrind.dvmrp.$$ ir
	shift
	valgrind --tool=callgrind --callgrind-out-file=$f --toggle-collect="$fn*" \
	    $BIN "$@" >/dev/null 2>&1
	ir=$(callgrind_annotate $f 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
	rm -f $f
	echo "${ir:-0}"
}
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }

REPEATS=4
declare -A IR
for n in 500 5000; do
	for fn in bench_decode bench_learn bench_steady; do
		IR[$fn$n]=$(instr $fn rib $n $REPEATS)
	done
done
IR[bench_prunes]=$(instr bench_prunes prune 10000)
IR[bench_deadlines]=$(instr bench_deadlines prune 10000)
rib=$($BIN rib 5000 1 | sed -n 's/.*bytes_per_route=\([0-9.]*\)/\1/p')
prune=$($BIN prune 10000 | sed -n 's/.*bytes_per_entry=\([0-9.]*\)/\1/p')

{
	echo
	echo "## DVMRP engines — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`bash bench/dvmrp_engine.sh\`; kernel $(uname -r); $(nproc) CPUs;"
	echo "valgrind $(valgrind --version | sed 's/valgrind-//'); tree at git $(git rev-parse --short HEAD 2>/dev/null);"
	echo "instructions counted in one function of bench/dvmrp_engine.c (inclusive), divided by the entries it handled."
	echo
	echo "| workload | entries | instructions | per entry |"
	echo "|---|---:|---:|---:|"
	for n in 500 5000; do
		echo "| codec: decode $n routes in 576-byte reports | $n | ${IR[bench_decode$n]} | $(per "${IR[bench_decode$n]}" $n) |"
		echo "| route table: first full report, $n new routes | $n | ${IR[bench_learn$n]} | $(per "${IR[bench_learn$n]}" $n) |"
		echo "| route table: the same report again x $REPEATS (steady), $n routes | $((n * REPEATS)) | ${IR[bench_steady$n]} | $(per "${IR[bench_steady$n]}" $((n * REPEATS))) |"
	done
	echo "| prune engine: a prune received, 10,000 entries | 10000 | ${IR[bench_prunes]} | $(per "${IR[bench_prunes]}" 10000) |"
	echo "| prune engine: next deadline after each prune, 10,000 entries | 10000 | ${IR[bench_deadlines]} | $(per "${IR[bench_deadlines]}" 10000) |"
	echo
	echo "| ratio / figure | value |"
	echo "|---|---:|"
	echo "| steady per-entry cost, 5,000 routes / 500 routes | $(awk -v a="$(per "${IR[bench_steady5000]}" 5000)" -v b="$(per "${IR[bench_steady500]}" 500)" 'BEGIN { printf "%.2f", a / b }') |"
	echo "| route table heap per route, 5,000 routes (bytes) | $rib |"
	echo "| prune engine heap per entry with one prune received, 10,000 entries (bytes) | $prune |"
} >>"$RESULTS"
tail -n 20 "$RESULTS"
echo "dvmrp_rib_instr_per_entry_steady_5000=$(per "${IR[bench_steady5000]}" $((5000 * REPEATS)))"
