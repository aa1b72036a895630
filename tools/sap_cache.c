/*
 * The sessions a running `mcast sap listen --cache DIR` has heard, one SDP
 * file each, for `mcast recv --session NAME-OR-ID --sap-cache DIR` to find
 * without listening again.  A file is named KEY.sdp: the o= key
 * (username, session id, network and address types, address) with every
 * byte other than [A-Za-z0-9.-] as '_'; it holds the SDP as announced.  A
 * new version replaces the session's file (written beside it, then
 * renamed); a deletion, an expiry or an eviction removes it: one file
 * operation per change, whatever the number of sessions.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sap.h"
#include "sap_dir.h"
#include "tool.h"

/* "KEY.sdp" for key into buf. */
static void
sap_cache_name(const char *key, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; key[i] != '\0' && n + 5 < len; i++) {
		char c = key[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-';

		buf[n++] = ok ? c : '_';
	}
	memcpy(buf + n, ".sdp", 5);
}

void
sap_cache_event(const char *dir, enum sap_dir_event ev,
    const struct sap_dir_entry *e)
{
	char name[512], path[4096], tmp[4200];
	FILE *f;

	sap_cache_name(e->key, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ev != SAP_DIR_NEW && ev != SAP_DIR_UPDATED) {
		unlink(path);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "wb");
	if (f == NULL || fwrite(e->sdp, 1, e->sdp_len, f) != e->sdp_len ||
	    fclose(f) != 0 || rename(tmp, path) != 0) {
		warning("--cache: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
}

int
sap_cache_find(const char *dir, const char *want, char **paths, int max)
{
	struct sdp_session *s = malloc(sizeof(*s));
	char path[4096], err[300], *text, *arena;
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;
	long len;

	if (dp == NULL || s == NULL) {
		fprintf(stderr,
		    "mcast: --sap-cache %s: %s: expected the "
		    "directory of a running sap listen --cache\n",
		    dir, dp == NULL ? strerror(errno) : "out of memory");
		exit(1);
	}
	while ((d = readdir(dp)) != NULL && n < max) {
		size_t nl = strlen(d->d_name);
		bool match;

		if (d->d_name[0] == '.' || nl < 5 ||
		    strcmp(d->d_name + nl - 4, ".sdp") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		len = sdp_file_read(path, &text, err, sizeof(err));
		if (len < 0)
			continue;
		arena = malloc(SDP_ARENA_SIZE((size_t)len));
		if (arena == NULL) {
			free(text);
			continue;
		}
		sdp_parse(text, (size_t)len, 0, arena,
		    SDP_ARENA_SIZE((size_t)len), s);
		match = (s->name && strcmp(s->name, want) == 0) ||
		    (s->origin.sess_id && strcmp(s->origin.sess_id, want) == 0);
		if (match)
			paths[n++] = strdup(path);
		free(arena);
		free(text);
	}
	closedir(dp);
	free(s);
	return n;
}
