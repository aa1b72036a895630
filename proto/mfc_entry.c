/*
 * The forwarding composer's entries (mfc.h, mfc_int.h): the entry and group
 * tables, the rules that compose an entry and write it, upcalls, the
 * kernel's counters and idle expiry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mfc_int.h"
#include "srcset.h"

/* ------------------------------------------------------------------ */
/* Tables                                                             */

struct mfc_entry *
mfc_entry_find(const struct mfc *m, struct in_addr s, struct in_addr g)
{
	struct hash_node *n = hash_find(&m->entries, hash_key_pair(s, g));

	return n ? hash_entry(n, struct mfc_entry, hnode) : NULL;
}

struct mfc_group *
mfc_group_find(const struct mfc *m, struct in_addr g)
{
	struct hash_node *n = hash_find(&m->groups, hash_key_addr(g));

	return n ? hash_entry(n, struct mfc_group, hnode) : NULL;
}

/* The group, created when missing; NULL when out of memory. */
struct mfc_group *
mfc_group_get(struct mfc *m, struct in_addr g)
{
	struct mfc_group *grp = mfc_group_find(m, g);

	if (grp != NULL)
		return grp;
	grp = calloc(1, sizeof(*grp));
	if (grp == NULL) {
		m->stats.unexpected_events++;
		return NULL;
	}
	grp->addr = g;
	LIST_INIT(&grp->entries);
	mfc_group_star_resolve(m, grp);
	hash_insert(&m->groups, &grp->hnode, hash_key_addr(g));
	m->stats.groups++;
	return grp;
}

/* Free the group when nothing is left in it. */
void
mfc_group_gc(struct mfc *m, struct mfc_group *grp)
{
	if (grp == NULL || grp->members != NULL || !LIST_EMPTY(&grp->entries))
		return;
	hash_remove(&m->groups, &grp->hnode);
	m->stats.groups--;
	free(grp);
}

/* Where origin's view on vif is, or would be inserted. */
struct mfc_member **
mfc_member_slot(struct mfc_group *grp, unsigned vif, enum mfc_origin origin)
{
	struct mfc_member **pp = &grp->members;

	while (*pp != NULL &&
	    ((*pp)->vif < vif || ((*pp)->vif == vif && (*pp)->origin < origin)))
		pp = &(*pp)->next;
	return pp;
}

/* Recount grp's VIFs with a membership, and the VIFs' counts. */
void
mfc_member_vifs_update(struct mfc *m, struct mfc_group *grp)
{
	const struct mfc_member *mb;
	uint32_t now = 0, changed;
	unsigned v;

	for (mb = grp->members; mb != NULL; mb = mb->next)
		now |= MFC_BIT(mb->vif);
	changed = now ^ grp->member_vifs;
	for (v = 0; changed != 0 && v < MFC_MAXVIFS; v++)
		if (changed & MFC_BIT(v)) {
			if (now & MFC_BIT(v))
				m->vifs[v].groups++;
			else
				m->vifs[v].groups--;
		}
	grp->member_vifs = now;
}

/* Drop every membership on vif (any origin). */
void
mfc_members_drop_vif(struct mfc *m, struct mfc_group *grp, unsigned vif)
{
	struct mfc_member **pp = &grp->members, *mb;

	while ((mb = *pp) != NULL) {
		if (mb->vif == vif) {
			*pp = mb->next;
			free(mb);
		} else {
			pp = &mb->next;
		}
	}
	mfc_member_vifs_update(m, grp);
}

/* ------------------------------------------------------------------ */
/* The rules                                                          */

/* INCLUDE {A}: S in A; EXCLUDE {Y}: S not in Y. */
static bool
mfc_member_admits(const struct mfc_member *mb, struct in_addr s)
{
	bool in = srcset_contains(mb->src, mb->n, s);

	return mb->mode == IGMP_FILTER_INCLUDE ? in : !in;
}

/* The static routes' oifs for e: its own (S,G) route's, or G's (*,G). */
static uint32_t
mfc_route_oifs(const struct mfc_entry *e)
{
	if (e->iif_origin == MFC_IIF_STATIC)
		return e->static_oifs;
	return e->grp->has_star ? e->grp->star_oifs : 0;
}

/*
 * Compose e: who asks for each VIF, which of them are cut and why, and
 * the oifs with their TTLs (the rules at the top of mfc.h).
 */
