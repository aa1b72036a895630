/*
 * mcast send: a paced or flat-out stream of datagrams to GROUP:PORT, each
 * carrying the mcast header (include/mcast/dgram.h), or the lines of
 * standard input with --stdin.  Batches with sendmmsg().  With --groups N
 * the datagrams go round robin to N consecutive groups, each group with
 * its own sequence numbers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/udp.h>

#include "send_pace.h"
#include "tool.h"

#define SEND_BATCH	   64
#define SEND_MAX_SIZE	   65507 /* largest UDP payload over IPv4 */
#define SEND_SNDBUF	   (4 << 20)
#define SEND_GSO_MAX_BYTES 65000 /* one UDP_SEGMENT train */
#define SEND_MAX_GROUPS	   65536 /* --groups */

struct send_opts {
	struct mc_endpoint group; /* the first with --groups */
	uint32_t ngroups;	  /* --groups, default 1 */
	struct mc_iface iface;
	bool has_iface;
	int ttl;
	int loop;	 /* -1: kernel default */
	double rate_pps; /* 0: as fast as possible */
	double rate_bps;
	size_t size;
	uint64_t count;	   /* 0: unlimited */
	double duration_s; /* 0: unlimited */
	bool from_stdin;
	bool json;
	bool quiet;
	bool gso;    /* UDP_SEGMENT when possible */
	bool strict; /* exit 1 when the rate was not reached */
};

struct send_result {
	uint64_t attempted; /* sequence numbers used */
	uint64_t packets;   /* datagrams the kernel took */
	uint64_t bytes;
	uint64_t errors;
	int last_errno;
	int64_t elapsed_ns;
	bool gso; /* trains went out with UDP_SEGMENT */
	struct send_pace_verdict pace;
};

static void
send_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast send [-i IF] [-t TTL] [--loop|--no-loop] [-r PPS | -b BITS]\n"
	    "                  [-s SIZE] [-c COUNT] [-d DURATION] [--groups N]\n"
	    "                  [--stdin] [--gso|--no-gso] [--strict] [--json]\n"
	    "                  GROUP:PORT\n"
	    "  -i IF        send out of this interface (name, index or address)\n"
	    "  -t TTL       multicast TTL / hop limit, 0-255 (default 1)\n"
	    "  --loop       loop a copy back to local members (kernel default)\n"
	    "  --no-loop    do not loop back\n"
	    "  -r PPS       datagrams per second, 1 to 1G, e.g. 1000, 10k\n"
	    "               (default: flat out)\n"
	    "  -b BITS      payload bits per second, 1 to 1000G, e.g. 10M\n"
	    "               (instead of -r)\n"
	    "  -s SIZE      UDP payload bytes, %d-%d (default 64)\n"
	    "  -c COUNT     stop after COUNT datagrams\n"
	    "  -d DURATION  stop after DURATION (10, 2.5, 500ms, 2m, 1h)\n"
	    "  --groups N   round robin to N consecutive groups from GROUP up,\n"
	    "               1-%d (-r, -b, -c: all groups together; sequence\n"
	    "               numbers per group; sendmmsg batches, no trains)\n"
	    "  --stdin      send each line of standard input (newline included)\n"
	    "               as one datagram, without the mcast header; lines\n"
	    "               longer than SIZE (default then 65507) are split\n"
	    "  --gso        UDP segmentation offload trains instead of sendmmsg\n"
	    "               batches, flat out or paced (the receiving host cuts\n"
	    "               them: see mcast(1))\n"
	    "  --no-gso     the default: sendmmsg batches\n"
	    "  --strict     exit 1 when a paced stream fell short of its rate\n"
	    "  --json       print the summary as JSON on standard output\n"
	    "  -q           no summary (--json still prints it)\n",
	    MC_DGRAM_HEADER_LEN, SEND_MAX_SIZE, SEND_MAX_GROUPS);
}

/*
 * The group k places after the first (k < ngroups): the IPv4 address plus
 * k, or for IPv6 the last 32 bits (the group ID of RFC 3306) plus k.
 */
