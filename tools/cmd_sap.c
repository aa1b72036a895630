/*
 * mcast sap listen: join the SAP groups of the chosen scopes (RFC 2974 3)
 * and keep a live session directory (proto/sap_dir.c): a table on a
 * terminal, one line per change otherwise, one JSON object per change with
 * --json; --once lists what was heard and exits.  `mcast sap announce` is
 * in sap_announce.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "loop.h"
#include "sap.h"
#include "sap_dir.h"
#include "tool.h"

#define SAP_LISTEN_BUDGET 256
/* On a terminal, the table is redrawn this often (its ages move). */
#define SAP_LISTEN_REFRESH_MS 1000

static const struct {
	const char *group;
	unsigned scope;
} sap_listen_groups[] = {
	{ SAP_V4_GLOBAL, SAP_SCOPE_GLOBAL },
	{ SAP_V4_ADMIN_LOCAL, SAP_SCOPE_ADMIN },
	{ SAP_V4_ADMIN_ORG, SAP_SCOPE_ADMIN },
	{ "ff02::2:7ffe", SAP_SCOPE_IPV6 }, /* RFC 2974 3: FF0X::2:7FFE */
	{ "ff05::2:7ffe", SAP_SCOPE_IPV6 },
	{ "ff08::2:7ffe", SAP_SCOPE_IPV6 },
	{ "ff0e::2:7ffe", SAP_SCOPE_IPV6 },
};

struct sap_listen {
	struct mc_iface iface;
	bool has_iface, json, tty;
	const char *cache; /* --cache DIR */
	unsigned scopes;
	double once_s, timeout_s;
	struct loop *loop;
	struct sap_dir *dir;
	mc_time_t end_ms;
	mc_time_t refresh_ms; /* the table's next redraw (ages), 0: none */
	int fds[SAP_MAX_GROUPS];
	int nfds;
	bool changed;
	/* One stored description parsed again to print it. */
	struct sdp_session sdp;
	char arena[SDP_ARENA_SIZE(SAP_WIRE_MAX_INFLATED)];
};

void
sap_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast sap listen [-i IF] [--scope global|admin|ipv6|all] "
	    "[--json]\n"
	    "                        [--once DURATION] [--timeout DURATION]\n"
	    "                        [--cache DIR]\n"
	    "       mcast sap announce [-i IF] [-t TTL] "
	    "[--interval auto|SECONDS]\n"
	    "                        [--bandwidth BITS] [--profile rfc|aes67]\n"
	    "                        [--sap-group GROUP] FILE.sdp...\n"
	    "listen:\n"
	    "  -i IF            join on this interface\n"
	    "  --scope S        global (224.2.127.254), admin (239.255.255.255,\n"
	    "                   239.195.255.255), ipv6 (ff0X::2:7ffe), all;\n"
	    "                   default global and admin\n"
	    "  --json           one JSON object per change\n"
	    "  --once DURATION  listen that long, list what was heard, exit\n"
	    "  --timeout D      forget a session not heard for D (default: RFC\n"
	    "                   2974's, the larger of 10 intervals and 1 hour)\n"
	    "  --cache DIR      keep each session's SDP in DIR (KEY.sdp),\n"
	    "                   for recv --session --sap-cache DIR\n"
	    "announce:\n"
	    "  -i IF            send on this interface\n"
	    "  -t TTL           announcement TTL (default: the c= TTL)\n"
	    "  --interval I     auto (RFC 2974 3.1: 4000 bit/s shared, >= 300 s)"
	    "\n"
	    "                   or SECONDS; +-1/3 jitter either way\n"
	    "  --bandwidth BITS the limit instead of 4000 bit/s, and the 300 s\n"
	    "                   floor scaled by 4000/BITS (scaled runs)\n"
	    "  --profile P      rfc (default) or aes67 (every 30 s)\n"
	    "  --sap-group G    announce on G (default: the SAP group of the\n"
	    "                   c= scope)\n"
	    "  -q               print nothing but errors\n"
	    "  -v               print each announcement sent\n");
}

