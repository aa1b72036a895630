/*
 * Answers to the control socket (daemon/control.h): show interfaces,
 * groups, routes, mfc, stats, status; reload; log LEVEL; add/del mroute;
 * join/leave.  Records carry one field per column; mcastctl turns them into
 * tables or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "log.h"
#include "mcastd.h"
#include "request.h"

struct show_ctx {
	struct mcastd		*d;
	struct control_reply	*r;
	const struct vif	*vif;
	mc_time_t		 now;
};


/* Seconds until an expiry time, or "-" for none. */
static void
show_secs(struct control_reply *r, const char *key, mc_time_t when,
    mc_time_t now)
{
	if (when == 0 || when == MC_TIME_NEVER)
		control_field(r, key, "-");
	else
		control_field(r, key, "%.1f", when > now ?
		    (double)(when - now) / 1000 : 0.0);
}

/* "eth1(1),eth2(16)": the VIFs of a mask or TTL array by name. */
/* "eth1(16),eth2(1)": every VIF with its threshold, names at their longest. */
#define SHOW_VIF_LIST_MAX	(KMR_MAXVIFS * (IF_NAMESIZE + sizeof("(255),")))

static void
show_vif_list(struct mcastd *d, const uint8_t *ttls, uint32_t mask,
    char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < KMR_MAXVIFS && off < len; v++) {
		if (ttls ? ttls[v] == 0 : !(mask & (1u << v)))
			continue;
		if (ttls)
			off += (size_t)snprintf(buf + off, len - off, "%s%s(%u)",
			    off ? "," : "", d->vifs[v].used ? d->vifs[v].name :
			    "?", ttls[v]);
		else
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? "," : "", d->vifs[v].used ? d->vifs[v].name :
			    "?");
	}
}

static void
show_interfaces(struct mcastd *d, struct control_reply *r)
{
	char a[INET_ADDRSTRLEN], q[INET_ADDRSTRLEN], b[256];
	size_t i, off;
	unsigned k;

	for (i = 0; i < MCASTD_MAX_IFACES; i++) {
		const struct iface *ifc = &d->ifaces[i];
		const struct vif *vif;

		if (!ifc->used || (ifc->flags & IFF_LOOPBACK))
			continue;
		vif = ifc->vif >= 0 ? &d->vifs[ifc->vif] : NULL;
		control_record(r, "interface");
		control_field(r, "name", "%s", ifc->name);
		if (vif)
			control_field(r, "vif", "%d", ifc->vif);
		else
			control_field(r, "vif", "-");
		control_field(r, "ifindex", "%u", ifc->ifindex);
		control_field(r, "address", "%s", ifc->has_v4 ?
		    mcastd_ip_str(ifc->addr, a) : "-");
		control_field(r, "state", "%s", vif ? "routing" :
		    !(ifc->flags & IFF_UP) ? "down" :
		    !(ifc->flags & IFF_MULTICAST) ? "no-multicast" :
		    !ifc->has_v4 ? "no-address" : "disabled");
		if (vif == NULL)
			continue;
		control_field(r, "threshold", "%u", vif->threshold);
		control_field(r, "igmp", "v%u", vif->igmp_conf.version);
		control_field(r, "querier", "%s", igmp_router_is_querier(
		    vif->igmp) ? "self" : mcastd_ip_str(igmp_router_querier(
		    vif->igmp), q));
		control_field(r, "groups", "%llu", (unsigned long long)
		    igmp_router_stats(vif->igmp)->groups);
		off = 0;
		b[0] = '\0';
		for (k = 0; k < vif->nboundaries && off < sizeof(b); k++)
			off += (size_t)snprintf(b + off, sizeof(b) - off,
			    "%s%s/%u", k ? "," : "", mcastd_ip_str(
			    vif->boundaries[k].addr, a),
			    vif->boundaries[k].len);
		control_field(r, "boundaries", "%s", b[0] ? b : "-");
	}
}

/* "A,B(blocked),...": every source, however many the limits let in. */
#define SHOW_SOURCE_MAX	(INET_ADDRSTRLEN + sizeof("(blocked),"))

