/*
 * The SDP parser and checker (proto/sdp.c): RFC 8866's example session
 * field by field, RFC 4570 source filters, RFC 7273 clock attributes, and
 * each error kind with the line and field it names; the SAP scope check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sdp.h"

/* RFC 8866 5, the example. */
static const char rfc8866[] =
    "v=0\r\n"
    "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n"
    "s=Call to John Smith\r\n"
    "i=SDP Offer #1\r\n"
    "u=http://www.jdoe.example.com/home.html\r\n"
    "e=Jane Doe <jane@jdoe.example.com>\r\n"
    "p=+1 617 555-6011\r\n"
    "c=IN IP4 198.51.100.1\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "m=audio 49180 RTP/AVP 0\r\n"
    "m=video 51372 RTP/AVP 99\r\n"
    "c=IN IP6 2001:db8::2\r\n"
    "a=rtpmap:99 h263-1998/90000\r\n";

static struct sdp_session s;
static char arena[SDP_ARENA_SIZE(SDP_MAX_TEXT)];

static int
parse(const char *text, unsigned flags)
{
	return sdp_parse(text, strlen(text), flags, arena, sizeof(arena), &s);
}

static char ipbuf[MC_IP_STRLEN];
#define IP(a) mc_ip_str(a, ipbuf)

static void
test_rfc8866_example(void **state)
{
	const struct sdp_conn *c;

	assert_int_equal(parse(rfc8866, 0), 0);
	assert_int_equal(s.nwarnings, 0);
	assert_string_equal(s.origin.username, "jdoe");
	assert_string_equal(s.origin.sess_id, "3724394400");
	assert_int_equal(s.origin.sess_version, 3724394405ull);
	assert_string_equal(s.origin.nettype, "IN");
	assert_string_equal(s.origin.addrtype, "IP4");
	assert_string_equal(s.origin.addr, "198.51.100.1");
	assert_string_equal(s.name, "Call to John Smith");
	assert_string_equal(s.info, "SDP Offer #1");
	assert_string_equal(s.uri, "http://www.jdoe.example.com/home.html");
	assert_true(s.conn.present);
	assert_string_equal(IP(&s.conn.addr), "198.51.100.1");
	assert_int_equal(s.conn.ttl, -1);
	assert_int_equal(s.ntimes, 1);
	assert_int_equal(s.start[0], 0);
	assert_int_equal(s.nmedia, 3);
	assert_string_equal(s.media[0].media, "audio");
	assert_int_equal(s.media[0].port, 49170);
	assert_int_equal(s.media[0].nports, 1);
	assert_string_equal(s.media[0].proto, "RTP/AVP");
	assert_int_equal(s.media[0].nformats, 1);
	assert_string_equal(s.media[0].formats[0], "0");
	assert_int_equal(s.media[1].port, 49180);
	assert_string_equal(s.media[2].media, "video");
	assert_int_equal(s.media[2].port, 51372);
	c = sdp_media_conn(&s, 0);
	assert_string_equal(IP(&c->addr), "198.51.100.1");
	c = sdp_media_conn(&s, 2);
	assert_string_equal(IP(&c->addr), "2001:db8::2");
	assert_int_equal(c->line, 13);
	assert_int_equal(s.media[2].nrtpmap, 1);
	assert_int_equal(s.media[2].rtpmap[0].pt, 99);
	assert_string_equal(s.media[2].rtpmap[0].encoding, "h263-1998");
	assert_int_equal(s.media[2].rtpmap[0].clock_rate, 90000);
	assert_int_equal(sdp_media_clock_rate(&s, 2, 99), 90000);
	assert_int_equal(sdp_media_clock_rate(&s, 0, 0), 8000);	  /* PCMU */
	assert_int_equal(sdp_media_clock_rate(&s, 0, 33), 90000); /* MP2T */
	assert_int_equal(sdp_media_clock_rate(&s, 0, 96), 0);
	/* Meant for multicast: both c= are unicast, named by line. */
	assert_int_equal(parse(rfc8866, SDP_MULTICAST), 2);
	assert_int_equal(s.kinds[SDP_E_NOT_MULTICAST], 2);
	assert_int_equal(s.diags[0].line, 8);
	assert_int_equal(s.diags[0].field, 'c');
	assert_string_equal(s.diags[0].text,
	    "198.51.100.1 is not a multicast address: expected 224.0.0.0/4 "
	    "or ff00::/8");
	assert_int_equal(s.diags[1].line, 13);
	/* LF line ends parse the same. */
	{
		char lf[sizeof(rfc8866)];
		size_t i, n = 0;

		for (i = 0; rfc8866[i]; i++)
			if (rfc8866[i] != '\r')
				lf[n++] = rfc8866[i];
		lf[n] = '\0';
		assert_int_equal(parse(lf, 0), 0);
		assert_int_equal(s.nmedia, 3);
	}
}

