/* The codec of mcast file's packets (the format: rmc_wire.h). */
#include <string.h>

#include "rmc_wire.h"

static const char *const rmc_wire_errors[RMC_WIRE_ERRORS] = {
	[RMC_WIRE_OK] = "no error",
	[RMC_WIRE_SHORT] = "too short",
	[RMC_WIRE_MAGIC] = "bad magic",
	[RMC_WIRE_VERSION] = "unknown version",
	[RMC_WIRE_TYPE] = "unknown type",
	[RMC_WIRE_LENGTH] = "bad length",
	[RMC_WIRE_SYMBOL] = "bad symbol index or K",
	[RMC_WIRE_NAME] = "unsafe file name",
	[RMC_WIRE_PARAM] = "bad session parameters",
	[RMC_WIRE_NOSPACE] = "buffer too small",
	[RMC_WIRE_AUTH] = "failed authentication",
};

const char *
rmc_wire_error_name(int error)
{
	if (error < 0)
		error = -error;
	return error < RMC_WIRE_ERRORS ? rmc_wire_errors[error] :
					 "unknown error";
}

const char *
rmc_type_name(uint8_t type)
{
	switch (type) {
	case RMC_MANIFEST:
		return "manifest";
	case RMC_DATA:
		return "data";
	case RMC_END:
		return "end";
	case RMC_NACK:
		return "nack";
	case RMC_STATUS:
		return "status";
	case RMC_CC:
		return "cc";
	case RMC_FEEDBACK:
		return "feedback";
	}
	return "unknown";
}

const char *
rmc_rx_state_name(uint8_t state)
{
	switch (state) {
	case RMC_RX_RECEIVING:
		return "receiving";
	case RMC_RX_DONE:
		return "done";
	case RMC_RX_FAILED:
		return "failed";
	}
	return "unknown";
}

static uint16_t
rmc_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rmc_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
rmc_get64(const uint8_t *p)
{
	return (uint64_t)rmc_get32(p) << 32 | rmc_get32(p + 4);
}

static void
rmc_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
rmc_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
rmc_put64(uint8_t *p, uint64_t v)
{
	rmc_put32(p, (uint32_t)(v >> 32));
	rmc_put32(p + 4, (uint32_t)v);
}

