/* SDP (RFC 8866) parsed and checked in the caller's arena (sdp.h); what
   is asked of a parsed session is sdp_query.c. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "sdp.h"
#include "sdp_int.h"

/* RFC 8866 5: the session-level order; media sections follow. */
static const char sdp_session_order[] = "vosiuepcbtrzka";
static const char sdp_media_order[] = "mickba"; /* m, then i c b k a */
/* Fields that may come more than once at each level. */
static const char sdp_session_repeat[] = "epbtra";
static const char sdp_media_repeat[] = "cba";

static const char *const sdp_err_names[SDP_E_KINDS] = {
	[SDP_E_NONE] = "none",
	[SDP_E_SYNTAX] = "syntax",
	[SDP_E_LINE_LONG] = "line-long",
	[SDP_E_MISSING] = "missing",
	[SDP_E_DUPLICATE] = "duplicate",
	[SDP_E_ORDER] = "order",
	[SDP_E_VERSION] = "version",
	[SDP_E_ADDRESS] = "address",
	[SDP_E_NOT_MULTICAST] = "not-multicast",
	[SDP_E_TTL] = "ttl",
	[SDP_E_COUNT] = "count",
	[SDP_E_LIMIT] = "limit",
	[SDP_E_SCOPE] = "scope",
};

const char *
sdp_err_name(enum sdp_err e)
{
	return (unsigned)e < SDP_E_KINDS ? sdp_err_names[e] : "?";
}

void
sdp_diag(struct sdp_session *s, unsigned line, char field, enum sdp_err kind,
    bool warning, const char *fmt, ...)
{
	struct sdp_diag *d;
	va_list ap;

	if (warning)
		s->nwarnings++;
	else {
		s->nerrors++;
		s->kinds[kind]++;
	}
	if (s->ndiags == SDP_MAX_DIAGS)
		return;
	d = &s->diags[s->ndiags++];
	d->line = line;
	d->field = field;
	d->kind = kind;
	d->warning = warning;
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
}

