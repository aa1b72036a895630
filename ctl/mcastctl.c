/*
 * mcastctl: talk to mcastd over its control socket.  It knows the command
 * words (for unique prefixes: `mcastctl sh gr`, and fixed short forms where
 * prefixes collide), takes its options anywhere among them, sends one
 * request line and renders the typed records that come back: aligned
 * tables for people, JSON with -j (reply.c), errors too.  The table
 * columns are the record's fields and the JSON types are the fields' own,
 * so a new field in the daemon shows up here without a change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "reply.h"

#define MCASTCTL_DEFAULT_SOCKET "/run/mcastd.sock"

static const char *const show_words[] = { "interfaces", "groups", "tunnels",
	"routes", "neighbors", "prunes", "mfc", "stats", "status", NULL };
static const char *const mroute_words[] = { "mroute", NULL };
static const char *const top_words[] = { "show", "reload", "log", "add", "del",
	"join", "leave", "flush", NULL };

/*
 * Fixed short forms where prefixes collide: `st` is status (as in birdc's
 * `sh st`), `stat` is stats.  Any other unique prefix works as well.
 */
static const struct {
	const char *abbrev, *word;
} short_forms[] = {
	{ "st", "status" },
	{ "stat", "stats" },
};

/* -j: every answer, errors too, is one JSON object on standard output. */
static bool json_output;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mcastctl [-j] [-u SOCKET] COMMAND [ARGS...]\n"
	    "       mcastctl -h | --help | -V | --version\n"
	    "  show interfaces|groups|tunnels|routes|neighbors|prunes|mfc|stats|\n"
	    "       status\n"
	    "  reload                       re-read the configuration\n"
	    "  log debug|info|notice|warning|error\n"
	    "  add mroute from IF [source S] group G[/LEN] to IF...\n"
	    "  del mroute from IF [source S] group G[/LEN]\n"
	    "  flush [GROUP]                delete the dynamic forwarding entries\n"
	    "  join IF GROUP [source S]     a static membership\n"
	    "  leave IF GROUP [source S]\n"
	    "Words may be shortened to a unique prefix (mcastctl sh gr);\n"
	    "st is status, stat is stats.\n"
	    "  -j, --json          JSON instead of tables, errors too\n"
	    "  -u, --socket SOCKET the daemon's socket (default %s)\n"
	    "  -h, --help          this text\n"
	    "  -V, --version       the version\n"
	    "Options may come anywhere; after -- no word is an option.\n",
	    MCASTCTL_DEFAULT_SOCKET);
}

/*
 * Say what went wrong and exit with status: one line on standard error,
 * or with -j the object {"status":N,"message":"..."} on standard output,
 * the shape of every answer.
 */
static void __attribute__((format(printf, 2, 3), noreturn))
fail(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_output) {
		printf("{\"status\":%d,\"message\":", status);
		reply_json_string(stdout, msg);
		printf("}\n");
	} else {
		fprintf(stderr, "mcastctl: %s\n", msg);
	}
	exit(status);
}

/* "a, b or c" of a NULL-ended list, into buf. */
static const char *
word_list(const char *const *list, char *buf, size_t cap)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; list[i] != NULL && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		    i == 0		    ? "" :
			list[i + 1] == NULL ? " or " :
					      ", ",
		    list[i]);
	return buf;
}

/* " (st is status, ...)": the fixed short forms of list's words, or "". */
static const char *
short_forms_of(const char *const *list, char *buf, size_t cap)
{
	size_t len = 0, i, k;

	buf[0] = '\0';
	for (k = 0; k < sizeof(short_forms) / sizeof(short_forms[0]); k++)
		for (i = 0; list[i] != NULL && len < cap; i++)
			if (strcmp(short_forms[k].word, list[i]) == 0)
				len += (size_t)snprintf(buf + len, cap - len,
				    "%s%s is %s", len == 0 ? " (" : ", ",
				    short_forms[k].abbrev, list[i]);
	if (len > 0 && len < cap)
		snprintf(buf + len, cap - len, ")");
	return buf;
}

/*
 * The word of list that text names: the word itself, a fixed short form,
 * or a unique prefix; otherwise exit 2.
 */
static const char *
expand(const char *text, const char *const *list, const char *what)
{
	const char *found = NULL, *other = NULL;
	size_t n = strlen(text), i, k;
	char words[256];

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], text) == 0)
			return list[i];
	for (k = 0; k < sizeof(short_forms) / sizeof(short_forms[0]); k++)
		for (i = 0; list[i] != NULL; i++)
			if (strcmp(short_forms[k].abbrev, text) == 0 &&
			    strcmp(short_forms[k].word, list[i]) == 0)
				return list[i];
	for (i = 0; n > 0 && list[i] != NULL; i++) {
		if (strncmp(list[i], text, n) != 0)
			continue;
		if (found != NULL)
			other = list[i];
		else
			found = list[i];
	}
	if (other != NULL)
		fail(2, "'%s' is ambiguous: %s or %s?%s", text, found, other,
		    short_forms_of(list, words, sizeof(words)));
	if (found == NULL)
		fail(2, "unknown %s '%s': expected %s", what, text,
		    word_list(list, words, sizeof(words)));
	return found;
}