/* "12s", "3m", "1h" for a person. */
static void
sap_age(char *buf, size_t len, mc_time_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 120000)
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else if (ms < 7200000)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
}

/* Parse e's stored SDP into l->sdp (it was good when stored). */
static const struct sdp_session *
sap_listen_parse(struct sap_listen *l, const struct sap_dir_entry *e)
{
	sdp_parse(e->sdp, e->sdp_len, 0, l->arena, sizeof(l->arena), &l->sdp);
	return &l->sdp;
}

static void
sap_listen_json(struct sap_listen *l, const char *event,
    const struct sap_dir_entry *e, mc_time_t now)
{
	const struct sdp_session *s = sap_listen_parse(l, e);
	char a[MC_IP_STRLEN], b[MC_IP_STRLEN];

	printf("{\"event\":\"%s\",\"name\":", event);
	json_string(stdout, e->name);
	printf(",\"origin\":{\"username\":");
	json_string(stdout, s->origin.username ? s->origin.username : "");
	printf(",\"sess_id\":");
	json_string(stdout, s->origin.sess_id ? s->origin.sess_id : "");
	printf(",\"version\":%llu,\"address\":",
	    (unsigned long long)e->version);
	json_string(stdout, s->origin.addr ? s->origin.addr : "");
	printf("},\"source\":\"%s\",\"announcer\":\"%s\",\"hash\":%u,",
	    mc_ip_str(&e->source, a),
	    e->heard_from.family ? mc_ip_str(&e->heard_from, b) : "", e->hash);
	printf("\"auth_bytes\":%zu,\"compressed\":%s,\"heard\":%lu,"
	       "\"interval_s\":%.1f,\"last_heard_s\":%.1f,"
	       "\"expires_in_s\":%.1f,",
	    e->auth_len, e->compressed ? "true" : "false", e->heard,
	    (double)e->interval_ms / 1000, (double)(now - e->last_heard) / 1000,
	    (double)(sap_dir_expiry(l->dir, e) - now) / 1000);
	if (s->tool) {
		printf("\"tool\":");
		json_string(stdout, s->tool);
		printf(",");
	}
	if (s->ntimes)
		printf("\"start\":%llu,\"stop\":%llu,",
		    (unsigned long long)s->start[0],
		    (unsigned long long)s->stop[0]);
	printf("\"media\":");
	sdp_json_media(stdout, s);
	printf("}\n");
}

static void
sap_listen_line(struct sap_listen *l, const char *event,
    const struct sap_dir_entry *e)
{
	const struct sdp_session *s = sap_listen_parse(l, e);
	char media[512], a[MC_IP_STRLEN], b[MC_IP_STRLEN];
	char name[4 * SDP_MAX_LINE], safe_media[4 * 512], key[4 * SDP_MAX_LINE];

	sdp_media_summary(s, media, sizeof(media));
	printf("%-8s \"%s\" %s (o=%s v%llu, source %s, announcer %s%s)\n",
	    event, text_safe(name, sizeof(name), e->name),
	    text_safe(safe_media, sizeof(safe_media), media),
	    text_safe(key, sizeof(key), e->key), (unsigned long long)e->version,
	    mc_ip_str(&e->source, a),
	    e->heard_from.family ? mc_ip_str(&e->heard_from, b) : "?",
	    e->auth_len ? ", unchecked authentication" : "");
}

