/*
 * The forwarding composer (mfc.h): entries composed from tagged inputs.
 *
 * Data structures
 *   entries     the (S,G) entries the kernel holds (or will once the
 *               caller drains the outputs), in the shared hash table
 *               (proto/hash.h) keyed by (S,G) and seeded by the caller; it
 *               never shrinks, so walks that delete see no rehash.
 *   groups      per group G, in a second table: its memberships (a list
 *               sorted by VIF and origin, one view each), the (*,G) static
 *               route and the list of G's entries.  A membership change
 *               walks that list only; a group lives while it holds any of
 *               the three.
 *   expiry      entries that can expire (not those of (S,G) static
 *               routes) sit in the shared timer heap on their expiry time.
 *   kernel      each entry keeps what was last written for it (iif and
 *               TTLs): a recomputation that changes nothing writes nothing.
 *   outputs     the shared output queue.
 *   VIF changes (add, delete, threshold, boundaries) are rare and may
 *               touch any entry: they walk every entry once.
 * Why an interface is or is not an oif is not stored: the view composes
 * it again with the same function that decides (mfc_compose), so what is
 * shown is what was decided.
 *
 * Choices made here:
 *   - Without a routing protocol, a NOCACHE upcall's arrival VIF becomes
 *     the entry's iif, as igmpproxy- and smcroute-style routers do, unless
 *     a static route names the iif.  A later WRONGVIF for that entry is
 *     counted and the first iif kept: packets arriving on two VIFs (two
 *     routers on a LAN, a loop) are forwarded from one only.  If the
 *     source really moved, the packets coming in by the old iif stop, the
 *     entry goes idle (the kernel's packet count also counts wrong-if
 *     packets, so activity is packets - wrong_if), expires, and the next
 *     packet is learned afresh.  A WRONGVIF naming the entry's own iif
 *     means the kernel holds something else: the entry is installed again.
 *   - The most specific static route wins: an (S,G) route alone decides
 *     the routes' part of (S,G) (its oifs, then memberships are added); a
 *     (*,G) route decides the iif of every other (S,G) of G and adds its
 *     oifs.  Static routes are authoritative: an entry keeps the route's
 *     iif even while that VIF does not exist (the kernel then drops the
 *     stream).  Deleting a route deletes the entries it made; the kernel's
 *     next packet upcalls again.
 *   - An (S,G) static route's entry never expires and does not count
 *     against max_entries; entries made by upcalls do, and expire when
 *     idle.
 *   - Idle: an entry's expiry is its last activity + idle_timeout, where
 *     activity is its install (an upcall means a packet came) or a counter
 *     read that differs from the one before (a fresh kernel entry counts
 *     from 0).
 *   - An upcall for which there are no oifs still installs an entry, with
 *     no oifs: the kernel then drops the stream without upcalling; the
 *     entry expires like the others.  Upcalls over max_entries are refused
 *     (counted; MFC_OUT_LIMIT once until the count falls below the limit):
 *     the kernel keeps its unresolved entry 10 s and asks again.
 *   - A membership for a group a boundary of its VIF covers is counted
 *     (boundary_drops) and kept, so removing the boundary admits it at
 *     once.  Deleting a VIF drops its memberships.
 *   - 224.0.0.0/24 (RFC 5771) is never forwarded: static routes for it are
 *     refused, memberships ignored and counted, and an entry for it (the
 *     kernel never upcalls for it) gets no oifs.
 *   - Allocation failures refuse the input and count an unexpected event;
 *     the state stays consistent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <arpa/inet.h>

#include "hash.h"
#include "heap.h"
#include "mfc.h"
#include "outq.h"
#include "srcset.h"
#include "trace.h"

#define MFC_LOCAL_NET		0xe0000000u	/* 224.0.0.0/24 */
#define MFC_LOCAL_MASK		0xffffff00u
#define MFC_HASH_MIN_BITS	6
#define MFC_BIT(v)		(1u << (v))
#define MFC_ALL_VIFS		0xffffffffu

