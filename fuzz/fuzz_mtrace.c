/*
 * libFuzzer target: the mtrace codec (proto/mtrace_wire.c).  The input:
 * one byte of flags (bit 0: write the checksum first, so that the fuzzer
 * gets past it), then an mtrace message.  What decodes is walked block by
 * block, encoded again whole (mtrace_build) and block by block
 * (mtrace_append_block, as routers do), and both must be the same bytes
 * and decode to the same fields; the names of every code must be strings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtrace_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MTRACE_FIX_CHECKSUM 0x01
#define FUZZ_MTRACE_OUT		 (MTRACE_HDR_LEN + MTRACE_MAX_BLOCKS * MTRACE_BLOCK_LEN)

static bool
fuzz_mtrace_same_block(const struct mtrace_block *a,
    const struct mtrace_block *b)
{
	return a->arrival == b->arrival &&
	    a->in_addr.s_addr == b->in_addr.s_addr &&
	    a->out_addr.s_addr == b->out_addr.s_addr &&
	    a->prev_hop.s_addr == b->prev_hop.s_addr &&
	    a->in_pkts == b->in_pkts && a->out_pkts == b->out_pkts &&
	    a->sg_pkts == b->sg_pkts && a->proto == b->proto &&
	    a->fwd_ttl == b->fwd_ttl && a->mbz == b->mbz &&
	    a->s_bit == b->s_bit && a->mask_len == b->mask_len &&
	    a->fwd_code == b->fwd_code;
}

static bool
fuzz_mtrace_same_query(const struct mtrace_query *a,
    const struct mtrace_query *b)
{
	return a->hops == b->hops && a->group.s_addr == b->group.s_addr &&
	    a->source.s_addr == b->source.s_addr &&
	    a->dest.s_addr == b->dest.s_addr &&
	    a->response_addr.s_addr == b->response_addr.s_addr &&
	    a->response_ttl == b->response_ttl && a->query_id == b->query_id;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[FUZZ_MTRACE_OUT], app[FUZZ_MTRACE_OUT];
	struct mtrace_block *blocks;
	struct mtrace_block_iter it;
	struct mtrace_msg m, m2;
	struct mtrace_block b;
	uint8_t *msg;
	size_t len;
	uint16_t n = 0, i;
	int rc, built;

	if (size < 1)
		return 0;
	len = size - 1;
	msg = malloc(len ? len : 1);
	if (msg == NULL)
		abort();
	memcpy(msg, data + 1, len);
	if ((data[0] & FUZZ_MTRACE_FIX_CHECKSUM) && len >= 4) {
		uint16_t sum;

		msg[2] = msg[3] = 0;
		sum = igmp_checksum(msg, len);
		msg[2] = (uint8_t)(sum >> 8);
		msg[3] = (uint8_t)sum;
	}
	rc = mtrace_decode(msg, len, &m);
	(void)mtrace_error_name(rc);
	(void)mtrace_error_key(rc);
	if (rc != MTRACE_OK) {
		if (rc >= 0 || -rc >= MTRACE_E_COUNT)
			__builtin_trap();
		free(msg);
		return 0;
	}
	if (m.length != len || m.nblocks > m.q.hops ||
	    (m.response && m.nblocks == 0))
		__builtin_trap();
	blocks = malloc((m.nblocks + 1) * sizeof(*blocks));
	if (blocks == NULL)
		abort();
	mtrace_blocks_begin(&m, &it);
	while (mtrace_blocks_next(&it, &b)) {
		(void)mtrace_fwd_code_name(b.fwd_code);
		(void)mtrace_fwd_code_key(b.fwd_code);
		(void)mtrace_proto_name(b.proto);
		blocks[n++] = b;
	}
	if (n != m.nblocks)
		__builtin_trap();

	built = mtrace_build(out, sizeof(out), m.type, &m.q, blocks, n);
	/*
	 * The checksum may differ: 0x0000 and 0xffff are the same one's
	 * complement sum, and the sender may have written either.
	 */
	if (built != (int)len || igmp_checksum(out, len) != 0)
		__builtin_trap();
	msg[2] = out[2];
	msg[3] = out[3];
	if (memcmp(out, msg, len) != 0)
		__builtin_trap();
	built = mtrace_build_query(app, sizeof(app), &m.q);
	for (i = 0; i < n && built > 0; i++)
		built = mtrace_append_block(app, sizeof(app), (size_t)built,
		    i + 1 == n ? m.type : IGMP_TYPE_MTRACE, &blocks[i]);
	if (built != (int)len || memcmp(app, out, len) != 0)
		__builtin_trap();
	if (mtrace_decode(out, len, &m2) != MTRACE_OK || m2.type != m.type ||
	    m2.nblocks != n || !fuzz_mtrace_same_query(&m.q, &m2.q))
		__builtin_trap();
	for (i = 0; i < n; i++) {
		mtrace_block_at(&m2, i, &b);
		if (!fuzz_mtrace_same_block(&b, &blocks[i]))
			__builtin_trap();
	}
	free(blocks);
	free(msg);
	return 0;
}
