/*
 * mcastd's configuration in the router: the file's settings turned into
 * the router's (proto/router.h), at start and on reload (SIGHUP, mcastctl
 * reload), and the warnings about names that match no interface.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	for (i = 0; i < m->noifs && i < ROUTER_MAX_OIFS; i++)
		snprintf(out->oifs[i], sizeof(out->oifs[i]), "%s", m->oifs[i]);
	out->noifs = i;
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
	rc->default_disable = c->default_disable;
	for (i = 0; i < c->nphyints; i++)
		n += c->phyints[i].nstatics;
	phyints = calloc(c->nphyints ? c->nphyints : 1, sizeof(*phyints));
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
	for (i = 0; i < c->nmroutes; i++)
		reload_route(&c->mroutes[i], &routes[i]);
	rc->phyints = phyints;
	rc->nphyints = c->nphyints;
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

struct reload_find {
	const char *name;
	bool found;
};

static int
reload_find_iface(void *arg, const struct router_iface_view *v)
{
	struct reload_find *f = arg;

	if (strcmp(v->name, f->name) == 0) {
		f->found = true;
		return 1;
	}
	return 0;
}

static void
reload_log_cut(void *arg, unsigned line, const char *msg)
{
	const struct mcastd *d = arg;

	log_warn("%s:%u: %s", d->conf_path, line, msg);
}

/*
 * A phyint naming no interface is not an error (interfaces come and go,
 * and netlink tells us when it appears) but may be a typo: say so.
 */
void
reload_warn_missing(struct mcastd *d)
{
	const struct conf_phyint *pi;
	struct reload_find f;
	size_t i;

	for (i = 0; i < d->conf.nphyints; i++) {
		pi = &d->conf.phyints[i];
		f.name = pi->name;
		f.found = false;
		router_foreach_iface(d->router, reload_find_iface, &f);
		if (!f.found)
			log_warn("phyint %s (%s:%u): no such interface now; "
				 "its settings apply when it appears",
			    pi->name, d->conf_path, pi->line);
	}
	/* Static routes and groups a boundary cuts (mcastd -t says it too). */
	conf_warnings(&d->conf, reload_log_cut, d);
}

int
mcastd_reload(struct mcastd *d, char *msg, size_t len)
{
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
		snprintf(msg, len, "configuration unchanged");
		return 0;
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
	outputs_apply(d);
	outputs_tap_update(d);
	reload_warn_missing(d);
	d->stats.reloads++;
	snprintf(msg, len, "configuration reloaded from %s", d->conf_path);
	log_notice("%s", msg);
	return 0;
}