static void
send_nth_group(const struct send_opts *o, uint32_t k, struct mc_ip *out)
{
	*out = o->group.ip;
	if (out->family == AF_INET)
		out->u.v4.s_addr = htonl(ntohl(out->u.v4.s_addr) + k);
	else
		out->u.v6.s6_addr32[3] = htonl(ntohl(out->u.v6.s6_addr32[3]) +
		    k);
}

/*
 * --groups N from GROUP must stay multicast: IPv4 up to 239.255.255.255,
 * IPv6 within the last 32 bits (prefix, flags and scope unchanged).
 */
static void
send_check_group_range(const struct send_opts *o, const char *count_text)
{
	struct mc_ip last = o->group.ip;
	uint64_t first, room;
	char from[MC_IP_STRLEN], limit[MC_IP_STRLEN];

	if (last.family == AF_INET) {
		first = ntohl(last.u.v4.s_addr);
		room = 0xefffffffu - first + 1;
		last.u.v4.s_addr = htonl(0xefffffffu);
	} else {
		first = ntohl(last.u.v6.s6_addr32[3]);
		room = 0xffffffffu - first + 1;
		last.u.v6.s6_addr32[3] = htonl(0xffffffffu);
	}
	if (o->ngroups <= room)
		return;
	usage_error("--groups %s from %s runs past %s: expected a count of at "
		    "most %llu",
	    count_text, mc_ip_str(&o->group.ip, from), mc_ip_str(&last, limit),
	    (unsigned long long)room);
}

/* -r and -b: a count from 1 up to max, above which no link could carry it. */
static double
send_parse_rate(const char *text, const char *what, double max,
    const char *max_text)
{
	uint64_t v = parse_count(text, what);

	if ((double)v > max)
		usage_error("%s '%s' is out of range: expected 1 to %s", what,
		    text, max_text);
	return (double)v;
}

