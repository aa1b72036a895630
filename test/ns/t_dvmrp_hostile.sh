#!/usr/bin/env bash
# Hostile DVMRP input against a running mcastd (issue 11, Tests): an
# attacker host on a LAN injects crafted DVMRP from a raw socket with
# forged sources (build/test/igmp_inject).  Each attack is checked for the
# exact counter of `mcastctl -j show stats` it must raise, nothing learned
# from it, the limits holding, memory bounded (VmRSS), mcastd answering,
# and at the end, forwarding still.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 198.18.32.100/19 --LAN2--
#     hr1 .2, hr2 .3, ha .4 (attacker; also N1 198.18.32.50, a forged
#     two-way neighbour, so that the graft acks sent to it are delivered)
# LAN2 is a /19 so that thousands of forged neighbours fit on its subnet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
require_lab
require_mcastd
[ -x "$INJ" ] || { not_ok "no $INJ: run make helpers first"; exit 1; }
R=198.18.32.100 HA=198.18.32.4 N1=198.18.32.50 STRANGER=198.18.32.77
routed_lab hs hr1,hr2,ha
ip -n "$P-r" addr flush dev eth1
ip -n "$P-r" addr add $R/19 dev eth1
a=1
for h in hr1 hr2 ha; do
	a=$((a + 1))
	ip -n "$P-$h" addr flush dev eth0
	ip -n "$P-$h" addr add 198.18.32.$a/19 dev eth0
	ip -n "$P-$h" route add 224.0.0.0/4 dev eth0
	ip -n "$P-$h" route add default via $R
done
ip -n "$P-ha" addr add $N1/19 dev eth0
: >"$TMP/mcastd.conf"
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }

status() { # KEY: a number of `mcastctl -j show status`
	mctl r -j show status | python3 -c '
import json, sys
def find(d):
    if isinstance(d, dict):
        if sys.argv[1] in d:
            return d[sys.argv[1]]
        d = list(d.values())
    if isinstance(d, list):
        for x in d:
            v = find(x)
            if v is not None:
                return v
print(find(json.load(sys.stdin)))' "$1"
}
# neighbors [STATE]: rows of `show neighbors` on eth1 (in that state)
neighbors() {
	mctl r -j show neighbors | python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = d[next(iter(d))] if isinstance(d, dict) else d
print(sum(1 for n in rows if n.get("interface") == "eth1" and
          (len(sys.argv) < 2 or n.get("state") == sys.argv[1])))' "$@"
}
# The forged neighbour N1: a probe from it listing mcastd (GenID fixed).
probe_n1() { inj -s $N1 dvmrp-probe $R; }
DVMRP_ROUTES0=$(status dvmrp_routes)

# ---- N1 becomes a two-way neighbour ---------------------------------------
probe_n1
check "a probe from $N1 listing $R: a two-way neighbour" \
    wait_for 2 eval "[ \"\$(neighbors two-way)\" = 1 ]"
expect_eq "... show status: dvmrp_neighbors 1" "$(status dvmrp_neighbors)" 1

# ---- malformed reports, even from the two-way neighbour ------------------
snap m0
# (ha sends from N1 with -s; `attack` compares the stat by snapshots)
cut_each() { local n; for n in 9 10 11 12 13 14; do inj -s $N1 -r 20000 -c 100 dvmrp-cut $n; done; }
attack "reports cut to 9-14 bytes, 100 each" dvmrp.rx_malformed.report_truncated 600 cut_each
attack "reports whose list never closes x 1000" dvmrp.rx_malformed.report_truncated 1000 \
    inj -s $N1 -r 20000 -c 1000 dvmrp-open
attack "reports of 198.19.1.0 mask 255.255.240.0 (origin beyond the mask) x 1000" \
    dvmrp.rx_malformed.report_origin 1000 inj -s $N1 -r 20000 -c 1000 dvmrp-origin
attack "reports with mask 255.255.0.255 x 1000" dvmrp.rx_malformed.report_mask 1000 \
    inj -s $N1 -r 20000 -c 1000 dvmrp-mask
metric_each() { local m; for m in $(seq 64 127); do inj -s $N1 -r 20000 -c 10 dvmrp-report $m; done; }
attack "reports with metrics 64-127, 10 each" dvmrp.rx_malformed.report_metric 640 metric_each
snap m1
expect_eq "... all 4240 counted as reports (dvmrp.rx.report)" "$(delta dvmrp.rx.report m0 m1)" 4240
expect_eq "... none reached the route table (dvmrp.rib.reports_in +0)" \
    "$(delta dvmrp.rib.reports_in m0 m1)" 0
