#!/usr/bin/env bash
# make demo: a self-contained multicast LAN in network namespaces.
#
#   h1 (sender) ---+
#   h2 (receiver) -+-- switch (a Linux bridge)
#   h3 (receiver) -+
#
# Two receivers join 239.1.2.3, h1 streams, h3 leaves half-way; we show the
# kernel's membership table (/proc/net/igmp) before and after, and what each
# receiver measured.  Everything is removed at the end.
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

say "Done: namespaces removed"
