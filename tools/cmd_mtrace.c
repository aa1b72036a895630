/*
 * mcast mtrace: multicast traceroute (draft-ietf-idmr-traceroute-ipm, as
 * mrouted's mtrace speaks it; proto/mtrace_wire.c).  A query goes to the
 * last-hop router: by unicast to -g LAST-HOP, else as mrouted's mtrace
 * sends it, to ALL-ROUTERS (224.0.0.2, TTL 1) when the receiver is on a
 * network of ours, to the group (TTL 64) when it is not; with Router Alert.
 * The response address is ours (unicast), and the response with our query
 * id comes back on a raw IGMP socket.  Each router appends a block from the
 * receiver toward the source: one line per hop.  With -q 2 or more, the
 * samples' counters give each hop's packet rate and each link's loss, as
 * mrouted's mtrace -S does.
 */
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "igmp_wire.h"
#include "mtrace_wire.h"
#include "tool.h"

#define MTR_ALL_ROUTERS 0xe0000002u /* 224.0.0.2 */
#define MTR_TRIES	3	    /* queries per sample, new id each */
#define MTR_MAX_SAMPLES 100
#define MTR_PKT		2048

struct mtr_opts {
	struct in_addr source, group, receiver, last_hop;
	bool has_receiver, has_last_hop;
	unsigned hops;
	double wait_s;
	unsigned samples;
	double interval_s;
	bool json;
};

/* One answer: the header as sent, the blocks received. */
struct mtr_sample {
	bool answered;
	uint32_t sent_ntp; /* our clock when the query left */
	int64_t rtt_us;
	uint16_t nblocks;
	struct mtrace_block blocks[MTRACE_MAX_BLOCKS];
};

struct mtr {
	struct mtr_opts o;
	struct in_addr local;	 /* our address: the response address */
	struct in_addr query_to; /* where the query goes */
	uint8_t query_ttl;
	int tx, rx;
	struct mtrace_query q;
};

static void
mtr_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast mtrace SOURCE [GROUP] [-r RECEIVER] [-g LAST-HOP] "
	    "[-m MAX-HOPS]\n"
	    "                    [-w WAIT] [-q QUERIES] [-i INTERVAL] "
	    "[--json]\n"
	    "Trace the multicast path from SOURCE to RECEIVER (default: this "
	    "host) for\nGROUP (default 0.0.0.0) through the routers' mtrace "
	    "(IGMP 0x1f/0x1e).\n"
	    "  -r, --receiver ADDR   the receiver the trace starts from\n"
	    "  -g, --gateway ADDR    the last-hop router, queried by unicast "
	    "(default:\n"
	    "                        224.0.0.2 if the receiver is on a network "
	    "of ours,\n"
	    "                        else the group)\n"
	    "  -m, --max-hops N      hops to ask for, 1-255 (default %u)\n"
	    "  -w, --wait SECONDS    wait for each response (default 3)\n"
	    "  -q, --queries N       samples to take (default 1); 2 or more "
	    "give loss\n"
	    "                        and rates from the routers' counters\n"
	    "  -i, --interval SECONDS  between samples (default 10)\n"
	    "      --json            one JSON object\n"
	    "Exit status: 0 the whole path traced, 1 no response or a partial "
	    "path,\n2 usage error.\n",
	    MTRACE_MAX_HOPS);
}

static struct in_addr
mtr_parse_v4(const char *text, const char *what)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		usage_error("%s '%s' is not an IPv4 address: expected a "
			    "dotted quad such as 198.18.1.10",
		    what, text);
	return a;
}

static bool
mtr_is_multicast(struct in_addr a)
{
	return (ntohl(a.s_addr) >> 28) == 14;
}

static unsigned
mtr_parse_uint(const char *text, const char *what, unsigned lo, unsigned hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' ||
	    v < lo || v > hi)
		usage_error("%s '%s' is not a number from %u to %u", what, text,
		    lo, hi);
	return (unsigned)v;
}

