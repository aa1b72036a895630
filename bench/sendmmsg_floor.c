/*
 * sendmmsg_floor: the least a sender can do.  Fixed-size UDP datagrams to
 * one IPv4 group, in sendmmsg() batches of 64, for a fixed time; prints the
 * datagrams per second.  bench/datapath.sh runs it beside `mcast send` and
 * iperf2 on the same veth pair: it is the ceiling a real sender is measured
 * against (of_limit).
 *
 * usage: sendmmsg_floor [-i IF] [-s SIZE] [-d SECONDS] [-B BATCH]
 *                       [-S SNDBUF] [--json] GROUP:PORT
 *
 * The payload is zeros and the TTL 1; the send buffer is the kernel default
 * unless -S BYTES is given (datapath.sh gives the 4 MiB `mcast send` asks
 * for).  Nothing is done per datagram: the figure measures the kernel path
 * and nothing else.  The clock is read once per batch.
 */
#include <errno.h>
#include <getopt.h>
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

#include "floor.h"

#define FLOOR_MAX_BATCH 1024
#define FLOOR_MAX_SIZE	65507

static void
floor_usage(void)
{
	fprintf(stderr,
	    "usage: sendmmsg_floor [-i IF] [-s SIZE] [-d SECONDS] "
	    "[-B BATCH] [-S SNDBUF] [--json] GROUP:PORT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' }, { NULL, 0, NULL, 0 }
	};
	static struct mmsghdr msgs[FLOOR_MAX_BATCH];
	static struct iovec iov;
	static uint8_t buf[FLOOR_MAX_SIZE];
	struct sockaddr_in group;
	struct ip_mreqn mreq;
	const char *ifname = NULL;
	double duration_s = 1;
	long size = 64, batch = 64, sndbuf = 0;
	uint64_t packets = 0, errors = 0;
	int64_t start, end, now;
	int fd, c, i, n, ttl = 1, last_errno = 0;
	bool json = false;
	double secs;

	while ((c = getopt_long(argc, argv, "i:s:d:B:S:", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 's':
			size = strtol(optarg, NULL, 10);
			break;
		case 'd':
			duration_s = strtod(optarg, NULL);
			break;
		case 'B':
			batch = strtol(optarg, NULL, 10);
			break;
		case 'S':
			sndbuf = strtol(optarg, NULL, 10);
			break;
		case 'J':
			json = true;
			break;
		default:
			floor_usage();
		}
	}
	if (argc - optind != 1 || size < 1 || size > FLOOR_MAX_SIZE ||
	    batch < 1 || batch > FLOOR_MAX_BATCH || duration_s <= 0)
		floor_usage();
	floor_parse_target("sendmmsg_floor", argv[optind], &group);

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		perror("sendmmsg_floor: socket");
		return 1;
	}
	if (sndbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ (int)sndbuf },
		sizeof(int)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ (int)sndbuf },
		sizeof(int)) < 0) {
		perror("sendmmsg_floor: SO_SNDBUF");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) <
	    0) {
		perror("sendmmsg_floor: IP_MULTICAST_TTL");
		return 1;
	}
	if (ifname != NULL) {
		memset(&mreq, 0, sizeof(mreq));
		mreq.imr_ifindex = (int)if_nametoindex(ifname);
		if (mreq.imr_ifindex == 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
			sizeof(mreq)) < 0) {
			fprintf(stderr, "sendmmsg_floor: interface %s: %s\n",
			    ifname, strerror(errno));
			return 1;
		}
	}
	if (connect(fd, (struct sockaddr *)&group, sizeof(group)) < 0) {
		perror("sendmmsg_floor: connect");
		return 1;
	}

	iov.iov_base = buf;
	iov.iov_len = (size_t)size;
	for (i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = floor_now_ns();
	end = start + (int64_t)(duration_s * 1e9);
	now = start;
	while (now < end) {
		n = sendmmsg(fd, msgs, (unsigned)batch, 0);
		if (n > 0) {
			packets += (uint64_t)n;
		} else if (n < 0 && errno != EINTR) {
			errors++;
			last_errno = errno;
			if (errno != ENOBUFS && errno != EAGAIN)
				break;
		}
		now = floor_now_ns();
	}
	secs = (double)(now - start) / 1e9;
	close(fd);

	if (json)
		printf("{\"type\":\"floor_summary\",\"packets\":%llu,"
		       "\"bytes\":%llu,\"errors\":%llu,\"seconds\":%.6f,"
		       "\"pps\":%.1f,\"batch\":%ld}\n",
		    (unsigned long long)packets,
		    (unsigned long long)packets * (unsigned long long)size,
		    (unsigned long long)errors, secs, (double)packets / secs,
		    batch);
	else
		printf("sent %llu datagrams of %ld bytes in %.3f s: %.0f pps\n",
		    (unsigned long long)packets, size, secs,
		    (double)packets / secs);
	if (errors != 0)
		fprintf(stderr, "sendmmsg_floor: %llu errors, the last: %s\n",
		    (unsigned long long)errors, strerror(last_errno));
	return packets == 0;
}
