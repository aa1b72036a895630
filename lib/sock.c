/*
 * Interfaces and multicast sockets.  Joins use the protocol-independent
 * MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP of RFC 3678 section 5.
 */
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <mcast/mcast.h>

#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

static int
sock_level(sa_family_t family)
{
	return family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
}

static int
sock_setopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return setsockopt(fd, level, name, val, len) < 0 ? -errno : 0;
}

/* Fill flags and the first IPv4 address of the interface named out->name. */
static int
sock_iface_fill(struct mc_iface *out)
{
	struct ifaddrs *ifa, *p;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (strcmp(p->ifa_name, out->name) != 0)
			continue;
		found = true;
		out->flags = p->ifa_flags;
		if (!out->has_v4 && p->ifa_addr != NULL &&
		    p->ifa_addr->sa_family == AF_INET) {
			out->has_v4 = true;
			out->v4 = ((struct sockaddr_in *)p->ifa_addr)->sin_addr;
		}
	}
	freeifaddrs(ifa);
	return found ? 0 : MC_E_NO_SUCH_IFACE;
}

/* The name of the interface that holds address ip, or -ENOENT. */
static int
sock_iface_by_address(const struct mc_ip *ip, char name[IF_NAMESIZE])
{
	struct ifaddrs *ifa, *p;
	struct mc_ip have;
	int rc = MC_E_NO_SUCH_IFACE;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (p->ifa_addr == NULL ||
		    (p->ifa_addr->sa_family != AF_INET &&
			p->ifa_addr->sa_family != AF_INET6))
			continue;
		mc_ip_from_sockaddr(p->ifa_addr, &have);
		if (mc_ip_equal(&have, ip)) {
			snprintf(name, IF_NAMESIZE, "%s", p->ifa_name);
			rc = 0;
			break;
		}
	}
	freeifaddrs(ifa);
	return rc;
}

int
mc_iface_by_index(unsigned index, struct mc_iface *out)
{
	memset(out, 0, sizeof(*out));
	if (index == 0 || if_indextoname(index, out->name) == NULL)
		return MC_E_NO_SUCH_IFACE;
	out->index = index;
	return sock_iface_fill(out);
}

int
mc_iface_resolve(const char *spec, struct mc_iface *out)
{
	struct mc_ip ip;
	const char *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (spec == NULL || *spec == '\0' || strlen(spec) >= IF_NAMESIZE + 40)
		return MC_E_NO_SUCH_IFACE;
	for (p = spec; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return mc_iface_by_index((unsigned)strtoul(spec, NULL, 10),
		    out);
	if (mc_ip_parse(spec, &ip) == 0) {
		rc = sock_iface_by_address(&ip, out->name);
		if (rc < 0)
			return rc;
	} else {
		if (strlen(spec) >= IF_NAMESIZE)
			return MC_E_NO_SUCH_IFACE;
		strcpy(out->name, spec);
	}
	out->index = if_nametoindex(out->name);
	if (out->index == 0)
		return MC_E_NO_SUCH_IFACE;
	return sock_iface_fill(out);
}

int
mc_iface_check_multicast(const struct mc_iface *iface)
{
	return (iface->flags & IFF_MULTICAST) ? 0 : MC_E_NO_MULTICAST_FLAG;
}

int
mc_set_bufsize(int fd, int optname, int bytes)
{
	int force = optname == SO_RCVBUF ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;

	/* The FORCE variants pass the sysctl caps when we are privileged. */
	if (setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)) == 0)
		return 0;
	return sock_setopt(fd, SOL_SOCKET, optname, &bytes, sizeof(bytes));
}

static bool
sock_needs_zone(const struct mc_ip *ip)
{
	const uint8_t *b = ip->u.v6.s6_addr;

	return ip->family == AF_INET6 && b[0] == 0xff &&
	    ((b[1] & 0x0f) == 1 || (b[1] & 0x0f) == 2);
}

