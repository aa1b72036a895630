#!/usr/bin/env bash
# Every example of README.md (each fenced block) and of the EXAMPLES
# sections of man/*.1, *.5, *.8 (each .EX block) is run here against a
# lab, and the shape of what it prints (header lines, the first word of
# lines, JSON keys, exit statuses: test/ns/examples.py) is compared with
# what the document shows.  An example this table neither runs nor skips
# with a reason fails the test, so a new example is never silently left out.
#
#  h1 .2 (tx), h2 .3 (rx, rx-a), h3 .4 (rx-b): LAN 198.18.1.0/24 -- eth0 [r]
#  ha 198.18.2.2 -- eth1 [r]      hb 198.18.3.2 -- eth2 [r]      eth3 [r]
#
# r runs mcastd only while an example needs it, with dist/mcastd.conf.example
# (its interfaces are r's) standing in for /etc/mcastd.conf.  A prompt
# "$ " or "# " is the example's main host (h1, or r for the router's
# examples), "rx$ " h2, "tx$ " h1 and so on (HOSTS below).  Commands run in
# order from a scratch directory (dist/ there is the repository's); one
# ending in & or followed by another host's command runs in the background
# and is stopped (by pid) when the example ends; every other command must
# exit 0 unless the document shows `echo $?` after it.  mcastd and mcastctl
# are given the lab's socket and pid file.
#
# When a program's output changes, the document's example is what to edit
# (the expected shapes are its lines); when an example's first command
# changes, its line in the table below.  ONLY=TEXT runs the examples whose
# text has TEXT; PRINT_OUTPUT=1 shows what each printed.
#
# The examples' durations are the documents' own (recv -d 5 takes 5 s) and
# are mostly waiting, so the examples to run are dealt in turn to
# EX_SHARDS (2) copies of this script at once, each with a lab of its own
# (EX_SHARD=I runs copy I alone; EX_SHARDS=1 runs all in one lab).
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
cd "$TOP" || exit 1

