#!/usr/bin/env python3
"""Facts from a tcpdump capture (pcap, Ethernet) of IGMP and mcast streams,
for the labs and benchmarks that time things by the packets on the wire.

  pcap_mcast.py streams FILE
      one line per mcast datagram, in capture order: GROUP SEQUENCE TOTAL
      (the mcast header: include/mcast/dgram.h)
  pcap_mcast.py join-leave FILE GROUP HOST
      KEY=VALUE lines about one host joining and leaving GROUP (IGMPv2):
      report, first, first_sent, first_fresh, leave, last (epoch seconds),
      before (datagrams to GROUP before the report), after_leave (after
      the leave), queries (group-specific queries for GROUP after the
      leave) and last_query; a key is empty when its packet is not in the
      capture
  pcap_mcast.py spread FILE START_MS END_MS TAIL_MS
      how many groups the datagrams of the capture went to, and when each
      was seen first: groups, tail_groups (seen in the last TAIL_MS before
      END_MS), t50_ms, t90_ms, t100_ms (from START_MS until half, 90% and
      all the groups seen had been seen)
"""
import socket
import struct
import sys

IGMP_QUERY = 0x11
IGMP_V2_REPORT = 0x16
IGMP_V2_LEAVE = 0x17
MCAST_MAGIC = b"MCST"


def packets(path):
    """(time, src, dst, protocol, payload) of each IPv4 packet."""
    data = open(path, "rb").read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        raise SystemExit("%s: not a pcap file" % path)
    frac = 1e-9 if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 1e-6
    off = 24
    while off + 16 <= len(data):
        sec, sub, incl = struct.unpack(order + "III", data[off:off + 12])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        yield (sec + sub * frac, socket.inet_ntoa(ip[12:16]),
               socket.inet_ntoa(ip[16:20]), ip[9], ip[ihl:])


def mcast_header(udp):
    """(total, sequence, send_time_ns) of an mcast datagram, or None."""
    mc = udp[8:]
    if len(mc) < 32 or mc[:4] != MCAST_MAGIC:
        return None
    return struct.unpack(">IQQ", mc[12:32])


def streams(path):
    for _, _, dst, proto, payload in packets(path):
        if proto != 17:
            continue
        h = mcast_header(payload)
        if h is not None:
            print(dst, h[1], h[0])


def join_leave(path, group, host):
    facts = dict(report="", first="", first_sent="", first_fresh="",
                 leave="", last="", before=0, after_leave=0, queries=0,
                 last_query="")
    for t, src, dst, proto, payload in packets(path):
        if proto == 2 and len(payload) >= 8:
            kind = payload[0]
            igmp_group = socket.inet_ntoa(payload[4:8])
            if igmp_group != group:
                continue
            if kind == IGMP_QUERY and facts["leave"] != "":
                facts["queries"] += 1
                facts["last_query"] = t
            if src != host:
                continue
            if kind == IGMP_V2_REPORT and facts["report"] == "":
                facts["report"] = t
            elif kind == IGMP_V2_LEAVE and facts["leave"] == "" and \
                    facts["report"] != "":
                facts["leave"] = t
            continue
        if proto != 17 or dst != group:
            continue
        if facts["report"] == "":
            facts["before"] += 1
            continue
        h = mcast_header(payload)
        sent = h[2] / 1e9 if h is not None else None
        if facts["first"] == "":
            facts["first"] = t
            facts["first_sent"] = sent if sent is not None else ""
        if facts["first_fresh"] == "" and sent is not None and \
                sent >= facts["report"]:
            facts["first_fresh"] = t
        facts["last"] = t
        if facts["leave"] != "":
            facts["after_leave"] += 1
    for key, value in facts.items():
        print("%s=%s" % (key, "%.6f" % value if isinstance(value, float)
                         else value))


def spread(path, start_ms, end_ms, tail_ms):
    first = {}
    tail = set()
    for t, _, dst, proto, _ in packets(path):
        if proto != 17:
            continue
        ms = t * 1000
        if dst not in first:
            first[dst] = ms
        if end_ms - tail_ms <= ms <= end_ms:
            tail.add(dst)
    times = sorted(first.values())

    def until(share):
        if not times:
            return ""
        i = max(0, min(len(times) - 1, int(len(times) * share + 0.999999) - 1))
        return "%.0f" % (times[i] - start_ms)

    print("groups=%d" % len(first))
    print("tail_groups=%d" % len(tail))
    print("t50_ms=%s" % until(0.5))
    print("t90_ms=%s" % until(0.9))
    print("t100_ms=%s" % until(1.0))


def main(argv):
    if len(argv) == 3 and argv[1] == "streams":
        streams(argv[2])
    elif len(argv) == 5 and argv[1] == "join-leave":
        join_leave(argv[2], argv[3], argv[4])
    elif len(argv) == 6 and argv[1] == "spread":
        spread(argv[2], float(argv[3]), float(argv[4]), float(argv[5]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
