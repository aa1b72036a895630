/* The DVMRP prune and graft engine: entries, prunes sent, grafts, timers (what neighbours send: dvmrp_prune_rx.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dvmrp_prune_int.h"

void
dvmrp_prune_config_defaults(struct dvmrp_prune_config *c)
{
	memset(c, 0, sizeof(*c));
	c->lifetime_s = DVMRP_PRUNE_LIFETIME_DEFAULT;
	c->rexmit_prunes = true;
	c->max_entries = 65536;
	c->max_prunes_entry = 32;
}

int
dvmrp_prune_config_check(const struct dvmrp_prune_config *c)
{
	if (c->lifetime_s < DVMRP_PRUNE_LIFETIME_MIN ||
	    c->lifetime_s > 1u << 30 || c->max_entries == 0 ||
	    c->max_prunes_entry == 0)
		return -EINVAL;
	return 0;
}

struct dvmrp_prune *
dvmrp_prune_new(const struct dvmrp_prune_config *c, struct mc_rng *rng)
{
	struct dvmrp_prune *p;

	if (dvmrp_prune_config_check(c) != 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->c = *c;
	p->rng = rng;
	p->tr.fn = c->trace;
	p->tr.arg = c->trace_arg;
	if (hash_init(&p->entries, mc_rng_next(rng), 6, 0) != 0) {
		free(p);
		return NULL;
	}
	if (hash_init(&p->origins, mc_rng_next(rng), 4, 0) != 0) {
		hash_fini(&p->entries);
		free(p);
		return NULL;
	}
	outq_init(&p->q);
	heap_init(&p->timers);
	return p;
}

static void
entry_free(struct prune_entry *e)
{
	free(e->rx);
	free(e);
}

void
dvmrp_prune_free(struct dvmrp_prune *p)
{
	struct hash_node *n, *nx;
	size_t b;

	if (p == NULL)
		return;
	for (n = hash_first(&p->entries, &b); n != NULL; n = nx) {
		nx = hash_next(&p->entries, &b, n);
		hash_remove(&p->entries, n);
		entry_free(hash_entry(n, struct prune_entry, node));
	}
	hash_fini(&p->entries);
	for (n = hash_first(&p->origins, &b); n != NULL; n = nx) {
		nx = hash_next(&p->origins, &b, n);
		hash_remove(&p->origins, n);
		free(hash_entry(n, struct prune_origin, node));
	}
	hash_fini(&p->origins);
	heap_fini(&p->timers);
	outq_fini(&p->q);
	free(p);
}

struct prune_entry *
prune_entry_find(const struct dvmrp_prune *p, struct in_addr origin,
    struct in_addr group)
{
	struct hash_node *n;

	n = hash_find(&p->entries, hash_key_pair(origin, group));
	if (n != NULL)
		return hash_entry(n, struct prune_entry,
		    node); /* the key is exact */
	return NULL;
}

/*
 * The entry's place among the timers follows its deadlines: the earliest
 * of its retransmission, its prune sent (while PRUNED) and the prunes it
 * received; 0 (at once) when dead.  Called after every change of them.
 */
void
prune_entry_resched(struct dvmrp_prune *p, struct prune_entry *e)
{
	mc_time_t t = e->rexmit_at;

	if (e->dead)
		t = 0;
	if (e->state == DVMRP_PRUNE_PRUNED)
		t = mc_time_min(t, e->sent_expires);
	for (uint32_t i = 0; i < e->nrx; i++)
		t = mc_time_min(t, e->rx[i].expires);
	heap_update(&p->timers, &e->hp, t);
}

static struct prune_origin *
origin_find(const struct dvmrp_prune *p, struct in_addr origin)
{
	struct hash_node *n = hash_find(&p->origins, hash_key_addr(origin));

	return n != NULL ? hash_entry(n, struct prune_origin, node) : NULL;
}

/* Each entry of origin in turn (none is added or removed by the body). */
#define FOREACH_ORIGIN_ENTRY(o, e)                                          \
	for (e = (o) != NULL ? LIST_FIRST(&(o)->entries) : NULL; e != NULL; \
	     e = LIST_NEXT(e, olink))

int
dvmrp_prune_set_lifetime(struct dvmrp_prune *p, uint32_t lifetime_s)
{
	struct dvmrp_prune_config c = p->c;

	c.lifetime_s = lifetime_s;
	if (dvmrp_prune_config_check(&c) != 0)
		return -EINVAL;
	p->c.lifetime_s = lifetime_s;
	return 0;
}

