#!/usr/bin/env bash
# mcast send --groups N: datagrams go round robin to N consecutive groups,
# each group with its own sequence numbers (0, 1, 2 ...) and its own share
# of -c announced as the total, so `mcast recv` counts no loss; bad counts
# and ranges that leave the multicast space are refused in one line.
#
#   h1 198.18.1.2 (sender) --LAN-- h2 198.18.1.3 (receiver, capture)
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 2

expect_usage "--groups 0 refused" \
    "mcast: --groups '0' is not a count: expected a whole number of at least 1, e.g. 100, 10k, 2M" \
    send --groups 0 239.3.0.1:5000
expect_usage "--groups above 65536 refused" \
    "mcast: --groups '65537' is out of range: expected 1 to 65536 groups" \
    send --groups 65537 239.3.0.1:5000
expect_usage "--groups past 239.255.255.255 refused" \
    "mcast: --groups 2 from 239.255.255.255 runs past 239.255.255.255: expected a count of at most 1" \
    send --groups 2 239.255.255.255:5000
expect_usage "--groups past the IPv6 group ID refused" \
    "mcast: --groups 3 from ff05::ffff:fffe runs past ff05::ffff:ffff: expected a count of at most 2" \
    send --groups 3 '[ff05::ffff:fffe]:5000'
nsx h1 "$MCAST" send -i eth0 -c 16 -q --groups 16 239.255.255.240:5000 2>"$TMP/err"
expect_eq "--groups up to 239.255.255.255 exactly is accepted" "$?:$(cat "$TMP/err")" "0:"
# The TTL warnings speak of the last group too when it is in another block.
nsx h1 "$MCAST" send -i eth0 -c 2 -q --groups 2 231.255.255.255:5000 2>"$TMP/err"
expect_eq "a range running into the SSM block warns for its last group" \
    "$(cat "$TMP/err")" \
    "mcast: warning: TTL 1 keeps datagrams to 232.0.0.0 on this subnet, but the Source-Specific Multicast Block is meant to be routed: give -t with a TTL above the routers' thresholds"

# pcap_streams FILE: "GROUP SEQUENCE TOTAL" of every mcast datagram in the
# capture, in capture order.
pcap_streams() {
	python3 "$TOP/test/ns/pcap_mcast.py" streams "$1"
}

# 10 datagrams to 4 groups: 3, 3, 2, 2 each, in this order on the wire.
bg h2 tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/rr.pcap" udp port 5000 2>/dev/null
cap=$LAST_PID
bg h2 "$MCAST" recv -i eth0 --json -c 10 -d 5 239.3.0.1:5000 239.3.0.2:5000 \
    239.3.0.3:5000 239.3.0.4:5000 >"$TMP/recv.json"
rcv=$LAST_PID
wait_for 5 joined h2 239.3.0.4 || not_ok "h2 joined the four groups"
sleep 0.5
nsx h1 "$MCAST" send -i eth0 -r 200 -c 10 --groups 4 239.3.0.1:5000 2>"$TMP/send.txt"
expect_eq "send --groups 4 -c 10 exits 0" $? 0
wait $rcv
expect_eq "recv got all 10 (exit 0)" $? 0
sleep 0.3
kill $cap; wait $cap 2>/dev/null
check "the plain summary names the range of groups" \
    grep -q '^sent 10 datagrams (640 bytes) to 4 groups 239.3.0.1 to 239.3.0.4 port 5000 in ' "$TMP/send.txt"
want="239.3.0.1 0 3
239.3.0.2 0 3
239.3.0.3 0 2
239.3.0.4 0 2
239.3.0.1 1 3
239.3.0.2 1 3
239.3.0.3 1 2
239.3.0.4 1 2
239.3.0.1 2 3
239.3.0.2 2 3"
got=$(pcap_streams "$TMP/rr.pcap")
expect_eq "round robin on the wire: group, per-group sequence, per-group total" \
    "$got" "$want"
[ "$got" = "$want" ] || echo "$got" | sed 's/^/#   /'
for g in 1 2 3 4; do
	n=3; [ $g -gt 2 ] && n=2
	got=$(stream_counts "$TMP/recv.json" | awk -v g=239.3.0.$g:5000 '$1 == g { print $3, $4 }')
	expect_eq "recv: 239.3.0.$g got $n datagrams, lost none" "$got" "$n 0"
done

# Flat out: no segmentation offload trains (one destination per train).
out=$(nsx h1 "$MCAST" send -i eth0 -c 300 --groups 3 --json 239.3.1.1:5001)
expect_eq "flat-out --groups: JSON groups, last_group, no GSO" \
    "$(echo "$out" | grep -o '"groups":[0-9]*,"last_group":"[^"]*"'),$(echo "$out" | grep -o '"gso":[a-z]*')" \
    '"groups":3,"last_group":"239.3.1.3","gso":false'
expect_eq "flat-out --groups: every datagram sent" \
    "$(echo "$out" | grep -o '"packets":[0-9]*')" '"packets":300'
out=$(nsx h1 "$MCAST" send -i eth0 -c 3 --json 239.3.1.1:5001)
expect_eq "without --groups the JSON says one group" \
    "$(echo "$out" | grep -o '"groups":[0-9]*,"last_group":"[^"]*"')" \
    '"groups":1,"last_group":"239.3.1.1"'

# IPv6: the last 32 bits count up.
bg h2 "$MCAST" recv -i eth0 --json -c 6 -d 5 '[ff05::3:ffff]:5002' \
    '[ff05::4:0]:5002' '[ff05::4:1]:5002' >"$TMP/recv6.json"
rcv=$LAST_PID
wait_for 5 joined h2 ff05::4:1 || not_ok "h2 joined the three IPv6 groups"
sleep 0.5
nsx h1 "$MCAST" send -i eth0 -r 200 -c 6 -q --groups 3 '[ff05::3:ffff]:5002'
wait $rcv
expect_eq "IPv6 recv got all 6 (exit 0)" $? 0
for g in '[ff05::3:ffff]:5002' '[ff05::4:0]:5002' '[ff05::4:1]:5002'; do
	got=$(stream_counts "$TMP/recv6.json" | awk -v g="$g" '$1 == g { print $3, $4 }')
	expect_eq "IPv6 recv: $g got 2 datagrams, lost none" "$got" "2 0"
done

# --stdin: each line to the next group.
bg h2 tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/stdin.pcap" udp port 5003 2>/dev/null
cap=$LAST_PID
sleep 0.5
printf 'a\nb\nc\n' | nsx h1 "$MCAST" send -i eth0 --stdin --groups 2 -q 239.3.2.1:5003
expect_eq "--stdin with --groups exits 0" $? 0
sleep 0.3
kill $cap; wait $cap 2>/dev/null
expect_eq "--stdin: line after line to the next group" \
    "$(tcpdump -r "$TMP/stdin.pcap" -n 2>/dev/null | awk '{ print $5 }' | tr '\n' ' ')" \
    "239.3.2.1.5003: 239.3.2.2.5003: 239.3.2.1.5003: "
finish
