/*
 * mcast recv's reports: interval lines and the final table, or JSON
 * objects, from the streams' counts (tools/recv.h); RTP's and MPEG-TS's
 * own parts come from tools/recv_media.c.
 */
#include <stdio.h>

#include "recv.h"

static bool
recv_stream_over(const struct mc_rxstats *x, int64_t end_realtime_ns)
{
	int64_t silent = end_realtime_ns - x->last_arrival_ns, gap = 0;

	if (x->unique > 1)
		gap = (x->last_arrival_ns - x->first_arrival_ns) /
		    (int64_t)(x->unique - 1);
	return silent >= 200000000 && silent >= 4 * gap;
}

uint64_t
recv_lost(const struct recv_stream *st, bool final)
{
	if (st->media)
		return recv_media_lost(st);
	if (st->foreign)
		return 0;
	return mc_rxstats_lost(&st->st,
	    final && recv_stream_over(&st->st, now_realtime_ns()));
}

static double
ms(int64_t ns)
{
	return (double)ns / 1e6;
}

/* The interval's own loss; jitter_ms is the running value at its end. */
static void
recv_json_interval_loss(FILE *f, const struct recv_stream *st)
{
	struct mc_rxstats_interval iv;

	mc_rxstats_since(&st->st, &st->interval_mark, &iv);
	fprintf(f,
	    ",\"interval_expected\":%llu,\"interval_lost\":%llu,"
	    "\"interval_loss_percent\":%.3f",
	    (unsigned long long)iv.expected, (unsigned long long)iv.lost,
	    iv.expected ? 100.0 * (double)iv.lost / (double)iv.expected : 0.0);
}

static void
recv_json_stream(FILE *f, const struct recv_opts *o, const struct recv_state *s,
    const struct recv_stream *st, bool final, double interval_s)
{
	const struct mc_rxstats *x = &st->st;
	enum recv_stream_kind k = recv_media_shown_kind(o, st);
	uint64_t lost = recv_lost(st, final);
	uint64_t expected = x->unique + lost;

	fprintf(f, "{\"group\":");
	json_string(f, o->groups[st->group].label);
	fprintf(f, ",\"sender\":");
	json_string(f, st->from_label);
	fprintf(f, ",\"kind\":\"%s\"", recv_stream_kind_name(k));
	fprintf(f, ",\"mcast_header\":%s,\"packets\":%llu,\"bytes\":%llu",
	    k == RECV_STREAM_MCAST ? "true" : "false",
	    (unsigned long long)x->packets, (unsigned long long)x->bytes);
	if (interval_s > 0)
		fprintf(f,
		    ",\"interval_packets\":%llu,\"interval_pps\":%.1f,"
		    "\"interval_mbps\":%.3f",
		    (unsigned long long)st->interval_packets,
		    (double)st->interval_packets / interval_s,
		    (double)st->interval_bytes * 8 / interval_s / 1e6);
	fprintf(f, ",\"first_packet_ms\":%.3f",
	    ms(x->first_arrival_ns - s->join_realtime_ns));
	if (k != RECV_STREAM_MCAST && k != RECV_STREAM_FOREIGN)
		recv_media_json(f, st, interval_s);
	else if (k == RECV_STREAM_MCAST) {
		fprintf(f,
		    ",\"sender_id\":%u,\"unique\":%llu,\"lost\":%llu,"
		    "\"loss_percent\":%.3f,\"duplicates\":%llu,"
		    "\"reordered\":%llu,\"late\":%llu,\"first_seq\":%llu,"
		    "\"max_seq\":%llu,\"sender_total\":%u,"
		    "\"delay_ms\":{\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f},"
		    "\"jitter_ms\":%.4f",
		    st->sender_id, (unsigned long long)x->unique,
		    (unsigned long long)lost,
		    expected ? 100.0 * (double)lost / (double)expected : 0.0,
		    (unsigned long long)x->duplicates,
		    (unsigned long long)x->reordered,
		    (unsigned long long)x->late,
		    (unsigned long long)x->first_seq,
		    (unsigned long long)x->max_seq, x->total,
		    ms(x->delay_min_ns),
		    x->unique ? ms(x->delay_sum_ns) / (double)x->unique : 0,
		    ms(x->delay_max_ns), ms((int64_t)x->jitter_ns));
		fprintf(f, ",\"counted_from\":%llu,\"joined_mid_stream\":%s",
		    (unsigned long long)mc_rxstats_count_from(x),
		    mc_rxstats_joined_mid_stream(x) ? "true" : "false");
		if (interval_s > 0)
			recv_json_interval_loss(f, st);
	}
	fputc('}', f);
}

void
recv_report_json(const struct recv_opts *o, struct recv_state *s, bool final,
    double interval_s, int exit_status)
{
	FILE *f = s->report;
	size_t i;

	fprintf(f, "{\"type\":\"%s\",\"time\":%.3f,\"received\":%llu",
	    final ? "summary" : "interval",
	    (double)(now_monotonic_ns() - s->start_mono_ns) / 1e9,
	    (unsigned long long)s->received);
	if (o->count)
		fprintf(f, ",\"expected\":%llu", (unsigned long long)o->count);
	fprintf(f, ",\"streams\":[");
	for (i = 0; i < s->nstreams; i++) {
		if (i)
			fputc(',', f);
		recv_json_stream(f, o, s, &s->streams[i], final, interval_s);
	}
	fputc(']', f);
	fprintf(f, ",\"warnings\":[");
	for (i = 0; i < (size_t)s->watch.nlinks; i++) {
		if (i)
			fputc(',', f);
		json_string(f, s->watch.links[i].text);
	}
	fputc(']', f);
	recv_media_refused(f, o, s, true);
	if (final)
		fprintf(f, ",\"exit\":%d", exit_status);
	fprintf(f, "}\n");
	fflush(f);
}