/* ------------------------------------------------------------------ */
/* State                                                              */

struct mfc_vif {
	bool			 present;
	unsigned		 ifindex;
	uint8_t			 threshold;
	unsigned		 nbounds;
	struct mfc_prefix	 bounds[MFC_MAX_BOUNDARIES];
	uint32_t		 groups;	/* with a membership here */
};

/* One origin's view of a group on one VIF, sources sorted. */
struct mfc_member {
	struct mfc_member	*next;		/* by (vif, origin) */
	uint8_t			 vif;
	uint8_t			 origin;	/* enum mfc_origin */
	uint8_t			 mode;		/* enum igmp_filter_mode */
	uint32_t		 n;
	struct in_addr		 src[];
};

struct mfc_entry;
LIST_HEAD(mfc_entry_list, mfc_entry);

struct mfc_group {
	struct hash_node	 hnode;
	struct in_addr		 addr;
	struct mfc_member	*members;
	uint32_t		 member_vifs;	/* VIFs with a membership */
	bool			 has_star;	/* a (*,G) static route */
	unsigned		 star_iif;
	uint32_t		 star_oifs;
	struct mfc_entry_list	 entries;	/* G's (S,G) entries */
};

struct mfc_entry {
	struct hash_node	 hnode;
	struct heap_node	 expiry;	/* in the heap unless static */
	LIST_ENTRY(mfc_entry)	 glink;		/* in grp->entries */
	struct mfc_group	*grp;
	struct in_addr		 source;
	struct in_addr		 group;
	enum mfc_iif_origin	 iif_origin;
	unsigned		 iif;
	uint32_t		 static_oifs;	/* MFC_IIF_STATIC only */
	uint32_t		 oifs;		/* as written to the kernel */
	uint8_t			 ttls[MFC_MAXVIFS];
	mc_time_t		 installed_at;
	mc_time_t		 active_at;
	mc_time_t		 counter_at;
	uint64_t		 packets;
	uint64_t		 bytes;
	uint64_t		 wrong_if;
	uint64_t		 used;		/* packets - wrong_if */
	bool			 ttl_starved;	/* reported */
};

struct mfc {
	struct mfc_config	 cfg;
	struct trace		 trace;
	struct mfc_vif		 vifs[MFC_MAXVIFS];
	struct hash		 entries;
	struct hash		 groups;
	struct heap		 expiry;
	struct outq		 outq;
	mfc_rpf_fn		 rpf;
	void			*rpf_arg;
	bool			 limit_told;	/* LIMIT since below it */
	struct mfc_stats	 stats;
};

/* What composing an entry found, per VIF (the view shows it). */
struct mfc_composed {
	uint32_t	oifs;
	uint8_t		ttls[MFC_MAXVIFS];
	uint8_t		why[MFC_MAXVIFS];
	uint8_t		cut[MFC_MAXVIFS];
};

/* ------------------------------------------------------------------ */
/* Names, small helpers                                               */

void
mfc_config_defaults(struct mfc_config *c)
{
	memset(c, 0, sizeof(*c));
	c->idle_timeout_ms = 210000;	/* RFC 7761 4.11 Keepalive_Period */
	c->max_entries = 8192;
}

int
mfc_config_check(const struct mfc_config *c)
{
	if (c == NULL || c->idle_timeout_ms == 0)
		return -EINVAL;
	return 0;
}

const char *
mfc_origin_name(enum mfc_origin o)
{
	static const char *const names[MFC_ORIGIN_COUNT] = {
		[MFC_ORIGIN_ROUTE] = "route",
		[MFC_ORIGIN_STATIC] = "static",
		[MFC_ORIGIN_JOIN] = "join",
		[MFC_ORIGIN_IGMP] = "igmp",
	};

	return (unsigned)o < MFC_ORIGIN_COUNT ? names[o] : "?";
}

const char *
mfc_iif_origin_name(enum mfc_iif_origin o)
{
	switch (o) {
	case MFC_IIF_ARRIVAL:
		return "dynamic";
	case MFC_IIF_RPF:
		return "rpf";
	case MFC_IIF_STAR_G:
		return "(*,G)";
	case MFC_IIF_STATIC:
		return "static";
	default:
		return "?";
	}
}

