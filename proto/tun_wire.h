/*
 * The wire side of mcastd's user-space tunnels (daemon/tun.c), without
 * I/O: what a datagram read from a tunnel's TUN device may be to be
 * carried, and what an encapsulated packet that arrived must be to be
 * written into it.  Two encapsulations: RFC 2003 IP-in-IP (protocol 4, the
 * outer header is the kernel's) and UDP (the datagram is the payload).
 */
#ifndef MCAST_PROTO_TUN_WIRE_H
#define MCAST_PROTO_TUN_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define TUN_WIRE_IPIP_OVERHEAD 20 /* the outer IPv4 header */
#define TUN_WIRE_UDP_OVERHEAD  28 /* and UDP's */

enum tun_wire_verdict {
	TUN_WIRE_OK,
	TUN_WIRE_FOREIGN,	/* encapsulated, not from the far end */
	TUN_WIRE_MALFORMED,	/* no IPv4 datagram (inner or outer) */
	TUN_WIRE_OVERSIZE,	/* bigger than the tunnel's MTU */
	TUN_WIRE_FRAGMENT,	/* the first fragment of a datagram the kernel
				split: it was bigger than the MTU */
	TUN_WIRE_FRAGMENT_TAIL, /* a later fragment */
	TUN_WIRE_NOT_IPV4,	/* IPv6 and the like: not carried */
	TUN_WIRE_VERDICTS,
};

const char *tun_wire_verdict_name(enum tun_wire_verdict v);

/*
 * An IPv4 datagram of len bytes to be carried by a tunnel of MTU mtu (read
 * from its device): OK, or why not.  Fragments are not carried: a datagram
 * the kernel had to split for the MTU is dropped whole.
 */
enum tun_wire_verdict tun_wire_check_out(const uint8_t *p, size_t len,
    unsigned mtu);
/*
 * An inner datagram that arrived (after its outer headers): OK with
 * *inner_len its IPv4 total length (<= len: what follows is padding),
 * MALFORMED, or OVERSIZE (more than mtu).
 */
enum tun_wire_verdict tun_wire_check_in(const uint8_t *p, size_t len,
    unsigned mtu, size_t *inner_len);
/*
 * A packet of protocol 4 as a raw socket gives it (outer IPv4 header
 * included): OK when it is from remote to local and carries a good inner
 * datagram (*inner, *inner_len), or FOREIGN, MALFORMED, OVERSIZE.
 */
enum tun_wire_verdict tun_wire_decap_ipip(const uint8_t *p, size_t len,
    struct in_addr local, struct in_addr remote, unsigned mtu,
    const uint8_t **inner, size_t *inner_len);

#endif
