/* mcast dump: one captured frame decoded and printed (dump_decode.h). */
#include <limits.h>
#include <pcap/pcap.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "dump_decode.h"

/* The packet type of a Linux cooked header sent by this host. */
#define DUMP_SLL_OUTGOING 4 /* PACKET_OUTGOING */

/* The IPv4 packet inside a captured frame, or NULL. */
static const uint8_t *
dump_ip_payload(int linktype, const uint8_t *frame, size_t caplen, size_t *len)
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
	while (linktype == DLT_EN10MB &&
	    (ethertype == 0x8100 || ethertype == 0x88a8) && caplen >= off + 4) {
		ethertype = (uint16_t)(frame[off + 2] << 8 | frame[off + 3]);
		off += 4;
	}
	if (ethertype != 0x0800 || caplen < off)
		return NULL;
	*len = caplen - off;
	return frame + off;
}

/*
 * The capture time as seconds and microseconds 0-999999: a capture file
 * may say anything, 2000000 microseconds or a year past 2^31.
 */
static void
dump_time_split(const struct timeval *tv, long long *sec, long *usec)
{
	long long carry = tv->tv_usec / 1000000;

	*usec = (long)(tv->tv_usec % 1000000);
	if (*usec < 0) {
		*usec += 1000000;
		carry--;
	}
	if (__builtin_add_overflow((long long)tv->tv_sec, carry, sec)) {
		*sec = carry < 0 ? LLONG_MIN : LLONG_MAX;
		*usec = 0;
	}
}

static void
dump_time(FILE *f, const struct timeval *tv, bool json)
{
	struct tm tm;
	long long sec;
	long usec;
	time_t t;
	char buf[32];

	dump_time_split(tv, &sec, &usec);
	t = (time_t)sec;
	if (json)
		fprintf(f, "%lld.%06ld", sec, usec);
	else if (localtime_r(&t, &tm) != NULL &&
	    strftime(buf, sizeof(buf), "%H:%M:%S", &tm) != 0)
		fprintf(f, "%s.%06ld", buf, usec);
	else /* no calendar time: the seconds */
		fprintf(f, "%lld.%06ld", sec, usec);
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
		fprintf(f, json ? "%s\"%s\"" : "%s%s",
		    i ? (json ? "," : ", ") : "",
		    dump_addr(igmp_source_at(sources, i), buf));
	fputc(json ? ']' : '}', f);
}