static void
mtr_parse(int argc, char **argv, struct mtr_opts *o)
{
	static const struct option longopts[] = {
		{ "receiver", required_argument, NULL, 'r' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "max-hops", required_argument, NULL, 'm' },
		{ "wait", required_argument, NULL, 'w' },
		{ "queries", required_argument, NULL, 'q' },
		{ "interval", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->hops = MTRACE_MAX_HOPS;
	o->wait_s = 3;
	o->samples = 1;
	o->interval_s = 10;
	while ((c = getopt_long(argc, argv, ":r:g:m:w:q:i:h", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 'r':
			o->receiver = mtr_parse_v4(optarg, "-r RECEIVER");
			o->has_receiver = true;
			break;
		case 'g':
			o->last_hop = mtr_parse_v4(optarg, "-g LAST-HOP");
			o->has_last_hop = true;
			break;
		case 'm':
			o->hops = mtr_parse_uint(optarg, "-m MAX-HOPS", 1, 255);
			break;
		case 'w':
			o->wait_s = parse_duration(optarg, "-w WAIT");
			break;
		case 'q':
			o->samples = mtr_parse_uint(optarg, "-q QUERIES", 1,
			    MTR_MAX_SAMPLES);
			break;
		case 'i':
			o->interval_s = parse_duration(optarg, "-i INTERVAL");
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			mtr_usage(stdout);
			exit(0);
		default:
			option_error("mtrace", c, argv);
		}
	}
	if (optind >= argc)
		usage_error("mtrace needs a SOURCE: the sender's IPv4 address "
			    "(try 'mcast mtrace --help')");
	o->source = mtr_parse_v4(argv[optind], "SOURCE");
	if (mtr_is_multicast(o->source) || o->source.s_addr == 0)
		usage_error("SOURCE '%s' is not a unicast address: expected "
			    "the sender's address, then the group",
		    argv[optind]);
	if (optind + 1 < argc) {
		o->group = mtr_parse_v4(argv[optind + 1], "GROUP");
		if (!mtr_is_multicast(o->group))
			usage_error("GROUP '%s' is not a multicast address: "
				    "expected 224.0.0.0 to 239.255.255.255",
			    argv[optind + 1]);
	}
	if (optind + 2 < argc)
		usage_error("mtrace takes SOURCE and GROUP, got '%s' too",
		    argv[optind + 2]);
	if (o->has_last_hop && mtr_is_multicast(o->last_hop))
		usage_error("-g LAST-HOP '%s' is a group: expected the "
			    "last-hop router's unicast address",
		    inet_ntoa(o->last_hop));
}

/* Our address toward dst, as the kernel's routing would choose it. */
static int
mtr_local_toward(struct in_addr dst, struct in_addr *local)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr = dst };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0) {
		*local = sa.sin_addr;
		rc = 0;
	}
	close(fd);
	return rc;
}

/* Our address on a network that holds a, if any. */
static bool
mtr_on_our_net(struct in_addr a, struct in_addr *ours)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs) != 0)
		return false;
	for (i = ifs; i != NULL && !found; i = i->ifa_next) {
		const struct sockaddr_in *addr, *mask;

		if (i->ifa_addr == NULL || i->ifa_netmask == NULL ||
		    i->ifa_addr->sa_family != AF_INET)
			continue;
		addr = (const struct sockaddr_in *)i->ifa_addr;
		mask = (const struct sockaddr_in *)i->ifa_netmask;
		if (addr->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			continue;
		if ((addr->sin_addr.s_addr & mask->sin_addr.s_addr) ==
		    (a.s_addr & mask->sin_addr.s_addr)) {
			*ours = addr->sin_addr;
			found = true;
		}
	}
	freeifaddrs(ifs);
	return found;
}

