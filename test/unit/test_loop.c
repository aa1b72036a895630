/*
 * The event loop: real turns over pipes (callbacks, budgets, fairness,
 * deletion and stop inside a turn, deadlines, signals) and the virtual
 * twin (time order, ties, loop_run_until), with exact counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

#define MAX_LOG 32

/* What the callbacks saw, in order. */
struct log {
	struct loop *l;
	int n;
	char who[MAX_LOG];
	mc_time_t at[MAX_LOG];	  /* now given to a timer */
	mc_time_t clock[MAX_LOG]; /* loop_now() then */
	unsigned budget[MAX_LOG];
	uint32_t events[MAX_LOG];
};

static void
log_add(struct log *g, char who, mc_time_t at, unsigned budget, uint32_t events)
{
	assert_true(g->n < MAX_LOG);
	g->who[g->n] = who;
	g->at[g->n] = at;
	g->clock[g->n] = loop_now(g->l);
	g->budget[g->n] = budget;
	g->events[g->n] = events;
	g->n++;
}

/* A pipe with len bytes waiting in it; both ends non-blocking. */
static void
pipe_with(int p[2], size_t len)
{
	char buf[4096];

	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	memset(buf, 'x', sizeof(buf));
	assert_true(len <= sizeof(buf));
	if (len > 0)
		assert_int_equal(write(p[1], buf, len), (ssize_t)len);
}

/* A descriptor: reads budget bytes ("messages"), logs its letter. */
struct reader {
	struct log *g;
	char who;
	size_t read;
	/* Optional actions, done on the first call. */
	int del_fd; /* > 0: loop_fd_del() it */
	bool del_self;
	bool stop;
	int del_source; /* > 0: loop_source_del() it */
	int nested_rc;	/* loop_run_once() from inside */
	bool try_nested;
};

static void
reader_fn(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct reader *r = arg;
	char buf[4096];
	ssize_t n;

	log_add(r->g, r->who, 0, budget, events);
	if (events & LOOP_IN) {
		n = read(fd, buf, budget < sizeof(buf) ? budget : sizeof(buf));
		if (n > 0)
			r->read += (size_t)n;
	}
	if (r->del_fd > 0) {
		assert_int_equal(loop_fd_del(r->g->l, r->del_fd), 0);
		r->del_fd = 0;
	}
	if (r->del_self) {
		assert_int_equal(loop_fd_del(r->g->l, fd), 0);
		r->del_self = false;
	}
	if (r->del_source > 0) {
		assert_int_equal(loop_source_del(r->g->l, r->del_source), 0);
		r->del_source = 0;
	}
	if (r->try_nested) {
		r->nested_rc = loop_run_once(r->g->l, 0);
		r->try_nested = false;
	}
	if (r->stop)
		loop_stop(r->g->l);
}

/* A source: fires at each of its deadlines in turn, logs its letter. */
struct timer {
	struct log *g;
	char who;
	mc_time_t when[8]; /* deadlines, MC_TIME_NEVER-ended */
	int next;
	mc_time_t period; /* > 0: periodic from when[0] */
	/* Optional actions, done on the first call. */
	int del_source;
	struct timer *add; /* loop_source_add() it */
	int added;
	bool stop;
};

static mc_time_t
timer_deadline(void *arg)
{
	struct timer *t = arg;

	if (t->period > 0)
		return t->when[0] + t->next * t->period;
	return t->when[t->next];
}

static void
timer_fire(void *arg, mc_time_t now)
{
	struct timer *t = arg;

	/* Never early. */
	assert_true(now >= timer_deadline(t));
	log_add(t->g, t->who, now, 0, 0);
	t->next++;
	if (t->del_source > 0) {
		assert_int_equal(loop_source_del(t->g->l, t->del_source), 0);
		t->del_source = 0;
	}
	if (t->add != NULL) {
		t->added = loop_source_add(t->g->l, timer_deadline, timer_fire,
		    t->add);
		assert_true(t->added > 0);
		t->add = NULL;
	}
	if (t->stop)
		loop_stop(t->g->l);
}

static void
timer_at(struct timer *t, struct log *g, char who, mc_time_t when)
{
	memset(t, 0, sizeof(*t));
	t->g = g;
	t->who = who;
	t->when[0] = when;
	t->when[1] = MC_TIME_NEVER;
}

static int
log_count(const struct log *g, char who)
{
	int i, n = 0;

	for (i = 0; i < g->n; i++)
		n += g->who[i] == who;
	return n;
}

