/*
 * igmp_inject: crafted and deliberately broken IGMP for the hostile-input
 * lab (test/ns/t_hostile.sh) and bench (bench/hostile.sh).
 *
 * Packets leave through a raw IPv4 socket with IP_HDRINCL on one
 * interface, so the caller controls the source address (any, forged), the
 * TTL, the Router Alert option and fragmentation.  The well-formed parts
 * come from proto/igmp_wire.c's builders; the attack then breaks them on
 * purpose (a truncated message, a wrong checksum, a 9-11 byte query ...).
 * DVMRP's come from proto/dvmrp_wire.c's builders the same way: a report
 * cut short, a route whose origin has bits beyond its mask, a probe whose
 * list is not whole, a Neighbors 2 block whose count lies; well-formed
 * probes, reports, prunes and grafts for floods (-A: from many sources).
 * The kernel fills the IP header checksum and, when 0, the IP ID.
 *
 * It prints one line on standard output, for scripts:
 *   attack=bad-checksum packets=10000 bytes=320000 seconds=0.041 errors=0
 * Lab use only: it sends on the interface it is given, nothing else.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "mcast/sock.h"
#include "dvmrp_wire.h"
#include "igmp_wire.h"
#include "mtrace_wire.h"

#define INJ_MTU		1500
#define INJ_IP_MAX	65535
#define INJ_RA_HLEN	24    /* IPv4 header + Router Alert */
#define INJ_MAX_SOURCES 16373 /* one v3 record in 64 KiB */

struct inj_opts {
	struct mc_iface iface;
	struct in_addr src; /* 0: the interface's address */
	struct in_addr dst; /* 0: the attack's usual one */
	unsigned ttl;
	bool no_ra;
	bool fragment;		/* one IP packet, cut in fragments */
	unsigned long count;	/* rounds of the packet list */
	double rate;		/* packets/s, 0: as fast as possible */
	unsigned version;	/* reports and queries: 1, 2, 3 */
	unsigned per_packet;	/* flood -V 3: records per report */
	unsigned flood_sources; /* flood -V 3: sources per record */
	uint8_t record;		/* v3-sources: record type */
	struct in_addr source_base;
	uint32_t mrc_tenths;
	unsigned qrv;
	uint32_t qqi_s;
	struct in_addr query_group;
	bool suppress;
	uint32_t nsources; /* -A: the packets from src, src+1 ... */
	uint32_t genid;	   /* dvmrp-probe */
};

/* The packets of one round, back to back in one buffer. */
struct inj_list {
	uint8_t *buf;
	size_t len, cap;
	size_t *off; /* packet i: buf + off[i] */
	struct in_addr *dst;
	size_t n, ncap;
	size_t bytes;
};

static const char *prog = "igmp_inject";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: igmp_inject -i IFACE [options] ATTACK [ARG...]\n"
	    "attacks (GROUP defaults to 239.1.1.1):\n"
	    "  report [GROUP]            a well-formed report (-V 1|2, default 2)\n"
	    "  leave [GROUP]             a v2 leave, to 224.0.0.2\n"
	    "  truncated LEN [GROUP]     a v2 report cut to LEN (0-7) IGMP bytes\n"
	    "  bad-checksum [GROUP]      a v2 report with a wrong IGMP checksum\n"
	    "  short-query LEN           a v2 general query of LEN (9-11) bytes, checksum right\n"
	    "  unknown [TYPE]            an 8-byte message of type TYPE (default 0x99)\n"
	    "  dvmrp-report METRIC       a DVMRP report, to 224.0.0.4, of one route\n"
	    "                            198.19.0.0/24 with METRIC (0-127: 0 and 64+ are\n"
	    "                            malformed)\n"
	    "  v3-sources GROUP K [N]    a v3 report, one record of K distinct sources: as many\n"
	    "                            packets of at most %d bytes as needed, or -F one\n"
	    "                            IP packet (K <= %d) sent in fragments; for N groups\n"
	    "                            from GROUP (default 1)\n"
	    "  flood N [FIRST]           reports for N distinct groups FIRST, FIRST+1 ...\n"
	    "                            (default 239.192.0.0): v2, or -V 3 with up to -m\n"
	    "                            records per report, IS_EX {} or IS_IN {-k sources}\n"
	    "  query                     a query (-V 1|2|3, default 3) from -s: general, or -g\n"
	    "                            GROUP; -M, -Q, -I set Max Resp, QRV, QQI\n"
	    "DVMRP (to 224.0.0.4 unless -d; mrouted sends prunes and grafts to the\n"
	    "router's address with TTL 255: -d ROUTER -t 255):\n"
	    "  dvmrp-routes NET/LEN N [METRIC]  well-formed reports of N routes NET/LEN,\n"
	    "                            the next LEN-bit network ... (METRIC 1-63, default 1)\n"
	    "  dvmrp-cut LEN             the report of dvmrp-report 1 cut to LEN (9-14) bytes\n"
	    "  dvmrp-open                that report with its list never closed (no bit 7)\n"
	    "  dvmrp-origin              a report of 198.19.1.0 with mask 255.255.240.0\n"
	    "                            (origin bits beyond the mask)\n"
	    "  dvmrp-mask                a report with mask 255.255.0.255 (not contiguous)\n"
	    "  dvmrp-probe [NBR...]      a probe (GenID -G) listing NBRs; ADDR+N lists N\n"
	    "                            addresses from ADDR (a long list needs -F)\n"
	    "  dvmrp-probe-cut K [NBR...]  that probe with its last K (1-3) bytes cut\n"
	    "  dvmrp-nbrs2 COUNT         a Neighbors 2 reply, one block of 2 neighbours\n"
	    "                            whose count byte says COUNT (0-255)\n"
	    "  dvmrp-prune SOURCE GROUP [N [LIFETIME]]  prunes for N groups from GROUP\n"
	    "                            (default 1; lifetime default 7200 s)\n"
	    "  dvmrp-graft SOURCE GROUP [N]  grafts for N groups from GROUP\n"
	    "mtrace (to 224.0.0.2 unless -d):\n"
	    "  mtrace SOURCE GROUP DEST RESP [HOPS [IN...]]  a query (hops default\n"
	    "                            8), or a request with a block per IN (its\n"
	    "                            incoming address); response TTL 64, id 0x4d5443\n"
	    "options:\n"
	    "  -i IFACE    the interface to send on (name, index or address)\n"
	    "  -s ADDR     IP source (default: the interface's address; any may be forged)\n"
	    "  -d ADDR     IP destination (default: the attack's usual one)\n"
	    "  -t TTL      IP TTL, 0-255 (default 1)\n"
	    "  -n          no Router Alert option\n"
	    "  -c COUNT    send the attack's packets COUNT times (default 1)\n"
	    "  -r RATE     packets per second (default: as fast as possible)\n"
	    "  -V VERSION  IGMP version of reports and queries\n"
	    "  -m M        flood -V 3: group records per report, at most (default 1)\n"
	    "  -k K        flood -V 3: K sources per record, from -S (default 0)\n"
	    "  -T TYPE     v3-sources: record type is-in, is-ex, to-in, to-ex,\n"
	    "              allow (default), block\n"
	    "  -S ADDR     v3-sources: the first source (default 198.19.0.1)\n"
	    "  -F          v3-sources: one fragmented IP packet\n"
	    "  -g GROUP    query: a group-specific query\n"
	    "  -M TENTHS   query: Max Resp Time in tenths of a second (default 100)\n"
	    "  -Q QRV      query -V 3: robustness (0-7, default 2)\n"
	    "  -I SECONDS  query -V 3: query interval (QQIC; default 125)\n"
	    "  -x          query -V 3: the S flag (suppress router-side processing)\n"
	    "  -A N        the attack's packets from N sources: -s, -s + 1 ... (default 1)\n"
	    "  -G GENID    dvmrp-probe: the GenID (default 0x6d63696a)\n",
	    1500, INJ_MAX_SOURCES);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static unsigned long
