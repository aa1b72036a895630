/*
 * tools/querier.c: which links of a source-specific join have an IGMPv1/v2
 * querier, from the text of /proc/net/igmp, and the warning for each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mcast/mcast.h>

#include "querier.h"

/* 239.1.2.3 on eth0 (V3) and veth1 (V2), 232.1.1.1 on veth1, 239.5.5.5 on
 * eth1 (V1): as a little-endian host prints the raw __be32. */
static const char test_igmp[] =
    "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
    "1\tlo        :     1      V3\n"
    "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
    "2\teth0      :     2      V3\n"
    "\t\t\t\t030201EF     1 0:00000000\t\t0\n"
    "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
    "3\tveth1     :     3      V2\n"
    "\t\t\t\t030201EF     1 1:00000108\t\t1\n"
    "\t\t\t\t010101E8     1 0:00000000\t\t1\n"
    "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
    "4\teth1      :     2      V1\n"
    "\t\t\t\t050505EF     1 0:00000000\t\t1\n"
    "\t\t\t\t010000E0     1 0:00000000\t\t0\n";

static void
test_watch(struct ssm_watch *w, unsigned ifindex, const char *group,
    const char *source)
{
	struct mc_ip g, s;

	assert_int_equal(mc_ip_parse(source, &s), 0);
	ssm_watch_init(w, ifindex, &s, 1);
	assert_int_equal(mc_ip_parse(group, &g), 0);
	ssm_watch_add_group(w, &g);
}

static void
test_querier_v2_link(void **state)
{
	struct ssm_watch w;

	test_watch(&w, 0, "232.1.1.1", "198.18.1.3");
	assert_true(w.active);
	assert_int_equal(ssm_watch_update(&w, test_igmp), 1);
	assert_int_equal(w.nlinks, 1);
	assert_string_equal(w.links[0].ifname, "veth1");
	assert_int_equal(w.links[0].ifindex, 3);
	assert_int_equal(w.links[0].querier_version, 2);
	assert_string_equal(w.links[0].text,
	    "veth1: the querier on this link speaks IGMPv2 (the kernel fell "
	    "back to it, /proc/net/igmp), which cannot carry sources: a "
	    "source-specific join cannot be heard there; routers will not "
	    "forward 198.18.1.3 -> 232.1.1.1 unless they have a static route "
	    "for it");
	/* Once per link. */
	assert_int_equal(ssm_watch_update(&w, test_igmp), 0);
	assert_int_equal(w.nlinks, 1);
}

static void
test_querier_links(void **state)
{
	struct ssm_watch w;
	struct mc_ip g;

	/* 239.1.2.3 is on eth0 (v3: fine) and veth1 (v2). */
	test_watch(&w, 0, "239.1.2.3", "198.18.1.3");
	assert_int_equal(ssm_watch_update(&w, test_igmp), 1);
	assert_string_equal(w.links[0].ifname, "veth1");
	assert_non_null(strstr(w.links[0].text,
	    "; routers hear a join of 239.1.2.3 from any source, and this "
	    "host drops all but 198.18.1.3"));
	/* -i eth0: only eth0 is looked at. */
	test_watch(&w, 2, "239.1.2.3", "198.18.1.3");
	assert_int_equal(ssm_watch_update(&w, test_igmp), 0);
	/* A v1 querier, and a second group: "the other (S,G)". */
	test_watch(&w, 0, "239.5.5.5", "198.18.1.3");
	assert_int_equal(mc_ip_parse("239.9.9.9", &g), 0);
	ssm_watch_add_group(&w, &g);
	assert_int_equal(ssm_watch_update(&w, test_igmp), 1);
	assert_string_equal(w.links[0].ifname, "eth1");
	assert_int_equal(w.links[0].querier_version, 1);
	assert_non_null(strstr(w.links[0].text, "speaks IGMPv1 "));
	assert_non_null(strstr(w.links[0].text, "(and the other sources "));
}

static void
test_querier_nothing_to_watch(void **state)
{
	struct ssm_watch w;
	struct mc_ip g;

	/* No source: an any-source join needs no v3 querier. */
	ssm_watch_init(&w, 0, NULL, 0);
	assert_int_equal(mc_ip_parse("232.1.1.1", &g), 0);
	ssm_watch_add_group(&w, &g);
	assert_false(w.active);
	assert_int_equal(ssm_watch_update(&w, test_igmp), 0);
	/* IPv6: the kernel shows no MLDv1 fallback. */
	test_watch(&w, 0, "ff3e::1", "2001:db8::1");
	assert_false(w.active);
	/* A file we do not understand. */
	test_watch(&w, 0, "232.1.1.1", "198.18.1.3");
	assert_int_equal(ssm_watch_update(&w, "Idx\tDevice\nnonsense\n"),
	    MC_E_PARSE);
	assert_int_equal(w.nlinks, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_querier_v2_link),
		cmocka_unit_test(test_querier_links),
		cmocka_unit_test(test_querier_nothing_to_watch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
