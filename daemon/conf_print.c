/*
 * mcastd.conf's normalised form: conf_print writes what parses again to the
 * same settings, conf_equal compares two of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conf_int.h"

/* --- equality ----------------------------------------------------- */

static bool
conf_key_equal(const struct conf *a, const struct conf *b,
    const struct conf_key *k)
{
	switch (k->kind) {
	case CONF_KIND_BOOL:
	case CONF_KIND_SWITCH:
		return *(const bool *)conf_key_cptr(a, k) ==
		    *(const bool *)conf_key_cptr(b, k);
	case CONF_KIND_SSM:
		return a->igmp.ssm_prefix_len == b->igmp.ssm_prefix_len &&
		    a->igmp.ssm_prefix.s_addr == b->igmp.ssm_prefix.s_addr;
	case CONF_KIND_NUMBER:
	case CONF_KIND_LIMIT:
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS:
		break;
	}
	return *(const uint32_t *)conf_key_cptr(a, k) ==
	    *(const uint32_t *)conf_key_cptr(b, k);
}

static bool
conf_phyint_equal(const struct conf_phyint *a, const struct conf_phyint *b)
{
	unsigned i;

	if (strcmp(a->name, b->name) != 0 || a->disable != b->disable ||
	    a->threshold != b->threshold ||
	    a->igmp_version != b->igmp_version || a->metric != b->metric ||
	    a->no_dvmrp != b->no_dvmrp || a->nboundaries != b->nboundaries ||
	    a->nstatics != b->nstatics)
		return false;
	for (i = 0; i < a->nboundaries; i++)
		if (a->boundaries[i].addr.s_addr !=
			b->boundaries[i].addr.s_addr ||
		    a->boundaries[i].len != b->boundaries[i].len)
			return false;
	for (i = 0; i < a->nstatics; i++) {
		const struct conf_static_group *x = &a->statics[i];
		const struct conf_static_group *y = &b->statics[i];

		if (x->group.s_addr != y->group.s_addr ||
		    x->has_source != y->has_source ||
		    (x->has_source && x->source.s_addr != y->source.s_addr))
			return false;
	}
	return true;
}

static bool
conf_mroute_equal(const struct conf_mroute *a, const struct conf_mroute *b)
{
	unsigned i;

	if (strcmp(a->iif, b->iif) != 0 || a->has_source != b->has_source ||
	    (a->has_source && a->source.s_addr != b->source.s_addr) ||
	    a->group.s_addr != b->group.s_addr ||
	    a->group_len != b->group_len || a->noifs != b->noifs)
		return false;
	for (i = 0; i < a->noifs; i++)
		if (strcmp(a->oifs[i], b->oifs[i]) != 0)
			return false;
	return true;
}

static bool
conf_tunnel_equal(const struct conf_tunnel *a, const struct conf_tunnel *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    a->local.s_addr == b->local.s_addr &&
	    a->remote.s_addr == b->remote.s_addr && a->metric == b->metric &&
	    a->threshold == b->threshold && a->encap == b->encap &&
	    a->port == b->port && a->mtu == b->mtu;
}

bool
conf_equal(const struct conf *a, const struct conf *b)
{
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (!conf_key_equal(a, b, &conf_keys[i]))
			return false;
	if (a->igmp.max_groups != b->igmp.max_groups ||
	    a->igmp.max_sources_per_group != b->igmp.max_sources_per_group ||
	    a->default_disable != b->default_disable ||
	    a->nphyints != b->nphyints || a->nmroutes != b->nmroutes ||
	    a->ntunnels != b->ntunnels)
		return false;
	for (i = 0; i < a->ntunnels; i++)
		if (!conf_tunnel_equal(&a->tunnels[i], &b->tunnels[i]))
			return false;
	for (i = 0; i < a->nphyints; i++)
		if (!conf_phyint_equal(&a->phyints[i], &b->phyints[i]))
			return false;
	for (i = 0; i < a->nmroutes; i++)
		if (!conf_mroute_equal(&a->mroutes[i], &b->mroutes[i]))
			return false;
	return true;
}

/* --- the normalised form ------------------------------------------ */

static void
conf_print_value(FILE *f, const struct conf *c, const struct conf_key *k)
{
	uint32_t u = 0;
	char buf[INET_ADDRSTRLEN];

	if (k->kind != CONF_KIND_BOOL && k->kind != CONF_KIND_SSM &&
	    k->kind != CONF_KIND_SWITCH)
		u = *(const uint32_t *)conf_key_cptr(c, k);
	switch (k->kind) {
	case CONF_KIND_SWITCH: /* the word is the setting */
		break;
	case CONF_KIND_LIMIT:
		if (u == 0) {
			fputs("none", f);
			break;
		}
		/* FALLTHROUGH */
	case CONF_KIND_NUMBER:
		fprintf(f, "%" PRIu32, u);
		break;
	case CONF_KIND_MS:
	case CONF_KIND_SECONDS: {
		char d[24];

		fputs(conf_duration_str(k->kind == CONF_KIND_SECONDS ?
			      (uint64_t)u * 1000 :
			      u,
			  d, sizeof(d)),
		    f);
		break;
	}
	case CONF_KIND_BOOL:
		fputs(*(const bool *)conf_key_cptr(c, k) ? "yes" : "no", f);
		break;
	case CONF_KIND_SSM:
		if (c->igmp.ssm_prefix_len == 0)
			fputs("none", f);
		else
			fprintf(f, "%s/%u",
			    conf_addr_str(c->igmp.ssm_prefix, buf),
			    c->igmp.ssm_prefix_len);
		break;
	}
}

