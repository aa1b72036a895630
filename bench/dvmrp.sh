#!/usr/bin/env bash
# DVMRP benchmark: time from start to two-way adjacency and to complete
# route tables, mcastd with mrouted 4.6 (built from ../shared/peers) beside
# mrouted with mrouted, in the same run, rounds alternating between pairs.
#
#   bash bench/dvmrp.sh           ROUNDS (default 7); appends a dated
#                                 section to bench/RESULTS.md; the last line
#                                 printed is the headline ratio
#   bash bench/dvmrp.sh --smoke   one round of each pair; TAP lines, writes
#                                 nothing
#
# Environment: ROUNDS (7), RESULTS (bench/RESULTS.md), MCAST, MCASTD,
# MCASTCTL, PEERS (the directory of build-mrouted.sh).
#
# Lab: two router namespaces on one LAN, each with a LAN of its own:
#
#   LAN 1 -- eth1 [a] eth0 198.18.2.1 --LAN 2-- 198.18.2.2 eth0 [b] eth1 -- LAN 3
#
# Pairs (a, b): "mcastd, mrouted" (mcastd first), "mrouted, mcastd" (mrouted
# first) and "mrouted, mrouted".  Each round starts a's router, waits until
# its control socket answers, then starts b's: t0 is just before b's start
# (no adjacency can form before both run).  One capture on a's port of
# LAN 2 (tcpdump, from before a starts) times, relative to t0:
#   adjacency  the later of a's first probe listing b and b's first probe
#              listing a: from then on both see themselves in the other's
#              probes (two-way);
#   routes     the later of a's first report carrying LAN 1 (198.18.1.0)
#              at a metric below 32 and b's carrying LAN 3: from then on
#              each has the other's LAN in its table (both have only those).
# After the figures, mroutectl must list the route where mrouted runs.
# Both routers are stopped (and their VIFs gone) before the next round.
set -u

