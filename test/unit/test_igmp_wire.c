/*
 * IGMP on the wire: exact bytes of every encoder (checksums worked by hand
 * in the comments), the RFC 3376 floating point both ways, every rejection
 * of the decoders, IPv4 options walking, and real packets from tcpdump's
 * regression captures (../vectors/tcpdump/, decodings in the .out files).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "igmp_wire.h"

static struct in_addr
addr(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct in_addr in;
	uint8_t p[4] = { a, b, c, d };

	memcpy(&in.s_addr, p, 4);
	return in;
}

#define assert_addr(in, a, b, c, d) \
	assert_int_equal((in).s_addr, addr(a, b, c, d).s_addr)

/* Rewrite the IGMP checksum (bytes 2..3) of buf[0..len). */
static void
reseal(uint8_t *buf, size_t len)
{
	uint16_t c;

	buf[2] = buf[3] = 0;
	c = igmp_checksum(buf, len);
	buf[2] = c >> 8;
	buf[3] = c & 0xff;
}

/* Rewrite an IPv4 header checksum (bytes 10..11) over hlen bytes. */
static void
reseal_ip(uint8_t *pkt, size_t hlen)
{
	uint16_t c;

	pkt[10] = pkt[11] = 0;
	c = igmp_checksum(pkt, hlen);
	pkt[10] = c >> 8;
	pkt[11] = c & 0xff;
}

/* ---- checksum ---------------------------------------------------------- */

static void
test_checksum(void **state)
{
	/* RFC 1071 3 numerical example: sum ddf2, checksum ~ddf2 = 220d. */
	static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6,
		0xf7 };
	uint8_t sealed[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
		0x22, 0x0d };
	static const uint8_t odd[] = { 0x01 }; /* 0100 -> feff */
	static const uint8_t carry[] = { 0xff, 0xff, 0x00, 0x02 };

	assert_int_equal(igmp_checksum(rfc, sizeof(rfc)), 0x220d);
	assert_int_equal(igmp_checksum(sealed, sizeof(sealed)), 0);
	assert_int_equal(igmp_checksum(odd, sizeof(odd)), 0xfeff);
	assert_int_equal(igmp_checksum(NULL, 0), 0xffff);
	/* ffff + 0002 = 1_0001 -> 0002 after the end-around carry. */
	assert_int_equal(igmp_checksum(carry, sizeof(carry)), 0xfffd);
}

/* ---- floating point (RFC 3376 4.1.1 / 4.1.7) -------------------------- */

static void
test_float_vectors(void **state)
{
	assert_int_equal(igmp_float_decode(0x00), 0);
	assert_int_equal(igmp_float_decode(0x64), 100);
	assert_int_equal(igmp_float_decode(127), 127);
	assert_int_equal(igmp_float_decode(0x80), 128);
	assert_int_equal(igmp_float_decode(0x83), 152);
	assert_int_equal(igmp_float_decode(0x8f), 248);
	assert_int_equal(igmp_float_decode(0x90), 256);
	assert_int_equal(igmp_float_decode(0xfe), 30720);
	assert_int_equal(igmp_float_decode(0xff), 31744);

	assert_int_equal(igmp_float_encode(0), 0);
	assert_int_equal(igmp_float_encode(100), 0x64);
	assert_int_equal(igmp_float_encode(127), 127);
	assert_int_equal(igmp_float_encode(128), 0x80);
	assert_int_equal(igmp_float_encode(154), 0x83);
	assert_int_equal(igmp_float_encode(255), 0x8f);
	assert_int_equal(igmp_float_encode(256), 0x90);
	assert_int_equal(igmp_float_encode(30720), 0xfe);
	assert_int_equal(igmp_float_encode(31743), 0xfe);
	assert_int_equal(igmp_float_encode(31744), 0xff);
	assert_int_equal(igmp_float_encode(31745), 0xff);
	assert_int_equal(igmp_float_encode(UINT32_MAX), 0xff);
}

static void
test_float_encode_is_largest_below(void **state)
{
	uint32_t table[256], v, d, best;
	int c;

	for (c = 0; c < 256; c++)
		table[c] = igmp_float_decode((uint8_t)c);
	for (v = 0; v <= 40000; v++) {
		d = igmp_float_decode(igmp_float_encode(v));
		best = 0;
		for (c = 0; c < 256; c++)
			if (table[c] <= v && table[c] > best)
				best = table[c];
		if (d > v || d != best)
			fail_msg("encode(%u) decodes to %u, best is %u", v, d,
			    best);
	}
}

/* ---- encoders, exact bytes -------------------------------------------- */

static void
test_build_v1_query(void **state)
{
	/* 1100 -> ~1100 = eeff (as IGMP_V1.pcap's querier sends it). */
	static const uint8_t want[] = { 0x11, 0x00, 0xee, 0xff, 0x00, 0x00,
		0x00, 0x00 };
	uint8_t buf[16];
	struct igmp_msg m;

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(igmp_build_v1_query(buf, sizeof(buf)), 8);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[8], 0xaa);
	assert_int_equal(igmp_build_v1_query(buf, 7), IGMP_E_NO_ROOM);

	assert_int_equal(igmp_decode(want, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V1_QUERY);
	assert_int_equal(m.max_resp_tenths, 100);
	assert_int_equal(m.group.s_addr, 0);
	assert_int_equal(m.length, 8);
	assert_int_equal(m.checksum, 0xeeff);
}

