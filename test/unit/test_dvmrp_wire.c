/*
 * DVMRP on the wire: every DVMRP message two mrouted 4.6 routers sent
 * (test/fixtures/dvmrp/mrouted46.h, with tshark's decoding of each)
 * decoded to exact fields and encoded back to the same bytes, reports and
 * mrinfo replies packed across the 576-byte boundary, and every malformed
 * kind refused without reading past the message (the ASan build runs this).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "dvmrp_wire.h"
#include "../fixtures/dvmrp/mrouted46.h"
#include "../fixtures/dvmrp/route.h"

#define NFIXTURES (sizeof(dvmrp_fixtures) / sizeof(dvmrp_fixtures[0]))

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static const char *
ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Decode from a heap copy of exactly len bytes: ASan sees any overread. */
static int
decode_exact(const uint8_t *bytes, size_t len, struct dvmrp_msg *m)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	rc = dvmrp_decode(copy, len, m);
	/* The message points into the buffer: walk it before freeing. */
	if (rc == DVMRP_OK) {
		struct dvmrp_route_iter ri;
		struct dvmrp_vif_iter vi;
		struct dvmrp_route r;
		struct dvmrp_vif_info v;
		uint32_t n = 0, i;

		dvmrp_routes_begin(m, &ri);
		while (dvmrp_routes_next(&ri, &r))
			n++;
		assert_int_equal(n, m->nroutes);
		n = 0;
		dvmrp_vifs_begin(m, &vi);
		while (dvmrp_vifs_next(&vi, &v))
			for (i = 0, n++; i < v.nneighbors; i++)
				(void)dvmrp_addr_at(v.neighbors, (uint16_t)i);
		assert_int_equal(n, m->nvifs);
		for (i = 0; i < m->nneighbors; i++)
			(void)dvmrp_addr_at(m->neighbors, (uint16_t)i);
	}
	free(copy);
	return rc;
}

/* ---- the fields as the fixture writes them (tshark's) ------------------ */

static void
probe_neighbors(const struct dvmrp_msg *m, char *out, size_t cap)
{
	char a[INET_ADDRSTRLEN];
	size_t len = 0;
	uint16_t i;

	out[0] = '\0';
	for (i = 0; i < m->nneighbors; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s",
		    i ? "," : "", ntoa(dvmrp_addr_at(m->neighbors, i), a));
}

static void
report_routes(const struct dvmrp_msg *m, char *out, size_t cap)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct dvmrp_route_iter it;
	struct dvmrp_route r;
	size_t len = 0;

	out[0] = '\0';
	dvmrp_routes_begin(m, &it);
	while (dvmrp_routes_next(&it, &r))
		len += (size_t)snprintf(out + len, cap - len, "%s%s/%s %u",
		    len ? "," : "", ntoa(r.origin, a), ntoa(r.mask, b),
		    r.metric);
}

static void
vif_blocks(const struct dvmrp_msg *m, char *out, size_t cap)
{
	char a[INET_ADDRSTRLEN];
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	size_t len = 0;
	uint16_t i;

	out[0] = '\0';
	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v)) {
		len += (size_t)snprintf(out + len, cap - len,
		    "%s%s %u/%u/0x%02x [", len ? ";" : "", ntoa(v.local, a),
		    v.metric, v.threshold, v.flags);
		for (i = 0; i < v.nneighbors; i++)
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
			    i ? " " : "",
			    ntoa(dvmrp_addr_at(v.neighbors, i), a));
		len += (size_t)snprintf(out + len, cap - len, "]");
	}
}

/* ---- every message of the mrouted capture ------------------------------ */

