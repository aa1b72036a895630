#!/usr/bin/env bash
# mcast mrinfo and mcast map with the real kernel: against three mcastd
# routers in a line (exact VIFs, neighbours, metric/threshold/flags, JSON,
# the map's nodes and edges), a silent address, bad arguments; and against
# mrouted 4.6, compared with mrouted's own mrinfo.
#
#  s 198.18.81.10 -- eth1 r1 eth2 -- (LAN 82) -- eth1 r2 eth2 -- (LAN 83)
#                                                 -- eth1 r3 eth2 -- (LAN 84)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd

for lan in 81 82 83 84; do
	lan_bridge $lan
done
for r in r1 r2 r3; do
	new_ns $r
	router_sysctls $r
done
lan_port r1 eth1 81 1
lan_port r1 eth2 82 1
lan_port r2 eth1 82 2
lan_port r2 eth2 83 2
lan_port r3 eth1 83 3
lan_port r3 eth2 84 1
# Unicast routes across the line, for questions to routers farther away.
ip -n "$P-r1" route add 198.18.83.0/24 via 198.18.82.2
ip -n "$P-r1" route add 198.18.84.0/24 via 198.18.82.2
ip -n "$P-r2" route add 198.18.81.0/24 via 198.18.82.1
ip -n "$P-r2" route add 198.18.84.0/24 via 198.18.83.3
ip -n "$P-r3" route add 198.18.81.0/24 via 198.18.83.2
ip -n "$P-r3" route add 198.18.82.0/24 via 198.18.83.2
new_ns s
lan_port s eth0 81 10
ip -n "$P-s" route add default via 198.18.81.1

cat >"$TMP/r.conf" <<CONF
igmp { query-interval 4s; query-response-interval 1s }
CONF
for r in r1 r2 r3; do
	start_mcastd $r "$TMP/r.conf" || { not_ok "mcastd started in $r"; exit 1; }
done
up() { grep -q "$2: DVMRP neighbour $3 up (two-way)" "$TMP/mcastd-$1.log"; }
check "r1-r2 and r2-r3 are two-way neighbours" \
    wait_for 8 eval 'up r1 eth2 198.18.82.2 && up r2 eth1 198.18.82.1 &&
	up r2 eth2 198.18.83.3 && up r3 eth1 198.18.83.2'
# Queriers: the lower address wins each LAN (r1 on 82, r2 on 83).
sleep 1

# ---- 1. mrinfo against the middle router ----------------------------------
nsx s "$MCAST" mrinfo -n -t 2 198.18.82.2 >"$TMP/m.txt" 2>"$TMP/m.err"
expect_eq "mrinfo r2 exits 0" "$?" 0
cat >"$TMP/m.want" <<EOF
198.18.82.2 (198.18.82.2) [version 3.255,prune,genid,mtrace]:
  198.18.82.2 -> 198.18.82.1 (198.18.82.1) [1/1]
  198.18.83.2 -> 198.18.83.3 (198.18.83.3) [1/1/querier]
EOF
expect_eq "mrinfo r2 prints its VIFs, neighbours, metric/threshold, flags" \
    "$(cat "$TMP/m.txt")" "$(cat "$TMP/m.want")"

# Asked at its far address, r2 answers from the one the question came in on.
nsx s "$MCAST" mrinfo -n -t 2 198.18.83.2 >"$TMP/m2.txt" 2>&1
expect_eq "mrinfo r2 at 198.18.83.2: the reply from 198.18.82.2 is taken" \
    "$(cat "$TMP/m2.txt")" "$(cat "$TMP/m.want")"

nsx s "$MCAST" mrinfo -t 2 --json 198.18.82.2 >"$TMP/m.json"
expect_eq "mrinfo --json r2: exact fields" "$(cat "$TMP/m.json")" \
    '{"router":"198.18.82.2","reply_from":"198.18.82.2","version":"3.255","capabilities":["prune","genid","mtrace"],"vifs":[{"local":"198.18.82.2","metric":1,"threshold":1,"flags":[],"neighbors":["198.18.82.1"]},{"local":"198.18.83.2","metric":1,"threshold":1,"flags":["querier"],"neighbors":["198.18.83.3"]}]}'

