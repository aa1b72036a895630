#!/usr/bin/env bash
# mcast dump decodes every mtrace message of tcpdump's capture and of the
# mrouted 4.6 capture (../shared/vectors) as tshark does, down to every
# field of every response block: arrival time, interfaces, previous hop,
# the three counters, protocol, TTL, the MBZ and S bits, the source mask
# and the forwarding code; and its text names the codes as mtrace does.
source "$(dirname "$0")/lib.sh"
V=${VECTORS:-$TOP/../shared/vectors/tcpdump}
M=${MROUTED_VECTORS:-$V/../mrouted}
if ! command -v tshark >/dev/null; then
	echo "ok - mtrace blocks against tshark # SKIP no tshark (scripts/deps.sh installs it)"
	exit 0
fi
if [ ! -f "$V/mtrace.pcap" ] || [ ! -f "$M/mrouted46-lan.pcap" ]; then
	echo "ok - mtrace blocks against tshark # SKIP no $V/mtrace.pcap or $M/mrouted46-lan.pcap"
	exit 0
fi
fields="igmp.type igmp.mtrace.max_hops igmp.maddr igmp.mtrace.saddr
	igmp.mtrace.raddr igmp.mtrace.rspaddr igmp.mtrace.resp_ttl
	igmp.mtrace.q_id igmp.mtrace.q_arrival igmp.mtrace.q_inaddr
	igmp.mtrace.q_outaddr igmp.mtrace.q_prevrtr igmp.mtrace.q_inpkt
	igmp.mtrace.q_outpkt igmp.mtrace.q_total igmp.mtrace.q_rtg_proto
	igmp.mtrace.q_fwd_ttl igmp.mtrace.q_mbz igmp.mtrace.q_s
	igmp.mtrace.q_src_mask igmp.mtrace.q_fwd_code"
for pcap in "$V/mtrace.pcap" "$M/mrouted46-lan.pcap"; do
	name=$(basename "$pcap")
	command tshark -r "$pcap" -Y 'igmp.type == 0x1e || igmp.type == 0x1f' \
	    -T fields -E separator='|' -E aggregator=',' \
	    $(printf -- '-e %s ' $fields) >"$tmp/$name.tshark" 2>/dev/null
	"$MCAST" dump -r "$pcap" --json 'igmp[0] = 0x1e or igmp[0] = 0x1f' \
	    >"$tmp/$name.json" 2>"$tmp/err" ||
	    not_ok "mcast dump -r $name: $(head -c 200 "$tmp/err")"
	python3 - "$tmp/$name.tshark" "$tmp/$name.json" "$name" <<'PY'
import json, sys
tsh = [l.rstrip('\n').split('|') for l in open(sys.argv[1]) if l.strip()]
ours = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
name = sys.argv[3]
bad = 0
if len(tsh) != len(ours) or not ours:
    print("not ok - %s: tshark has %d mtrace frames, mcast dump %d" % (name, len(tsh), len(ours)))
    sys.exit(1)
def num(x):
    return int(x, 0)
for i, (t, o) in enumerate(zip(tsh, ours), 1):
    m = o["mtrace"]
    want = [num(t[0]), num(t[1]), t[2], t[3], t[4], t[5], num(t[6]), num(t[7])]
    got = [o["type"], m["hops"], o["group"], m["source"], m["dest"],
           m["response_addr"], m["response_ttl"], m["query_id"]]
    blocks = [c.split(',') if c else [] for c in t[8:]]
    n = len(blocks[0])
    want.append(n)
    got.append(len(m["responses"]))
    for k in range(n):
        b = [c[k] for c in blocks]
        want.append([num(b[0]), b[1], b[2], b[3], num(b[4]), num(b[5]), num(b[6]),
                     num(b[7]), num(b[8]), num(b[9]) != 0, num(b[10]) != 0,
                     num(b[11]), num(b[12])])
        r = m["responses"][k] if k < len(m["responses"]) else {}
        got.append([r.get("arrival"), r.get("in"), r.get("out"), r.get("prev_hop"),
                    r.get("in_pkts"), r.get("out_pkts"), r.get("sg_pkts"),
                    r.get("proto_code"), r.get("fwd_ttl"), r.get("mbz"), r.get("s"),
                    r.get("mask_len"), r.get("fwd_code_value")])
    if want != got or m.get("error") is not None:
        print("not ok - %s frame %d: tshark %s, mcast dump %s" % (name, i, want, got))
        bad = 1
if not bad:
    print("ok - %s: %d mtrace frames, every header field and block as tshark decodes them" % (name, len(ours)))
sys.exit(bad)
PY
	[ $? = 0 ] || CLI_FAILED=1
done
expect_eq "text: mrouted's response names its hops' codes" \
    "$("$MCAST" dump -r "$M/mrouted46-lan.pcap" 'igmp[0] = 0x1e' | head -n 1 | grep -o '\[[0-9]: [^]]*\]')" \
    "[1: 198.18.2.2 -> 198.18.3.1 from 198.18.2.1 DVMRP thresh 1 /24 prune sent, pkts in 2069 out 2069 sg 2069]
[2: 198.18.1.1 -> 198.18.2.1 from 0.0.0.0 DVMRP thresh 1 /24 prune received, pkts in 3000 out 2069 sg 3000]"
finish
