/*
 * mcast file send: announce files and send them to GROUP:PORT, answering
 * the receivers' NACKs with parity (the engine: proto/rmc_send.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "file.h"
#include "loop.h"
#include "rmc_send.h"
#include "sap.h"
#include "tool.h"

#define SEND_FILES_MAX 100000
#define SEND_BURST     256 /* packets per turn of the loop at most */
#define SEND_BUDGET    64

struct send_file {
	int fd;
	char *path; /* as opened */
	struct rmc_send_file f;
};

struct send_opts {
	struct mc_endpoint group;
	const char *label;
	struct mc_iface iface;
	bool has_iface, json, carousel, quiet, loop;
	const char *key_path;
	bool announce;
	char *announce_name; /* s=: --announce=NAME, or the first PATH's */
	int ttl;
	struct rmc_send_config c;
	struct send_file *files;
	unsigned nfiles, cap;
};

struct send_state {
	struct send_opts *o;
	struct file_sock fs;
	struct rmc_send *s;
	struct loop *loop;
	uint8_t *block;
	size_t block_len;
	int64_t start_ns;
	uint64_t bytes;
	struct file_progress progress;
	int failed;
};

static void
send_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast file send [-i IF] [-t TTL] [-r RATE] "
	    "[--fec K,M | --fec auto]\n"
	    "                       [--cc none|tfmcc]\n"
	    "                       [--key FILE] [--carousel] [--loop] [--json] "
	    "[-q] [-v]\n"
	    "                       [--announce[=NAME]] PATH... "
	    "GROUP:PORT\n"
	    "  -i IF        send on this interface\n"
	    "  -t TTL       time to live (default 1)\n"
	    "  -r RATE      cap in bits/s, IP and UDP headers counted "
	    "(default 10M)\n"
	    "  --fec K,M    blocks of K source symbols (1..254), parity "
	    "indexes\n"
	    "               K..K+M-1 used in turn for repairs (default "
	    "64,191)\n"
	    "  --fec auto   parity with every block, as much as the loss the\n"
	    "               receivers report asks (blocks of 64)\n"
	    "  --cc MODE    none (default: the rate is -r) or tfmcc: follow the\n"
	    "               slowest receiver's TCP-friendly rate (RFC 4654),\n"
	    "               -r then is the ceiling\n"
	    "  --key FILE   seal every packet with the key of FILE's contents\n"
	    "               (receivers need the same file)\n"
	    "  --carousel   send the files again and again until stopped\n"
	    "  --loop       loop the packets back to receivers on this host\n"
	    "               (the sender then reads each of them back too)\n"
	    "  --announce[=NAME]  announce the session with SAP/SDP while it "
	    "runs\n"
	    "               (s=NAME, default the first PATH's name), for recv "
	    "--session\n"
	    "  --json       one JSON summary at the end\n"
	    "  -q           no summary, only the exit status\n"
	    "  -v           what the engine does, a line per step, on "
	    "standard error\n"
	    "PATH is a file or a directory (sent with everything under it).\n"
	    "exit status: 0 when the session ended with every receiver that "
	    "spoke done,\n"
	    "1 when some did not finish, 2 on usage errors\n");
}

static void
send_add(struct send_opts *o, const char *path, const char *name,
    const struct stat *st)
{
	struct send_file *sf;
	unsigned i;

	if (!rmc_name_ok((const uint8_t *)name, strlen(name)))
		usage_error("%s: cannot be sent as '%s': expected a name "
			    "without empty, '.' or '..' components or control "
			    "characters",
		    path, name);
	for (i = 0; i < o->nfiles; i++)
		if (strcmp(o->files[i].f.name, name) == 0)
			repeated_error("file name", name, NULL);
	if (o->nfiles == SEND_FILES_MAX)
		usage_error("more than %d files: expected at most %d",
		    SEND_FILES_MAX, SEND_FILES_MAX);
	if (o->nfiles == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->files = realloc(o->files, o->cap * sizeof(*o->files));
		if (o->files == NULL) {
			fprintf(stderr, "mcast: out of memory\n");
			exit(1);
		}
	}
	sf = &o->files[o->nfiles++];
	memset(sf, 0, sizeof(*sf));
	sf->path = strdup(path);
	sf->f.name = strdup(name);
	sf->f.size = (uint64_t)st->st_size;
	sf->f.mode = st->st_mode & 07777;
	if (sf->path == NULL || sf->f.name == NULL) {
		fprintf(stderr, "mcast: out of memory\n");
		exit(1);
	}
	sf->fd = -1;
}

