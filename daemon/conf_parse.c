/*
 * mcastd.conf's grammar: the statements (default-phyint, phyint, mroute;
 * tunnel is conf_tunnel.c) and the blocks (igmp, limits, mfc, dvmrp) read off the lexer's tokens, each
 * checked as it is read.  man/mcastd.conf.5 is the grammar; keep them in
 * step.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* --- common to the statements -------------------------------------- */

/* After a statement: a newline, ';', the end of the file or (in a
 * block) '}'. */
int
conf_end_of_statement(struct conf_parser *p, const char *what, bool in_block)
{
	enum conf_tok_kind k = p->cur.kind;

	if (k == CONF_TOK_END || k == CONF_TOK_EOF ||
	    (in_block && k == CONF_TOK_RBRACE))
		return 0;
	return conf_fail_expected(p, &p->cur, what,
	    in_block ? "the end of the setting (a newline, ';' or '}')" :
		       "the end of the statement (a newline or ';')");
}

static bool
conf_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *a;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	a = realloc(*arr, ncap * size);
	if (a == NULL)
		return false;
	*arr = a;
	*cap = ncap;
	return true;
}

static int
conf_no_memory(struct conf_parser *p)
{
	return conf_fail(p, p->cur.line, p->cur.column,
	    "out of memory: expected a smaller configuration");
}

/* --- statements ---------------------------------------------------- */

/* default-phyint enable|disable */
static int
conf_parse_default_phyint(struct conf_parser *p)
{
	struct conf_tok kw = p->cur;

	if (p->default_phyint_line != 0)
		return conf_fail(p, kw.line, kw.column,
		    "default-phyint already given at line %u: expected it "
		    "once",
		    p->default_phyint_line);
	p->default_phyint_line = kw.line;
	if (conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "enable"))
		p->c->default_disable = false;
	else if (conf_tok_is(&p->cur, "disable"))
		p->c->default_disable = true;
	else
		return conf_fail_expected(p, &p->cur, "default-phyint",
		    "enable or disable");
	if (conf_advance(p) != 0)
		return -1;
	return conf_end_of_statement(p, "default-phyint", false);
}

/* A flag option (enable/disable, igmpvN): once, and not two of a kind. */
static int
conf_phyint_once(struct conf_parser *p, const struct conf_phyint *pi,
    struct conf_tok *seen, const char *kind)
{
	char a[CONF_TOKBUF], b[CONF_TOKBUF];

	if (seen->len == 0) {
		*seen = p->cur;
		return 0;
	}
	if (seen->len == p->cur.len &&
	    memcmp(seen->s, p->cur.s, seen->len) == 0)
		return conf_fail(p, p->cur.line, p->cur.column,
		    "phyint %s: %s given twice: expected it once", pi->name,
		    conf_tok_str(&p->cur, a, sizeof(a)));
	return conf_fail(p, p->cur.line, p->cur.column,
	    "phyint %s: %s contradicts %s: expected one %s", pi->name,
	    conf_tok_str(&p->cur, a, sizeof(a)),
	    conf_tok_str(seen, b, sizeof(b)), kind);
}

static int
conf_phyint_boundary(struct conf_parser *p, struct conf_phyint *pi)
{
	struct conf_prefix b;
	unsigned i;

	if (conf_advance(p) != 0)
		return -1;
	if (conf_mcast_prefix(p, &p->cur, "boundary", &b) != 0)
		return -1;
	for (i = 0; i < pi->nboundaries; i++)
		if (pi->boundaries[i].addr.s_addr == b.addr.s_addr &&
		    pi->boundaries[i].len == b.len)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "phyint %s: boundary %.*s given twice: expected "
			    "each prefix once",
			    pi->name, (int)p->cur.len, p->cur.s);
	if (pi->nboundaries == CONF_MAX_BOUNDARIES)
		return conf_fail(p, p->cur.line, p->cur.column,
		    "phyint %s: boundary %.*s is one too many: expected at "
		    "most %d",
		    pi->name, (int)p->cur.len, p->cur.s, CONF_MAX_BOUNDARIES);
	pi->boundaries[pi->nboundaries++] = b;
	return conf_advance(p);
}

