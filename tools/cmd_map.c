/*
 * mcast map: the DVMRP topology from one router, breadth first: each
 * router is asked once with mrinfo's question (mrinfo_ask.c), its
 * neighbours queued, within a limit on routers and on time; printed as a
 * block per router, as Graphviz dot (map-mbone's job) or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mrinfo.h"
#include "tool.h"

#define MAP_DEFAULT_MAX_ROUTERS 64
#define MAP_DEFAULT_MAX_TIME_S	120

enum map_status {
	MAP_QUEUED,
	MAP_ANSWERED,
	MAP_NO_ANSWER,
	MAP_NO_ROUTE,
	MAP_NOT_ASKED, /* the time limit came first */
};

static const char *const map_status_names[] = {
	[MAP_QUEUED] = "queued",
	[MAP_ANSWERED] = "answered",
	[MAP_NO_ANSWER] = "no answer",
	[MAP_NO_ROUTE] = "no route",
	[MAP_NOT_ASKED] = "not asked (time limit)",
};
static const char *const map_status_keys[] = {
	[MAP_QUEUED] = "queued",
	[MAP_ANSWERED] = "answered",
	[MAP_NO_ANSWER] = "no_answer",
	[MAP_NO_ROUTE] = "no_route",
	[MAP_NOT_ASKED] = "not_asked",
};

struct map_router {
	struct in_addr addr; /* the address asked: the router's name here */
	enum map_status status;
	struct mrinfo_reply reply;
};

struct map {
	struct map_router *routers;
	size_t n;
	size_t max;
	size_t dropped; /* neighbours past --max-routers */
};

enum map_format { MAP_TEXT, MAP_DOT, MAP_JSON };

struct map_opts {
	struct in_addr router;
	const char *router_text;
	const char *ifname;
	double timeout_s;
	unsigned retries;
	size_t max_routers;
	double max_time_s;
	bool router_alert;
	bool numeric;
	enum map_format format;
};

static void
map_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast map [options] ROUTER\n"
	    "  --dot                  Graphviz dot instead of text\n"
	    "  -j, --json             one JSON object\n"
	    "  -m, --max-routers N    ask at most N routers (64)\n"
	    "  -T, --max-time SECONDS stop asking after this long (120)\n"
	    "  -t, --timeout SECONDS  wait for each answer (3)\n"
	    "  -r, --retries N        ask each router again N times (3)\n"
	    "  -i IF                  ask from this interface's address\n"
	    "  -n, --numeric          no host names (text)\n"
	    "  --router-alert         send with Router Alert, as mrouted's "
	    "mrinfo\n"
	    "  -h, --help             this text\n");
}

static void
map_parse(int argc, char **argv, struct map_opts *o)
{
	enum { OPT_RA = 256, OPT_DOT };
	static const struct option longopts[] = { { "dot", no_argument, NULL,
						      OPT_DOT },
		{ "json", no_argument, NULL, 'j' },
		{ "max-routers", required_argument, NULL, 'm' },
		{ "max-time", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "router-alert", no_argument, NULL, OPT_RA },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *seen[5] = { NULL };
	struct mc_iface iface;
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_s = 3;
	o->retries = 3;
	o->max_routers = MAP_DEFAULT_MAX_ROUTERS;
	o->max_time_s = MAP_DEFAULT_MAX_TIME_S;
	while ((c = getopt_long(argc, argv, ":jm:T:t:r:i:nh", longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_DOT:
		case 'j':
			if (o->format != MAP_TEXT &&
			    o->format != (c == 'j' ? MAP_JSON : MAP_DOT))
				usage_error("map: --dot and --json given: "
					    "expected one output format");
			o->format = c == 'j' ? MAP_JSON : MAP_DOT;
			break;
		case 'm':
			option_once(&seen[0], "-m", optarg, "router limit");
			v = parse_count(optarg, "router limit");
			if (v > 65536)
				usage_error("map: router limit '%s' is too "
					    "large: expected 1 to 65536",
				    optarg);
			o->max_routers = (size_t)v;
			break;
		case 'T':
			option_once(&seen[1], "-T", optarg, "time limit");
			o->max_time_s = parse_duration(optarg, "time limit");
			break;
		case 't':
			option_once(&seen[2], "-t", optarg, "timeout");
			o->timeout_s = parse_duration(optarg, "timeout");
			break;
		case 'r':
			option_once(&seen[3], "-r", optarg, "retry count");
			o->retries = mrinfo_parse_retries("map", optarg);
			break;
		case 'i':
			option_once(&seen[4], "-i", optarg, "interface");
			parse_any_iface(optarg, &iface);
			o->ifname = seen[4];
			break;
		case 'n':
			o->numeric = true;
			break;
		case OPT_RA:
			o->router_alert = true;
			break;
		case 'h':
			map_usage(stdout);
			exit(0);
		default:
			option_error("map", c, argv);
		}
	}
	if (optind >= argc) {
		map_usage(stderr);
		usage_error("map: no ROUTER given: expected the address of "
			    "the router to start from, e.g. mcast map "
			    "198.18.1.1");
	}
	if (optind + 1 < argc)
		usage_error("map: one ROUTER expected, got '%s' and '%s'",
		    argv[optind], argv[optind + 1]);
	o->router_text = argv[optind];
	o->router = mrinfo_parse_router("map", argv[optind]);
}

/* The router that addr belongs to (asked at it, or one of its VIFs). */
static const struct map_router *
map_find(const struct map *m, struct in_addr addr)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->routers[i].addr.s_addr == addr.s_addr)
			return &m->routers[i];
	for (i = 0; i < m->n; i++)
		if (m->routers[i].status == MAP_ANSWERED &&
		    mrinfo_reply_has_local(&m->routers[i].reply, addr))
			return &m->routers[i];
	return NULL;
}