/* A file, or every regular file under a directory (names below its own). */
static void
send_walk(struct send_opts *o, const char *path, const char *name)
{
	struct dirent **ents;
	struct stat st;
	int n, i;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "mcast: cannot send %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	if (S_ISREG(st.st_mode)) {
		send_add(o, path, name, &st);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr,
		    "mcast: cannot send %s: not a regular file or a "
		    "directory\n",
		    path);
		exit(1);
	}
	if ((n = scandir(path, &ents, NULL, alphasort)) < 0) {
		fprintf(stderr, "mcast: cannot read directory %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	for (i = 0; i < n; i++) {
		char *p, *q;

		if (strcmp(ents[i]->d_name, ".") != 0 &&
		    strcmp(ents[i]->d_name, "..") != 0) {
			if (asprintf(&p, "%s/%s", path, ents[i]->d_name) < 0 ||
			    asprintf(&q, "%s/%s", name, ents[i]->d_name) < 0) {
				fprintf(stderr, "mcast: out of memory\n");
				exit(1);
			}
			send_walk(o, p, q);
			free(p);
			free(q);
		}
		free(ents[i]);
	}
	free(ents);
}

/* The last component of a path without its trailing slashes. */
static char *
send_base(const char *path)
{
	char *s = strdup(path), *b;
	size_t n;

	if (s == NULL) {
		fprintf(stderr, "mcast: out of memory\n");
		exit(1);
	}
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	b = strrchr(s, '/');
	memmove(s, b ? b + 1 : s, strlen(b ? b + 1 : s) + 1);
	return s;
}

static void
send_parse_fec(const char *text, struct rmc_send_config *c)
{
	unsigned k, m;
	char tail;

	if (strcmp(text, "auto") == 0) {
		c->fec_auto = true;
		return;
	}
	if (sscanf(text, "%u,%u%c", &k, &m, &tail) != 2 || k < 1 || k > 254 ||
	    m < 1 || k + m > 255)
		usage_error("--fec %s: expected K,M with K 1..254, M >= 1 and "
			    "K + M <= 255, e.g. 64,32, or auto",
		    text);
	c->k = (uint8_t)k;
	c->parity_max = (uint8_t)m;
}