static int
conf_phyint_static(struct conf_parser *p, struct conf_phyint *pi)
{
	struct conf_static_group sg = { .has_source = false };
	struct conf_tok gt;
	char gbuf[INET_ADDRSTRLEN], sbuf[INET_ADDRSTRLEN];
	unsigned i;

	if (conf_advance(p) != 0)
		return -1;
	gt = p->cur;
	if (conf_group(p, &gt, "static-group", &sg.group) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "source")) {
		if (conf_advance(p) != 0 ||
		    conf_source(p, &p->cur, &sg.source) != 0)
			return -1;
		sg.has_source = true;
	}
	for (i = 0; i < pi->nstatics; i++) {
		const struct conf_static_group *o = &pi->statics[i];

		if (o->group.s_addr != sg.group.s_addr ||
		    o->has_source != sg.has_source ||
		    (sg.has_source && o->source.s_addr != sg.source.s_addr))
			continue;
		return conf_fail(p, gt.line, gt.column,
		    "phyint %s: static-group %s%s%s given twice: expected "
		    "each group once",
		    pi->name, conf_addr_str(sg.group, gbuf),
		    sg.has_source ? " source " : "",
		    sg.has_source ? conf_addr_str(sg.source, sbuf) : "");
	}
	if (pi->nstatics == CONF_MAX_STATIC)
		return conf_fail(p, gt.line, gt.column,
		    "phyint %s: static-group %s is one too many: expected "
		    "at most %d",
		    pi->name, conf_addr_str(sg.group, gbuf), CONF_MAX_STATIC);
	if (!sg.has_source) {
		if (!conf_grow((void **)&p->asm_statics, &p->asm_statics_cap,
			p->nasm_statics, sizeof(*p->asm_statics)))
			return conf_no_memory(p);
		p->asm_statics[p->nasm_statics].group = sg.group;
		p->asm_statics[p->nasm_statics].pos.line = gt.line;
		p->asm_statics[p->nasm_statics].pos.column = gt.column;
		p->nasm_statics++;
	}
	pi->statics[pi->nstatics++] = sg;
	if (sg.has_source)
		return conf_advance(p);
	return 0;
}

/* phyint IF [disable|enable] [threshold N] [igmpv1|igmpv2|igmpv3]
 *     [metric N] [dvmrp enable|disable] [boundary PREFIX]...
 *     [static-group G [source S]]... */
