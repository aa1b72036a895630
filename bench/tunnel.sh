#!/usr/bin/env bash
# Tunnel benchmark: 1316-byte datagrams through an mcastd tunnel (encap
# ipip and encap udp) against the same path without a tunnel, rounds
# alternating between the three.
#
#   bash bench/tunnel.sh           ROUNDS (default 5); appends a dated
#                                  section to bench/RESULTS.md; the last
#                                  line printed is the headline ratio
#   bash bench/tunnel.sh --smoke   one short round of each (a 1 s flood,
#                                  20 datagrams of latency); TAP lines,
#                                  writes nothing
#
# Environment: ROUNDS (5), FLOOD_SECS (3), LAT_COUNT (200), RESULTS
# (bench/RESULTS.md), MCAST, MCASTD, MCASTCTL.
#
# Lab: t_tunnel.sh's two islands (test/ns/tunnel_lib.sh), three times:
#
#  s -- (LAN a) -- rA -- (b) -- m -- (c) -- rB -- (LAN d) -- h
#
#   ipip, udp  rA and rB run mcastd with a tunnel rA <-> rB of that
#              encapsulation across m, which routes only unicast;
#   direct     the same namespaces and links, mcastd on rA, m and rB, every
#              leg a VIF: the kernels of all three routers forward the
#              multicast themselves (DVMRP between them).  This is the
#              fairest "without a tunnel": the same three hops and veths,
#              where only the tunnel (the user-space copies at rA and rB)
#              differs.  Islands on one link would remove m's forwarding
#              and rB's hop, and flatter the direct path.
#
# Per round and path: s sends 1316-byte datagrams flat out (mcast send -s
# 1316) for FLOOD_SECS + 1 s to a group h has joined (mcast recv).
# Delivered = h's Udp InDatagrams (the kernel counts a datagram when the
# reader takes it) over the middle FLOOD_SECS - 0.5 s, per second: the
# receiver's count, never the sender's.  mcastd's CPU per datagram = utime
# + stime (/proc/PID/stat) of the mcastd processes of rA and rB over the
# flood, divided by the datagrams h received over the flood (for direct:
# rA, m and rB; kernel forwarding costs them nothing per datagram).  Then
# latency: LAT_COUNT (200) datagrams at 100/s, mcast recv's one-way delay (the
# namespaces share one clock: send_time_ns in the header to arrival), its
# mean and minimum.  mrouted's tunnels need the kernel's ipip module: the
# script tries `ip link add type ipip` in a namespace and says what it
# found; without it mrouted's tunnels cannot be measured here.
set -u

