#!/usr/bin/env bash
# mcast file send --announce and recv --session: h1 sends a file and a
# directory with --announce=NAME; h2 and h3 `file recv --session NAME`
# (h3 through a running sap listen --cache) find the session on the SAP
# group (h2 ignoring an unannounced sender on the same group and port), take its group, port, TTL and interface, and end byte-identical
# to the source by sha256sum.  h4's sap listen --json hears the SDP (the
# group/TTL, m=application PORT udp mcast-file, the file count and bytes,
# no key) and then its deletion when the transfer ends; sap listen's lines
# and mcast dump show the medium as "application udp mcast-file".  A sealed session
# (--key) says so (a=mcast-file-sealed) and a receiver without --key is
# told to give one; a session name nobody announces ends with exit 1 and a
# list of what was heard; a session that is no mcast file session (an RTP
# one, sap announce) is refused saying what it is; usage errors.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 4
G=239.255.14.1
H1=198.18.1.2

mkdir -p "$TMP/src/tree/sub" "$TMP/out2" "$TMP/out3" "$TMP/cache"
head -c 1500000 /dev/urandom >"$TMP/src/big.bin"
head -c 4321 /dev/urandom >"$TMP/src/tree/sub/small"
printf 'hello\n' >"$TMP/src/tree/hello.txt"
BYTES=$((1500000 + 4321 + 6))

# h4 hears every announcement and deletion (sap listen --json, its lines,
# mcast dump); h3's sap listen keeps a cache.
bg h4 sh -c "exec \"$MCAST\" sap listen -i eth0 --json >\"$TMP/listen.json\" 2>\"$TMP/listen.err\""
bg h3 sh -c "exec \"$MCAST\" sap listen -i eth0 --cache \"$TMP/cache\" >/dev/null 2>&1"
bg h4 sh -c "exec \"$MCAST\" sap listen -i eth0 >\"$TMP/listen.txt\" 2>/dev/null"
bg h4 sh -c "exec \"$MCAST\" dump -i eth0 udp port 9875 >\"$TMP/dump.txt\" 2>\"$TMP/dump.err\""
dump=$LAST_PID
wait_for 5 joined h4 239.255.255.255 || not_ok "h4 joined the SAP group"
wait_for 5 eval "nsx h4 ls -l /proc/$dump/fd 2>/dev/null | grep -q socket" ||
    not_ok "h4's mcast dump started"
wait_for 5 joined h3 239.255.255.255 || not_ok "h3 joined the SAP group"

# The receivers listen first: the next announcement is minutes away.
bg h2 sh -c "exec \"$MCAST\" file recv --session 'Lab files' -o \"$TMP/out2\" --sap-wait 10 --timeout 10 --json >\"$TMP/r2.json\" 2>\"$TMP/r2.err\""
r2=$LAST_PID
wait_for 5 joined h2 239.255.255.255 || not_ok "h2 joined the SAP group"
# A decoy on the same GROUP:PORT, unannounced, already sending: h2 takes
# the announced transfer's session only (o='s id), not the first it hears.
head -c 300000 /dev/urandom >"$TMP/decoy.bin"
bg h3 "$MCAST" file send -i eth0 -t 3 -r 5M --carousel -q "$TMP/decoy.bin" $G:5030
decoy=$LAST_PID
nsx h1 "$MCAST" file send -i eth0 -t 3 -r 20M --announce='Lab files' --json \
    "$TMP/src/big.bin" "$TMP/src/tree" $G:5030 >"$TMP/s.json" 2>"$TMP/s.err"
expect_eq "file send --announce exits 0" $? 0
wait $r2
expect_eq "h2: file recv --session exits 0" $? 0
kill $decoy; wait $decoy 2>/dev/null
expect_eq "h2 took nothing of the decoy's session" "$(ls "$TMP/out2")" "big.bin
tree"
check "and counted its packets as another session's" \
    test "$(json_field "$TMP/r2.json" other_session)" -gt 0
for f in big.bin tree/sub/small tree/hello.txt; do
	expect_eq "h2: $f equals the source (sha256sum)" \
	    "$(sha256sum <"$TMP/out2/$f" 2>&1)" "$(sha256sum <"$TMP/src/$f")"
