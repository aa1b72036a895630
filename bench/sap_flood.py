#!/usr/bin/env python3
"""SAP announcements for bench/sap.sh, sent to 239.255.255.255:9875 (TTL 1).

    sap_flood.py flood N          N distinct announcements (origin, hash and
                                  o= session id each their own), flat out
    sap_flood.py paced N RATE     the same, at most RATE a second
    sap_flood.py sdp DIR K N      write N SDP files for announcer K into DIR

Prints "sent N SECONDS" (sender-counted) for flood and paced.
"""
import socket
import struct
import sys
import time


def sdp(k, i):
    return ("v=0\r\no=bench %d%05d 1 IN IP4 198.18.1.%d\r\ns=Bench %d.%d\r\n"
            "c=IN IP4 239.255.%d.%d/1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 96\r\n"
            "a=rtpmap:96 L16/48000/2\r\n" % (k, i, k + 1, k, i, 100 + k,
                                              i % 250 + 1)).encode()


def packet(i):
    origin = socket.inet_aton("198.18.%d.%d" % (200 + i // 65535 // 250,
                                                i // 65535 % 250 + 1))
    return (bytes([0x20, 0]) + struct.pack("!H", i % 65535 + 1) + origin +
            b"application/sdp\0" + sdp(i // 100000, i % 100000))


def send(n, rate):
    pkts = [packet(i) for i in range(n)]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    dst = ("239.255.255.255", 9875)
    t0 = time.monotonic()
    sent = 0
    for p in pkts:
        while True:
            try:
                s.sendto(p, dst)
                break
            except BlockingIOError:
                time.sleep(0.0005)
        sent += 1
        if rate and sent % 100 == 0:
            ahead = t0 + sent / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    print("sent %d %.4f" % (sent, time.monotonic() - t0))


def main():
    if sys.argv[1] == "flood":
        send(int(sys.argv[2]), 0)
    elif sys.argv[1] == "paced":
        send(int(sys.argv[2]), float(sys.argv[3]))
    elif sys.argv[1] == "sdp":
        d, k, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for i in range(n):
            with open("%s/a%d-%d.sdp" % (d, k, i), "wb") as f:
                f.write(sdp(k, i))


main()
