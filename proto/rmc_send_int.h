/* The sender engine's insides, shared by its files (not installed). */
/*
 * Files
 *   rmc_send.c         configuration, life cycle, the window of blocks
 *                      (file data asked for and held), the first pass with
 *                      --fec auto's parity, the manifest, END, the rate
 *                      bucket, lingering, the deadline
 *   rmc_send_repair.c  what the receivers say: NACKs gathered per block and
 *                      answered with fresh parity, receivers heard and done
 */
#ifndef MCAST_PROTO_RMC_SEND_INT_H
#define MCAST_PROTO_RMC_SEND_INT_H

#include "rmc_cc.h"
#include "rmc_fec.h"
#include "rmc_send.h"
#include "trace.h"

/* What the rate cap counts besides UDP's payload. */
#define RMC_UDP_IP_OVERHEAD 28
#define RMC_MANIFEST_MTU    1400
#define RMC_SEND_RCVRS_MAX  65536 /* receivers remembered */
/*
 * Repairs go first, but after this many in a row a first-pass symbol goes
 * if one waits: however many NACKs come (a flood), a quarter of the rate
 * stays with the first pass.
 */
#define RMC_REPAIR_RUN 3

/* One block held: its source symbols and the state of its repairs. */
struct rmc_slot {
	bool used, loaded;
	uint32_t file, block;
	unsigned k;
	uint8_t *data;	  /* k * S bytes, the last symbol zero-padded */
	uint64_t used_at; /* for eviction: the sender's packet count */
	unsigned next_parity;
	mc_time_t gather_until; /* NACKs being gathered until then */
	unsigned gathered;	/* the largest count heard */
	unsigned burst, burst_left;
	mc_time_t covered_until; /* NACKs <= burst until then are echoes */
};

struct rmc_rcvr {
	uint32_t id;
	bool done;
};

enum rmc_send_phase {
	RMC_SEND_PASS,	 /* sending the files' blocks */
	RMC_SEND_LINGER, /* last pass sent: repairs and END */
	RMC_SEND_OVER,
};

struct rmc_send {
	struct rmc_send_config c;
	struct trace trace;
	struct rmc_send_file *files;
	unsigned nfiles;
	uint32_t *nblocks;
	struct rmc_fec fec[RMC_FEC_N]; /* by K, made when first needed */
	struct rmc_slot *slots;
	uint32_t seq;
	enum rmc_send_phase phase;
	/* The first pass's place. */
	uint32_t cur_file, cur_block;
	unsigned cur_symbol;
	unsigned cur_parity; /* --fec auto's for the current block */
	unsigned loss;	     /* the largest reported lately, 1/10000 */
	/* The manifest: the next entry to announce, and when. */
	unsigned manifest_next;
	bool manifest_sending;
	mc_time_t manifest_at;
	unsigned manifest_round; /* packets of the round being sent */
	unsigned manifest_pkts;	 /* of the last whole round */
	uint64_t since_manifest; /* first-pass symbols since then */
	bool end_due;
	mc_time_t end_at;
	mc_time_t activity; /* last NACK, STATUS or repair */
	/* The token bucket, in bits (may go below 0 by one packet). */
	int64_t tokens;
	mc_time_t tokens_at;
	unsigned repair_turn; /* the slot after the last repaired */
	unsigned repair_run;  /* repair symbols sent in a row */
	struct rmc_rcvr *rcvrs;
	size_t nrcvrs, rcvrs_cap;
	struct rmc_cc_snd cc; /* c.cc_tfmcc */
	struct rmc_send_stats st;
};

/* rmc_send.c */
struct rmc_slot *rmc_send_slot_get(struct rmc_send *s, uint32_t file,
    uint32_t block);
struct rmc_hdr rmc_send_hdr(struct rmc_send *s, mc_time_t now);
struct rmc_fec *rmc_send_fec(struct rmc_send *s, unsigned k);

/* The rate now: TFMCC's, or the cap. */
uint64_t rmc_send_rate(const struct rmc_send *s);

/* rmc_send_repair.c */
/* Starts the repairs whose NACKs have been gathered long enough. */
void rmc_send_gathered(struct rmc_send *s, mc_time_t now);
/* A block with repair symbols to send, in turn; NULL when none. */
struct rmc_slot *rmc_send_repair_slot(struct rmc_send *s);
int rmc_send_parity(struct rmc_send *s, mc_time_t now, struct rmc_slot *sl,
    unsigned burst, uint8_t *buf, size_t cap);
int rmc_send_repair(struct rmc_send *s, mc_time_t now, struct rmc_slot *sl,
    uint8_t *buf, size_t cap);

#endif
