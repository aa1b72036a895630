/* The one event loop (lib/loop.h): epoll, deadline sources, signalfd. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/signalfd.h>

#include "loop.h"

_Static_assert(LOOP_IN == EPOLLIN && LOOP_OUT == EPOLLOUT &&
	LOOP_ERR == EPOLLERR && LOOP_HUP == EPOLLHUP,
    "LOOP_* are epoll's bits");

#define LOOP_REPORTED	(LOOP_IN | LOOP_OUT | LOOP_ERR | LOOP_HUP)
#define LOOP_MIN_EVENTS 8
#define LOOP_MAX_EVENTS 1024 /* per epoll_wait; the rest next turn */

struct loop_fd {
	SLIST_ENTRY(loop_fd) dead_link;
	int fd;
	uint32_t events;
	unsigned budget;
	loop_fd_fn fn;
	void *arg;
	bool dead;     /* deleted during this turn */
	bool internal; /* the signalfd: not counted */
};

struct loop_source {
	TAILQ_ENTRY(loop_source) link;
	int handle;
	loop_deadline_fn deadline;
	loop_timer_fn timer;
	void *arg;
	bool dead; /* deleted during this turn */
};

struct loop_signal {
	loop_signal_fn fn;
	void *arg;
};

struct loop {
	bool virtual;
	mc_time_t vnow; /* virtual time */
	int epfd;
	struct loop_fd **fdtab; /* by descriptor number */
	int fdtab_len;
	int nfds; /* live entries in fdtab */
	struct epoll_event *evs;
	int evcap;
	SLIST_HEAD(, loop_fd) dead_fds; /* freed after the turn */
	TAILQ_HEAD(loop_source_head, loop_source) sources;
	bool dead_sources; /* to reap after the turn */
	int next_handle;
	int sigfd;	     /* -1 until a signal is added */
	sigset_t sigwatch;   /* signals given to sigfd */
	sigset_t sigblocked; /* those we blocked ourselves */
	struct loop_signal sig[_NSIG];
	int calls; /* callbacks in this turn */
	bool idle; /* virtual: nothing came due */
	bool in_turn;
	bool stopped;
};

static mc_time_t
loop_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (mc_time_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct loop *
loop_alloc(bool virtual, mc_time_t start)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->virtual = virtual;
	l->vnow = start;
	l->epfd = -1;
	l->sigfd = -1;
	l->next_handle = 1;
	SLIST_INIT(&l->dead_fds);
	TAILQ_INIT(&l->sources);
	sigemptyset(&l->sigwatch);
	sigemptyset(&l->sigblocked);
	return l;
}

struct loop *
loop_new(void)
{
	struct loop *l = loop_alloc(false, 0);
	int saved;

	if (l == NULL)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		saved = errno;
		free(l);
		errno = saved;
		return NULL;
	}
	return l;
}

struct loop *
loop_new_virtual(mc_time_t start)
{
	return loop_alloc(true, start);
}

static void
loop_reap(struct loop *l)
{
	struct loop_source *s, *next;
	struct loop_fd *f;

	while ((f = SLIST_FIRST(&l->dead_fds)) != NULL) {
		SLIST_REMOVE_HEAD(&l->dead_fds, dead_link);
		free(f);
	}
	if (!l->dead_sources)
		return;
	for (s = TAILQ_FIRST(&l->sources); s != NULL; s = next) {
		next = TAILQ_NEXT(s, link);
		if (s->dead) {
			TAILQ_REMOVE(&l->sources, s, link);
			free(s);
		}
	}
	l->dead_sources = false;
}

void
loop_free(struct loop *l)
{
	struct loop_source *s;
	int fd;

	if (l == NULL)
		return;
	for (fd = 0; fd < l->fdtab_len; fd++)
		free(l->fdtab[fd]);
	free(l->fdtab);
	loop_reap(l);
	while ((s = TAILQ_FIRST(&l->sources)) != NULL) {
		TAILQ_REMOVE(&l->sources, s, link);
		free(s);
	}
	sigprocmask(SIG_UNBLOCK, &l->sigblocked, NULL);
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l->evs);
	free(l);
}