static int
mtr_sockets(struct mtr *t)
{
	int one = 1, loop = 1;
	unsigned char ttl = t->query_ttl;
	struct ip_mreqn mreq;

	t->tx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	t->rx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IGMP);
	if (t->tx < 0 || t->rx < 0) {
		fprintf(stderr,
		    "mcast: mtrace: raw IGMP socket: %s (needs "
		    "CAP_NET_RAW: run as root)\n",
		    strerror(errno));
		return -1;
	}
	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_address = t->local;
	if (setsockopt(t->tx, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
	    setsockopt(t->tx, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
		sizeof(mreq)) < 0 ||
	    setsockopt(t->tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) <
		0 ||
	    setsockopt(t->tx, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
		sizeof(loop)) < 0) {
		fprintf(stderr, "mcast: mtrace: socket options: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int64_t
mtr_us_since(int64_t start_ns)
{
	return (now_monotonic_ns() - start_ns) / 1000;
}

/*
 * One sample: up to MTR_TRIES queries (a new id each), each waiting WAIT
 * for the response that carries it.  Routers copy the header: the id is
 * matched as the four bytes sent (mrouted on x86 swaps id and TTL).
 */
static void
mtr_sample(struct mtr *t, struct mtr_sample *s)
{
	uint8_t igmp[MTRACE_HDR_LEN], pkt[MTR_PKT], in[MTR_PKT];
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct igmp_ip_out out = { .src = t->local,
		.dst = t->query_to,
		.ttl = t->query_ttl,
		.router_alert = true };
	int try, n;

	memset(s, 0, sizeof(*s));
	to.sin_addr = t->query_to;
	for (try = 0; try < MTR_TRIES && !stop_requested; try++) {
		int64_t start = now_monotonic_ns(), wait_us;
		int64_t real = now_realtime_ns();

		t->q.query_id = random_u32() & 0xffffff;
		n = mtrace_build_query(igmp, sizeof(igmp), &t->q);
		n = igmp_ip_build_out(pkt, sizeof(pkt), &out, igmp, (size_t)n);
		if (n < 0 ||
		    sendto(t->tx, pkt, (size_t)n, 0, (struct sockaddr *)&to,
			sizeof(to)) < 0) {
			fprintf(stderr, "mcast: mtrace: send to %s: %s\n",
			    inet_ntoa(t->query_to), strerror(errno));
			return;
		}
		s->sent_ntp = mtrace_ntp_time(real / 1000000000,
		    (long)(real % 1000000000 / 1000));
		wait_us = (int64_t)(t->o.wait_s * 1e6);
		while (!stop_requested) {
			struct pollfd pfd = { .fd = t->rx, .events = POLLIN };
			int64_t left = wait_us - mtr_us_since(start);
			const uint8_t *body;
			struct igmp_ip ip;
			struct mtrace_msg m;
			size_t blen;
			ssize_t r;

			if (left <= 0)
				break;
			if (poll(&pfd, 1, (int)((left + 999) / 1000)) <= 0)
				continue;
			r = recv(t->rx, in, sizeof(in), 0);
			if (r <= 0)
				continue;
			if (igmp_ip_decode(in, (size_t)r, &ip, &body, &blen) !=
				IGMP_OK ||
			    blen < 1 || body[0] != IGMP_TYPE_MTRACE_RESP)
				continue;
			if (mtrace_decode(body, blen, &m) != MTRACE_OK)
				continue;
			if (memcmp(body + 20, igmp + 20, 4) != 0 ||
			    m.q.source.s_addr != t->q.source.s_addr ||
			    m.q.dest.s_addr != t->q.dest.s_addr)
				continue;
			s->answered = true;
			s->rtt_us = mtr_us_since(start);
			s->nblocks = m.nblocks;
			for (n = 0; n < m.nblocks; n++)
				mtrace_block_at(&m, (uint16_t)n, &s->blocks[n]);
			return;
		}
	}
}

/* The trace reached the source's network, no hop refusing. */
static bool
mtr_complete(const struct mtr *t, const struct mtr_sample *s)
{
	const struct mtrace_block *last;
	uint32_t mask;

	if (!s->answered || s->nblocks == 0)
		return false;
	last = &s->blocks[s->nblocks - 1];
	if (last->fwd_code & MTRACE_FWD_FATAL)
		return false;
	if (last->mask_len == MTRACE_MASK_SG || last->mask_len == 0)
		mask = last->mask_len ? 0xffffffffu : 0;
	else
		mask = 0xffffffffu << (32 - last->mask_len);
	mask = htonl(mask);
	return last->prev_hop.s_addr == 0 ||
	    (last->in_addr.s_addr & mask) == (t->o.source.s_addr & mask);
}

/* Loss and rate between the first and the last sample, hop i. */
struct mtr_stats {
	bool have;
	double secs;
	double sg_pps;
	long long lost;	 /* on the link from hop i+1 into hop i */
	double lost_pct; /* of what hop i+1 sent */
	bool have_loss;
};

static void
mtr_stats(const struct mtr_sample *a, const struct mtr_sample *b, uint16_t i,
    struct mtr_stats *st)
{
	const struct mtrace_block *ra = &a->blocks[i], *rb = &b->blocks[i];
	int64_t ms = mtrace_ntp_diff_ms(ra->arrival, rb->arrival);

	memset(st, 0, sizeof(*st));
	if (i >= a->nblocks || i >= b->nblocks || ms <= 0)
		return;
	st->have = true;
	st->secs = (double)ms / 1000;
	st->sg_pps = (double)(uint32_t)(rb->sg_pkts - ra->sg_pkts) / st->secs;
	if (i + 1 < a->nblocks && i + 1 < b->nblocks) {
		const struct mtrace_block *ua = &a->blocks[i + 1],
					  *ub = &b->blocks[i + 1];
		long long sent = (uint32_t)(ub->out_pkts - ua->out_pkts);
		long long got = (uint32_t)(rb->in_pkts - ra->in_pkts);

		st->have_loss = true;
		st->lost = sent - got;
		st->lost_pct = sent > 0 ?
		    100.0 * (double)st->lost / (double)sent :
		    0;
	}
}

static const char *
mtr_ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void
mtr_print_text(const struct mtr *t, const struct mtr_sample *s,
    const struct mtr_sample *first, bool complete)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	struct mtr_stats st;
	uint16_t i;

	printf("mtrace from %s to %s via group %s, query to %s\n",
	    mtr_ntoa(t->o.source, a), mtr_ntoa(t->q.dest, b),
	    mtr_ntoa(t->o.group, c), inet_ntoa(t->query_to));
	if (!s->answered) {
		printf("no response after %d queries of %gs each\n", MTR_TRIES,
		    t->o.wait_s);
		return;
	}
	printf("%4s  %-15s  %-15s  %-15s  %-12s  %6s  %-16s  %8s", "HOP",
	    "ROUTER", "IN", "PREV-HOP", "PROTO", "THRESH", "CODE", "TIME");
	if (first != NULL)
		printf("  %9s  %14s", "SG-PPS", "LOSS");
	printf("\n%4d  %s\n", 0, mtr_ntoa(t->q.dest, a));
	for (i = 0; i < s->nblocks; i++) {
		const struct mtrace_block *r = &s->blocks[i];
		int64_t ms = mtrace_ntp_diff_ms(s->sent_ntp, r->arrival);

		printf("%4d  %-15s  %-15s  %-15s  %-12s  %6u  %-16s  %5lld ms",
		    -(i + 1), mtr_ntoa(r->out_addr, a), mtr_ntoa(r->in_addr, b),
		    mtr_ntoa(r->prev_hop, c), mtrace_proto_name(r->proto),
		    r->fwd_ttl, mtrace_fwd_code_name(r->fwd_code),
		    (long long)ms);
		if (first != NULL) {
			mtr_stats(first, s, i, &st);
			if (st.have)
				printf("  %9.1f", st.sg_pps);
			else
				printf("  %9s", "-");
			if (st.have_loss)
				printf("  %5lld (%5.1f%%)", st.lost,
				    st.lost_pct);
			else
				printf("  %14s", "-");
		}
		putchar('\n');
	}
	printf("%s after %.1f ms: %u hop%s%s\n",
	    complete ? "full trace" : "partial trace", (double)s->rtt_us / 1000,
	    s->nblocks, plural_s(s->nblocks),
	    complete ? ", reached the source's network" : "");
}

static void
mtr_print_json(const struct mtr *t, const struct mtr_sample *s,
    const struct mtr_sample *first, bool complete, unsigned samples)
{
	char a[INET_ADDRSTRLEN];
	struct mtr_stats st;
	uint16_t i;

	printf("{\"source\":\"%s\",", mtr_ntoa(t->o.source, a));
	printf("\"group\":\"%s\",", mtr_ntoa(t->o.group, a));
	printf("\"receiver\":\"%s\",", mtr_ntoa(t->q.dest, a));
	printf("\"query_to\":\"%s\",", mtr_ntoa(t->query_to, a));
	printf("\"response_to\":\"%s\",\"max_hops\":%u,\"samples\":%u,",
	    mtr_ntoa(t->local, a), t->o.hops, samples);
	printf("\"answered\":%s,\"complete\":%s,",
	    s->answered ? "true" : "false", complete ? "true" : "false");
	if (s->answered)
		printf("\"rtt_ms\":%.3f,", (double)s->rtt_us / 1000);
	else
		printf("\"rtt_ms\":null,");
	printf("\"hops\":[");
	for (i = 0; i < s->nblocks; i++) {
		const struct mtrace_block *r = &s->blocks[i];

		printf("%s{\"hop\":%u,", i ? "," : "", i + 1);
		printf("\"router\":\"%s\",", mtr_ntoa(r->out_addr, a));
		printf("\"in\":\"%s\",", mtr_ntoa(r->in_addr, a));
		printf("\"out\":\"%s\",", mtr_ntoa(r->out_addr, a));
		printf("\"prev_hop\":\"%s\",", mtr_ntoa(r->prev_hop, a));
		printf("\"proto\":\"%s\",\"fwd_ttl\":%u,\"mask_len\":%u,"
		       "\"s\":%s,\"fwd_code\":\"%s\",\"fwd_code_name\":\"%s\","
		       "\"time_ms\":%lld,\"in_pkts\":%u,\"out_pkts\":%u,"
		       "\"sg_pkts\":%u",
		    mtrace_proto_name(r->proto), r->fwd_ttl, r->mask_len,
		    r->s_bit ? "true" : "false",
		    mtrace_fwd_code_key(r->fwd_code),
		    mtrace_fwd_code_name(r->fwd_code),
		    (long long)mtrace_ntp_diff_ms(s->sent_ntp, r->arrival),
		    r->in_pkts, r->out_pkts, r->sg_pkts);
		if (first != NULL) {
			mtr_stats(first, s, i, &st);
			if (st.have)
				printf(",\"interval_s\":%.3f,\"sg_pps\":%.3f",
				    st.secs, st.sg_pps);
			if (st.have_loss)
				printf(",\"lost\":%lld,\"lost_pct\":%.2f",
				    st.lost, st.lost_pct);
		}
		putchar('}');
	}
	printf("]}\n");
}

int
cmd_mtrace(int argc, char **argv)
{
	static struct mtr_sample first, last;
	struct mtr t;
	struct in_addr ours;
	bool complete;
	unsigned k, taken = 0;

	memset(&t, 0, sizeof(t));
	mtr_parse(argc, argv, &t.o);
	install_stop_signals();
	if (t.o.has_last_hop) {
		t.query_to = t.o.last_hop;
		t.query_ttl = MTRACE_TTL_UNICAST;
		if (mtr_local_toward(t.o.last_hop, &t.local) < 0) {
			fprintf(stderr,
			    "mcast: mtrace: no route to the last-hop "
			    "router %s: %s\n",
			    inet_ntoa(t.o.last_hop), strerror(errno));
			return EXIT_LOSS;
		}
	} else {
		struct in_addr rcv = t.o.receiver;

		if (!t.o.has_receiver &&
		    mtr_local_toward(t.o.source, &rcv) < 0) {
			fprintf(stderr,
			    "mcast: mtrace: no route to the source %s: %s\n",
			    inet_ntoa(t.o.source), strerror(errno));
			return EXIT_LOSS;
		}
		if (mtr_on_our_net(rcv, &ours)) {
			t.local = ours;
			t.query_to.s_addr = htonl(MTR_ALL_ROUTERS);
			t.query_ttl = 1;
		} else if (t.o.group.s_addr != 0) {
			t.query_to = t.o.group;
			t.query_ttl = MTRACE_TTL_MULTICAST;
			if (mtr_local_toward(t.o.source, &t.local) < 0)
				t.local.s_addr = 0;
		} else
			usage_error("receiver %s is not on a network of this "
				    "host and no GROUP was given: give -g "
				    "LAST-HOP or a GROUP",
			    inet_ntoa(rcv));
	}
	t.q.hops = (uint8_t)t.o.hops;
	t.q.group = t.o.group;
	t.q.source = t.o.source;
	t.q.dest = t.o.has_receiver ? t.o.receiver : t.local;
	t.q.response_addr = t.local;
	t.q.response_ttl = MTRACE_TTL_UNICAST;
	if (mtr_sockets(&t) < 0)
		return EXIT_LOSS;

	for (k = 0; k < t.o.samples && !stop_requested; k++) {
		struct mtr_sample *s = taken == 0 ? &first : &last;

		if (k > 0) {
			struct timespec ts = { .tv_sec = (time_t)t.o.interval_s,
				.tv_nsec =
				    (long)((t.o.interval_s -
					       (double)(time_t)t.o.interval_s) *
					1e9) };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR &&
			    !stop_requested)
				;
		}
		mtr_sample(&t, s);
		if (s->answered)
			taken++;
	}
	close(t.tx);
	close(t.rx);
	{
		const struct mtr_sample *s = taken >= 2 ? &last : &first;
		const struct mtr_sample *base = taken >= 2 ? &first : NULL;

		complete = mtr_complete(&t, s);
		if (t.o.json)
			mtr_print_json(&t, s, base, complete, taken);
		else
			mtr_print_text(&t, s, base, complete);
	}
	return complete ? 0 : EXIT_LOSS;
}
