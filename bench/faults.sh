#!/usr/bin/env bash
# Fault recovery benchmark: the faults of test/ns/t_faults.sh (the querier
# killed, a link down and up, an interface deleted and re-added, an address
# changed, mcastd restarted, the pid file's directory full, 1,000 reloads)
# run ROUNDS times; for each fault, how long until forwarding came back and
# how long each receiver heard nothing, as median and min-max over the rounds.
#
#   bash bench/faults.sh           ROUNDS (default 5) runs of the lab; appends
#                                  a dated section to bench/RESULTS.md
#   bash bench/faults.sh --smoke   one quick fault (link down and up) once;
#                                  prints one TAP line, writes nothing
#
# Environment: ROUNDS (5), RELOADS (1000), RESULTS (bench/RESULTS.md), and
# MCAST/MCASTD/MCASTCTL as for the labs.
#
# The lab (see its header for the topology) streams 1000 datagrams/s with
# `mcast send -t 8` from LAN1 through the router r to h2 (LAN2) and h3
# (LAN3); tcpdump on each receiver times every datagram.  It prints each
# measurement as "# figure NAME VALUE"; this script only collects them, so
# the lab and the benchmark measure the same thing.  Figures:
#   back     ms from the repair (link up, interface added, mcastd started)
#            to the receiver's first datagram
#   silence  a receiver's longest time without a datagram around the fault
#            (at 1000/s, about that many datagrams lost)
set -u

. "$(dirname "$0")/lib.bash"
bench_start faults 60 $((60 + ${ROUNDS:-5} * 150)) "$@"

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export LC_ALL=C
LAB=test/ns/t_faults.sh
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
TMPD=$(mktemp -d /tmp/mcast-faults.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

# The lab runs itself in a user namespace when not run by root, or says
# why it cannot run at all (a SKIP line): so does this script.
# skipped LOG: the lab skipped; its reason is repeated.
skipped() {
	local why
	why=$(sed -n 's/^ok - t_faults # SKIP //p' "$1")
	[ -n "$why" ] || return 1
	echo "ok - faults # SKIP $why"
}

if [ $SMOKE = 1 ]; then
	FAULTS=link bash "$LAB" >"$TMPD/smoke.log" 2>&1
	rc=$?
	skipped "$TMPD/smoke.log" && exit 0
	back=$(awk '$2 == "figure" && $3 == "link.back.h2" { print $4 }' "$TMPD/smoke.log")
	if [ $rc = 0 ] && ! grep -q '^not ok' "$TMPD/smoke.log" && [ -n "$back" ] && [ "$back" != "?" ]; then
		echo "ok - faults smoke: link down and up, forwarding back $back ms after up"
		exit 0
	fi
	echo "not ok - faults smoke (exit $rc): $(grep -m1 '^not ok' "$TMPD/smoke.log")"
	sed 's/^/# /' "$TMPD/smoke.log" | tail -n 20
	exit 1
fi

ROUNDS=${ROUNDS:-5}
RELOADS=${RELOADS:-1000}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
failed_rounds=0
first_failure=""
for round in $(seq "$ROUNDS"); do
	RELOADS=$RELOADS bash "$LAB" >"$TMPD/round$round.log" 2>&1
	rc=$?
	skipped "$TMPD/round$round.log" && exit 0
	n_ok=$(grep -c '^ok' "$TMPD/round$round.log")
	n_bad=$(grep -c '^not ok' "$TMPD/round$round.log")
	echo "# round $round: exit $rc, $n_ok checks passed, $n_bad failed"
	if [ $rc != 0 ] || [ "$n_bad" != 0 ]; then
		failed_rounds=$((failed_rounds + 1))
		[ -n "$first_failure" ] ||
		    first_failure="round $round: $(grep -m1 '^not ok' "$TMPD/round$round.log" || echo "exit $rc")"
		grep '^not ok' "$TMPD/round$round.log" | sed 's/^/#   /'
	fi
	# Every figure of the round, "NAME VALUE" (rounds that failed too:
	# a figure is what was measured; the checks say whether it was good).
	awk -v r=$round '$1 == "#" && $2 == "figure" && $4 != "?" { print r, $3, $4 }' \
	    "$TMPD/round$round.log" >>"$TMPD/figures"
	# Checks per fault: "querier: ..." lines.
	awk -v r=$round '/^(not )?ok - / {
		sub(/^ok - /, "ok "); sub(/^not ok - /, "bad ")
		split($2, w, ":"); if ($2 !~ /:$/) next
		print r, w[1], $1 }' "$TMPD/round$round.log" >>"$TMPD/checks"
