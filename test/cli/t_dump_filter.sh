#!/usr/bin/env bash
# mcast dump's filter expression (tcpdump's syntax, ANDed with "ip proto 2")
# over captures this test writes itself, and the interface of Linux cooked
# v2 frames (what a capture on "any" gives).
. "$(dirname "$0")/lib.sh"

# eth.pcap: Ethernet, a v3 query from .1, v2 reports from .2 and .3, a UDP
# datagram from .2 (not IGMP: never shown).  sll2.pcap: the report of .2
# received on ifindex 7 and the one of .3 sent on ifindex 9.
python3 - "$tmp" "$TOP/test/cli" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
from pcap_write import csum, ip4, ipv4, eth, sll2, write

def igmp(typ, mrt, group, extra=b''):
    m = struct.pack('!BBH4s', typ, mrt, 0, ip4(group)) + extra
    return m[:2] + struct.pack('!H', csum(m)) + m[4:]

query = ipv4('198.18.1.1', '224.0.0.1', 2,
             igmp(0x11, 100, '0.0.0.0', b'\x02\x7d\x00\x00'), True)
rep2 = ipv4('198.18.1.2', '239.1.1.1', 2, igmp(0x16, 0, '239.1.1.1'), True)
rep3 = ipv4('198.18.1.3', '239.1.1.2', 2, igmp(0x16, 0, '239.1.1.2'), True)
udp = ipv4('198.18.1.2', '239.1.1.1', 17, struct.pack('!HHHH', 5000, 5000, 12, 0) + b'abcd', False)
d = sys.argv[1]
write(d + '/eth.pcap', 1, [eth(p) for p in (query, rep2, udp, rep3)])
write(d + '/sll2.pcap', 276, [sll2(rep2, 7, 2), sll2(rep3, 9, 4)])
PY

n=$("$MCAST" dump -r "$tmp/eth.pcap" | wc -l)
expect_eq "without an expression: the three IGMP packets, not the UDP one" "$n" 3
out=$(TZ=UTC "$MCAST" dump -r "$tmp/eth.pcap" host 198.18.1.3)
expect_eq "host 198.18.1.3: its report only" "$out" \
    "22:13:23.000000 IP 198.18.1.3 > 239.1.1.2 ttl 1 RA: igmp v2 report 239.1.1.2"
out=$("$MCAST" dump -r "$tmp/eth.pcap" --json 'dst 224.0.0.1' | grep -o '"kind":"[^"]*"')
expect_eq "dst 224.0.0.1 (quoted as one word): the query only" "$out" '"kind":"v3 query"'
n=$("$MCAST" dump -r "$tmp/eth.pcap" src 198.18.1.2 or src 198.18.1.3 | wc -l)
expect_eq "an expression in several words (src A or src B): 2 reports" "$n" 2
n=$("$MCAST" dump -r "$tmp/eth.pcap" -c 1 src net 198.18.1.0/24 | wc -l)
expect_eq "-c 1 with a filter stops after one" "$n" 1
"$MCAST" dump -r "$tmp/eth.pcap" -w "$tmp/out.pcap" host 198.18.1.2 >/dev/null
n=$("$MCAST" dump -r "$tmp/out.pcap" | wc -l)
expect_eq "-w writes only what the filter let through (the UDP of .2 neither)" "$n" 1
if command -v tcpdump >/dev/null; then
	want=$(tcpdump -r "$tmp/eth.pcap" -n 'host 198.18.1.2 and igmp' 2>/dev/null | wc -l)
	n=$("$MCAST" dump -r "$tmp/eth.pcap" host 198.18.1.2 | wc -l)
	expect_eq "the same packets as tcpdump 'host 198.18.1.2 and igmp'" "$n" "$want"
else
	ok "tcpdump comparison # SKIP no tcpdump"
fi

# Bad expressions: exit 2, libpcap's words and the expression.
expect_usage "a syntax error is refused before anything is read" \
    "mcast: bad filter expression 'hots 198.18.1.2': can't parse filter expression: syntax error: expected tcpdump's syntax (pcap-filter(7)), e.g. 'host 198.18.1.2'" \
    dump -r "$tmp/eth.pcap" hots 198.18.1.2
expect_usage "an expression no IGMP or SAP packet can match is refused" \
    "mcast: filter expression 'tcp port 80' lets no IGMP or SAP packet through ((tcp port 80) and (ip proto 2 or (ip and udp dst port 9875))): expected an expression that IGMP or SAP packets can match, mcast dump shows nothing else" \
    dump -r "$tmp/eth.pcap" tcp port 80
# (libpcap's own words after the colon differ between its versions)
"$MCAST" dump -r "$tmp/sll2.pcap" ether src 02:00:00:00:00:01 >"$tmp/out" 2>"$tmp/err"
st=$?
case $st:$(cat "$tmp/err") in
"2:mcast: bad filter expression 'ether src 02:00:00:00:00:01' for $tmp/sll2.pcap (link type LINUX_SLL2): "?*) ok "an expression the capture's link type refuses: exit 2" ;;
*) not_ok "ether src on a cooked capture: status $st, stderr: $(head -c 300 "$tmp/err")" ;;
esac

# Linux cooked v2: the interface index and the direction.  A file's indexes
# are those of the host that captured it, so no name is looked up.
out=$(TZ=UTC "$MCAST" dump -r "$tmp/sll2.pcap")
expect_eq "cooked v2 lines name the interface index and the direction" "$out" \
    "22:13:20.000000 ifindex 7 In IP 198.18.1.2 > 239.1.1.1 ttl 1 RA: igmp v2 report 239.1.1.1
22:13:21.000000 ifindex 9 Out IP 198.18.1.3 > 239.1.1.2 ttl 1 RA: igmp v2 report 239.1.1.2"
out=$("$MCAST" dump -r "$tmp/sll2.pcap" --json | grep -o '"interface":[^,]*,"ifindex":[0-9]*,"direction":"[a-z]*"')
expect_eq "and JSON has interface (null from a file), ifindex and direction" "$out" \
    '"interface":null,"ifindex":7,"direction":"in"
"interface":null,"ifindex":9,"direction":"out"'
n=$("$MCAST" dump -r "$tmp/sll2.pcap" src 198.18.1.3 | wc -l)
expect_eq "a filter on a cooked v2 capture" "$n" 1
finish
