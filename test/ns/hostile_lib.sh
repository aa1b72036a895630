# Shared by test/ns/t_hostile.sh and bench/hostile.sh (after lib.sh): the
# hostile-input lab and what it reads off mcastd.
#
#   hostile_lab           routed_lab hs hr1,hr2,ha with mcastd's eth1 at
#                         198.18.2.100 (above the hosts: ha .4 is lower)
#   snap NAME             `mcastctl -j show stats` as "name value" lines
#   delta STAT A B        how much STAT rose from snapshot A to B
#   stat_now STAT A       STAT in snapshot A
#   querier               mcastd's querier on eth1 ("self" or an address)
#   raw_drops             datagrams the kernel dropped at mcastd's raw
#                         sockets (queue full), from /proc/net/raw
#   alive                 mcastd runs and answers `show status`
#   attack NAME STAT N COMMAND...  COMMAND sends N packets; STAT must rise
#                         by N, less what the kernel dropped at mcastd's
#                         full socket (times PER, default 1)
#   stream_start SECONDS  hs streams G:5000 (TTL 8, 1000/s) through mcastd
#                         to hr1 and hr2, `mcast recv --json` every 0.5 s
#                         into $TMP/hr1.json, hr2.json (REC0: the start);
#                         returns once both count datagrams
#   inj ARG...            build/test/igmp_inject on ha's eth0; its summary
#                         line is appended to $TMP/inject.out
#   streaming HOST        HOST's `mcast recv --json` counted over 200
#   lost HOST[,HOST] T0 T1  datagrams the receivers found missing between
#                         T0 and T1 (epoch ms; REC0: when they started)
#   cpu_ms PID            user + system CPU time of PID, milliseconds
#   peak_reset PID / peak_kb PID   reset / read VmHWM (the peak RSS)
INJ=${INJ:-$BIN/test/igmp_inject}
ABUSE=$TOP/test/helpers/ctl_abuse.py
R=198.18.2.100 HA=198.18.2.4 G=239.1.2.3

hostile_lab() {
	routed_lab hs hr1,hr2,ha
	ip -n "$P-r" addr flush dev eth1
	ip -n "$P-r" addr add $R/24 dev eth1
}

snap() {
	mctl r -j show stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in (d["stat"] if isinstance(d, dict) else d):
    print(s["name"], s["value"])' >"$TMP/$1"
}

delta() {
	awk -v n="$1" '$1 == n { v[FILENAME] = $2 } END {
	    print v[ARGV[3]] - v[ARGV[2]] }' /dev/null "$TMP/$2" "$TMP/$3"
}

stat_now() {
	awk -v n="$1" '$1 == n { print $2 }' "$TMP/$2"
}

querier() {
	mctl r -j show interfaces | python3 -c '
import json, sys
d = json.load(sys.stdin)
for i in (d["interface"] if isinstance(d, dict) else d):
    if i["name"] == "eth1":
        print(i.get("querier", "-"))'
}

raw_drops() {
	nsx r awk 'NR > 1 { n += $NF } END { print n + 0 }' /proc/net/raw
}

alive() {
	kill -0 "$MCASTD_PID" 2>/dev/null && mctl r show status >/dev/null 2>&1
}

# attack NAME STAT N COMMAND...: N packets of one kind from ha; STAT
# must rise by each one the kernel handed to mcastd: all of them, but for
# what it dropped when mcastd's socket queue was full (printed; on a busy
# machine it happens to the floods sent at full speed).  PER: what one
# packet counts for (default 1).
attack() {
	local name=$1 stat=$2 n=$3 d0 d; shift 3
	snap a0
	d0=$(raw_drops)
	"$@"
	sleep 0.2
	snap a1
	d=$(($(raw_drops) - d0))
	[ $d = 0 ] || echo "# $name: the kernel dropped $d packets at mcastd's full socket"
	expect_eq "$name: $stat +$((n - d * ${PER:-1}))" "$(delta "$stat" a0 a1)" $((n - d * ${PER:-1}))
}

stream_start() {
	local h
	REC0=$(now_ms)
	for h in hr1 hr2; do
		bg $h "$MCAST" recv -i eth0 --json --interval 0.5 -d "$1" \
		    $G:5000 >"$TMP/$h.json"
	done
	bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -d $(($1 + 5)) -q $G:5000
	wait_for 5 eval "streaming hr1 && streaming hr2"
}

inj() {
	nsx ha "$INJ" -i eth0 "$@" >>"$TMP/inject.out" ||
	    echo "# igmp_inject $* failed"
}

streaming() {
	[ "$(tail -n 1 "$TMP/$1.json" | grep -o '"packets":[0-9]*' |
	    cut -d: -f2)" -gt 200 ] 2>/dev/null
}

lost() {
	python3 -c '
import json, sys
tmp, hosts, rec0, t0, t1 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
n = 0
for h in hosts.split(","):
    a = b = 0
    for line in open("%s/%s.json" % (tmp, h)):
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get("type") != "interval" or not d.get("streams"):
            continue
        t = rec0 + d["time"] * 1000
        lost = sum(s.get("lost", 0) for s in d["streams"])
        if t <= t0:
            a = lost
        if t <= t1:
            b = lost
    n += b - a
print(n)' "$TMP" "$1" "$REC0" "$2" "$3"
}

cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz }' \
	    "/proc/$1/stat"
}

peak_reset() {
	echo 5 >"/proc/$1/clear_refs"
}

peak_kb() {
	awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"
}
