/* The DVMRP neighbour engine: life cycle, VIFs, our probes, outputs, views. */
/*
 * What the engine does and the choices it makes are in dvmrp_nbr.h; its
 * files and data structures in dvmrp_nbr_int.h.  Allocation failures drop
 * what was being done and count an unexpected event; the state stays
 * consistent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_nbr_int.h"

#define NBR_HASH_MIN_BITS 4

/* ------------------------------------------------------------------ */
/* Configuration                                                      */

void
dvmrp_nbr_config_defaults(struct dvmrp_nbr_config *c)
{
	memset(c, 0, sizeof(*c));
	c->probe_interval_ms = 10000;	/* draft table 2 Probe Interval */
	c->neighbor_timeout_ms = 35000; /* Neighbor Time-out Interval */
	c->probe_holdoff_ms = 1000;
	c->probe_new_neighbors = true;
	c->max_neighbors_per_vif = 64;
	c->max_probe_neighbors = DVMRP_NBR_PROBE_LIST_MAX;
}

int
dvmrp_nbr_config_check(const struct dvmrp_nbr_config *c)
{
	if (c->probe_interval_ms == 0 ||
	    c->neighbor_timeout_ms <= c->probe_interval_ms ||
	    c->probe_holdoff_ms > c->probe_interval_ms ||
	    c->probe_interval_ms > UINT32_MAX / 2)
		return -EINVAL;
	if (c->max_neighbors_per_vif == 0 ||
	    c->max_neighbors_per_vif > DVMRP_NBR_MAX_NEIGHBORS_LIMIT ||
	    c->max_probe_neighbors == 0 ||
	    c->max_probe_neighbors > DVMRP_NBR_PROBE_LIST_MAX)
		return -EINVAL;
	return 0;
}

/* How long a restarted two-way neighbour may leave us out: mrouted's 20 s
   (vif.c, "time(NULL) - n->al_ctime > 20"), two probe intervals. */
uint32_t
dvmrp_nbr_restart_grace_ms(const struct dvmrp_nbr_config *c)
{
	return 2 * c->probe_interval_ms;
}

/* ------------------------------------------------------------------ */
/* Names                                                              */

const char *
dvmrp_nbr_state_name(enum dvmrp_nbr_state s)
{
	switch (s) {
	case DVMRP_NBR_DOWN:
		return "DOWN";
	case DVMRP_NBR_ONE_WAY:
		return "ONE_WAY";
	case DVMRP_NBR_TWO_WAY:
		return "TWO_WAY";
	case DVMRP_NBR_REFUSED:
		return "REFUSED";
	default:
		return "?";
	}
}

const char *
dvmrp_nbr_event_name(enum dvmrp_nbr_event e)
{
	switch (e) {
	case DVMRP_NBR_EV_UP:
		return "up";
	case DVMRP_NBR_EV_DOWN:
		return "down";
	case DVMRP_NBR_EV_RESTART:
		return "restart";
	case DVMRP_NBR_EV_SEND_REPORT:
		return "send-report";
	case DVMRP_NBR_EV_IGNORED:
		return "ignored";
	case DVMRP_NBR_EV_LIMIT:
		return "limit";
	default:
		return "?";
	}
}

const char *
dvmrp_nbr_down_reason_name(enum dvmrp_nbr_down_reason r)
{
	switch (r) {
	case DVMRP_NBR_DOWN_EXPIRED:
		return "expired";
	case DVMRP_NBR_DOWN_VIF_DOWN:
		return "vif-down";
	case DVMRP_NBR_DOWN_REFUSED:
		return "refused";
	case DVMRP_NBR_DOWN_ONE_WAY:
		return "one-way";
	default:
		return "?";
	}
}

const char *
dvmrp_nbr_refusal_name(enum dvmrp_nbr_refusal r)
{
	switch (r) {
	case DVMRP_NBR_REFUSAL_NONE:
		return "none";
	case DVMRP_NBR_REFUSAL_NON_PRUNER:
		return "non-pruner";
	case DVMRP_NBR_REFUSAL_OLD_VERSION:
		return "old-version";
	default:
		return "?";
	}
}

const char *
dvmrp_nbr_ignored_name(enum dvmrp_nbr_ignored why)
{
	switch (why) {
	case DVMRP_NBR_IGN_NO_VIF:
		return "no-vif";
	case DVMRP_NBR_IGN_SELF:
		return "self";
	case DVMRP_NBR_IGN_OFF_SUBNET:
		return "off-subnet";
	case DVMRP_NBR_IGN_BAD_SOURCE:
		return "bad-source";
	default:
		return "?";
	}
}

