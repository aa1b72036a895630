/* sdp.c's helpers that sdp_query.c shares. */
#ifndef MCAST_PROTO_SDP_INT_H
#define MCAST_PROTO_SDP_INT_H

#include <stdbool.h>

#include "sdp.h"

/* A diagnostic about line (and field) of s: an error, or a warning. */
void sdp_diag(struct sdp_session *s, unsigned line, char field,
    enum sdp_err kind, bool warning, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* RFC 8866 5.2: o=USERNAME SESS-ID SESS-VERSION NETTYPE ADDRTYPE ADDR,
   split in place; 0, or -1 when malformed. */
int sdp_parse_origin(char *v, struct sdp_origin *o);

#endif