static void
test_capture_decode(void **state)
{
	unsigned counts[12] = { 0 };
	char got[512], a[INET_ADDRSTRLEN];
	struct dvmrp_msg m;
	size_t i;

	assert_int_equal(NFIXTURES, 81);
	for (i = 0; i < NFIXTURES; i++) {
		const struct dvmrp_fixture *f = &dvmrp_fixtures[i];

		assert_int_equal(decode_exact(f->bytes, f->len, &m), DVMRP_OK);
		assert_int_equal(m.code, f->code);
		assert_int_equal(m.caps, f->caps);
		assert_int_equal(m.minor, f->minor);
		assert_int_equal(m.major, f->major);
		assert_int_equal(m.length, f->len);
		counts[m.code]++;
		/* Both copies are gone: decode again in place to read. */
		assert_int_equal(dvmrp_decode(f->bytes, f->len, &m), DVMRP_OK);
		probe_neighbors(&m, got, sizeof(got));
		assert_string_equal(got, f->neighbors);
		assert_int_equal(m.genid, f->genid);
		report_routes(&m, got, sizeof(got));
		assert_string_equal(got, f->routes);
		vif_blocks(&m, got, sizeof(got));
		assert_string_equal(got, f->vifs);
		if (f->source[0] != '\0') {
			assert_string_equal(ntoa(m.source, a), f->source);
			assert_string_equal(ntoa(m.group, a), f->group);
			assert_false(m.has_netmask);
		}
		assert_int_equal(m.lifetime_s, f->lifetime);
	}
	/* What the capture holds, by type (tshark's summary, .txt). */
	assert_int_equal(counts[DVMRP_PROBE], 58);
	assert_int_equal(counts[DVMRP_REPORT], 12);
	assert_int_equal(counts[DVMRP_PRUNE], 3);
	assert_int_equal(counts[DVMRP_GRAFT], 2);
	assert_int_equal(counts[DVMRP_GRAFT_ACK], 2);
	assert_int_equal(counts[DVMRP_ASK_NEIGHBORS2], 2);
	assert_int_equal(counts[DVMRP_NEIGHBORS2], 2);
}

/* Encode what was decoded: mrouted's exact bytes come back. */
static int
reencode(const struct dvmrp_msg *m, uint8_t *out, size_t cap)
{
	struct dvmrp_mrinfo_vif vifs[8];
	struct in_addr nbrs[8][16], list[64];
	struct dvmrp_route routes[64];
	struct dvmrp_route_iter ri;
	struct dvmrp_vif_iter vi;
	struct dvmrp_vif_info v;
	size_t n = 0, used, next_vif = 0, next_nbr = 0;
	uint16_t i;
	int len;

	switch (m->code) {
	case DVMRP_PROBE:
		for (i = 0; i < m->nneighbors; i++)
			list[i] = dvmrp_addr_at(m->neighbors, i);
		return dvmrp_build_probe(out, cap, m->caps, m->genid, list,
		    m->nneighbors);
	case DVMRP_REPORT:
		dvmrp_routes_begin(m, &ri);
		while (dvmrp_routes_next(&ri, &routes[n]))
			n++;
		len = dvmrp_build_report(out, cap, m->caps, routes, n, &used);
		assert_int_equal(used, n);
		return len;
	case DVMRP_PRUNE:
		return dvmrp_build_prune(out, cap, m->caps, m->source, m->group,
		    m->lifetime_s, m->has_netmask ? &m->netmask : NULL);
	case DVMRP_GRAFT:
		return dvmrp_build_graft(out, cap, m->caps, m->source, m->group,
		    m->has_netmask ? &m->netmask : NULL);
	case DVMRP_GRAFT_ACK:
		return dvmrp_build_graft_ack(out, cap, m->caps, m->source,
		    m->group, m->has_netmask ? &m->netmask : NULL);
	case DVMRP_ASK_NEIGHBORS2:
		return dvmrp_build_ask_neighbors2(out, cap, m->caps);
	case DVMRP_NEIGHBORS2:
		dvmrp_vifs_begin(m, &vi);
		while (dvmrp_vifs_next(&vi, &v)) {
			vifs[n].local = v.local;
			vifs[n].metric = v.metric;
			vifs[n].threshold = v.threshold;
			vifs[n].flags = v.flags;
			vifs[n].nneighbors = v.nneighbors;
			for (i = 0; i < v.nneighbors; i++)
				nbrs[n][i] = dvmrp_addr_at(v.neighbors, i);
			vifs[n].neighbors = nbrs[n];
			n++;
		}
		len = dvmrp_build_neighbors2(out, cap, m->caps, vifs, n,
		    &next_vif, &next_nbr);
		assert_int_equal(next_vif, n);
		return len;
	}
	fail_msg("no encoder for code %u", m->code);
	return -1;
}

static void
test_capture_reencode(void **state)
{
	struct dvmrp_msg m;
	uint8_t out[600];
	size_t i;

	for (i = 0; i < NFIXTURES; i++) {
		const struct dvmrp_fixture *f = &dvmrp_fixtures[i];

		assert_int_equal(dvmrp_decode(f->bytes, f->len, &m), DVMRP_OK);
		assert_int_equal(reencode(&m, out, sizeof(out)), (int)f->len);
		assert_memory_equal(out, f->bytes, f->len);
	}
}

