/*
 * mcastd.conf: the settings of its blocks, the checks that need the whole
 * file, and the interface of conf.h (init, parse, load, free, queries).
 * conf_lex.c cuts the text into tokens and values, conf_parse.c reads the
 * statements, conf_print.c prints the normalised form.
 *
 * Checks that need the whole file (the IGMP timers against every version
 * in use, static groups against the SSM range) run once the text has been
 * read, at the position of the word that made them fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "conf_int.h"

#define CONF_V2_MAX_MS	  25500 /* RFC 2236 2.2: 8 bits of tenths */
#define CONF_DEFAULT_FILE "-"

_Static_assert(sizeof(unsigned) == sizeof(uint32_t),
    "conf_keys reaches unsigned and uint32_t fields alike");

/* --- the settings of the blocks ------------------------------------ */

const char *const conf_block_names[CONF_BLOCK_COUNT] = {
	[CONF_BLOCK_IGMP] = "igmp",
	[CONF_BLOCK_LIMITS] = "limits",
	[CONF_BLOCK_MFC] = "mfc",
	[CONF_BLOCK_DVMRP] = "dvmrp",
};

#define CONF_IGMP(f)  offsetof(struct conf, igmp.f)
#define CONF_DVMRP(f) offsetof(struct conf, dvmrp.f)
#define CONF_QQIC     "the QQIC field carries whole seconds"
#define CONF_MRC      "the Max Resp Code carries tenths of a second"

/*
 * Every setting of every block, in the order conf_print writes them.  The
 * IGMP rows come from RFC 2236 and RFC 3376 section 8 (the comments name
 * the subsection); the ranges are what the wire can carry.
 */
