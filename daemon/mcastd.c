/*
 * mcastd: a multicast router for Linux in the mrouted tradition.  The
 * kernel forwards; mcastd decides.  It owns the kernel's multicast routing
 * socket, makes a VIF of every enabled multicast interface, runs the IGMP
 * router engine on each, and keeps the kernel's forwarding cache in step
 * with membership, thresholds, boundaries and static routes.
 *
 * One straight path: kmr.c reads a packet -> igmp_wire.c decodes ->
 * igmp_router.c updates membership -> mroute.c recomputes the oifs ->
 * kmr.c writes the MFC.  Everything here is the I/O shell around the
 * engines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cap-ng.h>
#include <linux/mroute.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include "log.h"
#include "mcastd.h"
#include "srcset.h"

#define MCASTD_DEFAULT_CONF	"/etc/mcastd.conf"
#define MCASTD_DEFAULT_SOCKET	"/run/mcastd.sock"
#define MCASTD_DEFAULT_PIDFILE	"/run/mcastd.pid"
#define MCASTD_COUNTER_POLL_MS	5000
#define MCASTD_MAX_POLLFDS	(CONTROL_MAX_CLIENTS + 8)


mc_time_t
mcastd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (mc_time_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
mcastd_ip_str(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* ---- interfaces and VIFs ---- */

static struct iface *
iface_by_index(struct mcastd *d, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < MCASTD_MAX_IFACES; i++)
		if (d->ifaces[i].used && d->ifaces[i].ifindex == ifindex)
			return &d->ifaces[i];
	return NULL;
}

struct vif *
mcastd_vif_by_name(struct mcastd *d, const char *name)
{
	unsigned v;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used && strcmp(d->vifs[v].name, name) == 0)
			return &d->vifs[v];
	return NULL;
}

static int
vif_number(const struct mcastd *d, const struct vif *vif)
{
	return (int)(vif - d->vifs);
}

/* Should this interface be a VIF, by the configuration and its state? */
static bool
iface_wanted(const struct mcastd *d, const struct iface *ifc)
{
	const struct conf_phyint *pi = conf_phyint(&d->conf, ifc->name);

	if (pi != NULL ? pi->disable : d->conf.default_disable)
		return false;
	return (ifc->flags & IFF_UP) && (ifc->flags & IFF_MULTICAST) &&
	    !(ifc->flags & IFF_LOOPBACK) && ifc->has_v4;
}

static void
warn_rp_filter(const char *ifname)
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
		log_warn("%s: rp_filter is on (conf.%s=%d, conf.all=%d): "
		    "multicast from sources not routed back through %s is "
		    "dropped before mcastd sees it; sysctl -w "
		    "net.ipv4.conf.%s.rp_filter=0 net.ipv4.conf.all.rp_filter=0",
		    ifname, ifname, v, all, ifname, ifname);
}

static void vif_push_membership(struct mcastd *d, struct vif *vif,
    struct in_addr group, const struct igmp_router_output *igmp_view);
static void routes_apply(struct mcastd *d, mc_time_t now);
static void joins_apply_vif(struct mcastd *d, struct vif *vif);

static void
vif_mroute_config(struct mcastd *d, struct vif *vif, mc_time_t now)
{
	struct mroute_vif_config mc = {
		.ifindex = vif->ifindex, .threshold = vif->threshold,
		.boundaries = vif->boundaries, .nboundaries = vif->nboundaries,
	};

	if (mroute_vif_set(d->mr, now, (unsigned)vif_number(d, vif), &mc) < 0)
		d->stats.vif_errors++;
}

/* The VIF settings the configuration gives an interface. */
static void
vif_settings(const struct mcastd *d, const char *name, uint8_t *threshold,
    struct mroute_prefix *b, unsigned *nb, struct igmp_router_config *ic)
{
	const struct conf_phyint *pi = conf_phyint(&d->conf, name);
	unsigned i;

	*threshold = pi ? pi->threshold : 1;
	*nb = 0;
	for (i = 0; pi && i < pi->nboundaries && i < MROUTE_MAX_BOUNDARIES; i++) {
		b[i].addr = pi->boundaries[i].addr;
		b[i].len = pi->boundaries[i].len;
		(*nb)++;
	}
	conf_phyint_igmp(&d->conf, pi, ic);
}

static void
vif_create(struct mcastd *d, struct iface *ifc, mc_time_t now)
{
	struct in_addr groups[2];
	struct vif *vif = NULL;
	unsigned v, i;
	int rc;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (!d->vifs[v].used) {
			vif = &d->vifs[v];
			break;
		}
	if (vif == NULL) {
		log_warn("%s: no free VIF (the kernel has %d): not routing on it",
		    ifc->name, KMR_MAXVIFS);
		d->stats.vif_errors++;
		return;
	}
	memset(vif, 0, sizeof(*vif));
	vif->ifindex = ifc->ifindex;
	snprintf(vif->name, sizeof(vif->name), "%s", ifc->name);
	vif->addr = ifc->addr;
	vif->prefix_len = ifc->prefix_len;
	vif_settings(d, ifc->name, &vif->threshold, vif->boundaries,
	    &vif->nboundaries, &vif->igmp_conf);
	if ((rc = kmr_vif_add(&d->kmr, v, ifc->ifindex, vif->threshold)) < 0) {
		log_warn("%s: cannot add VIF %u: %s", ifc->name, v,
		    strerror(-rc));
		d->stats.vif_errors++;
		return;
	}
	vif->igmp = igmp_router_new(&vif->igmp_conf, vif->addr,
	    vif->prefix_len, d->seed + v, log_trace, vif->name);
	if (vif->igmp == NULL) {
		log_warn("%s: cannot start IGMP (bad settings or memory)",
		    ifc->name);
		kmr_vif_del(&d->kmr, v);
		return;
	}
	vif->used = true;
	vif->created = now;
	ifc->vif = (int)v;
	groups[0].s_addr = htonl(IGMP_ALL_ROUTERS);
	groups[1].s_addr = htonl(IGMP_V3_ROUTERS);
	for (i = 0; i < 2; i++)
		if ((rc = kmr_join(&d->kmr, ifc->ifindex, groups[i])) < 0)
			log_warn("%s: cannot join %s: %s", ifc->name,
			    i ? "224.0.0.22" : "224.0.0.2", strerror(-rc));
	vif_mroute_config(d, vif, now);
	igmp_router_start(vif->igmp, now);
	log_notice("%s: VIF %u up (ifindex %u, threshold %u, IGMPv%u)",
	    vif->name, v, vif->ifindex, vif->threshold,
	    vif->igmp_conf.version);
	warn_rp_filter(vif->name);
	joins_apply_vif(d, vif);
	routes_apply(d, now);
}

