/*
 * mcast dump's work on one frame (tools/dump_decode.c): the link layers it
 * knows, what it skips, and the exact line and JSON object it prints.
 * "fuzz:" marks what fuzz/fuzz_dump.c and fuzz/fuzz_pcap.c found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <cmocka.h>

#include "dump_decode.h"
#include "../fixtures/dvmrp/mrouted46.h"

/* A v2 report for 239.1.2.3 from 198.18.1.2 in its IPv4 header. */
static size_t
test_v2_report(uint8_t *pkt, size_t cap)
{
	struct in_addr src = { htonl(0xc6120102) };
	struct in_addr group = { htonl(0xef010203) };
	uint8_t igmp[8];
	int n;

	assert_int_equal(igmp_build_v2_report(igmp, sizeof(igmp), group), 8);
	n = igmp_ip_build(pkt, cap, src, group, igmp, sizeof(igmp));
	assert_true(n > 0);
	return (size_t)n;
}

/* frame = header (hlen bytes) + the v2 report. */
static size_t
test_frame(uint8_t *frame, const uint8_t *header, size_t hlen)
{
	if (hlen > 0)
		memcpy(frame, header, hlen);
	return hlen + test_v2_report(frame + hlen, 256);
}

static char *
test_print(const struct dump_packet *p, const struct timeval *ts, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	dump_print_packet(f, ts, 32, p, json);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void
test_link_layers(void **state)
{
	static const uint8_t ethernet[14] = { 0x01, 0x00, 0x5e, 0x01, 0x02,
		0x03, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	static const uint8_t qinq[22] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03, 2,
		0, 0, 0, 0, 1, 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, 0x08,
		0x00 };
	static const uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0,
		0, 0x08, 0x00 };
	static const uint8_t sll2[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0,
		6, 2, 0, 0, 0, 0, 1, 0, 0 };
	static const uint8_t ipv6[14] = { 0x33, 0x33, 0, 0, 0, 1, 2, 0, 0, 0, 0,
		1, 0x86, 0xdd };
	struct dump_packet p;
	uint8_t frame[300];
	size_t n;

	n = test_frame(frame, ethernet, sizeof(ethernet));
	assert_true(dump_decode_frame(DLT_EN10MB, frame, n, &p));
	assert_int_equal(p.rc, IGMP_OK);
	assert_int_equal(p.msg.kind, IGMP_KIND_V2_REPORT);
	n = test_frame(frame, qinq, sizeof(qinq));
	assert_true(dump_decode_frame(DLT_EN10MB, frame, n, &p));
	assert_int_equal(p.msg.kind, IGMP_KIND_V2_REPORT);
	n = test_frame(frame, sll, sizeof(sll));
	assert_true(dump_decode_frame(DLT_LINUX_SLL, frame, n, &p));
	assert_int_equal(p.msg.kind, IGMP_KIND_V2_REPORT);
	assert_false(p.has_ifindex); /* cooked v1 has no interface */
	n = test_frame(frame, sll2, sizeof(sll2));
	assert_true(dump_decode_frame(DLT_LINUX_SLL2, frame, n, &p));
	assert_int_equal(p.msg.kind, IGMP_KIND_V2_REPORT);
	/* Cooked v2: interface index 2, packet type 0 (to this host). */
	assert_true(p.has_ifindex);
	assert_int_equal(p.ifindex, 2);
	assert_false(p.outgoing);
	frame[10] = 4; /* PACKET_OUTGOING */
	frame[4] = 1;  /* index 0x01000002 */
	assert_true(dump_decode_frame(DLT_LINUX_SLL2, frame, n, &p));
	assert_int_equal(p.ifindex, 0x01000002);
	assert_true(p.outgoing);
	assert_string_equal(p.ifname, "");
	n = test_frame(frame, NULL, 0);
	assert_true(dump_decode_frame(DLT_RAW, frame, n, &p));
	assert_int_equal(p.rc, IGMP_OK);
	/* Skipped: IPv6, a link type dump does not know, not IGMP. */
	n = test_frame(frame, ipv6, sizeof(ipv6));
	assert_false(dump_decode_frame(DLT_EN10MB, frame, n, &p));
	n = test_frame(frame, NULL, 0);
	assert_false(dump_decode_frame(DLT_NULL, frame, n, &p));
	frame[9] = 17;
	assert_false(dump_decode_frame(DLT_RAW, frame, n, &p));
	/* Kept, as invalid: a short frame, a bad checksum. */
	assert_true(dump_decode_frame(DLT_RAW, frame, 10, &p));
	assert_int_equal(p.rc, IGMP_E_IP_SHORT);
	n = test_frame(frame, NULL, 0);
	frame[n - 1] ^= 1;
	assert_true(dump_decode_frame(DLT_RAW, frame, n, &p));
	assert_int_equal(p.rc, IGMP_E_CHECKSUM);
}

