# What the DVMRP benchmarks (bench/dvmrp*.sh, bench/tunnel.sh) share, sourced after
# test/ns/lib.sh: failures kept for the report, samples by key, routers of
# either kind started and stopped by namespace (mcastd or mrouted, each
# with an empty configuration in $TMP), and the report's figures.

FAILURES=()
# fail TEXT: a step that failed, left out of the figures and reported.
fail() {
	FAILURES+=("$*")
	echo "# FAILED: $*"
}
declare -A VALS
# add KEY VALUE: one sample (bench/lib.bash's sample and med read them).
add() { VALS[$1]="${VALS[$1]:-} $2"; }
vif_count() { nsx "$1" awk 'NR > 1' /proc/net/ip_mr_vif | wc -l; }

: >"$TMP/mcastd.conf"
: >"$TMP/mrouted.conf"
declare -A ROUTER_PID
# start_router NS mcastd|mrouted: ROUTER_PID[NS] once it answers.
start_router() {
	case $2 in
	mcastd) start_mcastd "$1" "$TMP/mcastd.conf" && ROUTER_PID[$1]=$MCASTD_PID ;;
	mrouted) start_mrouted "$1" "$TMP/mrouted.conf" && ROUTER_PID[$1]=$MROUTED_PID ;;
	esac
}
# stop_router NS KIND: stopped, and its VIFs gone.
stop_router() {
	local ns=$1
	kill "${ROUTER_PID[$ns]}" 2>/dev/null
	reap "${ROUTER_PID[$ns]}"
	wait_for 5 eval '[ "$(vif_count "$ns")" = 0 ]' || fail "$2 in $ns left its VIFs"
}

# div3 A B: A/B with 3 decimals, or "n/a".
div3() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b; else printf "n/a" }'; }
# fig KEY: "median | min–max | n" for a table row.
fig() {
	[ -n "$(sample "$1" n)" ] || { echo "n/a | n/a | 0"; return; }
	echo "$(med "$1") | $(sample "$1" min)–$(sample "$1" max) | $(sample "$1" n)"
}
# peers_line: the report's line naming both daemons and the tree.
peers_line() {
	local rev dirty
	rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$TOP" status --porcelain -- tools lib include proto daemon ctl bench 2>/dev/null | head -n 1)
	echo "- $("$MROUTED_BIN/mrouted" -v 2>&1 | head -n 1) built from ../shared/peers, run as \`mrouted -n -l info\` with an empty configuration; $("$MCAST" --version 2>/dev/null | head -n 1), \`mcastd -n -l info\` with an empty configuration; tree at git $rev${dirty:+ with local changes}"
}
# failures_line: the report's note of the steps left out, if any.
failures_line() {
	[ ${#FAILURES[@]} -eq 0 ] && return
	echo
	echo "Steps that failed and are left out of the figures: ${#FAILURES[@]}; the first: ${FAILURES[0]}"
}
