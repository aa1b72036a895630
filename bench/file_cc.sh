#!/usr/bin/env bash
# Congestion control benchmark (issue 14): a file transfer and a TCP flow
# (iperf2) share one bottleneck; mcast file send --cc tfmcc against uftp
# -C tfmcc (RFC 4654 both), runs alternating.
#
#   bash bench/file_cc.sh           ROUNDS (5) of mcast then uftp; appends
#                                   a dated section to bench/RESULTS.md; the
#                                   last line printed is the headline ratio
#   bash bench/file_cc.sh --smoke   one round, short; TAP lines, writes
#                                   nothing
#
# Environment: ROUNDS (5), RATE_MBIT (20: the bottleneck), TCP_S (10: the
# TCP flow's seconds; 2 with --smoke), RESULTS, MCAST.
#
# Lab (as test/ns/t_file_cc.sh): h1 sends (the file, and iperf -c) on
# bridge br0; h2..h4 receive the file, h5 is the iperf server, on br1; the
# veth joining the bridges sends from br0 through tbf RATE_MBIT (burst 20
# kB, latency 30 ms).  Each run: TCP for TCP_S s, the transfer started with
# it (a file of RATE_MBIT x TCP_S bits: at a fair share it outlasts TCP)
# and run to its end.  Figures, all counted where they arrive: TCP's rate
# by the iperf server; the tool's rate over the TCP window by h2's input
# (nftables counter of the tool's data packets, IP bytes); completion by
# sha256sum at h2..h4.  Both as ratios to the fair share (half the
# bottleneck).  mcast: --cc tfmcc -r 200M (the ceiling); uftp: -C
# tfmcc:max=200000 -Y none.
set -u

. "$(dirname "$0")/lib.bash"
bench_start file_cc 120 $((120 + ${ROUNDS:-5} * 2 * 60)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/../test/ns/file_lib.sh"
export LC_ALL=C
cd "$TOP" || exit 1
require_lab
command -v iperf >/dev/null || skip_all "no iperf (scripts/deps.sh)"
command -v uftp >/dev/null && command -v uftpd >/dev/null ||
    skip_all "uftp and uftpd not installed (Debian package uftp, scripts/deps.sh)"

ROUNDS=${ROUNDS:-5}
RATE_MBIT=${RATE_MBIT:-20}
TCP_S=${TCP_S:-10}
[ $SMOKE = 1 ] && ROUNDS=1 TCP_S=2
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
G=239.1.6.1 # mcast, port 5040
UPUB=239.1.6.2 UPRIV=239.1.6.3
SIZE=$((RATE_MBIT * 1000000 / 8 * TCP_S))
RUN_LIMIT=$((TCP_S * 6 + 30))
FAIR=$((RATE_MBIT * 1000000 / 2))
CLIENTS=
for h in 2 3 4; do
	CLIENTS=$CLIENTS${CLIENTS:+,}$(printf '0x%02x%02x%02x%02x' 198 18 1 $((h + 1)))
done
declare -A VALS
RUNS=0 # TCP connections so far (the iperf server's CSV lines)
fail() { not_ok "$*"; }

bottleneck_lab $RATE_MBIT || exit 1
mkdir -p "$TMP/src"
head -c $SIZE /dev/urandom >"$TMP/src/f.bin"
SUM=$(sha256sum <"$TMP/src/f.bin")
bg h5 sh -c "exec stdbuf -oL iperf -s -y C >\"$TMP/iperf.csv\" 2>/dev/null"
wait_for 5 eval "nsx h5 ss -ltn | grep -q ':5001 '" || fail "iperf -s listens on h5"
# h2's input: the tool's data packets (mcast DATA type 2; uftp FILESEG).
nsx h2 nft -f - <<NFT
table inet mccc {
	chain in {
		type filter hook input priority 0;
		udp dport 5040 @th,64,16 0x524d @th,88,8 2 counter comment "mcast"
		udp dport 1044 @th,64,16 0x4009 counter comment "uftp"
	}
}
NFT
rx_bytes() {
	nsx h2 nft list table inet mccc | awk -v c="comment \"$1\"" 'index($0, c) {
		for (i = 1; i < NF; i++) if ($i == "bytes") { print $(i + 1); exit } }'
}

