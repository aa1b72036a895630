/*
 * mcastd's log: stderr in the foreground, syslog otherwise; the level can
 * change at run time (mcastctl log LEVEL).
 */
#ifndef MCASTD_LOG_H
#define MCASTD_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

void log_init(bool foreground, int level);
int log_level_parse(const char *name); /* LOG_DEBUG ... or -1 */
const char *log_level_name(int level);
void log_set_level(int level);
int log_get_level(void);

void log_msg(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)

/* Start-up errors only: log and exit(1). */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* A trace callback for the engines (proto/engine.h) at debug level. */
void log_trace(void *arg, const char *line);

/*
 * Rate-limited lines for things that come by the packet (bad IGMP, limits
 * hit, querier changes): the first of a kind is logged at once, the ones
 * within the next LOG_LIMIT_MS are counted and summed up in one line when
 * the interval is over:
 *   eth1: IGMP from 198.18.2.20 dropped: bad checksum
 *   eth1: IGMP from 198.18.2.20 dropped: bad checksum (9999 more of these in 10.0 s)
 * (the second line shows the first of the 9999).
 */
#define LOG_LIMIT_MS 10000

struct log_limit {
	int64_t next_ms; /* no line of this kind before then */
	int64_t line_ms; /* the last line */
	uint64_t held;	 /* events since the last line */
	int prio;
	char last[256]; /* the line, or the first held */
};

/*
 * n events of one kind, fmt describing them; formatted only for a line or
 * as the example of the ones held back (the first of them).
 */
void log_limited(struct log_limit *l, int64_t now_ms, uint64_t n, int prio,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * The line for the events held back once the interval is over (at once
 * with force); when to call again (INT64_MAX: nothing is held).
 */
int64_t log_limit_flush(struct log_limit *l, int64_t now_ms, bool force);

#endif
