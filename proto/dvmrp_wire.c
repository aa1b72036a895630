/*
 * DVMRP on the wire (draft-ietf-idmr-dvmrp-v3-11 4, mrouted 4.x "3.255"):
 * the decoder of every message, the route and neighbour-block iterators,
 * and the encoders, reports and mrinfo replies packed into 576-byte
 * datagrams.  See dvmrp_wire.h for the contract.
 *
 * Choices made here (documented so tests and callers can rely on them):
 *  - A report's mask is checked as mrouted checks it (contiguous), and
 *    more: an origin with bits beyond its mask, a metric of 0 or above 63
 *    (mrouted's "out-of-range metric": 1..31, 32 infinity, 33..63 poison
 *    reverse) refuse the whole message, so that an engine never applies
 *    half a report.  The order of lists and origins is not checked (mrouted
 *    sorts what it receives too).
 *  - Prunes are 12 or 16 bytes of body, grafts and graft acks 8 or 12
 *    (the optional netmask); anything else is DVMRP_E_PRUNE_GRAFT_LENGTH.
 *  - A probe is a GenID and 4 bytes per neighbour, nothing else, as
 *    mrouted's update_neighbor() requires.
 */
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_wire.h"

#define DVMRP_WIRE_MASK_BYTES 3	   /* the mask's low 3 bytes */
#define DVMRP_WIRE_LIST_END   0x80 /* metric bit 7: last route of a list */
#define DVMRP_WIRE_METRIC     0x7f
#define DVMRP_WIRE_MAX_CODE   DVMRP_INFO_REPLY
#define DVMRP_WIRE_NBR_HDR    8 /* local(4) metric threshold flags count */
#define DVMRP_WIRE_NBR_HDR_V1 7 /* no flags byte in v1 neighbors */
#define DVMRP_WIRE_NCOUNT_MAX 255

/* 576 - 24 - 8 (dvmrp_wire.h); mrouted's 576 - 60 - 8 = 508 fits in it. */
_Static_assert(DVMRP_BODY_MAX == 544, "576-byte datagram, 24-byte IP header");
_Static_assert(576 - 60 - 8 <= DVMRP_BODY_MAX, "mrouted MAX_DVMRP_DATA_LEN");
_Static_assert(DVMRP_E_NO_ROOM + 1 == DVMRP_E_COUNT, "DVMRP_E_COUNT");

static uint32_t
dvmrp_wire_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
dvmrp_wire_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
dvmrp_wire_put_addr(uint8_t *p, struct in_addr a)
{
	memcpy(p, &a.s_addr, sizeof(a.s_addr));
}

struct in_addr
dvmrp_addr_at(const uint8_t *list, uint16_t i)
{
	return igmp_source_at(list, i);
}

/* A netmask of contiguous one bits from the top (0 included). */
static bool
dvmrp_wire_mask_ok(uint32_t mask)
{
	uint32_t inv = ~mask;

	return (inv & (inv + 1)) == 0;
}

/*
 * How many origin bytes a mask takes (mrouted dvmrp.h): one, plus one per
 * non-zero byte of the mask's low three.
 */
static uint8_t
dvmrp_wire_width(uint32_t mask)
{
	return (uint8_t)(1 + ((mask >> 16 & 0xff) != 0) +
	    ((mask >> 8 & 0xff) != 0) + ((mask & 0xff) != 0));
}

/* A route as it may travel: 1..63, mask /0 or /8../32, no host bits. */
static int
dvmrp_wire_route_check(uint32_t origin, uint32_t mask, uint8_t metric)
{
	if (metric == 0 || metric > DVMRP_POISON_MAX)
		return DVMRP_E_REPORT_METRIC;
	if (!dvmrp_wire_mask_ok(mask) || (mask != 0 && mask < 0xff000000u))
		return DVMRP_E_REPORT_MASK;
	if ((origin & ~mask) != 0)
		return DVMRP_E_REPORT_ORIGIN;
	return DVMRP_OK;
}

/*
 * One step through a report body (draft 4.3.2): a mask when no list is
 * open, then one (origin, metric).  Shared by the decoder, which checks
 * every route, and the iterator, which hands them out.
 */
