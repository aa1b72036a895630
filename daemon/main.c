/*
 * mcastd: a multicast router for Linux in the mrouted tradition.  The
 * kernel forwards; mcastd decides.  It owns the kernel's multicast routing
 * socket and keeps the kernel's VIFs and forwarding cache where one router
 * (proto/router.h: an IGMP engine per VIF, the forwarding composer, static
 * routes and memberships) says they should be.
 *
 * One straight path: rx.c reads a packet -> router_rx.c tells it apart ->
 * igmp_router.c updates membership -> mfc.c composes the entry ->
 * outputs.c writes it with kmr.c.  This file starts and stops the daemon
 * and runs the event loop (lib/loop.h) over its descriptors: the routing
 * socket, netlink, the control socket, the TTL tap, the tunnels
 * (daemon/tun.c), signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cap-ng.h>
#include <sys/stat.h>

#include "mcastd.h"

#define MCASTD_DEFAULT_CONF    "/etc/mcastd.conf"
#define MCASTD_DEFAULT_SOCKET  "/run/mcastd.sock"
#define MCASTD_DEFAULT_PIDFILE "/run/mcastd.pid"

mc_time_t
mcastd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (mc_time_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
mcastd_ip_str(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* ---- interfaces (netlink) ---- */

static void
netlink_event(void *arg, const struct netlink_msg *m)
{
	struct mcastd *d = arg;

	switch (m->kind) {
	case NETLINK_LINK_NEW:
		router_link(d->router, m->ifindex, m->name, m->flags);
		break;
	case NETLINK_LINK_DEL:
		router_link_del(d->router, m->ifindex);
		break;
	case NETLINK_ADDR_NEW:
		router_addr_add(d->router, m->ifindex, m->addr, m->prefix_len);
		break;
	case NETLINK_ADDR_DEL:
		/* Another address may stay that no event names again. */
		if (router_addr_del(d->router, m->ifindex, m->addr))
			d->addresses_lost = true;
		break;
	}
}

/* Read the links and addresses again (a lost address, lost events). */
static int
netlink_relist(struct mcastd *d)
{
	return netlink_dump(d->nl_dump, netlink_event, d);
}

static void
netlink_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct mcastd *d = arg;
	int rc;

	rc = netlink_read(d->nl, netlink_event, d);
	if (rc == -ENOBUFS) {
		/* Events were lost: start from a fresh list. */
		d->stats.netlink_resyncs++;
		netlink_relist(d);
	}
	if (d->addresses_lost) {
		d->addresses_lost = false;
		netlink_relist(d);
	}
	router_reconcile(d->router, mcastd_now());
	outputs_apply(d);
}

/* ---- the kernel's counters ---- */

static void
counters_one(void *arg, const struct netlink_mfc *m)
{
	struct mcastd *d = arg;

	router_mfc_counters(d->router, mcastd_now(), m->source, m->group,
	    m->packets, m->bytes, m->wrong_if);
}

void
mcastd_read_counters(struct mcastd *d, mc_time_t now)
{
	d->stats.counter_reads++;
	if (netlink_mfc_dump(d->nl_dump, counters_one, d) < 0)
		d->stats.counter_errors++;
	d->next_counter_poll = now + MCASTD_COUNTER_POLL_MS;
}

/* ---- the loop's sources ---- */

static void
routing_socket_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	rx_read(arg, budget);
}

static mc_time_t
router_deadline(void *arg)
{
	const struct mcastd *d = arg;
	mc_time_t next = router_next_deadline(d->router);

	return d->next_counter_poll < next ? d->next_counter_poll : next;
}

static void
router_timer(void *arg, mc_time_t now)
{
	struct mcastd *d = arg;

	if (now >= d->next_counter_poll)
		mcastd_read_counters(d, now);
	if (router_next_deadline(d->router) <= now)
		router_timeout(d->router, now);
	outputs_apply(d);
}

static void tap_sync(struct mcastd *d, mc_time_t now);

static void
tap_sample(void *arg, const struct ttltap_sample *ts)
{
	struct mcastd *d = arg;

	router_ttl_sample(d->router, mcastd_now(), ts->ifindex, ts->source,
	    ts->group, ts->ttl);
}

static void
tap_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct mcastd *d = arg;
	mc_time_t now = mcastd_now();

	ttltap_read(&d->tap, now, tap_sample, d);
	outputs_apply(d);
	tap_sync(d, now);
}

/* The tap is watched while its second's budget lasts (ttltap.h). */
static void
tap_sync(struct mcastd *d, mc_time_t now)
{
	bool want = ttltap_poll_fd(&d->tap, now) >= 0;

	if (want == d->tap_watched)
		return;
	if (want)
		loop_fd_add(d->loop, d->tap.fd, LOOP_IN, 1, tap_in, d);
	else
		loop_fd_del(d->loop, d->tap.fd);
	d->tap_watched = want;
}

