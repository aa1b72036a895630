"""Captures written by the command-line tests (test/cli/t_dump_*.sh):
IPv4 packets built field by field, in Ethernet or Linux cooked v2 frames,
in a pcap file.  Imported: sys.path.insert(0, "test/cli")."""
import struct


def csum(b):
    """RFC 1071 Internet checksum."""
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def ipv4(src, dst, proto, payload, ra, tos=0xc0, ttl=1, frag=0):
    """An IPv4 packet, its header checksum right; ra: Router Alert."""
    opts = b'\x94\x04\x00\x00' if ra else b''
    ihl = (20 + len(opts)) // 4
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, tos, ihl * 4 + len(payload),
                    0, frag, ttl, proto, 0, ip4(src), ip4(dst)) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def eth(pkt):
    return b'\x01\x00\x5e\x00\x00\x01' + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00' + pkt


def sll2(pkt, ifindex, pkttype):
    return struct.pack('!HHIHBB8s', 0x0800, 0, ifindex, 1, pkttype, 6,
                       b'\x02\x00\x00\x00\x00\x01\x00\x00') + pkt


def write(path, linktype, frames):
    """A pcap file, frame i captured at 1700000000 + i seconds."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(fr), len(fr)))
            f.write(fr)
