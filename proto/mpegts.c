/*
 * MPEG-2 transport stream packets without I/O: header and adaptation
 * field decoding and the per-PID continuity and PCR counts of a receiver
 * (ISO/IEC 13818-1 2.4.3).
 */
#include <string.h>

#include "mpegts.h"

static const char *const mpegts_error_names[MPEGTS_ERRORS] = {
	[MPEGTS_OK] = "ok",
	[MPEGTS_ERR_LENGTH] = "length",
	[MPEGTS_ERR_SYNC] = "sync",
	[MPEGTS_ERR_TEI] = "tei",
	[MPEGTS_ERR_AFC_RESERVED] = "afc_reserved",
	[MPEGTS_ERR_AF_LENGTH] = "af_length",
};

const char *
mpegts_error_name(enum mpegts_error e)
{
	return (unsigned)e < MPEGTS_ERRORS ? mpegts_error_names[e] : "?";
}

/* 2.4.3.5: program_clock_reference_base (33 bits, 90 kHz) * 300 +
 * program_clock_reference_extension (9 bits). */
static uint64_t
mpegts_pcr(const uint8_t *p)
{
	uint64_t base = (uint64_t)p[0] << 25 | (uint64_t)p[1] << 17 |
	    (uint64_t)p[2] << 9 | (uint64_t)p[3] << 1 | p[4] >> 7;
	unsigned ext = (unsigned)(p[4] & 0x01) << 8 | p[5];

	return base * 300 + ext;
}

enum mpegts_error
mpegts_decode(const uint8_t *p, struct mpegts_packet *pk)
{
	unsigned af_len;

	memset(pk, 0, sizeof(*pk));
	if (p[0] != MPEGTS_SYNC)
		return MPEGTS_ERR_SYNC;
	pk->tei = (p[1] & 0x80) != 0;
	pk->pusi = (p[1] & 0x40) != 0;
	pk->priority = (p[1] & 0x20) != 0;
	pk->pid = (uint16_t)((p[1] & 0x1f) << 8 | p[2]);
	pk->scrambling = p[3] >> 6;
	pk->afc = (p[3] >> 4) & 0x03;
	pk->cc = p[3] & 0x0f;
	if (pk->tei)
		return MPEGTS_ERR_TEI;
	if (pk->afc == 0)
		return MPEGTS_ERR_AFC_RESERVED;
	pk->has_payload = (pk->afc & 0x01) != 0;
	if (!(pk->afc & 0x02))
		return MPEGTS_OK;
	/* 2.4.3.4: adaptation_field_length is 183 without payload, at most
	 * 182 with it. */
	af_len = p[4];
	if ((pk->afc == 2 && af_len != 183) || (pk->afc == 3 && af_len > 182))
		return MPEGTS_ERR_AF_LENGTH;
	if (af_len == 0)
		return MPEGTS_OK;
	pk->discontinuity = (p[5] & 0x80) != 0;
	pk->random_access = (p[5] & 0x40) != 0;
	if (p[5] & 0x10) { /* PCR_flag */
		if (af_len < 7)
			return MPEGTS_ERR_AF_LENGTH;
		pk->has_pcr = true;
		pk->pcr = mpegts_pcr(p + 6);
	}
	return MPEGTS_OK;
}

bool
mpegts_looks_like(const uint8_t *p, size_t len)
{
	size_t off;

	if (len == 0 || len % MPEGTS_PACKET_LEN != 0 ||
	    len / MPEGTS_PACKET_LEN > MPEGTS_MAX_PER_UDP)
		return false;
	for (off = 0; off < len; off += MPEGTS_PACKET_LEN)
		if (p[off] != MPEGTS_SYNC)
			return false;
	return true;
}

void
mpegts_stats_init(struct mpegts_stats *s)
{
	memset(s, 0, sizeof(*s));
}

/* 2.4.3.5: the interval between successive PCRs of a PID (the PCR wraps
 * at 2^33 * 300). */
static void
mpegts_pid_pcr(struct mpegts_pid *st, const struct mpegts_packet *pk)
{
	const uint64_t wrap = (1ULL << 33) * 300;
	uint64_t iv;

	if (st->pcr_count > 0 && !pk->discontinuity) {
		iv = (pk->pcr + wrap - st->last_pcr) % wrap;
		if (st->pcr_intervals == 0 || iv < st->pcr_interval_min)
			st->pcr_interval_min = iv;
		if (iv > st->pcr_interval_max)
			st->pcr_interval_max = iv;
		st->pcr_interval_sum += iv;
		st->pcr_intervals++;
	}
	st->last_pcr = pk->pcr;
	st->pcr_count++;
}