static mc_time_t
tap_deadline(void *arg)
{
	struct mcastd *d = arg;

	return ttltap_deadline(&d->tap, mcastd_now());
}

static void
tap_timer(void *arg, mc_time_t now)
{
	tap_sync(arg, now);
}

static mc_time_t
notes_deadline(void *arg)
{
	return events_flush(arg, mcastd_now(), false);
}

static void
notes_timer(void *arg, mc_time_t now)
{
	events_flush(arg, now, false);
}

/* ---- the control socket in the loop ---- */

static void control_in(void *arg, int fd, uint32_t events, unsigned budget);

/* The socket closes a client: the loop forgets it first. */
static void
control_closing(void *arg, int fd)
{
	struct mcastd *d = arg;
	int i;

	for (i = 0; i < d->nctl_fds; i++)
		if (d->ctl_fds[i] == fd) {
			loop_fd_del(d->loop, fd);
			d->ctl_fds[i] = d->ctl_fds[--d->nctl_fds];
			return;
		}
}

/* Watch the descriptors the control socket has now, for what it wants. */
static void
control_sync(struct mcastd *d)
{
	int fds[MCASTD_MAX_CONTROL_FDS], i, k, n;
	short ev[MCASTD_MAX_CONTROL_FDS];
	uint32_t want;

	n = control_fds(d->ctl, fds, ev, MCASTD_MAX_CONTROL_FDS);
	for (i = 0; i < n; i++) {
		want = (ev[i] & POLLOUT) ? LOOP_OUT : LOOP_IN;
		for (k = 0; k < d->nctl_fds; k++)
			if (d->ctl_fds[k] == fds[i])
				break;
		if (k < d->nctl_fds) {
			loop_fd_mod(d->loop, fds[i], want);
			continue;
		}
		if (loop_fd_add(d->loop, fds[i], want, 1, control_in, d) == 0)
			d->ctl_fds[d->nctl_fds++] = fds[i];
	}
}

static void
control_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct mcastd *d = arg;
	short revents = 0;

	if (events & LOOP_IN)
		revents |= POLLIN;
	if (events & LOOP_OUT)
		revents |= POLLOUT;
	if (events & LOOP_HUP)
		revents |= POLLHUP;
	if (events & LOOP_ERR)
		revents |= POLLERR;
	control_service(d->ctl, fd, revents, mcastd_now());
	control_sync(d);
}

static mc_time_t
control_deadline(void *arg)
{
	struct mcastd *d = arg;

	return control_expire(d->ctl, mcastd_now());
}

static void
control_timer(void *arg, mc_time_t now)
{
	struct mcastd *d = arg;

	control_expire(d->ctl, now);
	control_sync(d);
}

/* ---- signals ---- */

static void
signal_in(void *arg, int signo)
{
	struct mcastd *d = arg;
	char msg[512];

	if (signo == SIGHUP)
		mcastd_reload(d, msg, sizeof(msg));
	else
		loop_stop(d->loop);
}

/* ---- start and stop ---- */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mcastd [-f CONF] [-n] [-u SOCKET] [-p PIDFILE] [-l LEVEL] "
	    "[-g GROUP]\n"
	    "              [-U USER]\n"
	    "       mcastd -t [-f CONF]\n"
	    "       mcastd -h | --help | -V | --version\n"
	    "  -f CONF     configuration (default %s)\n"
	    "  -n          log to standard error instead of syslog\n"
	    "  -u SOCKET   control socket (default %s)\n"
	    "  -p PIDFILE  pid file (default %s)\n"
	    "  -l LEVEL    debug, info, notice (default), warning, error\n"
	    "  -g GROUP    the group owning the control socket\n"
	    "  -U USER     run as USER after set-up (with CAP_NET_ADMIN and "
	    "CAP_NET_RAW)\n"
	    "  -t          check the configuration, print it normalised, exit\n"
	    "  -h, --help     this text\n"
	    "  -V, --version  the version\n",
	    MCASTD_DEFAULT_CONF, MCASTD_DEFAULT_SOCKET, MCASTD_DEFAULT_PIDFILE);
}

static int
write_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		n = -errno;
		close(fd);
		unlink(path);
		return n ? n : -EIO;
	}
	close(fd);
	return 0;
}

/*
 * After set-up only CAP_NET_ADMIN (the MRT socket, VIFs, MFC) and
 * CAP_NET_RAW (IGMP out) are needed; with -U, as that user and its group.
 */
