#!/usr/bin/env bash
# File transfer benchmark: mcast file against uftp/uftpd (Debian's uftp),
# one sender and 8 receivers (RECEIVERS) on a bridge, the same file, the same rate cap
# and the same random loss at every receiver, runs alternating between the
# two tools (issue 14, Measure).
#
#   bash bench/file.sh           ROUNDS (default 5) of 0, 1 and 5 % loss,
#                                each with mcast then uftp; appends a dated
#                                section to bench/RESULTS.md; the last line
#                                printed is the headline ratio
#   bash bench/file.sh --smoke   one round at 0 and 5 % with a small file;
#                                TAP lines, writes nothing
#
# Environment: ROUNDS (5), SIZE_MIB (64; 4 with --smoke), RATE_MBIT (50),
# RECEIVERS (8; up to 60: where NAK rounds to many receivers should cost
# uftp more), LOSSES ("0 1 5": the loss levels, %),
# MCAST_FEC (auto: mcast file send --fec auto; "none" for no --fec),
# RESULTS (bench/RESULTS.md), MCAST.
#
# Lab: lan_lab RECEIVERS+1 (test/ns/lib.sh): h1 sends, h2... receive.  There is
# no netem in this kernel (../shared/docs/LAB.md), so no round-trip delay
# can be added to the lab.  Loss: each
# receiver's input drops LOSS % of the UDP packets from the sender at
# random (test/ns/file_lib.sh's random_loss, nftables numgen random); what
# receivers send one another (mcast's NACKs go to the group) is not
# dropped.  Rate cap: mcast file send -r RATE_MBITM (IP and UDP headers
# counted), uftp -R RATE_MBIT*1000 (Kbit/s); uftp without encryption
# (-Y none) as mcast runs without --key; uftp's groups and clients closed
# (-H with the receivers' ids, their addresses) so that neither waits
# for late joiners.
#
# Per run: completion = from starting the sender until the last receiver
# has the file under its final name with its full size (mcast file renames
# its .mcast-part file at the end, uftpd -T moves it from a temp
# directory), polled every 50 ms; then every receiver's copy must equal
# the source by sha256sum, or the run is a failure left out of the figures.
# Goodput = file bits / completion, as a share of the cap; beside it the
# IP bytes of the data packets over the completion time, as a share of the
# cap (sender-counted, never in a ratio): how each tool reads its cap.  On
# the wire (nftables counters in the output hooks, table inet mccount):
# data packets the sender sent (mcast DATA, type 2, sources, parity and
# repairs; uftp FILESEG, function 9) and feedback packets the receivers sent (mcast NACK,
# type 4; uftp STATUS, function 11: the message that carries uftp's NAKs, a
# bitmap of the blocks of a section a client lacks, sent unicast to the
# sender): NACKs per receiver per 1,000 data packets.  Peak RSS:
# /usr/bin/time's maximum resident set of the sender and of mcast's
# receivers, VmHWM of each uftpd (a daemon that does not exit) before it is
# stopped; the largest of the receivers.
set -u

. "$(dirname "$0")/lib.bash"
bench_start file 90 $((120 + ${ROUNDS:-5} * 6 * 60)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/../test/ns/file_lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
require_lab
require_uftp
[ -x /usr/bin/time ] || skip_all "no /usr/bin/time (Debian package time)"

NAME=file
ROUNDS=${ROUNDS:-5}
SIZE_MIB=${SIZE_MIB:-64}
RATE_MBIT=${RATE_MBIT:-50}
MCAST_FEC=${MCAST_FEC:-auto}
LOSSES=(${LOSSES:-0 1 5})
NRX=${RECEIVERS:-8}
case $NRX in [1-9] | [1-5][0-9] | 60) ;; *) echo "RECEIVERS=$NRX: expected 1 to 60" >&2; exit 2 ;; esac
TOOLS=(mcast uftp)
if [ $SMOKE = 1 ]; then
	ROUNDS=1 SIZE_MIB=4 LOSSES=(0 5)
