/*
 * The one output queue of the engines: a FIFO of typed records of any
 * size, allocated when an engine emits one and freed here.  The record
 * last taken stays valid until the next outq_take() (or outq_fini()), so a
 * caller may hold pointers into it while it acts on it.
 */
#ifndef MCAST_PROTO_OUTQ_H
#define MCAST_PROTO_OUTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/queue.h>

struct outq_item;
STAILQ_HEAD(outq_list, outq_item);

struct outq {
	struct outq_list items;
	struct outq_item *taken;
	size_t len;
};

void outq_init(struct outq *q);
/* Frees every record, the last one taken too. */
void outq_fini(struct outq *q);
/*
 * A zeroed record of size bytes at the tail (aligned for any type), or
 * NULL when out of memory.
 */
void *outq_push(struct outq *q, size_t size);
/* The head record, valid until the next take; NULL when empty. */
void *outq_take(struct outq *q);
/* The head record without taking it, or NULL. */
void *outq_peek(const struct outq *q);

static inline bool
outq_empty(const struct outq *q)
{
	return q->len == 0;
}

static inline size_t
outq_len(const struct outq *q)
{
	return q->len;
}

#endif