/*
 * 2.4.3.3 continuity_counter: it increases by one with each packet of
 * the PID that has a payload (modulo 16) and stays as it was in a packet
 * without one; a packet may be sent twice in a row (the same counter
 * once more, a duplicate, not an error); the discontinuity_indicator
 * (2.4.3.4) allows any value.  Anything else is one error, and the
 * packets it skips are counted as missing.
 */
void
mpegts_pid_update(struct mpegts_pid *st, const struct mpegts_packet *pk)
{
	uint8_t expected;

	st->packets++;
	if (pk->scrambling)
		st->scrambled++;
	if (pk->has_pcr)
		mpegts_pid_pcr(st, pk);
	if (pk->discontinuity)
		st->discontinuities++;
	if (!st->has_cc || pk->discontinuity) {
		st->duplicate_seen = false;
	} else if (!pk->has_payload) {
		if (pk->cc != st->last_cc) {
			st->cc_errors++;
			st->cc_lost += (uint8_t)(pk->cc - st->last_cc) & 0x0f;
		}
		st->duplicate_seen = false;
	} else if (pk->cc == st->last_cc) {
		if (st->last_had_payload && !st->duplicate_seen) {
			st->duplicates++;
			st->duplicate_seen = true;
		} else {
			/* A second repetition, or after a packet without
			 * payload: how many went missing is unknown. */
			st->cc_errors++;
			st->duplicate_seen = false;
		}
	} else {
		expected = (st->last_cc + 1) & 0x0f;
		if (pk->cc != expected) {
			st->cc_errors++;
			st->cc_lost += (uint8_t)(pk->cc - expected) & 0x0f;
		}
		st->duplicate_seen = false;
	}
	st->last_cc = pk->cc;
	st->has_cc = true;
	st->last_had_payload = pk->has_payload;
}

static struct mpegts_pid *
mpegts_pid_get(struct mpegts_stats *s, uint16_t pid)
{
	size_t i;

	for (i = 0; i < s->npids; i++)
		if (s->pids[i].pid == pid)
			return &s->pids[i];
	if (s->npids == MPEGTS_MAX_PIDS)
		return NULL;
	memset(&s->pids[s->npids], 0, sizeof(s->pids[0]));
	s->pids[s->npids].pid = pid;
	return &s->pids[s->npids++];
}

void
mpegts_input(struct mpegts_stats *s, const uint8_t *p, size_t len)
{
	struct mpegts_packet pk;
	struct mpegts_pid *st;
	enum mpegts_error e;
	size_t off;

	if (len % MPEGTS_PACKET_LEN != 0 || len == 0)
		s->errors[MPEGTS_ERR_LENGTH]++;
	for (off = 0; off + MPEGTS_PACKET_LEN <= len;
	     off += MPEGTS_PACKET_LEN) {
		e = mpegts_decode(p + off, &pk);
		if (e != MPEGTS_OK) {
			s->errors[e]++;
			continue;
		}
		s->packets++;
		/* 2.4.3.3: the null packets' counter is undefined. */
		if (pk.pid == MPEGTS_PID_NULL) {
			s->null_packets++;
			continue;
		}
		if ((st = mpegts_pid_get(s, pk.pid)) == NULL) {
			s->pids_untracked++;
			continue;
		}
		mpegts_pid_update(st, &pk);
	}
}

const struct mpegts_pid *
mpegts_pid_find(const struct mpegts_stats *s, uint16_t pid)
{
	size_t i;

	for (i = 0; i < s->npids; i++)
		if (s->pids[i].pid == pid)
			return &s->pids[i];
	return NULL;
}

uint64_t
mpegts_cc_errors(const struct mpegts_stats *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->npids; i++)
		n += s->pids[i].cc_errors;
	return n;
}

uint64_t
mpegts_errors(const struct mpegts_stats *s)
{
	uint64_t n = 0;
	int e;

	for (e = MPEGTS_OK + 1; e < MPEGTS_ERRORS; e++)
		n += s->errors[e];
	return n;
}
