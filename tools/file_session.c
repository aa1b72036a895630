/*
 * mcast file's sessions in the session directory: send --announce
 * describes its session in SDP (RFC 8866) and announces it with sap
 * announce's announcer (tools/sap_announce.c: RFC 2974's timer, a deletion
 * at the end); recv --session finds it with recv --session's listener
 * (tools/recv_session.c) and takes its group, port, TTL and interface.
 *
 *   v=0
 *   o=- SESSION VERSION IN IP4 SOURCE   (SESSION: the transfer's session id)
 *   s=NAME                              (--announce=NAME, else the first
 *   i=mcast file: 3 files, 12345 bytes   PATH's last component)
 *   c=IN IP4 GROUP/TTL                  (IPv6: c=IN IP6 GROUP)
 *   t=0 0
 *   a=tool:mcast file
 *   m=application PORT udp mcast-file
 *   a=mcast-file-files:3
 *   a=mcast-file-bytes:12345
 *   a=mcast-file-sealed                 (with --key; never the key)
 *
 * The symbol size and K travel in the manifest, not here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "file.h"
#include "sap.h"
#include "tool.h"

#define FILE_SDP_FORMAT "mcast-file"

void
file_announce_check(const struct mc_ip *group, struct mc_ip *sap_group)
{
	struct sdp_session *probe = calloc(1, sizeof(*probe));
	char g[MC_IP_STRLEN];
	int rc;

	if (probe == NULL)
		usage_error("out of memory");
	probe->conn.present = true;
	probe->conn.addr = *group;
	rc = sdp_sap_group(probe, sap_group);
	free(probe);
	if (rc < 0)
		usage_error("--announce with %s: this administrative scope has "
			    "no SAP group (RFC 2974 3): expected a group in "
			    "239.255.0.0/16 or 239.192.0.0/14, a global group "
			    "or an IPv6 group",
		    mc_ip_str(group, g));
}

struct sap_ann *
file_announce_start(const struct file_announce *fa, struct loop *l)
{
	char g[MC_IP_STRLEN], src[MC_IP_STRLEN], ttl[16], *text;
	const char *ipv = fa->group->ip.family == AF_INET6 ? "IP6" : "IP4";
	struct sap_ann *a;
	struct mc_ip origin, sap_group;
	int len;

	/* RFC 2974 3: announced on the SAP group of the group's scope. */
	file_announce_check(&fa->group->ip, &sap_group);
	/* As far as the data goes (IPv6 has no c= TTL to take it from). */
	a = sap_ann_new(fa->iface, fa->ttl, true);
	sap_ann_source(a, &sap_group, &origin);
	ttl[0] = '\0';
	if (fa->group->ip.family == AF_INET)
		snprintf(ttl, sizeof(ttl), "/%d", fa->ttl);
	len = asprintf(&text,
	    "v=0\r\n"
	    "o=- %" PRIu32 " %lld IN %s %s\r\n"
	    "s=%s\r\n"
	    "i=mcast file: %u file%s, %" PRIu64 " bytes\r\n"
	    "c=IN %s %s%s\r\n"
	    "t=0 0\r\n"
	    "a=tool:mcast file\r\n"
	    "m=application %u udp " FILE_SDP_FORMAT "\r\n"
	    "a=mcast-file-files:%u\r\n"
	    "a=mcast-file-bytes:%" PRIu64 "\r\n"
	    "%s",
	    fa->session, (long long)time(NULL), ipv, mc_ip_str(&origin, src),
	    fa->name, fa->files, plural_s(fa->files), fa->bytes, ipv,
	    mc_ip_str(&fa->group->ip, g), ttl, fa->group->port, fa->files,
	    fa->bytes, fa->sealed ? "a=mcast-file-sealed\r\n" : "");
	if (len < 0)
		usage_error("out of memory");
	if (sap_ann_add(a, "--announce", text, (size_t)len) < 0) {
		sap_ann_stop(a);
		exit(EXIT_USAGE);
	}
	sap_ann_start(a, l);
	return a;
}

void
file_announce_name_check(const char *name)
{
	const unsigned char *p;

	if (name[0] == '\0')
		usage_error(
		    "--announce=: an empty name: expected the session's "
		    "name (s=)");
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			usage_error("--announce: the name has a control "
				    "character (0x%02x): expected a line of "
				    "text for s=",
			    *p);
	if (strlen(name) > 200)
		usage_error("--announce: a name of %zu bytes: expected at most "
			    "200",
		    strlen(name));
}

