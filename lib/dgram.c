/* The mcast datagram header (layout in include/mcast/dgram.h). */
#include <stdbool.h>
#include <string.h>

#include <mcast/mcast.h>

static void
dgram_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void
dgram_put32(uint8_t *p, uint32_t v)
{
	dgram_put16(p, v >> 16);
	dgram_put16(p + 2, v);
}

static void
dgram_put64(uint8_t *p, uint64_t v)
{
	dgram_put32(p, v >> 32);
	dgram_put32(p + 4, v);
}

static uint16_t
dgram_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
dgram_get32(const uint8_t *p)
{
	return (uint32_t)dgram_get16(p) << 16 | dgram_get16(p + 2);
}

static uint64_t
dgram_get64(const uint8_t *p)
{
	return (uint64_t)dgram_get32(p) << 32 | dgram_get32(p + 4);
}

int
mc_dgram_encode(const struct mc_dgram_header *h, uint8_t *buf, size_t len)
{
	bool with_start = h->stream_start_ns != 0 &&
	    len >= MC_DGRAM_HEADER_START_LEN;

	if (len < MC_DGRAM_HEADER_LEN)
		return MC_E_TRUNCATED;
	dgram_put32(buf, MC_DGRAM_MAGIC);
	buf[4] = MC_DGRAM_VERSION;
	buf[5] = h->flags;
	dgram_put16(buf + 6,
	    with_start ? MC_DGRAM_HEADER_START_LEN : MC_DGRAM_HEADER_LEN);
	dgram_put32(buf + 8, h->sender_id);
	dgram_put32(buf + 12, h->total);
	dgram_put64(buf + 16, h->sequence);
	dgram_put64(buf + 24, h->send_time_ns);
	if (with_start)
		dgram_put64(buf + 32, h->stream_start_ns);
	return 0;
}

int
mc_dgram_decode(const uint8_t *buf, size_t len, struct mc_dgram_header *h)
{
	uint16_t hdr_len;

	if (len < 8)
		return MC_E_TRUNCATED;
	if (dgram_get32(buf) != MC_DGRAM_MAGIC)
		return MC_E_BAD_MAGIC;
	if (buf[4] != MC_DGRAM_VERSION)
		return MC_E_BAD_VERSION;
	hdr_len = dgram_get16(buf + 6);
	/* A later version may grow the header; never shrink below ours. */
	if (hdr_len < MC_DGRAM_HEADER_LEN || len < hdr_len)
		return MC_E_TRUNCATED;
	memset(h, 0, sizeof(*h));
	h->flags = buf[5];
	h->sender_id = dgram_get32(buf + 8);
	h->total = dgram_get32(buf + 12);
	h->sequence = dgram_get64(buf + 16);
	h->send_time_ns = dgram_get64(buf + 24);
	if (hdr_len >= MC_DGRAM_HEADER_START_LEN)
		h->stream_start_ns = dgram_get64(buf + 32);
	return 0;
}