static void
drop_privileges(const struct passwd *pw)
{
	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_ADMIN, CAP_NET_RAW, -1);
	if (pw != NULL) {
		if (capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
			CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) < 0)
			fatal("cannot become user %s (uid %u, gid %u) keeping "
			      "CAP_NET_ADMIN and CAP_NET_RAW: expected to be "
			      "started as root",
			    pw->pw_name, (unsigned)pw->pw_uid,
			    (unsigned)pw->pw_gid);
		return;
	}
	if (capng_apply(CAPNG_SELECT_BOTH) < 0)
		log_warn("cannot drop privileges to CAP_NET_ADMIN and "
			 "CAP_NET_RAW; running with all of them");
}

struct options {
	const char *sock_path;
	const char *pidfile;
	bool foreground;
	bool check;
	int level;
	gid_t gid;
	struct passwd *pw;
};

static void
parse_options(int argc, char **argv, struct mcastd *d, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct group *gr;
	int c;

	memset(o, 0, sizeof(*o));
	o->sock_path = MCASTD_DEFAULT_SOCKET;
	o->pidfile = MCASTD_DEFAULT_PIDFILE;
	o->level = LOG_NOTICE;
	o->gid = (gid_t)-1;
	d->conf_path = MCASTD_DEFAULT_CONF;
	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":f:nu:p:l:g:U:tVh", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 'f':
			d->conf_path = optarg;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'u':
			o->sock_path = optarg;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'l':
			if ((o->level = log_level_parse(optarg)) < 0) {
				fprintf(stderr,
				    "mcastd: log level '%s': "
				    "expected debug, info, notice, warning or "
				    "error\n",
				    optarg);
				exit(2);
			}
			break;
		case 'g':
			if ((gr = getgrnam(optarg)) == NULL) {
				fprintf(stderr,
				    "mcastd: no group '%s': "
				    "expected a group from /etc/group\n",
				    optarg);
				exit(2);
			}
			o->gid = gr->gr_gid;
			break;
		case 'U':
			if ((o->pw = getpwnam(optarg)) == NULL) {
				fprintf(stderr,
				    "mcastd: no user '%s': "
				    "expected a user from /etc/passwd\n",
				    optarg);
				exit(2);
			}
			break;
		case 't':
			o->check = true;
			break;
		case 'V':
			printf("mcastd %s\n", MCAST_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr,
			    "mcastd: option '%s' needs a value: try 'mcastd "
			    "--help'\n",
			    argv[optind - 1]);
			exit(2);
		default:
			if (optopt != 0)
				fprintf(stderr,
				    "mcastd: unknown option '-%c': try "
				    "'mcastd --help'\n",
				    optopt);
			else
				fprintf(stderr,
				    "mcastd: unknown option '%s': try "
				    "'mcastd --help'\n",
				    argv[optind - 1]);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr,
		    "mcastd: unexpected argument '%s': expected "
		    "options only\n",
		    argv[optind]);
		exit(2);
	}
}

/* The routing socket; a start that fails says why in one line. */
static void
open_routing_socket(struct mcastd *d)
{
	int rc = kmr_open(&d->kmr);

	if (rc == 0)
		return;
	if (rc == -EADDRINUSE)
		fatal(
		    "another multicast routing daemon (mrouted, pimd, "
		    "smcroute, igmpproxy or mcastd) already owns the kernel's "
		    "multicast routing in this network namespace: stop it "
		    "first");
	fatal("cannot take the kernel's multicast routing (MRT_INIT): %s%s",
	    strerror(-rc),
	    rc == -EPERM || rc == -EACCES ? " (needs root or "
					    "CAP_NET_ADMIN + CAP_NET_RAW)" :
		rc == -ENOPROTOOPT	  ? " (kernel "
					    "without CONFIG_IP_MROUTE)" :
					    "");
}

/* A start that fails leaves nothing behind: no socket, no pid file. */
static void
start_failed(struct mcastd *d, const char *pidfile, const char *fmt,
    const char *what, int err)
{
	if (pidfile != NULL)
		unlink(pidfile);
	control_close(d->ctl);
	kmr_close(&d->kmr);
	fatal(fmt, what, strerror(err));
}

static void
start_loop(struct mcastd *d, const char *pidfile)
{
	int rc = 0;

	d->loop = loop_new();
	if (d->loop == NULL)
		start_failed(d, pidfile, "cannot start: %s: %s", "event loop",
		    errno);
	if ((rc = loop_fd_add(d->loop, d->kmr.fd, LOOP_IN, MCASTD_RX_BUDGET,
		 routing_socket_in, d)) < 0 ||
	    (rc = loop_fd_add(d->loop, netlink_fd(d->nl), LOOP_IN, 0,
		 netlink_in, d)) < 0 ||
	    (rc = loop_source_add(d->loop, router_deadline, router_timer, d)) <
		0 ||
	    (rc = loop_source_add(d->loop, control_deadline, control_timer,
		 d)) < 0 ||
	    (rc = loop_source_add(d->loop, tap_deadline, tap_timer, d)) < 0 ||
	    (rc = loop_source_add(d->loop, notes_deadline, notes_timer, d)) <
		0 ||
	    (rc = loop_signal_add(d->loop, SIGHUP, signal_in, d)) < 0 ||
	    (rc = loop_signal_add(d->loop, SIGTERM, signal_in, d)) < 0 ||
	    (rc = loop_signal_add(d->loop, SIGINT, signal_in, d)) < 0)
		start_failed(d, pidfile, "cannot start: %s: %s", "event loop",
		    -rc);
	control_set_close_hook(d->ctl, control_closing, d);
	control_sync(d);
	tap_sync(d, mcastd_now());
}

