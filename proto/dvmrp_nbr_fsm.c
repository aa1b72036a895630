/* The DVMRP neighbour table: probes heard, the state table, expiry. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_nbr_int.h"

/* ------------------------------------------------------------------ */
/* The state table (draft 3.2.1 and 3.2.2; mrouted vif.c)             */

static const struct dvmrp_nbr_transition
    dvmrp_nbr_table[DVMRP_NBR_STATE_COUNT][NBR_EV_COUNT] = {
	    /* DOWN is a neighbour heard for the first time. */
	    [DVMRP_NBR_DOWN] = {
		[NBR_EV_LISTS_US] = { NBR_ACT_UP, DVMRP_NBR_TWO_WAY },
		[NBR_EV_OMITS_US] = { NBR_ACT_ADD, DVMRP_NBR_ONE_WAY },
		[NBR_EV_OMITS_GRACE] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_DOWN },
		[NBR_EV_REFUSED] = { NBR_ACT_REFUSE, DVMRP_NBR_REFUSED },
		[NBR_EV_RESTART] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_DOWN },
		[NBR_EV_EXPIRED] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_DOWN },
		[NBR_EV_VIF_DOWN] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_DOWN },
	    },
	    [DVMRP_NBR_ONE_WAY] = {
		[NBR_EV_LISTS_US] = { NBR_ACT_UP, DVMRP_NBR_TWO_WAY },
		[NBR_EV_OMITS_US] = { NBR_ACT_REFRESH, DVMRP_NBR_ONE_WAY },
		[NBR_EV_OMITS_GRACE] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_ONE_WAY },
		[NBR_EV_REFUSED] = { NBR_ACT_REFUSE, DVMRP_NBR_REFUSED },
		[NBR_EV_RESTART] = { NBR_ACT_RENEW, DVMRP_NBR_ONE_WAY },
		[NBR_EV_EXPIRED] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
		[NBR_EV_VIF_DOWN] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
	    },
	    [DVMRP_NBR_TWO_WAY] = {
		[NBR_EV_LISTS_US] = { NBR_ACT_REFRESH, DVMRP_NBR_TWO_WAY },
		[NBR_EV_OMITS_US] = { NBR_ACT_ONE_WAY, DVMRP_NBR_ONE_WAY },
		[NBR_EV_OMITS_GRACE] = { NBR_ACT_FORGIVE, DVMRP_NBR_TWO_WAY },
		[NBR_EV_REFUSED] = { NBR_ACT_REFUSE, DVMRP_NBR_REFUSED },
		[NBR_EV_RESTART] = { NBR_ACT_RESTART, DVMRP_NBR_TWO_WAY },
		[NBR_EV_EXPIRED] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
		[NBR_EV_VIF_DOWN] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
	    },
	    [DVMRP_NBR_REFUSED] = {
		[NBR_EV_LISTS_US] = { NBR_ACT_UP, DVMRP_NBR_TWO_WAY },
		[NBR_EV_OMITS_US] = { NBR_ACT_ACCEPT, DVMRP_NBR_ONE_WAY },
		[NBR_EV_OMITS_GRACE] = { NBR_ACT_UNEXPECTED, DVMRP_NBR_REFUSED },
		[NBR_EV_REFUSED] = { NBR_ACT_REFRESH, DVMRP_NBR_REFUSED },
		[NBR_EV_RESTART] = { NBR_ACT_RENEW, DVMRP_NBR_REFUSED },
		[NBR_EV_EXPIRED] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
		[NBR_EV_VIF_DOWN] = { NBR_ACT_REMOVE, DVMRP_NBR_DOWN },
	    },
};

const struct dvmrp_nbr_transition *
dvmrp_nbr_fsm(enum dvmrp_nbr_state s, enum dvmrp_nbr_fsm_event e)
{
	static const struct dvmrp_nbr_transition none = { NBR_ACT_UNEXPECTED,
		DVMRP_NBR_DOWN };

	if ((unsigned)s >= DVMRP_NBR_STATE_COUNT || (unsigned)e >= NBR_EV_COUNT)
		return &none;
	return &dvmrp_nbr_table[s][e];
}

const char *
dvmrp_nbr_fsm_event_name(enum dvmrp_nbr_fsm_event e)
{
	switch (e) {
	case NBR_EV_LISTS_US:
		return "probe listing us";
	case NBR_EV_OMITS_US:
		return "probe without us";
	case NBR_EV_OMITS_GRACE:
		return "probe without us in the restart grace";
	case NBR_EV_REFUSED:
		return "probe refused";
	case NBR_EV_RESTART:
		return "GenID change";
	case NBR_EV_EXPIRED:
		return "neighbor timeout";
	case NBR_EV_VIF_DOWN:
		return "vif down";
	default:
		return "?";
	}
}

