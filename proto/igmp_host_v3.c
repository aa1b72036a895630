/* The IGMP host's v3 side: State-Change Reports and answers (RFC 3376 5). */
#include <errno.h>
#include <stdlib.h>

#include "igmp_host_int.h"
#include "srcset.h"

/*
 * v3 reports in the making: records are packed until the next one would
 * pass IGMP_HOST_REPORT_MAX, then the report goes to 224.0.0.22 (RFC 3376
 * 4.2.14) and another begins (4.2.16).
 */
struct igmp_host_v3_batch {
	struct igmp_host *h;
	struct igmp_v3_report r;
	bool open;
	uint8_t buf[IGMP_HOST_REPORT_MAX];
};

static void
igmp_host_v3_batch_init(struct igmp_host_v3_batch *b, struct igmp_host *h)
{
	b->h = h;
	b->open = false;
}

static void
igmp_host_v3_batch_flush(struct igmp_host_v3_batch *b)
{
	struct in_addr dst = { .s_addr = htonl(IGMP_V3_ROUTERS) };
	int n;

	if (!b->open)
		return;
	b->open = false;
	n = igmp_v3_report_finish(&b->r);
	if (n < 0) {
		b->h->stats.unexpected_events++;
		return;
	}
	igmp_host_enqueue(b->h, dst, b->buf, (size_t)n);
	b->h->stats.reports_sent++;
}

/*
 * One group record.  RFC 3376 4.2.16: a record too big for a report of its
 * own is split over several reports, except IS_EX and TO_EX, which carry as
 * many sources as fit and leave the rest unreported.
 */
static void
igmp_host_v3_batch_add(struct igmp_host_v3_batch *b, uint8_t type,
    struct in_addr group, const struct in_addr *src, uint32_t n)
{
	const uint32_t room = (IGMP_HOST_REPORT_MAX - IGMP_V3_REPORT_MIN_LEN -
				  IGMP_V3_RECORD_MIN_LEN) /
	    4;
	uint32_t chunk;
	size_t need;

	if (n > room &&
	    (type == IGMP_MODE_IS_EXCLUDE || type == IGMP_CHANGE_TO_EXCLUDE))
		n = room;
	for (;;) {
		chunk = n > room ? room : n;
		need = IGMP_V3_RECORD_MIN_LEN + 4 * (size_t)chunk;
		if (b->open &&
		    (b->r.len + need > IGMP_HOST_REPORT_MAX ||
			b->r.nrecords == UINT16_MAX))
			igmp_host_v3_batch_flush(b);
		if (!b->open) {
			igmp_v3_report_begin(&b->r, b->buf, sizeof(b->buf));
			b->open = true;
		}
		if (igmp_v3_report_add(&b->r, type, group, src,
			(uint16_t)chunk) < 0) {
			b->h->stats.unexpected_events++;
			return;
		}
		n -= chunk;
		if (n == 0)
			return;
		src += chunk;
		igmp_host_v3_batch_flush(b);
	}
}

/* RFC 3376 5.2: the Current-State Record of a group. */
static void
igmp_host_v3_batch_current(struct igmp_host_v3_batch *b,
    const struct igmp_host_group *g)
{
	igmp_host_v3_batch_add(b,
	    g->mode == IGMP_FILTER_EXCLUDE ? IGMP_MODE_IS_EXCLUDE :
					     IGMP_MODE_IS_INCLUDE,
	    g->group, g->src, g->nsrc);
}

/* v3 State-Change Reports (RFC 3376 5.1) */

/*
 * A filter change in v3 mode.  RFC 3376 5.1, old state -> new state:
 *
 *   INCLUDE (A) -> INCLUDE (B)   ALLOW (B-A), BLOCK (A-B)
 *   EXCLUDE (A) -> EXCLUDE (B)   ALLOW (A-B), BLOCK (B-A)
 *   INCLUDE (A) -> EXCLUDE (B)   TO_EX (B)
 *   EXCLUDE (A) -> INCLUDE (B)   TO_IN (B)
 *
 * merged with what is still pending: a filter-mode change stays pending
 * (a TO_IN/TO_EX with the current sources goes out RV times after the
 * last change, whatever source changes follow); else ALLOW = (pending
 * ALLOW - new BLOCK) + new ALLOW and BLOCK = (pending BLOCK - new ALLOW) +
 * new BLOCK.  "The transmission of the merged State-Change Report ...
 * becomes the first of [Robustness Variable] transmissions": the group's
 * count goes back to RV (one count per group, not per source, so a source
 * may go out more than RV times, never fewer) and the State-Change timer
 * is due now.
 */
