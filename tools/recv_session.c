/*
 * mcast recv --sdp FILE and --session NAME-OR-ID: the groups, ports,
 * sources and kinds of what a session description (RFC 8866) says, for
 * tools/cmd_recv.c to join.  --session listens on the SAP groups (RFC 2974,
 * the session directory of proto/sap_dir.c) until the session is heard.
 *
 * Each medium gives a group per c= address (/N: N consecutive) and a port
 * per m= port (/N: N of them, every second one for RTP, whose odd ports
 * are RTCP's, RFC 8866 5.14); N addresses and N ports pair one to one.
 * An RFC 4570 incl filter makes source-specific joins, an excl filter an
 * any-source join whose datagrams from the excluded sources are dropped
 * here.  The kind follows the m= protocol: RTP/... is RTP (payload type
 * 33 in it is MPEG-TS over RTP, measured as both), UDP/MP2T or udp with
 * format 33 or "mpeg" is MPEG-TS over UDP, anything else is told apart
 * datagram by datagram.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "loop.h"
#include "recv.h"
#include "sap.h"
#include "sap_dir.h"

/* After the first session that matches, listen this long for others
 * that match too (a name two announcers use). */
#define RECV_SESSION_GRACE_MS  1000
#define RECV_SESSION_MAX_MATCH 16

/* What recv_session_setup() keeps while the run lasts. */
struct recv_session_data {
	struct sdp_session sdp;
	char *text;
	char arena[];
};

static struct recv_session_data *
recv_session_alloc(size_t len)
{
	struct recv_session_data *d = calloc(1,
	    sizeof(*d) + SDP_ARENA_SIZE(len));

	if (d == NULL) {
		fprintf(stderr, "mcast: out of memory for a session\n");
		exit(1);
	}
	return d;
}

static const char *
recv_kind_name(enum recv_kind k)
{
	static const char *const names[] = { "auto", "mcast", "rtp", "ts" };

	return names[k];
}

/* The kind of medium i from its m= protocol and formats. */
static enum recv_kind
recv_session_kind(const struct sdp_media *m)
{
	unsigned i;

	if (strncasecmp(m->proto, "RTP/", 4) == 0)
		return RECV_KIND_RTP;
	if (strcasecmp(m->proto, "UDP/MP2T") == 0 ||
	    strcasecmp(m->proto, "MP2T/H2221/UDP") == 0)
		return RECV_KIND_TS;
	if (strcasecmp(m->proto, "udp") == 0)
		for (i = 0; i < m->nformats; i++)
			if (strcmp(m->formats[i], "33") == 0 ||
			    strcasecmp(m->formats[i], "mpeg") == 0)
				return RECV_KIND_TS;
	return RECV_KIND_AUTO;
}

/* Add ip to list (n of them, at most RECV_MAX_SOURCES) unless there. */
static void
recv_session_add_ip(struct mc_ip *list, int *n, const struct mc_ip *ip,
    const char *label)
{
	char buf[MC_IP_STRLEN];
	int i;

	for (i = 0; i < *n; i++)
		if (mc_ip_equal(&list[i], ip))
			return;
	if (*n == RECV_MAX_SOURCES) {
		fprintf(stderr,
		    "mcast: %s: more than %d sources (%s): expected at "
		    "most %d\n",
		    label, RECV_MAX_SOURCES, mc_ip_str(ip, buf),
		    RECV_MAX_SOURCES);
		exit(2);
	}
	list[(*n)++] = *ip;
}

