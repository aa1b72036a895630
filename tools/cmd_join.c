/*
 * mcast join: join groups (ASM, or SSM with -S) and hold the membership
 * until interrupted or for -d, so a router or a snooping switch sees it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "querier.h"
#include "tool.h"

/*
 * The kernel caps memberships per socket (net.ipv4.igmp_max_memberships,
 * 20 by default): open a socket per this many groups.
 */
#define JOIN_GROUPS_PER_SOCKET 16
#define JOIN_MAX_SOURCES       16
/* How often to look at the querier of the -S joins' links again. */
#define JOIN_QUERIER_CHECK_NS 2000000000LL

struct join_opts {
	struct mc_iface iface;
	bool has_iface;
	const char *source_text[JOIN_MAX_SOURCES];
	int nsources;
	double duration_s;
	bool quiet;
};

static void
join_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast join [-i IF] [-S SOURCE]... [-d DURATION] [-q] GROUP...\n"
	    "  -i IF        join on this interface (name, index or address)\n"
	    "  -S SOURCE    source-specific join (SSM); repeatable\n"
	    "  -d DURATION  leave after DURATION (default: until interrupted)\n"
	    "  -q           print nothing\n");
}

static void
join_parse(int argc, char **argv, struct join_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *iface_text = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, ":i:S:d:qh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 'S':
			if (o->nsources == JOIN_MAX_SOURCES)
				usage_error("more than %d sources (-S %s): "
					    "expected at most %d",
				    JOIN_MAX_SOURCES, optarg, JOIN_MAX_SOURCES);
			o->source_text[o->nsources++] = optarg;
			break;
		case 'd':
			o->duration_s = parse_duration(optarg, "duration");
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			join_usage(stdout);
			exit(0);
		default:
			option_error("join", c, argv);
		}
	}
	if (optind == argc) {
		join_usage(stderr);
		usage_error("join needs at least one GROUP");
	}
}

int
cmd_join(int argc, char **argv)
{
	struct join_opts o;
	struct mc_ip *groups, sources[JOIN_MAX_SOURCES];
	struct ssm_watch watch;
	int ngroups, nsockets = 0, in_socket = 0, *fds, fd = -1, i, j, rc;
	int status = 0;
	unsigned ifindex;
	char buf[MC_IP_STRLEN];
	int64_t deadline, next_check;

	join_parse(argc, argv, &o);
	ngroups = argc - optind;
	groups = calloc((size_t)ngroups, sizeof(*groups));
	fds = calloc((size_t)ngroups, sizeof(*fds));
	if (groups == NULL || fds == NULL)
		usage_error("out of memory for %d groups", ngroups);
	for (i = 0; i < ngroups; i++) {
		parse_group(argv[optind + i], &groups[i]);
		refuse_repeated_ip(groups, i, &groups[i], argv[optind + i],
		    "group");
		if (groups[i].family != groups[0].family && o.nsources)
			usage_error(
			    "-S with both IPv4 and IPv6 groups: expected "
			    "groups of one family with source-specific joins");
	}
	for (j = 0; j < o.nsources; j++) {
		parse_source(o.source_text[j], &groups[0], &sources[j]);
		refuse_repeated_ip(sources, j, &sources[j], o.source_text[j],
		    "source");
	}
	if (o.nsources)
		require_ssm_capable(o.has_iface ? &o.iface : NULL,
		    groups[0].family);
	ifindex = o.has_iface ? o.iface.index : 0;
	for (i = 0; i < ngroups; i++) {
		/* A new socket per JOIN_GROUPS_PER_SOCKET groups or family. */
		if (in_socket == 0 || in_socket == JOIN_GROUPS_PER_SOCKET ||
		    groups[i].family != groups[i - 1].family) {
			fd = socket(groups[i].family, SOCK_DGRAM | SOCK_CLOEXEC,
			    0);
			if (fd < 0)
				usage_error("cannot open a socket: %s",
				    strerror(errno));
			fds[nsockets++] = fd;
			in_socket = 0;
		}
		in_socket++;
		for (j = 0; j < (o.nsources ? o.nsources : 1); j++) {
			rc = mc_join(fd, &groups[i], ifindex,
			    o.nsources ? &sources[j] : NULL);
			if (rc < 0) {
				fprintf(stderr,
				    "mcast: cannot join %s%s%s: "
				    "%s%s\n",
				    mc_ip_str(&groups[i], buf),
				    o.has_iface ? " on " : "",
				    o.has_iface ? o.iface.name : "",
				    mc_strerror(rc),
				    no_iface_hint(&groups[i], rc, o.has_iface));
				status = 1;
				goto leave;
			}
		}
		if (!o.quiet) {
			printf("joined %s%s%s", mc_ip_str(&groups[i], buf),
			    o.has_iface ? " on " : "",
			    o.has_iface ? o.iface.name : "");
			for (j = 0; j < o.nsources; j++)
				printf("%s%s", j ? ", " : " from ",
				    o.source_text[j]);
			putchar('\n');
		}
	}
	fflush(stdout);
	/* An IGMPv1/v2 querier cannot hear the -S joins: now, or later. */
	ssm_watch_init(&watch, ifindex, sources, o.nsources);
	for (i = 0; i < ngroups; i++)
		ssm_watch_add_group(&watch, &groups[i]);
	ssm_watch_check(&watch, stderr);
	install_stop_signals();
	next_check = now_monotonic_ns() + JOIN_QUERIER_CHECK_NS;
	deadline = o.duration_s > 0 ?
	    now_monotonic_ns() + (int64_t)(o.duration_s * 1e9) :
	    0;
	while (!stop_requested &&
	    (!deadline || now_monotonic_ns() < deadline)) {
		usleep(20000);
		if (watch.active && watch.nlinks == 0 &&
		    now_monotonic_ns() >= next_check) {
			ssm_watch_check(&watch, stderr);
			next_check += JOIN_QUERIER_CHECK_NS;
		}
	}
	if (!o.quiet)
		printf("left %d group%s\n", ngroups, ngroups == 1 ? "" : "s");
leave:
	/* Closing the sockets leaves every group. */
	for (i = 0; i < nsockets; i++)
		close(fds[i]);
	free(groups);
	free(fds);
	return status;
}
