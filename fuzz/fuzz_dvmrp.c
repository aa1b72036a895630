/*
 * libFuzzer target: the DVMRP codec (proto/dvmrp_wire.c).  The input: one
 * byte of flags (bit 0: write the checksum first, so that the fuzzer gets
 * past it to every message type), then a DVMRP message.  What decodes is
 * walked to its end, encoded again with our encoders (several messages
 * when a report or a neighbors2 reply outgrows 576 bytes), decoded again,
 * and must say the same: code, capabilities, GenID, neighbours, every
 * route, prune and graft fields, every neighbour of every VIF block.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dvmrp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DVMRP_FIX_CHECKSUM 0x01
#define FUZZ_DVMRP_OUT		1024

/* One neighbour of one VIF block, flattened: blocks may be split. */
struct fuzz_dvmrp_nbr {
	uint32_t local;
	uint8_t metric, threshold, flags;
	bool none; /* a block without neighbours */
	uint32_t addr;
};

/* The routes of a report, in order; *n of them, malloc'd. */
static struct dvmrp_route *
fuzz_dvmrp_routes(const struct dvmrp_msg *m, size_t *n)
{
	struct dvmrp_route *r = malloc((m->nroutes + 1) * sizeof(*r));
	struct dvmrp_route_iter it;

	if (r == NULL)
		abort();
	*n = 0;
	dvmrp_routes_begin(m, &it);
	while (dvmrp_routes_next(&it, &r[*n]))
		(*n)++;
	if (*n != m->nroutes)
		__builtin_trap();
	return r;
}

/* Append the neighbours of m's blocks to *out (grown as needed). */
static void
fuzz_dvmrp_nbrs(const struct dvmrp_msg *m, struct fuzz_dvmrp_nbr **out,
    size_t *n, size_t *cap)
{
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	uint32_t blocks = 0;
	uint16_t i;

	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v)) {
		blocks++;
		for (i = 0; i < (v.nneighbors ? v.nneighbors : 1); i++) {
			struct fuzz_dvmrp_nbr *e;

			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 64;
				*out = realloc(*out, *cap * sizeof(**out));
				if (*out == NULL)
					abort();
			}
			e = &(*out)[(*n)++];
			memset(e, 0, sizeof(*e));
			e->local = v.local.s_addr;
			e->metric = v.metric;
			e->threshold = v.threshold;
			e->flags = v.flags;
			e->none = v.nneighbors == 0;
			if (!e->none)
				e->addr = dvmrp_addr_at(v.neighbors, i).s_addr;
		}
	}
	if (blocks != m->nvifs)
		__builtin_trap();
}

/* A message we packed: it decodes, and its datagram is <= 576 bytes. */
static void
fuzz_dvmrp_decode_ours(const uint8_t *buf, int len, struct dvmrp_msg *m)
{
	if (len < DVMRP_HDR_LEN ||
	    len + DVMRP_IP_HDR_LEN > DVMRP_REPORT_MAX_IP ||
	    dvmrp_decode(buf, (size_t)len, m) != DVMRP_OK)
		__builtin_trap();
}

/* Reports: every route again, in order, over as many messages as needed. */
static void
fuzz_dvmrp_report(const struct dvmrp_msg *m)
{
	size_t n, got = 0, done = 0, used, k;
	struct dvmrp_route *in = fuzz_dvmrp_routes(m, &n), *back;
	uint8_t out[FUZZ_DVMRP_OUT];
	struct dvmrp_msg again;
	int len;

	do {
		len = dvmrp_build_report(out, sizeof(out), m->caps, in + done,
		    n - done, &used);
		fuzz_dvmrp_decode_ours(out, len, &again);
		if (again.caps != m->caps || again.nroutes != used ||
		    (used == 0 && n > 0))
			__builtin_trap();
		back = fuzz_dvmrp_routes(&again, &k);
		for (k = 0; k < used; k++)
			if (back[k].origin.s_addr !=
				in[done + k].origin.s_addr ||
			    back[k].mask.s_addr != in[done + k].mask.s_addr ||
			    back[k].metric != in[done + k].metric)
				__builtin_trap();
		free(back);
		got += used;
		done += used;
	} while (done < n);
	if (got != n)
		__builtin_trap();
	free(in);
}

