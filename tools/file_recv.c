/*
 * mcast file recv: receive the files a sender announces on GROUP:PORT
 * into a directory (the engine: proto/rmc_recv.c).  Each file is written
 * under a temporary name and gets its own only once its SHA-256 matches;
 * names never leave the directory (no absolute path, no "..", no symbolic
 * link followed).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "file.h"
#include "loop.h"
#include "rmc_recv.h"
#include "sap.h"
#include "tool.h"

#define RECV_BUDGET 256
#define RECV_PART   ".mcast-part"

struct recv_file {
	bool open, done;
	int dirfd;	   /* of the directory the file goes in */
	int fd;		   /* the temporary file */
	int mapfd;	   /* its map: a byte per block, '1' once written */
	char *name, *base; /* as sent; its last component */
	char *shown;	   /* name made safe to print (text.h) */
	char *tmp, *map;   /* the temporary file's name; its map's */
	uint64_t block_bytes;
	uint64_t size, got;
	uint32_t mode;
	uint8_t sha256[RMC_SHA256_LEN];
	/*
	 * The SHA-256 runs over the prefix written in order (hashed bytes)
	 * while the file comes, so that its end has little left to read;
	 * have: a bit per block written.
	 */
	EVP_MD_CTX *hash;
	uint64_t hashed;
	uint8_t *have;
};

struct recv_opts {
	struct mc_endpoint group;
	const char *label, *dir;
	struct mc_iface iface;
	bool has_iface, force, json, quiet, verbose, resume;
	const char *key_path;
	double timeout_s;
	int ttl; /* of the NACKs: -t, the session's c= TTL, or 1 */
	struct recv_session_opts so; /* --session and its options */
	struct file_session fsn;     /* what --session found */
};

struct recv_state {
	struct recv_opts *o;
	struct file_sock fs;
	struct rmc_recv *r;
	struct loop *loop;
	int dirfd;
	struct recv_file *files;
	size_t nfiles;
	uint64_t bytes;
	uint64_t resumed; /* bytes kept from an earlier run (--resume) */
	unsigned files_ok;
	int exit_code;
	bool finished;
	int64_t start_ns;
	uint64_t total;	  /* bytes of the files announced */
	uint32_t current; /* the file written last */
	struct file_progress progress;
};

static void
recv_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast file recv [-i IF] [-o DIR] [--force] [--resume] "
	    "[--timeout S]\n"
	    "                       [--key FILE] [-t TTL] [--json] [-q] [-v] "
	    "GROUP:PORT\n"
	    "       mcast file recv [options] --session NAME [--sap-wait D] "
	    "[--sap-cache DIR]\n"
	    "                       [--sap-scope global|admin|ipv6|all]\n"
	    "  -i IF        join on this interface\n"
	    "  -o DIR       write the files under DIR (default .)\n"
	    "  --force      replace files that exist\n"
	    "  --resume     keep what an earlier run wrote (its .NAME" RECV_PART
	    " files)\n"
	    "  --key FILE   accept only packets sealed with the key of FILE's "
	    "contents\n"
	    "  -t TTL       time to live of the NACKs (default 1; with "
	    "--session the c= TTL)\n"
	    "  --session S  receive the session a sender announces (send "
	    "--announce):\n"
	    "               name (s=), o= session id or SAP hash S; its group, "
	    "port,\n"
	    "               TTL and the interface towards its sender\n"
	    "  --sap-wait D give up (exit 1) when it was not heard within D\n"
	    "  --sap-cache DIR  first look in a running sap listen --cache "
	    "DIR\n"
	    "  --sap-scope S    the SAP groups to listen on (default global "
	    "and admin)\n"
	    "  --timeout S  give up when the sender is silent S seconds "
	    "(default 30)\n"
	    "  --json       one JSON summary at the end\n"
	    "  -q           no report, only the exit status\n"
	    "  -v           what the engine does, a line per step, on "
	    "standard error\n"
	    "exit status: 0 when every file arrived and matched its SHA-256, "
	    "1 when not\n"
	    "(time-out, mismatch, a file system error), 2 on usage errors\n");
}

