/*
 * The receiver of mcast file, sans I/O: learns the files from the
 * manifest, counts the symbols of each block (any K of them rebuild it),
 * NACKs a block it cannot rebuild after a random backoff scaled to the
 * group (RFC 5740's truncated exponential), holds its NACK when it hears
 * one or a repair at least as large, and hands each rebuilt block out as
 * "write these bytes at this offset of that file"; the caller does the
 * I/O.  Only a window of blocks is held, whatever the files' sizes.
 *
 * Its outputs are events taken with rmc_recv_event(): packets to send to
 * the group, files announced, bytes to write, files complete, the end.
 */
#ifndef MCAST_PROTO_RMC_RECV_H
#define MCAST_PROTO_RMC_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "rmc_wire.h"

struct rmc_recv_config {
	uint32_t receiver;	      /* our id (random, from the caller) */
	uint32_t session;	      /* 0: the first session heard */
	unsigned window_blocks;	      /* blocks held while incomplete */
	unsigned group_size;	      /* estimate; raised by the sender's END */
	mc_time_t grtt_ms;	      /* group round trip time estimate */
	unsigned backoff_factor;      /* NACK backoff at most this x GRTT */
	mc_time_t holdoff_ms;	      /* after a NACK or repair, wait this long
				    (from the last symbol of the block) */
	mc_time_t idle_ms;	      /* nothing from the sender: give up */
	mc_time_t status_interval_ms; /* "done" repeated at most this often */
	bool suppress;		      /* hold NACKs others made (default) */
	mc_trace_fn trace;	      /* a line per transition; may be NULL */
	void *trace_arg;
};

void rmc_recv_config_default(struct rmc_recv_config *c);

enum rmc_recv_ev_type {
	RMC_EV_SEND,	  /* send data[0..len) to the group */
	RMC_EV_FILE,	  /* a file announced: entry */
	RMC_EV_WRITE,	  /* write data[0..len) at offset of file */
	RMC_EV_FILE_DONE, /* every byte of file written */
	RMC_EV_DONE,	  /* every file done */
	RMC_EV_TIMEOUT,	  /* the sender went quiet (idle_ms) */
};

struct rmc_recv_ev {
	enum rmc_recv_ev_type type;
	uint32_t file;
	uint64_t offset;
	size_t len;
	struct rmc_entry entry; /* RMC_EV_FILE: name points into data */
	uint64_t block_bytes;	/* RMC_EV_FILE: K x S, a block's bytes */
	uint8_t data[];
};

struct rmc_recv_stats {
	uint64_t packets;	  /* of our session */
	uint64_t symbols;	  /* data packets taken into a block */
	uint64_t symbols_dup;	  /* an index the block had, or a block done */
	uint64_t symbols_early;	  /* before the manifest named the file */
	uint64_t symbols_window;  /* no room in the window */
	uint64_t symbols_bad;	  /* no such block, wrong K or size */
	uint64_t blocks, decoded; /* done; of those, rebuilt from parity */
	uint64_t nacks_sent, nacks_held; /* held: someone else's covered it */
	uint64_t nacks_heard, repairs_heard;
	uint64_t other_session;
	uint64_t bad[RMC_WIRE_ERRORS];
	uint16_t loss; /* the estimate, in 1/10000 */
	/* --cc tfmcc (when the sender sends CC packets) */
	bool cc;
	uint64_t feedback_sent, feedback_held;
	double cc_p, cc_rtt_ms, cc_xcalc; /* X_calc bits/s, 0: no loss */
};

struct rmc_recv;

/* NULL with *error -EINVAL (window 0) or -ENOMEM. */
struct rmc_recv *rmc_recv_new(const struct rmc_recv_config *c, mc_time_t now,
    uint64_t seed, int *error);
void rmc_recv_free(struct rmc_recv *r);
/* A packet from the group: 0, or a negative enum rmc_wire_error. */
int rmc_recv_input(struct rmc_recv *r, mc_time_t now, const uint8_t *p,
    size_t len);
/* Runs what is due at now (NACKs, time-outs). */
void rmc_recv_timer(struct rmc_recv *r, mc_time_t now);
mc_time_t rmc_recv_deadline(const struct rmc_recv *r);
/*
 * --resume: block block of file is on disk already (the caller kept it
 * from an earlier run, after RMC_EV_FILE announced the file): it is done
 * and never asked for again.  0, or -EINVAL (no such block, or the file
 * is not announced).
 */
int rmc_recv_have(struct rmc_recv *r, mc_time_t now, uint32_t file,
    uint32_t block);
/* The next event, valid until the next call; NULL when none. */
const struct rmc_recv_ev *rmc_recv_event(struct rmc_recv *r);
bool rmc_recv_done(const struct rmc_recv *r);
const struct rmc_recv_stats *rmc_recv_stats(const struct rmc_recv *r);
/* Blocks held now (at most window_blocks). */
unsigned rmc_recv_held(const struct rmc_recv *r);

/*
 * RFC 5740's NACK backoff (from the NACK building block, RFC 5401): a
 * delay in [0, max_ms) drawn from a truncated exponential distribution with
 * lambda = ln(group_size) + 1, so that few of a large group pick a short
 * one.
 */
mc_time_t rmc_nack_backoff_ms(struct mc_rng *rng, mc_time_t max_ms,
    unsigned group_size);

#endif