uint32_t
dvmrp_prune_pruned_vifs(const struct dvmrp_prune *p, struct in_addr origin,
    struct in_addr group)
{
	const struct prune_entry *e = prune_entry_find(p, origin, group);

	return e != NULL ? e->pruned : 0;
}

bool
dvmrp_prune_entry_exists(const struct dvmrp_prune *p, struct in_addr origin,
    struct in_addr group)
{
	return prune_entry_find(p, origin, group) != NULL;
}

void
prune_emit(struct dvmrp_prune *p, enum dvmrp_prune_output_kind kind,
    const struct prune_entry *e, unsigned vif, struct in_addr nbr,
    uint32_t lifetime_s)
{
	struct dvmrp_prune_output *o = outq_push(&p->q, sizeof(*o));
	char sg[TRACE_SG_MAX], a[16];

	trace(&p->tr, "%s vif %u %s %s",
	    trace_sg(e->origin, e->group, sg, sizeof(sg)), vif,
	    dvmrp_prune_output_name(kind), trace_addr(nbr, a));
	if (o == NULL)
		return;
	o->kind = kind;
	o->vif = vif;
	o->nbr = nbr;
	o->source = e->origin;
	o->mask = kind == DVMRP_PRUNE_OUT_SEND_GRAFT_ACK ?
	    (struct in_addr){ 0 } :
	    e->mask;
	o->group = e->group;
	o->lifetime_s = lifetime_s;
}

bool
dvmrp_prune_output(struct dvmrp_prune *p, struct dvmrp_prune_output *out)
{
	struct dvmrp_prune_output *o = outq_take(&p->q);

	if (o == NULL)
		return false;
	*out = *o;
	return true;
}

static void
set_state(struct dvmrp_prune *p, struct prune_entry *e,
    enum dvmrp_prune_up_state s)
{
	char sg[TRACE_SG_MAX];

	if (e->state == s)
		return;
	trace(&p->tr, "%s: %s -> %s",
	    trace_sg(e->origin, e->group, sg, sizeof(sg)),
	    dvmrp_prune_state_name(e->state), dvmrp_prune_state_name(s));
	e->state = s;
	prune_entry_resched(p, e);
}

/* Recompute which VIFs are pruned; emit the changes. */
void
prune_update_vifs(struct dvmrp_prune *p, struct prune_entry *e)
{
	uint32_t want = e->child & ~e->member, pruned = 0, changed;
	uint32_t count[DVMRP_PRUNE_MAX_VIFS] = { 0 };

	if (e->up_vif < DVMRP_PRUNE_MAX_VIFS)
		want &= ~(1u << e->up_vif);
	for (uint32_t i = 0; i < e->nrx; i++)
		count[e->rx[i].vif]++;
	for (uint32_t m = want; m != 0; m &= m - 1) {
		unsigned v = (unsigned)__builtin_ctz(m);

		if (e->ndep[v] != 0 && count[v] >= e->ndep[v])
			pruned |= 1u << v;
	}
	changed = pruned ^ e->pruned;
	e->pruned = pruned;
	for (; changed != 0; changed &= changed - 1) {
		unsigned v = (unsigned)__builtin_ctz(changed);

		prune_emit(p,
		    pruned >> v & 1 ? DVMRP_PRUNE_OUT_VIF_PRUNED :
				      DVMRP_PRUNE_OUT_VIF_UNPRUNED,
		    e, v, (struct in_addr){ 0 }, 0);
	}
}

static uint32_t
sent_lifetime(struct dvmrp_prune *p, const struct prune_entry *e, mc_time_t now)
{
	uint32_t l = p->c.lifetime_s;
	uint64_t t = l / 2 + mc_rng_below(p->rng, l);

	if (t < DVMRP_PRUNE_SENT_MIN)
		t = DVMRP_PRUNE_SENT_MIN;
	for (uint32_t i = 0; i < e->nrx; i++) {
		uint64_t left = (uint64_t)(e->rx[i].expires - now) / 1000;

		if (left < t)
			t = left;
	}
	return (uint32_t)t;
}

static uint32_t
jitter_ms(struct dvmrp_prune *p, uint32_t ms)
{
	return ms / 2 + (uint32_t)mc_rng_below(p->rng, ms);
}