static void
map_enqueue(struct map *m, struct in_addr addr)
{
	struct map_router *r;

	if (addr.s_addr == INADDR_ANY || map_find(m, addr) != NULL)
		return;
	if (m->n == m->max) {
		m->dropped++;
		return;
	}
	r = &m->routers[m->n++];
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->status = MAP_QUEUED;
	mrinfo_reply_init(&r->reply);
}

/*
 * A queued address that an earlier answer showed to be another address
 * of a router already asked: not a router of its own.
 */
static bool
map_known_elsewhere(const struct map *m, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (m->routers[i].status == MAP_ANSWERED &&
		    mrinfo_reply_has_local(&m->routers[i].reply,
			m->routers[k].addr))
			return true;
	return false;
}

static void
map_walk(struct map *m, struct mrinfo_asker *a, const struct map_opts *o)
{
	int64_t end = now_monotonic_ns() + (int64_t)(o->max_time_s * 1e9);
	struct map_router *r;
	enum mrinfo_result res;
	size_t k, i, j;

	for (k = 0; k < m->n; k++) {
		if (map_known_elsewhere(m, k)) {
			mrinfo_reply_fini(&m->routers[k].reply);
			memmove(&m->routers[k], &m->routers[k + 1],
			    (m->n - k - 1) * sizeof(m->routers[0]));
			m->n--;
			k--;
			continue;
		}
		r = &m->routers[k];
		/* The first router is always asked. */
		if (k > 0 && (stop_requested || now_monotonic_ns() >= end)) {
			r->status = MAP_NOT_ASKED;
			continue;
		}
		res = mrinfo_ask(a, r->addr, &r->reply);
		r->status = res == MRINFO_ANSWERED ? MAP_ANSWERED :
		    res == MRINFO_NO_ROUTE	   ? MAP_NO_ROUTE :
						     MAP_NO_ANSWER;
		if (k == 0 && r->status != MAP_ANSWERED) {
			mrinfo_no_answer(a, o->router_text, res);
			return;
		}
		if (r->status != MAP_ANSWERED)
			continue;
		for (i = 0; i < r->reply.nvifs; i++)
			for (j = 0; j < r->reply.vifs[i].nneighbors; j++)
				map_enqueue(m, r->reply.vifs[i].neighbors[j]);
	}
}

static const char *
map_addr(struct in_addr a, char *buf)
{
	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
	return buf;
}

static void
map_print_text(const struct map *m, const struct map_opts *o)
{
	char buf[INET_ADDRSTRLEN];
	size_t k;

	for (k = 0; k < m->n; k++) {
		const struct map_router *r = &m->routers[k];

		if (k > 0)
			putchar('\n');
		if (r->status == MAP_ANSWERED)
			mrinfo_print_text(stdout, &r->reply,
			    o->numeric ? NULL : mrinfo_dns_name);
		else
			printf("%s: %s\n", map_addr(r->addr, buf),
			    map_status_names[r->status]);
	}
	if (m->dropped > 0)
		printf("\n%zu more neighbour%s not asked: --max-routers %zu "
		       "reached\n",
		    m->dropped, plural_s(m->dropped), m->max);
}

