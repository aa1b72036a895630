/*
 * mcast recv: join groups and measure what arrives, per sender and group:
 * packets, loss, duplicates, reordering, time to first packet, one-way
 * delay and RFC 3550 jitter; RTP streams per SSRC and MPEG-TS per PID
 * (tools/recv_media.c).  Batches with recvmmsg(); kernel timestamps;
 * the sockets and the report and end times in one event loop (lib/loop.h);
 * the reports are written by tools/recv_report.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "loop.h"
#include "recv.h"
#include "sap.h"

struct recv_run;

/* A socket's callback argument: which group it receives. */
struct recv_sock {
	struct recv_run *run;
	int group;
};

/* What the callbacks of the loop share. */
struct recv_run {
	const struct recv_opts *o;
	struct recv_state *s;
	struct loop *loop;
	struct recv_sock socks[RECV_MAX_GROUPS];
	int64_t end_ns;		/* -d (monotonic); 0: none */
	int64_t next_report_ns; /* 0: no interval */
};

static void
recv_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast recv [-i IF] [-S SOURCE]... [-c COUNT] [-d DURATION]\n"
	    "                  [--interval SECONDS] [--json] [--raw]\n"
	    "                  [--kind auto|mcast|rtp|ts] [--clock-rate HZ]\n"
	    "                  GROUP:PORT...\n"
	    "       mcast recv [options] --sdp FILE\n"
	    "       mcast recv [options] --session NAME-OR-ID [--sap-wait D]\n"
	    "                  [--sap-scope global|admin|ipv6|all] [--sap-cache DIR]\n"
	    "  -i IF         join on this interface (name, index or address)\n"
	    "  -S SOURCE     source-specific join (SSM, IGMPv3/MLDv2); repeatable\n"
	    "  -c COUNT      stop when COUNT datagrams have arrived (exit 0)\n"
	    "  -d DURATION   stop after DURATION (exit 1 if COUNT did not arrive)\n"
	    "  --interval S  report every S seconds (--json: default 1)\n"
	    "  --json        one JSON object per interval and a final summary\n"
	    "  --raw         write the payloads to standard output (reports go\n"
	    "                to standard error)\n"
	    "  --kind K      what the datagrams are: auto (told apart one by\n"
	    "                one, the default), mcast, rtp or ts (MPEG-TS)\n"
	    "  --clock-rate HZ  RTP timestamps' clock for the jitter (default:\n"
	    "                the payload type's, RFC 3551; none if dynamic)\n"
	    "  -q            no report, only the exit status\n"
	    "  --sdp FILE    join every medium of the session FILE describes:\n"
	    "                each c= group (/N: N of them) and m= port (/N),\n"
	    "                source-specific for a=source-filter incl (RFC\n"
	    "                4570), --kind from the m= protocol (RTP/...: rtp,\n"
	    "                UDP/MP2T: ts), clock rates from a=rtpmap\n"
	    "  --session S   the same for the session announced (SAP) with the\n"
	    "                name S (s=), o= session id S or SAP hash S: listen\n"
	    "                on the SAP groups until it is heard\n"
	    "  --sap-wait D  give up (exit 1) when not heard within D\n"
	    "  --sap-scope S the SAP groups to listen on, as sap listen's\n"
	    "                --scope (default global and admin)\n"
	    "  --sap-cache DIR  first look in DIR, where a running sap\n"
	    "                listen keeps the sessions it heard (its cache)\n"
	    "exit status: 0 when COUNT arrived (without -c: something arrived and\n"
	    "nothing was lost), 1 on loss or timeout, 2 on usage errors\n");
}

static enum recv_kind
recv_parse_kind(const char *text)
{
	static const char *const names[] = { "auto", "mcast", "rtp", "ts" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i]) == 0)
			return (enum recv_kind)i;
	usage_error("--kind %s: expected auto, mcast, rtp or ts", text);
	return RECV_KIND_AUTO;
}

/* A group in the SSM range joined any-source receives nothing. */
static void
recv_warn_ssm(const struct recv_opts *o)
{
	int i;

	for (i = 0; i < o->ngroups; i++) {
		struct mc_addr_info info;

		mc_addr_classify(&o->groups[i].ep.ip, &info);
		if (info.ssm && o->groups[i].nsources == 0)
			warning("%s is in the SSM range %s: routers deliver "
				"only source-specific joins there (%s)",
			    o->groups[i].label, info.block_prefix,
			    o->sdp ? "the session has no a=source-filter "
				     "incl for it" :
				     "give -S SOURCE");
	}
}

