/*
 * Unit tests of lib/addr.c and lib/strerror.c: parsing, classification,
 * the Ethernet mapping and the TTL scopes, each against exact values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <mcast/mcast.h>

/* Parse text that must be a valid address. */
static struct mc_ip
ip(const char *text)
{
	struct mc_ip a;

	assert_int_equal(mc_ip_parse(text, &a), 0);
	return a;
}

static struct mc_addr_info
classify(const char *text)
{
	struct mc_addr_info info;
	struct mc_ip a = ip(text);

	mc_addr_classify(&a, &info);
	return info;
}

static const char *
str(const struct mc_ip *a)
{
	static char buf[MC_IP_STRLEN];

	return mc_ip_str(a, buf);
}

static void
test_ip_parse_good(void **state)
{
	struct mc_ip a;

	assert_int_equal(mc_ip_parse("239.1.2.3", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(ntohl(a.u.v4.s_addr), 0xef010203u);

	assert_int_equal(mc_ip_parse("ff05::1:3", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.u.v6.s6_addr[0], 0xff);
	assert_int_equal(a.u.v6.s6_addr[1], 0x05);
	assert_int_equal(a.u.v6.s6_addr[13], 0x01);
	assert_int_equal(a.u.v6.s6_addr[15], 0x03);

	assert_int_equal(mc_ip_parse("[ff02::1]", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_string_equal(str(&a), "ff02::1");

	assert_int_equal(mc_ip_parse("198.18.0.1", &a), 0);
	assert_string_equal(str(&a), "198.18.0.1");
}

static void
test_ip_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"foo",
		"239.1.2",
		"239.1.2.3.4",
		"256.1.1.1",
		"239.1.2.3 ",
		" 239.1.2.3",
		"[239.1.2.3]",
		"[ff02::1",
		"ff02::1]",
		"[ff02::1]x",
		"[]",
		"ff02:::1",
		"239.1.2.3:5000",
		"localhost",
		"fe80::1%lo",
	};
	struct mc_ip a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mc_ip_parse(bad[i], &a), MC_E_BAD_ADDRESS);
	assert_int_equal(mc_ip_parse(NULL, &a), MC_E_BAD_ADDRESS);
}

static void
test_endpoint_parse_good(void **state)
{
	struct mc_endpoint ep;

	assert_int_equal(mc_endpoint_parse("239.1.2.3:5000", &ep), 0);
	assert_int_equal(ep.ip.family, AF_INET);
	assert_string_equal(str(&ep.ip), "239.1.2.3");
	assert_int_equal(ep.port, 5000);

	assert_int_equal(mc_endpoint_parse("[ff05::1:3]:5000", &ep), 0);
	assert_int_equal(ep.ip.family, AF_INET6);
	assert_string_equal(str(&ep.ip), "ff05::1:3");
	assert_int_equal(ep.port, 5000);

	assert_int_equal(mc_endpoint_parse("[ff02::1]:5000", &ep), 0);
	assert_string_equal(str(&ep.ip), "ff02::1");
	assert_int_equal(ep.port, 5000);

	assert_int_equal(mc_endpoint_parse("239.1.1.1:1", &ep), 0);
	assert_int_equal(ep.port, 1);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:65535", &ep), 0);
	assert_int_equal(ep.port, 65535);

	/* An endpoint need not be a group: the caller decides. */
	assert_int_equal(mc_endpoint_parse("10.1.2.3:5000", &ep), 0);
	assert_string_equal(str(&ep.ip), "10.1.2.3");
	assert_int_equal(ep.port, 5000);
	assert_false(mc_ip_is_multicast(&ep.ip));
}

static void
test_endpoint_parse_bad(void **state)
{
	struct mc_endpoint ep;

	assert_int_equal(mc_endpoint_parse("239.1.1.1:0", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:65536", &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:70000", &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:-1", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:+80", &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:0x50", &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1:99999999999999999999",
			     &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("239.1.1.1", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse(":70000", &ep), MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse(":5000", &ep), MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse("foo:5000", &ep), MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse("foo", &ep), MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse("239.1.1:5000", &ep),
	    MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse("[239.1.1.1]:5000", &ep),
	    MC_E_BAD_ADDRESS);
	assert_int_equal(mc_endpoint_parse("[ff02::1:5000", &ep),
	    MC_E_BAD_ADDRESS);
	/* IPv6 with a port needs brackets: these are addresses, no port. */
	assert_int_equal(mc_endpoint_parse("ff02::1:5000", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("ff05::1:3", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("[ff02::1]", &ep), MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("[ff02::1]5000", &ep),
	    MC_E_BAD_PORT);
	assert_int_equal(mc_endpoint_parse("[ff02::1]:0", &ep), MC_E_BAD_PORT);
}

static void
test_ip_equal_and_sockaddr(void **state)
{
	struct mc_ip a = ip("239.1.2.3"), b = ip("239.1.2.3");
	struct mc_ip c = ip("239.1.2.4"), d = ip("ff02::1");
	struct mc_ip e = ip("[ff02::1]");
	struct mc_endpoint ep;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct mc_ip back;
	socklen_t len;

	assert_true(mc_ip_equal(&a, &b));
	assert_false(mc_ip_equal(&a, &c));
	assert_false(mc_ip_equal(&a, &d));
	assert_true(mc_ip_equal(&d, &e));

	assert_int_equal(mc_endpoint_parse("239.1.2.3:5000", &ep), 0);
	mc_endpoint_to_sockaddr(&ep, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(((uint8_t *)&sin->sin_port)[0], 0x13);
	assert_int_equal(((uint8_t *)&sin->sin_port)[1], 0x88);
	assert_int_equal(sin->sin_addr.s_addr, htonl(0xef010203u));
	mc_ip_from_sockaddr((struct sockaddr *)&ss, &back);
	assert_true(mc_ip_equal(&back, &a));

	assert_int_equal(mc_endpoint_parse("[ff05::1:3]:9875", &ep), 0);
	mc_endpoint_to_sockaddr(&ep, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 9875);
	assert_int_equal(sin6->sin6_scope_id, 0);
	mc_ip_from_sockaddr((struct sockaddr *)&ss, &back);
	assert_true(mc_ip_equal(&back, &ep.ip));
}

static void
test_is_multicast_edges(void **state)
{
	struct mc_ip a;
	struct mc_addr_info info;

	a = ip("223.255.255.255");
	assert_false(mc_ip_is_multicast(&a));
	mc_addr_classify(&a, &info);
	assert_false(info.is_multicast);
	assert_int_equal(info.block, MC_BLOCK_NOT_MULTICAST);
	assert_int_equal(info.scope, MC_SCOPE_NONE);
	assert_null(info.name);

	a = ip("240.0.0.0");
	assert_false(mc_ip_is_multicast(&a));
	a = ip("224.0.0.0");
	assert_true(mc_ip_is_multicast(&a));
	a = ip("239.255.255.255");
	assert_true(mc_ip_is_multicast(&a));
	a = ip("fe80::1");
	assert_false(mc_ip_is_multicast(&a));
	a = ip("ff00::");
	assert_true(mc_ip_is_multicast(&a));

	info = classify("10.1.2.3");
	assert_false(info.is_multicast);
}

static void
test_v4_local_network_control(void **state)
{
	struct mc_addr_info info;

	info = classify("224.0.0.0");
	assert_true(info.is_multicast);
	assert_int_equal(info.block, MC_BLOCK_LOCAL_NETWORK_CONTROL);
	assert_string_equal(info.block_name, "Local Network Control Block");
	assert_string_equal(info.block_prefix, "224.0.0.0/24");
	assert_string_equal(info.rfc, "RFC 5771");
	assert_int_equal(info.scope, MC_SCOPE_LINK_LOCAL);
	assert_string_equal(info.scope_name, "link-local");
	assert_string_equal(info.name, "Base Address (reserved)");
	assert_false(info.forwardable);
	assert_false(info.ssm);
	assert_false(info.has_glop_as);
	assert_false(info.has_unicast_prefix);

	info = classify("224.0.0.1");
	assert_string_equal(info.name, "All Systems (all-hosts)");
	info = classify("224.0.0.22");
	assert_non_null(strstr(info.name, "IGMPv3"));
	info = classify("224.0.0.251");
	assert_string_equal(info.name, "mDNS");

	info = classify("224.0.0.255");
	assert_int_equal(info.block, MC_BLOCK_LOCAL_NETWORK_CONTROL);
	assert_false(info.forwardable);
	assert_null(info.name);
}

static void
test_v4_internetwork_control(void **state)
{
	struct mc_addr_info info;

	info = classify("224.0.1.0");
	assert_int_equal(info.block, MC_BLOCK_INTERNETWORK_CONTROL);
	assert_string_equal(info.block_prefix, "224.0.1.0/24");
	assert_int_equal(info.scope, MC_SCOPE_GLOBAL);
	assert_string_equal(info.scope_name, "global");
	assert_true(info.forwardable);
	assert_null(info.name);

	info = classify("224.0.1.1");
	assert_string_equal(info.name, "NTP");
	info = classify("224.0.1.32");
	assert_string_equal(info.name, "mtrace");
	info = classify("224.0.1.255");
	assert_int_equal(info.block, MC_BLOCK_INTERNETWORK_CONTROL);
	info = classify("224.0.2.0");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_I);
	info = classify("224.0.255.255");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_I);
}

static void
test_v4_middle_blocks(void **state)
{
	struct mc_addr_info info;

	info = classify("224.1.0.0");
	assert_int_equal(info.block, MC_BLOCK_RESERVED);
	info = classify("224.2.0.0");
	assert_int_equal(info.block, MC_BLOCK_SDP_SAP);
	info = classify("224.2.127.254");
	assert_int_equal(info.block, MC_BLOCK_SDP_SAP);
	assert_string_equal(info.name, "SAPv1 Announcements");
	info = classify("224.3.0.0");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_II);
	info = classify("224.4.255.255");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_II);
	info = classify("224.5.0.0");
	assert_int_equal(info.block, MC_BLOCK_RESERVED);
	info = classify("231.255.255.255");
	assert_int_equal(info.block, MC_BLOCK_RESERVED);
	info = classify("235.0.0.0");
	assert_int_equal(info.block, MC_BLOCK_RESERVED);
	info = classify("238.255.255.255");
	assert_int_equal(info.block, MC_BLOCK_RESERVED);
	assert_int_equal(info.scope, MC_SCOPE_GLOBAL);
}

static void
test_v4_ssm(void **state)
{
	struct mc_addr_info info;

	info = classify("232.0.0.0");
	assert_int_equal(info.block, MC_BLOCK_SSM);
	assert_string_equal(info.block_prefix, "232.0.0.0/8");
	assert_string_equal(info.rfc, "RFC 4607");
	assert_true(info.ssm);
	assert_true(info.forwardable);
	assert_int_equal(info.scope, MC_SCOPE_GLOBAL);

	info = classify("232.255.255.255");
	assert_int_equal(info.block, MC_BLOCK_SSM);
	assert_true(info.ssm);

	info = classify("231.255.255.255");
	assert_false(info.ssm);
	info = classify("233.0.0.0");
	assert_false(info.ssm);
}

static void
test_v4_glop(void **state)
{
	struct mc_addr_info info;

	info = classify("233.3.4.1");
	assert_int_equal(info.block, MC_BLOCK_GLOP);
	assert_string_equal(info.rfc, "RFC 3180");
	assert_true(info.has_glop_as);
	assert_int_equal(info.glop_as, 772);
	assert_false(info.ssm);

	info = classify("233.251.255.255");
	assert_int_equal(info.block, MC_BLOCK_GLOP);
	assert_int_equal(info.glop_as, 64511);
}

static void
test_v4_adhoc_iii(void **state)
{
	struct mc_addr_info info;

	info = classify("233.252.0.0");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_III);
	assert_string_equal(info.block_prefix, "233.252.0.0/14");
	assert_string_equal(info.name, "MCAST-TEST-NET");
	assert_false(info.has_glop_as);

	info = classify("233.252.0.255");
	assert_string_equal(info.name, "MCAST-TEST-NET");
	info = classify("233.252.1.0");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_III);
	assert_null(info.name);
	info = classify("233.255.255.255");
	assert_int_equal(info.block, MC_BLOCK_ADHOC_III);
}

static void
test_v4_unicast_prefix(void **state)
{
	struct mc_addr_info info;

	info = classify("234.198.18.7");
	assert_int_equal(info.block, MC_BLOCK_UNICAST_PREFIX);
	assert_string_equal(info.rfc, "RFC 6034");
	assert_true(info.has_unicast_prefix);
	assert_int_equal(info.unicast_prefix.family, AF_INET);
	assert_string_equal(str(&info.unicast_prefix), "198.18.7.0");
	assert_int_equal(info.unicast_prefix_len, 24);
}

static void
test_v4_admin_scope(void **state)
{
	struct mc_addr_info info;

	info = classify("239.255.255.255");
	assert_int_equal(info.block, MC_BLOCK_ADMIN_SCOPE);
	assert_string_equal(info.block_name, "Administratively Scoped Block");
	assert_string_equal(info.block_prefix, "239.0.0.0/8");
	assert_string_equal(info.rfc, "RFC 2365");
	assert_int_equal(info.scope, MC_SCOPE_SITE_LOCAL);
	assert_string_equal(info.scope_name, "IPv4 Local Scope 239.255.0.0/16");
	assert_true(info.forwardable);
	assert_null(info.name);

	info = classify("239.255.255.250");
	assert_string_equal(info.name, "SSDP");
	info = classify("239.255.255.253");
	assert_string_equal(info.name, "SLPv2");

	info = classify("239.254.0.1");
	assert_int_equal(info.scope, MC_SCOPE_SITE_LOCAL);
	info = classify("239.192.0.0");
	assert_int_equal(info.scope, MC_SCOPE_ORGANIZATION_LOCAL);
	assert_string_equal(info.scope_name,
	    "IPv4 Organization Local Scope 239.192.0.0/14");
	info = classify("239.195.255.255");
	assert_int_equal(info.scope, MC_SCOPE_ORGANIZATION_LOCAL);
	info = classify("239.0.0.0");
	assert_int_equal(info.scope, MC_SCOPE_ORGANIZATION_LOCAL);
	assert_string_equal(info.scope_name,
	    "IPv4 Organization Local Scope expansion 239.0.0.0/10");
	info = classify("239.196.0.0");
	assert_int_equal(info.scope, MC_SCOPE_ADMIN_LOCAL);
	info = classify("239.252.255.255");
	assert_int_equal(info.scope, MC_SCOPE_ADMIN_LOCAL);
	info = classify("239.253.0.0");
	assert_int_equal(info.scope, MC_SCOPE_SITE_LOCAL);
}

static void
test_v6_all_nodes(void **state)
{
	struct mc_addr_info info;

	info = classify("ff02::1");
	assert_true(info.is_multicast);
	assert_int_equal(info.block, MC_BLOCK_V6_PERMANENT);
	assert_string_equal(info.rfc, "RFC 4291");
	assert_int_equal(info.scope, MC_SCOPE_LINK_LOCAL);
	assert_string_equal(info.scope_name, "link-local");
	assert_string_equal(info.name, "All Nodes");
	assert_false(info.forwardable);
	assert_false(info.ssm);
	assert_false(info.has_unicast_prefix);

	info = classify("ff01::1");
	assert_int_equal(info.scope, MC_SCOPE_INTERFACE_LOCAL);
	assert_string_equal(info.name, "All Nodes");
	info = classify("ff05::1");
	assert_null(info.name);
	info = classify("ff05::2");
	assert_string_equal(info.name, "All Routers");
	info = classify("ff12::1");
	assert_int_equal(info.block, MC_BLOCK_V6_TRANSIENT);
	assert_null(info.name);
	info = classify("ff02::16");
	assert_string_equal(info.name, "MLDv2-capable Routers");
	info = classify("ff02::1:3");
	assert_string_equal(info.name, "LLMNR");
}

static void
test_v6_dhcp_servers(void **state)
{
	struct mc_addr_info info;

	info = classify("ff05::1:3");
	assert_int_equal(info.block, MC_BLOCK_V6_PERMANENT);
	assert_int_equal(info.scope, MC_SCOPE_SITE_LOCAL);
	assert_string_equal(info.scope_name, "site-local");
	assert_string_equal(info.name, "All DHCP Servers");
	assert_true(info.forwardable);
}

static void
test_v6_ssm(void **state)
{
	struct mc_addr_info info;

	info = classify("ff3e::1234");
	assert_int_equal(info.block, MC_BLOCK_SSM);
	assert_string_equal(info.rfc, "RFC 4607");
	assert_true(info.ssm);
	assert_int_equal(info.scope, MC_SCOPE_GLOBAL);
	assert_true(info.forwardable);
	assert_false(info.has_unicast_prefix);
	assert_null(info.name);
}

static void
test_v6_unicast_prefix_and_rp(void **state)
{
	struct mc_addr_info info;

	info = classify("ff3e:40:2001:db8:ffff:ffff::1");
	assert_int_equal(info.block, MC_BLOCK_UNICAST_PREFIX);
	assert_string_equal(info.rfc, "RFC 3306");
	assert_false(info.ssm);
	assert_true(info.has_unicast_prefix);
	assert_int_equal(info.unicast_prefix_len, 64);
	assert_string_equal(str(&info.unicast_prefix), "2001:db8:ffff:ffff::");

	info = classify("ff35:30:2001:db8:ffff::1");
	assert_int_equal(info.unicast_prefix_len, 48);
	assert_string_equal(str(&info.unicast_prefix), "2001:db8:ffff::");
	assert_int_equal(info.scope, MC_SCOPE_SITE_LOCAL);

	info = classify("ff7e:140:2001:db8:beef:feed::1234");
	assert_int_equal(info.block, MC_BLOCK_V6_EMBEDDED_RP);
	assert_string_equal(info.rfc, "RFC 3956");
	assert_true(info.has_unicast_prefix);
	assert_int_equal(info.unicast_prefix_len, 64);
	assert_string_equal(str(&info.unicast_prefix), "2001:db8:beef:feed::");
}

static void
test_v6_solicited_node(void **state)
{
	struct mc_addr_info info;

	info = classify("ff02::1:ff12:3456");
	assert_int_equal(info.block, MC_BLOCK_V6_SOLICITED_NODE);
	assert_string_equal(info.name, "Solicited-Node");
	assert_int_equal(info.scope, MC_SCOPE_LINK_LOCAL);
	assert_false(info.forwardable);
	assert_int_equal(info.mac[0], 0x33);
	assert_int_equal(info.mac[1], 0x33);
	assert_int_equal(info.mac[2], 0xff);
	assert_int_equal(info.mac[3], 0x12);
	assert_int_equal(info.mac[4], 0x34);
	assert_int_equal(info.mac[5], 0x56);
}

static void
test_v6_ntp_and_scopes(void **state)
{
	struct mc_addr_info info;

	info = classify("ff0e::101");
	assert_int_equal(info.block, MC_BLOCK_V6_PERMANENT);
	assert_string_equal(info.name, "NTP");
	assert_int_equal(info.scope, MC_SCOPE_GLOBAL);
	assert_string_equal(info.scope_name, "global");
	assert_true(info.forwardable);

	info = classify("ff03::1");
	assert_int_equal(info.scope, MC_SCOPE_REALM_LOCAL);
	assert_true(info.forwardable);
	info = classify("ff04::1");
	assert_int_equal(info.scope, MC_SCOPE_ADMIN_LOCAL);
	info = classify("ff08::1");
	assert_int_equal(info.scope, MC_SCOPE_ORGANIZATION_LOCAL);
	assert_string_equal(info.scope_name, "organization-local");

	info = classify("ff00::101");
	assert_int_equal(info.scope, MC_SCOPE_NONE);
	assert_string_equal(info.scope_name, "reserved");
	assert_false(info.forwardable);
	assert_null(info.name);
	info = classify("ff0f::1");
	assert_int_equal(info.scope, MC_SCOPE_NONE);
	assert_false(info.forwardable);
}

static void
test_scope_names(void **state)
{
	assert_string_equal(mc_scope_name(MC_SCOPE_INTERFACE_LOCAL),
	    "interface-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_LINK_LOCAL), "link-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_REALM_LOCAL), "realm-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_ADMIN_LOCAL), "admin-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_SITE_LOCAL), "site-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_ORGANIZATION_LOCAL),
	    "organization-local");
	assert_string_equal(mc_scope_name(MC_SCOPE_GLOBAL), "global");
	assert_string_equal(mc_scope_name(MC_SCOPE_NONE), "reserved");
}