static int
conf_parse_phyint(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct conf_tok kw = p->cur, state = { .len = 0 },
			version = { .len = 0 }, threshold = { .len = 0 },
			metric = { .len = 0 }, dvmrp = { .len = 0 };
	struct conf_phyint *pi;
	char name[IF_NAMESIZE];
	uint64_t v;
	size_t i;

	if (conf_advance(p) != 0 ||
	    conf_ifname(p, &p->cur, "phyint", false, name) != 0)
		return -1;
	for (i = 0; i < c->nphyints; i++)
		if (strcmp(c->phyints[i].name, name) == 0)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "phyint %s already declared at line %u: expected "
			    "each interface once",
			    name, c->phyints[i].line);
	if (c->nphyints == CONF_MAX_PHYINTS)
		return conf_fail(p, kw.line, kw.column,
		    "phyint %s is one too many: expected at most %d", name,
		    CONF_MAX_PHYINTS);
	if (!conf_grow((void **)&c->phyints, &p->phyint_cap, c->nphyints,
		sizeof(*c->phyints)))
		return conf_no_memory(p);
	/* version_pos grows in step: its capacity is p->phyint_cap. */
	{
		struct conf_pos *vp = realloc(p->version_pos,
		    p->phyint_cap * sizeof(*vp));

		if (vp == NULL)
			return conf_no_memory(p);
		p->version_pos = vp;
	}
	pi = &c->phyints[c->nphyints];
	memset(pi, 0, sizeof(*pi));
	memset(&p->version_pos[c->nphyints], 0, sizeof(*p->version_pos));
	conf_strlcpy(pi->name, name, sizeof(pi->name));
	pi->threshold = 1;
	pi->metric = 1;
	pi->line = kw.line;
	c->nphyints++;
	if (conf_advance(p) != 0)
		return -1;

	while (p->cur.kind == CONF_TOK_WORD) {
		struct conf_tok *t = &p->cur;

		if (conf_tok_is(t, "disable") || conf_tok_is(t, "enable")) {
			if (conf_phyint_once(p, pi, &state,
				"of enable or disable") != 0)
				return -1;
			pi->disable = conf_tok_is(t, "disable");
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "igmpv1") ||
		    conf_tok_is(t, "igmpv2") || conf_tok_is(t, "igmpv3")) {
			if (conf_phyint_once(p, pi, &version, "IGMP version") !=
			    0)
				return -1;
			pi->igmp_version = (unsigned)(t->s[5] - '0');
			p->version_pos[c->nphyints - 1].line = t->line;
			p->version_pos[c->nphyints - 1].column = t->column;
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "threshold")) {
			if (threshold.len != 0)
				return conf_fail(p, t->line, t->column,
				    "phyint %s: 'threshold' given twice: "
				    "expected it once",
				    pi->name);
			threshold = *t;
			if (conf_advance(p) != 0)
				return -1;
			if (conf_number(t, 255, &v) != 0 || v == 0)
				return conf_fail_expected(p, t, "threshold",
				    "a TTL threshold 1-255");
			pi->threshold = (uint8_t)v;
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "metric")) {
			if (metric.len != 0)
				return conf_fail(p, t->line, t->column,
				    "phyint %s: 'metric' given twice: "
				    "expected it once",
				    pi->name);
			metric = *t;
			if (conf_advance(p) != 0)
				return -1;
			/* 32 is DVMRP's infinity: unreachable. */
			if (conf_number(t, DVMRP_INFINITY - 1, &v) != 0 ||
			    v == 0)
				return conf_fail_expected(p, t, "metric",
				    "a DVMRP metric 1-31");
			pi->metric = (uint8_t)v;
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "dvmrp")) {
			if (dvmrp.len != 0)
				return conf_fail(p, t->line, t->column,
				    "phyint %s: 'dvmrp' given twice: "
				    "expected it once",
				    pi->name);
			dvmrp = *t;
			if (conf_advance(p) != 0)
				return -1;
			if (conf_tok_is(t, "disable"))
				pi->no_dvmrp = true;
			else if (conf_tok_is(t, "enable"))
				pi->no_dvmrp = false;
			else
				return conf_fail_expected(p, t, "dvmrp",
				    "enable or disable");
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "boundary")) {
			if (conf_phyint_boundary(p, pi) != 0)
				return -1;
		} else if (conf_tok_is(t, "static-group")) {
			if (conf_phyint_static(p, pi) != 0)
				return -1;
		} else {
			char what[IF_NAMESIZE + 8];

			snprintf(what, sizeof(what), "phyint %s", pi->name);
			return conf_fail_expected(p, t, what,
			    "disable, enable, threshold, igmpv1, igmpv2, "
			    "igmpv3, metric, dvmrp, boundary or "
			    "static-group");
		}
	}
	return conf_end_of_statement(p, "phyint", false);
}

/* "(S, G)", "(*, G)" or "(*, G/LEN)" of a route, for messages. */
static const char *
conf_mroute_key_str(const struct conf_mroute *mr, char *buf, size_t size)
{
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], len[8] = "";

	if (mr->group_len != 32)
		snprintf(len, sizeof(len), "/%u", mr->group_len);
	snprintf(buf, size, "(%s, %s%s)",
	    mr->has_source ? conf_addr_str(mr->source, s) : "*",
	    conf_addr_str(mr->group, g), len);
	return buf;
}

/*
 * mroute from IF [source S] group G[/LEN] to IF...: an interface name
 * ending in '+' is a wildcard; a range and a wildcard 'from' are for
 * (*,G) routes only (a source-specific route names its group and the one
 * interface its source's packets come in by).
 */
