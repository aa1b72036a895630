/* The SAP header of RFC 2974, decoded and built (sap_wire.h). */
#include <string.h>
#include <zlib.h>

#include "sap_wire.h"

#define SAP_V_SHIFT 5
#define SAP_F_A	    0x10u
#define SAP_F_R	    0x08u
#define SAP_F_T	    0x04u
#define SAP_F_E	    0x02u
#define SAP_F_C	    0x01u

static const struct {
	const char *name, *text;
} sap_wire_errors[SAP_WIRE_ERRORS] = {
	[SAP_WIRE_OK] = { "ok", "ok" },
	[SAP_WIRE_TRUNCATED] = { "truncated",
	    "shorter than its header and originating source" },
	[SAP_WIRE_VERSION] = { "version", "version is not 1" },
	[SAP_WIRE_HASH_ZERO] = { "hash-zero", "message-ID hash 0" },
	[SAP_WIRE_AUTH_LENGTH] = { "auth-length",
	    "authentication data past the end" },
	[SAP_WIRE_TYPE_UNTERMINATED] = { "type-unterminated",
	    "payload type without its NUL terminator" },
	[SAP_WIRE_ENCRYPTED] = { "encrypted",
	    "encrypted payload (E=1): cannot be read" },
	[SAP_WIRE_INFLATE] = { "inflate",
	    "compressed payload (C=1) that is not zlib data" },
	[SAP_WIRE_INFLATE_CAP] = { "inflate-cap",
	    "compressed payload inflates past the cap (zlib bomb)" },
	[SAP_WIRE_EMPTY] = { "empty", "no payload" },
	[SAP_WIRE_NOT_SDP] = { "not-sdp",
	    "payload type is not application/sdp" },
};

const char *
sap_wire_error_name(enum sap_wire_error e)
{
	return (unsigned)e < SAP_WIRE_ERRORS ? sap_wire_errors[e].name : "?";
}

const char *
sap_wire_error_text(enum sap_wire_error e)
{
	return (unsigned)e < SAP_WIRE_ERRORS ? sap_wire_errors[e].text : "?";
}

/* RFC 1950 zlib data in, at most cap bytes out: the length, or an error. */
static enum sap_wire_error
sap_wire_inflate(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
    size_t *out_len)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return SAP_WIRE_INFLATE;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	*out_len = cap - z.avail_out;
	inflateEnd(&z);
	if (rc == Z_STREAM_END)
		return SAP_WIRE_OK;
	/* Output full and the stream not ended: it wanted more room. */
	if ((rc == Z_BUF_ERROR || rc == Z_OK) && z.avail_out == 0)
		return SAP_WIRE_INFLATE_CAP;
	return SAP_WIRE_INFLATE;
}

/*
 * The payload type and payload of an announcement (after the
 * authentication data, inflated if it was compressed).
 */
static enum sap_wire_error
sap_wire_payload(const uint8_t *p, size_t len, struct sap_msg *m)
{
	const uint8_t *nul;
	size_t tlen;

	if (len == 0)
		return SAP_WIRE_EMPTY;
	/* RFC 2974 6: no payload type, and the payload is SDP: "v=0". */
	if (len >= 3 && memcmp(p, "v=0", 3) == 0) {
		m->payload = p;
		m->payload_len = len;
		return SAP_WIRE_OK;
	}
	nul = memchr(p, 0, len);
	if (nul == NULL || (tlen = (size_t)(nul - p)) > SAP_WIRE_MAX_TYPE)
		return SAP_WIRE_TYPE_UNTERMINATED;
	memcpy(m->type, p, tlen);
	m->type[tlen] = '\0';
	m->has_type = true;
	m->payload = nul + 1;
	m->payload_len = len - tlen - 1;
	if (strcasecmp(m->type, SAP_SDP_TYPE) != 0)
		return SAP_WIRE_NOT_SDP;
	if (m->payload_len == 0)
		return SAP_WIRE_EMPTY;
	return SAP_WIRE_OK;
}

enum sap_wire_error
sap_wire_decode(const uint8_t *p, size_t len, unsigned flags, uint8_t *buf,
    size_t buf_len, struct sap_msg *m)
{
	size_t olen, off;
	enum sap_wire_error e;

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return SAP_WIRE_TRUNCATED;
	m->version = p[0] >> SAP_V_SHIFT;
	m->ipv6 = p[0] & SAP_F_A;
	m->reserved = p[0] & SAP_F_R;
	m->deletion = p[0] & SAP_F_T;
	m->encrypted = p[0] & SAP_F_E;
	m->compressed = p[0] & SAP_F_C;
	m->auth_len = (size_t)p[1] * 4;
	m->hash = (uint16_t)(p[2] << 8 | p[3]);
	if (m->version != 1)
		return SAP_WIRE_VERSION;
	olen = m->ipv6 ? 16 : 4;
	if (len < 4 + olen)
		return SAP_WIRE_TRUNCATED;
	m->origin.family = m->ipv6 ? AF_INET6 : AF_INET;
	memcpy(m->ipv6 ? (void *)&m->origin.u.v6 : (void *)&m->origin.u.v4,
	    p + 4, olen);
	off = 4 + olen;
	if (m->auth_len > len - off)
		return SAP_WIRE_AUTH_LENGTH;
	m->auth = m->auth_len ? p + off : NULL;
	off += m->auth_len;
	if (m->hash == 0 && (flags & SAP_WIRE_STRICT_HASH))
		return SAP_WIRE_HASH_ZERO;
	if (m->encrypted)
		return SAP_WIRE_ENCRYPTED;
	if (m->compressed) {
		size_t n;

		e = sap_wire_inflate(p + off, len - off, buf, buf_len, &n);
		if (e != SAP_WIRE_OK)
			return e;
		return sap_wire_payload(buf, n, m);
	}
	return sap_wire_payload(p + off, len - off, m);
}

size_t
sap_wire_build(const struct sap_build *b, uint8_t *out, size_t cap)
{
	size_t olen = b->origin.family == AF_INET6 ? 16 : 4, off, tlen;

	tlen = b->with_type ? sizeof(SAP_SDP_TYPE) : 0; /* with its NUL */
	if (4 + olen + tlen + b->payload_len > cap)
		return 0;
	out[0] = 1u << SAP_V_SHIFT;
	if (olen == 16)
		out[0] |= SAP_F_A;
	if (b->deletion)
		out[0] |= SAP_F_T;
	out[1] = 0; /* no authentication data */
	out[2] = (uint8_t)(b->hash >> 8);
	out[3] = (uint8_t)b->hash;
	memcpy(out + 4,
	    olen == 16 ? (const void *)&b->origin.u.v6 :
			 (const void *)&b->origin.u.v4,
	    olen);
	off = 4 + olen;
	memcpy(out + off, SAP_SDP_TYPE, tlen);
	off += tlen;
	memcpy(out + off, b->payload, b->payload_len);
	return off + b->payload_len;
}

uint16_t
sap_wire_hash(const struct mc_ip *origin, const uint8_t *payload, size_t len)
{
	uint32_t h = 2166136261u;
	const uint8_t *o = origin->family == AF_INET6 ?
	    (const uint8_t *)&origin->u.v6 :
	    (const uint8_t *)&origin->u.v4;
	size_t i, olen = origin->family == AF_INET6 ? 16 : 4;

	for (i = 0; i < olen; i++)
		h = (h ^ o[i]) * 16777619u;
	for (i = 0; i < len; i++)
		h = (h ^ payload[i]) * 16777619u;
	h = (h >> 16) ^ (h & 0xffff);
	return h ? (uint16_t)h : 1;
}
