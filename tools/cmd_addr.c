/*
 * mcast addr [--json] GROUP...: what each group is, which RFC gives it its
 * meaning, how far it may travel and which Ethernet address it uses.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "tool.h"

#define ADDR_USAGE \
	"usage: mcast addr [--json] GROUP... | mcast addr --ttl-table"

/* What a bad argument was, to report once all are done. */
enum addr_verdict {
	ADDR_OK,
	ADDR_NOT_MULTICAST,
	ADDR_UNPARSABLE,
};

/* The HOWTO's TTL table, one row per run of TTLs with the same scope. */
static void
addr_ttl_table(void)
{
	unsigned first = 0, ttl;
	char range[16];

	printf("%-9s %s\n", "TTL", "scope (Multicast HOWTO 2.3.1)");
	for (ttl = 1; ttl <= 256; ttl++) {
		if (ttl < 256 &&
		    strcmp(mc_ttl_scope(ttl), mc_ttl_scope(first)) == 0)
			continue;
		if (first == ttl - 1)
			snprintf(range, sizeof(range), "%u", first);
		else
			snprintf(range, sizeof(range), "%u-%u", first, ttl - 1);
		printf("%-9s %s\n", range, mc_ttl_scope(first));
		first = ttl;
	}
}

static void
addr_usage(FILE *f)
{
	fprintf(f, "%s\n", ADDR_USAGE);
	if (f != stdout)
		return;
	fprintf(f,
	    "Explain IPv4 and IPv6 multicast groups: address block, scope,\n"
	    "well-known name, forwarding, Ethernet address.\n"
	    "  -j, --json   print one JSON array of objects\n"
	    "  --ttl-table  the HOWTO's table of TTL scopes (section 2.3.1)\n"
	    "  -h, --help   print this help\n");
}

static void
addr_mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}

/* The groups other than ip that share its MAC (RFC 1112 6.4): 31 of them. */
static unsigned
addr_mac_others(const struct mc_ip *ip, struct in_addr others[31])
{
	struct in_addr all[32];
	unsigned i, n = 0;

	mc_mac_collisions(ip->u.v4, all);
	for (i = 0; i < 32; i++)
		if (all[i].s_addr != ip->u.v4.s_addr && n < 31)
			others[n++] = all[i];
	return n;
}

static const char *
addr_forwarding(const struct mc_ip *ip, const struct mc_addr_info *info)
{
	if (info->block == MC_BLOCK_LOCAL_NETWORK_CONTROL)
		return "224.0.0.x: never forwarded by a router, "
		       "whatever the TTL";
	if (!info->forwardable) {
		switch (info->scope) {
		case MC_SCOPE_INTERFACE_LOCAL:
			return "never leaves the host (interface-local scope)";
		case MC_SCOPE_LINK_LOCAL:
			return "never forwarded by a router (link-local scope)";
		default:
			return "reserved scope: must not be sent or forwarded";
		}
	}
	if (info->scope == MC_SCOPE_GLOBAL)
		return ip->family == AF_INET ?
		    "routers may forward it (global; the TTL limits how far)" :
		    "routers may forward it (global; the hop limit limits "
		    "how far)";
	return "routers may forward it (within the scope boundary)";
}

/* RFC 3956 3: the RP is the embedded prefix with the RIID as its last bits. */
static void
addr_embedded_rp(const struct mc_ip *group, const struct mc_addr_info *info,
    struct mc_ip *rp)
{
	*rp = info->unicast_prefix;
	rp->u.v6.s6_addr[15] |= group->u.v6.s6_addr[2] & 0x0f;
}

static void
addr_print_text(const struct mc_ip *ip, const struct mc_addr_info *info)
{
	char buf[MC_IP_STRLEN], mac[18];
	struct in_addr others[31];
	struct mc_ip o;
	unsigned i, n;
	bool rp = info->block == MC_BLOCK_V6_EMBEDDED_RP;

	printf("%s\n", mc_ip_str(ip, buf));
	printf("  %-12s %s %s (%s)\n", "block", info->block_name,
	    info->block_prefix, info->rfc);
	printf("  %-12s %s\n", "scope", info->scope_name);
	if (info->name != NULL)
		printf("  %-12s %s\n", "name", info->name);
	if (info->ssm)
		printf("  %-12s %s\n", "ssm",
		    "source-specific: join with a source (-S)");
	if (info->has_glop_as)
		printf("  %-12s AS %u (RFC 3180: 233.AS-high.AS-low.x)\n",
		    "glop", (unsigned)info->glop_as);
	if (info->has_unicast_prefix)
		printf("  %-12s %s/%u, %s (%s)\n", "prefix",
		    mc_ip_str(&info->unicast_prefix, buf),
		    (unsigned)info->unicast_prefix_len,
		    rp ? "the RP's network prefix" :
			 "its owner's unicast prefix",
		    info->rfc);
	if (info->has_unicast_prefix && rp) {
		addr_embedded_rp(ip, info, &o);
		printf("  %-12s %s (embedded rendezvous point)\n", "rp",
		    mc_ip_str(&o, buf));
	}
	printf("  %-12s %s\n", "forwarding", addr_forwarding(ip, info));

	addr_mac_str(info->mac, mac);
	if (ip->family != AF_INET) {
		printf("  %-12s %s\n", "ethernet", mac);
		return;
	}
	n = addr_mac_others(ip, others);
	printf("  %-12s %s, shared with %u other groups:", "ethernet", mac, n);
	memset(&o, 0, sizeof(o));
	o.family = AF_INET;
	for (i = 0; i < n; i++) {
		o.u.v4 = others[i];
		printf(" %s", mc_ip_str(&o, buf));
	}
	printf("\n");
}

