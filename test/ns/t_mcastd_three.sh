#!/usr/bin/env bash
# Three mcastd routers and their LANs with the real kernel: the same
# scenario as the in-memory simulation (test/sim/sim_router.c), and the
# kernels must end with exactly the forwarding entries both are held to,
# test/fixtures/three_routers.mfc.  Kernel hosts join, r1 forwards onto
# the transit LAN by a static group and a static route, r2 and r3 by IGMP.
#
#  s 198.18.61.10 -- eth1 r1 eth2 --+-- eth1 r2 eth2 -- h3 (joins G1)
#        (LAN 61)   (LAN 62)        +-- eth1 r3 eth2 -- h4 (joins G1, G2)
#                                         (LAN 63, LAN 64)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
G1=239.1.6.1 G2=239.1.6.2 S=198.18.61.10
FIXTURE=$TOP/test/fixtures/three_routers.mfc

for lan in 61 62 63 64; do
	lan_bridge $lan
done
new_ns s
lan_port s eth0 61 10
ip -n "$P-s" route add 224.0.0.0/4 dev eth0
ip -n "$P-s" route add default via 198.18.61.1
for r in r1 r2 r3; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth1 61 1
lan_port r1 eth2 62 1
lan_port r2 eth1 62 2
lan_port r2 eth2 63 1
lan_port r3 eth1 62 3
lan_port r3 eth2 64 1
for h in h3:63 h4:64; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done

# Queries every 4 s (startup every 1 s): the routers started last hear the
# first one's queries within the lab's time.
IGMP='igmp { query-interval 4s; query-response-interval 1s }'
cat >"$TMP/r1.conf" <<CONF
$IGMP
phyint eth2 static-group $G1
mroute from eth1 group $G2 to eth2
CONF
echo "$IGMP" >"$TMP/plain.conf"
start_mcastd r1 "$TMP/r1.conf" || { not_ok "mcastd started in r1"; exit 1; }
start_mcastd r2 "$TMP/plain.conf" || { not_ok "mcastd started in r2"; exit 1; }
start_mcastd r3 "$TMP/plain.conf" || { not_ok "mcastd started in r3"; exit 1; }

bg h3 "$MCAST" recv -i eth0 -d 6 --json $G1:5001 >"$TMP/h3.json"
p3=$LAST_PID
bg h4 "$MCAST" recv -i eth0 -d 6 --json $G1:5001 $G2:5002 >"$TMP/h4.json"
p4=$LAST_PID
check "r2 lists $G1 on eth2" wait_for 5 has_group r2 eth2 $G1
check "r3 lists $G1 and $G2 on eth2" wait_for 5 eval \
    "has_group r3 eth2 $G1 && has_group r3 eth2 $G2"
check "LAN 62's querier is r1 (198.18.62.1)" wait_for 5 eval \
    "[ \"\$(mctl r2 show interfaces | awk '\$1 == \"eth1\" { print \$8 }')\" = 198.18.62.1 ]"

nsx s "$MCAST" send -i eth0 -t 8 -c 20 -r 200 -q $G1:5001
nsx s "$MCAST" send -i eth0 -t 8 -c 20 -r 200 -q $G2:5002
sleep 0.5

# The kernels' entries as the fixture's lines: router source group iif oifs.
for r in r1 r2 r3; do
	nsx $r ip -j mroute show | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    oifs = ",".join(sorted(m["oif"] for m in e.get("multipath", [])))
    print(sys.argv[1], e["src"], e["dst"], e.get("iif", "-"), oifs or "-")
' $r
done | sort >"$TMP/got.mfc"
grep -v '^#' "$FIXTURE" | grep . | sort >"$TMP/want.mfc"
if diff -u "$TMP/want.mfc" "$TMP/got.mfc" >"$TMP/mfc.diff"; then
	ok "the kernels hold exactly the entries of the fixture (and of the simulation)"
else
	not_ok "the kernels' entries differ from test/fixtures/three_routers.mfc"
	sed 's/^/#   /' "$TMP/mfc.diff"
fi

wait $p3 $p4
expect_eq "h3 got all 20 datagrams of G1" \
    "$(json_field "$TMP/h3.json" received)" 20
expect_eq "h4 got all 40 datagrams of G1 and G2" \
    "$(json_field "$TMP/h4.json" received)" 40
finish
