/*
 * The views of the control socket (daemon/control.h): show interfaces,
 * groups, tunnels, routes, neighbors, prunes, mfc, stats, status (the
 * requests are in command.c; DVMRP's parts in show_dvmrp.c).
 * Records carry typed fields (strings, numbers, lists, lists
 * of items with parts); mcastctl turns them into tables or JSON.  The
 * views come from the router (proto/router.h) and, for counters, from the
 * kernel at the time of asking.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "log.h"
#include "mcastd.h"
#include "request.h"
#include "show_int.h"

/* Seconds until an expiry time; absent for none. */
void
show_secs(struct control_reply *r, const char *key, mc_time_t when,
    mc_time_t now)
{
	if (when == 0 || when == MC_TIME_NEVER)
		control_null(r, key);
	else
		control_num(r, key, "%.1f",
		    when > now ? (double)(when - now) / 1000 : 0.0);
}

/* A VIF's interface name, or "?" when it is gone. */
const char *
show_vif_name(const struct mcastd *d, unsigned vif)
{
	struct router_vif_view v;

	return router_vif(d->router, vif, &v) == 0 ? v.name : "?";
}

/* The names of the origins in a why-mask, as a list field. */
static void
show_why(struct control_reply *r, const char *key, unsigned why)
{
	unsigned o;

	control_list_begin(r, key);
	for (o = 0; o < MFC_ORIGIN_COUNT; o++)
		if (why & MFC_WHY(o))
			control_list_add(r, "%s", mfc_origin_name(o));
	control_list_end(r);
}

/* ---- interfaces ---- */

static int
show_iface(void *arg, const struct router_iface_view *ifc)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	struct kmr_vif_counters kc;
	struct router_vif_view v;
	char a[INET_ADDRSTRLEN], q[INET_ADDRSTRLEN];
	bool vif = ifc->vif >= 0 &&
	    router_vif(c->d->router, (unsigned)ifc->vif, &v) == 0;
	bool counted = vif &&
	    kmr_vif_count(&c->d->kmr, (unsigned)ifc->vif, &kc) == 0;
	unsigned k;

	if (ifc->state == ROUTER_IFACE_LOOPBACK)
		return 0;
	control_record(r, "interface");
	control_field(r, "name", "%s", ifc->name);
	if (vif)
		control_num(r, "vif", "%d", ifc->vif);
	else
		control_null(r, "vif");
	control_num(r, "ifindex", "%u", ifc->ifindex);
	control_field(r, "address", "%s",
	    ifc->has_addr ? mcastd_ip_str(ifc->addr, a) : "");
	control_field(r, "state", "%s", router_iface_state_name(ifc->state));
	if (!vif) {
		control_null(r, "threshold");
		control_null(r, "igmp");
		control_null(r, "querier");
		control_null(r, "groups");
		control_null(r, "packets_in");
		control_null(r, "packets_out");
		control_null(r, "bytes_in");
		control_null(r, "bytes_out");
		control_list_begin(r, "boundaries");
		control_list_end(r);
		control_null(r, "dvmrp");
		control_null(r, "metric");
		return 0;
	}
	control_num(r, "threshold", "%u", v.threshold);
	control_field(r, "igmp", "v%u", v.igmp_config->version);
	control_field(r, "querier", "%s",
	    igmp_router_is_querier(v.igmp) ?
		"self" :
		mcastd_ip_str(igmp_router_querier(v.igmp), q));
	control_num(r, "groups", "%llu",
	    (unsigned long long)igmp_router_stats(v.igmp)->groups);
	/* The kernel's own counters of the VIF (SIOCGETVIFCNT). */
	if (counted) {
		control_num(r, "packets_in", "%llu",
		    (unsigned long long)kc.in_packets);
		control_num(r, "packets_out", "%llu",
		    (unsigned long long)kc.out_packets);
		control_num(r, "bytes_in", "%llu",
		    (unsigned long long)kc.in_bytes);
		control_num(r, "bytes_out", "%llu",
		    (unsigned long long)kc.out_bytes);
	} else {
		control_null(r, "packets_in");
		control_null(r, "packets_out");
		control_null(r, "bytes_in");
		control_null(r, "bytes_out");
	}
	control_list_begin(r, "boundaries");
	for (k = 0; k < v.nboundaries; k++)
		control_list_add(r, "%s/%u",
		    mcastd_ip_str(v.boundaries[k].addr, a),
		    v.boundaries[k].len);
	control_list_end(r);
	/* DVMRP runs there (on by default), and its metric (1 unless set). */
	control_bool(r, "dvmrp",
	    router_dvmrp_running(c->d->router, (unsigned)ifc->vif));
	control_num(r, "metric", "%u",
	    router_dvmrp_vif_metric(c->d->router, (unsigned)ifc->vif));
	return control_full(r);
}

