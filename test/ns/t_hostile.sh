#!/usr/bin/env bash
# Hostile input against a running mcastd, while legitimate receivers stream.
# An attacker host on the receivers' LAN injects crafted IGMP from a raw
# socket (build/test/igmp_inject) and abuses the control socket
# (test/helpers/ctl_abuse.py).  Each attack is checked for: mcastd alive and
# answering, the exact counter of `mcastctl -j show stats` it must raise,
# the limits holding, the receivers' loss during it (printed; 0 where
# mcastd can protect them), and at the end, a bounded number of log lines
# per kind whose counts add up to what was sent.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 198.18.2.100 --LAN2-- hr1 .2, hr2 .3
#  (mcast send, TTL 8, 1000/s)                                        ha .4 (attacker)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
require_lab
require_mcastd
[ -x "$INJ" ] || { not_ok "no $INJ: run make helpers first"; exit 1; }
hostile_lab
# QI 3 s, QRI 1 s, RV 2: GMI 7 s (longer than a flood takes), Other
# Querier Present Interval 6.5 s.
QI=3000 QRI=1000 RV=2 OQPI=6500
MAXG=1000 MAXS=64
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval ${QI}ms
	query-response-interval ${QRI}ms
	robustness $RV
}
limits { groups $MAXG; sources $MAXS }
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }

# The legitimate stream, and its two receivers for the whole run.
check "the receivers get the stream through mcastd" stream_start 80

LOSS_REPORT=()
# window NAME T0 SETTLE_MS: both receivers' loss from T0 to now + SETTLE.
window() {
	local t1 l1 l2
	sleep "$(awk -v s="$3" 'BEGIN { print s / 1000 }')"
	t1=$(now_ms)
	sleep 0.6	# the next interval report
	l1=$(lost hr1 "$2" "$t1") l2=$(lost hr2 "$2" "$t1")
	LOSS_REPORT+=("$1: hr1 lost $l1, hr2 lost $l2 in $(( (t1 - $2) )) ms")
	WLOSS=$((l1 + l2))
}

# ---- a flood of 100,000 distinct groups -----------------------------------
rss0=$(proc_rss_kb "$MCASTD_PID")
snap s4
groups0=$(stat_now igmp.groups s4)
t0=$(now_ms)
# The first $((MAXG - groups0)) are members, the others refused.
attack "flood of 100,000 groups (v2, full speed): joins refused" \
    igmp.limit_groups_hit $((100000 - (MAXG - groups0))) inj flood 100000 239.192.0.0
expect_eq "igmp.groups stops at the limit ($MAXG)" "$(stat_now igmp.groups a1)" $MAXG
PER=183 attack "flood of 100,101 groups (547 v3 reports of 183 records)" \
    igmp.limit_groups_hit 100101 inj -V 3 -m 183 flood 100101 239.200.0.0
snap s5
rss1=$(proc_rss_kb "$MCASTD_PID")
window "flood of 200,101 groups" $t0 0
echo "# mcastd VmRSS ${rss0} kB before the flood, ${rss1} kB after; engine $(stat_now igmp.engine_bytes s5) bytes"
# Bounded: the engine holds $MAXG groups (~120 bytes each) and mroute their
# views; 4 MB covers both and the allocator's slack (ASan: 64 MB).
bound=4096
case $MCASTD in *asan*) bound=65536 ;; esac
check "mcastd's RSS grew less than $bound kB in the flood ($((rss1 - rss0)) kB)" \
    test $((rss1 - rss0)) -lt $bound
check "the receivers' group is still a member" has_group r eth1 $G
expect_eq "receivers' loss during the flood" "$WLOSS" 0
check "mcastd alive and answering" alive

# ---- the control socket ---------------------------------------------------
# 'show groups' as a reply larger than a socket buffer (~300 kB): 300
# groups of 64 sources, once the flood's groups are gone (GMI).
wait_for 8 eval "[ \$(mctl r show groups | grep -c .) -lt 10 ]"
inj -V 3 -k $MAXS -m 5 flood 300 239.193.0.0
# Every source listed, however long the list (was: cut at 1 kB).
expect_eq "show groups lists all $MAXS sources of each of the 300 groups" \
    "$(mctl r -j show groups | python3 -c '
import json, sys
n = {}
for g in json.load(sys.stdin)["group"]:
    if g["group"].startswith("239.193."):
        n[len(g["sources"])] = n.get(len(g["sources"]), 0) + 1
