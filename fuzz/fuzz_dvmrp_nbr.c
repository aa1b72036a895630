/*
 * libFuzzer target: sequences of probes, time, VIF changes and other
 * DVMRP messages into the DVMRP neighbour engine.  The first bytes choose
 * the limits and switches; then each op byte picks an input whose
 * arguments follow.  After every step the outputs are drained and
 * checked, and the invariants must hold: counts agree with the table,
 * the limits bound it, a two-way neighbour has been heard listing us
 * (its last probe did, or its restart grace forgave it), our probes list
 * only neighbours we accept, the leaf bit is set exactly where it should,
 * and no cell of the state table the inputs cannot reach is reached.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_nbr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_VIFS	    4
#define FZ_LIST_MAX 12

struct fz_in {
	const uint8_t *p;
	size_t n;
};

struct fz {
	struct dvmrp_nbr *n;
	struct dvmrp_nbr_config c;
	mc_time_t now;
	bool up[FZ_VIFS];
	uint8_t addr_variant[FZ_VIFS];
};

/* Invariant checks over the views. */
struct fz_count {
	const struct fz *f;
	uint64_t total, two_way;
	uint32_t per_vif[DVMRP_NBR_MAX_VIFS];
	uint32_t two_way_per_vif[DVMRP_NBR_MAX_VIFS];
};

static uint8_t
fz_byte(struct fz_in *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = in->p[0];
	in->p++;
	in->n--;
	return b;
}

/* Our address on vif: 198.18.<vif>.1, or .129 in its other variant. */
static struct in_addr
fz_me(const struct fz *f, unsigned vif)
{
	struct in_addr a;

	a.s_addr = htonl(0xc6120001u | vif << 8 |
	    (f->addr_variant[vif] ? 0x80u : 0));
	return a;
}

/* A source or a listed address: mostly neighbours of vif, sometimes us,
   another subnet, the subnet address, broadcast, multicast. */
static struct in_addr
fz_addr(const struct fz *f, unsigned vif, uint8_t b)
{
	struct in_addr a;

	switch (b >> 5) {
	case 0:
		return fz_me(f, vif);
	case 1:
		a.s_addr = htonl(0xc6120000u | ((b & 3u) << 8) | (b & 0x1fu));
		return a;
	case 2:
		a.s_addr = htonl(b & 1 ? 0xe0000004u : 0xc61200ffu | vif << 8);
		return a;
	default:
		a.s_addr = htonl(0xc6120000u | vif << 8 | (b & 0x1fu));
		return a;
	}
}

static void
fz_drain(struct fz *f)
{
	struct dvmrp_nbr_output o;
	struct dvmrp_nbr_view v;
	size_t i, j;

	while (dvmrp_nbr_output(f->n, &o)) {
		if (o.vif >= DVMRP_NBR_MAX_VIFS)
			__builtin_trap();
		if (o.kind == DVMRP_NBR_OUT_PROBE) {
			if (o.nneighbors > f->c.max_probe_neighbors ||
			    o.major != 3 || o.minor != 0xff ||
			    (o.caps & ~DVMRP_CAP_LEAF) != DVMRP_CAPS_OURS ||
			    o.dst.s_addr != htonl(DVMRP_ALL_ROUTERS) ||
			    o.src.s_addr != fz_me(f, o.vif).s_addr)
				__builtin_trap();
			/* Drained at the instant it was made: every address
			   listed is a neighbour we accept, once. */
			for (i = 0; i < o.nneighbors; i++) {
				if (dvmrp_nbr_find(f->n, o.vif, o.neighbors[i],
					&v) != 0 ||
				    v.state == DVMRP_NBR_REFUSED)
					__builtin_trap();
				for (j = 0; j < i; j++)
					if (o.neighbors[j].s_addr ==
					    o.neighbors[i].s_addr)
						__builtin_trap();
			}
			continue;
		}
		switch (o.event) {
		case DVMRP_NBR_EV_UP:
			if (o.state != DVMRP_NBR_TWO_WAY ||
			    o.previous == DVMRP_NBR_TWO_WAY)
				__builtin_trap();
			break;
		case DVMRP_NBR_EV_DOWN:
			if (o.reason >= DVMRP_NBR_DOWN_REASON_COUNT ||
			    o.previous == o.state ||
			    (o.reason == DVMRP_NBR_DOWN_REFUSED) !=
				(o.state == DVMRP_NBR_REFUSED) ||
			    (o.reason == DVMRP_NBR_DOWN_ONE_WAY &&
				o.previous != DVMRP_NBR_TWO_WAY))
				__builtin_trap();
			break;
		case DVMRP_NBR_EV_RESTART:
			if (o.previous != DVMRP_NBR_TWO_WAY)
				__builtin_trap();
			break;
		case DVMRP_NBR_EV_SEND_REPORT:
		case DVMRP_NBR_EV_LIMIT:
			break;
		case DVMRP_NBR_EV_IGNORED:
			if (o.ignored >= DVMRP_NBR_IGN_COUNT)
				__builtin_trap();
			break;
		default:
			__builtin_trap();
		}
		(void)dvmrp_nbr_event_name(o.event);
	}
}

