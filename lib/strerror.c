/*
 * mc_strerror(): a short English phrase for any code libmcast returns.
 */
#include <string.h>

#include <mcast/mcast.h>

struct strerror_entry {
	int code;
	const char *text;
};

static const struct strerror_entry strerror_table[] = {
	{ MC_E_NOT_MULTICAST, "not a multicast group" },
	{ MC_E_BAD_ADDRESS, "not an IPv4 or IPv6 address" },
	{ MC_E_BAD_PORT, "port missing or outside 1-65535" },
	{ MC_E_NO_SUCH_IFACE, "no such interface" },
	{ MC_E_NO_MULTICAST_FLAG, "interface is not multicast-capable" },
	{ MC_E_FAMILY_MISMATCH, "address families do not match" },
	{ MC_E_TRUNCATED, "truncated data" },
	{ MC_E_BAD_MAGIC, "not an mcast datagram" },
	{ MC_E_BAD_VERSION, "unknown mcast datagram version" },
	{ MC_E_PARSE, "unrecognised kernel table line" },
};

const char *
mc_strerror(int code)
{
	size_t i;

	for (i = 0; i < sizeof(strerror_table) / sizeof(strerror_table[0]); i++)
		if (strerror_table[i].code == code)
			return strerror_table[i].text;
	return strerror(-code);
}
