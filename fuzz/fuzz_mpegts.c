/*
 * libFuzzer target: MPEG-TS packets and a receiver's per-PID counts
 * (proto/mpegts.c).  The first byte of each chunk says how long the next
 * datagram is (in 47-byte steps up to 1316 + a remainder); the counts add
 * up (every packet is in one PID, the null count or the untracked one),
 * and a continuity error never stands for more than 15 missing packets.
 */
#include <stddef.h>
#include <stdint.h>

#include "mpegts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_mpegts_check(const struct mpegts_stats *s)
{
	uint64_t sum = s->null_packets + s->pids_untracked;
	size_t i;

	if (s->npids > MPEGTS_MAX_PIDS)
		__builtin_trap();
	for (i = 0; i < s->npids; i++) {
		const struct mpegts_pid *p = &s->pids[i];

		sum += p->packets;
		if (p->cc_lost > 15 * p->cc_errors ||
		    p->duplicates > p->packets ||
		    p->pcr_intervals > p->pcr_count ||
		    p->pcr_interval_min > p->pcr_interval_max ||
		    mpegts_pid_find(s, p->pid) != p)
			__builtin_trap();
	}
	if (sum != s->packets)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mpegts_stats s;
	struct mpegts_packet pk;
	size_t len;

	mpegts_stats_init(&s);
	while (size > 1) {
		len = (size_t)(data[0] % 29) * 47 + data[0] / 29;
		data++;
		size--;
		if (len > size)
			len = size;
		if (mpegts_looks_like(data, len) &&
		    mpegts_decode(data, &pk) == MPEGTS_ERR_SYNC)
			__builtin_trap();
		mpegts_input(&s, data, len);
		fuzz_mpegts_check(&s);
		data += len;
		size -= len;
	}
	return 0;
}
