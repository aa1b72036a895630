#!/usr/bin/env bash
# Records dist/igmp-lab.pcap, the small capture the README's `mcast dump -r`
# example reads: a LAN where mcastd is the IGMPv3 querier, one kernel host
# pinned to IGMPv2 joins and leaves 239.1.2.3 and another joins
# (198.18.1.9, 232.1.1.1).  Captured by `mcast dump -w` itself.  Needs root
# or user namespaces (test/ns/lib.sh); run after `make`.
. "$(dirname "$0")/../test/ns/lib.sh"
require_lab
require_mcastd
routed_lab h1,h2
nsx h1 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2
printf 'igmp { query-response-interval 2s; last-member-query-interval 500ms }\n' \
    >"$TMP/mcastd.conf"
out=$TOP/dist/igmp-lab.pcap
bg h2 "$MCAST" dump -i eth0 -c 13 -w "$TMP/igmp.pcap" >/dev/null
dump=$LAST_PID
sleep 0.5
start_mcastd r "$TMP/mcastd.conf" || exit 1
sleep 0.5
bg h1 "$MCAST" join -q -i eth0 -d 1.5 239.1.2.3
sleep 0.3
bg h2 "$MCAST" join -q -i eth0 -d 1 -S 198.18.1.9 232.1.1.1
for _ in $(seq 80); do
	kill -0 "$dump" 2>/dev/null || break
	sleep 0.1
done
cp "$TMP/igmp.pcap" "$out" && "$MCAST" dump -r "$out"
