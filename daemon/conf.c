/*
 * mcastd.conf: the lexer, the parser with its checks, and the printer of
 * the normalised form.  man/mcastd.conf.5 is the grammar; keep them in
 * step.
 *
 * The text is cut into words, '{', '}' and statement ends (a newline or
 * ';'); '#' starts a comment that runs to the end of the line and a '\'
 * just before a newline joins two lines.  Lines and columns are 1-based
 * and count bytes, a tab is one column.  Checks that need the whole file
 * (the IGMP timers against every version in use, static groups against
 * the SSM range) run once the text has been read, at the position of the
 * word that made them fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "conf.h"

#define CONF_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CONF_QUOTE_MAX		24	/* bytes of a word quoted in messages */
#define CONF_V2_MAX_MS		25500	/* RFC 2236 2.2: 8 bits of tenths */
#define CONF_DEFAULT_FILE	"-"

_Static_assert(sizeof(unsigned) == sizeof(uint32_t),
    "conf_keys reaches unsigned and uint32_t fields alike");

enum conf_tok_kind {
	CONF_TOK_WORD,
	CONF_TOK_END,		/* a newline or ';' */
	CONF_TOK_LBRACE,
	CONF_TOK_RBRACE,
	CONF_TOK_EOF,
};

struct conf_tok {
	enum conf_tok_kind	 kind;
	const char		*s;	/* not NUL-terminated */
	size_t			 len;
	unsigned		 line;
	unsigned		 column;
};

struct conf_pos {
	unsigned	line;		/* 0: not given */
	unsigned	column;
};

enum conf_block {
	CONF_BLOCK_IGMP,
	CONF_BLOCK_LIMITS,
	CONF_BLOCK_MFC,
	CONF_BLOCK_COUNT,
};

static const char *const conf_block_names[CONF_BLOCK_COUNT] = {
	[CONF_BLOCK_IGMP] = "igmp",
	[CONF_BLOCK_LIMITS] = "limits",
	[CONF_BLOCK_MFC] = "mfc",
};

/* What a block setting's value is. */
enum conf_kind {
	CONF_KIND_NUMBER,	/* min-max */
	CONF_KIND_LIMIT,	/* min-max, or none (stored as 0) */
	CONF_KIND_MS,		/* a duration, stored in ms */
	CONF_KIND_SECONDS,	/* a duration of whole seconds, stored in s */
	CONF_KIND_BOOL,		/* yes or no */
	CONF_KIND_SSM,		/* a multicast prefix or none */
};

struct conf_key {
	enum conf_block	 block;
	const char	*name;
	enum conf_kind	 kind;
	size_t		 off;		/* of the value in struct conf */
	uint32_t	 min;		/* ms for MS, s for SECONDS */
	uint32_t	 max;
	uint32_t	 step_ms;	/* MS: the value is a multiple of it */
	const char	*step_why;
};

enum conf_key_index {
	CONF_KEY_VERSION,
	CONF_KEY_RV,
	CONF_KEY_QI,
	CONF_KEY_QRI,
	CONF_KEY_SQI,
	CONF_KEY_SQC,
	CONF_KEY_LMQI,
	CONF_KEY_LMQC,
	CONF_KEY_RA,
	CONF_KEY_SSM,
	CONF_KEY_GROUPS,
	CONF_KEY_SOURCES,
	CONF_KEY_UPCALLS,
	CONF_KEY_MFC_IDLE,
	CONF_NKEYS,
};

#define CONF_IGMP(f)	offsetof(struct conf, igmp.f)
#define CONF_QQIC	"the QQIC field carries whole seconds"
#define CONF_MRC	"the Max Resp Code carries tenths of a second"

/*
 * Every setting of every block, in the order conf_print writes them.  The
 * IGMP rows come from RFC 2236 and RFC 3376 section 8 (the comments name
 * the subsection); the ranges are what the wire can carry.
 */
static const struct conf_key conf_keys[CONF_NKEYS] = {
	/* The query version: 1 RFC 1112, 2 RFC 2236, 3 RFC 3376. */
	[CONF_KEY_VERSION] = { CONF_BLOCK_IGMP, "version",
	    CONF_KIND_NUMBER, CONF_IGMP(version), 1, 3, 0, NULL },
	/* 8.1 Robustness Variable: the QRV field has 3 bits. */
	[CONF_KEY_RV] = { CONF_BLOCK_IGMP, "robustness",
	    CONF_KIND_NUMBER, CONF_IGMP(robustness), 1, 7, 0, NULL },
	/* 8.2 Query Interval: at most what QQIC codes (RFC 3376 4.1.7). */
	[CONF_KEY_QI] = { CONF_BLOCK_IGMP, "query-interval",
	    CONF_KIND_MS, CONF_IGMP(query_interval_ms), 1000, 31744000,
	    1000, CONF_QQIC },
	/* 8.3 Query Response Interval: the Max Resp Code (4.1.1). */
	[CONF_KEY_QRI] = { CONF_BLOCK_IGMP, "query-response-interval",
	    CONF_KIND_MS, CONF_IGMP(query_response_interval_ms), 100,
	    3174400, 100, CONF_MRC },
	/* 8.6 Startup Query Interval (0: QI / 4). */
	[CONF_KEY_SQI] = { CONF_BLOCK_IGMP, "startup-query-interval",
	    CONF_KIND_MS, CONF_IGMP(startup_query_interval_ms), 100,
	    31744000, 1, NULL },
	/* 8.7 Startup Query Count (0: RV). */
	[CONF_KEY_SQC] = { CONF_BLOCK_IGMP, "startup-query-count",
	    CONF_KIND_NUMBER, CONF_IGMP(startup_query_count), 1, 255, 0,
	    NULL },
	/* 8.8 Last Member Query Interval: a Max Resp Code too. */
	[CONF_KEY_LMQI] = { CONF_BLOCK_IGMP, "last-member-query-interval",
	    CONF_KIND_MS, CONF_IGMP(last_member_query_interval_ms), 100,
	    3174400, 100, CONF_MRC },
	/* 8.9 Last Member Query Count (0: RV). */
	[CONF_KEY_LMQC] = { CONF_BLOCK_IGMP, "last-member-query-count",
	    CONF_KIND_NUMBER, CONF_IGMP(last_member_query_count), 1, 255, 0,
	    NULL },
	/* 9.2: reports without the Router Alert option are dropped. */
	[CONF_KEY_RA] = { CONF_BLOCK_IGMP, "require-router-alert",
	    CONF_KIND_BOOL, CONF_IGMP(require_router_alert), 0, 0, 0, NULL },
	/* RFC 4604: the range where only (S,G) joins count. */
	[CONF_KEY_SSM] = { CONF_BLOCK_IGMP, "ssm-range",
	    CONF_KIND_SSM, CONF_IGMP(ssm_prefix), 0, 0, 0, NULL },
	[CONF_KEY_GROUPS] = { CONF_BLOCK_LIMITS, "groups", CONF_KIND_LIMIT,
	    offsetof(struct conf, max_groups_per_iface), 1, UINT32_MAX, 0,
	    NULL },
	[CONF_KEY_SOURCES] = { CONF_BLOCK_LIMITS, "sources", CONF_KIND_LIMIT,
	    offsetof(struct conf, max_sources_per_group), 1, UINT32_MAX, 0,
	    NULL },
	[CONF_KEY_UPCALLS] = { CONF_BLOCK_LIMITS, "upcalls", CONF_KIND_LIMIT,
	    offsetof(struct conf, max_pending_upcalls), 1, UINT32_MAX, 0,
	    NULL },
	[CONF_KEY_MFC_IDLE] = { CONF_BLOCK_MFC, "idle-timeout",
	    CONF_KIND_SECONDS, offsetof(struct conf, mfc_idle_timeout_s), 1,
	    86400, 1000, "the timeout is kept in seconds" },
};

