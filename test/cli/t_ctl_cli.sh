#!/usr/bin/env bash
# The three programs' command lines behave alike: --help/-h and
# --version/-V (exit 0, standard output), one line naming an unknown option
# (exit 2); mcastctl's options after the command words, its abbreviations,
# and with -j every error as JSON on standard output (usage errors, a daemon
# that cannot be reached, and, in a small lab, the daemon's own error
# replies).  Exact outputs and exit statuses.
. "$(dirname "$0")/../ns/lib.sh"
cd "$TOP" || exit 1
B=$(dirname "$MCAST")
VERSION=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' Makefile)
for p in mcast mcastd mcastctl; do
	[ -x "$B/$p" ] || { not_ok "no $B/$p: run make first"; exit 1; }
done

# run NAME WANT_RC WANT_STDOUT WANT_STDERR PROG ARG...: exactly that.
run() {
	local name=$1 rc=$2 out=$3 err=$4 got_rc; shift 4
	"$@" >"$TMP/out" 2>"$TMP/err"
	got_rc=$?
	if [ "$got_rc" = "$rc" ] && [ "$(cat "$TMP/out")" = "$out" ] &&
	    [ "$(cat "$TMP/err")" = "$err" ]; then
		ok "$name"
	else
		not_ok "$name: status $got_rc (want $rc), stdout '$(head -c 300 "$TMP/out")', stderr '$(head -c 300 "$TMP/err")'"
	fi
}

# help_ok NAME PROG ARG: exit 0, a usage on standard output, nothing else.
help_ok() {
	local name=$1 rc; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 0 ] && head -n 1 "$TMP/out" | grep -q "^usage: ${1##*/} " &&
	    [ ! -s "$TMP/err" ]; then
		ok "$name"
	else
		not_ok "$name: status $rc, stdout '$(head -n 1 "$TMP/out")', stderr '$(head -c 300 "$TMP/err")'"
	fi
}

# ---- --help, --version, unknown options: the same in all three -----------
for p in mcast mcastd mcastctl; do
	for o in -h --help; do
		help_ok "$p $o: usage on stdout, exit 0" "$B/$p" $o
	done
	for o in -V --version; do
		run "$p $o" 0 "$p $VERSION" "" "$B/$p" $o
	done
	for o in -x --bogus; do
		run "$p $o: one line, exit 2" 2 "" \
		    "$p: unknown option '$o': try '$p --help'" "$B/$p" $o
	done
done
run "mcastd -f without its value" 2 "" \
    "mcastd: option '-f' needs a value: try 'mcastd --help'" "$B/mcastd" -f
run "mcastctl -u without its value" 2 "" \
    "mcastctl: option '-u' needs a value: try 'mcastctl --help'" "$B/mcastctl" -u
run "mcast send -x: the subcommand's help named" 2 "" \
    "mcast: unknown option '-x' for send: try 'mcast send --help'" \
    "$B/mcast" send -x 239.1.2.3:5000