parse_num(const char *s, unsigned long min, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		die("%s '%s': expected a number %lu-%lu", what, s, min, max);
	return v;
}

static struct in_addr
parse_addr(const char *s, const char *what)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("%s '%s': expected an IPv4 address such as 198.18.2.5",
		    what, s);
	return a;
}

static struct in_addr
parse_group(const char *s)
{
	struct in_addr a = parse_addr(s, "group");

	if (!IN_MULTICAST(ntohl(a.s_addr)))
		die("'%s' is not a multicast group: expected 224.0.0.0/4", s);
	return a;
}

static struct in_addr
addr_plus(struct in_addr a, uint32_t i)
{
	a.s_addr = htonl(ntohl(a.s_addr) + i);
	return a;
}

static uint8_t
record_type(const char *s)
{
	static const char *const names[] = {
		"",
		"is-in",
		"is-ex",
		"to-in",
		"to-ex",
		"allow",
		"block",
	};
	unsigned i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (uint8_t)i;
	die("record type '%s': expected is-in, is-ex, to-in, to-ex, allow "
	    "or block",
	    s);
}

/* ---- the packet list ---- */

static uint8_t *
list_room(struct inj_list *l, size_t len)
{
	void *p;

	if (l->len + len > l->cap) {
		size_t cap = l->cap ? l->cap : 65536;

		while (cap < l->len + len)
			cap *= 2;
		if ((p = realloc(l->buf, cap)) == NULL)
			die("out of memory");
		l->buf = p;
		l->cap = cap;
	}
	return l->buf + l->len;
}

/* Append the packet just written at list_room(). */
static void
list_commit(struct inj_list *l, size_t len, struct in_addr dst)
{
	if (l->n == l->ncap) {
		size_t cap = l->ncap ? 2 * l->ncap : 1024;
		void *o = realloc(l->off, cap * sizeof(*l->off));
		void *d = o ? realloc(l->dst, cap * sizeof(*l->dst)) : NULL;

		if (o == NULL || d == NULL)
			die("out of memory");
		l->off = o;
		l->dst = d;
		l->ncap = cap;
	}
	l->off[l->n] = l->len;
	l->dst[l->n++] = dst;
	l->len += len;
	l->bytes += len;
}

/* The checksum of an IP header or IGMP message, stored big-endian at at. */
static void
seal(uint8_t *buf, size_t len, size_t at)
{
	uint16_t c;

	buf[at] = buf[at + 1] = 0;
	c = igmp_checksum(buf, len);
	buf[at] = (uint8_t)(c >> 8);
	buf[at + 1] = (uint8_t)c;
}

static void
ip_seal(uint8_t *pkt)
{
	seal(pkt, (size_t)(pkt[0] & 0x0f) * 4, 10);
}

