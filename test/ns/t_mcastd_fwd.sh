#!/usr/bin/env bash
# What mcastd forwards where: a phyint's TTL threshold (datagrams arriving
# with TTL <= threshold stay out), an administrative-scope boundary (the
# range is blocked on that phyint only, other groups pass), and SSM (an
# IGMPv3 host including source S1 gets S1's stream, not S2's, and an
# any-source join in the SSM range is ignored).
#
#  hs1 198.18.1.2 --+                  eth1 (threshold 16, boundary
#                   +-LAN1-- eth0 [r]        239.255/16) --LAN2-- ha .2.2
#  hs2 198.18.1.3 --+                  eth2 (defaults) ----LAN3-- hb .3.2
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
routed_lab hs1,hs2 ha hb
S1=198.18.1.2 S2=198.18.1.3
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	last-member-query-interval 300ms
	robustness 2
}
phyint eth1 threshold 16 boundary 239.255.0.0/16
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }
mctl r show interfaces >"$TMP/ifs.txt"
check "eth1 is routing with threshold 16 and the boundary" \
    grep -qE '^eth1 +1 +[0-9]+ +198\.18\.2\.1 +routing +16 .* 239\.255\.0\.0/16 +true +1 *$' "$TMP/ifs.txt"
check "eth2 is routing with threshold 1, no boundary" \
    grep -qE '^eth2 +2 +[0-9]+ +198\.18\.3\.1 +routing +1 .* - +true +1 *$' "$TMP/ifs.txt"

# start_recv HOST OUT ARGS...: mcast recv in the background, returns once
# the router lists the membership (of the last GROUP:PORT) on the
# host's LAN (at once with NOWAIT=1); RPIDS collects the pids.
RPIDS=()
start_recv() {
	local h=$1 out=$2 ifn; shift 2
	case $h in ha) ifn=eth1 ;; hb) ifn=eth2 ;; esac
	bg "$h" "$MCAST" recv -i eth0 --json "$@" >"$out"
	RPIDS+=("$LAST_PID")
	local last=${*: -1}
	[ -n "${NOWAIT:-}" ] && return
	wait_for 5 has_group r $ifn "${last%:*}" ||
	    echo "# the router did not list ${last%:*} on $ifn"
}
wait_recv() {
	wait "${RPIDS[@]}"
	RPIDS=()
}

# 1. TTL threshold 16 on eth1: TTL 2 and 16 stay out, 17 and 255 pass;
# eth2 (threshold 1) gets them all.
G=239.1.2.1
ports="$G:6002 $G:6016 $G:6017 $G:6255"
start_recv ha "$TMP/th-a.json" -d 4 $ports
start_recv hb "$TMP/th-b.json" -d 4 $ports
for t in 2 16 17 255; do
	nsx hs1 "$MCAST" send -i eth0 -t $t -c 50 -r 1000 -q "$G:6$(printf %03d $t)"
done
oifs=$(nsx r ip mroute show | grep "($S1,$G)")
check "the kernel's entry carries eth1's threshold: $oifs" eval "echo '$oifs' | grep -q 'eth1(ttl 16)'"
wait_recv
for t in 2 16; do
	expect_eq "threshold 16: TTL $t is not forwarded to eth1" "$(packets_from "$TMP/th-a.json" "$G:6$(printf %03d $t)")" 0
done
for t in 17 255; do
	expect_eq "threshold 16: TTL $t is forwarded to eth1" "$(packets_from "$TMP/th-a.json" "$G:6$(printf %03d $t)")" 50
done
for t in 2 16 17 255; do
	expect_eq "threshold 1: TTL $t is forwarded to eth2" "$(packets_from "$TMP/th-b.json" "$G:6$(printf %03d $t)")" 50
done

# 2. boundary 239.255.0.0/16 on eth1: blocked there, forwarded to eth2;
# 239.1.x and SSM 232.x still pass on eth1.
asm="239.255.1.1:7000 239.1.1.1:7000"
start_recv ha "$TMP/bd-a.json" -d 4 $asm
start_recv ha "$TMP/bd-a-ssm.json" -d 4 -S $S1 232.1.1.1:7000
start_recv hb "$TMP/bd-b.json" -d 4 $asm
for g in 239.255.1.1 239.1.1.1 232.1.1.1; do
	nsx hs1 "$MCAST" send -i eth0 -t 32 -c 50 -r 1000 -q $g:7000
done
expect_eq "boundary: the kernel forwards ($S1,239.255.1.1) to eth2 only" "$(mfc_oifs r $S1 239.255.1.1)" eth2
wait_recv
expect_eq "boundary: 239.255.1.1 is not forwarded to eth1" "$(packets_from "$TMP/bd-a.json" 239.255.1.1:7000)" 0
expect_eq "boundary: 239.1.1.1 is forwarded to eth1" "$(packets_from "$TMP/bd-a.json" 239.1.1.1:7000)" 50
expect_eq "boundary: 232.1.1.1 (SSM) is forwarded to eth1" "$(packets_from "$TMP/bd-a-ssm.json" 232.1.1.1:7000)" 50
expect_eq "boundary: 239.255.1.1 is forwarded to eth2 (no boundary there)" "$(packets_from "$TMP/bd-b.json" 239.255.1.1:7000)" 50
drops=$(mctl r show stats | awk '$1 == "mfc.boundary_drops" { print $2 }')
check "boundary: mcastctl show stats counts boundary drops (${drops:-none})" test "${drops:-0}" -gt 0

