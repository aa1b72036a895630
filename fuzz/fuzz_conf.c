/*
 * libFuzzer target: the mcastd.conf parser (daemon/conf.c).  What parses
 * must satisfy the IGMP and DVMRP engines, print, parse again to the same
 * settings and print the same text; what does not parse must say where,
 * inside the text, with a message.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The error points into the text: a line that exists, a column >= 1. */
static void
fuzz_conf_check_error(const uint8_t *data, size_t size,
    const struct conf_error *e)
{
	unsigned lines = 1;
	size_t i;

	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	if (e->line < 1 || e->line > lines || e->column < 1 ||
	    e->message[0] == '\0' || strcmp(e->file, "fuzz") != 0)
		__builtin_trap();
}

static char *
fuzz_conf_print(const struct conf *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		__builtin_trap();
	conf_print(f, c);
	if (fclose(f) != 0)
		__builtin_trap();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igmp_router_config g;
	struct conf_error e;
	struct conf a, b;
	char *p1, *p2;
	size_t len1, len2, i;

	if (size > 256 * 1024)
		return 0;
	if (conf_parse((const char *)data, size, "fuzz", &a, &e) != 0) {
		fuzz_conf_check_error(data, size, &e);
		if (a.phyints != NULL || a.mroutes != NULL)
			__builtin_trap();
		return 0;
	}
	/* Whatever parses, the router engine accepts, on every phyint. */
	for (i = 0; i <= a.nphyints; i++) {
		conf_phyint_igmp(&a, i < a.nphyints ? &a.phyints[i] : NULL, &g);
		if (igmp_router_config_check(&g) != 0)
			__builtin_trap();
	}
	/* And DVMRP's engines, with every phyint's metric. */
	if (router_dvmrp_config_check(&a.dvmrp) != 0)
		__builtin_trap();
	for (i = 0; i < a.nphyints; i++)
		if (a.phyints[i].metric < 1 || a.phyints[i].metric > 31)
			__builtin_trap();
	p1 = fuzz_conf_print(&a, &len1);
	if (conf_parse(p1, len1, "normalised", &b, &e) != 0 ||
	    !conf_equal(&a, &b))
		__builtin_trap();
	p2 = fuzz_conf_print(&b, &len2);
	if (len1 != len2 || memcmp(p1, p2, len1) != 0)
		__builtin_trap();
	free(p1);
	free(p2);
	conf_free(&a);
	conf_free(&b);
	return 0;
}
