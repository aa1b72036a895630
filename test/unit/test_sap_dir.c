/*
 * The SAP directory (proto/sap_dir.c) with a fake clock: new, refreshed,
 * updated by a newer o= version (one entry, never two), an older version
 * ignored, deletions by source and hash and by o=, RFC 2974's timeout and
 * a shorter one, hash 0, compressed and encrypted packets, bad SDP, and a
 * flood of 100,000 distinct announcements held under the caps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "sap_dir.h"
#include "../fixtures/sap/vlc3024.h"

struct seen {
	unsigned n[SAP_DIR_EVENTS];
	enum sap_dir_event last;
	char name[64];
	uint64_t version;
};

static void
on_event(void *arg, enum sap_dir_event ev, const struct sap_dir_entry *e,
    const struct sdp_session *s)
{
	struct seen *seen = arg;

	seen->n[ev]++;
	seen->last = ev;
	snprintf(seen->name, sizeof(seen->name), "%s", e->name);
	seen->version = e->version;
	if (ev == SAP_DIR_NEW || ev == SAP_DIR_UPDATED)
		assert_non_null(s);
	else
		assert_null(s);
}

static struct mc_ip
ip(const char *s)
{
	struct mc_ip a;

	assert_int_equal(mc_ip_parse(s, &a), 0);
	return a;
}

/* A SAP packet from origin for session id with version and name. */
static size_t
pkt(uint8_t *out, size_t cap, const char *origin, unsigned id, unsigned version,
    const char *name, bool deletion)
{
	char sdp[512];
	struct sap_build b;
	int n;

	if (deletion)
		n = snprintf(sdp, sizeof(sdp), "o=u %u %u IN IP4 %s\r\n", id,
		    version, origin);
	else
		n = snprintf(sdp, sizeof(sdp),
		    "v=0\r\no=u %u %u IN IP4 %s\r\ns=%s\r\nc=IN IP4 "
		    "239.255.%u.%u/1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n",
		    id, version, origin, name, (id >> 8) & 255, id & 255);
	memset(&b, 0, sizeof(b));
	b.origin = ip(origin);
	b.payload = (const uint8_t *)sdp;
	b.payload_len = (size_t)n;
	b.with_type = true;
	b.deletion = deletion;
	/* The hash of the announcement it deletes. */
	if (deletion) {
		char ann[512];
		int m = snprintf(ann, sizeof(ann),
		    "v=0\r\no=u %u %u IN IP4 %s\r\ns=%s\r\nc=IN IP4 "
		    "239.255.%u.%u/1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n",
		    id, version, origin, name, (id >> 8) & 255, id & 255);

		b.hash = sap_wire_hash(&b.origin, (const uint8_t *)ann,
		    (size_t)m);
	} else
		b.hash = sap_wire_hash(&b.origin, b.payload, b.payload_len);
	return sap_wire_build(&b, out, cap);
}

static void
test_versions(void **state)
{
	struct seen seen = { 0 };
	struct sap_dir *d = sap_dir_new(NULL, on_event, &seen);
	const struct sap_dir_entry *e;
	struct mc_ip from = ip("198.18.1.2");
	uint8_t p[1024];
	size_t n;

	assert_non_null(d);
	n = pkt(p, sizeof(p), "198.18.1.2", 1, 1, "one", false);
	sap_dir_input(d, 1000, p, n, &from);
	assert_int_equal(seen.n[SAP_DIR_NEW], 1);
	assert_string_equal(seen.name, "one");
	assert_int_equal(sap_dir_count(d), 1);
	e = sap_dir_first(d);
	assert_string_equal(e->key, "u 1 IN IP4 198.18.1.2");
	assert_int_equal(e->version, 1);
	assert_int_equal(e->wire_len, n);
	assert_int_equal(sap_dir_wire_bytes(d), n);
	assert_true(mc_ip_equal(&e->heard_from, &from));
	/* Heard again 30 s later: refreshed, interval 30 s. */
	sap_dir_input(d, 31000, p, n, &from);
	assert_int_equal(sap_dir_stats(d)->refreshed, 1);
	assert_int_equal(e->interval_ms, 30000);
	assert_int_equal(e->heard, 2);
	assert_int_equal(seen.n[SAP_DIR_NEW], 1);
	/* Version 3: replaces (same key), one entry. */
	n = pkt(p, sizeof(p), "198.18.1.2", 1, 3, "one v3", false);
	sap_dir_input(d, 61000, p, n, &from);
	assert_int_equal(seen.n[SAP_DIR_UPDATED], 1);
	assert_int_equal(seen.version, 3);
	assert_int_equal(sap_dir_count(d), 1);
	e = sap_dir_first(d);
	assert_string_equal(e->name, "one v3");
	assert_int_equal(e->first_heard, 1000);
	assert_int_equal(e->heard, 3);
	/* Version 2 comes late: ignored. */
	n = pkt(p, sizeof(p), "198.18.1.2", 1, 2, "one v2", false);
	sap_dir_input(d, 62000, p, n, &from);
	assert_int_equal(sap_dir_stats(d)->stale, 1);
	assert_string_equal(sap_dir_first(d)->name, "one v3");
	assert_int_equal(sap_dir_count(d), 1);
	/* Another session from the same origin. */
	n = pkt(p, sizeof(p), "198.18.1.2", 2, 1, "two", false);
	sap_dir_input(d, 63000, p, n, &from);
	assert_int_equal(sap_dir_count(d), 2);
	/* Deletion by source and hash (of version 3). */
	n = pkt(p, sizeof(p), "198.18.1.2", 1, 3, "one v3", true);
	sap_dir_input(d, 64000, p, n, &from);
	assert_int_equal(seen.n[SAP_DIR_DELETED], 1);
	assert_string_equal(seen.name, "one v3");
	assert_int_equal(sap_dir_count(d), 1);
	/* Deletion with another hash: found by its o= line. */
	n = pkt(p, sizeof(p), "198.18.1.2", 2, 1, "other name", true);
	sap_dir_input(d, 65000, p, n, &from);
	assert_int_equal(seen.n[SAP_DIR_DELETED], 2);
	assert_int_equal(sap_dir_count(d), 0);
	assert_int_equal(sap_dir_bytes(d), 0);
	assert_int_equal(sap_dir_wire_bytes(d), 0);
	/* A deletion of nothing known: counted. */
	sap_dir_input(d, 66000, p, n, &from);
	assert_int_equal(sap_dir_stats(d)->deletion_unknown, 1);
	sap_dir_free(d);
}

