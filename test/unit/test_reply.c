/*
 * mcastctl's reading of mcastd's answers (ctl/reply.c): records, END,
 * escapes, the exact tables and the exact JSON.  "fuzz:" marks what
 * fuzz/fuzz_reply.c found; "was:" bugs fixed while it was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply.h"

/* Parse text (a copy), print it as JSON or tables, compare with want. */
static void
test_reply_prints(const char *text, bool json, const char *want)
{
	char *copy = strdup(text), *out = NULL;
	size_t len = 0;
	struct reply r;
	FILE *f;

	assert_non_null(copy);
	assert_int_equal(reply_parse(copy, &r), 0);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	if (json)
		reply_print_json(f, &r);
	else
		reply_print_tables(f, &r);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, want);
	free(out);
	reply_free(&r);
	free(copy);
}

static void
test_records_and_end(void **state)
{
	char text[] = "group\tinterface=eth1\tgroup=239.1.2.3\tsources=-\n"
	    "group\tinterface=eth2\tgroup=239.5.5.5\n"
	    "end\tstatus=0\tmessage=ok\n";
	struct reply r;

	assert_int_equal(reply_parse(text, &r), 0);
	assert_int_equal(r.nrecords, 2);
	assert_true(r.ended);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.message, "ok");
	assert_string_equal(r.records[1].type, "group");
	assert_string_equal(reply_get(&r.records[1], "group"), "239.5.5.5");
	assert_null(reply_get(&r.records[1], "sources"));
	reply_free(&r);
}

static void
test_no_end_and_status(void **state)
{
	char none[] = "group\tgroup=239.1.2.3\n", wraps[] = "end\tstatus=256\n",
	    text[] = "end\tstatus=ok\n", two[] = "end\tstatus=2\tmessage=x\n";
	struct reply r;

	assert_int_equal(reply_parse(none, &r), 0);
	assert_false(r.ended);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.message, "no END record from mcastd");
	reply_free(&r);
	/* was: 256 became exit status 0, success. */
	assert_int_equal(reply_parse(wraps, &r), 0);
	assert_int_equal(r.status, 1);
	reply_free(&r);
	assert_int_equal(reply_parse(text, &r), 0);
	assert_int_equal(r.status, 1);
	assert_null(r.message);
	reply_free(&r);
	assert_int_equal(reply_parse(two, &r), 0);
	assert_int_equal(r.status, 2);
	reply_free(&r);
}

static void
test_escapes_and_odd_fields(void **state)
{
	char text[] = "route\tfrom=a\\tb\tto=c\\nd\\\\e\\\t\tnoequals\tk=\n"
	    "\n\t\nend\tstatus=0\n";
	struct reply r;

	assert_int_equal(reply_parse(text, &r), 0);
	assert_int_equal(r.nrecords, 1);
	assert_int_equal(r.records[0].nfields, 3);
	assert_string_equal(reply_get(&r.records[0], "from"), "a\tb");
	assert_string_equal(reply_get(&r.records[0], "to"), "c\nd\\e\\");
	assert_string_equal(reply_get(&r.records[0], "k"), "");
	reply_free(&r);
}

/* was: a key given twice made a JSON object with a key twice. */
static void
test_key_twice_and_too_many(void **state)
{
	char text[1024] = "stat\tname=a\tname=b\tvalue=1\nbig";
	struct reply r;
	size_t off = strlen(text);
	int i;

	for (i = 0; i < REPLY_MAX_FIELDS + 2; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "\tk%d=%d", i, i);
	assert_int_equal(reply_parse(text, &r), 0);
	assert_string_equal(reply_get(&r.records[0], "name"), "a");
	assert_int_equal(r.records[0].nfields, 2);
	assert_int_equal(r.records[1].nfields, REPLY_MAX_FIELDS);
	assert_int_equal(r.dropped_fields, 3);
	reply_free(&r);
}