static void
send_parse(int argc, char **argv, struct send_opts *o)
{
	static const struct option longopts[] = { { "loop", no_argument, NULL,
						      'L' },
		{ "no-loop", no_argument, NULL, 'N' },
		{ "stdin", no_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'J' },
		{ "no-gso", no_argument, NULL, 'G' },
		{ "gso", no_argument, NULL, 'O' },
		{ "groups", required_argument, NULL, 'M' },
		{ "strict", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *groups_text = NULL, *bits_text = NULL, *iface_text = NULL;
	bool size_given = false;
	int c;
	uint64_t v;

	memset(o, 0, sizeof(*o));
	o->ngroups = 1;
	o->ttl = 1;
	o->loop = -1;
	o->size = 64;
	o->gso = false;
	while ((c = getopt_long(argc, argv, ":i:t:r:b:s:c:d:qh", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 't':
			o->ttl = parse_ttl(optarg);
			break;
		case 'L':
			o->loop = 1;
			break;
		case 'N':
			o->loop = 0;
			break;
		case 'r':
			o->rate_pps = send_parse_rate(optarg, "rate",
			    SEND_PACE_MAX_PPS, "1G datagrams/s");
			break;
		case 'b':
			o->rate_bps = send_parse_rate(optarg, "bit rate",
			    SEND_PACE_MAX_BPS, "1000G bits/s (1 Tbit/s)");
			bits_text = optarg;
			break;
		case 's':
			v = parse_count(optarg, "size");
			if (v < MC_DGRAM_HEADER_LEN || v > SEND_MAX_SIZE)
				usage_error(
				    "size '%s' is out of range: expected "
				    "%d to %d bytes",
				    optarg, MC_DGRAM_HEADER_LEN, SEND_MAX_SIZE);
			o->size = v;
			size_given = true;
			break;
		case 'c':
			o->count = parse_count(optarg, "count");
			break;
		case 'd':
			o->duration_s = parse_duration(optarg, "duration");
			break;
		case 'I':
			o->from_stdin = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'G':
			o->gso = false;
			break;
		case 'O':
			o->gso = true;
			break;
		case 'X':
			o->strict = true;
			break;
		case 'M':
			v = parse_count(optarg, "--groups");
			if (v > SEND_MAX_GROUPS)
				usage_error("--groups '%s' is out of range: "
					    "expected 1 to %d groups",
				    optarg, SEND_MAX_GROUPS);
			o->ngroups = (uint32_t)v;
			groups_text = optarg;
			break;
		case 'h':
			send_usage(stdout);
			exit(0);
		default:
			option_error("send", c, argv);
		}
	}
	if (argc - optind != 1) {
		send_usage(stderr);
		usage_error("send takes one GROUP:PORT, %d given",
		    argc - optind);
	}
	parse_group_endpoint(argv[optind], &o->group);
	if (groups_text != NULL)
		send_check_group_range(o, groups_text);
	if (o->rate_pps > 0 && o->rate_bps > 0)
		usage_error("-r and -b both given: expected one rate");
	if (o->from_stdin && !size_given)
		o->size = SEND_MAX_SIZE;
	if (o->rate_bps > 0)
		o->rate_pps = o->rate_bps / (8.0 * (double)o->size);
	if (o->rate_pps > SEND_PACE_MAX_PPS)
		usage_error(
		    "-b %s with %zu-byte datagrams is %.0f datagrams/s: "
		    "expected at most 1G datagrams/s",
		    bits_text, o->size, o->rate_pps);
	if (o->strict && (o->rate_pps <= 0 || o->from_stdin))
		usage_error("--strict without -r or -b%s: expected a paced "
			    "stream (only its rate can fall short)",
		    o->from_stdin ? ", or with --stdin" : "");
}

static int
send_open(const struct send_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, rc;
	char buf[64];

	fd = mc_socket_tx(o->group.ip.family, 0, SEND_SNDBUF);
	if (fd < 0)
		usage_error("cannot open a UDP socket: %s", mc_strerror(fd));
	if ((rc = mc_set_ttl(fd, o->group.ip.family, o->ttl)) < 0 ||
	    (o->loop >= 0 &&
		(rc = mc_set_loop(fd, o->group.ip.family, o->loop)) < 0) ||
	    (o->has_iface &&
		(rc = mc_set_out_iface(fd, o->group.ip.family,
		     o->iface.index)) < 0)) {
		fprintf(stderr, "mcast: cannot set up the socket: %s\n",
		    mc_strerror(rc));
		exit(1);
	}
	mc_endpoint_to_sockaddr(&o->group, &ss, &len);
	if (o->has_iface && o->group.ip.family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = o->iface.index;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		rc = errno;
		fprintf(stderr, "mcast: cannot send to %s: %s%s\n",
		    sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)),
		    strerror(rc),
		    no_iface_hint(&o->group.ip, rc, o->has_iface));
		exit(1);
	}
	return fd;
}

static void
send_sleep_until(int64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = deadline_ns / 1000000000,
		.tv_nsec = deadline_ns % 1000000000,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
		EINTR &&
	    !stop_requested)
		;
}

static int64_t
send_due_ns(const struct send_opts *o, int64_t start_ns, uint64_t n)
{
	return start_ns + send_pace_due_ns(o->rate_pps, n);
}

static bool
send_done(const struct send_opts *o, uint64_t sent, int64_t start_ns,
    int64_t now_ns)
{
	if (stop_requested)
		return true;
	if (o->count != 0 && sent >= o->count)
		return true;
	return o->duration_s > 0 &&
	    (double)(now_ns - start_ns) >= o->duration_s * 1e9;
}

static void
send_note_error(struct send_result *r, int err)
{
	r->errors++;
	r->last_errno = err;
}

/*
 * UDP segmentation offload (UDP_SEGMENT, Linux 4.18): one send() carries a
 * train of equal-size datagrams that the kernel cuts late, so a batch
 * costs one trip down the stack instead of one per datagram.  Used, with
 * --gso, for streams (flat out, or paced at more than one datagram per
 * wake-up: the datagrams due at a wake-up go as one train) whose datagrams
 * fit the path MTU unfragmented; never
 * with --groups (a train has one destination), and dropped for sendmmsg()
 * the first time the kernel refuses it.  On a veth pair the train crosses
 * as one packet (nftables counts it once) and is cut at the receiver, whose
 * host then does the sender's work: counted at the receiver
 * (bench/datapath.sh) trains delivered ~100 datagrams/s of 3.2 million
 * sent, sendmmsg batches 260,000/s, so trains are not the default.
 */
