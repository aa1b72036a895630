#!/usr/bin/env bash
# mcast dump states the same facts as tcpdump's expected output for the
# tcpdump project's IGMP/DVMRP/mtrace captures (../shared/vectors/tcpdump),
# and every DVMRP body of the mrouted 4.6 capture as tcpdump -vv states it.
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
# The mrouted 4.6 capture (../shared/vectors/mrouted): every DVMRP message's
# body as tcpdump -vv decodes it.
M=${MROUTED_VECTORS:-$V/../mrouted}
if ! command -v tcpdump >/dev/null; then
	echo "ok - mrouted capture against tcpdump # SKIP no tcpdump (scripts/deps.sh installs it)"
elif [ ! -f "$M/mrouted46-lan.pcap" ]; then
	echo "ok - mrouted capture against tcpdump # SKIP no $M/mrouted46-lan.pcap"
else
	tcpdump -n -vv -r "$M/mrouted46-lan.pcap" 'igmp[0] = 0x13' >"$tmp/mrouted.vv" 2>/dev/null
	if "$MCAST" dump -r "$M/mrouted46-lan.pcap" --json 'igmp[0] = 0x13' >"$tmp/mrouted.json" 2>"$tmp/err"; then
		python3 "$TOP/test/cli/tcpdump_facts.py" --vv "$tmp/mrouted.vv" "$tmp/mrouted.json" || rc=1
	else
		echo "not ok - mcast dump -r mrouted46-lan.pcap failed: $(head -c 200 "$tmp/err")"
		rc=1
	fi
	n=$("$MCAST" dump -r "$M/mrouted46-lan.pcap" | grep -c 'igmp dvmrp report .*: mask 255.255.255.0: 198.18.1.0 metric 1, 198.18.3.0 metric 34$')
	if [ "$n" = 4 ]; then echo "ok - text dump: mrouted A's 4 full reports, poison reverse included"; else echo "not ok - text dump: $n of mrouted A's full reports, expected 4"; rc=1; fi
fi
# The text form names the same things (one line per packet).
n=$("$MCAST" dump -r "$V/IGMP_V2.pcap" | grep -c ' IP ')
want=$(grep -c . "$V/igmpv2.out")
if [ "$n" = "$want" ]; then echo "ok - text dump has one line per packet"; else echo "not ok - text dump: $n lines, expected $want"; rc=1; fi
n=$("$MCAST" dump -r "$V/IGMP_V1.pcap" -c 3 --json | wc -l)
if [ "$n" = 3 ]; then echo "ok - dump -c 3 stops after 3 packets"; else echo "not ok - dump -c 3 printed $n"; rc=1; fi
# A corrupted checksum is reported, not decoded.
python3 - "$V/IGMP_V2.pcap" "$tmp/bad.pcap" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
# first record: 24-byte global header, 16-byte record header, then the
# Ethernet frame; flip the last byte of the IGMP message (its group).
ihl = (data[40 + 14] & 0x0f) * 4
data[40 + 14 + ihl + 7] ^= 0xff
open(sys.argv[2], 'wb').write(data)
PY
first=$("$MCAST" dump -r "$tmp/bad.pcap" -c 1)
case $first in
*"igmp invalid: bad checksum"*) echo "ok - a corrupted packet is shown as invalid: bad checksum" ;;
*) echo "not ok - corrupted packet shown as: $first"; rc=1 ;;
esac
exit $rc
