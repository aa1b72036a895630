# Shared by test/ns/t_tunnel*.sh and bench/tunnel.sh (after lib.sh): two
# multicast islands joined by an mcastd tunnel across a router that routes
# only unicast (ip_forward, no multicast routing):
#
#  s .10 -- (LAN a) -- eth1 rA eth2 -- (b) -- eth1 m eth2 -- (c) --
#                       eth1 rB eth2 -- (LAN d) -- h .10
#
#   tunnel_islands ENC BASE [CONF...]  the lab with LANs a..d = BASE..BASE+3
#                  (198.18.a.0/24 ...) and namespaces named after ENC (ipip
#                  or udp); each CONF line goes into both routers' files
#                  ($TMP/$rA.conf, $TMP/$rB.conf), which end with the tunnel
#                  (rA's 198.18.b.1 -> 198.18.c.1, rB's the reverse, mtu
#                  TUNNEL_MTU, default 1400); the routers' outer legs are
#                  no VIFs.  Sets rA rB m s h (names), a b c d, S (s's
#                  address), G (239.1.a.1), L and R (rA's and rB's ends)
#   tunnel_json NS FIELD   a field of the first tunnel of NS's mcastd
#   two_way NS ADDR        NS's mcastd has ADDR two-way on mtun0
#   mtun_devices NS        the mtun* devices in NS (names, space separated)
TUNNEL_PORT=4244 # encap udp's default port (mcastd.conf(5))

tunnel_islands() {
	local enc=$1 base=$2 encap="" lan line
	shift 2
	a=$base b=$((base + 1)) c=$((base + 2)) d=$((base + 3))
	S=198.18.$a.10 G=239.1.$a.1 L=198.18.$b.1 R=198.18.$c.1
	rA=ra$enc rB=rb$enc m=m$enc s=s$enc h=h$enc
	[ "$enc" = udp ] && encap="encap udp"
	for lan in $a $b $c $d; do
		lan_bridge $lan
	done
	for r in $rA $rB $m; do
		new_ns $r
		router_sysctls $r
	done
	lan_port $rA eth1 $a 1
	lan_port $rA eth2 $b 1
	lan_port $m eth1 $b 2
	lan_port $m eth2 $c 2
	lan_port $rB eth1 $c 1
	lan_port $rB eth2 $d 1
	ip -n "$P-$rA" route add default via 198.18.$b.2
	ip -n "$P-$rB" route add default via 198.18.$c.2
	new_ns $s
	lan_port $s eth0 $a 10
	ip -n "$P-$s" route add 224.0.0.0/4 dev eth0
	ip -n "$P-$s" route add default via 198.18.$a.1
	new_ns $h
	lan_port $h eth0 $d 10
	ip -n "$P-$h" route add 224.0.0.0/4 dev eth0
	ip -n "$P-$h" route add default via 198.18.$d.1
	{
		for line in "$@"; do echo "$line"; done
		echo "phyint eth2 disable"
		echo "tunnel $L $R $encap mtu ${TUNNEL_MTU:-1400}"
	} >"$TMP/$rA.conf"
	{
		for line in "$@"; do echo "$line"; done
		echo "phyint eth1 disable"
		echo "tunnel $R $L $encap mtu ${TUNNEL_MTU:-1400}"
	} >"$TMP/$rB.conf"
}

tunnel_json() {
	mctl "$1" -j show tunnels | grep -o "\"$2\":[^,}]*" | head -n 1 |
	    cut -d: -f2- | tr -d '"'
}

two_way() {
	mctl "$1" -j show neighbors | tr '{' '\n' |
	    grep "\"interface\":\"mtun0\"" | grep "\"address\":\"$2\"" |
	    grep -q '"state":"two-way"'
}

mtun_devices() {
	nsx "$1" ip -o link show | awk -F': ' '$2 ~ /^mtun/ { sub(/@.*/, "", $2); print $2 }' |
	    sort | tr '\n' ' ' | sed 's/ $//'
}
