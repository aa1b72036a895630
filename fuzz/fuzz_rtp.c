/*
 * libFuzzer target: the RTP decoder and a receiver's per-SSRC counts
 * (proto/rtp.c).  The input is decoded as one packet (what is said to be
 * the header, payload and padding adds up to the input), then read as
 * records of sequence number (2 bytes), timestamp (4) and arrival (2, in
 * the payload's clock from the last) fed to one source: lost never goes
 * below 0, and nothing is counted twice.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_rtp_check(const struct rtp_source *s)
{
	if (rtp_source_lost(s) < 0 ||
	    rtp_source_received(s) + s->duplicates > s->packets ||
	    s->jitter < 0 || s->jitter > s->jitter_max + 1e-9)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtp_header h;
	struct rtp_source s;
	uint32_t arrival = 0;
	size_t off;

	if (rtp_decode(data, size, &h) == RTP_DECODE_OK &&
	    (h.header_len > size ||
		h.header_len + h.payload_len + h.padding_len != size ||
		h.header_len !=
		    RTP_HEADER_LEN + 4 * (size_t)h.csrc_count +
			(h.extension ? 4 + h.ext_len : 0)))
		__builtin_trap();
	memset(&h, 0, sizeof(h));
	for (off = 0; off + 8 <= size; off += 8) {
		h.seq = (uint16_t)(data[off] << 8 | data[off + 1]);
		h.timestamp = (uint32_t)data[off + 2] << 24 |
		    (uint32_t)data[off + 3] << 16 |
		    (uint32_t)data[off + 4] << 8 | data[off + 5];
		arrival += (uint32_t)(data[off + 6] << 8 | data[off + 7]);
		if (off == 0)
			rtp_source_init(&s, 1, h.seq);
		rtp_source_input(&s, &h, true, arrival);
		fuzz_rtp_check(&s);
		if (data[off + 7] == 0xff)
			(void)rtp_source_fraction_lost(&s);
	}
	return 0;
}