/* ---- tunnels ---- */

static void
show_tunnel_count(struct control_reply *r, const char *key, bool open,
    uint64_t value)
{
	if (open)
		control_num(r, key, "%llu", (unsigned long long)value);
	else
		control_null(r, key);
}

/* One record per tunnel statement, open or not (its device failed). */
static void
show_tunnels(struct show_ctx *c)
{
	struct control_reply *r = c->r;
	char a[INET_ADDRSTRLEN];
	size_t i, k;

	for (i = 0; i < c->d->conf.ntunnels; i++) {
		const struct conf_tunnel *ct = &c->d->conf.tunnels[i];
		const struct tun *t = NULL;
		const struct tun_stats *st;
		int vif;

		for (k = 0; k < CONF_MAX_TUNNELS; k++)
			if (c->d->tunnels[k].open &&
			    strcmp(c->d->tunnels[k].cfg.name, ct->name) == 0)
				t = &c->d->tunnels[k];
		st = t != NULL ? &t->stats : NULL;
		vif = router_vif_by_name(c->d->router, ct->name);
		control_record(r, "tunnel");
		control_field(r, "name", "%s", ct->name);
		if (vif >= 0)
			control_num(r, "vif", "%d", vif);
		else
			control_null(r, "vif");
		control_field(r, "state", "%s",
		    t == NULL	 ? "closed" :
			vif >= 0 ? "routing" :
				   "open");
		control_field(r, "local", "%s", mcastd_ip_str(ct->local, a));
		control_field(r, "remote", "%s", mcastd_ip_str(ct->remote, a));
		control_field(r, "encap", "%s", conf_encap_name(ct->encap));
		if (ct->encap == CONF_ENCAP_UDP)
			control_num(r, "port", "%u", ct->port);
		else
			control_null(r, "port");
		control_num(r, "mtu", "%u", conf_tunnel_mtu(ct));
		show_tunnel_count(r, "packets_out", st,
		    st ? st->tx_packets : 0);
		show_tunnel_count(r, "bytes_out", st, st ? st->tx_bytes : 0);
		show_tunnel_count(r, "packets_in", st, st ? st->rx_packets : 0);
		show_tunnel_count(r, "bytes_in", st, st ? st->rx_bytes : 0);
		/* Of packets_in, those of the far end's control socket. */
		show_tunnel_count(r, "control_in", st, st ? st->rx_control : 0);
		/* Dropped on the way out: too big (a datagram the kernel split
		   counts once), not IPv4, refused by the socket. */
		show_tunnel_count(r, "out_oversize", st,
		    st ? st->tx_oversize : 0);
		show_tunnel_count(r, "out_fragments", st,
		    st ? st->tx_fragments : 0);
		show_tunnel_count(r, "out_other", st, st ? st->tx_other : 0);
		show_tunnel_count(r, "out_errors", st, st ? st->tx_errors : 0);
		/* Dropped on the way in: not from REMOTE, no datagram inside,
		   bigger than the MTU, reads and writes refused. */
		show_tunnel_count(r, "in_foreign", st, st ? st->rx_foreign : 0);
		show_tunnel_count(r, "in_malformed", st,
		    st ? st->rx_malformed : 0);
		show_tunnel_count(r, "in_oversize", st,
		    st ? st->rx_oversize : 0);
		show_tunnel_count(r, "in_errors", st, st ? st->rx_errors : 0);
		if (control_full(r))
			return;
	}
}

/* ---- groups ---- */