/* The next space-separated token of *p (NUL-terminated in place). */
static char *
sdp_tok(char **p)
{
	char *t = *p, *e;

	while (*t == ' ')
		t++;
	if (*t == '\0')
		return NULL;
	e = strchr(t, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else
		*p = t + strlen(t);
	return t;
}

/* A decimal number in [0, max]: 0, or -1. */
static int
sdp_number(const char *t, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (t == NULL || !isdigit((unsigned char)t[0]))
		return -1;
	errno = 0;
	v = strtoull(t, &end, 10);
	if (*end != '\0' || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
sdp_addrtype(const char *t, sa_family_t *family)
{
	if (t && strcmp(t, "IP4") == 0)
		*family = AF_INET;
	else if (t && strcmp(t, "IP6") == 0)
		*family = AF_INET6;
	else
		return -1;
	return 0;
}

static int
sdp_ip(const char *t, sa_family_t family, struct mc_ip *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	return inet_pton(family, t,
		   family == AF_INET ? (void *)&out->u.v4 :
				       (void *)&out->u.v6) == 1 ?
	    0 :
	    -1;
}

/* RFC 8866 5.7: c=IN IP4 ADDR[/TTL[/N]] or c=IN IP6 ADDR[/N]. */
static void
sdp_parse_conn(struct sdp_session *s, unsigned line, char *v, unsigned flags,
    struct sdp_conn *c)
{
	char *nettype = sdp_tok(&v), *atype = sdp_tok(&v), *addr = sdp_tok(&v);
	char *slash1, *slash2 = NULL;
	sa_family_t family;
	uint64_t n;
	bool v4mc;

	memset(c, 0, sizeof(*c));
	c->line = line;
	c->ttl = -1;
	c->naddr = 1;
	if (nettype == NULL || strcmp(nettype, "IN") != 0 || addr == NULL ||
	    sdp_tok(&v) != NULL) {
		sdp_diag(s, line, 'c', SDP_E_SYNTAX, false,
		    "expected IN IP4|IP6 ADDRESS[/TTL][/N] (RFC 8866 5.7)");
		return;
	}
	if (sdp_addrtype(atype, &family) < 0) {
		sdp_diag(s, line, 'c', SDP_E_SYNTAX, false,
		    "address type \"%.20s\": expected IP4 or IP6", atype);
		return;
	}
	if ((slash1 = strchr(addr, '/')) != NULL) {
		*slash1++ = '\0';
		if ((slash2 = strchr(slash1, '/')) != NULL)
			*slash2++ = '\0';
	}
	if (sdp_ip(addr, family, &c->addr) < 0) {
		sdp_diag(s, line, 'c', SDP_E_ADDRESS, false,
		    "\"%.60s\" is not a numeric %s address", addr,
		    family == AF_INET ? "IPv4" : "IPv6");
		return;
	}
	c->present = true;
	v4mc = family == AF_INET && mc_ip_is_multicast(&c->addr);
	if (v4mc) {
		if (slash1 == NULL || sdp_number(slash1, 255, &n) < 0) {
			sdp_diag(s, line, 'c', SDP_E_TTL, false,
			    "%s: IPv4 multicast needs a TTL: expected "
			    "%s/TTL with TTL 0-255 (RFC 8866 5.7)",
			    addr, addr);
			return;
		}
		c->ttl = (int)n;
		slash1 = slash2;
		slash2 = NULL;
	}
	if (slash2 != NULL) {
		sdp_diag(s, line, 'c', SDP_E_SYNTAX, false,
		    "%s: too many /fields: expected %s", addr,
		    family == AF_INET6 ? "ADDRESS[/N] for IPv6" :
					 "no TTL for a unicast address");
		return;
	}
	if (slash1 != NULL) {
		if (!mc_ip_is_multicast(&c->addr)) {
			sdp_diag(s, line, 'c', SDP_E_TTL, false,
			    "%s is unicast: expected no /TTL or /N", addr);
			return;
		}
		if (sdp_number(slash1, 256, &n) < 0 || n < 1) {
			sdp_diag(s, line, 'c', SDP_E_COUNT, false,
			    "%s/%.20s: expected a number of addresses 1-256",
			    addr, slash1);
			return;
		}
		c->naddr = (unsigned)n;
	}
	if ((flags & SDP_MULTICAST) && !mc_ip_is_multicast(&c->addr))
		sdp_diag(s, line, 'c', SDP_E_NOT_MULTICAST, false,
		    "%s is not a multicast address: expected 224.0.0.0/4 or "
		    "ff00::/8",
		    addr);
}

int
sdp_parse_origin(char *v, struct sdp_origin *o)
{
	uint64_t n;
	sa_family_t family;

	o->username = sdp_tok(&v);
	o->sess_id = sdp_tok(&v);
	if (sdp_number(sdp_tok(&v), UINT64_MAX, &n) < 0)
		return -1;
	o->sess_version = n;
	o->nettype = sdp_tok(&v);
	o->addrtype = sdp_tok(&v);
	o->addr = sdp_tok(&v);
	if (o->addr == NULL || sdp_tok(&v) != NULL ||
	    sdp_number(o->sess_id, UINT64_MAX, &n) < 0 ||
	    strcmp(o->nettype, "IN") != 0 || sdp_addrtype(o->addrtype, &family))
		return -1;
	return 0;
}

/* RFC 4570 3: a=source-filter: MODE IN TYPES DEST SRC... */
static void
sdp_parse_filter(struct sdp_session *s, unsigned line, char *v,
    struct sdp_attrs *a)
{
	char *mode = sdp_tok(&v), *nettype = sdp_tok(&v), *types = sdp_tok(&v),
	     *dest = sdp_tok(&v), *src;
	struct sdp_source_filter *f;
	sa_family_t family;
	bool any_type;

	if (a->nfilters == SDP_MAX_FILTERS) {
		sdp_diag(s, line, 'a', SDP_E_LIMIT, false,
		    "more than %d a=source-filter lines", SDP_MAX_FILTERS);
		return;
	}
	f = &a->filters[a->nfilters];
	memset(f, 0, sizeof(*f));
	if (mode == NULL || (strcmp(mode, "incl") && strcmp(mode, "excl")) ||
	    nettype == NULL || strcmp(nettype, "IN") || dest == NULL) {
		sdp_diag(s, line, 'a', SDP_E_SYNTAX, false,
		    "source-filter: expected incl|excl IN IP4|IP6|* "
		    "DEST|* SOURCE... (RFC 4570 3)");
		return;
	}
	f->exclude = mode[0] == 'e';
	/* "*": each address says its family. */
	any_type = strcmp(types, "*") == 0;
	if (any_type)
		family = strchr(dest, ':') ? AF_INET6 : AF_INET;
	else if (sdp_addrtype(types, &family) < 0) {
		sdp_diag(s, line, 'a', SDP_E_SYNTAX, false,
		    "source-filter: address type \"%.20s\": expected IP4, "
		    "IP6 or *",
		    types);
		return;
	}
	if (strcmp(dest, "*") == 0)
		f->any_dest = true;
	else if (sdp_ip(dest, family, &f->dest) < 0) {
		sdp_diag(s, line, 'a', SDP_E_ADDRESS, false,
		    "source-filter: destination \"%.60s\" is not a numeric "
		    "%s address",
		    dest, family == AF_INET ? "IPv4" : "IPv6");
		return;
	}
	while ((src = sdp_tok(&v)) != NULL) {
		if (f->nsrc == SDP_MAX_FILTER_SRC) {
			sdp_diag(s, line, 'a', SDP_E_LIMIT, false,
			    "source-filter: more than %d sources",
			    SDP_MAX_FILTER_SRC);
			return;
		}
		if (any_type)
			family = strchr(src, ':') ? AF_INET6 : AF_INET;
		if (sdp_ip(src, family, &f->src[f->nsrc]) < 0 ||
		    mc_ip_is_multicast(&f->src[f->nsrc])) {
			sdp_diag(s, line, 'a', SDP_E_ADDRESS, false,
			    "source-filter: source \"%.60s\": expected a "
			    "unicast %s address",
			    src, family == AF_INET ? "IPv4" : "IPv6");
			return;
		}
		f->nsrc++;
	}
	if (f->nsrc == 0) {
		sdp_diag(s, line, 'a', SDP_E_SYNTAX, false,
		    "source-filter: no source: expected at least one");
		return;
	}
	a->nfilters++;
}

/* RFC 8866 6.6: a=rtpmap:PT ENCODING/CLOCK[/CHANNELS]. */
static void
sdp_parse_rtpmap(struct sdp_session *s, unsigned line, char *v,
    struct sdp_media *m)
{
	char *pt = sdp_tok(&v), *enc = sdp_tok(&v), *clock, *ch;
	struct sdp_rtpmap *r;
	uint64_t n, rate, chans = 0;

	if (m == NULL) {
		sdp_diag(s, line, 'a', SDP_E_ORDER, false,
		    "rtpmap at session level: expected it after an m= line");
		return;
	}
	if (m->nrtpmap == SDP_MAX_RTPMAP) {
		sdp_diag(s, line, 'a', SDP_E_LIMIT, false,
		    "more than %d a=rtpmap lines in a medium", SDP_MAX_RTPMAP);
		return;
	}
	clock = enc ? strchr(enc, '/') : NULL;
	if (clock)
		*clock++ = '\0';
	ch = clock ? strchr(clock, '/') : NULL;
	if (ch)
		*ch++ = '\0';
	if (sdp_number(pt, 127, &n) < 0 || clock == NULL || *enc == '\0' ||
	    sdp_number(clock, UINT32_MAX, &rate) < 0 || rate == 0 ||
	    (ch && (sdp_number(ch, 255, &chans) < 0 || chans == 0)) ||
	    sdp_tok(&v) != NULL) {
		sdp_diag(s, line, 'a', SDP_E_SYNTAX, false,
		    "rtpmap: expected PT ENCODING/CLOCK-RATE[/CHANNELS] with "
		    "PT 0-127 (RFC 8866 6.6)");
		return;
	}
	r = &m->rtpmap[m->nrtpmap++];
	r->pt = (unsigned)n;
	r->encoding = enc;
	r->clock_rate = (unsigned)rate;
	r->channels = (unsigned)chans;
}

static void
sdp_parse_attr(struct sdp_session *s, unsigned line, char *v,
    struct sdp_media *m)
{
	struct sdp_attrs *a = m ? &m->attrs : &s->attrs;
	char *value = strchr(v, ':');
	static const char *const dirs[] = { NULL, "sendrecv", "recvonly",
		"sendonly", "inactive" };
	unsigned i;

	if (value)
		*value++ = '\0';
	if (*v == '\0') {
		sdp_diag(s, line, 'a', SDP_E_SYNTAX, false,
		    "empty attribute: expected NAME[:VALUE]");
		return;
	}
	for (i = 1; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strcmp(v, dirs[i]) == 0) {
			if (a->direction != SDP_DIR_UNSET)
				sdp_diag(s, line, 'a', SDP_E_DUPLICATE, false,
				    "%s: a direction was given already", v);
			a->direction = (enum sdp_direction)i;
			return;
		}
	if (value == NULL)
		return; /* a property attribute we do not know: kept out */
	if (strcmp(v, "source-filter") == 0)
		sdp_parse_filter(s, line, value, a);
	else if (strcmp(v, "rtpmap") == 0)
		sdp_parse_rtpmap(s, line, value, m);
	else if (strcmp(v, "ts-refclk") == 0) {
		if (a->ts_refclk == NULL)
			a->ts_refclk = value;
	} else if (strcmp(v, "mediaclk") == 0) {
		if (a->mediaclk == NULL)
			a->mediaclk = value;
	} else if (strcmp(v, "tool") == 0 && m == NULL)
		s->tool = value;
	else if (strcmp(v, "type") == 0 && m == NULL)
		s->type = value;
}

/* RFC 8866 5.14: m=MEDIA PORT[/N] PROTO FMT... */
static void
sdp_parse_media(struct sdp_session *s, unsigned line, char *v)
{
	struct sdp_media *m = &s->media[s->nmedia];
	char *media = sdp_tok(&v), *port = sdp_tok(&v), *proto = sdp_tok(&v),
	     *slash, *fmt;
	uint64_t n;

	memset(m, 0, sizeof(*m));
	m->line = line;
	m->nports = 1;
	if (media == NULL || proto == NULL) {
		sdp_diag(s, line, 'm', SDP_E_SYNTAX, false,
		    "expected MEDIA PORT[/N] PROTO FORMAT... (RFC 8866 5.14)");
		return;
	}
	if ((slash = strchr(port, '/')) != NULL)
		*slash++ = '\0';
	if (sdp_number(port, 65535, &n) < 0) {
		sdp_diag(s, line, 'm', SDP_E_SYNTAX, false,
		    "port \"%.20s\": expected 0-65535", port);
		return;
	}
	m->port = (uint16_t)n;
	if (slash &&
	    (sdp_number(slash, 65535, &n) < 0 || n < 1 ||
		m->port + n > 65536)) {
		sdp_diag(s, line, 'm', SDP_E_COUNT, false,
		    "port %s/%.20s: expected a number of ports 1-%u", port,
		    slash, 65536u - m->port);
		return;
	}
	if (slash)
		m->nports = (unsigned)n;
	m->media = media;
	m->proto = proto;
	while ((fmt = sdp_tok(&v)) != NULL) {
		if (m->nformats == SDP_MAX_FORMATS) {
			sdp_diag(s, line, 'm', SDP_E_LIMIT, false,
			    "more than %d formats", SDP_MAX_FORMATS);
			break;
		}
		m->formats[m->nformats++] = fmt;
	}
	if (m->nformats == 0) {
		sdp_diag(s, line, 'm', SDP_E_SYNTAX, false,
		    "no format: expected at least one after %s", proto);
		return;
	}
	s->nmedia++;
}

/* Where type sits in order ("vosi..."), or -1. */
static int
sdp_rank(const char *order, char type)
{
	const char *p = strchr(order, type);

	return type && p ? (int)(p - order) : -1;
}

struct sdp_state {
	int rank;	   /* of the last field at this level */
	unsigned seen[26]; /* line of each field at this level, 0: none */
	unsigned had[26];  /* line of each field anywhere, 0: none */
	bool in_media;
};

/* One line "x=value": order, repetition, then the field. */
static void
sdp_line(struct sdp_session *s, struct sdp_state *st, unsigned line, char type,
    char *v, unsigned flags)
{
	const char *order = st->in_media ? sdp_media_order : sdp_session_order;
	const char *repeat = st->in_media ? sdp_media_repeat :
					    sdp_session_repeat;
	struct sdp_media *m = st->in_media ? &s->media[s->nmedia - 1] : NULL;
	int rank = sdp_rank(order, type);
	uint64_t n1, n2;
	unsigned n;
	char *t;

	if (type == 'm') {
		if (s->nmedia == SDP_MAX_MEDIA) {
			sdp_diag(s, line, 'm', SDP_E_LIMIT, false,
			    "more than %d media", SDP_MAX_MEDIA);
			st->in_media = false;
			st->rank = 99; /* what follows is out of order */
			return;
		}
		memset(st->seen, 0, sizeof(st->seen));
		st->rank = 0;
		st->in_media = true;
		n = s->nmedia;
		sdp_parse_media(s, line, v);
		if (s->nmedia == n) { /* this m= failed: skip its lines */
			st->in_media = false;
			st->rank = 99;
		}
		return;
	}
	if (st->rank == 99)
		return;
	if (type >= 'a' && type <= 'z' && !st->had[type - 'a'])
		st->had[type - 'a'] = line;
	if (type < 'a' || type > 'z' ||
	    (rank < 0 && sdp_rank(sdp_session_order, type) < 0)) {
		sdp_diag(s, line, type, SDP_E_SYNTAX, false,
		    "unknown field %c=: expected one of v o s i u e p c b t r z "
		    "k a m (RFC 8866 5)",
		    type);
		return;
	}
	if (rank < 0) {
		sdp_diag(s, line, type, SDP_E_ORDER, false,
		    "%c= inside a media section: expected it before the first "
		    "m=",
		    type);
		return;
	}
	if (st->seen[type - 'a'] && strchr(repeat, type) == NULL) {
		sdp_diag(s, line, type, SDP_E_DUPLICATE, false,
		    "%c= given again (first on line %u): expected it once%s",
		    type, st->seen[type - 'a'],
		    st->in_media ? " per medium" : "");
		return;
	}
	/* t= r= t= r= ... repeat as a pair. */
	if (rank < st->rank && !(type == 't' && st->rank == rank + 1)) {
		sdp_diag(s, line, type, SDP_E_ORDER, false,
		    "%c= after %c=: expected the order %s", type,
		    order[st->rank],
		    st->in_media ? "m i c b k a" :
				   "v o s i u e p c b t r z k a m");
		return;
	}
	if (!st->seen[type - 'a'])
		st->seen[type - 'a'] = line;
	st->rank = rank;
	switch (type) {
	case 'v':
		if (strcmp(v, "0") != 0)
			sdp_diag(s, line, 'v', SDP_E_VERSION, false,
			    "\"%.20s\": expected 0", v);
		break;
	case 'o':
		if (sdp_parse_origin(v, &s->origin) < 0) {
			sdp_diag(s, line, 'o', SDP_E_SYNTAX, false,
			    "expected USERNAME SESS-ID SESS-VERSION IN IP4|IP6 "
			    "ADDRESS with numeric id and version (RFC 8866 "
			    "5.2)");
			memset(&s->origin, 0, sizeof(s->origin));
		}
		break;
	case 's':
		if (*v == '\0')
			sdp_diag(s, line, 's', SDP_E_SYNTAX, false,
			    "empty session name: expected text or one space "
			    "(RFC 8866 5.3)");
		s->name = v;
		break;
	case 'i':
		if (m)
			m->info = v;
		else
			s->info = v;
		break;
	case 'u':
		s->uri = v;
		break;
	case 'c':
		if (m && m->nconn++) {
			/* Several c= of a medium: checked, the first kept. */
			struct sdp_conn more;

			sdp_parse_conn(s, line, v, flags, &more);
			break;
		}
		sdp_parse_conn(s, line, v, flags, m ? &m->conn : &s->conn);
		break;
	case 't':
		t = sdp_tok(&v);
		if (sdp_number(t, UINT64_MAX, &n1) < 0 ||
		    sdp_number(sdp_tok(&v), UINT64_MAX, &n2) < 0 ||
		    sdp_tok(&v) != NULL) {
			sdp_diag(s, line, 't', SDP_E_SYNTAX, false,
			    "expected START STOP in NTP seconds (RFC 8866 "
			    "5.9)");
			break;
		}
		if (s->ntimes == SDP_MAX_TIMES) {
			sdp_diag(s, line, 't', SDP_E_LIMIT, false,
			    "more than %d t= lines", SDP_MAX_TIMES);
			break;
		}
		s->start[s->ntimes] = n1;
		s->stop[s->ntimes++] = n2;
		break;
	case 'b':
		if ((t = strchr(v, ':')) == NULL ||
		    sdp_number(t + 1, UINT32_MAX, &n1) < 0)
			sdp_diag(s, line, 'b', SDP_E_SYNTAX, false,
			    "\"%.40s\": expected BWTYPE:BANDWIDTH (RFC 8866 "
			    "5.8)",
			    v);
		break;
	case 'a':
		sdp_parse_attr(s, line, v, m);
		break;
	default:
		break; /* e p r z k: kept out */
	}
}

int
sdp_parse(const char *text, size_t len, unsigned flags, char *arena,
    size_t arena_len, struct sdp_session *s)
{
	struct sdp_state st;
	char *p, *end, *eol;
	unsigned line = 0, i;
	size_t llen;
	bool any_conn_missing = false;

	memset(s, 0, sizeof(*s));
	memset(&st, 0, sizeof(st));
	st.rank = -1;
	if (len > SDP_MAX_TEXT || arena_len < SDP_ARENA_SIZE(len)) {
		sdp_diag(s, 0, 0, SDP_E_LIMIT, false,
		    "%zu bytes: expected at most %d", len,
		    len > SDP_MAX_TEXT ? SDP_MAX_TEXT : (int)arena_len - 1);
		return (int)s->nerrors;
	}
	memcpy(arena, text, len);
	arena[len] = '\0';
	p = arena;
	end = arena + len;
	while (p < end) {
		line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		*eol = '\0';
		llen = (size_t)(eol - p);
		if (llen && p[llen - 1] == '\r')
			p[--llen] = '\0';
		if (memchr(p, '\0', llen) != NULL) {
			sdp_diag(s, line, 0, SDP_E_SYNTAX, false,
			    "a NUL byte: expected text");
		} else if (llen > SDP_MAX_LINE) {
			sdp_diag(s, line, p[0], SDP_E_LINE_LONG, false,
			    "%zu bytes: expected at most %d", llen,
			    SDP_MAX_LINE);
		} else if (llen < 2 || p[1] != '=') {
			sdp_diag(s, line, 0, SDP_E_SYNTAX, false,
			    "\"%.40s\": expected TYPE=VALUE", p);
		} else if (line == 1 && p[0] != 'v') {
			sdp_diag(s, line, p[0], SDP_E_ORDER, false,
			    "%c= first: expected v=0 as the first line", p[0]);
			st.seen['v' - 'a'] = line; /* said once */
			st.rank = 0;
			sdp_line(s, &st, line, p[0], p + 2, flags);
		} else
			sdp_line(s, &st, line, p[0], p + 2, flags);
		p = eol + 1;
	}
	s->lines = line;
	/* Absent, not merely wrong (a wrong one was said already). */
	if (!st.had['o' - 'a'])
		sdp_diag(s, 0, 'o', SDP_E_MISSING, false,
		    "no o= line: expected one (RFC 8866 5.2)");
	if (!st.had['s' - 'a'])
		sdp_diag(s, 0, 's', SDP_E_MISSING, false,
		    "no s= line: expected one (RFC 8866 5.3)");
	if (!st.had['t' - 'a'])
		sdp_diag(s, 0, 't', SDP_E_MISSING, false,
		    "no t= line: expected at least one (RFC 8866 5.9)");
	for (i = 0; i < s->nmedia; i++)
		if (s->media[i].nconn == 0)
			any_conn_missing = true;
	if (!s->conn.present && (s->nmedia == 0 || any_conn_missing) &&
	    s->kinds[SDP_E_ADDRESS] + s->kinds[SDP_E_TTL] +
		    s->kinds[SDP_E_COUNT] ==
		0) {
		for (i = 0; i < s->nmedia; i++)
			if (s->media[i].nconn == 0)
				sdp_diag(s, s->media[i].line, 'c',
				    SDP_E_MISSING, false,
				    "medium %u (%s) has no c= and the session "
				    "none: expected one of them (RFC 8866 5.7)",
				    i + 1, s->media[i].media);
		if (s->nmedia == 0)
			sdp_diag(s, 0, 'c', SDP_E_MISSING, false,
			    "no c= line and no media: expected a c= line");
	}
	return (int)s->nerrors;
}
