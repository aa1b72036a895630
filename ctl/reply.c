/* mcastd's answers: parsed, then printed as tables or JSON (reply.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

#define REPLY_US "\x1f" /* between the items of a list */

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

/* Where key is among rec's fields, or -1. */
static int
reply_field_index(const struct reply_record *rec, const char *key)
{
	int j;

	for (j = 0; j < rec->nfields; j++)
		if (strcmp(rec->fields[j].key, key) == 0)
			return j;
	return -1;
}

/* A key's mark (#, ? or []) cut off: the kind of field it makes. */
static enum reply_kind
reply_cut_mark(char *key)
{
	size_t n = strlen(key);

	if (n >= 2 && strcmp(key + n - 2, "[]") == 0) {
		key[n - 2] = '\0';
		return REPLY_LIST;
	}
	if (n >= 1 && key[n - 1] == '#') {
		key[n - 1] = '\0';
		return REPLY_NUMBER;
	}
	if (n >= 1 && key[n - 1] == '?') {
		key[n - 1] = '\0';
		return REPLY_BOOL;
	}
	return REPLY_STRING;
}

/* [a-z0-9_]+ */
static bool
reply_is_key(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
			*k == '_'))
			return false;
	return true;
}

/* TYPE<TAB>FIELD...: empty fields skipped, malformed ones counted. */
static void
reply_parse_record(char *line, struct reply_record *rec, size_t *dropped)
{
	char *tok, *save = NULL, *eq;
	enum reply_kind kind;

	memset(rec, 0, sizeof(*rec));
	rec->type = strtok_r(line, "\t", &save);
	while ((tok = strtok_r(NULL, "\t", &save)) != NULL) {
		eq = strchr(tok, '=');
		if (eq == NULL) {
			(*dropped)++;
			continue;
		}
		*eq = '\0';
		kind = reply_cut_mark(tok);
		if (!reply_is_key(tok) || rec->nfields == REPLY_MAX_FIELDS ||
		    reply_find(rec, tok) != NULL) {
			(*dropped)++;
			continue;
		}
		rec->fields[rec->nfields].key = tok;
		rec->fields[rec->nfields].value = reply_unescape(eq + 1);
		rec->fields[rec->nfields].kind = kind;
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
	const char *type;
	size_t first; /* where the type first came */
	size_t index;
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

/* type against the first len bytes of name, as strcmp() would. */
static int
reply_type_cmp(const char *type, const char *name, size_t len)
{
	int c = strncmp(type, name, len);

	return c != 0 ? c : type[len] != '\0';
}

/*
 * The item's parent: the nearest record of type PARENT before it (rank:
 * the records by type, then arrival; it->parent: how many records came
 * before it), if that record declared the list KEY[]= empty.  -1 if none.
 */
static int
reply_attach(struct reply *r, const struct reply_rank *rank,
    struct reply_record *it)
{
	const char *dot = strrchr(it->type, '.');
	size_t plen = (size_t)(dot - it->type), lo = 0, hi = r->nrecords, mid;
	struct reply_record *parent;
	struct reply_field *list;
	int c, j;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = reply_type_cmp(rank[mid].type, it->type, plen);
		if (c < 0 || (c == 0 && rank[mid].index < it->parent))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || reply_type_cmp(rank[lo - 1].type, it->type, plen) != 0)
		return -1;
	parent = &r->records[rank[lo - 1].index];
	if ((j = reply_field_index(parent, dot + 1)) < 0)
		return -1;
	list = &parent->fields[j];
	if ((list->kind != REPLY_LIST && list->kind != REPLY_ITEMS) ||
	    list->value[0] != '\0')
		return -1;
	list->kind = REPLY_ITEMS;
	it->parent = rank[lo - 1].index;
	it->list = j;
	return 0;
}

struct reply_item_rank {
	size_t parent;
	int list;
	size_t index;
};

static int
reply_rank_items(const void *a, const void *b)
{
	const struct reply_item_rank *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* r->items: the items that found a parent, by parent, list, arrival. */
static int
reply_attach_items(struct reply *r, const struct reply_rank *rank)
{
	struct reply_item_rank *ir;
	struct reply_record *kept;
	size_t i, n = 0;

	if (r->nitems == 0)
		return 0;
	ir = calloc(r->nitems, sizeof(*ir));
	kept = calloc(r->nitems, sizeof(*kept));
	if (ir == NULL || kept == NULL) {
		free(ir);
		free(kept);
		return -1;
	}
	for (i = 0; i < r->nitems; i++) {
		if (reply_attach(r, rank, &r->items[i]) != 0) {
			r->dropped_items++;
			continue;
		}
		ir[n].parent = r->items[i].parent;
		ir[n].list = r->items[i].list;
		ir[n++].index = i;
	}
	qsort(ir, n, sizeof(*ir), reply_rank_items);
	for (i = 0; i < n; i++)
		kept[i] = r->items[ir[i].index];
	free(ir);
	free(r->items);
	r->items = kept;
	r->nitems = n;
	return 0;
}

/*
 * The items to their parents, then r->order: records of a type together,
 * types in order of arrival.
 */
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
	if (reply_attach_items(r, rank) != 0) {
		free(rank);
		return -1;
	}
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

/* rec at the end of the array *a of *n (room for *cap); -1 if no memory. */
static int
reply_append(struct reply_record **a, size_t *n, size_t *cap,
    const struct reply_record *rec)
{
	struct reply_record *grown;
	size_t more;

	if (*n == *cap) {
		more = *cap ? *cap * 2 : 64;
		grown = realloc(*a, more * sizeof(*grown));
		if (grown == NULL)
			return -1;
		*a = grown;
		*cap = more;
	}
	(*a)[(*n)++] = *rec;
	return 0;
}

int
reply_parse(char *text, struct reply *r)
{
	struct reply_record rec;
	size_t cap = 0, items_cap = 0;
	char *line, *save = NULL;
	int rc;

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
		if (strchr(rec.type, '.') != NULL) {
			rec.parent = r->nrecords; /* attached later */
			rc = reply_append(&r->items, &r->nitems, &items_cap,
			    &rec);
		} else {
			rc = reply_append(&r->records, &r->nrecords, &cap,
			    &rec);
		}
		if (rc != 0)
			goto nomem;
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
	free(r->items);
	memset(r, 0, sizeof(*r));
}

const struct reply_field *
reply_find(const struct reply_record *rec, const char *key)
{
	int j = reply_field_index(rec, key);

	return j >= 0 ? &rec->fields[j] : NULL;
}

const char *
reply_get(const struct reply_record *rec, const char *key)
{
	const struct reply_field *f = reply_find(rec, key);

	return f != NULL ? f->value : NULL;
}

const struct reply_record *
reply_items(const struct reply *r, const struct reply_record *rec,
    const char *key, size_t *n)
{
	size_t parent = (size_t)(rec - r->records), lo = 0, hi = r->nitems;
	size_t mid;
	int j = reply_field_index(rec, key);

	*n = 0;
	if (j < 0 || rec->fields[j].kind != REPLY_ITEMS)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->items[mid].parent < parent ||
		    (r->items[mid].parent == parent && r->items[mid].list < j))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + *n < r->nitems && r->items[lo + *n].parent == parent &&
	    r->items[lo + *n].list == j)
		(*n)++;
	return &r->items[lo];
}

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

static void
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
