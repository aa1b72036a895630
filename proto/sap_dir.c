/* The SAP session directory: identity, versions, timeouts, caps (sap_dir.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sap_dir.h"

TAILQ_HEAD(sap_dir_lru, sap_dir_entry);

struct sap_dir {
	struct sap_dir_config cfg;
	sap_dir_event_fn fn;
	void *arg;
	struct sap_dir_lru lru; /* heard longest ago first */
	size_t nbuckets;	/* a power of two */
	struct sap_dir_entry **by_id, **by_key;
	size_t count, bytes, wire_bytes;
	struct sap_dir_stats stats;
	/* Scratch for one payload: inflated, parsed. */
	uint8_t inflated[SAP_WIRE_MAX_INFLATED];
	char arena[SDP_ARENA_SIZE(SAP_WIRE_MAX_INFLATED)];
	struct sdp_session sdp;
};

static const char *const sap_dir_event_names[SAP_DIR_EVENTS] = {
	[SAP_DIR_NEW] = "new",
	[SAP_DIR_UPDATED] = "updated",
	[SAP_DIR_DELETED] = "deleted",
	[SAP_DIR_EXPIRED] = "expired",
	[SAP_DIR_EVICTED] = "evicted",
};

const char *
sap_dir_event_name(enum sap_dir_event ev)
{
	return (unsigned)ev < SAP_DIR_EVENTS ? sap_dir_event_names[ev] : "?";
}

/*
 * RFC 2974 4: "the session SHOULD be deleted ... if no announcement has
 * been heard for ten times the announcement interval or one hour,
 * whichever is the greater".
 */
mc_time_t
sap_dir_rfc_timeout_ms(mc_time_t interval_ms)
{
	return 10 * interval_ms > SAP_DIR_MIN_TIMEOUT_MS ?
	    10 * interval_ms :
	    SAP_DIR_MIN_TIMEOUT_MS;
}

static uint64_t
sap_dir_fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static size_t
sap_dir_id_bucket(const struct sap_dir *d, const struct mc_ip *src,
    uint16_t hash)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = sap_dir_fnv(h, &hash, sizeof(hash));
	h = sap_dir_fnv(h,
	    src->family == AF_INET6 ? (const void *)&src->u.v6 :
				      (const void *)&src->u.v4,
	    src->family == AF_INET6 ? 16 : 4);
	return (size_t)(h ^ (h >> 29)) & (d->nbuckets - 1);
}

static size_t
sap_dir_key_bucket(const struct sap_dir *d, const char *key)
{
	uint64_t h = sap_dir_fnv(0xcbf29ce484222325ull, key, strlen(key));

	return (size_t)(h ^ (h >> 29)) & (d->nbuckets - 1);
}

struct sap_dir *
sap_dir_new(const struct sap_dir_config *cfg, sap_dir_event_fn fn, void *arg)
{
	struct sap_dir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	if (cfg)
		d->cfg = *cfg;
	if (d->cfg.max_entries == 0)
		d->cfg.max_entries = SAP_DIR_DEFAULT_MAX_ENTRIES;
	if (d->cfg.max_bytes == 0)
		d->cfg.max_bytes = SAP_DIR_DEFAULT_MAX_BYTES;
	d->fn = fn;
	d->arg = arg;
	TAILQ_INIT(&d->lru);
	d->nbuckets = 64;
	while (d->nbuckets < d->cfg.max_entries && d->nbuckets < (1u << 20))
		d->nbuckets <<= 1;
	d->by_id = calloc(d->nbuckets, sizeof(*d->by_id));
	d->by_key = calloc(d->nbuckets, sizeof(*d->by_key));
	if (d->by_id == NULL || d->by_key == NULL) {
		sap_dir_free(d);
		return NULL;
	}
	return d;
}

void
sap_dir_free(struct sap_dir *d)
{
	struct sap_dir_entry *e;

	if (d == NULL)
		return;
	while ((e = TAILQ_FIRST(&d->lru)) != NULL) {
		TAILQ_REMOVE(&d->lru, e, lru);
		free(e);
	}
	free(d->by_id);
	free(d->by_key);
	free(d);
}

static struct sap_dir_entry *
sap_dir_find_id(const struct sap_dir *d, const struct mc_ip *src, uint16_t hash)
{
	struct sap_dir_entry *e;

	for (e = d->by_id[sap_dir_id_bucket(d, src, hash)]; e; e = e->next_id)
		if (e->hash == hash && mc_ip_equal(&e->source, src))
			return e;
	return NULL;
}

