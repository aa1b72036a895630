#!/usr/bin/env bash
# DVMRP prune and graft latency: two mcastd routers beside two mrouted 4.6
# routers (built from ../shared/peers), the same lab and stream, rounds
# alternating between the pairs.
#
#   bash bench/dvmrp_prune.sh          ROUNDS (default 5); appends a dated
#                                      section to bench/RESULTS.md; the last
#                                      line printed is the headline ratio
#   bash bench/dvmrp_prune.sh --smoke  one round of the mcastd pair; TAP
#                                      lines, writes nothing
#
#   s 198.18.1.10 -- eth1 [a] eth0 --LAN 2-- eth0 [b] eth1 -- h 198.18.3.10
#
# s streams 500 datagrams/s (TTL 16) to G for the whole round: a
# datagram every 2 ms, which bounds the graft-to-datagram time (at
# 2,000/s and more, on this shared machine, the IGMP of the lab was late
# or lost: the sections of such runs in bench/RESULTS.md show it).  h joins;
# once the stream reaches h, h leaves (its receiver ends: the kernel sends
# the leave), b's querier asks for other members for its last-member time,
# then b prunes (origin network 198.18.1.0, G) upstream to a, and a stops
# forwarding onto LAN 2.  Then h joins again: b grafts to a and the stream
# comes back.  Times from two captures (b's port on LAN 2, h's port on
# LAN 3; one clock):
#   prune      h's leave (LAN 3) to b's prune (LAN 2)
#   graft      h's join (LAN 3) to b's graft (LAN 2)
#   delivery   b's graft to the first datagram on LAN 3 again (the graft
#              to first datagram: the graft reaching a, a's forwarding
#              entry rewritten, b's forwarding the next datagram)
# Both routers run their IGMP defaults: last-member query interval 1 s,
# count 2 (mcastd, RFC 3376), so a prune cannot come before 2 s; the
# figures also give the prune less that time.
set -u

. "$(dirname "$0")/lib.bash"
bench_start dvmrp_prune 120 $((120 + ${ROUNDS:-5} * 2 * 60)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
. "$(dirname "$0")/dvmrp_lib.bash"
export LC_ALL=C
cd "$TOP" || exit 1
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}
NAME=dvmrp_prune
[ $SMOKE = 1 ] && NAME="dvmrp_prune smoke"
ROUNDS=${ROUNDS:-5}
[ $SMOKE = 1 ] && ROUNDS=1
KINDS=(mcastd mrouted)
[ $SMOKE = 1 ] && KINDS=(mcastd)
G=239.1.9.1 PORT=7901 LMQT_MS=2000

require_lab
require_mcastd
[ $SMOKE = 1 ] || require_mrouted
command -v tcpdump >/dev/null || { not_ok "$NAME: tcpdump missing (scripts/deps.sh installs it)"; exit 1; }

for lan in 1 2 3; do
	lan_bridge $lan
done
for r in a b; do
	new_ns $r
	router_sysctls $r
done
for h in s:1 h:3; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10 # s: p1, h: p2
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done
lan_port a eth1 1 1
lan_port a eth0 2 1
lan_port b eth0 2 2 # p5: the LAN 2 capture's port
lan_port b eth1 3 1



# capture PORT FILE FILTER: tcpdump on the switch's port, until killed.
# LAN 2's takes only IGMP: at 2,000 datagrams/s on a loaded machine a
# capture of the stream too dropped packets, the prune among them.
capture() {
	bg sw tcpdump -i "$1" -n -B 16384 -U --immediate-mode -w "$2" "$3" 2>"$2.err"
	CAP_PID=$LAST_PID
	wait_for 5 grep -q "listening on" "$2.err" || fail "tcpdump on $1 did not start"
}

# udp_in NS: the datagrams NS's sockets got (Udp InDatagrams).
udp_in() { nsx "$1" awk '/^Udp:/ && $2 ~ /^[0-9]/ { print $2 }' /proc/net/snmp; }

# udp_times PCAP: the arrival times of G's datagrams, seconds.
udp_times() {
	tcpdump -r "$1" -n -tt "udp port $PORT" 2>/dev/null | awk '{ print $1 }'
}

# igmp_time PCAP WHAT AFTER: the first host leave (WHAT=leave) or join
# (join) of G from 198.18.3.10, or b's prune or graft for G (prune,
# graft), at or after AFTER (seconds); "" when none.
igmp_time() {
	"$MCAST" dump -r "$1" --json 2>/dev/null | python3 -c '
import json, sys
what, after, g = sys.argv[1], float(sys.argv[2]), sys.argv[3]
for line in sys.stdin:
    try:
        p = json.loads(line)
    except ValueError:
        continue
    if p.get("time", 0) < after:
        continue
    d = p.get("dvmrp") or {}
    if what in ("prune", "graft"):
        if d.get("code") == what and d.get("group") == g and p.get("src") == "198.18.2.2":
            print("%.6f" % p["time"]); break
        continue
    if p.get("src") != "198.18.3.10":
        continue
    for r in p.get("records", []):
        if r["group"] != g:
            continue
        leave = r["type"] in ("TO_IN", "IS_IN") and not r["sources"]
        if (what == "leave") == leave:
            print("%.6f" % p["time"]); sys.exit()
    kind = {"v2 leave": "leave", "v2 report": "join", "v1 report": "join"}.get(p.get("kind"))
    if kind == what and p.get("group") == g:
        print("%.6f" % p["time"]); break
' "$2" "$3" "$G"
}

