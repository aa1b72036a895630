/*
 * mcast igmp emulate: N emulated hosts with distinct addresses run the IGMP
 * host engine (proto/igmp_host.c) on one interface: they join, answer the
 * router's queries, hear each other's reports (suppression), and leave.
 * A load tester for multicast routers and snooping switches.
 *
 * Packets leave through a raw IPv4 socket (we write the IP header, so every
 * host has its own source address); queries and other hosts' reports come
 * in through a packet socket on the interface.  Reports of our own hosts
 * are handed to the others in memory, as a shared LAN would.  The packet
 * socket and the hosts' deadlines share one event loop (lib/loop.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "igmp_host.h"
#include "igmp_wire.h"
#include "loop.h"
#include "tool.h"

#define EMU_MAX_HOSTS	   65536
#define EMU_MAX_GROUPS	   65536
#define EMU_LEAVE_GRACE_MS 3000
/* Packets read per turn: a burst of our own reports comes back at once. */
#define EMU_RX_BUDGET 4096

struct emu_opts {
	struct mc_iface iface;
	uint32_t nhosts;
	struct in_addr first_group;
	uint32_t ngroups;
	unsigned version; /* 0: v3 unless a query says older */
	bool has_source;
	struct in_addr source;
	bool has_first_host;
	struct in_addr first_host;
	double leave_after_s; /* 0: never */
	double duration_s;    /* 0: until interrupted (or left) */
	uint64_t seed;
	bool json;
	bool verbose;
};

struct emu {
	const struct emu_opts *o;
	struct igmp_host **hosts;
	int raw_fd; /* sends */
	int pkt_fd; /* receives */
	uint64_t sent[IGMP_KIND_UNKNOWN + 1];
	uint64_t heard[IGMP_KIND_UNKNOWN + 1];
	uint64_t send_errors;
	uint64_t rx_invalid;
	struct loop *loop;
	mc_time_t end;	    /* -d; MC_TIME_NEVER: none */
	mc_time_t leave_at; /* MC_TIME_NEVER: never */
	bool left;
};

static void
emu_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast igmp emulate -i IF --groups G[/COUNT] [--hosts N]\n"
	    "                          [--version 1|2|3] [--source S]\n"
	    "                          [--leave-after T] [-d DURATION]\n"
	    "                          [--first-host ADDR] [--seed N] [--json] [-v]\n"
	    "  -i IF            the LAN to emulate hosts on\n"
	    "  --hosts N        number of hosts (distinct addresses; default 1)\n"
	    "  --groups G/COUNT each host joins COUNT groups from G up (default 1)\n"
	    "  --version V      pin the hosts to IGMPv1, v2 or v3 (default: v3,\n"
	    "                   falling back as the querier requires)\n"
	    "  --source S       source-specific joins (INCLUDE {S}; IGMPv3 only)\n"
	    "  --leave-after T  leave every group after T, then exit\n"
	    "  -d DURATION      exit after DURATION\n"
	    "  --first-host A   the first host's address (default: the address\n"
	    "                   after the interface's own), then A+1, A+2 ...\n"
	    "  --seed N         random seed for report delays (default: random)\n"
	    "  --json           the final counters as JSON\n"
	    "  -v               print every packet sent and heard\n");
}

static void
emu_parse_groups(const char *text, struct emu_opts *o)
{
	char buf[64], *slash;
	struct mc_ip g;
	uint64_t last;

	snprintf(buf, sizeof(buf), "%s", text);
	slash = strchr(buf, '/');
	o->ngroups = 1;
	if (slash != NULL) {
		*slash = '\0';
		o->ngroups = (uint32_t)parse_count(slash + 1, "group count");
	}
	parse_group(buf, &g);
	if (g.family != AF_INET)
		usage_error("IGMP is IPv4: '%s' is not an IPv4 group", buf);
	last = (uint64_t)ntohl(g.u.v4.s_addr) + o->ngroups - 1;
	if (o->ngroups > EMU_MAX_GROUPS || last > 0xefffffffu)
		usage_error(
		    "%s/%u runs past 239.255.255.255 or over %d groups: "
		    "expected a smaller COUNT",
		    buf, o->ngroups, EMU_MAX_GROUPS);
	o->first_group = g.u.v4;
}

