/*
 * mcastd's receive side: the kernel's multicast routing socket read with a
 * budget per turn of the loop, upcalls told from packets, and each handed
 * to the router (proto/router_rx.c tells the packets apart by type).
 */
#include <sys/time.h>
#include <netinet/in.h>
#include <linux/mroute.h>

#include "mcastd.h"

static void
rx_upcall(struct mcastd *d, const struct kmr_event *ev, mc_time_t now)
{
	enum mfc_upcall_kind kind;

	d->stats.upcalls++;
	if (ev->upcall == IGMPMSG_NOCACHE)
		kind = MFC_UPCALL_NOCACHE;
	else if (ev->upcall == IGMPMSG_WRONGVIF)
		kind = MFC_UPCALL_WRONGVIF;
	else {
		d->stats.upcalls_unknown++;
		return;
	}
	router_upcall(d->router, now, kind, ev->vif, ev->source, ev->group);
}

void
rx_read(struct mcastd *d, unsigned budget)
{
	static uint8_t buf[65536];
	struct kmr_event ev;
	unsigned i;
	int rc;

	for (i = 0; i < budget; i++) {
		rc = kmr_read(&d->kmr, buf, sizeof(buf), &ev);
		if (rc < 0) {
			d->stats.rx_errors++;
			break;
		}
		if (ev.kind == KMR_EVENT_NONE)
			break;
		if (ev.kind == KMR_EVENT_IGMP) {
			mc_time_t now = mcastd_now();
			struct timeval tv;

			/* mtrace's arrival times are wall-clock time. */
			gettimeofday(&tv, NULL);
			router_set_wall_clock(d->router, now,
			    (int64_t)tv.tv_sec * 1000000 + tv.tv_usec);
			router_igmp_packet(d->router, now, ev.ifindex,
			    ev.packet, ev.len);
		} else
			rx_upcall(d, &ev, mcastd_now());
		outputs_apply(d);
	}
}