/* A static-group without a source, checked against the SSM range. */
struct conf_asm_static {
	struct in_addr	group;
	struct conf_pos	pos;
};

struct conf_parser {
	const char		*text;
	size_t			 len;
	size_t			 off;
	unsigned		 line;		/* of text[off] */
	unsigned		 column;
	const char		*file;
	struct conf		*c;
	struct conf_error	*err;
	struct conf_tok		 cur;		/* the next token */

	unsigned		 default_phyint_line;
	unsigned		 block_line[CONF_BLOCK_COUNT];
	struct conf_pos		 key_pos[CONF_NKEYS];	/* of the values */
	struct conf_pos		*version_pos;	/* per phyint: igmpvN */
	size_t			 phyint_cap;
	size_t			 mroute_cap;
	struct conf_asm_static	*asm_statics;
	size_t			 nasm_statics;
	size_t			 asm_statics_cap;
};

static void
conf_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int conf_fail(struct conf_parser *p, unsigned line, unsigned column,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
conf_fail(struct conf_parser *p, unsigned line, unsigned column,
    const char *fmt, ...)
{
	va_list ap;

	conf_strlcpy(p->err->file, p->file, sizeof(p->err->file));
	p->err->line = line;
	p->err->column = column;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* A token as messages show it: 'word' (cut short), end of line ... */
static const char *
conf_tok_str(const struct conf_tok *t, char *buf, size_t size)
{
	switch (t->kind) {
	case CONF_TOK_WORD:
		if (t->len > CONF_QUOTE_MAX)
			snprintf(buf, size, "'%.*s...'", CONF_QUOTE_MAX, t->s);
		else
			snprintf(buf, size, "'%.*s'", (int)t->len, t->s);
		return buf;
	case CONF_TOK_END:
		return t->s[0] == ';' ? "';'" : "end of line";
	case CONF_TOK_LBRACE:
		return "'{'";
	case CONF_TOK_RBRACE:
		return "'}'";
	case CONF_TOK_EOF:
		break;
	}
	return "end of file";
}

#define CONF_TOKBUF	(CONF_QUOTE_MAX + 8)

/* "WHAT: expected EXPECTED, got TOKEN" at the token. */
static int
conf_fail_expected(struct conf_parser *p, const struct conf_tok *t,
    const char *what, const char *expected)
{
	char buf[CONF_TOKBUF];

	return conf_fail(p, t->line, t->column, "%s%sexpected %s, got %s",
	    what ? what : "", what ? ": " : "", expected,
	    conf_tok_str(t, buf, sizeof(buf)));
}

static bool
conf_tok_is(const struct conf_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == CONF_TOK_WORD && t->len == n &&
	    memcmp(t->s, word, n) == 0;
}

/* A word copied to a NUL-terminated buffer; false when it does not fit. */
static bool
conf_tok_copy(const struct conf_tok *t, char *buf, size_t size)
{
	if (t->kind != CONF_TOK_WORD || t->len >= size)
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	return true;
}

/* --- lexer --------------------------------------------------------- */

static bool
conf_is_delimiter(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	    ch == '#' || ch == ';' || ch == '{' || ch == '}' || ch == '\\' ||
	    ch < 0x20 || ch == 0x7f;
}

static void
conf_lex_skip(struct conf_parser *p, size_t n)
{
	p->off += n;
	p->column += n;
}

static void
conf_lex_newline(struct conf_parser *p, size_t n)
{
	p->off += n;
	p->line++;
	p->column = 1;
}

/* The next token into p->cur: 0, or -1 (a stray byte) with the error. */
static int
conf_advance(struct conf_parser *p)
{
	struct conf_tok *t = &p->cur;
	unsigned char ch;
	size_t rest;

	for (;;) {
		t->line = p->line;
		t->column = p->column;
		t->s = p->text + p->off;
		t->len = 0;
		if (p->off >= p->len) {
			t->kind = CONF_TOK_EOF;
			return 0;
		}
		ch = (unsigned char)p->text[p->off];
		rest = p->len - p->off;
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			conf_lex_skip(p, 1);
		} else if (ch == '#') {
			while (p->off < p->len && p->text[p->off] != '\n')
				conf_lex_skip(p, 1);
		} else if (ch == '\\') {
			if (rest >= 2 && p->text[p->off + 1] == '\n') {
				conf_lex_newline(p, 2);
			} else if (rest >= 3 && p->text[p->off + 1] == '\r' &&
			    p->text[p->off + 2] == '\n') {
				conf_lex_newline(p, 3);
			} else {
				return conf_fail(p, t->line, t->column,
				    "stray '\\': expected it only at the end "
				    "of a line, to continue the statement on "
				    "the next");
			}
		} else if (ch == '\n' || ch == ';') {
			t->kind = CONF_TOK_END;
			t->len = 1;
			if (ch == '\n')
				conf_lex_newline(p, 1);
			else
				conf_lex_skip(p, 1);
			return 0;
		} else if (ch == '{' || ch == '}') {
			t->kind = ch == '{' ? CONF_TOK_LBRACE : CONF_TOK_RBRACE;
			t->len = 1;
			conf_lex_skip(p, 1);
			return 0;
		} else if (ch < 0x20 || ch == 0x7f) {
			return conf_fail(p, t->line, t->column,
			    "control character 0x%02x: expected text, a tab "
			    "or a newline", ch);
		} else {
			t->kind = CONF_TOK_WORD;
			while (p->off < p->len && !conf_is_delimiter(
			    (unsigned char)p->text[p->off]))
				conf_lex_skip(p, 1);
			t->len = (size_t)(p->text + p->off - t->s);
			return 0;
		}
	}
}

/* --- values -------------------------------------------------------- */

/* Decimal digits only: 0, -1 (not a number) or -2 (above max). */
static int
conf_number(const struct conf_tok *t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (t->kind != CONF_TOK_WORD || t->len == 0)
		return -1;
	for (i = 0; i < t->len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
	for (i = 0; i < t->len; i++) {
		v = v * 10 + (uint64_t)(t->s[i] - '0');
		if (v > max)
			return -2;
	}
	*out = v;
	return 0;
}

/* "125", "125s", "500ms", "2m", "1h": 0, -1 (syntax) or -2 (too long). */
static int
conf_duration(const struct conf_tok *t, uint64_t *ms)
{
	static const struct {
		const char	*unit;
		uint64_t	 ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 },
	};
	struct conf_tok digits = *t;
	size_t i, n;
	uint64_t v;
	int rc;

	if (t->kind != CONF_TOK_WORD)
		return -1;
	for (n = 0; n < t->len && t->s[n] >= '0' && t->s[n] <= '9'; n++)
		;
	if (n == 0)
		return -1;
	digits.len = n;
	for (i = 0; i < CONF_ARRAY_SIZE(units); i++) {
		if (strlen(units[i].unit) != t->len - n ||
		    memcmp(units[i].unit, t->s + n, t->len - n) != 0)
			continue;
		rc = conf_number(&digits, UINT32_MAX, &v);
		if (rc != 0)
			return rc;
		*ms = v * units[i].ms;
		return 0;
	}
	return -1;
}

/* The largest unit that says it exactly: 2m, 125s, 500ms. */
static const char *
conf_duration_str(uint64_t ms, char *buf, size_t size)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, size, "%" PRIu64 "h", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, size, "%" PRIu64 "m", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, size, "%" PRIu64 "s", ms / 1000);
	else
		snprintf(buf, size, "%" PRIu64 "ms", ms);
	return buf;
}

