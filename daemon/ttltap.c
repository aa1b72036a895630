/* The low-TTL sampling tap (ttltap.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "ttltap.h"

#define TTLTAP_RCVBUF  (64 * 1024)
#define TTLTAP_SNAPLEN 20 /* the IPv4 header without options */

int
ttltap_open(struct ttltap *t)
{
	int one = 1, size = TTLTAP_RCVBUF, rc;
	uint8_t byte;

	memset(t, 0, sizeof(*t));
	t->max_ttl = -1;
	t->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(ETH_P_IP));
	if (t->fd < 0)
		return -errno;
	/* Our own IGMP and the packets the kernel forwards: not samples. */
	(void)setsockopt(t->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	(void)setsockopt(t->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if ((rc = ttltap_filter(t, 0)) < 0) {
		ttltap_close(t);
		return rc;
	}
	/* What came in before the filter was on: not a sample. */
	while (recv(t->fd, &byte, 1, MSG_TRUNC) >= 0)
		;
	return 0;
}

void
ttltap_close(struct ttltap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int
ttltap_filter(struct ttltap *t, uint8_t max_ttl)
{
	/* Offsets from the IPv4 header (a SOCK_DGRAM packet socket). */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 8), /* TTL */
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, max_ttl, 6, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16), /* daddr */
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0000000),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xe0000000, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x0fffff00, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, TTLTAP_SNAPLEN),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]),
		.filter = code };

	if (t->fd < 0)
		return -EBADF;
	if (t->max_ttl == max_ttl)
		return 0;
	if (setsockopt(t->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		sizeof(prog)) < 0)
		return -errno;
	t->max_ttl = max_ttl;
	return 0;
}

static void
ttltap_refill(struct ttltap *t, mc_time_t now)
{
	if (now >= t->second + 1000) {
		t->second = now;
		t->budget = TTLTAP_SAMPLES_PER_S;
	}
}

int
ttltap_poll_fd(struct ttltap *t, mc_time_t now)
{
	if (t->fd < 0)
		return -1;
	ttltap_refill(t, now);
	return t->budget > 0 ? t->fd : -1;
}

mc_time_t
ttltap_deadline(const struct ttltap *t, mc_time_t now)
{
	if (t->fd < 0 || t->budget > 0)
		return MC_TIME_NEVER;
	return t->second + 1000;
}

unsigned
ttltap_read(struct ttltap *t, mc_time_t now,
    void (*fn)(void *arg, const struct ttltap_sample *s), void *arg)
{
	struct ttltap_sample s;
	struct sockaddr_ll from;
	socklen_t flen;
	uint8_t pkt[TTLTAP_SNAPLEN];
	unsigned n = 0;
	ssize_t len;

	ttltap_refill(t, now);
	while (t->fd >= 0 && t->budget > 0) {
		flen = sizeof(from);
		len = recvfrom(t->fd, pkt, sizeof(pkt), MSG_TRUNC,
		    (struct sockaddr *)&from, &flen);
		if (len < 0)
			break;
		t->budget--;
		if ((size_t)len < sizeof(pkt) || pkt[0] >> 4 != 4 ||
		    (pkt[0] & 0x0f) < 5) {
			t->malformed++;
			continue;
		}
		t->samples++;
		n++;
		s.ifindex = (unsigned)from.sll_ifindex;
		memcpy(&s.source, pkt + 12, 4);
		memcpy(&s.group, pkt + 16, 4);
		s.ttl = pkt[8];
		fn(arg, &s);
	}
	return n;
}
