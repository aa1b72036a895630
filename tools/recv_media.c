/*
 * mcast recv's RTP and MPEG-TS streams: which kind a datagram is (mcast's
 * own header, MPEG-TS over UDP, RTP, MPEG-TS over RTP), their counts
 * (proto/rtp.c per SSRC, proto/mpegts.c per PID) and their part of the
 * reports (tools/recv_report.c).
 */
#include <stdlib.h>
#include <string.h>

#include "recv.h"

static const char *const recv_stream_kind_names[] = {
	[RECV_STREAM_MCAST] = "mcast",
	[RECV_STREAM_FOREIGN] = "foreign",
	[RECV_STREAM_RTP] = "rtp",
	[RECV_STREAM_TS] = "ts",
	[RECV_STREAM_RTP_TS] = "rtp+ts",
};

const char *
recv_stream_kind_name(enum recv_stream_kind k)
{
	return (unsigned)k <= RECV_STREAM_RTP_TS ? recv_stream_kind_names[k] :
						   "?";
}

/* RTP's payload is MPEG-TS: payload type 33 (RFC 3551), or whole 188-byte
 * packets under a dynamic type. */
static enum recv_stream_kind
recv_media_rtp_kind(const uint8_t *buf, const struct rtp_header *h)
{
	if (h->payload_type == RTP_PT_MP2T ||
	    (h->payload_type >= 96 &&
		mpegts_looks_like(buf + h->header_len, h->payload_len)))
		return RECV_STREAM_RTP_TS;
	return RECV_STREAM_RTP;
}

enum recv_stream_kind
recv_media_classify(const struct recv_opts *o, struct recv_state *s,
    const uint8_t *buf, size_t len, struct rtp_header *h)
{
	struct mc_dgram_header mh;
	enum rtp_decode_error e;

	switch (o->kind) {
	case RECV_KIND_MCAST:
		return mc_dgram_decode(buf, len, &mh) == 0 ?
		    RECV_STREAM_MCAST :
		    RECV_STREAM_FOREIGN;
	case RECV_KIND_TS:
		return RECV_STREAM_TS;
	case RECV_KIND_RTP:
		e = rtp_decode(buf, len, h);
		if (e != RTP_DECODE_OK) {
			s->rtp_refused[e]++;
			return RECV_STREAM_FOREIGN;
		}
		return recv_media_rtp_kind(buf, h);
	case RECV_KIND_AUTO:
		break;
	}
	/* The first byte tells them apart: "M" of mcast's magic, 0x47 the
	 * TS sync byte (version 1 to RTP), RTP's version 2 in 0x80..0xbf. */
	if (mc_dgram_decode(buf, len, &mh) == 0)
		return RECV_STREAM_MCAST;
	if (mpegts_looks_like(buf, len))
		return RECV_STREAM_TS;
	if (rtp_decode(buf, len, h) == RTP_DECODE_OK)
		return recv_media_rtp_kind(buf, h);
	return RECV_STREAM_FOREIGN;
}

/*
 * Under --kind auto, what looks like an RTP header may be anyone's bytes:
 * the source is RTP once RFC 3550 A.1's probation is over (two packets in
 * sequence), and is shown as foreign until then.
 */
enum recv_stream_kind
recv_media_shown_kind(const struct recv_opts *o, const struct recv_stream *st)
{
	if (st->media != NULL && o->kind == RECV_KIND_AUTO &&
	    st->kind != RECV_STREAM_TS &&
	    rtp_source_expected(&st->media->rtp) == 0)
		return RECV_STREAM_FOREIGN;
	return st->kind;
}

void
recv_media_new(struct recv_stream *st)
{
	st->media = calloc(1, sizeof(*st->media));
	if (st->media == NULL) {
		fprintf(stderr, "mcast: out of memory for the counts of %s\n",
		    st->from_label);
		exit(1);
	}
	mpegts_stats_init(&st->media->ts);
}

