/*
 * The control socket's requests (daemon/control.h): dispatched here to the
 * views (show.c) or carried out on the router: reload, log LEVEL, add/del
 * mroute, join/leave, flush; their words are parsed in request.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "log.h"
#include "mcastd.h"
#include "request.h"

struct command_iface_find {
	const char *name;
	const char *state; /* NULL: no such interface */
};

static int
command_iface_find(void *arg, const struct router_iface_view *v)
{
	struct command_iface_find *f = arg;

	if (strcmp(v->name, f->name) != 0)
		return 0;
	f->state = router_iface_state_name(v->state);
	return 1;
}

/* ", waiting for eth9 (no such interface), eth+ (no VIF matches)" */
static void
command_route_waiting(struct mcastd *d, const struct router_route *rt,
    char *buf, size_t len)
{
	struct command_iface_find f;
	size_t off = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i <= rt->noifs && off < len; i++) {
		f.name = i == 0 ? rt->iif : rt->oifs[i - 1];
		f.state = NULL;
		if (conf_ifname_is_wildcard(f.name)) {
			if (router_vifs_matching(d->router, f.name) != 0)
				continue;
			f.state = "no VIF matches it now";
		} else if (router_vif_by_name(d->router, f.name) >= 0) {
			continue;
		} else {
			router_foreach_iface(d->router, command_iface_find, &f);
			if (f.state == NULL)
				f.state = "no such interface";
		}
		off += (size_t)snprintf(buf + off, len - off, "%s %s (%s)",
		    off ? "," : ", waiting for", f.name, f.state);
	}
}

/* A route as its words: "from eth0 group 239.1.0.0/16 to eth1 eth+". */
static void
command_route_words(const struct router_route *rt, char *buf, size_t len)
{
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	size_t off;
	unsigned i;

	off = (size_t)snprintf(buf, len, "from %s%s%s group %s", rt->iif,
	    rt->has_source ? " source " : "",
	    rt->has_source ? mcastd_ip_str(rt->source, s) : "",
	    mcastd_ip_str(rt->group, g));
	if (rt->group_len != 32 && off < len)
		off += (size_t)snprintf(buf + off, len - off, "/%u",
		    rt->group_len);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, " to");
	for (i = 0; i < rt->noifs && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s",
		    rt->oifs[i]);
}

struct command_shadow {
	const struct router_route *rt;
	bool shadowed;
};

static int
command_find_shadowed(void *arg, const struct router_route_view *v)
{
	struct command_shadow *s = arg;

	if (v->runtime && v->route->group.s_addr == s->rt->group.s_addr &&
	    v->route->group_len == s->rt->group_len &&
	    v->route->has_source == s->rt->has_source &&
	    v->route->source.s_addr == s->rt->source.s_addr)
		s->shadowed = v->shadowed;
	return 0;
}

static void
command_route_change(struct mcastd *d, bool add, int argc, char **argv,
    struct control_reply *r)
{
	struct router_route rt, old;
	struct command_shadow sh = { .rt = &rt };
	struct conf_mroute m;
	char msg[512], was[CONTROL_MAX_REQUEST], waiting[512];
	unsigned i;
	int rc;

	if (request_parse_route(argc, argv, add, &m, msg, sizeof(msg)) < 0) {
		control_end(r, 2, "%s", msg);
		return;
	}
	memset(&rt, 0, sizeof(rt));
	snprintf(rt.iif, sizeof(rt.iif), "%s", m.iif);
	rt.has_source = m.has_source;
	rt.source = m.source;
	rt.group = m.group;
	rt.group_len = m.group_len;
	for (i = 0; i < m.noifs && i < ROUTER_MAX_OIFS; i++)
		snprintf(rt.oifs[i], sizeof(rt.oifs[i]), "%s", m.oifs[i]);
	rt.noifs = i;
	if (add)
		rc = router_route_add(d->router, mcastd_now(), &rt, &old);
	else
		rc = router_route_del(d->router, mcastd_now(), &rt);
	outputs_apply(d);
	if (rc == -ENOSPC) {
		control_end(r, 1, "already %d run-time routes: expected fewer",
		    ROUTER_MAX_RUNTIME);
		return;
	} else if (rc == -ENOENT) {
		control_end(r, 1,
		    "no such run-time route (routes from the "
		    "configuration file change by reload)");
		return;
	} else if (rc < 0) {
		control_end(r, 1, "route refused: %s", strerror(-rc));
		return;
	} else if (!add) {
		control_end(r, 0, "route deleted");
		return;
	}
	/* What it replaced, what it waits for, what hides it. */
	was[0] = '\0';
	if (rc == 1)
		command_route_words(&old, was, sizeof(was));
	command_route_waiting(d, &rt, waiting, sizeof(waiting));
	router_foreach_route(d->router, command_find_shadowed, &sh);
	control_end(r, 0, "%s%s%s%s%s%s",
	    rc == 1 ? "route replaced" : "route added",
	    rc == 1 ? " (was: " : "", was, rc == 1 ? ")" : "", waiting,
	    sh.shadowed ? ", shadowed by the configuration file's route for "
			  "the same source and group" :
			  "");
}

