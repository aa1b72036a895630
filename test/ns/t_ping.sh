#!/usr/bin/env bash
# mcast ping / pong: every responder is listed with its replies; ping --icmp
# to the all-hosts group as the HOWTO describes, silent by Linux default.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 3
G=239.5.5.5

bg h2 "$MCAST" pong -i eth0 -d 10 $G:7300 >"$TMP/pong2.txt"
p2=$LAST_PID
bg h3 "$MCAST" pong -i eth0 -c 3 $G:7300 >"$TMP/pong3.txt"
p3=$LAST_PID
wait_for 5 joined h2 $G && wait_for 5 joined h3 $G || not_ok "pongs joined"
nsx h1 "$MCAST" ping -i eth0 -c 3 -I 0.2 -w 0.5 --json $G:7300 >"$TMP/ping.json"; rc=$?
expect_eq "ping exits 0 when someone answered" $rc 0
check "h2 answered 3 of 3" grep -q '"address":"198.18.1.3","name":"[^"]*","replies":3,"expected":3,"loss_percent":0.0' "$TMP/ping.json"
check "h3 answered 3 of 3" grep -q '"address":"198.18.1.4","name":"[^"]*","replies":3,"expected":3' "$TMP/ping.json"
expect_eq "exactly two responders" "$(grep -o '"address"' "$TMP/ping.json" | wc -l)" 2
wait $p3; expect_eq "pong -c 3 exits 0 after three answers" $? 0
check "pong printed what it answered" grep -q "^answered 198.18.1.2:[0-9]* seq=2" "$TMP/pong3.txt"
nsx h1 "$MCAST" ping -i eth0 -c 2 -I 0.2 -w 0.3 $G:7300 >"$TMP/ping.txt"
check "text ping lists h2 with its rtt" grep -qE '^198.18.1.3 \(.*\): 2/2 replies, 0.0% loss, rtt min/avg/max = [0-9.]+/[0-9.]+/[0-9.]+ ms' "$TMP/ping.txt"

# A probe with the 40-byte header (the stream's start, include/mcast/dgram.h):
# the reply is still a 32-byte header and the host name after it.
reply=$(nsx h1 python3 - $G <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('198.18.1.2', 0))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('198.18.1.2'))
s.settimeout(3)
now = time.time_ns()
s.sendto(struct.pack('!IBBHIIQQQ', 0x4d435354, 1, 1, 40, 0x1234abcd, 0, 7, now, now), (sys.argv[1], 7300))
try:
    b, a = s.recvfrom(2048)
    print(a[0], struct.unpack('!H', b[6:8])[0], b[32:].decode() == socket.gethostname())
except socket.timeout:
    print('no reply')
PY
)
expect_eq "a 40-byte probe: h2 replies with a 32-byte header, its name after it" "$reply" "198.18.1.3 32 True"

# Nobody listens on another group: exit 1.
nsx h1 "$MCAST" ping -i eth0 -c 1 -w 0.3 239.5.5.6:7300 >/dev/null; rc=$?
expect_eq "ping exits 1 when nobody answered" $rc 1

# ICMP echo to 224.0.0.1: Linux ignores it by default ...
nsx h1 "$MCAST" ping --icmp -i eth0 -c 2 -w 0.5 224.0.0.1 >"$TMP/icmp.txt" 2>"$TMP/icmp.err"; rc=$?
expect_eq "ping --icmp with default sysctls: nobody, exit 1" $rc 1
check "the silence is explained" grep -q "net.ipv4.icmp_echo_ignore_broadcasts=0" "$TMP/icmp.err"
# ... and answers once hosts allow it.
nsx h2 sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
nsx h3 sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
nsx h1 "$MCAST" ping --icmp -i eth0 -c 2 -w 0.5 --json 224.0.0.1 >"$TMP/icmp.json"; rc=$?
expect_eq "ping --icmp 224.0.0.1 answered, exit 0" $rc 0
check "h2 answered the all-hosts ping" grep -q '"address":"198.18.1.3","name":null,"replies":2' "$TMP/icmp.json"
check "h3 answered the all-hosts ping" grep -q '"address":"198.18.1.4","name":null,"replies":2' "$TMP/icmp.json"
expect_eq "exactly two hosts answered" "$(grep -o '"address"' "$TMP/icmp.json" | wc -l)" 2
# IPv6: all-nodes answers by default.
nsx h1 "$MCAST" ping --icmp -i eth0 -c 1 -w 0.5 --json ff02::1 >"$TMP/icmp6.json"; rc=$?
expect_eq "ping --icmp ff02::1 answered" $rc 0
check "at least h2 and h3 answered ff02::1" test "$(grep -o '"address":"fe80::' "$TMP/icmp6.json" | wc -l)" -ge 2
finish