mc_time_t
loop_now(const struct loop *l)
{
	return l->virtual ? l->vnow : loop_clock();
}

/* ---- descriptors ---- */

static struct loop_fd *
loop_fd_find(const struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->fdtab_len)
		return NULL;
	return l->fdtab[fd];
}

static int
loop_fdtab_grow(struct loop *l, int fd)
{
	struct loop_fd **n;
	int len;

	if (fd < l->fdtab_len)
		return 0;
	len = l->fdtab_len ? l->fdtab_len : 16;
	while (len <= fd)
		len = len > INT_MAX / 2 ? INT_MAX : len * 2;
	n = realloc(l->fdtab, (size_t)len * sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	memset(n + l->fdtab_len, 0, (size_t)(len - l->fdtab_len) * sizeof(*n));
	l->fdtab = n;
	l->fdtab_len = len;
	return 0;
}

int
loop_fd_add(struct loop *l, int fd, uint32_t events, unsigned budget,
    loop_fd_fn fn, void *arg)
{
	struct epoll_event ev;
	struct loop_fd *f;
	int rc;

	if (l->virtual)
		return -ENOTSUP;
	if (fd < 0 || fn == NULL || (events & ~(LOOP_IN | LOOP_OUT)) != 0)
		return -EINVAL;
	if (loop_fd_find(l, fd) != NULL)
		return -EEXIST;
	if ((rc = loop_fdtab_grow(l, fd)) < 0)
		return rc;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -ENOMEM;
	f->fd = fd;
	f->events = events;
	f->budget = budget ? budget : LOOP_DEFAULT_BUDGET;
	f->fn = fn;
	f->arg = arg;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = f;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		rc = -errno;
		free(f);
		return rc;
	}
	l->fdtab[fd] = f;
	l->nfds++;
	return 0;
}

int
loop_fd_mod(struct loop *l, int fd, uint32_t events)
{
	struct loop_fd *f = loop_fd_find(l, fd);
	struct epoll_event ev;

	if (f == NULL)
		return -ENOENT;
	if ((events & ~(LOOP_IN | LOOP_OUT)) != 0)
		return -EINVAL;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = f;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	f->events = events;
	return 0;
}

int
loop_fd_del(struct loop *l, int fd)
{
	struct loop_fd *f = loop_fd_find(l, fd);

	if (f == NULL)
		return -ENOENT;
	/* Fails only if fd was closed first; it is forgotten either way. */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fdtab[fd] = NULL;
	l->nfds--;
	if (l->in_turn) {
		/* This turn's events may still point at it. */
		f->dead = true;
		SLIST_INSERT_HEAD(&l->dead_fds, f, dead_link);
	} else {
		free(f);
	}
	return 0;
}

/* ---- deadline sources ---- */

int
loop_source_add(struct loop *l, loop_deadline_fn deadline, loop_timer_fn timer,
    void *arg)
{
	struct loop_source *s;

	if (deadline == NULL || timer == NULL)
		return -EINVAL;
	if (l->next_handle == INT_MAX)
		return -ENOSPC;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -ENOMEM;
	s->handle = l->next_handle++;
	s->deadline = deadline;
	s->timer = timer;
	s->arg = arg;
	TAILQ_INSERT_TAIL(&l->sources, s, link);
	return s->handle;
}

int
loop_source_del(struct loop *l, int handle)
{
	struct loop_source *s;

	TAILQ_FOREACH(s, &l->sources, link) {
		if (s->handle != handle || s->dead)
			continue;
		if (l->in_turn) {
			s->dead = true;
			l->dead_sources = true;
		} else {
			TAILQ_REMOVE(&l->sources, s, link);
			free(s);
		}
		return 0;
	}
	return -ENOENT;
}

/* The earliest deadline of the live sources (MC_TIME_NEVER: none). */
static mc_time_t
loop_earliest(struct loop *l)
{
	struct loop_source *s;
	mc_time_t next = MC_TIME_NEVER, t;

	TAILQ_FOREACH(s, &l->sources, link) {
		if (s->dead)
			continue;
		if ((t = s->deadline(s->arg)) < next)
			next = t;
	}
	return next;
}

