/*
 * dvmrp_emit: every DVMRP message our encoders write (proto/dvmrp_wire.c),
 * each in its IPv4 header with Router Alert (igmp_ip_build_out, as mcastd
 * sends them), into a pcap file of raw IPv4 (LINKTYPE_RAW) for tshark to
 * decode (test/cli/t_dvmrp_tshark.sh).
 *
 *   dvmrp_emit FILE.pcap
 *
 * Standard output: per frame, the fields as we set them, in the form of
 * tshark -T fields -E separator='|' -E aggregator=',' with the fields
 * frame.number dvmrp.version dvmrp.v3.code dvmrp.min_ver dvmrp.maj_ver
 * dvmrp.genid dvmrp.neighbor dvmrp.netmask dvmrp.saddr dvmrp.metric
 * dvmrp.maddr dvmrp.lifetime dvmrp.local dvmrp.threshold dvmrp.ncount
 * ip.ttl ip.dst, so that the script compares the two texts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_wire.h"
#include "../fixtures/dvmrp/route.h"

#define EMIT_LINKTYPE_RAW 101
#define EMIT_SNAPLEN	  65535

struct emit {
	FILE *pcap;
	unsigned frame;
	struct in_addr src;
};

/* The optional fields of one line, as tshark aggregates them. */
struct emit_fields {
	char genid[16];
	char neighbor[2048];
	char netmask[2048];
	char saddr[4096];
	char metric[1024];
	char maddr[32];
	char lifetime[16];
	char local[256];
	char threshold[64];
	char ncount[64];
};

