#!/usr/bin/env bash
# mcastd under a running flow: `mcastctl reload` (and SIGHUP) with changes
# that do not concern the flow loses no datagram; `kill -9` then a restart
# resumes forwarding (the gap is printed for bench/, asserted only to end
# within 5 s).
#
#  hs 198.18.1.2 --LAN1-- eth0 [r: mcastd] eth1 --LAN2-- ha 198.18.2.2
#                                          eth2 --LAN3-- (no members)
. "$(dirname "$0")/lib.sh"
require_lab
require_mcastd
command -v tshark >/dev/null || { not_ok "tshark missing (scripts/deps.sh installs it)"; exit 1; }
routed_lab hs ha -
G=239.1.7.1
# conf EXTRA-LINES: the configuration with these phyint lines.
conf() {
	cat >"$TMP/mcastd.conf" <<CONF
igmp {
	query-interval 3s
	query-response-interval 1s
	last-member-query-interval 300ms
	robustness 2
}
$*
CONF
}
conf ""
start_mcastd r "$TMP/mcastd.conf" || { not_ok "mcastd started"; exit 1; }

# 1. Reloads during a 3000-datagram flow to eth1: a threshold on eth2 (the
# kernel takes it only by re-adding eth2's VIF), a boundary on eth2, an
# unrelated boundary on eth1 itself, then by SIGHUP a phyint for an
# interface that does not exist.
bg ha "$MCAST" recv -i eth0 -c 3000 -d 15 --json $G:5000 >"$TMP/reload.json"
rpid=$LAST_PID
wait_for 5 has_group r eth1 $G || echo "# the router did not list $G on eth1"
bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -c 3000 --json $G:5000 >"$TMP/reload-send.json"
spid=$LAST_PID
sleep 0.4
reloads=0
for change in "phyint eth2 threshold 32" \
    "phyint eth2 threshold 32 boundary 239.255.0.0/16" \
    "phyint eth2 threshold 32 boundary 239.255.0.0/16
phyint eth1 boundary 239.254.0.0/16"; do
	conf "$change"
	msg=$(mctl r reload 2>&1)
	case $msg in *reloaded*) reloads=$((reloads + 1)) ;; *) echo "# reload: $msg" ;; esac
	sleep 0.4
done
conf "phyint eth2 threshold 32 boundary 239.255.0.0/16
phyint eth1 boundary 239.254.0.0/16
phyint eth7 disable"
kill -HUP $MCASTD_PID
sleep 0.4
wait $spid $rpid
expect_eq "three mcastctl reloads answered 'reloaded'" $reloads 3
expect_eq "mcastd counted four reloads (the last by SIGHUP)" \
    "$(mctl r show stats | awk '$1 == "reloads" { print $2 }')" 4
expect_eq "the sender sent 3000" "$(json_field "$TMP/reload-send.json" packets)" 3000
expect_eq "the receiver got all 3000 through the reloads" "$(json_field "$TMP/reload.json" received)" 3000
expect_eq "... and lost none" "$(stream_counts "$TMP/reload.json" | awk '{ print $4 }')" 0
mctl r show interfaces >"$TMP/ifs.txt"
check "the reload applied eth2's threshold 32 and boundary" \
    grep -qE '^eth2 .* routing +32 .* 239\.255\.0\.0/16 +true +1 *$' "$TMP/ifs.txt"
check "... and eth1's boundary" grep -qE '^eth1 .* routing +1 .* 239\.254\.0\.0/16 +true +1 *$' "$TMP/ifs.txt"
expect_eq "the kernel still has the three VIFs" \
    "$(nsx r awk 'NR > 1 { print $2 }' /proc/net/ip_mr_vif | sort | tr '\n' ' ')" "eth0 eth1 eth2 "

# 2. kill -9 under an 8-second flow, restart at once.
bg ha tcpdump -i eth0 -n -U --immediate-mode -w "$TMP/gap.pcap" udp port 5001 2>/dev/null
tcpd=$LAST_PID
bg ha "$MCAST" recv -i eth0 -d 9 --json $G:5001 >"$TMP/gap.json"
rpid=$LAST_PID
wait_for 5 has_group r eth1 $G || echo "# the router did not list $G on eth1"
bg hs "$MCAST" send -i eth0 -t 8 -r 1000 -c 8000 --json $G:5001 >"$TMP/gap-send.json"
spid=$LAST_PID
sleep 2
old=$MCASTD_PID
kill -9 $old
wait $old 2>/dev/null
killed=$(now_ms)
expect_eq "kill -9: the kernel dropped the VIFs with the socket" \
    "$(nsx r awk 'NR > 1' /proc/net/ip_mr_vif | wc -l)" 0
check "kill -9 left the pid file and the socket behind" test -e "$TMP/r.pid" -a -S "$TMP/r.sock"
if start_mcastd r "$TMP/mcastd.conf"; then
	ok "mcastd restarts over a stale pid file and socket"
else
	not_ok "mcastd restarts over a stale pid file and socket"
fi
expect_eq "the pid file names the new mcastd" "$(cat "$TMP/r.pid" 2>/dev/null)" "$MCASTD_PID"
wait $spid $rpid
sleep 0.2
kill $tcpd; wait $tcpd 2>/dev/null
sent=$(json_field "$TMP/gap-send.json" packets)
got=$(json_field "$TMP/gap.json" received)
lost=$(stream_counts "$TMP/gap.json" | awk '{ print $4 }')
# The silence at the receiver around the kill: from the last datagram
# before it to the first after it, and how long after the kill that was.
read -r gap_ms back_ms < <(tshark -r "$TMP/gap.pcap" -T fields -e frame.time_epoch 2>/dev/null |
    awk -v k="$killed" '{ t = $1 * 1000 } t <= k { p = t } t > k && !b { b = t }
	END { if (p && b) printf "%.0f %.0f\n", b - p, b - k }')
echo "# gap: ${lost:-?} datagrams, ${gap_ms:-?} ms (kill -9 and restart under 1000 datagrams/s; forwarding back ${back_ms:-?} ms after the kill)"
expect_eq "the sender sent 8000" "$sent" 8000
check "forwarding resumed: datagrams arrived after the restart (got ${got:-0}, lost ${lost:-?})" \
    test "${got:-0}" -gt 2000 -a $((${got:-0} + ${lost:-0})) -ge 7000
check "forwarding resumed within 5 s of the kill (${back_ms:-?} ms)" test "${back_ms:-99999}" -le 5000
check "mcastd still runs" kill -0 $MCASTD_PID
finish