static const struct dvmrp_fixture *
frame(unsigned n)
{
	size_t i;

	for (i = 0; i < NFIXTURES; i++)
		if (dvmrp_fixtures[i].frame == n)
			return &dvmrp_fixtures[i];
	fail_msg("no frame %u", n);
	return NULL;
}

/* An encoder's result rc, buf: mrouted's frame n, byte for byte. */
static void
assert_frame(unsigned n, const uint8_t *buf, int rc)
{
	const struct dvmrp_fixture *f = frame(n);

	assert_int_equal(rc, (int)f->len);
	assert_memory_equal(buf, f->bytes, f->len);
}

/*
 * Our encoders from the fields tshark states (mrouted46-lan.verbose.txt
 * and tshark -V of each frame), compared with mrouted's bytes.
 */
static void
test_encode_as_mrouted(void **state)
{
	struct in_addr peer = ip("198.18.2.1"), zero = ip("0.0.0.0");
	struct dvmrp_route poison[] = {
		{ ip("198.18.1.0"), ip("255.255.255.0"), 1 },
		{ ip("198.18.3.0"), ip("255.255.255.0"), 34 },
	};
	struct dvmrp_mrinfo_vif vifs[] = {
		{ ip("198.18.2.2"), 1, 1, 0, &peer, 1 },
		{ ip("198.18.3.1"), 1, 1, DVMRP_VIF_QUERIER | DVMRP_VIF_LEAF,
		    &zero, 1 },
	};
	struct in_addr src = ip("198.18.1.0"), grp = ip("239.1.2.3");
	size_t used, next_vif = 0, next_nbr = 0;
	uint8_t out[600];

	/* #2: start-up probe, empty list; #19 lists the neighbour. */
	assert_frame(2, out,
	    dvmrp_build_probe(out, sizeof(out), 0x0e, 167837696, NULL, 0));
	assert_frame(19, out,
	    dvmrp_build_probe(out, sizeof(out), 0x0e, 167837696, &peer, 1));
	/* #29: 198.18.1.0 metric 1, 198.18.3.0 metric 34 (poison). */
	assert_frame(29, out,
	    dvmrp_build_report(out, sizeof(out), 0x0f, poison, 2, &used));
	assert_int_equal(used, 2);
	/* #37: prune with mrouted's lifetime 3629 (1h29s). */
	assert_frame(37, out,
	    dvmrp_build_prune(out, sizeof(out), 0x0f, src, grp, 3629, NULL));
	assert_frame(40, out,
	    dvmrp_build_graft(out, sizeof(out), 0x0f, src, grp, NULL));
	assert_frame(41, out,
	    dvmrp_build_graft_ack(out, sizeof(out), 0x0f, src, grp, NULL));
	assert_frame(58, out,
	    dvmrp_build_ask_neighbors2(out, sizeof(out), 0x0e));
	assert_frame(59, out,
	    dvmrp_build_neighbors2(out, sizeof(out), 0x0e, vifs, 2, &next_vif,
		&next_nbr));
	assert_int_equal(next_vif, 2);
	assert_int_equal(next_nbr, 0);
}

/* The IPv4 header the daemon wraps a probe in (igmp_wire.c). */
static void
test_ip_header(void **state)
{
	struct igmp_ip_out o = { ip("198.18.2.2"), ip("224.0.0.4"),
		DVMRP_TTL_MULTICAST, true };
	const uint8_t *igmp;
	struct igmp_ip got;
	uint8_t pkt[64];
	size_t len;
	int n;

	n = dvmrp_build_probe(pkt + DVMRP_IP_HDR_LEN,
	    sizeof(pkt) - DVMRP_IP_HDR_LEN, DVMRP_CAPS_OURS, 7, NULL, 0);
	assert_int_equal(n, 12);
	n = igmp_ip_build_out(pkt, sizeof(pkt), &o, pkt + DVMRP_IP_HDR_LEN,
	    (size_t)n);
	/* 50-byte frame of mrouted's test/single.sh less 14 of Ethernet. */
	assert_int_equal(n, 36);
	assert_int_equal(igmp_ip_decode(pkt, (size_t)n, &got, &igmp, &len),
	    IGMP_OK);
	assert_int_equal(got.header_len, DVMRP_IP_HDR_LEN);
	assert_true(got.router_alert);
	assert_int_equal(got.ttl, 1);
	assert_int_equal(got.tos, 0xc0);
	assert_int_equal(len, 12);
}

/* ---- reports across the 576-byte boundary ------------------------------ */

