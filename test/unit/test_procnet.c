/*
 * lib/procnet.c: the parsers against fixtures copied from a 6.18 kernel
 * (test/fixtures/procnet/), malformed lines, and the live tables.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <mcast/mcast.h>

static char test_procnet_dir[PATH_MAX] = "test/fixtures/procnet";

/*
 * The fixture in a heap buffer of exactly its length + 1, so that ASan
 * catches a parser reading past the NUL.
 */
static char *
test_procnet_load(const char *name)
{
	char path[PATH_MAX + 64];
	char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", test_procnet_dir, name);
	rc = mc_procnet_read_file(path, &text);
	if (rc != 0)
		fail_msg("cannot read %s: %s", path, strerror(-rc));
	return text;
}

/* Parse a string from an exact-size heap copy. */
static int
test_procnet_parse_str(int (*parse)(const char *, struct mc_procnet_table *),
    const char *s, struct mc_procnet_table *t)
{
	char *copy;
	int rc;

	copy = strdup(s);
	assert_non_null(copy);
	rc = parse(copy, t);
	free(copy);
	return rc;
}

static int
test_procnet_parse_file(int (*parse)(const char *, struct mc_procnet_table *),
    const char *name, struct mc_procnet_table *t)
{
	char *text;
	int rc;

	text = test_procnet_load(name);
	rc = parse(text, t);
	free(text);
	return rc;
}

static void
test_procnet_assert_group(const struct mc_membership *m, unsigned ifindex,
    const char *ifname, const char *group, unsigned users, bool running,
    unsigned long ticks, bool reporter, unsigned querier, unsigned count)
{
	char buf[MC_IP_STRLEN];

	assert_int_equal(m->ifindex, ifindex);
	assert_string_equal(m->ifname, ifname);
	assert_string_equal(mc_ip_str(&m->group, buf), group);
	assert_int_equal(m->users, users);
	assert_int_equal(m->timer_running, running);
	assert_int_equal(m->timer_ticks, ticks);
	assert_int_equal(m->reporter, reporter);
	assert_int_equal(m->querier_version, querier);
	assert_int_equal(m->iface_groups, count);
}

static void
test_procnet_assert_source(const struct mc_source_filter *sf, unsigned ifindex,
    const char *ifname, const char *group, const char *source,
    unsigned long inc, unsigned long exc)
{
	char buf[MC_IP_STRLEN];

	assert_int_equal(sf->ifindex, ifindex);
	assert_string_equal(sf->ifname, ifname);
	assert_string_equal(mc_ip_str(&sf->group, buf), group);
	assert_string_equal(mc_ip_str(&sf->source, buf), source);
	assert_int_equal(sf->include_count, inc);
	assert_int_equal(sf->exclude_count, exc);
}

static void
test_procnet_igmp(void **state)
{
	struct mc_procnet_table t = { 0 };
	const struct mc_membership *g;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* The fixture holds a little-endian host's raw __be32 values. */
	skip();
#endif
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp, "igmp",
			     &t),
	    0);
	assert_int_equal(t.ngroups, 10);
	assert_int_equal(t.nsources, 0);
	g = t.groups;
	test_procnet_assert_group(&g[0], 1, "lo", "224.0.0.1", 1, false, 0,
	    false, 3, 1);
	test_procnet_assert_group(&g[1], 2, "eth0", "224.0.0.251", 1, false, 0,
	    false, 3, 3);
	test_procnet_assert_group(&g[2], 2, "eth0", "239.1.2.3", 1, true, 0x28,
	    false, 3, 3);
	test_procnet_assert_group(&g[3], 2, "eth0", "224.0.0.1", 1, false, 0,
	    false, 3, 3);
	test_procnet_assert_group(&g[4], 3, "vethmclongA", "239.9.9.9", 1, true,
	    0x108, true, 2, 4);
	test_procnet_assert_group(&g[5], 3, "vethmclongA", "232.1.1.1", 2, true,
	    0x209, true, 2, 4);
	test_procnet_assert_group(&g[6], 3, "vethmclongA", "239.1.2.3", 2,
	    false, 0, true, 2, 4);
	test_procnet_assert_group(&g[7], 3, "vethmclongA", "224.0.0.1", 1,
	    false, 0, false, 2, 4);
	test_procnet_assert_group(&g[8], 4, "eth1", "239.5.5.5", 1, false, 0,
	    true, 1, 2);
	test_procnet_assert_group(&g[9], 4, "eth1", "224.0.0.1", 1, false, 0,
	    false, 1, 2);
	mc_procnet_free(&t);
	assert_null(t.groups);
	assert_int_equal(t.ngroups, 0);
}

