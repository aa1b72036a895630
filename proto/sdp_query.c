/*
 * What is asked of a parsed SDP session (sdp.h): each medium's connection
 * and attributes, clock rates, the origin of a text, its SAP group and
 * whether its scope and TTL agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "sdp.h"
#include "sdp_int.h"

const struct sdp_conn *
sdp_media_conn(const struct sdp_session *s, unsigned i)
{
	return s->media[i].conn.present ? &s->media[i].conn : &s->conn;
}

const struct sdp_attrs *
sdp_media_attrs(const struct sdp_session *s, unsigned i)
{
	return s->media[i].attrs.nfilters ? &s->media[i].attrs : &s->attrs;
}

/* RFC 3551 6, tables 4 and 5: the static payload types' clock rates. */
static unsigned
sdp_static_clock_rate(unsigned pt)
{
	static const unsigned rates[35] = {
		[0] = 8000,
		[3] = 8000,
		[4] = 8000,
		[5] = 8000,
		[6] = 16000,
		[7] = 8000,
		[8] = 8000,
		[9] = 8000,
		[10] = 44100,
		[11] = 44100,
		[12] = 8000,
		[13] = 8000,
		[14] = 90000,
		[15] = 8000,
		[16] = 11025,
		[17] = 22050,
		[18] = 8000,
		[25] = 90000,
		[26] = 90000,
		[28] = 90000,
		[31] = 90000,
		[32] = 90000,
		[33] = 90000,
		[34] = 90000,
	};

	return pt < 35 ? rates[pt] : 0;
}

unsigned
sdp_media_clock_rate(const struct sdp_session *s, unsigned i, unsigned pt)
{
	const struct sdp_media *m = &s->media[i];
	unsigned j;

	for (j = 0; j < m->nrtpmap; j++)
		if (m->rtpmap[j].pt == pt)
			return m->rtpmap[j].clock_rate;
	return sdp_static_clock_rate(pt);
}

int
sdp_find_origin(const char *text, size_t len, char *arena, size_t arena_len,
    struct sdp_origin *o)
{
	char *p, *eol;

	memset(o, 0, sizeof(*o));
	if (arena_len < SDP_ARENA_SIZE(len) || len > SDP_MAX_TEXT)
		return -1;
	memcpy(arena, text, len);
	arena[len] = '\0';
	for (p = arena; p < arena + len; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(arena + len - p));
		if (eol == NULL)
			eol = arena + len;
		*eol = '\0';
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		if (p[0] == 'o' && p[1] == '=')
			return sdp_parse_origin(p + 2, o) < 0 ? -1 : 0;
	}
	return -1;
}

/* RFC 2974 3: the SAP group of the scope of group g. */
static int
sdp_sap_group_of(const struct mc_ip *g, struct mc_ip *out)
{
	uint32_t a;

	memset(out, 0, sizeof(*out));
	out->family = g->family;
	if (g->family == AF_INET6) {
		/* FF0X::2:7FFE, X the scope of the group. */
		out->u.v6.s6_addr[0] = 0xff;
		out->u.v6.s6_addr[1] = g->u.v6.s6_addr[1] & 0x0f;
		out->u.v6.s6_addr[13] = 0x02;
		out->u.v6.s6_addr[14] = 0x7f;
		out->u.v6.s6_addr[15] = 0xfe;
		return 0;
	}
	a = ntohl(g->u.v4.s_addr);
	if ((a & 0xffff0000u) == 0xefff0000u) /* 239.255/16: local scope */
		a = 0xefffffffu;
	else if ((a & 0xfffc0000u) == 0xefc00000u) /* 239.192/14: org */
		a = 0xefc3ffffu;
	else if ((a >> 24) == 239)
		return -1;
	else
		a = 0xe0027ffeu; /* 224.2.127.254 */
	out->u.v4.s_addr = htonl(a);
	return 0;
}

int
sdp_sap_group(const struct sdp_session *s, struct mc_ip *out)
{
	unsigned i;

	if (s->conn.present && mc_ip_is_multicast(&s->conn.addr))
		return sdp_sap_group_of(&s->conn.addr, out);
	for (i = 0; i < s->nmedia; i++)
		if (s->media[i].conn.present &&
		    mc_ip_is_multicast(&s->media[i].conn.addr))
			return sdp_sap_group_of(&s->media[i].conn.addr, out);
	return -1;
}

static void
sdp_check_one(struct sdp_session *s, const struct sdp_conn *c,
    const struct mc_ip *sap_group, int ttl)
{
	char a[MC_IP_STRLEN], g[MC_IP_STRLEN], want[MC_IP_STRLEN];
	struct mc_ip expect;

	if (!c->present)
		return;
	mc_ip_str(&c->addr, a);
	mc_ip_str(sap_group, g);
	if (!mc_ip_is_multicast(&c->addr)) {
		sdp_diag(s, c->line, 'c', SDP_E_NOT_MULTICAST, false,
		    "%s is not a multicast address: expected a group to "
		    "announce",
		    a);
		return;
	}
	if (c->addr.family != sap_group->family) {
		sdp_diag(s, c->line, 'c', SDP_E_SCOPE, false,
		    "%s is announced on %s: expected a SAP group of the same "
		    "family",
		    a, g);
		return;
	}
	if (sdp_sap_group_of(&c->addr, &expect) < 0) {
		sdp_diag(s, c->line, 'c', SDP_E_SCOPE, false,
		    "%s: an administrative scope without a known SAP group: "
		    "expected 239.255.0.0/16 or 239.192.0.0/14, or give the "
		    "SAP group",
		    a);
	} else if (!mc_ip_equal(&expect, sap_group))
		sdp_diag(s, c->line, 'c', SDP_E_SCOPE, false,
		    "%s is announced on %s: expected %s, the SAP group of its "
		    "scope (RFC 2974 3)",
		    a, g, mc_ip_str(&expect, want));
	if (ttl >= 0 && c->ttl >= 0 && ttl > c->ttl)
		sdp_diag(s, c->line, 'c', SDP_E_SCOPE, false,
		    "announcement TTL %d exceeds the TTL %d of %s: expected "
		    "at most %d, so the announcement goes no further than the "
		    "session (RFC 2974 3)",
		    ttl, c->ttl, a, c->ttl);
}

int
sdp_check_scope(struct sdp_session *s, const struct mc_ip *sap_group, int ttl)
{
	unsigned before = s->kinds[SDP_E_SCOPE] + s->kinds[SDP_E_NOT_MULTICAST],
		 i;

	sdp_check_one(s, &s->conn, sap_group, ttl);
	for (i = 0; i < s->nmedia; i++)
		sdp_check_one(s, &s->media[i].conn, sap_group, ttl);
	return (int)(s->kinds[SDP_E_SCOPE] + s->kinds[SDP_E_NOT_MULTICAST] -
	    before);
}
