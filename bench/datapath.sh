#!/usr/bin/env bash
# Datapath benchmark: `mcast send` / `mcast recv` against iperf2 and against a
# minimal sendmmsg() loop (build/bench/sendmmsg_floor), side by side on one
# veth pair, 64- and 1316-byte payloads.
#
#   bash bench/datapath.sh           full run; appends a dated section to
#                                    bench/RESULTS.md; the last line printed
#                                    is the headline ratio
#   bash bench/datapath.sh --smoke   every measured path once, tiny runs;
#                                    prints one TAP line, writes nothing
#
# Environment: ROUNDS (default 7), SEND_SECS (1.5), RECV_SECS (1.5),
# PACE_SECS (2), DATAPATH_RPS (1), RESULTS (bench/RESULTS.md), MCAST, FLOOR.
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
# What is measured, per round, programs alternating A B C A B C ...:
#  1. Maximum send rate, 64 and 1316 bytes: sendmmsg_floor, mcast send
#     (its default: UDP segmentation offload, one send() per train of up to
#     64 datagrams that the kernel cuts), mcast send --no-gso (sendmmsg
#     batches, like the floor), iperf2 client (-b 100G: no inter-packet
#     gap), then iperf2 again with
#     its default socket buffer, each for SEND_SECS, as counted by the
#     sender.  The first three have the same 4 MiB send buffer (see SOCKBUF).
#     B holds a joined socket bound to the group and port that is never read
#     (an `mcast recv` stopped with SIGSTOP): every datagram is really
#     delivered through B's IP and UDP input path, up to a full socket queue
#     (or dropped at B's input queue when B's CPU falls behind).  That costs
#     the sender the same per datagram for all programs and adds no third
#     runnable process on a 2-CPU machine.  A receiver that reads would make
#     the sender's rate depend on receiver wake-ups; the receiver test below
#     covers that case.
#  2. Receiver at 200,000 datagrams/s, 64 and 1316 bytes: `mcast send -r
#     200000` -> `mcast recv` (loss by sequence numbers), then iperf2 client
#     `-b 200000pps` -> iperf2 server (its Lost/Total), iperf2 with `-w 4M`
#     on both sides, mcast recv with the buffer it sets itself.
#     Also B's kernel counter Udp RcvbufErrors (drops at the socket) and the
#     host's input-queue drops (softnet_stat) over each run.
#  3. Pacing at 10,000 datagrams/s: `mcast send -r 10000` for PACE_SECS ->
#     `mcast recv`; achieved rate as counted by the sender and by the
#     receiver, against what was asked (and iperf2 `-b 10000pps` beside it).
set -u

. "$(dirname "$0")/lib.bash"
bench_start datapath 120 $((300 + ${ROUNDS:-7} * 120)) "$@"

