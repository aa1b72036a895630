# Sourced first by every bench/*.sh (not itself a benchmark: test/run.sh
# runs bench/*.sh).
#
#   bench_start NAME SMOKE_LIMIT FULL_LIMIT "$@"
#       sets SMOKE (1 with --smoke, 0 with no argument; anything else is a
#       usage error, exit 2), then runs the script again, once, under an
#       overall deadline of SMOKE_LIMIT or FULL_LIMIT seconds, whoever runs
#       it (make check adds its own).
bench_start() {
	local name=$1 smoke_limit=$2 full_limit=$3 limit
	shift 3
	SMOKE=0
	case "${1:-}" in
	--smoke) SMOKE=1 ;;
	"") ;;
	*) echo "usage: bash bench/$name.sh [--smoke]" >&2; exit 2 ;;
	esac
	if [ "${BENCH_DEADLINE:-}" != "$name" ]; then
		export BENCH_DEADLINE=$name
		limit=$full_limit
		[ $SMOKE = 1 ] && limit=$smoke_limit
		exec timeout -k 10 "$limit" bash "$0" "$@"
	fi
}

# reap PID: wait for it and forget it (test/ns/lib.sh's clean-up must not
# signal a pid that may have been reused).
reap() {
	local pid=$1 keep=() p
	wait "$pid" 2>/dev/null
	for p in "${BG_PIDS[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	BG_PIDS=("${keep[@]}")
}

# sample KEY median|min|max|n: over the samples the script collected in
# its associative array VALS[KEY] (space separated; "" when none).
sample() {
	echo "${VALS[$1]:-}" | tr ' ' '\n' | grep -v '^$' | sort -g |
	    awk -v w="$2" '{ a[NR] = $1 } END {
		if (NR == 0) exit
		if (w == "n") { print NR; exit }
		if (w == "min") { print a[1]; exit }
		if (w == "max") { print a[NR]; exit }
		if (NR % 2) print a[(NR + 1) / 2]
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
med() { sample "$1" median; }
# div A B: A/B with 2 decimals, or "n/a".
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }

# bench_append FILE: the report section in FILE appended to $RESULTS (made
# with its heading first), and printed.
bench_append() {
	if [ ! -f "$RESULTS" ]; then
		printf '# Benchmark results\n\nSections are appended by the benchmark scripts; figures are never edited by hand.\n\n' >"$RESULTS"
	fi
	cat "$1" >>"$RESULTS"
	cat "$1"
}
