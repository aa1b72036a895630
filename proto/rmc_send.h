/*
 * The sender of mcast file, sans I/O: announces the manifest, sends each
 * file as blocks of K source symbols in order under a rate cap (a token
 * bucket on `now`), gathers the NACKs of a block for a short window and
 * answers the largest missing count heard with that many fresh parity
 * symbols, once for everyone; ends each pass with END (and starts again
 * with --carousel), and after the last pass lingers until every receiver
 * it heard from is done or nobody has asked for anything for a while.
 *
 * The caller reads the files: rmc_send_need() names the bytes the engine
 * wants next, rmc_send_supply() hands them over.  Only a window of blocks
 * is held, whatever the files' sizes.
 */
#ifndef MCAST_PROTO_RMC_SEND_H
#define MCAST_PROTO_RMC_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "rmc_wire.h"

struct rmc_send_config {
	uint32_t session;
	uint16_t symbol_size;	     /* S: bytes of each symbol */
	uint8_t k;		     /* source symbols of a full block */
	uint8_t parity_max;	     /* M: parity indexes K..K+M-1 used in
					turn; 0: all up to 254 */
	uint64_t rate_bps;	     /* cap of what goes out (IP and UDP
					headers counted); 0: none */
	unsigned packet_extra;	     /* bytes the caller adds to each packet
					(--key's seal), counted by the cap */
	unsigned window_blocks;	     /* blocks held for repairs */
	mc_time_t nack_window_ms;    /* NACKs of a block gathered this long */
	mc_time_t repair_holdoff_ms; /* after a repair, NACKs no larger are
					late echoes of it and ignored */
	mc_time_t end_interval_ms;   /* END repeated while lingering */
	mc_time_t manifest_interval_ms;
	mc_time_t linger_ms; /* idle time after the last pass that ends it */
	bool carousel;	     /* pass after pass until stopped */
	bool fec_auto;	     /* parity in the first pass, as much as the
				loss the receivers report asks */
	bool cc_tfmcc;	     /* TFMCC (rmc_cc.h): rate_bps is the ceiling */
	mc_trace_fn trace;   /* a line per transition; may be NULL */
	void *trace_arg;
};

/* Fills in the defaults (S 1400, K 64, 256 blocks, 10 Mbit/s ...). */
void rmc_send_config_default(struct rmc_send_config *c);

struct rmc_send_file {
	uint64_t size;
	uint32_t mode;
	uint8_t sha256[RMC_SHA256_LEN];
	const char *name; /* relative (rmc_name_ok); copied */
};

/* Bytes the engine wants: file's [offset, offset + len), block block. */
struct rmc_send_need {
	uint32_t file;
	uint32_t block;
	uint64_t offset;
	size_t len;
};

struct rmc_send_stats {
	uint64_t data;	    /* first-pass symbols */
	uint64_t proactive; /* parity sent with them (fec_auto) */
	uint64_t repair;    /* parity symbols sent in repairs */
	uint64_t repairs;   /* repair bursts */
	uint64_t manifests, ends;
	uint64_t nacks;		/* NACKs received */
	uint64_t nacks_late;	/* ignored: a repair already covered them */
	uint64_t nacks_bad;	/* for no such block, or undecodable */
	uint64_t nacks_dropped; /* no room in the window for the block */
	uint64_t bad[RMC_WIRE_ERRORS];
	uint32_t receivers, receivers_done;
	uint64_t receivers_over; /* ids past the 65,536 remembered */
	uint32_t passes;
	/* --cc tfmcc */
	uint64_t rate_bps; /* the rate now (the cap without CC) */
	uint32_t clr;	   /* the CLR's id, 0: none */
	uint64_t cc_packets, feedback, clr_changes, halvings;
	bool slow_start;
};

struct rmc_send;

/*
 * A sender of nfiles files; NULL with *error -EINVAL (a bad name, S, K or
 * window) or -ENOMEM.
 */
struct rmc_send *rmc_send_new(const struct rmc_send_config *c,
    const struct rmc_send_file *files, unsigned nfiles, mc_time_t now,
    int *error);
void rmc_send_free(struct rmc_send *s);

/* True, with what to read, when the engine waits for file data. */
bool rmc_send_need(const struct rmc_send *s, struct rmc_send_need *need);
/* The bytes rmc_send_need() asked for: 0, or -EINVAL if not asked for. */
int rmc_send_supply(struct rmc_send *s, uint32_t file, uint32_t block,
    const uint8_t *data, size_t len);
/* A packet received from the group (NACK, STATUS): 0 or -error kind. */
int rmc_send_input(struct rmc_send *s, mc_time_t now, const uint8_t *p,
    size_t len);
/*
 * The next packet to send at now, written into buf: its length, or 0 when
 * nothing may go now (see rmc_send_deadline), or -RMC_WIRE_NOSPACE.
 */
int rmc_send_output(struct rmc_send *s, mc_time_t now, uint8_t *buf,
    size_t cap);
/*
 * When to call rmc_send_output again (MC_TIME_NEVER when done), after
 * supplying what rmc_send_need() asks for.  It does not move as time
 * passes without a call.
 */
mc_time_t rmc_send_deadline(const struct rmc_send *s, mc_time_t now);
/* The session is over (the last pass lingered out). */
bool rmc_send_done(const struct rmc_send *s);
const struct rmc_send_stats *rmc_send_stats(const struct rmc_send *s);

#endif
