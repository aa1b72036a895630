#!/usr/bin/env bash
# mcastd starting and stopping: bad configurations are refused with one
# "FILE:LINE:COLUMN: message" line (by -t and by a real start); a second
# mcastd in the namespace says in one line that another daemon owns
# multicast routing and exits 1 while the first forwards on; a start that
# fails leaves no VIF, pid file or socket; SIGTERM leaves the kernel's
# tables empty and removes the pid file and socket; mcastctl takes unique
# prefixes and prints valid JSON.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 --LAN2-- ha 198.18.2.2
#  r2: a second router namespace with one leg on LAN2 (198.18.2.3)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
routed_lab hs ha
new_ns r2
router_sysctls r2
lan_port r2 eth0 2 3
S=198.18.1.2 G=239.1.9.1

# kvifs NS: the number of VIFs and forwarding entries in NS's kernel.
ktables() {
	echo "$(nsx "$1" awk 'NR > 1' /proc/net/ip_mr_vif | wc -l) VIFs, $(nsx "$1" awk 'NR > 1' /proc/net/ip_mr_cache | wc -l) MFC entries"
}
# one_line_err FILE PATTERN: FILE (stderr) is exactly one line, matching.
one_line_err() {
	[ "$(wc -l <"$1")" = 1 ] && grep -qE "$2" "$1"
}

# 1. Bad configurations: mcastd -t -f and mcastd -f both refuse them.
bad=0
while IFS='|' read -r name line text; do
	bad=$((bad + 1))
	f=$TMP/bad$bad.conf
	printf '%b' "$text" >"$f"
	"$MCASTD" -t -f "$f" >/dev/null 2>"$TMP/t.err"
	rc=$?
	check "-t refuses $name: exit $rc, one line '$f:$line:COLUMN: ...'" \
	    eval "[ $rc -ne 0 ] && one_line_err '$TMP/t.err' '^$f:$line:[0-9]+: .'"
	[ "$(wc -l <"$TMP/t.err")" = 1 ] && echo "#   $(cat "$TMP/t.err")"
	nsx r timeout 5 "$MCASTD" -n -f "$f" -u "$TMP/bad.sock" -p "$TMP/bad.pid" 2>"$TMP/f.err"
	rc=$?
	check "a start refuses $name the same way (exit $rc)" \
	    eval "[ $rc -ne 0 ] && [ $rc -ne 124 ] && one_line_err '$TMP/f.err' '^$f:$line:[0-9]+: .'"
	check "... and leaves nothing: $(ktables r), no pid file, no socket" \
	    eval "[ '$(ktables r)' = '0 VIFs, 0 MFC entries' ] && [ ! -e '$TMP/bad.pid' ] && [ ! -e '$TMP/bad.sock' ]"
done <<'BAD'
a threshold of 300|2|# a comment\nphyint eth1 threshold 300\n
an unknown keyword|3|igmp {\n\tquery-interval 3s\n\tfrobnicate yes\n}\n
a boundary with host bits set|1|phyint eth1 boundary 239.255.1.0/16\n
a query-response-interval not below the query-interval|4|igmp {\n\tquery-interval 3s\n\n\tquery-response-interval 5s\n}\n
an unterminated block (at the end of the file)|3|igmp {\n\trobustness 2\n
BAD

# 2. The first mcastd forwards a flow while a second one tries to start.
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	last-member-query-interval 300ms
}
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
first=$MCASTD_PID
bg ha "$MCAST" recv -i eth0 -c 2000 -d 8 --json $G:5000 >"$TMP/flow.json"
rpid=$LAST_PID
wait_for 5 has_group r eth1 $G || echo "# the router did not list $G on eth1"
bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -c 2000 -q $G:5000
spid=$LAST_PID
sleep 0.3
vifs_before=$(ktables r | cut -d' ' -f1)
nsx r timeout 5 "$MCASTD" -n -f "$TMP/mcastd.conf" -u "$TMP/second.sock" -p "$TMP/second.pid" 2>"$TMP/second.err"
rc=$?
echo "#   $(head -n 1 "$TMP/second.err")"
expect_eq "a second mcastd in the namespace exits 1" $rc 1
check "... with one line: another daemon owns multicast routing" \
    one_line_err "$TMP/second.err" 'another multicast routing daemon .* owns'
check "... and leaves no pid file or socket of its own" test ! -e "$TMP/second.pid" -a ! -e "$TMP/second.sock"
nsx r timeout 5 "$MCASTD" -n -f "$TMP/mcastd.conf" -u "$TMP/r.sock" -p "$TMP/r.pid" 2>"$TMP/second.err"
rc=$?
expect_eq "the same with the first one's socket and pid file: exit 1" $rc 1
check "... one line, the same reason" one_line_err "$TMP/second.err" 'another multicast routing daemon .* owns'
expect_eq "... the first one's pid file is untouched" "$(cat "$TMP/r.pid" 2>/dev/null)" "$first"
check "... and its socket still answers" eval "mctl r show status >/dev/null"
expect_eq "... and its VIFs are all there" "$(ktables r | cut -d' ' -f1)" "$vifs_before"
wait $spid $rpid
expect_eq "the first mcastd forwarded the whole flow meanwhile" "$(json_field "$TMP/flow.json" received)" 2000

