/*
 * libFuzzer target: `mcast dump -r FILE` on whatever file it is given.
 * The input is a whole capture (pcap or pcapng), read by libpcap from
 * memory as dump reads it from disk; every frame goes through dump's
 * decoding and printing (tools/dump_decode.c) with fuzz/dump_check.c's
 * checks.  libpcap is not instrumented: this finds what our code does
 * with what libpcap hands over, and libpcap's crashes, not its coverage.
 */
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dump_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PCAP_MAX_FRAMES 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *frame;
	int linktype, n = 0;
	pcap_t *p;
	FILE *f;

	if (size == 0 || size > 1 << 20)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (f == NULL)
		return 0;
	p = pcap_fopen_offline(f, errbuf); /* owns f from here on */
	if (p == NULL) {
		fclose(f);
		return 0;
	}
	linktype = pcap_datalink(p);
	while (n++ < FUZZ_PCAP_MAX_FRAMES && pcap_next_ex(p, &ph, &frame) == 1)
		dump_check_frame(linktype, frame, ph->caplen, &ph->ts);
	pcap_close(p);
	return 0;
}
