#!/usr/bin/env bash
# make demo: a self-contained multicast LAN in network namespaces.
#
#   h1 (sender) ---+
#   h2 (receiver) -+-- switch (a Linux bridge)
#   h3 (receiver) -+
#
# Two receivers join 239.1.2.3, h1 streams, h3 leaves half-way; we show the
# kernel's membership table (/proc/net/igmp) before and after, and what each
# receiver measured.  Then the same through a router running mcastd: an
# IGMPv2 LAN and an IGMPv3 SSM LAN, the groups and forwarding entries it
# holds, and the entry shrinking when a receiver leaves.  Everything is
# removed at the end.
set -u
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "make demo builds network namespaces and needs root (try: sudo make demo)" >&2
	exit 1
fi
. test/ns/lib.sh
G=239.1.2.3 PORT=5000

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m%s$ %s\033[0m\n' "$1" "${*:2}"; nsx "$@"; }

say "Building a LAN: switch + h1 198.18.1.2 (sender), h2 198.18.1.3, h3 198.18.1.4"
lan_lab 3

say "What is $G?"
"$MCAST" addr $G | sed -n '1,5p'

say "Before: h3's kernel membership table (only 224.0.0.1, all-hosts)"
show h3 "$MCAST" groups -i eth0

say "h2 and h3 join $G:$PORT (mcast recv); the kernel sends IGMP reports"
bg h2 "$MCAST" recv -i eth0 -d 8 $G:$PORT
r2=$LAST_PID
bg h3 "$MCAST" recv -i eth0 $G:$PORT
r3=$LAST_PID
wait_for 5 joined h2 $G && wait_for 5 joined h3 $G
show h3 "$MCAST" groups -i eth0
show h3 cat /proc/net/igmp

say "h1 streams 6000 datagrams at 1000/s (6 s); h3 leaves after 3 s"
bg h1 "$MCAST" send -i eth0 -r 1000 -c 6000 -s 200 $G:$PORT
s1=$LAST_PID
sleep 3
say "h3 leaves (Ctrl-C to its mcast recv): its report"
kill -INT $r3; wait $r3

say "After: h3's membership table ($G is gone)"
show h3 cat /proc/net/igmp
wait $s1
say "h2 stayed to the end: its report (the full 6000, no loss)"
wait $r2

# ---- part 2: the same through a router ----
say "Part 2: a router (mcastd) between a sender LAN and two receiver LANs"
echo "  LAN 1: s 198.18.1.2 (sender)   LAN 2: v2 198.18.2.2 (IGMPv2 host)   LAN 3: v3 198.18.3.2 (IGMPv3, SSM)"
routed_lab s v2 v3
nsx v2 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2
cat >"$TMP/mcastd.conf" <<CONF
# short timers, so the demo shows a leave within a second
igmp {
	query-interval 5s
	query-response-interval 1s
	last-member-query-interval 200ms
}
CONF
start_mcastd r "$TMP/mcastd.conf" || exit 1
show r "$MCASTCTL" -u "$TMP/r.sock" show interfaces

say "v2 joins 239.1.2.3 (any source); v3 joins 232.1.2.3 from 198.18.1.2 only (SSM)"
bg v2 "$MCAST" recv -i eth0 -d 8 239.1.2.3:$PORT
rv2=$LAST_PID
bg v3 "$MCAST" recv -i eth0 -S 198.18.1.2 -d 8 232.1.2.3:$PORT
rv3=$LAST_PID
say "s streams both groups at 500/s with TTL 8 (TTL 1 would never cross the router)"
bg s "$MCAST" send -i eth0 -t 8 -r 500 -c 3000 -q 239.1.2.3:$PORT
bg s "$MCAST" send -i eth0 -t 8 -r 500 -c 3000 -q 232.1.2.3:$PORT
sleep 2
show r "$MCASTCTL" -u "$TMP/r.sock" show groups
show r "$MCASTCTL" -u "$TMP/r.sock" show mfc

say "v2 leaves (its report:)"
kill -INT $rv2; wait $rv2
sleep 1
say "The router queried the group, nobody answered: eth1 left 239.1.2.3's entry"
show r "$MCASTCTL" -u "$TMP/r.sock" show mfc
say "v3 stayed to the end: its report (only 198.18.1.2's stream)"
wait $rv3

say "Done: namespaces removed"
