/*
 * mcast dump's SAP (RFC 2974, UDP port 9875, IPv4): the IPv4 and UDP
 * headers, the SAP header (proto/sap_wire.c: version, A R T E C, the
 * authentication length, the message-ID hash, the originating source, the
 * payload type; a zlib payload inflated) and of the SDP (proto/sdp.c) its
 * s=, o= and media lines.  No I/O.  The inflate buffer and the parsed
 * session are static: one frame is decoded and printed at a time.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "dump_decode.h"
#include "text.h"

#define DUMP_IPPROTO_UDP 17

static uint8_t dump_sap_buf[SAP_WIRE_MAX_INFLATED];
static char dump_sap_arena[SDP_ARENA_SIZE(SAP_WIRE_MAX_INFLATED)];
static struct sdp_session dump_sap_sdp;

static uint16_t
dump_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

bool
dump_sap_decode(const uint8_t *pkt, size_t len, struct dump_packet *p)
{
	size_t hlen, total, ulen;
	const uint8_t *udp;

	if (len < 20 || pkt[0] >> 4 != 4 || pkt[9] != DUMP_IPPROTO_UDP)
		return false;
	hlen = (size_t)(pkt[0] & 0x0f) * 4;
	total = dump_get16(pkt + 2);
	/* Not whole, or a fragment: no UDP header to trust. */
	if (hlen < 20 || hlen + 8 > len || total > len || total < hlen + 8 ||
	    (dump_get16(pkt + 6) & 0x3fff) != 0)
		return false;
	udp = pkt + hlen;
	if (dump_get16(udp + 2) != SAP_PORT)
		return false;
	p->sap = true;
	p->ip.tos = pkt[1];
	p->ip.ttl = pkt[8];
	memcpy(&p->ip.src, pkt + 12, 4);
	memcpy(&p->ip.dst, pkt + 16, 4);
	p->ip.header_len = hlen;
	p->ip.total_len = total;
	p->sap_sport = dump_get16(udp);
	if (igmp_checksum(pkt, hlen) != 0) {
		p->rc = IGMP_E_IP_CHECKSUM;
		return true;
	}
	ulen = dump_get16(udp + 4);
	if (ulen < 8 || ulen > total - hlen) {
		p->sap_rc = SAP_WIRE_TRUNCATED;
		p->sap_len = total - hlen - 8;
		return true;
	}
	p->sap_len = ulen - 8;
	p->sap_rc = sap_wire_decode(udp + 8, p->sap_len, 0, dump_sap_buf,
	    sizeof(dump_sap_buf), &p->sap_msg);
	if (p->sap_rc != SAP_WIRE_OK)
		return true;
	if (p->sap_msg.deletion) {
		p->sap_has_origin =
		    sdp_find_origin((const char *)p->sap_msg.payload,
			p->sap_msg.payload_len, dump_sap_arena,
			sizeof(dump_sap_arena), &p->sap_origin) == 0;
		return true;
	}
	p->sap_sdp_errors = sdp_parse((const char *)p->sap_msg.payload,
	    p->sap_msg.payload_len, 0, dump_sap_arena, sizeof(dump_sap_arena),
	    &dump_sap_sdp);
	p->sap_sdp = &dump_sap_sdp;
	p->sap_origin = dump_sap_sdp.origin;
	p->sap_has_origin = dump_sap_sdp.origin.sess_id != NULL;
	return true;
}

/* Text of the payload, control characters as \xNN, quotes escaped for
 * JSON when json. */
/* A string of the packet, made safe (tools/common.c); NULL: ? or null. */
static void
dump_sap_str(FILE *f, const char *s, bool json)
{
	char safe[4 * SDP_MAX_LINE];

	if (json)
		json_string(f, s);
	else
		fputs(s == NULL ? "?" : text_safe(safe, sizeof(safe), s), f);
}

static void
dump_sap_origin_text(FILE *f, const struct sdp_origin *o)
{
	fputs("o=", f);
	dump_sap_str(f, o->username, false);
	fputc(' ', f);
	dump_sap_str(f, o->sess_id, false);
	fprintf(f, " %llu ", (unsigned long long)o->sess_version);
	dump_sap_str(f, o->nettype, false);
	fputc(' ', f);
	dump_sap_str(f, o->addrtype, false);
	fputc(' ', f);
	dump_sap_str(f, o->addr, false);
}

