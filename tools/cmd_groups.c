/*
 * mcast groups: the host's memberships per interface, as the kernel holds
 * them (/proc/net/igmp, igmp6, mcfilter, mcfilter6 through lib/procnet.c).
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

/* Widths of the fixed columns of the table. */
#define GROUPS_MIN_IF_WIDTH    9  /* "INTERFACE" */
#define GROUPS_MIN_GROUP_WIDTH 15 /* "255.255.255.255" */

struct groups_opts {
	struct mc_iface iface;
	bool has_iface;
	bool json;
};

static void
groups_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast groups [-i IF] [--json]\n"
	    "  -i IF        only this interface (name, index or address)\n"
	    "  -j, --json   one JSON object instead of a table\n"
	    "  -h, --help   this text\n");
}

static void
groups_parse(int argc, char **argv, struct groups_opts *o)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *iface_text = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, ":i:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			/*
			 * Not parse_iface(): it refuses interfaces without
			 * IFF_MULTICAST, but lo has none and still holds
			 * 224.0.0.1 and ff02::1, which we list.
			 */
			option_once(&iface_text, "-i", optarg, "interface");
			parse_any_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			groups_usage(stdout);
			exit(0);
		default:
			option_error("groups", c, argv);
		}
	}
	if (optind < argc) {
		groups_usage(stderr);
		usage_error("groups takes no operands, got '%s': expected "
			    "only options",
		    argv[optind]);
	}
}

/*
 * Both timers are in clock_t ticks: igmp prints
 * jiffies_delta_to_clock_t(), igmp6 jiffies_to_clock_t() (checked on a
 * CONFIG_HZ=250 kernel: both count down by 100 a second), so USER_HZ
 * converts both and the kernel's HZ does not matter.
 */
static unsigned long long
groups_timer_ms(const struct mc_membership *m, long clk_tck)
{
	unsigned long long ticks = m->timer_ticks;

	if (!m->timer_running)
		return 0;
	if (ticks > ~0ULL / 1000)
		return ~0ULL;
	return ticks * 1000 / (unsigned long long)clk_tck;
}

static bool
groups_same(const struct mc_source_filter *sf, const struct mc_membership *m)
{
	return sf->ifindex == m->ifindex && mc_ip_equal(&sf->group, &m->group);
}

/*
 * What the sockets on this host asked for, from mcfilter/mcfilter6: a source
 * whose INC count is above 0 is included by some include-mode socket, one
 * whose EXC count is above 0 is excluded by some exclude-mode socket.  The
 * interface's resulting filter (RFC 3376 3.2) also depends on how many
 * sockets are in exclude mode with no sources, which /proc does not show;
 * an any-source join is EXCLUDE {} and has no lines at all, so we print
 * nothing for it.  A source can be in both lists.
 */
static void
groups_print_sources(FILE *f, const struct mc_procnet_table *t,
    const struct mc_membership *m)
{
	static const char *const mode[2] = { "INCLUDE", "EXCLUDE" };
	const struct mc_source_filter *sf;
	char buf[MC_IP_STRLEN];
	unsigned long count;
	size_t i;
	int k, n, total = 0;

	for (k = 0; k < 2; k++) {
		n = 0;
		for (i = 0; i < t->nsources; i++) {
			sf = &t->sources[i];
			count = k == 0 ? sf->include_count : sf->exclude_count;
			if (!groups_same(sf, m) || count == 0)
				continue;
			if (n == 0)
				fprintf(f, "%s%s ", total > 0 ? " " : "",
				    mode[k]);
			fprintf(f, "%s%s", n > 0 ? "," : "",
			    mc_ip_str(&sf->source, buf));
			n++;
			total++;
		}
	}
}

static bool
groups_has_sources(const struct mc_procnet_table *t,
    const struct mc_membership *m)
{
	size_t i;

	for (i = 0; i < t->nsources; i++)
		if (groups_same(&t->sources[i], m) &&
		    (t->sources[i].include_count > 0 ||
			t->sources[i].exclude_count > 0))
			return true;
	return false;
}