# ---- the table: one line per example, "DOC: first command" -> what to do --
# run[ OPTION...]: setup=F (before), after1=F (after the first command),
#   main=HOST ($ and #), settle=S (after each background start, 0.3),
#   wait=S (for background commands at the end, 1), status=N (what the
#   commands exit with, 0)
# skip REASON
declare -A EX=(
["README.md: make demo"]="skip runs a lab of its own (scripts/demo.sh), over half a minute"
["README.md: make check"]="skip is the whole test suite"
["README.md: mcastd -n -f /etc/mcastd.conf"]="skip three DVMRP routers in a line and two hosts: test/ns/t_dvmrp_line.sh builds this topology and asserts it"
["README.md: rA# cat /etc/mcastd.conf"]="skip two islands, two routers and a unicast-only router between them: test/ns/t_tunnel.sh builds this topology and asserts it (ipip and udp)"
["README.md: mcast mtrace 198.18.1.10 239.1.8.1"]="skip three mrouted 4.6 routers in a line and a response path: test/ns/t_mtrace.sh builds this topology and asserts it"
["README.md: mcast addr 239.255.255.250"]="run"
["README.md: mcast send -i eth0 -r 2000 -s 512 -c 6000 239.1.2.3:5001"]="run"
["README.md: mcast recv -i eth0 --interval 1 -d 3.5 239.1.2.3:5001"]="run setup=lossy_stream"
["README.md: mcast recv -i eth0 -d 8 239.1.13.1:5004 239.1.13.1:5006"]="skip needs ffmpeg sending RTP and MPEG-TS with nftables drops; test/ns/t_recv_rtp.sh builds that lab and asserts the figures"
["README.md: mcast recv -i eth0 -S 198.18.1.1 -d 5 232.1.1.1:5000"]="run setup=v2_querier status=1"
["README.md: mcast join -i eth0 -d 3 239.1.2.3 239.1.2.4 &"]="run wait=3"
["README.md: mcast pong -i eth0 239.1.2.9:7000"]="run"
["README.md: mcast ping --icmp -i eth0 -c 2 -I 200ms 224.0.0.1"]="run setup=icmp_echo"
["README.md: mcast dump -r dist/igmp-lab.pcap | grep -e general -e v2"]="run setup=join_later"
["README.md: mcast dump -c 1 src 198.18.1.3"]="run setup=join_later"
["README.md: mcast igmp emulate -i eth0 --hosts 20 --groups 239.2.2.1/5 --version 2 --leave-after 2 --json"]="run"
["README.md: mcast mrinfo -n 198.18.82.2"]="skip three DVMRP routers in a line: test/ns/t_mrinfo.sh builds this topology and asserts these exact lines; dot (Graphviz) is not a dependency"
["README.md: mcastd -n -f /etc/mcastd.conf &"]="run main=r settle=0.5 after1=receivers"
["README.md: mcastctl add mroute from eth0 group 239.2.2.2 to eth1 eth3"]="run main=r setup=router_only"
["README.md: #include <stdio.h>"]="run setup=compile_c"
["README.md: cat radio.sdp"]="run"
["README.md: mcast dump -r sap.pcap"]="skip a capture of SAP packets made by a script: test/cli/t_dump_sap.sh writes it and asserts these exact lines and every field against tshark"
["README.md: mcast recv -i eth0 --session \"Lab tone\" -d 8"]="skip needs an announcer, ffmpeg sending RTP and nftables drops: test/ns/t_sap_recv.sh builds that lab and asserts the figures"
["man/mcast.1: mcast addr 239.255.255.250"]="run"
["man/mcast.1: mcast mrinfo -n 198.18.82.2"]="skip three DVMRP routers in a line: test/ns/t_mrinfo.sh builds this topology and asserts these exact lines (mrinfo and map --dot)"
["man/mcast.1: mcast recv -i eth0 -c 2000 -d 30 239.1.2.3:5000"]="run wait=5"
["man/mcast.1: mcast recv -S 198.51.100.7 --interval 5 232.1.2.3:5000"]="skip needs a routed source in 198.51.100.0/24 and runs until interrupted; routed SSM is t_mcastd_fwd's"
["man/mcast.1: mcast recv -i eth0 -c 2000 -d 60 '[ff05::1:3]:5000'"]="run wait=5"
["man/mcast.1: mcast pong -i eth0 239.1.2.9:7000"]="run"
["man/mcast.1: mcast ping --icmp -i eth0 224.0.0.1"]="run setup=icmp_echo"
["man/mcast.1: mcast join -i eth0 -d 10m 239.1.2.3 239.1.2.4 &"]="run"
["man/mcast.1: mcast recv --raw 239.1.2.3:5002"]="skip reads the system log with tail -f, which never ends"
["man/mcast.1: mcast recv -q -c 100 -d 10 239.1.2.3:5000 && echo stream ok"]="run setup=stream_5000"
["man/mcastd.8: mcastd --version"]="run main=r settle=1"
["man/mcastctl.8: mcastctl show interfaces"]="run main=r setup=router"
["man/mcastd.conf.5: cat r1.conf"]="run main=r"
["man/mcastd.conf.5: cat r2.conf"]="run main=r"
["man/mcastd.conf.5: cat r3.conf"]="run main=r"
)
declare -A HOSTS=([rx]=h2 [tx]=h1 [rx-a]=h2 [rx-b]=h3)

# ---- setups ---------------------------------------------------------------
# The README's recv example: a stream from h1 with one datagram in 50 lost
# at the receiver (an nftables rule), so recv reports loss and exits 1.
lossy_stream() {
	nsx h1 nft -f - <<'NFT'
table inet lossy {
	chain in {
		type filter hook prerouting priority 0;
		udp dport 5001 numgen random mod 50 == 0 drop
	}
}
NFT
	bg h2 "$MCAST" send -i eth0 -r 2000 -s 512 -d 4.5 -q 239.1.2.3:5001
	sleep 0.2
}
lossy_stream_done() { nsx h1 nft delete table inet lossy; }
icmp_echo() {
	local h
	for h in h2 h3; do
		nsx $h sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
	done
}
# A membership report for the live capture to see.
join_later() {
	(sleep 0.5 && nsx h2 "$MCAST" join -q -i eth0 -d 1 239.1.2.3) &
	BG_PIDS+=($!)
}
compile_c() {
	python3 -c 'import json, sys; e = json.loads(sys.argv[1]); print("\n".join(e["out"]))' \
	    "$ex" >"$TMP/work/example.c"
	STEPS=("\$ cc -Iinclude example.c build/libmcast.a -lm -o example")
	ln -sfn "$TOP/include" "$TMP/work/include"
	ln -sfn "$(cd "$(dirname "$MCAST")" && pwd)" "$TMP/work/build"
	DOC_OUT=0
}
# The receivers and the sender of the README's router example, once mcastd
# is up: memberships reported to it at once.
receivers() {
	local h
	for h in ha hb; do
		bg $h "$MCAST" recv -q -i eth0 -d 6 239.1.2.3:5001
	done
	sleep 0.5
	bg h1 "$MCAST" send -i eth0 -t 8 -r 1000 -s 92 -d 5 -q 239.1.2.3:5001
	sleep 2
}
router() {
	start_mcastd r "$TMP/mcastd.conf" || return 1
	ROUTER_PID=$MCASTD_PID
	receivers
}
router_done() { kill "$ROUTER_PID"; wait "$ROUTER_PID" 2>/dev/null; }
router_only() {
	start_mcastd r "$TMP/mcastd.conf" || return 1
	ROUTER_PID=$MCASTD_PID
}
router_only_done() { router_done; }
# A querier on h1's LAN that speaks IGMPv2 (mcastd on r, eth0 only): the
# kernel of h1 falls back to v2 when it hears its first query.
v2_querier() {
	printf 'default-phyint disable\nphyint eth0 igmpv2\n' >"$TMP/v2.conf"
	start_mcastd r "$TMP/v2.conf" || return 1
	ROUTER_PID=$MCASTD_PID
	wait_for 3 eval "nsx h1 grep -q 'eth0.*V2' /proc/net/igmp"
}
v2_querier_done() { router_done; }
stream_5000() {
	bg h1 "$MCAST" send -i eth0 -r 1000 -c 3000 -q 239.1.2.3:5000
}

