#!/usr/bin/env bash
# Every IGMP packet mcastd sends decodes in tshark without an expert error
# (IP and IGMP checksums verified) and carries TTL 1 and Router Alert:
# v3 general, group-specific and group-and-source-specific queries, v2
# general and group-specific queries (phyint igmpv2), v1 queries (igmpv1).
#
#  hs --LAN1-- eth0 [r: mcastd] eth1 (v3) --LAN2-- ha (kernel v3 host)
#                               eth2 (v2) --LAN3-- hb (kernel, v2 queries heard)
#                               eth3 (v1) --LAN4-- hc (kernel, v1 queries heard)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v tshark >/dev/null || { not_ok "tshark missing (scripts/deps.sh installs it)"; exit 1; }
routed_lab hs ha hb hc
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 2s
	query-response-interval 1s
	last-member-query-interval 200ms
	robustness 2
}
phyint eth2 igmpv2
phyint eth3 igmpv1
CONF
TCPD=()
for i in 1 2 3; do
	bg r tcpdump -i eth$i -n -U --immediate-mode -w "$TMP/eth$i.pcap" igmp 2>/dev/null
	TCPD+=("$LAST_PID")
done
capture_ready "$TMP/eth1.pcap" "$TMP/eth2.pcap" "$TMP/eth3.pcap"
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
S1=198.18.1.2 S2=198.18.1.3

# LAN2, v3: an any-source join and leave (TO_EX then TO_IN {}: a group-
# specific query); INCLUDE {S1, S2} by two sockets, one of which leaves
# (BLOCK {S2}: a group-and-source-specific query).
bg ha "$MCAST" join -q -i eth0 -d 8 -S $S1 232.1.1.1
bg ha "$MCAST" join -q -i eth0 -d 1.5 -S $S1 -S $S2 232.1.1.1
nsx ha "$MCAST" join -q -i eth0 -d 1 239.1.1.1
# LAN3, v2 and LAN4, v1: a join (and for v2 a leave).
bg hb "$MCAST" join -q -i eth0 -d 1 239.1.1.2
bg hc "$MCAST" join -q -i eth0 -d 1 239.1.1.3
sleep 4
for p in "${TCPD[@]}"; do kill $p; wait $p 2>/dev/null; done

# count PCAP FILTER
count() {
	tshark -o ip.check_checksum:TRUE -r "$1" -Y "$2" 2>/dev/null | wc -l
}
for i in 1 2 3; do
	f=$TMP/eth$i.pcap a=198.18.$((i + 1)).1
	errors=$(tshark -o ip.check_checksum:TRUE -r "$f" -q -z expert,error 2>/dev/null |
	    grep -ciE '^ *Errors|Malformed|bad checksum')
	expect_eq "eth$i: tshark finds no expert errors (IP and IGMP checksums checked)" "$errors" 0
	all=$(count "$f" "igmp && ip.src == $a")
	good=$(count "$f" "igmp && ip.src == $a && ip.ttl == 1 && ip.opt.ra && igmp.checksum.status == 1")
	check "eth$i: all $all IGMP packets from the router have TTL 1, Router Alert and a good checksum ($good)" \
	    test "$all" -gt 0 -a "$all" = "$good"
	bad=$(count "$f" "igmp && ip.src == $a && (ip.checksum.status != 1 || ip.dsfield != 0xc0)")
	expect_eq "eth$i: ... a good IP checksum and TOS 0xc0 (Internet Control)" "$bad" 0
done
Q="igmp.type == 0x11 && ip.src == 198.18.2.1"
check "eth1: v3 general queries" test "$(count "$TMP/eth1.pcap" "$Q && igmp.version == 3 && igmp.maddr == 0.0.0.0 && ip.dst == 224.0.0.1")" -ge 2
check "eth1: v3 group-specific queries for 239.1.1.1, to the group" \
    test "$(count "$TMP/eth1.pcap" "$Q && igmp.version == 3 && igmp.maddr == 239.1.1.1 && igmp.num_src == 0 && ip.dst == 239.1.1.1")" -ge 1
check "eth1: v3 group-and-source-specific queries for (S2, 232.1.1.1)" \
    test "$(count "$TMP/eth1.pcap" "$Q && igmp.version == 3 && igmp.maddr == 232.1.1.1 && igmp.num_src == 1 && igmp.saddr == $S2")" -ge 1
expect_eq "eth1: no query names S1, which is still wanted" \
    "$(count "$TMP/eth1.pcap" "$Q && igmp.saddr == $S1")" 0
Q="igmp.type == 0x11 && ip.src == 198.18.3.1"
check "eth2 (igmpv2): v2 general queries" test "$(count "$TMP/eth2.pcap" "$Q && igmp.version == 2 && igmp.maddr == 0.0.0.0")" -ge 2
check "eth2 (igmpv2): v2 group-specific queries after the leave" \
    test "$(count "$TMP/eth2.pcap" "$Q && igmp.version == 2 && igmp.maddr == 239.1.1.2")" -ge 1
expect_eq "eth2 (igmpv2): no v3 query" "$(count "$TMP/eth2.pcap" "$Q && igmp.version == 3")" 0
Q="igmp.type == 0x11 && ip.src == 198.18.4.1"
check "eth3 (igmpv1): v1 queries (Max Resp Time 0)" test "$(count "$TMP/eth3.pcap" "$Q && igmp.version == 1 && igmp.maddr == 0.0.0.0")" -ge 2
expect_eq "eth3 (igmpv1): no other query" "$(count "$TMP/eth3.pcap" "$Q && igmp.version != 1")" 0
check "mcastd still runs" kill -0 $MCASTD_PID
finish
