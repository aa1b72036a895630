/*
 * mcast sap announce FILE.sdp...: check each description (the scopes of
 * its c= lines, its SAP group and TTL must agree), then announce it with
 * RFC 2974 3.1's timing (proto/sap_timer.c), hearing the other
 * announcements on the group (proto/sap_dir.c) for the bandwidth share.
 * A changed file is announced again with a newer o= version; SIGINT or
 * SIGTERM sends a deletion for each.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "loop.h"
#include "sap.h"
#include "sap_dir.h"
#include "sap_timer.h"
#include "tool.h"

#define SAP_ANN_MAX_FILES  128
#define SAP_ANN_MAX_GROUPS 8
#define SAP_ANN_WATCH_MS   1000 /* how often files are looked at */

struct sap_group_rx {
	struct mc_ip group;
	int rx_fd; /* -1: could not join: only our own count */
	struct sap_dir *dir;
};

struct sap_ann_file {
	const char *path; /* the file, or the label of a caller's text */
	bool watched;	  /* a file: announced again when it changes */
	struct timespec mtime;
	char *payload; /* what is announced (o= version maybe raised) */
	size_t payload_len;
	char *name;
	uint64_t version;
	struct sap_group_rx *grp;
	int ttl;
	uint16_t hash;
	uint8_t pkt[SAP_WIRE_MAX_HEADER + SDP_MAX_TEXT];
	size_t pkt_len;
	struct sap_timer timer;
	unsigned long sent;
};

struct sap_ann {
	struct mc_iface iface;
	bool has_iface, quiet, verbose;
	int ttl; /* -t, -1: the c= TTL */
	struct sap_timer timer_proto;
	bool has_group;
	struct mc_ip group; /* --sap-group */
	struct loop *loop;
	int tx4, tx6;
	struct sap_ann_file files[SAP_ANN_MAX_FILES];
	int nfiles;
	struct sap_group_rx groups[SAP_ANN_MAX_GROUPS];
	int ngroups;
	mc_time_t next_watch;
	int source; /* the loop's deadline source */
	struct sdp_session sdp;
};

/* The origin: the address our packets to group leave from. */
static void
sap_ann_origin(const struct sap_ann *a, const struct mc_ip *group,
    struct mc_ip *out)
{
	struct mc_endpoint ep = { *group, SAP_PORT };
	struct sockaddr_storage ss, local;
	socklen_t sl, ll = sizeof(local);
	int fd;

	if (a->has_iface && a->iface.has_v4 && group->family == AF_INET) {
		out->family = AF_INET;
		out->u.v4 = a->iface.v4;
		return;
	}
	fd = mc_socket_tx(group->family, 0, 0);
	if (fd >= 0 && a->has_iface)
		mc_set_out_iface(fd, group->family, a->iface.index);
	mc_endpoint_to_sockaddr(&ep, &ss, &sl);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0 ||
	    getsockname(fd, (struct sockaddr *)&local, &ll) < 0) {
		char g[MC_IP_STRLEN];

		fprintf(stderr,
		    "mcast: cannot find a source address towards %s: %s%s\n",
		    mc_ip_str(group, g), strerror(errno),
		    no_iface_hint(group, -errno, a->has_iface));
		exit(1);
	}
	close(fd);
	mc_ip_from_sockaddr((struct sockaddr *)&local, out);
}

static struct sap_group_rx *
sap_ann_group(struct sap_ann *a, const struct mc_ip *group)
{
	struct sap_group_rx *g;
	struct mc_endpoint ep = { *group, SAP_PORT };
	unsigned ifindex = a->has_iface ? a->iface.index : 0;
	int i;

	for (i = 0; i < a->ngroups; i++)
		if (mc_ip_equal(&a->groups[i].group, group))
			return &a->groups[i];
	if (a->ngroups == SAP_ANN_MAX_GROUPS)
		usage_error("more than %d SAP groups", SAP_ANN_MAX_GROUPS);
	g = &a->groups[a->ngroups++];
	g->group = *group;
	g->dir = sap_dir_new(NULL, NULL, NULL);
	if (g->dir == NULL)
		usage_error("out of memory");
	g->rx_fd = mc_socket_rx(&ep, ifindex, 0);
	if (g->rx_fd >= 0 && mc_join(g->rx_fd, group, ifindex, NULL) < 0) {
		close(g->rx_fd);
		g->rx_fd = -1;
	}
	if (g->rx_fd < 0) {
		char s[MC_IP_STRLEN];

		warning("cannot listen on %s: the interval counts only our "
			"announcements",
		    mc_ip_str(group, s));
	}
	return g;
}

