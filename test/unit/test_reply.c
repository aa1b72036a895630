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
	char text[] = "group\tinterface=eth1\tgroup=239.1.2.3\tsources[]=\t"
		      "groups#=3\tstatic?=false\n"
		      "group\tinterface=eth2\tgroup=239.5.5.5\n"
		      "end\tstatus=0\tmessage=ok\n";
	const struct reply_field *f;
	struct reply r;

	assert_int_equal(reply_parse(text, &r), 0);
	assert_int_equal(r.nrecords, 2);
	f = reply_find(&r.records[0], "sources");
	assert_non_null(f);
	assert_int_equal(f->kind, REPLY_LIST);
	assert_string_equal(f->value, "");
	assert_int_equal(reply_find(&r.records[0], "interface")->kind,
	    REPLY_STRING);
	assert_int_equal(reply_find(&r.records[0], "groups")->kind,
	    REPLY_NUMBER);
	assert_string_equal(reply_get(&r.records[0], "groups"), "3");
	assert_int_equal(reply_find(&r.records[0], "static")->kind, REPLY_BOOL);
	assert_null(reply_find(&r.records[0], "groups#"));
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

/* Fields without '=' or with a key not [a-z0-9_]+ are counted, dropped. */
static void
test_escapes_and_odd_fields(void **state)
{
	char text[] = "route\tfrom=a\\tb\tto=c\\nd\\\\e\\\t\tnoequals\tk=\t"
		      "Up=1\ta-b=2\t=3\t#=4\tk2#?=5\tk3[]#=6\n"
		      "\n\t\nend\tstatus=0\n";
	struct reply r;

	assert_int_equal(reply_parse(text, &r), 0);
	assert_int_equal(r.nrecords, 1);
	assert_int_equal(r.records[0].nfields, 3);
	assert_int_equal(r.dropped_fields, 7);
	assert_string_equal(reply_get(&r.records[0], "from"), "a\tb");
	assert_string_equal(reply_get(&r.records[0], "to"), "c\nd\\e\\");
	assert_string_equal(reply_get(&r.records[0], "k"), "");
	reply_free(&r);
}

/* was: a key given twice made a JSON object with a key twice. */
static void
test_key_twice_and_too_many(void **state)
{
	char text[1024] = "stat\tname=a\tname#=2\tvalue=1\nbig";
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
	test_reply_prints(
	    "group\tinterface=eth1\tgroup=239.1.2.3\tmode=EXCLUDE"
	    "\ngroup\tinterface=eth10\tgroup=232.1.1.1\tmode=\n"
	    "stat\tname=igmp.rx\tvalue=12\nend\tstatus=0\tmessage=ok\n",
	    false,
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
			  "end\tstatus=0\n",
	    false,
	    "NAME              VIF\n"
	    "\\x1b]0;owned\\x07  a\\tb\n");
}

/* was: types that came back later gave a second table and JSON key. */
static void
test_types_grouped(void **state)
{
	const char *text = "group\tg#=1\nroute\tr=1\ngroup\tg#=2\n"
			   "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true,
	    "{\"group\":[{\"g\":1},{\"g\":2}],"
	    "\"route\":[{\"r\":\"1\"}],\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false, "G\n1\n2\n\nR\n1\n");
}

/*
 * was: JSON took inf, nan, -0x5 and " 5" for numbers.  A number that is
 * not one in JSON's grammar comes out as a string.
 */
static void
test_json_numbers(void **state)
{
	test_reply_prints(
	    "stat\ta#=inf\tb#=nan\tc#=1e5\td#=-0x5\te#=007\t"
	    "f#=-0\tg#=1.\th#=.5\ti#=+1\tj#=true\tk#=null\tl#= 5\tm#=0.50\t"
	    "n#=-1.5E-3\nend\tstatus=0\tmessage=ok\n",
	    true,
	    "{\"stat\":[{\"a\":\"inf\",\"b\":\"nan\",\"c\":1e5,\"d\":\"-0x5\","
	    "\"e\":\"007\",\"f\":-0,\"g\":\"1.\",\"h\":\".5\",\"i\":\"+1\","
	    "\"j\":\"true\",\"k\":\"null\",\"l\":\" 5\",\"m\":0.50,"
	    "\"n\":-1.5E-3}],\"status\":0,\"message\":\"ok\"}\n");
}