static void
vif_destroy(struct mcastd *d, struct vif *vif, mc_time_t now,
    const char *why)
{
	unsigned v = (unsigned)vif_number(d, vif);
	struct iface *ifc = iface_by_index(d, vif->ifindex);
	struct in_addr group;
	int rc;

	mroute_vif_del(d->mr, now, v);
	igmp_router_free(vif->igmp);
	/*
	 * An interface that was deleted took its VIF and our memberships
	 * with it (the kernel drops them on NETDEV_UNREGISTER, before we
	 * read the link going down): EADDRNOTAVAIL then says it is gone.
	 * One that is only down keeps both: leave, so that it can come back.
	 */
	if ((rc = kmr_vif_del(&d->kmr, v)) < 0 && rc != -EADDRNOTAVAIL) {
		log_warn("%s: cannot delete VIF %u: %s", vif->name, v,
		    strerror(-rc));
		d->stats.vif_errors++;
	}
	group.s_addr = htonl(IGMP_ALL_ROUTERS);
	kmr_leave(&d->kmr, vif->ifindex, group);
	group.s_addr = htonl(IGMP_V3_ROUTERS);
	kmr_leave(&d->kmr, vif->ifindex, group);
	log_notice("%s: VIF %u removed (%s)", vif->name, v, why);
	memset(vif, 0, sizeof(*vif));
	if (ifc != NULL)
		ifc->vif = -1;
	routes_apply(d, now);
}

/*
 * The TTL check's tap passes TTLs up to the highest threshold of any VIF:
 * set whenever the VIFs or their thresholds may have changed.
 */
static void
tap_update(struct mcastd *d)
{
	uint8_t max = 0;
	unsigned v;
	int rc;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used && d->vifs[v].threshold > max)
			max = d->vifs[v].threshold;
	if (d->tap.fd >= 0 && (rc = ttltap_filter(&d->tap, max)) < 0)
		log_warn("TTL check: cannot set its packet filter: %s",
		    strerror(-rc));
}

/* Make the VIFs match the interfaces and the configuration. */
static void
ifaces_reconcile(struct mcastd *d, mc_time_t now)
{
	struct iface *ifc;
	struct vif *vif;
	unsigned v;
	size_t i;

	for (v = 0; v < KMR_MAXVIFS; v++) {
		vif = &d->vifs[v];
		if (!vif->used)
			continue;
		ifc = iface_by_index(d, vif->ifindex);
		if (ifc == NULL)
			vif_destroy(d, vif, now, "interface deleted");
		else if (!iface_wanted(d, ifc))
			vif_destroy(d, vif, now, (ifc->flags & IFF_UP) ?
			    "disabled or no IPv4 address" : "interface down");
		else if (strcmp(ifc->name, vif->name) != 0 ||
		    !(ifc->addr.s_addr == vif->addr.s_addr &&
		    ifc->prefix_len == vif->prefix_len)) {
			char a[INET_ADDRSTRLEN];

			snprintf(vif->name, sizeof(vif->name), "%s",
			    ifc->name);
			vif->addr = ifc->addr;
			vif->prefix_len = ifc->prefix_len;
			igmp_router_set_address(vif->igmp, now, vif->addr,
			    vif->prefix_len);
			log_notice("%s: address now %s/%u", vif->name,
			    mcastd_ip_str(vif->addr, a), vif->prefix_len);
		}
	}
	for (i = 0; i < MCASTD_MAX_IFACES; i++) {
		ifc = &d->ifaces[i];
		if (ifc->used && ifc->vif < 0 && iface_wanted(d, ifc))
			vif_create(d, ifc, now);
	}
	tap_update(d);
}

static void
netlink_event(void *arg, const struct netlink_msg *m)
{
	struct mcastd *d = arg;
	struct iface *ifc = iface_by_index(d, m->ifindex);
	size_t i;

	switch (m->kind) {
	case NETLINK_LINK_NEW:
		if (ifc == NULL) {
			for (i = 0; i < MCASTD_MAX_IFACES; i++)
				if (!d->ifaces[i].used) {
					ifc = &d->ifaces[i];
					memset(ifc, 0, sizeof(*ifc));
					ifc->used = true;
					ifc->ifindex = m->ifindex;
					ifc->vif = -1;
					break;
				}
			if (ifc == NULL)
				return;
		}
		if (m->name[0])
			snprintf(ifc->name, sizeof(ifc->name), "%s", m->name);
		ifc->flags = m->flags;
		break;
	case NETLINK_LINK_DEL:
		if (ifc != NULL) {
			ifc->used = false;
			ifc->has_v4 = false;
		}
		break;
	case NETLINK_ADDR_NEW:
		/* The first address is the one we query from. */
		if (ifc != NULL && !ifc->has_v4) {
			ifc->has_v4 = true;
			ifc->addr = m->addr;
			ifc->prefix_len = m->prefix_len;
		}
		break;
	case NETLINK_ADDR_DEL:
		/*
		 * Another address may stay that no event names again (one in
		 * another subnet): ask for them all, on a socket of our own.
		 */
		if (ifc != NULL && ifc->has_v4 &&
		    ifc->addr.s_addr == m->addr.s_addr) {
			struct netlink *n = netlink_open();

			ifc->has_v4 = false;
			if (n != NULL)
				netlink_dump(n, netlink_event, d);
			netlink_close(n);
		}
		break;
	}
}

/* ---- static routes and static memberships ---- */

/* The VIF number of an interface name, or -1. */
static int
vif_of(struct mcastd *d, const char *name)
{
	struct vif *vif = mcastd_vif_by_name(d, name);

	return vif ? vif_number(d, vif) : -1;
}

static bool
route_resolve(struct mcastd *d, const struct conf_mroute *r,
    struct applied_route *out)
{
	unsigned i;
	int iif = vif_of(d, r->iif), o;

	if (iif < 0)
		return false;
	memset(out, 0, sizeof(*out));
	out->source = r->has_source ? r->source : (struct in_addr){ 0 };
	out->group = r->group;
	out->iif = (unsigned)iif;
	for (i = 0; i < r->noifs; i++)
		if ((o = vif_of(d, r->oifs[i])) >= 0 && o != iif)
			out->oifs |= 1u << o;
	return true;
}

static const struct applied_route *
route_find(const struct applied_route *list, size_t n, struct in_addr s,
    struct in_addr g)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].source.s_addr == s.s_addr &&
		    list[i].group.s_addr == g.s_addr)
			return &list[i];
	return NULL;
}