/*
 * One IP packet around an IGMP message (igmp_ip_build(), then the header
 * changed as asked); large ones are cut into fragments when -F says so.
 */
static void
add_packet(struct inj_list *l, const struct inj_opts *o, struct in_addr dst,
    const uint8_t *igmp, size_t igmp_len)
{
	static uint16_t ip_id = 1;
	uint8_t *pkt = malloc(INJ_IP_MAX);
	size_t hlen = o->no_ra ? 20 : INJ_RA_HLEN, total, off, chunk;
	int len;

	if (pkt == NULL)
		die("out of memory");
	len = igmp_ip_build(pkt, INJ_IP_MAX, o->src, dst, igmp, igmp_len);
	if (len < 0)
		die("an IGMP message of %zu bytes does not fit in one IP packet "
		    "(at most %d)",
		    igmp_len, INJ_IP_MAX - INJ_RA_HLEN);
	total = (size_t)len;
	if (o->no_ra) {
		memmove(pkt + 20, pkt + INJ_RA_HLEN, igmp_len);
		pkt[0] = 0x45;
		total -= 4;
		pkt[2] = (uint8_t)(total >> 8);
		pkt[3] = (uint8_t)total;
	}
	pkt[8] = (uint8_t)o->ttl;
	if (total <= INJ_MTU) {
		ip_seal(pkt);
		memcpy(list_room(l, total), pkt, total);
		list_commit(l, total, dst);
		free(pkt);
		return;
	}
	if (!o->fragment)
		die("a packet of %zu bytes is over the %d-byte MTU: use fewer "
		    "sources or -F",
		    total, INJ_MTU);
	/* RFC 791: 8-byte units; Router Alert is copied into each (type
	 * 148 has the copy bit). */
	ip_id++;
	for (off = 0; off < total - hlen; off += chunk) {
		uint8_t *f = list_room(l, INJ_MTU);
		uint16_t flags;

		chunk = total - hlen - off;
		if (chunk > ((INJ_MTU - hlen) & ~(size_t)7))
			chunk = (INJ_MTU - hlen) & ~(size_t)7;
		memcpy(f, pkt, hlen);
		memcpy(f + hlen, pkt + hlen + off, chunk);
		f[2] = (uint8_t)((hlen + chunk) >> 8);
		f[3] = (uint8_t)(hlen + chunk);
		f[4] = (uint8_t)(ip_id >> 8);
		f[5] = (uint8_t)ip_id;
		flags = (uint16_t)(off / 8);
		if (off + chunk < total - hlen)
			flags |= 0x2000; /* MF */
		f[6] = (uint8_t)(flags >> 8);
		f[7] = (uint8_t)flags;
		ip_seal(f);
		list_commit(l, hlen + chunk, dst);
	}
	free(pkt);
}

static struct in_addr
dst_or(const struct inj_opts *o, uint32_t usual)
{
	struct in_addr a;

	if (o->dst.s_addr)
		return o->dst;
	a.s_addr = htonl(usual);
	return a;
}

static int
build_report(uint8_t *buf, unsigned version, struct in_addr group)
{
	return version == 1 ? igmp_build_v1_report(buf, 64, group) :
			      igmp_build_v2_report(buf, 64, group);
}

/* v3 reports of one record each for group with k sources from base. */
static void
add_v3_sources(struct inj_list *l, const struct inj_opts *o,
    struct in_addr group, uint32_t k)
{
	size_t per = o->fragment ?
	    INJ_MAX_SOURCES :
	    (INJ_MTU - (o->no_ra ? 20 : INJ_RA_HLEN) - 16) / 4;
	struct in_addr *src = calloc(k ? k : 1, sizeof(*src));
	uint8_t *buf = malloc(INJ_IP_MAX);
	struct igmp_v3_report r;
	uint32_t i, n;
	int len;

	if (src == NULL || buf == NULL)
		die("out of memory");
	if (o->fragment && k > INJ_MAX_SOURCES)
		die("%u sources do not fit in one IP packet: expected at most %d",
		    k, INJ_MAX_SOURCES);
	for (i = 0; i < k; i++)
		src[i] = addr_plus(o->source_base, i);
	for (i = 0; i < k || (k == 0 && i == 0); i += n) {
		n = k - i < per ? k - i : (uint32_t)per;
		igmp_v3_report_begin(&r, buf, INJ_IP_MAX - INJ_RA_HLEN);
		if (igmp_v3_report_add(&r, o->record, group, src + i,
			(uint16_t)n) != IGMP_OK ||
		    (len = igmp_v3_report_finish(&r)) < 0)
			die("cannot build a report of %u sources", n);
		add_packet(l, o, dst_or(o, IGMP_V3_ROUTERS), buf, (size_t)len);
		if (k == 0)
			break;
	}
	free(src);
	free(buf);
}

static void
add_flood(struct inj_list *l, const struct inj_opts *o, uint32_t n,
    struct in_addr first)
{
	uint8_t buf[INJ_MTU];
	struct in_addr src[INJ_MTU / 4];
	struct igmp_v3_report r;
	struct in_addr g;
	uint32_t i, k;
	int len;