/*
 * RFC 8866 5: lines end with CRLF on the wire (a file may have LF only):
 * the new length of *text.
 */
static long
sap_ann_crlf(char **text, long len)
{
	char *in = *text, *out = malloc((size_t)len * 2 + 1);
	long i, n = 0;

	if (out == NULL)
		usage_error("out of memory");
	for (i = 0; i < len; i++) {
		if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r'))
			out[n++] = '\r';
		out[n++] = in[i];
	}
	out[n] = '\0'; /* read as a string below */
	free(in);
	*text = out;
	return n;
}

/*
 * Read and check f->path; on success replace what f announces.  A version
 * not newer than the one announced is raised past it.  0, or -1 with the
 * diagnostics printed.
 */
static int
sap_ann_load_text(struct sap_ann *a, struct sap_ann_file *f, char *text,
    long len, bool first)
{
	char *arena, group_s[MC_IP_STRLEN];
	struct sdp_session *s = &a->sdp;
	struct mc_ip group, origin;
	struct sap_build b;
	int ttl = a->ttl, maxttl = -1;
	unsigned i;

	len = sap_ann_crlf(&text, len);
	arena = malloc(SDP_ARENA_SIZE((size_t)len));
	if (arena == NULL)
		usage_error("out of memory");
	sdp_parse(text, (size_t)len, SDP_MULTICAST, arena,
	    SDP_ARENA_SIZE((size_t)len), s);
	if (s->nerrors == 0) {
		if (a->has_group)
			group = a->group;
		else if (sdp_sap_group(s, &group) < 0)
			group = s->conn.present ? s->conn.addr :
						  s->media[0].conn.addr;
		if (s->conn.present && s->conn.ttl > maxttl)
			maxttl = s->conn.ttl;
		for (i = 0; i < s->nmedia; i++)
			if (s->media[i].conn.present &&
			    s->media[i].conn.ttl > maxttl)
				maxttl = s->media[i].conn.ttl;
		if (ttl < 0)
			ttl = maxttl >= 0 ? maxttl : 16;
		sdp_check_scope(s, &group, ttl);
	}
	sdp_print_diags(stderr, f->path, s);
	if (s->nerrors) {
		fprintf(stderr, "mcast: %s: %u error%s: %s\n", f->path,
		    s->nerrors, plural_s(s->nerrors),
		    first ? "not announced" : "the previous version stays");
		free(arena);
		free(text);
		return -1;
	}
	if (!first && !mc_ip_equal(&group, &f->grp->group)) {
		fprintf(stderr,
		    "mcast: %s: its SAP group changed to %s: expected %s; the "
		    "previous version stays\n",
		    f->path, mc_ip_str(&group, group_s), "the same group");
		free(arena);
		free(text);
		return -1;
	}
	free(f->payload);
	free(f->name);
	f->name = strdup(s->name);
	if (!first && s->origin.sess_version <= f->version) {
		/* Rewrite the o= line with the next version. */
		char *o = strncmp(text, "o=", 2) == 0 ?
		    text :
		    strstr(text, "\no=") + 1;
		char *eol;
		char line[SDP_MAX_LINE + 64];
		size_t before, after_off, nlen;
		uint64_t v = f->version + 1;

		eol = o + strcspn(o, "\r\n");
		nlen = (size_t)snprintf(line, sizeof(line),
		    "o=%s %s %" PRIu64 " %s %s %s", s->origin.username,
		    s->origin.sess_id, v, s->origin.nettype, s->origin.addrtype,
		    s->origin.addr);
		before = (size_t)(o - text);
		after_off = (size_t)(eol - text);
		f->payload = malloc((size_t)len + nlen + 1);
		if (f->payload == NULL)
			usage_error("out of memory");
		memcpy(f->payload, text, before);
		memcpy(f->payload + before, line, nlen);
		memcpy(f->payload + before + nlen, text + after_off,
		    (size_t)len - after_off);
		f->payload_len = before + nlen + (size_t)len - after_off;
		f->payload[f->payload_len] = '\0';
		warning("%s: o= version %" PRIu64 " is not newer than %" PRIu64
			": announced as %" PRIu64,
		    f->path, s->origin.sess_version, f->version, v);
		f->version = v;
		free(text);
	} else {
		f->payload = text;
		f->payload_len = (size_t)len;
		f->version = s->origin.sess_version;
	}
	free(arena);
	if (first)
		f->grp = sap_ann_group(a, &group);
	f->ttl = ttl;
	sap_ann_origin(a, &group, &origin);
	memset(&b, 0, sizeof(b));
	b.origin = origin;
	b.hash = sap_wire_hash(&origin, (const uint8_t *)f->payload,
	    f->payload_len);
	b.with_type = true;
	b.payload = (const uint8_t *)f->payload;
	b.payload_len = f->payload_len;
	f->hash = b.hash;
	f->pkt_len = sap_wire_build(&b, f->pkt, sizeof(f->pkt));
	return 0;
}