static void
dump_text(FILE *f, const struct dump_packet *p)
{
	const struct igmp_msg *m = &p->msg;
	const struct dvmrp_msg *dvmrp = &p->dvmrp;
	int dvmrp_rc = p->dvmrp_rc;
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
		fprintf(f, "igmp v2 query %s, max resp ",
		    general ? "general" : dump_addr(m->group, g));
		dump_tenths(f, m->max_resp_tenths);
		break;
	case IGMP_KIND_V3_QUERY:
		fprintf(f, "igmp v3 query %s",
		    general ? "general" : dump_addr(m->group, g));
		if (m->nsources) {
			fprintf(f, " sources ");
			dump_sources(f, m->sources, m->nsources, false);
		}
		fprintf(f, ", max resp ");
		dump_tenths(f, m->max_resp_tenths);
		fprintf(f, ", S %d, QRV %u, QQIC %u (%us)", m->suppress, m->qrv,
		    m->qqic, m->qqi_s);
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
		dump_dvmrp_text(f, dvmrp, dvmrp_rc);
		break;
	case IGMP_KIND_MTRACE_QUERY:
	case IGMP_KIND_MTRACE_RESPONSE:
		fprintf(f,
		    "%s %u: %s to %s group %s reply-to %s, hops %u, "
		    "resp ttl %u, %u block%s",
		    m->kind == IGMP_KIND_MTRACE_QUERY ? "mtrace" : "mresp",
		    m->mtrace_query_id, dump_addr(m->mtrace_source, a),
		    dump_addr(m->mtrace_dest, b), dump_addr(m->group, g),
		    dump_addr(m->mtrace_response_addr, r), m->mtrace_hops,
		    m->mtrace_response_ttl, m->mtrace_nblocks,
		    m->mtrace_nblocks == 1 ? "" : "s");
		dump_mtrace_text(f, &p->mtrace, p->mtrace_rc);
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
dump_json_msg(FILE *f, const struct dump_packet *p)
{
	const struct igmp_msg *m = &p->msg;
	const struct dvmrp_msg *dvmrp = &p->dvmrp;
	int dvmrp_rc = p->dvmrp_rc;
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
		fprintf(f,
		    ",\"suppress\":%s,\"qrv\":%u,\"qqic\":%u,"
		    "\"qqi_s\":%u,\"sources\":",
		    m->suppress ? "true" : "false", m->qrv, m->qqic, m->qqi_s);
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
			fprintf(f,
			    "%s{\"type\":\"%s\",\"type_code\":%u,"
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
		fprintf(f,
		    ",\"dvmrp\":{\"code\":\"%s\",\"major\":%u,"
		    "\"minor\":%u,\"caps\":%u",
		    dvmrp_code_name(m->code), m->dvmrp_major, m->dvmrp_minor,
		    m->dvmrp_caps);
		dump_dvmrp_json(f, dvmrp, dvmrp_rc);
		fputc('}', f);
		break;
	case IGMP_KIND_MTRACE_QUERY:
	case IGMP_KIND_MTRACE_RESPONSE:
		fprintf(f, ",\"group\":\"%s\"", dump_addr(m->group, g));
		fprintf(f, ",\"mtrace\":{\"query_id\":%u,\"hops\":%u,",
		    m->mtrace_query_id, m->mtrace_hops);
		fprintf(f, "\"source\":\"%s\",",
		    dump_addr(m->mtrace_source, g));
		fprintf(f, "\"dest\":\"%s\",", dump_addr(m->mtrace_dest, g));
		fprintf(f, "\"response_addr\":\"%s\",",
		    dump_addr(m->mtrace_response_addr, g));
		fprintf(f, "\"response_ttl\":%u,\"blocks\":%u",
		    m->mtrace_response_ttl, m->mtrace_nblocks);
		dump_mtrace_json(f, &p->mtrace, p->mtrace_rc);
		fputc('}', f);
		break;
	default:
		break;
	}
}

bool
dump_decode_frame(int linktype, const uint8_t *frame, size_t caplen,
    struct dump_packet *p)
{
	const uint8_t *pkt, *igmp;
	size_t len;

	memset(p, 0, sizeof(*p));
	pkt = dump_ip_payload(linktype, frame, caplen, &len);
	if (pkt == NULL)
		return false;
	/* The LINUX_SLL2 header: interface index at 4, packet type at 10. */
	if (linktype == DLT_LINUX_SLL2) {
		p->has_ifindex = true;
		p->ifindex = (uint32_t)frame[4] << 24 |
		    (uint32_t)frame[5] << 16 | (uint32_t)frame[6] << 8 |
		    frame[7];
		p->outgoing = frame[10] == DUMP_SLL_OUTGOING;
	}
	p->rc = igmp_ip_decode(pkt, len, &p->ip, &igmp, &p->igmp_len);
	if (p->rc == IGMP_E_IP_PROTOCOL) {
		p->rc = IGMP_OK;
		return dump_sap_decode(pkt, len, p);
	}
	if (p->rc == IGMP_E_IP_VERSION)
		return false;
	if (p->rc == IGMP_OK)
		p->rc = igmp_decode(igmp, p->igmp_len, &p->msg);
	if (p->rc == IGMP_OK && p->msg.kind == IGMP_KIND_DVMRP)
		p->dvmrp_rc = dvmrp_decode(igmp, p->igmp_len, &p->dvmrp);
	if (p->rc == IGMP_OK &&
	    (p->msg.kind == IGMP_KIND_MTRACE_QUERY ||
		p->msg.kind == IGMP_KIND_MTRACE_RESPONSE))
		p->mtrace_rc = mtrace_decode(igmp, p->igmp_len, &p->mtrace);
	return true;
}

/* An error in the IPv4 header: nothing of the packet can be trusted. */
static bool
dump_ip_invalid(int rc)
{
	return rc == IGMP_E_IP_SHORT || rc < IGMP_E_IP_SHORT;
}

/* An interface name as a JSON string; "" (not known) as null. */
static void
json_string_or_null(FILE *f, const char *name)
{
	const char *c;

	if (name[0] == '\0') {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (c = name; *c != '\0'; c++)
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if ((unsigned char)*c < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*c);
		else
			fputc(*c, f);
	fputc('"', f);
}

static void
dump_print_json(FILE *f, const struct timeval *ts, uint32_t caplen,
    const struct dump_packet *p)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	fprintf(f, "{\"time\":");
	dump_time(f, ts, true);
	if (p->has_ifindex) {
		fprintf(f, ",\"interface\":");
		json_string_or_null(f, p->ifname);
		fprintf(f, ",\"ifindex\":%u,\"direction\":\"%s\"", p->ifindex,
		    p->outgoing ? "out" : "in");
	}
	if (dump_ip_invalid(p->rc)) {
		fprintf(f, ",\"error\":\"%s\",\"caplen\":%u}\n",
		    igmp_error_name(p->rc), caplen);
		return;
	}
	fprintf(f,
	    ",\"src\":\"%s\",\"dst\":\"%s\",\"ttl\":%u,\"tos\":%u,"
	    "\"router_alert\":%s,",
	    dump_addr(p->ip.src, src), dump_addr(p->ip.dst, dst), p->ip.ttl,
	    p->ip.tos, p->ip.router_alert ? "true" : "false");
	if (p->rc != IGMP_OK) {
		fprintf(f, "\"error\":\"%s\",\"length\":%zu}\n",
		    igmp_error_name(p->rc), p->igmp_len);
		return;
	}
	fprintf(f, "\"error\":null,");
	if (p->sap)
		dump_sap_json(f, p);
	else
		dump_json_msg(f, p);
	fprintf(f, "}\n");
}

void
dump_print_packet(FILE *f, const struct timeval *ts, uint32_t caplen,
    const struct dump_packet *p, bool json)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	if (json) {
		dump_print_json(f, ts, caplen, p);
		return;
	}
	dump_time(f, ts, false);
	if (p->has_ifindex && p->ifname[0] != '\0')
		fprintf(f, " %s %s", p->ifname, p->outgoing ? "Out" : "In");
	else if (p->has_ifindex)
		fprintf(f, " ifindex %u %s", p->ifindex,
		    p->outgoing ? "Out" : "In");
	if (dump_ip_invalid(p->rc)) {
		fprintf(f, " invalid IPv4: %s (%u bytes)\n",
		    igmp_error_name(p->rc), caplen);
		return;
	}
	fprintf(f, " IP %s > %s ttl %u%s", dump_addr(p->ip.src, src),
	    dump_addr(p->ip.dst, dst), p->ip.ttl,
	    p->ip.router_alert ? " RA" : "");
	/* RFC 3376 4: IGMP is Internetwork Control; SAP routine. */
	if (p->ip.tos != (p->sap ? 0 : 0xc0))
		fprintf(f, " tos 0x%02x", p->ip.tos);
	fprintf(f, ": ");
	if (p->sap && p->rc == IGMP_OK)
		dump_sap_text(f, p);
	else if (p->rc != IGMP_OK)
		fprintf(f, "igmp invalid: %s (%zu bytes)",
		    igmp_error_name(p->rc), p->igmp_len);
	else
		dump_text(f, p);
	fputc('\n', f);
}