	for (k = 0; k < o->flood_sources; k++)
		src[k] = addr_plus(o->source_base, k);
	for (i = 0; i < n; i += k) {
		if (o->version != 3) {
			k = 1;
			g = addr_plus(first, i);
			len = build_report(buf, o->version, g);
			add_packet(l, o, dst_or(o, ntohl(g.s_addr)), buf,
			    (size_t)len);
			continue;
		}
		igmp_v3_report_begin(&r, buf, sizeof(buf) - INJ_RA_HLEN);
		/* IS_EX {}, or IS_IN {K sources}; as many as fit. */
		for (k = 0; k < o->per_packet && i + k < n; k++)
			if (igmp_v3_report_add(&r,
				o->flood_sources ? IGMP_MODE_IS_INCLUDE :
						   IGMP_MODE_IS_EXCLUDE,
				addr_plus(first, i + k), src,
				(uint16_t)o->flood_sources) != IGMP_OK)
				break;
		if (k == 0 || (len = igmp_v3_report_finish(&r)) < 0)
			die("a record of %u sources does not fit in one report",
			    o->flood_sources);
		add_packet(l, o, dst_or(o, IGMP_V3_ROUTERS), buf, (size_t)len);
	}
}

static void
add_query(struct inj_list *l, const struct inj_opts *o)
{
	uint8_t buf[64];
	struct in_addr g = o->query_group;
	uint32_t usual = g.s_addr ? ntohl(g.s_addr) : IGMP_ALL_SYSTEMS;
	int len;

	if (o->version == 1)
		len = igmp_build_v1_query(buf, sizeof(buf));
	else if (o->version == 2)
		len = igmp_build_v2_query(buf, sizeof(buf), g, o->mrc_tenths);
	else
		len = igmp_build_v3_query(buf, sizeof(buf), g, o->mrc_tenths,
		    o->suppress, (uint8_t)o->qrv, o->qqi_s, NULL, 0);
	if (len < 0)
		die("cannot build the query");
	add_packet(l, o, dst_or(o, usual), buf, (size_t)len);
}

/* ---- DVMRP ---- */

#define INJ_DVMRP_MAX (INJ_IP_MAX - INJ_RA_HLEN)

static struct in_addr
dvmrp_dst(const struct inj_opts *o)
{
	return dst_or(o, DVMRP_ALL_ROUTERS);
}

/* The codec's report of one route; its length. */
static size_t
dvmrp_one_route(uint8_t *buf, size_t cap, uint32_t origin, uint32_t mask,
    uint8_t metric)
{
	struct dvmrp_route rt;
	size_t used;
	int len;

	rt.origin.s_addr = htonl(origin);
	rt.mask.s_addr = htonl(mask);
	rt.metric = metric;
	len = dvmrp_build_report(buf, cap, DVMRP_CAPS_OURS, &rt, 1, &used);
	if (len < 0 || used != 1)
		die("cannot build a report of one route (%s)",
		    dvmrp_error_name(len));
	return (size_t)len;
}

/* The report of dvmrp-report: 198.19.0.0/24 at metric 1. */
static size_t
dvmrp_sample_report(uint8_t *buf, size_t cap)
{
	return dvmrp_one_route(buf, cap, 0xc6130000u, 0xffffff00u, 1);
}

/* "NET/LEN": a network and its mask. */
static void
parse_prefix(const char *s, uint32_t *net, uint32_t *mask)
{
	char a[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long len;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(a))
		die("network '%s': expected NET/LEN such as 198.19.0.0/24", s);
	memcpy(a, s, (size_t)(slash - s));
	a[slash - s] = '\0';
	len = parse_num(slash + 1, 8, 32, "prefix length");
	*net = ntohl(parse_addr(a, "network").s_addr);
	*mask = 0xffffffffu << (32 - len);
	if (*net & ~*mask)
		die("network '%s' has bits beyond its /%lu mask", s, len);
}

/* Reports of n routes from net, each the next network of its length. */
static void
add_dvmrp_routes(struct inj_list *l, const struct inj_opts *o, uint32_t net,
    uint32_t mask, uint32_t n, uint8_t metric)
{
	struct dvmrp_route *rt = calloc(n, sizeof(*rt));
	uint8_t buf[DVMRP_REPORT_MAX_IP];
	size_t done = 0, used;
	uint32_t i, step = ~mask + 1;
	int len;

	if (rt == NULL)
		die("out of memory");
	for (i = 0; i < n; i++) {
		rt[i].origin.s_addr = htonl(net + i * step);
		rt[i].mask.s_addr = htonl(mask);
		rt[i].metric = metric;
	}
	qsort(rt, n, sizeof(*rt), dvmrp_route_cmp);
	while (done < n) {
		len = dvmrp_build_report(buf, sizeof(buf) - INJ_RA_HLEN,
		    DVMRP_CAPS_OURS, rt + done, n - done, &used);
		if (len < 0 || used == 0)
			die("cannot build a report (%s)",
			    dvmrp_error_name(len));
		add_packet(l, o, dvmrp_dst(o), buf, (size_t)len);
		done += used;
	}
	free(rt);
}

/* The neighbours of a probe: ADDR or ADDR+N each; how many, in *list. */
static size_t
parse_neighbors(int argc, char **argv, struct in_addr **list)
{
	size_t n = 0, cap = 0, k, count;
	struct in_addr a;
	char *plus, tmp[INET_ADDRSTRLEN + 16];
	int i;

	*list = NULL;
	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) >= sizeof(tmp))
			die("neighbour '%s': expected ADDR or ADDR+N", argv[i]);
		strcpy(tmp, argv[i]);
		count = 1;
		if ((plus = strchr(tmp, '+')) != NULL) {
			*plus = '\0';
			count = parse_num(plus + 1, 1, 16000, "neighbours");
		}
		a = parse_addr(tmp, "neighbour");
		if (n + count > cap) {
			cap = n + count + 16;
			*list = realloc(*list, cap * sizeof(**list));
			if (*list == NULL)
				die("out of memory");
		}
		for (k = 0; k < count; k++)
			(*list)[n++] = addr_plus(a, (uint32_t)k);
	}
	return n;
}

