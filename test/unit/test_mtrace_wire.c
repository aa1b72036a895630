/*
 * mtrace on the wire (proto/mtrace_wire.c): every mtrace message of
 * tcpdump's capture (../shared/vectors/tcpdump/mtrace.pcap) and of two
 * mrouted 4.6 routers (../shared/vectors/mrouted/mrouted46-lan.pcap)
 * decoded, the chosen ones to exact fields, all of them encoded back to
 * the same bytes, and every truncation and lie refused with its kind,
 * from a heap copy of exactly the message (the ASan build sees overreads).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "mtrace_wire.h"

/* The IGMP messages, as hex; "t" tcpdump's capture, "m" mrouted's, frame. */
static const struct {
	const char *name;
	const char *hex;
} vectors[] = {
	{ "t1", "1f2038a300000000ac102801ac101401ac10280140000007" },
	{ "t2",
	    "1f20311300000000ac102801ac101401ac10280140000007472c459c0a00000e0a"
	    "00000e0a00000d000000f2000000000000000003001800472bbf780a0000060a00"
	    "000d0a000005000000f0000000000000000003001800" },
	{ "m73",
	    "1f20b226ef010203c612010ac612030ac612030add271affb6bbaafcc6120202c6"
	    "120301c612020100000815000008150000081501011802" },
	{ "m74",
	    "1e2089b8ef010203c612010ac612030ac612030add271affb6bbaafcc6120202c6"
	    "120301c612020100000815000008150000081501011802b6bbab01c6120101c612"
	    "02010000000000000bb80000081500000bb801011803" },
	{ "m81",
	    "1f02824cef010203c612010ac612030ae0000120c60b4840b6c1acc5c6120202c6"
	    "120301c612020100000815000008150000081501011802" },
	{ "m90",
	    "1e04d835ef010203c612010ac612030ac612030a65083bffb6cdaf49c6120202c6"
	    "120301c612020100000815000008150000081501011802b6cdaf4ec6120101c612"
	    "02010000000000000bb80000081500000bb801011803" },
	{ "m121",
	    "1e202688ef010203c612010ac612030ac6120301d66a76ffb718b196c6120202c6"
	    "120301c612020100000815000008150000081501011802b718b1a3c6120101c612"
	    "02010000000000000bb80000081500000bb801011803" },
	{ "m126",
	    "1e023009ef010203c612010ac612030ac612030108ae3affb722b1bbc6120202c6"
	    "120301c612020100000815000008150000081501011802b722b1c4c6120101c612"
	    "02010000000000000bb80000081500000bb801011803" },
};
#define NVECTORS (sizeof(vectors) / sizeof(vectors[0]))

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2, i;
	unsigned v;

	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static size_t
vector(const char *name, uint8_t *out, size_t cap)
{
	size_t i;

	for (i = 0; i < NVECTORS; i++)
		if (strcmp(vectors[i].name, name) == 0)
			return unhex(vectors[i].hex, out, cap);
	fail_msg("no vector %s", name);
	return 0;
}

static void
assert_ip(struct in_addr a, const char *s)
{
	char buf[INET_ADDRSTRLEN];

	assert_string_equal(inet_ntop(AF_INET, &a, buf, sizeof(buf)), s);
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/*
 * Decode from a heap copy of exactly len bytes, walk every block before
 * freeing; *m keeps the header fields and, when blocks is not NULL, up to
 * 4 blocks are copied there.
 */
static int
decode_exact(const uint8_t *bytes, size_t len, struct mtrace_msg *m,
    struct mtrace_block *blocks)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct mtrace_block_iter it;
	struct mtrace_block b;
	uint16_t n = 0;
	int rc;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	rc = mtrace_decode(copy, len, m);
	if (rc == MTRACE_OK) {
		mtrace_blocks_begin(m, &it);
		while (mtrace_blocks_next(&it, &b)) {
			if (blocks != NULL && n < 4)
				blocks[n] = b;
			n++;
		}
		assert_int_equal(n, m->nblocks);
	}
	m->blocks = NULL;
	free(copy);
	return rc;
}

