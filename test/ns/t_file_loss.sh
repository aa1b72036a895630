#!/usr/bin/env bash
# mcast file to 8 receivers on a bridge that lose 0, 0, 1, 1, 5, 5, 20 and
# 20 % of what arrives (nftables numgen random, per receiver): every one
# ends with byte-identical files (sha256sum), the lossy ones through NACKs,
# repairs and --fec auto's parity; the sender hears all 8 done.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/file_lib.sh"
require_lab
lan_lab 9
G=239.1.2.15
LOSS=(0 0 0 1 1 5 5 20 20) # by host index - 1; h1 sends

mkdir -p "$TMP/src"
head -c 2000000 /dev/urandom >"$TMP/src/a.bin"
head -c 70001 /dev/urandom >"$TMP/src/b.bin"
for h in $(seq 2 9); do
	mkdir -p "$TMP/out$h"
	random_loss h$h "${LOSS[h - 1]}" udp dport 5015
done
for h in $(seq 2 9); do
	bg h$h sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out$h\" --timeout 30 --json $G:5015 >\"$TMP/r$h.json\" 2>\"$TMP/r$h.err\""
	eval "r$h=\$LAST_PID"
done
for h in $(seq 2 9); do
	wait_for 5 joined h$h $G || not_ok "h$h joined $G"
done
nsx h1 "$MCAST" file send -i eth0 -r 40M --fec auto --json "$TMP/src/a.bin" \
    "$TMP/src/b.bin" $G:5015 >"$TMP/s.json" 2>"$TMP/s.err"
expect_eq "file send exits 0" $? 0
for h in $(seq 2 9); do
	eval "wait \$r$h"
	expect_eq "h$h (${LOSS[h - 1]} % loss): file recv exits 0" $? 0
	for f in a.bin b.bin; do
		expect_eq "h$h: $f equals the source (sha256sum)" \
		    "$(sha256sum <"$TMP/out$h/$f" 2>&1)" "$(sha256sum <"$TMP/src/$f")"
	done
done
expect_eq "the sender heard 8 receivers" "$(json_field "$TMP/s.json" receivers)" 8
expect_eq "all 8 done" "$(json_field "$TMP/s.json" receivers_done)" 8
check "--fec auto sent parity with the blocks" \
    test "$(json_field "$TMP/s.json" proactive)" -gt 0
check "the 20 % receivers rebuilt blocks from parity" \
    test "$(json_field "$TMP/r9.json" decoded)" -gt 0
check "the lossless receivers sent no NACK" \
    test "$(json_field "$TMP/r2.json" nacks)" = 0
finish
