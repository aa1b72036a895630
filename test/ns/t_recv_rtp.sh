#!/usr/bin/env bash
# mcast recv measures streams that are not its own: a real RTP sender
# (ffmpeg, PCMU at 8 kHz in 20 ms packets) to a lab group, an nftables rule
# on the receiver that drops every 10th packet; recv --json reports exactly
# the loss the rule made, and tshark's RTP analysis (-z rtp,streams) of a
# capture of the same stream, less what the rule dropped, agrees on the
# loss, and on the mean and maximum jitter within 2% or 0.05 ms.  (The
# capture is taken on eth0, before the rule: an nflog capture of what
# passed would do, but libpcap stamps nflog packets when it reads them,
# up to a second late, which makes the jitter tshark's own.)  Then MPEG-TS from ffmpeg
# over UDP (7 packets a datagram) and over RTP (payload type 33), every 5th
# datagram dropped: per PID the continuity errors and the packets missing
# are those of the drops, computed from a capture of all datagrams
# (test/ns/ts_drops.py).
#
# Environment (for bench/rtp.sh): RTP_DROP_EVERY (10) and RTP_SECONDS (5)
# shape the RTP part, ONLY_RTP=1 runs only that part; the figures measured
# are printed as "# figure NAME VALUE" lines.
. "$(dirname "$0")/lib.sh"
require_lab
command -v ffmpeg >/dev/null || skip_all "no ffmpeg (scripts/deps.sh installs it)"
command -v tshark >/dev/null || skip_all "no tshark"
lan_lab 2
G=239.1.13.1
N=${RTP_DROP_EVERY:-10} # RTP: every Nth dropped
M=5  # MPEG-TS: every 5th datagram dropped