static int
dvmrp_wire_route_step(const uint8_t *body, size_t len,
    struct dvmrp_route_iter *it, struct dvmrp_route *r)
{
	uint32_t mask, origin = 0;
	uint8_t i, metric;
	int rc;

	it->new_list = !it->in_list;
	if (!it->in_list) {
		if (len - it->offset < DVMRP_WIRE_MASK_BYTES)
			return DVMRP_E_REPORT_TRUNCATED;
		mask = 0xff000000u | (uint32_t)body[it->offset] << 16 |
		    (uint32_t)body[it->offset + 1] << 8 | body[it->offset + 2];
		if (!dvmrp_wire_mask_ok(mask))
			return DVMRP_E_REPORT_MASK;
		it->mask.s_addr = htonl(mask);
		it->width = dvmrp_wire_width(mask);
		it->offset += DVMRP_WIRE_MASK_BYTES;
		it->in_list = true;
	}
	if (len - it->offset < (size_t)it->width + 1)
		return DVMRP_E_REPORT_TRUNCATED;
	for (i = 0; i < 4; i++)
		origin = origin << 8 |
		    (i < it->width ? body[it->offset + i] : 0);
	metric = body[it->offset + it->width];
	mask = ntohl(it->mask.s_addr);
	/* Draft 3.4.3: mask 0.0.0 and origin 0 is the default route. */
	if (origin == 0 && mask == 0xff000000u)
		mask = 0;
	rc = dvmrp_wire_route_check(origin, mask, metric & DVMRP_WIRE_METRIC);
	if (rc != DVMRP_OK)
		return rc;
	it->offset += (size_t)it->width + 1;
	it->in_list = (metric & DVMRP_WIRE_LIST_END) == 0;
	r->origin.s_addr = htonl(origin);
	r->mask.s_addr = htonl(mask);
	r->metric = metric & DVMRP_WIRE_METRIC;
	return DVMRP_OK;
}

static int
dvmrp_wire_decode_report(struct dvmrp_msg *m)
{
	struct dvmrp_route_iter it;
	struct dvmrp_route r;
	int rc;

	memset(&it, 0, sizeof(it));
	while (it.offset < m->body_len) {
		rc = dvmrp_wire_route_step(m->body, m->body_len, &it, &r);
		if (rc != DVMRP_OK)
			return rc;
		m->nroutes++;
		m->nlists += it.new_list;
	}
	/* The body ended inside a list: its last metric had no bit 7. */
	return it.in_list ? DVMRP_E_REPORT_TRUNCATED : DVMRP_OK;
}

/*
 * One local-address block of a neighbors2 reply (or, without the flags
 * byte, of a v1 neighbors reply): its length, or 0 when it does not fit.
 */
static size_t
dvmrp_wire_vif_step(const uint8_t *p, size_t avail, bool v2,
    struct dvmrp_vif_info *v)
{
	size_t hdr = v2 ? DVMRP_WIRE_NBR_HDR : DVMRP_WIRE_NBR_HDR_V1;
	size_t need;

	if (avail < hdr)
		return 0;
	need = hdr + 4 * (size_t)p[hdr - 1];
	if (need > avail)
		return 0;
	v->local = dvmrp_addr_at(p, 0);
	v->metric = p[4];
	v->threshold = p[5];
	v->flags = v2 ? p[6] : 0;
	v->nneighbors = p[hdr - 1];
	v->neighbors = p + hdr;
	return need;
}

static int
dvmrp_wire_decode_vifs(struct dvmrp_msg *m)
{
	struct dvmrp_vif_info v;
	size_t off = 0, n;

	while (off < m->body_len) {
		n = dvmrp_wire_vif_step(m->body + off, m->body_len - off,
		    m->code == DVMRP_NEIGHBORS2, &v);
		if (n == 0)
			return DVMRP_E_NEIGHBORS_TRUNCATED;
		off += n;
		m->nvifs++;
	}
	return DVMRP_OK;
}

