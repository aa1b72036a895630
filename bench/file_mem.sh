#!/usr/bin/env bash
# Memory of a large file transfer (issue 14: "target <= 64 MiB RSS for a
# 4 GiB file"): mcast file and uftp/uftpd (Debian's uftp) side by side,
# one sender and one receiver on a bridge, the same sparse file
# (truncate -s), the same rate cap, no loss.
#
#   bash bench/file_mem.sh          SIZE_GIB (4) at RATE_MBIT (1500) once
#                                   with each tool; appends a dated section
#                                   to bench/RESULTS.md; the last line is
#                                   the headline (mcast's larger peak, MiB)
#   bash bench/file_mem.sh --smoke  64 MiB at 500 Mbit/s; TAP lines,
#                                   writes nothing
#
# Environment: SIZE_GIB (4), RATE_MBIT (1500), RESULTS, MCAST.
#
# Per tool: the peak RSS (VmHWM, sampled every 20 ms by file_lib.sh's
# peaks_kb) of the sender and of the receiver until they exit (uftpd, a
# daemon, is stopped once the file is in place); completion from starting
# the sender to the whole file under its final name at the receiver
# (polled every 100 ms; no wrapper such as timeout around the sender, whose
# own memory would be measured instead: the script has a deadline); the received file then checked by sha256sum
# against the source.  The files are removed at the end (the lab's
# temporary directory): the run needs twice SIZE_GIB free on /tmp's disk
# for a moment (each tool's copy is removed before the next).
set -u

. "$(dirname "$0")/lib.bash"
bench_start file_mem 120 1200 "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/../test/ns/file_lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
require_lab
require_uftp

NAME=file_mem
SIZE_GIB=${SIZE_GIB:-4}
RATE_MBIT=${RATE_MBIT:-1500}
SIZE=$((SIZE_GIB << 30))
if [ $SMOKE = 1 ]; then
	SIZE=$((64 << 20)) RATE_MBIT=500
fi
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
G=239.1.5.4 # mcast file, port 5017
UPUB=239.1.5.5 UPRIV=239.1.5.6 # uftp, port 1044
CLIENT=$(printf '0x%02x%02x%02x%02x' 198 18 1 3) # h2
need=$((SIZE * 2 / 1024 + 1048576))
[ "$(df -k --output=avail "$TMP" | tail -n 1)" -gt $need ] ||
    skip_all "less than $((need >> 20)) GiB free for $TMP"
# Generous: a busy machine (2 shared cores) may run far below the cap.
RUN_LIMIT=$((SIZE * 8 * 10 / (RATE_MBIT * 1000000) + 300))

lan_lab 2
mkdir -p "$TMP/src"
truncate -s $SIZE "$TMP/src/big.bin"
SUM=$(sha256sum <"$TMP/src/big.bin")