/* A probe listing argv's neighbours, its last cut bytes cut. */
static void
add_dvmrp_probe(struct inj_list *l, const struct inj_opts *o, int argc,
    char **argv, size_t cut)
{
	uint8_t *buf = malloc(INJ_DVMRP_MAX);
	struct in_addr *nbrs;
	size_t n = parse_neighbors(argc, argv, &nbrs);
	int len;

	if (buf == NULL)
		die("out of memory");
	len = dvmrp_build_probe(buf, INJ_DVMRP_MAX, DVMRP_CAPS_OURS, o->genid,
	    nbrs, n);
	if (len < 0)
		die("%zu neighbours do not fit in one probe", n);
	len -= (int)cut;
	dvmrp_seal(buf, (size_t)len);
	add_packet(l, o, dvmrp_dst(o), buf, (size_t)len);
	free(nbrs);
	free(buf);
}

/* Neighbors 2 of one block (-s, metric 1, threshold 1, two neighbours)
   whose count byte then says count. */
static void
add_dvmrp_nbrs2(struct inj_list *l, const struct inj_opts *o, uint8_t count)
{
	struct in_addr nbrs[2];
	struct dvmrp_mrinfo_vif v;
	uint8_t buf[64];
	size_t next_vif = 0, next_nbr = 0;
	int len;

	nbrs[0] = addr_plus(o->src, 1);
	nbrs[1] = addr_plus(o->src, 2);
	memset(&v, 0, sizeof(v));
	v.local = o->src;
	v.metric = v.threshold = 1;
	v.neighbors = nbrs;
	v.nneighbors = 2;
	len = dvmrp_build_neighbors2(buf, sizeof(buf), DVMRP_CAPS_OURS, &v, 1,
	    &next_vif, &next_nbr);
	if (len < 0 || next_vif != 1)
		die("cannot build a Neighbors 2 reply");
	/* header 8, local 4, metric, threshold, flags, count */
	buf[DVMRP_HDR_LEN + 7] = count;
	dvmrp_seal(buf, (size_t)len);
	add_packet(l, o, dvmrp_dst(o), buf, (size_t)len);
}

/* Prunes (lifetime_s) or grafts (prune false) for n groups. */
static void
add_dvmrp_prunes(struct inj_list *l, const struct inj_opts *o, bool prune,
    struct in_addr source, struct in_addr group, uint32_t n,
    uint32_t lifetime_s)
{
	uint8_t buf[DVMRP_PRUNE_LEN + DVMRP_NETMASK_LEN];
	uint32_t i;
	int len;

	for (i = 0; i < n; i++) {
		len = prune ?
		    dvmrp_build_prune(buf, sizeof(buf), DVMRP_CAPS_OURS, source,
			addr_plus(group, i), lifetime_s, NULL) :
		    dvmrp_build_graft(buf, sizeof(buf), DVMRP_CAPS_OURS, source,
			addr_plus(group, i), NULL);
		if (len < 0)
			die("cannot build a %s", prune ? "prune" : "graft");
		add_packet(l, o, dvmrp_dst(o), buf, (size_t)len);
	}
}

/* An mtrace query, or a request with a block per incoming address given. */
static void
add_mtrace(struct inj_list *l, const struct inj_opts *o, int argc, char **argv)
{
	struct mtrace_block blocks[32];
	struct mtrace_query q;
	uint8_t buf[MTRACE_HDR_LEN + 32 * MTRACE_BLOCK_LEN];
	int i, n, len;

	if (argc < 5 || argc - 6 > 32)
		die("mtrace: wrong arguments: expected mtrace SOURCE GROUP "
		    "DEST RESP [HOPS [IN...]] (at most 32 INs)");
	memset(&q, 0, sizeof(q));
	q.source = parse_addr(argv[1], "source");
	q.group = parse_addr(argv[2], "group");
	q.dest = parse_addr(argv[3], "destination");
	q.response_addr = parse_addr(argv[4], "response address");
	q.hops = argc > 5 ? (uint8_t)parse_num(argv[5], 0, 255, "hops") : 8;
	q.response_ttl = 64;
	q.query_id = 0x4d5443;
	n = argc > 6 ? argc - 6 : 0;
	memset(blocks, 0, sizeof(blocks));
	for (i = 0; i < n; i++) {
		blocks[i].in_addr = parse_addr(argv[6 + i], "incoming address");
		blocks[i].mask_len = 24;
		blocks[i].proto = MTRACE_PROTO_DVMRP;
	}
	len = mtrace_build(buf, sizeof(buf), IGMP_TYPE_MTRACE, &q, blocks,
	    (size_t)n);
	if (len < 0)
		die("mtrace: cannot build it: %s", mtrace_error_name(len));
	add_packet(l, o, dst_or(o, IGMP_ALL_ROUTERS), buf, (size_t)len);
}