static void
send_prune(struct dvmrp_prune *p, struct prune_entry *e, mc_time_t now)
{
	uint32_t l = sent_lifetime(p, e, now);

	e->sent_lifetime_s = l;
	e->sent_expires = now + (mc_time_t)l * 1000;
	e->rexmits = 0;
	e->rexmit_ms = DVMRP_PRUNE_REXMIT_MS;
	e->rexmit_at = MC_TIME_NEVER;
	if (p->c.rexmit_prunes && e->rexmit_ms < (uint64_t)l * 1000)
		e->rexmit_at = now + jitter_ms(p, e->rexmit_ms);
	set_state(p, e, DVMRP_PRUNE_PRUNED);
	prune_entry_resched(p, e);
	p->st.prunes_tx++;
	prune_emit(p, DVMRP_PRUNE_OUT_SEND_PRUNE, e, e->up_vif, e->up_nbr, l);
}

void
prune_send_graft(struct dvmrp_prune *p, struct prune_entry *e, mc_time_t now)
{
	e->rexmits = 0;
	e->rexmit_ms = DVMRP_GRAFT_REXMIT_MS;
	e->rexmit_at = now + e->rexmit_ms;
	e->sent_expires = MC_TIME_NEVER;
	set_state(p, e, DVMRP_PRUNE_GRAFTING);
	prune_entry_resched(p, e);
	p->st.grafts_tx++;
	prune_emit(p, DVMRP_PRUNE_OUT_SEND_GRAFT, e, e->up_vif, e->up_nbr, 0);
}

bool
prune_has_upstream(const struct prune_entry *e)
{
	return e->up_nbr.s_addr != 0 && e->up_vif < DVMRP_PRUNE_MAX_VIFS;
}

/* Our outgoing list is empty (or not): prune, or graft back. */
void
prune_reconsider(struct dvmrp_prune *p, struct prune_entry *e, mc_time_t now)
{
	if (!prune_has_upstream(e)) {
		set_state(p, e, DVMRP_PRUNE_FORWARDING);
		return;
	}
	if (e->empty && e->state != DVMRP_PRUNE_PRUNED)
		send_prune(p, e, now);
	else if (!e->empty && e->state == DVMRP_PRUNE_PRUNED)
		prune_send_graft(p, e, now);
}

/* Forget what we sent upstream (the upstream changed or restarted). */
void
prune_drop_sent(struct dvmrp_prune *p, struct prune_entry *e)
{
	e->rexmit_at = MC_TIME_NEVER;
	e->sent_expires = MC_TIME_NEVER;
	e->rexmits = 0;
	set_state(p, e, DVMRP_PRUNE_FORWARDING);
	prune_entry_resched(p, e);
}

int
dvmrp_prune_entry_add(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr mask, struct in_addr group,
    unsigned up_vif, struct in_addr up_nbr)
{
	struct prune_entry *e = prune_entry_find(p, origin, group);
	struct prune_origin *org;

	if (e != NULL) {
		e->mask = mask;
		e->orphan = false;
		e->dead = false;
		prune_entry_resched(p, e);
		if (e->up_vif != up_vif || e->up_nbr.s_addr != up_nbr.s_addr)
			dvmrp_prune_upstream(p, now, origin, true, up_vif,
			    up_nbr);
		return 0;
	}
	if (hash_count(&p->entries) >= p->c.max_entries) {
		p->st.entry_cap++;
		return -ENOSPC;
	}
	if (heap_reserve(&p->timers, 1) != 0)
		return -ENOMEM;
	org = origin_find(p, origin);
	if (org == NULL) {
		org = calloc(1, sizeof(*org));
		if (org == NULL)
			return -ENOMEM;
		org->origin = origin;
		LIST_INIT(&org->entries);
		hash_insert(&p->origins, &org->node, hash_key_addr(origin));
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		if (LIST_EMPTY(&org->entries)) {
			hash_remove(&p->origins, &org->node);
			free(org);
		}
		return -ENOMEM;
	}
	e->org = org;
	LIST_INSERT_HEAD(&org->entries, e, olink);
	e->origin = origin;
	e->mask = mask;
	e->group = group;
	e->up_vif = up_vif;
	e->up_nbr = up_nbr;
	e->rexmit_at = MC_TIME_NEVER;
	e->sent_expires = MC_TIME_NEVER;
	heap_node_init(&e->hp);
	heap_push(&p->timers, &e->hp); /* room reserved */
	hash_insert(&p->entries, &e->node, hash_key_pair(origin, group));
	p->st.entries++;
	return 0;
}

static void
entry_remove(struct dvmrp_prune *p, struct prune_entry *e)
{
	p->st.prunes -= e->nrx;
	p->st.entries--;
	heap_remove(&p->timers, &e->hp);
	hash_remove(&p->entries, &e->node);
	LIST_REMOVE(e, olink);
	if (LIST_EMPTY(&e->org->entries)) {
		hash_remove(&p->origins, &e->org->node);
		free(e->org);
	}
	entry_free(e);
}