const char *
dvmrp_nbr_caps_name(uint8_t caps, char *buf, size_t len)
{
	static const char *const bits[8] = { "leaf", "prune", "genid", "mtrace",
		"snmp", "netmask", "0x40", "0x80" };
	size_t off = 0;
	unsigned i;
	int w;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < 8 && off < len; i++) {
		if (!(caps & (1u << i)))
			continue;
		w = snprintf(buf + off, len - off, "%s%s", off ? "," : "",
		    bits[i]);
		off += w > 0 ? (size_t)w : 0;
	}
	if (caps == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Outputs                                                            */

static struct dvmrp_nbr_out *
dvmrp_nbr_out_new(struct dvmrp_nbr *n, size_t nneighbors)
{
	struct dvmrp_nbr_out *o;

	o = outq_push(&n->outq, sizeof(*o) + nneighbors * sizeof(o->list[0]));
	if (o == NULL)
		n->stats.unexpected_events++;
	return o;
}

/* An event about addr on v; NULL when out of memory (counted). */
struct dvmrp_nbr_out *
dvmrp_nbr_event(struct dvmrp_nbr *n, enum dvmrp_nbr_event e,
    const struct dvmrp_nbr_vif *v, struct in_addr addr)
{
	struct dvmrp_nbr_out *o = dvmrp_nbr_out_new(n, 0);

	if (o == NULL)
		return NULL;
	o->kind = DVMRP_NBR_OUT_EVENT;
	o->event = e;
	o->vif = v->index;
	o->addr = addr;
	return o;
}

bool
dvmrp_nbr_output(struct dvmrp_nbr *n, struct dvmrp_nbr_output *out)
{
	const struct dvmrp_nbr_out *o = outq_take(&n->outq);

	if (o == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	out->kind = o->kind;
	out->vif = o->vif;
	out->genid = o->genid;
	if (o->kind == DVMRP_NBR_OUT_PROBE) {
		out->src = o->src;
		out->dst.s_addr = htonl(DVMRP_ALL_ROUTERS);
		out->caps = o->caps;
		out->minor = DVMRP_MINOR;
		out->major = DVMRP_MAJOR;
		out->neighbors = o->list;
		out->nneighbors = o->nneighbors;
		return true;
	}
	out->event = o->event;
	out->addr = o->addr;
	out->previous = o->previous;
	out->state = o->state;
	out->reason = o->reason;
	out->refusal = o->refusal;
	out->ignored = o->ignored;
	out->old_genid = o->old_genid;
	return true;
}

/* ------------------------------------------------------------------ */
/* Our probes                                                         */

uint8_t
dvmrp_nbr_caps(const struct dvmrp_nbr *n, unsigned vif)
{
	uint8_t caps = DVMRP_CAPS_OURS;

	/* mrouted's LEAF_FLAGS: neighbours on one VIF only, this one. */
	if (vif < DVMRP_NBR_MAX_VIFS && n->vifs_two_way == 1 &&
	    n->vifs[vif].two_way > 0)
		caps |= DVMRP_CAP_LEAF;
	return caps;
}

static void
dvmrp_nbr_vif_schedule(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v)
{
	heap_update(&n->probes, &v->hp,
	    mc_time_min(v->next_probe_at, v->extra_probe_at));
}

/* SEND_REPORT for p: its probe is out. */
static void
dvmrp_nbr_send_report(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p)
{
	struct dvmrp_nbr_out *ev;

	p->report_due = false;
	ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_SEND_REPORT, p->vif, p->addr);
	if (ev != NULL) {
		ev->previous = ev->state = p->state;
		n->stats.reports_requested++;
	}
}

/*
 * A probe on v now: our GenID and the neighbours heard there (refused ones
 * left out, at most max_probe_neighbors), then the reports waiting for it.
 */
static void
dvmrp_nbr_send_probe(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now)
{
	struct dvmrp_nbr_peer *p;
	struct dvmrp_nbr_out *o;
	size_t listed = 0;

	o = dvmrp_nbr_out_new(n,
	    v->count < n->cfg.max_probe_neighbors ? v->count :
						    n->cfg.max_probe_neighbors);
	v->last_probe_at = now;
	v->probed = true;
	v->extra_probe_at = MC_TIME_NEVER;
	v->probe_wanted = false;
	dvmrp_nbr_vif_schedule(n, v);
	if (o == NULL)
		return;
	o->kind = DVMRP_NBR_OUT_PROBE;
	o->vif = v->index;
	o->src = v->addr;
	o->genid = n->genid;
	o->caps = dvmrp_nbr_caps(n, v->index);
	TAILQ_FOREACH(p, &v->peers, link) {
		if (p->state == DVMRP_NBR_REFUSED)
			continue;
		if (listed == n->cfg.max_probe_neighbors) {
			n->stats.probe_list_truncated++;
			break;
		}
		o->list[listed++] = p->addr;
		p->announced = true;
	}
	o->nneighbors = listed;
	n->stats.probes_sent++;
	TAILQ_FOREACH(p, &v->peers, link)
		if (p->report_due && p->announced)
			dvmrp_nbr_send_report(n, p);
}

/* A probe off the 10 s grid: at most one a hold-off. */
static void
dvmrp_nbr_send_extra(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now)
{
	n->stats.probes_sent_extra++;
	v->last_extra_at = now;
	v->extra_sent = true;
	dvmrp_nbr_send_probe(n, v, now);
}

/*
 * The input in hand wants a probe on v (sent when it is done, by
 * dvmrp_nbr_flush_probe()).  answer: only to answer news about a
 * neighbour, which probe_new_neighbors may turn off.
 */
void
dvmrp_nbr_want_probe(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v, bool answer)
{
	if (answer && !n->cfg.probe_new_neighbors)
		return;
	v->probe_wanted = true;
}

/* The probe wanted on v: now, or when the hold-off since the last extra
   one ends (unless the periodic one comes first). */
void
dvmrp_nbr_flush_probe(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now)
{
	mc_time_t at;

	if (!v->probe_wanted || !v->up)
		return;
	v->probe_wanted = false;
	at = v->extra_sent ? v->last_extra_at + n->cfg.probe_holdoff_ms : now;
	if (at <= now) {
		dvmrp_nbr_send_extra(n, v, now);
		return;
	}
	if (at >= v->next_probe_at || v->extra_probe_at != MC_TIME_NEVER)
		return;
	v->extra_probe_at = at;
	n->stats.probes_held++;
	dvmrp_nbr_vif_schedule(n, v);
}

/*
 * Send p our full report: now when a probe of ours has listed it since it
 * (re)started, else after the probe that will.
 */
void
dvmrp_nbr_report_to(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p)
{
	if (p->announced) {
		dvmrp_nbr_send_report(n, p);
		return;
	}
	p->report_due = true;
	dvmrp_nbr_want_probe(n, p->vif, false);
}

static void
dvmrp_nbr_vif_timeout(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now)
{
	uint64_t behind;

	if (v->next_probe_at <= now) {
		/* On the grid of the VIF's start, however late we are. */
		behind = (uint64_t)(now - v->next_probe_at) /
		    n->cfg.probe_interval_ms;
		v->next_probe_at += (mc_time_t)(behind + 1) *
		    n->cfg.probe_interval_ms;
		dvmrp_nbr_send_probe(n, v, now);
		return;
	}
	dvmrp_nbr_send_extra(n, v, now);
}

/* ------------------------------------------------------------------ */
/* Life cycle and the entry points                                    */

struct dvmrp_nbr *
dvmrp_nbr_new(const struct dvmrp_nbr_config *c, uint32_t genid,
    uint64_t rng_seed, mc_trace_fn trace, void *trace_arg)
{
	struct mc_rng rng = { rng_seed };
	struct dvmrp_nbr *n;
	unsigned i;

	if (dvmrp_nbr_config_check(c) != 0)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	/* The caller's seed keys the hash: senders cannot aim at a chain. */
	if (hash_init(&n->peers, mc_rng_next(&rng), NBR_HASH_MIN_BITS,
		HASH_SHRINK) != 0) {
		free(n);
		return NULL;
	}
	heap_init(&n->expiry);
	heap_init(&n->probes);
	/* Room for every VIF: scheduling a probe never fails. */
	if (heap_reserve(&n->probes, DVMRP_NBR_MAX_VIFS) != 0) {
		hash_fini(&n->peers);
		free(n);
		return NULL;
	}
	outq_init(&n->outq);
	n->cfg = *c;
	n->genid = genid;
	n->trace.fn = trace;
	n->trace.arg = trace_arg;
	for (i = 0; i < DVMRP_NBR_MAX_VIFS; i++) {
		heap_node_init(&n->vifs[i].hp);
		n->vifs[i].index = i;
		TAILQ_INIT(&n->vifs[i].peers);
		n->vifs[i].next_probe_at = MC_TIME_NEVER;
		n->vifs[i].extra_probe_at = MC_TIME_NEVER;
	}
	return n;
}

void
dvmrp_nbr_free(struct dvmrp_nbr *n)
{
	if (n == NULL)
		return;
	dvmrp_nbr_fsm_free_all(n);
	heap_fini(&n->expiry);
	heap_fini(&n->probes);
	hash_fini(&n->peers);
	outq_fini(&n->outq);
	free(n);
}

int
dvmrp_nbr_reconfigure(struct dvmrp_nbr *n, const struct dvmrp_nbr_config *c)
{
	int error = dvmrp_nbr_config_check(c);

	if (error != 0)
		return error;
	n->cfg = *c;
	return 0;
}

static bool
dvmrp_nbr_addr_usable(struct in_addr addr)
{
	uint32_t a = ntohl(addr.s_addr);

	return a != 0 && (a >> 24) != 127 && (a >> 28) < 0xe;
}

int
dvmrp_nbr_vif_up(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    struct in_addr addr, uint8_t prefix_len)
{
	struct dvmrp_nbr_vif *v;
	char ab[INET_ADDRSTRLEN];

	if (vif >= DVMRP_NBR_MAX_VIFS || prefix_len > 32 ||
	    !dvmrp_nbr_addr_usable(addr))
		return -EINVAL;
	v = &n->vifs[vif];
	if (v->up && v->addr.s_addr == addr.s_addr &&
	    v->prefix_len == prefix_len)
		return 0;
	if (v->up)
		dvmrp_nbr_vif_down(n, now, vif);
	v->up = true;
	v->addr = addr;
	v->prefix_len = prefix_len;
	v->probed = false;
	v->extra_sent = false;
	v->next_probe_at = now + n->cfg.probe_interval_ms;
	v->extra_probe_at = MC_TIME_NEVER;
	v->hp.at = v->next_probe_at;
	heap_push(&n->probes, &v->hp); /* room reserved */
	trace(&n->trace, "vif %u: DVMRP up on %s/%u", vif, trace_addr(addr, ab),
	    prefix_len);
	dvmrp_nbr_send_probe(n, v, now);
	return 0;
}

void
dvmrp_nbr_vif_down(struct dvmrp_nbr *n, mc_time_t now, unsigned vif)
{
	struct dvmrp_nbr_vif *v;

	if (vif >= DVMRP_NBR_MAX_VIFS || !n->vifs[vif].up)
		return;
	v = &n->vifs[vif];
	dvmrp_nbr_fsm_vif_down(n, v, now);
	v->up = false;
	v->probe_wanted = false;
	v->next_probe_at = MC_TIME_NEVER;
	v->extra_probe_at = MC_TIME_NEVER;
	heap_remove(&n->probes, &v->hp);
	trace(&n->trace, "vif %u: DVMRP down", vif);
}

void
dvmrp_nbr_probe_input(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    const struct dvmrp_probe_in *p)
{
	struct dvmrp_nbr_vif *v;
	struct dvmrp_nbr_out *ev;

	if (p == NULL || (p->nneighbors > 0 && p->neighbors == NULL)) {
		n->stats.unexpected_events++;
		return;
	}
	n->stats.rx_probes++;
	if (vif >= DVMRP_NBR_MAX_VIFS || !n->vifs[vif].up) {
		n->stats.rx_ignored[DVMRP_NBR_IGN_NO_VIF]++;
		if (vif >= DVMRP_NBR_MAX_VIFS)
			return; /* no VIF to name in an event */
		ev = dvmrp_nbr_event(n, DVMRP_NBR_EV_IGNORED, &n->vifs[vif],
		    p->from);
		if (ev != NULL)
			ev->ignored = DVMRP_NBR_IGN_NO_VIF;
		return;
	}
	v = &n->vifs[vif];
	n->in = p;
	dvmrp_nbr_fsm_probe(n, now, v, p);
	n->in = NULL;
	dvmrp_nbr_flush_probe(n, v, now);
}

bool
dvmrp_nbr_heard(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    struct in_addr from)
{
	struct dvmrp_nbr_peer *p;

	if (vif >= DVMRP_NBR_MAX_VIFS || !n->vifs[vif].up)
		return false;
	p = dvmrp_nbr_peer_find(n, vif, from);
	if (p == NULL || p->state != DVMRP_NBR_TWO_WAY)
		return false;
	heap_update(&n->expiry, &p->hp, now + n->cfg.neighbor_timeout_ms);
	return true;
}

/* Every timer due, in time order; expiry first on a tie (so that a probe
   due at the same time does not list a neighbour gone). */
void
dvmrp_nbr_timeout(struct dvmrp_nbr *n, mc_time_t now)
{
	mc_time_t e, p;

	for (;;) {
		e = heap_next(&n->expiry);
		p = heap_next(&n->probes);
		if (e <= now && e <= p)
			dvmrp_nbr_fsm_expire(n,
			    heap_entry(heap_top(&n->expiry),
				struct dvmrp_nbr_peer, hp),
			    now);
		else if (p <= now)
			dvmrp_nbr_vif_timeout(n,
			    heap_entry(heap_top(&n->probes),
				struct dvmrp_nbr_vif, hp),
			    now);
		else
			break;
	}
}

mc_time_t
dvmrp_nbr_next_deadline(const struct dvmrp_nbr *n)
{
	return mc_time_min(heap_next(&n->expiry), heap_next(&n->probes));
}

/* ------------------------------------------------------------------ */
/* Views                                                              */

static void
dvmrp_nbr_view(const struct dvmrp_nbr_peer *p, struct dvmrp_nbr_view *v)
{
	v->vif = p->vif->index;
	v->addr = p->addr;
	v->state = p->state;
	v->refusal = p->refusal;
	v->genid = p->genid;
	v->caps = p->caps;
	v->minor = p->minor;
	v->major = p->major;
	v->since = p->since;
	v->up_since = p->up_since;
	v->last_probe = p->last_probe;
	v->last_listed_us = p->last_listed_us;
	v->grace_until = p->grace_until;
	v->expires = p->hp.at;
	v->probes = p->probes;
	v->restarts = p->restarts;
}

int
dvmrp_nbr_find(const struct dvmrp_nbr *n, unsigned vif, struct in_addr addr,
    struct dvmrp_nbr_view *v)
{
	const struct dvmrp_nbr_peer *p;

	if (vif >= DVMRP_NBR_MAX_VIFS)
		return -ENOENT;
	p = dvmrp_nbr_peer_find(n, vif, addr);
	if (p == NULL)
		return -ENOENT;
	dvmrp_nbr_view(p, v);
	return 0;
}

int
dvmrp_nbr_foreach(const struct dvmrp_nbr *n,
    int (*fn)(void *arg, const struct dvmrp_nbr_view *v), void *arg)
{
	const struct dvmrp_nbr_peer *p;
	struct dvmrp_nbr_view v;
	unsigned i;
	int rc;

	for (i = 0; i < DVMRP_NBR_MAX_VIFS; i++) {
		TAILQ_FOREACH(p, &n->vifs[i].peers, link) {
			dvmrp_nbr_view(p, &v);
			rc = fn(arg, &v);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

int
dvmrp_nbr_vif(const struct dvmrp_nbr *n, unsigned vif,
    struct dvmrp_nbr_vif_view *v)
{
	const struct dvmrp_nbr_vif *x;

	if (vif >= DVMRP_NBR_MAX_VIFS)
		return -EINVAL;
	x = &n->vifs[vif];
	memset(v, 0, sizeof(*v));
	v->vif = vif;
	v->up = x->up;
	v->addr = x->addr;
	v->prefix_len = x->prefix_len;
	v->caps = dvmrp_nbr_caps(n, vif);
	v->neighbors = x->count;
	v->two_way = x->two_way;
	v->next_probe = x->next_probe_at;
	v->last_probe = x->probed ? x->last_probe_at : 0;
	return 0;
}

const struct dvmrp_nbr_stats *
dvmrp_nbr_stats(const struct dvmrp_nbr *n)
{
	return &n->stats;
}

size_t
dvmrp_nbr_memory(const struct dvmrp_nbr *n)
{
	return sizeof(*n) +
	    ((size_t)1 << n->peers.bits) * sizeof(*n->peers.buckets) +
	    n->expiry.cap * sizeof(*n->expiry.v) +
	    n->probes.cap * sizeof(*n->probes.v) +
	    hash_count(&n->peers) * sizeof(struct dvmrp_nbr_peer);
}
