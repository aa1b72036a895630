/*
 * For the fuzz targets that drive a whole router (proto/router.h): steps
 * they share, reading their arguments from the input (fz_input.h).
 */
#ifndef MCAST_FUZZ_FZ_ROUTER_H
#define MCAST_FUZZ_FZ_ROUTER_H

#include <string.h>

#include "fz_input.h"
#include "router.h"

/* mcastctl join or leave of group on the interface called ifname, as the
   next byte's low bit says. */
static inline void
fz_member(struct router *r, mc_time_t now, const char *ifname,
    struct in_addr group, struct fz_in *in)
{
	struct router_static_group j;

	memset(&j, 0, sizeof(j));
	strncpy(j.ifname, ifname, sizeof(j.ifname) - 1);
	j.group = group;
	if (fz_byte(in) & 1)
		router_join(r, now, &j);
	else
		router_leave(r, now, &j);
}

#endif
