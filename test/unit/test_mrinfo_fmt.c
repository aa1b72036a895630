/*
 * mrinfo's reply (tools/mrinfo_fmt.c): Neighbors 2 messages captured from
 * mrouted 4.6 and from a Cisco router (tcpdump's mrinfo_query.pcap)
 * gathered and printed exactly as mrinfo text and JSON; a reply split in
 * two messages merged back; a copy dropped; the answer matched by any of
 * the router's addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "mrinfo.h"
#include "../fixtures/dvmrp/mrouted46.h"

/* Cisco IOS 12.4's answer (tcpdump tests/mrinfo_query.pcap, frame 2). */
static const uint8_t cisco_neighbors2[] = {
	0x13, 0x06, 0x76, 0x8b, 0x00, 0x4a, 0x04, 0x0c, /* header, v 12.4 */
	0x0a, 0x00, 0x00, 0x02, 0x01, 0x00, 0x44, 0x01, /* 10.0.0.2 1/0 */
	0x0a, 0x00, 0x00, 0x01,				/* -> 10.0.0.1 */
	0x0a, 0x00, 0x00, 0x09, 0x01, 0x00, 0x04, 0x01, /* 10.0.0.9 1/0 */
	0x0a, 0x00, 0x00, 0x0a,				/* -> 10.0.0.10 */
};

static struct in_addr
addr(const char *text)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, text, &a), 1);
	return a;
}

/* The IGMP message of mrouted's first Neighbors 2. */
static const uint8_t *
mrouted_neighbors2(size_t *len)
{
	size_t i;

	for (i = 0; i < sizeof(dvmrp_fixtures) / sizeof(dvmrp_fixtures[0]);
	     i++) {
		const struct dvmrp_fixture *f = &dvmrp_fixtures[i];

		if (f->code != DVMRP_NEIGHBORS2)
			continue;
		*len = f->len;
		return f->bytes;
	}
	fail_msg("no neighbors2 in the mrouted fixture");
	return NULL;
}

static char *
text_of(const struct mrinfo_reply *r, bool json)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	if (json)
		mrinfo_print_json_members(f, r);
	else
		mrinfo_print_text(f, r, NULL);
	fclose(f);
	return buf;
}

static void
add(struct mrinfo_reply *r, const char *from, const uint8_t *buf, size_t len,
    int want)
{
	struct dvmrp_msg m;

	assert_int_equal(dvmrp_decode(buf, len, &m), DVMRP_OK);
	assert_int_equal(mrinfo_reply_add(r, addr(from), buf, len, &m), want);
}

static void
test_mrouted_text_json(void **state)
{
	struct mrinfo_reply r;
	const uint8_t *buf;
	size_t len = 0;
	char *s;

	(void)state;
	buf = mrouted_neighbors2(&len);
	mrinfo_reply_init(&r);
	add(&r, "198.18.2.2", buf, len, 1);
	s = text_of(&r, false);
	assert_string_equal(s,
	    "198.18.2.2 (198.18.2.2) [version 3.255,prune,genid,mtrace]:\n"
	    "  198.18.2.2 -> 198.18.2.1 (198.18.2.1) [1/1]\n"
	    "  198.18.3.1 -> 0.0.0.0 (local) [1/1/querier/leaf]\n");
	free(s);
	s = text_of(&r, true);
	assert_string_equal(s,
	    "\"reply_from\":\"198.18.2.2\",\"version\":\"3.255\","
	    "\"capabilities\":[\"prune\",\"genid\",\"mtrace\"],\"vifs\":["
	    "{\"local\":\"198.18.2.2\",\"metric\":1,\"threshold\":1,"
	    "\"flags\":[],\"neighbors\":[\"198.18.2.1\"]},"
	    "{\"local\":\"198.18.3.1\",\"metric\":1,\"threshold\":1,"
	    "\"flags\":[\"querier\",\"leaf\"],\"neighbors\":[]}]");
	free(s);
	/* The same message again (an answer to a retry): dropped. */
	add(&r, "198.18.2.2", buf, len, 0);
	assert_int_equal(r.nvifs, 2);
	mrinfo_reply_fini(&r);
}

