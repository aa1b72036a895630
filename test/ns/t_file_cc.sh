#!/usr/bin/env bash
# mcast file --cc tfmcc shares a bottleneck with TCP.  The sender h1 (and
# an iperf client) on bridge br0, three receivers h2..h4 (and an iperf
# server h5) on bridge br1; the two bridges joined by a veth whose br0 end
# (up0) sends through a token bucket of RATE_MBIT (file_lib.sh's
# bottleneck_lab): the one way from sender to
# receivers.  With --cc tfmcc TCP keeps a real share of it (by the iperf
# server's count) while the receivers get the file whole (sha256sum); with
# a fixed cap at the bottleneck's rate TCP gets much less.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/file_lib.sh"
require_lab
command -v iperf >/dev/null || skip_all "no iperf (scripts/deps.sh installs it)"
RATE_MBIT=${RATE_MBIT:-16}
TCP_S=${TCP_S:-8}
G=239.1.2.30

bottleneck_lab $RATE_MBIT || { not_ok "tc tbf on up0"; finish; }

expect_usage "--cc with an unknown mode is a usage error" \
    "mcast: --cc reno: expected none or tfmcc" file send --cc reno /dev/null $G:5030

mkdir -p "$TMP/src"
head -c $((RATE_MBIT * 1000000 / 8 / 2 * TCP_S)) /dev/urandom >"$TMP/src/cc.bin"
SIZE=$(stat -c %s "$TMP/src/cc.bin")
bg h5 sh -c "exec stdbuf -oL iperf -s -y C >\"$TMP/iperf.csv\" 2>/dev/null"
wait_for 5 eval "nsx h5 ss -ltn | grep -q ':5001 '" || not_ok "iperf -s listens on h5"

# tcp_bps N: the iperf server's bits/s of its Nth connection (waiting
# for its line).
tcp_bps() {
	wait_for 5 eval "[ \$(wc -l <\"$TMP/iperf.csv\") -ge $1 ]"
	sed -n "$1p" "$TMP/iperf.csv" | cut -d, -f9
}

# Phase 1: TCP for TCP_S s; the file starts with it (--cc tfmcc, -r far
# above the bottleneck: the ceiling only).
for h in 2 3 4; do
	mkdir -p "$TMP/out$h"
	bg h$h sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out$h\" --timeout 15 --json $G:5030 >\"$TMP/r$h.json\" 2>\"$TMP/r$h.err\""
	eval "r$h=\$LAST_PID"
done
for h in 2 3 4; do
	wait_for 5 joined h$h $G || not_ok "h$h joined $G"
done
bg h1 sh -c "exec iperf -c 198.18.1.6 -t $TCP_S >/dev/null 2>&1"
tcp1=$LAST_PID
nsx h1 "$MCAST" file send -i eth0 -r 200M --cc tfmcc --json "$TMP/src/cc.bin" \
    $G:5030 >"$TMP/s.json" 2>"$TMP/s.err"
expect_eq "file send --cc tfmcc exits 0 (every receiver done)" $? 0
wait $tcp1
for h in 2 3 4; do
	eval "wait \$r$h"
	expect_eq "h$h: file recv exits 0" $? 0
	expect_eq "h$h: cc.bin equals the source (sha256sum)" \
	    "$(sha256sum <"$TMP/out$h/cc.bin" 2>&1)" "$(sha256sum <"$TMP/src/cc.bin")"
	expect_eq "h$h: received all $SIZE bytes" "$(json_field "$TMP/r$h.json" bytes)" $SIZE
	check "h$h: sent TFMCC feedback" test "$(json_field "$TMP/r$h.json" feedback)" -gt 0
done
tcp_cc=$(tcp_bps 1)
expect_eq "the sender ran tfmcc" "$(json_field "$TMP/s.json" cc)" tfmcc
check "the sender heard feedback ($(json_field "$TMP/s.json" feedback))" \
    test "$(json_field "$TMP/s.json" feedback)" -gt 0
secs=$(json_field "$TMP/r2.json" seconds)
echo "# tfmcc: TCP ${tcp_cc:-?} bit/s of ${RATE_MBIT} Mbit/s; file $SIZE bytes in $secs s at h2"
check "TCP keeps >= 25 % of the bottleneck beside tfmcc ($((${tcp_cc:-0} / 1000)) kbit/s of ${RATE_MBIT} Mbit/s)" \
    test "${tcp_cc:-0}" -ge $((RATE_MBIT * 1000000 / 4))
check "TCP does not take it all: the file went at >= 15 % of it meanwhile" \
    awk -v b="$SIZE" -v s="$secs" -v r="$RATE_MBIT" 'BEGIN { exit !(b * 8 / s >= r * 1e6 * 0.15) }'

# Phase 2: the same TCP beside a fixed cap at the bottleneck's rate.
mkdir -p "$TMP/fix"
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/fix\" --timeout 5 -q $G:5031"
bg h1 "$MCAST" file send -i eth0 -r ${RATE_MBIT}M --carousel -q "$TMP/src/cc.bin" $G:5031
s2=$LAST_PID
sleep 0.5
nsx h1 iperf -c 198.18.1.6 -t $TCP_S >/dev/null 2>&1
kill -INT "$s2"; wait "$s2" 2>/dev/null
tcp_fixed=$(tcp_bps 2)
echo "# fixed cap: TCP ${tcp_fixed:-?} bit/s"
check "with -r ${RATE_MBIT}M and no CC, TCP gets less than half of what it got beside tfmcc (${tcp_fixed:-?} < ${tcp_cc:-?} / 2)" \
    test "${tcp_fixed:-0}" -lt $((${tcp_cc:-0} / 2))
finish
