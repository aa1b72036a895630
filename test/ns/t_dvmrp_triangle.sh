#!/usr/bin/env bash
# Three mcastd routers in a triangle with the real kernel: the stream from
# s takes the short way (r1 -> r3), the long way's router (r2) is pruned;
# then the r1-r3 link is cut (a cable pulled: both ends lose their
# carrier) and the stream comes back the long way (r1 -> r2 -> r3): r3
# holds its route down, then takes it through r2, becomes r2's dependent,
# and r2 grafts to r1.  Short DVMRP intervals keep the lab quick.
#
#  s 198.18.81.10 -- eth1 r1 eth2 --(LAN 82)-- eth1 r2 eth2 --(LAN 83)-- eth1 r3 eth3 -- h 198.18.85.10
#                        r1 eth3 ------------------(LAN 84)------------ eth2 r3
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
S=198.18.81.10 G=239.1.81.1

for lan in 81 82 83 84 85; do
	lan_bridge $lan
done
for r in r1 r2 r3; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth1 81 1
lan_port r1 eth2 82 1
lan_port r1 eth3 84 1
lan_port r2 eth1 82 2
lan_port r2 eth2 83 2
lan_port r3 eth1 83 3
lan_port r3 eth2 84 3
lan_port r3 eth3 85 1
for h in s:81 h:85; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done

cat >"$TMP/r.conf" <<CONF
igmp { query-interval 4s; query-response-interval 1s; last-member-query-interval 300ms }
dvmrp {
	probe-interval 2s; neighbor-timeout 5s
	report-interval 5s; route-expire 12s; holddown 6s
}
CONF
for r in r1 r2 r3; do
	start_mcastd $r "$TMP/r.conf" || { not_ok "mcastd started in $r"; exit 1; }
done

# route NS ORIGIN: "IIF NEIGHBOR METRIC" of the DVMRP route to ORIGIN/24.
route() {
	mctl "$1" -j show routes | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("dvmrp_route", []):
    if r["origin"] == sys.argv[1] and r["state"] == "up":
        print(r["interface"], r["neighbor"], r["metric"])' "$2/24"
}

check "r3 reaches 198.18.81/24 the short way: eth2 via r1, metric 2" \
    wait_for 10 eval '[ "$(route r3 198.18.81.0)" = "eth2 198.18.84.1 2" ]'
check "r2 reaches 198.18.81/24 via r1 on LAN 82, metric 2" \
    wait_for 5 eval '[ "$(route r2 198.18.81.0)" = "eth1 198.18.82.1 2" ]'

bg h "$MCAST" recv -i eth0 -d 60 -q $G:7181
ph=$LAST_PID
check "r3 lists $G on eth3" wait_for 5 has_group r3 eth3 $G
bg s "$MCAST" send -i eth0 -t 16 -r 200 -d 60 -q $G:7181
ps=$LAST_PID
check "r1 forwards ($S,$G) the short way, onto LAN 84 only (r2 pruned)" \
    wait_for 6 eval '[ "$(mfc_oifs r1 $S $G)" = eth3 ]'
check "r3 takes ($S,$G) from eth2 (LAN 84) to eth3" \
    wait_for 3 eval 'nsx r3 ip mroute show | grep -q "($S,$G) *Iif: eth2 *Oifs: eth3"'

# ---- the cable between r1 and r3 is pulled --------------------------------
t0=$(now_ms)
nsx r1 ip link set eth3 down
nsx r3 ip link set eth2 down
check "r3 reaches 198.18.81/24 the long way: eth1 via r2, metric 3" \
    wait_for 30 eval '[ "$(route r3 198.18.81.0)" = "eth1 198.18.83.2 3" ]'
check "r2 forwards ($S,$G) onto LAN 83 (r3 depends on it now; r2 grafted)" \
    wait_for 10 eval '[ "$(mfc_oifs r2 $S $G)" = eth2 ]'
check "r1 forwards ($S,$G) onto LAN 82" \
    wait_for 5 eval '[ "$(mfc_oifs r1 $S $G)" = eth2 ]'
check "r3 takes ($S,$G) from eth1 (LAN 83) to eth3" \
    wait_for 5 eval 'nsx r3 ip mroute show | grep -q "($S,$G) *Iif: eth1 *Oifs: eth3"'
echo "# the stream is rerouted $(($(now_ms) - t0)) ms after the cable was pulled (hold-down 6 s)"
# Datagrams reach h again.
n0=$(nsx h awk '/^Udp:/ && $2 ~ /^[0-9]/ { print $2 }' /proc/net/snmp)
sleep 1
n1=$(nsx h awk '/^Udp:/ && $2 ~ /^[0-9]/ { print $2 }' /proc/net/snmp)
check "h receives the stream again (Udp InDatagrams $n0 -> $n1 in 1 s)" \
    test "$((n1 - n0))" -ge 150
kill $ps $ph 2>/dev/null
wait $ps $ph 2>/dev/null
for r in r1 r2 r3; do
	check "mcastd still runs in $r" eval "mctl $r show status >/dev/null"
done
finish
