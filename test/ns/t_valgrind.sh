#!/usr/bin/env bash
# valgrind (memcheck) over mcastd and every mcast subcommand: no error,
# nothing definitely or indirectly lost.
#
# 1. mcastd through a whole life: start (it drops to CAP_NET_ADMIN and
#    CAP_NET_RAW with libcap-ng after set-up), serve (IGMP joins, emulated
#    hosts leaving, a stream forwarded), every mcastctl request (show, add
#    and del mroute, join and leave, log, bad requests), reloads (changed,
#    unchanged, refused, by SIGHUP), interfaces added, re-addressed, taken
#    down and deleted, then SIGTERM: exit status 0.  Also a start refused
#    (its pid file cannot be written).
# 2. mcast addr, send, recv, join, groups, ping, pong, ping --icmp, dump
#    (live with -w, then -r on that capture and on the shared vectors),
#    igmp emulate, and usage errors: short runs, each under valgrind.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 --LAN2-- ha 198.18.2.2, hb 198.18.2.3
#                                          eth2 --LAN3-- (no members)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v valgrind >/dev/null || skip_all "valgrind is not installed (scripts/deps.sh installs it)"
for b in "$MCAST" "$MCASTD"; do
	asan_build "$b" && skip_all "$b is built with AddressSanitizer, which valgrind cannot run"
done
VG=(valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99
    --track-fds=no --num-callers=20)
G=239.1.30.1 S=198.18.1.2

# vg_verdict LOG: "E errors, D definitely and I indirectly lost" from a
# valgrind log; status 0 when all three are 0.
vg_verdict() {
	awk '
	    /ERROR SUMMARY:/ { e = $4 }
	    /definitely lost:/ { gsub(",", "", $4); d = $4 }
	    /indirectly lost:/ { gsub(",", "", $4); i = $4 }
	    END {
		if (e == "") { print "no valgrind summary"; exit 1 }
		printf "%d errors, %d bytes definitely and %d indirectly lost\n", e, d, i
		exit !(e == 0 && d + 0 == 0 && i + 0 == 0) }' "$1"
}
# vg_check NAME WANT_RC RC: the TAP line for one program run under valgrind
# (log $TMP/vg-NAME.log); WANT_RC "any" takes any status but valgrind's 99.
vg_check() {
	local v
	v=$(vg_verdict "$TMP/vg-$1.log")
	if [ $? = 0 ] && { [ "$2" = any -a "$3" != 99 ] || [ "$3" = "$2" ]; }; then
		ok "valgrind: $1: exit $3, $v"
	else
		not_ok "valgrind: $1: exit $3 (expected $2), $v"
		grep -E '^==[0-9]+== +(at|by|Invalid|Conditional|Syscall|Use of|[0-9,]+ bytes)' \
		    "$TMP/vg-$1.log" | head -n 12 | sed 's/^/#   /'
	fi
}
# vg NAME WANT_RC HOST CMD...: CMD under valgrind in HOST's namespace.
vg() {
	local name=$1 want=$2 host=$3 rc; shift 3
	nsx "$host" "${VG[@]}" --log-file="$TMP/vg-$name.log" "$@" >"$TMP/out-$name.txt" 2>&1
	rc=$?
	vg_check "$name" "$want" $rc
}

# ---- 1. mcastd -------------------------------------------------------------
routed_lab hs ha,hb -
base_conf() {
	cat <<CONF
igmp {
	query-interval 2s
	query-response-interval 1s
	last-member-query-interval 200ms
	robustness 2
}
limits { groups 100 }
mfc { idle-timeout 5s }
phyint eth2 static-group 239.1.30.7
mroute from eth0 source $S group 239.1.30.6 to eth2
CONF
}
base_conf >"$TMP/mcastd.conf"

# A refused start first: the pid file's directory does not exist.
nsx r "${VG[@]}" --log-file="$TMP/vg-mcastd-refused.log" "$MCASTD" -n -f "$TMP/mcastd.conf" \
    -u "$TMP/refused.sock" -p "$TMP/no/such/dir/mcastd.pid" 2>"$TMP/refused.err"
