/* The arguments of add/del mroute and join/leave (request.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "mcastd.h"
#include "request.h"

/* What ends a word in mcastd.conf, beyond the blanks a request splits at. */
#define REQUEST_CONF_DELIMITERS "#;{}\\"

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

/* A word of a request through the check mcastd.conf gives it. */
#define REQUEST_WORD(word) (word), strlen(word)

int
request_parse_route(int argc, char **argv, bool add, struct conf_mroute *m,
    char *msg, size_t len)
{
	int i;

	memset(m, 0, sizeof(*m));
	if (argc < 4 || strcmp(argv[0], "from") != 0)
		goto usage;
	if (conf_check_ifname(REQUEST_WORD(argv[1]), "from", true, m->iif, msg,
		len) != 0)
		return -1;
	i = 2;
	if (strcmp(argv[i], "source") == 0) {
		if (i + 1 >= argc)
			goto usage;
		if (conf_check_source(REQUEST_WORD(argv[i + 1]), &m->source,
			msg, len) != 0)
			return -1;
		m->has_source = true;
		i += 2;
	}
	if (i + 1 >= argc || strcmp(argv[i], "group") != 0)
		goto usage;
	if (conf_check_group_range(REQUEST_WORD(argv[i + 1]), "group",
		&m->group, &m->group_len, msg, len) != 0 ||
	    (m->has_source &&
		(conf_check_sourced_iif(m->iif, msg, len) != 0 ||
		    conf_check_sourced_group(REQUEST_WORD(argv[i + 1]),
			m->group_len, msg, len) != 0)))
		return -1;
	i += 2;
	if (!add) {
		if (i == argc)
			return 0;
		goto usage;
	}
	if (i + 1 >= argc || strcmp(argv[i], "to") != 0)
		goto usage;
	/* The whole statement, as the file's parser reads it. */
	return request_route_conf_check(argc, argv, m, msg, len);
usage:
	snprintf(msg, len, "expected: from IF [source S] group G[/LEN]%s",
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
	return argc == 1 ?
	    conf_check_group(REQUEST_WORD(argv[0]), "group", group, msg, len) :
	    0;
}

int
request_parse_join(int argc, char **argv, const struct igmp_router_config *igmp,
    struct router_static_group *j, char *msg, size_t len)
{
	memset(j, 0, sizeof(*j));
	if (argc != 2 && argc != 4)
		goto usage;
	if (conf_check_ifname(REQUEST_WORD(argv[0]),
		igmp != NULL ? "join" : "leave", false, j->ifname, msg,
		len) != 0 ||
	    conf_check_group(REQUEST_WORD(argv[1]), "group", &j->group, msg,
		len) != 0)
		return -1;
	if (argc == 4) {
		if (strcmp(argv[2], "source") != 0)
			goto usage;
		if (conf_check_source(REQUEST_WORD(argv[3]), &j->source, msg,
			len) != 0)
			return -1;
		j->has_source = true;
	}
	/* A static-group of the file would be refused there too. */
	if (igmp != NULL && !j->has_source &&
	    conf_check_asm(igmp, j->group, "join", msg, len) != 0)
		return -1;
	return 0;
usage:
	snprintf(msg, len, "expected: IF GROUP [source S]");
	return -1;
}
