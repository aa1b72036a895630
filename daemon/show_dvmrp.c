/*
 * DVMRP's views for the control socket (show.c has the rest): show
 * neighbors, prunes, DVMRP's table in show routes, and its parts of show
 * stats and show status, from the router's engines (proto/router.h).
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "mcastd.h"
#include "show_int.h"

/* ---- DVMRP ---- */

/* "two-way": a neighbour's state as the views and the log write it. */
static const char *
show_nbr_state(enum dvmrp_nbr_state s)
{
	switch (s) {
	case DVMRP_NBR_ONE_WAY:
		return "one-way";
	case DVMRP_NBR_TWO_WAY:
		return "two-way";
	case DVMRP_NBR_REFUSED:
		return "refused";
	default:
		return "down";
	}
}

/* Seconds since a time, whole. */
static void
show_age(struct control_reply *r, const char *key, mc_time_t since,
    mc_time_t now)
{
	control_num(r, key, "%.0f",
	    (double)(now > since ? now - since : 0) / 1000);
}

/* "prune,genid,mtrace" as a list field (none: empty). */
static void
show_caps(struct control_reply *r, const char *key, uint8_t caps)
{
	char names[64], *p, *save = NULL;

	dvmrp_nbr_caps_name(caps, names, sizeof(names));
	control_list_begin(r, key);
	for (p = strtok_r(names, ",", &save); caps != 0 && p != NULL;
	     p = strtok_r(NULL, ",", &save))
		control_list_add(r, "%s", p);
	control_list_end(r);
}

int
show_neighbor(void *arg, const struct dvmrp_nbr_view *v)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	char a[INET_ADDRSTRLEN];

	control_record(r, "neighbor");
	control_field(r, "interface", "%s", show_vif_name(c->d, v->vif));
	control_field(r, "address", "%s", mcastd_ip_str(v->addr, a));
	control_field(r, "state", "%s", show_nbr_state(v->state));
	if (v->state == DVMRP_NBR_REFUSED)
		control_field(r, "refused", "%s",
		    dvmrp_nbr_refusal_name(v->refusal));
	else
		control_null(r, "refused");
	control_field(r, "version", "%u.%u", v->major, v->minor);
	show_caps(r, "capabilities", v->caps);
	control_num(r, "genid", "%lu", (unsigned long)v->genid);
	/* Since first heard, or since its last restart. */
	show_age(r, "uptime", v->since, c->now);
	show_secs(r, "expires", v->expires, c->now);
	control_num(r, "probes", "%llu", (unsigned long long)v->probes);
	control_num(r, "restarts", "%lu", (unsigned long)v->restarts);
	return control_full(r);
}

void
show_dvmrp_routes(struct show_ctx *c)
{
	const struct dvmrp_rib *rib = router_dvmrp_routes(c->d->router);
	struct control_reply *r = c->r;
	struct dvmrp_rib_route_view v;
	char o[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];
	unsigned k;
	size_t i;

	for (i = 0;
	     rib != NULL && !control_full(r) && dvmrp_rib_route_at(rib, i, &v);
	     i++) {
		control_record(r, "dvmrp_route");
		control_field(r, "origin", "%s/%u", mcastd_ip_str(v.origin, o),
		    (unsigned)__builtin_popcount(v.mask.s_addr));
		control_field(r, "state", "%s", dvmrp_rib_state_name(v.state));
		control_field(r, "interface", "%s", show_vif_name(c->d, v.vif));
		control_field(r, "neighbor", "%s",
		    v.neighbor.s_addr == INADDR_ANY ?
			"connected" :
			mcastd_ip_str(v.neighbor, n));
		control_num(r, "metric", "%u", v.metric);
		show_secs(r, "expires", v.expires, c->now);
		show_vif_list(c->d, r, "children", v.children);
		control_items(r, "dependents");
		for (k = 0; k < v.ndependents; k++) {
			control_item(r, "dependents");
			control_field(r, "address", "%s",
			    mcastd_ip_str(v.dependents[k].addr, n));
			control_field(r, "interface", "%s",
			    show_vif_name(c->d, v.dependents[k].vif));
		}
	}
}

