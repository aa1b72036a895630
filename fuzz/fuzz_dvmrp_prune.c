/*
 * libFuzzer target: sequences of prunes, grafts, graft acks, members,
 * dependents, upstream changes, neighbour events and time into the DVMRP
 * prune and graft engine.  Each op byte picks an input whose arguments
 * follow.  After every step the outputs are drained and checked against a
 * mirror of what was fed, and the invariants must hold: the caps bound the
 * state and the memory; VIF_PRUNED and VIF_UNPRUNED alternate per VIF; no
 * VIF is pruned while a dependent on it has not pruned, or while a member
 * wants it; a graft acked is never retransmitted; no deadline is past.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_prune.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_VIFS	     3
#define FZ_NBRS	     3 /* per VIF */
#define FZ_ORIGINS   2
#define FZ_GROUPS    3
#define FZ_ENTRIES   (FZ_ORIGINS * FZ_GROUPS)
#define FZ_MAX_ENT   4
#define FZ_MAX_PRUNE 4

struct fz_in {
	const uint8_t *p;
	size_t n;
};

/* What the harness fed about one (origin, group). */
struct fz_entry {
	bool exists;
	bool child[FZ_VIFS];
	unsigned ndep[FZ_VIFS];
	bool member[FZ_VIFS];
	bool pruned[FZ_VIFS]; /* from the outputs */
	bool acked;	      /* its graft was acked: none may follow */
};

