/*
 * Shared by the `mcast` subcommands: argument parsing that exits with one
 * clear line and status 2 on bad input, JSON output helpers, time.
 */
#ifndef MCAST_TOOL_H
#define MCAST_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <mcast/mcast.h>

#include "engine.h"

#define EXIT_USAGE 2 /* bad command line */
#define EXIT_LOSS  1 /* loss, timeout, nobody answered */

/* Subcommands: argc/argv start at the subcommand name. */
int cmd_addr(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_join(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_pong(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_igmp(int argc, char **argv);
int cmd_mrinfo(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_mtrace(int argc, char **argv);
int cmd_file(int argc, char **argv);

/* Print "mcast: <message>" and exit(EXIT_USAGE). */
void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/*
 * getopt_long returned c (':' missing value, '?' unknown): one line naming
 * the option, exit 2.  Option strings start with ':' so the two differ.
 */
void option_error(const char *cmd, int c, char **argv)
    __attribute__((noreturn));
/* Print "mcast: warning: <message>". */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "" for 1, "s" for any other count: "1 datagram", "2 datagrams". */
const char *plural_s(unsigned long long n);

/* Parsers: on bad input they print what was given and what was expected,
 * then exit with EXIT_USAGE. */
void parse_group(const char *text, struct mc_ip *out);
void parse_group_endpoint(const char *text, struct mc_endpoint *out);
void parse_source(const char *text, const struct mc_ip *group,
    struct mc_ip *out);
/* parse_iface() also refuses an interface without the MULTICAST flag. */
void parse_iface(const char *text, struct mc_iface *out);
void parse_any_iface(const char *text, struct mc_iface *out);
int parse_ttl(const char *text);
/* "10", "1.5", "500ms", "2m": seconds as a double (> 0). */
double parse_duration(const char *text, const char *what);
/* "100", "10k", "2M": a positive count. */
uint64_t parse_count(const char *text, const char *what);

/*
 * Repeated operands and options are refused, exit 2.  option_once(): an
 * option that takes one value (-i IF) came again; *seen holds the first
 * value (NULL before).  refuse_repeated_ip(): ip (text as given) is one of
 * the n addresses before it; what names it ("group", "source").
 */
void option_once(const char **seen, const char *opt, const char *value,
    const char *what);
void refuse_repeated_ip(const struct mc_ip *before, int n,
    const struct mc_ip *ip, const char *text, const char *what);
/* "group 239.1.2.3 given twice: expected each group once", exit 2. */
void repeated_error(const char *what, const char *text, const char *canonical)
    __attribute__((noreturn));

/*
 * What to add to "cannot join/send ...: <error>" when the kernel found no
 * interface (ENODEV, ENETUNREACH, or EINVAL for an IPv6 link-scope group
 * without a zone): ": give -i IF ..." for group, or "" for other errors
 * or when an interface was given.
 */
const char *no_iface_hint(const struct mc_ip *group, int err, bool has_iface);

/* Warnings a sender or receiver deserves before it starts. */
void warn_group_scope(const struct mc_ip *group, int ttl);
/*
 * Exit 2 when a source-specific join cannot work because the interface (or,
 * with iface NULL, the host) is pinned to IGMPv1/v2 or MLDv1, which cannot
 * carry sources.
 */
void require_ssm_capable(const struct mc_iface *iface, sa_family_t family);
/* The random 32-bit id a sender or pinger puts in its datagrams. */
uint32_t random_u32(void);
/* "239.1.2.3:5000" or "[ff05::1]:5000" of a sockaddr (buf >= 64). */
const char *sockaddr_str(const struct sockaddr *sa, char *buf, size_t len);

#include "text.h" /* json_string, text_safe */

/* Clocks. */
int64_t now_monotonic_ns(void);
int64_t now_realtime_ns(void);

/* Set by SIGINT/SIGTERM handlers installed with install_stop_signals(). */
extern volatile sig_atomic_t stop_requested;
void install_stop_signals(void);

/*
 * The event loop (lib/loop.h) of a subcommand that waits on sockets:
 * SIGINT and SIGTERM stop it and set stop_requested (the handlers are
 * installed too, for the time outside the loop).  Exits 1 on failure.
 */
struct loop;
struct loop *tool_loop_new(void);
/* loop_run() unless a stop was requested already; exits 1 on failure. */
void tool_loop_run(struct loop *l);
/* Monotonic ns to the loop's ms, rounded up: due then means due. */
mc_time_t tool_loop_ms(int64_t mono_ns);

#endif