done
check "h2 found the session's group, port, TTL and interface" \
    grep -q "^mcast: session \"Lab files\" (o=- [0-9]* IN IP4 $H1, SAP hash [0-9]*): $G:5030 on eth0, TTL 3, 3 files, 1.5 MB\$" "$TMP/r2.err"
expect_eq "h2 got 3 files" "$(json_field "$TMP/r2.json" files)" 3

# What h4 heard: the SDP, then the deletion.
wait_for 3 grep -q '"event":"deleted"' "$TMP/listen.json" ||
    not_ok "h4 heard the deletion"
new=$(grep '"event":"new"' "$TMP/listen.json" | head -n 1)
check "h4 heard \"Lab files\"" grep -q '"name":"Lab files"' <<<"$new"
check "its medium: application $G/3 port 5030 udp mcast-file" \
    grep -q "\"media\":\\[{\"media\":\"application\",\"group\":\"$G\",\"ttl\":3,\"addresses\":1,\"port\":5030,\"ports\":1,\"proto\":\"udp\",\"formats\":\\[\"mcast-file\"\\]" <<<"$new" ||
    echo "# $new"
check "its tool is mcast file" grep -q '"tool":"mcast file"' <<<"$new"
check "its origin is h1" grep -q "\"address\":\"$H1\"" <<<"$new"
check "h4 heard the deletion of \"Lab files\"" \
    grep -q '"event":"deleted","name":"Lab files"' "$TMP/listen.json"
check "sap listen's line shows the medium: $G:5030 application udp mcast-file" \
    grep -q "^new      \"Lab files\" $G:5030 application udp mcast-file (o=- [0-9]* IN IP4 $H1 v[0-9]*, source $H1, announcer $H1)\$" "$TMP/listen.txt"
check "mcast dump shows it: m=application 5030 udp mcast-file c=$G/3" \
    grep -q "s=Lab files o=- [0-9]* [0-9]* IN IP4 $H1; m=application 5030 udp mcast-file c=$G/3" "$TMP/dump.txt"
