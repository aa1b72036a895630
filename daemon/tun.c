/*
 * mcastd's tunnels (tun.h): TUN devices made, addressed and brought up,
 * datagrams carried between them and a socket to the far end.
 *
 * A tunnel's device is called mtunK (its statement's place in the file),
 * has LOCAL as a /32 (no route goes into it: the outer packets to REMOTE
 * take the unicast routes), no IPv6 and no reverse-path filter of its own;
 * it goes when mcastd closes it.
 *
 * Its MTU is TUN_DEVICE_MTU, not the tunnel's: the kernel drops a
 * multicast datagram with DF set that is bigger than a VIF's MTU without
 * a trace (and fragments one without DF), so the tunnel's MTU (1500 less
 * the outer header unless the file says otherwise) is applied here, where
 * a datagram too big is counted and dropped whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "log.h"
#include "tun.h"

static uint8_t tun_buf[65536];

/* 0 or -1 (logged): value into /proc/sys/net/FAMILY/conf/NAME/KEY. */
static int
tun_sysctl(const char *family, const char *name, const char *key,
    const char *value)
{
	char path[128];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", family,
	    name, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
tun_ifreq(int s, unsigned long req, struct ifreq *ifr)
{
	return ioctl(s, req, ifr) < 0 ? -errno : 0;
}

/* The device: made, its MTU, LOCAL/32, up.  0 or -errno (what in *what). */
static int
tun_device(struct tun *t, const char **what)
{
	struct sockaddr_in *sin;
	struct ifreq ifr;
	int s, rc;

	*what = "/dev/net/tun";
	t->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (t->fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->cfg.name);
	*what = "TUNSETIFF";
	if ((rc = tun_ifreq(t->fd, TUNSETIFF, &ifr)) < 0)
		return rc;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* Before its address: no IPv6 link-local, no router solicitation. */
	tun_sysctl("ipv6", t->cfg.name, "disable_ipv6", "1");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->cfg.name);
	ifr.ifr_mtu = TUN_DEVICE_MTU;
	*what = "its MTU (SIOCSIFMTU)";
	if ((rc = tun_ifreq(s, SIOCSIFMTU, &ifr)) < 0)
		goto out;
	sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	sin->sin_addr = t->cfg.local;
	*what = "its address (SIOCSIFADDR)";
	if ((rc = tun_ifreq(s, SIOCSIFADDR, &ifr)) < 0)
		goto out;
	sin->sin_addr.s_addr = INADDR_BROADCAST;
	*what = "its netmask (SIOCSIFNETMASK)";
	if ((rc = tun_ifreq(s, SIOCSIFNETMASK, &ifr)) < 0)
		goto out;
	/* The far end's datagrams come in here, not by the unicast route. */
	tun_sysctl("ipv4", t->cfg.name, "rp_filter", "0");
	*what = "SIOCGIFFLAGS";
	if ((rc = tun_ifreq(s, SIOCGIFFLAGS, &ifr)) < 0)
		goto out;
	ifr.ifr_flags |= IFF_UP | IFF_MULTICAST;
	*what = "bringing it up (SIOCSIFFLAGS)";
	if ((rc = tun_ifreq(s, SIOCSIFFLAGS, &ifr)) < 0)
		goto out;
	t->ifindex = if_nametoindex(t->cfg.name);
out:
	close(s);
	return rc;
}

/*
 * What comes from the far end is read from two sockets, so that a flood
 * of datagrams, overflowing the first one's queue, cannot drop DVMRP's
 * messages with them: the control socket has those whose inner datagram
 * is IGMP (protocol 2), the data socket everything else (and what is too
 * short to tell, for the checks to count).  IP-in-IP: both raw sockets
 * get every packet, each keeps its share by a filter (classic BPF on the
 * outer IPv4 header and what follows it).  UDP: both are bound to the
 * port in one SO_REUSEPORT group whose program (run on the UDP payload)
 * picks one of them, data (bound first: 0) or control (1).
 */
#define TUN_IGMP 2 /* IPPROTO_IGMP */

