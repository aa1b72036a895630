#!/usr/bin/env bash
# mcast send keeps a paced rate or says it did not; mcast recv counts loss
# at the head of a stream it heard begin, says where it joined a stream
# already under way, and gives each interval its own loss and jitter.
# Counted at the receiver: the receive count is the truth, not the sender's.
#
#   h1 198.18.1.2 (sender) --LAN-- h2 198.18.1.3 (receiver, nftables drops)
#                                  h3 198.18.1.4 (receiver)
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 3
G=239.4.0.1

# 1. Nonsense rates are refused before anything is sent.
expect_usage "-r above 1G refused" \
    "mcast: rate '99999999999' is out of range: expected 1 to 1G datagrams/s" \
    send -r 99999999999 $G:5000
expect_usage "-r 0 refused" \
    "mcast: rate '0' is not a count: expected a whole number of at least 1, e.g. 100, 10k, 2M" \
    send -r 0 $G:5000
expect_usage "a negative -r refused" \
    "mcast: rate '-5' is not a count: expected a whole number of at least 1, e.g. 100, 10k, 2M" \
    send -r -5 $G:5000
expect_usage "-b above 1 Tbit/s refused" \
    "mcast: bit rate '2000G' is out of range: expected 1 to 1000G bits/s (1 Tbit/s)" \
    send -b 2000G $G:5000
expect_usage "-b that makes more than 1G datagrams/s refused" \
    "mcast: -b 1000G with 64-byte datagrams is 1953125000 datagrams/s: expected at most 1G datagrams/s" \
    send -b 1000G $G:5000
expect_usage "--strict without a rate refused" \
    "mcast: --strict without -r or -b: expected a paced stream (only its rate can fall short)" \
    send --strict -c 1 $G:5000

# 2. A modest paced rate arrives whole, and no faster than the schedule:
# 20,000 datagrams at 20,000/s cannot take less than 0.99995 s.
bg h3 "$MCAST" recv -i eth0 -c 20000 -d 10 --json $G:5001 >"$TMP/pace.json"
r=$LAST_PID
wait_for 5 joined h3 $G || not_ok "h3 joined $G"
nsx h1 "$MCAST" send -i eth0 -r 20000 -c 20000 --json $G:5001 >"$TMP/pace-send.json" 2>"$TMP/pace-send.err"
expect_eq "paced send exits 0" $? 0
wait $r
got=$(json_field "$TMP/pace.json" received)
check "20,000/s for 1 s: at least 99% arrived at the receiver (got $got)" test "${got:-0}" -ge 19800
secs=$(json_field "$TMP/pace-send.json" seconds)
check "the sender kept the schedule: 20,000 took >= 0.9999 s ($secs s)" \
    python3 -c "import sys; sys.exit(not $secs >= 0.9999)"
expect_eq "the summary names the asked rate" "$(json_field "$TMP/pace-send.json" target_pps)" 20000.0
# The machine may be loaded: a warning here would be honest, but it must
# agree with the JSON.
sf=$(json_field "$TMP/pace-send.json" rate_shortfall)
if [ "$sf" = false ]; then
	expect_eq "rate reached: no warning" "$(cat "$TMP/pace-send.err")" ""
else
	check "rate_shortfall true comes with the warning" grep -q "^mcast: warning: asked 20,000 datagrams/s" "$TMP/pace-send.err"
fi

# 3. A rate no sender reaches: 50 million 1400-byte datagrams a second (560
# Gbit/s) in sendmmsg batches.  Exit 0 (a measurement), 1 with --strict.
nsx h1 "$MCAST" send -i eth0 -r 50M -s 1400 -d 0.3 --json $G:5002 >"$TMP/fast.json" 2>"$TMP/fast.err"
expect_eq "an unreached rate still exits 0" $? 0
check "an unreached rate is named on stderr" \
    grep -qE '^mcast: warning: asked 50,000,000 datagrams/s, sent [0-9,]+/s: the sender could not keep up \(CPU-bound, or a slower interface\) \(exit status 0; --strict makes it 1\)$' "$TMP/fast.err"
expect_eq "JSON: rate_shortfall true, target 50M" \
    "$(json_field "$TMP/fast.json" rate_shortfall) $(json_field "$TMP/fast.json" target_pps)" "true 50000000.0"
nsx h1 "$MCAST" send -i eth0 -r 50M -s 1400 -d 0.2 -q --strict $G:5002 2>"$TMP/strict.err"
expect_eq "--strict: exit 1 when the rate was not reached" $? 1
check "--strict: the warning without the exit-status hint" \
    grep -qE '^mcast: warning: asked 50,000,000 datagrams/s, sent [0-9,]+/s: the sender could not keep up \(CPU-bound, or a slower interface\)$' "$TMP/strict.err"

# A slow rate ended by -d is on schedule: the run ends asleep, waiting for
# the next datagram (0.5 s away at 2/s), and that wait is no shortfall.
# Only how late the last datagram went counts (a wake-up's latency).
nsx h1 "$MCAST" send -i eth0 -r 2 -d 1 --json $G:5007 >"$TMP/slow.json" 2>"$TMP/slow.err"
behind=$(json_field "$TMP/slow.json" behind_ms)
check "-r 2 -d 1: the last datagram went about when due (behind $behind ms)" \
    python3 -c "import sys; sys.exit(not 0 <= $behind < 250)"