# Packets the drop rule of PORT dropped (its counter).
dropped() {
	nsx h2 nft list table inet mcrtp | awk -v p="$1" '
	    $0 ~ "dport " p " " && / drop/ {
		for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# capture_on PORT FILE: tcpdump on h2's eth0 (before the rule), every
# datagram to PORT; returns once it listens; CAP is its pid.
capture_on() {
	bg h2 tcpdump -q -U -i eth0 -w "$2" "udp dst port $1"
	CAP=$LAST_PID
	wait_for 5 test -s "$2" || not_ok "tcpdump listens on h2 for $1"
}

# The drops on the receiver, after the capture.
nsx h2 nft -f - <<NFT
table inet mcrtp {
	chain in {
		type filter hook input priority 0;
		udp dport 5004 numgen inc mod $N == $((N - 1)) counter drop
		udp dport 5006 numgen inc mod $M == $((M - 1)) counter drop
		udp dport 5008 numgen inc mod $M == $((M - 1)) counter drop
	}
}
NFT

# ---- 0. What merely looks like RTP ----------------------------------------
# send_hex PORT HEX...: one datagram per HEX from h1 to G:PORT.
send_hex() {
	nsx h1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for h in sys.argv[3:]:
    s.sendto(bytes.fromhex(h), (sys.argv[1], int(sys.argv[2])))' "$G" "$@"
}
# Under --kind auto one datagram with a version-2 first byte is foreign (a
# source is RTP once two packets came in sequence, RFC 3550 A.1), and -c 1
# counts it; two in sequence from one SSRC are RTP.
looks_like_rtp() {
	local H=80000001000000000000abcd r
	bg h2 "$MCAST" recv -i eth0 -c 1 -d 5 --json $G:5010 >"$TMP/one.json"
	r=$LAST_PID
	wait_for 5 joined h2 $G || not_ok "receiver joined $G"
	send_hex 5010 "${H}6a756e6b"
	wait $r
	expect_eq "one RTP-like datagram: recv -c 1 exits 0" $? 0
	expect_eq "one RTP-like datagram: kind foreign" "$(json_field "$TMP/one.json" kind)" foreign
	bg h2 "$MCAST" recv -i eth0 -c 2 -d 5 --json $G:5010 >"$TMP/two.json"
	r=$LAST_PID
	wait_for 5 joined h2 $G || not_ok "receiver joined $G"
	send_hex 5010 "${H}6a756e6b" "80000002000000a00000abcd6a756e6b"
	wait $r
	expect_eq "two in sequence: recv -c 2 exits 0" $? 0
	expect_eq "two in sequence: kind rtp" "$(json_field "$TMP/two.json" kind)" rtp
	expect_eq "two in sequence: 2 unique, 0 lost" \
	    "$(json_field "$TMP/two.json" unique) $(json_field "$TMP/two.json" lost)" "2 0"
}
[ "${ONLY_RTP:-0}" = 1 ] || looks_like_rtp

# ---- 1. RTP: PCMU from ffmpeg ------------------------------------------
capture_on 5004 "$TMP/rtp.pcap"
bg h2 "$MCAST" recv -i eth0 -d $((${RTP_SECONDS:-5} + 4)) --json $G:5004 >"$TMP/rtp.json"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "receiver joined $G"
sleep 0.5
nsx h1 ffmpeg -hide_banner -loglevel error -re -f lavfi \
    -i "sine=frequency=440:sample_rate=8000:duration=${RTP_SECONDS:-5}" -ac 1 -c:a pcm_mulaw \
    -packetsize 172 -f rtp "rtp://$G:5004?ttl=1" </dev/null >"$TMP/sdp.txt" 2>"$TMP/ffmpeg.err" ||
    not_ok "ffmpeg sent RTP: $(tail -n 3 "$TMP/ffmpeg.err")"
stop_recv $r
rc=$?
kill "$CAP" 2>/dev/null
wait "$CAP" 2>/dev/null

summary=$(tail -n 1 "$TMP/rtp.json")
read -r kind pt rate unique lost dups reord jit jmean jmax <<<"$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
s = [x for x in d["streams"] if x["group"].endswith(":5004")]
s = s[0] if len(s) == 1 else {}
print(s.get("kind"), s.get("payload_type"), s.get("clock_rate"), s.get("unique"),
      s.get("lost"), s.get("duplicates"), s.get("reordered"), s.get("jitter_ms"),
      s.get("jitter_mean_ms"), s.get("jitter_max_ms"))' "$summary")"
drops=$(dropped 5004)
# The rule saw received + dropped packets; when the last of them was one it
# dropped, no receiver can know it was sent.
seen=$((unique + drops))
want=$drops
[ $((seen % N)) -eq 0 ] && want=$((drops - 1))
expect_eq "RTP: one stream of kind rtp" "$kind" rtp
expect_eq "RTP: payload type 0 (PCMU), clock 8000 Hz" "$pt $rate" "0 8000"
check "RTP: the rule dropped some ($drops of $seen)" test "${drops:-0}" -ge 2
expect_eq "RTP: lost = the packets the rule dropped" "$lost" "$want"
expect_eq "RTP: no duplicates, no reordering" "$dups $reord" "0 0"
expect_eq "RTP: exit 1 on loss" "$rc" 1

# tshark's view of the same packets: the capture less frames N, 2N, ...
# (the rule's index N-1, 2N-1, ... from 0).
expect_eq "capture: every packet the rule saw" \
    "$(tshark -r "$TMP/rtp.pcap" 2>/dev/null | wc -l)" "$seen"
tshark -r "$TMP/rtp.pcap" -Y "frame.number % $N != 0" -w "$TMP/passed.pcap" 2>/dev/null
tshark -r "$TMP/passed.pcap" -d udp.port==5004,rtp -q -z rtp,streams \
    >"$TMP/tshark.txt" 2>/dev/null
# Columns: start, end, source and port, destination and port, SSRC,
# payload, packets, lost and its share, delta min/mean/max, jitter
# min/mean/max (ms), problems.
read -r t_pkts t_lost t_jmean t_jmax <<<"$(awk '
    $6 == "5004" && $9 ~ /^[0-9]+$/ { print $9, $10, $16, $17 }' \
    "$TMP/tshark.txt")"
expect_eq "tshark: the same packets" "$t_pkts" "$unique"
expect_eq "tshark: the same loss" "$t_lost" "$lost"
near() { # near A B: |A - B| <= max(0.05, 2% of B)
	python3 -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(abs(a - b) > max(0.05, 0.02 * abs(b)))' "$1" "$2"
}
check "tshark: mean jitter $t_jmean ms, recv's $jmean ms" near "$jmean" "$t_jmean"
check "tshark: max jitter $t_jmax ms, recv's $jmax ms" near "$jmax" "$t_jmax"
check "RTP: final jitter $jit ms within tshark's max" \
    python3 -c 'import sys; sys.exit(not 0 <= float(sys.argv[1]) <= float(sys.argv[2]) + 0.2)' "$jit" "$t_jmax"
for f in "rtp.sent $seen" "rtp.drops $drops" "rtp.drops_seen $want" \
    "recv.lost $lost" "tshark.lost $t_lost" "recv.jitter_mean_ms $jmean" \
    "tshark.jitter_mean_ms $t_jmean" "recv.jitter_max_ms $jmax" \
    "tshark.jitter_max_ms $t_jmax" "recv.jitter_ms $jit"; do
	echo "# figure $f"
done
[ "${ONLY_RTP:-0}" = 1 ] && finish

# ---- 2. MPEG-TS over UDP and over RTP -------------------------------------
# ts_run PORT FORMAT RTP: ffmpeg sends MP2 audio in a transport stream; a
# capture of every datagram on the receiver (before the rule) and recv's
# JSON; per PID, recv's counts against ts_drops.py's.
ts_run() {
	local port=$1 format=$2 rtp=$3 url
	case $format in
	mpegts) url="udp://$G:$port?ttl=1&pkt_size=1316" ;;
	*) url="rtp://$G:$port?ttl=1" ;;
	esac
	capture_on "$port" "$TMP/ts$port.pcap"
	bg h2 "$MCAST" recv -i eth0 -d 7 --json $G:$port >"$TMP/ts$port.json"
	r=$LAST_PID
	wait_for 5 joined h2 $G || not_ok "receiver joined $G for $port"
	sleep 0.5
	nsx h1 ffmpeg -hide_banner -loglevel error -re -f lavfi \
	    -i sine=frequency=440:sample_rate=48000:duration=4 -ac 1 \
	    -c:a mp2 -b:a 128k -f "$format" "$url" </dev/null \
	    >/dev/null 2>"$TMP/ffmpeg$port.err" ||
	    not_ok "ffmpeg sent $format: $(tail -n 3 "$TMP/ffmpeg$port.err")"
	stop_recv $r
	kill "$CAP" 2>/dev/null
	wait "$CAP" 2>/dev/null
	python3 "$TOP/test/ns/ts_drops.py" "$TMP/ts$port.pcap" "$port" $M "$rtp" >"$TMP/want$port.txt"
	tail -n 1 "$TMP/ts$port.json" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
s = [x for x in d["streams"] if x["group"].endswith(":" + sys.argv[1])]
if len(s) != 1:
    sys.exit(0)
print("kind", s[0]["kind"], s[0].get("lost", "-"))
for p in s[0]["ts"]["pids"]:
    print(p["pid"], p["packets"], p["cc_errors"], p["cc_lost"], "pcr" if p["pcr"] else "")' "$port" >"$TMP/got$port.txt"
}

