/*
 * The router library (router.h): life cycle, the output queue the engines
 * are drained into, timers, the kernel's inputs, and the views.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"

static const char *const router_event_names[] = {
	[ROUTER_EV_VIF_UP] = "vif-up",
	[ROUTER_EV_VIF_DOWN] = "vif-down",
	[ROUTER_EV_VIF_ADDRESS] = "vif-address",
	[ROUTER_EV_NO_FREE_VIF] = "no-free-vif",
	[ROUTER_EV_IGMP] = "igmp",
	[ROUTER_EV_RX_DROPPED] = "rx-dropped",
	[ROUTER_EV_RX_TTL] = "rx-ttl",
	[ROUTER_EV_RX_UNKNOWN] = "rx-unknown",
	[ROUTER_EV_TTL_STARVED] = "ttl-starved",
	[ROUTER_EV_MFC_LIMIT] = "mfc-limit",
	[ROUTER_EV_MFC_EMPTY] = "mfc-empty",
	[ROUTER_EV_MFC_NONEMPTY] = "mfc-nonempty",
	[ROUTER_EV_DVMRP_NEIGHBOR] = "dvmrp-neighbor",
};

const char *
router_event_name(enum router_event e)
{
	if ((unsigned)e >=
		sizeof(router_event_names) / sizeof(router_event_names[0]) ||
	    router_event_names[e] == NULL)
		return "?";
	return router_event_names[e];
}

void
router_config_defaults(struct router_config *c)
{
	memset(c, 0, sizeof(*c));
	mfc_config_defaults(&c->mfc);
	router_dvmrp_config_defaults(&c->dvmrp);
	igmp_router_config_defaults(&c->igmp);
}

/* ------------------------------------------------------------------ */
/* Outputs                                                            */

struct router_output *
router_emit(struct router *r, enum router_output_kind kind)
{
	struct router_output *o = outq_push(&r->outq, sizeof(*o));

	if (o == NULL) {
		r->stats.unexpected_events++;
		return NULL;
	}
	o->kind = kind;
	return o;
}

/* An event, about VIF vif (its name and ifindex filled) or none (-1). */
struct router_output *
router_emit_event(struct router *r, enum router_event event, int vif)
{
	struct router_output *o = router_emit(r, ROUTER_OUT_EVENT);
	const struct router_vif *v;

	if (o == NULL)
		return NULL;
	o->event = event;
	if (vif >= 0 && vif < ROUTER_MAXVIFS && r->vifs[vif].used) {
		v = &r->vifs[vif];
		o->vif = (unsigned)vif;
		o->ifindex = v->ifindex;
		memcpy(o->ifname, v->name, sizeof(o->ifname));
	}
	return o;
}

const struct router_output *
router_output(struct router *r)
{
	return outq_take(&r->outq);
}

/*
 * The composer's outputs, as the router's; DVMRP hears of the entries
 * that come, go, empty and fill (it prunes and grafts by them).
 */
void
router_drain_mfc(struct router *r, mc_time_t now)
{
	static const enum router_event events[] = {
		[MFC_OUT_EMPTY] = ROUTER_EV_MFC_EMPTY,
		[MFC_OUT_NONEMPTY] = ROUTER_EV_MFC_NONEMPTY,
		[MFC_OUT_TTL_STARVED] = ROUTER_EV_TTL_STARVED,
		[MFC_OUT_LIMIT] = ROUTER_EV_MFC_LIMIT,
	};
	const struct mfc_output *m;
	struct router_output *o;

	while ((m = mfc_output(r->mfc)) != NULL) {
		switch (m->kind) {
		case MFC_OUT_ADD:
			o = router_emit(r, ROUTER_OUT_MFC_ADD);
			if (o == NULL)
				continue;
			o->iif = m->iif;
			memcpy(o->ttls, m->ttls, sizeof(o->ttls));
			o->replace = m->replace;
			break;
		case MFC_OUT_DEL:
			o = router_emit(r, ROUTER_OUT_MFC_DEL);
			break;
		default:
			o = router_emit_event(r, events[m->kind],
			    m->kind == MFC_OUT_LIMIT ? -1 : (int)m->iif);
			if (o == NULL)
				continue;
			o->vif = m->iif;
			o->iif = m->iif;
			memcpy(o->ttls, m->ttls, sizeof(o->ttls));
			o->ttl = m->ttl;
			o->count = m->limit;
			break;
		}
		if (o != NULL) {
			o->source = m->source;
			o->group = m->group;
		}
		router_dvmrp_mfc_event(r, now, m->kind, m->replace, m->source,
		    m->group);
	}
	router_dvmrp_pump(r, now);
}