expect_eq "... nothing learned: dvmrp_routes still $DVMRP_ROUTES0" "$(status dvmrp_routes)" "$DVMRP_ROUTES0"

# ---- well-formed reports from a non-neighbour ----------------------------
attack "10-route reports from $STRANGER (never probed) x 100: refused" \
    dvmrp.rib.reports_refused 100 inj -s $STRANGER -r 20000 -c 100 dvmrp-routes 198.19.64.0/24 10
expect_eq "... no route learned: dvmrp_routes still $DVMRP_ROUTES0" "$(status dvmrp_routes)" "$DVMRP_ROUTES0"
expect_eq "... and $STRANGER is no neighbour" "$(neighbors)" 1
# The same report from N1 is learned: the refusal was the sender's.
inj -s $N1 dvmrp-routes 198.19.64.0/24 10
check "the same report from the two-way neighbour $N1: 10 routes learned" \
    wait_for 2 eval "[ \"\$(status dvmrp_routes)\" = $((DVMRP_ROUTES0 + 10)) ]"

# ---- prunes and grafts for unknown entries -------------------------------
probe_n1
snap p0
inj -s $N1 -d $R -t 255 dvmrp-prune 198.19.64.0 239.9.0.1
inj -s $N1 -d $R -t 255 dvmrp-graft 198.19.64.0 239.9.0.1
inj -s $STRANGER -d $R -t 255 dvmrp-prune 198.19.64.0 239.9.0.1
inj -s $STRANGER -d $R -t 255 dvmrp-graft 198.19.64.0 239.9.0.1
sleep 0.2
snap p1
expect_eq "a prune and a graft for an unknown (S,G) from N1: dvmrp.prune.unknown_entry +2" \
    "$(delta dvmrp.prune.unknown_entry p0 p1)" 2
expect_eq "... the graft acked all the same (dvmrp.tx.graft-ack +1)" \
    "$(delta dvmrp.tx.graft-ack p0 p1)" 1
expect_eq "the same from $STRANGER: dvmrp.prune.non_neighbor +2" \
    "$(delta dvmrp.prune.non_neighbor p0 p1)" 2
expect_eq "... no prune entry made (dvmrp.prune.entries 0)" "$(stat_now dvmrp.prune.entries p1)" 0

# Floods: 10,000 prunes, then 10,000 grafts, for distinct groups, at
# 10,000/s; `show status` timed all the while.
timed_status() { # OUT: the slowest `show status` (ms) while $! runs
	local pid=$! t0 t1 max=0
	while kill -0 $pid 2>/dev/null; do
		t0=$(now_ms)
		mctl r show status >/dev/null || max=99999
		t1=$(now_ms)
		[ $((t1 - t0)) -gt $max ] && max=$((t1 - t0))
		sleep 0.05
	done
	wait $pid
	echo $max >"$1"
}
flood() { # prune|graft
	inj -s $N1 -d $R -t 255 -r 10000 dvmrp-$1 198.19.64.0 239.10.0.0 10000 &
	timed_status "$TMP/slowest.$1"
}
rss0=$(proc_rss_kb "$MCASTD_PID")
attack "10,000 prunes for unknown entries from N1: dvmrp.prune.unknown_entry" \
    dvmrp.prune.unknown_entry 10000 flood prune
expect_eq "... dvmrp.prune.prunes_rx +10000" "$(delta dvmrp.prune.prunes_rx a0 a1)" 10000
check "... show status answered within 500 ms during it (slowest $(cat "$TMP/slowest.prune") ms)" \
    test "$(cat "$TMP/slowest.prune")" -lt 500
probe_n1
attack "10,000 grafts for unknown entries from N1: dvmrp.prune.unknown_entry" \
    dvmrp.prune.unknown_entry 10000 flood graft
acks=$(delta dvmrp.tx.graft-ack a0 a1)
expect_eq "... every graft acked: dvmrp.tx.graft-ack +10000 (as mrouted does)" "$acks" 10000
expect_eq "... no ack failed to leave (igmp.tx_errors +0)" "$(delta igmp.tx_errors a0 a1)" 0
check "... show status answered within 500 ms during it (slowest $(cat "$TMP/slowest.graft") ms)" \
    test "$(cat "$TMP/slowest.graft")" -lt 500
attack "10,000 prunes from $STRANGER: dvmrp.prune.non_neighbor" \
    dvmrp.prune.non_neighbor 10000 inj -s $STRANGER -d $R -t 255 -r 20000 dvmrp-prune 198.19.64.0 239.10.0.0 10000