static int
show_group(void *arg, const struct igmp_router_group_view *v)
{
	struct show_ctx *c = arg;
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	size_t off = 0, size = (size_t)v->nsources * SHOW_SOURCE_MAX + 1;
	char *list = malloc(size);
	uint32_t i;

	if (list != NULL)
		list[0] = '\0';
	for (i = 0; list != NULL && i < v->nsources; i++)
		off += (size_t)snprintf(list + off, size - off,
		    "%s%s%s", i ? "," : "",
		    mcastd_ip_str(v->sources[i].source, s),
		    v->sources[i].timer ? "" : "(blocked)");
	control_record(c->r, "group");
	control_field(c->r, "interface", "%s", c->vif->name);
	control_field(c->r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(c->r, "mode", "%s", igmp_filter_mode_name(v->mode));
	control_field(c->r, "sources", "%s", list == NULL ?
	    "(out of memory)" : list[0] ? list : "-");
	free(list);
	control_field(c->r, "compat", "v%u", v->compat_version);
	show_secs(c->r, "expires", v->group_timer, c->now);
	return 0;
}

static void
show_groups(struct mcastd *d, struct control_reply *r)
{
	struct show_ctx c = { .d = d, .r = r, .now = mcastd_now() };
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	unsigned v;
	size_t i;

	for (v = 0; v < KMR_MAXVIFS; v++) {
		if (!d->vifs[v].used)
			continue;
		c.vif = &d->vifs[v];
		igmp_router_foreach_group(d->vifs[v].igmp, show_group, &c);
	}
	for (i = 0; i < d->njoins; i++) {
		control_record(r, "group");
		control_field(r, "interface", "%s", d->joins[i].ifname);
		control_field(r, "group", "%s",
		    mcastd_ip_str(d->joins[i].group, g));
		control_field(r, "mode", "%s", d->joins[i].has_source ?
		    "INCLUDE" : "EXCLUDE");
		control_field(r, "sources", "%s", d->joins[i].has_source ?
		    mcastd_ip_str(d->joins[i].source, s) : "-");
		control_field(r, "compat", "static");
		control_field(r, "expires", "-");
	}
}

static int
show_static(void *arg, const struct mroute_static_view *v)
{
	struct show_ctx *c = arg;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], oifs[SHOW_VIF_LIST_MAX];

	show_vif_list(c->d, NULL, v->oifs, oifs, sizeof(oifs));
	control_record(c->r, "route");
	control_field(c->r, "source", "%s", v->source.s_addr ?
	    mcastd_ip_str(v->source, s) : "*");
	control_field(c->r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(c->r, "from", "%s", v->iif < KMR_MAXVIFS &&
	    c->d->vifs[v->iif].used ? c->d->vifs[v->iif].name : "?");
	control_field(c->r, "to", "%s", oifs[0] ? oifs : "-");
	return 0;
}

static int
show_mfc_entry(void *arg, const struct mroute_entry_view *v)
{
	struct show_ctx *c = arg;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], oifs[SHOW_VIF_LIST_MAX];

	show_vif_list(c->d, v->ttls, 0, oifs, sizeof(oifs));
	control_record(c->r, "mfc");
	control_field(c->r, "source", "%s", mcastd_ip_str(v->source, s));
	control_field(c->r, "group", "%s", mcastd_ip_str(v->group, g));
	control_field(c->r, "iif", "%s", v->iif < KMR_MAXVIFS &&
	    c->d->vifs[v->iif].used ? c->d->vifs[v->iif].name : "?");
	control_field(c->r, "oifs", "%s", oifs[0] ? oifs : "-");
	control_field(c->r, "origin", "%s", mroute_origin_name(v->origin));
	control_field(c->r, "packets", "%llu", (unsigned long long)v->packets);
	control_field(c->r, "age", "%.0f", (double)(c->now - v->installed_at) /
	    1000);
	show_secs(c->r, "expires", v->expires, c->now);
	/* Forwarded nowhere although it has oifs: mcastd.8, DIAGNOSTICS. */
	control_field(c->r, "note", "%s", v->ttl_starved ? "ttl-too-low" :
	    "-");
	return 0;
}