# run TOOL: one transfer; VALS[TOOL_*] its figures.
run() {
	local tool=$1 s r t0 done_ms= peaks
	rm -rf "$TMP/out" "$TMP/tmp"
	mkdir -p "$TMP/out" "$TMP/tmp"
	if [ $tool = mcast ]; then
		bg h2 "$MCAST" file recv -i eth0 -o "$TMP/out" --timeout 60 -q $G:5017
		r=$LAST_PID
		wait_for 5 joined h2 $G || fail "mcast: h2 did not join $G"
	else
		bg h2 uftpd -d -q -D "$TMP/out" -T "$TMP/tmp" -M $UPUB -I eth0 2>"$TMP/uftpd.log"
		r=$LAST_PID
		wait_for 5 joined h2 $UPUB || fail "uftp: h2 did not join $UPUB"
	fi
	t0=$(now_ms)
	if [ $tool = mcast ]; then
		bg h1 "$MCAST" file send -i eth0 -r ${RATE_MBIT}M -q \
		    "$TMP/src/big.bin" $G:5017
	else
		bg h1 uftp -M $UPUB -P $UPRIV -I eth0 \
		    -R $((RATE_MBIT * 1000)) -Y none -H $CLIENT "$TMP/src/big.bin" >"$TMP/uftp.log" 2>&1
	fi
	s=$LAST_PID
	peaks_kb "$s" "$r" >"$TMP/peaks" &
	peaks=$!
	while [ $(($(now_ms) - t0)) -lt $((RUN_LIMIT * 1000)) ]; do
		if [ "$(stat -c %s "$TMP/out/big.bin" 2>/dev/null)" = $SIZE ]; then
			done_ms=$(($(now_ms) - t0))
			break
		fi
		sleep 0.1
	done
	reap "$s"
	if [ $tool = uftp ]; then
		kill "$r" 2>/dev/null
	else
		wait_for 10 eval "! kill -0 $r 2>/dev/null" || kill "$r" 2>/dev/null
	fi
	reap "$r"
	wait "$peaks"
	read -r VALS[${tool}_srss] VALS[${tool}_rrss] <"$TMP/peaks"
	VALS[${tool}_time]=
	if [ -z "$done_ms" ]; then
		fail "$tool: the file was not whole at h2 within $RUN_LIMIT s"
	elif [ "$(sha256sum <"$TMP/out/big.bin")" != "$SUM" ]; then
		fail "$tool: h2's copy differs from the source (sha256sum)"
	else
		VALS[${tool}_time]=$(awk -v t=$done_ms 'BEGIN { printf "%.1f", t / 1000 }')
	fi
	rm -rf "$TMP/out" "$TMP/tmp"
}
mib() { awk -v v="${1:-0}" 'BEGIN { printf "%.1f", v / 1024 }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# file_mem: $(mib $((SIZE >> 10))) MiB sparse file to one receiver at $RATE_MBIT Mbit/s; load average $LOAD_BEFORE"
for tool in mcast uftp; do
	run $tool
	echo "# $tool: sender $(mib "${VALS[${tool}_srss]}") MiB, receiver $(mib "${VALS[${tool}_rrss]}") MiB peak RSS; whole and equal after ${VALS[${tool}_time]:-(failed)} s"
	if [ $SMOKE = 1 ]; then
		check "$NAME: $tool: the file arrived equal to the source (sha256sum)" \
		    test -n "${VALS[${tool}_time]}"
		check "$NAME: $tool: peaks measured (${VALS[${tool}_srss]} / ${VALS[${tool}_rrss]} kB)" \
		    test "${VALS[${tool}_srss]:-0}" -gt 0 -a "${VALS[${tool}_rrss]:-0}" -gt 0
	fi
done
if [ $SMOKE = 1 ]; then
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

worst=$(mib "$(printf '%s\n' "${VALS[mcast_srss]}" "${VALS[mcast_rrss]}" | sort -n | tail -n 1)")
report() {
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — file transfer memory (mcast file against uftp $(dpkg-query -W -f='${Version}' uftp 2>/dev/null))"
	echo
	echo "- command: \`bash bench/file_mem.sh\` (SIZE_GIB=$SIZE_GIB, RATE_MBIT=$RATE_MBIT); tree at git $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)"
	echo "- kernel $(uname -r), $(nproc) CPUs; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- lab: h1 sends a sparse file of $SIZE bytes (truncate -s) to h2 on one bridge (lan_lab 2), no loss; \`mcast file send -r ${RATE_MBIT}M\` / \`mcast file recv\`, \`uftp -R $((RATE_MBIT * 1000)) -Y none -H <h2>\` / \`uftpd -T\`; one run of each"
	echo "- peak RSS: VmHWM of each process sampled every 20 ms until it exits (uftpd stopped once the file is in place); completion: sender start to the whole file under its final name at h2, then checked by sha256sum against the source"
	echo
	echo "| figure | mcast | uftp |"
	echo "|---|---:|---:|"
	echo "| sender peak RSS (MiB) | $(mib "${VALS[mcast_srss]}") | $(mib "${VALS[uftp_srss]}") |"
	echo "| receiver peak RSS (MiB) | $(mib "${VALS[mcast_rrss]}") | $(mib "${VALS[uftp_rrss]}") |"
	echo "| completion (s), file equal by sha256sum | ${VALS[mcast_time]:-failed} | ${VALS[uftp_time]:-failed} |"
	echo "| larger peak of mcast's two | $(target "$worst" "<=" 64) MiB |"
	failures_line
	echo
}
# target VALUE OP LIMIT: "VALUE (target OP LIMIT: met|not met)".
target() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		m = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		printf "%s (target %s %s: %s)", v, op, l, m ? "met" : "not met" }'
}
report >"$TMP/section.md"
bench_append "$TMP/section.md"
echo "file_mem_peak_rss_mib_${SIZE_GIB}gib=$worst"
