/*
 * mcast mrinfo: ask a multicast router for its interfaces and DVMRP
 * neighbours (DVMRP Ask Neighbors 2) and print them as mrouted's mrinfo
 * does, or as JSON.  The options shared with `mcast map` are parsed here.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "mrinfo.h"
#include "tool.h"

#define MRINFO_DEFAULT_TIMEOUT_S 3
#define MRINFO_DEFAULT_RETRIES	 3
#define MRINFO_MAX_RETRIES	 100

struct mrinfo_opts {
	struct in_addr router;
	const char *router_text;
	const char *ifname;
	double timeout_s;
	unsigned retries;
	bool router_alert;
	bool numeric;
	bool json;
};

static void
mrinfo_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast mrinfo [options] ROUTER\n"
	    "  -t, --timeout SECONDS  wait for an answer (3)\n"
	    "  -r, --retries N        ask again N times (3)\n"
	    "  -i IF                  ask from this interface's address\n"
	    "  -n, --numeric          no host names\n"
	    "  --router-alert         send with Router Alert, as mrouted's "
	    "mrinfo\n"
	    "  -j, --json             one JSON object\n"
	    "  -h, --help             this text\n");
}

struct in_addr
mrinfo_parse_router(const char *cmd, const char *text)
{
	struct addrinfo hints, *res;
	struct in_addr a;
	uint32_t h;

	if (inet_pton(AF_INET, text, &a) != 1) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_INET;
		hints.ai_socktype = SOCK_DGRAM;
		if (strchr(text, ':') != NULL ||
		    getaddrinfo(text, NULL, &hints, &res) != 0)
			usage_error("%s: router '%s' is not an IPv4 address "
				    "nor a host name: expected e.g. "
				    "198.18.1.1",
			    cmd, text);
		a = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
		freeaddrinfo(res);
	}
	h = ntohl(a.s_addr);
	if (h == INADDR_ANY || h == INADDR_BROADCAST || IN_MULTICAST(h))
		usage_error("%s: router '%s' is not a unicast address: "
			    "expected a router's IPv4 address, e.g. "
			    "198.18.1.1",
		    cmd, text);
	return a;
}

unsigned
mrinfo_parse_retries(const char *cmd, const char *text)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0 ||
	    v > MRINFO_MAX_RETRIES)
		usage_error("%s: retries '%s' is out of range: expected 0 to "
			    "%d",
		    cmd, text, MRINFO_MAX_RETRIES);
	return (unsigned)v;
}

const char *
mrinfo_dns_name(struct in_addr addr)
{
	static char host[NI_MAXHOST];
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = addr;
	if (getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
		sizeof(host), NULL, 0, NI_NAMEREQD) != 0)
		return NULL;
	return host;
}

void
mrinfo_defaults(struct mrinfo_asker *a)
{
	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->timeout_s = MRINFO_DEFAULT_TIMEOUT_S;
	a->retries = MRINFO_DEFAULT_RETRIES;
}

static void
mrinfo_parse(int argc, char **argv, struct mrinfo_opts *o)
{
	enum { OPT_RA = 256 };
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "router-alert", no_argument, NULL, OPT_RA },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *t_seen = NULL, *r_seen = NULL, *i_seen = NULL;
	struct mc_iface iface;
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_s = MRINFO_DEFAULT_TIMEOUT_S;
	o->retries = MRINFO_DEFAULT_RETRIES;
	while ((c = getopt_long(argc, argv, ":t:r:i:njh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 't':
			option_once(&t_seen, "-t", optarg, "timeout");
			o->timeout_s = parse_duration(optarg, "timeout");
			break;
		case 'r':
			option_once(&r_seen, "-r", optarg, "retry count");
			o->retries = mrinfo_parse_retries("mrinfo", optarg);
			break;
		case 'i':
			option_once(&i_seen, "-i", optarg, "interface");
			parse_any_iface(optarg, &iface);
			o->ifname = i_seen;
			break;
		case 'n':
			o->numeric = true;
			break;
		case OPT_RA:
			o->router_alert = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			mrinfo_usage(stdout);
			exit(0);
		default:
			option_error("mrinfo", c, argv);
		}
	}
	if (optind >= argc) {
		mrinfo_usage(stderr);
		usage_error("mrinfo: no ROUTER given: expected a router's "
			    "address, e.g. mcast mrinfo 198.18.1.1");
	}
	if (optind + 1 < argc)
		usage_error("mrinfo: one ROUTER expected, got '%s' and '%s'",
		    argv[optind], argv[optind + 1]);
	o->router_text = argv[optind];
	o->router = mrinfo_parse_router("mrinfo", argv[optind]);
}

void
mrinfo_no_answer(const struct mrinfo_asker *a, const char *text,
    enum mrinfo_result res)
{
	if (res == MRINFO_NO_ROUTE)
		fprintf(stderr, "mcast: mrinfo: no route to %s%s%s: %s\n", text,
		    a->ifname ? " from " : "", a->ifname ? a->ifname : "",
		    strerror(a->route_errno));
	else
		fprintf(stderr,
		    "mcast: mrinfo: no answer from %s: %u question%s from "
		    "%s, %g s each (is it a DVMRP router? try -t or -r)\n",
		    text, a->questions, plural_s(a->questions),
		    inet_ntoa(a->src), a->timeout_s);
}

int
cmd_mrinfo(int argc, char **argv)
{
	struct mrinfo_opts o;
	struct mrinfo_asker a;
	struct mrinfo_reply reply;
	enum mrinfo_result res;

	mrinfo_parse(argc, argv, &o);
	install_stop_signals();
	mrinfo_defaults(&a);
	a.timeout_s = o.timeout_s;
	a.retries = o.retries;
	a.router_alert = o.router_alert;
	mrinfo_asker_open(&a, o.ifname);
	mrinfo_reply_init(&reply);
	res = mrinfo_ask(&a, o.router, &reply);
	mrinfo_asker_close(&a);
	if (res != MRINFO_ANSWERED) {
		mrinfo_no_answer(&a, o.router_text, res);
		mrinfo_reply_fini(&reply);
		return EXIT_LOSS;
	}
	if (o.json) {
		printf("{\"router\":\"%s\",", inet_ntoa(o.router));
		mrinfo_print_json_members(stdout, &reply);
		printf("}\n");
	} else {
		mrinfo_print_text(stdout, &reply,
		    o.numeric ? NULL : mrinfo_dns_name);
	}
	mrinfo_reply_fini(&reply);
	return 0;
}