/* Each (router, VIF, neighbour) with its neighbour's router. */
static void
map_print_links(const struct map *m, bool dot)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], l[INET_ADDRSTRLEN];
	char nb[INET_ADDRSTRLEN], other[8];
	const char *names[8];
	size_t k, i, j, f, nf, nlinks = 0;

	for (k = 0; k < m->n; k++) {
		const struct mrinfo_reply *rp = &m->routers[k].reply;

		if (m->routers[k].status != MAP_ANSWERED)
			continue;
		for (i = 0; i < rp->nvifs; i++) {
			const struct mrinfo_vif *v = &rp->vifs[i];

			for (j = 0; j < v->nneighbors; j++) {
				const struct map_router *to;

				if (v->neighbors[j].s_addr == INADDR_ANY)
					continue;
				to = map_find(m, v->neighbors[j]);
				map_addr(m->routers[k].addr, a);
				map_addr(to ? to->addr : v->neighbors[j], b);
				if (dot) {
					printf("\t\"%s\" -> \"%s\" "
					       "[label=\"%u/%u\"];\n",
					    a, b, v->metric, v->threshold);
					continue;
				}
				printf("%s{\"from\":\"%s\",\"to\":\"%s\","
				       "\"local\":\"%s\",\"neighbor\":\"%s\","
				       "\"metric\":%u,\"threshold\":%u,"
				       "\"flags\":[",
				    nlinks++ ? "," : "", a, b,
				    map_addr(v->local, l),
				    map_addr(v->neighbors[j], nb), v->metric,
				    v->threshold);
				nf = mrinfo_flag_names(v->flags, names, other);
				for (f = 0; f < nf; f++)
					printf("%s\"%s\"", f ? "," : "",
					    names[f]);
				printf("]}");
			}
		}
	}
}

static void
map_print_dot(const struct map *m)
{
	char buf[INET_ADDRSTRLEN];
	size_t k, i;

	printf("digraph mcast_map {\n");
	for (k = 0; k < m->n; k++) {
		const struct map_router *r = &m->routers[k];

		map_addr(r->addr, buf);
		if (r->status != MAP_ANSWERED) {
			printf("\t\"%s\" [label=\"%s\\n%s\", style=dashed];\n",
			    buf, buf, map_status_names[r->status]);
			continue;
		}
		printf("\t\"%s\" [label=\"", buf);
		for (i = 0; i < r->reply.nvifs; i++)
			printf("%s%s", i ? "\\n" : "",
			    map_addr(r->reply.vifs[i].local, buf));
		printf("\"];\n");
	}
	map_print_links(m, true);
	printf("}\n");
}

static void
map_print_json(const struct map *m, const struct map_opts *o)
{
	char buf[INET_ADDRSTRLEN];
	size_t k;

	printf("{\"start\":\"%s\",\"routers\":[", map_addr(o->router, buf));
	for (k = 0; k < m->n; k++) {
		const struct map_router *r = &m->routers[k];

		printf("%s{\"router\":\"%s\",\"status\":\"%s\"", k ? "," : "",
		    map_addr(r->addr, buf), map_status_keys[r->status]);
		if (r->status == MAP_ANSWERED) {
			putchar(',');
			mrinfo_print_json_members(stdout, &r->reply);
		}
		putchar('}');
	}
	printf("],\"links\":[");
	map_print_links(m, false);
	printf("],\"not_asked_over_limit\":%zu}\n", m->dropped);
}

int
cmd_map(int argc, char **argv)
{
	struct map_opts o;
	struct mrinfo_asker a;
	struct map m;
	size_t k;
	int rc = 0;

	map_parse(argc, argv, &o);
	install_stop_signals();
	mrinfo_defaults(&a);
	a.timeout_s = o.timeout_s;
	a.retries = o.retries;
	a.router_alert = o.router_alert;
	memset(&m, 0, sizeof(m));
	m.max = o.max_routers;
	m.routers = calloc(m.max, sizeof(*m.routers));
	if (m.routers == NULL) {
		fprintf(stderr, "mcast: map: out of memory\n");
		return EXIT_LOSS;
	}
	mrinfo_asker_open(&a, o.ifname);
	map_enqueue(&m, o.router);
	map_walk(&m, &a, &o);
	mrinfo_asker_close(&a);
	if (m.routers[0].status != MAP_ANSWERED)
		rc = EXIT_LOSS;
	else if (o.format == MAP_DOT)
		map_print_dot(&m);
	else if (o.format == MAP_JSON)
		map_print_json(&m, &o);
	else
		map_print_text(&m, &o);
	for (k = 0; k < m.n; k++)
		mrinfo_reply_fini(&m.routers[k].reply);
	free(m.routers);
	return rc;
}