static void
sap_listen_table(struct sap_listen *l, mc_time_t now)
{
	const struct sap_dir_entry *e;
	char media[512], a[MC_IP_STRLEN], heard[16], exp[16];
	char name[4 * 24 + 1], safe_media[4 * 512];

	if (l->tty) {
		printf("\033[H\033[2J");
		/* Redrawn once a second: the HEARD and EXPIRES ages move. */
		if (l->once_s <= 0)
			l->refresh_ms = now + SAP_LISTEN_REFRESH_MS;
	}
	printf("%-24s %-52s %-15s %5s %6s %7s\n", "SESSION", "MEDIA",
	    "ANNOUNCER", "VER", "HEARD", "EXPIRES");
	for (e = sap_dir_first(l->dir); e; e = sap_dir_next(e)) {
		sdp_media_summary(sap_listen_parse(l, e), media, sizeof(media));
		sap_age(heard, sizeof(heard), now - e->last_heard);
		sap_age(exp, sizeof(exp), sap_dir_expiry(l->dir, e) - now);
		printf("%-24.24s %-52s %-15s %5llu %6s %7s\n",
		    text_safe(name, sizeof(name), e->name),
		    text_safe(safe_media, sizeof(safe_media), media),
		    mc_ip_str(e->heard_from.family ? &e->heard_from :
						     &e->source,
			a),
		    (unsigned long long)e->version, heard, exp);
	}
	fflush(stdout);
}

static void
sap_listen_event(void *arg, enum sap_dir_event ev,
    const struct sap_dir_entry *e, const struct sdp_session *s)
{
	struct sap_listen *l = arg;

	if (l->cache)
		sap_cache_event(l->cache, ev, e);
	if (l->once_s > 0)
		return; /* listed at the end */
	if (l->json)
		sap_listen_json(l, sap_dir_event_name(ev), e,
		    loop_now(l->loop));
	else if (l->tty)
		l->changed = true;
	else
		sap_listen_line(l, sap_dir_event_name(ev), e);
	fflush(stdout);
}

void
sap_drain(int fd, unsigned budget, struct sap_dir *dir, mc_time_t now)
{
	static uint8_t buf[65536];
	struct sockaddr_storage ss;
	struct mc_ip from;
	socklen_t sl;
	ssize_t n;
	unsigned i;

	for (i = 0; i < budget; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl);
		if (n < 0)
			break;
		mc_ip_from_sockaddr((struct sockaddr *)&ss, &from);
		sap_dir_input(dir, now, buf, (size_t)n, &from);
	}
}

static void
sap_listen_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct sap_listen *l = arg;

	sap_drain(fd, budget, l->dir, loop_now(l->loop));
	if (l->changed) {
		l->changed = false;
		sap_listen_table(l, loop_now(l->loop));
	}
}

static mc_time_t
sap_listen_deadline(void *arg)
{
	struct sap_listen *l = arg;
	mc_time_t next = sap_dir_next_expiry(l->dir);

	if (l->refresh_ms && l->refresh_ms < next)
		next = l->refresh_ms;
	return l->end_ms && l->end_ms < next ? l->end_ms : next;
}

static void
sap_listen_timer(void *arg, mc_time_t now)
{
	struct sap_listen *l = arg;

	sap_dir_expire(l->dir, now);
	if (l->refresh_ms && now >= l->refresh_ms)
		l->changed = true;
	if (l->changed) {
		l->changed = false;
		sap_listen_table(l, now);
	}
	if (l->end_ms && now >= l->end_ms) {
		l->end_ms = MC_TIME_NEVER; /* a deadline past now */
		loop_stop(l->loop);
	}
}