static void
test_tcpdump_query(void **state)
{
	uint8_t buf[128];
	size_t len = vector("t1", buf, sizeof(buf));
	struct mtrace_msg m;

	(void)state;
	/* "mtrace 7: 172.16.40.1 to 172.16.20.1 reply-to 172.16.40.1" */
	assert_int_equal(decode_exact(buf, len, &m, NULL), MTRACE_OK);
	assert_int_equal(m.type, 0x1f);
	assert_false(m.response);
	assert_int_equal(m.checksum, 0x38a3);
	assert_int_equal(m.q.hops, 32);
	assert_ip(m.q.group, "0.0.0.0");
	assert_ip(m.q.source, "172.16.40.1");
	assert_ip(m.q.dest, "172.16.20.1");
	assert_ip(m.q.response_addr, "172.16.40.1");
	assert_int_equal(m.q.response_ttl, 64);
	assert_int_equal(m.q.query_id, 7);
	assert_int_equal(m.length, 24);
	assert_int_equal(m.nblocks, 0);
}

static void
test_tcpdump_request(void **state)
{
	uint8_t buf[128];
	size_t len = vector("t2", buf, sizeof(buf));
	struct mtrace_block b[4];
	struct mtrace_msg m;

	(void)state;
	assert_int_equal(decode_exact(buf, len, &m, b), MTRACE_OK);
	assert_false(m.response);
	assert_int_equal(m.q.query_id, 7);
	assert_int_equal(m.q.hops, 32);
	assert_int_equal(m.length, 88);
	assert_int_equal(m.nblocks, 2);
	assert_int_equal(b[0].arrival, 0x472c459c);
	assert_ip(b[0].in_addr, "10.0.0.14");
	assert_ip(b[0].out_addr, "10.0.0.14");
	assert_ip(b[0].prev_hop, "10.0.0.13");
	assert_int_equal(b[0].in_pkts, 0xf2);
	assert_int_equal(b[0].out_pkts, 0);
	assert_int_equal(b[0].sg_pkts, 0);
	assert_int_equal(b[0].proto, MTRACE_PROTO_PIM);
	assert_int_equal(b[0].fwd_ttl, 0);
	assert_false(b[0].mbz);
	assert_false(b[0].s_bit);
	assert_int_equal(b[0].mask_len, 24);
	assert_int_equal(b[0].fwd_code, MTRACE_FWD_NO_ERROR);
	assert_int_equal(b[1].arrival, 0x472bbf78);
	assert_ip(b[1].in_addr, "10.0.0.6");
	assert_ip(b[1].out_addr, "10.0.0.13");
	assert_ip(b[1].prev_hop, "10.0.0.5");
	assert_int_equal(b[1].in_pkts, 0xf0);
	assert_int_equal(b[1].proto, MTRACE_PROTO_PIM);
	assert_int_equal(b[1].mask_len, 24);
	assert_int_equal(b[1].fwd_code, MTRACE_FWD_NO_ERROR);
}

/*
 * mrouted 4.6 on x86: its struct tr_query's bit fields put the query id's
 * bytes and the response TTL the other way round (byte 23 is its TTL);
 * routers copy the header, so the client matches the 4 bytes as sent.
 * tcpdump reads them as the draft does, and so do we.
 */