int
igmp_host_v3_change(struct igmp_host *h, mc_time_t now, struct in_addr group,
    uint8_t mode, const struct in_addr *b, uint32_t nb)
{
	struct igmp_host_group *g = NULL;
	const struct in_addr *a = NULL, *pa = NULL, *pb = NULL;
	struct in_addr *tmp = NULL, *add, *rem, *t1, *t2;
	struct in_addr *allow = NULL, *block = NULL;
	uint32_t i, n, na = 0, npa = 0, npb = 0, nadd, nrem;
	uint32_t nallow = 0, nblock = 0;
	uint8_t old_mode = IGMP_FILTER_INCLUDE, flags = 0;
	char gs[INET_ADDRSTRLEN], ss[TRACE_LINE_MAX / 2];
	bool found;

	i = igmp_host_find(h, group, &found);
	if (found) {
		g = &h->groups[i];
		a = g->src;
		na = g->nsrc;
		old_mode = g->mode;
		if (g->retrans > 0) {
			flags = g->flags & IGMP_HOST_F_MODE_CHANGE;
			pa = igmp_host_grp_allow(g);
			npa = g->nallow;
			pb = igmp_host_grp_block(g);
			npb = g->nblock;
		}
	}
	if (old_mode == mode && srcset_equal(a, na, b, nb))
		return 0;
	if (old_mode != mode)
		flags = IGMP_HOST_F_MODE_CHANGE;
	if (!(flags & IGMP_HOST_F_MODE_CHANGE)) {
		/* add, rem: the new change; t1, t2: pending less opposite */
		tmp = malloc((((size_t)na + nb) * 4 + ((size_t)npa + npb) * 2 +
				 1) *
		    sizeof(*tmp));
		if (tmp == NULL)
			return -ENOMEM;
		add = tmp;
		rem = add + na + nb;
		t1 = rem + na + nb;
		allow = t1 + npa;
		t2 = allow + npa + na + nb;
		block = t2 + npb;
		if (mode == IGMP_FILTER_INCLUDE) {
			nadd = srcset_diff(b, nb, a, na, add);
			nrem = srcset_diff(a, na, b, nb, rem);
		} else {
			nadd = srcset_diff(a, na, b, nb, add);
			nrem = srcset_diff(b, nb, a, na, rem);
		}
		n = srcset_diff(pa, npa, rem, nrem, t1);
		nallow = srcset_union(t1, n, add, nadd, allow);
		n = srcset_diff(pb, npb, add, nadd, t2);
		nblock = srcset_union(t2, n, rem, nrem, block);
		if (nallow > IGMP_HOST_MAX_SOURCES ||
		    nblock > IGMP_HOST_MAX_SOURCES) {
			/* Too much to list: state the whole filter. */
			flags = IGMP_HOST_F_MODE_CHANGE;
			nallow = nblock = 0;
		}
	}
	if (!found && (g = igmp_host_group_insert(h, i, group)) == NULL) {
		free(tmp);
		return -ENOMEM;
	}
	if (igmp_host_group_store(g, b, nb, igmp_host_grp_query(g), g->nquery,
		allow, nallow, block, nblock) < 0) {
		free(tmp);
		if (!found)
			igmp_host_group_remove(h, i);
		return -ENOMEM;
	}
	free(tmp);
	g->mode = mode;
	g->flags = (uint8_t)((g->flags & ~IGMP_HOST_F_MODE_CHANGE) | flags);
	g->retrans = (uint8_t)h->robustness;
	h->change_at = now;

	trace(&h->trace, "%s: %s -> %s %s", trace_addr(group, gs),
	    found ? igmp_filter_mode_name((enum igmp_filter_mode)old_mode) :
		    "(none)",
	    igmp_filter_mode_name((enum igmp_filter_mode)mode),
	    trace_set(b, nb, ss, sizeof(ss)));
	return 0;
}

/*
 * The State-Change timer fired: one report with the pending records of
 * every group; RFC 3376 5.1: retransmitted at random intervals in
 * (0, [Unsolicited Report Interval]) until each group's count runs out.
 */
static void
igmp_host_v3_send_changes(struct igmp_host *h, mc_time_t now,
    struct igmp_host_v3_batch *b)
{
	struct igmp_host_group *g;
	bool more = false;
	uint32_t i;

	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		if (g->retrans == 0)
			continue;
		if (g->flags & IGMP_HOST_F_MODE_CHANGE) {
			igmp_host_v3_batch_add(b,
			    g->mode == IGMP_FILTER_EXCLUDE ?
				IGMP_CHANGE_TO_EXCLUDE :
				IGMP_CHANGE_TO_INCLUDE,
			    g->group, g->src, g->nsrc);
		} else {
			if (g->nallow)
				igmp_host_v3_batch_add(b,
				    IGMP_ALLOW_NEW_SOURCES, g->group,
				    igmp_host_grp_allow(g), g->nallow);
			if (g->nblock)
				igmp_host_v3_batch_add(b,
				    IGMP_BLOCK_OLD_SOURCES, g->group,
				    igmp_host_grp_block(g), g->nblock);
		}
		if (--g->retrans == 0)
			igmp_host_group_drop_changes(g);
		else
			more = true;
	}
	h->change_at = more ? now +
		igmp_host_delay(h,
		    igmp_host_unsolicited_report_interval_ms(h)) :
			      MC_TIME_NEVER;
}

/*
 * RFC 3376 5.2: the group timer fired.  No queried sources: the group's
 * Current-State Record if it has reception state.  Queried sources B:
 * INCLUDE (A) answers IS_IN (A*B), EXCLUDE (A) answers IS_IN (B-A); an
 * empty set, nothing.
 */
