#!/usr/bin/env bash
# TTL and loopback behave as the HOWTO (2.3.1, 2.3.2, 6.1, 6.2) says:
# TTL 0 stays on the host, TTL 1 stays on the subnet, a router forwards only
# datagrams whose TTL exceeds its threshold (smcroute as the router),
# the TTL on the wire is the one asked for, and --no-loop keeps local members
# from hearing their own host.
. "$(dirname "$0")/lib.sh"
require_lab
command -v smcrouted >/dev/null || { not_ok "smcrouted missing (scripts/deps.sh installs smcroute)"; exit 1; }
lan_lab 2
# r: a router between the LAN (eth0, 198.18.1.1) and h3 (198.18.2.0/24).
attach_host r 1
new_ns h3
p2p_link r eth1 198.18.2.1/24 h3 eth0 198.18.2.2/24
nsx h3 ip route add 224.0.0.0/4 dev eth0
nsx r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.default.rp_filter=0
G=239.1.2.3

# count HOST PORT SECONDS [ARGS]: datagrams recv got (prints a number).
start_recv() { # HOST PORT OUTFILE
	bg "$1" "$MCAST" recv -i eth0 -d 2 --json "$G:$2" >"$3"
	wait_for 5 joined "$1" $G || not_ok "$1 joined $G"
}

# 1. TTL 0: the local member gets it, the LAN does not.
start_recv h1 6000 "$TMP/t0-local.json"; p1=$LAST_PID
start_recv h2 6000 "$TMP/t0-lan.json"; p2=$LAST_PID
nsx h1 "$MCAST" send -i eth0 -t 0 --loop -c 20 -r 1000 -q $G:6000
wait $p1 $p2
expect_eq "TTL 0: the sending host's member got 20" "$(json_field "$TMP/t0-local.json" received)" 20
expect_eq "TTL 0: nothing reached the LAN" "$(json_field "$TMP/t0-lan.json" received)" 0

# 2. --no-loop: the LAN gets all, the sender's own host nothing; --loop both.
start_recv h1 6001 "$TMP/nl-local.json"; p1=$LAST_PID
start_recv h2 6001 "$TMP/nl-lan.json"; p2=$LAST_PID
nsx h1 "$MCAST" send -i eth0 --no-loop -c 20 -r 1000 -q $G:6001
nsx h1 "$MCAST" send -i eth0 --loop -c 30 -r 1000 -q $G:6001
wait $p1 $p2
expect_eq "--no-loop then --loop: local member got only the 30 looped" "$(json_field "$TMP/nl-local.json" received)" 30
expect_eq "--no-loop then --loop: LAN member got all 50" "$(json_field "$TMP/nl-lan.json" received)" 50

# 3. The TTL on the wire is the one asked for (tcpdump on the receiver).
bg h2 tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/ttl.pcap" udp port 6002 2>/dev/null
tcpd=$LAST_PID
capture_ready "$TMP/ttl.pcap"
nsx h1 "$MCAST" send -i eth0 -t 7 -c 3 -r 100 -q $G:6002
nsx h1 "$MCAST" send -i eth0 -t 200 -c 2 -r 100 -q $G:6002
sleep 0.5; kill $tcpd; wait $tcpd 2>/dev/null
ttls=$(tshark -r "$TMP/ttl.pcap" -T fields -e ip.ttl 2>/dev/null | tr '\n' ' ')
expect_eq "IP TTL on the wire" "$ttls" "7 7 7 200 200 "

# 4. A router forwards only TTL > threshold (smcroute, threshold 1).
cat >"$TMP/smcroute.conf" <<CONF
phyint eth0 enable ttl-threshold 1
phyint eth1 enable ttl-threshold 1
mroute from eth0 source 198.18.1.2 group $G to eth1
CONF
bg r smcrouted -n -N -f "$TMP/smcroute.conf" -u "$TMP/smc.sock" -P "$TMP/smc.pid" -l err
wait_for 5 eval "nsx r ip mroute show | grep -q $G" || not_ok "smcroute installed the route"
start_recv h3 6003 "$TMP/ttl1.json"; p3=$LAST_PID
nsx h1 "$MCAST" send -i eth0 -t 1 -c 20 -r 1000 -q $G:6003
wait $p3
expect_eq "TTL 1 is not forwarded past the router" "$(json_field "$TMP/ttl1.json" received)" 0
start_recv h3 6004 "$TMP/ttl2.json"; p3=$LAST_PID
bg h3 tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/fwd.pcap" udp port 6004 2>/dev/null
tcpd=$LAST_PID
sleep 1
nsx h1 "$MCAST" send -i eth0 -t 2 -c 20 -r 1000 -q $G:6004
wait $p3
expect_eq "TTL 2 is forwarded past the router" "$(json_field "$TMP/ttl2.json" received)" 20
kill $tcpd; wait $tcpd 2>/dev/null
expect_eq "the router decremented TTL 2 to 1" "$(tshark -r "$TMP/fwd.pcap" -T fields -e ip.ttl 2>/dev/null | sort -u)" 1

# 5. The HOWTO's TTL scope table, and the scope a sender is told.
expect_eq "addr --ttl-table rows" "$("$MCAST" addr --ttl-table | tail -n +2 | tr -s ' ' | tr '\n' ';')" \
    "0 host;1 subnet;2-31 site;32-63 region;64-127 continent;128-255 global;"
nsx h1 "$MCAST" send -i eth0 -t 64 -c 1 --json $G:6005 >"$TMP/s.json"
expect_eq "send --json names the TTL's scope" "$(json_field "$TMP/s.json" ttl_scope)" continent
finish