static void
addr_json_key(const char *key)
{
	json_string(stdout, key);
	fputs(": ", stdout);
}

static void
addr_json_str(const char *key, const char *value, bool more)
{
	addr_json_key(key);
	if (value == NULL)
		fputs("null", stdout);
	else
		json_string(stdout, value);
	if (more)
		fputs(", ", stdout);
}

static void
addr_json_bool(const char *key, bool value, bool more)
{
	addr_json_key(key);
	fputs(value ? "true" : "false", stdout);
	if (more)
		fputs(", ", stdout);
}

static void
addr_print_json(const struct mc_ip *ip, const struct mc_addr_info *info)
{
	char buf[MC_IP_STRLEN], prefix[MC_IP_STRLEN + 4], mac[18];
	struct in_addr others[31];
	struct mc_ip o;
	unsigned i, n;

	fputs("{", stdout);
	addr_json_str("address", mc_ip_str(ip, buf), true);
	if (!info->is_multicast) {
		addr_json_bool("multicast", false, false);
		fputs("}", stdout);
		return;
	}
	addr_json_bool("multicast", true, true);
	addr_json_str("block", info->block_name, true);
	addr_json_str("block_prefix", info->block_prefix, true);
	addr_json_str("rfc", info->rfc, true);
	addr_json_str("scope", mc_scope_name(info->scope), true);
	addr_json_str("scope_name", info->scope_name, true);
	addr_json_str("name", info->name, true);
	addr_json_bool("forwardable", info->forwardable, true);
	addr_json_bool("ssm", info->ssm, true);
	if (info->has_glop_as) {
		addr_json_key("glop_as");
		printf("%u, ", (unsigned)info->glop_as);
	}
	if (info->has_unicast_prefix) {
		snprintf(prefix, sizeof(prefix), "%s/%u",
		    mc_ip_str(&info->unicast_prefix, buf),
		    (unsigned)info->unicast_prefix_len);
		addr_json_str("unicast_prefix", prefix, true);
	}
	addr_mac_str(info->mac, mac);
	addr_json_str("mac", mac, ip->family == AF_INET);
	if (ip->family == AF_INET) {
		addr_json_key("mac_shared_with");
		fputs("[", stdout);
		n = addr_mac_others(ip, others);
		memset(&o, 0, sizeof(o));
		o.family = AF_INET;
		for (i = 0; i < n; i++) {
			o.u.v4 = others[i];
			if (i > 0)
				fputs(", ", stdout);
			json_string(stdout, mc_ip_str(&o, buf));
		}
		fputs("]", stdout);
	}
	fputs("}", stdout);
}

/* Explain one argument; print the error if it is not a group. */
static enum addr_verdict
addr_one(const char *text, bool json, bool *first)
{
	struct mc_addr_info info;
	struct mc_ip ip;

	if (mc_ip_parse(text, &ip) != 0) {
		fflush(stdout);
		fprintf(stderr,
		    "mcast: '%s' is not an IP address: expected an "
		    "IPv4 or IPv6 group such as 239.1.2.3 or ff05::1:3\n",
		    text);
		return ADDR_UNPARSABLE;
	}
	mc_addr_classify(&ip, &info);
	if (json) {
		fputs(*first ? "\n  " : ",\n  ", stdout);
		addr_print_json(&ip, &info);
	} else if (info.is_multicast) {
		if (!*first)
			printf("\n");
		addr_print_text(&ip, &info);
	}
	if (json || info.is_multicast)
		*first = false;
	if (!info.is_multicast) {
		fflush(stdout);
		fprintf(stderr,
		    "mcast: %s is not a multicast group: expected "
		    "224.0.0.0/4 or ff00::/8\n",
		    text);
		return ADDR_NOT_MULTICAST;
	}
	return ADDR_OK;
}

int
cmd_addr(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ttl-table", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, first = true;
	struct mc_ip a, b;
	char buf[MC_IP_STRLEN];
	int c, i, j, status = 0;

	optind = 0; /* glibc: start afresh, argv[0] is "addr" */
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'T':
			addr_ttl_table();
			return 0;
		case 'h':
			addr_usage(stdout);
			return 0;
		default:
			option_error("addr", c, argv);
		}
	}
	if (optind >= argc) {
		addr_usage(stderr);
		return EXIT_USAGE;
	}
	/* The same address twice: refused before anything is printed. */
	for (i = optind + 1; i < argc; i++)
		for (j = optind; j < i; j++)
			if (mc_ip_parse(argv[i], &a) == 0 &&
			    mc_ip_parse(argv[j], &b) == 0 &&
			    mc_ip_equal(&a, &b))
				repeated_error("address", argv[i],
				    mc_ip_str(&a, buf));
	if (json)
		fputs("[", stdout);
	for (i = optind; i < argc; i++)
		if (addr_one(argv[i], json, &first) != ADDR_OK)
			status = EXIT_USAGE;
	if (json)
		fputs(first ? "]\n" : "\n]\n", stdout);
	return status;
}