/* ------------------------------------------------------------------ */
/* Neighbours: the table's bookkeeping                                */

/* The counts of two-way neighbours (per VIF, VIFs with any, in all). */
static void
dvmrp_nbr_set_state(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    enum dvmrp_nbr_state next)
{
	struct dvmrp_nbr_vif *v = p->vif;

	if (p->state == DVMRP_NBR_TWO_WAY && next != DVMRP_NBR_TWO_WAY) {
		n->stats.two_way--;
		if (--v->two_way == 0)
			n->vifs_two_way--;
	} else if (p->state != DVMRP_NBR_TWO_WAY && next == DVMRP_NBR_TWO_WAY) {
		n->stats.two_way++;
		if (v->two_way++ == 0)
			n->vifs_two_way++;
	}
	p->state = next;
}

static struct dvmrp_nbr_peer *
dvmrp_nbr_peer_new(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    struct in_addr addr, mc_time_t now)
{
	struct dvmrp_nbr_peer *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	heap_node_init(&p->hp);
	p->hp.at = now + n->cfg.neighbor_timeout_ms;
	if (heap_add(&n->expiry, &p->hp) != 0) {
		free(p);
		return NULL;
	}
	p->vif = v;
	p->addr = addr;
	p->state = DVMRP_NBR_DOWN;
	p->since = now;
	hash_insert(&n->peers, &p->hnode, dvmrp_nbr_key(v->index, addr));
	TAILQ_INSERT_TAIL(&v->peers, p, link);
	v->count++;
	n->stats.neighbors++;
	return p;
}

static void
dvmrp_nbr_peer_free(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p)
{
	dvmrp_nbr_set_state(n, p, DVMRP_NBR_DOWN);
	heap_remove(&n->expiry, &p->hp);
	hash_remove(&n->peers, &p->hnode);
	TAILQ_REMOVE(&p->vif->peers, p, link);
	p->vif->count--;
	n->stats.neighbors--;
	free(p);
}

void
dvmrp_nbr_fsm_free_all(struct dvmrp_nbr *n)
{
	struct dvmrp_nbr_peer *p;
	unsigned i;

	for (i = 0; i < DVMRP_NBR_MAX_VIFS; i++)
		while ((p = TAILQ_FIRST(&n->vifs[i].peers)) != NULL)
			dvmrp_nbr_peer_free(n, p);
}

/* A DOWN event: why, from which state to which. */
static void
dvmrp_nbr_down(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    enum dvmrp_nbr_down_reason why, enum dvmrp_nbr_state previous,
    enum dvmrp_nbr_state next)
{
	struct dvmrp_nbr_out *ev;

	n->stats.down[why]++;
	ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_DOWN, p->vif, p->addr);
	if (ev == NULL)
		return;
	ev->reason = why;
	ev->previous = previous;
	ev->state = next;
	ev->refusal = p->refusal;
}

/* ------------------------------------------------------------------ */
/* Transitions                                                        */

/* A new GenID or version: it starts afresh and forgot what we told it. */
static void
dvmrp_nbr_restarted(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    mc_time_t now)
{
	n->stats.restarts++;
	p->restarts++;
	p->since = now;
	p->announced = false;
}

/* The actions of the table on p, in state s before; next is its next
   state, set by the caller after. */
