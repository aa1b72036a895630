#!/usr/bin/env python3
"""What a receiver of an MPEG-TS stream should count when a known share of
its datagrams is dropped, from a capture of all of them (t_recv_rtp.sh).

  ts_drops.py FILE PORT N RTP
      FILE: a pcap (Ethernet) taken before the drop, with every datagram to
      UDP port PORT in the order the drop rule saw them; the rule dropped
      each whose index (from 0) is N-1 modulo N.  RTP is 1 when each
      datagram is an RTP packet (12-byte header, no CSRC or extension)
      around the TS packets, 0 for TS straight over UDP.
      Prints one line per PID (but the null PID): PID PACKETS CC_ERRORS
      CC_LOST, the packets that arrived, the continuity breaks a receiver
      sees (runs of lost packets with payload between two that arrived)
      and the packets with payload those runs held.  The counting is the
      plain reading of ISO/IEC 13818-1 2.4.3.3 on what was sent, not a
      replay of the continuity counters.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap_mcast import packets  # noqa: E402


def main():
    path, port, n, rtp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
    per_pid = {}  # pid -> list of (dropped, has_payload)
    index = 0
    for _t, _src, _dst, proto, payload in packets(path):
        if proto != 17 or len(payload) < 8:
            continue
        if struct.unpack("!H", payload[2:4])[0] != port:
            continue
        data = payload[8:]
        if rtp:
            data = data[12:]
        dropped = index % n == n - 1
        index += 1
        for off in range(0, len(data) - 187, 188):
            p = data[off:off + 188]
            if p[0] != 0x47:
                continue
            pid = (p[1] & 0x1F) << 8 | p[2]
            if pid == 0x1FFF:
                continue
            per_pid.setdefault(pid, []).append((dropped, (p[3] >> 4) & 1 == 1))
    for pid in sorted(per_pid):
        seq = per_pid[pid]
        arrived = [i for i, (d, _) in enumerate(seq) if not d]
        errors = lost = 0
        if arrived:
            in_run = False
            for d, payload in seq[arrived[0]:arrived[-1] + 1]:
                if d and payload:
                    lost += 1
                    if not in_run:
                        errors += 1
                    in_run = True
                elif not d:
                    in_run = False
        print(pid, len(arrived), errors, lost)


if __name__ == "__main__":
    main()