static void
emu_parse(int argc, char **argv, struct emu_opts *o)
{
	enum {
		OPT_HOSTS = 1000,
		OPT_GROUPS,
		OPT_VERSION,
		OPT_SOURCE,
		OPT_LEAVE,
		OPT_FIRST,
		OPT_SEED,
		OPT_JSON
	};
	static const struct option longopts[] = { { "hosts", required_argument,
						      NULL, OPT_HOSTS },
		{ "groups", required_argument, NULL, OPT_GROUPS },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "leave-after", required_argument, NULL, OPT_LEAVE },
		{ "first-host", required_argument, NULL, OPT_FIRST },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *iface_text = NULL, *groups_text = NULL, *source_text = NULL;
	const char *first_text = NULL;
	struct mc_ip ip;
	int c;

	memset(o, 0, sizeof(*o));
	o->nhosts = 1;
	o->seed = random_u32();
	while ((c = getopt_long(argc, argv, ":i:d:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			break;
		case OPT_HOSTS:
			o->nhosts = (uint32_t)parse_count(optarg, "hosts");
			if (o->nhosts > EMU_MAX_HOSTS)
				usage_error("--hosts %s is too many: expected "
					    "at most %d",
				    optarg, EMU_MAX_HOSTS);
			break;
		case OPT_GROUPS:
			option_once(&groups_text, "--groups", optarg,
			    "G[/COUNT] (COUNT groups from G up)");
			emu_parse_groups(optarg, o);
			break;
		case OPT_VERSION:
			if (strcmp(optarg, "1") && strcmp(optarg, "2") &&
			    strcmp(optarg, "3"))
				usage_error(
				    "--version '%s': expected 1, 2 or 3",
				    optarg);
			o->version = (unsigned)(optarg[0] - '0');
			break;
		case OPT_SOURCE:
			option_once(&source_text, "--source", optarg,
			    "source (the hosts join INCLUDE {S})");
			parse_source(optarg, NULL, &ip);
			if (ip.family != AF_INET)
				usage_error("--source %s: expected an IPv4 "
					    "source (IGMP is IPv4)",
				    optarg);
			o->source = ip.u.v4;
			o->has_source = true;
			break;
		case OPT_LEAVE:
			o->leave_after_s = parse_duration(optarg,
			    "--leave-after");
			break;
		case OPT_FIRST:
			option_once(&first_text, "--first-host", optarg,
			    "first address");
			parse_source(optarg, NULL, &ip);
			if (ip.family != AF_INET)
				usage_error("--first-host %s: expected an IPv4 "
					    "address",
				    optarg);
			o->first_host = ip.u.v4;
			o->has_first_host = true;
			break;
		case OPT_SEED:
			o->seed = parse_count(optarg, "seed");
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'd':
			o->duration_s = parse_duration(optarg, "duration");
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			emu_usage(stdout);
			exit(0);
		default:
			option_error("igmp emulate", c, argv);
		}
	}
	if (optind < argc)
		usage_error("igmp emulate takes no operands, got '%s'",
		    argv[optind]);
	if (iface_text == NULL || groups_text == NULL)
		usage_error("igmp emulate needs -i IF and --groups G[/COUNT]");
	if (o->has_source && (o->version == 1 || o->version == 2))
		usage_error("--source needs IGMPv3: IGMPv%u cannot carry "
			    "sources",
		    o->version);
	if (!o->has_first_host) {
		if (!o->iface.has_v4)
			usage_error("%s has no IPv4 address: give "
				    "--first-host",
			    o->iface.name);
		o->first_host.s_addr = htonl(ntohl(o->iface.v4.s_addr) + 1);
	}
}

static struct in_addr
emu_host_addr(const struct emu_opts *o, uint32_t i)
{
	struct in_addr a = { htonl(ntohl(o->first_host.s_addr) + i) };

	return a;
}

static void
emu_open(struct emu *e)
{
	const struct emu_opts *o = e->o;
	struct sockaddr_ll sll;
	/* BPF: IPv4 with protocol 2 (cooked packet socket: starts at IP). */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_IGMP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };
	int one = 1;

	e->raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	e->pkt_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC,
	    htons(ETH_P_IP));
	if (e->raw_fd < 0 || e->pkt_fd < 0) {
		fprintf(stderr,
		    "mcast: cannot open raw sockets: %s (needs "
		    "root or CAP_NET_RAW)\n",
		    strerror(errno));
		exit(1);
	}
	if (setsockopt(e->raw_fd, SOL_SOCKET, SO_BINDTODEVICE, o->iface.name,
		(socklen_t)strlen(o->iface.name)) < 0 ||
	    mc_set_out_iface(e->raw_fd, AF_INET, o->iface.index) < 0 ||
	    setsockopt(e->raw_fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) <
		0) {
		fprintf(stderr, "mcast: cannot bind the raw socket to %s: %s\n",
		    o->iface.name, strerror(errno));
		exit(1);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = (int)o->iface.index;
	if (setsockopt(e->pkt_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		sizeof(prog)) < 0 ||
	    bind(e->pkt_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "mcast: cannot listen on %s: %s\n",
		    o->iface.name, strerror(errno));
		exit(1);
	}
	mc_set_bufsize(e->pkt_fd, SO_RCVBUF, 8 << 20);
	mc_set_bufsize(e->raw_fd, SO_SNDBUF, 8 << 20);
}