static void
dvmrp_nbr_act(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    const struct dvmrp_nbr_transition *t, enum dvmrp_nbr_fsm_event e,
    mc_time_t now, enum dvmrp_nbr_refusal refusal)
{
	struct dvmrp_nbr_vif *v = p->vif;
	enum dvmrp_nbr_state before = p->state;
	struct dvmrp_nbr_out *ev;

	switch (t->action) {
	case NBR_ACT_UNEXPECTED:
	case NBR_ACT_REFRESH:
		break;
	case NBR_ACT_FORGIVE:
		n->stats.restart_grace++;
		break;
	case NBR_ACT_ADD:
	case NBR_ACT_ACCEPT:
		p->refusal = DVMRP_NBR_REFUSAL_NONE;
		dvmrp_nbr_want_probe(n, v, true);
		break;
	case NBR_ACT_UP:
		p->refusal = DVMRP_NBR_REFUSAL_NONE;
		p->up_since = now;
		p->grace_until = 0;
		n->stats.adjacencies++;
		dvmrp_nbr_set_state(n, p, t->next);
		ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_UP, v, p->addr);
		if (ev != NULL) {
			ev->previous = before;
			ev->state = t->next;
		}
		dvmrp_nbr_report_to(n, p);
		break;
	case NBR_ACT_ONE_WAY:
		p->up_since = 0;
		p->grace_until = 0;
		p->report_due = false;
		dvmrp_nbr_down(n, p, DVMRP_NBR_DOWN_ONE_WAY, before, t->next);
		/* It lost us: tell it we are here. */
		dvmrp_nbr_want_probe(n, v, true);
		break;
	case NBR_ACT_REFUSE:
		p->refusal = refusal;
		p->up_since = 0;
		p->grace_until = 0;
		p->report_due = false;
		p->announced = false;
		if (refusal == DVMRP_NBR_REFUSAL_OLD_VERSION)
			n->stats.refused_old_version++;
		else
			n->stats.refused_non_pruner++;
		dvmrp_nbr_down(n, p, DVMRP_NBR_DOWN_REFUSED, before, t->next);
		break;
	case NBR_ACT_RENEW:
		dvmrp_nbr_restarted(n, p, now);
		if (before == DVMRP_NBR_ONE_WAY)
			dvmrp_nbr_want_probe(n, v, true);
		break;
	case NBR_ACT_RESTART:
		dvmrp_nbr_restarted(n, p, now);
		p->grace_until = now + dvmrp_nbr_restart_grace_ms(&n->cfg);
		ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_RESTART, v, p->addr);
		if (ev != NULL) {
			ev->previous = ev->state = before;
			ev->old_genid = p->genid;
			ev->genid = n->in->genid;
		}
		dvmrp_nbr_report_to(n, p);
		break;
	case NBR_ACT_REMOVE:
		dvmrp_nbr_down(n, p,
		    e == NBR_EV_EXPIRED ? DVMRP_NBR_DOWN_EXPIRED :
					  DVMRP_NBR_DOWN_VIF_DOWN,
		    before, t->next);
		break;
	}
}

/*
 * Event e happens to p: the table's cell, traced when the state changes
 * or the neighbour restarted.  p is freed when its next state is DOWN (or
 * when the event was unexpected and p was new).
 */
static void
dvmrp_nbr_fire(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    enum dvmrp_nbr_fsm_event e, mc_time_t now, enum dvmrp_nbr_refusal refusal)
{
	const struct dvmrp_nbr_transition *t = dvmrp_nbr_fsm(p->state, e);
	enum dvmrp_nbr_state before = p->state;
	char ab[INET_ADDRSTRLEN];

	if (t->action == NBR_ACT_UNEXPECTED) {
		n->stats.unexpected_events++;
		if (before == DVMRP_NBR_DOWN)
			dvmrp_nbr_peer_free(n, p);
		return;
	}
	dvmrp_nbr_act(n, p, t, e, now, refusal);
	if (before != t->next || t->action == NBR_ACT_RESTART ||
	    t->action == NBR_ACT_RENEW)
		trace(&n->trace, "vif %u %s: %s -> %s on %s%s%s", p->vif->index,
		    trace_addr(p->addr, ab), dvmrp_nbr_state_name(before),
		    dvmrp_nbr_state_name(t->next), dvmrp_nbr_fsm_event_name(e),
		    t->next == DVMRP_NBR_REFUSED ? ": " : "",
		    t->next == DVMRP_NBR_REFUSED ?
			dvmrp_nbr_refusal_name(p->refusal) :
			"");
	if (t->next == DVMRP_NBR_DOWN)
		dvmrp_nbr_peer_free(n, p);
	else
		dvmrp_nbr_set_state(n, p, t->next);
}

/* ------------------------------------------------------------------ */
/* A probe heard                                                      */

/*
 * Whom we do not peer with (mrouted vif.c update_neighbor): before 3.0,
 * and non-pruners but mrouted 3.0 to 3.4, unless accept_non_pruners.
 */
static enum dvmrp_nbr_refusal
dvmrp_nbr_judge(const struct dvmrp_nbr *n, const struct dvmrp_probe_in *p)
{
	if (p->major < 3)
		return DVMRP_NBR_REFUSAL_OLD_VERSION;
	if (!(p->caps & DVMRP_CAP_PRUNE) && !(p->major == 3 && p->minor < 5) &&
	    !n->cfg.accept_non_pruners)
		return DVMRP_NBR_REFUSAL_NON_PRUNER;
	return DVMRP_NBR_REFUSAL_NONE;
}

