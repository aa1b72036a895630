#!/usr/bin/env bash
# RTP measurement benchmark: how exactly `mcast recv` counts an RTP stream's
# loss and jitter, against the known drops and against tshark's RTP analysis
# (-z rtp,streams) of the same packets.  The lab is test/ns/t_recv_rtp.sh's
# RTP part (ffmpeg sends PCMU, 20 ms packets, to a lab group; nftables on
# the receiver drops every Nth packet), run ROUNDS times for each N.
#
#   bash bench/rtp.sh           ROUNDS (5) runs for each of DROPS (50 10 4);
#                               appends a dated section to bench/RESULTS.md
#   bash bench/rtp.sh --smoke   one short run; one TAP line, writes nothing
#
# Environment: ROUNDS, DROPS, RTP_SECONDS (10), RESULTS (bench/RESULTS.md),
# MCAST as for the labs.  Figures come from the lab's "# figure" lines:
# the loss the drops made (what the rule dropped, less a dropped last packet
# no receiver can know of), recv's and tshark's loss, recv's and tshark's
# mean and maximum jitter (RFC 3550 A.8 in ms).
set -u

. "$(dirname "$0")/lib.bash"
bench_start rtp 90 $((60 + ${ROUNDS:-5} * 3 * 40)) "$@"

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export LC_ALL=C
LAB=test/ns/t_recv_rtp.sh
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
TMPD=$(mktemp -d /tmp/mcast-rtp.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

# run N SECONDS LOG: one run of the lab's RTP part.
run() {
	ONLY_RTP=1 RTP_DROP_EVERY=$1 RTP_SECONDS=$2 bash "$LAB" >"$3" 2>&1
}
skipped() {
	local why
	why=$(sed -n 's/^ok - t_recv_rtp # SKIP //p' "$1")
	[ -n "$why" ] || return 1
	echo "ok - rtp # SKIP $why"
}
fig() { awk -v k="$2" '$1 == "#" && $2 == "figure" && $3 == k { print $4; exit }' "$1"; }

if [ $SMOKE = 1 ]; then
	run 10 3 "$TMPD/smoke.log"
	rc=$?
	skipped "$TMPD/smoke.log" && exit 0
	if [ $rc = 0 ] && ! grep -q '^not ok' "$TMPD/smoke.log"; then
		echo "ok - rtp smoke: recv lost $(fig "$TMPD/smoke.log" recv.lost), the drops $(fig "$TMPD/smoke.log" rtp.drops_seen), tshark $(fig "$TMPD/smoke.log" tshark.lost)"
		exit 0
	fi
	echo "not ok - rtp smoke (exit $rc): $(grep -m1 '^not ok' "$TMPD/smoke.log")"
	sed 's/^/# /' "$TMPD/smoke.log" | tail -n 20
	exit 1
fi

ROUNDS=${ROUNDS:-5}
DROPS=${DROPS:-50 10 4}
SECS=${RTP_SECONDS:-10}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A VALS
rows=""
exact_all=0 agree_all=0 runs_all=0
for n in $DROPS; do
	exact=0 agree=0 runs=0
	for k in sent drops lost tlost jm tjm jx tjx jmr jxr; do VALS[$k]=""; done
	for round in $(seq "$ROUNDS"); do
		log=$TMPD/n$n.r$round.log
		run "$n" "$SECS" "$log"
		skipped "$log" && exit 0
		sent=$(fig "$log" rtp.sent) drops=$(fig "$log" rtp.drops_seen)
		lost=$(fig "$log" recv.lost) tlost=$(fig "$log" tshark.lost)
		jm=$(fig "$log" recv.jitter_mean_ms) tjm=$(fig "$log" tshark.jitter_mean_ms)
		jx=$(fig "$log" recv.jitter_max_ms) tjx=$(fig "$log" tshark.jitter_max_ms)
		if [ -z "$lost" ] || [ -z "$tjm" ]; then
			echo "# N=$n round $round: no figures ($(grep -m1 '^not ok' "$log" || echo "see the lab"))"
			continue
		fi
		runs=$((runs + 1))
		[ "$lost" = "$drops" ] && exact=$((exact + 1))
		[ "$lost" = "$tlost" ] && agree=$((agree + 1))
		VALS[sent]+=" $sent" VALS[drops]+=" $drops" VALS[lost]+=" $lost" VALS[tlost]+=" $tlost"
		VALS[jm]+=" $jm" VALS[tjm]+=" $tjm" VALS[jx]+=" $jx" VALS[tjx]+=" $tjx"
		VALS[jmr]+=" $(awk -v a="$jm" -v b="$tjm" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }')"
		VALS[jxr]+=" $(awk -v a="$jx" -v b="$tjx" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }')"
		echo "# N=$n round $round: sent $sent, drops $drops, recv lost $lost, tshark lost $tlost, jitter mean $jm / $tjm ms, max $jx / $tjx ms"
	done
	exact_all=$((exact_all + exact)) agree_all=$((agree_all + agree)) runs_all=$((runs_all + runs))
	rows+="| 1 in $n | $(med sent) | $(med drops) | $(med lost) | $(med tlost) | $exact of $runs | $agree of $runs | $(med jm) | $(med tjm) | $(med jmr) | $(med jx) | $(med tjx) | $(med jxr) |"$'\n'
	ALLJMR+="${VALS[jmr]}" ALLJXR+="${VALS[jxr]}"
done
if [ "$runs_all" = 0 ]; then
	echo "rtp: no figures from $LAB: nothing written to $RESULTS" >&2
	exit 1
fi
VALS[alljmr]=${ALLJMR:-} VALS[alljxr]=${ALLJXR:-}

{
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- proto tools test/ns bench 2>/dev/null | head -n 1)
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — RTP loss and jitter: mcast recv against the drops and tshark"
	echo
	echo "- command: \`bash bench/rtp.sh\` (ROUNDS=$ROUNDS DROPS=\"$DROPS\" RTP_SECONDS=$SECS): the RTP part of \`$LAB\` per round"
	echo "- kernel $(uname -r), $(nproc) CPUs; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- $("$TOP/build/mcast" --version 2>/dev/null | head -n 1), tree at git $rev${dirty:+ with local changes}; $(tshark --version 2>/dev/null | head -n 1 | sed 's/\.$//'); $(ffmpeg -version 2>/dev/null | head -n 1 | cut -d' ' -f1-3)"
	echo "- ffmpeg sends PCMU (payload type 0, 8 kHz) in 20 ms packets for $SECS s; nftables on the receiver drops every Nth (\`numgen inc\`); \"drops\" is what the rule dropped less a dropped last packet; tshark reads a capture of the same packets (eth0, before the rule, the dropped frames taken out). Medians over the rounds; jitter in ms, ratios recv / tshark"
	echo
	echo "| drop | sent | drops | recv lost | tshark lost | recv = drops | recv = tshark | jitter mean recv | tshark | ratio | jitter max recv | tshark | ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s' "$rows"
	echo
	echo "| headline | value |"
	echo "|---|---:|"
	echo "| rounds where recv's loss = the drops | $exact_all of $runs_all |"
	echo "| rounds where recv's loss = tshark's | $agree_all of $runs_all |"
	echo "| jitter mean, recv / tshark (median over all rounds) | $(med alljmr) |"
	echo "| jitter max, recv / tshark (median over all rounds) | $(med alljxr) |"
} >>"$RESULTS"
echo "rtp_loss_exact=$exact_all/$runs_all rtp_jitter_mean_ratio_vs_tshark=$(med alljmr)"
