/*
 * mcastd's state: file descriptors and the kernel around one router
 * (proto/router.h), which holds every decision.  daemon/main.c starts and
 * stops it, daemon/rx.c reads the routing socket, daemon/outputs.c carries
 * out what the router decided, daemon/events.c tells the operator,
 * daemon/reload.c turns the configuration into the router's, and
 * daemon/command.c answers the control socket (views in show.c).
 */
#ifndef MCASTD_MCASTD_H
#define MCASTD_MCASTD_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "conf.h"
#include "control.h"
#include "engine.h"
#include "kmr.h"
#include "log.h"
#include "loop.h"
#include "netlink.h"
#include "router.h"
#include "ttltap.h"
#include "tun.h"

/* How often the kernel's counters are read for idle expiry. */
#define MCASTD_COUNTER_POLL_MS 5000
/* Reads of the routing socket per turn of the loop. */
#define MCASTD_RX_BUDGET 256

/* What the daemon itself counts: I/O, not decisions. */
struct mcastd_stats {
	uint64_t rx_errors; /* reads of the routing socket */
	uint64_t upcalls;
	uint64_t upcalls_unknown;
	uint64_t tx; /* packets sent */
	uint64_t tx_errors;
	uint64_t mfc_errors;	/* MRT_ADD/DEL_MFC refused */
	uint64_t vif_errors;	/* MRT_ADD/DEL_VIF refused */
	uint64_t join_errors;	/* 224.0.0.2/22 memberships */
	uint64_t counter_reads; /* MFC dumps */
	uint64_t counter_errors;
	uint64_t netlink_resyncs;
	uint64_t reloads;
	uint64_t reload_errors;
};

/*
 * What hosts on a LAN can make happen by the packet, logged once per
 * LOG_LIMIT_MS and kind with a count (daemon/log.h): decoder refusals (one
 * kind per igmp_error, 0 .. IGMP_E_COUNT - 1), IGMP inputs ignored (one
 * per igmp_router_ignored), then:
 */
enum mcastd_note {
	MCASTD_NOTE_IGNORED = IGMP_E_COUNT,
	MCASTD_NOTE_TTL = MCASTD_NOTE_IGNORED + IGMP_ROUTER_IGN_COUNT,
	MCASTD_NOTE_UNKNOWN_TYPE,
	MCASTD_NOTE_LIMIT_GROUPS,
	MCASTD_NOTE_LIMIT_SOURCES,
	MCASTD_NOTE_LIMIT_MFC,
	MCASTD_NOTE_LIMIT_DVMRP_NBR, /* a DVMRP neighbour not taken */
	MCASTD_NOTE_QUERIER,	     /* another became the querier */
	MCASTD_NOTE_TAKEOVER,	     /* querier again */
	MCASTD_NOTE_CONTROL_BAD,
	MCASTD_NOTE_CONTROL_DROPPED,
	MCASTD_NOTE_COUNT
};

#define MCASTD_MAX_CONTROL_FDS (CONTROL_MAX_CLIENTS + 1)

struct mcastd {
	const char *conf_path;
	struct conf conf;
	struct router *router;
	struct kmr kmr;
	struct netlink *nl;	 /* link and address events */
	struct netlink *nl_dump; /* dumps: addresses, MFC */
	struct control *ctl;
	int ctl_fds[MCASTD_MAX_CONTROL_FDS];
	int nctl_fds;
	struct tun tunnels[CONF_MAX_TUNNELS]; /* daemon/tun.c */
	struct ttltap tap;		      /* fd -1: no TTL check */
	bool tap_watched;
	struct loop *loop;
	int signal_fd;
	mc_time_t started;
	mc_time_t next_counter_poll;
	bool addresses_lost; /* dump them again */
	struct mcastd_stats stats;
	struct log_limit notes[MCASTD_NOTE_COUNT];
	struct control_stats control_seen; /* as last noted */
	uint64_t seed;
};

mc_time_t mcastd_now(void);
/* A dotted quad in buf, for logs and replies. */
const char *mcastd_ip_str(struct in_addr a, char buf[INET_ADDRSTRLEN]);

/* daemon/outputs.c: carry out everything the router output. */
void outputs_apply(struct mcastd *d);
/* Set the TTL tap's filter to the highest threshold (VIFs changed). */
void outputs_tap_update(struct mcastd *d);

/* daemon/events.c: one router event told to the operator. */
void events_log(struct mcastd *d, const struct router_output *o, mc_time_t now);
/* Lines held back by the notes; when to flush again (force: now). */
mc_time_t events_flush(struct mcastd *d, mc_time_t now, bool force);

/* daemon/reload.c */
/* The router's configuration from the file's (arrays allocated). */
int reload_router_config(const struct conf *c, struct router_config *rc);
void reload_router_config_free(struct router_config *rc);
/* Re-read the configuration; 0, or -1 with a message in msg. */
int mcastd_reload(struct mcastd *d, char *msg, size_t len);
/*
 * The same for mcastctl reload: -1 refused (the running configuration
 * stays), or the number of names in the configuration (applied) that
 * match no interface, each logged and given to r as a "warning" record.
 */
int mcastd_reload_reply(struct mcastd *d, char *msg, size_t len,
    struct control_reply *r);
/* Log the names of the configuration that match no interface. */
void reload_warn_missing(struct mcastd *d);
/*
 * mcastd -t: the names of c that match no interface of this host, as
 * "PATH:LINE: warning: ..." lines on out; their number.
 */
size_t reload_check_host(const char *path, const struct conf *c, FILE *out);

/* daemon/rx.c: read what the routing socket has, up to budget. */
void rx_read(struct mcastd *d, unsigned budget);

/* daemon/main.c: fresh kernel counters of every entry, for views. */
void mcastd_read_counters(struct mcastd *d, mc_time_t now);

/* daemon/command.c: one control request (control.h's callback). */
void command_request(void *arg, int argc, char **argv,
    struct control_reply *reply);
/* daemon/show.c: "show WHAT"'s records, or status 2 for an unknown WHAT. */
void show_view(struct mcastd *d, const char *what, struct control_reply *reply);

#endif
