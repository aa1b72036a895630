#!/usr/bin/env bash
# Querier election on a LAN shared by two routers (RFC 3376 6.6.2, RFC 2236
# 3): between two mcastd the lower address queries and the other stays
# quiet; when the querier dies the other takes over one Other Querier
# Present Interval (RV x QI + QRI/2) after the last query it heard.  Then
# the same against igmpproxy, which queries on its downstream interfaces
# but takes no part in the election.
#
#             LAN1 (shared, bridge br1)           hq 198.18.1.9: mcast dump
#  r1 eth0 198.18.1.1 --+-- r2 eth0 198.18.1.2 --+-- px eth0 (igmpproxy)
#  r1 eth1: LAN2           r2 eth1: LAN3
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
QI=2000 QRI=1000 RV=2
OQPI=$((RV * QI + QRI / 2))
lan_bridge 1
lan_bridge 2
lan_bridge 3
new_ns hq
lan_port hq eth0 1 9
for r in r1 r2; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth0 1 1
lan_port r1 eth1 2 1
lan_port r2 eth0 1 2
lan_port r2 eth1 3 1
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval ${QI}ms
	query-response-interval ${QRI}ms
	robustness $RV
}
CONF

# querier NS IF: the QUERIER column of mcastctl show interfaces.
querier() {
	mctl "$1" show interfaces 2>/dev/null | awk -v i="$2" '$1 == i { print $8 }'
}
# queries_from FILE SRC [any]: times (epoch seconds) of the general
# queries (with "any": of all queries) SRC sent.
queries_from() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    try:
        p = json.loads(line)
    except ValueError:
        continue
    if p.get("src") == sys.argv[2] and p.get("kind", "").endswith("query") \
       and (sys.argv[3] == "any" or p.get("group") == "0.0.0.0"):
        print(p["time"])' "$1" "$2" "${3:-general}"
}
# takeover_ms FILE LOWER HIGHER AFTER: from LOWER's last query (of any
# kind: each restarts the Other Querier Present timer) to HIGHER's first
# general query after AFTER and after it; empty if either is missing.
takeover_ms() {
	local first last
	first=$(queries_from "$1" "$3" | awk -v t="$4" '$1 > t' | head -n 1)
	[ -n "$first" ] || return 0
	last=$(queries_from "$1" "$2" any | awk -v t="$first" '$1 < t' | tail -n 1)
	[ -n "$last" ] || return 0
	ms_between "$last" "$first"
}
# ms_between T1 T2: T2 - T1 in whole milliseconds (epoch seconds given).
ms_between() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'
}

bg hq "$MCAST" dump -i eth0 --json >"$TMP/dump.json"
dump=$LAST_PID
sleep 0.5

# 1. Two mcastd: the higher address starts first and is querier until the
# lower one appears.
start_mcastd r2 "$TMP/mcastd.conf" || { not_ok "mcastd started in r2"; exit 1; }
r2pid=$MCASTD_PID
expect_eq "r2 alone on LAN1 is querier" "$(querier r2 eth0)" self
start_mcastd r1 "$TMP/mcastd.conf" || { not_ok "mcastd started in r1"; exit 1; }
r1pid=$MCASTD_PID
check "r2 yields to the lower address 198.18.1.1" wait_for 3 eval '[ "$(querier r2 eth0)" = 198.18.1.1 ]'
expect_eq "r1 (lower address) is querier" "$(querier r1 eth0)" self
expect_eq "r1 is querier on its own LAN2" "$(querier r1 eth1)" self
expect_eq "r2 is querier on its own LAN3" "$(querier r2 eth1)" self
yielded=$(date +%s.%N)
sleep $((QI * 2 / 1000 + 1))
expect_eq "r2 still defers after two query intervals" "$(querier r2 eth0)" 198.18.1.1
n=$(queries_from "$TMP/dump.json" 198.18.1.2 any | awk -v t="$yielded" '$1 > t' | wc -l)
expect_eq "the non-querier r2 sent no query meanwhile" "$n" 0
n=$(queries_from "$TMP/dump.json" 198.18.1.1 | awk -v t="$yielded" '$1 > t' | wc -l)
check "the querier r1 sent general queries meanwhile ($n)" test "$n" -ge 2

# 2. The querier dies: r2 takes over one OQPI after r1's last query.
kill -9 $r1pid; wait $r1pid 2>/dev/null
killed=$(date +%s.%N)
check "r2 takes over after the querier died" wait_for $((OQPI / 1000 + 4)) eval '[ "$(querier r2 eth0)" = self ]'
sleep 0.3
d=$(takeover_ms "$TMP/dump.json" 198.18.1.1 198.18.1.2 "$killed")
echo "# takeover: r2's first query came ${d:-?} ms after r1's last one (OQPI $OQPI ms)"
check "takeover after the Other Querier Present Interval ($OQPI ms +- 1 s): ${d:-no queries seen} ms" \
    test -n "$d" -a "${d:-0}" -ge $((OQPI - 1000)) -a "${d:-0}" -le $((OQPI + 1000))