# 3. Starts that fail after taking multicast routing leave nothing behind.
# A control socket another mcastd (the one in r) answers at:
nsx r2 timeout 5 "$MCASTD" -n -f "$TMP/mcastd.conf" -u "$TMP/r.sock" -p "$TMP/r2.pid" 2>"$TMP/r2.err"
rc=$?
echo "#   $(head -n 1 "$TMP/r2.err")"
check "a socket in use: exit 1, one line saying so" \
    eval "[ $rc = 1 ] && one_line_err '$TMP/r2.err' 'r\.sock.*another mcastd answers there'"
expect_eq "... nothing left in r2's kernel" "$(ktables r2)" "0 VIFs, 0 MFC entries"
check "... no pid file, and the other's socket still answers" \
    eval "[ ! -e '$TMP/r2.pid' ] && mctl r show status >/dev/null"
# A pid file that cannot be written:
nsx r2 timeout 5 "$MCASTD" -n -f "$TMP/mcastd.conf" -u "$TMP/r2.sock" -p "$TMP/no/such/dir/r2.pid" 2>"$TMP/r2.err"
rc=$?
echo "#   $(head -n 1 "$TMP/r2.err")"
check "an unwritable pid file: exit 1, one line naming it" \
    eval "[ $rc = 1 ] && one_line_err '$TMP/r2.err' 'pid file .*/no/such/dir/r2\.pid'"
check "... no socket left behind, nothing in the kernel ($(ktables r2))" \
    eval "[ ! -e '$TMP/r2.sock' ] && [ '$(ktables r2)' = '0 VIFs, 0 MFC entries' ]"
# And then a good start there works (the failed ones left no trace).
start_mcastd r2 "$TMP/mcastd.conf" && ok "r2 starts after the failed attempts" ||
    not_ok "r2 starts after the failed attempts"
r2pid=$MCASTD_PID

# 4. mcastctl: unique prefixes, JSON, errors.
bg ha "$MCAST" join -q -i eth0 -d 10 $G
wait_for 5 has_group r eth1 $G
nsx hs "$MCAST" send -i eth0 -t 8 -r 1000 -c 50 -q $G:5000
# (the EXPIRES column left out: it counts down between the two)
expect_eq "mcastctl sh gr is show groups" "$(mctl r sh gr 2>&1 | awk '{ $6 = ""; print }')" \
    "$(mctl r show groups 2>&1 | awk '{ $6 = ""; print }')"
check "mcastctl sh gr lists $G on eth1" eval "mctl r sh gr | grep -qE '^eth1 +$G '"
for what in interfaces groups routes mfc stats status; do
	check "mcastctl -j show $what is valid JSON" eval "mctl r -j show $what | python3 -m json.tool >/dev/null"
done
check "mcastctl -j show mfc lists ($S,$G)" eval "mctl r -j show mfc | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(not any(e[\"group\"] == \"$G\" and e[\"source\"] == \"198.18.1.2\" for e in d[\"mfc\"]))'"
mctl r l >/dev/null 2>"$TMP/amb.err"
rc=$?
check "mcastctl l (log or leave?) is ambiguous: exit 2 ($rc), says so" \
    eval "[ $rc = 2 ] && grep -q ambiguous '$TMP/amb.err'"
nsx r "$MCASTCTL" -u "$TMP/nobody.sock" show status >/dev/null 2>"$TMP/none.err"
rc=$?
check "mcastctl without a daemon fails ($rc) with a message" eval "[ $rc -ne 0 ] && [ -s '$TMP/none.err' ]"
echo "#   $(head -n 1 "$TMP/none.err")"

# 5. SIGTERM: clean shutdown, with VIFs, memberships and MFC entries up.
echo "# before SIGTERM: $(ktables r)"
check "before SIGTERM the kernel has VIFs and MFC entries ($(ktables r))" \
    eval "[ \$(nsx r awk 'NR > 1' /proc/net/ip_mr_cache | wc -l) -gt 0 ]"
for who in r r2; do
	pid=$first
	[ $who = r2 ] && pid=$r2pid
	kill -TERM $pid
	wait $pid
	rc=$?
	expect_eq "$who: SIGTERM: mcastd exits 0" $rc 0
	expect_eq "$who: ... the kernel's tables are empty" "$(ktables $who)" "0 VIFs, 0 MFC entries"
	check "$who: ... pid file and socket removed" test ! -e "$TMP/$who.pid" -a ! -e "$TMP/$who.sock"
	check "$who: ... its log ends with 'stopping', no sanitizer report" \
	    eval "tail -n 1 '$TMP/mcastd-$who.log' | grep -q 'notice: stopping' &&
	    ! grep -qE 'Sanitizer|runtime error' '$TMP/mcastd-$who.log'"
done
finish
