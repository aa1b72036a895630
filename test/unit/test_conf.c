/*
 * mcastd.conf (daemon/conf.c): exact values from a full file, the exact
 * "FILE:LINE:COLUMN: message" of every rejection, the normalised form and
 * its round trip, comments, continuations and the defaults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "conf.h"

static uint32_t
test_conf_ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* Parses text that must be good; the error is printed if it is not. */
static void
test_conf_parse_ok(const char *text, struct conf *c)
{
	struct conf_error e;
	char buf[600];

	if (conf_parse(text, strlen(text), "t.conf", c, &e) != 0) {
		conf_error_format(&e, buf, sizeof(buf));
		fail_msg("%s", buf);
	}
}

/* conf_print into a malloc'd string. */
static char *
test_conf_print(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_print(f, c);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_defaults(void **state)
{
	struct conf c, d;

	conf_init(&c);
	assert_int_equal(c.igmp.version, 3);
	assert_int_equal(c.igmp.robustness, 2);
	assert_int_equal(c.igmp.query_interval_ms, 125000);
	assert_int_equal(c.igmp.query_response_interval_ms, 10000);
	assert_int_equal(c.igmp.last_member_query_interval_ms, 1000);
	assert_int_equal(c.igmp.last_member_query_count, 0);
	assert_int_equal(c.igmp.startup_query_interval_ms, 0);
	assert_int_equal(c.igmp.startup_query_count, 0);
	assert_int_equal(c.igmp.ssm_prefix.s_addr, test_conf_ip("232.0.0.0"));
	assert_int_equal(c.igmp.ssm_prefix_len, 8);
	assert_false(c.igmp.require_router_alert);
	/* Limits even when the file sets none (mcastd.conf(5)). */
	assert_int_equal(c.igmp.max_groups, 16384);
	assert_int_equal(c.igmp.max_sources_per_group, 256);
	assert_int_equal(c.max_groups_per_iface, 16384);
	assert_int_equal(c.max_sources_per_group, 256);
	assert_int_equal(c.max_mfc_entries, 8192);
	assert_int_equal(c.mfc_idle_timeout_s, 210);
	assert_false(c.default_disable);
	assert_null(c.phyints);
	assert_int_equal(c.nphyints, 0);
	assert_null(c.mroutes);
	assert_int_equal(c.nmroutes, 0);
	/* DVMRP: the router's defaults, on (router_dvmrp_config_defaults). */
	assert_false(c.dvmrp.disable);
	assert_int_equal(c.dvmrp.nbr.probe_interval_ms, 10000);
	assert_int_equal(c.dvmrp.nbr.neighbor_timeout_ms, 35000);
	assert_int_equal(c.dvmrp.nbr.probe_holdoff_ms, 1000);
	assert_true(c.dvmrp.nbr.probe_new_neighbors);
	assert_false(c.dvmrp.nbr.accept_non_pruners);
	assert_int_equal(c.dvmrp.nbr.max_neighbors_per_vif, 64);
	assert_int_equal(c.dvmrp.rib.report_interval_ms, 60000);
	assert_int_equal(c.dvmrp.rib.flash_interval_ms, 5000);
	assert_int_equal(c.dvmrp.rib.route_expire_ms, 140000);
	assert_int_equal(c.dvmrp.rib.holddown_ms, 0);
	assert_int_equal(dvmrp_rib_holddown_ms(&c.dvmrp.rib), 120000);
	assert_int_equal(c.dvmrp.rib.max_routes, 10000);
	assert_int_equal(c.dvmrp.prune_lifetime_s, 7200);
	{
		struct router_dvmrp_config rd;

		router_dvmrp_config_defaults(&rd);
		assert_memory_equal(&rd, &c.dvmrp, sizeof(rd));
	}

	/* An empty file, or one of comments and blank lines, is the
	 * defaults; their normalised form is empty. */
	test_conf_parse_ok("", &d);
	assert_true(conf_equal(&c, &d));
	test_conf_parse_ok("\n\n# nothing\n   \t# at all\n;;\n\t\n", &d);
	assert_true(conf_equal(&c, &d));
	{
		char *out = test_conf_print(&d);

		assert_string_equal(out, "");
		free(out);
	}
	/* Blocks that say the defaults print as nothing too. */
	test_conf_parse_ok("igmp { version 3; robustness 2 }\n"
			   "limits {\n}\nmfc { idle-timeout 210 }\n",
	    &d);
	assert_true(conf_equal(&c, &d));
	{
		char *out = test_conf_print(&d);

		assert_string_equal(out, "");
		free(out);
	}
	conf_free(&d);
}

static const char full_text[] =
    "# A full configuration\n"
    "default-phyint disable\n"
    "\n"
    "igmp {\n"
    "\tversion 2\t\t# for old hosts\n"
    "\trobustness 3\n"
    "\tquery-interval 2m\n"
    "\tquery-response-interval 5s\n"
    "\tstartup-query-interval 30500ms\n"
    "\tstartup-query-count 4\n"
    "\tlast-member-query-interval 500ms\n"
    "\tlast-member-query-count 3\n"
    "\trequire-router-alert yes\n"
    "\tssm-range 232.1.0.0/16\n"
    "}\n"
    "limits { groups 100; sources 20; upcalls 64 }\n"
    "mfc {\n"
    "\tidle-timeout 5m\n"
    "}\n"
    "phyint eth0 threshold 16 igmpv3 boundary 239.0.0.0/8 \\\n"
    "    boundary 239.255.0.0/16 static-group 239.1.1.1 \\\n"
    "    static-group 232.1.1.1 source 198.18.0.1\n"
    "phyint eth1 enable\n"
    "phyint wlan0 disable igmpv1\n"
    "mroute from eth0 source 198.18.0.7 group 239.2.2.2 to eth1 wlan0\n"
    "mroute from eth1 group 239.3.3.3 to eth0\n";

static void
test_full_example(void **state)
{
	const struct conf_phyint *pi;
	const struct conf_mroute *mr;
	struct igmp_router_config g;
	struct conf c;

	test_conf_parse_ok(full_text, &c);
	assert_true(c.default_disable);
	assert_int_equal(c.igmp.version, 2);
	assert_int_equal(c.igmp.robustness, 3);
	assert_int_equal(c.igmp.query_interval_ms, 120000);
	assert_int_equal(c.igmp.query_response_interval_ms, 5000);
	assert_int_equal(c.igmp.startup_query_interval_ms, 30500);
	assert_int_equal(c.igmp.startup_query_count, 4);
	assert_int_equal(c.igmp.last_member_query_interval_ms, 500);
	assert_int_equal(c.igmp.last_member_query_count, 3);
	assert_true(c.igmp.require_router_alert);
	assert_int_equal(c.igmp.ssm_prefix.s_addr, test_conf_ip("232.1.0.0"));
	assert_int_equal(c.igmp.ssm_prefix_len, 16);
	/* The limits reach the router engine as well. */
	assert_int_equal(c.max_groups_per_iface, 100);
	assert_int_equal(c.max_sources_per_group, 20);
	assert_int_equal(c.max_mfc_entries, 64);
	assert_int_equal(c.igmp.max_groups, 100);
	assert_int_equal(c.igmp.max_sources_per_group, 20);
	assert_int_equal(c.mfc_idle_timeout_s, 300);
	assert_int_equal(igmp_router_config_check(&c.igmp), 0);

	assert_int_equal(c.nphyints, 3);
	pi = &c.phyints[0];
	assert_string_equal(pi->name, "eth0");
	assert_false(pi->disable);
	assert_int_equal(pi->threshold, 16);
	assert_int_equal(pi->igmp_version, 3);
	assert_int_equal(pi->line, 20);
	assert_int_equal(pi->nboundaries, 2);
	assert_int_equal(pi->boundaries[0].addr.s_addr,
	    test_conf_ip("239.0.0.0"));
	assert_int_equal(pi->boundaries[0].len, 8);
	assert_int_equal(pi->boundaries[1].addr.s_addr,
	    test_conf_ip("239.255.0.0"));
	assert_int_equal(pi->boundaries[1].len, 16);
	assert_int_equal(pi->nstatics, 2);
	assert_int_equal(pi->statics[0].group.s_addr,
	    test_conf_ip("239.1.1.1"));
	assert_false(pi->statics[0].has_source);
	assert_int_equal(pi->statics[1].group.s_addr,
	    test_conf_ip("232.1.1.1"));
	assert_true(pi->statics[1].has_source);
	assert_int_equal(pi->statics[1].source.s_addr,
	    test_conf_ip("198.18.0.1"));

	pi = &c.phyints[1];
	assert_string_equal(pi->name, "eth1");
	assert_false(pi->disable);
	assert_int_equal(pi->threshold, 1);
	assert_int_equal(pi->igmp_version, 0);
	assert_int_equal(pi->nboundaries, 0);
	assert_int_equal(pi->nstatics, 0);
	assert_int_equal(pi->line, 23);

	pi = &c.phyints[2];
	assert_string_equal(pi->name, "wlan0");
	assert_true(pi->disable);
	assert_int_equal(pi->igmp_version, 1);
	assert_int_equal(pi->line, 24);

	assert_ptr_equal(conf_phyint(&c, "wlan0"), &c.phyints[2]);
	assert_null(conf_phyint(&c, "eth2"));
	conf_phyint_igmp(&c, conf_phyint(&c, "eth0"), &g);
	assert_int_equal(g.version, 3);
	assert_int_equal(g.robustness, 3);
	assert_int_equal(g.max_groups, 100);
	assert_int_equal(igmp_router_config_check(&g), 0);
	conf_phyint_igmp(&c, conf_phyint(&c, "eth1"), &g);
	assert_int_equal(g.version, 2);
	conf_phyint_igmp(&c, NULL, &g);
	assert_int_equal(g.version, 2);

	assert_int_equal(c.nmroutes, 2);
	mr = &c.mroutes[0];
	assert_string_equal(mr->iif, "eth0");
	assert_true(mr->has_source);
	assert_int_equal(mr->source.s_addr, test_conf_ip("198.18.0.7"));
	assert_int_equal(mr->group.s_addr, test_conf_ip("239.2.2.2"));
	assert_int_equal(mr->noifs, 2);
	assert_string_equal(mr->oifs[0], "eth1");
	assert_string_equal(mr->oifs[1], "wlan0");
	assert_int_equal(mr->line, 25);
	mr = &c.mroutes[1];
	assert_string_equal(mr->iif, "eth1");
	assert_false(mr->has_source);
	assert_int_equal(mr->source.s_addr, 0);
	assert_int_equal(mr->group.s_addr, test_conf_ip("239.3.3.3"));
	assert_int_equal(mr->noifs, 1);
	assert_string_equal(mr->oifs[0], "eth0");
	assert_int_equal(mr->line, 26);
	conf_free(&c);
	assert_null(c.phyints);
	assert_int_equal(c.nphyints, 0);
}

static const char full_normalised[] =
    "default-phyint disable\n"
    "\n"
    "igmp {\n"
    "\tversion 2\n"
    "\trobustness 3\n"
    "\tquery-interval 2m\n"
    "\tquery-response-interval 5s\n"
    "\tstartup-query-interval 30500ms\n"
    "\tstartup-query-count 4\n"
    "\tlast-member-query-interval 500ms\n"
    "\tlast-member-query-count 3\n"
    "\trequire-router-alert yes\n"
    "\tssm-range 232.1.0.0/16\n"
    "}\n"
    "\n"
    "limits {\n"
    "\tgroups 100\n"
    "\tsources 20\n"
    "\tmfc-entries 64\n"
    "}\n"
    "\n"
    "mfc {\n"
    "\tidle-timeout 5m\n"
    "}\n"
    "\n"
    "phyint eth0 threshold 16 igmpv3 boundary 239.0.0.0/8 "
    "boundary 239.255.0.0/16 \\\n"
    "\tstatic-group 239.1.1.1 static-group 232.1.1.1 source 198.18.0.1\n"
    "phyint eth1\n"
    "phyint wlan0 disable igmpv1\n"
    "\n"
    "mroute from eth0 source 198.18.0.7 group 239.2.2.2 to eth1 wlan0\n"
    "mroute from eth1 group 239.3.3.3 to eth0\n";

/* Print, parse the print, compare; the second print is the first. */
static void
test_conf_round_trip(const char *text, const char *expected)
{
	struct conf a, b;
	char *p1, *p2;

	test_conf_parse_ok(text, &a);
	p1 = test_conf_print(&a);
	if (expected != NULL)
		assert_string_equal(p1, expected);
	test_conf_parse_ok(p1, &b);
	assert_true(conf_equal(&a, &b));
	p2 = test_conf_print(&b);
	assert_string_equal(p1, p2);
	free(p1);
	free(p2);
	conf_free(&a);
	conf_free(&b);
}

static void
test_normalised_round_trip(void **state)
{
	char big[8192];
	size_t n = 0;
	int i;

	test_conf_round_trip(full_text, full_normalised);
	test_conf_round_trip(full_normalised, full_normalised);
	test_conf_round_trip("", "");
	/* Spellings fold to one: enable is the default, units shrink. */
	test_conf_round_trip(
	    "phyint eth0 enable threshold 1\n"
	    "igmp{query-interval 7200;last-member-query-interval 2000ms}\n"
	    "default-phyint enable\n"
	    "limits { groups none; upcalls 4294967295 }\n",
	    "igmp {\n\tquery-interval 2h\n"
	    "\tlast-member-query-interval 2s\n}\n\n"
	    "limits {\n\tgroups none\n\tmfc-entries 4294967295\n}\n\n"
	    "phyint eth0\n");
	/* The default limits print as nothing, none as none. */
	test_conf_round_trip("limits { groups 16384; sources 256; "
			     "upcalls 8192 }\n",
	    "");
	test_conf_round_trip("limits { sources none }\n",
	    "limits {\n\tsources none\n}\n");
	test_conf_round_trip("igmp { ssm-range none; version 1 }\n"
			     "mfc { idle-timeout 1 }\n",
	    "igmp {\n\tversion 1\n\tssm-range none\n}\n\n"
	    "mfc {\n\tidle-timeout 1s\n}\n");
	/* The largest of everything wraps its lines with '\'. */
	n += (size_t)snprintf(big + n, sizeof(big) - n,
	    "phyint verylonginterfa threshold 255 igmpv2");
	for (i = 0; i < CONF_MAX_BOUNDARIES; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    " boundary 239.%d.0.0/16", i);
	for (i = 0; i < CONF_MAX_STATIC; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    " static-group 239.255.%d.1 source 198.18.%d.1", i, i);
	n += (size_t)snprintf(big + n, sizeof(big) - n,
	    "\nmroute from verylonginterfa group 239.9.9.9 to");
	for (i = 0; i < CONF_MAX_OIFS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, " interface%d",
		    i);
	snprintf(big + n, sizeof(big) - n, "\n");
	test_conf_round_trip(big, NULL);
	{
		struct conf c;
		char *out, *line;

		test_conf_parse_ok(big, &c);
		out = test_conf_print(&c);
		/* No line of the normalised form is wider than 80 columns
		 * (a leading tab is 8). */
		for (line = strtok(out, "\n"); line != NULL;
		     line = strtok(NULL, "\n"))
			assert_true(strlen(line) + (line[0] == '\t' ? 7 : 0) <=
			    80);
		free(out);
		conf_free(&c);
	}
}

static void
test_comments_blank_lines_continuation(void **state)
{
	struct conf c;

	/* Comments anywhere a word may end, blank lines, CRLF, ';'. */
	test_conf_parse_ok(
	    "\r\n"
	    "   # indented comment\r\n"
	    "phyint eth0 threshold 2# comment right after a word\r\n"
	    "phyint eth1; phyint eth2 # two statements on a line\n"
	    "phyint eth3 \\\n"
	    "\n" /* a blank line ends the continued statement */
	    "phyint eth4 \\\r\n"
	    "  igmpv2 \\\n"
	    "  # a comment line inside a continuation ends it too\n"
	    "phyint eth5 \\\n"
	    "  threshold \\\n"
	    "  9 # the '\\' of a comment does not continue it \\\n"
	    "mroute \\\n from eth0 \\\n group 239.1.1.1 \\\n to eth1\n"
	    "igmp\t{\n\n\t# inside a block\n\tversion 2 ;; robustness 4\n\n}\n"
	    "limits { ; groups 5 ; }\n"
	    "mfc {\n}",
	    &c);
	assert_int_equal(c.nphyints, 6);
	assert_int_equal(c.phyints[0].threshold, 2);
	assert_string_equal(c.phyints[2].name, "eth2");
	assert_int_equal(c.phyints[2].line, 4);
	assert_string_equal(c.phyints[3].name, "eth3");
	assert_int_equal(c.phyints[3].line, 5);
	assert_int_equal(c.phyints[4].igmp_version, 2);
	assert_string_equal(c.phyints[5].name, "eth5");
	assert_int_equal(c.phyints[5].threshold, 9);
	assert_int_equal(c.phyints[5].line, 10);
	assert_int_equal(c.nmroutes, 1);
	assert_int_equal(c.mroutes[0].line, 13);
	assert_string_equal(c.mroutes[0].oifs[0], "eth1");
	assert_int_equal(c.igmp.version, 2);
	assert_int_equal(c.igmp.robustness, 4);
	assert_int_equal(c.max_groups_per_iface, 5);
	conf_free(&c);

	/* The text need not end in a newline, nor in a NUL. */
	{
		const char text[] = "phyint eth0 threshold 12XYZ";
		struct conf_error e;

		assert_int_equal(conf_parse(text, strlen(text) - 3, "t.conf",
				     &c, &e),
		    0);
		assert_int_equal(c.phyints[0].threshold, 12);
		conf_free(&c);
	}
}

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		uint32_t qi_ms;
	} cases[] = {
		{ "125", 125000 },
		{ "125s", 125000 },
		{ "125000ms", 125000 },
		{ "2m", 120000 },
		{ "1h", 3600000 },
		{ "0031744", 31744000 },
		{ "1s", 1000 },
	};
	struct conf c;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
		    "igmp { query-interval %s; "
		    "query-response-interval 500ms }\n",
		    cases[i].text);
		test_conf_parse_ok(text, &c);
		assert_int_equal(c.igmp.query_interval_ms, cases[i].qi_ms);
		assert_int_equal(c.igmp.query_response_interval_ms, 500);
		conf_free(&c);
	}
	/* Robustness 1 is a SHOULD NOT (RFC 3376 8.1), not a MUST NOT. */
	test_conf_parse_ok("igmp { robustness 1 }", &c);
	assert_int_equal(c.igmp.robustness, 1);
	test_conf_parse_ok(
	    "igmp { robustness 7; version 1;"
	    "query-response-interval 3174400ms; query-interval 31744 }",
	    &c);
	assert_int_equal(c.igmp.query_response_interval_ms, 3174400);
	conf_free(&c);
	/* The most IGMPv2 can carry (RFC 2236 2.2). */
	test_conf_parse_ok("igmp { version 2; query-response-interval 25500ms;"
			   "last-member-query-interval 25500ms }",
	    &c);
	assert_int_equal(c.igmp.last_member_query_interval_ms, 25500);
	conf_free(&c);
}

