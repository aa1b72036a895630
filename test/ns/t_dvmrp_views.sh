#!/usr/bin/env bash
# What mcastctl shows of DVMRP (issue 11), against the real kernel: two
# mcastd routers on a shared LAN, each with a host LAN of its own.
#
#  hs 198.18.72.10 -- eth1 r1 eth0 --(LAN 71)-- eth0 r2 eth1 -- hr 198.18.73.10
#      (LAN 72)       198.18.71.1                198.18.71.2      (LAN 73)
#
#  1. show neighbors: each router is the other's two-way neighbour, 3.255,
#     prune, genid and mtrace with the leaf bit (each has neighbours on
#     one VIF only), no restart;
#  2. show routes: each has the other's host LAN at metric 2 by eth0
#     through the other, its own LANs connected at metric 1; the static
#     routes keep their table (and JSON key) beside it;
#  3. a stream from hs with no receiver: r2 prunes (198.18.72.0/24, G)
#     toward r1, show prunes says so on both sides;
#  4. hr joins G: r2 grafts, r1 forwards onto eth0 again, show mfc names
#     the reason dvmrp;
#  5. show interfaces, status and stats: DVMRP on, metric 1, the counts,
#     the counters that must have moved; every JSON form parses with the
#     right types.
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
G=239.1.71.1 S=198.18.72.10

for lan in 71 72 73; do
	lan_bridge $lan
