/*
 * The one event loop of mcastd and the mcast tools: epoll over file
 * descriptors registered with a callback, deadline sources taken from the
 * sans-I/O engines, and a read budget per descriptor so that one busy
 * socket cannot starve the others.  A virtual-time twin with the same
 * interface drives test/sim: no descriptors, time jumps to the next
 * deadline.
 *
 * A turn: ask every source its deadline, wait until a descriptor is ready
 * or the earliest deadline comes (never past it), call each ready
 * descriptor's callback once with its budget (the callback reads at most
 * that many messages; epoll is level-triggered, so what it left is reported
 * again next turn), read the clock, then ask each source its deadline again
 * and call the timer of every source whose deadline has come, in the order
 * the sources were added.  Sources are asked again because a descriptor
 * callback may have moved their deadline: a timer is never called early.
 *
 * Callbacks may add and delete descriptors, sources and signals, their own
 * included, and may stop the loop.  A descriptor deleted during a turn gets
 * no callback later in that turn, even if its number is added again; a
 * descriptor or source added during a turn is first served in the next.
 * Not from a callback: loop_free() and the loop_run*() functions (-EBUSY).
 */
#ifndef MCAST_LIB_LOOP_H
#define MCAST_LIB_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* What a descriptor is watched for, and what it reports (epoll's bits). */
#define LOOP_IN	 0x001u /* EPOLLIN */
#define LOOP_OUT 0x004u /* EPOLLOUT */
#define LOOP_ERR 0x008u /* EPOLLERR, always reported */
#define LOOP_HUP 0x010u /* EPOLLHUP, always reported */

/* Reads a descriptor callback may do per turn unless told otherwise. */
#define LOOP_DEFAULT_BUDGET 64

struct loop;

/*
 * fd is ready: events is what epoll reported (LOOP_*).  The callback
 * reads or writes at most budget messages.
 */
typedef void (*loop_fd_fn)(void *arg, int fd, uint32_t events, unsigned budget);
/* A source's next deadline (MC_TIME_NEVER: none). */
typedef mc_time_t (*loop_deadline_fn)(void *arg);
/* A source's deadline has come: run its timers at now. */
typedef void (*loop_timer_fn)(void *arg, mc_time_t now);
/* Signal signo arrived (called from the loop, not from a handler). */
typedef void (*loop_signal_fn)(void *arg, int signo);

/* Real time: CLOCK_MONOTONIC in ms.  NULL (errno set) on failure. */
struct loop *loop_new(void);
/* Virtual time starting at start; descriptors are refused (-ENOTSUP). */
struct loop *loop_new_virtual(mc_time_t start);
/*
 * Deletes every descriptor (the caller closes them), source and signal
 * (see loop_signal_del()).
 */
void loop_free(struct loop *l);

/* The loop's clock: monotonic ms (read now), or the virtual time. */
mc_time_t loop_now(const struct loop *l);

/*
 * Watch fd for events (LOOP_IN, LOOP_OUT); budget 0 = LOOP_DEFAULT_BUDGET.
 * 0, or -EEXIST, -EINVAL, -ENOMEM, -ENOTSUP (virtual), or epoll's -errno.
 * Delete fd before closing it.
 */
int loop_fd_add(struct loop *l, int fd, uint32_t events, unsigned budget,
    loop_fd_fn fn, void *arg);
/* Change what fd is watched for.  0 or -ENOENT / -EINVAL / -errno. */
int loop_fd_mod(struct loop *l, int fd, uint32_t events);
/* Stop watching fd (the caller closes it).  0 or -ENOENT. */
int loop_fd_del(struct loop *l, int fd);

/*
 * A deadline source: deadline() is asked before every wait and again
 * before timer() would be called; timer() is called when it has come, and
 * must move the deadline past now (or the loop does not wait).  A handle
 * > 0 (never reused), or -EINVAL (a NULL function), -ENOMEM.
 */
int loop_source_add(struct loop *l, loop_deadline_fn deadline,
    loop_timer_fn timer, void *arg);
/* 0 or -ENOENT. */
int loop_source_del(struct loop *l, int handle);

/*
 * Handle signal signo in the loop (signalfd): the loop blocks it in the
 * calling thread, and fn is called in the turn after it arrives.  One loop
 * per process should watch a given signal.  0, or -EEXIST, -EINVAL,
 * -ENOTSUP (virtual) or signalfd's -errno.
 */
int loop_signal_add(struct loop *l, int signo, loop_signal_fn fn, void *arg);
/*
 * Stop handling signo: unblocked again unless it was blocked before
 * loop_signal_add(), so one that came and was not yet handled goes to the
 * process's disposition (keep a handler installed if that must not kill).
 * 0 or -ENOENT.
 */
int loop_signal_del(struct loop *l, int signo);

/*
 * One turn, waiting at most max_wait_ms (-1: until a descriptor or a
 * deadline; 0: not at all).  The virtual loop does not wait: it sets its
 * time to the earliest deadline not later than now + max_wait_ms (-1: the
 * earliest there is; none: now + max_wait_ms, or unchanged with -1), never
 * back, and runs what is due.  The number of callbacks called (descriptor,
 * signal and timer), or a negative errno (epoll_wait failed, other than
 * EINTR; -EBUSY from a callback).
 */
int loop_run_once(struct loop *l, int max_wait_ms);
/*
 * Turn until loop_stop() (virtual loop: also until no source has a
 * deadline).  0, or the negative errno of a failed turn.
 */
int loop_run(struct loop *l);
/*
 * Virtual loop: run every deadline up to and including until, in time
 * order, then set the time to until (unless stopped first).  Real loop:
 * turn until the clock reaches until (and the sources due then have run),
 * or loop_stop().  0, or the negative errno of a failed turn.
 */
int loop_run_until(struct loop *l, mc_time_t until);
/*
 * Stop: no further callback is called in this turn, and loop_run() or
 * loop_run_until() returns after it.  Each loop_run*() call starts
 * unstopped.
 */
void loop_stop(struct loop *l);
/* Whether loop_stop() was called since the last loop_run*() began. */
bool loop_stopped(const struct loop *l);

#endif
