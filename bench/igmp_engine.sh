#!/usr/bin/env bash
# IGMP engine costs in instructions (callgrind: repeatable, whatever the
# machine is doing):
#   - the router engine's work per report at 100 and at 10,000 groups x 100
#     hosts (v2 reports, and v3 ALLOW records): the ratio shows whether the
#     cost per report grows with the number of groups;
#   - the host engine's heap per membership.
# Appends a dated section to bench/RESULTS.md.  --smoke: tiny sizes, no
# callgrind, no RESULTS.md (make check runs it).
set -u
cd "$(dirname "$0")/.."
BIN=build/bench/igmp_engine
[ -x $BIN ] || make -s $BIN || { echo "not ok - igmp_engine did not build"; exit 1; }

if [ "${1:-}" = --smoke ]; then
	out=$($BIN router 100 10 v3 && $BIN host 100)
	if echo "$out" | grep -q '^reports=1000 groups=100 ' &&
	    echo "$out" | grep -q '^host_bytes=[0-9]* memberships=100 '; then
		echo "ok - igmp_engine smoke"
	else
		echo "not ok - igmp_engine smoke: $out"
		exit 1
	fi
	exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind missing (scripts/deps.sh installs it)"; exit 1; }

# instr_per_report GROUPS HOSTS v2|v3
instr_per_report() {
	local f=build/callgrind.igmp.$$ reports ir
	reports=$(valgrind --tool=callgrind --callgrind-out-file=$f \
	    --toggle-collect=bench_router_feed $BIN router "$1" "$2" "$3" 2>/dev/null |
	    sed -n 's/^reports=\([0-9]*\).*/\1/p')
	ir=$(callgrind_annotate $f 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
	rm -f $f
	echo "$ir $reports" | awk '{ printf "%.0f %.0f %.0f", $1 / $2, $1, $2 }'
}

declare -A per total count
for v in v2 v3; do
	for g in 100 10000; do
		read -r per["$v$g"] total["$v$g"] count["$v$g"] < <(instr_per_report $g 100 $v)
	done
done
# Wall-clock time per report, median of 5 runs: a figure, not a target
# (the machine is shared and noisy; the instruction counts above are exact).
ns=$(for i in 1 2 3 4 5; do $BIN router 10000 100 v2 | sed -n 's/.*ns_per_report=\([0-9.]*\)/\1/p'; done | sort -n | sed -n 3p)
mem1k=$($BIN host 1000 | sed -n 's/.*bytes_per_membership=\([0-9.]*\)/\1/p')
mem10k=$($BIN host 10000 | sed -n 's/.*bytes_per_membership=\([0-9.]*\)/\1/p')
ratio_v2=$(awk -v a="${per[v210000]}" -v b="${per[v2100]}" 'BEGIN { printf "%.2f", a / b }')
ratio_v3=$(awk -v a="${per[v310000]}" -v b="${per[v3100]}" 'BEGIN { printf "%.2f", a / b }')

{
	echo
	echo "## IGMP engines — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`bash bench/igmp_engine.sh\`; kernel $(uname -r); $(nproc) CPUs;"
	echo "valgrind $(valgrind --version | sed 's/valgrind-//'); instructions counted in"
	echo "\`bench_router_feed()\` only (decoded reports in, outputs drained)."
	echo
	echo "| workload | reports | instructions | per report |"
	echo "|---|---:|---:|---:|"
	for v in v2 v3; do
		for g in 100 10000; do
			echo "| router, $v reports, $g groups x 100 hosts | ${count[$v$g]} | ${total[$v$g]} | ${per[$v$g]} |"
		done
	done
	echo
	echo "| ratio / figure | value |"
	echo "|---|---:|"
	echo "| per-report cost, 10,000 groups / 100 groups (v2) | $ratio_v2 |"
	echo "| per-report cost, 10,000 groups / 100 groups (v3) | $ratio_v3 |"
	echo "| router wall-clock time per v2 report, 10,000 groups x 100 hosts (ns, median of 5) | $ns |"
	echo "| host engine heap per membership, 1,000 groups (bytes) | $mem1k |"
	echo "| host engine heap per membership, 10,000 groups (bytes) | $mem10k |"
} >>bench/RESULTS.md
echo "router instructions per report at 10,000 groups: v2 ${per[v210000]}, v3 ${per[v310000]}"
echo "host bytes per membership: $mem1k (1,000 groups), $mem10k (10,000)"
echo "igmp_router_instr_per_report_ratio_10k_vs_100_groups=$ratio_v2"
