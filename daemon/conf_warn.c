/*
 * Warnings about a configuration that parses but cannot do what it says
 * (conf.h): a static route or static group a boundary of the same file
 * cuts, on its outgoing interface or on the incoming one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"

struct conf_warn_ctx {
	conf_warn_fn fn;
	void *arg;
	unsigned count;
};

static void conf_warn(struct conf_warn_ctx *w, unsigned line, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
conf_warn(struct conf_warn_ctx *w, unsigned line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->count++;
	w->fn(w->arg, line, msg);
}

/* The first boundary of phyint name covering group, or NULL. */
static const struct conf_prefix *
conf_boundary_of(const struct conf *c, const char *name, struct in_addr group,
    const struct conf_phyint **pi_out)
{
	const struct conf_phyint *pi = conf_phyint(c, name);
	uint32_t mask;
	unsigned k;

	*pi_out = pi;
	for (k = 0; pi != NULL && k < pi->nboundaries; k++) {
		mask = pi->boundaries[k].len == 0 ?
		    0 :
		    htonl(~0u << (32 - pi->boundaries[k].len));
		if ((group.s_addr & mask) == pi->boundaries[k].addr.s_addr)
			return &pi->boundaries[k];
	}
	return NULL;
}

/* "239.0.0.0/8" */
static const char *
conf_prefix_str(const struct conf_prefix *b, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &b->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, b->len);
	return buf;
}

static void
conf_warn_mroute(struct conf_warn_ctx *w, const struct conf *c,
    const struct conf_mroute *m)
{
	char g[INET_ADDRSTRLEN + 4], s[INET_ADDRSTRLEN + 8], b[24];
	const struct conf_phyint *pi;
	const struct conf_prefix *bd;
	unsigned i;

	inet_ntop(AF_INET, &m->group, g, sizeof(g));
	/* A range: "239.1.0.0/16", cut when a boundary covers all of it. */
	if (m->group_len != 32)
		snprintf(g + strlen(g), sizeof(g) - strlen(g), "/%u",
		    m->group_len);
	s[0] = '\0';
	if (m->has_source) {
		memcpy(s, "source ", 8);
		inet_ntop(AF_INET, &m->source, s + 7, sizeof(s) - 7);
		strcat(s, " ");
	}
	if ((bd = conf_boundary_of(c, m->iif, m->group, &pi)) != NULL &&
	    bd->len <= m->group_len) {
		conf_warn(w, m->line,
		    "mroute from %s %sgroup %s forwards nothing: the "
		    "boundary %s of %s (line %u), its incoming interface, "
		    "covers the group",
		    m->iif, s, g, conf_prefix_str(bd, b, sizeof(b)), m->iif,
		    pi->line);
		return;
	}
	for (i = 0; i < m->noifs; i++)
		if ((bd = conf_boundary_of(c, m->oifs[i], m->group, &pi)) !=
			NULL &&
		    bd->len <= m->group_len)
			conf_warn(w, m->line,
			    "mroute from %s %sgroup %s: not forwarded to "
			    "%s: the boundary %s of %s (line %u) covers the "
			    "group",
			    m->iif, s, g, m->oifs[i],
			    conf_prefix_str(bd, b, sizeof(b)), m->oifs[i],
			    pi->line);
}

static void
conf_warn_static(struct conf_warn_ctx *w, const struct conf *c,
    const struct conf_phyint *pi, const struct conf_static_group *sg)
{
	char g[INET_ADDRSTRLEN], b[24];
	const struct conf_phyint *same;
	const struct conf_prefix *bd;

	bd = conf_boundary_of(c, pi->name, sg->group, &same);
	if (bd == NULL)
		return;
	inet_ntop(AF_INET, &sg->group, g, sizeof(g));
	conf_warn(w, pi->line,
	    "phyint %s: static-group %s is never forwarded there: the "
	    "boundary %s of %s covers the group",
	    pi->name, g, conf_prefix_str(bd, b, sizeof(b)), pi->name);
}

unsigned
conf_warnings(const struct conf *c, conf_warn_fn fn, void *arg)
{
	struct conf_warn_ctx w = { .fn = fn, .arg = arg };
	size_t i;
	unsigned k;

	for (i = 0; i < c->nphyints; i++)
		for (k = 0; k < c->phyints[i].nstatics; k++)
			conf_warn_static(&w, c, &c->phyints[i],
			    &c->phyints[i].statics[k]);
	for (i = 0; i < c->nmroutes; i++)
		conf_warn_mroute(&w, c, &c->mroutes[i]);
	return w.count;
}
