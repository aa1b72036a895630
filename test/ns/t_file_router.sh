#!/usr/bin/env bash
# mcast file through an mcastd router: the sender on LAN1, eight receivers
# on LAN2 each losing 5 % of what arrives at random (nftables numgen
# random, file_lib.sh).  mcastd forwards the data down (the receivers'
# IGMP memberships on eth1) and the receivers' NACKs up (the sender's
# membership on eth0): both sides send with TTL 4 (file send -t, file recv
# -t; the default 1 would stay on its LAN), above the phyints' threshold
# 1.  Every receiver ends byte-identical by sha256sum; the sender heard
# all eight, took NACKs and sent repairs (its JSON); the kernel's
# forwarding entries go (sender, G) -> eth1 and (receiver, G) -> eth0,
# and mcastctl show mfc counts packets on both.  A receiver with the
# default TTL 1 is not heard across the router and times out.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r] eth1 --LAN2-- h1..h8 198.18.2.2-9
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/file_lib.sh"
require_lab
require_mcastd
N=8
hosts=$(seq -s, -f 'h%g' 1 $N)
routed_lab hs "$hosts"
HS=198.18.1.2
G=239.1.2.40
PORT=5040
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	robustness 2
}
CONF
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }

mkdir -p "$TMP/src"
head -c 2000000 /dev/urandom >"$TMP/src/big.bin"
head -c 777 /dev/urandom >"$TMP/src/small.bin"

for i in $(seq 1 $N); do
	random_loss h$i 5 udp dport $PORT
	mkdir -p "$TMP/out$i"
	bg h$i sh -c "exec \"$MCAST\" file recv -i eth0 -t 4 -o \"$TMP/out$i\" --timeout 15 --json $G:$PORT >\"$TMP/r$i.json\" 2>\"$TMP/r$i.err\""
	eval "r$i=\$LAST_PID"
done
check "the router lists $G on eth1 (the receivers' IGMP)" \
    wait_for 5 has_group r eth1 $G
nsx hs "$MCAST" file send -i eth0 -t 4 -r 20M --json "$TMP/src/big.bin" \
    "$TMP/src/small.bin" $G:$PORT >"$TMP/s.json" 2>"$TMP/s.err"
expect_eq "file send through the router exits 0 (every receiver done)" $? 0
failed=0
for i in $(seq 1 $N); do
	eval "wait \$r$i"
	rc=$?
	for f in big.bin small.bin; do
		[ "$(sha256sum <"$TMP/out$i/$f" 2>&1)" = "$(sha256sum <"$TMP/src/$f")" ] ||
		    { failed=$((failed + 1)); echo "# h$i: $f differs (exit $rc): $(tail -n 2 "$TMP/r$i.err")"; }
	done
	[ "$rc" = 0 ] || failed=$((failed + 1))
done
expect_eq "all $N receivers exit 0 with both files equal to the source (sha256sum)" $failed 0
expect_eq "the sender heard $N receivers" "$(json_field "$TMP/s.json" receivers)" $N
expect_eq "all $N done" "$(json_field "$TMP/s.json" receivers_done)" $N
nacks=$(json_field "$TMP/s.json" nacks)
repair=$(json_field "$TMP/s.json" repair)
check "the sender received NACKs across the router ($nacks)" test "${nacks:-0}" -gt 0
check "and sent repair symbols ($repair)" test "${repair:-0}" -gt 0
dropped=0
for i in $(seq 1 $N); do
	d=$(nsx h$i nft list table inet mcloss | grep -o 'packets [0-9]*' | cut -d' ' -f2)
	dropped=$((dropped + ${d:-0}))
done
check "nftables dropped datagrams at the receivers ($dropped)" test $dropped -gt 100

# What the router forwarded: data down, NACKs up.
expect_eq "the kernel forwards ($HS,$G) to eth1" "$(mfc_oifs r $HS $G)" eth1
up=""
for i in $(seq 1 $N); do
	[ "$(mfc_oifs r 198.18.2.$((i + 1)) $G)" = eth0 ] && up="$up h$i"
done
check "the kernel forwards receivers' NACKs (R,$G) to eth0:$up" test -n "$up"
mctl r -j show mfc >"$TMP/mfc.json"
counts=$(python3 -c '
import json, sys
down = up = 0
for e in json.load(open(sys.argv[1]))["mfc"]:
    if e["group"] != sys.argv[2]:
        continue
    if e["source"] == sys.argv[3]:
        down += e["packets"]
    else:
        up += e["packets"]
print(down, up)' "$TMP/mfc.json" $G $HS)
down=${counts% *}
up=${counts#* }
data=$(json_field "$TMP/s.json" data)
check "mcastctl show mfc: ($HS,$G) forwarded $down packets, at least the $data data symbols" \
    test "${down:-0}" -ge "${data:-1}"
check "mcastctl show mfc: the receivers' entries forwarded $up packets up" \
    test "${up:-0}" -gt 0

# The receiver's default TTL 1: its NACKs stay on LAN2 (the kernel does
# not forward what arrives with TTL 1), the sender hears nobody, and the
# receiver, missing what it lost, times out.
random_loss h1 20 udp dport $((PORT + 1))
head -c 300000 /dev/urandom >"$TMP/src/ttl1.bin"
bg h1 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out1\" --timeout 3 --json $G:$((PORT + 1)) >\"$TMP/t1.json\" 2>\"$TMP/t1.err\""
t1=$LAST_PID
wait_for 5 has_group r eth1 $G
nsx hs "$MCAST" file send -i eth0 -t 4 -r 20M --json "$TMP/src/ttl1.bin" \
    $G:$((PORT + 1)) >"$TMP/s1.json" 2>"$TMP/s1.err"
wait $t1
expect_eq "recv -t 1 behind the router: exit 1" $? 1
expect_eq "the sender heard no receiver" "$(json_field "$TMP/s1.json" receivers)" 0
check "the receiver sent NACKs that did not cross ($(json_field "$TMP/t1.json" nacks))" \
    test "$(json_field "$TMP/t1.json" nacks)" -gt 0
check "and its file is not there" test ! -e "$TMP/out1/ttl1.bin"
finish