static int
conf_parse_mroute(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct conf_tok kw = p->cur, gt, ft;
	struct conf_mroute *mr;
	char name[IF_NAMESIZE], key[64], msg[sizeof(p->err->message)];
	size_t i;
	unsigned j;

	if (c->nmroutes == CONF_MAX_MROUTES)
		return conf_fail(p, kw.line, kw.column,
		    "mroute is one too many: expected at most %d",
		    CONF_MAX_MROUTES);
	if (!conf_grow((void **)&c->mroutes, &p->mroute_cap, c->nmroutes,
		sizeof(*c->mroutes)))
		return conf_no_memory(p);
	mr = &c->mroutes[c->nmroutes];
	memset(mr, 0, sizeof(*mr));
	mr->line = kw.line;

	if (conf_advance(p) != 0)
		return -1;
	if (!conf_tok_is(&p->cur, "from"))
		return conf_fail_expected(p, &p->cur, "mroute", "'from'");
	if (conf_advance(p) != 0)
		return -1;
	ft = p->cur;
	if (conf_ifname(p, &ft, "from", true, mr->iif) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "source")) {
		if (conf_check_sourced_iif(mr->iif, msg, sizeof(msg)) != 0)
			return conf_fail(p, ft.line, ft.column, "%s", msg);
		if (conf_advance(p) != 0 ||
		    conf_source(p, &p->cur, &mr->source) != 0 ||
		    conf_advance(p) != 0)
			return -1;
		mr->has_source = true;
		if (!conf_tok_is(&p->cur, "group"))
			return conf_fail_expected(p, &p->cur, "mroute",
			    "'group'");
	} else if (!conf_tok_is(&p->cur, "group")) {
		return conf_fail_expected(p, &p->cur, "mroute",
		    "'source' or 'group'");
	}
	if (conf_advance(p) != 0)
		return -1;
	gt = p->cur;
	if (conf_group_range(p, &gt, "group", &mr->group, &mr->group_len) !=
		0 ||
	    conf_advance(p) != 0)
		return -1;
	if (mr->has_source &&
	    conf_check_sourced_group(gt.s, gt.len, mr->group_len, msg,
		sizeof(msg)) != 0)
		return conf_fail(p, gt.line, gt.column, "%s", msg);
	for (i = 0; i < c->nmroutes; i++) {
		const struct conf_mroute *o = &c->mroutes[i];

		if (o->group.s_addr != mr->group.s_addr ||
		    o->group_len != mr->group_len ||
		    o->has_source != mr->has_source ||
		    (mr->has_source && o->source.s_addr != mr->source.s_addr))
			continue;
		return conf_fail(p, gt.line, gt.column,
		    "mroute for %s already given at line %u: expected "
		    "one route per source and group",
		    conf_mroute_key_str(mr, key, sizeof(key)), o->line);
	}
	if (!conf_tok_is(&p->cur, "to"))
		return conf_fail_expected(p, &p->cur, "mroute", "'to'");
	if (conf_advance(p) != 0)
		return -1;
	if (p->cur.kind != CONF_TOK_WORD)
		return conf_fail_expected(p, &p->cur, "to",
		    "an outgoing interface");
	while (p->cur.kind == CONF_TOK_WORD) {
		if (conf_ifname(p, &p->cur, "to", true, name) != 0)
			return -1;
		/* A wildcard both ways: among them, but back where it came. */
		if (strcmp(name, mr->iif) == 0 &&
		    !conf_ifname_is_wildcard(name))
			return conf_fail(p, p->cur.line, p->cur.column,
			    "to: %s is the incoming interface: expected "
			    "outgoing interfaces other than 'from %s'",
			    name, mr->iif);
		for (j = 0; j < mr->noifs; j++)
			if (strcmp(mr->oifs[j], name) == 0)
				return conf_fail(p, p->cur.line, p->cur.column,
				    "to: %s given twice: "
				    "expected each interface once",
				    name);
		if (mr->noifs == CONF_MAX_OIFS)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "to: %s is one too many: expected at most %d "
			    "outgoing interfaces",
			    name, CONF_MAX_OIFS);
		conf_strlcpy(mr->oifs[mr->noifs++], name, IF_NAMESIZE);
		if (conf_advance(p) != 0)
			return -1;
	}
	c->nmroutes++;
	return conf_end_of_statement(p, "mroute", false);
}

