#!/usr/bin/env bash
# mcastd and mrouted 4.6 (DVMRP 3.255, built from ../shared/peers) as
# neighbours on one LAN, each with a LAN of its own behind it: adjacency
# both ways, routes both ways, a stream across in both directions, prunes
# and grafts both ways on the wire, and mrouted's mrinfo reading mcastd.
#
#  h1 198.18.1.10 -- eth1 r1 eth0 --+-- eth0 r2 eth1 -- h3 198.18.3.10
#     (LAN 1)      mcastd .1        |   .2  mrouted     (LAN 3)
#                                (LAN 2)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
require_mrouted
G1=239.1.7.1 G2=239.1.7.2 G3=239.1.7.3 G4=239.1.7.4
N=50

for lan in 1 2 3; do
	lan_bridge $lan
done
for r in r1 r2; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth0 2 1 # p1: the port the capture watches
lan_port r1 eth1 1 1
lan_port r2 eth0 2 2
lan_port r2 eth1 3 1
nsx r1 ip route add 198.18.3.0/24 via 198.18.2.2
nsx r2 ip route add 198.18.1.0/24 via 198.18.2.1
for h in h1:1 h3:3; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done

# Everything on LAN 2 that reaches or leaves r1, from before either starts.
bg sw tcpdump -i p1 -n -U --immediate-mode -w "$TMP/lan2.pcap" 'ip proto 2' \
    2>"$TMP/tcpdump.err"
wait_for 5 grep -q "listening on" "$TMP/tcpdump.err" ||
    { not_ok "tcpdump listens on LAN 2"; exit 1; }

# Queries every 4 s, so that hosts' memberships are known soon after
# a join (mrouted spells the keyword "reponse"); its prunes live 120 s
# (its least), well past the lab.
echo 'igmp { query-interval 4s; query-response-interval 1s }' >"$TMP/r1.conf"
cat >"$TMP/r2.conf" <<CONF
prune-lifetime 120
igmp-query-interval 4
igmp-query-reponse-interval 1
CONF
start_mcastd r1 "$TMP/r1.conf" || { not_ok "mcastd started in r1"; exit 1; }
start_mrouted r2 "$TMP/r2.conf" || { not_ok "mrouted started in r2"; exit 1; }

# ---- Adjacency ----------------------------------------------------------
# mrouted probes every 10 s; either side answers a new neighbour at once.
check "mcastd: eth0: DVMRP neighbour 198.18.2.2 up (two-way)" wait_for 15 \
    grep -q "eth0: DVMRP neighbour 198.18.2.2 up (two-way)" "$TMP/mcastd-r1.log"
# mrouted's flags: G (it has our GenID), and neither 1 (one-way), W
# (waiting), O (too old) nor p (not pruning: our capabilities understood).
mr_neighbor() {
	mrctl r2 -t show neighbor | awk '{ print $1, $2, $3, $4 }'
}
check "mrouted: neighbour 198.18.2.1 on eth0, 3.255, flags G" wait_for 15 \
    eval '[ "$(mr_neighbor)" = "198.18.2.1 eth0 3.255 G" ]'

# ---- Routes -------------------------------------------------------------
# LAN 1 is 1 hop from r1 (metric 1), +1 for r2's eth0.
mr_route() {
	mrctl r2 -t -d show routes | awk -v o="$1" '$1 == o { print $1, $2, $3, $4 }'
}
check "mrouted: 198.18.1/24 from 198.18.2.1 on eth0, cost 2" wait_for 70 \
    eval '[ "$(mr_route 198.18.1/24)" = "198.18.1/24 198.18.2.1 eth0 2" ]'
# mcastd's table is seen through the forwarding test below (no view yet).

