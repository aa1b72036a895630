/*
 * The checks of mcastd's tunnels (proto/tun_wire.c): an IP-in-IP packet
 * as the raw socket hands it, from the far end and from anyone else; inner
 * datagrams whole, truncated, padded, oversize and in fragments; what is
 * read from the TUN device (IPv4, IPv6, fragments) and what is carried.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "tun_wire.h"

/* An IPv4 header of total bytes (ihl 5), protocol proto, src > dst. */
static void
test_ip(uint8_t *p, size_t total, uint8_t proto, const char *src,
    const char *dst)
{
	memset(p, 0, total);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 16;
	p[9] = proto;
	assert_int_equal(inet_pton(AF_INET, src, p + 12), 1);
	assert_int_equal(inet_pton(AF_INET, dst, p + 16), 1);
}

static struct in_addr
test_addr(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
test_decap_ipip(void **state)
{
	struct in_addr local = test_addr("198.18.83.1"),
		       remote = test_addr("198.18.82.1");
	uint8_t pkt[20 + 100];
	const uint8_t *inner;
	size_t len;

	test_ip(pkt, sizeof(pkt), 4, "198.18.82.1", "198.18.83.1");
	test_ip(pkt + 20, 100, 17, "198.18.81.10", "239.1.81.1");
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_OK);
	assert_ptr_equal(inner, pkt + 20);
	assert_int_equal(len, 100);
	/* The inner datagram over the MTU. */
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     99, &inner, &len),
	    TUN_WIRE_OVERSIZE);
	assert_int_equal(len, 0);
	/* From another address, or to another one of ours: foreign. */
	assert_int_equal(inet_pton(AF_INET, "198.18.83.2", pkt + 12), 1);
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_FOREIGN);
	assert_int_equal(inet_pton(AF_INET, "198.18.82.1", pkt + 12), 1);
	assert_int_equal(inet_pton(AF_INET, "198.18.84.1", pkt + 16), 1);
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_FOREIGN);
	assert_int_equal(inet_pton(AF_INET, "198.18.83.1", pkt + 16), 1);
	/* Not protocol 4; an outer header longer than the packet. */
	pkt[9] = 41;
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_MALFORMED);
	pkt[9] = 4;
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt) - 1, local,
			     remote, 1480, &inner, &len),
	    TUN_WIRE_MALFORMED);
	/* An inner datagram that says it is longer than what came. */
	pkt[20 + 3] = 101;
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_MALFORMED);
	/* Shorter: what follows it is left out. */
	pkt[20 + 3] = 60;
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_OK);
	assert_int_equal(len, 60);
	/* An inner IPv6 packet, or nothing at all inside. */
	pkt[20] = 0x60;
	assert_int_equal(tun_wire_decap_ipip(pkt, sizeof(pkt), local, remote,
			     1480, &inner, &len),
	    TUN_WIRE_MALFORMED);
	test_ip(pkt, 20, 4, "198.18.82.1", "198.18.83.1");
	assert_int_equal(tun_wire_decap_ipip(pkt, 20, local, remote, 1480,
			     &inner, &len),
	    TUN_WIRE_MALFORMED);
	/* Outer header options: the inner datagram after them. */
	{
		uint8_t opt[24 + 40];

		test_ip(opt, sizeof(opt), 4, "198.18.82.1", "198.18.83.1");
		opt[0] = 0x46;
		test_ip(opt + 24, 40, 2, "198.18.82.1", "224.0.0.4");
		assert_int_equal(tun_wire_decap_ipip(opt, sizeof(opt), local,
				     remote, 1480, &inner, &len),
		    TUN_WIRE_OK);
		assert_ptr_equal(inner, opt + 24);
		assert_int_equal(len, 40);
	}
}

static void
test_check_out(void **state)
{
	uint8_t p[1500];

	test_ip(p, 1478, 17, "198.18.81.10", "239.1.81.1");
	assert_int_equal(tun_wire_check_out(p, 1478, 1480), TUN_WIRE_OK);
	assert_int_equal(tun_wire_check_out(p, 1478, 1478), TUN_WIRE_OK);
	assert_int_equal(tun_wire_check_out(p, 1478, 1400), TUN_WIRE_OVERSIZE);
	/* The read must be the datagram, exactly. */
	assert_int_equal(tun_wire_check_out(p, 1477, 1480), TUN_WIRE_MALFORMED);
	assert_int_equal(tun_wire_check_out(p, 1479, 1480), TUN_WIRE_MALFORMED);
	assert_int_equal(tun_wire_check_out(p, 0, 1480), TUN_WIRE_MALFORMED);
	/* Fragments: the first (MF), a later one (offset). */
	test_ip(p, 1000, 17, "198.18.81.10", "239.1.81.1");
	p[6] = 0x20;
	assert_int_equal(tun_wire_check_out(p, 1000, 1480), TUN_WIRE_FRAGMENT);
	p[6] = 0x00;
	p[7] = 0xb9;
	assert_int_equal(tun_wire_check_out(p, 1000, 1480),
	    TUN_WIRE_FRAGMENT_TAIL);
	/* DF is no fragment. */
	p[6] = 0x40;
	p[7] = 0;
	assert_int_equal(tun_wire_check_out(p, 1000, 1480), TUN_WIRE_OK);
	/* IPv6 (a router solicitation, if the device had IPv6). */
	p[0] = 0x60;
	assert_int_equal(tun_wire_check_out(p, 1000, 1480), TUN_WIRE_NOT_IPV4);
}

static void
test_check_in(void **state)
{
	uint8_t p[200];
	size_t len;

	test_ip(p, 100, 17, "198.18.81.10", "239.1.81.1");
	assert_int_equal(tun_wire_check_in(p, 100, 1472, &len), TUN_WIRE_OK);
	assert_int_equal(len, 100);
	assert_int_equal(tun_wire_check_in(p, 200, 1472, &len), TUN_WIRE_OK);
	assert_int_equal(len, 100);
	assert_int_equal(tun_wire_check_in(p, 99, 1472, &len),
	    TUN_WIRE_MALFORMED);
	assert_int_equal(tun_wire_check_in(p, 100, 99, &len),
	    TUN_WIRE_OVERSIZE);
	p[0] = 0x44; /* ihl 4 */
	assert_int_equal(tun_wire_check_in(p, 100, 1472, &len),
	    TUN_WIRE_MALFORMED);
	p[0] = 0x4f; /* ihl 15: 60 bytes, within 100 */
	assert_int_equal(tun_wire_check_in(p, 100, 1472, &len), TUN_WIRE_OK);
	p[3] = 59; /* total below the header */
	assert_int_equal(tun_wire_check_in(p, 100, 1472, &len),
	    TUN_WIRE_MALFORMED);
	assert_string_equal(tun_wire_verdict_name(TUN_WIRE_FOREIGN), "foreign");
	assert_string_equal(tun_wire_verdict_name(TUN_WIRE_VERDICTS), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decap_ipip),
		cmocka_unit_test(test_check_out),
		cmocka_unit_test(test_check_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