/* Field by field: a struct's padding is not the route. */
static void
assert_routes_equal(const struct dvmrp_route *got,
    const struct dvmrp_route *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].origin.s_addr, want[i].origin.s_addr);
		assert_int_equal(got[i].mask.s_addr, want[i].mask.s_addr);
		assert_int_equal(got[i].metric, want[i].metric);
	}
}

/* The bytes route r takes in a report after route prev. */
static size_t
next_need(const struct dvmrp_route *prev, const struct dvmrp_route *r)
{
	uint32_t mask = ntohl(r->mask.s_addr);
	size_t need = 2; /* one origin byte and the metric */

	need += (mask >> 16 & 0xff) != 0;
	need += (mask >> 8 & 0xff) != 0;
	need += (mask & 0xff) != 0;
	return need + (prev->mask.s_addr != r->mask.s_addr ? 3 : 0);
}

/* Pack all routes; check every message and return how many there were. */
static unsigned
pack_and_check(const struct dvmrp_route *in, size_t n)
{
	struct dvmrp_route *back = calloc(n + 1, sizeof(*back));
	struct igmp_ip_out o = { ip("198.18.2.2"), ip("224.0.0.4"), 1, true };
	size_t done = 0, got = 0, used;
	uint8_t pkt[2048];
	unsigned msgs = 0;
	int len, iplen;

	assert_non_null(back);
	while (done < n) {
		struct dvmrp_route_iter it;
		struct dvmrp_msg m;
		struct dvmrp_route prev;
		bool first = true;

		len = dvmrp_build_report(pkt + 24, sizeof(pkt) - 24, 0x0e,
		    in + done, n - done, &used);
		assert_true(len > DVMRP_HDR_LEN);
		assert_true(used > 0);
		iplen = igmp_ip_build_out(pkt, sizeof(pkt), &o, pkt + 24,
		    (size_t)len);
		assert_true(iplen <= DVMRP_REPORT_MAX_IP);
		/* Full: the next route would not have fitted. */
		if (done + used < n)
			assert_true((size_t)iplen +
				next_need(&in[done + used - 1],
				    &in[done + used]) >
			    DVMRP_REPORT_MAX_IP);
		/* The last metric of the message closes its list. */
		assert_true(pkt[iplen - 1] & 0x80);
		assert_int_equal(decode_exact(pkt + 24, (size_t)len, &m),
		    DVMRP_OK);
		assert_int_equal(dvmrp_decode(pkt + 24, (size_t)len, &m),
		    DVMRP_OK);
		assert_int_equal(m.nroutes, used);
		dvmrp_routes_begin(&m, &it);
		while (dvmrp_routes_next(&it, &back[got])) {
			/* A new list exactly where the mask changes. */
			assert_int_equal(it.new_list,
			    first || prev.mask.s_addr != back[got].mask.s_addr);
			prev = back[got++];
			first = false;
		}
		done += used;
		msgs++;
	}
	assert_int_equal(got, n);
	assert_routes_equal(back, in, n);
	free(back);
	return msgs;
}

static void
test_report_packing(void **state)
{
	static const unsigned lens[] = { 8, 16, 20, 24, 25, 28, 32 };
	struct dvmrp_route in[200];
	size_t i;

	/* 200 routes of mixed masks, metrics 1..63, sorted for sending. */
	for (i = 0; i < 200; i++)
		in[i] = dvmrp_test_route(0x0a000000u +
			(uint32_t)i * 0x01030507u,
		    lens[i % 7], (uint8_t)(1 + i % 63));
	in[0] = dvmrp_test_route(0, 0, 5); /* the default route */
	qsort(in, 200, sizeof(in[0]), dvmrp_route_cmp);
	assert_int_equal(in[0].mask.s_addr, 0);
	assert_true(pack_and_check(in, 200) >= 2);

	/* /24 routes: 3 + 4k <= 544 bytes of body: 135 per message. */
	for (i = 0; i < 200; i++)
		in[i] = dvmrp_test_route(0xc6120000u + (uint32_t)i * 256, 24,
		    1);
	assert_int_equal(pack_and_check(in, 200), 2);
	{
		uint8_t buf[600];
		size_t used;

		assert_int_equal(dvmrp_build_report(buf, sizeof(buf), 0, in,
				     200, &used),
		    8 + 3 + 4 * 135);
		assert_int_equal(used, 135);
		/* A smaller buffer packs less: 8 + 3 + 4 * 2 bytes. */
		assert_int_equal(dvmrp_build_report(buf, 20, 0, in, 200, &used),
		    19);
		assert_int_equal(used, 2);
		assert_int_equal(dvmrp_build_report(buf, 14, 0, in, 200, &used),
		    -DVMRP_E_NO_ROOM);
		assert_int_equal(used, 0);
	}
}

