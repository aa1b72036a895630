#!/usr/bin/env bash
# mcast dump decodes SAP (RFC 2974, UDP port 9875) from a capture this test
# writes: an announcement, one with 8 bytes of authentication data and
# a payload type, a zlib-compressed one, a deletion (o= line alone), an
# IPv6-origin (A=1) announcement, one with E=1, a truncated one and a UDP
# datagram to another port (not shown).  Every header field and the SDP's
# s=, o= and m= lines as tshark decodes them; the text lines exactly.  The
# same against tshark for VLC's announcements (../shared/vectors/sap).
. "$(dirname "$0")/lib.sh"

python3 - "$tmp" "$TOP/test/cli" <<'PY'
import socket, struct, sys, zlib
sys.path.insert(0, sys.argv[2])
from pcap_write import eth, ip4, ipv4, write

def udp4(src, dst, dport, payload):
    """UDP (checksum 0) in IPv4 with DF, TTL 255, TOS 0."""
    u = struct.pack('!HHHH', 40000, dport, 8 + len(payload), 0) + payload
    return ipv4(src, dst, 17, u, False, tos=0, ttl=255, frag=0x4000)

def sap(flags, auth_words, hsh, origin, rest):
    return bytes([0x20 | flags, auth_words]) + struct.pack('!H', hsh) + origin + rest

sdp = (b'v=0\r\no=lab 4242 3 IN IP4 198.18.1.2\r\ns=Lab radio\r\n'
       b'c=IN IP4 239.255.10.1/1\r\nt=0 0\r\n'
       b'm=audio 5004 RTP/AVP 96\r\na=rtpmap:96 L24/48000/2\r\n'
       b'm=video 5006/2 RTP/AVP 33\r\nc=IN IP4 239.255.10.2/1/2\r\n')
O = ip4('198.18.1.2')
G = '239.255.255.255'
frames = [
    sap(0, 0, 0x1234, O, sdp),
    # auth: V=1 P=0 type 0, 8 bytes; then the payload type
    sap(0, 2, 0x2345, O, b'\x20\x00\x00\x00\xaa\xbb\xcc\xdd' + b'application/sdp\0' + sdp),
    sap(0x01, 0, 0x3456, O, zlib.compress(b'application/sdp\0' + sdp)),  # C
    sap(0x04, 0, 0x1234, O, b'o=lab 4242 3 IN IP4 198.18.1.2\r\n'),  # T
    sap(0x10, 0, 0x4567, socket.inet_pton(socket.AF_INET6, '2001:db8:1::2'), sdp),  # A
    sap(0x02, 0, 0x5678, O, b'\x00' * 8),  # E
    sap(0, 5, 0x0001, O, b'abc'),  # 20 bytes of authentication data, 3 there
]
pkts = [udp4('198.18.1.2', G, 9875, f) for f in frames]
pkts.append(udp4('198.18.1.2', G, 5000, sdp))
write(sys.argv[1] + '/sap.pcap', 1, [eth(p) for p in pkts])
PY

