#!/usr/bin/env bash
# mcastd's privileges and its warnings about what silently defeats
# forwarding:
#  - a configuration file writable by every user is refused (mcastd -t, a
#    start, a reload: the running configuration stays);
#  - -U USER: after set-up the daemon runs as USER with exactly
#    CAP_NET_ADMIN and CAP_NET_RAW (effective, permitted, bounding), and
#    still forwards, reloads, adds routes and answers;
#  - the control socket is mode 0660, group -g GROUP: a user outside the
#    group is refused, one inside it is served;
#  - a sender whose TTL is 1 gets one warning naming the flow, the
#    interfaces and the cure, `show mfc` marks the entry and `show stats`
#    counts it; a sender with TTL 8 gets none.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd -U nobody] eth1 --LAN2-- ha .2.2
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
getent passwd nobody >/dev/null || skip_all "no user 'nobody'"
GROUP_NAME=$(id -gn nobody)
routed_lab hs ha
S=198.18.1.2
# The user must be able to read the configuration on reload.
chmod 0755 "$TMP"
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	last-member-query-interval 300ms
}
CONF
chmod 0644 "$TMP/mcastd.conf"

ktables() {
	echo "$(nsx r awk 'NR > 1' /proc/net/ip_mr_vif | wc -l) VIFs"
}

# 1. A configuration file writable by every user.
cp "$TMP/mcastd.conf" "$TMP/open.conf"
chmod 0666 "$TMP/open.conf"
want="$TMP/open.conf: writable by every user (mode 0666): expected a file that only its owner can change (chmod o-w)"
"$MCASTD" -t -f "$TMP/open.conf" >/dev/null 2>"$TMP/t.err"
rc=$?
expect_eq "-t refuses a world-writable file (exit $rc)" "$rc $(cat "$TMP/t.err")" "1 $want"
nsx r timeout 5 "$MCASTD" -n -f "$TMP/open.conf" -u "$TMP/open.sock" -p "$TMP/open.pid" 2>"$TMP/s.err"
rc=$?
expect_eq "a start refuses it the same way (exit $rc)" "$rc $(cat "$TMP/s.err")" "1 $want"
check "... and leaves nothing: $(ktables), no pid file, no socket" \
    eval "[ '$(ktables)' = '0 VIFs' ] && [ ! -e '$TMP/open.pid' ] && [ ! -e '$TMP/open.sock' ]"

# 2. Run as nobody, control socket group $GROUP_NAME: the real root only.
# In a user namespace made by an ordinary user (test/ns/lib.sh) no uid but
# its root exists, so mcastd runs on as that root for sections 3 to 5.
AS="as nobody"
if [ -n "${LAB_USERNS:-}" ]; then
	AS="as root of the user namespace"
	echo "ok - mcastd -U nobody -g $GROUP_NAME: ids, capabilities, control socket mode and group # SKIP needs real root: -U switches to user nobody and setpriv to uid 4242, and this user namespace maps no uid but root"
	start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
else
	start_mcastd r "$TMP/mcastd.conf" -U nobody -g "$GROUP_NAME" ||
	    { not_ok "mcastd started with -U nobody"; exit 1; }
	st=/proc/$(cat "$TMP/r.pid")/status
	uid=$(id -u nobody) gid=$(id -g nobody)
	expect_eq "runs as nobody (real, effective, saved, fs uid)" \
	    "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "$st")" "$uid $uid $uid $uid"
	expect_eq "with nobody's group" \
	    "$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "$st")" "$gid $gid $gid $gid"
	expect_eq "no supplementary groups" "$(awk '$1 == "Groups:" { print $2 }' "$st")" ""
	# CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13: 0x3000.
	for c in CapEff CapPrm; do
		expect_eq "$c is CAP_NET_ADMIN + CAP_NET_RAW only" \
		    "$(awk -v c="$c:" '$1 == c { print $2 }' "$st")" 0000000000003000
	done
	for c in CapInh CapBnd CapAmb; do
		expect_eq "$c is empty (nothing to regain, even by exec)" \
		    "$(awk -v c="$c:" '$1 == c { print $2 }' "$st")" 0000000000000000
	done
	expect_eq "the control socket is 0660, group $GROUP_NAME" \
	    "$(stat -c '%a %G' "$TMP/r.sock")" "660 $GROUP_NAME"
	nsx r setpriv --reuid 4242 --regid 4242 --clear-groups "$MCASTCTL" -u "$TMP/r.sock" show status >/dev/null 2>"$TMP/deny.err"
	rc=$?
	check "a user outside $GROUP_NAME is refused (exit $rc: $(head -c 120 "$TMP/deny.err"))" \
	    eval "[ $rc -ne 0 ] && grep -qi 'permission denied' '$TMP/deny.err'"
	nsx r setpriv --reuid 4242 --regid "$gid" --clear-groups "$MCASTCTL" -u "$TMP/r.sock" show status >/dev/null 2>&1
	check "a user of group $GROUP_NAME is served" [ $? = 0 ]