/* Build the request line, expanding the command words. */
static void
build_request(int argc, char **argv, char *out, size_t cap)
{
	const char *cmd = expand(argv[0], top_words, "command");
	char words[256];
	size_t len = 0;
	int i;

	len += (size_t)snprintf(out + len, cap - len, "%s", cmd);
	for (i = 1; i < argc && len < cap; i++) {
		const char *w = argv[i];

		if (i == 1 && strcmp(cmd, "show") == 0)
			w = expand(w, show_words, "show item");
		else if (i == 1 &&
		    (strcmp(cmd, "add") == 0 || strcmp(cmd, "del") == 0))
			w = expand(w, mroute_words, "object");
		if (strchr(w, '\n') != NULL)
			fail(2, "a newline in '%s': expected plain words", w);
		len += (size_t)snprintf(out + len, cap - len, " %s", w);
	}
	if (strcmp(cmd, "show") == 0 && argc < 2)
		fail(2, "show what? expected %s",
		    word_list(show_words, words, sizeof(words)));
	if (len + 2 > cap)
		fail(2, "command too long: expected at most %zu bytes",
		    cap - 2);
	out[len++] = '\n';
	out[len] = '\0';
}

/* Print the answer as tables or JSON; the daemon's status. */
static int
render(char *text, bool json)
{
	struct reply r;
	int status;

	if (reply_parse(text, &r) != 0)
		fail(1, "out of memory");
	if (json) {
		reply_print_json(stdout, &r);
	} else {
		reply_print_tables(stdout, &r);
		if (r.status != 0 || r.nrecords == 0)
			fprintf(r.status ? stderr : stdout, "%s%s\n",
			    r.status ? "mcastctl: " : "",
			    r.message ? r.message : "");
	}
	if (r.dropped_fields != 0)
		fprintf(stderr,
		    "mcastctl: %zu field%s not shown: malformed, a "
		    "key given twice in a record, or more than %d in one\n",
		    r.dropped_fields, r.dropped_fields == 1 ? "" : "s",
		    REPLY_MAX_FIELDS);
	if (r.dropped_items != 0)
		fprintf(stderr,
		    "mcastctl: %zu list item%s not shown: no "
		    "record before %s that declared its list\n",
		    r.dropped_items, r.dropped_items == 1 ? "" : "s",
		    r.dropped_items == 1 ? "it" : "them");
	status = r.status;
	reply_free(&r);
	return status;
}

/* The options, anywhere among the words (GNU getopt's order). */
static const char *
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = MCASTCTL_DEFAULT_SOCKET;
	int c, i;

	/* Known before the first error, wherever -j stands. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-j") == 0 ||
		    strcmp(argv[i], "--json") == 0)
			json_output = true;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":u:jhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			path = optarg;
			break;
		case 'j':
			json_output = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("mcastctl %s\n", MCAST_VERSION);
			exit(0);
		case ':':
			fail(2,
			    "option '%s' needs a value: try 'mcastctl --help'",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				fail(2,
				    "unknown option '-%c': try 'mcastctl "
				    "--help'",
				    optopt);
			fail(2, "unknown option '%s': try 'mcastctl --help'",
			    argv[optind - 1]);
		}
	}
	return path;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char req[4096], *reply = NULL;
	const char *path;
	size_t len = 0, cap = 0;
	ssize_t n;
	int c, fd;

	path = parse_options(argc, argv);
	if (optind == argc) {
		if (json_output)
			fail(2, "no command: expected one of %s",
			    word_list(top_words, req, sizeof(req)));
		usage(stderr);
		return 2;
	}
	build_request(argc - optind, argv + optind, req, sizeof(req));
	if (strlen(path) >= sizeof(sun.sun_path))
		fail(2, "socket path too long: %s", path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		fail(1, "cannot reach mcastd at %s: %s%s", path,
		    strerror(errno),
		    errno == ENOENT || errno == ECONNREFUSED ?
			" (is mcastd running? -u names another socket)" :
			"");
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		fail(1, "sending to mcastd: %s", strerror(errno));
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			reply = realloc(reply, cap);
			if (reply == NULL)
				fail(1, "out of memory");
		}
		n = read(fd, reply + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	c = render(reply, json_output);
	free(reply);
	return c;
}
