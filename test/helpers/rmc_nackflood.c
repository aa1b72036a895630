/*
 * rmc_nackflood: a hostile host in an mcast file session, for the lab
 * test/ns/t_file_hostile.sh.  It joins GROUP:PORT, learns the session from
 * the sender's packets (its id, K, S and the files' sizes from a
 * MANIFEST), then, for -d seconds at -r packets per second:
 *
 *   nack    forged NACKs (proto/rmc_wire.c's encoder): each for a whole
 *           block (missing = its K) picked at random among the files'
 *           blocks (or the first -b), from a new random receiver id
 *   junk    malformed and forged packets in turn: truncated (5 bytes and
 *           a DATA cut short), bad magic, unknown version, unknown type,
 *           a DATA of another session, a DATA whose K is not the block's,
 *           a DATA for a block past the file's end, a MANIFEST whose K
 *           differs from the session's
 *   replay  (a --key session) the sealed NACKs it hears from receivers
 *           (the 'R' 'K' datagrams of a sealed NACK's length) and the
 *           first sealed DATA it hears, sent again as they were, in turn
 *           (three NACKs, then a DATA): it needs no key
 *
 * It prints one line on standard output, for scripts:
 *   mode=nack session=1a2b3c4d packets=20000 bytes=640000 seconds=10.0 errors=0
 * Lab use only: it sends to the group it is given, on the interface given.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "mcast/mcast.h"
#include "mcast/sock.h"
#include "rmc_seal.h"
#include "rmc_wire.h"

#define FL_FILES_MAX   64
#define FL_REPLAY_MAX  256
#define FL_SEALED_NACK (RMC_NACK_LEN + RMC_SEAL_OVERHEAD)
#define FL_LEARN_S     10
#define FL_JUNK_KINDS  9
#define FL_REPLAY_DATA 64
#define FL_DATA_MAX    1600

struct fl_opts {
	const char *mode;
	struct mc_endpoint group;
	struct mc_iface iface;
	double rate, seconds;
	uint32_t blocks; /* 0: all */
};

struct fl_session {
	uint32_t id;
	uint16_t s;
	uint8_t k;
	uint32_t nfiles;
	uint64_t size[FL_FILES_MAX];
	bool known[FL_FILES_MAX];
	uint8_t replay[FL_REPLAY_MAX][FL_SEALED_NACK];
	unsigned nreplay;
	uint8_t data[FL_REPLAY_DATA][FL_DATA_MAX]; /* sealed DATA heard */
	size_t data_len[FL_REPLAY_DATA];
	unsigned ndata;
};

static uint64_t fl_rng = 0x9e3779b97f4a7c15ull;

static uint32_t
fl_random(void)
{
	fl_rng ^= fl_rng << 13;
	fl_rng ^= fl_rng >> 7;
	fl_rng ^= fl_rng << 17;
	return (uint32_t)(fl_rng >> 16);
}

static double
fl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: rmc_nackflood -i IF [-m nack|junk|replay] [-r PPS] "
	    "[-d SECONDS] [-b BLOCKS] GROUP:PORT\n"
	    "  -m MODE     nack (default): forged whole-block NACKs, new ids;\n"
	    "              junk: malformed and forged packets; replay: the "
	    "sealed NACKs heard, again\n"
	    "  -r PPS      packets per second (default 2000)\n"
	    "  -d SECONDS  how long (default 5)\n"
	    "  -b BLOCKS   nack: only the first BLOCKS blocks of each file "
	    "(default all)\n");
	exit(status);
}

static double
parse_pos(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || v <= 0) {
		fprintf(stderr,
		    "rmc_nackflood: %s '%s': expected a number above 0\n", what,
		    s);
		exit(2);
	}
	return v;
}