fi
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
RX=$(seq 2 $((NRX + 1)))
S=198.18.1.2 # h1
G=239.1.5.1  # mcast file, port 5016
UPUB=239.1.5.2 UPRIV=239.1.5.3 # uftp's announcements and data, port 1044
SIZE=$((SIZE_MIB * 1048576))
FEC=()
[ "$MCAST_FEC" = none ] || FEC=(--fec "$MCAST_FEC")
# A run may take four times the ideal time and 30 s more.
RUN_LIMIT=$((SIZE * 8 * 4 / (RATE_MBIT * 1000000) + 30))
CLIENTS=
for h in $RX; do
	CLIENTS=$CLIENTS${CLIENTS:+,}$(printf '0x%02x%02x%02x%02x' 198 18 1 $((h + 1)))
done

lan_lab $((NRX + 1))
mkdir -p "$TMP/src"
head -c $SIZE /dev/urandom >"$TMP/src/f.bin"
SUM=$(sha256sum <"$TMP/src/f.bin")

# counters HOST RULE...: table inet mccount made afresh in HOST, one
# counted output rule per argument (each ends with comment "NAME").
counters() {
	local host=$1 r rules=
	shift
	for r in "$@"; do
		rules="$rules		$r
"
	done
	nsx "$host" nft delete table inet mccount 2>/dev/null
	nsx "$host" nft -f - <<NFT
table inet mccount {
	chain out {
		type filter hook output priority 0;
$rules	}
}
NFT
}
# counted HOST NAME packets|bytes: what the rule commented NAME counted.
counted() {
	nsx "$1" nft list table inet mccount |
	    awk -v c="comment \"$2\"" -v w="$3" 'index($0, c) {
		for (i = 1; i < NF; i++) if ($i == w) { print $(i + 1); exit } }'
}
hwm_kb() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status" 2>/dev/null; }