static void
test_procnet_igmp6(void **state)
{
	struct mc_procnet_table t = { 0 };
	const struct mc_membership *g;

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp6,
			     "igmp6", &t),
	    0);
	assert_int_equal(t.ngroups, 16);
	g = t.groups;
	/* flags 0C: MAF_LOADED | MAF_NOREPORT */
	test_procnet_assert_group(&g[0], 1, "lo", "ff02::1", 1, false, 0, false,
	    0, 0);
	test_procnet_assert_group(&g[1], 1, "lo", "ff01::1", 1, false, 0, false,
	    0, 0);
	test_procnet_assert_group(&g[2], 2, "eth0", "ff02::fb", 1, false, 0,
	    false, 0, 0);
	/* flags 06: MAF_LOADED | MAF_LAST_REPORTER */
	test_procnet_assert_group(&g[3], 2, "eth0", "ff02::1:ff00:2", 2, false,
	    0, true, 0, 0);
	/* flags 07: the timer runs */
	test_procnet_assert_group(&g[6], 3, "vethmclongA", "ff0e::beef", 1,
	    true, 422, true, 0, 0);
	test_procnet_assert_group(&g[7], 3, "vethmclongA", "ff3e::1234", 1,
	    true, 855, true, 0, 0);
	test_procnet_assert_group(&g[8], 3, "vethmclongA", "ff05::1:3", 1, true,
	    20, true, 0, 0);
	test_procnet_assert_group(&g[9], 3, "vethmclongA", "ff02::1:ff6e:7371",
	    1, true, 711, true, 0, 0);
	test_procnet_assert_group(&g[12], 4, "eth1", "ff3e::4321", 1, false, 0,
	    false, 0, 0);
	test_procnet_assert_group(&g[15], 4, "eth1", "ff01::1", 1, false, 0,
	    false, 0, 0);
	mc_procnet_free(&t);
}

static void
test_procnet_mcfilter(void **state)
{
	struct mc_procnet_table t = { 0 };

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter,
			     "mcfilter", &t),
	    0);
	assert_int_equal(t.ngroups, 0);
	assert_int_equal(t.nsources, 4);
	test_procnet_assert_source(&t.sources[0], 2, "eth0", "239.1.2.3",
	    "198.18.1.2", 1, 0);
	test_procnet_assert_source(&t.sources[1], 3, "vethmc", "239.9.9.9",
	    "198.18.1.7", 0, 1);
	test_procnet_assert_source(&t.sources[2], 3, "vethmc", "232.1.1.1",
	    "198.18.1.1", 1, 0);
	test_procnet_assert_source(&t.sources[3], 3, "vethmc", "232.1.1.1",
	    "198.18.1.5", 2, 0);
	mc_procnet_free(&t);
	assert_null(t.sources);
	assert_int_equal(t.nsources, 0);
}

static void
test_procnet_mcfilter6(void **state)
{
	struct mc_procnet_table t = { 0 };

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter6,
			     "mcfilter6", &t),
	    0);
	assert_int_equal(t.nsources, 4);
	test_procnet_assert_source(&t.sources[0], 3, "vethmc", "ff0e::beef",
	    "2001:db8::7", 0, 1);
	test_procnet_assert_source(&t.sources[1], 3, "vethmc", "ff3e::1234",
	    "2001:db8::5", 1, 0);
	test_procnet_assert_source(&t.sources[2], 3, "vethmc", "ff3e::1234",
	    "2001:db8::6", 1, 0);
	test_procnet_assert_source(&t.sources[3], 4, "eth1", "ff3e::4321",
	    "2001:db8::9", 1, 0);
	mc_procnet_free(&t);
}

