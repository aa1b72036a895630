/*
 * mrinfo's reply, pure: Neighbors 2 messages gathered into one router's
 * VIFs and neighbours, and printed as mrouted's mrinfo prints them or as
 * JSON.  No I/O but the FILE given; see mrinfo.h.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mrinfo.h"
#include "tool.h"

void
mrinfo_reply_init(struct mrinfo_reply *r)
{
	memset(r, 0, sizeof(*r));
}

void
mrinfo_reply_fini(struct mrinfo_reply *r)
{
	size_t i;

	for (i = 0; i < r->nvifs; i++)
		free(r->vifs[i].neighbors);
	free(r->vifs);
	for (i = 0; i < r->nmsgs; i++)
		free(r->msgs[i]);
	memset(r, 0, sizeof(*r));
}

bool
mrinfo_msg_answers(const struct dvmrp_msg *m, struct in_addr from,
    struct in_addr target)
{
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;

	if (m->code != DVMRP_NEIGHBORS2)
		return false;
	if (from.s_addr == target.s_addr)
		return true;
	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v))
		if (v.local.s_addr == target.s_addr)
			return true;
	return false;
}

bool
mrinfo_reply_has_local(const struct mrinfo_reply *r, struct in_addr addr)
{
	size_t i;

	for (i = 0; i < r->nvifs; i++)
		if (r->vifs[i].local.s_addr == addr.s_addr)
			return true;
	return false;
}

static bool
mrinfo_same_block(const struct mrinfo_vif *a, const struct dvmrp_vif_info *b)
{
	return a->local.s_addr == b->local.s_addr && a->metric == b->metric &&
	    a->threshold == b->threshold && a->flags == b->flags;
}

/* Append v's neighbours to vif; -1 out of memory. */
static int
mrinfo_vif_append(struct mrinfo_vif *vif, const struct dvmrp_vif_info *v)
{
	struct in_addr *grown;
	size_t i;

	if (v->nneighbors == 0)
		return 0;
	grown = realloc(vif->neighbors,
	    (vif->nneighbors + v->nneighbors) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	vif->neighbors = grown;
	for (i = 0; i < v->nneighbors; i++)
		vif->neighbors[vif->nneighbors++] = dvmrp_addr_at(v->neighbors,
		    (uint16_t)i);
	return 0;
}

int
mrinfo_reply_add(struct mrinfo_reply *r, struct in_addr from,
    const uint8_t *buf, size_t len, const struct dvmrp_msg *m)
{
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	struct mrinfo_vif *vif, *grown;
	size_t i;
	bool first = true;

	for (i = 0; i < r->nmsgs; i++)
		if (r->msg_len[i] == len && memcmp(r->msgs[i], buf, len) == 0)
			return 0;
	if (r->nmsgs == MRINFO_MAX_MSGS)
		return 0;
	if ((r->msgs[r->nmsgs] = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(r->msgs[r->nmsgs], buf, len);
	r->msg_len[r->nmsgs] = len;
	if (r->nmsgs++ == 0) {
		r->from = from;
		r->caps = m->caps;
		r->minor = m->minor;
		r->major = m->major;
	}
	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v)) {
		/* A block continued from the previous message. */
		if (first && r->nmsgs > 1 && r->nvifs > 0 &&
		    mrinfo_same_block(&r->vifs[r->nvifs - 1], &v)) {
			first = false;
			if (mrinfo_vif_append(&r->vifs[r->nvifs - 1], &v) < 0)
				return -1;
			continue;
		}
		first = false;
		if (r->nvifs == r->vifs_cap) {
			size_t cap = r->vifs_cap ? 2 * r->vifs_cap : 8;

			grown = realloc(r->vifs, cap * sizeof(*grown));
			if (grown == NULL)
				return -1;
			r->vifs = grown;
			r->vifs_cap = cap;
		}
		vif = &r->vifs[r->nvifs++];
		memset(vif, 0, sizeof(*vif));
		vif->local = v.local;
		vif->metric = v.metric;
		vif->threshold = v.threshold;
		vif->flags = v.flags;
		if (mrinfo_vif_append(vif, &v) < 0)
			return -1;
	}
	return 1;
}

/* Names of the bits of a byte, table order; unknown bits in hex. */
struct mrinfo_bit {
	uint8_t bit;
	const char *name;
};

static size_t
mrinfo_bit_names(const struct mrinfo_bit *t, size_t n, uint8_t value,
    const char *names[8], char other[8])
{
	size_t i, k = 0;
	uint8_t known = 0;

	for (i = 0; i < n; i++) {
		known |= t[i].bit;
		if (value & t[i].bit)
			names[k++] = t[i].name;
	}
	if (value & ~known) {
		snprintf(other, 8, "0x%02x", value & ~known);
		names[k++] = other;
	}
	return k;
}

size_t
mrinfo_caps_names(uint8_t caps, const char *names[8], char other[8])
{
	static const struct mrinfo_bit t[] = {
		{ DVMRP_CAP_LEAF, "leaf" },
		{ DVMRP_CAP_PRUNE, "prune" },
		{ DVMRP_CAP_GENID, "genid" },
		{ DVMRP_CAP_MTRACE, "mtrace" },
		{ DVMRP_CAP_SNMP, "snmp" },
		{ DVMRP_CAP_NETMASK, "netmask" },
	};

	return mrinfo_bit_names(t, sizeof(t) / sizeof(t[0]), caps, names,
	    other);
}

size_t
mrinfo_flag_names(uint8_t flags, const char *names[8], char other[8])
{
	/* mrinfo's order (mrouted 4.6 src/mrinfo.c prints them so). */
	static const struct mrinfo_bit t[] = {
		{ DVMRP_VIF_TUNNEL, "tunnel" },
		{ DVMRP_VIF_SRCRT, "srcrt" },
		{ DVMRP_VIF_PIM, "pim" },
		{ DVMRP_VIF_QUERIER, "querier" },
		{ DVMRP_VIF_DISABLED, "disabled" },
		{ DVMRP_VIF_DOWN, "down" },
		{ DVMRP_VIF_LEAF, "leaf" },
	};

	return mrinfo_bit_names(t, sizeof(t) / sizeof(t[0]), flags, names,
	    other);
}

static const char *
mrinfo_name(mrinfo_name_fn name_of, struct in_addr addr, char *buf)
{
	const char *name;

	if (addr.s_addr == INADDR_ANY)
		return "local";
	name = name_of != NULL ? name_of(addr) : NULL;
	if (name != NULL)
		return name;
	inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
	return buf;
}

static void
mrinfo_print_line(FILE *f, const struct mrinfo_vif *v, struct in_addr nbr,
    mrinfo_name_fn name_of)
{
	char local[INET_ADDRSTRLEN], addr[INET_ADDRSTRLEN];
	char namebuf[INET_ADDRSTRLEN], other[8];
	const char *names[8];
	size_t i, n;

	inet_ntop(AF_INET, &v->local, local, sizeof(local));
	inet_ntop(AF_INET, &nbr, addr, sizeof(addr));
	fprintf(f, "  %s -> %s (%s) [%u/%u", local, addr,
	    mrinfo_name(name_of, nbr, namebuf), v->metric, v->threshold);
	n = mrinfo_flag_names(v->flags, names, other);
	for (i = 0; i < n; i++)
		fprintf(f, "/%s", names[i]);
	fputs("]\n", f);
}

void
mrinfo_print_text(FILE *f, const struct mrinfo_reply *r, mrinfo_name_fn name_of)
{
	char from[INET_ADDRSTRLEN], namebuf[INET_ADDRSTRLEN], other[8];
	const char *names[8];
	struct in_addr none = { INADDR_ANY };
	size_t i, j, n;

	inet_ntop(AF_INET, &r->from, from, sizeof(from));
	fprintf(f, "%s (%s) [version %u.%u", from,
	    mrinfo_name(name_of, r->from, namebuf), r->major, r->minor);
	n = mrinfo_caps_names(r->caps, names, other);
	for (i = 0; i < n; i++)
		fprintf(f, ",%s", names[i]);
	fputs("]:\n", f);
	for (i = 0; i < r->nvifs; i++) {
		const struct mrinfo_vif *v = &r->vifs[i];

		if (v->nneighbors == 0)
			mrinfo_print_line(f, v, none, name_of);
		for (j = 0; j < v->nneighbors; j++)
			mrinfo_print_line(f, v, v->neighbors[j], name_of);
	}
}

static void
mrinfo_json_names(FILE *f, const char *const *names, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		fprintf(f, "\"%s\"", names[i]);
	}
	fputc(']', f);
}

