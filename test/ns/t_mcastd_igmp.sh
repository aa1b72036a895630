#!/usr/bin/env bash
# mcastd follows the kernel's own IGMP hosts, pinned to v1, v2 and v3, on
# two LANs: a join starts forwarding within a second, a LAN without members
# gets nothing, a v2/v3 leave stops forwarding within the Last Member Query
# Time plus a second, and a v1 host (which sends no leave) is dropped one
# Group Membership Interval after its last report.  (VERSIONS="2 3" runs
# only those.)
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 --LAN2-- ha 198.18.2.2
#                                          eth2 --LAN3-- hb 198.18.3.2
#                                          eth3 --LAN4-- hn 198.18.4.2
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v tshark >/dev/null || { not_ok "tshark missing (scripts/deps.sh installs it)"; exit 1; }
routed_lab hs ha hb hn
# Short timers: GMI = RV x QI + QRI = 7 s, LMQT = LMQC x LMQI = 600 ms.
QI=3000 QRI=1000 LMQI=300 RV=2
GMI=$((RV * QI + QRI)) LMQT=$((RV * LMQI))
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval ${QI}ms
	query-response-interval ${QRI}ms
	last-member-query-interval ${LMQI}ms
	robustness $RV
}
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
ok "mcastd started and answers"
S=198.18.1.2

# IGMP and the streams on LAN2 (where the joins and leaves are timed: by
# the packets on the wire, not by polling) and anything UDP on the
# member-less LAN4.
bg r tcpdump -i eth1 -n -U --immediate-mode -w "$TMP/lan2.pcap" igmp or udp 2>/dev/null
bg hn tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/lan4.pcap" udp 2>/dev/null
capture_ready "$TMP/lan2.pcap" "$TMP/lan4.pcap"

has_oif() { # IF S G
	case " $(mfc_oifs r "$2" "$3") " in *" $1 "*) return 0 ;; esac
	return 1
}
# wire_ms FILTER first|last: when the first or last LAN2 frame matching
# FILTER was captured (epoch milliseconds; empty if none).
wire_ms() {
	tshark -r "$TMP/lan2.pcap" -Y "$1" -T fields -e frame.time_epoch 2>/dev/null |
	    sed -n "$([ "$2" = first ] && echo 1p || echo '$p')" | awk '{ printf "%.0f", $1 * 1000 }'
}

for v in ${VERSIONS:-1 2 3}; do
	G=239.1.$v.1 port=$((5000 + v))
	nsx ha sysctl -qw net.ipv4.conf.eth0.force_igmp_version=$v
	nsx hb sysctl -qw net.ipv4.conf.eth0.force_igmp_version=$v
	bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -d 30 -q $G:$port
	sender=$LAST_PID
	# The stream runs before anyone joins: the router knows it (an
	# upcall made an MFC entry) and forwards it nowhere.
	wait_for 5 eval "nsx r ip mroute show | grep -q '($S,$G)'"
	expect_eq "v$v: before any join, ($S,$G) has no oifs" "$(mfc_oifs r $S $G)" ""
	bg ha "$MCAST" recv -i eth0 -d 2 --json $G:$port >"$TMP/ha$v.json"
	pa=$LAST_PID
	bg hb "$MCAST" recv -i eth0 -d 4 --json $G:$port >"$TMP/hb$v.json"
	pb=$LAST_PID
	sleep 1
	mctl r show groups >"$TMP/groups$v.txt"
	check "v$v: mcastctl show groups has $G on eth1 and eth2 in v$v compatibility" \
	    test "$(awk -v g=$G '$2 == g && ($1 == "eth1" || $1 == "eth2") { print $1, $5 }' "$TMP/groups$v.txt" | sort | tr '\n' ' ')" = "eth1 v$v eth2 v$v "
	wait $pa
	for h in ha hb; do
		f=$(json_field "$TMP/$h$v.json" first_packet_ms)
		echo "# v$v: $h's first datagram ${f:-never} ms after its join"
		check "v$v: $h's first datagram within 1 s of the join (${f:-never} ms)" \
		    awk -v f="${f:-99999}" 'BEGIN { exit !(f < 1000) }'
	done
	# Forwarding to eth1 stops (the kernel's entry loses eth1) ...
	check "v$v: eth1 leaves the kernel's oifs" wait_for 15 eval "! has_oif eth1 $S $G"
	oifs=$(mfc_oifs r $S $G)
	# ... when the last datagram of the stream crossed LAN2.
	stop=$(wire_ms "udp && ip.dst == $G" last)
	if [ "$v" = 1 ]; then
		# No leave in v1: one GMI after ha's last report.  (Linux
		# pinned to v1 may still send one v3 report just after the
		# join, from its interface-change timer: that one counts too.)
		from=$(wire_ms "ip.src == 198.18.2.2 && igmp.maddr == $G && (igmp.type == 0x12 || igmp.type == 0x16 || igmp.type == 0x22)" last)
		d=$((${stop:-0} - ${from:-0}))
		echo "# v1: the last datagram to LAN2 crossed it $d ms after ha's last report (GMI $GMI ms)"
		check "v1: forwarding to LAN2 stops one GMI ($GMI ms +- 1 s) after the last report: $d ms" \
		    test -n "$from" -a $d -ge $((GMI - 1000)) -a $d -le $((GMI + 1000))
	else
		if [ "$v" = 2 ]; then
			from=$(wire_ms "igmp.type == 0x17 && ip.src == 198.18.2.2 && igmp.maddr == $G" first)
		else
			from=$(wire_ms "igmp.type == 0x22 && ip.src == 198.18.2.2 && igmp.record_type == 3 && igmp.maddr == $G" first)
		fi
		d=$((${stop:-0} - ${from:-0}))
		echo "# v$v: the last datagram to LAN2 crossed it $d ms after ha's leave (LMQT $LMQT ms)"
		check "v$v: a leave stops forwarding to LAN2 after LMQT, within LMQT + 1 s: $d ms" \
		    test -n "$from" -a $d -ge $((LMQT - 200)) -a $d -le $((LMQT + 1000))
	fi
	[ "$v" != 1 ] &&
	    expect_eq "v$v: hb (still a member) keeps eth2 in the oifs" "$oifs" eth2
	wait $pb
	if [ "$v" != 1 ]; then
		expect_eq "v$v: hb lost nothing while ha left" "$(json_field "$TMP/hb$v.json" lost)" 0
		check "v$v: eth2 leaves the oifs after hb leaves" wait_for 3 eval "! has_oif eth2 $S $G"
	fi
	kill $sender 2>/dev/null; wait $sender 2>/dev/null
done
expect_eq "LAN4 (no members) never saw a datagram" \
    "$(tcpdump -r "$TMP/lan4.pcap" -n 2>/dev/null | wc -l)" 0
check "eth3 (LAN4) was never an oif" eval "! nsx r ip mroute show | grep -q 'eth3'"
check "mcastd still runs" kill -0 $MCASTD_PID
finish