/* What was counted, on stderr (or as a JSON object), if anything odd. */
static void
sap_listen_stats(struct sap_listen *l)
{
	const struct sap_dir_stats *st = sap_dir_stats(l->dir);
	uint64_t bad = st->packets - st->wire[SAP_WIRE_OK];
	unsigned i;

	if (l->json) {
		printf("{\"event\":\"stats\",\"packets\":%llu,\"sessions\":%zu,"
		       "\"bytes\":%zu,\"refreshed\":%llu,\"stale\":%llu,"
		       "\"hash_zero\":%llu,\"with_auth\":%llu,"
		       "\"compressed\":%llu,\"deletion_unknown\":%llu,"
		       "\"sdp_invalid\":%llu",
		    (unsigned long long)st->packets, sap_dir_count(l->dir),
		    sap_dir_bytes(l->dir), (unsigned long long)st->refreshed,
		    (unsigned long long)st->stale,
		    (unsigned long long)st->hash_zero,
		    (unsigned long long)st->with_auth,
		    (unsigned long long)st->compressed,
		    (unsigned long long)st->deletion_unknown,
		    (unsigned long long)st->sdp_invalid);
		for (i = 1; i < SAP_WIRE_ERRORS; i++)
			printf(",\"%s\":%llu", sap_wire_error_name(i),
			    (unsigned long long)st->wire[i]);
		for (i = 0; i < SAP_DIR_EVENTS; i++)
			printf(",\"%s\":%llu", sap_dir_event_name(i),
			    (unsigned long long)st->events[i]);
		printf("}\n");
		return;
	}
	if (bad == 0 && st->sdp_invalid == 0)
		return;
	fprintf(stderr, "mcast: %llu of %llu SAP packets not read:",
	    (unsigned long long)(bad + st->sdp_invalid),
	    (unsigned long long)st->packets);
	for (i = 1; i < SAP_WIRE_ERRORS; i++)
		if (st->wire[i])
			fprintf(stderr, " %s %llu", sap_wire_error_name(i),
			    (unsigned long long)st->wire[i]);
	if (st->sdp_invalid)
		fprintf(stderr, " bad-sdp %llu",
		    (unsigned long long)st->sdp_invalid);
	fprintf(stderr, "\n");
}

