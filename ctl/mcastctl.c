/*
 * mcastctl: talk to mcastd over its control socket.  It knows the command
 * words (for unique prefixes: `mcastctl sh gr`), sends one request line and
 * renders the typed records that come back: aligned tables for people,
 * JSON with -j (reply.c).  The table columns are the record's fields and
 * the JSON types are the fields' own, so a new field in the daemon shows up
 * here without a change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "reply.h"

#define MCASTCTL_DEFAULT_SOCKET "/run/mcastd.sock"

struct words {
	const char *word;
	const char *const *next; /* the words that may follow */
};

static const char *const show_words[] = { "interfaces", "groups", "routes",
	"mfc", "stats", "status", NULL };
static const char *const mroute_words[] = { "mroute", NULL };
static const char *const top_words[] = { "show", "reload", "log", "add", "del",
	"join", "leave", "flush", NULL };

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mcastctl [-u SOCKET] [-j] COMMAND\n"
	    "  show interfaces|groups|routes|mfc|stats|status\n"
	    "  reload                       re-read the configuration\n"
	    "  log debug|info|notice|warning|error\n"
	    "  add mroute from IF [source S] group G to IF...\n"
	    "  del mroute from IF [source S] group G\n"
	    "  flush [GROUP]                delete the dynamic forwarding entries\n"
	    "  join IF GROUP [source S]     a static membership\n"
	    "  leave IF GROUP [source S]\n"
	    "Unique prefixes are accepted: mcastctl sh gr\n"
	    "  -u SOCKET   the daemon's socket (default %s)\n"
	    "  -j          JSON instead of tables\n",
	    MCASTCTL_DEFAULT_SOCKET);
}

/* The one word of list that text is a unique prefix of, or exit 2. */
static const char *
expand(const char *text, const char *const *list, const char *what)
{
	const char *found = NULL;
	size_t n = strlen(text), i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], text) == 0)
			return list[i];
		if (strncmp(list[i], text, n) == 0) {
			if (found != NULL) {
				fprintf(stderr,
				    "mcastctl: '%s' is ambiguous: "
				    "%s or %s?\n",
				    text, found, list[i]);
				exit(2);
			}
			found = list[i];
		}
	}
	if (found == NULL) {
		fprintf(stderr, "mcastctl: unknown %s '%s': expected one of",
		    what, text);
		for (i = 0; list[i] != NULL; i++)
			fprintf(stderr, "%s %s", i ? "," : "", list[i]);
		fputc('\n', stderr);
		exit(2);
	}
	return found;
}

/* Build the request line, expanding the command words. */
static void
build_request(int argc, char **argv, char *out, size_t cap)
{
	const char *cmd = expand(argv[0], top_words, "command");
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
		if (strchr(w, '\n') != NULL) {
			fprintf(stderr,
			    "mcastctl: a newline in '%s': expected "
			    "plain words\n",
			    w);
			exit(2);
		}
		len += (size_t)snprintf(out + len, cap - len, " %s", w);
	}
	if (strcmp(cmd, "show") == 0 && argc < 2) {
		fprintf(stderr,
		    "mcastctl: show what? expected interfaces, "
		    "groups, routes, mfc, stats or status\n");
		exit(2);
	}
	if (len + 2 > cap) {
		fprintf(stderr, "mcastctl: command too long\n");
		exit(2);
	}
	out[len++] = '\n';
	out[len] = '\0';
}

/* Print the answer as tables or JSON; the daemon's status. */
static int
render(char *text, bool json)
{
	struct reply r;
	int status;

	if (reply_parse(text, &r) != 0) {
		fprintf(stderr, "mcastctl: out of memory\n");
		return 1;
	}
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

int
main(int argc, char **argv)
{
	const char *path = MCASTCTL_DEFAULT_SOCKET;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char req[4096], *reply = NULL;
	size_t len = 0, cap = 0;
	bool json = false;
	ssize_t n;
	int c, fd;

	while ((c = getopt(argc, argv, "+u:jh")) != -1) {
		switch (c) {
		case 'u':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	build_request(argc - optind, argv + optind, req, sizeof(req));
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "mcastctl: socket path too long: %s\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "mcastctl: cannot reach mcastd at %s: %s%s\n",
		    path, strerror(errno),
		    errno == ENOENT || errno == ECONNREFUSED ?
			" (is mcastd running? -u names "
			"another socket)" :
			"");
		return 1;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		fprintf(stderr, "mcastctl: sending to mcastd: %s\n",
		    strerror(errno));
		return 1;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			reply = realloc(reply, cap);
			if (reply == NULL) {
				fprintf(stderr, "mcastctl: out of memory\n");
				return 1;
			}
		}
		n = read(fd, reply + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (reply == NULL)
		return 1;
	reply[len] = '\0';
	c = render(reply, json);
	free(reply);
	return c;
}
