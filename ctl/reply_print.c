/*
 * mcastd's answers printed (reply.h): aligned tables for people, one JSON
 * object for scripts, from what reply.c parsed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"

/* ---- tables ---- */

/*
 * Each printer of a cell's parts writes to f, or only measures when f is
 * NULL; it returns the width.
 */

static bool
reply_is_control(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

/* n bytes of a value, control characters made visible. */
static size_t
reply_put_text(FILE *f, const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t width = 0, i;

	for (i = 0; i < n; i++) {
		if (!reply_is_control(p[i])) {
			if (f != NULL)
				fputc(p[i], f);
			width++;
		} else if (p[i] == '\t' || p[i] == '\n') {
			if (f != NULL)
				fprintf(f, "\\%c", p[i] == '\t' ? 't' : 'n');
			width += 2;
		} else {
			if (f != NULL)
				fprintf(f, "\\x%02x", p[i]);
			width += 4;
		}
	}
	return width;
}

static size_t
reply_put_word(FILE *f, const char *word)
{
	return reply_put_text(f, word, strlen(word));
}

/* A list's items joined by sep, "-" for none. */
static size_t
reply_put_list(FILE *f, const char *v, const char *sep)
{
	size_t width = 0, n;

	if (*v == '\0')
		return reply_put_word(f, "-");
	for (;;) {
		n = strcspn(v, REPLY_US);
		width += reply_put_text(f, v, n);
		if (v[n] == '\0')
			return width;
		width += reply_put_word(f, sep);
		v += n + 1;
	}
}

/* A field that is no list of objects; "-" for none or an absent value. */
static size_t
reply_put_value(FILE *f, const struct reply_field *field, const char *sep)
{
	if (field != NULL && field->kind == REPLY_LIST)
		return reply_put_list(f, field->value, sep);
	if (field == NULL || field->value[0] == '\0')
		return reply_put_word(f, "-");
	return reply_put_word(f, field->value);
}

/* An item: its first field's value, the others' in parentheses. */
static size_t
reply_put_item(FILE *f, const struct reply_record *item)
{
	size_t width;
	int j;

	if (item->nfields == 0)
		return reply_put_word(f, "-");
	width = reply_put_value(f, &item->fields[0], "+");
	for (j = 1; j < item->nfields; j++) {
		width += reply_put_word(f, j == 1 ? "(" : ":");
		width += reply_put_value(f, &item->fields[j], "+");
	}
	if (item->nfields > 1)
		width += reply_put_word(f, ")");
	return width;
}

/* The cell of key in rec: a value, or the items of a list joined. */
static size_t
reply_put_cell(FILE *f, const struct reply *r, const struct reply_record *rec,
    const char *key)
{
	const struct reply_field *field = reply_find(rec, key);
	const struct reply_record *items;
	size_t width = 0, n, k;

	if (field == NULL || field->kind != REPLY_ITEMS)
		return reply_put_value(f, field, ",");
	items = reply_items(r, rec, key, &n);
	for (k = 0; k < n; k++) {
		if (k > 0)
			width += reply_put_word(f, ",");
		width += reply_put_item(f, &items[k]);
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
			head[k] - 32 :
			head[k] == '_' ? ' ' :
					 head[k]);
	return reply_put_word(f, head);
}

static void
reply_pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* The records order[0..n-1], all of one type, as a table. */
static void
reply_print_table(FILE *f, const struct reply *r, const size_t *order, size_t n)
{
	const struct reply_record *first = &r->records[order[0]];
	size_t widths[REPLY_MAX_FIELDS], w, i;
	int j, last = first->nfields - 1;

	for (j = 0; j < first->nfields; j++)
		widths[j] = reply_put_head(NULL, first->fields[j].key);
	for (i = 0; i < n; i++)
		for (j = 0; j < first->nfields; j++) {
			w = reply_put_cell(NULL, r, &r->records[order[i]],
			    first->fields[j].key);
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
			w = reply_put_cell(f, r, &r->records[order[i]],
			    first->fields[j].key);
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

/*
 * The length of the UTF-8 sequence at p (RFC 3629 4), 0 if invalid.  It
 * reads on only over continuation bytes (0x80-0xbf), so never past a
 * NUL or 0x1f that ends a string.
 */
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
		lo = 0xa0; /* no overlong forms */
	else if (p[0] == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f; /* nothing above U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* The first len bytes of s, after prefix, as a JSON string. */
static void
reply_json_text(FILE *f, const char *prefix, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n;

	fputc('"', f);
	fputs(prefix, f);
	while (p < end) {
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

void
reply_json_string(FILE *f, const char *s)
{
	reply_json_text(f, "", s, strlen(s));
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

/* A list of strings as an array. */
static void
reply_json_list(FILE *f, const char *v)
{
	size_t n;

	fputc('[', f);
	while (*v != '\0') {
		n = strcspn(v, REPLY_US);
		reply_json_text(f, "", v, n);
		if (v[n] == '\0')
			break;
		fputc(',', f);
		v += n + 1;
		if (*v == '\0') /* "a<US>" is ["a",""] */
			reply_json_string(f, "");
	}
	fputc(']', f);
}

/* A field that is no list of objects. */
static void
reply_json_value(FILE *f, const struct reply_field *field)
{
	const char *v = field->value;

	if (field->kind == REPLY_LIST)
		reply_json_list(f, v);
	else if (v[0] == '\0')
		fputs("null", f);
	else if ((field->kind == REPLY_NUMBER && reply_is_json_number(v)) ||
	    (field->kind == REPLY_BOOL &&
		(strcmp(v, "true") == 0 || strcmp(v, "false") == 0)))
		fputs(v, f);
	else
		reply_json_string(f, v);
}

/* A record as an object, its lists of objects as arrays of its items. */
static void
reply_json_record(FILE *f, const struct reply *r,
    const struct reply_record *rec)
{
	const struct reply_record *items;
	size_t n, k;
	int j;

	fputc('{', f);
	for (j = 0; j < rec->nfields; j++) {
		if (j > 0)
			fputc(',', f);
		reply_json_string(f, rec->fields[j].key);
		fputc(':', f);
		if (rec->fields[j].kind != REPLY_ITEMS) {
			reply_json_value(f, &rec->fields[j]);
			continue;
		}
		items = reply_items(r, rec, rec->fields[j].key, &n);
		fputc('[', f);
		for (k = 0; k < n; k++) {
			if (k > 0)
				fputc(',', f);
			reply_json_record(f, r, &items[k]);
		}
		fputc(']', f);
	}
	fputc('}', f);
}

/* The key of a record type: "status", "message" and "_..." get a '_'. */
static void
reply_json_type(FILE *f, const char *type)
{
	bool clash = strcmp(type, "status") == 0 ||
	    strcmp(type, "message") == 0 || type[0] == '_';

	reply_json_text(f, clash ? "_" : "", type, strlen(type));
}

void
reply_print_json(FILE *f, const struct reply *r)
{
	size_t i, k, n;

	fputc('{', f);
	for (i = 0; i < r->nrecords; i += n) {
		n = reply_run(r, i);
		if (i > 0)
			fputc(',', f);
		reply_json_type(f, r->records[r->order[i]].type);
		fputs(":[", f);
		for (k = 0; k < n; k++) {
			if (k > 0)
				fputc(',', f);
			reply_json_record(f, r, &r->records[r->order[i + k]]);
		}
		fputc(']', f);
	}
	fprintf(f, "%s\"status\":%d,\"message\":", r->nrecords ? "," : "",
	    r->status);
	reply_json_string(f, r->message ? r->message : "");
	fputs("}\n", f);
}
