/*
 * mcast dump: decode IGMP (v1, v2, v3), DVMRP, mtrace and SAP (IPv4, UDP
 * port 9875, with the SDP's s=, o= and media lines), live from an
 * interface or from a capture, one line per packet in the spirit of
 * tcpdump, or one JSON object per packet.  Captures through libpcap, with
 * an optional filter expression in tcpdump's syntax; the decoding is
 * proto/igmp_wire.c's and proto/dvmrp_wire.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_decode.h"
#include "tool.h"

/*
 * What a live capture lets through without an expression; with one, the
 * filter is "(EXPRESSION) and (DEFAULT)": only IGMP and SAP are decoded,
 * and the expression comes first so that a "vlan" in it moves the offsets
 * of what follows, as in tcpdump.
 */
#define DUMP_DEFAULT_FILTER "ip proto 2 or (ip and udp dst port 9875)"

struct dump_opts {
	const char *iface;	/* -i; NULL: "any" (live) */
	char *expression;	/* the operands joined, or NULL */
	char *filter;		/* what pcap_compile() gets, or NULL */
	const char *read_file;	/* -r */
	const char *write_file; /* -w */
	uint64_t count;		/* -c, 0 = no limit */
	bool json;
};

struct dump_state {
	const struct dump_opts *o;
	int linktype;
	pcap_dumper_t *dumper;
	uint64_t seen;
	uint64_t invalid;
	uint64_t sap; /* of seen */
};

static pcap_t *dump_pcap; /* for the signal handler's pcap_breakloop */

static void
dump_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast dump [-i IF | -r FILE.pcap] [-w FILE.pcap] [-c COUNT]\n"
	    "                  [--json] [EXPRESSION]\n"
	    "  -i IF        capture live on IF (default: any, every interface;\n"
	    "               each line then names the interface)\n"
	    "  -r FILE      read a capture (pcap or pcapng) instead\n"
	    "  -w FILE      also write what was captured to FILE (pcap)\n"
	    "  -c COUNT     stop after COUNT IGMP or SAP packets\n"
	    "  --json       one JSON object per packet\n"
	    "  EXPRESSION   a capture filter in tcpdump's syntax (pcap-filter(7)),\n"
	    "               e.g. 'host 198.18.1.2'; it narrows \"ip proto 2 or (ip and\n"
	    "               udp dst port 9875)\"\n"
	    "Decodes IGMP v1/v2/v3 (every field: group records, sources, max\n"
	    "response time, querier parameters), DVMRP (every message: probes,\n"
	    "route reports, prunes, grafts, mrinfo replies), mtrace headers and\n"
	    "SAP over IPv4 (header fields, the SDP's s=, o= and media lines).\n");
}

/*
 * Compile the filter for capture p and, if apply, set it.  The user's
 * expression compiled alone (dump_parse_expression), but with "ip proto
 * 2" it may match nothing ("udp"), and the link type of a capture may
 * refuse it ("ether host" on a cooked capture): exit 2 with libpcap's word.
 */
static void
dump_set_filter(pcap_t *p, const struct dump_opts *o, const char *what,
    bool apply)
{
	const char *filter = o->filter ? o->filter : DUMP_DEFAULT_FILTER;
	struct bpf_program prog;

	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		if (strstr(pcap_geterr(p), "rejects all packets") != NULL)
			usage_error(
			    "filter expression '%s' lets no IGMP or SAP "
			    "packet through (%s): expected an expression "
			    "that IGMP or SAP packets can match, mcast dump "
			    "shows nothing else",
			    o->expression, filter);
		usage_error("bad filter expression '%s' for %s (link type "
			    "%s): %s",
		    o->expression ? o->expression : filter, what,
		    pcap_datalink_val_to_name(pcap_datalink(p)),
		    pcap_geterr(p));
	}
	if (apply && pcap_setfilter(p, &prog) != 0) {
		fprintf(stderr, "mcast: cannot filter %s with '%s': %s\n", what,
		    filter, pcap_geterr(p));
		exit(1);
	}
	pcap_freecode(&prog);
}

/*
 * The operands, joined with spaces as tcpdump does, are a filter
 * expression: refused (exit 2, libpcap's message) if it does not compile,
 * checked on a dead handle so that no capture is opened for nothing.
 */
static void
dump_parse_expression(int n, char **words, struct dump_opts *o)
{
	struct bpf_program prog;
	size_t len = 0;
	pcap_t *dead;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	o->expression = calloc(1, len);
	o->filter = malloc(len + sizeof(DUMP_DEFAULT_FILTER) + 16);
	if (o->expression == NULL || o->filter == NULL)
		usage_error("out of memory for a filter of %zu bytes", len);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(o->expression, " ");
		strcat(o->expression, words[i]);
	}
	sprintf(o->filter, "(%s) and (%s)", o->expression, DUMP_DEFAULT_FILTER);
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (dead == NULL)
		usage_error("cannot check the filter '%s': out of memory",
		    o->expression);
	if (pcap_compile(dead, &prog, o->expression, 1, PCAP_NETMASK_UNKNOWN) !=
	    0)
		usage_error("bad filter expression '%s': %s: expected "
			    "tcpdump's syntax (pcap-filter(7)), e.g. 'host "
			    "198.18.1.2'",
		    o->expression, pcap_geterr(dead));
	pcap_freecode(&prog);
	dump_set_filter(dead, o, "a capture", false);
	pcap_close(dead);
}

