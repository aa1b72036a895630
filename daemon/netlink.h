/*
 * Interfaces and IPv4 addresses as the kernel announces them (rtnetlink,
 * through libmnl): an initial dump, then events as links appear, go up or
 * down, disappear, and addresses change.
 */
#ifndef MCASTD_NETLINK_H
#define MCASTD_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

enum netlink_kind {
	NETLINK_LINK_NEW, /* a link appeared or changed (flags, name) */
	NETLINK_LINK_DEL,
	NETLINK_ADDR_NEW,
	NETLINK_ADDR_DEL,
};

struct netlink_msg {
	enum netlink_kind kind;
	unsigned ifindex;
	char name[IF_NAMESIZE]; /* links */
	unsigned flags;		/* links: IFF_* */
	struct in_addr addr;	/* addresses */
	uint8_t prefix_len;
};

typedef void (*netlink_cb)(void *arg, const struct netlink_msg *m);

/* An entry of the kernel's multicast forwarding cache, with its counters. */
struct netlink_mfc {
	struct in_addr source;
	struct in_addr group;
	unsigned iif; /* the VIF */
	uint64_t packets;
	uint64_t bytes;
	uint64_t wrong_if;
};

typedef void (*netlink_mfc_cb)(void *arg, const struct netlink_mfc *m);

struct netlink;

/* events: subscribed to link and IPv4 address changes; else for dumps. */
struct netlink *netlink_open(bool events);
void netlink_close(struct netlink *n);
int netlink_fd(const struct netlink *n);
/* Dump every link, then every IPv4 address, through cb.  0 or -errno. */
int netlink_dump(struct netlink *n, netlink_cb cb, void *arg);
/*
 * Every entry of the kernel's IPv4 multicast forwarding cache with its
 * counters (RTM_GETROUTE for RTNL_FAMILY_IPMR): one dump instead of an
 * ioctl per entry.  Use a netlink of its own (events would interleave).
 * 0 or -errno.
 */
int netlink_mfc_dump(struct netlink *n, netlink_mfc_cb cb, void *arg);
/* Read pending events (non-blocking).  0 or -errno (-ENOBUFS: events were
 * lost; dump again). */
int netlink_read(struct netlink *n, netlink_cb cb, void *arg);

#endif