static int
fz_count_one(void *arg, const struct dvmrp_nbr_view *v)
{
	struct fz_count *k = arg;
	const struct fz *f = k->f;

	if (v->vif >= FZ_VIFS || !f->up[v->vif] || v->expires <= f->now)
		__builtin_trap();
	k->total++;
	k->per_vif[v->vif]++;
	if ((v->state == DVMRP_NBR_REFUSED) !=
	    (v->refusal != DVMRP_NBR_REFUSAL_NONE))
		__builtin_trap();
	if (v->state != DVMRP_NBR_TWO_WAY) {
		if (v->up_since != 0 || v->grace_until != 0)
			__builtin_trap();
		return 0;
	}
	k->two_way++;
	k->two_way_per_vif[v->vif]++;
	/* Two-way: heard listing us since it came up, and its last probe
	   listed us unless the restart grace forgave it. */
	if (v->up_since == 0 || v->last_listed_us < v->up_since ||
	    (v->last_listed_us != v->last_probe &&
		!(v->grace_until != 0 && v->grace_until > v->last_probe)))
		__builtin_trap();
	return 0;
}

static void
fz_check(struct fz *f)
{
	const struct dvmrp_nbr_stats *s = dvmrp_nbr_stats(f->n);
	struct fz_count k;
	unsigned vif, with = 0;
	uint8_t caps;

	memset(&k, 0, sizeof(k));
	k.f = f;
	dvmrp_nbr_foreach(f->n, fz_count_one, &k);
	if (k.total != s->neighbors || k.two_way != s->two_way ||
	    s->unexpected_events != 0 ||
	    k.total > (uint64_t)FZ_VIFS * f->c.max_neighbors_per_vif ||
	    dvmrp_nbr_memory(f->n) > 64 * 1024 + k.total * 256)
		__builtin_trap();
	for (vif = 0; vif < FZ_VIFS; vif++) {
		if (k.per_vif[vif] > f->c.max_neighbors_per_vif)
			__builtin_trap();
		with += k.two_way_per_vif[vif] > 0;
	}
	for (vif = 0; vif < FZ_VIFS; vif++) {
		caps = dvmrp_nbr_caps(f->n, vif);
		if (((caps & DVMRP_CAP_LEAF) != 0) !=
		    (with == 1 && k.two_way_per_vif[vif] > 0))
			__builtin_trap();
	}
	if (dvmrp_nbr_next_deadline(f->n) <= f->now)
		__builtin_trap();
}