void
mfc_compose(const struct mfc *m, const struct mfc_entry *e,
    struct mfc_composed *c)
{
	const struct mfc_member *mb;
	uint32_t routes = mfc_route_oifs(e), pruned = 0;
	enum mfc_cut all = MFC_CUT_NONE;
	unsigned v;

	memset(c, 0, sizeof(*c));
	for (v = 0; v < MFC_MAXVIFS; v++)
		if (routes & MFC_BIT(v))
			c->why[v] |= MFC_WHY(MFC_ORIGIN_ROUTE);
	for (mb = e->grp->members; mb != NULL; mb = mb->next)
		if (mfc_member_admits(mb, e->source))
			c->why[mb->vif] |= MFC_WHY(mb->origin);
	if (e->iif_origin == MFC_IIF_RPF && m->downstream != NULL) {
		routes = m->downstream(m->downstream_arg, e->source, e->group,
		    &pruned);
		for (v = 0; v < MFC_MAXVIFS; v++)
			if (routes & MFC_BIT(v))
				c->why[v] |= MFC_WHY(MFC_ORIGIN_DVMRP);
	}
	if (mfc_is_local(e->group))
		all = MFC_CUT_LINK_LOCAL;
	else if (mfc_bounded(m, e->iif, e->group))
		all = MFC_CUT_BOUNDARY_IIF;
	for (v = 0; v < MFC_MAXVIFS; v++) {
		if (c->why[v] == 0)
			continue;
		if (all != MFC_CUT_NONE)
			c->cut[v] = all;
		else if (v == e->iif)
			c->cut[v] = MFC_CUT_IIF;
		else if (!m->vifs[v].present)
			c->cut[v] = MFC_CUT_NO_VIF;
		else if (mfc_bounded(m, v, e->group))
			c->cut[v] = MFC_CUT_BOUNDARY;
		else {
			c->oifs |= MFC_BIT(v);
			c->ttls[v] = m->vifs[v].threshold;
		}
	}
	/* Downstream VIFs nobody else asks for, pruned: shown as cut. */
	for (v = 0; v < MFC_MAXVIFS; v++)
		if ((pruned & MFC_BIT(v)) && c->why[v] == 0 && v != e->iif) {
			c->why[v] = MFC_WHY(MFC_ORIGIN_DVMRP);
			c->cut[v] = MFC_CUT_PRUNED;
		}
}

/* "... oifs none: all cut: boundary-at-iif (arrival)" */
static void
mfc_entry_trace(struct mfc *m, const struct mfc_entry *e,
    const struct mfc_composed *c, const char *what)
{
	char sg[TRACE_SG_MAX], ttls[MFC_MAXVIFS * 8], why[96];

	trace(&m->trace, "%s %s: iif %u, oifs %s%s%s (%s)",
	    trace_sg(e->source, e->group, sg, sizeof(sg)), what, e->iif,
	    mfc_ttls_str(e->ttls, ttls, sizeof(ttls)), e->oifs ? "" : ": ",
	    e->oifs ? "" : mfc_empty_reason(c->why, c->cut, why, sizeof(why)),
	    mfc_iif_origin_name(e->iif_origin));
}

/* Whether a boundary cut an interface asked for (boundary_drops). */
static bool
mfc_boundary_cut(const struct mfc_composed *c)
{
	unsigned v;

	for (v = 0; v < MFC_MAXVIFS; v++)
		if (c->cut[v] == MFC_CUT_BOUNDARY ||
		    c->cut[v] == MFC_CUT_BOUNDARY_IIF)
			return true;
	return false;
}

/* The EMPTY / NONEMPTY event when the oifs went from old to e's. */
static void
mfc_emit_emptiness(struct mfc *m, const struct mfc_entry *e, bool was_empty,
    bool fresh)
{
	bool empty = e->oifs == 0;

	if (empty && (fresh || !was_empty)) {
		m->stats.empty++;
		mfc_emit_entry(m, e, MFC_OUT_EMPTY);
	} else if (!empty && !fresh && was_empty) {
		m->stats.nonempty++;
		mfc_emit_entry(m, e, MFC_OUT_NONEMPTY);
	}
}

/* Compose e and write it (a new entry, or one the kernel lost). */
void
mfc_entry_install(struct mfc *m, struct mfc_entry *e, const char *what,
    bool fresh)
{
	struct mfc_composed c;
	struct mfc_output *o;

	mfc_compose(m, e, &c);
	e->oifs = c.oifs;
	memcpy(e->ttls, c.ttls, sizeof(e->ttls));
	o = mfc_emit_entry(m, e, MFC_OUT_ADD);
	if (o != NULL)
		o->replace = false;
	m->stats.installs++;
	mfc_entry_trace(m, e, &c, what);
	if (fresh && mfc_boundary_cut(&c))
		m->stats.boundary_drops++;
	if (fresh)
		mfc_emit_emptiness(m, e, false, true);
}