/* The sources of the filters of medium i that apply to group g. */
static void
recv_session_filters(struct recv_opts *o, const struct sdp_session *s,
    unsigned i, struct recv_group *g)
{
	const struct sdp_attrs *a = sdp_media_attrs(s, i);
	unsigned f, j;

	for (f = 0; f < a->nfilters; f++) {
		const struct sdp_source_filter *sf = &a->filters[f];

		if (!sf->any_dest && !mc_ip_equal(&sf->dest, &g->ep.ip))
			continue;
		for (j = 0; j < sf->nsrc; j++) {
			if (sf->src[j].family != g->ep.ip.family)
				continue;
			if (sf->exclude)
				recv_session_add_ip(g->excluded, &g->nexcluded,
				    &sf->src[j], g->label);
			else
				recv_session_add_ip(g->sources, &g->nsources,
				    &sf->src[j], g->label);
		}
	}
	/* incl wins: a source-specific join receives nothing else. */
	if (g->nsources)
		g->nexcluded = 0;
	for (j = 0; j < (unsigned)g->nsources; j++)
		recv_session_add_ip(o->sources, &o->nsources, &g->sources[j],
		    "the session");
}

/* The address k after a (consecutive addresses, RFC 8866 5.7). */
static struct mc_ip
recv_session_nth(const struct mc_ip *a, unsigned k)
{
	struct mc_ip r = *a;
	int b;

	if (r.family == AF_INET) {
		r.u.v4.s_addr = htonl(ntohl(r.u.v4.s_addr) + k);
		return r;
	}
	for (b = 15; b >= 0 && k; b--) {
		unsigned v = r.u.v6.s6_addr[b] + (k & 0xff);

		r.u.v6.s6_addr[b] = (uint8_t)v;
		k = (k >> 8) + (v >> 8);
	}
	return r;
}

static void
recv_session_add_group(struct recv_opts *o, const struct sdp_session *s,
    unsigned i, const struct mc_ip *addr, unsigned port, enum recv_kind kind)
{
	char buf[MC_IP_STRLEN];
	struct recv_group *g;
	int j;

	if (o->ngroups == RECV_MAX_GROUPS) {
		fprintf(stderr,
		    "mcast: %s: more than %d groups and ports: expected at "
		    "most %d\n",
		    o->session_label, RECV_MAX_GROUPS, RECV_MAX_GROUPS);
		exit(2);
	}
	g = &o->groups[o->ngroups];
	memset(g, 0, sizeof(*g));
	g->ep.ip = *addr;
	g->ep.port = (uint16_t)port;
	g->medium = (int)i;
	g->kind = kind;
	snprintf(g->label, sizeof(g->label), "%s%s%s:%u",
	    addr->family == AF_INET6 ? "[" : "", mc_ip_str(addr, buf),
	    addr->family == AF_INET6 ? "]" : "", port);
	for (j = 0; j < o->ngroups; j++)
		if (mc_ip_equal(&o->groups[j].ep.ip, addr) &&
		    o->groups[j].ep.port == port)
			return; /* two media on one group and port */
	o->ngroups++;
	recv_session_filters(o, s, i, g);
}

