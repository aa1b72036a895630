/*
 * IGMP on the wire: the checksum, the Max Resp Code / QQIC floating point,
 * decoders for every message sharing IP protocol 2 (IGMP v1/v2/v3, DVMRP,
 * mtrace, PIM v1 recognised), the IPv4 header IGMP travels in, and the
 * encoders.  See igmp_wire.h for the contract.
 *
 * Choices made here (documented so tests and callers can rely on them):
 *  - v1/v2 reports, leaves and DVMRP longer than 8 bytes are accepted and
 *    the extra bytes ignored (RFC 2236 2.5); queries follow RFC 3376 7.1.
 *  - Bytes after the last v3 query source or v3 group record are ignored
 *    (RFC 3376 4.1.10 "Additional Data", 4.2.10 likewise).
 *  - mtrace: mtrace_nblocks counts whole 32-byte response blocks after the
 *    24-byte header; a partial block at the end is ignored, not rejected.
 *  - IPv4 options: a Router Alert option with a length other than 4 is not
 *    counted as Router Alert; an option with length < 2 or running past
 *    the header is IGMP_E_IP_HEADER_LENGTH.
 *  - igmp_ip_build sets DF and IP ID 0, as Linux does for its own IGMP
 *    (net/ipv4/igmp.c: igmp_send_report() and igmpv3_newpack() set
 *    frag_off = htons(IP_DF); the ID of a DF packet without a connected
 *    socket is 0).
 */
#include <limits.h>
#include <string.h>

#include "igmp_wire.h"

#define IGMP_WIRE_IP_MIN_HLEN		   20
#define IGMP_WIRE_IP_RA_HLEN		   24 /* 20 + Router Alert option */
#define IGMP_WIRE_IP_DF			   0x4000
#define IGMP_WIRE_IP_MF			   0x2000
#define IGMP_WIRE_IP_OFFMASK		   0x1fff
#define IGMP_WIRE_IPPROTO_IGMP		   2
#define IGMP_WIRE_IPOPT_EOL		   0
#define IGMP_WIRE_IPOPT_NOP		   1
#define IGMP_WIRE_IPOPT_RA		   0x94 /* RFC 2113: copied, class 0, 20 */
#define IGMP_WIRE_IPOPT_RA_LEN		   4
#define IGMP_WIRE_TOS_INTERNETWORK_CONTROL 0xc0
#define IGMP_WIRE_MTRACE_HDR_LEN	   24
#define IGMP_WIRE_MTRACE_BLOCK_LEN	   32
#define IGMP_WIRE_V1_MAX_RESP_TENTHS	   100	 /* RFC 1112: fixed 10 s */
#define IGMP_WIRE_FLOAT_MAX		   31744 /* (0xf | 0x10) << (7 + 3) */
#define IGMP_WIRE_QRV_MAX		   7

static uint16_t
igmp_wire_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
igmp_wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static struct in_addr
igmp_wire_get_addr(const uint8_t *p)
{
	struct in_addr a;

	memcpy(&a.s_addr, p, sizeof(a.s_addr));
	return a;
}

static void
igmp_wire_put_addr(uint8_t *p, struct in_addr a)
{
	memcpy(p, &a.s_addr, sizeof(a.s_addr));
}