/* mcfilter's %6.6s name is completed from the memberships read before. */
static void
test_procnet_mcfilter_full_name(void **state)
{
	struct mc_procnet_table t = { 0 };

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp6,
			     "igmp6", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter,
			     "mcfilter", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter6,
			     "mcfilter6", &t),
	    0);
	assert_int_equal(t.nsources, 8);
	assert_string_equal(t.sources[0].ifname, "eth0");
	assert_string_equal(t.sources[1].ifname, "vethmclongA");
	assert_string_equal(t.sources[3].ifname, "vethmclongA");
	assert_string_equal(t.sources[4].ifname, "vethmclongA");
	assert_string_equal(t.sources[7].ifname, "eth1");
	mc_procnet_free(&t);
}

static void
test_procnet_empty(void **state)
{
	struct mc_procnet_table t = { 0 };

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp,
			     "igmp-empty", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp6,
			     "igmp6-empty", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter,
			     "mcfilter-empty", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter6,
			     "mcfilter6-empty", &t),
	    0);
	assert_int_equal(test_procnet_parse_str(mc_procnet_parse_igmp, "", &t),
	    0);
	assert_int_equal(test_procnet_parse_str(mc_procnet_parse_mcfilter, "",
			     &t),
	    0);
	assert_int_equal(t.ngroups, 0);
	assert_int_equal(t.nsources, 0);
	mc_procnet_free(&t);
}

/* A malformed file is refused and leaves what was there before. */
static void
test_procnet_bad_files(void **state)
{
	struct mc_procnet_table t = { 0 };

	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp6,
			     "igmp6", &t),
	    0);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter6,
			     "mcfilter6", &t),
	    0);
	assert_int_equal(t.ngroups, 16);
	assert_int_equal(t.nsources, 4);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp,
			     "igmp-bad", &t),
	    MC_E_PARSE);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_igmp6,
			     "igmp6-bad", &t),
	    MC_E_PARSE);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter,
			     "mcfilter-bad", &t),
	    MC_E_PARSE);
	assert_int_equal(test_procnet_parse_file(mc_procnet_parse_mcfilter6,
			     "mcfilter6-bad", &t),
	    MC_E_PARSE);
	assert_int_equal(t.ngroups, 16);
	assert_int_equal(t.nsources, 4);
	assert_string_equal(t.groups[15].ifname, "eth1");
	mc_procnet_free(&t);
}

#define TEST_PROCNET_IGMP_HDR \
	"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
#define TEST_PROCNET_MCF_HDR "Idx Device        MCA        SRC    INC    EXC\n"
#define TEST_PROCNET_MCF6_HDR                                            \
	"Idx Device                Multicast Address                   " \
	"Source Address    INC    EXC\n"

