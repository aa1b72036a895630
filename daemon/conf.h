/*
 * mcastd's configuration (man/mcastd.conf.5): what the file says, parsed
 * and checked.  The parser does no I/O but reading the text it is given;
 * errors carry file, line, column and what was expected.
 */
#ifndef MCASTD_CONF_H
#define MCASTD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>

#include "igmp_router.h"
#include "router.h"

#define CONF_MAX_BOUNDARIES 32
#define CONF_MAX_STATIC	    64
#define CONF_MAX_OIFS	    32
#define CONF_MAX_PHYINTS    256
#define CONF_MAX_MROUTES    4096
#define CONF_MAX_FILE_SIZE  (1024 * 1024) /* conf_load refuses more */
#define CONF_MAX_TUNNELS    16
/*
 * encap udp's port when the file gives none: both ends use it, as source
 * and destination (man/mcastd.conf.5, TUNNELS).
 */
#define CONF_TUNNEL_UDP_PORT 4244
#define CONF_TUNNEL_MTU_MIN  576
#define CONF_TUNNEL_MTU_MAX  65000
/*
 * limits { } when the file says nothing: a router must not grow without
 * bound on a LAN of hostile hosts (mcastd.conf(5), THE LIMITS BLOCK).
 */
#define CONF_DEFAULT_MAX_GROUPS	     16384 /* per interface */
#define CONF_DEFAULT_MAX_SOURCES     256   /* per group */
#define CONF_DEFAULT_MAX_MFC_ENTRIES 8192  /* dynamic forwarding entries */

struct conf_prefix {
	struct in_addr addr; /* network order, host bits zero */
	uint8_t len;
};

struct conf_static_group {
	struct in_addr group;
	bool has_source;
	struct in_addr source;
};

/* phyint IF [disable] [threshold N] [igmpv1|igmpv2|igmpv3] [metric N]
 *        [dvmrp enable|disable] [boundary PREFIX]...
 *        [static-group G [source S]]... */
struct conf_phyint {
	char name[IF_NAMESIZE];
	bool disable;
	uint8_t threshold;     /* 1 by default */
	unsigned igmp_version; /* 0 = the igmp block's */
	uint8_t metric;	       /* DVMRP's, 1-31: 1 by default */
	bool no_dvmrp;	       /* dvmrp disable: IGMP only here */
	struct conf_prefix boundaries[CONF_MAX_BOUNDARIES];
	unsigned nboundaries;
	struct conf_static_group statics[CONF_MAX_STATIC];
	unsigned nstatics;
	unsigned line; /* where it was declared */
};

/* mroute from IF [source S] group G[/LEN] to IF... (IF may end in '+') */
struct conf_mroute {
	char iif[IF_NAMESIZE];
	bool has_source; /* false: (*,G) */
	struct in_addr source;
	struct in_addr group;
	uint8_t group_len; /* 32: one group; less: a range (no source) */
	char oifs[CONF_MAX_OIFS][IF_NAMESIZE];
	unsigned noifs;
	unsigned line;
};

enum conf_encap {
	CONF_ENCAP_IPIP, /* RFC 2003 IP-in-IP, protocol 4 */
	CONF_ENCAP_UDP,	 /* the datagram as a UDP payload */
};

/*
 * tunnel LOCAL REMOTE [metric N] [threshold T] [encap ipip | udp [port P]]
 *        [mtu M]: a TUN device called name (mtunK, K its place among the
 * file's tunnels, from 0), a VIF, whose datagrams mcastd carries to REMOTE.
 */
struct conf_tunnel {
	char name[IF_NAMESIZE];
	struct in_addr local;
	struct in_addr remote;
	uint8_t metric;	   /* 1 by default */
	uint8_t threshold; /* 1 by default */
	enum conf_encap encap;
	uint16_t port; /* udp: CONF_TUNNEL_UDP_PORT by default */
	uint16_t mtu;  /* 0: 1500 less the outer header */
	unsigned line;
};

/* The tunnel's MTU: the largest datagram it carries (the TUN's MTU). */
unsigned conf_tunnel_mtu(const struct conf_tunnel *t);
const char *conf_encap_name(enum conf_encap e);

struct conf {
	/* the igmp { ... } block: defaults for every phyint */
	struct igmp_router_config igmp;
	/* limits { groups N  sources N  mfc-entries N } */
	uint32_t max_groups_per_iface; /* 0 = none (given) */
	uint32_t max_sources_per_group;
	uint32_t max_mfc_entries; /* alias upcalls */
	/* mfc { idle-timeout SECONDS } */
	uint32_t mfc_idle_timeout_s; /* 210 by default */
	/*
	 * dvmrp { disable  probe-interval D  neighbor-timeout D
	 * report-interval D  route-expire D  holddown D  prune-lifetime D
	 * accept-non-pruners yes|no  max-routes N  max-neighbors N }:
	 * router_dvmrp_config_defaults() unless the file says otherwise
	 * (holddown 0: 2 x report-interval; max_routes 0: none)
	 */
	struct router_dvmrp_config dvmrp;
	/* options outside blocks: default-phyint enable|disable */
	bool default_disable; /* phyints not named */
	struct conf_phyint *phyints;
	size_t nphyints;
	struct conf_mroute *mroutes;
	size_t nmroutes;
	struct conf_tunnel tunnels[CONF_MAX_TUNNELS];
	size_t ntunnels;
};