/* Prune (draft 4.4.1), graft (4.5.1), graft ack (4.5.2). */
static int
dvmrp_wire_decode_prune_graft(struct dvmrp_msg *m)
{
	size_t base = m->code == DVMRP_PRUNE ? DVMRP_PRUNE_LEN :
					       DVMRP_GRAFT_LEN;

	base -= DVMRP_HDR_LEN;
	if (m->body_len != base && m->body_len != base + DVMRP_NETMASK_LEN)
		return DVMRP_E_PRUNE_GRAFT_LENGTH;
	m->source = dvmrp_addr_at(m->body, 0);
	m->group = dvmrp_addr_at(m->body, 1);
	if (m->code == DVMRP_PRUNE)
		m->lifetime_s = dvmrp_wire_get32(m->body + 8);
	m->has_netmask = m->body_len > base;
	if (m->has_netmask)
		m->netmask = dvmrp_addr_at(m->body + base, 0);
	return DVMRP_OK;
}

/* Probe (draft 4.2.1): GenID, then the neighbours heard on the VIF. */
static int
dvmrp_wire_decode_probe(struct dvmrp_msg *m)
{
	size_t n;

	if (m->body_len < 4 || m->body_len % 4 != 0)
		return DVMRP_E_PROBE_LENGTH;
	n = (m->body_len - 4) / 4;
	if (n > UINT16_MAX)
		return DVMRP_E_PROBE_LENGTH;
	m->genid = dvmrp_wire_get32(m->body);
	m->nneighbors = (uint16_t)n;
	m->neighbors = m->body + 4;
	return DVMRP_OK;
}

static int
dvmrp_wire_decode(const uint8_t *buf, size_t len, struct dvmrp_msg *m)
{
	if (len < DVMRP_HDR_LEN)
		return DVMRP_E_TRUNCATED;
	if (igmp_checksum(buf, len) != 0)
		return DVMRP_E_CHECKSUM;
	if (buf[0] != IGMP_TYPE_DVMRP)
		return DVMRP_E_NOT_DVMRP;
	m->code = buf[1];
	m->caps = buf[5];
	m->minor = buf[6];
	m->major = buf[7];
	m->length = len;
	m->body = buf + DVMRP_HDR_LEN;
	m->body_len = len - DVMRP_HDR_LEN;
	switch (m->code) {
	case DVMRP_PROBE:
		return dvmrp_wire_decode_probe(m);
	case DVMRP_REPORT:
		return dvmrp_wire_decode_report(m);
	case DVMRP_NEIGHBORS:
	case DVMRP_NEIGHBORS2:
		return dvmrp_wire_decode_vifs(m);
	case DVMRP_PRUNE:
	case DVMRP_GRAFT:
	case DVMRP_GRAFT_ACK:
		return dvmrp_wire_decode_prune_graft(m);
	case DVMRP_ASK_NEIGHBORS:
	case DVMRP_ASK_NEIGHBORS2:
	case DVMRP_INFO_REQUEST:
	case DVMRP_INFO_REPLY:
		return DVMRP_OK;
	}
	return DVMRP_E_UNKNOWN_CODE;
}

int
dvmrp_decode(const uint8_t *buf, size_t len, struct dvmrp_msg *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = dvmrp_wire_decode(buf, len, out);
	if (rc == DVMRP_OK)
		return DVMRP_OK;
	/* Nothing of a refused message is left to be misread. */
	memset(out, 0, sizeof(*out));
	return -rc;
}

void
dvmrp_routes_begin(const struct dvmrp_msg *msg, struct dvmrp_route_iter *it)
{
	memset(it, 0, sizeof(*it));
	it->msg = msg;
}

bool
dvmrp_routes_next(struct dvmrp_route_iter *it, struct dvmrp_route *r)
{
	const struct dvmrp_msg *m = it->msg;

	if (m->code != DVMRP_REPORT || it->index >= m->nroutes ||
	    it->offset >= m->body_len)
		return false;
	/* Checked again: a hand-made msg must not walk us off the end. */
	if (dvmrp_wire_route_step(m->body, m->body_len, it, r) != DVMRP_OK)
		return false;
	it->index++;
	return true;
}

