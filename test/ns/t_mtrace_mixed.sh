#!/usr/bin/env bash
# mtrace through a mixed chain: mcastd (r1), mrouted 4.6 (r2), mcastd (r3)
# route by DVMRP; `mcast mtrace S G` and mrouted's `mtrace` from h get the
# same three hops: r3 (mcastd) takes the query and sends its request to
# mrouted, which appends its block and sends it on to r1 (mcastd), which
# answers.  The response goes back to h through LAN 69 (r1 routes h's
# address there): mrouted drops a response in transit, which Linux hands it
# instead of forwarding (t_mtrace.sh).
#
#  s 198.18.61.10 -- eth1 r1 eth2 -- (LAN 62) -- eth1 r2 eth2 -- (LAN 63)
#                    mcastd                      mrouted
#                   -- eth1 r3 eth2 -- h 198.18.64.10
#                      mcastd
#                   r1 eth3 198.18.69.1 -- (LAN 69) -- eth1 198.18.69.10 (h)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
require_mrouted
S=198.18.61.10 G=239.1.61.1

line_lab 6 r ""

printf 'igmp { query-interval 4s; query-response-interval 1s }\nphyint eth3 disable\n' >"$TMP/r1.conf"
echo 'igmp { query-interval 4s; query-response-interval 1s }' >"$TMP/r3.conf"
printf 'prune-lifetime 120\nigmp-query-interval 4\nigmp-query-reponse-interval 1\n' >"$TMP/r2.conf"
start_mcastd r1 "$TMP/r1.conf" || { not_ok "mcastd started in r1"; exit 1; }
start_mrouted r2 "$TMP/r2.conf" || { not_ok "mrouted started in r2"; exit 1; }
start_mcastd r3 "$TMP/r3.conf" || { not_ok "mcastd started in r3"; exit 1; }

check "r3 (mcastd) learns 198.18.61.0/24 through r2 (mrouted)" wait_for 150 \
    eval 'mctl r3 show routes 2>/dev/null | grep "198.18.61.0/24" | grep -q "198.18.63.2"'

bg h "$MCAST" join -i eth0 -d 120 $G
bg s "$MCAST" send -i eth0 -t 16 -r 50 -d 120 -q $G:6101
check "r3 forwards ($S,$G) onto LAN 64" wait_for 30 \
    eval '[ "$(mfc_oifs r3 $S $G)" = eth2 ]'

nsx h "$MCAST" mtrace $S $G -w 3 --json >"$TMP/mt.json" 2>&1
expect_eq "mcast mtrace: mcastd, mrouted, mcastd answer in turn" \
    "$(python3 -c '
import json, sys
for h in json.load(open(sys.argv[1]))["hops"]:
    print(h["hop"], h["router"], h["in"], h["prev_hop"], h["proto"], h["fwd_code"])' "$TMP/mt.json")" \
"1 198.18.64.1 198.18.63.3 198.18.63.2 DVMRP NO_ERROR
2 198.18.63.2 198.18.62.2 198.18.62.1 DVMRP NO_ERROR
3 198.18.62.1 198.18.61.1 0.0.0.0 DVMRP NO_ERROR" ||
	sed 's/^/#   /' "$TMP/mt.json"

nsx h timeout 60 "$MROUTED_BIN/mtrace" -n -s -w 3 $S $G >"$TMP/mr.txt" 2>&1
expect_eq "mrouted's mtrace finds the same hops (out addresses)" \
    "$(awk '$1 ~ /^-[0-9]+$/ { print -$1, $2 }' "$TMP/mr.txt" | head -n 3)" \
"1 198.18.64.1
2 198.18.63.2
3 198.18.62.1" || sed 's/^/#   /' "$TMP/mr.txt"

for r in r1 r3; do
	check "mcastd still runs in $r" eval "mctl $r show status >/dev/null"
done
finish