/* What a datagram from the group teaches; true once the session is known. */
static bool
fl_learn(struct fl_session *ss, const char *mode, const uint8_t *p, size_t len)
{
	struct rmc_pkt pkt;
	struct rmc_entry e;

	if (strcmp(mode, "replay") == 0) {
		/* Sealed: the header is hidden; a NACK's length tells it. */
		if (len < 2 || p[0] != 'R' || p[1] != 'K')
			return ss->nreplay > 0;
		if (len == FL_SEALED_NACK && ss->nreplay < FL_REPLAY_MAX)
			memcpy(ss->replay[ss->nreplay++], p, len);
		else if (len > 200 && len <= FL_DATA_MAX &&
		    ss->ndata < FL_REPLAY_DATA) {
			memcpy(ss->data[ss->ndata], p, len);
			ss->data_len[ss->ndata++] = len;
		}
		return ss->nreplay > 0;
	}
	if (rmc_decode(p, len, &pkt) != 0 || pkt.hdr.type != RMC_MANIFEST)
		return false;
	if (ss->k == 0) {
		ss->id = pkt.hdr.session;
		ss->s = pkt.u.manifest.symbol_size;
		ss->k = pkt.u.manifest.k;
		ss->nfiles = pkt.u.manifest.files;
	}
	if (pkt.hdr.session != ss->id)
		return false;
	while (rmc_entry_next(&pkt.u.manifest, &e))
		if (e.index < FL_FILES_MAX) {
			ss->size[e.index] = e.size;
			ss->known[e.index] = true;
		}
	/* Junk needs a file; NACKs a file with blocks. */
	for (uint32_t i = 0; i < FL_FILES_MAX; i++)
		if (ss->known[i] &&
		    rmc_file_blocks(ss->size[i], ss->k, ss->s) > 0)
			return true;
	return false;
}

/* A file with blocks, at random. */
static uint32_t
fl_file(const struct fl_session *ss)
{
	uint32_t f;

	do
		f = fl_random() % FL_FILES_MAX;
	while (!ss->known[f] ||
	    rmc_file_blocks(ss->size[f], ss->k, ss->s) == 0);
	return f;
}

static int
fl_nack(const struct fl_session *ss, const struct fl_opts *o, uint32_t seq,
    uint8_t *buf, size_t cap)
{
	struct rmc_hdr h = { .session = ss->id, .seq = seq };
	struct rmc_nack n = { .receiver = fl_random() };
	uint32_t nb;

	n.file = fl_file(ss);
	nb = rmc_file_blocks(ss->size[n.file], ss->k, ss->s);
	if (o->blocks > 0 && nb > o->blocks)
		nb = o->blocks;
	n.block = fl_random() % nb;
	n.missing = (uint8_t)rmc_block_k(ss->size[n.file], n.block, ss->k,
	    ss->s);
	return rmc_encode_nack(buf, cap, &h, &n);
}

/* The kind-th malformed or forged packet (kind < FL_JUNK_KINDS). */
static int
fl_junk(const struct fl_session *ss, unsigned kind, uint32_t seq, uint8_t *buf,
    size_t cap)
{
	static uint8_t payload[65536];
	struct rmc_hdr h = { .session = ss->id, .seq = seq };
	struct rmc_data d = { .payload = payload, .payload_len = ss->s };
	int len;

	d.file = fl_file(ss);
	d.block = fl_random() % rmc_file_blocks(ss->size[d.file], ss->k, ss->s);
	d.k = (uint8_t)rmc_block_k(ss->size[d.file], d.block, ss->k, ss->s);
	d.symbol = (uint8_t)(fl_random() % d.k);
	switch (kind) {
	case 0: /* truncated: 5 bytes of a header */
		len = rmc_encode_data(buf, cap, &h, &d);
		return len < 0 ? len : 5;
	case 1: /* a DATA cut in its header */
		len = rmc_encode_data(buf, cap, &h, &d);
		return len < 0 ? len : RMC_DATA_HDR - 3;
	case 2: /* bad magic */
		len = rmc_encode_data(buf, cap, &h, &d);
		buf[0] = 'X';
		return len;
	case 3: /* a version we do not speak */
		len = rmc_encode_data(buf, cap, &h, &d);
		buf[2] = RMC_VERSION + 1;
		return len;
	case 4: /* an unknown type */
		len = rmc_encode_data(buf, cap, &h, &d);
		buf[3] = 0x7f;
		return len;
	case 5: /* another session */
		h.session = ss->id ^ 0x5a5a5a5a;
		return rmc_encode_data(buf, cap, &h, &d);
	case 6: /* a K that is not the block's */
		d.k = (uint8_t)(d.k % 254 + 1);
		d.symbol = 0;
		return rmc_encode_data(buf, cap, &h, &d);
	case 7: /* a block past the end of the file */
		d.block = rmc_file_blocks(ss->size[d.file], ss->k, ss->s) +
		    fl_random() % 1000;
		return rmc_encode_data(buf, cap, &h, &d);
	default: /* a manifest that changes K */
		return rmc_manifest_begin(buf, cap, &h, ss->nfiles, ss->s,
		    (uint8_t)(ss->k % 254 + 1));
	}
}

