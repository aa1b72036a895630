/*
 * The one timer heap of the engines: a binary min-heap of deadlines whose
 * nodes live inside the caller's structures (intrusive), so that finding
 * the next deadline is O(1) and moving, adding or removing a node is
 * O(log n), with no allocation but the array of node pointers.
 */
#ifndef MCAST_PROTO_HEAP_H
#define MCAST_PROTO_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define HEAP_NONE SIZE_MAX /* a node's index when not in a heap */

/* Embedded in whatever has a deadline; heap_node_init() before use. */
struct heap_node {
	mc_time_t at; /* the deadline */
	size_t index; /* in the heap, or HEAP_NONE */
};

struct heap {
	struct heap_node **v;
	size_t len;
	size_t cap;
};

/* The structure holding node: container_of for heap nodes. */
#define heap_entry(node, type, member) \
	((type *)(void *)((char *)(node)-offsetof(type, member)))

static inline void
heap_node_init(struct heap_node *n)
{
	n->at = MC_TIME_NEVER;
	n->index = HEAP_NONE;
}

static inline bool
heap_contains(const struct heap_node *n)
{
	return n->index != HEAP_NONE;
}

static inline size_t
heap_len(const struct heap *h)
{
	return h->len;
}

/* The earliest node, or NULL. */
static inline struct heap_node *
heap_top(const struct heap *h)
{
	return h->len > 0 ? h->v[0] : NULL;
}

/* The earliest deadline, or MC_TIME_NEVER. */
static inline mc_time_t
heap_next(const struct heap *h)
{
	return h->len > 0 ? h->v[0]->at : MC_TIME_NEVER;
}

void heap_init(struct heap *h);
/*
 * Frees the array; the nodes are the caller's and are not touched (they
 * may be freed already).
 */
void heap_fini(struct heap *h);
/* Room for n more nodes, so that the next n heap_push() cannot fail. */
int heap_reserve(struct heap *h, size_t n);
/* Add n (not in a heap) at n->at: needs room (heap_reserve). */
void heap_push(struct heap *h, struct heap_node *n);
/* heap_reserve(h, 1) and heap_push(): 0 or -ENOMEM. */
int heap_add(struct heap *h, struct heap_node *n);
/* Take n out; nothing when it is not in. */
void heap_remove(struct heap *h, struct heap_node *n);
/* Set n's deadline and move it; a node not in the heap only gets it. */
void heap_update(struct heap *h, struct heap_node *n, mc_time_t at);
/* Restore the order after the deadlines of many nodes were changed. */
void heap_rebuild(struct heap *h);
/* The node at position i (0 <= i < heap_len), for walks. */
struct heap_node *heap_at(const struct heap *h, size_t i);

#endif
