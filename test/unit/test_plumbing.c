/*
 * The plumbing the engines share: the timer heap (order, update, remove,
 * rebuild, against a sorted reference over thousands of random operations),
 * the hash table (find, remove, growth and shrinking, safe walks), the
 * output queue (FIFO order, the taken record's lifetime) and the trace
 * facility (formatting only when someone listens, the formatters).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "hash.h"
#include "heap.h"
#include "outq.h"
#include "trace.h"

struct timer_item {
	int id;
	struct heap_node node;
};

static void
test_heap_order(void **state)
{
	struct timer_item it[8];
	static const mc_time_t at[8] = { 50, 10, 40, 10, 70, 30, 60, 20 };
	static const int order[8] = { 1, 3, 7, 5, 2, 0, 6, 4 };
	struct heap h;
	struct heap_node *n;
	int i, k, got[8];

	(void)state;
	heap_init(&h);
	assert_int_equal(heap_next(&h), MC_TIME_NEVER);
	assert_null(heap_top(&h));
	for (i = 0; i < 8; i++) {
		it[i].id = i;
		heap_node_init(&it[i].node);
		assert_false(heap_contains(&it[i].node));
		it[i].node.at = at[i];
		assert_int_equal(heap_add(&h, &it[i].node), 0);
		assert_true(heap_contains(&it[i].node));
	}
	assert_int_equal(heap_len(&h), 8);
	assert_int_equal(heap_next(&h), 10);
	for (k = 0; k < 8; k++) {
		n = heap_top(&h);
		got[k] = heap_entry(n, struct timer_item, node)->id;
		heap_remove(&h, n);
		assert_false(heap_contains(n));
	}
	/* Equal deadlines (1 and 3) may come in either order. */
	if (got[0] == 3) {
		got[0] = 1;
		got[1] = 3;
	}
	for (k = 0; k < 8; k++)
		assert_int_equal(got[k], order[k]);
	heap_remove(&h, &it[0].node); /* not in: nothing */
	assert_int_equal(heap_len(&h), 0);
	heap_fini(&h);
}

/* Random adds, updates and removes against a reference minimum. */
static void
test_heap_random(void **state)
{
	enum { N = 500, OPS = 20000 };
	static struct timer_item it[N];
	struct mc_rng rng = { 42 };
	mc_time_t want;
	struct heap h;
	int i, op, k;

	(void)state;
	heap_init(&h);
	for (i = 0; i < N; i++)
		heap_node_init(&it[i].node);
	for (op = 0; op < OPS; op++) {
		k = (int)mc_rng_below(&rng, N);
		switch (mc_rng_below(&rng, 3)) {
		case 0:
			if (!heap_contains(&it[k].node)) {
				it[k].node.at = (mc_time_t)mc_rng_below(&rng,
				    100000);
				assert_int_equal(heap_add(&h, &it[k].node), 0);
			}
			break;
		case 1:
			heap_update(&h, &it[k].node,
			    (mc_time_t)mc_rng_below(&rng, 100000));
			break;
		default:
			heap_remove(&h, &it[k].node);
		}
		want = MC_TIME_NEVER;
		for (i = 0; i < N; i++)
			if (heap_contains(&it[i].node) && it[i].node.at < want)
				want = it[i].node.at;
		assert_int_equal(heap_next(&h), want);
	}
	/* Every deadline changed at once, then one rebuild. */
	for (i = 0; i < (int)heap_len(&h); i++)
		heap_at(&h, (size_t)i)->at = 1000000 -
		    heap_at(&h, (size_t)i)->at;
	heap_rebuild(&h);
	want = MC_TIME_NEVER;
	for (i = 0; i < N; i++)
		if (heap_contains(&it[i].node) && it[i].node.at < want)
			want = it[i].node.at;
	assert_int_equal(heap_next(&h), want);
	heap_fini(&h);
	assert_int_equal(heap_len(&h), 0);
	assert_int_equal(heap_next(&h), MC_TIME_NEVER);
}

struct keyed {
	uint64_t k;
	struct hash_node node;
};

static void
test_hash_find_grow_shrink(void **state)
{
	enum { N = 5000 };
	static struct keyed e[N];
	struct hash h;
	struct hash_node *n, *nx;
	size_t b, seen = 0;
	int i;

	(void)state;
	assert_int_equal(hash_init(&h, 7, 4, HASH_SHRINK), 0);
	assert_int_equal(h.bits, 4);
	for (i = 0; i < N; i++) {
		e[i].k = (uint64_t)i * 0x10001;
		hash_insert(&h, &e[i].node, e[i].k);
	}
	assert_int_equal(hash_count(&h), N);
	/* Grown: never more than one node per bucket on average. */
	assert_true(((size_t)1 << h.bits) >= N);
	for (i = 0; i < N; i++) {
		n = hash_find(&h, e[i].k);
		assert_ptr_equal(n, &e[i].node);
		assert_ptr_equal(hash_entry(n, struct keyed, node), &e[i]);
	}
	assert_null(hash_find(&h, 3));
	HASH_FOREACH_SAFE(&h, n, nx, b)
		seen++;
	assert_int_equal(seen, N);
	for (i = 0; i < N; i++)
		if (i % 100 != 0)
			hash_remove(&h, &e[i].node);
	assert_int_equal(hash_count(&h), N / 100);
	/* Shrunk back: at most 8 buckets per node, never below min_bits. */
	assert_true(((size_t)1 << h.bits) <= 8 * (N / 100) * 2);
	for (i = 0; i < N; i++)
		if (i % 100 == 0)
			assert_ptr_equal(hash_find(&h, e[i].k), &e[i].node);
		else
			assert_null(hash_find(&h, e[i].k));
	hash_fini(&h);
}

