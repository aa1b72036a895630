/*
 * Multicast addresses: parsing, classification (RFC 5771, 2365, 3180, 4607,
 * 6034, 4291, 3306, 3956, 7346), the HOWTO's TTL scopes and the Ethernet
 * mapping (RFC 1112 6.4, RFC 2464 7).
 */
#ifndef MCAST_ADDR_H
#define MCAST_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address, unicast or multicast. */
struct mc_ip {
	sa_family_t family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* A group (or any address) and a UDP port: what "GROUP:PORT" names. */
struct mc_endpoint {
	struct mc_ip ip;
	uint16_t port; /* host order */
};

#define MC_IP_STRLEN INET6_ADDRSTRLEN

/* "198.18.0.1", "ff02::1", "[ff02::1]": 0 or MC_E_BAD_ADDRESS. */
int mc_ip_parse(const char *text, struct mc_ip *out);
/* "239.1.2.3:5000", "[ff05::1:3]:5000": 0, MC_E_BAD_ADDRESS or MC_E_BAD_PORT. */
int mc_endpoint_parse(const char *text, struct mc_endpoint *out);
const char *mc_ip_str(const struct mc_ip *ip, char buf[MC_IP_STRLEN]);
bool mc_ip_equal(const struct mc_ip *a, const struct mc_ip *b);
bool mc_ip_is_multicast(const struct mc_ip *ip);
void mc_endpoint_to_sockaddr(const struct mc_endpoint *ep,
    struct sockaddr_storage *ss, socklen_t *len);
void mc_ip_from_sockaddr(const struct sockaddr *sa, struct mc_ip *out);

/* Which part of the address space a group belongs to. */
enum mc_block {
	MC_BLOCK_NOT_MULTICAST,
	/* IPv4, RFC 5771 section 3 and the RFCs it points to */
	MC_BLOCK_LOCAL_NETWORK_CONTROL, /* 224.0.0.0/24 */
	MC_BLOCK_INTERNETWORK_CONTROL,	/* 224.0.1.0/24 */
	MC_BLOCK_ADHOC_I,		/* 224.0.2.0 - 224.0.255.255 */
	MC_BLOCK_RESERVED,	 /* 224.1/16, 224.5 - 231.255, 235 - 238 */
	MC_BLOCK_SDP_SAP,	 /* 224.2/16 */
	MC_BLOCK_ADHOC_II,	 /* 224.3.0.0 - 224.4.255.255 */
	MC_BLOCK_SSM,		 /* 232/8, ff3x::/32 */
	MC_BLOCK_GLOP,		 /* 233.0.0.0 - 233.251.255.255 */
	MC_BLOCK_ADHOC_III,	 /* 233.252.0.0/14 */
	MC_BLOCK_UNICAST_PREFIX, /* 234/8 (RFC 6034), ff3x::/12 P=1 */
	MC_BLOCK_ADMIN_SCOPE,	 /* 239/8 (RFC 2365) */
	/* IPv6, RFC 4291 2.7 */
	MC_BLOCK_V6_PERMANENT,	    /* T=0: well-known, IANA assigned */
	MC_BLOCK_V6_TRANSIENT,	    /* T=1, no P or R flag */
	MC_BLOCK_V6_EMBEDDED_RP,    /* ff7x::/12, RFC 3956 */
	MC_BLOCK_V6_SOLICITED_NODE, /* ff02::1:ff00:0/104 */
};

/* IPv6 scope values (RFC 7346 2), also used for IPv4 where they fit. */
enum mc_scope {
	MC_SCOPE_NONE = 0, /* not multicast / reserved */
	MC_SCOPE_INTERFACE_LOCAL = 1,
	MC_SCOPE_LINK_LOCAL = 2,
	MC_SCOPE_REALM_LOCAL = 3,
	MC_SCOPE_ADMIN_LOCAL = 4,
	MC_SCOPE_SITE_LOCAL = 5,
	MC_SCOPE_ORGANIZATION_LOCAL = 8,
	MC_SCOPE_GLOBAL = 14,
};

struct mc_addr_info {
	bool is_multicast;
	enum mc_block block;
	const char *block_name;	  /* "Local Network Control Block" */
	const char *block_prefix; /* "224.0.0.0/24" */
	const char *rfc;	  /* "RFC 5771" */
	enum mc_scope scope;
	const char *scope_name; /* "link-local", "IPv4 Local Scope" ... */
	const char *name;	/* well-known name or NULL ("All Systems") */
	bool forwardable;	/* may a router ever forward it */
	bool ssm;		/* source-specific range (RFC 4607) */
	bool has_glop_as;
	uint16_t glop_as; /* RFC 3180: 233.AS-hi.AS-lo.x */
	bool has_unicast_prefix;
	struct mc_ip unicast_prefix; /* RFC 6034/3306: the owner's prefix */
	uint8_t unicast_prefix_len;
	uint8_t mac[6]; /* Ethernet destination */
};

/* Classify any address; for a unicast one only is_multicast=false is set. */
void mc_addr_classify(const struct mc_ip *ip, struct mc_addr_info *out);
const char *mc_scope_name(enum mc_scope scope);

/* RFC 1112 6.4: 01:00:5e + low 23 bits; RFC 2464 7: 33:33 + low 32 bits. */
void mc_ip_to_mac(const struct mc_ip *group, uint8_t mac[6]);
/*
 * The 32 IPv4 groups that share group's MAC address, in ascending order,
 * group itself among them.  group must be IPv4 multicast.
 */
void mc_mac_collisions(struct in_addr group, struct in_addr out[32]);

/* The HOWTO's table (section 2.3.1): what a TTL restricts a datagram to. */
const char *mc_ttl_scope(unsigned ttl);

#endif
