/*
 * What DVMRP neighbours tell the prune engine: their coming and going, and
 * the prunes, grafts and graft acks they send (dvmrp_prune.h).
 */
#include <stdlib.h>

#include "dvmrp_prune_int.h"

static struct prune_nbr *
nbr_find(struct dvmrp_prune *p, unsigned vif, struct in_addr a)
{
	for (unsigned i = 0; i < PRUNE_NBR_MAX; i++)
		if (p->nbrs[i].used && p->nbrs[i].vif == vif &&
		    p->nbrs[i].addr.s_addr == a.s_addr)
			return &p->nbrs[i];
	return NULL;
}

void
dvmrp_prune_nbr_up(struct dvmrp_prune *p, unsigned vif, struct in_addr nbr)
{
	if (nbr_find(p, vif, nbr) != NULL)
		return;
	for (unsigned i = 0; i < PRUNE_NBR_MAX; i++)
		if (!p->nbrs[i].used) {
			p->nbrs[i] = (struct prune_nbr){ true, vif, nbr };
			return;
		}
}

/* Its prunes go; what we sent it is forgotten (resent if still empty). */
static void
nbr_forget(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr)
{
	struct hash_node *n;
	struct prune_entry *e;
	size_t b;

	FOREACH_ENTRY(p, e, b, n)
	{
		if (prune_rx_drop(p, e, vif, nbr))
			prune_update_vifs(p, e);
		if (e->up_vif == vif && e->up_nbr.s_addr == nbr.s_addr &&
		    e->state != DVMRP_PRUNE_FORWARDING) {
			prune_drop_sent(p, e);
			prune_reconsider(p, e, now);
		}
	}
}

void
dvmrp_prune_nbr_down(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr)
{
	struct prune_nbr *s = nbr_find(p, vif, nbr);

	if (s != NULL)
		s->used = false;
	nbr_forget(p, now, vif, nbr);
}

void
dvmrp_prune_nbr_restart(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr)
{
	nbr_forget(p, now, vif, nbr);
}

void
dvmrp_prune_prune_input(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr, struct in_addr source, struct in_addr group,
    uint32_t lifetime_s)
{
	struct prune_entry *e;

	p->st.prunes_rx++;
	if (nbr_find(p, vif, nbr) == NULL) {
		p->st.non_neighbor++;
		return;
	}
	if (lifetime_s <= DVMRP_PRUNE_LIFETIME_MIN) {
		p->st.short_lifetime++;
		return;
	}
	e = prune_entry_find(p, source, group);
	if (e == NULL) {
		p->st.unknown_entry++;
		return;
	}
	if (vif == e->up_vif || vif >= DVMRP_PRUNE_MAX_VIFS) {
		p->st.wrong_vif++;
		return;
	}
	if (lifetime_s > 1u << 30)
		lifetime_s = 1u << 30;
	for (uint32_t i = 0; i < e->nrx; i++)
		if (e->rx[i].vif == vif && e->rx[i].nbr.s_addr == nbr.s_addr) {
			e->rx[i].expires = now + (mc_time_t)lifetime_s * 1000;
			prune_entry_resched(p, e);
			return;
		}
	if (e->nrx >= p->c.max_prunes_entry) {
		p->st.prune_cap++;
		return;
	}
	if (e->nrx == e->caprx) {
		uint32_t cap = e->caprx ? e->caprx * 2 : 2;
		struct rx_prune *rx;

		if (cap > p->c.max_prunes_entry)
			cap = p->c.max_prunes_entry;
		rx = realloc(e->rx, cap * sizeof(*rx));
		if (rx == NULL)
			return;
		e->rx = rx;
		e->caprx = cap;
	}
	e->rx[e->nrx++] = (struct rx_prune){ vif, nbr,
		now + (mc_time_t)lifetime_s * 1000 };
	prune_entry_resched(p, e);
	p->st.prunes++;
	prune_update_vifs(p, e);
}

void
dvmrp_prune_graft_input(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr, struct in_addr source, struct in_addr group)
{
	struct prune_entry *e;
	struct prune_entry ack = { .origin = source, .group = group };

	p->st.grafts_rx++;
	if (nbr_find(p, vif, nbr) == NULL) {
		p->st.non_neighbor++;
		return;
	}
	e = prune_entry_find(p, source, group);
	p->st.graft_acks_tx++;
	prune_emit(p, DVMRP_PRUNE_OUT_SEND_GRAFT_ACK, e ? e : &ack, vif, nbr,
	    0);
	if (e == NULL) {
		p->st.unknown_entry++;
		return;
	}
	if (vif == e->up_vif) {
		p->st.wrong_vif++;
		return;
	}
	if (prune_rx_drop(p, e, vif, nbr))
		prune_update_vifs(p, e);
	/* A dependent wants it again: graft upstream now. */
	if (e->state == DVMRP_PRUNE_PRUNED && prune_has_upstream(e)) {
		e->empty = false;
		prune_send_graft(p, e, now);
	}
}

void
dvmrp_prune_graft_ack_input(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr, struct in_addr source, struct in_addr group)
{
	struct prune_entry *e;

	p->st.graft_acks_rx++;
	if (nbr_find(p, vif, nbr) == NULL) {
		p->st.non_neighbor++;
		return;
	}
	e = prune_entry_find(p, source, group);
	if (e == NULL || e->state != DVMRP_PRUNE_GRAFTING || e->up_vif != vif ||
	    e->up_nbr.s_addr != nbr.s_addr) {
		p->st.unexpected_ack++;
		return;
	}
	prune_drop_sent(p, e);
	prune_orphan_refresh(p, e, now);
}
