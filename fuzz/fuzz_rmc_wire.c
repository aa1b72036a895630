/*
 * libFuzzer target: the decoder of mcast file's packets (proto/rmc_wire.c).
 * What decodes re-encodes to the same bytes (data, end, nack, status, cc,
 * feedback), a
 * manifest's entries stay within the packet and have safe names.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rmc_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[65536];
	struct rmc_pkt pkt;
	struct rmc_entry e;
	int len = -1;

	if (rmc_decode(data, size, &pkt) != 0 || size > sizeof(buf))
		return 0;
	switch (pkt.hdr.type) {
	case RMC_MANIFEST:
		while (rmc_entry_next(&pkt.u.manifest, &e))
			if (e.name < data ||
			    e.name + e.name_len > data + size ||
			    !rmc_name_ok(e.name, e.name_len))
				__builtin_trap();
		return 0;
	case RMC_DATA:
		len = rmc_encode_data(buf, sizeof(buf), &pkt.hdr, &pkt.u.data);
		break;
	case RMC_END:
		len = rmc_encode_end(buf, sizeof(buf), &pkt.hdr, &pkt.u.end);
		/* (reserved bytes are not kept) */
		if (len == (int)size)
			memcpy(buf + 29, data + 29, 3);
		break;
	case RMC_NACK:
		len = rmc_encode_nack(buf, sizeof(buf), &pkt.hdr, &pkt.u.nack);
		if (len == (int)size)
			buf[29] = data[29];
		break;
	case RMC_STATUS:
		len = rmc_encode_status(buf, sizeof(buf), &pkt.hdr,
		    &pkt.u.status);
		if (len == (int)size)
			buf[21] = data[21];
		break;
	case RMC_CC:
		len = rmc_encode_cc(buf, sizeof(buf), &pkt.hdr, &pkt.u.cc);
		if (len == (int)size)
			memcpy(buf + 45, data + 45, 3);
		break;
	case RMC_FEEDBACK:
		len = rmc_encode_feedback(buf, sizeof(buf), &pkt.hdr,
		    &pkt.u.feedback);
		if (len == (int)size)
			memcpy(buf + 45, data + 45, 3);
		break;
	}
	if (pkt.hdr.type == RMC_DATA && len == (int)size)
		buf[27] = data[27];
	if (len != (int)size || memcmp(buf, data, size) != 0)
		__builtin_trap();
	return 0;
}