static void
test_build_v2_query(void **state)
{
	/* General: 1164 -> ee9b.  225.1.1.3, 1 s: 110a+e101+0103 = f30e. */
	static const uint8_t general[] = { 0x11, 0x64, 0xee, 0x9b, 0x00, 0x00,
		0x00, 0x00 };
	static const uint8_t specific[] = { 0x11, 0x0a, 0x0c, 0xf1, 0xe1, 0x01,
		0x01, 0x03 };
	struct in_addr any = { 0 };
	uint8_t buf[8];
	struct igmp_msg m;

	assert_int_equal(igmp_build_v2_query(buf, 8, any, 100), 8);
	assert_memory_equal(buf, general, 8);
	assert_int_equal(igmp_build_v2_query(buf, 8, addr(225, 1, 1, 3), 10),
	    8);
	assert_memory_equal(buf, specific, 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
	assert_int_equal(m.max_resp_tenths, 10);
	assert_addr(m.group, 225, 1, 1, 3);

	/* 8 bits of tenths: clamped to 1..255 (0 would be a v1 query). */
	assert_int_equal(igmp_build_v2_query(buf, 8, any, 0), 8);
	assert_int_equal(buf[1], 1);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
	assert_int_equal(igmp_build_v2_query(buf, 8, any, 300), 8);
	assert_int_equal(buf[1], 255);
	assert_int_equal(igmp_build_v2_query(buf, 7, any, 100), IGMP_E_NO_ROOM);
}

static void
test_build_v3_query(void **state)
{
	/* igmpv3-queries.pcap #1: 1164+0000+0000+027d+0000 = 13e1 -> ec1e */
	static const uint8_t general[] = { 0x11, 0x64, 0xec, 0x1e, 0x00, 0x00,
		0x00, 0x00, 0x02, 0x7d, 0x00, 0x00 };
	/* #2: 11fe+027d = 147b -> eb84 */
	static const uint8_t slow[] = { 0x11, 0xfe, 0xeb, 0x84, 0x00, 0x00,
		0x00, 0x00, 0x02, 0x7d, 0x00, 0x00 };
	/*
	 * Group-and-source-specific, S set, RV 9 -> QRV 0, QQI 200 -> 0x89:
	 * 110a+e801+0101+0889+0002+0a00+0001+0a00+0002 = 169b -> e964.
	 */
	static const uint8_t gss[] = { 0x11, 0x0a, 0xe9, 0x64, 0xe8, 0x01, 0x01,
		0x01, 0x08, 0x89, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x0a,
		0x00, 0x00, 0x02 };
	struct in_addr src[2] = { addr(10, 0, 0, 1), addr(10, 0, 0, 2) };
	struct in_addr any = { 0 };
	uint8_t buf[32];
	struct igmp_msg m;

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(igmp_build_v3_query(buf, sizeof(buf), any, 100, false,
			     2, 125, NULL, 0),
	    12);
	assert_memory_equal(buf, general, 12);
	assert_int_equal(buf[12], 0xaa);
	assert_int_equal(igmp_build_v3_query(buf, sizeof(buf), any, 30720,
			     false, 2, 125, NULL, 0),
	    12);
	assert_memory_equal(buf, slow, 12);
	/* 31000 tenths is not representable: 0xfe = 30720 is the best. */
	assert_int_equal(igmp_build_v3_query(buf, sizeof(buf), any, 31000,
			     false, 2, 125, NULL, 0),
	    12);
	assert_memory_equal(buf, slow, 12);

	assert_int_equal(igmp_build_v3_query(buf, sizeof(buf),
			     addr(232, 1, 1, 1), 10, true, 9, 200, src, 2),
	    20);
	assert_memory_equal(buf, gss, sizeof(gss));
	assert_int_equal(igmp_decode(buf, 20, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_QUERY);
	assert_addr(m.group, 232, 1, 1, 1);
	assert_int_equal(m.max_resp_tenths, 10);
	assert_true(m.suppress);
	assert_int_equal(m.qrv, 0);
	assert_int_equal(m.qqic, 0x89);
	assert_int_equal(m.qqi_s, 200);
	assert_int_equal(m.nsources, 2);
	assert_addr(igmp_source_at(m.sources, 0), 10, 0, 0, 1);
	assert_addr(igmp_source_at(m.sources, 1), 10, 0, 0, 2);

	/* QRV 7 still fits; exactly enough room and one byte less. */
	assert_int_equal(igmp_build_v3_query(buf, 20, any, 100, false, 7, 125,
			     src, 2),
	    20);
	assert_int_equal(buf[8], 0x07);
	assert_int_equal(igmp_build_v3_query(buf, 19, any, 100, false, 7, 125,
			     src, 2),
	    IGMP_E_NO_ROOM);
}

static void
test_build_reports_and_leave(void **state)
{
	/* IGMP_V1.pcap #8: 1200+e000+00fb = f2fb -> 0d04 */
	static const uint8_t v1[] = { 0x12, 0x00, 0x0d, 0x04, 0xe0, 0x00, 0x00,
		0xfb };
	/* IGMP_V2.pcap #2: 1600+efff+fffa -> 05fb -> fa04 */
	static const uint8_t v2[] = { 0x16, 0x00, 0xfa, 0x04, 0xef, 0xff, 0xff,
		0xfa };
	/* IGMP_V2.pcap #5: 1700+e101+0103 = f904 -> 06fb */
	static const uint8_t leave[] = { 0x17, 0x00, 0x06, 0xfb, 0xe1, 0x01,
		0x01, 0x03 };
	uint8_t buf[8];
	struct igmp_msg m;

	assert_int_equal(igmp_build_v1_report(buf, 8, addr(224, 0, 0, 251)), 8);
	assert_memory_equal(buf, v1, 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V1_REPORT);
	assert_addr(m.group, 224, 0, 0, 251);

	assert_int_equal(igmp_build_v2_report(buf, 8, addr(239, 255, 255, 250)),
	    8);
	assert_memory_equal(buf, v2, 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_REPORT);
	assert_addr(m.group, 239, 255, 255, 250);

	assert_int_equal(igmp_build_v2_leave(buf, 8, addr(225, 1, 1, 3)), 8);
	assert_memory_equal(buf, leave, 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_LEAVE);
	assert_addr(m.group, 225, 1, 1, 3);

	assert_int_equal(igmp_build_v1_report(buf, 7, addr(224, 0, 0, 251)),
	    IGMP_E_NO_ROOM);
	assert_int_equal(igmp_build_v2_report(buf, 0, addr(224, 0, 0, 251)),
	    IGMP_E_NO_ROOM);
	assert_int_equal(igmp_build_v2_leave(buf, 7, addr(224, 0, 0, 251)),
	    IGMP_E_NO_ROOM);
}

/*
 * Linux selftest bridge_igmp.sh MZPKT_IS_INC: IS_IN 239.10.10.10
 * {192.0.2.1, .2, .3}, checksum 9dde.
 */
static const uint8_t is_inc[] = { 0x22, 0x00, 0x9d, 0xde, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x03, 0xef, 0x0a, 0x0a, 0x0a, 0xc0, 0x00, 0x02,
	0x01, 0xc0, 0x00, 0x02, 0x02, 0xc0, 0x00, 0x02, 0x03 };

static void
test_build_v3_report(void **state)
{
	/*
	 * TO_EX 239.1.2.3 {}, ALLOW 232.1.1.1 {192.0.2.1}:
	 * 2200+0002+0400+ef01+0203+0500+0001+e801+0101+c000+0201 = c70c
	 * -> 38f3.
	 */
	static const uint8_t two[] = { 0x22, 0x00, 0x38, 0xf3, 0x00, 0x00, 0x00,
		0x02, 0x04, 0x00, 0x00, 0x00, 0xef, 0x01, 0x02, 0x03, 0x05,
		0x00, 0x00, 0x01, 0xe8, 0x01, 0x01, 0x01, 0xc0, 0x00, 0x02,
		0x01 };
	struct in_addr three[3] = {
		addr(192, 0, 2, 1),
		addr(192, 0, 2, 2),
		addr(192, 0, 2, 3),
	};
	struct igmp_v3_report r;
	struct igmp_record_iter it;
	struct igmp_group_record rec;
	struct igmp_msg m;
	uint8_t buf[64];

	igmp_v3_report_begin(&r, buf, sizeof(buf));
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_INCLUDE,
			     addr(239, 10, 10, 10), three, 3),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_finish(&r), sizeof(is_inc));
	assert_memory_equal(buf, is_inc, sizeof(is_inc));

	igmp_v3_report_begin(&r, buf, sizeof(buf));
	assert_int_equal(igmp_v3_report_add(&r, IGMP_CHANGE_TO_EXCLUDE,
			     addr(239, 1, 2, 3), NULL, 0),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_ALLOW_NEW_SOURCES,
			     addr(232, 1, 1, 1), three, 1),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_finish(&r), sizeof(two));
	assert_memory_equal(buf, two, sizeof(two));
	/* Finishing twice gives the same bytes. */
	assert_int_equal(igmp_v3_report_finish(&r), sizeof(two));
	assert_memory_equal(buf, two, sizeof(two));

	assert_int_equal(igmp_decode(buf, sizeof(two), &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_REPORT);
	assert_int_equal(m.nrecords, 2);
	assert_int_equal(m.records_len, 20);
	igmp_records_begin(&m, &it);
	assert_true(igmp_records_next(&it, &rec));
	assert_int_equal(rec.type, IGMP_CHANGE_TO_EXCLUDE);
	assert_int_equal(rec.nsources, 0);
	assert_int_equal(rec.aux_words, 0);
	assert_addr(rec.group, 239, 1, 2, 3);
	assert_true(igmp_records_next(&it, &rec));
	assert_int_equal(rec.type, IGMP_ALLOW_NEW_SOURCES);
	assert_int_equal(rec.nsources, 1);
	assert_addr(rec.group, 232, 1, 1, 1);
	assert_addr(igmp_source_at(rec.sources, 0), 192, 0, 2, 1);
	assert_false(igmp_records_next(&it, &rec));
	assert_false(igmp_records_next(&it, &rec));
}