void
dvmrp_vifs_begin(const struct dvmrp_msg *msg, struct dvmrp_vif_iter *it)
{
	it->msg = msg;
	it->offset = 0;
	it->index = 0;
}

bool
dvmrp_vifs_next(struct dvmrp_vif_iter *it, struct dvmrp_vif_info *v)
{
	const struct dvmrp_msg *m = it->msg;
	size_t n;

	if ((m->code != DVMRP_NEIGHBORS2 && m->code != DVMRP_NEIGHBORS) ||
	    it->index >= m->nvifs || it->offset >= m->body_len)
		return false;
	n = dvmrp_wire_vif_step(m->body + it->offset, m->body_len - it->offset,
	    m->code == DVMRP_NEIGHBORS2, v);
	if (n == 0)
		return false;
	it->offset += n;
	it->index++;
	return true;
}

/* ---- encoders ----------------------------------------------------------- */

/* The 8-byte header; the checksum comes last (dvmrp_seal). */
static void
dvmrp_wire_header(uint8_t *buf, uint8_t code, uint8_t caps)
{
	buf[0] = IGMP_TYPE_DVMRP;
	buf[1] = code;
	buf[2] = buf[3] = 0;
	buf[4] = 0;
	buf[5] = caps;
	buf[6] = DVMRP_MINOR;
	buf[7] = DVMRP_MAJOR;
}

void
dvmrp_seal(uint8_t *buf, size_t len)
{
	uint16_t sum;

	buf[2] = buf[3] = 0;
	sum = igmp_checksum(buf, len);
	buf[2] = (uint8_t)(sum >> 8);
	buf[3] = (uint8_t)sum;
}

/* The checksum of a finished message, and its length to return. */
static int
dvmrp_wire_seal(uint8_t *buf, size_t len)
{
	dvmrp_seal(buf, len);
	return (int)len;
}

/* The body room of a packed message (report, neighbors2) in cap bytes. */
static size_t
dvmrp_wire_room(size_t cap)
{
	size_t room = cap - DVMRP_HDR_LEN;

	return room < DVMRP_BODY_MAX ? room : DVMRP_BODY_MAX;
}

int
dvmrp_build_probe(uint8_t *buf, size_t cap, uint8_t caps, uint32_t genid,
    const struct in_addr *neighbors, size_t nneighbors)
{
	size_t len, i;

	if (cap < DVMRP_PROBE_MIN_LEN ||
	    nneighbors > (cap - DVMRP_PROBE_MIN_LEN) / 4)
		return -DVMRP_E_NO_ROOM;
	len = DVMRP_PROBE_MIN_LEN + 4 * nneighbors;
	dvmrp_wire_header(buf, DVMRP_PROBE, caps);
	dvmrp_wire_put32(buf + DVMRP_HDR_LEN, genid);
	for (i = 0; i < nneighbors; i++)
		dvmrp_wire_put_addr(buf + DVMRP_PROBE_MIN_LEN + 4 * i,
		    neighbors[i]);
	return dvmrp_wire_seal(buf, len);
}

int
dvmrp_route_cmp(const void *a, const void *b)
{
	const struct dvmrp_route *x = a, *y = b;
	uint32_t xm = ntohl(x->mask.s_addr), ym = ntohl(y->mask.s_addr);
	uint32_t xo = ntohl(x->origin.s_addr), yo = ntohl(y->origin.s_addr);

	if (xm != ym)
		return xm < ym ? -1 : 1;
	if (xo != yo)
		return xo < yo ? -1 : 1;
	return 0;
}

/*
 * Draft 4.3.2: (mask, (origin, metric)...) lists in as many of the
 * routes as fit; mrouted's report_chunk() packs the same way.
 */