/* ---- real loop ---- */

static void
test_readable_fd_gets_its_budget(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader a = { .g = &g, .who = 'a' }, b = { .g = &g, .who = 'b' };
	int pa[2], pb[2], pc[2];

	assert_non_null(l);
	pipe_with(pa, 10);
	pipe_with(pb, 100);
	pipe_with(pc, 0);
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 3, reader_fn, &a), 0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 0, reader_fn, &b), 0);
	/* Nothing written to c: never called. */
	assert_int_equal(loop_fd_add(l, pc[0], LOOP_IN, 0, reader_fn, &a), 0);
	assert_int_equal(loop_run_once(l, 1000), 2);
	assert_int_equal(g.n, 2);
	assert_int_equal(log_count(&g, 'a'), 1);
	assert_int_equal(log_count(&g, 'b'), 1);
	assert_int_equal(g.budget[g.who[0] == 'a' ? 0 : 1], 3);
	assert_int_equal(g.budget[g.who[0] == 'b' ? 0 : 1],
	    LOOP_DEFAULT_BUDGET);
	assert_int_equal(g.events[0], LOOP_IN);
	assert_int_equal(g.events[1], LOOP_IN);
	assert_int_equal(a.read, 3);
	assert_int_equal(b.read, LOOP_DEFAULT_BUDGET);
	/* Level-triggered: what was left is reported again. */
	assert_int_equal(loop_run_once(l, 1000), 2);
	assert_int_equal(a.read, 6);
	assert_int_equal(b.read, 100);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(a.read, 9);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(a.read, 10);
	/* Nothing left anywhere: a bounded wait with no callback. */
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(g.n, 6);
	loop_free(l);
	close(pa[0]), close(pa[1]), close(pb[0]), close(pb[1]);
	close(pc[0]), close(pc[1]);
}

static void
test_busy_fd_does_not_starve(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader busy = { .g = &g, .who = 'a' };
	struct reader quiet = { .g = &g, .who = 'b' };
	struct timer t;
	int pa[2], pb[2], turn;

	assert_non_null(l);
	/* a always has more than it may read in a turn. */
	pipe_with(pa, 4096);
	pipe_with(pb, 1);
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 4, reader_fn, &busy),
	    0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 4, reader_fn, &quiet),
	    0);
	timer_at(&t, &g, 't', loop_now(l));
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &t) > 0);
	/* Turn 1: each ready descriptor once, then the due deadline. */
	assert_int_equal(loop_run_once(l, -1), 3);
	assert_int_equal(log_count(&g, 'a'), 1);
	assert_int_equal(log_count(&g, 'b'), 1);
	assert_int_equal(log_count(&g, 't'), 1);
	assert_int_equal(g.who[2], 't');
	assert_int_equal(busy.read, 4);
	assert_int_equal(quiet.read, 1);
	/* Then a alone, 4 bytes a turn; b and the timer stay quiet. */
	for (turn = 2; turn <= 10; turn++) {
		assert_int_equal(loop_run_once(l, -1), 1);
		assert_int_equal(busy.read, (size_t)(4 * turn));
	}
	assert_int_equal(log_count(&g, 'b'), 1);
	assert_int_equal(log_count(&g, 't'), 1);
	/* b gets data: served next turn beside a. */
	assert_int_equal(write(pb[1], "yy", 2), 2);
	assert_int_equal(loop_run_once(l, -1), 2);
	assert_int_equal(quiet.read, 3);
	assert_int_equal(busy.read, 44);
	loop_free(l);
	close(pa[0]), close(pa[1]), close(pb[0]), close(pb[1]);
}

