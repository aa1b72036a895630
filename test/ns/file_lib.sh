# Shared by test/ns/t_file*.sh and bench/file*.sh (after lib.sh): random
# loss at a receiver, the kernel of this lab having no netem, and the peak
# memory of the processes of a transfer.
#
#   random_loss HOST PCT MATCH...  HOST's input drops PCT % of the packets
#                  that MATCH (an nftables match, e.g. "udp dport 5015"),
#                  at random (numgen random), each with the same chance;
#                  table inet mcloss (replaced when there is one), its
#                  drops counted.  PCT 0 leaves no table.
#   bottleneck_lab MBIT  two bridges in the switch namespace joined by a
#                  veth whose br0 end (up0) sends through tbf MBIT (burst
#                  20 kB, latency 30 ms): h1 (198.18.1.2) on br0, h2..h5
#                  (.3 to .6) on br1; the one way from h1 to the others is
#                  the bottleneck (t_file_cc.sh, bench/file_cc.sh).
#   peaks_kb PID...  the high-water mark of each one's RSS (VmHWM, kB),
#                  sampled every 20 ms until all have exited; one line,
#                  the figures in the order of the pids
#   require_uftp   uftp and uftpd are there, or the script is skipped
random_loss() {
	local host=$1 pct=$2
	shift 2
	nsx "$host" nft delete table inet mcloss 2>/dev/null
	[ "$pct" = 0 ] && return 0
	nsx "$host" nft -f - <<NFT
table inet mcloss {
	chain in {
		type filter hook input priority 0;
		$* numgen random mod 100 < $pct counter drop
	}
}
NFT
}

bottleneck_lab() {
	local b i
	new_ns sw
	for b in br0 br1; do
		ip -n "$P-sw" link add $b type bridge mcast_snooping 0
		ip -n "$P-sw" link set $b up
	done
	ip -n "$P-sw" link add up0 type veth peer name dn0
	ip -n "$P-sw" link set up0 master br0 up
	ip -n "$P-sw" link set dn0 master br1 up
	nsx sw tc qdisc add dev up0 root tbf rate "$1"mbit burst 20kb latency 30ms ||
		return 1
	bottleneck_host h1 br0 2
	for i in 2 3 4 5; do bottleneck_host h$i br1 $((i + 1)); done
}

# bottleneck_host HOST BRIDGE N: HOST's eth0 on BRIDGE as 198.18.1.N/24.
bottleneck_host() {
	new_ns "$1"
	ip link add "$P-$1" type veth peer name eth0 netns "$P-$1" || exit 1
	ip link set "$P-$1" netns "$P-sw"
	ip -n "$P-sw" link set "$P-$1" master "$2" up
	ip -n "$P-$1" addr add "198.18.1.$3/24" dev eth0
	ip -n "$P-$1" link set eth0 up
	ip -n "$P-$1" route add 224.0.0.0/4 dev eth0
}

peaks_kb() {
	local pid alive m=() v i
	for pid in "$@"; do m+=(0); done
	while :; do
		alive=0 i=0
		for pid in "$@"; do
			v=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
			if [ -n "$v" ]; then
				alive=1
				[ "$v" -gt "${m[i]}" ] && m[i]=$v
			fi
			i=$((i + 1))
		done
		[ $alive = 0 ] && break
		sleep 0.02
	done
	echo "${m[@]}"
}

require_uftp() {
	command -v uftp >/dev/null && command -v uftpd >/dev/null ||
	    skip_all "uftp and uftpd not installed (Debian package uftp, scripts/deps.sh)"
}
