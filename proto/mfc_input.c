/*
 * The forwarding composer's inputs (mfc.h, mfc_int.h): memberships by
 * origin, static routes, and the routing protocol's reverse path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mfc_int.h"
#include "srcset.h"

/* ------------------------------------------------------------------ */
/* Memberships                                                        */

/* origin's view of grp on vif replaced by mode {sources}; NULL: no memory. */
static const struct mfc_member *
mfc_member_store(struct mfc *m, struct mfc_group *grp, enum mfc_origin origin,
    unsigned vif, enum igmp_filter_mode mode, const struct in_addr *sources,
    uint32_t nsources)
{
	struct mfc_member **pp, *mb;

	mb = malloc(sizeof(*mb) + nsources * sizeof(struct in_addr));
	if (mb == NULL) {
		m->stats.unexpected_events++;
		return NULL;
	}
	mb->vif = (uint8_t)vif;
	mb->origin = (uint8_t)origin;
	mb->mode = (uint8_t)mode;
	if (nsources > 0)
		memcpy(mb->src, sources, nsources * sizeof(*sources));
	mb->n = (uint32_t)srcset_normalize(mb->src, nsources);
	pp = mfc_member_slot(grp, vif, origin);
	if (*pp != NULL && (*pp)->vif == vif && (*pp)->origin == origin) {
		mb->next = (*pp)->next;
		free(*pp);
	} else {
		mb->next = *pp;
	}
	*pp = mb;
	mfc_member_vifs_update(m, grp);
	return mb;
}

