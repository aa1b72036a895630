/*
 * mcast ping / mcast pong.  pong joins GROUP:PORT and answers every probe by
 * unicast to its sender; ping sends probes to the group and lists each
 * responder with its RTT, like ping and omping.  ping --icmp sends ICMP echo
 * requests to a group (224.0.0.1, ff02::1), as the HOWTO's section 2.4.1
 * suggests, and lists who answered.  Both wait in the event loop
 * (lib/loop.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

#include "igmp_wire.h"
#include "loop.h"
#include "tool.h"

#define PING_MAX_PROBES	    100000
#define PING_MAX_RESPONDERS 256
#define PING_PAYLOAD	    64
#define PONG_NAME_MAX	    64

struct ping_opts {
	struct mc_endpoint group;
	struct mc_iface iface;
	bool has_iface;
	int ttl;
	uint64_t count; /* 0: until interrupted */
	double interval_s;
	double wait_s; /* after the last probe */
	bool icmp;
	bool json;
	bool quiet;
};

struct responder {
	struct mc_ip addr;
	char name[PONG_NAME_MAX]; /* what pong said it is */
	uint64_t replies;
	uint64_t first_seq;
	double rtt_min, rtt_max, rtt_sum; /* ms */
};

struct ping_state {
	struct responder resp[PING_MAX_RESPONDERS];
	int nresp;
	int64_t *sent_ns; /* monotonic send time by seq */
	uint64_t sent;
	uint32_t id;
};

typedef void (*ping_handle_fn)(const struct ping_opts *, struct ping_state *,
    const uint8_t *, size_t, const struct sockaddr_storage *);

/* What ping's callbacks in the loop share. */
struct ping_run {
	const struct ping_opts *o;
	struct ping_state *s;
	struct loop *loop;
	int fd;
	ping_handle_fn handle; /* a reply */
	uint64_t seq;	       /* the next probe */
	int64_t next_ns;       /* it, or the end of the wait */
};

static void
ping_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast ping [-i IF] [-t TTL] [-c COUNT] [-I INTERVAL] [-w WAIT]\n"
	    "                  [-q] [--json] GROUP:PORT\n"
	    "       mcast ping --icmp [-i IF] [-t TTL] [-c COUNT] [-I INTERVAL]\n"
	    "                  [-w WAIT] [-q] [--json] GROUP\n"
	    "  -i IF        probe out of this interface\n"
	    "  -t TTL       TTL / hop limit of the probes (default 1)\n"
	    "  -c COUNT     send COUNT probes (default: until interrupted, at\n"
	    "               most 100000; --icmp: 3, at most 65535)\n"
	    "  -I INTERVAL  between probes (default 1s)\n"
	    "  -w WAIT      wait for late replies after the last probe (default 1s)\n"
	    "  --icmp       ICMP echo to the group instead of mcast pong probes\n"
	    "  -q           no line per reply, only the summary\n"
	    "  --json       the summary as JSON\n"
	    "exit status: 0 when someone answered, 1 when nobody did\n");
}