/* was: a record type "status" (show status) clashed with END's status. */
static void
test_json_type_clash(void **state)
{
	test_reply_prints("status\tx#=1\nmessage\tx#=2\n_status\tx#=3\n"
			  "end\tstatus=0\tmessage=ok\n",
	    true,
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
	test_reply_prints(
	    "$\x99\x99\x99\x99\tk=\xc3\xa9\n"
	    "$\x99\x99\xff\x9e\tk=\xed\xa0\x80\xe2\x82\xac\"\\\\\001\n"
	    "end\tstatus=0\tmessage=\xf4\x90\x80\x80\n",
	    true,
	    "{\"$\\udc99\\udc99\\udc99\\udc99\":[{\"k\":\"\xc3\xa9\"}],"
	    "\"$\\udc99\\udc99\\udcff\\udc9e\":[{\"k\":\"\\udced\\udca0"
	    "\\udc80\xe2\x82\xac\\\"\\\\\\u0001\"}],\"status\":0,"
	    "\"message\":\"\\udcf4\\udc90\\udc80\\udc80\"}\n");
}

/*
 * Typed values: numbers and booleans unquoted in JSON when they are ones,
 * an absent value null in JSON and "-" in tables; a string that looks
 * like a number stays a string.
 */
static void
test_typed_values(void **state)
{
	const char *text =
	    "stat\tname=igmp.rx\tvalue#=18\texpires#=4.5\t"
	    "bad#=1.\tquerier?=true\tstatic?=false\tyes?=yes\tnote=\t"
	    "gone#=\tmaybe?=\tiface=123\n"
	    "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true,
	    "{\"stat\":[{\"name\":\"igmp.rx\","
	    "\"value\":18,\"expires\":4.5,\"bad\":\"1.\",\"querier\":true,"
	    "\"static\":false,\"yes\":\"yes\",\"note\":null,\"gone\":null,"
	    "\"maybe\":null,\"iface\":\"123\"}],\"status\":0,"
	    "\"message\":\"ok\"}\n");
	test_reply_prints(text, false,
	    "NAME     VALUE  EXPIRES  BAD  QUERIER  STATIC  YES  NOTE  GONE  "
	    "MAYBE  IFACE\n"
	    "igmp.rx  18     4.5      1.   true     false   yes  -     -     "
	    "-      123\n");
}

/* Lists of strings: arrays in JSON, items joined by "," in tables. */
static void
test_string_lists(void **state)
{
	const char *text = "group\tnone[]=\tone[]=198.18.1.2\t"
			   "several[]=198.18.1.2\x1f"
			   "198.18.1.3\x1f"
			   "198.18.1.4\t"
			   "tab[]=a\\tb\x1f"
			   "c\ttrail[]=a\x1f\n"
			   "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true,
	    "{\"group\":[{\"none\":[],"
	    "\"one\":[\"198.18.1.2\"],\"several\":[\"198.18.1.2\","
	    "\"198.18.1.3\",\"198.18.1.4\"],\"tab\":[\"a\\u0009b\",\"c\"],"
	    "\"trail\":[\"a\",\"\"]}],\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false,
	    "NONE  ONE         SEVERAL"
	    "                           TAB     TRAIL\n"
	    "-     198.18.1.2  198.18.1.2,198.18.1.3,198.18.1.4  "
	    "a\\tb,c  a,\n");
}

/* Lists of objects: a parent with no item, one and two. */
static void
test_items(void **state)
{
	const char *text =
	    "mfc\tgroup=239.1.1.1\toifs[]=\tpackets#=0\n"
	    "mfc\tgroup=239.1.1.2\toifs[]=\tpackets#=7\n"
	    "mfc.oifs\tinterface=eth1\tttl#=1\twhy[]=igmp\n"
	    "mfc\tgroup=239.1.1.3\toifs[]=\tpackets#=12\n"
	    "mfc.oifs\tinterface=eth1\tttl#=1\twhy[]=igmp\n"
	    "mfc.oifs\tinterface=eth2\tttl#=16\twhy[]=route\x1fjoin\n"
	    "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true,
	    "{\"mfc\":["
	    "{\"group\":\"239.1.1.1\",\"oifs\":[],\"packets\":0},"
	    "{\"group\":\"239.1.1.2\",\"oifs\":[{\"interface\":\"eth1\","
	    "\"ttl\":1,\"why\":[\"igmp\"]}],\"packets\":7},"
	    "{\"group\":\"239.1.1.3\",\"oifs\":[{\"interface\":\"eth1\","
	    "\"ttl\":1,\"why\":[\"igmp\"]},{\"interface\":\"eth2\",\"ttl\":16,"
	    "\"why\":[\"route\",\"join\"]}],\"packets\":12}],"
	    "\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false,
	    "GROUP      OIFS                              PACKETS\n"
	    "239.1.1.1  -                                 0\n"
	    "239.1.1.2  eth1(1:igmp)                      7\n"
	    "239.1.1.3  eth1(1:igmp),eth2(16:route+join)  12\n");
}

