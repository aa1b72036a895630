/*
 * mcastd tells the operator what the router did (ROUTER_OUT_EVENT): a line
 * for each VIF that comes or goes and each querier change, and for what
 * hosts can make happen by the packet (refused input, limits), lines
 * limited to one per kind every LOG_LIMIT_MS with a count (log.h).
 */
#include <stdio.h>
#include <string.h>

#include "mcastd.h"

static void
events_rp_filter(const char *ifname)
{
	char path[96];
	int v = 0, all = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    ifname);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	if ((f = fopen("/proc/sys/net/ipv4/conf/all/rp_filter", "r")) != NULL) {
		if (fscanf(f, "%d", &all) != 1)
			all = 0;
		fclose(f);
	}
	if (v || all)
		log_warn(
		    "%s: rp_filter is on (conf.%s=%d, conf.all=%d): "
		    "multicast from sources not routed back through %s is "
		    "dropped before mcastd sees it; sysctl -w "
		    "net.ipv4.conf.%s.rp_filter=0 net.ipv4.conf.all.rp_filter=0",
		    ifname, ifname, v, all, ifname, ifname);
}

/* The configured limit an IGMP event on vif ran into. */
static const struct igmp_router_config *
events_igmp_config(struct mcastd *d, unsigned vif)
{
	static const struct igmp_router_config none;
	struct router_vif_view v;

	return router_vif(d->router, vif, &v) == 0 ? v.igmp_config : &none;
}

static void
events_ignored(struct mcastd *d, const struct router_output *o, mc_time_t now)
{
	struct log_limit *n = &d->notes[MCASTD_NOTE_IGNORED + o->igmp.ignored];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	mcastd_ip_str(o->igmp.from, a);
	switch (o->igmp.ignored) {
	case IGMP_ROUTER_IGN_UNKNOWN_TYPE:
		log_limited(n, now, 1, LOG_NOTICE,
		    "%s: IGMP type 0x%02x from "
		    "%s ignored: unknown type (RFC 3376 4)",
		    o->ifname, o->igmp.type, a);
		break;
	case IGMP_ROUTER_IGN_OFF_SUBNET:
		log_limited(n, now, 1, LOG_NOTICE,
		    "%s: IGMP from %s ignored: "
		    "not on %s's subnet (RFC 3376 9.2)",
		    o->ifname, a, o->ifname);
		break;
	case IGMP_ROUTER_IGN_NO_ROUTER_ALERT:
		log_limited(n, now, 1, LOG_NOTICE,
		    "%s: IGMP report from %s "
		    "ignored: no Router Alert (require-router-alert)",
		    o->ifname, a);
		break;
	case IGMP_ROUTER_IGN_BAD_DESTINATION:
		log_limited(n, now, 1, LOG_NOTICE,
		    "%s: IGMP report from %s "
		    "ignored: sent to %s, not to its group or the routers' "
		    "address",
		    o->ifname, a, mcastd_ip_str(o->igmp.to, b));
		break;
	case IGMP_ROUTER_IGN_SSM:
		log_limited(n, now, 1, LOG_NOTICE,
		    "%s: IGMP from %s ignored: "
		    "an any-source join or leave in the SSM range (RFC 4604)",
		    o->ifname, a);
		break;
	case IGMP_ROUTER_IGN_LEAVE_V1_HOST:
		log_limited(n, now, 1, LOG_INFO,
		    "%s: IGMP leave from %s for "
		    "%s ignored: an IGMPv1 host is a member (RFC 3376 7.3.2)",
		    o->ifname, a, mcastd_ip_str(o->igmp.group, g));
		break;
	default:
		break;
	}
}

static void
events_igmp(struct mcastd *d, const struct router_output *o, mc_time_t now)
{
	const struct router_igmp_event *e = &o->igmp;
	char a[INET_ADDRSTRLEN], q[INET_ADDRSTRLEN];

	mcastd_ip_str(e->from, a);
	switch (e->event) {
	case IGMP_ROUTER_EV_QUERIER:
		/* At start it is no news: the VIF's line says it. */
		if (e->previous.s_addr == INADDR_ANY ||
		    e->previous.s_addr == e->from.s_addr)
			break;
		log_limited(&d->notes[MCASTD_NOTE_TAKEOVER], now, 1, LOG_NOTICE,
		    "%s: querier again: no query from %s for the "
		    "Other Querier Present Interval",
		    o->ifname, mcastd_ip_str(e->previous, q));
		break;
	case IGMP_ROUTER_EV_OTHER_QUERIER:
		log_limited(&d->notes[MCASTD_NOTE_QUERIER], now, 1, LOG_NOTICE,
		    "%s: %s is the querier now (a query from a lower address, "
		    "RFC 3376 6.6.2): mcastd stops querying there",
		    o->ifname, a);
		break;
	case IGMP_ROUTER_EV_OLDER_QUERIER:
		log_warn("%s: the querier %s speaks IGMPv%u: configure "
			 "igmpv%u for %s (RFC 3376 7.3.1)",
		    o->ifname, a, e->version, e->version, o->ifname);
		break;
	case IGMP_ROUTER_EV_IGNORED:
		events_ignored(d, o, now);
		break;
	case IGMP_ROUTER_EV_LIMIT_GROUPS:
		log_limited(&d->notes[MCASTD_NOTE_LIMIT_GROUPS], now, 1,
		    LOG_WARNING,
		    "%s: limit of %u groups reached: a join from "
		    "%s refused (limits { groups })",
		    o->ifname, events_igmp_config(d, o->vif)->max_groups, a);
		break;
	case IGMP_ROUTER_EV_LIMIT_SOURCES:
		log_limited(&d->notes[MCASTD_NOTE_LIMIT_SOURCES], now, e->count,
		    LOG_WARNING,
		    "%s: limit of %u sources per group "
		    "reached: %u sources from %s refused (limits { sources })",
		    o->ifname,
		    events_igmp_config(d, o->vif)->max_sources_per_group,
		    e->count, a);
		break;
	}
}

