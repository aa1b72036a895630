/*
 * The file transfer's engines against hostile feedback, driven directly:
 * forged NACKs for blocks all over a file larger than the sender's window
 * (a flood from one host, as test/ns/t_file_hostile.sh sends) never leave
 * the first pass without a slot for its next block; and a receiver that
 * hears such NACKs for blocks the first pass has not reached keeps its
 * window for the blocks that come; a block NACKed again after its slot
 * went to others gets parity indexes its receivers do not have yet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rmc_recv.h"
#include "rmc_send.h"

#define T_S	 100
#define T_K	 4
#define T_BLOCKS 40

/* A sender of symbols of T_S bytes, blocks of T_K, no cap, window blocks. */
static void
test_config(struct rmc_send_config *c, unsigned window)
{
	rmc_send_config_default(c);
	c->session = 0xf100d;
	c->symbol_size = T_S;
	c->k = T_K;
	c->window_blocks = window;
	c->rate_bps = 0;
}

/* A forged NACK for a whole block, from a new receiver id. */
static void
test_forge(struct rmc_send *s, mc_time_t now, uint32_t session, uint32_t id,
    uint32_t block)
{
	struct rmc_hdr h = { .session = session };
	struct rmc_nack n = { .receiver = id, .block = block, .missing = T_K };
	uint8_t buf[RMC_NACK_LEN];

	assert_int_equal(rmc_encode_nack(buf, sizeof(buf), &h, &n),
	    RMC_NACK_LEN);
	assert_int_equal(rmc_send_input(s, now, buf, sizeof(buf)), 0);
}

/*
 * A window of 4 blocks and a file of 40: after every packet a forged
 * NACK for another block ahead.  What the engine asks for can always be
 * supplied (it used to answer -ENOMEM once every slot had a repair under
 * way, and mcast file send died "out of memory"), the first pass sends
 * every source symbol, and the NACKs with no room are counted as dropped.
 */
static void
test_flood_window(void **state)
{
	static uint8_t src[T_BLOCKS * T_K * T_S];
	struct rmc_send_file f = { .size = sizeof(src), .name = "f" };
	struct rmc_send_config c;
	struct rmc_send_need need;
	struct rmc_send *s;
	uint8_t buf[2048];
	mc_time_t now = 1000;
	uint32_t forged = 0;
	int error, len, i;

	for (i = 0; i < (int)sizeof(src); i++)
		src[i] = (uint8_t)(i * 7);
	test_config(&c, 4);
	c.linger_ms = 100;
	s = rmc_send_new(&c, &f, 1, now, &error);
	assert_non_null(s);
	while (!rmc_send_done(s) && now < 100000) {
		while (rmc_send_need(s, &need))
			assert_int_equal(rmc_send_supply(s, need.file,
					     need.block, src + need.offset,
					     need.len),
			    0);
		len = rmc_send_output(s, now, buf, sizeof(buf));
		assert_true(len >= 0);
		if (forged < 2000) {
			test_forge(s, now, c.session, 0x1000 + forged,
			    (forged * 7 + 3) % T_BLOCKS);
			forged++;
		}
		if (len == 0)
			now = rmc_send_deadline(s, now);
		else
			now++;
	}
	assert_true(rmc_send_done(s));
	assert_int_equal(rmc_send_stats(s)->data, T_BLOCKS * T_K);
	assert_int_equal(rmc_send_stats(s)->nacks, forged);
	assert_true(rmc_send_stats(s)->nacks_dropped > 0);
	assert_true(rmc_send_stats(s)->repair > 0);
	print_message("# %u forged NACKs: %" PRIu64 " dropped, %" PRIu64
		      " late, %" PRIu64 " repair symbols\n",
	    forged, rmc_send_stats(s)->nacks_dropped,
	    rmc_send_stats(s)->nacks_late, rmc_send_stats(s)->repair);
	rmc_send_free(s);
}

/*
 * A receiver with a window of 8 blocks hears forged NACKs for blocks 100
 * to 107 of a 200-block file before any data: it holds no slot for them
 * (it has nothing to hold back there), so block 0's symbols are taken
 * (they were dropped for want of room: symbols_window).
 */
