#!/usr/bin/env bash
# What a new user of mcastd must be able to see (issue 10, items 1, 2 and
# 11), against the real kernel:
#  1. the shipped dist/mcastd.conf.example (its interface names are the
#     lab's) passes `mcastd -t` without a warning, forwards the README's
#     239.1.2.3 from upstream and its own static route for 239.192.2.2;
#     the old example's 239.0.0.0/8 upstream boundary is warned about;
#  2. show mfc says why an entry has no outgoing interface (no members,
#     all cut: boundary-at-iif) and mfc.boundary_drops counts the cut;
#  3. show groups names the member host as the last reporter, with an
#     uptime;
#  4. limits { mfc-entries 3 } and 5 flows: show status and show mfc say
#     the cap is reached with 2 flows refused, the log says it once;
#     mcastctl flush GROUP deletes that group's entries only, flush all
#     the others, and the next packet of a flow makes its entry again.
#
#  hs 198.18.1.2 -- eth0 [r] eth1 -- ha 198.18.2.2
#                            eth2 -- hb 198.18.3.2
#                            eth3 (disabled by the example)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
EXAMPLE=$(dirname "$0")/../../dist/mcastd.conf.example
[ -r "$EXAMPLE" ] || skip_all "no dist/mcastd.conf.example"
routed_lab hs ha hb -
S=198.18.1.2
# installed PREFIX: how many of the kernel's resolved entries from S are for
# a group starting with PREFIX (flows the daemon refused stay unresolved).
installed() {
	nsx r ip mroute show | grep -v unresolved | grep -c "^($S,${1//./\\.}"
}

# ---- 1. the shipped example -----------------------------------------------
# -t on the router it is for: names matching no interface there are warned
# about too, and the lab's router has the example's eth0-eth3.
nsx r "$MCASTD" -t -f "$EXAMPLE" >"$TMP/t.out" 2>"$TMP/t.err"
expect_eq "1: mcastd -t accepts the example" "$?" 0
expect_eq "1: mcastd -t warns nothing about the example" "$(cat "$TMP/t.err")" ""
sed 's|boundary 239\.255\.0\.0/16|boundary 239.0.0.0/8|' "$EXAMPLE" >"$TMP/old.conf"
line=$(grep -n '^mroute from eth0 group 239.192.2.2' "$TMP/old.conf" | cut -d: -f1)
nsx r "$MCASTD" -t -f "$TMP/old.conf" >/dev/null 2>"$TMP/old.err"
expect_eq "1: the old example's boundary: exit status still 0" "$?" 0
expect_eq "1: ... and one warning at the static route's line" "$(cat "$TMP/old.err")" \
    "$TMP/old.conf:$line: warning: mroute from eth0 group 239.192.2.2 forwards nothing: the boundary 239.0.0.0/8 of eth0 (line $(grep -n '^phyint eth0' "$TMP/old.conf" | cut -d: -f1)), its incoming interface, covers the group"

# The example's query interval is 125 s: the hosts' unsolicited reports
# make the memberships at once.
start_mcastd r "$EXAMPLE" || { not_ok "mcastd started with the example"; exit 1; }
bg ha "$MCAST" recv -i eth0 -d 4 --json 239.1.2.3:5001 >"$TMP/a.json"
pa=$LAST_PID
bg hb "$MCAST" recv -i eth0 -d 4 --json 239.1.2.3:5001 >"$TMP/b.json"
pb=$LAST_PID
check "1: the router lists 239.1.2.3 on eth2" wait_for 5 has_group r eth2 239.1.2.3
check "1: the router lists 239.1.2.3 on eth1" wait_for 5 has_group r eth1 239.1.2.3
# One datagram to a port nobody listens on makes the (S,G) entry first:
# the kernel holds only 4 packets of a flow while mcastd resolves it, and
# at 500/s a daemon slowed by a busy machine would lose some of the 50.
nsx hs "$MCAST" send -i eth0 -t 8 -c 1 -q 239.1.2.3:5000
check "1: the first datagram makes ($S,239.1.2.3) out of eth1 and eth2" \
    wait_for 5 eval '[ "$(mfc_oifs r $S 239.1.2.3)" = "eth1 eth2" ]'
