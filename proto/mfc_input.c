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

int
mfc_route_add(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, unsigned iif, uint32_t oifs)
{
	char sg[TRACE_SG_MAX], mb[MFC_MAXVIFS * 4];
	struct mfc_group *grp;
	struct mfc_entry *e;
	bool moved;

	if (iif >= MFC_MAXVIFS || !mfc_is_group(group) || mfc_is_local(group) ||
	    mfc_is_group(source))
		return -EINVAL;
	oifs &= ~MFC_BIT(iif);
	trace(&m->trace, "static %s from vif %u to vifs %s",
	    trace_sg(source, group, sg, sizeof(sg)), iif,
	    mfc_mask_str(oifs, mb, sizeof(mb)));
	if (source.s_addr == INADDR_ANY) {
		grp = mfc_group_get(m, group);
		if (grp == NULL)
			return -ENOMEM;
		grp->has_star = true;
		grp->star_iif = iif;
		grp->star_oifs = oifs;
		LIST_FOREACH(e, &grp->entries, glink) {
			if (e->iif_origin == MFC_IIF_STATIC)
				continue;
			moved = e->iif != iif;
			e->iif_origin = MFC_IIF_STAR_G;
			e->iif = iif;
			mfc_entry_update(m, e, moved);
		}
		return 0;
	}
	e = mfc_entry_find(m, source, group);
	if (e == NULL) {
		e = mfc_entry_new(m, now, source, group, MFC_IIF_STATIC, iif);
		if (e == NULL)
			return -ENOMEM;
		e->static_oifs = oifs;
		mfc_entry_install(m, e, "install", true);
		return 0;
	}
	moved = e->iif != iif;
	e->iif_origin = MFC_IIF_STATIC;
	e->iif = iif;
	e->static_oifs = oifs;
	mfc_entry_make_static(m, e);
	mfc_entry_update(m, e, moved);
	return 0;
}

int
mfc_route_del(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group)
{
	char sg[TRACE_SG_MAX];
	struct mfc_entry *e, *next;
	struct mfc_group *grp;

	if (source.s_addr == INADDR_ANY) {
		grp = mfc_group_find(m, group);
		if (grp == NULL || !grp->has_star)
			return -ENOENT;
		trace(&m->trace, "static %s deleted",
		    trace_sg(source, group, sg, sizeof(sg)));
		grp->has_star = false;
		for (e = LIST_FIRST(&grp->entries); e != NULL; e = next) {
			next = LIST_NEXT(e, glink);
			if (e->iif_origin == MFC_IIF_STAR_G)
				mfc_entry_delete(m, e,
				    "its (*,G) route was deleted");
		}
		mfc_group_gc(m, grp);
		return 0;
	}
	e = mfc_entry_find(m, source, group);
	if (e == NULL || e->iif_origin != MFC_IIF_STATIC)
		return -ENOENT;
	grp = e->grp;
	mfc_entry_delete(m, e, "its static route was deleted");
	mfc_group_gc(m, grp);
	return 0;
}

int
mfc_foreach_route(const struct mfc *m,
    int (*fn)(void *arg, const struct mfc_route_view *v), void *arg)
{
	struct mfc_route_view v;
	const struct mfc_group *grp;
	const struct mfc_entry *e;
	struct hash_node *n;
	size_t b;
	int rc;

	for (n = hash_first(&m->groups, &b); n != NULL;
	     n = hash_next(&m->groups, &b, n)) {
		grp = hash_entry(n, struct mfc_group, hnode);
		if (grp->has_star) {
			memset(&v, 0, sizeof(v));
			v.group = grp->addr;
			v.iif = grp->star_iif;
			v.oifs = grp->star_oifs;
			if ((rc = fn(arg, &v)) != 0)
				return rc;
		}
		LIST_FOREACH(e, &grp->entries, glink) {
			if (e->iif_origin != MFC_IIF_STATIC)
				continue;
			memset(&v, 0, sizeof(v));
			v.source = e->source;
			v.group = e->group;
			v.iif = e->iif;
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
mfc_rpf_changed(struct mfc *m, mc_time_t now)
{
	enum mfc_iif_origin origin;
	struct hash_node *n, *nx;
	struct mfc_entry *e;
	unsigned iif;
	size_t b;

	HASH_FOREACH_SAFE(&m->entries, n, nx, b) {
		e = hash_entry(n, struct mfc_entry, hnode);
		if (e->iif_origin == MFC_IIF_STATIC ||
		    e->iif_origin == MFC_IIF_STAR_G)
			continue;
		origin = mfc_iif_choose(m, e->grp, e->source, e->iif, &iif);
		if (origin == e->iif_origin && iif == e->iif)
			continue;
		e->iif_origin = origin;
		e->iif = iif;
		mfc_entry_update(m, e, true);
	}
}
