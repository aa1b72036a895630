/*
 * The SAP header codec (proto/sap_wire.c): exact bytes of what we build,
 * every field decoded, IPv6 origins, authentication data, payloads without
 * a type, zlib payloads, and every error kind (truncated, version, hash 0
 * when strict, authentication past the end, unterminated type, encrypted,
 * bad zlib data, a zlib bomb, empty, not SDP).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <zlib.h>

#include "sap_wire.h"

static const char sdp[] = "v=0\r\no=- 1 1 IN IP4 198.18.1.2\r\ns=x\r\n";
static uint8_t buf[SAP_WIRE_MAX_INFLATED];

static struct mc_ip
ip(const char *s)
{
	struct mc_ip a;

	assert_int_equal(mc_ip_parse(s, &a), 0);
	return a;
}

static void
test_build_exact(void **state)
{
	struct sap_build b = { .origin = ip("198.18.1.2"),
		.hash = 0xbeef,
		.with_type = true,
		.payload = (const uint8_t *)sdp,
		.payload_len = strlen(sdp) };
	static const uint8_t head[] = { 0x20, 0x00, 0xbe, 0xef, 198, 18, 1, 2,
		'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', '/', 's',
		'd', 'p', 0 };
	uint8_t out[256];
	struct sap_msg m;
	size_t n = sap_wire_build(&b, out, sizeof(out));

	assert_int_equal(n, sizeof(head) + strlen(sdp));
	assert_memory_equal(out, head, sizeof(head));
	assert_memory_equal(out + sizeof(head), sdp, strlen(sdp));
	assert_int_equal(sap_wire_decode(out, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_int_equal(m.version, 1);
	assert_false(m.ipv6);
	assert_false(m.deletion);
	assert_false(m.encrypted);
	assert_false(m.compressed);
	assert_int_equal(m.hash, 0xbeef);
	assert_true(mc_ip_equal(&m.origin, &b.origin));
	assert_true(m.has_type);
	assert_string_equal(m.type, "application/sdp");
	assert_int_equal(m.payload_len, strlen(sdp));
	assert_memory_equal(m.payload, sdp, strlen(sdp));
	/* Deletion: T set (0x24); too small a buffer: 0. */
	b.deletion = true;
	n = sap_wire_build(&b, out, sizeof(out));
	assert_int_equal(out[0], 0x24);
	assert_int_equal(sap_wire_decode(out, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_true(m.deletion);
	assert_int_equal(sap_wire_build(&b, out, 20), 0);
}

static void
test_ipv6_no_type(void **state)
{
	struct sap_build b = { .origin = ip("2001:db8:1::2"),
		.hash = 7,
		.payload = (const uint8_t *)sdp,
		.payload_len = strlen(sdp) };
	uint8_t out[256];
	struct sap_msg m;
	size_t n = sap_wire_build(&b, out, sizeof(out));

	assert_int_equal(n, 4 + 16 + strlen(sdp));
	assert_int_equal(out[0], 0x30); /* V=1, A=1 */
	assert_int_equal(sap_wire_decode(out, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_true(m.ipv6);
	assert_true(mc_ip_equal(&m.origin, &b.origin));
	assert_false(m.has_type); /* "v=0" follows the header at once */
	assert_int_equal(m.payload_len, strlen(sdp));
}

static void
test_auth_data(void **state)
{
	uint8_t p[64] = { 0x20, 2, 0, 1, 198, 18, 1, 2, 0x11, 0x22, 0x33, 0x44,
		0x55, 0x66, 0x77, 0x88 };
	struct sap_msg m;
	size_t n = 16;

	memcpy(p + n, "v=0\r\n", 5);
	n += 5;
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_int_equal(m.auth_len, 8);
	assert_int_equal(m.auth[0], 0x11);
	assert_int_equal(m.auth[7], 0x88);
	assert_int_equal(m.payload_len, 5);
	/* 3 words (12 bytes) claimed, 8 + 5 there: past the end. */
	p[1] = 4;
	assert_int_equal(sap_wire_decode(p, 8 + 12, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_AUTH_LENGTH);
	p[1] = 255;
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_AUTH_LENGTH);
}

static void
test_errors(void **state)
{
	uint8_t p[128] = { 0x20, 0, 0x12, 0x34, 198, 18, 1, 2 };
	struct sap_msg m;

	assert_int_equal(sap_wire_decode(p, 3, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_TRUNCATED);
	assert_int_equal(sap_wire_decode(p, 7, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_TRUNCATED);
	p[0] = 0x30; /* IPv6 origin, only 4 bytes there */
	assert_int_equal(sap_wire_decode(p, 12, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_TRUNCATED);
	p[0] = 0x40; /* V=2 */
	assert_int_equal(sap_wire_decode(p, 8, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_VERSION);
	assert_int_equal(m.version, 2);
	p[0] = 0x00; /* V=0 (SAPv0): refused too */
	assert_int_equal(sap_wire_decode(p, 8, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_VERSION);
	p[0] = 0x20;
	assert_int_equal(sap_wire_decode(p, 8, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_EMPTY);
	memcpy(p + 8, "application/sdp", 15); /* no NUL */
	assert_int_equal(sap_wire_decode(p, 23, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_TYPE_UNTERMINATED);
	memcpy(p + 8, "application/sdp\0", 16);
	assert_int_equal(sap_wire_decode(p, 24, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_EMPTY);
	memcpy(p + 8, "text/plain\0hello", 16);
	assert_int_equal(sap_wire_decode(p, 24, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_NOT_SDP);
	assert_string_equal(m.type, "text/plain");
	memset(p + 8, 'x', 100); /* a type longer than 64 */
	p[108] = 0;
	assert_int_equal(sap_wire_decode(p, 110, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_TYPE_UNTERMINATED);
	/* Encrypted: the header is read, the payload is not. */
	p[0] = 0x22;
	assert_int_equal(sap_wire_decode(p, 24, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_ENCRYPTED);
	assert_true(m.encrypted);
	assert_int_equal(m.hash, 0x1234);
	assert_null(m.payload);
	/* Hash 0: accepted and seen, refused when strict. */
	p[0] = 0x20;
	p[2] = p[3] = 0;
	memcpy(p + 8, "v=0\r\n", 5);
	assert_int_equal(sap_wire_decode(p, 13, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_int_equal(m.hash, 0);
	assert_int_equal(sap_wire_decode(p, 13, SAP_WIRE_STRICT_HASH, buf,
			     sizeof(buf), &m),
	    SAP_WIRE_HASH_ZERO);
	assert_string_equal(sap_wire_error_name(SAP_WIRE_INFLATE_CAP),
	    "inflate-cap");
	assert_string_equal(sap_wire_error_text(SAP_WIRE_AUTH_LENGTH),
	    "authentication data past the end");
}

/* A C=1 packet: header, then zlib data of in. */
static size_t
compressed(uint8_t *p, size_t cap, const void *in, size_t len)
{
	uLongf zlen = cap - 8;
	static const uint8_t head[] = { 0x21, 0, 0x12, 0x34, 198, 18, 1, 2 };

	memcpy(p, head, 8);
	assert_int_equal(compress2(p + 8, &zlen, in, len, 9), Z_OK);
	return 8 + zlen;
}

static void
test_compressed(void **state)
{
	char in[256];
	uint8_t p[4096];
	struct sap_msg m;
	size_t n, ilen;
	uint8_t *zeros;

	ilen = (size_t)snprintf(in, sizeof(in), "application/sdp%c%s", 0, sdp);
	n = compressed(p, sizeof(p), in, ilen);
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	assert_true(m.compressed);
	assert_string_equal(m.type, "application/sdp");
	assert_ptr_equal(m.payload, buf + 16);
	assert_int_equal(m.payload_len, strlen(sdp));
	assert_memory_equal(m.payload, sdp, strlen(sdp));
	/* Cut short, and not zlib at all. */
	assert_int_equal(sap_wire_decode(p, n - 4, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_INFLATE);
	memset(p + 8, 0x55, 40);
	assert_int_equal(sap_wire_decode(p, 48, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_INFLATE);
	/* A bomb: 1 MiB of zeros compresses to about 1 KiB. */
	zeros = calloc(1, 1 << 20);
	assert_non_null(zeros);
	memcpy(zeros, "application/sdp\0v=0", 19);
	n = compressed(p, sizeof(p), zeros, 1 << 20);
	assert_true(n < sizeof(p));
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_INFLATE_CAP);
	/* Exactly the cap fits; one byte more does not. */
	n = compressed(p, sizeof(p), zeros, sizeof(buf));
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_OK);
	n = compressed(p, sizeof(p), zeros, sizeof(buf) + 1);
	assert_int_equal(sap_wire_decode(p, n, 0, buf, sizeof(buf), &m),
	    SAP_WIRE_INFLATE_CAP);
	free(zeros);
}

static void
test_hash(void **state)
{
	struct mc_ip o = ip("198.18.1.2");
	uint16_t a = sap_wire_hash(&o, (const uint8_t *)"a", 1);
	unsigned i;
	char s[16];

	assert_int_not_equal(a, sap_wire_hash(&o, (const uint8_t *)"b", 1));
	assert_int_equal(a, sap_wire_hash(&o, (const uint8_t *)"a", 1));
	for (i = 0; i < 100000; i++) {
		snprintf(s, sizeof(s), "%u", i);
		assert_int_not_equal(sap_wire_hash(&o, (const uint8_t *)s,
					 strlen(s)),
		    0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_exact),
		cmocka_unit_test(test_ipv6_no_type),
		cmocka_unit_test(test_auth_data),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
