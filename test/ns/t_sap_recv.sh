#!/usr/bin/env bash
# mcast recv --session and --sdp: h1 announces (mcast sap announce) an SDP
# describing an ffmpeg RTP stream (L16 at 16 kHz, payload type 97, ffmpeg's
# dynamic one for audio, its clock only in a=rtpmap), with an RFC 4570 incl
# source filter naming h1; h2's `mcast recv --session NAME` listens on the
# SAP groups until it hears it, joins the group source-specific (h2's
# /proc/net/mcfilter lists (group, h1)), takes the clock rate from the SDP
# and measures the loss an nftables rule makes (every 10th packet dropped)
# exactly.  The same with --sdp FILE of an any-source session on another
# port (every 7th dropped); an excl filter naming the sender drops its
# datagrams in recv and counts them.  VLC announces an MPEG-TS over RTP
# stream: --session receives it (payload type 33, clock 90000, no loss).
# Then --session by o= session id and by SAP hash, a session not heard
# (exit 1, listing what was heard), a name two announcers use (exit 2,
# listing both); what --sdp joins for /N addresses and ports and each kind
# of m= protocol; sap listen's terminal table redrawn once a second; sap
# listen --cache and recv --sap-cache; usage errors.
. "$(dirname "$0")/lib.sh"
require_lab
command -v ffmpeg >/dev/null || skip_all "no ffmpeg (scripts/deps.sh installs it)"
command -v nft >/dev/null || skip_all "no nft"
lan_lab 2
G=239.255.13.1
H1=198.18.1.2
SECS=${SAP_RECV_SECONDS:-4}

