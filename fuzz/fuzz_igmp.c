/*
 * libFuzzer target: the IGMP decoders.  The input is tried as an IPv4
 * packet (igmp_ip_decode, then igmp_decode on its payload) and as a bare
 * IGMP message; every record and source of what decodes is visited, and a
 * few invariants must hold.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igmp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint32_t fuzz_igmp_sink;

static void
fuzz_igmp_sources(const uint8_t *sources, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		fuzz_igmp_sink += igmp_source_at(sources, i).s_addr;
}

static void
fuzz_igmp_msg(const uint8_t *buf, size_t len)
{
	struct igmp_record_iter it;
	struct igmp_group_record rec;
	struct igmp_msg m;
	size_t seen = 0, i;

	if (igmp_decode(buf, len, &m) != IGMP_OK)
		return;
	if (m.length != len || igmp_kind_name(m.kind) == NULL)
		__builtin_trap();
	if (m.kind == IGMP_KIND_V3_QUERY) {
		if (12 + 4 * (size_t)m.nsources > len)
			__builtin_trap();
		fuzz_igmp_sources(m.sources, m.nsources);
	}
	igmp_records_begin(&m, &it);
	while (igmp_records_next(&it, &rec)) {
		seen += 8 + 4 * ((size_t)rec.nsources + rec.aux_words);
		fuzz_igmp_sources(rec.sources, rec.nsources);
		for (i = 0; i < 4 * (size_t)rec.aux_words; i++)
			fuzz_igmp_sink += rec.aux[i];
		fuzz_igmp_sink += igmp_record_type_name(rec.type)[0];
	}
	/* The decoder validated every record: the iterator sees them all. */
	if (it.index != m.nrecords || seen != m.records_len ||
	    (m.kind == IGMP_KIND_V3_REPORT && 8 + seen > len))
		__builtin_trap();
	if (m.kind == IGMP_KIND_DVMRP)
		fuzz_igmp_sink += dvmrp_code_name(m.code)[0];
	if ((m.kind == IGMP_KIND_MTRACE_QUERY ||
		m.kind == IGMP_KIND_MTRACE_RESPONSE) &&
	    24 + 32 * (size_t)m.mtrace_nblocks > len)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *igmp;
	struct igmp_ip ip;
	size_t igmp_len;
	int rc;

	rc = igmp_ip_decode(data, size, &ip, &igmp, &igmp_len);
	fuzz_igmp_sink += igmp_error_name(rc)[0];
	if (rc == IGMP_OK) {
		if (igmp != data + ip.header_len ||
		    ip.header_len + igmp_len != ip.total_len ||
		    ip.total_len > size)
			__builtin_trap();
		fuzz_igmp_msg(igmp, igmp_len);
	}
	fuzz_igmp_msg(data, size);
	return 0;
}
