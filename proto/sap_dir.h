/*
 * The SAP session directory (RFC 2974), sans I/O: announcements go in
 * with `now`, change events come out through a callback (new, updated,
 * deleted, expired, evicted), and the caller asks for the next expiry.
 *
 * Identity: an announcement is its originating source and message-ID
 * hash (RFC 2974 5); one heard again with both is only refreshed, its
 * payload not read again.  A session is its o= username, sess-id, nettype,
 * addrtype and address (RFC 8866 5.2): an announcement with a newer o=
 * version replaces the entry (never a second one), an older version is
 * ignored (counted), the same version refreshes it.  A deletion (T=1) removes
 * the entry at once, found by source and hash or else by its o= line.
 * A hash of 0 is accepted; its payload is read every time.
 *
 * Timeout (RFC 2974 4): the larger of ten observed announcement intervals
 * and one hour, or the caller's fixed timeout.
 *
 * Memory: entries and bytes are capped (struct sap_dir_config); at either
 * cap the entry heard longest ago is evicted (counted, event EVICTED).  The
 * bytes counted are each entry's structure, key, name and SDP text: the
 * defaults (20,000 entries, 16 MiB) bound a flood of any number of
 * distinct announcements to 16 MiB of entries, plus the directory's own
 * 0.7 MiB (two arrays of 32,768 buckets, one inflate buffer and one parsed
 * session of scratch).
 */
#ifndef MCAST_PROTO_SAP_DIR_H
#define MCAST_PROTO_SAP_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <mcast/addr.h>

#include "engine.h"
#include "sap_wire.h"
#include "sdp.h"

#define SAP_DIR_MIN_TIMEOUT_MS	    (3600 * 1000) /* RFC 2974 4 */
#define SAP_DIR_DEFAULT_MAX_ENTRIES 20000
#define SAP_DIR_DEFAULT_MAX_BYTES   (16u << 20)

enum sap_dir_event {
	SAP_DIR_NEW,
	SAP_DIR_UPDATED,
	SAP_DIR_DELETED,
	SAP_DIR_EXPIRED,
	SAP_DIR_EVICTED,
	SAP_DIR_EVENTS,
};

struct sap_dir_entry {
	struct mc_ip source;	 /* originating source (SAP header) */
	struct mc_ip heard_from; /* the packet's IP source */
	uint16_t hash;
	uint64_t version; /* o= sess-version */
	const char *key;  /* "USER SESS-ID IN IP4 ADDR" */
	const char *name; /* s= */
	const char *sdp;  /* the payload, NUL-terminated */
	size_t sdp_len;
	size_t wire_len; /* the SAP packet's length */
	size_t auth_len; /* authentication data: shown, not checked */
	bool compressed;
	mc_time_t first_heard, last_heard;
	mc_time_t interval_ms; /* between the last two hearings, 0: once */
	unsigned long heard;
	/* the directory's */
	TAILQ_ENTRY(sap_dir_entry) lru;
	struct sap_dir_entry *next_id, *next_key;
	size_t bytes;
};

struct sap_dir_config {
	size_t max_entries;   /* 0: SAP_DIR_DEFAULT_MAX_ENTRIES */
	size_t max_bytes;     /* 0: SAP_DIR_DEFAULT_MAX_BYTES */
	mc_time_t timeout_ms; /* 0: RFC 2974's */
};

struct sap_dir_stats {
	uint64_t packets;
	uint64_t wire[SAP_WIRE_ERRORS]; /* [SAP_WIRE_OK]: decoded */
	uint64_t sdp_invalid;
	uint64_t sdp_kinds[SDP_E_KINDS];
	uint64_t hash_zero, with_auth, compressed;
	uint64_t refreshed, stale, same_version;
	uint64_t deletion_unknown;
	uint64_t events[SAP_DIR_EVENTS];
};

/*
 * An event about e.  s is the parsed payload for NEW and UPDATED, NULL
 * otherwise; e is freed after the callback for DELETED, EXPIRED and
 * EVICTED.
 */
typedef void (*sap_dir_event_fn)(void *arg, enum sap_dir_event ev,
    const struct sap_dir_entry *e, const struct sdp_session *s);

struct sap_dir;

const char *sap_dir_event_name(enum sap_dir_event ev);
/* RFC 2974 4: max(10 x the announcement interval, one hour). */
mc_time_t sap_dir_rfc_timeout_ms(mc_time_t interval_ms);

/* NULL when out of memory; cfg NULL: the defaults. */
struct sap_dir *sap_dir_new(const struct sap_dir_config *cfg,
    sap_dir_event_fn fn, void *arg);
void sap_dir_free(struct sap_dir *d);

/* A SAP packet (UDP payload) from `from` at now. */
void sap_dir_input(struct sap_dir *d, mc_time_t now, const uint8_t *p,
    size_t len, const struct mc_ip *from);
/* Remove what has expired at now (event EXPIRED). */
void sap_dir_expire(struct sap_dir *d, mc_time_t now);
/* When the next entry expires, MC_TIME_NEVER when none. */
mc_time_t sap_dir_next_expiry(const struct sap_dir *d);
mc_time_t sap_dir_expiry(const struct sap_dir *d,
    const struct sap_dir_entry *e);

size_t sap_dir_count(const struct sap_dir *d);
size_t sap_dir_bytes(const struct sap_dir *d);
/* The SAP packet bytes of all entries (RFC 2974 3.1's ads x ad_size). */
size_t sap_dir_wire_bytes(const struct sap_dir *d);
const struct sap_dir_stats *sap_dir_stats(const struct sap_dir *d);
/* Entries from the one heard longest ago. */
const struct sap_dir_entry *sap_dir_first(const struct sap_dir *d);
const struct sap_dir_entry *sap_dir_next(const struct sap_dir_entry *e);

#endif
