#!/usr/bin/env bash
# IPv6 across a veth pair: link-scope and site-scope groups, an MLDv2
# source-specific join, and the memberships seen in /proc/net/igmp6.
. "$(dirname "$0")/lib.sh"
require_lab
new_ns a
new_ns b
p2p_link a eth0 2001:db8:7::1/64 b eth0 2001:db8:7::2/64

bg b "$MCAST" recv -i eth0 -c 200 -d 8 --json '[ff02::4242]:7200' '[ff05::4242]:7201' >"$TMP/v6.json"
r=$LAST_PID
wait_for 5 eval "nsx b grep -q ff050000000000000000000000004242 /proc/net/igmp6" || not_ok "joined ff05::4242"
check "/proc/net/igmp6 lists ff02::4242 on eth0" eval "nsx b grep -qE '^[0-9]+ +eth0 +ff020000000000000000000000004242' /proc/net/igmp6"
nsx b "$MCAST" groups --json >"$TMP/groups.json"
check "groups --json lists ff05::4242" grep -q '"group":"ff05::4242"' "$TMP/groups.json"
nsx a "$MCAST" send -i eth0 -c 100 -r 2000 -q '[ff02::4242]:7200'
nsx a "$MCAST" send -i eth0 -t 5 -c 100 -r 2000 -q '[ff05::4242]:7201'
wait $r; rc=$?
expect_eq "recv got 200 over IPv6 and exits 0" "$rc:$(json_field "$TMP/v6.json" received)" "0:200"
ll=$(nsx a ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
check "the link-local group's stream came from a's link-local $ll" grep -q "\"group\":\"\[ff02::4242\]:7200\",\"sender\":\"\[$ll\]:" "$TMP/v6.json"
check "the site-local group's stream too" grep -q '"group":"\[ff05::4242\]:7201","sender":"\[2001:db8:7::1\]:' "$TMP/v6.json"
check "b left ff05::4242 after recv exited" wait_for 3 eval "! nsx b grep -q ff050000000000000000000000004242 /proc/net/igmp6"

# IPV6_MULTICAST_ALL off: a socket bound to :: (a link-scope group without
# -i) receives only the group it joined, not another the host joined.
bg b "$MCAST" join -i eth0 -q ff02::4244
j=$LAST_PID
bg b "$MCAST" recv -d 2 --json '[ff02::4243]:7203' >"$TMP/only.json"
r=$LAST_PID
wait_for 5 eval "nsx b grep -q ff020000000000000000000000004243 /proc/net/igmp6" || not_ok "joined ff02::4243"
wait_for 5 eval "nsx b grep -q ff020000000000000000000000004244 /proc/net/igmp6" || not_ok "joined ff02::4244"
nsx a "$MCAST" send -i eth0 -c 30 -q '[ff02::4244]:7203'
nsx a "$MCAST" send -i eth0 -c 20 -q '[ff02::4243]:7203'
wait $r
kill $j; wait $j 2>/dev/null
expect_eq "a socket gets only its own group's 20, not the 30 to another joined group" "$(json_field "$TMP/only.json" received)" 20

# SSM over MLDv2: only the chosen source.
nsx a ip addr add 2001:db8:7::11/64 dev eth0 nodad
bg b "$MCAST" recv -i eth0 -S 2001:db8:7::11 -d 3 --json '[ff3e::4242]:7202' >"$TMP/ssm6.json"
r=$LAST_PID
wait_for 5 eval "nsx b grep -q ff3e0000000000000000000000004242 /proc/net/igmp6" || not_ok "joined ff3e::4242"
check "/proc/net/mcfilter6 includes the source" eval "nsx b grep -q 'ff3e0000000000000000000000004242 20010db8000700000000000000000011 *1 *0' /proc/net/mcfilter6"
# 50 datagrams from ::1, then 7 from ::11; only the latter may arrive.
nsx a python3 -c "
import socket,struct
for src,n in (('2001:db8:7::1',50),('2001:db8:7::11',7)):
    s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM)
    s.bind((src,0))
    s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_MULTICAST_IF,struct.pack('i',socket.if_nametoindex('eth0')))
    s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_MULTICAST_HOPS,5)
    for i in range(n): s.sendto(b'x'*40,('ff3e::4242',7202))
"
wait $r
expect_eq "SSM over IPv6 delivered only the 7 from ::11" "$(json_field "$TMP/ssm6.json" received)" 7
check "and nothing from ::1" eval "! grep -q '2001:db8:7::1\]' $TMP/ssm6.json"
# A link-scope group without -i: the kernel needs to be told the link, and
# the error says so as the IPv4 one does (not a bare "Invalid argument").
# c has only lo: no route either, for any group.
expect_fail() { # NAME "expected stderr" HOST ARGS...: exit 1, that line
	local name=$1 want=$2 host=$3 st; shift 3
	nsx "$host" "$MCAST" "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ "$st" = 1 ] && [ "$(cat "$TMP/err")" = "$want" ]; then ok "$name"; else
		not_ok "$name: status $st, stderr: $(head -c 300 "$TMP/err")"; fi
}
expect_fail "send to ff02:: without -i names the missing link" \
    "mcast: cannot send to [ff02::4242]:7200: Invalid argument: a link-local group (ff02::/16) is on every link; give -i IF to say which" \
    a send -c 1 '[ff02::4242]:7200'
expect_fail "send to ff01:: without -i names the missing interface" \
    "mcast: cannot send to [ff01::4242]:7200: Invalid argument: an interface-local group (ff01::/16) never leaves the host; give -i IF to say which interface" \
    a send -c 1 '[ff01::4242]:7200'
new_ns c
expect_fail "recv of ff02:: without -i or a route" \
    "mcast: cannot join [ff02::4242]:7200: No such device: a link-local group (ff02::/16) is on every link; give -i IF to say which" \
    c recv -d 1 '[ff02::4242]:7200'
expect_fail "join of ff02:: without -i or a route" \
    "mcast: cannot join ff02::4242: No such device: a link-local group (ff02::/16) is on every link; give -i IF to say which" \
    c join -d 1 ff02::4242
expect_fail "join of ff05:: without a route gives the IPv6 route" \
    "mcast: cannot join ff05::4242: No such device: give -i IF, or add a multicast route (ip -6 route add multicast ff00::/8 dev IF table local)" \
    c join -d 1 ff05::4242
expect_fail "join of an IPv4 group without a route, as before" \
    "mcast: cannot join 239.1.2.3: No such device: give -i IF, or add a multicast route (ip route add 224.0.0.0/4 dev IF)" \
    c join -d 1 239.1.2.3
finish