static void
test_tables(void **state)
{
	test_reply_prints("group\tinterface=eth1\tgroup=239.1.2.3\tmode=EXCLUDE"
	    "\ngroup\tinterface=eth10\tgroup=232.1.1.1\tmode=\n"
	    "stat\tname=igmp.rx\tvalue=12\nend\tstatus=0\tmessage=ok\n", false,
	    "INTERFACE  GROUP      MODE\n"
	    "eth1       239.1.2.3  EXCLUDE\n"
	    "eth10      232.1.1.1  -\n"
	    "\n"
	    "NAME     VALUE\n"
	    "igmp.rx  12\n");
}

/* was: control characters went to the terminal as they came. */
static void
test_tables_control_characters(void **state)
{
	test_reply_prints("interface\tname=\033]0;owned\a\tvif=a\\tb\n"
	    "end\tstatus=0\n", false,
	    "NAME              VIF\n"
	    "\\x1b]0;owned\\x07  a\\tb\n");
}

/* was: types that came back later gave a second table and JSON key. */
static void
test_types_grouped(void **state)
{
	const char *text = "group\tg=1\nroute\tr=1\ngroup\tg=2\n"
	    "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true, "{\"group\":[{\"g\":1},{\"g\":2}],"
	    "\"route\":[{\"r\":1}],\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false, "G\n1\n2\n\nR\n1\n");
}

/* was: JSON took inf, nan, -0x5 and " 5" for numbers. */
static void
test_json_numbers(void **state)
{
	test_reply_prints("stat\ta=inf\tb=nan\tc=1e5\td=-0x5\te=007\tf=-0\t"
	    "g=1.\th=.5\ti=+1\tj=true\tk=null\tl= 5\tm=0.50\tn=-1.5E-3\n"
	    "end\tstatus=0\tmessage=ok\n", true,
	    "{\"stat\":[{\"a\":\"inf\",\"b\":\"nan\",\"c\":1e5,\"d\":\"-0x5\","
	    "\"e\":\"007\",\"f\":-0,\"g\":\"1.\",\"h\":\".5\",\"i\":\"+1\","
	    "\"j\":true,\"k\":\"null\",\"l\":\" 5\",\"m\":0.50,"
	    "\"n\":-1.5E-3}],\"status\":0,\"message\":\"ok\"}\n");
}

/* was: a record type "status" (show status) clashed with END's status. */
static void
test_json_type_clash(void **state)
{
	test_reply_prints("status\tx=1\nmessage\tx=2\n_status\tx=3\n"
	    "end\tstatus=0\tmessage=ok\n", true,
	    "{\"_status\":[{\"x\":1}],\"_message\":[{\"x\":2}],"
	    "\"__status\":[{\"x\":3}],\"status\":0,\"message\":\"ok\"}\n");
}

/*
 * fuzz: two types that differ in bytes that are not UTF-8 were both
 * printed as U+FFFD, one key twice.  Now each such byte is \udcXX.
 */
static void
test_json_not_utf8(void **state)
{
	test_reply_prints("$\x99\x99\x99\x99\tk=\xc3\xa9\n"
	    "$\x99\x99\xff\x9e\tk=\xed\xa0\x80\xe2\x82\xac\"\\\\\001\n"
	    "end\tstatus=0\tmessage=\xf4\x90\x80\x80\n", true,
	    "{\"$\\udc99\\udc99\\udc99\\udc99\":[{\"k\":\"\xc3\xa9\"}],"
	    "\"$\\udc99\\udc99\\udcff\\udc9e\":[{\"k\":\"\\udced\\udca0"
	    "\\udc80\xe2\x82\xac\\\"\\\\\\u0001\"}],\"status\":0,"
	    "\"message\":\"\\udcf4\\udc90\\udc80\\udc80\"}\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_and_end),
		cmocka_unit_test(test_no_end_and_status),
		cmocka_unit_test(test_escapes_and_odd_fields),
		cmocka_unit_test(test_key_twice_and_too_many),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_tables_control_characters),
		cmocka_unit_test(test_types_grouped),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_json_type_clash),
		cmocka_unit_test(test_json_not_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
