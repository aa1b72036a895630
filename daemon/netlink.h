/*
 * Interfaces and IPv4 addresses as the kernel announces them (rtnetlink,
 * through libmnl): an initial dump, then events as links appear, go up or
 * down, disappear, and addresses change.
 */
#ifndef MCASTD_NETLINK_H
#define MCASTD_NETLINK_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

enum netlink_kind {
	NETLINK_LINK_NEW,	/* a link appeared or changed (flags, name) */
	NETLINK_LINK_DEL,
	NETLINK_ADDR_NEW,
	NETLINK_ADDR_DEL,
};

struct netlink_msg {
	enum netlink_kind	kind;
	unsigned		ifindex;
	char			name[IF_NAMESIZE];	/* links */
	unsigned		flags;			/* links: IFF_* */
	struct in_addr		addr;			/* addresses */
	uint8_t			prefix_len;
};

typedef void (*netlink_cb)(void *arg, const struct netlink_msg *m);

struct netlink;

struct netlink	*netlink_open(void);
void		 netlink_close(struct netlink *n);
int		 netlink_fd(const struct netlink *n);
/* Dump every link, then every IPv4 address, through cb.  0 or -errno. */
int		 netlink_dump(struct netlink *n, netlink_cb cb, void *arg);
/* Read pending events (non-blocking).  0 or -errno (-ENOBUFS: events were
 * lost; dump again). */
int		 netlink_read(struct netlink *n, netlink_cb cb, void *arg);

#endif