. "$(dirname "$0")/../test/ns/lib.sh"
export LC_ALL=C
cd "$TOP"
FLOOR=${FLOOR:-build/bench/sendmmsg_floor}
case $FLOOR in /*) ;; *) FLOOR=$TOP/$FLOOR ;; esac
RESULTS=${RESULTS:-$TOP/bench/RESULTS.md}

NAME=datapath
[ $SMOKE = 1 ] && NAME="datapath smoke"
if [ $SMOKE = 1 ]; then
	ROUNDS=1 SEND_SECS=0.2 RECV_SECS=0.1 PACE_SECS=0.2
else
	ROUNDS=${ROUNDS:-7} SEND_SECS=${SEND_SECS:-1.5}
	RECV_SECS=${RECV_SECS:-1.5} PACE_SECS=${PACE_SECS:-2}
fi
RECV_PPS=200000
PACE_PPS=10000
SIZES="64 1316"
RECV_COUNT=$(awk -v r=$RECV_PPS -v s="$RECV_SECS" 'BEGIN { printf "%d", r * s }')
PACE_COUNT=$(awk -v r=$PACE_PPS -v s="$PACE_SECS" 'BEGIN { printf "%d", r * s }')

G_SINK=239.50.0.1	# max-rate runs (stopped receiver in B)
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
SOCKBUF=4194304
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
for bin in "$MCAST" "$FLOOR"; do
	if [ ! -x "$bin" ]; then
		echo "not ok - $NAME: no $bin: run make all bench-bin"
		exit 1
	fi
done

# Run copies: a rebuild by someone else during the run cannot swap them.
MCAST_BUILT=$(date -u -r "$MCAST" '+%Y-%m-%d %H:%M UTC')
cp "$MCAST" "$TMP/mcast" && cp "$FLOOR" "$TMP/sendmmsg_floor" || exit 1
MCAST=$TMP/mcast FLOOR=$TMP/sendmmsg_floor

PIN_TX=() PIN_RX=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	PIN_TX=(taskset -c 0) PIN_RX=(taskset -c 1)
fi
DATAPATH_RPS=${DATAPATH_RPS:-1}

SINK_PID=
datapath_cleanup() {
	# A stopped process keeps a pending SIGTERM: let it run first.
	[ -n "$SINK_PID" ] && kill -CONT "$SINK_PID" 2>/dev/null
	cleanup
}
trap datapath_cleanup EXIT

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

FAILURES=()
fail() {
	FAILURES+=("$*")
	echo "# FAILED: $*"
}

# ------------------------------------------------------------- helpers

# Run in namespace A (sender) or B (receiver), pinned, bounded in time.
tx() { local t=$1; shift; timeout -k 2 "$t" ip netns exec "$P-a" "${PIN_TX[@]}" "$@"; }
# rx_bg SECS CMD...: in B, in the background, pinned, bounded; $LAST_PID
# (reap it: bench/lib.bash).
rx_bg() {
	local t=$1; shift
	bg b timeout -k 2 "$t" "${PIN_RX[@]}" "$@"
}

is_num() { [[ ${1:-} =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# B's kernel counter of datagrams dropped at full socket queues.
rcvbuf_errors() {
	nsx b awk '/^Udp: / { if (h) { for (i = 2; i <= NF; i++)
	    if (n[i] == "RcvbufErrors") print $i; exit }
	    for (i = 2; i <= NF; i++) n[i] = $i; h = 1 }' /proc/net/snmp
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

# ---------------------------------------------------- 1. maximum send rate

send_floor() {
	local size=$1 out pps
	out=$(tx "$(secs_plus "$SEND_SECS" 5)" "$FLOOR" -i eth0 -s "$size" \
	    -S $SOCKBUF -d "$SEND_SECS" --json $G_SINK:$PORT 2>&1)
	pps=$(echo "$out" | grep -o '"pps":[0-9.]*' | cut -d: -f2)
	is_num "$pps" || { fail "sendmmsg_floor -s $size: $out"; return; }
	add "send_${size}_floor" "$pps"
	echo -n " floor=${pps%.*}"
}

# send_mcast SIZE [nogso]: with UDP segmentation offload (its default) or
# with --no-gso (one sendmmsg batch of datagrams, like the floor).
send_mcast() {
	local size=$1 variant=${2:-} out pps opt=() key=mcast
	[ "$variant" = nogso ] && opt=(--no-gso) key=mcastnogso
	out=$(tx "$(secs_plus "$SEND_SECS" 5)" "$MCAST" send -i eth0 -s "$size" \
	    "${opt[@]}" -d "$SEND_SECS" --json $G_SINK:$PORT 2>&1)
	pps=$(echo "$out" | grep -o '"pps":[0-9.]*' | cut -d: -f2)
	is_num "$pps" || { fail "mcast send -s $size ${opt[*]}: $out"; return; }
	add "send_${size}_$key" "$pps"
	echo -n " $key=${pps%.*}"
}

# send_iperf SIZE [default]: with the common send buffer, or iperf2's own.
send_iperf() {
	local size=$1 variant=${2:-} pps w=("${IPERF_W[@]}") key=iperf
	[ "$variant" = default ] && w=() key=iperfdef
	tx "$(secs_plus "$SEND_SECS" 8)" iperf -c $G_SINK -p $PORT -u -l "$size" \
	    "${w[@]}" -b 100G -t "$SEND_SECS" -T 1 -e >"$TMP/ic.txt" 2>&1
	pps=$(iperf_client_pps "$TMP/ic.txt")
	is_num "$pps" || { fail "iperf -c -l $size ${w[*]}: $(tail -n 3 "$TMP/ic.txt")"; return; }
	add "send_${size}_$key" "$pps"
	echo -n " $key=$pps"
}

# ------------------------------------------------- 2. receiver at 200k pps

recv_mcast() {
	local size=$1 r out offered received lost drops0 drops1 bl0 bl1
	drops0=$(rcvbuf_errors) bl0=$(backlog_drops)
	rx_bg "$(secs_plus "$RECV_SECS" 12)" "$MCAST" recv -i eth0 --json \
	    -c "$RECV_COUNT" -d "$(secs_plus "$RECV_SECS" 6)" \
	    $G_RECV:$PORT >"$TMP/rm.json"
	r=$LAST_PID
	wait_for 5 joined b $G_RECV || { fail "mcast recv did not join"; }
	out=$(tx "$(secs_plus "$RECV_SECS" 10)" "$MCAST" send -i eth0 -s "$size" \
	    -r $RECV_PPS -c "$RECV_COUNT" --json $G_RECV:$PORT 2>&1)
	reap "$r"
	drops1=$(rcvbuf_errors) bl1=$(backlog_drops)
	offered=$(echo "$out" | grep -o '"pps":[0-9.]*' | cut -d: -f2)
	received=$(json_field "$TMP/rm.json" received)
	lost=$(json_field "$TMP/rm.json" lost)
	# Nothing arrived at all: everything was lost.
	if is_num "$received" && [ "$received" = 0 ] && ! is_num "$lost"; then
		lost=$RECV_COUNT
	fi
	if ! is_num "$offered" || ! is_num "$received" || ! is_num "$lost"; then
		fail "mcast send -r $RECV_PPS -> mcast recv, $size bytes: send '$out', recv '$(tail -n 1 "$TMP/rm.json")'"
		return
	fi
	add "recv_${size}_mcast_offered" "$offered"
	add "recv_${size}_mcast_lost" "$lost"
	add "recv_${size}_mcast_kdrops" $((drops1 - drops0))
	add "recv_${size}_mcast_bdrops" $((bl1 - bl0))
	echo -n " mcast: offered=${offered%.*} lost=$lost (socket $((drops1 - drops0)), input queue $((bl1 - bl0)))"
}

recv_iperf() {
	local size=$1 s offered lt lost total drops0 drops1 bl0 bl1
	drops0=$(rcvbuf_errors) bl0=$(backlog_drops)
	rx_bg "$(secs_plus "$RECV_SECS" 15)" iperf -s -u -B $G_IRECV -p $PORT \
	    -l "$size" "${IPERF_W[@]}" -e >"$TMP/is.txt" 2>&1
	s=$LAST_PID
	wait_for 5 joined b $G_IRECV || { fail "iperf -s did not join"; }
	tx "$(secs_plus "$RECV_SECS" 8)" iperf -c $G_IRECV -p $PORT -u -l "$size" \
	    "${IPERF_W[@]}" -b ${RECV_PPS}pps -t "$RECV_SECS" -T 1 -e >"$TMP/ic.txt" 2>&1
	iperf_server_wait "$TMP/is.txt"
	kill "$s" 2>/dev/null
	reap "$s"
	drops1=$(rcvbuf_errors) bl1=$(backlog_drops)
	offered=$(iperf_client_pps "$TMP/ic.txt")
	lt=$(grep -oE '[0-9]+/[0-9]+ +\(' "$TMP/is.txt" | tail -n 1)
	lost=${lt%%/*}
	total=$(echo "$lt" | cut -d/ -f2 | tr -dc 0-9)
	if ! is_num "$offered" || ! is_num "$lost" || ! is_num "$total"; then
		fail "iperf -b ${RECV_PPS}pps -> iperf -s, $size bytes: client '$(tail -n 2 "$TMP/ic.txt" | tr '\n' ' ')', server '$(tail -n 2 "$TMP/is.txt" | tr '\n' ' ')'"
		return
	fi
	add "recv_${size}_iperf_offered" "$offered"
	add "recv_${size}_iperf_lost" "$lost"
	add "recv_${size}_iperf_kdrops" $((drops1 - drops0))
	add "recv_${size}_iperf_bdrops" $((bl1 - bl0))
	echo -n " iperf2: offered=$offered lost=$lost/$total (socket $((drops1 - drops0)), input queue $((bl1 - bl0)))"
}

# ------------------------------------------------------ 3. pacing at 10k

pace_mcast() {
	local r out spps time first received rpps
	rx_bg "$(secs_plus "$PACE_SECS" 12)" "$MCAST" recv -i eth0 --json \
	    -c "$PACE_COUNT" -d "$(secs_plus "$PACE_SECS" 6)" \
	    $G_PACE:$PORT >"$TMP/pm.json"
	r=$LAST_PID
	wait_for 5 joined b $G_PACE || { fail "mcast recv (pacing) did not join"; }
	out=$(tx "$(secs_plus "$PACE_SECS" 10)" "$MCAST" send -i eth0 -s 64 \
	    -r $PACE_PPS -c "$PACE_COUNT" --json $G_PACE:$PORT 2>&1)
	reap "$r"
	spps=$(echo "$out" | grep -o '"pps":[0-9.]*' | cut -d: -f2)
	# Receiver's rate: datagrams after the first over the time from the
	# first arrival to the end (recv stops on the last one: -c).
	time=$(json_field "$TMP/pm.json" time)
	first=$(json_field "$TMP/pm.json" first_packet_ms)
	received=$(json_field "$TMP/pm.json" received)
	rpps=$(awk -v t="$time" -v f="$first" -v n="$received" 'BEGIN {
	    s = t - f / 1000; if (n > 1 && s > 0) printf "%.1f", (n - 1) / s }')
	if ! is_num "$spps" || ! is_num "$rpps"; then
		fail "mcast send -r $PACE_PPS -> mcast recv: send '$out', recv '$(tail -n 1 "$TMP/pm.json")'"
		return
	fi
	add pace_mcast_send "$spps"
	add pace_mcast_recv "$rpps"
	echo -n " mcast: sender=$spps receiver=$rpps"
}

pace_iperf() {
	local s spps rpps
	rx_bg "$(secs_plus "$PACE_SECS" 15)" iperf -s -u -B $G_IPACE -p $PORT \
	    -l 64 "${IPERF_W[@]}" -e >"$TMP/ips.txt" 2>&1
	s=$LAST_PID
	wait_for 5 joined b $G_IPACE || { fail "iperf -s (pacing) did not join"; }
	tx "$(secs_plus "$PACE_SECS" 8)" iperf -c $G_IPACE -p $PORT -u -l 64 \
	    "${IPERF_W[@]}" -b ${PACE_PPS}pps -t "$PACE_SECS" -T 1 -e >"$TMP/ipc.txt" 2>&1
	iperf_server_wait "$TMP/ips.txt"
	kill "$s" 2>/dev/null
	reap "$s"
	spps=$(iperf_client_pps "$TMP/ipc.txt")
	rpps=$(grep -E '[0-9]+/[0-9]+ +\(' "$TMP/ips.txt" | tail -n 1 |
	    grep -oE '[0-9]+ pps' | cut -d' ' -f1)
	if ! is_num "$spps" || ! is_num "$rpps"; then
		fail "iperf -b ${PACE_PPS}pps -> iperf -s: client '$(tail -n 2 "$TMP/ipc.txt" | tr '\n' ' ')', server '$(tail -n 2 "$TMP/ips.txt" | tr '\n' ' ')'"
		return
	fi
	add pace_iperf_send "$spps"
	add pace_iperf_recv "$rpps"
	echo -n " iperf2: sender=$spps receiver=$rpps"
}

# --------------------------------------------------------------- the run

# The sink for the max-rate runs: joined, bound to the port, never read.
bg b "$MCAST" recv -q -i eth0 -d 3600 $G_SINK:$PORT
SINK_PID=$LAST_PID
if ! wait_for 5 joined b $G_SINK; then
	echo "not ok - $NAME: the sink in B did not join $G_SINK"
	exit 1
fi
kill -STOP "$SINK_PID"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# datapath: $ROUNDS round(s); send ${SEND_SECS}s, receive $RECV_COUNT at $RECV_PPS/s, pace $PACE_COUNT at $PACE_PPS/s; pinning: ${PIN_TX[*]:-none} / ${PIN_RX[*]:-none}; rps: $RPS"
for round in $(seq "$ROUNDS"); do
	for size in $SIZES; do
		echo -n "# round $round send $size B pps:"
		send_floor "$size"
		send_mcast "$size"
		send_mcast "$size" nogso
		send_iperf "$size"
		send_iperf "$size" default
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
for key in send_64_floor send_64_mcast send_64_iperf send_1316_floor \
    send_1316_mcast send_1316_iperf recv_64_mcast_lost recv_64_iperf_lost \
    recv_1316_mcast_lost recv_1316_iperf_lost pace_mcast_send pace_mcast_recv; do
	[ -n "$(sample $key n)" ] || missing+=("$key")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "datapath: no samples for ${missing[*]}: nothing written to $RESULTS" >&2
	exit 1
fi

ratio64=$(div "$(med send_64_mcast)" "$(med send_64_iperf)")
limit64=$(div "$(med send_64_mcast)" "$(med send_64_floor)")
ratio1316=$(div "$(med send_1316_mcast)" "$(med send_1316_iperf)")
limit1316=$(div "$(med send_1316_mcast)" "$(med send_1316_floor)")
iperf_limit64=$(div "$(med send_64_iperf)" "$(med send_64_floor)")
iperf_limit1316=$(div "$(med send_1316_iperf)" "$(med send_1316_floor)")

# The receiver target holds when no round lost anything and the sender
# really offered (about) 200k/s; otherwise say which.
recv_verdict() {
	local size=$1 worst offered
	worst=$(sample "recv_${size}_mcast_lost" max)
	offered=$(med "recv_${size}_mcast_offered")
	if [ "$worst" != 0 ]; then
		echo "missed: lost in $(echo ${VALS[recv_${size}_mcast_lost]} | tr ' ' '\n' | grep -vc '^0$') of $(sample "recv_${size}_mcast_lost" n) rounds, at most $worst; at the socket at most $(sample "recv_${size}_mcast_kdrops" max)"
	elif awk -v o="$offered" -v r=$RECV_PPS 'BEGIN { exit !(o >= 0.98 * r) }'; then
		echo "met"
	else
		echo "not shown: zero loss, but the sender offered only $(int "$offered")/s"
	fi
}

row() { printf '| %s | %s | %s | %s |\n' "$@"; }
# fig KEY: median, min-max, n columns
fig() { echo "$(int "$(med "$1")") | $(int "$(sample "$1" min)")–$(int "$(sample "$1" max)") | $(sample "$1" n)"; }

report() {
	local rev dirty
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- tools lib include bench 2>/dev/null | head -n 1)
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — datapath"
	echo
	echo "- command: \`bash bench/datapath.sh\` (ROUNDS=$ROUNDS SEND_SECS=$SEND_SECS RECV_SECS=$RECV_SECS PACE_SECS=$PACE_SECS DATAPATH_RPS=$DATAPATH_RPS)"
	echo "- kernel $(uname -r), $(nproc) CPUs ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), pinning ${PIN_TX[*]:-none} (senders) / ${PIN_RX[*]:-none} (receivers), receive steering: $RPS"
	echo "- load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (this script keeps about 1 CPU busy; more means other work shared the machine)"
	echo "- $(iperf -v 2>&1 | head -n 1), $("$MCAST" --version 2>/dev/null | head -n 1) built $MCAST_BUILT, tree at git $rev${dirty:+ with local changes}"
	echo
	echo "| figure (datagrams/s unless said) | median | min–max | rounds |"
	echo "|---|---:|---:|---:|"
	for size in $SIZES; do
		echo "| max send $size B: sendmmsg floor | $(fig send_${size}_floor) |"
		echo "| max send $size B: mcast send (UDP GSO trains) | $(fig send_${size}_mcast) |"
		echo "| max send $size B: mcast send --no-gso (sendmmsg) | $(fig send_${size}_mcastnogso) |"
		echo "| max send $size B: iperf2 client (-w 4M) | $(fig send_${size}_iperf) |"
		echo "| max send $size B: iperf2 client, its default socket buffer | $(fig send_${size}_iperfdef) |"
	done
	for size in $SIZES; do
		echo "| recv $size B at $RECV_PPS/s: mcast send offered | $(fig recv_${size}_mcast_offered) |"
		echo "| recv $size B at $RECV_PPS/s: mcast recv lost (datagrams) | $(fig recv_${size}_mcast_lost) |"
		echo "| recv $size B at $RECV_PPS/s: of which at mcast recv's socket (B's Udp RcvbufErrors) | $(fig recv_${size}_mcast_kdrops) |"
		echo "| recv $size B at $RECV_PPS/s: kernel input-queue drops during mcast (softnet_stat, host-wide) | $(fig recv_${size}_mcast_bdrops) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 client offered | $(fig recv_${size}_iperf_offered) |"
		echo "| recv $size B at $RECV_PPS/s: iperf2 server lost (datagrams) | $(fig recv_${size}_iperf_lost) |"
		echo "| recv $size B at $RECV_PPS/s: of which at iperf2 server's socket (B's Udp RcvbufErrors) | $(fig recv_${size}_iperf_kdrops) |"
		echo "| recv $size B at $RECV_PPS/s: kernel input-queue drops during iperf2 (softnet_stat, host-wide) | $(fig recv_${size}_iperf_bdrops) |"
	done
	echo "| pace $PACE_PPS/s: mcast send, counted by the sender | $(fig pace_mcast_send) |"
	echo "| pace $PACE_PPS/s: mcast send, counted by mcast recv | $(fig pace_mcast_recv) |"
	echo "| pace $PACE_PPS/s: iperf2 client, counted by the client | $(fig pace_iperf_send) |"
	echo "| pace $PACE_PPS/s: iperf2 client, counted by iperf2 server | $(fig pace_iperf_recv) |"
	echo
	echo "| ratio / check (from the medians) | value | target | |"
	echo "|---|---:|---:|---|"
	row "send_pps_64 mcast / iperf2" "$ratio64" "≥ 1.5" "$(ok_ge "$ratio64" 1.5)"
	row "send_pps_64 of_limit (mcast / sendmmsg floor)" "$limit64" "≥ 0.9" "$(ok_ge "$limit64" 0.9)"
	row "send_pps_64 iperf2 / sendmmsg floor" "$iperf_limit64" "" ""
	row "send_pps_64 mcast --no-gso / iperf2" "$(div "$(med send_64_mcastnogso)" "$(med send_64_iperf)")" "" ""
	row "send_pps_64 mcast --no-gso / sendmmsg floor" "$(div "$(med send_64_mcastnogso)" "$(med send_64_floor)")" "" ""
	row "send_pps_64 mcast / iperf2 with its default socket buffer" "$(div "$(med send_64_mcast)" "$(med send_64_iperfdef)")" "" ""
	row "send_pps_1316 mcast / iperf2" "$ratio1316" "" ""
	row "send_pps_1316 of_limit (mcast / sendmmsg floor)" "$limit1316" "≥ 0.9" "$(ok_ge "$limit1316" 0.9)"
	row "send_pps_1316 iperf2 / sendmmsg floor" "$iperf_limit1316" "" ""
	row "send_pps_1316 mcast / iperf2 with its default socket buffer" "$(div "$(med send_1316_mcast)" "$(med send_1316_iperfdef)")" "" ""
	for size in $SIZES; do
		row "recv $size B at $RECV_PPS/s: mcast recv lost, worst round" "$(sample recv_${size}_mcast_lost max)" "0 at ≥ $((RECV_PPS * 98 / 100))/s offered" "$(recv_verdict "$size")"
		row "recv $size B at $RECV_PPS/s: iperf2 server lost, worst round" "$(sample recv_${size}_iperf_lost max)" "" ""
	done
	row "pace error, mcast sender count" "$(err "$(med pace_mcast_send)" $PACE_PPS)" "within ±2%" "$(ok_within "$(med pace_mcast_send)" $PACE_PPS 2)"
	row "pace error, mcast recv count" "$(err "$(med pace_mcast_recv)" $PACE_PPS)" "within ±2%" "$(ok_within "$(med pace_mcast_recv)" $PACE_PPS 2)"
	row "pace error, iperf2 client count" "$(err "$(med pace_iperf_send)" $PACE_PPS)" "" ""
	row "pace error, iperf2 server count" "$(err "$(med pace_iperf_recv)" $PACE_PPS)" "" ""
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
echo "datapath_pps_ratio_vs_iperf2=$ratio64"
