/*
 * The one hash table of the engines: chained, intrusive (the nodes live in
 * the caller's structures), keyed by a 64-bit key mixed with a seed the
 * caller draws from its RNG, so that senders cannot aim packets at one
 * chain.  It doubles as nodes come; with HASH_SHRINK it halves when they
 * fall below an eighth.  A table that must not rehash under a walk (one
 * that deletes as it goes) is made without HASH_SHRINK and walked without
 * inserting.
 */
#ifndef MCAST_PROTO_HASH_H
#define MCAST_PROTO_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct hash_node {
	struct hash_node *next;
	uint64_t key;
};

#define HASH_SHRINK 0x1u /* halve when sparse */

struct hash {
	struct hash_node **buckets;
	unsigned bits;
	unsigned min_bits;
	unsigned flags;
	size_t count;
	uint64_t seed;
};

/* The structure holding node: container_of for hash nodes. */
#define hash_entry(node, type, member) \
	((type *)(void *)((char *)(node)-offsetof(type, member)))

/* The key of an (S,G) pair, and of a single address. */
static inline uint64_t
hash_key_pair(struct in_addr a, struct in_addr b)
{
	return (uint64_t)a.s_addr << 32 | b.s_addr;
}

static inline uint64_t
hash_key_addr(struct in_addr a)
{
	return a.s_addr;
}

/* 2^min_bits buckets to start with.  0 or -ENOMEM. */
int hash_init(struct hash *h, uint64_t seed, unsigned min_bits, unsigned flags);
/* Frees the buckets; the nodes are the caller's. */
void hash_fini(struct hash *h);
struct hash_node *hash_find(const struct hash *h, uint64_t key);
/*
 * Insert node with key (no check for another with the same key).  Never
 * fails: when growing is impossible the chains get longer.
 */
void hash_insert(struct hash *h, struct hash_node *node, uint64_t key);
/* Take node out (it must be in h). */
void hash_remove(struct hash *h, struct hash_node *node);

static inline size_t
hash_count(const struct hash *h)
{
	return h->count;
}

/*
 * Walk every node: for (n = hash_first(h, &i); n; n = hash_next(h, &i, n)).
 * The node in hand may be removed (hash_next is then given its successor
 * read before); without HASH_SHRINK nothing else moves.
 */
struct hash_node *hash_first(const struct hash *h, size_t *bucket);
struct hash_node *hash_next(const struct hash *h, size_t *bucket,
    struct hash_node *node);

/* Walk that tolerates removing the current node. */
#define HASH_FOREACH_SAFE(h, n, nx, b)                     \
	for ((n) = hash_first((h), &(b)),                  \
	    (nx) = (n) ? hash_next((h), &(b), (n)) : NULL; \
	     (n) != NULL;                                  \
	     (n) = (nx), (nx) = (n) ? hash_next((h), &(b), (n)) : NULL)

#endif