static void
ping_parse(int argc, char **argv, struct ping_opts *o)
{
	static const struct option longopts[] = { { "icmp", no_argument, NULL,
						      'C' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *iface_text = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	o->ttl = 1;
	o->interval_s = 1;
	o->wait_s = 1;
	while ((c = getopt_long(argc, argv, ":i:t:c:I:w:qh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 't':
			o->ttl = parse_ttl(optarg);
			break;
		case 'c':
			o->count = parse_count(optarg, "count");
			if (o->count > PING_MAX_PROBES)
				usage_error("count '%s' is too large: expected "
					    "at most %d probes",
				    optarg, PING_MAX_PROBES);
			break;
		case 'I':
			o->interval_s = parse_duration(optarg, "interval");
			break;
		case 'w':
			o->wait_s = parse_duration(optarg, "wait");
			break;
		case 'C':
			o->icmp = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			ping_usage(stdout);
			exit(0);
		default:
			option_error("ping", c, argv);
		}
	}
	if (argc - optind != 1) {
		ping_usage(stderr);
		usage_error("ping takes one %s, %d given",
		    o->icmp ? "GROUP" : "GROUP:PORT", argc - optind);
	}
	if (o->icmp) {
		parse_group(argv[optind], &o->group.ip);
		if (o->count == 0)
			o->count = 3;
		/* ICMP echo sequence numbers are 16 bits. */
		if (o->count > 65535)
			usage_error("count %llu is too large for --icmp: "
				    "expected at most 65535 probes",
			    (unsigned long long)o->count);
	} else {
		parse_group_endpoint(argv[optind], &o->group);
	}
	if (o->count == 0)
		o->count = PING_MAX_PROBES;
}

static struct responder *
ping_responder(struct ping_state *s, const struct mc_ip *addr)
{
	int i;

	for (i = 0; i < s->nresp; i++)
		if (mc_ip_equal(&s->resp[i].addr, addr))
			return &s->resp[i];
	if (s->nresp == PING_MAX_RESPONDERS)
		return NULL;
	memset(&s->resp[s->nresp], 0, sizeof(s->resp[0]));
	s->resp[s->nresp].addr = *addr;
	return &s->resp[s->nresp++];
}

/* Record a reply; prints the per-reply line. */
static void
ping_record(const struct ping_opts *o, struct ping_state *s,
    const struct mc_ip *from, uint64_t seq, const char *name)
{
	struct responder *r;
	char buf[MC_IP_STRLEN];
	double rtt;

	if (seq >= s->sent)
		return;
	rtt = (double)(now_monotonic_ns() - s->sent_ns[seq]) / 1e6;
	r = ping_responder(s, from);
	if (r == NULL)
		return;
	if (r->replies == 0) {
		r->first_seq = seq;
		r->rtt_min = r->rtt_max = rtt;
		if (name != NULL)
			snprintf(r->name, sizeof(r->name), "%s", name);
	}
	if (rtt < r->rtt_min)
		r->rtt_min = rtt;
	if (rtt > r->rtt_max)
		r->rtt_max = rtt;
	r->rtt_sum += rtt;
	r->replies++;
	if (!o->quiet && !o->json) {
		printf("reply from %s%s%s%s: seq=%llu time=%.3f ms\n",
		    mc_ip_str(from, buf), r->name[0] ? " (" : "", r->name,
		    r->name[0] ? ")" : "", (unsigned long long)seq, rtt);
		fflush(stdout);
	}
}

static void
ping_summary(const struct ping_opts *o, const struct ping_state *s)
{
	char buf[MC_IP_STRLEN], group[MC_IP_STRLEN];
	int i;

	mc_ip_str(&o->group.ip, group);
	if (o->json) {
		printf("{\"type\":\"ping_summary\",\"group\":\"%s\","
		       "\"probes\":%llu,\"responders\":[",
		    group, (unsigned long long)s->sent);
	} else {
		printf("--- %s ping: %llu probe%s, %d responder%s ---\n", group,
		    (unsigned long long)s->sent, plural_s(s->sent), s->nresp,
		    plural_s((unsigned long long)s->nresp));
	}
	for (i = 0; i < s->nresp; i++) {
		const struct responder *r = &s->resp[i];
		/* A responder is expected to answer from its first reply on. */
		uint64_t expected = s->sent - r->first_seq;
		double loss = expected ? 100.0 *
			(double)(expected -
			    (r->replies < expected ? r->replies : expected)) /
			(double)expected :
					 0;

		mc_ip_str(&r->addr, buf);
		if (o->json) {
			printf("%s{\"address\":\"%s\",\"name\":", i ? "," : "",
			    buf);
			json_string(stdout, r->name[0] ? r->name : NULL);
			printf(",\"replies\":%llu,\"expected\":%llu,"
			       "\"loss_percent\":%.1f,\"rtt_ms\":{\"min\":%.3f,"
			       "\"avg\":%.3f,\"max\":%.3f}}",
			    (unsigned long long)r->replies,
			    (unsigned long long)expected, loss, r->rtt_min,
			    r->rtt_sum / (double)r->replies, r->rtt_max);
		} else {
			printf("%s%s%s%s: %llu/%llu replies, %.1f%% loss, "
			       "rtt min/avg/max = %.3f/%.3f/%.3f ms\n",
			    buf, r->name[0] ? " (" : "", r->name,
			    r->name[0] ? ")" : "",
			    (unsigned long long)r->replies,
			    (unsigned long long)expected, loss, r->rtt_min,
			    r->rtt_sum / (double)r->replies, r->rtt_max);
		}
	}
	if (o->json)
		printf("]}\n");
}

static void
ping_setup_tx(int fd, const struct ping_opts *o)
{
	int rc;

	if ((rc = mc_set_ttl(fd, o->group.ip.family, o->ttl)) < 0 ||
	    (o->has_iface &&
		(rc = mc_set_out_iface(fd, o->group.ip.family,
		     o->iface.index)) < 0)) {
		fprintf(stderr, "mcast: cannot set up the socket: %s\n",
		    mc_strerror(rc));
		exit(1);
	}
}

/* Replies: up to budget datagrams, each to run->handle(). */
static void
ping_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct ping_run *r = arg;
	struct sockaddr_storage from;
	socklen_t fromlen;
	uint8_t buf[2048];
	ssize_t n;
	unsigned i;

	for (i = 0; i < budget; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		if (n > 0)
			r->handle(r->o, r->s, buf, (size_t)n, &from);
	}
}

static void
ping_handle_pong(const struct ping_opts *o, struct ping_state *s,
    const uint8_t *buf, size_t len, const struct sockaddr_storage *from)
{
	struct mc_dgram_header h;
	char name[PONG_NAME_MAX] = "";
	struct mc_ip addr;
	size_t nlen;

	if (mc_dgram_decode(buf, len, &h) < 0 || !(h.flags & MC_DGRAM_REPLY) ||
	    h.sender_id != s->id)
		return;
	/* pong appends its host name (no NUL) after the header. */
	nlen = len - MC_DGRAM_HEADER_LEN;
	if (nlen >= sizeof(name))
		nlen = sizeof(name) - 1;
	memcpy(name, buf + MC_DGRAM_HEADER_LEN, nlen);
	name[nlen] = '\0';
	mc_ip_from_sockaddr((const struct sockaddr *)from, &addr);
	ping_record(o, s, &addr, h.sequence, name[0] ? name : NULL);
}

static void
ping_handle_icmp(const struct ping_opts *o, struct ping_state *s,
    const uint8_t *buf, size_t len, const struct sockaddr_storage *from)
{
	struct mc_ip addr;
	const uint8_t *icmp = buf;
	size_t hl;
	uint16_t id, seq;

	if (o->group.ip.family == AF_INET) {
		/* IPv4 raw sockets deliver the IP header too. */
		if (len < 20)
			return;
		hl = (size_t)(buf[0] & 0x0f) * 4;
		if (len < hl + 8)
			return;
		icmp = buf + hl;
		len -= hl;
		if (icmp[0] != ICMP_ECHOREPLY)
			return;
	} else {
		if (len < 8 || icmp[0] != ICMP6_ECHO_REPLY)
			return;
	}
	id = (uint16_t)(icmp[4] << 8 | icmp[5]);
	seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	if (id != (uint16_t)s->id)
		return;
	mc_ip_from_sockaddr((const struct sockaddr *)from, &addr);
	ping_record(o, s, &addr, seq, NULL);
}

/* Send probe number seq and note when it left. */
static void
ping_send_to_group(int fd, const struct ping_opts *o, struct ping_state *s,
    uint64_t seq, const uint8_t *pkt, size_t pktlen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	mc_endpoint_to_sockaddr(&o->group, &ss, &len);
	if (o->has_iface && o->group.ip.family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = o->iface.index;
	s->sent_ns[seq] = now_monotonic_ns();
	s->sent = seq + 1;
	if (sendto(fd, pkt, pktlen, 0, (struct sockaddr *)&ss, len) < 0)
		fprintf(stderr, "mcast: sending probe %llu: %s%s\n",
		    (unsigned long long)seq, strerror(errno),
		    no_iface_hint(&o->group.ip, errno, o->has_iface));
}

static void
ping_send_icmp(int fd, const struct ping_opts *o, struct ping_state *s,
    uint64_t seq)
{
	uint8_t pkt[8 + PING_PAYLOAD];
	uint16_t ck;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = o->group.ip.family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	pkt[4] = (uint8_t)(s->id >> 8);
	pkt[5] = (uint8_t)s->id;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, "mcast ping --icmp", 17);
	if (o->group.ip.family == AF_INET) {
		ck = igmp_checksum(pkt, sizeof(pkt)); /* RFC 1071, as IGMP's */
		pkt[2] = (uint8_t)(ck >> 8);
		pkt[3] = (uint8_t)ck;
	} /* ICMPv6: the kernel fills the checksum of raw ICMPv6. */
	ping_send_to_group(fd, o, s, seq, pkt, sizeof(pkt));
}

static void
ping_send_probe(int fd, const struct ping_opts *o, struct ping_state *s,
    uint64_t seq)
{
	uint8_t pkt[MC_DGRAM_HEADER_LEN];
	struct mc_dgram_header h = {
		.flags = MC_DGRAM_PROBE,
		.sender_id = s->id,
		.total = (uint32_t)o->count,
		.sequence = seq,
		.send_time_ns = (uint64_t)now_realtime_ns(),
	};
	mc_dgram_encode(&h, pkt, sizeof(pkt));
	ping_send_to_group(fd, o, s, seq, pkt, sizeof(pkt));
}

static mc_time_t
ping_deadline(void *arg)
{
	const struct ping_run *r = arg;

	return tool_loop_ms(r->next_ns);
}

/*
 * Send the next probe every interval; after the last one, wait for late
 * replies, then stop.
 */
static void
ping_timer(void *arg, mc_time_t now)
{
	struct ping_run *r = arg;
	const struct ping_opts *o = r->o;

	if (r->seq == o->count) {
		loop_stop(r->loop);
		return;
	}
	if (o->icmp)
		ping_send_icmp(r->fd, o, r->s, r->seq);
	else
		ping_send_probe(r->fd, o, r->s, r->seq);
	r->next_ns += (int64_t)(o->interval_s * 1e9);
	if (++r->seq == o->count)
		r->next_ns = now_monotonic_ns() + (int64_t)(o->wait_s * 1e9);
}

static void
ping_loop(int fd, const struct ping_opts *o, struct ping_state *s)
{
	struct ping_run r = {
		.o = o,
		.s = s,
		.fd = fd,
		.handle = o->icmp ? ping_handle_icmp : ping_handle_pong,
	};
	int rc;

	r.loop = tool_loop_new();
	r.next_ns = now_monotonic_ns();
	if ((rc = loop_fd_add(r.loop, fd, LOOP_IN, 0, ping_readable, &r)) < 0 ||
	    (rc = loop_source_add(r.loop, ping_deadline, ping_timer, &r)) < 0) {
		fprintf(stderr, "mcast: event loop: %s\n", strerror(-rc));
		exit(1);
	}
	tool_loop_run(r.loop);
	loop_free(r.loop);
}

/* Why nobody answered an ICMP echo to a group, when we can tell. */
static void
ping_explain_silence(const struct ping_opts *o)
{
	FILE *f;
	int v = -1;

	if (o->group.ip.family != AF_INET)
		return;
	f = fopen("/proc/sys/net/ipv4/icmp_echo_ignore_broadcasts", "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	fprintf(stderr,
	    "mcast: nobody answered.  Linux hosts ignore ICMP echo "
	    "requests sent to multicast and broadcast addresses unless "
	    "net.ipv4.icmp_echo_ignore_broadcasts=0 (this host has %s); on "
	    "each host: sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0.  "
	    "`mcast pong` answers without that.\n",
	    v < 0 ? "it unreadable" :
		v ? "1, the default" :
		    "0");
}

int
cmd_ping(int argc, char **argv)
{
	struct ping_opts o;
	struct ping_state *s;
	int fd, status;

	ping_parse(argc, argv, &o);
	s = calloc(1, sizeof(*s));
	if (s != NULL)
		s->sent_ns = calloc(o.count, sizeof(*s->sent_ns));
	if (s == NULL || s->sent_ns == NULL)
		usage_error("out of memory for %llu probes",
		    (unsigned long long)o.count);
	s->id = random_u32();
	if (o.icmp) {
		fd = socket(o.group.ip.family, SOCK_RAW | SOCK_CLOEXEC,
		    o.group.ip.family == AF_INET ? IPPROTO_ICMP :
						   IPPROTO_ICMPV6);
		s->id &= 0xffff;
	} else {
		fd = mc_socket_tx(o.group.ip.family, 0, 0);
		if (fd < 0)
			errno = -fd;
	}
	if (fd < 0) {
		fprintf(stderr, "mcast: cannot open a%s socket: %s%s\n",
		    o.icmp ? " raw ICMP" : " UDP", strerror(errno),
		    o.icmp && errno == EPERM ? " (--icmp needs root or "
					       "CAP_NET_RAW)" :
					       "");
		return 1;
	}
	ping_setup_tx(fd, &o);
	warn_group_scope(&o.group.ip, o.ttl);
	ping_loop(fd, &o, s);
	close(fd);
	ping_summary(&o, s);
	if (s->nresp == 0 && o.icmp)
		ping_explain_silence(&o);
	status = s->nresp ? 0 : EXIT_LOSS;
	free(s->sent_ns);
	free(s);
	return status;
}

/* ---- pong ---- */

static void
pong_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast pong [-i IF] [-c COUNT] [-d DURATION] [-q] GROUP:PORT\n"
	    "Answers every mcast ping probe to GROUP:PORT by unicast, with this\n"
	    "host's name.\n"
	    "  -i IF        join on this interface\n"
	    "  -c COUNT     exit after answering COUNT probes\n"
	    "  -d DURATION  exit after DURATION\n"
	    "  -q           do not print each probe answered\n");
}