static void
test_timeouts(void **state)
{
	struct seen seen = { 0 };
	struct sap_dir *d = sap_dir_new(NULL, on_event, &seen);
	struct sap_dir_config cfg = { .timeout_ms = 5000 };
	uint8_t p[1024];
	size_t n = pkt(p, sizeof(p), "198.18.1.2", 1, 1, "one", false);

	/* RFC 2974 4: max(10 intervals, 1 hour). */
	assert_int_equal(sap_dir_rfc_timeout_ms(0), 3600000);
	assert_int_equal(sap_dir_rfc_timeout_ms(300000), 3600000);
	assert_int_equal(sap_dir_rfc_timeout_ms(600000), 6000000);
	sap_dir_input(d, 0, p, n, NULL);
	assert_int_equal(sap_dir_next_expiry(d), 3600000);
	sap_dir_expire(d, 3599999);
	assert_int_equal(sap_dir_count(d), 1);
	/* Heard every 600 s: ten intervals, 6000 s. */
	sap_dir_input(d, 600000, p, n, NULL);
	assert_int_equal(sap_dir_next_expiry(d), 600000 + 6000000);
	sap_dir_expire(d, 600000 + 5999999);
	assert_int_equal(sap_dir_count(d), 1);
	sap_dir_expire(d, 600000 + 6000000);
	assert_int_equal(sap_dir_count(d), 0);
	assert_int_equal(seen.n[SAP_DIR_EXPIRED], 1);
	assert_int_equal(sap_dir_next_expiry(d), MC_TIME_NEVER);
	sap_dir_free(d);
	/* A shorter timeout asked for. */
	d = sap_dir_new(&cfg, on_event, &seen);
	sap_dir_input(d, 100, p, n, NULL);
	assert_int_equal(sap_dir_next_expiry(d), 5100);
	sap_dir_expire(d, 5100);
	assert_int_equal(seen.n[SAP_DIR_EXPIRED], 2);
	sap_dir_free(d);
}

static void
test_odd_packets(void **state)
{
	struct seen seen = { 0 };
	struct sap_dir *d = sap_dir_new(NULL, on_event, &seen);
	uint8_t p[1024], z[1024];
	size_t n = pkt(p, sizeof(p), "198.18.1.2", 1, 1, "one", false);
	uLongf zlen = sizeof(z) - 8;
	const struct sap_dir_stats *st = sap_dir_stats(d);

	/* Hash 0: read every time; the o= keeps one entry. */
	p[2] = p[3] = 0;
	sap_dir_input(d, 0, p, n, NULL);
	sap_dir_input(d, 1000, p, n, NULL);
	assert_int_equal(st->hash_zero, 2);
	assert_int_equal(st->same_version, 1);
	assert_int_equal(sap_dir_count(d), 1);
	/* Compressed: the same session, another version. */
	n = pkt(p, sizeof(p), "198.18.1.2", 1, 2, "zipped", false);
	memcpy(z, p, 8);
	z[0] |= 0x01;
	assert_int_equal(compress2(z + 8, &zlen, p + 8, n - 8, 9), Z_OK);
	sap_dir_input(d, 2000, z, 8 + zlen, NULL);
	assert_int_equal(st->compressed, 1);
	assert_int_equal(seen.last, SAP_DIR_UPDATED);
	assert_string_equal(sap_dir_first(d)->name, "zipped");
	assert_true(sap_dir_first(d)->compressed);
	/* Encrypted, truncated, bad SDP: counted, nothing changes. */
	p[0] |= 0x02;
	sap_dir_input(d, 3000, p, n, NULL);
	assert_int_equal(st->wire[SAP_WIRE_ENCRYPTED], 1);
	sap_dir_input(d, 3000, p, 5, NULL);
	assert_int_equal(st->wire[SAP_WIRE_TRUNCATED], 1);
	n = pkt(p, sizeof(p), "198.18.1.2", 3, 1, "", false); /* empty s= */
	sap_dir_input(d, 3000, p, n, NULL);
	assert_int_equal(st->sdp_invalid, 1);
	assert_int_equal(st->sdp_kinds[SDP_E_SYNTAX], 1);
	assert_int_equal(st->packets, 6);
	assert_int_equal(sap_dir_count(d), 1);
	sap_dir_free(d);
}

