/*
 * libmcast: the host side of IP multicast on Linux.
 *
 * Everything returns 0 (or a count) on success and a negative errno-style
 * code on failure; mc_strerror() names any code.  Nothing here prints,
 * exits or reads a clock behind the caller's back.
 */
#ifndef MCAST_MCAST_H
#define MCAST_MCAST_H

#include <mcast/addr.h>
#include <mcast/sock.h>
#include <mcast/procnet.h>
#include <mcast/dgram.h>
#include <mcast/rxstats.h>

/* Codes of our own, below the errno range. */
#define MC_E_NOT_MULTICAST     (-4001) /* a unicast address given as group */
#define MC_E_BAD_ADDRESS       (-4002) /* not an IPv4 or IPv6 address */
#define MC_E_BAD_PORT	       (-4003) /* port missing or outside 1-65535 */
#define MC_E_NO_SUCH_IFACE     (-4004) /* no interface by that name/index/address */
#define MC_E_NO_MULTICAST_FLAG (-4005) /* interface lacks IFF_MULTICAST */
#define MC_E_FAMILY_MISMATCH   (-4006) /* IPv4 source for an IPv6 group, ... */
#define MC_E_TRUNCATED	       (-4007) /* a buffer too short for what it claims */
#define MC_E_BAD_MAGIC	       (-4008) /* not an mcast datagram */
#define MC_E_BAD_VERSION \
	(-4009)		   /* an mcast datagram of a version we do not know */
#define MC_E_PARSE (-4010) /* a kernel table line we do not understand */

const char *mc_strerror(int code);

#endif
