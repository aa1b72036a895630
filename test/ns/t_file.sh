#!/usr/bin/env bash
# mcast file: one sender, three receivers on a bridge, one of them losing
# 5 % of what arrives (nftables numgen random); every received file equals
# the source by sha256sum (not by the tool's own check); existing files are
# not replaced without --force; a full file system and a silent sender end
# the receiver with a clear message; memory does not grow with the file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/file_lib.sh"
require_lab
lan_lab 4
G=239.1.2.14

mkdir -p "$TMP/src/tree/sub" "$TMP/out2" "$TMP/out3" "$TMP/out4"
head -c 3000000 /dev/urandom >"$TMP/src/big.bin"
head -c 1234 /dev/urandom >"$TMP/src/tree/sub/small"
: >"$TMP/src/tree/empty"
printf 'hello\n' >"$TMP/src/tree/hello.txt"

# h4 loses 5 % of the transfer's datagrams at random.
random_loss h4 5 udp dport 5014

for h in 2 3 4; do
	bg h$h sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out$h\" --timeout 20 --json $G:5014 >\"$TMP/r$h.json\" 2>\"$TMP/r$h.err\""
	eval "r$h=\$LAST_PID"
done
for h in 2 3 4; do
	wait_for 5 joined h$h $G || not_ok "h$h joined $G"
done
nsx h1 "$MCAST" file send -i eth0 -r 40M --json "$TMP/src/big.bin" \
    "$TMP/src/tree" $G:5014 >"$TMP/s.json" 2>"$TMP/s.err"
rc=$?
expect_eq "file send exits 0 (every receiver done)" $rc 0
for h in 2 3 4; do
	eval "wait \$r$h"
	expect_eq "h$h: file recv exits 0" $? 0
	for f in big.bin tree/sub/small tree/empty tree/hello.txt; do
		expect_eq "h$h: $f equals the source (sha256sum)" \
		    "$(sha256sum <"$TMP/out$h/$f" 2>&1)" \
		    "$(sha256sum <"$TMP/src/$f")"
	done
	check "h$h: no temporary file left" \
	    test -z "$(find "$TMP/out$h" -name '*.mcast-part')"
done
expect_eq "the sender heard 3 receivers" "$(json_field "$TMP/s.json" receivers)" 3
expect_eq "all 3 done" "$(json_field "$TMP/s.json" receivers_done)" 3
dropped=$(nsx h4 nft list table inet mcloss | grep -o 'packets [0-9]*' | cut -d' ' -f2)
check "nftables dropped datagrams of h4 ($dropped)" test "${dropped:-0}" -gt 20
check "h4 sent NACKs" test "$(json_field "$TMP/r4.json" nacks)" -gt 0
check "the sender sent repairs" test "$(json_field "$TMP/s.json" repair)" -gt 0

# An existing file is not replaced without --force; the session fails.
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out2\" --timeout 5 $G:5015 >/dev/null 2>\"$TMP/force.err\""
r2=$LAST_PID
wait_for 5 joined h2 $G
printf 'changed\n' >"$TMP/src/tree/hello.txt"
nsx h1 "$MCAST" file send -i eth0 -r 40M -q "$TMP/src/tree" $G:5015 >/dev/null 2>&1
wait $r2
expect_eq "recv refuses to replace tree/empty (exit 1)" $? 1
check "and says so" grep -qx "mcast: $TMP/out2/tree/empty exists: give --force to replace it" "$TMP/force.err"
expect_eq "tree/hello.txt is still the first one" "$(cat "$TMP/out2/tree/hello.txt")" hello
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out2\" --force --timeout 5 $G:5015 >/dev/null 2>\"$TMP/force.err\""
r2=$LAST_PID
wait_for 5 joined h2 $G
nsx h1 "$MCAST" file send -i eth0 -r 40M -q "$TMP/src/tree" $G:5015 >/dev/null 2>&1
wait $r2
expect_eq "with --force, recv replaces them (exit 0)" $? 0
expect_eq "tree/hello.txt is the new one" "$(cat "$TMP/out2/tree/hello.txt")" changed

