#!/usr/bin/env bash
# DVMRP at scale: a router's memory and CPU holding ROUTES routes and
# ORIGINS x NGROUPS prunes received (issue 11: 5,000 routes and 10,000
# prunes, target <= 16 MB RSS), mcastd beside mrouted 4.6 (built from
# ../shared/peers) on the same load, rounds alternating.
#
#   bash bench/dvmrp_scale.sh          ROUNDS (default 3) of each router;
#                                      appends a dated section to
#                                      bench/RESULTS.md; the last line is the
#                                      headline ratio (RSS, mcastd / mrouted)
#   bash bench/dvmrp_scale.sh --smoke  one round of mcastd with 200 routes
#                                      and 4 x 25 prunes; TAP lines, writes
#                                      nothing, no mrouted
#
# Environment: ROUNDS (3), ROUTES (5000), ORIGINS (10), NGROUPS (1000), PPS
# (2000: flows and prunes sent per second), RESULTS (bench/RESULTS.md),
# MCAST, MCASTD, MCASTCTL, PEERS.
#
# Lab: the router r between two LANs, a DVMRP neighbour on each
# (test/helpers/dvmrp_peer.c, from raw sockets):
#
#   a 198.18.1.2 --LAN 1-- eth0 198.18.1.1 [r] eth1 198.18.2.1 --LAN 2-- 198.18.2.2 b
#
# The load, in order, for each router:
#   1. routes: a (upstream) advertises ROUTES /24s from 10.0.0.0 at metric
#      1, b (downstream) the same routes poisoned (metric 34), so that b
#      depends on r for them; waits until r holds every route;
#   2. flows: a sends one UDP datagram from host .1 of each of the first
#      ORIGINS origins to each of NGROUPS groups from 239.1.0.0 (spoofed
#      sources, inside the lab), paced; every (S,G) becomes a kernel
#      forwarding entry through r's upcall, out on eth1 (b's dependency).
#      The kernel keeps at most 10 unresolved (S,G) at a time and drops the
#      rest, so the pass is sent again (at most 4 passes) until the kernel
#      has ORIGINS x NGROUPS entries;
#   3. prunes: b prunes every (origin, group); waits until the kernel's
#      entries have no outgoing interface left (the router took every
#      prune: mcastd's `show status` dvmrp_prunes_received must say
#      ORIGINS x NGROUPS too).
# Then, 2 s later, the router's VmRSS and VmHWM (/proc/PID/status) and its
# CPU time (utime + stime, /proc/PID/stat) since it started; and, for
# mcastd, where its memory goes (`show stats`: the engines' bytes).
# mcastd runs with `limits { mfc-entries 65536 }` (its default, 8192, is
# below the 10,000 flows); mrouted with an empty configuration.
set -u

. "$(dirname "$0")/lib.bash"
bench_start dvmrp_scale 150 $((300 + ${ROUNDS:-3} * 2 * 240)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
NAME=dvmrp_scale
ROUNDS=${ROUNDS:-3}
ROUTES=${ROUTES:-5000}
ORIGINS=${ORIGINS:-10}
NGROUPS=${NGROUPS:-1000}
PPS=${PPS:-2000}
read -r -a ROUTERS <<<"${ROUTERS:-mcastd mrouted}"
if [ $SMOKE = 1 ]; then
	NAME="dvmrp_scale smoke"
	ROUNDS=1 ROUTES=200 ORIGINS=4 NGROUPS=25
	ROUTERS=(mcastd)
fi
PRUNES=$((ORIGINS * NGROUPS))
PEER=$(dirname "$MCAST")/test/dvmrp_peer

require_lab
require_mcastd
[ -x "$PEER" ] || { not_ok "$NAME: no $PEER: run make helpers"; exit 1; }
[ $SMOKE = 1 ] || require_mrouted

lan_bridge 1
lan_bridge 2
for n in r a b; do
	new_ns $n
done
router_sysctls r
lan_port r eth0 1 1
lan_port r eth1 2 1
lan_port a eth0 1 2
lan_port b eth0 2 2
printf 'limits { mfc-entries 65536 }\n' >"$TMP/mcastd.conf"
: >"$TMP/mrouted.conf"

vif_count() { nsx r awk 'NR > 1' /proc/net/ip_mr_vif | wc -l; }
# The kernel's (S,G) entries from the routes' sources: all, and those with
# no outgoing interface.
mfc_count() { nsx r awk '$2 ~ /0A$/ && $3 != -1' /proc/net/ip_mr_cache | wc -l; }
mfc_no_oif() { nsx r awk '$2 ~ /0A$/ && $3 != -1 && NF == 6' /proc/net/ip_mr_cache | wc -l; }

# status_field KEY: mcastd's `show status` value.
status_field() {
	mctl r -j show status 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin)["daemon"][0].get(sys.argv[1]))' "$1"
}
# routes_held ROUTER: the routes to 10/8 the router holds.
routes_held() {
	case $1 in
	mcastd) mctl r show routes 2>/dev/null | grep -c '^10\.' ;;
	mrouted) mrctl r show routes 2>/dev/null | grep -c '^10\.' ;;
	esac
}
# cpu_ms PID: utime + stime, ms.
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / hz }' "/proc/$1/stat"
}
vm_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