done
for r in r1 r2; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth0 71 1
lan_port r2 eth0 71 2
lan_port r1 eth1 72 1
lan_port r2 eth1 73 1
new_ns hs
lan_port hs eth0 72 10
new_ns hr
lan_port hr eth0 73 10
for h in hs:72 hr:73; do
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
	ip -n "$P-${h%:*}" route add default via 198.18.${h#*:}.1
done

echo 'igmp { query-interval 4s; query-response-interval 1s }' >"$TMP/r.conf"
# r1 has a static route, so that show routes has both tables.
{ cat "$TMP/r.conf"; echo 'mroute from eth1 group 239.1.71.9 to eth0'; } >"$TMP/r1.conf"
start_mcastd r1 "$TMP/r1.conf" -l debug || { not_ok "mcastd started in r1"; exit 1; }
start_mcastd r2 "$TMP/r.conf" -l debug || { not_ok "mcastd started in r2"; exit 1; }

# A view's rows, whitespace squeezed, the columns given (awk fields).
rows() {
	local ns=$1 view=$2 cols=$3
	mctl "$ns" show "$view" | awk "NR > 1 { print $cols }"
}
two_way() {
	[ "$(rows "$1" neighbors '$3')" = two-way ]
}
check "r1 and r2 are two-way neighbours" wait_for 15 eval 'two_way r1 && two_way r2'

# ---- 1. show neighbors ------------------------------------------------------
# The capabilities: prune, genid and mtrace, and the leaf bit once the
# other has its adjacency on eth0, its only VIF with neighbours (the probe
# that answered a new neighbour went out before that: without it).
neighbor_row() { # NS PEER: the fixed columns, the capabilities as "caps"
	rows "$1" neighbors '$1, $2, $3, $4, $5, ($6 == "prune,genid,mtrace" || $6 == "leaf,prune,genid,mtrace") ? "caps" : $6, $11'
}
for pair in r1:198.18.71.2 r2:198.18.71.1; do
	r=${pair%:*} peer=${pair#*:}
	expect_eq "1: $r show neighbors: $peer two-way, 3.255, its capabilities, no restart" \
	    "$(neighbor_row $r)" "eth0 $peer two-way - 3.255 caps 0"
	expect_eq "1: $r: GenID a number, uptime, expires within the 35 s timeout, probes heard" \
	    "$(rows $r neighbors '($7 ~ /^[0-9]+$/), ($8 ~ /^[0-9]+$/), ($9 > 0 && $9 <= 35), ($10 >= 1)')" "1 1 1 1"
done
expect_eq "1: sh ne is show neighbors" "$(mctl r1 sh ne | head -n 1)" \
    "$(mctl r1 show neighbors | head -n 1)"

# ---- 2. show routes -----------------------------------------------------------
# DVMRP's table: the rows after its header (ORIGIN), EXPIRES (column 6)
# only as "n" for a number.
dvmrp_routes() {
	mctl "$1" show routes | awk '$1 == "ORIGIN" { t = 1; next }
	    t && NF { print $1, $2, $3, $4, $5, ($6 ~ /^[0-9.]+$/ ? "n" : $6), $7, $8 }'
}
WANT_R1="198.18.71.0/24 up eth0 connected 1 - eth1 -
198.18.72.0/24 up eth1 connected 1 - eth0 198.18.71.2(eth0)
198.18.73.0/24 up eth0 198.18.71.2 2 n eth1 -"
WANT_R2="198.18.71.0/24 up eth0 connected 1 - eth1 -
198.18.72.0/24 up eth0 198.18.71.1 2 n eth1 -
198.18.73.0/24 up eth1 connected 1 - eth0 198.18.71.1(eth0)"
# The dependent comes with the other's poisoned report.
wait_for 5 eval '[ "$(dvmrp_routes r1)" = "$WANT_R1" ] && [ "$(dvmrp_routes r2)" = "$WANT_R2" ]'
expect_eq "2: r1's DVMRP routes: r2's host LAN at metric 2 through it, r2 depends on r1 for 198.18.72.0/24" \
    "$(dvmrp_routes r1)" "$WANT_R1"
expect_eq "2: r2's DVMRP routes: r1's host LAN at metric 2 through it" \
    "$(dvmrp_routes r2)" "$WANT_R2"
expect_eq "2: r1's static route keeps its table first" \
    "$(mctl r1 show routes | sed -n 2p | tr -s ' ')" \
    "* 239.1.71.9 eth1 eth0 file applied eth1 eth0 -"
expect_eq "2: r2 has no static route: only DVMRP's table" \
    "$(mctl r2 show routes | head -n 1 | awk '{ print $1 }')" ORIGIN
mctl r1 -j show routes >"$TMP/routes.json"

# ---- 3. a stream nobody wants: r2 prunes toward r1 ----------------------------
bg hs "$MCAST" send -i eth0 -t 8 -c 600 -r 20 -q $G:5001
sender=$LAST_PID
prune_row() {
	rows "$1" prunes '$1, $2, $3, $4, $5, $6'
}
check "3: r2 sent a prune for (198.18.72.0/24, $G)" wait_for 5 eval \
    '[ "$(prune_row r2)" = "198.18.72.0/24 $G sent eth0 198.18.71.1 pruned" ]'
check "3: r1 received it on eth0 from r2" wait_for 5 eval \
    '[ "$(prune_row r1)" = "198.18.72.0/24 $G received eth0 198.18.71.2 -" ]'
# Sent: L/2 + random(L) of L = 7200 s, at least 121 s; received: as sent.
expect_eq "3: r2's prune: remaining lifetime 121-10800 s, retransmissions counted" \
    "$(rows r2 prunes '($7 >= 121 && $7 <= 10800), ($8 ~ /^[0-9]+$/)')" "1 1"
expect_eq "3: r1's received prune: remaining 121-10800 s, no retransmissions column" \
    "$(rows r1 prunes '($7 >= 121 && $7 <= 10800), $8')" "1 -"
check "3: r1's kernel forwards ($S,$G) nowhere now" wait_for 5 eval \
    '[ -z "$(mfc_oifs r1 $S $G)" ]'
check "3: r1's show mfc says why: NOTE 'all cut: pruned', eth0 cut (pruned:dvmrp)" \
    eval "mctl r1 show mfc | grep -qE '^$S +$G +eth1 +- +rpf .*all cut: pruned +eth0\\(pruned:dvmrp\\) *\$'"
expect_eq "3: r2's show status counts 1 prune sent, 0 received" \
    "$(mctl r2 -j show status | python3 -c 'import json,sys; d=json.load(sys.stdin)["daemon"][0]; print(d["dvmrp_prunes_sent"], d["dvmrp_prunes_received"])')" "1 0"
expect_eq "3: r1's show status counts 0 prunes sent, 1 received" \
    "$(mctl r1 -j show status | python3 -c 'import json,sys; d=json.load(sys.stdin)["daemon"][0]; print(d["dvmrp_prunes_sent"], d["dvmrp_prunes_received"])')" "0 1"
mctl r2 show prunes | sed 's/^/# r2: /'
mctl r2 -j show prunes >"$TMP/prunes_r2.json"
mctl r1 -j show prunes >"$TMP/prunes_r1.json"

# ---- 4. a receiver behind r2: the graft, and show mfc's dvmrp -------------------
# It stays a member until the counters are read: its leave would have r2
# prune again meanwhile.
bg hr "$MCAST" recv -i eth0 -d 12 --json $G:5001 >"$TMP/hr.json"
receiver=$LAST_PID
check "4: r1 forwards ($S,$G) onto eth0 again, for DVMRP" wait_for 5 eval \
    '[ "$(mctl r1 show mfc | awk -v s=$S -v g=$G "\$1 == s && \$2 == g { print \$4 }")" = "eth0(1:dvmrp)" ]'
check "4: the graft acked: no prune left on either side" wait_for 5 eval \
    '[ -z "$(prune_row r1)" ] && [ -z "$(prune_row r2)" ]'
# The stream reaches hr before the sender stops.
check "4: datagrams reach hr (its Udp InDatagrams)" wait_for 5 eval \
    '[ "$(nsx hr awk "/^Udp:/ && \$2 ~ /^[0-9]/ { print \$2 }" /proc/net/snmp)" -gt 0 ]'
kill "$sender" 2>/dev/null
wait "$sender" 2>/dev/null

# ---- 5. interfaces, status, stats -------------------------------------------------
for r in r1 r2; do
	expect_eq "5: $r show interfaces: DVMRP on, metric 1, on eth0 and eth1" \
	    "$(mctl $r show interfaces | awk 'NR > 1 { print $1, $(NF - 1), $NF }')" \
	    "eth0 true 1
eth1 true 1"
done
counter() { # NS NAME: the counter's value
	mctl "$1" show stats | awk -v n="$2" '$1 == n { print $2 }'
}
for r in r1 r2; do
	expect_eq "5: $r: one adjacency, one two-way neighbour, three routes, no probe from off DVMRP" \
	    "$(counter $r dvmrp.nbr.adjacencies) $(counter $r dvmrp.nbr.two_way) $(counter $r dvmrp.rib.routes) $(counter $r dvmrp.rx_off)" \
	    "1 1 3 0"
	check "5: $r sent probes and reports, applied reports" eval \
	    '[ "$(counter $r dvmrp.tx.probe)" -gt 0 ] && [ "$(counter $r dvmrp.tx.report)" -gt 0 ] &&
	    [ "$(counter $r dvmrp.nbr.probes_sent)" -gt 0 ] &&
	    [ "$(counter $r dvmrp.rib.reports_in)" -gt 0 ] && [ "$(counter $r dvmrp.rib.reports_out)" -gt 0 ]'
done
# What one sent the other received (veths lose nothing), and the prune
# engines agree with the router's counters.
p=$(counter r2 dvmrp.tx.prune) g=$(counter r2 dvmrp.tx.graft) a=$(counter r1 dvmrp.tx.graft-ack)
check "5: r2 sent prunes and grafts, r1 graft acks" eval '[ "$p" -gt 0 ] && [ "$g" -gt 0 ] && [ "$a" -gt 0 ]'
expect_eq "5: r1 received r2's prunes and grafts (router and prune engine), r2 r1's acks" \
    "$(counter r1 dvmrp.rx.prune) $(counter r1 dvmrp.prune.prunes_rx) $(counter r1 dvmrp.rx.graft) $(counter r1 dvmrp.prune.grafts_rx) $(counter r2 dvmrp.rx.graft-ack) $(counter r2 dvmrp.prune.graft_acks_rx)" \
    "$p $p $g $g $a $a"
expect_eq "5: r2's prune engine counts what the router sent" \
    "$(( $(counter r2 dvmrp.prune.prunes_tx) + $(counter r2 dvmrp.prune.prune_rexmits) )) $(( $(counter r2 dvmrp.prune.grafts_tx) + $(counter r2 dvmrp.prune.graft_rexmits) )) $(counter r1 dvmrp.prune.graft_acks_tx)" \
    "$p $g $a"

# ---- JSON: every view parses, with its types ---------------------------------------
for v in neighbors interfaces status stats; do
	mctl r1 -j show $v >"$TMP/$v.json"
done
if python3 - "$TMP" >"$TMP/json.out" 2>&1 <<'PY'
import json, sys
t = sys.argv[1]
def load(name):
    with open(f"{t}/{name}.json") as f:
        d = json.load(f)
    assert d["status"] == 0, (name, d)
    return d
num = (int, float)
n = load("neighbors")["neighbor"][0]
assert n["interface"] == "eth0" and n["address"] == "198.18.71.2"
assert n["state"] == "two-way" and n["refused"] is None and n["version"] == "3.255"
assert isinstance(n["capabilities"], list) and "prune" in n["capabilities"], n
for k in ("genid", "uptime", "expires", "probes", "restarts"):
    assert isinstance(n[k], num) and not isinstance(n[k], bool), (k, n)
d = load("routes")
assert [r["group"] for r in d["route"]] == ["239.1.71.9"], d
rt = {r["origin"]: r for r in d["dvmrp_route"]}
assert sorted(rt) == ["198.18.71.0/24", "198.18.72.0/24", "198.18.73.0/24"], rt
assert rt["198.18.71.0/24"]["expires"] is None and rt["198.18.71.0/24"]["neighbor"] == "connected"
r = rt["198.18.73.0/24"]
assert r["metric"] == 2 and r["neighbor"] == "198.18.71.2" and isinstance(r["expires"], float), r
assert r["children"] == ["eth1"] and r["dependents"] == [], r
assert rt["198.18.72.0/24"]["dependents"] == [{"address": "198.18.71.2", "interface": "eth0"}]
s = load("prunes_r2")["prune"][0]
assert s["direction"] == "sent" and s["state"] == "pruned", s
assert isinstance(s["remaining"], float) and isinstance(s["retransmissions"], int), s
p = load("prunes_r1")["prune"][0]
assert p["direction"] == "received" and p["state"] is None and p["retransmissions"] is None, p
assert isinstance(p["remaining"], float), p
for i in load("interfaces")["interface"]:
    assert i["dvmrp"] is True and i["metric"] == 1, i
st = load("status")["daemon"][0]
assert st["dvmrp"] is True and st["dvmrp_vifs"] == 2 and st["dvmrp_neighbors"] == 1, st
assert st["dvmrp_two_way"] == 1 and st["dvmrp_routes"] == 3, st
stats = {x["name"]: x["value"] for x in load("stats")["stat"]}
for k in ("dvmrp.tx.probe", "dvmrp.rx_off", "dvmrp.nbr.adjacencies",
          "dvmrp.nbr.rx_ignored.off_subnet", "dvmrp.nbr.down.vif_down",
          "dvmrp.rib.reports_in", "dvmrp.prune.prunes_rx"):
    assert isinstance(stats[k], int), k
PY
then
	ok "JSON: neighbors, routes (route and dvmrp_route), prunes, interfaces, status and stats parse with their types"
else
	not_ok "JSON: $(tail -n 3 "$TMP/json.out" | tr '\n' ' ')"
fi
wait "$receiver"
check "4: hr received the stream" [ "$(packets_from "$TMP/hr.json" $G:5001)" -gt 0 ]
finish
