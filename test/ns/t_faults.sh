#!/usr/bin/env bash
# Faults under a 1000 datagrams/s stream, and mcastd recovering by itself:
#   querier  the querier of a LAN with two routers dies: the other takes over
#   link     the router's leg on a receiver LAN goes down, then up
#   iface    that leg is deleted, and a new veth with the same name added
#   addr     its address changes; a second address, then the first deleted
#   restart  mcastd stopped (SIGTERM) and started, then killed (-9) and started
#   pidfile  the pid file's directory is full: at start (refused in one line,
#            nothing left installed), and after start (reload and stop work)
#   fds      1,000 reloads (mcastctl and SIGHUP): descriptors and memory flat
# Each prints its recovery time and each receiver's longest silence as
# "# figure NAME VALUE" lines (bench/faults.sh collects them); durations are
# asserted only within generous bounds.  FAULTS="link addr" runs a subset.
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 198.18.2.3 --LAN2-- h2 198.18.2.2
#                                                   rq eth0 198.18.2.1 (mcastd,
#                                                   querier: lower address;
#                                                   its eth1 is a stub, LAN9)
#                                  eth2 198.18.3.1 --LAN3-- h3 198.18.3.2
#  rf: a router namespace of its own for the pid file faults
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v tcpdump >/dev/null || { not_ok "tcpdump missing (scripts/deps.sh installs it)"; exit 1; }
FAULTS=${FAULTS:-querier link iface addr restart pidfile fds}
want() { case " $FAULTS " in *" $1 "*) return 0 ;; esac; return 1; }
QI=2000 QRI=1000 RV=2
OQPI=$((RV * QI + QRI / 2))
# Forwarding comes back once a query reached the hosts and one answered:
# within the Max Resp Time (QRI); bounds allow three times that and 2 s.
BACK_S=$((3 * QRI / 1000 + 2))
S=198.18.1.2 G=239.1.20.1 PORT=5000
RELOADS=${RELOADS:-1000}

# figure NAME VALUE: a measurement for bench/faults.sh.
figure() { echo "# figure $1 ${2:-?}"; }
figure conf.qi_ms $QI; figure conf.qri_ms $QRI; figure conf.rv $RV; figure conf.oqpi_ms $OQPI

new_ns r
router_sysctls r
for lan in 1 2 3 9; do lan_bridge $lan; done
lan_port r eth0 1 1
lan_port r eth1 2 3
lan_port r eth2 3 1
for h in hs:1 h2:2 h3:3; do
	new_ns "${h%:*}"
	lan_port "${h%:*}" eth0 "${h#*:}" 2
	ip -n "$P-${h%:*}" route add 224.0.0.0/4 dev eth0
done
ip -n "$P-h2" route add default via 198.18.2.3
ip -n "$P-h3" route add default via 198.18.3.1
cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval ${QI}ms
	query-response-interval ${QRI}ms
	last-member-query-interval 300ms
	robustness $RV
}
CONF

# querier NS IF / addr_of NS IF / state_of NS IF: mcastctl show interfaces.
ifcol() { mctl "$1" show interfaces 2>/dev/null | awk -v i="$2" -v c="$3" '$1 == i { print $c }'; }
querier() { ifcol "$1" "$2" 8; }
state_of() { ifcol "$1" "$2" 5; }
addr_of() { ifcol "$1" "$2" 4; }
# flowing PCAP T: a datagram arrived after T (epoch ms).
flowing() { [ -n "$(first_after "$1" "$2")" ]; }
# captures NAME: a capture of the stream on h2 and h3 ($TMP/NAME-h2.pcap ...).
captures() {
	local h
	CAPS=()
	for h in h2 h3; do
		capture $h "$TMP/$1-$h.pcap" "udp port $PORT" ||
		    echo "# $h's capture saw nothing within 5 s"
		CAPS+=("$CAPTURE_PID")
	done
}
# gaps NAME FROM: each receiver's longest silence since FROM, as figures.
gaps() {
	local h g to
	sleep 0.3
	to=$(now_ms)
	for h in h2 h3; do
		g=$(longest_silence "$TMP/$1-$h.pcap" "$2" "$to")
		figure "$1.gap.$h" "$g"
		eval "GAP_$h=\$g"
	done
	kill "${CAPS[@]}" 2>/dev/null
	wait "${CAPS[@]}" 2>/dev/null
}
# back NAME T HOST: ms from T (the repair) to HOST's first datagram.
back() {
	local b
	b=$(first_after "$TMP/$1-$3.pcap" "$2")
	figure "$1.back.$3" "$b"
	BACK=$b
}
# routing_ok NS: every leg a VIF, in mcastctl and in the kernel.
routing_ok() {
	expect_eq "$1: mcastctl lists eth0 eth1 eth2 as routing" \
	    "$(mctl r show interfaces | awk '$5 == "routing" { print $1 }' | sort | tr '\n' ' ')" "eth0 eth1 eth2 "
	expect_eq "$1: the kernel's VIFs are eth0 eth1 eth2" "$(kernel_vifs r)" "eth0 eth1 eth2"
}

