/* mcastd's log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static bool log_foreground = true;
static int log_level = LOG_NOTICE;

static const char *const log_names[] = {
	[LOG_EMERG] = "emerg",
	[LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",
	[LOG_ERR] = "error",
	[LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

void
log_init(bool foreground, int level)
{
	log_foreground = foreground;
	log_level = level;
	if (!foreground)
		openlog("mcastd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_level_parse(const char *name)
{
	int i;

	for (i = LOG_ERR; i <= LOG_DEBUG; i++)
		if (strcmp(name, log_names[i]) == 0)
			return i;
	if (strcmp(name, "warn") == 0 || strcmp(name, "err") == 0)
		return name[0] == 'w' ? LOG_WARNING : LOG_ERR;
	return -1;
}

const char *
log_level_name(int level)
{
	return level >= 0 && level <= LOG_DEBUG ? log_names[level] : "?";
}

void
log_set_level(int level)
{
	log_level = level;
}

int
log_get_level(void)
{
	return log_level;
}

static void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	if (prio > log_level)
		return;
	if (!log_foreground) {
		vsyslog(prio, fmt, ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld mcastd %s: ", when, ts.tv_nsec / 1000000,
	    log_names[prio]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_foreground) {
		fputs("mcastd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(LOG_ERR, fmt, ap);
	}
	va_end(ap);
	exit(1);
}

void
log_trace(void *arg, const char *line)
{
	const char *who = arg;

	log_debug("%s: %s", who ? who : "engine", line);
}

void
log_limited(struct log_limit *l, int64_t now_ms, uint64_t n, int prio,
    const char *fmt, ...)
{
	bool now = l->held == 0 && now_ms >= l->next_ms;
	va_list ap;

	if (n == 0)
		return;
	/* Formatted for a line now, or as the held ones' example: once. */
	if ((now || l->held == 0) && prio <= log_level) {
		va_start(ap, fmt);
		vsnprintf(l->last, sizeof(l->last), fmt, ap);
		va_end(ap);
	}
	l->prio = prio;
	if (now) {
		if (n == 1)
			log_msg(prio, "%s", l->last);
		else
			log_msg(prio, "%s (%llu of these)", l->last,
			    (unsigned long long)n);
		l->line_ms = now_ms;
		l->next_ms = now_ms + LOG_LIMIT_MS;
		return;
	}
	l->held += n;
	log_limit_flush(l, now_ms, false);
}

int64_t
log_limit_flush(struct log_limit *l, int64_t now_ms, bool force)
{
	if (l->held == 0)
		return INT64_MAX;
	if (!force && now_ms < l->next_ms)
		return l->next_ms;
	log_msg(l->prio, "%s (%llu more of these in %.1f s)", l->last,
	    (unsigned long long)l->held, (double)(now_ms - l->line_ms) / 1000);
	l->held = 0;
	l->line_ms = now_ms;
	l->next_ms = now_ms + LOG_LIMIT_MS;
	return INT64_MAX;
}
