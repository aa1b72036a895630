/* The engines' hash table (hash.h): chained, intrusive, seeded. */
#include <errno.h>
#include <stdlib.h>

#include "hash.h"

#define HASH_MAX_BITS 30

/*
 * splitmix64's finaliser over key * golden ratio + seed: keys that differ
 * in a few bits land apart, and the seed moves every key differently (a
 * seed XORed in would only permute an aligned block of keys).
 */
static uint64_t
hash_mix(uint64_t seed, uint64_t key)
{
	uint64_t z = key * 0x9e3779b97f4a7c15ULL + seed;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
hash_bucket(const struct hash *h, unsigned bits, uint64_t key)
{
	return (size_t)(hash_mix(h->seed, key) & (((uint64_t)1 << bits) - 1));
}

int
hash_init(struct hash *h, uint64_t seed, unsigned min_bits, unsigned flags)
{
	if (min_bits == 0 || min_bits > HASH_MAX_BITS)
		return -EINVAL;
	h->buckets = calloc((size_t)1 << min_bits, sizeof(*h->buckets));
	if (h->buckets == NULL)
		return -ENOMEM;
	h->bits = min_bits;
	h->min_bits = min_bits;
	h->flags = flags;
	h->count = 0;
	h->seed = seed;
	return 0;
}

void
hash_fini(struct hash *h)
{
	free(h->buckets);
	h->buckets = NULL;
	h->count = 0;
}

/* Into 2^bits buckets; on failure the table stays as it is. */
static void
hash_resize(struct hash *h, unsigned bits)
{
	struct hash_node **nb, *n, *next;
	size_t i, b;

	nb = calloc((size_t)1 << bits, sizeof(*nb));
	if (nb == NULL)
		return;
	for (i = 0; i < ((size_t)1 << h->bits); i++)
		for (n = h->buckets[i]; n != NULL; n = next) {
			next = n->next;
			b = hash_bucket(h, bits, n->key);
			n->next = nb[b];
			nb[b] = n;
		}
	free(h->buckets);
	h->buckets = nb;
	h->bits = bits;
}

struct hash_node *
hash_find(const struct hash *h, uint64_t key)
{
	struct hash_node *n;

	for (n = h->buckets[hash_bucket(h, h->bits, key)]; n != NULL;
	     n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

void
hash_insert(struct hash *h, struct hash_node *node, uint64_t key)
{
	size_t b = hash_bucket(h, h->bits, key);

	node->key = key;
	node->next = h->buckets[b];
	h->buckets[b] = node;
	h->count++;
	if (h->count > ((size_t)1 << h->bits) && h->bits < HASH_MAX_BITS)
		hash_resize(h, h->bits + 1);
}

void
hash_remove(struct hash *h, struct hash_node *node)
{
	struct hash_node **pp;

	pp = &h->buckets[hash_bucket(h, h->bits, node->key)];
	while (*pp != NULL && *pp != node)
		pp = &(*pp)->next;
	if (*pp == NULL)
		return;
	*pp = node->next;
	node->next = NULL;
	h->count--;
	if ((h->flags & HASH_SHRINK) && h->bits > h->min_bits &&
	    h->count < ((size_t)1 << h->bits) / 8)
		hash_resize(h, h->bits - 1);
}

static struct hash_node *
hash_scan(const struct hash *h, size_t *bucket, size_t from)
{
	size_t i;

	for (i = from; i < ((size_t)1 << h->bits); i++)
		if (h->buckets[i] != NULL) {
			*bucket = i;
			return h->buckets[i];
		}
	*bucket = i;
	return NULL;
}

struct hash_node *
hash_first(const struct hash *h, size_t *bucket)
{
	return hash_scan(h, bucket, 0);
}

struct hash_node *
hash_next(const struct hash *h, size_t *bucket, struct hash_node *node)
{
	if (node->next != NULL)
		return node->next;
	return hash_scan(h, bucket, *bucket + 1);
}