# ms A B: (B - A) in ms, 1 decimal.
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

# round KIND N
round() {
	local k=$1 lan2=$TMP/r$2-$1-lan2.pcap lan3=$TMP/r$2-$1-lan3.pcap
	local c2 c3 ps pr t_leave t_prune t_join t_graft t_first
	capture p5 "$lan2" "ip proto 2"
	c2=$CAP_PID
	capture p2 "$lan3" "ip proto 2 or udp port $PORT"
	c3=$CAP_PID
	start_router a "$k" || { fail "$k did not start in a"; return; }
	start_router b "$k" || { fail "$k did not start in b"; stop_router a "$k"; return; }
	bg s "$MCAST" send -i eth0 -t 16 -r 500 -d 90 -q $G:$PORT
	ps=$LAST_PID
	bg h "$MCAST" recv -i eth0 -q -d 60 $G:$PORT
	pr=$LAST_PID
	# mrouted probes every 10 s: the routes within 25 s or never.
	if ! wait_for 25 eval '[ "$(udp_in h)" -gt 50 ]'; then
		fail "$k round $2: the stream did not reach h"
	else
		kill "$pr" 2>/dev/null
		reap "$pr"
		# The prune: the last-member time (2 s) and the prune's way up.
		sleep 4
		t_leave=$(igmp_time "$lan3" leave 0)
		t_prune=$(igmp_time "$lan2" prune "${t_leave:-0}")
		bg h "$MCAST" recv -i eth0 -q -d 4 $G:$PORT
		pr=$LAST_PID
		sleep 2
		t_join=$(igmp_time "$lan3" join "${t_leave:-0}")
		t_graft=$(igmp_time "$lan2" graft "${t_join:-0}")
		t_first=$(udp_times "$lan3" | awk -v t="${t_graft:-0}" '$1 >= t { print; exit }')
		if [ -z "$t_leave" ] || [ -z "$t_prune" ] || [ -z "$t_join" ] ||
		    [ -z "$t_graft" ] || [ -z "$t_first" ]; then
			fail "$k round $2: leave '$t_leave' prune '$t_prune' join '$t_join' graft '$t_graft' first '$t_first'"
		else
			add "prune_$k" "$(ms "$t_leave" "$t_prune")"
			add "graft_$k" "$(ms "$t_join" "$t_graft")"
			add "delivery_$k" "$(ms "$t_graft" "$t_first")"
			echo -n " $k prune $(ms "$t_leave" "$t_prune") graft->data $(ms "$t_graft" "$t_first") ms"
		fi
		reap "$pr"
	fi
	kill "$ps" 2>/dev/null
	reap "$ps"
	stop_router b "$k"
	stop_router a "$k"
	kill "$c2" "$c3" 2>/dev/null
	reap "$c2"
	reap "$c3"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# dvmrp_prune: $ROUNDS round(s) of ${KINDS[*]}"
for n in $(seq "$ROUNDS"); do
	echo -n "# round $n:"
	for k in "${KINDS[@]}"; do
		round "$k" "$n"
	done
	echo
done

if [ $SMOKE = 1 ]; then
	check "$NAME: mcastd pair: prune $(med prune_mcastd) ms after the leave, first datagram $(med delivery_mcastd) ms after the graft" \
	    test "$(sample prune_mcastd n)" = 1
	[ ${#FAILURES[@]} -eq 0 ] ||
	    not_ok "$NAME: ${#FAILURES[@]} step(s) failed, the first: ${FAILURES[0]}"
	finish
fi

over() { awk -v a="$1" -v b="$LMQT_MS" 'BEGIN { if (a != "") printf "%.1f", a - b; else printf "n/a" }'; }
report() {
	local k
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — dvmrp_prune (two mcastd against two mrouted: prune and graft latency)"
	echo
	echo "- command: \`bash bench/dvmrp_prune.sh\` (ROUNDS=$ROUNDS)"
	echo "- kernel $(uname -r), $(nproc) CPUs, no pinning; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	peers_line
	echo "- s streams 500 datagrams/s through a and b to h; h leaves, then joins again; times from captures on LAN 2 and LAN 3"
	echo
	echo "| ms | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for k in "${KINDS[@]}"; do
		echo "| $k: leave to prune | $(fig "prune_$k") |"
		echo "| $k: join to graft | $(fig "graft_$k") |"
		echo "| $k: graft to the first datagram at h | $(fig "delivery_$k") |"
	done
	echo
	echo "| figure | value |"
	echo "|---|---:|"
	echo "| mcastd: prune beyond the last-member time (2,000 ms), ms | $(over "$(med prune_mcastd)") |"
	echo "| prune latency, mcastd / mrouted | $(div3 "$(med prune_mcastd)" "$(med prune_mrouted)") |"
	echo "| graft to first datagram, mcastd / mrouted | $(div3 "$(med delivery_mcastd)" "$(med delivery_mrouted)") |"
	failures_line
	echo
}
report >"$TMP/section.md"
cat "$TMP/section.md" >>"$RESULTS"
cat "$TMP/section.md"
echo "dvmrp_prune_latency_ratio_vs_mrouted=$(div3 "$(med prune_mcastd)" "$(med prune_mrouted)")"
