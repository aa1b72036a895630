/*
 * mcastd's log: stderr in the foreground, syslog otherwise; the level can
 * change at run time (mcastctl log LEVEL).
 */
#ifndef MCASTD_LOG_H
#define MCASTD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void	log_init(bool foreground, int level);
int	log_level_parse(const char *name);	/* LOG_DEBUG ... or -1 */
const char *log_level_name(int level);
void	log_set_level(int level);
int	log_get_level(void);

void	log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)

/* Start-up errors only: log and exit(1). */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* A trace callback for the engines (proto/engine.h) at debug level. */
void	log_trace(void *arg, const char *line);

#endif