TZ=UTC "$MCAST" dump -r "$tmp/sap.pcap" >"$tmp/text" 2>"$tmp/err"
expect_eq "dump -r exits 0" "$?" 0
expect_eq "text: one line per SAP packet, the UDP to 5000 not shown" "$(cat "$tmp/text")" \
'22:13:20.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 announcement hash 0x1234 origin 198.18.1.2, 186 bytes of SDP: s=Lab radio o=lab 4242 3 IN IP4 198.18.1.2; m=audio 5004 RTP/AVP 96 c=239.255.10.1/1; m=video 5006/2 RTP/AVP 33 c=239.255.10.2/1/2
22:13:21.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 announcement hash 0x2345 origin 198.18.1.2, auth 8 bytes (not checked), type application/sdp, 186 bytes of SDP: s=Lab radio o=lab 4242 3 IN IP4 198.18.1.2; m=audio 5004 RTP/AVP 96 c=239.255.10.1/1; m=video 5006/2 RTP/AVP 33 c=239.255.10.2/1/2
22:13:22.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 announcement hash 0x3456 origin 198.18.1.2, compressed, type application/sdp, 186 bytes of SDP: s=Lab radio o=lab 4242 3 IN IP4 198.18.1.2; m=audio 5004 RTP/AVP 96 c=239.255.10.1/1; m=video 5006/2 RTP/AVP 33 c=239.255.10.2/1/2
22:13:23.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 deletion hash 0x1234 origin 198.18.1.2, 32 bytes of SDP: o=lab 4242 3 IN IP4 198.18.1.2
22:13:24.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 announcement hash 0x4567 origin 2001:db8:1::2, 186 bytes of SDP: s=Lab radio o=lab 4242 3 IN IP4 198.18.1.2; m=audio 5004 RTP/AVP 96 c=239.255.10.1/1; m=video 5006/2 RTP/AVP 33 c=239.255.10.2/1/2
22:13:25.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap v1 announcement hash 0x5678 origin 198.18.1.2, encrypted, payload not read: encrypted (16 bytes)
22:13:26.000000 IP 198.18.1.2 > 239.255.255.255 ttl 255: sap invalid: auth-length (11 bytes)'

# Our facts per packet, in tshark's terms: V A R T E C, auth length in
# 32-bit words, hash, origin, payload type, s=, o= and the m= lines.
cat >"$tmp/ours.py" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    s = d["sap"]
    if s["error"] not in (None, "encrypted"):
        print("error", s["error"])
        continue
    sd = s.get("sdp") or {}
    o = sd.get("origin")
    print(s["version"], int(s["ipv6"]), int(s["reserved"]), int(s["deletion"]),
          int(s["encrypted"]), int(s["compressed"]), s["auth_len"] // 4,
          "0x%04x" % s["hash"], s["origin"], s["type"] or "",
          sd.get("name") or "",
          " ".join([o["username"], o["sess_id"], str(o["version"]), o["nettype"],
                    o["addrtype"], o["address"]]) if o else "",
          ",".join("%s %d%s %s %s" % (m["media"], m["port"],
                   "/%d" % m["ports"] if m["ports"] > 1 else "", m["proto"],
                   " ".join(m["formats"])) for m in sd.get("media", [])), sep="|")
PY
# tshark's, the same way (it flags a bogus authentication length).
cat >"$tmp/theirs.py" <<'PY'
import sys
for line in sys.stdin:
    f = line.rstrip("\n").split("|")
    v, a, r, t, e, c, alen, h, o4, o6, pt, name, owner, media, bogus = f
    if bogus:
        print("error auth-length")
        continue
    b = lambda x: str(int(x in ("1", "True")))
    print(v, b(a), b(r), b(t), b(e), b(c), alen or "0", h, o4 or o6, pt, name, owner,
          media, sep="|")
PY
# Ours with what tshark cannot see blanked: it inflates no C=1 payload (nor
# reads E=1 ones), and it takes a deletion's o= line without a payload
# type for a payload type (RFC 2974 6 allows the type to be left out of SDP
# payloads; a deletion's is its o= line).  tshark does not flag the
# authentication data that runs past the end: that row is compared as ours.
cat >"$tmp/cmp.py" <<'PY'
import sys
theirs = open(sys.argv[2]).read().splitlines()
for i, line in enumerate(open(sys.argv[1]).read().splitlines()):
    f = line.split("|")
    if f[0].startswith("error"):
        print(theirs[i] if i < len(theirs) else "")
        continue
    if f[4] == "1" or f[5] == "1":
        f[9:13] = ["", "", "", ""]
    if f[3] == "1":
        f[9:12] = ["o=" + f[11] + "\\r\\n", "", ""]
    print("|".join(f))