/* Every group and port of s into o. */
static void
recv_session_groups(struct recv_opts *o, const struct sdp_session *s,
    bool kind_given)
{
	char name[4 * SDP_MAX_LINE];
	unsigned i, k, n;

	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_media *m = &s->media[i];
		const struct sdp_conn *c = sdp_media_conn(s, i);
		enum recv_kind kind = kind_given ? o->kind :
						   recv_session_kind(m);
		unsigned step = strncasecmp(m->proto, "RTP/", 4) == 0 ? 2 : 1;
		struct mc_ip a;
		char buf[MC_IP_STRLEN];

		if (!c->present || !mc_ip_is_multicast(&c->addr)) {
			fprintf(stderr,
			    "mcast: %s: medium %u (line %u, m=%s %u): %s: "
			    "expected a multicast c= address\n",
			    o->session_label, i + 1, m->line,
			    text_safe(name, sizeof(name), m->media), m->port,
			    c->present ? mc_ip_str(&c->addr, buf) :
					 "no c= line");
			exit(2);
		}
		if (m->port == 0)
			continue; /* RFC 8866 5.14: a medium not in use */
		if (c->naddr > 1 && m->nports > 1 && c->naddr != m->nports) {
			fprintf(stderr,
			    "mcast: %s: medium %u (line %u): %u addresses and "
			    "%u ports: expected as many of each, or one of "
			    "either (RFC 8866 5.14)\n",
			    o->session_label, i + 1, m->line, c->naddr,
			    m->nports);
			exit(2);
		}
		n = c->naddr > m->nports ? c->naddr : m->nports;
		for (k = 0; k < n; k++) {
			unsigned port = m->port +
			    step * (m->nports > 1 ? k : 0);

			if (port > 65535) {
				fprintf(stderr,
				    "mcast: %s: medium %u (line %u): port "
				    "%u/%u runs past 65535\n",
				    o->session_label, i + 1, m->line, m->port,
				    m->nports);
				exit(2);
			}
			a = recv_session_nth(&c->addr, c->naddr > 1 ? k : 0);
			recv_session_add_group(o, s, i, &a, port, kind);
		}
	}
	if (o->ngroups == 0) {
		fprintf(stderr,
		    "mcast: %s: no medium with a port: expected at least "
		    "one m= line with a port other than 0\n",
		    o->session_label);
		exit(2);
	}
}

/* An SDP file: what is the option that named it ("--sdp", "--sap-cache"). */
static void
recv_session_from_file(const char *what, const char *path, char *label,
    size_t label_len, struct recv_session_data **out)
{
	struct recv_session_data *d;
	char err[300], *text, name[4 * SDP_MAX_LINE];
	long len = sdp_file_read(path, &text, err, sizeof(err));

	if (len < 0) {
		fprintf(stderr, "mcast: %s: %s\n", what, err);
		exit(2);
	}
	d = recv_session_alloc((size_t)len);
	d->text = text;
	if (sdp_parse(text, (size_t)len, SDP_MULTICAST, d->arena,
		SDP_ARENA_SIZE((size_t)len), &d->sdp) != 0) {
		sdp_print_diags(stderr, path, &d->sdp);
		fprintf(stderr,
		    "mcast: %s %s: not a session description we can "
		    "receive: expected RFC 8866 SDP with multicast c= lines\n",
		    what, path);
		exit(2);
	}
	snprintf(label, label_len, "\"%s\" (%s)",
	    text_safe(name, sizeof(name), d->sdp.name), path);
	*out = d;
}

/* ---- --session: listening on the SAP groups ---------------------------- */

struct recv_sap_wait {
	const char *want;
	bool want_hash;
	unsigned long hash;
	struct loop *loop;
	struct sap_dir *dir;
	mc_time_t end_ms, grace_ms;
	const struct sap_dir_entry *match[RECV_SESSION_MAX_MATCH];
	size_t nmatch;
};

/* The second word of "USER SESS-ID IN IP4 ADDR": does it equal id? */
static bool
recv_session_id_is(const char *key, const char *id)
{
	const char *p = strchr(key, ' ');
	size_t n = strlen(id);

	return p != NULL && strncmp(p + 1, id, n) == 0 &&
	    (p[1 + n] == ' ' || p[1 + n] == '\0');
}

static bool
recv_session_matches(const struct recv_sap_wait *w,
    const struct sap_dir_entry *e)
{
	return strcmp(e->name, w->want) == 0 ||
	    recv_session_id_is(e->key, w->want) ||
	    (w->want_hash && e->hash == w->hash);
}

static void
recv_session_scan(struct recv_sap_wait *w)
{
	const struct sap_dir_entry *e;

	w->nmatch = 0;
	for (e = sap_dir_first(w->dir); e; e = sap_dir_next(e))
		if (recv_session_matches(w, e) &&
		    w->nmatch < RECV_SESSION_MAX_MATCH)
			w->match[w->nmatch++] = e;
	if (w->nmatch > 0 && w->grace_ms == 0)
		w->grace_ms = loop_now(w->loop) + RECV_SESSION_GRACE_MS;
}