static int
show_group(void *arg, const struct igmp_router_group_view *v)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	uint32_t i;

	control_record(r, "group");
	control_field(r, "interface", "%s", c->vif_name);
	control_field(r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(r, "mode", "%s", igmp_filter_mode_name(v->mode));
	/* Forwarded: INCLUDE's A, EXCLUDE's X (timers running). */
	control_list_begin(r, "sources");
	for (i = 0; i < v->nsources; i++)
		if (v->sources[i].timer != 0)
			control_list_add(r, "%s",
			    mcastd_ip_str(v->sources[i].source, s));
	control_list_end(r);
	control_field(r, "compat", "v%u", v->compat_version);
	show_secs(r, "expires", v->group_timer, c->now);
	/* EXCLUDE's Y: not forwarded. */
	control_list_begin(r, "blocked");
	for (i = 0; i < v->nsources; i++)
		if (v->sources[i].timer == 0)
			control_list_add(r, "%s",
			    mcastd_ip_str(v->sources[i].source, s));
	control_list_end(r);
	control_field(r, "last_reporter", "%s",
	    mcastd_ip_str(v->last_reporter, s));
	control_num(r, "uptime", "%.0f",
	    (double)(c->now > v->since ? c->now - v->since : 0) / 1000);
	/* A reply past its cap is cut: the rest need not be built. */
	return control_full(r);
}

static int
show_static_group(void *arg, const struct router_static_group *j, bool runtime)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

	control_record(r, "group");
	control_field(r, "interface", "%s", j->ifname);
	control_field(r, "group", "%s", mcastd_ip_str(j->group, g));
	control_field(r, "mode", "%s", j->has_source ? "INCLUDE" : "EXCLUDE");
	control_list_begin(r, "sources");
	if (j->has_source)
		control_list_add(r, "%s", mcastd_ip_str(j->source, s));
	control_list_end(r);
	control_field(r, "compat", "%s", runtime ? "join" : "static");
	control_null(r, "expires");
	control_list_begin(r, "blocked");
	control_list_end(r);
	/* The configuration's and mcastctl's: no report, no age kept. */
	control_null(r, "last_reporter");
	control_null(r, "uptime");
	return control_full(r);
}

static void
show_groups(struct show_ctx *c)
{
	struct router_vif_view v;
	unsigned vif;

	for (vif = 0; vif < ROUTER_MAXVIFS && !control_full(c->r); vif++) {
		if (router_vif(c->d->router, vif, &v) != 0)
			continue;
		c->vif_name = v.name;
		igmp_router_foreach_group(v.igmp, show_group, c);
	}
	router_foreach_static_group(c->d->router, show_static_group, c);
}

/* ---- static routes ---- */

/* A list field of the names of the VIFs in mask. */
void
show_vif_list(struct mcastd *d, struct control_reply *r, const char *key,
    uint32_t mask)
{
	unsigned vif;

	control_list_begin(r, key);
	for (vif = 0; vif < ROUTER_MAXVIFS; vif++)
		if (mask & (1u << vif))
			control_list_add(r, "%s", show_vif_name(d, vif));
	control_list_end(r);
}

static int
show_route(void *arg, const struct router_route_view *v)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	const struct router_route *rt = v->route;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	unsigned i;

	control_record(r, "route");
	control_field(r, "source", "%s",
	    rt->has_source ? mcastd_ip_str(rt->source, s) : "*");
	if (rt->group_len != 32)
		control_field(r, "group", "%s/%u", mcastd_ip_str(rt->group, g),
		    rt->group_len);
	else
		control_field(r, "group", "%s", mcastd_ip_str(rt->group, g));
	control_field(r, "from", "%s", rt->iif);
	control_list_begin(r, "to");
	for (i = 0; i < rt->noifs; i++)
		control_list_add(r, "%s", rt->oifs[i]);
	control_list_end(r);
	control_field(r, "origin", "%s", v->runtime ? "mcastctl" : "file");
	control_field(r, "state", "%s",
	    v->shadowed	   ? "shadowed" :
		v->applied ? "applied" :
			     "waiting");
	/* The interfaces its names (and wildcards) match now. */
	show_vif_list(c->d, r, "in", v->applied ? v->iifs : 0);
	show_vif_list(c->d, r, "out", v->applied ? v->oifs : 0);
	/* The names that match no VIF now. */
	control_list_begin(r, "missing");
	for (i = 0; !v->shadowed && i <= rt->noifs; i++) {
		const char *name = i == 0 ? rt->iif : rt->oifs[i - 1];

		if (router_vifs_matching(c->d->router, name) == 0)
			control_list_add(r, "%s", name);
	}
	control_list_end(r);
	return control_full(r);
}