/*
 * Bring the forwarding engine's static routes to what the configuration
 * and mcastctl ask for, touching only the routes that changed (a reload
 * must not disturb flows it does not concern).
 */
static void
routes_apply(struct mcastd *d, mc_time_t now)
{
	size_t n = d->conf.nmroutes + d->nruntime_routes, i, k = 0;
	struct applied_route *want = calloc(n ? n : 1, sizeof(*want));
	const struct applied_route *old;
	const struct conf_mroute *r;

	if (want == NULL)
		return;
	for (i = 0; i < n; i++) {
		r = i < d->conf.nmroutes ? &d->conf.mroutes[i] :
		    &d->runtime_routes[i - d->conf.nmroutes];
		if (route_resolve(d, r, &want[k]) &&
		    !route_find(want, k, want[k].source, want[k].group))
			k++;
	}
	for (i = 0; i < d->nroutes; i++)
		if (!route_find(want, k, d->routes[i].source,
		    d->routes[i].group))
			mroute_static_del(d->mr, now, d->routes[i].source,
			    d->routes[i].group);
	for (i = 0; i < k; i++) {
		old = route_find(d->routes, d->nroutes, want[i].source,
		    want[i].group);
		if (old == NULL || old->iif != want[i].iif ||
		    old->oifs != want[i].oifs)
			mroute_static_add(d->mr, now, want[i].source,
			    want[i].group, want[i].iif, want[i].oifs);
	}
	free(d->routes);
	d->routes = want;
	d->nroutes = k;
}

/* Does a static join hold group (and which sources) on this VIF? */
static bool
joins_for(const struct mcastd *d, const struct vif *vif, struct in_addr group,
    bool *any_source, struct in_addr *sources, uint32_t *nsources)
{
	bool found = false;
	size_t i;

	*any_source = false;
	*nsources = 0;
	for (i = 0; i < d->njoins; i++) {
		const struct static_join *j = &d->joins[i];

		if (strcmp(j->ifname, vif->name) != 0 ||
		    j->group.s_addr != group.s_addr)
			continue;
		found = true;
		if (!j->has_source)
			*any_source = true;
		else if (*nsources < MCASTD_MAX_RUNTIME)
			sources[(*nsources)++] = j->source;
	}
	return found;
}

/*
 * Tell the forwarding engine who wants group on vif: the IGMP view merged
 * with the static joins (a static any-source join is EXCLUDE {}; static
 * sources are added to INCLUDE and taken out of EXCLUDE's Y).
 */
static void
vif_push_membership(struct mcastd *d, struct vif *vif, struct in_addr group,
    const struct igmp_router_output *igmp_view)
{
	struct in_addr st[MCASTD_MAX_RUNTIME], *merged = NULL;
	struct igmp_router_group_view gv;
	enum igmp_filter_mode mode = IGMP_FILTER_INCLUDE;
	const struct in_addr *srcs = NULL;
	uint32_t n = 0, nst, i, k;
	bool any;
	mc_time_t now = mcastd_now();

	if (igmp_view != NULL) {
		mode = igmp_view->mode;
		srcs = igmp_view->sources;
		n = igmp_view->nsources;
	}
	if (!joins_for(d, vif, group, &any, st, &nst)) {
		mroute_membership(d->mr, now, (unsigned)vif_number(d, vif),
		    group, mode, srcs, n);
		return;
	}
	if (igmp_view == NULL && igmp_router_group(vif->igmp, group,
	    &gv) == 0) {
		/* The engine's view: INCLUDE {timers running}, EXCLUDE {Y}. */
		mode = gv.mode;
		merged = calloc(gv.nsources + 1, sizeof(*merged));
		for (i = 0, k = 0; merged && i < gv.nsources; i++)
			if ((mode == IGMP_FILTER_INCLUDE) ==
			    (gv.sources[i].timer != 0))
				merged[k++] = gv.sources[i].source;
		srcs = merged;
		n = merged ? k : 0;
	}
	if (any) {
		mode = IGMP_FILTER_EXCLUDE;
		n = 0;
	} else {
		struct in_addr *out = calloc(n + nst + 1, sizeof(*out));

		nst = (uint32_t)srcset_normalize(st, nst);
		if (out != NULL) {
			if (mode == IGMP_FILTER_INCLUDE)
				n = (uint32_t)srcset_union(srcs, n, st, nst,
				    out);
			else
				n = (uint32_t)srcset_diff(srcs, n, st, nst,
				    out);
		}
		free(merged);
		merged = out;
		srcs = merged;
		if (merged == NULL)
			n = 0;
	}
	mroute_membership(d->mr, now, (unsigned)vif_number(d, vif), group,
	    mode, srcs, n);
	free(merged);
}

static void
joins_apply_vif(struct mcastd *d, struct vif *vif)
{
	size_t i;

	for (i = 0; i < d->njoins; i++)
		if (strcmp(d->joins[i].ifname, vif->name) == 0)
			vif_push_membership(d, vif, d->joins[i].group, NULL);
}

/* The static joins the configuration file names, plus mcastctl's. */
static void
joins_from_conf(struct mcastd *d)
{
	struct static_join keep[MCASTD_MAX_RUNTIME];
	size_t nkeep = 0, i, k;

	for (i = 0; i < d->njoins; i++)
		if (d->joins[i].runtime)
			keep[nkeep++] = d->joins[i];
	d->njoins = 0;
	for (i = 0; i < d->conf.nphyints; i++) {
		const struct conf_phyint *pi = &d->conf.phyints[i];

		for (k = 0; k < pi->nstatics &&
		    d->njoins < MCASTD_MAX_RUNTIME; k++) {
			struct static_join *j = &d->joins[d->njoins++];

			memset(j, 0, sizeof(*j));
			snprintf(j->ifname, sizeof(j->ifname), "%s", pi->name);
			j->group = pi->statics[k].group;
			j->has_source = pi->statics[k].has_source;
			j->source = pi->statics[k].source;
		}
	}
	for (i = 0; i < nkeep && d->njoins < MCASTD_MAX_RUNTIME; i++)
		d->joins[d->njoins++] = keep[i];
}

/* ---- engines' outputs to the kernel ---- */

/*
 * A flow with receivers that the kernel forwards nowhere, because its TTL
 * does not exceed any oif's threshold; a sender's TTL is 1 unless it asks
 * for more (PROTOCOLS.md 3).  Once per forwarding entry.
 */
