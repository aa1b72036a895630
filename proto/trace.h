/*
 * The one trace facility of the engines: a line per transition, handed to
 * the caller's callback (mc_trace_fn, engine.h), formatted only when
 * someone listens, so that tracing costs a test of one pointer on a hot
 * path.  With the formatters every engine uses for addresses, (S,G) pairs
 * and source sets.
 */
#ifndef MCAST_PROTO_TRACE_H
#define MCAST_PROTO_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"

#define TRACE_LINE_MAX 320
#define TRACE_SET_MAX  4	    /* addresses shown per set; then "+N" */
#define TRACE_SG_MAX   (2 * 16 + 8) /* "(255.255.255.255, ...)" */

struct trace {
	mc_trace_fn fn; /* NULL: nobody listens */
	void *arg;
};

/* Format and hand over one line (at most TRACE_LINE_MAX - 1 bytes). */
void trace_printf(const struct trace *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The arguments are evaluated only when someone listens. */
#define trace(t, ...)                                   \
	do {                                            \
		if ((t)->fn != NULL)                    \
			trace_printf((t), __VA_ARGS__); \
	} while (0)

/* A dotted quad into buf (16 bytes). */
const char *trace_addr(struct in_addr a, char *buf);
/* "(S, G)", or "(*, G)" for source 0.0.0.0; len >= TRACE_SG_MAX. */
const char *trace_sg(struct in_addr s, struct in_addr g, char *buf, size_t len);
/* "{a, b, c, d, +3}": the first TRACE_SET_MAX addresses, then a count. */
const char *trace_set(const struct in_addr *src, uint32_t n, char *buf,
    size_t len);

#endif