static void
recv_session_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct recv_sap_wait *w = arg;

	sap_drain(fd, budget, w->dir, loop_now(w->loop));
	recv_session_scan(w);
}

static mc_time_t
recv_session_deadline(void *arg)
{
	const struct recv_sap_wait *w = arg;

	if (w->grace_ms)
		return w->grace_ms;
	return w->end_ms ? w->end_ms : MC_TIME_NEVER;
}

static void
recv_session_timer(void *arg, mc_time_t now)
{
	struct recv_sap_wait *w = arg;

	if ((w->grace_ms && now >= w->grace_ms) ||
	    (w->end_ms && now >= w->end_ms)) {
		recv_session_scan(w); /* deletions, if any */
		loop_stop(w->loop);
	}
}

/* "NAME" (o=KEY vV, SAP hash H, announcer A) */
static void
recv_session_describe(FILE *f, const struct sap_dir_entry *e)
{
	char a[MC_IP_STRLEN], name[4 * SDP_MAX_LINE], key[4 * SDP_MAX_LINE];

	fprintf(f, "  \"%s\" (o=%s v%llu, SAP hash %u, announcer %s)\n",
	    text_safe(name, sizeof(name), e->name),
	    text_safe(key, sizeof(key), e->key), (unsigned long long)e->version,
	    e->hash,
	    mc_ip_str(e->heard_from.family ? &e->heard_from : &e->source, a));
}

static void
recv_session_ignore(void *arg, enum sap_dir_event ev,
    const struct sap_dir_entry *e, const struct sdp_session *s)
{
}

static bool
recv_session_parse_hash(const char *text, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(text, &end, 0);
	return errno == 0 && end != text && *end == '\0' && *out <= 0xffff &&
	    text[0] != '-';
}

static void
recv_session_from_sap(const struct recv_session_opts *so,
    const struct mc_iface *iface, bool quiet, char *label, size_t label_len,
    struct recv_session_data **out)
{
	struct recv_sap_wait w;
	struct recv_session_data *d;
	const struct sap_dir_entry *e;
	int fds[SAP_MAX_GROUPS], nfds, i, src;
	char groups[200], name[4 * SDP_MAX_LINE], key[4 * SDP_MAX_LINE];

