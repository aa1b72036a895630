# Shared by test/ns/t_file*.sh and bench/file*.sh (after lib.sh): random
# loss at a receiver, the kernel of this lab having no netem, and the peak
# memory of the processes of a transfer.
#
#   random_loss HOST PCT MATCH...  HOST's input drops PCT % of the packets
#                  that MATCH (an nftables match, e.g. "udp dport 5015"),
#                  at random (numgen random), each with the same chance;
#                  table inet mcloss (replaced when there is one), its
#                  drops counted.  PCT 0 leaves no table.
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
