#!/usr/bin/env bash
# Repeated operands and options are refused by the parser: exit 2 and one
# line naming what came twice, before any socket is opened or group joined.
# Needs no namespace: every case fails while the command line is read.
. "$(dirname "$0")/lib.sh"

expect_usage "join G G" \
    "mcast: group 239.1.1.1 given twice: expected each group once" \
    join 239.1.1.1 239.1.1.1
expect_usage "join: the same IPv6 group spelt twice" \
    "mcast: group ff05::1 given twice (once as ff05:0::1): expected each group once" \
    join ff05::1 ff05:0::1
expect_usage "join -S X -S X" \
    "mcast: source 198.18.1.1 given twice: expected each source once" \
    join -S 198.18.1.1 -S 198.18.1.1 232.1.1.1
expect_usage "recv -S X -S X" \
    "mcast: source 198.18.1.1 given twice: expected each source once" \
    recv -S 198.18.1.1 -S 198.18.1.1 232.1.1.1:5000
expect_usage "recv G:P G:P" \
    "mcast: GROUP:PORT 239.1.1.1:5000 given twice: expected each GROUP:PORT once" \
    recv 239.1.1.1:5000 239.1.1.1:5000
expect_usage "recv: the same IPv6 GROUP:PORT spelt twice" \
    "mcast: GROUP:PORT [ff05::0:1]:5000 given twice: expected each GROUP:PORT once" \
    recv '[ff05::1]:5000' '[ff05::0:1]:5000'
expect_usage "recv --kind twice" \
    "mcast: --kind given twice (rtp, then ts): expected one kind" \
    recv --kind rtp --kind ts 239.1.1.1:5000
expect_usage "recv --clock-rate twice" \
    "mcast: --clock-rate given twice (8000, then 90000): expected one clock rate" \
    recv --clock-rate 8000 --clock-rate 90000 239.1.1.1:5000
expect_usage "recv --kind of no kind" \
    "mcast: --kind mp4: expected auto, mcast, rtp or ts" \
    recv --kind mp4 239.1.1.1:5000
expect_usage "recv --clock-rate too high" \
    "mcast: clock rate 1G is too high: expected at most 100M (Hz)" \
    recv --clock-rate 1G 239.1.1.1:5000
expect_usage "addr A A" \
    "mcast: address 239.1.1.1 given twice: expected each address once" \
    addr 239.1.1.1 239.1.1.1
expect_usage "groups -i twice" \
    "mcast: -i given twice (lo, then lo): expected one interface" \
    groups -i lo -i lo
expect_usage "dump -i twice" \
    "mcast: -i given twice (any, then lo): expected one interface" \
    dump -i any -i lo
expect_usage "dump -r twice" \
    "mcast: -r given twice (a.pcap, then b.pcap): expected one file" \
    dump -r a.pcap -r b.pcap
expect_usage "dump -w twice" \
    "mcast: -w given twice (a.pcap, then a.pcap): expected one file" \
    dump -r a.pcap -w a.pcap -w a.pcap
# The first value of these is checked against the host's interfaces, which
# a test without a namespace cannot choose: the repeat is refused first.
expect_usage "igmp emulate --source twice" \
    "mcast: --source given twice (198.18.1.1, then 198.18.1.2): expected one source (the hosts join INCLUDE {S})" \
    igmp emulate --source 198.18.1.1 --source 198.18.1.2
expect_usage "igmp emulate --groups twice" \
    "mcast: --groups given twice (239.1.1.1, then 239.1.1.2/4): expected one G[/COUNT] (COUNT groups from G up)" \
    igmp emulate --groups 239.1.1.1 --groups 239.1.1.2/4
expect_usage "igmp emulate --first-host twice" \
    "mcast: --first-host given twice (198.18.1.10, then 198.18.1.20): expected one first address" \
    igmp emulate --first-host 198.18.1.10 --first-host 198.18.1.20
# Different groups, or one group on two ports, are not repeats.
"$MCAST" addr 239.1.1.1 239.1.1.2 >/dev/null 2>&1
st=$?
if [ "$st" = 0 ]; then ok "addr of two groups is fine"; else not_ok "addr of two groups: status $st"; fi
finish