# ---- the copies -----------------------------------------------------------
SHARDS=${EX_SHARDS:-2}
if [ -z "${EX_SHARD:-}" ] && [ -z "${ONLY:-}" ] && [ "$SHARDS" -gt 1 ]; then
	shard_pids=()
	for ((i = 0; i < SHARDS; i++)); do
		EX_SHARD=$i bash "$TOP/test/ns/$(basename "$0")" >"$TMP/shard$i.out" 2>&1 &
		shard_pids+=($!)
		BG_PIDS+=($!)
	done
	for ((i = 0; i < SHARDS; i++)); do
		wait "${shard_pids[i]}"
		rc=$?
		cat "$TMP/shard$i.out"
		FAILED=$((FAILED + $(grep -c '^not ok ' "$TMP/shard$i.out")))
		[ $rc = 0 ] || grep -q '^not ok ' "$TMP/shard$i.out" ||
		    not_ok "copy $i of t_examples.sh (EX_SHARD=$i) exited with status $rc"
	done
	# A table line whose example is gone (renamed in the document) fails too.
	declare -A DOCS=()
	while IFS= read -r name; do
		DOCS[$name]=1
	done < <(python3 test/ns/examples.py list "$TOP" |
	    python3 -c 'import json, sys
for l in sys.stdin: e = json.loads(l); print(e["doc"] + ": " + e["key"])')
	for name in "${!EX[@]}"; do
		[ -n "${DOCS[$name]:-}" ] || not_ok "the table names '$name', which no document has now"
	done
	finish
fi

# ---- the lab --------------------------------------------------------------
routed_lab h1,h2,h3 ha hb -
cp dist/mcastd.conf.example "$TMP/mcastd.conf"
mkdir -p "$TMP/work"
ln -s "$TOP/dist" "$TMP/work/dist"
BIN=$(cd "$(dirname "$MCAST")" && pwd)
SOCK=$TMP/r.sock
DEFS="cd $(printf %q "$TMP/work"); PATH=$(printf %q "$BIN"):\$PATH"

# lab_command CMD: CMD with the lab's files and socket.
lab_command() {
	local cmd=${1//\/etc\/mcastd.conf/$TMP/mcastd.conf}
	cmd=$(sed -E "s#(^|[|;&] *)mcastd #\\1mcastd -u $SOCK -p $TMP/r.pid #g
		s#(^|[|;&] *)mcastctl #\\1mcastctl -u $SOCK #g" <<<"$cmd")
	printf '%s\n' "$cmd"
}

# run_example JSON: run its steps, compare; one TAP line.
run_example() {
	local ex=$1 name opts o main=h1 settle=0.3 wait=1 setup= after1=
	local i n label host cmd next nxt status=0 want_status=0 pids=() out=$TMP/ex.out why= t0
	name=$(python3 -c 'import json, sys; e = json.loads(sys.argv[1]); print(e["doc"] + ": " + e["key"])' "$ex")
	opts=${EX[$name]:-}
	if [ -z "$opts" ]; then
		[ "${EX_SHARD:-0}" = 0 ] || return
		not_ok "$name (line $(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["line"])' "$ex")): neither run nor skipped: add it to t_examples.sh's table"
		return
	fi
	DONE[$name]=1
	# A copy runs every SHARDS-th example to run; the first reports the rest.
	if [ -n "${EX_SHARD:-}" ]; then
		if [ "${opts%% *}" = run ]; then
			RUNS=$((RUNS + 1))
			[ $(((RUNS - 1) % SHARDS)) = "$EX_SHARD" ] || return
		elif [ "$EX_SHARD" != 0 ]; then
			return
		fi
	fi
	t0=$SECONDS
	if [ "${opts%% *}" = skip ]; then
		ok "$name # SKIP ${opts#skip }"
		return
	fi
	for o in ${opts#run}; do
		case $o in
		main=*) main=${o#main=} ;; settle=*) settle=${o#settle=} ;;
		wait=*) wait=${o#wait=} ;; setup=*) setup=${o#setup=} ;;
		after1=*) after1=${o#after1=} ;; status=*) want_status=${o#status=} ;;
		esac
	done
	mapfile -t STEPS < <(python3 -c '
import json, sys
e = json.loads(sys.argv[1])
for h, c in e["steps"]:
    print(h + "$ " + c)' "$ex")
	python3 -c '
import json, os, sys
e = json.loads(sys.argv[1])
for f, text in e["files"].items():
    open(os.path.join(sys.argv[2], f), "w").write(text)' "$ex" "$TMP/work"
	DOC_OUT=1
	: >"$out"
	[ -n "$setup" ] && $setup
	n=${#STEPS[@]}
	for ((i = 0; i < n; i++)); do
		label=${STEPS[i]%%\$ *} cmd=${STEPS[i]#*\$ }
		next=
		[ $((i + 1)) -lt $n ] && next=${STEPS[i + 1]%%\$ *}
		case $label in '' | '$' | '#') host=$main ;; *) host=${HOSTS[$label]:-$label} ;; esac
		cmd=$(lab_command "$cmd")
		case $cmd in
		cat\ *) ;; # the file is written above
		echo\ *) (exit $status); eval "$cmd" >>"$out" 2>&1 ;;
		*\&) bg $host bash -c "$DEFS
exec ${cmd%&}" >>"$out" 2>&1
			pids+=($LAST_PID); sleep "$settle" ;;
		*)
			if [ -n "$next" ] && [ "$next" != "$label" ]; then
				bg $host bash -c "$DEFS
exec $cmd" >>"$out" 2>&1
				pids+=($LAST_PID); sleep "$settle"
			else
				nsx $host bash -c "$DEFS
$cmd" >>"$out" 2>&1
				status=$?
				nxt=${STEPS[i + 1]:-}
				if [ $status != "$want_status" ] && [ "${nxt#*\$ }" != "echo \$?" ]; then
					why="'$cmd' exited with status $status"
				fi
			fi ;;
		esac
		[ $i = 0 ] && [ -n "$after1" ] && $after1
	done
	for ((i = 0; i < ${#pids[@]}; i++)); do
		wait_for "$wait" eval "! kill -0 ${pids[i]} 2>/dev/null" || kill "${pids[i]}" 2>/dev/null
		wait "${pids[i]}" 2>/dev/null
	done
	declare -F "${setup}_done" >/dev/null && "${setup}_done"
	if [ -z "${why:-}" ] && [ "$DOC_OUT" = 1 ]; then
		why=$(python3 test/ns/examples.py compare "$ex" "$out")
	fi
	if [ -z "${why:-}" ]; then
		ok "$name ($((SECONDS - t0)) s)"
	else
		not_ok "$name: $why"
		sed 's/^/#   | /' "$out" | head -n 40
	fi
	[ -n "${PRINT_OUTPUT:-}" ] && sed "s/^/#> /" "$out"
}

declare -A DONE=()
RUNS=0
while IFS= read -r ex; do
	case ${ONLY:-} in '') ;; *) case $ex in *"$ONLY"*) ;; *) continue ;; esac ;; esac
	run_example "$ex"
done < <(python3 test/ns/examples.py list "$TOP")
# A table line whose example is gone (renamed in the document) fails too.
for name in "${!EX[@]}"; do
	[ -n "${ONLY:-}${EX_SHARD:-}" ] && break
	[ -n "${DONE[$name]:-}" ] || not_ok "the table names '$name', which no document has now"
done
finish