/* Neighbors2: the same neighbours of the same blocks, in order. */
static void
fuzz_dvmrp_neighbors2(const struct dvmrp_msg *m)
{
	struct fuzz_dvmrp_nbr *want = NULL, *got = NULL;
	size_t nwant = 0, capwant = 0, ngot = 0, capgot = 0;
	size_t next_vif = 0, next_nbr = 0, nvifs = 0, i;
	struct dvmrp_mrinfo_vif *vifs;
	struct in_addr *addrs;
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	uint8_t out[FUZZ_DVMRP_OUT];
	struct dvmrp_msg again;
	uint16_t k;
	int len;

	fuzz_dvmrp_nbrs(m, &want, &nwant, &capwant);
	vifs = calloc(m->nvifs + 1, sizeof(*vifs));
	addrs = calloc(m->body_len / 4 + 1, sizeof(*addrs));
	if (vifs == NULL || addrs == NULL)
		abort();
	dvmrp_vifs_begin(m, &it);
	for (i = 0; dvmrp_vifs_next(&it, &v); nvifs++) {
		vifs[nvifs].local = v.local;
		vifs[nvifs].metric = v.metric;
		vifs[nvifs].threshold = v.threshold;
		vifs[nvifs].flags = v.flags;
		vifs[nvifs].neighbors = addrs + i;
		vifs[nvifs].nneighbors = v.nneighbors;
		for (k = 0; k < v.nneighbors; k++)
			addrs[i++] = dvmrp_addr_at(v.neighbors, k);
	}
	while (next_vif < nvifs) {
		len = dvmrp_build_neighbors2(out, sizeof(out), m->caps, vifs,
		    nvifs, &next_vif, &next_nbr);
		fuzz_dvmrp_decode_ours(out, len, &again);
		fuzz_dvmrp_nbrs(&again, &got, &ngot, &capgot);
	}
	if (ngot != nwant ||
	    (nwant && memcmp(got, want, nwant * sizeof(*got)) != 0))
		__builtin_trap();
	free(want);
	free(got);
	free(vifs);
	free(addrs);
}

/* Probe, prune, graft, graft ack, ask neighbors2: one message again. */
static void
fuzz_dvmrp_simple(const struct dvmrp_msg *m)
{
	const struct in_addr *mask = m->has_netmask ? &m->netmask : NULL;
	struct in_addr *nbrs = calloc(m->nneighbors + 1u, sizeof(*nbrs));
	uint8_t *out = malloc(m->length + 1);
	struct dvmrp_msg a;
	uint16_t i;
	int len = -1;

	if (nbrs == NULL || out == NULL)
		abort();
	for (i = 0; i < m->nneighbors; i++)
		nbrs[i] = dvmrp_addr_at(m->neighbors, i);
	switch (m->code) {
	case DVMRP_PROBE:
		len = dvmrp_build_probe(out, m->length, m->caps, m->genid, nbrs,
		    m->nneighbors);
		break;
	case DVMRP_PRUNE:
		len = dvmrp_build_prune(out, m->length, m->caps, m->source,
		    m->group, m->lifetime_s, mask);
		break;
	case DVMRP_GRAFT:
		len = dvmrp_build_graft(out, m->length, m->caps, m->source,
		    m->group, mask);
		break;
	case DVMRP_GRAFT_ACK:
		len = dvmrp_build_graft_ack(out, m->length, m->caps, m->source,
		    m->group, mask);
		break;
	case DVMRP_ASK_NEIGHBORS2:
		len = dvmrp_build_ask_neighbors2(out, m->length, m->caps);
		break;
	}
	if (len >= 0) {
		/* The same length: nothing to add, nothing left out. */
		if ((size_t)len !=
			(m->code == DVMRP_ASK_NEIGHBORS2 ? DVMRP_HDR_LEN :
							   m->length) ||
		    dvmrp_decode(out, (size_t)len, &a) != DVMRP_OK ||
		    a.code != m->code || a.caps != m->caps ||
		    a.genid != m->genid || a.nneighbors != m->nneighbors ||
		    a.source.s_addr != m->source.s_addr ||
		    a.group.s_addr != m->group.s_addr ||
		    a.lifetime_s != m->lifetime_s ||
		    a.has_netmask != m->has_netmask ||
		    a.netmask.s_addr != m->netmask.s_addr ||
		    (m->nneighbors &&
			memcmp(a.neighbors, m->neighbors,
			    4 * (size_t)m->nneighbors) != 0))
			__builtin_trap();
	}
	free(nbrs);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dvmrp_msg m;
	uint8_t *buf;
	size_t len;
	int rc;

	if (size < 1)
		return 0;
	len = size - 1;
	/* A copy of its own, so that ASan sees a read past the message. */
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	if ((data[0] & FUZZ_DVMRP_FIX_CHECKSUM) && len >= 4)
		dvmrp_seal(buf, len);
	rc = dvmrp_decode(buf, len, &m);
	if (rc > 0 || rc <= -DVMRP_E_COUNT || dvmrp_error_name(rc) == NULL)
		__builtin_trap();
	if (rc == DVMRP_OK) {
		if (m.length != len || m.body != buf + DVMRP_HDR_LEN ||
		    m.body_len + DVMRP_HDR_LEN != len)
			__builtin_trap();
		switch (m.code) {
		case DVMRP_REPORT:
			fuzz_dvmrp_report(&m);
			break;
		case DVMRP_NEIGHBORS2:
			fuzz_dvmrp_neighbors2(&m);
			break;
		default:
			fuzz_dvmrp_simple(&m);
		}
	}
	free(buf);
	return 0;
}
