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
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_lab() {
	[ "$(id -u)" = 0 ] || skip_all "not root: namespace labs need root"
	ip netns add "$P-probe" 2>/dev/null || skip_all "cannot create network namespaces"
	ip netns del "$P-probe"
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

# joined HOST GROUP: the kernel of HOST lists GROUP as joined on eth0.
joined() {
	nsx "$1" ip maddr show dev eth0 | grep -qw "$2"
}

# json_field FILE KEY: the first numeric/string value of "KEY": in FILE's
# last line (our JSON is flat enough for this; jq is not a dependency).
json_field() {
	tail -n 1 "$1" | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}

finish() {
	exit $((FAILED > 0))
}
