/* TFMCC for mcast file (rmc_cc.h). */
#include <math.h>
#include <string.h>

#include "rmc_cc.h"

/* RFC 5348 section 3.1, with b = 1 and t_RTO = 4 R. */
double
rmc_cc_tcp_rate(double s, double r, double p)
{
	double b = 1, t_rto = 4 * r, d;

	if (p <= 0 || r <= 0)
		return 0;
	d = r * sqrt(2 * b * p / 3) +
	    t_rto * (3 * sqrt(3 * b * p / 8)) * p * (1 + 32 * p * p);
	return s / d;
}

/* RFC 5348 section 5.4: 1, 1, 1, 1, 0.8, 0.6, 0.4, 0.2 for n = 8. */
double
rmc_cc_li_weight(unsigned i)
{
	if (i < RMC_CC_LI_N / 2)
		return 1;
	if (i >= RMC_CC_LI_N)
		return 0;
	return 2.0 * (RMC_CC_LI_N - i) / (RMC_CC_LI_N + 2);
}

/* RFC 5348 section 5.4: I_mean = max(I_tot0, I_tot1) / W_tot. */
double
rmc_cc_li_mean(const double *li, unsigned n)
{
	double tot0 = 0, tot1 = 0, w_tot = 0;
	unsigned i;

	if (n == 0)
		return 0;
	if (n > RMC_CC_LI_N)
		n = RMC_CC_LI_N;
	for (i = 0; i < n; i++) {
		double w = rmc_cc_li_weight(i);

		tot0 += li[i + 1] * w; /* the closed intervals */
		tot1 += li[i] * w;     /* the open one and n - 1 closed */
		w_tot += w;
	}
	return (tot0 > tot1 ? tot0 : tot1) / w_tot;
}

/* RFC 4654, receivers' feedback: the biased timer. */
double
rmc_cc_fb_delay(double t, double x, double r, unsigned n)
{
	double d;

	if (x <= 0)
		x = 1e-9;
	if (x > 1)
		x = 1;
	if (r > 1)
		r = 1;
	if (r < 0)
		r = 0;
	d = t *
	    (RMC_CC_GAMMA * r +
		(1 - RMC_CC_GAMMA) * (1 + log(x) / log((double)n)));
	return d > 0 ? d : 0;
}

/* RFC 4654, receivers' RTT measurement: R = beta R_sample + (1 - beta) R. */
double
rmc_cc_rtt_filter(double r, double sample, bool clr)
{
	double beta = clr ? 0.05 : 0.5;

	return beta * sample + (1 - beta) * r;
}

/* RFC 4654, feedback suppression: hold when not lower than (1 - delta) X_supp. */
bool
rmc_cc_suppressed(double x, double x_supp)
{
	return x_supp > 0 && x > (1 - RMC_CC_DELTA) * x_supp;
}

/* ---- the receiver ---- */

void
rmc_cc_rcv_init(struct rmc_cc_rcv *c, uint32_t id, unsigned s, mc_time_t now)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->s = s;
	c->rmax = RMC_CC_R_INIT_MS;
	c->since = now;
	c->fb_last = now;
}

double
rmc_cc_rcv_rtt(const struct rmc_cc_rcv *c)
{
	double r;

	if (!c->have_rtt)
		return (double)c->rmax;
	/* RFC 4654, receivers' RTT measurement: one-way delay changes since the echo. */
	r = c->rtt +
	    (double)(int32_t)((uint32_t)c->owd_now - (uint32_t)c->owd_ref);
	return r < 1 ? 1 : r;
}

double
rmc_cc_rcv_p(const struct rmc_cc_rcv *c)
{
	double m;

	if (c->nli == 0)
		return 0;
	m = rmc_cc_li_mean(c->li, c->nli);
	return m > 0 ? 1 / m : 1;
}

double
rmc_cc_rcv_xcalc(const struct rmc_cc_rcv *c)
{
	return 8 *
	    rmc_cc_tcp_rate(c->s, rmc_cc_rcv_rtt(c) / 1000, rmc_cc_rcv_p(c));
}

/*
 * The receive rate since the last feedback: the bytes after the window's
 * first packet over the time from it to now (the first packet's own
 * bytes came before the window started).
 */
static double
rmc_cc_rcv_xrecv(const struct rmc_cc_rcv *c, mc_time_t now)
{
	mc_time_t dt = now - c->since;

	if (c->pkts < 2)
		return 0;
	return (double)c->bytes * (c->pkts - 1) / c->pkts * 8 * 1000 /
	    (double)(dt > 0 ? dt : 1);
}

double
rmc_cc_rcv_rate(const struct rmc_cc_rcv *c, mc_time_t now)
{
	if (c->nli > 0)
		return rmc_cc_rcv_xcalc(c);
	return 2 * rmc_cc_rcv_xrecv(c, now);
}