/* A source a neighbour may have on v, or why not. */
static int
dvmrp_nbr_check_source(const struct dvmrp_nbr_vif *v, struct in_addr from)
{
	uint32_t a = ntohl(from.s_addr), me = ntohl(v->addr.s_addr), mask;

	if (a == me)
		return DVMRP_NBR_IGN_SELF;
	if (a == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe)
		return DVMRP_NBR_IGN_BAD_SOURCE;
	if (v->prefix_len == 0)
		return -1;
	mask = v->prefix_len >= 32 ? 0xffffffffu :
				     0xffffffffu << (32 - v->prefix_len);
	if ((a & mask) != (me & mask))
		return DVMRP_NBR_IGN_OFF_SUBNET;
	/* mrouted's "the unknown host" {subnet, 0}, and the broadcast. */
	if (v->prefix_len <= 30 && ((a & ~mask) == 0 || (a | mask) == ~0u))
		return DVMRP_NBR_IGN_BAD_SOURCE;
	return -1;
}

static bool
dvmrp_nbr_lists(const struct dvmrp_probe_in *p, struct in_addr me)
{
	size_t i;

	for (i = 0; i < p->nneighbors; i++)
		if (p->neighbors[i].s_addr == me.s_addr)
			return true;
	return false;
}

void
dvmrp_nbr_fsm_probe(struct dvmrp_nbr *n, mc_time_t now, struct dvmrp_nbr_vif *v,
    const struct dvmrp_probe_in *in)
{
	enum dvmrp_nbr_refusal refusal = dvmrp_nbr_judge(n, in);
	bool listed = dvmrp_nbr_lists(in, v->addr);
	enum dvmrp_nbr_fsm_event e;
	struct dvmrp_nbr_peer *p;
	struct dvmrp_nbr_out *ev;
	int why;

	why = dvmrp_nbr_check_source(v, in->from);
	if (why >= 0) {
		n->stats.rx_ignored[why]++;
		ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_IGNORED, v, in->from);
		if (ev != NULL)
			ev->ignored = (enum dvmrp_nbr_ignored)why;
		return;
	}
	p = dvmrp_nbr_peer_find(n, v->index, in->from);
	if (p == NULL) {
		if (v->count >= n->cfg.max_neighbors_per_vif) {
			n->stats.limit_neighbors++;
			dvmrp_nbr_event(n, DVMRP_NBR_EV_LIMIT, v, in->from);
			return;
		}
		p = dvmrp_nbr_peer_new(n, v, in->from, now);
		if (p == NULL) {
			n->stats.unexpected_events++;
			return;
		}
	} else if (p->genid != in->genid || p->major != in->major ||
	    p->minor != in->minor) {
		dvmrp_nbr_fire(n, p, NBR_EV_RESTART, now, refusal);
	}
	p->genid = in->genid;
	p->caps = in->caps;
	p->major = in->major;
	p->minor = in->minor;
	p->probes++;
	p->last_probe = now;
	heap_update(&n->expiry, &p->hp, now + n->cfg.neighbor_timeout_ms);
	if (listed) {
		p->last_listed_us = now;
		if (refusal == DVMRP_NBR_REFUSAL_NONE)
			p->grace_until = 0;
	}
	if (refusal != DVMRP_NBR_REFUSAL_NONE)
		e = NBR_EV_REFUSED;
	else if (listed)
		e = NBR_EV_LISTS_US;
	else if (p->grace_until > now)
		e = NBR_EV_OMITS_GRACE;
	else
		e = NBR_EV_OMITS_US;
	dvmrp_nbr_fire(n, p, e, now, refusal);
}

/* ------------------------------------------------------------------ */
/* Expiry and VIF down                                                */

void
dvmrp_nbr_fsm_expire(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    mc_time_t now)
{
	dvmrp_nbr_fire(n, p, NBR_EV_EXPIRED, now, DVMRP_NBR_REFUSAL_NONE);
}

void
dvmrp_nbr_fsm_vif_down(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now)
{
	struct dvmrp_nbr_peer *p;

	while ((p = TAILQ_FIRST(&v->peers)) != NULL)
		dvmrp_nbr_fire(n, p, NBR_EV_VIF_DOWN, now,
		    DVMRP_NBR_REFUSAL_NONE);
}
