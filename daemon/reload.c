/*
 * mcastd's configuration in the router: the file's settings turned into
 * the router's (proto/router.h), at start and on reload (SIGHUP, mcastctl
 * reload), and the warnings about names that match no interface.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "mcastd.h"

static void
reload_phyint(const struct conf *c, const struct conf_phyint *pi,
    struct router_phyint *out)
{
	unsigned i;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", pi->name);
	out->disable = pi->disable;
	out->threshold = pi->threshold;
	out->metric = pi->metric;
	out->no_dvmrp = pi->no_dvmrp;
	conf_phyint_igmp(c, pi, &out->igmp);
	for (i = 0; i < pi->nboundaries && i < MFC_MAX_BOUNDARIES; i++) {
		out->boundaries[i].addr = pi->boundaries[i].addr;
		out->boundaries[i].len = pi->boundaries[i].len;
	}
	out->nboundaries = i;
}

static void
reload_route(const struct conf_mroute *m, struct router_route *out)
{
	unsigned i;

	memset(out, 0, sizeof(*out));
	snprintf(out->iif, sizeof(out->iif), "%s", m->iif);
	out->has_source = m->has_source;
	out->source = m->source;
	out->group = m->group;
	out->group_len = m->group_len;
	for (i = 0; i < m->noifs && i < ROUTER_MAX_OIFS; i++)
		snprintf(out->oifs[i], sizeof(out->oifs[i]), "%s", m->oifs[i]);
	out->noifs = i;
}

/* A tunnel's device is a phyint of the router's, marked a tunnel. */
static void
reload_tunnel(const struct conf *c, const struct conf_tunnel *t,
    struct router_phyint *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", t->name);
	out->threshold = t->threshold;
	out->metric = t->metric;
	out->tunnel = true;
	out->tunnel_remote = t->remote;
	conf_phyint_igmp(c, NULL, &out->igmp);
}

int
reload_router_config(const struct conf *c, struct router_config *rc)
{
	struct router_phyint *phyints = NULL;
	struct router_static_group *statics = NULL;
	struct router_route *routes = NULL;
	size_t i, k, n = 0;

	router_config_defaults(rc);
	rc->mfc.max_entries = c->max_mfc_entries; /* 0: none */
	if (c->mfc_idle_timeout_s)
		rc->mfc.idle_timeout_ms = c->mfc_idle_timeout_s * 1000;
	conf_phyint_igmp(c, NULL, &rc->igmp);
	rc->dvmrp = c->dvmrp;
	rc->default_disable = c->default_disable;
	for (i = 0; i < c->nphyints; i++)
		n += c->phyints[i].nstatics;
	phyints = calloc(c->nphyints + c->ntunnels + 1, sizeof(*phyints));
	statics = calloc(n ? n : 1, sizeof(*statics));
	routes = calloc(c->nmroutes ? c->nmroutes : 1, sizeof(*routes));
	if (phyints == NULL || statics == NULL || routes == NULL) {
		free(phyints);
		free(statics);
		free(routes);
		return -1;
	}
	for (i = 0, n = 0; i < c->nphyints; i++) {
		const struct conf_phyint *pi = &c->phyints[i];

		reload_phyint(c, pi, &phyints[i]);
		for (k = 0; k < pi->nstatics; k++, n++) {
			snprintf(statics[n].ifname, sizeof(statics[n].ifname),
			    "%s", pi->name);
			statics[n].group = pi->statics[k].group;
			statics[n].has_source = pi->statics[k].has_source;
			statics[n].source = pi->statics[k].source;
		}
	}
	for (i = 0; i < c->ntunnels; i++)
		reload_tunnel(c, &c->tunnels[i], &phyints[c->nphyints + i]);
	for (i = 0; i < c->nmroutes; i++)
		reload_route(&c->mroutes[i], &routes[i]);
	rc->phyints = phyints;
	rc->nphyints = c->nphyints + c->ntunnels;
	rc->statics = statics;
	rc->nstatics = n;
	rc->routes = routes;
	rc->nroutes = c->nmroutes;
	return 0;
}

void
reload_router_config_free(struct router_config *rc)
{
	free((void *)rc->phyints);
	free((void *)rc->statics);
	free((void *)rc->routes);
	memset(rc, 0, sizeof(*rc));
}

/* Interface names, for the checks of names that match none. */
struct reload_names {
	const char *names[ROUTER_MAX_IFACES];
	size_t n;
};

static int
reload_name_add(void *arg, const struct router_iface_view *v)
{
	struct reload_names *l = arg;

	if (l->n < ROUTER_MAX_IFACES)
		l->names[l->n++] = v->name;
	return 0;
}

struct reload_warn {
	const char *path;
	FILE *out;		 /* mcastd -t: "FILE:LINE: warning: ..." */
	struct control_reply *r; /* mcastctl reload: records */
};

static void
reload_warn_one(void *arg, const struct conf_name_warning *w)
{
	struct reload_warn *ctx = arg;
	char msg[256];

	conf_name_warning_format(w, msg, sizeof(msg));
	if (ctx->out != NULL) {
		fprintf(ctx->out, "%s:%u: warning: %s\n", ctx->path, w->line,
		    msg);
		return;
	}
	log_warn("%s:%u: %s", ctx->path, w->line, msg);
	if (ctx->r == NULL)
		return;
	control_record(ctx->r, "warning");
	control_field(ctx->r, "file", "%s", ctx->path);
	control_num(ctx->r, "line", "%u", w->line);
	control_field(ctx->r, "statement", "%s", w->statement);
	control_field(ctx->r, "name", "%s", w->name);
	control_field(ctx->r, "did_you_mean", "%s",
	    w->suggestion ? w->suggestion : "");
	control_field(ctx->r, "message", "%s", msg);
}