/*
 * Call the timer of every source due at now, in the order they were added;
 * those added during this turn (handle > last) wait for the next.
 */
static void
loop_run_sources(struct loop *l, mc_time_t now, int last)
{
	struct loop_source *s;
	mc_time_t t;

	TAILQ_FOREACH(s, &l->sources, link) {
		if (l->stopped)
			return;
		if (s->dead || s->handle > last)
			continue;
		if ((t = s->deadline(s->arg)) == MC_TIME_NEVER || t > now)
			continue;
		l->calls++;
		s->timer(s->arg, now);
	}
}

/* ---- signals ---- */

static void
loop_signal_read(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct loop *l = arg;
	struct signalfd_siginfo si;
	unsigned n;
	int signo;

	/* One at a time: what a stop leaves unread stays pending. */
	for (n = 0; n < budget && !l->stopped; n++) {
		if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			return;
		signo = (int)si.ssi_signo;
		if (signo <= 0 || signo >= _NSIG || l->sig[signo].fn == NULL)
			continue;
		l->calls++;
		l->sig[signo].fn(l->sig[signo].arg, signo);
	}
}

int
loop_signal_add(struct loop *l, int signo, loop_signal_fn fn, void *arg)
{
	sigset_t one, old, watch;
	int fd, rc;

	if (l->virtual)
		return -ENOTSUP;
	if (signo <= 0 || signo >= _NSIG || signo == SIGKILL ||
	    signo == SIGSTOP || fn == NULL)
		return -EINVAL;
	if (sigismember(&l->sigwatch, signo) == 1)
		return -EEXIST;
	sigemptyset(&one);
	sigaddset(&one, signo);
	if (sigprocmask(SIG_BLOCK, &one, &old) < 0)
		return -errno;
	watch = l->sigwatch;
	sigaddset(&watch, signo);
	fd = signalfd(l->sigfd, &watch, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto unblock;
	}
	if (l->sigfd < 0) {
		rc = loop_fd_add(l, fd, LOOP_IN, 0, loop_signal_read, l);
		if (rc < 0) {
			close(fd);
			goto unblock;
		}
		l->sigfd = fd;
		l->fdtab[fd]->internal = true;
	}
	l->sigwatch = watch;
	if (sigismember(&old, signo) == 0)
		sigaddset(&l->sigblocked, signo);
	l->sig[signo].fn = fn;
	l->sig[signo].arg = arg;
	return 0;
unblock:
	if (sigismember(&old, signo) == 0)
		sigprocmask(SIG_UNBLOCK, &one, NULL);
	return rc;
}

int
loop_signal_del(struct loop *l, int signo)
{
	sigset_t one;

	if (signo <= 0 || signo >= _NSIG ||
	    sigismember(&l->sigwatch, signo) != 1)
		return -ENOENT;
	sigdelset(&l->sigwatch, signo);
	/* Only a bad mask fails; the handler is forgotten either way. */
	signalfd(l->sigfd, &l->sigwatch, SFD_NONBLOCK | SFD_CLOEXEC);
	l->sig[signo].fn = NULL;
	l->sig[signo].arg = NULL;
	if (sigismember(&l->sigblocked, signo) == 1) {
		sigdelset(&l->sigblocked, signo);
		sigemptyset(&one);
		sigaddset(&one, signo);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
	}
	return 0;
}

/* ---- turns ---- */