/* RFC 4570 source filters, RFC 7273 clocks, attributes kept. */
static const char aes67[] =
    "v=0\n"
    "o=- 1311738121 1311738121 IN IP4 192.168.1.1\n"
    "s=Stage left I/O\n"
    "c=IN IP4 239.0.0.1/32\n"
    "t=0 0\n"
    "a=tool:mcast\n"
    "a=type:broadcast\n"
    "a=source-filter: excl IN IP4 * 192.0.2.66\n"
    "m=audio 5004 RTP/AVP 96\n"
    "i=Channels 1-8\n"
    "a=rtpmap:96 L24/48000/8\n"
    "a=recvonly\n"
    "a=ptime:1\n"
    "a=source-filter: incl IN IP4 239.0.0.1 192.168.1.1 192.168.1.2\n"
    "a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:0\n"
    "a=mediaclk:direct=963214424\n"
    "m=video 5006/2 RTP/AVP 33\n"
    "c=IN IP6 ff0e::11a/3\n"
    "a=source-filter: incl IN IP6 ff0e::11a 2001:db8:1:2:240:96ff:fe25:8ec9\n";

static void
test_filters_clocks(void **state)
{
	const struct sdp_attrs *a;
	const struct sdp_media *m;

	assert_int_equal(parse(aes67, SDP_MULTICAST), 0);
	assert_string_equal(s.tool, "mcast");
	assert_string_equal(s.type, "broadcast");
	assert_int_equal(s.conn.ttl, 32);
	assert_int_equal(s.conn.naddr, 1);
	/* Session level: excl, any destination. */
	assert_int_equal(s.attrs.nfilters, 1);
	assert_true(s.attrs.filters[0].exclude);
	assert_true(s.attrs.filters[0].any_dest);
	assert_string_equal(IP(&s.attrs.filters[0].src[0]), "192.0.2.66");
	m = &s.media[0];
	assert_string_equal(m->info, "Channels 1-8");
	assert_int_equal(m->rtpmap[0].channels, 8);
	assert_int_equal(m->rtpmap[0].clock_rate, 48000);
	assert_int_equal(m->attrs.direction, SDP_DIR_RECVONLY);
	a = sdp_media_attrs(&s, 0);
	assert_int_equal(a->nfilters, 1);
	assert_false(a->filters[0].exclude);
	assert_string_equal(IP(&a->filters[0].dest), "239.0.0.1");
	assert_int_equal(a->filters[0].nsrc, 2);
	assert_string_equal(IP(&a->filters[0].src[1]), "192.168.1.2");
	assert_string_equal(m->attrs.ts_refclk,
	    "ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:0");
	assert_string_equal(m->attrs.mediaclk, "direct=963214424");
	/* IPv6 medium: /3 is a number of addresses, ports/2. */
	m = &s.media[1];
	assert_int_equal(m->port, 5006);
	assert_int_equal(m->nports, 2);
	assert_int_equal(m->conn.naddr, 3);
	assert_int_equal(m->conn.ttl, -1);
	assert_string_equal(IP(&m->attrs.filters[0].src[0]),
	    "2001:db8:1:2:240:96ff:fe25:8ec9");
	/* A medium without filters of its own takes the session's. */
	a = sdp_media_attrs(&s, 1);
	assert_ptr_equal(a, &s.media[1].attrs);
}