static void
show_stat(struct control_reply *r, const char *name, uint64_t value)
{
	control_record(r, "stat");
	control_field(r, "name", "%s", name);
	control_field(r, "value", "%llu", (unsigned long long)value);
}

static void
show_stats(struct mcastd *d, struct control_reply *r)
{
	const struct mroute_stats *ms = mroute_stats(d->mr);
	const struct control_stats *cs = control_stats(d->ctl);
	struct igmp_router_stats sum;
	char name[64];
	unsigned v, k;
	size_t bytes = 0;
	int e;

	show_stat(r, "igmp.rx", d->stats.igmp_rx);
	for (e = 1; e < IGMP_E_COUNT; e++) {
		if (d->stats.igmp_rx_bad[e] == 0)
			continue;
		snprintf(name, sizeof(name), "igmp.rx_dropped.%s",
		    igmp_error_name(-e));
		for (k = 0; name[k]; k++)
			if (name[k] == ' ')
				name[k] = '_';
		show_stat(r, name, d->stats.igmp_rx_bad[e]);
	}
	show_stat(r, "igmp.rx_not_on_a_vif", d->stats.igmp_rx_no_vif);
	show_stat(r, "igmp.rx_ttl_not_1", d->stats.igmp_rx_ttl_not_1);
	show_stat(r, "igmp.tx", d->stats.igmp_tx);
	show_stat(r, "igmp.tx_errors", d->stats.igmp_tx_errors);
	memset(&sum, 0, sizeof(sum));
	for (v = 0; v < KMR_MAXVIFS; v++) {
		const struct igmp_router_stats *s;

		if (!d->vifs[v].used)
			continue;
		s = igmp_router_stats(d->vifs[v].igmp);
		for (k = 0; k <= IGMP_KIND_UNKNOWN; k++)
			sum.rx[k] += s->rx[k];
		bytes += igmp_router_memory(d->vifs[v].igmp);
		sum.rx_ignored_no_router_alert += s->rx_ignored_no_router_alert;
		sum.rx_ignored_off_subnet += s->rx_ignored_off_subnet;
		sum.rx_ignored_ssm += s->rx_ignored_ssm;
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
	for (k = 0; k <= IGMP_KIND_UNKNOWN; k++) {
		snprintf(name, sizeof(name), "igmp.rx.%s",
		    igmp_kind_name((enum igmp_kind)k));
		for (e = 0; name[e]; e++)
			if (name[e] == ' ')
				name[e] = '_';
		show_stat(r, name, sum.rx[k]);
	}
	show_stat(r, "igmp.ignored_no_router_alert",
	    sum.rx_ignored_no_router_alert);
	show_stat(r, "igmp.ignored_off_subnet", sum.rx_ignored_off_subnet);
	show_stat(r, "igmp.ignored_ssm_rules", sum.rx_ignored_ssm);
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
	show_stat(r, "upcalls", d->stats.upcalls);
	show_stat(r, "upcalls.nocache", ms->upcalls[MROUTE_UPCALL_NOCACHE]);
	show_stat(r, "upcalls.wrongvif", ms->upcalls[MROUTE_UPCALL_WRONGVIF]);
	show_stat(r, "upcalls.unknown", d->stats.upcalls_unknown);
	show_stat(r, "mfc.entries", ms->entries);
	show_stat(r, "mfc.installs", ms->installs);
	show_stat(r, "mfc.replaces", ms->replaces);
	show_stat(r, "mfc.deletes", ms->deletes);
	show_stat(r, "mfc.expiries", ms->expiries);
	show_stat(r, "mfc.limit_hit", ms->limit_entries);
	show_stat(r, "mfc.ttl_too_low", ms->ttl_starved);
	show_stat(r, "ttl_check.samples", d->tap.samples);
	show_stat(r, "mfc.boundary_drops", ms->boundary_drops);
	show_stat(r, "mfc.kernel_errors", d->stats.mfc_errors);
	show_stat(r, "vif.errors", d->stats.vif_errors);
	show_stat(r, "netlink.resyncs", d->stats.netlink_resyncs);
	show_stat(r, "control.requests", cs->requests);
	show_stat(r, "control.bad_requests", cs->bad_requests);
	show_stat(r, "control.clients_dropped", cs->clients_dropped);
	show_stat(r, "reloads", d->stats.reloads);
	show_stat(r, "reload_errors", d->stats.reload_errors);
}

static void
show_status(struct mcastd *d, struct control_reply *r)
{
	unsigned v, nvifs = 0, queriers = 0;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used) {
			nvifs++;
			queriers += igmp_router_is_querier(d->vifs[v].igmp);
		}
	control_record(r, "daemon");
	control_field(r, "version", "%s", MCAST_VERSION);
	control_field(r, "pid", "%d", (int)getpid());
	control_field(r, "uptime", "%.0f", (double)(mcastd_now() -
	    d->started) / 1000);
	control_field(r, "config", "%s", d->conf_path);
	control_field(r, "vifs", "%u", nvifs);
	control_field(r, "querier_on", "%u", queriers);
	control_field(r, "mfc_entries", "%llu",
	    (unsigned long long)mroute_stats(d->mr)->entries);
	control_field(r, "log", "%s", log_level_name(log_get_level()));
}

