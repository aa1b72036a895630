/*
 * mcast file send|recv: reliable multicast file transfer.  Dispatches to
 * file_send.c and file_recv.c; the socket and SHA-256 both sides use.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "file.h"
#include "tool.h"

#define FILE_SOCKBUF (4 << 20)

static void
file_usage(FILE *f)
{
	fprintf(f,
	    "usage: mcast file send [options] PATH... GROUP:PORT\n"
	    "       mcast file recv [options] GROUP:PORT\n"
	    "`mcast file send --help`, `mcast file recv --help` for "
	    "their options\n");
}

int
cmd_file(int argc, char **argv)
{
	if (argc < 2) {
		file_usage(stderr);
		usage_error("file needs send or recv");
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		file_usage(stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "mcast: cannot initialise libsodium\n");
		return 1;
	}
	if (strcmp(argv[1], "send") == 0)
		return file_send_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "recv") == 0)
		return file_recv_main(argc - 1, argv + 1);
	usage_error("unknown file command '%s': expected send or recv",
	    argv[1]);
}

void
file_sock_open(struct file_sock *fs, const char *label,
    const struct mc_endpoint *group, const struct mc_iface *iface, int ttl)
{
	unsigned ifindex = iface ? iface->index : 0;
	int rc;

	/* (fs comes zeroed, its key set by file_sock_key) */
	fs->group = *group;
	fs->label = label;
	fs->fd = mc_socket_rx(group, ifindex, FILE_SOCKBUF);
	if (fs->fd < 0) {
		fprintf(stderr, "mcast: cannot receive on %s: %s%s\n", label,
		    mc_strerror(fs->fd),
		    no_iface_hint(&group->ip, fs->fd, iface != NULL));
		exit(1);
	}
	if ((rc = mc_join(fs->fd, &group->ip, ifindex, NULL)) < 0 ||
	    (rc = mc_set_ttl(fs->fd, group->ip.family, ttl)) < 0 ||
	    (rc = mc_set_bufsize(fs->fd, SO_SNDBUF, FILE_SOCKBUF)) < 0 ||
	    (ifindex &&
		(rc = mc_set_out_iface(fs->fd, group->ip.family, ifindex)) <
		    0)) {
		fprintf(stderr, "mcast: cannot join %s%s%s: %s%s\n", label,
		    iface ? " on " : "", iface ? iface->name : "",
		    mc_strerror(rc),
		    no_iface_hint(&group->ip, rc, iface != NULL));
		exit(1);
	}
	mc_endpoint_to_sockaddr(group, &fs->dst, &fs->dstlen);
}

