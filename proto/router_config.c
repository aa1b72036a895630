/*
 * The router library's configuration (router.h): the settings copied and
 * checked, what a reload changes, and the static routes and memberships
 * (the file's and mcastctl's) given to the composer by comparing what
 * there should be with what it was given before.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"
#include "srcset.h"

/* ------------------------------------------------------------------ */
/* Lookups                                                            */

const struct router_phyint *
router_phyint(const struct router *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nphyints; i++)
		if (strcmp(r->phyints[i].name, name) == 0)
			return &r->phyints[i];
	return NULL;
}

bool
router_vif_is_tunnel(const struct router *r, const char *name)
{
	const struct router_phyint *pi = router_phyint(r, name);

	return pi != NULL && pi->tunnel;
}

void
router_vif_settings(const struct router *r, const char *name,
    uint8_t *threshold, struct mfc_prefix *b, unsigned *nb,
    struct igmp_router_config *igmp)
{
	const struct router_phyint *pi = router_phyint(r, name);

	memset(b, 0, MFC_MAX_BOUNDARIES * sizeof(*b));
	if (pi == NULL) {
		*threshold = 1;
		*nb = 0;
		*igmp = r->igmp_default;
		return;
	}
	*threshold = pi->threshold;
	*nb = pi->nboundaries;
	memcpy(b, pi->boundaries, sizeof(pi->boundaries));
	*igmp = pi->igmp;
}

static bool
router_is_group(struct in_addr g)
{
	return IN_MULTICAST(ntohl(g.s_addr));
}

/* ------------------------------------------------------------------ */
/* Static routes                                                      */

bool
router_name_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '+')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

uint32_t
router_vifs_matching(const struct router *r, const char *pattern)
{
	uint32_t mask = 0;
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used &&
		    router_name_matches(pattern, r->vifs[v].name))
			mask |= 1u << v;
	return mask;
}

/*
 * A route with its names as VIFs (wildcards expanded over the VIFs there
 * are now); false when no VIF matches its iif.
 */
static bool
router_route_resolve(const struct router *r, const struct router_route *rt,
    struct mfc_route *out)
{
	uint32_t iifs = router_vifs_matching(r, rt->iif);
	unsigned i;

	if (iifs == 0)
		return false;
	memset(out, 0, sizeof(*out));
	out->source = rt->has_source ? rt->source : (struct in_addr){ 0 };
	out->group = rt->group;
	out->len = rt->group_len;
	out->iifs = iifs;
	for (i = 0; i < rt->noifs; i++)
		out->oifs |= router_vifs_matching(r, rt->oifs[i]);
	/* One way in is no way out. */
	if ((iifs & (iifs - 1)) == 0)
		out->oifs &= ~iifs;
	return true;
}

static const struct mfc_route *
router_applied_find(const struct mfc_route *list, size_t n,
    const struct mfc_route *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].source.s_addr == key->source.s_addr &&
		    list[i].group.s_addr == key->group.s_addr &&
		    list[i].len == key->len)
			return &list[i];
	return NULL;
}

/* Route i of the file, then of mcastctl. */
static const struct router_route *
router_route_at(const struct router *r, size_t i, bool *runtime)
{
	*runtime = i >= r->nroutes;
	return i < r->nroutes ? &r->routes[i] : &r->rt_routes[i - r->nroutes];
}

/*
 * Bring the composer's static routes to what the file and mcastctl ask
 * for, touching only the routes that changed (a reload must not disturb
 * the flows it does not concern).  The file's route wins over mcastctl's
 * for the same source and group.  Wildcards follow the VIFs: this runs
 * again whenever they change.
 */
void
router_routes_sync(struct router *r, mc_time_t now)
{
	size_t n = r->nroutes + r->nrt_routes, i, k = 0;
	struct mfc_route *want = calloc(n ? n : 1, sizeof(*want));
	const struct mfc_route *old;
	bool runtime;

	if (want == NULL) {
		r->stats.unexpected_events++;
		return;
	}
	for (i = 0; i < n; i++)
		if (router_route_resolve(r, router_route_at(r, i, &runtime),
			&want[k]) &&
		    !router_applied_find(want, k, &want[k]))
			k++;
	for (i = 0; i < r->napplied; i++)
		if (!router_applied_find(want, k, &r->applied[i]))
			mfc_route_del(r->mfc, now, r->applied[i].source,
			    r->applied[i].group, r->applied[i].len);
	for (i = 0; i < k; i++) {
		old = router_applied_find(r->applied, r->napplied, &want[i]);
		if (old == NULL || old->iifs != want[i].iifs ||
		    old->oifs != want[i].oifs)
			mfc_route_add(r->mfc, now, &want[i]);
	}
	free(r->applied);
	r->applied = want;
	r->napplied = k;
	router_drain_mfc(r, now);
}

