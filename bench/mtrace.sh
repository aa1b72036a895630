#!/usr/bin/env bash
# mtrace benchmark: time to a full answer across three hops, with
# `mcast mtrace` and mrouted's `mtrace` as clients, against a chain of three
# mcastd routers and a chain of three mrouted 4.6 routers (built from
# ../shared/peers), in the same run, rounds alternating over the four
# (client, chain) pairs.
#
#   bash bench/mtrace.sh           ROUNDS (default 9); appends a dated
#                                  section to bench/RESULTS.md; the last line
#                                  printed is the headline ratio
#   bash bench/mtrace.sh --smoke   one round; TAP lines, writes nothing
#
# Environment: ROUNDS (9), RESULTS (bench/RESULTS.md), MCAST, MCASTD,
# MCASTCTL, PEERS (the directory of build-mrouted.sh).
#
# Lab: two chains side by side, the same shape (t_mtrace.sh's):
#
#   s .N1.10 -- r1 -- (LAN N2) -- r2 -- (LAN N3) -- r3 -- h .N4.10
#                r1 -- (LAN N9) -- h
#
# N = 11 for mcastd (m1, m2, m3; hosts ms, mh), 12 for mrouted (d1, d2, d3;
# ds, dh): LANs 198.18.111-119 and 198.18.121-129.  r1 routes h's address
# through LAN N9, so that the response comes back in one hop in both chains
# (mrouted drops a response in transit; mcastd would send it on).  A stream
# of 20 pps flows from s to h in each chain.  The query goes to 224.0.0.2
# from h (the receiver), as both clients send it by default; the figures
# are each client's own round trip (query sent to full response received:
# `mcast mtrace --json` rtt_ms, mrouted's "Round trip time N ms", whole
# milliseconds) and the wall time of the whole command.
set -u