static bool
send_gso_setup(int fd, const struct send_opts *o)
{
	int mtu = 0, seg = (int)o->size;
	socklen_t len = sizeof(mtu);
	size_t overhead = o->group.ip.family == AF_INET ? 28 : 48;

	if (!o->gso || o->ngroups > 1)
		return false;
	if (getsockopt(fd,
		o->group.ip.family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		o->group.ip.family == AF_INET ? IP_MTU : IPV6_MTU, &mtu,
		&len) < 0 ||
	    o->size + overhead > (size_t)mtu)
		return false;
	return setsockopt(fd, SOL_UDP, UDP_SEGMENT, &seg, sizeof(seg)) == 0;
}

static void
send_gso_off(int fd)
{
	int zero = 0;

	setsockopt(fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof(zero));
}

/* Send n datagrams of the train; the number sent, or -1 with errno. */
static int
send_batch(int fd, const struct send_opts *o, bool *gso, uint8_t *train,
    struct mmsghdr *msgs, unsigned n)
{
	ssize_t rc;

	if (*gso && n > 1) {
		rc = send(fd, train, n * o->size, 0);
		if (rc >= 0)
			return (int)n;
		if (errno != EIO && errno != EINVAL && errno != EOPNOTSUPP)
			return -1;
		/* No segmentation on this path: sendmmsg from now on. */
		*gso = false;
		send_gso_off(fd);
	}
	return sendmmsg(fd, msgs, n, 0);
}

/*
 * Datagram number index (0, 1, 2 ... over the whole run) goes to group
 * index % ngroups with that group's sequence number index / ngroups.  The
 * total announced is the group's share of -c (0: unknown or too large).
 */
static uint32_t
send_group_total(const struct send_opts *o, uint32_t k)
{
	uint64_t share;

	if (o->count == 0)
		return 0;
	share = o->count / o->ngroups + (k < o->count % o->ngroups ? 1 : 0);
	return share > UINT32_MAX ? 0 : (uint32_t)share;
}

/* The destination of datagram number index, for sendto()/sendmmsg(). */
static socklen_t
send_destination(const struct send_opts *o, uint64_t index,
    struct sockaddr_storage *ss)
{
	struct mc_endpoint ep = { .port = o->group.port };
	socklen_t len;