/* Default route and mask widths, byte for byte (draft 4.3.2, 3.4.3). */
static void
test_report_bytes(void **state)
{
	struct dvmrp_route in[] = {
		dvmrp_test_route(0, 0, 7),
		dvmrp_test_route(0x0a000000u, 8, 2),
		dvmrp_test_route(0xac100000u, 12, 3),
		dvmrp_test_route(0xc6120300u, 24, 33),
		dvmrp_test_route(0xc6120380u, 25, 32),
		dvmrp_test_route(0xc6120301u, 32, 1),
	};
	static const uint8_t want[] = { 0x13, 0x02, 0, 0, 0, 0x0e, 0xff, 0x03,
		0x00, 0x00, 0x00, 0x00, 0x87,			/* 0/0 */
		0x00, 0x00, 0x00, 0x0a, 0x82,			/* 10/8 */
		0xf0, 0x00, 0x00, 0xac, 0x10, 0x83,		/* 172.16/12 */
		0xff, 0xff, 0x00, 0xc6, 0x12, 0x03, 0xa1,	/* /24 */
		0xff, 0xff, 0x80, 0xc6, 0x12, 0x03, 0x80, 0xa0, /* /25 */
		0xff, 0xff, 0xff, 0xc6, 0x12, 0x03, 0x01, 0x81 };
	uint8_t out[128], w[sizeof(want)];
	struct dvmrp_route back[6];
	struct dvmrp_route_iter it;
	struct dvmrp_msg m;
	size_t used, n = 0;

	memcpy(w, want, sizeof(w));
	dvmrp_seal(w, sizeof(w));
	assert_int_equal(dvmrp_build_report(out, sizeof(out), 0x0e, in, 6,
			     &used),
	    (int)sizeof(want));
	assert_memory_equal(out, w, sizeof(w));
	assert_int_equal(dvmrp_decode(out, sizeof(want), &m), DVMRP_OK);
	assert_int_equal(m.nroutes, 6);
	assert_int_equal(m.nlists, 6);
	dvmrp_routes_begin(&m, &it);
	while (dvmrp_routes_next(&it, &back[n]))
		n++;
	assert_int_equal(n, 6);
	assert_routes_equal(back, in, 6);
	assert_int_equal(dvmrp_route_cmp(&in[0], &in[1]), -1);
	assert_int_equal(dvmrp_route_cmp(&in[1], &in[0]), 1);
	assert_int_equal(dvmrp_route_cmp(&in[2], &in[2]), 0);
}

/* What cannot be sent is refused, not packed. */
static void
test_report_refuses(void **state)
{
	struct dvmrp_route bad[] = {
		dvmrp_test_route(0x0a000000u, 8, 0),  /* metric 0 */
		dvmrp_test_route(0x0a000000u, 8, 64), /* above 63 */
		dvmrp_test_route(0x0a000000u, 4, 1),  /* /4: not sendable */
		dvmrp_test_route(0x0a000000u, 8,
		    1), /* then: non-contiguous mask */
		dvmrp_test_route(0x0a000000u, 16, 1), /* then: host bits */
	};
	uint8_t out[64];
	size_t used;

	bad[3].mask.s_addr = htonl(0xff00ff00u);
	bad[4].origin.s_addr = htonl(0x0a000001u);
	static const int want[] = { DVMRP_E_REPORT_METRIC,
		DVMRP_E_REPORT_METRIC, DVMRP_E_REPORT_MASK, DVMRP_E_REPORT_MASK,
		DVMRP_E_REPORT_ORIGIN };
	size_t i;

	for (i = 0; i < 5; i++) {
		used = 99;
		assert_int_equal(dvmrp_build_report(out, sizeof(out), 0,
				     &bad[i], 1, &used),
		    -want[i]);
		assert_int_equal(used, 0);
	}
	/* An empty report is a header. */
	assert_int_equal(dvmrp_build_report(out, sizeof(out), 0, bad, 0, &used),
	    8);
	assert_int_equal(dvmrp_build_report(out, 7, 0, bad, 0, &used),
	    -DVMRP_E_NO_ROOM);
}

/* ---- neighbors2 across the boundary ------------------------------------ */

