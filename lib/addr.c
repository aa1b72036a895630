/*
 * Multicast addresses: parsing, classification, the Ethernet mapping and
 * the HOWTO's TTL scopes.  Everything is table-driven: the tables below are
 * the data, the functions only look things up in them.
 */
#include <arpa/inet.h>
#include <string.h>

#include <mcast/mcast.h>

/* Host-order IPv4 address from its four octets. */
#define ADDR_V4(a, b, c, d)                              \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
	    ((uint32_t)(c) << 8) | (uint32_t)(d))

/* RFC 5771 3: the IPv4 multicast address blocks, first to last. */
struct addr_v4_block {
	uint32_t first; /* host order */
	uint32_t last;
	enum mc_block block;
	const char *name;
	const char *prefix;
	const char *rfc;
	enum mc_scope scope;
	bool forwardable;
};

static const struct addr_v4_block addr_v4_blocks[] = {
	{ ADDR_V4(224, 0, 0, 0), ADDR_V4(224, 0, 0, 255),
	    MC_BLOCK_LOCAL_NETWORK_CONTROL, "Local Network Control Block",
	    "224.0.0.0/24", "RFC 5771", MC_SCOPE_LINK_LOCAL, false },
	{ ADDR_V4(224, 0, 1, 0), ADDR_V4(224, 0, 1, 255),
	    MC_BLOCK_INTERNETWORK_CONTROL, "Internetwork Control Block",
	    "224.0.1.0/24", "RFC 5771", MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(224, 0, 2, 0), ADDR_V4(224, 0, 255, 255), MC_BLOCK_ADHOC_I,
	    "AD-HOC Block I", "224.0.2.0-224.0.255.255", "RFC 5771",
	    MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(224, 1, 0, 0), ADDR_V4(224, 1, 255, 255), MC_BLOCK_RESERVED,
	    "Reserved", "224.1.0.0/16", "RFC 5771", MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(224, 2, 0, 0), ADDR_V4(224, 2, 255, 255), MC_BLOCK_SDP_SAP,
	    "SDP/SAP Block", "224.2.0.0/16", "RFC 5771", MC_SCOPE_GLOBAL,
	    true },
	{ ADDR_V4(224, 3, 0, 0), ADDR_V4(224, 4, 255, 255), MC_BLOCK_ADHOC_II,
	    "AD-HOC Block II", "224.3.0.0-224.4.255.255", "RFC 5771",
	    MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(224, 5, 0, 0), ADDR_V4(231, 255, 255, 255), MC_BLOCK_RESERVED,
	    "Reserved", "224.5.0.0-231.255.255.255", "RFC 5771",
	    MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(232, 0, 0, 0), ADDR_V4(232, 255, 255, 255), MC_BLOCK_SSM,
	    "Source-Specific Multicast Block", "232.0.0.0/8", "RFC 4607",
	    MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(233, 0, 0, 0), ADDR_V4(233, 251, 255, 255), MC_BLOCK_GLOP,
	    "GLOP Block", "233.0.0.0-233.251.255.255", "RFC 3180",
	    MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(233, 252, 0, 0), ADDR_V4(233, 255, 255, 255),
	    MC_BLOCK_ADHOC_III, "AD-HOC Block III", "233.252.0.0/14",
	    "RFC 5771", MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(234, 0, 0, 0), ADDR_V4(234, 255, 255, 255),
	    MC_BLOCK_UNICAST_PREFIX, "Unicast-Prefix-based Block",
	    "234.0.0.0/8", "RFC 6034", MC_SCOPE_GLOBAL, true },
	{ ADDR_V4(235, 0, 0, 0), ADDR_V4(238, 255, 255, 255), MC_BLOCK_RESERVED,
	    "Reserved", "235.0.0.0-238.255.255.255", "RFC 5771",
	    MC_SCOPE_GLOBAL, true },
	/* The scope of this block comes from addr_v4_admin_scopes. */
	{ ADDR_V4(239, 0, 0, 0), ADDR_V4(239, 255, 255, 255),
	    MC_BLOCK_ADMIN_SCOPE, "Administratively Scoped Block",
	    "239.0.0.0/8", "RFC 2365", MC_SCOPE_NONE, true },
};

