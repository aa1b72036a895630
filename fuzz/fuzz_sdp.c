/*
 * libFuzzer target: the SDP parser and checker (proto/sdp.c) as `mcast sdp
 * check` and the SAP directory use them.  Every string of the result lies
 * in the arena, the counts stay within their limits, errors add up by kind,
 * and the scope check never breaks them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sdp_session s;
static char arena[SDP_ARENA_SIZE(SDP_MAX_TEXT)];

static void
in_arena(const char *p)
{
	if (p &&
	    (p < arena || p >= arena + sizeof(arena) ||
		memchr(p, 0, (size_t)(arena + sizeof(arena) - p)) == NULL))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdp_origin o;
	struct mc_ip g;
	unsigned i, j, sum = 0;
	int n;

	n = sdp_parse((const char *)data, size, size & 1 ? SDP_MULTICAST : 0,
	    arena, sizeof(arena), &s);
	for (i = 0; i < SDP_E_KINDS; i++)
		sum += s.kinds[i];
	if (n < 0 || (unsigned)n != s.nerrors || sum != s.nerrors ||
	    s.ndiags > SDP_MAX_DIAGS || s.nmedia > SDP_MAX_MEDIA ||
	    s.ntimes > SDP_MAX_TIMES || s.attrs.nfilters > SDP_MAX_FILTERS)
		__builtin_trap();
	in_arena(s.name);
	in_arena(s.origin.username);
	in_arena(s.origin.addr);
	in_arena(s.tool);
	for (i = 0; i < s.nmedia; i++) {
		const struct sdp_media *m = &s.media[i];

		in_arena(m->media);
		in_arena(m->proto);
		if (m->nformats > SDP_MAX_FORMATS ||
		    m->nrtpmap > SDP_MAX_RTPMAP ||
		    m->attrs.nfilters > SDP_MAX_FILTERS || m->nports == 0)
			__builtin_trap();
		for (j = 0; j < m->nformats; j++)
			in_arena(m->formats[j]);
		for (j = 0; j < m->nrtpmap; j++)
			in_arena(m->rtpmap[j].encoding);
		for (j = 0; j < m->attrs.nfilters; j++)
			if (m->attrs.filters[j].nsrc == 0 ||
			    m->attrs.filters[j].nsrc > SDP_MAX_FILTER_SRC)
				__builtin_trap();
		(void)sdp_media_conn(&s, i);
		(void)sdp_media_clock_rate(&s, i, 96);
	}
	if (n == 0) {
		if (!s.name || !s.origin.username || s.ntimes == 0)
			__builtin_trap();
		if (sdp_sap_group(&s, &g) == 0)
			sdp_check_scope(&s, &g, (int)(size & 0xff));
	}
	sdp_find_origin((const char *)data, size, arena, sizeof(arena), &o);
	return 0;
}
