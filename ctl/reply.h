/*
 * mcastd's answers as mcastctl reads them (the protocol is in
 * daemon/control.h): typed records, one a line, fields after tabs, an END
 * record last.  A field is KEY=VALUE (a string, "" absent), KEY#=VALUE (a
 * number), KEY?=VALUE (a boolean) or KEY[]=A<US>B (a list of strings, the
 * items separated by 0x1f); keys are [a-z0-9_]+; values escape \\, \t and
 * \n.  A record whose type is PARENT.KEY is an item of the list of
 * objects KEY[]= that the nearest PARENT record before it declared.
 * reply_parse() cuts the text in place; the printers render what it found
 * as aligned tables or as one JSON object.  No I/O but the FILE given.
 */
#ifndef MCASTCTL_REPLY_H
#define MCASTCTL_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define REPLY_US	 "\x1f" /* between the items of a string list */
#define REPLY_MAX_FIELDS 32	/* per record; more are counted */

enum reply_kind {
	REPLY_STRING, /* KEY=VALUE */
	REPLY_NUMBER, /* KEY#=VALUE */
	REPLY_BOOL,   /* KEY?=VALUE */
	REPLY_LIST,   /* KEY[]=VALUE, no item record came */
	REPLY_ITEMS,  /* KEY[]= and its item records: reply_items() */
};

struct reply_field {
	const char *key; /* without its mark (#, ?, []) */
	/*
	 * Unescaped.  A list's items, each but the last ended by 0x1f; ""
	 * for no item.  Of a string, number or boolean, "" is absent.
	 */
	const char *value;
	enum reply_kind kind;
};

struct reply_record {
	const char *type;
	struct reply_field fields[REPLY_MAX_FIELDS];
	int nfields;
	/* An item: it is in records[parent]'s list fields[list]. */
	size_t parent;
	int list;
};

struct reply {
	struct reply_record *records; /* before END, items apart */
	size_t nrecords;
	/*
	 * The records grouped by type: each type once, in the order it first
	 * came, its records in the order they came.  Indexes into records.
	 */
	size_t *order;
	/* The items kept: by parent, then by list, then in arrival order. */
	struct reply_record *items;
	size_t nitems;
	bool ended; /* an END record came */
	int status; /* END's, 0-255; 1 without */
	/* END's (NULL if it had none), or "no END record from mcastd" */
	const char *message;
	/*
	 * Fields not kept: no '=', a key not [a-z0-9_]+, a key given twice
	 * in a record, or one too many.
	 */
	size_t dropped_fields;
	/*
	 * Item records not kept: no record of type PARENT before them, or
	 * the nearest one did not declare KEY[]= empty.
	 */
	size_t dropped_items;
};

/* 0, or -1 when out of memory.  r points into text: keep it meanwhile. */
int reply_parse(char *text, struct reply *r);
void reply_free(struct reply *r);
/* The field key of a record, or NULL. */
const struct reply_field *reply_find(const struct reply_record *rec,
    const char *key);
/* The value of key in a record (as reply_field's value), or NULL. */
const char *reply_get(const struct reply_record *rec, const char *key);
/* The items of rec's list key (a record of r->records): *n of them. */
const struct reply_record *reply_items(const struct reply *r,
    const struct reply_record *rec, const char *key, size_t *n);

/*
 * One table per record type, a blank line between them: the columns are
 * the first record's keys, upper-cased, '_' as a space.  A cell holds a
 * value as it came, the items of a list joined by ",", and "-" for an
 * absent value or an empty list.  A list of objects is its items joined by
 * ",", each item its first field's value then the others' in parentheses
 * joined by ":", a list in an item joined by "+": eth1(1:igmp),
 * eth2(16:route+join).  Control characters in values are shown as \t, \n
 * or \xHH, so a value cannot break the table or drive the terminal.
 */
void reply_print_tables(FILE *f, const struct reply *r);
/*
 * One JSON object and a newline: each record type is a key whose value is
 * an array of objects (one per record), then "status" (a number) and
 * "message" (a string).  In a record's object: a string as a string, an
 * absent value as null, a number as a number, a boolean as true or false
 * (a number or boolean that is not one in JSON's grammar as a string), a
 * list of strings as an array of strings, a list of objects as an array of
 * its items' objects.  A record type that would clash with "status" or
 * "message", or that starts with '_', gets a '_' put before it.  A byte
 * that is not part of valid UTF-8 comes out as the lone surrogate \udcXX
 * (U+DC80-U+DCFF, Python's "surrogateescape"): distinct bytes stay
 * distinct, so two keys never become one.
 */
void reply_print_json(FILE *f, const struct reply *r);
/* s as one JSON string, quoted, with reply_print_json's escaping. */
void reply_json_string(FILE *f, const char *s);

#endif