. "$(dirname "$0")/lib.bash"
bench_start mtrace 400 $((400 + ${ROUNDS:-9} * 4 * 5)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
NAME=mtrace
[ $SMOKE = 1 ] && NAME="mtrace smoke"
ROUNDS=${ROUNDS:-9}
[ $SMOKE = 1 ] && ROUNDS=1
CHAINS=(mcastd mrouted)
CLIENTS=(mcast mrouted)

require_lab
require_mcastd
require_mrouted

# chain KIND N PREFIX: test/ns/lib.sh's line_lab (routers PREFIX1..3, hosts
# PREFIXs, PREFIXh) with KIND on the routers.
chain() {
	local kind=$1 n=$2 p=$3
	line_lab "$n" "$p" "$p"
	if [ "$kind" = mrouted ]; then
		printf 'prune-lifetime 120\nphyint eth3 disable\n' >"$TMP/$p-1.conf"
		start_mrouted "${p}1" "$TMP/$p-1.conf" || return 1
		start_mrouted "${p}2" "$TMP/mrouted.conf" || return 1
		start_mrouted "${p}3" "$TMP/mrouted.conf" || return 1
	else
		echo "phyint eth3 disable" >"$TMP/$p-1.conf"
		start_mcastd "${p}1" "$TMP/$p-1.conf" || return 1
		start_mcastd "${p}2" "$TMP/mcastd.conf" || return 1
		start_mcastd "${p}3" "$TMP/mcastd.conf" || return 1
	fi
}

declare -A N=([mcastd]=11 [mrouted]=12) PFX=([mcastd]=m [mrouted]=d)
for kind in "${CHAINS[@]}"; do
	chain "$kind" "${N[$kind]}" "${PFX[$kind]}" ||
	    { not_ok "$NAME: the $kind chain did not start"; exit 1; }
done
G=239.1.11.1
for kind in "${CHAINS[@]}"; do
	p=${PFX[$kind]} n=${N[$kind]}
	bg "${p}h" "$MCAST" join -i eth0 -d 1000 $G
	bg "${p}s" "$MCAST" send -i eth0 -t 16 -r 20 -d 1000 -q $G:5001
done
# mrouted reports every 60 s: r3 may learn LAN N1 only after two rounds.
for kind in "${CHAINS[@]}"; do
	p=${PFX[$kind]} n=${N[$kind]}
	wait_for 200 eval 'nsx ${p}3 ip mroute show | grep "(198.18.${n}1.10,$G)" | grep -q "Oifs: eth2"' ||
	    { not_ok "$NAME: the $kind chain does not forward to h within 200 s"; exit 1; }
done

# one CLIENT CHAIN ROUND: a trace from h; its RTT and wall time.
one() {
	local client=$1 kind=$2 p=${PFX[$2]} n=${N[$2]} t0 t1 rtt out=$TMP/$1-$2-$3.out
	local s=198.18.${n}1.10
	t0=$(date +%s%N)
	if [ "$client" = mcast ]; then
		nsx "${p}h" "$MCAST" mtrace $s $G -w 3 --json >"$out" 2>&1
		t1=$(date +%s%N)
		rtt=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
if j.get("complete") and len(j["hops"]) == 3:
    print(j["rtt_ms"])' "$out" 2>/dev/null)
	else
		nsx "${p}h" timeout 30 "$MROUTED_BIN/mtrace" -n -s -w 3 $s $G >"$out" 2>&1
		t1=$(date +%s%N)
		[ "$(awk '$1 ~ /^-[0-9]+$/' "$out" | wc -l)" -ge 3 ] &&
		    rtt=$(awk '/Round trip time/ { print $4 }' "$out")
	fi
	if [ -z "${rtt:-}" ]; then
		fail "$client mtrace against the $kind chain, round $3: no full trace"
		return
	fi
	add "rtt_$client-$kind" "$rtt"
	add "wall_$client-$kind" "$(( (t1 - t0) / 1000000 ))"
	echo -n " $client/$kind ${rtt}ms"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# mtrace: $ROUNDS round(s) of ${#CLIENTS[@]} clients x ${#CHAINS[@]} chains"
for r in $(seq "$ROUNDS"); do
	echo -n "# round $r:"
	for kind in "${CHAINS[@]}"; do
		for client in "${CLIENTS[@]}"; do
			one "$client" "$kind" "$r"
		done
	done
	echo
done

if [ $SMOKE = 1 ]; then
	for kind in "${CHAINS[@]}"; do
		for client in "${CLIENTS[@]}"; do
			check "$NAME: $client mtrace gets the full trace from the $kind chain ($(med "rtt_$client-$kind") ms)" \
			    test "$(sample "rtt_$client-$kind" n)" = 1
		done
	done
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

report() {
	local kind client
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — mtrace (time to a full answer across three hops: mcastd chain against mrouted chain, mcast mtrace against mrouted's mtrace)"
	echo
	echo "- command: \`bash bench/mtrace.sh\` (ROUNDS=$ROUNDS)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	peers_line
	echo "- two chains of three routers side by side (t_mtrace.sh's shape), a 20 pps stream in each; the query to 224.0.0.2 from the receiver; rtt: the client's own (query sent to full response; mrouted's mtrace prints whole ms); wall: the whole command"
	echo
	echo "| ms | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for kind in "${CHAINS[@]}"; do
		for client in "${CLIENTS[@]}"; do
			echo "| rtt: $client mtrace, $kind chain | $(fig "rtt_$client-$kind") |"
		done
	done
	for kind in "${CHAINS[@]}"; do
		for client in "${CLIENTS[@]}"; do
			echo "| wall: $client mtrace, $kind chain | $(fig "wall_$client-$kind") |"
		done
	done
	echo
	echo "| ratio (from the medians) | value |"
	echo "|---|---:|"
	echo "| rtt, mcast mtrace: mcastd chain / mrouted chain | $(div3 "$(med rtt_mcast-mcastd)" "$(med rtt_mcast-mrouted)") |"
	echo "| wall, mrouted's mtrace: mcastd chain / mrouted chain | $(div3 "$(med wall_mrouted-mcastd)" "$(med wall_mrouted-mrouted)") |"
	echo "| wall, mrouted chain: mcast mtrace / mrouted's mtrace | $(div3 "$(med wall_mcast-mrouted)" "$(med wall_mrouted-mrouted)") |"
	failures_line
	echo
}
report >"$TMP/section.md"
bench_append "$TMP/section.md"
echo "mtrace_rtt_ratio_mcastd_vs_mrouted_chain=$(div3 "$(med rtt_mcast-mcastd)" "$(med rtt_mcast-mrouted)")"
