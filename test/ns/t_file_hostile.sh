#!/usr/bin/env bash
# mcast file under hostile feedback: a sender capped with -r, three honest
# receivers (one losing 1 % at random) and a fifth host
# (build/test/rmc_nackflood) that
#   1. floods forged NACKs (whole blocks, a new receiver id each, thousands
#      a second): every honest receiver still ends byte-identical
#      (sha256sum), the sender's bytes measured on a receiver (nftables
#      counter of what arrives from it) stay within the cap, and the
#      sender's --json counts the NACKs;
#   2. sends malformed and forged packets (truncated, bad magic, another
#      version, type or session, a DATA with a wrong K or past the end, a
#      manifest that changes K): receivers count and drop them (--json)
#      and finish;
#   3. replays the sealed NACKs (and DATA) it hears in a --key session,
#      without the key: receivers take the duplicates harmlessly, and the
#      sender's repair holdoff keeps the replays within the cap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/file_lib.sh"
require_lab
FLOOD=$(dirname "$MCAST")/test/rmc_nackflood
[ -x "$FLOOD" ] || { not_ok "no $FLOOD: run make helpers"; exit 1; }
lan_lab 5
G=239.1.2.16
S=198.18.1.2 # h1
CAP=40       # Mbit/s
RX="2 3 4"

mkdir -p "$TMP/src"
# 313 blocks of 64 x 1400 bytes: more than the sender's window of 256.
head -c 28000000 /dev/urandom >"$TMP/src/f.bin"
SUM=$(sha256sum <"$TMP/src/f.bin")
printf 'hostile\n' >"$TMP/key"
random_loss h4 1 ip saddr $S udp dport 5030-5032

# What arrives at h2 from the sender, counted by nftables (IP bytes: what
# the sender's cap counts); sampled every 200 ms into $TMP/rate.$1.
rx_meter() {
	nsx h2 nft delete table inet mcmeter 2>/dev/null
	nsx h2 nft -f - <<NFT
table inet mcmeter {
	chain in {
		type filter hook input priority -10;
		ip saddr $S udp dport $1 counter
	}
}
NFT
	: >"$TMP/rate.$1"
	(
		while :; do
			b=$(nsx h2 nft list table inet mcmeter | grep -o 'bytes [0-9]*' | cut -d' ' -f2)
			echo "$(now_ms) ${b:-0}" >>"$TMP/rate.$1"
			sleep 0.2
		done
	) &
	METER=$!
	BG_PIDS+=($METER)
}
# The largest rate (Mbit/s) over any window of at least one second.
peak_mbit() {
	awk '{ t[NR] = $1; b[NR] = $2 } END {
		m = 0; j = 1
		for (i = 1; i <= NR; i++) {
			while (j <= NR && t[j] - t[i] < 1000) j++
			if (j > NR) break
			r = (b[j] - b[i]) * 8 / (t[j] - t[i]) / 1000
			if (r > m) m = r
		}
		printf "%.2f", m }' "$TMP/rate.$1"
}
# start_rx PORT [ARG...]: the honest receivers, their pids in RPID.
declare -A RPID
start_rx() {
	local port=$1 h
	shift
	for h in $RX; do
		rm -rf "$TMP/out$h.$port"
		mkdir -p "$TMP/out$h.$port"
		bg h$h sh -c "exec \"$MCAST\" file recv -i eth0 -o \"$TMP/out$h.$port\" --timeout 15 --json $* $G:$port >\"$TMP/r$h.$port.json\" 2>\"$TMP/r$h.$port.err\""
		RPID[$h]=$LAST_PID
	done
	for h in $RX; do
		wait_for 5 joined h$h $G || not_ok "h$h joined $G"
	done
}
# check_rx PORT WHAT: every honest receiver exits 0 with the file.
check_rx() {
	local port=$1 h
	for h in $RX; do
		wait "${RPID[$h]}"
		expect_eq "$2: h$h's file recv exits 0" $? 0
		expect_eq "$2: h$h's copy equals the source (sha256sum)" \
		    "$(sha256sum <"$TMP/out$h.$port/f.bin" 2>&1)" "$SUM"
	done
}
# within_cap PORT WHAT: h2's meter never saw more than the cap (+ 3 %).
within_cap() {
	local peak
	kill "$METER" 2>/dev/null
	peak=$(peak_mbit "$1")
	check "$2: the sender's rate measured at h2 ($peak Mbit/s at most over 1 s) stays within -r ${CAP}M (+ 3 %)" \
	    awk -v p="$peak" -v c=$CAP 'BEGIN { exit !(p <= c * 1.03) }'
	PEAK=$peak
}