fi

# Still a router: a join is forwarded, a reload and a route change work.
G1=239.1.7.1 G2=239.1.7.2
bg ha "$MCAST" recv -i eth0 --json -d 4 "$G1:5000" >"$TMP/r1.json"
R1=$LAST_PID
wait_for 5 has_group r eth1 $G1 || echo "# no membership for $G1"
nsx hs "$MCAST" send -i eth0 -t 8 -r 1000 -c 500 -q "$G1:5000"
wait "$R1"
expect_eq "$AS it forwards: 500 of 500" "$(packets_from "$TMP/r1.json" "$G1:5000")" 500
mctl r reload >"$TMP/reload.out" 2>&1
check "reload $AS: $(head -c 100 "$TMP/reload.out")" [ $? = 0 ]
mctl r add mroute from eth0 group 239.1.7.9 to eth1 >/dev/null 2>&1
check "add mroute $AS" [ $? = 0 ]
mctl r del mroute from eth0 group 239.1.7.9 >/dev/null 2>&1
check "del mroute $AS" [ $? = 0 ]

# 3. The configuration made world-writable, then reloaded: refused, the
# old configuration stays in force.
chmod 0666 "$TMP/mcastd.conf"
mctl r reload >"$TMP/reload2.out" 2>&1
rc=$?
check "a reload of a world-writable file is refused (exit $rc: $(head -c 160 "$TMP/reload2.out"))" \
    eval "[ $rc -ne 0 ] && grep -q 'writable by every user' '$TMP/reload2.out'"
chmod 0644 "$TMP/mcastd.conf"
check "mcastd still answers" eval "mctl r show status >/dev/null"

# 4. A sender with TTL 1 behind a receiver: one warning, marked, counted.
# The flows last 8 s, past the checks below; the receiver stops at 4000
# datagrams (all of them the TTL 8 flow's when none of TTL 1 gets through),
# or after 25 s.
bg ha "$MCAST" recv -i eth0 --json -c 4000 -d 25 "$G2:5000" "$G1:5000" >"$TMP/r2.json"
R2=$LAST_PID
wait_for 5 has_group r eth1 $G2 || echo "# no membership for $G2"
bg hs "$MCAST" send -i eth0 -t 1 -r 500 -c 4100 -q "$G2:5000"
bg hs "$MCAST" send -i eth0 -t 8 -r 500 -c 4100 -q "$G1:5000"
wait_for 10 grep -q "($S, $G2) arrives" "$TMP/mcastd-r.log"
sleep 2
w=$(grep -c "is forwarded to none" "$TMP/mcastd-r.log")
expect_eq "one warning, for the TTL 1 flow only" "$w $(grep -c "($S, $G2)" "$TMP/mcastd-r.log")" "1 1"
grep "is forwarded to none" "$TMP/mcastd-r.log" | sed 's/^/# /'
check "it names eth0, the TTL, eth1 (threshold 1) and the cure" \
    grep -q "($S, $G2) arrives on eth0 with TTL 1 and is forwarded to none of its receivers on eth1 (threshold 1): .*mcast send -t 16" "$TMP/mcastd-r.log"
mctl r -j show stats >"$TMP/stats.json"
expect_eq "show stats: mfc.ttl_too_low" \
    "$(python3 -c 'import json,sys; print({s["name"]: s["value"] for s in json.load(open(sys.argv[1]))["stat"]}["mfc.ttl_too_low"])' "$TMP/stats.json")" 1
mctl r -j show mfc >"$TMP/mfc.json"
expect_eq "show mfc marks the TTL 1 flow, not the TTL 8 one" \
    "$(python3 -c '
import json, sys
for e in sorted(json.load(open(sys.argv[1]))["mfc"], key=lambda e: e["group"]):
    print(e["group"], e["note"])' "$TMP/mfc.json" | tr '\n' ' ')" \
    "$G1 None $G2 ttl-too-low "
wait "$R2"
expect_eq "the receiver got nothing of the TTL 1 flow" "$(packets_from "$TMP/r2.json" "$G2:5000")" 0
check "and the TTL 8 flow" [ "$(packets_from "$TMP/r2.json" "$G1:5000")" -gt 3000 ]

# 5. Stop ($AS): the kernel's tables are empty.
kill -TERM "$MCASTD_PID"
wait "$MCASTD_PID"
rc=$?
expect_eq "SIGTERM: exit 0, $(ktables)" "$rc $(ktables)" "0 0 VIFs"
finish