/*
 * A message of the IGMP protocol number (IGMP, DVMRP) to send out of VIF
 * vif in the IP header ipo describes: the packet lives in the output's
 * own record, after the structure.  false when it could not be queued.
 */
/*
 * A packet out of VIF vif, or (vif -1) wherever the kernel's unicast
 * routing sends it (ifindex 0): the output, or NULL (counted).
 */
struct router_output *
router_emit_ip(struct router *r, int vif, const struct igmp_ip_out *ipo,
    const uint8_t *msg, size_t msg_len)
{
	size_t room = msg_len + 24; /* the header with Router Alert */
	struct router_output *o;
	uint8_t *packet;
	int len;

	o = outq_push(&r->outq, sizeof(*o) + room);
	if (o == NULL) {
		r->stats.unexpected_events++;
		return NULL;
	}
	packet = (uint8_t *)(o + 1);
	len = igmp_ip_build_out(packet, room, ipo, msg, msg_len);
	if (len < 0) {
		/* Cannot happen: the engines' packets fit; keep it visible. */
		r->stats.unexpected_events++;
		o->kind = ROUTER_OUT_EVENT;
		o->event = ROUTER_EV_RX_DROPPED;
		o->error = len;
		return NULL;
	}
	o->kind = ROUTER_OUT_SEND;
	o->packet = packet;
	if (vif >= 0) {
		o->vif = (unsigned)vif;
		o->ifindex = r->vifs[vif].ifindex;
		memcpy(o->ifname, r->vifs[vif].name, sizeof(o->ifname));
	}
	o->dst = ipo->dst;
	o->len = (size_t)len;
	r->stats.tx++;
	return o;
}

bool
router_emit_packet(struct router *r, unsigned vif,
    const struct igmp_ip_out *ipo, const uint8_t *msg, size_t msg_len)
{
	return router_emit_ip(r, (int)vif, ipo, msg, msg_len) != NULL;
}

/* An IGMP message from VIF v's engine: TTL 1, Router Alert. */
static void
router_emit_igmp(struct router *r, const struct router_vif *v,
    const struct igmp_router_output *io)
{
	struct igmp_ip_out ipo = { .src = v->addr,
		.dst = io->dst,
		.ttl = 1,
		.router_alert = true };

	router_emit_packet(r, (unsigned)(v - r->vifs), &ipo, io->data, io->len);
}

static void
router_emit_igmp_event(struct router *r, unsigned vif,
    const struct igmp_router_output *io)
{
	struct router_output *o = router_emit_event(r, ROUTER_EV_IGMP,
	    (int)vif);

	if (o == NULL)
		return;
	o->igmp.event = io->event;
	o->igmp.ignored = io->ignored;
	o->igmp.from = io->from;
	o->igmp.to = io->to;
	o->igmp.group = io->group;
	o->igmp.previous = io->previous;
	o->igmp.type = io->type;
	o->igmp.version = io->version;
	o->igmp.count = io->count;
}

/* Everything VIF v's IGMP engine has to say, in order. */
static void
router_pump_vif(struct router *r, mc_time_t now, unsigned vif)
{
	struct igmp_router_output *io = &r->igmp_out;
	struct router_vif *v = &r->vifs[vif];

	while (igmp_router_output(v->igmp, io)) {
		switch (io->kind) {
		case IGMP_ROUTER_OUT_PACKET:
			router_emit_igmp(r, v, io);
			break;
		case IGMP_ROUTER_OUT_MEMBERSHIP:
			mfc_membership(r->mfc, now, MFC_ORIGIN_IGMP, vif,
			    io->group, io->mode, io->sources, io->nsources);
			router_drain_mfc(r, now);
			router_dvmrp_member(r, now, vif, io->group);
			break;
		case IGMP_ROUTER_OUT_EVENT:
			router_emit_igmp_event(r, vif, io);
			break;
		}
	}
}

void
router_pump(struct router *r, mc_time_t now)
{
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used)
			router_pump_vif(r, now, v);
	router_drain_mfc(r, now);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                         */