static void
send_parse(int argc, char **argv, struct send_opts *o)
{
	static const struct option longopts[] = {
		{ "fec", required_argument, NULL, 'F' },
		{ "carousel", no_argument, NULL, 'C' },
		{ "loop", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'J' },
		{ "key", required_argument, NULL, 'K' },
		{ "announce", optional_argument, NULL, 'A' },
		{ "cc", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *iface_text = NULL;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->ttl = 1;
	rmc_send_config_default(&o->c);
	while ((c = getopt_long(argc, argv, ":i:t:r:qvh", longopts, NULL)) !=
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
		case 'r':
			o->c.rate_bps = parse_count(optarg, "rate");
			break;
		case 'F':
			send_parse_fec(optarg, &o->c);
			break;
		case 'C':
			o->c.carousel = true;
			break;
		case 'L':
			o->loop = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'R':
			if (strcmp(optarg, "tfmcc") == 0)
				o->c.cc_tfmcc = true;
			else if (strcmp(optarg, "none") == 0)
				o->c.cc_tfmcc = false;
			else
				usage_error("--cc %s: expected none or tfmcc",
				    optarg);
			break;
		case 'K':
			option_once(&o->key_path, "--key", optarg, "key file");
			break;
		case 'A':
			o->announce = true;
			if (optarg) {
				file_announce_name_check(optarg);
				free(o->announce_name);
				o->announce_name = strdup(optarg);
			}
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->c.trace = file_trace;
			break;
		case 'h':
			send_usage(stdout);
			exit(0);
		default:
			option_error("file send", c, argv);
		}
	}
	if (argc - optind < 2) {
		send_usage(stderr);
		usage_error("file send needs PATH... GROUP:PORT");
	}
	o->label = argv[argc - 1];
	parse_group_endpoint(o->label, &o->group);
	for (i = optind; i < argc - 1; i++) {
		char *base = send_base(argv[i]);

		send_walk(o, argv[i], base);
		if (o->announce && o->announce_name == NULL)
			o->announce_name = strdup(base);
		free(base);
	}
	warn_group_scope(&o->group.ip, o->ttl);
	if (o->announce) {
		struct mc_ip sap_group;

		file_announce_check(&o->group.ip, &sap_group);
	}
}

static void
send_prepare(struct send_opts *o)
{
	unsigned i;
	int rc;

	for (i = 0; i < o->nfiles; i++) {
		struct send_file *sf = &o->files[i];

		if ((sf->fd = open(sf->path, O_RDONLY | O_CLOEXEC)) < 0) {
			fprintf(stderr, "mcast: cannot open %s: %s\n", sf->path,
			    strerror(errno));
			exit(1);
		}
		if ((rc = file_sha256(sf->fd, sf->f.sha256)) < 0) {
			fprintf(stderr, "mcast: cannot read %s: %s\n", sf->path,
			    strerror(-rc));
			exit(1);
		}
	}
}

/* Reads what the engine asks for. */
static void
send_supply(struct send_state *st)
{
	struct rmc_send_need need;

	while (rmc_send_need(st->s, &need)) {
		struct send_file *sf = &st->o->files[need.file];
		size_t got = 0;
		ssize_t n;

		if (need.len > st->block_len) {
			free(st->block);
			if ((st->block = malloc(need.len)) == NULL) {
				fprintf(stderr, "mcast: out of memory\n");
				exit(1);
			}
			st->block_len = need.len;
		}
		while (got < need.len) {
			n = pread(sf->fd, st->block + got, need.len - got,
			    (off_t)(need.offset + got));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fprintf(stderr,
				    "mcast: cannot read %s at %llu: %s\n",
				    sf->path,
				    (unsigned long long)(need.offset + got),
				    n < 0 ? strerror(errno) :
					    "the file got shorter");
				exit(1);
			}
			got += (size_t)n;
		}
		if (rmc_send_supply(st->s, need.file, need.block, st->block,
			need.len) < 0) {
			fprintf(stderr, "mcast: out of memory\n");
			exit(1);
		}
	}
}

static void
send_rx(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct send_state *st = arg;
	uint8_t buf[2048];
	unsigned i;

	for (i = 0; i < budget; i++) {
		ssize_t n = file_sock_recv(&st->fs, buf, sizeof(buf));

		if (n < 0)
			break;
		if (n > 0)
			rmc_send_input(st->s, loop_now(st->loop), buf,
			    (size_t)n);
	}
}

static mc_time_t
send_deadline(void *arg)
{
	struct send_state *st = arg;

	return rmc_send_deadline(st->s, loop_now(st->loop));
}

