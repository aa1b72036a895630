#!/usr/bin/env bash
# Datapath benchmark: `mcast send` -> `mcast recv` against iperf2 client ->
# iperf2 server and against a minimal pair (build/bench/sendmmsg_floor ->
# build/bench/recvmmsg_floor), side by side on one veth pair, 64- and
# 1316-byte payloads.  A datagram counts as delivered where the receiver
# has it (BENCH.md, "Count where it counts"): every figure used in a ratio,
# a target or the headline is counted in the receiving namespace, by the
# receiving program and by the kernel (B's Udp InDatagrams, which the
# kernel counts when a program reads a datagram).  What a sender says it
# handed to the kernel stays in the table, labelled "sender-counted".
#
#   bash bench/datapath.sh           full run; appends a dated section to
#                                    bench/RESULTS.md; the last line printed
#                                    is the headline ratio
#   bash bench/datapath.sh --smoke   every measured path once, tiny runs;
#                                    prints one TAP line, writes nothing
#
# Environment: ROUNDS (default 7), SEND_SECS (2), RECV_SECS (1.5),
# PACE_SECS (2), DATAPATH_RPS (1), RESULTS (bench/RESULTS.md), MCAST, FLOOR,
# READER.
#
# Lab: namespaces A and B joined by one veth pair, 198.18.50.1/24 (A) <->
# 198.18.50.2/24 (B), 224.0.0.0/4 routed to the veth on both sides.  With two
# or more CPUs, senders run on CPU 0 and receivers on CPU 1 (taskset), every
# program alike, and B's veth steers its input processing to CPU 1 (RPS,
# DATAPATH_RPS=1): veth hands a datagram to the peer with netif_rx() on the
# sending CPU, so without RPS the sender's CPU would also run B's whole IP
# and UDP input path, which no sender pays on a real link.  DATAPATH_RPS=0
# measures the unsteered pair instead (the section records which).
#
# How a run is counted.  The receiver starts first in B and joins; then the
# sender starts in A.  B's Udp InDatagrams is read (from /proc, by the
# script, with a microsecond clock) SETTLE (0.25 s) after the sender's start
# and SETTLE before the first of the two ends: "B's Udp InDatagrams" rates
# are datagrams read in B per second over that steady middle of the run,
# not counting start-up nor what is left queued when a sender stops.  The
# receiving program's own count is its summary; over the receiver's whole
# life it must equal B's InDatagrams over the same time (checked: nothing
# else reads UDP in B).
#
# What is measured, per round, programs alternating A B C A B C ...:
#  1. Maximum delivered rate, 64 and 1316 bytes, each pair with its own
#     reading receiver: sendmmsg_floor -> recvmmsg_floor (the ceiling of
#     delivery: no work per datagram at either end; the reader gets the
#     32 MiB receive buffer mcast recv sets), mcast send (its default:
#     sendmmsg batches, like the floor) -> mcast recv, mcast send --gso
#     (UDP segmentation offload, one send() per train of up to 64 datagrams
#     that the receiving host cuts) -> mcast recv, iperf2 client (-b 100G: no
#     inter-packet gap) -> iperf2 server, both -w 4M, then both with their
#     default socket buffers.  The senders have the same 4 MiB send buffer
#     (see SOCKBUF); iperf2's server asks for 4 MiB, the most this host's
#     net.core.rmem_max gives it (mcast recv, as root, forces its own).
#     The receiver reads for SEND_SECS and stops by itself while its sender
#     still runs (the sender runs SEND_SECS + TAIL), so its own rate
#     (recvmmsg_floor's and mcast recv's from the first datagram to the end,
#     iperf2 server's pps with -t) holds nothing drained from a queue after
#     the sender stopped; except that mcast recv, flooded, keeps reading
#     past its -d while full batches come, and then counts the queue its
#     sender left: B's Udp InDatagrams over the middle of the run is the
#     figure the ratios use.  What the receiving side drops is counted there
#     too: B's Udp RcvbufErrors over the receiver's run (datagrams that
#     found its socket queue full; sequence numbers cannot show those when
#     the reader stops mid-stream).  The sender's own rate is in the table,
#     sender-counted: a datagram handed to the kernel may be dropped before
#     anyone reads it.
#  2. Receiver at 200,000 datagrams/s, 64 and 1316 bytes: `mcast send -r
#     200000 -c` -> `mcast recv -c` (loss by sequence numbers), then iperf2
#     client `-b 200000pps` -> iperf2 server (its Lost/Total and its pps),
#     iperf2 with `-w 4M` on both sides, mcast recv with the buffer it sets
#     itself; the delivered rate is B's Udp InDatagrams over the middle of
#     the sender's run.  Also B's kernel counter Udp RcvbufErrors (drops at
#     the socket) and the host's input-queue drops (softnet_stat) over each
#     run.  The sender's offered rate is shown, sender-counted.
#  3. Pacing at 10,000 datagrams/s: `mcast send -r 10000` for PACE_SECS ->
#     `mcast recv`; achieved rate as counted by mcast recv (in rounds where
#     nothing was lost: it stops on the last datagram) and by B's Udp
#     InDatagrams against what was asked, and the datagrams lost (and
#     iperf2 `-b 10000pps` beside it); the senders' own counts beside them,
#     sender-counted.
set -u