/*
 * RFC 2365 6.1 and 6.2: the scopes inside 239/8.  What neither section
 * assigns is reserved; it is some administrative scope, so admin-local.
 */
struct addr_v4_admin_scope {
	uint32_t first;
	uint32_t last;
	enum mc_scope scope;
	const char *name;
};

static const struct addr_v4_admin_scope addr_v4_admin_scopes[] = {
	{ ADDR_V4(239, 255, 0, 0), ADDR_V4(239, 255, 255, 255),
	    MC_SCOPE_SITE_LOCAL, "IPv4 Local Scope 239.255.0.0/16" },
	{ ADDR_V4(239, 254, 0, 0), ADDR_V4(239, 254, 255, 255),
	    MC_SCOPE_SITE_LOCAL, "IPv4 Local Scope expansion 239.254.0.0/16" },
	{ ADDR_V4(239, 253, 0, 0), ADDR_V4(239, 253, 255, 255),
	    MC_SCOPE_SITE_LOCAL, "IPv4 Local Scope expansion 239.253.0.0/16" },
	{ ADDR_V4(239, 192, 0, 0), ADDR_V4(239, 195, 255, 255),
	    MC_SCOPE_ORGANIZATION_LOCAL,
	    "IPv4 Organization Local Scope 239.192.0.0/14" },
	{ ADDR_V4(239, 0, 0, 0), ADDR_V4(239, 63, 255, 255),
	    MC_SCOPE_ORGANIZATION_LOCAL,
	    "IPv4 Organization Local Scope expansion 239.0.0.0/10" },
	{ ADDR_V4(239, 64, 0, 0), ADDR_V4(239, 127, 255, 255),
	    MC_SCOPE_ORGANIZATION_LOCAL,
	    "IPv4 Organization Local Scope expansion 239.64.0.0/10" },
	{ ADDR_V4(239, 128, 0, 0), ADDR_V4(239, 191, 255, 255),
	    MC_SCOPE_ORGANIZATION_LOCAL,
	    "IPv4 Organization Local Scope expansion 239.128.0.0/10" },
	{ ADDR_V4(239, 196, 0, 0), ADDR_V4(239, 252, 255, 255),
	    MC_SCOPE_ADMIN_LOCAL,
	    "reserved administrative scope 239.196.0.0-239.252.255.255" },
};

/* Well-known IPv4 groups and named ranges (IANA registry, RFC 6676). */
struct addr_v4_name {
	uint32_t first;
	uint32_t last;
	const char *name;
};

#define ADDR_V4_ONE(a, b, c, d) ADDR_V4(a, b, c, d), ADDR_V4(a, b, c, d)

static const struct addr_v4_name addr_v4_names[] = {
	{ ADDR_V4_ONE(224, 0, 0, 0), "Base Address (reserved)" },
	{ ADDR_V4_ONE(224, 0, 0, 1), "All Systems (all-hosts)" },
	{ ADDR_V4_ONE(224, 0, 0, 2), "All Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 4), "DVMRP Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 5), "OSPF All Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 6), "OSPF Designated Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 9), "RIPv2 Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 10), "EIGRP Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 13), "All PIM Routers" },
	{ ADDR_V4_ONE(224, 0, 0, 18), "VRRP" },
	{ ADDR_V4_ONE(224, 0, 0, 22), "IGMPv3 (All IGMPv3-capable Routers)" },
	{ ADDR_V4_ONE(224, 0, 0, 102), "HSRPv2" },
	{ ADDR_V4_ONE(224, 0, 0, 107), "PTP pdelay" },
	{ ADDR_V4_ONE(224, 0, 0, 251), "mDNS" },
	{ ADDR_V4_ONE(224, 0, 0, 252), "LLMNR" },
	{ ADDR_V4_ONE(224, 0, 1, 1), "NTP" },
	{ ADDR_V4_ONE(224, 0, 1, 32), "mtrace" },
	{ ADDR_V4_ONE(224, 0, 1, 39), "Cisco-RP-Announce" },
	{ ADDR_V4_ONE(224, 0, 1, 40), "Cisco-RP-Discovery" },
	{ ADDR_V4_ONE(224, 0, 1, 129), "PTP primary" },
	{ ADDR_V4_ONE(224, 2, 127, 254), "SAPv1 Announcements" },
	{ ADDR_V4(233, 252, 0, 0), ADDR_V4(233, 252, 0, 255),
	    "MCAST-TEST-NET" },
	{ ADDR_V4_ONE(239, 255, 255, 250), "SSDP" },
	{ ADDR_V4_ONE(239, 255, 255, 253), "SLPv2" },
};