# --key: the receiver with the same key file gets the files; one with
# another key, one without a key and one whose clock is 2 minutes ahead
# (faketime: to it every packet was sealed 120 s ago, as a replay would
# be) get nothing and say why.
printf 'open sesame\n' >"$TMP/key"
printf 'open sesame!\n' >"$TMP/key2"
mkdir -p "$TMP/k2" "$TMP/k3" "$TMP/k4" "$TMP/k5"
bg h4 env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f +120 "$MCAST" file recv -i eth0 -o "$TMP/k5" --key "$TMP/key" --timeout 2 $G:5020 2>"$TMP/k5.err"
r5=$LAST_PID
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/k2\" --key \"$TMP/key\" --timeout 5 $G:5020 >/dev/null 2>\"$TMP/k2.err\""
r2=$LAST_PID
bg h3 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/k3\" --key \"$TMP/key2\" --timeout 2 $G:5020 >/dev/null 2>\"$TMP/k3.err\""
r3=$LAST_PID
bg h4 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/k4\" --timeout 2 $G:5020 >/dev/null 2>\"$TMP/k4.err\""
r4=$LAST_PID
for h in 2 3 4; do wait_for 5 joined h$h $G; done
nsx h1 "$MCAST" file send -i eth0 -r 40M --key "$TMP/key" -q "$TMP/src/tree" $G:5020 >/dev/null 2>&1
expect_eq "file send --key exits 0 (the one receiver that could speak is done)" $? 0
wait $r2
expect_eq "recv with the same key exits 0" $? 0
expect_eq "and has tree/sub/small (sha256sum)" "$(sha256sum <"$TMP/k2/tree/sub/small")" \
    "$(sha256sum <"$TMP/src/tree/sub/small")"
wait $r3
expect_eq "recv with another key exits 1" $? 1
check "and says packets failed authentication" \
    grep -q "^mcast: nothing from the sender on $G:5020 for 2 s: giving up; [0-9]* packets* failed authentication (another --key?)\$" "$TMP/k3.err"
wait $r4
expect_eq "recv without a key exits 1" $? 1
check "and says the packets are sealed" \
    grep -q "^mcast: nothing from the sender on $G:5020 for 2 s: giving up; [0-9]* packets* sealed with a key (give --key)\$" "$TMP/k4.err"
wait $r5
expect_eq "recv with its clock 120 s ahead exits 1" $? 1
check "and says the packets were sealed 120 s behind its clock" \
    grep -q "^mcast: nothing from the sender on $G:5020 for 2 s: giving up; [0-9]* packets* sealed 1[12][0-9] s behind this host's clock (a replay, or clocks that differ: they must agree within 60 s)\$" "$TMP/k5.err"
expect_eq "none of them wrote anything" "$(ls -A "$TMP/k3" "$TMP/k4" "$TMP/k5" | grep -v '^/\|^$')" ""

# --resume: a receiver killed mid-transfer keeps what it wrote (and a map
# of it); started again with --resume it takes only the rest, and the file
# matches.  The sender goes round (--carousel) meanwhile.
mkdir -p "$TMP/res"
bg h1 "$MCAST" file send -i eth0 -r 8M --carousel -q "$TMP/src/big.bin" $G:5021
s1=$LAST_PID
bg h2 "$MCAST" file recv -i eth0 -o "$TMP/res" -q --timeout 10 $G:5021
r2=$LAST_PID
sleep 1.5
kill -9 "$r2"; wait "$r2" 2>/dev/null
check "the killed receiver left its temporary file" test -s "$TMP/res/.big.bin.mcast-part"
done_blocks=$(tr -cd 1 <"$TMP/res/.big.bin.mcast-part.map" 2>/dev/null | wc -c)
check "and a map of the blocks written ($done_blocks)" test "$done_blocks" -gt 0
nsx h2 "$MCAST" file recv -i eth0 -o "$TMP/res" --resume --json --timeout 10 $G:5021 >"$TMP/res.json"
expect_eq "recv --resume exits 0" $? 0
expect_eq "big.bin equals the source (sha256sum)" "$(sha256sum <"$TMP/res/big.bin")" \
    "$(sha256sum <"$TMP/src/big.bin")"
check "it kept what the first run wrote ($(json_field "$TMP/res.json" resumed) bytes)" \
    test "$(json_field "$TMP/res.json" resumed)" -ge $((done_blocks * 64 * 1400 - 64 * 1400))
expect_eq "and received only the rest" \
    $(($(json_field "$TMP/res.json" bytes) + $(json_field "$TMP/res.json" resumed))) 3000000
check "no temporary file or map left" test -z "$(ls -A "$TMP/res" | grep mcast-part)"
kill -INT "$s1"; wait "$s1" 2>/dev/null