static void
send_timer(void *arg, mc_time_t now)
{
	struct send_state *st = arg;
	uint8_t buf[2048];
	int i, len;

	for (i = 0; i < SEND_BURST; i++) {
		send_supply(st);
		len = rmc_send_output(st->s, now, buf, sizeof(buf));
		if (len <= 0)
			break;
		file_sock_send(&st->fs, buf, (size_t)len);
		st->bytes += (uint64_t)len;
	}
	if (file_progress_due(&st->progress, now)) {
		const struct rmc_send_stats *ss = rmc_send_stats(st->s);
		const struct send_opts *o = st->o;
		double secs = (double)(now_monotonic_ns() - st->start_ns) / 1e9;
		char b[32], cc[96] = "";

		if (o->c.cc_tfmcc)
			snprintf(cc, sizeof(cc),
			    "; tfmcc %.2f Mbit/s%s, CLR %08x",
			    (double)ss->rate_bps / 1e6,
			    ss->slow_start ? " (slow start)" : "", ss->clr);
		file_progress_draw(&st->progress,
		    "sent %s at %.1f Mbit/s: %s %u, %llu repair symbols "
		    "for %llu NACKs, %u of %u receivers heard from done%s",
		    file_bytes_str(st->bytes, b),
		    secs > 0 ? (double)st->bytes * 8 / secs / 1e6 : 0.0,
		    !o->c.carousel && ss->passes > 0 ? "lingering after pass" :
						       "pass",
		    !o->c.carousel && ss->passes > 0 ? ss->passes :
						       ss->passes + 1,
		    (unsigned long long)ss->repair,
		    (unsigned long long)ss->nacks, ss->receivers_done,
		    ss->receivers, cc);
	}
	if (rmc_send_done(st->s))
		loop_stop(st->loop);
}

static void
send_report(const struct send_state *st)
{
	const struct rmc_send_stats *ss = rmc_send_stats(st->s);
	double secs = (double)(now_monotonic_ns() - st->start_ns) / 1e9;
	uint64_t total = 0;
	unsigned i;

	for (i = 0; i < st->o->nfiles; i++)
		total += st->o->files[i].f.size;
	if (st->o->quiet)
		return;
	if (st->o->json) {
		printf("{\"files\":%u,\"bytes\":%llu,\"seconds\":%.3f,"
		       "\"data\":%llu,\"proactive\":%llu,\"repair\":%llu,"
		       "\"repairs\":%llu,"
		       "\"nacks\":%llu,\"receivers\":%u,"
		       "\"receivers_done\":%u,\"passes\":%u,"
		       "\"nacks_late\":%llu,\"nacks_bad\":%llu,"
		       "\"nacks_dropped\":%llu,\"bad\":%llu,"
		       "\"auth_failed\":%llu,\"stale\":%llu",
		    st->o->nfiles, (unsigned long long)total, secs,
		    (unsigned long long)ss->data,
		    (unsigned long long)ss->proactive,
		    (unsigned long long)ss->repair,
		    (unsigned long long)ss->repairs,
		    (unsigned long long)ss->nacks, ss->receivers,
		    ss->receivers_done, ss->passes,
		    (unsigned long long)ss->nacks_late,
		    (unsigned long long)ss->nacks_bad,
		    (unsigned long long)ss->nacks_dropped,
		    (unsigned long long)file_bad_sum(ss->bad),
		    (unsigned long long)st->fs.auth_failed,
		    (unsigned long long)st->fs.stale);
		if (st->o->c.cc_tfmcc)
			printf(",\"cc\":\"tfmcc\",\"rate_bps\":%llu,"
			       "\"clr\":\"%08x\",\"feedback\":%llu,"
			       "\"clr_changes\":%llu,\"halvings\":%llu",
			    (unsigned long long)ss->rate_bps, ss->clr,
			    (unsigned long long)ss->feedback,
			    (unsigned long long)ss->clr_changes,
			    (unsigned long long)ss->halvings);
		printf("}\n");
		return;
	}
	printf("sent %u file%s, %llu bytes in %.1f s: %llu data and %llu "
	       "repair symbols for %llu NACK%s; %u of %u receiver%s heard "
	       "from done\n",
	    st->o->nfiles, plural_s(st->o->nfiles), (unsigned long long)total,
	    secs, (unsigned long long)ss->data, (unsigned long long)ss->repair,
	    (unsigned long long)ss->nacks, plural_s(ss->nacks),
	    ss->receivers_done, ss->receivers, plural_s(ss->receivers));
}