print(n)')" "{$MAXS: 300}"
snap s6
t0=$(now_ms)
nsx r python3 "$ABUSE" -u "$TMP/r.sock" -c "$MCASTCTL" -n 100 --hold 5.6 slowread \
    >"$TMP/abuse3.json"
snap s6b
nsx r python3 "$ABUSE" -u "$TMP/r.sock" -c "$MCASTCTL" -n 100 garbage oversized \
    >"$TMP/abuse1.json"
nsx r python3 "$ABUSE" -u "$TMP/r.sock" -c "$MCASTCTL" -n 100 --hold 1.5 many \
    >"$TMP/abuse2.json"
snap s7
window "control socket abuse" $t0 0
sed 's/^/# /' "$TMP"/abuse[123].json
field() { # FILE ATTACK KEY
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["attack"] == sys.argv[2]:
        print(d.get(sys.argv[3], ""))' "$@"
}
expect_eq "garbage x 100: each answered status 2" "$(field "$TMP/abuse1.json" garbage answered_bad)" 100
expect_eq "oversized x 100: each answered status 2" "$(field "$TMP/abuse1.json" oversized answered_bad)" 100
expect_eq "... control.bad_requests +200" "$(delta control.bad_requests s6 s7)" 200
for a in garbage oversized; do
	expect_eq "$a: no good 'mcastctl show status' failed" "$(field "$TMP/abuse1.json" $a good_failed)" 0
done
expect_eq "100 silent connections (more than 64): no good request failed" \
    "$(field "$TMP/abuse2.json" many good_failed)" 0
check "... the 36 over the limit were closed at once" \
    test "$(field "$TMP/abuse2.json" many closed_at_once)" -ge 36
expect_eq "100 clients asking 'show groups' and never reading: no good request failed" \
    "$(field "$TMP/abuse3.json" slowread good_failed)" 0
# Each of the 100 went: the oldest when another came, the rest after 5 s.
expect_eq "... every one of them dropped by mcastd: control.clients_dropped +100" \
    "$(delta control.clients_dropped s6 s6b)" 100
for a in abuse1:garbage abuse1:oversized abuse2:many abuse3:slowread; do
	LOSS_REPORT+=("control $a: good 'mcastctl show status' median $(field "$TMP/${a%%:*}.json" ${a#*:} good_ms_median) ms, max $(field "$TMP/${a%%:*}.json" ${a#*:} good_ms_max) ms")
done
echo "# mcastd VmHWM $(awk '$1 == "VmHWM:" { print $2 }' /proc/$MCASTD_PID/status) kB (64 replies held for clients that do not read)"
expect_eq "receivers' loss during the control socket abuse" "$WLOSS" 0
check "mcastd alive and answering" alive

# ---- malformed IGMP: the kernel hands every one to mcastd ----------------
N=10000
t0=$(now_ms)
each_length() { # ATTACK LEN...: 1000 packets of each length
	local a=$1 len; shift
	for len in "$@"; do inj -r 20000 -c 1000 "$a" $len; done
}
attack "bad checksum x $N" igmp.rx_dropped.bad_checksum $N inj -r 20000 -c $N bad-checksum
attack "truncated to 0-7 bytes, 1000 each" igmp.rx_dropped.shorter_than_8_bytes 8000 \
    each_length truncated 0 1 2 3 4 5 6 7
attack "9-11 byte queries, 1000 each" igmp.rx_dropped.query_of_9-11_bytes 3000 \
    each_length short-query 9 10 11
attack "unknown type 0x99 x $N" igmp.rx.unknown $N inj -r 20000 -c $N unknown 0x99
attack "TTL 64 x $N (accepted, as the kernel does)" igmp.rx_ttl_not_1 $N \
    inj -r 20000 -c $N -t 64 report 239.1.9.9
check "... and the group it reports is a member (TTL is not checked on input)" \
    has_group r eth1 239.1.9.9
attack "source 198.19.9.9 off the subnet x $N" igmp.ignored_off_subnet $N \
    inj -r 20000 -c $N -s 198.19.9.9 report 239.1.9.8
check "... and its group is no member" eval "! has_group r eth1 239.1.9.8"
# (to mcastd's address: it joins no 224.0.0.4 until it speaks DVMRP)
attack "DVMRP report with metric 0 x 1000 (counted by code, refused by kind)" \
    dvmrp.rx_malformed.report_metric 1000 inj -r 20000 -c 1000 -d $R dvmrp-report 0