# run TOOL: one transfer beside TCP; figures under TOOL keys.
run() {
	local tool=$1 h ps tp b0 b1 t0 t1 ok=0 tcp
	local -A rpid
	for h in 2 3 4; do
		rm -rf "$TMP/out$h" "$TMP/tmp$h"
		mkdir -p "$TMP/out$h" "$TMP/tmp$h"
		if [ $tool = mcast ]; then
			bg h$h "$MCAST" file recv -i eth0 -o "$TMP/out$h" --timeout 20 -q $G:5040
		else
			bg h$h uftpd -d -q -D "$TMP/out$h" -T "$TMP/tmp$h" -M $UPUB -I eth0 \
			    2>"$TMP/uftpd$h.log"
		fi
		rpid[$h]=$LAST_PID
	done
	for h in 2 3 4; do
		wait_for 5 joined h$h $([ $tool = mcast ] && echo $G || echo $UPUB) ||
		    fail "$tool: h$h did not join"
	done
	b0=$(rx_bytes $tool)
	t0=$(now_ms)
	bg h1 sh -c "exec iperf -c 198.18.1.6 -t $TCP_S >/dev/null 2>&1"
	tp=$LAST_PID
	if [ $tool = mcast ]; then
		bg h1 timeout $RUN_LIMIT "$MCAST" file send -i eth0 -r 200M --cc tfmcc -q \
		    "$TMP/src/f.bin" $G:5040
	else
		bg h1 timeout $RUN_LIMIT uftp -M $UPUB -P $UPRIV -I eth0 -C tfmcc:max=200000 \
		    -Y none -H $CLIENTS "$TMP/src/f.bin" >"$TMP/uftp.log" 2>&1
	fi
	ps=$LAST_PID
	reap $tp
	b1=$(rx_bytes $tool)
	t1=$(now_ms)
	reap $ps
	for h in 2 3 4; do
		[ $tool = uftp ] && kill ${rpid[$h]} 2>/dev/null
		wait_for 3 eval "! kill -0 ${rpid[$h]} 2>/dev/null" || kill ${rpid[$h]} 2>/dev/null
		reap ${rpid[$h]}
		[ "$(sha256sum <"$TMP/out$h/f.bin" 2>/dev/null)" = "$SUM" ] && ok=$((ok + 1))
	done
	RUNS=$((RUNS + 1))
	wait_for 5 eval "[ \$(wc -l <\"$TMP/iperf.csv\") -ge $RUNS ]"
	tcp=$(sed -n "${RUNS}p" "$TMP/iperf.csv" | cut -d, -f9)
	VALS[tcp_$tool]+=" $tcp"
	VALS[file_$tool]+=" $(((b1 - b0) * 8 * 1000 / (t1 - t0)))"
	VALS[done_$tool]+=" $ok"
	echo "# $tool: TCP $tcp bit/s, $tool $(((b1 - b0) * 8 * 1000 / (t1 - t0))) bit/s at h2 over ${TCP_S} s, $ok of 3 complete"
	if [ $SMOKE = 1 ]; then
		check "$tool: 3 of 3 receivers have the file (sha256sum)" test $ok = 3
		check "$tool: TCP got a rate (${tcp:-none})" test "${tcp:-0}" -gt 0
	fi
}

for r in $(seq 1 "$ROUNDS"); do
	run mcast
	run uftp
done
[ $SMOKE = 1 ] && finish

{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — congestion control beside TCP (mcast file --cc tfmcc against uftp $(dpkg-query -W -f='${Version}' uftp 2>/dev/null) -C tfmcc)"
	echo
	echo "- command: \`bash bench/file_cc.sh\` (ROUNDS=$ROUNDS, RATE_MBIT=$RATE_MBIT, TCP_S=$TCP_S); kernel $(uname -r)"
	echo "- lab: h1 sends the file and iperf2 TCP through a ${RATE_MBIT} Mbit/s tbf (burst 20 kB, latency 30 ms) on the veth joining two bridges to h2..h4 (receivers) and h5 (iperf server); a ${SIZE}-byte file started with a ${TCP_S} s TCP flow, runs alternate mcast, uftp"
	echo "- mcast: \`mcast file send --cc tfmcc -r 200M\`; uftp: \`uftp -C tfmcc:max=200000 -Y none -H <3 clients>\`"
	echo "- TCP: bits/s by the iperf server; file: the tool's data packets' IP bytes arriving at h2 over the TCP window (nftables input counter); fair share $FAIR bit/s (half the bottleneck); medians of $ROUNDS"
	echo
	echo "| figure | mcast | uftp | mcast / uftp |"
	echo "|---|---|---|---|"
	echo "| TCP bit/s | $(med tcp_mcast) | $(med tcp_uftp) | $(div "$(med tcp_mcast)" "$(med tcp_uftp)") |"
	echo "| TCP / fair share | $(div "$(med tcp_mcast)" $FAIR) | $(div "$(med tcp_uftp)" $FAIR) | |"
	echo "| file bit/s at h2 beside TCP | $(med file_mcast) | $(med file_uftp) | $(div "$(med file_mcast)" "$(med file_uftp)") |"
	echo "| file / fair share | $(div "$(med file_mcast)" $FAIR) | $(div "$(med file_uftp)" $FAIR) | |"
	echo "| receivers complete (of 3, min) | $(sample done_mcast min) | $(sample done_uftp min) | |"
	echo
} >"$TMP/section.md"
bench_append "$TMP/section.md"
echo "file_cc_tcp_share_mcast=$(div "$(med tcp_mcast)" $FAIR) file_cc_tcp_share_uftp=$(div "$(med tcp_uftp)" $FAIR)"
echo "file_cc_goodput_ratio_vs_uftp=$(div "$(med file_mcast)" "$(med file_uftp)")"
finish