void
dvmrp_prune_entry_del(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group)
{
	struct prune_entry *e = prune_entry_find(p, origin, group);

	(void)now;
	if (e != NULL)
		entry_remove(p, e);
}

/* An orphan wants datagrams: a local member, or a dependent's VIF not
   pruned, other than the upstream VIF. */
static bool
orphan_wants(const struct prune_entry *e)
{
	uint32_t deps = 0, up = 0;

	for (unsigned v = 0; v < DVMRP_PRUNE_MAX_VIFS; v++)
		if (e->ndep[v] != 0)
			deps |= 1u << v;
	if (e->up_vif < DVMRP_PRUNE_MAX_VIFS)
		up = 1u << e->up_vif;
	return ((e->member | (e->child & deps & ~e->pruned)) & ~up) != 0;
}

/*
 * An orphan's emptiness from its own inputs: graft when it wants
 * datagrams again; holding nothing any more, it is marked for removal.
 */
void
prune_orphan_refresh(struct dvmrp_prune *p, struct prune_entry *e,
    mc_time_t now)
{
	if (!e->orphan || e->dead)
		return;
	e->empty = !orphan_wants(e);
	if (e->state == DVMRP_PRUNE_PRUNED && !e->empty)
		prune_reconsider(p, e, now);
	if (e->state == DVMRP_PRUNE_FORWARDING && e->nrx == 0) {
		e->dead = true;
		prune_entry_resched(p, e);
	}
}

void
dvmrp_prune_entry_orphan(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group)
{
	struct prune_entry *e = prune_entry_find(p, origin, group);

	if (e == NULL)
		return;
	if (e->state == DVMRP_PRUNE_FORWARDING && e->nrx == 0) {
		entry_remove(p, e);
		return;
	}
	e->orphan = true;
	prune_orphan_refresh(p, e, now);
}

static void
rx_remove(struct dvmrp_prune *p, struct prune_entry *e, uint32_t i)
{
	e->rx[i] = e->rx[--e->nrx];
	p->st.prunes--;
	prune_entry_resched(p, e);
}

/* Remove the prunes matching vif (and nbr unless 0.0.0.0). */
bool
prune_rx_drop(struct dvmrp_prune *p, struct prune_entry *e, unsigned vif,
    struct in_addr nbr)
{
	bool any = false;

	for (uint32_t i = 0; i < e->nrx;) {
		if (e->rx[i].vif == vif &&
		    (nbr.s_addr == 0 || e->rx[i].nbr.s_addr == nbr.s_addr)) {
			rx_remove(p, e, i);
			any = true;
		} else {
			i++;
		}
	}
	return any;
}

/*
 * On vif of every entry of origin, the RIB's child and dependents
 * (ndependents >= 0), or of every entry of group, IGMP's member
 * (ndependents < 0, on).
 */
static void
entry_set_vif(struct dvmrp_prune *p, mc_time_t now, struct prune_entry *e,
    unsigned vif, bool on, int ndependents)
{
	bool by_origin = ndependents >= 0;
	uint32_t *set = by_origin ? &e->child : &e->member;

	*set = on ? *set | 1u << vif : *set & ~(1u << vif);
	if (by_origin) {
		e->ndep[vif] = ndependents > 255 ? 255 : (uint8_t)ndependents;
		if (!on)
			prune_rx_drop(p, e, vif, (struct in_addr){ 0 });
	}
	prune_update_vifs(p, e);
	prune_orphan_refresh(p, e, now);
}

static void
entries_set_vif(struct dvmrp_prune *p, mc_time_t now, struct in_addr key,
    unsigned vif, bool on, int ndependents)
{
	bool by_origin = ndependents >= 0;
	struct hash_node *n;
	struct prune_entry *e;
	size_t b;

	if (vif >= DVMRP_PRUNE_MAX_VIFS)
		return;
	if (by_origin) {
		FOREACH_ORIGIN_ENTRY(origin_find(p, key), e)
		entry_set_vif(p, now, e, vif, on, ndependents);
		return;
	}
	FOREACH_ENTRY(p, e, b, n)
	{
		if (e->group.s_addr != key.s_addr)
			continue;
		entry_set_vif(p, now, e, vif, on, ndependents);
	}
}

void
dvmrp_prune_entry_dependents(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group, unsigned vif, bool child,
    unsigned ndependents)
{
	struct prune_entry *e = prune_entry_find(p, origin, group);

	if (e != NULL && vif < DVMRP_PRUNE_MAX_VIFS)
		entry_set_vif(p, now, e, vif, child,
		    ndependents > 255 ? 255 : (int)ndependents);
}

