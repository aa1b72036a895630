/*
 * mcastd's side of the control protocol without a socket: framing and
 * splitting a request (daemon/control.c), encoding a reply, and the
 * arguments of add/del mroute and join/leave (daemon/request.c).  The
 * cases marked "was:" are bugs fixed while fuzz/fuzz_control.c was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include "mcastd.h"
#include "request.h"

#define TEST_MSG_UNSET '\x01'

static void
test_framing(void **state)
{
	char big[CONTROL_MAX_REQUEST];

	assert_int_equal(control_request_length("show groups\nrest", 16), 11);
	assert_int_equal(control_request_length("show gr", 7),
	    CONTROL_INCOMPLETE);
	memset(big, 'a', sizeof(big));
	assert_int_equal(control_request_length(big, CONTROL_MAX_REQUEST - 2),
	    CONTROL_INCOMPLETE);
	assert_int_equal(control_request_length(big, CONTROL_MAX_REQUEST - 1),
	    CONTROL_TOO_LONG);
	big[CONTROL_MAX_REQUEST - 2] = '\n';
	assert_int_equal(control_request_length(big, CONTROL_MAX_REQUEST - 1),
	    CONTROL_MAX_REQUEST - 2);
}

static int
test_parse(const char *text, char *buf, char **argv)
{
	size_t len = strlen(text);

	memcpy(buf, text, len + 1);
	return control_parse_request(buf, len, argv, CONTROL_MAX_ARGS);
}

static void
test_split(void **state)
{
	char buf[CONTROL_MAX_REQUEST], line[CONTROL_MAX_REQUEST];
	char *argv[CONTROL_MAX_ARGS];
	size_t off = 0;
	int i;

	assert_int_equal(test_parse("\tshow\tgroups \r", buf, argv), 2);
	assert_string_equal(argv[0], "show");
	assert_string_equal(argv[1], "groups");
	assert_int_equal(test_parse(" \t ", buf, argv), 0);
	assert_int_equal(test_parse("show\001groups", buf, argv),
	    CONTROL_NOT_TEXT);
	assert_int_equal(test_parse("show\x7f", buf, argv), CONTROL_NOT_TEXT);
	/* was: words past the limit were dropped without a word said. */
	for (i = 0; i < CONTROL_MAX_ARGS; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "w ");
	assert_int_equal(test_parse(line, buf, argv), CONTROL_MAX_ARGS);
	snprintf(line + off, sizeof(line) - off, "one-too-many");
	assert_int_equal(test_parse(line, buf, argv), CONTROL_TOO_MANY_WORDS);
	/* add mroute with a source and CONF_MAX_OIFS oifs fits. */
	assert_true(8 + CONF_MAX_OIFS <= CONTROL_MAX_ARGS);
}

/* The reply built so far is exactly want; freed. */
static void
test_wire(struct control_reply *r, const char *want)
{
	assert_false(r->overflow);
	assert_int_equal(r->len, strlen(want));
	assert_memory_equal(r->buf, want, r->len);
	free(r->buf);
}