. "$(dirname "$0")/lib.bash"
bench_start datapath 120 $((300 + ${ROUNDS:-7} * 150)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
export LC_ALL=C
cd "$TOP"
FLOOR=${FLOOR:-build/bench/sendmmsg_floor}
READER=${READER:-build/bench/recvmmsg_floor}
case $FLOOR in /*) ;; *) FLOOR=$TOP/$FLOOR ;; esac
case $READER in /*) ;; *) READER=$TOP/$READER ;; esac
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}

NAME=datapath
[ $SMOKE = 1 ] && NAME="datapath smoke"
if [ $SMOKE = 1 ]; then
	ROUNDS=1 SEND_SECS=0.25 RECV_SECS=0.15 PACE_SECS=0.2
	SETTLE=0.04 TAIL=0.15
else
	ROUNDS=${ROUNDS:-7} SEND_SECS=${SEND_SECS:-2}
	RECV_SECS=${RECV_SECS:-1.5} PACE_SECS=${PACE_SECS:-2}
	SETTLE=0.25 TAIL=0.5
fi
RECV_PPS=200000
PACE_PPS=10000
SIZES="64 1316"
RECV_COUNT=$(awk -v r=$RECV_PPS -v s="$RECV_SECS" 'BEGIN { printf "%d", r * s }')
PACE_COUNT=$(awk -v r=$PACE_PPS -v s="$PACE_SECS" 'BEGIN { printf "%d", r * s }')

G_MAX=239.50.0.1	# maximum-rate runs
G_RECV=239.50.0.2	# mcast recv at 200k
G_IRECV=239.50.0.3	# iperf2 server at 200k
G_PACE=239.50.0.4	# mcast pacing
G_IPACE=239.50.0.5	# iperf2 pacing
PORT=5001
# Every sender gets the send buffer `mcast send` asks for (SEND_SNDBUF in
# tools/cmd_send.c), and iperf2's server the same request: with RPS a sent
# datagram stays charged to the sender's socket until B's CPU has taken it,
# so a small buffer throttles a sender by the receiver's pace, which no
# real link does.  iperf2 also runs once per round with its defaults.
# recvmmsg_floor gets the receive buffer mcast recv sets (RECV_RCVBUF in
# tools/cmd_recv.c).
SOCKBUF=4194304
RCVBUF=33554432
IPERF_W=(-w 4M)

# ---------------------------------------------------------------- set-up

require_netns
if ! command -v iperf >/dev/null 2>&1; then
	[ -n "${LAB_USERNS:-}" ] &&
	    skip_all "iperf2 (Debian package iperf) is not installed, and a user namespace cannot install it (scripts/deps.sh as root does)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends iperf >/dev/null 2>&1
	command -v iperf >/dev/null 2>&1 ||
	    skip_all "iperf2 (Debian package iperf) is not installed and could not be installed"
fi
for bin in "$MCAST" "$FLOOR" "$READER"; do
	if [ ! -x "$bin" ]; then
		echo "not ok - $NAME: no $bin: run make all bench-bin"
		exit 1
	fi
done

# Run copies: a rebuild by someone else during the run cannot swap them.
MCAST_BUILT=$(date -u -r "$MCAST" '+%Y-%m-%d %H:%M UTC')
cp "$MCAST" "$TMP/mcast" && cp "$FLOOR" "$TMP/sendmmsg_floor" &&
    cp "$READER" "$TMP/recvmmsg_floor" || exit 1
MCAST=$TMP/mcast FLOOR=$TMP/sendmmsg_floor READER=$TMP/recvmmsg_floor

PIN_TX=() PIN_RX=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	PIN_TX=(taskset -c 0) PIN_RX=(taskset -c 1)
fi
DATAPATH_RPS=${DATAPATH_RPS:-1}

new_ns a
new_ns b
p2p_link a eth0 198.18.50.1/24 b eth0 198.18.50.2/24
ip -n "$P-a" route add 224.0.0.0/4 dev eth0
ip -n "$P-b" route add 224.0.0.0/4 dev eth0
# B's input path on B's CPU, as on a real receiving host (see the top).
RPS="off"
if [ "$DATAPATH_RPS" = 1 ] && [ ${#PIN_RX[@]} -gt 0 ] &&
    nsx b sh -c 'echo 2 >/sys/class/net/eth0/queues/rx-0/rps_cpus' 2>/dev/null; then
	RPS="B's eth0 input on CPU 1 (RPS)"
elif [ "$DATAPATH_RPS" = 1 ] && [ ${#PIN_RX[@]} -gt 0 ] && [ -n "${LAB_USERNS:-}" ]; then
	# rps_cpus asks for CAP_NET_ADMIN in the initial user namespace.
	RPS="off (RPS needs real root)"
fi
# A process that only lives in B: /proc/PID/net/snmp is B's counters, read
# without starting a process in B.
bg b sleep 100000
B_PID=$LAST_PID

FAILURES=()
fail() {
	FAILURES+=("$*")
	echo "# FAILED: $*"
}

# ------------------------------------------------------------- helpers

# rx_bg / tx_bg SECS CMD...: in B (receiver) or A (sender), in the
# background, pinned, bounded in time; $LAST_PID (reap it: bench/lib.bash).
rx_bg() {
	local t=$1; shift
	bg b timeout -k 2 "$t" "${PIN_RX[@]}" "$@"
}
tx_bg() {
	local t=$1; shift
	bg a timeout -k 2 "$t" "${PIN_TX[@]}" "$@"
}

is_num() { [[ ${1:-} =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# now_us: the wall clock in microseconds, without a process.
now_us() { NOW_US=${EPOCHREALTIME/./}; NOW_US=$((10#$NOW_US)); }

# sleep_until US: sleep until the wall clock reaches US microseconds.
sleep_until() {
	local d
	now_us
	d=$(($1 - NOW_US))
	[ $d -gt 0 ] && sleep "$((d / 1000000)).$(printf '%06d' $((d % 1000000)))"
}

# b_snap: B's Udp InDatagrams (datagrams programs read) and RcvbufErrors
# (dropped at full socket queues) into SNAP_IN and SNAP_RB, and the clock
# into SNAP_US, read with builtins only so that clock and counter go
# together.
b_snap() {
	local f names=() vals=() i
	SNAP_IN= SNAP_RB=
	now_us
	SNAP_US=$NOW_US
	while read -r -a f; do
		[ "${f[0]}" = Udp: ] || continue
		if [ ${#names[@]} -eq 0 ]; then
			names=("${f[@]}")
		else
			vals=("${f[@]}")
			break
		fi
	done <"/proc/$B_PID/net/snmp"
	for i in "${!names[@]}"; do
		case ${names[$i]} in
		InDatagrams) SNAP_IN=${vals[$i]:-} ;;
		RcvbufErrors) SNAP_RB=${vals[$i]:-} ;;
		esac
	done
	is_num "$SNAP_IN" && is_num "$SNAP_RB"
}

# Datagrams dropped host-wide at the kernel's per-CPU input queues
# (/proc/net/softnet_stat, second column, hex): where a steered datagram
# goes when the receiving CPU falls behind.  Not per namespace: other
# traffic on the machine counts too.
backlog_drops() {
	local h sum=0
	for h in $(awk '{ print $2 }' /proc/net/softnet_stat); do
		sum=$((sum + 16#$h))
	done
	echo $sum
}

# Per-figure samples: VALS[key]="v1 v2 ...".
declare -A VALS
add() { VALS[$1]="${VALS[$1]:-} $2"; }

# secs_plus SECS EXTRA: an integer timeout comfortably above SECS.
secs_plus() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%d", s + e + 0.999 }'; }
# us SECS: seconds as integer microseconds.
us() { awk -v s="$1" 'BEGIN { printf "%d", s * 1000000 }'; }

# iperf2 client's pps (last report line) from its output file.
iperf_client_pps() {
	grep -E ' pps *$' "$1" | tail -n 1 | grep -oE '[0-9]+ pps' | cut -d' ' -f1
}

# Wait for iperf2 server's final report (Lost/Total), at most ~3 s.
iperf_server_wait() {
	local f=$1 i
	for i in $(seq 60); do
		grep -qE '[0-9]+/[0-9]+ +\(' "$f" && return 0
		sleep 0.05
	done
	return 1
}

# iperf_server_report FILE: "LOST TOTAL PPS" from iperf2 server's last
# Lost/Total line (-e), or nothing.
iperf_server_report() {
	local line lt pps
	line=$(grep -E '[0-9]+/[0-9]+ +\(' "$1" | tail -n 1)
	lt=$(echo "$line" | grep -oE '[0-9]+/[0-9]+ +\(' | tr -d ' (')
	pps=$(echo "$line" | grep -oE '[0-9]+ pps' | cut -d' ' -f1)
	is_num "${lt%/*}" && is_num "${lt#*/}" && is_num "$pps" &&
	    echo "${lt%/*} ${lt#*/} $pps"
}