/*
 * Compose e again and replace it when its oifs or TTLs changed, or
 * always when force (its iif changed).
 */
void
mfc_entry_update(struct mfc *m, struct mfc_entry *e, bool force)
{
	struct mfc_composed c;
	struct mfc_output *o;
	bool was_empty = e->oifs == 0;

	mfc_compose(m, e, &c);
	if (!force && c.oifs == e->oifs &&
	    memcmp(c.ttls, e->ttls, sizeof(c.ttls)) == 0)
		return;
	e->oifs = c.oifs;
	memcpy(e->ttls, c.ttls, sizeof(e->ttls));
	o = mfc_emit_entry(m, e, MFC_OUT_ADD);
	if (o != NULL)
		o->replace = true;
	m->stats.replaces++;
	mfc_entry_trace(m, e, &c, "replace");
	mfc_emit_emptiness(m, e, was_empty, false);
}

mc_time_t
mfc_expiry(const struct mfc *m, const struct mfc_entry *e)
{
	if (e->iif_origin == MFC_IIF_STATIC)
		return MC_TIME_NEVER;
	return e->active_at + m->cfg.idle_timeout_ms;
}

void
mfc_limit_check(struct mfc *m)
{
	if (m->cfg.max_entries == 0 ||
	    m->stats.dynamic_entries < m->cfg.max_entries) {
		m->limit_told = false;
		mfc_refused_clear(m);
	}
}

/* An (S,G) static route now decides e: it leaves the expiry heap. */
void
mfc_entry_make_static(struct mfc *m, struct mfc_entry *e)
{
	if (heap_contains(&e->expiry)) {
		heap_remove(&m->expiry, &e->expiry);
		m->stats.dynamic_entries--;
		mfc_limit_check(m);
	}
	e->expiry.at = mfc_expiry(m, e);
}

/*
 * A new entry in the tables (not yet installed); NULL when out of
 * memory.  Entries that can expire enter the heap.
 */
struct mfc_entry *
mfc_entry_new(struct mfc *m, mc_time_t now, struct in_addr s, struct in_addr g,
    enum mfc_iif_origin origin, unsigned iif)
{
	struct mfc_group *grp;
	struct mfc_entry *e;

	if (heap_reserve(&m->expiry, 1) != 0) {
		m->stats.unexpected_events++;
		return NULL;
	}
	grp = mfc_group_get(m, g);
	if (grp == NULL)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		m->stats.unexpected_events++;
		mfc_group_gc(m, grp);
		return NULL;
	}
	e->source = s;
	e->group = g;
	e->grp = grp;
	e->iif_origin = origin;
	e->iif = iif;
	e->installed_at = now;
	e->active_at = now;
	heap_node_init(&e->expiry);
	e->expiry.at = mfc_expiry(m, e);
	LIST_INSERT_HEAD(&grp->entries, e, glink);
	hash_insert(&m->entries, &e->hnode, hash_key_pair(s, g));
	m->stats.entries++;
	if (origin != MFC_IIF_STATIC) {
		heap_push(&m->expiry, &e->expiry);
		m->stats.dynamic_entries++;
	}
	return e;
}

/*
 * Delete an entry: the MFC delete, the counters and the trace.  Its group
 * is left for the caller to mfc_group_gc() (walks of the group's list
 * must not see it freed).
 */
void
mfc_entry_delete(struct mfc *m, struct mfc_entry *e, const char *why)
{
	char sg[TRACE_SG_MAX];

	mfc_emit(m, MFC_OUT_DEL, e->source, e->group);
	m->stats.deletes++;
	trace(&m->trace, "%s delete: %s (%s)",
	    trace_sg(e->source, e->group, sg, sizeof(sg)), why,
	    mfc_iif_origin_name(e->iif_origin));
	hash_remove(&m->entries, &e->hnode);
	LIST_REMOVE(e, glink);
	if (heap_contains(&e->expiry)) {
		heap_remove(&m->expiry, &e->expiry);
		m->stats.dynamic_entries--;
	}
	m->stats.entries--;
	mfc_limit_check(m);
	free(e);
}