static void
test_deleted_in_turn_is_not_called(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader a = { .g = &g, .who = 'a' }, b = { .g = &g, .who = 'b' };
	int pa[2], pb[2], pn[2];

	assert_non_null(l);
	pipe_with(pa, 1);
	pipe_with(pb, 1);
	/* Whichever runs first deletes the other. */
	a.del_fd = pb[0];
	b.del_fd = pa[0];
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 0, reader_fn, &a), 0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 0, reader_fn, &b), 0);
	assert_int_equal(loop_run_once(l, -1), 1);
	assert_int_equal(g.n, 1);
	assert_int_equal(loop_fd_del(l, g.who[0] == 'a' ? pb[0] : pa[0]),
	    -ENOENT);
	close(pa[0]), close(pa[1]), close(pb[0]), close(pb[1]);
	loop_free(l);

	/*
	 * Deleted, closed, and its number given to a new ready pipe in the
	 * same turn: the new one waits for the next turn.
	 */
	l = loop_new();
	memset(&g, 0, sizeof(g));
	g.l = l;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.g = b.g = &g;
	a.who = 'a';
	b.who = 'b';
	pipe_with(pa, 1);
	pipe_with(pb, 1);
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 0, reader_fn, &a), 0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 0, reader_fn, &b), 0);
	assert_int_equal(loop_run_once(l, 0), 2);
	/* Both drained; now only a is ready, and deletes b. */
	assert_int_equal(write(pa[1], "x", 1), 1);
	a.del_fd = pb[0];
	assert_int_equal(loop_run_once(l, 0), 1);
	close(pb[0]), close(pb[1]);
	pipe_with(pn, 1);
	assert_int_equal(loop_fd_add(l, pn[0], LOOP_IN, 0, reader_fn, &b), 0);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(log_count(&g, 'b'), 2);
	loop_free(l);
	close(pa[0]), close(pa[1]), close(pn[0]), close(pn[1]);
}

/*
 * Two ready descriptors; whichever is called first deletes and closes the
 * other, and gives its number to a new ready pipe.
 */
struct swapper {
	struct log *g;
	char who;
	int *other;	     /* the other's descriptor */
	bool *done;	     /* shared: only the first swaps */
	struct reader *next; /* callback of the new pipe */
	int *newp;
};

static void
swapper_fn(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct swapper *s = arg;
	int old = *s->other;

	log_add(s->g, s->who, 0, budget, events);
	if (*s->done)
		return;
	*s->done = true;
	pipe_with(s->newp, 1);
	assert_int_equal(loop_fd_del(s->g->l, old), 0);
	/* The new pipe's read end takes the number of the deleted one. */
	assert_int_equal(dup3(s->newp[0], old, O_CLOEXEC), old);
	close(s->newp[0]);
	s->newp[0] = old;
	assert_int_equal(loop_fd_add(s->g->l, s->newp[0], LOOP_IN, 0, reader_fn,
			     s->next),
	    0);
}

static void
test_reuse_of_a_deleted_number_in_turn(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader r = { .g = &g, .who = 'r' };
	int pa[2], pb[2], newp[2];
	bool done = false;
	struct swapper a = { &g, 'a', &pb[0], &done, &r, newp };
	struct swapper b = { &g, 'b', &pa[0], &done, &r, newp };
	char first;

	assert_non_null(l);
	pipe_with(pa, 1);
	pipe_with(pb, 1);
	close(pa[1]);
	close(pb[1]);
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 0, swapper_fn, &a), 0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 0, swapper_fn, &b), 0);
	/* The other's event in this turn is the old descriptor's: dropped. */
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.n, 1);
	first = g.who[0];
	/* Next turn: the survivor (never read) and the new pipe. */
	assert_int_equal(loop_run_once(l, 0), 2);
	assert_int_equal(log_count(&g, first), 2);
	assert_int_equal(log_count(&g, first == 'a' ? 'b' : 'a'), 0);
	assert_int_equal(log_count(&g, 'r'), 1);
	assert_int_equal(r.read, 1);
	/* A callback may delete itself. */
	assert_int_equal(write(newp[1], "x", 1), 1);
	r.del_self = true;
	assert_int_equal(loop_run_once(l, 0), 2);
	assert_int_equal(log_count(&g, 'r'), 2);
	assert_int_equal(loop_fd_del(l, newp[0]), -ENOENT);
	assert_int_equal(write(newp[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(log_count(&g, 'r'), 2);
	loop_free(l);
	close(first == 'a' ? pa[0] : pb[0]);
	close(newp[0]), close(newp[1]);
}

static void
test_stop_inside_a_turn(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader a = { .g = &g, .who = 'a', .stop = true };
	struct reader b = { .g = &g, .who = 'b', .stop = true };
	struct timer t;
	int pa[2], pb[2];

	assert_non_null(l);
	pipe_with(pa, 1);
	pipe_with(pb, 1);
	assert_int_equal(loop_fd_add(l, pa[0], LOOP_IN, 0, reader_fn, &a), 0);
	assert_int_equal(loop_fd_add(l, pb[0], LOOP_IN, 0, reader_fn, &b), 0);
	timer_at(&t, &g, 't', loop_now(l));
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &t) > 0);
	/* The first callback stops: nothing else this turn. */
	assert_int_equal(loop_run(l), 0);
	assert_true(loop_stopped(l));
	assert_int_equal(g.n, 1);
	/* The next run starts unstopped and serves the rest. */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(log_count(&g, 'a'), 1);
	assert_int_equal(log_count(&g, 'b'), 1);
	a.stop = b.stop = false;
	t.stop = true;
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.who[2], 't');
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_false(loop_stopped(l));
	loop_free(l);
	close(pa[0]), close(pa[1]), close(pb[0]), close(pb[1]);
}