static void
test_cisco(void **state)
{
	struct mrinfo_reply r;
	char *s;

	(void)state;
	mrinfo_reply_init(&r);
	add(&r, "2.2.2.2", cisco_neighbors2, sizeof(cisco_neighbors2), 1);
	s = text_of(&r, false);
	/* caps 0x4a: prune, mtrace and a bit with no name. */
	assert_string_equal(s,
	    "2.2.2.2 (2.2.2.2) [version 12.4,prune,mtrace,0x40]:\n"
	    "  10.0.0.2 -> 10.0.0.1 (10.0.0.1) [1/0/pim/querier]\n"
	    "  10.0.0.9 -> 10.0.0.10 (10.0.0.10) [1/0/pim]\n");
	free(s);
	assert_true(mrinfo_reply_has_local(&r, addr("10.0.0.9")));
	assert_false(mrinfo_reply_has_local(&r, addr("10.0.0.1")));
	mrinfo_reply_fini(&r);
}

static void
test_answers(void **state)
{
	struct dvmrp_msg m;
	const uint8_t *buf;
	size_t len = 0;

	(void)state;
	buf = mrouted_neighbors2(&len);
	assert_int_equal(dvmrp_decode(buf, len, &m), DVMRP_OK);
	/* From the address asked, or listing it as a local address. */
	assert_true(mrinfo_msg_answers(&m, addr("198.18.2.2"),
	    addr("198.18.2.2")));
	assert_true(mrinfo_msg_answers(&m, addr("198.18.2.2"),
	    addr("198.18.3.1")));
	/* A neighbour's address is not the router's. */
	assert_false(mrinfo_msg_answers(&m, addr("198.18.2.2"),
	    addr("198.18.2.1")));
}

/* A reply split by dvmrp_build_neighbors2 into messages, merged back. */
static void
test_split(void **state)
{
	enum { NNBR = 200 };
	struct in_addr nbrs[NNBR];
	struct dvmrp_mrinfo_vif vifs[2];
	struct mrinfo_reply r;
	uint8_t buf[DVMRP_REPORT_MAX_IP];
	size_t next_vif = 0, next_nbr = 0, i, msgs = 0;
	int len;

	(void)state;
	for (i = 0; i < NNBR; i++)
		nbrs[i].s_addr = htonl(0xc6120000u + (uint32_t)i + 1);
	memset(vifs, 0, sizeof(vifs));
	vifs[0].local = addr("198.18.0.254");
	vifs[0].metric = 1;
	vifs[0].threshold = 1;
	vifs[0].neighbors = nbrs;
	vifs[0].nneighbors = NNBR;
	vifs[1].local = addr("198.18.5.1");
	vifs[1].metric = 3;
	vifs[1].threshold = 16;
	vifs[1].flags = DVMRP_VIF_TUNNEL;
	vifs[1].neighbors = nbrs;
	vifs[1].nneighbors = 1;
	mrinfo_reply_init(&r);
	while (next_vif < 2) {
		len = dvmrp_build_neighbors2(buf, sizeof(buf) - 24,
		    DVMRP_CAPS_OURS, vifs, 2, &next_vif, &next_nbr);
		assert_true(len > 0);
		add(&r, "198.18.0.254", buf, (size_t)len, 1);
		msgs++;
	}
	assert_true(msgs >= 2);
	assert_int_equal(r.nvifs, 2);
	assert_int_equal(r.vifs[0].nneighbors, NNBR);
	for (i = 0; i < NNBR; i++)
		assert_int_equal(r.vifs[0].neighbors[i].s_addr, nbrs[i].s_addr);
	assert_int_equal(r.vifs[1].nneighbors, 1);
	assert_int_equal(r.vifs[1].flags, DVMRP_VIF_TUNNEL);
	mrinfo_reply_fini(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mrouted_text_json),
		cmocka_unit_test(test_cisco),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
