/* mcastd's control socket (protocol in control.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"

#define CONTROL_IDLE_MS	     5000 /* a client must finish by then */
#define CONTROL_ACCEPT_BATCH (CONTROL_MAX_CLIENTS / 8)

struct control_client {
	int fd;
	char req[CONTROL_MAX_REQUEST];
	size_t req_len;
	struct control_reply reply;
	size_t sent;
	bool answered;
	int64_t since_ms;
};

struct control {
	void (*close_hook)(void *arg, int fd);
	void *close_arg;
	int listen_fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler handler;
	void *arg;
	struct control_client clients[CONTROL_MAX_CLIENTS];
	struct control_stats stats;
};

static void
control_put(struct control_reply *r, const char *s, size_t n)
{
	size_t cap;
	char *nb;

	if (r->overflow)
		return;
	if (r->len + n + 1 > CONTROL_MAX_REPLY) {
		r->overflow = true;
		return;
	}
	if (r->len + n + 1 > r->cap) {
		cap = r->cap ? r->cap * 2 : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (nb == NULL) {
			r->overflow = true;
			return;
		}
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

/*
 * A value with backslash, tab and newline escaped; in a list's item, the
 * other control characters (0x1f the separator among them) become '?'.
 */
static void
control_put_escaped(struct control_reply *r, const char *s, bool item)
{
	for (; *s; s++) {
		if (*s == '\\')
			control_put(r, "\\\\", 2);
		else if (*s == '\t')
			control_put(r, "\\t", 2);
		else if (*s == '\n')
			control_put(r, "\\n", 2);
		else if (item && ((unsigned char)*s < 0x20 || *s == 0x7f))
			control_put(r, "?", 1);
		else
			control_put(r, s, 1);
	}
}

static void
control_finish_record(struct control_reply *r)
{
	if (r->in_record)
		control_put(r, "\n", 1);
	r->in_record = false;
	r->in_list = false;
}

/* A record line begins: its type, then "." and key for an item. */
static void
control_begin_line(struct control_reply *r, const char *type, const char *key)
{
	control_finish_record(r);
	control_put(r, type, strlen(type));
	if (key != NULL) {
		control_put(r, ".", 1);
		control_put(r, key, strlen(key));
	}
	r->in_record = true;
}

void
control_record(struct control_reply *r, const char *type)
{
	snprintf(r->type, sizeof(r->type), "%s", type);
	control_begin_line(r, type, NULL);
}

void
control_item(struct control_reply *r, const char *key)
{
	control_begin_line(r, r->type, key);
}

/* <TAB>KEY, its mark of type ("#", "?", "[]" or ""), and "=". */
static void
control_put_key(struct control_reply *r, const char *key, const char *mark)
{
	r->in_list = false;
	control_put(r, "\t", 1);
	control_put(r, key, strlen(key));
	control_put(r, mark, strlen(mark));
	control_put(r, "=", 1);
}

/*
 * The formatted value, escaped.  A value longer than the buffer on the
 * stack is sent whole, or the reply marked as cut short.
 */
static void
control_put_vformat(struct control_reply *r, bool item, const char *fmt,
    va_list ap)
{
	char small[1024], *value = small;
	va_list again;
	int n;

	/* Past the cap nothing more is sent: no formatting either. */
	if (r->overflow)
		return;
	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		small[0] = '\0';
	if (n >= (int)sizeof(small)) {
		value = malloc((size_t)n + 1);
		if (value == NULL)
			r->overflow = true;
		else
			vsnprintf(value, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (value != NULL)
		control_put_escaped(r, value, item);
	if (value != small)
		free(value);
}

/* A string (mark "") or a number (mark "#"), formatted. */
static void
control_vfield(struct control_reply *r, const char *key, const char *mark,
    const char *fmt, va_list ap)
{
	control_put_key(r, key, mark);
	control_put_vformat(r, false, fmt, ap);
}

bool
control_full(const struct control_reply *r)
{
	return r->overflow;
}

void
control_field(struct control_reply *r, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	control_vfield(r, key, "", fmt, ap);
	va_end(ap);
}

void
control_num(struct control_reply *r, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	control_vfield(r, key, "#", fmt, ap);
	va_end(ap);
}

void
control_bool(struct control_reply *r, const char *key, bool value)
{
	control_put_key(r, key, "?");
	control_put(r, value ? "true" : "false", value ? 4 : 5);
}

void
control_null(struct control_reply *r, const char *key)
{
	control_put_key(r, key, "");
}

void
control_list_begin(struct control_reply *r, const char *key)
{
	control_put_key(r, key, "[]");
	r->in_list = true;
	r->list_empty = true;
}

void
control_list_add(struct control_reply *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->in_list)
		return;
	if (!r->list_empty)
		control_put(r, "\x1f", 1);
	r->list_empty = false;
	va_start(ap, fmt);
	control_put_vformat(r, true, fmt, ap);
	va_end(ap);
}

void
control_list_end(struct control_reply *r)
{
	r->in_list = false;
}

void
control_items(struct control_reply *r, const char *key)
{
	control_list_begin(r, key);
	control_list_end(r);
}

void
control_end(struct control_reply *r, int status, const char *fmt, ...)
{
	va_list ap;
	bool overflow = r->overflow;

	control_finish_record(r);
	/* The END record always fits: make room by dropping the overflow. */
	r->overflow = false;
	control_record(r, "end");
	control_field(r, "status", "%d", overflow ? 1 : status);
	if (overflow) {
		control_field(r, "message",
		    "reply larger than %u bytes: "
		    "truncated",
		    CONTROL_MAX_REPLY);
	} else {
		va_start(ap, fmt);
		control_vfield(r, "message", "", fmt, ap);
		va_end(ap);
	}
	control_finish_record(r);
}

int
control_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

struct control *
control_open(const char *path, gid_t group, control_handler h, void *arg,
    int *err)
{
	struct control *c = calloc(1, sizeof(*c));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int i, probe;

	if (c == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*err = ENAMETOOLONG;
		free(c);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	strcpy(c->path, path);
	/* A socket that still answers belongs to a running daemon. */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 &&
	    connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(probe);
		*err = EADDRINUSE;
		free(c);
		return NULL;
	}
	if (probe >= 0)
		close(probe);
	unlink(path);
	c->listen_fd = socket(AF_UNIX,
	    SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0 ||
	    bind(c->listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, 0660) < 0 ||
	    (group != (gid_t)-1 && chown(path, (uid_t)-1, group) < 0) ||
	    listen(c->listen_fd, 16) < 0) {
		*err = errno;
		if (c->listen_fd >= 0)
			close(c->listen_fd);
		free(c);
		return NULL;
	}
	c->handler = h;
	c->arg = arg;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		c->clients[i].fd = -1;
	return c;
}

void
control_set_close_hook(struct control *c, void (*fn)(void *arg, int fd),
    void *arg)
{
	c->close_hook = fn;
	c->close_arg = arg;
}

static void
control_drop(struct control *c, struct control_client *cl)
{
	if (c->close_hook != NULL)
		c->close_hook(c->close_arg, cl->fd);
	close(cl->fd);
	free(cl->reply.buf);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

void
control_close(struct control *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			control_drop(c, &c->clients[i]);
	close(c->listen_fd);
	unlink(c->path);
	free(c);
}

int
control_fds(const struct control *c, int *fds, short *events, int max)
{
	int i, n = 0;

	if (max < 1)
		return 0;
	fds[n] = c->listen_fd;
	events[n++] = POLLIN;
	for (i = 0; i < CONTROL_MAX_CLIENTS && n < max; i++) {
		if (c->clients[i].fd < 0)
			continue;
		fds[n] = c->clients[i].fd;
		events[n++] = c->clients[i].answered ? POLLOUT : POLLIN;
	}
	return n;
}

static void
control_accept(struct control *c, int64_t now_ms)
{
	int fd, i, oldest, batch = 0;

	/*
	 * A few at a time (the rest at the next turn of the loop): a client
	 * accepted now is read before 64 others can come after it and push
	 * it out as the oldest.
	 */
	while (batch++ < CONTROL_ACCEPT_BATCH &&
	    (fd = accept4(c->listen_fd, NULL, NULL,
		 SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0, oldest = 0; i < CONTROL_MAX_CLIENTS; i++) {
			if (c->clients[i].fd < 0)
				break;
			if (c->clients[i].since_ms <
			    c->clients[oldest].since_ms)
				oldest = i;
		}
		/*
		 * Full: the oldest client goes, not the newcomer, so that
		 * clients holding every slot (connected, silent, or not
		 * reading) cannot lock mcastctl out; a real request is
		 * answered within a loop or two of its connect.
		 */
		if (i == CONTROL_MAX_CLIENTS) {
			c->stats.clients_dropped++;
			control_drop(c, &c->clients[oldest]);
			i = oldest;
		}
		memset(&c->clients[i], 0, sizeof(c->clients[i]));
		c->clients[i].fd = fd;
		c->clients[i].since_ms = now_ms;
	}
}

ssize_t
control_request_length(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	if (nl != NULL)
		return nl - buf;
	return len >= CONTROL_MAX_REQUEST - 1 ? CONTROL_TOO_LONG :
						CONTROL_INCOMPLETE;
}

int
control_parse_request(char *line, size_t len, char **argv, int max)
{
	size_t i;
	int argc;

	line[len] = '\0';
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f)
			return CONTROL_NOT_TEXT;
		if (ch == '\r')
			line[i] = ' ';
	}
	argc = control_split(line, argv, max);
	return argc < 0 ? CONTROL_TOO_MANY_WORDS : argc;
}

static void
control_answer(struct control *c, struct control_client *cl, size_t linelen)
{
	char *argv[CONTROL_MAX_ARGS];
	int argc;

	argc = control_parse_request(cl->req, linelen, argv, CONTROL_MAX_ARGS);
	if (argc < 0) {
		c->stats.bad_requests++;
		if (argc == CONTROL_NOT_TEXT)
			control_end(&cl->reply, 2,
			    "request is not text: "
			    "expected one line such as 'show groups'");
		else
			control_end(&cl->reply, 2,
			    "request of more than %d "
			    "words: expected fewer",
			    CONTROL_MAX_ARGS);
		cl->answered = true;
		return;
	}
	c->stats.requests++;
	if (argc == 0)
		control_end(&cl->reply, 2,
		    "empty request: expected a command "
		    "such as 'show status'");
	else
		c->handler(c->arg, argc, argv, &cl->reply);
	cl->answered = true;
}

/*
 * Clients that do not read must not make the daemon hold their replies
 * without bound: past CONTROL_MAX_HELD in all, the oldest other answered
 * clients are dropped until keep's reply fits.
 */
static void
control_bound_replies(struct control *c, const struct control_client *keep)
{
	size_t held;
	int i, oldest;

	for (;;) {
		held = 0;
		oldest = -1;
		for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
			const struct control_client *cl = &c->clients[i];

			if (cl->fd < 0)
				continue;
			held += cl->reply.cap;
			if (cl != keep && cl->answered &&
			    (oldest < 0 ||
				cl->since_ms < c->clients[oldest].since_ms))
				oldest = i;
		}
		if (held <= CONTROL_MAX_HELD || oldest < 0)
			return;
		c->stats.clients_dropped++;
		control_drop(c, &c->clients[oldest]);
	}
}

static void
control_read(struct control *c, struct control_client *cl)
{
	ssize_t n, line_len;

	n = read(cl->fd, cl->req + cl->req_len,
	    sizeof(cl->req) - 1 - cl->req_len);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		control_drop(c, cl);
		return;
	}
	cl->req_len += (size_t)n;
	line_len = control_request_length(cl->req, cl->req_len);
	if (line_len >= 0) {
		control_answer(c, cl, (size_t)line_len);
		control_bound_replies(c, cl);
		return;
	}
	if (line_len == CONTROL_TOO_LONG) {
		c->stats.bad_requests++;
		control_end(&cl->reply, 2,
		    "request longer than %d bytes: "
		    "expected one short line",
		    CONTROL_MAX_REQUEST - 1);
		cl->answered = true;
	}
}

static void
control_write(struct control *c, struct control_client *cl)
{
	ssize_t n;

	while (cl->sent < cl->reply.len) {
		n = send(cl->fd, cl->reply.buf + cl->sent,
		    cl->reply.len - cl->sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			c->stats.clients_dropped++;
			control_drop(c, cl);
			return;
		}
		cl->sent += (size_t)n;
	}
	control_drop(c, cl);
}

void
control_service(struct control *c, int fd, short revents, int64_t now_ms)
{
	int i;

	if (fd == c->listen_fd) {
		control_accept(c, now_ms);
		return;
	}
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		struct control_client *cl = &c->clients[i];

		if (cl->fd != fd)
			continue;
		if (!cl->answered && (revents & (POLLIN | POLLHUP | POLLERR)))
			control_read(c, cl);
		if (cl->fd >= 0 && cl->answered)
			control_write(c, cl);
		return;
	}
}

int64_t
control_expire(struct control *c, int64_t now_ms)
{
	int64_t next = INT64_MAX, due;
	int i;

	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		struct control_client *cl = &c->clients[i];

		if (cl->fd < 0)
			continue;
		due = cl->since_ms + CONTROL_IDLE_MS;
		if (now_ms >= due) {
			c->stats.clients_dropped++;
			control_drop(c, cl);
		} else if (due < next) {
			next = due;
		}
	}
	return next;
}

const struct control_stats *
control_stats(const struct control *c)
{
	return &c->stats;
}