/* The arrival in the payload's clock, from the first packet's, modulo
 * 2^32 as RTP timestamps are (RFC 3550 A.8). */
static uint32_t
recv_media_arrival(const struct recv_media *m, int64_t arrival_ns)
{
	__int128 ticks = (__int128)(arrival_ns - m->origin_ns) * m->clock_rate /
	    1000000000;

	return (uint32_t)ticks;
}

uint64_t
recv_media_input(const struct recv_opts *o, struct recv_stream *st,
    const struct rtp_header *h, const uint8_t *buf, size_t len,
    int64_t arrival_ns)
{
	struct recv_media *m = st->media;
	enum rtp_seq_verdict v;
	uint64_t counted;

	if (st->kind == RECV_STREAM_TS) {
		mpegts_input(&m->ts, buf, len);
		return 1;
	}
	if (m->rtp.packets == 0) {
		rtp_source_init(&m->rtp, h->ssrc, h->seq);
		m->origin_ns = arrival_ns;
		m->clock_rate = o->clock_rate ?
		    o->clock_rate :
		    rtp_pt_clock_rate(h->payload_type);
	}
	v = rtp_source_input(&m->rtp, h, m->clock_rate != 0,
	    recv_media_arrival(m, arrival_ns));
	if (v == RTP_SEQ_DUPLICATE || v == RTP_SEQ_BAD)
		return 0;
	if (st->kind == RECV_STREAM_RTP_TS)
		mpegts_input(&m->ts, buf + h->header_len, h->payload_len);
	/* Distinct packets; while on probation under --kind auto, every
	 * datagram (it is shown as foreign), and never fewer than so far. */
	counted = rtp_source_received(&m->rtp);
	if (recv_media_shown_kind(o, st) == RECV_STREAM_FOREIGN)
		counted = m->rtp.packets;
	if (counted <= m->counted)
		return 0;
	counted -= m->counted;
	m->counted += counted;
	return counted;
}

uint64_t
recv_media_lost(const struct recv_stream *st)
{
	int64_t lost;

	if (st->media == NULL || st->kind == RECV_STREAM_TS)
		return 0;
	lost = rtp_source_lost(&st->media->rtp);
	return lost > 0 ? (uint64_t)lost : 0;
}

uint64_t
recv_media_cc_errors(const struct recv_stream *st)
{
	if (st->media == NULL || st->kind == RECV_STREAM_RTP)
		return 0;
	return mpegts_cc_errors(&st->media->ts);
}

void
recv_media_mark(struct recv_stream *st)
{
	struct recv_media *m = st->media;

	if (m == NULL)
		return;
	m->mark_expected = rtp_source_expected(&m->rtp);
	m->mark_received = rtp_source_received(&m->rtp);
	m->mark_cc_errors = mpegts_cc_errors(&m->ts);
}

/* Timestamp units in milliseconds. */
static double
recv_media_jitter_ms(const struct recv_media *m, double ts_units)
{
	return m->clock_rate ? ts_units * 1000.0 / m->clock_rate : 0;
}

