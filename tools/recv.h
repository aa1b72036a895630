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

#include "querier.h"
#include "tool.h"

#define RECV_MAX_GROUPS	 64
#define RECV_MAX_SOURCES 16
#define RECV_BATCH	 64
#define RECV_BUFSIZE	 65536
/* Datagrams one socket may give per turn of the loop: 16 batches. */
#define RECV_BUDGET (16 * RECV_BATCH)
/* While nothing arrives, how often to look at the querier's version again. */
#define RECV_QUERIER_CHECK_NS 2000000000LL
#define RECV_RCVBUF \
	(32 << 20) /* ~0.2 s of 64-byte datagrams
						   at 200,000/s */

struct recv_group {
	struct mc_endpoint ep;
	char label[64]; /* "239.1.2.3:5000" */
	int fd;
};

/* One (group, sender) pair: an mcast stream or foreign datagrams. */
struct recv_stream {
	int group; /* index in groups[] */
	struct sockaddr_storage from;
	char from_label[64];
	bool foreign; /* no mcast header */
	uint32_t sender_id;
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
	bool json;
	bool raw;
	bool quiet;
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

#endif