static void
test_deadlines_in_order_never_early(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct timer t30, t10, t20;
	mc_time_t start;
	int i;

	assert_non_null(l);
	start = loop_now(l);
	timer_at(&t30, &g, '3', start + 30);
	timer_at(&t10, &g, '1', start + 10);
	timer_at(&t20, &g, '2', start + 20);
	t30.stop = true;
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &t30),
	    1);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &t10),
	    2);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &t20),
	    3);
	/* Nothing due yet. */
	if (loop_now(l) < start + 10)
		assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.who[0], '1');
	assert_int_equal(g.who[1], '2');
	assert_int_equal(g.who[2], '3');
	for (i = 0; i < 3; i++) {
		mc_time_t due = start + 10 * (g.who[i] - '0');

		assert_true(g.at[i] >= due);
		assert_true(g.clock[i] >= g.at[i]);
	}
	assert_true(loop_now(l) >= start + 30);
	loop_free(l);
}

static void
test_sources_added_and_deleted_in_turn(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct timer a, b, c;
	mc_time_t now;
	int hb;

	assert_non_null(l);
	now = loop_now(l);
	timer_at(&a, &g, 'a', now);
	timer_at(&b, &g, 'b', now);
	timer_at(&c, &g, 'c', now);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &a), 1);
	hb = loop_source_add(l, timer_deadline, timer_fire, &b);
	assert_int_equal(hb, 2);
	/* a deletes b (due, after a) and adds c (due): neither this turn. */
	a.del_source = hb;
	a.add = &c;
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.n, 1);
	assert_int_equal(a.added, 3);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.who[1], 'c');
	assert_int_equal(loop_source_del(l, hb), -ENOENT);
	assert_int_equal(loop_source_del(l, 3), 0);
	assert_int_equal(loop_source_del(l, 3), -ENOENT);
	/* Handles are not reused. */
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &b), 4);
	loop_free(l);
}

/* A descriptor callback that moves a source's deadline away. */
struct mover {
	struct timer *t;
};

static void
mover_fn(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct mover *m = arg;
	char c;

	assert_int_equal(read(fd, &c, 1), 1);
	m->t->when[0] = loop_now(m->t->g->l) + 1000000;
}

static void
test_deadline_asked_again_after_fds(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct timer t;
	struct mover m = { .t = &t };
	int p[2];

	assert_non_null(l);
	pipe_with(p, 1);
	timer_at(&t, &g, 't', loop_now(l));
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &t) > 0);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, mover_fn, &m), 0);
	/* Due before the wait, moved later by the descriptor: not called. */
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.n, 0);
	loop_free(l);
	close(p[0]), close(p[1]);
}

static void
test_run_until_real(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct timer t;
	mc_time_t start;

	assert_non_null(l);
	start = loop_now(l);
	timer_at(&t, &g, 't', start + 20);
	t.when[1] = start + 40;
	t.when[2] = start + 1000000;
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &t) > 0);
	assert_int_equal(loop_run_until(l, start + 40), 0);
	assert_int_equal(g.n, 2);
	assert_true(g.at[0] >= start + 20);
	assert_true(g.at[1] >= start + 40);
	assert_true(loop_now(l) >= start + 40);
	/* Already past: no turn. */
	assert_int_equal(loop_run_until(l, start), 0);
	assert_int_equal(g.n, 2);
	loop_free(l);
}

