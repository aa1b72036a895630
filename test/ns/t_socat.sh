#!/usr/bin/env bash
# Interop with socat both ways: socat sends, `mcast recv --raw` writes the
# exact bytes; `mcast send --stdin` sends, socat receives the exact lines.
. "$(dirname "$0")/lib.sh"
require_lab
command -v socat >/dev/null || { not_ok "socat missing (scripts/deps.sh installs it)"; exit 1; }
lan_lab 2
G=239.1.2.3

# socat -> mcast recv --raw: 1000 random bytes in one datagram.
head -c 1000 /dev/urandom >"$TMP/blob"
bg h2 "$MCAST" recv -i eth0 --raw -c 1 -d 5 $G:7100 >"$TMP/got" 2>"$TMP/recv.err"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "recv joined"
nsx h1 socat -u "OPEN:$TMP/blob" "UDP4-DATAGRAM:$G:7100,ip-multicast-if=198.18.1.2"
wait $r; rc=$?
expect_eq "recv --raw exits 0 after the datagram" $rc 0
expect_eq "recv --raw wrote socat's bytes exactly" "$(sha256sum <"$TMP/got" | cut -c1-64)" "$(sha256sum <"$TMP/blob" | cut -c1-64)"
check "the report on stderr names a foreign sender" grep -q "(no mcast header)" "$TMP/recv.err"

# mcast send --stdin -> socat: three lines, three datagrams.
bg h2 timeout 4 socat -u "UDP4-RECV:7101,reuseaddr,ip-add-membership=$G:eth0" "OPEN:$TMP/socat.out,creat,trunc"
r=$LAST_PID
wait_for 5 joined h2 $G || not_ok "socat joined"
printf 'one\ntwo\nthree\n' | nsx h1 "$MCAST" send -i eth0 --stdin $G:7101 2>"$TMP/send.err"
wait $r
expect_eq "socat received the lines exactly" "$(cat "$TMP/socat.out")" "$(printf 'one\ntwo\nthree')"
check "send --stdin counted 3 datagrams" grep -q "^sent 3 datagrams (14 bytes)" "$TMP/send.err"
finish
