/* The DVMRP prune engine's views: state and output names, `show prunes` lines, counters, memory. */
#include "dvmrp_prune_int.h"

const char *
dvmrp_prune_state_name(enum dvmrp_prune_up_state s)
{
	switch (s) {
	case DVMRP_PRUNE_FORWARDING:
		return "forwarding";
	case DVMRP_PRUNE_PRUNED:
		return "pruned";
	case DVMRP_PRUNE_GRAFTING:
		return "grafting";
	}
	return "?";
}

const char *
dvmrp_prune_output_name(enum dvmrp_prune_output_kind k)
{
	switch (k) {
	case DVMRP_PRUNE_OUT_SEND_PRUNE:
		return "send-prune";
	case DVMRP_PRUNE_OUT_SEND_GRAFT:
		return "send-graft";
	case DVMRP_PRUNE_OUT_SEND_GRAFT_ACK:
		return "send-graft-ack";
	case DVMRP_PRUNE_OUT_VIF_PRUNED:
		return "vif-pruned";
	case DVMRP_PRUNE_OUT_VIF_UNPRUNED:
		return "vif-unpruned";
	}
	return "?";
}

static uint32_t
left_ms(mc_time_t t, mc_time_t now)
{
	return t == MC_TIME_NEVER || t <= now ? 0 : (uint32_t)(t - now);
}

int
dvmrp_prune_foreach(const struct dvmrp_prune *p, mc_time_t now,
    int (*fn)(void *arg, const struct dvmrp_prune_view *v), void *arg)
{
	struct hash_node *n;
	struct prune_entry *e;
	size_t b;
	int rc;

	FOREACH_ENTRY(p, e, b, n)
	{
		struct dvmrp_prune_view v = { .origin = e->origin,
			.mask = e->mask,
			.group = e->group };

		if (e->state != DVMRP_PRUNE_FORWARDING) {
			v.vif = e->up_vif;
			v.nbr = e->up_nbr;
			v.sent = true;
			v.state = e->state;
			v.remaining_ms = e->state == DVMRP_PRUNE_PRUNED ?
			    left_ms(e->sent_expires, now) :
			    0;
			v.rexmits = e->rexmits;
			if ((rc = fn(arg, &v)) != 0)
				return rc;
		}
		for (uint32_t i = 0; i < e->nrx; i++) {
			v.vif = e->rx[i].vif;
			v.nbr = e->rx[i].nbr;
			v.sent = false;
			v.state = DVMRP_PRUNE_PRUNED;
			v.remaining_ms = left_ms(e->rx[i].expires, now);
			v.rexmits = 0;
			if ((rc = fn(arg, &v)) != 0)
				return rc;
		}
	}
	return 0;
}

const struct dvmrp_prune_stats *
dvmrp_prune_stats(const struct dvmrp_prune *p)
{
	return &p->st;
}

size_t
dvmrp_prune_memory(const struct dvmrp_prune *p)
{
	size_t m = sizeof(*p) +
	    ((size_t)1 << p->entries.bits) * sizeof(void *) +
	    p->timers.cap * sizeof(*p->timers.v) +
	    ((size_t)1 << p->origins.bits) * sizeof(void *) +
	    hash_count(&p->origins) * sizeof(struct prune_origin);
	struct hash_node *n;
	struct prune_entry *e;
	size_t b;

	FOREACH_ENTRY(p, e, b, n)
	m += sizeof(*e) + e->caprx * sizeof(struct rx_prune);
	return m;
}