static bool
conf_parse_addr(const struct conf_tok *t, struct in_addr *out)
{
	char buf[INET_ADDRSTRLEN];

	return conf_tok_copy(t, buf, sizeof(buf)) &&
	    inet_pton(AF_INET, buf, out) == 1;
}

static uint32_t
conf_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* "A.B.C.D/N", host bits not yet checked. */
static bool
conf_parse_prefix(const struct conf_tok *t, struct conf_prefix *out)
{
	char buf[INET_ADDRSTRLEN + 3], *slash, *end;
	unsigned long len;

	if (!conf_tok_copy(t, buf, sizeof(buf)))
		return false;
	slash = strchr(buf, '/');
	if (slash == NULL || slash[1] < '0' || slash[1] > '9' ||
	    strlen(slash + 1) > 2)
		return false;
	*slash = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len > 32 ||
	    inet_pton(AF_INET, buf, &out->addr) != 1)
		return false;
	out->len = (uint8_t)len;
	return true;
}

static const char *
conf_addr_str(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* A multicast prefix with no host bits: for boundary and ssm-range. */
static int
conf_mcast_prefix(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct conf_prefix *out)
{
	char buf[INET_ADDRSTRLEN];
	uint32_t a;

	if (!conf_parse_prefix(t, out))
		return conf_fail_expected(p, t, what,
		    "a multicast prefix such as 239.0.0.0/8");
	a = ntohl(out->addr.s_addr);
	if ((a & ~conf_mask(out->len)) != 0) {
		struct in_addr net = { htonl(a & conf_mask(out->len)) };

		return conf_fail(p, t->line, t->column,
		    "%.*s has host bits set: expected %s/%u", (int)t->len,
		    t->s, conf_addr_str(net, buf), out->len);
	}
	if (out->len < 4 || (a >> 28) != 0xe)
		return conf_fail(p, t->line, t->column,
		    "%s %.*s is not a multicast prefix: expected a prefix "
		    "within 224.0.0.0/4", what, (int)t->len, t->s);
	return 0;
}

/* A group mcastd may route: multicast, not link-local (224.0.0.0/24). */
static int
conf_group(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct in_addr *out)
{
	uint32_t a;

	if (!conf_parse_addr(t, out))
		return conf_fail_expected(p, t, what,
		    "an IPv4 multicast group such as 239.1.2.3");
	a = ntohl(out->s_addr);
	if ((a >> 28) != 0xe)
		return conf_fail(p, t->line, t->column,
		    "%.*s is not a multicast group: expected an address "
		    "within 224.0.0.0/4", (int)t->len, t->s);
	if ((a >> 8) == 0xe00000)
		return conf_fail(p, t->line, t->column,
		    "%.*s is in 224.0.0.0/24, which is never forwarded "
		    "(RFC 5771): expected a group outside it", (int)t->len,
		    t->s);
	return 0;
}

/* A unicast source address. */
static int
conf_source(struct conf_parser *p, const struct conf_tok *t,
    struct in_addr *out)
{
	const char *why = NULL;
	uint32_t a;

	if (!conf_parse_addr(t, out))
		return conf_fail_expected(p, t, "source",
		    "an IPv4 unicast address such as 198.18.0.1");
	a = ntohl(out->s_addr);
	if ((a >> 24) == 0)
		why = "in 0.0.0.0/8 (this network)";
	else if ((a >> 24) == 127)
		why = "a loopback address";
	else if ((a >> 28) == 0xe)
		why = "a multicast address";
	else if ((a >> 28) == 0xf)
		why = "in the reserved 240.0.0.0/4";
	if (why != NULL)
		return conf_fail(p, t->line, t->column,
		    "source %.*s is %s: expected a unicast address",
		    (int)t->len, t->s, why);
	return 0;
}

/* An interface name as Linux allows it (dev_valid_name). */
static int
conf_ifname(struct conf_parser *p, const struct conf_tok *t,
    const char *what, char name[IF_NAMESIZE])
{
	char tok[CONF_TOKBUF];
	size_t i;

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, what, "an interface name");
	if (t->len >= IF_NAMESIZE)
		return conf_fail(p, t->line, t->column,
		    "%s: interface name %s is %zu characters long: expected "
		    "at most %d", what, conf_tok_str(t, tok, sizeof(tok)),
		    t->len, IF_NAMESIZE - 1);
	for (i = 0; i < t->len; i++)
		if (t->s[i] == '/' || t->s[i] == ':')
			return conf_fail(p, t->line, t->column,
			    "%s: interface name %s contains '%c': expected a "
			    "name without '/' or ':'", what,
			    conf_tok_str(t, tok, sizeof(tok)), t->s[i]);
	if (conf_tok_is(t, ".") || conf_tok_is(t, ".."))
		return conf_fail_expected(p, t, what, "an interface name");
	memcpy(name, t->s, t->len);
	name[t->len] = '\0';
	return 0;
}

