#!/usr/bin/env bash
# mcastd follows interfaces through netlink: a veth added after it started
# becomes a VIF and forwards; one taken down or deleted leaves no stale VIF
# in the kernel (/proc/net/ip_mr_vif); a phyint the configuration names
# before its interface exists is warned about at start and applied (its
# threshold) when the interface appears.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 --LAN2-- ha 198.18.2.2
#                     added later: eth5 --LAN5-- h5 198.18.5.2
#                                  eth7 --LAN7-- h7 198.18.7.2 (phyint eth7 threshold 8)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
routed_lab hs ha
S=198.18.1.2 G=239.1.5.1
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	last-member-query-interval 300ms
	robustness 2
}
phyint eth7 threshold 8
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
check "a phyint without its interface is warned about at start" \
    grep -q 'warning: .*phyint eth7: no such interface' "$TMP/mcastd-r.log"

# is_vif IF: mcastctl lists IF as routing.
is_vif() {
	mctl r show interfaces | awk -v i="$1" '$1 == i && $5 == "routing" { f = 1 } END { exit !f }'
}
# kvifs: the kernel's VIFs (interface names, sorted).
kvifs() {
	nsx r cat /proc/net/ip_mr_vif | awk 'NR > 1 { print $2 }' | sort | tr '\n' ' ' | sed 's/ $//'
}
expect_eq "the kernel has a VIF per interface at start" "$(kvifs)" "eth0 eth1"

bg hs "$MCAST" send -i eth0 -t 16 -r 1000 -d 40 -q $G:5000
sender=$LAST_PID

# 1. A new LAN on a new veth: a VIF within a few seconds, and it forwards.
lan_bridge 5
lan_port r eth5 5 1
new_ns h5
lan_port h5 eth0 5 2
nsx h5 ip route add 224.0.0.0/4 dev eth0
check "a veth added later becomes a VIF (mcastctl: routing)" wait_for 5 is_vif eth5
expect_eq "... and the kernel has it" "$(kvifs)" "eth0 eth1 eth5"
nsx h5 "$MCAST" recv -i eth0 -c 200 -d 5 --json $G:5000 >"$TMP/h5.json"
check "the new VIF forwards: h5 got 200 datagrams" test "$(json_field "$TMP/h5.json" received)" -ge 200
f=$(json_field "$TMP/h5.json" first_packet_ms)
check "... the first within 1 s of the join (${f:-never} ms)" awk -v f="${f:-99999}" 'BEGIN { exit !(f < 1000) }'

# 2. Down: the VIF goes; up again: it comes back.
nsx r ip link set eth5 down
check "an interface taken down stops being a VIF" wait_for 5 eval "! is_vif eth5"
expect_eq "... and the kernel dropped it" "$(kvifs)" "eth0 eth1"
nsx r ip link set eth5 up
check "up again: a VIF again" wait_for 5 is_vif eth5
expect_eq "... in the kernel too" "$(kvifs)" "eth0 eth1 eth5"

# 3. Deleted: no stale VIF, mcastctl forgets it, the rest still forwards.
nsx r ip link del eth5
check "a deleted veth is no longer listed by mcastctl" wait_for 5 eval "! mctl r show interfaces | grep -q '^eth5 '"
expect_eq "no stale VIF in /proc/net/ip_mr_vif" "$(kvifs)" "eth0 eth1"
nsx ha "$MCAST" recv -i eth0 -c 200 -d 5 --json $G:5000 >"$TMP/ha.json"
check "the remaining LAN still forwards: ha got 200" test "$(json_field "$TMP/ha.json" received)" -ge 200

# 4. The configured phyint eth7 appears: a VIF with the configured
# threshold, which the kernel's forwarding entry carries.
lan_bridge 7
lan_port r eth7 7 1
new_ns h7
lan_port h7 eth0 7 2
nsx h7 ip route add 224.0.0.0/4 dev eth0
check "the configured eth7 becomes a VIF when it appears" wait_for 5 is_vif eth7
expect_eq "... with the configured threshold 8" \
    "$(mctl r show interfaces | awk '$1 == "eth7" { print $6 }')" 8
bg h7 "$MCAST" recv -i eth0 -c 200 -d 5 --json $G:5000 >"$TMP/h7.json"
p7=$LAST_PID
check "... and the kernel forwards to it with TTL threshold 8" \
    wait_for 5 eval "nsx r ip mroute show | grep '($S,$G)' | grep -q 'eth7(ttl 8)'"
wait $p7
check "h7 got 200 (TTL 16 > threshold 8)" test "$(json_field "$TMP/h7.json" received)" -ge 200
errors=$(mctl r show stats | awk '$1 == "vif.errors" { print $2 }')
expect_eq "no VIF errors counted" "$errors" 0
kill $sender 2>/dev/null; wait $sender 2>/dev/null
check "mcastd still runs" kill -0 $MCASTD_PID
expect_eq "no other warning in mcastd's log" \
    "$(grep -v 'phyint eth7' "$TMP/mcastd-r.log" | grep -cE ' (warning|error):')" 0
finish