static void
test_lines(void **state)
{
	struct timeval ts = { .tv_sec = 1700000000, .tv_usec = 5 };
	struct dump_packet p;
	uint8_t frame[300];
	size_t n = test_frame(frame, NULL, 0);
	char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	assert_true(dump_decode_frame(DLT_RAW, frame, n, &p));
	out = test_print(&p, &ts, false);
	assert_string_equal(out,
	    "22:13:20.000005 IP 198.18.1.2 > 239.1.2.3 "
	    "ttl 1 RA: igmp v2 report 239.1.2.3\n");
	free(out);
	out = test_print(&p, &ts, true);
	assert_string_equal(out,
	    "{\"time\":1700000000.000005,\"src\":"
	    "\"198.18.1.2\",\"dst\":\"239.1.2.3\",\"ttl\":1,\"tos\":192,"
	    "\"router_alert\":true,\"error\":null,\"kind\":\"v2 report\","
	    "\"type\":22,\"code\":0,\"length\":8,\"group\":\"239.1.2.3\"}\n");
	free(out);
	assert_true(dump_decode_frame(DLT_RAW, frame, 10, &p));
	out = test_print(&p, &ts, true);
	assert_string_equal(out,
	    "{\"time\":1700000000.000005,\"error\":"
	    "\"IP header truncated\",\"caplen\":32}\n");
	free(out);
}

/* The text after ": " of mrouted's DVMRP message in a raw frame. */
static char *
test_dvmrp(const uint8_t *igmp, size_t len, bool json)
{
	struct igmp_ip_out o = { { htonl(0xc6120202) }, { htonl(0xc6120201) },
		255, true };
	struct timeval ts = { 0, 0 };
	struct dump_packet p;
	uint8_t frame[128];
	char *out;
	int n;

	n = igmp_ip_build_out(frame, sizeof(frame), &o, igmp, len);
	assert_true(n > 0);
	assert_true(dump_decode_frame(DLT_RAW, frame, (size_t)n, &p));
	out = test_print(&p, &ts, json);
	memmove(out, strstr(out, json ? "\"dvmrp\"" : "igmp dvmrp"),
	    strlen(strstr(out, json ? "\"dvmrp\"" : "igmp dvmrp")) + 1);
	return out;
}

static const struct dvmrp_fixture *
test_fixture(unsigned frame)
{
	size_t i;

	for (i = 0; i < sizeof(dvmrp_fixtures) / sizeof(dvmrp_fixtures[0]); i++)
		if (dvmrp_fixtures[i].frame == frame)
			return &dvmrp_fixtures[i];
	fail_msg("no frame %u", frame);
	return NULL;
}

