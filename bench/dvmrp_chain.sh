#!/usr/bin/env bash
# DVMRP convergence in a chain of 8 routers in network namespaces: mcastd
# beside mrouted 4.6 (built from ../shared/peers), the same chain, rounds
# alternating.
#
#   bash bench/dvmrp_chain.sh          ROUNDS (default 3); appends a dated
#                                      section to bench/RESULTS.md; the last
#                                      line printed is the headline ratio
#   bash bench/dvmrp_chain.sh --smoke  one round of mcastd with 4 routers;
#                                      TAP lines, writes nothing
#
#   [r1]-L1-[r2]-L2- ... -L7-[r8], each ri with a stub LAN 198.18.(100+i).0/24,
#   link Li 198.18.(110+i).0/24: 15 subnets.
#
# Times, from the moment the last router is started (all start within a
# second, in order):
#   complete   every router has a route to every subnet (a metric below
#              32) -- learned through the chain hop by hop;
# then the cable between r4 and r5 is pulled (both ends lose their
# carrier) at t1:
#   withdrawn  no router has a route any more to a subnet on the other
#              side (lost, held down at infinity, or gone).
# Both use the daemons' default intervals (probes 10 s, reports 60 s,
# triggered updates at most every 5 s).
set -u

. "$(dirname "$0")/lib.bash"
bench_start dvmrp_chain 200 $((200 + ${ROUNDS:-3} * 2 * 400)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
NAME=dvmrp_chain
[ $SMOKE = 1 ] && NAME="dvmrp_chain smoke"
ROUNDS=${ROUNDS:-3}
N=8 CUT=4
KINDS=(mcastd mrouted)
if [ $SMOKE = 1 ]; then
	ROUNDS=1 N=4 CUT=2
	KINDS=(mcastd)
fi
LIMIT_S=${LIMIT_S:-300}

require_lab
require_mcastd
[ $SMOKE = 1 ] || require_mrouted

for i in $(seq "$N"); do
	new_ns r$i
	router_sysctls r$i
	lan_bridge $((100 + i))
	lan_port r$i eth0 $((100 + i)) 1
	# A stub LAN needs something on it for its VIF to have a carrier.
	new_ns s$i
	lan_port s$i eth0 $((100 + i)) 10
done
for i in $(seq $((N - 1))); do
	lan_bridge $((110 + i))
	lan_port r$i eth2 $((110 + i)) 1
	lan_port r$((i + 1)) eth1 $((110 + i)) 2
done


# reachable NS KIND: the subnets (third octets) NS has a route to, sorted.
reachable() {
	case $2 in
	mcastd)
		mctl "$1" -j show routes 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit()
for r in d.get("dvmrp_route", []):
    if r["state"] == "up" and r["metric"] < 32:
        print(r["origin"].split(".")[2])' ;;
	mrouted)
		# "198.18.101/24 GATEWAY IF COST ..." (cost 32: unreachable)
		mrctl "$1" -t -d show routes 2>/dev/null | awk '
		    $1 ~ /^198\.18\.[0-9]+\/24$/ && $4 ~ /^[0-9]+$/ && $4 < 32 {
			split($1, a, "[./]"); print a[3] }' ;;
	esac | sort -n | tr '\n' ' '
}
ALL=$( (for i in $(seq "$N"); do echo $((100 + i)); done
	for i in $(seq $((N - 1))); do echo $((110 + i)); done) | sort -n | tr '\n' ' ')
# The subnets on r1..rCUT's side after the cut, and on the other side.
LEFT=$( (for i in $(seq "$CUT"); do echo $((100 + i)); done
	for i in $(seq $((CUT - 1))); do echo $((110 + i)); done) | sort -n | tr '\n' ' ')
RIGHT=$( (for i in $(seq $((CUT + 1)) "$N"); do echo $((100 + i)); done
	for i in $(seq $((CUT + 1)) $((N - 1))); do echo $((110 + i)); done) | sort -n | tr '\n' ' ')

