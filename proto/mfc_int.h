/*
 * The forwarding composer's inside (mfc.h), shared by mfc.c (life cycle,
 * names, outputs, VIFs, views), mfc_entry.c (the entry and group tables,
 * the rules that compose an entry, upcalls, counters and expiry),
 * mfc_input.c (memberships, static routes, the reverse path) and
 * mfc_limit.c (the entry limit's refused flows, flush).  Not installed.
 */
#ifndef MCAST_PROTO_MFC_INT_H
#define MCAST_PROTO_MFC_INT_H

#include <sys/queue.h>

#include "hash.h"
#include "heap.h"
#include "mfc.h"
#include "outq.h"
#include "trace.h"

#define MFC_LOCAL_NET	  0xe0000000u /* 224.0.0.0/24 */
#define MFC_LOCAL_MASK	  0xffffff00u
#define MFC_HASH_MIN_BITS 6
#define MFC_BIT(v)	  (1u << (v))

/* ------------------------------------------------------------------ */
/* State                                                              */

struct mfc_vif {
	bool present;
	unsigned ifindex;
	uint8_t threshold;
	unsigned nbounds;
	struct mfc_prefix bounds[MFC_MAX_BOUNDARIES];
	uint32_t groups; /* with a membership here */
};

/* One origin's view of a group on one VIF, sources sorted. */
struct mfc_member {
	struct mfc_member *next; /* by (vif, origin) */
	uint8_t vif;
	uint8_t origin; /* enum mfc_origin */
	uint8_t mode;	/* enum igmp_filter_mode */
	uint32_t n;
	struct in_addr src[];
};

struct mfc_entry;
LIST_HEAD(mfc_entry_list, mfc_entry);

struct mfc_group {
	struct hash_node hnode;
	struct in_addr addr;
	struct mfc_member *members;
	uint32_t member_vifs; /* VIFs with a membership */
	bool has_star;	      /* a (*,G) static route covers it: */
	uint32_t star_iifs;   /* the most specific one's */
	uint32_t star_oifs;
	struct mfc_entry_list entries; /* G's (S,G) entries */
};

struct mfc_entry {
	struct hash_node hnode;
	struct heap_node expiry;     /* in the heap unless static */
	LIST_ENTRY(mfc_entry) glink; /* in grp->entries */
	struct mfc_group *grp;
	struct in_addr source;
	struct in_addr group;
	enum mfc_iif_origin iif_origin;
	unsigned iif;
	uint32_t static_oifs; /* MFC_IIF_STATIC only */
	uint32_t oifs;	      /* as written to the kernel */
	uint8_t ttls[MFC_MAXVIFS];
	mc_time_t installed_at;
	mc_time_t active_at;
	mc_time_t counter_at;
	uint64_t packets;
	uint64_t bytes;
	uint64_t wrong_if;
	uint64_t used;	  /* packets - wrong_if */
	bool ttl_starved; /* reported */
	uint8_t starved_ttl;
	mc_time_t starved_at; /* the last sample that passed no threshold */
};

/* A flow refused at the entry limit, told apart from the others. */
struct mfc_refused {
	struct hash_node hnode;
};

struct mfc {
	struct mfc_config cfg;
	struct trace trace;
	struct mfc_vif vifs[MFC_MAXVIFS];
	struct hash entries;
	struct hash groups;
	struct heap expiry;
	struct outq outq;
	struct mfc_route *stars; /* (*,G) routes, most specific first */
	size_t nstars;
	size_t stars_cap;
	mfc_rpf_fn rpf;
	void *rpf_arg;
	mfc_downstream_fn downstream;
	void *downstream_arg;
	bool limit_told;     /* LIMIT since below it */
	struct hash refused; /* struct mfc_refused, since limit_told */
	struct mfc_stats stats;
};

/* What composing an entry found, per VIF (the view shows it). */
struct mfc_composed {
	uint32_t oifs;
	uint8_t ttls[MFC_MAXVIFS];
	uint8_t why[MFC_MAXVIFS];
	uint8_t cut[MFC_MAXVIFS];
};

