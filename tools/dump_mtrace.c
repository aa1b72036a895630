/*
 * mcast dump: the response blocks of an mtrace query, request or
 * response (proto/mtrace_wire.c's decoding) as text and as JSON members
 * (dump_decode.h).  tcpdump prints only the header; the blocks are ours.
 */
#include <arpa/inet.h>

#include "dump_decode.h"

static const char *
dump_mtrace_addr(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* The source mask as mtrace prints it: "/24", "(S,G)", "S/24". */
static void
dump_mtrace_mask(FILE *f, const struct mtrace_block *b)
{
	if (b->mask_len == MTRACE_MASK_SG)
		fputs(" (S,G)", f);
	else
		fprintf(f, " %s/%u", b->s_bit ? "S" : "", b->mask_len);
}

/*
 * " [1: 198.18.2.2 -> 198.18.3.1 from 198.18.2.1 DVMRP thresh 1 /24
 * prune sent, pkts in 2069 out 2069 sg 2069]" for each block, the
 * last-hop router's first.
 */
void
dump_mtrace_text(FILE *f, const struct mtrace_msg *m, int rc)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	struct mtrace_block_iter it;
	struct mtrace_block blk;

	if (rc != MTRACE_OK) {
		fprintf(f, ": invalid: %s", mtrace_error_name(rc));
		return;
	}
	mtrace_blocks_begin(m, &it);
	while (mtrace_blocks_next(&it, &blk)) {
		fprintf(f, "%s [%u: %s -> %s from %s %s thresh %u",
		    it.index == 1 ? ":" : "", it.index,
		    dump_mtrace_addr(blk.in_addr, a),
		    dump_mtrace_addr(blk.out_addr, b),
		    dump_mtrace_addr(blk.prev_hop, c),
		    mtrace_proto_name(blk.proto), blk.fwd_ttl);
		dump_mtrace_mask(f, &blk);
		if (blk.fwd_code <= MTRACE_FWD_INFO_HIDDEN ||
		    (blk.fwd_code >= MTRACE_FWD_NO_SPACE &&
			blk.fwd_code <= MTRACE_FWD_ADMIN_PROHIB))
			fprintf(f, " %s", mtrace_fwd_code_name(blk.fwd_code));
		else
			fprintf(f, " code 0x%02x", blk.fwd_code);
		fprintf(f, ", pkts in %u out %u sg %u]", blk.in_pkts,
		    blk.out_pkts, blk.sg_pkts);
	}
}

void
dump_mtrace_json(FILE *f, const struct mtrace_msg *m, int rc)
{
	char a[INET_ADDRSTRLEN];
	struct mtrace_block_iter it;
	struct mtrace_block blk;

	if (rc != MTRACE_OK) {
		fprintf(f, ",\"error\":\"%s\"", mtrace_error_name(rc));
		return;
	}
	fputs(",\"error\":null,\"responses\":[", f);
	mtrace_blocks_begin(m, &it);
	while (mtrace_blocks_next(&it, &blk)) {
		fprintf(f, "%s{\"arrival\":%u,", it.index == 1 ? "" : ",",
		    blk.arrival);
		fprintf(f, "\"in\":\"%s\",", dump_mtrace_addr(blk.in_addr, a));
		fprintf(f, "\"out\":\"%s\",",
		    dump_mtrace_addr(blk.out_addr, a));
		fprintf(f, "\"prev_hop\":\"%s\",",
		    dump_mtrace_addr(blk.prev_hop, a));
		fprintf(f,
		    "\"in_pkts\":%u,\"out_pkts\":%u,\"sg_pkts\":%u,"
		    "\"proto\":\"%s\",\"proto_code\":%u,\"fwd_ttl\":%u,"
		    "\"mbz\":%s,\"s\":%s,\"mask_len\":%u,\"fwd_code\":\"%s\","
		    "\"fwd_code_value\":%u}",
		    blk.in_pkts, blk.out_pkts, blk.sg_pkts,
		    mtrace_proto_name(blk.proto), blk.proto, blk.fwd_ttl,
		    blk.mbz ? "true" : "false", blk.s_bit ? "true" : "false",
		    blk.mask_len, mtrace_fwd_code_key(blk.fwd_code),
		    blk.fwd_code);
	}
	fputc(']', f);
}