all_complete() {
	local i
	for i in $(seq "$N"); do
		[ "$(reachable r$i "$1")" = "$ALL" ] || return 1
	done
}
all_withdrawn() {
	local i
	for i in $(seq "$N"); do
		if [ "$i" -le "$CUT" ]; then
			[ "$(reachable r$i "$1")" = "$LEFT" ] || return 1
		else
			[ "$(reachable r$i "$1")" = "$RIGHT" ] || return 1
		fi
	done
}


# wait_ms LIMIT_S FN KIND: ms until FN KIND holds (polled), or "".
wait_ms() {
	local t0 end
	t0=$(now_ms)
	end=$((t0 + $1 * 1000))
	while [ "$(now_ms)" -lt "$end" ]; do
		if "$2" "$3"; then
			echo $(($(now_ms) - t0))
			return
		fi
		sleep 0.2
	done
}

round() {
	local k=$1 i t
	for i in $(seq "$N"); do
		start_router r$i "$k" || { fail "$k did not start in r$i"; return; }
	done
	t=$(wait_ms "$LIMIT_S" all_complete "$k")
	if [ -z "$t" ]; then
		fail "$k round $2: routes not complete within $LIMIT_S s (r1 has: $(reachable r1 "$k"))"
	else
		add "complete_$k" "$t"
		echo -n " $k complete ${t} ms"
		nsx r$CUT ip link set eth2 down
		nsx r$((CUT + 1)) ip link set eth1 down
		t=$(wait_ms "$LIMIT_S" all_withdrawn "$k")
		if [ -z "$t" ]; then
			fail "$k round $2: routes not withdrawn within $LIMIT_S s (r1 has: $(reachable r1 "$k"))"
		else
			add "withdrawn_$k" "$t"
			echo -n ", withdrawn ${t} ms"
		fi
		nsx r$CUT ip link set eth2 up
		nsx r$((CUT + 1)) ip link set eth1 up
	fi
	for i in $(seq "$N"); do
		stop_router r$i "$k"
	done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# dvmrp_chain: $ROUNDS round(s) of ${KINDS[*]}, $N routers"
for n in $(seq "$ROUNDS"); do
	echo -n "# round $n:"
	for k in "${KINDS[@]}"; do
		round "$k" "$n"
	done
	echo
done

if [ $SMOKE = 1 ]; then
	check "$NAME: $N mcastd routers: every route in $(med complete_mcastd) ms, withdrawn after the cut in $(med withdrawn_mcastd) ms" \
	    test "$(sample withdrawn_mcastd n)" = 1
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

report() {
	local k
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — dvmrp_chain ($N mcastd against $N mrouted in a chain: convergence)"
	echo
	echo "- command: \`bash bench/dvmrp_chain.sh\` (ROUNDS=$ROUNDS)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	peers_line
	echo "- $N routers in a line, 15 subnets; routes polled every 0.2 s through mcastctl / mroutectl; default intervals (probes 10 s, reports 60 s, triggered updates at most every 5 s); the cable between r$CUT and r$((CUT + 1)) pulled"
	echo
	echo "| ms | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for k in "${KINDS[@]}"; do
		echo "| $k: last router started to every route everywhere | $(fig "complete_$k") |"
		echo "| $k: cable pulled to every lost route withdrawn | $(fig "withdrawn_$k") |"
	done
	echo
	echo "| ratio (from the medians) | value |"
	echo "|---|---:|"
	echo "| complete, mcastd / mrouted | $(div3 "$(med complete_mcastd)" "$(med complete_mrouted)") |"
	echo "| withdrawn, mcastd / mrouted | $(div3 "$(med withdrawn_mcastd)" "$(med withdrawn_mrouted)") |"
	failures_line
	echo
}
report >"$TMP/section.md"
cat "$TMP/section.md" >>"$RESULTS"
cat "$TMP/section.md"
echo "dvmrp_chain_convergence_ratio_vs_mrouted=$(div3 "$(med complete_mcastd)" "$(med complete_mrouted)")"
