/*
 * mrinfo's question on the wire: DVMRP Ask Neighbors 2 (IGMP 0x13 code 5)
 * by unicast from a raw IGMP socket, and the Neighbors 2 messages (code
 * 6) of the answer gathered until a short quiet spell; retries with a
 * timeout, as mrouted's mrinfo does.
 *
 * Router Alert: mrouted's mrinfo sends its question with it.  A Linux
 * router running a multicast routing daemon hands unicast IGMP with
 * Router Alert that is only passing through to that daemon (the MRT
 * socket is on the kernel's Router Alert chain) instead of forwarding
 * it, so such a question reaches only a router one hop away unless every
 * router on the path forwards it itself.  The question is addressed to
 * the router and needs no alert, so by default we send it without
 * (20-byte IPv4 header, TTL 255); --router-alert sends it as mrinfo does.
 */
#include <errno.h>
#include <err.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "igmp_wire.h"
#include "mrinfo.h"
#include "tool.h"

/* After a first message, more may follow (a reply split at 576 bytes). */
#define MRINFO_SETTLE_S 0.3

void
mrinfo_asker_open(struct mrinfo_asker *a, const char *ifname)
{
	int on = 1;

	a->ifname = ifname;
	a->fd = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
	if (a->fd < 0)
		err(EXIT_LOSS,
		    "cannot open a raw IGMP socket (mrinfo needs root or "
		    "CAP_NET_RAW)");
	if (setsockopt(a->fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) < 0)
		err(EXIT_LOSS, "IP_HDRINCL on the raw IGMP socket");
	if (ifname != NULL &&
	    setsockopt(a->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		(socklen_t)strlen(ifname) + 1) < 0)
		err(EXIT_LOSS, "cannot bind the raw IGMP socket to %s", ifname);
}

void
mrinfo_asker_close(struct mrinfo_asker *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
}

/*
 * The source address toward target: what the kernel would pick for a
 * datagram there (through -i's interface if given).  0 or an errno.
 */
static int
mrinfo_source(const struct mrinfo_asker *a, struct in_addr target,
    struct in_addr *src)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, e = 0;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = target;
	sin.sin_port = htons(9); /* connect() sends nothing */
	if ((a->ifname != NULL &&
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, a->ifname,
		    (socklen_t)strlen(a->ifname) + 1) < 0) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		e = errno;
	else
		*src = sin.sin_addr;
	close(fd);
	return e;
}

static int
mrinfo_send(struct mrinfo_asker *a, struct in_addr target)
{
	uint8_t igmp[DVMRP_HDR_LEN], pkt[DVMRP_IP_HDR_LEN + DVMRP_HDR_LEN];
	struct igmp_ip_out o;
	struct sockaddr_in sin;
	int len, n;

	len = dvmrp_build_ask_neighbors2(igmp, sizeof(igmp), DVMRP_CAPS_OURS);
	memset(&o, 0, sizeof(o));
	o.src = a->src;
	o.dst = target;
	o.ttl = DVMRP_TTL_UNICAST;
	o.router_alert = a->router_alert;
	n = igmp_ip_build_out(pkt, sizeof(pkt), &o, igmp, (size_t)len);
	if (len < 0 || n < 0)
		errx(EXIT_LOSS, "cannot build the ask neighbors2 message");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = target;
	a->questions++;
	if (sendto(a->fd, pkt, (size_t)n, 0, (struct sockaddr *)&sin,
		sizeof(sin)) < 0)
		return errno;
	return 0;
}

/*
 * One message off the socket: 1 when it is a Neighbors 2 that belongs to
 * the answer (added to reply), 0 otherwise.
 */
static int
mrinfo_receive(struct mrinfo_asker *a, struct in_addr target,
    struct mrinfo_reply *reply)
{
	uint8_t pkt[65536];
	const uint8_t *igmp;
	size_t igmp_len;
	struct igmp_ip ip;
	struct dvmrp_msg m;
	ssize_t n;
	int rc;

	n = recv(a->fd, pkt, sizeof(pkt), MSG_DONTWAIT);
	if (n < 0)
		return 0;
	if (igmp_ip_decode(pkt, (size_t)n, &ip, &igmp, &igmp_len) != IGMP_OK)
		return 0;
	if (igmp_len < DVMRP_HDR_LEN || igmp[0] != IGMP_TYPE_DVMRP ||
	    igmp[1] != DVMRP_NEIGHBORS2)
		return 0;
	if (dvmrp_decode(igmp, igmp_len, &m) != DVMRP_OK)
		return 0;
	if (reply->nmsgs == 0 ? !mrinfo_msg_answers(&m, ip.src, target) :
				ip.src.s_addr != reply->from.s_addr)
		return 0;
	rc = mrinfo_reply_add(reply, ip.src, igmp, igmp_len, &m);
	if (rc < 0)
		errx(EXIT_LOSS, "out of memory gathering the reply");
	return rc;
}

enum mrinfo_result
mrinfo_ask(struct mrinfo_asker *a, struct in_addr target,
    struct mrinfo_reply *reply)
{
	int64_t deadline, now;
	struct pollfd pfd;
	unsigned tries;
	int e, ms;

	if ((e = mrinfo_source(a, target, &a->src)) != 0) {
		a->route_errno = e;
		return MRINFO_NO_ROUTE;
	}
	for (tries = 0; tries <= a->retries && !stop_requested; tries++) {
		if ((e = mrinfo_send(a, target)) != 0) {
			if (e == ENETUNREACH || e == EHOSTUNREACH) {
				a->route_errno = e;
				return MRINFO_NO_ROUTE;
			}
			warning("cannot send to %s: %s", inet_ntoa(target),
			    strerror(e));
		}
		deadline = now_monotonic_ns() + (int64_t)(a->timeout_s * 1e9);
		while (!stop_requested &&
		    (now = now_monotonic_ns()) < deadline) {
			ms = (int)((deadline - now + 999999) / 1000000);
			pfd.fd = a->fd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			if (poll(&pfd, 1, ms) <= 0)
				continue;
			if (mrinfo_receive(a, target, reply) <= 0)
				continue;
			/* Answered: wait a little for the rest. */
			deadline = now_monotonic_ns() +
			    (int64_t)(MRINFO_SETTLE_S * 1e9);
		}
		if (reply->nmsgs > 0)
			return MRINFO_ANSWERED;
	}
	return MRINFO_NO_ANSWER;
}