void
recv_report_interval_text(const struct recv_opts *o, struct recv_state *s,
    double interval_s)
{
	double t = (double)(now_monotonic_ns() - s->start_mono_ns) / 1e9;
	size_t i;

	for (i = 0; i < s->nstreams; i++) {
		const struct recv_stream *st = &s->streams[i];
		enum recv_stream_kind k = recv_media_shown_kind(o, st);
		struct mc_rxstats_interval iv;

		fprintf(s->report, "%8.1fs  %-22s %-24s %8.0f pps %9.3f Mbit/s",
		    t, o->groups[st->group].label, st->from_label,
		    (double)st->interval_packets / interval_s,
		    (double)st->interval_bytes * 8 / interval_s / 1e6);
		if (k != RECV_STREAM_MCAST && k != RECV_STREAM_FOREIGN) {
			recv_media_interval_text(s->report, st);
			continue;
		}
		if (k == RECV_STREAM_FOREIGN) {
			fprintf(s->report, "  (no mcast header)\n");
			continue;
		}
		mc_rxstats_since(&st->st, &st->interval_mark, &iv);
		fprintf(s->report,
		    "  lost %llu/%llu (%.2f%%)  jitter %.3f ms  "
		    "lost so far %llu\n",
		    (unsigned long long)iv.lost,
		    (unsigned long long)iv.expected,
		    iv.expected ?
			100.0 * (double)iv.lost / (double)iv.expected :
			0.0,
		    ms((int64_t)st->st.jitter_ns),
		    (unsigned long long)recv_lost(st, false));
	}
	fflush(s->report);
}

/* Streams that had begun before we listened: their loss counts from the
 * first datagram received, not from sequence 0. */
static void
recv_report_mid_stream_joins(const struct recv_opts *o, struct recv_state *s)
{
	size_t i;

	for (i = 0; i < s->nstreams; i++) {
		const struct recv_stream *st = &s->streams[i];

		if (st->kind != RECV_STREAM_MCAST ||
		    !mc_rxstats_joined_mid_stream(&st->st))
			continue;
		fprintf(s->report,
		    "%s from %s: joined at sequence %llu (the stream had begun "
		    "before recv listened; earlier datagrams are not counted)\n",
		    o->groups[st->group].label, st->from_label,
		    (unsigned long long)st->st.first_seq);
	}
}

void
recv_report_final_text(const struct recv_opts *o, struct recv_state *s)
{
	FILE *f = s->report;
	size_t i;

	if (s->nstreams == 0) {
		if (s->watch.nlinks > 0)
			fprintf(f,
			    "nothing received: the querier on %s speaks "
			    "IGMPv%u, which cannot carry a source-specific "
			    "join (see the warning above)\n",
			    s->watch.links[0].ifname,
			    s->watch.links[0].querier_version);
		else
			fprintf(f, "nothing received\n");
		return;
	}
	fprintf(f, "%-22s %-24s %9s %7s %7s %5s %6s %9s %24s %9s  %s\n",
	    "GROUP", "SENDER", "PACKETS", "LOST", "LOSS%", "DUP", "REORD",
	    "FIRST ms", "DELAY ms min/avg/max", "JITTER ms", "KIND");
	for (i = 0; i < s->nstreams; i++) {
		const struct recv_stream *st = &s->streams[i];
		const struct mc_rxstats *x = &st->st;
		enum recv_stream_kind k = recv_media_shown_kind(o, st);
		uint64_t lost = recv_lost(st, true);
		uint64_t expected = x->unique + lost;
		char delay[48];

		if (k != RECV_STREAM_MCAST && k != RECV_STREAM_FOREIGN) {
			fprintf(f, "%-22s %-24s %9llu ",
			    o->groups[st->group].label, st->from_label,
			    (unsigned long long)x->packets);
			recv_media_row(f, st,
			    ms(x->first_arrival_ns - s->join_realtime_ns));
			fprintf(f, "  %s\n", recv_stream_kind_name(k));
			continue;
		}
		if (k == RECV_STREAM_FOREIGN) {
			fprintf(f,
			    "%-22s %-24s %9llu %7s %7s %5s %6s %9.3f "
			    "%24s %9s  foreign\n",
			    o->groups[st->group].label, st->from_label,
			    (unsigned long long)x->packets, "-", "-", "-", "-",
			    ms(x->first_arrival_ns - s->join_realtime_ns),
			    "(no mcast header)", "-");
			continue;
		}
		snprintf(delay, sizeof(delay), "%.3f/%.3f/%.3f",
		    ms(x->delay_min_ns),
		    x->unique ? ms(x->delay_sum_ns) / (double)x->unique : 0,
		    ms(x->delay_max_ns));
		fprintf(f,
		    "%-22s %-24s %9llu %7llu %7.2f %5llu %6llu %9.3f "
		    "%24s %9.4f  mcast\n",
		    o->groups[st->group].label, st->from_label,
		    (unsigned long long)x->packets, (unsigned long long)lost,
		    expected ? 100.0 * (double)lost / (double)expected : 0.0,
		    (unsigned long long)x->duplicates,
		    (unsigned long long)x->reordered,
		    ms(x->first_arrival_ns - s->join_realtime_ns), delay,
		    ms((int64_t)x->jitter_ns));
	}
	recv_report_mid_stream_joins(o, s);
	recv_media_details(f, o, s);
	recv_media_refused(f, o, s, false);
}
