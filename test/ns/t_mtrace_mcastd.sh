#!/usr/bin/env bash
# mcastd as a hop of multicast traceroute: three mcastd routers in a line
# route by DVMRP, a stream flows from LAN 81 to h on LAN 84, and
# `mcast mtrace S G` from h gets every hop with its interfaces, protocol
# DVMRP and "no error", counters that grow between two samples; the
# response crosses r2 and r3 by unicast with Router Alert, which Linux hands
# their routing sockets instead of forwarding: mcastd sends it on.  A group
# nobody wants gives "prune sent" (r3, r2) and "prune received" (r1); a
# receiver on LAN 85, where nobody listens, "not forwarding" at r2; a
# boundary on r2's LAN 85 "scoped".  mrouted's own mtrace finds the same
# hops, and a query sent by unicast to r3 from the source's LAN crosses r1
# and r2 to it.  Forged queries (a flood, hops 0, bad response addresses, a
# loop, hops full) are counted, and the flood's responses capped.
#
#  s 198.18.81.10 -- eth1 r1 eth2 -- (LAN 82) -- eth1 r2 eth2 -- (LAN 83)
#                                                    r2 eth3 -- (LAN 85) -- x .10
#                                   -- eth1 r3 eth2 -- h 198.18.84.10
#  (lib.sh's line_lab, whose LAN 89 from r1 to h is not used for h's
#  address here)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
require_mrouted
INJ=$(dirname "$MCAST")/test/igmp_inject
[ -x "$INJ" ] || { not_ok "no $INJ: run make helpers first"; exit 1; }
S=198.18.81.10 G=239.1.81.1 G2=239.1.81.2 GS=239.255.81.1

line_lab 8 r ""
# Not LAN 89's short cut: the responses from r1 cross r2 and r3 to h.
nsx r1 ip route del 198.18.84.10/32
lan_bridge 85
lan_port r2 eth3 85 1
nsx r1 ip route add 198.18.85.0/24 via 198.18.82.2
new_ns x
lan_port x eth0 85 10
nsx x ip route add 224.0.0.0/4 dev eth0
nsx x ip route add default via 198.18.85.1

cat >"$TMP/r.conf" <<CONF
igmp { query-interval 4s; query-response-interval 1s; last-member-query-interval 300ms }
dvmrp { prune-lifetime 300s }
CONF
{ cat "$TMP/r.conf"; echo "phyint eth3 boundary 239.255.0.0/16"; } >"$TMP/r2.conf"
for r in r1 r2 r3; do
	conf="$TMP/r.conf"
	[ $r = r2 ] && conf="$TMP/r2.conf"
	start_mcastd $r "$conf" || { not_ok "mcastd started in $r"; exit 1; }
done

check "r3 learns 198.18.81.0/24 (through r2)" wait_for 30 \
    eval 'mctl r3 show routes 2>/dev/null | grep -q "198.18.81.0/24"'

# ---- a stream flowing to h -------------------------------------------------
bg h "$MCAST" join -i eth0 -d 200 $G
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 200 -q $G:8101
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 200 -q $G2:8101
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 200 -q $GS:8101
check "r3 forwards ($S,$G) onto LAN 84" wait_for 20 \
    eval '[ "$(mfc_oifs r3 $S $G)" = eth2 ]'

hops() { # FILE: "hop router in out prev proto code ttl" per hop
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
for h in j["hops"]:
    print(h["hop"], h["router"], h["in"], h["prev_hop"], h["proto"], h["fwd_code"], h["fwd_ttl"])' "$1"
}
capture h "$TMP/h.pcap" "ip proto 2" # r3's queries start it
nsx h "$MCAST" mtrace $S $G -w 3 --json >"$TMP/mt.json" 2>"$TMP/mt.err"
rc=$?
sleep 0.5
kill "$CAPTURE_PID" 2>/dev/null
expect_eq "mcast mtrace through three mcastd exits 0 (full trace)" "$rc" 0
expect_eq "every hop: interfaces, previous hops, DVMRP, no error, threshold" \
    "$(hops "$TMP/mt.json")" \