# A symbolic link under -o DIR is not followed out of it.
mkdir -p "$TMP/link" "$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$TMP/link/tree"
bg h2 sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/link\" --timeout 5 $G:5019 >/dev/null 2>\"$TMP/link.err\""
r2=$LAST_PID
wait_for 5 joined h2 $G
nsx h1 "$MCAST" file send -i eth0 -r 40M -q "$TMP/src/tree" $G:5019 >/dev/null 2>&1
wait $r2
expect_eq "recv refuses a directory that is a symbolic link (exit 1)" $? 1
check "and says so" grep -qx "mcast: cannot make the directory of $TMP/link/tree/[a-z/]*: Not a directory (symbolic links are not followed)" "$TMP/link.err"
expect_eq "nothing was written through it" "$(ls -A "$TMP/elsewhere")" ""

# A full file system: the receiver says so, exits 1 and leaves no
# temporary file (a 512 KiB tmpfs in a mount namespace of its own).
mkdir -p "$TMP/full"
bg h3 unshare -m sh -c "mount -t tmpfs -o size=512k mcfull \"$TMP/full\" &&
    \"$MCAST\" file recv -i eth0 -o \"$TMP/full\" --timeout 5 $G:5017 >/dev/null 2>\"$TMP/full.err\";
    rc=\$?; ls -A \"$TMP/full\" >\"$TMP/full.ls\"; exit \$rc"
r3=$LAST_PID
wait_for 5 joined h3 $G
nsx h1 "$MCAST" file send -i eth0 -r 40M -q "$TMP/src/big.bin" $G:5017 >/dev/null 2>&1
wait $r3
expect_eq "recv on a full file system exits 1" $? 1
check "and says why" grep -q "cannot write $TMP/full/big.bin: No space left on device" "$TMP/full.err"
expect_eq "and leaves nothing behind" "$(cat "$TMP/full.ls")" ""

# Memory does not grow with the file: the peak RSS (VmHWM) of sender and
# receiver for 20 MB and for 200 MB differ by less than 8 MB.
declare -A speak rpeak
for mb in 20 200; do
	rm -rf "$TMP/mem"; mkdir -p "$TMP/mem"
	truncate -s ${mb}M "$TMP/zero$mb"
	bg h2 "$MCAST" file recv -i eth0 -o "$TMP/mem" -q --timeout 10 $G:5018
	r2=$LAST_PID
	wait_for 5 joined h2 $G
	bg h1 "$MCAST" file send -i eth0 -r 1G -q "$TMP/zero$mb" $G:5018
	s1=$LAST_PID
	read -r speak[$mb] rpeak[$mb] < <(peaks_kb "$s1" "$r2")
	wait "$r2"
	expect_eq "$mb MB: recv exits 0" $? 0
	expect_eq "$mb MB: the file arrived whole" "$(stat -c %s "$TMP/mem/zero$mb")" $((mb << 20))
done
echo "# peak RSS (kB): sender ${speak[20]} / ${speak[200]}, receiver ${rpeak[20]} / ${rpeak[200]}"
if asan_build "$MCAST"; then
	ok "peak RSS # SKIP an ASan build keeps freed memory in quarantine"
else
	check "sender peak RSS: 200 MB within 8 MB of 20 MB (${speak[20]} / ${speak[200]} kB)" \
	    test $((speak[200] - speak[20])) -lt 8192
	check "receiver peak RSS: 200 MB within 8 MB of 20 MB (${rpeak[20]} / ${rpeak[200]} kB)" \
	    test $((rpeak[200] - rpeak[20])) -lt 8192
fi

# No sender: a clear time-out.
nsx h3 "$MCAST" file recv -i eth0 -o "$TMP/out3" --timeout 1 $G:5016 >/dev/null 2>"$TMP/timeout.err"
expect_eq "recv with no sender exits 1" $? 1
check "and says it gave up" grep -q "nothing from the sender on $G:5016 for 1 s" "$TMP/timeout.err"

# Usage errors.
expect_usage "a bad --fec" \
    "mcast: --fec 200,100: expected K,M with K 1..254, M >= 1 and K + M <= 255, e.g. 64,32, or auto" \
    file send --fec 200,100 "$TMP/src/big.bin" $G:5014
expect_usage "file with neither send nor recv" \
    "mcast: unknown file command 'get': expected send or recv" file get
finish