struct conf_error {
	char file[256];
	unsigned line;
	unsigned column;
	char message[256]; /* "expected a TTL threshold 1-255,
					   got '300'" */
};

void conf_init(struct conf *c); /* the defaults */
/*
 * 0, or -1 with *err filled.  c is set up by conf_parse itself (whatever
 * it held is overwritten, not freed); on failure it is left as conf_init
 * leaves it, so conf_free is optional then.  file (NULL: "-") is only
 * used in messages.  text need not end in a NUL.
 */
int conf_parse(const char *text, size_t len, const char *file, struct conf *c,
    struct conf_error *err);
/* conf_parse of a file of at most CONF_MAX_FILE_SIZE bytes. */
int conf_load(const char *path, struct conf *c, struct conf_error *err);
/* The normalised text (parses again to the same conf). */
void conf_print(FILE *f, const struct conf *c);
void conf_free(struct conf *c);
/* Same settings (the line fields, where a thing was written, ignored). */
bool conf_equal(const struct conf *a, const struct conf *b);
const struct conf_phyint *conf_phyint(const struct conf *c, const char *name);
/* The IGMP settings for an interface: the igmp block, with the phyint's
 * igmpvN (if any) as the version; pi NULL: the block's. */
void conf_phyint_igmp(const struct conf *c, const struct conf_phyint *pi,
    struct igmp_router_config *out);
/*
 * The checks of one word (s, n bytes, not NUL-terminated), shared by the
 * file's parser and mcastctl's requests (daemon/request.c): 0 and the
 * value, or -1 with the message in msg.  what names the word in messages
 * ("group", "from" ...).
 *   conf_check_group        a group that may be routed: multicast, not in
 *                           224.0.0.0/24
 *   conf_check_group_range  the same, or a range G/LEN of them (*len = 32
 *                           for one group): within 224.0.0.0/4, host bits
 *                           zero, not inside 224.0.0.0/24
 *   conf_check_source       a unicast source
 *   conf_check_ifname       an interface name; one ending in '+' (a
 *                           wildcard) only when wildcard is true
 *   conf_check_asm          a static group without a source (what: its
 *                           statement) outside igmp's SSM range
 */
int conf_check_group(const char *s, size_t n, const char *what,
    struct in_addr *out, char *msg, size_t len);
int conf_check_group_range(const char *s, size_t n, const char *what,
    struct in_addr *out, uint8_t *plen, char *msg, size_t len);
int conf_check_source(const char *s, size_t n, struct in_addr *out, char *msg,
    size_t len);
int conf_check_ifname(const char *s, size_t n, const char *what, bool wildcard,
    char name[IF_NAMESIZE], char *msg, size_t len);
int conf_check_asm(const struct igmp_router_config *igmp, struct in_addr group,
    const char *what, char *msg, size_t len);
/*
 * A route with a source names one interface (not a wildcard) and one group
 * (the word s, n bytes, that gave group_len): 0, or -1 with the message.
 */
int conf_check_sourced_iif(const char *iif, char *msg, size_t len);
int conf_check_sourced_group(const char *s, size_t n, uint8_t group_len,
    char *msg, size_t len);
/* A name ending in '+': every interface whose name starts with the rest. */
bool conf_ifname_is_wildcard(const char *name);
/* A name the configuration gives that matches no interface. */
struct conf_name_warning {
	const char *statement; /* "phyint", "mroute from", "mroute to" */
	const char *name;
	const char *suggestion; /* the one interface close to it, or NULL */
	unsigned line;
};

/*
 * Every name of a phyint or an mroute (not a wildcard: it may match none
 * yet) that is none of the n interface names given: fn is called for
 * each; the count.  A typo ("eht3") names the one interface a typo away.
 */
size_t conf_unknown_names(const struct conf *c, const char *const *ifnames,
    size_t n, void (*fn)(void *arg, const struct conf_name_warning *w),
    void *arg);
/* "phyint eht3: no such interface (did you mean eth3?); ..." */
void conf_name_warning_format(const struct conf_name_warning *w, char *buf,
    size_t len);
/*
 * What parses but cannot do what it says (conf_warn.c): a static route or
 * static group that a boundary of the file cuts.  fn gets the line the
 * route or phyint is on and a message; returns how many.
 */
typedef void (*conf_warn_fn)(void *arg, unsigned line, const char *msg);
unsigned conf_warnings(const struct conf *c, conf_warn_fn fn, void *arg);
/* "FILE:LINE:COLUMN: MESSAGE" ("FILE:LINE: MESSAGE" when column is 0,
   "FILE: MESSAGE" when line is 0) */
void conf_error_format(const struct conf_error *e, char *buf, size_t len);

#endif