/* What pong's callbacks in the loop share. */
struct pong_run {
	struct loop *loop;
	uint64_t count; /* 0: no limit */
	uint64_t answered;
	int64_t end_ns; /* -d (monotonic); 0: none */
	bool quiet;
	char host[PONG_NAME_MAX];
	size_t hlen;
};

/* Probes: up to budget datagrams, each answered by unicast. */
static void
pong_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct pong_run *r = arg;
	uint8_t buf[2048], reply[MC_DGRAM_HEADER_LEN + PONG_NAME_MAX];
	struct sockaddr_storage from;
	struct mc_dgram_header h;
	socklen_t fromlen;
	char who[64];
	unsigned i;
	ssize_t n;

	for (i = 0; i < budget; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		if (n == 0 || mc_dgram_decode(buf, (size_t)n, &h) < 0 ||
		    !(h.flags & MC_DGRAM_PROBE))
			continue;
		h.flags = MC_DGRAM_REPLY;
		/* The name follows a 32-byte header, whatever the probe's. */
		h.stream_start_ns = 0;
		mc_dgram_encode(&h, reply, sizeof(reply));
		memcpy(reply + MC_DGRAM_HEADER_LEN, r->host, r->hlen);
		/* The reply goes by unicast, from our own unicast address. */
		if (sendto(fd, reply, MC_DGRAM_HEADER_LEN + r->hlen, 0,
			(struct sockaddr *)&from, fromlen) < 0)
			continue;
		r->answered++;
		if (!r->quiet) {
			printf("answered %s seq=%llu\n",
			    sockaddr_str((struct sockaddr *)&from, who,
				sizeof(who)),
			    (unsigned long long)h.sequence);
			fflush(stdout);
		}
		if (r->count != 0 && r->answered >= r->count) {
			loop_stop(r->loop);
			return;
		}
	}
}

