/*
 * The router's forwarding decisions (see mroute.h) as a sans-I/O engine.
 *
 * Data structures
 *   entries     the (S,G) entries the kernel holds (or will once the
 *               daemon drains the outputs), in a chained hash table keyed
 *               by (S,G) with the caller's seed; the table doubles as
 *               entries come and never shrinks (it keeps the size of its
 *               peak, one pointer per entry), so walks over it never see
 *               a rehash.
 *   groups      per group G, in a second hash table: the membership view
 *               of every VIF that has members, the (*,G) static route and
 *               the list of G's entries.  A membership change walks that
 *               list only; a group lives while it has any of the three.
 *   expiry      entries that can expire (not those of (S,G) static
 *               routes) sit in a binary min-heap on their expiry time:
 *               mroute_next_deadline() is O(1), a counter that moved
 *               costs O(log entries).
 *   outputs     a FIFO of MFC adds and deletes, allocated here and freed
 *               when taken.
 *   VIF changes (add, delete, threshold, boundaries) are rare and may
 *               touch any entry: they walk every entry once.
 *
 * Choices made here:
 *   - RPF without a routing protocol: a NOCACHE upcall's arrival VIF
 *     becomes the entry's iif, as igmpproxy- and smcroute-style routers
 *     do, unless a static route names the iif.  A later WRONGVIF for that
 *     entry is counted and the first iif kept: packets arriving on two
 *     VIFs (two routers on a LAN, a loop) are forwarded from one only.
 *     If the source really moved, the packets coming in by the old iif
 *     stop, the entry goes idle (the kernel's pktcnt also counts wrong-if
 *     packets, so activity is pktcnt - wrong_if), expires, and the next
 *     packet is learned afresh.  A WRONGVIF naming the entry's own iif
 *     means the kernel holds something else: the entry is installed again.
 *   - Most specific static route wins: an (S,G) route alone decides
 *     (S,G) (its oifs + members); a (*,G) route decides the iif of every
 *     other (S,G) of G and adds its oifs.  Static routes are
 *     authoritative: an entry keeps the route's iif even while that VIF
 *     does not exist (the kernel then drops the stream).  Deleting a route
 *     deletes the entries it made; the kernel's next packet upcalls again.
 *   - An (S,G) static route's entry never expires and does not count
 *     against max_entries; entries made by upcalls (with or without a
 *     (*,G) route) do, and expire when idle.
 *   - Idle: an entry's expiry is its last activity + idle_timeout, where
 *     activity is its install (an upcall means a packet came) or a counter
 *     read that differs from the one before (a fresh kernel entry counts
 *     from 0).  With reads every P ms (P < idle_timeout) an entry lives
 *     between idle_timeout and idle_timeout + P after its last packet.
 *   - An upcall for which there are no oifs (no members, a boundary on
 *     the iif, 224.0.0.x) still installs an entry, with no oifs: the
 *     kernel then drops the stream without upcalling; the entry expires
 *     like the others.  Upcalls over max_entries are refused (counted,
 *     traced once until the count falls below the limit): the kernel keeps
 *     its unresolved entry 10 s and asks again.
 *   - A membership for a group a boundary of its VIF covers is counted
 *     (boundary_drops) and never used while the boundary stands; it is
 *     kept, so removing the boundary admits it at once, as the IGMP
 *     engine still tracks it.  Deleting a VIF drops its memberships.
 *   - 224.0.0.0/24 (RFC 5771) is never forwarded: static routes for it
 *     are refused, memberships ignored and counted, and an entry for it
 *     (the kernel never upcalls for it) gets no oifs.
 *   - Allocation failures refuse the input and count an unexpected
 *     event; the state stays consistent.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <arpa/inet.h>

#include "mroute.h"
#include "srcset.h"

#define MR_LOCAL_NET		0xe0000000u	/* 224.0.0.0/24 */
#define MR_LOCAL_MASK		0xffffff00u
#define MR_HASH_MIN_BITS	6
#define MR_TRACE_MAX		320
#define MR_TRACE_SET_MAX	4		/* addresses shown per set */
#define MR_NOT_IN_HEAP		SIZE_MAX
#define MR_BIT(v)		(1u << (v))

/* ------------------------------------------------------------------ */
/* State                                                              */

struct mroute_vif {
	bool			 present;
	unsigned		 ifindex;
	uint8_t			 threshold;
	unsigned		 nbounds;
	struct mroute_prefix	 bounds[MROUTE_MAX_BOUNDARIES];
	uint32_t		 groups;	/* with members here */
};

/* One VIF's view of a group: INCLUDE {src} or EXCLUDE {src}, sorted. */
struct mroute_member {
	enum igmp_filter_mode	 mode;
	uint32_t		 n;
	struct in_addr		 src[];
};

struct mroute_entry;
LIST_HEAD(mroute_entry_list, mroute_entry);

struct mroute_group {
	struct mroute_group	*hnext;		/* hash chain */
	struct in_addr		 addr;
	uint32_t		 member_vifs;	/* bit v: members[v] set */
	struct mroute_member	*members[MROUTE_MAXVIFS];
	bool			 has_star;	/* a (*,G) static route */
	unsigned		 star_iif;
	uint32_t		 star_oifs;
	struct mroute_entry_list entries;	/* G's (S,G) entries */
};

struct mroute_entry {
	struct mroute_entry	*hnext;		/* hash chain */
	LIST_ENTRY(mroute_entry) glink;		/* in grp->entries */
	struct mroute_group	*grp;
	struct in_addr		 source;
	struct in_addr		 group;
	enum mroute_origin	 origin;
	unsigned		 iif;
	uint32_t		 static_oifs;	/* MROUTE_STATIC only */
	uint32_t		 oifs;		/* as installed */
	uint8_t			 ttls[MROUTE_MAXVIFS];
	mc_time_t		 installed_at;
	mc_time_t		 active_at;
	mc_time_t		 counter_at;
	mc_time_t		 expire;	/* MC_TIME_NEVER: static */
	uint64_t		 packets;
	uint64_t		 wrong_if;
	uint64_t		 used;		/* packets - wrong_if */
	size_t			 heap_index;
	bool			 ttl_starved;	/* reported */
};