/*
 * IPv6 blocks, RFC 4291 2.7 and the RFCs that give meaning to the flags:
 * the first pattern that matches (address & mask) == value wins.  The masks
 * never cover the scope nibble.
 */
struct addr_v6_block {
	const char *value;
	const char *mask;
	enum mc_block block;
	const char *name;
	const char *prefix;
	const char *rfc;
};

static const struct addr_v6_block addr_v6_blocks[] = {
	{ "ff02::1:ff00:0", "ffff:ffff:ffff:ffff:ffff:ffff:ff00:0",
	    MC_BLOCK_V6_SOLICITED_NODE, "Solicited-Node Block",
	    "ff02::1:ff00:0/104", "RFC 4291" },
	{ "ff30::", "fff0:ffff::", MC_BLOCK_SSM,
	    "Source-Specific Multicast Block", "ff3x::/32", "RFC 4607" },
	{ "ff70::", "fff0::", MC_BLOCK_V6_EMBEDDED_RP, "Embedded-RP Block",
	    "ff7x::/12", "RFC 3956" },
	{ "ff30::", "fff0::", MC_BLOCK_UNICAST_PREFIX,
	    "Unicast-Prefix-based Block", "ff3x::/12", "RFC 3306" },
	{ "ff10::", "ff10::", MC_BLOCK_V6_TRANSIENT, "Transient Block",
	    "ff1x::/12", "RFC 4291" },
	{ "ff00::", "ff00::", MC_BLOCK_V6_PERMANENT,
	    "Permanent (well-known) Block", "ff0x::/12", "RFC 4291" },
};

/* A set of scope values, for the groups whose name depends on the scope. */
#define ADDR_SCOPES(s)	(1u << (s))
#define ADDR_SCOPES_ALL 0x7ffeu /* 1 to e: all but the reserved */

/*
 * RFC 4291 2.7.1 and the IANA registry: permanent (T=0) IPv6 groups, by
 * group ID (the low 32 bits; the bits between flags/scope and the group ID
 * are zero) and the scopes in which the name holds.
 */
struct addr_v6_name {
	uint32_t group_id;
	unsigned scopes;
	const char *name;
};

static const struct addr_v6_name addr_v6_names[] = {
	{ 0x1, ADDR_SCOPES(1) | ADDR_SCOPES(2), "All Nodes" },
	{ 0x2, ADDR_SCOPES(1) | ADDR_SCOPES(2) | ADDR_SCOPES(5),
	    "All Routers" },
	{ 0x5, ADDR_SCOPES(2), "OSPFv3 All Routers" },
	{ 0x6, ADDR_SCOPES(2), "OSPFv3 Designated Routers" },
	{ 0x9, ADDR_SCOPES(2), "RIPng Routers" },
	{ 0xd, ADDR_SCOPES(2), "All PIM Routers" },
	{ 0x16, ADDR_SCOPES(2), "MLDv2-capable Routers" },
	{ 0xfb, ADDR_SCOPES(2), "mDNSv6" },
	{ 0x101, ADDR_SCOPES_ALL, "NTP" },
	{ 0x10002, ADDR_SCOPES(2), "All DHCP Relay Agents and Servers" },
	{ 0x10003, ADDR_SCOPES(2), "LLMNR" },
	{ 0x10003, ADDR_SCOPES(5), "All DHCP Servers" },
};

/* RFC 7346 2: the scope field values and their names. */
static const char *const addr_scope_names[16] = {
	[0x0] = "reserved",
	[0x1] = "interface-local",
	[0x2] = "link-local",
	[0x3] = "realm-local",
	[0x4] = "admin-local",
	[0x5] = "site-local",
	[0x6] = "unassigned",
	[0x7] = "unassigned",
	[0x8] = "organization-local",
	[0x9] = "unassigned",
	[0xa] = "unassigned",
	[0xb] = "unassigned",
	[0xc] = "unassigned",
	[0xd] = "unassigned",
	[0xe] = "global",
	[0xf] = "reserved",
};

