/* The arithmetic of a paced `mcast send` (see send_pace.h). */
#include <math.h>

#include "send_pace.h"

unsigned
send_pace_batch(double rate_pps, unsigned max_batch)
{
	double k = ceil(rate_pps * SEND_PACE_WAKEUP_NS / 1e9);

	if (k < 1)
		return 1;
	return k > max_batch ? max_batch : (unsigned)k;
}

uint64_t
send_pace_allowed(double rate_pps, int64_t elapsed_ns)
{
	if (rate_pps <= 0)
		return UINT64_MAX;
	return (uint64_t)((double)elapsed_ns / 1e9 * rate_pps) + 1;
}

int64_t
send_pace_due_ns(double rate_pps, uint64_t n)
{
	return (int64_t)ceil((double)n * 1e9 / rate_pps);
}

void
send_pace_judge(double rate_pps, uint64_t sent, int64_t elapsed_ns,
    int64_t last_ns, struct send_pace_verdict *v)
{
	int64_t slack = (int64_t)((double)elapsed_ns *
	    SEND_PACE_SLACK_FRACTION);

	if (slack < SEND_PACE_SLACK_MIN_NS)
		slack = SEND_PACE_SLACK_MIN_NS;
	v->achieved_pps = elapsed_ns > 0 ?
	    (double)sent * 1e9 / (double)elapsed_ns :
	    0;
	v->behind_ns = 0;
	v->short_of_rate = false;
	if (rate_pps <= 0)
		return;
	v->behind_ns = sent > 0 ?
	    last_ns - send_pace_due_ns(rate_pps, sent - 1) :
	    elapsed_ns;
	v->short_of_rate = v->behind_ns > slack;
}