/*
 * A flow with receivers that the kernel forwards nowhere, because its TTL
 * does not exceed any oif's threshold; a sender's TTL is 1 unless it asks
 * for more (PROTOCOLS.md 3).  Once per forwarding entry.
 */
static void
events_ttl_starved(struct mcastd *d, const struct router_output *o)
{
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], oifs[256] = "";
	struct router_vif_view v;
	size_t len = 0;
	unsigned vif;
	int n;

	for (vif = 0; vif < MFC_MAXVIFS; vif++) {
		if (!o->ttls[vif] || router_vif(d->router, vif, &v) != 0)
			continue;
		n = snprintf(oifs + len, sizeof(oifs) - len,
		    "%s%s (threshold "
		    "%u)",
		    len ? ", " : "", v.name, o->ttls[vif]);
		if (n < 0 || (size_t)n >= sizeof(oifs) - len)
			break;
		len += (size_t)n;
	}
	log_warn(
	    "(%s, %s) arrives on %s with TTL %u and is forwarded to none "
	    "of its receivers on %s: a datagram leaves by an interface only "
	    "with a TTL above its threshold (TTL 1 never leaves the sender's "
	    "LAN); have the sender use a higher TTL, e.g. `mcast send -t 16`",
	    mcastd_ip_str(o->source, s), mcastd_ip_str(o->group, g),
	    o->ifname[0] ? o->ifname : "?", o->ttl, oifs);
}

/* A DVMRP neighbour came, went, restarted, or found no room (a line per
   second at most: forged probes can come from thousands of addresses). */
static void
events_dvmrp(struct mcastd *d, const struct router_output *o, mc_time_t now)
{
	const struct router_dvmrp_event *e = &o->dvmrp;
	char a[INET_ADDRSTRLEN];

	mcastd_ip_str(o->addr, a);
	switch (e->event) {
	case DVMRP_NBR_EV_UP:
		if (e->route_table_full)
			log_limited(&d->notes[MCASTD_NOTE_LIMIT_DVMRP_NBR], now,
			    1, LOG_WARNING,
			    "%s: DVMRP neighbour %s is two-way but its routes "
			    "are refused: the route table holds 64 neighbours, "
			    "and %s its share of them",
			    o->ifname, a, o->ifname);
		else
			log_notice("%s: DVMRP neighbour %s up (two-way)",
			    o->ifname, a);
		break;
	case DVMRP_NBR_EV_DOWN:
		if (e->reason == DVMRP_NBR_DOWN_REFUSED)
			log_warn("%s: DVMRP neighbour %s refused: %s%s",
			    o->ifname, a, dvmrp_nbr_refusal_name(e->refusal),
			    e->refusal == DVMRP_NBR_REFUSAL_NON_PRUNER ?
				" (dvmrp { accept-non-pruners yes } takes "
				"it)" :
				"");
		else if (e->previous == DVMRP_NBR_TWO_WAY)
			log_notice("%s: DVMRP neighbour %s down: %s", o->ifname,
			    a, dvmrp_nbr_down_reason_name(e->reason));
		else
			log_debug("%s: DVMRP neighbour %s gone: %s", o->ifname,
			    a, dvmrp_nbr_down_reason_name(e->reason));
		break;
	case DVMRP_NBR_EV_RESTART:
		log_notice("%s: DVMRP neighbour %s restarted (GenID %08x, "
			   "was %08x): its prunes forgotten, our routes sent",
		    o->ifname, a, e->genid, e->old_genid);
		break;
	case DVMRP_NBR_EV_LIMIT:
		log_limited(&d->notes[MCASTD_NOTE_LIMIT_DVMRP_NBR], now, 1,
		    LOG_WARNING,
		    "%s: DVMRP neighbour %s not taken: the VIF's limit of "
		    "neighbours is reached",
		    o->ifname, a);
		break;
	case DVMRP_NBR_EV_SEND_REPORT:
	case DVMRP_NBR_EV_IGNORED:
		break;
	}
}

