/*
 * The forwarding composer's entry limit (mfc.h, mfc_int.h): upcalls refused
 * at max_entries, told once per episode and counted by flow, and mcastctl
 * flush, which deletes the entries upcalls made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mfc_int.h"

/*
 * An upcall refused: counted; the first of an episode (since the dynamic
 * entries were last below the limit) is traced and MFC_OUT_LIMIT; each
 * flow is remembered once, up to MFC_REFUSED_MAX.  -ENOSPC.
 */
int
mfc_limit_refuse(struct mfc *m, struct in_addr s, struct in_addr g,
    unsigned vif)
{
	uint64_t key = hash_key_pair(s, g);
	char sg[TRACE_SG_MAX];
	struct mfc_refused *f;
	struct mfc_output *o;

	m->stats.limit_entries++;
	if (hash_count(&m->refused) < MFC_REFUSED_MAX &&
	    hash_find(&m->refused, key) == NULL) {
		f = calloc(1, sizeof(*f));
		if (f != NULL)
			hash_insert(&m->refused, &f->hnode, key);
		else
			m->stats.unexpected_events++;
	}
	if (!m->limit_told) {
		trace(&m->trace,
		    "%s from vif %u not installed: %u entries, the limit",
		    trace_sg(s, g, sg, sizeof(sg)), vif, m->cfg.max_entries);
		o = mfc_emit(m, MFC_OUT_LIMIT, s, g);
		if (o != NULL) {
			o->iif = vif;
			o->limit = m->cfg.max_entries;
		}
	}
	m->limit_told = true;
	return -ENOSPC;
}

void
mfc_refused_clear(struct mfc *m)
{
	struct hash_node *n, *nx;
	size_t b;

	if (hash_count(&m->refused) == 0)
		return;
	HASH_FOREACH_SAFE(&m->refused, n, nx, b) {
		hash_remove(&m->refused, n);
		free(hash_entry(n, struct mfc_refused, hnode));
	}
}

void
mfc_limit(const struct mfc *m, struct mfc_limit_view *v)
{
	v->limit = m->cfg.max_entries;
	v->dynamic_entries = m->stats.dynamic_entries;
	v->reached = m->limit_told;
	v->flows_refused = (uint32_t)hash_count(&m->refused);
}

unsigned
mfc_flush(struct mfc *m, mc_time_t now, const struct in_addr *group)
{
	char gb[INET_ADDRSTRLEN];
	struct mfc_group *grp;
	struct mfc_entry *e;
	struct hash_node *n, *nx;
	unsigned count = 0;
	size_t b;

	HASH_FOREACH_SAFE(&m->entries, n, nx, b) {
		e = hash_entry(n, struct mfc_entry, hnode);
		if (e->iif_origin == MFC_IIF_STATIC ||
		    (group != NULL && e->group.s_addr != group->s_addr))
			continue;
		grp = e->grp;
		mfc_entry_delete(m, e, "flushed");
		/* Another entry of grp may still follow in the walk. */
		if (LIST_EMPTY(&grp->entries))
			mfc_group_gc(m, grp);
		count++;
	}
	m->stats.flushed += count;
	trace(&m->trace, "flush %s: %u entries",
	    group != NULL ? trace_addr(*group, gb) : "all", count);
	return count;
}