static void
test_v3_report_fills_up(void **state)
{
	struct in_addr src = addr(192, 0, 2, 1);
	struct igmp_v3_report r;
	struct igmp_msg m;
	uint8_t buf[48];
	size_t i;

	/* 8 + 2 * 12 = 32; a third 12-byte record needs 44 > 40. */
	memset(buf, 0xaa, sizeof(buf));
	igmp_v3_report_begin(&r, buf, 40);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_INCLUDE,
			     addr(232, 0, 0, 1), &src, 1),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_INCLUDE,
			     addr(232, 0, 0, 2), &src, 1),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_INCLUDE,
			     addr(232, 0, 0, 3), &src, 1),
	    IGMP_E_NO_ROOM);
	assert_int_equal(r.len, 32);
	assert_int_equal(r.nrecords, 2);
	for (i = 32; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xaa);
	/* A record without sources (8 bytes) still fits exactly. */
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_EXCLUDE,
			     addr(239, 0, 0, 1), NULL, 0),
	    IGMP_OK);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_EXCLUDE,
			     addr(239, 0, 0, 2), NULL, 0),
	    IGMP_E_NO_ROOM);
	assert_int_equal(igmp_v3_report_finish(&r), 40);
	assert_int_equal(buf[40], 0xaa);
	assert_int_equal(igmp_decode(buf, 40, &m), IGMP_OK);
	assert_int_equal(m.nrecords, 3);

	/* Not even room for the header. */
	igmp_v3_report_begin(&r, buf, 7);
	assert_int_equal(igmp_v3_report_add(&r, IGMP_MODE_IS_EXCLUDE,
			     addr(239, 0, 0, 1), NULL, 0),
	    IGMP_E_NO_ROOM);
	assert_int_equal(igmp_v3_report_finish(&r), IGMP_E_NO_ROOM);
	/* Just the header: an empty report. */
	igmp_v3_report_begin(&r, buf, 8);
	assert_int_equal(igmp_v3_report_finish(&r), 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_REPORT);
	assert_int_equal(m.nrecords, 0);
}

/* ---- decoder rejections ----------------------------------------------- */

