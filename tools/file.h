/*
 * `mcast file`: reliable multicast file transfer (the engines are
 * proto/rmc_send.c and proto/rmc_recv.c; this is their I/O).  cmd_file.c
 * dispatches and holds what both sides share; file_send.c and
 * file_recv.c are the two sides.
 */
#ifndef MCAST_TOOL_FILE_H
#define MCAST_TOOL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <openssl/evp.h>
#include <mcast/mcast.h>

#include "loop.h"
#include "rmc_seal.h"
#include "rmc_wire.h"

/* The session's socket: joined to GROUP:PORT, sending to it. */
struct file_sock {
	int fd;
	struct mc_endpoint group;
	const char *label; /* GROUP:PORT as given */
	struct sockaddr_storage dst;
	socklen_t dstlen;
	uint64_t send_errors;
	/* --key: every packet sealed (proto/rmc_seal.h). */
	bool keyed;
	uint8_t key[RMC_SEAL_KEY_LEN];
	uint64_t auth_failed;  /* sealed with another key, or altered */
	uint64_t sealed_seen;  /* sealed packets while we have no key */
	uint64_t stale;	       /* authentic, but sealed too long ago (or
				 ahead): a replay, or clocks apart */
	int64_t stale_skew_ms; /* the last one's time less ours */
};

/* Opens, joins and sets TTL and interface; exits 1 with a message. */
void file_sock_open(struct file_sock *fs, const char *label,
    const struct mc_endpoint *group, const struct mc_iface *iface, int ttl);
void file_sock_send(struct file_sock *fs, const uint8_t *p, size_t len);
/* --key FILE: the key of its contents; exits 1 when it cannot be read. */
void file_sock_key(struct file_sock *fs, const char *path);
/*
 * The next datagram (opened, with a key) into buf: its length, 0 for one
 * dropped (it failed authentication, or is sealed and we have no key), -1
 * when none is waiting.
 */
ssize_t file_sock_recv(struct file_sock *fs, uint8_t *buf, size_t cap);
/* Why nothing came, when packets were dropped for --key ("" if none). */
const char *file_sock_key_hint(const struct file_sock *fs);
/*
 * Runs the loop l with the socket (rx reads at most budget datagrams a
 * turn) and one engine (deadline, timer) until it stops, then takes them
 * off; exits 1 when they cannot be added.
 */
void file_sock_run(struct file_sock *fs, struct loop *l, unsigned budget,
    loop_fd_fn rx, loop_deadline_fn deadline, loop_timer_fn timer, void *arg);
/*
 * The progress line of a terminal: on standard error when it is one (and
 * enabled), redrawn at most every 250 ms; cleared before other output and
 * ended with a newline by file_progress_end().
 */
struct file_progress {
	bool on, drawn;
	mc_time_t next;
};

void file_progress_init(struct file_progress *p, bool enabled);
/* Whether a line is due at now (then the next one is 250 ms later). */
bool file_progress_due(struct file_progress *p, mc_time_t now);
void file_progress_draw(struct file_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void file_progress_clear(struct file_progress *p);
void file_progress_end(struct file_progress *p);
/* "12.3 MB" (buf >= 32). */
const char *file_bytes_str(uint64_t n, char *buf);

/* -v: an engine's trace line to standard error. */
void file_trace(void *arg, const char *line);
/* The SHA-256 of what fd holds (read from offset 0): 0 or -errno. */
int file_sha256(int fd, uint8_t out[RMC_SHA256_LEN]);
/* Adds bytes [off, end) of fd (fewer at its end) to st: 0 or -errno. */
int file_sha256_more(int fd, EVP_MD_CTX *st, off_t off, off_t end);
/* The packets an engine found malformed, of every kind (RMC_WIRE_ERRORS). */
uint64_t file_bad_sum(const uint64_t bad[RMC_WIRE_ERRORS]);
/* Lower-case hex of a SHA-256 (buf of 65 bytes). */
const char *file_sha256_hex(const uint8_t sha[RMC_SHA256_LEN], char *buf);

/* tools/file_session.c: send --announce and recv --session. */
struct file_announce {
	const char *name; /* s= */
	const struct mc_endpoint *group;
	const struct mc_iface *iface; /* NULL: any */
	int ttl;
	uint32_t session; /* the transfer's: o= session id */
	unsigned files;
	uint64_t bytes;
	bool sealed;
};
struct sap_ann;
struct recv_session_opts;
/* Announces the session on l until sap_ann_stop(); exits 2 when it
 * cannot be announced. */
struct sap_ann *file_announce_start(const struct file_announce *fa,
    struct loop *l);
/* --announce with group: its SAP group, or a usage error (none). */
void file_announce_check(const struct mc_ip *group, struct mc_ip *sap_group);
/* --announce=NAME: a usage error unless it can be an s= line. */
void file_announce_name_check(const char *name);
/* What recv --session takes from the session it finds. */
struct file_session {
	struct mc_endpoint group;
	char label[64];		 /* GROUP:PORT */
	char session_label[160]; /* "NAME" (o=..., SAP hash H) */
	int ttl;		 /* c= TTL, -1: none given (IPv6) */
	bool sealed;		 /* a=mcast-file-sealed: needs --key */
	unsigned files;		 /* a=mcast-file-files, 0: not given */
	uint64_t bytes;		 /* a=mcast-file-bytes */
	uint32_t session;	 /* o='s session id: the transfer's, 0 if
				    not a number of 32 bits */
	bool has_iface;		 /* towards the o= address (no -i given) */
	struct mc_iface iface;
};
/*
 * Finds so->session (tools/recv_session.c) and reads it; exits 1 when not
 * heard, 2 when ambiguous or not an mcast file session.
 */
void file_session_find(const struct recv_session_opts *so,
    const struct mc_iface *iface, bool quiet, struct file_session *fsn);

int file_send_main(int argc, char **argv);
int file_recv_main(int argc, char **argv);

#endif