/*
 * RFC 5348 section 5.2: a loss starts a new loss event when it comes
 * more than an RTT after the start of the last one; the interval closed
 * is the packets between the first losses of the two events.
 */
static void
rmc_cc_rcv_loss(struct rmc_cc_rcv *c, mc_time_t now, uint32_t lost)
{
	unsigned i;

	if (c->nli > 0 && now - c->event_at <= (mc_time_t)rmc_cc_rcv_rtt(c))
		return;
	if (c->nli > 0 || c->seq_set) {
		for (i = RMC_CC_LI_N; i > 0; i--)
			c->li[i] = c->li[i - 1];
		c->li[1] = (double)(uint32_t)(lost - c->event_seq);
		if (c->li[1] < 1)
			c->li[1] = 1;
	}
	if (c->nli < RMC_CC_LI_N)
		c->nli++;
	c->event_seq = lost;
	c->event_at = now;
	c->li[0] = 0;
}

void
rmc_cc_rcv_packet(struct rmc_cc_rcv *c, mc_time_t now, const struct rmc_hdr *h,
    size_t len)
{
	int32_t gap;

	if (c->pkts == 0)
		c->since = now; /* the window starts with its first packet */
	c->bytes += len;
	c->pkts++;
	c->ts_last = h->time_ms;
	c->ts_last_at = now;
	c->owd_now = (int32_t)((uint32_t)now - h->time_ms);
	if (!c->seq_set) {
		c->seq_set = true;
		c->seq_max = h->seq;
		c->event_seq = h->seq; /* the first interval counts from here */
		return;
	}
	gap = (int32_t)(h->seq - c->seq_max);
	if (gap <= 0)
		return; /* late or duplicate */
	if (gap > 1)
		rmc_cc_rcv_loss(c, now, c->seq_max + 1);
	c->seq_max = h->seq;
	c->li[0] = (double)(uint32_t)(c->seq_max - c->event_seq) + 1;
}

static mc_time_t
rmc_cc_rcv_clr_interval(const struct rmc_cc_rcv *c)
{
	mc_time_t r = (mc_time_t)rmc_cc_rcv_rtt(c);

	return r > RMC_CC_CLR_MIN_MS ? r : RMC_CC_CLR_MIN_MS;
}

void
rmc_cc_rcv_info(struct rmc_cc_rcv *c, mc_time_t now, double x_rand,
    const struct rmc_ccinfo *in)
{
	bool new_round = !c->heard || in->round != c->round;

	c->heard = true;
	c->round = in->round;
	c->clr = in->clr;
	c->rate = (double)in->rate * 1000;
	c->supp = in->supp == RMC_RATE_NONE ? 0 : (double)in->supp * 1000;
	c->rmax = in->rtt_max ? in->rtt_max : 1;
	c->slow_start = in->flags & RMC_CC_SLOWSTART;
	if (in->echo_rcvr == c->id && in->echo_rcvr != 0) {
		/* RFC 4654, receivers' RTT measurement: R = t_now - t_echo - t_delay. */
		double sample = (double)(int32_t)((uint32_t)now - in->echo_ts) -
		    in->echo_delay;

		if (sample < 1)
			sample = 1;
		c->rtt = c->have_rtt ?
		    rmc_cc_rtt_filter(c->rtt, sample, c->clr == c->id) :
		    sample;
		c->have_rtt = true;
		c->owd_ref = c->owd_now;
	}
	if (c->clr == c->id) {
		c->fb_pending = false;
		return;
	}
	if (new_round) {
		double t = (double)RMC_CC_FB_ROUND * (double)c->rmax;
		double r = c->rate > 0 ? rmc_cc_rcv_rate(c, now) / c->rate : 1;

		c->fb_pending = true;
		c->fb_at = now +
		    (mc_time_t)rmc_cc_fb_delay(t, x_rand, r, RMC_CC_N);
	}
	if (c->fb_pending &&
	    rmc_cc_suppressed(rmc_cc_rcv_rate(c, now), c->supp)) {
		c->fb_pending = false;
		c->fb_held++;
	}
}

mc_time_t
rmc_cc_rcv_deadline(const struct rmc_cc_rcv *c)
{
	if (!c->heard)
		return MC_TIME_NEVER;
	if (c->clr == c->id) /* the next packet tells when too few came */
		return c->pkts < RMC_CC_CLR_MIN_PKT ?
		    MC_TIME_NEVER :
		    c->fb_last + rmc_cc_rcv_clr_interval(c);
	return c->fb_pending ? c->fb_at : MC_TIME_NEVER;
}