static void
test_neighbors2_split(void **state)
{
	struct in_addr many[200], one = ip("198.18.9.9");
	struct dvmrp_mrinfo_vif vifs[3] = {
		{ ip("198.18.1.1"), 1, 1, DVMRP_VIF_QUERIER, &one, 1 },
		{ ip("198.18.2.1"), 2, 16, 0, many, 200 },
		{ ip("198.18.3.1"), 3, 32, DVMRP_VIF_DOWN, NULL, 0 },
	};
	size_t next_vif = 0, next_nbr = 0, seen[3] = { 0 }, i, k;
	uint8_t buf[1024];
	unsigned msgs = 0;
	int len;

	for (i = 0; i < 200; i++)
		many[i].s_addr = htonl(0xc6120200u + (uint32_t)i + 2);
	while (next_vif < 3) {
		struct dvmrp_vif_iter it;
		struct dvmrp_vif_info v;
		struct dvmrp_msg m;

		len = dvmrp_build_neighbors2(buf, sizeof(buf), 0x0e, vifs, 3,
		    &next_vif, &next_nbr);
		assert_true(len > 8);
		assert_true(24 + len <= DVMRP_REPORT_MAX_IP);
		assert_int_equal(dvmrp_decode(buf, (size_t)len, &m), DVMRP_OK);
		dvmrp_vifs_begin(&m, &it);
		while (dvmrp_vifs_next(&it, &v)) {
			for (k = 0; k < 3; k++)
				if (v.local.s_addr == vifs[k].local.s_addr)
					break;
			assert_true(k < 3);
			assert_int_equal(v.metric, vifs[k].metric);
			assert_int_equal(v.threshold, vifs[k].threshold);
			assert_int_equal(v.flags, vifs[k].flags);
			for (i = 0; i < v.nneighbors; i++)
				assert_int_equal(dvmrp_addr_at(v.neighbors,
						     (uint16_t)i)
						     .s_addr,
				    vifs[k].neighbors[seen[k]++].s_addr);
		}
		msgs++;
	}
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 200);
	assert_int_equal(seen[2], 0);
	/* 8+4 + 8+4n <= 544: 131 of the 200 first, then 69 and the rest. */
	assert_int_equal(msgs, 2);
	next_vif = next_nbr = 0;
	assert_int_equal(dvmrp_build_neighbors2(buf, 8 + 8 + 3, 0, vifs, 3,
			     &next_vif, &next_nbr),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(next_vif, 0);
}

/* ---- malformed messages ------------------------------------------------ */

/* hex bytes (checksum resealed unless keep) must decode to rc. */
static void
expect_rc(const uint8_t *bytes, size_t len, bool keep, int rc)
{
	uint8_t buf[64];
	struct dvmrp_msg m;

	assert_true(len <= sizeof(buf));
	memcpy(buf, bytes, len);
	if (!keep && len >= 4)
		dvmrp_seal(buf, len);
	assert_int_equal(decode_exact(buf, len, &m), rc);
	if (rc != DVMRP_OK)
		assert_int_equal(m.code, 0); /* nothing half-decoded */
}

#define HDR(code) 0x13, (code), 0, 0, 0, 0x0e, 0xff, 0x03
#define EXPECT(rc, ...)                                      \
	do {                                                 \
		static const uint8_t b_[] = { __VA_ARGS__ }; \
		expect_rc(b_, sizeof(b_), false, (rc));      \
	} while (0)

