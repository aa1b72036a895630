/*
 * mcastd.conf's lexer and value parsers: tokens with their positions, the
 * errors that point at them, and the words that are numbers, durations,
 * addresses, prefixes, groups, sources and interface names (the checks of
 * the last three, which mcastctl's requests share, are conf_check.c's).
 *
 * The text is cut into words, '{', '}' and statement ends (a newline or
 * ';'); '#' starts a comment that runs to the end of the line and a '\'
 * just before a newline joins two lines.  Lines and columns are 1-based
 * and count bytes, a tab is one column.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf_int.h"

/* --- errors and tokens --------------------------------------------- */

void
conf_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
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
const char *
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

/* "WHAT: expected EXPECTED, got TOKEN" at the token. */
int
conf_fail_expected(struct conf_parser *p, const struct conf_tok *t,
    const char *what, const char *expected)
{
	char buf[CONF_TOKBUF];

	return conf_fail(p, t->line, t->column, "%s%sexpected %s, got %s",
	    what ? what : "", what ? ": " : "", expected,
	    conf_tok_str(t, buf, sizeof(buf)));
}

bool
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
int
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
			    "or a newline",
			    ch);
		} else {
			t->kind = CONF_TOK_WORD;
			while (p->off < p->len &&
			    !conf_is_delimiter((unsigned char)p->text[p->off]))
				conf_lex_skip(p, 1);
			t->len = (size_t)(p->text + p->off - t->s);
			return 0;
		}
	}
}

/* --- values -------------------------------------------------------- */

/* Decimal digits only: 0, -1 (not a number) or -2 (above max). */
int
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
int
conf_duration(const struct conf_tok *t, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {
		{ "", 1000 },
		{ "ms", 1 },
		{ "s", 1000 },
		{ "m", 60000 },
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
const char *
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

uint32_t
conf_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* "A.B.C.D/N", host bits not yet checked. */
bool
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

const char *
conf_addr_str(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* A multicast prefix with no host bits: for boundary and ssm-range. */
int
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
		    "%.*s has host bits set: expected %s/%u", (int)t->len, t->s,
		    conf_addr_str(net, buf), out->len);
	}
	if (out->len < 4 || (a >> 28) != 0xe)
		return conf_fail(p, t->line, t->column,
		    "%s %.*s is not a multicast prefix: expected a prefix "
		    "within 224.0.0.0/4",
		    what, (int)t->len, t->s);
	return 0;
}

/* A word check's verdict as the parser's error, at the word. */
static int
conf_word_verdict(struct conf_parser *p, const struct conf_tok *t, int rc,
    const char *msg)
{
	if (rc == 0)
		return 0;
	return conf_fail(p, t->line, t->column, "%s", msg);
}

int
conf_group(struct conf_parser *p, const struct conf_tok *t, const char *what,
    struct in_addr *out)
{
	char msg[sizeof(p->err->message)];

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, what,
		    "an IPv4 multicast group such as 239.1.2.3");
	return conf_word_verdict(p, t,
	    conf_check_group(t->s, t->len, what, out, msg, sizeof(msg)), msg);
}

int
conf_group_range(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct in_addr *out, uint8_t *len)
{
	char msg[sizeof(p->err->message)];

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, what,
		    "an IPv4 multicast group such as 239.1.2.3");
	return conf_word_verdict(p, t,
	    conf_check_group_range(t->s, t->len, what, out, len, msg,
		sizeof(msg)),
	    msg);
}

int
conf_source(struct conf_parser *p, const struct conf_tok *t,
    struct in_addr *out)
{
	char msg[sizeof(p->err->message)];

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, "source",
		    "an IPv4 unicast address such as 198.18.0.1");
	return conf_word_verdict(p, t,
	    conf_check_source(t->s, t->len, out, msg, sizeof(msg)), msg);
}

int
conf_ifname(struct conf_parser *p, const struct conf_tok *t, const char *what,
    bool wildcard, char name[IF_NAMESIZE])
{
	char msg[sizeof(p->err->message)];

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, what, "an interface name");
	return conf_word_verdict(p, t,
	    conf_check_ifname(t->s, t->len, what, wildcard, name, msg,
		sizeof(msg)),
	    msg);
}