# r3's LAN 84 has no neighbour: mrouted's 0.0.0.0 (local), a leaf.
nsx s "$MCAST" mrinfo -n -t 2 198.18.83.3 >"$TMP/m3.txt"
expect_eq "mrinfo r3: a VIF without neighbours is 0.0.0.0 (local), leaf" \
    "$(grep 198.18.84.1 "$TMP/m3.txt")" \
    "  198.18.84.1 -> 0.0.0.0 (local) [1/1/querier/leaf]"

# ---- 2. map from r1 ---------------------------------------------------------
nsx s "$MCAST" map -t 2 --dot 198.18.81.1 >"$TMP/map.dot" 2>"$TMP/map.err"
expect_eq "map --dot exits 0" "$?" 0
cat >"$TMP/map.want" <<'EOF'
digraph mcast_map {
	"198.18.81.1" [label="198.18.81.1\n198.18.82.1"];
	"198.18.82.2" [label="198.18.82.2\n198.18.83.2"];
	"198.18.83.3" [label="198.18.83.3\n198.18.84.1"];
	"198.18.81.1" -> "198.18.82.2" [label="1/1"];
	"198.18.82.2" -> "198.18.81.1" [label="1/1"];
	"198.18.82.2" -> "198.18.83.3" [label="1/1"];
	"198.18.83.3" -> "198.18.82.2" [label="1/1"];
}
EOF
expect_eq "map --dot: exactly r1, r2, r3 and their four links" \
    "$(cat "$TMP/map.dot")" "$(cat "$TMP/map.want")"
nsx s "$MCAST" map -t 2 --json 198.18.81.1 >"$TMP/map.json"
expect_eq "map --json: routers and links" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(r["router"] + ":" + r["status"] for r in d["routers"]))
print(" ".join(l["from"] + ">" + l["to"] for l in d["links"]))
' "$TMP/map.json")" "198.18.81.1:answered 198.18.82.2:answered 198.18.83.3:answered
198.18.81.1>198.18.82.2 198.18.82.2>198.18.81.1 198.18.82.2>198.18.83.3 198.18.83.3>198.18.82.2"
nsx s "$MCAST" map -n -t 2 --max-routers 2 198.18.81.1 >"$TMP/map2.txt"
expect_eq "map --max-routers 2: two blocks, the rest counted" \
    "$(grep -c '^198.18.*\]:$' "$TMP/map2.txt") $(tail -n 1 "$TMP/map2.txt")" \
    "2 1 more neighbour not asked: --max-routers 2 reached"

nsx s "$MCAST" map -n -t 2 -T 10ms 198.18.81.1 >"$TMP/map3.txt"
expect_eq "map -T 10ms: r1 asked (always), r2 past the time limit" \
    "$(grep -c '^198.18.*\]:$' "$TMP/map3.txt") $(tail -n 1 "$TMP/map3.txt")" \
    "1 198.18.82.2: not asked (time limit)"
# With Router Alert (mrouted's mrinfo's way) the question to r2 reaches
# r1's routing socket instead of being forwarded (Linux), and r1's mcastd
# sends it on (igmp.tx_transit): r2 answers.
nsx s "$MCAST" mrinfo -n -t 1 --router-alert 198.18.81.1 >"$TMP/ra1.txt"
expect_eq "mrinfo --router-alert r1 (one hop): answered" "$? $(head -n 1 "$TMP/ra1.txt")" \
    "0 198.18.81.1 (198.18.81.1) [version 3.255,prune,genid,mtrace]:"
nsx s "$MCAST" mrinfo -n -t 1 --router-alert 198.18.82.2 >"$TMP/ra2.txt" 2>&1
expect_eq "mrinfo --router-alert r2 (two hops): r1 sends the question on, r2 answers" \
    "$? $(head -n 1 "$TMP/ra2.txt")" \
    "0 198.18.82.2 (198.18.82.2) [version 3.255,prune,genid,mtrace]:"

# ---- 3. nobody answers, bad arguments -------------------------------------
t0=$(now_ms)
nsx s "$MCAST" mrinfo -t 0.5 -r 1 198.18.84.99 >"$TMP/out" 2>"$TMP/err"
rc=$? t1=$(now_ms)
expect_eq "mrinfo of a silent address exits 1" "$rc" 1
expect_eq "... saying so" "$(cat "$TMP/err")" \
    "mcast: mrinfo: no answer from 198.18.84.99: 2 questions from 198.18.81.10, 0.5 s each (is it a DVMRP router? try -t or -r)"
