/* The IGMP router's reports: v1/v2 reports, leaves, v3 records (6.4). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igmp_router_int.h"
#include "srcset.h"

#define RT_LOCAL_NET  0xe0000000u /* 224.0.0.0/24 */
#define RT_LOCAL_MASK 0xffffff00u

/* ------------------------------------------------------------------ */
/* Records: RFC 3376 6.4.1 and 6.4.2                                  */

/*
 * RFC 3376 6.4.1 and 6.4.2: what a record does to each source.  A source
 * falls in one category: only in the record (NEW), in both with a running
 * timer (IN_X) or a stopped one (IN_Y), or only in the state (OUT_X,
 * OUT_Y).  In INCLUDE mode every source is "X" (timers run).
 */
enum igmp_router_srccat {
	RT_SC_NEW,
	RT_SC_IN_X,
	RT_SC_IN_Y,
	RT_SC_OUT_X,
	RT_SC_OUT_Y,
	RT_SC_COUNT
};

enum igmp_router_srcact {
	RT_SA_KEEP, /* unchanged */
	RT_SA_GMI,  /* (S) = GMI */
	RT_SA_GT,   /* (S) = Group Timer */
	RT_SA_Y,    /* (S) = 0: excluded */
	RT_SA_DEL,  /* Delete (S) */
	RT_SA_NONE, /* a new source this row does not add */
};
#define RT_SA_MASK 0x0f
#define RT_SA_Q	   0x10 /* and Send Q(G,S) */

#define RT_RF_GT_GMI 0x01 /* Group Timer = GMI */
#define RT_RF_QG     0x02 /* Send Q(G) */

struct igmp_router_rule {
	enum igmp_filter_mode next;
	uint8_t act[RT_SC_COUNT];
	uint8_t flags;
};

#define RT_INC IGMP_FILTER_INCLUDE
#define RT_EXC IGMP_FILTER_EXCLUDE

