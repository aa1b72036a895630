/*
 * Multicast traceroute on the wire: the decoder, the block iterator, the
 * encoders and the names.  See mtrace_wire.h for the contract.
 *
 * Choices made here (documented so tests and callers can rely on them):
 *  - A message is 24 bytes plus whole 32-byte blocks; anything else is
 *    MTRACE_E_BLOCK_TRUNCATED (mrouted's accept_mtrace() drops it too).
 *  - A response carries at least one block (the router that sends it
 *    appends its own first): MTRACE_E_NO_BLOCK.  A query or a request may
 *    carry none.
 *  - More blocks than the hops asked cannot happen (a router that sees
 *    as many blocks as hops answers): MTRACE_E_HOPS.
 *  - A source mask of 33..62 bits is no mask (63 means (S,G) state):
 *    MTRACE_E_MASK.  The MBZ bit is kept as received and not refused.
 *  - Forwarding and protocol codes not known are kept and named "unknown".
 */
#include <string.h>

#include "mtrace_wire.h"

#define MTRACE_WIRE_JAN_1970 2208988800u /* 1900 to 1970 in seconds */

_Static_assert(MTRACE_E_NO_ROOM + 1 == MTRACE_E_COUNT, "MTRACE_E_COUNT");

static uint32_t
mtrace_wire_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
mtrace_wire_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static struct in_addr
mtrace_wire_get_addr(const uint8_t *p)
{
	struct in_addr a;

	memcpy(&a.s_addr, p, sizeof(a.s_addr));
	return a;
}

static void
mtrace_wire_put_addr(uint8_t *p, struct in_addr a)
{
	memcpy(p, &a.s_addr, sizeof(a.s_addr));
}

static bool
mtrace_wire_mask_ok(uint8_t len)
{
	return len <= 32 || len == MTRACE_MASK_SG;
}

void
mtrace_block_at(const struct mtrace_msg *m, uint16_t i, struct mtrace_block *b)
{
	const uint8_t *p = m->blocks + (size_t)i * MTRACE_BLOCK_LEN;

	memset(b, 0, sizeof(*b));
	b->arrival = mtrace_wire_get32(p);
	b->in_addr = mtrace_wire_get_addr(p + 4);
	b->out_addr = mtrace_wire_get_addr(p + 8);
	b->prev_hop = mtrace_wire_get_addr(p + 12);
	b->in_pkts = mtrace_wire_get32(p + 16);
	b->out_pkts = mtrace_wire_get32(p + 20);
	b->sg_pkts = mtrace_wire_get32(p + 24);
	b->proto = p[28];
	b->fwd_ttl = p[29];
	b->mbz = (p[30] & MTRACE_SMASK_MBZ) != 0;
	b->s_bit = (p[30] & MTRACE_SMASK_S) != 0;
	b->mask_len = p[30] & MTRACE_SMASK_LEN;
	b->fwd_code = p[31];
}

int
mtrace_decode(const uint8_t *buf, size_t len, struct mtrace_msg *out)
{
	struct mtrace_msg *m = out;
	size_t nblocks;
	uint16_t i;

	memset(m, 0, sizeof(*m));
	if (len < 1)
		return -MTRACE_E_TRUNCATED;
	if (buf[0] != IGMP_TYPE_MTRACE && buf[0] != IGMP_TYPE_MTRACE_RESP)
		return -MTRACE_E_NOT_MTRACE;
	if (len < MTRACE_HDR_LEN)
		return -MTRACE_E_TRUNCATED;
	if ((len - MTRACE_HDR_LEN) % MTRACE_BLOCK_LEN != 0)
		return -MTRACE_E_BLOCK_TRUNCATED;
	if (igmp_checksum(buf, len) != 0)
		return -MTRACE_E_CHECKSUM;
	nblocks = (len - MTRACE_HDR_LEN) / MTRACE_BLOCK_LEN;
	m->type = buf[0];
	m->response = buf[0] == IGMP_TYPE_MTRACE_RESP;
	m->checksum = (uint16_t)(buf[2] << 8 | buf[3]);
	m->q.hops = buf[1];
	m->q.group = mtrace_wire_get_addr(buf + 4);
	m->q.source = mtrace_wire_get_addr(buf + 8);
	m->q.dest = mtrace_wire_get_addr(buf + 12);
	m->q.response_addr = mtrace_wire_get_addr(buf + 16);
	m->q.response_ttl = buf[20];
	m->q.query_id = mtrace_wire_get32(buf + 20) & 0xffffff;
	m->length = len;
	m->blocks = buf + MTRACE_HDR_LEN;
	if (m->response && nblocks == 0)
		return -MTRACE_E_NO_BLOCK;
	if (nblocks > m->q.hops)
		return -MTRACE_E_HOPS;
	m->nblocks = (uint16_t)nblocks;
	for (i = 0; i < m->nblocks; i++) {
		uint8_t smask = m->blocks[(size_t)i * MTRACE_BLOCK_LEN + 30];

		if (!mtrace_wire_mask_ok(smask & MTRACE_SMASK_LEN))
			return -MTRACE_E_MASK;
	}
	return MTRACE_OK;
}