/* The HOWTO 2.3.1: TTL thresholds and what they restrict a datagram to. */
struct addr_ttl_scope {
	unsigned max_ttl;
	const char *name;
};

static const struct addr_ttl_scope addr_ttl_scopes[] = {
	{ 0, "host" },
	{ 1, "subnet" },
	{ 31, "site" },
	{ 63, "region" },
	{ 127, "continent" },
	{ 255, "global" },
};

#define ADDR_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The IPv6 multicast flags (RFC 4291 2.7, RFC 3306 4, RFC 3956 3). */
#define ADDR_V6_FLAG_T 0x1
#define ADDR_V6_FLAG_P 0x2
#define ADDR_V6_FLAG_R 0x4

static int
addr_v4_parse(const char *text, struct mc_ip *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		return MC_E_BAD_ADDRESS;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->u.v4 = a;
	return 0;
}

static int
addr_v6_parse(const char *text, struct mc_ip *out)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, text, &a) != 1)
		return MC_E_BAD_ADDRESS;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	out->u.v6 = a;
	return 0;
}

/* "[ff02::1]" + rest: copy what is inside the brackets, point at the rest. */
static int
addr_unbracket(const char *text, char buf[MC_IP_STRLEN], const char **rest)
{
	const char *close;
	size_t len;

	if (text[0] != '[')
		return MC_E_BAD_ADDRESS;
	close = strchr(text, ']');
	if (close == NULL)
		return MC_E_BAD_ADDRESS;
	len = (size_t)(close - text - 1);
	if (len == 0 || len >= MC_IP_STRLEN)
		return MC_E_BAD_ADDRESS;
	memcpy(buf, text + 1, len);
	buf[len] = '\0';
	*rest = close + 1;
	return 0;
}

int
mc_ip_parse(const char *text, struct mc_ip *out)
{
	char buf[MC_IP_STRLEN];
	const char *rest;

	if (text == NULL)
		return MC_E_BAD_ADDRESS;
	if (text[0] == '[') {
		if (addr_unbracket(text, buf, &rest) != 0 || *rest != '\0')
			return MC_E_BAD_ADDRESS;
		return addr_v6_parse(buf, out);
	}
	if (addr_v4_parse(text, out) == 0)
		return 0;
	return addr_v6_parse(text, out);
}

/* A UDP port: decimal digits only, 1-65535. */
static int
addr_port_parse(const char *text, uint16_t *port)
{
	unsigned long v = 0;

	if (*text == '\0')
		return MC_E_BAD_PORT;
	for (; *text != '\0'; text++) {
		if (*text < '0' || *text > '9')
			return MC_E_BAD_PORT;
		v = v * 10 + (unsigned long)(*text - '0');
		if (v > 65535)
			return MC_E_BAD_PORT;
	}
	if (v == 0)
		return MC_E_BAD_PORT;
	*port = (uint16_t)v;
	return 0;
}

