#!/usr/bin/env bash
# Bad input: one clear line naming what was given and what was expected,
# exit status 2, nothing joined.  Warnings for TTL mistakes.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 1

expect_usage "unicast group refused" \
    "mcast: 10.1.2.3 is not a multicast group: expected 224.0.0.0/4 or ff00::/8" \
    send 10.1.2.3:5000
expect_usage "unicast group refused by recv" \
    "mcast: 198.18.1.2 is not a multicast group: expected 224.0.0.0/4 or ff00::/8" \
    recv 198.18.1.2:5000
expect_usage "unicast IPv6 group refused" \
    "mcast: 2001:db8::1 is not a multicast group: expected 224.0.0.0/4 or ff00::/8" \
    send '[2001:db8::1]:5000'
expect_usage "not an address" \
    "mcast: 'foo' is not an IP address: expected GROUP:PORT with an IPv4 or IPv6 group, e.g. 239.1.2.3:5000 or [ff05::1:3]:5000" \
    send foo:5000
expect_usage "port out of range" \
    "mcast: bad port '70000' in '239.1.2.3:70000': expected a number from 1 to 65535" \
    recv 239.1.2.3:70000
expect_usage "port zero" \
    "mcast: bad port '0' in '239.1.2.3:0': expected a number from 1 to 65535" \
    send 239.1.2.3:0
expect_usage "missing port" \
    "mcast: '239.1.2.3' has no port: expected GROUP:PORT, e.g. 239.1.2.3:5000 or [ff05::1:3]:5000" \
    send 239.1.2.3
expect_usage "unknown interface" \
    "mcast: no interface 'eth9': expected a name from \`ip link\`, an index or an address" \
    recv -i eth9 239.1.2.3:5000
expect_usage "interface without MULTICAST" \
    "mcast: lo has no MULTICAST flag: expected a multicast-capable interface (ip link set lo multicast on)" \
    send -i lo 239.1.2.3:5000
expect_usage "TTL above 255" \
    "mcast: TTL '256' is out of range: expected 0 to 255" \
    send -t 256 239.1.2.3:5000
expect_usage "negative TTL" \
    "mcast: TTL '-1' is out of range: expected 0 to 255" \
    send -t -1 239.1.2.3:5000
expect_usage "TTL not a number" \
    "mcast: TTL 'ten' is out of range: expected 0 to 255" \
    ping -t ten 239.1.2.3:5000
expect_usage "multicast source refused" \
    "mcast: source 239.9.9.9 is a multicast address: expected the unicast address of a sender" \
    recv -S 239.9.9.9 232.1.1.1:5000
expect_usage "source of the wrong family" \
    "mcast: source 198.18.1.9 is IPv4 but the group is IPv6: expected a source of the group's family" \
    join -S 198.18.1.9 ff3e::1234
expect_usage "unknown command" \
    "mcast: unknown command 'sned': expected one of addr, send, recv, join, groups, ping, pong, dump, igmp, mrinfo, map, mtrace, sdp, sap, file" \
    sned 239.1.2.3:5000
expect_usage "addr of a unicast address" \
    "mcast: 10.1.2.3 is not a multicast group: expected 224.0.0.0/4 or ff00::/8" \
    addr 10.1.2.3
expect_usage "count not a number" \
    "mcast: count 'lots' is not a count: expected a whole number of at least 1, e.g. 100, 10k, 2M" \
    send -c lots 239.1.2.3:5000
expect_usage "size below the header" \
    "mcast: size '16' is out of range: expected 32 to 65507 bytes" \
    send -s 16 239.1.2.3:5000

expect_usage "unknown option" \
    "mcast: unknown option '-x' for recv: try 'mcast recv --help'" \
    recv -x 239.1.2.3:5000
expect_usage "option without its value" \
    "mcast: option '-c' of send needs a value: try 'mcast send --help'" \
    send 239.1.2.3:5000 -c
expect_usage "ping --icmp count beyond 16-bit sequence numbers" \
    "mcast: count 70000 is too large for --icmp: expected at most 65535 probes" \
    ping --icmp -c 70000 224.0.0.1

# -S on an interface pinned to IGMPv2 (an ASM-only setup).
nsx h1 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2
expect_usage "-S with IGMPv2 forced" \
    "mcast: -S needs IGMPv3, but eth0 is pinned to IGMPv2 (net.ipv4.conf.eth0.force_igmp_version=2), which cannot carry sources: expected force_igmp_version 0 or 3" \
    recv -i eth0 -S 198.18.1.9 232.1.1.1:5000
check "nothing joined after the refused -S" eval "! joined h1 232.1.1.1"
nsx h1 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=0

# Nothing half-done: a bad second group means the first is never joined.
expect_usage "bad second group refused" \
    "mcast: 10.0.0.1 is not a multicast group: expected 224.0.0.0/4 or ff00::/8" \
    recv -i eth0 -d 1 239.7.7.7:5000 10.0.0.1:5000
check "first group not joined" eval "! joined h1 239.7.7.7"

# An interface, group or source given twice is refused (test/cli/t_repeats.sh
# has the cases that need no interface).
for cmd in "send 239.1.2.3:5000" "recv 239.1.2.3:5000" "join 239.1.2.3" \
    "ping 239.1.2.3:5000" "pong 239.1.2.3:5000"; do
	# shellcheck disable=SC2086 # the words of cmd are the arguments
	expect_usage "${cmd%% *} -i twice" \
	    "mcast: -i given twice (eth0, then eth0): expected one interface" \
	    ${cmd% *} -i eth0 -i eth0 ${cmd##* }
done
expect_usage "igmp emulate -i twice" \
    "mcast: -i given twice (eth0, then eth0): expected one interface" \
    igmp emulate -i eth0 -i eth0 --groups 239.1.2.3
check "nothing joined after the refused repeats" eval "! joined h1 239.1.2.3"

# Warnings, not errors.
nsx h1 "$MCAST" send -i eth0 -c 1 -q 232.1.1.1:5000 2>"$TMP/err"; rc=$?
expect_eq "TTL 1 to an SSM group still sends" $rc 0
check "TTL 1 to an SSM group warns" grep -q "^mcast: warning: TTL 1 keeps datagrams to 232.1.1.1 on this subnet" "$TMP/err"
nsx h1 "$MCAST" send -i eth0 -t 8 -c 1 -q 224.0.0.200:5000 2>"$TMP/err"; rc=$?
expect_eq "TTL 8 to 224.0.0.x still sends" $rc 0
check "224.0.0.x with TTL 8 warns that no router forwards it" grep -q "^mcast: warning: 224.0.0.200 is in the Local Network Control Block (224.0.0.0/24): no router will ever forward it, whatever the TTL" "$TMP/err"
nsx h1 "$MCAST" send -i eth0 -t 8 -c 1 -q 239.1.2.3:5000 2>"$TMP/err"
expect_eq "no warning for an ordinary routed send" "$(cat "$TMP/err")" ""
finish