struct test_conf_error_case {
	const char *text;
	const char *error;
};

static const struct test_conf_error_case error_cases[] = {
	/* The old name is the same setting. */
	{ "limits { mfc-entries 1; upcalls 2 }\n",
	    "t.conf:1:25: limits: mfc-entries already given at line 1: "
	    "expected each setting once" },
	{ "foo bar\n",
	    "t.conf:1:1: expected default-phyint, phyint, mroute, tunnel, "
	    "igmp, limits, mfc or dvmrp, got 'foo'" },
	{ "phyint\n",
	    "t.conf:1:7: phyint: expected an interface name, got end of line" },
	{ "phyint abcdefghijklmnop\n",
	    "t.conf:1:8: phyint: interface name 'abcdefghijklmnop' is 16 "
	    "characters long: expected at most 15" },
	{ "phyint a/b\n",
	    "t.conf:1:8: phyint: interface name 'a/b' contains '/': expected "
	    "a name without '/' or ':'" },
	{ "phyint eth0:1\n",
	    "t.conf:1:8: phyint: interface name 'eth0:1' contains ':': "
	    "expected a name without '/' or ':'" },
	{ "phyint eth0 threshold 0\n",
	    "t.conf:1:23: threshold: expected a TTL threshold 1-255, got '0'" },
	{ "phyint eth0 threshold 256\n",
	    "t.conf:1:23: threshold: expected a TTL threshold 1-255, "
	    "got '256'" },
	{ "phyint eth0 threshold 99999999999999999999999\n",
	    "t.conf:1:23: threshold: expected a TTL threshold 1-255, "
	    "got '99999999999999999999999'" },
	{ "phyint eth0 threshold\n",
	    "t.conf:1:22: threshold: expected a TTL threshold 1-255, "
	    "got end of line" },
	{ "phyint eth0 threshold 2 threshold 3\n",
	    "t.conf:1:25: phyint eth0: 'threshold' given twice: expected it "
	    "once" },
	{ "phyint eth0 frob\n",
	    "t.conf:1:13: phyint eth0: expected disable, enable, threshold, "
	    "igmpv1, igmpv2, igmpv3, metric, dvmrp, boundary or static-group, "
	    "got 'frob'" },
	{ "phyint eth0\n\n  phyint eth0 disable\n",
	    "t.conf:3:10: phyint eth0 already declared at line 1: expected "
	    "each interface once" },
	{ "phyint eth0 disable enable\n",
	    "t.conf:1:21: phyint eth0: 'enable' contradicts 'disable': "
	    "expected one of enable or disable" },
	{ "phyint eth0 igmpv2 igmpv2\n",
	    "t.conf:1:20: phyint eth0: 'igmpv2' given twice: expected it "
	    "once" },
	{ "phyint eth0 igmpv2 igmpv3\n",
	    "t.conf:1:20: phyint eth0: 'igmpv3' contradicts 'igmpv2': "
	    "expected one IGMP version" },
	{ "phyint eth0 boundary 198.18.1.1/24\n",
	    "t.conf:1:22: 198.18.1.1/24 has host bits set: expected "
	    "198.18.1.0/24" },
	{ "phyint eth0 boundary 10.0.0.0/8\n",
	    "t.conf:1:22: boundary 10.0.0.0/8 is not a multicast prefix: "
	    "expected a prefix within 224.0.0.0/4" },
	{ "phyint eth0 boundary 224.0.0.0/3\n",
	    "t.conf:1:22: boundary 224.0.0.0/3 is not a multicast prefix: "
	    "expected a prefix within 224.0.0.0/4" },
	{ "phyint eth0 boundary 239.0.0.0/33\n",
	    "t.conf:1:22: boundary: expected a multicast prefix such as "
	    "239.0.0.0/8, got '239.0.0.0/33'" },
	{ "phyint eth0 boundary 239.1.2.3\n",
	    "t.conf:1:22: boundary: expected a multicast prefix such as "
	    "239.0.0.0/8, got '239.1.2.3'" },
	{ "phyint eth0 boundary 239.0.0.0/8 boundary 239.0.0.0/8\n",
	    "t.conf:1:43: phyint eth0: boundary 239.0.0.0/8 given twice: "
	    "expected each prefix once" },
	{ "phyint eth0 static-group 10.1.2.3\n",
	    "t.conf:1:26: 10.1.2.3 is not a multicast group: expected an "
	    "address within 224.0.0.0/4" },
	{ "phyint eth0 static-group 224.0.0.5\n",
	    "t.conf:1:26: 224.0.0.5 is in 224.0.0.0/24, which is never "
	    "forwarded (RFC 5771): expected a group outside it" },
	{ "phyint eth0 static-group 239.1.1.256\n",
	    "t.conf:1:26: static-group: expected an IPv4 multicast group such "
	    "as 239.1.2.3, got '239.1.1.256'" },
	{ "phyint eth0 static-group 239.1.1.1 source 239.2.2.2\n",
	    "t.conf:1:43: source 239.2.2.2 is a multicast address: expected a "
	    "unicast address" },
	{ "phyint eth0 static-group 239.1.1.1 source\n",
	    "t.conf:1:42: source: expected an IPv4 unicast address such as "
	    "198.18.0.1, got end of line" },
	{ "phyint eth0 static-group 239.1.1.1 static-group 239.1.1.1\n",
	    "t.conf:1:49: phyint eth0: static-group 239.1.1.1 given twice: "
	    "expected each group once" },
	{ "phyint eth0 static-group 232.1.1.1\n",
	    "t.conf:1:26: static-group 232.1.1.1 is in the SSM range "
	    "232.0.0.0/8 (RFC 4604): expected 'source S' after it, or another "
	    "ssm-range" },
	/* The SSM range is checked whatever the order of the file. */
	{ "phyint eth0 static-group 239.1.1.1\nigmp { ssm-range 239.0.0.0/8 }",
	    "t.conf:1:26: static-group 239.1.1.1 is in the SSM range "
	    "239.0.0.0/8 (RFC 4604): expected 'source S' after it, or another "
	    "ssm-range" },
	{ "mroute from eth0 source 0.0.0.0 group 239.1.1.1 to eth1\n",
	    "t.conf:1:25: source 0.0.0.0 is in 0.0.0.0/8 (this network): "
	    "expected a unicast address" },
	{ "mroute from eth0 source 127.0.0.1 group 239.1.1.1 to eth1\n",
	    "t.conf:1:25: source 127.0.0.1 is a loopback address: expected a "
	    "unicast address" },
	{ "mroute from eth0 source 255.255.255.255 group 239.1.1.1 to eth1\n",
	    "t.conf:1:25: source 255.255.255.255 is in the reserved "
	    "240.0.0.0/4: expected a unicast address" },
	{ "mroute from eth0 group 239.1.1.1 to eth1 eth0\n",
	    "t.conf:1:42: to: eth0 is the incoming interface: expected "
	    "outgoing interfaces other than 'from eth0'" },
	{ "mroute from eth0 group 239.1.1.1 to eth1 eth2 eth1\n",
	    "t.conf:1:47: to: eth1 given twice: expected each interface once" },
	{ "mroute from eth0 group 239.1.1.1\n",
	    "t.conf:1:33: mroute: expected 'to', got end of line" },
	{ "mroute from eth0 239.1.1.1 to eth1\n",
	    "t.conf:1:18: mroute: expected 'source' or 'group', got "
	    "'239.1.1.1'" },
	{ "mroute to eth1\n", "t.conf:1:8: mroute: expected 'from', got 'to'" },
	{ "mroute from eth0 source 198.18.0.1 to eth1\n",
	    "t.conf:1:36: mroute: expected 'group', got 'to'" },
	{ "mroute from eth0 group 239.1.1.1 to\n",
	    "t.conf:1:36: to: expected an outgoing interface, got end of line" },
	{ "mroute from eth0 group 224.0.0.251 to eth1\n",
	    "t.conf:1:24: 224.0.0.251 is in 224.0.0.0/24, which is never "
	    "forwarded (RFC 5771): expected a group outside it" },
	{ "mroute from eth0 source 198.18.0.1 group 239.1.1.1 to eth1\n"
	  "mroute from eth2 source 198.18.0.1 group 239.1.1.1 to eth3\n",
	    "t.conf:2:42: mroute for (198.18.0.1, 239.1.1.1) already given at "
	    "line 1: expected one route per source and group" },
	{ "mroute from eth0 group 239.1.1.1 to eth1\n"
	  "mroute from eth2 group 239.1.1.1 to eth3\n",
	    "t.conf:2:24: mroute for (*, 239.1.1.1) already given at line 1: "
	    "expected one route per source and group" },
	/* Group ranges and wildcards (mcastd.conf(5), STATIC ROUTES). */
	{ "mroute from eth0 group 239.1.2.3/16 to eth1\n",
	    "t.conf:1:24: 239.1.2.3/16 has host bits set: expected "
	    "239.1.0.0/16" },
	{ "mroute from eth0 group 224.0.0.0/24 to eth1\n",
	    "t.conf:1:24: 224.0.0.0/24 is in 224.0.0.0/24, which is never "
	    "forwarded (RFC 5771): expected a range outside it" },
	{ "mroute from eth0 group 192.0.0.0/2 to eth1\n",
	    "t.conf:1:24: 192.0.0.0/2 is not a multicast range: expected a "
	    "range within 224.0.0.0/4" },
	{ "mroute from eth0 group 239.0.0.0/33 to eth1\n",
	    "t.conf:1:24: group: expected an IPv4 multicast group such as "
	    "239.1.2.3 or a range such as 239.1.0.0/16, got '239.0.0.0/33'" },
	{ "mroute from eth0 source 198.18.0.1 group 239.1.0.0/16 to eth1\n",
	    "t.conf:1:42: group: 239.1.0.0/16 is a range: expected one group "
	    "after 'source' (ranges are for (*,G) routes)" },
	{ "mroute from eth+ source 198.18.0.1 group 239.1.1.1 to eth1\n",
	    "t.conf:1:13: from: eth+ is a wildcard: expected the one interface "
	    "a source-specific route comes in by" },
	{ "mroute from eth0 group 239.1.0.0/16 to eth1\n"
	  "mroute from eth2 group 239.1.0.0/16 to eth3\n",
	    "t.conf:2:24: mroute for (*, 239.1.0.0/16) already given at line "
	    "1: expected one route per source and group" },
	{ "phyint eth+ disable\n",
	    "t.conf:1:8: phyint: 'eth+' ends in '+', a wildcard, which only "
	    "the interfaces of an mroute take: expected one interface name" },
	{ "igmp {\n\trobustness 0\n}\n",
	    "t.conf:2:13: robustness: expected a number 1-7, got '0'" },
	{ "igmp {\n\trobustness 8\n}\n",
	    "t.conf:2:13: robustness: expected a number 1-7, got '8'" },
	{ "igmp { version 4 }\n",
	    "t.conf:1:16: version: expected a number 1-3, got '4'" },
	{ "igmp {\n\tquery-interval 10\n\tquery-response-interval 10s\n}\n",
	    "t.conf:3:26: query-response-interval: 10s is not shorter than "
	    "query-interval 10s: expected less (RFC 3376 8.3)" },
	{ "igmp { query-interval 5s }\n",
	    "t.conf:1:23: query-interval: 5s is not longer than "
	    "query-response-interval 10s (the default): expected more "
	    "(RFC 3376 8.3)" },
	{ "igmp {\n\tquery-interval 5x\n}\n",
	    "t.conf:2:17: query-interval: expected a duration such as 125, "
	    "125s, 500ms or 2m, got '5x'" },
	{ "igmp { query-interval 1.5s }\n",
	    "t.conf:1:23: query-interval: expected a duration such as 125, "
	    "125s, 500ms or 2m, got '1.5s'" },
	{ "igmp { query-interval 31745 }\n",
	    "t.conf:1:23: query-interval: expected a duration from 1s to "
	    "31744s, got '31745'" },
	{ "igmp { query-interval 99999999999999999999h }\n",
	    "t.conf:1:23: query-interval: expected a duration from 1s to "
	    "31744s, got '99999999999999999999h'" },
	{ "igmp { query-interval 1500ms }\n",
	    "t.conf:1:23: query-interval: expected a multiple of 1s (the QQIC "
	    "field carries whole seconds), got '1500ms'" },
	{ "igmp { query-response-interval 150ms }\n",
	    "t.conf:1:32: query-response-interval: expected a multiple of "
	    "100ms (the Max Resp Code carries tenths of a second), got "
	    "'150ms'" },
	{ "igmp { last-member-query-count 256 }\n",
	    "t.conf:1:32: last-member-query-count: expected a number 1-255, "
	    "got '256'" },
	{ "igmp { startup-query-count -1 }\n",
	    "t.conf:1:28: startup-query-count: expected a number 1-255, "
	    "got '-1'" },
	{ "igmp {\n\tfrobnicate 1\n}\n",
	    "t.conf:2:2: igmp: expected version, robustness, query-interval, "
	    "query-response-interval, startup-query-interval, "
	    "startup-query-count, last-member-query-interval, "
	    "last-member-query-count, require-router-alert or ssm-range, got "
	    "'frobnicate'" },
	{ "igmp {\n\tversion 2\n",
	    "t.conf:3:1: igmp block opened at line 1 is not closed: expected "
	    "'}', got end of file" },
	{ "igmp { version 2 }\nigmp { version 3 }\n",
	    "t.conf:2:1: igmp block already given at line 1: expected one "
	    "igmp block" },
	{ "igmp {\n version 2; version 3 }\n",
	    "t.conf:2:13: igmp: version already given at line 2: expected "
	    "each setting once" },
	{ "igmp { version 2 version 3 }\n",
	    "t.conf:1:18: version: expected the end of the setting (a newline, "
	    "';' or '}'), got 'version'" },
	{ "igmp { version }\n",
	    "t.conf:1:16: version: expected a number 1-3, got '}'" },
	{ "igmp { require-router-alert maybe }\n",
	    "t.conf:1:29: require-router-alert: expected yes or no, "
	    "got 'maybe'" },
	{ "igmp { ssm-range 10.0.0.0/8 }\n",
	    "t.conf:1:18: ssm-range 10.0.0.0/8 is not a multicast prefix: "
	    "expected a prefix within 224.0.0.0/4" },
	{ "igmp { ssm-range 232.0.0.0 }\n",
	    "t.conf:1:18: ssm-range: expected a multicast prefix such as "
	    "232.0.0.0/8, or none, got '232.0.0.0'" },
	{ "igmp { ssm-range }\n",
	    "t.conf:1:18: ssm-range: expected a multicast prefix such as "
	    "232.0.0.0/8, or none, got '}'" },
	{ "igmp { version 2; query-response-interval 30s }\n",
	    "t.conf:1:43: query-response-interval: 30s is too long for IGMPv2: "
	    "expected at most 25500ms (RFC 2236 2.2)" },
	{ "igmp { last-member-query-interval 26s\n version 2 }\n",
	    "t.conf:1:35: last-member-query-interval: 26s is too long for "
	    "IGMPv2: expected at most 25500ms (RFC 2236 2.2)" },
	{ "igmp { query-response-interval 30s }\nphyint eth0 igmpv2\n",
	    "t.conf:2:13: phyint eth0: igmpv2 cannot carry "
	    "query-response-interval 30s (line 1): expected at most 25500ms "
	    "for IGMPv2 (RFC 2236 2.2)" },
	{ "igmp { version 2 } phyint eth0\n",
	    "t.conf:1:20: igmp: expected the end of the statement (a newline "
	    "or ';'), got 'phyint'" },
	{ "limits groups 5\n",
	    "t.conf:1:8: limits: expected '{', got 'groups'" },
	{ "limits\n{ groups 5 }\n",
	    "t.conf:1:7: limits: expected '{', got end of line" },
	{ "limits { groups 0 }\n",
	    "t.conf:1:17: groups: expected a number 1-4294967295 or none, "
	    "got '0'" },
	{ "limits { sources 4294967296 }\n",
	    "t.conf:1:18: sources: expected a number 1-4294967295 or none, "
	    "got '4294967296'" },
	{ "limits { groups 5 } }\n",
	    "t.conf:1:21: limits: expected the end of the statement (a newline "
	    "or ';'), got '}'" },
	{ "mfc { idle-timeout 500ms }\n",
	    "t.conf:1:20: idle-timeout: expected a duration from 1s to 24h, "
	    "got '500ms'" },
	{ "mfc { idle-timeout 1500ms }\n",
	    "t.conf:1:20: idle-timeout: expected a multiple of 1s (the timeout "
	    "is kept in seconds), got '1500ms'" },
	{ "mfc { idle-timeout 2d }\n",
	    "t.conf:1:20: idle-timeout: expected a duration such as 125, 125s, "
	    "500ms or 2m, got '2d'" },
	{ "default-phyint maybe\n",
	    "t.conf:1:16: default-phyint: expected enable or disable, "
	    "got 'maybe'" },
	{ "default-phyint enable\ndefault-phyint disable\n",
	    "t.conf:2:1: default-phyint already given at line 1: expected it "
	    "once" },
	{ "}\n",
	    "t.conf:1:1: '}' closes no block: expected a statement "
	    "(default-phyint, phyint, mroute, tunnel, igmp, limits, mfc or "
	    "dvmrp)" },
	{ "{\n",
	    "t.conf:1:1: expected default-phyint, phyint, mroute, tunnel, igmp, "
	    "limits, mfc or dvmrp, got '{'" },
	{ "phyint eth0 \\ threshold 2\n",
	    "t.conf:1:13: stray '\\': expected it only at the end of a line, "
	    "to continue the statement on the next" },
	{ "phyint eth0\t\001\n",
	    "t.conf:1:13: control character 0x01: expected text, a tab or a "
	    "newline" },
	{ "phyint eth0 threshold 2 {\n",
	    "t.conf:1:25: phyint: expected the end of the statement (a newline "
	    "or ';'), got '{'" },
	{ "# a long word is cut short in messages\n"
	  "phyint eth0 abcdefghijklmnopqrstuvwxyz0123456789\n",
	    "t.conf:2:13: phyint eth0: expected disable, enable, threshold, "
	    "igmpv1, igmpv2, igmpv3, metric, dvmrp, boundary or static-group, "
	    "got "
	    "'abcdefghijklmnopqrstuvwx...'" },
	/* DVMRP: the phyint's metric and switch. */
	{ "phyint eth0 metric 0\n",
	    "t.conf:1:20: metric: expected a DVMRP metric 1-31, got '0'" },
	{ "phyint eth0 metric 32\n",
	    "t.conf:1:20: metric: expected a DVMRP metric 1-31, got '32'" },
	{ "phyint eth0 metric\n",
	    "t.conf:1:19: metric: expected a DVMRP metric 1-31, got end of "
	    "line" },
	{ "phyint eth0 metric 2 metric 3\n",
	    "t.conf:1:22: phyint eth0: 'metric' given twice: expected it "
	    "once" },
	{ "phyint eth0 dvmrp off\n",
	    "t.conf:1:19: dvmrp: expected enable or disable, got 'off'" },
	{ "phyint eth0 dvmrp\n",
	    "t.conf:1:18: dvmrp: expected enable or disable, got end of "
	    "line" },
	{ "phyint eth0 dvmrp enable dvmrp disable\n",
	    "t.conf:1:26: phyint eth0: 'dvmrp' given twice: expected it "
	    "once" },
	/* The dvmrp block: every setting's range. */
	{ "dvmrp { off }\n",
	    "t.conf:1:9: dvmrp: expected enable, disable, probe-interval, "
	    "neighbor-timeout, report-interval, route-expire, holddown, "
	    "prune-lifetime, accept-non-pruners, max-routes or max-neighbors, "
	    "got 'off'" },
	{ "dvmrp { disable yes }\n",
	    "t.conf:1:17: disable: expected the end of the setting (a newline, "
	    "';' or '}'), got 'yes'" },
	{ "dvmrp {\n\tdisable\n\tenable\n}\n",
	    "t.conf:3:2: dvmrp: enable or disable already given at line 2: "
	    "expected one of them once" },
	{ "dvmrp { probe-interval 500ms }\n",
	    "t.conf:1:24: probe-interval: expected a duration from 1s to 1h, "
	    "got '500ms'" },
	{ "dvmrp { probe-interval 2h }\n",
	    "t.conf:1:24: probe-interval: expected a duration from 1s to 1h, "
	    "got '2h'" },
	{ "dvmrp { probe-interval ten }\n",
	    "t.conf:1:24: probe-interval: expected a duration such as 125, "
	    "125s, 500ms or 2m, got 'ten'" },
	{ "dvmrp { neighbor-timeout 0 }\n",
	    "t.conf:1:26: neighbor-timeout: expected a duration from 1s to "
	    "24h, got '0'" },
	{ "dvmrp { report-interval 61m }\n",
	    "t.conf:1:25: report-interval: expected a duration from 1s to 1h, "
	    "got '61m'" },
	{ "dvmrp { route-expire 25h }\n",
	    "t.conf:1:22: route-expire: expected a duration from 1s to 24h, "
	    "got '25h'" },
	{ "dvmrp { holddown 999ms }\n",
	    "t.conf:1:18: holddown: expected a duration from 1s to 24h, got "
	    "'999ms'" },
	{ "dvmrp { prune-lifetime 119 }\n",
	    "t.conf:1:24: prune-lifetime: expected a duration from 2m to 24h "
	    "(at least 120s: routers ignore shorter prunes), got '119'" },
	{ "dvmrp { prune-lifetime 120500ms }\n",
	    "t.conf:1:24: prune-lifetime: expected a multiple of 1s (prunes "
	    "carry whole seconds), got '120500ms'" },
	{ "dvmrp { accept-non-pruners maybe }\n",
	    "t.conf:1:28: accept-non-pruners: expected yes or no, got "
	    "'maybe'" },
	{ "dvmrp { max-routes 0 }\n",
	    "t.conf:1:20: max-routes: expected a number 1-4294967295 or none, "
	    "got '0'" },
	{ "dvmrp { max-neighbors 0 }\n",
	    "t.conf:1:23: max-neighbors: expected a number 1-4096, got '0'" },
	{ "dvmrp { max-neighbors 4097 }\n",
	    "t.conf:1:23: max-neighbors: expected a number 1-4096, got "
	    "'4097'" },
	{ "dvmrp { max-neighbors none }\n",
	    "t.conf:1:23: max-neighbors: expected a number 1-4096, got "
	    "'none'" },
	{ "dvmrp { holddown 1m; holddown 2m }\n",
	    "t.conf:1:22: dvmrp: holddown already given at line 1: expected "
	    "each setting once" },
	{ "dvmrp { probe-interval 1m }\ndvmrp { }\n",
	    "t.conf:2:1: dvmrp block already given at line 1: expected one "
	    "dvmrp block" },
	{ "dvmrp {\n\tprobe-interval 1m\n",
	    "t.conf:3:1: dvmrp block opened at line 1 is not closed: expected "
	    "'}', got end of file" },
	/* The engines' checks, at the longer interval when it was given ... */
	{ "dvmrp {\n\tprobe-interval 20s\n\tneighbor-timeout 20s\n}\n",
	    "t.conf:3:19: neighbor-timeout: 20s is not longer than "
	    "probe-interval 20s: expected more (a neighbour is lost only "
	    "after missing probes)" },
	{ "dvmrp { neighbor-timeout 9s }\n",
	    "t.conf:1:26: neighbor-timeout: 9s is not longer than "
	    "probe-interval 10s (the default): expected more (a neighbour is "
	    "lost only after missing probes)" },
	{ "dvmrp { report-interval 2m; route-expire 1m }\n",
	    "t.conf:1:42: route-expire: 1m is not longer than report-interval "
	    "2m: expected more (a route is lost only after missing reports)" },
	/* ... else at the shorter one, whatever the order. */
	{ "dvmrp { report-interval 140s }\n",
	    "t.conf:1:25: report-interval: 140s is not shorter than "
	    "route-expire 140s (the default): expected less (a route is lost "
	    "only after missing reports)" },
	{ "dvmrp { probe-interval 35s }\nphyint eth0\n",
	    "t.conf:1:24: probe-interval: 35s is not shorter than "
	    "neighbor-timeout 35s (the default): expected less (a neighbour "
	    "is lost only after missing probes)" },
};