static bool
router_route_same_key(const struct router_route *a,
    const struct router_route *b)
{
	return a->group.s_addr == b->group.s_addr &&
	    a->group_len == b->group_len && a->has_source == b->has_source &&
	    (!a->has_source || a->source.s_addr == b->source.s_addr);
}

static int
router_route_check(const struct router_route *rt)
{
	uint32_t g = ntohl(rt->group.s_addr);
	size_t n = strnlen(rt->iif, IF_NAMESIZE);

	if (!router_is_group(rt->group) || n == 0 || n == IF_NAMESIZE ||
	    rt->noifs > ROUTER_MAX_OIFS || rt->group_len < 4 ||
	    rt->group_len > 32 ||
	    (g & ~(0xffffffffu << (32 - rt->group_len))) != 0 ||
	    (rt->group_len >= 24 && (g >> 8) == 0xe00000))
		return -EINVAL;
	if (rt->has_source &&
	    (router_is_group(rt->source) || rt->source.s_addr == INADDR_ANY ||
		rt->group_len != 32 || rt->iif[n - 1] == '+'))
		return -EINVAL;
	return 0;
}

int
router_route_add(struct router *r, mc_time_t now, const struct router_route *rt,
    struct router_route *replaced)
{
	size_t i;
	int rc = 0;

	if (router_route_check(rt) != 0)
		return -EINVAL;
	for (i = 0; i < r->nrt_routes; i++)
		if (router_route_same_key(&r->rt_routes[i], rt))
			break;
	if (i == r->nrt_routes) {
		if (r->nrt_routes == ROUTER_MAX_RUNTIME)
			return -ENOSPC;
		r->nrt_routes++;
	} else {
		rc = 1;
		if (replaced != NULL)
			*replaced = r->rt_routes[i];
	}
	r->rt_routes[i] = *rt;
	router_routes_sync(r, now);
	router_pump(r, now);
	return rc;
}

int
router_route_del(struct router *r, mc_time_t now,
    const struct router_route *key)
{
	size_t i;

	for (i = 0; i < r->nrt_routes; i++)
		if (router_route_same_key(&r->rt_routes[i], key))
			break;
	if (i == r->nrt_routes)
		return -ENOENT;
	r->rt_routes[i] = r->rt_routes[--r->nrt_routes];
	router_routes_sync(r, now);
	router_pump(r, now);
	return 0;
}

unsigned
router_flush(struct router *r, mc_time_t now, const struct in_addr *group)
{
	unsigned n = mfc_flush(r->mfc, now, group);

	router_pump(r, now);
	return n;
}

