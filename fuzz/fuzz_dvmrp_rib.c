/*
 * libFuzzer target: the DVMRP route table engine (proto/dvmrp_rib.h) fed a
 * sequence of operations read from the input: reports (of any origins,
 * masks and metrics, odd ones too, from neighbours or not), neighbours up,
 * down and restarting, VIFs changing and going, and time steps that run
 * the timers.  After each operation the table's invariants must hold
 * (dvmrp_rib_check: no route through a neighbour that is down, none better
 * and feasible left aside, the route cap), every report must be sorted with
 * metrics 1-63, and no route may lead through a neighbour the harness has
 * not seen come up.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>

#include "dvmrp_rib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_VIFS	3
#define FUZZ_NBRS	6 /* per VIF */
#define FUZZ_MAX_ROUTES 48
#define FUZZ_ENTRIES	24

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static uint8_t
fuzz_byte(struct fuzz_in *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

static struct in_addr
fuzz_nbr_addr(unsigned vif, unsigned i)
{
	struct in_addr a = { htonl(0xc6120000u | (vif << 8) | (10 + i)) };

	return a;
}

/* A VIF's configuration: 198.18.vif.0/24 at metric 1-31 (or odd). */
static int
fuzz_vif_add(struct dvmrp_rib *rib, mc_time_t now, unsigned vif, uint8_t metric)
{
	struct dvmrp_rib_vif v;

	v.local.s_addr = htonl(0xc6120001u | (vif << 8));
	v.subnet.s_addr = htonl(0xc6120000u | (vif << 8));
	v.prefix_len = 24;
	v.metric = metric;
	return dvmrp_rib_vif_add(rib, now, vif, &v);
}

/* An entry: mostly well formed from a small space, sometimes anything. */
static void
fuzz_entry(struct fuzz_in *in, struct dvmrp_route *e)
{
	static const uint8_t plens[8] = { 0, 8, 16, 16, 24, 24, 25, 32 };
	uint8_t kind = fuzz_byte(in), a = fuzz_byte(in), b = fuzz_byte(in);
	unsigned plen = plens[kind & 7];
	uint32_t mask = plen ? 0xffffffffu << (32 - plen) : 0;
	uint32_t origin = 0x0a000000u | ((uint32_t)a << 16) |
	    ((uint32_t)b << 8) | (kind >> 3);

	if (kind & 0x80) { /* raw: odd masks, host bits */
		mask = ((uint32_t)a << 24) | ((uint32_t)b << 8);
	} else {
		origin &= mask;
	}
	e->origin.s_addr = htonl(origin);
	e->mask.s_addr = htonl(mask);
	e->metric = fuzz_byte(in);
	if (!(kind & 0x40))
		e->metric &= 0x3f;
}

static void
fuzz_drain(struct dvmrp_rib *rib)
{
	struct dvmrp_rib_output o;
	uint32_t pm = 0, po = 0, m, org;
	size_t i;

	while (dvmrp_rib_output(rib, &o)) {
		if (dvmrp_rib_output_kind_name(o.kind)[0] == '?' ||
		    o.vif >= DVMRP_RIB_MAX_VIFS)
			__builtin_trap();
		if (o.kind != DVMRP_RIB_OUT_REPORT)
			continue;
		if (o.nroutes == 0 || o.nroutes > FUZZ_MAX_ROUTES + FUZZ_VIFS)
			__builtin_trap();
		for (i = 0; i < o.nroutes; i++) {
			m = ntohl(o.routes[i].mask.s_addr);
			org = ntohl(o.routes[i].origin.s_addr);
			if (o.routes[i].metric == 0 ||
			    o.routes[i].metric > DVMRP_POISON_MAX ||
			    (org & ~m) != 0)
				__builtin_trap();
			if (i > 0 && (pm > m || (pm == m && po >= org)))
				__builtin_trap();
			pm = m;
			po = org;
		}
	}
}

/* No reachable route through a neighbour the harness has down. */
static void
fuzz_check(struct dvmrp_rib *rib, const bool up[FUZZ_VIFS][FUZZ_NBRS])
{
	struct dvmrp_rib_route_view v;
	uint32_t a;
	size_t i;

	if (dvmrp_rib_check(rib) != NULL)
		__builtin_trap();
	for (i = 0; dvmrp_rib_route_at(rib, i, &v); i++) {
		if (v.state != DVMRP_RIB_UP || v.neighbor.s_addr == 0)
			continue;
		a = ntohl(v.neighbor.s_addr) & 0xff;
		if (v.vif >= FUZZ_VIFS || a < 10 || a >= 10 + FUZZ_NBRS ||
		    !up[v.vif][a - 10])
			__builtin_trap();
	}
	if (dvmrp_rib_state_name(DVMRP_RIB_UP)[0] != 'u')
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct dvmrp_route entries[FUZZ_ENTRIES];
	bool up[FUZZ_VIFS][FUZZ_NBRS] = { { false } };
	bool vif_up[FUZZ_VIFS];
	struct dvmrp_rib_config c;
	struct dvmrp_rib *rib;
	mc_time_t now = 1000, next;
	unsigned vif, nbr, n, i, guard;
	uint8_t op, arg;

	dvmrp_rib_config_defaults(&c);
	c.max_routes = FUZZ_MAX_ROUTES;
	if ((rib = dvmrp_rib_new(&c, NULL, NULL)) == NULL)
		return 0;
	dvmrp_rib_start(rib, now);
	for (vif = 0; vif < FUZZ_VIFS; vif++)
		vif_up[vif] = fuzz_vif_add(rib, now, vif, 1 + vif) == 0;
	while (in.left > 0) {
		op = fuzz_byte(&in);
		arg = fuzz_byte(&in);
		vif = (arg >> 4) % FUZZ_VIFS;
		nbr = (arg & 0x0f) % FUZZ_NBRS;
		switch (op % 8) {
		case 0:
		case 1:
		case 2: /* a report */
			n = fuzz_byte(&in) % (FUZZ_ENTRIES + 1);
			for (i = 0; i < n; i++)
				fuzz_entry(&in, &entries[i]);
			dvmrp_rib_report(rib, now, vif, fuzz_nbr_addr(vif, nbr),
			    (op & 0x80) == 0, entries, n);
			if ((op & 0x80) == 0 && vif_up[vif])
				up[vif][nbr] = true;
			break;
		case 3:
			if (dvmrp_rib_neighbor_up(rib, now, vif,
				fuzz_nbr_addr(vif, nbr)) == 0)
				up[vif][nbr] = true;
			break;
		case 4:
			dvmrp_rib_neighbor_down(rib, now, vif,
			    fuzz_nbr_addr(vif, nbr));
			up[vif][nbr] = false;
			break;
		case 5:
			up[vif][nbr] = dvmrp_rib_neighbor_restart(rib, now, vif,
					   fuzz_nbr_addr(vif, nbr)) == 0;
			break;
		case 6: /* a VIF's metric changes, or it goes */
			if (op & 0x80) {
				dvmrp_rib_vif_del(rib, now, vif);
				vif_up[vif] = false;
				for (i = 0; i < FUZZ_NBRS; i++)
					up[vif][i] = false;
			} else if (fuzz_vif_add(rib, now, vif, op >> 3) == 0) {
				vif_up[vif] = true;
			}
			break;
		default: /* time passes: up to ~4 min */
			now += (mc_time_t)arg * 1000 + fuzz_byte(&in);
			for (guard = 0;
			     (next = dvmrp_rib_next_deadline(rib)) <= now;
			     guard++) {
				if (guard > 100000)
					__builtin_trap(); /* no progress */
				dvmrp_rib_timeout(rib, next);
				fuzz_drain(rib);
				fuzz_check(rib, up);
			}
			break;
		}
		fuzz_drain(rib);
		fuzz_check(rib, up);
	}
	dvmrp_rib_free(rib);
	return 0;
}
