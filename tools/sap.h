/*
 * What `mcast sdp` and `mcast sap` share: reading an SDP file, printing
 * the parser's diagnostics, and describing a session (a table row, a JSON
 * object).
 */
#ifndef MCAST_TOOLS_SAP_H
#define MCAST_TOOLS_SAP_H

#include <stdbool.h>
#include <stdio.h>

#include <mcast/sock.h>

#include "engine.h"
#include "sap_dir.h"

#include "sdp.h"

/* Subcommands. */
int cmd_sdp(int argc, char **argv);
int cmd_sap(int argc, char **argv);
int sap_announce(int argc, char **argv);
int sap_listen(int argc, char **argv);
/* The SAP groups of `sap listen --scope` (and `recv --session`). */
enum sap_scope {
	SAP_SCOPE_GLOBAL = 0x1,
	SAP_SCOPE_ADMIN = 0x2,
	SAP_SCOPE_IPV6 = 0x4,
};
#define SAP_MAX_GROUPS 8
/* global, admin, ipv6 or all: the scope bits (else a usage error). */
unsigned sap_parse_scope(const char *text);
/*
 * Join the SAP groups of scopes on port 9875 (iface NULL: any): a socket
 * each into fds (SAP_MAX_GROUPS), their number; a warning per group that
 * could not be joined, exit 1 when none could.  names (names_len bytes,
 * may be 0): "224.2.127.254, 239.255.255.255".
 */
int sap_join_scopes(unsigned scopes, const struct mc_iface *iface, int *fds,
    char *names, size_t names_len);
/* Up to budget datagrams waiting on fd into dir (without blocking). */
void sap_drain(int fd, unsigned budget, struct sap_dir *dir, mc_time_t now);
/* tools/sap_cache.c: sap listen --cache DIR keeps a file per session heard
 * (KEY.sdp); recv --session --sap-cache DIR looks there first. */
void sap_cache_event(const char *dir, enum sap_dir_event ev,
    const struct sap_dir_entry *e);
/* The files (malloc'ed paths, at most max) of the sessions named want
 * (s=) or with o= session id want: their number; exit 1 when dir cannot
 * be read. */
int sap_cache_find(const char *dir, const char *want, char **paths, int max);
/*
 * The announcer of `sap announce` for another command's session (file
 * send --announce): new, the sessions added, started on the caller's loop
 * (the first announcements go at once, then RFC 2974 3.1's timer), and
 * stopped (a deletion each, RFC 2974 6; then freed).  iface NULL: any;
 * ttl -1: each session's c= TTL; quiet: nothing on standard output.
 */
struct sap_ann;
struct loop;
struct sap_ann *sap_ann_new(const struct mc_iface *iface, int ttl, bool quiet);
/* The address our announcements to group leave from (for the o= line). */
void sap_ann_source(const struct sap_ann *a, const struct mc_ip *group,
    struct mc_ip *out);
/*
 * Check and add an SDP text (malloc'ed, len bytes; a takes it) named
 * label in messages: 0, or -1 with the diagnostics printed.
 */
int sap_ann_add(struct sap_ann *a, const char *label, char *text, size_t len);
void sap_ann_start(struct sap_ann *a, struct loop *l);
void sap_ann_stop(struct sap_ann *a);
/* What --sdp, --session, --sap-wait and --sap-scope gave. */
struct recv_session_opts {
	const char *sdp_path;
	const char *session;
	double sap_wait_s;     /* 0: until heard */
	const char *sap_cache; /* a running sap listen --cache DIR */
	unsigned sap_scopes;
};
/*
 * --session: the session of so->session (s= name, o= session id or SAP
 * hash) from so->sap_cache or heard on the SAP groups (iface NULL: any),
 * parsed; label (len bytes) says which.  Exits 1 when it was not heard in
 * so->sap_wait_s, 2 when several match (listing what was heard).  quiet:
 * no "listening" line.  Free it with recv_session_release().
 */
const struct sdp_session *recv_session_find(const struct recv_session_opts *so,
    const struct mc_iface *iface, bool quiet, char *label, size_t len);
/* The text s was parsed from (a C string). */
const char *recv_session_text(const struct sdp_session *s);
void recv_session_release(const struct sdp_session *s);
/* Both commands' options. */
void sap_usage(FILE *f);

/*
 * Read path (at most SDP_MAX_TEXT bytes) into a malloc'ed buffer: its
 * length, or -1 with a message in err (errlen bytes).
 */
long sdp_file_read(const char *path, char **text, char *err, size_t errlen);
/* "FILE:LINE: x=: text" per diagnostic ("warning: " before warnings). */
void sdp_print_diags(FILE *f, const char *path, const struct sdp_session *s);
/* The media of s as JSON: [{"media":"audio","group":...}, ...]. */
void sdp_json_media(FILE *f, const struct sdp_session *s);
/* "239.1.2.3:5004 audio RTP/AVP 96" per medium, joined by ", ". */
void sdp_media_summary(const struct sdp_session *s, char *buf, size_t len);

#endif
