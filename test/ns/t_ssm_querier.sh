#!/usr/bin/env bash
# A source-specific receiver on a LAN whose querier speaks IGMPv2: the
# kernel falls back to v2 there, which cannot carry (S,G), and mcast recv
# -S / join -S say so (stderr once, the "nothing received" line, JSON) —
# at start, or a few seconds later when the v2 query comes after the join.
# With an IGMPv3 querier, no word.
. "$(dirname "$0")/lib.sh"
require_lab
INJ=${INJ:-$(dirname "$MCAST")/test/igmp_inject}
[ -x "$INJ" ] || { not_ok "no $INJ: run make helpers"; exit 1; }
lan_lab 4
S=198.18.1.3 G=232.1.1.1
# query V: h2 (198.18.1.3) sends one IGMPv V general query on the LAN.
query() {
	nsx h2 "$INJ" -i eth0 -V "$1" query >/dev/null || not_ok "igmp_inject -V $1 query"
}
# querier_seen HOST: the version in HOST's /proc/net/igmp for eth0.
querier_seen() {
	nsx "$1" awk '$2 == "eth0" { print $5 }' /proc/net/igmp
}
WARN="mcast: warning: eth0: the querier on this link speaks IGMPv2 (the kernel fell back to it, /proc/net/igmp), which cannot carry sources: a source-specific join cannot be heard there; routers will not forward $S -> $G unless they have a static route for it"

# An IGMPv3 querier: nothing to say.
query 3
wait_for 3 eval '[ "$(querier_seen h1)" = V3 ]'
expect_eq "h1's kernel: the querier is v3" "$(querier_seen h1)" V3
nsx h1 "$MCAST" recv -i eth0 -S $S -d 1 $G:7000 >"$TMP/v3.out" 2>"$TMP/v3.err"
expect_eq "with a v3 querier recv -S prints no warning" "$(cat "$TMP/v3.err")" ""
expect_eq "and says only: nothing received" "$(cat "$TMP/v3.out")" "nothing received"

# An IGMPv2 querier heard before the join: the warning at start.
query 2
wait_for 3 eval '[ "$(querier_seen h1)" = V2 ]'
expect_eq "h1's kernel fell back: the querier is v2" "$(querier_seen h1)" V2
nsx h1 "$MCAST" recv -i eth0 -S $S -d 1 $G:7000 >"$TMP/v2.out" 2>"$TMP/v2.err"
expect_eq "recv -S warns once, naming the link, the version and (S,G)" "$(cat "$TMP/v2.err")" "$WARN"
expect_eq "and the summary says why nothing was received" "$(cat "$TMP/v2.out")" \
    "nothing received: the querier on eth0 speaks IGMPv2, which cannot carry a source-specific join (see the warning above)"
nsx h1 "$MCAST" recv -i eth0 -S $S -d 1.5 --json $G:7000 >"$TMP/v2.json" 2>/dev/null
check "JSON summary: the warning in \"warnings\"" \
    eval "tail -n 1 '$TMP/v2.json' | grep -qF '\"warnings\":[\"${WARN#mcast: warning: }\"]'"
head -n 1 "$TMP/v2.json" >"$TMP/v2.interval"
check "JSON interval objects carry it too" \
    eval "grep -q '\"type\":\"interval\"' '$TMP/v2.interval' && grep -qF '\"warnings\":[\"eth0: the querier' '$TMP/v2.interval'"
nsx h1 "$MCAST" join -i eth0 -S $S -d 0.5 $G >"$TMP/join.out" 2>"$TMP/join.err"
expect_eq "join -S warns the same way" "$(cat "$TMP/join.err")" "$WARN"
nsx h1 "$MCAST" recv -i eth0 -S $S -d 0.5 239.1.1.7:7000 >/dev/null 2>"$TMP/asm.err"
expect_eq "outside the SSM range: the v2 join admits every source" "$(cat "$TMP/asm.err")" \
    "mcast: warning: eth0: the querier on this link speaks IGMPv2 (the kernel fell back to it, /proc/net/igmp), which cannot carry sources: a source-specific join cannot be heard there; routers hear a join of 239.1.1.7 from any source, and this host drops all but $S"
nsx h1 "$MCAST" recv -i eth0 -d 0.5 239.1.1.7:7000 >/dev/null 2>"$TMP/any.err"
expect_eq "an any-source join is not warned about" "$(cat "$TMP/any.err")" ""

# An IGMPv2 querier heard after the join, on a link of its own (y's
# querier z has said nothing yet): the warning comes while recv still
# waits.  No -i: the kernel joined where its route says, and that link is
# the one looked at.
new_ns y
new_ns z
p2p_link y eth0 198.18.3.2/24 z eth0 198.18.3.1/24
ip -n "$P-y" route add 224.0.0.0/4 dev eth0
bg y "$MCAST" recv -S $S -d 6 $G:7000 >"$TMP/late.out" 2>"$TMP/late.err"
late=$LAST_PID
wait_for 5 eval "nsx y grep -q 010101E8 /proc/net/igmp" || not_ok "y joined $G"
sleep 0.3
first=$(cat "$TMP/late.err")
nsx z "$INJ" -i eth0 -V 2 query >/dev/null || not_ok "igmp_inject on z"
if wait_for 4 grep -q "eth0: the querier on this link speaks IGMPv2" "$TMP/late.err" && kill -0 $late 2>/dev/null; then
	ok "a v2 query after the join: the warning comes while recv waits"
else
	not_ok "no warning while recv waited (before the query: '$first'; now: '$(cat "$TMP/late.err")')"
fi
expect_eq "nothing was said before the query" "$first" ""
wait $late
expect_eq "and it was said once" "$(grep -c warning "$TMP/late.err")" 1
finish