const struct conf_key conf_keys[CONF_NKEYS] = {
	/* The query version: 1 RFC 1112, 2 RFC 2236, 3 RFC 3376. */
	[CONF_KEY_VERSION] = { CONF_BLOCK_IGMP, "version", CONF_KIND_NUMBER,
	    CONF_IGMP(version), 1, 3, 0, NULL, NULL, NULL },
	/* 8.1 Robustness Variable: the QRV field has 3 bits. */
	[CONF_KEY_RV] = { CONF_BLOCK_IGMP, "robustness", CONF_KIND_NUMBER,
	    CONF_IGMP(robustness), 1, 7, 0, NULL, NULL, NULL },
	/* 8.2 Query Interval: at most what QQIC codes (RFC 3376 4.1.7). */
	[CONF_KEY_QI] = { CONF_BLOCK_IGMP, "query-interval", CONF_KIND_MS,
	    CONF_IGMP(query_interval_ms), 1000, 31744000, 1000, CONF_QQIC, NULL,
	    NULL },
	/* 8.3 Query Response Interval: the Max Resp Code (4.1.1). */
	[CONF_KEY_QRI] = { CONF_BLOCK_IGMP, "query-response-interval",
	    CONF_KIND_MS, CONF_IGMP(query_response_interval_ms), 100, 3174400,
	    100, CONF_MRC, NULL, NULL },
	/* 8.6 Startup Query Interval (0: QI / 4). */
	[CONF_KEY_SQI] = { CONF_BLOCK_IGMP, "startup-query-interval",
	    CONF_KIND_MS, CONF_IGMP(startup_query_interval_ms), 100, 31744000,
	    1, NULL, NULL, NULL },
	/* 8.7 Startup Query Count (0: RV). */
	[CONF_KEY_SQC] = { CONF_BLOCK_IGMP, "startup-query-count",
	    CONF_KIND_NUMBER, CONF_IGMP(startup_query_count), 1, 255, 0, NULL,
	    NULL, NULL },
	/* 8.8 Last Member Query Interval: a Max Resp Code too. */
	[CONF_KEY_LMQI] = { CONF_BLOCK_IGMP, "last-member-query-interval",
	    CONF_KIND_MS, CONF_IGMP(last_member_query_interval_ms), 100,
	    3174400, 100, CONF_MRC, NULL, NULL },
	/* 8.9 Last Member Query Count (0: RV). */
	[CONF_KEY_LMQC] = { CONF_BLOCK_IGMP, "last-member-query-count",
	    CONF_KIND_NUMBER, CONF_IGMP(last_member_query_count), 1, 255, 0,
	    NULL, NULL, NULL },
	/* 9.2: reports without the Router Alert option are dropped. */
	[CONF_KEY_RA] = { CONF_BLOCK_IGMP, "require-router-alert",
	    CONF_KIND_BOOL, CONF_IGMP(require_router_alert), 0, 0, 0, NULL,
	    NULL, NULL },
	/* RFC 4604: the range where only (S,G) joins count. */
	[CONF_KEY_SSM] = { CONF_BLOCK_IGMP, "ssm-range", CONF_KIND_SSM,
	    CONF_IGMP(ssm_prefix), 0, 0, 0, NULL, NULL, NULL },
	[CONF_KEY_GROUPS] = { CONF_BLOCK_LIMITS, "groups", CONF_KIND_LIMIT,
	    offsetof(struct conf, max_groups_per_iface), 1, UINT32_MAX, 0, NULL,
	    NULL, NULL },
	[CONF_KEY_SOURCES] = { CONF_BLOCK_LIMITS, "sources", CONF_KIND_LIMIT,
	    offsetof(struct conf, max_sources_per_group), 1, UINT32_MAX, 0,
	    NULL, NULL, NULL },
	/* Dynamic kernel forwarding entries; "upcalls" until 0.1.0. */
	[CONF_KEY_MFC_ENTRIES] = { CONF_BLOCK_LIMITS, "mfc-entries",
	    CONF_KIND_LIMIT, offsetof(struct conf, max_mfc_entries), 1,
	    UINT32_MAX, 0, NULL, "upcalls", NULL },
	[CONF_KEY_MFC_IDLE] = { CONF_BLOCK_MFC, "idle-timeout",
	    CONF_KIND_SECONDS, offsetof(struct conf, mfc_idle_timeout_s), 1,
	    86400, 1000, "the timeout is kept in seconds", NULL, NULL },
	/*
	 * DVMRP (draft-ietf-idmr-dvmrp-v3-11 table 2, as mrouted): the
	 * intervals are the engines' timers, kept in ms; neighbor-timeout
	 * above probe-interval and route-expire above report-interval are
	 * checked once the whole block is read.
	 */
	[CONF_KEY_DVMRP_DISABLE] = { CONF_BLOCK_DVMRP, "disable",
	    CONF_KIND_SWITCH, CONF_DVMRP(disable), 0, 0, 0, NULL, "enable",
	    NULL },
	/* The probe hold-off (1 s) must not exceed it. */
	[CONF_KEY_DVMRP_PROBE] = { CONF_BLOCK_DVMRP, "probe-interval",
	    CONF_KIND_MS, CONF_DVMRP(nbr.probe_interval_ms), 1000, 3600000, 1,
	    NULL, NULL, NULL },
	[CONF_KEY_DVMRP_NBR_TIMEOUT] = { CONF_BLOCK_DVMRP, "neighbor-timeout",
	    CONF_KIND_MS, CONF_DVMRP(nbr.neighbor_timeout_ms), 1000, 86400000,
	    1, NULL, NULL, NULL },
	[CONF_KEY_DVMRP_REPORT] = { CONF_BLOCK_DVMRP, "report-interval",
	    CONF_KIND_MS, CONF_DVMRP(rib.report_interval_ms), 1000, 3600000, 1,
	    NULL, NULL, NULL },
	[CONF_KEY_DVMRP_EXPIRE] = { CONF_BLOCK_DVMRP, "route-expire",
	    CONF_KIND_MS, CONF_DVMRP(rib.route_expire_ms), 1000, 86400000, 1,
	    NULL, NULL, NULL },
	/* 0 (not given): 2 x report-interval (draft 3.4.6). */
	[CONF_KEY_DVMRP_HOLDDOWN] = { CONF_BLOCK_DVMRP, "holddown",
	    CONF_KIND_MS, CONF_DVMRP(rib.holddown_ms), 1000, 86400000, 1, NULL,
	    NULL, NULL },
	/* Prunes carry whole seconds; routers ignore those of 120 s or
	 * less, so we send at least L/2 + random(L) > 120 s. */
	[CONF_KEY_DVMRP_PRUNE_LIFETIME] = { CONF_BLOCK_DVMRP, "prune-lifetime",
	    CONF_KIND_SECONDS, CONF_DVMRP(prune_lifetime_s),
	    DVMRP_PRUNE_LIFETIME_MIN, 86400, 1000, "prunes carry whole seconds",
	    NULL, "at least 120s: routers ignore shorter prunes" },
	[CONF_KEY_DVMRP_NON_PRUNERS] = { CONF_BLOCK_DVMRP, "accept-non-pruners",
	    CONF_KIND_BOOL, CONF_DVMRP(nbr.accept_non_pruners), 0, 0, 0, NULL,
	    NULL, NULL },
	[CONF_KEY_DVMRP_MAX_ROUTES] = { CONF_BLOCK_DVMRP, "max-routes",
	    CONF_KIND_LIMIT, CONF_DVMRP(rib.max_routes), 1, UINT32_MAX, 0, NULL,
	    NULL, NULL },
	/* Per VIF. */
	[CONF_KEY_DVMRP_MAX_NEIGHBORS] = { CONF_BLOCK_DVMRP, "max-neighbors",
	    CONF_KIND_NUMBER, CONF_DVMRP(nbr.max_neighbors_per_vif), 1,
	    DVMRP_NBR_MAX_NEIGHBORS_LIMIT, 0, NULL, NULL, NULL },
};