/* Time passes by up to 65535 ms, one deadline at a time. */
static void
fz_advance(struct fz *f, uint32_t ms)
{
	mc_time_t end = f->now + ms, d;

	while ((d = dvmrp_nbr_next_deadline(f->n)) <= end) {
		if (d < f->now)
			__builtin_trap();
		f->now = d;
		dvmrp_nbr_timeout(f->n, f->now);
		fz_drain(f);
	}
	f->now = end;
}

static void
fz_probe(struct fz *f, struct fz_in *in)
{
	struct in_addr list[FZ_LIST_MAX];
	struct dvmrp_probe_in p;
	unsigned vif = fz_byte(in) % (FZ_VIFS + 1), i;
	uint8_t b;

	memset(&p, 0, sizeof(p));
	p.from = fz_addr(f, vif % FZ_VIFS, fz_byte(in));
	p.genid = fz_byte(in) % 4;
	b = fz_byte(in);
	p.caps = b & 0x80 ? b : DVMRP_CAPS_OURS;
	b = fz_byte(in);
	p.major = b & 0x80 ? b & 7 : 3;
	p.minor = b & 0x40 ? b & 7 : 0xff;
	p.nneighbors = fz_byte(in) % (FZ_LIST_MAX + 1);
	for (i = 0; i < p.nneighbors; i++)
		list[i] = fz_addr(f, vif % FZ_VIFS, fz_byte(in));
	p.neighbors = list;
	dvmrp_nbr_probe_input(f->n, f->now, vif, &p);
}

static void
fz_step(struct fz *f, struct fz_in *in)
{
	uint8_t op = fz_byte(in), b;
	unsigned vif;

	switch (op % 8) {
	case 0:
	case 1:
		fz_probe(f, in);
		break;
	case 2:
		b = fz_byte(in);
		fz_advance(f, (uint32_t)b << 8 | fz_byte(in));
		break;
	case 3:
		b = fz_byte(in);
		vif = b % FZ_VIFS;
		f->addr_variant[vif] = (b >> 4) & 1;
		if (dvmrp_nbr_vif_up(f->n, f->now, vif, fz_me(f, vif),
			(uint8_t)(b & 0x80 ? 0 : 24)) != 0)
			__builtin_trap();
		f->up[vif] = true;
		break;
	case 4:
		vif = fz_byte(in) % FZ_VIFS;
		dvmrp_nbr_vif_down(f->n, f->now, vif);
		f->up[vif] = false;
		break;
	case 5:
		b = fz_byte(in);
		vif = b % FZ_VIFS;
		(void)dvmrp_nbr_heard(f->n, f->now, vif,
		    fz_addr(f, vif, fz_byte(in)));
		break;
	case 6:
		f->c.accept_non_pruners = !f->c.accept_non_pruners;
		if (dvmrp_nbr_reconfigure(f->n, &f->c) != 0)
			__builtin_trap();
		break;
	default:
		fz_advance(f, fz_byte(in));
		break;
	}
	fz_drain(f);
	fz_check(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct fz f;
	uint8_t b;

	memset(&f, 0, sizeof(f));
	dvmrp_nbr_config_defaults(&f.c);
	b = fz_byte(&in);
	f.c.max_neighbors_per_vif = 1u + b % 8;
	f.c.max_probe_neighbors = 1u + (b >> 3) % 6;
	f.c.probe_new_neighbors = !(b & 0x40);
	f.c.accept_non_pruners = b & 0x80;
	b = fz_byte(&in);
	f.c.probe_holdoff_ms = b & 1 ? 0 : 1000;
	f.now = 1000;
	f.n = dvmrp_nbr_new(&f.c, b, b, NULL, NULL);
	if (f.n == NULL)
		__builtin_trap();
	while (in.n > 0)
		fz_step(&f, &in);
	/* Silence: every neighbour expires, the probes go on. */
	fz_advance(&f, 60000);
	fz_check(&f);
	if (dvmrp_nbr_stats(f.n)->neighbors != 0)
		__builtin_trap();
	dvmrp_nbr_free(f.n);
	return 0;
}