/* A walk removing every node it meets sees each exactly once. */
static void
test_hash_walk_remove(void **state)
{
	enum { N = 1000 };
	static struct keyed e[N];
	static int visits[N];
	struct hash h;
	struct hash_node *n, *nx;
	size_t b;
	unsigned bits;
	int i;

	(void)state;
	assert_int_equal(hash_init(&h, 99, 6, 0), 0);
	for (i = 0; i < N; i++) {
		e[i].k = (uint64_t)i;
		hash_insert(&h, &e[i].node, e[i].k);
	}
	bits = h.bits;
	HASH_FOREACH_SAFE(&h, n, nx, b) {
		visits[hash_entry(n, struct keyed, node)->k]++;
		hash_remove(&h, n);
	}
	for (i = 0; i < N; i++)
		assert_int_equal(visits[i], 1);
	assert_int_equal(hash_count(&h), 0);
	assert_int_equal(h.bits, bits); /* no HASH_SHRINK: kept */
	hash_fini(&h);
	assert_int_equal(hash_init(&h, 1, 0, 0), -EINVAL);
}

/* The seed decides the chains: two seeds spread one set differently. */
static void
test_hash_seeded(void **state)
{
	static struct keyed a[64], c[64];
	struct hash h1, h2;
	int i, differ = 0;

	(void)state;
	assert_int_equal(hash_init(&h1, 1, 8, 0), 0);
	assert_int_equal(hash_init(&h2, 2, 8, 0), 0);
	for (i = 0; i < 64; i++) {
		hash_insert(&h1, &a[i].node, (uint64_t)i);
		hash_insert(&h2, &c[i].node, (uint64_t)i);
	}
	for (i = 0; i < 256; i++)
		differ += (h1.buckets[i] == NULL) != (h2.buckets[i] == NULL);
	assert_true(differ > 0);
	hash_fini(&h1);
	hash_fini(&h2);
}

struct rec {
	int kind;
	char text[];
};

static void
test_outq(void **state)
{
	struct outq q;
	struct rec *r, *held;
	int i;

	(void)state;
	outq_init(&q);
	assert_true(outq_empty(&q));
	assert_null(outq_take(&q));
	for (i = 0; i < 3; i++) {
		r = outq_push(&q, sizeof(*r) + 8);
		assert_non_null(r);
		assert_int_equal(r->kind, 0); /* zeroed */
		assert_int_equal((uintptr_t)r % _Alignof(max_align_t), 0);
		r->kind = i + 1;
		snprintf(r->text, 8, "r%d", i + 1);
	}
	assert_int_equal(outq_len(&q), 3);
	assert_int_equal(((struct rec *)outq_peek(&q))->kind, 1);
	held = outq_take(&q);
	assert_int_equal(held->kind, 1);
	assert_string_equal(held->text, "r1");
	/* Pushing after a take keeps the taken record valid. */
	r = outq_push(&q, sizeof(*r));
	r->kind = 4;
	assert_int_equal(held->kind, 1);
	for (i = 2; i <= 4; i++) {
		r = outq_take(&q);
		assert_non_null(r);
		assert_int_equal(r->kind, i);
	}
	assert_null(outq_take(&q));
	assert_true(outq_empty(&q));
	/* fini frees what is left, the taken record too (ASan checks). */
	outq_push(&q, 100);
	outq_take(&q);
	outq_push(&q, 100);
	outq_fini(&q);
	assert_true(outq_empty(&q));
}

static char last_line[TRACE_LINE_MAX];
static int lines, evaluated;

static void
on_line(void *arg, const char *line)
{
	(void)arg;
	snprintf(last_line, sizeof(last_line), "%s", line);
	lines++;
}

static int
costly(void)
{
	return ++evaluated;
}

static struct in_addr
A(const char *s) {
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
test_trace(void **state)
{
	struct trace quiet = { NULL, NULL }, loud = { on_line, NULL };
	struct in_addr set[6];
	char buf[TRACE_LINE_MAX];
	int i;

	(void)state;
	trace(&quiet, "x %d", costly());
	assert_int_equal(evaluated, 0);
	assert_int_equal(lines, 0);
	trace(&loud, "x %d", costly());
	assert_int_equal(evaluated, 1);
	assert_int_equal(lines, 1);
	assert_string_equal(last_line, "x 1");
	assert_string_equal(trace_sg(A("192.0.2.1"), A("239.1.2.3"), buf,
				sizeof(buf)),
	    "(192.0.2.1, 239.1.2.3)");
	assert_string_equal(trace_sg(A("0.0.0.0"), A("239.1.2.3"), buf,
				sizeof(buf)),
	    "(*, 239.1.2.3)");
	assert_string_equal(trace_addr(A("10.0.0.255"), buf), "10.0.0.255");
	for (i = 0; i < 6; i++)
		set[i].s_addr = htonl(0xc0000201u + (uint32_t)i);
	assert_string_equal(trace_set(set, 0, buf, sizeof(buf)), "{}");
	assert_string_equal(trace_set(set, 2, buf, sizeof(buf)),
	    "{192.0.2.1, 192.0.2.2}");
	assert_string_equal(trace_set(set, 6, buf, sizeof(buf)),
	    "{192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, +2}");
	/* A short buffer is cut, never overrun. */
	assert_string_equal(trace_set(set, 6, buf, 8), "{192.0.");
	/* A line is cut at TRACE_LINE_MAX - 1 bytes. */
	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	trace(&loud, "%s%s", buf, "tail");
	assert_int_equal(strlen(last_line), TRACE_LINE_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_heap_random),
		cmocka_unit_test(test_hash_find_grow_shrink),
		cmocka_unit_test(test_hash_walk_remove),
		cmocka_unit_test(test_hash_seeded),
		cmocka_unit_test(test_outq),
		cmocka_unit_test(test_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
