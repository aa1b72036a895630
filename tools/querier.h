/*
 * The querier a source-specific receiver depends on: the IGMP version the
 * kernel fell back to on each link where mcast recv -S or mcast join -S
 * joined (the Querier column of /proc/net/igmp), and the warning that an
 * IGMPv1/v2 querier deserves: such a link cannot carry a join of (S,G).
 */
#ifndef MCAST_QUERIER_H
#define MCAST_QUERIER_H

#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
#include <mcast/addr.h>

#define SSM_WATCH_MAX_GROUPS 64
#define SSM_WATCH_MAX_LINKS  8 /* links warned about, at most */

/* One link whose querier cannot hear sources. */
struct ssm_watch_link {
	unsigned ifindex;
	char ifname[IF_NAMESIZE];
	unsigned querier_version; /* 1 or 2 */
	char text[512];		  /* the warning, without "mcast: warning: " */
};

struct ssm_watch {
	bool active;	  /* IPv4 groups with -S: there is something to watch */
	unsigned ifindex; /* -i; 0: wherever the kernel joined the groups */
	struct mc_ip groups[SSM_WATCH_MAX_GROUPS];
	int ngroups;
	struct mc_ip source; /* the first -S, named in the warning */
	int nsources;
	struct ssm_watch_link links[SSM_WATCH_MAX_LINKS];
	int nlinks;
};

/*
 * Watch the groups (only IPv4 ones: the kernel shows no MLDv1 fallback)
 * joined on ifindex (0: any) from sources[0..nsources-1]; nothing to
 * watch without sources.
 */
void ssm_watch_init(struct ssm_watch *w, unsigned ifindex,
    const struct mc_ip *sources, int nsources);
void ssm_watch_add_group(struct ssm_watch *w, const struct mc_ip *group);
/*
 * From the text of /proc/net/igmp, add the links where a watched group is
 * joined and the querier speaks IGMPv1 or v2, each once: the number of new
 * links, or MC_E_PARSE.
 */
int ssm_watch_update(struct ssm_watch *w, const char *igmp_text);
/*
 * Read /proc/net/igmp and print "mcast: warning: ..." on f for each new
 * link; the number of new links (0 when the file cannot be read).
 */
int ssm_watch_check(struct ssm_watch *w, FILE *f);

#endif