if want querier; then
	new_ns rq
	router_sysctls rq
	lan_port rq eth0 2 1
	lan_port rq eth1 9 1
	start_mcastd rq "$TMP/mcastd.conf" || { not_ok "mcastd started in rq"; exit 1; }
	RQ_PID=$MCASTD_PID
	# The queries on LAN2, from now on (rq's last one before it dies).
	capture h2 "$TMP/queries.pcap" 'igmp and igmp[0] = 0x11' ||
	    echo "# no query seen on LAN2 within 5 s"
	QCAP=$CAPTURE_PID
fi
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started in r"; exit 1; }
bg h2 "$MCAST" recv -i eth0 -d 600 --json $G:$PORT >"$TMP/h2.json"
RECV_PIDS=("$LAST_PID")
bg h3 "$MCAST" recv -i eth0 -d 600 --json $G:$PORT >"$TMP/h3.json"
RECV_PIDS+=("$LAST_PID")
bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -d 600 -q $G:$PORT
check "the stream reaches both LANs through r" \
    wait_for 10 eval '[ "$(mfc_oifs r $S $G)" = "eth1 eth2" ]'
routing_ok "at start"

# ---- the querier dies ----------------------------------------------------
if want querier; then
	check "querier: r yields LAN2 to rq's lower address" \
	    wait_for 5 eval '[ "$(querier r eth1)" = 198.18.2.1 ]'
	captures querier
	t0=$(now_ms)
	kill -9 $RQ_PID
	wait $RQ_PID 2>/dev/null
	check "querier: r takes over as querier on LAN2 (within OQPI $OQPI ms + 3 s)" \
	    wait_for $((OQPI / 1000 + 3)) eval '[ "$(querier r eth1)" = self ]'
	figure querier.takeover_after_kill $(($(now_ms) - t0))
	# Members answer r's first query within QRI: watch that long again.
	sleep $((QRI * 2 / 1000))
	check "querier: the stream still reaches h2 after the takeover" \
	    flowing "$TMP/querier-h2.pcap" $(($(now_ms) - 200))
	gaps querier "$t0"
	kill $QCAP; wait $QCAP 2>/dev/null
	last=$(arrivals_ms "$TMP/queries.pcap" 'src host 198.18.2.1' | awk -v t="$t0" '$1 < t' | tail -n 1)
	first=$(arrivals_ms "$TMP/queries.pcap" 'src host 198.18.2.3' | awk -v t="$t0" '$1 > t' | head -n 1)
	d=$(awk -v a="$last" -v b="$first" 'BEGIN { if (a != "" && b != "") printf "%.0f", b - a }')
	figure querier.takeover_after_last_query "$d"
	check "querier: r's first query came one OQPI ($OQPI ms +- 1 s) after rq's last one: ${d:-none seen} ms" \
	    test -n "$d" -a "${d:-0}" -ge $((OQPI - 1000)) -a "${d:-0}" -le $((OQPI + 1000))
	echo "# querier: h2's longest silence ${GAP_h2} ms (a membership can lapse for up to QRI/2 + a report delay: RFC 3376's OQPI is shorter than GMI by only QRI/2), h3's ${GAP_h3} ms"
	routing_ok "querier"
fi

# ---- a receiver LAN's link down and up -----------------------------------
if want link; then
	captures link
	t0=$(now_ms)
	nsx r ip link set eth1 down
	check "link: eth1 down is no VIF any more" wait_for 3 eval '[ "$(state_of r eth1)" != routing ]'
	expect_eq "link: ... nor in the kernel" "$(kernel_vifs r)" "eth0 eth2"
	sleep 0.5
	t1=$(now_ms)
	nsx r ip link set eth1 up
	check "link: up again, eth1 is a VIF again" wait_for 3 eval '[ "$(state_of r eth1)" = routing ]'
	figure link.back.vif $(($(now_ms) - t1))
	check "link: ... and forwarding to h2 resumes without a restart (within $BACK_S s)" \
	    wait_for $BACK_S flowing "$TMP/link-h2.pcap" "$t1"
	back link "$t1" h2
	gaps link "$t0"
	echo "# link: forwarding back ${BACK:-?} ms after the link came up; longest silence at h2 ${GAP_h2} ms (down for $((t1 - t0)) ms), h3 ${GAP_h3} ms"
	check "link: h3's LAN was not disturbed (longest silence ${GAP_h3} ms < 500)" test "$GAP_h3" -lt 500
	check "link: membership of $G on eth1 re-learned" has_group r eth1 $G
	routing_ok "link"