	memset(&w, 0, sizeof(w));
	w.want = so->session;
	w.want_hash = recv_session_parse_hash(so->session, &w.hash);
	w.dir = sap_dir_new(NULL, recv_session_ignore, NULL);
	if (w.dir == NULL) {
		fprintf(stderr, "mcast: out of memory for a directory\n");
		exit(1);
	}
	nfds = sap_join_scopes(so->sap_scopes, iface, fds, groups,
	    sizeof(groups));
	w.loop = tool_loop_new();
	if (so->sap_wait_s > 0)
		w.end_ms = loop_now(w.loop) +
		    (mc_time_t)(so->sap_wait_s * 1000);
	for (i = 0; i < nfds; i++)
		if (loop_fd_add(w.loop, fds[i], LOOP_IN, 256,
			recv_session_readable, &w) < 0) {
			fprintf(stderr, "mcast: cannot watch a SAP socket\n");
			exit(1);
		}
	src = loop_source_add(w.loop, recv_session_deadline, recv_session_timer,
	    &w);
	if (src < 0) {
		fprintf(stderr, "mcast: cannot start a timer\n");
		exit(1);
	}
	if (!quiet)
		fprintf(stderr, "mcast: listening for session \"%s\" on %s\n",
		    so->session, groups);
	tool_loop_run(w.loop);
	loop_source_del(w.loop, src);
	for (i = 0; i < nfds; i++) {
		loop_fd_del(w.loop, fds[i]);
		close(fds[i]);
	}
	loop_free(w.loop);
	if (w.nmatch == 0) {
		char when[48];

		if (w.end_ms)
			snprintf(when, sizeof(when), "in %.0f s",
			    so->sap_wait_s);
		else /* interrupted */
			snprintf(when, sizeof(when), "before the interrupt");
		fprintf(stderr,
		    "mcast: --session %s: not heard %s on %s: expected a "
		    "session of that name (s=), o= session id or SAP hash; "
		    "heard %zu session%s%s\n",
		    so->session, when, groups, sap_dir_count(w.dir),
		    plural_s(sap_dir_count(w.dir)),
		    sap_dir_count(w.dir) ? ":" : "");
		for (e = sap_dir_first(w.dir); e; e = sap_dir_next(e))
			recv_session_describe(stderr, e);
		exit(1);
	}
	if (w.nmatch > 1) {
		fprintf(stderr,
		    "mcast: --session %s: %zu sessions match: expected one; "
		    "give the o= session id or the SAP hash of one of them:\n",
		    so->session, w.nmatch);
		for (i = 0; i < (int)w.nmatch; i++)
			recv_session_describe(stderr, w.match[i]);
		exit(2);
	}
	e = w.match[0];
	d = recv_session_alloc(e->sdp_len);
	d->text = malloc(e->sdp_len + 1);
	if (d->text == NULL) {
		fprintf(stderr, "mcast: out of memory for a session\n");
		exit(1);
	}
	memcpy(d->text, e->sdp, e->sdp_len);
	d->text[e->sdp_len] = '\0';
	/* The directory keeps only what parsed; multicast is checked here. */
	sdp_parse(d->text, e->sdp_len, 0, d->arena, SDP_ARENA_SIZE(e->sdp_len),
	    &d->sdp);
	snprintf(label, label_len, "\"%s\" (o=%s, SAP hash %u)",
	    text_safe(name, sizeof(name), e->name),
	    text_safe(key, sizeof(key), e->key), e->hash);
	sap_dir_free(w.dir);
	*out = d;
}

/* ---- --session --sap-cache: what a running sap listen heard ------------ */

/* True when the session is in the cache (exit 2 when several are). */
static bool
recv_session_from_cache(const struct recv_session_opts *so, bool quiet,
    char *label, size_t label_len, struct recv_session_data **out)
{
	char *paths[RECV_SESSION_MAX_MATCH];
	int i,
	    n = sap_cache_find(so->sap_cache, so->session, paths,
		RECV_SESSION_MAX_MATCH);

	if (n > 1) {
		fprintf(stderr,
		    "mcast: --session %s: %d sessions in %s match: expected "
		    "one; give the o= session id of one of them:\n",
		    so->session, n, so->sap_cache);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s\n", paths[i]);
		exit(2);
	}
	if (n == 0) {
		if (!quiet)
			fprintf(stderr,
			    "mcast: session \"%s\" is not in %s: listening\n",
			    so->session, so->sap_cache);
		return false;
	}
	recv_session_from_file("--sap-cache", paths[0], label, label_len, out);
	free(paths[0]);
	return true;
}

/* ---- what cmd_recv.c and file_recv.c call ------------------------------ */

const struct sdp_session *
recv_session_find(const struct recv_session_opts *so,
    const struct mc_iface *iface, bool quiet, char *label, size_t len)
{
	struct recv_session_data *d = NULL;

	if (!(so->sap_cache &&
		recv_session_from_cache(so, quiet, label, len, &d)))
		recv_session_from_sap(so, iface, quiet, label, len, &d);
	return &d->sdp;
}

const char *
recv_session_text(const struct sdp_session *s)
{
	return ((const struct recv_session_data *)((const char *)s -
		    offsetof(struct recv_session_data, sdp)))
	    ->text;
}

void
recv_session_release(const struct sdp_session *s)
{
	struct recv_session_data *d;

	if (s == NULL)
		return;
	d = (struct recv_session_data *)((char *)s -
	    offsetof(struct recv_session_data, sdp));
	free(d->text);
	free(d);
}