/* After a statement: a newline, ';', the end of the file or (in a
 * block) '}'. */
static int
conf_end_of_statement(struct conf_parser *p, const char *what, bool in_block)
{
	enum conf_tok_kind k = p->cur.kind;

	if (k == CONF_TOK_END || k == CONF_TOK_EOF ||
	    (in_block && k == CONF_TOK_RBRACE))
		return 0;
	return conf_fail_expected(p, &p->cur, what, in_block ?
	    "the end of the setting (a newline, ';' or '}')" :
	    "the end of the statement (a newline or ';')");
}

static bool
conf_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *a;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	a = realloc(*arr, ncap * size);
	if (a == NULL)
		return false;
	*arr = a;
	*cap = ncap;
	return true;
}

static int
conf_no_memory(struct conf_parser *p)
{
	return conf_fail(p, p->cur.line, p->cur.column,
	    "out of memory: expected a smaller configuration");
}

/* --- statements ---------------------------------------------------- */

/* default-phyint enable|disable */
static int
conf_parse_default_phyint(struct conf_parser *p)
{
	struct conf_tok kw = p->cur;

	if (p->default_phyint_line != 0)
		return conf_fail(p, kw.line, kw.column,
		    "default-phyint already given at line %u: expected it "
		    "once", p->default_phyint_line);
	p->default_phyint_line = kw.line;
	if (conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "enable"))
		p->c->default_disable = false;
	else if (conf_tok_is(&p->cur, "disable"))
		p->c->default_disable = true;
	else
		return conf_fail_expected(p, &p->cur, "default-phyint",
		    "enable or disable");
	if (conf_advance(p) != 0)
		return -1;
	return conf_end_of_statement(p, "default-phyint", false);
}

/* A flag option (enable/disable, igmpvN): once, and not two of a kind. */
static int
conf_phyint_once(struct conf_parser *p, const struct conf_phyint *pi,
    struct conf_tok *seen, const char *kind)
{
	char a[CONF_TOKBUF], b[CONF_TOKBUF];

	if (seen->len == 0) {
		*seen = p->cur;
		return 0;
	}
	if (seen->len == p->cur.len &&
	    memcmp(seen->s, p->cur.s, seen->len) == 0)
		return conf_fail(p, p->cur.line, p->cur.column,
		    "phyint %s: %s given twice: expected it once", pi->name,
		    conf_tok_str(&p->cur, a, sizeof(a)));
	return conf_fail(p, p->cur.line, p->cur.column,
	    "phyint %s: %s contradicts %s: expected one %s", pi->name,
	    conf_tok_str(&p->cur, a, sizeof(a)),
	    conf_tok_str(seen, b, sizeof(b)), kind);
}

static int
conf_phyint_boundary(struct conf_parser *p, struct conf_phyint *pi)
{
	struct conf_prefix b;
	unsigned i;

	if (conf_advance(p) != 0)
		return -1;
	if (conf_mcast_prefix(p, &p->cur, "boundary", &b) != 0)
		return -1;
	for (i = 0; i < pi->nboundaries; i++)
		if (pi->boundaries[i].addr.s_addr == b.addr.s_addr &&
		    pi->boundaries[i].len == b.len)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "phyint %s: boundary %.*s given twice: expected "
			    "each prefix once", pi->name, (int)p->cur.len,
			    p->cur.s);
	if (pi->nboundaries == CONF_MAX_BOUNDARIES)
		return conf_fail(p, p->cur.line, p->cur.column,
		    "phyint %s: boundary %.*s is one too many: expected at "
		    "most %d", pi->name, (int)p->cur.len, p->cur.s,
		    CONF_MAX_BOUNDARIES);
	pi->boundaries[pi->nboundaries++] = b;
	return conf_advance(p);
}

static int
conf_phyint_static(struct conf_parser *p, struct conf_phyint *pi)
{
	struct conf_static_group sg = { .has_source = false };
	struct conf_tok gt;
	char gbuf[INET_ADDRSTRLEN], sbuf[INET_ADDRSTRLEN];
	unsigned i;

	if (conf_advance(p) != 0)
		return -1;
	gt = p->cur;
	if (conf_group(p, &gt, "static-group", &sg.group) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "source")) {
		if (conf_advance(p) != 0 ||
		    conf_source(p, &p->cur, &sg.source) != 0)
			return -1;
		sg.has_source = true;
	}
	for (i = 0; i < pi->nstatics; i++) {
		const struct conf_static_group *o = &pi->statics[i];

		if (o->group.s_addr != sg.group.s_addr ||
		    o->has_source != sg.has_source ||
		    (sg.has_source && o->source.s_addr != sg.source.s_addr))
			continue;
		return conf_fail(p, gt.line, gt.column,
		    "phyint %s: static-group %s%s%s given twice: expected "
		    "each group once", pi->name,
		    conf_addr_str(sg.group, gbuf), sg.has_source ?
		    " source " : "", sg.has_source ?
		    conf_addr_str(sg.source, sbuf) : "");
	}
	if (pi->nstatics == CONF_MAX_STATIC)
		return conf_fail(p, gt.line, gt.column,
		    "phyint %s: static-group %s is one too many: expected "
		    "at most %d", pi->name, conf_addr_str(sg.group, gbuf),
		    CONF_MAX_STATIC);
	if (!sg.has_source) {
		if (!conf_grow((void **)&p->asm_statics, &p->asm_statics_cap,
		    p->nasm_statics, sizeof(*p->asm_statics)))
			return conf_no_memory(p);
		p->asm_statics[p->nasm_statics].group = sg.group;
		p->asm_statics[p->nasm_statics].pos.line = gt.line;
		p->asm_statics[p->nasm_statics].pos.column = gt.column;
		p->nasm_statics++;
	}
	pi->statics[pi->nstatics++] = sg;
	if (sg.has_source)
		return conf_advance(p);
	return 0;
}

/* phyint IF [disable|enable] [threshold N] [igmpv1|igmpv2|igmpv3]
 *     [boundary PREFIX]... [static-group G [source S]]... */
