/* The checks of mcastd's tunnels, both ways (tun_wire.h). */
#include <string.h>
#include <arpa/inet.h>

#include "tun_wire.h"

#define TUN_WIRE_IP_MF	   0x2000
#define TUN_WIRE_IP_OFFSET 0x1fff

const char *
tun_wire_verdict_name(enum tun_wire_verdict v)
{
	switch (v) {
	case TUN_WIRE_OK:
		return "ok";
	case TUN_WIRE_FOREIGN:
		return "foreign";
	case TUN_WIRE_MALFORMED:
		return "malformed";
	case TUN_WIRE_OVERSIZE:
		return "oversize";
	case TUN_WIRE_FRAGMENT:
		return "fragment";
	case TUN_WIRE_FRAGMENT_TAIL:
		return "fragment-tail";
	case TUN_WIRE_NOT_IPV4:
		return "not-ipv4";
	default:
		return "?";
	}
}

/* An IPv4 header that holds together in len bytes: its total length. */
static size_t
tun_wire_ipv4_len(const uint8_t *p, size_t len)
{
	size_t ihl, total;

	if (len < 20 || (p[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	total = (size_t)p[2] << 8 | p[3];
	if (ihl < 20 || total < ihl || total > len)
		return 0;
	return total;
}

enum tun_wire_verdict
tun_wire_check_out(const uint8_t *p, size_t len, unsigned mtu)
{
	uint16_t frag;

	if (len >= 1 && (p[0] >> 4) != 4)
		return TUN_WIRE_NOT_IPV4;
	if (len == 0 || tun_wire_ipv4_len(p, len) != len)
		return TUN_WIRE_MALFORMED;
	if (len > mtu)
		return TUN_WIRE_OVERSIZE;
	frag = (uint16_t)(p[6] << 8 | p[7]);
	if (frag & TUN_WIRE_IP_OFFSET)
		return TUN_WIRE_FRAGMENT_TAIL;
	if (frag & TUN_WIRE_IP_MF)
		return TUN_WIRE_FRAGMENT;
	return TUN_WIRE_OK;
}

enum tun_wire_verdict
tun_wire_check_in(const uint8_t *p, size_t len, unsigned mtu, size_t *inner_len)
{
	size_t total = tun_wire_ipv4_len(p, len);

	*inner_len = 0;
	if (total == 0)
		return TUN_WIRE_MALFORMED;
	if (total > mtu)
		return TUN_WIRE_OVERSIZE;
	*inner_len = total;
	return TUN_WIRE_OK;
}

enum tun_wire_verdict
tun_wire_decap_ipip(const uint8_t *p, size_t len, struct in_addr local,
    struct in_addr remote, unsigned mtu, const uint8_t **inner,
    size_t *inner_len)
{
	size_t total = tun_wire_ipv4_len(p, len), ihl;

	*inner = NULL;
	*inner_len = 0;
	if (total == 0 || p[9] != IPPROTO_IPIP)
		return TUN_WIRE_MALFORMED;
	if (memcmp(p + 12, &remote.s_addr, 4) != 0 ||
	    memcmp(p + 16, &local.s_addr, 4) != 0)
		return TUN_WIRE_FOREIGN;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	*inner = p + ihl;
	return tun_wire_check_in(p + ihl, total - ihl, mtu, inner_len);
}