# mcast_recv_rate FILE: mcast recv's datagrams per second from its JSON
# summary, from the first arrival to the end (the datagram that came first
# does not count: the time starts with it).
mcast_recv_rate() {
	local time first received
	time=$(json_field "$1" time)
	first=$(json_field "$1" first_packet_ms)
	received=$(json_field "$1" received)
	awk -v t="$time" -v f="$first" -v n="$received" 'BEGIN {
	    s = t - f / 1000; if (n > 1 && s > 0) printf "%.1f", (n - 1) / s }'
}

# pair GROUP RX_STOP TX_STOP RX_LIMIT TX_LIMIT [iperf]: one measured run.
# Starts the receiver RX (an array) in B, output in $TMP/rx.out; once it
# has joined GROUP, the sender TX in A, output in $TMP/tx.out.  Reads B's
# Udp InDatagrams SETTLE after the sender's start and SETTLE before the
# first of the two ends: the receiver's (RX_STOP seconds after its start,
# "" when it waits for the sender) and the sender's (TX_STOP after its
# start).  Waits for both (with "iperf", an iperf2 server waiting for a
# sender that has finished is stopped once its report is out).  Sets
# WIN_PPS (datagrams read in B per second in that window), RUN_IN
# (datagrams read in B over the receiver's life), RUN_RB (B's RcvbufErrors
# and RUN_BL (host input-queue drops) over the run).  Non-zero when the
# receiver did not join or a counter could not be read.
pair() {
	local group=$1 rx_stop=$2 tx_stop=$3 rx_limit=$4 tx_limit=$5
	local how=${6:-} r s t_rx t_tx end in0 rb0 bl0 k1 t1 rc=0
	WIN_PPS= RUN_IN= RUN_RB= RUN_BL=
	b_snap || return 1
	in0=$SNAP_IN rb0=$SNAP_RB bl0=$(backlog_drops)
	now_us
	t_rx=$NOW_US
	rx_bg "$rx_limit" "${RX[@]}" >"$TMP/rx.out" 2>&1
	r=$LAST_PID
	if ! wait_for 5 joined b "$group"; then
		kill "$r" 2>/dev/null
		reap "$r"
		return 1
	fi
	now_us
	t_tx=$NOW_US
	tx_bg "$tx_limit" "${TX[@]}" >"$TMP/tx.out" 2>&1
	s=$LAST_PID
	end=$((t_tx + $(us "$tx_stop")))
	if [ -n "$rx_stop" ] && [ $((t_rx + $(us "$rx_stop"))) -lt $end ]; then
		end=$((t_rx + $(us "$rx_stop")))
	fi
	sleep_until $((t_tx + $(us "$SETTLE")))
	b_snap || rc=1
	k1=$SNAP_IN t1=$SNAP_US
	sleep_until $((end - $(us "$SETTLE")))
	b_snap || rc=1
	if [ $rc = 0 ] && [ "$SNAP_US" -gt "$t1" ]; then
		WIN_PPS=$(awk -v n=$((SNAP_IN - k1)) -v t=$((SNAP_US - t1)) \
		    'BEGIN { printf "%.1f", n / t * 1000000 }')
	fi
	reap "$s"
	if [ "$how" = iperf ]; then
		iperf_server_wait "$TMP/rx.out"
		kill "$r" 2>/dev/null
	fi
	reap "$r"
	b_snap || return 1
	RUN_IN=$((SNAP_IN - in0)) RUN_RB=$((SNAP_RB - rb0))
	RUN_BL=$(($(backlog_drops) - bl0))
	return $rc
}