static void
test_flood(void **state)
{
	struct seen seen = { 0 };
	struct sap_dir_config cfg = { .max_entries = 10000,
		.max_bytes = 4u << 20 };
	struct sap_dir *d = sap_dir_new(NULL, on_event, &seen);
	uint8_t p[1024];
	char origin[32];
	size_t n, max_bytes = 0;
	unsigned i;

	/* The defaults: 100,000 distinct announcements, 20,000 kept. */
	for (i = 0; i < 100000; i++) {
		snprintf(origin, sizeof(origin), "10.%u.%u.%u", i >> 16,
		    (i >> 8) & 255, i & 255);
		n = pkt(p, sizeof(p), origin, i, 1, "flood", false);
		sap_dir_input(d, i, p, n, NULL);
		if (sap_dir_bytes(d) > max_bytes)
			max_bytes = sap_dir_bytes(d);
	}
	assert_int_equal(seen.n[SAP_DIR_NEW], 100000);
	assert_int_equal(sap_dir_count(d), SAP_DIR_DEFAULT_MAX_ENTRIES);
	assert_int_equal(seen.n[SAP_DIR_EVICTED],
	    100000 - SAP_DIR_DEFAULT_MAX_ENTRIES);
	assert_true(max_bytes <= SAP_DIR_DEFAULT_MAX_BYTES);
	/* The oldest went first: the first left is number 80,000. */
	assert_int_equal(sap_dir_first(d)->first_heard, 80000);
	sap_dir_free(d);
	/* A byte cap that binds before the entry cap. */
	memset(&seen, 0, sizeof(seen));
	cfg.max_bytes = 1u << 20;
	d = sap_dir_new(&cfg, on_event, &seen);
	for (i = 0; i < 100000; i++) {
		snprintf(origin, sizeof(origin), "10.%u.%u.%u", i >> 16,
		    (i >> 8) & 255, i & 255);
		n = pkt(p, sizeof(p), origin, i, 1, "flood", false);
		sap_dir_input(d, i, p, n, NULL);
		assert_true(sap_dir_bytes(d) <= cfg.max_bytes);
	}
	assert_true(sap_dir_count(d) < 10000);
	assert_int_equal(seen.n[SAP_DIR_EVICTED] + sap_dir_count(d), 100000);
	sap_dir_free(d);
}

/* A real announcer's packet: VLC 3.0.24, field by field. */
static void
test_vlc_vector(void **state)
{
	struct seen seen = { 0 };
	struct sap_dir *d = sap_dir_new(NULL, on_event, &seen);
	const struct sap_dir_entry *e;
	static struct sdp_session s;
	static char arena[SDP_ARENA_SIZE(1024)];
	char buf[MC_IP_STRLEN];

	sap_dir_input(d, 0, sap_vlc3024, sizeof(sap_vlc3024), NULL);
	assert_int_equal(seen.n[SAP_DIR_NEW], 1);
	e = sap_dir_first(d);
	assert_string_equal(e->name, "VLC tone");
	assert_int_equal(e->hash, 0xed9c);
	assert_string_equal(mc_ip_str(&e->source, buf), "198.18.1.2");
	/* VLC names its host, not an address, in o=. */
	assert_string_equal(e->key, "- 17202507509927792422 IN IP4 vm");
	assert_int_equal(e->version, 17202507509927792422ull);
	assert_int_equal(sdp_parse(e->sdp, e->sdp_len, SDP_MULTICAST, arena,
			     sizeof(arena), &s),
	    0);
	assert_string_equal(s.tool, "vlc 3.0.24");
	assert_string_equal(s.type, "broadcast");
	assert_int_equal(s.attrs.direction, SDP_DIR_RECVONLY);
	assert_string_equal(mc_ip_str(&s.conn.addr, buf), "239.255.12.42");
	assert_int_equal(s.conn.ttl, 255);
	assert_int_equal(s.nmedia, 1);
	assert_string_equal(s.media[0].media, "video");
	assert_int_equal(s.media[0].port, 5004);
	assert_string_equal(s.media[0].formats[0], "33");
	assert_string_equal(s.media[0].rtpmap[0].encoding, "MP2T");
	assert_int_equal(sdp_media_clock_rate(&s, 0, 33), 90000);
	sap_dir_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_odd_packets),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_vlc_vector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
