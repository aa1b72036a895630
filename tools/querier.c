/*
 * The querier of the links a source-specific join uses, as the kernel saw
 * it (querier.h).  A host falls back to IGMPv2 (v1) on a link for as long
 * as it has heard a v2 (v1) query there lately (RFC 3376 7.2.1, "Older
 * Version Querier Present"), and then reports each group in that version,
 * which has no sources: its join of (S,G) goes out as a join of the whole
 * group, which routers ignore in the SSM range (RFC 4604).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mcast/mcast.h>

#include "querier.h"

void
ssm_watch_init(struct ssm_watch *w, unsigned ifindex,
    const struct mc_ip *sources, int nsources)
{
	memset(w, 0, sizeof(*w));
	w->ifindex = ifindex;
	w->nsources = nsources;
	if (nsources > 0)
		w->source = sources[0];
}

void
ssm_watch_add_group(struct ssm_watch *w, const struct mc_ip *group)
{
	if (w->nsources == 0 || group->family != AF_INET ||
	    w->ngroups == SSM_WATCH_MAX_GROUPS)
		return;
	w->groups[w->ngroups++] = *group;
	w->active = true;
}

static bool
ssm_watch_has_link(const struct ssm_watch *w, unsigned ifindex)
{
	int i;

	for (i = 0; i < w->nlinks; i++)
		if (w->links[i].ifindex == ifindex)
			return true;
	return false;
}

static bool
ssm_watch_has_group(const struct ssm_watch *w, const struct mc_ip *group)
{
	int i;

	for (i = 0; i < w->ngroups; i++)
		if (mc_ip_equal(&w->groups[i], group))
			return true;
	return false;
}

/* The warning for link l, whose querier is too old, about group g. */
static void
ssm_watch_text(const struct ssm_watch *w, struct ssm_watch_link *l,
    const struct mc_ip *g)
{
	struct mc_addr_info info;
	char s[MC_IP_STRLEN], gs[MC_IP_STRLEN], consequence[256];
	int more = w->ngroups * w->nsources - 1;

	mc_ip_str(&w->source, s);
	mc_ip_str(g, gs);
	mc_addr_classify(g, &info);
	if (info.ssm)
		snprintf(consequence, sizeof(consequence),
		    "routers will not forward %s -> %s%s unless they have a "
		    "static route for it",
		    s, gs, more > 0 ? " (nor the other (S,G) joined)" : "");
	else
		snprintf(consequence, sizeof(consequence),
		    "routers hear a join of %s from any source, and this host "
		    "drops all but %s%s",
		    gs, s, more > 0 ? " (and the other sources given)" : "");
	snprintf(l->text, sizeof(l->text),
	    "%s: the querier on this link speaks IGMPv%u (the kernel fell "
	    "back to it, /proc/net/igmp), which cannot carry sources: a "
	    "source-specific join cannot be heard there; %s",
	    l->ifname, l->querier_version, consequence);
}

int
ssm_watch_update(struct ssm_watch *w, const char *igmp_text)
{
	struct mc_procnet_table t;
	const struct mc_membership *m;
	struct ssm_watch_link *l;
	size_t i;
	int rc, added = 0;

	if (!w->active)
		return 0;
	memset(&t, 0, sizeof(t));
	if ((rc = mc_procnet_parse_igmp(igmp_text, &t)) < 0) {
		mc_procnet_free(&t);
		return rc;
	}
	for (i = 0; i < t.ngroups && w->nlinks < SSM_WATCH_MAX_LINKS; i++) {
		m = &t.groups[i];
		if ((w->ifindex != 0 && m->ifindex != w->ifindex) ||
		    (m->querier_version != 1 && m->querier_version != 2) ||
		    !ssm_watch_has_group(w, &m->group) ||
		    ssm_watch_has_link(w, m->ifindex))
			continue;
		l = &w->links[w->nlinks++];
		l->ifindex = m->ifindex;
		memcpy(l->ifname, m->ifname, sizeof(l->ifname));
		l->querier_version = m->querier_version;
		ssm_watch_text(w, l, &m->group);
		added++;
	}
	mc_procnet_free(&t);
	return added;
}

int
ssm_watch_check(struct ssm_watch *w, FILE *f)
{
	char *text;
	int i, n;

	if (!w->active || mc_procnet_read_file("/proc/net/igmp", &text) < 0)
		return 0;
	n = ssm_watch_update(w, text);
	free(text);
	for (i = w->nlinks - (n > 0 ? n : 0); i < w->nlinks; i++)
		fprintf(f, "mcast: warning: %s\n", w->links[i].text);
	return n > 0 ? n : 0;
}