void
events_log(struct mcastd *d, const struct router_output *o, mc_time_t now)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	switch (o->event) {
	case ROUTER_EV_VIF_UP:
		log_notice("%s: VIF %u up (ifindex %u, threshold %u, IGMPv%u)",
		    o->ifname, o->vif, o->ifindex, o->threshold,
		    o->igmp_version);
		events_rp_filter(o->ifname);
		break;
	case ROUTER_EV_VIF_DOWN:
		log_notice("%s: VIF %u removed (%s)", o->ifname, o->vif,
		    o->why);
		break;
	case ROUTER_EV_VIF_ADDRESS:
		log_notice("%s: address now %s/%u", o->ifname,
		    mcastd_ip_str(o->addr, a), o->prefix_len);
		break;
	case ROUTER_EV_NO_FREE_VIF:
		log_warn("%s: no free VIF (the kernel has %d): not routing on "
			 "it",
		    o->ifname, ROUTER_MAXVIFS);
		break;
	case ROUTER_EV_IGMP:
		events_igmp(d, o, now);
		break;
	case ROUTER_EV_RX_DROPPED:
		if (-o->error >= 0 && -o->error < IGMP_E_COUNT)
			log_limited(&d->notes[-o->error], now, 1, LOG_NOTICE,
			    "%s: IGMP from %s dropped: %s", o->ifname,
			    mcastd_ip_str(o->addr, a),
			    igmp_error_name(o->error));
		break;
	case ROUTER_EV_RX_TTL:
		log_limited(&d->notes[MCASTD_NOTE_TTL], now, 1, LOG_NOTICE,
		    "%s: IGMP %s from %s with TTL %u (expected 1): accepted as "
		    "the kernel does",
		    o->ifname, igmp_kind_name(o->msg_kind),
		    mcastd_ip_str(o->addr, a), o->ttl);
		break;
	case ROUTER_EV_RX_UNKNOWN:
		log_limited(&d->notes[MCASTD_NOTE_UNKNOWN_TYPE], now, 1,
		    LOG_NOTICE,
		    "%s: IGMP type 0x%02x from %s ignored: unknown "
		    "type (RFC 3376 4)",
		    o->ifname, o->type, mcastd_ip_str(o->addr, a));
		break;
	case ROUTER_EV_TTL_STARVED:
		events_ttl_starved(d, o);
		break;
	case ROUTER_EV_MFC_LIMIT:
		log_limited(&d->notes[MCASTD_NOTE_LIMIT_MFC], now, 1,
		    LOG_WARNING,
		    "limit of %u forwarding entries reached: (%s, "
		    "%s) not installed (limits { mfc-entries }; "
		    "mcastctl flush frees entries)",
		    o->count, mcastd_ip_str(o->source, a),
		    mcastd_ip_str(o->group, b));
		break;
	case ROUTER_EV_MFC_EMPTY:
	case ROUTER_EV_MFC_NONEMPTY:
		log_debug("(%s, %s): %s", mcastd_ip_str(o->source, a),
		    mcastd_ip_str(o->group, b),
		    o->event == ROUTER_EV_MFC_EMPTY ?
			"no outgoing interface now" :
			"outgoing interfaces again");
		break;
	case ROUTER_EV_DVMRP_NEIGHBOR:
		events_dvmrp(d, o, now);
		break;
	}
}

/*
 * The control socket's refusals, noted like bad packets; then the lines
 * held back by the notes; the next deadline (force: all of them now).
 */
mc_time_t
events_flush(struct mcastd *d, mc_time_t now, bool force)
{
	const struct control_stats *cs = control_stats(d->ctl);
	mc_time_t next = MC_TIME_NEVER, t;
	int k;

	log_limited(&d->notes[MCASTD_NOTE_CONTROL_BAD], now,
	    cs->bad_requests - d->control_seen.bad_requests, LOG_NOTICE,
	    "control socket: a request refused: not one line of text or "
	    "longer than %d bytes",
	    CONTROL_MAX_REQUEST - 1);
	log_limited(&d->notes[MCASTD_NOTE_CONTROL_DROPPED], now,
	    cs->clients_dropped - d->control_seen.clients_dropped, LOG_NOTICE,
	    "control socket: a client dropped: the oldest of %d when another "
	    "came, silent or not reading for 5 s, or the oldest not reading "
	    "when replies held passed %u MB",
	    CONTROL_MAX_CLIENTS, CONTROL_MAX_HELD >> 20);
	d->control_seen = *cs;
	for (k = 0; k < MCASTD_NOTE_COUNT; k++)
		if ((t = log_limit_flush(&d->notes[k], now, force)) < next)
			next = t;
	return next;
}