static void
test_malformed(void **state)
{
	const struct dvmrp_fixture *probe = frame(19);
	uint8_t bad[64];

	/* Under the header, unsealed. */
	expect_rc(probe->bytes, 7, true, -DVMRP_E_TRUNCATED);
	expect_rc(probe->bytes, 0, true, -DVMRP_E_TRUNCATED);
	memcpy(bad, probe->bytes, probe->len);
	bad[15] ^= 1;
	expect_rc(bad, probe->len, true, -DVMRP_E_CHECKSUM);
	EXPECT(-DVMRP_E_NOT_DVMRP, 0x11, 1, 0, 0, 0, 0, 0, 0);
	EXPECT(-DVMRP_E_UNKNOWN_CODE, HDR(0));
	EXPECT(-DVMRP_E_UNKNOWN_CODE, HDR(12));
	EXPECT(DVMRP_OK, HDR(10), 1, 2, 3); /* info request: recognised */
	EXPECT(DVMRP_OK, HDR(3));	    /* ask neighbors (v1) */
	/* Probes: no GenID, a partial neighbour. */
	EXPECT(-DVMRP_E_PROBE_LENGTH, HDR(1));
	EXPECT(-DVMRP_E_PROBE_LENGTH, HDR(1), 0, 0, 1);
	EXPECT(-DVMRP_E_PROBE_LENGTH, HDR(1), 0, 0, 0, 1, 10, 0);
	/* Reports. */
	EXPECT(-DVMRP_E_REPORT_TRUNCATED, HDR(2), 0xff, 0xff);
	EXPECT(-DVMRP_E_REPORT_TRUNCATED, HDR(2), 0xff, 0xff, 0, 198, 18);
	EXPECT(-DVMRP_E_REPORT_TRUNCATED, HDR(2), 0xff, 0xff, 0, 198, 18, 3);
	/* The list never closed: metric without bit 7, then the end. */
	EXPECT(-DVMRP_E_REPORT_TRUNCATED, HDR(2), 0xff, 0xff, 0, 198, 18, 3, 1);
	EXPECT(-DVMRP_E_REPORT_MASK, HDR(2), 0xff, 0x00, 0xff, 198, 18, 3, 1,
	    0x81);
	EXPECT(-DVMRP_E_REPORT_MASK, HDR(2), 0x7f, 0x00, 0x00, 198, 18, 0x81);
	/* /20 and a third byte with bits beyond it. */
	EXPECT(-DVMRP_E_REPORT_ORIGIN, HDR(2), 0xff, 0xf0, 0x00, 198, 18, 0x0f,
	    0x81);
	EXPECT(-DVMRP_E_REPORT_METRIC, HDR(2), 0xff, 0xff, 0, 198, 18, 3, 0x80);
	EXPECT(-DVMRP_E_REPORT_METRIC, HDR(2), 0xff, 0xff, 0, 198, 18, 3, 0xc0);
	EXPECT(-DVMRP_E_REPORT_METRIC, HDR(2), 0xff, 0xff, 0, 198, 18, 3, 0x40,
	    198, 18, 4, 0x81);
	EXPECT(DVMRP_OK, HDR(2), 0xff, 0xff, 0, 198, 18, 3, 0xbf); /* 63 */
	EXPECT(DVMRP_OK, HDR(2));				   /* empty */
	/* Prunes 12 or 16, grafts and acks 8 or 12. */
	EXPECT(-DVMRP_E_PRUNE_GRAFT_LENGTH, HDR(7), 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11);
	EXPECT(-DVMRP_E_PRUNE_GRAFT_LENGTH, HDR(7), 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13);
	EXPECT(DVMRP_OK, HDR(7), 1, 2, 3, 0, 239, 1, 2, 3, 0, 0, 0, 120, 255,
	    255, 255, 0);
	EXPECT(-DVMRP_E_PRUNE_GRAFT_LENGTH, HDR(8), 1, 2, 3, 4, 5, 6, 7);
	EXPECT(-DVMRP_E_PRUNE_GRAFT_LENGTH, HDR(9), 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15, 16);
	EXPECT(-DVMRP_E_PRUNE_GRAFT_LENGTH, HDR(9));
	/* Neighbors2: a short block, a count beyond the message. */
	EXPECT(-DVMRP_E_NEIGHBORS_TRUNCATED, HDR(6), 198, 18, 2, 2, 1, 1, 0);
	EXPECT(-DVMRP_E_NEIGHBORS_TRUNCATED, HDR(6), 198, 18, 2, 2, 1, 1, 0, 2,
	    198, 18, 2, 1);
	EXPECT(DVMRP_OK, HDR(6), 198, 18, 2, 2, 1, 1, 0, 0); /* no nbrs */
	/* v1 neighbors: no flags byte. */
	EXPECT(DVMRP_OK, HDR(4), 198, 18, 2, 2, 1, 1, 1, 198, 18, 2, 1);
	EXPECT(-DVMRP_E_NEIGHBORS_TRUNCATED, HDR(4), 198, 18, 2, 2, 1, 1, 2,
	    198, 18, 2, 1);
}

