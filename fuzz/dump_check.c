/* mcast dump's decoding and printing of one frame, checked (dump_check.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_check.h"
#include "dump_decode.h"
#include "json_check.h"

static char *
dump_check_print(const struct dump_packet *p, const struct timeval *ts,
    uint32_t caplen, bool json, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		__builtin_trap();
	dump_print_packet(f, ts, caplen, p, json);
	if (fclose(f) != 0)
		__builtin_trap();
	return buf;
}

void
dump_check_frame(int linktype, const uint8_t *frame, size_t caplen,
    const struct timeval *ts)
{
	struct dump_packet p;
	char *out;
	size_t len, i;

	if (!dump_decode_frame(linktype, frame, caplen, &p))
		return;
	if (p.rc == IGMP_OK &&
	    (p.msg.length != p.igmp_len || p.igmp_len > caplen ||
		p.ip.total_len > caplen))
		__builtin_trap();
	out = dump_check_print(&p, ts, (uint32_t)caplen, false, &len);
	if (len == 0 || out[len - 1] != '\n')
		__builtin_trap();
	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			__builtin_trap();
	free(out);
	out = dump_check_print(&p, ts, (uint32_t)caplen, true, &len);
	if (len == 0 || out[len - 1] != '\n' || memchr(out, '\n', len - 1) ||
	    !json_check(out, len - 1))
		__builtin_trap();
	free(out);
}