done

# stat NAME median|min|max|n over the rounds.
stat() {
	awk -v k="$1" '$2 == k { print $3 }' "$TMPD/figures" | sort -g |
	    awk -v w="$2" '{ a[NR] = $1 } END {
		if (NR == 0) { print (w == "n" ? 0 : "n/a"); exit }
		if (w == "n") { print NR; exit }
		if (w == "min") { printf "%.0f\n", a[1]; exit }
		if (w == "max") { printf "%.0f\n", a[NR]; exit }
		if (NR % 2) printf "%.0f\n", a[(NR + 1) / 2]
		else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# row NAME TEXT BOUND: one table row.
row() {
	printf '| %s | %s | %s–%s | %s | %s |\n' "$2" "$(stat "$1" median)" "$(stat "$1" min)" \
	    "$(stat "$1" max)" "$(stat "$1" n)" "$3"
}
# checks FAULT: "P of N checks passed" over all rounds.
checks() {
	awk -v f="$1" '$2 == f { n++; if ($3 == "ok") p++ } END { printf "%d of %d checks passed", p, n }' "$TMPD/checks"
}
one() { awk -v k="$1" '$2 == k { print $3; exit }' "$TMPD/figures"; }

QI=$(one conf.qi_ms) QRI=$(one conf.qri_ms) RV=$(one conf.rv) OQPI=$(one conf.oqpi_ms)
if [ -z "$QI" ]; then
	echo "faults: no figures from $LAB: nothing written to $RESULTS" >&2
	sed 's/^/# /' "$TMPD/round1.log" | tail -n 20 >&2
	exit 1
fi
HDR='| figure (ms) | median | min–max | rounds | what bounds it |
|---|---:|---:|---:|---|'

report() {
	local rev dirty
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- daemon proto lib tools test/ns bench 2>/dev/null | head -n 1)
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — faults"
	echo
	echo "- command: \`bash bench/faults.sh\` (ROUNDS=$ROUNDS RELOADS=$RELOADS): $ROUNDS runs of \`$LAB\`"
	echo "- kernel $(uname -r), $(nproc) CPUs ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
	echo "- load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- $("$TOP/build/mcast" --version 2>/dev/null | head -n 1), tree at git $rev${dirty:+ with local changes}"
	echo "- lab: a stream of 1000 datagrams/s (\`mcast send -t 8\`) from LAN1 through r to h2 (LAN2) and h3 (LAN3), timed by tcpdump on each receiver; mcastd with query-interval $QI ms, query-response-interval (Max Resp Time) $QRI ms, robustness $RV: Other Querier Present Interval $OQPI ms, Startup Query Interval $((QI / 4)) ms"
	echo "- \"back\": from the repair to the receiver's first datagram; \"silence\": a receiver's longest time without a datagram around the fault (at 1000/s that many datagrams lost, less one)"
	echo "- rounds in which some check failed: $failed_rounds of $ROUNDS${first_failure:+ (first: $first_failure)}"
	echo
	echo "**querier** — LAN2's querier rq (198.18.2.1) killed with -9; r (198.18.2.3), the router forwarding to h2, takes over ($(checks querier))"
	echo
	echo "$HDR"
	row querier.takeover_after_last_query "r's first query after rq's last one" "OQPI = RV × QI + QRI/2 = $OQPI ms"
	row querier.takeover_after_kill "r querier (mcastctl) after the kill" "OQPI less the time since rq's last query"
	row querier.gap.h2 "silence at h2 (LAN2)" "none while the membership holds; it may lapse for ≤ QRI/2 + a report delay (GMI − OQPI = QRI/2)"
	row querier.gap.h3 "silence at h3 (LAN3, not concerned)" "none"
	echo
	echo "**link** — r's eth1 (LAN2) set down, ~0.5 s later up ($(checks link))"
	echo
	echo "$HDR"
	row link.back.vif "eth1 a VIF again (mcastctl) after up" "netlink event (RTM_NEWLINK)"
	row link.back.h2 "back at h2 after up" "the new VIF's startup query, then h2's report: random delay ≤ Max Resp Time $QRI ms"
	row link.gap.h2 "silence at h2" "time down + back"
	row link.gap.h3 "silence at h3 (LAN3, not concerned)" "none"
	echo
	echo "**iface** — r's eth2 (LAN3) deleted, ~0.5 s later a new veth named eth2 added and addressed ($(checks iface))"
	echo
	echo "$HDR"
	row iface.back.h3 "back at h3 after the new eth2 was added" "RTM_NEWLINK/NEWADDR, startup query, h3's report ≤ $QRI ms (and the time \`ip\` takes to add, address and raise it)"
	row iface.gap.h3 "silence at h3" "time gone + back"
	row iface.gap.h2 "silence at h2 (LAN2, not concerned)" "none"
	echo
	echo "**addr** — r's eth1 address replaced (ip addr del, then add another); then a second address (another subnet) added and the first deleted ($(checks addr))"
	echo
	echo "$HDR"
	row addr1.gap.h2 "address replaced: silence at h2" "between del and add eth1 has no IPv4 address: its VIF goes and comes back; startup query, h2's report ≤ $QRI ms"
	row addr1.gap.h3 "address replaced: silence at h3" "none"
	row addr2.gap.h2 "second address, first deleted: silence at h2" "none: the VIF stays and queries from the second address (mcastd re-reads the addresses when the one it uses goes)"
	row addr2.gap.h3 "second address, first deleted: silence at h3" "none"
	echo
	echo "**restart** — mcastd stopped by SIGTERM and started again, then killed by -9 and started again, under the stream ($(checks restart))"
	echo
	echo "$HDR"
	row restartterm.back.h2 "SIGTERM, start: back at h2 after the start" "start-up (MRT_INIT, VIFs), startup query, report ≤ $QRI ms"
	row restartterm.back.h3 "SIGTERM, start: back at h3 after the start" "same"
	row restartterm.gap.h2 "SIGTERM, start: silence at h2" "stop (MRT_DONE drops the VIFs at once) + start + back"
	row restartterm.gap.h3 "SIGTERM, start: silence at h3" "same"
	row restartkill.back.h2 "kill -9, start: back at h2 after the start" "same as SIGTERM: the kernel drops the VIFs when the socket closes"
	row restartkill.back.h3 "kill -9, start: back at h3 after the start" "same"
	row restartkill.gap.h2 "kill -9, start: silence at h2" "same"
	row restartkill.gap.h3 "kill -9, start: silence at h3" "same"
	echo
	echo "**pidfile** — the pid file on a full tmpfs (4 KiB, in a mount namespace of its own): the start is refused with one line (\"pid file …: No space left on device\"), leaving no socket, no VIF and the kernel's multicast routing free; filled after the start: reload (mcastctl and SIGHUP) and SIGTERM work ($(checks pidfile))"
	echo
	echo "**fds** — $RELOADS reloads of a running mcastd under the stream, the configuration alternating between two (a boundary, a static route, a static membership and an IGMP timer differ); every tenth by SIGHUP ($(checks fds))"
	echo
	echo "| figure | median | min–max | rounds | |"
	echo "|---|---:|---:|---:|---|"
	row fds.before "open descriptors before" ""
	row fds.after100 "open descriptors after 100 reloads" ""
	row "fds.after$RELOADS" "open descriptors after $RELOADS reloads" ""
	row rss_kb.before "VmRSS before (KiB)" ""
	row rss_kb.after100 "VmRSS after 100 reloads (KiB)" ""
	row "rss_kb.after$RELOADS" "VmRSS after $RELOADS reloads (KiB)" ""
	row fds.reload_ms "ms per reload (mcastctl round trip included)" ""
	row fds.gap.h2 "silence at h2 during the reloads (ms)" "none"
	row fds.gap.h3 "silence at h3 during the reloads (ms)" "none"
	echo
	echo "Datagrams lost over a whole run (all faults): h2 median $(stat total.lost.h2 median) ($(stat total.lost.h2 min)–$(stat total.lost.h2 max)), h3 median $(stat total.lost.h3 median) ($(stat total.lost.h3 min)–$(stat total.lost.h3 max)), from \`mcast recv\`'s sequence numbers."
	echo
}

report >"$TMPD/section.md"
if [ ! -f "$RESULTS" ]; then
	printf '# Benchmark results\n\nSections are appended by the benchmark scripts; figures are never edited by hand.\n\n' >"$RESULTS"
fi
cat "$TMPD/section.md" >>"$RESULTS"
cat "$TMPD/section.md"