. "$(dirname "$0")/lib.bash"
bench_start dvmrp 120 $((120 + ${ROUNDS:-7} * 3 * 25)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
NAME=dvmrp
[ $SMOKE = 1 ] && NAME="dvmrp smoke"
ROUNDS=${ROUNDS:-7}
[ $SMOKE = 1 ] && ROUNDS=1
PAIRS=("mcastd mrouted" "mrouted mcastd" "mrouted mrouted")

require_lab
require_mcastd
require_mrouted
command -v tcpdump >/dev/null || { not_ok "$NAME: tcpdump missing (scripts/deps.sh installs it)"; exit 1; }

for lan in 1 2 3; do
	lan_bridge $lan
done
for r in a b; do
	new_ns $r
	router_sysctls $r
done
lan_port a eth0 2 1 # p1: the capture's port
lan_port a eth1 1 1
lan_port b eth0 2 2
lan_port b eth1 3 1



# dvmrp_times PCAP T0: "ADJACENCY_MS ROUTES_MS" from the capture ("" when either
# did not happen).
dvmrp_times() {
	"$MCAST" dump -r "$1" --json 2>/dev/null | python3 -c '
import json, sys
t0 = float(sys.argv[1]) / 1000
a, b = "198.18.2.1", "198.18.2.2"
want = {a: "198.18.1.0", b: "198.18.3.0"}
probe, report = {}, {}
for line in sys.stdin:
    try:
        p = json.loads(line)
    except ValueError:
        continue
    d, s = p.get("dvmrp") or {}, p.get("src")
    if s not in want or p["time"] < t0:
        continue
    other = b if s == a else a
    if d.get("code") == "probe" and other in d.get("neighbors", []):
        probe.setdefault(s, p["time"])
    if d.get("code") == "report" and any(
            r["origin"] == want[s] and r["metric"] < 32 for r in d.get("routes", [])):
        report.setdefault(s, p["time"])
if len(probe) == 2 and len(report) == 2:
    print("%.1f %.1f" % ((max(probe.values()) - t0) * 1000,
                         (max(report.values()) - t0) * 1000))' "$2"
}

# mr_route NS ORIGIN: mrouted in NS has a route to ORIGIN (198.18.1/24).
mr_route() {
	mrctl "$1" -t show routes | awk -v o="$2" '$1 == o { f = 1 } END { exit !f }'
}

# round PAIR N
round() {
	local ka=${1% *} kb=${1#* } key=${1/ /-} t0 got pcap=$TMP/r$2-${1/ /-}.pcap
	bg sw tcpdump -i p1 -n -U --immediate-mode -w "$pcap" 'ip proto 2' 2>"$pcap.err"
	local cap=$LAST_PID
	wait_for 5 grep -q "listening on" "$pcap.err" || { fail "tcpdump did not start"; return; }
	start_router a "$ka" || { fail "$ka did not start in a"; return; }
	t0=$(now_ms)
	start_router b "$kb" || { fail "$kb did not start in b"; stop_router a "$ka"; return; }
	# mrouted probes every 10 s: within 25 s or never.
	got=""
	wait_for 25 eval 'got=$(dvmrp_times "$pcap" "$t0"); [ -n "$got" ]'
	if [ -z "$got" ]; then
		fail "$1 round $2: no adjacency and routes within 25 s"
	else
		add "adj_$key" "${got% *}"
		add "routes_$key" "${got#* }"
		echo -n " $key ${got% *}/${got#* } ms"
	fi
	[ "$kb" != mrouted ] || wait_for 2 mr_route b 198.18.1/24 ||
	    fail "$1 round $2: mrouted in b has no route to 198.18.1/24"
	[ "$ka" != mrouted ] || wait_for 2 mr_route a 198.18.3/24 ||
	    fail "$1 round $2: mrouted in a has no route to 198.18.3/24"
	stop_router b "$kb"
	stop_router a "$ka"
	kill "$cap" 2>/dev/null
	reap "$cap"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# dvmrp: $ROUNDS round(s) of ${#PAIRS[@]} pairs"
for n in $(seq "$ROUNDS"); do
	echo -n "# round $n:"
	for pair in "${PAIRS[@]}"; do
		round "$pair" "$n"
	done
	echo
done

if [ $SMOKE = 1 ]; then
	for pair in "${PAIRS[@]}"; do
		key=${pair/ /-}
		check "$NAME: $pair: two-way adjacency ($(med "adj_$key") ms) and routes ($(med "routes_$key") ms)" \
		    test "$(sample "routes_$key" n)" = 1
	done
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

report() {
	local pair key
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — dvmrp (mcastd with mrouted against mrouted with mrouted)"
	echo
	echo "- command: \`bash bench/dvmrp.sh\` (ROUNDS=$ROUNDS)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	peers_line
	echo "- t0: just before the second router (b) starts, the first (a) answering its control socket; times from one capture on LAN 2"
	echo
	echo "| ms from t0 (a, b) | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for pair in "${PAIRS[@]}"; do
		key=${pair/ /-}
		echo "| two-way adjacency: ${pair/ /, } | $(fig "adj_$key") |"
		echo "| route tables complete: ${pair/ /, } | $(fig "routes_$key") |"
	done
	echo
	echo "| ratio (from the medians) | value |"
	echo "|---|---:|"
	echo "| adjacency, (mcastd, mrouted) / (mrouted, mrouted) | $(div3 "$(med adj_mcastd-mrouted)" "$(med adj_mrouted-mrouted)") |"
	echo "| adjacency, (mrouted, mcastd) / (mrouted, mrouted) | $(div3 "$(med adj_mrouted-mcastd)" "$(med adj_mrouted-mrouted)") |"
	echo "| routes, (mcastd, mrouted) / (mrouted, mrouted) | $(div3 "$(med routes_mcastd-mrouted)" "$(med routes_mrouted-mrouted)") |"
	echo "| routes, (mrouted, mcastd) / (mrouted, mrouted) | $(div3 "$(med routes_mrouted-mcastd)" "$(med routes_mrouted-mrouted)") |"
	echo
	echo "Reading the figures: a router that hears a new neighbour's first probe (which lists nobody) can answer it at once with a probe listing the newcomer, or wait for its own probe timer (10 s). mcastd answers at once, so with mcastd running first the adjacency and the route exchange follow mrouted's start within milliseconds; mrouted waits for its timer, so with mrouted first both pairs take up to 10 s. The last line compares the same start order (mrouted first) with mcastd or mrouted second."
	failures_line
	echo
}
report >"$TMP/section.md"
if [ ! -f "$RESULTS" ]; then
	printf '# Benchmark results\n\nSections are appended by the benchmark scripts; figures are never edited by hand.\n\n' >"$RESULTS"
fi
cat "$TMP/section.md" >>"$RESULTS"
cat "$TMP/section.md"
echo "dvmrp_routes_ratio_vs_mrouted=$(div3 "$(med routes_mrouted-mcastd)" "$(med routes_mrouted-mrouted)")"
