/*
 * What the two floor programs share (bench/sendmmsg_floor.c and
 * bench/recvmmsg_floor.c): the clock and the GROUP:PORT argument.  Kept in
 * a header of static functions so that each floor stays one program with
 * nothing of libmcast in its path.
 */
#ifndef MCAST_BENCH_FLOOR_H
#define MCAST_BENCH_FLOOR_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

static inline int64_t
floor_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* GROUP:PORT into sin, or a message naming prog and exit 2. */
static inline void
floor_parse_target(const char *prog, const char *text, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	char *end;
	long port;

	if (colon == NULL || (size_t)(colon - text) >= sizeof(host)) {
		fprintf(stderr, "%s: '%s': expected GROUP:PORT\n", prog, text);
		exit(2);
	}
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	port = strtol(colon + 1, &end, 10);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
	    !IN_MULTICAST(ntohl(sin->sin_addr.s_addr)) || *end != '\0' ||
	    port < 1 || port > 65535) {
		fprintf(stderr,
		    "%s: '%s': expected an IPv4 group "
		    "(224.0.0.0/4) and a port 1-65535\n",
		    prog, text);
		exit(2);
	}
	sin->sin_port = htons((uint16_t)port);
}

#endif