static void
test_mrouted_response(void **state)
{
	uint8_t buf[128];
	size_t len = vector("m74", buf, sizeof(buf));
	struct mtrace_block b[4];
	struct mtrace_msg m;

	(void)state;
	/* "mresp 2562815: 198.18.1.10 to 198.18.3.10 reply-to 198.18.3.10" */
	assert_int_equal(decode_exact(buf, len, &m, b), MTRACE_OK);
	assert_int_equal(m.type, 0x1e);
	assert_true(m.response);
	assert_int_equal(m.q.hops, 32);
	assert_ip(m.q.group, "239.1.2.3");
	assert_ip(m.q.source, "198.18.1.10");
	assert_ip(m.q.dest, "198.18.3.10");
	assert_ip(m.q.response_addr, "198.18.3.10");
	assert_int_equal(m.q.response_ttl, 0xdd);
	assert_int_equal(m.q.query_id, 2562815);
	assert_int_equal(m.nblocks, 2);
	/* The last-hop router B first: pruned upstream. */
	assert_int_equal(b[0].arrival, 0xb6bbaafc);
	assert_ip(b[0].in_addr, "198.18.2.2");
	assert_ip(b[0].out_addr, "198.18.3.1");
	assert_ip(b[0].prev_hop, "198.18.2.1");
	assert_int_equal(b[0].in_pkts, 2069);
	assert_int_equal(b[0].out_pkts, 2069);
	assert_int_equal(b[0].sg_pkts, 2069);
	assert_int_equal(b[0].proto, MTRACE_PROTO_DVMRP);
	assert_int_equal(b[0].fwd_ttl, 1);
	assert_int_equal(b[0].mask_len, 24);
	assert_int_equal(b[0].fwd_code, MTRACE_FWD_PRUNE_SENT);
	/* The first-hop router A: the source's LAN, no previous hop. */
	assert_int_equal(b[1].arrival, 0xb6bbab01);
	assert_ip(b[1].in_addr, "198.18.1.1");
	assert_ip(b[1].out_addr, "198.18.2.1");
	assert_ip(b[1].prev_hop, "0.0.0.0");
	assert_int_equal(b[1].in_pkts, 3000);
	assert_int_equal(b[1].out_pkts, 2069);
	assert_int_equal(b[1].sg_pkts, 3000);
	assert_int_equal(b[1].proto, MTRACE_PROTO_DVMRP);
	assert_int_equal(b[1].fwd_code, MTRACE_FWD_PRUNE_RCVD);
	/* 5/65536 s from B's arrival to A's: under a millisecond. */
	assert_int_equal(b[1].arrival - b[0].arrival, 5);
	assert_int_equal(mtrace_ntp_diff_ms(b[0].arrival, b[1].arrival), 0);

	/* A request forwarded with the multicast response address. */
	len = vector("m81", buf, sizeof(buf));
	assert_int_equal(decode_exact(buf, len, &m, b), MTRACE_OK);
	assert_false(m.response);
	assert_int_equal(m.q.hops, 2);
	assert_ip(m.q.response_addr, "224.0.1.32");
	assert_int_equal(m.q.response_ttl, 0xc6);
	assert_int_equal(m.q.query_id, 0x0b4840);
	assert_int_equal(m.nblocks, 1);
	assert_int_equal(b[0].fwd_code, MTRACE_FWD_PRUNE_SENT);
}

/* Every vector: decoded, built again from its fields, the same bytes. */
static void
test_reencode(void **state)
{
	uint8_t buf[256], out[256], app[256];
	struct mtrace_block b[4];
	struct mtrace_msg m;
	size_t i, len;
	uint16_t k;
	int n;

	(void)state;
	for (i = 0; i < NVECTORS; i++) {
		len = unhex(vectors[i].hex, buf, sizeof(buf));
		assert_int_equal(decode_exact(buf, len, &m, b), MTRACE_OK);
		n = mtrace_build(out, sizeof(out), m.type, &m.q, b, m.nblocks);
		assert_int_equal(n, (int)len);
		assert_memory_equal(out, buf, len);
		/* Block by block, as routers append them. */
		n = mtrace_build_query(app, sizeof(app), &m.q);
		assert_int_equal(n, MTRACE_HDR_LEN);
		for (k = 0; k < m.nblocks; k++)
			n = mtrace_append_block(app, sizeof(app), (size_t)n,
			    k + 1 == m.nblocks ? m.type : IGMP_TYPE_MTRACE,
			    &b[k]);
		assert_int_equal(n, (int)len);
		assert_memory_equal(app, buf, len);
		/* One byte short of room. */
		assert_int_equal(mtrace_build(out, len - 1, m.type, &m.q, b,
				     m.nblocks),
		    -MTRACE_E_NO_ROOM);
	}
}

static void
test_build_query(void **state)
{
	static const uint8_t want[] = { 0x1f, 0x05, 0x00, 0x00, 198, 18, 9, 7,
		239, 1, 2, 3, 198, 18, 5, 1, 198, 18, 5, 2, 0xff, 0x12, 0x34,
		0x56 };
	struct mtrace_query q = {
		.hops = 5,
		.group = ip("198.18.9.7"),
		.source = ip("239.1.2.3"),
		.dest = ip("198.18.5.1"),
		.response_addr = ip("198.18.5.2"),
		.response_ttl = 255,
		.query_id = 0xab123456, /* 24 bits of it */
	};
	uint8_t buf[32], sealed[24];
	struct mtrace_msg m;

	(void)state;
	/* Fields placed where they go, whatever they mean. */
	assert_int_equal(mtrace_build_query(buf, sizeof(buf), &q), 24);
	memcpy(sealed, want, sizeof(want));
	sealed[2] = buf[2];
	sealed[3] = buf[3];
	assert_memory_equal(buf, sealed, 24);
	assert_int_equal(igmp_checksum(buf, 24), 0);
	assert_int_equal(decode_exact(buf, 24, &m, NULL), MTRACE_OK);
	assert_int_equal(m.q.query_id, 0x123456);
	assert_int_equal(mtrace_build_query(buf, 23, &q), -MTRACE_E_NO_ROOM);
	assert_int_equal(mtrace_build(buf, sizeof(buf), 0x13, &q, NULL, 0),
	    -MTRACE_E_NOT_MTRACE);
}