static void
test_query_length_9_to_11(void **state)
{
	uint8_t buf[12];
	struct igmp_msg m;
	size_t len;

	/* A v2 query with 1..4 zero bytes appended: the sum stays right. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(igmp_build_v2_query(buf, 8, addr(225, 1, 1, 3), 10),
	    8);
	for (len = 9; len <= 11; len++)
		assert_int_equal(igmp_decode(buf, len, &m),
		    IGMP_E_QUERY_LENGTH);
	/* RFC 3376 7.1: 12 bytes is a v3 query, whatever its origin. */
	assert_int_equal(igmp_decode(buf, 12, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_QUERY);
	assert_int_equal(m.nsources, 0);
}

static void
test_v3_query_truncations(void **state)
{
	struct in_addr src[3] = {
		addr(10, 0, 0, 1),
		addr(10, 0, 0, 2),
		addr(10, 0, 0, 3),
	};
	uint8_t full[24], buf[24];
	struct igmp_msg m;
	size_t len;
	int n;

	n = igmp_build_v3_query(full, sizeof(full), addr(232, 1, 1, 1), 10,
	    false, 2, 125, src, 3);
	assert_int_equal(n, 24);
	for (len = 0; len < (size_t)n; len++) {
		/* As cut: the checksum no longer matches, or too short. */
		assert_int_not_equal(igmp_decode(full, len, &m), IGMP_OK);
		/* Cut and resealed: the structural check must catch it. */
		memcpy(buf, full, len);
		if (len >= 4)
			reseal(buf, len);
		if (len < 8)
			assert_int_equal(igmp_decode(buf, len, &m),
			    IGMP_E_SHORT);
		else if (len == 8) {
			/* An 8-byte query with a code is a v2 query. */
			assert_int_equal(igmp_decode(buf, len, &m), IGMP_OK);
			assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
		} else if (len < 12)
			assert_int_equal(igmp_decode(buf, len, &m),
			    IGMP_E_QUERY_LENGTH);
		else
			assert_int_equal(igmp_decode(buf, len, &m),
			    IGMP_E_SOURCES_TRUNCATED);
	}
	assert_int_equal(igmp_decode(full, n, &m), IGMP_OK);
	assert_int_equal(m.nsources, 3);
	assert_addr(igmp_source_at(m.sources, 2), 10, 0, 0, 3);
}

static void
test_v3_query_additional_data(void **state)
{
	uint8_t buf[32];
	struct igmp_msg m;
	int n;

	/* RFC 3376 4.1.10: data after the sources is ignored. */
	n = igmp_build_v3_query(buf, sizeof(buf), addr(232, 1, 1, 1), 10, false,
	    2, 125, NULL, 0);
	assert_int_equal(n, 12);
	memcpy(buf + 12, "\x01\x02\x03\x04\x05", 5);
	reseal(buf, 17);
	assert_int_equal(igmp_decode(buf, 17, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_QUERY);
	assert_int_equal(m.nsources, 0);
	assert_int_equal(m.length, 17);
	/* ... but one claimed source needs all 4 bytes: 5 are enough. */
	buf[11] = 1;
	reseal(buf, 17);
	assert_int_equal(igmp_decode(buf, 17, &m), IGMP_OK);
	assert_int_equal(m.nsources, 1);
	assert_addr(igmp_source_at(m.sources, 0), 1, 2, 3, 4);
	buf[11] = 2;
	reseal(buf, 17);
	assert_int_equal(igmp_decode(buf, 17, &m), IGMP_E_SOURCES_TRUNCATED);
}

/*
 * Three records: IS_IN 232.1.1.1 {192.0.2.1, 192.0.2.2} with one aux word
 * deadbeef; unknown type 9 for 239.0.0.1 {}; IS_EX 233.0.0.1 {0.0.0.0}.
 */
static uint8_t aux_report[] = { 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x01, 0x01, 0x00, 0x02, 0xe8, 0x01, 0x01, 0x01, 0xc0, 0x00, 0x02, 0x01,
	0xc0, 0x00, 0x02, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x09, 0x00, 0x00, 0x00,
	0xef, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x01, 0xe9, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00 };

static void
test_v3_report_records(void **state)
{
	struct igmp_record_iter it;
	struct igmp_group_record rec;
	struct igmp_msg m;

	/* 2200+0003+0101+0002+e801+0101+c000+0201+c000+0202+dead+beef */
	/* +0900+ef00+0001+0200+0001+e900+0001 = 10b0 -> ef4f. */
	reseal(aux_report, sizeof(aux_report));
	assert_int_equal(aux_report[2], 0xef);
	assert_int_equal(aux_report[3], 0x4f);
	assert_int_equal(igmp_decode(aux_report, sizeof(aux_report), &m),
	    IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_REPORT);
	assert_int_equal(m.nrecords, 3);
	assert_int_equal(m.records_len, sizeof(aux_report) - 8);
	assert_ptr_equal(m.records, aux_report + 8);

	igmp_records_begin(&m, &it);
	assert_true(igmp_records_next(&it, &rec));
	assert_int_equal(it.index, 1);
	assert_int_equal(rec.type, IGMP_MODE_IS_INCLUDE);
	assert_int_equal(rec.aux_words, 1);
	assert_int_equal(rec.nsources, 2);
	assert_addr(rec.group, 232, 1, 1, 1);
	assert_addr(igmp_source_at(rec.sources, 0), 192, 0, 2, 1);
	assert_addr(igmp_source_at(rec.sources, 1), 192, 0, 2, 2);
	assert_ptr_equal(rec.aux, aux_report + 24);
	assert_int_equal(rec.aux[0], 0xde);
	/* Unknown record types are handed over; the engines skip them. */
	assert_true(igmp_records_next(&it, &rec));
	assert_int_equal(rec.type, 9);
	assert_string_equal(igmp_record_type_name(rec.type), "unknown");
	assert_addr(rec.group, 239, 0, 0, 1);
	assert_true(igmp_records_next(&it, &rec));
	assert_int_equal(rec.type, IGMP_MODE_IS_EXCLUDE);
	assert_int_equal(rec.nsources, 1);
	assert_addr(igmp_source_at(rec.sources, 0), 0, 0, 0, 0);
	assert_false(igmp_records_next(&it, &rec));
	assert_int_equal(it.index, 3);

	/* Records of anything but a v3 report: none. */
	memset(&m, 0, sizeof(m));
	m.kind = IGMP_KIND_V2_REPORT;
	igmp_records_begin(&m, &it);
	assert_false(igmp_records_next(&it, &rec));
}

static void
test_v3_report_truncations(void **state)
{
	uint8_t buf[sizeof(aux_report)];
	struct igmp_msg m;
	size_t len;

	reseal(aux_report, sizeof(aux_report));
	for (len = 0; len < sizeof(aux_report); len++) {
		assert_int_not_equal(igmp_decode(aux_report, len, &m), IGMP_OK);
		memcpy(buf, aux_report, len);
		if (len >= 4)
			reseal(buf, len);
		assert_int_equal(igmp_decode(buf, len, &m),
		    len < 8 ? IGMP_E_SHORT : IGMP_E_RECORD_TRUNCATED);
	}
	/* The aux word counts: one fewer byte of it is already too few. */
	memcpy(buf, aux_report, 27);
	reseal(buf, 27);
	assert_int_equal(igmp_decode(buf, 27, &m), IGMP_E_RECORD_TRUNCATED);
	/* A claimed fourth record that is not there. */
	memcpy(buf, aux_report, sizeof(buf));
	buf[7] = 4;
	reseal(buf, sizeof(buf));
	assert_int_equal(igmp_decode(buf, sizeof(buf), &m),
	    IGMP_E_RECORD_TRUNCATED);
	/* 65535 sources claimed in a 16-byte message. */
	memcpy(buf, is_inc, 16);
	buf[10] = buf[11] = 0xff;
	reseal(buf, 16);
	assert_int_equal(igmp_decode(buf, 16, &m), IGMP_E_RECORD_TRUNCATED);
}

static void
test_corrupted_checksum(void **state)
{
	uint8_t buf[sizeof(is_inc)];
	struct igmp_msg m;
	size_t i;
	int bit;

	for (i = 0; i < sizeof(is_inc); i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, is_inc, sizeof(buf));
			buf[i] ^= 1u << bit;
			assert_int_equal(igmp_decode(buf, sizeof(buf), &m),
			    IGMP_E_CHECKSUM);
		}
	assert_int_equal(igmp_build_v2_leave(buf, 8, addr(225, 1, 1, 3)), 8);
	buf[3] ^= 0x01;
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_E_CHECKSUM);
	assert_string_equal(igmp_error_name(IGMP_E_CHECKSUM), "bad checksum");
}