static int
tun_filter_ipip(int s, bool control)
{
	const uint32_t keep = 0xffffffffu;
	struct sock_filter code[] = {
		/* X = the outer header's length, A = X + 10 */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 10),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		/* too short to hold the inner protocol: data */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 3),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TUN_IGMP, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, control ? 0 : keep),
		BPF_STMT(BPF_RET | BPF_K, control ? keep : 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	return setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		   sizeof(prog)) < 0 ?
	    -errno :
	    0;
}

static int
tun_filter_udp(int s)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 10, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TUN_IGMP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	return setsockopt(s, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
		   sizeof(prog)) < 0 ?
	    -errno :
	    0;
}

/* One socket to the far end, bound to LOCAL (and the port).  0 or -errno. */
static int
tun_socket_one(const struct tun *t, int *sp, bool control, const char **what)
{
	struct sockaddr_in sin;
	int one = 1, size = control ? 256 << 10 : 4 << 20, rc;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = t->cfg.local;
	if (t->cfg.encap == CONF_ENCAP_IPIP) {
		*what = "raw IP-in-IP socket";
		*sp = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_IPIP);
	} else {
		*what = "UDP socket";
		*sp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
		sin.sin_port = htons(t->cfg.port);
	}
	if (*sp < 0)
		return -errno;
	setsockopt(*sp, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (t->cfg.encap == CONF_ENCAP_IPIP) {
		*what = "its filter (SO_ATTACH_FILTER)";
		if ((rc = tun_filter_ipip(*sp, control)) < 0)
			return rc;
	} else {
		*what = "SO_REUSEPORT";
		if (setsockopt(*sp, SOL_SOCKET, SO_REUSEPORT, &one,
			sizeof(one)) < 0)
			return -errno;
	}
	/* Only what is sent to LOCAL (and, for UDP, to its port). */
	*what = t->cfg.encap == CONF_ENCAP_IPIP ? "binding the raw socket" :
						  "binding the UDP port";
	if (bind(*sp, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -errno;
	if (t->cfg.encap == CONF_ENCAP_UDP && control) {
		*what = "the port's program (SO_ATTACH_REUSEPORT_CBPF)";
		return tun_filter_udp(*sp);
	}
	return 0;
}

/* The sockets to the far end: data, then control.  0 or -errno. */
static int
tun_socket(struct tun *t, const char **what)
{
	int rc;

	if ((rc = tun_socket_one(t, &t->sock, false, what)) < 0)
		return rc;
	return tun_socket_one(t, &t->ctl, true, what);
}

static void
tun_close(struct tun *t, bool say)
{
	if (!t->open)
		return;
	if (t->loop != NULL) {
		loop_fd_del(t->loop, t->fd);
		loop_fd_del(t->loop, t->sock);
		loop_fd_del(t->loop, t->ctl);
	}
	if (t->fd >= 0)
		close(t->fd); /* the device goes with it */
	if (t->sock >= 0)
		close(t->sock);
	if (t->ctl >= 0)
		close(t->ctl);
	if (say)
		log_notice("tunnel %s closed", t->cfg.name);
	memset(t, 0, sizeof(*t));
	t->fd = t->sock = t->ctl = -1;
}

/* ---- the device: what the kernel forwards into the tunnel ---- */

static void
tun_send(struct tun *t, const uint8_t *p, size_t len)
{
	struct sockaddr_in to;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = t->cfg.remote;
	if (t->cfg.encap == CONF_ENCAP_UDP)
		to.sin_port = htons(t->cfg.port);
	/* IP-in-IP: the kernel writes the outer header, protocol 4. */
	if (sendto(t->sock, p, len, 0, (struct sockaddr *)&to, sizeof(to)) <
	    0) {
		/* Once per opening; the count says the rest. */
		if (t->stats.tx_errors++ == 0)
			log_warn("tunnel %s: cannot send to %s: %s (counted "
				 "in out_errors)",
			    t->cfg.name, inet_ntoa(t->cfg.remote),
			    strerror(errno));
		return;
	}
	t->stats.tx_packets++;
	t->stats.tx_bytes += len;
}

static void
tun_device_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct tun *t = arg;
	unsigned i;
	ssize_t n;

	for (i = 0; i < budget; i++) {
		n = read(fd, tun_buf, sizeof(tun_buf));
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				t->stats.rx_errors++;
			return;
		}
		switch (tun_wire_check_out(tun_buf, (size_t)n, t->mtu)) {
		case TUN_WIRE_OK:
			tun_send(t, tun_buf, (size_t)n);
			break;
		case TUN_WIRE_OVERSIZE:
		case TUN_WIRE_FRAGMENT:
			t->stats.tx_oversize++;
			t->stats.tx_fragments++;
			break;
		case TUN_WIRE_FRAGMENT_TAIL:
			t->stats.tx_fragments++;
			break;
		default:
			t->stats.tx_other++;
			break;
		}
	}
}

