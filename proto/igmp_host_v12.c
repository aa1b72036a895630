/* The IGMP host's v1 and v2 side: the RFC 2236 6 state machine. */
#include <errno.h>

#include "igmp_host_int.h"

/*
 * The v1/v2 group state machine of RFC 2236 6 (RFC 1112 App. I is the
 * same without leaves).  The current state follows from the group: absent
 * or without reception state = Non-Member, group timer running = Delaying
 * Member, else Idle Member.
 */
enum igmp_host_v12_state {
	IGMP_HOST_NON_MEMBER,
	IGMP_HOST_DELAYING_MEMBER,
	IGMP_HOST_IDLE_MEMBER,
	IGMP_HOST_V12_NSTATES
};

enum igmp_host_v12_event {
	IGMP_HOST_EV_JOIN,
	IGMP_HOST_EV_LEAVE,
	IGMP_HOST_EV_QUERY,
	IGMP_HOST_EV_REPORT, /* another host's report heard */
	IGMP_HOST_EV_TIMER,
	IGMP_HOST_V12_NEVENTS
};

#define IGMP_HOST_A_SEND_REPORT	    0x0001
#define IGMP_HOST_A_SET_FLAG	    0x0002
#define IGMP_HOST_A_CLEAR_FLAG	    0x0004
#define IGMP_HOST_A_START_REPEATS   0x0008 /* unsolicited: RV - 1 more */
#define IGMP_HOST_A_NEXT_REPEAT	    0x0010
#define IGMP_HOST_A_START_TIMER	    0x0020 /* random in (0, Max Resp] */
#define IGMP_HOST_A_RESET_IF_SOONER 0x0040
#define IGMP_HOST_A_STOP_TIMER	    0x0080
#define IGMP_HOST_A_LEAVE_IF_FLAG   0x0100 /* v2 only */
#define IGMP_HOST_A_SUPPRESSED	    0x0200
#define IGMP_HOST_A_UNEXPECTED	    0x0400

struct igmp_host_v12_transition {
	uint16_t actions;
	uint8_t next; /* without repeats left; a running timer
				   means Delaying Member */
};

static const struct igmp_host_v12_transition
    igmp_host_v12_fsm[IGMP_HOST_V12_NSTATES][IGMP_HOST_V12_NEVENTS] = {
	[IGMP_HOST_NON_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { IGMP_HOST_A_SEND_REPORT |
		    IGMP_HOST_A_SET_FLAG | IGMP_HOST_A_START_REPEATS,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
	},
	[IGMP_HOST_DELAYING_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { 0, IGMP_HOST_DELAYING_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_STOP_TIMER |
		    IGMP_HOST_A_LEAVE_IF_FLAG, IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_RESET_IF_SOONER,
		    IGMP_HOST_DELAYING_MEMBER },
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_STOP_TIMER |
		    IGMP_HOST_A_CLEAR_FLAG | IGMP_HOST_A_SUPPRESSED,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_SEND_REPORT |
		    IGMP_HOST_A_SET_FLAG | IGMP_HOST_A_NEXT_REPEAT,
		    IGMP_HOST_IDLE_MEMBER },
	},
	[IGMP_HOST_IDLE_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { 0, IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_LEAVE_IF_FLAG,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_START_TIMER,
		    IGMP_HOST_DELAYING_MEMBER },
		/* RFC 2236 6 has no such transition; Linux clears the flag
		   too, as the last report now is someone else's. */
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_CLEAR_FLAG,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_IDLE_MEMBER },
	},
};

static const char *
igmp_host_v12_state_name(enum igmp_host_v12_state s)
{
	switch (s) {
	case IGMP_HOST_NON_MEMBER:
		return "Non-Member";
	case IGMP_HOST_DELAYING_MEMBER:
		return "Delaying Member";
	case IGMP_HOST_IDLE_MEMBER:
		return "Idle Member";
	default:
		return "?";
	}
}

