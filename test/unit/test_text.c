/* Strings from the network made safe to print (tools/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

static void
expect_safe(const char *in, const char *want)
{
	char out[64];

	assert_string_equal(text_safe(out, sizeof(out), in), want);
}

static void
expect_json(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_string(f, in);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
}

/* Printable UTF-8 passes; controls, C1 and what is not UTF-8 do not. */
static void
test_text_safe(void **state)
{
	(void)state;
	expect_safe("Lab radio", "Lab radio");
	expect_safe("caf\xc3\xa9 \xf0\x9f\x8e\xb5",
	    "caf\xc3\xa9 \xf0\x9f\x8e\xb5");
	expect_safe("a\x1b[2Jb", "a\\x1b[2Jb"); /* ESC: no screen wipe */
	expect_safe("a\xc2\x9b"
		    "31mb",
	    "a\\xc2\\x9b31mb"); /* C1 CSI */
	expect_safe("x\x7fy", "x\\x7fy");
	expect_safe("198.eS\xf1", "198.eS\\xf1");	/* cut short */
	expect_safe("\xc0\xaf", "\\xc0\\xaf");		/* overlong '/' */
	expect_safe("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
	expect_safe("\xf4\x90\x80\x80",
	    "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	expect_safe("a\\b", "a\\\\b");
	expect_safe(NULL, "");
}

/* Cut to fit, never in the middle of a character or an escape. */
static void
test_text_safe_cut(void **state)
{
	char out[6];

	(void)state;
	assert_string_equal(text_safe(out, sizeof(out), "abcdefgh"), "abcde");
	assert_string_equal(text_safe(out, sizeof(out), "abc\xc3\xa9"),
	    "abc\xc3\xa9");
	assert_string_equal(text_safe(out, sizeof(out), "abcd\xc3\xa9"),
	    "abcd");
	assert_string_equal(text_safe(out, sizeof(out), "a\x1b"), "a\\x1b");
	assert_string_equal(text_safe(out, sizeof(out), "ab\x1b"), "ab");
}

static void
test_json_string(void **state)
{
	(void)state;
	expect_json("Lab \"radio\"\\", "\"Lab \\\"radio\\\"\\\\\"");
	expect_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	expect_json("a\nb\tc\x1b", "\"a\\nb\\tc\\u001b\"");
	expect_json("a\xc2\x9b", "\"a\\u009b\"");
	expect_json("198.eS\xf1", "\"198.eS\\ufffd\"");
	expect_json("\xc3", "\"\\ufffd\"");
	expect_json(NULL, "null");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_safe),
		cmocka_unit_test(test_text_safe_cut),
		cmocka_unit_test(test_json_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
