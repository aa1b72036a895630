# Shared by the namespace labs (test/ns/t_*.sh): topology, assertions, clean-up.
# Every lab prints TAP lines; test/run.sh counts them.
#
#   lan_lab N      a "switch" namespace with a bridge and N hosts h1..hN,
#                  hN = 198.18.1.(N+1)/24 and 2001:db8:1::(N+1)/64 on eth0
#   nsx HOST CMD   run CMD in host HOST's namespace ("sw" for the switch)
#   bg HOST CMD    the same in the background; the pid is remembered and killed
#                  at exit
#
# Namespaces are named mc$$-<name> and removed by an EXIT trap.
#
# Run by a user other than root, a lab runs itself again (exec, before
# anything else) as root of a user namespace of its own, with a mount
# namespace and a network namespace owned by it (unshare --map-root-user
# --mount --net): there it may create network namespaces, veths and
# bridges, write their sysctls and open raw and multicast routing sockets.
# `ip netns` keeps its names on a private tmpfs over /run/netns, so the
# host's /run is never written.  The TAP lines and the exit status are the
# lab's own.  LAB_USERNS is empty when run by root, "1" in such a user
# namespace (where a lab leaves out, with a SKIP line saying so, what only
# the real root may do), or else why there is none (require_netns skips
# saying so).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ "$(id -u)" != 0 ] && [ -z "${LAB_USERNS:-}" ]; then
	if LAB_USERNS=$(unshare --user --map-root-user --mount --net true 2>&1); then
		export LAB_USERNS=new
		case $- in *x*) set -- -x "$0" "$@" ;; *) set -- "$0" "$@" ;; esac
		exec unshare --user --map-root-user --mount --net bash "$@"
	fi
	LAB_USERNS="not root, and no user namespace (unshare --user --map-root-user --mount --net: ${LAB_USERNS:-failed})"
elif [ "${LAB_USERNS:-}" = new ]; then
	# A tmpfs over each directory ip netns uses (/var/run/netns is
	# /run/netns on most systems; over /run when it has none).  A lab
	# started from this one (LAB_USERNS=1) shares them.
	LAB_USERNS=1
	for lab_d in $(readlink -f /run/netns /var/run/netns | sort -u); do
		if [ -d "$lab_d" ]; then
			lab_err=$(mount -t tmpfs -o mode=0755 mcast-netns "$lab_d" 2>&1)
		else
			lab_err=$(mount -t tmpfs -o mode=0755 mcast-run "${lab_d%/*}" 2>&1 && mkdir "$lab_d" 2>&1)
		fi || LAB_USERNS="in a user namespace, but no tmpfs could be mounted on $lab_d: $lab_err"
	done
	unset lab_d lab_err
