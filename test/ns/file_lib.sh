# Shared by test/ns/t_file*.sh and bench/file.sh (after lib.sh): random
# loss at a receiver, the kernel of this lab having no netem.
#
#   random_loss HOST PCT MATCH...  HOST's input drops PCT % of the packets
#                  that MATCH (an nftables match, e.g. "udp dport 5015"),
#                  at random (numgen random), each with the same chance;
#                  table inet mcloss (replaced when there is one), its
#                  drops counted.  PCT 0 leaves no table.
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
