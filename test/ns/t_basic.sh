#!/usr/bin/env bash
# recv gets exactly what send sent; loss accounting is exact when nftables
# drops known datagrams; the membership is gone once recv exits.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 3
G=239.1.2.3

# 1. Exactly N datagrams, two receivers, JSON summary.
bg h2 "$MCAST" recv -i eth0 -c 500 -d 10 --json $G:5000 >"$TMP/r2.json"
r2=$LAST_PID
bg h3 "$MCAST" recv -i eth0 -c 500 -d 10 $G:5000 >"$TMP/r3.txt"
r3=$LAST_PID
wait_for 5 joined h2 $G && wait_for 5 joined h3 $G || not_ok "receivers joined"
hex=$(printf '%02X%02X%02X%02X' 3 2 1 239)  # /proc/net/igmp prints the __be32 in host order
check "/proc/net/igmp of h2 lists $G while recv runs" nsx h2 grep -q $hex /proc/net/igmp
nsx h1 "$MCAST" send -i eth0 -t 1 -r 5000 -s 200 -c 500 $G:5000 2>"$TMP/s.txt"
wait $r2; rc2=$?
wait $r3; rc3=$?
expect_eq "recv exits 0 when the count arrived (h2)" $rc2 0
expect_eq "recv exits 0 when the count arrived (h3)" $rc3 0
expect_eq "h2 received exactly 500" "$(json_field "$TMP/r2.json" received)" 500
expect_eq "h2 lost none" "$(json_field "$TMP/r2.json" lost)" 0
expect_eq "h2 duplicates none" "$(json_field "$TMP/r2.json" duplicates)" 0
check "h2 stream comes from h1 (198.18.1.2)" grep -q '"sender":"198.18.1.2:[0-9]*"' "$TMP/r2.json"
expect_eq "h2 bytes 500 x 200" "$(json_field "$TMP/r2.json" bytes)" 100000
expect_eq "h2 sender announced 500" "$(json_field "$TMP/r2.json" sender_total)" 500
check "h3 table shows 500 packets, 0 lost" grep -qE "^$G:5000 +198.18.1.2:[0-9]+ +500 +0 +0.00 " "$TMP/r3.txt"
check "send reports 500 datagrams" grep -q "^sent 500 datagrams (100000 bytes)" "$TMP/s.txt"

# 2. The membership is gone once recv has exited.
check "h2 left $G after recv exited" wait_for 3 eval "! joined h2 $G"
check "/proc/net/igmp of h2 no longer lists $G" eval "! nsx h2 grep -q $hex /proc/net/igmp"

# 3. Exact loss: nftables drops every datagram whose count mod 10 is 5.
nsx h2 nft -f - <<NFT
table inet mcloss {
	chain in {
		type filter hook input priority 0;
		udp dport 5001 numgen inc mod 10 == 5 counter drop
	}
}
NFT
bg h2 "$MCAST" recv -i eth0 -c 1000 -d 4 --json $G:5001 >"$TMP/loss.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "receiver joined for the loss test"
nsx h1 "$MCAST" send -i eth0 -r 10000 -c 1000 -q $G:5001
wait $r; rc=$?
expect_eq "recv exits 1 on loss" $rc 1
expect_eq "received 900 of 1000" "$(json_field "$TMP/loss.json" received)" 900
expect_eq "lost exactly 100" "$(json_field "$TMP/loss.json" lost)" 100
expect_eq "loss percent 10" "$(json_field "$TMP/loss.json" loss_percent)" 10.000
dropped=$(nsx h2 nft list table inet mcloss | grep -o 'packets [0-9]*' | cut -d' ' -f2)
expect_eq "nftables dropped 100" "$dropped" 100

# 3b. Tail loss: the last 10 of 100 are dropped; the sender announced 100,
# the stream falls silent, so recv counts them lost.  A receiver that is
# still hearing the stream when it stops counts no tail.
nsx h2 nft -f - <<NFT
table inet mctail {
	chain in {
		type filter hook input priority 0;
		udp dport 5002 numgen inc mod 100 >= 90 counter drop
	}
}
NFT
bg h2 "$MCAST" recv -i eth0 -d 1.5 --json $G:5002 >"$TMP/tail.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "receiver joined for the tail test"
nsx h1 "$MCAST" send -i eth0 -r 2000 -c 100 -q $G:5002
wait $r; rc=$?
expect_eq "tail loss: exit 1" $rc 1
expect_eq "tail loss: received 90" "$(json_field "$TMP/tail.json" received)" 90
expect_eq "tail loss: the 10 dropped at the end count as lost" "$(json_field "$TMP/tail.json" lost)" 10
bg h2 "$MCAST" recv -i eth0 -d 1 --json $G:5003 >"$TMP/early.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "receiver joined for the early-leave test"
bg h1 "$MCAST" send -i eth0 -r 1000 -c 3000 -q $G:5003
s=$LAST_PID
wait $r; rc=$?
kill $s 2>/dev/null; wait $s 2>/dev/null
expect_eq "leaving mid-stream: exit 0, nothing lost" "$rc:$(json_field "$TMP/early.json" lost)" "0:0"