int
router_foreach_route(const struct router *r,
    int (*fn)(void *arg, const struct router_route_view *v), void *arg)
{
	struct router_route_view v;
	struct mfc_route a;
	size_t i, k;
	bool runtime;
	int rc;

	for (i = 0; i < r->nroutes + r->nrt_routes; i++) {
		memset(&v, 0, sizeof(v));
		v.route = router_route_at(r, i, &runtime);
		v.runtime = runtime;
		for (k = 0; runtime && k < r->nroutes; k++)
			if (router_route_same_key(&r->routes[k], v.route))
				v.shadowed = true;
		if (!v.shadowed && router_route_resolve(r, v.route, &a)) {
			v.applied = true;
			v.iifs = a.iifs;
			v.oifs = a.oifs;
		}
		if ((rc = fn(arg, &v)) != 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Static memberships                                                 */

/*
 * origin's view of group on the interface name: EXCLUDE {} when any
 * entry has no source, else INCLUDE {its sources}; INCLUDE {} when none.
 * sources has room for every entry.
 */
static enum igmp_filter_mode
router_static_view(const struct router *r, enum mfc_origin origin,
    const char *name, struct in_addr group, struct in_addr *sources,
    uint32_t *n)
{
	const struct router_static_group *list = origin == MFC_ORIGIN_JOIN ?
	    r->joins :
	    r->statics;
	size_t count = origin == MFC_ORIGIN_JOIN ? r->njoins : r->nstatics;
	bool any = false;
	size_t i;

	*n = 0;
	for (i = 0; i < count; i++) {
		if (strcmp(list[i].ifname, name) != 0 ||
		    list[i].group.s_addr != group.s_addr)
			continue;
		if (!list[i].has_source)
			any = true;
		else
			sources[(*n)++] = list[i].source;
	}
	if (any) {
		*n = 0;
		return IGMP_FILTER_EXCLUDE;
	}
	return IGMP_FILTER_INCLUDE;
}

static struct router_pushed *
router_pushed_find(struct router *r, unsigned vif, enum mfc_origin origin,
    struct in_addr group)
{
	size_t i;

	for (i = 0; i < r->npushed; i++)
		if (r->pushed[i].vif == vif && r->pushed[i].origin == origin &&
		    r->pushed[i].group.s_addr == group.s_addr)
			return &r->pushed[i];
	return NULL;
}

static bool
router_pushed_same(const struct router_pushed *p, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t n)
{
	return p->mode == mode && p->n == n &&
	    (n == 0 || memcmp(p->src, sources, n * sizeof(*sources)) == 0);
}

/* Remember the view given; false when out of memory. */
static bool
router_pushed_store(struct router_pushed *p, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t n)
{
	struct in_addr *src = NULL;

	if (n > 0 && (src = malloc(n * sizeof(*src))) == NULL)
		return false;
	if (n > 0)
		memcpy(src, sources, n * sizeof(*src));
	free(p->src);
	p->src = src;
	p->n = n;
	p->mode = (uint8_t)mode;
	return true;
}

static struct router_pushed *
router_pushed_add(struct router *r, unsigned vif, enum mfc_origin origin,
    struct in_addr group)
{
	struct router_pushed *p;
	size_t cap;

	if (r->npushed == r->pushed_cap) {
		cap = r->pushed_cap ? 2 * r->pushed_cap : 32;
		p = realloc(r->pushed, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		r->pushed = p;
		r->pushed_cap = cap;
	}
	p = &r->pushed[r->npushed++];
	memset(p, 0, sizeof(*p));
	p->vif = (uint8_t)vif;
	p->origin = (uint8_t)origin;
	p->group = group;
	p->mode = IGMP_FILTER_INCLUDE;
	return p;
}

/* Give origin's view of group on vif, unless it was given already. */
static void
router_static_push(struct router *r, mc_time_t now, unsigned vif,
    enum mfc_origin origin, struct in_addr group, size_t before,
    struct in_addr *sources, bool *seen)
{
	enum igmp_filter_mode mode;
	struct router_pushed *p;
	uint32_t n;

	mode = router_static_view(r, origin, r->vifs[vif].name, group, sources,
	    &n);
	n = (uint32_t)srcset_normalize(sources, n);
	p = router_pushed_find(r, vif, origin, group);
	if (p == NULL &&
	    (p = router_pushed_add(r, vif, origin, group)) == NULL) {
		r->stats.unexpected_events++;
		return;
	}
	if ((size_t)(p - r->pushed) < before)
		seen[p - r->pushed] = true;
	/* A new one is INCLUDE {} until given: never the same as a view. */
	if (router_pushed_same(p, mode, sources, n))
		return;
	if (!router_pushed_store(p, mode, sources, n)) {
		r->stats.unexpected_events++;
		return;
	}
	mfc_membership(r->mfc, now, origin, vif, group, mode, sources, n);
	router_dvmrp_member(r, now, vif, group);
}

/*
 * Give the composer the static memberships there should be: every
 * (VIF, origin, group) the lists name gets its view (when it differs from
 * the one given before), and those given before that the lists no longer
 * name (a reload without a static-group line, a leave, a VIF renamed)
 * get INCLUDE {}.
 */
void
router_statics_sync(struct router *r, mc_time_t now)
{
	size_t total = r->nstatics + r->njoins, before = r->npushed, i, k;
	struct in_addr *sources = calloc(total ? total : 1, sizeof(*sources));
	bool *seen = calloc(before ? before : 1, sizeof(*seen));
	const struct router_static_group *g;
	enum mfc_origin origin;
	int vif;

	if (sources == NULL || seen == NULL) {
		free(sources);
		free(seen);
		r->stats.unexpected_events++;
		return;
	}
	for (i = 0; i < total; i++) {
		origin = i < r->nstatics ? MFC_ORIGIN_STATIC : MFC_ORIGIN_JOIN;
		g = i < r->nstatics ? &r->statics[i] :
				      &r->joins[i - r->nstatics];
		if ((vif = router_vif_by_name(r, g->ifname)) >= 0)
			router_static_push(r, now, (unsigned)vif, origin,
			    g->group, before, sources, seen);
	}
	for (i = 0, k = 0; i < r->npushed; i++) {
		if (i >= before || seen[i]) {
			r->pushed[k++] = r->pushed[i];
			continue;
		}
		/* A VIF that went took its memberships along. */
		if (r->vifs[r->pushed[i].vif].used) {
			mfc_membership(r->mfc, now, r->pushed[i].origin,
			    r->pushed[i].vif, r->pushed[i].group,
			    IGMP_FILTER_INCLUDE, NULL, 0);
			router_dvmrp_member(r, now, r->pushed[i].vif,
			    r->pushed[i].group);
		}
		free(r->pushed[i].src);
	}
	r->npushed = k;
	free(sources);
	free(seen);
	router_drain_mfc(r, now);
}

void
router_pushed_forget_vif(struct router *r, unsigned vif)
{
	size_t i, k;

	for (i = 0, k = 0; i < r->npushed; i++)
		if (r->pushed[i].vif == vif)
			free(r->pushed[i].src);
		else
			r->pushed[k++] = r->pushed[i];
	r->npushed = k;
}

static bool
router_static_same(const struct router_static_group *a,
    const struct router_static_group *b)
{
	return strcmp(a->ifname, b->ifname) == 0 &&
	    a->group.s_addr == b->group.s_addr &&
	    a->has_source == b->has_source &&
	    (!a->has_source || a->source.s_addr == b->source.s_addr);
}

static int
router_static_check(const struct router_static_group *g)
{
	if (g->ifname[0] == '\0' || !router_is_group(g->group) ||
	    (g->has_source &&
		(router_is_group(g->source) || g->source.s_addr == INADDR_ANY)))
		return -EINVAL;
	return 0;
}

int
router_join(struct router *r, mc_time_t now,
    const struct router_static_group *j)
{
	size_t i;

	if (router_static_check(j) != 0)
		return -EINVAL;
	for (i = 0; i < r->njoins; i++)
		if (router_static_same(&r->joins[i], j))
			return -EEXIST;
	if (r->njoins == ROUTER_MAX_RUNTIME)
		return -ENOSPC;
	r->joins[r->njoins++] = *j;
	router_statics_sync(r, now);
	router_pump(r, now);
	return 0;
}

int
router_leave(struct router *r, mc_time_t now,
    const struct router_static_group *j)
{
	size_t i;

	for (i = 0; i < r->njoins; i++)
		if (router_static_same(&r->joins[i], j))
			break;
	if (i == r->njoins)
		return -ENOENT;
	r->joins[i] = r->joins[--r->njoins];
	router_statics_sync(r, now);
	router_pump(r, now);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The configuration                                                  */

static int
router_prefix_check(const struct mfc_prefix *p)
{
	uint32_t mask = p->len == 0 ? 0 : 0xffffffffu << (32 - p->len);

	if (p->len > 32 || (ntohl(p->addr.s_addr) & ~mask) != 0)
		return -EINVAL;
	return 0;
}

static int
router_config_check(const struct router_config *c)
{
	const struct router_phyint *pi;
	size_t i;
	unsigned k;

	if (mfc_config_check(&c->mfc) != 0 ||
	    router_dvmrp_config_check(&c->dvmrp) != 0 ||
	    igmp_router_config_check(&c->igmp) != 0 ||
	    (c->nphyints > 0 && c->phyints == NULL) ||
	    (c->nstatics > 0 && c->statics == NULL) ||
	    (c->nroutes > 0 && c->routes == NULL))
		return -EINVAL;
	for (i = 0; i < c->nphyints; i++) {
		pi = &c->phyints[i];
		if (pi->threshold == 0 || pi->metric >= DVMRP_INFINITY ||
		    pi->nboundaries > MFC_MAX_BOUNDARIES ||
		    igmp_router_config_check(&pi->igmp) != 0)
			return -EINVAL;
		for (k = 0; k < pi->nboundaries; k++)
			if (router_prefix_check(&pi->boundaries[k]) != 0)
				return -EINVAL;
	}
	for (i = 0; i < c->nstatics; i++)
		if (router_static_check(&c->statics[i]) != 0)
			return -EINVAL;
	for (i = 0; i < c->nroutes; i++)
		if (router_route_check(&c->routes[i]) != 0)
			return -EINVAL;
	return 0;
}

/* A copy of n elements of size bytes (NULL for none); false: no memory. */
static bool
router_dup(void **out, const void *src, size_t n, size_t size)
{
	*out = NULL;
	if (n == 0)
		return true;
	*out = malloc(n * size);
	if (*out == NULL)
		return false;
	memcpy(*out, src, n * size);
	return true;
}

void
router_config_free(struct router *r)
{
	free(r->phyints);
	free(r->statics);
	free(r->routes);
	r->phyints = NULL;
	r->statics = NULL;
	r->routes = NULL;
	r->nphyints = r->nstatics = r->nroutes = 0;
}

/* The VIFs' settings after a new configuration: only what changed. */
static void
router_vifs_follow_config(struct router *r, mc_time_t now)
{
	struct mfc_prefix b[MFC_MAX_BOUNDARIES];
	struct igmp_router_config ic;
	struct mfc_vif_config mc;
	struct router_vif *v;
	unsigned vif, nb;
	uint8_t th;

	for (vif = 0; vif < ROUTER_MAXVIFS; vif++) {
		v = &r->vifs[vif];
		if (!v->used)
			continue;
		router_vif_settings(r, v->name, &th, b, &nb, &ic);
		if (memcmp(&ic, &v->igmp_config, sizeof(ic)) != 0 &&
		    igmp_router_reconfigure(v->igmp, &ic) == 0)
			v->igmp_config = ic;
		if (th == v->threshold && nb == v->nboundaries &&
		    memcmp(b, v->boundaries, sizeof(b)) == 0)
			continue;
		/* Only the entries' TTLs carry a threshold: the kernel's
		   VIF stays as it is, and so do the flows through it. */
		v->threshold = th;
		v->nboundaries = nb;
		memcpy(v->boundaries, b, sizeof(b));
		memset(&mc, 0, sizeof(mc));
		mc.ifindex = v->ifindex;
		mc.threshold = th;
		mc.boundaries = v->boundaries;
		mc.nboundaries = nb;
		mfc_vif_set(r->mfc, now, vif, &mc);
		router_drain_mfc(r, now);
	}
}

int
router_configure(struct router *r, mc_time_t now, const struct router_config *c)
{
	struct router_phyint *phyints;
	struct router_static_group *statics;
	struct router_route *routes;

	if (router_config_check(c) != 0)
		return -EINVAL;
	if (!router_dup((void **)&phyints, c->phyints, c->nphyints,
		sizeof(*phyints)))
		return -ENOMEM;
	if (!router_dup((void **)&statics, c->statics, c->nstatics,
		sizeof(*statics))) {
		free(phyints);
		return -ENOMEM;
	}
	if (!router_dup((void **)&routes, c->routes, c->nroutes,
		sizeof(*routes))) {
		free(phyints);
		free(statics);
		return -ENOMEM;
	}
	router_config_free(r);
	r->phyints = phyints;
	r->nphyints = c->nphyints;
	r->statics = statics;
	r->nstatics = c->nstatics;
	r->routes = routes;
	r->nroutes = c->nroutes;
	r->mfc_config = c->mfc;
	r->igmp_default = c->igmp;
	r->default_disable = c->default_disable;
	mfc_reconfigure(r->mfc, &c->mfc);
	if (router_dvmrp_configure(r, now, &c->dvmrp) != 0)
		r->stats.unexpected_events++;
	router_vifs_follow_config(r, now);
	router_reconcile(r, now);
	return 0;
}