static void
test_out_hup_and_mod(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader r = { .g = &g, .who = 'r' };
	int p[2];

	assert_non_null(l);
	pipe_with(p, 0);
	/* The write end of an empty pipe is writable. */
	assert_int_equal(loop_fd_add(l, p[1], LOOP_OUT, 0, reader_fn, &r), 0);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.events[0], LOOP_OUT);
	assert_int_equal(loop_fd_mod(l, p[1], LOOP_IN), 0);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(loop_fd_mod(l, p[1], LOOP_OUT | 0x8000), -EINVAL);
	assert_int_equal(loop_fd_mod(l, p[0], LOOP_IN), -ENOENT);
	assert_int_equal(loop_fd_del(l, p[1]), 0);
	/* The read end, writer gone: hang-up, reported unasked. */
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, reader_fn, &r), 0);
	close(p[1]);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(g.events[1], LOOP_HUP);
	loop_free(l);
	close(p[0]);
}

static void
test_errors(void **state)
{
	struct loop *l = loop_new();
	struct log g = { .l = l };
	struct reader r = { .g = &g, .who = 'r', .try_nested = true };
	int p[2];

	assert_non_null(l);
	pipe_with(p, 1);
	assert_int_equal(loop_fd_add(l, -1, LOOP_IN, 0, reader_fn, &r),
	    -EINVAL);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, NULL, &r), -EINVAL);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_ERR, 0, reader_fn, &r),
	    -EINVAL);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, reader_fn, &r), 0);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, reader_fn, &r),
	    -EEXIST);
	assert_int_equal(loop_fd_del(l, 12345), -ENOENT);
	assert_int_equal(loop_source_del(l, 1), -ENOENT);
	assert_int_equal(loop_source_add(l, NULL, timer_fire, NULL), -EINVAL);
	assert_int_equal(loop_source_add(l, timer_deadline, NULL, NULL),
	    -EINVAL);
	assert_int_equal(loop_signal_del(l, SIGUSR2), -ENOENT);
	assert_int_equal(loop_signal_add(l, SIGKILL, NULL, NULL), -EINVAL);
	/* A turn from inside a turn. */
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.nested_rc, -EBUSY);
	loop_free(l);
	close(p[0]), close(p[1]);
}

/* ---- signals ---- */

struct sig_seen {
	struct loop *l;
	int signo[4];
	int n;
	bool stop;
};

static void
sig_fn(void *arg, int signo)
{
	struct sig_seen *s = arg;

	assert_true(s->n < 4);
	s->signo[s->n++] = signo;
	if (s->stop)
		loop_stop(s->l);
}

static bool
sig_blocked(int signo)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, signo) == 1;
}

static void
test_signals(void **state)
{
	struct loop *l = loop_new();
	struct sig_seen s = { .l = l, .stop = true };
	sigset_t one;

	assert_non_null(l);
	assert_false(sig_blocked(SIGUSR1));
	assert_int_equal(loop_signal_add(l, SIGUSR1, sig_fn, &s), 0);
	assert_int_equal(loop_signal_add(l, SIGUSR1, sig_fn, &s), -EEXIST);
	assert_true(sig_blocked(SIGUSR1));
	assert_int_equal(loop_run_once(l, 0), 0);
	/* Raised before the wait, or during it: the loop wakes for it. */
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.signo[0], SIGUSR1);
	/* A second signal on the same descriptor. */
	assert_int_equal(loop_signal_add(l, SIGUSR2, sig_fn, &s), 0);
	s.stop = false;
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(loop_run_once(l, -1), 1);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.signo[1], SIGUSR2);
	/* Deleted: unblocked again, as before. */
	assert_int_equal(loop_signal_del(l, SIGUSR1), 0);
	assert_false(sig_blocked(SIGUSR1));
	assert_true(sig_blocked(SIGUSR2));
	loop_free(l);
	assert_false(sig_blocked(SIGUSR2));

	/* Blocked before the loop: still blocked after it. */
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	sigprocmask(SIG_BLOCK, &one, NULL);
	l = loop_new();
	assert_int_equal(loop_signal_add(l, SIGUSR2, sig_fn, &s), 0);
	loop_free(l);
	assert_true(sig_blocked(SIGUSR2));
	sigprocmask(SIG_UNBLOCK, &one, NULL);
}

/* ---- virtual loop ---- */