static void
recv_media_json_rtp(FILE *f, const struct recv_stream *st, double interval_s)
{
	const struct recv_media *m = st->media;
	const struct rtp_source *r = &m->rtp;
	const char *name = rtp_pt_name(r->payload_type);
	uint64_t lost = recv_media_lost(st), expected = rtp_source_expected(r);
	uint64_t iv_expected = expected - m->mark_expected;
	uint64_t iv_lost = iv_expected -
	    (rtp_source_received(r) - m->mark_received);

	fprintf(f, ",\"ssrc\":%u,\"payload_type\":%u,\"encoding\":", r->ssrc,
	    r->payload_type);
	if (name)
		json_string(f, name);
	else
		fputs("null", f);
	fprintf(f,
	    ",\"clock_rate\":%u,\"unique\":%llu,\"expected\":%llu,"
	    "\"lost\":%llu,\"loss_percent\":%.3f,\"duplicates\":%llu,"
	    "\"reordered\":%llu,\"first_seq\":%u,\"max_seq\":%u,"
	    "\"restarts\":%llu,\"probation_dropped\":%llu,"
	    "\"bad_jumps\":%llu",
	    m->clock_rate, (unsigned long long)rtp_source_received(r),
	    (unsigned long long)expected, (unsigned long long)lost,
	    expected ? 100.0 * (double)lost / (double)expected : 0.0,
	    (unsigned long long)r->duplicates, (unsigned long long)r->reordered,
	    r->base_seq, rtp_source_extended_max(r),
	    (unsigned long long)r->restarts,
	    (unsigned long long)r->probation_dropped,
	    (unsigned long long)r->bad_jumps);
	if (m->clock_rate)
		fprintf(f,
		    ",\"jitter_ms\":%.4f,\"jitter_ts\":%.3f,"
		    "\"jitter_mean_ms\":%.4f,\"jitter_max_ms\":%.4f",
		    recv_media_jitter_ms(m, rtp_source_jitter(r)),
		    rtp_source_jitter(r),
		    recv_media_jitter_ms(m, rtp_source_jitter_mean(r)),
		    recv_media_jitter_ms(m, r->jitter_max));
	else
		fputs(",\"jitter_ms\":null,\"jitter_ts\":null,"
		      "\"jitter_mean_ms\":null,\"jitter_max_ms\":null",
		    f);
	if (interval_s > 0)
		fprintf(f,
		    ",\"interval_expected\":%llu,\"interval_lost\":%llu,"
		    "\"interval_loss_percent\":%.3f",
		    (unsigned long long)iv_expected,
		    (unsigned long long)(iv_lost > iv_expected ? 0 : iv_lost),
		    iv_expected && iv_lost <= iv_expected ?
			100.0 * (double)iv_lost / (double)iv_expected :
			0.0);
}

static double
pcr_ms(uint64_t ticks)
{
	return (double)ticks * 1000.0 / (double)MPEGTS_PCR_HZ;
}

static void
recv_media_json_ts(FILE *f, const struct recv_stream *st, double interval_s)
{
	const struct mpegts_stats *ts = &st->media->ts;
	size_t i;
	int e;

	fprintf(f,
	    ",\"ts\":{\"packets\":%llu,\"null_packets\":%llu,"
	    "\"cc_errors\":%llu,\"untracked\":%llu",
	    (unsigned long long)ts->packets,
	    (unsigned long long)ts->null_packets,
	    (unsigned long long)mpegts_cc_errors(ts),
	    (unsigned long long)ts->pids_untracked);
	if (interval_s > 0)
		fprintf(f, ",\"interval_cc_errors\":%llu",
		    (unsigned long long)(mpegts_cc_errors(ts) -
			st->media->mark_cc_errors));
	fputs(",\"errors\":{", f);
	for (e = MPEGTS_OK + 1; e < MPEGTS_ERRORS; e++)
		fprintf(f, "%s\"%s\":%llu", e == MPEGTS_OK + 1 ? "" : ",",
		    mpegts_error_name((enum mpegts_error)e),
		    (unsigned long long)ts->errors[e]);
	fputs("},\"pids\":[", f);
	for (i = 0; i < ts->npids; i++) {
		const struct mpegts_pid *p = &ts->pids[i];

		fprintf(f,
		    "%s{\"pid\":%u,\"packets\":%llu,\"cc_errors\":%llu,"
		    "\"cc_lost\":%llu,\"duplicates\":%llu,"
		    "\"discontinuities\":%llu,\"scrambled\":%llu,"
		    "\"pcr\":%s",
		    i ? "," : "", p->pid, (unsigned long long)p->packets,
		    (unsigned long long)p->cc_errors,
		    (unsigned long long)p->cc_lost,
		    (unsigned long long)p->duplicates,
		    (unsigned long long)p->discontinuities,
		    (unsigned long long)p->scrambled,
		    p->pcr_count ? "true" : "false");
		if (p->pcr_intervals)
			fprintf(f,
			    ",\"pcr_interval_ms\":{\"min\":%.3f,\"avg\":%.3f,"
			    "\"max\":%.3f}",
			    pcr_ms(p->pcr_interval_min),
			    pcr_ms(p->pcr_interval_sum) /
				(double)p->pcr_intervals,
			    pcr_ms(p->pcr_interval_max));
		else
			fputs(",\"pcr_interval_ms\":null", f);
		fputc('}', f);
	}
	fputs("]}", f);
}

