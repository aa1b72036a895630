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
 *     once; an entry installed with an interface a boundary cuts (or all
 *     of them, at its iif) is counted there too.  Deleting a VIF drops its memberships.
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
#include <arpa/inet.h>

#include "mfc_int.h"

/* ------------------------------------------------------------------ */
/* Names, small helpers                                               */

void
mfc_config_defaults(struct mfc_config *c)
{
	memset(c, 0, sizeof(*c));
	c->idle_timeout_ms = 210000; /* RFC 7761 4.11 Keepalive_Period */
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
		[MFC_ORIGIN_DVMRP] = "dvmrp",
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
	case MFC_CUT_THRESHOLD:
		return "threshold";
	case MFC_CUT_PRUNED:
		return "pruned";
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

bool
mfc_is_group(struct in_addr g)
{
	return (mfc_h(g) >> 28) == 0xe;
}

/* RFC 5771: 224.0.0.0/24 is link-local, never forwarded. */
bool
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
bool
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

bool
mfc_vif_ok(const struct mfc *m, unsigned v)
{
	return v < MFC_MAXVIFS && m->vifs[v].present;
}

/* "1:1 2:16" (vif:ttl, as /proc/net/ip_mr_cache), or "none". */
const char *
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
const char *
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

struct mfc_output *
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
struct mfc_output *
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
	if (hash_init(&m->entries, mc_rng_next(&rng), MFC_HASH_MIN_BITS, 0) !=
	    0) {
		free(m);
		return NULL;
	}
	if (hash_init(&m->groups, mc_rng_next(&rng), MFC_HASH_MIN_BITS, 0) !=
	    0) {
		hash_fini(&m->entries);
		free(m);
		return NULL;
	}
	/* Emptied by a walk (mfc_refused_clear): it must not shrink. */
	if (hash_init(&m->refused, mc_rng_next(&rng), MFC_HASH_MIN_BITS, 0) !=
	    0) {
		hash_fini(&m->groups);
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
	free(m->stars);
	mfc_refused_clear(m);
	hash_fini(&m->refused);
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
	    v->nbounds != c->nboundaries ||
	    (c->nboundaries > 0 &&
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
	trace(&m->trace, "vif %u deleted: %u groups with members dropped", vif,
	    m->vifs[vif].groups);
	HASH_FOREACH_SAFE(&m->groups, n, nx, b) {
		grp = hash_entry(n, struct mfc_group, hnode);
		if (grp->member_vifs & MFC_BIT(vif))
			mfc_members_drop_vif(m, grp, vif);
	}
	memset(&m->vifs[vif], 0, sizeof(m->vifs[vif]));
	HASH_FOREACH_SAFE(&m->entries, n, nx, b) {
		e = hash_entry(n, struct mfc_entry, hnode);
		if (e->iif == vif &&
		    (e->iif_origin == MFC_IIF_ARRIVAL ||
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
/* Views                                                              */

static void
mfc_entry_view(const struct mfc *m, const struct mfc_entry *e,
    struct mfc_entry_view *v)
{
	struct mfc_composed c;
	unsigned i;

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
	v->starved_ttl = e->starved_ttl;
	/* The oifs the sampled TTL does not pass (all, when starved). */
	for (i = 0; e->ttl_starved && i < MFC_MAXVIFS; i++)
		if ((e->oifs & MFC_BIT(i)) && e->starved_ttl <= e->ttls[i])
			v->cut[i] = MFC_CUT_THRESHOLD;
}

const char *
mfc_empty_reason(const uint8_t *why, const uint8_t *cut, char *buf, size_t len)
{
	bool seen[MFC_CUT_PRUNED + 1] = { false };
	size_t off;
	unsigned v, k;

	for (v = 0; v < MFC_MAXVIFS; v++)
		if (why[v] != 0 && cut[v] != MFC_CUT_IIF &&
		    cut[v] <= MFC_CUT_PRUNED)
			seen[cut[v]] = true;
	off = (size_t)snprintf(buf, len, "all cut:");
	for (k = MFC_CUT_BOUNDARY; k <= MFC_CUT_PRUNED; k++)
		if (seen[k] && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off > strlen("all cut:") ? "," : " ",
			    mfc_cut_name(k));
	if (off == strlen("all cut:"))
		snprintf(buf, len, "no members");
	return buf;
}

const char *
mfc_entry_note(const struct mfc_entry_view *v, char *buf, size_t len)
{
	if (v->ttl_starved)
		snprintf(buf, len, "ttl-too-low");
	else if (v->oifs == 0)
		mfc_empty_reason(v->why, v->cut, buf, len);
	else if (len > 0)
		buf[0] = '\0';
	return buf;
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