/* ---- forwarding entries ---- */

static int
show_mfc_entry(void *arg, const struct mfc_entry_view *v)
{
	struct show_ctx *c = arg;
	struct control_reply *r = c->r;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], note[96];
	unsigned vif;

	control_record(r, "mfc");
	control_field(r, "source", "%s", mcastd_ip_str(v->source, s));
	control_field(r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(r, "iif", "%s", show_vif_name(c->d, v->iif));
	/* Each oif with its TTL threshold and who asked for it (items). */
	control_items(r, "oifs");
	control_field(r, "origin", "%s", mfc_iif_origin_name(v->iif_origin));
	control_num(r, "packets", "%llu", (unsigned long long)v->packets);
	control_num(r, "bytes", "%llu", (unsigned long long)v->bytes);
	control_num(r, "wrong_if", "%llu", (unsigned long long)v->wrong_if);
	control_num(r, "age", "%.0f",
	    (double)(c->now - v->installed_at) / 1000);
	show_secs(r, "expires", v->expires, c->now);
	/*
	 * ttl-too-low (forwarded nowhere although it has oifs: mcastd.8,
	 * DIAGNOSTICS), or why there are no oifs.
	 */
	control_field(r, "note", "%s", mfc_entry_note(v, note, sizeof(note)));
	/* Each interface asked for but left out, and why (items). */
	control_items(r, "cut");
	for (vif = 0; vif < MFC_MAXVIFS; vif++) {
		if (!(v->oifs & (1u << vif)))
			continue;
		control_item(r, "oifs");
		control_field(r, "interface", "%s", show_vif_name(c->d, vif));
		control_num(r, "ttl", "%u", v->ttls[vif]);
		show_why(r, "why", v->why[vif]);
	}
	for (vif = 0; vif < MFC_MAXVIFS; vif++) {
		if (v->cut[vif] == MFC_CUT_NONE || v->cut[vif] == MFC_CUT_IIF)
			continue;
		control_item(r, "cut");
		control_field(r, "interface", "%s", show_vif_name(c->d, vif));
		control_field(r, "reason", "%s", mfc_cut_name(v->cut[vif]));
		show_why(r, "why", v->why[vif]);
	}
	return control_full(r);
}

/* ---- counters ---- */

void
show_stat(struct control_reply *r, const char *name, uint64_t value)
{
	control_record(r, "stat");
	control_field(r, "name", "%s", name);
	control_num(r, "value", "%llu", (unsigned long long)value);
}

/*
 * "igmp.rx.v2_report": prefix and name, with each character of as_underscore
 * (" " for most counters, " -" for the DVMRP neighbour engine's) written as
 * '_'.  The sets differ so that published keys keep their spelling.
 */
void
show_stat_named(struct control_reply *r, const char *prefix, const char *name,
    const char *as_underscore, uint64_t value)
{
	char full[96];
	size_t k;

	snprintf(full, sizeof(full), "%s%s", prefix, name);
	for (k = 0; full[k]; k++)
		if (strchr(as_underscore, full[k]) != NULL)
			full[k] = '_';
	show_stat(r, full, value);
}

