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
#include <time.h>
#include <arpa/inet.h>

#include "igmp_wire.h"
#include "tool.h"

struct dump_opts {
	const char	*iface;		/* -i */
	const char	*read_file;	/* -r */
	const char	*write_file;	/* -w */
	uint64_t	 count;		/* -c, 0 = no limit */
	bool		 json;
};

struct dump_state {
	const struct dump_opts	*o;
	int			 linktype;
	pcap_dumper_t		*dumper;
	uint64_t		 seen;
	uint64_t		 invalid;
};

static pcap_t *dump_pcap;	/* for the signal handler's pcap_breakloop */

static void
dump_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast dump [-i IF | -r FILE.pcap] [-w FILE.pcap] [-c COUNT]\n"
	    "                  [--json]\n"
	    "  -i IF        capture live on IF (default: the first interface)\n"
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
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, ":i:r:w:c:h", longopts,
	    NULL)) != -1) {
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
		    "options only (-i IF or -r FILE)", argv[optind]);
	if (o->iface != NULL && o->read_file != NULL)
		usage_error("-i %s and -r %s both given: expected a live "
		    "interface or a file, not both", o->iface, o->read_file);
	if (o->iface != NULL) {
		struct mc_iface ifc;

		parse_any_iface(o->iface, &ifc);
	}
}

/* The IPv4 packet inside a captured frame, or NULL. */
static const uint8_t *
dump_ip_payload(int linktype, const uint8_t *frame, size_t caplen,
    size_t *len)
{
	size_t off, ethertype_off;
	uint16_t ethertype;

	switch (linktype) {
	case DLT_EN10MB:
		ethertype_off = 12;
		break;
	case DLT_LINUX_SLL:
		ethertype_off = 14;
		break;
	case DLT_LINUX_SLL2:
		ethertype_off = 0;
		break;
	case DLT_RAW:
	case DLT_IPV4:
		*len = caplen;
		return frame;
	default:
		return NULL;
	}
	if (caplen < ethertype_off + 2)
		return NULL;
	ethertype = (uint16_t)(frame[ethertype_off] << 8 |
	    frame[ethertype_off + 1]);
	off = ethertype_off + 2;
	if (linktype == DLT_LINUX_SLL2)
		off = 20;
	/* 802.1Q / 802.1ad tags in Ethernet frames. */
	while (linktype == DLT_EN10MB && (ethertype == 0x8100 ||
	    ethertype == 0x88a8) && caplen >= off + 4) {
		ethertype = (uint16_t)(frame[off + 2] << 8 | frame[off + 3]);
		off += 4;
	}
	if (ethertype != 0x0800 || caplen < off)
		return NULL;
	*len = caplen - off;
	return frame + off;
}