static void
warn_ttl_starved(struct mcastd *d, const struct mroute_output *o)
{
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], oifs[256] = "";
	size_t len = 0;
	unsigned v;
	int n;

	for (v = 0; v < KMR_MAXVIFS; v++) {
		if (!o->ttls[v] || !d->vifs[v].used)
			continue;
		n = snprintf(oifs + len, sizeof(oifs) - len, "%s%s (threshold "
		    "%u)", len ? ", " : "", d->vifs[v].name, o->ttls[v]);
		if (n < 0 || (size_t)n >= sizeof(oifs) - len)
			break;
		len += (size_t)n;
	}
	log_warn("(%s, %s) arrives on %s with TTL %u and is forwarded to none "
	    "of its receivers on %s: a datagram leaves by an interface only "
	    "with a TTL above its threshold (TTL 1 never leaves the sender's "
	    "LAN); have the sender use a higher TTL, e.g. `mcast send -t 16`",
	    mcastd_ip_str(o->source, s), mcastd_ip_str(o->group, g),
	    o->iif < KMR_MAXVIFS && d->vifs[o->iif].used ?
	    d->vifs[o->iif].name : "?", o->ttl, oifs);
}

static void
tap_sample(void *arg, const struct ttltap_sample *ts)
{
	struct mcastd *d = arg;
	unsigned v;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used && d->vifs[v].ifindex == ts->ifindex)
			mroute_ttl_sample(d->mr, v, ts->source, ts->group,
			    ts->ttl);
}

static void
drain_mroute(struct mcastd *d)
{
	struct mroute_output out;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	int rc;

	while (mroute_output(d->mr, &out)) {
		if (out.kind == MROUTE_OUT_TTL_STARVED) {
			warn_ttl_starved(d, &out);
			continue;
		}
		if (out.kind == MROUTE_OUT_MFC_ADD)
			rc = kmr_mfc_add(&d->kmr, out.source, out.group,
			    out.iif, out.ttls);
		else
			rc = kmr_mfc_del(&d->kmr, out.source, out.group);
		if (rc < 0 && !(out.kind == MROUTE_OUT_MFC_DEL &&
		    rc == -ENOENT)) {
			d->stats.mfc_errors++;
			log_warn("MFC %s (%s, %s): %s", out.kind ==
			    MROUTE_OUT_MFC_ADD ? "add" : "delete",
			    mcastd_ip_str(out.source, s),
			    mcastd_ip_str(out.group, g), strerror(-rc));
		}
	}
}

static void
drain_igmp(struct mcastd *d, struct vif *vif)
{
	static struct igmp_router_output out;
	int rc;

	while (igmp_router_output(vif->igmp, &out)) {
		if (out.kind == IGMP_ROUTER_OUT_EVENT)
			continue;	/* vif_notes() still logs these */
		if (out.kind == IGMP_ROUTER_OUT_PACKET) {
			rc = kmr_send_igmp(&d->kmr, vif->ifindex, vif->addr,
			    out.dst, out.data, out.len);
			if (rc < 0) {
				d->stats.igmp_tx_errors++;
				log_debug("%s: sending IGMP: %s", vif->name,
				    strerror(-rc));
			} else {
				d->stats.igmp_tx++;
			}
		} else {
			vif_push_membership(d, vif, out.group, &out);
		}
	}
}

static void
drain_all(struct mcastd *d)
{
	unsigned v;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used)
			drain_igmp(d, &d->vifs[v]);
	drain_mroute(d);
}

/* ---- input ---- */

/*
 * The engine's verdicts on hosts' input, counted in its stats: logged by
 * kind once per LOG_LIMIT_MS with a count (see mcastd.h), and querier
 * changes.  before: the engine's stats and querier before the input.
 */
static void
vif_notes(struct mcastd *d, struct vif *vif, mc_time_t now,
    const struct igmp_router_stats *b, bool was_querier, struct in_addr
    querier, const struct igmp_ip *ip, const struct igmp_msg *m)
{
	const struct igmp_router_stats *s = igmp_router_stats(vif->igmp);
	struct log_limit *n = d->notes;
	char a[INET_ADDRSTRLEN] = "-", q[INET_ADDRSTRLEN];

	/* The usual case, by the packet: nothing to say. */
	if (s->rx[IGMP_KIND_UNKNOWN] == b->rx[IGMP_KIND_UNKNOWN] &&
	    s->rx_ignored_off_subnet == b->rx_ignored_off_subnet &&
	    s->rx_ignored_no_router_alert == b->rx_ignored_no_router_alert &&
	    s->rx_ignored_bad_destination == b->rx_ignored_bad_destination &&
	    s->rx_ignored_ssm == b->rx_ignored_ssm &&
	    s->limit_groups == b->limit_groups &&
	    s->limit_sources == b->limit_sources &&
	    igmp_router_is_querier(vif->igmp) == was_querier &&
	    igmp_router_querier(vif->igmp).s_addr == querier.s_addr)
		return;
	if (ip != NULL)
		mcastd_ip_str(ip->src, a);
	if (m != NULL)
		log_limited(&n[MCASTD_NOTE_UNKNOWN_TYPE], now,
		    s->rx[IGMP_KIND_UNKNOWN] - b->rx[IGMP_KIND_UNKNOWN],
		    LOG_NOTICE, "%s: IGMP type 0x%02x from %s ignored: unknown "
		    "type (RFC 3376 4)", vif->name, m->type, a);
	log_limited(&n[MCASTD_NOTE_OFF_SUBNET], now, s->rx_ignored_off_subnet -
	    b->rx_ignored_off_subnet, LOG_NOTICE, "%s: IGMP from %s ignored: "
	    "not on %s's subnet (RFC 3376 9.2)", vif->name, a, vif->name);
	log_limited(&n[MCASTD_NOTE_NO_ROUTER_ALERT], now,
	    s->rx_ignored_no_router_alert - b->rx_ignored_no_router_alert,
	    LOG_NOTICE, "%s: IGMP report from %s ignored: no Router Alert "
	    "(require-router-alert)", vif->name, a);
	log_limited(&n[MCASTD_NOTE_BAD_DESTINATION], now,
	    s->rx_ignored_bad_destination - b->rx_ignored_bad_destination,
	    LOG_NOTICE, "%s: IGMP report from %s ignored: sent to %s, not to "
	    "its group or the routers' address", vif->name, a,
	    ip ? mcastd_ip_str(ip->dst, q) : "-");
	log_limited(&n[MCASTD_NOTE_SSM], now, s->rx_ignored_ssm -
	    b->rx_ignored_ssm, LOG_NOTICE, "%s: IGMP from %s ignored: an "
	    "any-source join or leave in the SSM range (RFC 4604)",
	    vif->name, a);
	log_limited(&n[MCASTD_NOTE_LIMIT_GROUPS], now, s->limit_groups -
	    b->limit_groups, LOG_WARNING, "%s: limit of %u groups reached: "
	    "a join from %s refused (limits { groups })", vif->name,
	    vif->igmp_conf.max_groups, a);
	log_limited(&n[MCASTD_NOTE_LIMIT_SOURCES], now, s->limit_sources -
	    b->limit_sources, LOG_WARNING, "%s: limit of %u sources per group "
	    "reached: %llu sources from %s refused (limits { sources })",
	    vif->name, vif->igmp_conf.max_sources_per_group,
	    (unsigned long long)(s->limit_sources - b->limit_sources), a);
	if (igmp_router_is_querier(vif->igmp) == was_querier &&
	    igmp_router_querier(vif->igmp).s_addr == querier.s_addr)
		return;
	if (igmp_router_is_querier(vif->igmp))
		log_limited(&n[MCASTD_NOTE_TAKEOVER], now, 1, LOG_NOTICE,
		    "%s: querier again: no query from %s for the Other "
		    "Querier Present Interval", vif->name,
		    mcastd_ip_str(querier, q));
	else
		log_limited(&n[MCASTD_NOTE_QUERIER], now, 1, LOG_NOTICE,
		    "%s: %s is the querier now (a query from a lower address,"
		    " RFC 3376 6.6.2): mcastd stops querying there", vif->name,
		    mcastd_ip_str(igmp_router_querier(vif->igmp), q));
}