static void
test_procnet_bad_lines(void **state)
{
	static const char *const igmp[] = {
		/* no header */
		"1\tlo        :     1      V3\n",
		/* a group before any interface */
		TEST_PROCNET_IGMP_HDR
		"\t\t\t\t010000E0     1 0:00000000\t\t0\n",
		/* querier V4 */
		TEST_PROCNET_IGMP_HDR "1\tlo        :     1      V4\n",
		/* no colon after the name */
		TEST_PROCNET_IGMP_HDR "1\tlo             1      V3\n",
		/* 7 hex digits */
		TEST_PROCNET_IGMP_HDR "1\tlo        :     1      V3\n"
				      "\t\t\t\t10000E0     1 0:00000000\t\t0\n",
		/* cut in the middle of the timer, no newline */
		TEST_PROCNET_IGMP_HDR "1\tlo        :     1      V3\n"
				      "\t\t\t\t010000E0     1 0:",
		/* timer running 2 */
		TEST_PROCNET_IGMP_HDR
		"1\tlo        :     1      V3\n"
		"\t\t\t\t010000E0     1 2:00000000\t\t0\n",
		/* trailing field */
		TEST_PROCNET_IGMP_HDR
		"1\tlo        :     1      V3\n"
		"\t\t\t\t010000E0     1 0:00000000\t\t0 7\n",
		/* a name of 16 characters */
		TEST_PROCNET_IGMP_HDR "1\tabcdefghijklmnop:     1      V3\n",
		/* users beyond unsigned */
		TEST_PROCNET_IGMP_HDR
		"1\tlo        :     1      V3\n"
		"\t\t\t\t010000E0 99999999999 0:00000000\t\t0\n",
		/* an empty line */
		TEST_PROCNET_IGMP_HDR "\n",
	};
	static const char *const igmp6[] = {
		"1    lo\n",
		"1    lo              ff020000000000000000000000000001     1 "
		"0000000C\n",
		"1    lo              ff02000000000000000000000000000g     1 "
		"0000000C 0\n",
		"1    lo              ff020000000000000000000000000001     -1 "
		"0000000C 0\n",
		"x    lo              ff020000000000000000000000000001     1 "
		"0000000C 0\n",
	};
	static const char *const mcf[] = {
		"Idx Dev\n  2 eth0 0xef010203 0xc6120102 1 0\n",
		TEST_PROCNET_MCF_HDR "  2 eth0 0xef010203 0xc6120102 1\n",
		TEST_PROCNET_MCF_HDR "  2 eth0 0xef0102030 0xc6120102 1 0\n",
		TEST_PROCNET_MCF_HDR "  2 eth0 0Xef010203 0xc6120102 1 0\n",
		/* longer than %6.6s can print */
		TEST_PROCNET_MCF_HDR "  2 vethmcl 0xef010203 0xc6120102 1 0\n",
	};
	static const char *const mcf6[] = {
		TEST_PROCNET_MCF6_HDR
		"  3 vethmc ff3e0000000000000000000000001234"
		" 20010db8000000000000000000000005      1      0 x\n",
		TEST_PROCNET_MCF6_HDR
		"  3 vethmc ff3e0000000000000000000000001234\n",
		TEST_PROCNET_MCF6_HDR "  3 vethmc ff3e::1234 2001:db8::5 1 0\n",
	};
	struct mc_procnet_table t = { 0 };
	size_t i;

	for (i = 0; i < sizeof(igmp) / sizeof(igmp[0]); i++) {
		if (test_procnet_parse_str(mc_procnet_parse_igmp, igmp[i],
			&t) != MC_E_PARSE)
			fail_msg("igmp case %zu accepted", i);
	}
	for (i = 0; i < sizeof(igmp6) / sizeof(igmp6[0]); i++) {
		if (test_procnet_parse_str(mc_procnet_parse_igmp6, igmp6[i],
			&t) != MC_E_PARSE)
			fail_msg("igmp6 case %zu accepted", i);
	}
	for (i = 0; i < sizeof(mcf) / sizeof(mcf[0]); i++) {
		if (test_procnet_parse_str(mc_procnet_parse_mcfilter, mcf[i],
			&t) != MC_E_PARSE)
			fail_msg("mcfilter case %zu accepted", i);
	}
	for (i = 0; i < sizeof(mcf6) / sizeof(mcf6[0]); i++) {
		if (test_procnet_parse_str(mc_procnet_parse_mcfilter6, mcf6[i],
			&t) != MC_E_PARSE)
			fail_msg("mcfilter6 case %zu accepted", i);
	}
	assert_int_equal(t.ngroups, 0);
	assert_int_equal(t.nsources, 0);
	mc_procnet_free(&t);
}