void
dvmrp_prune_dependents(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, unsigned vif, bool child, unsigned ndependents)
{
	entries_set_vif(p, now, origin, vif, child,
	    ndependents > 255 ? 255 : (int)ndependents);
}

void
dvmrp_prune_upstream(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, bool reachable, unsigned up_vif,
    struct in_addr up_nbr)
{
	struct prune_entry *e;

	FOREACH_ORIGIN_ENTRY(origin_find(p, origin), e)
	{
		prune_drop_sent(p, e);
		e->up_vif = reachable ? up_vif : DVMRP_PRUNE_MAX_VIFS;
		e->up_nbr = reachable ? up_nbr : (struct in_addr){ 0 };
		if (reachable && up_vif < DVMRP_PRUNE_MAX_VIFS)
			prune_rx_drop(p, e, up_vif, (struct in_addr){ 0 });
		prune_update_vifs(p, e);
		prune_reconsider(p, e, now);
	}
}

void
dvmrp_prune_member(struct dvmrp_prune *p, mc_time_t now, struct in_addr group,
    unsigned vif, bool member)
{
	entries_set_vif(p, now, group, vif, member, -1);
}

void
dvmrp_prune_oifs_empty(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group, bool empty)
{
	struct prune_entry *e = prune_entry_find(p, origin, group);

	if (e == NULL)
		return;
	e->empty = empty;
	prune_reconsider(p, e, now);
}

/* Our prune or graft is due again. */
static void
rexmit(struct dvmrp_prune *p, struct prune_entry *e, mc_time_t now)
{
	e->rexmits++;
	e->rexmit_ms *= 2;
	if (e->state == DVMRP_PRUNE_GRAFTING) {
		e->rexmit_at = now + e->rexmit_ms;
		p->st.graft_rexmits++;
		prune_emit(p, DVMRP_PRUNE_OUT_SEND_GRAFT, e, e->up_vif,
		    e->up_nbr, 0);
	} else {
		uint32_t left = (uint32_t)((e->sent_expires - now) / 1000);

		e->rexmit_at = e->rexmit_ms < (uint64_t)left * 1000 ?
		    now + jitter_ms(p, e->rexmit_ms) :
		    MC_TIME_NEVER;
		p->st.prune_rexmits++;
		prune_emit(p, DVMRP_PRUNE_OUT_SEND_PRUNE, e, e->up_vif,
		    e->up_nbr, left);
	}
	prune_entry_resched(p, e);
}

/*
 * Received prunes first: a VIF they give back makes the list non-empty
 * (the composer will say so), and our own prune, bounded by theirs, ends
 * at the same time: then it is not renewed, and nothing is grafted.
 */
static void
entry_timeout(struct dvmrp_prune *p, struct prune_entry *e, mc_time_t now)
{
	uint32_t before = e->pruned;
	bool expired = false;

	for (uint32_t i = 0; i < e->nrx;) {
		if (e->rx[i].expires <= now) {
			rx_remove(p, e, i);
			p->st.prunes_expired++;
			expired = true;
		} else {
			i++;
		}
	}
	if (expired)
		prune_update_vifs(p, e);
	if (e->state == DVMRP_PRUNE_PRUNED && e->sent_expires <= now) {
		prune_drop_sent(p, e);
		/* An orphan's next prune waits for the next datagram, as
		   the prune upstream ends now. */
		if (e->orphan)
			;
		else if ((before & ~e->pruned) == 0)
			prune_reconsider(p, e, now);
		else
			e->empty = false;
	} else if (e->rexmit_at <= now) {
		rexmit(p, e, now);
	}
	prune_orphan_refresh(p, e, now);
}

/*
 * The entries due, earliest first, each once (an entry's timeout moves
 * its deadlines past now); the dead ones removed.
 */
void
dvmrp_prune_timeout(struct dvmrp_prune *p, mc_time_t now)
{
	struct prune_entry *e;
	size_t k;

	for (k = heap_len(&p->timers); k > 0 && heap_next(&p->timers) <= now;
	     k--) {
		e = heap_entry(heap_top(&p->timers), struct prune_entry, hp);
		if (e->dead) {
			entry_remove(p, e);
			continue;
		}
		entry_timeout(p, e, now);
		prune_entry_resched(p, e);
	}
}

mc_time_t
dvmrp_prune_next_deadline(const struct dvmrp_prune *p)
{
	return heap_next(&p->timers);
}