nsx hs "$MCAST" send -i eth0 -t 8 -c 50 -r 500 -q 239.1.2.3:5001
nsx hs "$MCAST" send -i eth0 -t 8 -c 5 -r 500 -q 239.192.2.2:5002
expect_eq "1: the kernel forwards ($S,239.1.2.3) to eth1 and eth2" "$(mfc_oifs r $S 239.1.2.3)" "eth1 eth2"
expect_eq "1: the static route forwards ($S,239.192.2.2) to eth1 and eth2" "$(mfc_oifs r $S 239.192.2.2)" "eth1 eth2"
mctl r show mfc >"$TMP/mfc1.txt"
check "1: show mfc: 239.192.2.2 out of eth1 and eth2 by the route, no note" \
    grep -qE "^$S +239\.192\.2\.2 +eth0 +eth1\(1:route\),eth2\(1:route\) +\(\*,G\) .* - +- *$" "$TMP/mfc1.txt"

# ---- 3. show groups: last reporter, uptime ---------------------------------
mctl r show groups >"$TMP/groups.txt"
check "3: show groups has LAST REPORTER and UPTIME columns" \
    grep -qE '^INTERFACE +GROUP +MODE +SOURCES +COMPAT +EXPIRES +BLOCKED +LAST REPORTER +UPTIME *$' "$TMP/groups.txt"
check "3: eth1's 239.1.2.3 was last reported by ha (198.18.2.2)" \
    grep -qE '^eth1 +239\.1\.2\.3 +EXCLUDE +- +v2 +[0-9.]+ +- +198\.18\.2\.2 +[0-9]+ *$' "$TMP/groups.txt"
check "3: eth2's 239.1.2.3 was last reported by hb (198.18.3.2)" \
    grep -qE '^eth2 +239\.1\.2\.3 +EXCLUDE +- +v3 +[0-9.]+ +- +198\.18\.3\.2 +[0-9]+ *$' "$TMP/groups.txt"
check "3: a static group has neither" \
    grep -qE '^eth1 +239\.192\.0\.1 +EXCLUDE +- +static +- +- +- +- *$' "$TMP/groups.txt"
mctl r -j show groups >"$TMP/groups.json"
check "3: JSON: last_reporter a string, uptime a number" \
    grep -qE '"group":"239\.1\.2\.3",.*"last_reporter":"198\.18\.2\.2","uptime":[0-9]+[,}]' "$TMP/groups.json"
wait $pa $pb
expect_eq "1: ha received the README's 239.1.2.3" "$(packets_from "$TMP/a.json" 239.1.2.3:5001)" 50
expect_eq "1: hb received the README's 239.1.2.3" "$(packets_from "$TMP/b.json" 239.1.2.3:5001)" 50

# ---- 2. why an entry has no outgoing interface ----------------------------
drops0=$(mctl r show stats | awk '$1 == "mfc.boundary_drops" { print $2 }')
bg ha "$MCAST" recv -i eth0 -d 2 239.255.1.1:5003 >/dev/null
pa=$LAST_PID
check "2: the router lists 239.255.1.1 on eth1" wait_for 5 has_group r eth1 239.255.1.1
nsx hs "$MCAST" send -i eth0 -t 8 -c 3 -r 100 -q 239.255.1.1:5003
nsx hs "$MCAST" send -i eth0 -t 8 -c 3 -r 100 -q 239.1.9.9:5004
mctl r show mfc >"$TMP/mfc2.txt"
check "2: nobody asked for 239.1.9.9: NOTE 'no members'" \
    grep -qE "^$S +239\.1\.9\.9 +eth0 +- +rpf .* no members +- *$" "$TMP/mfc2.txt"
check "2: 239.255.1.1 is bounded at eth0: NOTE 'all cut: boundary-at-iif', eth1 cut" \
    grep -qE "^$S +239\.255\.1\.1 +eth0 +- +rpf .* all cut: boundary-at-iif +eth1\(boundary-at-iif:igmp\) *$" "$TMP/mfc2.txt"