# Packets the drop rule of PORT dropped (its counter).
dropped() {
	nsx h2 nft list table inet mcsaprecv | awk -v p="$1" '
	    $0 ~ "dport " p " " && / drop/ {
		for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
nsx h2 nft -f - <<NFT
table inet mcsaprecv {
	chain in {
		type filter hook input priority 0;
		udp dport 5004 numgen inc mod 10 == 9 counter drop
		udp dport 5006 numgen inc mod 7 == 6 counter drop
	}
}
NFT

cat >"$TMP/tone.sdp" <<SDP
v=0
o=lab 7001 1 IN IP4 $H1
s=Lab tone
c=IN IP4 $G/1
t=0 0
m=audio 5004 RTP/AVP 97
a=rtpmap:97 L16/16000/1
a=source-filter: incl IN IP4 $G $H1
SDP
cat >"$TMP/asm.sdp" <<SDP
v=0
o=lab 7002 1 IN IP4 $H1
s=Lab tone ASM
c=IN IP4 $G/1
t=0 0
m=audio 5006 RTP/AVP 97
a=rtpmap:97 L16/16000/1
SDP

# send PORT: ffmpeg on h1, SECS seconds of L16 16 kHz mono in 20 ms packets.
send() {
	nsx h1 ffmpeg -hide_banner -loglevel error -re -f lavfi \
	    -i "sine=frequency=440:sample_rate=16000:duration=$SECS" -ac 1 \
	    -c:a pcm_s16be -packetsize 652 -f rtp "rtp://$G:$1?ttl=1" \
	    </dev/null >/dev/null 2>"$TMP/ffmpeg$1.err" ||
	    not_ok "ffmpeg sent RTP to $1: $(tail -n 3 "$TMP/ffmpeg$1.err")"
}

# stream FILE PORT: "kind pt clock unique lost" of the summary's stream.
stream() {
	tail -n 1 "$1" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
s = [x for x in d["streams"] if x["group"].endswith(":" + sys.argv[1])]
s = s[0] if len(s) == 1 else {}
print(s.get("kind"), s.get("payload_type"), s.get("clock_rate"),
      s.get("unique"), s.get("lost"))' "$2"
}

# want_lost PORT UNIQUE N: the drops of PORT's rule that a receiver can
# know of (not a last packet dropped).
want_lost() {
	local d
	d=$(dropped "$1")
	if [ $(((d + $2) % $3)) -eq 0 ]; then echo $((d - 1)); else echo "$d"; fi
}

# ---- 1. --session NAME: SSM join, clock from the SDP, exact loss ----------
bg h1 "$MCAST" sap announce -i eth0 -q --interval 1 "$TMP/tone.sdp"
ANN=$LAST_PID
bg h2 "$MCAST" recv -i eth0 --session "Lab tone" --sap-wait 10 --json \
    -d $((SECS + 3)) >"$TMP/session.json" 2>"$TMP/session.err"
r=$LAST_PID
wait_for 10 joined h2 $G || not_ok "recv --session joined $G"
# mcfilter: "IDX DEV GROUP SOURCE INC EXC", addresses in hex.
check "the join is source-specific: ($G, $H1) in h2's /proc/net/mcfilter" \
    wait_for 2 nsx h2 grep -q 'eth0.*0xefff0d01 *0xc6120102 *1 *0' /proc/net/mcfilter
sleep 0.3
send 5004
stop_recv $r
expect_eq "--session: exit 1 (loss)" $? 1
read -r kind pt clock unique lost <<<"$(stream "$TMP/session.json" 5004)"
expect_eq "--session: one RTP stream, PT 97, clock 16000 Hz from a=rtpmap" \
    "$kind $pt $clock" "rtp 97 16000"
check "--session: the rule dropped some ($(dropped 5004))" test "$(dropped 5004)" -ge 3
expect_eq "--session: lost = what the rule dropped" "$lost" "$(want_lost 5004 "$unique" 10)"
check "--session: the summary names the session, its sources" grep -q \
    '"session":{"name":"Lab tone","sess_id":"7001","version":1,"groups":\[{"group":"239.255.13.1:5004","media":"audio","kind":"rtp","sources":\["198.18.1.2"\]' \
    <(tail -n 1 "$TMP/session.json")
check "--session: said what it joined" grep -q "239.255.13.1:5004 audio rtp from $H1" "$TMP/session.err"

# ---- 2. --sdp FILE: any-source, exact loss --------------------------------
bg h2 "$MCAST" recv -i eth0 --sdp "$TMP/asm.sdp" --json -d $((SECS + 3)) >"$TMP/sdp.json" 2>"$TMP/sdp.err"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "recv --sdp joined $G"
check "--sdp: the join is any-source (no mcfilter entry)" \
    sh -c "! ip netns exec $P-h2 grep -q 0xefff0d01 /proc/net/mcfilter"
sleep 0.3
send 5006
stop_recv $r
expect_eq "--sdp: exit 1 (loss)" $? 1
read -r kind pt clock unique lost <<<"$(stream "$TMP/sdp.json" 5006)"
expect_eq "--sdp: RTP, PT 97, clock 16000 Hz" "$kind $pt $clock" "rtp 97 16000"
check "--sdp: the rule dropped some ($(dropped 5006))" test "$(dropped 5006)" -ge 3
expect_eq "--sdp: lost = what the rule dropped" "$lost" "$(want_lost 5006 "$unique" 7)"

# An excl filter naming the sender: joined any-source, its datagrams
# dropped in recv and counted.
sed "s/^m=audio 5006.*/m=audio 5008 RTP\/AVP 96/; \$a a=source-filter: excl IN IP4 * $H1" \
    "$TMP/asm.sdp" >"$TMP/excl.sdp"
bg h2 "$MCAST" recv -i eth0 --sdp "$TMP/excl.sdp" --json -d 2.5 >"$TMP/excl.json" 2>/dev/null
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "recv --sdp (excl) joined $G"
nsx h1 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for i in range(5):
    s.sendto(bytes.fromhex("8060%04x0000000000001234" % i) + b"x" * 8, ("'$G'", 5008))'
wait $r
check "excl: 5 datagrams from $H1 dropped and counted, no stream" grep -q \
    '"streams":\[\].*"excluded":\["198.18.1.2"\],"excluded_drops":5}' <(tail -n 1 "$TMP/excl.json")

# ---- 3. by o= session id, by SAP hash; not heard; a name two use ----------
nsx h2 "$MCAST" recv -i eth0 --session 7001 --sap-wait 5 -d 0.2 -q 2>"$TMP/id.err"
expect_eq "--session 7001 (o= session id) found it (exit 1: nothing sent)" "$?:$(cat "$TMP/id.err")" "1:"
hash=$(nsx h2 "$MCAST" sap listen -i eth0 --once 1.5 --json | grep -o '"hash":[0-9]*' | head -1 | cut -d: -f2)
nsx h2 "$MCAST" recv -i eth0 --session "$hash" --sap-wait 5 -d 0.2 >"$TMP/hash.out" 2>&1
check "--session $hash (SAP hash) found it" grep -q '^session "Lab tone" (o=lab 7001 IN IP4 198.18.1.2, SAP hash '"$hash"')' "$TMP/hash.out"

nsx h2 "$MCAST" recv -i eth0 --session "No such" --sap-wait 1.5 -d 1 2>"$TMP/none.err"
expect_eq "not heard: exit 1" $? 1
check "not heard: says what it waited for and lists what it heard" grep -qz \
    'mcast: --session No such: not heard in 2 s on 224.2.127.254, 239.255.255.255, 239.195.255.255: expected a session of that name (s=), o= session id or SAP hash; heard 1 session:
  "Lab tone" (o=lab 7001 IN IP4 198.18.1.2 v1, SAP hash' "$TMP/none.err"

# Both announced every 0.25 s: recv hears both within its 1 s of grace.
kill -INT $ANN
wait $ANN
sed 's/^o=lab 7001/o=other 7003/' "$TMP/tone.sdp" >"$TMP/twin.sdp"
bg h1 "$MCAST" sap announce -i eth0 -q --interval 0.25 "$TMP/tone.sdp"
ANN=$LAST_PID
bg h1 "$MCAST" sap announce -i eth0 -q --interval 0.25 "$TMP/twin.sdp"
ANN2=$LAST_PID
nsx h2 "$MCAST" recv -i eth0 --session "Lab tone" --sap-wait 5 -d 1 2>"$TMP/two.err"
expect_eq "a name two sessions use: exit 2" $? 2
check "a name two sessions use: both listed" grep -qz \
    'mcast: --session Lab tone: 2 sessions match: expected one;.*o=lab 7001 .*o=other 7003 \|o=other 7003 .*o=lab 7001 ' "$TMP/two.err"
kill -INT $ANN $ANN2
wait $ANN $ANN2

# ---- 3b. VLC announces (a real announcer; it refuses to run as root) ------
# MPEG-TS over RTP: --session joins what its SDP says and measures RTP
# (payload type 33, clock 90000 from VLC's a=rtpmap) and the TS PIDs.
if command -v cvlc >/dev/null && runuser -u nobody -- true 2>/dev/null; then
	ffmpeg -nostdin -loglevel error -f lavfi -i sine=frequency=440:sample_rate=48000:duration=30 \
	    -c:a mp2 "$TMP/tone.ts"
	chmod 755 "$TMP"
	chmod 644 "$TMP/tone.ts"
	bg h1 runuser -u nobody -- cvlc -I dummy --no-video "$TMP/tone.ts" \
	    --sout '#rtp{dst=239.255.12.42,port=5012,mux=ts,sap,name=VLC tone}' --sap-interval 1 \
	    >/dev/null 2>&1
	VLC=$LAST_PID
	nsx h2 "$MCAST" recv -i eth0 --session "VLC tone" --sap-wait 15 --json -d 4 >"$TMP/vlc.json" 2>"$TMP/vlc.err"
	rc=$?
	kill $VLC 2>/dev/null
	wait $VLC 2>/dev/null
	expect_eq "VLC: its session joined: 239.255.12.42:5012 video rtp" \
	    "$(grep -c '^  239.255.12.42:5012 video rtp$' "$TMP/vlc.err")" 1
	read -r kind pt clock unique lost <<<"$(stream "$TMP/vlc.json" 5012)"
	expect_eq "VLC: MPEG-TS over RTP, PT 33, clock 90000 Hz" "$kind $pt $clock" "rtp+ts 33 90000"
	check "VLC: packets arrived ($unique), none lost ($lost), exit 0 ($rc)" test "${unique:-0}" -gt 10 -a "$lost" = 0 -a "$rc" = 0
else
	ok "VLC's session received # SKIP no cvlc (vlc-bin, vlc-plugin-base) or user nobody"
fi

# ---- 4. what --sdp joins: /N addresses and ports, kinds ------------------
cat >"$TMP/many.sdp" <<SDP
v=0
o=lab 7010 1 IN IP4 $H1
s=Many
c=IN IP4 239.255.13.1/1/2
t=0 0
m=video 5010/2 RTP/AVP 33
m=audio 5020/3 RTP/AVP 0
c=IN IP4 239.255.13.8/1
m=video 5030 udp mpeg
c=IN IP4 239.255.13.9/1
a=source-filter: incl IN IP4 * $H1 198.18.1.3
m=audio 0 RTP/AVP 0
m=application 5040/2 UDP/MP2T 33
c=IN IP4 239.255.13.10/1
m=data 5050 udp x
c=IN IP4 239.255.13.11/1
SDP
nsx h2 "$MCAST" recv -i eth0 --sdp "$TMP/many.sdp" -d 0.1 >"$TMP/many.out" 2>&1
expect_eq "--sdp: each address and port of each medium, kinds from m=" "$(head -n 10 "$TMP/many.out")" \
'session "Many" ('"$TMP"'/many.sdp):
  239.255.13.1:5010 video rtp
  239.255.13.2:5012 video rtp
  239.255.13.8:5020 audio rtp
  239.255.13.8:5022 audio rtp
  239.255.13.8:5024 audio rtp
  239.255.13.9:5030 video ts from 198.18.1.2, 198.18.1.3
  239.255.13.10:5040 application ts
  239.255.13.10:5041 application ts
  239.255.13.11:5050 data auto'
sed 's|^c=IN IP4 239.255.13.1/1/2|c=IN IP4 239.255.13.1/1/3|' "$TMP/many.sdp" >"$TMP/pair.sdp"
nsx h2 "$MCAST" recv -i eth0 --sdp "$TMP/pair.sdp" -d 0.1 >"$TMP/pair.out" 2>&1
expect_eq "--sdp: 3 addresses and 2 ports: exit 2, named" "$?:$(cat "$TMP/pair.out")" \
    "2:mcast: \"Many\" ($TMP/pair.sdp): medium 1 (line 6): 3 addresses and 2 ports: expected as many of each, or one of either (RFC 8866 5.14)"

# ---- 5. sap listen's table on a terminal: redrawn once a second ---------
# (its HEARD and EXPIRES ages move with no change), with one session heard.
bg h2 timeout -s INT 3.6 script -qfc "$MCAST sap listen -i eth0" "$TMP/tty.out" >/dev/null 2>&1 </dev/null
TTY=$LAST_PID
wait_for 5 joined h2 239.255.255.255 || not_ok "sap listen (on a terminal) joined"
bg h1 "$MCAST" sap announce -i eth0 -q --interval 10 "$TMP/tone.sdp"
ANN=$LAST_PID
wait $TTY
n=$(grep -o $'\033\[2J' "$TMP/tty.out" | wc -l)
check "the terminal table was drawn at least 4 times in 3.6 s ($n)" test "$n" -ge 4 -a "$n" -le 6
check "the age moves with nothing heard again: 0s, 1s, 2s" sh -c "grep -q 'Lab tone .* 0s ' '$TMP/tty.out' && grep -q 'Lab tone .* 1s ' '$TMP/tty.out' && grep -q 'Lab tone .* 2s ' '$TMP/tty.out'"
kill -INT $ANN
wait $ANN

# ---- 5b. sap listen --cache: recv --session --sap-cache finds it at once --
mkdir "$TMP/cache"
bg h2 "$MCAST" sap listen -i eth0 --json --cache "$TMP/cache" >/dev/null
LC=$LAST_PID
wait_for 5 joined h2 239.255.255.255 || not_ok "sap listen --cache joined"
bg h1 "$MCAST" sap announce -i eth0 -q --interval 30 "$TMP/tone.sdp"
ANN=$LAST_PID
F="$TMP/cache/lab_7001_IN_IP4_198.18.1.2.sdp"
check "--cache: a file for the session, KEY.sdp" wait_for 5 test -f "$F"
check "--cache: the SDP as announced" sh -c "tr -d '\r' <'$F' | cmp -s - '$TMP/tone.sdp'"
t0=$(now_ms)
nsx h2 "$MCAST" recv -i eth0 --session "Lab tone" --sap-cache "$TMP/cache" -d 0.3 >"$TMP/cached.out" 2>&1
t1=$(now_ms)
check "recv --sap-cache: the session from the cache" grep -q "^session \"Lab tone\" ($F):" "$TMP/cached.out"
check "recv --sap-cache: at once, not after the next announcement ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
nsx h2 "$MCAST" recv -i eth0 --session "Nothing" --sap-cache "$TMP/cache" --sap-wait 0.5 -d 0.3 >"$TMP/notcached.out" 2>&1
check "recv --sap-cache: not there, so it listens" grep -q '^mcast: session "Nothing" is not in .*: listening' "$TMP/notcached.out"
kill -INT $ANN
wait $ANN
check "--cache: the deletion removes the file" wait_for 3 test ! -e "$F"
kill -INT $LC
wait $LC

# ---- 6. usage --------------------------------------------------------------
expect_usage "--sdp and GROUP:PORT" "mcast: --sdp $TMP/asm.sdp and GROUP:PORT $G:5: expected the groups of the session alone" \
    recv --sdp "$TMP/asm.sdp" $G:5
expect_usage "--sdp and --session" "mcast: --sdp x.sdp and --session y: expected one of them" \
    recv --sdp x.sdp --session y
expect_usage "--sap-cache alone" "mcast: --sap-cache /tmp without --session: expected it with --session NAME-OR-ID" \
    recv --sap-cache /tmp $G:5
expect_usage "sap listen --cache of no directory" "mcast: --cache $TMP/none: No such file or directory: expected a directory we may write" \
    sap listen --cache "$TMP/none"
expect_usage "--sap-wait alone" "mcast: --sap-wait 3 without --session: expected it with --session NAME-OR-ID" \
    recv --sap-wait 3 $G:5
expect_usage "-S with --sdp" "mcast: -S $H1 with --sdp: expected the sources of the session's a=source-filter lines alone" \
    recv -S $H1 --sdp "$TMP/asm.sdp"
expect_usage "--sdp of a missing file" "mcast: --sdp: cannot read $TMP/nope.sdp: No such file or directory" \
    recv --sdp "$TMP/nope.sdp"
expect_usage "announce --bandwidth with --profile" "mcast: --bandwidth 8000 with --profile aes67: expected RFC 2974's timing (--interval auto, --profile rfc)" \
    sap announce --bandwidth 8000 --profile aes67 "$TMP/asm.sdp"
expect_usage "announce --bandwidth 5" "mcast: --bandwidth 5: expected 100 to 100M (bit/s)" \
    sap announce --bandwidth 5 "$TMP/asm.sdp"
printf 'v=0\ns=x\n' >"$TMP/bad.sdp"
nsx h1 "$MCAST" recv --sdp "$TMP/bad.sdp" 2>"$TMP/bad.err"
expect_eq "--sdp of a bad file: exit 2" $? 2
check "--sdp of a bad file: the parser's diagnostics, then what was expected" grep -qz \
    "^$TMP/bad.sdp:.*mcast: --sdp $TMP/bad.sdp: not a session description we can receive: expected RFC 8866 SDP with multicast c= lines" "$TMP/bad.err"
finish
