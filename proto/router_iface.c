/*
 * The router library's interfaces and VIFs (router.h): what the kernel
 * announces, which interfaces become VIFs (up, multicast, an IPv4
 * address, not disabled), and a VIF's life: the kernel's VIF, the
 * router's own memberships, an IGMP engine and the composer's VIF.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"

struct router_iface *
router_iface_find(struct router *r, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < ROUTER_MAX_IFACES; i++)
		if (r->ifaces[i].used && r->ifaces[i].ifindex == ifindex)
			return &r->ifaces[i];
	return NULL;
}

bool
router_is_own_address(const struct router *r, struct in_addr a)
{
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used && r->vifs[v].addr.s_addr == a.s_addr)
			return true;
	return false;
}

int
router_vif_by_name(const struct router *r, const char *name)
{
	unsigned v;

	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used && strcmp(r->vifs[v].name, name) == 0)
			return (int)v;
	return -1;
}

/* ------------------------------------------------------------------ */
/* What the kernel announces                                          */

void
router_link(struct router *r, unsigned ifindex, const char *name,
    unsigned flags)
{
	struct router_iface *ifc = router_iface_find(r, ifindex);
	size_t i;

	if (ifc == NULL) {
		for (i = 0; i < ROUTER_MAX_IFACES; i++)
			if (!r->ifaces[i].used) {
				ifc = &r->ifaces[i];
				memset(ifc, 0, sizeof(*ifc));
				ifc->used = true;
				ifc->ifindex = ifindex;
				ifc->vif = -1;
				break;
			}
		if (ifc == NULL)
			return;
	}
	if (name != NULL && name[0] != '\0')
		snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	ifc->flags = flags;
	ifc->refused = false;
}

void
router_link_del(struct router *r, unsigned ifindex)
{
	struct router_iface *ifc = router_iface_find(r, ifindex);

	if (ifc != NULL) {
		ifc->used = false;
		ifc->has_addr = false;
	}
}

void
router_addr_add(struct router *r, unsigned ifindex, struct in_addr addr,
    uint8_t prefix_len)
{
	struct router_iface *ifc = router_iface_find(r, ifindex);

	/* The first address is the one the interface queries from. */
	if (ifc != NULL && !ifc->has_addr) {
		ifc->refused = false;
		ifc->has_addr = true;
		ifc->addr = addr;
		ifc->prefix_len = prefix_len;
	}
}

bool
router_addr_del(struct router *r, unsigned ifindex, struct in_addr addr)
{
	struct router_iface *ifc = router_iface_find(r, ifindex);

	if (ifc == NULL || !ifc->has_addr || ifc->addr.s_addr != addr.s_addr)
		return false;
	ifc->has_addr = false;
	return true;
}

/* ------------------------------------------------------------------ */
/* VIFs                                                               */

/*
 * What keeps an interface from being a VIF (ROUTER_IFACE_ROUTING: nothing),
 * whether it is one now or not.
 */
static enum router_iface_state
router_iface_state(const struct router *r, const struct router_iface *ifc)
{
	const struct router_phyint *pi = router_phyint(r, ifc->name);

	if (ifc->flags & IFF_LOOPBACK)
		return ROUTER_IFACE_LOOPBACK;
	if (pi != NULL ? pi->disable : r->default_disable)
		return ROUTER_IFACE_DISABLED;
	if (!(ifc->flags & IFF_UP))
		return ROUTER_IFACE_DOWN;
	if (!(ifc->flags & IFF_MULTICAST))
		return ROUTER_IFACE_NO_MULTICAST;
	/* Up without a carrier: what is sent there (a query) is lost. */
	if (!(ifc->flags & IFF_RUNNING))
		return ROUTER_IFACE_NO_CARRIER;
	if (!ifc->has_addr)
		return ROUTER_IFACE_NO_ADDRESS;
	if (ifc->refused)
		return ROUTER_IFACE_REFUSED;
	if (ifc->no_free_vif)
		return ROUTER_IFACE_NO_FREE_VIF;
	return ROUTER_IFACE_ROUTING;
}

/* Why an interface in state s is no VIF, for the log. */
static const char *
router_iface_why_not(enum router_iface_state s)
{
	switch (s) {
	case ROUTER_IFACE_DOWN:
		return "interface down";
	case ROUTER_IFACE_DISABLED:
		return "disabled";
	case ROUTER_IFACE_NO_MULTICAST:
		return "no multicast";
	case ROUTER_IFACE_NO_CARRIER:
		return "no carrier";
	default:
		return "no IPv4 address";
	}
}

/* Should this interface be a VIF, by the configuration and its state? */
static bool
router_iface_wanted(const struct router *r, const struct router_iface *ifc)
{
	enum router_iface_state s = router_iface_state(r, ifc);

	return s == ROUTER_IFACE_ROUTING || s == ROUTER_IFACE_NO_FREE_VIF;
}