/* RFC 1071 Computing the Internet Checksum: the one's complement sum. */
uint16_t
igmp_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += (uint32_t)buf[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

/* Write the checksum of a message whose checksum field is at bytes 2..3. */
static void
igmp_wire_seal(uint8_t *buf, size_t len, size_t at)
{
	buf[at] = 0;
	buf[at + 1] = 0;
	igmp_wire_put16(buf + at, igmp_checksum(buf, len));
}

/*
 * RFC 3376 4.1.1 Max Resp Code and 4.1.7 QQIC: below 128 the value itself,
 * otherwise 1 | exp(3) | mant(4) meaning (mant | 0x10) << (exp + 3).
 */
uint32_t
igmp_float_decode(uint8_t code)
{
	uint32_t exp, mant;

	if (code < 0x80)
		return code;
	exp = (code >> 4) & 0x7;
	mant = code & 0xf;
	return (mant | 0x10) << (exp + 3);
}

/*
 * RFC 3376 4.1.1 / 4.1.7 the other way: the code of the largest value the
 * format can carry that is <= value (truncation, as mrouted does).
 */
uint8_t
igmp_float_encode(uint32_t value)
{
	uint32_t exp = 0;

	if (value < 0x80)
		return (uint8_t)value;
	if (value >= IGMP_WIRE_FLOAT_MAX)
		return 0xff;
	while ((value >> (exp + 3)) > 0x1f)
		exp++;
	return (uint8_t)(0x80 | exp << 4 | ((value >> (exp + 3)) & 0xf));
}

/* RFC 3376 4.1.6 QRV: the Robustness Variable if it fits 3 bits, else 0. */
static uint8_t
igmp_wire_qrv(uint8_t robustness)
{
	return robustness <= IGMP_WIRE_QRV_MAX ? robustness : 0;
}

/*
 * RFC 3376 7.1 Query Version Distinctions: v1 is 8 bytes with Max Resp
 * Code 0, v2 is 8 bytes with a non-zero code, v3 is 12 bytes or more;
 * 9-11 bytes are not a valid query and MUST be silently ignored.
 */
static int
igmp_wire_query_kind(size_t len, uint8_t code, enum igmp_kind *kind)
{
	if (len == IGMP_MIN_LEN) {
		*kind = code == 0 ? IGMP_KIND_V1_QUERY : IGMP_KIND_V2_QUERY;
		return IGMP_OK;
	}
	if (len < IGMP_V3_QUERY_MIN_LEN)
		return IGMP_E_QUERY_LENGTH;
	*kind = IGMP_KIND_V3_QUERY;
	return IGMP_OK;
}

/* Queries of every version (RFC 1112 App. I, RFC 2236 2, RFC 3376 4.1). */
static int
igmp_wire_decode_query(const uint8_t *buf, size_t len, struct igmp_msg *m)
{
	int rc;

	if ((rc = igmp_wire_query_kind(len, m->code, &m->kind)) != IGMP_OK)
		return rc;
	m->group = igmp_wire_get_addr(buf + 4);
	switch (m->kind) {
	case IGMP_KIND_V1_QUERY:
		m->max_resp_tenths = IGMP_WIRE_V1_MAX_RESP_TENTHS;
		return IGMP_OK;
	case IGMP_KIND_V2_QUERY:
		m->max_resp_tenths = m->code;
		return IGMP_OK;
	default:
		break;
	}
	m->max_resp_tenths = igmp_float_decode(m->code);
	m->suppress = (buf[8] & 0x08) != 0;
	m->qrv = buf[8] & 0x07;
	m->qqic = buf[9];
	m->qqi_s = igmp_float_decode(m->qqic);
	m->nsources = igmp_wire_get16(buf + 10);
	if ((len - IGMP_V3_QUERY_MIN_LEN) / 4 < m->nsources)
		return IGMP_E_SOURCES_TRUNCATED;
	m->sources = buf + IGMP_V3_QUERY_MIN_LEN;
	return IGMP_OK;
}

/*
 * The length of the group record at rec (RFC 3376 4.2.4: header, sources,
 * aux data), or 0 when it does not fit in avail bytes.
 */
static size_t
igmp_wire_record_len(const uint8_t *rec, size_t avail)
{
	size_t need;

	if (avail < IGMP_V3_RECORD_MIN_LEN)
		return 0;
	need = IGMP_V3_RECORD_MIN_LEN + 4 * (size_t)igmp_wire_get16(rec + 2) +
	    4 * (size_t)rec[1];
	return need <= avail ? need : 0;
}

/* RFC 3376 4.2 Version 3 Membership Report: every record must fit. */
static int
igmp_wire_decode_v3_report(const uint8_t *buf, size_t len, struct igmp_msg *m)
{
	size_t off = IGMP_V3_REPORT_MIN_LEN, rlen;
	uint16_t i;

	m->kind = IGMP_KIND_V3_REPORT;
	m->nrecords = igmp_wire_get16(buf + 6);
	for (i = 0; i < m->nrecords; i++) {
		rlen = igmp_wire_record_len(buf + off, len - off);
		if (rlen == 0)
			return IGMP_E_RECORD_TRUNCATED;
		off += rlen;
	}
	m->records = buf + IGMP_V3_REPORT_MIN_LEN;
	m->records_len = off - IGMP_V3_REPORT_MIN_LEN;
	return IGMP_OK;
}

/* DVMRP (draft-ietf-idmr-dvmrp-v3-11 4.1): reserved, caps, minor, major. */
static int
igmp_wire_decode_dvmrp(const uint8_t *buf, struct igmp_msg *m)
{
	m->kind = IGMP_KIND_DVMRP;
	m->dvmrp_caps = buf[5];
	m->dvmrp_minor = buf[6];
	m->dvmrp_major = buf[7];
	return IGMP_OK;
}

/*
 * mtrace (draft-ietf-idmr-traceroute-ipm 3.1): a 24-byte header, then
 * 32-byte response blocks; a partial trailing block is ignored.
 */
static int
igmp_wire_decode_mtrace(const uint8_t *buf, size_t len, struct igmp_msg *m)
{
	size_t n;

	if (len < IGMP_WIRE_MTRACE_HDR_LEN)
		return IGMP_E_MTRACE_SHORT;
	m->kind = m->type == IGMP_TYPE_MTRACE ? IGMP_KIND_MTRACE_QUERY :
						IGMP_KIND_MTRACE_RESPONSE;
	m->mtrace_hops = buf[1];
	m->group = igmp_wire_get_addr(buf + 4);
	m->mtrace_source = igmp_wire_get_addr(buf + 8);
	m->mtrace_dest = igmp_wire_get_addr(buf + 12);
	m->mtrace_response_addr = igmp_wire_get_addr(buf + 16);
	m->mtrace_response_ttl = buf[20];
	m->mtrace_query_id = (uint32_t)buf[21] << 16 | (uint32_t)buf[22] << 8 |
	    buf[23];
	n = (len - IGMP_WIRE_MTRACE_HDR_LEN) / IGMP_WIRE_MTRACE_BLOCK_LEN;
	m->mtrace_nblocks = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
	return IGMP_OK;
}

int
igmp_decode(const uint8_t *buf, size_t len, struct igmp_msg *out)
{
	memset(out, 0, sizeof(*out));
	if (len < IGMP_MIN_LEN)
		return IGMP_E_SHORT;
	if (igmp_checksum(buf, len) != 0)
		return IGMP_E_CHECKSUM;
	out->type = buf[0];
	out->code = buf[1];
	out->checksum = igmp_wire_get16(buf + 2);
	out->length = len;
	out->kind = IGMP_KIND_UNKNOWN;

	switch (out->type) {
	case IGMP_TYPE_QUERY:
		return igmp_wire_decode_query(buf, len, out);
	case IGMP_TYPE_V1_REPORT:
		out->kind = IGMP_KIND_V1_REPORT;
		break;
	case IGMP_TYPE_V2_REPORT:
		out->kind = IGMP_KIND_V2_REPORT;
		break;
	case IGMP_TYPE_V2_LEAVE:
		out->kind = IGMP_KIND_V2_LEAVE;
		break;
	case IGMP_TYPE_V3_REPORT:
		return igmp_wire_decode_v3_report(buf, len, out);
	case IGMP_TYPE_DVMRP:
		return igmp_wire_decode_dvmrp(buf, out);
	case IGMP_TYPE_MTRACE:
	case IGMP_TYPE_MTRACE_RESP:
		return igmp_wire_decode_mtrace(buf, len, out);
	case IGMP_TYPE_PIM_V1:
		out->kind = IGMP_KIND_PIM_V1;
		return IGMP_OK;
	default:
		/* RFC 3376 4: unrecognized types are silently ignored. */
		return IGMP_OK;
	}
	/* v1/v2 reports and leaves: RFC 2236 2.5, bytes past 8 ignored. */
	out->group = igmp_wire_get_addr(buf + 4);
	return IGMP_OK;
}

/*
 * RFC 791 3.1 options: walk EOL / NOP / type-length-value options and note
 * a Router Alert (RFC 2113 2.1: type 148, length 4).
 */
static int
igmp_wire_ip_options(const uint8_t *opt, size_t len, bool *router_alert)
{
	size_t i = 0, olen;

	*router_alert = false;
	while (i < len) {
		if (opt[i] == IGMP_WIRE_IPOPT_EOL)
			break;
		if (opt[i] == IGMP_WIRE_IPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return IGMP_E_IP_HEADER_LENGTH;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return IGMP_E_IP_HEADER_LENGTH;
		if (opt[i] == IGMP_WIRE_IPOPT_RA &&
		    olen == IGMP_WIRE_IPOPT_RA_LEN)
			*router_alert = true;
		i += olen;
	}
	return IGMP_OK;
}

int
igmp_ip_decode(const uint8_t *pkt, size_t len, struct igmp_ip *ip,
    const uint8_t **igmp, size_t *igmp_len)
{
	size_t hlen, total;
	uint16_t frag;
	int rc;

	memset(ip, 0, sizeof(*ip));
	*igmp = NULL;
	*igmp_len = 0;
	if (len < IGMP_WIRE_IP_MIN_HLEN)
		return IGMP_E_IP_SHORT;
	if (pkt[0] >> 4 != 4)
		return IGMP_E_IP_VERSION;
	hlen = (size_t)(pkt[0] & 0x0f) * 4;
	if (hlen < IGMP_WIRE_IP_MIN_HLEN || hlen > len)
		return IGMP_E_IP_HEADER_LENGTH;
	total = igmp_wire_get16(pkt + 2);
	/* Bytes past the total length (Ethernet padding) are not ours. */
	if (total > len || total < hlen)
		return IGMP_E_IP_TOTAL_LENGTH;
	if (pkt[9] != IGMP_WIRE_IPPROTO_IGMP)
		return IGMP_E_IP_PROTOCOL;
	if (igmp_checksum(pkt, hlen) != 0)
		return IGMP_E_IP_CHECKSUM;
	frag = igmp_wire_get16(pkt + 6);
	if ((frag & (IGMP_WIRE_IP_MF | IGMP_WIRE_IP_OFFMASK)) != 0)
		return IGMP_E_IP_FRAGMENT;
	rc = igmp_wire_ip_options(pkt + IGMP_WIRE_IP_MIN_HLEN,
	    hlen - IGMP_WIRE_IP_MIN_HLEN, &ip->router_alert);
	if (rc != IGMP_OK)
		return rc;
	ip->tos = pkt[1];
	ip->ttl = pkt[8];
	ip->src = igmp_wire_get_addr(pkt + 12);
	ip->dst = igmp_wire_get_addr(pkt + 16);
	ip->header_len = hlen;
	ip->total_len = total;
	*igmp = pkt + hlen;
	*igmp_len = total - hlen;
	return IGMP_OK;
}

void
igmp_records_begin(const struct igmp_msg *msg, struct igmp_record_iter *it)
{
	it->msg = msg;
	it->offset = 0;
	it->index = 0;
}

bool
igmp_records_next(struct igmp_record_iter *it, struct igmp_group_record *rec)
{
	const struct igmp_msg *m = it->msg;
	const uint8_t *p;
	size_t rlen;

	if (m->kind != IGMP_KIND_V3_REPORT || it->index >= m->nrecords ||
	    it->offset > m->records_len)
		return false;
	p = m->records + it->offset;
	/* Checked again: a hand-made msg must not walk us off the end. */
	rlen = igmp_wire_record_len(p, m->records_len - it->offset);
	if (rlen == 0)
		return false;
	rec->type = p[0];
	rec->aux_words = p[1];
	rec->nsources = igmp_wire_get16(p + 2);
	rec->group = igmp_wire_get_addr(p + 4);
	rec->sources = p + IGMP_V3_RECORD_MIN_LEN;
	rec->aux = rec->sources + 4 * (size_t)rec->nsources;
	it->offset += rlen;
	it->index++;
	return true;
}

struct in_addr
igmp_source_at(const uint8_t *sources, uint16_t i)
{
	return igmp_wire_get_addr(sources + 4 * (size_t)i);
}

/* The 8-byte message of RFC 1112 App. I and RFC 2236 2. */
static int
igmp_wire_build8(uint8_t *buf, size_t cap, uint8_t type, uint8_t code,
    struct in_addr group)
{
	if (cap < IGMP_MIN_LEN)
		return IGMP_E_NO_ROOM;
	buf[0] = type;
	buf[1] = code;
	igmp_wire_put_addr(buf + 4, group);
	igmp_wire_seal(buf, IGMP_MIN_LEN, 2);
	return IGMP_MIN_LEN;
}

/* RFC 1112 App. I: type 0x11, unused 0, group 0. */
int
igmp_build_v1_query(uint8_t *buf, size_t cap)
{
	struct in_addr any = { .s_addr = INADDR_ANY };

	return igmp_wire_build8(buf, cap, IGMP_TYPE_QUERY, 0, any);
}

/*
 * RFC 2236 2.2 Max Response Time, tenths in 8 bits: clamped to 1..255, as
 * a code of 0 would make this a v1 query (RFC 3376 7.1).
 */
static uint8_t
igmp_wire_v2_max_resp(uint32_t tenths)
{
	if (tenths == 0)
		return 1;
	return tenths > UINT8_MAX ? UINT8_MAX : (uint8_t)tenths;
}

int
igmp_build_v2_query(uint8_t *buf, size_t cap, struct in_addr group,
    uint32_t max_resp_tenths)
{
	return igmp_wire_build8(buf, cap, IGMP_TYPE_QUERY,
	    igmp_wire_v2_max_resp(max_resp_tenths), group);
}

/* RFC 3376 4.1 Membership Query. */
int
igmp_build_v3_query(uint8_t *buf, size_t cap, struct in_addr group,
    uint32_t max_resp_tenths, bool suppress, uint8_t robustness,
    uint32_t query_interval_s, const struct in_addr *sources, uint16_t nsources)
{
	size_t len = IGMP_V3_QUERY_MIN_LEN + 4 * (size_t)nsources;
	uint16_t i;

	if (cap < len)
		return IGMP_E_NO_ROOM;
	buf[0] = IGMP_TYPE_QUERY;
	buf[1] = igmp_float_encode(max_resp_tenths);
	igmp_wire_put_addr(buf + 4, group);
	buf[8] = (suppress ? 0x08 : 0) | igmp_wire_qrv(robustness);
	buf[9] = igmp_float_encode(query_interval_s);
	igmp_wire_put16(buf + 10, nsources);
	for (i = 0; i < nsources; i++)
		igmp_wire_put_addr(buf + IGMP_V3_QUERY_MIN_LEN + 4 * (size_t)i,
		    sources[i]);
	igmp_wire_seal(buf, len, 2);
	return (int)len;
}

int
igmp_build_v1_report(uint8_t *buf, size_t cap, struct in_addr group)
{
	return igmp_wire_build8(buf, cap, IGMP_TYPE_V1_REPORT, 0, group);
}

int
igmp_build_v2_report(uint8_t *buf, size_t cap, struct in_addr group)
{
	return igmp_wire_build8(buf, cap, IGMP_TYPE_V2_REPORT, 0, group);
}

int
igmp_build_v2_leave(uint8_t *buf, size_t cap, struct in_addr group)
{
	return igmp_wire_build8(buf, cap, IGMP_TYPE_V2_LEAVE, 0, group);
}

/*
 * RFC 3376 4.2 Version 3 Membership Report: the header now, records as they
 * come.  With cap under 8 bytes nothing is written and every add and the
 * finish return IGMP_E_NO_ROOM.
 */
void
igmp_v3_report_begin(struct igmp_v3_report *r, uint8_t *buf, size_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->len = IGMP_V3_REPORT_MIN_LEN;
	r->nrecords = 0;
	if (cap < IGMP_V3_REPORT_MIN_LEN)
		return;
	memset(buf, 0, IGMP_V3_REPORT_MIN_LEN);
	buf[0] = IGMP_TYPE_V3_REPORT;
}

int
igmp_v3_report_add(struct igmp_v3_report *r, uint8_t type, struct in_addr group,
    const struct in_addr *sources, uint16_t nsources)
{
	size_t need = IGMP_V3_RECORD_MIN_LEN + 4 * (size_t)nsources;
	uint8_t *p;
	uint16_t i;

	if (r->len > r->cap || r->cap - r->len < need ||
	    r->nrecords == UINT16_MAX || r->len + need > (size_t)INT_MAX)
		return IGMP_E_NO_ROOM;
	p = r->buf + r->len;
	p[0] = type;
	p[1] = 0; /* no aux data (RFC 3376 4.2.6) */
	igmp_wire_put16(p + 2, nsources);
	igmp_wire_put_addr(p + 4, group);
	for (i = 0; i < nsources; i++)
		igmp_wire_put_addr(p + IGMP_V3_RECORD_MIN_LEN + 4 * (size_t)i,
		    sources[i]);
	r->len += need;
	r->nrecords++;
	return IGMP_OK;
}

int
igmp_v3_report_finish(struct igmp_v3_report *r)
{
	if (r->len > r->cap)
		return IGMP_E_NO_ROOM;
	igmp_wire_put16(r->buf + 6, r->nrecords);
	igmp_wire_seal(r->buf, r->len, 2);
	return (int)r->len;
}

/*
 * RFC 2236 2 / RFC 3376 4: TTL 1, TOS 0xc0 (RFC 3376 4), Router Alert
 * (RFC 2113), DF and ID 0 as Linux sends its own IGMP.  The payload may
 * already sit at pkt + 24.
 */
int
igmp_ip_build(uint8_t *pkt, size_t cap, struct in_addr src, struct in_addr dst,
    const uint8_t *igmp, size_t igmp_len)
{
	struct igmp_ip_out o = {
		.src = src,
		.dst = dst,
		.ttl = 1,
		.router_alert = true,
	};

	return igmp_ip_build_out(pkt, cap, &o, igmp, igmp_len);
}

int
igmp_ip_build_out(uint8_t *pkt, size_t cap, const struct igmp_ip_out *o,
    const uint8_t *igmp, size_t igmp_len)
{
	size_t hlen = o->router_alert ? IGMP_WIRE_IP_RA_HLEN :
					IGMP_WIRE_IP_MIN_HLEN;
	size_t total;

	if (igmp_len > UINT16_MAX - hlen)
		return IGMP_E_NO_ROOM;
	total = hlen + igmp_len;
	if (cap < total)
		return IGMP_E_NO_ROOM;
	memmove(pkt + hlen, igmp, igmp_len);
	pkt[0] = (uint8_t)(0x40 | hlen / 4);
	pkt[1] = IGMP_WIRE_TOS_INTERNETWORK_CONTROL;
	igmp_wire_put16(pkt + 2, (uint16_t)total);
	igmp_wire_put16(pkt + 4, 0);
	igmp_wire_put16(pkt + 6, IGMP_WIRE_IP_DF);
	pkt[8] = o->ttl;
	pkt[9] = IGMP_WIRE_IPPROTO_IGMP;
	igmp_wire_put_addr(pkt + 12, o->src);
	igmp_wire_put_addr(pkt + 16, o->dst);
	if (o->router_alert) {
		pkt[20] = IGMP_WIRE_IPOPT_RA;
		pkt[21] = IGMP_WIRE_IPOPT_RA_LEN;
		pkt[22] = 0;
		pkt[23] = 0;
	}
	igmp_wire_seal(pkt, hlen, 10);
	return (int)total;
}

const char *
igmp_kind_name(enum igmp_kind kind)
{
	switch (kind) {
	case IGMP_KIND_V1_QUERY:
		return "v1 query";
	case IGMP_KIND_V2_QUERY:
		return "v2 query";
	case IGMP_KIND_V3_QUERY:
		return "v3 query";
	case IGMP_KIND_V1_REPORT:
		return "v1 report";
	case IGMP_KIND_V2_REPORT:
		return "v2 report";
	case IGMP_KIND_V2_LEAVE:
		return "v2 leave";
	case IGMP_KIND_V3_REPORT:
		return "v3 report";
	case IGMP_KIND_DVMRP:
		return "DVMRP";
	case IGMP_KIND_MTRACE_QUERY:
		return "mtrace query";
	case IGMP_KIND_MTRACE_RESPONSE:
		return "mtrace response";
	case IGMP_KIND_PIM_V1:
		return "PIM v1";
	case IGMP_KIND_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *
igmp_record_type_name(uint8_t type)
{
	switch (type) {
	case IGMP_MODE_IS_INCLUDE:
		return "IS_IN";
	case IGMP_MODE_IS_EXCLUDE:
		return "IS_EX";
	case IGMP_CHANGE_TO_INCLUDE:
		return "TO_IN";
	case IGMP_CHANGE_TO_EXCLUDE:
		return "TO_EX";
	case IGMP_ALLOW_NEW_SOURCES:
		return "ALLOW";
	case IGMP_BLOCK_OLD_SOURCES:
		return "BLOCK";
	}
	return "unknown";
}

const char *
igmp_error_name(int error)
{
	switch (error) {
	case IGMP_OK:
		return "ok";
	case IGMP_E_SHORT:
		return "shorter than 8 bytes";
	case IGMP_E_CHECKSUM:
		return "bad checksum";
	case IGMP_E_QUERY_LENGTH:
		return "query of 9-11 bytes";
	case IGMP_E_SOURCES_TRUNCATED:
		return "query sources truncated";
	case IGMP_E_RECORD_TRUNCATED:
		return "group record truncated";
	case IGMP_E_MTRACE_SHORT:
		return "mtrace shorter than 24 bytes";
	case IGMP_E_IP_SHORT:
		return "IP header truncated";
	case IGMP_E_IP_VERSION:
		return "not IPv4";
	case IGMP_E_IP_HEADER_LENGTH:
		return "bad IP header length or options";
	case IGMP_E_IP_TOTAL_LENGTH:
		return "bad IP total length";
	case IGMP_E_IP_PROTOCOL:
		return "not IGMP";
	case IGMP_E_IP_CHECKSUM:
		return "bad IP header checksum";
	case IGMP_E_IP_FRAGMENT:
		return "IP fragment";
	case IGMP_E_NO_ROOM:
		return "no room";
	}
	return "unknown error";
}

const char *
dvmrp_code_name(uint8_t code)
{
	switch (code) {
	case DVMRP_PROBE:
		return "probe";
	case DVMRP_REPORT:
		return "report";
	case DVMRP_ASK_NEIGHBORS:
		return "ask-neighbors";
	case DVMRP_NEIGHBORS:
		return "neighbors";
	case DVMRP_ASK_NEIGHBORS2:
		return "ask-neighbors2";
	case DVMRP_NEIGHBORS2:
		return "neighbors2";
	case DVMRP_PRUNE:
		return "prune";
	case DVMRP_GRAFT:
		return "graft";
	case DVMRP_GRAFT_ACK:
		return "graft-ack";
	}
	return "unknown";
}