/* A packet into a VIF's engine, with what it made the engine refuse. */
static void
vif_input(struct mcastd *d, struct vif *vif, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *m)
{
	struct igmp_router_stats before = *igmp_router_stats(vif->igmp);
	bool was_querier = igmp_router_is_querier(vif->igmp);
	struct in_addr querier = igmp_router_querier(vif->igmp);

	igmp_router_input(vif->igmp, now, ip, m);
	vif_notes(d, vif, now, &before, was_querier, querier, ip, m);
}

static void
igmp_in(struct mcastd *d, const struct kmr_event *ev, mc_time_t now)
{
	struct iface *ifc = iface_by_index(d, ev->ifindex);
	const uint8_t *igmp;
	size_t igmp_len;
	struct igmp_ip ip;
	struct igmp_msg m;
	struct vif *vif;
	int rc;

	d->stats.igmp_rx++;
	if (ifc == NULL || ifc->vif < 0) {
		d->stats.igmp_rx_no_vif++;
		return;
	}
	vif = &d->vifs[ifc->vif];
	rc = igmp_ip_decode(ev->packet, ev->len, &ip, &igmp, &igmp_len);
	if (rc == IGMP_OK)
		rc = igmp_decode(igmp, igmp_len, &m);
	if (rc != IGMP_OK) {
		char a[INET_ADDRSTRLEN];

		if (-rc < IGMP_E_COUNT) {
			d->stats.igmp_rx_bad[-rc]++;
			log_limited(&d->notes[-rc], now, 1, LOG_NOTICE,
			    "%s: IGMP from %s dropped: %s", vif->name,
			    ev->len >= 16 ? mcastd_ip_str(*(const struct
			    in_addr *)(ev->packet + 12), a) : "?",
			    igmp_error_name(rc));
		}
		return;
	}
	/* Our own queries come back when another VIF shares the LAN. */
	if (ip.src.s_addr == vif->addr.s_addr)
		return;
	vif->rx_igmp++;
	/* RFC 2236 2, RFC 3376 4: sent with TTL 1; the kernel keeps others. */
	if (ip.ttl != 1 && m.kind <= IGMP_KIND_V3_REPORT) {
		char a[INET_ADDRSTRLEN];

		d->stats.igmp_rx_ttl_not_1++;
		log_limited(&d->notes[MCASTD_NOTE_TTL], now, 1, LOG_NOTICE,
		    "%s: IGMP %s from %s with TTL %u (expected 1): accepted "
		    "as the kernel does", vif->name, igmp_kind_name(m.kind),
		    mcastd_ip_str(ip.src, a), ip.ttl);
	}
	vif_input(d, vif, now, &ip, &m);
}

static void
upcall_in(struct mcastd *d, const struct kmr_event *ev, mc_time_t now)
{
	enum mroute_upcall_kind kind;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	uint64_t refused;

	d->stats.upcalls++;
	if (ev->upcall == IGMPMSG_NOCACHE)
		kind = MROUTE_UPCALL_NOCACHE;
	else if (ev->upcall == IGMPMSG_WRONGVIF)
		kind = MROUTE_UPCALL_WRONGVIF;
	else {
		d->stats.upcalls_unknown++;
		return;
	}
	refused = mroute_stats(d->mr)->limit_entries;
	mroute_upcall(d->mr, now, kind, ev->source, ev->group, ev->vif);
	log_limited(&d->notes[MCASTD_NOTE_LIMIT_MFC], now,
	    mroute_stats(d->mr)->limit_entries - refused, LOG_WARNING,
	    "limit of %u forwarding entries reached: (%s, %s) not installed "
	    "(limits { upcalls })", d->conf.max_pending_upcalls,
	    mcastd_ip_str(ev->source, s), mcastd_ip_str(ev->group, g));
}

static void
kmr_in(struct mcastd *d)
{
	static uint8_t buf[65536];
	struct kmr_event ev;
	int i;

	/* A bounded batch per wake-up keeps the loop responsive. */
	for (i = 0; i < 256; i++) {
		if (kmr_read(&d->kmr, buf, sizeof(buf), &ev) < 0 ||
		    ev.kind == KMR_EVENT_NONE)
			break;
		if (ev.kind == KMR_EVENT_IGMP)
			igmp_in(d, &ev, mcastd_now());
		else
			upcall_in(d, &ev, mcastd_now());
	}
}

/* ---- counters for idle expiry ---- */

struct counter_list {
	struct in_addr	*s, *g;
	size_t		 n, cap;
};

static int
counter_collect(void *arg, const struct mroute_entry_view *v)
{
	struct counter_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct in_addr *s = realloc(l->s, cap * sizeof(*s));
		struct in_addr *g;

		if (s == NULL)
			return 1;
		l->s = s;
		g = realloc(l->g, cap * sizeof(*g));
		if (g == NULL)
			return 1;
		l->g = g;
		l->cap = cap;
	}
	l->s[l->n] = v->source;
	l->g[l->n++] = v->group;
	return 0;
}