void
recv_session_setup(const struct recv_session_opts *so, struct recv_opts *o,
    bool kind_given)
{
	struct recv_session_data *d = NULL;
	char buf[MC_IP_STRLEN];
	int i, j;

	if (so->sdp_path) {
		recv_session_from_file("--sdp", so->sdp_path, o->session_label,
		    sizeof(o->session_label), &d);
		o->sdp = &d->sdp;
	} else
		o->sdp = recv_session_find(so, o->has_iface ? &o->iface : NULL,
		    o->quiet || o->json, o->session_label,
		    sizeof(o->session_label));
	d = (struct recv_session_data *)((char *)o->sdp -
	    offsetof(struct recv_session_data, sdp));
	recv_session_groups(o, &d->sdp, kind_given);
	if (o->quiet)
		return;
	fprintf(o->json ? stderr : stdout, "session %s:\n", o->session_label);
	for (i = 0; i < o->ngroups; i++) {
		const struct recv_group *g = &o->groups[i];

		fprintf(o->json ? stderr : stdout, "  %s %s %s", g->label,
		    d->sdp.media[g->medium].media, recv_kind_name(g->kind));
		for (j = 0; j < g->nsources; j++)
			fprintf(o->json ? stderr : stdout, "%s%s",
			    j ? ", " : " from ",
			    mc_ip_str(&g->sources[j], buf));
		for (j = 0; j < g->nexcluded; j++)
			fprintf(o->json ? stderr : stdout, "%s%s",
			    j ? ", " : " not from ",
			    mc_ip_str(&g->excluded[j], buf));
		fprintf(o->json ? stderr : stdout, "\n");
	}
}

uint32_t
recv_session_clock_rate(const struct recv_opts *o, int group, unsigned pt)
{
	const struct recv_group *g = &o->groups[group];

	if (o->clock_rate)
		return o->clock_rate;
	if (o->sdp != NULL && g->medium >= 0)
		return sdp_media_clock_rate(o->sdp, (unsigned)g->medium, pt);
	return rtp_pt_clock_rate(pt);
}

void
recv_session_json(FILE *f, const struct recv_opts *o,
    const struct recv_state *s)
{
	char buf[MC_IP_STRLEN];
	int i, j;

	if (o->sdp == NULL)
		return;
	fprintf(f, ",\"session\":{\"name\":");
	json_string(f, o->sdp->name ? o->sdp->name : "");
	fprintf(f, ",\"sess_id\":");
	json_string(f, o->sdp->origin.sess_id ? o->sdp->origin.sess_id : "");
	fprintf(f, ",\"version\":%llu,\"groups\":[",
	    (unsigned long long)o->sdp->origin.sess_version);
	for (i = 0; i < o->ngroups; i++) {
		const struct recv_group *g = &o->groups[i];

		fprintf(f, "%s{\"group\":\"%s\",\"media\":", i ? "," : "",
		    g->label);
		json_string(f, o->sdp->media[g->medium].media);
		fprintf(f, ",\"kind\":\"%s\",\"sources\":[",
		    recv_kind_name(g->kind));
		for (j = 0; j < g->nsources; j++)
			fprintf(f, "%s\"%s\"", j ? "," : "",
			    mc_ip_str(&g->sources[j], buf));
		fprintf(f, "],\"excluded\":[");
		for (j = 0; j < g->nexcluded; j++)
			fprintf(f, "%s\"%s\"", j ? "," : "",
			    mc_ip_str(&g->excluded[j], buf));
		fprintf(f, "],\"excluded_drops\":%llu}",
		    (unsigned long long)s->excluded_drops[i]);
	}
	fprintf(f, "]}");
}

void
recv_session_free(struct recv_opts *o)
{
	recv_session_release(o->sdp);
	o->sdp = NULL;
}