PY
# facts PCAP NAME: $tmp/NAME.ours (ours) and, with tshark, $tmp/NAME.theirs
# and $tmp/NAME.cmp (ours as tshark can see them).
facts() {
	"$MCAST" dump -r "$1" --json >"$tmp/$2.json" 2>"$tmp/err"
	python3 "$tmp/ours.py" "$tmp/$2.json" >"$tmp/$2.ours"
	command -v tshark >/dev/null || return 0
	tshark -r "$1" -Y sap -T fields -E separator='|' -E occurrence=a -E aggregator=, \
	    -e sap.flags.v -e sap.flags.a -e sap.flags.r -e sap.flags.t -e sap.flags.e -e sap.flags.c \
	    -e sap.auth.len -e sap.message_identifier_hash -e sap.originating_source \
	    -e sap.originating_source.ipv6 -e sap.payload_type -e sdp.session_name -e sdp.owner \
	    -e sdp.media -e sap.bogus_authentication_or_pad_length 2>/dev/null |
	    python3 "$tmp/theirs.py" >"$tmp/$2.theirs"
	python3 "$tmp/cmp.py" "$tmp/$2.ours" "$tmp/$2.theirs" >"$tmp/$2.cmp"
}
facts "$tmp/sap.pcap" made
if command -v tshark >/dev/null; then
	expect_eq "tshark decodes the 7 SAP packets" "$(wc -l <"$tmp/made.theirs")" 7
	expect_eq "every field as tshark decodes it" "$(cat "$tmp/made.cmp")" "$(cat "$tmp/made.theirs")"
else
	ok "tshark comparison # SKIP no tshark"
fi
# VLC 3.0.24's announcements (../shared/vectors/sap): the same as tshark.
V=${VECTORS_SAP:-$TOP/../shared/vectors/sap}
[ -f "$V/vlc-3.0.24-announce.pcap" ] || V=$TOP/../../shared/vectors/sap
if [ ! -f "$V/vlc-3.0.24-announce.pcap" ]; then
	ok "VLC's capture # SKIP no vlc-3.0.24-announce.pcap in ../shared/vectors/sap"
elif ! command -v tshark >/dev/null; then
	ok "VLC's capture # SKIP no tshark"
else
	facts "$V/vlc-3.0.24-announce.pcap" vlc
	expect_eq "VLC's capture: 5 announcements, tshark's 5" "$(wc -l <"$tmp/vlc.ours") $(wc -l <"$tmp/vlc.theirs")" "5 5"
	expect_eq "VLC's capture: every field as tshark decodes it" "$(cat "$tmp/vlc.cmp")" "$(cat "$tmp/vlc.theirs")"
	expect_eq "VLC's capture: its session" "$(head -n 1 "$tmp/vlc.ours")" \
	    "1|0|0|0|0|0|0|0xe1e3|198.18.91.1|application/sdp|AccTestSession|- 17202269303041601630 17202269303041601630 IN IP4 vm|video 5004 RTP/AVP 33"
fi
expect_eq "JSON: the facts" "$(cat "$tmp/made.ours")" \
'1|0|0|0|0|0|0|0x1234|198.18.1.2||Lab radio|lab 4242 3 IN IP4 198.18.1.2|audio 5004 RTP/AVP 96,video 5006/2 RTP/AVP 33
1|0|0|0|0|0|2|0x2345|198.18.1.2|application/sdp|Lab radio|lab 4242 3 IN IP4 198.18.1.2|audio 5004 RTP/AVP 96,video 5006/2 RTP/AVP 33
1|0|0|0|0|1|0|0x3456|198.18.1.2|application/sdp|Lab radio|lab 4242 3 IN IP4 198.18.1.2|audio 5004 RTP/AVP 96,video 5006/2 RTP/AVP 33
1|0|0|1|0|0|0|0x1234|198.18.1.2|||lab 4242 3 IN IP4 198.18.1.2|
1|1|0|0|0|0|0|0x4567|2001:db8:1::2||Lab radio|lab 4242 3 IN IP4 198.18.1.2|audio 5004 RTP/AVP 96,video 5006/2 RTP/AVP 33
1|0|0|0|1|0|0|0x5678|198.18.1.2||||
error auth-length'
finish