static int
conf_parse_phyint(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct conf_tok kw = p->cur, state = { .len = 0 },
	    version = { .len = 0 }, threshold = { .len = 0 };
	struct conf_phyint *pi;
	char name[IF_NAMESIZE];
	uint64_t v;
	size_t i;

	if (conf_advance(p) != 0 ||
	    conf_ifname(p, &p->cur, "phyint", name) != 0)
		return -1;
	for (i = 0; i < c->nphyints; i++)
		if (strcmp(c->phyints[i].name, name) == 0)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "phyint %s already declared at line %u: expected "
			    "each interface once", name, c->phyints[i].line);
	if (c->nphyints == CONF_MAX_PHYINTS)
		return conf_fail(p, kw.line, kw.column,
		    "phyint %s is one too many: expected at most %d", name,
		    CONF_MAX_PHYINTS);
	if (!conf_grow((void **)&c->phyints, &p->phyint_cap, c->nphyints,
	    sizeof(*c->phyints)))
		return conf_no_memory(p);
	/* version_pos grows in step: its capacity is p->phyint_cap. */
	{
		struct conf_pos *vp = realloc(p->version_pos,
		    p->phyint_cap * sizeof(*vp));

		if (vp == NULL)
			return conf_no_memory(p);
		p->version_pos = vp;
	}
	pi = &c->phyints[c->nphyints];
	memset(pi, 0, sizeof(*pi));
	memset(&p->version_pos[c->nphyints], 0, sizeof(*p->version_pos));
	conf_strlcpy(pi->name, name, sizeof(pi->name));
	pi->threshold = 1;
	pi->line = kw.line;
	c->nphyints++;
	if (conf_advance(p) != 0)
		return -1;

	while (p->cur.kind == CONF_TOK_WORD) {
		struct conf_tok *t = &p->cur;

		if (conf_tok_is(t, "disable") || conf_tok_is(t, "enable")) {
			if (conf_phyint_once(p, pi, &state,
			    "of enable or disable") != 0)
				return -1;
			pi->disable = conf_tok_is(t, "disable");
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "igmpv1") ||
		    conf_tok_is(t, "igmpv2") || conf_tok_is(t, "igmpv3")) {
			if (conf_phyint_once(p, pi, &version,
			    "IGMP version") != 0)
				return -1;
			pi->igmp_version = (unsigned)(t->s[5] - '0');
			p->version_pos[c->nphyints - 1].line = t->line;
			p->version_pos[c->nphyints - 1].column = t->column;
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "threshold")) {
			if (threshold.len != 0)
				return conf_fail(p, t->line, t->column,
				    "phyint %s: 'threshold' given twice: "
				    "expected it once", pi->name);
			threshold = *t;
			if (conf_advance(p) != 0)
				return -1;
			if (conf_number(t, 255, &v) != 0 || v == 0)
				return conf_fail_expected(p, t, "threshold",
				    "a TTL threshold 1-255");
			pi->threshold = (uint8_t)v;
			if (conf_advance(p) != 0)
				return -1;
		} else if (conf_tok_is(t, "boundary")) {
			if (conf_phyint_boundary(p, pi) != 0)
				return -1;
		} else if (conf_tok_is(t, "static-group")) {
			if (conf_phyint_static(p, pi) != 0)
				return -1;
		} else {
			char what[IF_NAMESIZE + 8];

			snprintf(what, sizeof(what), "phyint %s", pi->name);
			return conf_fail_expected(p, t, what,
			    "disable, enable, threshold, igmpv1, igmpv2, "
			    "igmpv3, boundary or static-group");
		}
	}
	return conf_end_of_statement(p, "phyint", false);
}

/* mroute from IF [source S] group G to IF... */
static int
conf_parse_mroute(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct conf_tok kw = p->cur, gt;
	struct conf_mroute *mr;
	char name[IF_NAMESIZE], gbuf[INET_ADDRSTRLEN], sbuf[INET_ADDRSTRLEN];
	size_t i;
	unsigned j;

	if (c->nmroutes == CONF_MAX_MROUTES)
		return conf_fail(p, kw.line, kw.column,
		    "mroute is one too many: expected at most %d",
		    CONF_MAX_MROUTES);
	if (!conf_grow((void **)&c->mroutes, &p->mroute_cap, c->nmroutes,
	    sizeof(*c->mroutes)))
		return conf_no_memory(p);
	mr = &c->mroutes[c->nmroutes];
	memset(mr, 0, sizeof(*mr));
	mr->line = kw.line;

	if (conf_advance(p) != 0)
		return -1;
	if (!conf_tok_is(&p->cur, "from"))
		return conf_fail_expected(p, &p->cur, "mroute", "'from'");
	if (conf_advance(p) != 0 ||
	    conf_ifname(p, &p->cur, "from", mr->iif) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	if (conf_tok_is(&p->cur, "source")) {
		if (conf_advance(p) != 0 ||
		    conf_source(p, &p->cur, &mr->source) != 0 ||
		    conf_advance(p) != 0)
			return -1;
		mr->has_source = true;
		if (!conf_tok_is(&p->cur, "group"))
			return conf_fail_expected(p, &p->cur, "mroute",
			    "'group'");
	} else if (!conf_tok_is(&p->cur, "group")) {
		return conf_fail_expected(p, &p->cur, "mroute",
		    "'source' or 'group'");
	}
	if (conf_advance(p) != 0)
		return -1;
	gt = p->cur;
	if (conf_group(p, &gt, "group", &mr->group) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	for (i = 0; i < c->nmroutes; i++) {
		const struct conf_mroute *o = &c->mroutes[i];

		if (o->group.s_addr != mr->group.s_addr ||
		    o->has_source != mr->has_source ||
		    (mr->has_source && o->source.s_addr != mr->source.s_addr))
			continue;
		return conf_fail(p, gt.line, gt.column,
		    "mroute for (%s, %s) already given at line %u: expected "
		    "one route per source and group", mr->has_source ?
		    conf_addr_str(mr->source, sbuf) : "*",
		    conf_addr_str(mr->group, gbuf), o->line);
	}
	if (!conf_tok_is(&p->cur, "to"))
		return conf_fail_expected(p, &p->cur, "mroute", "'to'");
	if (conf_advance(p) != 0)
		return -1;
	if (p->cur.kind != CONF_TOK_WORD)
		return conf_fail_expected(p, &p->cur, "to",
		    "an outgoing interface");
	while (p->cur.kind == CONF_TOK_WORD) {
		if (conf_ifname(p, &p->cur, "to", name) != 0)
			return -1;
		if (strcmp(name, mr->iif) == 0)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "to: %s is the incoming interface: expected "
			    "outgoing interfaces other than 'from %s'", name,
			    mr->iif);
		for (j = 0; j < mr->noifs; j++)
			if (strcmp(mr->oifs[j], name) == 0)
				return conf_fail(p, p->cur.line,
				    p->cur.column, "to: %s given twice: "
				    "expected each interface once", name);
		if (mr->noifs == CONF_MAX_OIFS)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "to: %s is one too many: expected at most %d "
			    "outgoing interfaces", name, CONF_MAX_OIFS);
		conf_strlcpy(mr->oifs[mr->noifs++], name, IF_NAMESIZE);
		if (conf_advance(p) != 0)
			return -1;
	}
	c->nmroutes++;
	return conf_end_of_statement(p, "mroute", false);
}

