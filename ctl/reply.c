/* mcastd's answers parsed (reply.h): typed records, items, the END record. */
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
