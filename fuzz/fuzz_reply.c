/*
 * libFuzzer target: mcastctl's side of the control protocol (ctl/reply.c).
 * The input is whatever a daemon (or something else on the socket) sent:
 * it is parsed as mcastctl parses it, then printed as tables and as JSON.
 * The records must come out grouped by type in arrival order, each item
 * record in a list its parent declared, the JSON must be valid RFC 8259
 * with no key twice in an object, and the tables must hold no control
 * character but the newlines that end their lines.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A record's fields: at most REPLY_MAX_FIELDS, keys [a-z0-9_]+, once. */
static void
fuzz_reply_check_fields(const struct reply_record *rec)
{
	const char *k;
	int j, l;

	if (rec->nfields > REPLY_MAX_FIELDS)
		__builtin_trap();
	for (j = 0; j < rec->nfields; j++) {
		k = rec->fields[j].key;
		if (k[0] == '\0' ||
		    k[strspn(k,
			"abcdefghijklmnopqrstuvwxyz"
			"0123456789_")] != '\0' ||
		    (rec->fields[j].kind != REPLY_STRING &&
			rec->fields[j].kind != REPLY_NUMBER &&
			rec->fields[j].kind != REPLY_BOOL &&
			rec->fields[j].kind != REPLY_LIST &&
			rec->fields[j].kind != REPLY_ITEMS))
			__builtin_trap();
		for (l = 0; l < j; l++)
			if (strcmp(k, rec->fields[l].key) == 0)
				__builtin_trap();
	}
}

/*
 * The items: each in a list of objects of its parent, its type PARENT.KEY,
 * no list of objects of its own, sorted by parent then list; and each list
 * of objects has items, as reply_items() finds them.
 */
static void
fuzz_reply_check_items(const struct reply *r)
{
	const struct reply_record *it, *parent, *prev = NULL, *found;
	const struct reply_field *list;
	size_t i, n, plen;
	int j;

	for (i = 0; i < r->nitems; i++, prev = it) {
		it = &r->items[i];
		fuzz_reply_check_fields(it);
		if (it->parent >= r->nrecords)
			__builtin_trap();
		parent = &r->records[it->parent];
		if (it->list < 0 || it->list >= parent->nfields)
			__builtin_trap();
		list = &parent->fields[it->list];
		plen = strlen(parent->type);
		if (list->kind != REPLY_ITEMS || list->value[0] != '\0' ||
		    strncmp(it->type, parent->type, plen) != 0 ||
		    it->type[plen] != '.' ||
		    strcmp(it->type + plen + 1, list->key) != 0)
			__builtin_trap();
		for (j = 0; j < it->nfields; j++)
			if (it->fields[j].kind == REPLY_ITEMS)
				__builtin_trap();
		if (prev != NULL &&
		    (prev->parent > it->parent ||
			(prev->parent == it->parent && prev->list > it->list)))
			__builtin_trap();
	}
	for (i = 0; i < r->nrecords; i++)
		for (j = 0; j < r->records[i].nfields; j++) {
			if (r->records[i].fields[j].kind != REPLY_ITEMS)
				continue;
			found = reply_items(r, &r->records[i],
			    r->records[i].fields[j].key, &n);
			if (n == 0 || found < r->items ||
			    found + n > r->items + r->nitems)
				__builtin_trap();
		}
}

static void
fuzz_reply_check_records(const struct reply *r)
{
	const struct reply_record *rec, *prev;
	size_t i, k;
	bool *seen;

	seen = calloc(r->nrecords + 1, sizeof(*seen));
	if (seen == NULL)
		__builtin_trap();
	for (i = 0; i < r->nrecords; i++) {
		if (r->order[i] >= r->nrecords || seen[r->order[i]])
			__builtin_trap();
		seen[r->order[i]] = true;
		rec = &r->records[r->order[i]];
		if (rec->type == NULL || rec->type[0] == '\0' ||
		    strcmp(rec->type, "end") == 0 ||
		    strchr(rec->type, '.') != NULL)
			__builtin_trap();
		fuzz_reply_check_fields(rec);
		if (i == 0)
			continue;
		prev = &r->records[r->order[i - 1]];
		if (strcmp(prev->type, rec->type) == 0) {
			/* Within a type: the order they came in. */
			if (r->order[i - 1] > r->order[i])
				__builtin_trap();
			continue;
		}
		/* A new type: never seen before this point of the order. */
		for (k = 0; k < i; k++)
			if (strcmp(r->records[r->order[k]].type, rec->type) ==
			    0)
				__builtin_trap();
	}
	free(seen);
	fuzz_reply_check_items(r);
	if (r->status < 0 || r->status > 255 ||
	    (!r->ended && r->message == NULL))
		__builtin_trap();
}

static char *
fuzz_reply_print(const struct reply *r, bool json, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		__builtin_trap();
	if (json)
		reply_print_json(f, r);
	else
		reply_print_tables(f, r);
	if (fclose(f) != 0)
		__builtin_trap();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r;
	char *text, *out;
	size_t len, i;

	if (size > 1 << 20)
		return 0;
	/* As mcastctl holds it: read whole, NUL-terminated. */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (reply_parse(text, &r) != 0)
		__builtin_trap();
	fuzz_reply_check_records(&r);
	out = fuzz_reply_print(&r, true, &len);
	if (len == 0 || out[len - 1] != '\n' || !json_check(out, len))
		__builtin_trap();
	free(out);
	out = fuzz_reply_print(&r, false, &len);
	for (i = 0; i < len; i++)
		if (((unsigned char)out[i] < 0x20 && out[i] != '\n') ||
		    out[i] == 0x7f)
			__builtin_trap();
	free(out);
	reply_free(&r);
	free(text);
	return 0;
}