struct fz {
	struct dvmrp_prune *p;
	struct mc_rng rng;
	mc_time_t now;
	struct fz_entry e[FZ_ENTRIES];
	unsigned rx[FZ_ENTRIES][FZ_VIFS]; /* received prunes, from the view */
	bool grafting[FZ_ENTRIES];
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

static struct in_addr
fz_origin(unsigned o)
{
	return (struct in_addr){ htonl(0xc6120a00u + (o << 8)) };
}

static struct in_addr
fz_group(unsigned g)
{
	return (struct in_addr){ htonl(0xef010100u + g) };
}

/* 198.18.<vif>.<10 + i>; i == FZ_NBRS is a stranger. */
static struct in_addr
fz_nbr(unsigned vif, unsigned i)
{
	return (struct in_addr){ htonl(0xc6120000u | vif << 8 | (10 + i)) };
}

static int
fz_index(struct in_addr origin, struct in_addr group)
{
	for (unsigned o = 0; o < FZ_ORIGINS; o++)
		for (unsigned g = 0; g < FZ_GROUPS; g++)
			if (fz_origin(o).s_addr == origin.s_addr &&
			    fz_group(g).s_addr == group.s_addr)
				return (int)(o * FZ_GROUPS + g);
	return -1;
}

static int
fz_view(void *arg, const struct dvmrp_prune_view *v)
{
	struct fz *f = arg;
	int i = fz_index(v->origin, v->group);

	if (i < 0 || v->vif >= FZ_VIFS)
		__builtin_trap();
	if (v->sent)
		f->grafting[i] = v->state == DVMRP_PRUNE_GRAFTING;
	else
		f->rx[i][v->vif]++;
	return 0;
}

static void
fz_check(struct fz *f)
{
	const struct dvmrp_prune_stats *st = dvmrp_prune_stats(f->p);
	struct dvmrp_prune_output o;

	while (dvmrp_prune_output(f->p, &o)) {
		int i = fz_index(o.source, o.group);

		if (i < 0 || o.vif >= FZ_VIFS)
			__builtin_trap();
		switch (o.kind) {
		case DVMRP_PRUNE_OUT_VIF_PRUNED:
		case DVMRP_PRUNE_OUT_VIF_UNPRUNED:
			if (f->e[i].pruned[o.vif] ==
			    (o.kind == DVMRP_PRUNE_OUT_VIF_PRUNED))
				__builtin_trap();
			f->e[i].pruned[o.vif] = !f->e[i].pruned[o.vif];
			break;
		case DVMRP_PRUNE_OUT_SEND_GRAFT:
			if (f->e[i].acked)
				__builtin_trap();
			break;
		case DVMRP_PRUNE_OUT_SEND_PRUNE:
			f->e[i].acked = false; /* a new cycle */
			break;
		case DVMRP_PRUNE_OUT_SEND_GRAFT_ACK:
			if (o.mask.s_addr != 0)
				__builtin_trap();
			break;
		}
	}
	if (st->entries > FZ_MAX_ENT ||
	    st->prunes > (uint64_t)FZ_MAX_ENT * FZ_MAX_PRUNE ||
	    dvmrp_prune_memory(f->p) > 64 * 1024)
		__builtin_trap();
	if (dvmrp_prune_next_deadline(f->p) < f->now)
		__builtin_trap();
	memset(f->rx, 0, sizeof(f->rx));
	memset(f->grafting, 0, sizeof(f->grafting));
	dvmrp_prune_foreach(f->p, f->now, fz_view, f);
	for (unsigned i = 0; i < FZ_ENTRIES; i++)
		for (unsigned v = 0; v < FZ_VIFS; v++) {
			const struct fz_entry *e = &f->e[i];

			if (e->pruned[v] &&
			    (!e->exists || !e->child[v] || e->ndep[v] == 0 ||
				e->member[v] || f->rx[i][v] < e->ndep[v]))
				__builtin_trap();
		}
}

/* The entries the harness mirrors for origin o (or group g). */
static void
fz_dependents(struct fz *f, unsigned o, unsigned vif, bool child, unsigned n)
{
	dvmrp_prune_dependents(f->p, f->now, fz_origin(o), vif, child, n);
	for (unsigned g = 0; g < FZ_GROUPS; g++) {
		struct fz_entry *e = &f->e[o * FZ_GROUPS + g];

		if (e->exists) {
			e->child[vif] = child;
			e->ndep[vif] = n;
		}
	}
}

static void
fz_member(struct fz *f, unsigned g, unsigned vif, bool on)
{
	dvmrp_prune_member(f->p, f->now, fz_group(g), vif, on);
	for (unsigned o = 0; o < FZ_ORIGINS; o++)
		if (f->e[o * FZ_GROUPS + g].exists)
			f->e[o * FZ_GROUPS + g].member[vif] = on;
}

static void
fz_step(struct fz *f, struct fz_in *in)
{
	uint8_t op = fz_byte(in), a = fz_byte(in), b = fz_byte(in);
	unsigned o = a % FZ_ORIGINS, g = (a >> 1) % FZ_GROUPS;
	unsigned idx = o * FZ_GROUPS + g;
	unsigned vif = b % FZ_VIFS, nb = (b >> 2) % (FZ_NBRS + 1);
	struct in_addr nbr = fz_nbr(vif, nb);

	switch (op % 14) {
	case 0:
		if (dvmrp_prune_entry_add(f->p, f->now, fz_origin(o),
			(struct in_addr){ htonl(0xffffff00u) }, fz_group(g),
			vif, (b & 0x80) ? (struct in_addr){ 0 } : nbr) == 0 &&
		    !f->e[idx].exists) {
			memset(&f->e[idx], 0, sizeof(f->e[idx]));
			f->e[idx].exists = true;
		}
		break;
	case 1:
		dvmrp_prune_entry_del(f->p, f->now, fz_origin(o), fz_group(g));
		memset(&f->e[idx], 0, sizeof(f->e[idx]));
		break;
	case 2:
		fz_dependents(f, o, vif, b & 0x80, (b >> 5) & 3);
		break;
	case 3:
		dvmrp_prune_upstream(f->p, f->now, fz_origin(o), !(b & 0x80),
		    vif, nbr);
		break;
	case 4:
		fz_member(f, g, vif, b & 0x80);
		break;
	case 5:
		dvmrp_prune_oifs_empty(f->p, f->now, fz_origin(o), fz_group(g),
		    b & 0x80);
		break;
	case 6:
		dvmrp_prune_nbr_up(f->p, vif, nbr);
		break;
	case 7:
		dvmrp_prune_nbr_down(f->p, f->now, vif, nbr);
		break;
	case 8:
		dvmrp_prune_nbr_restart(f->p, f->now, vif, nbr);
		break;
	case 9:
		dvmrp_prune_prune_input(f->p, f->now, vif, nbr, fz_origin(o),
		    fz_group(g), (uint32_t)fz_byte(in) * 10);
		break;
	case 10:
		dvmrp_prune_graft_input(f->p, f->now, vif, nbr, fz_origin(o),
		    fz_group(g));
		break;
	case 11: {
		bool was = f->grafting[idx];

		dvmrp_prune_graft_ack_input(f->p, f->now, vif, nbr,
		    fz_origin(o), fz_group(g));
		memset(f->grafting, 0, sizeof(f->grafting));
		dvmrp_prune_foreach(f->p, f->now, fz_view, f);
		if (was && !f->grafting[idx])
			f->e[idx].acked = true;
		break;
	}
	case 12:
		f->now += (mc_time_t)a * 1000 + b;
		dvmrp_prune_timeout(f->p, f->now);
		break;
	default: {
		mc_time_t t = dvmrp_prune_next_deadline(f->p);

		if (t != MC_TIME_NEVER) {
			f->now = t;
			dvmrp_prune_timeout(f->p, f->now);
		}
		break;
	}
	}
	fz_check(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct dvmrp_prune_config c;
	static struct fz f;

	memset(&f, 0, sizeof(f));
	dvmrp_prune_config_defaults(&c);
	c.lifetime_s = DVMRP_PRUNE_LIFETIME_MIN + fz_byte(&in);
	c.rexmit_prunes = fz_byte(&in) & 1;
	c.max_entries = FZ_MAX_ENT;
	c.max_prunes_entry = FZ_MAX_PRUNE;
	f.rng.state = 7;
	f.now = 1000;
	if ((f.p = dvmrp_prune_new(&c, &f.rng)) == NULL)
		return 0;
	for (unsigned i = 0; in.n > 0 && i < 4096; i++)
		fz_step(&f, &in);
	dvmrp_prune_free(f.p);
	return 0;
}