vg_check mcastd-refused 1 $?

MCASTD_WRAPPER="${VG[*]} --log-file=$TMP/vg-mcastd.log" MCASTD_START_S=30 \
    start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started under valgrind"; exit 1; }
VG_PID=$MCASTD_PID
check "mcastd under valgrind dropped its capabilities as usual" \
    eval "grep -q '^CapEff:.*0000000000003000$' /proc/$VG_PID/status"

# Serve: a member on LAN2, a stream forwarded to it.
bg ha "$MCAST" recv -i eth0 -c 300 -d 20 --json $G:5000 >"$TMP/ha.json"
rpid=$LAST_PID
wait_for 10 has_group r eth1 $G || echo "# the router did not list $G on eth1"
bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -d 6 -q $G:5000
spid=$LAST_PID
wait $rpid
expect_eq "mcastd under valgrind forwards: ha got 300" "$(json_field "$TMP/ha.json" received)" 300
# Emulated hosts joining and leaving: group-specific queries, expiry.
nsx hb "$MCAST" igmp emulate -i eth0 --hosts 3 --groups 239.1.31.1/4 --leave-after 1.5 -q >/dev/null 2>&1
nsx hb "$MCAST" igmp emulate -i eth0 --hosts 2 --groups 232.1.31.1/2 --source $S --leave-after 1 -q >/dev/null 2>&1

# Every request mcastctl can make, good and bad.
reqs_failed=""
for req in "show interfaces" "show groups" "show routes" "show mfc" "show stats" "show status" \
    "-j show interfaces" "-j show groups" "-j show mfc" "-j show stats" "log debug" \
    "add mroute from eth0 group 239.1.30.9 to eth1 eth2" "show routes" \
    "add mroute from eth0 source $S group 239.1.30.9 to eth2" "-j show routes" \
    "del mroute from eth0 group 239.1.30.9" "del mroute from eth0 source $S group 239.1.30.9" \
    "join eth2 239.1.30.8" "join eth2 232.1.30.8 source $S" "-j show groups" \
    "leave eth2 239.1.30.8" "leave eth2 232.1.30.8 source $S" "log notice" \
    "join eth9 239.1.30.8" "add mroute from eth9 group 239.1.30.9 to eth1" \
    "leave eth9 239.1.30.8" "del mroute from eth9 group 239.1.30.9"; do
	# shellcheck disable=SC2086
	mctl r $req >/dev/null 2>&1 || reqs_failed="$reqs_failed, $req"
done
expect_eq "mcastctl: every request answered" "${reqs_failed#, }" ""
bad_answered=0
for req in "del mroute from eth0 group 239.1.30.99" "leave eth2 239.1.30.99" "show nothing" \
    "join eth2 224.0.0.5x" "add mroute from eth0 group 239.1.30.9" "log loud" "frobnicate"; do
	# shellcheck disable=SC2086
	mctl r $req >/dev/null 2>&1 || bad_answered=$((bad_answered + 1))
done
expect_eq "mcastctl: bad requests refused" $bad_answered 7

# Reloads: changed (threshold: a VIF re-added; boundary; IGMP setting),
# unchanged, refused (a bad file), by SIGHUP.
{ base_conf; echo "phyint eth1 threshold 4 boundary 239.255.0.0/16"; } | sed 's/robustness 2/robustness 3/' >"$TMP/mcastd.conf"
expect_eq "reload with changes" "$(mctl r reload 2>&1)" "configuration reloaded from $TMP/mcastd.conf"
expect_eq "reload unchanged" "$(mctl r reload 2>&1)" "configuration unchanged"
echo "phyint eth1 threshold 300" >>"$TMP/mcastd.conf"
check "reload of a bad file refused" eval "mctl r reload 2>&1 | grep -q 'reload refused'"
base_conf >"$TMP/mcastd.conf"
kill -HUP $VG_PID
check "SIGHUP reload" wait_for 10 eval \
    '[ "$(mctl r show stats | awk '"'"'$1 == "reloads" { print $2 }'"'"')" = 2 ]'