fi
MCAST=${MCAST:-build/mcast}
case $MCAST in /*) ;; *) MCAST=$TOP/$MCAST ;; esac
P=mc$$
TMP=$(mktemp -d /tmp/mcast-lab.XXXXXX)
BG_PIDS=()
NAMESPACES=()
FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILED=$((FAILED + 1)); }
skip_all() { echo "ok - $(basename "$0" .sh) # SKIP $*"; exit 0; }

# check NAME COMMAND...: ok when the command succeeds.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: got '$2', expected '$3'"
	fi
}

cleanup() {
	local pid ns
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	# LAB_KEEP=DIR keeps the lab's files (logs, captures) for a look.
	[ -n "${LAB_KEEP:-}" ] && mkdir -p "$LAB_KEEP" && cp -r "$TMP/." "$LAB_KEEP/"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tcpdump in the user namespace.  Debian's tcpdump started as uid 0 gives
# up root for user tcpdump, which has no uid there; even with -Z root it
# calls initgroups(), and setgroups(2) is refused in a namespace mapped by
# an ordinary user.  There "tcpdump" is a wrapper first on PATH: the real
# one with -Z root (it stays root of the namespace, as the real one stays
# root with -Z root) and build/test/no_initgroups.so (make helpers)
# preloaded, which makes initgroups() succeed without setgroups(2).
if [ "${LAB_USERNS:-}" = 1 ] && lab_tcpdump=$(command -v tcpdump); then
	mkdir "$TMP/bin"
	lab_so=$(dirname "$MCAST")/test/no_initgroups.so
	if [ -f "$lab_so" ]; then
		printf '#!/bin/sh\nLD_PRELOAD=%q exec %q -Z root "$@"\n' "$lab_so" "$lab_tcpdump"
	else
		printf '#!/bin/sh\necho "tcpdump: in a user namespace it needs %s: run make helpers" >&2\nexit 1\n' "$lab_so"
	fi >"$TMP/bin/tcpdump"
	chmod +x "$TMP/bin/tcpdump"
	PATH=$TMP/bin:$PATH
	unset lab_so lab_tcpdump
fi

# require_netns: network namespaces can be made here (as root, or in the
# user namespace above), or the lab is skipped saying why.
require_netns() {
	case ${LAB_USERNS:-} in "" | 1) ;; *) skip_all "$LAB_USERNS" ;; esac
	ip netns add "$P-probe" 2>/dev/null || skip_all "cannot create network namespaces"
	ip netns del "$P-probe"
}

require_lab() {
	require_netns
	[ -x "$MCAST" ] || { not_ok "no $MCAST: run make first"; exit 1; }
}

new_ns() {
	ip netns add "$P-$1" || exit 1
	NAMESPACES+=("$P-$1")
	ip -n "$P-$1" link set lo up
	# No IPv6 duplicate address detection: addresses are usable at once.
	ip netns exec "$P-$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.accept_dad=0 2>/dev/null
}

nsx() {
	local host=$1; shift
	ip netns exec "$P-$host" "$@"
}

bg() {
	local host=$1; shift
	ip netns exec "$P-$host" "$@" &
	BG_PIDS+=($!)
	LAST_PID=$!
}

# Attach host namespace $1 to the switch as eth0 with address index $2.
attach_host() {
	local h=$1 n=$2
	new_ns "$h"
	ip link add "$P-$h" type veth peer name eth0 netns "$P-$h" || exit 1
	ip link set "$P-$h" netns "$P-sw"
	ip -n "$P-sw" link set "$P-$h" master br0 up
	ip -n "$P-$h" addr add "198.18.1.$n/24" dev eth0
	ip -n "$P-$h" addr add "2001:db8:1::$n/64" dev eth0 nodad
	ip -n "$P-$h" link set eth0 up
	ip -n "$P-$h" route add 224.0.0.0/4 dev eth0
}

# p2p_link NS_A IF_A ADDR_A/LEN NS_B IF_B ADDR_B/LEN: a veth pair between two
# existing namespaces, both ends up.
p2p_link() {
	ip link add "$P-tmp" type veth peer name "$P-tmq" || exit 1
	ip link set "$P-tmp" netns "$P-$1"
	ip link set "$P-tmq" netns "$P-$4"
	ip -n "$P-$1" link set "$P-tmp" name "$2"
	ip -n "$P-$4" link set "$P-tmq" name "$5"
	ip -n "$P-$1" addr add "$3" dev "$2"
	ip -n "$P-$4" addr add "$6" dev "$5"
	ip -n "$P-$1" link set "$2" up
	ip -n "$P-$4" link set "$5" up
}

# lan_lab N: switch + hosts h1..hN on one LAN (bridge without snooping).
lan_lab() {
	local i
	new_ns sw
	ip -n "$P-sw" link add br0 type bridge mcast_snooping 0
	ip -n "$P-sw" link set br0 up
	for i in $(seq 1 "$1"); do
		attach_host "h$i" $((i + 1))
	done
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	local limit=$1 i; shift
	for i in $(seq 1 $((limit * 20))); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# capture_ready FILE...: wait (5 s at most) until each tcpdump started with
# -U -w FILE has written its file's header, which it does once its filter
# is set: what it must see from then on it sees (instead of a fixed sleep).
capture_ready() {
	local f
	for f in "$@"; do
		wait_for 5 test -s "$f" || echo "# no capture header in $f after 5 s"
	done
}

# joined HOST GROUP: the kernel of HOST lists GROUP as joined on eth0.
joined() {
	nsx "$1" ip maddr show dev eth0 | grep -qw "$2"
}

# stop_recv PID: the sender to a background `mcast recv` (PID, from bg)
# is done; once its last datagrams are in, the receiver is stopped as a
# user stops it (SIGINT: the same summary and exit status as at the end of
# -d, which then only bounds a sender that never comes).  Returns recv's
# status.
stop_recv() {
	sleep 0.5
	kill -INT "$1" 2>/dev/null
	wait "$1"
}

# json_field FILE KEY: the first numeric/string value of "KEY": in FILE's
# last line (our JSON is flat enough for this; jq is not a dependency).
json_field() {
	tail -n 1 "$1" | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}

finish() {
	exit $((FAILED > 0))
}

# ---- Routed labs: mcastd between LANs -------------------------------------
#
#   routed_lab LAN...   a router namespace r and one LAN per argument: LAN i
#                       (1, 2, ...) is 198.18.i.0/24, a bridge bri in the
#                       switch namespace; r's leg on it is eth(i-1) =
#                       198.18.i.1, and the argument's hosts (comma
#                       separated, "-" for none) are .2, .3, ... on eth0
#   lan_bridge N        LAN N's bridge (the switch namespace made if needed)
#   lan_port NS IF N A  a veth from namespace NS (named IF there) to LAN N,
#                       address 198.18.N.A/24, up
#   start_mcastd NS CONF [ARG...]  mcastd in NS (socket $TMP/NS.sock, pid
#                       file $TMP/NS.pid, log $TMP/mcastd-NS.log); returns
#                       once `mcastctl show status` answers; MCASTD_PID.
#                       MCASTD_WRAPPER="valgrind ..." runs it under that,
#                       MCASTD_START_S (5) is how long it may take
#   mctl NS ARG...      mcastctl talking to NS's mcastd
#   mfc_oifs NS S G     the kernel's outgoing interfaces for (S,G) in NS,
#                       sorted, space separated ("" when none or no entry)
BIN=$(dirname "$MCAST")
MCASTD=${MCASTD:-$BIN/mcastd}
MCASTCTL=${MCASTCTL:-$BIN/mcastctl}
LAN_PORTS=0

require_mcastd() {
	[ -x "$MCASTD" ] && [ -x "$MCASTCTL" ] ||
	    { not_ok "no $MCASTD or $MCASTCTL: run make first"; exit 1; }
}

# A router: forwarding on, reverse path filtering off (multicast from
# other subnets must reach the MRT socket and the forwarding cache).
router_sysctls() {
	nsx "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	    net.ipv4.conf.default.rp_filter=0
}

lan_bridge() {
	[ -e "/run/netns/$P-sw" ] || new_ns sw
	ip -n "$P-sw" link add "br$1" type bridge mcast_snooping 0 || exit 1
	ip -n "$P-sw" link set "br$1" up
}

lan_port() {
	local ns=$1 ifn=$2 lan=$3 a=$4
	LAN_PORTS=$((LAN_PORTS + 1))
	ip -n "$P-sw" link add "p$LAN_PORTS" type veth peer name "$ifn" \
	    netns "$P-$ns" || exit 1
	ip -n "$P-sw" link set "p$LAN_PORTS" master "br$lan" up
	ip -n "$P-$ns" addr add "198.18.$lan.$a/24" dev "$ifn"
	ip -n "$P-$ns" link set "$ifn" up
}

routed_lab() {
	local i=0 lan h n
	new_ns r
	router_sysctls r
	for lan in "$@"; do
		i=$((i + 1))
		lan_bridge $i
		lan_port r "eth$((i - 1))" $i 1
		n=1
		for h in ${lan//,/ }; do
			[ "$h" = - ] && continue
			n=$((n + 1))
			new_ns "$h"
			lan_port "$h" eth0 $i $n
			ip -n "$P-$h" route add 224.0.0.0/4 dev eth0
			ip -n "$P-$h" route add default via "198.18.$i.1"
		done
	done
}

# line_lab N R H: three routers R1 R2 R3 in a line, a sender Hs and a
# receiver Hh (t_mtrace.sh's shape), unicast routes both ways, and LAN N9
# from R1's eth3 to Hh's eth1, through which R1 routes Hh's address (a
# response from R1 then reaches Hh without crossing R2 and R3):
#   Hs 198.18.N1.10 -- eth1 R1 eth2 -- (N2) -- eth1 R2 eth2 -- (N3)
#      -- eth1 R3 eth2 -- Hh 198.18.N4.10;  R1 eth3 .N9.1 -- Hh eth1 .N9.10
line_lab() {
	local n=$1 r=$2 h=$3 lan i
	for lan in 1 2 3 4 9; do
		lan_bridge "$n$lan"
	done
	for i in 1 2 3; do
		new_ns "$r$i"
		router_sysctls "$r$i"
	done
	lan_port "${r}1" eth1 "${n}1" 1
	lan_port "${r}1" eth2 "${n}2" 1
	lan_port "${r}2" eth1 "${n}2" 2
	lan_port "${r}2" eth2 "${n}3" 2
	lan_port "${r}3" eth1 "${n}3" 3
	lan_port "${r}3" eth2 "${n}4" 1
	lan_port "${r}1" eth3 "${n}9" 1
	nsx "${r}1" ip route add "198.18.${n}3.0/24" via "198.18.${n}2.2"
	nsx "${r}1" ip route add "198.18.${n}4.0/24" via "198.18.${n}2.2"
	nsx "${r}1" ip route add "198.18.${n}4.10/32" via "198.18.${n}9.10"
	nsx "${r}2" ip route add "198.18.${n}1.0/24" via "198.18.${n}2.1"
	nsx "${r}2" ip route add "198.18.${n}4.0/24" via "198.18.${n}3.3"
	nsx "${r}3" ip route add default via "198.18.${n}3.2"
	for i in s:1 h:4; do
		new_ns "$h${i%:*}"
		lan_port "$h${i%:*}" eth0 "$n${i#*:}" 10
		nsx "$h${i%:*}" ip route add 224.0.0.0/4 dev eth0
		nsx "$h${i%:*}" ip route add default via "198.18.$n${i#*:}.1"
	done
	lan_port "${h}h" eth1 "${n}9" 10
	nsx "${h}h" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	    net.ipv4.conf.eth1.rp_filter=0
}

mctl() {
	local ns=$1; shift
	nsx "$ns" "$MCASTCTL" -u "$TMP/$ns.sock" "$@"
}

start_mcastd() {
	local ns=$1 conf=$2; shift 2
	bg "$ns" ${MCASTD_WRAPPER:-} "$MCASTD" -n -f "$conf" -u "$TMP/$ns.sock" \
	    -p "$TMP/$ns.pid" -l info "$@" 2>>"$TMP/mcastd-$ns.log"
	MCASTD_PID=$LAST_PID
	if ! wait_for "${MCASTD_START_S:-5}" eval "mctl $ns show status >/dev/null 2>&1"; then
		echo "# mcastd in $ns did not answer; its log:"
		sed 's/^/#   /' "$TMP/mcastd-$ns.log"
		return 1
	fi
}

mfc_oifs() {
	nsx "$1" ip mroute show | sed 's/(ttl [0-9]*)//g' |
	    awk -v sg="($2,$3)" '$1 == sg {
		for (i = 1; i <= NF; i++) if ($i == "Oifs:") break
		for (i++; i <= NF && $i != "State:"; i++) print $i
	}' | sort | tr '\n' ' ' | sed 's/ $//'
}

# now_ms: wall-clock milliseconds (comparable with tcpdump timestamps).
now_ms() {
	date +%s%3N
}

# has_group NS IF G: NS's mcastd lists G as a membership on IF.
has_group() {
	mctl "$1" show groups 2>/dev/null |
	    awk -v i="$2" -v g="$3" '$1 == i && $2 == g { f = 1 } END { exit !f }'
}

# stream_counts FILE: from `mcast recv --json`'s summary, one line per
# stream: "GROUP:PORT SENDER-ADDRESS PACKETS LOST".
stream_counts() {
	tail -n 1 "$1" | python3 -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
except ValueError:
    sys.exit(0)
for s in d.get("streams", []):
    print(s["group"], s["sender"].rsplit(":", 1)[0], s["packets"], s.get("lost", 0))'
}

# packets_from FILE GROUP:PORT [SENDER]: datagrams of that stream (0 if none).
packets_from() {
	stream_counts "$1" | awk -v g="$2" -v s="${3:-}" '
	    $1 == g && (s == "" || $2 == s) { n += $3 } END { print n + 0 }'
}

# ---- Faults: what the kernel and the receivers saw ------------------------
#
#   kernel_vifs NS        NS's VIFs in the kernel (/proc/net/ip_mr_vif):
#                         interface names, sorted, space separated
#   capture NS FILE FILTER  tcpdump on NS's eth0 into FILE (pcap, flushed
#                         per packet); returns once a first packet is in
#                         it (1 if none came within 5 s); CAPTURE_PID
#   arrivals_ms PCAP [FILTER]  each packet's arrival, epoch milliseconds
#   longest_silence PCAP FROM TO  the longest silence (ms) at a receiver
#                         that ends after FROM (epoch ms) and starts before
#                         TO: between consecutive arrivals, or from the last
#                         one to TO when nothing came since
#   first_after PCAP T    ms from T to the first arrival after it ("" if none)
#   proc_fds PID / proc_rss_kb PID  open descriptors / VmRSS of a process
kernel_vifs() {
	nsx "$1" awk 'NR > 1 { print $2 }' /proc/net/ip_mr_vif | sort | tr '\n' ' ' | sed 's/ $//'
}

capture() {
	bg "$1" tcpdump -i eth0 -n -U --immediate-mode -w "$2" "$3" 2>/dev/null
	CAPTURE_PID=$LAST_PID
	wait_for 5 eval "[ \"\$(arrivals_ms '$2' | head -n 1)\" ]"
}

arrivals_ms() {
	tcpdump -r "$1" -n -tt ${2:+"$2"} 2>/dev/null | awk '{ printf "%.3f\n", $1 * 1000 }'
}

longest_silence() {
	arrivals_ms "$1" | awk -v from="$2" -v to="$3" '
	    p != "" && $1 > from && p < to && $1 - p > g { g = $1 - p }
	    { p = $1 }
	    END { if (p != "" && p < to && to - p > g) g = to - p; printf "%.0f\n", g }'
}

first_after() {
	arrivals_ms "$1" | awk -v t="$2" '$1 > t { printf "%.0f\n", $1 - t; exit }'
}

proc_fds() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

proc_rss_kb() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# asan_build FILE: FILE was built with AddressSanitizer (make SANITIZE=1),
# whose allocator keeps freed memory a while and which valgrind cannot run.
asan_build() {
	grep -q __asan_init "$1" 2>/dev/null
}

# expect_usage NAME "expected stderr line" ARGS...: `mcast ARGS` run on h1
# exits 2 with exactly that line on standard error.
expect_usage() {
	local name=$1 want=$2 rc; shift 2
	nsx h1 "$MCAST" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(cat "$TMP/err")" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name: status $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}

# ---- mrouted 4.6, the DVMRP peer (built from ../shared/peers) --------------
#
#   require_mrouted     build mrouted into build/peers (the shared script is
#                       idempotent: about 10 s the first time); MROUTED_BIN
#                       is the directory of mrouted, mroutectl and mrinfo.
#                       Skips the lab only when ../shared/peers is absent
#                       (PEERS=DIR names another place; from a git worktree,
#                       ../shared of the main checkout); a failed build fails
#   start_mrouted NS CONF [ARG...]  mrouted in NS, in the foreground, logging
#                       to $TMP/mrouted-NS.log; its identity mc$$-NS, pid file
#                       $TMP/NS.mrouted.pid and control socket $TMP/NS.msock.
#                       Its GenID file (which it writes in /var/lib/misc) goes
#                       to $TMP/NS.genid/ instead, by a bind mount in a mount
#                       namespace of its own.  Returns once `mroutectl show
#                       status` answers; MROUTED_PID, killed at exit
#   mrctl NS ARG...     mroutectl talking to NS's mrouted (plain headings)
require_mrouted() {
	local peers=${PEERS:-$TOP/../shared/peers} common
	if [ -z "${PEERS:-}" ] && [ ! -d "$peers" ] &&
	    common=$(git -C "$TOP" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
		peers=$(dirname "$common")/../shared/peers
	fi
	[ -x "$peers/build-mrouted.sh" ] ||
	    skip_all "no mrouted: $peers/build-mrouted.sh is absent"
	if ! MROUTED_BIN=$(sh "$peers/build-mrouted.sh" "$(dirname "$MCAST")/peers" 2>"$TMP/mrouted-build.err"); then
		not_ok "mrouted built from $peers"
		sed 's/^/#   /' "$TMP/mrouted-build.err"
		exit 1
	fi
}

start_mrouted() {
	local ns=$1 conf=$2; shift 2
	mkdir -p "$TMP/$ns.genid"
	bg "$ns" unshare --mount sh -c '
	    [ ! -d /var/lib/misc ] || mount --bind "$1" /var/lib/misc || exit 1
	    shift; exec "$@"' sh "$TMP/$ns.genid" \
	    "$MROUTED_BIN/mrouted" -n -f "$conf" -i "$P-$ns" \
	    -p "$TMP/$ns.mrouted.pid" -u "$TMP/$ns.msock" -l info "$@" \
	    2>>"$TMP/mrouted-$ns.log"
	MROUTED_PID=$LAST_PID
	if ! wait_for 5 eval "mrctl $ns show status >/dev/null 2>&1"; then
		echo "# mrouted in $ns did not answer; its log:"
		sed 's/^/#   /' "$TMP/mrouted-$ns.log"
		return 1
	fi
}

mrctl() {
	local ns=$1; shift
	nsx "$ns" "$MROUTED_BIN/mroutectl" -p -u "$TMP/$ns.msock" "$@"
}
