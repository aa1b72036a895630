/*
 * SDP (RFC 8866) parsed and checked, without I/O: the session and each
 * medium's connection (address, TTL, number of addresses), ports, protocol
 * and formats, RFC 4570 source filters, a=rtpmap clock rates, RFC 7273
 * clock attributes (a=ts-refclk, a=mediaclk: kept as text), a=tool,
 * a=type and the direction attributes.  For `mcast sdp check`, the SAP
 * listener and announcer, and `mcast recv --sdp`.
 *
 * Memory: sdp_parse() allocates nothing.  It copies the text into the
 * caller's arena (SDP_ARENA_SIZE(len) bytes) and every string of the
 * result points there; struct sdp_session has fixed arrays (the SDP_MAX_*
 * limits: more is an error that names the limit, never a silent cut).
 *
 * Diagnostics name the line, the field and what was expected:
 *   line 4: c=: "IN IP4 239.1.2.3": IPv4 multicast needs a TTL: expected
 *   ADDRESS/TTL (RFC 8866 5.7)
 */
#ifndef MCAST_PROTO_SDP_H
#define MCAST_PROTO_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mcast/addr.h>

#define SDP_MAX_LINE	    1024 /* bytes of one line, its end excluded */
#define SDP_MAX_TEXT	    65536
#define SDP_MAX_MEDIA	    16
#define SDP_MAX_FORMATS	    32
#define SDP_MAX_RTPMAP	    32
#define SDP_MAX_FILTERS	    8  /* a=source-filter lines per level */
#define SDP_MAX_FILTER_SRC  16 /* sources of one filter */
#define SDP_MAX_TIMES	    8
#define SDP_MAX_DIAGS	    16
#define SDP_ARENA_SIZE(len) ((len) + 1)

enum sdp_err {
	SDP_E_NONE,
	SDP_E_SYNTAX,	     /* not "x=value", or a value of the wrong form */
	SDP_E_LINE_LONG,     /* more than SDP_MAX_LINE bytes */
	SDP_E_MISSING,	     /* v= o= s= t= (or c=) absent */
	SDP_E_DUPLICATE,     /* a field given twice where once is allowed */
	SDP_E_ORDER,	     /* out of RFC 8866's order */
	SDP_E_VERSION,	     /* v= is not 0 */
	SDP_E_ADDRESS,	     /* an address that does not parse or fit */
	SDP_E_NOT_MULTICAST, /* c= unicast where multicast is meant */
	SDP_E_TTL,	     /* TTL missing, out of range, or on IPv6 */
	SDP_E_COUNT,	     /* /N addresses or ports out of range */
	SDP_E_LIMIT,	     /* more than an SDP_MAX_* */
	SDP_E_SCOPE,	     /* SAP group, c= scope and TTL disagree */
	SDP_E_KINDS,
};

struct sdp_diag {
	unsigned line; /* 1-based; 0: the description as a whole */
	char field;    /* 'c', or 0 */
	enum sdp_err kind;
	bool warning;
	char text[200];
};

struct sdp_conn {
	bool present;
	unsigned line;
	struct mc_ip addr;
	int ttl;	/* -1: none given */
	unsigned naddr; /* /N: consecutive addresses, 1 by default */
};

/* a=source-filter (RFC 4570 3). */
struct sdp_source_filter {
	bool exclude;  /* excl, else incl */
	bool any_dest; /* "*" for the destination */
	struct mc_ip dest;
	unsigned nsrc;
	struct mc_ip src[SDP_MAX_FILTER_SRC];
};

/* a=rtpmap:PT ENCODING/CLOCK[/CHANNELS] (RFC 8866 6.6). */
struct sdp_rtpmap {
	unsigned pt;
	const char *encoding;
	unsigned clock_rate;
	unsigned channels; /* 0 when not given */
};

enum sdp_direction {
	SDP_DIR_UNSET,
	SDP_DIR_SENDRECV,
	SDP_DIR_RECVONLY,
	SDP_DIR_SENDONLY,
	SDP_DIR_INACTIVE,
};

