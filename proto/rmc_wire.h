/*
 * The reliable multicast file transfer (mcast file) on the wire: the
 * packets of one session and their codec (rmc_wire.c).  The codec never
 * reads past its buffer, never allocates and encodes into the caller's
 * buffer.
 *
 * Every packet is one UDP datagram to the session's GROUP:PORT, all
 * integers big-endian.  The common header, 16 bytes:
 *
 *	0  magic 'R' 'M' (0x52 0x4d)
 *	2  version (1)
 *	3  type (enum rmc_type)
 *	4  session id (32): chosen at random by the sender; receivers answer
 *	   with the sender's id and ignore other sessions
 *	8  sender's time (32): the milliseconds of the clock of whoever sent
 *	   the packet, modulo 2^32
 *	12 sequence (32): counts the packets of whoever sent it
 *
 * Sender to group:
 *
 *  MANIFEST (1): the session's parameters and some of its files.
 *	16 files in the session (32), 20 symbol size S (16), 22 K (8): the
 *	   source symbols of a full block, 23 entries in this packet (8);
 *	24 entries, each: index (32), size (64), mode (32), SHA-256 (32
 *	   bytes), name length (16), the name (relative, '/' separated, no
 *	   NUL, no empty, "." or ".." component, no leading '/'); 50 + name
 *	   bytes.  A file of size bytes is ceil(size / (K * S)) blocks, the
 *	   last one of ceil(rest / S) source symbols (its last symbol padded
 *	   with zeros); an empty file has no block.
 *
 *  DATA (2): one symbol of a block.
 *	16 file index (32), 20 block number (32), 24 symbol index (8): 0..K-1
 *	   the source symbols, K..254 parity (Reed-Solomon over GF(2^8) with
 *	   a Cauchy matrix, rmc_fec.h: any K of them rebuild the block),
 *	25 K (8): the source symbols of this block, 26 burst (8): 0 in the
 *	   first pass, else the number of parity symbols of the repair this
 *	   one belongs to, 27 reserved (0), 28 the symbol: S bytes.
 *	A repair is DATA with fresh parity indexes.
 *
 *  END (3): the end of a pass over the files ("flush": NACK now).
 *	16 pass (32), 20 files (32), 24 receivers the sender has heard from
 *	   (32), 28 flags (8): 1 = last pass (no carousel), 29 reserved (3).
 *
 * Receiver to group (so that other receivers hear it and hold theirs):
 *
 *  NACK (4): a block a receiver cannot rebuild yet.
 *	16 receiver id (32), 20 file index (32), 24 block number (32),
 *	28 missing (8): how many symbols it lacks (counted, not named: any
 *	   fresh parity symbols repair it), 29 reserved (8), 30 loss estimate
 *	   (16, in 1/10000: 100 = 1 %).
 *
 *  STATUS (5): how far a receiver is.
 *	16 receiver id (32), 20 state (8, enum rmc_rx_state), 21 reserved
 *	   (8), 22 loss estimate (16, 1/10000), 24 files done (32).
 *
 * Congestion control (--cc tfmcc, RFC 4654; rmc_cc.h).  Rates are in
 * kbit/s, 0xffffffff for none; times in ms.
 *
 *  CC (6), sender to group: what the receivers need for TFMCC, sent at the
 *	start of each feedback round, after each feedback (its echo) and at
 *	least every R_max / 2.  48 bytes:
 *	16 feedback round (32), 20 sending rate X (32), 24 suppression rate
 *	   (32): the lowest reported this round, 28 CLR id (32, 0 none),
 *	32 echo: receiver id (32, 0 none), 36 echo: that receiver's time
 *	   from its FEEDBACK's header (32), 40 echo: ms the sender held it
 *	   (16), 42 maximum RTT R_max (16), 44 flags (8): 1 = slow start,
 *	45 reserved (3).
 *
 * Receiver to group:
 *
 *  FEEDBACK (7): a receiver's TFMCC report, 48 bytes:
 *	16 receiver id (32), 20 round (32), 24 X_calc (32; none before a
 *	   loss), 28 receive rate X_recv (32), 32 loss event rate p (32, in
 *	   millionths), 36 echo: the sender's time from the header of the
 *	   last packet received (32), 40 echo: ms since it came (16),
 *	42 the receiver's RTT (16), 44 flags (8): 1 = RTT measured,
 *	   2 = sent as CLR, 45 reserved (3).
 */