/* f->path read (its time noted) and loaded: 0, or -1 with a message. */
static int
sap_ann_load(struct sap_ann *a, struct sap_ann_file *f, bool first)
{
	char err[300], *text;
	struct stat st;
	long len;

	if (stat(f->path, &st) == 0)
		f->mtime = st.st_mtim;
	len = sdp_file_read(f->path, &text, err, sizeof(err));
	if (len < 0) {
		fprintf(stderr, "mcast: %s\n", err);
		return -1;
	}
	return sap_ann_load_text(a, f, text, len, first);
}

static void
sap_ann_send(struct sap_ann *a, struct sap_ann_file *f, const uint8_t *pkt,
    size_t len, const char *what)
{
	struct mc_endpoint ep = { f->grp->group, SAP_PORT };
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = ep.ip.family == AF_INET6 ? a->tx6 : a->tx4;
	char g[MC_IP_STRLEN];

	mc_set_ttl(fd, ep.ip.family, f->ttl);
	mc_endpoint_to_sockaddr(&ep, &ss, &sl);
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&ss, sl) < 0)
		warning("cannot send the %s of %s to %s: %s", what, f->path,
		    mc_ip_str(&ep.ip, g), strerror(errno));
	else if (a->verbose)
		printf("sent %s of \"%s\" v%" PRIu64 " (%zu bytes)\n", what,
		    f->name, f->version, len);
}

/* Our own announcements on f's group and what was heard there. */
static uint64_t
sap_ann_total(const struct sap_ann *a, const struct sap_ann_file *f)
{
	uint64_t total = sap_dir_wire_bytes(f->grp->dir);
	int i;

	for (i = 0; i < a->nfiles; i++)
		if (a->files[i].grp == f->grp)
			total += a->files[i].pkt_len;
	return total;
}

static void
sap_ann_announce(struct sap_ann *a, struct sap_ann_file *f, mc_time_t now)
{
	sap_ann_send(a, f, f->pkt, f->pkt_len, "announcement");
	f->sent++;
	sap_timer_schedule(&f->timer, now, sap_ann_total(a, f), random_u32());
}

/* Is this packet one of ours (origin and hash)? */
static bool
sap_ann_ours(const struct sap_ann *a, const uint8_t *p, size_t len)
{
	int i;

	for (i = 0; i < a->nfiles; i++)
		if (len >= 8 && a->files[i].pkt_len >= 8 &&
		    memcmp(p + 2, a->files[i].pkt + 2,
			(p[0] & 0x10) ? 18 : 6) == 0)
			return true;
	return false;
}

