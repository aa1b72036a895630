/* The engines' trace lines and the formatters they share (trace.h). */
#include <stdarg.h>
#include <stdio.h>
#include <arpa/inet.h>

#include "trace.h"

void
trace_printf(const struct trace *t, const char *fmt, ...)
{
	char line[TRACE_LINE_MAX];
	va_list ap;

	if (t->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->fn(t->arg, line);
}

const char *
trace_addr(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

const char *
trace_sg(struct in_addr s, struct in_addr g, char *buf, size_t len)
{
	char sb[INET_ADDRSTRLEN], gb[INET_ADDRSTRLEN];

	snprintf(buf, len, "(%s, %s)",
	    s.s_addr == INADDR_ANY ? "*" : trace_addr(s, sb),
	    trace_addr(g, gb));
	return buf;
}

const char *
trace_set(const struct in_addr *src, uint32_t n, char *buf, size_t len)
{
	char ab[INET_ADDRSTRLEN];
	size_t off;
	uint32_t i;
	int w;

	if (len == 0)
		return buf;
	off = (size_t)snprintf(buf, len, "{");
	for (i = 0; i < n && i < TRACE_SET_MAX && off < len; i++) {
		w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    trace_addr(src[i], ab));
		off += w > 0 ? (size_t)w : 0;
	}
	if (n > TRACE_SET_MAX && off < len) {
		w = snprintf(buf + off, len - off, ", +%u", n - TRACE_SET_MAX);
		off += w > 0 ? (size_t)w : 0;
	}
	if (off < len)
		snprintf(buf + off, len - off, "}");
	return buf;
}
