/*
 * mcastd's state: the interfaces the kernel told us of, the VIFs we made of
 * them (each with its IGMP router engine), the forwarding engine, and the
 * I/O around them.  daemon/mcastd.c runs it; daemon/show.c answers the
 * control socket from it.
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
#include "igmp_router.h"
#include "igmp_wire.h"
#include "kmr.h"
#include "log.h"
#include "mroute.h"
#include "netlink.h"
#include "ttltap.h"

#define MCASTD_MAX_IFACES	1024
#define MCASTD_MAX_RUNTIME	256	/* mcastctl add mroute / join */

struct iface {
	bool		used;
	unsigned	ifindex;
	char		name[IF_NAMESIZE];
	unsigned	flags;
	bool		has_v4;
	struct in_addr	addr;
	uint8_t		prefix_len;
	int		vif;		/* -1: not a VIF */
};

struct vif {
	bool			 used;
	unsigned		 ifindex;
	char			 name[IF_NAMESIZE];
	struct in_addr		 addr;
	uint8_t			 prefix_len;
	uint8_t			 threshold;
	struct igmp_router	*igmp;
	struct igmp_router_config igmp_conf;
	unsigned		 nboundaries;
	struct mroute_prefix	 boundaries[MROUTE_MAX_BOUNDARIES];
	uint64_t		 rx_igmp;
	mc_time_t		 created;
};

/* A static route as applied to the forwarding engine. */
struct applied_route {
	struct in_addr	source;
	struct in_addr	group;
	unsigned	iif;
	uint32_t	oifs;
};

/* A static membership (phyint static-group, mcastctl join). */
struct static_join {
	char		ifname[IF_NAMESIZE];
	struct in_addr	group;
	bool		has_source;
	struct in_addr	source;
	bool		runtime;	/* from mcastctl, not the file */
};

struct mcastd_stats {
	uint64_t	igmp_rx;
	uint64_t	igmp_rx_bad[IGMP_E_COUNT];	/* by -igmp_error */
	uint64_t	igmp_rx_no_vif;		/* on an interface not a VIF */
	uint64_t	igmp_rx_ttl_not_1;	/* membership messages; kept */
	uint64_t	igmp_tx;
	uint64_t	igmp_tx_errors;
	uint64_t	upcalls;
	uint64_t	upcalls_unknown;
	uint64_t	mfc_errors;
	uint64_t	vif_errors;
	uint64_t	netlink_resyncs;
	uint64_t	reloads;
	uint64_t	reload_errors;
};

/*
 * What hosts on a LAN can make happen by the packet, logged once per
 * LOG_LIMIT_MS and kind with a count (daemon/log.h): IGMP dropped by the
 * decoder (one kind per igmp_error, indices 0 to IGMP_E_COUNT - 1), then:
 */
enum mcastd_note {
	MCASTD_NOTE_TTL = IGMP_E_COUNT,	/* TTL above 1, accepted */
	MCASTD_NOTE_UNKNOWN_TYPE,
	MCASTD_NOTE_OFF_SUBNET,
	MCASTD_NOTE_NO_ROUTER_ALERT,
	MCASTD_NOTE_BAD_DESTINATION,
	MCASTD_NOTE_SSM,
	MCASTD_NOTE_LIMIT_GROUPS,
	MCASTD_NOTE_LIMIT_SOURCES,
	MCASTD_NOTE_LIMIT_MFC,
	MCASTD_NOTE_QUERIER,		/* another became the querier */
	MCASTD_NOTE_TAKEOVER,		/* querier again */
	MCASTD_NOTE_CONTROL_BAD,
	MCASTD_NOTE_CONTROL_DROPPED,
	MCASTD_NOTE_COUNT
};

struct mcastd {
	const char		*conf_path;
	struct conf		 conf;
	struct kmr		 kmr;
	struct netlink		*nl;
	struct mroute		*mr;
	struct control		*ctl;
	struct ttltap		 tap;		/* fd -1: no TTL check */
	struct iface		 ifaces[MCASTD_MAX_IFACES];
	struct vif		 vifs[KMR_MAXVIFS];
	struct applied_route	*routes;
	size_t			 nroutes;
	struct conf_mroute	 runtime_routes[MCASTD_MAX_RUNTIME];
	size_t			 nruntime_routes;
	struct static_join	 joins[MCASTD_MAX_RUNTIME];
	size_t			 njoins;
	mc_time_t		 started;
	mc_time_t		 next_counter_poll;
	bool			 stop;
	bool			 reload;
	struct mcastd_stats	 stats;
	struct log_limit	 notes[MCASTD_NOTE_COUNT];
	struct control_stats	 control_seen;	/* as last noted */
	uint64_t		 seed;
};

mc_time_t	mcastd_now(void);
/* A dotted quad in buf, for logs and replies. */
const char	*mcastd_ip_str(struct in_addr a, char buf[INET_ADDRSTRLEN]);
/* Re-read the configuration; 0, or -1 with a message in msg. */
int		mcastd_reload(struct mcastd *d, char *msg, size_t len);
/* mcastctl add/del mroute, join/leave: 0 or -1 with msg. */
int		mcastd_route_change(struct mcastd *d, bool add,
		    const struct conf_mroute *r, char *msg, size_t len);
int		mcastd_join_change(struct mcastd *d, bool join,
		    const struct static_join *j, char *msg, size_t len);
struct vif	*mcastd_vif_by_name(struct mcastd *d, const char *name);

/* daemon/show.c */
void		show_request(void *arg, int argc, char **argv,
		    struct control_reply *reply);

#endif