check "and the deletion" grep -q "sap v1 deletion" "$TMP/dump.txt"
# The SDP itself, as the cache holds it.
sdp=$(cat "$TMP"/cache/*.sdp 2>/dev/null)
check "the cache is empty after the deletion" test -z "$sdp"

# A sealed session: the SDP says so, never the key; the deletion empties
# the cache.  h3 reads the cache while it is announced.
printf 'open sesame\n' >"$TMP/key"
bg h1 sh -c "exec \"$MCAST\" file send -i eth0 -r 2M --carousel --key \"$TMP/key\" --announce -q \"$TMP/src/tree\" $G:5031 >/dev/null 2>\"$TMP/s2.err\""
s2=$LAST_PID
wait_for 5 sh -c "cat \"$TMP\"/cache/*.sdp 2>/dev/null | grep -q '^s=tree'" ||
    not_ok "h3's cache holds the session \"tree\" (the PATH's name)"
sdp=$(cat "$TMP"/cache/*.sdp 2>/dev/null | tr -d '\r')
check "its SDP: c=IN IP4 $G/1" grep -qx "c=IN IP4 $G/1" <<<"$sdp"
check "m=application 5031 udp mcast-file" grep -qx "m=application 5031 udp mcast-file" <<<"$sdp"
check "a=mcast-file-files:2" grep -qx "a=mcast-file-files:2" <<<"$sdp"
check "a=mcast-file-bytes:4327" grep -qx "a=mcast-file-bytes:4327" <<<"$sdp"
check "a=mcast-file-sealed" grep -qx "a=mcast-file-sealed" <<<"$sdp"
check "and not the key" test -z "$(grep sesame <<<"$sdp")"
nsx h3 "$MCAST" file recv --session tree --sap-cache "$TMP/cache" -o "$TMP/out3" \
    >/dev/null 2>"$TMP/r3.err"
expect_eq "recv --session of a sealed session without --key: exit 2" $? 2
check "and says to give --key" grep -q '^mcast: --session tree: "tree" (.*) is sealed with a key (a=mcast-file-sealed): give --key FILE$' "$TMP/r3.err"
nsx h3 "$MCAST" file recv --session tree --sap-cache "$TMP/cache" -o "$TMP/out3" \
    --key "$TMP/key" --timeout 5 --json >"$TMP/r3.json" 2>"$TMP/r3.err"
expect_eq "with --key and the cache, h3 receives it (exit 0)" $? 0
expect_eq "h3: tree/sub/small equals the source" \
    "$(sha256sum <"$TMP/out3/tree/sub/small" 2>&1)" "$(sha256sum <"$TMP/src/tree/sub/small")"
kill -TERM "$s2"
wait "$s2"
wait_for 3 sh -c "! ls \"$TMP\"/cache/*.sdp >/dev/null 2>&1" ||
    not_ok "the deletion sent on SIGTERM emptied h3's cache"

# IPv6: the SDP has no c= TTL; the announcements go with the file's hop
# limit on ff05::2:7ffe (the site scope of ff15::).
mkdir -p "$TMP/out6"
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 --session six --sap-scope ipv6 --sap-wait 10 -o \"$TMP/out6\" --timeout 10 >/dev/null 2>\"$TMP/r6.err\""
r6=$LAST_PID
wait_for 5 joined h2 ff05::2:7ffe || not_ok "h2 joined ff05::2:7ffe"
nsx h1 "$MCAST" file send -i eth0 -r 20M --announce=six -q "$TMP/src/tree" \
    '[ff15::14:1]:5032' 2>"$TMP/s6.err"
expect_eq "IPv6: file send --announce exits 0" $? 0
wait $r6
expect_eq "IPv6: file recv --session exits 0" $? 0
check "IPv6: the session's group and hop limit" \
    grep -q "^mcast: session \"six\" (o=- [0-9]* IN IP6 2001:db8:1::2, SAP hash [0-9]*): \[ff15::14:1\]:5032 on eth0, TTL 1, 2 files, 4.3 kB\$" "$TMP/r6.err"
expect_eq "IPv6: tree/sub/small equals the source" \
    "$(sha256sum <"$TMP/out6/tree/sub/small" 2>&1)" "$(sha256sum <"$TMP/src/tree/sub/small")"

# A name nobody announces: exit 1 after --sap-wait, what was heard listed.
cat >"$TMP/rtp.sdp" <<SDP
v=0
o=lab 7101 1 IN IP4 $H1
s=Lab tone
c=IN IP4 239.255.14.9/1
t=0 0
m=audio 5004 RTP/AVP 97
a=rtpmap:97 L16/16000/1
SDP
bg h1 "$MCAST" sap announce -i eth0 -q "$TMP/rtp.sdp"
wait_for 3 grep -q '"name":"Lab tone"' "$TMP/listen.json" ||
    not_ok "h4 heard \"Lab tone\""
nsx h2 "$MCAST" file recv --session 'No such' --sap-wait 1 -o "$TMP/out2" \
    >/dev/null 2>"$TMP/none.err"
expect_eq "a session not heard: exit 1" $? 1
check "it says so" grep -q '^mcast: --session No such: not heard in 1 s on 224.2.127.254, 239.255.255.255, 239.195.255.255: expected a session of that name' "$TMP/none.err"
# (sap announce's next announcement is minutes away: h2 heard nothing.)

# Not an mcast file session (h3's cache has it): refused, saying what it is.
nsx h2 "$MCAST" file recv --session 'Lab tone' --sap-cache "$TMP/cache" \
    -o "$TMP/out2" >/dev/null 2>"$TMP/rtp.err"
expect_eq "an RTP session: exit 2" $? 2
check "it says what the session is" grep -q '^mcast: --session Lab tone: "Lab tone" (.*) is not an mcast file session: its media are 239.255.14.9:5004 audio RTP/AVP 97: expected m=application PORT udp mcast-file (try mcast recv --session)$' "$TMP/rtp.err"

# Usage errors.
expect_usage "file recv: --session and GROUP:PORT" "mcast: --session x and $G:5030: expected one of them" \
    file recv --session x $G:5030
expect_usage "file recv: --sap-wait without --session" "mcast: --sap-wait without --session: expected it with --session NAME" \
    file recv --sap-wait 1 $G:5030
expect_usage "file send: --announce= empty" "mcast: --announce=: an empty name: expected the session's name (s=)" \
    file send --announce= "$TMP/src/big.bin" $G:5030
expect_usage "file send: --announce on a group without a SAP group" "mcast: --announce with 239.1.2.3: this administrative scope has no SAP group (RFC 2974 3): expected a group in 239.255.0.0/16 or 239.192.0.0/14, a global group or an IPv6 group" \
    file send -i eth0 --announce "$TMP/src/big.bin" 239.1.2.3:5030
finish
