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
