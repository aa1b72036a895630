/*
 * mcastd.conf's tunnel statement, read off the lexer's tokens and checked
 * as it is read (man/mcastd.conf.5).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* LOCAL or REMOTE of a tunnel: a unicast address. */
static int
conf_tunnel_addr(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct in_addr *out)
{
	char msg[160];

	if (t->kind != CONF_TOK_WORD)
		return conf_fail_expected(p, t, what,
		    "an IPv4 unicast address such as 198.18.0.1");
	if (conf_check_source(t->s, t->len, out, msg, sizeof(msg)) != 0) {
		/* "source X is ...": the tunnel's word instead. */
		if (strncmp(msg, "source ", 7) == 0)
			return conf_fail(p, t->line, t->column, "%s %s", what,
			    msg + 7);
		return conf_fail_expected(p, t, what,
		    "an IPv4 unicast address such as 198.18.0.1");
	}
	return 0;
}

/* A number lo-hi after the word kw of a tunnel. */
static int
conf_tunnel_number(struct conf_parser *p, const char *kw, uint64_t lo,
    uint64_t hi, const char *expected, uint64_t *v)
{
	struct conf_tok t;

	if (conf_advance(p) != 0)
		return -1;
	t = p->cur;
	if (t.kind != CONF_TOK_WORD || conf_number(&t, hi, v) != 0 || *v < lo)
		return conf_fail_expected(p, &t, kw, expected);
	return conf_advance(p);
}

/* The checks of a tunnel against the ones before it. */
static int
conf_tunnel_check(struct conf_parser *p, const struct conf_tok *kw,
    const struct conf_tunnel *t)
{
	const struct conf *c = p->c;
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	size_t i;

	conf_addr_str(t->local, l);
	conf_addr_str(t->remote, r);
	if (t->local.s_addr == t->remote.s_addr)
		return conf_fail(p, kw->line, kw->column,
		    "tunnel %s %s: LOCAL and REMOTE are the same address: "
		    "expected the far end's address as REMOTE",
		    l, r);
	for (i = 0; i < c->ntunnels; i++) {
		const struct conf_tunnel *o = &c->tunnels[i];

		if (o->local.s_addr == t->local.s_addr &&
		    o->remote.s_addr == t->remote.s_addr)
			return conf_fail(p, kw->line, kw->column,
			    "tunnel %s %s already declared at line %u: "
			    "expected each LOCAL and REMOTE pair once",
			    l, r, o->line);
		if (o->encap == CONF_ENCAP_UDP && t->encap == CONF_ENCAP_UDP &&
		    o->local.s_addr == t->local.s_addr && o->port == t->port)
			return conf_fail(p, kw->line, kw->column,
			    "tunnel %s %s: udp port %u at %s is taken by the "
			    "tunnel at line %u: expected another port "
			    "(port P)",
			    l, r, t->port, l, o->line);
	}
	return 0;
}

/* tunnel LOCAL REMOTE [metric N] [threshold T] [encap ipip | udp [port P]]
 *        [mtu M] */
int
conf_parse_tunnel(struct conf_parser *p)
{
	struct conf *c = p->c;
	struct conf_tok kw = p->cur;
	struct conf_tunnel t;
	bool metric = false, threshold = false, encap = false, mtu = false,
	     port = false;
	uint64_t v;

	if (c->ntunnels == CONF_MAX_TUNNELS)
		return conf_fail(p, kw.line, kw.column,
		    "tunnel is one too many: expected at most %d",
		    CONF_MAX_TUNNELS);
	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "mtun%zu", c->ntunnels);
	t.metric = 1;
	t.threshold = 1;
	t.encap = CONF_ENCAP_IPIP;
	t.port = CONF_TUNNEL_UDP_PORT;
	t.line = kw.line;
	if (conf_advance(p) != 0 ||
	    conf_tunnel_addr(p, &p->cur, "tunnel LOCAL", &t.local) != 0 ||
	    conf_advance(p) != 0 ||
	    conf_tunnel_addr(p, &p->cur, "tunnel REMOTE", &t.remote) != 0 ||
	    conf_advance(p) != 0)
		return -1;
	while (p->cur.kind == CONF_TOK_WORD) {
		struct conf_tok w = p->cur;
		bool *seen = conf_tok_is(&w, "metric") ? &metric :
		    conf_tok_is(&w, "threshold")       ? &threshold :
		    conf_tok_is(&w, "encap")	       ? &encap :
		    conf_tok_is(&w, "mtu")	       ? &mtu :
		    conf_tok_is(&w, "port")	       ? &port :
							 NULL;
		char word[16];

		if (seen == NULL)
			return conf_fail_expected(p, &w, "tunnel",
			    "metric, threshold, encap or mtu");
		conf_strlcpy(word, w.s,
		    w.len + 1 < sizeof(word) ? w.len + 1 : sizeof(word));
		if (*seen)
			return conf_fail(p, w.line, w.column,
			    "tunnel: '%s' given twice: expected it once", word);
		*seen = true;
		if (seen == &metric) {
			/* 32 is DVMRP's infinity: unreachable. */
			if (conf_tunnel_number(p, "metric", 1,
				DVMRP_INFINITY - 1, "a DVMRP metric 1-31",
				&v) != 0)
				return -1;
			t.metric = (uint8_t)v;
		} else if (seen == &threshold) {
			if (conf_tunnel_number(p, "threshold", 1, 255,
				"a TTL threshold 1-255", &v) != 0)
				return -1;
			t.threshold = (uint8_t)v;
		} else if (seen == &mtu) {
			if (conf_tunnel_number(p, "mtu", CONF_TUNNEL_MTU_MIN,
				CONF_TUNNEL_MTU_MAX, "an MTU 576-65000 (bytes)",
				&v) != 0)
				return -1;
			t.mtu = (uint16_t)v;
		} else if (seen == &port) {
			if (t.encap != CONF_ENCAP_UDP)
				return conf_fail(p, w.line, w.column,
				    "tunnel: 'port' without 'encap udp': "
				    "expected it after encap udp");
			if (conf_tunnel_number(p, "port", 1, 65535,
				"a UDP port 1-65535", &v) != 0)
				return -1;
			t.port = (uint16_t)v;
		} else {
			if (conf_advance(p) != 0)
				return -1;
			if (conf_tok_is(&p->cur, "ipip"))
				t.encap = CONF_ENCAP_IPIP;
			else if (conf_tok_is(&p->cur, "udp"))
				t.encap = CONF_ENCAP_UDP;
			else
				return conf_fail_expected(p, &p->cur, "encap",
				    "ipip or udp");
			if (conf_advance(p) != 0)
				return -1;
		}
	}
	if (conf_end_of_statement(p, "tunnel", false) != 0 ||
	    conf_tunnel_check(p, &kw, &t) != 0)
		return -1;
	c->tunnels[c->ntunnels++] = t;
	return 0;
}