# run TOOL LOSS: one transfer; its figures added under TOOL_LOSS keys.
run() {
	local tool=$1 loss=$2 h t0 t left ps data bytes ok=0 tmax=0 nacks=0 rxrss=0 v
	local -A rpid done_ms
	counters h1 "udp dport 5016 @th,64,16 0x524d @th,88,8 2 counter comment \"mcast_data\"" \
	    "udp dport 1044 @th,64,16 0x4009 counter comment \"uftp_data\""
	for h in $RX; do
		random_loss h$h "$loss" ip saddr $S meta l4proto udp
		counters h$h "udp dport 5016 @th,64,16 0x524d @th,88,8 4 counter comment \"mcast_nack\"" \
		    "ip daddr $S meta l4proto udp @th,64,16 0x400b counter comment \"uftp_nack\""
		rm -rf "$TMP/out$h" "$TMP/tmp$h"
		mkdir -p "$TMP/out$h" "$TMP/tmp$h"
		if [ $tool = mcast ]; then
			bg h$h /usr/bin/time -f %M -o "$TMP/rss$h" "$MCAST" file recv -i eth0 \
			    -o "$TMP/out$h" --timeout 30 -q $G:5016 2>"$TMP/recv$h.err"
		else
			bg h$h uftpd -d -q -D "$TMP/out$h" -T "$TMP/tmp$h" -M $UPUB -I eth0 \
			    2>"$TMP/uftpd$h.log"
		fi
		rpid[$h]=$LAST_PID
	done
	for h in $RX; do
		if [ $tool = mcast ]; then v=$G; else v=$UPUB; fi
		wait_for 5 joined h$h $v || { fail "$tool $loss %: h$h did not join $v"; }
	done
	t0=$(now_ms)
	if [ $tool = mcast ]; then
		bg h1 timeout $RUN_LIMIT /usr/bin/time -f %M -o "$TMP/srss" "$MCAST" file send -i eth0 \
		    -r ${RATE_MBIT}M "${FEC[@]}" -q "$TMP/src/f.bin" $G:5016 2>"$TMP/send.err"
	else
		bg h1 timeout $RUN_LIMIT /usr/bin/time -f %M -o "$TMP/srss" uftp -M $UPUB -P $UPRIV \
		    -I eth0 -R $((RATE_MBIT * 1000)) -Y none -H $CLIENTS "$TMP/src/f.bin" \
		    >"$TMP/send.err" 2>&1
	fi
	ps=$LAST_PID
	left=$NRX
	while [ $left -gt 0 ] && [ $(($(now_ms) - t0)) -lt $((RUN_LIMIT * 1000)) ]; do
		left=0
		t=$(now_ms)
		for h in $RX; do
			[ -n "${done_ms[$h]:-}" ] && continue
			if [ "$(stat -c %s "$TMP/out$h/f.bin" 2>/dev/null)" = $SIZE ]; then
				done_ms[$h]=$((t - t0))
			else
				left=$((left + 1))
			fi
		done
		[ $left -gt 0 ] && sleep 0.05
	done
	reap $ps
	for h in $RX; do
		if [ $tool = uftp ]; then
			v=$(hwm_kb ${rpid[$h]})
			kill ${rpid[$h]} 2>/dev/null
		fi
		wait_for 3 eval "! kill -0 ${rpid[$h]} 2>/dev/null" || kill ${rpid[$h]} 2>/dev/null
		reap ${rpid[$h]}
		[ $tool = mcast ] && v=$(tail -n 1 "$TMP/rss$h" 2>/dev/null)
		[ "${v:-0}" -gt $rxrss ] 2>/dev/null && rxrss=$v
		if [ -n "${done_ms[$h]:-}" ] && [ "$(sha256sum <"$TMP/out$h/f.bin")" = "$SUM" ]; then
			ok=$((ok + 1))
			[ ${done_ms[$h]} -gt $tmax ] && tmax=${done_ms[$h]}
		fi
		nacks=$((nacks + $(counted h$h ${tool}_nack packets)))
	done
	data=$(counted h1 ${tool}_data packets)
	bytes=$(counted h1 ${tool}_data bytes)
	LAST_OK=$ok
	if [ $ok != $NRX ]; then
		fail "$tool $loss %: $ok of $NRX receivers had the file equal to the source in ${RUN_LIMIT} s"
		return
	fi
	add time_${tool}_$loss "$(awk -v t=$tmax 'BEGIN { printf "%.2f", t / 1000 }')"
	add good_${tool}_$loss "$(awk -v s=$SIZE -v t=$tmax -v r=$RATE_MBIT \
	    'BEGIN { printf "%.3f", s * 8 / (t / 1000) / (r * 1e6) }')"
	add nack_${tool}_$loss "$(awk -v n=$nacks -v k=$NRX -v d=$data 'BEGIN { if (d > 0) printf "%.2f", n / k * 1000 / d; else print "n/a" }')"
	add data_${tool}_$loss "$data"
	add wire_${tool}_$loss "$(awk -v b=$bytes -v t=$tmax -v r=$RATE_MBIT \
	    'BEGIN { printf "%.3f", b * 8 / (t / 1000) / (r * 1e6) }')"
	add srss_${tool}_$loss "$(awk '{ v = $1 } END { printf "%.1f", v / 1024 }' "$TMP/srss" 2>/dev/null)"
	add rrss_${tool}_$loss "$(awk -v v=$rxrss 'BEGIN { printf "%.1f", v / 1024 }')"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# file: $ROUNDS round(s), ${SIZE_MIB} MiB to $NRX receivers at ${RATE_MBIT} Mbit/s, loss ${LOSSES[*]} %; load average $LOAD_BEFORE"
for n in $(seq "$ROUNDS"); do
	for loss in "${LOSSES[@]}"; do
		for tool in "${TOOLS[@]}"; do
			run $tool $loss
			echo "# round $n, $loss %, $tool: $(echo "${VALS[time_${tool}_$loss]:-}" | awk '{ print $NF }') s, NACKs/receiver/1000 data $(echo "${VALS[nack_${tool}_$loss]:-}" | awk '{ print $NF }')"
			if [ $SMOKE = 1 ]; then
				check "$NAME: $tool at $loss % loss: $NRX receivers have the file, equal by sha256sum ($LAST_OK of $NRX)" \
				    test $LAST_OK = $NRX
				check "$NAME: $tool at $loss % loss: data packets counted on the wire ($(med data_${tool}_$loss))" \
				    test "$(med data_${tool}_$loss)" -gt 0 2>/dev/null
			fi
		done
	done
done

if [ $SMOKE = 1 ]; then
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

# target TEXT VALUE OP LIMIT: "VALUE (target OP LIMIT: met|not met)".
target() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "" || v == "n/a") { printf "n/a (target %s %s: not measured)", op, l; exit }
		m = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		printf "%s (target %s %s: %s)", v, op, l, m ? "met" : "not met" }'
}