void
show_request(void *arg, int argc, char **argv, struct control_reply *r)
{
	struct mcastd *d = arg;
	struct show_ctx c = { .d = d, .r = r, .now = mcastd_now() };
	struct conf_mroute m;
	struct static_join j;
	char msg[512];
	int level, rc;
	bool add;

	if (strcmp(argv[0], "show") == 0 && argc == 2) {
		if (strcmp(argv[1], "interfaces") == 0)
			show_interfaces(d, r);
		else if (strcmp(argv[1], "groups") == 0)
			show_groups(d, r);
		else if (strcmp(argv[1], "routes") == 0)
			mroute_foreach_static(d->mr, show_static, &c);
		else if (strcmp(argv[1], "mfc") == 0)
			mroute_foreach_entry(d->mr, show_mfc_entry, &c);
		else if (strcmp(argv[1], "stats") == 0)
			show_stats(d, r);
		else if (strcmp(argv[1], "status") == 0)
			show_status(d, r);
		else {
			control_end(r, 2, "show '%s': expected interfaces, "
			    "groups, routes, mfc, stats or status", argv[1]);
			return;
		}
		control_end(r, 0, "ok");
	} else if (strcmp(argv[0], "reload") == 0 && argc == 1) {
		rc = mcastd_reload(d, msg, sizeof(msg));
		control_end(r, rc < 0 ? 1 : 0, "%s", msg);
	} else if (strcmp(argv[0], "log") == 0 && argc == 2) {
		if ((level = log_level_parse(argv[1])) < 0) {
			control_end(r, 2, "log level '%s': expected debug, "
			    "info, notice, warning or error", argv[1]);
			return;
		}
		log_set_level(level);
		log_notice("log level now %s", log_level_name(level));
		control_end(r, 0, "log level %s", log_level_name(level));
	} else if ((strcmp(argv[0], "add") == 0 ||
	    strcmp(argv[0], "del") == 0) && argc >= 2 &&
	    strcmp(argv[1], "mroute") == 0) {
		add = argv[0][0] == 'a';
		if (request_parse_route(argc - 2, argv + 2, add, &m, msg,
		    sizeof(msg)) < 0) {
			control_end(r, 2, "%s", msg);
			return;
		}
		rc = mcastd_route_change(d, add, &m, msg, sizeof(msg));
		control_end(r, rc < 0 ? 1 : 0, "%s", msg);
	} else if (strcmp(argv[0], "join") == 0 ||
	    strcmp(argv[0], "leave") == 0) {
		if (request_parse_join(argc - 1, argv + 1, &j, msg,
		    sizeof(msg)) < 0) {
			control_end(r, 2, "%s", msg);
			return;
		}
		rc = mcastd_join_change(d, argv[0][0] == 'j', &j, msg,
		    sizeof(msg));
		control_end(r, rc < 0 ? 1 : 0, "%s", msg);
	} else {
		control_end(r, 2, "unknown request '%s': expected show, reload,"
		    " log, add mroute, del mroute, join or leave", argv[0]);
	}
}