static void
dump_parse(int argc, char **argv, struct dump_opts *o)
{
	static const struct option longopts[] = { { "json", no_argument, NULL,
						      'J' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, ":i:r:w:c:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&o->iface, "-i", optarg, "interface");
			break;
		case 'r':
			option_once(&o->read_file, "-r", optarg, "file");
			break;
		case 'w':
			option_once(&o->write_file, "-w", optarg, "file");
			break;
		case 'c':
			o->count = parse_count(optarg, "count");
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			dump_usage(stdout);
			exit(0);
		default:
			option_error("dump", c, argv);
		}
	}
	if (optind < argc)
		dump_parse_expression(argc - optind, argv + optind, o);
	if (o->iface != NULL && o->read_file != NULL)
		usage_error("-i %s and -r %s both given: expected a live "
			    "interface or a file, not both",
		    o->iface, o->read_file);
	/* "any" is libpcap's, not an interface of the kernel. */
	if (o->iface != NULL && strcmp(o->iface, "any") != 0) {
		struct mc_iface ifc;

		parse_any_iface(o->iface, &ifc);
	}
}

static void
dump_packet(u_char *user, const struct pcap_pkthdr *ph, const u_char *frame)
{
	struct dump_state *s = (struct dump_state *)user;
	const struct dump_opts *o = s->o;
	struct dump_packet p;

	/* Nothing but IGMP: the live filter lets nothing else in. */
	if (!dump_decode_frame(s->linktype, frame, ph->caplen, &p))
		return;
	/* A file's interface indexes are those of the host that wrote it. */
	if (p.has_ifindex && o->read_file == NULL &&
	    if_indextoname(p.ifindex, p.ifname) == NULL)
		p.ifname[0] = '\0';
	if (s->dumper != NULL)
		pcap_dump((u_char *)s->dumper, ph, frame);
	s->seen++;
	s->sap += p.sap;
	if (p.rc != IGMP_OK || p.dvmrp_rc != DVMRP_OK ||
	    (p.sap && p.sap_rc != SAP_WIRE_OK))
		s->invalid++;
	dump_print_packet(stdout, &ph->ts, ph->caplen, &p, o->json);
	fflush(stdout);
	if (o->count != 0 && s->seen >= o->count)
		pcap_breakloop(dump_pcap);
}

static void
dump_on_signal(int sig)
{
	(void)sig;
	if (dump_pcap != NULL)
		pcap_breakloop(dump_pcap);
}

static pcap_t *
dump_open(const struct dump_opts *o)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	const char *iface = o->iface ? o->iface : "any";

	if (o->read_file != NULL) {
		p = pcap_open_offline(o->read_file, errbuf);
		if (p == NULL) {
			size_t n = strlen(o->read_file);
			const char *why = errbuf;

			/* libpcap names the file itself at times: once is enough */
			if (strncmp(why, o->read_file, n) == 0 &&
			    strncmp(why + n, ": ", 2) == 0)
				why += n + 2;
			fprintf(stderr, "mcast: cannot read %s: %s\n",
			    o->read_file, why);
			exit(1);
		}
		/* A file is filtered only when an expression was given. */
		if (o->filter != NULL)
			dump_set_filter(p, o, o->read_file, true);
		return p;
	}
	p = pcap_create(iface, errbuf);
	if (p == NULL || pcap_set_snaplen(p, 65535) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0 || pcap_activate(p) < 0) {
		fprintf(stderr, "mcast: cannot capture on %s: %s\n", iface,
		    p ? pcap_geterr(p) : errbuf);
		exit(1);
	}
	/*
	 * On "any", Linux cooked v2 headers carry the interface of each
	 * packet (v1, libpcap's default there, does not).
	 */
	if (strcmp(iface, "any") == 0 &&
	    pcap_set_datalink(p, DLT_LINUX_SLL2) != 0)
		warning("capturing on any without interface names: %s",
		    pcap_geterr(p));
	dump_set_filter(p, o, iface, true);
	return p;
}

int
cmd_dump(int argc, char **argv)
{
	struct dump_opts o;
	struct dump_state s;
	struct sigaction sa;
	int rc;

	dump_parse(argc, argv, &o);
	memset(&s, 0, sizeof(s));
	s.o = &o;
	dump_pcap = dump_open(&o);
	s.linktype = pcap_datalink(dump_pcap);
	if (o.write_file != NULL) {
		s.dumper = pcap_dump_open(dump_pcap, o.write_file);
		if (s.dumper == NULL) {
			fprintf(stderr, "mcast: cannot write %s: %s\n",
			    o.write_file, pcap_geterr(dump_pcap));
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dump_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = pcap_loop(dump_pcap, -1, dump_packet, (u_char *)&s);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "mcast: capture failed: %s\n",
		    pcap_geterr(dump_pcap));
	if (s.dumper != NULL)
		pcap_dump_close(s.dumper);
	pcap_close(dump_pcap);
	free(o.expression);
	free(o.filter);
	if (!o.json && o.read_file == NULL) {
		fprintf(stderr, "%llu IGMP packets, ",
		    (unsigned long long)(s.seen - s.sap));
		if (s.sap)
			fprintf(stderr, "%llu SAP packets, ",
			    (unsigned long long)s.sap);
		fprintf(stderr, "%llu invalid\n",
		    (unsigned long long)s.invalid);
	}
	return rc == PCAP_ERROR ? 1 : 0;
}