struct mroute_out {
	STAILQ_ENTRY(mroute_out) link;
	struct mroute_output	 o;
};
STAILQ_HEAD(mroute_outq, mroute_out);

struct mroute {
	struct mroute_config	 cfg;
	uint64_t		 hash_key;
	mc_trace_fn		 trace;
	void			*trace_arg;

	struct mroute_vif	 vifs[MROUTE_MAXVIFS];

	struct mroute_entry	**ebuckets;
	unsigned		 ebits;
	struct mroute_group	**gbuckets;
	unsigned		 gbits;

	struct mroute_entry	**heap;
	size_t			 heap_len;
	size_t			 heap_cap;

	struct mroute_outq	 outq;
	bool			 limit_traced;

	struct mroute_stats	 stats;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */

void
mroute_config_defaults(struct mroute_config *c)
{
	memset(c, 0, sizeof(*c));
	c->idle_timeout_ms = 210000;	/* RFC 7761 4.11 Keepalive_Period */
	c->max_entries = 8192;
}

int
mroute_config_check(const struct mroute_config *c)
{
	if (c == NULL || c->idle_timeout_ms == 0)
		return -EINVAL;
	return 0;
}

const char *
mroute_origin_name(enum mroute_origin o)
{
	switch (o) {
	case MROUTE_DYNAMIC:
		return "dynamic";
	case MROUTE_STAR_G:
		return "(*,G)";
	case MROUTE_STATIC:
		return "static";
	default:
		return "?";
	}
}

const char *
mroute_upcall_kind_name(enum mroute_upcall_kind k)
{
	switch (k) {
	case MROUTE_UPCALL_NOCACHE:
		return "NOCACHE";
	case MROUTE_UPCALL_WRONGVIF:
		return "WRONGVIF";
	default:
		return "?";
	}
}

static uint32_t
mroute_h(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static bool
mroute_is_group(struct in_addr g)
{
	return (mroute_h(g) >> 28) == 0xe;
}

/* RFC 5771: 224.0.0.0/24 is link-local, never forwarded. */
static bool
mroute_is_local(struct in_addr g)
{
	return (mroute_h(g) & MR_LOCAL_MASK) == MR_LOCAL_NET;
}

static uint32_t
mroute_prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static bool
mroute_prefix_covers(const struct mroute_prefix *p, struct in_addr g)
{
	uint32_t mask = mroute_prefix_mask(p->len);

	return (mroute_h(g) & mask) == (mroute_h(p->addr) & mask);
}

/* Whether a boundary of VIF v covers group g. */
static bool
mroute_bounded(const struct mroute *m, unsigned v, struct in_addr g)
{
	const struct mroute_vif *vif = &m->vifs[v];
	unsigned i;

	if (!vif->present)
		return false;
	for (i = 0; i < vif->nbounds; i++)
		if (mroute_prefix_covers(&vif->bounds[i], g))
			return true;
	return false;
}

static bool
mroute_vif_ok(const struct mroute *m, unsigned v)
{
	return v < MROUTE_MAXVIFS && m->vifs[v].present;
}

/* splitmix64's finaliser over the key and the address pair. */
static uint64_t
mroute_mix(uint64_t key, uint32_t a, uint32_t b)
{
	uint64_t z = key ^ ((uint64_t)a << 32 | b);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
mroute_ebucket(const struct mroute *m, unsigned bits, struct in_addr s,
    struct in_addr g)
{
	return (size_t)(mroute_mix(m->hash_key, s.s_addr, g.s_addr) &
	    (((uint64_t)1 << bits) - 1));
}

static size_t
mroute_gbucket(const struct mroute *m, unsigned bits, struct in_addr g)
{
	return (size_t)(mroute_mix(~m->hash_key, 0, g.s_addr) &
	    (((uint64_t)1 << bits) - 1));
}

static void
mroute_trace_line(struct mroute *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
mroute_trace_line(struct mroute *m, const char *fmt, ...)
{
	char line[MR_TRACE_MAX];
	va_list ap;

	if (m->trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	m->trace(m->trace_arg, line);
}

/* Arguments are evaluated only when someone listens (a hot path). */
#define mroute_trace(e, ...)							\
	do {								\
		if ((e)->trace != NULL)					\
			mroute_trace_line((e), __VA_ARGS__);			\
	} while (0)

/* inet_ntoa without the static buffer. */
static const char *
mroute_ntoa(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* "(S, G)" or "(*, G)". */
static const char *
mroute_sg_str(struct in_addr s, struct in_addr g, char *buf, size_t len)
{
	char sb[INET_ADDRSTRLEN], gb[INET_ADDRSTRLEN];

	snprintf(buf, len, "(%s, %s)",
	    s.s_addr == INADDR_ANY ? "*" : mroute_ntoa(s, sb),
	    mroute_ntoa(g, gb));
	return buf;
}

/* "1:1 2:16" (vif:ttl, as /proc/net/ip_mr_cache), or "none". */
static const char *
mroute_ttls_str(const uint8_t *ttls, char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < MROUTE_MAXVIFS && off < len; v++)
		if (ttls[v] != 0)
			off += (size_t)snprintf(buf + off, len - off, "%s%u:%u",
			    off ? " " : "", v, ttls[v]);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* "1 2 5" (a VIF mask), or "none". */
static const char *
mroute_mask_str(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < MROUTE_MAXVIFS && off < len; v++)
		if (mask & MR_BIT(v))
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
			    off ? " " : "", v);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* "EXCLUDE {a, b, +3}" */
static const char *
mroute_view_str(enum igmp_filter_mode mode, const struct in_addr *src,
    uint32_t n, char *buf, size_t len)
{
	char ab[INET_ADDRSTRLEN];
	size_t off;
	uint32_t i;

	off = (size_t)snprintf(buf, len, "%s {", igmp_filter_mode_name(mode));
	for (i = 0; i < n && i < MR_TRACE_SET_MAX && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? ", " : "", mroute_ntoa(src[i], ab));
	if (n > MR_TRACE_SET_MAX && off < len)
		off += (size_t)snprintf(buf + off, len - off, ", +%u",
		    n - MR_TRACE_SET_MAX);
	if (off < len)
		snprintf(buf + off, len - off, "}");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Output queue                                                       */

static struct mroute_out *
mroute_out_new(struct mroute *m)
{
	struct mroute_out *o;

	o = calloc(1, sizeof(*o));
	if (o == NULL) {
		m->stats.unexpected_events++;
		return NULL;
	}
	STAILQ_INSERT_TAIL(&m->outq, o, link);
	return o;
}

/* An output about entry e: kind, (S,G), iif and ttls filled in. */
static struct mroute_out *
mroute_emit_entry(struct mroute *m, const struct mroute_entry *e,
    enum mroute_output_kind kind)
{
	struct mroute_out *o = mroute_out_new(m);

	if (o == NULL)
		return NULL;
	o->o.kind = kind;
	o->o.source = e->source;
	o->o.group = e->group;
	o->o.iif = e->iif;
	memcpy(o->o.ttls, e->ttls, sizeof(o->o.ttls));
	return o;
}

static void
mroute_emit_add(struct mroute *m, const struct mroute_entry *e, bool replace)
{
	struct mroute_out *o = mroute_emit_entry(m, e, MROUTE_OUT_MFC_ADD);

	if (o != NULL)
		o->o.replace = replace;
}

static void
mroute_emit_del(struct mroute *m, const struct mroute_entry *e)
{
	struct mroute_out *o = mroute_out_new(m);

	if (o == NULL)
		return;
	o->o.kind = MROUTE_OUT_MFC_DEL;
	o->o.source = e->source;
	o->o.group = e->group;
}

bool
mroute_output(struct mroute *m, struct mroute_output *out)
{
	struct mroute_out *o;

	o = STAILQ_FIRST(&m->outq);
	if (o == NULL)
		return false;
	STAILQ_REMOVE_HEAD(&m->outq, link);
	*out = o->o;
	free(o);
	return true;
}

/* ------------------------------------------------------------------ */
/* The expiry heap                                                    */

static void
mroute_heap_set(struct mroute *m, size_t i, struct mroute_entry *e)
{
	m->heap[i] = e;
	e->heap_index = i;
}

static void
mroute_heap_up(struct mroute *m, size_t i)
{
	struct mroute_entry *e = m->heap[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (m->heap[parent]->expire <= e->expire)
			break;
		mroute_heap_set(m, i, m->heap[parent]);
		i = parent;
	}
	mroute_heap_set(m, i, e);
}

static void
mroute_heap_down(struct mroute *m, size_t i)
{
	struct mroute_entry *e = m->heap[i];
	size_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= m->heap_len)
			break;
		if (child + 1 < m->heap_len &&
		    m->heap[child + 1]->expire < m->heap[child]->expire)
			child++;
		if (e->expire <= m->heap[child]->expire)
			break;
		mroute_heap_set(m, i, m->heap[child]);
		i = child;
	}
	mroute_heap_set(m, i, e);
}

/* Room for one more; the push itself cannot fail. */
static int
mroute_heap_reserve(struct mroute *m)
{
	struct mroute_entry **h;
	size_t cap;

	if (m->heap_len < m->heap_cap)
		return 0;
	cap = m->heap_cap ? m->heap_cap * 2 : 64;
	h = realloc(m->heap, cap * sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	m->heap = h;
	m->heap_cap = cap;
	return 0;
}

static void
mroute_heap_push(struct mroute *m, struct mroute_entry *e)
{
	mroute_heap_set(m, m->heap_len++, e);
	mroute_heap_up(m, e->heap_index);
}

static void
mroute_heap_remove(struct mroute *m, struct mroute_entry *e)
{
	size_t i = e->heap_index;
	struct mroute_entry *last;

	if (i == MR_NOT_IN_HEAP)
		return;
	e->heap_index = MR_NOT_IN_HEAP;
	last = m->heap[--m->heap_len];
	if (last == e)
		return;
	mroute_heap_set(m, i, last);
	mroute_heap_up(m, i);
	mroute_heap_down(m, last->heap_index);
}

/* e->expire changed. */
static void
mroute_heap_fix(struct mroute *m, struct mroute_entry *e)
{
	if (e->heap_index == MR_NOT_IN_HEAP)
		return;
	mroute_heap_up(m, e->heap_index);
	mroute_heap_down(m, e->heap_index);
}

/* ------------------------------------------------------------------ */
/* Hash tables                                                        */

static void
mroute_egrow(struct mroute *m)
{
	struct mroute_entry **nb, *e, *next;
	unsigned bits = m->ebits + 1;
	size_t i, b;

	if (m->stats.entries <= ((uint64_t)1 << m->ebits) || bits > 30)
		return;
	nb = calloc((size_t)1 << bits, sizeof(*nb));
	if (nb == NULL)
		return;		/* longer chains, still correct */
	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = next) {
			next = e->hnext;
			b = mroute_ebucket(m, bits, e->source, e->group);
			e->hnext = nb[b];
			nb[b] = e;
		}
	free(m->ebuckets);
	m->ebuckets = nb;
	m->ebits = bits;
}

static void
mroute_ggrow(struct mroute *m)
{
	struct mroute_group **nb, *g, *next;
	unsigned bits = m->gbits + 1;
	size_t i, b;

	if (m->stats.groups <= ((uint64_t)1 << m->gbits) || bits > 30)
		return;
	nb = calloc((size_t)1 << bits, sizeof(*nb));
	if (nb == NULL)
		return;
	for (i = 0; i < ((size_t)1 << m->gbits); i++)
		for (g = m->gbuckets[i]; g != NULL; g = next) {
			next = g->hnext;
			b = mroute_gbucket(m, bits, g->addr);
			g->hnext = nb[b];
			nb[b] = g;
		}
	free(m->gbuckets);
	m->gbuckets = nb;
	m->gbits = bits;
}

static struct mroute_entry *
mroute_entry_find(const struct mroute *m, struct in_addr s, struct in_addr g)
{
	struct mroute_entry *e;

	e = m->ebuckets[mroute_ebucket(m, m->ebits, s, g)];
	for (; e != NULL; e = e->hnext)
		if (e->source.s_addr == s.s_addr &&
		    e->group.s_addr == g.s_addr)
			return e;
	return NULL;
}

static struct mroute_group *
mroute_group_find(const struct mroute *m, struct in_addr g)
{
	struct mroute_group *grp;

	grp = m->gbuckets[mroute_gbucket(m, m->gbits, g)];
	for (; grp != NULL; grp = grp->hnext)
		if (grp->addr.s_addr == g.s_addr)
			return grp;
	return NULL;
}

/* The group, created when missing; NULL when out of memory. */
static struct mroute_group *
mroute_group_get(struct mroute *m, struct in_addr g)
{
	struct mroute_group *grp;
	size_t b;

	grp = mroute_group_find(m, g);
	if (grp != NULL)
		return grp;
	grp = calloc(1, sizeof(*grp));
	if (grp == NULL) {
		m->stats.unexpected_events++;
		return NULL;
	}
	grp->addr = g;
	LIST_INIT(&grp->entries);
	b = mroute_gbucket(m, m->gbits, g);
	grp->hnext = m->gbuckets[b];
	m->gbuckets[b] = grp;
	m->stats.groups++;
	mroute_ggrow(m);
	return grp;
}

/* Free the group when nothing is left in it. */
static void
mroute_group_gc(struct mroute *m, struct mroute_group *grp)
{
	struct mroute_group **pp;

	if (grp == NULL || grp->member_vifs != 0 || grp->has_star ||
	    !LIST_EMPTY(&grp->entries))
		return;
	pp = &m->gbuckets[mroute_gbucket(m, m->gbits, grp->addr)];
	while (*pp != grp)
		pp = &(*pp)->hnext;
	*pp = grp->hnext;
	m->stats.groups--;
	free(grp);
}

static void
mroute_member_drop(struct mroute *m, struct mroute_group *grp, unsigned v)
{
	if (!(grp->member_vifs & MR_BIT(v)))
		return;
	free(grp->members[v]);
	grp->members[v] = NULL;
	grp->member_vifs &= ~MR_BIT(v);
	m->vifs[v].groups--;
}

/* ------------------------------------------------------------------ */
/* The forwarding rules                                               */

/* INCLUDE {A}: S in A; EXCLUDE {Y}: S not in Y. */
static bool
mroute_member_admits(const struct mroute_member *mb, struct in_addr s)
{
	bool in = srcset_contains(mb->src, mb->n, s);

	return mb->mode == IGMP_FILTER_INCLUDE ? in : !in;
}

static uint32_t
mroute_static_oifs(const struct mroute_entry *e)
{
	switch (e->origin) {
	case MROUTE_STATIC:
		return e->static_oifs;
	case MROUTE_STAR_G:
		return e->grp->has_star ? e->grp->star_oifs : 0;
	default:
		return 0;
	}
}

/*
 * The oifs of an entry (the rules at the top of mroute.h) and their
 * ttls: each oif's threshold, 0 elsewhere.
 */
static uint32_t
mroute_compute(const struct mroute *m, const struct mroute_entry *e,
    uint8_t *ttls)
{
	const struct mroute_group *grp = e->grp;
	uint32_t want, oifs = 0;
	unsigned v;

	memset(ttls, 0, MROUTE_MAXVIFS);
	if (mroute_is_local(e->group) || mroute_bounded(m, e->iif, e->group))
		return 0;
	want = mroute_static_oifs(e);
	for (v = 0; v < MROUTE_MAXVIFS; v++)
		if ((grp->member_vifs & MR_BIT(v)) &&
		    mroute_member_admits(grp->members[v], e->source))
			want |= MR_BIT(v);
	want &= ~MR_BIT(e->iif);
	for (v = 0; v < MROUTE_MAXVIFS; v++) {
		if (!(want & MR_BIT(v)) || !m->vifs[v].present ||
		    mroute_bounded(m, v, e->group))
			continue;
		oifs |= MR_BIT(v);
		ttls[v] = m->vifs[v].threshold;
	}
	return oifs;
}

static void
mroute_entry_trace(struct mroute *m, const struct mroute_entry *e,
    const char *what)
{
	char sg[2 * INET_ADDRSTRLEN + 8], ttls[MROUTE_MAXVIFS * 8];

	mroute_trace(m, "%s %s: iif %u, oifs %s (%s)",
	    mroute_sg_str(e->source, e->group, sg, sizeof(sg)), what, e->iif,
	    mroute_ttls_str(e->ttls, ttls, sizeof(ttls)),
	    mroute_origin_name(e->origin));
}

/* Compute and install a new entry (or one the kernel lost). */
static void
mroute_entry_install(struct mroute *m, struct mroute_entry *e,
    const char *what)
{
	e->oifs = mroute_compute(m, e, e->ttls);
	mroute_emit_add(m, e, false);
	m->stats.installs++;
	mroute_entry_trace(m, e, what);
}

/*
 * Recompute an installed entry and replace it when its oifs or ttls
 * changed, or always when force (its iif changed).
 */
static void
mroute_entry_update(struct mroute *m, struct mroute_entry *e, bool force)
{
	uint8_t ttls[MROUTE_MAXVIFS];
	uint32_t oifs;

	oifs = mroute_compute(m, e, ttls);
	if (!force && oifs == e->oifs &&
	    memcmp(ttls, e->ttls, sizeof(ttls)) == 0)
		return;
	e->oifs = oifs;
	memcpy(e->ttls, ttls, sizeof(ttls));
	mroute_emit_add(m, e, true);
	m->stats.replaces++;
	mroute_entry_trace(m, e, "replace");
}

static mc_time_t
mroute_expiry(const struct mroute *m, const struct mroute_entry *e)
{
	if (e->origin == MROUTE_STATIC)
		return MC_TIME_NEVER;
	return e->active_at + m->cfg.idle_timeout_ms;
}

/*
 * A new entry in the tables (not yet installed); NULL when out of
 * memory.  Entries that can expire enter the heap.
 */
static struct mroute_entry *
mroute_entry_new(struct mroute *m, mc_time_t now, struct in_addr s,
    struct in_addr g, enum mroute_origin origin, unsigned iif)
{
	struct mroute_group *grp;
	struct mroute_entry *e;
	size_t b;

	if (mroute_heap_reserve(m) != 0) {
		m->stats.unexpected_events++;
		return NULL;
	}
	grp = mroute_group_get(m, g);
	if (grp == NULL)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		m->stats.unexpected_events++;
		mroute_group_gc(m, grp);
		return NULL;
	}
	e->source = s;
	e->group = g;
	e->grp = grp;
	e->origin = origin;
	e->iif = iif;
	e->installed_at = now;
	e->active_at = now;
	e->heap_index = MR_NOT_IN_HEAP;
	e->expire = mroute_expiry(m, e);
	LIST_INSERT_HEAD(&grp->entries, e, glink);
	b = mroute_ebucket(m, m->ebits, s, g);
	e->hnext = m->ebuckets[b];
	m->ebuckets[b] = e;
	m->stats.entries++;
	if (origin != MROUTE_STATIC) {
		mroute_heap_push(m, e);
		m->stats.dynamic_entries++;
	}
	mroute_egrow(m);
	return e;
}

/*
 * Delete an entry: the MFC delete, the counters and the trace.  Its group
 * is left for the caller to mroute_group_gc() (walks of the group's list
 * must not see it freed).
 */
static void
mroute_entry_delete(struct mroute *m, struct mroute_entry *e,
    const char *why)
{
	char sg[2 * INET_ADDRSTRLEN + 8];
	struct mroute_entry **pp;

	mroute_emit_del(m, e);
	m->stats.deletes++;
	mroute_trace(m, "%s delete: %s (%s)",
	    mroute_sg_str(e->source, e->group, sg, sizeof(sg)), why,
	    mroute_origin_name(e->origin));
	pp = &m->ebuckets[mroute_ebucket(m, m->ebits, e->source, e->group)];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	LIST_REMOVE(e, glink);
	if (e->heap_index != MR_NOT_IN_HEAP) {
		mroute_heap_remove(m, e);
		m->stats.dynamic_entries--;
	}
	m->stats.entries--;
	if (m->cfg.max_entries == 0 ||
	    m->stats.dynamic_entries < m->cfg.max_entries)
		m->limit_traced = false;
	free(e);
}

/* Recompute every entry (a VIF changed). */
static void
mroute_update_all(struct mroute *m)
{
	struct mroute_entry *e;
	size_t i;

	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = e->hnext)
			mroute_entry_update(m, e, false);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                         */

struct mroute *
mroute_new(const struct mroute_config *c, uint64_t rng_seed,
    mc_trace_fn trace, void *trace_arg)
{
	struct mc_rng rng = { rng_seed };
	struct mroute *m;

	if (mroute_config_check(c) != 0)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->ebits = MR_HASH_MIN_BITS;
	m->gbits = MR_HASH_MIN_BITS;
	m->ebuckets = calloc((size_t)1 << m->ebits, sizeof(*m->ebuckets));
	m->gbuckets = calloc((size_t)1 << m->gbits, sizeof(*m->gbuckets));
	if (m->ebuckets == NULL || m->gbuckets == NULL) {
		free(m->ebuckets);
		free(m->gbuckets);
		free(m);
		return NULL;
	}
	/* The caller's seed keys the hashes: senders cannot aim at one. */
	m->hash_key = mc_rng_next(&rng);
	m->cfg = *c;
	m->trace = trace;
	m->trace_arg = trace_arg;
	STAILQ_INIT(&m->outq);
	return m;
}

void
mroute_free(struct mroute *m)
{
	struct mroute_entry *e, *enext;
	struct mroute_group *g, *gnext;
	struct mroute_out *o;
	unsigned v;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = enext) {
			enext = e->hnext;
			free(e);
		}
	for (i = 0; i < ((size_t)1 << m->gbits); i++)
		for (g = m->gbuckets[i]; g != NULL; g = gnext) {
			gnext = g->hnext;
			for (v = 0; v < MROUTE_MAXVIFS; v++)
				free(g->members[v]);
			free(g);
		}
	while ((o = STAILQ_FIRST(&m->outq)) != NULL) {
		STAILQ_REMOVE_HEAD(&m->outq, link);
		free(o);
	}
	free(m->ebuckets);
	free(m->gbuckets);
	free(m->heap);
	free(m);
}

int
mroute_reconfigure(struct mroute *m, const struct mroute_config *c)
{
	size_t i;

	if (mroute_config_check(c) != 0)
		return -EINVAL;
	m->cfg = *c;
	for (i = 0; i < m->heap_len; i++)
		m->heap[i]->expire = mroute_expiry(m, m->heap[i]);
	for (i = m->heap_len / 2; i-- > 0;)
		mroute_heap_down(m, i);
	if (m->cfg.max_entries == 0 ||
	    m->stats.dynamic_entries < m->cfg.max_entries)
		m->limit_traced = false;
	return 0;
}

/* ------------------------------------------------------------------ */
/* VIFs                                                               */

static int
mroute_vif_config_check(const struct mroute_vif_config *c)
{
	unsigned i;

	if (c == NULL || c->threshold == 0 ||
	    c->nboundaries > MROUTE_MAX_BOUNDARIES ||
	    (c->nboundaries > 0 && c->boundaries == NULL))
		return -EINVAL;
	for (i = 0; i < c->nboundaries; i++)
		if (c->boundaries[i].len > 32 ||
		    (mroute_h(c->boundaries[i].addr) &
		    ~mroute_prefix_mask(c->boundaries[i].len)) != 0)
			return -EINVAL;
	return 0;
}

int
mroute_vif_set(struct mroute *m, mc_time_t now, unsigned vif,
    const struct mroute_vif_config *c)
{
	struct mroute_vif *v;
	bool changed;

	if (vif >= MROUTE_MAXVIFS || mroute_vif_config_check(c) != 0)
		return -EINVAL;
	v = &m->vifs[vif];
	changed = !v->present || v->threshold != c->threshold ||
	    v->nbounds != c->nboundaries || (c->nboundaries > 0 &&
	    memcmp(v->bounds, c->boundaries,
	    c->nboundaries * sizeof(*c->boundaries)) != 0);
	mroute_trace(m, "vif %u %s: ifindex %u, threshold %u, %u boundaries",
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
		mroute_update_all(m);
	return 0;
}

int
mroute_vif_del(struct mroute *m, mc_time_t now, unsigned vif)
{
	struct mroute_entry *e, *enext;
	struct mroute_group *g, *gnext;
	size_t i;

	if (!mroute_vif_ok(m, vif))
		return -ENOENT;
	mroute_trace(m, "vif %u deleted: %u groups with members dropped",
	    vif, m->vifs[vif].groups);
	for (i = 0; i < ((size_t)1 << m->gbits); i++)
		for (g = m->gbuckets[i]; g != NULL; g = g->hnext)
			mroute_member_drop(m, g, vif);
	memset(&m->vifs[vif], 0, sizeof(m->vifs[vif]));
	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = enext) {
			enext = e->hnext;
			if (e->iif == vif && e->origin == MROUTE_DYNAMIC) {
				g = e->grp;
				mroute_entry_delete(m, e,
				    "its iif was deleted");
				mroute_group_gc(m, g);
			} else
				mroute_entry_update(m, e, false);
		}
	/* Groups left with nothing (entries' groups are done above). */
	for (i = 0; i < ((size_t)1 << m->gbits); i++)
		for (g = m->gbuckets[i]; g != NULL; g = gnext) {
			gnext = g->hnext;
			mroute_group_gc(m, g);
		}
	return 0;
}

int
mroute_vif(const struct mroute *m, unsigned vif, struct mroute_vif_view *out)
{
	const struct mroute_vif *v;

	if (!mroute_vif_ok(m, vif))
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

int
mroute_membership(struct mroute *m, mc_time_t now, unsigned vif,
    struct in_addr group, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources)
{
	char gb[INET_ADDRSTRLEN], view[MR_TRACE_MAX / 2];
	struct mroute_member *mb = NULL;
	struct mroute_group *grp;
	struct mroute_entry *e;

	if (!mroute_vif_ok(m, vif)) {
		m->stats.memberships_ignored++;
		return -ENODEV;
	}
	if (!mroute_is_group(group) || (mode != IGMP_FILTER_INCLUDE &&
	    mode != IGMP_FILTER_EXCLUDE) || (nsources > 0 && sources == NULL))
		return -EINVAL;
	if (mroute_is_local(group)) {
		m->stats.memberships_ignored++;
		return 0;
	}
	if (mode == IGMP_FILTER_INCLUDE && nsources == 0) {
		grp = mroute_group_find(m, group);
		if (grp == NULL || !(grp->member_vifs & MR_BIT(vif)))
			return 0;
		mroute_member_drop(m, grp, vif);
		mroute_trace(m, "%s on vif %u: no members",
		    mroute_ntoa(group, gb), vif);
	} else {
		mb = malloc(sizeof(*mb) + nsources * sizeof(struct in_addr));
		if (mb == NULL) {
			m->stats.unexpected_events++;
			return -ENOMEM;
		}
		grp = mroute_group_get(m, group);
		if (grp == NULL) {
			free(mb);
			return -ENOMEM;
		}
		mb->mode = mode;
		if (nsources > 0)
			memcpy(mb->src, sources, nsources * sizeof(*sources));
		mb->n = (uint32_t)srcset_normalize(mb->src, nsources);
		if (grp->member_vifs & MR_BIT(vif))
			free(grp->members[vif]);
		else
			m->vifs[vif].groups++;
		grp->members[vif] = mb;
		grp->member_vifs |= MR_BIT(vif);
		mroute_view_str(mode, mb->src, mb->n, view, sizeof(view));
		if (mroute_bounded(m, vif, group)) {
			m->stats.boundary_drops++;
			mroute_trace(m, "%s on vif %u: %s refused at a "
			    "boundary", mroute_ntoa(group, gb), vif, view);
		} else
			mroute_trace(m, "%s on vif %u: %s",
			    mroute_ntoa(group, gb), vif, view);
	}
	LIST_FOREACH(e, &grp->entries, glink)
		mroute_entry_update(m, e, false);
	mroute_group_gc(m, grp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Static routes                                                      */

int
mroute_static_add(struct mroute *m, mc_time_t now, struct in_addr source,
    struct in_addr group, unsigned iif, uint32_t oifs)
{
	char sg[2 * INET_ADDRSTRLEN + 8], mb[MROUTE_MAXVIFS * 4];
	struct mroute_group *grp;
	struct mroute_entry *e;
	bool moved;

	if (iif >= MROUTE_MAXVIFS || !mroute_is_group(group) ||
	    mroute_is_local(group) || mroute_is_group(source))
		return -EINVAL;
	oifs &= ~MR_BIT(iif);
	mroute_trace(m, "static %s from vif %u to vifs %s",
	    mroute_sg_str(source, group, sg, sizeof(sg)), iif,
	    mroute_mask_str(oifs, mb, sizeof(mb)));
	if (source.s_addr == INADDR_ANY) {
		grp = mroute_group_get(m, group);
		if (grp == NULL)
			return -ENOMEM;
		grp->has_star = true;
		grp->star_iif = iif;
		grp->star_oifs = oifs;
		LIST_FOREACH(e, &grp->entries, glink) {
			if (e->origin == MROUTE_STATIC)
				continue;
			moved = e->iif != iif;
			e->origin = MROUTE_STAR_G;
			e->iif = iif;
			mroute_entry_update(m, e, moved);
		}
		return 0;
	}
	e = mroute_entry_find(m, source, group);
	if (e == NULL) {
		e = mroute_entry_new(m, now, source, group, MROUTE_STATIC,
		    iif);
		if (e == NULL)
			return -ENOMEM;
		e->static_oifs = oifs;
		mroute_entry_install(m, e, "install");
		return 0;
	}
	if (e->origin != MROUTE_STATIC) {
		mroute_heap_remove(m, e);
		m->stats.dynamic_entries--;
		if (m->cfg.max_entries == 0 ||
		    m->stats.dynamic_entries < m->cfg.max_entries)
			m->limit_traced = false;
	}
	moved = e->iif != iif;
	e->origin = MROUTE_STATIC;
	e->iif = iif;
	e->static_oifs = oifs;
	e->expire = MC_TIME_NEVER;
	mroute_entry_update(m, e, moved);
	return 0;
}

int
mroute_static_del(struct mroute *m, mc_time_t now, struct in_addr source,
    struct in_addr group)
{
	char sg[2 * INET_ADDRSTRLEN + 8];
	struct mroute_entry *e, *next;
	struct mroute_group *grp;

	if (source.s_addr == INADDR_ANY) {
		grp = mroute_group_find(m, group);
		if (grp == NULL || !grp->has_star)
			return -ENOENT;
		mroute_trace(m, "static %s deleted",
		    mroute_sg_str(source, group, sg, sizeof(sg)));
		grp->has_star = false;
		for (e = LIST_FIRST(&grp->entries); e != NULL; e = next) {
			next = LIST_NEXT(e, glink);
			if (e->origin == MROUTE_STAR_G)
				mroute_entry_delete(m, e,
				    "its (*,G) route was deleted");
		}
		mroute_group_gc(m, grp);
		return 0;
	}
	e = mroute_entry_find(m, source, group);
	if (e == NULL || e->origin != MROUTE_STATIC)
		return -ENOENT;
	grp = e->grp;
	mroute_entry_delete(m, e, "its static route was deleted");
	mroute_group_gc(m, grp);
	return 0;
}

int
mroute_foreach_static(const struct mroute *m,
    int (*fn)(void *arg, const struct mroute_static_view *v), void *arg)
{
	struct mroute_static_view v;
	const struct mroute_group *grp;
	const struct mroute_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < ((size_t)1 << m->gbits); i++)
		for (grp = m->gbuckets[i]; grp != NULL; grp = grp->hnext) {
			if (grp->has_star) {
				memset(&v, 0, sizeof(v));
				v.group = grp->addr;
				v.iif = grp->star_iif;
				v.oifs = grp->star_oifs;
				if ((rc = fn(arg, &v)) != 0)
					return rc;
			}
			LIST_FOREACH(e, &grp->entries, glink) {
				if (e->origin != MROUTE_STATIC)
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

/* ------------------------------------------------------------------ */
/* Upcalls, counters, expiry                                          */

int
mroute_upcall(struct mroute *m, mc_time_t now, enum mroute_upcall_kind kind,
    struct in_addr source, struct in_addr group, unsigned vif)
{
	char sg[2 * INET_ADDRSTRLEN + 8];
	enum mroute_origin origin = MROUTE_DYNAMIC;
	struct mroute_group *grp;
	struct mroute_entry *e;
	unsigned iif = vif;

	if (kind != MROUTE_UPCALL_NOCACHE && kind != MROUTE_UPCALL_WRONGVIF) {
		m->stats.upcalls_bad++;
		return -EINVAL;
	}
	m->stats.upcalls[kind]++;
	if (!mroute_vif_ok(m, vif) || !mroute_is_group(group) ||
	    source.s_addr == INADDR_ANY || mroute_is_group(source)) {
		m->stats.upcalls_bad++;
		return -EINVAL;
	}
	e = mroute_entry_find(m, source, group);
	if (e != NULL && kind == MROUTE_UPCALL_WRONGVIF && vif != e->iif) {
		m->stats.wrongvif_kept++;
		mroute_trace(m, "%s WRONGVIF on vif %u: iif %u kept",
		    mroute_sg_str(source, group, sg, sizeof(sg)), vif, e->iif);
		return 0;
	}
	if (e != NULL) {
		/*
		 * The kernel lacks what we hold (lost, flushed, or another
		 * iif): install it again; its counters start from 0.
		 */
		m->stats.upcalls_existing++;
		e->active_at = now;
		e->used = e->packets = e->wrong_if = 0;
		if (e->origin != MROUTE_STATIC) {
			e->expire = mroute_expiry(m, e);
			mroute_heap_fix(m, e);
		}
		mroute_entry_install(m, e, "install again");
		return 0;
	}
	grp = mroute_group_find(m, group);
	if (grp != NULL && grp->has_star) {
		origin = MROUTE_STAR_G;
		iif = grp->star_iif;
	}
	if (m->cfg.max_entries != 0 &&
	    m->stats.dynamic_entries >= m->cfg.max_entries) {
		m->stats.limit_entries++;
		if (!m->limit_traced)
			mroute_trace(m, "%s from vif %u not installed: %u "
			    "entries, the limit",
			    mroute_sg_str(source, group, sg, sizeof(sg)), vif,
			    m->cfg.max_entries);
		m->limit_traced = true;
		return -ENOSPC;
	}
	e = mroute_entry_new(m, now, source, group, origin, iif);
	if (e == NULL)
		return -ENOMEM;
	if (mroute_bounded(m, iif, group))
		m->stats.boundary_iif++;
	mroute_entry_install(m, e, "install");
	return 0;
}

static void
mroute_emit_ttl_starved(struct mroute *m, const struct mroute_entry *e,
    uint8_t ttl)
{
	struct mroute_out *o = mroute_emit_entry(m, e,
	    MROUTE_OUT_TTL_STARVED);

	if (o != NULL)
		o->o.ttl = ttl;
}

/* ip_mr_forward sends a packet out of oif v only if its TTL > ttls[v]. */
static bool
mroute_ttl_forwards_nowhere(const struct mroute_entry *e, uint8_t ttl)
{
	unsigned v;

	for (v = 0; v < MROUTE_MAXVIFS; v++)
		if ((e->oifs & MR_BIT(v)) && ttl > e->ttls[v])
			return false;
	return true;
}

bool
mroute_ttl_sample(struct mroute *m, unsigned vif, struct in_addr source,
    struct in_addr group, uint8_t ttl)
{
	struct mroute_entry *e = mroute_entry_find(m, source, group);

	if (e == NULL || e->ttl_starved || e->iif != vif || e->oifs == 0 ||
	    !mroute_ttl_forwards_nowhere(e, ttl))
		return false;
	e->ttl_starved = true;
	m->stats.ttl_starved++;
	mroute_emit_ttl_starved(m, e, ttl);
	return true;
}

int
mroute_counter(struct mroute *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t wrong_if)
{
	struct mroute_entry *e;
	uint64_t used;

	e = mroute_entry_find(m, source, group);
	if (e == NULL)
		return -ENOENT;
	used = packets >= wrong_if ? packets - wrong_if : 0;
	if (used != e->used) {
		e->used = used;
		e->active_at = now;
		if (e->origin != MROUTE_STATIC) {
			e->expire = mroute_expiry(m, e);
			mroute_heap_fix(m, e);
		}
	}
	e->packets = packets;
	e->wrong_if = wrong_if;
	e->counter_at = now;
	return 0;
}

void
mroute_timeout(struct mroute *m, mc_time_t now)
{
	struct mroute_group *grp;
	struct mroute_entry *e;

	while (m->heap_len > 0 && m->heap[0]->expire <= now) {
		e = m->heap[0];
		grp = e->grp;
		m->stats.expiries++;
		mroute_entry_delete(m, e, "idle");
		mroute_group_gc(m, grp);
	}
}

mc_time_t
mroute_next_deadline(const struct mroute *m)
{
	return m->heap_len > 0 ? m->heap[0]->expire : MC_TIME_NEVER;
}

void
mroute_resync(struct mroute *m)
{
	struct mroute_entry *e;
	size_t i;

	mroute_trace(m, "resync: %llu entries installed again",
	    (unsigned long long)m->stats.entries);
	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = e->hnext) {
			/* Fresh kernel entries count from 0. */
			e->used = e->packets = e->wrong_if = 0;
			mroute_emit_add(m, e, false);
			m->stats.installs++;
		}
}

/* ------------------------------------------------------------------ */
/* Views                                                              */

static void
mroute_entry_view(const struct mroute_entry *e, struct mroute_entry_view *v)
{
	memset(v, 0, sizeof(*v));
	v->source = e->source;
	v->group = e->group;
	v->origin = e->origin;
	v->iif = e->iif;
	v->oifs = e->oifs;
	memcpy(v->ttls, e->ttls, sizeof(v->ttls));
	v->installed_at = e->installed_at;
	v->active_at = e->active_at;
	v->counter_at = e->counter_at;
	v->packets = e->packets;
	v->wrong_if = e->wrong_if;
	v->expires = e->expire;
	v->ttl_starved = e->ttl_starved;
}

int
mroute_entry(const struct mroute *m, struct in_addr source,
    struct in_addr group, struct mroute_entry_view *v)
{
	const struct mroute_entry *e = mroute_entry_find(m, source, group);

	if (e == NULL)
		return -ENOENT;
	mroute_entry_view(e, v);
	return 0;
}

int
mroute_foreach_entry(const struct mroute *m,
    int (*fn)(void *arg, const struct mroute_entry_view *v), void *arg)
{
	struct mroute_entry_view v;
	const struct mroute_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < ((size_t)1 << m->ebits); i++)
		for (e = m->ebuckets[i]; e != NULL; e = e->hnext) {
			mroute_entry_view(e, &v);
			if ((rc = fn(arg, &v)) != 0)
				return rc;
		}
	return 0;
}

const struct mroute_stats *
mroute_stats(const struct mroute *m)
{
	return &m->stats;
}