/* Lines the kernel can print that are easy to get wrong. */
static void
test_procnet_edge_lines(void **state)
{
	struct mc_procnet_table t = { 0 };

	/* no final newline; querier NONE; a 64-bit timer; long name */
	assert_int_equal(test_procnet_parse_str(mc_procnet_parse_igmp,
			     TEST_PROCNET_IGMP_HDR
			     "7\tabcdefghijklmno:     1    NONE\n"
			     "\t\t\t\t010000E0     3 1:1234567890ABCDEF\t\t1",
			     &t),
	    0);
	assert_int_equal(t.ngroups, 1);
	assert_string_equal(t.groups[0].ifname, "abcdefghijklmno");
	assert_int_equal(t.groups[0].querier_version, 0);
	assert_int_equal(t.groups[0].users, 3);
	assert_true(t.groups[0].timer_running);
	if (sizeof(unsigned long) == 8)
		assert_true(t.groups[0].timer_ticks == 0x1234567890ABCDEFUL);
	assert_true(t.groups[0].reporter);
	/* an expiry just passed prints a negative %ld */
	assert_int_equal(
	    test_procnet_parse_str(mc_procnet_parse_igmp6,
		"9    e               ff020000000000000000000000000002     1 "
		"00000005 -1\n",
		&t),
	    0);
	assert_int_equal(t.ngroups, 2);
	assert_true(t.groups[1].timer_running);
	assert_int_equal(t.groups[1].timer_ticks, 0);
	/* many lines: the arrays grow past several reallocations */
	{
		char *big, *p;
		size_t i, n = 1000, len = 80 * n + 1;

		big = p = malloc(len);
		assert_non_null(big);
		for (i = 0; i < n; i++)
			p += sprintf(p, "%-4zu %-15s %032zx %5d %08X %ld\n",
			    i + 1, "x", i, 1, 4, 0L);
		assert_int_equal(mc_procnet_parse_igmp6(big, &t), 0);
		free(big);
		assert_int_equal(t.ngroups, 2 + n);
		assert_int_equal(t.groups[2 + n - 1].ifindex, n);
		assert_int_equal(t.groups[2 + n - 1].group.u.v6.s6_addr[15],
		    (n - 1) & 0xff);
	}
	mc_procnet_free(&t);
}

static void
test_procnet_read_file_missing(void **state)
{
	char *text = NULL;

	assert_int_equal(mc_procnet_read_file("/nonexistent/mcast/procnet",
			     &text),
	    -ENOENT);
	assert_null(text);
}

/* The kernel puts every IPv4 interface in 224.0.0.1 (all systems). */
static void
test_procnet_live(void **state)
{
	struct mc_procnet_table t = { 0 };
	struct mc_ip all_systems;
	size_t i, j, nv4 = 0;
	bool found;

	if (access("/proc/net/igmp", R_OK) != 0)
		skip();
	assert_int_equal(mc_procnet_read_all(&t), 0);
	assert_int_equal(mc_ip_parse("224.0.0.1", &all_systems), 0);
	for (i = 0; i < t.ngroups; i++) {
		if (t.groups[i].group.family != AF_INET)
			continue;
		nv4++;
		assert_true(t.groups[i].querier_version >= 1 &&
		    t.groups[i].querier_version <= 3);
		found = false;
		for (j = 0; j < t.ngroups; j++) {
			if (t.groups[j].ifindex == t.groups[i].ifindex &&
			    mc_ip_equal(&t.groups[j].group, &all_systems))
				found = true;
		}
		if (!found)
			fail_msg("%s has IPv4 groups but not 224.0.0.1",
			    t.groups[i].ifname);
	}
	mc_procnet_free(&t);
	if (nv4 == 0)
		skip();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_procnet_igmp),
		cmocka_unit_test(test_procnet_igmp6),
		cmocka_unit_test(test_procnet_mcfilter),
		cmocka_unit_test(test_procnet_mcfilter6),
		cmocka_unit_test(test_procnet_mcfilter_full_name),
		cmocka_unit_test(test_procnet_empty),
		cmocka_unit_test(test_procnet_bad_files),
		cmocka_unit_test(test_procnet_bad_lines),
		cmocka_unit_test(test_procnet_edge_lines),
		cmocka_unit_test(test_procnet_read_file_missing),
		cmocka_unit_test(test_procnet_live),
	};
	const char *env, *slash;
	char dir[PATH_MAX];

	/* build/test/test_procnet -> test/fixtures/procnet, from anywhere */
	if ((env = getenv("MCAST_FIXTURES")) != NULL) {
		snprintf(test_procnet_dir, sizeof(test_procnet_dir),
		    "%s/procnet", env);
	} else if ((slash = strrchr(argv[0], '/')) != NULL) {
		snprintf(dir, sizeof(dir), "%.*s/../../test/fixtures/procnet",
		    (int)(slash - argv[0]), argv[0]);
		if (access(dir, R_OK) == 0)
			memcpy(test_procnet_dir, dir, sizeof(dir));
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