void
mtrace_blocks_begin(const struct mtrace_msg *m, struct mtrace_block_iter *it)
{
	it->msg = m;
	it->index = 0;
}

bool
mtrace_blocks_next(struct mtrace_block_iter *it, struct mtrace_block *b)
{
	if (it->index >= it->msg->nblocks)
		return false;
	mtrace_block_at(it->msg, it->index, b);
	it->index++;
	return true;
}

static void
mtrace_wire_put_block(uint8_t *p, const struct mtrace_block *b)
{
	mtrace_wire_put32(p, b->arrival);
	mtrace_wire_put_addr(p + 4, b->in_addr);
	mtrace_wire_put_addr(p + 8, b->out_addr);
	mtrace_wire_put_addr(p + 12, b->prev_hop);
	mtrace_wire_put32(p + 16, b->in_pkts);
	mtrace_wire_put32(p + 20, b->out_pkts);
	mtrace_wire_put32(p + 24, b->sg_pkts);
	p[28] = b->proto;
	p[29] = b->fwd_ttl;
	p[30] = (uint8_t)((b->mbz ? MTRACE_SMASK_MBZ : 0) |
	    (b->s_bit ? MTRACE_SMASK_S : 0) | (b->mask_len & MTRACE_SMASK_LEN));
	p[31] = b->fwd_code;
}

static void
mtrace_wire_seal(uint8_t *buf, size_t len)
{
	uint16_t sum;

	buf[2] = buf[3] = 0;
	sum = igmp_checksum(buf, len);
	buf[2] = (uint8_t)(sum >> 8);
	buf[3] = (uint8_t)sum;
}

int
mtrace_build(uint8_t *buf, size_t cap, uint8_t type,
    const struct mtrace_query *q, const struct mtrace_block *blocks,
    size_t nblocks)
{
	size_t len, i;

	if (type != IGMP_TYPE_MTRACE && type != IGMP_TYPE_MTRACE_RESP)
		return -MTRACE_E_NOT_MTRACE;
	if (nblocks > MTRACE_MAX_BLOCKS)
		return -MTRACE_E_HOPS;
	for (i = 0; i < nblocks; i++)
		if (!mtrace_wire_mask_ok(blocks[i].mask_len))
			return -MTRACE_E_MASK;
	len = MTRACE_HDR_LEN + nblocks * MTRACE_BLOCK_LEN;
	if (cap < len)
		return -MTRACE_E_NO_ROOM;
	buf[0] = type;
	buf[1] = q->hops;
	mtrace_wire_put_addr(buf + 4, q->group);
	mtrace_wire_put_addr(buf + 8, q->source);
	mtrace_wire_put_addr(buf + 12, q->dest);
	mtrace_wire_put_addr(buf + 16, q->response_addr);
	mtrace_wire_put32(buf + 20,
	    (uint32_t)q->response_ttl << 24 | (q->query_id & 0xffffff));
	for (i = 0; i < nblocks; i++)
		mtrace_wire_put_block(buf + MTRACE_HDR_LEN +
			i * MTRACE_BLOCK_LEN,
		    &blocks[i]);
	mtrace_wire_seal(buf, len);
	return (int)len;
}

int
mtrace_build_query(uint8_t *buf, size_t cap, const struct mtrace_query *q)
{
	return mtrace_build(buf, cap, IGMP_TYPE_MTRACE, q, NULL, 0);
}

int
mtrace_append_block(uint8_t *buf, size_t cap, size_t len, uint8_t type,
    const struct mtrace_block *b)
{
	if (type != IGMP_TYPE_MTRACE && type != IGMP_TYPE_MTRACE_RESP)
		return -MTRACE_E_NOT_MTRACE;
	if (len < MTRACE_HDR_LEN ||
	    (len - MTRACE_HDR_LEN) % MTRACE_BLOCK_LEN != 0)
		return -MTRACE_E_BLOCK_TRUNCATED;
	if ((len - MTRACE_HDR_LEN) / MTRACE_BLOCK_LEN >= MTRACE_MAX_BLOCKS)
		return -MTRACE_E_HOPS;
	if (!mtrace_wire_mask_ok(b->mask_len))
		return -MTRACE_E_MASK;
	if (cap < len + MTRACE_BLOCK_LEN)
		return -MTRACE_E_NO_ROOM;
	mtrace_wire_put_block(buf + len, b);
	buf[0] = type;
	len += MTRACE_BLOCK_LEN;
	mtrace_wire_seal(buf, len);
	return (int)len;
}

uint32_t
mtrace_ntp_time(int64_t sec, long usec)
{
	uint64_t s = (uint64_t)sec + MTRACE_WIRE_JAN_1970;
	uint64_t frac = ((uint64_t)usec << 16) / 1000000;

	return (uint32_t)((s << 16) + frac);
}