# 3c. A receiver gets only the groups it joined on its port, even when the
# host has joined others (the classic Linux surprise).
bg h2 "$MCAST" join -i eth0 -q 239.1.2.4
j=$LAST_PID
bg h2 "$MCAST" recv -i eth0 -d 1.5 --json $G:5100 >"$TMP/only.json"
r=$LAST_PID
wait_for 5 joined h2 239.1.2.4 && wait_for 5 joined h2 $G || not_ok "h2 joined both groups"
nsx h1 "$MCAST" send -i eth0 -c 30 -q 239.1.2.4:5100
nsx h1 "$MCAST" send -i eth0 -c 20 -q $G:5100
wait $r
kill $j; wait $j 2>/dev/null
expect_eq "recv on $G:5100 got its 20 and none of 239.1.2.4's 30" "$(json_field "$TMP/only.json" received)" 20

# 3c'. -c stops at the count even when a batch holds more: 300 datagrams
# queue while the receiver is stopped, and it takes exactly 100 of them.
bg h2 "$MCAST" recv -i eth0 -c 100 -d 5 --json $G:5300 >"$TMP/count.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "h2 joined $G"
kill -STOP $r
nsx h1 "$MCAST" send -i eth0 -c 300 -q $G:5300
kill -CONT $r
wait $r
expect_eq "-c 100 with 300 queued at once: received exactly 100" "$(json_field "$TMP/count.json" received)" 100

# 3d. Flat out with --gso, datagrams leave in UDP segmentation offload
# trains; each still arrives as its own datagram with its own sequence
# number.  Without it (the default), sendmmsg batches.
bg h2 "$MCAST" recv -i eth0 -c 3000 -d 5 --json $G:5200 >"$TMP/gso.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "receiver joined for the GSO test"
nsx h1 "$MCAST" send -i eth0 -s 200 -c 3000 --gso --json $G:5200 >"$TMP/gso-send.json"
wait $r; rc=$?
expect_eq "flat-out send --gso used GSO trains" "$(json_field "$TMP/gso-send.json" gso)" true
expect_eq "GSO: all 3000 arrived as datagrams, none lost, none duplicated" \
    "$rc:$(json_field "$TMP/gso.json" received):$(json_field "$TMP/gso.json" lost):$(json_field "$TMP/gso.json" duplicates)" "0:3000:0:0"
expect_eq "GSO: each datagram is 200 bytes" "$(json_field "$TMP/gso.json" bytes)" 600000
nsx h1 "$MCAST" send -i eth0 -s 200 -c 10 --no-gso --json $G:5201 >"$TMP/nogso.json"
expect_eq "--no-gso sends without trains" "$(json_field "$TMP/nogso.json" gso)" false
nsx h1 "$MCAST" send -i eth0 -s 200 -c 10 --json $G:5201 >"$TMP/default.json"
expect_eq "flat out by default: no trains" "$(json_field "$TMP/default.json" gso)" false

# 4. mcast groups reads the live kernel table.
bg h3 "$MCAST" join -i eth0 239.9.9.9 239.9.9.10
wait_for 5 joined h3 239.9.9.10 || not_ok "join held"
nsx h3 "$MCAST" groups --json >"$TMP/groups.json"
check "groups --json lists 239.9.9.9 on eth0" grep -q '"group":"239.9.9.9"' "$TMP/groups.json"
check "groups --json lists 239.9.9.10" grep -q '"group":"239.9.9.10"' "$TMP/groups.json"
nsx h3 "$MCAST" groups -i eth0 >"$TMP/groups.txt"
check "groups table lists 224.0.0.1 on eth0" grep -qE '^eth0 +224\.0\.0\.1 ' "$TMP/groups.txt"
kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null
check "join left its groups when interrupted" wait_for 3 eval "! joined h3 239.9.9.9"
finish