static void
sap_ann_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct sap_group_rx *g = NULL;
	struct sap_ann *a = arg;
	static uint8_t buf[65536];
	struct sockaddr_storage ss;
	struct mc_ip from;
	socklen_t sl;
	ssize_t n;
	unsigned i;
	int j;

	for (j = 0; j < a->ngroups; j++)
		if (a->groups[j].rx_fd == fd)
			g = &a->groups[j];
	for (i = 0; g && i < budget; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl);
		if (n < 0)
			break;
		if (sap_ann_ours(a, buf, (size_t)n))
			continue;
		mc_ip_from_sockaddr((struct sockaddr *)&ss, &from);
		sap_dir_input(g->dir, loop_now(a->loop), buf, (size_t)n, &from);
	}
}

static mc_time_t
sap_ann_deadline(void *arg)
{
	struct sap_ann *a = arg;
	mc_time_t next = a->next_watch;
	int i;

	for (i = 0; i < a->nfiles; i++)
		if (a->files[i].timer.tn < next)
			next = a->files[i].timer.tn;
	return next;
}

static void
sap_ann_timer(void *arg, mc_time_t now)
{
	struct sap_ann *a = arg;
	struct sap_ann_file *f;
	struct stat st;
	int i;

	if (now >= a->next_watch) {
		a->next_watch = now + SAP_ANN_WATCH_MS;
		for (i = 0; i < a->ngroups; i++)
			sap_dir_expire(a->groups[i].dir, now);
		for (i = 0; i < a->nfiles; i++) {
			f = &a->files[i];
			if (!f->watched || stat(f->path, &st) < 0 ||
			    (st.st_mtim.tv_sec == f->mtime.tv_sec &&
				st.st_mtim.tv_nsec == f->mtime.tv_nsec))
				continue;
			if (sap_ann_load(a, f, false) == 0) {
				if (!a->quiet)
					printf("announcing \"%s\" v%" PRIu64
					       " (%s changed)\n",
					    f->name, f->version, f->path);
				sap_ann_announce(a, f, now);
			}
		}
	}
	for (i = 0; i < a->nfiles; i++) {
		f = &a->files[i];
		/* RFC 2974 3.1: at tn, compute tn again; send if it passed. */
		if (f->timer.tn <= now &&
		    sap_timer_reconsider(&f->timer, now, sap_ann_total(a, f)))
			sap_ann_announce(a, f, now);
	}
	fflush(stdout);
}

/* RFC 2974 6: a deletion carries the o= line of the session. */
static void
sap_ann_delete(struct sap_ann *a, struct sap_ann_file *f)
{
	const char *o = f->payload;
	struct sap_build b;
	uint8_t pkt[SAP_WIRE_MAX_HEADER + SDP_MAX_LINE + 64];
	size_t olen, len;

	while (o && strncmp(o, "o=", 2) != 0)
		o = (o = strchr(o, '\n')) ? o + 1 : NULL;
	if (o == NULL)
		return;
	olen = strcspn(o, "\n");
	if (o[olen] == '\n')
		olen++;
	memset(&b, 0, sizeof(b));
	b.origin.family = (f->pkt[0] & 0x10) ? AF_INET6 : AF_INET;
	memcpy(b.origin.family == AF_INET6 ? (void *)&b.origin.u.v6 :
					     (void *)&b.origin.u.v4,
	    f->pkt + 4, b.origin.family == AF_INET6 ? 16 : 4);
	b.hash = f->hash;
	b.deletion = true;
	b.with_type = true;
	b.payload = (const uint8_t *)o;
	b.payload_len = olen;
	len = sap_wire_build(&b, pkt, sizeof(pkt));
	if (len)
		sap_ann_send(a, f, pkt, len, "deletion");
}

