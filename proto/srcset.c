/*
 * Sorted IPv4 source sets: union, intersection and difference by one merge
 * walk each (RFC 3376 writes them A+B, A*B and A-B).
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "srcset.h"

int
srcset_cmp(struct in_addr a, struct in_addr b)
{
	uint32_t x = ntohl(a.s_addr), y = ntohl(b.s_addr);

	return x < y ? -1 : x > y;
}

static int
srcset_qsort_cmp(const void *a, const void *b)
{
	return srcset_cmp(*(const struct in_addr *)a,
	    *(const struct in_addr *)b);
}

size_t
srcset_normalize(struct in_addr *a, size_t n)
{
	size_t i, out;

	if (n < 2)
		return n;
	qsort(a, n, sizeof(*a), srcset_qsort_cmp);
	for (i = 1, out = 1; i < n; i++)
		if (a[i].s_addr != a[out - 1].s_addr)
			a[out++] = a[i];
	return out;
}

bool
srcset_contains(const struct in_addr *a, size_t n, struct in_addr x)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = srcset_cmp(a[mid], x);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool
srcset_equal(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].s_addr != b[i].s_addr)
			return false;
	return true;
}

size_t
srcset_union(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb, struct in_addr *out)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < na && j < nb) {
		c = srcset_cmp(a[i], b[j]);
		if (c < 0)
			out[n++] = a[i++];
		else if (c > 0)
			out[n++] = b[j++];
		else {
			out[n++] = a[i++];
			j++;
		}
	}
	while (i < na)
		out[n++] = a[i++];
	while (j < nb)
		out[n++] = b[j++];
	return n;
}

size_t
srcset_intersect(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb, struct in_addr *out)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < na && j < nb) {
		c = srcset_cmp(a[i], b[j]);
		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			out[n++] = a[i++];
			j++;
		}
	}
	return n;
}

size_t
srcset_diff(const struct in_addr *a, size_t na, const struct in_addr *b,
    size_t nb, struct in_addr *out)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < na) {
		c = j < nb ? srcset_cmp(a[i], b[j]) : -1;
		if (c < 0)
			out[n++] = a[i++];
		else if (c > 0)
			j++;
		else {
			i++;
			j++;
		}
	}
	return n;
}