	send_nth_group(o, (uint32_t)(index % o->ngroups), &ep.ip);
	mc_endpoint_to_sockaddr(&ep, ss, &len);
	if (o->has_iface && ep.ip.family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_scope_id = o->iface.index;
	return len;
}

static void
send_stream(int fd, const struct send_opts *o, struct send_result *r)
{
	static uint8_t train[SEND_BATCH * SEND_MAX_SIZE];
	struct mmsghdr msgs[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
	struct sockaddr_storage names[SEND_BATCH];
	struct mc_dgram_header h = { .sender_id = random_u32() };
	int64_t start = now_monotonic_ns(), now = start, send_ns;
	bool gso = send_gso_setup(fd, o);
	int64_t last_sent = 0; /* when the last datagram went */
	uint64_t allowed, n, batch = SEND_BATCH, index, want, per_wakeup;
	int i, sent;

	/* A GSO train carries at most 64 KiB. */
	if (gso && batch > SEND_GSO_MAX_BYTES / o->size)
		batch = SEND_GSO_MAX_BYTES / o->size;
	per_wakeup = send_pace_batch(o->rate_pps, (unsigned)batch);
	memset(msgs, 0, sizeof(msgs));
	memset(train, 0, SEND_BATCH * o->size);
	for (i = 0; i < SEND_BATCH; i++) {
		iov[i].iov_base = train + (size_t)i * o->size;
		iov[i].iov_len = o->size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!send_done(o, r->attempted, start, now)) {
		/*
		 * Paced: wake up when per_wakeup datagrams are due (fewer at
		 * the end of -c), then send all that are due, up to a batch:
		 * one sleep per batch, not per datagram, and a sender that
		 * slept late catches up.
		 */
		allowed = send_pace_allowed(o->rate_pps, now - start);
		want = per_wakeup;
		if (o->count != 0 && want > o->count - r->attempted)
			want = o->count - r->attempted;
		if (allowed < r->attempted + want) {
			send_sleep_until(send_due_ns(o, start,
			    r->attempted + want - 1));
			now = now_monotonic_ns();
			continue;
		}
		n = allowed - r->attempted;
		if (n > batch)
			n = batch;
		if (o->count != 0 && n > o->count - r->attempted)
			n = o->count - r->attempted;
		send_ns = now_realtime_ns();
		/* Sequence 0 goes now: receivers listening by then count
		 * loss from it (include/mcast/dgram.h). */
		if (h.stream_start_ns == 0)
			h.stream_start_ns = (uint64_t)send_ns;
		for (i = 0; i < (int)n; i++) {
			index = r->attempted + (uint64_t)i;
			h.sequence = index / o->ngroups;
			h.total = send_group_total(o,
			    (uint32_t)(index % o->ngroups));
			h.send_time_ns = (uint64_t)send_ns;
			mc_dgram_encode(&h, train + (size_t)i * o->size,
			    o->size);
			/* Connected to the first group: name the others. */
			if (o->ngroups > 1) {
				msgs[i].msg_hdr.msg_name = &names[i];
				msgs[i].msg_hdr.msg_namelen =
				    send_destination(o, index, &names[i]);
			}
		}
		sent = send_batch(fd, o, &gso, train, msgs, (unsigned)n);
		if (sent < 0) {
			if (errno != EINTR)
				send_note_error(r, errno);
			/*
			 * ENOBUFS and the like: the first datagram of the
			 * batch is lost here (receivers will count it), the
			 * schedule goes on.
			 */
			if (errno == ENOBUFS || errno == EAGAIN)
				r->attempted++;
			else if (errno != EINTR)
				break;
		} else {
			r->attempted += (uint64_t)sent;
			r->packets += (uint64_t)sent;
			r->bytes += (uint64_t)sent * o->size;
		}
		now = now_monotonic_ns();
		if (sent > 0)
			last_sent = now - start;
	}
	r->gso = gso;
	r->elapsed_ns = now_monotonic_ns() - start;
	send_pace_judge(o->rate_pps, r->packets, r->elapsed_ns, last_sent,
	    &r->pace);
}

static void
send_lines(int fd, const struct send_opts *o, struct send_result *r)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char *line = NULL;
	size_t cap = 0, off, chunk;
	ssize_t len, rc;
	int64_t start = now_monotonic_ns();

	while (!send_done(o, r->attempted, start, now_monotonic_ns()) &&
	    (len = getline(&line, &cap, stdin)) > 0) {
		for (off = 0; off < (size_t)len; off += chunk) {
			chunk = (size_t)len - off;
			if (chunk > o->size)
				chunk = o->size;
			if (o->rate_pps > 0)
				send_sleep_until(send_due_ns(o, start,
				    r->attempted));
			if (o->ngroups > 1) {
				sslen = send_destination(o, r->attempted, &ss);
				rc = sendto(fd, line + off, chunk, 0,
				    (struct sockaddr *)&ss, sslen);
			} else {
				rc = send(fd, line + off, chunk, 0);
			}
			r->attempted++;
			if (rc < 0) {
				send_note_error(r, errno);
				continue;
			}
			r->packets++;
			r->bytes += chunk;
		}
	}
	free(line);
	r->elapsed_ns = now_monotonic_ns() - start;
}

/* "1,234,567": v rounded, with thousands separators (buf >= 32). */
static const char *
send_thousands(double v, char *buf, size_t len)
{
	char digits[32];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", v < 0 ? 0 : v);
	n = strlen(digits);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* A paced stream that ended behind its schedule: say by how much and why. */
static void
send_warn_shortfall(const struct send_opts *o, const struct send_result *r)
{
	char asked[32], got[32], why[96];

	if (r->errors != 0)
		snprintf(why, sizeof(why), "the kernel refused %llu of them",
		    (unsigned long long)r->errors);
	else
		snprintf(why, sizeof(why),
		    "the sender could not keep up (CPU-bound, or a slower "
		    "interface)");
	warning("asked %s datagrams/s, sent %s/s: %s%s",
	    send_thousands(o->rate_pps, asked, sizeof(asked)),
	    send_thousands(r->pace.achieved_pps, got, sizeof(got)), why,
	    o->strict ? "" : " (exit status 0; --strict makes it 1)");
}

static void
send_report(const struct send_opts *o, const struct send_result *r)
{
	double secs = (double)r->elapsed_ns / 1e9;
	double pps = secs > 0 ? (double)r->packets / secs : 0;
	double mbps = secs > 0 ? (double)r->bytes * 8 / secs / 1e6 : 0;
	char group[MC_IP_STRLEN], last[MC_IP_STRLEN];
	char dest[2 * MC_IP_STRLEN + 32];
	struct mc_ip last_ip;

	mc_ip_str(&o->group.ip, group);
	send_nth_group(o, o->ngroups - 1, &last_ip);
	mc_ip_str(&last_ip, last);
	if (o->ngroups > 1)
		snprintf(dest, sizeof(dest), "%u groups %s to %s", o->ngroups,
		    group, last);
	else
		snprintf(dest, sizeof(dest), "%s", group);
	if (o->json) {
		printf(
		    "{\"type\":\"send_summary\",\"group\":\"%s\",\"port\":%u,"
		    "\"groups\":%u,\"last_group\":\"%s\",\"packets\":%llu,"
		    "\"bytes\":%llu,\"errors\":%llu,"
		    "\"seconds\":%.6f,\"pps\":%.1f,\"mbps\":%.3f,\"ttl\":%d,"
		    "\"ttl_scope\":\"%s\",\"gso\":%s,\"target_pps\":%.1f,"
		    "\"achieved_pps\":%.1f,\"behind_ms\":%.3f,"
		    "\"rate_shortfall\":%s}\n",
		    group, o->group.port, o->ngroups, last,
		    (unsigned long long)r->packets,
		    (unsigned long long)r->bytes, (unsigned long long)r->errors,
		    secs, pps, mbps, o->ttl, mc_ttl_scope((unsigned)o->ttl),
		    r->gso ? "true" : "false", o->rate_pps,
		    r->pace.achieved_pps, (double)r->pace.behind_ns / 1e6,
		    r->pace.short_of_rate ? "true" : "false");
	} else if (!o->quiet) {
		fprintf(stderr,
		    "sent %llu datagram%s (%llu byte%s) to %s port %u "
		    "in %.3f s: %.0f pps, %.3f Mbit/s, TTL %d (%s)\n",
		    (unsigned long long)r->packets, plural_s(r->packets),
		    (unsigned long long)r->bytes, plural_s(r->bytes), dest,
		    o->group.port, secs, pps, mbps, o->ttl,
		    mc_ttl_scope((unsigned)o->ttl));
	}
	if (r->pace.short_of_rate)
		send_warn_shortfall(o, r);
	if (r->errors != 0)
		fprintf(stderr, "mcast: %llu send error%s, the last: %s\n",
		    (unsigned long long)r->errors, plural_s(r->errors),
		    strerror(r->last_errno));
}

/* The TTL warnings for the first group, and for the last when a --groups
 * range ends in another block of the address space. */
static void
send_warn_scope(const struct send_opts *o)
{
	struct mc_addr_info first, last;
	struct mc_ip last_ip;

	warn_group_scope(&o->group.ip, o->ttl);
	if (o->ngroups == 1)
		return;
	send_nth_group(o, o->ngroups - 1, &last_ip);
	mc_addr_classify(&o->group.ip, &first);
	mc_addr_classify(&last_ip, &last);
	if (first.block != last.block || first.scope != last.scope)
		warn_group_scope(&last_ip, o->ttl);
}

int
cmd_send(int argc, char **argv)
{
	struct send_opts o;
	struct send_result r;
	int fd;

	send_parse(argc, argv, &o);
	send_warn_scope(&o);
	fd = send_open(&o);
	install_stop_signals();
	/* Sleep precisely: the default 50 us timer slack would cost pacing. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	memset(&r, 0, sizeof(r));
	if (o.from_stdin)
		send_lines(fd, &o, &r);
	else
		send_stream(fd, &o, &r);
	close(fd);
	send_report(&o, &r);
	if (o.strict && r.pace.short_of_rate)
		return 1;
	return r.errors != 0 && r.packets == 0 ? 1 : 0;
}