static void
assert_mac(const char *group, const uint8_t expect[6])
{
	struct mc_ip a = ip(group);
	struct mc_addr_info info;
	uint8_t mac[6];

	mc_ip_to_mac(&a, mac);
	assert_memory_equal(mac, expect, 6);
	mc_addr_classify(&a, &info);
	assert_memory_equal(info.mac, expect, 6);
}

static void
test_mac(void **state)
{
	static const uint8_t ssdp[6] = { 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa };
	static const uint8_t all[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t v6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t v6b[6] = { 0x33, 0x33, 0x00, 0x01, 0x00, 0x03 };

	assert_mac("239.255.255.250", ssdp);
	assert_mac("224.127.255.250", ssdp);
	assert_mac("224.0.0.1", all);
	assert_mac("224.128.0.1", all);
	assert_mac("ff02::1", v6);
	assert_mac("ff0e::1", v6);
	assert_mac("ff05::1:3", v6b);
}

static void
test_mac_collisions(void **state)
{
	struct in_addr out[32];
	struct mc_ip a = ip("239.255.255.250"), o;
	unsigned i, found = 0;

	mc_mac_collisions(a.u.v4, out);
	o.family = AF_INET;
	o.u.v4 = out[0];
	assert_string_equal(str(&o), "224.127.255.250");
	o.u.v4 = out[1];
	assert_string_equal(str(&o), "224.255.255.250");
	o.u.v4 = out[31];
	assert_string_equal(str(&o), "239.255.255.250");
	for (i = 0; i < 32; i++) {
		if (out[i].s_addr == a.u.v4.s_addr)
			found++;
		if (i > 0)
			assert_true(ntohl(out[i - 1].s_addr) <
			    ntohl(out[i].s_addr));
	}
	assert_int_equal(found, 1);

	a = ip("224.0.0.1");
	mc_mac_collisions(a.u.v4, out);
	o.u.v4 = out[0];
	assert_string_equal(str(&o), "224.0.0.1");
	o.u.v4 = out[1];
	assert_string_equal(str(&o), "224.128.0.1");
	o.u.v4 = out[31];
	assert_string_equal(str(&o), "239.128.0.1");
}

static void
test_ttl_scope(void **state)
{
	assert_string_equal(mc_ttl_scope(0), "host");
	assert_string_equal(mc_ttl_scope(1), "subnet");
	assert_string_equal(mc_ttl_scope(2), "site");
	assert_string_equal(mc_ttl_scope(31), "site");
	assert_string_equal(mc_ttl_scope(32), "region");
	assert_string_equal(mc_ttl_scope(63), "region");
	assert_string_equal(mc_ttl_scope(64), "continent");
	assert_string_equal(mc_ttl_scope(127), "continent");
	assert_string_equal(mc_ttl_scope(128), "global");
	assert_string_equal(mc_ttl_scope(255), "global");
	assert_string_equal(mc_ttl_scope(256), "invalid");
}

static void
test_strerror(void **state)
{
	assert_string_equal(mc_strerror(MC_E_BAD_ADDRESS),
	    "not an IPv4 or IPv6 address");
	assert_string_equal(mc_strerror(MC_E_BAD_PORT),
	    "port missing or outside 1-65535");
	assert_string_equal(mc_strerror(MC_E_NOT_MULTICAST),
	    "not a multicast group");
	assert_string_equal(mc_strerror(-ENODEV), strerror(ENODEV));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse_good),
		cmocka_unit_test(test_ip_parse_bad),
		cmocka_unit_test(test_endpoint_parse_good),
		cmocka_unit_test(test_endpoint_parse_bad),
		cmocka_unit_test(test_ip_equal_and_sockaddr),
		cmocka_unit_test(test_is_multicast_edges),
		cmocka_unit_test(test_v4_local_network_control),
		cmocka_unit_test(test_v4_internetwork_control),
		cmocka_unit_test(test_v4_middle_blocks),
		cmocka_unit_test(test_v4_ssm),
		cmocka_unit_test(test_v4_glop),
		cmocka_unit_test(test_v4_adhoc_iii),
		cmocka_unit_test(test_v4_unicast_prefix),
		cmocka_unit_test(test_v4_admin_scope),
		cmocka_unit_test(test_v6_all_nodes),
		cmocka_unit_test(test_v6_dhcp_servers),
		cmocka_unit_test(test_v6_ssm),
		cmocka_unit_test(test_v6_unicast_prefix_and_rp),
		cmocka_unit_test(test_v6_solicited_node),
		cmocka_unit_test(test_v6_ntp_and_scopes),
		cmocka_unit_test(test_scope_names),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_mac_collisions),
		cmocka_unit_test(test_ttl_scope),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
