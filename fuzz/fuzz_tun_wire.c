/*
 * libFuzzer target: the decapsulation path of mcastd's tunnels
 * (proto/tun_wire.c), as the raw IP-in-IP socket and the UDP socket hand
 * packets to daemon/tun.c.  The first byte picks the MTU; what is said to
 * be OK lies within the input, holds a whole IPv4 header, and is not
 * longer than the MTU.
 */
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>

#include "tun_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in_addr local = { htonl(0xc6125301) };  /* 198.18.83.1 */
	struct in_addr remote = { htonl(0xc6125201) }; /* 198.18.82.1 */
	const uint8_t *inner;
	unsigned mtu;
	size_t len;

	if (size < 1)
		return 0;
	mtu = 20 + (unsigned)data[0] * 8;
	data++;
	size--;
	if (tun_wire_decap_ipip(data, size, local, remote, mtu, &inner, &len) ==
		TUN_WIRE_OK &&
	    (inner < data || inner + len > data + size || len < 20 ||
		len > mtu || (inner[0] >> 4) != 4 ||
		(size_t)(inner[0] & 0x0f) * 4 > len))
		__builtin_trap();
	if (tun_wire_check_in(data, size, mtu, &len) == TUN_WIRE_OK &&
	    (len > size || len > mtu || len < 20))
		__builtin_trap();
	if (tun_wire_check_out(data, size, mtu) == TUN_WIRE_OK && size > mtu)
		__builtin_trap();
	return 0;
}