static void
show_stats_igmp(struct mcastd *d, struct control_reply *r)
{
	const struct router_stats *rs = router_stats(d->router);
	struct igmp_router_stats sum;
	struct router_vif_view v;
	const struct igmp_router_stats *s;
	unsigned vif, k;
	size_t bytes = 0;

	memset(&sum, 0, sizeof(sum));
	for (vif = 0; vif < ROUTER_MAXVIFS; vif++) {
		if (router_vif(d->router, vif, &v) != 0)
			continue;
		s = igmp_router_stats(v.igmp);
		for (k = 0; k <= IGMP_KIND_UNKNOWN; k++)
			sum.rx[k] += s->rx[k];
		bytes += igmp_router_memory(v.igmp);
		sum.rx_ignored_no_router_alert += s->rx_ignored_no_router_alert;
		sum.rx_ignored_off_subnet += s->rx_ignored_off_subnet;
		sum.rx_ignored_ssm += s->rx_ignored_ssm;
		sum.rx_ignored_leave_v1_host += s->rx_ignored_leave_v1_host;
		sum.rx_ignored_bad_destination += s->rx_ignored_bad_destination;
		sum.limit_groups += s->limit_groups;
		sum.limit_sources += s->limit_sources;
		sum.queries_sent_general += s->queries_sent_general;
		sum.queries_sent_group += s->queries_sent_group;
		sum.queries_sent_group_source += s->queries_sent_group_source;
		sum.groups += s->groups;
		sum.unexpected_events += s->unexpected_events;
	}
	/* What the engines were given, by kind: "igmp.rx.v2_report". */
	for (k = 0; k < IGMP_KIND_DVMRP; k++)
		show_stat_named(r, "igmp.rx.", igmp_kind_name(k), " ",
		    sum.rx[k]);
	/* Unknown types stop at the demultiplexer. */
	show_stat(r, "igmp.rx.unknown", rs->rx_unknown);
	show_stat(r, "igmp.ignored_no_router_alert",
	    sum.rx_ignored_no_router_alert);
	show_stat(r, "igmp.ignored_off_subnet", sum.rx_ignored_off_subnet);
	show_stat(r, "igmp.ignored_ssm_rules", sum.rx_ignored_ssm);
	show_stat(r, "igmp.ignored_leave_v1_host",
	    sum.rx_ignored_leave_v1_host);
	show_stat(r, "igmp.ignored_bad_destination",
	    sum.rx_ignored_bad_destination);
	show_stat(r, "igmp.limit_groups_hit", sum.limit_groups);
	show_stat(r, "igmp.limit_sources_hit", sum.limit_sources);
	show_stat(r, "igmp.queries_general", sum.queries_sent_general);
	show_stat(r, "igmp.queries_group", sum.queries_sent_group);
	show_stat(r, "igmp.queries_group_source",
	    sum.queries_sent_group_source);
	show_stat(r, "igmp.groups", sum.groups);
	show_stat(r, "igmp.engine_bytes", bytes);
	show_stat(r, "igmp.unexpected_events", sum.unexpected_events);
}