static void
sap_ann_opts(int argc, char **argv, struct sap_ann *a)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'I' },
		{ "profile", required_argument, NULL, 'P' },
		{ "sap-group", required_argument, NULL, 'g' },
		{ "bandwidth", required_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *iface_text = NULL, *interval = NULL, *profile = NULL;
	const char *bandwidth = NULL;
	uint64_t bits;
	int c;

	while ((c = getopt_long(argc, argv, ":i:t:qvh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &a->iface);
			a->has_iface = true;
			break;
		case 't':
			a->ttl = parse_ttl(optarg);
			break;
		case 'I':
			option_once(&interval, "--interval", optarg,
			    "interval");
			if (strcmp(optarg, "auto") != 0) {
				a->timer_proto.profile = SAP_TIMER_FIXED;
				a->timer_proto.fixed_ms =
				    (mc_time_t)(parse_duration(optarg,
						    "interval") *
					1000);
				if (a->timer_proto.fixed_ms < 1)
					a->timer_proto.fixed_ms = 1;
			}
			break;
		case 'P':
			option_once(&profile, "--profile", optarg, "profile");
			if (strcmp(optarg, "aes67") == 0)
				a->timer_proto.profile = SAP_TIMER_AES67;
			else if (strcmp(optarg, "rfc") != 0)
				usage_error("profile '%s': expected rfc or "
					    "aes67",
				    optarg);
			break;
		case 'B':
			option_once(&bandwidth, "--bandwidth", optarg,
			    "bandwidth");
			bits = parse_count(optarg, "bandwidth");
			if (bits < 100 || bits > 100000000)
				usage_error("--bandwidth %s: expected 100 to "
					    "100M (bit/s)",
				    optarg);
			/* The limit, and the 300 s floor scaled with it. */
			a->timer_proto.limit_bps = (unsigned)bits;
			a->timer_proto.min_interval_ms =
			    (mc_time_t)((uint64_t)SAP_TIMER_MIN_INTERVAL_MS *
				SAP_TIMER_LIMIT_BPS / bits);
			if (a->timer_proto.min_interval_ms < 1)
				a->timer_proto.min_interval_ms = 1;
			break;
		case 'g':
			parse_group(optarg, &a->group);
			a->has_group = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			sap_usage(stdout);
			exit(0);
		default:
			option_error("sap announce", c, argv);
		}
	}
	if (bandwidth && (profile || (interval && strcmp(interval, "auto"))))
		usage_error("--bandwidth %s with %s %s: expected RFC 2974's "
			    "timing (--interval auto, --profile rfc)",
		    bandwidth, profile ? "--profile" : "--interval",
		    profile ? profile : interval);
	if (interval && profile && strcmp(interval, "auto") != 0)
		usage_error("--interval %s and --profile %s: expected one of "
			    "them",
		    interval, profile);
	if (optind == argc)
		usage_error("sap announce needs at least one FILE.sdp");
	if (argc - optind > SAP_ANN_MAX_FILES)
		usage_error("%d files: expected at most %d", argc - optind,
		    SAP_ANN_MAX_FILES);
}

struct sap_ann *
sap_ann_new(const struct mc_iface *iface, int ttl, bool quiet)
{
	struct sap_ann *a = calloc(1, sizeof(*a));

	if (a == NULL)
		usage_error("out of memory");
	if (iface) {
		a->iface = *iface;
		a->has_iface = true;
	}
	a->ttl = ttl;
	a->quiet = quiet;
	a->timer_proto.profile = SAP_TIMER_RFC;
	a->tx4 = a->tx6 = -1;
	return a;
}

void
sap_ann_source(const struct sap_ann *a, const struct mc_ip *group,
    struct mc_ip *out)
{
	sap_ann_origin(a, group, out);
}

int
sap_ann_add(struct sap_ann *a, const char *label, char *text, size_t len)
{
	struct sap_ann_file *f;

	if (a->nfiles == SAP_ANN_MAX_FILES)
		usage_error("more than %d sessions to announce",
		    SAP_ANN_MAX_FILES);
	f = &a->files[a->nfiles];
	f->path = label;
	f->timer = a->timer_proto;
	if (sap_ann_load_text(a, f, text, (long)len, true) < 0)
		return -1;
	a->nfiles++;
	return 0;
}

void
sap_ann_start(struct sap_ann *a, struct loop *l)
{
	char g[MC_IP_STRLEN];
	mc_time_t now;
	int i;

	a->tx4 = mc_socket_tx(AF_INET, 0, 0);
	a->tx6 = mc_socket_tx(AF_INET6, 0, 0);
	if (a->has_iface) {
		if (a->tx4 >= 0)
			mc_set_out_iface(a->tx4, AF_INET, a->iface.index);
		if (a->tx6 >= 0)
			mc_set_out_iface(a->tx6, AF_INET6, a->iface.index);
	}
	a->loop = l;
	now = loop_now(a->loop);
	a->next_watch = now + SAP_ANN_WATCH_MS;
	for (i = 0; i < a->ngroups; i++)
		if (a->groups[i].rx_fd >= 0)
			loop_fd_add(a->loop, a->groups[i].rx_fd, LOOP_IN, 64,
			    sap_ann_readable, a);
	for (i = 0; i < a->nfiles; i++) {
		struct sap_ann_file *f = &a->files[i];

		sap_ann_announce(a, f, now);
		if (!a->quiet)
			printf("announcing \"%s\" v%" PRIu64 " (%s) on %s:%d "
			       "TTL %d, next in %.1f s\n",
			    f->name, f->version, f->path,
			    mc_ip_str(&f->grp->group, g), SAP_PORT, f->ttl,
			    (double)(f->timer.tn - now) / 1000);
	}
	fflush(stdout);
	a->source = loop_source_add(a->loop, sap_ann_deadline, sap_ann_timer,
	    a);
	if (a->source < 0)
		usage_error("cannot start a timer");
}

/* Closes and frees what a holds (after sap_ann_stop, or instead). */
static void
sap_ann_free(struct sap_ann *a)
{
	int i;

	for (i = 0; i < a->ngroups; i++) {
		if (a->groups[i].rx_fd >= 0) {
			if (a->loop)
				loop_fd_del(a->loop, a->groups[i].rx_fd);
			close(a->groups[i].rx_fd);
		}
		sap_dir_free(a->groups[i].dir);
	}
	for (i = 0; i < a->nfiles; i++) {
		free(a->files[i].payload);
		free(a->files[i].name);
	}
	if (a->tx4 >= 0)
		close(a->tx4);
	if (a->tx6 >= 0)
		close(a->tx6);
	free(a);
}

void
sap_ann_stop(struct sap_ann *a)
{
	int i;

	if (a == NULL)
		return;
	if (a->loop == NULL) { /* not started: nothing was announced */
		sap_ann_free(a);
		return;
	}
	for (i = 0; i < a->nfiles; i++)
		sap_ann_delete(a, &a->files[i]);
	if (!a->quiet)
		printf("deleted %d session%s\n", a->nfiles,
		    plural_s((unsigned)a->nfiles));
	loop_source_del(a->loop, a->source);
	sap_ann_free(a);
}

int
sap_announce(int argc, char **argv)
{
	struct sap_ann *a = sap_ann_new(NULL, -1, false);
	struct loop *l;
	int i, status = 0;

	sap_ann_opts(argc, argv, a);
	for (i = optind; i < argc; i++) {
		struct sap_ann_file *f = &a->files[a->nfiles++];

		f->path = argv[i];
		f->watched = true;
		f->timer = a->timer_proto;
		if (sap_ann_load(a, f, true) < 0)
			status = 1;
	}
	if (status) {
		sap_ann_free(a);
		return 1;
	}
	l = tool_loop_new();
	sap_ann_start(a, l);
	tool_loop_run(l);
	sap_ann_stop(a);
	loop_free(l);
	return 0;
}