#ifndef MCAST_PROTO_RMC_WIRE_H
#define MCAST_PROTO_RMC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RMC_MAGIC0	 0x52 /* 'R' */
#define RMC_MAGIC1	 0x4d /* 'M' */
#define RMC_VERSION	 1
#define RMC_HDR_LEN	 16
#define RMC_MANIFEST_HDR (RMC_HDR_LEN + 8)
#define RMC_ENTRY_FIXED	 50 /* an entry without its name */
#define RMC_DATA_HDR	 (RMC_HDR_LEN + 12)
#define RMC_END_LEN	 (RMC_HDR_LEN + 16)
#define RMC_NACK_LEN	 (RMC_HDR_LEN + 16)
#define RMC_STATUS_LEN	 (RMC_HDR_LEN + 12)
#define RMC_CC_LEN	 (RMC_HDR_LEN + 32)
#define RMC_FEEDBACK_LEN (RMC_HDR_LEN + 32)
#define RMC_RATE_NONE	 UINT32_MAX
#define RMC_CC_SLOWSTART 0x01
#define RMC_FB_HAVE_RTT	 0x01
#define RMC_FB_CLR	 0x02
#define RMC_P_SCALE	 1000000 /* p: millionths */
#define RMC_SYMBOLS_MAX	 255	 /* indexes 0..254 */
#define RMC_NAME_MAX	 1024
#define RMC_SHA256_LEN	 32
#define RMC_END_LAST	 0x01
#define RMC_LOSS_SCALE	 10000 /* loss estimates: 1/10000 */

enum rmc_type {
	RMC_MANIFEST = 1,
	RMC_DATA = 2,
	RMC_END = 3,
	RMC_NACK = 4,
	RMC_STATUS = 5,
	RMC_CC = 6,
	RMC_FEEDBACK = 7,
};

enum rmc_rx_state {
	RMC_RX_RECEIVING = 0,
	RMC_RX_DONE = 1,
	RMC_RX_FAILED = 2,
};

/* What the codec finds wrong; the kinds are counted (RMC_WIRE_ERRORS). */
enum rmc_wire_error {
	RMC_WIRE_OK = 0,
	RMC_WIRE_SHORT,	  /* shorter than its type needs */
	RMC_WIRE_MAGIC,	  /* not 'R' 'M' */
	RMC_WIRE_VERSION, /* a version we do not speak */
	RMC_WIRE_TYPE,	  /* an unknown type */
	RMC_WIRE_LENGTH,  /* longer than its type allows, or entries
				 that do not fill the packet */
	RMC_WIRE_SYMBOL,  /* K of 0, or a symbol index past 254 */
	RMC_WIRE_NAME,	  /* an unsafe or malformed file name */
	RMC_WIRE_PARAM,	  /* a symbol size or K of 0 in a manifest */
	RMC_WIRE_NOSPACE, /* (encoding) the buffer is too small */
	RMC_WIRE_AUTH,	  /* --key: sealed with another key, or altered */
	RMC_WIRE_ERRORS,
};

const char *rmc_wire_error_name(int error); /* kind or -kind */
const char *rmc_type_name(uint8_t type);
const char *rmc_rx_state_name(uint8_t state);

struct rmc_hdr {
	uint8_t type;
	uint32_t session;
	uint32_t time_ms;
	uint32_t seq;
};

/* One file of a manifest; name points into the packet (not terminated). */
struct rmc_entry {
	uint32_t index;
	uint64_t size;
	uint32_t mode;
	uint8_t sha256[RMC_SHA256_LEN];
	uint16_t name_len;
	const uint8_t *name;
};

struct rmc_manifest {
	uint32_t files;
	uint16_t symbol_size;
	uint8_t k;
	uint8_t entries;
	/* The entries, for rmc_entry_next(). */
	const uint8_t *next;
	const uint8_t *end;
};