static void
counters_poll(struct mcastd *d, mc_time_t now)
{
	struct counter_list l = { 0 };
	uint64_t pk, by, wr;
	size_t i;
	mroute_foreach_entry(d->mr, counter_collect, &l);
	for (i = 0; i < l.n; i++)
		if (kmr_sg_count(&d->kmr, l.s[i], l.g[i], &pk, &by, &wr) == 0)
			mroute_counter(d->mr, now, l.s[i], l.g[i], pk, wr);
	free(l.s);
	free(l.g);
}

/* ---- configuration ---- */

static void
mroute_conf(const struct conf *c, struct mroute_config *mc)
{
	mroute_config_defaults(mc);
	if (c->mfc_idle_timeout_s)
		mc->idle_timeout_ms = c->mfc_idle_timeout_s * 1000;
	mc->max_entries = c->max_pending_upcalls;	/* 0: none */
}

/* Apply a new configuration to running VIFs: change only what changed. */
static void
apply_conf(struct mcastd *d, mc_time_t now)
{
	struct mroute_config mc;
	unsigned v;

	mroute_conf(&d->conf, &mc);
	mroute_reconfigure(d->mr, &mc);
	for (v = 0; v < KMR_MAXVIFS; v++) {
		struct vif *vif = &d->vifs[v];
		struct igmp_router_config ic;
		struct mroute_prefix b[MROUTE_MAX_BOUNDARIES];
		unsigned nb;
		uint8_t th;
		bool th_changed;

		if (!vif->used)
			continue;
		vif_settings(d, vif->name, &th, b, &nb, &ic);
		if (memcmp(&ic, &vif->igmp_conf, sizeof(ic)) != 0) {
			if (igmp_router_reconfigure(vif->igmp, &ic) == 0)
				vif->igmp_conf = ic;
			log_notice("%s: IGMP settings changed", vif->name);
		}
		th_changed = th != vif->threshold;
		if (th_changed) {
			/* The kernel takes a VIF's threshold only on add. */
			kmr_vif_del(&d->kmr, v);
			if (kmr_vif_add(&d->kmr, v, vif->ifindex, th) < 0)
				d->stats.vif_errors++;
			vif->threshold = th;
			log_notice("%s: threshold now %u", vif->name, th);
		}
		/* The forwarding entries carry the threshold: recompute them. */
		if (th_changed || nb != vif->nboundaries ||
		    memcmp(b, vif->boundaries, nb * sizeof(*b)) != 0) {
			memcpy(vif->boundaries, b, sizeof(b));
			vif->nboundaries = nb;
			vif_mroute_config(d, vif, now);
		}
	}
	joins_from_conf(d);
	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used)
			joins_apply_vif(d, &d->vifs[v]);
	ifaces_reconcile(d, now);
	routes_apply(d, now);
}

/*
 * A phyint naming no interface is not an error (interfaces come and go, and
 * netlink tells us when it appears) but may be a typo: say so.
 */
static void
warn_missing_ifaces(struct mcastd *d)
{
	const struct conf_phyint *pi;
	size_t i, k;

	for (i = 0; i < d->conf.nphyints; i++) {
		pi = &d->conf.phyints[i];
		for (k = 0; k < MCASTD_MAX_IFACES; k++)
			if (d->ifaces[k].used &&
			    strcmp(d->ifaces[k].name, pi->name) == 0)
				break;
		if (k == MCASTD_MAX_IFACES)
			log_warn("phyint %s (%s:%u): no such interface now; "
			    "its settings apply when it appears", pi->name,
			    d->conf_path, pi->line);
	}
}

int
mcastd_reload(struct mcastd *d, char *msg, size_t len)
{
	struct conf fresh;
	struct conf_error err;
	char buf[512];

	if (conf_load(d->conf_path, &fresh, &err) < 0) {
		conf_error_format(&err, buf, sizeof(buf));
		snprintf(msg, len, "reload refused, the running configuration "
		    "stays: %s", buf);
		log_err("%s", msg);
		d->stats.reload_errors++;
		return -1;
	}
	if (conf_equal(&fresh, &d->conf)) {
		conf_free(&fresh);
		snprintf(msg, len, "configuration unchanged");
		return 0;
	}
	conf_free(&d->conf);
	d->conf = fresh;
	apply_conf(d, mcastd_now());
	drain_all(d);
	warn_missing_ifaces(d);
	d->stats.reloads++;
	snprintf(msg, len, "configuration reloaded from %s", d->conf_path);
	log_notice("%s", msg);
	return 0;
}

int
mcastd_route_change(struct mcastd *d, bool add, const struct conf_mroute *r,
    char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < d->nruntime_routes; i++) {
		const struct conf_mroute *x = &d->runtime_routes[i];

		if (x->group.s_addr == r->group.s_addr &&
		    x->has_source == r->has_source &&
		    (!r->has_source || x->source.s_addr == r->source.s_addr))
			break;
	}
	if (add) {
		if (i == d->nruntime_routes) {
			if (d->nruntime_routes == MCASTD_MAX_RUNTIME) {
				snprintf(msg, len, "already %d run-time routes:"
				    " expected fewer", MCASTD_MAX_RUNTIME);
				return -1;
			}
			d->nruntime_routes++;
		}
		d->runtime_routes[i] = *r;
	} else {
		if (i == d->nruntime_routes) {
			snprintf(msg, len, "no such run-time route (routes "
			    "from the configuration file change by reload)");
			return -1;
		}
		d->runtime_routes[i] =
		    d->runtime_routes[--d->nruntime_routes];
	}
	routes_apply(d, mcastd_now());
	drain_all(d);
	snprintf(msg, len, "%s", add ? "route added" : "route deleted");
	return 0;
}

int
mcastd_join_change(struct mcastd *d, bool join, const struct static_join *j,
    char *msg, size_t len)
{
	struct vif *vif = mcastd_vif_by_name(d, j->ifname);
	size_t i;

	for (i = 0; i < d->njoins; i++)
		if (strcmp(d->joins[i].ifname, j->ifname) == 0 &&
		    d->joins[i].group.s_addr == j->group.s_addr &&
		    d->joins[i].has_source == j->has_source &&
		    (!j->has_source ||
		    d->joins[i].source.s_addr == j->source.s_addr))
			break;
	if (join && i == d->njoins) {
		if (d->njoins == MCASTD_MAX_RUNTIME) {
			snprintf(msg, len, "already %d static joins: expected "
			    "fewer", MCASTD_MAX_RUNTIME);
			return -1;
		}
		d->joins[d->njoins] = *j;
		d->joins[d->njoins++].runtime = true;
	} else if (!join) {
		if (i == d->njoins) {
			snprintf(msg, len, "no such static join");
			return -1;
		}
		d->joins[i] = d->joins[--d->njoins];
	}
	if (vif != NULL)
		vif_push_membership(d, vif, j->group, NULL);
	drain_all(d);
	snprintf(msg, len, "%s%s", join ? "joined" : "left", vif ? "" :
	    " (the interface is not a VIF now: applied when it is)");
	return 0;
}