static void *
conf_key_ptr(struct conf *c, const struct conf_key *k)
{
	return (char *)c + k->off;
}

static const void *
conf_key_cptr(const struct conf *c, const struct conf_key *k)
{
	return (const char *)c + k->off;
}

static int
conf_parse_key_value(struct conf_parser *p, const struct conf_key *k)
{
	const struct conf_tok *t = &p->cur;
	uint32_t *u = conf_key_ptr(p->c, k);
	char lo[24], hi[24], range[64], tok[CONF_TOKBUF];
	struct conf_prefix pfx;
	uint64_t v, min_ms, max_ms;
	int rc;

	switch (k->kind) {
	case CONF_KIND_NUMBER:
	case CONF_KIND_LIMIT:
		if (k->kind == CONF_KIND_LIMIT && conf_tok_is(t, "none")) {
			*u = 0;
			return 0;
		}
		if (conf_number(t, k->max, &v) != 0 || v < k->min) {
			snprintf(range, sizeof(range), "a number %" PRIu32
			    "-%" PRIu32 "%s", k->min, k->max,
			    k->kind == CONF_KIND_LIMIT ? " or none" : "");
			return conf_fail_expected(p, t, k->name, range);
		}
		*u = (uint32_t)v;
		return 0;
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS:
		min_ms = k->min;
		max_ms = k->max;
		if (k->kind == CONF_KIND_SECONDS) {
			min_ms *= 1000;
			max_ms *= 1000;
		}
		rc = conf_duration(t, &v);
		if (rc == -1)
			return conf_fail_expected(p, t, k->name, "a duration "
			    "such as 125, 125s, 500ms or 2m");
		if (rc != 0 || v < min_ms || v > max_ms) {
			snprintf(range, sizeof(range), "a duration from %s "
			    "to %s", conf_duration_str(min_ms, lo, sizeof(lo)),
			    conf_duration_str(max_ms, hi, sizeof(hi)));
			return conf_fail_expected(p, t, k->name, range);
		}
		if (v % k->step_ms != 0)
			return conf_fail(p, t->line, t->column,
			    "%s: expected a multiple of %s (%s), got %s",
			    k->name, conf_duration_str(k->step_ms, lo,
			    sizeof(lo)), k->step_why,
			    conf_tok_str(t, tok, sizeof(tok)));
		*u = (uint32_t)(k->kind == CONF_KIND_SECONDS ? v / 1000 : v);
		return 0;
	case CONF_KIND_BOOL:
		if (!conf_tok_is(t, "yes") && !conf_tok_is(t, "no"))
			return conf_fail_expected(p, t, k->name,
			    "yes or no");
		*(bool *)conf_key_ptr(p->c, k) = conf_tok_is(t, "yes");
		return 0;
	case CONF_KIND_SSM:
		if (conf_tok_is(t, "none")) {
			p->c->igmp.ssm_prefix.s_addr = 0;
			p->c->igmp.ssm_prefix_len = 0;
			return 0;
		}
		if (!conf_parse_prefix(t, &pfx))
			return conf_fail_expected(p, t, k->name,
			    "a multicast prefix such as 232.0.0.0/8, or none");
		if (conf_mcast_prefix(p, t, k->name, &pfx) != 0)
			return -1;
		p->c->igmp.ssm_prefix = pfx.addr;
		p->c->igmp.ssm_prefix_len = pfx.len;
		return 0;
	}
	return -1;
}

/* igmp { ... }, limits { ... }, mfc { ... } */
static int
conf_parse_block(struct conf_parser *p, enum conf_block b)
{
	const char *bname = conf_block_names[b];
	struct conf_tok kw = p->cur;
	char expected[sizeof(p->err->message)];
	size_t i, n;

	if (p->block_line[b] != 0)
		return conf_fail(p, kw.line, kw.column,
		    "%s block already given at line %u: expected one %s "
		    "block", bname, p->block_line[b], bname);
	p->block_line[b] = kw.line;
	if (conf_advance(p) != 0)
		return -1;
	if (p->cur.kind != CONF_TOK_LBRACE)
		return conf_fail_expected(p, &p->cur, bname, "'{'");
	if (conf_advance(p) != 0)
		return -1;
	for (;;) {
		const struct conf_key *k = NULL;

		switch (p->cur.kind) {
		case CONF_TOK_END:
			if (conf_advance(p) != 0)
				return -1;
			continue;
		case CONF_TOK_RBRACE:
			if (conf_advance(p) != 0)
				return -1;
			return conf_end_of_statement(p, bname, false);
		case CONF_TOK_EOF:
			return conf_fail(p, p->cur.line, p->cur.column,
			    "%s block opened at line %u is not closed: "
			    "expected '}', got end of file", bname, kw.line);
		case CONF_TOK_LBRACE:
		case CONF_TOK_WORD:
			break;
		}
		for (i = 0; i < CONF_NKEYS; i++)
			if (conf_keys[i].block == b &&
			    conf_tok_is(&p->cur, conf_keys[i].name)) {
				k = &conf_keys[i];
				break;
			}
		if (k == NULL) {
			expected[0] = '\0';
			for (i = 0, n = 0; i < CONF_NKEYS; i++)
				if (conf_keys[i].block == b)
					n++;
			for (i = 0; i < CONF_NKEYS; i++) {
				if (conf_keys[i].block != b)
					continue;
				n--;
				snprintf(expected + strlen(expected),
				    sizeof(expected) - strlen(expected),
				    "%s%s", conf_keys[i].name, n == 0 ? "" :
				    n == 1 ? " or " : ", ");
			}
			return conf_fail_expected(p, &p->cur, bname, expected);
		}
		if (p->key_pos[i].line != 0)
			return conf_fail(p, p->cur.line, p->cur.column,
			    "%s: %s already given at line %u: expected each "
			    "setting once", bname, k->name,
			    p->key_pos[i].line);
		if (conf_advance(p) != 0)
			return -1;
		p->key_pos[i].line = p->cur.line;
		p->key_pos[i].column = p->cur.column;
		if (conf_parse_key_value(p, k) != 0 || conf_advance(p) != 0 ||
		    conf_end_of_statement(p, k->name, true) != 0)
			return -1;
	}
}

/* --- checks of the whole file -------------------------------------- */