int
mc_endpoint_parse(const char *text, struct mc_endpoint *out)
{
	char buf[MC_IP_STRLEN];
	const char *colon, *rest;
	struct mc_ip ip;
	uint16_t port;
	size_t len;
	int rc;

	if (text == NULL)
		return MC_E_BAD_ADDRESS;
	if (text[0] == '[') {
		/* "[v6]:port" */
		if ((rc = addr_unbracket(text, buf, &rest)) != 0)
			return rc;
		if ((rc = addr_v6_parse(buf, &ip)) != 0)
			return rc;
		if (*rest != ':')
			return MC_E_BAD_PORT;
		colon = rest;
	} else {
		/* "v4:port"; a bare IPv6 address has no port. */
		if (addr_v6_parse(text, &ip) == 0)
			return MC_E_BAD_PORT;
		colon = strrchr(text, ':');
		if (colon == NULL)
			return addr_v4_parse(text, &ip) == 0 ? MC_E_BAD_PORT :
							       MC_E_BAD_ADDRESS;
		len = (size_t)(colon - text);
		if (len == 0 || len >= MC_IP_STRLEN)
			return MC_E_BAD_ADDRESS;
		memcpy(buf, text, len);
		buf[len] = '\0';
		if ((rc = addr_v4_parse(buf, &ip)) != 0)
			return rc;
	}
	if ((rc = addr_port_parse(colon + 1, &port)) != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->ip = ip;
	out->port = port;
	return 0;
}

const char *
mc_ip_str(const struct mc_ip *ip, char buf[MC_IP_STRLEN])
{
	const void *src;

	switch (ip->family) {
	case AF_INET:
		src = &ip->u.v4;
		break;
	case AF_INET6:
		src = &ip->u.v6;
		break;
	default:
		strcpy(buf, "?");
		return buf;
	}
	if (inet_ntop(ip->family, src, buf, MC_IP_STRLEN) == NULL)
		strcpy(buf, "?");
	return buf;
}

bool
mc_ip_equal(const struct mc_ip *a, const struct mc_ip *b)
{
	if (a->family != b->family)
		return false;
	switch (a->family) {
	case AF_INET:
		return a->u.v4.s_addr == b->u.v4.s_addr;
	case AF_INET6:
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	default:
		return false;
	}
}

/* RFC 5771 2 (224.0.0.0/4) and RFC 4291 2.7 (ff00::/8). */
bool
mc_ip_is_multicast(const struct mc_ip *ip)
{
	switch (ip->family) {
	case AF_INET:
		return (ntohl(ip->u.v4.s_addr) & 0xf0000000u) == 0xe0000000u;
	case AF_INET6:
		return ip->u.v6.s6_addr[0] == 0xff;
	default:
		return false;
	}
}

void
mc_endpoint_to_sockaddr(const struct mc_endpoint *ep,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;

	memset(ss, 0, sizeof(*ss));
	switch (ep->ip.family) {
	case AF_INET:
		sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(ep->port);
		sin->sin_addr = ep->ip.u.v4;
		*len = sizeof(*sin);
		break;
	case AF_INET6:
		sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(ep->port);
		sin6->sin6_addr = ep->ip.u.v6;
		*len = sizeof(*sin6);
		break;
	default:
		ss->ss_family = AF_UNSPEC;
		*len = 0;
		break;
	}
}

void
mc_ip_from_sockaddr(const struct sockaddr *sa, struct mc_ip *out)
{
	memset(out, 0, sizeof(*out));
	switch (sa->sa_family) {
	case AF_INET:
		out->family = AF_INET;
		out->u.v4 = ((const struct sockaddr_in *)sa)->sin_addr;
		break;
	case AF_INET6:
		out->family = AF_INET6;
		out->u.v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		break;
	default:
		out->family = AF_UNSPEC;
		break;
	}
}

/* RFC 7346 2 */
const char *
mc_scope_name(enum mc_scope scope)
{
	if ((unsigned)scope >= ADDR_NELEM(addr_scope_names))
		return "reserved";
	return addr_scope_names[scope];
}

/* RFC 5771 3: which block holds a (host order). */
static const struct addr_v4_block *
addr_v4_block_lookup(uint32_t a)
{
	size_t i;

	for (i = 0; i < ADDR_NELEM(addr_v4_blocks); i++)
		if (a >= addr_v4_blocks[i].first && a <= addr_v4_blocks[i].last)
			return &addr_v4_blocks[i];
	return NULL;
}

/* RFC 2365 6: the administrative scope of a 239/8 address. */
static const struct addr_v4_admin_scope *
addr_v4_admin_scope_lookup(uint32_t a)
{
	size_t i;

	for (i = 0; i < ADDR_NELEM(addr_v4_admin_scopes); i++)
		if (a >= addr_v4_admin_scopes[i].first &&
		    a <= addr_v4_admin_scopes[i].last)
			return &addr_v4_admin_scopes[i];
	return NULL;
}

static const char *
addr_v4_name_lookup(uint32_t a)
{
	size_t i;

	for (i = 0; i < ADDR_NELEM(addr_v4_names); i++)
		if (a >= addr_v4_names[i].first && a <= addr_v4_names[i].last)
			return addr_v4_names[i].name;
	return NULL;
}

/* RFC 3180 2: 233.AS-high.AS-low.x carries a 16-bit AS number. */
static uint16_t
addr_v4_glop_as(uint32_t a)
{
	return (uint16_t)((a >> 8) & 0xffff);
}

/* RFC 6034 2: 234.P1.P2.P3 belongs to the owner of P1.P2.P3.0/24. */
static void
addr_v4_unicast_prefix(uint32_t a, struct mc_ip *prefix, uint8_t *len)
{
	memset(prefix, 0, sizeof(*prefix));
	prefix->family = AF_INET;
	prefix->u.v4.s_addr = htonl((a & 0x00ffffffu) << 8);
	*len = 24;
}

static void
addr_v4_classify(uint32_t a, struct mc_addr_info *out)
{
	const struct addr_v4_block *b;
	const struct addr_v4_admin_scope *as;

	b = addr_v4_block_lookup(a);
	if (b == NULL)
		return;
	out->block = b->block;
	out->block_name = b->name;
	out->block_prefix = b->prefix;
	out->rfc = b->rfc;
	out->scope = b->scope;
	out->scope_name = mc_scope_name(b->scope);
	out->forwardable = b->forwardable;
	out->name = addr_v4_name_lookup(a);

	switch (b->block) {
	case MC_BLOCK_SSM:
		out->ssm = true;
		break;
	case MC_BLOCK_GLOP:
		out->has_glop_as = true;
		out->glop_as = addr_v4_glop_as(a);
		break;
	case MC_BLOCK_UNICAST_PREFIX:
		out->has_unicast_prefix = true;
		addr_v4_unicast_prefix(a, &out->unicast_prefix,
		    &out->unicast_prefix_len);
		break;
	case MC_BLOCK_ADMIN_SCOPE:
		as = addr_v4_admin_scope_lookup(a);
		if (as != NULL) {
			out->scope = as->scope;
			out->scope_name = as->name;
		}
		break;
	default:
		break;
	}
}

/* (a & mask) == value, for addresses given as text in the table. */
static bool
addr_v6_match(const struct in6_addr *a, const char *value, const char *mask)
{
	struct in6_addr v, m;
	size_t i;

	if (inet_pton(AF_INET6, value, &v) != 1 ||
	    inet_pton(AF_INET6, mask, &m) != 1)
		return false;
	for (i = 0; i < sizeof(v.s6_addr); i++)
		if ((a->s6_addr[i] & m.s6_addr[i]) != v.s6_addr[i])
			return false;
	return true;
}

static const struct addr_v6_block *
addr_v6_block_lookup(const struct in6_addr *a)
{
	size_t i;

	for (i = 0; i < ADDR_NELEM(addr_v6_blocks); i++)
		if (addr_v6_match(a, addr_v6_blocks[i].value,
			addr_v6_blocks[i].mask))
			return &addr_v6_blocks[i];
	return NULL;
}

/* RFC 4291 2.7.1: permanent groups, by group ID and scope. */
static const char *
addr_v6_name_lookup(const struct in6_addr *a, unsigned scope)
{
	const uint8_t *b = a->s6_addr;
	uint32_t group_id;
	size_t i;

	if ((b[1] >> 4) != 0)
		return NULL;
	for (i = 2; i < 12; i++)
		if (b[i] != 0)
			return NULL;
	group_id = ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) |
	    ((uint32_t)b[14] << 8) | b[15];
	for (i = 0; i < ADDR_NELEM(addr_v6_names); i++)
		if (addr_v6_names[i].group_id == group_id &&
		    (addr_v6_names[i].scopes & ADDR_SCOPES(scope)) != 0)
			return addr_v6_names[i].name;
	return NULL;
}