const char *
mfc_cut_name(enum mfc_cut c)
{
	switch (c) {
	case MFC_CUT_NONE:
		return "-";
	case MFC_CUT_IIF:
		return "iif";
	case MFC_CUT_BOUNDARY:
		return "boundary";
	case MFC_CUT_BOUNDARY_IIF:
		return "boundary-at-iif";
	case MFC_CUT_LINK_LOCAL:
		return "link-local";
	case MFC_CUT_NO_VIF:
		return "no-vif";
	default:
		return "?";
	}
}

const char *
mfc_upcall_kind_name(enum mfc_upcall_kind k)
{
	switch (k) {
	case MFC_UPCALL_NOCACHE:
		return "NOCACHE";
	case MFC_UPCALL_WRONGVIF:
		return "WRONGVIF";
	default:
		return "?";
	}
}

static uint32_t
mfc_h(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static bool
mfc_is_group(struct in_addr g)
{
	return (mfc_h(g) >> 28) == 0xe;
}

/* RFC 5771: 224.0.0.0/24 is link-local, never forwarded. */
static bool
mfc_is_local(struct in_addr g)
{
	return (mfc_h(g) & MFC_LOCAL_MASK) == MFC_LOCAL_NET;
}

static uint32_t
mfc_prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static bool
mfc_prefix_covers(const struct mfc_prefix *p, struct in_addr g)
{
	uint32_t mask = mfc_prefix_mask(p->len);

	return (mfc_h(g) & mask) == (mfc_h(p->addr) & mask);
}

/* Whether a boundary of VIF v covers group g. */
static bool
mfc_bounded(const struct mfc *m, unsigned v, struct in_addr g)
{
	const struct mfc_vif *vif = &m->vifs[v];
	unsigned i;

	if (v >= MFC_MAXVIFS || !vif->present)
		return false;
	for (i = 0; i < vif->nbounds; i++)
		if (mfc_prefix_covers(&vif->bounds[i], g))
			return true;
	return false;
}

static bool
mfc_vif_ok(const struct mfc *m, unsigned v)
{
	return v < MFC_MAXVIFS && m->vifs[v].present;
}

/* "1:1 2:16" (vif:ttl, as /proc/net/ip_mr_cache), or "none". */
static const char *
mfc_ttls_str(const uint8_t *ttls, char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < MFC_MAXVIFS && off < len; v++)
		if (ttls[v] != 0)
			off += (size_t)snprintf(buf + off, len - off, "%s%u:%u",
			    off ? " " : "", v, ttls[v]);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* "1 2 5" (a VIF mask), or "none". */
static const char *
mfc_mask_str(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < MFC_MAXVIFS && off < len; v++)
		if (mask & MFC_BIT(v))
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
			    off ? " " : "", v);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Outputs                                                            */

static struct mfc_output *
mfc_emit(struct mfc *m, enum mfc_output_kind kind, struct in_addr s,
    struct in_addr g)
{
	struct mfc_output *o = outq_push(&m->outq, sizeof(*o));

	if (o == NULL) {
		m->stats.unexpected_events++;
		return NULL;
	}
	o->kind = kind;
	o->source = s;
	o->group = g;
	return o;
}

/* An output about entry e with its iif and TTLs. */
static struct mfc_output *
mfc_emit_entry(struct mfc *m, const struct mfc_entry *e,
    enum mfc_output_kind kind)
{
	struct mfc_output *o = mfc_emit(m, kind, e->source, e->group);

	if (o == NULL)
		return NULL;
	o->iif = e->iif;
	memcpy(o->ttls, e->ttls, sizeof(o->ttls));
	return o;
}

const struct mfc_output *
mfc_output(struct mfc *m)
{
	return outq_take(&m->outq);
}

/* ------------------------------------------------------------------ */
/* Tables                                                             */

