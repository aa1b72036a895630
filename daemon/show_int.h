/* What daemon/show.c and daemon/show_dvmrp.c (the views) share. */
#ifndef MCASTD_SHOW_INT_H
#define MCASTD_SHOW_INT_H

#include "mcastd.h"

struct show_ctx {
	struct mcastd *d;
	struct control_reply *r;
	const char *vif_name;
	mc_time_t now;
};

/* show.c */
void show_secs(struct control_reply *r, const char *key, mc_time_t when,
    mc_time_t now);
const char *show_vif_name(const struct mcastd *d, unsigned vif);
void show_vif_list(struct mcastd *d, struct control_reply *r, const char *key,
    uint32_t vifs);
void show_stat(struct control_reply *r, const char *name, uint64_t value);
void show_stat_named(struct control_reply *r, const char *prefix,
    const char *name, const char *as_underscore, uint64_t value);

/* show_dvmrp.c */
void show_dvmrp_routes(struct show_ctx *c);
int show_neighbor(void *arg, const struct dvmrp_nbr_view *v);
int show_prune(void *arg, const struct dvmrp_prune_view *v);
void show_stats_dvmrp(struct mcastd *d, struct control_reply *r);
void show_status_dvmrp(struct mcastd *d, struct control_reply *r);

#endif