/*
 * Items with no parent to take them are dropped and counted: none before,
 * a list not declared, a list declared with strings, items of an item.
 * An item belongs to the nearest parent only, never to an earlier one.
 */
static void
test_items_dropped(void **state)
{
	const char *text = "mfc.oifs\tinterface=eth0\n"
			   "mfc\tgroup=g1\toifs[]=\n"
			   "mfc.iifs\tinterface=eth1\n"
			   "mfc\tgroup=g2\toifs[]=eth9\n"
			   "mfc.oifs\tinterface=eth2\n"
			   "route\tgroup=g3\n"
			   "route.oifs.why\tx=1\n"
			   "end\tstatus=0\tmessage=ok\n";
	char *copy = strdup(text);
	struct reply r;

	assert_non_null(copy);
	assert_int_equal(reply_parse(copy, &r), 0);
	assert_int_equal(r.nrecords, 3);
	assert_int_equal(r.nitems, 0);
	assert_int_equal(r.dropped_items, 4);
	assert_int_equal(r.dropped_fields, 0);
	reply_free(&r);
	free(copy);
	test_reply_prints(text, true,
	    "{\"mfc\":["
	    "{\"group\":\"g1\",\"oifs\":[]},"
	    "{\"group\":\"g2\",\"oifs\":[\"eth9\"]}],"
	    "\"route\":[{\"group\":\"g3\"}],"
	    "\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false,
	    "GROUP  OIFS\ng1     -\ng2     eth9\n"
	    "\nGROUP\ng3\n");
}

/* Two parents, each with its items, other records between. */
static void
test_items_two_parents(void **state)
{
	const char *text = "mfc\tgroup=g1\toifs[]=\n"
			   "mfc.oifs\tinterface=eth1\n"
			   "route\tgroup=g1\n"
			   "mfc.oifs\tinterface=eth2\n"
			   "mfc\tgroup=g2\toifs[]=\tiifs[]=\n"
			   "mfc.iifs\tinterface=eth0\n"
			   "mfc.oifs\tinterface=eth3\n"
			   "mfc.iifs\tinterface=eth4\n"
			   "end\tstatus=0\tmessage=ok\n";
	const struct reply_record *items;
	char *copy = strdup(text);
	struct reply r;
	size_t n;

	assert_non_null(copy);
	assert_int_equal(reply_parse(copy, &r), 0);
	assert_int_equal(r.nrecords, 3);
	assert_int_equal(r.nitems, 5);
	assert_int_equal(r.dropped_items, 0);
	items = reply_items(&r, &r.records[2], "iifs", &n);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].type, "mfc.iifs");
	assert_string_equal(reply_get(&items[0], "interface"), "eth0");
	assert_string_equal(reply_get(&items[1], "interface"), "eth4");
	items = reply_items(&r, &r.records[0], "oifs", &n);
	assert_int_equal(n, 2);
	assert_string_equal(reply_get(&items[1], "interface"), "eth2");
	assert_null(reply_items(&r, &r.records[0], "group", &n));
	assert_int_equal(n, 0);
	reply_free(&r);
	free(copy);
	test_reply_prints(text, true,
	    "{\"mfc\":[{\"group\":\"g1\",\"oifs\":["
	    "{\"interface\":\"eth1\"},{\"interface\":\"eth2\"}]},"
	    "{\"group\":\"g2\",\"oifs\":[{\"interface\":\"eth3\"}],"
	    "\"iifs\":[{\"interface\":\"eth0\"},{\"interface\":\"eth4\"}]}],"
	    "\"route\":[{\"group\":\"g1\"}],"
	    "\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false,
	    "GROUP  OIFS\ng1     eth1,eth2\n"
	    "g2     eth3\n\nGROUP\ng1\n");
}

/* An item's absent first field is "-" too; an item with no field is "-". */
static void
test_item_first_absent(void **state)
{
	const char *text = "mfc\tgroup=g\toifs[]=\n"
			   "mfc.oifs\tinterface=\tttl#=4\twhy[]=\n"
			   "mfc.oifs\n"
			   "mfc.oifs\tinterface=eth2\n"
			   "end\tstatus=0\tmessage=ok\n";

	test_reply_prints(text, true,
	    "{\"mfc\":[{\"group\":\"g\",\"oifs\":["
	    "{\"interface\":null,\"ttl\":4,\"why\":[]},{},"
	    "{\"interface\":\"eth2\"}]}],\"status\":0,\"message\":\"ok\"}\n");
	test_reply_prints(text, false, "GROUP  OIFS\ng      -(4:-),-,eth2\n");
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
		cmocka_unit_test(test_typed_values),
		cmocka_unit_test(test_string_lists),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_items_dropped),
		cmocka_unit_test(test_items_two_parents),
		cmocka_unit_test(test_item_first_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