static struct router_output *
router_emit_membership(struct router *r, enum router_output_kind kind,
    unsigned ifindex, uint32_t group)
{
	struct router_output *o = router_emit(r, kind);

	if (o != NULL) {
		o->ifindex = ifindex;
		o->group.s_addr = htonl(group);
	}
	return o;
}

/* The VIF's engine traces a line: the interface's name before it. */
static void
router_vif_trace(void *arg, const char *line)
{
	const struct router_vif *v = arg;

	trace(&v->router->trace, "%s: %s", v->name, line);
}

static void
router_vif_create(struct router *r, mc_time_t now, struct router_iface *ifc)
{
	struct mfc_vif_config mc;
	struct router_output *o;
	struct router_vif *v = NULL;
	unsigned vif;

	for (vif = 0; vif < ROUTER_MAXVIFS; vif++)
		if (!r->vifs[vif].used) {
			v = &r->vifs[vif];
			break;
		}
	if (v == NULL) {
		if (!ifc->no_free_vif) {
			r->stats.no_free_vif++;
			o = router_emit_event(r, ROUTER_EV_NO_FREE_VIF, -1);
			if (o != NULL) {
				o->ifindex = ifc->ifindex;
				memcpy(o->ifname, ifc->name, sizeof(o->ifname));
			}
		}
		ifc->no_free_vif = true;
		return;
	}
	ifc->no_free_vif = false;
	memset(v, 0, sizeof(*v));
	v->ifindex = ifc->ifindex;
	memcpy(v->name, ifc->name, sizeof(v->name));
	v->addr = ifc->addr;
	v->prefix_len = ifc->prefix_len;
	router_vif_settings(r, ifc->name, &v->threshold, v->boundaries,
	    &v->nboundaries, &v->igmp_config);
	v->router = r;
	v->igmp = igmp_router_new(&v->igmp_config, v->addr, v->prefix_len,
	    r->seed + vif, r->trace.fn != NULL ? router_vif_trace : NULL, v);
	if (v->igmp == NULL) {
		r->stats.unexpected_events++;
		return;
	}
	o = router_emit(r, ROUTER_OUT_VIF_ADD);
	if (o != NULL) {
		o->vif = vif;
		o->ifindex = v->ifindex;
		memcpy(o->ifname, v->name, sizeof(o->ifname));
		o->threshold = v->threshold;
	}
	v->used = true;
	v->created = now;
	v->tunnel = router_vif_is_tunnel(r, v->name);
	ifc->vif = (int)vif;
	/* No IGMP on a tunnel (as mrouted): no hosts there, only the far
	   end's router. */
	if (!v->tunnel) {
		router_emit_membership(r, ROUTER_OUT_JOIN, v->ifindex,
		    IGMP_ALL_ROUTERS);
		router_emit_membership(r, ROUTER_OUT_JOIN, v->ifindex,
		    IGMP_V3_ROUTERS);
	}
	memset(&mc, 0, sizeof(mc));
	mc.ifindex = v->ifindex;
	mc.threshold = v->threshold;
	mc.boundaries = v->boundaries;
	mc.nboundaries = v->nboundaries;
	mfc_vif_set(r->mfc, now, vif, &mc);
	router_drain_mfc(r, now);
	if (!v->tunnel)
		igmp_router_start(v->igmp, now);
	o = router_emit_event(r, ROUTER_EV_VIF_UP, (int)vif);
	if (o != NULL) {
		o->threshold = v->threshold;
		o->igmp_version = v->igmp_config.version;
		o->addr = v->addr;
		o->prefix_len = v->prefix_len;
	}
}

/*
 * VIF vif goes: out of every entry first, then its engine, the kernel's
 * VIF (unless the kernel never had it) and the router's memberships.
 */
static void
router_vif_destroy(struct router *r, mc_time_t now, unsigned vif,
    const char *why, bool kernel_has_it)
{
	struct router_vif *v = &r->vifs[vif];
	struct router_iface *ifc = router_iface_find(r, v->ifindex);
	struct router_output *o;

	mfc_vif_del(r->mfc, now, vif);
	router_pushed_forget_vif(r, vif);
	router_drain_mfc(r, now);
	/* What it still had to say (its last queries are moot). */
	igmp_router_free(v->igmp);
	v->igmp = NULL;
	if (kernel_has_it) {
		o = router_emit(r, ROUTER_OUT_VIF_DEL);
		if (o != NULL) {
			o->vif = vif;
			o->ifindex = v->ifindex;
			memcpy(o->ifname, v->name, sizeof(o->ifname));
		}
	}
	router_emit_membership(r, ROUTER_OUT_LEAVE, v->ifindex,
	    IGMP_ALL_ROUTERS);
	router_emit_membership(r, ROUTER_OUT_LEAVE, v->ifindex,
	    IGMP_V3_ROUTERS);
	o = router_emit_event(r, ROUTER_EV_VIF_DOWN, (int)vif);
	if (o != NULL)
		o->why = why;
	memset(v, 0, sizeof(*v));
	if (ifc != NULL && ifc->vif == (int)vif)
		ifc->vif = -1;
}

