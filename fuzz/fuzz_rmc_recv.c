/*
 * libFuzzer target: sequences of packets into mcast file's receiver
 * engine (proto/rmc_recv.c).  The input is records: a time step (1 byte,
 * milliseconds), a length (2 bytes) and that many bytes of packet.  The
 * engine never writes outside a file it announced, never holds more than
 * its window, and its events are well formed (what it sends decodes).
 */
#include <stddef.h>
#include <stdint.h>

#include "rmc_recv.h"

#define FUZZ_FILES_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sizes[FUZZ_FILES_MAX] = { 0 };
	bool known[FUZZ_FILES_MAX] = { false };
	struct rmc_recv_config c;
	const struct rmc_recv_ev *ev;
	struct rmc_recv *r;
	mc_time_t now = 0;
	int error;

	rmc_recv_config_default(&c);
	c.receiver = 1;
	c.window_blocks = 4;
	if ((r = rmc_recv_new(&c, now, 1, &error)) == NULL)
		return 0;
	while (size >= 3) {
		size_t len = (size_t)data[1] << 8 | data[2];

		now += data[0];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		rmc_recv_input(r, now, data, len);
		rmc_recv_timer(r, now);
		data += len;
		size -= len;
		if (rmc_recv_held(r) > c.window_blocks)
			__builtin_trap();
		while ((ev = rmc_recv_event(r)) != NULL) {
			switch (ev->type) {
			case RMC_EV_FILE:
				if (!rmc_name_ok(ev->entry.name,
					ev->entry.name_len))
					__builtin_trap();
				if (ev->file < FUZZ_FILES_MAX) {
					known[ev->file] = true;
					sizes[ev->file] = ev->entry.size;
				}
				break;
			case RMC_EV_WRITE:
				if (ev->file < FUZZ_FILES_MAX &&
				    (!known[ev->file] ||
					ev->offset + ev->len > sizes[ev->file]))
					__builtin_trap();
				break;
			case RMC_EV_SEND: {
				struct rmc_pkt pkt;

				/* NACK, STATUS, FEEDBACK (--cc tfmcc) */
				if (ev->len > RMC_FEEDBACK_LEN ||
				    rmc_decode(ev->data, ev->len, &pkt) != 0)
					__builtin_trap();
				break;
			}
			default:
				break;
			}
		}
	}
	rmc_recv_free(r);
	return 0;
}