static void
igmp_host_v3_answer_group(struct igmp_host *h, struct igmp_host_group *g,
    struct igmp_host_v3_batch *b)
{
	struct in_addr *r;
	uint32_t n;

	g->report_at = MC_TIME_NEVER;
	if (!igmp_host_member(g)) {
		igmp_host_group_drop_query(g);
		return;
	}
	if (g->nquery == 0) {
		igmp_host_v3_batch_current(b, g);
		return;
	}
	r = malloc((size_t)g->nquery * sizeof(*r));
	if (r == NULL) {
		/* Say more than asked rather than nothing. */
		igmp_host_v3_batch_current(b, g);
	} else {
		if (g->mode == IGMP_FILTER_INCLUDE)
			n = srcset_intersect(igmp_host_grp_query(g), g->nquery,
			    g->src, g->nsrc, r);
		else
			n = srcset_diff(igmp_host_grp_query(g), g->nquery,
			    g->src, g->nsrc, r);
		if (n > 0)
			igmp_host_v3_batch_add(b, IGMP_MODE_IS_INCLUDE,
			    g->group, r, n);
		free(r);
	}
	igmp_host_group_drop_query(g);
}

void
igmp_host_v3_timeout(struct igmp_host *h, mc_time_t now)
{
	struct igmp_host_v3_batch batch, *b = &batch;
	uint32_t i;

	igmp_host_v3_batch_init(b, h);
	/* 5.2: the interface timer: one record per group with state. */
	if (h->general_at <= now) {
		h->general_at = MC_TIME_NEVER;
		for (i = 0; i < h->ngroups; i++)
			if (igmp_host_member(&h->groups[i]))
				igmp_host_v3_batch_current(b, &h->groups[i]);
	}
	for (i = 0; i < h->ngroups; i++)
		if (h->groups[i].report_at <= now)
			igmp_host_v3_answer_group(h, &h->groups[i], b);
	if (h->change_at <= now)
		igmp_host_v3_send_changes(h, now, b);
	igmp_host_v3_batch_flush(b);
}

/* Queries (RFC 3376 5.2) */

/* RFC 3376 5.2 rules 1-5, in order, the first that matches. */
void
igmp_host_v3_query(struct igmp_host *h, mc_time_t now, struct in_addr group,
    const struct igmp_msg *msg, uint32_t max_resp_ms)
{
	struct igmp_host_group *g = NULL;
	struct in_addr *q, *u;
	mc_time_t at;
	uint32_t i, n;
	bool any = false;

	if (group.s_addr == INADDR_ANY) {
		for (i = 0; i < h->ngroups && !any; i++)
			any = igmp_host_member(&h->groups[i]);
		if (!any)
			return; /* no state to report */
	} else {
		g = igmp_host_lookup(h, group);
		if (g == NULL || !igmp_host_member(g))
			return;
	}
	at = now + igmp_host_delay(h, max_resp_ms);
	/* 1: a General Query answer due sooner covers this one. */
	if (h->general_at <= at)
		return;
	/* 2: General Query: the interface timer. */
	if (g == NULL) {
		h->general_at = at;
		return;
	}
	/* 3: nothing pending for the group: the group timer, sources kept. */
	if (g->report_at == MC_TIME_NEVER) {
		g->report_at = at;
		igmp_host_group_drop_query(g);
		if (msg->nsources == 0)
			return;
		q = malloc((size_t)msg->nsources * sizeof(*q));
		if (q == NULL)
			return; /* answer as group-specific */
		for (i = 0; i < msg->nsources; i++)
			q[i] = igmp_source_at(msg->sources, (uint16_t)i);
		n = (uint32_t)srcset_normalize(q, msg->nsources);
		(void)igmp_host_group_store(g, g->src, g->nsrc, q, n,
		    igmp_host_grp_allow(g), g->nallow, igmp_host_grp_block(g),
		    g->nblock);
		free(q);
		return;
	}
	g->report_at = mc_time_min(g->report_at, at);
	/* 4: group-specific now, or before: the whole group. */
	if (msg->nsources == 0 || g->nquery == 0) {
		igmp_host_group_drop_query(g);
		return;
	}
	/* 5: both source-specific: the union of the queried sources. */
	q = malloc(((size_t)msg->nsources * 2 + g->nquery) * sizeof(*q));
	if (q == NULL) {
		igmp_host_group_drop_query(g);
		return;
	}
	for (i = 0; i < msg->nsources; i++)
		q[i] = igmp_source_at(msg->sources, (uint16_t)i);
	n = (uint32_t)srcset_normalize(q, msg->nsources);
	u = q + msg->nsources;
	n = srcset_union(igmp_host_grp_query(g), g->nquery, q, n, u);
	if (n > IGMP_HOST_MAX_SOURCES ||
	    igmp_host_group_store(g, g->src, g->nsrc, u, n,
		igmp_host_grp_allow(g), g->nallow, igmp_host_grp_block(g),
		g->nblock) < 0)
		igmp_host_group_drop_query(g);
	free(q);
}