/* --announce: the session's SDP on the SAP group of its scope. */
static struct sap_ann *
send_announce(const struct send_opts *o, struct loop *l)
{
	struct file_announce fa;
	unsigned i;

	memset(&fa, 0, sizeof(fa));
	fa.name = o->announce_name;
	fa.group = &o->group;
	fa.iface = o->has_iface ? &o->iface : NULL;
	fa.ttl = o->ttl;
	fa.session = o->c.session;
	fa.files = o->nfiles;
	for (i = 0; i < o->nfiles; i++)
		fa.bytes += o->files[i].f.size;
	fa.sealed = o->key_path != NULL;
	if (!o->quiet && !o->json)
		fprintf(stderr,
		    "mcast: announcing \"%s\" (SAP) while it runs\n",
		    o->announce_name);
	return file_announce_start(&fa, l);
}

int
file_send_main(int argc, char **argv)
{
	struct rmc_send_file *files;
	struct send_opts o;
	struct send_state st;
	struct sap_ann *ann = NULL;
	unsigned i;
	int error, rc;

	send_parse(argc, argv, &o);
	memset(&st, 0, sizeof(st));
	if (o.key_path)
		file_sock_key(&st.fs, o.key_path);
	send_prepare(&o);
	if (o.key_path)
		o.c.packet_extra = RMC_SEAL_OVERHEAD; /* the cap counts it */
	st.o = &o;
	o.c.session = random_u32();
	if ((files = calloc(o.nfiles ? o.nfiles : 1, sizeof(*files))) == NULL) {
		fprintf(stderr, "mcast: out of memory\n");
		return 1;
	}
	for (i = 0; i < o.nfiles; i++)
		files[i] = o.files[i].f;
	file_sock_open(&st.fs, o.label, &o.group, o.has_iface ? &o.iface : NULL,
	    o.ttl);
	/*
	 * Joined for the receivers' feedback, the socket would get every
	 * packet it sends back too: at a high rate they filled its buffer
	 * and NACKs were lost with them (RcvbufErrors), repairs stalled.
	 */
	if (!o.loop &&
	    (error = mc_set_loop(st.fs.fd, o.group.ip.family, false)) < 0) {
		fprintf(stderr, "mcast: cannot turn loopback off on %s: %s\n",
		    o.label, mc_strerror(error));
		return 1;
	}
	st.loop = tool_loop_new();
	st.s = rmc_send_new(&o.c, files, o.nfiles, loop_now(st.loop), &error);
	free(files);
	if (st.s == NULL) {
		fprintf(stderr, "mcast: cannot start the session: %s\n",
		    strerror(-error));
		return 1;
	}
	if (o.announce)
		ann = send_announce(&o, st.loop);
	st.start_ns = now_monotonic_ns();
	file_progress_init(&st.progress, !o.quiet && !o.json);
	file_sock_run(&st.fs, st.loop, SEND_BUDGET, send_rx, send_deadline,
	    send_timer, &st);
	file_progress_end(&st.progress);
	sap_ann_stop(ann); /* the deletion */
	send_report(&st);
	rc = rmc_send_done(st.s) &&
		rmc_send_stats(st.s)->receivers_done ==
		    rmc_send_stats(st.s)->receivers ?
	    0 :
	    EXIT_LOSS;
	loop_free(st.loop);
	close(st.fs.fd);
	rmc_send_free(st.s);
	for (i = 0; i < o.nfiles; i++) {
		close(o.files[i].fd);
		free(o.files[i].path);
		free((char *)o.files[i].f.name);
	}
	free(o.files);
	free(o.announce_name);
	free(st.block);
	return rc;
}
