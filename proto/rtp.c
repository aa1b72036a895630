/*
 * RTP without I/O: the header decoder (RFC 3550 5.1), the static payload
 * types (RFC 3551 6) and a receiver's per-SSRC statistics (RFC 3550
 * Appendix A.1, A.3, A.8).
 */
#include <string.h>

#include "rtp.h"

static const char *const rtp_decode_error_names[RTP_DECODE_ERRORS] = {
	[RTP_DECODE_OK] = "ok",
	[RTP_DECODE_SHORT] = "short",
	[RTP_DECODE_VERSION] = "version",
	[RTP_DECODE_RTCP] = "rtcp",
	[RTP_DECODE_CSRC] = "csrc",
	[RTP_DECODE_EXTENSION] = "extension",
	[RTP_DECODE_PADDING] = "padding",
};

const char *
rtp_decode_error_name(enum rtp_decode_error e)
{
	return (unsigned)e < RTP_DECODE_ERRORS ? rtp_decode_error_names[e] :
						 "?";
}

static uint32_t
rtp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* RFC 3550 5.1 (fixed header), 5.3.1 (extension); RFC 5761 4 (RTCP
 * packet types 200..204 read as marker and PT 72..76). */
enum rtp_decode_error
rtp_decode(const uint8_t *p, size_t len, struct rtp_header *h)
{
	size_t off, i, words;

	memset(h, 0, sizeof(*h));
	if (len < RTP_HEADER_LEN)
		return RTP_DECODE_SHORT;
	h->version = p[0] >> 6;
	if (h->version != RTP_VERSION)
		return RTP_DECODE_VERSION;
	h->padding = (p[0] & 0x20) != 0;
	h->extension = (p[0] & 0x10) != 0;
	h->csrc_count = p[0] & 0x0f;
	h->marker = (p[1] & 0x80) != 0;
	h->payload_type = p[1] & 0x7f;
	if (h->payload_type >= 72 && h->payload_type <= 76)
		return RTP_DECODE_RTCP;
	h->seq = (uint16_t)(p[2] << 8 | p[3]);
	h->timestamp = rtp_get32(p + 4);
	h->ssrc = rtp_get32(p + 8);
	off = RTP_HEADER_LEN;
	if (len < off + 4 * (size_t)h->csrc_count)
		return RTP_DECODE_CSRC;
	for (i = 0; i < h->csrc_count; i++, off += 4)
		h->csrc[i] = rtp_get32(p + off);
	if (h->extension) {
		if (len < off + 4)
			return RTP_DECODE_EXTENSION;
		h->ext_profile = (uint16_t)(p[off] << 8 | p[off + 1]);
		words = (size_t)(p[off + 2] << 8 | p[off + 3]);
		off += 4;
		if (len - off < 4 * words)
			return RTP_DECODE_EXTENSION;
		h->ext_len = 4 * words;
		off += h->ext_len;
	}
	h->header_len = off;
	h->payload_len = len - off;
	if (h->padding) {
		/* The last octet counts the padding, itself included. */
		h->padding_len = p[len - 1];
		if (h->padding_len == 0 || h->padding_len > h->payload_len)
			return RTP_DECODE_PADDING;
		h->payload_len -= h->padding_len;
	}
	return RTP_DECODE_OK;
}

/* RFC 3551 6, tables 4 and 5: the static payload types. */
static const struct {
	const char *name;
	uint32_t clock_rate;
} rtp_static_pt[96] = {
	[0] = { "PCMU", 8000 },
	[3] = { "GSM", 8000 },
	[4] = { "G723", 8000 },
	[5] = { "DVI4", 8000 },
	[6] = { "DVI4", 16000 },
	[7] = { "LPC", 8000 },
	[8] = { "PCMA", 8000 },
	[9] = { "G722", 8000 },
	[10] = { "L16", 44100 },
	[11] = { "L16", 44100 },
	[12] = { "QCELP", 8000 },
	[13] = { "CN", 8000 },
	[14] = { "MPA", 90000 },
	[15] = { "G728", 8000 },
	[16] = { "DVI4", 11025 },
	[17] = { "DVI4", 22050 },
	[18] = { "G729", 8000 },
	[25] = { "CelB", 90000 },
	[26] = { "JPEG", 90000 },
	[28] = { "nv", 90000 },
	[31] = { "H261", 90000 },
	[32] = { "MPV", 90000 },
	[33] = { "MP2T", 90000 },
	[34] = { "H263", 90000 },
};