static struct sap_dir_entry *
sap_dir_find_key(const struct sap_dir *d, const char *key)
{
	struct sap_dir_entry *e;

	for (e = d->by_key[sap_dir_key_bucket(d, key)]; e; e = e->next_key)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void
sap_dir_unlink_id(struct sap_dir *d, struct sap_dir_entry *e)
{
	struct sap_dir_entry **pp =
	    &d->by_id[sap_dir_id_bucket(d, &e->source, e->hash)];

	while (*pp && *pp != e)
		pp = &(*pp)->next_id;
	if (*pp)
		*pp = e->next_id;
}

static void
sap_dir_unlink_key(struct sap_dir *d, struct sap_dir_entry *e)
{
	struct sap_dir_entry **pp = &d->by_key[sap_dir_key_bucket(d, e->key)];

	while (*pp && *pp != e)
		pp = &(*pp)->next_key;
	if (*pp)
		*pp = e->next_key;
}

static void
sap_dir_link(struct sap_dir *d, struct sap_dir_entry *e)
{
	size_t b = sap_dir_id_bucket(d, &e->source, e->hash);

	e->next_id = d->by_id[b];
	d->by_id[b] = e;
	b = sap_dir_key_bucket(d, e->key);
	e->next_key = d->by_key[b];
	d->by_key[b] = e;
	TAILQ_INSERT_TAIL(&d->lru, e, lru);
	d->count++;
	d->bytes += e->bytes;
	d->wire_bytes += e->wire_len;
}

/* Out of every index and count (the caller frees it). */
static void
sap_dir_unlink(struct sap_dir *d, struct sap_dir_entry *e)
{
	sap_dir_unlink_id(d, e);
	sap_dir_unlink_key(d, e);
	TAILQ_REMOVE(&d->lru, e, lru);
	d->count--;
	d->bytes -= e->bytes;
	d->wire_bytes -= e->wire_len;
}

/* Unlinked, the event told, freed. */
static void
sap_dir_remove(struct sap_dir *d, struct sap_dir_entry *e,
    enum sap_dir_event ev)
{
	sap_dir_unlink(d, e);
	d->stats.events[ev]++;
	if (d->fn)
		d->fn(d->arg, ev, e, NULL);
	free(e);
}

/* "USER SESS-ID NETTYPE ADDRTYPE ADDR" of o (the version left out). */
static size_t
sap_dir_key(const struct sdp_origin *o, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s %s %s %s %s", o->username, o->sess_id,
	    o->nettype, o->addrtype, o->addr);

	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* A new entry for a parsed announcement (key, name, SDP copied in). */
static struct sap_dir_entry *
sap_dir_entry_new(const char *key, const struct sdp_session *s,
    const struct sap_msg *m, size_t wire_len)
{
	size_t klen = strlen(key) + 1, nlen = strlen(s->name) + 1;
	size_t bytes = sizeof(struct sap_dir_entry) + klen + nlen +
	    m->payload_len + 1;
	struct sap_dir_entry *e = calloc(1, bytes);
	char *p;

	if (e == NULL)
		return NULL;
	p = (char *)(e + 1);
	memcpy(p, key, klen);
	e->key = p;
	p += klen;
	memcpy(p, s->name, nlen);
	e->name = p;
	p += nlen;
	memcpy(p, m->payload, m->payload_len);
	p[m->payload_len] = '\0';
	e->sdp = p;
	e->sdp_len = m->payload_len;
	e->bytes = bytes;
	e->wire_len = wire_len;
	e->source = m->origin;
	e->hash = m->hash;
	e->version = s->origin.sess_version;
	e->auth_len = m->auth_len;
	e->compressed = m->compressed;
	return e;
}

/* Evict the entries heard longest ago until one of bytes more fits. */
static void
sap_dir_make_room(struct sap_dir *d, size_t bytes)
{
	struct sap_dir_entry *e;

	while ((e = TAILQ_FIRST(&d->lru)) != NULL &&
	    (d->count + 1 > d->cfg.max_entries ||
		d->bytes + bytes > d->cfg.max_bytes))
		sap_dir_remove(d, e, SAP_DIR_EVICTED);
}

static void
sap_dir_heard(struct sap_dir *d, struct sap_dir_entry *e, mc_time_t now,
    const struct mc_ip *from)
{
	if (now > e->last_heard)
		e->interval_ms = now - e->last_heard;
	e->last_heard = now;
	e->heard++;
	if (from)
		e->heard_from = *from;
	TAILQ_REMOVE(&d->lru, e, lru);
	TAILQ_INSERT_TAIL(&d->lru, e, lru);
}

/* A deletion (T=1) not found by source and hash: by its o= line. */
static void
sap_dir_deletion(struct sap_dir *d, const struct sap_msg *m)
{
	struct sdp_origin o;
	struct sap_dir_entry *e;
	char key[SDP_MAX_LINE + 8];

	if (sdp_find_origin((const char *)m->payload, m->payload_len, d->arena,
		sizeof(d->arena), &o) == 0 &&
	    sap_dir_key(&o, key, sizeof(key)) &&
	    (e = sap_dir_find_key(d, key)) != NULL)
		sap_dir_remove(d, e, SAP_DIR_DELETED);
	else
		d->stats.deletion_unknown++;
}

void
sap_dir_input(struct sap_dir *d, mc_time_t now, const uint8_t *p, size_t len,
    const struct mc_ip *from)
{
	struct sap_msg m;
	enum sap_wire_error err;
	struct sap_dir_entry *e, *ne;
	char key[SDP_MAX_LINE + 8];
	unsigned i;

	d->stats.packets++;
	err = sap_wire_decode(p, len, 0, d->inflated, sizeof(d->inflated), &m);
	d->stats.wire[err]++;
	if (err != SAP_WIRE_OK)
		return;
	if (m.hash == 0)
		d->stats.hash_zero++;
	if (m.auth_len)
		d->stats.with_auth++;
	if (m.compressed)
		d->stats.compressed++;
	if (m.hash != 0 && (e = sap_dir_find_id(d, &m.origin, m.hash))) {
		if (m.deletion)
			sap_dir_remove(d, e, SAP_DIR_DELETED);
		else {
			sap_dir_heard(d, e, now, from);
			d->stats.refreshed++;
		}
		return;
	}
	if (m.deletion) {
		sap_dir_deletion(d, &m);
		return;
	}
	if (sdp_parse((const char *)m.payload, m.payload_len, 0, d->arena,
		sizeof(d->arena), &d->sdp) != 0) {
		d->stats.sdp_invalid++;
		for (i = 0; i < SDP_E_KINDS; i++)
			d->stats.sdp_kinds[i] += d->sdp.kinds[i];
		return;
	}
	if (sap_dir_key(&d->sdp.origin, key, sizeof(key)) == 0) {
		d->stats.sdp_invalid++;
		d->stats.sdp_kinds[SDP_E_LIMIT]++;
		return;
	}
	e = sap_dir_find_key(d, key);
	if (e && d->sdp.origin.sess_version < e->version) {
		d->stats.stale++;
		return;
	}
	if (e && d->sdp.origin.sess_version == e->version) {
		/* Same version, another hash or source: the same session. */
		d->stats.same_version++;
		sap_dir_unlink_id(d, e);
		e->source = m.origin;
		e->hash = m.hash;
		e->next_id =
		    d->by_id[sap_dir_id_bucket(d, &e->source, e->hash)];
		d->by_id[sap_dir_id_bucket(d, &e->source, e->hash)] = e;
		sap_dir_heard(d, e, now, from);
		return;
	}
	ne = sap_dir_entry_new(key, &d->sdp, &m, len);
	if (ne == NULL)
		return;
	if (from)
		ne->heard_from = *from;
	ne->last_heard = now;
	ne->heard = 1;
	if (e) {
		/* A newer version replaces the entry, keeping its history. */
		ne->first_heard = e->first_heard;
		ne->heard = e->heard + 1;
		ne->interval_ms = now > e->last_heard ? now - e->last_heard :
							e->interval_ms;
		sap_dir_unlink(d, e);
		free(e);
		sap_dir_make_room(d, ne->bytes);
		sap_dir_link(d, ne);
		d->stats.events[SAP_DIR_UPDATED]++;
		if (d->fn)
			d->fn(d->arg, SAP_DIR_UPDATED, ne, &d->sdp);
		return;
	}
	ne->first_heard = now;
	sap_dir_make_room(d, ne->bytes);
	sap_dir_link(d, ne);
	d->stats.events[SAP_DIR_NEW]++;
	if (d->fn)
		d->fn(d->arg, SAP_DIR_NEW, ne, &d->sdp);
}

mc_time_t
sap_dir_expiry(const struct sap_dir *d, const struct sap_dir_entry *e)
{
	return e->last_heard +
	    (d->cfg.timeout_ms ? d->cfg.timeout_ms :
				 sap_dir_rfc_timeout_ms(e->interval_ms));
}

void
sap_dir_expire(struct sap_dir *d, mc_time_t now)
{
	struct sap_dir_entry *e, *next;

	for (e = TAILQ_FIRST(&d->lru); e; e = next) {
		next = TAILQ_NEXT(e, lru);
		if (sap_dir_expiry(d, e) <= now)
			sap_dir_remove(d, e, SAP_DIR_EXPIRED);
	}
}

mc_time_t
sap_dir_next_expiry(const struct sap_dir *d)
{
	const struct sap_dir_entry *e;
	mc_time_t next = MC_TIME_NEVER, t;

	TAILQ_FOREACH(e, &d->lru, lru)
		if ((t = sap_dir_expiry(d, e)) < next)
			next = t;
	return next;
}

size_t
sap_dir_count(const struct sap_dir *d)
{
	return d->count;
}

size_t
sap_dir_bytes(const struct sap_dir *d)
{
	return d->bytes;
}

size_t
sap_dir_wire_bytes(const struct sap_dir *d)
{
	return d->wire_bytes;
}

const struct sap_dir_stats *
sap_dir_stats(const struct sap_dir *d)
{
	return &d->stats;
}

const struct sap_dir_entry *
sap_dir_first(const struct sap_dir *d)
{
	return TAILQ_FIRST(&d->lru);
}

const struct sap_dir_entry *
sap_dir_next(const struct sap_dir_entry *e)
{
	return TAILQ_NEXT(e, lru);
}