/* mfc.c: small helpers and the output queue */
bool mfc_is_group(struct in_addr g);
/* RFC 5771: 224.0.0.0/24 is link-local, never forwarded. */
bool mfc_is_local(struct in_addr g);
/* Whether a boundary of VIF v covers group g. */
bool mfc_bounded(const struct mfc *m, unsigned v, struct in_addr g);
bool mfc_vif_ok(const struct mfc *m, unsigned v);
/*
 * Why composing gave no oifs (why and cut as in mfc_composed):
 * "no members" or "all cut: R[,R]".
 */
const char *mfc_empty_reason(const uint8_t *why, const uint8_t *cut, char *buf,
    size_t len);
/* "1:1 2:16" (vif:ttl, as /proc/net/ip_mr_cache), or "none". */
const char *mfc_ttls_str(const uint8_t *ttls, char *buf, size_t len);
/* "1 2 5" (a VIF mask), or "none". */
const char *mfc_mask_str(uint32_t mask, char *buf, size_t len);
struct mfc_output *mfc_emit(struct mfc *m, enum mfc_output_kind kind,
    struct in_addr s, struct in_addr g);
/* An output about entry e with its iif and TTLs. */
struct mfc_output *mfc_emit_entry(struct mfc *m, const struct mfc_entry *e,
    enum mfc_output_kind kind);

/* mfc_entry.c: the tables */
struct mfc_entry *mfc_entry_find(const struct mfc *m, struct in_addr s,
    struct in_addr g);
struct mfc_group *mfc_group_find(const struct mfc *m, struct in_addr g);
/* The group, created when missing; NULL when out of memory. */
struct mfc_group *mfc_group_get(struct mfc *m, struct in_addr g);
/* Free the group when nothing is left in it. */
void mfc_group_gc(struct mfc *m, struct mfc_group *grp);
/* Where origin's view on vif is, or would be inserted. */
struct mfc_member **mfc_member_slot(struct mfc_group *grp, unsigned vif,
    enum mfc_origin origin);
/* Recount grp's VIFs with a membership, and the VIFs' counts. */
void mfc_member_vifs_update(struct mfc *m, struct mfc_group *grp);
/* Drop every membership on vif (any origin). */
void mfc_members_drop_vif(struct mfc *m, struct mfc_group *grp, unsigned vif);

/* mfc_entry.c: the rules, and an entry's life */
void mfc_compose(const struct mfc *m, const struct mfc_entry *e,
    struct mfc_composed *c);
/* Compose e and write it (a new entry, or one the kernel lost). */
void mfc_entry_install(struct mfc *m, struct mfc_entry *e, const char *what,
    bool fresh);
/* Compose e again; write it when it changed, or always when force. */
void mfc_entry_update(struct mfc *m, struct mfc_entry *e, bool force);
mc_time_t mfc_expiry(const struct mfc *m, const struct mfc_entry *e);
/* The LIMIT event may come again once below the limit. */
void mfc_limit_check(struct mfc *m);
/* mfc_limit.c: an upcall refused at the limit (counted, told once). */
int mfc_limit_refuse(struct mfc *m, struct in_addr s, struct in_addr g,
    unsigned vif);
void mfc_refused_clear(struct mfc *m);
/* An entry an (S,G) static route now decides: it no longer expires. */
void mfc_entry_make_static(struct mfc *m, struct mfc_entry *e);
/* A new entry in the tables, not yet installed; NULL: no memory. */
struct mfc_entry *mfc_entry_new(struct mfc *m, mc_time_t now, struct in_addr s,
    struct in_addr g, enum mfc_iif_origin origin, unsigned iif);
/* The MFC delete; the group is left for the caller's mfc_group_gc(). */
void mfc_entry_delete(struct mfc *m, struct mfc_entry *e, const char *why);
/* Recompute every entry (a VIF changed). */
void mfc_update_all(struct mfc *m);
/* Whether grp's (*,G) route changed: the most specific one covering it. */
bool mfc_group_star_resolve(const struct mfc *m, struct mfc_group *grp);
/* The iif no (S,G) route decides: (*,G) route, RPF, or arrival. */
enum mfc_iif_origin mfc_iif_choose(const struct mfc *m,
    const struct mfc_group *grp, struct in_addr source, unsigned arrival,
    unsigned *iif);

#endif
