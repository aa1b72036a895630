#!/usr/bin/env bash
# mcast dump live: on "any" (the default) each packet names the interface
# it was captured on and its direction; a filter expression applies to
# live captures too.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 2
# A second link on h1, so that "any" has two interfaces to tell apart.
new_ns x
p2p_link h1 eth1 198.18.2.1/24 x eth0 198.18.2.2/24

# wait_capturing HOST PID: the dump of PID in HOST has its socket open.
# (a packet sent before that is not seen; a join repeats its report, but
# we want the first).
wait_capturing() {
	wait_for 5 eval "nsx $1 ls -l /proc/$2/fd 2>/dev/null | grep -q socket"
}

bg h1 "$MCAST" dump >"$TMP/any.txt" 2>"$TMP/any.err"
d1=$LAST_PID
bg h1 "$MCAST" dump --json >"$TMP/any.json" 2>/dev/null
d2=$LAST_PID
bg h1 "$MCAST" dump -i eth0 -c 1 src 198.18.1.3 >"$TMP/filtered.txt" 2>/dev/null
d3=$LAST_PID
wait_capturing h1 $d1 && wait_capturing h1 $d2 && wait_capturing h1 $d3 ||
    not_ok "the captures did not start"
sleep 0.3
# h1 reports on eth0 (Out), then on eth1 (Out), then h2's report comes in.
nsx h1 "$MCAST" join -i eth0 -d 0.2 -q 239.1.1.1
sleep 0.2
nsx h1 "$MCAST" join -i eth1 -d 0.2 -q 239.1.1.2
sleep 0.2
nsx h2 "$MCAST" join -i eth0 -d 0.2 -q 239.1.1.3
# Reports repeat (robustness) and leaves follow: wait for h2's, then stop.
wait_for 5 grep -q "198.18.1.3 >" "$TMP/any.txt"
wait_for 5 grep -q '"src":"198.18.1.3"' "$TMP/any.json"
wait_for 5 eval "! kill -0 $d3 2>/dev/null"
kill $d1 $d2 $d3 2>/dev/null

line() { grep -m1 "$1" "$TMP/any.txt" | cut -d' ' -f2-; }
expect_eq "any: h1's report on eth0 is named eth0 Out" \
    "$(line 'TO_EX 239.1.1.1')" \
    "eth0 Out IP 198.18.1.2 > 224.0.0.22 ttl 1 RA: igmp v3 report, 1 record: TO_EX 239.1.1.1 {}"
expect_eq "any: h1's report on eth1 is named eth1 Out" \
    "$(line 'TO_EX 239.1.1.2')" \
    "eth1 Out IP 198.18.2.1 > 224.0.0.22 ttl 1 RA: igmp v3 report, 1 record: TO_EX 239.1.1.2 {}"
expect_eq "any: h2's report is named eth0 In" \
    "$(line 'TO_EX 239.1.1.3')" \
    "eth0 In IP 198.18.1.3 > 224.0.0.22 ttl 1 RA: igmp v3 report, 1 record: TO_EX 239.1.1.3 {}"
ifx=$(nsx h1 cat /sys/class/net/eth1/ifindex)
check "any --json: \"interface\":\"eth1\" with its index and direction" \
    grep -q "\"interface\":\"eth1\",\"ifindex\":$ifx,\"direction\":\"out\",\"src\":\"198.18.2.1\"" "$TMP/any.json"
check "any --json: h2's report in on eth0" \
    grep -q '"interface":"eth0","ifindex":[0-9]*,"direction":"in","src":"198.18.1.3"' "$TMP/any.json"
expect_eq "a live filter (src 198.18.1.3 on eth0) shows h2's report only, without an interface (not any)" \
    "$(cut -d' ' -f2- "$TMP/filtered.txt")" \
    "IP 198.18.1.3 > 224.0.0.22 ttl 1 RA: igmp v3 report, 1 record: TO_EX 239.1.1.3 {}"
finish