static int
groups_cmp_index(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The interfaces that hold groups (only filter if not 0), by index. */
static unsigned *
groups_ifaces(const struct mc_procnet_table *t, unsigned filter, size_t *n)
{
	unsigned *idx;
	size_t i, j, k = 0;

	if ((idx = calloc(t->ngroups + 1, sizeof(*idx))) == NULL)
		err(1, "cannot list interfaces");
	for (i = 0; i < t->ngroups; i++) {
		if (filter != 0 && t->groups[i].ifindex != filter)
			continue;
		for (j = 0; j < k; j++)
			if (idx[j] == t->groups[i].ifindex)
				break;
		if (j == k)
			idx[k++] = t->groups[i].ifindex;
	}
	qsort(idx, k, sizeof(*idx), groups_cmp_index);
	*n = k;
	return idx;
}

/* The IPv4 querier version seen on the interface, 0 if none or no IPv4. */
static unsigned
groups_querier(const struct mc_procnet_table *t, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (t->groups[i].ifindex == ifindex &&
		    t->groups[i].group.family == AF_INET)
			return t->groups[i].querier_version;
	return 0;
}

static const char *
groups_ifname(const struct mc_procnet_table *t, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (t->groups[i].ifindex == ifindex)
			return t->groups[i].ifname;
	return "?";
}

static void
groups_print_table(const struct mc_procnet_table *t, const unsigned *idx,
    size_t nidx, long clk_tck)
{
	const struct mc_membership *m;
	char buf[MC_IP_STRLEN], querier[16], timer[32];
	size_t i, j, len;
	int ifw = GROUPS_MIN_IF_WIDTH, gw = GROUPS_MIN_GROUP_WIDTH;
	unsigned q;

	for (i = 0; i < t->ngroups; i++) {
		m = &t->groups[i];
		if (bsearch(&m->ifindex, idx, nidx, sizeof(*idx),
			groups_cmp_index) == NULL)
			continue;
		if ((len = strlen(m->ifname)) > (size_t)ifw)
			ifw = (int)len;
		if ((len = strlen(mc_ip_str(&m->group, buf))) > (size_t)gw)
			gw = (int)len;
	}
	printf("%-*s  %-*s  %5s  %-7s  %-8s  %-8s  %s\n", ifw, "INTERFACE", gw,
	    "GROUP", "USERS", "QUERIER", "REPORTER", "TIMER", "SOURCES");
	for (j = 0; j < nidx; j++) {
		q = groups_querier(t, idx[j]);
		for (i = 0; i < t->ngroups; i++) {
			m = &t->groups[i];
			if (m->ifindex != idx[j])
				continue;
			/* The querier version is IGMP's: MLD's is not shown. */
			if (m->group.family == AF_INET && q != 0)
				snprintf(querier, sizeof(querier), "V%u", q);
			else
				strcpy(querier, "-");
			if (m->timer_running)
				snprintf(timer, sizeof(timer), "%.1fs",
				    (double)groups_timer_ms(m, clk_tck) /
					1000.0);
			else
				strcpy(timer, "-");
			printf("%-*s  %-*s  %5u  %-7s  %-8s  ", ifw, m->ifname,
			    gw, mc_ip_str(&m->group, buf), m->users, querier,
			    m->reporter ? "yes" : "no");
			if (groups_has_sources(t, m)) {
				printf("%-8s  ", timer);
				groups_print_sources(stdout, t, m);
				putchar('\n');
			} else {
				printf("%s\n", timer);
			}
		}
	}
}

static void
groups_print_json_sources(const struct mc_procnet_table *t,
    const struct mc_membership *m)
{
	const struct mc_source_filter *sf;
	char buf[MC_IP_STRLEN];
	size_t i;
	int n = 0;

	putchar('[');
	for (i = 0; i < t->nsources; i++) {
		sf = &t->sources[i];
		if (!groups_same(sf, m))
			continue;
		printf("%s{\"source\":", n++ > 0 ? "," : "");
		json_string(stdout, mc_ip_str(&sf->source, buf));
		printf(",\"include\":%lu,\"exclude\":%lu}", sf->include_count,
		    sf->exclude_count);
	}
	putchar(']');
}

static void
groups_print_json(const struct mc_procnet_table *t, const unsigned *idx,
    size_t nidx, long clk_tck)
{
	const struct mc_membership *m;
	char buf[MC_IP_STRLEN];
	size_t i, j;
	unsigned q;
	int n;

	printf("{\"interfaces\":[");
	for (j = 0; j < nidx; j++) {
		printf("%s{\"name\":", j > 0 ? "," : "");
		json_string(stdout, groups_ifname(t, idx[j]));
		printf(",\"index\":%u,\"querier\":", idx[j]);
		if ((q = groups_querier(t, idx[j])) != 0)
			printf("\"V%u\"", q);
		else
			printf("null");
		printf(",\"groups\":[");
		n = 0;
		for (i = 0; i < t->ngroups; i++) {
			m = &t->groups[i];
			if (m->ifindex != idx[j])
				continue;
			printf("%s{\"group\":", n++ > 0 ? "," : "");
			json_string(stdout, mc_ip_str(&m->group, buf));
			printf(",\"users\":%u,\"reporter\":%s,"
			       "\"timer_running\":%s,\"timer_ms\":%llu,"
			       "\"sources\":",
			    m->users, m->reporter ? "true" : "false",
			    m->timer_running ? "true" : "false",
			    groups_timer_ms(m, clk_tck));
			groups_print_json_sources(t, m);
			putchar('}');
		}
		printf("]}");
	}
	printf("]}\n");
}

int
cmd_groups(int argc, char **argv)
{
	struct groups_opts o;
	struct mc_procnet_table t = { 0 };
	unsigned *idx;
	size_t nidx;
	long clk_tck;
	int rc;

	groups_parse(argc, argv, &o);
	if ((rc = mc_procnet_read_all(&t)) < 0)
		errx(1,
		    "cannot read the kernel's membership tables "
		    "(/proc/net/igmp, igmp6, mcfilter, mcfilter6): %s",
		    mc_strerror(rc));
	if ((clk_tck = sysconf(_SC_CLK_TCK)) <= 0)
		clk_tck = 100;
	idx = groups_ifaces(&t, o.has_iface ? o.iface.index : 0, &nidx);
	if (o.json)
		groups_print_json(&t, idx, nidx, clk_tck);
	else
		groups_print_table(&t, idx, nidx, clk_tck);
	free(idx);
	mc_procnet_free(&t);
	return fflush(stdout) == 0 ? 0 : 1;
}