/* Recompute every entry (a VIF changed). */
void
mfc_update_all(struct mfc *m)
{
	struct hash_node *n, *nx;
	size_t b;

	HASH_FOREACH_SAFE(&m->entries, n, nx, b)
		mfc_entry_update(m, hash_entry(n, struct mfc_entry, hnode),
		    false);
}

static bool
mfc_route_covers(const struct mfc_route *rt, struct in_addr g)
{
	uint32_t mask = rt->len == 0 ? 0 : 0xffffffffu << (32 - rt->len);

	return (ntohl(g.s_addr) & mask) == ntohl(rt->group.s_addr);
}

bool
mfc_group_star_resolve(const struct mfc *m, struct mfc_group *grp)
{
	const struct mfc_route *best = NULL;
	bool had = grp->has_star;
	uint32_t iifs = grp->star_iifs, oifs = grp->star_oifs;
	size_t i;

	for (i = 0; i < m->nstars && best == NULL; i++)
		if (mfc_route_covers(&m->stars[i], grp->addr))
			best = &m->stars[i];
	grp->has_star = best != NULL;
	grp->star_iifs = best ? best->iifs : 0;
	grp->star_oifs = best ? best->oifs : 0;
	return had != grp->has_star || iifs != grp->star_iifs ||
	    oifs != grp->star_oifs;
}

/*
 * The iif of an entry no (S,G) route decides: (*,G) route (the VIF it
 * arrived on if the route takes it, else the route's lowest), RPF, or the
 * arrival VIF.
 */
enum mfc_iif_origin
mfc_iif_choose(const struct mfc *m, const struct mfc_group *grp,
    struct in_addr source, unsigned arrival, unsigned *iif)
{
	int v;

	if (grp != NULL && grp->has_star) {
		if (arrival < MFC_MAXVIFS &&
		    (grp->star_iifs & MFC_BIT(arrival)))
			*iif = arrival;
		else
			*iif = (unsigned)__builtin_ctz(grp->star_iifs);
		return MFC_IIF_STAR_G;
	}
	if (m->rpf != NULL && (v = m->rpf(m->rpf_arg, source)) >= 0 &&
	    v < MFC_MAXVIFS) {
		*iif = (unsigned)v;
		return MFC_IIF_RPF;
	}
	*iif = arrival;
	return MFC_IIF_ARRIVAL;
}

/* ------------------------------------------------------------------ */
/* Upcalls, counters, expiry                                          */

int
mfc_upcall(struct mfc *m, mc_time_t now, enum mfc_upcall_kind kind,
    struct in_addr source, struct in_addr group, unsigned vif)
{
	char sg[TRACE_SG_MAX];
	enum mfc_iif_origin origin;
	struct mfc_group *grp;
	struct mfc_entry *e;
	unsigned iif;

	if (kind != MFC_UPCALL_NOCACHE && kind != MFC_UPCALL_WRONGVIF) {
		m->stats.upcalls_bad++;
		return -EINVAL;
	}
	m->stats.upcalls[kind]++;
	if (!mfc_vif_ok(m, vif) || !mfc_is_group(group) ||
	    source.s_addr == INADDR_ANY || mfc_is_group(source)) {
		m->stats.upcalls_bad++;
		return -EINVAL;
	}
	e = mfc_entry_find(m, source, group);
	if (e != NULL && kind == MFC_UPCALL_WRONGVIF && vif != e->iif) {
		m->stats.wrongvif_kept++;
		trace(&m->trace, "%s WRONGVIF on vif %u: iif %u kept",
		    trace_sg(source, group, sg, sizeof(sg)), vif, e->iif);
		return 0;
	}
	if (e != NULL) {
		/*
		 * The kernel lacks what we hold (lost, flushed, or another
		 * iif): install it again; its counters start from 0.
		 */
		m->stats.upcalls_existing++;
		e->active_at = now;
		e->used = e->packets = e->bytes = e->wrong_if = 0;
		heap_update(&m->expiry, &e->expiry, mfc_expiry(m, e));
		mfc_entry_install(m, e, "install again", false);
		return 0;
	}
	if (m->cfg.max_entries != 0 &&
	    m->stats.dynamic_entries >= m->cfg.max_entries)
		return mfc_limit_refuse(m, source, group, vif);
	/* The group first: a (*,G) route covering it may decide the iif. */
	grp = mfc_group_get(m, group);
	if (grp == NULL)
		return -ENOMEM;
	origin = mfc_iif_choose(m, grp, source, vif, &iif);
	e = mfc_entry_new(m, now, source, group, origin, iif);
	if (e == NULL) {
		mfc_group_gc(m, grp);
		return -ENOMEM;
	}
	if (mfc_bounded(m, iif, group))
		m->stats.boundary_iif++;
	mfc_entry_install(m, e, "install", true);
	return 0;
}