struct rmc_data {
	uint32_t file;
	uint32_t block;
	uint8_t symbol;
	uint8_t k;
	uint8_t burst;
	const uint8_t *payload; /* into the packet */
	size_t payload_len;
};

struct rmc_end {
	uint32_t pass;
	uint32_t files;
	uint32_t receivers;
	uint8_t flags;
};

struct rmc_nack {
	uint32_t receiver;
	uint32_t file;
	uint32_t block;
	uint8_t missing;
	uint16_t loss;
};

struct rmc_status {
	uint32_t receiver;
	uint8_t state;
	uint16_t loss;
	uint32_t files_done;
};

struct rmc_ccinfo {
	uint32_t round;
	uint32_t rate; /* kbit/s */
	uint32_t supp; /* kbit/s; RMC_RATE_NONE */
	uint32_t clr;  /* 0: none */
	uint32_t echo_rcvr;
	uint32_t echo_ts;
	uint16_t echo_delay;
	uint16_t rtt_max;
	uint8_t flags;
};

struct rmc_feedback {
	uint32_t receiver;
	uint32_t round;
	uint32_t rate; /* X_calc, kbit/s; RMC_RATE_NONE */
	uint32_t recv; /* X_recv, kbit/s */
	uint32_t p;    /* 1/RMC_P_SCALE */
	uint32_t echo_ts;
	uint16_t echo_delay;
	uint16_t rtt;
	uint8_t flags;
};

struct rmc_pkt {
	struct rmc_hdr hdr;
	union {
		struct rmc_manifest manifest;
		struct rmc_data data;
		struct rmc_end end;
		struct rmc_nack nack;
		struct rmc_status status;
		struct rmc_ccinfo cc;
		struct rmc_feedback feedback;
	} u;
};

/* The blocks of a file of size bytes: ceil(size / (k * s)). */
static inline uint32_t
rmc_file_blocks(uint64_t size, unsigned k, unsigned s)
{
	uint64_t bb = (uint64_t)k * s;

	return bb ? (uint32_t)((size + bb - 1) / bb) : 0;
}

/* The source symbols of one block of that file (k, or fewer in the last). */
static inline unsigned
rmc_block_k(uint64_t size, uint32_t block, unsigned k, unsigned s)
{
	uint64_t off = (uint64_t)block * k * s, n;

	if (s == 0 || off >= size)
		return 0;
	n = (size - off + s - 1) / s;
	return n < k ? (unsigned)n : k;
}

/*
 * Decodes a datagram: 0, or a negative enum rmc_wire_error.  A manifest's
 * entries are all checked here (names included); rmc_entry_next() then
 * walks them.
 */
int rmc_decode(const uint8_t *p, size_t len, struct rmc_pkt *out);
/* The next entry of a decoded manifest: true, or false after the last. */
bool rmc_entry_next(struct rmc_manifest *m, struct rmc_entry *e);
/*
 * A file name that may be created under a directory: relative, '/'
 * separated, no empty, "." or ".." component, no NUL or control byte.
 */
bool rmc_name_ok(const uint8_t *name, size_t len);

/*
 * The encoders write into buf (cap bytes) and return the length, or
 * -RMC_WIRE_NOSPACE.  hdr->type is set by each.
 */
int rmc_encode_data(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_data *d);
int rmc_encode_end(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_end *e);
int rmc_encode_nack(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_nack *n);
int rmc_encode_status(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_status *s);
int rmc_encode_cc(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_ccinfo *c);
int rmc_encode_feedback(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    const struct rmc_feedback *f);
/*
 * A manifest: its header, then entries added one by one while they fit.
 * rmc_manifest_begin returns RMC_MANIFEST_HDR or -RMC_WIRE_NOSPACE;
 * rmc_manifest_add returns the new length, or -RMC_WIRE_NOSPACE when the
 * entry does not fit (the packet is left as it was), or -RMC_WIRE_NAME.
 */
int rmc_manifest_begin(uint8_t *buf, size_t cap, const struct rmc_hdr *hdr,
    uint32_t files, uint16_t symbol_size, uint8_t k);
int rmc_manifest_add(uint8_t *buf, size_t cap, size_t len,
    const struct rmc_entry *e);

#endif