static const char *
igmp_host_v12_event_name(enum igmp_host_v12_event e)
{
	switch (e) {
	case IGMP_HOST_EV_JOIN:
		return "join";
	case IGMP_HOST_EV_LEAVE:
		return "leave";
	case IGMP_HOST_EV_QUERY:
		return "query";
	case IGMP_HOST_EV_REPORT:
		return "report heard";
	case IGMP_HOST_EV_TIMER:
		return "timer";
	default:
		return "?";
	}
}

/* v1/v2 groups */

/* RFC 2236 9: a report goes to its group, a leave to 224.0.0.2. */
static void
igmp_host_v12_send(struct igmp_host *h, struct in_addr group, bool leave)
{
	struct in_addr dst = group;
	uint8_t buf[IGMP_MIN_LEN];
	int n;

	if (leave) {
		dst.s_addr = htonl(IGMP_ALL_ROUTERS);
		n = igmp_build_v2_leave(buf, sizeof(buf), group);
	} else if (h->version == 1) {
		n = igmp_build_v1_report(buf, sizeof(buf), group);
	} else {
		n = igmp_build_v2_report(buf, sizeof(buf), group);
	}
	if (n < 0) {
		h->stats.unexpected_events++;
		return;
	}
	igmp_host_enqueue(h, dst, buf, (size_t)n);
	if (leave)
		h->stats.leaves_sent++;
	else
		h->stats.reports_sent++;
}

static enum igmp_host_v12_state
igmp_host_v12_state(const struct igmp_host_group *g)
{
	if (g == NULL || !igmp_host_member(g))
		return IGMP_HOST_NON_MEMBER;
	return g->report_at != MC_TIME_NEVER ? IGMP_HOST_DELAYING_MEMBER :
					       IGMP_HOST_IDLE_MEMBER;
}

/*
 * Run one event of the RFC 2236 6 state machine on a group in state st;
 * returns the new state (Non-Member: the caller removes the group).
 */
static enum igmp_host_v12_state
igmp_host_v12_event(struct igmp_host *h, mc_time_t now,
    struct igmp_host_group *g, enum igmp_host_v12_state st,
    enum igmp_host_v12_event ev, uint32_t max_resp_ms)
{
	const struct igmp_host_v12_transition *t = &igmp_host_v12_fsm[st][ev];
	enum igmp_host_v12_state next;
	uint16_t a = t->actions;
	char gs[INET_ADDRSTRLEN];

	if (a & IGMP_HOST_A_UNEXPECTED) {
		h->stats.unexpected_events++;
		return st;
	}
	if (a & IGMP_HOST_A_STOP_TIMER) {
		g->report_at = MC_TIME_NEVER;
		g->retrans = 0;
	}
	if (a & IGMP_HOST_A_SEND_REPORT) {
		g->report_at = MC_TIME_NEVER;
		igmp_host_v12_send(h, g->group, false);
	}
	if (a & IGMP_HOST_A_SET_FLAG)
		g->flags |= IGMP_HOST_F_LAST_REPORTER;
	if (a & IGMP_HOST_A_CLEAR_FLAG)
		g->flags &= ~IGMP_HOST_F_LAST_REPORTER;
	if (a & IGMP_HOST_A_SUPPRESSED)
		h->stats.reports_suppressed++;
	/* RFC 2236 3: "repeat once or twice after short delays". */
	if (a & IGMP_HOST_A_START_REPEATS) {
		g->retrans = (uint8_t)(h->robustness - 1);
		if (g->retrans > 0)
			g->report_at = now +
			    igmp_host_delay(h,
				igmp_host_unsolicited_report_interval_ms(h));
	}
	if ((a & IGMP_HOST_A_NEXT_REPEAT) && g->retrans > 0 && --g->retrans > 0)
		g->report_at = now +
		    igmp_host_delay(h,
			igmp_host_unsolicited_report_interval_ms(h));
	if (a & IGMP_HOST_A_START_TIMER)
		g->report_at = now + igmp_host_delay(h, max_resp_ms);
	/* RFC 2236 3: only if Max Resp Time is less than the time left. */
	if ((a & IGMP_HOST_A_RESET_IF_SOONER) &&
	    g->report_at - now > (mc_time_t)max_resp_ms)
		g->report_at = now + igmp_host_delay(h, max_resp_ms);
	/* RFC 2236 6: leave only if we sent the last report; v1 has none. */
	if ((a & IGMP_HOST_A_LEAVE_IF_FLAG) && h->version == 2 &&
	    (g->flags & IGMP_HOST_F_LAST_REPORTER))
		igmp_host_v12_send(h, g->group, true);