static struct mfc_entry *
mfc_entry_find(const struct mfc *m, struct in_addr s, struct in_addr g)
{
	struct hash_node *n = hash_find(&m->entries, hash_key_pair(s, g));

	return n ? hash_entry(n, struct mfc_entry, hnode) : NULL;
}

static struct mfc_group *
mfc_group_find(const struct mfc *m, struct in_addr g)
{
	struct hash_node *n = hash_find(&m->groups, hash_key_addr(g));

	return n ? hash_entry(n, struct mfc_group, hnode) : NULL;
}

/* The group, created when missing; NULL when out of memory. */
static struct mfc_group *
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
	hash_insert(&m->groups, &grp->hnode, hash_key_addr(g));
	m->stats.groups++;
	return grp;
}

/* Free the group when nothing is left in it. */
static void
mfc_group_gc(struct mfc *m, struct mfc_group *grp)
{
	if (grp == NULL || grp->members != NULL || grp->has_star ||
	    !LIST_EMPTY(&grp->entries))
		return;
	hash_remove(&m->groups, &grp->hnode);
	m->stats.groups--;
	free(grp);
}

/* Where origin's view on vif is, or would be inserted. */
static struct mfc_member **
mfc_member_slot(struct mfc_group *grp, unsigned vif, enum mfc_origin origin)
{
	struct mfc_member **pp = &grp->members;

	while (*pp != NULL && ((*pp)->vif < vif || ((*pp)->vif == vif &&
	    (*pp)->origin < origin)))
		pp = &(*pp)->next;
	return pp;
}

/* Recount grp's VIFs with a membership, and the VIFs' counts. */
static void
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
static void
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
static void
mfc_compose(const struct mfc *m, const struct mfc_entry *e,
    struct mfc_composed *c)
{
	const struct mfc_member *mb;
	uint32_t routes = mfc_route_oifs(e);
	enum mfc_cut all = MFC_CUT_NONE;
	unsigned v;

	memset(c, 0, sizeof(*c));
	for (v = 0; v < MFC_MAXVIFS; v++)
		if (routes & MFC_BIT(v))
			c->why[v] |= MFC_WHY(MFC_ORIGIN_ROUTE);
	for (mb = e->grp->members; mb != NULL; mb = mb->next)
		if (mfc_member_admits(mb, e->source))
			c->why[mb->vif] |= MFC_WHY(mb->origin);
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
}

static void
mfc_entry_trace(struct mfc *m, const struct mfc_entry *e, const char *what)
{
	char sg[TRACE_SG_MAX], ttls[MFC_MAXVIFS * 8];

	trace(&m->trace, "%s %s: iif %u, oifs %s (%s)",
	    trace_sg(e->source, e->group, sg, sizeof(sg)), what, e->iif,
	    mfc_ttls_str(e->ttls, ttls, sizeof(ttls)),
	    mfc_iif_origin_name(e->iif_origin));
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
static void
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
	mfc_entry_trace(m, e, what);
	if (fresh)
		mfc_emit_emptiness(m, e, false, true);
}

/*
 * Compose e again and replace it when its oifs or TTLs changed, or
 * always when force (its iif changed).
 */
static void
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
	mfc_entry_trace(m, e, "replace");
	mfc_emit_emptiness(m, e, was_empty, false);
}

static mc_time_t
mfc_expiry(const struct mfc *m, const struct mfc_entry *e)
{
	if (e->iif_origin == MFC_IIF_STATIC)
		return MC_TIME_NEVER;
	return e->active_at + m->cfg.idle_timeout_ms;
}

static void
mfc_limit_check(struct mfc *m)
{
	if (m->cfg.max_entries == 0 ||
	    m->stats.dynamic_entries < m->cfg.max_entries)
		m->limit_told = false;
}