"1 198.18.84.1 198.18.83.3 198.18.83.2 DVMRP NO_ERROR 1
2 198.18.83.2 198.18.82.2 198.18.82.1 DVMRP NO_ERROR 1
3 198.18.82.1 198.18.81.1 0.0.0.0 DVMRP NO_ERROR 1"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/mt.err" "$TMP/mt.json"
stat() { mctl $1 -j show stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in (d["stat"] if isinstance(d, dict) else d):
    if s["name"] == sys.argv[1]: print(s["value"])' "$2"; }
expect_eq "r3 took the query and forwarded it; r1 answered" \
    "$(stat r3 mtrace.last_hop_query) $(stat r3 mtrace.tx_forwarded) $(stat r2 mtrace.rx_request) $(stat r1 mtrace.tx_response)" \
    "1 1 1 1"
check "r2 and r3 sent the response on (in transit, Router Alert)" \
    eval '[ "$(stat r2 igmp.tx_transit)" -ge 1 ] && [ "$(stat r3 igmp.tx_transit)" -ge 1 ]'
# Linux gives the routing socket the response instead of forwarding it
# (ip_forward -> ip_call_ra_chain): had the kernel forwarded it as well, h
# would get two copies.
expect_eq "h got the response once: the kernel did not forward it too" \
    "$(tcpdump -r "$TMP/h.pcap" -n 'ip proto 2 and ip[((ip[0] & 0xf) << 2)] = 0x1e' 2>/dev/null | wc -l)" 1

# ---- a query by unicast to the last hop, from the source's side -------------
# It crosses r1 and r2 (Router Alert: their routing sockets get it) to r3.
nsx s "$MCAST" mtrace $S $G -r 198.18.84.10 -g 198.18.84.1 -w 3 --json \
    >"$TMP/mtg.json" 2>&1
expect_eq "from s with -g r3: the query crossed r1 and r2, every hop answers" \
    "$(hops "$TMP/mtg.json" | cut -d' ' -f1-3)" \
"1 198.18.84.1 198.18.83.3
2 198.18.83.2 198.18.82.2
3 198.18.82.1 198.18.81.1"

# ---- two samples: the counters grow ----------------------------------------
nsx h "$MCAST" mtrace $S $G -q 2 -i 2 --json >"$TMP/mt2.json" 2>&1
check "two samples: every hop forwards about 50 pps of ($S,$G)" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["samples"] == 2 and len(j["hops"]) == 3, j
for h in j["hops"]:
    assert 30 <= h["sg_pps"] <= 70, h' "$TMP/mt2.json" ||
	sed 's/^/#   /' "$TMP/mt2.json"

# ---- mrouted's mtrace against the mcastd chain -----------------------------
nsx h timeout 60 "$MROUTED_BIN/mtrace" -n -w 3 $S $G >"$TMP/mr.txt" 2>&1
expect_eq "mrouted's mtrace finds the same hops (out addresses)" \
    "$(awk '$1 ~ /^-[0-9]+$/ { print -$1, $2 }' "$TMP/mr.txt" | head -n 3)" \
"1 198.18.84.1
2 198.18.83.2
3 198.18.82.1"
grep -q "Round trip" "$TMP/mr.txt" || sed 's/^/#   /' "$TMP/mr.txt"

# ---- a pruned branch: nobody wants G2 --------------------------------------
check "r1 keeps ($S,$G2) pruned off LAN 82" wait_for 20 \
    eval 'nsx r1 ip mroute show | grep -q "($S, *$G2)\|($S,$G2)" && [ -z "$(mfc_oifs r1 $S $G2)" ]'
nsx h "$MCAST" mtrace $S $G2 --json >"$TMP/mt3.json" 2>&1
expect_eq "pruned: r3 and r2 'prune sent', r1 'prune received'" \
    "$(python3 -c 'import json,sys; print(" / ".join(h["fwd_code_name"] for h in json.load(open(sys.argv[1]))["hops"]))' "$TMP/mt3.json")" \
    "prune sent / prune sent / prune received"

# ---- LAN 85: nobody listens there; a boundary covers 239.255/16 -------------
nsx x "$MCAST" mtrace $S $G -r 198.18.85.10 --json >"$TMP/mt4.json" 2>&1
expect_eq "to LAN 85 (no member): r2 'not forwarding', r1 'no error'" \
    "$(python3 -c 'import json,sys; print(" / ".join(h["router"] + " " + h["fwd_code_name"] for h in json.load(open(sys.argv[1]))["hops"]))' "$TMP/mt4.json")" \
    "198.18.85.1 not forwarding / 198.18.82.1 no error"
nsx x "$MCAST" mtrace $S $GS -r 198.18.85.10 --json >"$TMP/mt5.json" 2>&1
expect_eq "to LAN 85 for $GS: r2 'scoped' (its boundary)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hops"][0]["fwd_code_name"])' "$TMP/mt5.json")" \
    "scoped"

# ---- forged and lying queries, from h's LAN --------------------------------
# A flood of queries for a source on r3's own LAN (r3 answers itself) with a
# forged response address, s: at most 10 responses a second leave r3.
before=$(stat r3 mtrace.tx_response)
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 -c 200 \
    mtrace 198.18.84.10 $G 198.18.84.10 $S >/dev/null
sleep 0.5
sent=$(($(stat r3 mtrace.tx_response) - before)) rate=$(stat r3 mtrace.dropped.rate)
check "a flood of 200 queries: r3 answers at most 2 x 10 ($sent), drops the rest ($rate)" \
    eval '[ "$sent" -le 20 ] && [ "$sent" -ge 1 ] && [ $((sent + rate)) -eq 200 ]'
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 \
    mtrace $S $G 198.18.84.10 198.18.84.10 0 >/dev/null
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 \
    mtrace $S $G 198.18.84.10 0.0.0.0 >/dev/null
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 \
    mtrace $S $G 198.18.84.10 198.18.84.1 >/dev/null
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 \
    mtrace $S $G 198.18.84.10 198.18.84.10 8 198.18.84.1 >/dev/null
nsx h "$INJ" -i eth0 -d 198.18.84.1 -t 64 \
    mtrace $S $G 198.18.84.10 198.18.84.10 1 198.18.84.7 >/dev/null
check "hops 0, response to 0.0.0.0 and to r3, a loop, hops full: counted" \
    wait_for 2 eval '[ "$(stat r3 mtrace.dropped.hops_zero) $(stat r3 mtrace.dropped.response_address) $(stat r3 mtrace.dropped.loop) $(stat r3 mtrace.dropped.hops_full)" = "1 2 1 1" ]'

for r in r1 r2 r3; do
	check "mcastd still runs in $r" eval "mctl $r show status >/dev/null"
done
finish