static mc_time_t
pong_deadline(void *arg)
{
	const struct pong_run *r = arg;

	return r->end_ns ? tool_loop_ms(r->end_ns) : MC_TIME_NEVER;
}

static void
pong_timer(void *arg, mc_time_t now)
{
	struct pong_run *r = arg;

	loop_stop(r->loop);
}

int
cmd_pong(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct mc_endpoint group;
	struct mc_iface iface;
	struct pong_run r;
	const char *iface_text = NULL;
	bool has_iface = false;
	double duration = 0;
	int c, fd, rc;

	memset(&r, 0, sizeof(r));

	while ((c = getopt_long(argc, argv, ":i:c:d:qh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &iface);
			has_iface = true;
			break;
		case 'c':
			r.count = parse_count(optarg, "count");
			break;
		case 'd':
			duration = parse_duration(optarg, "duration");
			break;
		case 'q':
			r.quiet = true;
			break;
		case 'h':
			pong_usage(stdout);
			exit(0);
		default:
			option_error("pong", c, argv);
		}
	}
	if (argc - optind != 1) {
		pong_usage(stderr);
		usage_error("pong takes one GROUP:PORT, %d given",
		    argc - optind);
	}
	parse_group_endpoint(argv[optind], &group);
	fd = mc_socket_rx(&group, has_iface ? iface.index : 0, 0);
	if (fd < 0 ||
	    (rc = mc_join(fd, &group.ip, has_iface ? iface.index : 0, NULL)) <
		0) {
		fprintf(stderr, "mcast: cannot join %s: %s%s\n", argv[optind],
		    mc_strerror(fd < 0 ? fd : rc),
		    no_iface_hint(&group.ip, fd < 0 ? fd : rc, has_iface));
		return 1;
	}
	if (gethostname(r.host, sizeof(r.host)) < 0)
		r.host[0] = '\0';
	r.host[sizeof(r.host) - 1] = '\0';
	r.hlen = strlen(r.host);
	r.loop = tool_loop_new();
	if (duration > 0)
		r.end_ns = now_monotonic_ns() + (int64_t)(duration * 1e9);
	if ((rc = loop_fd_add(r.loop, fd, LOOP_IN, 0, pong_readable, &r)) < 0 ||
	    (rc = loop_source_add(r.loop, pong_deadline, pong_timer, &r)) < 0) {
		fprintf(stderr, "mcast: event loop: %s\n", strerror(-rc));
		return 1;
	}
	if (!r.quiet) {
		printf("answering probes to %s\n", argv[optind]);
		fflush(stdout);
	}
	tool_loop_run(r.loop);
	loop_free(r.loop);
	close(fd);
	return 0;
}
