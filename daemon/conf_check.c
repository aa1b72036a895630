/*
 * The checks of one word of mcastd.conf (a group, a range, a source, an
 * interface name) and of a static group against the SSM range: shared by
 * the configuration's parser (conf_lex.c) and the control requests
 * (request.c), so that what the file refuses, mcastctl refuses too, with
 * the same message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf_int.h"

/* A word as messages show it: 'word', cut short past CONF_QUOTE_MAX. */
static const char *
conf_check_quote(const char *s, size_t n, char *buf, size_t size)
{
	if (n > CONF_QUOTE_MAX)
		snprintf(buf, size, "'%.*s...'", CONF_QUOTE_MAX, s);
	else
		snprintf(buf, size, "'%.*s'", (int)n, s);
	return buf;
}

/* The word as a NUL-terminated string in buf; false if it does not fit. */
static bool
conf_check_copy(const char *s, size_t n, char *buf, size_t size)
{
	if (n >= size)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

static int
conf_check_expected(const char *s, size_t n, const char *what,
    const char *expected, char *msg, size_t len)
{
	char q[CONF_TOKBUF];

	snprintf(msg, len, "%s: expected %s, got %s", what, expected,
	    conf_check_quote(s, n, q, sizeof(q)));
	return -1;
}

static bool
conf_check_is_local(uint32_t a)
{
	return (a >> 8) == 0xe00000;
}

int
conf_check_group(const char *s, size_t n, const char *what, struct in_addr *out,
    char *msg, size_t len)
{
	char buf[INET_ADDRSTRLEN];
	uint32_t a;

	if (!conf_check_copy(s, n, buf, sizeof(buf)) ||
	    inet_pton(AF_INET, buf, out) != 1)
		return conf_check_expected(s, n, what,
		    "an IPv4 multicast group such as 239.1.2.3", msg, len);
	a = ntohl(out->s_addr);
	if ((a >> 28) != 0xe) {
		snprintf(msg, len,
		    "%s is not a multicast group: expected an address "
		    "within 224.0.0.0/4",
		    buf);
		return -1;
	}
	if (conf_check_is_local(a)) {
		snprintf(msg, len,
		    "%s is in 224.0.0.0/24, which is never forwarded "
		    "(RFC 5771): expected a group outside it",
		    buf);
		return -1;
	}
	return 0;
}

int
conf_check_group_range(const char *s, size_t n, const char *what,
    struct in_addr *out, uint8_t *plen, char *msg, size_t len)
{
	char buf[INET_ADDRSTRLEN + 4], net[INET_ADDRSTRLEN], *slash, *end;
	unsigned long l;
	uint32_t a;

	if (memchr(s, '/', n) == NULL) {
		*plen = 32;
		return conf_check_group(s, n, what, out, msg, len);
	}
	if (!conf_check_copy(s, n, buf, sizeof(buf)) ||
	    (slash = strchr(buf, '/')) == NULL || slash[1] < '0' ||
	    slash[1] > '9' || strlen(slash + 1) > 2)
		goto syntax;
	*slash = '\0';
	l = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || l > 32 || inet_pton(AF_INET, buf, out) != 1)
		goto syntax;
	*slash = '/';
	a = ntohl(out->s_addr);
	if ((a & ~conf_mask((uint8_t)l)) != 0) {
		struct in_addr nw = { htonl(a & conf_mask((uint8_t)l)) };

		snprintf(msg, len, "%s has host bits set: expected %s/%lu", buf,
		    conf_addr_str(nw, net), l);
		return -1;
	}
	if (l < 4 || (a >> 28) != 0xe) {
		snprintf(msg, len,
		    "%s is not a multicast range: expected a range within "
		    "224.0.0.0/4",
		    buf);
		return -1;
	}
	if (l >= 24 && conf_check_is_local(a)) {
		snprintf(msg, len,
		    "%s is in 224.0.0.0/24, which is never forwarded "
		    "(RFC 5771): expected a range outside it",
		    buf);
		return -1;
	}
	*plen = (uint8_t)l;
	return 0;
syntax:
	return conf_check_expected(s, n, what,
	    "an IPv4 multicast group such as 239.1.2.3 or a range such as "
	    "239.1.0.0/16",
	    msg, len);
}