int
main(int argc, char **argv)
{
	static uint8_t buf[65536];
	struct fl_opts o = { .mode = "nack", .rate = 2000, .seconds = 5 };
	struct fl_session *ss = calloc(1, sizeof(*ss));
	struct sockaddr_storage dst;
	socklen_t dstlen;
	const char *ifname = NULL;
	unsigned long long packets = 0, bytes = 0, errors = 0;
	double t0, deadline, next;
	int c, fd, rc;

	if (ss == NULL)
		return 1;
	while ((c = getopt(argc, argv, "i:m:r:d:b:h")) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'm':
			o.mode = optarg;
			break;
		case 'r':
			o.rate = parse_pos(optarg, "-r");
			break;
		case 'd':
			o.seconds = parse_pos(optarg, "-d");
			break;
		case 'b':
			o.blocks = (uint32_t)parse_pos(optarg, "-b");
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (argc - optind != 1 || ifname == NULL)
		usage(stderr, 2);
	if (strcmp(o.mode, "nack") != 0 && strcmp(o.mode, "junk") != 0 &&
	    strcmp(o.mode, "replay") != 0) {
		fprintf(stderr,
		    "rmc_nackflood: -m %s: expected nack, junk or replay\n",
		    o.mode);
		return 2;
	}
	if (mc_endpoint_parse(argv[optind], &o.group) < 0 ||
	    !mc_ip_is_multicast(&o.group.ip)) {
		fprintf(stderr,
		    "rmc_nackflood: %s: expected a multicast GROUP:PORT\n",
		    argv[optind]);
		return 2;
	}
	if (mc_iface_resolve(ifname, &o.iface) < 0) {
		fprintf(stderr, "rmc_nackflood: -i %s: no such interface\n",
		    ifname);
		return 2;
	}
	if ((fd = mc_socket_rx(&o.group, o.iface.index, 1 << 20)) < 0 ||
	    (rc = mc_join(fd, &o.group.ip, o.iface.index, NULL)) < 0 ||
	    (rc = mc_set_out_iface(fd, o.group.ip.family, o.iface.index)) < 0 ||
	    (rc = mc_set_loop(fd, o.group.ip.family, false)) < 0) {
		fprintf(stderr, "rmc_nackflood: cannot use %s on %s: %s\n",
		    argv[optind], ifname, mc_strerror(fd < 0 ? fd : rc));
		return 1;
	}
	mc_endpoint_to_sockaddr(&o.group, &dst, &dstlen);

	/* Learn the session (or capture sealed NACKs) first. */
	deadline = fl_now() + FL_LEARN_S;
	for (;;) {
		struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
		ssize_t n;

		if (fl_now() > deadline) {
			fprintf(stderr,
			    "rmc_nackflood: heard no %s on %s in %d s\n",
			    strcmp(o.mode, "replay") == 0 ? "sealed NACK" :
							    "manifest",
			    argv[optind], FL_LEARN_S);
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0 && fl_learn(ss, o.mode, buf, (size_t)n))
			break;
	}

	t0 = next = fl_now();
	deadline = t0 + o.seconds;
	while (fl_now() < deadline) {
		int len;

		if (strcmp(o.mode, "replay") == 0) {
			ssize_t n;

			/* Keep capturing what comes meanwhile. */
			while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >
			    0)
				fl_learn(ss, o.mode, buf, (size_t)n);
			/* Three NACKs, then a DATA (when one was heard). */
			if (packets % 4 == 3 && ss->ndata > 0) {
				unsigned i = (unsigned)(packets / 4 %
				    ss->ndata);

				len = (int)ss->data_len[i];
				memcpy(buf, ss->data[i], (size_t)len);
			} else {
				len = FL_SEALED_NACK;
				memcpy(buf, ss->replay[packets % ss->nreplay],
				    (size_t)len);
			}
		} else {
			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
			if (strcmp(o.mode, "nack") == 0)
				len = fl_nack(ss, &o, (uint32_t)packets, buf,
				    sizeof(buf));
			else
				len = fl_junk(ss, packets % FL_JUNK_KINDS,
				    (uint32_t)packets, buf, sizeof(buf));
		}
		if (len <= 0 ||
		    sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&dst,
			dstlen) < 0)
			errors++;
		else
			bytes += (unsigned long long)len;
		packets++;
		next += 1.0 / o.rate;
		while (fl_now() < next) {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
		}
	}
	printf("mode=%s session=%08x packets=%llu bytes=%llu seconds=%.1f "
	       "errors=%llu\n",
	    o.mode, ss->id, packets, bytes, fl_now() - t0, errors);
	close(fd);
	free(ss);
	return 0;
}
