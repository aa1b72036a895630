/*
 * mcast: test and use IP multicast.  One file per subcommand; this one only
 * dispatches.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sap.h"
#include "tool.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct subcommand subcommands[] = {
	{ "addr", cmd_addr,
	    "addr [--json] GROUP...            explain addresses" },
	{ "send", cmd_send,
	    "send [options] GROUP:PORT          send a stream" },
	{ "recv", cmd_recv,
	    "recv [options] GROUP:PORT...       receive and measure" },
	{ "join", cmd_join,
	    "join [options] GROUP...            join and hold" },
	{ "groups", cmd_groups,
	    "groups [-i IF] [--json]            kernel memberships" },
	{ "ping", cmd_ping,
	    "ping [options] GROUP:PORT          who answers, RTT" },
	{ "pong", cmd_pong, "pong [options] GROUP:PORT          answer pings" },
	{ "dump", cmd_dump,
	    "dump [-i IF | -r FILE] [--json]    decode IGMP/DVMRP/mtrace" },
	{ "igmp", cmd_igmp,
	    "igmp emulate -i IF --groups G ... emulate IGMP hosts" },
	{ "mrinfo", cmd_mrinfo,
	    "mrinfo [options] ROUTER            a router's VIFs, neighbours" },
	{ "map", cmd_map,
	    "map [--dot | --json] ROUTER        the DVMRP topology from it" },
	{ "mtrace", cmd_mtrace,
	    "mtrace SOURCE [GROUP] [options]    multicast traceroute" },
	{ "sdp", cmd_sdp,
	    "sdp check FILE...                  check session descriptions" },
	{ "sap", cmd_sap,
	    "sap listen|announce [options]      SAP session directory" },
	{ "file", cmd_file,
	    "file send|recv [options] ...       reliable file transfer" },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void
print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: mcast COMMAND [options]\n"
	    "       mcast -h | --help | -V | --version\n\ncommands:\n");
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(f, "  %s\n", subcommands[i].synopsis);
	fprintf(f,
	    "\n`mcast COMMAND --help` for a command's options; "
	    "man mcast for all of them.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	opterr = 0; /* option_error() says what was wrong, in one line */
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("mcast %s\n", MCAST_VERSION);
		return 0;
	}
	for (i = 0; i < NSUBCOMMANDS; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-') {
		fprintf(stderr,
		    "mcast: unknown option '%s': try 'mcast --help'\n",
		    argv[1]);
		return EXIT_USAGE;
	}
	fprintf(stderr,
	    "mcast: unknown command '%s': expected one of "
	    "addr, send, recv, join, groups, ping, pong, dump, igmp, "
	    "mrinfo, map, mtrace, sdp, sap, file\n",
	    argv[1]);
	return EXIT_USAGE;
}