static void
command_join_change(struct mcastd *d, bool join, int argc, char **argv,
    struct control_reply *r)
{
	struct router_static_group j;
	char msg[512];
	int rc;

	if (request_parse_join(argc, argv, join ? &d->conf.igmp : NULL, &j, msg,
		sizeof(msg)) < 0) {
		control_end(r, 2, "%s", msg);
		return;
	}
	rc = join ? router_join(d->router, mcastd_now(), &j) :
		    router_leave(d->router, mcastd_now(), &j);
	outputs_apply(d);
	if (rc == -ENOSPC)
		control_end(r, 1, "already %d static joins: expected fewer",
		    ROUTER_MAX_RUNTIME);
	else if (rc == -ENOENT)
		control_end(r, 1, "no such static join");
	else if (rc == -EEXIST)
		control_end(r, 0, "joined already");
	else if (rc < 0)
		control_end(r, 1, "refused: %s", strerror(-rc));
	else
		control_end(r, 0, "%s%s", join ? "joined" : "left",
		    router_vif_by_name(d->router, j.ifname) >= 0 ?
			"" :
			" (the interface is not a VIF now: applied when it is)");
}

/* mcastctl flush [GROUP] */
static void
command_flush(struct mcastd *d, int argc, char **argv, struct control_reply *r)
{
	char msg[512], g[INET_ADDRSTRLEN];
	struct in_addr group;
	bool has_group;
	unsigned n;

	if (request_parse_flush(argc, argv, &has_group, &group, msg,
		sizeof(msg)) < 0) {
		control_end(r, 2, "%s", msg);
		return;
	}
	n = router_flush(d->router, mcastd_now(), has_group ? &group : NULL);
	outputs_apply(d);
	log_info("flush%s%s: %u forwarding entr%s deleted",
	    has_group ? " " : "", has_group ? mcastd_ip_str(group, g) : "", n,
	    n == 1 ? "y" : "ies");
	control_end(r, 0, "%u forwarding entr%s flushed%s%s", n,
	    n == 1 ? "y" : "ies", has_group ? " for " : "",
	    has_group ? mcastd_ip_str(group, g) : "");
}

/* A request that matched no form: name the word and what it takes. */
static void
command_request_unknown(int argc, char **argv, struct control_reply *r)
{
	static const struct {
		const char *word, *form;
	} forms[] = {
		{ "show",
		    "show interfaces|groups|routes|neighbors|prunes|mfc|stats|status" },
		{ "reload", "reload" },
		{ "log", "log debug|info|notice|warning|error" },
		{ "add",
		    "add mroute from IF [source S] group G[/LEN] to IF..." },
		{ "del", "del mroute from IF [source S] group G[/LEN]" },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strcmp(argv[0], forms[i].word) == 0) {
			control_end(r, 2,
			    "'%s' with %d word%s after it: expected %s",
			    argv[0], argc - 1, argc == 2 ? "" : "s",
			    forms[i].form);
			return;
		}
	control_end(r, 2,
	    "unknown request '%s': expected show, reload,"
	    " log, add mroute, del mroute, join, leave or flush",
	    argv[0]);
}

void
command_request(void *arg, int argc, char **argv, struct control_reply *r)
{
	struct mcastd *d = arg;
	char msg[512];
	int level, rc;

	if (strcmp(argv[0], "show") == 0 && argc == 2) {
		show_view(d, argv[1], r);
	} else if (strcmp(argv[0], "reload") == 0 && argc == 1) {
		/* 3: applied, but a name matches no interface. */
		rc = mcastd_reload_reply(d, msg, sizeof(msg), r);
		control_end(r, rc < 0 ? 1 : rc > 0 ? 3 : 0, "%s", msg);
	} else if (strcmp(argv[0], "log") == 0 && argc == 2) {
		if ((level = log_level_parse(argv[1])) < 0) {
			control_end(r, 2,
			    "log level '%s': expected debug, "
			    "info, notice, warning or error",
			    argv[1]);
			return;
		}
		log_set_level(level);
		log_notice("log level now %s", log_level_name(level));
		control_end(r, 0, "log level %s", log_level_name(level));
	} else if ((strcmp(argv[0], "add") == 0 ||
		       strcmp(argv[0], "del") == 0) &&
	    argc >= 2 && strcmp(argv[1], "mroute") == 0) {
		command_route_change(d, argv[0][0] == 'a', argc - 2, argv + 2,
		    r);
	} else if (strcmp(argv[0], "flush") == 0) {
		command_flush(d, argc - 1, argv + 1, r);
	} else if (strcmp(argv[0], "join") == 0 ||
	    strcmp(argv[0], "leave") == 0) {
		command_join_change(d, argv[0][0] == 'j', argc - 1, argv + 1,
		    r);
	} else {
		command_request_unknown(argc, argv, r);
	}
}
