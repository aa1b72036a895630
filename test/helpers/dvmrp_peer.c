/*
 * dvmrp_peer: a DVMRP neighbour for labs and benchmarks, on one interface,
 * from a raw socket (IP_HDRINCL), with our own encoders (dvmrp_wire.c) and
 * IPv4 header (igmp_ip_build_out).  It keeps no state and reads nothing:
 * the router under test is named on the command line.
 *
 *   dvmrp_peer -i IFACE -n ROUTER [options] run
 *       every -P seconds a probe listing ROUTER (so that the router sees a
 *       two-way neighbour at once), and every -I seconds a full report of
 *       the routes (-R, -o, -m), until killed; the first report follows the
 *       first probe by 100 ms.
 *   dvmrp_peer -i IFACE -n ROUTER [options] prune K G
 *       one prune to ROUTER for each (origin, group) of the first K routes'
 *       origins and G groups from -g, origin by origin, paced by -x; exits.
 *   dvmrp_peer -i IFACE [options] flows K G
 *       one UDP datagram from host .1 of each of the first K routes'
 *       origins (a spoofed source: labs only) to each of G groups from -g,
 *       TTL 16, paced by -x; exits.
 *
 * Options: -s ADDR our source (default: the interface's address); -R N
 * routes, /24s from -o BASE (default 10.0.0.0) up; -m METRIC 1-63 (33-63:
 * poison reverse, a dependent's word); -g GROUP the first group (default
 * 239.1.0.0); -x PPS the pace of prunes and flows (0: at once); -P and -I
 * the probe and report intervals in seconds (5, 10); -l the prune lifetime
 * in seconds (7200).
 * Standard output: one line per command, what was sent ("sent=N").
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "mcast/sock.h"
#include "dvmrp_wire.h"
#include "igmp_wire.h"

#define PEER_GENID    0x50454552u /* "PEER" */
#define PEER_UDP_PORT 5001

