#!/usr/bin/env bash
# Repeated operands and options are refused by the parser: exit 2 and one
# line naming what came twice, before any socket is opened or group joined.
# Needs no namespace: every case fails while the command line is read.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MCAST=${MCAST:-build/mcast}
case $MCAST in /*) ;; *) MCAST=$TOP/$MCAST ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rc=0

# usage NAME "expected stderr" ARGS...: `mcast ARGS` exits 2 with exactly
# that one line on standard error and nothing on standard output.
usage() {
	local name=$1 want=$2 st; shift 2
	"$MCAST" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" = 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ ! -s "$tmp/out" ]; then
		echo "ok - $name"
	else
		echo "not ok - $name: status $st, stderr: $(head -c 300 "$tmp/err"), stdout: $(head -c 100 "$tmp/out")"
		rc=1
	fi
}

usage "join G G" \
    "mcast: group 239.1.1.1 given twice: expected each group once" \
    join 239.1.1.1 239.1.1.1
usage "join: the same IPv6 group spelt twice" \
    "mcast: group ff05::1 given twice (once as ff05:0::1): expected each group once" \
    join ff05::1 ff05:0::1
usage "join -S X -S X" \
    "mcast: source 198.18.1.1 given twice: expected each source once" \
    join -S 198.18.1.1 -S 198.18.1.1 232.1.1.1
usage "recv -S X -S X" \
    "mcast: source 198.18.1.1 given twice: expected each source once" \
    recv -S 198.18.1.1 -S 198.18.1.1 232.1.1.1:5000
usage "recv G:P G:P" \
    "mcast: GROUP:PORT 239.1.1.1:5000 given twice: expected each GROUP:PORT once" \
    recv 239.1.1.1:5000 239.1.1.1:5000
usage "recv: the same IPv6 GROUP:PORT spelt twice" \
    "mcast: GROUP:PORT [ff05::0:1]:5000 given twice: expected each GROUP:PORT once" \
    recv '[ff05::1]:5000' '[ff05::0:1]:5000'
usage "addr A A" \
    "mcast: address 239.1.1.1 given twice: expected each address once" \
    addr 239.1.1.1 239.1.1.1
usage "groups -i twice" \
    "mcast: -i given twice (lo, then lo): expected one interface" \
    groups -i lo -i lo
# The first value of these is checked against the host's interfaces, which
# a test without a namespace cannot choose: the repeat is refused first.
usage "igmp emulate --source twice" \
    "mcast: --source given twice (198.18.1.1, then 198.18.1.2): expected one source (the hosts join INCLUDE {S})" \
    igmp emulate --source 198.18.1.1 --source 198.18.1.2
usage "igmp emulate --groups twice" \
    "mcast: --groups given twice (239.1.1.1, then 239.1.1.2/4): expected one G[/COUNT] (COUNT groups from G up)" \
    igmp emulate --groups 239.1.1.1 --groups 239.1.1.2/4
usage "igmp emulate --first-host twice" \
    "mcast: --first-host given twice (198.18.1.10, then 198.18.1.20): expected one first address" \
    igmp emulate --first-host 198.18.1.10 --first-host 198.18.1.20
# Different groups, or one group on two ports, are not repeats.
"$MCAST" addr 239.1.1.1 239.1.1.2 >/dev/null 2>&1
st=$?
if [ "$st" = 0 ]; then echo "ok - addr of two groups is fine"; else echo "not ok - addr of two groups: status $st"; rc=1; fi
exit $rc
