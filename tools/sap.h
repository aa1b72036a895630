/*
 * What `mcast sdp` and `mcast sap` share: reading an SDP file, printing
 * the parser's diagnostics, and describing a session (a table row, a JSON
 * object).
 */
#ifndef MCAST_TOOLS_SAP_H
#define MCAST_TOOLS_SAP_H

#include <stdio.h>

#include "sdp.h"

/* Subcommands. */
int cmd_sdp(int argc, char **argv);
int cmd_sap(int argc, char **argv);
int sap_announce(int argc, char **argv);
int sap_listen(int argc, char **argv);
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