/* text must give exactly one error of kind, on line (field). */
static void
one_error(const char *text, enum sdp_err kind, unsigned line, char field,
    const char *contains)
{
	int n = parse(text, SDP_MULTICAST);

	if (n != 1 || s.diags[0].kind != kind || s.diags[0].line != line ||
	    s.diags[0].field != field ||
	    strstr(s.diags[0].text, contains) == NULL)
		fail_msg("%d errors; first: kind %s line %u field %c: %s\n"
			 "expected kind %s line %u field %c containing \"%s\"\n"
			 "in:\n%s",
		    n, sdp_err_name(s.diags[0].kind), s.diags[0].line,
		    s.diags[0].field ? s.diags[0].field : '0', s.diags[0].text,
		    sdp_err_name(kind), line, field ? field : '0', contains,
		    text);
}

#define HEAD "v=0\no=- 1 1 IN IP4 198.18.1.2\ns=x\n"

static void
test_errors(void **state)
{
	char big[SDP_MAX_LINE + 64];

	one_error("v=0\no=- 1 1 IN IP4 198.18.1.2\ns=x\nc=IN IP4 "
		  "239.1.1.1/1\n",
	    SDP_E_MISSING, 0, 't', "no t= line");
	one_error("v=0\no=- 1 1 IN IP4 198.18.1.2\nc=IN IP4 239.1.1.1/1\nt=0 "
		  "0\n",
	    SDP_E_MISSING, 0, 's', "no s= line");
	one_error("v=0\ns=x\nc=IN IP4 239.1.1.1/1\nt=0 0\n", SDP_E_MISSING, 0,
	    'o', "no o= line");
	one_error("o=- 1 1 IN IP4 198.18.1.2\ns=x\nc=IN IP4 239.1.1.1/1\nt=0 "
		  "0\n",
	    SDP_E_ORDER, 1, 'o', "expected v=0 as the first line");
	one_error(HEAD "t=0 0\nm=audio 5004 RTP/AVP 0\n", SDP_E_MISSING, 5, 'c',
	    "medium 1 (audio) has no c= and the session none");
	one_error("v=1\no=- 1 1 IN IP4 198.18.1.2\ns=x\nc=IN IP4 "
		  "239.1.1.1/1\nt=0 0\n",
	    SDP_E_VERSION, 1, 'v', "expected 0");
	one_error(HEAD "s=y\nc=IN IP4 239.1.1.1/1\nt=0 0\n", SDP_E_DUPLICATE, 4,
	    's', "first on line 3");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nb=AS:64\n", SDP_E_ORDER, 6,
	    'b', "b= after t=");
	one_error(HEAD "c=IN IP4 239.1.1.1\nt=0 0\n", SDP_E_TTL, 4, 'c',
	    "IPv4 multicast needs a TTL");
	one_error(HEAD "c=IN IP4 239.1.1.1/300\nt=0 0\n", SDP_E_TTL, 4, 'c',
	    "TTL 0-255");
	one_error(HEAD "c=IN IP4 239.1.1.1/1/0\nt=0 0\n", SDP_E_COUNT, 4, 'c',
	    "number of addresses");
	one_error(HEAD "c=IN IP4 239.1.300.1/1\nt=0 0\n", SDP_E_ADDRESS, 4, 'c',
	    "not a numeric IPv4 address");
	one_error(HEAD "c=IN IP4 198.18.1.1\nt=0 0\n", SDP_E_NOT_MULTICAST, 4,
	    'c', "not a multicast address");
	one_error(HEAD "c=IN IP6 ff0e::1/5/2\nt=0 0\n", SDP_E_SYNTAX, 4, 'c',
	    "ADDRESS[/N] for IPv6");
	assert_int_equal(parse(HEAD "c=IN IP6 2001:db8::1/2\nt=0 0\n", 0), 1);
	assert_int_equal(s.diags[0].kind, SDP_E_TTL);
	assert_string_equal(s.diags[0].text,
	    "2001:db8::1 is unicast: expected no /TTL or /N");
	/* A medium's second c= is checked too (the first is kept). */
	one_error(HEAD "t=0 0\nm=audio 5004 RTP/AVP 0\nc=IN IP4 "
		       "239.1.1.1/1\nc=IN IP4 239.1.1.2\n",
	    SDP_E_TTL, 7, 'c', "needs a TTL");
	assert_string_equal(IP(&s.media[0].conn.addr), "239.1.1.1");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nm=audio 70000 RTP/AVP "
		       "0\n",
	    SDP_E_SYNTAX, 6, 'm', "expected 0-65535");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nm=audio 65535/2 RTP/AVP "
		       "0\n",
	    SDP_E_COUNT, 6, 'm', "number of ports 1-1");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nm=audio 5004 RTP/AVP\n",
	    SDP_E_SYNTAX, 6, 'm', "no format");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nwhat\n", SDP_E_SYNTAX, 6,
	    0, "expected TYPE=VALUE");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nx=1\n", SDP_E_SYNTAX, 6,
	    'x', "unknown field x=");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\nm=audio 5004 RTP/AVP "
		       "96\na=rtpmap:96 L16\n",
	    SDP_E_SYNTAX, 7, 'a', "rtpmap: expected PT");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\na=source-filter: incl IN "
		       "IP4 239.1.1.1 239.2.2.2\n",
	    SDP_E_ADDRESS, 6, 'a', "expected a unicast IPv4 address");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\na=source-filter: both IN "
		       "IP4 239.1.1.1 198.18.1.2\n",
	    SDP_E_SYNTAX, 6, 'a', "incl|excl");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\na=source-filter: incl IN "
		       "IP4 239.1.1.1\n",
	    SDP_E_SYNTAX, 6, 'a', "no source");
	one_error(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\na=recvonly\na=sendonly\n",
	    SDP_E_DUPLICATE, 7, 'a', "a direction was given already");
	one_error("v=0\no=- x 1 IN IP4 198.18.1.2\ns=x\nc=IN IP4 "
		  "239.1.1.1/1\nt=0 0\n",
	    SDP_E_SYNTAX, 2, 'o', "numeric id and version");
	/* An overlong line. */
	memset(big, 'a', sizeof(big));
	memcpy(big, HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\ni=",
	    strlen(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\ni="));
	strcpy(big + sizeof(big) - 2, "\n");
	one_error(big, SDP_E_LINE_LONG, 6, 'i', "expected at most 1024");
}

static void
test_limits(void **state)
{
	char text[4096];
	size_t n;
	unsigned i;

	n = (size_t)snprintf(text, sizeof(text),
	    HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\n");
	for (i = 0; i < SDP_MAX_MEDIA + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "m=audio %u RTP/AVP 0\n", 5000 + 2 * i);
	one_error(text, SDP_E_LIMIT, 6 + SDP_MAX_MEDIA, 'm', "more than 16");
	assert_int_equal(s.nmedia, SDP_MAX_MEDIA);
	/* Text longer than SDP_MAX_TEXT: one error, nothing parsed. */
	assert_int_equal(sdp_parse(text, SDP_MAX_TEXT + 1, 0, arena,
			     sizeof(arena), &s),
	    1);
	assert_int_equal(s.kinds[SDP_E_LIMIT], 1);
	/* An arena too small. */
	assert_int_equal(sdp_parse(text, n, 0, arena, n, &s), 1);
	/* Diagnostics beyond SDP_MAX_DIAGS are counted, not kept. */
	n = (size_t)snprintf(text, sizeof(text), HEAD "t=0 0\n");
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "junk\n");
	assert_int_equal(parse(text, 0), 30 + 1); /* and the missing c= */
	assert_int_equal(s.ndiags, SDP_MAX_DIAGS);
}

static void
test_origin_and_groups(void **state)
{
	struct sdp_origin o;
	struct mc_ip g;
	const char del[] = "o=jdoe 42 7 IN IP4 198.51.100.1\r\n";

	assert_int_equal(sdp_find_origin(del, strlen(del), arena, sizeof(arena),
			     &o),
	    0);
	assert_string_equal(o.username, "jdoe");
	assert_string_equal(o.sess_id, "42");
	assert_int_equal(o.sess_version, 7);
	assert_int_equal(sdp_find_origin("s=x\n", 4, arena, sizeof(arena), &o),
	    -1);
	assert_int_equal(parse(HEAD "c=IN IP4 239.255.1.1/1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_sap_group(&s, &g), 0);
	assert_string_equal(IP(&g), "239.255.255.255");
	assert_int_equal(parse(HEAD "c=IN IP4 239.193.0.1/16\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_sap_group(&s, &g), 0);
	assert_string_equal(IP(&g), "239.195.255.255");
	assert_int_equal(parse(HEAD "c=IN IP4 233.252.0.1/64\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_sap_group(&s, &g), 0);
	assert_string_equal(IP(&g), "224.2.127.254");
	assert_int_equal(parse(HEAD "c=IN IP4 239.1.1.1/1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_sap_group(&s, &g), -1);
	assert_int_equal(parse(HEAD "c=IN IP6 ff15::1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_sap_group(&s, &g), 0);
	assert_string_equal(IP(&g), "ff05::2:7ffe");
}

static void
test_scope_check(void **state)
{
	struct mc_ip g;

	assert_int_equal(parse(HEAD "c=IN IP4 239.255.1.1/15\nt=0 0\n", 0), 0);
	mc_ip_parse("239.255.255.255", &g);
	assert_int_equal(sdp_check_scope(&s, &g, 15), 0);
	assert_int_equal(sdp_check_scope(&s, &g, 16), 1);
	assert_string_equal(s.diags[0].text,
	    "announcement TTL 16 exceeds the TTL 15 of 239.255.1.1: expected "
	    "at most 15, so the announcement goes no further than the "
	    "session (RFC 2974 3)");
	assert_int_equal(parse(HEAD "c=IN IP4 239.255.1.1/15\nt=0 0\n", 0), 0);
	mc_ip_parse("224.2.127.254", &g);
	assert_int_equal(sdp_check_scope(&s, &g, -1), 1);
	assert_int_equal(s.diags[0].kind, SDP_E_SCOPE);
	assert_int_equal(s.diags[0].line, 4);
	assert_string_equal(s.diags[0].text,
	    "239.255.1.1 is announced on 224.2.127.254: expected "
	    "239.255.255.255, the SAP group of its scope (RFC 2974 3)");
	assert_int_equal(parse(HEAD "c=IN IP4 239.1.1.1/15\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_check_scope(&s, &g, -1), 1);
	assert_non_null(strstr(s.diags[0].text, "without a known SAP group"));
	assert_int_equal(parse(HEAD "c=IN IP6 ff15::1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_check_scope(&s, &g, -1), 1);
	mc_ip_parse("ff05::2:7ffe", &g);
	assert_int_equal(parse(HEAD "c=IN IP6 ff15::1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_check_scope(&s, &g, -1), 0);
	assert_int_equal(parse(HEAD "c=IN IP4 198.18.1.1\nt=0 0\n", 0), 0);
	assert_int_equal(sdp_check_scope(&s, &g, -1), 1);
	assert_int_equal(s.diags[0].kind, SDP_E_NOT_MULTICAST);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8866_example),
		cmocka_unit_test(test_filters_clocks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_origin_and_groups),
		cmocka_unit_test(test_scope_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