static void
emu_log(const struct emu *e, const char *dir, struct in_addr host,
    const struct igmp_msg *m)
{
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	if (!e->o->verbose)
		return;
	fprintf(stderr, "%s %s %s %s\n", dir,
	    inet_ntop(AF_INET, &host, a, sizeof(a)), igmp_kind_name(m->kind),
	    inet_ntop(AF_INET, &m->group, g, sizeof(g)));
}

/* Deliver one IGMP message (decoded from ip/msg) to every host but skip. */
static void
emu_deliver(struct emu *e, mc_time_t now, const struct igmp_ip *ip,
    const struct igmp_msg *msg, uint32_t skip)
{
	uint32_t i;

	for (i = 0; i < e->o->nhosts; i++)
		if (i != skip)
			igmp_host_input(e->hosts[i], now, ip, msg);
}

/* Send what host i has to send; hand each packet to the other hosts. */
static void
emu_flush(struct emu *e, mc_time_t now, uint32_t i)
{
	struct igmp_host_output out;
	uint8_t pkt[IGMP_HOST_MAX_PACKET + 64];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src = emu_host_addr(e->o, i);
	struct igmp_ip ip;
	struct igmp_msg m;
	int len;

	while (igmp_host_output(e->hosts[i], &out)) {
		len = igmp_ip_build(pkt, sizeof(pkt), src, out.dst, out.data,
		    out.len);
		if (len < 0)
			continue;
		dst.sin_addr = out.dst;
		if (sendto(e->raw_fd, pkt, (size_t)len, 0,
			(struct sockaddr *)&dst, sizeof(dst)) < 0)
			e->send_errors++;
		if (igmp_decode(out.data, out.len, &m) != IGMP_OK)
			continue;
		e->sent[m.kind]++;
		emu_log(e, "sent", src, &m);
		memset(&ip, 0, sizeof(ip));
		ip.src = src;
		ip.dst = out.dst;
		ip.ttl = 1;
		ip.tos = 0xc0;
		ip.router_alert = true;
		emu_deliver(e, now, &ip, &m, i);
	}
}