/* epoll_wait's timeout: until next, at most max_wait_ms (-1: no cap). */
static int
loop_timeout(mc_time_t now, mc_time_t next, int max_wait_ms)
{
	mc_time_t wait;

	if (next == MC_TIME_NEVER)
		return max_wait_ms < 0 ? -1 : max_wait_ms;
	wait = next > now ? next - now : 0;
	if (max_wait_ms >= 0 && wait > max_wait_ms)
		wait = max_wait_ms;
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

static void
loop_events_size(struct loop *l)
{
	struct epoll_event *n;
	int want = l->nfds;

	if (want < LOOP_MIN_EVENTS)
		want = LOOP_MIN_EVENTS;
	if (want > LOOP_MAX_EVENTS)
		want = LOOP_MAX_EVENTS;
	if (want <= l->evcap)
		return;
	/* Without more room, fewer events per turn: still correct. */
	if ((n = realloc(l->evs, (size_t)want * sizeof(*n))) == NULL)
		return;
	l->evs = n;
	l->evcap = want;
}

static int
loop_turn_real(struct loop *l, int max_wait_ms, int last)
{
	struct loop_fd *f;
	mc_time_t now;
	int n, i, timeout;

	loop_events_size(l);
	if (l->evcap == 0)
		return -ENOMEM;
	now = loop_clock();
	timeout = loop_timeout(now, loop_earliest(l), max_wait_ms);
	if (l->stopped)
		return 0;
	n = epoll_wait(l->epfd, l->evs, l->evcap, timeout);
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	for (i = 0; i < n && !l->stopped; i++) {
		f = l->evs[i].data.ptr;
		if (f->dead)
			continue;
		if (!f->internal)
			l->calls++;
		f->fn(f->arg, f->fd, l->evs[i].events & LOOP_REPORTED,
		    f->budget);
	}
	loop_run_sources(l, loop_clock(), last);
	return 0;
}

/*
 * Jump to the earliest deadline if it is not later than limit, and run what
 * is due then; otherwise move to limit (MC_TIME_NEVER: stay) and idle.
 */
static int
loop_turn_virtual(struct loop *l, mc_time_t limit, int last)
{
	mc_time_t next = loop_earliest(l);

	l->idle = next == MC_TIME_NEVER || next > limit;
	if (l->idle) {
		if (limit != MC_TIME_NEVER && limit > l->vnow)
			l->vnow = limit;
		return 0;
	}
	if (next > l->vnow)
		l->vnow = next;
	loop_run_sources(l, l->vnow, last);
	return 0;
}

/*
 * One turn, waiting at most max_wait_ms (real) or jumping at most to vlimit
 * (virtual); the stop flag is left as it is.
 */
static int
loop_turn(struct loop *l, int max_wait_ms, mc_time_t vlimit)
{
	struct loop_source *s;
	int last = 0, rc;

	s = TAILQ_LAST(&l->sources, loop_source_head);
	if (s != NULL)
		last = s->handle;
	l->calls = 0;
	l->in_turn = true;
	if (l->virtual)
		rc = loop_turn_virtual(l, vlimit, last);
	else
		rc = loop_turn_real(l, max_wait_ms, last);
	l->in_turn = false;
	loop_reap(l);
	return rc < 0 ? rc : l->calls;
}

int
loop_run_once(struct loop *l, int max_wait_ms)
{
	mc_time_t vlimit = MC_TIME_NEVER;

	if (l->in_turn)
		return -EBUSY;
	l->stopped = false;
	if (max_wait_ms >= 0 && l->vnow < MC_TIME_NEVER - max_wait_ms)
		vlimit = l->vnow + max_wait_ms;
	return loop_turn(l, max_wait_ms, vlimit);
}

int
loop_run(struct loop *l)
{
	int rc;

	if (l->in_turn)
		return -EBUSY;
	l->stopped = false;
	while (!l->stopped) {
		if ((rc = loop_turn(l, -1, MC_TIME_NEVER)) < 0)
			return rc;
		if (l->virtual && l->idle)
			break;
	}
	return 0;
}

int
loop_run_until(struct loop *l, mc_time_t until)
{
	mc_time_t now;
	int rc;

	if (l->in_turn)
		return -EBUSY;
	l->stopped = false;
	if (l->virtual) {
		while (!l->stopped) {
			if ((rc = loop_turn(l, 0, until)) < 0)
				return rc;
			if (l->idle)
				break;
		}
		return 0;
	}
	while (!l->stopped && (now = loop_clock()) < until) {
		rc = loop_turn(l,
		    until - now > INT_MAX ? INT_MAX : (int)(until - now), 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void
loop_stop(struct loop *l)
{
	l->stopped = true;
}

bool
loop_stopped(const struct loop *l)
{
	return l->stopped;
}