uint32_t
rtp_pt_clock_rate(uint8_t payload_type)
{
	return payload_type < 96 ? rtp_static_pt[payload_type].clock_rate : 0;
}

const char *
rtp_pt_name(uint8_t payload_type)
{
	return payload_type < 96 ? rtp_static_pt[payload_type].name : NULL;
}

/* The reception window: bit i of seen[] says max - i arrived. */
static void
rtp_seen_clear(struct rtp_source *s)
{
	memset(s->seen, 0, sizeof(s->seen));
}

static void
rtp_seen_advance(struct rtp_source *s, uint32_t by)
{
	unsigned words = RTP_SEEN_BITS / 64, w, shift_words, bits;
	int i;

	if (by >= RTP_SEEN_BITS) {
		rtp_seen_clear(s);
		return;
	}
	shift_words = by / 64;
	bits = by % 64;
	for (i = (int)words - 1; i >= 0; i--) {
		uint64_t v = 0;

		w = (unsigned)i;
		if (w >= shift_words) {
			v = s->seen[w - shift_words] << bits;
			if (bits && w > shift_words)
				v |= s->seen[w - shift_words - 1] >>
				    (64 - bits);
		}
		s->seen[w] = v;
	}
}

static bool
rtp_seen_test_set(struct rtp_source *s, uint32_t behind)
{
	uint64_t bit = (uint64_t)1 << (behind % 64);
	bool was = (s->seen[behind / 64] & bit) != 0;

	s->seen[behind / 64] |= bit;
	return was;
}

/* RFC 3550 A.1 init_seq(): counting starts again at seq. */
static void
rtp_source_init_seq(struct rtp_source *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = RTP_SEQ_MOD + 1; /* so seq == bad_seq is false */
	s->cycles = 0;
	s->received = 0;
	/* The priors of A.3's fraction count over restarts here. */
	rtp_seen_clear(s);
}

void
rtp_source_init(struct rtp_source *s, uint32_t ssrc, uint16_t seq)
{
	memset(s, 0, sizeof(*s));
	s->ssrc = ssrc;
	rtp_source_init_seq(s, seq);
	s->max_seq = (uint16_t)(seq - 1);
	s->probation = RTP_MIN_SEQUENTIAL;
}

/*
 * The probation is over with seq: the packets of the probation were in
 * sequence and are counted too (A.1's code counts from the last one; a
 * tool that reports loss from the first packet must not drop them).
 */
static void
rtp_source_validated(struct rtp_source *s, uint16_t seq)
{
	uint32_t i, back = RTP_MIN_SEQUENTIAL - 1;

	rtp_source_init_seq(s, seq);
	if (seq < back) /* the probation began before a wrap */
		s->cycles = RTP_SEQ_MOD;
	s->base_seq = s->cycles + seq - back;
	s->received = RTP_MIN_SEQUENTIAL;
	for (i = 0; i <= back; i++)
		rtp_seen_test_set(s, i);
}

/* A.1's restart: what was counted so far is kept aside. */
static void
rtp_source_restart(struct rtp_source *s, uint16_t seq)
{
	s->prior_expected = rtp_source_expected(s);
	s->prior_received = rtp_source_received(s);
	s->restarts++;
	rtp_source_init_seq(s, seq);
	s->received = 1;
	rtp_seen_test_set(s, 0);
}

