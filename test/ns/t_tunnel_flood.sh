#!/usr/bin/env bash
# A flood through the tunnel of t_tunnel.sh's two islands
# (test/ns/tunnel_lib.sh) does not starve IGMP or DVMRP on the routers at
# its ends: s sends 1316-byte datagrams flat out for FLOOD_S seconds (8)
# to a group h receives, with encap ipip and with encap udp.  During the
# flood a second host h2 on the receiver LAN joins another group, and rB
# lists that membership within JOIN_MS (2000 ms); DVMRP's probes (every
# 1 s, a neighbour lost after 4 s) keep coming both ways: no neighbour
# expires, both stay two-way, and each hears every probe the other sent
# (mcastd's own messages leave past the TUN device's queue and arrive on a
# socket of their own: daemon/tun.c).  The tunnel's descriptors are read with a
# budget per turn of mcastd's loop (daemon/tun.h), the routing socket
# with its own.
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
. "$(dirname "$0")/tunnel_lib.sh"

FLOOD_S=${FLOOD_S:-8}
JOIN_MS=${JOIN_MS:-2000}

# stat NS NAME: a counter of `mcastctl show stats`.
stat() {
	mctl "$1" -j show stats | tr '{' '\n' | grep "\"name\":\"$2\"" |
	    grep -o '"value":[0-9]*' | cut -d: -f2
}

# queue_drops NS ADDR: datagrams dropped at full queues of NS's raw and
# UDP sockets bound to ADDR (/proc/net/raw, udp: the last column).
queue_drops() {
	local hex
	hex=$(printf '%02X%02X%02X%02X' $(echo "$2" | tr . ' ' | awk '{ print $4, $3, $2, $1 }'))
	nsx "$1" cat /proc/net/raw /proc/net/udp |
	    awk -v a="$hex" '$2 ~ "^" a ":" { n += $NF } END { print n + 0 }'
}

run_mode() {
	local enc=$1 G2 ph ps t0 t1 in0 in1 exA exB prA prB w0 w ok2=1 dA dB c0
	tunnel_islands $enc $2 \
	    "igmp { query-interval 4s; query-response-interval 1s; last-member-query-interval 300ms }" \
	    "dvmrp { probe-interval 1s; neighbor-timeout 4s }"
	G2=239.1.$a.2
	new_ns h2$enc
	lan_port h2$enc eth0 $d 11
	ip -n "$P-h2$enc" route add 224.0.0.0/4 dev eth0
	start_mcastd $rA "$TMP/$rA.conf" || { not_ok "$enc: mcastd started in rA"; return; }
	start_mcastd $rB "$TMP/$rB.conf" || { not_ok "$enc: mcastd started in rB"; return; }
	check "$enc: rA and rB list each other two-way on mtun0" \
	    wait_for 15 eval 'two_way $rA $R && two_way $rB $L'
	bg $h "$MCAST" recv -i eth0 -d $((FLOOD_S + 4)) --json $G:7000 >"$TMP/$h.json"
	ph=$LAST_PID
	check "$enc: rB lists $G on eth2" wait_for 6 has_group $rB eth2 $G
	check "$enc: rA forwards into mtun0 and rB onto eth2" \
	    wait_for 15 eval 'nsx $s "$MCAST" send -i eth0 -t 16 -c 1 -q $G:9;
		[ "$(mfc_oifs $rA $S $G)" = mtun0 ] && [ "$(mfc_oifs $rB $S $G)" = eth2 ]'
	exA=$(stat $rA dvmrp.nbr.down.expired) exB=$(stat $rB dvmrp.nbr.down.expired)
	prA=$(stat $rA dvmrp.nbr.rx_probes) prB=$(stat $rB dvmrp.nbr.rx_probes)
	w0=$(now_ms)
	in0=$(tunnel_json $rB packets_in) c0=$(tunnel_json $rB control_in)

	bg $s "$MCAST" send -i eth0 -t 16 -s 1316 -d $FLOOD_S --json $G:7000 >"$TMP/$s.json"
	ps=$LAST_PID
	sleep 2
	# A join on the receiver LAN, two seconds into the flood.
	t0=$(now_ms)
	bg h2$enc "$MCAST" recv -i eth0 -d $((FLOOD_S + 2)) -q $G2:7010
	wait_for $((JOIN_MS / 1000 + 3)) has_group $rB eth2 $G2
	t1=$(now_ms)
	check "$enc: during the flood rB lists h2's join of $G2 within $JOIN_MS ms ($((t1 - t0)) ms)" \
	    eval 'has_group $rB eth2 $G2 && [ $((t1 - t0)) -le $JOIN_MS ]'
	# Two-way on both sides, every half second, until the flood ends.
	while kill -0 $ps 2>/dev/null; do
		two_way $rA $R && two_way $rB $L || ok2=0
		sleep 0.5
	done
	wait $ps
	in1=$(tunnel_json $rB packets_in)
	check "$enc: the flood went through the tunnel ($((in1 - in0)) datagrams into rB's mtun0)" \
	    eval '[ $((in1 - in0)) -ge $((FLOOD_S * 1000)) ]'
	expect_eq "$enc: both listed the other two-way all through the flood" $ok2 1
	expect_eq "$enc: rA lost no neighbour during the flood" \
	    "$(stat $rA dvmrp.nbr.down.expired)" "$exA"
	expect_eq "$enc: rB lost no neighbour during the flood" \
	    "$(stat $rB dvmrp.nbr.down.expired)" "$exB"
	# A probe a second each way: every one heard (one may be in flight).
	dA=$(( $(stat $rA dvmrp.nbr.rx_probes) - prA )) dB=$(( $(stat $rB dvmrp.nbr.rx_probes) - prB ))
	w=$(( ($(now_ms) - w0) / 1000 ))
	check "$enc: rB heard every probe of rA's through the flood ($dB in $w s)" \
	    eval '[ $dB -ge $((w - 1)) ]'
	check "$enc: rA heard every probe of rB's through the flood ($dA in $w s)" \
	    eval '[ $dA -ge $((w - 1)) ]'
	check "$enc: rA's probes came by rB's control socket ($(( $(tunnel_json $rB control_in) - c0 )) messages)" \
	    eval '[ $(( $(tunnel_json $rB control_in) - c0 )) -ge $dB ]'
	echo "# $enc: rB's sockets bound to $R dropped $(queue_drops $rB $R) datagrams at a full queue"
	kill $ph 2>/dev/null
	wait $ph 2>/dev/null
	echo "# $enc: sent $(json_field "$TMP/$s.json" sent), h received $(json_field "$TMP/$h.json" received)," \
	    "rA: $(mctl $rA -j show tunnels | tr -d '{}"' | tr ',' ' ')"
	echo "# $enc: rB: $(mctl $rB -j show tunnels | tr -d '{}"' | tr ',' ' ')"
}

run_mode ipip 121
run_mode udp 131
finish
