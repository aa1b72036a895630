/*
 * The arguments of the control requests that change the router (answered
 * in daemon/command.c): add/del mroute and join/leave, parsed without I/O.
 * A route to add passes the checks of an mroute statement in mcastd.conf:
 * what the file refuses, the socket refuses too.
 */
#ifndef MCASTD_REQUEST_H
#define MCASTD_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

struct conf_mroute;
struct igmp_router_config;
struct router_static_group;

/*
 * "from IF [source S] group G[/LEN]", with "to IF..." after it to add (add
 * is true): 0 and *m, or -1 with a message in msg.  The words pass the
 * checks of mcastd.conf's (conf.h, conf_check_*), the route to add the
 * whole mroute statement's.
 */
int request_parse_route(int argc, char **argv, bool add, struct conf_mroute *m,
    char *msg, size_t len);
/*
 * "IF GROUP [source S]": 0 and *j, or -1 with a message in msg.  The
 * checks of a static-group in mcastd.conf: a group that may be routed, a
 * unicast source, and (when igmp is given: a join, not a leave) no
 * any-source join in igmp's SSM range.
 */
int request_parse_join(int argc, char **argv,
    const struct igmp_router_config *igmp, struct router_static_group *j,
    char *msg, size_t len);
/*
 * "flush [GROUP]": 0 with *has_group and *group, or -1 with a message in
 * msg.
 */
struct in_addr;
int request_parse_flush(int argc, char **argv, bool *has_group,
    struct in_addr *group, char *msg, size_t len);

#endif