expect_eq "... all of them counted as reports" "$(delta dvmrp.rx.report a0 a1)" \
    "$(delta dvmrp.rx_malformed.report_metric a0 a1)"
inj -r 20000 -c 1000 -n -d 239.1.9.7 v3-sources 239.1.9.7 1
window "malformed IGMP ($((N * 4 + 13000)) packets)" $t0 0
# A v3 report to the group itself, no Router Alert: accepted (4.2.14).
check "v3 report without Router Alert to its group: accepted" has_group r eth1 239.1.9.7
expect_eq "receivers' loss during the malformed IGMP" "$WLOSS" 0
check "mcastd alive and answering" alive

# ---- a v3 report with thousands of sources --------------------------------
snap s2
t0=$(now_ms)
inj v3-sources 239.1.3.1 5000		# 14 packets of at most 1500 bytes
inj -F v3-sources 239.1.3.2 16000	# one 64 KB packet in 45 fragments
sleep 0.3
snap s3
window "v3 reports with 5000 and 16000 sources" $t0 0
# (The receivers' own v3 reports count there too.)
check "v3 reports: igmp.rx.v3_report +15 or more (14 packets, 1 reassembled)" \
    test "$(delta igmp.rx.v3_report s2 s3)" -ge 15
expect_eq "sources over the limit of $MAXS refused: igmp.limit_sources_hit +$((5000 - MAXS + 16000 - MAXS))" \
    "$(delta igmp.limit_sources_hit s2 s3)" $((5000 - MAXS + 16000 - MAXS))