static int
conf_parse_key_value(struct conf_parser *p, const struct conf_key *k)
{
	const struct conf_tok *t = &p->cur;
	uint32_t *u = conf_key_ptr(p->c, k);
	char lo[24], hi[24], range[128], tok[CONF_TOKBUF];
	struct conf_prefix pfx;
	uint64_t v, min_ms, max_ms;
	int rc;

	switch (k->kind) {
	case CONF_KIND_NUMBER:
	case CONF_KIND_LIMIT:
		if (k->kind == CONF_KIND_LIMIT && conf_tok_is(t, "none")) {
			*u = 0;
			return 0;
		}
		if (conf_number(t, k->max, &v) != 0 || v < k->min) {
			snprintf(range, sizeof(range),
			    "a number %" PRIu32 "-%" PRIu32 "%s", k->min,
			    k->max,
			    k->kind == CONF_KIND_LIMIT ? " or none" : "");
			return conf_fail_expected(p, t, k->name, range);
		}
		*u = (uint32_t)v;
		return 0;
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS:
		min_ms = k->min;
		max_ms = k->max;
		if (k->kind == CONF_KIND_SECONDS) {
			min_ms *= 1000;
			max_ms *= 1000;
		}
		rc = conf_duration(t, &v);
		if (rc == -1)
			return conf_fail_expected(p, t, k->name,
			    "a duration "
			    "such as 125, 125s, 500ms or 2m");
		if (rc != 0 || v < min_ms || v > max_ms) {
			snprintf(range, sizeof(range),
			    "a duration from %s to %s%s%s%s",
			    conf_duration_str(min_ms, lo, sizeof(lo)),
			    conf_duration_str(max_ms, hi, sizeof(hi)),
			    k->range_why ? " (" : "",
			    k->range_why ? k->range_why : "",
			    k->range_why ? ")" : "");
			return conf_fail_expected(p, t, k->name, range);
		}
		if (v % k->step_ms != 0)
			return conf_fail(p, t->line, t->column,
			    "%s: expected a multiple of %s (%s), got %s",
			    k->name,
			    conf_duration_str(k->step_ms, lo, sizeof(lo)),
			    k->step_why, conf_tok_str(t, tok, sizeof(tok)));
		*u = (uint32_t)(k->kind == CONF_KIND_SECONDS ? v / 1000 : v);
		return 0;
	case CONF_KIND_SWITCH:
		*(bool *)conf_key_ptr(p->c, k) = conf_tok_is(t, k->name);
		return 0;
	case CONF_KIND_BOOL:
		if (!conf_tok_is(t, "yes") && !conf_tok_is(t, "no"))
			return conf_fail_expected(p, t, k->name, "yes or no");
		*(bool *)conf_key_ptr(p->c, k) = conf_tok_is(t, "yes");
		return 0;
	case CONF_KIND_SSM:
		if (conf_tok_is(t, "none")) {
			p->c->igmp.ssm_prefix.s_addr = 0;
			p->c->igmp.ssm_prefix_len = 0;
			return 0;
		}
		if (!conf_parse_prefix(t, &pfx))
			return conf_fail_expected(p, t, k->name,
			    "a multicast prefix such as 232.0.0.0/8, or none");
		if (conf_mcast_prefix(p, t, k->name, &pfx) != 0)
			return -1;
		p->c->igmp.ssm_prefix = pfx.addr;
		p->c->igmp.ssm_prefix_len = pfx.len;
		return 0;
	}
	return -1;
}

/* Whether the word t is the setting k (a switch: either of its words). */
static bool
conf_key_is(const struct conf_tok *t, const struct conf_key *k)
{
	return conf_tok_is(t, k->name) ||
	    (k->alias != NULL && conf_tok_is(t, k->alias));
}

/* "version, robustness ... or ssm-range": the settings of block b. */
static void
conf_block_keys(enum conf_block b, char *buf, size_t size)
{
	const char *words[2 * CONF_NKEYS];
	size_t i, n = 0, len = 0;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].block != b)
			continue;
		/* A switch's two words: enable, disable. */
		if (conf_keys[i].kind == CONF_KIND_SWITCH)
			words[n++] = conf_keys[i].alias;
		words[n++] = conf_keys[i].name;
	}
	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		snprintf(buf + len, size - len, "%s%s", words[i],
		    i + 1 == n	   ? "" :
			i + 2 == n ? " or " :
				     ", ");
		len += strlen(buf + len);
	}
}

