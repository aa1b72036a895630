#!/usr/bin/env bash
# Two multicast islands joined by an mcastd tunnel across a router that
# routes only unicast (ip_forward, no multicast routing), once with encap
# ipip and once with encap udp:
#
#  s .10 -- (LAN a1) -- eth1 rA eth2 -- (a2) -- eth1 m eth2 -- (a3) --
#                       eth1 rB eth2 -- (LAN a4) -- h .10
#
# rA's tunnel is 198.18.a2.1 -> 198.18.a3.1 and rB's the reverse; the
# routers' outer legs are no VIFs (phyint disable).  A stream crosses
# exactly; the outer packets on m's link to rB are protocol 4 (or UDP to
# the tunnel's port) from LOCAL to REMOTE around the sender's datagram;
# DVMRP forms a two-way adjacency over the tunnel and prunes across it when
# the receiver leaves; a forged encapsulated packet from m's own address
# and an oversize datagram are counted and dropped.  With ipip also: a
# reload removes and adds the tunnel, and rB's mcastd restarts.
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v tcpdump >/dev/null || skip_all "no tcpdump"

. "$(dirname "$0")/tunnel_lib.sh"
PORT=$TUNNEL_PORT

run_mode() {
	local enc=$1 oversize=1400 filter="ip proto 4" decode=""

	[ "$enc" = udp ] && filter="udp port $PORT" decode="-d udp.port==$PORT,ip"
	tunnel_islands $enc $2 "igmp { query-interval 4s; query-response-interval 1s; last-member-query-interval 300ms }"
	# m's link to rB, from before the tunnel is up: DVMRP's first probes.
	bg $m tcpdump -i eth2 -n -U --immediate-mode -w "$TMP/$enc.pcap" "$filter" 2>/dev/null
	local pcap=$LAST_PID
	wait_for 5 eval "[ -s '$TMP/$enc.pcap' ]"
	start_mcastd $rA "$TMP/$rA.conf" || { not_ok "$enc: mcastd started in rA"; return; }
	start_mcastd $rB "$TMP/$rB.conf" || { not_ok "$enc: mcastd started in rB"; return; }
	local pidB=$MCASTD_PID

	# ---- the tunnel is a VIF on both sides ----
	check "$enc: rA's mtun0 is a VIF (routing), local $L remote $R" \
	    wait_for 5 eval '[ "$(tunnel_json $rA state)" = routing ] &&
		[ "$(tunnel_json $rA local)" = $L ] && [ "$(tunnel_json $rA remote)" = $R ] &&
		[ "$(tunnel_json $rA encap)" = $enc ]'
	check "$enc: rB's mtun0 is a VIF (routing)" \
	    wait_for 5 eval '[ "$(tunnel_json $rB state)" = routing ]'
	expect_eq "$enc: the tunnel's MTU is $oversize (show tunnels)" \
	    "$(tunnel_json $rA mtu)" $oversize
	expect_eq "$enc: mtun0's device takes any datagram (mcastd applies the MTU)" \
	    "$(nsx $rA cat /sys/class/net/mtun0/mtu)" 65535

	# ---- DVMRP across the tunnel ----
	check "$enc: rA lists rB ($R) two-way on mtun0" wait_for 15 two_way $rA $R
	check "$enc: rB lists rA ($L) two-way on mtun0" wait_for 15 two_way $rB $L
	check "$enc: rB learned rA's LAN 198.18.$a.0/24 by the tunnel" \
	    wait_for 10 eval "mctl $rB -j show routes | tr '{' '\n' |
		grep '\"origin\":\"198.18.$a.0/24\"' | grep -q '\"interface\":\"mtun0\"'"

	# ---- a stream crosses, counted; the outer headers on m's link ----
	bg $h "$MCAST" recv -i eth0 -c 500 -d 25 --json $G:7000 >"$TMP/$h.json"
	local ph=$LAST_PID
	check "$enc: rB lists $G on eth2" wait_for 6 has_group $rB eth2 $G
	sleep 1
	bg $s "$MCAST" send -i eth0 -t 16 -r 250 -c 500 -q $G:7000
	local ps=$LAST_PID
	check "$enc: rA forwards ($S,$G) into mtun0" \
	    wait_for 4 eval '[ "$(mfc_oifs $rA $S $G)" = mtun0 ]'
	check "$enc: rB forwards ($S,$G) from mtun0 onto eth2" \
	    wait_for 4 eval '[ "$(mfc_oifs $rB $S $G)" = eth2 ] &&
		nsx $rB ip mroute show | grep "($S,$G)" | grep -q "Iif: mtun0"'
	wait $ps $ph
	expect_eq "$enc: h got every datagram through the tunnel" \
	    "$(json_field "$TMP/$h.json" received)" 500
	expect_eq "$enc: h lost none" "$(json_field "$TMP/$h.json" lost)" 0
	sleep 0.3
	kill $pcap 2>/dev/null
	wait $pcap 2>/dev/null
	local outer
	if [ $enc = ipip ]; then
		outer=$(tshark -r "$TMP/$enc.pcap" -Y "ip.dst == $G" -T fields \
		    -e ip.src -e ip.dst -e ip.proto 2>/dev/null | sort | uniq -c)
		expect_eq "$enc: tshark: 500 packets $L > $R protocol 4 around $S > $G UDP" \
		    "$(echo $outer)" "500 $L,$S $R,$G 4,17"
	else
		outer=$(tshark -r "$TMP/$enc.pcap" $decode \
		    -Y "ip.dst == $G" -T fields -e ip.src -e ip.dst \
		    -e udp.srcport -e udp.dstport 2>/dev/null |
		    sed 's/\t\([0-9]*\),[0-9]*\t/\t\1,*\t/' | sort | uniq -c)
		expect_eq "$enc: tshark: 500 packets $L:$PORT > $R:$PORT UDP around $S > $G:7000" \
		    "$(echo $outer)" "500 $L,$S $R,$G $PORT,* $PORT,7000"
	fi
	# DVMRP inside: rA's probes and reports go to rB's address, not to
	# 224.0.0.4 (as mrouted sends them on a tunnel), with Router Alert.
	local dvmrp
	dvmrp=$(tshark -r "$TMP/$enc.pcap" $decode -Y "dvmrp && ip.src == $L" \
	    -T fields -e ip.dst -e dvmrp.v3.code 2>/dev/null | sort -u)
	check "$enc: rA's DVMRP probes (code 1) and reports (2) crossed unicast to $R inside the tunnel" \
	    eval 'echo "$dvmrp" | grep -qx "$R,$R	0x01" && echo "$dvmrp" | grep -qx "$R,$R	0x02"'
	expect_eq "$enc: no DVMRP to 224.0.0.4 inside the tunnel" \
	    "$(echo "$dvmrp" | grep -c 224.0.0.4)" 0
	check "$enc: rA counted what it carried out" \
	    eval '[ "$(tunnel_json $rA packets_out)" -ge 500 ]'
	check "$enc: rB counted what it let in" \
	    eval '[ "$(tunnel_json $rB packets_in)" -ge 500 ]'
	# rA's DVMRP by rB's control socket (daemon/tun.c), the stream not.
	check "$enc: rB read rA's DVMRP by its control socket, and only that ($(tunnel_json $rB control_in))" \
	    eval '[ "$(tunnel_json $rB control_in)" -ge 2 ] &&
		[ "$(tunnel_json $rB control_in)" -lt 100 ]'

	# ---- prune across the tunnel once h left ----
	bg $s "$MCAST" send -i eth0 -t 16 -r 100 -d 12 -q $G:7000
	ps=$LAST_PID
	check "$enc: rB's entry has no oif once h left" \
	    wait_for 6 eval 'nsx $rB ip mroute show | grep -q "($S,$G)" && [ -z "$(mfc_oifs $rB $S $G)" ]'
	check "$enc: rA got rB's prune over the tunnel and stops forwarding into it" \
	    wait_for 6 eval 'nsx $rA ip mroute show | grep -q "($S,$G)" && [ -z "$(mfc_oifs $rA $S $G)" ] &&
		mctl $rA -j show prunes | grep -q "\"neighbor\":\"$R\""'
	kill $ps 2>/dev/null
	wait $ps 2>/dev/null

	# ---- a forged encapsulated datagram from m (not REMOTE) ----
	local foreign=$(tunnel_json $rB in_foreign)
	nsx $m python3 - "$enc" "198.18.$c.2" "$R" "$PORT" <<'PY'
import socket, struct, sys
enc, src, dst, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
payload = b"forged" * 4
udp = struct.pack("!HHHH", 7000, 7000, 8 + len(payload), 0) + payload
hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 16, 17, 0,
                  socket.inet_aton("198.18.250.1"), socket.inet_aton("239.1.250.1"))