/*
 * RFC 4291 2.7 and RFC 7346 2: the scope field.  0 and f are reserved;
 * the unassigned values are kept as they are (administrators may define
 * them, RFC 7346 2) and are wider than site-local.
 */
static enum mc_scope
addr_v6_scope(const struct in6_addr *a)
{
	unsigned scop = a->s6_addr[1] & 0x0f;

	if (scop == 0x0 || scop == 0xf)
		return MC_SCOPE_NONE;
	return (enum mc_scope)scop;
}

/* RFC 4291 2.7: routers never forward beyond the scope; 1 and 2 stay. */
static bool
addr_v6_forwardable(enum mc_scope scope)
{
	return scope != MC_SCOPE_NONE && scope > MC_SCOPE_LINK_LOCAL;
}

/*
 * RFC 3306 4 (and RFC 3956 2 for the embedded-RP form): plen in byte 3,
 * the network prefix in bytes 4..11; plen may not exceed 64.
 */
static bool
addr_v6_unicast_prefix(const struct in6_addr *a, struct mc_ip *prefix,
    uint8_t *len)
{
	unsigned plen = a->s6_addr[3];
	unsigned i;

	if (plen == 0 || plen > 64)
		return false;
	memset(prefix, 0, sizeof(*prefix));
	prefix->family = AF_INET6;
	memcpy(prefix->u.v6.s6_addr, &a->s6_addr[4], 8);
	for (i = plen; i < 64; i++)
		prefix->u.v6.s6_addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	*len = (uint8_t)plen;
	return true;
}