static uint32_t
rmc_cc_kbps(double bps)
{
	double k = bps / 1000;

	if (k >= (double)RMC_RATE_NONE)
		return RMC_RATE_NONE - 1;
	return k < 1 ? 1 : (uint32_t)k;
}

bool
rmc_cc_rcv_feedback(struct rmc_cc_rcv *c, mc_time_t now,
    struct rmc_feedback *fb)
{
	bool clr = c->heard && c->clr == c->id;
	double p = rmc_cc_rcv_p(c);
	mc_time_t held = now - c->ts_last_at;

	if (!c->heard || now < rmc_cc_rcv_deadline(c))
		return false;
	if (clr && c->pkts < RMC_CC_CLR_MIN_PKT)
		return false;
	memset(fb, 0, sizeof(*fb));
	fb->receiver = c->id;
	fb->round = c->round;
	fb->rate = p > 0 ? rmc_cc_kbps(rmc_cc_rcv_xcalc(c)) : RMC_RATE_NONE;
	fb->recv = rmc_cc_kbps(rmc_cc_rcv_xrecv(c, now));
	fb->p = p > 0 ? (uint32_t)ceil(p * RMC_P_SCALE) : 0;
	fb->echo_ts = c->ts_last;
	fb->echo_delay = (uint16_t)(held > 65535 ? 65535 : held);
	fb->rtt = (uint16_t)fmin(rmc_cc_rcv_rtt(c), 65535);
	fb->flags = (c->have_rtt ? RMC_FB_HAVE_RTT : 0) |
	    (clr ? RMC_FB_CLR : 0);
	c->fb_pending = false;
	c->fb_last = now;
	c->fb_sent++;
	c->bytes = 0;
	c->pkts = 0;
	return true;
}

/* ---- the sender ---- */

void
rmc_cc_snd_init(struct rmc_cc_snd *c, uint64_t ceiling, unsigned s,
    mc_time_t now)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->ceiling = ceiling ? (double)ceiling : 1e12;
	c->floor = 8.0 * s; /* a packet per second */
	c->rmax = RMC_CC_R_INIT_MS;
	/* RFC 4654 section 3.1: one packet per R_max to start with. */
	c->x = 8.0 * s * 1000 / c->rmax;
	if (c->x > c->ceiling)
		c->x = c->ceiling;
	c->target = c->x;
	c->slow_start = true;
	c->round_at = now;
	c->inc_at = now;
	c->clr_at = now;
	c->info_due = true;
	c->info_at = now;
}

static double
rmc_cc_snd_clamp(const struct rmc_cc_snd *c, double x)
{
	if (x > c->ceiling)
		x = c->ceiling;
	return x < c->floor ? c->floor : x;
}

/*
 * RFC 4654 section 3.2: R_max in use is never below the time between two
 * packets, 8s/X, plus the clock's tick; the measured one is kept apart
 * (so that it does not stay at the interval of the first slow packets).
 */
double
rmc_cc_snd_rmax(const struct rmc_cc_snd *c)
{
	double min = 8.0 * c->s * 1000 / c->x + 1;

	return fmin(fmax(c->rmax, min), 65535);
}

/* RFC 4654 section 3.3: the rate a report stands for. */
static double
rmc_cc_report_rate(const struct rmc_feedback *fb)
{
	if (fb->p > 0 && fb->rate != RMC_RATE_NONE)
		return (double)fb->rate * 1000;
	return 2.0 * fb->recv * 1000; /* slow start: twice what came */
}

void
rmc_cc_snd_feedback(struct rmc_cc_snd *c, mc_time_t now, uint32_t ts,
    const struct rmc_feedback *fb)
{
	double rr = (double)(int32_t)((uint32_t)now - fb->echo_ts) -
	    fb->echo_delay;
	double xr = rmc_cc_report_rate(fb);

	c->st.feedback++;
	if (rr < 1)
		rr = 1;
	/* RFC 4654 section 3.2: R_max follows the largest RTT. */
	if (!c->rmax_measured || rr > c->rmax)
		c->rmax = rr;
	c->rmax_measured = true;
	if (rr > c->rpeak)
		c->rpeak = rr;
	c->echo = true;
	c->echo_rcvr = fb->receiver;
	c->echo_ts = ts;
	c->echo_at = now;
	c->info_due = true;
	if (fb->p > 0 && c->slow_start)
		c->slow_start = false; /* the first loss ends slow start */
	if (!c->have_clr || fb->receiver == c->clr) {
		/* RFC 4654 section 3.3, cases 1 and 3/4. */
		if (!c->have_clr)
			c->st.clr_changes++;
		c->have_clr = true;
		c->clr = fb->receiver;
		c->x_clr = xr;
		c->clr_at = now;
		if (xr < c->x)
			c->x = rmc_cc_snd_clamp(c, xr);
		c->target = rmc_cc_snd_clamp(c, xr);
	} else {
		/* Case 2: a lower rate makes its receiver the CLR. */
		c->nonclr_fb = true;
		if (c->supp == 0 || xr < c->supp)
			c->supp = xr;
		if (xr < c->x_clr && xr < c->x) {
			c->clr = fb->receiver;
			c->x_clr = xr;
			c->clr_at = now;
			c->x = rmc_cc_snd_clamp(c, xr);
			c->target = c->x;
			c->st.clr_changes++;
		}
	}
}