/* Words (or word groups) after the first: wrapped with '\' to fit 76
 * columns. */
static void
conf_print_word(FILE *f, unsigned *col, const char *word)
{
	size_t n = strlen(word);

	if (*col + 1 + n > 76) {
		fputs(" \\\n\t", f);
		*col = 8;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += (unsigned)n;
}

static void
conf_print_phyint(FILE *f, const struct conf_phyint *pi)
{
	char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], item[64];
	unsigned i, col;
	int n;

	n = fprintf(f, "phyint %s%s", pi->name, pi->disable ? " disable" : "");
	col = n > 0 ? (unsigned)n : 0;
	if (pi->threshold != 1) {
		snprintf(item, sizeof(item), "threshold %u", pi->threshold);
		conf_print_word(f, &col, item);
	}
	if (pi->igmp_version != 0) {
		snprintf(item, sizeof(item), "igmpv%u", pi->igmp_version);
		conf_print_word(f, &col, item);
	}
	if (pi->metric != 1) {
		snprintf(item, sizeof(item), "metric %u", pi->metric);
		conf_print_word(f, &col, item);
	}
	if (pi->no_dvmrp)
		conf_print_word(f, &col, "dvmrp disable");
	for (i = 0; i < pi->nboundaries; i++) {
		snprintf(item, sizeof(item), "boundary %s/%u",
		    conf_addr_str(pi->boundaries[i].addr, a),
		    pi->boundaries[i].len);
		conf_print_word(f, &col, item);
	}
	for (i = 0; i < pi->nstatics; i++) {
		if (pi->statics[i].has_source)
			snprintf(item, sizeof(item),
			    "static-group %s source %s",
			    conf_addr_str(pi->statics[i].group, a),
			    conf_addr_str(pi->statics[i].source, s));
		else
			snprintf(item, sizeof(item), "static-group %s",
			    conf_addr_str(pi->statics[i].group, a));
		conf_print_word(f, &col, item);
	}
	fputc('\n', f);
}

static void
conf_print_mroute(FILE *f, const struct conf_mroute *mr)
{
	char g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], len[8] = "";
	unsigned i, col;
	int n;

	if (mr->group_len != 32)
		snprintf(len, sizeof(len), "/%u", mr->group_len);
	if (mr->has_source)
		n = fprintf(f, "mroute from %s source %s group %s to", mr->iif,
		    conf_addr_str(mr->source, s), conf_addr_str(mr->group, g));
	else
		n = fprintf(f, "mroute from %s group %s%s to", mr->iif,
		    conf_addr_str(mr->group, g), len);
	col = n > 0 ? (unsigned)n : 0;
	for (i = 0; i < mr->noifs; i++)
		conf_print_word(f, &col, mr->oifs[i]);
	fputc('\n', f);
}

/* tunnel LOCAL REMOTE and what is not the default */
static void
conf_print_tunnel(FILE *f, const struct conf_tunnel *t)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];

	fprintf(f, "tunnel %s %s", conf_addr_str(t->local, l),
	    conf_addr_str(t->remote, r));
	if (t->metric != 1)
		fprintf(f, " metric %u", t->metric);
	if (t->threshold != 1)
		fprintf(f, " threshold %u", t->threshold);
	if (t->encap == CONF_ENCAP_UDP) {
		fputs(" encap udp", f);
		if (t->port != CONF_TUNNEL_UDP_PORT)
			fprintf(f, " port %u", t->port);
	}
	if (t->mtu != 0)
		fprintf(f, " mtu %u", t->mtu);
	fputc('\n', f);
}

void
conf_print(FILE *f, const struct conf *c)
{
	struct conf d;
	bool any = false, open;
	size_t i;
	int b;

	conf_init(&d);
	if (c->default_disable) {
		fputs("default-phyint disable\n", f);
		any = true;
	}
	for (b = 0; b < CONF_BLOCK_COUNT; b++) {
		open = false;
		for (i = 0; i < CONF_NKEYS; i++) {
			const struct conf_key *k = &conf_keys[i];

			if ((int)k->block != b || conf_key_equal(c, &d, k))
				continue;
			if (!open)
				fprintf(f, "%s%s {\n", any ? "\n" : "",
				    conf_block_names[b]);
			open = any = true;
			if (k->kind == CONF_KIND_SWITCH) {
				fprintf(f, "\t%s\n",
				    *(const bool *)conf_key_cptr(c, k) ?
					k->name :
					k->alias);
				continue;
			}
			fprintf(f, "\t%s ", k->name);
			conf_print_value(f, c, k);
			fputc('\n', f);
		}
		if (open)
			fputs("}\n", f);
	}
	for (i = 0; i < c->nphyints; i++) {
		if (i == 0 && any)
			fputc('\n', f);
		conf_print_phyint(f, &c->phyints[i]);
	}
	any = any || c->nphyints > 0;
	for (i = 0; i < c->nmroutes; i++) {
		if (i == 0 && any)
			fputc('\n', f);
		conf_print_mroute(f, &c->mroutes[i]);
	}
	any = any || c->nmroutes > 0;
	for (i = 0; i < c->ntunnels; i++) {
		if (i == 0 && any)
			fputc('\n', f);
		conf_print_tunnel(f, &c->tunnels[i]);
	}
}