/* A prune's optional netmask, and v1 neighbors, field by field. */
static void
test_optional_fields(void **state)
{
	struct in_addr mask = ip("255.255.255.0");
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	struct dvmrp_msg m;
	uint8_t out[64];
	int n;

	n = dvmrp_build_prune(out, sizeof(out), 0x2e, ip("198.18.1.0"),
	    ip("239.1.2.3"), 7200, &mask);
	assert_int_equal(n, 24);
	assert_int_equal(dvmrp_decode(out, (size_t)n, &m), DVMRP_OK);
	assert_true(m.has_netmask);
	assert_int_equal(m.netmask.s_addr, mask.s_addr);
	assert_int_equal(m.lifetime_s, 7200);
	assert_int_equal(m.caps, 0x2e);
	n = dvmrp_build_graft(out, sizeof(out), 0, ip("198.18.1.0"),
	    ip("239.1.2.3"), &mask);
	assert_int_equal(n, 20);
	assert_int_equal(dvmrp_decode(out, (size_t)n, &m), DVMRP_OK);
	assert_true(m.has_netmask);
	assert_int_equal(m.lifetime_s, 0);

	{
		static const uint8_t v1[] = { HDR(4), 198, 18, 2, 2, 3, 4, 2,
			198, 18, 2, 1, 198, 18, 2, 3 };

		memcpy(out, v1, sizeof(v1));
		dvmrp_seal(out, sizeof(v1));
		assert_int_equal(dvmrp_decode(out, sizeof(v1), &m), DVMRP_OK);
		assert_int_equal(m.nvifs, 1);
		dvmrp_vifs_begin(&m, &it);
		assert_true(dvmrp_vifs_next(&it, &v));
		assert_int_equal(v.metric, 3);
		assert_int_equal(v.threshold, 4);
		assert_int_equal(v.flags, 0);
		assert_int_equal(v.nneighbors, 2);
		assert_int_equal(dvmrp_addr_at(v.neighbors, 1).s_addr,
		    ip("198.18.2.3").s_addr);
		assert_false(dvmrp_vifs_next(&it, &v));
	}
}

/* Every encoder says when the buffer is short, and writes nothing past. */
static void
test_no_room(void **state)
{
	struct in_addr a = ip("198.18.1.0"), g = ip("239.1.2.3");
	uint8_t out[32];

	assert_int_equal(dvmrp_build_probe(out, 11, 0, 1, NULL, 0),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_probe(out, 15, 0, 1, &a, 1),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_probe(out, 16, 0, 1, &a, 1), 16);
	assert_int_equal(dvmrp_build_prune(out, 19, 0, a, g, 1, NULL),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_prune(out, 23, 0, a, g, 1, &a),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_graft(out, 15, 0, a, g, NULL),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_graft_ack(out, 19, 0, a, g, &a),
	    -DVMRP_E_NO_ROOM);
	assert_int_equal(dvmrp_build_ask_neighbors2(out, 7, 0),
	    -DVMRP_E_NO_ROOM);
}

/*
 * Every prefix of every captured message, resealed so that the checks
 * past the checksum run: refused or decoded, never read past its end.
 */
static void
test_prefixes(void **state)
{
	struct dvmrp_msg m;
	uint8_t buf[80];
	size_t i, len;
	int rc;

	for (i = 0; i < NFIXTURES; i++) {
		const struct dvmrp_fixture *f = &dvmrp_fixtures[i];

		for (len = 0; len < f->len; len++) {
			memcpy(buf, f->bytes, len);
			if (len >= 4)
				dvmrp_seal(buf, len);
			rc = decode_exact(buf, len, &m);
			assert_true(rc <= 0 && rc > -DVMRP_E_COUNT);
		}
	}
}

static void
test_names(void **state)
{
	int i, j;

	assert_string_equal(dvmrp_error_name(DVMRP_OK), "ok");
	assert_string_equal(dvmrp_error_name(-DVMRP_E_REPORT_TRUNCATED),
	    "report truncated");
	assert_string_equal(dvmrp_error_key(-DVMRP_E_REPORT_TRUNCATED),
	    "report_truncated");
	assert_string_equal(dvmrp_error_name(DVMRP_E_COUNT), "unknown error");
	for (i = 1; i < DVMRP_E_COUNT; i++) {
		assert_string_equal(dvmrp_error_name(i), dvmrp_error_name(-i));
		for (j = 0; j < i; j++) {
			assert_string_not_equal(dvmrp_error_name(i),
			    dvmrp_error_name(j));
			assert_string_not_equal(dvmrp_error_key(i),
			    dvmrp_error_key(j));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_decode),
		cmocka_unit_test(test_capture_reencode),
		cmocka_unit_test(test_encode_as_mrouted),
		cmocka_unit_test(test_ip_header),
		cmocka_unit_test(test_report_packing),
		cmocka_unit_test(test_report_bytes),
		cmocka_unit_test(test_report_refuses),
		cmocka_unit_test(test_neighbors2_split),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_optional_fields),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