# ---- A stream each way --------------------------------------------------
# stream SENDER_HOST RECEIVER_HOST GROUP ROUTER_CHECK: N datagrams with TTL
# 16 across both routers, all of them received.
stream() {
	local from=$1 to=$2 g=$3 pid; shift 3
	bg $to "$MCAST" recv -i eth0 -c $N -d 20 --json $g:5001 >"$TMP/$to-$g.json"
	pid=$LAST_PID
	check "$to's join to $g is known to its router" wait_for 10 "$@"
	nsx $from "$MCAST" send -i eth0 -t 16 -c $N -r 50 -q $g:5001
	wait $pid
	expect_eq "$from -> $to: $to got all $N datagrams of $g" \
	    "$(json_field "$TMP/$to-$g.json" received)" $N
}
mr_has_group() {
	mrctl r2 -t show igmp groups | awk -v g="$1" '$1 == "eth1" && $2 == g { f = 1 } END { exit !f }'
}
stream h1 h3 $G1 mr_has_group $G1
stream h3 h1 $G2 has_group r1 eth1 $G2
# mcastd's reverse path to LAN 3 is its DVMRP route through mrouted.
expect_eq "r1's entry for (198.18.3.10,$G2): from eth0 to eth1" \
    "$(nsx r1 ip mroute show | sed 's/(ttl [0-9]*)//g' |
	awk -v sg="(198.18.3.10,$G2)" '$1 == sg { print $3, $5 }')" "eth0 eth1"

# ---- Prunes and grafts --------------------------------------------------
# dvmrp_lines: LAN 2's DVMRP prunes, grafts and graft acks, one per line:
# "SRC > DST KIND SOURCE GROUP".
dvmrp_lines() {
	"$MCAST" dump -r "$TMP/lan2.pcap" --json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        p = json.loads(line)
    except ValueError:
        continue
    d = p.get("dvmrp") or {}
    if "group" in d:
        print(p["src"], ">", p["dst"], d["code"], d["source"], d["group"])'
}
seen() {
	dvmrp_lines | grep -xF "$1" >/dev/null
}

# prune_graft FROM TO G UP DOWN NET: a sender on FROM's LAN and no receiver
# on TO's: the downstream router DOWN prunes (NET, G) to UP; a receiver
# joins: DOWN grafts, UP acks, the receiver gets the stream.
prune_graft() {
	local from=$1 to=$2 g=$3 up=$4 down=$5 net=$6 spid rpid
	bg $from "$MCAST" send -i eth0 -t 16 -d 12 -r 50 -q $g:5001
	spid=$LAST_PID
	check "$down prunes ($net, $g) to $up" wait_for 6 seen "$down > $up prune $net $g"
	bg $to "$MCAST" recv -i eth0 -c 20 -d 8 -q $g:5001
	rpid=$LAST_PID
	check "$down grafts ($net, $g) to $up" wait_for 8 seen "$down > $up graft $net $g"
	check "$up acks the graft" wait_for 4 seen "$up > $down graft-ack $net $g"
	check "after the graft, $to gets $g (20 datagrams)" wait $rpid
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
}
prune_graft h1 h3 $G3 198.18.2.1 198.18.2.2 198.18.1.0
prune_graft h3 h1 $G4 198.18.2.2 198.18.2.1 198.18.3.0

# ---- mrinfo -------------------------------------------------------------
# mcastd's VIFs with address, metric 1, threshold 1, querier on both (it
# has the lowest address on LAN 2), its neighbour mrouted on eth0, and a
# leaf (neighbour 0.0.0.0) on eth1.
nsx r2 timeout 10 "$MROUTED_BIN/mrinfo" -n -t 2 198.18.2.1 >"$TMP/mrinfo.out" 2>&1
cat >"$TMP/mrinfo.want" <<OUT
198.18.2.1 (198.18.2.1) [DVMRPv3 compliant]:
  198.18.2.1 -> 198.18.2.2 (198.18.2.2) [1/1/querier]
  198.18.1.1 -> 0.0.0.0 (local) [1/1/querier/leaf]
OUT
if diff -u "$TMP/mrinfo.want" "$TMP/mrinfo.out" >"$TMP/mrinfo.diff"; then
	ok "mrinfo 198.18.2.1 lists mcastd's VIFs, metrics, thresholds and its neighbour"
else
	not_ok "mrinfo 198.18.2.1"
	sed 's/^/#   /' "$TMP/mrinfo.diff"
fi

# Nothing mcastd sent did mrouted refuse, nor mcastd what mrouted sent.
expect_eq "mcastd refused no DVMRP message" \
    "$(mctl r1 show stats | awk '$1 ~ /^dvmrp.rx_malformed/ { n += $2 } END { print n + 0 }')" 0
if [ "$FAILED" -gt 0 ]; then
	echo "# mcastd's log:"
	grep -i dvmrp "$TMP/mcastd-r1.log" | tail -n 20 | sed 's/^/#   /'
	echo "# mrouted's log:"
	tail -n 30 "$TMP/mrouted-r2.log" | sed 's/^/#   /'
fi
finish