# Interfaces: one added, given a second address, its first deleted (mcastd
# asks netlink for the rest), down, up, deleted.
nsx r ip link add eth5 type veth peer name eth6
nsx r ip addr add 198.18.5.1/24 dev eth5
nsx r ip link set eth6 up
nsx r ip link set eth5 up
check "a new interface becomes a VIF" wait_for 10 eval \
    '[ "$(mctl r show interfaces | awk '"'"'$1 == "eth5" { print $5 }'"'"')" = routing ]'
nsx r ip addr add 198.18.15.1/24 dev eth5
nsx r ip addr del 198.18.5.1/24 dev eth5
check "its first address deleted, it goes on with the second" wait_for 10 eval \
    '[ "$(mctl r show interfaces | awk '"'"'$1 == "eth5" { print $4 }'"'"')" = 198.18.15.1 ]'
nsx r ip link set eth5 down
sleep 0.5
nsx r ip link set eth5 up
sleep 0.5
nsx r ip link del eth5
check "deleted, it is gone" wait_for 10 eval '! mctl r show interfaces | grep -q "^eth5 "'
# The stream has done its part (ha's 300 checked above): stopped, not
# waited for.
kill $spid 2>/dev/null
wait $spid 2>/dev/null

# A control client connected and silent when the daemon stops: it is
# closed with the socket, after the loop is gone.
bg r python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(30)' "$TMP/r.sock"
idle=$LAST_PID
sleep 0.5
kill -TERM $VG_PID
wait $VG_PID
vg_check mcastd 0 $?
kill $idle 2>/dev/null
expect_eq "mcastd under valgrind left no VIF" "$(kernel_vifs r)" ""
warnings=$(grep -E ' (warning|error):' "$TMP/mcastd-r.log" | grep -v -e rp_filter -e 'reload refused')
expect_eq "mcastd logged no warning (but rp_filter's and the refused reload)" "$warnings" ""

# ---- 2. mcast --------------------------------------------------------------
# ha, hb and hs are plain hosts here (no router: LAN2 is ha and hb).
nsx hb sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
vg addr 0 ha "$MCAST" addr 239.255.255.250 224.0.0.251 232.1.1.1 ff02::1:2
vg addr-json 0 ha "$MCAST" addr --json 239.1.2.3 ff3e::8000:1
bg hb "$MCAST" recv -i eth0 -c 100 -d 10 -q $G:5001
r=$LAST_PID
wait_for 5 joined hb $G
vg send 0 ha "$MCAST" send -i eth0 -r 1000 -c 200 --json $G:5001
vg send-flat 0 ha "$MCAST" send -i eth0 -c 2000 -s 1316 $G:5009
printf 'one\ntwo\n' | nsx ha "${VG[@]}" --log-file="$TMP/vg-send-stdin.log" "$MCAST" send -i eth0 --stdin $G:5009 2>/dev/null
vg_check send-stdin 0 $?
wait $r
bg ha "$MCAST" send -i eth0 -r 1000 -d 6 -q $G:5002
s=$LAST_PID
bg ha "$MCAST" send -i eth0 -t 2 -r 500 -d 6 -q 232.1.30.1:5003
s2=$LAST_PID
vg recv 0 hb "$MCAST" recv -i eth0 -c 300 -d 5 --json --interval 0.5 $G:5002
vg recv-ssm 0 hb "$MCAST" recv -i eth0 -S 198.18.2.2 -c 100 -d 5 232.1.30.1:5003
vg recv-raw 0 hb "$MCAST" recv -i eth0 -c 20 -d 5 --raw $G:5002
vg recv-timeout 1 hb "$MCAST" recv -i eth0 -d 0.5 239.1.30.99:5004
kill $s $s2 2>/dev/null
vg join 0 hb "$MCAST" join -i eth0 -d 0.5 239.1.30.2 239.1.30.3
vg join-ssm 0 hb "$MCAST" join -i eth0 -S 198.18.2.2 -S 198.18.2.9 -d 0.5 232.1.30.2
bg hb "$MCAST" join -i eth0 -S 198.18.2.2 -d 8 -q 232.1.30.4
j=$LAST_PID
wait_for 5 joined hb 232.1.30.4
vg groups 0 hb "$MCAST" groups
vg groups-json 0 hb "$MCAST" groups -i eth0 --json
kill $j 2>/dev/null
# pong and ping both under valgrind.
nsx hb "${VG[@]}" --log-file="$TMP/vg-pong.log" "$MCAST" pong -i eth0 -c 3 -d 20 $G:7000 \
    >"$TMP/out-pong.txt" 2>&1 &
