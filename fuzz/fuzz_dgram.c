/* libFuzzer target: the mcast datagram header decoder. */
#include <stddef.h>
#include <stdint.h>

#include <mcast/mcast.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_dgram_header h;
	uint8_t again[MC_DGRAM_HEADER_START_LEN];
	struct mc_dgram_header h2;

	if (mc_dgram_decode(data, size, &h) == 0) {
		/* What decodes re-encodes to a header that decodes the same. */
		if (mc_dgram_encode(&h, again, sizeof(again)) != 0 ||
		    mc_dgram_decode(again, sizeof(again), &h2) != 0 ||
		    h2.sequence != h.sequence || h2.sender_id != h.sender_id ||
		    h2.total != h.total || h2.flags != h.flags ||
		    h2.send_time_ns != h.send_time_ns ||
		    h2.stream_start_ns != h.stream_start_ns)
			__builtin_trap();
	}
	return 0;
}