report() {
	local t l
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — file transfer (mcast file against uftp $(dpkg-query -W -f='${Version}' uftp 2>/dev/null))"
	echo
	echo "- command: \`bash bench/file.sh\` (ROUNDS=$ROUNDS, SIZE_MIB=$SIZE_MIB, RATE_MBIT=$RATE_MBIT, MCAST_FEC=$MCAST_FEC, RECEIVERS=$NRX, LOSSES="${LOSSES[*]}"); tree at git $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- lab: h1 sends to $NRX receivers h2..h$((NRX + 1)) on one bridge (lan_lab $((NRX + 1)); no round-trip delay: no netem here); each receiver drops the given % of UDP from h1 at random (nftables numgen random); runs alternate mcast, uftp at each loss"
	echo "- mcast: \`mcast file send -r ${RATE_MBIT}M ${FEC[*]}\` (cap with IP and UDP headers), \`mcast file recv\`; uftp: \`uftp -R $((RATE_MBIT * 1000)) -Y none -H <$NRX clients>\`, \`uftpd -T\` (no encryption for either)"
	echo "- completion: sender start to the last receiver's whole file (final name, full size; polled every 50 ms), each copy then checked by sha256sum; goodput = file bits / completion / cap"
	echo "- the same cap, read by each tool its own way: the sender-counted row \"data packets' IP bytes / completion / cap\" shows what each put on the wire in data packets over the whole transfer (below 1 where announcements, waits for feedback and the last receiver's repairs take time)"
	echo "- NACKs: packets the receivers sent (nftables output counters: mcast NACK, uftp STATUS — uftp's NAK message, one per section with a bitmap of blocks) per receiver per 1,000 data packets the sender sent (mcast DATA incl. parity and repairs, uftp FILESEG); RSS: sender's and the largest receiver's peak (MiB)"
	echo
	echo "| figure | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for l in "${LOSSES[@]}"; do
		for t in "${TOOLS[@]}"; do
			echo "| $l %, $t: completion (s) | $(fig time_${t}_$l) |"
			echo "| $l %, $t: goodput / cap | $(fig good_${t}_$l) |"
			echo "| $l %, $t: NACKs per receiver per 1,000 data packets | $(fig nack_${t}_$l) |"
			echo "| $l %, $t: data packets sent | $(fig data_${t}_$l) |"
			echo "| $l %, $t: data packets' IP bytes / completion / cap (sender-counted) | $(fig wire_${t}_$l) |"
			echo "| $l %, $t: sender peak RSS (MiB) | $(fig srss_${t}_$l) |"
			echo "| $l %, $t: receiver peak RSS (MiB, largest of $NRX) | $(fig rrss_${t}_$l) |"
		done
	done
	echo
	echo "| ratio / target (from the medians) | value |"
	echo "|---|---|"
	for l in "${LOSSES[@]}"; do
		echo "| goodput mcast / uftp at $l % | $(div "$(med good_mcast_$l)" "$(med good_uftp_$l)") |"
	done
	echo "| 1 %: mcast goodput / cap | $(target "$(med good_mcast_1)" ">=" 0.9) |"
	echo "| 1 %: goodput mcast / uftp | $(target "$(div "$(med good_mcast_1)" "$(med good_uftp_1)")" ">=" 1.5) |"
	echo "| 5 %: goodput mcast / uftp | $(target "$(div "$(med good_mcast_5)" "$(med good_uftp_5)")" ">=" 2) |"
	echo "| 1 %: mcast NACKs per receiver per 1,000 data packets | $(target "$(med nack_mcast_1)" "<=" 1) |"
	echo "| 1 %: uftp NAKs (STATUS) per receiver per 1,000 data packets (no target) | $(med nack_uftp_1) |"
	failures_line
	echo
}
report >"$TMP/section.md"
bench_append "$TMP/section.md"
echo "file_goodput_ratio_vs_uftp_1pct=$(div "$(med good_mcast_1)" "$(med good_uftp_1)")"