void
file_sock_key(struct file_sock *fs, const char *path)
{
	static uint8_t text[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || (n = read(fd, text, sizeof(text))) < 0) {
		fprintf(stderr, "mcast: cannot read --key %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	close(fd);
	if (n == 0)
		usage_error("--key %s is empty: expected a file of secret "
			    "bytes (a passphrase will do)",
		    path);
	rmc_seal_key(text, (size_t)n, fs->key);
	sodium_memzero(text, sizeof(text));
	fs->keyed = true;
}

ssize_t
file_sock_recv(struct file_sock *fs, uint8_t *buf, size_t cap)
{
	static uint8_t sealed[65536];
	uint64_t now_ms, sealed_ms;
	ssize_t n;
	int len;

	if (!fs->keyed) {
		n = recv(fs->fd, buf, cap, MSG_DONTWAIT);
		if (n > 0 && rmc_sealed(buf, (size_t)n)) {
			fs->sealed_seen++;
			return 0;
		}
		return n < 0 ? -1 : n;
	}
	if ((n = recv(fs->fd, sealed, sizeof(sealed), MSG_DONTWAIT)) < 0)
		return -1;
	len = rmc_open(fs->key, sealed, (size_t)n, buf, cap);
	if (len < 0) {
		fs->auth_failed++;
		return 0;
	}
	/* Authentic, so its time is what the sealer's clock said. */
	now_ms = (uint64_t)now_realtime_ns() / 1000000;
	sealed_ms = rmc_sealed_at(sealed);
	if (!rmc_seal_fresh(sealed_ms, now_ms, RMC_SEAL_WINDOW_MS)) {
		fs->stale++;
		fs->stale_skew_ms = (int64_t)(sealed_ms - now_ms);
		return 0;
	}
	return len;
}

const char *
file_sock_key_hint(const struct file_sock *fs)
{
	static char buf[160];

	if (fs->auth_failed > 0)
		snprintf(buf, sizeof(buf),
		    "; %llu packet%s failed authentication (another --key?)",
		    (unsigned long long)fs->auth_failed,
		    plural_s(fs->auth_failed));
	else if (fs->stale > 0)
		snprintf(buf, sizeof(buf),
		    "; %llu packet%s sealed %.0f s %s this host's clock "
		    "(a replay, or clocks that differ: they must agree "
		    "within %d s)",
		    (unsigned long long)fs->stale, plural_s(fs->stale),
		    fabs((double)fs->stale_skew_ms / 1000),
		    fs->stale_skew_ms < 0 ? "behind" : "ahead of",
		    RMC_SEAL_WINDOW_MS / 1000);
	else if (fs->sealed_seen > 0)
		snprintf(buf, sizeof(buf),
		    "; %llu packet%s sealed with a key (give --key)",
		    (unsigned long long)fs->sealed_seen,
		    plural_s(fs->sealed_seen));
	else
		buf[0] = '\0';
	return buf;
}

void
file_sock_send(struct file_sock *fs, const uint8_t *p, size_t len)
{
	uint8_t sealed[2048], nonce[RMC_SEAL_NONCE_LEN];
	uint8_t random[RMC_SEAL_RANDOM_LEN];
	ssize_t n;
	int slen;

	if (fs->keyed) {
		randombytes_buf(random, sizeof(random));
		rmc_seal_nonce((uint64_t)now_realtime_ns() / 1000000, random,
		    nonce);
		slen = rmc_seal(fs->key, nonce, p, len, sealed, sizeof(sealed));
		if (slen < 0)
			return;
		p = sealed;
		len = (size_t)slen;
	}

	do
		n = sendto(fs->fd, p, len, 0, (struct sockaddr *)&fs->dst,
		    fs->dstlen);
	while (n < 0 && errno == EINTR);
	/* A full socket buffer loses it like the network would. */
	if (n < 0 && fs->send_errors++ == 0 && errno != EAGAIN &&
	    errno != ENOBUFS)
		warning("cannot send to %s: %s", fs->label, strerror(errno));
}

void
file_sock_run(struct file_sock *fs, struct loop *l, unsigned budget,
    loop_fd_fn rx, loop_deadline_fn deadline, loop_timer_fn timer, void *arg)
{
	int source, rc;

	if ((rc = loop_fd_add(l, fs->fd, LOOP_IN, budget, rx, arg)) < 0 ||
	    (source = loop_source_add(l, deadline, timer, arg)) < 0) {
		fprintf(stderr, "mcast: cannot start the event loop: %s\n",
		    strerror(-rc));
		exit(1);
	}
	tool_loop_run(l);
	loop_fd_del(l, fs->fd);
	loop_source_del(l, source);
}

void
file_progress_init(struct file_progress *p, bool enabled)
{
	p->on = enabled && isatty(STDERR_FILENO);
	p->drawn = false;
	p->next = 0;
}

bool
file_progress_due(struct file_progress *p, mc_time_t now)
{
	if (!p->on || now < p->next)
		return false;
	p->next = now + 250;
	return true;
}

void
file_progress_draw(struct file_progress *p, const char *fmt, ...)
{
	va_list ap;

	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	p->drawn = true;
}

void
file_progress_clear(struct file_progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = false;
}

void
file_progress_end(struct file_progress *p)
{
	if (p->drawn)
		fputc('\n', stderr);
	p->drawn = false;
}

const char *
file_bytes_str(uint64_t n, char *buf)
{
	if (n >= 1000000000)
		snprintf(buf, 32, "%.2f GB", (double)n / 1e9);
	else if (n >= 1000000)
		snprintf(buf, 32, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(buf, 32, "%.1f kB", (double)n / 1e3);
	else
		snprintf(buf, 32, "%llu B", (unsigned long long)n);
	return buf;
}

void
file_trace(void *arg, const char *line)
{
	fprintf(stderr, "%s\n", line);
}

int
file_sha256_more(int fd, EVP_MD_CTX *st, off_t off, off_t end)
{
	static uint8_t buf[1 << 16];
	ssize_t n;

	while (off < end) {
		size_t want = end - off < (off_t)sizeof(buf) ?
		    (size_t)(end - off) :
		    sizeof(buf);

		if ((n = pread(fd, buf, want, off)) == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		EVP_DigestUpdate(st, buf, (size_t)n);
		off += n;
	}
	return 0;
}

int
file_sha256(int fd, uint8_t out[RMC_SHA256_LEN])
{
	EVP_MD_CTX *st;
	struct stat sb;
	int rc;

	if (fstat(fd, &sb) < 0)
		return -errno;
	if ((st = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(st, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(st);
		return -ENOMEM;
	}
	if ((rc = file_sha256_more(fd, st, 0, sb.st_size)) == 0)
		EVP_DigestFinal_ex(st, out, NULL);
	EVP_MD_CTX_free(st);
	return rc;
}

const char *
file_sha256_hex(const uint8_t sha[RMC_SHA256_LEN], char *buf)
{
	int i;

	for (i = 0; i < RMC_SHA256_LEN; i++)
		sprintf(buf + 2 * i, "%02x", sha[i]);
	return buf;
}

uint64_t
file_bad_sum(const uint64_t bad[RMC_WIRE_ERRORS])
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < RMC_WIRE_ERRORS; i++)
		n += bad[i];
	return n;
}