check "... within its 2 x 0.5 s (took $((t1 - t0)) ms)" [ $((t1 - t0)) -lt 1800 ]
nsx s "$MCAST" map -t 0.3 -r 0 198.18.84.99 >"$TMP/out" 2>"$TMP/err"
expect_eq "map from a silent address exits 1, prints nothing" "$? $(wc -c <"$TMP/out")" "1 0"

usage() { # NAME WANT ARGS...
	local name=$1 want=$2 rc; shift 2
	nsx s "$MCAST" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(tail -n 1 "$TMP/err")" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name: status $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}
usage "mrinfo without ROUTER: exit 2" \
    "mcast: mrinfo: no ROUTER given: expected a router's address, e.g. mcast mrinfo 198.18.1.1" mrinfo
usage "mrinfo of a group: exit 2" \
    "mcast: mrinfo: router '239.1.1.1' is not a unicast address: expected a router's IPv4 address, e.g. 198.18.1.1" \
    mrinfo 239.1.1.1
usage "mrinfo -r x: exit 2" \
    "mcast: mrinfo: retries 'x' is out of range: expected 0 to 100" mrinfo -r x 198.18.81.1
usage "mrinfo -t 0: exit 2" \
    "mcast: timeout '0' is not a duration: expected a positive number of seconds, e.g. 10, 2.5, 500ms, 2m" \
    mrinfo -t 0 198.18.81.1
usage "map --dot --json: exit 2" \
    "mcast: map: --dot and --json given: expected one output format" map --dot --json 198.18.81.1
usage "map two routers: exit 2" \
    "mcast: map: one ROUTER expected, got '198.18.81.1' and '198.18.82.2'" map 198.18.81.1 198.18.82.2

# ---- 4. mrouted 4.6: mcast mrinfo against mrouted's own mrinfo -------------
# r3 becomes mrouted: r2 keeps its neighbour on LAN 83.  mrouted answers
# with Router Alert, which a Linux router on the way hands to its daemon
# instead of forwarding: both mrinfos ask from r2, next to it.
require_mrouted
kill "$MCASTD_PID" 2>/dev/null
wait "$MCASTD_PID" 2>/dev/null
printf 'phyint eth1 igmpv3\nphyint eth2 igmpv3\n' >"$TMP/mr.conf"
start_mrouted r3 "$TMP/mr.conf" || { not_ok "mrouted started in r3"; finish; }
check "mrouted in r3 and mcastd in r2 are neighbours" \
    wait_for 25 eval 'up r2 eth2 198.18.83.3'
sleep 1
vif_lines() { grep -- ' -> ' "$1" | sort; }
nsx r2 timeout 10 "$MROUTED_BIN/mrinfo" -n -t 2 198.18.83.3 >"$TMP/mr.txt" 2>&1
nsx r2 "$MCAST" mrinfo -n -t 2 198.18.83.3 >"$TMP/mc.txt" 2>&1
check "mrouted's mrinfo answered ($(vif_lines "$TMP/mr.txt" | wc -l) lines)" \
    [ -n "$(vif_lines "$TMP/mr.txt")" ]
expect_eq "mcast mrinfo of mrouted: the same VIFs, neighbours and flags as mrouted's mrinfo" \
    "$(vif_lines "$TMP/mc.txt")" "$(vif_lines "$TMP/mr.txt")"
expect_eq "mcast mrinfo of mrouted: header" "$(head -n 1 "$TMP/mc.txt")" \
    "198.18.83.3 (198.18.83.3) [version 3.255,prune,genid,mtrace]:"
nsx r2 "$MCAST" mrinfo -t 2 --json 198.18.83.3 >"$TMP/mc.json"
expect_eq "mcast mrinfo --json of mrouted: the fields mrouted's mrinfo prints" \
    "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for v in d["vifs"]:
    for n in v["neighbors"] or ["0.0.0.0"]:
        f = "".join("/" + x for x in v["flags"])
        print("  %s -> %s (%s) [%d/%d%s]" % (v["local"], n,
            n if n != "0.0.0.0" else "local", v["metric"], v["threshold"], f))
' "$TMP/mc.json" | sort)" "$(vif_lines "$TMP/mr.txt")"
finish