# agree KEY COUNT: the receiving program's count over B's InDatagrams over
# the receiver's life (RUN_IN), kept for the check that both count alike.
agree() {
	[ "${RUN_IN:-0}" -gt 0 ] && add "$1" "$(div6 "$2" "$RUN_IN")"
}
div6() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }

# ------------------------------------------------ 1. maximum delivered rate

# Each receiver reads for SEND_SECS; each sender runs TAIL longer, so the
# receiver stops while datagrams still come.
max_tx_secs() { awk -v s="$SEND_SECS" -v t="$TAIL" 'BEGIN { print s + t }'; }

# max_note KEY SIZE SENT TOOL: records one run's figures and prints them.
max_note() {
	local key=$1 size=$2 sent=$3 tool=$4
	add "max_${size}_${key}_sent" "$sent"
	add "max_${size}_${key}_tool" "$tool"
	add "max_${size}_${key}_kernel" "$WIN_PPS"
	add "max_${size}_${key}_drops" "$RUN_RB"
	echo -n " $key=${WIN_PPS%.*}/${tool%.*} (sent ${sent%.*})"
}

max_floor() {
	local size=$1 sent tool n
	RX=("$READER" -i eth0 -d "$SEND_SECS" -R $RCVBUF --json $G_MAX:$PORT)
	TX=("$FLOOR" -i eth0 -s "$size" -S $SOCKBUF -d "$(max_tx_secs)" --json
	    $G_MAX:$PORT)
	if ! pair $G_MAX "$SEND_SECS" "$(max_tx_secs)" \
	    "$(secs_plus "$SEND_SECS" 5)" "$(secs_plus "$(max_tx_secs)" 5)"; then
		fail "sendmmsg_floor -> recvmmsg_floor, $size bytes: no join or no counters"
		return
	fi
	sent=$(json_field "$TMP/tx.out" pps)
	tool=$(json_field "$TMP/rx.out" pps)
	n=$(json_field "$TMP/rx.out" packets)
	if ! is_num "$sent" || ! is_num "$tool" || ! is_num "$WIN_PPS"; then
		fail "sendmmsg_floor -> recvmmsg_floor, $size bytes: send '$(tail -n 1 "$TMP/tx.out")', recv '$(tail -n 1 "$TMP/rx.out")'"
		return
	fi
	agree "agree_floor" "$n"
	max_note floor "$size" "$sent" "$tool"
}

# max_mcast SIZE [gso]: its default (one sendmmsg batch of datagrams, like
# the floor) or with --gso (UDP segmentation offload trains).
max_mcast() {
	local size=$1 variant=${2:-} opt=() key=mcast sent tool n
	[ "$variant" = gso ] && opt=(--gso) key=mcastgso
	RX=("$MCAST" recv -i eth0 --json -d "$SEND_SECS" $G_MAX:$PORT)
	TX=("$MCAST" send -i eth0 -s "$size" "${opt[@]}" -d "$(max_tx_secs)"
	    --json $G_MAX:$PORT)
	if ! pair $G_MAX "$SEND_SECS" "$(max_tx_secs)" \
	    "$(secs_plus "$SEND_SECS" 5)" "$(secs_plus "$(max_tx_secs)" 5)"; then
		fail "mcast send ${opt[*]} -> mcast recv, $size bytes: no join or no counters"
		return
	fi
	sent=$(json_field "$TMP/tx.out" pps)
	tool=$(mcast_recv_rate "$TMP/rx.out")
	n=$(json_field "$TMP/rx.out" received)
	# Nothing arrived: no stream (and no rate).
	is_num "$n" && [ "$n" = 0 ] && tool=0
	if ! is_num "$sent" || ! is_num "$tool" || ! is_num "$WIN_PPS"; then
		fail "mcast send -s $size ${opt[*]} -> mcast recv: send '$(tail -n 1 "$TMP/tx.out")', recv '$(tail -n 1 "$TMP/rx.out" | cut -c1-300)'"
		return
	fi
	agree "agree_mcast" "$n"
	max_note "$key" "$size" "$sent" "$tool"
}