/* The routing socket's demultiplexer: everything that came, by kind. */
static void
show_stats_rx(struct mcastd *d, struct control_reply *r)
{
	const struct router_stats *rs = router_stats(d->router);
	int e;

	show_stat(r, "igmp.rx", rs->rx);
	for (e = 1; e < IGMP_E_COUNT; e++)
		if (rs->rx_dropped[e] != 0)
			show_stat_named(r, "igmp.rx_dropped.",
			    igmp_error_name(-e), " ", rs->rx_dropped[e]);
	show_stat(r, "igmp.rx_not_on_a_vif", rs->rx_not_vif);
	show_stat(r, "igmp.rx_own", rs->rx_own);
	show_stat(r, "igmp.rx_in_transit", rs->rx_in_transit);
	show_stat(r, "igmp.tx_transit", rs->tx_transit);
	show_stat(r, "igmp.transit_ttl_expired", rs->transit_ttl_expired);
	show_stat(r, "igmp.transit_broadcast", rs->transit_broadcast);
	show_stat(r, "igmp.rx_membership", rs->rx_membership);
	show_stat(r, "igmp.rx_ttl_not_1", rs->rx_ttl_not_1);
	show_stat(r, "igmp.rx_on_tunnel", rs->rx_on_tunnel);
	for (e = DVMRP_PROBE; e <= DVMRP_GRAFT_ACK; e++)
		show_stat_named(r, "dvmrp.rx.", dvmrp_code_name((uint8_t)e),
		    " ", rs->rx_dvmrp[e]);
	show_stat(r, "dvmrp.rx.other_code", rs->rx_dvmrp[0]);
	/* What the codec refused; never an encoder's or a non-DVMRP kind. */
	for (e = DVMRP_E_TRUNCATED; e < DVMRP_E_COUNT; e++)
		if (e != DVMRP_E_NOT_DVMRP && e != DVMRP_E_NO_ROOM)
			show_stat_named(r, "dvmrp.rx_malformed.",
			    dvmrp_error_key(e), " ", rs->rx_dvmrp_malformed[e]);
	show_stat(r, "mtrace.rx.query", rs->rx_mtrace_query);
	show_stat(r, "mtrace.rx.response", rs->rx_mtrace_response);
	show_stat(r, "mtrace.last_hop_query", rs->mtrace_rx_query);
	show_stat(r, "mtrace.rx_request", rs->mtrace_rx_request);
	show_stat(r, "mtrace.tx_forwarded", rs->mtrace_tx_forwarded);
	show_stat(r, "mtrace.tx_response", rs->mtrace_tx_response);
	for (e = ROUTER_MTRACE_DROP_NONE + 1; e < ROUTER_MTRACE_DROP_COUNT; e++)
		show_stat_named(r, "mtrace.dropped.",
		    router_mtrace_drop_key((enum router_mtrace_drop)e), " ",
		    rs->mtrace_dropped[e]);
	/* What the codec refused of a query or request that passed the
	   demultiplexer (which counts short ones and bad checksums). */
	for (e = MTRACE_E_BLOCK_TRUNCATED; e <= MTRACE_E_MASK; e++)
		if (e != MTRACE_E_NO_BLOCK)
			show_stat_named(r, "mtrace.rx_malformed.",
			    mtrace_error_key(e), " ", rs->mtrace_malformed[e]);
	show_stat(r, "pim_v1.rx", rs->rx_pim_v1);
	show_stat(r, "igmp.tx", d->stats.tx);
	show_stat(r, "igmp.tx_errors", d->stats.tx_errors);
	show_stat(r, "rx.read_errors", d->stats.rx_errors);
}

static void
show_stats(struct mcastd *d, struct control_reply *r)
{
	const struct mfc_stats *ms = mfc_stats(router_mfc(d->router));
	const struct router_stats *rs = router_stats(d->router);
	const struct control_stats *cs = control_stats(d->ctl);

	show_stats_rx(d, r);
	show_stats_igmp(d, r);
	show_stats_dvmrp(d, r);
	show_stat(r, "upcalls", d->stats.upcalls);
	show_stat(r, "upcalls.nocache", ms->upcalls[MFC_UPCALL_NOCACHE]);
	show_stat(r, "upcalls.wrongvif", ms->upcalls[MFC_UPCALL_WRONGVIF]);
	show_stat(r, "upcalls.unknown", d->stats.upcalls_unknown);
	show_stat(r, "mfc.entries", ms->entries);
	show_stat(r, "mfc.installs", ms->installs);
	show_stat(r, "mfc.replaces", ms->replaces);
	show_stat(r, "mfc.deletes", ms->deletes);
	show_stat(r, "mfc.expiries", ms->expiries);
	show_stat(r, "mfc.limit_hit", ms->limit_entries);
	show_stat(r, "mfc.flushed", ms->flushed);
	show_stat(r, "mfc.ttl_too_low", ms->ttl_starved);
	show_stat(r, "mfc.became_empty", ms->empty);
	show_stat(r, "mfc.became_nonempty", ms->nonempty);
	show_stat(r, "ttl_check.samples", d->tap.samples);
	show_stat(r, "mfc.boundary_drops", ms->boundary_drops);
	show_stat(r, "mfc.kernel_errors", d->stats.mfc_errors);
	show_stat(r, "mfc.counter_reads", d->stats.counter_reads);
	show_stat(r, "mfc.counter_errors", d->stats.counter_errors);
	show_stat(r, "vif.errors", d->stats.vif_errors);
	show_stat(r, "vif.refused", rs->vif_refused);
	show_stat(r, "vif.no_free_vif", rs->no_free_vif);
	show_stat(r, "vif.join_errors", d->stats.join_errors);
	show_stat(r, "router.unexpected_events",
	    rs->unexpected_events + ms->unexpected_events);
	show_stat(r, "netlink.resyncs", d->stats.netlink_resyncs);
	show_stat(r, "control.requests", cs->requests);
	show_stat(r, "control.bad_requests", cs->bad_requests);
	show_stat(r, "control.clients_dropped", cs->clients_dropped);
	show_stat(r, "reloads", d->stats.reloads);
	show_stat(r, "reload_errors", d->stats.reload_errors);
}

