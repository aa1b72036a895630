/*
 * daemon/log.c's rate-limited lines: the first of a kind at once, the
 * next ones within LOG_LIMIT_MS counted and written as one line when the
 * interval is over (or at once when forced), the counts adding up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"

static char out[8192];
static FILE *saved;

/* The lines logged since the last call, without their time stamps. */
static const char *
logged(void)
{
	static char lines[8192];
	size_t n = 0;
	char *p, *save = NULL;

	fflush(stderr);
	rewind(stderr);
	memset(out, 0, sizeof(out));
	if (fread(out, 1, sizeof(out) - 1, stderr) == 0)
		out[0] = '\0';
	rewind(stderr);
	if (ftruncate(fileno(stderr), 0) != 0)
		fail();
	lines[0] = '\0';
	for (p = strtok_r(out, "\n", &save); p;
	     p = strtok_r(NULL, "\n", &save)) {
		char *m = strstr(p, "mcastd ");

		n += (size_t)snprintf(lines + n, sizeof(lines) - n, "%s\n",
		    m ? m : p);
	}
	return lines;
}

static int
setup(void **state)
{
	saved = stderr;
	stderr = tmpfile();
	if (stderr == NULL)
		return -1;
	log_init(true, LOG_INFO);
	return 0;
}

static int
teardown(void **state)
{
	fclose(stderr);
	stderr = saved;
	return 0;
}

static void
test_first_then_summary(void **state)
{
	struct log_limit l;
	int i;

	memset(&l, 0, sizeof(l));
	log_limited(&l, 1000, 1, LOG_NOTICE, "eth1: bad %d", 1);
	assert_string_equal(logged(), "mcastd notice: eth1: bad 1\n");
	/* 9,999 more within the interval: nothing now, one line later. */
	for (i = 2; i <= 10000; i++)
		log_limited(&l, 1000 + i / 2, 1, LOG_NOTICE, "eth1: bad %d", i);
	assert_string_equal(logged(), "");
	assert_int_equal(log_limit_flush(&l, 10999, false), 11000);
	assert_string_equal(logged(), "");
	assert_int_equal(log_limit_flush(&l, 11000, false), INT64_MAX);
	assert_string_equal(logged(),
	    "mcastd notice: eth1: bad 2 "
	    "(9999 more of these in 10.0 s)\n");
	/* Nothing held: nothing to write, no deadline. */
	assert_int_equal(log_limit_flush(&l, 30000, true), INT64_MAX);
	assert_string_equal(logged(), "");
	/* Quiet for an interval: the next one is a line of its own. */
	log_limited(&l, 40000, 3, LOG_WARNING, "limit %s", "hit");
	assert_string_equal(logged(),
	    "mcastd warning: limit hit "
	    "(3 of these)\n");
	/* An event after the interval flushes the ones held. */
	log_limited(&l, 41000, 2, LOG_WARNING, "limit %s", "again");
	log_limited(&l, 50000, 1, LOG_WARNING, "limit %s", "late");
	assert_string_equal(logged(),
	    "mcastd warning: limit again "
	    "(3 more of these in 10.0 s)\n");
	/* Forced (at stop): at once. */
	log_limited(&l, 50001, 1, LOG_WARNING, "limit %s", "last");
	log_limit_flush(&l, 52000, true);
	assert_string_equal(logged(),
	    "mcastd warning: limit last "
	    "(1 more of these in 2.0 s)\n");
	/* No events: nothing at all. */
	log_limited(&l, 90000, 0, LOG_WARNING, "never");
	assert_string_equal(logged(), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_then_summary, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