int
dvmrp_build_report(uint8_t *buf, size_t cap, uint8_t caps,
    const struct dvmrp_route *routes, size_t nroutes, size_t *consumed)
{
	size_t room, used = 0, last = 0, need, i;
	uint32_t mask = 0, origin;
	bool open = false, next_list;
	uint8_t width = 0, k;
	int rc;

	*consumed = 0;
	if (cap < DVMRP_HDR_LEN)
		return -DVMRP_E_NO_ROOM;
	room = dvmrp_wire_room(cap);
	for (i = 0; i < nroutes; i++) {
		origin = ntohl(routes[i].origin.s_addr);
		rc = dvmrp_wire_route_check(origin,
		    ntohl(routes[i].mask.s_addr), routes[i].metric);
		if (rc != DVMRP_OK)
			return -rc;
		next_list = !open || ntohl(routes[i].mask.s_addr) != mask;
		need = dvmrp_wire_width(ntohl(routes[i].mask.s_addr)) + 1u +
		    (next_list ? DVMRP_WIRE_MASK_BYTES : 0);
		if (used + need > room)
			break;
		if (next_list) {
			if (open)
				buf[last] |= DVMRP_WIRE_LIST_END;
			mask = ntohl(routes[i].mask.s_addr);
			width = dvmrp_wire_width(mask);
			buf[DVMRP_HDR_LEN + used++] = (uint8_t)(mask >> 16);
			buf[DVMRP_HDR_LEN + used++] = (uint8_t)(mask >> 8);
			buf[DVMRP_HDR_LEN + used++] = (uint8_t)mask;
			open = true;
		}
		for (k = 0; k < width; k++)
			buf[DVMRP_HDR_LEN + used++] = (uint8_t)(origin >>
			    (24 - 8 * k));
		last = DVMRP_HDR_LEN + used++;
		buf[last] = routes[i].metric;
	}
	if (i == 0 && nroutes > 0)
		return -DVMRP_E_NO_ROOM;
	if (open)
		buf[last] |= DVMRP_WIRE_LIST_END;
	dvmrp_wire_header(buf, DVMRP_REPORT, caps);
	*consumed = i;
	return dvmrp_wire_seal(buf, DVMRP_HDR_LEN + used);
}

/* Prune, graft and graft ack share their shape (draft 4.4.1, 4.5). */
static int
dvmrp_wire_build_sg(uint8_t *buf, size_t cap, uint8_t code, uint8_t caps,
    struct in_addr source, struct in_addr group, const uint32_t *lifetime_s,
    const struct in_addr *netmask)
{
	size_t len = DVMRP_HDR_LEN + 8;

	len += lifetime_s ? 4 : 0;
	len += netmask ? DVMRP_NETMASK_LEN : 0;
	if (cap < len)
		return -DVMRP_E_NO_ROOM;
	dvmrp_wire_header(buf, code, caps);
	dvmrp_wire_put_addr(buf + DVMRP_HDR_LEN, source);
	dvmrp_wire_put_addr(buf + DVMRP_HDR_LEN + 4, group);
	if (lifetime_s)
		dvmrp_wire_put32(buf + DVMRP_HDR_LEN + 8, *lifetime_s);
	if (netmask)
		dvmrp_wire_put_addr(buf + len - DVMRP_NETMASK_LEN, *netmask);
	return dvmrp_wire_seal(buf, len);
}

int
dvmrp_build_prune(uint8_t *buf, size_t cap, uint8_t caps, struct in_addr source,
    struct in_addr group, uint32_t lifetime_s, const struct in_addr *netmask)
{
	return dvmrp_wire_build_sg(buf, cap, DVMRP_PRUNE, caps, source, group,
	    &lifetime_s, netmask);
}

int
dvmrp_build_graft(uint8_t *buf, size_t cap, uint8_t caps, struct in_addr source,
    struct in_addr group, const struct in_addr *netmask)
{
	return dvmrp_wire_build_sg(buf, cap, DVMRP_GRAFT, caps, source, group,
	    NULL, netmask);
}

int
dvmrp_build_graft_ack(uint8_t *buf, size_t cap, uint8_t caps,
    struct in_addr source, struct in_addr group, const struct in_addr *netmask)
{
	return dvmrp_wire_build_sg(buf, cap, DVMRP_GRAFT_ACK, caps, source,
	    group, NULL, netmask);
}