static void
start_router(struct mcastd *d)
{
	struct router_config rc;

	if (reload_router_config(&d->conf, &rc) != 0)
		fatal("cannot start: out of memory");
	d->router = router_new(&rc, d->seed, log_trace, "router");
	reload_router_config_free(&rc);
	if (d->router == NULL)
		fatal("cannot start: the router refused the configuration "
		      "(or out of memory)");
}

static void
stop(struct mcastd *d, const char *pidfile)
{
	events_flush(d, mcastd_now(), true);
	log_notice("stopping");
	/* MRT_DONE: the kernel drops our VIFs and forwarding entries. */
	kmr_close(&d->kmr);
	tun_close_all(d->tunnels);
	router_free(d->router);
	/* The control socket's clients are closed without the loop now. */
	control_set_close_hook(d->ctl, NULL, NULL);
	loop_free(d->loop);
	netlink_close(d->nl);
	netlink_close(d->nl_dump);
	ttltap_close(&d->tap);
	control_close(d->ctl);
	/* As a -U user, /run may not let us: the next start replaces both. */
	if (unlink(pidfile) < 0 && errno != ENOENT)
		log_notice("pid file %s left behind: %s", pidfile,
		    strerror(errno));
	conf_free(&d->conf);
}

/* mcastd -t: "FILE:LINE: warning: MESSAGE" on stderr. */
static void
check_warning(void *arg, unsigned line, const char *msg)
{
	const struct mcastd *d = arg;

	fprintf(stderr, "%s:%u: warning: %s\n", d->conf_path, line, msg);
}

int
main(int argc, char **argv)
{
	static struct mcastd d;
	struct conf_error err;
	struct options o;
	char buf[512];
	int rc;

	parse_options(argc, argv, &d, &o);
	if (conf_load(d.conf_path, &d.conf, &err) < 0) {
		/* FILE:LINE:COLUMN: first, as compilers do, for editors. */
		conf_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "%s\n", buf);
		return 1;
	}
	if (o.check) {
		reload_check_host(d.conf_path, &d.conf, stderr);
		/* Warnings do not change the exit status. */
		conf_warnings(&d.conf, check_warning, &d);
		conf_print(stdout, &d.conf);
		conf_free(&d.conf);
		return 0;
	}
	log_init(o.foreground, o.level);
	signal(SIGPIPE, SIG_IGN);
	open_routing_socket(&d);
	d.ctl = control_open(o.sock_path, o.gid, command_request, &d, &rc);
	if (d.ctl == NULL) {
		kmr_close(&d.kmr);
		fatal("control socket %s: %s%s", o.sock_path, strerror(rc),
		    rc == EADDRINUSE ? " (another mcastd answers there)" : "");
	}
	d.seed = (uint64_t)getpid() ^ (uint64_t)mcastd_now() << 16;
	start_router(&d);
	d.nl = netlink_open(true);
	d.nl_dump = netlink_open(false);
	if (d.nl == NULL || d.nl_dump == NULL)
		start_failed(&d, NULL, "cannot start: %s: %s", "netlink socket",
		    errno);
	if ((rc = ttltap_open(&d.tap)) < 0)
		log_warn("no check of senders' TTL: packet socket: %s",
		    strerror(-rc));
	if ((rc = write_pidfile(o.pidfile)) < 0)
		start_failed(&d, NULL, "pid file %s: %s", o.pidfile, -rc);
	start_loop(&d, o.pidfile);
	/* The tunnels' devices, before the interfaces are listed. */
	tun_sync(d.tunnels, d.loop, &d.conf);
	d.started = mcastd_now();
	d.next_counter_poll = d.started + MCASTD_COUNTER_POLL_MS;
	if ((rc = netlink_relist(&d)) < 0)
		start_failed(&d, o.pidfile, "cannot %s: %s", "list interfaces",
		    -rc);
	router_reconcile(d.router, d.started);
	outputs_apply(&d);
	reload_warn_missing(&d);
	drop_privileges(o.pw);
	log_notice("started (pid %d, config %s, socket %s)", (int)getpid(),
	    d.conf_path, o.sock_path);
	if ((rc = loop_run(d.loop)) < 0)
		log_err("event loop: %s", strerror(-rc));
	stop(&d, o.pidfile);
	return 0;
}