static void
emit_u32le(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static void
emit_add(char *list, size_t cap, const char *fmt, unsigned v)
{
	size_t len = strlen(list);

	snprintf(list + len, cap - len, "%s", len ? "," : "");
	len = strlen(list);
	snprintf(list + len, cap - len, fmt, v);
}

static void
emit_addr(char *list, size_t cap, struct in_addr a)
{
	char buf[INET_ADDRSTRLEN];
	size_t len = strlen(list);

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	snprintf(list + len, cap - len, "%s%s", len ? "," : "", buf);
}

#define ADD_ADDR(fl, field, a) emit_addr((fl)->field, sizeof((fl)->field), a)
#define ADD_NUM(fl, field, v) \
	emit_add((fl)->field, sizeof((fl)->field), "%u", (unsigned)(v))

/* One frame: the message in its IPv4 header, and its line. */
static void
emit_frame(struct emit *e, const uint8_t *msg, int len, struct in_addr dst,
    uint8_t ttl, uint8_t code, const struct emit_fields *fl)
{
	struct igmp_ip_out o = { e->src, dst, ttl, true };
	uint8_t pkt[DVMRP_IP_HDR_LEN + 2048];
	char d[INET_ADDRSTRLEN];
	int n;

	if (len < 0) {
		fprintf(stderr, "dvmrp_emit: frame %u: %s\n", e->frame + 1,
		    dvmrp_error_name(len));
		exit(1);
	}
	n = igmp_ip_build_out(pkt, sizeof(pkt), &o, msg, (size_t)len);
	if (n < 0) {
		fprintf(stderr, "dvmrp_emit: no room for frame %u\n",
		    e->frame + 1);
		exit(1);
	}
	emit_u32le(e->pcap, 1796224935u + e->frame); /* seconds */
	emit_u32le(e->pcap, 0);
	emit_u32le(e->pcap, (uint32_t)n);
	emit_u32le(e->pcap, (uint32_t)n);
	fwrite(pkt, 1, (size_t)n, e->pcap);
	e->frame++;
	printf("%u|3|0x%02x|0xff|0x03|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%u|%s\n",
	    e->frame, code, fl->genid, fl->neighbor, fl->netmask, fl->saddr,
	    fl->metric, fl->maddr, fl->lifetime, fl->local, fl->threshold,
	    fl->ncount, ttl, inet_ntop(AF_INET, &dst, d, sizeof(d)));
}

static void
emit_probes(struct emit *e, struct in_addr all)
{
	struct in_addr nbrs[] = { { htonl(0xc6120201) },
		{ htonl(0xc6120203) } };
	struct emit_fields fl;
	uint8_t buf[64];
	size_t n;

	for (n = 0; n <= 2; n += 2) {
		memset(&fl, 0, sizeof(fl));
		ADD_NUM(&fl, genid, 167837696u + n);
		if (n > 0) {
			ADD_ADDR(&fl, neighbor, nbrs[0]);
			ADD_ADDR(&fl, neighbor, nbrs[1]);
		}
		emit_frame(e, buf,
		    dvmrp_build_probe(buf, sizeof(buf), DVMRP_CAPS_OURS,
			167837696u + (uint32_t)n, nbrs, n),
		    all, DVMRP_TTL_MULTICAST, DVMRP_PROBE, &fl);
	}
}

/* Reports: masks of every width, poison reverse, infinity; then 200 /24s. */
static void
emit_reports(struct emit *e, struct in_addr all)
{
	struct dvmrp_route mixed[] = {
		dvmrp_test_route(0, 0, 7), /* the default route */
		dvmrp_test_route(0x0a000000u, 8, 2),
		dvmrp_test_route(0xac100000u, 12, 3),
		dvmrp_test_route(0xc6120100u, 24, 1),
		dvmrp_test_route(0xc6120300u, 24, 33),
		dvmrp_test_route(0xc6120380u, 25, DVMRP_INFINITY),
		dvmrp_test_route(0xc6120301u, 32, 1),
	};
	struct dvmrp_route many[200];
	struct in_addr wire;
	struct emit_fields fl;
	uint8_t buf[1024];
	size_t i, done, used, k;
	int len;

	for (i = 0; i < 200; i++)
		many[i] = dvmrp_test_route(0xc6130000u + (uint32_t)i * 256, 24,
		    (uint8_t)(1 + i % 63));
	for (k = 0; k < 2; k++) {
		const struct dvmrp_route *r = k ? many : mixed;
		size_t n = k ? 200 : 7;

		for (done = 0; done < n; done += used) {
			len = dvmrp_build_report(buf, sizeof(buf),
			    DVMRP_CAPS_OURS, r + done, n - done, &used);
			memset(&fl, 0, sizeof(fl));
			for (i = done; i < done + used; i++) {
				/* tshark names the mask as sent: its first
				 * byte is 255 (the default route's too). */
				wire.s_addr = r[i].mask.s_addr |
				    htonl(0xff000000);
				if (i == done ||
				    r[i].mask.s_addr != r[i - 1].mask.s_addr)
					ADD_ADDR(&fl, netmask, wire);
				ADD_ADDR(&fl, saddr, r[i].origin);
				ADD_NUM(&fl, metric, r[i].metric);
			}
			emit_frame(e, buf, len, all, DVMRP_TTL_MULTICAST,
			    DVMRP_REPORT, &fl);
		}
	}
}

/* Prunes (with mrouted's lifetime; with a netmask), grafts, acks. */
static void
emit_prunes(struct emit *e, struct in_addr peer)
{
	struct in_addr src = { htonl(0xc6120100) }, grp = { htonl(0xef010203) };
	struct in_addr mask = { htonl(0xffffff00) };
	struct emit_fields fl;
	uint8_t buf[64];
	int k;

	for (k = 0; k < 2; k++) {
		const struct in_addr *m = k ? &mask : NULL;
		uint8_t caps = DVMRP_CAPS_OURS | (k ? DVMRP_CAP_NETMASK : 0);

		memset(&fl, 0, sizeof(fl));
		ADD_ADDR(&fl, saddr, src);
		ADD_ADDR(&fl, maddr, grp);
		ADD_NUM(&fl, lifetime, 3629);
		if (m)
			ADD_ADDR(&fl, netmask, mask);
		emit_frame(e, buf,
		    dvmrp_build_prune(buf, sizeof(buf), caps, src, grp, 3629,
			m),
		    peer, DVMRP_TTL_UNICAST, DVMRP_PRUNE, &fl);
		fl.lifetime[0] = '\0';
		emit_frame(e, buf,
		    dvmrp_build_graft(buf, sizeof(buf), caps, src, grp, m),
		    peer, DVMRP_TTL_UNICAST, DVMRP_GRAFT, &fl);
		emit_frame(e, buf,
		    dvmrp_build_graft_ack(buf, sizeof(buf), caps, src, grp, m),
		    peer, DVMRP_TTL_UNICAST, DVMRP_GRAFT_ACK, &fl);
	}
}

/* mrinfo: the request, and a reply as mrouted words it. */
static void
emit_mrinfo(struct emit *e, struct in_addr peer)
{
	struct in_addr n1[] = { { htonl(0xc6120201) }, { htonl(0xc6120203) } };
	struct in_addr none = { 0 };
	struct dvmrp_mrinfo_vif vifs[] = {
		{ { htonl(0xc6120202) }, 1, 1, 0, n1, 2 },
		{ { htonl(0xc6120301) }, 1, 1,
		    DVMRP_VIF_QUERIER | DVMRP_VIF_LEAF, &none, 1 },
		{ { htonl(0xc6120401) }, 3, 16,
		    DVMRP_VIF_TUNNEL | DVMRP_VIF_DOWN, &none, 1 },
	};
	struct emit_fields fl;
	size_t next_vif = 0, next_nbr = 0, i, k;
	uint8_t buf[64];

	memset(&fl, 0, sizeof(fl));
	emit_frame(e, buf,
	    dvmrp_build_ask_neighbors2(buf, sizeof(buf), DVMRP_CAPS_OURS), peer,
	    DVMRP_TTL_UNICAST, DVMRP_ASK_NEIGHBORS2, &fl);
	for (i = 0; i < 3; i++) {
		ADD_ADDR(&fl, local, vifs[i].local);
		ADD_NUM(&fl, metric, vifs[i].metric);
		ADD_NUM(&fl, threshold, vifs[i].threshold);
		ADD_NUM(&fl, ncount, vifs[i].nneighbors);
		for (k = 0; k < vifs[i].nneighbors; k++)
			ADD_ADDR(&fl, neighbor, vifs[i].neighbors[k]);
	}
	emit_frame(e, buf,
	    dvmrp_build_neighbors2(buf, sizeof(buf), DVMRP_CAPS_OURS, vifs, 3,
		&next_vif, &next_nbr),
	    peer, DVMRP_TTL_UNICAST, DVMRP_NEIGHBORS2, &fl);
}

int
main(int argc, char **argv)
{
	struct in_addr all = { htonl(DVMRP_ALL_ROUTERS) };
	struct in_addr peer = { htonl(0xc6120201) };
	struct emit e = { NULL, 0, { htonl(0xc6120202) } };

	if (argc != 2) {
		fprintf(stderr, "usage: dvmrp_emit FILE.pcap\n");
		return 2;
	}
	e.pcap = fopen(argv[1], "wb");
	if (e.pcap == NULL) {
		perror(argv[1]);
		return 1;
	}
	/* pcap: magic, version 2.4, zone, sigfigs, snaplen, link type. */
	emit_u32le(e.pcap, 0xa1b2c3d4u);
	emit_u32le(e.pcap, 2 | 4u << 16);
	emit_u32le(e.pcap, 0);
	emit_u32le(e.pcap, 0);
	emit_u32le(e.pcap, EMIT_SNAPLEN);
	emit_u32le(e.pcap, EMIT_LINKTYPE_RAW);
	emit_probes(&e, all);
	emit_reports(&e, all);
	emit_prunes(&e, peer);
	emit_mrinfo(&e, peer);
	if (fclose(e.pcap) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