static void
dump_time(FILE *f, const struct timeval *tv, bool json)
{
	struct tm tm;
	time_t t = tv->tv_sec;
	char buf[32];

	if (json) {
		fprintf(f, "%lld.%06ld", (long long)tv->tv_sec,
		    (long)tv->tv_usec);
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fprintf(f, "%s.%06ld", buf, (long)tv->tv_usec);
}

static const char *
dump_addr(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Tenths of a second as tcpdump-like text: "1.0s", "51m12s". */
static void
dump_tenths(FILE *f, uint32_t tenths)
{
	if (tenths < 600)
		fprintf(f, "%u.%us", tenths / 10, tenths % 10);
	else if (tenths % 10)
		fprintf(f, "%um%u.%us", tenths / 600, tenths % 600 / 10,
		    tenths % 10);
	else
		fprintf(f, "%um%us", tenths / 600, tenths % 600 / 10);
}

static void
dump_sources(FILE *f, const uint8_t *sources, uint16_t n, bool json)
{
	char buf[INET_ADDRSTRLEN];
	uint16_t i;

	fputc(json ? '[' : '{', f);
	for (i = 0; i < n; i++)
		fprintf(f, json ? "%s\"%s\"" : "%s%s", i ? (json ? "," : ", ")
		    : "", dump_addr(igmp_source_at(sources, i), buf));
	fputc(json ? ']' : '}', f);
}

static void
dump_text(FILE *f, const struct igmp_msg *m)
{
	char g[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	char r[INET_ADDRSTRLEN];
	struct igmp_record_iter it;
	struct igmp_group_record rec;
	bool general = m->group.s_addr == 0;

	switch (m->kind) {
	case IGMP_KIND_V1_QUERY:
		fprintf(f, "igmp v1 query");
		if (!general)
			fprintf(f, " [gaddr %s]", dump_addr(m->group, g));
		break;
	case IGMP_KIND_V2_QUERY:
		fprintf(f, "igmp v2 query %s, max resp ", general ?
		    "general" : dump_addr(m->group, g));
		dump_tenths(f, m->max_resp_tenths);
		break;
	case IGMP_KIND_V3_QUERY:
		fprintf(f, "igmp v3 query %s", general ? "general" :
		    dump_addr(m->group, g));
		if (m->nsources) {
			fprintf(f, " sources ");
			dump_sources(f, m->sources, m->nsources, false);
		}
		fprintf(f, ", max resp ");
		dump_tenths(f, m->max_resp_tenths);
		fprintf(f, ", S %d, QRV %u, QQIC %u (%us)", m->suppress,
		    m->qrv, m->qqic, m->qqi_s);
		break;
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
	case IGMP_KIND_V2_LEAVE:
		fprintf(f, "igmp %s %s", igmp_kind_name(m->kind),
		    dump_addr(m->group, g));
		break;
	case IGMP_KIND_V3_REPORT:
		fprintf(f, "igmp v3 report, %u record%s", m->nrecords,
		    m->nrecords == 1 ? "" : "s");
		igmp_records_begin(m, &it);
		while (igmp_records_next(&it, &rec)) {
			fprintf(f, "%s %s %s ", it.index == 1 ? ":" : ";",
			    igmp_record_type_name(rec.type),
			    dump_addr(rec.group, g));
			dump_sources(f, rec.sources, rec.nsources, false);
			if (rec.aux_words)
				fprintf(f, " aux %u words", rec.aux_words);
		}
		break;
	case IGMP_KIND_DVMRP:
		fprintf(f, "igmp dvmrp %s (v %u.%u, caps 0x%02x), %zu bytes",
		    dvmrp_code_name(m->code), m->dvmrp_major, m->dvmrp_minor,
		    m->dvmrp_caps, m->length);
		break;
	case IGMP_KIND_MTRACE_QUERY:
	case IGMP_KIND_MTRACE_RESPONSE:
		fprintf(f, "%s %u: %s to %s group %s reply-to %s, hops %u, "
		    "resp ttl %u, %u block%s",
		    m->kind == IGMP_KIND_MTRACE_QUERY ? "mtrace" : "mresp",
		    m->mtrace_query_id, dump_addr(m->mtrace_source, a),
		    dump_addr(m->mtrace_dest, b), dump_addr(m->group, g),
		    dump_addr(m->mtrace_response_addr, r),
		    m->mtrace_hops, m->mtrace_response_ttl, m->mtrace_nblocks,
		    m->mtrace_nblocks == 1 ? "" : "s");
		break;
	case IGMP_KIND_PIM_V1:
		fprintf(f, "igmp pim v1, %zu bytes", m->length);
		break;
	default:
		fprintf(f, "igmp type 0x%02x (unknown), %zu bytes", m->type,
		    m->length);
	}
}

static void
dump_json_msg(FILE *f, const struct igmp_msg *m)
{
	char g[INET_ADDRSTRLEN];
	struct igmp_record_iter it;
	struct igmp_group_record rec;

	fprintf(f, "\"kind\":\"%s\",\"type\":%u,\"code\":%u,\"length\":%zu",
	    igmp_kind_name(m->kind), m->type, m->code, m->length);
	switch (m->kind) {
	case IGMP_KIND_V1_QUERY:
	case IGMP_KIND_V2_QUERY:
	case IGMP_KIND_V3_QUERY:
		fprintf(f, ",\"group\":\"%s\",\"max_resp_tenths\":%u",
		    dump_addr(m->group, g), m->max_resp_tenths);
		if (m->kind != IGMP_KIND_V3_QUERY)
			break;
		fprintf(f, ",\"suppress\":%s,\"qrv\":%u,\"qqic\":%u,"
		    "\"qqi_s\":%u,\"sources\":", m->suppress ? "true" : "false",
		    m->qrv, m->qqic, m->qqi_s);
		dump_sources(f, m->sources, m->nsources, true);
		break;
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
	case IGMP_KIND_V2_LEAVE:
		fprintf(f, ",\"group\":\"%s\"", dump_addr(m->group, g));
		break;
	case IGMP_KIND_V3_REPORT:
		fprintf(f, ",\"records\":[");
		igmp_records_begin(m, &it);
		while (igmp_records_next(&it, &rec)) {
			fprintf(f, "%s{\"type\":\"%s\",\"type_code\":%u,"
			    "\"group\":\"%s\",\"aux_words\":%u,\"sources\":",
			    it.index == 1 ? "" : ",",
			    igmp_record_type_name(rec.type), rec.type,
			    dump_addr(rec.group, g), rec.aux_words);
			dump_sources(f, rec.sources, rec.nsources, true);
			fputc('}', f);
		}
		fputc(']', f);
		break;
	case IGMP_KIND_DVMRP:
		fprintf(f, ",\"dvmrp\":{\"code\":\"%s\",\"major\":%u,"
		    "\"minor\":%u,\"caps\":%u}", dvmrp_code_name(m->code),
		    m->dvmrp_major, m->dvmrp_minor, m->dvmrp_caps);
		break;
	case IGMP_KIND_MTRACE_QUERY:
	case IGMP_KIND_MTRACE_RESPONSE:
		fprintf(f, ",\"group\":\"%s\"", dump_addr(m->group, g));
		fprintf(f, ",\"mtrace\":{\"query_id\":%u,\"hops\":%u,",
		    m->mtrace_query_id, m->mtrace_hops);
		fprintf(f, "\"source\":\"%s\",", dump_addr(m->mtrace_source, g));
		fprintf(f, "\"dest\":\"%s\",", dump_addr(m->mtrace_dest, g));
		fprintf(f, "\"response_addr\":\"%s\",",
		    dump_addr(m->mtrace_response_addr, g));
		fprintf(f, "\"response_ttl\":%u,\"blocks\":%u}",
		    m->mtrace_response_ttl, m->mtrace_nblocks);
		break;
	default:
		break;
	}
}

static void
dump_packet(u_char *user, const struct pcap_pkthdr *ph, const u_char *frame)
{
	struct dump_state *s = (struct dump_state *)user;
	const struct dump_opts *o = s->o;
	const uint8_t *pkt, *igmp;
	size_t len, igmp_len;
	struct igmp_ip ip;
	struct igmp_msg m;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	int rc;

	pkt = dump_ip_payload(s->linktype, frame, ph->caplen, &len);
	if (pkt == NULL)
		return;
	rc = igmp_ip_decode(pkt, len, &ip, &igmp, &igmp_len);
	if (rc == IGMP_E_IP_PROTOCOL || rc == IGMP_E_IP_VERSION)
		return;		/* not IGMP: the filter lets nothing else in */
	if (s->dumper != NULL)
		pcap_dump((u_char *)s->dumper, ph, frame);
	if (rc == IGMP_OK)
		rc = igmp_decode(igmp, igmp_len, &m);
	s->seen++;
	if (rc != IGMP_OK)
		s->invalid++;
	if (o->json) {
		printf("{\"time\":");
		dump_time(stdout, &ph->ts, true);
		if (rc == IGMP_E_IP_SHORT || rc < IGMP_E_IP_SHORT) {
			printf(",\"error\":\"%s\",\"caplen\":%u}\n",
			    igmp_error_name(rc), ph->caplen);
			goto out;
		}
		printf(",\"src\":\"%s\",\"dst\":\"%s\",\"ttl\":%u,\"tos\":%u,"
		    "\"router_alert\":%s,", dump_addr(ip.src, src),
		    dump_addr(ip.dst, dst), ip.ttl, ip.tos,
		    ip.router_alert ? "true" : "false");
		if (rc != IGMP_OK)
			printf("\"error\":\"%s\",\"length\":%zu}\n",
			    igmp_error_name(rc), igmp_len);
		else {
			printf("\"error\":null,");
			dump_json_msg(stdout, &m);
			printf("}\n");
		}
		goto out;
	}
	dump_time(stdout, &ph->ts, false);
	if (rc == IGMP_E_IP_SHORT || rc < IGMP_E_IP_SHORT) {
		printf(" invalid IPv4: %s (%u bytes)\n", igmp_error_name(rc),
		    ph->caplen);
		goto out;
	}
	printf(" IP %s > %s ttl %u%s", dump_addr(ip.src, src),
	    dump_addr(ip.dst, dst), ip.ttl, ip.router_alert ? " RA" : "");
	if (ip.tos != 0xc0)	/* RFC 3376 4: Internetwork Control */
		printf(" tos 0x%02x", ip.tos);
	printf(": ");
	if (rc != IGMP_OK)
		printf("igmp invalid: %s (%zu bytes)", igmp_error_name(rc),
		    igmp_len);
	else
		dump_text(stdout, &m);
	putchar('\n');
out:
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
			fprintf(stderr, "mcast: cannot read %s: %s\n",
			    o->read_file, errbuf);
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
	if (pcap_compile(p, &prog, "ip proto 2", 1,
	    PCAP_NETMASK_UNKNOWN) == 0) {
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