fi

# ---- a receiver LAN's interface deleted, another with its name added -----
if want iface; then
	captures iface
	t0=$(now_ms)
	nsx r ip link del eth2
	check "iface: deleted eth2 is no longer listed" \
	    wait_for 3 eval '! mctl r show interfaces | grep -q "^eth2 "'
	expect_eq "iface: no stale VIF in the kernel" "$(kernel_vifs r)" "eth0 eth1"
	sleep 0.5
	t1=$(now_ms)
	lan_port r eth2 3 1
	check "iface: a new veth named eth2 forwards to h3 (within $BACK_S s)" \
	    wait_for $BACK_S flowing "$TMP/iface-h3.pcap" "$t1"
	back iface "$t1" h3
	gaps iface "$t0"
	echo "# iface: forwarding back ${BACK:-?} ms after the new eth2 appeared; longest silence at h3 ${GAP_h3} ms, h2 ${GAP_h2} ms"
	check "iface: h2's LAN was not disturbed (longest silence ${GAP_h2} ms < 500)" test "$GAP_h2" -lt 500
	expect_eq "iface: mcastctl has the new ifindex" "$(ifcol r eth2 3)" \
	    "$(nsx r cat /sys/class/net/eth2/ifindex)"
	routing_ok "iface"
fi

# ---- the router's address on a receiver LAN changes ----------------------
if want addr; then
	captures addr1
	t0=$(now_ms)
	nsx r ip addr del 198.18.2.3/24 dev eth1
	nsx r ip addr add 198.18.2.4/24 dev eth1
	check "addr: mcastctl shows eth1's new address 198.18.2.4" \
	    wait_for 3 eval '[ "$(addr_of r eth1)" = 198.18.2.4 ]'
	check "addr: ... forwarding to h2 goes on (within $BACK_S s)" \
	    wait_for $BACK_S flowing "$TMP/addr1-h2.pcap" "$(now_ms)"
	gaps addr1 "$t0"
	echo "# addr: address replaced: longest silence at h2 ${GAP_h2} ms, h3 ${GAP_h3} ms"
	routing_ok "addr"

	# A second address (another subnet), then the first one deleted:
	# the interface keeps an IPv4 address, so it stays a VIF.
	captures addr2
	t0=$(now_ms)
	nsx r ip addr add 198.18.12.1/24 dev eth1
	sleep 0.3
	expect_eq "addr: a second address leaves eth1's address as it was" "$(addr_of r eth1)" 198.18.2.4
	nsx r ip addr del 198.18.2.4/24 dev eth1
	check "addr: the first deleted, eth1 goes on with the second, 198.18.12.1" \
	    wait_for 3 eval '[ "$(addr_of r eth1)" = 198.18.12.1 ]'
	check "addr: ... and forwarding to h2 goes on (within $BACK_S s)" \
	    wait_for $BACK_S flowing "$TMP/addr2-h2.pcap" "$(now_ms)"
	gaps addr2 "$t0"
	echo "# addr: second address, first deleted: longest silence at h2 ${GAP_h2} ms, h3 ${GAP_h3} ms"
	routing_ok "addr: second address"
	nsx r ip addr add 198.18.2.3/24 dev eth1
	nsx r ip addr del 198.18.12.1/24 dev eth1
	check "addr: back to 198.18.2.3" wait_for 3 eval '[ "$(addr_of r eth1)" = 198.18.2.3 ]'
fi

# ---- mcastd restarted under traffic --------------------------------------
if want restart; then
	for how in TERM KILL; do
		name=restart$(echo $how | tr A-Z a-z)
		captures $name
		t0=$(now_ms)
		kill -$how $MCASTD_PID
		wait $MCASTD_PID 2>/dev/null
		rc=$?
		[ $how = TERM ] && expect_eq "restart: SIGTERM: mcastd exits 0" $rc 0
		expect_eq "restart: SIG$how: the kernel has no VIF left" "$(kernel_vifs r)" ""
		t1=$(now_ms)
		start_mcastd r "$TMP/mcastd.conf" || not_ok "restart: mcastd starts again after SIG$how"
		for h in h2 h3; do
			check "restart: SIG$how: forwarding to $h resumes (within $BACK_S s)" \
			    wait_for $BACK_S flowing "$TMP/$name-$h.pcap" "$t1"
		done
		back $name "$t1" h2
		b2=$BACK
		back $name "$t1" h3
		gaps $name "$t0"
		echo "# restart: SIG$how then start: forwarding back ${b2:-?} ms (h2), ${BACK:-?} ms (h3) after the start; longest silence at h2 ${GAP_h2} ms, h3 ${GAP_h3} ms"
		routing_ok "restart: after SIG$how"
	done