static void
expect_rc(const uint8_t *bytes, size_t len, bool seal, int want)
{
	uint8_t copy[512];
	struct mtrace_msg m;

	assert_true(len <= sizeof(copy));
	memcpy(copy, bytes, len);
	if (seal && len >= 4) {
		uint16_t sum;

		copy[2] = copy[3] = 0;
		sum = igmp_checksum(copy, len);
		copy[2] = (uint8_t)(sum >> 8);
		copy[3] = (uint8_t)sum;
	}
	assert_int_equal(decode_exact(copy, len, &m, NULL), want);
}

/* What a response cut to len bytes is refused as. */
static int
truncated_rc(size_t len)
{
	if (len < MTRACE_HDR_LEN)
		return -MTRACE_E_TRUNCATED;
	if ((len - MTRACE_HDR_LEN) % MTRACE_BLOCK_LEN)
		return -MTRACE_E_BLOCK_TRUNCATED;
	return len == MTRACE_HDR_LEN ? -MTRACE_E_NO_BLOCK : MTRACE_OK;
}

static void
test_malformed(void **state)
{
	uint8_t buf[256], bad[256];
	size_t len = vector("m74", buf, sizeof(buf)), i;

	(void)state;
	/* Every truncation: the header, then blocks cut short. */
	for (i = 0; i < len; i++)
		expect_rc(buf, i, true, truncated_rc(i));
	/* The same lengths of a request: no block is a query. */
	len = vector("t2", buf, sizeof(buf));
	expect_rc(buf, 24, true, MTRACE_OK);
	expect_rc(buf, 56, true, MTRACE_OK);
	expect_rc(buf, 57, true, -MTRACE_E_BLOCK_TRUNCATED);
	/* A checksum wrong, an unsealed truncation. */
	memcpy(bad, buf, len);
	bad[40] ^= 1;
	expect_rc(bad, len, false, -MTRACE_E_CHECKSUM);
	expect_rc(buf, 56, false, -MTRACE_E_CHECKSUM);
	/* Not mtrace. */
	bad[0] = 0x13;
	expect_rc(bad, len, true, -MTRACE_E_NOT_MTRACE);
	bad[0] = 0x11;
	expect_rc(bad, 8, true, -MTRACE_E_NOT_MTRACE);
	/* More blocks than hops: 2 blocks, hops 1; 0 hops and 1 block. */
	memcpy(bad, buf, len);
	bad[1] = 1;
	expect_rc(bad, len, true, -MTRACE_E_HOPS);
	bad[1] = 2;
	expect_rc(bad, len, true, MTRACE_OK);
	bad[1] = 0;
	expect_rc(bad, 56, true, -MTRACE_E_HOPS);
	expect_rc(bad, 24, true, MTRACE_OK);
	/* Source masks: 33..62 refused, 32 and 63 (S,G) taken. */
	memcpy(bad, buf, len);
	for (i = 0; i < 64; i++) {
		bad[24 + 32 + 30] = (uint8_t)(MTRACE_SMASK_S | i);
		expect_rc(bad, len, true,
		    i > 32 && i < 63 ? -MTRACE_E_MASK : MTRACE_OK);
	}
	bad[24 + 30] = 0x80 | 24; /* MBZ kept, not refused */
	bad[24 + 32 + 30] = 24;
	expect_rc(bad, len, true, MTRACE_OK);
	/* A response with no block. */
	bad[0] = 0x1e;
	expect_rc(bad, 24, true, -MTRACE_E_NO_BLOCK);
}