/* RFC 3550 A.1 update_seq() */
enum rtp_seq_verdict
rtp_source_update_seq(struct rtp_source *s, uint16_t seq)
{
	uint16_t udelta = (uint16_t)(seq - s->max_seq);
	uint32_t behind;
	int64_t ext;

	s->packets++;
	if (s->probation) {
		/* Packets count once MIN_SEQUENTIAL came in sequence. */
		if (seq == (uint16_t)(s->max_seq + 1)) {
			s->probation--;
			s->max_seq = seq;
			if (s->probation == 0) {
				rtp_source_validated(s, seq);
				return RTP_SEQ_NEW;
			}
		} else {
			/* Those accepted so far are not counted. */
			s->probation_dropped += RTP_MIN_SEQUENTIAL -
			    s->probation;
			s->probation = RTP_MIN_SEQUENTIAL - 1;
			s->max_seq = seq;
		}
		return RTP_SEQ_PROBATION;
	}
	if (udelta == 0) {
		s->duplicates++;
		return RTP_SEQ_DUPLICATE;
	}
	if (udelta < RTP_MAX_DROPOUT) {
		/* In order, with a permissible gap. */
		if (seq < s->max_seq)
			s->cycles += RTP_SEQ_MOD; /* wrapped */
		s->max_seq = seq;
		rtp_seen_advance(s, udelta);
		rtp_seen_test_set(s, 0);
		s->received++;
		return RTP_SEQ_NEW;
	}
	if (udelta <= RTP_SEQ_MOD - RTP_MAX_MISORDER) {
		/* A very large jump: a restart if the next one follows it. */
		if (seq == s->bad_seq) {
			rtp_source_restart(s, seq);
			return RTP_SEQ_RESTART;
		}
		s->bad_seq = (seq + 1) & (RTP_SEQ_MOD - 1);
		s->bad_jumps++;
		return RTP_SEQ_BAD;
	}
	/* Behind the highest by less than MAX_MISORDER. */
	behind = (uint32_t)(RTP_SEQ_MOD - udelta);
	if (rtp_seen_test_set(s, behind)) {
		s->duplicates++;
		return RTP_SEQ_DUPLICATE;
	}
	s->reordered++;
	ext = (int64_t)rtp_source_extended_max(s) - behind;
	if (ext < 0)
		return RTP_SEQ_LATE; /* before a wrap we did not count */
	/* Older than the first counted: the count starts there, so that
	 * lost never goes below 0. */
	if (ext < (int64_t)s->base_seq)
		s->base_seq = (uint32_t)ext;
	s->received++;
	return RTP_SEQ_LATE;
}

/* RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16, with
 * D = (R_j - R_i) - (S_j - S_i), arrival R and timestamp S in the
 * payload's clock. */
void
rtp_source_update_jitter(struct rtp_source *s, uint32_t rtp_timestamp,
    uint32_t arrival)
{
	int32_t transit = (int32_t)(arrival - rtp_timestamp);
	int64_t d;

	if (s->has_transit) {
		d = (int64_t)transit - s->transit;
		if (d < 0)
			d = -d;
		s->jitter += ((double)d - s->jitter) / 16.0;
		if (s->jitter > s->jitter_max)
			s->jitter_max = s->jitter;
		s->jitter_sum += s->jitter;
		s->jitter_samples++;
	}
	s->transit = transit;
	s->has_transit = true;
}

enum rtp_seq_verdict
rtp_source_input(struct rtp_source *s, const struct rtp_header *h,
    bool clock_known, uint32_t arrival)
{
	enum rtp_seq_verdict v = rtp_source_update_seq(s, h->seq);

	s->payload_type = h->payload_type;
	if (v == RTP_SEQ_DUPLICATE || v == RTP_SEQ_BAD)
		return v;
	s->last_timestamp = h->timestamp;
	if (clock_known)
		rtp_source_update_jitter(s, h->timestamp, arrival);
	return v;
}

/* RFC 3550 A.3: extended_max = cycles + max_seq */
uint32_t
rtp_source_extended_max(const struct rtp_source *s)
{
	return s->cycles + s->max_seq;
}

/* RFC 3550 A.3: expected = extended_max - base_seq + 1 */
uint64_t
rtp_source_expected(const struct rtp_source *s)
{
	if (s->probation)
		return s->prior_expected;
	return s->prior_expected +
	    (uint64_t)(rtp_source_extended_max(s) - s->base_seq + 1);
}

uint64_t
rtp_source_received(const struct rtp_source *s)
{
	return s->prior_received + (s->probation ? 0 : s->received);
}

/* RFC 3550 A.3: lost = expected - received */
int64_t
rtp_source_lost(const struct rtp_source *s)
{
	return (int64_t)rtp_source_expected(s) -
	    (int64_t)rtp_source_received(s);
}

/* RFC 3550 A.3: fraction = (expected_interval - received_interval) * 256 /
 * expected_interval, 0 when nothing was expected or nothing lost. */
uint8_t
rtp_source_fraction_lost(struct rtp_source *s)
{
	uint64_t expected = rtp_source_expected(s),
		 received = rtp_source_received(s);
	uint64_t expected_interval = expected - s->expected_prior;
	uint64_t received_interval = received - s->received_prior;
	int64_t lost_interval;

	s->expected_prior = expected;
	s->received_prior = received;
	lost_interval = (int64_t)expected_interval - (int64_t)received_interval;
	if (expected_interval == 0 || lost_interval <= 0)
		return 0;
	return (uint8_t)(((uint64_t)lost_interval << 8) / expected_interval);
}

double
rtp_source_jitter(const struct rtp_source *s)
{
	return s->jitter;
}

double
rtp_source_jitter_mean(const struct rtp_source *s)
{
	return s->jitter_samples ? s->jitter_sum / (double)s->jitter_samples :
				   0;
}
