/*
 * mcast recv's shared state (tools/cmd_recv.c receives, tools/recv_report.c
 * reports): the options, the streams per (group, sender) and their counts.
 */
#ifndef MCAST_TOOLS_RECV_H
#define MCAST_TOOLS_RECV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "mpegts.h"
#include "querier.h"
#include "rtp.h"
#include "sdp.h"
#include "tool.h"

#define RECV_MAX_GROUPS	 64
#define RECV_MAX_SOURCES 16
#define RECV_BATCH	 64
#define RECV_BUFSIZE	 65536
/* Datagrams one socket may give per turn of the loop: 16 batches. */
#define RECV_BUDGET (16 * RECV_BATCH)
/* While nothing arrives, how often to look at the querier's version again. */
#define RECV_QUERIER_CHECK_NS 2000000000LL
/*
 * The receive buffer asked for: the kernel charges each datagram its
 * buffer's true size (~800 bytes for a 64-byte datagram), so 32 MiB hold
 * ~0.2 s of small datagrams at 200,000/s.
 */
#define RECV_RCVBUF (32 << 20)

/* --kind: what the datagrams are taken to be. */
enum recv_kind {
	RECV_KIND_AUTO, /* told apart datagram by datagram */
	RECV_KIND_MCAST,
	RECV_KIND_RTP,
	RECV_KIND_TS,
};

/* What a stream carries. */
enum recv_stream_kind {
	RECV_STREAM_MCAST,   /* mcast's own header (include/mcast/dgram.h) */
	RECV_STREAM_FOREIGN, /* none we know: only counted */
	RECV_STREAM_RTP,     /* RTP, one SSRC */
	RECV_STREAM_TS,	     /* MPEG-TS over UDP */
	RECV_STREAM_RTP_TS,  /* MPEG-TS over RTP (payload type 33) */
};

/* The counts of an RTP or MPEG-TS stream (tools/recv_media.c). */
struct recv_media {
	struct rtp_source rtp;
	uint32_t clock_rate;	/* Hz; 0: unknown, no jitter */
	int64_t origin_ns;	/* arrival of the first packet */
	uint64_t mark_expected; /* at the last interval report */
	uint64_t mark_received;
	uint64_t mark_cc_errors;
	uint64_t counted; /* added to recv_state's received */
	struct mpegts_stats ts;
};

struct recv_group {
	struct mc_endpoint ep;
	char label[64]; /* "239.1.2.3:5000" */
	int fd;
	/* Source-specific joins: -S's (every group), or the medium's RFC
	 * 4570 incl filter (--sdp, --session). */
	struct mc_ip sources[RECV_MAX_SOURCES];
	int nsources;
	/* An RFC 4570 excl filter: joined any-source, datagrams from these
	 * are dropped here and counted. */
	struct mc_ip excluded[RECV_MAX_SOURCES];
	int nexcluded;
	enum recv_kind kind; /* --kind, or the medium's m= protocol */
	int medium;	     /* the SDP medium (o->sdp), -1: none */
};

/* One (group, sender) pair: an mcast stream or foreign datagrams. */
struct recv_stream {
	int group; /* index in groups[] */
	struct sockaddr_storage from;
	char from_label[64];
	bool foreign; /* no mcast header */
	enum recv_stream_kind kind;
	uint32_t sender_id;	  /* RTP: the SSRC */
	struct recv_media *media; /* RTP and MPEG-TS streams */
	struct mc_rxstats st;
	uint64_t interval_packets; /* since the last report */
	uint64_t interval_bytes;
	struct mc_rxstats_mark
	    interval_mark; /* the counts at the last report */
};

struct recv_opts {
	struct recv_group groups[RECV_MAX_GROUPS];
	int ngroups;
	struct mc_iface iface;
	bool has_iface;
	struct mc_ip sources[RECV_MAX_SOURCES];
	int nsources;
	uint64_t count;	   /* 0: no target */
	double duration_s; /* 0: until interrupted */
	double interval_s; /* 0: final report only */
	enum recv_kind kind;
	uint32_t clock_rate; /* --clock-rate; 0: by payload type */
	bool json;
	bool raw;
	bool quiet;
	/* --sdp FILE or --session: the session whose media are joined */
	const struct sdp_session *sdp;
	char session_label[160]; /* "NAME" (FILE or o= ...) */
};

