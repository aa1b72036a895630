/*
 * The arguments of the control requests that change the router (answered
 * in daemon/show.c): add/del mroute and join/leave, parsed without I/O.
 * A route to add passes the checks of an mroute statement in mcastd.conf:
 * what the file refuses, the socket refuses too.
 */
#ifndef MCASTD_REQUEST_H
#define MCASTD_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

struct conf_mroute;
struct router_static_group;

/*
 * "from IF [source S] group G", with "to IF..." after it to add (add is
 * true): 0 and *m, or -1 with a message in msg.
 */
int request_parse_route(int argc, char **argv, bool add, struct conf_mroute *m,
    char *msg, size_t len);
/* "IF GROUP [source S]": 0 and *j, or -1 with a message in msg. */
int request_parse_join(int argc, char **argv, struct router_static_group *j,
    char *msg, size_t len);
/*
 * "flush [GROUP]": 0 with *has_group and *group, or -1 with a message in
 * msg.
 */
struct in_addr;
int request_parse_flush(int argc, char **argv, bool *has_group,
    struct in_addr *group, char *msg, size_t len);

#endif