static void
test_errors(void **state)
{
	struct conf_error e;
	struct conf c, d;
	char buf[600];
	size_t i;

	conf_init(&d);
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct test_conf_error_case *t = &error_cases[i];

		if (conf_parse(t->text, strlen(t->text), "t.conf", &c, &e) == 0)
			fail_msg("case %zu parsed: %s", i, t->text);
		conf_error_format(&e, buf, sizeof(buf));
		if (strcmp(buf, t->error) != 0)
			fail_msg("case %zu: %s\n  got      %s\n  expected %s",
			    i, t->text, buf, t->error);
		/* A failed parse leaves the defaults and nothing allocated. */
		assert_true(conf_equal(&c, &d));
		assert_null(c.phyints);
		assert_null(c.mroutes);
	}
	/* No file name: "-". */
	assert_int_equal(conf_parse("x", 1, NULL, &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "-:1:1: expected default-phyint, phyint, "
	    "mroute, tunnel, igmp, limits, mfc or dvmrp, got 'x'");
	assert_string_equal(e.file, "-");
	assert_int_equal(e.line, 1);
	assert_int_equal(e.column, 1);
}

/* One past each CONF_MAX_*: refused with the position of the extra. */
static void
test_limits_of_the_structures(void **state)
{
	size_t size = 64 * 1024, n = 0;
	char *text = malloc(size), buf[600];
	struct conf_error e;
	struct conf c;
	int i;

	assert_non_null(text);
	n = (size_t)snprintf(text, size, "phyint eth0");
	for (i = 0; i <= CONF_MAX_BOUNDARIES; i++)
		n += (size_t)snprintf(text + n, size - n,
		    " \\\n boundary 239.%d.0.0/16", i);
	assert_int_equal(conf_parse(text, n, "t.conf", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "t.conf:34:11: phyint eth0: boundary "
	    "239.32.0.0/16 is one too many: expected at most 32");

	n = (size_t)snprintf(text, size, "phyint eth0");
	for (i = 0; i <= CONF_MAX_STATIC; i++)
		n += (size_t)snprintf(text + n, size - n,
		    " static-group 239.1.%d.1", i);
	assert_int_equal(conf_parse(text, n, "t.conf", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "t.conf:1:1552: phyint eth0: static-group "
	    "239.1.64.1 is one too many: expected at most 64");

	n = (size_t)snprintf(text, size, "mroute from a group 239.1.1.1 to");
	for (i = 0; i <= CONF_MAX_OIFS; i++)
		n += (size_t)snprintf(text + n, size - n, " o%d", i);
	assert_int_equal(conf_parse(text, n, "t.conf", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "t.conf:1:152: to: o32 is one too many: "
	    "expected at most 32 outgoing interfaces");

	n = 0;
	for (i = 0; i <= CONF_MAX_PHYINTS; i++)
		n += (size_t)snprintf(text + n, size - n, "phyint p%d\n", i);
	assert_int_equal(conf_parse(text, n, "t.conf", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "t.conf:257:1: phyint p256 is one too many: "
	    "expected at most 256");
	/* Exactly the maximum is fine. */
	assert_int_equal(conf_parse(text, n - strlen("phyint p256\n"), "t.conf",
			     &c, &e),
	    0);
	assert_int_equal(c.nphyints, CONF_MAX_PHYINTS);
	assert_string_equal(c.phyints[255].name, "p255");
	conf_free(&c);
	free(text);
}

static void
test_equal(void **state)
{
	struct conf a, b;

	test_conf_parse_ok(full_text, &a);
	test_conf_parse_ok(full_text, &b);
	assert_true(conf_equal(&a, &b));
	/* Where a thing was written does not count. */
	b.phyints[0].line = 99;
	b.mroutes[1].line = 99;
	assert_true(conf_equal(&a, &b));
	b.phyints[0].statics[1].source.s_addr ^= htonl(1);
	assert_false(conf_equal(&a, &b));
	b.phyints[0].statics[1].source.s_addr ^= htonl(1);
	strcpy(b.mroutes[0].oifs[1], "wlan1");
	assert_false(conf_equal(&a, &b));
	strcpy(b.mroutes[0].oifs[1], "wlan0");
	b.igmp.require_router_alert = false;
	assert_false(conf_equal(&a, &b));
	b.igmp.require_router_alert = true;
	b.igmp.max_groups = 1;
	assert_false(conf_equal(&a, &b));
	b.igmp.max_groups = 100;
	b.mfc_idle_timeout_s = 301;
	assert_false(conf_equal(&a, &b));
	b.mfc_idle_timeout_s = 300;
	assert_true(conf_equal(&a, &b));
	conf_free(&a);
	conf_free(&b);
}

static void
test_load(void **state)
{
	char path[] = "/tmp/test_conf.XXXXXX", buf[600], expected[700];
	struct conf_error e;
	struct conf c;
	FILE *f;
	int fd;
	size_t i;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(full_text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &e), 0);
	assert_int_equal(c.nphyints, 3);
	assert_int_equal(c.igmp.version, 2);
	conf_free(&c);

	/* 1 MiB exactly is read; one byte more is refused. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("phyint eth0\n#", f);
	for (i = strlen("phyint eth0\n#"); i < CONF_MAX_FILE_SIZE - 1; i++)
		fputc('x', f);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &e), 0);
	assert_int_equal(c.nphyints, 1);
	conf_free(&c);
	f = fopen(path, "a");
	assert_non_null(f);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	snprintf(expected, sizeof(expected),
	    "%s: larger than 1 MiB: "
	    "expected a configuration file of at most 1048576 bytes",
	    path);
	assert_string_equal(buf, expected);
	assert_int_equal(e.line, 0);

	/* Errors name the file. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("phyint eth0\nphyint eth1 threshold 300\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	snprintf(expected, sizeof(expected),
	    "%s:2:23: threshold: expected "
	    "a TTL threshold 1-255, got '300'",
	    path);
	assert_string_equal(buf, expected);
	assert_null(c.phyints);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(conf_load(path, &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	snprintf(expected, sizeof(expected),
	    "%s: cannot open: No such file "
	    "or directory: expected a readable configuration file",
	    path);
	assert_string_equal(buf, expected);

	assert_int_equal(conf_load("/", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "/: cannot read: Is a directory: expected "
	    "a readable configuration file");
}

/* The example shipped in dist/ parses, and prints what it says. */
static char warnings[8][256];
static unsigned nwarnings;

static void
test_conf_warning(void *arg, unsigned line, const char *msg)
{
	if (nwarnings < 8)
		snprintf(warnings[nwarnings], sizeof(warnings[0]), "%u: %s",
		    line, msg);
	nwarnings++;
}

static void
test_dist_example(void **state)
{
	struct conf_error e;
	struct conf c;
	char buf[600];

	if (access("dist/mcastd.conf.example", R_OK) != 0)
		skip();
	if (conf_load("dist/mcastd.conf.example", &c, &e) != 0) {
		conf_error_format(&e, buf, sizeof(buf));
		fail_msg("%s", buf);
	}
	assert_false(c.default_disable);
	assert_int_equal(c.max_groups_per_iface, 1000);
	assert_int_equal(c.igmp.max_sources_per_group, 128);
	assert_int_equal(c.nphyints, 4);
	assert_true(conf_phyint(&c, "eth3")->disable);
	assert_int_equal(conf_phyint(&c, "eth1")->igmp_version, 2);
	assert_int_equal(c.nmroutes, 2);
	/* The README's 239.1.2.3 and its own routes cross no boundary. */
	assert_int_equal(c.max_mfc_entries, 8192);
	/* Its dvmrp block writes the defaults out. */
	{
		struct router_dvmrp_config rd;

		router_dvmrp_config_defaults(&rd);
		assert_memory_equal(&rd, &c.dvmrp, sizeof(rd));
	}
	assert_int_equal(conf_warnings(&c, test_conf_warning, NULL), 0);
	conf_free(&c);
}

/* Ranges and wildcards parse, print and compare. */
static void
test_ranges_and_wildcards(void **state)
{
	struct conf c;

	(void)state;
	test_conf_parse_ok("mroute from eth0 group 239.1.0.0/16 to eth+ lan1\n"
			   "mroute from wan+ group 239.1.1.1/32 to eth1\n"
			   "mroute from eth0 group 239.1.0.0/24 to eth1\n"
			   "mroute from eth0 group 224.0.0.0/4 to eth1\n"
			   "mroute from vl+ group 239.2.0.0/16 to vl+\n",
	    &c);
	assert_int_equal(c.nmroutes, 5);
	assert_int_equal(c.mroutes[0].group_len, 16);
	assert_string_equal(c.mroutes[0].oifs[0], "eth+");
	assert_int_equal(c.mroutes[1].group_len, 32);
	assert_string_equal(c.mroutes[1].iif, "wan+");
	conf_free(&c);
	/* A boundary warns of a range only when it covers all of it. */
	test_conf_parse_ok("phyint eth1 boundary 239.1.0.0/16\n"
			   "mroute from eth0 group 239.0.0.0/8 to eth1\n"
			   "mroute from eth0 group 239.1.2.0/24 to eth1\n",
	    &c);
	nwarnings = 0;
	assert_int_equal(conf_warnings(&c, test_conf_warning, NULL), 1);
	assert_string_equal(warnings[0],
	    "3: mroute from eth0 group 239.1.2.0/24: not forwarded to eth1: "
	    "the boundary 239.1.0.0/16 of eth1 (line 1) covers the group");
	conf_free(&c);
	test_conf_round_trip("mroute from eth0 group 239.1.0.0/16 to eth+\n"
			     "mroute from wan+ group 239.1.1.1/32 to eth1\n",
	    "mroute from eth0 group 239.1.0.0/16 to eth+\n"
	    "mroute from wan+ group 239.1.1.1 to eth1\n");
}

struct test_names {
	char lines[8][256];
	size_t n;
};

static void
test_names_collect(void *arg, const struct conf_name_warning *w)
{
	struct test_names *t = arg;
	char msg[200];

	conf_name_warning_format(w, msg, sizeof(msg));
	snprintf(t->lines[t->n++], sizeof(t->lines[0]), "%u %s", w->line, msg);
}

/*
 * The names that match no interface, a typo's one close interface named
 * (none when two are as close); wildcards are not warned about.
 */
static void
test_unknown_names(void **state)
{
	static const char *const ifs[] = { "lo", "eth0", "eth1", "eth3",
		"wlan0" };
	static const char *const want[] = {
		"1 phyint eht3: no such interface (did you mean "
		"eth3?); its settings apply when it appears",
		/* eth0, eth1 and eth3 are all one away from eth2. */
		"3 phyint eth2: no such interface; its settings apply "
		"when it appears",
		"4 phyint wlna0: no such interface (did you mean "
		"wlan0?); its settings apply when it appears",
		"5 mroute from eth9: no such interface; the route "
		"waits for it",
		/* mtun0 is the tunnel's device, made by mcastd: no warning;
		   mtun1 is no tunnel's. */
		"6 mroute to mtun1: no such interface; the route waits "
		"for it",
	};
	struct test_names t = { .n = 0 };
	struct conf c;
	size_t i;

	(void)state;
	test_conf_parse_ok("phyint eht3 disable\n"
			   "phyint eth1 threshold 8\n"
			   "phyint eth2 disable\n"
			   "phyint wlna0 disable\n"
			   "mroute from eth9 group 239.1.1.1 to eth1 vlan+\n"
			   "mroute from mtun0 group 239.1.1.2 to mtun1 eth1\n"
			   "tunnel 198.18.2.1 198.18.3.1\n",
	    &c);
	assert_int_equal(conf_unknown_names(&c, ifs, 5, test_names_collect, &t),
	    5);
	assert_int_equal(t.n, 5);
	for (i = 0; i < t.n; i++)
		assert_string_equal(t.lines[i], want[i]);
	conf_free(&c);
}

/*
 * Static routes and groups a boundary of the same file cuts: one warning
 * each, at the route's or the phyint's line; the rest pass quietly.
 */
static void
test_boundary_warnings(void **state)
{
	static const char text[] =
	    "phyint eth0 threshold 16 boundary 239.0.0.0/8\n"
	    "phyint eth1 igmpv2 boundary 239.192.0.0/16 \\\n"
	    "    static-group 239.192.0.1 static-group 239.1.1.1\n"
	    "phyint eth2 static-group 239.2.2.2\n"
	    "mroute from eth1 source 192.0.2.10 group 239.192.1.1 to eth2\n"
	    "mroute from eth0 group 239.192.2.2 to eth1 eth2\n"
	    "mroute from eth2 group 239.192.3.3 to eth0 eth1\n"
	    "mroute from eth2 group 224.1.1.1 to eth0 eth1\n"
	    "mroute from eth9 group 239.3.3.3 to eth0\n";
	struct conf c;

	test_conf_parse_ok(text, &c);
	nwarnings = 0;
	assert_int_equal(conf_warnings(&c, test_conf_warning, NULL), 6);
	assert_int_equal(nwarnings, 6);
	assert_string_equal(warnings[0],
	    "2: phyint eth1: static-group 239.192.0.1 is never forwarded "
	    "there: the boundary 239.192.0.0/16 of eth1 covers the group");
	assert_string_equal(warnings[1],
	    "5: mroute from eth1 source 192.0.2.10 group 239.192.1.1 "
	    "forwards nothing: the boundary 239.192.0.0/16 of eth1 (line 2), "
	    "its incoming interface, covers the group");
	assert_string_equal(warnings[2],
	    "6: mroute from eth0 group 239.192.2.2 forwards nothing: the "
	    "boundary 239.0.0.0/8 of eth0 (line 1), its incoming interface, "
	    "covers the group");
	assert_string_equal(warnings[3],
	    "7: mroute from eth2 group 239.192.3.3: not forwarded to eth0: "
	    "the boundary 239.0.0.0/8 of eth0 (line 1) covers the group");
	assert_string_equal(warnings[4],
	    "7: mroute from eth2 group 239.192.3.3: not forwarded to eth1: "
	    "the boundary 239.192.0.0/16 of eth1 (line 2) covers the group");
	assert_string_equal(warnings[5],
	    "9: mroute from eth9 group 239.3.3.3: not forwarded to eth0: "
	    "the boundary 239.0.0.0/8 of eth0 (line 1) covers the group");
	conf_free(&c);
}

/* "limits { upcalls N }" is read as mfc-entries, printed as it. */
static void
test_mfc_entries_alias(void **state)
{
	struct conf c;

	test_conf_parse_ok("limits { upcalls 300 }\n", &c);
	assert_int_equal(c.max_mfc_entries, 300);
	conf_free(&c);
	test_conf_parse_ok("limits { mfc-entries none }\n", &c);
	assert_int_equal(c.max_mfc_entries, 0);
	conf_free(&c);
	test_conf_round_trip("limits { upcalls 300 }\n",
	    "limits {\n\tmfc-entries 300\n}\n");
}

/* dvmrp { ... } and the phyint's metric and dvmrp: every setting lands
 * where the router reads it, prints back and compares. */
static void
test_dvmrp(void **state)
{
	static const char text[] = "dvmrp {\n"
				   "\tprobe-interval 5s\n"
				   "\tneighbor-timeout 17500ms\n"
				   "\treport-interval 30\n"
				   "\troute-expire 70s\n"
				   "\tholddown 90s\n"
				   "\tprune-lifetime 2h30m\n"
				   "}\n";
	static const char full[] =
	    "phyint eth1 dvmrp disable threshold 2\n"
	    "dvmrp { max-neighbors 8; accept-non-pruners yes\n"
	    "  max-routes none; prune-lifetime 120; report-interval 1m\n"
	    "  disable\n"
	    "  probe-interval 1500ms; neighbor-timeout 1h\n"
	    "  route-expire 121000ms\n"
	    "}\n"
	    "igmp { robustness 3 }\n"
	    "phyint eth0 metric 31 dvmrp enable\n";
	struct conf c, d;
	struct conf_error e;

	/* No sums of units: 2h30m is refused as any duration. */
	assert_int_equal(conf_parse(text, strlen(text), "t.conf", &c, &e), -1);
	assert_int_equal(e.line, 7);
	assert_string_equal(e.message,
	    "prune-lifetime: expected a duration such as 125, 125s, 500ms "
	    "or 2m, got '2h30m'");

	test_conf_parse_ok("dvmrp {\n"
			   "\tprobe-interval 5s\n"
			   "\tneighbor-timeout 17500ms\n"
			   "\treport-interval 30\n"
			   "\troute-expire 70s\n"
			   "\tholddown 90s\n"
			   "\tprune-lifetime 9000\n"
			   "\tmax-routes 500\n"
			   "}\n",
	    &c);
	assert_false(c.dvmrp.disable);
	assert_int_equal(c.dvmrp.nbr.probe_interval_ms, 5000);
	assert_int_equal(c.dvmrp.nbr.neighbor_timeout_ms, 17500);
	assert_int_equal(c.dvmrp.rib.report_interval_ms, 30000);
	assert_int_equal(c.dvmrp.rib.route_expire_ms, 70000);
	assert_int_equal(c.dvmrp.rib.holddown_ms, 90000);
	assert_int_equal(c.dvmrp.prune_lifetime_s, 9000);
	assert_int_equal(c.dvmrp.rib.max_routes, 500);
	/* What the file does not set stays the default. */
	assert_false(c.dvmrp.nbr.accept_non_pruners);
	assert_int_equal(c.dvmrp.nbr.max_neighbors_per_vif, 64);
	assert_int_equal(c.dvmrp.nbr.probe_holdoff_ms, 1000);
	assert_int_equal(c.dvmrp.rib.flash_interval_ms, 5000);
	assert_int_equal(router_dvmrp_config_check(&c.dvmrp), 0);
	conf_free(&c);

	test_conf_parse_ok(full, &c);
	assert_true(c.dvmrp.disable);
	assert_true(c.dvmrp.nbr.accept_non_pruners);
	assert_int_equal(c.dvmrp.nbr.max_neighbors_per_vif, 8);
	assert_int_equal(c.dvmrp.rib.max_routes, 0); /* none */
	assert_int_equal(c.dvmrp.prune_lifetime_s, 120);
	assert_int_equal(c.dvmrp.rib.report_interval_ms, 60000);
	assert_int_equal(c.dvmrp.rib.route_expire_ms, 121000);
	assert_int_equal(c.dvmrp.nbr.probe_interval_ms, 1500);
	assert_int_equal(c.dvmrp.nbr.neighbor_timeout_ms, 3600000);
	assert_int_equal(c.dvmrp.rib.holddown_ms, 0);
	assert_int_equal(router_dvmrp_config_check(&c.dvmrp), 0);
	assert_int_equal(c.nphyints, 2);
	assert_true(conf_phyint(&c, "eth1")->no_dvmrp);
	assert_int_equal(conf_phyint(&c, "eth1")->metric, 1);
	assert_int_equal(conf_phyint(&c, "eth1")->threshold, 2);
	assert_false(conf_phyint(&c, "eth0")->no_dvmrp);
	assert_int_equal(conf_phyint(&c, "eth0")->metric, 31);
	conf_free(&c);

	/* The normalised form: the block after mfc's, the settings in the
	 * order of mcastd.conf(5), the phyint's after igmpvN. */
	test_conf_round_trip(full,
	    "igmp {\n\trobustness 3\n}\n\n"
	    "dvmrp {\n"
	    "\tdisable\n"
	    "\tprobe-interval 1500ms\n"
	    "\tneighbor-timeout 1h\n"
	    "\troute-expire 121s\n"
	    "\tprune-lifetime 2m\n"
	    "\taccept-non-pruners yes\n"
	    "\tmax-routes none\n"
	    "\tmax-neighbors 8\n"
	    "}\n\n"
	    "phyint eth1 threshold 2 dvmrp disable\n"
	    "phyint eth0 metric 31\n");
	/* The defaults written out print as nothing. */
	test_conf_round_trip("dvmrp { enable; probe-interval 10s\n"
			     "neighbor-timeout 35s; report-interval 1m\n"
			     "route-expire 140s; prune-lifetime 2h\n"
			     "accept-non-pruners no; max-routes 10000\n"
			     "max-neighbors 64 }\n"
			     "phyint eth0 metric 1 dvmrp enable igmpv2\n",
	    "phyint eth0 igmpv2\n");
	test_conf_round_trip("dvmrp { holddown 2m }\nmfc { idle-timeout 1m }\n",
	    "mfc {\n\tidle-timeout 1m\n}\n\n"
	    "dvmrp {\n\tholddown 2m\n}\n");

	/* A reload sees every change (conf_equal). */
	test_conf_parse_ok(full, &c);
	test_conf_parse_ok(full, &d);
	assert_true(conf_equal(&c, &d));
	d.dvmrp.disable = false;
	assert_false(conf_equal(&c, &d));
	d.dvmrp.disable = true;
	d.dvmrp.rib.holddown_ms = 1000;
	assert_false(conf_equal(&c, &d));
	d.dvmrp.rib.holddown_ms = 0;
	d.dvmrp.nbr.accept_non_pruners = false;
	assert_false(conf_equal(&c, &d));
	d.dvmrp.nbr.accept_non_pruners = true;
	d.phyints[1].metric = 30;
	assert_false(conf_equal(&c, &d));
	d.phyints[1].metric = 31;
	d.phyints[0].no_dvmrp = false;
	assert_false(conf_equal(&c, &d));
	d.phyints[0].no_dvmrp = true;
	assert_true(conf_equal(&c, &d));
	conf_free(&c);
	conf_free(&d);
}

/* tunnel: defaults, device names, the normalised form, equality. */
static void
test_tunnels(void **state)
{
	struct conf c, d;

	test_conf_parse_ok("tunnel 198.18.2.1 198.18.3.1\n"
			   "tunnel 198.18.2.1 198.18.4.1 metric 3 threshold 16 "
			   "encap udp port 5000 mtu 1400\n"
			   "tunnel 198.18.2.1 198.18.5.1 mtu 9000 encap udp\n",
	    &c);
	assert_int_equal(c.ntunnels, 3);
	assert_string_equal(c.tunnels[0].name, "mtun0");
	assert_string_equal(c.tunnels[2].name, "mtun2");
	assert_int_equal(c.tunnels[0].local.s_addr, test_conf_ip("198.18.2.1"));
	assert_int_equal(c.tunnels[0].remote.s_addr,
	    test_conf_ip("198.18.3.1"));
	assert_int_equal(c.tunnels[0].metric, 1);
	assert_int_equal(c.tunnels[0].threshold, 1);
	assert_int_equal(c.tunnels[0].encap, CONF_ENCAP_IPIP);
	assert_int_equal(c.tunnels[0].line, 1);
	assert_int_equal(conf_tunnel_mtu(&c.tunnels[0]), 1480);
	assert_int_equal(c.tunnels[1].metric, 3);
	assert_int_equal(c.tunnels[1].threshold, 16);
	assert_int_equal(c.tunnels[1].encap, CONF_ENCAP_UDP);
	assert_int_equal(c.tunnels[1].port, 5000);
	assert_int_equal(conf_tunnel_mtu(&c.tunnels[1]), 1400);
	assert_int_equal(c.tunnels[2].port, CONF_TUNNEL_UDP_PORT);
	assert_int_equal(conf_tunnel_mtu(&c.tunnels[2]), 9000);
	test_conf_parse_ok("tunnel 198.18.2.1 198.18.5.1 encap udp\n", &d);
	assert_int_equal(conf_tunnel_mtu(&d.tunnels[0]), 1472);
	assert_false(conf_equal(&c, &d));
	conf_free(&c);
	conf_free(&d);
	test_conf_round_trip("tunnel 198.18.2.1 198.18.3.1 encap ipip\n"
			     "phyint eth0\n"
			     "tunnel 198.18.2.1 198.18.4.1 mtu 1400 encap udp "
			     "port 4244 threshold 2\n",
	    "phyint eth0\n"
	    "\n"
	    "tunnel 198.18.2.1 198.18.3.1\n"
	    "tunnel 198.18.2.1 198.18.4.1 threshold 2 encap udp mtu 1400\n");
	/* Equal but for the line; not with another port. */
	test_conf_parse_ok("tunnel 198.18.2.1 198.18.3.1 encap udp\n", &c);
	test_conf_parse_ok("\n\ntunnel 198.18.2.1 198.18.3.1 encap udp\n", &d);
	assert_true(conf_equal(&c, &d));
	d.tunnels[0].port = 1;
	assert_false(conf_equal(&c, &d));
	conf_free(&c);
	conf_free(&d);
}

static const struct test_conf_error_case tunnel_error_cases[] = {
	{ "tunnel\n",
	    "t.conf:1:7: tunnel LOCAL: expected an IPv4 unicast address such "
	    "as 198.18.0.1, got end of line" },
	{ "tunnel 198.18.2.1\n",
	    "t.conf:1:18: tunnel REMOTE: expected an IPv4 unicast address "
	    "such as 198.18.0.1, got end of line" },
	{ "tunnel eth0 198.18.2.1\n",
	    "t.conf:1:8: tunnel LOCAL: expected an IPv4 unicast address such "
	    "as 198.18.0.1, got 'eth0'" },
	{ "tunnel 198.18.2.1 239.1.1.1\n",
	    "t.conf:1:19: tunnel REMOTE 239.1.1.1 is a multicast address: "
	    "expected a unicast address" },
	{ "tunnel 198.18.2.1 198.18.2.1\n",
	    "t.conf:1:1: tunnel 198.18.2.1 198.18.2.1: LOCAL and REMOTE are "
	    "the same address: expected the far end's address as REMOTE" },
	{ "tunnel 198.18.2.1 198.18.3.1\ntunnel 198.18.2.1 198.18.3.1 "
	  "encap udp\n",
	    "t.conf:2:1: tunnel 198.18.2.1 198.18.3.1 already declared at "
	    "line 1: expected each LOCAL and REMOTE pair once" },
	{ "tunnel 198.18.2.1 198.18.3.1 encap udp\n"
	  "tunnel 198.18.2.1 198.18.4.1 encap udp\n",
	    "t.conf:2:1: tunnel 198.18.2.1 198.18.4.1: udp port 4244 at "
	    "198.18.2.1 is taken by the tunnel at line 1: expected another "
	    "port (port P)" },
	{ "tunnel 198.18.2.1 198.18.3.1 encap gre\n",
	    "t.conf:1:36: encap: expected ipip or udp, got 'gre'" },
	{ "tunnel 198.18.2.1 198.18.3.1 port 5000\n",
	    "t.conf:1:30: tunnel: 'port' without 'encap udp': expected it "
	    "after encap udp" },
	{ "tunnel 198.18.2.1 198.18.3.1 encap udp port 0\n",
	    "t.conf:1:45: port: expected a UDP port 1-65535, got '0'" },
	{ "tunnel 198.18.2.1 198.18.3.1 mtu 100\n",
	    "t.conf:1:34: mtu: expected an MTU 576-65000 (bytes), got '100'" },
	{ "tunnel 198.18.2.1 198.18.3.1 metric 32\n",
	    "t.conf:1:37: metric: expected a DVMRP metric 1-31, got '32'" },
	{ "tunnel 198.18.2.1 198.18.3.1 threshold 0\n",
	    "t.conf:1:40: threshold: expected a TTL threshold 1-255, got '0'" },
	{ "tunnel 198.18.2.1 198.18.3.1 mtu 1400 mtu 1300\n",
	    "t.conf:1:39: tunnel: 'mtu' given twice: expected it once" },
	{ "tunnel 198.18.2.1 198.18.3.1 ttl 3\n",
	    "t.conf:1:30: tunnel: expected metric, threshold, encap or mtu, "
	    "got 'ttl'" },
	{ "tunnel 198.18.2.1 198.18.3.1\nphyint mtun0 threshold 3\n",
	    "t.conf:2: phyint mtun0 names the device of the tunnel at line 1: "
	    "expected its settings (metric, threshold) on the tunnel "
	    "statement" },
};

static void
test_tunnel_errors(void **state)
{
	struct conf_error e;
	struct conf c;
	char buf[600], text[4096];
	size_t i, n = 0;

	for (i = 0;
	     i < sizeof(tunnel_error_cases) / sizeof(tunnel_error_cases[0]);
	     i++) {
		const struct test_conf_error_case *t = &tunnel_error_cases[i];

		if (conf_parse(t->text, strlen(t->text), "t.conf", &c, &e) == 0)
			fail_msg("case %zu parsed: %s", i, t->text);
		conf_error_format(&e, buf, sizeof(buf));
		if (strcmp(buf, t->error) != 0)
			fail_msg("case %zu: %s\n  got      %s\n  expected %s",
			    i, t->text, buf, t->error);
	}
	/* One past CONF_MAX_TUNNELS. */
	for (i = 0; i <= CONF_MAX_TUNNELS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "tunnel 198.18.2.1 198.18.3.%zu\n", i + 1);
	assert_int_equal(conf_parse(text, n, "t.conf", &c, &e), -1);
	conf_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf,
	    "t.conf:17:1: tunnel is one too many: expected at most 16");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_normalised_round_trip),
		cmocka_unit_test(test_comments_blank_lines_continuation),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits_of_the_structures),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_dist_example),
		cmocka_unit_test(test_ranges_and_wildcards),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_boundary_warnings),
		cmocka_unit_test(test_mfc_entries_alias),
		cmocka_unit_test(test_dvmrp),
		cmocka_unit_test(test_tunnels),
		cmocka_unit_test(test_tunnel_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