struct recv_state {
	struct recv_stream *streams;
	size_t nstreams;
	size_t cap;
	uint64_t received; /* unique mcast + foreign */
	int64_t join_realtime_ns;
	int64_t start_mono_ns;
	FILE *report;		/* stdout, or stderr with --raw */
	struct ssm_watch watch; /* the querier of the links of -S joins */
	/* --kind rtp: datagrams that were no RTP, by reason */
	uint64_t rtp_refused[RTP_DECODE_ERRORS];
	/* per group: datagrams from a source an excl filter names */
	uint64_t excluded_drops[RECV_MAX_GROUPS];
	int64_t next_querier_check_ns;
};

/* tools/recv_report.c */
/* Sequence numbers a stream lost: so far, or in the end (final). */
uint64_t recv_lost(const struct recv_stream *st, bool final);
/* One JSON object: an interval's (final false) or the final report. */
void recv_report_json(const struct recv_opts *o, struct recv_state *s,
    bool final, double interval_s, int exit_status);
/* An interval's lines: each stream's rate, its loss and jitter. */
void recv_report_interval_text(const struct recv_opts *o, struct recv_state *s,
    double interval_s);
/* The final table (or why nothing came) and the mid-stream joins. */
void recv_report_final_text(const struct recv_opts *o, struct recv_state *s);

/* tools/recv_session.c */
/* (struct recv_session_opts: tools/sap.h) */
struct recv_session_opts;
/*
 * Fill o's groups (each c= address and port of each m=, /N honoured), their
 * sources, kinds and media from an SDP file or a session heard on the SAP
 * groups; exit 2 on a bad file, 1 when the session was not heard.
 */
void recv_session_setup(const struct recv_session_opts *so, struct recv_opts *o,
    bool kind_given);
/* The payload's clock rate for a stream of group g (0: unknown). */
uint32_t recv_session_clock_rate(const struct recv_opts *o, int group,
    unsigned pt);
/* The summary's "session" key: each group's kind, sources and drops. */
void recv_session_json(FILE *f, const struct recv_opts *o,
    const struct recv_state *s);
void recv_session_free(struct recv_opts *o);

/* tools/recv_media.c */
const char *recv_stream_kind_name(enum recv_stream_kind k);
/* What the len bytes at buf are, under --kind; *h holds an RTP header. */
enum recv_stream_kind recv_media_classify(const struct recv_opts *o,
    struct recv_state *s, int group, const uint8_t *buf, size_t len,
    struct rtp_header *h);
/* The kind a stream is reported as: foreign for an RTP source still on
 * probation under --kind auto. */
enum recv_stream_kind recv_media_shown_kind(const struct recv_opts *o,
    const struct recv_stream *st);
/* A new RTP or MPEG-TS stream's counts; exits when out of memory. */
void recv_media_new(struct recv_stream *st);
/* One datagram into an RTP or MPEG-TS stream: how many more count as
 * received (RTP: none for a duplicate or on probation, two at its end). */
uint64_t recv_media_input(const struct recv_opts *o, struct recv_stream *st,
    const struct rtp_header *h, const uint8_t *buf, size_t len,
    int64_t arrival_ns);
/* RTP packets lost (A.3, never below 0); MPEG-TS continuity errors. */
uint64_t recv_media_lost(const struct recv_stream *st);
uint64_t recv_media_cc_errors(const struct recv_stream *st);
void recv_media_mark(struct recv_stream *st);
/* The stream's own JSON keys, after the common ones. */
void recv_media_json(FILE *f, const struct recv_stream *st, double interval_s);
/* The rest of an interval line. */
void recv_media_interval_text(FILE *f, const struct recv_stream *st);
/* A row's LOST ... JITTER columns; first_ms is FIRST ms. */
void recv_media_row(FILE *f, const struct recv_stream *st, double first_ms);
/* After the table: each RTP stream's SSRC and payload type, each MPEG-TS
 * stream's PIDs. */
void recv_media_details(FILE *f, const struct recv_opts *o,
    const struct recv_state *s);
/* --kind rtp: the datagrams that were no RTP, by reason (JSON: a key of
 * the report object; text: a line when there were any). */
void recv_media_refused(FILE *f, const struct recv_opts *o,
    const struct recv_state *s, bool json);
void recv_media_free(struct recv_state *s);

#endif