# options_documented PROG SOURCE PAGE: every option letter in PROG's
# getopt string is in its --help and its man page.
options_documented() {
	local prog=$1 src=$2 page=$3 opts o i missing=
	opts=$(grep -o 'getopt_long(argc, argv, "[^"]*"' "$src" |
	    sed 's/.*"\(.*\)"/\1/' | tr -d ':')
	"$B/$prog" --help >"$TMP/usage"
	for ((i = 0; i < ${#opts}; i++)); do
		o=${opts:i:1}
		grep -q -- "-$o" "$TMP/usage" || missing="$missing usage:-$o"
		grep -q -- "^\.B[IR]* \\\\-$o" "$page" || missing="$missing page:-$o"
	done
	expect_eq "$prog: every option (${opts:-none found}) in --help and $page" \
	    "${missing:-none}" none
}
options_documented mcastd daemon/main.c man/mcastd.8
options_documented mcastctl ctl/mcastctl.c man/mcastctl.8

# Every option in each `mcast COMMAND --help` is in mcast(1): in the
# SYNOPSIS and in the command's own section.
syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' man/mcast.1 | sed 's/\\-/-/g')
for c in addr send recv join groups ping pong dump "igmp emulate"; do
	sec=$(awk -v h=".SS mcast $c" '$0 == h { p = 1; next } /^\.S[SH] / { p = 0 } p' \
	    man/mcast.1 | sed 's/\\-/-/g')
	missing=
	for o in $("$B/mcast" $c --help | grep -oE '(^|[ [|,])--?[a-zA-Z][a-z-]*' |
	    sed 's/^[ [|,]//' | grep -vxE -- '-h|--help' | sort -u); do
		grep -qE -- "(^|[ \"])$o\b" <<<"$sec" || missing="$missing section:$o"
		grep -qE -- "(^|[ |[])$o\b" <<<"$syn" || missing="$missing synopsis:$o"
	done
	expect_eq "mcast $c: every option of --help in mcast(1)" "${missing:-none}" none
done

# ---- mcastctl: words, abbreviations, errors, with and without -j ----------
C=$B/mcastctl
NOSOCK=$TMP/none.sock
UNREACH="cannot reach mcastd at $NOSOCK: No such file or directory (is mcastd running? -u names another socket)"
WORDS="show, reload, log, add, del, join, leave or flush"
run "mcastctl foo" 2 "" \
    "mcastctl: unknown command 'foo': expected $WORDS" "$C" -u "$NOSOCK" foo
run "mcastctl -j foo: the error as JSON on stdout" 2 \
    "{\"status\":2,\"message\":\"unknown command 'foo': expected $WORDS\"}" "" \
    "$C" -u "$NOSOCK" -j foo
run "mcastctl foo -j: -j after the words counts for the error too" 2 \
    "{\"status\":2,\"message\":\"unknown command 'foo': expected $WORDS\"}" "" \
    "$C" foo -u "$NOSOCK" -j
run "mcastctl sh sta: ambiguous, the short forms named" 2 "" \
    "mcastctl: 'sta' is ambiguous: stats or status? (st is status, stat is stats)" \
    "$C" -u "$NOSOCK" sh sta
run "mcastctl -j sh sta" 2 \
    '{"status":2,"message":"'"'sta' is ambiguous: stats or status? (st is status, stat is stats)"'"}' "" \
    "$C" -u "$NOSOCK" -j sh sta
run "mcastctl l: ambiguous top-level word" 2 "" \
    "mcastctl: 'l' is ambiguous: log or leave?" "$C" -u "$NOSOCK" l
run "mcastctl show: show what" 2 "" \
    "mcastctl: show what? expected interfaces, groups, tunnels, routes, neighbors, prunes, mfc, stats or status" \
    "$C" -u "$NOSOCK" show
run "mcastctl sh mfc -j, no daemon: JSON, exit 1" 1 \
    "{\"status\":1,\"message\":\"$UNREACH\"}" "" "$C" sh mfc -u "$NOSOCK" -j
run "mcastctl sh mfc, no daemon: one line, exit 1" 1 "" \
    "mcastctl: $UNREACH" "$C" sh mfc -u "$NOSOCK"
run "mcastctl -j without a command" 2 \
    "{\"status\":2,\"message\":\"no command: expected one of $WORDS\"}" "" \
    "$C" -j

# ---- against mcastd: abbreviations and the daemon's errors ----------------
require_netns
require_mcastd
new_ns r
ip -n "$P-r" link add eth0 type veth peer name eth1
ip -n "$P-r" addr add 198.18.1.1/24 dev eth0
ip -n "$P-r" addr add 198.18.2.1/24 dev eth1
ip -n "$P-r" link set eth0 up
ip -n "$P-r" link set eth1 up
printf 'mroute from eth0 group 239.9.9.1 to eth1\n' >"$TMP/mcastd.conf"
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; finish; }

word_of() { mctl r "$@" -j 2>&1 | grep -o '^{"[a-z]*"' | tr -d '{"'; }
expect_eq "sh st is show status" "$(word_of sh st)" daemon
expect_eq "sh stat is show stats" "$(word_of sh stat)" stat
expect_eq "sh stats is show stats" "$(word_of sh stats)" stat
expect_eq "s i is show interfaces" "$(word_of s i)" interface
expect_eq "sh r is show routes" "$(word_of sh r)" route
expect_eq "sh m is show mfc" "$(word_of sh m)" status
out=$(mctl r show mfc -j 2>&1)
expect_eq "show mfc -j: JSON after the words" "$out" '{"status":0,"message":"ok"}'
out=$(nsx r "$C" add mroute from eth0 group 239.9.9.2 to eth1 -u "$TMP/r.sock" -j 2>&1)
expect_eq "add mroute ... -j: the words stay words, -j is taken" "$out" \
    '{"status":0,"message":"route added"}'
expect_eq "show routes lists it" "$(mctl r sh ro | awk '$2 == "239.9.9.2" { print $1, $3, $4 }')" \
    "* eth0 eth1"
msg=$(nsx r "$C" -u "$TMP/r.sock" log loud 2>&1)
run "log loud: the daemon's error, one line, exit 2" 2 "" "$msg" \
    nsx r "$C" -u "$TMP/r.sock" log loud
msg=${msg#mcastctl: }
run "log loud -j: the daemon's error as JSON" 2 \
    "{\"status\":2,\"message\":\"$msg\"}" "" \
    nsx r "$C" -u "$TMP/r.sock" log loud -j
case $msg in *loud*) ok "the daemon's error names what was given: $msg" ;;
*) not_ok "the daemon's error names 'loud': $msg" ;; esac
run "show mfc extra: the word and what it takes, exit 2" 2 "" \
    "mcastctl: 'show' with 2 words after it: expected show interfaces|groups|routes|neighbors|prunes|mfc|stats|status" \
    nsx r "$C" -u "$TMP/r.sock" show mfc extra
msg=$(nsx r "$C" -u "$TMP/r.sock" del mroute from eth0 group 239.9.9.9 2>&1)
rc=$?
expect_eq "del of a route that is not there: exit 1" "$rc" 1
run "the same with -j: JSON, nothing on stderr" 1 \
    "{\"status\":1,\"message\":\"${msg#mcastctl: }\"}" "" \
    nsx r "$C" -j -u "$TMP/r.sock" del mroute from eth0 group 239.9.9.9

# ---- singular counts --------------------------------------------------------
out=$(nsx r "$MCAST" send -i eth0 -c 1 239.9.9.9:5000 2>&1)
expect_eq "send -c 1: one datagram, singular" "${out%% to *}" "sent 1 datagram (64 bytes)"
out=$(nsx r "$MCAST" ping -i eth0 -c 1 -w 100ms 239.9.9.9:5001 2>&1)
expect_eq "ping -c 1: one probe, singular" "$(grep -o -- '--- .* ---' <<<"$out")" \
    "--- 239.9.9.9 ping: 1 probe, 0 responders ---"
finish