int64_t
mtrace_ntp_diff_ms(uint32_t a, uint32_t b)
{
	int32_t d = (int32_t)(b - a); /* nearest, modulo 65536 s */

	return ((int64_t)d * 1000) / 65536;
}

static const struct {
	uint8_t code;
	const char *name;
	const char *key;
} mtrace_wire_fwd_codes[] = {
	{ MTRACE_FWD_NO_ERROR, "no error", "NO_ERROR" },
	{ MTRACE_FWD_WRONG_IF, "wrong interface", "WRONG_IF" },
	{ MTRACE_FWD_PRUNE_SENT, "prune sent", "PRUNE_SENT" },
	{ MTRACE_FWD_PRUNE_RCVD, "prune received", "PRUNE_RCVD" },
	{ MTRACE_FWD_SCOPED, "scoped", "SCOPED" },
	{ MTRACE_FWD_NO_ROUTE, "no route", "NO_ROUTE" },
	{ MTRACE_FWD_WRONG_LAST_HOP, "wrong last hop", "WRONG_LAST_HOP" },
	{ MTRACE_FWD_NOT_FORWARDING, "not forwarding", "NOT_FORWARDING" },
	{ MTRACE_FWD_REACHED_RP, "reached RP", "REACHED_RP" },
	{ MTRACE_FWD_RPF_IF, "RPF interface", "RPF_IF" },
	{ MTRACE_FWD_NO_MULTICAST, "no multicast", "NO_MULTICAST" },
	{ MTRACE_FWD_INFO_HIDDEN, "info hidden", "INFO_HIDDEN" },
	{ MTRACE_FWD_NO_SPACE, "no space", "NO_SPACE" },
	{ MTRACE_FWD_OLD_ROUTER, "old router", "OLD_ROUTER" },
	{ MTRACE_FWD_ADMIN_PROHIB, "admin prohibited", "ADMIN_PROHIB" },
};

const char *
mtrace_fwd_code_name(uint8_t code)
{
	size_t i;

	for (i = 0; i <
	     sizeof(mtrace_wire_fwd_codes) / sizeof(mtrace_wire_fwd_codes[0]);
	     i++)
		if (mtrace_wire_fwd_codes[i].code == code)
			return mtrace_wire_fwd_codes[i].name;
	return "unknown";
}

const char *
mtrace_fwd_code_key(uint8_t code)
{
	size_t i;

	for (i = 0; i <
	     sizeof(mtrace_wire_fwd_codes) / sizeof(mtrace_wire_fwd_codes[0]);
	     i++)
		if (mtrace_wire_fwd_codes[i].code == code)
			return mtrace_wire_fwd_codes[i].key;
	return "UNKNOWN";
}

const char *
mtrace_proto_name(uint8_t proto)
{
	static const char *const names[] = {
		[MTRACE_PROTO_DVMRP] = "DVMRP",
		[MTRACE_PROTO_MOSPF] = "MOSPF",
		[MTRACE_PROTO_PIM] = "PIM",
		[MTRACE_PROTO_CBT] = "CBT",
		[MTRACE_PROTO_PIM_SPECIAL] = "PIM/special",
		[MTRACE_PROTO_PIM_STATIC] = "PIM/static",
		[MTRACE_PROTO_DVMRP_STATIC] = "DVMRP/static",
		[MTRACE_PROTO_PIM_MBGP] = "PIM/MBGP",
		[MTRACE_PROTO_CBT_SPECIAL] = "CBT/special",
		[MTRACE_PROTO_CBT_STATIC] = "CBT/static",
		[MTRACE_PROTO_PIM_ASSERT] = "PIM/assert",
	};

	if (proto < sizeof(names) / sizeof(names[0]) && names[proto] != NULL)
		return names[proto];
	return "unknown";
}

static const struct {
	const char *name;
	const char *key;
} mtrace_wire_errors[MTRACE_E_COUNT] = {
	[MTRACE_OK] = { "ok", "ok" },
	[MTRACE_E_TRUNCATED] = { "truncated", "truncated" },
	[MTRACE_E_CHECKSUM] = { "bad checksum", "checksum" },
	[MTRACE_E_NOT_MTRACE] = { "not mtrace", "not_mtrace" },
	[MTRACE_E_BLOCK_TRUNCATED] = { "block truncated", "block_truncated" },
	[MTRACE_E_NO_BLOCK] = { "response without block", "no_block" },
	[MTRACE_E_HOPS] = { "more blocks than hops", "hops" },
	[MTRACE_E_MASK] = { "bad source mask", "mask" },
	[MTRACE_E_NO_ROOM] = { "no room", "no_room" },
};

const char *
mtrace_error_name(int error)
{
	if (error < 0)
		error = -error;
	return error < MTRACE_E_COUNT ? mtrace_wire_errors[error].name :
					"unknown error";
}

const char *
mtrace_error_key(int error)
{
	if (error < 0)
		error = -error;
	return error < MTRACE_E_COUNT ? mtrace_wire_errors[error].key :
					"unknown";
}