inner = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + udp
if enc == "ipip":
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IPIP)
    s.sendto(inner, (dst, 0))
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, port))
    s.sendto(inner, (dst, port))
PY
	check "$enc: rB counted the forged packet from 198.18.$c.2 as foreign (1)" \
	    wait_for 3 eval '[ "$(tunnel_json $rB in_foreign)" = $((foreign + 1)) ]'
	# Written into mtun0, its datagram would have made rB's kernel ask
	# for an entry (198.18.250.1,239.1.250.1).
	sleep 0.3
	check "$enc: and let nothing of it in (no entry for its datagram in rB)" \
	    eval '! nsx $rB ip mroute show | grep -q "(198.18.250.1,239.1.250.1)" &&
		! grep -q 198.18.250.1 "$TMP/mcastd-$rB.log"'

	# ---- oversize: a datagram bigger than the tunnel's MTU ----
	bg $h "$MCAST" recv -i eth0 -c 100 -d 12 --json $G:7001 >"$TMP/$h-big.json"
	ph=$LAST_PID
	check "$enc: rB lists $G on eth2 again" wait_for 6 has_group $rB eth2 $G
	check "$enc: rB grafts back: rA forwards into mtun0 again" \
	    wait_for 8 eval 'nsx $s "$MCAST" send -i eth0 -t 16 -c 1 -q $G:7001;
		[ "$(mfc_oifs $rA $S $G)" = mtun0 ]'
	local over=$(tunnel_json $rA out_oversize)
	# 1450 bytes of payload: 1478 on the wire, above mtu 1400.
	nsx $s "$MCAST" send -i eth0 -t 16 -r 100 -c 5 -s 1450 -q $G:7001
	sleep 0.5
	expect_eq "$enc: rA counted 5 oversize datagrams" \
	    "$(tunnel_json $rA out_oversize)" $((over + 5))
	kill $ph 2>/dev/null
	wait $ph 2>/dev/null
	local got=$(json_field "$TMP/$h-big.json" received)
	check "$enc: none of them reached h, the small ones did ($got x 64 bytes)" \
	    eval '[ "$got" -ge 1 ] && [ "$(json_field "$TMP/$h-big.json" bytes)" = $((got * 64)) ]' 

	# ---- reload: the tunnel removed, then back ----
	[ $enc = ipip ] || return 0
	cp "$TMP/$rA.conf" "$TMP/$rA.conf.with"
	grep -v '^tunnel' "$TMP/$rA.conf.with" >"$TMP/$rA.conf"
	mctl $rA reload >/dev/null
	check "$enc: reload without the tunnel: mtun0 is gone from rA" \
	    wait_for 3 eval '! nsx $rA ip link show mtun0 >/dev/null 2>&1 &&
		[ -z "$(mctl $rA -j show tunnels | grep -o "\"tunnel\"")" ] &&
		[ "$(mctl $rA -j show interfaces | grep -c "mtun0")" = 0 ]'
	cp "$TMP/$rA.conf.with" "$TMP/$rA.conf"
	mctl $rA reload >/dev/null
	check "$enc: reload with it again: mtun0 is a VIF of rA's again" \
	    wait_for 5 eval '[ "$(tunnel_json $rA state)" = routing ]'
	check "$enc: and rA lists rB two-way on it again" wait_for 15 two_way $rA $R

	# ---- rB's mcastd restarts: its device goes and comes back ----
	kill $pidB
	wait $pidB 2>/dev/null
	check "$enc: rB's mcastd stopped: its mtun0 is gone" \
	    wait_for 3 eval '! nsx $rB ip link show mtun0 >/dev/null 2>&1'
	start_mcastd $rB "$TMP/$rB.conf" || { not_ok "$enc: mcastd restarted in rB"; return; }
	check "$enc: after the restart both list the other two-way" \
	    wait_for 15 eval 'two_way $rB $L && two_way $rA $R'
	bg $h "$MCAST" recv -i eth0 -c 200 -d 20 --json $G:7002 >"$TMP/$h-again.json"
	ph=$LAST_PID
	check "$enc: rB lists $G on eth2 after its restart" wait_for 6 has_group $rB eth2 $G
	# Routes and dependents travel in the reports after the adjacency.
	check "$enc: rA forwards into mtun0 and rB onto eth2 again" \
	    wait_for 15 eval 'nsx $s "$MCAST" send -i eth0 -t 16 -c 1 -q $G:7003;
		[ "$(mfc_oifs $rA $S $G)" = mtun0 ] && [ "$(mfc_oifs $rB $S $G)" = eth2 ]'
	nsx $s "$MCAST" send -i eth0 -t 16 -r 200 -c 200 -q $G:7002
	wait $ph
	expect_eq "$enc: the stream crosses the tunnel again, every datagram" \
	    "$(json_field "$TMP/$h-again.json" received)" 200

	# ---- no IGMP on the tunnel (as mrouted): no query goes into it, so
	# neither side logs the other's queries as off its subnet (they did) ----
	check "$enc: neither logged an IGMP notice about mtun0" \
	    eval "! grep -q \"IGMP.*mtun0\" \"$TMP/mcastd-$rA.log\" \"$TMP/mcastd-$rB.log\""
}

run_mode ipip 81
run_mode udp 91
finish