# max_iperf SIZE [default]: both ends with -w 4M, or both with iperf2's
# own socket buffers.
max_iperf() {
	local size=$1 variant=${2:-} w=("${IPERF_W[@]}") key=iperf sent rep
	[ "$variant" = default ] && w=() key=iperfdef
	RX=(iperf -s -u -B $G_MAX -p $PORT -l "$size" "${w[@]}" -t "$SEND_SECS" -e)
	TX=(iperf -c $G_MAX -p $PORT -u -l "$size" "${w[@]}" -b 100G
	    -t "$(max_tx_secs)" -T 1 -e)
	if ! pair $G_MAX "$SEND_SECS" "$(max_tx_secs)" \
	    "$(secs_plus "$SEND_SECS" 5)" "$(secs_plus "$(max_tx_secs)" 8)"; then
		fail "iperf -c -> iperf -s ${w[*]}, $size bytes: no join or no counters"
		return
	fi
	sent=$(iperf_client_pps "$TMP/tx.out")
	rep=($(iperf_server_report "$TMP/rx.out"))
	if ! is_num "$sent" || [ ${#rep[@]} != 3 ] || ! is_num "$WIN_PPS"; then
		fail "iperf -c -> iperf -s -l $size ${w[*]}: client '$(tail -n 2 "$TMP/tx.out" | tr '\n' ' ')', server '$(tail -n 2 "$TMP/rx.out" | tr '\n' ' ')'"
		return
	fi
	agree "agree_iperf" $((rep[1] - rep[0]))
	max_note "$key" "$size" "$sent" "${rep[2]}"
}

# ------------------------------------------------- 2. receiver at 200k pps

recv_mcast() {
	local size=$1 offered received lost
	RX=("$MCAST" recv -i eth0 --json -c "$RECV_COUNT"
	    -d "$(secs_plus "$RECV_SECS" 6)" $G_RECV:$PORT)
	TX=("$MCAST" send -i eth0 -s "$size" -r $RECV_PPS -c "$RECV_COUNT"
	    --json $G_RECV:$PORT)
	if ! pair $G_RECV "" "$RECV_SECS" "$(secs_plus "$RECV_SECS" 12)" \
	    "$(secs_plus "$RECV_SECS" 10)"; then
		fail "mcast send -r $RECV_PPS -> mcast recv, $size bytes: no join or no counters"
		return
	fi
	offered=$(json_field "$TMP/tx.out" pps)
	received=$(json_field "$TMP/rx.out" received)
	lost=$(json_field "$TMP/rx.out" lost)
	# Nothing arrived at all: everything was lost.
	if is_num "$received" && [ "$received" = 0 ] && ! is_num "$lost"; then
		lost=$RECV_COUNT
	fi
	if ! is_num "$offered" || ! is_num "$received" || ! is_num "$lost" ||
	    ! is_num "$WIN_PPS"; then
		fail "mcast send -r $RECV_PPS -> mcast recv, $size bytes: send '$(tail -n 1 "$TMP/tx.out")', recv '$(tail -n 1 "$TMP/rx.out" | cut -c1-300)'"
		return
	fi
	agree "agree_mcast" "$received"
	add "recv_${size}_mcast_offered" "$offered"
	add "recv_${size}_mcast_kernel" "$WIN_PPS"
	add "recv_${size}_mcast_lost" "$lost"
	add "recv_${size}_mcast_kdrops" "$RUN_RB"
	add "recv_${size}_mcast_bdrops" "$RUN_BL"
	echo -n " mcast: offered=${offered%.*} delivered=${WIN_PPS%.*} lost=$lost (socket $RUN_RB, input queue $RUN_BL)"
}

recv_iperf() {
	local size=$1 offered rep
	RX=(iperf -s -u -B $G_IRECV -p $PORT -l "$size" "${IPERF_W[@]}" -e)
	TX=(iperf -c $G_IRECV -p $PORT -u -l "$size" "${IPERF_W[@]}"
	    -b ${RECV_PPS}pps -t "$RECV_SECS" -T 1 -e)
	if ! pair $G_IRECV "" "$RECV_SECS" "$(secs_plus "$RECV_SECS" 15)" \
	    "$(secs_plus "$RECV_SECS" 8)" iperf; then
		fail "iperf -b ${RECV_PPS}pps -> iperf -s, $size bytes: no join or no counters"
		return
	fi
	offered=$(iperf_client_pps "$TMP/tx.out")
	rep=($(iperf_server_report "$TMP/rx.out"))
	if ! is_num "$offered" || [ ${#rep[@]} != 3 ] || ! is_num "$WIN_PPS"; then
		fail "iperf -b ${RECV_PPS}pps -> iperf -s, $size bytes: client '$(tail -n 2 "$TMP/tx.out" | tr '\n' ' ')', server '$(tail -n 2 "$TMP/rx.out" | tr '\n' ' ')'"
		return
	fi
	agree "agree_iperf" $((rep[1] - rep[0]))
	add "recv_${size}_iperf_offered" "$offered"
	add "recv_${size}_iperf_kernel" "$WIN_PPS"
	add "recv_${size}_iperf_tool" "${rep[2]}"
	add "recv_${size}_iperf_lost" "${rep[0]}"
	add "recv_${size}_iperf_kdrops" "$RUN_RB"
	add "recv_${size}_iperf_bdrops" "$RUN_BL"
	echo -n " iperf2: offered=$offered delivered=${WIN_PPS%.*}/${rep[2]} lost=${rep[0]}/${rep[1]} (socket $RUN_RB, input queue $RUN_BL)"
}

# ------------------------------------------------------ 3. pacing at 10k

pace_mcast() {
	local spps rpps received
	RX=("$MCAST" recv -i eth0 --json -c "$PACE_COUNT"
	    -d "$(secs_plus "$PACE_SECS" 6)" $G_PACE:$PORT)
	TX=("$MCAST" send -i eth0 -s 64 -r $PACE_PPS -c "$PACE_COUNT" --json
	    $G_PACE:$PORT)
	if ! pair $G_PACE "" "$PACE_SECS" "$(secs_plus "$PACE_SECS" 12)" \
	    "$(secs_plus "$PACE_SECS" 10)"; then
		fail "mcast send -r $PACE_PPS -> mcast recv: no join or no counters"
		return
	fi
	spps=$(json_field "$TMP/tx.out" pps)
	# Receiver's rate: datagrams after the first over the time from the
	# first arrival to the end (recv stops on the last one: -c).  When one
	# is lost, recv waits for its -d instead: no rate, the loss is counted.
	rpps=$(mcast_recv_rate "$TMP/rx.out")
	received=$(json_field "$TMP/rx.out" received)
	is_num "$received" && [ "$received" -lt "$PACE_COUNT" ] && rpps=lost
	if ! is_num "$spps" || ! is_num "$received" ||
	    ! { is_num "$rpps" || [ "$rpps" = lost ]; } || ! is_num "$WIN_PPS"; then
		fail "mcast send -r $PACE_PPS -> mcast recv: send '$(tail -n 1 "$TMP/tx.out")', recv '$(tail -n 1 "$TMP/rx.out" | cut -c1-300)'"
		return
	fi
	agree "agree_mcast" "$received"
	add pace_mcast_send "$spps"
	[ "$rpps" != lost ] && add pace_mcast_recv "$rpps"
	add pace_mcast_lost $((PACE_COUNT - received))
	add pace_mcast_kernel "$WIN_PPS"
	echo -n " mcast: sender=$spps receiver=$rpps B=$WIN_PPS"
}

pace_iperf() {
	local spps rep
	RX=(iperf -s -u -B $G_IPACE -p $PORT -l 64 "${IPERF_W[@]}" -e)
	TX=(iperf -c $G_IPACE -p $PORT -u -l 64 "${IPERF_W[@]}"
	    -b ${PACE_PPS}pps -t "$PACE_SECS" -T 1 -e)
	if ! pair $G_IPACE "" "$PACE_SECS" "$(secs_plus "$PACE_SECS" 15)" \
	    "$(secs_plus "$PACE_SECS" 8)" iperf; then
		fail "iperf -b ${PACE_PPS}pps -> iperf -s: no join or no counters"
		return
	fi
	spps=$(iperf_client_pps "$TMP/tx.out")
	rep=($(iperf_server_report "$TMP/rx.out"))
	if ! is_num "$spps" || [ ${#rep[@]} != 3 ] || ! is_num "$WIN_PPS"; then
		fail "iperf -b ${PACE_PPS}pps -> iperf -s: client '$(tail -n 2 "$TMP/tx.out" | tr '\n' ' ')', server '$(tail -n 2 "$TMP/rx.out" | tr '\n' ' ')'"
		return
	fi
	agree "agree_iperf" $((rep[1] - rep[0]))
	add pace_iperf_send "$spps"
	add pace_iperf_recv "${rep[2]}"
	add pace_iperf_kernel "$WIN_PPS"
	echo -n " iperf2: sender=$spps receiver=${rep[2]} B=$WIN_PPS"
}

# --------------------------------------------------------------- the run

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# datapath: $ROUNDS round(s); receivers read ${SEND_SECS}s of flat-out senders, receive $RECV_COUNT at $RECV_PPS/s, pace $PACE_COUNT at $PACE_PPS/s; pinning: ${PIN_TX[*]:-none} / ${PIN_RX[*]:-none}; rps: $RPS"
echo "# figures: delivered per second as B's Udp InDatagrams / the receiving program's count (sent: sender-counted)"
for round in $(seq "$ROUNDS"); do
	for size in $SIZES; do
		echo -n "# round $round max $size B pps:"
		max_floor "$size"
		max_mcast "$size"
		max_mcast "$size" gso
		max_iperf "$size"
		max_iperf "$size" default
		echo
	done
	for size in $SIZES; do
		echo -n "# round $round recv $size B at $RECV_PPS/s:"
		recv_mcast "$size"
		recv_iperf "$size"
		echo
	done
	echo -n "# round $round pace at $PACE_PPS/s:"
	pace_mcast
	pace_iperf
	echo
done

if [ $SMOKE = 1 ]; then
	if [ ${#FAILURES[@]} -eq 0 ]; then
		echo "ok - datapath smoke"
	else
		echo "not ok - datapath smoke: ${FAILURES[0]}"
		exit 1
	fi
	exit 0
fi

# ----------------------------------------------------------- the report

int() { awk -v a="$1" 'BEGIN { if (a == "") printf "n/a"; else printf "%.0f", a }'; }
# err ACHIEVED ASKED: signed error in percent.
err() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "") printf "n/a"; else printf "%+.2f%%", (a / b - 1) * 100 }'; }
# ok_ge VALUE LIMIT / ok_within_pct VALUE ASKED PCT
ok_ge() { awk -v v="$1" -v l="$2" 'BEGIN { print (v != "n/a" && v + 0 >= l) ? "met" : "missed" }'; }
ok_within() { awk -v v="$1" -v a="$2" -v p="$3" 'BEGIN { e = (v / a - 1) * 100; if (e < 0) e = -e; print (v != "" && e <= p) ? "met" : "missed" }'; }

missing=()
for size in $SIZES; do
	for key in floor mcast mcastgso iperf iperfdef; do
		missing+=("max_${size}_${key}_kernel" "max_${size}_${key}_tool")
	done
	missing+=("recv_${size}_mcast_lost" "recv_${size}_mcast_kernel"
	    "recv_${size}_iperf_lost")
done
missing+=(pace_mcast_lost pace_mcast_kernel)
missing=($(for key in "${missing[@]}"; do
	[ -n "$(sample "$key" n)" ] || echo "$key"
done))
if [ ${#missing[@]} -gt 0 ]; then
	echo "datapath: no samples for ${missing[*]}: nothing written to $RESULTS" >&2
	exit 1
fi

# dr SIZE A B: ratio of the medians of delivered rates, B's Udp InDatagrams
# (kernel) or the receiving programs' counts (tool, with a 4th argument).
dr() { div "$(med "max_$1_$2_${4:-kernel}")" "$(med "max_$1_$3_${4:-kernel}")"; }
ratio64=$(dr 64 mcast iperf)
limit64=$(dr 64 mcast floor)
ratio1316=$(dr 1316 mcast iperf)
limit1316=$(dr 1316 mcast floor)

# The receiver target holds when no round lost anything and B's programs
# really read (about) 200k/s; otherwise say which.
recv_verdict() {
	local size=$1 worst delivered
	worst=$(sample "recv_${size}_mcast_lost" max)
	delivered=$(med "recv_${size}_mcast_kernel")
	if [ "$worst" != 0 ]; then
		echo "missed: lost in $(echo ${VALS[recv_${size}_mcast_lost]} | tr ' ' '\n' | grep -vc '^0$') of $(sample "recv_${size}_mcast_lost" n) rounds, at most $worst; at the socket at most $(sample "recv_${size}_mcast_kdrops" max)"
	elif awk -v o="$delivered" -v r=$RECV_PPS 'BEGIN { exit !(o >= 0.98 * r) }'; then
		echo "met"
	else
		echo "not shown: zero loss, but B read only $(int "$delivered")/s"
	fi
}

# agree_check KEY: min–max of a program's count over B's Udp InDatagrams,
# met when every run is within 0.1%.
agree_check() {
	local lo hi
	lo=$(sample "$1" min) hi=$(sample "$1" max)
	if [ -z "$lo" ]; then
		row "$2" "n/a" "1.000 ± 0.001" "missed"
		return
	fi
	row "$2" "$(printf '%.4f–%.4f' "$lo" "$hi") ($(sample "$1" n) runs)" "1.000 ± 0.001" \
	    "$(awk -v l="$lo" -v h="$hi" 'BEGIN { print (l >= 0.999 && h <= 1.001) ? "met" : "missed" }')"
}

row() { printf '| %s | %s | %s | %s |\n' "$@"; }
# fig KEY: median, min-max, n columns
fig() { echo "$(int "$(med "$1")") | $(int "$(sample "$1" min)")–$(int "$(sample "$1" max)") | $(sample "$1" n)"; }

report() {
	local rev dirty size key label rcv
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- tools lib include bench 2>/dev/null | head -n 1)
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — datapath"
	echo
	echo "- command: \`bash bench/datapath.sh\` (ROUNDS=$ROUNDS SEND_SECS=$SEND_SECS RECV_SECS=$RECV_SECS PACE_SECS=$PACE_SECS DATAPATH_RPS=$DATAPATH_RPS)"
	echo "- kernel $(uname -r), $(nproc) CPUs ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), pinning ${PIN_TX[*]:-none} (senders) / ${PIN_RX[*]:-none} (receivers), receive steering: $RPS"
	echo "- load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (this script keeps about 2 CPUs busy while a pair runs; more means other work shared the machine)"
	echo "- $(iperf -v 2>&1 | head -n 1), $("$MCAST" --version 2>/dev/null | head -n 1) built $MCAST_BUILT, tree at git $rev${dirty:+ with local changes}"
	echo "- delivered = read by the program in B: \"B's Udp InDatagrams\" over the steady middle of each run (from ${SETTLE} s after the sender's start to ${SETTLE} s before the first end), \"counted by\" the receiving program itself; \"sender-counted\" figures are what a sender handed to the kernel and are in no ratio"
	echo
	echo "| figure (datagrams/s unless said) | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for size in $SIZES; do
		for key in floor mcast mcastgso iperf iperfdef; do
			case $key in
			floor) label="sendmmsg_floor → recvmmsg_floor" rcv=recvmmsg_floor ;;
			mcast) label="mcast send (sendmmsg batches) → mcast recv" rcv="mcast recv" ;;
			mcastgso) label="mcast send --gso (UDP GSO trains) → mcast recv" rcv="mcast recv" ;;
			iperf) label="iperf2 client → server (-w 4M)" rcv="iperf2 server" ;;
			iperfdef) label="iperf2 client → server, their default socket buffers" rcv="iperf2 server" ;;
			esac
			echo "| max $size B, $label: delivered, B's Udp InDatagrams | $(fig max_${size}_${key}_kernel) |"
			echo "| max $size B, $label: delivered, counted by $rcv | $(fig max_${size}_${key}_tool) |"
			echo "| max $size B, $label: datagrams dropped at $rcv's full socket queue per run (B's Udp RcvbufErrors) | $(fig max_${size}_${key}_drops) |"
			echo "| max $size B, $label: sender-counted (handed to the kernel) | $(fig max_${size}_${key}_sent) |"
		done
	done
	for size in $SIZES; do
		echo "| recv $size B at $RECV_PPS/s: mcast send offered, sender-counted | $(fig recv_${size}_mcast_offered) |"
		echo "| recv $size B at $RECV_PPS/s: mcast recv, delivered, B's Udp InDatagrams | $(fig recv_${size}_mcast_kernel) |"
		echo "| recv $size B at $RECV_PPS/s: mcast recv lost (datagrams) | $(fig recv_${size}_mcast_lost) |"
		echo "| recv $size B at $RECV_PPS/s: of which at mcast recv's socket (B's Udp RcvbufErrors) | $(fig recv_${size}_mcast_kdrops) |"
		echo "| recv $size B at $RECV_PPS/s: kernel input-queue drops during mcast (softnet_stat, host-wide) | $(fig recv_${size}_mcast_bdrops) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 client offered, sender-counted | $(fig recv_${size}_iperf_offered) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 server, delivered, B's Udp InDatagrams | $(fig recv_${size}_iperf_kernel) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 server, delivered, counted by iperf2 server | $(fig recv_${size}_iperf_tool) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 server lost (datagrams) | $(fig recv_${size}_iperf_lost) |"
		echo "| recv $size B at $RECV_PPS/s: of which at iperf2 server's socket (B's Udp RcvbufErrors) | $(fig recv_${size}_iperf_kdrops) |"
		echo "| recv $size B at $RECV_PPS/s: kernel input-queue drops during iperf2 (softnet_stat, host-wide) | $(fig recv_${size}_iperf_bdrops) |"
	done
	echo "| pace $PACE_PPS/s: mcast send, sender-counted | $(fig pace_mcast_send) |"
	echo "| pace $PACE_PPS/s: mcast send, counted by mcast recv (rounds without loss) | $(fig pace_mcast_recv) |"
	echo "| pace $PACE_PPS/s: mcast recv lost (datagrams) | $(fig pace_mcast_lost) |"
	echo "| pace $PACE_PPS/s: mcast send, B's Udp InDatagrams | $(fig pace_mcast_kernel) |"
	echo "| pace $PACE_PPS/s: iperf2 client, sender-counted | $(fig pace_iperf_send) |"
	echo "| pace $PACE_PPS/s: iperf2 client, counted by iperf2 server | $(fig pace_iperf_recv) |"
	echo "| pace $PACE_PPS/s: iperf2 client, B's Udp InDatagrams | $(fig pace_iperf_kernel) |"
	echo
	echo "| ratio / check (from the medians of delivered rates) | value | target | |"
	echo "|---|---:|---:|---|"
	row "delivered_pps_64 mcast / iperf2 (B's Udp InDatagrams)" "$ratio64" "≥ 1.5" "$(ok_ge "$ratio64" 1.5)"
	row "delivered_pps_64 mcast / iperf2 (counted by mcast recv, iperf2 server)" "$(dr 64 mcast iperf tool)" "" ""
	row "delivered_pps_64 of_limit (mcast / floor pair)" "$limit64" "≥ 0.9" "$(ok_ge "$limit64" 0.9)"
	row "delivered_pps_64 iperf2 / floor pair" "$(dr 64 iperf floor)" "" ""
	row "delivered_pps_64 mcast --gso / iperf2" "$(dr 64 mcastgso iperf)" "" ""
	row "delivered_pps_64 mcast --gso / floor pair" "$(dr 64 mcastgso floor)" "" ""
	row "delivered_pps_64 mcast / iperf2 with its default socket buffers" "$(dr 64 mcast iperfdef)" "" ""
	row "delivered_pps_1316 mcast / iperf2 (B's Udp InDatagrams)" "$ratio1316" "" ""
	row "delivered_pps_1316 mcast / iperf2 (counted by mcast recv, iperf2 server)" "$(dr 1316 mcast iperf tool)" "" ""
	row "delivered_pps_1316 of_limit (mcast / floor pair)" "$limit1316" "≥ 0.9" "$(ok_ge "$limit1316" 0.9)"
	row "delivered_pps_1316 iperf2 / floor pair" "$(dr 1316 iperf floor)" "" ""
	row "delivered_pps_1316 mcast --gso / iperf2" "$(dr 1316 mcastgso iperf)" "" ""
	row "delivered_pps_1316 mcast --gso / floor pair" "$(dr 1316 mcastgso floor)" "" ""
	row "delivered_pps_1316 mcast / iperf2 with its default socket buffers" "$(dr 1316 mcast iperfdef)" "" ""
	for size in $SIZES; do
		row "recv $size B at $RECV_PPS/s: mcast recv lost, worst round" "$(sample recv_${size}_mcast_lost max)" "0 at ≥ $((RECV_PPS * 98 / 100))/s delivered (B's Udp InDatagrams)" "$(recv_verdict "$size")"
		row "recv $size B at $RECV_PPS/s: iperf2 server lost, worst round" "$(sample recv_${size}_iperf_lost max)" "" ""
	done
	row "pace error, counted by mcast recv" "$(err "$(med pace_mcast_recv)" $PACE_PPS)" "within ±2%" "$(ok_within "$(med pace_mcast_recv)" $PACE_PPS 2)"
	row "pace error, mcast, B's Udp InDatagrams" "$(err "$(med pace_mcast_kernel)" $PACE_PPS)" "within ±2%" "$(ok_within "$(med pace_mcast_kernel)" $PACE_PPS 2)"
	row "pace error, counted by iperf2 server" "$(err "$(med pace_iperf_recv)" $PACE_PPS)" "" ""
	row "pace error, iperf2, B's Udp InDatagrams" "$(err "$(med pace_iperf_kernel)" $PACE_PPS)" "" ""
	row "pace error, mcast send, sender-counted (not a delivery figure)" "$(err "$(med pace_mcast_send)" $PACE_PPS)" "" ""
	row "pace error, iperf2 client, sender-counted (not a delivery figure)" "$(err "$(med pace_iperf_send)" $PACE_PPS)" "" ""
	agree_check agree_floor "recvmmsg_floor's count / B's Udp InDatagrams over its run, every run"
	agree_check agree_mcast "mcast recv's count / B's Udp InDatagrams over its run, every run"
	agree_check agree_iperf "iperf2 server's count (Total − Lost) / B's Udp InDatagrams over its run, every run"
	if [ ${#FAILURES[@]} -gt 0 ]; then
		echo
		echo "Runs that failed and are left out of the figures: ${#FAILURES[@]}; the first: ${FAILURES[0]}"
	fi
	echo
}

report >"$TMP/section.md"
if [ ! -f "$RESULTS" ]; then
	printf '# Benchmark results\n\nSections are appended by the benchmark scripts; figures are never edited by hand.\n\n' >"$RESULTS"
fi
cat "$TMP/section.md" >>"$RESULTS"
cat "$TMP/section.md"
echo "datapath_delivered_pps_ratio_vs_iperf2=$ratio64"