# session PORT WHAT MODE PPS SECONDS [ARG...]: the honest receivers and
# the sender (--json, ARGs to both) on PORT, h2's meter, and h5 sending
# (rmc_nackflood -m MODE) meanwhile; then every receiver is checked, the
# sender's exit status is SEND_RC and h5's line is in $TMP/MODE.out.
session() {
	local port=$1 what=$2 mode=$3 pps=$4 secs=$5 spid
	shift 5
	start_rx $port "$@"
	rx_meter $port
	bg h1 sh -c "exec \"$MCAST\" file send -i eth0 -r ${CAP}M --json $* \"$TMP/src/f.bin\" $G:$port >\"$TMP/s.$port.json\" 2>\"$TMP/s.$port.err\""
	spid=$LAST_PID
	nsx h5 "$FLOOD" -i eth0 -m $mode -r $pps -d $secs $G:$port >"$TMP/$mode.out" 2>&1
	echo "# h5: $(cat "$TMP/$mode.out")"
	check_rx $port "$what"
	wait "$spid"
	SEND_RC=$?
	echo "# sender: $(cat "$TMP/s.$port.json")"
	within_cap $port "$what"
}

# 1. A NACK flood, 3,000 a second, from h5 during the transfer.
session 5030 "NACK flood" nack 3000 6
sent=$(grep -o 'packets=[0-9]*' "$TMP/nack.out" | cut -d= -f2)
check "the flood sent forged NACKs at >= 2,000/s (${sent:-0} in 6 s)" test "${sent:-0}" -ge 12000
nacks=$(json_field "$TMP/s.5030.json" nacks)
check "the sender's JSON counts them ($nacks NACKs)" test "${nacks:-0}" -ge $((sent * 9 / 10))
check "and it was kept busy: the peak rate ($PEAK Mbit/s) is above half the cap" \
    awk -v p="$PEAK" -v c=$CAP 'BEGIN { exit !(p >= c / 2) }'
expect_eq "the sender exits 1: the forged receiver ids it heard never finished" $SEND_RC 1
check "the three honest receivers were done" \
    test "$(json_field "$TMP/s.5030.json" receivers_done)" -ge 3
echo "# honest receivers' seconds: $(for h in $RX; do json_field "$TMP/r$h.5030.json" seconds; done | tr '\n' ' ')"
check "NACKs for blocks with no room in the window were dropped ($(json_field "$TMP/s.5030.json" nacks_dropped))" \
    test "$(json_field "$TMP/s.5030.json" nacks_dropped)" -gt 0

# 2. Malformed and forged packets from h5.
session 5031 "malformed packets" junk 2000 2
for h in $RX; do
	j=$TMP/r$h.5031.json
	echo "# h$h: $(cat "$j")"
	check "h$h counted malformed packets ($(json_field "$j" bad): truncated, magic, version, type, K of a manifest)" \
	    test "$(json_field "$j" bad)" -gt 0
	check "h$h counted another session's packets ($(json_field "$j" other_session))" \
	    test "$(json_field "$j" other_session)" -gt 0
	check "h$h counted DATA with a wrong K or block ($(json_field "$j" symbols_bad))" \
	    test "$(json_field "$j" symbols_bad)" -gt 0
done

# 3. --key: h5 has no key; it replays the sealed NACKs (and DATA) it
# hears, 2,000 a second.
session 5032 "sealed replay" replay 2000 4 --key "$TMP/key"
expect_eq "sealed replay: the sender exits 0 (every receiver done)" $SEND_RC 0
replayed=$(grep -o 'packets=[0-9]*' "$TMP/replay.out" | cut -d= -f2)
check "h5 replayed sealed packets (${replayed:-0})" test "${replayed:-0}" -gt 1000
honest=0
for h in $RX; do
	honest=$((honest + $(json_field "$TMP/r$h.5032.json" nacks)))
done
nacks=$(json_field "$TMP/s.5032.json" nacks)
check "the sender took replayed NACKs as NACKs ($nacks heard, $honest sent by the receivers)" \
    test "$nacks" -gt $((honest * 5))
late=$(json_field "$TMP/s.5032.json" nacks_late)
check "its repair holdoff ignored most of them as echoes ($late late)" \
    test "$late" -gt $((nacks / 2))
for h in 2 3; do
	j=$TMP/r$h.5032.json
	check "h$h took replayed DATA as duplicates ($(json_field "$j" symbols_dup))" \
	    test "$(json_field "$j" symbols_dup)" -gt 0
done
finish