# 3. SSM: two senders of 232.1.1.1 on LAN1; ha includes S1 only, hb S2
# only; an any-source join of 232.1.1.2 gets nothing.
NOWAIT=1 start_recv ha "$TMP/ssm-asm.json" -d 4 232.1.1.2:7100 2>/dev/null
start_recv ha "$TMP/ssm-a.json" -d 4 -S $S1 232.1.1.1:7100
start_recv hb "$TMP/ssm-b.json" -d 4 -S $S2 232.1.1.1:7100
check "ssm: mcastctl show groups: eth1 INCLUDE {S1}" eval "mctl r show groups | grep -qE '^eth1 +232\.1\.1\.1 +INCLUDE +$S1 '"
check "ssm: mcastctl show groups: eth2 INCLUDE {S2}" eval "mctl r show groups | grep -qE '^eth2 +232\.1\.1\.1 +INCLUDE +$S2 '"
bg hs1 "$MCAST" send -i eth0 -t 32 -c 50 -r 1000 -q 232.1.1.1:7100
p1=$LAST_PID
bg hs2 "$MCAST" send -i eth0 -t 32 -c 50 -r 1000 -q 232.1.1.1:7100
p2=$LAST_PID
nsx hs1 "$MCAST" send -i eth0 -t 32 -c 50 -r 1000 -q 232.1.1.2:7100
wait $p1 $p2
expect_eq "ssm: the kernel forwards (S1,232.1.1.1) to eth1 only" "$(mfc_oifs r $S1 232.1.1.1)" eth1
expect_eq "ssm: the kernel forwards (S2,232.1.1.1) to eth2 only" "$(mfc_oifs r $S2 232.1.1.1)" eth2
wait_recv
expect_eq "ssm: ha got S1's 50" "$(packets_from "$TMP/ssm-a.json" 232.1.1.1:7100 $S1)" 50
expect_eq "ssm: ha got nothing from S2" "$(packets_from "$TMP/ssm-a.json" 232.1.1.1:7100 $S2)" 0
expect_eq "ssm: hb got S2's 50" "$(packets_from "$TMP/ssm-b.json" 232.1.1.1:7100 $S2)" 50
expect_eq "ssm: hb got nothing from S1" "$(packets_from "$TMP/ssm-b.json" 232.1.1.1:7100 $S1)" 0
expect_eq "ssm: an any-source join of 232.1.1.2 gets nothing" "$(packets_from "$TMP/ssm-asm.json" 232.1.1.2:7100)" 0
ign=$(mctl r show stats | awk '$1 == "igmp.ignored_ssm_rules" { print $2 }')
check "ssm: the any-source join was counted as ignored (${ign:-none})" test "${ign:-0}" -gt 0
# 4. A reload that changes only a threshold (eth2: 1 -> 16) applies it to
# the kernel's forwarding entries, old and new.
G=239.1.2.2
start_recv hb "$TMP/rl-b.json" -d 5 $G:6010 $G:6017
nsx hs1 "$MCAST" send -i eth0 -t 10 -c 20 -r 1000 -q $G:6010
sed -i 's/^phyint eth1 .*/&\nphyint eth2 threshold 16/' "$TMP/mcastd.conf"
msg=$(mctl r reload 2>&1)
echo "# reload: $msg"
check "reload: eth2's threshold is now 16" \
    eval "mctl r show interfaces | grep -qE '^eth2 .* routing +16 '"
check "reload: the kernel's entry for ($S1,$G) carries it" \
    wait_for 2 eval "nsx r ip mroute show | grep '($S1,$G)' | grep -q 'eth2(ttl 16)'"
nsx hs1 "$MCAST" send -i eth0 -t 10 -c 30 -r 1000 -q $G:6010
nsx hs1 "$MCAST" send -i eth0 -t 17 -c 50 -r 1000 -q $G:6017
nsx hs2 "$MCAST" send -i eth0 -t 10 -c 30 -r 1000 -q $G:6010
wait_recv
expect_eq "reload: TTL 10 reached eth2 only before the reload (20 of 80)" "$(packets_from "$TMP/rl-b.json" $G:6010)" 20
expect_eq "reload: TTL 17 still passes" "$(packets_from "$TMP/rl-b.json" $G:6017)" 50
# A boundary added by reload over a group that flows cuts it there.
bg hb "$MCAST" join -q -i eth0 -d 6 $G
wait_for 5 has_group r eth2 $G
bg hs1 "$MCAST" send -i eth0 -t 32 -r 1000 -d 4 -q $G:6020
p1=$LAST_PID
check "before the boundary, ($S1,$G) flows to eth2" wait_for 2 eval '[ "$(mfc_oifs r $S1 $G)" = eth2 ]'
sed -i 's/^phyint eth2 threshold 16$/& boundary 239.1.2.0\/24/' "$TMP/mcastd.conf"
mctl r reload >/dev/null
check "a boundary added by reload removes eth2 from ($S1,$G)" wait_for 2 eval '[ -z "$(mfc_oifs r $S1 $G)" ]'
wait $p1
check "mcastd still runs" kill -0 $MCASTD_PID
finish