static const char *
synopsis(const char *attack)
{
	static const char *const s[][2] = {
		{ "report", "report [GROUP]" },
		{ "leave", "leave [GROUP]" },
		{ "truncated", "truncated LEN [GROUP], LEN 0-7" },
		{ "bad-checksum", "bad-checksum [GROUP]" },
		{ "short-query", "short-query LEN, LEN 9-11" },
		{ "unknown", "unknown [TYPE]" },
		{ "dvmrp-report", "dvmrp-report METRIC, METRIC 0-127" },
		{ "v3-sources", "v3-sources GROUP K [N]" },
		{ "flood", "flood N [FIRST]" },
		{ "query", "query (and -V, -g, -M, -Q, -I, -x)" },
		{ "dvmrp-routes", "dvmrp-routes NET/LEN N [METRIC]" },
		{ "dvmrp-cut", "dvmrp-cut LEN, LEN 9-14" },
		{ "dvmrp-open", "dvmrp-open" },
		{ "dvmrp-origin", "dvmrp-origin" },
		{ "dvmrp-mask", "dvmrp-mask" },
		{ "dvmrp-probe", "dvmrp-probe [NBR...], NBR ADDR or ADDR+N" },
		{ "dvmrp-probe-cut", "dvmrp-probe-cut K [NBR...], K 1-3" },
		{ "dvmrp-nbrs2", "dvmrp-nbrs2 COUNT, COUNT 0-255" },
		{ "dvmrp-prune", "dvmrp-prune SOURCE GROUP [N [LIFETIME]]" },
		{ "dvmrp-graft", "dvmrp-graft SOURCE GROUP [N]" },
		{ "mtrace", "mtrace SOURCE GROUP DEST RESP [HOPS [IN...]]" },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (strcmp(attack, s[i][0]) == 0)
			return s[i][1];
	return "?";
}

/* The packets of one round of the attack. */
static const char *
build(struct inj_list *l, struct inj_opts *o, int argc, char **argv)
{
	const char *a = argv[0];
	struct in_addr group;
	uint8_t buf[64];
	unsigned long v;
	int len;

	group.s_addr = htonl(0xef010101); /* 239.1.1.1 */
	if (strcmp(a, "report") == 0 || strcmp(a, "bad-checksum") == 0) {
		if (argc > 2)
			goto extra;
		if (argc == 2)
			group = parse_group(argv[1]);
		len = build_report(buf, a[0] == 'b' ? 2 : o->version, group);
		if (a[0] == 'b')
			buf[3] ^= 0x5a; /* the sum no longer holds */
		add_packet(l, o, dst_or(o, ntohl(group.s_addr)), buf,
		    (size_t)len);
	} else if (strcmp(a, "leave") == 0) {
		if (argc > 2)
			goto extra;
		if (argc == 2)
			group = parse_group(argv[1]);
		len = igmp_build_v2_leave(buf, sizeof(buf), group);
		add_packet(l, o, dst_or(o, IGMP_ALL_ROUTERS), buf, (size_t)len);
	} else if (strcmp(a, "truncated") == 0) {
		if (argc < 2 || argc > 3)
			goto args;
		v = parse_num(argv[1], 0, IGMP_MIN_LEN - 1, "length");
		if (argc == 3)
			group = parse_group(argv[2]);
		build_report(buf, 2, group);
		add_packet(l, o, dst_or(o, ntohl(group.s_addr)), buf, v);
	} else if (strcmp(a, "short-query") == 0) {
		if (argc != 2)
			goto args;
		v = parse_num(argv[1], IGMP_MIN_LEN + 1,
		    IGMP_V3_QUERY_MIN_LEN - 1, "length");
		memset(buf, 0, sizeof(buf));
		group.s_addr = INADDR_ANY;
		igmp_build_v2_query(buf, sizeof(buf), group, 100);
		seal(buf, v, 2);
		add_packet(l, o, dst_or(o, IGMP_ALL_SYSTEMS), buf, v);
	} else if (strcmp(a, "unknown") == 0) {
		if (argc > 2)
			goto extra;
		v = argc == 2 ? parse_num(argv[1], 0, 255, "type") : 0x99;
		memset(buf, 0, IGMP_MIN_LEN);
		buf[0] = (uint8_t)v;
		seal(buf, IGMP_MIN_LEN, 2);
		add_packet(l, o, dst_or(o, IGMP_V3_ROUTERS), buf, IGMP_MIN_LEN);
	} else if (strcmp(a, "dvmrp-report") == 0) {
		/* 13 02 cksum 00 0e ff 03, mask 255.255.255.0 (its 3 low
		 * bytes), origin 198.19.0 (3 bytes), the last metric. */
		size_t n;

		if (argc != 2)
			goto args;
		v = parse_num(argv[1], 0, 127, "metric");
		n = dvmrp_sample_report(buf, sizeof(buf));
		buf[n - 1] = (uint8_t)(0x80 | v);
		dvmrp_seal(buf, n);
		add_packet(l, o, dvmrp_dst(o), buf, n);
	} else if (strcmp(a, "dvmrp-routes") == 0) {
		uint32_t net, mask;
		unsigned long n, metric = 1;

		if (argc != 3 && argc != 4)
			goto args;
		parse_prefix(argv[1], &net, &mask);
		n = parse_num(argv[2], 1, 1u << 20, "routes");
		if (argc == 4)
			metric = parse_num(argv[3], 1, DVMRP_POISON_MAX,
			    "metric");
		if ((uint64_t)net + (uint64_t)(n - 1) * ((uint64_t)~mask + 1) >
		    0xffffffffu)
			die("%lu networks from %s do not fit in the address "
			    "space",
			    n, argv[1]);
		add_dvmrp_routes(l, o, net, mask, (uint32_t)n, (uint8_t)metric);
	} else if (strcmp(a, "dvmrp-cut") == 0) {
		size_t n;

		if (argc != 2)
			goto args;
		n = dvmrp_sample_report(buf, sizeof(buf));
		v = parse_num(argv[1], DVMRP_HDR_LEN + 1, n - 1, "length");
		dvmrp_seal(buf, v);
		add_packet(l, o, dvmrp_dst(o), buf, v);
	} else if (strcmp(a, "dvmrp-open") == 0 ||
	    strcmp(a, "dvmrp-origin") == 0 || strcmp(a, "dvmrp-mask") == 0) {
		size_t n;

		if (argc != 1)
			goto extra;
		if (a[6] == 'o' && a[7] == 'p') {
			n = dvmrp_sample_report(buf, sizeof(buf));
			buf[n - 1] &= 0x7f; /* the list goes on: nothing */
		} else if (a[6] == 'o') {
			/* 198.19.0.0/20, its third origin byte made 1 */
			n = dvmrp_one_route(buf, sizeof(buf), 0xc6130000u,
			    0xfffff000u, 1);
			buf[DVMRP_HDR_LEN + 3 + 2] = 1;
		} else {
			/* 198.19.0.0/24 (origin 3 bytes), mask then ff 00 ff */
			n = dvmrp_sample_report(buf, sizeof(buf));
			buf[DVMRP_HDR_LEN + 1] = 0x00;
			buf[DVMRP_HDR_LEN + 2] = 0xff;
		}
		dvmrp_seal(buf, n);
		add_packet(l, o, dvmrp_dst(o), buf, n);
	} else if (strcmp(a, "dvmrp-probe") == 0) {
		add_dvmrp_probe(l, o, argc - 1, argv + 1, 0);
	} else if (strcmp(a, "dvmrp-probe-cut") == 0) {
		if (argc < 2)
			goto args;
		v = parse_num(argv[1], 1, 3, "bytes cut");
		add_dvmrp_probe(l, o, argc - 2, argv + 2, v);
	} else if (strcmp(a, "dvmrp-nbrs2") == 0) {
		if (argc != 2)
			goto args;
		add_dvmrp_nbrs2(l, o,
		    (uint8_t)parse_num(argv[1], 0, 255, "count"));
	} else if (strcmp(a, "dvmrp-prune") == 0 ||
	    strcmp(a, "dvmrp-graft") == 0) {
		bool prune = a[6] == 'p';
		unsigned long n = 1, life = 7200;

		if (argc < 3 || argc > (prune ? 5 : 4))
			goto args;
		if (argc >= 4)
			n = parse_num(argv[3], 1, 1u << 24, "groups");
		if (argc == 5)
			life = parse_num(argv[4], 0, 0xffffffffu, "lifetime");
		add_dvmrp_prunes(l, o, prune, parse_addr(argv[1], "source"),
		    parse_group(argv[2]), (uint32_t)n, (uint32_t)life);
	} else if (strcmp(a, "v3-sources") == 0) {
		unsigned long k, n = 1;

		if (argc != 3 && argc != 4)
			goto args;
		group = parse_group(argv[1]);
		k = parse_num(argv[2], 0, 65536, "sources");
		if (argc == 4)
			n = parse_num(argv[3], 1, 1u << 20, "groups");
		for (v = 0; v < n; v++)
			add_v3_sources(l, o, addr_plus(group, (uint32_t)v),
			    (uint32_t)k);
	} else if (strcmp(a, "flood") == 0) {
		if (argc < 2 || argc > 3)
			goto args;
		v = parse_num(argv[1], 1, 1u << 24, "groups");
		group.s_addr = htonl(0xefc00000); /* 239.192.0.0 */
		if (argc == 3)
			group = parse_group(argv[2]);
		add_flood(l, o, (uint32_t)v, group);
	} else if (strcmp(a, "mtrace") == 0) {
		add_mtrace(l, o, argc, argv);
	} else if (strcmp(a, "query") == 0) {
		if (argc > 1)
			goto extra;
		add_query(l, o);
	} else {
		die("unknown attack '%s': expected report, leave, truncated, "
		    "bad-checksum, short-query, unknown, dvmrp-report, "
		    "v3-sources, flood, query, mtrace or a dvmrp-* one (-h lists "
		    "them)",
		    a);
	}
	return a;
extra:
	die("%s: unexpected argument '%s': expected %s (options go before "
	    "or after it)",
	    a, argv[argc - 1], synopsis(a));
args:
	die("%s: wrong arguments: expected %s", a, synopsis(a));
}

/* ---- sending ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
open_raw(const struct inj_opts *o)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	int one = 1;

	if (fd < 0)
		die("cannot open a raw socket: %s (needs root or CAP_NET_RAW)",
		    strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->iface.name,
		(socklen_t)strlen(o->iface.name)) < 0 ||
	    mc_set_out_iface(fd, AF_INET, o->iface.index) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0)
		die("cannot bind the raw socket to %s: %s", o->iface.name,
		    strerror(errno));
	mc_set_bufsize(fd, SO_SNDBUF, 4 << 20);
	return fd;
}

static void
pace(double start, double rate, unsigned long long i)
{
	double due = start + (double)i / rate, ahead = due - now_s();
	struct timespec ts;

	if (ahead < 0.001)
		return;
	ts.tv_sec = (time_t)ahead;
	ts.tv_nsec = (long)((ahead - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inj_opts o;
	struct inj_list l;
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned long long sent = 0, bytes = 0, errors = 0, i;
	unsigned long round;
	const char *attack = "?";
	double start, secs;
	int c, fd, rc;
	size_t k;

	memset(&o, 0, sizeof(o));
	memset(&l, 0, sizeof(l));
	o.ttl = 1;
	o.count = 1;
	o.version = 0;
	o.per_packet = 1;
	o.record = IGMP_ALLOW_NEW_SOURCES;
	o.source_base.s_addr = htonl(0xc6130001); /* 198.19.0.1 */
	o.mrc_tenths = 100;
	o.qrv = 2;
	o.qqi_s = 125;
	o.nsources = 1;
	o.genid = 0x6d63696a; /* "mcij" */
	while ((c = getopt_long(argc, argv,
		    "i:s:d:t:nc:r:V:m:k:T:S:Fg:M:Q:I:xA:G:h", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 'i':
			if (mc_iface_resolve(optarg, &o.iface) < 0)
				die("no interface '%s': expected a name, index "
				    "or address of one",
				    optarg);
			break;
		case 's':
			o.src = parse_addr(optarg, "source");
			break;
		case 'd':
			o.dst = parse_addr(optarg, "destination");
			break;
		case 't':
			o.ttl = (unsigned)parse_num(optarg, 0, 255, "TTL");
			break;
		case 'n':
			o.no_ra = true;
			break;
		case 'c':
			o.count = parse_num(optarg, 1, 1ul << 32, "count");
			break;
		case 'r':
			o.rate = (double)parse_num(optarg, 1, 10000000, "rate");
			break;
		case 'V':
			o.version = (unsigned)parse_num(optarg, 1, 3,
			    "version");
			break;
		case 'm':
			o.per_packet = (unsigned)parse_num(optarg, 1, 183,
			    "records per report");
			break;
		case 'k':
			o.flood_sources = (unsigned)parse_num(optarg, 0, 365,
			    "sources per record");
			break;
		case 'T':
			o.record = record_type(optarg);
			break;
		case 'S':
			o.source_base = parse_addr(optarg, "first source");
			break;
		case 'F':
			o.fragment = true;
			break;
		case 'g':
			o.query_group = parse_group(optarg);
			break;
		case 'M':
			o.mrc_tenths = (uint32_t)parse_num(optarg, 0, 31744,
			    "Max Resp Time (tenths)");
			break;
		case 'Q':
			o.qrv = (unsigned)parse_num(optarg, 0, 7, "QRV");
			break;
		case 'I':
			o.qqi_s = (uint32_t)parse_num(optarg, 0, 31744,
			    "query interval (s)");
			break;
		case 'x':
			o.suppress = true;
			break;
		case 'A':
			o.nsources = (uint32_t)parse_num(optarg, 1, 1u << 20,
			    "sources");
			break;
		case 'G':
			o.genid = (uint32_t)parse_num(optarg, 0, 0xffffffffu,
			    "GenID");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o.iface.index == 0)
		die("no interface: expected -i IFACE (-h shows the usage)");
	if (optind >= argc)
		die("no attack: expected one of report, leave, truncated, "
		    "bad-checksum, short-query, unknown, v3-sources, flood, "
		    "query, mtrace, dvmrp-* (-h shows the usage)");
	if (o.src.s_addr == 0) {
		if (!o.iface.has_v4)
			die("%s has no IPv4 address: give a source with -s",
			    o.iface.name);
		o.src = o.iface.v4;
	}
	if (o.version == 0)
		o.version = strcmp(argv[optind], "query") == 0 ? 3 : 2;
	{
		struct in_addr first = o.src;
		uint32_t s;

		/* -A: the same packets from each source in turn. */
		for (s = 0; s < o.nsources; s++) {
			o.src = addr_plus(first, s);
			attack = build(&l, &o, argc - optind, argv + optind);
		}
	}
	fd = open_raw(&o);

	start = now_s();
	for (round = 0; round < o.count; round++) {
		for (k = 0; k < l.n; k++) {
			size_t len = (k + 1 < l.n ? l.off[k + 1] : l.len) -
			    l.off[k];

			if (o.rate > 0)
				pace(start, o.rate, sent + errors);
			to.sin_addr = l.dst[k];
			for (i = 0; i < 1000; i++) {
				rc = (int)sendto(fd, l.buf + l.off[k], len, 0,
				    (struct sockaddr *)&to, sizeof(to));
				/* A full queue: wait for it, do not drop. */
				if (rc >= 0 ||
				    (errno != ENOBUFS && errno != EAGAIN))
					break;
				usleep(200);
			}
			if (rc < 0) {
				if (errors++ == 0)
					fprintf(stderr,
					    "%s: sending on %s: %s\n", prog,
					    o.iface.name, strerror(errno));
				continue;
			}
			sent++;
			bytes += len;
		}
	}
	secs = now_s() - start;
	printf("attack=%s packets=%llu bytes=%llu seconds=%.3f errors=%llu\n",
	    attack, sent, bytes, secs, errors);
	close(fd);
	free(l.buf);
	free(l.off);
	free(l.dst);
	return errors ? 1 : 0;
}