	next = t->next;
	if (next != IGMP_HOST_NON_MEMBER && g->report_at != MC_TIME_NEVER)
		next = IGMP_HOST_DELAYING_MEMBER;
	if (next != st)
		trace(&h->trace, "%s: %s -> %s on %s (v%u)",
		    trace_addr(g->group, gs), igmp_host_v12_state_name(st),
		    igmp_host_v12_state_name(next),
		    igmp_host_v12_event_name(ev), h->version);
	return next;
}

/* A filter change in v1/v2 mode: v1/v2 only know member or not. */
int
igmp_host_v12_change(struct igmp_host *h, mc_time_t now, struct in_addr group,
    uint8_t mode, const struct in_addr *src, uint32_t nsrc)
{
	struct igmp_host_group *g;
	enum igmp_host_v12_state st;
	bool found;
	uint32_t i;

	i = igmp_host_find(h, group, &found);
	if (!found && mode == IGMP_FILTER_INCLUDE && nsrc == 0)
		return 0;
	if (found) {
		g = &h->groups[i];
	} else if ((g = igmp_host_group_insert(h, i, group)) == NULL) {
		return -ENOMEM;
	}
	st = igmp_host_v12_state(g);
	if (igmp_host_group_store(g, src, nsrc, NULL, 0, NULL, 0, NULL, 0) <
	    0) {
		if (!found)
			igmp_host_group_remove(h, i);
		return -ENOMEM;
	}
	g->mode = mode;
	if (st == IGMP_HOST_NON_MEMBER && igmp_host_member(g))
		igmp_host_v12_event(h, now, g, st, IGMP_HOST_EV_JOIN, 0);
	else if (st != IGMP_HOST_NON_MEMBER && !igmp_host_member(g))
		igmp_host_v12_event(h, now, g, st, IGMP_HOST_EV_LEAVE, 0);
	igmp_host_gc(h);
	return 0;
}

/* RFC 2236 3: each group the query applies to gets its own random timer. */
void
igmp_host_v12_query(struct igmp_host *h, mc_time_t now, struct in_addr group,
    uint32_t max_resp_ms)
{
	struct igmp_host_group *g;
	uint32_t i;

	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		if (group.s_addr != INADDR_ANY &&
		    g->group.s_addr != group.s_addr)
			continue;
		if (igmp_host_member(g))
			igmp_host_v12_event(h, now, g, igmp_host_v12_state(g),
			    IGMP_HOST_EV_QUERY, max_resp_ms);
	}
}

/* Another host's v1/v2 report: suppression (RFC 1112 App. I, 2236 3). */
void
igmp_host_v12_heard_report(struct igmp_host *h, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_host_group *g;

	if (ip->src.s_addr == h->addr.s_addr) {
		h->stats.rx_ignored++; /* our own, looped back */
		return;
	}
	h->stats.rx_reports_heard++;
	if (h->version == 3)
		return; /* RFC 3376 5: v3 hosts do not suppress */
	g = igmp_host_lookup(h, msg->group);
	if (g == NULL || !igmp_host_member(g))
		return;
	igmp_host_v12_event(h, now, g, igmp_host_v12_state(g),
	    IGMP_HOST_EV_REPORT, 0);
}

/* The group timers due: reports (RFC 2236 3, 6). */
void
igmp_host_v12_timeout(struct igmp_host *h, mc_time_t now)
{
	struct igmp_host_group *g;
	uint32_t i;

	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		if (g->report_at <= now)
			igmp_host_v12_event(h, now, g, igmp_host_v12_state(g),
			    IGMP_HOST_EV_TIMER, 0);
	}
}