/* ---- start, loop, stop ---- */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mcastd [-f CONF] [-n] [-u SOCKET] [-p PIDFILE] [-l LEVEL] "
	    "[-g GROUP]\n"
	    "              [-U USER]\n"
	    "       mcastd -t [-f CONF]\n"
	    "  -f CONF     configuration (default %s)\n"
	    "  -n          stay in the foreground, log to standard error\n"
	    "  -u SOCKET   control socket (default %s)\n"
	    "  -p PIDFILE  pid file (default %s)\n"
	    "  -l LEVEL    debug, info, notice (default), warning, error\n"
	    "  -g GROUP    the group owning the control socket\n"
	    "  -U USER     run as USER after set-up (with CAP_NET_ADMIN and "
	    "CAP_NET_RAW)\n"
	    "  -t          check the configuration, print it normalised, exit\n",
	    MCASTD_DEFAULT_CONF, MCASTD_DEFAULT_SOCKET, MCASTD_DEFAULT_PIDFILE);
}

static int
write_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		n = -errno;
		close(fd);
		unlink(path);
		return n ? n : -EIO;
	}
	close(fd);
	return 0;
}

/*
 * After set-up only CAP_NET_ADMIN (the MRT socket, VIFs, MFC) and
 * CAP_NET_RAW (IGMP out) are needed; with -U, as that user and its group.
 */
static void
drop_privileges(const struct passwd *pw)
{
	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_ADMIN, CAP_NET_RAW, -1);
	if (pw != NULL) {
		if (capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
		    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) < 0)
			fatal("cannot become user %s (uid %u, gid %u) keeping "
			    "CAP_NET_ADMIN and CAP_NET_RAW: expected to be "
			    "started as root", pw->pw_name,
			    (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
		return;
	}
	if (capng_apply(CAPNG_SELECT_BOTH) < 0)
		log_warn("cannot drop privileges to CAP_NET_ADMIN and "
		    "CAP_NET_RAW; running with all of them");
}

/*
 * The control socket's refusals, noted like bad packets; then the lines
 * held back by the notes; the next deadline (force: all of them now).
 */
static mc_time_t
notes_flush(struct mcastd *d, mc_time_t now, bool force)
{
	const struct control_stats *cs = control_stats(d->ctl);
	mc_time_t next = MC_TIME_NEVER, t;
	int k;

	log_limited(&d->notes[MCASTD_NOTE_CONTROL_BAD], now,
	    cs->bad_requests - d->control_seen.bad_requests, LOG_NOTICE,
	    "control socket: a request refused: not one line of text or "
	    "longer than %d bytes", CONTROL_MAX_REQUEST - 1);
	log_limited(&d->notes[MCASTD_NOTE_CONTROL_DROPPED], now,
	    cs->clients_dropped - d->control_seen.clients_dropped, LOG_NOTICE,
	    "control socket: a client dropped: the oldest of %d when another "
	    "came, silent or not reading for 5 s, or the oldest not reading "
	    "when replies held passed %u MB", CONTROL_MAX_CLIENTS,
	    CONTROL_MAX_HELD >> 20);
	d->control_seen = *cs;
	for (k = 0; k < MCASTD_NOTE_COUNT; k++)
		if ((t = log_limit_flush(&d->notes[k], now, force)) < next)
			next = t;
	return next;
}

static mc_time_t
next_deadline(struct mcastd *d)
{
	mc_time_t next = d->next_counter_poll, t;
	unsigned v;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used &&
		    (t = igmp_router_next_deadline(d->vifs[v].igmp)) < next)
			next = t;
	if ((t = mroute_next_deadline(d->mr)) < next)
		next = t;
	if ((t = control_expire(d->ctl, mcastd_now())) < next)
		next = t;
	if ((t = ttltap_deadline(&d->tap, mcastd_now())) < next)
		next = t;
	if ((t = notes_flush(d, mcastd_now(), false)) < next)
		next = t;
	return next;
}

static void
run_timers(struct mcastd *d, mc_time_t now)
{
	unsigned v;

	for (v = 0; v < KMR_MAXVIFS; v++)
		if (d->vifs[v].used &&
		    igmp_router_next_deadline(d->vifs[v].igmp) <= now) {
			struct vif *vif = &d->vifs[v];
			struct igmp_router_stats b = *igmp_router_stats(
			    vif->igmp);
			bool was = igmp_router_is_querier(vif->igmp);
			struct in_addr q = igmp_router_querier(vif->igmp);

			igmp_router_timeout(vif->igmp, now);
			vif_notes(d, vif, now, &b, was, q, NULL, NULL);
		}
	drain_all(d);
	if (now >= d->next_counter_poll) {
		counters_poll(d, now);
		d->next_counter_poll = now + MCASTD_COUNTER_POLL_MS;
	}
	if (mroute_next_deadline(d->mr) <= now)
		mroute_timeout(d->mr, now);
	drain_mroute(d);
}

static void
signal_in(struct mcastd *d, int sfd)
{
	struct signalfd_siginfo si;
	char msg[512];

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			mcastd_reload(d, msg, sizeof(msg));
		else
			d->stop = true;
	}
}