fi

# ---- the pid file's directory is full ------------------------------------
# In rf, a router of its own: a tmpfs mounted in a private mount namespace
# (unshare -m), so the host never sees it.
if want pidfile; then
	new_ns rf
	router_sysctls rf
	lan_bridge 8
	lan_port rf eth0 8 1
	mkdir -p "$TMP/full"
	full="mount -t tmpfs -o size=4k mcast-full $TMP/full && { cat /dev/zero >$TMP/full/fill; true; } 2>/dev/null"
	nsx rf unshare -m --propagation private sh -c "$full && exec timeout 10 $MCASTD -n -f $TMP/mcastd.conf \
	    -u $TMP/rf.sock -p $TMP/full/mcastd.pid" >"$TMP/rf.out" 2>"$TMP/rf.err"
	rc=$?
	echo "#   $(head -n 1 "$TMP/rf.err")"
	expect_eq "pidfile: a start with the pid file on a full file system exits 1" $rc 1
	check "pidfile: ... saying so in one line" \
	    eval '[ "$(wc -l <"$TMP/rf.err")" = 1 ] && grep -q "pid file $TMP/full/mcastd.pid: No space left on device" "$TMP/rf.err"'
	check "pidfile: ... leaving no socket" test ! -e "$TMP/rf.sock"
	expect_eq "pidfile: ... and no VIF" "$(kernel_vifs rf)" ""
	r_pid=$MCASTD_PID
	if start_mcastd rf "$TMP/mcastd.conf"; then
		ok "pidfile: ... nor the kernel's multicast routing held (a next start works)"
		kill $MCASTD_PID; wait $MCASTD_PID 2>/dev/null
		MCASTD_PID=$r_pid
	else
		MCASTD_PID=$r_pid
		not_ok "pidfile: ... nor the kernel's multicast routing held (a next start works)"
	fi

	# Room for the pid file at start; the directory filled afterwards.
	bg rf unshare -m --propagation private sh -c "mount -t tmpfs -o size=8k mcast-full $TMP/full &&
	    exec $MCASTD -n -f $TMP/mcastd.conf -u $TMP/rf.sock -p $TMP/full/mcastd.pid -l info 2>>$TMP/mcastd-rf.log"
	pid=$LAST_PID
	if wait_for 5 eval "mctl rf show status >/dev/null 2>&1"; then
		nsenter -t $pid -m sh -c "cat /dev/zero >$TMP/full/fill" 2>/dev/null
		df=$(nsenter -t $pid -m df -k "$TMP/full" | awk 'NR == 2 { print $4 }')
		check "pidfile: the pid file's directory is full now (${df:-?} KiB free)" test "${df:-1}" = 0
		echo "phyint eth0 threshold 4" >>"$TMP/mcastd.conf"
		expect_eq "pidfile: ... mcastctl reload works" "$(mctl rf reload 2>&1)" \
		    "configuration reloaded from $TMP/mcastd.conf"
		sed -i '$d' "$TMP/mcastd.conf"
		kill -HUP $pid
		check "pidfile: ... SIGHUP too" wait_for 3 eval \
		    '[ "$(mctl rf show stats | awk '"'"'$1 == "reloads" { print $2 }'"'"')" = 2 ]'
		kill $pid
		wait $pid
		expect_eq "pidfile: ... and SIGTERM stops it with status 0" $? 0
		expect_eq "pidfile: ... leaving no VIF" "$(kernel_vifs rf)" ""
	else
		not_ok "pidfile: mcastd started with its pid file on a small tmpfs"
		sed 's/^/#   /' "$TMP/mcastd-rf.log"
	fi
fi

# ---- descriptors and memory across reloads --------------------------------
if want fds; then
	# Two configurations in turn, so that every reload changes something: a
	# boundary, a static route, a static membership, an IGMP setting.
	cp "$TMP/mcastd.conf" "$TMP/a.conf"
	cat "$TMP/mcastd.conf" - >"$TMP/b.conf" <<CONF