static void
sap_listen_parse_opts(int argc, char **argv, struct sap_listen *l)
{
	static const struct option longopts[] = { { "scope", required_argument,
						      NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "once", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "cache", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *iface_text = NULL, *scope_text = NULL;
	int c;

	l->scopes = SAP_SCOPE_GLOBAL | SAP_SCOPE_ADMIN;
	while ((c = getopt_long(argc, argv, ":i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &l->iface);
			l->has_iface = true;
			break;
		case 's':
			option_once(&scope_text, "--scope", optarg, "scope");
			l->scopes = sap_parse_scope(optarg);
			break;
		case 'j':
			l->json = true;
			break;
		case 'o':
			l->once_s = parse_duration(optarg, "--once duration");
			break;
		case 'T':
			l->timeout_s = parse_duration(optarg, "timeout");
			break;
		case 'C':
			option_once(&l->cache, "--cache", optarg, "directory");
			if (access(optarg, W_OK | X_OK) != 0)
				usage_error("--cache %s: %s: expected a "
					    "directory we may write",
				    optarg, strerror(errno));
			break;
		case 'h':
			sap_usage(stdout);
			exit(0);
		default:
			option_error("sap listen", c, argv);
		}
	}
	if (optind != argc)
		usage_error("sap listen takes no operand, not '%s': "
			    "expected options only",
		    argv[optind]);
}

unsigned
sap_parse_scope(const char *text)
{
	if (strcmp(text, "global") == 0)
		return SAP_SCOPE_GLOBAL;
	if (strcmp(text, "admin") == 0)
		return SAP_SCOPE_ADMIN;
	if (strcmp(text, "ipv6") == 0)
		return SAP_SCOPE_IPV6;
	if (strcmp(text, "all") == 0)
		return SAP_SCOPE_GLOBAL | SAP_SCOPE_ADMIN | SAP_SCOPE_IPV6;
	usage_error("scope '%s': expected global, admin, ipv6 or all", text);
}

int
sap_join_scopes(unsigned scopes, const struct mc_iface *iface, int *fds,
    char *names, size_t names_len)
{
	struct mc_endpoint ep;
	char err[160];
	size_t i, off = 0;
	int fd, rc, nfds = 0;
	unsigned ifindex = iface ? iface->index : 0;

	if (names_len)
		names[0] = '\0';
	for (i = 0;
	     i < sizeof(sap_listen_groups) / sizeof(sap_listen_groups[0]);
	     i++) {
		if (!(sap_listen_groups[i].scope & scopes))
			continue;
		mc_ip_parse(sap_listen_groups[i].group, &ep.ip);
		ep.port = SAP_PORT;
		fd = mc_socket_rx(&ep, ifindex, 0);
		rc = fd < 0 ? fd : mc_join(fd, &ep.ip, ifindex, NULL);
		if (rc < 0) {
			snprintf(err, sizeof(err), "%s", mc_strerror(rc));
			warning("cannot join %s%s%s: %s%s",
			    sap_listen_groups[i].group, iface ? " on " : "",
			    iface ? iface->name : "", err,
			    no_iface_hint(&ep.ip, rc, iface != NULL));
			if (fd >= 0)
				close(fd);
			continue;
		}
		fds[nfds++] = fd;
		if (off < names_len)
			off += (size_t)snprintf(names + off, names_len - off,
			    "%s%s", off ? ", " : "",
			    sap_listen_groups[i].group);
	}
	if (nfds == 0) {
		fprintf(stderr, "mcast: no SAP group joined\n");
		exit(1);
	}
	return nfds;
}

int
sap_listen(int argc, char **argv)
{
	struct sap_listen *l = calloc(1, sizeof(*l));
	struct sap_dir_config cfg;
	const struct sap_dir_entry *e;
	int i, src;

	if (l == NULL)
		usage_error("out of memory");
	sap_listen_parse_opts(argc, argv, l);
	l->tty = !l->json && isatty(STDOUT_FILENO);
	memset(&cfg, 0, sizeof(cfg));
	cfg.timeout_ms = (mc_time_t)(l->timeout_s * 1000);
	l->dir = sap_dir_new(&cfg, sap_listen_event, l);
	if (l->dir == NULL)
		usage_error("out of memory");
	l->nfds = sap_join_scopes(l->scopes, l->has_iface ? &l->iface : NULL,
	    l->fds, NULL, 0);
	l->loop = tool_loop_new();
	if (l->once_s > 0)
		l->end_ms = loop_now(l->loop) + (mc_time_t)(l->once_s * 1000);
	for (i = 0; i < l->nfds; i++)
		if (loop_fd_add(l->loop, l->fds[i], LOOP_IN, SAP_LISTEN_BUDGET,
			sap_listen_readable, l) < 0)
			usage_error("cannot watch a socket");
	src = loop_source_add(l->loop, sap_listen_deadline, sap_listen_timer,
	    l);
	if (src < 0)
		usage_error("cannot start a timer");
	if (l->tty && l->once_s <= 0)
		sap_listen_table(l, loop_now(l->loop));
	tool_loop_run(l->loop);
	if (l->once_s > 0) {
		mc_time_t now = loop_now(l->loop);

		if (l->json)
			for (e = sap_dir_first(l->dir); e; e = sap_dir_next(e))
				sap_listen_json(l, "heard", e, now);
		else {
			l->tty = false;
			sap_listen_table(l, now);
		}
	}
	sap_listen_stats(l);
	fflush(stdout);
	loop_source_del(l->loop, src);
	for (i = 0; i < l->nfds; i++) {
		loop_fd_del(l->loop, l->fds[i]);
		close(l->fds[i]);
	}
	loop_free(l->loop);
	sap_dir_free(l->dir);
	free(l);
	return 0;
}

int
cmd_sap(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "listen") == 0)
		return sap_listen(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "announce") == 0)
		return sap_announce(argc - 1, argv + 1);
	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		sap_usage(stdout);
		return 0;
	}
	usage_error(
	    "sap needs a command: expected 'listen' or 'announce'%s%s%s",
	    argc >= 2 ? ", not '" : "", argc >= 2 ? argv[1] : "",
	    argc >= 2 ? "'" : "");
}
