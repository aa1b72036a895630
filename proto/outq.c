/* The engines' output queue (outq.h): a FIFO of typed records. */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

#include "outq.h"

struct outq_item {
	STAILQ_ENTRY(outq_item) link;
	alignas(max_align_t) unsigned char data[];
};

void
outq_init(struct outq *q)
{
	STAILQ_INIT(&q->items);
	q->taken = NULL;
	q->len = 0;
}

void
outq_fini(struct outq *q)
{
	struct outq_item *it;

	while ((it = STAILQ_FIRST(&q->items)) != NULL) {
		STAILQ_REMOVE_HEAD(&q->items, link);
		free(it);
	}
	free(q->taken);
	outq_init(q);
}

void *
outq_push(struct outq *q, size_t size)
{
	struct outq_item *it = calloc(1, sizeof(*it) + size);

	if (it == NULL)
		return NULL;
	STAILQ_INSERT_TAIL(&q->items, it, link);
	q->len++;
	return it->data;
}

void *
outq_take(struct outq *q)
{
	struct outq_item *it;

	free(q->taken);
	q->taken = NULL;
	it = STAILQ_FIRST(&q->items);
	if (it == NULL)
		return NULL;
	STAILQ_REMOVE_HEAD(&q->items, link);
	q->len--;
	q->taken = it;
	return it->data;
}

void *
outq_peek(const struct outq *q)
{
	struct outq_item *it = STAILQ_FIRST(&q->items);

	return it != NULL ? it->data : NULL;
}