/* igmp { ... }, limits { ... }, mfc { ... }, dvmrp { ... } */
static int
conf_parse_block(struct conf_parser *p, enum conf_block b)
{
	const char *bname = conf_block_names[b];
	struct conf_tok kw = p->cur;
	char expected[sizeof(p->err->message)];
	size_t i;

	if (p->block_line[b] != 0)
		return conf_fail(p, kw.line, kw.column,
		    "%s block already given at line %u: expected one %s "
		    "block",
		    bname, p->block_line[b], bname);
	p->block_line[b] = kw.line;
	if (conf_advance(p) != 0)
		return -1;
	if (p->cur.kind != CONF_TOK_LBRACE)
		return conf_fail_expected(p, &p->cur, bname, "'{'");
	if (conf_advance(p) != 0)
		return -1;
	for (;;) {
		const struct conf_key *k = NULL;
		const char *word;

		switch (p->cur.kind) {
		case CONF_TOK_END:
			if (conf_advance(p) != 0)
				return -1;
			continue;
		case CONF_TOK_RBRACE:
			if (conf_advance(p) != 0)
				return -1;
			return conf_end_of_statement(p, bname, false);
		case CONF_TOK_EOF:
			return conf_fail(p, p->cur.line, p->cur.column,
			    "%s block opened at line %u is not closed: "
			    "expected '}', got end of file",
			    bname, kw.line);
		case CONF_TOK_LBRACE:
		case CONF_TOK_WORD:
			break;
		}
		for (i = 0; i < CONF_NKEYS; i++)
			if (conf_keys[i].block == b &&
			    conf_key_is(&p->cur, &conf_keys[i])) {
				k = &conf_keys[i];
				break;
			}
		if (k == NULL) {
			conf_block_keys(b, expected, sizeof(expected));
			return conf_fail_expected(p, &p->cur, bname, expected);
		}
		if (p->key_pos[i].line != 0 && k->kind == CONF_KIND_SWITCH)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "%s: %s or %s already given at line %u: expected "
			    "one of them once",
			    bname, k->alias, k->name, p->key_pos[i].line);
		if (p->key_pos[i].line != 0)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "%s: %s already given at line %u: expected each "
			    "setting once",
			    bname, k->name, p->key_pos[i].line);
		/* A switch is its word; other settings have a value. */
		word = conf_tok_is(&p->cur, k->name) ? k->name : k->alias;
		if (k->kind != CONF_KIND_SWITCH && conf_advance(p) != 0)
			return -1;
		p->key_pos[i].line = p->cur.line;
		p->key_pos[i].column = p->cur.column;
		if (conf_parse_key_value(p, k) != 0 || conf_advance(p) != 0 ||
		    conf_end_of_statement(p, word, true) != 0)
			return -1;
	}
}

/* --- the file: statement after statement --------------------------- */

int
conf_parse_text(struct conf_parser *p)
{
	static const char *const statements = "default-phyint, phyint, "
					      "mroute, tunnel, igmp, limits, "
					      "mfc or dvmrp";
	int rc;

	if (conf_advance(p) != 0)
		return -1;
	for (;;) {
		struct conf_tok *t = &p->cur;

		switch (t->kind) {
		case CONF_TOK_EOF:
			return 0;
		case CONF_TOK_END:
			rc = conf_advance(p);
			break;
		case CONF_TOK_RBRACE:
			return conf_fail(p, t->line, t->column,
			    "'}' closes "
			    "no block: expected a statement (%s)",
			    statements);
		case CONF_TOK_LBRACE:
			return conf_fail_expected(p, t, NULL, statements);
		case CONF_TOK_WORD:
		default:
			if (conf_tok_is(t, "phyint"))
				rc = conf_parse_phyint(p);
			else if (conf_tok_is(t, "mroute"))
				rc = conf_parse_mroute(p);
			else if (conf_tok_is(t, "tunnel"))
				rc = conf_parse_tunnel(p);
			else if (conf_tok_is(t, "default-phyint"))
				rc = conf_parse_default_phyint(p);
			else if (conf_tok_is(t, "igmp"))
				rc = conf_parse_block(p, CONF_BLOCK_IGMP);
			else if (conf_tok_is(t, "limits"))
				rc = conf_parse_block(p, CONF_BLOCK_LIMITS);
			else if (conf_tok_is(t, "mfc"))
				rc = conf_parse_block(p, CONF_BLOCK_MFC);
			else if (conf_tok_is(t, "dvmrp"))
				rc = conf_parse_block(p, CONF_BLOCK_DVMRP);
			else
				return conf_fail_expected(p, t, NULL,
				    statements);
			break;
		}
		if (rc != 0)
			return -1;
	}
}
