#!/usr/bin/env bash
# mcast mtrace's command line: what is wrong is named, with what was
# expected, exit 2 and nothing on standard output; --help exits 0.
source "$(dirname "$0")/lib.sh"
expect_usage "no SOURCE" \
    "mcast: mtrace needs a SOURCE: the sender's IPv4 address (try 'mcast mtrace --help')" mtrace
expect_usage "a group as SOURCE" \
    "mcast: SOURCE '239.1.1.1' is not a unicast address: expected the sender's address, then the group" \
    mtrace 239.1.1.1
expect_usage "a unicast GROUP" \
    "mcast: GROUP '10.0.0.1' is not a multicast address: expected 224.0.0.0 to 239.255.255.255" \
    mtrace 198.18.1.10 10.0.0.1
expect_usage "a name as SOURCE" \
    "mcast: SOURCE 'host.example' is not an IPv4 address: expected a dotted quad such as 198.18.1.10" \
    mtrace host.example
expect_usage "-m 0" "mcast: -m MAX-HOPS '0' is not a number from 1 to 255" \
    mtrace -m 0 198.18.1.10
expect_usage "-q 1000" "mcast: -q QUERIES '1000' is not a number from 1 to 100" \
    mtrace -q 1000 198.18.1.10
expect_usage "-g a group" \
    "mcast: -g LAST-HOP '224.0.0.2' is a group: expected the last-hop router's unicast address" \
    mtrace -g 224.0.0.2 198.18.1.10
expect_usage "a third operand" "mcast: mtrace takes SOURCE and GROUP, got 'x' too" \
    mtrace 198.18.1.10 239.1.1.1 x
expect_usage "an unknown option" \
    "mcast: unknown option '-x' for mtrace: try 'mcast mtrace --help'" mtrace -x 198.18.1.10
"$MCAST" mtrace --help >"$tmp/help" 2>&1
expect_eq "--help exits 0 and shows the usage" "$?:$(head -c 19 "$tmp/help")" "0:usage: mcast mtrace"
"$MCAST" --help | grep -q '^  mtrace SOURCE' && ok "mcast --help lists mtrace" || not_ok "mcast --help lists mtrace"
finish