/* Queries and other hosts' reports: up to budget packets. */
static void
emu_readable(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct emu *e = arg;
	mc_time_t now = loop_now(e->loop);
	uint8_t buf[65536];
	struct sockaddr_ll from;
	socklen_t fromlen;
	const uint8_t *igmp;
	size_t igmp_len;
	struct igmp_ip ip;
	struct igmp_msg m;
	unsigned i;
	ssize_t n;

	for (i = 0; i < budget; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		/* Our own packets, leaving: the hosts already heard them. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (igmp_ip_decode(buf, (size_t)n, &ip, &igmp, &igmp_len) !=
			IGMP_OK ||
		    igmp_decode(igmp, igmp_len, &m) != IGMP_OK) {
			e->rx_invalid++;
			continue;
		}
		e->heard[m.kind]++;
		emu_log(e, "heard", ip.src, &m);
		emu_deliver(e, now, &ip, &m, UINT32_MAX);
	}
}

static void
emu_set_all(struct emu *e, mc_time_t now, bool join)
{
	uint32_t i, g;
	struct in_addr group;

	for (i = 0; i < e->o->nhosts; i++) {
		for (g = 0; g < e->o->ngroups; g++) {
			group.s_addr = htonl(ntohl(e->o->first_group.s_addr) +
			    g);
			if (!join)
				igmp_host_set_filter(e->hosts[i], now, group,
				    IGMP_FILTER_INCLUDE, NULL, 0);
			else if (e->o->has_source)
				igmp_host_set_filter(e->hosts[i], now, group,
				    IGMP_FILTER_INCLUDE, &e->o->source, 1);
			else
				igmp_host_set_filter(e->hosts[i], now, group,
				    IGMP_FILTER_EXCLUDE, NULL, 0);
		}
		emu_flush(e, now, i);
	}
}

/*
 * The earliest of: the end (-d), leaving (--leave-after) or the end of the
 * grace after it, and every host's next timer.
 */
static mc_time_t
emu_deadline(void *arg)
{
	const struct emu *e = arg;
	mc_time_t next = e->end, t;
	uint32_t i;

	if (e->leave_at != MC_TIME_NEVER) {
		t = e->left ? e->leave_at + EMU_LEAVE_GRACE_MS : e->leave_at;
		if (t < next)
			next = t;
	}
	for (i = 0; i < e->o->nhosts; i++)
		if ((t = igmp_host_next_deadline(e->hosts[i])) < next)
			next = t;
	return next;
}

static void
emu_timer(void *arg, mc_time_t now)
{
	struct emu *e = arg;
	uint32_t i;

	if (now >= e->end) {
		loop_stop(e->loop);
		return;
	}
	if (!e->left && now >= e->leave_at) {
		emu_set_all(e, now, false);
		e->left = true;
	}
	/*
	 * After leaving, stay long enough for the leaves and their
	 * retransmissions (Robustness x the v3 Unsolicited Report
	 * Interval), then exit.
	 */
	if (e->left && now - e->leave_at >= EMU_LEAVE_GRACE_MS) {
		loop_stop(e->loop);
		return;
	}
	for (i = 0; i < e->o->nhosts; i++) {
		if (igmp_host_next_deadline(e->hosts[i]) <= now)
			igmp_host_timeout(e->hosts[i], now);
		emu_flush(e, now, i);
	}
}

static void
emu_report(const struct emu *e)
{
	static const enum igmp_kind kinds[] = {
		IGMP_KIND_V1_REPORT,
		IGMP_KIND_V2_REPORT,
		IGMP_KIND_V2_LEAVE,
		IGMP_KIND_V3_REPORT,
	};
	static const enum igmp_kind queries[] = {
		IGMP_KIND_V1_QUERY,
		IGMP_KIND_V2_QUERY,
		IGMP_KIND_V3_QUERY,
	};
	size_t i;

	if (e->o->json) {
		printf("{\"hosts\":%u,\"groups\":%u,\"sent\":{", e->o->nhosts,
		    e->o->ngroups);
		for (i = 0; i < 4; i++)
			printf("%s\"%s\":%llu", i ? "," : "",
			    igmp_kind_name(kinds[i]),
			    (unsigned long long)e->sent[kinds[i]]);
		printf("},\"heard\":{");
		for (i = 0; i < 3; i++)
			printf("%s\"%s\":%llu", i ? "," : "",
			    igmp_kind_name(queries[i]),
			    (unsigned long long)e->heard[queries[i]]);
		printf("},\"send_errors\":%llu,\"rx_invalid\":%llu}\n",
		    (unsigned long long)e->send_errors,
		    (unsigned long long)e->rx_invalid);
		return;
	}
	printf("%u host%s x %u group%s on %s:", e->o->nhosts,
	    plural_s(e->o->nhosts), e->o->ngroups, plural_s(e->o->ngroups),
	    e->o->iface.name);
	for (i = 0; i < 4; i++)
		printf(" %llu %s%s", (unsigned long long)e->sent[kinds[i]],
		    igmp_kind_name(kinds[i]), i < 3 ? "," : "");
	printf(" sent; heard");
	for (i = 0; i < 3; i++)
		printf(" %llu %s%s", (unsigned long long)e->heard[queries[i]],
		    igmp_kind_name(queries[i]), i < 2 ? "," : "");
	printf("; %llu send error%s\n", (unsigned long long)e->send_errors,
	    plural_s(e->send_errors));
}

static int
emu_run(int argc, char **argv)
{
	struct emu_opts o;
	struct emu e;
	struct igmp_host_config cfg;
	mc_time_t start;
	uint32_t i;
	int rc;

	emu_parse(argc, argv, &o);
	memset(&e, 0, sizeof(e));
	e.o = &o;
	emu_open(&e);
	igmp_host_config_defaults(&cfg);
	cfg.version = o.version;
	e.hosts = calloc(o.nhosts, sizeof(*e.hosts));
	if (e.hosts == NULL)
		usage_error("out of memory for %u hosts", o.nhosts);
	for (i = 0; i < o.nhosts; i++) {
		e.hosts[i] = igmp_host_new(&cfg, emu_host_addr(&o, i),
		    o.seed + i, NULL, NULL);
		if (e.hosts[i] == NULL)
			usage_error("out of memory for %u hosts", o.nhosts);
	}
	e.loop = tool_loop_new();
	start = loop_now(e.loop);
	e.end = o.duration_s > 0 ? start + (mc_time_t)(o.duration_s * 1000) :
				   MC_TIME_NEVER;
	e.leave_at = o.leave_after_s > 0 ?
	    start + (mc_time_t)(o.leave_after_s * 1000) :
	    MC_TIME_NEVER;
	if ((rc = loop_fd_add(e.loop, e.pkt_fd, LOOP_IN, EMU_RX_BUDGET,
		 emu_readable, &e)) < 0 ||
	    (rc = loop_source_add(e.loop, emu_deadline, emu_timer, &e)) < 0) {
		fprintf(stderr, "mcast: event loop: %s\n", strerror(-rc));
		exit(1);
	}
	emu_set_all(&e, start, true);
	tool_loop_run(e.loop);
	loop_free(e.loop);
	emu_report(&e);
	for (i = 0; i < o.nhosts; i++)
		igmp_host_free(e.hosts[i]);
	free(e.hosts);
	close(e.raw_fd);
	close(e.pkt_fd);
	return e.send_errors ? 1 : 0;
}

int
cmd_igmp(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		emu_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "emulate") != 0)
		usage_error("unknown igmp command '%s': expected emulate",
		    argv[1]);
	return emu_run(argc - 1, argv + 1);
}
