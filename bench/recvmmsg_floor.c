/*
 * recvmmsg_floor: the least a receiver can do.  Joins one IPv4 group on one
 * interface, binds to its port and reads datagrams in recvmmsg() batches of
 * 64 for a fixed time, counting them; prints the datagrams per second from
 * the first arrival to the end.  bench/datapath.sh runs it as the reader of
 * the sendmmsg_floor pair: that pair is the ceiling of delivery on the veth
 * pair, which `mcast send` -> `mcast recv` and iperf2 are measured against.
 *
 * usage: recvmmsg_floor [-i IF] [-d SECONDS] [-R RCVBUF] [--json] GROUP:PORT
 *
 * Nothing is done per datagram but counting it: no receive timestamps, no
 * parsing, no sequence numbers (so no loss figure).  The receive buffer is
 * the kernel default unless -R BYTES is given (datapath.sh gives the 32 MiB
 * `mcast recv` asks for).  The clock is read once per batch.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "floor.h"

#define READER_BATCH   64
#define READER_BUFSIZE 2048 /* the benchmark sends at most 1316 bytes */

static volatile sig_atomic_t reader_stop;

static void
reader_on_signal(int sig)
{
	(void)sig;
	reader_stop = 1;
}

static void
reader_usage(void)
{
	fprintf(stderr,
	    "usage: recvmmsg_floor [-i IF] [-d SECONDS] "
	    "[-R RCVBUF] [--json] GROUP:PORT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' }, { NULL, 0, NULL, 0 }
	};
	static uint8_t bufs[READER_BATCH][READER_BUFSIZE];
	static struct mmsghdr msgs[READER_BATCH];
	static struct iovec iov[READER_BATCH];
	struct timeval tv = { 0, 100000 }; /* the deadline is checked */
	struct sigaction sa;
	struct sockaddr_in group;
	struct ip_mreqn mreq;
	const char *ifname = NULL;
	double duration_s = 1, secs, pps;
	long rcvbuf = 0;
	uint64_t packets = 0, bytes = 0, first_batch = 0;
	int64_t start, end, now, first = 0;
	int fd, c, i, n, one = 1, off = 0;
	bool json = false;

	while ((c = getopt_long(argc, argv, "i:d:R:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'd':
			duration_s = strtod(optarg, NULL);
			break;
		case 'R':
			rcvbuf = strtol(optarg, NULL, 10);
			break;
		case 'J':
			json = true;
			break;
		default:
			reader_usage();
		}
	}
	if (argc - optind != 1 || duration_s <= 0 || rcvbuf < 0 ||
	    rcvbuf > 1 << 30)
		reader_usage();
	floor_parse_target("recvmmsg_floor", argv[optind], &group);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = reader_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		perror("recvmmsg_floor: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof(off));
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &(int){ (int)rcvbuf },
		sizeof(int)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &(int){ (int)rcvbuf },
		sizeof(int)) < 0) {
		perror("recvmmsg_floor: SO_RCVBUF");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("recvmmsg_floor: SO_RCVTIMEO");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&group, sizeof(group)) < 0) {
		perror("recvmmsg_floor: bind");
		return 1;
	}
	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_multiaddr = group.sin_addr;
	if (ifname != NULL) {
		mreq.imr_ifindex = (int)if_nametoindex(ifname);
		if (mreq.imr_ifindex == 0) {
			fprintf(stderr, "recvmmsg_floor: interface %s: %s\n",
			    ifname, strerror(errno));
			return 1;
		}
	}
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) <
	    0) {
		perror("recvmmsg_floor: IP_ADD_MEMBERSHIP");
		return 1;
	}

	for (i = 0; i < READER_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = READER_BUFSIZE;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = floor_now_ns();
	end = start + (int64_t)(duration_s * 1e9);
	now = start;
	while (now < end && !reader_stop) {
		n = recvmmsg(fd, msgs, READER_BATCH, MSG_WAITFORONE, NULL);
		now = floor_now_ns();
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			perror("recvmmsg_floor: recvmmsg");
			return 1;
		}
		if (n > 0 && packets == 0) {
			first = now;
			first_batch = (uint64_t)n;
		}
		for (i = 0; i < n; i++)
			bytes += msgs[i].msg_len;
		packets += (uint64_t)n;
	}
	close(fd);
	/*
	 * The rate: datagrams after the first batch over the time from the
	 * first batch to the end, while datagrams were coming.
	 */
	secs = packets ? (double)(now - first) / 1e9 : 0;
	pps = secs > 0 ? (double)(packets - first_batch) / secs : 0;

	if (json)
		printf("{\"type\":\"reader_summary\",\"packets\":%llu,"
		       "\"bytes\":%llu,\"first_packet_ms\":%.3f,"
		       "\"seconds\":%.6f,\"pps\":%.1f}\n",
		    (unsigned long long)packets, (unsigned long long)bytes,
		    packets ? (double)(first - start) / 1e6 : 0.0, secs, pps);
	else
		printf("received %llu datagrams in %.3f s: %.0f pps\n",
		    (unsigned long long)packets, secs, pps);
	return packets == 0;
}