rss1=$(proc_rss_kb "$MCASTD_PID")
echo "# VmRSS ${rss0} kB before the prune and graft floods, ${rss1} kB after; $acks graft acks sent"
check "mcastd's RSS grew less than 512 kB in them ($((rss1 - rss0)) kB)" test $((rss1 - rss0)) -lt 512
expect_eq "... still no prune entry (dvmrp.prune.entries 0)" "$(stat_now dvmrp.prune.entries a1)" 0

# ---- probes from 5000 forged neighbours ----------------------------------
probe_n1
F=5000
rss0=$(proc_rss_kb "$MCASTD_PID")
attack "probes from $F forged addresses 198.18.40.0-: over the 64 per VIF, refused" \
    dvmrp.nbr.limit_neighbors $((F - 63)) inj -s 198.18.40.0 -A $F -r 20000 dvmrp-probe
# (a kernel drop would leave more room: `attack` printed it)
expect_eq "... dvmrp.nbr.rx_probes +$F" "$(delta dvmrp.nbr.rx_probes a0 a1)" $F
expect_eq "... show status: dvmrp_neighbors 64" "$(status dvmrp_neighbors)" 64
expect_eq "... show neighbors: 64 on eth1" "$(neighbors)" 64
expect_eq "... N1 among them, still two-way" "$(neighbors two-way)" 1
attack "the same again, listing mcastd: refused, the table holds" \
    dvmrp.nbr.limit_neighbors $((F - 63)) inj -s 198.18.40.0 -A $F -r 20000 dvmrp-probe $R
expect_eq "... show neighbors: 64 on eth1" "$(neighbors)" 64
rss1=$(proc_rss_kb "$MCASTD_PID")
check "mcastd's RSS grew less than 512 kB in the probe floods ($((rss1 - rss0)) kB)" \
    test $((rss1 - rss0)) -lt 512
# The route table takes 64 two-way neighbours over all VIFs (mrouted's
# limit) and the neighbour engine 64 per VIF; the route table keeps 2
# slots for each other VIF that is up, so the forged ones on eth1, two-way
# now, cannot take them all: a neighbour on eth0 still gets one.
snap x0
nsx hs "$INJ" -i eth0 -s 198.18.1.50 dvmrp-probe 198.18.1.1 >/dev/null
nsx hs "$INJ" -i eth0 -s 198.18.1.50 dvmrp-routes 198.19.96.0/24 5 >/dev/null
sleep 0.3
snap x1
echo "# a neighbour on eth0 after the flood on eth1: route table refusals: dvmrp.rib.neighbor_limit +$(delta dvmrp.rib.neighbor_limit x0 x1), dvmrp.rib.reports_refused +$(delta dvmrp.rib.reports_refused x0 x1)"
expect_eq "64 forged neighbours on eth1 leave eth0 its reserved route-table slots: a report from a neighbour there is applied (dvmrp.rib.reports_refused +0)" \
    "$(delta dvmrp.rib.reports_refused x0 x1)" 0
expect_eq "... and its 5 routes are learned" "$(status dvmrp_routes)" $((DVMRP_ROUTES0 + 15))
cutp_each() { local k; for k in 1 2 3; do inj -s $N1 -r 20000 -c 100 dvmrp-probe-cut $k $R 198.18.32.51; done; }
attack "probes whose list is cut 1-3 bytes short, 100 each" dvmrp.rx_malformed.probe_length 300 cutp_each
attack "Neighbors 2 blocks whose count says 200 for 2 x 1000" dvmrp.rx_malformed.neighbors_truncated 1000 \
    inj -s $N1 -d $R -t 255 -r 20000 -c 1000 dvmrp-nbrs2 200
expect_eq "... and the count that does not lie passes (no malformed)" \
    "$(inj -s $N1 -d $R -t 255 dvmrp-nbrs2 2; snap n2; delta dvmrp.rx_malformed.neighbors_truncated a1 n2)" 0

# ---- afterwards ----------------------------------------------------------
check "mcastd alive and answering" alive
check "it still forwards: hs's stream reaches hr1 and hr2" stream_start 3
kill -TERM "$MCASTD_PID"
wait "$MCASTD_PID"
expect_eq "mcastd stops cleanly (exit status)" "$?" 0
L=$TMP/mcastd-r.log
check "no sanitizer report in mcastd's log" eval "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' $L"
check "log: the neighbours not taken in at most 3 lines ($(grep -c 'not taken' "$L"))" \
    test "$(grep -c 'not taken' "$L")" -le 3
echo "# log: $(grep -c . "$L") lines in all"
grep 'not taken' "$L" | sed 's/^/# /'
finish
