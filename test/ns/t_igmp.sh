#!/usr/bin/env bash
# IGMP against real peers: Linux hosts pinned to IGMPv1, v2 and v3 join and
# leave while `mcast dump` watches, and mcast states what tshark states;
# `mcast igmp emulate` traffic decodes in tshark without expert errors, and a
# Linux bridge with IGMP snooping learns the emulated memberships and
# forgets them after the leaves.
. "$(dirname "$0")/lib.sh"
require_lab
command -v tshark >/dev/null || { not_ok "tshark missing (scripts/deps.sh installs it)"; exit 1; }
lan_lab 4

# 1. Kernel hosts v1 (h2), v2 (h3), v3 (h4); mcast dump live on h1.
nsx h2 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=1
nsx h3 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2
nsx h4 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=3
bg h1 "$MCAST" dump -i eth0 -w "$TMP/live.pcap" --json >"$TMP/stream.json"
dump=$LAST_PID
sleep 1
nsx h2 "$MCAST" join -q -i eth0 -d 0.5 239.1.1.1
nsx h3 "$MCAST" join -q -i eth0 -d 0.5 239.1.1.2
nsx h4 "$MCAST" join -q -i eth0 -d 0.5 239.1.1.3
nsx h4 "$MCAST" join -q -i eth0 -d 0.5 -S 198.18.1.2 -S 198.18.1.3 232.1.1.4
sleep 1.5
kill -INT $dump; wait $dump 2>/dev/null
"$MCAST" dump -r "$TMP/live.pcap" --json >"$TMP/live.json"
expect_eq "the live dump printed what it wrote to its capture" "$(cut -d, -f2- "$TMP/stream.json")" "$(cut -d, -f2- "$TMP/live.json")"
tshark -r "$TMP/live.pcap" -Y igmp -T fields -E separator=/t -e ip.src \
    -e igmp.type -e igmp.maddr -e igmp.record_type -e igmp.saddr \
    -e igmp.max_resp 2>/dev/null >"$TMP/live.tsv"
python3 "$TOP/test/ns/igmp_vs_tshark.py" "$TMP/live.json" "$TMP/live.tsv" || FAILED=$((FAILED + 1))
check "a v1 report for 239.1.1.1 from the v1 host" grep -q '"src":"198.18.1.3".*"kind":"v1 report".*"group":"239.1.1.1"' "$TMP/live.json"
check "a v2 report for 239.1.1.2 from the v2 host" grep -q '"src":"198.18.1.4".*"kind":"v2 report".*"group":"239.1.1.2"' "$TMP/live.json"
check "a v2 leave for 239.1.1.2 to 224.0.0.2" grep -q '"src":"198.18.1.4","dst":"224.0.0.2".*"kind":"v2 leave".*"group":"239.1.1.2"' "$TMP/live.json"
check "a v3 TO_EX {} join of 239.1.1.3" grep -q '"src":"198.18.1.5".*"type":"TO_EX","type_code":4,"group":"239.1.1.3","aux_words":0,"sources":\[\]' "$TMP/live.json"
check "a v3 ALLOW of two sources for 232.1.1.4" grep -q '"type":"ALLOW","type_code":5,"group":"232.1.1.4","aux_words":0,"sources":\["198.18.1.2","198.18.1.3"\]' "$TMP/live.json"
check "a v3 BLOCK of both on leaving 232.1.1.4" grep -qE '"type":"BLOCK","type_code":6,"group":"232.1.1.4","aux_words":0,"sources":\[("198.18.1.2","198.18.1.3"|"198.18.1.3","198.18.1.2")\]' "$TMP/live.json"
check "kernel reports carry TTL 1 and Router Alert" eval "! grep '\"kind\":\"v[123] report\"' $TMP/live.json | grep -v '\"ttl\":1,\"tos\":192,\"router_alert\":true' | grep -q ."

# 2. mcast igmp emulate: 20 hosts x 5 groups, v2 then v3, leaving after 2 s,
# captured on the switch side; tshark finds no expert errors.
ip -n "$P-sw" link set br0 type bridge mcast_snooping 1 mcast_querier 1 \
    mcast_last_member_interval 50 mcast_last_member_count 2
for v in 2 3; do
	ip -n "$P-sw" link set br0 type bridge mcast_igmp_version $v
	bg sw tcpdump -i "$P-h1" -n -U --immediate-mode -w "$TMP/emu$v.pcap" igmp 2>/dev/null
	tcpd=$LAST_PID
	capture_ready "$TMP/emu$v.pcap"
	bg h1 "$MCAST" igmp emulate -i eth0 --hosts 20 --groups 239.2.$v.1/5 \
	    --version $v --leave-after 2 --seed 7 --json >"$TMP/emu$v.json"
	emu=$LAST_PID
	# The bridge learns the memberships while they last ...
	learned=0
	for i in $(seq 1 30); do
		learned=$(nsx sw bridge mdb show dev br0 | grep -c "port $P-h1 grp 239.2.$v.")
		[ "$learned" = 5 ] && break
		sleep 0.05
	done
	expect_eq "v$v: the snooping bridge learned the 5 emulated groups" "$learned" 5
	wait $emu; rc=$?
	expect_eq "v$v: emulate exits 0" $rc 0
	# ... and forgets them after the leaves (last member queries, 2 x 0.5 s).
	check "v$v: the bridge forgot them after the leaves" wait_for 5 eval "! nsx sw bridge mdb show dev br0 | grep -q 'grp 239.2.$v.'"
	sleep 0.3; kill $tcpd; wait $tcpd 2>/dev/null
	errors=$(tshark -r "$TMP/emu$v.pcap" -q -z expert,error 2>/dev/null | grep -ciE '^ *Errors|Malformed|bad checksum')
	expect_eq "v$v: tshark finds no expert errors in emulate's packets" "$errors" 0
	n=$(tshark -r "$TMP/emu$v.pcap" -Y "igmp && ip.src != 198.18.1.1 && ip.ttl == 1 && ip.opt.ra" 2>/dev/null | wc -l)
	check "v$v: emulate's packets were captured (TTL 1, Router Alert): $n" test "$n" -gt 0
done
check "v2 emulate: 100 reports (20 hosts x 5 groups, repeats suppressed) and 5 leaves (one last reporter per group)" grep -q '"sent":{"v1 report":0,"v2 report":100,"v2 leave":5,"v3 report":0}' "$TMP/emu2.json"
check "v3 emulate sent v3 reports only, no errors" grep -qE '"sent":\{"v1 report":0,"v2 report":0,"v2 leave":0,"v3 report":[1-9][0-9]*\},"heard":\{"v1 query":0,"v2 query":0,"v3 query":[0-9]+\},"send_errors":0' "$TMP/emu3.json"
finish