check "-r 2 -d 1: no 'could not keep up' for the final sleep" \
    sh -c "! grep -q 'could not keep up' '$TMP/slow.err'"

# 4. Loss at the head: nftables drops the first 3 datagrams.  The receiver
# listened before the stream began (the header says when it began), so
# sequence numbers 0-2 are lost, not "before the receiver joined".
nsx h2 nft -f - <<NFT
table inet mchead {
	chain in {
		type filter hook input priority 0;
		udp dport 5003 numgen inc mod 1000000 < 3 counter drop
		udp dport 5004 numgen inc mod 50 == 0 counter drop
		udp dport 5006 numgen inc mod 10 == 5 counter drop
	}
}
NFT
bg h2 "$MCAST" recv -i eth0 -c 97 -d 5 --json $G:5003 >"$TMP/head.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "h2 joined $G"
nsx h1 "$MCAST" send -i eth0 -r 1000 -c 100 -q $G:5003
wait $r
expect_eq "head loss: received 97, lost 3, first_seq 3, counted from 0" \
    "$(json_field "$TMP/head.json" received) $(json_field "$TMP/head.json" lost) $(json_field "$TMP/head.json" first_seq) $(json_field "$TMP/head.json" counted_from) $(json_field "$TMP/head.json" joined_mid_stream)" \
    "97 3 3 0 false"

# 120 of 6,000 dropped, sequence 0 among them: all 120 counted.  recv
# stops at the 5,880th datagram, not at a time a slow start could miss.
bg h2 "$MCAST" recv -i eth0 -c 5880 -d 10 --json $G:5004 >"$TMP/k120.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "h2 joined $G"
nsx h1 "$MCAST" send -i eth0 -r 10000 -c 6000 -q $G:5004
wait $r
expect_eq "120 of 6,000 dropped: received 5880, lost 120" \
    "$(json_field "$TMP/k120.json" received) $(json_field "$TMP/k120.json" lost)" "5880 120"

# 5. Joined mid-stream: the stream began before recv listened.  Nothing
# before the first datagram counts; the report says where it joined.
bg h1 "$MCAST" send -i eth0 -r 1000 -c 3000 -q $G:5005
s=$LAST_PID
sleep 0.5
nsx h3 "$MCAST" recv -i eth0 -d 1 $G:5005 >"$TMP/mid.txt"
nsx h3 "$MCAST" recv -i eth0 -d 0.5 --json $G:5005 >"$TMP/mid.json"
kill $s 2>/dev/null; wait $s 2>/dev/null
check "text: 'joined at sequence N' for a stream under way" \
    grep -qE "^$G:5005 from 198\.18\.1\.2:[0-9]+: joined at sequence [1-9][0-9]* \(the stream had begun before recv listened; earlier datagrams are not counted\)$" "$TMP/mid.txt"
expect_eq "JSON: joined_mid_stream, counted from the first received, nothing lost" \
    "$(json_field "$TMP/mid.json" joined_mid_stream) $(json_field "$TMP/mid.json" lost) $([ "$(json_field "$TMP/mid.json" counted_from)" = "$(json_field "$TMP/mid.json" first_seq)" ] && echo same)" \
    "true 0 same"

# 6. Per-interval loss and jitter: every tenth datagram dropped over 2 s,
# reports every 0.5 s.  Each interval's own loss is ~10% of the sequence
# numbers it expected, and the intervals add up to the total.
bg h2 "$MCAST" recv -i eth0 -d 4.2 --json --interval 0.5 $G:5006 >"$TMP/iv.json"
r=$LAST_PID
bg h3 "$MCAST" recv -i eth0 -d 4.2 --interval 0.5 $G:5006 >"$TMP/iv.txt"
r3=$LAST_PID
wait_for 5 joined h2 $G && wait_for 5 joined h3 $G || not_ok "h2 and h3 joined $G"
nsx h1 "$MCAST" send -i eth0 -r 1000 -c 2000 -q $G:5006
wait $r; wait $r3
out=$(python3 - "$TMP/iv.json" <<'PY'
import json, sys
lost = 0; bad = []; n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    for s in d["streams"]:
        if d["type"] == "interval":
            n += 1
            lost += s["interval_lost"]
            if "jitter_ms" not in s or s["interval_lost"] > s["interval_expected"]:
                bad.append(s)
            if s["interval_expected"] >= 200 and not 8 <= s["interval_loss_percent"] <= 12:
                bad.append(s)
        else:
            total = s["lost"]
            if "interval_lost" in s:
                bad.append("summary has interval_lost")
print(n >= 4, lost, total, len(bad))
PY
)
expect_eq "intervals: >= 4 reports, their losses add up to 200 = the total, each ~10%" "$out" "True 200 200 0"
check "text interval lines: interval loss, jitter, loss so far" \
    grep -qE "^ +[0-9.]+s  $G:5006 +198\.18\.1\.2:[0-9]+ +[0-9]+ pps +[0-9.]+ Mbit/s  lost 0/[0-9]+ \(0\.00%\)  jitter [0-9.]+ ms  lost so far 0$" "$TMP/iv.txt"
finish