bool
tun_send_own(struct tun *tuns, unsigned ifindex, const uint8_t *pkt, size_t len)
{
	struct tun *t = NULL;
	unsigned i;

	for (i = 0; i < CONF_MAX_TUNNELS && t == NULL; i++)
		if (tuns[i].open && tuns[i].ifindex == ifindex)
			t = &tuns[i];
	if (t == NULL)
		return false;
	if (tun_wire_check_out(pkt, len, t->mtu) == TUN_WIRE_OK)
		tun_send(t, pkt, len);
	else
		t->stats.tx_other++;
	return true;
}

/* ---- the socket: what the far end sent ---- */

/* Another tunnel of the set from that address to ours: its datagram. */
static bool
tun_sibling(const struct tun *t, struct in_addr from)
{
	unsigned i;

	for (i = 0; i < CONF_MAX_TUNNELS; i++) {
		const struct tun *o = &t->all[i];

		if (o != t && o->open && o->cfg.encap == t->cfg.encap &&
		    o->cfg.local.s_addr == t->cfg.local.s_addr &&
		    o->cfg.remote.s_addr == from.s_addr)
			return true;
	}
	return false;
}

/* Written into the device: true. */
static bool
tun_deliver(struct tun *t, enum tun_wire_verdict v, const uint8_t *inner,
    size_t len)
{
	switch (v) {
	case TUN_WIRE_OK:
		if (write(t->fd, inner, len) < 0) {
			t->stats.rx_errors++;
			return false;
		}
		t->stats.rx_packets++;
		t->stats.rx_bytes += len;
		return true;
	case TUN_WIRE_OVERSIZE:
		t->stats.rx_oversize++;
		return false;
	case TUN_WIRE_FOREIGN:
		t->stats.rx_foreign++;
		log_debug("tunnel %s: a packet not from %s dropped",
		    t->cfg.name, inet_ntoa(t->cfg.remote));
		return false;
	default:
		t->stats.rx_malformed++;
		log_debug("tunnel %s: %s from %s dropped", t->cfg.name,
		    tun_wire_verdict_name(v), inet_ntoa(t->cfg.remote));
		return false;
	}
}

static void
tun_socket_in(void *arg, int fd, uint32_t events, unsigned budget)
{
	struct tun *t = arg;
	struct sockaddr_in from;
	socklen_t fromlen;
	enum tun_wire_verdict v;
	const uint8_t *inner;
	size_t len;
	unsigned i;
	ssize_t n;

	for (i = 0; i < budget; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, tun_buf, sizeof(tun_buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				t->stats.rx_errors++;
			return;
		}
		if (from.sin_addr.s_addr != t->cfg.remote.s_addr &&
		    tun_sibling(t, from.sin_addr))
			continue;
		if (t->cfg.encap == CONF_ENCAP_IPIP) {
			v = tun_wire_decap_ipip(tun_buf, (size_t)n,
			    t->cfg.local, t->cfg.remote, t->mtu, &inner, &len);
		} else if (from.sin_addr.s_addr != t->cfg.remote.s_addr ||
		    from.sin_port != htons(t->cfg.port)) {
			v = TUN_WIRE_FOREIGN;
			inner = NULL;
			len = 0;
		} else {
			inner = tun_buf;
			v = tun_wire_check_in(tun_buf, (size_t)n, t->mtu, &len);
		}
		if (tun_deliver(t, v, inner, len) && fd == t->ctl)
			t->stats.rx_control++;
	}
}

