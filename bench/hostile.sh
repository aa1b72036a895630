#!/usr/bin/env bash
# Hostile input against mcastd with bigger numbers than the lab
# (test/ns/t_hostile.sh): malformed IGMP by the 100,000 at full speed,
# floods of 100,000 and 1,000,000 groups, v3 reports of 16,000 sources for
# a thousand groups, the state filled to the default limits, control socket
# abuse, forged queries.  mcastd runs with the DEFAULT limits (no limits
# block) and short IGMP timers (QI 2 s, QRI 1 s: GMI 5 s, OQPI 4.5 s).
#
#   bash bench/hostile.sh           appends a dated section to
#                                   bench/RESULTS.md (generated, not edited)
#   bash bench/hostile.sh --smoke   small numbers, TAP lines, writes nothing
#                                   (under 30 s; make check runs it)
#
# Per attack: packets (or clients) sent, the mcastd counter it must raise
# and how much it rose, what the kernel dropped at mcastd's socket before
# it could read (/proc/net/raw), mcastd's RSS before / peak (VmHWM, reset
# per attack) / after, the CPU time mcastd used, the datagrams the two
# legitimate receivers (1000/s stream through mcastd) missed during it, and
# the log lines of its kind at the end.
set -u
. "$(dirname "$0")/lib.bash"
bench_start hostile 60 600 "$@"
. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/../test/ns/hostile_lib.sh"
export LC_ALL=C
cd "$TOP"
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
require_lab
require_mcastd
[ -x "$INJ" ] || make -s helpers >/dev/null || { not_ok "no $INJ"; exit 1; }

if [ $SMOKE = 1 ]; then
	# Small limits and timers (GMI 2.5 s): each step at least once.
	N=2000 FLOOD=2000 FLOOD3=5000 SRCS=2000 SRCGROUPS=3 FILLG=100 FILLS=16
	CLIENTS=20 HOLD=0.5 SLOW=20 SLOWHOLD=0.5 SLOWWANT=- FORGED=2
	RATE=(-r 20000) MAXG=300 MAXS=64 QI=1000 QRI=500 SETTLE=0.1 NEXT=0
	LIMITS="limits { groups $MAXG; sources $MAXS }"
else
	N=100000 FLOOD=100000 FLOOD3=1000000 SRCS=16000 SRCGROUPS=1000
	FILLG=16384 FILLS=256 CLIENTS=1000 HOLD=3 SLOW=200 SLOWHOLD=6
	SLOWWANT=- FORGED=40 RATE=() QI=2000 QRI=1000 SETTLE=0.5 NEXT=0.6
	MAXG=16384 MAXS=256 LIMITS=""	# the defaults (daemon/conf.h)
fi

hostile_lab
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval ${QI}ms
	query-response-interval ${QRI}ms
}
$LIMITS
CONF
: >"$TMP/inject.out"
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
stream_start 500 || { not_ok "the receivers get the stream through mcastd"; exit 1; }

