/*
 * libFuzzer target: SAP packets (proto/sap_wire.c) into the session
 * directory (proto/sap_dir.c), as `mcast sap listen` hands them.  The
 * input is split at "\n--\n" into packets heard one second apart; the
 * payload of a decoded packet lies within the input or the inflate
 * buffer, the directory's counts add up and stay under its caps.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sap_dir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[SAP_WIRE_MAX_INFLATED];

static void
check_decode(const uint8_t *p, size_t len)
{
	struct sap_msg m;

	if (sap_wire_decode(p, len, 0, buf, sizeof(buf), &m) != SAP_WIRE_OK)
		return;
	if (m.version != 1 || m.payload_len == 0 ||
	    !((m.payload >= p && m.payload + m.payload_len <= p + len) ||
		(m.payload >= buf &&
		    m.payload + m.payload_len <= buf + sizeof(buf))))
		__builtin_trap();
	if (m.auth_len && (m.auth < p || m.auth + m.auth_len > p + len))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sap_dir_config cfg = { .max_entries = 4, .max_bytes = 4096 };
	struct sap_dir *d = sap_dir_new(&cfg, NULL, NULL);
	const struct sap_dir_stats *st;
	const uint8_t *p = data, *end = data + size, *sep;
	struct mc_ip from = { .family = AF_INET };
	mc_time_t now = 0;
	uint64_t sum = 0;
	unsigned i;

	if (d == NULL)
		return 0;
	while (p <= end) {
		sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		if (sep == NULL)
			sep = end;
		check_decode(p, (size_t)(sep - p));
		sap_dir_input(d, now, p, (size_t)(sep - p), &from);
		now += 1000;
		if (sap_dir_count(d) > cfg.max_entries ||
		    sap_dir_bytes(d) > cfg.max_bytes)
			__builtin_trap();
		p = sep + 4;
	}
	st = sap_dir_stats(d);
	for (i = 0; i < SAP_WIRE_ERRORS; i++)
		sum += st->wire[i];
	if (sum != st->packets)
		__builtin_trap();
	sap_dir_expire(d, now + SAP_DIR_MIN_TIMEOUT_MS * 100);
	if (sap_dir_count(d) != 0 || sap_dir_bytes(d) != 0 ||
	    sap_dir_wire_bytes(d) != 0)
		__builtin_trap();
	sap_dir_free(d);
	return 0;
}