/* was: a value over 1023 bytes was cut short without a mark. */
static void
test_long_value_whole(void **state)
{
	struct control_reply r = { .buf = NULL };
	char value[3000], want[3100];

	memset(value, 'x', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	control_record(&r, "group");
	control_field(&r, "sources", "%s", value);
	control_end(&r, 0, "ok");
	snprintf(want, sizeof(want),
	    "group\tsources=%s\nend\tstatus=0\t"
	    "message=ok\n",
	    value);
	test_wire(&r, want);
}

static void
test_escapes(void **state)
{
	struct control_reply r = { .buf = NULL };
	const char want[] = "x\tv=a\\tb\\nc\\\\d\nend\tstatus=2\t"
			    "message=bad\\tword\n";

	control_record(&r, "x");
	control_field(&r, "v", "%s", "a\tb\nc\\d");
	control_end(&r, 2, "bad\t%s", "word");
	test_wire(&r, want);
}

static void
test_typed_fields(void **state)
{
	struct control_reply r = { .buf = NULL };

	control_record(&r, "stat");
	control_field(&r, "name", "%s", "igmp.rx");
	control_num(&r, "value", "%llu", 18446744073709551615ull);
	control_num(&r, "expires", "%.1f", 206.04);
	control_bool(&r, "querier", true);
	control_bool(&r, "static", false);
	control_null(&r, "note");
	control_field(&r, "from", "%s", "");
	control_end(&r, 0, "ok");
	test_wire(&r,
	    "stat\tname=igmp.rx\tvalue#=18446744073709551615\t"
	    "expires#=206.0\tquerier?=true\tstatic?=false\tnote=\tfrom=\n"
	    "end\tstatus=0\tmessage=ok\n");
}

/* Lists of strings: escapes per item; 0x1f and control characters '?'. */
static void
test_string_lists(void **state)
{
	struct control_reply r = { .buf = NULL };

	control_record(&r, "group");
	control_list_begin(&r, "none");
	control_list_end(&r);
	control_list_begin(&r, "one");
	control_list_add(&r, "%s", "198.18.1.2");
	control_list_end(&r);
	control_list_begin(&r, "several");
	control_list_add(&r, "a\tb");
	control_list_add(&r, "%s", "c\nd\\e");
	control_list_add(&r, "%s", "f\x1fg\x01h\x7fi\rj");
	control_list_add(&r, "%s", "");
	/* The next field ends the list; an item after it goes nowhere. */
	control_num(&r, "n", "%d", 4);
	control_list_add(&r, "lost");
	control_end(&r, 0, "ok");
	test_wire(&r,
	    "group\tnone[]=\tone[]=198.18.1.2\tseveral[]=a\\tb\x1f"
	    "c\\nd\\\\e\x1f"
	    "f?g?h?i?j\x1f\tn#=4\nend\tstatus=0\t"
	    "message=ok\n");
}

/* Lists of objects: items follow their parent as PARENT.KEY records. */
static void
test_items(void **state)
{
	struct control_reply r = { .buf = NULL };

	control_record(&r, "mfc");
	control_field(&r, "group", "239.1.2.3");
	control_items(&r, "oifs");
	control_item(&r, "oifs");
	control_field(&r, "interface", "eth1");
	control_num(&r, "ttl", "%u", 1u);
	control_list_begin(&r, "why");
	control_list_add(&r, "igmp");
	control_list_end(&r);
	control_item(&r, "oifs");
	control_field(&r, "interface", "eth2");
	control_num(&r, "ttl", "%u", 16u);
	control_list_begin(&r, "why");
	control_list_add(&r, "route");
	control_list_add(&r, "join");
	control_record(&r, "mfc");
	control_field(&r, "group", "239.5.5.5");
	control_items(&r, "oifs");
	control_items(&r, "cut");
	control_item(&r, "cut");
	control_bool(&r, "boundary", true);
	control_end(&r, 0, "ok");
	test_wire(&r,
	    "mfc\tgroup=239.1.2.3\toifs[]=\n"
	    "mfc.oifs\tinterface=eth1\tttl#=1\twhy[]=igmp\n"
	    "mfc.oifs\tinterface=eth2\tttl#=16\twhy[]=route\x1fjoin\n"
	    "mfc\tgroup=239.5.5.5\toifs[]=\tcut[]=\n"
	    "mfc.cut\tboundary?=true\n"
	    "end\tstatus=0\tmessage=ok\n");
}

/* Runs request_parse_route on a line of words; msg filled beforehand. */
static int
test_route(const char *text, bool add, struct conf_mroute *m, char *msg,
    size_t len)
{
	char buf[CONTROL_MAX_REQUEST], *argv[CONTROL_MAX_ARGS];
	int argc = test_parse(text, buf, argv);

	assert_true(argc >= 0);
	memset(msg, TEST_MSG_UNSET, len);
	return request_parse_route(argc, argv, add, m, msg, len);
}

static void
test_route_fails(const char *text, bool add, const char *want)
{
	struct conf_mroute m;
	char msg[512];

	assert_int_equal(test_route(text, add, &m, msg, sizeof(msg)), -1);
	assert_non_null(memchr(msg, '\0', sizeof(msg)));
	assert_string_equal(msg, want);
}

static void
test_route_good(void **state)
{
	struct conf_mroute m;
	char msg[512];

	assert_int_equal(test_route("from eth0 source 198.18.1.2 group "
				    "239.1.1.1 to eth1 eth2",
			     true, &m, msg, sizeof(msg)),
	    0);
	assert_string_equal(m.iif, "eth0");
	assert_true(m.has_source);
	assert_int_equal(ntohl(m.source.s_addr), 0xc6120102);
	assert_int_equal(ntohl(m.group.s_addr), 0xef010101);
	assert_int_equal(m.noifs, 2);
	assert_string_equal(m.oifs[0], "eth1");
	assert_string_equal(m.oifs[1], "eth2");
	assert_int_equal(m.line, 0);
	assert_int_equal(test_route("from eth0 group 239.1.1.1", false, &m, msg,
			     sizeof(msg)),
	    0);
	assert_false(m.has_source);
	assert_int_equal(m.noifs, 0);
}

/* was: del mroute with words after the group sent an unset message. */
static void
test_route_trailing_words(void **state)
{
	test_route_fails("from eth0 group 239.1.1.1 to eth1", false,
	    "expected: from IF [source S] group G[/LEN]");
	test_route_fails("from eth0 source 198.18.1.2 group 239.1.1.1 x", false,
	    "expected: from IF [source S] group G[/LEN]");
}

/* was: add mroute took what mcastd.conf refuses; now the same rules. */
static void
test_route_conf_rules(void **state)
{
	char line[1024];
	size_t off;
	int i;

	test_route_fails("from eth0 group 224.0.0.5 to eth1", true,
	    "224.0.0.5 is in 224.0.0.0/24, which is never forwarded "
	    "(RFC 5771): expected a group outside it");
	test_route_fails("from eth0 group 239.1.1.1 to eth1 eth0", true,
	    "to: eth0 is the incoming interface: expected outgoing "
	    "interfaces other than 'from eth0'");
	test_route_fails("from eth0 group 239.1.1.1 to eth1 eth1", true,
	    "to: eth1 given twice: expected each interface once");
	test_route_fails("from eth0 source 239.2.2.2 group 239.1.1.1 to eth1",
	    true,
	    "source 239.2.2.2 is a multicast address: expected a "
	    "unicast address");
	/* Ranges and wildcards: add and del alike. */
	test_route_fails("from eth0 source 198.18.1.2 group 239.1.0.0/16",
	    false,
	    "group: 239.1.0.0/16 is a range: expected one group after "
	    "'source' (ranges are for (*,G) routes)");
	test_route_fails("from eth+ source 198.18.1.2 group 239.1.1.1 to eth1",
	    true,
	    "from: eth+ is a wildcard: expected the one interface a "
	    "source-specific route comes in by");
	test_route_fails("from eth0 group 239.1.1.1/8 to eth1", true,
	    "239.1.1.1/8 has host bits set: expected 239.0.0.0/8");
	test_route_fails("from eth0 group 224.0.0.0/25", false,
	    "224.0.0.0/25 is in 224.0.0.0/24, which is never forwarded "
	    "(RFC 5771): expected a range outside it");
	test_route_fails("from eth0 group 239.1.1.1 to eth1;phyint", true,
	    "'eth1;phyint' contains ';': expected words without # ; { } or "
	    "\\, as in mcastd.conf");
	off = (size_t)snprintf(line, sizeof(line),
	    "from eth0 group 239.1.1.1 to");
	for (i = 0; i <= CONF_MAX_OIFS; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " e%d",
		    i);
	test_route_fails(line, true,
	    "to: e32 is one too many: expected at "
	    "most 32 outgoing interfaces");
}

/* was: interface names over 15 characters were cut to 15. */
static void
test_long_names(void **state)
{
	struct router_static_group j;
	char msg[512], buf[128], *argv[4];

	test_route_fails("from averyveryverylongname0 group 239.1.1.1", false,
	    "from: interface name 'averyveryverylongname0' is 22 characters "
	    "long: expected at most 15");
	test_route_fails("from eth0 group 239.1.1.1 to averyveryverylongname0",
	    true,
	    "to: interface name 'averyveryverylongname0' is 22 "
	    "characters long: expected at most 15");
	snprintf(buf, sizeof(buf), "averyveryverylongname0 239.1.2.3");
	assert_int_equal(control_parse_request(buf, strlen(buf), argv, 4), 2);
	assert_int_equal(request_parse_join(2, argv, NULL, &j, msg,
			     sizeof(msg)),
	    -1);
	assert_string_equal(msg,
	    "leave: interface name 'averyveryverylongname0' "
	    "is 22 characters long: expected at most 15");
}

/* Runs request_parse_join (a join with igmp, a leave without). */
static int
test_join_words(const char *text, const struct igmp_router_config *igmp,
    struct router_static_group *j, char *msg, size_t len)
{
	char buf[128], *argv[8];
	int argc;

	snprintf(buf, sizeof(buf), "%s", text);
	argc = control_parse_request(buf, strlen(buf), argv, 8);
	memset(msg, TEST_MSG_UNSET, len);
	return request_parse_join(argc, argv, igmp, j, msg, len);
}

static void
test_join(void **state)
{
	struct router_static_group j;
	struct igmp_router_config igmp;
	char msg[512];

	igmp_router_config_defaults(&igmp);
	assert_int_equal(test_join_words("eth1 232.1.1.1 source 198.18.1.2",
			     &igmp, &j, msg, sizeof(msg)),
	    0);
	assert_string_equal(j.ifname, "eth1");
	assert_true(j.has_source);
	assert_int_equal(ntohl(j.group.s_addr), 0xe8010101);
	assert_int_equal(test_join_words("eth1 10.1.2.3", &igmp, &j, msg,
			     sizeof(msg)),
	    -1);
	assert_string_equal(msg,
	    "10.1.2.3 is not a multicast group: expected an address within "
	    "224.0.0.0/4");
	assert_int_equal(test_join_words("eth1 239.1.1.1 from 198.18.1.2",
			     &igmp, &j, msg, sizeof(msg)),
	    -1);
	assert_string_equal(msg, "expected: IF GROUP [source S]");
}

/*
 * was: join took what a static-group of mcastd.conf refuses (224.0.0.x,
 * an any-source group in the SSM range); now the file's own messages.
 */
static void
test_join_conf_rules(void **state)
{
	struct router_static_group j;
	struct igmp_router_config igmp;
	struct conf c;
	struct conf_error e;
	char msg[512];
	static const char ssm[] = "phyint eth2 static-group 232.1.1.1\n";
	static const char local[] = "phyint eth2 static-group 224.0.0.5\n";

	igmp_router_config_defaults(&igmp);
	assert_int_equal(test_join_words("eth2 224.0.0.5", &igmp, &j, msg,
			     sizeof(msg)),
	    -1);
	assert_int_equal(conf_parse(local, sizeof(local) - 1, "t", &c, &e), -1);
	assert_string_equal(msg, e.message);
	assert_string_equal(msg,
	    "224.0.0.5 is in 224.0.0.0/24, which is never forwarded "
	    "(RFC 5771): expected a group outside it");
	assert_int_equal(test_join_words("eth2 232.1.1.1", &igmp, &j, msg,
			     sizeof(msg)),
	    -1);
	assert_string_equal(msg,
	    "join 232.1.1.1 is in the SSM range 232.0.0.0/8 (RFC 4604): "
	    "expected 'source S' after it, or another ssm-range");
	assert_int_equal(conf_parse(ssm, sizeof(ssm) - 1, "t", &c, &e), -1);
	assert_string_equal(e.message,
	    "static-group 232.1.1.1 is in the SSM range 232.0.0.0/8 (RFC "
	    "4604): expected 'source S' after it, or another ssm-range");
	/* The configured range, not 232/8: */
	igmp.ssm_prefix.s_addr = htonl(0xefff0000);
	igmp.ssm_prefix_len = 16;
	assert_int_equal(test_join_words("eth2 232.1.1.1", &igmp, &j, msg,
			     sizeof(msg)),
	    0);
	assert_int_equal(test_join_words("eth2 239.255.1.1", &igmp, &j, msg,
			     sizeof(msg)),
	    -1);
	/* A leave is not checked against the range (joined before it). */
	assert_int_equal(test_join_words("eth2 239.255.1.1", NULL, &j, msg,
			     sizeof(msg)),
	    0);
	/* Wildcards are for routes. */
	assert_int_equal(test_join_words("eth+ 239.1.1.1", &igmp, &j, msg,
			     sizeof(msg)),
	    -1);
	assert_string_equal(msg,
	    "join: 'eth+' ends in '+', a wildcard, which only the interfaces "
	    "of an mroute take: expected one interface name");
}

/* A reply of about 7 MB: its buffer grows to 8 MB (CONTROL_MAX_REPLY). */
static void
big_reply(void *arg, int argc, char **argv, struct control_reply *r)
{
	static char value[1000];
	int i;

	(void)arg;
	(void)argc;
	(void)argv;
	memset(value, 'v', sizeof(value) - 1);
	for (i = 0; i < 7000; i++) {
		control_record(r, "row");
		control_field(r, "v", "%s", value);
	}
	control_end(r, 0, "ok");
}

/*
 * Clients that ask for big replies and never read them: the daemon holds
 * at most 4 x 8 MB; the oldest answered clients go first (was: 64 x 8 MB).
 */
static void
test_replies_held_bounded(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fds[CONTROL_MAX_CLIENTS], cfd[8], nfd, i, j, err = 0;
	short ev[CONTROL_MAX_CLIENTS];
	struct control *c;
	char buf[16];

	(void)state;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/tmp/mcast-test-ctl.%d",
	    (int)getpid());
	c = control_open(sun.sun_path, (gid_t)-1, big_reply, NULL, &err);
	assert_non_null(c);
	for (i = 0; i < 8; i++) {
		cfd[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(cfd[i] >= 0);
		assert_int_equal(connect(cfd[i], (struct sockaddr *)&sun,
				     sizeof(sun)),
		    0);
		assert_int_equal(write(cfd[i], "show big\n", 9), 9);
		/* Accept it, then read and answer it (it never reads). */
		nfd = control_fds(c, fds, ev, CONTROL_MAX_CLIENTS);
		control_service(c, fds[0], POLLIN, 1000 + i);
		nfd = control_fds(c, fds, ev, CONTROL_MAX_CLIENTS);
		for (j = 1; j < nfd; j++)
			control_service(c, fds[j], POLLIN, 1000 + i);
	}
	assert_int_equal(control_stats(c)->requests, 8);
	assert_int_equal(control_stats(c)->clients_dropped, 4);
	/* The four oldest were closed: each reads its first bytes, then EOF. */
	for (i = 0; i < 4; i++) {
		while (read(cfd[i], buf, sizeof(buf)) > 0)
			;
		assert_int_equal(read(cfd[i], buf, sizeof(buf)), 0);
	}
	nfd = control_fds(c, fds, ev, CONTROL_MAX_CLIENTS);
	assert_int_equal(nfd, 1 + 4);
	for (i = 0; i < 8; i++)
		close(cfd[i]);
	control_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_long_value_whole),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_typed_fields),
		cmocka_unit_test(test_string_lists),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_route_good),
		cmocka_unit_test(test_route_trailing_words),
		cmocka_unit_test(test_route_conf_rules),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_conf_rules),
		cmocka_unit_test(test_replies_held_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