static int
conf_fail_at_key(struct conf_parser *p, size_t key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
conf_fail_at_key(struct conf_parser *p, size_t key, const char *fmt, ...)
{
	char msg[sizeof(p->err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return conf_fail(p, p->key_pos[key].line, p->key_pos[key].column,
	    "%s", msg);
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
			    "2.2)", ifname, conf_keys[keys[i]].name, buf,
			    p->key_pos[keys[i]].line);
		return conf_fail_at_key(p, keys[i], "%s: %s is too long for "
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
	conf_duration_str(c->igmp.query_response_interval_ms, qri,
	    sizeof(qri));
	/* RFC 3376 8.3: the Query Response Interval is less than QI. */
	if (c->igmp.query_response_interval_ms >= c->igmp.query_interval_ms) {
		if (p->key_pos[CONF_KEY_QRI].line != 0)
			return conf_fail_at_key(p, CONF_KEY_QRI,
			    "query-response-interval: %s is not shorter than "
			    "query-interval %s: expected less (RFC 3376 8.3)",
			    qri, qi);
		return conf_fail_at_key(p, CONF_KEY_QI, "query-interval: %s "
		    "is not longer than query-response-interval %s (the "
		    "default): expected more (RFC 3376 8.3)", qi, qri);
	}
	if (c->igmp.version == 2 && conf_check_v2(p, NULL, NULL) != 0)
		return -1;
	for (i = 0; i < c->nphyints; i++)
		if (c->phyints[i].igmp_version == 2 &&
		    conf_check_v2(p, &p->version_pos[i],
		    c->phyints[i].name) != 0)
			return -1;
	/* The engine's own check, for every version in use. */
	for (i = 0; i <= c->nphyints; i++) {
		conf_phyint_igmp(c, i < c->nphyints ? &c->phyints[i] : NULL,
		    &g);
		if (igmp_router_config_check(&g) != 0)
			return conf_fail(p, p->block_line[CONF_BLOCK_IGMP] ?
			    p->block_line[CONF_BLOCK_IGMP] : 1, 1,
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
	const struct igmp_router_config *g = &p->c->igmp;
	uint32_t mask = conf_mask(g->ssm_prefix_len);
	char gbuf[INET_ADDRSTRLEN], sbuf[INET_ADDRSTRLEN];
	size_t i;

	if (g->ssm_prefix_len == 0)
		return 0;
	for (i = 0; i < p->nasm_statics; i++) {
		const struct conf_asm_static *s = &p->asm_statics[i];

		if ((ntohl(s->group.s_addr) & mask) !=
		    ntohl(g->ssm_prefix.s_addr))
			continue;
		return conf_fail(p, s->pos.line, s->pos.column,
		    "static-group %s is in the SSM range %s/%u (RFC 4604): "
		    "expected 'source S' after it, or another ssm-range",
		    conf_addr_str(s->group, gbuf),
		    conf_addr_str(g->ssm_prefix, sbuf), g->ssm_prefix_len);
	}
	return 0;
}

static int
conf_parse_text(struct conf_parser *p)
{
	static const char *const statements = "default-phyint, phyint, "
	    "mroute, igmp, limits or mfc";
	int rc;

	if (conf_advance(p) != 0)
		return -1;
	for (;;) {
		struct conf_tok *t = &p->cur;

		switch (t->kind) {
		case CONF_TOK_EOF:
			return 0;
		case CONF_TOK_END:
			rc = conf_advance(p);
			break;
		case CONF_TOK_RBRACE:
			return conf_fail(p, t->line, t->column, "'}' closes "
			    "no block: expected a statement (%s)", statements);
		case CONF_TOK_LBRACE:
			return conf_fail_expected(p, t, NULL, statements);
		case CONF_TOK_WORD:
		default:
			if (conf_tok_is(t, "phyint"))
				rc = conf_parse_phyint(p);
			else if (conf_tok_is(t, "mroute"))
				rc = conf_parse_mroute(p);
			else if (conf_tok_is(t, "default-phyint"))
				rc = conf_parse_default_phyint(p);
			else if (conf_tok_is(t, "igmp"))
				rc = conf_parse_block(p, CONF_BLOCK_IGMP);
			else if (conf_tok_is(t, "limits"))
				rc = conf_parse_block(p, CONF_BLOCK_LIMITS);
			else if (conf_tok_is(t, "mfc"))
				rc = conf_parse_block(p, CONF_BLOCK_MFC);
			else
				return conf_fail_expected(p, t, NULL,
				    statements);
			break;
		}
		if (rc != 0)
			return -1;
	}
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
	c->max_pending_upcalls = CONF_DEFAULT_MAX_UPCALLS;
	c->igmp.max_groups = c->max_groups_per_iface;
	c->igmp.max_sources_per_group = c->max_sources_per_group;
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
		return conf_fail(&p, 0, 0, "cannot open: %s: expected a "
		    "readable configuration file", strerror(errno));
	/* Whoever may change the file may change the router. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & S_IWOTH)) {
		close(fd);
		return conf_fail(&p, 0, 0, "writable by every user (mode "
		    "%04o): expected a file that only its owner can change "
		    "(chmod o-w)", (unsigned)(st.st_mode & 07777));
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
		return conf_fail(&p, 0, 0, "cannot read: %s: expected a "
		    "readable configuration file", strerror(saved));
	}
	if (len > CONF_MAX_FILE_SIZE) {
		free(buf);
		return conf_fail(&p, 0, 0, "larger than 1 MiB: expected a "
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
	else
		snprintf(buf, len, "%s:%u:%u: %s", e->file, e->line,
		    e->column, e->message);
}

/* --- equality and the normalised form ------------------------------ */

static bool
conf_key_equal(const struct conf *a, const struct conf *b,
    const struct conf_key *k)
{
	switch (k->kind) {
	case CONF_KIND_BOOL:
		return *(const bool *)conf_key_cptr(a, k) ==
		    *(const bool *)conf_key_cptr(b, k);
	case CONF_KIND_SSM:
		return a->igmp.ssm_prefix_len == b->igmp.ssm_prefix_len &&
		    a->igmp.ssm_prefix.s_addr == b->igmp.ssm_prefix.s_addr;
	case CONF_KIND_NUMBER:
	case CONF_KIND_LIMIT:
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS:
		break;
	}
	return *(const uint32_t *)conf_key_cptr(a, k) ==
	    *(const uint32_t *)conf_key_cptr(b, k);
}

static bool
conf_phyint_equal(const struct conf_phyint *a, const struct conf_phyint *b)
{
	unsigned i;

	if (strcmp(a->name, b->name) != 0 || a->disable != b->disable ||
	    a->threshold != b->threshold ||
	    a->igmp_version != b->igmp_version ||
	    a->nboundaries != b->nboundaries || a->nstatics != b->nstatics)
		return false;
	for (i = 0; i < a->nboundaries; i++)
		if (a->boundaries[i].addr.s_addr !=
		    b->boundaries[i].addr.s_addr ||
		    a->boundaries[i].len != b->boundaries[i].len)
			return false;
	for (i = 0; i < a->nstatics; i++) {
		const struct conf_static_group *x = &a->statics[i];
		const struct conf_static_group *y = &b->statics[i];

		if (x->group.s_addr != y->group.s_addr ||
		    x->has_source != y->has_source ||
		    (x->has_source && x->source.s_addr != y->source.s_addr))
			return false;
	}
	return true;
}

static bool
conf_mroute_equal(const struct conf_mroute *a, const struct conf_mroute *b)
{
	unsigned i;

	if (strcmp(a->iif, b->iif) != 0 || a->has_source != b->has_source ||
	    (a->has_source && a->source.s_addr != b->source.s_addr) ||
	    a->group.s_addr != b->group.s_addr || a->noifs != b->noifs)
		return false;
	for (i = 0; i < a->noifs; i++)
		if (strcmp(a->oifs[i], b->oifs[i]) != 0)
			return false;
	return true;
}

bool
conf_equal(const struct conf *a, const struct conf *b)
{
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (!conf_key_equal(a, b, &conf_keys[i]))
			return false;
	if (a->igmp.max_groups != b->igmp.max_groups ||
	    a->igmp.max_sources_per_group != b->igmp.max_sources_per_group ||
	    a->default_disable != b->default_disable ||
	    a->nphyints != b->nphyints || a->nmroutes != b->nmroutes)
		return false;
	for (i = 0; i < a->nphyints; i++)
		if (!conf_phyint_equal(&a->phyints[i], &b->phyints[i]))
			return false;
	for (i = 0; i < a->nmroutes; i++)
		if (!conf_mroute_equal(&a->mroutes[i], &b->mroutes[i]))
			return false;
	return true;
}

static void
conf_print_value(FILE *f, const struct conf *c, const struct conf_key *k)
{
	uint32_t u = 0;
	char buf[INET_ADDRSTRLEN];

	if (k->kind != CONF_KIND_BOOL && k->kind != CONF_KIND_SSM)
		u = *(const uint32_t *)conf_key_cptr(c, k);
	switch (k->kind) {
	case CONF_KIND_LIMIT:
		if (u == 0) {
			fputs("none", f);
			break;
		}
		/* FALLTHROUGH */
	case CONF_KIND_NUMBER:
		fprintf(f, "%" PRIu32, u);
		break;
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS: {
		char d[24];

		fputs(conf_duration_str(k->kind == CONF_KIND_SECONDS ?
		    (uint64_t)u * 1000 : u, d, sizeof(d)), f);
		break;
	}
	case CONF_KIND_BOOL:
		fputs(*(const bool *)conf_key_cptr(c, k) ? "yes" : "no", f);
		break;
	case CONF_KIND_SSM:
		if (c->igmp.ssm_prefix_len == 0)
			fputs("none", f);
		else
			fprintf(f, "%s/%u", conf_addr_str(c->igmp.ssm_prefix,
			    buf), c->igmp.ssm_prefix_len);
		break;
	}
}

/* Words (or word groups) after the first: wrapped with '\' to fit 76
 * columns. */
static void
conf_print_word(FILE *f, unsigned *col, const char *word)
{
	size_t n = strlen(word);

	if (*col + 1 + n > 76) {
		fputs(" \\\n\t", f);
		*col = 8;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += (unsigned)n;
}

static void
conf_print_phyint(FILE *f, const struct conf_phyint *pi)
{
	char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], item[64];
	unsigned i, col;
	int n;

	n = fprintf(f, "phyint %s%s", pi->name, pi->disable ? " disable" : "");
	col = n > 0 ? (unsigned)n : 0;
	if (pi->threshold != 1) {
		snprintf(item, sizeof(item), "threshold %u", pi->threshold);
		conf_print_word(f, &col, item);
	}
	if (pi->igmp_version != 0) {
		snprintf(item, sizeof(item), "igmpv%u", pi->igmp_version);
		conf_print_word(f, &col, item);
	}
	for (i = 0; i < pi->nboundaries; i++) {
		snprintf(item, sizeof(item), "boundary %s/%u",
		    conf_addr_str(pi->boundaries[i].addr, a),
		    pi->boundaries[i].len);
		conf_print_word(f, &col, item);
	}
	for (i = 0; i < pi->nstatics; i++) {
		if (pi->statics[i].has_source)
			snprintf(item, sizeof(item),
			    "static-group %s source %s",
			    conf_addr_str(pi->statics[i].group, a),
			    conf_addr_str(pi->statics[i].source, s));
		else
			snprintf(item, sizeof(item), "static-group %s",
			    conf_addr_str(pi->statics[i].group, a));
		conf_print_word(f, &col, item);
	}
	fputc('\n', f);
}

static void
conf_print_mroute(FILE *f, const struct conf_mroute *mr)
{
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	unsigned i, col;
	int n;

	if (mr->has_source)
		n = fprintf(f, "mroute from %s source %s group %s to",
		    mr->iif, conf_addr_str(mr->source, s),
		    conf_addr_str(mr->group, g));
	else
		n = fprintf(f, "mroute from %s group %s to", mr->iif,
		    conf_addr_str(mr->group, g));
	col = n > 0 ? (unsigned)n : 0;
	for (i = 0; i < mr->noifs; i++)
		conf_print_word(f, &col, mr->oifs[i]);
	fputc('\n', f);
}

void
conf_print(FILE *f, const struct conf *c)
{
	struct conf d;
	bool any = false, open;
	size_t i;
	int b;

	conf_init(&d);
	if (c->default_disable) {
		fputs("default-phyint disable\n", f);
		any = true;
	}
	for (b = 0; b < CONF_BLOCK_COUNT; b++) {
		open = false;
		for (i = 0; i < CONF_NKEYS; i++) {
			const struct conf_key *k = &conf_keys[i];

			if ((int)k->block != b || conf_key_equal(c, &d, k))
				continue;
			if (!open)
				fprintf(f, "%s%s {\n", any ? "\n" : "",
				    conf_block_names[b]);
			open = any = true;
			fprintf(f, "\t%s ", k->name);
			conf_print_value(f, c, k);
			fputc('\n', f);
		}
		if (open)
			fputs("}\n", f);
	}
	for (i = 0; i < c->nphyints; i++) {
		if (i == 0 && any)
			fputc('\n', f);
		conf_print_phyint(f, &c->phyints[i]);
	}
	any = any || c->nphyints > 0;
	for (i = 0; i < c->nmroutes; i++) {
		if (i == 0 && any)
			fputc('\n', f);
		conf_print_mroute(f, &c->mroutes[i]);
	}
}
