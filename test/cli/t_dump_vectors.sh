#!/usr/bin/env bash
# mcast dump states the same facts as tcpdump's expected output for the
# tcpdump project's IGMP/DVMRP/mtrace captures (../shared/vectors/tcpdump).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MCAST=${MCAST:-build/mcast}
case $MCAST in /*) ;; *) MCAST=$TOP/$MCAST ;; esac
V=${VECTORS:-$TOP/../shared/vectors/tcpdump}
if [ ! -d "$V" ]; then
	echo "ok - dump vectors # SKIP no $V (the shared test vectors sit beside the repository)"
	exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rc=0
for pair in IGMP_V1.pcap:igmpv1.out IGMP_V2.pcap:igmpv2.out \
    igmpv3-queries.pcap:igmpv3-queries.out mtrace.pcap:mtrace.out \
    mrinfo_query.pcap:dvmrp.out; do
	pcap=${pair%%:*} out=${pair##*:}
	if ! "$MCAST" dump -r "$V/$pcap" --json >"$tmp/$pcap.json" 2>"$tmp/err"; then
		echo "not ok - mcast dump -r $pcap failed: $(head -c 200 "$tmp/err")"
		rc=1
		continue
	fi
	python3 "$TOP/test/cli/tcpdump_facts.py" "$V/$out" "$tmp/$pcap.json" || rc=1
done
# The text form names the same things (one line per packet).
n=$("$MCAST" dump -r "$V/IGMP_V2.pcap" | grep -c ' IP ')
want=$(grep -c . "$V/igmpv2.out")
if [ "$n" = "$want" ]; then echo "ok - text dump has one line per packet"; else echo "not ok - text dump: $n lines, expected $want"; rc=1; fi
exit $rc