. "$(dirname "$0")/lib.bash"
bench_start tunnel 150 $((150 + ${ROUNDS:-5} * 3 * 20)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/../test/ns/tunnel_lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
require_lab
require_mcastd

NAME=tunnel
ROUNDS=${ROUNDS:-5}
FLOOD_SECS=${FLOOD_SECS:-3}
LAT_COUNT=${LAT_COUNT:-200}
[ $SMOKE = 1 ] && ROUNDS=1 FLOOD_SECS=1 LAT_COUNT=20
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
PATHS=(direct ipip udp)
declare -A NS PIDS

# udp_in NS: the namespace's Udp InDatagrams.
udp_in() {
	nsx "$1" awk '$1 == "Udp:" && $2 ~ /^[0-9]/ { print $2; exit }' /proc/net/snmp
}

# cpu_ticks PID...: utime + stime of the processes, clock ticks.
cpu_ticks() {
	local pid t=0
	for pid in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
	done
	echo $t
}

DVMRP_FAST="dvmrp { probe-interval 1s; neighbor-timeout 4s; report-interval 2s; route-expire 6s; holddown 4s }"
base=141
for p in "${PATHS[@]}"; do
	tunnel_islands $p $base "$DVMRP_FAST"
	if [ $p = direct ]; then
		echo "$DVMRP_FAST" >"$TMP/$rA.conf"
		cp "$TMP/$rA.conf" "$TMP/$rB.conf"
		cp "$TMP/$rA.conf" "$TMP/$m.conf"
	fi
	NS[$p]="$rA $rB $m $s $h $S $G $L $R"
	start_mcastd $rA "$TMP/$rA.conf" || { not_ok "$p: mcastd started in $rA"; exit 1; }
	PIDS[$p]=$MCASTD_PID
	start_mcastd $rB "$TMP/$rB.conf" || { not_ok "$p: mcastd started in $rB"; exit 1; }
	PIDS[$p]="${PIDS[$p]} $MCASTD_PID"
	if [ $p = direct ]; then
		start_mcastd $m "$TMP/$m.conf" || { not_ok "$p: mcastd started in $m"; exit 1; }
		PIDS[$p]="${PIDS[$p]} $MCASTD_PID"
	fi
	base=$((base + 10))
done

# ipip in the kernel: what mrouted's tunnels would need.
if nsx $h ip link add mcip0 type ipip local 198.18.$d.10 remote 198.18.$d.1 2>"$TMP/ipip.err"; then
	KERNEL_IPIP="present (mrouted's tunnels could run here; not measured by this script)"
	nsx $h ip link del mcip0
else
	KERNEL_IPIP="absent: \`ip link add type ipip\` says \"$(head -n 1 "$TMP/ipip.err")\"; mrouted's tunnels (VIFF_TUNNEL, kernel IP-in-IP) cannot run here, so no mrouted figure"
fi

# round PATH N: one flood and one latency run.
round() {
	local p=$1 n=$2 rA rB m s h S G L R pr ps i0 i1 r0 r1 c0 c1 t0 t1 port
	read -r rA rB m s h S G L R <<<"${NS[$p]}"
	port=$((7000 + n))
	if [ $n = 1 ]; then
		# The path is ready: h's join known and the kernels forwarding.
		bg $h "$MCAST" recv -i eth0 -d 30 -q $G:9
		pr=$LAST_PID
		wait_for 25 eval 'nsx $s "$MCAST" send -i eth0 -t 16 -c 1 -q $G:9;
		    [ -n "$(mfc_oifs $rA $S $G)" ] && [ "$(mfc_oifs $rB $S $G)" = eth2 ]' ||
		    fail "$p: the path to h was not ready in 25 s"
		kill $pr; reap $pr
	fi
	bg $h "$MCAST" recv -i eth0 -d $((FLOOD_SECS + 3)) --json $G:$port >"$TMP/$p-$n.json"
	pr=$LAST_PID
	wait_for 5 has_group $rB eth2 $G || fail "$p round $n: rB has no member"
	r0=$(udp_in $h)
	c0=$(cpu_ticks ${PIDS[$p]})
	bg $s "$MCAST" send -i eth0 -t 16 -s 1316 -d $((FLOOD_SECS + 1)) -q $G:$port
	ps=$LAST_PID
	sleep 0.5
	i0=$(udp_in $h) t0=$(date +%s%N)
	sleep $((FLOOD_SECS))
	i1=$(udp_in $h) t1=$(date +%s%N)
	reap $ps
	sleep 0.3
	c1=$(cpu_ticks ${PIDS[$p]})
	r1=$(udp_in $h)
	kill $pr 2>/dev/null; reap $pr
	add pps_$p "$(awk -v a=$i0 -v b=$i1 -v t0=$t0 -v t1=$t1 'BEGIN { printf "%.0f", (b - a) / ((t1 - t0) / 1e9) }')"
	add got_$p $((r1 - r0))
	# microseconds of mcastd CPU per datagram received by h
	add cpu_$p "$(awk -v c=$((c1 - c0)) -v n=$((r1 - r0)) -v hz="$(getconf CLK_TCK)" \
	    'BEGIN { if (n > 0) printf "%.3f", c / hz * 1e6 / n; else print "n/a" }')"
	[ $((r1 - r0)) -gt 0 ] || fail "$p round $n: h received nothing"

	# Latency: LAT_COUNT datagrams at 100/s.
	port=$((7100 + n))
	bg $h "$MCAST" recv -i eth0 -c $LAT_COUNT -d $((LAT_COUNT / 100 + 6)) --json $G:$port >"$TMP/$p-lat-$n.json"
	pr=$LAST_PID
	wait_for 5 has_group $rB eth2 $G
	nsx $s "$MCAST" send -i eth0 -t 16 -r 100 -c $LAT_COUNT -q $G:$port
	reap $pr
	read -r lavg lmin <<<"$(tail -n 1 "$TMP/$p-lat-$n.json" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())["streams"][0]["delay_ms"]
print(d["avg"], d["min"])' 2>/dev/null)"
	if [ -n "${lavg:-}" ]; then
		add lat_$p "$lavg"
		add latmin_$p "$lmin"
	else
		fail "$p round $n: no delay from mcast recv"
	fi
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# tunnel: $ROUNDS round(s) of ${PATHS[*]}, ${FLOOD_SECS} s floods; load average $LOAD_BEFORE"
for n in $(seq "$ROUNDS"); do
	echo -n "# round $n:"
	for p in "${PATHS[@]}"; do
		round $p $n
		echo -n " $p $(echo "${VALS[pps_$p]}" | awk '{ print $NF }')/s"
	done
	echo
done

if [ $SMOKE = 1 ]; then
	for p in "${PATHS[@]}"; do
		check "$NAME: $p: h received the flood ($(med got_$p) datagrams, $(med pps_$p)/s) and the latency run ($(med lat_$p) ms)" \
		    eval '[ "$(med got_$p)" -gt 0 ] && [ -n "$(med lat_$p)" ]'
	done
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	echo "# kernel ipip: $KERNEL_IPIP"
	finish
fi

report() {
	local p
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — tunnel (mcastd's user-space tunnels against the same path without one)"
	echo
	echo "- command: \`bash bench/tunnel.sh\` (ROUNDS=$ROUNDS, FLOOD_SECS=$FLOOD_SECS); tree at git $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- lab: s -- rA -- m -- rB -- h (test/ns/tunnel_lib.sh); direct = mcastd on rA, m, rB, the kernels forwarding; ipip/udp = mcastd's tunnel rA <-> rB across m (unicast only)"
	echo "- 1316-byte payloads, mcast send flat out; rate = h's Udp InDatagrams over the middle of the flood (the receiver's count); CPU = mcastd's utime+stime (rA and rB; direct: rA, m, rB) over the flood / datagrams h received; latency = mcast recv's one-way delay, $LAT_COUNT datagrams at 100/s"
	echo "- kernel IP-in-IP (mrouted's tunnels): $KERNEL_IPIP"
	echo
	echo "| figure (median) | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for p in "${PATHS[@]}"; do
		echo "| $p: delivered datagrams/s at h | $(fig pps_$p) |"
		echo "| $p: mcastd CPU per delivered datagram (µs) | $(fig cpu_$p) |"
		echo "| $p: one-way delay, mean (ms) | $(fig lat_$p) |"
		echo "| $p: one-way delay, min (ms) | $(fig latmin_$p) |"
	done
	echo
	echo "| ratio / figure (from the medians) | value |"
	echo "|---|---:|"
	echo "| rate, ipip / direct (target >= 0.8) | $(div3 "$(med pps_ipip)" "$(med pps_direct)") |"
	echo "| rate, udp / direct (target >= 0.8) | $(div3 "$(med pps_udp)" "$(med pps_direct)") |"
	echo "| added mean delay, ipip - direct (ms) | $(awk -v a="$(med lat_ipip)" -v b="$(med lat_direct)" 'BEGIN { printf "%.3f", a - b }') |"
	echo "| added mean delay, udp - direct (ms) | $(awk -v a="$(med lat_udp)" -v b="$(med lat_direct)" 'BEGIN { printf "%.3f", a - b }') |"
	echo
	echo "Reading the figures: the tunnels' rate is bounded by the same CPUs as the direct path's (2 CPUs for sender, three routers and receiver), and the tunnel adds one copy out of and one into the kernel at each end; the direct path runs whole in the softirq of the CPU that sent the datagram, while the tunnel's ends are processes the scheduler can put on the other CPU, which splits the path in stages: single rounds above 1.0 come from that. mcastd's CPU per datagram is almost all kernel time spent carrying the datagram on: a write into the TUN device or a send on the raw/UDP socket runs the following hops (IP output, veth, bridge, the next namespace's input) in mcastd's own context, which in the direct path is charged to the sender and to softirqs instead. A perf profile of both ends during a udp flood (2026-12-03) put 97% of mcastd's samples in the kernel, its own code and libc under 3%, system call entry about 1%: batching the reads and sends (recvmmsg, sendmmsg) would save little of that, and with the rate above 0.8 of direct it was not done."
	failures_line
	echo
}
report >"$TMP/section.md"
bench_append "$TMP/section.md"
echo "tunnel_pps_ratio_ipip_vs_direct=$(div3 "$(med pps_ipip)" "$(med pps_direct)")"
