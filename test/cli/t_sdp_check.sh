#!/usr/bin/env bash
# mcast sdp check: RFC 8866's example (unicast: refused unless --unicast),
# a description with errors named by line and field, exit statuses 0/1/2;
# mcast sap announce refuses a description with errors or scopes that
# disagree before sending anything; usage errors of sdp and sap.
. "$(dirname "$0")/lib.sh"

printf 'v=0\r\no=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\ns=Call to John Smith\r\ni=SDP Offer #1\r\nu=http://www.jdoe.example.com/home.html\r\ne=Jane Doe <jane@jdoe.example.com>\r\np=+1 617 555-6011\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\nm=audio 49180 RTP/AVP 0\r\nm=video 51372 RTP/AVP 99\r\nc=IN IP6 2001:db8::2\r\na=rtpmap:99 h263-1998/90000\r\n' >"$tmp/rfc.sdp"
cat >"$tmp/radio.sdp" <<SDP
v=0
o=- 1 1 IN IP4 198.18.1.2
s=Lab radio
c=IN IP4 239.255.10.1/1
t=0 0
m=audio 5004 RTP/AVP 96
a=rtpmap:96 L24/48000/2
a=source-filter: incl IN IP4 239.255.10.1 198.18.1.2
SDP
cat >"$tmp/bad.sdp" <<SDP
v=0
o=- 1 1 IN IP4 198.18.1.2
s=Bad
s=Again
c=IN IP4 239.255.10.1
t=0 0
m=audio 70000 RTP/AVP 96
SDP

cd "$tmp" || exit 1
out=$("$MCAST" sdp check --unicast rfc.sdp); st=$?
expect_eq "RFC 8866's example with --unicast: exit 0" $st 0
expect_eq "RFC 8866's example: summary" "$out" 'rfc.sdp: ok: "Call to John Smith", 3 media: 198.51.100.1:49170 audio RTP/AVP 0, 198.51.100.1:49180 audio RTP/AVP 0, [2001:db8::2]:51372 video RTP/AVP 99'
out=$("$MCAST" sdp check rfc.sdp); st=$?
expect_eq "RFC 8866's example for multicast: exit 1" $st 1
expect_eq "RFC 8866's example for multicast: both c= named" "$out" "rfc.sdp:8: c=: 198.51.100.1 is not a multicast address: expected 224.0.0.0/4 or ff00::/8
rfc.sdp:13: c=: 2001:db8::2 is not a multicast address: expected 224.0.0.0/4 or ff00::/8
rfc.sdp: 2 errors"
out=$("$MCAST" sdp check --announce radio.sdp); st=$?
expect_eq "a multicast session: exit 0" $st 0
expect_eq "its summary names group, port and source" "$out" 'radio.sdp: ok: "Lab radio", 1 medium: 239.255.10.1:5004 audio RTP/AVP 96 from 198.18.1.2'
out=$("$MCAST" sdp check -q radio.sdp bad.sdp); st=$?
expect_eq "one good, one bad: exit 1" $st 1
expect_eq "errors by line and field" "$out" 'bad.sdp:4: s=: s= given again (first on line 3): expected it once
bad.sdp:5: c=: 239.255.10.1: IPv4 multicast needs a TTL: expected 239.255.10.1/TTL with TTL 0-255 (RFC 8866 5.7)
bad.sdp:7: m=: port "70000": expected 0-65535
bad.sdp: 3 errors'

"$MCAST" sap announce bad.sdp >out 2>err; st=$?
expect_eq "announce refuses a bad description: exit 1" $st 1
expect_eq "and says so last" "$(tail -n 1 err)" "mcast: bad.sdp: 3 errors: not announced"
"$MCAST" sap announce --sap-group 224.2.127.254 radio.sdp >out 2>err; st=$?
expect_eq "announce refuses a scope mismatch: exit 1" $st 1
expect_eq "naming the group it should use" "$(head -n 1 err)" "radio.sdp:4: c=: 239.255.10.1 is announced on 224.2.127.254: expected 239.255.255.255, the SAP group of its scope (RFC 2974 3)"
"$MCAST" sap announce -t 5 radio.sdp >out 2>err; st=$?
expect_eq "announce refuses a TTL past the session's: exit 1" $st 1
expect_eq "naming both TTLs" "$(head -n 1 err)" "radio.sdp:4: c=: announcement TTL 5 exceeds the TTL 1 of 239.255.10.1: expected at most 1, so the announcement goes no further than the session (RFC 2974 3)"

expect_usage "sdp without a command" "mcast: sdp needs a command: expected 'check'" sdp
expect_usage "sdp check without a file" "mcast: sdp check needs at least one FILE" sdp check
expect_usage "sdp check of a missing file" "mcast: cannot read nofile.sdp: No such file or directory" sdp check nofile.sdp
expect_usage "sap without a command" "mcast: sap needs a command: expected 'listen' or 'announce'" sap
expect_usage "sap listen with an unknown scope" "mcast: scope 'site': expected global, admin, ipv6 or all" sap listen --scope site
expect_usage "sap listen with an operand" "mcast: sap listen takes no operand, not 'x': expected options only" sap listen x
expect_usage "sap announce without a file" "mcast: sap announce needs at least one FILE.sdp" sap announce
expect_usage "sap announce with an interval and a profile" "mcast: --interval 5 and --profile aes67: expected one of them" sap announce --interval 5 --profile aes67 radio.sdp
expect_usage "sap announce with a bad profile" "mcast: profile 'smpte': expected rfc or aes67" sap announce --profile smpte radio.sdp
finish