void
recv_media_json(FILE *f, const struct recv_stream *st, double interval_s)
{
	if (st->kind != RECV_STREAM_TS)
		recv_media_json_rtp(f, st, interval_s);
	if (st->kind != RECV_STREAM_RTP)
		recv_media_json_ts(f, st, interval_s);
}

void
recv_media_interval_text(FILE *f, const struct recv_stream *st)
{
	const struct recv_media *m = st->media;
	uint64_t expected, received;

	if (st->kind != RECV_STREAM_TS) {
		expected = rtp_source_expected(&m->rtp) - m->mark_expected;
		received = rtp_source_received(&m->rtp) - m->mark_received;
		if (received > expected)
			received = expected;
		fprintf(f, "  %s lost %llu/%llu (%.2f%%)",
		    recv_stream_kind_name(st->kind),
		    (unsigned long long)(expected - received),
		    (unsigned long long)expected,
		    expected ? 100.0 * (double)(expected - received) /
			    (double)expected :
			       0.0);
		if (m->clock_rate)
			fprintf(f, "  jitter %.3f ms",
			    recv_media_jitter_ms(m,
				rtp_source_jitter(&m->rtp)));
		fprintf(f, "  lost so far %llu",
		    (unsigned long long)recv_media_lost(st));
	} else {
		fputs("  ts", f);
	}
	if (st->kind != RECV_STREAM_RTP)
		fprintf(f, "  cc errors %llu (so far %llu)",
		    (unsigned long long)(mpegts_cc_errors(&m->ts) -
			m->mark_cc_errors),
		    (unsigned long long)mpegts_cc_errors(&m->ts));
	fputc('\n', f);
}

void
recv_media_row(FILE *f, const struct recv_stream *st, double first_ms)
{
	const struct recv_media *m = st->media;
	uint64_t lost, expected;

	if (st->kind == RECV_STREAM_TS) {
		fprintf(f, "%7s %7s %5s %6s %9.3f %24s %9s", "-", "-", "-", "-",
		    first_ms, "-", "-");
		return;
	}
	lost = recv_media_lost(st);
	expected = rtp_source_expected(&m->rtp);
	fprintf(f, "%7llu %7.2f %5llu %6llu %9.3f %24s ",
	    (unsigned long long)lost,
	    expected ? 100.0 * (double)lost / (double)expected : 0.0,
	    (unsigned long long)m->rtp.duplicates,
	    (unsigned long long)m->rtp.reordered, first_ms, "-");
	if (m->clock_rate)
		fprintf(f, "%9.4f",
		    recv_media_jitter_ms(m, rtp_source_jitter(&m->rtp)));
	else
		fprintf(f, "%9s", "-");
}

