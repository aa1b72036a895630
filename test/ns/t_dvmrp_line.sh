#!/usr/bin/env bash
# Three mcastd routers in a line route by DVMRP with the real kernel: they
# become neighbours, learn each other's LANs, forward a stream from the
# first LAN to a receiver two routers away by reverse path and dependents
# (no static route, no static group), prune the branch back when the
# receiver leaves, and graft it again when one joins.
#
#  s 198.18.71.10 -- eth1 r1 eth2 -- (LAN 72) -- eth1 r2 eth2 -- (LAN 73)
#                                                 -- eth1 r3 eth2 -- h 198.18.74.10
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
S=198.18.71.10 G=239.1.71.1

for lan in 71 72 73 74; do
	lan_bridge $lan
done
for r in r1 r2 r3; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth1 71 1
lan_port r1 eth2 72 1
lan_port r2 eth1 72 2
lan_port r2 eth2 73 2
lan_port r3 eth1 73 3
lan_port r3 eth2 74 1
for h in s:71 h:74; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done

cat >"$TMP/r.conf" <<CONF
igmp { query-interval 4s; query-response-interval 1s; last-member-query-interval 300ms }
CONF
for r in r1 r2 r3; do
	start_mcastd $r "$TMP/r.conf" || { not_ok "mcastd started in $r"; exit 1; }
done

# ---- 1. adjacencies --------------------------------------------------------
up() { grep -q "$2: DVMRP neighbour $3 up (two-way)" "$TMP/mcastd-$1.log"; }
check "r1 and r2 are two-way neighbours on LAN 72 (both logs)" \
    wait_for 5 eval 'up r1 eth2 198.18.72.2 && up r2 eth1 198.18.72.1'
check "r2 and r3 are two-way neighbours on LAN 73 (both logs)" \
    wait_for 5 eval 'up r2 eth2 198.18.73.3 && up r3 eth1 198.18.73.2'

# ---- 2. a stream crosses two routers by DVMRP -------------------------------
bg h "$MCAST" recv -i eth0 -c 2000 -d 20 --json $G:7101 >"$TMP/h.json"
ph=$LAST_PID
check "r3 lists $G on eth2" wait_for 5 has_group r3 eth2 $G
# Routes travel in the reports the adjacency triggers; give them a moment.
sleep 2
bg s "$MCAST" send -i eth0 -t 16 -r 500 -c 2000 -q $G:7101
ps=$LAST_PID
check "r1 forwards ($S,$G) onto LAN 72 (r2 depends on it for 198.18.71/24)" \
    wait_for 3 eval '[ "$(mfc_oifs r1 $S $G)" = eth2 ]'
check "r2 forwards ($S,$G) onto LAN 73 (r3 depends on it)" \
    wait_for 3 eval '[ "$(mfc_oifs r2 $S $G)" = eth2 ]'
check "r3 forwards ($S,$G) onto LAN 74 (h's membership)" \
    wait_for 3 eval '[ "$(mfc_oifs r3 $S $G)" = eth2 ]'
wait $ps $ph
expect_eq "h got every datagram across r1, r2, r3" \
    "$(json_field "$TMP/h.json" received)" 2000
expect_eq "h lost none" "$(json_field "$TMP/h.json" lost)" 0

# ---- 3. prune back when the receiver has left --------------------------------
# h has left (its recv ended); the stream goes on with nobody downstream.
bg s "$MCAST" send -i eth0 -t 16 -r 200 -d 30 -q $G:7101
ps=$LAST_PID
check "r3's entry has no oif once h left" \
    wait_for 6 eval '[ -z "$(mfc_oifs r3 $S $G)" ] && nsx r3 ip mroute show | grep -q "($S,$G)"'
check "r2 prunes LAN 73 (r3's prune)" \
    wait_for 3 eval 'nsx r2 ip mroute show | grep -q "($S,$G)" && [ -z "$(mfc_oifs r2 $S $G)" ]'
check "r1 prunes LAN 72 (r2's prune)" \
    wait_for 3 eval 'nsx r1 ip mroute show | grep -q "($S,$G)" && [ -z "$(mfc_oifs r1 $S $G)" ]'

# ---- 4. graft when a receiver joins again -----------------------------------
bg h "$MCAST" recv -i eth0 -c 100 -d 10 --json $G:7101 >"$TMP/h2.json"
ph=$LAST_PID
check "r1 forwards onto LAN 72 again (graft from r2)" \
    wait_for 3 eval '[ "$(mfc_oifs r1 $S $G)" = eth2 ]'
check "r2 forwards onto LAN 73 again (graft from r3)" \
    wait_for 3 eval '[ "$(mfc_oifs r2 $S $G)" = eth2 ]'
wait $ph
expect_eq "h receives again after the grafts" \
    "$(json_field "$TMP/h2.json" received)" 100
kill $ps 2>/dev/null
wait $ps 2>/dev/null

for r in r1 r2 r3; do
	check "mcastd still runs in $r" eval "mctl $r show status >/dev/null"
done
finish
