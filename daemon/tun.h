/*
 * mcastd's tunnels (tunnel statements of mcastd.conf): each a TUN device
 * that the router takes as a VIF like any interface, and a socket to the
 * far end.  What the kernel forwards into the device is read here and sent
 * to REMOTE, encapsulated (IP-in-IP through a raw socket, or UDP); what
 * comes from REMOTE is written into the device, where the kernel checks
 * its reverse path and forwards it.  Anything else is counted and dropped.
 */
#ifndef MCASTD_TUN_H
#define MCASTD_TUN_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "conf.h"
#include "loop.h"
#include "tun_wire.h"

/* Reads of a device or a socket per turn of the loop: a flood through a
   tunnel takes its turn with the routing socket, not all of them. */
#define TUN_BUDGET 32

/* The devices' MTU: the tunnel's own is applied by mcastd (tun.c). */
#define TUN_DEVICE_MTU 65535

struct tun_stats {
	uint64_t tx_packets; /* datagrams carried to REMOTE */
	uint64_t tx_bytes;   /* their bytes (the inner datagrams) */
	uint64_t rx_packets; /* datagrams from REMOTE into the device */
	uint64_t rx_bytes;
	uint64_t rx_control;   /* of rx_packets, by the control socket */
	uint64_t tx_oversize;  /* too big for the tunnel: dropped (a datagram
				  the kernel split counts once) */
	uint64_t tx_fragments; /* every fragment dropped with them */
	uint64_t tx_other;     /* not IPv4 (or malformed): dropped */
	uint64_t tx_errors;    /* the socket refused to send */
	uint64_t rx_foreign;   /* encapsulated, not from REMOTE: dropped */
	uint64_t rx_malformed; /* no IPv4 datagram inside: dropped */
	uint64_t rx_oversize;  /* bigger than the MTU: dropped */
	uint64_t rx_errors;    /* reads, and writes into the device */
};

struct tun {
	bool open;
	struct conf_tunnel cfg;
	unsigned mtu;
	unsigned ifindex;
	int fd;	  /* /dev/net/tun */
	int sock; /* raw IPPROTO_IPIP, or UDP bound to LOCAL:port */
	int ctl;  /* the same for the far end's IGMP (DVMRP) only (tun.c) */
	struct loop *loop;
	struct tun *all; /* the set it belongs to (CONF_MAX_TUNNELS) */
	struct tun_stats stats;
};

/*
 * Make the open tunnels those of c: a tunnel whose statement changed in
 * anything but metric and threshold is closed and opened again (the
 * router follows the devices through netlink).  Each failure is logged
 * and leaves that tunnel closed.  tuns has CONF_MAX_TUNNELS entries.
 */
void tun_sync(struct tun *tuns, struct loop *loop, const struct conf *c);
/*
 * mcastd's own packet (IPv4, its header included) leaving by the device
 * ifindex: if that is an open tunnel's, it is checked and sent to the far
 * end here, past the device's queue, where a flood through the tunnel
 * would drop it with the datagrams (the queue drops at its tail, whatever
 * the packet): true (sent, or counted as a failure).  false: not a tunnel.
 */
bool tun_send_own(struct tun *tuns, unsigned ifindex, const uint8_t *pkt,
    size_t len);
/* Close every tunnel (their devices go with them). */
void tun_close_all(struct tun *tuns);

#endif