static void
recv_media_details_ts(FILE *f, const struct mpegts_stats *ts)
{
	char pcr[40];
	size_t i;
	int e;

	fprintf(f, "  MPEG-TS: %llu packets (%llu null)",
	    (unsigned long long)ts->packets,
	    (unsigned long long)ts->null_packets);
	for (e = MPEGTS_OK + 1; e < MPEGTS_ERRORS; e++)
		if (ts->errors[e])
			fprintf(f, ", %llu %s error%s",
			    (unsigned long long)ts->errors[e],
			    mpegts_error_name((enum mpegts_error)e),
			    plural_s(ts->errors[e]));
	if (ts->pids_untracked)
		fprintf(f, ", %llu in PIDs past the first %d",
		    (unsigned long long)ts->pids_untracked, MPEGTS_MAX_PIDS);
	fprintf(f, "\n  %-8s %9s %7s %7s %5s %5s %4s %24s\n", "PID", "PACKETS",
	    "CC-ERR", "CC-LOST", "DUP", "DISC", "PCR", "PCR ms min/avg/max");
	for (i = 0; i < ts->npids; i++) {
		const struct mpegts_pid *p = &ts->pids[i];

		if (p->pcr_intervals)
			snprintf(pcr, sizeof(pcr), "%.1f/%.1f/%.1f",
			    pcr_ms(p->pcr_interval_min),
			    pcr_ms(p->pcr_interval_sum) /
				(double)p->pcr_intervals,
			    pcr_ms(p->pcr_interval_max));
		else
			snprintf(pcr, sizeof(pcr), "-");
		fprintf(f,
		    "  0x%04x   %9llu %7llu %7llu %5llu %5llu %4s %24s\n",
		    p->pid, (unsigned long long)p->packets,
		    (unsigned long long)p->cc_errors,
		    (unsigned long long)p->cc_lost,
		    (unsigned long long)p->duplicates,
		    (unsigned long long)p->discontinuities,
		    p->pcr_count ? "yes" : "no", pcr);
	}
}

void
recv_media_details(FILE *f, const struct recv_opts *o,
    const struct recv_state *s)
{
	size_t i;

	for (i = 0; i < s->nstreams; i++) {
		const struct recv_stream *st = &s->streams[i];
		const struct rtp_source *r;
		const char *name;

		if (st->media == NULL ||
		    recv_media_shown_kind(o, st) == RECV_STREAM_FOREIGN)
			continue;
		fprintf(f, "%s from %s: %s", o->groups[st->group].label,
		    st->from_label, recv_stream_kind_name(st->kind));
		if (st->kind != RECV_STREAM_TS) {
			r = &st->media->rtp;
			name = rtp_pt_name(r->payload_type);
			fprintf(f, " SSRC 0x%08x, payload type %u", r->ssrc,
			    r->payload_type);
			if (name)
				fprintf(f, " (%s)", name);
			if (st->media->clock_rate)
				fprintf(f, ", clock %u Hz",
				    st->media->clock_rate);
			else
				fprintf(f,
				    ", clock rate unknown (no jitter: "
				    "give --clock-rate)");
			fprintf(f, ", sequence %u..%u", r->base_seq,
			    rtp_source_extended_max(r));
			if (r->restarts)
				fprintf(f, ", %llu restart%s",
				    (unsigned long long)r->restarts,
				    plural_s(r->restarts));
		}
		fputc('\n', f);
		if (st->kind != RECV_STREAM_RTP)
			recv_media_details_ts(f, &st->media->ts);
	}
}

void
recv_media_refused(FILE *f, const struct recv_opts *o,
    const struct recv_state *s, bool json)
{
	bool any = false;
	int e;

	if (o->kind != RECV_KIND_RTP)
		return;
	if (json)
		fputs(",\"rtp_refused\":{", f);
	for (e = RTP_DECODE_OK + 1; e < RTP_DECODE_ERRORS; e++) {
		if (json)
			fprintf(f, "%s\"%s\":%llu", any ? "," : "",
			    rtp_decode_error_name((enum rtp_decode_error)e),
			    (unsigned long long)s->rtp_refused[e]);
		else if (s->rtp_refused[e])
			fprintf(f, "%s%llu %s", any ? ", " : "not RTP: ",
			    (unsigned long long)s->rtp_refused[e],
			    rtp_decode_error_name((enum rtp_decode_error)e));
		any = any || json || s->rtp_refused[e] != 0;
	}
	if (json)
		fputc('}', f);
	else if (any)
		fputc('\n', f);
}

void
recv_media_free(struct recv_state *s)
{
	size_t i;

	for (i = 0; i < s->nstreams; i++) {
		free(s->streams[i].media);
		s->streams[i].media = NULL;
	}
}
