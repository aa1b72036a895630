#!/usr/bin/env bash
# tshark decodes every DVMRP message our encoders write (test/helpers/
# dvmrp_emit.c: probes, reports of every mask width with the default route,
# poison reverse and infinity, a report split at 576 bytes, prunes, grafts
# and graft acks with and without a netmask, ask neighbors2, neighbors2):
# each frame as DVMRP version 3 with the code and every field as we set
# them, both checksums good, no expert information, no datagram over 576.
source "$(dirname "$0")/lib.sh"
EMIT=${DVMRP_EMIT:-$TOP/${BUILD:-build}/test/dvmrp_emit}
if ! command -v tshark >/dev/null; then
	echo "ok - tshark decodes our DVMRP # SKIP no tshark (scripts/deps.sh installs it)"
	exit 0
fi
if [ ! -x "$EMIT" ]; then
	not_ok "no $EMIT: build it with make helpers"
	finish
fi
if ! "$EMIT" "$tmp/dvmrp.pcap" >"$tmp/want" 2>"$tmp/err"; then
	not_ok "dvmrp_emit failed: $(head -c 200 "$tmp/err")"
	finish
fi
fields="frame.number dvmrp.version dvmrp.v3.code dvmrp.min_ver dvmrp.maj_ver
	dvmrp.genid dvmrp.neighbor dvmrp.netmask dvmrp.saddr dvmrp.metric
	dvmrp.maddr dvmrp.lifetime dvmrp.local dvmrp.threshold dvmrp.ncount
	ip.ttl ip.dst"
tshark() { command tshark -o ip.check_checksum:TRUE "$@" 2>>"$tmp/tshark.err"; }
tshark -r "$tmp/dvmrp.pcap" -T fields -E separator='|' -E aggregator=',' \
    $(printf -- '-e %s ' $fields) >"$tmp/got"
n=$(wc -l <"$tmp/want")
expect_eq "tshark reads every frame we wrote" "$(wc -l <"$tmp/got")" "$n"
codes=(x probe report ask-neighbors neighbors ask-neighbors2 neighbors2 prune graft graft-ack)
while IFS= read -r want && IFS= read -r got <&3; do
	f=${want%%|*} code=$(cut -d'|' -f3 <<<"$want")
	name="frame $f: ${codes[$((code))]} decoded as DVMRP v3 with our fields"
	if [ "$want" = "$got" ]; then ok "$name"; else not_ok "$name: we set $want, tshark says $got"; fi
done <"$tmp/want" 3<"$tmp/got"
tshark -r "$tmp/dvmrp.pcap" -q -z expert >"$tmp/expert"
if [ ! -s "$tmp/expert" ]; then ok "tshark: no expert information"; else not_ok "tshark expert: $(tr '\n' ' ' <"$tmp/expert" | head -c 300)"; fi
tshark -r "$tmp/dvmrp.pcap" -V >"$tmp/verbose"
expect_eq "DVMRP checksums good" "$(grep -c 'Checksum Status: Good' "$tmp/verbose")" "$n"
expect_eq "IPv4 header checksums good" "$(grep -c 'Header checksum status: Good' "$tmp/verbose")" "$n"
expect_eq "Router Alert on every frame" "$(grep -c 'Router Alert (4 bytes)' "$tmp/verbose")" "$n"
expect_eq "the default route named so" "$(grep -c 'Default Route 0.0.0.0 (netmask 0.0.0.0)' "$tmp/verbose")" 1
big=$(tshark -r "$tmp/dvmrp.pcap" -T fields -e ip.len | sort -n | tail -1)
if [ "$big" -le 576 ] && [ "$big" -ge 570 ]; then
	ok "the full report fills 576 bytes of datagram ($big)"
else
	not_ok "the largest datagram is $big bytes: expected a full report of 570-576"
fi
finish
