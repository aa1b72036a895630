/* The engines' timer heap (heap.h): a binary min-heap of intrusive nodes. */
#include <errno.h>
#include <stdlib.h>

#include "heap.h"

void
heap_init(struct heap *h)
{
	h->v = NULL;
	h->len = 0;
	h->cap = 0;
}

void
heap_fini(struct heap *h)
{
	free(h->v);
	heap_init(h);
}

static void
heap_set(struct heap *h, size_t i, struct heap_node *n)
{
	h->v[i] = n;
	n->index = i;
}

static void
heap_up(struct heap *h, size_t i)
{
	struct heap_node *n = h->v[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (h->v[parent]->at <= n->at)
			break;
		heap_set(h, i, h->v[parent]);
		i = parent;
	}
	heap_set(h, i, n);
}

static void
heap_down(struct heap *h, size_t i)
{
	struct heap_node *n = h->v[i];
	size_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= h->len)
			break;
		if (child + 1 < h->len && h->v[child + 1]->at < h->v[child]->at)
			child++;
		if (n->at <= h->v[child]->at)
			break;
		heap_set(h, i, h->v[child]);
		i = child;
	}
	heap_set(h, i, n);
}

int
heap_reserve(struct heap *h, size_t n)
{
	struct heap_node **v;
	size_t cap = h->cap ? h->cap : 32;

	if (h->len + n <= h->cap)
		return 0;
	while (cap < h->len + n)
		cap *= 2;
	v = realloc(h->v, cap * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	h->v = v;
	h->cap = cap;
	return 0;
}

void
heap_push(struct heap *h, struct heap_node *n)
{
	heap_set(h, h->len++, n);
	heap_up(h, n->index);
}

int
heap_add(struct heap *h, struct heap_node *n)
{
	if (heap_reserve(h, 1) != 0)
		return -ENOMEM;
	heap_push(h, n);
	return 0;
}

void
heap_remove(struct heap *h, struct heap_node *n)
{
	size_t i = n->index;
	struct heap_node *last;

	if (i == HEAP_NONE)
		return;
	n->index = HEAP_NONE;
	last = h->v[--h->len];
	if (last == n)
		return;
	heap_set(h, i, last);
	heap_up(h, i);
	heap_down(h, last->index);
}

void
heap_update(struct heap *h, struct heap_node *n, mc_time_t at)
{
	mc_time_t old = n->at;

	n->at = at;
	if (n->index == HEAP_NONE)
		return;
	if (at < old)
		heap_up(h, n->index);
	else if (at > old)
		heap_down(h, n->index);
}

void
heap_rebuild(struct heap *h)
{
	size_t i;

	for (i = h->len / 2; i-- > 0;)
		heap_down(h, i);
}

struct heap_node *
heap_at(const struct heap *h, size_t i)
{
	return i < h->len ? h->v[i] : NULL;
}
