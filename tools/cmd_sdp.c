/*
 * mcast sdp check FILE...: parse and check session descriptions (RFC 8866,
 * RFC 4570 source filters), one line per problem naming the line and the
 * field; exit 0 when all are good, 1 when one is not, 2 on usage errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sap.h"
#include "tool.h"

static void
sdp_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast sdp check [--unicast] [--announce] [-q] FILE...\n"
	    "  --unicast   accept unicast c= addresses (default: multicast)\n"
	    "  --announce  also check the scopes for a SAP announcement\n"
	    "              (c= scope, its SAP group, TTL; RFC 2974 3)\n"
	    "  -q          print only problems\n");
}

/* One file: 0 good, 1 errors. */
static int
sdp_check_file(const char *path, unsigned flags, bool announce, bool quiet)
{
	struct sdp_session *s = malloc(sizeof(*s));
	char err[300], *text, *arena = NULL, summary[512];
	struct mc_ip group;
	long len;
	int rc = 1;

	if (s == NULL)
		usage_error("out of memory");
	len = sdp_file_read(path, &text, err, sizeof(err));
	if (len < 0) {
		free(s);
		usage_error("%s", err);
	}
	arena = malloc(SDP_ARENA_SIZE((size_t)len));
	if (arena == NULL)
		usage_error("out of memory");
	sdp_parse(text, (size_t)len, flags, arena, SDP_ARENA_SIZE((size_t)len),
	    s);
	if (announce && s->nerrors == 0) {
		if (sdp_sap_group(s, &group) == 0)
			sdp_check_scope(s, &group, -1);
		else
			sdp_check_scope(s, &s->conn.addr, -1);
	}
	sdp_print_diags(stdout, path, s);
	if (s->nerrors == 0) {
		rc = 0;
		if (!quiet) {
			sdp_media_summary(s, summary, sizeof(summary));
			printf("%s: ok: \"%s\", %u medi%s%s%s\n", path, s->name,
			    s->nmedia, s->nmedia == 1 ? "um" : "a",
			    s->nmedia ? ": " : "", summary);
		}
	} else
		printf("%s: %u error%s\n", path, s->nerrors,
		    plural_s(s->nerrors));
	free(arena);
	free(text);
	free(s);
	return rc;
}

int
cmd_sdp(int argc, char **argv)
{
	static const struct option longopts[] = { { "unicast", no_argument,
						      NULL, 'u' },
		{ "announce", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	unsigned flags = SDP_MULTICAST;
	bool announce = false, quiet = false;
	int c, i, status = 0;

	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		if (argc >= 2 &&
		    (strcmp(argv[1], "-h") == 0 ||
			strcmp(argv[1], "--help") == 0)) {
			sdp_usage(stdout);
			return 0;
		}
		usage_error("sdp needs a command: expected 'check'%s%s%s",
		    argc >= 2 ? ", not '" : "", argc >= 2 ? argv[1] : "",
		    argc >= 2 ? "'" : "");
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			flags &= ~SDP_MULTICAST;
			break;
		case 'a':
			announce = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			sdp_usage(stdout);
			exit(0);
		default:
			option_error("sdp check", c, argv);
		}
	}
	if (optind == argc) {
		usage_error("sdp check needs at least one FILE");
	}
	for (i = optind; i < argc; i++)
		status |= sdp_check_file(argv[i], flags, announce, quiet);
	return status;
}