int
dvmrp_build_ask_neighbors2(uint8_t *buf, size_t cap, uint8_t caps)
{
	if (cap < DVMRP_HDR_LEN)
		return -DVMRP_E_NO_ROOM;
	dvmrp_wire_header(buf, DVMRP_ASK_NEIGHBORS2, caps);
	return dvmrp_wire_seal(buf, DVMRP_HDR_LEN);
}

/* mrouted's accept_neighbor_request2(): blocks, split when too long. */
int
dvmrp_build_neighbors2(uint8_t *buf, size_t cap, uint8_t caps,
    const struct dvmrp_mrinfo_vif *vifs, size_t nvifs, size_t *next_vif,
    size_t *next_nbr)
{
	const struct dvmrp_mrinfo_vif *v;
	size_t room, used = 0, first;
	uint8_t *p, count;

	if (cap < DVMRP_HDR_LEN)
		return -DVMRP_E_NO_ROOM;
	room = dvmrp_wire_room(cap);
	while (*next_vif < nvifs) {
		v = &vifs[*next_vif];
		first = *next_nbr < v->nneighbors ? 4 : 0;
		if (used + DVMRP_WIRE_NBR_HDR + first > room)
			break;
		p = buf + DVMRP_HDR_LEN + used;
		dvmrp_wire_put_addr(p, v->local);
		p[4] = v->metric;
		p[5] = v->threshold;
		p[6] = v->flags;
		used += DVMRP_WIRE_NBR_HDR;
		for (count = 0; *next_nbr < v->nneighbors && used + 4 <= room &&
		     count < DVMRP_WIRE_NCOUNT_MAX;
		     count++, (*next_nbr)++, used += 4)
			dvmrp_wire_put_addr(buf + DVMRP_HDR_LEN + used,
			    v->neighbors[*next_nbr]);
		p[7] = count;
		if (*next_nbr < v->nneighbors)
			break; /* the rest of this block in the next message */
		(*next_vif)++;
		*next_nbr = 0;
	}
	if (used == 0 && *next_vif < nvifs)
		return -DVMRP_E_NO_ROOM;
	dvmrp_wire_header(buf, DVMRP_NEIGHBORS2, caps);
	return dvmrp_wire_seal(buf, DVMRP_HDR_LEN + used);
}

static const struct {
	const char *name;
	const char *key;
} dvmrp_wire_errors[DVMRP_E_COUNT] = {
	[DVMRP_OK] = { "ok", "ok" },
	[DVMRP_E_TRUNCATED] = { "shorter than 8 bytes", "truncated" },
	[DVMRP_E_CHECKSUM] = { "bad checksum", "checksum" },
	[DVMRP_E_NOT_DVMRP] = { "not DVMRP (IGMP type not 0x13)", "not_dvmrp" },
	[DVMRP_E_UNKNOWN_CODE] = { "unknown code", "unknown_code" },
	[DVMRP_E_PROBE_LENGTH] = { "probe neighbour list not 4n bytes",
	    "probe_length" },
	[DVMRP_E_REPORT_TRUNCATED] = { "report truncated", "report_truncated" },
	[DVMRP_E_REPORT_MASK] = { "report netmask not contiguous",
	    "report_mask" },
	[DVMRP_E_REPORT_ORIGIN] = { "report origin has bits beyond its mask",
	    "report_origin" },
	[DVMRP_E_REPORT_METRIC] = { "report metric 0 or above 63",
	    "report_metric" },
	[DVMRP_E_PRUNE_GRAFT_LENGTH] = { "prune or graft of a wrong length",
	    "prune_graft_length" },
	[DVMRP_E_NEIGHBORS_TRUNCATED] = { "neighbors2 truncated",
	    "neighbors_truncated" },
	[DVMRP_E_NO_ROOM] = { "no room", "no_room" },
};

const char *
dvmrp_error_name(int error)
{
	if (error < 0)
		error = -error;
	return error < DVMRP_E_COUNT ? dvmrp_wire_errors[error].name :
				       "unknown error";
}

const char *
dvmrp_error_key(int error)
{
	if (error < 0)
		error = -error;
	return error < DVMRP_E_COUNT ? dvmrp_wire_errors[error].key : "unknown";
}
