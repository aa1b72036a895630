/*
 * mcast dump: decode IGMP (v1, v2, v3), DVMRP and mtrace, live from an
 * interface or from a capture, one line per packet in the spirit of
 * tcpdump, or one JSON object per packet.  Captures through libpcap; the
 * decoding is proto/igmp_wire.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_decode.h"
#include "tool.h"

struct dump_opts {
	const char *iface;	/* -i */
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
};

static pcap_t *dump_pcap; /* for the signal handler's pcap_breakloop */

static void
dump_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast dump [-i IF | -r FILE.pcap] [-w FILE.pcap] [-c COUNT]\n"
	    "                  [--json]\n"
	    "  -i IF        capture live on IF (default: every interface, \"any\")\n"
	    "  -r FILE      read a capture (pcap or pcapng) instead\n"
	    "  -w FILE      also write what was captured to FILE (pcap)\n"
	    "  -c COUNT     stop after COUNT IGMP packets\n"
	    "  --json       one JSON object per packet\n"
	    "Decodes IGMP v1/v2/v3 (every field: group records, sources, max\n"
	    "response time, querier parameters), DVMRP and mtrace headers.\n");
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
			o->iface = optarg;
			break;
		case 'r':
			o->read_file = optarg;
			break;
		case 'w':
			o->write_file = optarg;
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
		usage_error("dump takes no operands, got '%s': expected "
			    "options only (-i IF or -r FILE)",
		    argv[optind]);
	if (o->iface != NULL && o->read_file != NULL)
		usage_error("-i %s and -r %s both given: expected a live "
			    "interface or a file, not both",
		    o->iface, o->read_file);
	if (o->iface != NULL) {
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
	if (s->dumper != NULL)
		pcap_dump((u_char *)s->dumper, ph, frame);
	s->seen++;
	if (p.rc != IGMP_OK)
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
	struct bpf_program prog;
	pcap_t *p;

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
		return p;
	}
	p = pcap_create(o->iface ? o->iface : "any", errbuf);
	if (p == NULL || pcap_set_snaplen(p, 65535) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0 || pcap_activate(p) < 0) {
		fprintf(stderr, "mcast: cannot capture on %s: %s\n",
		    o->iface ? o->iface : "any", p ? pcap_geterr(p) : errbuf);
		exit(1);
	}
	if (pcap_compile(p, &prog, "ip proto 2", 1, PCAP_NETMASK_UNKNOWN) ==
	    0) {
		pcap_setfilter(p, &prog);
		pcap_freecode(&prog);
	}
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
	if (!o.json && o.read_file == NULL)
		fprintf(stderr, "%llu IGMP packets, %llu invalid\n",
		    (unsigned long long)s.seen, (unsigned long long)s.invalid);
	return rc == PCAP_ERROR ? 1 : 0;
}