/* limits { mfc-entries }: the cap, and whether flows are refused now. */
static void
show_mfc_limit(struct control_reply *r, const struct mfc *m)
{
	struct mfc_limit_view l;

	mfc_limit(m, &l);
	control_num(r, "mfc_dynamic_entries", "%llu",
	    (unsigned long long)l.dynamic_entries);
	if (l.limit != 0)
		control_num(r, "mfc_limit", "%u", l.limit);
	else
		control_null(r, "mfc_limit");
	control_bool(r, "mfc_limit_reached", l.reached);
	control_num(r, "mfc_flows_refused", "%u", l.flows_refused);
}

static void
show_status(struct mcastd *d, struct control_reply *r)
{
	struct router_vif_view v;
	unsigned vif, nvifs = 0, queriers = 0;

	for (vif = 0; vif < ROUTER_MAXVIFS; vif++)
		if (router_vif(d->router, vif, &v) == 0) {
			nvifs++;
			queriers += igmp_router_is_querier(v.igmp);
		}
	control_record(r, "daemon");
	control_field(r, "version", "%s", MCAST_VERSION);
	control_num(r, "pid", "%d", (int)getpid());
	control_num(r, "uptime", "%.0f",
	    (double)(mcastd_now() - d->started) / 1000);
	control_field(r, "config", "%s", d->conf_path);
	control_num(r, "vifs", "%u", nvifs);
	control_num(r, "querier_on", "%u", queriers);
	control_num(r, "mfc_entries", "%llu",
	    (unsigned long long)mfc_stats(router_mfc(d->router))->entries);
	show_mfc_limit(r, router_mfc(d->router));
	show_status_dvmrp(d, r);
	control_field(r, "log", "%s", log_level_name(log_get_level()));
}

void
show_view(struct mcastd *d, const char *what, struct control_reply *r)
{
	struct show_ctx c = { .d = d, .r = r, .now = mcastd_now() };
	struct mfc_limit_view limit;

	if (strcmp(what, "interfaces") == 0)
		router_foreach_iface(d->router, show_iface, &c);
	else if (strcmp(what, "groups") == 0)
		show_groups(&c);
	else if (strcmp(what, "tunnels") == 0)
		show_tunnels(&c);
	else if (strcmp(what, "routes") == 0) {
		/* The static routes, then DVMRP's table (a table of its own:
		   JSON key dvmrp_route beside route). */
		router_foreach_route(d->router, show_route, &c);
		show_dvmrp_routes(&c);
	} else if (strcmp(what, "neighbors") == 0) {
		if (router_dvmrp_neighbors(d->router) != NULL)
			dvmrp_nbr_foreach(router_dvmrp_neighbors(d->router),
			    show_neighbor, &c);
	} else if (strcmp(what, "prunes") == 0) {
		if (router_dvmrp_prunes(d->router) != NULL)
			dvmrp_prune_foreach(router_dvmrp_prunes(d->router),
			    c.now, show_prune, &c);
	} else if (strcmp(what, "mfc") == 0) {
		/* The kernel's counters as they are now. */
		mcastd_read_counters(d, c.now);
		mfc_foreach_entry(router_mfc(d->router), show_mfc_entry, &c);
		/* A table of its own after the entries, only when it bites. */
		mfc_limit(router_mfc(d->router), &limit);
		if (limit.reached) {
			control_record(r, "limit");
			show_mfc_limit(r, router_mfc(d->router));
		}
	} else if (strcmp(what, "stats") == 0)
		show_stats(d, r);
	else if (strcmp(what, "status") == 0)
		show_status(d, r);
	else {
		control_end(r, 2,
		    "show '%s': expected interfaces, groups, tunnels, "
		    "routes, neighbors, prunes, mfc, stats or status",
		    what);
		return;
	}
	control_end(r, 0, "ok");
}