ROWS=()	# attack|sent|counter|rise|want|drops|rss0|peak|rss1|cpu|loss|logpat|per
# begin: the state before an attack.
begin() {
	snap before
	B_RSS=$(proc_rss_kb "$MCASTD_PID") B_CPU=$(cpu_ms "$MCASTD_PID")
	B_DROPS=$(raw_drops) B_T=$(now_ms) B_SENT=$(wc -l <"$TMP/inject.out")
	peak_reset "$MCASTD_PID"
}
# sent_since: packets igmp_inject sent since begin.
sent_since() {
	tail -n +$((B_SENT + 1)) "$TMP/inject.out" |
	    sed -n 's/.*packets=\([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}
# end NAME SENT COUNTER WANT LOGPAT [PER]: the row of an attack; PER: what
# one packet the kernel drops takes off the counter's rise (default 1).
end() {
	local t1 l
	sleep $SETTLE
	snap after
	t1=$(now_ms)
	sleep $NEXT	# the receivers' next interval report
	l=$(lost hr1,hr2 "$B_T" "$t1")
	ROWS+=("$1|$2|$3|$(delta "$3" before after)|$4|$(( $(raw_drops) - B_DROPS ))|$B_RSS|$(peak_kb "$MCASTD_PID")|$(proc_rss_kb "$MCASTD_PID")|$(awk -v a="$(cpu_ms "$MCASTD_PID")" -v b="$B_CPU" 'BEGIN { printf "%.0f", a - b }')|$l|$5|${6:-1}")
	[ $SMOKE = 1 ] && echo "# $1: sent $2, $3 +$(delta "$3" before after) (want $4), loss $l"
	alive || { not_ok "mcastd alive after: $1"; exit 1; }
}
# room N: wait until the groups of earlier attacks expired (GMI) and the
# table has room for N more (or as much as it can have: all but the
# receivers' group).
room() {
	local want=$(($1 < MAXG - 1 ? $1 : MAXG - 1))
	wait_for 7 eval "snap now; [ \$((MAXG - \$(stat_now igmp.groups now))) -ge $want ]"
}

# ---- malformed IGMP at full speed -----------------------------------------
begin; inj "${RATE[@]}" -c $N bad-checksum
end "bad IGMP checksum" "$(sent_since)" igmp.rx_dropped.bad_checksum $N "dropped: bad checksum"
begin; inj "${RATE[@]}" -c $N truncated 4
end "IGMP cut to 4 bytes" "$(sent_since)" igmp.rx_dropped.shorter_than_8_bytes $N "dropped: shorter than 8"
begin; inj "${RATE[@]}" -c $N short-query 10
end "10-byte query" "$(sent_since)" igmp.rx_dropped.query_of_9-11_bytes $N "dropped: query of 9-11"
begin; inj "${RATE[@]}" -c $N unknown 0x99
end "unknown type 0x99" "$(sent_since)" igmp.rx.unknown $N "unknown type"
begin; inj "${RATE[@]}" -c $N -t 64 report 239.1.9.9
end "v2 report with TTL 64 (accepted)" "$(sent_since)" igmp.rx_ttl_not_1 $N "with TTL 64"
begin; inj "${RATE[@]}" -c $N -s 198.19.9.9 report 239.1.9.8
end "v2 report from off the subnet" "$(sent_since)" igmp.ignored_off_subnet $N "not on eth1's subnet"

# ---- floods of groups ------------------------------------------------------
room $MAXG
begin; g0=$(stat_now igmp.groups before)
inj "${RATE[@]}" flood $FLOOD 239.192.0.0
end "flood of $FLOOD groups (v2 reports)" "$(sent_since)" igmp.limit_groups_hit $((FLOOD - (MAXG - g0))) "limit of $MAXG groups"
room $MAXG
begin; g0=$(stat_now igmp.groups before)
inj "${RATE[@]}" -V 3 -m 183 flood $FLOOD3 239.64.0.0
end "flood of $FLOOD3 groups (v3, 183 records a report)" "$(sent_since)" igmp.limit_groups_hit $((FLOOD3 - (MAXG - g0))) "limit of $MAXG groups" 183

# ---- sources --------------------------------------------------------------
room $SRCGROUPS
begin; inj "${RATE[@]}" -F v3-sources 239.96.0.0 $SRCS $SRCGROUPS
end "v3 reports of $SRCS sources (fragmented 64 kB) x $SRCGROUPS groups" "$(sent_since)" \
    igmp.limit_sources_hit $((SRCGROUPS * (SRCS - MAXS))) "limit of $MAXS sources" $((SRCS - MAXS))
room $FILLG
begin; g0=$(stat_now igmp.groups before)
inj "${RATE[@]}" -V 3 -k $FILLS flood $FILLG 239.97.0.0
end "fill: $FILLG groups x $FILLS sources" "$(sent_since)" igmp.groups $((FILLG < MAXG - g0 ? FILLG : MAXG - g0)) "-"
FILL_BYTES=$(stat_now igmp.engine_bytes after)

# ---- the control socket (the filled state: 'show groups' is a big reply) --
abuse() { # ATTACK ARGS...: ctl_abuse's JSON line
	nsx r python3 "$ABUSE" -u "$TMP/r.sock" -c "$MCASTCTL" "$@" | tail -n 1
}
CTL=()
begin; j=$(abuse -n $SLOW --hold $SLOWHOLD --good-from-start slowread)
end "control: $SLOW clients ask 'show groups', never read" $SLOW control.clients_dropped $SLOWWANT "control socket: a client dropped"
CTL+=("slowread|$j")
begin; j=$(abuse -n $CLIENTS garbage)
end "control: $CLIENTS binary requests" $CLIENTS control.bad_requests $CLIENTS "control socket: a request refused"
CTL+=("garbage|$j")
begin; j=$(abuse -n $CLIENTS oversized)
end "control: $CLIENTS requests over 4095 bytes" $CLIENTS control.bad_requests $CLIENTS "control socket: a request refused"
CTL+=("oversized|$j")
begin; j=$(abuse -n $CLIENTS --hold $HOLD --good-from-start many)
end "control: $CLIENTS silent connections" $CLIENTS control.clients_dropped "-" "control socket: a client dropped"
CTL+=("many|$j")

# ---- forged queries from a lower address ----------------------------------
wait_for 8 eval "[ \"\$(querier)\" = self ] && has_group r eth1 $G"
begin; inj -Q 1 -I 1 -M 31744 -r 2 -c $FORGED query
wait_for 10 eval "[ \"\$(querier)\" = self ] && has_group r eth1 $G"
sleep $SETTLE
end "forged queries (QRV 1, QQIC 1 s, Max Resp 3174 s), 2/s" "$(sent_since)" igmp.rx.v3_query $FORGED "querier now"
nsx r nft add table inet mcguard
nsx r nft add chain inet mcguard pre '{ type filter hook prerouting priority raw; }'
nsx r nft add rule inet mcguard pre iifname eth1 igmp type membership-query ip saddr != $R counter drop
begin; inj -Q 1 -I 1 -M 31744 -r 2 -c $FORGED query
sleep $SETTLE
end "the same with an nftables guard on the router" "$(sent_since)" igmp.rx.v3_query 0 "-"
nsx r nft delete table inet mcguard

# ---- stop: the held-back log lines come out ----------------------------
kill -TERM "$MCASTD_PID"
wait "$MCASTD_PID"
STOPPED=$?
L=$TMP/mcastd-r.log

# The rows, with the log lines of each kind.
table() {
	local r IFS='|' a sent c rise want drops r0 pk r1 cpu loss pat per lines note
	echo "| attack | sent | mcastd counter | rose by | kernel drops at mcastd's socket | RSS before / peak / after (kB) | mcastd CPU (ms) | receivers' loss | log lines |"
	echo "|---|---:|---|---:|---:|---|---:|---:|---:|"
	for r in "${ROWS[@]}"; do
		read -r a sent c rise want drops r0 pk r1 cpu loss pat per <<<"$r"
		lines=-
		[ "$pat" != - ] && lines=$(grep -c -- "$pat" "$L")
		note=""
		if [ "$want" != - ] && [ "$rise" != "$want" ]; then
			if [ "$drops" -gt 0 ] && [ $((want - drops * per)) = "$rise" ]; then
				note=" (all but the $drops dropped x $per)"
			else
				note=" (want $want)"
			fi
		fi
		echo "| $a | $sent | \`$c\` | $rise$note | $drops | $r0 / $pk / $r1 | $cpu | $loss | $lines |"
	done
}
ctl_table() {
	local r k j
	echo "| control abuse | clients | could not connect in 5 s | good \`mcastctl show status\` | median ms | max ms | failed |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for r in "${CTL[@]}"; do
		k=${r%%|*} j=${r#*|}
		python3 -c '
import json, sys
d = json.loads(sys.argv[2])
print("| %s | %s | %s | %s | %s | %s | %s |" % (sys.argv[1], d["clients"], d.get("refused", 0), d["good"],
      d.get("good_ms_median", "-"), d.get("good_ms_max", "-"), d["good_failed"]))' "$k" "$j"
	done
}

if [ $SMOKE = 1 ]; then
	expect_eq "hostile smoke: mcastd stopped cleanly" "$STOPPED" 0
	for r in "${ROWS[@]}"; do
		IFS='|' read -r a sent c rise want drops r0 pk r1 cpu loss pat per <<<"$r"
		[ "$want" = - ] && continue
		# What the kernel dropped at mcastd's full socket is not counted.
		want=$((want - drops * per))
		expect_eq "hostile smoke: $a: $c +$want" "$rise" "$want"
	done
	check "hostile smoke: log lines at most 3 per kind" \
	    test "$(grep -oE 'dropped: [a-z0-9 -]*[a-z0-9]|unknown type|with TTL|not on eth1|limit of [0-9]+ [a-z]+' "$L" |
	    sort | uniq -c | awk '$1 > m { m = $1 } END { print m + 0 }')" -le 3
	finish
fi

{
	echo
	echo "## Hostile input — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`bash bench/hostile.sh\`; kernel $(uname -r); $(nproc) CPUs;"
	echo "mcastd with the default limits (groups $MAXG per interface, sources $MAXS"
	echo "per group, mfc-entries 8192) and QI 2 s / QRI 1 s; the attacker sends from a"
	echo "raw socket (\`build/test/igmp_inject\`, full speed unless said) on the"
	echo "receivers' LAN while two receivers take a 1000/s stream through mcastd."
	echo "Counters are \`mcastctl -j show stats\` deltas; the peak RSS is VmHWM reset"
	echo "before each attack; losses are both receivers' together."
	echo
	table
	echo
	ctl_table
	echo
	echo "| figure | value |"
	echo "|---|---:|"
	echo "| IGMP engine memory with $FILLG groups x $FILLS sources (\`igmp.engine_bytes\`) | $FILL_BYTES |"
	echo "| mcastd log lines in all (held-back counts flushed at stop) | $(grep -c . "$L") |"
	echo "| mcastd exit status after it all | $STOPPED |"
} >>"$RESULTS"
tail -n $(( ${#ROWS[@]} + ${#CTL[@]} + 16 )) "$RESULTS"
