/* The arguments of add/del mroute and join/leave (request.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "mcastd.h"
#include "request.h"

/* What ends a word in mcastd.conf, beyond the blanks a request splits at. */
#define REQUEST_CONF_DELIMITERS "#;{}\\"

static int
request_ifname(const char *word, char name[IF_NAMESIZE], char *msg, size_t len)
{
	size_t n = strlen(word);

	if (n >= IF_NAMESIZE) {
		snprintf(msg, len,
		    "interface name '%.24s...' is %zu "
		    "characters long: expected at most %d",
		    word, n, IF_NAMESIZE - 1);
		return -1;
	}
	memcpy(name, word, n + 1);
	return 0;
}

static int
request_group(const char *word, struct in_addr *group, char *msg, size_t len)
{
	if (inet_pton(AF_INET, word, group) != 1 ||
	    !IN_MULTICAST(ntohl(group->s_addr))) {
		snprintf(msg, len,
		    "bad group '%s': expected an IPv4 multicast "
		    "group",
		    word);
		return -1;
	}
	return 0;
}

/*
 * A route to add, as the statement "mroute from IF ... to IF..." through
 * mcastd.conf's parser: a group outside 224.0.0.0/24, a unicast source,
 * valid interface names, outgoing interfaces other than the incoming one,
 * each once and at most CONF_MAX_OIFS of them.
 */
static int
request_route_conf_check(int argc, char **argv, struct conf_mroute *m,
    char *msg, size_t len)
{
	char text[CONTROL_MAX_REQUEST + 8];
	struct conf_error e;
	struct conf c;
	size_t off, n;
	const char *bad;
	int i;

	off = (size_t)snprintf(text, sizeof(text), "mroute");
	for (i = 0; i < argc; i++) {
		if ((bad = strpbrk(argv[i], REQUEST_CONF_DELIMITERS)) != NULL) {
			snprintf(msg, len,
			    "'%s' contains '%c': expected words "
			    "without # ; { } or \\, as in mcastd.conf",
			    argv[i], *bad);
			return -1;
		}
		n = strlen(argv[i]);
		if (off + 1 + n >= sizeof(text)) {
			snprintf(msg, len,
			    "route longer than %zu bytes: "
			    "expected a shorter one",
			    sizeof(text) - 1);
			return -1;
		}
		text[off++] = ' ';
		memcpy(text + off, argv[i], n);
		off += n;
	}
	if (conf_parse(text, off, "request", &c, &e) != 0) {
		snprintf(msg, len, "%s", e.message);
		return -1;
	}
	if (c.nmroutes != 1 || c.nphyints != 0) {
		conf_free(&c);
		snprintf(msg, len, "expected one route");
		return -1;
	}
	*m = c.mroutes[0];
	m->line = 0;
	conf_free(&c);
	return 0;
}

int
request_parse_route(int argc, char **argv, bool add, struct conf_mroute *m,
    char *msg, size_t len)
{
	int i;

	memset(m, 0, sizeof(*m));
	if (argc < 4 || strcmp(argv[0], "from") != 0)
		goto usage;
	if (request_ifname(argv[1], m->iif, msg, len) != 0)
		return -1;
	i = 2;
	if (strcmp(argv[i], "source") == 0) {
		if (i + 1 >= argc ||
		    inet_pton(AF_INET, argv[i + 1], &m->source) != 1) {
			snprintf(msg, len,
			    "bad source '%s': expected an IPv4 "
			    "address",
			    i + 1 < argc ? argv[i + 1] : "");
			return -1;
		}
		m->has_source = true;
		i += 2;
	}
	if (i + 1 >= argc || strcmp(argv[i], "group") != 0)
		goto usage;
	if (request_group(argv[i + 1], &m->group, msg, len) != 0)
		return -1;
	i += 2;
	if (!add) {
		if (i == argc)
			return 0;
		goto usage;
	}
	if (i + 1 >= argc || strcmp(argv[i], "to") != 0)
		goto usage;
	return request_route_conf_check(argc, argv, m, msg, len);
usage:
	snprintf(msg, len, "expected: from IF [source S] group G%s",
	    add ? " to IF..." : "");
	return -1;
}

int
request_parse_flush(int argc, char **argv, bool *has_group,
    struct in_addr *group, char *msg, size_t len)
{
	*has_group = argc == 1;
	if (argc > 1) {
		snprintf(msg, len, "expected: flush [GROUP], got %d words",
		    argc);
		return -1;
	}
	return argc == 1 ? request_group(argv[0], group, msg, len) : 0;
}

int
request_parse_join(int argc, char **argv, struct router_static_group *j,
    char *msg, size_t len)
{
	memset(j, 0, sizeof(*j));
	if (argc != 2 && argc != 4)
		goto usage;
	if (request_ifname(argv[0], j->ifname, msg, len) != 0 ||
	    request_group(argv[1], &j->group, msg, len) != 0)
		return -1;
	if (argc == 4) {
		if (strcmp(argv[2], "source") != 0 ||
		    inet_pton(AF_INET, argv[3], &j->source) != 1)
			goto usage;
		j->has_source = true;
	}
	return 0;
usage:
	snprintf(msg, len, "expected: IF GROUP [source S]");
	return -1;
}
