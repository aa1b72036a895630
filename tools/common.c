/*
 * Helpers shared by the mcast subcommands.  Every parser either returns a
 * good value or prints one line naming what was given and what was expected,
 * and exits with status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "loop.h"
#include "tool.h"

volatile sig_atomic_t stop_requested;

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mcast: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	fputs("mcast: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
plural_s(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

void
option_error(const char *cmd, int c, char **argv)
{
	char opt[64];
	const char *arg = argv[optind - 1];

	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		snprintf(opt, sizeof(opt), "-%c", optopt);
	else
		snprintf(opt, sizeof(opt), "%s", arg);
	if (c == ':')
		usage_error("option '%s' of %s needs a value: try 'mcast %s "
			    "--help'",
		    opt, cmd, cmd);
	usage_error("unknown option '%s' for %s: try 'mcast %s --help'", opt,
	    cmd, cmd);
}

static void
parse_ip_or_die(const char *text, struct mc_ip *out, const char *role)
{
	if (mc_ip_parse(text, out) < 0)
		usage_error("'%s' is not an IP address: expected an IPv4 or "
			    "IPv6 %s such as %s",
		    text, role,
		    strcmp(role, "group") == 0 ? "239.1.2.3 or ff05::1:3" :
						 "198.18.1.2 or 2001:db8::2");
}

static void
require_multicast(const char *text, const struct mc_ip *ip)
{
	if (!mc_ip_is_multicast(ip))
		usage_error("%s is not a multicast group: expected 224.0.0.0/4 "
			    "or ff00::/8",
		    text);
}

void
parse_group(const char *text, struct mc_ip *out)
{
	parse_ip_or_die(text, out, "group");
	require_multicast(text, out);
}

void
parse_group_endpoint(const char *text, struct mc_endpoint *out)
{
	const char *colon;
	char addr[MC_IP_STRLEN + 3];
	size_t n;

	switch (mc_endpoint_parse(text, out)) {
	case 0:
		break;
	case MC_E_BAD_PORT:
		colon = strrchr(text, ':');
		if (colon == NULL ||
		    (text[0] != '[' && strchr(text, ':') != colon))
			usage_error("'%s' has no port: expected GROUP:PORT, "
				    "e.g. 239.1.2.3:5000 or [ff05::1:3]:5000",
			    text);
		usage_error("bad port '%s' in '%s': expected a number from 1 "
			    "to 65535",
		    colon + 1, text);
	default:
		colon = strrchr(text, ':');
		n = colon ? (size_t)(colon - text) : strlen(text);
		if (n >= sizeof(addr))
			n = sizeof(addr) - 1;
		memcpy(addr, text, n);
		addr[n] = '\0';
		usage_error(
		    "'%s' is not an IP address: expected GROUP:PORT "
		    "with an IPv4 or IPv6 group, e.g. 239.1.2.3:5000 or "
		    "[ff05::1:3]:5000",
		    addr);
	}
	if (!mc_ip_is_multicast(&out->ip)) {
		char buf[MC_IP_STRLEN];

		require_multicast(mc_ip_str(&out->ip, buf), &out->ip);
	}
}

void
parse_source(const char *text, const struct mc_ip *group, struct mc_ip *out)
{
	parse_ip_or_die(text, out, "source");
	if (mc_ip_is_multicast(out))
		usage_error("source %s is a multicast address: expected the "
			    "unicast address of a sender",
		    text);
	if (group != NULL && group->family != out->family)
		usage_error("source %s is %s but the group is %s: expected "
			    "a source of the group's family",
		    text, out->family == AF_INET ? "IPv4" : "IPv6",
		    group->family == AF_INET ? "IPv4" : "IPv6");
}

void
parse_any_iface(const char *text, struct mc_iface *out)
{
	int rc = mc_iface_resolve(text, out);

	if (rc == MC_E_NO_SUCH_IFACE)
		usage_error("no interface '%s': expected a name from `ip link`,"
			    " an index or an address",
		    text);
	if (rc < 0)
		usage_error("interface '%s': %s", text, mc_strerror(rc));
}

void
parse_iface(const char *text, struct mc_iface *out)
{
	parse_any_iface(text, out);
	if (mc_iface_check_multicast(out) < 0)
		usage_error(
		    "%s has no MULTICAST flag: expected a "
		    "multicast-capable interface (ip link set %s multicast on)",
		    out->name, out->name);
}

int
parse_ttl(const char *text)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0 || v > 255)
		usage_error("TTL '%s' is out of range: expected 0 to 255",
		    text);
	return (int)v;
}

double
parse_duration(const char *text, const char *what)
{
	char *end;
	double v, unit = 1;

	errno = 0;
	v = strtod(text, &end);
	if (errno == 0 && end != text) {
		if (strcmp(end, "ms") == 0)
			unit = 0.001;
		else if (strcmp(end, "s") == 0 || *end == '\0')
			unit = 1;
		else if (strcmp(end, "m") == 0)
			unit = 60;
		else if (strcmp(end, "h") == 0)
			unit = 3600;
		else
			unit = -1;
	}
	if (errno != 0 || end == text || unit < 0 || !(v > 0) || isinf(v))
		usage_error("%s '%s' is not a duration: expected a positive "
			    "number of seconds, e.g. 10, 2.5, 500ms, 2m",
		    what, text);
	return v * unit;
}

uint64_t
parse_count(const char *text, const char *what)
{
	char *end;
	double v, mult = 1;

	errno = 0;
	v = strtod(text, &end);
	if (errno == 0 && end != text) {
		if (*end == 'k' || *end == 'K')
			mult = 1e3, end++;
		else if (*end == 'M')
			mult = 1e6, end++;
		else if (*end == 'G')
			mult = 1e9, end++;
	}
	v *= mult;
	if (errno != 0 || end == text || *end != '\0' || !(v >= 1) ||
	    v > 1e15 || v != floor(v))
		usage_error("%s '%s' is not a count: expected a whole number "
			    "of at least 1, e.g. 100, 10k, 2M",
		    what, text);
	return (uint64_t)v;
}

void
option_once(const char **seen, const char *opt, const char *value,
    const char *what)
{
	if (*seen != NULL)
		usage_error("%s given twice (%s, then %s): expected one %s",
		    opt, *seen, value, what);
	*seen = value;
}

void
repeated_error(const char *what, const char *text, const char *canonical)
{
	if (canonical != NULL && strcmp(canonical, text) != 0)
		usage_error("%s %s given twice (once as %s): expected each %s "
			    "once",
		    what, canonical, text, what);
	usage_error("%s %s given twice: expected each %s once", what, text,
	    what);
}

void
refuse_repeated_ip(const struct mc_ip *before, int n, const struct mc_ip *ip,
    const char *text, const char *what)
{
	char buf[MC_IP_STRLEN];
	int i;

	for (i = 0; i < n; i++)
		if (mc_ip_equal(&before[i], ip))
			repeated_error(what, text, mc_ip_str(ip, buf));
}

const char *
no_iface_hint(const struct mc_ip *group, int err, bool has_iface)
{
	struct mc_addr_info info;

	if (has_iface)
		return "";
	if (err < 0)
		err = -err;
	mc_addr_classify(group, &info);
	/* A link-scope IPv6 destination needs a zone: connect() says EINVAL. */
	if (group->family == AF_INET6 &&
	    (info.scope == MC_SCOPE_INTERFACE_LOCAL ||
		info.scope == MC_SCOPE_LINK_LOCAL) &&
	    (err == EINVAL || err == ENODEV || err == ENETUNREACH))
		return info.scope == MC_SCOPE_LINK_LOCAL ?
		    ": a link-local group (ff02::/16) is on every link; give "
		    "-i IF to say which" :
		    ": an interface-local group (ff01::/16) never leaves the "
		    "host; give -i IF to say which interface";
	if (err != ENODEV && err != ENETUNREACH)
		return "";
	return group->family == AF_INET ?
	    ": give -i IF, or add a multicast route (ip route add "
	    "224.0.0.0/4 dev IF)" :
	    ": give -i IF, or add a multicast route (ip -6 route add "
	    "multicast ff00::/8 dev IF table local)";
}

