#!/usr/bin/env bash
# Static routes and the run-time commands, against the real kernel:
#  1. mcastctl join and add mroute apply mcastd.conf's rules and messages
#     (224.0.0.x, an any-source join in the SSM range, a range with host
#     bits set, a wildcard 'from' for a source-specific route), and what
#     they accept is visible: a route on an interface that does not exist
#     answers "waiting for eth9 (no such interface)" and shows in show
#     routes as waiting, a missing 'to' by its name; adding over a route
#     says what it replaced;
#  2. mcastctl reload prints the warnings it causes (a phyint typo names
#     the interface it probably meant), in JSON too, and exits 3 with the
#     configuration applied; mcastd -t gives the same warnings;
#  3. a group range route (239.7.0.0/16) forwards two groups in it and not
#     one outside it; the most specific route wins (an exact group beats
#     the range, a /24 added at run time beats the file's /16);
#  4. an interface wildcard (to lan+) picks up an interface created after
#     mcastd started; from eth+ to eth+ forwards among them.
#
#  hs 198.18.1.2 -- eth0 [r] eth1 -- ha 198.18.2.2
#                            eth2 -- hb 198.18.3.2
#                            lan7 (made later) -- LAN 4
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
routed_lab hs ha hb
S=198.18.1.2
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 4s
	query-response-interval 1s
}
mroute from eth0 group 239.7.0.0/16 to eth1
mroute from eth0 group 239.7.2.2 to eth2
mroute from eth0 group 239.9.0.0/16 to lan+
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }

