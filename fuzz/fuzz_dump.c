/*
 * libFuzzer target: mcast dump's decoding of one captured frame
 * (tools/dump_decode.c), from the link layer to the IGMP message, printed
 * as text and as JSON.  The input: one byte choosing the link type (low
 * bits) and whether to fix the IPv4 header and IGMP checksums up first
 * (0x80, so that the fuzzer gets past them to every kind of message), the
 * capture time (8 bytes of seconds, 4 of microseconds, big-endian, as
 * libpcap may hand them over from any file), then the frame.
 */
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dump_check.h"
#include "igmp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DUMP_HEADER 13

static uint64_t
fuzz_dump_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Where the IPv4 header starts, as dump_decode.c finds it. */
static size_t
fuzz_dump_ip_offset(int linktype, const uint8_t *frame, size_t len)
{
	size_t off;

	switch (linktype) {
	case DLT_EN10MB:
		for (off = 12; off + 2 <= len; off += 4) {
			uint16_t ethertype = (uint16_t)(frame[off] << 8 |
			    frame[off + 1]);

			if (ethertype != 0x8100 && ethertype != 0x88a8)
				break;
		}
		return off + 2;
	case DLT_LINUX_SLL:
		return 16;
	case DLT_LINUX_SLL2:
		return 20;
	default:
		return 0;
	}
}

static void
fuzz_dump_seal(uint8_t *at, const uint8_t *from, size_t len)
{
	uint16_t sum;

	at[0] = at[1] = 0;
	sum = igmp_checksum(from, len);
	at[0] = (uint8_t)(sum >> 8);
	at[1] = (uint8_t)sum;
}

static void
fuzz_dump_fix_checksums(int linktype, uint8_t *frame, size_t len)
{
	size_t off = fuzz_dump_ip_offset(linktype, frame, len), hlen, total;
	uint8_t *ip = frame + off;

	if (off + 20 > len)
		return;
	hlen = (size_t)(ip[0] & 0x0f) * 4;
	if (hlen < 20 || off + hlen > len)
		return;
	fuzz_dump_seal(ip + 10, ip, hlen);
	total = (size_t)ip[2] << 8 | ip[3];
	if (total < hlen + 4 || off + total > len)
		return;
	fuzz_dump_seal(ip + hlen + 2, ip + hlen, total - hlen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* What dump knows, and one link type it does not (loopback). */
	static const int linktypes[] = {
		DLT_EN10MB,
		DLT_LINUX_SLL,
		DLT_LINUX_SLL2,
		DLT_RAW,
		DLT_IPV4,
		DLT_NULL,
	};
	struct timeval ts;
	uint8_t *frame;
	size_t len;
	int linktype;

	if (size < FUZZ_DUMP_HEADER)
		return 0;
	linktype = linktypes[(data[0] & 0x7f) %
	    (sizeof(linktypes) / sizeof(linktypes[0]))];
	ts.tv_sec = (time_t)fuzz_dump_be(data + 1, 8);
	ts.tv_usec = (suseconds_t)(int32_t)fuzz_dump_be(data + 9, 4);
	len = size - FUZZ_DUMP_HEADER;
	/* A copy of its own, so that ASan sees a read past the frame. */
	frame = malloc(len ? len : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data + FUZZ_DUMP_HEADER, len);
	if (data[0] & 0x80)
		fuzz_dump_fix_checksums(linktype, frame, len);
	dump_check_frame(linktype, frame, len, &ts);
	free(frame);
	return 0;
}