struct peer {
	struct mc_iface iface;
	struct in_addr src, router, base, group;
	unsigned nroutes, metric, probe_s, report_s, pps;
	uint32_t lifetime_s;
	int fd;
	unsigned long long sent;
	double start;
};

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("dvmrp_peer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static unsigned
num(const char *s, unsigned min, unsigned max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s '%s': expected %u to %u", what, s, min, max);
	return (unsigned)v;
}

static struct in_addr
addr(const char *s, const char *what)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("%s '%s': expected a dotted IPv4 address", what, s);
	return a;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* Packet i of a paced command waits for its time. */
static void
pace(struct peer *p)
{
	if (p->pps == 0)
		return;
	sleep_s(p->start + (double)p->sent / p->pps - now_s());
}

static void
open_raw(struct peer *p)
{
	int one = 1;

	p->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (p->fd < 0)
		die("cannot open a raw socket: %s (needs root or CAP_NET_RAW)",
		    strerror(errno));
	if (setsockopt(p->fd, SOL_SOCKET, SO_BINDTODEVICE, p->iface.name,
		(socklen_t)strlen(p->iface.name)) < 0 ||
	    mc_set_out_iface(p->fd, AF_INET, p->iface.index) < 0 ||
	    setsockopt(p->fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0)
		die("cannot bind the raw socket to %s: %s", p->iface.name,
		    strerror(errno));
	mc_set_bufsize(p->fd, SO_SNDBUF, 4 << 20);
}

static void
send_ip(struct peer *p, const uint8_t *pkt, size_t len, struct in_addr dst)
{
	struct sockaddr_in to;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;
	/* A full send buffer: wait and try again (labs only, no loss here). */
	while (sendto(p->fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) <
	    0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			die("sendto %s: %s", inet_ntoa(dst), strerror(errno));
		sleep_s(0.001);
	}
	p->sent++;
}

/* A DVMRP message in its IPv4 header with Router Alert. */
static void
send_dvmrp(struct peer *p, const uint8_t *msg, size_t len, struct in_addr dst)
{
	uint8_t pkt[DVMRP_REPORT_MAX_IP];
	struct igmp_ip_out o;
	int n;

	memset(&o, 0, sizeof(o));
	o.src = p->src;
	o.dst = dst;
	o.ttl = IN_MULTICAST(ntohl(dst.s_addr)) ? DVMRP_TTL_MULTICAST :
						  DVMRP_TTL_UNICAST;
	o.router_alert = true;
	n = igmp_ip_build_out(pkt, sizeof(pkt), &o, msg, len);
	if (n < 0)
		die("a DVMRP message of %zu bytes does not fit", len);
	send_ip(p, pkt, (size_t)n, dst);
}

/* Origin i: the i-th /24 from the base. */
static struct in_addr
origin(const struct peer *p, unsigned i)
{
	struct in_addr a = { htonl(ntohl(p->base.s_addr) + (i << 8)) };

	return a;
}

static struct in_addr
group(const struct peer *p, unsigned i)
{
	struct in_addr a = { htonl(ntohl(p->group.s_addr) + i) };

	return a;
}

static void
send_probe(struct peer *p)
{
	struct in_addr all = { htonl(DVMRP_ALL_ROUTERS) };
	uint8_t buf[DVMRP_PROBE_MIN_LEN + 4];
	int len = dvmrp_build_probe(buf, sizeof(buf), DVMRP_CAPS_OURS,
	    PEER_GENID, &p->router, 1);

	if (len < 0)
		die("probe: %s", dvmrp_error_name(len));
	send_dvmrp(p, buf, (size_t)len, all);
}

static void
send_report(struct peer *p, const struct dvmrp_route *routes)
{
	struct in_addr all = { htonl(DVMRP_ALL_ROUTERS) };
	uint8_t buf[DVMRP_REPORT_MAX_IP - DVMRP_IP_HDR_LEN];
	size_t done = 0, used;
	int len;

	while (done < p->nroutes) {
		len = dvmrp_build_report(buf, sizeof(buf), DVMRP_CAPS_OURS,
		    routes + done, p->nroutes - done, &used);
		if (len < 0 || used == 0)
			die("report: %s", dvmrp_error_name(len));
		send_dvmrp(p, buf, (size_t)len, all);
		done += used;
	}
}

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
run(struct peer *p)
{
	struct dvmrp_route *routes = calloc(p->nroutes + 1, sizeof(*routes));
	double next_probe, next_report, t;
	unsigned i;

	if (routes == NULL)
		die("out of memory");
	for (i = 0; i < p->nroutes; i++) {
		routes[i].origin = origin(p, i);
		routes[i].mask.s_addr = htonl(0xffffff00u);
		routes[i].metric = (uint8_t)p->metric;
	}
	qsort(routes, p->nroutes, sizeof(*routes), dvmrp_route_cmp);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	send_probe(p);
	next_probe = now_s() + p->probe_s;
	next_report = now_s() + 0.1;
	while (!stop) {
		t = now_s();
		if (t >= next_probe) {
			send_probe(p);
			next_probe = t + p->probe_s;
		}
		if (t >= next_report) {
			send_report(p, routes);
			next_report = t + p->report_s;
			printf("report routes=%u sent=%llu\n", p->nroutes,
			    p->sent);
			fflush(stdout);
		}
		sleep_s(0.05);
	}
	free(routes);
}

static void
prune(struct peer *p, unsigned k, unsigned g)
{
	uint8_t buf[DVMRP_PRUNE_LEN];
	unsigned i, j;
	int len;

	p->start = now_s();
	for (i = 0; i < k; i++)
		for (j = 0; j < g; j++) {
			len = dvmrp_build_prune(buf, sizeof(buf),
			    DVMRP_CAPS_OURS, origin(p, i), group(p, j),
			    p->lifetime_s, NULL);
			if (len < 0)
				die("prune: %s", dvmrp_error_name(len));
			pace(p);
			send_dvmrp(p, buf, (size_t)len, p->router);
		}
	printf("prunes=%u sent=%llu\n", k * g, p->sent);
}

/* IPv4 + UDP, 8 bytes of payload, from src to dst (checksum 0: none). */
static void
flows(struct peer *p, unsigned k, unsigned g)
{
	uint8_t pkt[20 + 8 + 8];
	struct in_addr s, d;
	unsigned i, j;
	uint16_t c;

	p->start = now_s();
	for (i = 0; i < k; i++)
		for (j = 0; j < g; j++) {
			s.s_addr = htonl(ntohl(origin(p, i).s_addr) + 1);
			d = group(p, j);
			memset(pkt, 0, sizeof(pkt));
			pkt[0] = 0x45;
			pkt[3] = sizeof(pkt);
			pkt[6] = 0x40; /* DF */
			pkt[8] = 16;   /* TTL */
			pkt[9] = IPPROTO_UDP;
			memcpy(pkt + 12, &s, 4);
			memcpy(pkt + 16, &d, 4);
			c = igmp_checksum(pkt, 20);
			pkt[10] = (uint8_t)(c >> 8);
			pkt[11] = (uint8_t)c;
			pkt[20] = PEER_UDP_PORT >> 8;
			pkt[21] = PEER_UDP_PORT & 0xff;
			pkt[22] = PEER_UDP_PORT >> 8;
			pkt[23] = PEER_UDP_PORT & 0xff;
			pkt[25] = 16; /* UDP length */
			pace(p);
			send_ip(p, pkt, sizeof(pkt), d);
		}
	printf("flows=%u sent=%llu\n", k * g, p->sent);
}

static void
usage(FILE *f)
{
	fputs("usage: dvmrp_peer -i IFACE [-n ROUTER] [-s ADDR] [-R N] "
	      "[-o BASE] [-m METRIC]\n"
	      "                  [-g GROUP] [-x PPS] [-P S] [-I S] [-l S] "
	      "run | prune K G | flows K G\n",
	    f);
}

int
main(int argc, char **argv)
{
	struct peer p;
	unsigned k, g;
	int c;

	memset(&p, 0, sizeof(p));
	p.base = addr("10.0.0.0", "base");
	p.group = addr("239.1.0.0", "group");
	p.metric = 1;
	p.probe_s = 5;
	p.report_s = 10;
	p.lifetime_s = 7200;
	while ((c = getopt(argc, argv, "i:n:s:R:o:m:g:x:P:I:l:h")) != -1) {
		switch (c) {
		case 'i':
			if (mc_iface_resolve(optarg, &p.iface) < 0)
				die("no interface '%s'", optarg);
			break;
		case 'n':
			p.router = addr(optarg, "router");
			break;
		case 's':
			p.src = addr(optarg, "source");
			break;
		case 'R':
			p.nroutes = num(optarg, 0, 1u << 16, "routes");
			break;
		case 'o':
			p.base = addr(optarg, "base");
			break;
		case 'm':
			p.metric = num(optarg, 1, DVMRP_POISON_MAX, "metric");
			break;
		case 'g':
			p.group = addr(optarg, "group");
			break;
		case 'x':
			p.pps = num(optarg, 0, 10000000, "rate");
			break;
		case 'P':
			p.probe_s = num(optarg, 1, 3600, "probe interval");
			break;
		case 'I':
			p.report_s = num(optarg, 1, 3600, "report interval");
			break;
		case 'l':
			p.lifetime_s = num(optarg, 1, 1u << 30, "lifetime");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (p.iface.index == 0)
		die("no interface: expected -i IFACE");
	if (p.src.s_addr == 0) {
		if (!p.iface.has_v4)
			die("%s has no IPv4 address: give -s", p.iface.name);
		p.src = p.iface.v4;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	open_raw(&p);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[optind], "run") == 0 && optind + 1 == argc) {
		if (p.router.s_addr == 0)
			die("run: expected -n ROUTER");
		run(&p);
		return 0;
	}
	if (optind + 3 != argc ||
	    (strcmp(argv[optind], "prune") != 0 &&
		strcmp(argv[optind], "flows") != 0)) {
		usage(stderr);
		return 2;
	}
	k = num(argv[optind + 1], 1, 1u << 16, "K");
	g = num(argv[optind + 2], 1, 1u << 16, "G");
	if ((uint64_t)k * g > 1u << 24)
		die("K x G above 16777216");
	if (argv[optind][0] == 'p') {
		if (p.router.s_addr == 0)
			die("prune: expected -n ROUTER");
		prune(&p, k, g);
	} else {
		flows(&p, k, g);
	}
	return 0;
}