/* The value of media attribute "a=NAME[:VALUE]" of text, or NULL. */
static const char *
file_session_attr(const char *text, const char *name, char *buf, size_t len)
{
	const char *p = text, *eol;
	size_t n = strlen(name), vlen;
	bool in_media = false;

	for (; *p; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		if (p[0] == 'm' && p[1] == '=')
			in_media = true;
		if (!in_media || strncmp(p, "a=", 2) != 0 ||
		    strncmp(p + 2, name, n) != 0 ||
		    (p[2 + n] != ':' && p[2 + n] != '\r' && p[2 + n] != '\n' &&
			p[2 + n] != '\0'))
			continue;
		vlen = p[2 + n] == ':' ? (size_t)(eol - (p + 3 + n)) : 0;
		if (vlen > 0 && p[2 + n + vlen] == '\r')
			vlen--;
		if (vlen >= len)
			vlen = len - 1;
		memcpy(buf, p + 3 + n, vlen);
		buf[vlen] = '\0';
		return buf;
	}
	return NULL;
}

/* o='s session id as send --announce writes it (the transfer's session,
   decimal), or 0 when it is not one. */
static uint32_t
file_session_id(const char *sess_id)
{
	unsigned long long v;
	char *end;

	if (sess_id == NULL || *sess_id < '0' || *sess_id > '9')
		return 0;
	errno = 0;
	v = strtoull(sess_id, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

/* The interface towards the session's o= address (the sender), if any. */
static bool
file_session_iface(const struct sdp_session *s, struct mc_iface *out)
{
	struct mc_endpoint ep = { .port = 9 };
	struct sockaddr_storage ss, local;
	socklen_t sl, ll = sizeof(local);
	struct mc_ip ip;
	char buf[MC_IP_STRLEN];
	int fd;
	bool ok;

	if (s->origin.addr == NULL || mc_ip_parse(s->origin.addr, &ep.ip) < 0 ||
	    mc_ip_is_multicast(&ep.ip))
		return false;
	if ((fd = socket(ep.ip.family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	mc_endpoint_to_sockaddr(&ep, &ss, &sl);
	ok = connect(fd, (struct sockaddr *)&ss, sl) == 0 &&
	    getsockname(fd, (struct sockaddr *)&local, &ll) == 0;
	close(fd);
	if (!ok)
		return false;
	mc_ip_from_sockaddr((struct sockaddr *)&local, &ip);
	/* The sender on this host: its route is the loopback's. */
	return mc_iface_resolve(mc_ip_str(&ip, buf), out) == 0 &&
	    !(out->flags & IFF_LOOPBACK) && (out->flags & IFF_MULTICAST);
}

void
file_session_find(const struct recv_session_opts *so,
    const struct mc_iface *iface, bool quiet, struct file_session *fsn)
{
	const struct sdp_session *s;
	const struct sdp_media *m = NULL;
	const struct sdp_conn *c = NULL;
	char label[160], media[512], safe[4 * 512], buf[32], g[MC_IP_STRLEN];
	const char *text;
	unsigned i;

	memset(fsn, 0, sizeof(*fsn));
	s = recv_session_find(so, iface, quiet, label, sizeof(label));
	for (i = 0; i < s->nmedia; i++)
		if (strcasecmp(s->media[i].proto, "udp") == 0 &&
		    s->media[i].nformats > 0 &&
		    strcmp(s->media[i].formats[0], FILE_SDP_FORMAT) == 0) {
			m = &s->media[i];
			c = sdp_media_conn(s, i);
			break;
		}
	if (m == NULL) {
		sdp_media_summary(s, media, sizeof(media));
		fprintf(stderr,
		    "mcast: --session %s: %s is not an mcast file session: "
		    "its media are %s: expected m=application PORT udp " FILE_SDP_FORMAT
		    " (try mcast recv --session)\n",
		    so->session, label,
		    media[0] ? text_safe(safe, sizeof(safe), media) : "none");
		exit(EXIT_USAGE);
	}
	if (!c->present || !mc_ip_is_multicast(&c->addr) || m->port == 0) {
		fprintf(stderr,
		    "mcast: --session %s: %s: medium on line %u has %s: "
		    "expected a multicast c= address and a port\n",
		    so->session, label, m->line,
		    m->port == 0 ? "port 0" : "no multicast c= address");
		exit(EXIT_USAGE);
	}
	fsn->group.ip = c->addr;
	fsn->group.port = m->port;
	fsn->ttl = c->ttl;
	snprintf(fsn->label, sizeof(fsn->label), "%s%s%s:%u",
	    c->addr.family == AF_INET6 ? "[" : "", mc_ip_str(&c->addr, g),
	    c->addr.family == AF_INET6 ? "]" : "", m->port);
	snprintf(fsn->session_label, sizeof(fsn->session_label), "%s", label);
	text = recv_session_text(s);
	fsn->sealed = file_session_attr(text, "mcast-file-sealed", buf,
			  sizeof(buf)) != NULL;
	if (file_session_attr(text, "mcast-file-files", buf, sizeof(buf)))
		fsn->files = strtoul(buf, NULL, 10);
	if (file_session_attr(text, "mcast-file-bytes", buf, sizeof(buf)))
		fsn->bytes = strtoull(buf, NULL, 10);
	fsn->session = file_session_id(s->origin.sess_id);
	fsn->has_iface = iface == NULL && file_session_iface(s, &fsn->iface);
	recv_session_release(s);
}
