/*
 * mcastd's control socket: a Unix stream socket (mode 0660).  A client
 * sends one request line ("show groups", "log debug" ...) and reads typed
 * records, one per line, until an END record:
 *
 *   group<TAB>interface=eth0<TAB>group=239.1.2.3<TAB>mode=EXCLUDE ...
 *   end<TAB>status=0<TAB>message=ok
 *
 * Values escape backslash, tab and newline as \\, \t and \n.  The daemon
 * never blocks on a client: replies are buffered (up to a cap) and written
 * as the client reads; a client that sends garbage, too long a line, or
 * stalls too long is dropped and counted.
 */
#ifndef MCASTD_CONTROL_H
#define MCASTD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONTROL_MAX_REQUEST	4096
#define CONTROL_MAX_REPLY	(8u << 20)
#define CONTROL_MAX_CLIENTS	64
/* Replies held for clients that do not read, all together. */
#define CONTROL_MAX_HELD	(4 * CONTROL_MAX_REPLY)
/* Words of a request: add mroute with a source and CONF_MAX_OIFS oifs
 * takes 40. */
#define CONTROL_MAX_ARGS	48

/* A reply being built. */
struct control_reply {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 overflow;	/* over CONTROL_MAX_REPLY: truncated */
	bool	 in_record;
};

void	control_record(struct control_reply *r, const char *type);
void	control_field(struct control_reply *r, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	control_end(struct control_reply *r, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The daemon's handler: answers one request line (argv-split). */
typedef void (*control_handler)(void *arg, int argc, char **argv,
    struct control_reply *reply);

struct control_stats {
	uint64_t	requests;
	uint64_t	bad_requests;	/* too long, not text */
	uint64_t	clients_dropped;	/* limit, stall, overflow */
};

struct control;

/* Create the socket at path (an old one left by a crash is replaced). */
struct control	*control_open(const char *path, gid_t group,
		    control_handler h, void *arg, int *err);
void		 control_close(struct control *c);
/*
 * Called from the event loop: fds to watch (listen + clients) and their
 * events; control_service() handles whichever is ready.
 */
int		 control_fds(const struct control *c, int *fds, short *events,
		    int max);
void		 control_service(struct control *c, int fd, short revents,
		    int64_t now_ms);
/* Drop clients idle longer than the timeout; the next deadline (ms). */
int64_t		 control_expire(struct control *c, int64_t now_ms);
const struct control_stats *control_stats(const struct control *c);

/* Split a request line into words (in place): argc, or -1 when it has
 * more than max words. */
int		 control_split(char *line, char **argv, int max);

/*
 * The request, without I/O.  control_request_length(): where the line in
 * the first len bytes a client sent ends (its length, the newline left
 * out), CONTROL_INCOMPLETE while more may come, or CONTROL_TOO_LONG once
 * CONTROL_MAX_REQUEST - 1 bytes hold no newline.  control_parse_request():
 * the line (len bytes, line[len] writable) checked and split in place into
 * at most max words: argc (0 for a blank line), CONTROL_NOT_TEXT (a
 * control character other than tab or CR) or CONTROL_TOO_MANY_WORDS.
 */
#define CONTROL_INCOMPLETE	(-1)
#define CONTROL_TOO_LONG	(-2)
#define CONTROL_NOT_TEXT	(-1)
#define CONTROL_TOO_MANY_WORDS	(-2)
ssize_t		 control_request_length(const char *buf, size_t len);
int		 control_parse_request(char *line, size_t len, char **argv,
		    int max);

#endif