static void
test_virtual_time_order_and_ties(void **state)
{
	struct loop *l = loop_new_virtual(1000);
	struct log g = { .l = l };
	struct timer a, b, c, d;
	int p[2];

	assert_non_null(l);
	assert_int_equal(loop_now(l), 1000);
	timer_at(&a, &g, 'a', 1300);
	timer_at(&b, &g, 'b', 1100);
	timer_at(&c, &g, 'c', 1200);
	timer_at(&d, &g, 'd', 1100);
	c.when[1] = 1250;
	c.when[2] = MC_TIME_NEVER;
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &a), 1);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &b), 2);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &c), 3);
	assert_int_equal(loop_source_add(l, timer_deadline, timer_fire, &d), 4);
	/* Ties in the order the sources were added. */
	assert_int_equal(loop_run_once(l, -1), 2);
	assert_int_equal(loop_now(l), 1100);
	assert_int_equal(g.who[0], 'b');
	assert_int_equal(g.who[1], 'd');
	assert_int_equal(loop_run_once(l, -1), 1);
	assert_int_equal(loop_now(l), 1200);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(g.n, 5);
	assert_memory_equal(g.who, "bdcca", 5);
	assert_int_equal(g.at[0], 1100);
	assert_int_equal(g.at[1], 1100);
	assert_int_equal(g.at[2], 1200);
	assert_int_equal(g.at[3], 1250);
	assert_int_equal(g.at[4], 1300);
	assert_int_equal(g.clock[3], 1250);
	assert_int_equal(g.clock[4], 1300);
	/* Nothing left: time stays. */
	assert_int_equal(loop_now(l), 1300);
	assert_int_equal(loop_run_once(l, -1), 0);
	assert_int_equal(loop_now(l), 1300);
	/* A bounded turn with nothing due moves time by the bound. */
	assert_int_equal(loop_run_once(l, 25), 0);
	assert_int_equal(loop_now(l), 1325);
	/* No descriptors nor signals in virtual time. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_fd_add(l, p[0], LOOP_IN, 0, reader_fn, &a),
	    -ENOTSUP);
	assert_int_equal(loop_signal_add(l, SIGUSR1, sig_fn, NULL), -ENOTSUP);
	close(p[0]), close(p[1]);
	loop_free(l);
}

static void
test_virtual_run_until(void **state)
{
	struct loop *l = loop_new_virtual(0);
	struct log g = { .l = l };
	struct timer per, once, late;

	assert_non_null(l);
	timer_at(&per, &g, 'p', 30);
	per.period = 30;
	timer_at(&once, &g, 'o', 45);
	timer_at(&late, &g, 'l', 120);
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &per) > 0);
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &once) > 0);
	assert_true(loop_source_add(l, timer_deadline, timer_fire, &late) > 0);
	assert_int_equal(loop_run_until(l, 100), 0);
	assert_int_equal(loop_now(l), 100);
	assert_int_equal(g.n, 4);
	assert_memory_equal(g.who, "popp", 4);
	assert_int_equal(g.at[0], 30);
	assert_int_equal(g.at[1], 45);
	assert_int_equal(g.at[2], 60);
	assert_int_equal(g.at[3], 90);
	/* Up to and including until; ties in order added. */
	assert_int_equal(loop_run_until(l, 120), 0);
	assert_int_equal(loop_now(l), 120);
	assert_int_equal(g.n, 6);
	assert_memory_equal(g.who + 4, "pl", 2);
	assert_int_equal(g.at[4], 120);
	assert_int_equal(g.at[5], 120);
	/* A bounded turn jumps to a deadline within the bound. */
	assert_int_equal(loop_run_once(l, 29), 0);
	assert_int_equal(loop_now(l), 149);
	assert_int_equal(loop_run_once(l, 1), 1);
	assert_int_equal(loop_now(l), 150);
	/* Stopped in a timer: time stays where the stop was. */
	per.stop = true;
	assert_int_equal(loop_run_until(l, 1000), 0);
	assert_true(loop_stopped(l));
	assert_int_equal(loop_now(l), 180);
	assert_int_equal(g.n, 8);
	loop_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readable_fd_gets_its_budget),
		cmocka_unit_test(test_busy_fd_does_not_starve),
		cmocka_unit_test(test_deleted_in_turn_is_not_called),
		cmocka_unit_test(test_reuse_of_a_deleted_number_in_turn),
		cmocka_unit_test(test_stop_inside_a_turn),
		cmocka_unit_test(test_deadlines_in_order_never_early),
		cmocka_unit_test(test_sources_added_and_deleted_in_turn),
		cmocka_unit_test(test_deadline_asked_again_after_fds),
		cmocka_unit_test(test_run_until_real),
		cmocka_unit_test(test_out_hup_and_mod),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_virtual_time_order_and_ties),
		cmocka_unit_test(test_virtual_run_until),
	};

	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