# r1 leaves the LAN: its address is used by igmpproxy below.
ip -n "$P-r1" link del eth0

# 3. igmpproxy as the other router, its downstream phyint on LAN1.
if ! command -v igmpproxy >/dev/null && [ -z "${LAB_USERNS:-}" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q igmpproxy >"$TMP/apt.log" 2>&1 ||
	    { apt-get update -q >/dev/null 2>&1 &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q igmpproxy >>"$TMP/apt.log" 2>&1; }
fi
if ! command -v igmpproxy >/dev/null; then
	if [ -n "${LAB_USERNS:-}" ]; then
		echo "ok - igmpproxy as the other router # SKIP igmpproxy is not installed, and a user namespace cannot install it (scripts/deps.sh as root does)"
	else
		echo "ok - igmpproxy as the other router # SKIP igmpproxy is not installed and apt-get install failed"
	fi
	kill -INT $dump; wait $dump 2>/dev/null
	finish
fi
# start_igmpproxy NS ADDRESS: igmpproxy with eth0 (ADDRESS on LAN1)
# downstream and a veth pair of its own upstream.
start_igmpproxy() {
	local ns=$1
	new_ns "$ns"
	router_sysctls "$ns"
	lan_port "$ns" eth0 1 "$2"
	ip -n "$P-$ns" link add up0 type veth peer name up1
	ip -n "$P-$ns" addr add 198.18.99.1/24 dev up0
	ip -n "$P-$ns" addr add 198.18.99.2/24 dev up1
	ip -n "$P-$ns" link set up0 up
	ip -n "$P-$ns" link set up1 up
	cat >"$TMP/$ns.conf" <<CONF
phyint up0 upstream ratelimit 0 threshold 1
phyint eth0 downstream ratelimit 0 threshold 1
CONF
	bg "$ns" igmpproxy -d "$TMP/$ns.conf" 2>"$TMP/$ns.log"
	PROXY_PID=$LAST_PID
}
echo "# $(igmpproxy -h 2>&1 | tail -n 1): it queries every 125 s (31 s at start) on its downstream phyints and ignores other queriers"

# 3a. igmpproxy with the LOWER address (.1): mcastd yields at its first
# query, then (igmpproxy sends its next general query only after 31 s)
# takes over again one OQPI after igmpproxy's last query, as RFC 3376
# 6.6.2 says.  igmpproxy may send group-specific queries meanwhile (for
# its own kernel's leave of 224.0.0.22): each restarts mcastd's timer.
before=$(date +%s.%N)
start_igmpproxy px1 1
if wait_for 5 eval '[ -n "$(queries_from "$TMP/dump.json" 198.18.1.1 | awk -v t="$before" '"'"'$1 > t'"'"')" ]'; then
	ok "igmpproxy (198.18.1.1) sent a general query on LAN1"
	q=$(queries_from "$TMP/dump.json" 198.18.1.1 | awk -v t="$before" '$1 > t' | head -n 1)
	check "mcastd yields to igmpproxy's lower address" wait_for 3 eval '[ "$(querier r2 eth0)" = 198.18.1.1 ]'
	check "mcastd takes over again when igmpproxy's queries stop" \
	    wait_for 25 eval '[ "$(querier r2 eth0)" = self ]'
	sleep 0.3
	d=$(takeover_ms "$TMP/dump.json" 198.18.1.1 198.18.1.2 "$q")
	echo "# takeover from igmpproxy: ${d:-?} ms after its last query (OQPI $OQPI ms)"
	check "... one OQPI ($OQPI ms +- 1 s) after igmpproxy's last query: ${d:-no queries seen} ms" \
	    test -n "$d" -a "${d:-0}" -ge $((OQPI - 1000)) -a "${d:-0}" -le $((OQPI + 1000))
else
	not_ok "igmpproxy (198.18.1.1) sent a general query on LAN1"
	sed 's/^/#   /' "$TMP/px1.log" | tail -n 20
fi
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null

# 3b. igmpproxy with a HIGHER address (.3): mcastd stays querier.
before=$(date +%s.%N)
start_igmpproxy px3 3
if wait_for 5 eval '[ -n "$(queries_from "$TMP/dump.json" 198.18.1.3 | awk -v t="$before" '"'"'$1 > t'"'"')" ]'; then
	ok "igmpproxy (198.18.1.3) sent a general query on LAN1"
	sleep $((QI / 1000 + 1))
	expect_eq "mcastd (lower address) stays querier" "$(querier r2 eth0)" self
	n=$(queries_from "$TMP/dump.json" 198.18.1.2 | awk -v t="$before" '$1 > t' | wc -l)
	check "mcastd goes on querying ($n general queries in a query interval)" test "$n" -ge 1
	echo "# igmpproxy queried though mcastd, with the lower address, is querier: igmpproxy has no election"
else
	not_ok "igmpproxy (198.18.1.3) sent a general query on LAN1"
	sed 's/^/#   /' "$TMP/px3.log" | tail -n 20
fi
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null
kill -INT $dump; wait $dump 2>/dev/null
check "mcastd in r2 still runs" kill -0 $r2pid
finish
