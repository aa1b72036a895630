/*
 * Interfaces and multicast sockets: join/leave (ASM and SSM, IPv4 and IPv6,
 * through the family-independent MCAST_* calls of RFC 3678), TTL/hop limit,
 * loop, outgoing interface.
 */
#ifndef MCAST_SOCK_H
#define MCAST_SOCK_H

#include <stdbool.h>
#include <net/if.h>
#include <mcast/addr.h>

struct mc_iface {
	char name[IF_NAMESIZE];
	unsigned index;
	unsigned flags; /* IFF_* */
	bool has_v4;
	struct in_addr v4; /* first IPv4 address, if any */
};

/*
 * Resolve "eth0", "3" (an index) or "198.18.1.2" (an address on it).
 * MC_E_NO_SUCH_IFACE when nothing matches.  The caller checks IFF_MULTICAST
 * (mc_iface_check_multicast) where it matters.
 */
int mc_iface_resolve(const char *spec, struct mc_iface *out);
int mc_iface_by_index(unsigned index, struct mc_iface *out);
/* 0, or MC_E_NO_MULTICAST_FLAG. */
int mc_iface_check_multicast(const struct mc_iface *iface);

/*
 * A UDP socket ready to receive GROUP:PORT: SO_REUSEADDR, bound to the group
 * and port (so it sees only that group; an IPv6 link-scope group is bound
 * with ifindex as its zone, or to :: when ifindex is 0), IP_MULTICAST_ALL /
 * IPV6_MULTICAST_ALL off (so it sees only what it joined), a receive buffer
 * of rcvbuf bytes (0 = leave the default), kernel receive timestamps on.
 * Returns the fd or a negative code.  It does not join: call mc_join().
 */
int mc_socket_rx(const struct mc_endpoint *group, unsigned ifindex, int rcvbuf);

/* A UDP socket for sending to family's groups, bound to port (0 = any). */
int mc_socket_tx(sa_family_t family, uint16_t port, int sndbuf);

/*
 * Join or leave group on ifindex (0 = let the kernel choose by route).
 * source == NULL is an any-source join (MCAST_JOIN_GROUP); otherwise a
 * source-specific one (MCAST_JOIN_SOURCE_GROUP).
 */
int mc_join(int fd, const struct mc_ip *group, unsigned ifindex,
    const struct mc_ip *source);
int mc_leave(int fd, const struct mc_ip *group, unsigned ifindex,
    const struct mc_ip *source);

int mc_set_ttl(int fd, sa_family_t family, int ttl); /* 0-255 */
int mc_set_loop(int fd, sa_family_t family, bool loop);
int mc_set_out_iface(int fd, sa_family_t family, unsigned ifindex);
int mc_set_bufsize(int fd, int optname, int bytes); /* SO_RCVBUF/SO_SNDBUF */

#endif