/* DVMRP bodies, in tcpdump -vv's words and in JSON (mrouted's frames). */
static void
test_dvmrp_bodies(void **state)
{
	static const struct {
		unsigned frame;
		const char *text, *json;
	} want[] = {
		{ 19,
		    "igmp dvmrp probe (v 3.255, caps 0x0e), 16 bytes: genid "
		    "167837696, neighbor 198.18.2.1\n",
		    "\"dvmrp\":{\"code\":\"probe\",\"major\":3,\"minor\":255,"
		    "\"caps\":14,\"error\":null,\"genid\":167837696,"
		    "\"neighbors\":[\"198.18.2.1\"]}}\n" },
		{ 29,
		    "igmp dvmrp report (v 3.255, caps 0x0f), 19 bytes: mask "
		    "255.255.255.0: 198.18.1.0 metric 1, 198.18.3.0 metric "
		    "34\n",
		    "\"dvmrp\":{\"code\":\"report\",\"major\":3,\"minor\":"
		    "255,\"caps\":15,\"error\":null,\"routes\":[{\"origin\":"
		    "\"198.18.1.0\",\"mask\":\"255.255.255.0\",\"metric\":1},"
		    "{\"origin\":\"198.18.3.0\",\"mask\":\"255.255.255.0\","
		    "\"metric\":34}]}}\n" },
		{ 37,
		    "igmp dvmrp prune (v 3.255, caps 0x0f), 20 bytes: src "
		    "198.18.1.0 grp 239.1.2.3 timer 1h29s\n",
		    "\"dvmrp\":{\"code\":\"prune\",\"major\":3,\"minor\":255,"
		    "\"caps\":15,\"error\":null,\"source\":\"198.18.1.0\","
		    "\"group\":\"239.1.2.3\",\"lifetime_s\":3629,"
		    "\"netmask\":null}}\n" },
		{ 41,
		    "igmp dvmrp graft-ack (v 3.255, caps 0x0f), 16 bytes: src "
		    "198.18.1.0 grp 239.1.2.3\n",
		    NULL },
		{ 59,
		    "igmp dvmrp neighbors2 (v 3.255, caps 0x0e), 32 bytes: "
		    "[198.18.2.2 -> 198.18.2.1 (1/1)] [198.18.3.1 -> 0.0.0.0 "
		    "(1/1/querier/leaf)]\n",
		    "\"dvmrp\":{\"code\":\"neighbors2\",\"major\":3,"
		    "\"minor\":255,\"caps\":14,\"error\":null,\"vifs\":[{"
		    "\"local\":\"198.18.2.2\",\"metric\":1,\"threshold\":1,"
		    "\"flags_code\":0,\"flags\":[],\"neighbors\":["
		    "\"198.18.2.1\"]},{\"local\":\"198.18.3.1\",\"metric\":1,"
		    "\"threshold\":1,\"flags_code\":192,\"flags\":["
		    "\"querier\",\"leaf\"],\"neighbors\":[\"0.0.0.0\"]}]}}\n" },
	};
	const struct dvmrp_fixture *f;
	uint8_t bad[32];
	size_t i;
	char *out;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		f = test_fixture(want[i].frame);
		out = test_dvmrp(f->bytes, f->len, false);
		assert_string_equal(out, want[i].text);
		free(out);
		if (want[i].json == NULL)
			continue;
		out = test_dvmrp(f->bytes, f->len, true);
		assert_string_equal(out, want[i].json);
		free(out);
	}
	/* A report cut inside its route: the kind, text and JSON. */
	f = test_fixture(22);
	memcpy(bad, f->bytes, f->len - 1);
	dvmrp_seal(bad, f->len - 1);
	out = test_dvmrp(bad, f->len - 1, false);
	assert_string_equal(out,
	    "igmp dvmrp report (v 3.255, caps 0x0e), 14 bytes: invalid: "
	    "report truncated\n");
	free(out);
	out = test_dvmrp(bad, f->len - 1, true);
	assert_string_equal(out,
	    "\"dvmrp\":{\"code\":\"report\",\"major\":3,\"minor\":255,"
	    "\"caps\":14,\"error\":\"report truncated\"}}\n");
	free(out);
}

/*
 * fuzz: a capture's microseconds of 2000000 or below 0 made
 * "1333351461.-1879007897", which is not JSON; seconds past what a
 * calendar holds printed an unset struct tm.
 */
static void
test_odd_times(void **state)
{
	struct timeval over = { .tv_sec = 5, .tv_usec = 2000001 };
	struct timeval under = { .tv_sec = 0, .tv_usec = -1 };
	struct timeval far = { .tv_sec = INT64_MAX, .tv_usec = 999999 };
	struct timeval beyond = { .tv_sec = INT64_MAX, .tv_usec = 1000000 };
	struct dump_packet p;
	uint8_t frame[16] = { 0x45 };
	char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	assert_true(dump_decode_frame(DLT_RAW, frame, sizeof(frame), &p));
	out = test_print(&p, &over, true);
	assert_non_null(strstr(out, "{\"time\":7.000001,"));
	free(out);
	out = test_print(&p, &under, true);
	assert_non_null(strstr(out, "{\"time\":-1.999999,"));
	free(out);
	out = test_print(&p, &under, false);
	assert_non_null(strstr(out, "23:59:59.999999 invalid IPv4"));
	free(out);
	out = test_print(&p, &far, false);
	assert_non_null(strstr(out, "9223372036854775807.999999 invalid IPv4"));
	free(out);
	out = test_print(&p, &beyond, true);
	assert_non_null(strstr(out, "{\"time\":9223372036854775807.000000,"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_layers),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_odd_times),
		cmocka_unit_test(test_dvmrp_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
