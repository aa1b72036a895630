#!/usr/bin/env bash
# SSM (RFC 4607) with two senders on one group: a source-specific join
# (-S, IGMPv3 INCLUDE) delivers only the chosen source; an any-source join
# gets both.
. "$(dirname "$0")/lib.sh"
require_lab
lan_lab 4
G=232.1.1.1
S1=198.18.1.2 S2=198.18.1.3

bg h3 "$MCAST" recv -i eth0 -S $S1 -d 3 --json $G:7000 >"$TMP/ssm.json"
r3=$LAST_PID
bg h4 "$MCAST" recv -i eth0 -d 3 --json $G:7000 >"$TMP/asm.json" 2>"$TMP/asm.err"
r4=$LAST_PID
wait_for 5 joined h3 $G && wait_for 5 joined h4 $G || not_ok "receivers joined"
# The kernel's source filter: INCLUDE {S1} on h3's eth0.
filter=$(nsx h3 awk -v g=0xe8010101 '$3 == g {print $4, $5, $6}' /proc/net/mcfilter)
expect_eq "h3 mcfilter: include count 1 for S1 only" "$filter" "0xc6120102 1 0"
nsx h3 "$MCAST" groups --json >"$TMP/groups.json"
check "groups --json shows the source of h3's join" grep -q '"source":"198.18.1.2","include":1' "$TMP/groups.json"

nsx h1 "$MCAST" send -i eth0 -c 300 -r 3000 -q $G:7000 2>/dev/null &
s1=$!
nsx h2 "$MCAST" send -i eth0 -c 200 -r 3000 -q $G:7000 2>/dev/null &
s2=$!
wait $s1 $s2 $r3 $r4
streams=$(grep -o '"sender":"[^"]*"' "$TMP/ssm.json" | tail -n 1)
check "SSM receiver saw a stream from S1" grep -q "\"sender\":\"$S1:" "$TMP/ssm.json"
check "SSM receiver saw nothing from S2" eval "! grep -q '\"sender\":\"$S2:' $TMP/ssm.json"
expect_eq "SSM receiver got exactly S1's 300" "$(json_field "$TMP/ssm.json" received)" 300
check "ASM receiver saw S1" grep -q "\"sender\":\"$S1:" "$TMP/asm.json"
check "ASM receiver saw S2" grep -q "\"sender\":\"$S2:" "$TMP/asm.json"
expect_eq "ASM receiver got both, 500" "$(json_field "$TMP/asm.json" received)" 500
check "ASM join of an SSM group warns" grep -q "is in the SSM range 232.0.0.0/8" "$TMP/asm.err"
finish