/* What both levels carry (a medium inherits the session's when unset). */
struct sdp_attrs {
	enum sdp_direction direction;
	const char *ts_refclk; /* RFC 7273 4.8, the first one */
	const char *mediaclk;  /* RFC 7273 5 */
	unsigned nfilters;
	struct sdp_source_filter filters[SDP_MAX_FILTERS];
};

struct sdp_media {
	unsigned line;
	const char *media; /* "audio", "video" ... */
	uint16_t port;
	unsigned nports;   /* /N, 1 by default */
	const char *proto; /* "RTP/AVP", "udp" ... */
	unsigned nformats;
	const char *formats[SDP_MAX_FORMATS];
	const char *info;     /* i= */
	struct sdp_conn conn; /* c= of the medium, or not present */
	unsigned nconn;	      /* c= lines of the medium (the first is kept) */
	unsigned nrtpmap;
	struct sdp_rtpmap rtpmap[SDP_MAX_RTPMAP];
	struct sdp_attrs attrs;
};

struct sdp_origin {
	const char *username, *sess_id, *nettype, *addrtype, *addr;
	uint64_t sess_version;
};

struct sdp_session {
	struct sdp_origin origin;
	const char *name; /* s= */
	const char *info, *uri;
	struct sdp_conn conn; /* the session-level c= */
	unsigned ntimes;
	uint64_t start[SDP_MAX_TIMES], stop[SDP_MAX_TIMES]; /* NTP seconds */
	const char *tool, *type;
	struct sdp_attrs attrs;
	unsigned nmedia;
	struct sdp_media media[SDP_MAX_MEDIA];
	unsigned lines;
	unsigned nerrors, nwarnings, ndiags; /* ndiags <= SDP_MAX_DIAGS */
	struct sdp_diag diags[SDP_MAX_DIAGS];
	unsigned kinds[SDP_E_KINDS]; /* errors counted by kind */
};

/* Parser flags. */
#define SDP_MULTICAST 0x1u /* every c= must be multicast */

const char *sdp_err_name(enum sdp_err e);

/*
 * Parse len bytes of text (CRLF or LF line ends).  arena: at least
 * SDP_ARENA_SIZE(len) bytes, owned by the caller while s is used.  Returns
 * the number of errors (0: good; warnings do not count).  More text than
 * SDP_MAX_TEXT is one SDP_E_LIMIT error.
 */
int sdp_parse(const char *text, size_t len, unsigned flags, char *arena,
    size_t arena_len, struct sdp_session *s);

/*
 * The connection that applies to medium i: its own c=, else the session's
 * (present false when neither).
 */
const struct sdp_conn *sdp_media_conn(const struct sdp_session *s, unsigned i);
/* The medium's source filters: its own, else the session's. */
const struct sdp_attrs *sdp_media_attrs(const struct sdp_session *s,
    unsigned i);
/* The clock rate of payload type pt in medium i: a=rtpmap, else RFC 3551's
 * static table (8000 for 0, 3, 4, 5, 8 ...), else 0. */
unsigned sdp_media_clock_rate(const struct sdp_session *s, unsigned i,
    unsigned pt);

/*
 * The o= line of a payload without parsing the rest (a deletion's payload
 * may be that line alone): 0 and *o (strings in arena, SDP_ARENA_SIZE(len)
 * bytes), or -1.
 */
int sdp_find_origin(const char *text, size_t len, char *arena, size_t arena_len,
    struct sdp_origin *o);

/*
 * For an announcement on SAP group sap_group with TTL ttl (-1: the c=
 * TTL): every c= multicast, of the scope sap_group serves (RFC 2974 3:
 * 224.2.127.254 for global groups, the top address of an administrative
 * scope for its groups, ff0X::2:7ffe for IPv6 scope X), and TTL no larger
 * than the c= TTL.  Adds SDP_E_SCOPE diagnostics; returns their number.
 */
int sdp_check_scope(struct sdp_session *s, const struct mc_ip *sap_group,
    int ttl);

/*
 * The SAP group (RFC 2974 3) for a session's first multicast c=: 0, or -1
 * when its scope has none we know (an IPv4 admin group outside 239.255/16
 * and 239.192/14).
 */
int sdp_sap_group(const struct sdp_session *s, struct mc_ip *out);

#endif