int
mfc_membership(struct mfc *m, mc_time_t now, enum mfc_origin origin,
    unsigned vif, struct in_addr group, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources)
{
	char gb[INET_ADDRSTRLEN], set[TRACE_LINE_MAX / 2];
	const struct mfc_member *mb;
	struct mfc_member **pp, *old;
	struct mfc_group *grp;
	struct mfc_entry *e;

	if (!mfc_vif_ok(m, vif)) {
		m->stats.memberships_ignored++;
		return -ENODEV;
	}
	if (!mfc_is_group(group) || origin == MFC_ORIGIN_ROUTE ||
	    (unsigned)origin >= MFC_ORIGIN_COUNT ||
	    (mode != IGMP_FILTER_INCLUDE && mode != IGMP_FILTER_EXCLUDE) ||
	    (nsources > 0 && sources == NULL))
		return -EINVAL;
	if (mfc_is_local(group)) {
		m->stats.memberships_ignored++;
		return 0;
	}
	if (mode == IGMP_FILTER_INCLUDE && nsources == 0) {
		grp = mfc_group_find(m, group);
		if (grp == NULL)
			return 0;
		pp = mfc_member_slot(grp, vif, origin);
		if (*pp == NULL || (*pp)->vif != vif || (*pp)->origin != origin)
			return 0;
		old = *pp;
		*pp = old->next;
		free(old);
		mfc_member_vifs_update(m, grp);
		trace(&m->trace, "%s on vif %u: no %s membership",
		    trace_addr(group, gb), vif, mfc_origin_name(origin));
	} else {
		grp = mfc_group_get(m, group);
		if (grp == NULL)
			return -ENOMEM;
		mb = mfc_member_store(m, grp, origin, vif, mode, sources,
		    nsources);
		if (mb == NULL) {
			mfc_group_gc(m, grp);
			return -ENOMEM;
		}
		trace_set(mb->src, mb->n, set, sizeof(set));
		if (mfc_bounded(m, vif, group)) {
			m->stats.boundary_drops++;
			trace(&m->trace,
			    "%s on vif %u: %s %s %s refused at a "
			    "boundary",
			    trace_addr(group, gb), vif, mfc_origin_name(origin),
			    igmp_filter_mode_name(mode), set);
		} else {
			trace(&m->trace, "%s on vif %u: %s %s %s",
			    trace_addr(group, gb), vif, mfc_origin_name(origin),
			    igmp_filter_mode_name(mode), set);
		}
	}
	LIST_FOREACH(e, &grp->entries, glink)
		mfc_entry_update(m, e, false);
	mfc_group_gc(m, grp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Static routes and the reverse path                                 */

/* "(*, 239.1.0.0/16)" or "(S, G)", for traces. */
static const char *
mfc_route_str(const struct mfc_route *rt, char *buf, size_t len)
{
	char sg[TRACE_SG_MAX];
	size_t n;

	trace_sg(rt->source, rt->group, sg, sizeof(sg));
	n = strlen(sg);
	if (rt->len != 32 && n > 0)
		snprintf(buf, len, "%.*s/%u)", (int)(n - 1), sg, rt->len);
	else
		snprintf(buf, len, "%s", sg);
	return buf;
}

static int
mfc_route_check(const struct mfc_route *rt)
{
	uint32_t g = ntohl(rt->group.s_addr), mask;

	if (rt->len < 4 || rt->len > 32 || !mfc_is_group(rt->group) ||
	    rt->iifs == 0 || mfc_is_group(rt->source))
		return -EINVAL;
	mask = 0xffffffffu << (32 - rt->len);
	if ((g & ~mask) != 0 ||
	    (rt->len >= 24 && (g & MFC_LOCAL_MASK) == MFC_LOCAL_NET))
		return -EINVAL;
	if (rt->source.s_addr != INADDR_ANY &&
	    (rt->len != 32 || (rt->iifs & (rt->iifs - 1)) != 0))
		return -EINVAL;
	return 0;
}

/* Where (*, group/len) is in m->stars, or would go (most specific first). */
static size_t
mfc_star_slot(const struct mfc *m, struct in_addr group, uint8_t len,
    bool *found)
{
	size_t i;

	*found = false;
	for (i = 0; i < m->nstars; i++) {
		if (m->stars[i].len > len)
			continue;
		if (m->stars[i].len < len)
			break;
		if (m->stars[i].group.s_addr == group.s_addr) {
			*found = true;
			break;
		}
	}
	return i;
}

/*
 * The (*,G) routes changed within range: each group it covers follows the
 * most specific route that covers it now, and its entries with it (an
 * entry no (*,G) route covers any more goes, as its route did).
 */
static void
mfc_stars_changed(struct mfc *m, const struct mfc_route *range)
{
	uint32_t mask = 0xffffffffu << (32 - range->len);
	struct mfc_entry *e, *next;
	struct hash_node *n, *nx;
	struct mfc_group *grp;
	enum mfc_iif_origin origin;
	unsigned iif;
	bool moved;
	size_t b;

	HASH_FOREACH_SAFE(&m->groups, n, nx, b) {
		grp = hash_entry(n, struct mfc_group, hnode);
		if ((ntohl(grp->addr.s_addr) & mask) !=
			ntohl(range->group.s_addr) ||
		    !mfc_group_star_resolve(m, grp))
			continue;
		for (e = LIST_FIRST(&grp->entries); e != NULL; e = next) {
			next = LIST_NEXT(e, glink);
			if (e->iif_origin == MFC_IIF_STATIC)
				continue;
			if (!grp->has_star) {
				if (e->iif_origin == MFC_IIF_STAR_G)
					mfc_entry_delete(m, e,
					    "its (*,G) route was deleted");
				continue;
			}
			origin = mfc_iif_choose(m, grp, e->source, e->iif,
			    &iif);
			moved = e->iif != iif;
			e->iif_origin = origin;
			e->iif = iif;
			mfc_entry_update(m, e, moved);
		}
		mfc_group_gc(m, grp);
	}
}

int
mfc_route_add(struct mfc *m, mc_time_t now, const struct mfc_route *rt)
{
	char what[TRACE_SG_MAX + 8], ib[MFC_MAXVIFS * 4], ob[MFC_MAXVIFS * 4];
	struct mfc_route r;
	struct mfc_entry *e;
	unsigned iif;
	bool moved, found;
	size_t i;

	if (rt == NULL || mfc_route_check(rt) != 0)
		return -EINVAL;
	r = *rt;
	/* One way in: it is no way out. */
	if ((r.iifs & (r.iifs - 1)) == 0)
		r.oifs &= ~r.iifs;
	trace(&m->trace, "static %s from vif%s %s to vifs %s",
	    mfc_route_str(&r, what, sizeof(what)),
	    (r.iifs & (r.iifs - 1)) == 0 ? "" : "s",
	    mfc_mask_str(r.iifs, ib, sizeof(ib)),
	    mfc_mask_str(r.oifs, ob, sizeof(ob)));
	if (r.source.s_addr == INADDR_ANY) {
		i = mfc_star_slot(m, r.group, r.len, &found);
		if (!found) {
			if (m->nstars == m->stars_cap) {
				size_t cap = m->stars_cap ? 2 * m->stars_cap :
							    16;
				struct mfc_route *a = realloc(m->stars,
				    cap * sizeof(*a));

				if (a == NULL) {
					m->stats.unexpected_events++;
					return -ENOMEM;
				}
				m->stars = a;
				m->stars_cap = cap;
			}
			memmove(&m->stars[i + 1], &m->stars[i],
			    (m->nstars - i) * sizeof(*m->stars));
			m->nstars++;
		}
		m->stars[i] = r;
		mfc_stars_changed(m, &r);
		return 0;
	}
	iif = (unsigned)__builtin_ctz(r.iifs);
	e = mfc_entry_find(m, r.source, r.group);
	if (e == NULL) {
		e = mfc_entry_new(m, now, r.source, r.group, MFC_IIF_STATIC,
		    iif);
		if (e == NULL)
			return -ENOMEM;
		e->static_oifs = r.oifs;
		mfc_entry_install(m, e, "install", true);
		return 0;
	}
	moved = e->iif != iif;
	e->iif_origin = MFC_IIF_STATIC;
	e->iif = iif;
	e->static_oifs = r.oifs;
	mfc_entry_make_static(m, e);
	mfc_entry_update(m, e, moved);
	return 0;
}

int
mfc_route_del(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint8_t len)
{
	char what[TRACE_SG_MAX + 8];
	struct mfc_route gone;
	struct mfc_entry *e;
	struct mfc_group *grp;
	bool found;
	size_t i;

	if (source.s_addr == INADDR_ANY) {
		if (len < 4 || len > 32)
			return -ENOENT;
		i = mfc_star_slot(m, group, len, &found);
		if (!found)
			return -ENOENT;
		gone = m->stars[i];
		trace(&m->trace, "static %s deleted",
		    mfc_route_str(&gone, what, sizeof(what)));
		memmove(&m->stars[i], &m->stars[i + 1],
		    (m->nstars - i - 1) * sizeof(*m->stars));
		m->nstars--;
		mfc_stars_changed(m, &gone);
		return 0;
	}
	e = mfc_entry_find(m, source, group);
	if (len != 32 || e == NULL || e->iif_origin != MFC_IIF_STATIC)
		return -ENOENT;
	grp = e->grp;
	trace(&m->trace, "static %s deleted",
	    trace_sg(source, group, what, sizeof(what)));
	mfc_entry_delete(m, e, "its static route was deleted");
	mfc_group_gc(m, grp);
	return 0;
}

int
mfc_foreach_route(const struct mfc *m,
    int (*fn)(void *arg, const struct mfc_route *v), void *arg)
{
	struct mfc_route v;
	const struct mfc_group *grp;
	const struct mfc_entry *e;
	struct hash_node *n;
	size_t b, i;
	int rc;

	for (i = 0; i < m->nstars; i++)
		if ((rc = fn(arg, &m->stars[i])) != 0)
			return rc;
	for (n = hash_first(&m->groups, &b); n != NULL;
	     n = hash_next(&m->groups, &b, n)) {
		grp = hash_entry(n, struct mfc_group, hnode);
		LIST_FOREACH(e, &grp->entries, glink) {
			if (e->iif_origin != MFC_IIF_STATIC)
				continue;
			memset(&v, 0, sizeof(v));
			v.source = e->source;
			v.group = e->group;
			v.len = 32;
			v.iifs = MFC_BIT(e->iif);
			v.oifs = e->static_oifs;
			if ((rc = fn(arg, &v)) != 0)
				return rc;
		}
	}
	return 0;
}

void
mfc_set_rpf(struct mfc *m, mfc_rpf_fn fn, void *arg)
{
	m->rpf = fn;
	m->rpf_arg = arg;
}

void
mfc_set_downstream(struct mfc *m, mfc_downstream_fn fn, void *arg)
{
	m->downstream = fn;
	m->downstream_arg = arg;
}

/* One entry of mfc_entries_rechoose. */
static void
mfc_entry_rechoose(struct mfc *m, struct mfc_entry *e, bool recompose)
{
	enum mfc_iif_origin origin;
	unsigned iif;

	if (e->iif_origin != MFC_IIF_STATIC &&
	    e->iif_origin != MFC_IIF_STAR_G) {
		origin = mfc_iif_choose(m, e->grp, e->source, e->iif, &iif);
		if (origin != e->iif_origin || iif != e->iif) {
			e->iif_origin = origin;
			e->iif = iif;
			mfc_entry_update(m, e, true);
			return;
		}
	}
	if (recompose)
		mfc_entry_update(m, e, false);
}

/*
 * The entries of sources in source/len and of group (INADDR_ANY: all):
 * their iif chosen again where no static route decides it, and composed
 * again (recompose: even when the iif stayed).
 */
static void
mfc_entries_rechoose(struct mfc *m, mc_time_t now, struct in_addr source,
    uint8_t len, struct in_addr group, bool recompose)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	struct hash_node *n, *nx;
	struct mfc_group *grp;
	struct mfc_entry *e, *next;
	size_t b;

	(void)now;
	if (group.s_addr != INADDR_ANY) {
		/* One group (a DVMRP prune or graft): its entries only, not
		   a walk of the whole table. */
		grp = mfc_group_find(m, group);
		if (grp == NULL)
			return;
		for (e = LIST_FIRST(&grp->entries); e != NULL; e = next) {
			next = LIST_NEXT(e, glink);
			if (!((ntohl(e->source.s_addr) ^ ntohl(source.s_addr)) &
				mask))
				mfc_entry_rechoose(m, e, recompose);
		}
		return;
	}
	HASH_FOREACH_SAFE(&m->entries, n, nx, b) {
		e = hash_entry(n, struct mfc_entry, hnode);
		if (!((ntohl(e->source.s_addr) ^ ntohl(source.s_addr)) & mask))
			mfc_entry_rechoose(m, e, recompose);
	}
}

uint32_t
mfc_member_vifs(const struct mfc *m, struct in_addr group)
{
	const struct mfc_group *grp = mfc_group_find(m, group);

	return grp != NULL ? grp->member_vifs : 0;
}

unsigned
mfc_sources_forwarding(const struct mfc *m, struct in_addr source, uint8_t len,
    struct in_addr group, unsigned *entries)
{
	uint32_t mask = len == 0 ? 0 :
				   0xffffffffu << (32 - (len > 32 ? 32 : len));
	const struct mfc_group *grp = mfc_group_find(m, group);
	const struct mfc_entry *e;
	unsigned forwarding = 0, n = 0;

	if (grp != NULL)
		LIST_FOREACH(e, &grp->entries, glink) {
			if ((ntohl(e->source.s_addr) ^ ntohl(source.s_addr)) &
			    mask)
				continue;
			n++;
			forwarding += e->oifs != 0;
		}
	if (entries != NULL)
		*entries = n;
	return forwarding;
}

void
mfc_rpf_changed(struct mfc *m, mc_time_t now)
{
	struct in_addr any = { INADDR_ANY };

	mfc_entries_rechoose(m, now, any, 0, any, false);
}

void
mfc_routing_changed(struct mfc *m, mc_time_t now, struct in_addr source,
    uint8_t len, struct in_addr group)
{
	mfc_entries_rechoose(m, now, source, len > 32 ? 32 : len, group, true);
}