static void
test_flood_receiver_window(void **state)
{
	static const uint8_t sha[RMC_SHA256_LEN];
	struct rmc_recv_config c;
	struct rmc_hdr h = { .session = 0xf100d };
	struct rmc_entry e = { .size = 200 * T_K * T_S,
		.name = (const uint8_t *)"f",
		.name_len = 1 };
	struct rmc_data d = { .k = T_K, .payload_len = T_S };
	struct rmc_recv *r;
	uint8_t buf[2048], sym[T_S] = { 1 };
	mc_time_t now = 1000;
	int error, len;
	uint32_t b;

	memcpy(e.sha256, sha, sizeof(sha));
	rmc_recv_config_default(&c);
	c.receiver = 7;
	c.window_blocks = 8;
	r = rmc_recv_new(&c, now, 1, &error);
	assert_non_null(r);
	len = rmc_manifest_begin(buf, sizeof(buf), &h, 1, T_S, T_K);
	len = rmc_manifest_add(buf, sizeof(buf), (size_t)len, &e);
	assert_true(len > 0);
	assert_int_equal(rmc_recv_input(r, now, buf, (size_t)len), 0);
	for (b = 100; b < 108; b++) {
		struct rmc_nack n = { .receiver = 0xbad0 + b,
			.block = b,
			.missing = T_K };

		len = rmc_encode_nack(buf, sizeof(buf), &h, &n);
		assert_int_equal(rmc_recv_input(r, now, buf, (size_t)len), 0);
	}
	assert_int_equal(rmc_recv_stats(r)->nacks_heard, 8);
	d.payload = sym;
	for (d.symbol = 0; d.symbol < T_K; d.symbol++) {
		len = rmc_encode_data(buf, sizeof(buf), &h, &d);
		assert_int_equal(rmc_recv_input(r, ++now, buf, (size_t)len), 0);
	}
	assert_int_equal(rmc_recv_stats(r)->symbols_window, 0);
	assert_int_equal(rmc_recv_stats(r)->blocks, 1);
	rmc_recv_free(r);
}

/* Sends what is due from now on for ms; the parity indexes of block's. */
static unsigned
test_drain(struct rmc_send *s, mc_time_t *now, mc_time_t ms, uint32_t block,
    uint8_t *idx)
{
	static uint8_t src[T_BLOCKS * T_K * T_S];
	struct rmc_send_need need;
	struct rmc_pkt pkt;
	uint8_t buf[2048];
	mc_time_t end = *now + ms;
	unsigned n = 0;
	int len;

	for (; *now < end; (*now)++) {
		while (rmc_send_need(s, &need))
			assert_int_equal(rmc_send_supply(s, need.file,
					     need.block, src + need.offset,
					     need.len),
			    0);
		while ((len = rmc_send_output(s, *now, buf, sizeof(buf))) > 0)
			if (rmc_decode(buf, (size_t)len, &pkt) == 0 &&
			    pkt.hdr.type == RMC_DATA &&
			    pkt.u.data.block == block && pkt.u.data.burst > 0)
				idx[n++] = pkt.u.data.symbol;
	}
	return n;
}

/*
 * A window of 2: block 0 repaired with 2 parity symbols, its slot then
 * taken by blocks 5 and 6, block 0 NACKed again: its new parity symbols
 * are not the 2 it sent before (they started at K each time, and a
 * receiver that had them took them as duplicates, NACKed again, and so on
 * for ever: seen with a receiver window 4 times the sender's).
 */
static void
test_parity_after_eviction(void **state)
{
	struct rmc_send_file f = { .size = T_BLOCKS * T_K * T_S, .name = "f" };
	struct rmc_send_config c;
	struct rmc_send *s;
	uint8_t first[16], again[16];
	mc_time_t now = 1000;
	int error;

	test_config(&c, 2);
	s = rmc_send_new(&c, &f, 1, now, &error);
	assert_non_null(s);
	test_drain(s, &now, 100, 0, first); /* the first pass */
	assert_int_equal(rmc_send_stats(s)->passes, 1);
	test_forge(s, now, c.session, 1, 0);
	assert_int_equal(test_drain(s, &now, 100, 0, first), T_K);
	test_forge(s, now, c.session, 2, 5);
	test_drain(s, &now, 100, 0, again);
	test_forge(s, now, c.session, 3, 6);
	test_drain(s, &now, 100, 0, again);
	test_forge(s, now, c.session, 4, 0);
	assert_int_equal(test_drain(s, &now, 100, 0, again), T_K);
	assert_int_not_equal(again[0], first[0]);
	assert_true(again[0] >= T_K);
	rmc_send_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_window),
		cmocka_unit_test(test_flood_receiver_window),
		cmocka_unit_test(test_parity_after_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
