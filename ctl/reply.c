/* mcastd's answers: parsed, then printed as tables or JSON (reply.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

/* \t, \n and \\ back to what they stand for; any other \X is X. */
static char *
reply_unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* TYPE<TAB>KEY=VALUE...: empty fields and fields without '=' skipped. */
static void
reply_parse_record(char *line, struct reply_record *rec, size_t *dropped)
{
	char *tok, *save = NULL, *eq;

	memset(rec, 0, sizeof(*rec));
	rec->type = strtok_r(line, "\t", &save);
	while ((tok = strtok_r(NULL, "\t", &save)) != NULL) {
		eq = strchr(tok, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		if (rec->nfields == REPLY_MAX_FIELDS ||
		    reply_get(rec, tok) != NULL) {
			(*dropped)++;
			continue;
		}
		rec->fields[rec->nfields].key = tok;
		rec->fields[rec->nfields].value = reply_unescape(eq + 1);
		rec->nfields++;
	}
}

/* A status as sent, "0" to "255"; anything else is a failure, 1. */
static int
reply_status(const char *s)
{
	int v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 3)
		return 1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 255 ? v : 1;
}

struct reply_rank {
	const char	*type;
	size_t		 first;		/* where the type first came */
	size_t		 index;
};

static int
reply_rank_by_type(const void *a, const void *b)
{
	const struct reply_rank *x = a, *y = b;
	int c = strcmp(x->type, y->type);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int
reply_rank_by_first(const void *a, const void *b)
{
	const struct reply_rank *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* r->order: records of a type together, types in order of arrival. */
static int
reply_group_by_type(struct reply *r)
{
	struct reply_rank *rank;
	size_t i, first = 0;

	r->order = calloc(r->nrecords ? r->nrecords : 1, sizeof(*r->order));
	rank = calloc(r->nrecords ? r->nrecords : 1, sizeof(*rank));
	if (r->order == NULL || rank == NULL) {
		free(rank);
		return -1;
	}
	for (i = 0; i < r->nrecords; i++) {
		rank[i].type = r->records[i].type;
		rank[i].index = i;
	}
	qsort(rank, r->nrecords, sizeof(*rank), reply_rank_by_type);
	for (i = 0; i < r->nrecords; i++) {
		if (i == 0 || strcmp(rank[i].type, rank[i - 1].type) != 0)
			first = rank[i].index;
		rank[i].first = first;
	}
	qsort(rank, r->nrecords, sizeof(*rank), reply_rank_by_first);
	for (i = 0; i < r->nrecords; i++)
		r->order[i] = rank[i].index;
	free(rank);
	return 0;
}

int
reply_parse(char *text, struct reply *r)
{
	struct reply_record rec, *grown;
	size_t cap = 0;
	char *line, *save = NULL;

	memset(r, 0, sizeof(*r));
	r->status = 1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		reply_parse_record(line, &rec, &r->dropped_fields);
		if (rec.type == NULL)
			continue;
		if (strcmp(rec.type, "end") == 0) {
			r->ended = true;
			r->status = reply_status(reply_get(&rec, "status"));
			r->message = reply_get(&rec, "message");
			break;
		}
		if (r->nrecords == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(r->records, cap * sizeof(*grown));
			if (grown == NULL)
				goto nomem;
			r->records = grown;
		}
		r->records[r->nrecords++] = rec;
	}
	if (!r->ended)
		r->message = "no END record from mcastd";
	if (reply_group_by_type(r) == 0)
		return 0;
nomem:
	reply_free(r);
	errno = ENOMEM;
	return -1;
}

void
reply_free(struct reply *r)
{
	free(r->records);
	free(r->order);
	memset(r, 0, sizeof(*r));
}

const char *
reply_get(const struct reply_record *rec, const char *key)
{
	int i;

	for (i = 0; i < rec->nfields; i++)
		if (strcmp(rec->fields[i].key, key) == 0)
			return rec->fields[i].value;
	return NULL;
}

/* ---- tables ---- */

static bool
reply_is_control(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

/* A value in a cell: "-" for none, control characters made visible. */
static size_t
reply_put_cell(FILE *f, const char *v)
{
	const unsigned char *p;
	size_t width = 0;

	if (v == NULL || *v == '\0') {
		if (f != NULL)
			fputc('-', f);
		return 1;
	}
	for (p = (const unsigned char *)v; *p; p++) {
		if (!reply_is_control(*p)) {
			if (f != NULL)
				fputc(*p, f);
			width++;
		} else if (*p == '\t' || *p == '\n') {
			if (f != NULL)
				fprintf(f, "\\%c", *p == '\t' ? 't' : 'n');
			width += 2;
		} else {
			if (f != NULL)
				fprintf(f, "\\x%02x", *p);
			width += 4;
		}
	}
	return width;
}

/* A column head: the key upper-cased, '_' as a space. */
static size_t
reply_put_head(FILE *f, const char *key)
{
	char head[64];
	size_t k;

	snprintf(head, sizeof(head), "%s", key);
	for (k = 0; head[k]; k++)
		head[k] = (char)(head[k] >= 'a' && head[k] <= 'z' ?
		    head[k] - 32 : head[k] == '_' ? ' ' : head[k]);
	return reply_put_cell(f, head);
}

static void
reply_pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* The records order[0..n-1], all of one type, as a table. */
static void
reply_print_table(FILE *f, const struct reply *r, const size_t *order,
    size_t n)
{
	const struct reply_record *first = &r->records[order[0]];
	size_t widths[REPLY_MAX_FIELDS], w, i;
	int j, last = first->nfields - 1;

	for (j = 0; j < first->nfields; j++)
		widths[j] = reply_put_head(NULL, first->fields[j].key);
	for (i = 0; i < n; i++)
		for (j = 0; j < first->nfields; j++) {
			w = reply_put_cell(NULL, reply_get(
			    &r->records[order[i]], first->fields[j].key));
			if (w > widths[j])
				widths[j] = w;
		}
	for (j = 0; j < first->nfields; j++) {
		w = reply_put_head(f, first->fields[j].key);
		if (j < last)
			reply_pad(f, widths[j] - w + 2);
	}
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		for (j = 0; j < first->nfields; j++) {
			w = reply_put_cell(f, reply_get(&r->records[order[i]],
			    first->fields[j].key));
			if (j < last)
				reply_pad(f, widths[j] - w + 2);
		}
		fputc('\n', f);
	}
}

/* How many of order[from..] share the type of order[from]. */
static size_t
reply_run(const struct reply *r, size_t from)
{
	const char *type = r->records[r->order[from]].type;
	size_t n = 1;

	while (from + n < r->nrecords &&
	    strcmp(r->records[r->order[from + n]].type, type) == 0)
		n++;
	return n;
}

void
reply_print_tables(FILE *f, const struct reply *r)
{
	size_t i, n;

	for (i = 0; i < r->nrecords; i += n) {
		n = reply_run(r, i);
		if (i > 0)
			fputc('\n', f);
		reply_print_table(f, r, r->order + i, n);
	}
}

/* ---- JSON (RFC 8259) ---- */

/* The length of the UTF-8 sequence at p (RFC 3629 4), 0 if invalid. */
static size_t
reply_utf8_length(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* no overlong forms */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* no surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* nothing above U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static void
reply_json_string(FILE *f, const char *prefix, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	fputs(prefix, f);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
			p++;
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
			p++;
		} else if ((n = reply_utf8_length(p)) == 0) {
			fprintf(f, "\\u%04x", 0xdc00 | *p);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

static bool
reply_digits(const char **s)
{
	const char *p = *s;

	while (**s >= '0' && **s <= '9')
		(*s)++;
	return *s > p;
}

/* RFC 8259 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
reply_is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (!reply_digits(&s))
		return false;
	if (*s == '.') {
		s++;
		if (!reply_digits(&s))
			return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!reply_digits(&s))
			return false;
	}
	return *s == '\0';
}

static void
reply_json_value(FILE *f, const char *v)
{
	if (reply_is_json_number(v) || strcmp(v, "true") == 0 ||
	    strcmp(v, "false") == 0)
		fputs(v, f);
	else
		reply_json_string(f, "", v);
}

/* The key of a record type: "status", "message" and "_..." get a '_'. */
static void
reply_json_type(FILE *f, const char *type)
{
	bool clash = strcmp(type, "status") == 0 ||
	    strcmp(type, "message") == 0 || type[0] == '_';

	reply_json_string(f, clash ? "_" : "", type);
}

void
reply_print_json(FILE *f, const struct reply *r)
{
	const struct reply_record *rec;
	size_t i, k, n;
	int j;

	fputc('{', f);
	for (i = 0; i < r->nrecords; i += n) {
		n = reply_run(r, i);
		if (i > 0)
			fputc(',', f);
		reply_json_type(f, r->records[r->order[i]].type);
		fputs(":[", f);
		for (k = 0; k < n; k++) {
			rec = &r->records[r->order[i + k]];
			fputs(k ? ",{" : "{", f);
			for (j = 0; j < rec->nfields; j++) {
				if (j > 0)
					fputc(',', f);
				reply_json_string(f, "", rec->fields[j].key);
				fputc(':', f);
				reply_json_value(f, rec->fields[j].value);
			}
			fputc('}', f);
		}
		fputc(']', f);
	}
	fprintf(f, "%s\"status\":%d,\"message\":", r->nrecords ? "," : "",
	    r->status);
	reply_json_string(f, "", r->message ? r->message : "");
	fputs("}\n", f);
}