void
mrinfo_print_json_members(FILE *f, const struct mrinfo_reply *r)
{
	char addr[INET_ADDRSTRLEN], other[8];
	const char *names[8];
	size_t i, j, n, k;

	inet_ntop(AF_INET, &r->from, addr, sizeof(addr));
	fprintf(f, "\"reply_from\":\"%s\",\"version\":\"%u.%u\",", addr,
	    r->major, r->minor);
	fputs("\"capabilities\":", f);
	n = mrinfo_caps_names(r->caps, names, other);
	mrinfo_json_names(f, names, n);
	fputs(",\"vifs\":[", f);
	for (i = 0; i < r->nvifs; i++) {
		const struct mrinfo_vif *v = &r->vifs[i];

		inet_ntop(AF_INET, &v->local, addr, sizeof(addr));
		fprintf(f,
		    "%s{\"local\":\"%s\",\"metric\":%u,\"threshold\":%u,"
		    "\"flags\":",
		    i > 0 ? "," : "", addr, v->metric, v->threshold);
		n = mrinfo_flag_names(v->flags, names, other);
		mrinfo_json_names(f, names, n);
		fputs(",\"neighbors\":[", f);
		for (j = 0, k = 0; j < v->nneighbors; j++) {
			if (v->neighbors[j].s_addr == INADDR_ANY)
				continue;
			inet_ntop(AF_INET, &v->neighbors[j], addr,
			    sizeof(addr));
			fprintf(f, "%s\"%s\"", k++ > 0 ? "," : "", addr);
		}
		fputs("]}", f);
	}
	fputc(']', f);
}