mctl r -j show mfc >"$TMP/mfc2.json"
check "2: JSON: the note is a string" \
    grep -qF '"group":"239.1.9.9","iif":"eth0","oifs":[],"origin":"rpf"' "$TMP/mfc2.json"
check "2: JSON: note 'no members'" grep -qF '"note":"no members"' "$TMP/mfc2.json"
drops1=$(mctl r show stats | awk '$1 == "mfc.boundary_drops" { print $2 }')
expect_eq "2: mfc.boundary_drops counts the entry the boundary cut" "$((drops1 - drops0))" 1
wait $pa

# ---- 4. the entry cap, flush ----------------------------------------------
msg=$(mctl r flush)
n=$(installed "")
expect_eq "4: flush deletes every dynamic entry: $msg" "$n" 0
check "4: flush answers how many" eval "echo '$msg' | grep -qE '^[0-9]+ forwarding entries flushed$'"
sed 's/^\tmfc-entries 8192\t/\tmfc-entries 3\t/' "$EXAMPLE" >"$TMP/cap.conf"
check "4: the test's copy caps at 3" grep -q 'mfc-entries 3' "$TMP/cap.conf"
# Again on the capped copy (the running daemon's path is the example).
kill "$MCASTD_PID"
wait "$MCASTD_PID" 2>/dev/null
start_mcastd r "$TMP/cap.conf" || { not_ok "mcastd started with mfc-entries 3"; exit 1; }
for i in 1 2 3 4 5; do
	nsx hs "$MCAST" send -i eth0 -t 8 -c 2 -r 100 -q 239.1.3.$i:5005
done
check "4: 3 entries in the kernel" wait_for 2 eval '[ "$(installed 239.1.3.)" = 3 ]'
mctl r -j show status >"$TMP/status.json"
check "4: show status: limit 3 reached, 2 flows refused" \
    grep -qE '"mfc_dynamic_entries":3,"mfc_limit":3,"mfc_limit_reached":true,"mfc_flows_refused":2[,}]' "$TMP/status.json"
mctl r show mfc >"$TMP/mfc4.txt"
check "4: show mfc ends with the limit table" \
    eval "tail -n 2 '$TMP/mfc4.txt' | tr -s ' ' | tr '\n' '|' | grep -qx 'MFC DYNAMIC ENTRIES MFC LIMIT MFC LIMIT REACHED MFC FLOWS REFUSED|3 3 true 2|'"
expect_eq "4: the log says it once" \
    "$(grep -c 'limit of 3 forwarding entries reached' "$TMP/mcastd-r.log")" 1
first=$(nsx r ip mroute show | grep -v unresolved | grep -o "^($S,239\.1\.3\.[0-9]*)" | head -n 1)
g=${first#*,}; g=${g%)}
msg=$(mctl r flush "$g")
expect_eq "4: flush $g answers" "$msg" "1 forwarding entry flushed for $g"
expect_eq "4: flush $g: its entry is gone from the kernel" "$(installed "$g)")" 0
expect_eq "4: flush $g: the other two stay" "$(installed 239.1.3.)" 2
mctl r -j show status >"$TMP/status2.json"
check "4: below the cap again: not reached, none refused" \
    grep -qE '"mfc_limit_reached":false,"mfc_flows_refused":0[,}]' "$TMP/status2.json"
nsx hs "$MCAST" send -i eth0 -t 8 -c 2 -r 100 -q "$g:5005"
check "4: the next packet makes $g's entry again" \
    wait_for 2 eval '[ "$(installed "$g)")" = 1 ]'
expect_eq "4: flush (all): 3 flushed" "$(mctl r flush)" "3 forwarding entries flushed"
expect_eq "4: flush (all): none left" "$(installed "")" 0
expect_eq "4: flush of a bad group is a usage error" \
    "$(mctl r flush 10.1.1.1 2>&1; echo "status $?")" \
    "mcastctl: 10.1.1.1 is not a multicast group: expected an address within 224.0.0.0/4
status 2"
finish