# expect_reply NAME STATUS MESSAGE ARG...: mcastctl ARG... exits STATUS with
# exactly MESSAGE (stdout and stderr together).
expect_reply() {
	local name=$1 want_rc=$2 want=$3 got rc; shift 3
	got=$(mctl r "$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name: status $rc, said '$got'"
	fi
}

# ---- 1. the configuration's rules, and what was accepted is visible ---------
expect_reply "1: join of a link-local group refused as the file refuses it" 2 \
    "mcastctl: 224.0.0.5 is in 224.0.0.0/24, which is never forwarded (RFC 5771): expected a group outside it" \
    join eth2 224.0.0.5
expect_reply "1: any-source join in the SSM range refused" 2 \
    "mcastctl: join 232.1.1.1 is in the SSM range 232.0.0.0/8 (RFC 4604): expected 'source S' after it, or another ssm-range" \
    join eth2 232.1.1.1
expect_reply "1: a source-specific join in the SSM range is fine" 0 joined \
    join eth2 232.1.1.1 source $S
expect_reply "1: a range with host bits set" 2 \
    "mcastctl: 239.1.2.3/16 has host bits set: expected 239.1.0.0/16" \
    add mroute from eth0 group 239.1.2.3/16 to eth1
expect_reply "1: a wildcard 'from' for a source-specific route" 2 \
    "mcastctl: from: eth+ is a wildcard: expected the one interface a source-specific route comes in by" \
    add mroute from eth+ source $S group 239.1.1.1 to eth1
expect_reply "1: a route from an interface that does not exist waits, saying so" 0 \
    "route added, waiting for eth9 (no such interface)" \
    add mroute from eth9 group 239.1.1.1 to eth1
expect_reply "1: a missing 'to' is named" 0 \
    "route added, waiting for eth8 (no such interface)" \
    add mroute from eth0 group 239.1.1.3 to eth1 eth8
expect_reply "1: adding over a route says what it replaced" 0 \
    "route replaced (was: from eth0 group 239.1.1.3 to eth1 eth8)" \
    add mroute from eth0 group 239.1.1.3 to eth2
mctl r -j show routes >"$TMP/routes.json"
check "1: show routes lists them as accepted: waiting, missing by name" \
    python3 - "$TMP/routes.json" <<'PY'
import json, sys
routes = {(r["group"], r["origin"]): r for r in json.load(open(sys.argv[1]))["route"]}
def want(key, **fields):
    r = routes.get(key)
    for k, v in fields.items():
        if r is None or r[k] != v:
            print("# %s: %r" % (key, r))
            sys.exit(1)
want(("239.1.1.1", "mcastctl"), **{"from": "eth9", "to": ["eth1"], "state": "waiting",
     "in": [], "out": [], "missing": ["eth9"]})
want(("239.1.1.3", "mcastctl"), **{"to": ["eth2"], "state": "applied", "in": ["eth0"],
     "out": ["eth2"], "missing": []})
want(("239.7.0.0/16", "file"), **{"to": ["eth1"], "state": "applied", "in": ["eth0"],
     "out": ["eth1"]})
want(("239.9.0.0/16", "file"), **{"to": ["lan+"], "state": "applied", "out": [],
     "missing": ["lan+"]})
PY
expect_reply "1: del finds the waiting route" 0 "route deleted" \
    del mroute from eth9 group 239.1.1.1

# ---- 2. reload's warnings ---------------------------------------------------
cp "$TMP/mcastd.conf" "$TMP/good.conf"
cat >>"$TMP/mcastd.conf" <<CONF
phyint eht2 disable
CONF
mctl r reload >"$TMP/reload.out" 2>"$TMP/reload.err"
rc=$?
expect_eq "2: reload with a name matching no interface exits 3" "$rc" 3
expect_eq "2: ... and says why" "$(cat "$TMP/reload.err")" \
    "mcastctl: configuration reloaded from $TMP/mcastd.conf, but 1 name in it matches no interface (see the warning)"
check "2: ... printing the warning with the interface it probably meant" \
    grep -q "phyint eht2: no such interface (did you mean eth2?); its settings apply when it appears" "$TMP/reload.out"
mctl r -j reload >"$TMP/reload.json"
check "2: mcastctl -j reload gives the warning as JSON (unchanged: warned again)" \
    python3 - "$TMP/reload.json" "$TMP/mcastd.conf" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
w = d["warning"]
ok = (d["status"] == 3 and len(w) == 1 and w[0]["file"] == sys.argv[2] and w[0]["line"] == 8
      and w[0]["statement"] == "phyint" and w[0]["name"] == "eht2" and w[0]["did_you_mean"] == "eth2")
if not ok:
    print("# %r" % d)
sys.exit(0 if ok else 1)
PY
check "2: the configuration was applied all the same (eth2 still routes)" \
    eval "mctl r show interfaces | awk '\$1 == \"eth2\" && \$5 == \"routing\"' | grep -q ."
check "2: the log has the warning too" \
    grep -q "mcastd.conf:8: phyint eht2: no such interface (did you mean eth2?)" "$TMP/mcastd-r.log"
nsx r "$MCASTD" -t -f "$TMP/mcastd.conf" >"$TMP/t.out" 2>"$TMP/t.err"
expect_eq "2: mcastd -t exits 0 on warnings" "$?" 0
expect_eq "2: mcastd -t gives the same warning on the host it runs on" "$(cat "$TMP/t.err")" \
    "$TMP/mcastd.conf:8: warning: phyint eht2: no such interface (did you mean eth2?); its settings apply when it appears"
cp "$TMP/good.conf" "$TMP/mcastd.conf"
expect_reply "2: a reload without it: no warning, status 0" 0 \
    "configuration reloaded from $TMP/mcastd.conf" reload

# ---- 3. a group range ------------------------------------------------------
for g in 239.7.1.1 239.7.2.2 239.8.1.1; do
	bg hs "$MCAST" send -i eth0 -t 8 -r 100 -d 3 -q $g:7001
done
check "3: 239.7.1.1 (in the range) goes to eth1" \
    wait_for 3 eval '[ "$(mfc_oifs r $S 239.7.1.1)" = eth1 ]'
check "3: 239.7.2.2 (its own route, more specific) goes to eth2 only" \
    wait_for 3 eval '[ "$(mfc_oifs r $S 239.7.2.2)" = eth2 ]'
check "3: 239.8.1.1 (outside the range) has an entry ..." \
    wait_for 3 eval "nsx r ip mroute show | grep -q '($S,239.8.1.1)'"
expect_eq "3: ... and goes nowhere" "$(mfc_oifs r $S 239.8.1.1)" ""
expect_reply "3: a narrower range at run time" 0 "route added" \
    add mroute from eth0 group 239.7.1.0/24 to eth1 eth2
check "3: 239.7.1.1 follows the most specific range, /24 over /16" \
    wait_for 2 eval '[ "$(mfc_oifs r $S 239.7.1.1)" = "eth1 eth2" ]'
expect_eq "3: the exact route still wins for 239.7.2.2" "$(mfc_oifs r $S 239.7.2.2)" eth2
expect_reply "3: del finds the range by its group and length" 0 "route deleted" \
    del mroute from eth0 group 239.7.1.0/24
check "3: 239.7.1.1 falls back to the /16" \
    wait_for 2 eval '[ "$(mfc_oifs r $S 239.7.1.1)" = eth1 ]'

# ---- 4. a wildcard picks up an interface made later -----------------------
lan_bridge 4
lan_port r lan7 4 1
check "4: lan7 becomes a VIF" \
    wait_for 5 eval "mctl r show interfaces | awk '\$1 == \"lan7\" && \$5 == \"routing\"' | grep -q ."
bg hs "$MCAST" send -i eth0 -t 8 -r 100 -d 3 -q 239.9.1.1:7001
check "4: 'to lan+' sends 239.9.1.1 out of lan7" \
    wait_for 3 eval '[ "$(mfc_oifs r $S 239.9.1.1)" = lan7 ]'
check "4: show routes says the wildcard matches lan7 now" \
    eval "mctl r -j show routes | grep -q '\"group\":\"239.9.0.0/16\",\"from\":\"eth0\",\"to\":\\[\"lan+\"\\],\"origin\":\"file\",\"state\":\"applied\",\"in\":\\[\"eth0\"\\],\"out\":\\[\"lan7\"\\],\"missing\":\\[\\]'"
expect_reply "4: from eth+ to eth+: among them" 0 "route added" \
    add mroute from eth+ group 239.10.0.0/16 to eth+
bg hs "$MCAST" send -i eth0 -t 8 -r 100 -d 2 -q 239.10.1.1:7001
check "4: ... 239.10.1.1 from eth0 goes out of eth1 and eth2, not back" \
    wait_for 3 eval '[ "$(mfc_oifs r $S 239.10.1.1)" = "eth1 eth2" ]'
check "mcastd still runs" kill -0 $MCASTD_PID
finish