int
conf_check_source(const char *s, size_t n, struct in_addr *out, char *msg,
    size_t len)
{
	char buf[INET_ADDRSTRLEN];
	const char *why = NULL;
	uint32_t a;

	if (!conf_check_copy(s, n, buf, sizeof(buf)) ||
	    inet_pton(AF_INET, buf, out) != 1)
		return conf_check_expected(s, n, "source",
		    "an IPv4 unicast address such as 198.18.0.1", msg, len);
	a = ntohl(out->s_addr);
	if ((a >> 24) == 0)
		why = "in 0.0.0.0/8 (this network)";
	else if ((a >> 24) == 127)
		why = "a loopback address";
	else if ((a >> 28) == 0xe)
		why = "a multicast address";
	else if ((a >> 28) == 0xf)
		why = "in the reserved 240.0.0.0/4";
	if (why != NULL) {
		snprintf(msg, len,
		    "source %s is %s: expected a unicast address", buf, why);
		return -1;
	}
	return 0;
}

/* An interface name as Linux allows it (dev_valid_name). */
int
conf_check_ifname(const char *s, size_t n, const char *what, bool wildcard,
    char name[IF_NAMESIZE], char *msg, size_t len)
{
	char q[CONF_TOKBUF];
	size_t i;

	if (n >= IF_NAMESIZE) {
		snprintf(msg, len,
		    "%s: interface name %s is %zu characters long: expected "
		    "at most %d",
		    what, conf_check_quote(s, n, q, sizeof(q)), n,
		    IF_NAMESIZE - 1);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':') {
			snprintf(msg, len,
			    "%s: interface name %s contains '%c': expected a "
			    "name without '/' or ':'",
			    what, conf_check_quote(s, n, q, sizeof(q)), s[i]);
			return -1;
		}
	if (n == 0 || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return conf_check_expected(s, n, what, "an interface name", msg,
		    len);
	if (!wildcard && s[n - 1] == '+') {
		snprintf(msg, len,
		    "%s: %s ends in '+', a wildcard, which only the "
		    "interfaces of an mroute take: expected one interface name",
		    what, conf_check_quote(s, n, q, sizeof(q)));
		return -1;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

/* A source-specific route comes in by one interface ... */
int
conf_check_sourced_iif(const char *iif, char *msg, size_t len)
{
	if (!conf_ifname_is_wildcard(iif))
		return 0;
	snprintf(msg, len,
	    "from: %s is a wildcard: expected the one interface a "
	    "source-specific route comes in by",
	    iif);
	return -1;
}

/* ... for one group (the word s, n bytes, gave group_len). */
int
conf_check_sourced_group(const char *s, size_t n, uint8_t group_len, char *msg,
    size_t len)
{
	if (group_len == 32)
		return 0;
	snprintf(msg, len,
	    "group: %.*s is a range: expected one group after 'source' "
	    "(ranges are for (*,G) routes)",
	    (int)n, s);
	return -1;
}

bool
conf_ifname_is_wildcard(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && name[n - 1] == '+';
}

/* RFC 4604 2.2.1: no (*,G) membership in the SSM range. */
int
conf_check_asm(const struct igmp_router_config *igmp, struct in_addr group,
    const char *what, char *msg, size_t len)
{
	char gbuf[INET_ADDRSTRLEN], sbuf[INET_ADDRSTRLEN];
	uint32_t mask = conf_mask(igmp->ssm_prefix_len);

	if (igmp->ssm_prefix_len == 0 ||
	    (ntohl(group.s_addr) & mask) != ntohl(igmp->ssm_prefix.s_addr))
		return 0;
	snprintf(msg, len,
	    "%s %s is in the SSM range %s/%u (RFC 4604): expected 'source S' "
	    "after it, or another ssm-range",
	    what, conf_addr_str(group, gbuf),
	    conf_addr_str(igmp->ssm_prefix, sbuf), igmp->ssm_prefix_len);
	return -1;
}

/* --- names that match no interface -------------------------------- */

/*
 * The optimal string alignment distance (Levenshtein with adjacent
 * transpositions: "eht3" is one from "eth3"), of names < IF_NAMESIZE.
 */
static unsigned
conf_name_distance(const char *a, const char *b)
{
	unsigned d[IF_NAMESIZE + 1][IF_NAMESIZE + 1], cost, best;
	size_t n = strnlen(a, IF_NAMESIZE), m = strnlen(b, IF_NAMESIZE), i, j;

	for (i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			cost = a[i - 1] != b[j - 1];
			best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/*
 * The one interface name close to name (a typo away: distance 1, or 2 for
 * names of 5 characters or more), or NULL when none or several are.
 */
static const char *
conf_name_suggest(const char *name, const char *const *ifnames, size_t n)
{
	unsigned limit = strlen(name) >= 5 ? 2 : 1, best = limit + 1, dist;
	const char *found = NULL;
	bool tie = false;
	size_t i;

	for (i = 0; i < n; i++) {
		dist = conf_name_distance(name, ifnames[i]);
		if (dist < best) {
			best = dist;
			found = ifnames[i];
			tie = false;
		} else if (dist == best) {
			tie = true;
		}
	}
	return tie ? NULL : found;
}

static bool
conf_name_known(const char *name, const char *const *ifnames, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, ifnames[i]) == 0)
			return true;
	return false;
}

/* 1 when name is unknown (fn told), else 0. */
static size_t
conf_name_check(const char *statement, const char *name, unsigned line,
    const char *const *ifnames, size_t n,
    void (*fn)(void *arg, const struct conf_name_warning *w), void *arg)
{
	struct conf_name_warning w;

	/* A wildcard may match nothing yet: it waits for its interfaces. */
	if (conf_ifname_is_wildcard(name) || conf_name_known(name, ifnames, n))
		return 0;
	w.statement = statement;
	w.name = name;
	w.line = line;
	w.suggestion = conf_name_suggest(name, ifnames, n);
	fn(arg, &w);
	return 1;
}

static bool
conf_tunnel_named(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntunnels; i++)
		if (strcmp(c->tunnels[i].name, name) == 0)
			return true;
	return false;
}

size_t
conf_unknown_names(const struct conf *c, const char *const *ifnames, size_t n,
    void (*fn)(void *arg, const struct conf_name_warning *w), void *arg)
{
	size_t i, count = 0;
	unsigned k;

	for (i = 0; i < c->nphyints; i++)
		count += conf_name_check("phyint", c->phyints[i].name,
		    c->phyints[i].line, ifnames, n, fn, arg);
	for (i = 0; i < c->nmroutes; i++) {
		const struct conf_mroute *mr = &c->mroutes[i];

		for (k = 0; k <= mr->noifs; k++) {
			const char *name = k == 0 ? mr->iif : mr->oifs[k - 1];

			/* A tunnel's device is made by mcastd itself. */
			if (conf_tunnel_named(c, name))
				continue;
			count += conf_name_check(k == 0 ? "mroute from" :
							  "mroute to",
			    name, mr->line, ifnames, n, fn, arg);
		}
	}
	return count;
}

void
conf_name_warning_format(const struct conf_name_warning *w, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s %s: no such interface%s%s%s; %s", w->statement,
	    w->name, w->suggestion ? " (did you mean " : "",
	    w->suggestion ? w->suggestion : "", w->suggestion ? "?)" : "",
	    strcmp(w->statement, "phyint") == 0 ?
		"its settings apply when it appears" :
		"the route waits for it");
}