/* What the file's boundaries cut (conf_warnings): logged, and a record. */
static void
reload_warn_cut(void *arg, unsigned line, const char *msg)
{
	struct reload_warn *ctx = arg;

	log_warn("%s:%u: %s", ctx->path, line, msg);
	if (ctx->r == NULL)
		return;
	control_record(ctx->r, "warning");
	control_field(ctx->r, "file", "%s", ctx->path);
	control_num(ctx->r, "line", "%u", line);
	control_null(ctx->r, "statement");
	control_null(ctx->r, "name");
	control_null(ctx->r, "did_you_mean");
	control_field(ctx->r, "message", "%s", msg);
}

/*
 * A name that matches no interface is not an error (interfaces come and
 * go, and netlink tells us when one appears) but may be a typo: each is
 * logged, and given to r as a warning record when r is not NULL; so is
 * what a boundary of the file cuts.  The count of the names.
 */
static size_t
reload_warn_names(struct mcastd *d, struct control_reply *r)
{
	struct reload_warn ctx = { .path = d->conf_path, .r = r };
	struct reload_names *l = calloc(1, sizeof(*l));
	size_t n;

	if (l == NULL)
		return 0;
	router_foreach_iface(d->router, reload_name_add, l);
	n = conf_unknown_names(&d->conf, l->names, l->n, reload_warn_one, &ctx);
	free(l);
	/* Static routes and groups a boundary cuts (mcastd -t says it too). */
	conf_warnings(&d->conf, reload_warn_cut, &ctx);
	return n;
}

void
reload_warn_missing(struct mcastd *d)
{
	reload_warn_names(d, NULL);
}

size_t
reload_check_host(const char *path, const struct conf *c, FILE *out)
{
	struct reload_warn ctx = { .path = path, .out = out };
	struct if_nameindex *ifs = if_nameindex(), *p;
	const char **names;
	size_t n = 0, count;

	if (ifs == NULL)
		return 0;
	for (p = ifs; p->if_index != 0; p++)
		n++;
	names = calloc(n ? n : 1, sizeof(*names));
	if (names == NULL) {
		if_freenameindex(ifs);
		return 0;
	}
	for (n = 0, p = ifs; p->if_index != 0; p++)
		names[n++] = p->if_name;
	count = conf_unknown_names(c, names, n, reload_warn_one, &ctx);
	free(names);
	if_freenameindex(ifs);
	return count;
}

int
mcastd_reload(struct mcastd *d, char *msg, size_t len)
{
	return mcastd_reload_reply(d, msg, len, NULL);
}

/* The message of a reload that went through, with its warnings. */
static int
reload_done(struct mcastd *d, char *msg, size_t len, struct control_reply *r,
    const char *what)
{
	size_t n = reload_warn_names(d, r);

	if (n == 0) {
		snprintf(msg, len, "%s", what);
		return 0;
	}
	snprintf(msg, len,
	    "%s, but %zu name%s in it match%s no interface (see the "
	    "warning%s)",
	    what, n, n == 1 ? "" : "s", n == 1 ? "es" : "", n == 1 ? "" : "s");
	return (int)(n > INT32_MAX ? INT32_MAX : n);
}

int
mcastd_reload_reply(struct mcastd *d, char *msg, size_t len,
    struct control_reply *r)
{
	char what[512];
	struct router_config rc;
	struct conf fresh;
	struct conf_error err;
	char buf[512];
	int rc_err;

	if (conf_load(d->conf_path, &fresh, &err) < 0) {
		conf_error_format(&err, buf, sizeof(buf));
		snprintf(msg, len,
		    "reload refused, the running configuration "
		    "stays: %s",
		    buf);
		log_err("%s", msg);
		d->stats.reload_errors++;
		return -1;
	}
	if (conf_equal(&fresh, &d->conf)) {
		conf_free(&fresh);
		return reload_done(d, msg, len, r, "configuration unchanged");
	}
	if (reload_router_config(&fresh, &rc) != 0) {
		conf_free(&fresh);
		snprintf(msg, len,
		    "reload refused, the running configuration "
		    "stays: out of memory");
		log_err("%s", msg);
		d->stats.reload_errors++;
		return -1;
	}
	rc_err = router_configure(d->router, mcastd_now(), &rc);
	reload_router_config_free(&rc);
	if (rc_err != 0) {
		conf_free(&fresh);
		snprintf(msg, len,
		    "reload refused, the running configuration "
		    "stays: %s",
		    rc_err == -EINVAL ? "a setting the router "
					"refuses" :
					"out of memory");
		log_err("%s", msg);
		d->stats.reload_errors++;
		return -1;
	}
	conf_free(&d->conf);
	d->conf = fresh;
	/* Tunnels come and go; the router follows their devices. */
	tun_sync(d->tunnels, d->loop, &d->conf);
	outputs_apply(d);
	outputs_tap_update(d);
	d->stats.reloads++;
	snprintf(what, sizeof(what), "configuration reloaded from %s",
	    d->conf_path);
	log_notice("%s", what);
	return reload_done(d, msg, len, r, what);
}
