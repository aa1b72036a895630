/*
 * mcastctl: talk to mcastd over its control socket.  It knows the command
 * words (for unique prefixes: `mcastctl sh gr`), sends one request line and
 * renders the typed records that come back: aligned tables for people,
 * JSON with -j.  The table columns are the record's fields, so a new field
 * in the daemon shows up here without a change.
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

#define MCASTCTL_DEFAULT_SOCKET	"/run/mcastd.sock"
#define MCASTCTL_MAX_FIELDS	32

struct field {
	char	*key;
	char	*value;
};

struct record {
	char		*type;
	struct field	 fields[MCASTCTL_MAX_FIELDS];
	int		 nfields;
};

struct words {
	const char	*word;
	const char	*const *next;	/* the words that may follow */
};

static const char *const show_words[] = {
	"interfaces", "groups", "routes", "mfc", "stats", "status", NULL
};
static const char *const mroute_words[] = { "mroute", NULL };
static const char *const top_words[] = {
	"show", "reload", "log", "add", "del", "join", "leave", NULL
};

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
	    "  join IF GROUP [source S]     a static membership\n"
	    "  leave IF GROUP [source S]\n"
	    "Unique prefixes are accepted: mcastctl sh gr\n"
	    "  -u SOCKET   the daemon's socket (default %s)\n"
	    "  -j          JSON instead of tables\n", MCASTCTL_DEFAULT_SOCKET);
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
				fprintf(stderr, "mcastctl: '%s' is ambiguous: "
				    "%s or %s?\n", text, found, list[i]);
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
		else if (i == 1 && (strcmp(cmd, "add") == 0 ||
		    strcmp(cmd, "del") == 0))
			w = expand(w, mroute_words, "object");
		if (strchr(w, '\n') != NULL) {
			fprintf(stderr, "mcastctl: a newline in '%s': expected "
			    "plain words\n", w);
			exit(2);
		}
		len += (size_t)snprintf(out + len, cap - len, " %s", w);
	}
	if (strcmp(cmd, "show") == 0 && argc < 2) {
		fprintf(stderr, "mcastctl: show what? expected interfaces, "
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

static char *
unescape(char *s)
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

static void
parse_record(char *line, struct record *rec)
{
	char *tok, *save = NULL, *eq;

	memset(rec, 0, sizeof(*rec));
	rec->type = strtok_r(line, "\t", &save);
	while ((tok = strtok_r(NULL, "\t", &save)) != NULL &&
	    rec->nfields < MCASTCTL_MAX_FIELDS) {
		eq = strchr(tok, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		rec->fields[rec->nfields].key = tok;
		rec->fields[rec->nfields].value = unescape(eq + 1);
		rec->nfields++;
	}
}

static const char *
get(const struct record *rec, const char *key)
{
	int i;

	for (i = 0; i < rec->nfields; i++)
		if (strcmp(rec->fields[i].key, key) == 0)
			return rec->fields[i].value;
	return NULL;
}

static bool
is_number(const char *s)
{
	char *end;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0' && s[1] != '.'))
		return false;
	strtod(s, &end);
	return *end == '\0';
}

static void
json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
json_value(const char *v)
{
	if (is_number(v) || strcmp(v, "true") == 0 ||
	    strcmp(v, "false") == 0)
		fputs(v, stdout);
	else
		json_str(v);
}

/* Records of one type as a table: columns are the first record's keys. */
static void
print_table(struct record *recs, int n)
{
	int widths[MCASTCTL_MAX_FIELDS], i, j, w;
	const struct record *first = &recs[0];
	const char *v;

	for (j = 0; j < first->nfields; j++)
		widths[j] = (int)strlen(first->fields[j].key);
	for (i = 0; i < n; i++)
		for (j = 0; j < first->nfields; j++) {
			v = get(&recs[i], first->fields[j].key);
			w = v ? (int)strlen(v) : 1;
			if (w > widths[j])
				widths[j] = w;
		}
	for (j = 0; j < first->nfields; j++) {
		char head[64];
		size_t k;

		snprintf(head, sizeof(head), "%s", first->fields[j].key);
		for (k = 0; head[k]; k++)
			head[k] = (char)(head[k] >= 'a' && head[k] <= 'z' ?
			    head[k] - 32 : head[k] == '_' ? ' ' : head[k]);
		printf("%-*s%s", j + 1 < first->nfields ? widths[j] : 0, head,
		    j + 1 < first->nfields ? "  " : "");
	}
	putchar('\n');
	for (i = 0; i < n; i++) {
		for (j = 0; j < first->nfields; j++) {
			v = get(&recs[i], first->fields[j].key);
			printf("%-*s%s", j + 1 < first->nfields ? widths[j] :
			    0, v && *v ? v : "-", j + 1 < first->nfields ?
			    "  " : "");
		}
		putchar('\n');
	}
}

static int
render(char *text, bool json)
{
	struct record *recs = NULL;
	int n = 0, cap = 0, status = 1, i, start, j;
	const char *message = "no END record from mcastd";
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			recs = realloc(recs, (size_t)cap * sizeof(*recs));
			if (recs == NULL) {
				fprintf(stderr, "mcastctl: out of memory\n");
				return 1;
			}
		}
		parse_record(line, &recs[n]);
		if (recs[n].type == NULL)
			continue;
		if (strcmp(recs[n].type, "end") == 0) {
			const char *st = get(&recs[n], "status");

			status = st ? atoi(st) : 1;
			message = get(&recs[n], "message");
			break;
		}
		n++;
	}
	if (json) {
		printf("{");
		for (i = 0; i < n; i = start) {
			start = i;
			printf("%s", i ? "," : "");
			json_str(recs[i].type);
			printf(":[");
			while (start < n && strcmp(recs[start].type,
			    recs[i].type) == 0) {
				printf("%s{", start > i ? "," : "");
				for (j = 0; j < recs[start].nfields; j++) {
					printf("%s", j ? "," : "");
					json_str(recs[start].fields[j].key);
					putchar(':');
					json_value(recs[start].fields[j].value);
				}
				putchar('}');
				start++;
			}
			putchar(']');
		}
		printf("%s\"status\":%d,\"message\":", n ? "," : "", status);
		json_str(message ? message : "");
		printf("}\n");
	} else {
		for (i = 0; i < n; i = start) {
			start = i;
			while (start < n && strcmp(recs[start].type,
			    recs[i].type) == 0)
				start++;
			if (i > 0)
				putchar('\n');
			print_table(&recs[i], start - i);
		}
		if (status != 0 || n == 0)
			fprintf(status ? stderr : stdout, "%s%s\n",
			    status ? "mcastctl: " : "", message ? message : "");
	}
	free(recs);
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
		    path, strerror(errno), errno == ENOENT ||
		    errno == ECONNREFUSED ? " (is mcastd running? -u names "
		    "another socket)" : "");
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