int
mc_socket_rx(const struct mc_endpoint *group, unsigned ifindex, int rcvbuf)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, off = 0, rc;

	fd = socket(group->ip.family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	mc_endpoint_to_sockaddr(group, &ss, &len);
	if (sock_needs_zone(&group->ip)) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		if (ifindex != 0)
			sin6->sin6_scope_id = ifindex;
		else
			sin6->sin6_addr = in6addr_any;
	}
	if ((rc = sock_setopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		 sizeof(one))) < 0)
		goto fail;
	if (group->ip.family == AF_INET)
		rc = sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off,
		    sizeof(off));
	else
		rc = sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &off,
		    sizeof(off));
	if (rc < 0)
		goto fail;
	if ((rc = sock_setopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		 sizeof(one))) < 0)
		goto fail;
	if (rcvbuf > 0 && (rc = mc_set_bufsize(fd, SO_RCVBUF, rcvbuf)) < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		rc = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

int
mc_socket_tx(sa_family_t family, uint16_t port, int sndbuf)
{
	struct sockaddr_storage ss;
	int fd, rc;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	if (sndbuf > 0 && (rc = mc_set_bufsize(fd, SO_SNDBUF, sndbuf)) < 0)
		goto fail;
	if (port != 0) {
		struct mc_endpoint any = { .ip.family = family, .port = port };
		socklen_t len;

		mc_endpoint_to_sockaddr(&any, &ss, &len);
		if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
			rc = -errno;
			goto fail;
		}
	}
	return fd;
fail:
	close(fd);
	return rc;
}

static void
sock_fill_sockaddr(const struct mc_ip *ip, struct sockaddr_storage *ss)
{
	struct mc_endpoint ep = { .ip = *ip, .port = 0 };
	socklen_t len;

	mc_endpoint_to_sockaddr(&ep, ss, &len);
}

static int
sock_membership(int fd, const struct mc_ip *group, unsigned ifindex,
    const struct mc_ip *source, bool join)
{
	if (source != NULL) {
		struct group_source_req gsr;

		if (source->family != group->family)
			return MC_E_FAMILY_MISMATCH;
		memset(&gsr, 0, sizeof(gsr));
		gsr.gsr_interface = ifindex;
		sock_fill_sockaddr(group, &gsr.gsr_group);
		sock_fill_sockaddr(source, &gsr.gsr_source);
		return sock_setopt(fd, sock_level(group->family),
		    join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP,
		    &gsr, sizeof(gsr));
	} else {
		struct group_req gr;

		memset(&gr, 0, sizeof(gr));
		gr.gr_interface = ifindex;
		sock_fill_sockaddr(group, &gr.gr_group);
		return sock_setopt(fd, sock_level(group->family),
		    join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP, &gr,
		    sizeof(gr));
	}
}

int
mc_join(int fd, const struct mc_ip *group, unsigned ifindex,
    const struct mc_ip *source)
{
	if (!mc_ip_is_multicast(group))
		return MC_E_NOT_MULTICAST;
	return sock_membership(fd, group, ifindex, source, true);
}

int
mc_leave(int fd, const struct mc_ip *group, unsigned ifindex,
    const struct mc_ip *source)
{
	if (!mc_ip_is_multicast(group))
		return MC_E_NOT_MULTICAST;
	return sock_membership(fd, group, ifindex, source, false);
}

int
mc_set_ttl(int fd, sa_family_t family, int ttl)
{
	if (ttl < 0 || ttl > 255)
		return -EINVAL;
	if (family == AF_INET)
		return sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		    sizeof(ttl));
	return sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
	    sizeof(ttl));
}

int
mc_set_loop(int fd, sa_family_t family, bool loop)
{
	int v = loop ? 1 : 0;

	if (family == AF_INET)
		return sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v,
		    sizeof(v));
	return sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &v,
	    sizeof(v));
}

int
mc_set_out_iface(int fd, sa_family_t family, unsigned ifindex)
{
	if (family == AF_INET) {
		struct ip_mreqn mreq;

		memset(&mreq, 0, sizeof(mreq));
		mreq.imr_ifindex = (int)ifindex;
		return sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
		    sizeof(mreq));
	}
	int idx = (int)ifindex;

	return sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
	    sizeof(idx));
}