static void
test_decode_short_long_and_other_types(void **state)
{
	uint8_t buf[96];
	struct igmp_msg m;
	size_t len;

	for (len = 0; len < 8; len++)
		assert_int_equal(igmp_decode(is_inc, len, &m), IGMP_E_SHORT);

	/* RFC 2236 2.5: a v2 report with 4 more bytes, extra ignored. */
	assert_int_equal(igmp_build_v2_report(buf, 8, addr(225, 1, 1, 5)), 8);
	memcpy(buf + 8, "\x01\x02\x03\x04", 4);
	reseal(buf, 12);
	assert_int_equal(igmp_decode(buf, 12, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_REPORT);
	assert_int_equal(m.length, 12);
	assert_addr(m.group, 225, 1, 1, 5);

	/* PIM v1 and an unknown type (MRD advertisement 0x30). */
	memset(buf, 0, sizeof(buf));
	buf[0] = IGMP_TYPE_PIM_V1;
	buf[1] = 0x04;
	reseal(buf, 12);
	assert_int_equal(igmp_decode(buf, 12, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_PIM_V1);
	assert_int_equal(m.code, 0x04);
	buf[0] = 0x30;
	reseal(buf, 8);
	assert_int_equal(igmp_decode(buf, 8, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_UNKNOWN);
	assert_int_equal(m.type, 0x30);

	/* DVMRP probe as mrouted sends it: 00 0e ff 03 + GenID. */
	memcpy(buf, "\x13\x01\x00\x00\x00\x0e\xff\x03\x12\x34\x56\x78", 12);
	reseal(buf, 12);
	assert_int_equal(igmp_decode(buf, 12, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_DVMRP);
	assert_int_equal(m.code, DVMRP_PROBE);
	assert_int_equal(m.dvmrp_caps, 0x0e);
	assert_int_equal(m.dvmrp_minor, 0xff);
	assert_int_equal(m.dvmrp_major, 3);

	/* mtrace: under 24 bytes, a partial block, whole blocks. */
	memset(buf, 0, sizeof(buf));
	buf[0] = IGMP_TYPE_MTRACE_RESP;
	buf[1] = 5;
	for (len = 8; len < 24; len++) {
		reseal(buf, len);
		assert_int_equal(igmp_decode(buf, len, &m),
		    IGMP_E_MTRACE_SHORT);
	}
	reseal(buf, 24 + 31);
	assert_int_equal(igmp_decode(buf, 24 + 31, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_MTRACE_RESPONSE);
	assert_int_equal(m.mtrace_nblocks, 0);
	assert_int_equal(m.mtrace_hops, 5);
	reseal(buf, 24 + 32 + 5);
	assert_int_equal(igmp_decode(buf, 24 + 32 + 5, &m), IGMP_OK);
	assert_int_equal(m.mtrace_nblocks, 1);
	reseal(buf, 24 + 64);
	assert_int_equal(igmp_decode(buf, 24 + 64, &m), IGMP_OK);
	assert_int_equal(m.mtrace_nblocks, 2);
}

/* ---- IPv4 header ------------------------------------------------------ */

/*
 * IGMP_V1.pcap #8 (a Linux host): 10.0.200.10 -> 224.0.0.251, TOS c0, DF,
 * ID 0, TTL 1, RA, v1 report.  Header sum: 46c0+0020+0000+4000+0102+0a00+
 * c80a+e000+00fb+9404+0000 = ceed (carries folded) -> 3112, as captured.
 * The frame's 14 bytes of Ethernet padding follow.
 */
static const uint8_t v1_report_pkt[] = { 0x46, 0xc0, 0x00, 0x20, 0x00, 0x00,
	0x40, 0x00, 0x01, 0x02, 0x31, 0x12, 0x0a, 0x00, 0xc8, 0x0a, 0xe0, 0x00,
	0x00, 0xfb, 0x94, 0x04, 0x00, 0x00, 0x12, 0x00, 0x0d, 0x04, 0xe0, 0x00,
	0x00, 0xfb, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00 };

static void
test_ip_build(void **state)
{
	uint8_t igmp[8], pkt[64];
	const uint8_t *payload;
	size_t plen;
	struct igmp_ip ip;
	struct igmp_msg m;

	assert_int_equal(igmp_build_v1_report(igmp, 8, addr(224, 0, 0, 251)),
	    8);
	memset(pkt, 0xaa, sizeof(pkt));
	assert_int_equal(igmp_ip_build(pkt, sizeof(pkt), addr(10, 0, 200, 10),
			     addr(224, 0, 0, 251), igmp, 8),
	    32);
	assert_memory_equal(pkt, v1_report_pkt, 32);
	assert_int_equal(pkt[32], 0xaa);

	assert_int_equal(igmp_ip_decode(pkt, 32, &ip, &payload, &plen),
	    IGMP_OK);
	assert_true(ip.router_alert);
	assert_int_equal(ip.ttl, 1);
	assert_int_equal(ip.tos, 0xc0);
	assert_int_equal(ip.header_len, 24);
	assert_int_equal(ip.total_len, 32);
	assert_addr(ip.src, 10, 0, 200, 10);
	assert_addr(ip.dst, 224, 0, 0, 251);
	assert_ptr_equal(payload, pkt + 24);
	assert_int_equal(plen, 8);
	assert_int_equal(igmp_decode(payload, plen, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V1_REPORT);

	/* The payload may already be in place. */
	memset(pkt, 0, 24);
	memcpy(pkt + 24, igmp, 8);
	assert_int_equal(igmp_ip_build(pkt, 32, addr(10, 0, 200, 10),
			     addr(224, 0, 0, 251), pkt + 24, 8),
	    32);
	assert_memory_equal(pkt, v1_report_pkt, 32);

	assert_int_equal(igmp_ip_build(pkt, 31, addr(10, 0, 200, 10),
			     addr(224, 0, 0, 251), igmp, 8),
	    IGMP_E_NO_ROOM);
	assert_int_equal(igmp_ip_build(pkt, sizeof(pkt), addr(10, 0, 0, 1),
			     addr(224, 0, 0, 1), igmp, 65535 - 23),
	    IGMP_E_NO_ROOM);
}

/*
 * A message sent by unicast with another TTL and no Router Alert (DVMRP to
 * a neighbour, an mtrace response): a 20-byte header, exact bytes.
 */
static void
test_ip_build_out(void **state)
{
	static const uint8_t want[28] = { 0x45, 0xc0, 0x00, 0x1c, 0x00, 0x00,
		0x40, 0x00, 0x40, 0x02, 0x00, 0x00, 0xc6, 0x12, 0x01, 0x01,
		0xc6, 0x12, 0x02, 0x02, 0x13, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x0e, 0x03 };
	struct igmp_ip_out o = {
		.src = addr(198, 18, 1, 1),
		.dst = addr(198, 18, 2, 2),
		.ttl = 64,
		.router_alert = false,
	};
	uint8_t msg[8] = { 0x13, 0x01, 0, 0, 0, 0, 0x0e, 0x03 }, pkt[64];
	uint8_t expect[28];
	const uint8_t *payload;
	struct igmp_ip ip;
	size_t plen;

	(void)state;
	memcpy(expect, want, sizeof(expect));
	/* The header checksum over the 20 bytes, as the wire has it. */
	expect[10] = (uint8_t)(igmp_checksum(expect, 20) >> 8);
	expect[11] = (uint8_t)(igmp_checksum(expect, 20) & 0xff);
	assert_int_equal(igmp_ip_build_out(pkt, sizeof(pkt), &o, msg, 8), 28);
	assert_memory_equal(pkt, expect, 28);
	assert_int_equal(igmp_checksum(pkt, 20), 0);
	assert_int_equal(igmp_ip_decode(pkt, 28, &ip, &payload, &plen),
	    IGMP_OK);
	assert_false(ip.router_alert);
	assert_int_equal(ip.ttl, 64);
	assert_int_equal(ip.header_len, 20);
	assert_int_equal(plen, 8);
	/* With Router Alert: the 24-byte header of membership messages. */
	o.router_alert = true;
	o.ttl = 1;
	assert_int_equal(igmp_ip_build_out(pkt, sizeof(pkt), &o, msg, 8), 32);
	assert_int_equal(igmp_ip_decode(pkt, 32, &ip, &payload, &plen),
	    IGMP_OK);
	assert_true(ip.router_alert);
	assert_int_equal(ip.ttl, 1);
	assert_int_equal(igmp_ip_build_out(pkt, 27, &o, msg, 8),
	    IGMP_E_NO_ROOM);
}

/* A 20-byte header plus opts (a multiple of 4), then a v2 report. */
static size_t
ip_with_options(uint8_t *pkt, const uint8_t *opts, size_t olen)
{
	size_t hlen = 20 + olen;

	memset(pkt, 0, 20);
	pkt[0] = 0x40 | (uint8_t)(hlen / 4);
	pkt[3] = (uint8_t)(hlen + 8);
	pkt[8] = 1;
	pkt[9] = 2;
	memcpy(pkt + 12, "\xc0\xa8\x01\x40\xef\xff\xff\xfa", 8);
	memcpy(pkt + 20, opts, olen);
	igmp_build_v2_report(pkt + hlen, 8, addr(239, 255, 255, 250));
	reseal_ip(pkt, hlen);
	return hlen + 8;
}

static void
test_ip_options(void **state)
{
	static const struct {
		const char *opts;
		size_t len;
		int rc;
		bool ra;
	} cases[] = {
		{ "\x94\x04\x00\x00", 4, IGMP_OK, true },
		{ "\x01\x94\x04\x00\x00\x00\x00\x00", 8, IGMP_OK, true },
		{ "\x01\x01\x01\x01", 4, IGMP_OK, false },
		/* After EOL nothing is read, not even an RA. */
		{ "\x00\x94\x04\x00", 4, IGMP_OK, false },
		{ "\x94\x04\x00\x00\x00\xff\xff\xff", 8, IGMP_OK, true },
		/* Record route (len 7) then RA. */
		{ "\x07\x07\x04\x00\x00\x00\x00\x94\x04\x00\x00\x00", 12,
		    IGMP_OK, true },
		/* An RA with the wrong length is not an RA. */
		{ "\x94\x03\x00\x01", 4, IGMP_OK, false },
		{ "\x07\x00\x00\x00", 4, IGMP_E_IP_HEADER_LENGTH, false },
		{ "\x07\x01\x00\x00", 4, IGMP_E_IP_HEADER_LENGTH, false },
		{ "\x01\x01\x01\x07", 4, IGMP_E_IP_HEADER_LENGTH, false },
		{ "\x94\x08\x00\x00", 4, IGMP_E_IP_HEADER_LENGTH, false },
		{ "\x01\x07\x04\x00", 4, IGMP_E_IP_HEADER_LENGTH, false },
	};
	uint8_t pkt[64];
	const uint8_t *payload;
	size_t i, len, plen;
	struct igmp_ip ip;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = ip_with_options(pkt, (const uint8_t *)cases[i].opts,
		    cases[i].len);
		if (igmp_ip_decode(pkt, len, &ip, &payload, &plen) !=
			cases[i].rc ||
		    ip.router_alert != cases[i].ra)
			fail_msg("options case %zu", i);
		if (cases[i].rc == IGMP_OK) {
			assert_int_equal(plen, 8);
			assert_ptr_equal(payload, pkt + 20 + cases[i].len);
		}
	}
	/* No options at all. */
	len = ip_with_options(pkt, (const uint8_t *)"", 0);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_OK);
	assert_false(ip.router_alert);
	assert_int_equal(ip.header_len, 20);
}

static void
test_ip_rejections(void **state)
{
	uint8_t pkt[64];
	const uint8_t *payload;
	size_t len, plen;
	struct igmp_ip ip;

	len = ip_with_options(pkt, (const uint8_t *)"\x94\x04\x00\x00", 4);
	assert_int_equal(len, 32);
	assert_int_equal(igmp_ip_decode(pkt, 19, &ip, &payload, &plen),
	    IGMP_E_IP_SHORT);
	assert_null(payload);
	/* IHL says 24 but only 20..23 bytes are there. */
	assert_int_equal(igmp_ip_decode(pkt, 20, &ip, &payload, &plen),
	    IGMP_E_IP_HEADER_LENGTH);
	assert_int_equal(igmp_ip_decode(pkt, 31, &ip, &payload, &plen),
	    IGMP_E_IP_TOTAL_LENGTH);

	pkt[0] = 0x66;
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_VERSION);
	pkt[0] = 0x44;
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_HEADER_LENGTH);
	pkt[0] = 0x49; /* 36 bytes > 32 */
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_HEADER_LENGTH);
	pkt[0] = 0x46;
	reseal_ip(pkt, 24);

	pkt[3] = 23; /* total under the header */
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_TOTAL_LENGTH);
	pkt[3] = 24; /* header only: an empty payload */
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_OK);
	assert_int_equal(plen, 0);
	pkt[3] = 32;

	pkt[9] = 17;
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_PROTOCOL);
	pkt[9] = 2;
	reseal_ip(pkt, 24);
	pkt[11] ^= 0x40;
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_CHECKSUM);
	pkt[11] ^= 0x40;

	pkt[6] = 0x20; /* MF */
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_FRAGMENT);
	pkt[6] = 0x00; /* offset 8 */
	pkt[7] = 0x01;
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_E_IP_FRAGMENT);
	pkt[6] = 0x40; /* DF alone is fine */
	pkt[7] = 0x00;
	reseal_ip(pkt, 24);
	assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
	    IGMP_OK);
	assert_int_equal(igmp_ip_decode(pkt, len + 10, &ip, &payload, &plen),
	    IGMP_OK);
	assert_int_equal(ip.total_len, 32);
	assert_int_equal(plen, 8);
}