static const struct igmp_router_rule
igmp_router_report_rules[2][IGMP_BLOCK_OLD_SOURCES + 1] = {
	[RT_INC] = {
		/* INCLUDE (A) IS_IN (B): INCLUDE (A+B); (B)=GMI */
		[IGMP_MODE_IS_INCLUDE] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * INCLUDE (A) IS_EX (B): EXCLUDE (A*B, B-A); (B-A)=0;
		 * Delete (A-B); Group Timer=GMI
		 */
		[IGMP_MODE_IS_EXCLUDE] = { RT_EXC,
		    { RT_SA_Y, RT_SA_KEEP, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/* INCLUDE (A) TO_IN (B): INCLUDE (A+B); (B)=GMI; Q(G,A-B) */
		[IGMP_CHANGE_TO_INCLUDE] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP | RT_SA_Q,
		      RT_SA_KEEP }, 0 },
		/*
		 * INCLUDE (A) TO_EX (B): EXCLUDE (A*B, B-A); (B-A)=0;
		 * Delete (A-B); Send Q(G,A*B); Group Timer=GMI
		 */
		[IGMP_CHANGE_TO_EXCLUDE] = { RT_EXC,
		    { RT_SA_Y, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/* INCLUDE (A) ALLOW (B): INCLUDE (A+B); (B)=GMI */
		[IGMP_ALLOW_NEW_SOURCES] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/* INCLUDE (A) BLOCK (B): INCLUDE (A); Send Q(G,A*B) */
		[IGMP_BLOCK_OLD_SOURCES] = { RT_INC,
		    { RT_SA_NONE, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
	},
	[RT_EXC] = {
		/* EXCLUDE (X,Y) IS_IN (A): EXCLUDE (X+A, Y-A); (A)=GMI */
		[IGMP_MODE_IS_INCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * EXCLUDE (X,Y) IS_EX (A): EXCLUDE (A-Y, Y*A); (A-X-Y)=GMI;
		 * Delete (X-A); Delete (Y-A); Group Timer=GMI
		 */
		[IGMP_MODE_IS_EXCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/*
		 * EXCLUDE (X,Y) TO_IN (A): EXCLUDE (X+A, Y-A); (A)=GMI;
		 * Send Q(G,X-A); Send Q(G)
		 */
		[IGMP_CHANGE_TO_INCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP | RT_SA_Q,
		      RT_SA_KEEP }, RT_RF_QG },
		/*
		 * EXCLUDE (X,Y) TO_EX (A): EXCLUDE (A-Y, Y*A);
		 * (A-X-Y)=Group Timer; Delete (X-A); Delete (Y-A);
		 * Send Q(G,A-Y); Group Timer=GMI
		 */
		[IGMP_CHANGE_TO_EXCLUDE] = { RT_EXC,
		    { RT_SA_GT | RT_SA_Q, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP,
		      RT_SA_DEL, RT_SA_DEL }, RT_RF_GT_GMI },
		/* EXCLUDE (X,Y) ALLOW (A): EXCLUDE (X+A, Y-A); (A)=GMI */
		[IGMP_ALLOW_NEW_SOURCES] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * EXCLUDE (X,Y) BLOCK (A): EXCLUDE (X+(A-Y), Y);
		 * (A-X-Y)=Group Timer; Send Q(G,A-Y)
		 */
		[IGMP_BLOCK_OLD_SOURCES] = { RT_EXC,
		    { RT_SA_GT | RT_SA_Q, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP,
		      RT_SA_KEEP, RT_SA_KEEP }, 0 },
	},
};

/*
 * Room for n in a pair of source arrays (views and query counts) holding
 * *cap: doubled, from `first`, or n when more; never above max.  0, or
 * -ENOMEM with the arrays as they were (or larger).
 */
static int
igmp_router_report_grow(struct igmp_router_source_view **src, uint8_t **rexmit,
    size_t *cap, size_t n, size_t first, size_t max)
{
	struct igmp_router_source_view *s;
	uint8_t *x;
	size_t c;

	if (n <= *cap)
		return 0;
	c = *cap ? 2 * *cap : first;
	if (c < n)
		c = n;
	if (c > max)
		return -ENOMEM;
	s = realloc(*src, c * sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	*src = s;
	x = realloc(*rexmit, c);
	if (x == NULL)
		return -ENOMEM;
	*rexmit = x;
	*cap = c;
	return 0;
}

/* Room for a walk's result (the engine's scratch), and in the group. */
static int
igmp_router_report_room(struct igmp_router *r, struct igmp_router_group *g,
    size_t n)
{
	size_t cap = g->cap;
	int rc;

	if (n <= r->tmp_cap && n <= cap)
		return 0; /* the usual case, inline */
	if (igmp_router_report_grow(&r->tmp_src, &r->tmp_rexmit, &r->tmp_cap, n,
		64, SIZE_MAX) != 0)
		return -ENOMEM;
	rc = igmp_router_report_grow(&g->src, &g->src_rexmit, &cap, n, 4,
	    UINT32_MAX);
	g->cap = (uint32_t)cap;
	return rc;
}

/* Whether a record for a group we do not have would create state. */
static bool
igmp_router_report_creates(uint8_t type, size_t nb)
{
	switch (type) {
	case IGMP_MODE_IS_EXCLUDE:
	case IGMP_CHANGE_TO_EXCLUDE:
		return true;
	case IGMP_MODE_IS_INCLUDE:
	case IGMP_CHANGE_TO_INCLUDE:
	case IGMP_ALLOW_NEW_SOURCES:
		return nb > 0;
	default:
		return false;
	}
}

/* The sources of a record refused at the limit: counted, one event. */
static void
igmp_router_report_limit_sources(struct igmp_router *r,
    struct igmp_router_group *g)
{
	struct igmp_router_ev *ev;

	r->stats.limit_sources += r->refused;
	ev = igmp_router_event(r, IGMP_ROUTER_EV_LIMIT_SOURCES, g->addr);
	if (ev != NULL)
		ev->count = r->refused;
	r->refused = 0;
}

/*
 * Apply one record (type, sorted set b) to the group of transaction t
 * (begun by the caller, ended here) with one merge walk over the group's
 * sources and b; the row of the table says what happens to each category
 * of source, then to the group.
 */
static void
igmp_router_report_apply(struct igmp_router *r, struct igmp_router_txn *t,
    mc_time_t now, uint8_t type, const struct in_addr *b, size_t nb,
    const char *why)
{
	struct igmp_router_group *g = t->g;
	const struct igmp_router_rule *rule =
	    &igmp_router_report_rules[g->mode][type];
	struct igmp_router_source_view *out;
	mc_time_t gmi = now + r->gmi_ms;
	mc_time_t lmqt = now + r->lmqt_ms;
	unsigned lmqc = igmp_router_lmqc(&r->cur);
	bool query_src = r->qstate == RT_QS_QUERIER && r->cfg.version >= 3;
	bool query_grp = r->qstate == RT_QS_QUERIER && r->cfg.version >= 2;
	bool queries = false, old_in, new_in, exists;
	size_t i = 0, j = 0, n = 0, survivors = 0, allowed = SIZE_MAX;
	size_t added = 0, fresh;
	struct igmp_router_source_view cur = { { 0 }, 0 };
	uint8_t act, rexmit = 0;
	enum igmp_router_srccat cat;
	int c;

	/* The limit: new sources fit in what the surviving ones leave. */
	if (r->cfg.max_sources_per_group != 0 &&
	    (rule->act[RT_SC_NEW] & RT_SA_MASK) != RT_SA_NONE) {
		for (i = 0, j = 0; i < g->nsources; i++) {
			while (j < nb && srcset_cmp(b[j], g->src[i].source) < 0)
				j++;
			exists = j < nb &&
			    b[j].s_addr == g->src[i].source.s_addr;
			cat = exists ?
			    (g->src[i].timer ? RT_SC_IN_X : RT_SC_IN_Y) :
			    (g->src[i].timer ? RT_SC_OUT_X : RT_SC_OUT_Y);
			if (g->mode == IGMP_FILTER_INCLUDE)
				cat = exists ? RT_SC_IN_X : RT_SC_OUT_X;
			if ((rule->act[cat] & RT_SA_MASK) != RT_SA_DEL)
				survivors++;
		}
		allowed = r->cfg.max_sources_per_group > survivors ?
		    r->cfg.max_sources_per_group - survivors :
		    0;
	}
	/*
	 * Room for what the walk can keep, not for the whole record: a
	 * record of 16,000 sources must not grow a group limited to 100
	 * (nor one whose row adds no new source, BLOCK in INCLUDE).
	 */
	fresh = (rule->act[RT_SC_NEW] & RT_SA_MASK) == RT_SA_NONE ? 0 :
	    nb < allowed					  ? nb :
								    allowed;
	if (igmp_router_report_room(r, g, (size_t)g->nsources + fresh) != 0) {
		/* Nothing changed; a group made for this input goes. */
		r->stats.unexpected_events++;
		igmp_router_group_end(r, t, why);
		return;
	}

	out = r->tmp_src;
	i = j = 0;
	while (i < g->nsources || j < nb) {
		if (j >= nb)
			c = -1;
		else if (i >= g->nsources)
			c = 1;
		else
			c = srcset_cmp(g->src[i].source, b[j]);
		if (c < 0) {
			cur = g->src[i];
			rexmit = g->src_rexmit[i++];
			cat = cur.timer || g->mode == IGMP_FILTER_INCLUDE ?
			    RT_SC_OUT_X :
			    RT_SC_OUT_Y;
		} else if (c > 0) {
			cur.source = b[j++];
			cur.timer = 0;
			rexmit = 0;
			cat = RT_SC_NEW;
		} else {
			cur = g->src[i];
			rexmit = g->src_rexmit[i++];
			j++;
			cat = cur.timer || g->mode == IGMP_FILTER_INCLUDE ?
			    RT_SC_IN_X :
			    RT_SC_IN_Y;
		}
		act = rule->act[cat];
		exists = cat != RT_SC_NEW;
		old_in = exists &&
		    (g->mode == IGMP_FILTER_INCLUDE || cur.timer == 0);
		switch (act & RT_SA_MASK) {
		case RT_SA_NONE:
			continue;
		case RT_SA_DEL:
			if (old_in && rule->next == g->mode)
				t->view_changed = true;
			t->state_changed = true;
			continue;
		case RT_SA_GMI:
			if (exists && cur.timer == 0)
				t->state_changed = true; /* Y -> X */
			cur.timer = gmi;
			break;
		case RT_SA_GT:
			cur.timer = g->timer;
			break;
		case RT_SA_Y:
			cur.timer = 0;
			break;
		default:
			break;
		}
		if (!exists) {
			if (added == allowed) {
				r->refused++;
				continue;
			}
			added++;
			t->state_changed = true;
		}
		/* 6.6.3.2: only sources whose timers are above LMQT. */
		if ((act & RT_SA_Q) && query_src && cur.timer > lmqt) {
			cur.timer = lmqt;
			rexmit = (uint8_t)(lmqc > UINT8_MAX ? UINT8_MAX : lmqc);
			queries = true;
		}
		new_in = rule->next == IGMP_FILTER_INCLUDE || cur.timer == 0;
		if (old_in != new_in && rule->next == g->mode)
			t->view_changed = true;
		out[n] = cur;
		r->tmp_rexmit[n++] = rexmit;
	}
	if (n > 0) {
		memcpy(g->src, out, n * sizeof(*out));
		memcpy(g->src_rexmit, r->tmp_rexmit, n);
	}
	g->nsources = (uint32_t)n;
	g->mode = rule->next;

	if (rule->flags & RT_RF_GT_GMI)
		g->timer = gmi;
	/* 6.6.3.1: Send Q(G) lowers the group timer to LMQT. */
	if ((rule->flags & RT_RF_QG) && query_grp) {
		if (g->timer > lmqt)
			g->timer = lmqt;
		g->rexmit_group = lmqc;
		queries = true;
	}
	if (queries)
		igmp_router_querier_specific(r, g, now);
	if (r->refused > 0)
		igmp_router_report_limit_sources(r, g);
	igmp_router_group_end(r, t, why);
}

/*
 * Find the group, creating it (present since now) when the record would
 * create state; the report's source becomes its last reporter.
 */
static struct igmp_router_group *
igmp_router_report_group(struct igmp_router *r, mc_time_t now,
    struct in_addr from, struct in_addr group, uint8_t type, size_t nb)
{
	struct igmp_router_group *g = igmp_router_group_find(r, group);

	if (g == NULL && igmp_router_report_creates(type, nb)) {
		g = igmp_router_group_create(r, group);
		if (g != NULL)
			g->since = now;
	}
	if (g != NULL)
		g->reporter = from;
	return g;
}

/* ------------------------------------------------------------------ */
/* Reports, leaves and v3 records                                     */

static bool
igmp_router_report_is_ssm(const struct igmp_router *r, struct in_addr group)
{
	uint32_t mask;

	if (r->cfg.ssm_prefix_len == 0)
		return false;
	mask = 0xffffffffu << (32 - r->cfg.ssm_prefix_len);
	return (igmp_router_h(group) & mask) ==
	    (igmp_router_h(r->cfg.ssm_prefix) & mask);
}

/*
 * RFC 3376 4.2.14 / RFC 2236 9: where reports may be addressed.  v1/v2
 * reports and leaves go to the group (leaves to 224.0.0.2), v3 reports to
 * 224.0.0.22; the group is accepted for v3 reports too, and our own
 * address for all (4.2.14: v1/v2 reports to any of the interface's
 * addresses MUST be accepted).
 */
static bool
igmp_router_report_destination_ok(struct igmp_router *r,
    const struct igmp_ip *ip, struct in_addr group, uint32_t usual)
{
	if (ip->dst.s_addr == group.s_addr ||
	    ip->dst.s_addr == r->addr.s_addr ||
	    (usual != 0 && ip->dst.s_addr == htonl(usual)))
		return true;
	igmp_router_ignore(r, IGMP_ROUTER_IGN_BAD_DESTINATION, group);
	return false;
}

/* A multicast group we track: not 224.0.0.0/24 (never forwarded). */
static bool
igmp_router_report_trackable(struct igmp_router *r, struct in_addr group)
{
	uint32_t h = igmp_router_h(group);

	if ((h >> 28) != 0xe) {
		r->stats.unexpected_events++;
		return false;
	}
	return (h & RT_LOCAL_MASK) != RT_LOCAL_NET;
}

/* The cause of a transition, for the trace; formatted only when traced. */
static const char *
igmp_router_report_why(const struct igmp_router *r, char *buf, size_t size,
    const char *what, struct in_addr from)
{
	char a[INET_ADDRSTRLEN];

	if (r->trace.fn == NULL)
		return what;
	snprintf(buf, size, "%s from %s", what, trace_addr(from, a));
	return buf;
}

/* RFC 3376 7.3.2: v1 and v2 reports are IS_EX({}) and start a timer. */
void
igmp_router_report_v12(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	const char *why;
	char buf[64];
	bool v1 = msg->kind == IGMP_KIND_V1_REPORT;

	if (!igmp_router_report_trackable(r, msg->group) ||
	    !igmp_router_report_destination_ok(r, ip, msg->group, 0))
		return;
	if (igmp_router_report_is_ssm(r, msg->group)) { /* RFC 4604 2.2.1 */
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, msg->group);
		return;
	}
	g = igmp_router_report_group(r, now, ip->src, msg->group,
	    IGMP_MODE_IS_EXCLUDE, 0);
	if (g == NULL)
		return;
	why = igmp_router_report_why(r, buf, sizeof(buf),
	    v1 ? "v1 report" : "v2 report", ip->src);
	/* The transaction sees (and traces) the compatibility change. */
	igmp_router_group_begin(r, &t, g);
	if (v1)
		g->v1_host = now + r->ohpi_ms;
	else
		g->v2_host = now + r->ohpi_ms;
	igmp_router_report_apply(r, &t, now, IGMP_MODE_IS_EXCLUDE, NULL, 0,
	    why);
}

/* RFC 2236 3, RFC 3376 7.3.2: a v2 leave is TO_IN({}). */
void
igmp_router_report_leave(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	char why[64];

	if (!igmp_router_report_trackable(r, msg->group) ||
	    !igmp_router_report_destination_ok(r, ip, msg->group,
		IGMP_ALL_ROUTERS))
		return;
	if (igmp_router_report_is_ssm(r, msg->group)) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, msg->group);
		return;
	}
	/* No members: SHOULD ignore (RFC 2236 3). */
	g = igmp_router_group_find(r, msg->group);
	if (g == NULL)
		return;
	if (igmp_router_group_compat(r, g, now) == 1) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_LEAVE_V1_HOST,
		    msg->group);
		return;
	}
	igmp_router_group_begin(r, &t, g);
	igmp_router_report_apply(r, &t, now, IGMP_CHANGE_TO_INCLUDE, NULL, 0,
	    igmp_router_report_why(r, why, sizeof(why), "v2 leave", ip->src));
}

static int
igmp_router_report_rec_reserve(struct igmp_router *r, size_t n)
{
	struct in_addr *p;
	size_t cap;

	if (n <= r->rec_cap)
		return 0;
	cap = n < 64 ? 64 : n;
	p = realloc(r->rec, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	r->rec = p;
	r->rec_cap = cap;
	return 0;
}

static void
igmp_router_report_record(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_group_record *rec)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	uint8_t type = rec->type;
	unsigned compat;
	size_t nb, i;
	char why[64];

	if (type < IGMP_MODE_IS_INCLUDE || type > IGMP_BLOCK_OLD_SOURCES) {
		r->stats.unexpected_events++; /* 4.2.12: ignore */
		return;
	}
	if (!igmp_router_report_trackable(r, rec->group) ||
	    !igmp_router_report_destination_ok(r, ip, rec->group,
		IGMP_V3_ROUTERS))
		return;
	if ((type == IGMP_MODE_IS_EXCLUDE || type == IGMP_CHANGE_TO_EXCLUDE) &&
	    igmp_router_report_is_ssm(r, rec->group)) {
		/* RFC 4604 2.2.1 */
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, rec->group);
		return;
	}
	if (igmp_router_report_rec_reserve(r, rec->nsources) != 0) {
		r->stats.unexpected_events++;
		return;
	}
	for (i = 0; i < rec->nsources; i++)
		r->rec[i] = igmp_source_at(rec->sources, (uint16_t)i);
	nb = srcset_normalize(r->rec, rec->nsources);

	g = igmp_router_group_find(r, rec->group);
	compat = g ? igmp_router_group_compat(r, g, now) : r->cfg.version;
	/*
	 * 7.3.2: with older hosts BLOCK is ignored, TO_EX(x) is TO_EX({});
	 * with v1 hosts TO_IN is ignored as leaves are (RFC 9776 7.3.2
	 * spells it out).
	 */
	if (compat == 1 && type == IGMP_CHANGE_TO_INCLUDE) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_LEAVE_V1_HOST,
		    rec->group);
		return;
	}
	if (compat < 3 && type == IGMP_BLOCK_OLD_SOURCES)
		return;
	if (compat < 3 && type == IGMP_CHANGE_TO_EXCLUDE)
		nb = 0;
	g = igmp_router_report_group(r, now, ip->src, rec->group, type, nb);
	if (g == NULL)
		return;
	igmp_router_group_begin(r, &t, g);
	/* The record type's name only when someone listens (a hot path). */
	igmp_router_report_apply(r, &t, now, type, r->rec, nb,
	    igmp_router_report_why(r, why, sizeof(why),
		r->trace.fn != NULL ? igmp_record_type_name(type) : NULL,
		ip->src));
}

void
igmp_router_report_v3(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_record_iter it;
	struct igmp_group_record rec;

	igmp_records_begin(msg, &it);
	while (igmp_records_next(&it, &rec))
		igmp_router_report_record(r, now, ip, &rec);
}