struct router *
router_new(const struct router_config *c, uint64_t rng_seed,
    mc_trace_fn trace_fn, void *trace_arg)
{
	struct mc_rng rng = { rng_seed };
	struct router *r;
	size_t i;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->rt_routes = calloc(ROUTER_MAX_RUNTIME, sizeof(*r->rt_routes));
	r->trace.fn = trace_fn;
	r->trace.arg = trace_arg;
	r->seed = mc_rng_next(&rng);
	r->mfc = mfc_new(&c->mfc, mc_rng_next(&rng), trace_fn, trace_arg);
	for (i = 0; i < ROUTER_MAX_IFACES; i++)
		r->ifaces[i].vif = -1;
	outq_init(&r->outq);
	if (r->rt_routes == NULL || r->mfc == NULL ||
	    router_configure(r, 0, c) != 0) {
		router_free(r);
		return NULL;
	}
	return r;
}

void
router_free(struct router *r)
{
	size_t v;

	if (r == NULL)
		return;
	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used)
			igmp_router_free(r->vifs[v].igmp);
	router_dvmrp_fini(r);
	mfc_free(r->mfc);
	outq_fini(&r->outq);
	router_config_free(r);
	free(r->rt_routes);
	free(r->applied);
	for (v = 0; v < r->npushed; v++)
		free(r->pushed[v].src);
	free(r->pushed);
	free(r);
}

/* ------------------------------------------------------------------ */
/* Timers and the kernel's inputs                                     */

mc_time_t
router_next_deadline(const struct router *r)
{
	mc_time_t next = mfc_next_deadline(r->mfc), t;
	unsigned v;

	next = mc_time_min(next, router_dvmrp_next_deadline(r));
	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used &&
		    (t = igmp_router_next_deadline(r->vifs[v].igmp)) < next)
			next = t;
	return next;
}

void
router_timeout(struct router *r, mc_time_t now)
{
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used &&
		    igmp_router_next_deadline(r->vifs[v].igmp) <= now) {
			igmp_router_timeout(r->vifs[v].igmp, now);
			router_pump_vif(r, now, v);
		}
	if (mfc_next_deadline(r->mfc) <= now)
		mfc_timeout(r->mfc, now);
	router_drain_mfc(r, now);
	if (router_dvmrp_next_deadline(r) <= now)
		router_dvmrp_timeout(r, now);
	r->last_now = now;
}

void
router_upcall(struct router *r, mc_time_t now, enum mfc_upcall_kind kind,
    unsigned vif, struct in_addr source, struct in_addr group)
{
	mfc_upcall(r->mfc, now, kind, source, group, vif);
	router_drain_mfc(r, now);
}

void
router_mfc_counters(struct router *r, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t bytes, uint64_t wrong_if)
{
	mfc_counters(r->mfc, now, source, group, packets, bytes, wrong_if);
}

void
router_ttl_sample(struct router *r, mc_time_t now, unsigned ifindex,
    struct in_addr source, struct in_addr group, uint8_t ttl)
{
	int vif = router_vif_of_ifindex(r, ifindex);

	if (vif < 0)
		return;
	mfc_ttl_sample(r->mfc, now, (unsigned)vif, source, group, ttl);
	router_drain_mfc(r, now);
}

void
router_resync(struct router *r)
{
	mfc_resync(r->mfc);
	router_drain_mfc(r, r->last_now);
}

/* ------------------------------------------------------------------ */
/* Views                                                              */

int
router_vif(const struct router *r, unsigned vif, struct router_vif_view *out)
{
	const struct router_vif *v;

	if (vif >= ROUTER_MAXVIFS || !r->vifs[vif].used)
		return -ENOENT;
	v = &r->vifs[vif];
	memset(out, 0, sizeof(*out));
	out->vif = vif;
	out->ifindex = v->ifindex;
	out->name = v->name;
	out->addr = v->addr;
	out->prefix_len = v->prefix_len;
	out->threshold = v->threshold;
	out->nboundaries = v->nboundaries;
	out->boundaries = v->boundaries;
	out->igmp = v->igmp;
	out->igmp_config = &v->igmp_config;
	out->created = v->created;
	out->rx = v->rx;
	return 0;
}

int
router_vif_of_ifindex(const struct router *r, unsigned ifindex)
{
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used && r->vifs[v].ifindex == ifindex)
			return (int)v;
	return -1;
}

int
router_foreach_static_group(const struct router *r,
    int (*fn)(void *arg, const struct router_static_group *g, bool runtime),
    void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < r->nstatics; i++)
		if ((rc = fn(arg, &r->statics[i], false)) != 0)
			return rc;
	for (i = 0; i < r->njoins; i++)
		if ((rc = fn(arg, &r->joins[i], true)) != 0)
			return rc;
	return 0;
}

const struct mfc *
router_mfc(const struct router *r)
{
	return r->mfc;
}

const struct router_stats *
router_stats(const struct router *r)
{
	return &r->stats;
}