int
show_prune(void *arg, const struct dvmrp_prune_view *v)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	char o[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];

	control_record(r, "prune");
	control_field(r, "origin", "%s/%u", mcastd_ip_str(v->origin, o),
	    (unsigned)__builtin_popcount(v->mask.s_addr));
	control_field(r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(r, "direction", "%s", v->sent ? "sent" : "received");
	/* Sent: the upstream; received: the downstream VIF and neighbour. */
	control_field(r, "interface", "%s", show_vif_name(c->d, v->vif));
	control_field(r, "neighbor", "%s", mcastd_ip_str(v->nbr, n));
	if (v->sent)
		control_field(r, "state", "%s",
		    dvmrp_prune_state_name(v->state));
	else
		control_null(r, "state");
	if (v->sent && v->state == DVMRP_PRUNE_GRAFTING)
		control_null(r, "remaining");
	else
		control_num(r, "remaining", "%.1f",
		    (double)v->remaining_ms / 1000);
	if (v->sent)
		control_num(r, "retransmissions", "%lu",
		    (unsigned long)v->rexmits);
	else
		control_null(r, "retransmissions");
	return control_full(r);
}

struct show_prune_count {
	unsigned sent, received;
};

static int
show_prune_count(void *arg, const struct dvmrp_prune_view *v)
{
	struct show_prune_count *n = arg;

	if (v->sent)
		n->sent++;
	else
		n->received++;
	return 0;
}

static void
show_stats_dvmrp_nbr(struct control_reply *r, const struct dvmrp_nbr *n)
{
	const struct dvmrp_nbr_stats *s = dvmrp_nbr_stats(n);
	int k;

	show_stat(r, "dvmrp.nbr.rx_probes", s->rx_probes);
	for (k = 0; k < DVMRP_NBR_IGN_COUNT; k++)
		show_stat_named(r, "dvmrp.nbr.rx_ignored.",
		    dvmrp_nbr_ignored_name((enum dvmrp_nbr_ignored)k), " -",
		    s->rx_ignored[k]);
	show_stat(r, "dvmrp.nbr.refused_non_pruner", s->refused_non_pruner);
	show_stat(r, "dvmrp.nbr.refused_old_version", s->refused_old_version);
	show_stat(r, "dvmrp.nbr.limit_neighbors", s->limit_neighbors);
	show_stat(r, "dvmrp.nbr.probes_sent", s->probes_sent);
	show_stat(r, "dvmrp.nbr.probes_sent_extra", s->probes_sent_extra);
	show_stat(r, "dvmrp.nbr.probes_held", s->probes_held);
	show_stat(r, "dvmrp.nbr.probe_list_truncated", s->probe_list_truncated);
	show_stat(r, "dvmrp.nbr.adjacencies", s->adjacencies);
	for (k = 0; k < DVMRP_NBR_DOWN_REASON_COUNT; k++)
		show_stat_named(r, "dvmrp.nbr.down.",
		    dvmrp_nbr_down_reason_name((enum dvmrp_nbr_down_reason)k),
		    " -", s->down[k]);
	show_stat(r, "dvmrp.nbr.restarts", s->restarts);
	show_stat(r, "dvmrp.nbr.restart_grace", s->restart_grace);
	show_stat(r, "dvmrp.nbr.reports_requested", s->reports_requested);
	show_stat(r, "dvmrp.nbr.neighbors", s->neighbors);
	show_stat(r, "dvmrp.nbr.two_way", s->two_way);
	show_stat(r, "dvmrp.nbr.unexpected_events", s->unexpected_events);
	show_stat(r, "dvmrp.nbr.engine_bytes", dvmrp_nbr_memory(n));
}

static void
show_stats_dvmrp_rib(struct control_reply *r, const struct dvmrp_rib *rib)
{
	struct dvmrp_rib_stats s;

	dvmrp_rib_stats(rib, &s);
	show_stat(r, "dvmrp.rib.reports_in", s.reports_in);
	show_stat(r, "dvmrp.rib.reports_refused", s.reports_refused);
	show_stat(r, "dvmrp.rib.entries_in", s.entries_in);
	show_stat(r, "dvmrp.rib.entries_bad_metric", s.entries_bad_metric);
	show_stat(r, "dvmrp.rib.entries_bad_mask", s.entries_bad_mask);
	show_stat(r, "dvmrp.rib.entries_bad_origin", s.entries_bad_origin);
	show_stat(r, "dvmrp.rib.route_limit", s.route_limit);
	show_stat(r, "dvmrp.rib.neighbor_limit", s.neighbor_limit);
	show_stat(r, "dvmrp.rib.reports_out", s.reports_out);
	show_stat(r, "dvmrp.rib.triggered_out", s.triggered_out);
	show_stat(r, "dvmrp.rib.routes_out", s.routes_out);
	show_stat(r, "dvmrp.rib.holddowns", s.holddowns);
	show_stat(r, "dvmrp.rib.routes_removed", s.routes_removed);
	show_stat(r, "dvmrp.rib.unfeasible", s.unfeasible);
	show_stat(r, "dvmrp.rib.routes", dvmrp_rib_route_count(rib));
}