static void
recv_parse(int argc, char **argv, struct recv_opts *o)
{
	static const struct option longopts[] = { { "json", no_argument, NULL,
						      'J' },
		{ "raw", no_argument, NULL, 'R' },
		{ "interval", required_argument, NULL, 'T' },
		{ "kind", required_argument, NULL, 'K' },
		{ "clock-rate", required_argument, NULL, 'C' },
		{ "sdp", required_argument, NULL, 'F' },
		{ "session", required_argument, NULL, 'N' },
		{ "sap-wait", required_argument, NULL, 'W' },
		{ "sap-scope", required_argument, NULL, 'P' },
		{ "sap-cache", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *source_text[RECV_MAX_SOURCES], *iface_text = NULL;
	const char *kind_text = NULL, *clock_text = NULL, *wait_text = NULL;
	const char *scope_text = NULL;
	struct recv_session_opts so;
	uint64_t rate;
	int c, i, j;

	memset(o, 0, sizeof(*o));
	memset(&so, 0, sizeof(so));
	so.sap_scopes = SAP_SCOPE_GLOBAL | SAP_SCOPE_ADMIN;
	while ((c = getopt_long(argc, argv, ":i:S:c:d:qh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 'S':
			if (o->nsources == RECV_MAX_SOURCES)
				usage_error("more than %d sources (-S %s): "
					    "expected at most %d",
				    RECV_MAX_SOURCES, optarg, RECV_MAX_SOURCES);
			source_text[o->nsources++] = optarg;
			break;
		case 'c':
			o->count = parse_count(optarg, "count");
			break;
		case 'd':
			o->duration_s = parse_duration(optarg, "duration");
			break;
		case 'T':
			o->interval_s = parse_duration(optarg, "interval");
			break;
		case 'K':
			option_once(&kind_text, "--kind", optarg, "kind");
			o->kind = recv_parse_kind(optarg);
			break;
		case 'C':
			option_once(&clock_text, "--clock-rate", optarg,
			    "clock rate");
			rate = parse_count(optarg, "clock rate");
			if (rate > 100000000)
				usage_error("clock rate %s is too high: "
					    "expected at most 100M (Hz)",
				    optarg);
			o->clock_rate = (uint32_t)rate;
			break;
		case 'F':
			option_once(&so.sdp_path, "--sdp", optarg, "SDP file");
			break;
		case 'N':
			option_once(&so.session, "--session", optarg,
			    "session");
			break;
		case 'W':
			option_once(&wait_text, "--sap-wait", optarg,
			    "duration");
			so.sap_wait_s = parse_duration(optarg, "--sap-wait");
			break;
		case 'P':
			option_once(&scope_text, "--sap-scope", optarg,
			    "scope");
			so.sap_scopes = sap_parse_scope(optarg);
			break;
		case 'Q':
			option_once(&so.sap_cache, "--sap-cache", optarg,
			    "directory");
			break;
		case 'J':
			o->json = true;
			break;
		case 'R':
			o->raw = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			recv_usage(stdout);
			exit(0);
		default:
			option_error("recv", c, argv);
		}
	}
	if (o->json && o->interval_s == 0)
		o->interval_s = 1;
	if (so.sdp_path && so.session)
		usage_error("--sdp %s and --session %s: expected one of them",
		    so.sdp_path, so.session);
	if ((wait_text || scope_text || so.sap_cache) && !so.session)
		usage_error("%s %s without --session: expected it with "
			    "--session NAME-OR-ID",
		    wait_text	   ? "--sap-wait" :
			scope_text ? "--sap-scope" :
				     "--sap-cache",
		    wait_text	   ? wait_text :
			scope_text ? scope_text :
				     so.sap_cache);
	if (so.sdp_path || so.session) {
		if (optind != argc)
			usage_error("%s %s and GROUP:PORT %s: expected the "
				    "groups of the session alone",
			    so.sdp_path ? "--sdp" : "--session",
			    so.sdp_path ? so.sdp_path : so.session,
			    argv[optind]);
		if (o->nsources)
			usage_error(
			    "-S %s with %s: expected the sources of the "
			    "session's a=source-filter lines alone",
			    source_text[0],
			    so.sdp_path ? "--sdp" : "--session");
		recv_session_setup(&so, o, kind_text != NULL);
		if (o->nsources > 0)
			require_ssm_capable(o->has_iface ? &o->iface : NULL,
			    o->groups[0].ep.ip.family);
		recv_warn_ssm(o);
		return;
	}
	if (optind == argc) {
		recv_usage(stderr);
		usage_error("recv needs at least one GROUP:PORT");
	}
	if (argc - optind > RECV_MAX_GROUPS)
		usage_error("%d groups given: expected at most %d",
		    argc - optind, RECV_MAX_GROUPS);
	for (i = optind; i < argc; i++) {
		struct recv_group *g = &o->groups[o->ngroups++];

		parse_group_endpoint(argv[i], &g->ep);
		snprintf(g->label, sizeof(g->label), "%s", argv[i]);
		for (j = 0; j < o->ngroups - 1; j++)
			if (mc_ip_equal(&o->groups[j].ep.ip, &g->ep.ip) &&
			    o->groups[j].ep.port == g->ep.port)
				repeated_error("GROUP:PORT", argv[i], NULL);
		if (g->ep.ip.family != o->groups[0].ep.ip.family &&
		    o->nsources > 0)
			usage_error(
			    "-S with both IPv4 and IPv6 groups: expected "
			    "groups of one family with source-specific joins");
	}
	for (j = 0; j < o->nsources; j++) {
		parse_source(source_text[j], &o->groups[0].ep.ip,
		    &o->sources[j]);
		refuse_repeated_ip(o->sources, j, &o->sources[j],
		    source_text[j], "source");
	}
	for (i = 0; i < o->ngroups; i++) {
		struct recv_group *g = &o->groups[i];

		memcpy(g->sources, o->sources, sizeof(g->sources));
		g->nsources = o->nsources;
		g->kind = o->kind;
		g->medium = -1;
	}
	if (o->nsources > 0)
		require_ssm_capable(o->has_iface ? &o->iface : NULL,
		    o->groups[0].ep.ip.family);
	recv_warn_ssm(o);
}

static void
recv_open(struct recv_opts *o)
{
	unsigned ifindex = o->has_iface ? o->iface.index : 0;
	int i, j, rc;

	for (i = 0; i < o->ngroups; i++) {
		struct recv_group *g = &o->groups[i];

		g->fd = mc_socket_rx(&g->ep, ifindex, RECV_RCVBUF);
		if (g->fd < 0) {
			fprintf(stderr, "mcast: cannot receive on %s: %s%s\n",
			    g->label, mc_strerror(g->fd),
			    no_iface_hint(&g->ep.ip, g->fd, o->has_iface));
			exit(1);
		}
		for (j = 0; j < (g->nsources ? g->nsources : 1); j++) {
			rc = mc_join(g->fd, &g->ep.ip, ifindex,
			    g->nsources ? &g->sources[j] : NULL);
			if (rc < 0) {
				fprintf(stderr,
				    "mcast: cannot join %s%s%s: "
				    "%s%s\n",
				    g->label, o->has_iface ? " on " : "",
				    o->has_iface ? o->iface.name : "",
				    mc_strerror(rc),
				    no_iface_hint(&g->ep.ip, rc, o->has_iface));
				exit(1);
			}
		}
	}
}

/* The stream of (group, sender, kind, id): id is mcast's sender ID or
 * RTP's SSRC; a new one if none. */
static struct recv_stream *
recv_stream_find(struct recv_state *s, int group,
    const struct sockaddr_storage *from, enum recv_stream_kind kind,
    uint32_t sender_id)
{
	bool foreign = kind == RECV_STREAM_FOREIGN;
	struct recv_stream *st;
	struct mc_ip a, b;
	size_t i;

	mc_ip_from_sockaddr((const struct sockaddr *)from, &a);
	for (i = 0; i < s->nstreams; i++) {
		st = &s->streams[i];
		if (st->group != group || st->kind != kind ||
		    st->sender_id != sender_id)
			continue;
		mc_ip_from_sockaddr((struct sockaddr *)&st->from, &b);
		if (mc_ip_equal(&a, &b))
			return st;
	}
	if (s->nstreams == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct recv_stream *n = realloc(s->streams, cap * sizeof(*n));

		if (n == NULL) {
			fprintf(stderr,
			    "mcast: out of memory for %zu streams\n", cap);
			exit(1);
		}
		s->streams = n;
		s->cap = cap;
	}
	st = &s->streams[s->nstreams++];
	memset(st, 0, sizeof(*st));
	st->group = group;
	st->from = *from;
	st->foreign = foreign;
	st->kind = kind;
	st->sender_id = sender_id;
	sockaddr_str((const struct sockaddr *)from, st->from_label,
	    sizeof(st->from_label));
	mc_rxstats_init(&st->st);
	if (kind != RECV_STREAM_MCAST && kind != RECV_STREAM_FOREIGN)
		recv_media_new(st);
	return st;
}

static int64_t
recv_timestamp(struct msghdr *mh)
{
	struct cmsghdr *cm;
	struct timespec ts;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
	}
	return now_realtime_ns();
}

/* A datagram of a stream without mcast's header: packets, bytes, first
 * and last arrival. */
static void
recv_count_datagram(struct recv_stream *st, size_t len, int64_t arrival_ns)
{
	st->st.packets++;
	st->st.bytes += len;
	if (!st->st.started) {
		st->st.started = true;
		st->st.first_arrival_ns = arrival_ns;
	}
	st->st.last_arrival_ns = arrival_ns;
}

/* From a source an RFC 4570 excl filter names?  Counted, then dropped. */
static bool
recv_excluded(const struct recv_opts *o, struct recv_state *s, int group,
    const struct sockaddr_storage *from)
{
	const struct recv_group *g = &o->groups[group];
	struct mc_ip a;
	int i;

	if (g->nexcluded == 0)
		return false;
	mc_ip_from_sockaddr((const struct sockaddr *)from, &a);
	for (i = 0; i < g->nexcluded; i++)
		if (mc_ip_equal(&a, &g->excluded[i])) {
			s->excluded_drops[group]++;
			return true;
		}
	return false;
}

static void
recv_datagram(const struct recv_opts *o, struct recv_state *s, int group,
    const uint8_t *buf, size_t len, const struct sockaddr_storage *from,
    int64_t arrival_ns)
{
	enum recv_stream_kind kind;
	struct mc_dgram_header h;
	struct rtp_header rh;
	struct recv_stream *st;
	uint64_t before;
	bool has_header;

	if (o->raw && len > 0 && fwrite(buf, 1, len, stdout) != len) {
		fprintf(stderr, "mcast: writing to standard output: %s\n",
		    strerror(errno));
		exit(1);
	}
	if (recv_excluded(o, s, group, from))
		return;
	kind = recv_media_classify(o, s, group, buf, len, &rh);
	has_header = kind == RECV_STREAM_MCAST &&
	    mc_dgram_decode(buf, len, &h) == 0;
	/* mcast ping probes to the group are not a stream. */
	if (has_header && (h.flags & (MC_DGRAM_PROBE | MC_DGRAM_REPLY)))
		return;
	if (kind != RECV_STREAM_MCAST && kind != RECV_STREAM_FOREIGN) {
		st = recv_stream_find(s, group, from, kind,
		    kind == RECV_STREAM_TS ? 0 : rh.ssrc);
		recv_count_datagram(st, len, arrival_ns);
		s->received += recv_media_input(o, st, &rh, buf, len,
		    arrival_ns);
	} else if (has_header) {
		st = recv_stream_find(s, group, from, RECV_STREAM_MCAST,
		    h.sender_id);
		before = st->st.unique;
		/* When the stream began, on this host's clock: the arrival
		 * less how long the sender had been sending (a duration on
		 * its clock), so the two hosts' clocks need not agree. */
		if (h.stream_start_ns != 0 &&
		    h.send_time_ns >= h.stream_start_ns)
			mc_rxstats_stream_start(&st->st,
			    arrival_ns -
				(int64_t)(h.send_time_ns - h.stream_start_ns),
			    s->join_realtime_ns);
		mc_rxstats_add(&st->st, h.sequence, h.total, len,
		    (int64_t)h.send_time_ns, arrival_ns);
		s->received += st->st.unique - before;
	} else {
		st = recv_stream_find(s, group, from, RECV_STREAM_FOREIGN, 0);
		recv_count_datagram(st, len, arrival_ns);
		s->received++;
	}
	st->interval_packets++;
	st->interval_bytes += len;
}

/*
 * Read what is queued on one socket, RECV_BATCH datagrams per recvmmsg(),
 * while batches come full and budget is not used up: one system call per
 * batch, plus the loop's epoll_wait() per turn.  What is left is reported
 * again next turn, after the other sockets and the timers had theirs.
 */
static void
recv_drain(const struct recv_opts *o, struct recv_state *s, int group,
    unsigned budget)
{
	static uint8_t bufs[RECV_BATCH][RECV_BUFSIZE];
	static char ctrl[RECV_BATCH][CMSG_SPACE(sizeof(struct timespec)) + 64];
	struct sockaddr_storage from[RECV_BATCH];
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	unsigned done = 0, want;
	int i, n;

	do {
		for (i = 0; i < RECV_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = RECV_BUFSIZE;
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_control = ctrl[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(ctrl[i]);
		}
		/* -c: take no more than the count still wants (a duplicate
		   does not count, so another batch may follow). */
		want = RECV_BATCH;
		if (o->count != 0 && s->received >= o->count)
			return;
		if (o->count != 0 && o->count - s->received < want)
			want = (unsigned)(o->count - s->received);
		n = recvmmsg(o->groups[group].fd, msgs, want, MSG_DONTWAIT,
		    NULL);
		for (i = 0; i < n; i++)
			recv_datagram(o, s, group, bufs[i], msgs[i].msg_len,
			    &from[i], recv_timestamp(&msgs[i].msg_hdr));
		done += want;
	} while (n == (int)want && done < budget);
}

/*
 * Has the sender stopped?  Only then may the sequence numbers between the
 * highest received and the sender's announced total count as lost: a
 * receiver that leaves while the stream goes on has lost nothing.  We call
 * a stream over when it has been silent for four mean inter-arrival gaps,
 * and for at least 200 ms, by the time we stop.
 */
static void
recv_interval_reset(struct recv_state *s)
{
	size_t i;

	for (i = 0; i < s->nstreams; i++) {
		s->streams[i].interval_packets = 0;
		s->streams[i].interval_bytes = 0;
		mc_rxstats_mark(&s->streams[i].st,
		    &s->streams[i].interval_mark);
		recv_media_mark(&s->streams[i]);
	}
}

static int
recv_exit_status(const struct recv_opts *o, const struct recv_state *s)
{
	size_t i;

	if (o->count != 0)
		return s->received >= o->count ? 0 : EXIT_LOSS;
	if (s->received == 0)
		return EXIT_LOSS;
	for (i = 0; i < s->nstreams; i++)
		if (recv_lost(&s->streams[i], true) != 0 ||
		    recv_media_cc_errors(&s->streams[i]) != 0)
			return EXIT_LOSS;
	return 0;
}

static void
recv_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct recv_sock *sock = arg;
	struct recv_run *r = sock->run;

	recv_drain(r->o, r->s, sock->group, budget);
	if (r->o->count != 0 && r->s->received >= r->o->count)
		loop_stop(r->loop);
}

/* The end (-d) or the next interval report, whichever comes first. */
static mc_time_t
recv_deadline(void *arg)
{
	const struct recv_run *r = arg;
	int64_t next = r->end_ns;

	if (r->next_report_ns && (next == 0 || r->next_report_ns < next))
		next = r->next_report_ns;
	return next ? tool_loop_ms(next) : MC_TIME_NEVER;
}

static void
recv_timer(void *arg, mc_time_t now_ms)
{
	struct recv_run *r = arg;
	const struct recv_opts *o = r->o;
	int64_t now = now_monotonic_ns();

	/* Past the end, no interval report: the summary follows. */
	if (r->end_ns && now >= r->end_ns) {
		loop_stop(r->loop);
		return;
	}
	if (r->next_report_ns && now >= r->next_report_ns) {
		if (o->json)
			recv_report_json(o, r->s, false, o->interval_s, 0);
		else if (!o->quiet)
			recv_report_interval_text(o, r->s, o->interval_s);
		recv_interval_reset(r->s);
		r->next_report_ns += (int64_t)(o->interval_s * 1e9);
	}
}

/*
 * The kernel falls back to IGMPv2 only once it hears a v2 query: while
 * nothing arrives, look at the querier of the -S joins' links again.
 */
static mc_time_t
recv_querier_deadline(void *arg)
{
	const struct recv_state *s = arg;

	if (!s->watch.active || s->watch.nlinks > 0 || s->received > 0)
		return MC_TIME_NEVER;
	return tool_loop_ms(s->next_querier_check_ns);
}

static void
recv_querier_timer(void *arg, mc_time_t now_ms)
{
	struct recv_state *s = arg;

	ssm_watch_check(&s->watch, stderr);
	s->next_querier_check_ns = now_monotonic_ns() + RECV_QUERIER_CHECK_NS;
}

static void
recv_loop(const struct recv_opts *o, struct recv_state *s, struct loop *l)
{
	struct recv_run r;
	int i, rc, source, querier;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.s = s;
	r.loop = l;
	for (i = 0; i < o->ngroups; i++) {
		r.socks[i].run = &r;
		r.socks[i].group = i;
		rc = loop_fd_add(l, o->groups[i].fd, LOOP_IN, RECV_BUDGET,
		    recv_readable, &r.socks[i]);
		if (rc < 0) {
			fprintf(stderr, "mcast: cannot watch %s: %s\n",
			    o->groups[i].label, strerror(-rc));
			exit(1);
		}
	}
	if (o->duration_s > 0)
		r.end_ns = s->start_mono_ns + (int64_t)(o->duration_s * 1e9);
	if (o->interval_s > 0)
		r.next_report_ns = s->start_mono_ns +
		    (int64_t)(o->interval_s * 1e9);
	if ((source = loop_source_add(l, recv_deadline, recv_timer, &r)) < 0 ||
	    (querier = loop_source_add(l, recv_querier_deadline,
		 recv_querier_timer, s)) < 0) {
		fprintf(stderr, "mcast: event loop: %s\n",
		    strerror(-(source < 0 ? source : querier)));
		exit(1);
	}
	tool_loop_run(l);
	/* r goes out of scope: nothing of it may stay in the loop. */
	for (i = 0; i < o->ngroups; i++)
		loop_fd_del(l, o->groups[i].fd);
	loop_source_del(l, source);
	loop_source_del(l, querier);
}

/* A first look at the querier of the links joined with -S. */
static void
recv_watch_querier(const struct recv_opts *o, struct recv_state *s)
{
	int i;

	ssm_watch_init(&s->watch, o->has_iface ? o->iface.index : 0, o->sources,
	    o->nsources);
	for (i = 0; i < o->ngroups; i++)
		ssm_watch_add_group(&s->watch, &o->groups[i].ep.ip);
	ssm_watch_check(&s->watch, stderr);
	s->next_querier_check_ns = s->start_mono_ns + RECV_QUERIER_CHECK_NS;
}

int
cmd_recv(int argc, char **argv)
{
	struct recv_opts o;
	struct recv_state s;
	struct loop *l;
	int i, status;

	recv_parse(argc, argv, &o);
	recv_open(&o);
	l = tool_loop_new();
	memset(&s, 0, sizeof(s));
	s.report = o.raw ? stderr : stdout;
	s.join_realtime_ns = now_realtime_ns();
	s.start_mono_ns = now_monotonic_ns();
	recv_watch_querier(&o, &s);
	recv_loop(&o, &s, l);
	loop_free(l);
	if (o.raw)
		fflush(stdout);
	/* Silence may be the querier's doing: a last look. */
	if (s.received == 0)
		ssm_watch_check(&s.watch, stderr);
	status = recv_exit_status(&o, &s);
	if (o.json)
		recv_report_json(&o, &s, true, 0, status);
	else if (!o.quiet)
		recv_report_final_text(&o, &s);
	for (i = 0; i < o.ngroups; i++)
		close(o.groups[i].fd);
	recv_media_free(&s);
	recv_session_free(&o);
	free(s.streams);
	return status;
}