static void
addr_v6_classify(const struct in6_addr *a, struct mc_addr_info *out)
{
	const struct addr_v6_block *b;

	out->scope = addr_v6_scope(a);
	out->scope_name = mc_scope_name(out->scope);
	out->forwardable = addr_v6_forwardable(out->scope);
	out->name = addr_v6_name_lookup(a, a->s6_addr[1] & 0x0f);

	b = addr_v6_block_lookup(a);
	if (b == NULL)
		return;
	out->block = b->block;
	out->block_name = b->name;
	out->block_prefix = b->prefix;
	out->rfc = b->rfc;

	switch (b->block) {
	case MC_BLOCK_SSM:
		out->ssm = true;
		break;
	case MC_BLOCK_UNICAST_PREFIX:
	case MC_BLOCK_V6_EMBEDDED_RP:
		out->has_unicast_prefix = addr_v6_unicast_prefix(a,
		    &out->unicast_prefix, &out->unicast_prefix_len);
		break;
	case MC_BLOCK_V6_SOLICITED_NODE:
		out->name = "Solicited-Node";
		break;
	default:
		break;
	}
}

void
mc_addr_classify(const struct mc_ip *ip, struct mc_addr_info *out)
{
	memset(out, 0, sizeof(*out));
	out->block = MC_BLOCK_NOT_MULTICAST;
	out->scope = MC_SCOPE_NONE;
	if (!mc_ip_is_multicast(ip))
		return;
	out->is_multicast = true;
	if (ip->family == AF_INET)
		addr_v4_classify(ntohl(ip->u.v4.s_addr), out);
	else
		addr_v6_classify(&ip->u.v6, out);
	mc_ip_to_mac(ip, out->mac);
}

/* RFC 1112 6.4: 01:00:5e, a zero bit, then the low 23 bits of the group. */
static void
addr_v4_to_mac(uint32_t a, uint8_t mac[6])
{
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (uint8_t)((a >> 16) & 0x7f);
	mac[4] = (uint8_t)(a >> 8);
	mac[5] = (uint8_t)a;
}

/* RFC 2464 7: 33:33, then the low 32 bits of the group. */
static void
addr_v6_to_mac(const struct in6_addr *a, uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(&mac[2], &a->s6_addr[12], 4);
}

void
mc_ip_to_mac(const struct mc_ip *group, uint8_t mac[6])
{
	switch (group->family) {
	case AF_INET:
		addr_v4_to_mac(ntohl(group->u.v4.s_addr), mac);
		break;
	case AF_INET6:
		addr_v6_to_mac(&group->u.v6, mac);
		break;
	default:
		memset(mac, 0, 6);
		break;
	}
}

/*
 * RFC 1112 6.4: the five bits 23..27 of a group do not reach the MAC, so
 * 32 groups share each one.  Counting those bits up gives ascending order.
 */
void
mc_mac_collisions(struct in_addr group, struct in_addr out[32])
{
	uint32_t base = ntohl(group.s_addr) & ~(0x1fu << 23);
	uint32_t i;

	for (i = 0; i < 32; i++)
		out[i].s_addr = htonl(base | (i << 23));
}

/* The HOWTO 2.3.1: TTL thresholds. */
const char *
mc_ttl_scope(unsigned ttl)
{
	size_t i;

	for (i = 0; i < ADDR_NELEM(addr_ttl_scopes); i++)
		if (ttl <= addr_ttl_scopes[i].max_ttl)
			return addr_ttl_scopes[i].name;
	return "invalid";
}
