#!/usr/bin/env bash
# mcast mtrace against three mrouted 4.6 routers in a line: a stream flows
# from LAN 1 to a receiver on LAN 4; `mcast mtrace S G` from the receiver
# gets every hop with its interface addresses, protocol DVMRP and
# forwarding code "no error", the same hops as mrouted's own mtrace run
# the same way; two samples give rates; a group nobody wants behind r3
# gives "prune sent" at r3 and "prune received" at r1.
#
#  s 198.18.1.10 -- eth1 r1 eth2 -- (LAN 2) -- eth1 r2 eth2 -- (LAN 3)
#                   .1      .1                 .2      .2
#                                    -- eth1 r3 eth2 -- h 198.18.4.10
#                                       .3      .1          |
#                   r1 eth3 198.18.9.1 -- (LAN 9) -- eth1 198.18.9.10
#
# LAN 9 carries the responses: r1 routes h's address through it.  A Linux
# router hands a unicast IGMP packet with Router Alert that is in transit
# to its multicast-routing socket instead of forwarding it, and mrouted
# drops a response that is not for it, so a response from r1 crossing r2
# and r3 never reaches h (mrouted's own mtrace then sees only r3).
. "$(dirname "$0")/lib.sh"
require_lab
require_mrouted
S=198.18.1.10 G=239.1.8.1 G2=239.1.8.2

for lan in 1 2 3 4 9; do
	lan_bridge $lan
done
for r in r1 r2 r3; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth1 1 1
lan_port r1 eth2 2 1
lan_port r2 eth1 2 2
lan_port r2 eth2 3 2
lan_port r3 eth1 3 3
lan_port r3 eth2 4 1
# Unicast routes: responses go back to h by unicast from any hop.
nsx r1 ip route add 198.18.3.0/24 via 198.18.2.2
nsx r1 ip route add 198.18.4.0/24 via 198.18.2.2
nsx r2 ip route add 198.18.1.0/24 via 198.18.2.1
nsx r2 ip route add 198.18.4.0/24 via 198.18.3.3
nsx r3 ip route add 198.18.1.0/24 via 198.18.3.2
nsx r3 ip route add 198.18.2.0/24 via 198.18.3.2
for h in s:1 h:4; do
	new_ns ${h%:*}
	lan_port ${h%:*} eth0 ${h#*:} 10
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done
lan_port r1 eth3 9 1
lan_port h eth1 9 10
nsx r1 ip route add 198.18.4.10/32 via 198.18.9.10
nsx h sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0

cat >"$TMP/r.conf" <<CONF
prune-lifetime 120
igmp-query-interval 4
igmp-query-reponse-interval 1
CONF
{ cat "$TMP/r.conf"; echo "phyint eth3 disable"; } >"$TMP/r1.conf"
start_mrouted r1 "$TMP/r1.conf" || { not_ok "mrouted started in r1"; exit 1; }
for r in r2 r3; do
	start_mrouted $r "$TMP/r.conf" || { not_ok "mrouted started in $r"; exit 1; }
done

# r3 learns LAN 1 through r2 (reports every 60 s at worst).
mr_route() {
	mrctl $1 -t -d show routes | awk -v o="$2" '$1 == o { print $1, $2, $3 }'
}
check "r3 routes 198.18.1/24 through 198.18.3.2" wait_for 150 \
    eval '[ "$(mr_route r3 198.18.1/24)" = "198.18.1/24 198.18.3.2 eth1" ]'

# ---- a stream flowing to h -----------------------------------------------
bg h "$MCAST" join -i eth0 -d 120 $G
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 120 -q $G:5001
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 120 -q $G2:5001
check "r3 forwards ($S,$G) onto LAN 4" wait_for 20 \
    eval 'nsx r3 ip mroute show | grep "($S,$G)" | grep -q "Oifs: eth2"'

# ---- mcast mtrace S G from h --------------------------------------------
nsx h "$MCAST" mtrace $S $G -w 3 --json >"$TMP/mt.json" 2>"$TMP/mt.err"
rc=$?
expect_eq "mcast mtrace exits 0 (full trace)" "$rc" 0
hops() { # FILE: "router in prev proto code" per hop
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
for h in j["hops"]:
    print(h["hop"], h["router"], h["in"], h["prev_hop"], h["proto"], h["fwd_code"])' "$1"
}
expect_eq "every hop, its interfaces, DVMRP, no error" "$(hops "$TMP/mt.json")" \
"1 198.18.4.1 198.18.3.3 198.18.3.2 DVMRP NO_ERROR
2 198.18.3.2 198.18.2.2 198.18.2.1 DVMRP NO_ERROR
3 198.18.2.1 198.18.1.1 0.0.0.0 DVMRP NO_ERROR"
expect_eq "the JSON says complete, query to 224.0.0.2, response to h" \
    "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["complete"], j["query_to"], j["response_to"], j["receiver"])' "$TMP/mt.json")" \
    "True 224.0.0.2 198.18.4.10 198.18.4.10"

nsx h "$MCAST" mtrace $S $G >"$TMP/mt.txt" 2>&1
check "the text output: a line per hop and 'full trace'" eval \
    'grep -Eq "^ +-3 +198.18.2.1 +198.18.1.1 +0.0.0.0 +DVMRP +1 +no error" "$TMP/mt.txt" &&
     grep -q "^full trace" "$TMP/mt.txt"'

# ---- mrouted's mtrace, the same way ------------------------------------
nsx h timeout 60 "$MROUTED_BIN/mtrace" -n -s -w 3 $S $G >"$TMP/mr.txt" 2>&1
mr_hops() { # mrouted prints "  -N  OUTADDR ..." from the receiver on
	awk '$1 ~ /^-[0-9]+$/ { print -$1, $2 }' "$TMP/mr.txt" | head -n 3
}
expect_eq "mrouted's mtrace finds the same hops (out addresses)" "$(mr_hops)" \
"1 198.18.4.1
2 198.18.3.2
3 198.18.2.1"
grep -q "DVMRP" "$TMP/mr.txt" || { echo "# mrouted's mtrace:"; sed 's/^/#   /' "$TMP/mr.txt"; }

# ---- two samples: rates from the counters --------------------------------
nsx h "$MCAST" mtrace $S $G -q 2 -i 2 --json >"$TMP/mt2.json" 2>&1
check "two samples: every hop forwards about 50 pps of ($S,$G)" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["samples"] == 2 and len(j["hops"]) == 3, j
for h in j["hops"]:
    assert 30 <= h["sg_pps"] <= 70, h
for h in j["hops"][:2]:
    assert "lost" in h, h' "$TMP/mt2.json"

# ---- a pruned branch: nobody wants G2 behind r3 ----------------------------
check "r3 has pruned ($S,$G2) upstream" wait_for 20 \
    eval 'nsx r1 ip mroute show | grep "($S,$G2)" | grep -vq "Oifs: eth2"'
nsx h "$MCAST" mtrace $S $G2 --json >"$TMP/mt3.json" 2>&1
expect_eq "pruned: r3 'prune sent', r1 'prune received'" \
    "$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["hops"]; print(h[0]["fwd_code_name"], "/", h[-1]["fwd_code_name"])' "$TMP/mt3.json")" \
    "prune sent / prune received"

# ---- no router answers: exit 1 ------------------------------------------
nsx h "$MCAST" mtrace $S $G -g 198.18.4.99 -w 0.3 >"$TMP/none.txt" 2>&1
expect_eq "nobody answers: exit 1" "$?" 1
finish