static void
recv_parse(int argc, char **argv, struct recv_opts *o)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "resume", no_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'J' },
		{ "key", required_argument, NULL, 'K' },
		{ "session", required_argument, NULL, 'N' },
		{ "sap-wait", required_argument, NULL, 'W' },
		{ "sap-scope", required_argument, NULL, 'P' },
		{ "sap-cache", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *iface_text = NULL, *dir_text = NULL, *wait_text = NULL;
	const char *scope_text = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	o->timeout_s = 30;
	o->ttl = -1;
	o->so.sap_scopes = SAP_SCOPE_GLOBAL | SAP_SCOPE_ADMIN;
	while ((c = getopt_long(argc, argv, ":i:o:t:qvh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			option_once(&iface_text, "-i", optarg, "interface");
			parse_iface(optarg, &o->iface);
			o->has_iface = true;
			break;
		case 'o':
			option_once(&dir_text, "-o", optarg, "directory");
			o->dir = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		case 'R':
			o->resume = true;
			break;
		case 'T':
			o->timeout_s = parse_duration(optarg, "timeout");
			break;
		case 'J':
			o->json = true;
			break;
		case 'K':
			option_once(&o->key_path, "--key", optarg, "key file");
			break;
		case 't':
			o->ttl = parse_ttl(optarg);
			break;
		case 'N':
			option_once(&o->so.session, "--session", optarg,
			    "session");
			break;
		case 'W':
			option_once(&wait_text, "--sap-wait", optarg,
			    "duration");
			o->so.sap_wait_s = parse_duration(optarg, "--sap-wait");
			break;
		case 'P':
			option_once(&scope_text, "--sap-scope", optarg,
			    "scope");
			o->so.sap_scopes = sap_parse_scope(optarg);
			break;
		case 'Q':
			option_once(&o->so.sap_cache, "--sap-cache", optarg,
			    "directory");
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			recv_usage(stdout);
			exit(0);
		default:
			option_error("file recv", c, argv);
		}
	}
	if ((wait_text || scope_text || o->so.sap_cache) && !o->so.session)
		usage_error("%s without --session: expected it with --session "
			    "NAME",
		    wait_text	   ? "--sap-wait" :
			scope_text ? "--sap-scope" :
				     "--sap-cache");
	if (o->so.session) {
		if (argc - optind != 0)
			usage_error("--session %s and %s: expected one of them",
			    o->so.session, argv[optind]);
		return;
	}
	if (argc - optind != 1) {
		recv_usage(stderr);
		usage_error("file recv needs one GROUP:PORT");
	}
	o->label = argv[optind];
	parse_group_endpoint(o->label, &o->group);
}

/* --session: the group, port, TTL and interface of the session heard. */
static void
recv_find_session(struct recv_opts *o)
{
	struct file_session *f = &o->fsn;
	char b[32];

	file_session_find(&o->so, o->has_iface ? &o->iface : NULL, o->quiet, f);
	if (f->sealed && o->key_path == NULL)
		usage_error("--session %s: %s is sealed with a key "
			    "(a=mcast-file-sealed): give --key FILE",
		    o->so.session, f->session_label);
	if (!f->sealed && o->key_path != NULL)
		usage_error("--session %s: %s is not sealed: expected no --key",
		    o->so.session, f->session_label);
	o->group = f->group;
	o->label = f->label;
	if (o->ttl < 0 && f->ttl > 0)
		o->ttl = f->ttl;
	if (!o->has_iface && f->has_iface) {
		o->iface = f->iface;
		o->has_iface = true;
	}
	if (!o->quiet) /* standard error, even with --json */
		fprintf(stderr,
		    "mcast: session %s: %s%s%s, TTL %d, %u file%s, %s\n",
		    f->session_label, f->label, o->has_iface ? " on " : "",
		    o->has_iface ? o->iface.name : "", o->ttl > 0 ? o->ttl : 1,
		    f->files, plural_s(f->files), file_bytes_str(f->bytes, b));
}

static void recv_fail(struct recv_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Says what went wrong and ends the session with status 1. */
static void
recv_fail(struct recv_state *st, const char *fmt, ...)
{
	va_list ap;

	file_progress_end(&st->progress);
	fprintf(stderr, "mcast: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	st->exit_code = 1;
	st->finished = true;
	loop_stop(st->loop);
}

/*
 * The directory name's file goes in, made under -o DIR a component at a
 * time without following symbolic links: a descriptor, or -errno.
 */
static int
recv_open_dirs(int dirfd, char *name, char **base)
{
	char *slash, *p = name;
	int fd = dup(dirfd), next;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		*slash = '\0';
		if (mkdirat(fd, p, 0755) < 0 && errno != EEXIST) {
			next = -errno;
		} else {
			next = openat(fd, p,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next < 0)
				next = -errno;
		}
		*slash = '/';
		close(fd);
		if (next < 0)
			return next;
		fd = next;
		p = slash + 1;
	}
	*base = p;
	return fd < 0 ? -errno : fd;
}

/*
 * --resume: the blocks an earlier run wrote (its map says which) are not
 * asked for again; the SHA-256 at the end checks them with the rest.
 */
static void
recv_resume(struct recv_state *st, struct recv_file *rf, uint32_t file)
{
	uint64_t nblocks = rf->block_bytes ?
	    (rf->size + rf->block_bytes - 1) / rf->block_bytes :
	    0;
	uint8_t buf[4096];
	uint64_t b = 0;
	ssize_t n, i;

	while (b < nblocks &&
	    (n = pread(rf->mapfd, buf, sizeof(buf), (off_t)b)) > 0) {
		for (i = 0; i < n && b < nblocks; i++, b++) {
			uint64_t len = rf->size - b * rf->block_bytes;

			if (buf[i] != '1' ||
			    rmc_recv_have(st->r, loop_now(st->loop), file,
				(uint32_t)b) != 0)
				continue;
			if (len > rf->block_bytes)
				len = rf->block_bytes;
			st->resumed += len;
			rf->got += len;
			rf->have[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
}

/*
 * The running SHA-256 takes the blocks written out of order that now
 * follow its prefix (read back from the file): 0 or -errno.
 */
static int
recv_hash_advance(struct recv_file *rf)
{
	uint64_t next = rf->block_bytes ? rf->hashed / rf->block_bytes : 0;
	int rc;

	for (; rf->hashed < rf->size && rf->have[next / 8] & (1u << (next % 8));
	     next++) {
		uint64_t end = rf->hashed + rf->block_bytes;

		if (end > rf->size)
			end = rf->size;
		if ((rc = file_sha256_more(rf->fd, rf->hash, (off_t)rf->hashed,
			 (off_t)end)) < 0)
			return rc;
		rf->hashed = end;
	}
	return 0;
}

/*
 * Block b of rf was written (data, len: its bytes): the running SHA-256
 * takes it if it continues the prefix, then what follows.
 */
static int
recv_hash_block(struct recv_file *rf, uint64_t b, const uint8_t *data,
    size_t len)
{
	rf->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (b * rf->block_bytes != rf->hashed)
		return 0;
	EVP_DigestUpdate(rf->hash, data, len);
	rf->hashed += len;
	return recv_hash_advance(rf);
}

static void
recv_file_new(struct recv_state *st, const struct rmc_recv_ev *ev)
{
	struct recv_file *rf;
	struct stat sb;
	int fd, trunc;

	if (ev->file >= st->nfiles) {
		size_t n = ev->file + 1;
		struct recv_file *f = realloc(st->files, n * sizeof(*f));

		if (f == NULL) {
			recv_fail(st, "out of memory");
			return;
		}
		memset(f + st->nfiles, 0, (n - st->nfiles) * sizeof(*f));
		st->files = f;
		st->nfiles = n;
	}
	rf = &st->files[ev->file];
	rf->name = strndup((const char *)ev->entry.name, ev->entry.name_len);
	rf->shown = malloc(4 * RMC_NAME_MAX + 1);
	if (rf->name == NULL || rf->shown == NULL) {
		recv_fail(st, "out of memory");
		return;
	}
	text_safe(rf->shown, 4 * RMC_NAME_MAX + 1, rf->name);
	rf->size = ev->entry.size;
	st->total += rf->size;
	rf->mode = ev->entry.mode;
	memcpy(rf->sha256, ev->entry.sha256, RMC_SHA256_LEN);
	if ((rf->dirfd = recv_open_dirs(st->dirfd, rf->name, &rf->base)) < 0) {
		recv_fail(st, "cannot make the directory of %s/%s: %s%s",
		    st->o->dir, rf->shown, strerror(-rf->dirfd),
		    rf->dirfd == -ENOTDIR || rf->dirfd == -ELOOP ?
			" (symbolic links are not followed)" :
			"");
		return;
	}
	if (fstatat(rf->dirfd, rf->base, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !st->o->force) {
		recv_fail(st, "%s/%s exists: give --force to replace it",
		    st->o->dir, rf->shown);
		return;
	}
	if (asprintf(&rf->tmp, ".%s" RECV_PART, rf->base) < 0 ||
	    asprintf(&rf->map, ".%s" RECV_PART ".map", rf->base) < 0) {
		recv_fail(st, "out of memory");
		return;
	}
	rf->block_bytes = ev->block_bytes;
	if ((rf->hash = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(rf->hash, EVP_sha256(), NULL) ||
	    (rf->block_bytes > 0 &&
		(rf->have = calloc((rf->size / rf->block_bytes + 8) / 8, 1)) ==
		    NULL)) {
		recv_fail(st, "out of memory");
		return;
	}
	trunc = st->o->resume ? 0 : O_TRUNC;
	fd = openat(rf->dirfd, rf->tmp,
	    O_RDWR | O_CREAT | trunc | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 ||
	    (rf->mapfd = openat(rf->dirfd, rf->map,
		 O_RDWR | O_CREAT | trunc | O_NOFOLLOW | O_CLOEXEC, 0600)) <
		0) {
		recv_fail(st, "cannot create %s/%s: %s", st->o->dir, rf->shown,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	rf->fd = fd;
	rf->open = true;
	if (st->o->resume) {
		recv_resume(st, rf, ev->file);
		recv_hash_advance(rf); /* a failed read: the end reads again */
	}
}

/* Drops a temporary file (on a failure). */
static void
recv_file_drop(struct recv_file *rf)
{
	if (!rf->open)
		return;
	close(rf->fd);
	close(rf->mapfd);
	unlinkat(rf->dirfd, rf->tmp, 0);
	unlinkat(rf->dirfd, rf->map, 0);
	rf->open = false;
}

static void
recv_write(struct recv_state *st, const struct rmc_recv_ev *ev)
{
	struct recv_file *rf = ev->file < st->nfiles ? &st->files[ev->file] :
						       NULL;
	size_t done = 0;
	ssize_t n;

	if (rf == NULL || !rf->open)
		return;
	while (done < ev->len) {
		n = pwrite(rf->fd, ev->data + done, ev->len - done,
		    (off_t)(ev->offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC;

			recv_file_drop(rf);
			recv_fail(st, "cannot write %s/%s: %s", st->o->dir,
			    rf->shown, strerror(e));
			return;
		}
		done += (size_t)n;
	}
	st->bytes += ev->len;
	rf->got += ev->len;
	st->current = ev->file;
	if (rf->block_bytes > 0 &&
	    ((n = recv_hash_block(rf, ev->offset / rf->block_bytes, ev->data,
		  ev->len)) < 0 ||
		pwrite(rf->mapfd, "1", 1,
		    (off_t)(ev->offset / rf->block_bytes)) != 1)) {
		int e = n < 0 ? (int)-n : errno;

		recv_file_drop(rf);
		recv_fail(st, "cannot write %s/%s: %s", st->o->dir, rf->shown,
		    strerror(e));
	}
}

/* Every byte is there: checked, then given its name. */
static void
recv_file_done(struct recv_state *st, uint32_t file)
{
	struct recv_file *rf = file < st->nfiles ? &st->files[file] : NULL;
	uint8_t sha[RMC_SHA256_LEN];
	char hex[2][2 * RMC_SHA256_LEN + 1];
	int rc = 0;

	if (rf == NULL || !rf->open)
		return;
	if (ftruncate(rf->fd, (off_t)rf->size) < 0 || fsync(rf->fd) < 0 ||
	    (rc = file_sha256_more(rf->fd, rf->hash, (off_t)rf->hashed,
		 (off_t)rf->size)) < 0) {
		rc = rc < 0 ? -rc : errno;
		recv_file_drop(rf);
		recv_fail(st, "cannot finish %s/%s: %s", st->o->dir, rf->shown,
		    strerror(rc));
		return;
	}
	EVP_DigestFinal_ex(rf->hash, sha, NULL);
	if (memcmp(sha, rf->sha256, RMC_SHA256_LEN) != 0) {
		recv_file_drop(rf);
		recv_fail(st,
		    "%s/%s does not match: SHA-256 %s, expected %s (removed)",
		    st->o->dir, rf->shown, file_sha256_hex(sha, hex[0]),
		    file_sha256_hex(rf->sha256, hex[1]));
		return;
	}
	fchmod(rf->fd, rf->mode & 0777);
	if (renameat(rf->dirfd, rf->tmp, rf->dirfd, rf->base) < 0) {
		rc = errno;
		recv_file_drop(rf);
		recv_fail(st, "cannot name %s/%s: %s", st->o->dir, rf->shown,
		    strerror(rc));
		return;
	}
	close(rf->fd);
	close(rf->mapfd);
	unlinkat(rf->dirfd, rf->map, 0);
	rf->open = false;
	rf->done = true;
	st->files_ok++;
	file_progress_clear(&st->progress);
	if (!st->o->quiet && !st->o->json)
		printf("%s/%s: %llu bytes, SHA-256 %s\n", st->o->dir, rf->shown,
		    (unsigned long long)rf->size,
		    file_sha256_hex(rf->sha256, hex[0]));
}

static void
recv_events(struct recv_state *st)
{
	const struct rmc_recv_ev *ev;

	while ((ev = rmc_recv_event(st->r)) != NULL) {
		/* After the end only packets still go (our "done"). */
		if (st->finished && ev->type != RMC_EV_SEND)
			continue;
		switch (ev->type) {
		case RMC_EV_SEND:
			if (ev->len > 0)
				file_sock_send(&st->fs, ev->data, ev->len);
			break;
		case RMC_EV_FILE:
			recv_file_new(st, ev);
			break;
		case RMC_EV_WRITE:
			recv_write(st, ev);
			break;
		case RMC_EV_FILE_DONE:
			recv_file_done(st, ev->file);
			break;
		case RMC_EV_DONE:
			st->finished = true;
			loop_stop(st->loop);
			break;
		case RMC_EV_TIMEOUT:
			recv_fail(st,
			    "nothing from the sender on %s for %g s: giving up"
			    "%s%s",
			    st->o->label, st->o->timeout_s,
			    file_sock_key_hint(&st->fs),
			    st->nfiles ? " (what arrived stays in the "
					 ".NAME" RECV_PART " files)" :
					 "");
			break;
		}
	}
}

/* The terminal's line: the file being written, all files, rate, ETA. */
static void
recv_progress(struct recv_state *st, mc_time_t now)
{
	double secs = (double)(now_monotonic_ns() - st->start_ns) / 1e9;
	double rate = secs > 0 ? (double)st->bytes / secs : 0;
	const struct recv_file *rf;
	char b[2][32];

	if (st->finished || st->current >= st->nfiles ||
	    !file_progress_due(&st->progress, now))
		return;
	rf = &st->files[st->current];
	file_progress_draw(&st->progress,
	    "%s %3.0f %%, all %s of %s at %.1f Mbit/s, ETA %.0f s, "
	    "%.1f %% loss",
	    rf->shown,
	    rf->size ? (double)rf->got * 100 / (double)rf->size : 100,
	    file_bytes_str(st->bytes, b[0]), file_bytes_str(st->total, b[1]),
	    rate * 8 / 1e6,
	    rate > 0 ? (double)(st->total - st->bytes) / rate : 0.0,
	    (double)rmc_recv_stats(st->r)->loss * 100 / RMC_LOSS_SCALE);
}

static void
recv_rx(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct recv_state *st = arg;
	uint8_t buf[65536];
	unsigned i;

	for (i = 0; i < budget && !st->finished; i++) {
		ssize_t n = file_sock_recv(&st->fs, buf, sizeof(buf));

		if (n < 0)
			break;
		if (n == 0)
			continue;
		rmc_recv_input(st->r, loop_now(st->loop), buf, (size_t)n);
		recv_events(st);
	}
	recv_progress(st, loop_now(st->loop));
}

static mc_time_t
recv_deadline(void *arg)
{
	struct recv_state *st = arg;

	return rmc_recv_deadline(st->r);
}

static void
recv_timer(void *arg, mc_time_t now)
{
	struct recv_state *st = arg;

	rmc_recv_timer(st->r, now);
	recv_events(st);
}

static void
recv_report(const struct recv_state *st)
{
	const struct rmc_recv_stats *rs = rmc_recv_stats(st->r);
	double secs = (double)(now_monotonic_ns() - st->start_ns) / 1e9;

	if (st->o->quiet)
		return;
	if (st->o->json) {
		printf("{\"files\":%u,\"bytes\":%llu,\"resumed\":%llu,"
		       "\"seconds\":%.3f,"
		       "\"symbols\":%llu,\"decoded\":%llu,\"nacks\":%llu,"
		       "\"nacks_held\":%llu,\"loss\":%.4f,"
		       "\"bad\":%llu,\"other_session\":%llu,"
		       "\"symbols_bad\":%llu,\"symbols_dup\":%llu,"
		       "\"nacks_heard\":%llu,\"auth_failed\":%llu,"
		       "\"stale\":%llu,\"ok\":%s",
		    st->files_ok, (unsigned long long)st->bytes,
		    (unsigned long long)st->resumed, secs,
		    (unsigned long long)rs->symbols,
		    (unsigned long long)rs->decoded,
		    (unsigned long long)rs->nacks_sent,
		    (unsigned long long)rs->nacks_held,
		    (double)rs->loss / RMC_LOSS_SCALE,
		    (unsigned long long)file_bad_sum(rs->bad),
		    (unsigned long long)rs->other_session,
		    (unsigned long long)rs->symbols_bad,
		    (unsigned long long)rs->symbols_dup,
		    (unsigned long long)rs->nacks_heard,
		    (unsigned long long)st->fs.auth_failed,
		    (unsigned long long)st->fs.stale,
		    st->exit_code == 0 ? "true" : "false");
		if (rs->cc)
			printf(",\"cc\":{\"feedback\":%llu,"
			       "\"feedback_held\":%llu,\"p\":%.6f,"
			       "\"rtt_ms\":%.1f,\"x_calc_bps\":%.0f}",
			    (unsigned long long)rs->feedback_sent,
			    (unsigned long long)rs->feedback_held, rs->cc_p,
			    rs->cc_rtt_ms, rs->cc_xcalc);
		printf("}\n");
		return;
	}
	printf("received %u file%s, %llu bytes in %.1f s; %.2f %% loss, "
	       "%llu block%s rebuilt from parity, %llu NACK%s sent\n",
	    st->files_ok, plural_s(st->files_ok), (unsigned long long)st->bytes,
	    secs, (double)rs->loss * 100 / RMC_LOSS_SCALE,
	    (unsigned long long)rs->decoded, plural_s(rs->decoded),
	    (unsigned long long)rs->nacks_sent, plural_s(rs->nacks_sent));
}

int
file_recv_main(int argc, char **argv)
{
	struct rmc_recv_config c;
	struct recv_opts o;
	struct recv_state st;
	int error;
	size_t i;

	recv_parse(argc, argv, &o);
	if (o.so.session)
		recv_find_session(&o);
	memset(&st, 0, sizeof(st));
	if (o.key_path)
		file_sock_key(&st.fs, o.key_path);
	st.o = &o;
	st.dirfd = open(o.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st.dirfd < 0) {
		fprintf(stderr, "mcast: cannot use -o %s: %s\n", o.dir,
		    strerror(errno));
		return 1;
	}
	file_sock_open(&st.fs, o.label, &o.group, o.has_iface ? &o.iface : NULL,
	    o.ttl > 0 ? o.ttl : 1);
	st.loop = tool_loop_new();
	rmc_recv_config_default(&c);
	c.receiver = random_u32();
	/* --session: that transfer only, not whatever else uses the group
	   and port. */
	if (o.so.session)
		c.session = o.fsn.session;
	c.idle_ms = (mc_time_t)(o.timeout_s * 1000);
	if (o.verbose)
		c.trace = file_trace;
	st.r = rmc_recv_new(&c, loop_now(st.loop),
	    (uint64_t)random_u32() << 32 | random_u32(), &error);
	if (st.r == NULL) {
		fprintf(stderr, "mcast: cannot start: %s\n", strerror(-error));
		return 1;
	}
	st.start_ns = now_monotonic_ns();
	file_progress_init(&st.progress, !o.quiet && !o.json);
	file_sock_run(&st.fs, st.loop, RECV_BUDGET, recv_rx, recv_deadline,
	    recv_timer, &st);
	file_progress_end(&st.progress);
	if (!st.finished)
		st.exit_code = 1; /* stopped by a signal */
	recv_report(&st);
	loop_free(st.loop);
	for (i = 0; i < st.nfiles; i++) {
		if (st.files[i].open) {
			close(st.files[i].fd);
			close(st.files[i].mapfd);
		}
		if (st.files[i].dirfd > 0)
			close(st.files[i].dirfd);
		free(st.files[i].name);
		free(st.files[i].shown);
		free(st.files[i].tmp);
		free(st.files[i].map);
		free(st.files[i].have);
		EVP_MD_CTX_free(st.files[i].hash);
	}
	free(st.files);
	close(st.fs.fd);
	close(st.dirfd);
	rmc_recv_free(st.r);
	return st.exit_code;
}
