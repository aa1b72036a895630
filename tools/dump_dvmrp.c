/*
 * mcast dump: the body of a DVMRP message (proto/dvmrp_wire.c's decoding)
 * as text, in tcpdump -v's words, and as JSON members (dump_decode.h).
 */
#include <string.h>
#include <arpa/inet.h>

#include "dump_decode.h"

/* Neighbors2 flags, in the order mrinfo prints them. */
static const struct {
	uint8_t bit;
	const char *name;
} dump_dvmrp_flags[] = {
	{ DVMRP_VIF_TUNNEL, "tunnel" },
	{ DVMRP_VIF_SRCRT, "srcrt" },
	{ DVMRP_VIF_PIM, "pim" },
	{ DVMRP_VIF_QUERIER, "querier" },
	{ DVMRP_VIF_DISABLED, "disabled" },
	{ DVMRP_VIF_DOWN, "down" },
	{ DVMRP_VIF_LEAF, "leaf" },
};

static const char *
dump_dvmrp_addr(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Seconds as tcpdump prints a prune timer: "1h29s", "2h", "0s". */
static void
dump_dvmrp_seconds(FILE *f, uint32_t s)
{
	static const struct {
		uint32_t secs;
		char unit;
	} units[] = { { 31536000, 'y' }, { 604800, 'w' }, { 86400, 'd' },
		{ 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	size_t i;

	if (s == 0)
		fputs("0s", f);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s >= units[i].secs) {
			fprintf(f, "%u%c", s / units[i].secs, units[i].unit);
			s %= units[i].secs;
		}
}

/* tcpdump's "(metric/threshold/flags)]" closing a neighbour. */
static void
dump_dvmrp_text_flags(FILE *f, const struct dvmrp_vif_info *v)
{
	size_t k;

	fprintf(f, " (%u/%u", v->metric, v->threshold);
	for (k = 0; k < sizeof(dump_dvmrp_flags) / sizeof(dump_dvmrp_flags[0]);
	     k++)
		if (v->flags & dump_dvmrp_flags[k].bit)
			fprintf(f, "/%s", dump_dvmrp_flags[k].name);
	fputs(")]", f);
}

/* tcpdump: "[local -> neighbour (metric/threshold/flags)]" each. */
static void
dump_dvmrp_text_vifs(FILE *f, const struct dvmrp_msg *m)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	uint16_t i;

	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v)) {
		if (v.nneighbors == 0) {
			fprintf(f, " [%s", dump_dvmrp_addr(v.local, a));
			dump_dvmrp_text_flags(f, &v);
		}
		for (i = 0; i < v.nneighbors; i++) {
			fprintf(f, " [%s -> %s", dump_dvmrp_addr(v.local, a),
			    dump_dvmrp_addr(dvmrp_addr_at(v.neighbors, i), b));
			dump_dvmrp_text_flags(f, &v);
		}
	}
}

void
dump_dvmrp_text(FILE *f, const struct dvmrp_msg *m, int rc)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct dvmrp_route_iter it;
	struct dvmrp_route r;
	uint16_t i;

	if (rc != DVMRP_OK) {
		fprintf(f, ": invalid: %s", dvmrp_error_name(rc));
		return;
	}
	switch (m->code) {
	case DVMRP_PROBE:
		fprintf(f, ": genid %u", m->genid);
		for (i = 0; i < m->nneighbors; i++)
			fprintf(f, ", neighbor %s",
			    dump_dvmrp_addr(dvmrp_addr_at(m->neighbors, i), a));
		break;
	case DVMRP_REPORT:
		dvmrp_routes_begin(m, &it);
		/* tcpdump -vv: "Mask M" then "O metric N" per route. */
		while (dvmrp_routes_next(&it, &r)) {
			if (it.new_list)
				fprintf(f,
				    "%smask %s:", it.index == 1 ? ": " : "; ",
				    dump_dvmrp_addr(r.mask, b));
			else
				fputc(',', f);
			fprintf(f, " %s metric %u",
			    dump_dvmrp_addr(r.origin, a), r.metric);
		}
		break;
	case DVMRP_PRUNE:
	case DVMRP_GRAFT:
	case DVMRP_GRAFT_ACK:
		fprintf(f, ": src %s grp %s", dump_dvmrp_addr(m->source, a),
		    dump_dvmrp_addr(m->group, b));
		if (m->code == DVMRP_PRUNE) {
			fputs(" timer ", f);
			dump_dvmrp_seconds(f, m->lifetime_s);
		}
		if (m->has_netmask)
			fprintf(f, " mask %s", dump_dvmrp_addr(m->netmask, a));
		break;
	case DVMRP_NEIGHBORS:
	case DVMRP_NEIGHBORS2:
		fputc(':', f);
		dump_dvmrp_text_vifs(f, m);
		break;
	default:
		break;
	}
}