/* ---- real packets (tcpdump tests/) ------------------------------------ */

/* Decode an IP packet from a capture, IP and IGMP both must be OK. */
static void
decode_pkt(const uint8_t *pkt, size_t len, struct igmp_ip *ip,
    struct igmp_msg *m)
{
	const uint8_t *payload;
	size_t plen;

	assert_int_equal(igmp_ip_decode(pkt, len, ip, &payload, &plen),
	    IGMP_OK);
	assert_int_equal(plen, ip->total_len - ip->header_len);
	assert_int_equal(igmp_decode(payload, plen, m), IGMP_OK);
}

static void
test_pcap_igmpv1(void **state)
{
	/* #1 "igmp query v1", 10.0.200.151 > 224.0.0.1, padded frame. */
	static const uint8_t query[] = { 0x46, 0x00, 0x00, 0x20, 0x00, 0x02,
		0x00, 0x00, 0x01, 0x02, 0x72, 0x3d, 0x0a, 0x00, 0xc8, 0x97,
		0xe0, 0x00, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00, 0x11, 0x00,
		0xee, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* #2 "igmp v1 report 224.0.0.252" from 10.0.200.163. */
	static const uint8_t report[] = { 0x46, 0x00, 0x00, 0x20, 0x53, 0xab,
		0x00, 0x00, 0x01, 0x02, 0x1d, 0x8d, 0x0a, 0x00, 0xc8, 0xa3,
		0xe0, 0x00, 0x00, 0xfc, 0x94, 0x04, 0x00, 0x00, 0x12, 0x00,
		0x0d, 0x03, 0xe0, 0x00, 0x00, 0xfc, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct igmp_ip ip;
	struct igmp_msg m;

	decode_pkt(query, sizeof(query), &ip, &m);
	assert_addr(ip.src, 10, 0, 200, 151);
	assert_addr(ip.dst, 224, 0, 0, 1);
	assert_true(ip.router_alert);
	assert_int_equal(ip.ttl, 1);
	assert_int_equal(ip.total_len, 32);
	assert_int_equal(m.kind, IGMP_KIND_V1_QUERY);
	assert_int_equal(m.max_resp_tenths, 100);
	assert_int_equal(m.group.s_addr, 0);

	decode_pkt(report, sizeof(report), &ip, &m);
	assert_addr(ip.src, 10, 0, 200, 163);
	assert_int_equal(m.kind, IGMP_KIND_V1_REPORT);
	assert_addr(m.group, 224, 0, 0, 252);

	/* #8, the Linux host: DF set, TOS c0. */
	decode_pkt(v1_report_pkt, sizeof(v1_report_pkt), &ip, &m);
	assert_int_equal(ip.tos, 0xc0);
	assert_int_equal(m.kind, IGMP_KIND_V1_REPORT);
	assert_addr(m.group, 224, 0, 0, 251);
}

static void
test_pcap_igmpv2(void **state)
{
	/* #1 "igmp query v2" from the router: no Router Alert. */
	static const uint8_t general[] = { 0x45, 0x00, 0x00, 0x1c, 0x65, 0x51,
		0x00, 0x00, 0x01, 0x02, 0xb2, 0xe3, 0xc0, 0xa8, 0x01, 0x02,
		0xe0, 0x00, 0x00, 0x01, 0x11, 0x64, 0xee, 0x9b, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* #5 "igmp leave 225.1.1.3" 192.168.11.201 > 224.0.0.2. */
	static const uint8_t leave[] = { 0x46, 0x00, 0x00, 0x20, 0x00, 0x00,
		0x40, 0x00, 0x01, 0x02, 0x38, 0x64, 0xc0, 0xa8, 0x0b, 0xc9,
		0xe0, 0x00, 0x00, 0x02, 0x94, 0x04, 0x00, 0x00, 0x17, 0x00,
		0x06, 0xfb, 0xe1, 0x01, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* #6 "igmp query v2 [max resp time 10] [gaddr 225.1.1.3]". */
	static const uint8_t specific[] = { 0x45, 0x00, 0x00, 0x1c, 0x65, 0x52,
		0x00, 0x00, 0x01, 0x02, 0xb0, 0xdf, 0xc0, 0xa8, 0x01, 0x02,
		0xe1, 0x01, 0x01, 0x03, 0x11, 0x0a, 0x0c, 0xf1, 0xe1, 0x01,
		0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct igmp_ip ip;
	struct igmp_msg m;

	decode_pkt(general, sizeof(general), &ip, &m);
	assert_false(ip.router_alert);
	assert_int_equal(ip.header_len, 20);
	assert_addr(ip.src, 192, 168, 1, 2);
	assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
	assert_int_equal(m.max_resp_tenths, 100);
	assert_int_equal(m.group.s_addr, 0);

	decode_pkt(leave, sizeof(leave), &ip, &m);
	assert_true(ip.router_alert);
	assert_addr(ip.dst, 224, 0, 0, 2);
	assert_int_equal(m.kind, IGMP_KIND_V2_LEAVE);
	assert_addr(m.group, 225, 1, 1, 3);

	decode_pkt(specific, sizeof(specific), &ip, &m);
	assert_addr(ip.dst, 225, 1, 1, 3);
	assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
	assert_int_equal(m.max_resp_tenths, 10);
	assert_addr(m.group, 225, 1, 1, 3);
}

static void
test_pcap_igmpv3_queries(void **state)
{
	/* #1 "igmp query v3" and #2 "[max resp time 51m12s]". */
	static const uint8_t q1[] = { 0x46, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00,
		0x00, 0x01, 0x02, 0x84, 0x0d, 0xc0, 0x02, 0x00, 0x02, 0xe0,
		0x00, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00, 0x11, 0x64, 0xec,
		0x1e, 0x00, 0x00, 0x00, 0x00, 0x02, 0x7d, 0x00, 0x00 };
	static const uint8_t q2[] = { 0x46, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00,
		0x00, 0x01, 0x02, 0x84, 0x0d, 0xc0, 0x02, 0x00, 0x02, 0xe0,
		0x00, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00, 0x11, 0xfe, 0xeb,
		0x84, 0x00, 0x00, 0x00, 0x00, 0x02, 0x7d, 0x00, 0x00 };
	struct igmp_ip ip;
	struct igmp_msg m;

	decode_pkt(q1, sizeof(q1), &ip, &m);
	assert_addr(ip.src, 192, 2, 0, 2);
	assert_true(ip.router_alert);
	assert_int_equal(ip.tos, 0xc0);
	assert_int_equal(m.kind, IGMP_KIND_V3_QUERY);
	assert_int_equal(m.max_resp_tenths, 100);
	assert_false(m.suppress);
	assert_int_equal(m.qrv, 2);
	assert_int_equal(m.qqic, 125);
	assert_int_equal(m.qqi_s, 125);
	assert_int_equal(m.nsources, 0);

	decode_pkt(q2, sizeof(q2), &ip, &m);
	assert_int_equal(m.kind, IGMP_KIND_V3_QUERY);
	assert_int_equal(m.code, 0xfe);
	assert_int_equal(m.max_resp_tenths, 30720); /* 51m12s */
	assert_int_equal(m.qrv, 2);
	assert_int_equal(m.qqi_s, 125);
}

static void
test_pcap_mtrace(void **state)
{
	/* #1 "mtrace 7: 172.16.40.1 to 172.16.20.1 reply-to 172.16.40.1" */
	static const uint8_t query[] = { 0x45, 0x00, 0x00, 0x2c, 0x02, 0xf8,
		0x00, 0x00, 0x40, 0x02, 0xad, 0xc2, 0x0a, 0x00, 0x00, 0x05,
		0xac, 0x10, 0x14, 0x01, 0x1f, 0x20, 0x38, 0xa3, 0x00, 0x00,
		0x00, 0x00, 0xac, 0x10, 0x28, 0x01, 0xac, 0x10, 0x14, 0x01,
		0xac, 0x10, 0x28, 0x01, 0x40, 0x00, 0x00, 0x07, 0x00, 0x00 };
	/* #2: the request forwarded with two PIM response blocks. */
	static const uint8_t request[] = { 0x45, 0x00, 0x00, 0x6c, 0x02, 0x83,
		0x00, 0x00, 0xff, 0x02, 0xa5, 0x02, 0x0a, 0x00, 0x00, 0x06,
		0x0a, 0x00, 0x00, 0x05, 0x1f, 0x20, 0x31, 0x13, 0x00, 0x00,
		0x00, 0x00, 0xac, 0x10, 0x28, 0x01, 0xac, 0x10, 0x14, 0x01,
		0xac, 0x10, 0x28, 0x01, 0x40, 0x00, 0x00, 0x07,
		/* block 1 */
		0x47, 0x2c, 0x45, 0x9c, 0x0a, 0x00, 0x00, 0x0e, 0x0a, 0x00,
		0x00, 0x0e, 0x0a, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0xf2,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
		0x18, 0x00,
		/* block 2 */
		0x47, 0x2b, 0xbf, 0x78, 0x0a, 0x00, 0x00, 0x06, 0x0a, 0x00,
		0x00, 0x0d, 0x0a, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xf0,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
		0x18, 0x00 };
	struct igmp_ip ip;
	struct igmp_msg m;

	decode_pkt(query, sizeof(query), &ip, &m);
	assert_int_equal(ip.ttl, 64);
	assert_false(ip.router_alert);
	assert_addr(ip.dst, 172, 16, 20, 1);
	assert_int_equal(m.kind, IGMP_KIND_MTRACE_QUERY);
	assert_int_equal(m.length, 24);
	assert_int_equal(m.mtrace_hops, 32);
	assert_int_equal(m.group.s_addr, 0);
	assert_addr(m.mtrace_source, 172, 16, 40, 1);
	assert_addr(m.mtrace_dest, 172, 16, 20, 1);
	assert_addr(m.mtrace_response_addr, 172, 16, 40, 1);
	assert_int_equal(m.mtrace_response_ttl, 64);
	assert_int_equal(m.mtrace_query_id, 7);
	assert_int_equal(m.mtrace_nblocks, 0);

	decode_pkt(request, sizeof(request), &ip, &m);
	assert_int_equal(ip.ttl, 255);
	assert_int_equal(m.kind, IGMP_KIND_MTRACE_QUERY);
	assert_int_equal(m.length, 88);
	assert_int_equal(m.mtrace_query_id, 7);
	assert_int_equal(m.mtrace_response_ttl, 64);
	assert_int_equal(m.mtrace_nblocks, 2);
}

static void
test_pcap_mrinfo(void **state)
{
	/* #1 "igmp dvmrp Ask-neighbors2" 10.0.0.1 > 2.2.2.2. */
	static const uint8_t ask[] = { 0x45, 0x00, 0x00, 0x1c, 0x00, 0xea, 0x00,
		0x00, 0xff, 0x02, 0xac, 0xf1, 0x0a, 0x00, 0x00, 0x01, 0x02,
		0x02, 0x02, 0x02, 0x13, 0x05, 0xe8, 0xe4, 0x00, 0x0a, 0x04,
		0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* #2 "igmp dvmrp Neighbors2 (v 12.4): [10.0.0.2 -> 10.0.0.1 ...". */
	static const uint8_t reply[] = { 0x45, 0xc0, 0x00, 0x34, 0x00, 0xb9,
		0x00, 0x00, 0xff, 0x02, 0xac, 0x4a, 0x02, 0x02, 0x02, 0x02,
		0x0a, 0x00, 0x00, 0x01, 0x13, 0x06, 0x76, 0x8b, 0x00, 0x4a,
		0x04, 0x0c, 0x0a, 0x00, 0x00, 0x02, 0x01, 0x00, 0x44, 0x01,
		0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x09, 0x01, 0x00,
		0x04, 0x01, 0x0a, 0x00, 0x00, 0x0a };
	struct igmp_ip ip;
	struct igmp_msg m;

	decode_pkt(ask, sizeof(ask), &ip, &m);
	assert_int_equal(ip.ttl, 255);
	assert_false(ip.router_alert);
	assert_int_equal(m.kind, IGMP_KIND_DVMRP);
	assert_int_equal(m.code, DVMRP_ASK_NEIGHBORS2);
	assert_string_equal(dvmrp_code_name(m.code), "ask-neighbors2");
	assert_int_equal(m.dvmrp_caps, 0x0a); /* prune, mtrace */
	assert_int_equal(m.dvmrp_major, 12);
	assert_int_equal(m.dvmrp_minor, 4);
	assert_int_equal(m.length, 8);

	decode_pkt(reply, sizeof(reply), &ip, &m);
	assert_addr(ip.src, 2, 2, 2, 2);
	assert_int_equal(m.kind, IGMP_KIND_DVMRP);
	assert_int_equal(m.code, DVMRP_NEIGHBORS2);
	assert_string_equal(dvmrp_code_name(m.code), "neighbors2");
	assert_int_equal(m.dvmrp_caps, 0x4a);
	assert_int_equal(m.dvmrp_major, 12);
	assert_int_equal(m.dvmrp_minor, 4);
	assert_int_equal(m.length, 32);
}

/* ---- names ------------------------------------------------------------ */

static void
test_names(void **state)
{
	static const char *const kinds[] = {
		"v1 query",
		"v2 query",
		"v3 query",
		"v1 report",
		"v2 report",
		"v2 leave",
		"v3 report",
		"DVMRP",
		"mtrace query",
		"mtrace response",
		"PIM v1",
		"unknown",
	};
	static const char *const records[] = {
		"unknown",
		"IS_IN",
		"IS_EX",
		"TO_IN",
		"TO_EX",
		"ALLOW",
		"BLOCK",
		"unknown",
	};
	static const char *const codes[] = {
		"unknown",
		"probe",
		"report",
		"ask-neighbors",
		"neighbors",
		"ask-neighbors2",
		"neighbors2",
		"prune",
		"graft",
		"graft-ack",
		"unknown",
	};
	const char *names[IGMP_E_COUNT];
	int i, j;

	for (i = 0; i <= IGMP_KIND_UNKNOWN; i++)
		assert_string_equal(igmp_kind_name((enum igmp_kind)i),
		    kinds[i]);
	assert_string_equal(igmp_kind_name((enum igmp_kind)99), "unknown");
	for (i = 0; i < 8; i++)
		assert_string_equal(igmp_record_type_name((uint8_t)i),
		    records[i]);
	assert_string_equal(igmp_record_type_name(255), "unknown");
	for (i = 0; i < 11; i++)
		assert_string_equal(dvmrp_code_name((uint8_t)i), codes[i]);
	assert_string_equal(dvmrp_code_name(255), "unknown");

	/* Every error has its own name; others are "unknown error". */
	for (i = 0; i < IGMP_E_COUNT; i++) {
		names[i] = igmp_error_name(-i);
		assert_string_not_equal(names[i], "unknown error");
		for (j = 0; j < i; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	assert_string_equal(igmp_error_name(-IGMP_E_COUNT), "unknown error");
	assert_string_equal(igmp_error_name(1), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_float_vectors),
		cmocka_unit_test(test_float_encode_is_largest_below),
		cmocka_unit_test(test_build_v1_query),
		cmocka_unit_test(test_build_v2_query),
		cmocka_unit_test(test_build_v3_query),
		cmocka_unit_test(test_build_reports_and_leave),
		cmocka_unit_test(test_build_v3_report),
		cmocka_unit_test(test_v3_report_fills_up),
		cmocka_unit_test(test_query_length_9_to_11),
		cmocka_unit_test(test_v3_query_truncations),
		cmocka_unit_test(test_v3_query_additional_data),
		cmocka_unit_test(test_v3_report_records),
		cmocka_unit_test(test_v3_report_truncations),
		cmocka_unit_test(test_corrupted_checksum),
		cmocka_unit_test(test_decode_short_long_and_other_types),
		cmocka_unit_test(test_ip_build),
		cmocka_unit_test(test_ip_build_out),
		cmocka_unit_test(test_ip_options),
		cmocka_unit_test(test_ip_rejections),
		cmocka_unit_test(test_pcap_igmpv1),
		cmocka_unit_test(test_pcap_igmpv2),
		cmocka_unit_test(test_pcap_igmpv3_queries),
		cmocka_unit_test(test_pcap_mtrace),
		cmocka_unit_test(test_pcap_mrinfo),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