bool
rmc_name_ok(const uint8_t *name, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > RMC_NAME_MAX || name[0] == '/')
		return false;
	for (i = 0; i <= len; i++) {
		size_t n;

		if (i < len && name[i] != '/') {
			if (name[i] < 0x20 || name[i] == 0x7f)
				return false;
			continue;
		}
		n = i - start;
		if (n == 0 || (n == 1 && name[start] == '.') ||
		    (n == 2 && name[start] == '.' && name[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

static void
rmc_put_hdr(uint8_t *buf, const struct rmc_hdr *hdr, uint8_t type)
{
	buf[0] = RMC_MAGIC0;
	buf[1] = RMC_MAGIC1;
	buf[2] = RMC_VERSION;
	buf[3] = type;
	rmc_put32(buf + 4, hdr->session);
	rmc_put32(buf + 8, hdr->time_ms);
	rmc_put32(buf + 12, hdr->seq);
}

/* Checks one entry at p (end - p bytes left): its length, or 0. */
static size_t
rmc_entry_check(const uint8_t *p, const uint8_t *end, int *error)
{
	size_t left = (size_t)(end - p), nlen;

	if (left < RMC_ENTRY_FIXED) {
		*error = -RMC_WIRE_LENGTH;
		return 0;
	}
	nlen = rmc_get16(p + 48);
	if (left < RMC_ENTRY_FIXED + nlen) {
		*error = -RMC_WIRE_LENGTH;
		return 0;
	}
	if (!rmc_name_ok(p + RMC_ENTRY_FIXED, nlen)) {
		*error = -RMC_WIRE_NAME;
		return 0;
	}
	return RMC_ENTRY_FIXED + nlen;
}

static int
rmc_decode_manifest(const uint8_t *p, size_t len, struct rmc_manifest *m)
{
	const uint8_t *q, *end = p + len;
	int error = 0;
	unsigned i;

	if (len < RMC_MANIFEST_HDR)
		return -RMC_WIRE_SHORT;
	m->files = rmc_get32(p + 16);
	m->symbol_size = rmc_get16(p + 20);
	m->k = p[22];
	m->entries = p[23];
	if (m->symbol_size == 0 || m->k == 0)
		return -RMC_WIRE_PARAM;
	q = p + RMC_MANIFEST_HDR;
	for (i = 0; i < m->entries; i++) {
		size_t n = rmc_entry_check(q, end, &error);

		if (n == 0)
			return error;
		q += n;
	}
	if (q != end)
		return -RMC_WIRE_LENGTH;
	m->next = p + RMC_MANIFEST_HDR;
	m->end = end;
	return 0;
}

bool
rmc_entry_next(struct rmc_manifest *m, struct rmc_entry *e)
{
	const uint8_t *p = m->next;

	if (p == NULL || (size_t)(m->end - p) < RMC_ENTRY_FIXED)
		return false;
	e->index = rmc_get32(p);
	e->size = rmc_get64(p + 4);
	e->mode = rmc_get32(p + 12);
	memcpy(e->sha256, p + 16, RMC_SHA256_LEN);
	e->name_len = rmc_get16(p + 48);
	if ((size_t)(m->end - p) < RMC_ENTRY_FIXED + (size_t)e->name_len)
		return false;
	e->name = p + RMC_ENTRY_FIXED;
	m->next = p + RMC_ENTRY_FIXED + e->name_len;
	return true;
}

static int
rmc_decode_data(const uint8_t *p, size_t len, struct rmc_data *d)
{
	if (len < RMC_DATA_HDR + 1)
		return -RMC_WIRE_SHORT;
	d->file = rmc_get32(p + 16);
	d->block = rmc_get32(p + 20);
	d->symbol = p[24];
	d->k = p[25];
	d->burst = p[26];
	if (d->k == 0 || d->symbol >= RMC_SYMBOLS_MAX)
		return -RMC_WIRE_SYMBOL;
	d->payload = p + RMC_DATA_HDR;
	d->payload_len = len - RMC_DATA_HDR;
	return 0;
}

/* A fixed-size body: SHORT or LENGTH when len is not want. */
static int
rmc_fixed_len(size_t len, size_t want)
{
	if (len < want)
		return -RMC_WIRE_SHORT;
	return len > want ? -RMC_WIRE_LENGTH : 0;
}

/* The shared layout of CC and FEEDBACK (rmc_put_cc_layout). */
static void
rmc_get_cc_layout(const uint8_t *p, struct rmc_pkt *out)
{
	uint32_t w[6];
	unsigned i;

	for (i = 0; i < 6; i++)
		w[i] = rmc_get32(p + 16 + 4 * i);
	if (p[3] == RMC_CC)
		out->u.cc = (struct rmc_ccinfo){ .round = w[0],
			.rate = w[1],
			.supp = w[2],
			.clr = w[3],
			.echo_rcvr = w[4],
			.echo_ts = w[5],
			.echo_delay = rmc_get16(p + 40),
			.rtt_max = rmc_get16(p + 42),
			.flags = p[44] };
	else
		out->u.feedback = (struct rmc_feedback){ .receiver = w[0],
			.round = w[1],
			.rate = w[2],
			.recv = w[3],
			.p = w[4],
			.echo_ts = w[5],
			.echo_delay = rmc_get16(p + 40),
			.rtt = rmc_get16(p + 42),
			.flags = p[44] };
}

int
rmc_decode(const uint8_t *p, size_t len, struct rmc_pkt *out)
{
	int error;

	memset(out, 0, sizeof(*out));
	if (len < RMC_HDR_LEN)
		return -RMC_WIRE_SHORT;
	if (p[0] != RMC_MAGIC0 || p[1] != RMC_MAGIC1)
		return -RMC_WIRE_MAGIC;
	if (p[2] != RMC_VERSION)
		return -RMC_WIRE_VERSION;
	out->hdr.type = p[3];
	out->hdr.session = rmc_get32(p + 4);
	out->hdr.time_ms = rmc_get32(p + 8);
	out->hdr.seq = rmc_get32(p + 12);
	switch (p[3]) {
	case RMC_MANIFEST:
		return rmc_decode_manifest(p, len, &out->u.manifest);
	case RMC_DATA:
		return rmc_decode_data(p, len, &out->u.data);
	case RMC_END:
		if ((error = rmc_fixed_len(len, RMC_END_LEN)) != 0)
			return error;
		out->u.end.pass = rmc_get32(p + 16);
		out->u.end.files = rmc_get32(p + 20);
		out->u.end.receivers = rmc_get32(p + 24);
		out->u.end.flags = p[28];
		return 0;
	case RMC_NACK:
		if ((error = rmc_fixed_len(len, RMC_NACK_LEN)) != 0)
			return error;
		out->u.nack.receiver = rmc_get32(p + 16);
		out->u.nack.file = rmc_get32(p + 20);
		out->u.nack.block = rmc_get32(p + 24);
		out->u.nack.missing = p[28];
		out->u.nack.loss = rmc_get16(p + 30);
		return 0;
	case RMC_STATUS:
		if ((error = rmc_fixed_len(len, RMC_STATUS_LEN)) != 0)
			return error;
		out->u.status.receiver = rmc_get32(p + 16);
		out->u.status.state = p[20];
		out->u.status.loss = rmc_get16(p + 22);
		out->u.status.files_done = rmc_get32(p + 24);
		return 0;
	case RMC_CC:
	case RMC_FEEDBACK:
		if ((error = rmc_fixed_len(len, RMC_CC_LEN)) != 0)
			return error;
		rmc_get_cc_layout(p, out);
		return 0;
	}
	return -RMC_WIRE_TYPE;
}

int
rmc_encode_data(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_data *d)
{
	size_t len = RMC_DATA_HDR + d->payload_len;

	if (cap < len)
		return -RMC_WIRE_NOSPACE;
	rmc_put_hdr(buf, hdr, RMC_DATA);
	rmc_put32(buf + 16, d->file);
	rmc_put32(buf + 20, d->block);
	buf[24] = d->symbol;
	buf[25] = d->k;
	buf[26] = d->burst;
	buf[27] = 0;
	if (d->payload_len > 0 && d->payload != buf + RMC_DATA_HDR)
		memmove(buf + RMC_DATA_HDR, d->payload, d->payload_len);
	return (int)len;
}

int
rmc_encode_end(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_end *e)
{
	if (cap < RMC_END_LEN)
		return -RMC_WIRE_NOSPACE;
	memset(buf, 0, RMC_END_LEN);
	rmc_put_hdr(buf, hdr, RMC_END);
	rmc_put32(buf + 16, e->pass);
	rmc_put32(buf + 20, e->files);
	rmc_put32(buf + 24, e->receivers);
	buf[28] = e->flags;
	return RMC_END_LEN;
}

int
rmc_encode_nack(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_nack *n)
{
	if (cap < RMC_NACK_LEN)
		return -RMC_WIRE_NOSPACE;
	memset(buf, 0, RMC_NACK_LEN);
	rmc_put_hdr(buf, hdr, RMC_NACK);
	rmc_put32(buf + 16, n->receiver);
	rmc_put32(buf + 20, n->file);
	rmc_put32(buf + 24, n->block);
	buf[28] = n->missing;
	rmc_put16(buf + 30, n->loss);
	return RMC_NACK_LEN;
}

int
rmc_encode_status(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_status *s)
{
	if (cap < RMC_STATUS_LEN)
		return -RMC_WIRE_NOSPACE;
	memset(buf, 0, RMC_STATUS_LEN);
	rmc_put_hdr(buf, hdr, RMC_STATUS);
	rmc_put32(buf + 16, s->receiver);
	buf[20] = s->state;
	rmc_put16(buf + 22, s->loss);
	rmc_put32(buf + 24, s->files_done);
	return RMC_STATUS_LEN;
}

/*
 * CC and FEEDBACK share a layout: six 32-bit fields at 16..39, two 16-bit
 * at 40 and 42, flags at 44, three reserved bytes.
 */
static int
rmc_put_cc_layout(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    uint8_t type, const uint32_t w[6], const uint16_t h[2], uint8_t flags)
{
	unsigned i;

	if (cap < RMC_CC_LEN)
		return -RMC_WIRE_NOSPACE;
	memset(buf, 0, RMC_CC_LEN);
	rmc_put_hdr(buf, hdr, type);
	for (i = 0; i < 6; i++)
		rmc_put32(buf + 16 + 4 * i, w[i]);
	rmc_put16(buf + 40, h[0]);
	rmc_put16(buf + 42, h[1]);
	buf[44] = flags;
	return RMC_CC_LEN;
}

int
rmc_encode_cc(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_ccinfo *c)
{
	const uint32_t w[6] = { c->round, c->rate, c->supp, c->clr,
		c->echo_rcvr, c->echo_ts };
	const uint16_t h[2] = { c->echo_delay, c->rtt_max };

	return rmc_put_cc_layout(buf, cap, hdr, RMC_CC, w, h, c->flags);
}

int
rmc_encode_feedback(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_feedback *f)
{
	const uint32_t w[6] = { f->receiver, f->round, f->rate, f->recv, f->p,
		f->echo_ts };
	const uint16_t h[2] = { f->echo_delay, f->rtt };

	return rmc_put_cc_layout(buf, cap, hdr, RMC_FEEDBACK, w, h, f->flags);
}

int
rmc_manifest_begin(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    uint32_t files, uint16_t symbol_size, uint8_t k)
{
	if (cap < RMC_MANIFEST_HDR)
		return -RMC_WIRE_NOSPACE;
	rmc_put_hdr(buf, hdr, RMC_MANIFEST);
	rmc_put32(buf + 16, files);
	rmc_put16(buf + 20, symbol_size);
	buf[22] = k;
	buf[23] = 0;
	return RMC_MANIFEST_HDR;
}

int
rmc_manifest_add(uint8_t *buf, size_t cap, size_t len,
    const struct rmc_entry *e)
{
	uint8_t *p = buf + len;

	if (!rmc_name_ok(e->name, e->name_len))
		return -RMC_WIRE_NAME;
	if (len < RMC_MANIFEST_HDR || len > cap || buf[23] == 255 ||
	    cap - len < RMC_ENTRY_FIXED + (size_t)e->name_len)
		return -RMC_WIRE_NOSPACE;
	rmc_put32(p, e->index);
	rmc_put64(p + 4, e->size);
	rmc_put32(p + 12, e->mode);
	memcpy(p + 16, e->sha256, RMC_SHA256_LEN);
	rmc_put16(p + 48, e->name_len);
	memcpy(p + RMC_ENTRY_FIXED, e->name, e->name_len);
	buf[23]++;
	return (int)(len + RMC_ENTRY_FIXED + e->name_len);
}