static void
show_stats_dvmrp_prune(struct control_reply *r, const struct dvmrp_prune *p)
{
	const struct dvmrp_prune_stats *s = dvmrp_prune_stats(p);

	show_stat(r, "dvmrp.prune.prunes_rx", s->prunes_rx);
	show_stat(r, "dvmrp.prune.grafts_rx", s->grafts_rx);
	show_stat(r, "dvmrp.prune.graft_acks_rx", s->graft_acks_rx);
	show_stat(r, "dvmrp.prune.prunes_tx", s->prunes_tx);
	show_stat(r, "dvmrp.prune.prune_rexmits", s->prune_rexmits);
	show_stat(r, "dvmrp.prune.grafts_tx", s->grafts_tx);
	show_stat(r, "dvmrp.prune.graft_rexmits", s->graft_rexmits);
	show_stat(r, "dvmrp.prune.graft_acks_tx", s->graft_acks_tx);
	show_stat(r, "dvmrp.prune.non_neighbor", s->non_neighbor);
	show_stat(r, "dvmrp.prune.unknown_entry", s->unknown_entry);
	show_stat(r, "dvmrp.prune.unexpected_ack", s->unexpected_ack);
	show_stat(r, "dvmrp.prune.wrong_vif", s->wrong_vif);
	show_stat(r, "dvmrp.prune.short_lifetime", s->short_lifetime);
	show_stat(r, "dvmrp.prune.entry_cap", s->entry_cap);
	show_stat(r, "dvmrp.prune.prune_cap", s->prune_cap);
	show_stat(r, "dvmrp.prune.prunes_expired", s->prunes_expired);
	show_stat(r, "dvmrp.prune.entries", s->entries);
	show_stat(r, "dvmrp.prune.prunes", s->prunes);
	show_stat(r, "dvmrp.prune.engine_bytes", dvmrp_prune_memory(p));
}

/* What DVMRP sent, by code, what came where it does not run, and the
   engines' own counters (none before the engines exist). */
void
show_stats_dvmrp(struct mcastd *d, struct control_reply *r)
{
	const struct router_stats *rs = router_stats(d->router);
	int e;

	for (e = DVMRP_PROBE; e <= DVMRP_GRAFT_ACK; e++)
		show_stat_named(r, "dvmrp.tx.", dvmrp_code_name((uint8_t)e),
		    " ", rs->tx_dvmrp[e]);
	show_stat(r, "dvmrp.rx_off", rs->rx_dvmrp_off);
	show_stat(r, "dvmrp.rx_probe_cut", rs->rx_dvmrp_probe_cut);
	if (router_dvmrp_neighbors(d->router) != NULL)
		show_stats_dvmrp_nbr(r, router_dvmrp_neighbors(d->router));
	if (router_dvmrp_routes(d->router) != NULL)
		show_stats_dvmrp_rib(r, router_dvmrp_routes(d->router));
	if (router_dvmrp_prunes(d->router) != NULL)
		show_stats_dvmrp_prune(r, router_dvmrp_prunes(d->router));
}

/* DVMRP: the VIFs it runs on, its neighbours, routes and prunes now. */
void
show_status_dvmrp(struct mcastd *d, struct control_reply *r)
{
	const struct dvmrp_nbr *n = router_dvmrp_neighbors(d->router);
	const struct dvmrp_rib *rib = router_dvmrp_routes(d->router);
	const struct dvmrp_prune *p = router_dvmrp_prunes(d->router);
	struct show_prune_count pc = { 0, 0 };
	unsigned vif, on = 0;

	for (vif = 0; vif < ROUTER_MAXVIFS; vif++)
		on += router_dvmrp_running(d->router, vif);
	control_bool(r, "dvmrp", on > 0);
	control_num(r, "dvmrp_vifs", "%u", on);
	if (n == NULL || rib == NULL || p == NULL) {
		control_null(r, "dvmrp_neighbors");
		control_null(r, "dvmrp_two_way");
		control_null(r, "dvmrp_routes");
		control_null(r, "dvmrp_prunes_sent");
		control_null(r, "dvmrp_prunes_received");
		return;
	}
	dvmrp_prune_foreach(p, mcastd_now(), show_prune_count, &pc);
	control_num(r, "dvmrp_neighbors", "%llu",
	    (unsigned long long)dvmrp_nbr_stats(n)->neighbors);
	control_num(r, "dvmrp_two_way", "%llu",
	    (unsigned long long)dvmrp_nbr_stats(n)->two_way);
	control_num(r, "dvmrp_routes", "%zu", dvmrp_rib_route_count(rib));
	control_num(r, "dvmrp_prunes_sent", "%u", pc.sent);
	control_num(r, "dvmrp_prunes_received", "%u", pc.received);
}
