# Shared by the command-line tests (test/cli/t_*.sh): the binary, a scratch
# directory removed at exit, TAP lines, and the exit status they add up to.
#
#   ok NAME / not_ok NAME        a TAP line (not_ok makes the test fail)
#   expect_eq NAME GOT WANT      ok when equal
#   expect_usage NAME "stderr" ARGS...  `mcast ARGS` exits 2 with exactly
#                                that one line on standard error and
#                                nothing on standard output
#   finish                       exit with the status the lines add up to
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MCAST=${MCAST:-build/mcast}
case $MCAST in /*) ;; *) MCAST=$TOP/$MCAST ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CLI_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; CLI_FAILED=1; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', expected '$3'"; fi; }

expect_usage() {
	local name=$1 want=$2 st; shift 2
	"$MCAST" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" = 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ ! -s "$tmp/out" ]; then
		ok "$name"
	else
		not_ok "$name: status $st, stderr: $(head -c 300 "$tmp/err"), stdout: $(head -c 100 "$tmp/out")"
	fi
}

finish() {
	exit "$CLI_FAILED"
}