/* The interface under VIF v was renamed or got another address. */
static void
router_vif_follow(struct router *r, mc_time_t now, unsigned vif,
    const struct router_iface *ifc)
{
	struct router_vif *v = &r->vifs[vif];
	struct router_output *o;

	if (strcmp(ifc->name, v->name) == 0 &&
	    ifc->addr.s_addr == v->addr.s_addr &&
	    ifc->prefix_len == v->prefix_len)
		return;
	memcpy(v->name, ifc->name, sizeof(v->name));
	if (ifc->addr.s_addr != v->addr.s_addr ||
	    ifc->prefix_len != v->prefix_len) {
		v->addr = ifc->addr;
		v->prefix_len = ifc->prefix_len;
		igmp_router_set_address(v->igmp, now, v->addr, v->prefix_len);
	}
	o = router_emit_event(r, ROUTER_EV_VIF_ADDRESS, (int)vif);
	if (o != NULL) {
		o->addr = v->addr;
		o->prefix_len = v->prefix_len;
	}
}

void
router_reconcile(struct router *r, mc_time_t now)
{
	struct router_iface *ifc;
	struct router_vif *v;
	unsigned vif;
	size_t i;

	for (vif = 0; vif < ROUTER_MAXVIFS; vif++) {
		v = &r->vifs[vif];
		if (!v->used)
			continue;
		ifc = router_iface_find(r, v->ifindex);
		if (ifc == NULL)
			router_vif_destroy(r, now, vif, "interface deleted",
			    true);
		else if (!router_iface_wanted(r, ifc))
			router_vif_destroy(r, now, vif,
			    router_iface_why_not(router_iface_state(r, ifc)),
			    true);
		else
			router_vif_follow(r, now, vif, ifc);
	}
	for (i = 0; i < ROUTER_MAX_IFACES; i++) {
		ifc = &r->ifaces[i];
		if (!ifc->used)
			continue;
		if (ifc->vif < 0 && router_iface_wanted(r, ifc))
			router_vif_create(r, now, ifc);
		else if (ifc->vif < 0)
			ifc->no_free_vif = false;
	}
	router_statics_sync(r, now);
	router_routes_sync(r, now);
	router_dvmrp_sync_vifs(r, now);
	router_pump(r, now);
}

void
router_vif_refused(struct router *r, mc_time_t now, unsigned vif, int error)
{
	struct router_iface *ifc;

	if (vif >= ROUTER_MAXVIFS || !r->vifs[vif].used)
		return;
	r->stats.vif_refused++;
	ifc = router_iface_find(r, r->vifs[vif].ifindex);
	router_vif_destroy(r, now, vif,
	    error == -ENOBUFS ? "the kernel refused it (no room)" :
				"the kernel refused it",
	    false);
	/* Not again until the interface changes: it would be refused. */
	if (ifc != NULL)
		ifc->refused = true;
	router_statics_sync(r, now);
	router_routes_sync(r, now);
	router_dvmrp_sync_vifs(r, now);
	router_pump(r, now);
}

/* ------------------------------------------------------------------ */
/* Views                                                              */

const char *
router_iface_state_name(enum router_iface_state s)
{
	switch (s) {
	case ROUTER_IFACE_ROUTING:
		return "routing";
	case ROUTER_IFACE_DOWN:
		return "down";
	case ROUTER_IFACE_NO_MULTICAST:
		return "no-multicast";
	case ROUTER_IFACE_NO_CARRIER:
		return "no-carrier";
	case ROUTER_IFACE_NO_ADDRESS:
		return "no-address";
	case ROUTER_IFACE_DISABLED:
		return "disabled";
	case ROUTER_IFACE_LOOPBACK:
		return "loopback";
	case ROUTER_IFACE_NO_FREE_VIF:
		return "no-free-vif";
	case ROUTER_IFACE_REFUSED:
		return "refused";
	default:
		return "?";
	}
}

static int
router_iface_cmp(const void *a, const void *b)
{
	const struct router_iface *x = *(const struct router_iface *const *)a;
	const struct router_iface *y = *(const struct router_iface *const *)b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

int
router_foreach_iface(const struct router *r,
    int (*fn)(void *arg, const struct router_iface_view *v), void *arg)
{
	const struct router_iface *list[ROUTER_MAX_IFACES];
	struct router_iface_view v;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < ROUTER_MAX_IFACES; i++)
		if (r->ifaces[i].used)
			list[n++] = &r->ifaces[i];
	qsort(list, n, sizeof(list[0]), router_iface_cmp);
	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		v.ifindex = list[i]->ifindex;
		v.name = list[i]->name;
		v.flags = list[i]->flags;
		v.has_addr = list[i]->has_addr;
		v.addr = list[i]->addr;
		v.prefix_len = list[i]->prefix_len;
		v.vif = list[i]->vif;
		v.state = list[i]->vif >= 0 ? ROUTER_IFACE_ROUTING :
					      router_iface_state(r, list[i]);
		if ((rc = fn(arg, &v)) != 0)
			return rc;
	}
	return 0;
}
