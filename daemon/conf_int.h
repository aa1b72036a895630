/*
 * mcastd.conf's parser inside: what its files (conf.c, conf_lex.c,
 * conf_parse.c, conf_print.c) share.  Not an interface: conf.h is.
 */
#ifndef MCASTD_CONF_INT_H
#define MCASTD_CONF_INT_H

#include "conf.h"

#define CONF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CONF_QUOTE_MAX	   24 /* bytes of a word quoted in messages */
#define CONF_TOKBUF	   (CONF_QUOTE_MAX + 8) /* conf_tok_str's */

enum conf_tok_kind {
	CONF_TOK_WORD,
	CONF_TOK_END, /* a newline or ';' */
	CONF_TOK_LBRACE,
	CONF_TOK_RBRACE,
	CONF_TOK_EOF,
};

struct conf_tok {
	enum conf_tok_kind kind;
	const char *s; /* not NUL-terminated */
	size_t len;
	unsigned line;
	unsigned column;
};

struct conf_pos {
	unsigned line; /* 0: not given */
	unsigned column;
};

enum conf_block {
	CONF_BLOCK_IGMP,
	CONF_BLOCK_LIMITS,
	CONF_BLOCK_MFC,
	CONF_BLOCK_DVMRP,
	CONF_BLOCK_COUNT,
};

extern const char *const conf_block_names[CONF_BLOCK_COUNT];

/* What a block setting's value is. */
enum conf_kind {
	CONF_KIND_NUMBER,  /* min-max */
	CONF_KIND_LIMIT,   /* min-max, or none (stored as 0) */
	CONF_KIND_MS,	   /* a duration, stored in ms */
	CONF_KIND_SECONDS, /* a duration of whole seconds, stored in s */
	CONF_KIND_BOOL,	   /* yes or no */
	CONF_KIND_SSM,	   /* a multicast prefix or none */
	CONF_KIND_SWITCH,  /* the word alone: name (true) or alias (false),
			      a bool */
};

struct conf_key {
	enum conf_block block;
	const char *name;
	enum conf_kind kind;
	size_t off;   /* of the value in struct conf */
	uint32_t min; /* ms for MS, s for SECONDS */
	uint32_t max;
	uint32_t step_ms; /* MS: the value is a multiple of it */
	const char *step_why;
	const char *alias;     /* an older name, still read; SWITCH: the other
			      word */
	const char *range_why; /* said after the range when refused */
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
	CONF_KEY_MFC_ENTRIES,
	CONF_KEY_MFC_IDLE,
	CONF_KEY_DVMRP_DISABLE,
	CONF_KEY_DVMRP_PROBE,
	CONF_KEY_DVMRP_NBR_TIMEOUT,
	CONF_KEY_DVMRP_REPORT,
	CONF_KEY_DVMRP_EXPIRE,
	CONF_KEY_DVMRP_HOLDDOWN,
	CONF_KEY_DVMRP_PRUNE_LIFETIME,
	CONF_KEY_DVMRP_NON_PRUNERS,
	CONF_KEY_DVMRP_MAX_ROUTES,
	CONF_KEY_DVMRP_MAX_NEIGHBORS,
	CONF_NKEYS,
};

/* Every setting of every block (conf.c), in the order conf_print writes
 * them. */
extern const struct conf_key conf_keys[CONF_NKEYS];

/* A static-group without a source, checked against the SSM range. */
struct conf_asm_static {
	struct in_addr group;
	struct conf_pos pos;
};

/*
 * The state of one parse.  The first fields are the lexer's (conf_lex.c)
 * and the error's; the rest is what the grammar (conf_parse.c) remembers
 * for the checks of the whole file (conf.c).
 */
struct conf_parser {
	const char *text;
	size_t len;
	size_t off;
	unsigned line; /* of text[off] */
	unsigned column;
	const char *file;
	struct conf *c;
	struct conf_error *err;
	struct conf_tok cur; /* the next token */

	unsigned default_phyint_line;
	unsigned block_line[CONF_BLOCK_COUNT];
	struct conf_pos key_pos[CONF_NKEYS]; /* of the values */
	struct conf_pos *version_pos;	     /* per phyint: igmpvN */
	size_t phyint_cap;
	size_t mroute_cap;
	struct conf_asm_static *asm_statics;
	size_t nasm_statics;
	size_t asm_statics_cap;
};

/*
 * conf_lex.c.  The conf_fail* functions fill p->err and return -1, and so
 * do the checks of values that take p (conf_mcast_prefix ... conf_ifname),
 * which return 0 when the word is good.
 */
void conf_strlcpy(char *dst, const char *src, size_t size);
int conf_fail(struct conf_parser *p, unsigned line, unsigned column,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int conf_fail_expected(struct conf_parser *p, const struct conf_tok *t,
    const char *what, const char *expected);
const char *conf_tok_str(const struct conf_tok *t, char *buf, size_t size);
bool conf_tok_is(const struct conf_tok *t, const char *word);
int conf_advance(struct conf_parser *p); /* the next token: p->cur */
int conf_number(const struct conf_tok *t, uint64_t max, uint64_t *out);
int conf_duration(const struct conf_tok *t, uint64_t *ms);
const char *conf_duration_str(uint64_t ms, char *buf, size_t size);
uint32_t conf_mask(uint8_t len); /* host order */
bool conf_parse_prefix(const struct conf_tok *t, struct conf_prefix *out);
const char *conf_addr_str(struct in_addr a, char buf[INET_ADDRSTRLEN]);
int conf_mcast_prefix(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct conf_prefix *out);
int conf_group(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct in_addr *out);
int conf_group_range(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct in_addr *out, uint8_t *len);
int conf_source(struct conf_parser *p, const struct conf_tok *t,
    struct in_addr *out);
/* wildcard: a name ending in '+' is taken (mroute's interfaces). */
int conf_ifname(struct conf_parser *p, const struct conf_tok *t,
    const char *what, bool wildcard, char name[IF_NAMESIZE]);

/* conf_parse.c: the statements; 0, or -1 with p->err filled. */
int conf_parse_text(struct conf_parser *p);
/* After a statement: a newline, ';', the end of the file or (in a block)
   '}'. */
int conf_end_of_statement(struct conf_parser *p, const char *what,
    bool in_block);
/* conf_tunnel.c: "tunnel LOCAL REMOTE ...", the current token "tunnel". */
int conf_parse_tunnel(struct conf_parser *p);

/* conf.c: where a setting lives in a struct conf. */
void *conf_key_ptr(struct conf *c, const struct conf_key *k);
const void *conf_key_cptr(const struct conf *c, const struct conf_key *k);

#endif
