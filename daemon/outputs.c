/*
 * mcastd carries out what the router decided (proto/router.h outputs):
 * VIFs, the router's own memberships, packets and forwarding entries go
 * to the kernel (daemon/kmr.c); events go to the log (daemon/events.c).
 * A refusal by the kernel is counted, logged, and told back to the router
 * where it must know (a VIF it cannot have).
 */
#include <errno.h>
#include <string.h>

#include "mcastd.h"

static void
outputs_vif_add(struct mcastd *d, const struct router_output *o)
{
	int rc = kmr_vif_add(&d->kmr, o->vif, o->ifindex, o->threshold);

	if (rc == 0)
		return;
	d->stats.vif_errors++;
	log_warn("%s: cannot add VIF %u: %s%s", o->ifname, o->vif,
	    strerror(-rc),
	    rc == -ENOBUFS ? " (the kernel's VIF table is "
			     "full)" :
			     "");
	router_vif_refused(d->router, mcastd_now(), o->vif, rc);
}

static void
outputs_vif_del(struct mcastd *d, const struct router_output *o)
{
	int rc = kmr_vif_del(&d->kmr, o->vif);

	/*
	 * An interface that was deleted took its VIF and our memberships
	 * with it (the kernel drops them on NETDEV_UNREGISTER, before we
	 * read the link going): EADDRNOTAVAIL then says it is gone.
	 */
	if (rc < 0 && rc != -EADDRNOTAVAIL) {
		d->stats.vif_errors++;
		log_warn("%s: cannot delete VIF %u: %s", o->ifname, o->vif,
		    strerror(-rc));
	}
}

static void
outputs_membership(struct mcastd *d, const struct router_output *o)
{
	char g[INET_ADDRSTRLEN];
	int rc;

	if (o->kind == ROUTER_OUT_JOIN) {
		rc = kmr_join(&d->kmr, o->ifindex, o->group);
		if (rc < 0) {
			d->stats.join_errors++;
			log_warn("ifindex %u: cannot join %s: %s", o->ifindex,
			    mcastd_ip_str(o->group, g), strerror(-rc));
		}
	} else {
		/* The interface may be gone, and the membership with it. */
		kmr_leave(&d->kmr, o->ifindex, o->group);
	}
}

/*
 * An mtrace block's packet counters, which the router leaves to us
 * (proto/router_mtrace.c): the kernel's per-VIF and per-(S,G) counts, all
 * ones when the kernel has none (no entry for the flow).
 */
static const uint8_t *
outputs_mtrace_counters(struct mcastd *d, const struct router_output *o,
    uint8_t *buf, size_t cap)
{
	const struct router_mtrace_counters *c = &o->mtrace;
	uint32_t in = UINT32_MAX, out = UINT32_MAX, sg = UINT32_MAX;
	struct kmr_vif_counters vc;
	uint64_t pkts, bytes, wrong;

	if (o->len > cap)
		return o->packet;
	memcpy(buf, o->packet, o->len);
	if (c->in_vif >= 0 &&
	    kmr_vif_count(&d->kmr, (unsigned)c->in_vif, &vc) == 0)
		in = (uint32_t)vc.in_packets;
	if (c->out_vif >= 0 &&
	    kmr_vif_count(&d->kmr, (unsigned)c->out_vif, &vc) == 0)
		out = (uint32_t)vc.out_packets;
	if (c->sg &&
	    kmr_sg_count(&d->kmr, c->source, c->group, &pkts, &bytes, &wrong) ==
		0)
		sg = (uint32_t)pkts;
	router_mtrace_fill(buf, o->len, c, in, out, sg);
	return buf;
}

static void
outputs_send(struct mcastd *d, const struct router_output *o)
{
	static uint8_t mtrace_buf[ROUTER_MTRACE_MAX_LEN];
	char a[INET_ADDRSTRLEN];
	const uint8_t *p = o->packet;
	int rc;

	if (o->mtrace.fill)
		p = outputs_mtrace_counters(d, o, mtrace_buf,
		    sizeof(mtrace_buf));
	/* Into a tunnel: straight to its far end (daemon/tun.h). */
	if (tun_send_own(d->tunnels, o->ifindex, p, o->len)) {
		d->stats.tx++;
		return;
	}
	rc = kmr_send(&d->kmr, o->ifindex, o->dst, p, o->len);
	if (rc < 0) {
		d->stats.tx_errors++;
		log_debug("%s: sending to %s: %s",
		    o->ifindex != 0 ? o->ifname : "(routed)",
		    mcastd_ip_str(o->dst, a), strerror(-rc));
	} else {
		d->stats.tx++;
	}
}

static void
outputs_mfc(struct mcastd *d, const struct router_output *o)
{
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	bool add = o->kind == ROUTER_OUT_MFC_ADD;
	int rc;

	if (add)
		rc = kmr_mfc_add(&d->kmr, o->source, o->group, o->iif, o->ttls);
	else
		rc = kmr_mfc_del(&d->kmr, o->source, o->group);
	if (rc < 0 && !(!add && rc == -ENOENT)) {
		d->stats.mfc_errors++;
		log_warn("MFC %s (%s, %s): %s", add ? "add" : "delete",
		    mcastd_ip_str(o->source, s), mcastd_ip_str(o->group, g),
		    strerror(-rc));
	}
}

/* The TTL check's tap passes TTLs up to the highest threshold of a VIF. */
void
outputs_tap_update(struct mcastd *d)
{
	struct router_vif_view v;
	uint8_t max = 0;
	unsigned vif;
	int rc;

	if (d->tap.fd < 0)
		return;
	for (vif = 0; vif < ROUTER_MAXVIFS; vif++)
		if (router_vif(d->router, vif, &v) == 0 && v.threshold > max)
			max = v.threshold;
	if ((rc = ttltap_filter(&d->tap, max)) < 0)
		log_warn("TTL check: cannot set its packet filter: %s",
		    strerror(-rc));
}

void
outputs_apply(struct mcastd *d)
{
	const struct router_output *o;
	bool vifs_changed = false;
	mc_time_t now = mcastd_now();

	while ((o = router_output(d->router)) != NULL) {
		switch (o->kind) {
		case ROUTER_OUT_VIF_ADD:
			outputs_vif_add(d, o);
			vifs_changed = true;
			break;
		case ROUTER_OUT_VIF_DEL:
			outputs_vif_del(d, o);
			vifs_changed = true;
			break;
		case ROUTER_OUT_JOIN:
		case ROUTER_OUT_LEAVE:
			outputs_membership(d, o);
			break;
		case ROUTER_OUT_SEND:
			outputs_send(d, o);
			break;
		case ROUTER_OUT_MFC_ADD:
		case ROUTER_OUT_MFC_DEL:
			outputs_mfc(d, o);
			break;
		case ROUTER_OUT_EVENT:
			events_log(d, o, now);
			break;
		}
	}
	if (vifs_changed)
		outputs_tap_update(d);
}