/* ---- the set ---- */

static int
tun_open(struct tun *t, struct loop *loop, const struct conf_tunnel *c)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	const char *what = "?";
	int rc;

	memset(t, 0, sizeof(*t));
	t->fd = t->sock = t->ctl = -1;
	t->cfg = *c;
	t->mtu = conf_tunnel_mtu(c);
	t->open = true;
	inet_ntop(AF_INET, &c->local, l, sizeof(l));
	inet_ntop(AF_INET, &c->remote, r, sizeof(r));
	if ((rc = tun_device(t, &what)) < 0 ||
	    (rc = tun_socket(t, &what)) < 0 ||
	    (rc = loop_fd_add(loop, t->fd, LOOP_IN, TUN_BUDGET, tun_device_in,
		 t)) < 0 ||
	    (rc = loop_fd_add(loop, t->sock, LOOP_IN, TUN_BUDGET, tun_socket_in,
		 t)) < 0 ||
	    (rc = loop_fd_add(loop, t->ctl, LOOP_IN, TUN_BUDGET, tun_socket_in,
		 t)) < 0) {
		log_warn("tunnel %s %s (line %u): cannot open %s: %s: %s%s", l,
		    r, c->line, c->name, what, strerror(-rc),
		    rc == -EPERM || rc == -EACCES ?
			" (needs CAP_NET_ADMIN and CAP_NET_RAW)" :
			"");
		/* loop_fd_del of one never added is harmless. */
		t->loop = loop;
		tun_close(t, false);
		return rc;
	}
	t->loop = loop;
	log_notice("tunnel %s: %s to %s, encap %s%s%.0u, mtu %u", c->name, l, r,
	    conf_encap_name(c->encap),
	    c->encap == CONF_ENCAP_UDP ? " port " : "",
	    c->encap == CONF_ENCAP_UDP ? c->port : 0u, t->mtu);
	return 0;
}

/* The same device and socket (metric and threshold are the router's). */
static bool
tun_same(const struct conf_tunnel *a, const struct conf_tunnel *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    a->local.s_addr == b->local.s_addr &&
	    a->remote.s_addr == b->remote.s_addr && a->encap == b->encap &&
	    a->port == b->port && conf_tunnel_mtu(a) == conf_tunnel_mtu(b);
}

void
tun_sync(struct tun *tuns, struct loop *loop, const struct conf *c)
{
	size_t i, k;

	for (i = 0; i < CONF_MAX_TUNNELS; i++) {
		tuns[i].all = tuns;
		if (!tuns[i].open)
			continue;
		for (k = 0; k < c->ntunnels; k++)
			if (tun_same(&tuns[i].cfg, &c->tunnels[k]))
				break;
		if (k == c->ntunnels)
			tun_close(&tuns[i], true);
		else
			tuns[i].cfg = c->tunnels[k];
	}
	for (k = 0; k < c->ntunnels; k++) {
		for (i = 0; i < CONF_MAX_TUNNELS; i++)
			if (tuns[i].open &&
			    strcmp(tuns[i].cfg.name, c->tunnels[k].name) == 0)
				break;
		if (i < CONF_MAX_TUNNELS)
			continue;
		for (i = 0; i < CONF_MAX_TUNNELS; i++)
			if (!tuns[i].open)
				break;
		if (i < CONF_MAX_TUNNELS &&
		    tun_open(&tuns[i], loop, &c->tunnels[k]) == 0)
			tuns[i].all = tuns;
	}
}

void
tun_close_all(struct tun *tuns)
{
	size_t i;

	for (i = 0; i < CONF_MAX_TUNNELS; i++)
		tun_close(&tuns[i], true);
}
