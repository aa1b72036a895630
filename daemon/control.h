/*
 * mcastd's control socket: a Unix stream socket (mode 0660).  A client
 * sends one request line ("show groups", "log debug" ...) and reads typed
 * records, one per line, until an END record:
 *
 *   mfc<TAB>source=198.18.1.2<TAB>packets#=12<TAB>oifs[]=
 *   mfc.oifs<TAB>interface=eth1<TAB>ttl#=1<TAB>why[]=igmp
 *   mfc.oifs<TAB>interface=eth2<TAB>ttl#=16<TAB>why[]=route<US>join
 *   end<TAB>status=0<TAB>message=ok
 *
 * A record is TYPE<TAB>FIELD<TAB>FIELD...; keys are [a-z0-9_]+, each once
 * in a record, and a field is one of:
 *
 *   KEY=VALUE       a string; an empty VALUE means absent (JSON null)
 *   KEY#=VALUE      a number as printf wrote it (integer or decimal)
 *   KEY?=true       a boolean: true or false
 *   KEY[]=A<US>B    a list of strings, the items separated by the ASCII
 *                   unit separator 0x1f; KEY[]= is the empty list (so a
 *                   list of one empty string reads as the empty list)
 *
 * A list of objects: the parent record declares it as an empty list,
 * KEY[]=, and each item follows as a record of its own whose type is
 * PARENT.KEY, with fields of the four kinds above (no lists of objects in
 * an item).  An item belongs to the nearest record of type PARENT before
 * it; other records may come between.  A record type holds no '.' but in
 * an item's type.
 *
 * Values escape backslash, tab and newline as \\, \t and \n (each item of
 * a list too).  The END record is end<TAB>status=N<TAB>message=TEXT, N
 * from 0 to 255.  The daemon never blocks on a client: replies are
 * buffered (up to a cap) and written as the client reads; a client that
 * sends garbage, too long a line, or stalls too long is dropped and
 * counted.
 */
#ifndef MCASTD_CONTROL_H
#define MCASTD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONTROL_MAX_REQUEST 4096
#define CONTROL_MAX_REPLY   (8u << 20)
#define CONTROL_MAX_CLIENTS 64
/* Replies held for clients that do not read, all together. */
#define CONTROL_MAX_HELD (4 * CONTROL_MAX_REPLY)
/* Words of a request: add mroute with a source and CONF_MAX_OIFS oifs
 * takes 40. */
#define CONTROL_MAX_ARGS 48

/*
 * The longest type of a record with items, plus one: control_item() names
 * the item from a copy of its parent's type, and a longer one is cut.
 */
#define CONTROL_MAX_TYPE 32

/* A reply being built (zeroed to start). */
struct control_reply {
	char *buf;
	size_t len;
	size_t cap;
	bool overflow; /* over CONTROL_MAX_REPLY: truncated */
	bool in_record;
	bool in_list;		     /* a list begun and not ended */
	bool list_empty;	     /* no item added to it yet */
	char type[CONTROL_MAX_TYPE]; /* the last control_record's */
};

/*
 * The builders.  control_record() starts a record; the field builders add
 * to the record last started (the parent's or an item's):
 *   control_field()   a string, formatted; "" is absent
 *   control_num()     a number, formatted ("%d", "%.1f" ...): KEY#=
 *   control_bool()    KEY?=true or KEY?=false
 *   control_null()    an absent value: KEY=
 * A list of strings: control_list_begin(), control_list_add() for each
 * item, control_list_end() (the next field or record ends it too).  An
 * item's control characters other than tab and newline (which are
 * escaped), 0x1f the separator among them, are sent as '?'.
 * A list of objects: control_items() on the parent declares KEY[]=; then
 * each control_item() starts an item record "PARENT.KEY", PARENT being the
 * type given to the last control_record(), and the field builders fill
 * it; the next control_record() or control_item() ends it.  A record's
 * items come after all of its own fields: once control_item() is called,
 * fields go to the item, and no way leads back to the parent.
 * control_end() ends the reply with the END record.
 */
void control_record(struct control_reply *r, const char *type);
void control_field(struct control_reply *r, const char *key, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
void control_num(struct control_reply *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void control_bool(struct control_reply *r, const char *key, bool value);
void control_null(struct control_reply *r, const char *key);
void control_list_begin(struct control_reply *r, const char *key);
void control_list_add(struct control_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void control_list_end(struct control_reply *r);
void control_items(struct control_reply *r, const char *key);
void control_item(struct control_reply *r, const char *key);
void control_end(struct control_reply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The reply passed CONTROL_MAX_REPLY: the rest is dropped (the END record
 * says so), so a view may stop building it.
 */
bool control_full(const struct control_reply *r);

/* The daemon's handler: answers one request line (argv-split). */
typedef void (*control_handler)(void *arg, int argc, char **argv,
    struct control_reply *reply);

struct control_stats {
	uint64_t requests;
	uint64_t bad_requests;	  /* too long, not text */
	uint64_t clients_dropped; /* limit, stall, overflow */
};

struct control;

/* Create the socket at path (an old one left by a crash is replaced). */
struct control *control_open(const char *path, gid_t group, control_handler h,
    void *arg, int *err);
void control_close(struct control *c);
/*
 * Called from the event loop: fds to watch (listen + clients) and their
 * events; control_service() handles whichever is ready.
 */
int control_fds(const struct control *c, int *fds, short *events, int max);
void control_service(struct control *c, int fd, short revents, int64_t now_ms);
/*
 * Called with each client descriptor just before the socket closes it
 * (an event loop must forget it first); NULL: nothing.
 */
void control_set_close_hook(struct control *c, void (*fn)(void *arg, int fd),
    void *arg);
/* Drop clients idle longer than the timeout; the next deadline (ms). */
int64_t control_expire(struct control *c, int64_t now_ms);
const struct control_stats *control_stats(const struct control *c);

/* Split a request line into words (in place): argc, or -1 when it has
 * more than max words. */
int control_split(char *line, char **argv, int max);

/*
 * The request, without I/O.  control_request_length(): where the line in
 * the first len bytes a client sent ends (its length, the newline left
 * out), CONTROL_INCOMPLETE while more may come, or CONTROL_TOO_LONG once
 * CONTROL_MAX_REQUEST - 1 bytes hold no newline.  control_parse_request():
 * the line (len bytes, line[len] writable) checked and split in place into
 * at most max words: argc (0 for a blank line), CONTROL_NOT_TEXT (a
 * control character other than tab or CR) or CONTROL_TOO_MANY_WORDS.
 */
#define CONTROL_INCOMPLETE     (-1)
#define CONTROL_TOO_LONG       (-2)
#define CONTROL_NOT_TEXT       (-1)
#define CONTROL_TOO_MANY_WORDS (-2)
ssize_t control_request_length(const char *buf, size_t len);
int control_parse_request(char *line, size_t len, char **argv, int max);

#endif