/* ip_mr_forward sends a packet out of oif v only if its TTL > ttls[v]. */
static bool
mfc_ttl_forwards_nowhere(const struct mfc_entry *e, uint8_t ttl)
{
	unsigned v;

	for (v = 0; v < MFC_MAXVIFS; v++)
		if ((e->oifs & MFC_BIT(v)) && ttl > e->ttls[v])
			return false;
	return true;
}

bool
mfc_ttl_sample(struct mfc *m, mc_time_t now, unsigned vif,
    struct in_addr source, struct in_addr group, uint8_t ttl)
{
	struct mfc_entry *e = mfc_entry_find(m, source, group);
	char sg[TRACE_SG_MAX];
	struct mfc_output *o;

	if (e == NULL || e->iif != vif || e->oifs == 0)
		return false;
	if (!mfc_ttl_forwards_nowhere(e, ttl)) {
		/* The flow's sender raised its TTL: forwarded again. */
		if (e->ttl_starved)
			trace(&m->trace, "%s ttl %u passes: ttl-too-low over",
			    trace_sg(source, group, sg, sizeof(sg)), ttl);
		e->ttl_starved = false;
		return false;
	}
	e->starved_at = now;
	if (e->ttl_starved)
		return false;
	e->ttl_starved = true;
	e->starved_ttl = ttl;
	m->stats.ttl_starved++;
	o = mfc_emit_entry(m, e, MFC_OUT_TTL_STARVED);
	if (o != NULL)
		o->ttl = ttl;
	return true;
}

/*
 * A starved entry whose packets keep coming without a low-TTL sample for
 * MFC_STARVED_QUIET_MS carries a TTL the tap does not sample (above every
 * threshold): it is forwarded again.
 */
static void
mfc_ttl_starved_expire(struct mfc *m, struct mfc_entry *e, mc_time_t now)
{
	char sg[TRACE_SG_MAX];

	if (!e->ttl_starved || now - e->starved_at < MFC_STARVED_QUIET_MS)
		return;
	e->ttl_starved = false;
	trace(&m->trace, "%s: no low ttl for %lld ms: ttl-too-low over",
	    trace_sg(e->source, e->group, sg, sizeof(sg)),
	    (long long)(now - e->starved_at));
}

int
mfc_counters(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t bytes, uint64_t wrong_if)
{
	struct mfc_entry *e;
	uint64_t used;

	e = mfc_entry_find(m, source, group);
	if (e == NULL)
		return -ENOENT;
	used = packets >= wrong_if ? packets - wrong_if : 0;
	if (used != e->used) {
		mfc_ttl_starved_expire(m, e, now);
		e->used = used;
		e->active_at = now;
		heap_update(&m->expiry, &e->expiry, mfc_expiry(m, e));
	}
	e->packets = packets;
	e->bytes = bytes;
	e->wrong_if = wrong_if;
	e->counter_at = now;
	return 0;
}

void
mfc_timeout(struct mfc *m, mc_time_t now)
{
	struct mfc_group *grp;
	struct mfc_entry *e;

	while (heap_next(&m->expiry) <= now) {
		e = heap_entry(heap_top(&m->expiry), struct mfc_entry, expiry);
		grp = e->grp;
		m->stats.expiries++;
		mfc_entry_delete(m, e, "idle");
		mfc_group_gc(m, grp);
	}
}

mc_time_t
mfc_next_deadline(const struct mfc *m)
{
	return heap_next(&m->expiry);
}

void
mfc_resync(struct mfc *m)
{
	struct hash_node *n;
	struct mfc_entry *e;
	struct mfc_output *o;
	size_t b;

	trace(&m->trace, "resync: %llu entries installed again",
	    (unsigned long long)m->stats.entries);
	for (n = hash_first(&m->entries, &b); n != NULL;
	     n = hash_next(&m->entries, &b, n)) {
		e = hash_entry(n, struct mfc_entry, hnode);
		/* Fresh kernel entries count from 0. */
		e->used = e->packets = e->bytes = e->wrong_if = 0;
		o = mfc_emit_entry(m, e, MFC_OUT_ADD);
		if (o != NULL)
			o->replace = false;
		m->stats.installs++;
	}
}