static void
dump_dvmrp_json_addrs(FILE *f, const uint8_t *list, uint16_t n)
{
	char a[INET_ADDRSTRLEN];
	uint16_t i;

	fputc('[', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "",
		    dump_dvmrp_addr(dvmrp_addr_at(list, i), a));
	fputc(']', f);
}

static void
dump_dvmrp_json_vifs(FILE *f, const struct dvmrp_msg *m)
{
	char a[INET_ADDRSTRLEN];
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info v;
	bool first;
	size_t k;

	fputs(",\"vifs\":[", f);
	dvmrp_vifs_begin(m, &it);
	while (dvmrp_vifs_next(&it, &v)) {
		fprintf(f,
		    "%s{\"local\":\"%s\",\"metric\":%u,\"threshold\":%u,"
		    "\"flags_code\":%u,\"flags\":[",
		    it.index == 1 ? "" : ",", dump_dvmrp_addr(v.local, a),
		    v.metric, v.threshold, v.flags);
		first = true;
		for (k = 0;
		     k < sizeof(dump_dvmrp_flags) / sizeof(dump_dvmrp_flags[0]);
		     k++)
			if (v.flags & dump_dvmrp_flags[k].bit) {
				fprintf(f, "%s\"%s\"", first ? "" : ",",
				    dump_dvmrp_flags[k].name);
				first = false;
			}
		fputs("],\"neighbors\":", f);
		dump_dvmrp_json_addrs(f, v.neighbors, v.nneighbors);
		fputc('}', f);
	}
	fputc(']', f);
}

void
dump_dvmrp_json(FILE *f, const struct dvmrp_msg *m, int rc)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct dvmrp_route_iter it;
	struct dvmrp_route r;

	if (rc != DVMRP_OK) {
		fprintf(f, ",\"error\":\"%s\"", dvmrp_error_name(rc));
		return;
	}
	fputs(",\"error\":null", f);
	switch (m->code) {
	case DVMRP_PROBE:
		fprintf(f, ",\"genid\":%u,\"neighbors\":", m->genid);
		dump_dvmrp_json_addrs(f, m->neighbors, m->nneighbors);
		break;
	case DVMRP_REPORT:
		fputs(",\"routes\":[", f);
		dvmrp_routes_begin(m, &it);
		while (dvmrp_routes_next(&it, &r))
			fprintf(f,
			    "%s{\"origin\":\"%s\",\"mask\":\"%s\","
			    "\"metric\":%u}",
			    it.index == 1 ? "" : ",",
			    dump_dvmrp_addr(r.origin, a),
			    dump_dvmrp_addr(r.mask, b), r.metric);
		fputc(']', f);
		break;
	case DVMRP_PRUNE:
	case DVMRP_GRAFT:
	case DVMRP_GRAFT_ACK:
		fprintf(f, ",\"source\":\"%s\",\"group\":\"%s\"",
		    dump_dvmrp_addr(m->source, a),
		    dump_dvmrp_addr(m->group, b));
		if (m->code == DVMRP_PRUNE)
			fprintf(f, ",\"lifetime_s\":%u", m->lifetime_s);
		fprintf(f, ",\"netmask\":");
		if (m->has_netmask)
			fprintf(f, "\"%s\"", dump_dvmrp_addr(m->netmask, a));
		else
			fputs("null", f);
		break;
	case DVMRP_NEIGHBORS:
	case DVMRP_NEIGHBORS2:
		dump_dvmrp_json_vifs(f, m);
		break;
	default:
		break;
	}
}