static void
test_encoder_refusals(void **state)
{
	struct mtrace_query q = { .hops = 2 };
	struct mtrace_block b = { .mask_len = 40 };
	uint8_t buf[64];
	int n;

	(void)state;
	assert_int_equal(mtrace_build(buf, sizeof(buf), 0x1e, &q, &b, 1),
	    -MTRACE_E_MASK);
	n = mtrace_build_query(buf, sizeof(buf), &q);
	assert_int_equal(mtrace_append_block(buf, sizeof(buf), (size_t)n, 0x1e,
			     &b),
	    -MTRACE_E_MASK);
	b.mask_len = MTRACE_MASK_SG;
	b.s_bit = true;
	assert_int_equal(mtrace_append_block(buf, 55, (size_t)n, 0x1e, &b),
	    -MTRACE_E_NO_ROOM);
	assert_int_equal(mtrace_append_block(buf, 56, (size_t)n, 0x1e, &b), 56);
	assert_int_equal(buf[24 + 30], 0x7f);
	assert_int_equal(mtrace_append_block(buf, 64, 25, 0x1e, &b),
	    -MTRACE_E_BLOCK_TRUNCATED);
	assert_int_equal(mtrace_append_block(buf, 64, 24, 0x12, &b),
	    -MTRACE_E_NOT_MTRACE);
}

static void
test_time(void **state)
{
	(void)state;
	/* 1970-01-01 plus 0.5 s: NTP seconds 2208988800, low 16 bits. */
	assert_int_equal(mtrace_ntp_time(0, 500000),
	    (uint32_t)((2208988800u & 0xffff) << 16 | 0x8000));
	assert_int_equal(mtrace_ntp_diff_ms(0x00010000, 0x00018000), 500);
	assert_int_equal(mtrace_ntp_diff_ms(0x00018000, 0x00010000), -500);
	/* Across the 65536-second wrap. */
	assert_int_equal(mtrace_ntp_diff_ms(0xffff8000, 0x00008000), 1000);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(mtrace_fwd_code_name(0), "no error");
	assert_string_equal(mtrace_fwd_code_name(1), "wrong interface");
	assert_string_equal(mtrace_fwd_code_name(2), "prune sent");
	assert_string_equal(mtrace_fwd_code_name(3), "prune received");
	assert_string_equal(mtrace_fwd_code_name(4), "scoped");
	assert_string_equal(mtrace_fwd_code_name(5), "no route");
	assert_string_equal(mtrace_fwd_code_name(6), "wrong last hop");
	assert_string_equal(mtrace_fwd_code_name(7), "not forwarding");
	assert_string_equal(mtrace_fwd_code_name(8), "reached RP");
	assert_string_equal(mtrace_fwd_code_name(9), "RPF interface");
	assert_string_equal(mtrace_fwd_code_name(10), "no multicast");
	assert_string_equal(mtrace_fwd_code_name(11), "info hidden");
	assert_string_equal(mtrace_fwd_code_name(12), "unknown");
	assert_string_equal(mtrace_fwd_code_name(0x81), "no space");
	assert_string_equal(mtrace_fwd_code_name(0x82), "old router");
	assert_string_equal(mtrace_fwd_code_name(0x83), "admin prohibited");
	assert_string_equal(mtrace_fwd_code_key(0x83), "ADMIN_PROHIB");
	assert_string_equal(mtrace_fwd_code_key(0x84), "UNKNOWN");
	assert_string_equal(mtrace_proto_name(0), "unknown");
	assert_string_equal(mtrace_proto_name(1), "DVMRP");
	assert_string_equal(mtrace_proto_name(2), "MOSPF");
	assert_string_equal(mtrace_proto_name(3), "PIM");
	assert_string_equal(mtrace_proto_name(4), "CBT");
	assert_string_equal(mtrace_proto_name(5), "PIM/special");
	assert_string_equal(mtrace_proto_name(6), "PIM/static");
	assert_string_equal(mtrace_proto_name(7), "DVMRP/static");
	assert_string_equal(mtrace_proto_name(8), "PIM/MBGP");
	assert_string_equal(mtrace_proto_name(11), "PIM/assert");
	assert_string_equal(mtrace_proto_name(12), "unknown");
	assert_string_equal(mtrace_error_name(-MTRACE_E_BLOCK_TRUNCATED),
	    "block truncated");
	assert_string_equal(mtrace_error_key(MTRACE_E_HOPS), "hops");
	assert_string_equal(mtrace_error_name(MTRACE_E_COUNT), "unknown error");
	assert_string_equal(mtrace_error_key(-99), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcpdump_query),
		cmocka_unit_test(test_tcpdump_request),
		cmocka_unit_test(test_mrouted_response),
		cmocka_unit_test(test_reencode),
		cmocka_unit_test(test_build_query),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_encoder_refusals),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