static void
loop(struct mcastd *d, int sfd)
{
	struct pollfd pfd[MCASTD_MAX_POLLFDS];
	int cfds[MCASTD_MAX_POLLFDS];
	short cev[MCASTD_MAX_POLLFDS];
	int n, nc, i, rc, fd, tapi, first_ctl;
	mc_time_t now, next;

	while (!d->stop) {
		now = mcastd_now();
		next = next_deadline(d);
		n = 0;
		pfd[n++] = (struct pollfd){ .fd = d->kmr.fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = netlink_fd(d->nl),
		    .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		tapi = -1;
		if ((fd = ttltap_poll_fd(&d->tap, now)) >= 0) {
			tapi = n;
			pfd[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
		first_ctl = n;
		nc = control_fds(d->ctl, cfds, cev, MCASTD_MAX_POLLFDS - n);
		for (i = 0; i < nc; i++)
			pfd[n++] = (struct pollfd){ .fd = cfds[i],
			    .events = cev[i] };
		rc = poll(pfd, (nfds_t)n, next <= now ? 0 : next - now > 60000 ?
		    60000 : (int)(next - now));
		if (rc < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		now = mcastd_now();
		if (pfd[0].revents & POLLIN)
			kmr_in(d);
		if (pfd[1].revents & POLLIN) {
			rc = netlink_read(d->nl, netlink_event, d);
			if (rc == -ENOBUFS) {
				/* Events were lost: start from a fresh dump. */
				d->stats.netlink_resyncs++;
				netlink_dump(d->nl, netlink_event, d);
			}
			ifaces_reconcile(d, now);
		}
		if (pfd[2].revents & POLLIN)
			signal_in(d, sfd);
		if (tapi >= 0 && (pfd[tapi].revents & POLLIN)) {
			ttltap_read(&d->tap, now, tap_sample, d);
			drain_mroute(d);
		}
		for (i = first_ctl; i < n; i++)
			if (pfd[i].revents)
				control_service(d->ctl, pfd[i].fd,
				    pfd[i].revents, now);
		run_timers(d, mcastd_now());
	}
}

int
main(int argc, char **argv)
{
	static struct mcastd d;
	const char *sock_path = MCASTD_DEFAULT_SOCKET;
	const char *pidfile = MCASTD_DEFAULT_PIDFILE;
	bool foreground = false, check = false;
	struct conf_error err;
	struct mroute_config mc;
	struct group *gr;
	struct passwd *pw = NULL;
	gid_t gid = (gid_t)-1;
	char buf[512];
	sigset_t mask;
	int c, level = LOG_NOTICE, sfd, rc;

	d.conf_path = MCASTD_DEFAULT_CONF;
	while ((c = getopt(argc, argv, "f:nu:p:l:g:U:tVh")) != -1) {
		switch (c) {
		case 'f':
			d.conf_path = optarg;
			break;
		case 'n':
			foreground = true;
			break;
		case 'u':
			sock_path = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'l':
			if ((level = log_level_parse(optarg)) < 0) {
				fprintf(stderr, "mcastd: log level '%s': "
				    "expected debug, info, notice, warning or "
				    "error\n", optarg);
				return 2;
			}
			break;
		case 'g':
			if ((gr = getgrnam(optarg)) == NULL) {
				fprintf(stderr, "mcastd: no group '%s': "
				    "expected a group from /etc/group\n",
				    optarg);
				return 2;
			}
			gid = gr->gr_gid;
			break;
		case 'U':
			if ((pw = getpwnam(optarg)) == NULL) {
				fprintf(stderr, "mcastd: no user '%s': "
				    "expected a user from /etc/passwd\n",
				    optarg);
				return 2;
			}
			break;
		case 't':
			check = true;
			break;
		case 'V':
			printf("mcastd %s\n", MCAST_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mcastd: unexpected argument '%s': expected "
		    "options only\n", argv[optind]);
		return 2;
	}
	if (conf_load(d.conf_path, &d.conf, &err) < 0) {
		/* FILE:LINE:COLUMN: first, as compilers do, for editors. */
		conf_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "%s\n", buf);
		return 1;
	}
	if (check) {
		conf_print(stdout, &d.conf);
		conf_free(&d.conf);
		return 0;
	}
	log_init(foreground, level);
	if ((rc = kmr_open(&d.kmr)) < 0) {
		if (rc == -EADDRINUSE)
			fatal("another multicast routing daemon (mrouted, "
			    "pimd, smcroute, igmpproxy or mcastd) already owns "
			    "the kernel's multicast routing in this network "
			    "namespace: stop it first");
		fatal("cannot take the kernel's multicast routing (MRT_INIT):"
		    " %s%s", strerror(-rc), rc == -EPERM || rc == -EACCES ?
		    " (needs root or CAP_NET_ADMIN + CAP_NET_RAW)" : rc ==
		    -ENOPROTOOPT ? " (kernel without CONFIG_IP_MROUTE)" : "");
	}
	d.ctl = control_open(sock_path, gid, show_request, &d, &rc);
	if (d.ctl == NULL) {
		kmr_close(&d.kmr);
		fatal("control socket %s: %s%s", sock_path, strerror(rc),
		    rc == EADDRINUSE ? " (another mcastd answers there)" : "");
	}
	/* A start that fails leaves nothing behind: no socket, no pid file. */
	d.seed = (uint64_t)getpid() ^ (uint64_t)mcastd_now() << 16;
	mroute_conf(&d.conf, &mc);
	d.mr = mroute_new(&mc, d.seed, log_trace, "mroute");
	d.nl = netlink_open();
	if ((rc = ttltap_open(&d.tap)) < 0)
		log_warn("no check of senders' TTL: packet socket: %s",
		    strerror(-rc));
	if (d.mr == NULL || d.nl == NULL) {
		control_close(d.ctl);
		kmr_close(&d.kmr);
		fatal("cannot start: %s", d.nl ? "forwarding engine" :
		    "netlink socket");
	}
	if ((rc = write_pidfile(pidfile)) < 0) {
		control_close(d.ctl);
		kmr_close(&d.kmr);
		fatal("pid file %s: %s", pidfile, strerror(-rc));
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d.started = mcastd_now();
	d.next_counter_poll = d.started + MCASTD_COUNTER_POLL_MS;
	joins_from_conf(&d);
	if ((rc = netlink_dump(d.nl, netlink_event, &d)) < 0) {
		unlink(pidfile);
		control_close(d.ctl);
		kmr_close(&d.kmr);
		fatal("cannot list interfaces: %s", strerror(-rc));
	}
	ifaces_reconcile(&d, d.started);
	drain_all(&d);
	warn_missing_ifaces(&d);
	drop_privileges(pw);
	log_notice("started (pid %d, config %s, socket %s)", (int)getpid(),
	    d.conf_path, sock_path);
	loop(&d, sfd);
	notes_flush(&d, mcastd_now(), true);
	log_notice("stopping");
	/* MRT_DONE: the kernel drops our VIFs and forwarding entries. */
	for (c = 0; c < KMR_MAXVIFS; c++)
		if (d.vifs[c].used)
			igmp_router_free(d.vifs[c].igmp);
	kmr_close(&d.kmr);
	mroute_free(d.mr);
	netlink_close(d.nl);
	ttltap_close(&d.tap);
	control_close(d.ctl);
	/* As a -U user, /run may not let us: the next start replaces both. */
	if (unlink(pidfile) < 0 && errno != ENOENT)
		log_notice("pid file %s left behind: %s", pidfile,
		    strerror(errno));
	conf_free(&d.conf);
	free(d.routes);
	close(sfd);
	return 0;
}
