/*
 * mcastd's answers as mcastctl reads them (the protocol is in
 * daemon/control.h): typed records, one a line, KEY=VALUE fields after
 * tabs with \\, \t and \n escaped in values, an END record last.
 * reply_parse() cuts the text in place; the printers render what it found
 * as aligned tables or as one JSON object.  No I/O but the FILE given.
 */
#ifndef MCASTCTL_REPLY_H
#define MCASTCTL_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define REPLY_MAX_FIELDS	32	/* per record; more are counted */

struct reply_field {
	const char	*key;
	const char	*value;		/* unescaped */
};

struct reply_record {
	const char		*type;
	struct reply_field	 fields[REPLY_MAX_FIELDS];
	int			 nfields;
};

struct reply {
	struct reply_record	*records;	/* before the END record */
	size_t			 nrecords;
	/*
	 * The records grouped by type: each type once, in the order it first
	 * came, its records in the order they came.  Indexes into records.
	 */
	size_t			*order;
	bool			 ended;		/* an END record came */
	int			 status;	/* END's, 0-255; 1 without */
	/* END's (NULL if it had none), or "no END record from mcastd" */
	const char		*message;
	/* Fields not kept: a key given twice in a record, or one too many. */
	size_t			 dropped_fields;
};

/* 0, or -1 when out of memory.  r points into text: keep it meanwhile. */
int	reply_parse(char *text, struct reply *r);
void	reply_free(struct reply *r);
/* The value of key in a record, or NULL. */
const char *reply_get(const struct reply_record *rec, const char *key);

/*
 * One table per record type, a blank line between them: the columns are
 * the first record's keys, upper-cased.  Control characters in values are
 * shown as \t, \n or \xHH, so a value cannot break the table or drive the
 * terminal.
 */
void	reply_print_tables(FILE *f, const struct reply *r);
/*
 * One JSON object and a newline: each record type is a key whose value is
 * an array of objects (one per record, values that read as JSON numbers,
 * true or false unquoted), then "status" and "message".  A record type
 * that would clash with these, or that starts with '_', gets a '_' put
 * before it.  A byte that is not part of valid UTF-8 comes out as the
 * lone surrogate \udcXX (U+DC80-U+DCFF, Python's "surrogateescape"):
 * distinct bytes stay distinct, so two keys never become one.
 */
void	reply_print_json(FILE *f, const struct reply *r);

#endif