start_router() {
	case $1 in
	mcastd) start_mcastd r "$TMP/mcastd.conf" && RPID=$MCASTD_PID ;;
	mrouted) start_mrouted r "$TMP/mrouted.conf" && RPID=$MROUTED_PID ;;
	esac
}

# round ROUTER N
round() {
	local rt=$1 pa pb t0 pass got start_kb cpu c1 c2 ok_prunes=0
	start_router "$rt" || { fail "$rt did not start"; return; }
	[ "$(cat "/proc/$RPID/comm")" = "$rt" ] || { fail "pid $RPID is not $rt"; return; }
	start_kb=$(vm_kb "$RPID" VmRSS)
	bg a "$PEER" -i eth0 -n 198.18.1.1 -R "$ROUTES" -m 1 run >/dev/null
	pa=$LAST_PID
	bg b "$PEER" -i eth0 -n 198.18.2.1 -R "$ROUTES" -m 34 run >/dev/null
	pb=$LAST_PID
	t0=$(now_ms)
	if ! wait_for 40 eval '[ "$(routes_held "$rt")" -ge "$ROUTES" ]'; then
		fail "$rt round $2: $(routes_held "$rt") of $ROUTES routes within 40 s"
	else
		add "routes_ms_$rt" $(($(now_ms) - t0))
		c1=$(cpu_ms "$RPID")
		for pass in 1 2 3 4; do
			nsx a "$PEER" -i eth0 -x "$PPS" flows "$ORIGINS" "$NGROUPS" >/dev/null ||
			    { fail "$rt round $2: dvmrp_peer flows failed"; break; }
			wait_for 3 eval '[ "$(mfc_count)" -ge "$PRUNES" ]' && break
		done
		got=$(mfc_count)
		if [ "$got" -lt "$PRUNES" ]; then
			fail "$rt round $2: $got of $PRUNES kernel entries after 4 passes"
		else
			add "passes_$rt" "$pass"
			c2=$(cpu_ms "$RPID")
			nsx b "$PEER" -i eth0 -n 198.18.2.1 -x "$PPS" prune "$ORIGINS" "$NGROUPS" >/dev/null ||
			    fail "$rt round $2: dvmrp_peer prune failed"
			ok_prunes=1
			wait_for 20 eval '[ "$(mfc_no_oif)" -ge "$PRUNES" ]' || {
				fail "$rt round $2: $(mfc_no_oif) of $PRUNES entries pruned within 20 s"
				ok_prunes=0
			}
			if [ "$rt" = mcastd ]; then
				got=$(status_field dvmrp_prunes_received)
				if [ "$got" != "$PRUNES" ]; then
					fail "mcastd round $2: show status has $got prunes received, not $PRUNES"
					ok_prunes=0
				fi
				if [ $ok_prunes = 0 ]; then
					# Where a prune went: the engine's and the socket's counters.
					mctl r show stats 2>/dev/null |
					    awk '$1 ~ /^(dvmrp\.prune|dvmrp\.rx|igmp\.rx_dropped|rx)/ && $2 != 0 { print "#   " $0 }'
				fi
			fi
		fi
		if [ "${ok_prunes:-0}" = 1 ]; then
			sleep 2
			add "rss_kb_$rt" "$(vm_kb "$RPID" VmRSS)"
			add "hwm_kb_$rt" "$(vm_kb "$RPID" VmHWM)"
			add "start_kb_$rt" "$start_kb"
			cpu=$(cpu_ms "$RPID")
			add "cpu_ms_$rt" "$cpu"
			add "cpu_routes_$rt" "$c1"
			add "cpu_flows_$rt" "$(awk -v a="$c2" -v b="$c1" 'BEGIN { print a - b }')"
			add "cpu_prunes_$rt" "$(awk -v a="$cpu" -v b="$c2" 'BEGIN { print a - b }')"
			echo -n " $rt rss=$(vm_kb "$RPID" VmRSS)kB hwm=$(vm_kb "$RPID" VmHWM)kB cpu=${cpu}ms ($c1/$((${c2%.*} - ${c1%.*}))/$((${cpu%.*} - ${c2%.*})))"
			if [ "$rt" = mcastd ]; then
				add held_routes_mcastd "$(status_field dvmrp_routes)"
				add held_prunes_mcastd "$(status_field dvmrp_prunes_received)"
				mctl r show stats >"$TMP/stats" 2>/dev/null
				for k in dvmrp.nbr.engine_bytes dvmrp.prune.engine_bytes igmp.engine_bytes; do
					add "$k" "$(awk -v k="$k" '$1 == k { print $2 }' "$TMP/stats")"
				done
			fi
		fi
	fi
	kill "$pa" "$pb" 2>/dev/null
	reap "$pa"
	reap "$pb"
	kill "$RPID" 2>/dev/null
	reap "$RPID"
	wait_for 10 eval '[ "$(vif_count)" = 0 ]' || fail "$rt left its VIFs"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# $NAME: $ROUNDS round(s) of ${ROUTERS[*]}: $ROUTES routes, $ORIGINS x $NGROUPS prunes"
for n in $(seq "$ROUNDS"); do
	echo -n "# round $n:"
	for rt in "${ROUTERS[@]}"; do
		round "$rt" "$n"
	done
	echo
done

if [ $SMOKE = 1 ]; then
	check "$NAME: mcastd held $ROUTES routes and $PRUNES prunes ($(med rss_kb_mcastd) kB RSS)" \
	    test "${#FAILURES[@]}" = 0 -a "$(sample rss_kb_mcastd n)" = 1
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

report() {
	local rev dirty rt
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- tools lib include proto daemon ctl bench test/helpers 2>/dev/null | head -n 1)
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — dvmrp_scale (mcastd against mrouted: $ROUTES routes, $PRUNES prunes)"
	echo
	echo "- command: \`bash bench/dvmrp_scale.sh\` (ROUNDS=$ROUNDS ROUTES=$ROUTES ORIGINS=$ORIGINS NGROUPS=$NGROUPS PPS=$PPS)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- $("$MROUTED_BIN/mrouted" -v 2>&1 | head -n 1) built from ../shared/peers, \`mrouted -n -l info\`, empty configuration; $("$MCAST" --version 2>/dev/null | head -n 1), \`mcastd -n -l info\` with \`limits { mfc-entries 65536 }\`; tree at git $rev${dirty:+ with local changes}"
	echo "- load: test/helpers/dvmrp_peer.c, upstream a neighbour advertising $ROUTES /24s, downstream one poisoning them (a dependent); $PRUNES (S,G) flows from upstream (one datagram each, $PPS/s), then the downstream neighbour prunes each (origin, group) ($PPS/s); figures read 2 s after the kernel's last entry lost its outgoing interface"
	echo
	echo "| figure | router | median | min–max | rounds |"
	echo "|---|---|---:|---:|---:|"
	for rt in "${ROUTERS[@]}"; do
		echo "| VmRSS at start (kB) | $rt | $(fig "start_kb_$rt") |"
		echo "| VmRSS under the load (kB) | $rt | $(fig "rss_kb_$rt") |"
		echo "| VmHWM (kB) | $rt | $(fig "hwm_kb_$rt") |"
		echo "| CPU, utime + stime from start (ms) | $rt | $(fig "cpu_ms_$rt") |"
		echo "| CPU: start and routes (ms) | $rt | $(fig "cpu_routes_$rt") |"
		echo "| CPU: flows, until every kernel entry (ms) | $rt | $(fig "cpu_flows_$rt") |"
		echo "| CPU: prunes, and the 2 s after (ms) | $rt | $(fig "cpu_prunes_$rt") |"
		echo "| all routes held, from the neighbours' start (ms) | $rt | $(fig "routes_ms_$rt") |"
		echo "| flow passes until every (S,G) had a kernel entry | $rt | $(fig "passes_$rt") |"
	done
	echo "| routes held (show status dvmrp_routes) | mcastd | $(fig held_routes_mcastd) |"
	echo "| prunes held (show status dvmrp_prunes_received) | mcastd | $(fig held_prunes_mcastd) |"
	for k in dvmrp.nbr.engine_bytes dvmrp.prune.engine_bytes igmp.engine_bytes; do
		echo "| $k (show stats) | mcastd | $(fig "$k") |"
	done
	echo
	echo "| ratio (from the medians) | value |"
	echo "|---|---:|"
	echo "| CPU, mcastd / mrouted | $(div3 "$(med cpu_ms_mcastd)" "$(med cpu_ms_mrouted)") |"
	echo "| VmHWM, mcastd / mrouted | $(div3 "$(med hwm_kb_mcastd)" "$(med hwm_kb_mrouted)") |"
	echo "| VmRSS under the load, mcastd / mrouted | $(div3 "$(med rss_kb_mcastd)" "$(med rss_kb_mrouted)") |"
	echo "| VmRSS under the load, mcastd / 16 MB target | $(div3 "$(med rss_kb_mcastd)" 16384) |"
	if [ ${#FAILURES[@]} -gt 0 ]; then
		echo
		echo "Steps that failed and are left out of the figures: ${#FAILURES[@]}; the first: ${FAILURES[0]}"
	fi
	echo
}
report >"$TMP/section.md"
if [ ! -f "$RESULTS" ]; then
	printf '# Benchmark results\n\nSections are appended by the benchmark scripts; figures are never edited by hand.\n\n' >"$RESULTS"
fi
cat "$TMP/section.md" >>"$RESULTS"
cat "$TMP/section.md"
echo "dvmrp_scale_rss_ratio_vs_mrouted=$(div3 "$(med rss_kb_mcastd)" "$(med rss_kb_mrouted)")"