void
rmc_cc_snd_tick(struct rmc_cc_snd *c, mc_time_t now)
{
	double rmax = rmc_cc_snd_rmax(c), t = RMC_CC_FB_ROUND * rmax, nofb;
	mc_time_t dt = now - c->inc_at;

	/* Increase toward the CLR's rate. */
	if (c->slow_start) {
		/* RFC 4654 section 3.6: at most doubling per R_max. */
		if (c->x < c->target && (double)dt >= rmax) {
			c->x = rmc_cc_snd_clamp(c, fmin(2 * c->x, c->target));
			c->inc_at = now;
		}
	} else if (c->x < c->target && dt > 0) {
		/* RFC 4654 section 3.3: 8s/R_max bits/s per R_max. */
		double inc = 8.0 * c->s * 1000 / rmax * ((double)dt / rmax);

		c->x = rmc_cc_snd_clamp(c, fmin(c->x + inc, c->target));
		c->inc_at = now;
	} else {
		c->inc_at = now;
	}
	/* RFC 4654 section 3.4: rounds of T; longer until non-CLR
	 * feedback came, but at most 2T. */
	if ((double)(now - c->round_at) >= t &&
	    (c->nonclr_fb || (double)(now - c->round_at) >= 2 * t)) {
		c->round++;
		c->st.rounds++;
		c->rmax = fmax(c->rmax * RMC_CC_RMAX_DECAY, c->rpeak);
		c->rpeak = 0;
		c->supp = 0;
		c->nonclr_fb = false;
		c->round_at = now;
		c->info_due = true;
	}
	/* No feedback from the CLR: halve. */
	nofb = RMC_CC_NOFB_RMAX * fmax(rmc_cc_snd_rmax(c), RMC_CC_CLR_MIN_MS);
	if (c->have_clr && (double)(now - c->clr_at) >= nofb) {
		c->x = rmc_cc_snd_clamp(c, c->x / 2);
		c->target = c->x;
		c->clr_at = now;
		c->st.halvings++;
	}
}

void
rmc_cc_snd_leave(struct rmc_cc_snd *c, uint32_t id)
{
	if (c->have_clr && c->clr == id)
		c->have_clr = false;
}

uint64_t
rmc_cc_snd_rate(const struct rmc_cc_snd *c)
{
	return (uint64_t)c->x;
}

bool
rmc_cc_snd_info_due(const struct rmc_cc_snd *c, mc_time_t now)
{
	return c->info_due || now >= c->info_at;
}

mc_time_t
rmc_cc_snd_deadline(const struct rmc_cc_snd *c, mc_time_t now)
{
	mc_time_t t = c->info_due ? now : c->info_at;
	double rmax = rmc_cc_snd_rmax(c);
	mc_time_t nofb = c->clr_at +
	    (mc_time_t)(RMC_CC_NOFB_RMAX * fmax(rmax, RMC_CC_CLR_MIN_MS));

	t = mc_time_min(t, c->round_at + (mc_time_t)(RMC_CC_FB_ROUND * rmax));
	return c->have_clr ? mc_time_min(t, nofb) : t;
}

void
rmc_cc_snd_info(struct rmc_cc_snd *c, mc_time_t now, struct rmc_ccinfo *out)
{
	mc_time_t held = now - c->echo_at;

	memset(out, 0, sizeof(*out));
	out->round = c->round;
	out->rate = rmc_cc_kbps(c->x);
	out->supp = c->supp > 0 ? rmc_cc_kbps(c->supp) : RMC_RATE_NONE;
	out->clr = c->have_clr ? c->clr : 0;
	if (c->echo) {
		out->echo_rcvr = c->echo_rcvr;
		out->echo_ts = c->echo_ts;
		out->echo_delay = (uint16_t)(held > 65535 ? 65535 : held);
	}
	out->rtt_max = (uint16_t)ceil(rmc_cc_snd_rmax(c));
	out->flags = c->slow_start ? RMC_CC_SLOWSTART : 0;
	c->echo = false;
	c->info_due = false;
	c->info_at = now + (mc_time_t)fmax(rmc_cc_snd_rmax(c) / 2, 5);
}
