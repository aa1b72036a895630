/* RFC 2974 3.1's announcement interval, one function per step (sap_timer.h). */
#include "sap_timer.h"

mc_time_t
sap_timer_base_interval_ms(uint64_t total_bytes, unsigned limit_bps)
{
	uint64_t ms;

	if (limit_bps == 0)
		limit_bps = SAP_TIMER_LIMIT_BPS;
	/* RFC 2974 3.1 step 2: interval = max(300; (8*no_of_ads*ad_size)/limit) */
	ms = total_bytes * 8 * 1000 / limit_bps;
	return ms > SAP_TIMER_MIN_INTERVAL_MS ? (mc_time_t)ms :
						SAP_TIMER_MIN_INTERVAL_MS;
}

mc_time_t
sap_timer_offset_ms(mc_time_t interval_ms, uint32_t rnd)
{
	/* RFC 2974 3.1 step 3: offset = rand(interval*2/3) - (interval/3) */
	mc_time_t span = interval_ms * 2 / 3;

	return (mc_time_t)(((uint64_t)span * rnd) >> 32) - interval_ms / 3;
}

mc_time_t
sap_timer_next(mc_time_t tp, mc_time_t interval_ms, mc_time_t offset_ms)
{
	/* RFC 2974 3.1 step 4: tn = tp + interval + offset */
	return tp + interval_ms + offset_ms;
}

mc_time_t
sap_timer_interval_ms(const struct sap_timer *t, uint64_t total_bytes)
{
	switch (t->profile) {
	case SAP_TIMER_AES67:
		return SAP_TIMER_AES67_MS;
	case SAP_TIMER_FIXED:
		return t->fixed_ms;
	case SAP_TIMER_RFC:
	default:
		return sap_timer_base_interval_ms(total_bytes, t->limit_bps);
	}
}

mc_time_t
sap_timer_schedule(struct sap_timer *t, mc_time_t tp, uint64_t total_bytes,
    uint32_t rnd)
{
	t->tp = tp;
	t->rnd = rnd;
	t->interval_ms = sap_timer_interval_ms(t, total_bytes);
	t->tn = sap_timer_next(tp, t->interval_ms,
	    sap_timer_offset_ms(t->interval_ms, rnd));
	return t->tn;
}

bool
sap_timer_reconsider(struct sap_timer *t, mc_time_t now, uint64_t total_bytes)
{
	t->interval_ms = sap_timer_interval_ms(t, total_bytes);
	t->tn = sap_timer_next(t->tp, t->interval_ms,
	    sap_timer_offset_ms(t->interval_ms, t->rnd));
	return t->tn <= now;
}