/* A static entry becomes dynamic, or the other way round. */
static void
mfc_entry_set_static(struct mfc *m, struct mfc_entry *e, bool is_static)
{
	if (is_static && heap_contains(&e->expiry)) {
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
static struct mfc_entry *
mfc_entry_new(struct mfc *m, mc_time_t now, struct in_addr s,
    struct in_addr g, enum mfc_iif_origin origin, unsigned iif)
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
static void
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
static void
mfc_update_all(struct mfc *m)
{
	struct hash_node *n, *nx;
	size_t b;

	HASH_FOREACH_SAFE(&m->entries, n, nx, b)
		mfc_entry_update(m, hash_entry(n, struct mfc_entry, hnode),
		    false);
}

/*
 * The iif of an entry no (S,G) route decides: (*,G) route, RPF, or the
 * arrival VIF.
 */
static enum mfc_iif_origin
mfc_iif_choose(const struct mfc *m, const struct mfc_group *grp,
    struct in_addr source, unsigned arrival, unsigned *iif)
{
	int v;

	if (grp != NULL && grp->has_star) {
		*iif = grp->star_iif;
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
/* Life cycle                                                         */

struct mfc *
mfc_new(const struct mfc_config *c, uint64_t rng_seed, mc_trace_fn trace_fn,
    void *trace_arg)
{
	struct mc_rng rng = { rng_seed };
	struct mfc *m;

	if (mfc_config_check(c) != 0)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	/* The caller's seed keys the hashes: senders cannot aim at one. */
	if (hash_init(&m->entries, mc_rng_next(&rng), MFC_HASH_MIN_BITS,
	    0) != 0) {
		free(m);
		return NULL;
	}
	if (hash_init(&m->groups, mc_rng_next(&rng), MFC_HASH_MIN_BITS,
	    0) != 0) {
		hash_fini(&m->entries);
		free(m);
		return NULL;
	}
	heap_init(&m->expiry);
	outq_init(&m->outq);
	m->cfg = *c;
	m->trace.fn = trace_fn;
	m->trace.arg = trace_arg;
	return m;
}

void
mfc_free(struct mfc *m)
{
	struct hash_node *n, *nx;
	struct mfc_member *mb;
	struct mfc_group *grp;
	size_t b;

	if (m == NULL)
		return;
	HASH_FOREACH_SAFE(&m->entries, n, nx, b)
		free(hash_entry(n, struct mfc_entry, hnode));
	HASH_FOREACH_SAFE(&m->groups, n, nx, b) {
		grp = hash_entry(n, struct mfc_group, hnode);
		while ((mb = grp->members) != NULL) {
			grp->members = mb->next;
			free(mb);
		}
		free(grp);
	}
	hash_fini(&m->entries);
	hash_fini(&m->groups);
	heap_fini(&m->expiry);
	outq_fini(&m->outq);
	free(m);
}

int
mfc_reconfigure(struct mfc *m, const struct mfc_config *c)
{
	struct heap_node *n;
	size_t i;

	if (mfc_config_check(c) != 0)
		return -EINVAL;
	m->cfg = *c;
	for (i = 0; (n = heap_at(&m->expiry, i)) != NULL; i++)
		n->at = mfc_expiry(m, heap_entry(n, struct mfc_entry, expiry));
	heap_rebuild(&m->expiry);
	mfc_limit_check(m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* VIFs                                                               */

static int
mfc_vif_config_check(const struct mfc_vif_config *c)
{
	unsigned i;

	if (c == NULL || c->threshold == 0 ||
	    c->nboundaries > MFC_MAX_BOUNDARIES ||
	    (c->nboundaries > 0 && c->boundaries == NULL))
		return -EINVAL;
	for (i = 0; i < c->nboundaries; i++)
		if (c->boundaries[i].len > 32 ||
		    (mfc_h(c->boundaries[i].addr) &
		    ~mfc_prefix_mask(c->boundaries[i].len)) != 0)
			return -EINVAL;
	return 0;
}

int
mfc_vif_set(struct mfc *m, mc_time_t now, unsigned vif,
    const struct mfc_vif_config *c)
{
	struct mfc_vif *v;
	bool changed;

	if (vif >= MFC_MAXVIFS || mfc_vif_config_check(c) != 0)
		return -EINVAL;
	v = &m->vifs[vif];
	changed = !v->present || v->threshold != c->threshold ||
	    v->nbounds != c->nboundaries || (c->nboundaries > 0 &&
	    memcmp(v->bounds, c->boundaries,
	    c->nboundaries * sizeof(*c->boundaries)) != 0);
	trace(&m->trace, "vif %u %s: ifindex %u, threshold %u, %u boundaries",
	    vif, v->present ? "updated" : "added", c->ifindex, c->threshold,
	    c->nboundaries);
	v->present = true;
	v->ifindex = c->ifindex;
	v->threshold = c->threshold;
	v->nbounds = c->nboundaries;
	memset(v->bounds, 0, sizeof(v->bounds));
	if (c->nboundaries > 0)
		memcpy(v->bounds, c->boundaries,
		    c->nboundaries * sizeof(*c->boundaries));
	if (changed)
		mfc_update_all(m);
	return 0;
}

int
mfc_vif_del(struct mfc *m, mc_time_t now, unsigned vif)
{
	struct hash_node *n, *nx;
	struct mfc_group *grp;
	struct mfc_entry *e;
	size_t b;

	if (!mfc_vif_ok(m, vif))
		return -ENOENT;
	trace(&m->trace, "vif %u deleted: %u groups with members dropped",
	    vif, m->vifs[vif].groups);
	HASH_FOREACH_SAFE(&m->groups, n, nx, b) {
		grp = hash_entry(n, struct mfc_group, hnode);
		if (grp->member_vifs & MFC_BIT(vif))
			mfc_members_drop_vif(m, grp, vif);
	}
	memset(&m->vifs[vif], 0, sizeof(m->vifs[vif]));
	HASH_FOREACH_SAFE(&m->entries, n, nx, b) {
		e = hash_entry(n, struct mfc_entry, hnode);
		if (e->iif == vif && (e->iif_origin == MFC_IIF_ARRIVAL ||
		    e->iif_origin == MFC_IIF_RPF)) {
			grp = e->grp;
			mfc_entry_delete(m, e, "its iif was deleted");
			mfc_group_gc(m, grp);
		} else {
			mfc_entry_update(m, e, false);
		}
	}
	/* Groups left with nothing (entries' groups are done above). */
	HASH_FOREACH_SAFE(&m->groups, n, nx, b)
		mfc_group_gc(m, hash_entry(n, struct mfc_group, hnode));
	return 0;
}

int
mfc_vif(const struct mfc *m, unsigned vif, struct mfc_vif_view *out)
{
	const struct mfc_vif *v;

	if (!mfc_vif_ok(m, vif))
		return -ENOENT;
	v = &m->vifs[vif];
	memset(out, 0, sizeof(*out));
	out->vif = vif;
	out->ifindex = v->ifindex;
	out->threshold = v->threshold;
	out->nboundaries = v->nbounds;
	out->boundaries = v->bounds;
	out->groups = v->groups;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Memberships                                                        */

/* origin's view of grp on vif replaced by mode {sources}; NULL: no memory. */
static const struct mfc_member *
mfc_member_store(struct mfc *m, struct mfc_group *grp,
    enum mfc_origin origin, unsigned vif, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources)
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
			trace(&m->trace, "%s on vif %u: %s %s %s refused at a "
			    "boundary", trace_addr(group, gb), vif,
			    mfc_origin_name(origin), igmp_filter_mode_name(mode),
			    set);
		} else {
			trace(&m->trace, "%s on vif %u: %s %s %s",
			    trace_addr(group, gb), vif,
			    mfc_origin_name(origin), igmp_filter_mode_name(mode),
			    set);
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

	if (iif >= MFC_MAXVIFS || !mfc_is_group(group) ||
	    mfc_is_local(group) || mfc_is_group(source))
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
	mfc_entry_set_static(m, e, true);
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

/* ------------------------------------------------------------------ */
/* Upcalls, counters, expiry                                          */

int
mfc_upcall(struct mfc *m, mc_time_t now, enum mfc_upcall_kind kind,
    struct in_addr source, struct in_addr group, unsigned vif)
{
	char sg[TRACE_SG_MAX];
	enum mfc_iif_origin origin;
	struct mfc_output *o;
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
	    m->stats.dynamic_entries >= m->cfg.max_entries) {
		m->stats.limit_entries++;
		if (!m->limit_told) {
			trace(&m->trace, "%s from vif %u not installed: %u "
			    "entries, the limit",
			    trace_sg(source, group, sg, sizeof(sg)), vif,
			    m->cfg.max_entries);
			o = mfc_emit(m, MFC_OUT_LIMIT, source, group);
			if (o != NULL) {
				o->iif = vif;
				o->limit = m->cfg.max_entries;
			}
		}
		m->limit_told = true;
		return -ENOSPC;
	}
	origin = mfc_iif_choose(m, mfc_group_find(m, group), source, vif,
	    &iif);
	e = mfc_entry_new(m, now, source, group, origin, iif);
	if (e == NULL)
		return -ENOMEM;
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
mfc_ttl_sample(struct mfc *m, unsigned vif, struct in_addr source,
    struct in_addr group, uint8_t ttl)
{
	struct mfc_entry *e = mfc_entry_find(m, source, group);
	struct mfc_output *o;

	if (e == NULL || e->ttl_starved || e->iif != vif || e->oifs == 0 ||
	    !mfc_ttl_forwards_nowhere(e, ttl))
		return false;
	e->ttl_starved = true;
	m->stats.ttl_starved++;
	o = mfc_emit_entry(m, e, MFC_OUT_TTL_STARVED);
	if (o != NULL)
		o->ttl = ttl;
	return true;
}

int
mfc_counters(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t bytes,
    uint64_t wrong_if)
{
	struct mfc_entry *e;
	uint64_t used;

	e = mfc_entry_find(m, source, group);
	if (e == NULL)
		return -ENOENT;
	used = packets >= wrong_if ? packets - wrong_if : 0;
	if (used != e->used) {
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

/* ------------------------------------------------------------------ */
/* Views                                                              */

static void
mfc_entry_view(const struct mfc *m, const struct mfc_entry *e,
    struct mfc_entry_view *v)
{
	struct mfc_composed c;

	memset(v, 0, sizeof(*v));
	mfc_compose(m, e, &c);
	v->source = e->source;
	v->group = e->group;
	v->iif_origin = e->iif_origin;
	v->iif = e->iif;
	v->oifs = e->oifs;
	memcpy(v->ttls, e->ttls, sizeof(v->ttls));
	memcpy(v->why, c.why, sizeof(v->why));
	memcpy(v->cut, c.cut, sizeof(v->cut));
	v->installed_at = e->installed_at;
	v->active_at = e->active_at;
	v->counter_at = e->counter_at;
	v->packets = e->packets;
	v->bytes = e->bytes;
	v->wrong_if = e->wrong_if;
	v->expires = heap_contains(&e->expiry) ? e->expiry.at : MC_TIME_NEVER;
	v->ttl_starved = e->ttl_starved;
}

int
mfc_entry(const struct mfc *m, struct in_addr source, struct in_addr group,
    struct mfc_entry_view *v)
{
	const struct mfc_entry *e = mfc_entry_find(m, source, group);

	if (e == NULL)
		return -ENOENT;
	mfc_entry_view(m, e, v);
	return 0;
}

int
mfc_foreach_entry(const struct mfc *m,
    int (*fn)(void *arg, const struct mfc_entry_view *v), void *arg)
{
	struct mfc_entry_view v;
	struct hash_node *n;
	size_t b;
	int rc;

	for (n = hash_first(&m->entries, &b); n != NULL;
	    n = hash_next(&m->entries, &b, n)) {
		mfc_entry_view(m, hash_entry(n, struct mfc_entry, hnode), &v);
		if ((rc = fn(arg, &v)) != 0)
			return rc;
	}
	return 0;
}

const struct mfc_stats *
mfc_stats(const struct mfc *m)
{
	return &m->stats;
}