pong=$!
BG_PIDS+=($pong)
wait_for 15 joined hb $G
vg ping 0 ha "$MCAST" ping -i eth0 -c 3 -I 200ms -w 1s --json $G:7000
wait $pong
vg_check pong 0 $?
vg ping-icmp 0 ha "$MCAST" ping --icmp -i eth0 -c 2 -I 200ms -w 500ms 224.0.0.1
# dump live, writing a capture: IGMP from hb's kernel joining and leaving
# and from emulated hosts; stopped by SIGINT, as a user stops it (a count
# would wait forever for a packet that went before the capture opened).
nsx ha "${VG[@]}" --log-file="$TMP/vg-dump-live.log" "$MCAST" dump -i eth0 \
    -w "$TMP/igmp.pcap" >"$TMP/out-dump-live.txt" 2>&1 &
dump=$!
BG_PIDS+=($dump)
# The joins go out once the capture is open (its packet socket is listed in
# ha's /proc/net/packet), not after a guess at valgrind's start-up time.
wait_for 60 eval '[ "$(nsx ha cat /proc/net/packet | wc -l)" -gt 1 ]' ||
	not_ok "valgrind: dump-live opened no packet socket within 60 s"
nsx hb "$MCAST" join -i eth0 -d 1 -q 239.1.30.5 232.1.30.5
nsx hb "$MCAST" igmp emulate -i eth0 --hosts 2 --groups 239.1.32.1/2 \
    --version 2 --leave-after 0.5 >"$TMP/emulate.txt" 2>&1
sleep 1
pkill -INT -P $dump
wait $dump
vg_check dump-live 0 $?
n=$(sed -n 's/^\([0-9]*\) IGMP packets.*/\1/p' "$TMP/out-dump-live.txt")
check "valgrind: dump-live captured the joins, leaves and emulated reports (${n:-none} IGMP packets, at least 6)" \
    test "${n:-0}" -ge 6
[ "${n:-0}" -ge 6 ] || sed 's/^/#   /' "$TMP/out-dump-live.txt" "$TMP/emulate.txt"
vg dump-r 0 ha "$MCAST" dump -r "$TMP/igmp.pcap"
vg dump-r-json 0 ha "$MCAST" dump -r "$TMP/igmp.pcap" --json
V=${VECTORS:-$TOP/../shared/vectors/tcpdump}
for f in IGMP_V1.pcap igmpv3-queries.pcap mtrace.pcap mrinfo_query.pcap; do
	[ -f "$V/$f" ] || { echo "ok - valgrind: dump -r $f # SKIP no $V/$f"; continue; }
	vg "dump-r-${f%.pcap}" 0 ha "$MCAST" dump -r "$V/$f" --json
done
vg igmp-emulate 0 hb "$MCAST" igmp emulate -i eth0 --hosts 4 --groups 239.1.33.1/3 --leave-after 1 --json
vg igmp-emulate-v1 0 hb "$MCAST" igmp emulate -i eth0 --hosts 2 --groups 239.1.33.9 --version 1 -d 0.5 -v
vg igmp-emulate-ssm 0 hb "$MCAST" igmp emulate -i eth0 --hosts 2 --groups 232.1.33.1/2 --source 198.18.2.2 --leave-after 0.5
# Usage errors.
vg usage-none 2 ha "$MCAST"
vg usage-send 2 ha "$MCAST" send
vg usage-recv 2 ha "$MCAST" recv -c nope $G:5000
vg usage-unknown 2 ha "$MCAST" frobnicate
vg help 0 ha "$MCAST" recv --help
finish
