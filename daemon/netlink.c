/* rtnetlink through libmnl: links and IPv4 addresses. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "netlink.h"

struct netlink {
	struct mnl_socket *nl;
	unsigned portid;
	uint32_t seq;
	netlink_cb cb;
	netlink_mfc_cb mfc_cb;
	void *arg;
};

struct netlink *
netlink_open(bool events)
{
	struct netlink *n = calloc(1, sizeof(*n));
	int one = 1;

	if (n == NULL)
		return NULL;
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (n->nl == NULL ||
	    mnl_socket_bind(n->nl,
		events ? RTMGRP_LINK | RTMGRP_IPV4_IFADDR : 0,
		MNL_SOCKET_AUTOPID) < 0) {
		if (n->nl)
			mnl_socket_close(n->nl);
		free(n);
		return NULL;
	}
	/* Report ENOBUFS rather than losing events silently. */
	mnl_socket_setsockopt(n->nl, NETLINK_BROADCAST_ERROR, &one,
	    sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = (uint32_t)time(NULL);
	return n;
}

void
netlink_close(struct netlink *n)
{
	if (n == NULL)
		return;
	mnl_socket_close(n->nl);
	free(n);
}

int
netlink_fd(const struct netlink *n)
{
	return mnl_socket_get_fd(n->nl);
}

static int
netlink_link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK;
	if (type == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_STRING) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int
netlink_addr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == IFA_LOCAL || type == IFA_ADDRESS) &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY, 4) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int
netlink_route_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, RTA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == RTA_SRC || type == RTA_DST) &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY, 4) < 0)
		return MNL_CB_OK;
	if (type == RTA_IIF && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	if (type == RTA_MFC_STATS &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY,
		sizeof(struct rta_mfc_stats)) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

/* An MFC entry of the dump (RTNL_FAMILY_IPMR). */
static int
netlink_mfc_msg(struct netlink *n, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { NULL };
	struct rta_mfc_stats st;
	struct netlink_mfc m;

	if (rtm->rtm_family != RTNL_FAMILY_IPMR || n->mfc_cb == NULL)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), netlink_route_attr, tb);
	if (tb[RTA_SRC] == NULL || tb[RTA_DST] == NULL)
		return MNL_CB_OK;
	memset(&m, 0, sizeof(m));
	memcpy(&m.source, mnl_attr_get_payload(tb[RTA_SRC]), 4);
	memcpy(&m.group, mnl_attr_get_payload(tb[RTA_DST]), 4);
	if (tb[RTA_IIF])
		m.iif = mnl_attr_get_u32(tb[RTA_IIF]);
	if (tb[RTA_MFC_STATS]) {
		memcpy(&st, mnl_attr_get_payload(tb[RTA_MFC_STATS]),
		    sizeof(st));
		m.packets = st.mfcs_packets;
		m.bytes = st.mfcs_bytes;
		m.wrong_if = st.mfcs_wrong_if;
	}
	n->mfc_cb(n->arg, &m);
	return MNL_CB_OK;
}

static int
netlink_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink *n = data;
	struct netlink_msg m;

	if (nlh->nlmsg_type == RTM_NEWROUTE)
		return netlink_mfc_msg(n, nlh);
	if (n->cb == NULL)
		return MNL_CB_OK;
	memset(&m, 0, sizeof(m));
	if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK) {
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *tb[IFLA_MAX + 1] = { NULL };

		mnl_attr_parse(nlh, sizeof(*ifi), netlink_link_attr, tb);
		m.kind = nlh->nlmsg_type == RTM_NEWLINK ? NETLINK_LINK_NEW :
							  NETLINK_LINK_DEL;
		m.ifindex = (unsigned)ifi->ifi_index;
		m.flags = ifi->ifi_flags;
		if (tb[IFLA_IFNAME])
			snprintf(m.name, sizeof(m.name), "%s",
			    mnl_attr_get_str(tb[IFLA_IFNAME]));
	} else if (nlh->nlmsg_type == RTM_NEWADDR ||
	    nlh->nlmsg_type == RTM_DELADDR) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *tb[IFA_MAX + 1] = { NULL };
		const struct nlattr *a;

		if (ifa->ifa_family != AF_INET)
			return MNL_CB_OK;
		mnl_attr_parse(nlh, sizeof(*ifa), netlink_addr_attr, tb);
		a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
		if (a == NULL)
			return MNL_CB_OK;
		m.kind = nlh->nlmsg_type == RTM_NEWADDR ? NETLINK_ADDR_NEW :
							  NETLINK_ADDR_DEL;
		m.ifindex = ifa->ifa_index;
		m.prefix_len = ifa->ifa_prefixlen;
		memcpy(&m.addr, mnl_attr_get_payload(a), 4);
	} else {
		return MNL_CB_OK;
	}
	n->cb(n->arg, &m);
	return MNL_CB_OK;
}

/* Run callbacks over everything readable; for a dump, until its DONE. */
static int
netlink_run(struct netlink *n, uint32_t seq, bool until_done)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t len;
	int rc;

	for (;;) {
		len = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				if (!until_done)
					return 0;
				continue;
			}
			return -errno;
		}
		rc = mnl_cb_run(buf, (size_t)len, seq,
		    until_done ? n->portid : 0, netlink_msg_cb, n);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc < 0 && errno != ESRCH)
			return -errno;
	}
}

static int
netlink_request(struct netlink *n, uint16_t type, uint8_t family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = family;
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return netlink_run(n, n->seq, true);
}

int
netlink_mfc_dump(struct netlink *n, netlink_mfc_cb cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	n->cb = NULL;
	n->mfc_cb = cb;
	n->arg = arg;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++n->seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = RTNL_FAMILY_IPMR;
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return netlink_run(n, n->seq, true);
}

int
netlink_dump(struct netlink *n, netlink_cb cb, void *arg)
{
	int rc;

	n->cb = cb;
	n->mfc_cb = NULL;
	n->arg = arg;
	rc = netlink_request(n, RTM_GETLINK, AF_UNSPEC);
	if (rc == 0)
		rc = netlink_request(n, RTM_GETADDR, AF_INET);
	return rc;
}

int
netlink_read(struct netlink *n, netlink_cb cb, void *arg)
{
	n->cb = cb;
	n->mfc_cb = NULL;
	n->arg = arg;
	return netlink_run(n, 0, false);
}
