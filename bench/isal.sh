#!/usr/bin/env bash
# ISA-L's erasure code in the file transfer's setting (bench/isal.c over
# proto/rmc_fec.c): K = 64 source symbols of 1400 bytes; GB/s of parity
# made one symbol per call as repairs ask it, and GB/s of blocks rebuilt
# with L = 1, 8 and 32 of their sources missing; one core, median of 5 runs,
# with memcpy of the blocks as the ceiling (of_limit).  Appends a dated
# section to bench/RESULTS.md.  --smoke: a tiny run, no RESULTS.md (make
# check runs it).
set -u
cd "$(dirname "$0")/.."
BIN=build/bench/isal
[ -x $BIN ] || make -s $BIN || { echo "not ok - isal did not build"; exit 1; }

if [ "${1:-}" = --smoke ]; then
	if out=$($BIN 8 100 4 1) && echo "$out" | grep -q '^k=8 s=100 l=4 .*decode_gbps='; then
		echo "ok - isal smoke"
		exit 0
	fi
	echo "not ok - isal smoke: $out"
	exit 1
fi

# field NAME LINE...: the value of NAME= in each line.
field() {
	local name=$1; shift
	printf '%s\n' "$@" | sed -n "s/.*$name=\([0-9.]*\).*/\1/p"
}
median() { sort -n | sed -n 3p; }

declare -A enc dec cpy
for l in 1 8 32; do
	runs=()
	for i in 1 2 3 4 5; do
		runs+=("$($BIN 64 1400 $l 512)") || { echo "isal failed"; exit 1; }
	done
	enc[$l]=$(field parity_gbps "${runs[@]}" | median)
	dec[$l]=$(field decode_gbps "${runs[@]}" | median)
	cpy[$l]=$(field memcpy_gbps "${runs[@]}" | median)
done
of_limit=$(awk -v a="${dec[8]}" -v b="${cpy[8]}" 'BEGIN { printf "%.3f", a / b }')
{
	echo
	echo "## ISA-L erasure code in the file transfer's setting — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`bash bench/isal.sh\`; kernel $(uname -r); $(nproc) CPUs; libisal"
	echo "$(dpkg-query -W -f='${Version}' libisal2 2>/dev/null || echo '?'); K = 64, S = 1400 bytes,"
	echo "512 MB of source data per run, one core, median of 5 runs, GB/s: parity symbols"
	echo "made (one per call, each reading the block's 64 sources), blocks rebuilt, blocks copied."
	echo
	echo "| missing sources L | parity made | blocks rebuilt | memcpy (ceiling) |"
	echo "|---:|---:|---:|---:|"
	for l in 1 8 32; do
		echo "| $l | ${enc[$l]} | ${dec[$l]} | ${cpy[$l]} |"
	done
} >>bench/RESULTS.md
echo "isal_decode_l8_of_memcpy=$of_limit"