void
warn_group_scope(const struct mc_ip *group, int ttl)
{
	struct mc_addr_info info;
	char buf[MC_IP_STRLEN];

	mc_addr_classify(group, &info);
	mc_ip_str(group, buf);
	if (!info.forwardable && group->family == AF_INET && ttl > 1)
		warning("%s is in the %s (%s): no router will ever forward "
			"it, whatever the TTL",
		    buf, info.block_name, info.block_prefix);
	if (ttl == 1 && info.forwardable &&
	    (info.block == MC_BLOCK_SSM || info.block == MC_BLOCK_GLOP ||
		info.block == MC_BLOCK_UNICAST_PREFIX ||
		info.block == MC_BLOCK_INTERNETWORK_CONTROL))
		warning(
		    "TTL 1 keeps datagrams to %s on this subnet, but the %s "
		    "is meant to be routed: give -t with a TTL above the "
		    "routers' thresholds",
		    buf, info.block_name);
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
now_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t
now_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void
install_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
tool_loop_signal(void *arg, int signo)
{
	stop_requested = 1;
	loop_stop(arg);
}

struct loop *
tool_loop_new(void)
{
	struct loop *l;
	int rc;

	install_stop_signals();
	if ((l = loop_new()) == NULL) {
		fprintf(stderr, "mcast: cannot start the event loop: %s\n",
		    strerror(errno));
		exit(1);
	}
	if ((rc = loop_signal_add(l, SIGINT, tool_loop_signal, l)) < 0 ||
	    (rc = loop_signal_add(l, SIGTERM, tool_loop_signal, l)) < 0) {
		fprintf(stderr, "mcast: cannot watch SIGINT and SIGTERM: %s\n",
		    strerror(-rc));
		exit(1);
	}
	return l;
}

void
tool_loop_run(struct loop *l)
{
	int rc;

	/* A signal before loop_signal_add() went to the handler. */
	if (stop_requested)
		return;
	if ((rc = loop_run(l)) < 0) {
		fprintf(stderr, "mcast: event loop: %s\n", strerror(-rc));
		exit(1);
	}
}

mc_time_t
tool_loop_ms(int64_t mono_ns)
{
	return (mono_ns + 999999) / 1000000;
}

/* The value of a /proc/sys integer, or -1 when it cannot be read. */
static int
read_sysctl_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

void
require_ssm_capable(const struct mc_iface *iface, sa_family_t family)
{
	char path[128];
	const char *conf = iface ? iface->name : "all";
	const char *knob = family == AF_INET ? "force_igmp_version" :
					       "force_mld_version";
	int v;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s",
	    family == AF_INET ? "ipv4" : "ipv6", conf, knob);
	v = read_sysctl_int(path);
	if (family == AF_INET && (v == 1 || v == 2))
		usage_error(
		    "-S needs IGMPv3, but %s is pinned to IGMPv%d "
		    "(net.ipv4.conf.%s.%s=%d), which cannot carry sources: "
		    "expected force_igmp_version 0 or 3",
		    conf, v, conf, knob, v);
	if (family == AF_INET6 && v == 1)
		usage_error(
		    "-S needs MLDv2, but %s is pinned to MLDv1 "
		    "(net.ipv6.conf.%s.%s=1), which cannot carry sources: "
		    "expected force_mld_version 0 or 2",
		    conf, conf, knob);
}

uint32_t
random_u32(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)now_monotonic_ns() ^ (uint32_t)getpid() << 16;
	return v;
}

const char *
sockaddr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	struct mc_ip ip;
	char addr[MC_IP_STRLEN];
	unsigned port;

	mc_ip_from_sockaddr(sa, &ip);
	mc_ip_str(&ip, addr);
	if (sa->sa_family == AF_INET) {
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
		snprintf(buf, len, "%s:%u", addr, port);
	} else {
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
		snprintf(buf, len, "[%s]:%u", addr, port);
	}
	return buf;
}