void
dump_sap_text(FILE *f, const struct dump_packet *p)
{
	const struct sap_msg *m = &p->sap_msg;
	const struct sdp_session *s = p->sap_sdp;
	char a[MC_IP_STRLEN];
	unsigned i, j;

	if (p->sap_rc != SAP_WIRE_OK && p->sap_rc != SAP_WIRE_ENCRYPTED &&
	    p->sap_rc != SAP_WIRE_NOT_SDP && p->sap_rc != SAP_WIRE_INFLATE &&
	    p->sap_rc != SAP_WIRE_INFLATE_CAP) {
		fprintf(f, "sap invalid: %s (%zu bytes)",
		    sap_wire_error_name(p->sap_rc), p->sap_len);
		return;
	}
	fprintf(f, "sap v%u %s hash 0x%04x origin %s", m->version,
	    m->deletion ? "deletion" : "announcement", m->hash,
	    mc_ip_str(&m->origin, a));
	if (m->auth_len)
		fprintf(f, ", auth %zu bytes (not checked)", m->auth_len);
	if (m->reserved)
		fprintf(f, ", R set");
	if (m->encrypted)
		fprintf(f, ", encrypted");
	if (m->compressed)
		fprintf(f, ", compressed");
	if (m->has_type) {
		fprintf(f, ", type ");
		dump_sap_str(f, m->type, false);
	}
	if (p->sap_rc != SAP_WIRE_OK) {
		fprintf(f, ", payload not read: %s (%zu bytes)",
		    sap_wire_error_name(p->sap_rc), p->sap_len);
		return;
	}
	fprintf(f, ", %zu bytes of SDP", m->payload_len);
	if (s == NULL) {
		if (p->sap_has_origin) {
			fputs(": ", f);
			dump_sap_origin_text(f, &p->sap_origin);
		}
		return;
	}
	fputs(": s=", f);
	dump_sap_str(f, s->name, false);
	if (p->sap_has_origin) {
		fputc(' ', f);
		dump_sap_origin_text(f, &s->origin);
	}
	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_media *md = &s->media[i];
		const struct sdp_conn *c = sdp_media_conn(s, i);

		fprintf(f, "; m=");
		dump_sap_str(f, md->media, false);
		fprintf(f, " %u", md->port);
		if (md->nports > 1)
			fprintf(f, "/%u", md->nports);
		fputc(' ', f);
		dump_sap_str(f, md->proto, false);
		for (j = 0; j < md->nformats; j++) {
			fputc(' ', f);
			dump_sap_str(f, md->formats[j], false);
		}
		if (c->present) {
			fprintf(f, " c=%s", mc_ip_str(&c->addr, a));
			if (c->ttl >= 0)
				fprintf(f, "/%d", c->ttl);
			if (c->naddr > 1)
				fprintf(f, "/%u", c->naddr);
		}
	}
	if (p->sap_sdp_errors)
		fprintf(f, " (SDP: %d error%s)", p->sap_sdp_errors,
		    p->sap_sdp_errors == 1 ? "" : "s");
}

static void
dump_sap_origin_json(FILE *f, const struct sdp_origin *o)
{
	fputs("{\"username\":", f);
	dump_sap_str(f, o->username, true);
	fputs(",\"sess_id\":", f);
	dump_sap_str(f, o->sess_id, true);
	fprintf(f, ",\"version\":%llu,\"nettype\":",
	    (unsigned long long)o->sess_version);
	dump_sap_str(f, o->nettype, true);
	fputs(",\"addrtype\":", f);
	dump_sap_str(f, o->addrtype, true);
	fputs(",\"address\":", f);
	dump_sap_str(f, o->addr, true);
	fputc('}', f);
}

void
dump_sap_json(FILE *f, const struct dump_packet *p)
{
	const struct sap_msg *m = &p->sap_msg;
	const struct sdp_session *s = p->sap_sdp;
	bool header = p->sap_rc == SAP_WIRE_OK ||
	    p->sap_rc == SAP_WIRE_ENCRYPTED || p->sap_rc == SAP_WIRE_NOT_SDP ||
	    p->sap_rc == SAP_WIRE_INFLATE || p->sap_rc == SAP_WIRE_INFLATE_CAP;
	char a[MC_IP_STRLEN];
	unsigned i, j;

	fprintf(f, "\"kind\":\"sap\",\"sport\":%u,\"length\":%zu,\"sap\":{",
	    p->sap_sport, p->sap_len);
	fprintf(f, "\"error\":");
	if (p->sap_rc == SAP_WIRE_OK)
		fputs("null", f);
	else
		fprintf(f, "\"%s\"", sap_wire_error_name(p->sap_rc));
	if (!header) {
		fputc('}', f);
		return;
	}
	fprintf(f,
	    ",\"version\":%u,\"ipv6\":%s,\"reserved\":%s,\"deletion\":%s,"
	    "\"encrypted\":%s,\"compressed\":%s,\"auth_len\":%zu,\"hash\":%u,"
	    "\"origin\":\"%s\",\"type\":",
	    m->version, m->ipv6 ? "true" : "false",
	    m->reserved ? "true" : "false", m->deletion ? "true" : "false",
	    m->encrypted ? "true" : "false", m->compressed ? "true" : "false",
	    m->auth_len, m->hash, mc_ip_str(&m->origin, a));
	dump_sap_str(f, m->has_type ? m->type : NULL, true);
	if (p->sap_rc != SAP_WIRE_OK) {
		fputc('}', f);
		return;
	}
	fprintf(f, ",\"payload_len\":%zu,\"sdp\":{\"origin\":", m->payload_len);
	if (p->sap_has_origin)
		dump_sap_origin_json(f, &p->sap_origin);
	else
		fputs("null", f);
	if (s != NULL) {
		fprintf(f, ",\"errors\":%d,\"name\":", p->sap_sdp_errors);
		dump_sap_str(f, s->name, true);
		fputs(",\"media\":[", f);
		for (i = 0; i < s->nmedia; i++) {
			const struct sdp_media *md = &s->media[i];
			const struct sdp_conn *c = sdp_media_conn(s, i);

			fprintf(f, "%s{\"media\":", i ? "," : "");
			dump_sap_str(f, md->media, true);
			fprintf(f,
			    ",\"port\":%u,\"ports\":%u,\"proto\":", md->port,
			    md->nports);
			dump_sap_str(f, md->proto, true);
			fputs(",\"formats\":[", f);
			for (j = 0; j < md->nformats; j++) {
				fputs(j ? "," : "", f);
				dump_sap_str(f, md->formats[j], true);
			}
			fputs("],\"connection\":", f);
			if (c->present)
				fprintf(f,
				    "{\"address\":\"%s\",\"ttl\":%d,"
				    "\"addresses\":%u}",
				    mc_ip_str(&c->addr, a), c->ttl, c->naddr);
			else
				fputs("null", f);
			fputc('}', f);
		}
		fputc(']', f);
	}
	fputs("}}", f);
}
