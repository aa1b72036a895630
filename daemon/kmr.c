/* The kernel's multicast routing socket. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/mroute.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "kmr.h"

static int
kmr_setopt(struct kmr *k, int name, const void *val, socklen_t len)
{
	return setsockopt(k->fd, IPPROTO_IP, name, val, len) < 0 ? -errno : 0;
}

int
kmr_open(struct kmr *k)
{
	int one = 1, zero = 0, rc;

	k->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    IPPROTO_IGMP);
	if (k->fd < 0)
		return -errno;
	if ((rc = kmr_setopt(k, MRT_INIT, &one, sizeof(one))) < 0 ||
	    (rc = kmr_setopt(k, IP_PKTINFO, &one, sizeof(one))) < 0 ||
	    (rc = kmr_setopt(k, IP_HDRINCL, &one, sizeof(one))) < 0 ||
	    (rc = kmr_setopt(k, IP_MULTICAST_LOOP, &zero, sizeof(zero))) < 0) {
		close(k->fd);
		k->fd = -1;
		return rc;
	}
	/* Bursts of reports from thousands of hosts: a deep queue. */
	one = 8 << 20;
	setsockopt(k->fd, SOL_SOCKET, SO_RCVBUFFORCE, &one, sizeof(one));
	return 0;
}

void
kmr_close(struct kmr *k)
{
	if (k->fd < 0)
		return;
	kmr_setopt(k, MRT_DONE, NULL, 0);
	close(k->fd);
	k->fd = -1;
}

int
kmr_vif_add(struct kmr *k, unsigned vif, unsigned ifindex, uint8_t threshold)
{
	struct vifctl vc;

	memset(&vc, 0, sizeof(vc));
	vc.vifc_vifi = (vifi_t)vif;
	vc.vifc_flags = VIFF_USE_IFINDEX;
	vc.vifc_threshold = threshold;
	vc.vifc_lcl_ifindex = (int)ifindex;
	return kmr_setopt(k, MRT_ADD_VIF, &vc, sizeof(vc));
}

int
kmr_vif_del(struct kmr *k, unsigned vif)
{
	struct vifctl vc;

	memset(&vc, 0, sizeof(vc));
	vc.vifc_vifi = (vifi_t)vif;
	return kmr_setopt(k, MRT_DEL_VIF, &vc, sizeof(vc));
}

int
kmr_mfc_add(struct kmr *k, struct in_addr source, struct in_addr group,
    unsigned iif, const uint8_t ttls[KMR_MAXVIFS])
{
	struct mfcctl mc;

	memset(&mc, 0, sizeof(mc));
	mc.mfcc_origin = source;
	mc.mfcc_mcastgrp = group;
	mc.mfcc_parent = (vifi_t)iif;
	memcpy(mc.mfcc_ttls, ttls, KMR_MAXVIFS);
	return kmr_setopt(k, MRT_ADD_MFC, &mc, sizeof(mc));
}

int
kmr_mfc_del(struct kmr *k, struct in_addr source, struct in_addr group)
{
	struct mfcctl mc;

	memset(&mc, 0, sizeof(mc));
	mc.mfcc_origin = source;
	mc.mfcc_mcastgrp = group;
	return kmr_setopt(k, MRT_DEL_MFC, &mc, sizeof(mc));
}

int
kmr_sg_count(struct kmr *k, struct in_addr source, struct in_addr group,
    uint64_t *packets, uint64_t *bytes, uint64_t *wrong_if)
{
	struct sioc_sg_req req;

	memset(&req, 0, sizeof(req));
	req.src = source;
	req.grp = group;
	if (ioctl(k->fd, SIOCGETSGCNT, &req) < 0)
		return -errno;
	*packets = req.pktcnt;
	*bytes = req.bytecnt;
	*wrong_if = req.wrong_if;
	return 0;
}

static int
kmr_membership(struct kmr *k, unsigned ifindex, struct in_addr group, int name)
{
	struct ip_mreqn mreq;

	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_multiaddr = group;
	mreq.imr_ifindex = (int)ifindex;
	return kmr_setopt(k, name, &mreq, sizeof(mreq));
}

int
kmr_join(struct kmr *k, unsigned ifindex, struct in_addr group)
{
	return kmr_membership(k, ifindex, group, IP_ADD_MEMBERSHIP);
}

int
kmr_leave(struct kmr *k, unsigned ifindex, struct in_addr group)
{
	return kmr_membership(k, ifindex, group, IP_DROP_MEMBERSHIP);
}

int
kmr_read(struct kmr *k, uint8_t *buf, size_t cap, struct kmr_event *ev)
{
	char ctrl[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { buf, cap };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctrl,
		.msg_controllen = sizeof(ctrl),
	};
	struct cmsghdr *cm;
	const struct igmpmsg *im;
	ssize_t n;

	memset(ev, 0, sizeof(*ev));
	n = recvmsg(k->fd, &mh, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if ((size_t)n < sizeof(struct ip))
		return 0;
	/* Upcalls look like an IP header whose protocol byte is 0. */
	if (buf[9] == 0 && (size_t)n >= sizeof(*im)) {
		im = (const struct igmpmsg *)buf;
		ev->kind = KMR_EVENT_UPCALL;
		ev->upcall = im->im_msgtype;
		ev->vif = im->im_vif | (unsigned)im->im_vif_hi << 8;
		ev->source = im->im_src;
		ev->group = im->im_dst;
		return 0;
	}
	ev->kind = KMR_EVENT_IGMP;
	ev->packet = buf;
	ev->len = (size_t)n;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			ev->ifindex =
			    (unsigned)((struct in_pktinfo *)CMSG_DATA(cm))
				->ipi_ifindex;
	return 0;
}

int
kmr_send(struct kmr *k, unsigned ifindex, struct in_addr dst,
    const uint8_t *packet, size_t len)
{
	char ctrl[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
	struct iovec iov = { (void *)packet, len };
	struct msghdr mh = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctrl,
		.msg_controllen = sizeof(ctrl),
	};
	struct cmsghdr *cm;
	struct in_pktinfo pi;

	memset(ctrl, 0, sizeof(ctrl));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = (int)ifindex;
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	/* The multicast output interface for raw sockets is IP_MULTICAST_IF. */
	if (IN_MULTICAST(ntohl(dst.s_addr))) {
		struct ip_mreqn mreq;

		memset(&mreq, 0, sizeof(mreq));
		mreq.imr_ifindex = (int)ifindex;
		if (setsockopt(k->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
			sizeof(mreq)) < 0)
			return -errno;
	}
	return sendmsg(k->fd, &mh, 0) < 0 ? -errno : 0;
}

int
kmr_vif_count(struct kmr *k, unsigned vif, struct kmr_vif_counters *c)
{
	struct sioc_vif_req req;

	memset(&req, 0, sizeof(req));
	req.vifi = (vifi_t)vif;
	if (ioctl(k->fd, SIOCGETVIFCNT, &req) < 0)
		return -errno;
	c->in_packets = req.icount;
	c->out_packets = req.ocount;
	c->in_bytes = req.ibytes;
	c->out_bytes = req.obytes;
	return 0;
}

const char *
kmr_upcall_name(uint8_t upcall)
{
	switch (upcall) {
	case IGMPMSG_NOCACHE:
		return "NOCACHE";
	case IGMPMSG_WRONGVIF:
		return "WRONGVIF";
	case IGMPMSG_WHOLEPKT:
		return "WHOLEPKT";
	case IGMPMSG_WRVIFWHOLE:
		return "WRVIFWHOLE";
	default:
		return "unknown";
	}
}