void *
conf_key_ptr(struct conf *c, const struct conf_key *k)
{
	return (char *)c + k->off;
}

const void *
conf_key_cptr(const struct conf *c, const struct conf_key *k)
{
	return (const char *)c + k->off;
}

/* --- checks of the whole file -------------------------------------- */

static int conf_fail_at_key(struct conf_parser *p, size_t key, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
conf_fail_at_key(struct conf_parser *p, size_t key, const char *fmt, ...)
{
	char msg[sizeof(p->err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return conf_fail(p, p->key_pos[key].line, p->key_pos[key].column, "%s",
	    msg);
}

/*
 * What the IGMPv2 Max Resp Time carries (RFC 2236 2.2): 25.5 s.  The
 * block's version is checked at the offending timer, a phyint's igmpv2
 * at that word.
 */
static int
conf_check_v2(struct conf_parser *p, const struct conf_pos *at,
    const char *ifname)
{
	static const size_t keys[] = { CONF_KEY_QRI, CONF_KEY_LMQI };
	char buf[24];
	uint32_t ms;
	size_t i;

	for (i = 0; i < CONF_ARRAY_SIZE(keys); i++) {
		ms = *(const uint32_t *)conf_key_cptr(p->c,
		    &conf_keys[keys[i]]);
		if (ms <= CONF_V2_MAX_MS)
			continue;
		conf_duration_str(ms, buf, sizeof(buf));
		if (at != NULL)
			return conf_fail(p, at->line, at->column,
			    "phyint %s: igmpv2 cannot carry %s %s (line %u): "
			    "expected at most 25500ms for IGMPv2 (RFC 2236 "
			    "2.2)",
			    ifname, conf_keys[keys[i]].name, buf,
			    p->key_pos[keys[i]].line);
		return conf_fail_at_key(p, keys[i],
		    "%s: %s is too long for "
		    "IGMPv2: expected at most 25500ms (RFC 2236 2.2)",
		    conf_keys[keys[i]].name, buf);
	}
	return 0;
}

static int
conf_check_igmp(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct igmp_router_config g;
	char qi[24], qri[24];
	size_t i;

	conf_duration_str(c->igmp.query_interval_ms, qi, sizeof(qi));
	conf_duration_str(c->igmp.query_response_interval_ms, qri, sizeof(qri));
	/* RFC 3376 8.3: the Query Response Interval is less than QI. */
	if (c->igmp.query_response_interval_ms >= c->igmp.query_interval_ms) {
		if (p->key_pos[CONF_KEY_QRI].line != 0)
			return conf_fail_at_key(p, CONF_KEY_QRI,
			    "query-response-interval: %s is not shorter than "
			    "query-interval %s: expected less (RFC 3376 8.3)",
			    qri, qi);
		return conf_fail_at_key(p, CONF_KEY_QI,
		    "query-interval: %s "
		    "is not longer than query-response-interval %s (the "
		    "default): expected more (RFC 3376 8.3)",
		    qi, qri);
	}
	if (c->igmp.version == 2 && conf_check_v2(p, NULL, NULL) != 0)
		return -1;
	for (i = 0; i < c->nphyints; i++)
		if (c->phyints[i].igmp_version == 2 &&
		    conf_check_v2(p, &p->version_pos[i], c->phyints[i].name) !=
			0)
			return -1;
	/* The engine's own check, for every version in use. */
	for (i = 0; i <= c->nphyints; i++) {
		conf_phyint_igmp(c, i < c->nphyints ? &c->phyints[i] : NULL,
		    &g);
		if (igmp_router_config_check(&g) != 0)
			return conf_fail(p,
			    p->block_line[CONF_BLOCK_IGMP] ?
				p->block_line[CONF_BLOCK_IGMP] :
				1,
			    1,
			    "igmp: the IGMP engine refuses these settings "
			    "(version %u): expected RFC 3376 section 8 values",
			    g.version);
	}
	return 0;
}

/* RFC 4604 2.2.1: no (*,G) membership in the SSM range. */
static int
conf_check_ssm(struct conf_parser *p)
{
	char msg[sizeof(p->err->message)];
	size_t i;

	for (i = 0; i < p->nasm_statics; i++) {
		const struct conf_asm_static *s = &p->asm_statics[i];

		if (conf_check_asm(&p->c->igmp, s->group, "static-group", msg,
			sizeof(msg)) != 0)
			return conf_fail(p, s->pos.line, s->pos.column, "%s",
			    msg);
	}
	return 0;
}

/*
 * One DVMRP interval that must exceed another (the engines' checks): at
 * the longer one when the file gave it, else at the shorter one.
 */
static int
conf_check_longer(struct conf_parser *p, size_t longer, size_t shorter,
    const char *why)
{
	const struct conf_key *l = &conf_keys[longer], *s = &conf_keys[shorter];
	uint32_t lv = *(const uint32_t *)conf_key_cptr(p->c, l);
	uint32_t sv = *(const uint32_t *)conf_key_cptr(p->c, s);
	char lb[24], sb[24];

	if (lv > sv)
		return 0;
	conf_duration_str(lv, lb, sizeof(lb));
	conf_duration_str(sv, sb, sizeof(sb));
	if (p->key_pos[longer].line != 0)
		return conf_fail_at_key(p, longer,
		    "%s: %s is not longer than %s %s%s: expected more (%s)",
		    l->name, lb, s->name, sb,
		    p->key_pos[shorter].line != 0 ? "" : " (the default)", why);
	return conf_fail_at_key(p, shorter,
	    "%s: %s is not shorter than %s %s (the default): expected less "
	    "(%s)",
	    s->name, sb, l->name, lb, why);
}

/* A phyint cannot name a tunnel's device: the tunnel has the settings. */
static int
conf_check_tunnels(struct conf_parser *p)
{
	const struct conf *c = p->c;
	size_t i, k;

	for (i = 0; i < c->ntunnels; i++)
		for (k = 0; k < c->nphyints; k++)
			if (strcmp(c->tunnels[i].name, c->phyints[k].name) == 0)
				return conf_fail(p, c->phyints[k].line, 0,
				    "phyint %s names the device of the tunnel "
				    "at line %u: expected its settings "
				    "(metric, threshold) on the tunnel "
				    "statement",
				    c->phyints[k].name, c->tunnels[i].line);
	return 0;
}

static int
conf_check_dvmrp(struct conf_parser *p)
{
	if (conf_check_longer(p, CONF_KEY_DVMRP_NBR_TIMEOUT,
		CONF_KEY_DVMRP_PROBE,
		"a neighbour is lost only after missing probes") != 0 ||
	    conf_check_longer(p, CONF_KEY_DVMRP_EXPIRE, CONF_KEY_DVMRP_REPORT,
		"a route is lost only after missing reports") != 0)
		return -1;
	/* The router's own check: what it would refuse at a reload. */
	if (router_dvmrp_config_check(&p->c->dvmrp) != 0)
		return conf_fail(p,
		    p->block_line[CONF_BLOCK_DVMRP] ?
			p->block_line[CONF_BLOCK_DVMRP] :
			1,
		    1,
		    "dvmrp: the DVMRP engines refuse these settings: "
		    "expected the values of mcastd.conf(5)");
	return 0;
}

/* --- the interface ------------------------------------------------- */

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	igmp_router_config_defaults(&c->igmp);
	c->mfc_idle_timeout_s = 210;
	c->max_groups_per_iface = CONF_DEFAULT_MAX_GROUPS;
	c->max_sources_per_group = CONF_DEFAULT_MAX_SOURCES;
	c->max_mfc_entries = CONF_DEFAULT_MAX_MFC_ENTRIES;
	c->igmp.max_groups = c->max_groups_per_iface;
	c->igmp.max_sources_per_group = c->max_sources_per_group;
	router_dvmrp_config_defaults(&c->dvmrp);
}

unsigned
conf_tunnel_mtu(const struct conf_tunnel *t)
{
	if (t->mtu != 0)
		return t->mtu;
	/* 1500 less the outer IPv4 header (and UDP's). */
	return t->encap == CONF_ENCAP_UDP ? 1500 - 28 : 1500 - 20;
}

const char *
conf_encap_name(enum conf_encap e)
{
	return e == CONF_ENCAP_UDP ? "udp" : "ipip";
}

void
conf_free(struct conf *c)
{
	free(c->phyints);
	free(c->mroutes);
	c->phyints = NULL;
	c->nphyints = 0;
	c->mroutes = NULL;
	c->nmroutes = 0;
}

int
conf_parse(const char *text, size_t len, const char *file, struct conf *c,
    struct conf_error *err)
{
	struct conf_parser p;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(err, 0, sizeof(*err));
	p.text = text;
	p.len = len;
	p.line = 1;
	p.column = 1;
	p.file = file ? file : CONF_DEFAULT_FILE;
	p.c = c;
	p.err = err;
	conf_init(c);

	rc = conf_parse_text(&p);
	if (rc == 0) {
		/* The router engine enforces the limits itself. */
		c->igmp.max_groups = c->max_groups_per_iface;
		c->igmp.max_sources_per_group = c->max_sources_per_group;
		rc = conf_check_igmp(&p);
	}
	if (rc == 0)
		rc = conf_check_ssm(&p);
	if (rc == 0)
		rc = conf_check_dvmrp(&p);
	if (rc == 0)
		rc = conf_check_tunnels(&p);
	free(p.version_pos);
	free(p.asm_statics);
	if (rc != 0) {
		conf_free(c);
		conf_init(c);
		return -1;
	}
	return 0;
}

int
conf_load(const char *path, struct conf *c, struct conf_error *err)
{
	struct conf_parser p = { .file = path, .err = err };
	struct stat st;
	size_t len = 0;
	ssize_t n;
	char *buf;
	int fd, rc, saved;

	memset(err, 0, sizeof(*err));
	conf_init(c);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return conf_fail(&p, 0, 0,
		    "cannot open: %s: expected a "
		    "readable configuration file",
		    strerror(errno));
	/* Whoever may change the file may change the router. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & S_IWOTH)) {
		close(fd);
		return conf_fail(&p, 0, 0,
		    "writable by every user (mode "
		    "%04o): expected a file that only its owner can change "
		    "(chmod o-w)",
		    (unsigned)(st.st_mode & 07777));
	}
	buf = malloc(CONF_MAX_FILE_SIZE + 1);
	if (buf == NULL) {
		close(fd);
		return conf_fail(&p, 0, 0, "out of memory");
	}
	for (;;) {
		n = read(fd, buf + len, CONF_MAX_FILE_SIZE + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > CONF_MAX_FILE_SIZE)
			break;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		return conf_fail(&p, 0, 0,
		    "cannot read: %s: expected a "
		    "readable configuration file",
		    strerror(saved));
	}
	if (len > CONF_MAX_FILE_SIZE) {
		free(buf);
		return conf_fail(&p, 0, 0,
		    "larger than 1 MiB: expected a "
		    "configuration file of at most %d bytes",
		    CONF_MAX_FILE_SIZE);
	}
	rc = conf_parse(buf, len, path, c, err);
	free(buf);
	return rc;
}

const struct conf_phyint *
conf_phyint(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nphyints; i++)
		if (strcmp(c->phyints[i].name, name) == 0)
			return &c->phyints[i];
	return NULL;
}

void
conf_phyint_igmp(const struct conf *c, const struct conf_phyint *pi,
    struct igmp_router_config *out)
{
	*out = c->igmp;
	if (pi != NULL && pi->igmp_version != 0)
		out->version = pi->igmp_version;
}

void
conf_error_format(const struct conf_error *e, char *buf, size_t len)
{
	if (e->line == 0)
		snprintf(buf, len, "%s: %s", e->file, e->message);
	else if (e->column == 0) /* a statement's line, not a word's */
		snprintf(buf, len, "%s:%u: %s", e->file, e->line, e->message);
	else
		snprintf(buf, len, "%s:%u:%u: %s", e->file, e->line, e->column,
		    e->message);
}