ts_run 5006 mpegts 0
expect_eq "TS/UDP: kind ts" "$(awk '$1 == "kind" { print $2 }' "$TMP/got5006.txt")" ts
check "TS/UDP: the rule dropped some ($(dropped 5006))" test "$(dropped 5006)" -ge 5
expect_eq "TS/UDP: per PID packets, CC errors and CC lost are the drops'" \
    "$(grep -v '^kind' "$TMP/got5006.txt" | cut -d' ' -f1-4 | sort | tr '\n' ';')" \
    "$(sort "$TMP/want5006.txt" | tr '\n' ';')"
check "TS/UDP: some PID lost packets" awk '$3 > 0 { f = 1 } END { exit !f }' "$TMP/want5006.txt"
check "TS/UDP: a PID carries the PCR" grep -q ' pcr$' "$TMP/got5006.txt"

ts_run 5008 rtp_mpegts 1
drops=$(dropped 5008)
seen=$(tshark -r "$TMP/ts5008.pcap" 2>/dev/null | wc -l)
want=$drops
[ $((seen % M)) -eq 0 ] && want=$((drops - 1))
expect_eq "TS/RTP: kind rtp+ts" "$(awk '$1 == "kind" { print $2 }' "$TMP/got5008.txt")" rtp+ts
expect_eq "TS/RTP: RTP lost = the packets the rule dropped" \
    "$(awk '$1 == "kind" { print $3 }' "$TMP/got5008.txt")" "$want"
expect_eq "TS/RTP: per PID packets, CC errors and CC lost are the drops'" \
    "$(grep -v '^kind' "$TMP/got5008.txt" | cut -d' ' -f1-4 | sort | tr '\n' ';')" \
    "$(sort "$TMP/want5008.txt" | tr '\n' ';')"
finish