for g in 239.1.3.1 239.1.3.2; do
	n=$(mctl r -j show groups | python3 -c '
import json, sys
d = json.load(sys.stdin)
for x in (d["group"] if isinstance(d, dict) else d):
    if x["group"] == sys.argv[1]:
        print(len(x["sources"]))' $g)
	expect_eq "$g holds $MAXS sources" "$n" $MAXS
done
expect_eq "receivers' loss during the v3 source reports" "$WLOSS" 0

# ---- forged queries from a lower address ----------------------------------
# (a) ha (.4, below mcastd's .100) queries once: mcastd yields (RFC 3376
# 6.6.2) and takes over again one Other Querier Present Interval later.
snap s8
inj -Q $RV -I $((QI / 1000)) query
sent=$(now_ms)
check "one query from $HA: mcastd is no longer the querier" \
    wait_for 2 eval "[ \"\$(querier)\" = $HA ]"
check "... memberships are still learned from reports (non-querier)" \
    eval "inj report 239.1.7.7; wait_for 2 has_group r eth1 239.1.7.7"
wait_for 10 eval "[ \"\$(querier)\" = self ]"
took=$(($(now_ms) - sent))
check "mcastd is querier again ${took} ms after the forged query (OQPI ${OQPI} ms)" \
    test $took -ge $((OQPI - 300)) -a $took -le $((OQPI + 700))

# (b) What a querier cannot protect against: queries every 0.5 s for 8 s
# with QRV 1, QQIC 1 s (adopted: GMI 2 s) and Max Resp 3174.4 s (hosts
# answer within an hour): the members time out.
snap s9
t0=$(now_ms)
# Watched while they last: a host whose random delay (up to 3174 s) happens
# to end in these 8 s reports again, so the end alone is no proof.
inj -Q 1 -I 1 -M 31744 -r 2 -c 16 query &
injpid=$!
left=no
while kill -0 $injpid 2>/dev/null; do
	[ "$(mfc_oifs r 198.18.1.2 $G)" = '' ] && left=yes
	sleep 0.2
done
wait $injpid
expect_eq "during the forged queries, eth1 left the forwarding entry (members timed out)" \
    "$left" yes
check "after them, mcastd takes over and the receivers are members again" \
    wait_for 8 eval "[ \"\$(querier)\" = self ] && has_group r eth1 $G"
window "forged queries (QRV 1, QQIC 1, Max Resp 3174.4 s) x 16" $t0 1000
FORGED_LOSS=$WLOSS
check "... the receivers lost datagrams: $WLOSS (what mcastd cannot prevent)" test "$WLOSS" -gt 0

# (c) What protects it: nftables in mcastd's namespace drops queries that
# are not its own before mcastd (and its election) sees them.
nsx r nft add table inet mcguard
nsx r nft add chain inet mcguard pre '{ type filter hook prerouting priority raw; }'
nsx r nft add rule inet mcguard pre iifname eth1 igmp type membership-query ip saddr != $R counter drop
snap s10
t0=$(now_ms)
inj -Q 1 -I 1 -M 31744 -r 2 -c 8 query
sleep 1
snap s11
window "forged queries with the nftables guard" $t0 0
expect_eq "with the guard: mcastd stays the querier" "$(querier)" self
expect_eq "... it saw none of the 8 queries (igmp.rx.v3_query +0)" "$(delta igmp.rx.v3_query s10 s11)" 0
expect_eq "... nftables dropped 8" \
    "$(nsx r nft list chain inet mcguard pre | grep -o 'packets [0-9]*' | cut -d' ' -f2)" 8
expect_eq "... the receivers lost nothing" "$WLOSS" 0
nsx r nft delete table inet mcguard

# (d) One query with QRV 7 and QQIC 31744 s is adopted (RFC 3376 4.1.6,
# 4.1.7): mcastd would stay quiet for RV x QI + QRI/2 = 61.7 hours.
mctl r log debug >/dev/null
inj -Q 7 -I 31744 query
check "QRV 7 and QQIC 31744 s adopted from one forged query" \
    wait_for 2 grep -q "querier $HA: robustness 7, query interval 31744000 ms" "$TMP/mcastd-r.log"
mctl r log info >/dev/null
expect_eq "... and mcastd is silent as a non-querier" "$(querier)" $HA
check "mcastd alive and answering" alive

# ---- the log: once per kind, with counts that add up ---------------------
snap s12
kill -TERM "$MCASTD_PID"
wait "$MCASTD_PID"
expect_eq "mcastd stops cleanly (exit status)" "$?" 0
L=$TMP/mcastd-r.log
check "no sanitizer report in mcastd's log" eval "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' $L"
# logged KIND WANT: lines matching KIND, and the events they count
# ("(N of these)" and "(N more of these ...)" say N, others 1).
logged() {
	local lines sum
	lines=$(grep -c -- "$1" "$L")
	sum=$(grep -- "$1" "$L" | sed -n 's/.*(\([0-9]*\) \(more \)\{0,1\}of these.*/\1/p;t;s/.*/1/p' |
	    awk '{ n += $1 } END { print n + 0 }')
	check "log: '$1' in $lines lines (at most 3) counting $sum (want $2)" \
	    test "$lines" -ge 1 -a "$lines" -le 3 -a "$sum" = "$2"
}
logged "dropped: bad checksum" "$(stat_now igmp.rx_dropped.bad_checksum s12)"
logged "dropped: shorter than 8 bytes" "$(stat_now igmp.rx_dropped.shorter_than_8_bytes s12)"
logged "dropped: query of 9-11 bytes" "$(stat_now igmp.rx_dropped.query_of_9-11_bytes s12)"
logged "unknown type" "$(stat_now igmp.rx.unknown s12)"
logged "with TTL 64" "$(stat_now igmp.rx_ttl_not_1 s12)"
logged "not on eth1's subnet" "$(stat_now igmp.ignored_off_subnet s12)"
logged "limit of $MAXG groups reached" "$(stat_now igmp.limit_groups_hit s12)"
check "log: the source limit in at most 3 lines" test "$(grep -c "limit of $MAXS sources" "$L")" -le 3
check "log: querier changes in at most 3 lines of each kind" \
    test "$(grep -c "querier now" "$L")" -le 3 -a "$(grep -c "querier again" "$L")" -le 3
check "log: the control socket refusals in at most 3 lines each" \
    test "$(grep -c "control socket: a request refused" "$L")" -le 3 -a \
    "$(grep -c "control socket: a client dropped" "$L")" -le 3
echo "# log: $(grep -c . "$L") lines in all; by kind:"
grep -oE 'dropped: [a-z0-9 -]*[a-z0-9]|unknown type|with TTL [0-9]+|not on [a-z0-9]+.s subnet|limit of [0-9]+ [a-z]+|querier (now|again)|control socket: [a-z ]*[a-z]' "$L" |
    sort | uniq -c | sed 's/^/#   /'
for l in "${LOSS_REPORT[@]}"; do echo "# loss: $l"; done
finish
