/*
 * Sorted sets of IPv4 source addresses, as RFC 3376 writes them: A+B
 * (union), A*B (intersection), A-B (difference).  Both IGMP engines use
 * them (router 6.4, host 5.1).
 *
 * A set is an array of struct in_addr (network byte order, as on the wire)
 * sorted in ascending numeric order of the address, without duplicates.
 * Nothing allocates: the caller gives an output array big enough for the
 * worst case named at each function, and gets the count back.
 */
#ifndef MCAST_PROTO_SRCSET_H
#define MCAST_PROTO_SRCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

/* <0, 0, >0 as a is below, equal to or above b (numerically). */
int srcset_cmp(struct in_addr a, struct in_addr b);

/* Make a set of any array: sort it and drop duplicates; returns the count. */
size_t srcset_normalize(struct in_addr *a, size_t n);

/* Whether a (a set) holds x: binary search. */
bool srcset_contains(const struct in_addr *a, size_t n, struct in_addr x);
bool srcset_equal(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb);

/*
 * out = a + b (room for na + nb), a * b (room for the smaller of na, nb),
 * a - b (room for na).  out must not overlap b; for the intersection and
 * the difference it may be a itself (the result is written in place).
 */
size_t srcset_union(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb, struct in_addr *out);
size_t srcset_intersect(const struct in_addr *a, size_t na,
    const struct in_addr *b, size_t nb, struct in_addr *out);
size_t srcset_diff(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb, struct in_addr *out);

#endif
