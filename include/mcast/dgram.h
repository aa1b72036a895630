/*
 * The header `mcast send` puts in front of every datagram (all fields in
 * network byte order):
 *
 *   0  magic        u32  0x4d435354 ("MCST")
 *   4  version      u8   1
 *   5  flags        u8   MC_DGRAM_PROBE, MC_DGRAM_REPLY
 *   6  header_len   u16  32, or 40 with stream_start_ns
 *   8  sender_id    u32  random per sender run
 *  12  total        u32  datagrams the sender will send (0 = unknown)
 *  16  sequence     u64  0, 1, 2 ...
 *  24  send_time_ns u64  CLOCK_REALTIME when sent, nanoseconds
 *  32  stream_start_ns u64  CLOCK_REALTIME when sequence 0 was sent
 *                       (only when header_len >= 40)
 *  32 or 40  payload (filler up to the datagram size)
 *
 * A receiver that reads header_len 32 from an older sender (or from a
 * datagram too short for 40 bytes) does not know when the stream began;
 * older receivers skip the field (header_len may grow).
 */
#ifndef MCAST_DGRAM_H
#define MCAST_DGRAM_H

#include <stddef.h>
#include <stdint.h>

#define MC_DGRAM_MAGIC	    0x4d435354u
#define MC_DGRAM_VERSION    1
#define MC_DGRAM_HEADER_LEN 32
/* With the stream's start time. */
#define MC_DGRAM_HEADER_START_LEN 40

#define MC_DGRAM_PROBE 0x01 /* mcast ping: please answer */
#define MC_DGRAM_REPLY 0x02 /* mcast pong: an answer */

struct mc_dgram_header {
	uint8_t flags;
	uint32_t sender_id;
	uint32_t total;
	uint64_t sequence;
	uint64_t send_time_ns;
	uint64_t stream_start_ns; /* 0: not carried */
};

/*
 * Write the header at buf (len >= MC_DGRAM_HEADER_LEN): 32 bytes, or 40
 * when stream_start_ns is set and len has room for it.
 */
int mc_dgram_encode(const struct mc_dgram_header *h, uint8_t *buf, size_t len);
/* 0, MC_E_TRUNCATED, MC_E_BAD_MAGIC or MC_E_BAD_VERSION; never reads past len. */
int mc_dgram_decode(const uint8_t *buf, size_t len, struct mc_dgram_header *h);

#endif