phyint eth2 boundary 239.255.0.0/16 static-group 239.1.99.9
mroute from eth0 group 239.1.99.8 to eth1 eth2
CONF
	sed -i 's/last-member-query-interval 300ms/last-member-query-interval 400ms/' "$TMP/b.conf"
	# reloads N: N reloads, every tenth by SIGHUP.
	reloads() {
		nsx r bash -c '
		for i in $(seq '"$1"'); do
			if [ $((i % 2)) = 0 ]; then cp "$2" "$4"; else cp "$3" "$4"; fi
			if [ $((i % 10)) = 0 ]; then
				n=$("$1" -u "$5" show stats | awk '"'"'$1 == "reloads" { print $2 }'"'"')
				kill -HUP '"$MCASTD_PID"'
				for k in $(seq 200); do
					[ "$("$1" -u "$5" show stats | awk '"'"'$1 == "reloads" { print $2 }'"'"')" != "$n" ] && break
					sleep 0.005
				done
			else
				"$1" -u "$5" reload >/dev/null || echo "reload $i failed"
			fi
		done' reloads "$MCASTCTL" "$TMP/a.conf" "$TMP/b.conf" "$TMP/mcastd.conf" "$TMP/r.sock" 2>&1 |
		    sed -n 1p
	}
	cp "$TMP/a.conf" "$TMP/mcastd.conf"
	captures fds
	r0=$(mctl r show stats | awk '$1 == "reloads" { print $2 }')
	fd0=$(proc_fds $MCASTD_PID) rss0=$(proc_rss_kb $MCASTD_PID)
	t0=$(now_ms)
	err=$(reloads 100)
	fd100=$(proc_fds $MCASTD_PID) rss100=$(proc_rss_kb $MCASTD_PID)
	err=$err$(reloads $((RELOADS - 100)))
	t1=$(now_ms)
	sleep 0.2
	fdN=$(proc_fds $MCASTD_PID) rssN=$(proc_rss_kb $MCASTD_PID)
	r1=$(mctl r show stats | awk '$1 == "reloads" { print $2 }')
	gaps fds "$t0"
	figure fds.before "$fd0"; figure fds.after100 "$fd100"; figure fds.after$RELOADS "$fdN"
	figure rss_kb.before "$rss0"; figure rss_kb.after100 "$rss100"; figure rss_kb.after$RELOADS "$rssN"
	figure fds.reload_ms $(( (t1 - t0) / RELOADS ))
	echo "# fds: $RELOADS reloads in $((t1 - t0)) ms: descriptors $fd0 -> $fd100 -> $fdN, VmRSS $rss0 -> $rss100 -> $rssN KiB; longest silence at h2 ${GAP_h2} ms, h3 ${GAP_h3} ms"
	expect_eq "fds: every reload answered" "${err:-none failed}" "none failed"
	expect_eq "fds: mcastd counted $RELOADS reloads" $((r1 - r0)) $RELOADS
	expect_eq "fds: open descriptors after 100 reloads as before" "$fd100" "$fd0"
	expect_eq "fds: ... and after $RELOADS" "$fdN" "$fd0"
	if asan_build "$MCASTD"; then
		echo "ok - fds: VmRSS flat # SKIP AddressSanitizer keeps freed memory in quarantine ($rss100 -> $rssN KiB); its leak check runs when mcastd stops"
	else
		check "fds: VmRSS grew less than 1 MiB from 100 to $RELOADS reloads ($rss100 -> $rssN KiB)" \
		    test $((rssN - rss100)) -lt 1024
	fi
	check "fds: the stream went on through the reloads (longest silence h2 ${GAP_h2} ms, h3 ${GAP_h3} ms < 500)" \
	    test "$GAP_h2" -lt 500 -a "$GAP_h3" -lt 500
	routing_ok "fds: after $RELOADS reloads"
fi

kill -TERM "${RECV_PIDS[@]}" 2>/dev/null
wait "${RECV_PIDS[@]}" 2>/dev/null
for h in h2 h3; do
	figure total.lost.$h "$(stream_counts "$TMP/$h.json" | awk '{ print $4 }')"
done
check "mcastd still runs" kill -0 $MCASTD_PID
expect_eq "no VIF or MFC errors counted" \
    "$(mctl r show stats | awk '$1 == "vif.errors" || $1 == "mfc.errors" { s += $2 } END { print s + 0 }')" 0
# The last stop (with a SANITIZE=1 build, LeakSanitizer's verdict too).
kill -TERM $MCASTD_PID
wait $MCASTD_PID
expect_eq "SIGTERM after it all: mcastd exits 0" $? 0
finish
