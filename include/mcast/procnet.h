/*
 * Readers for the kernel's membership tables: /proc/net/igmp,
 * /proc/net/igmp6, /proc/net/mcfilter and /proc/net/mcfilter6.
 * Each parser takes the text of the file (so tests can feed fixtures);
 * mc_procnet_read_file() loads a file into a buffer.
 */
#ifndef MCAST_PROCNET_H
#define MCAST_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <mcast/addr.h>

/* One group joined on one interface. */
struct mc_membership {
	char ifname[IF_NAMESIZE];
	unsigned ifindex;
	struct mc_ip group;
	unsigned users;	    /* sockets/joins holding it */
	bool timer_running; /* a report is pending */
	unsigned long
	    timer_ticks; /* clock_t ticks (USER_HZ) until that report */
	bool reporter;	 /* IPv4: this host sent the last report */
	unsigned querier_version; /* IPv4: V1/V2/V3 seen on the interface */
	unsigned iface_groups;	  /* IPv4: the interface's group count */
};

/* One source in a source filter (INCLUDE or EXCLUDE). */
struct mc_source_filter {
	char ifname[IF_NAMESIZE];
	unsigned ifindex;
	struct mc_ip group;
	struct mc_ip source;
	unsigned long include_count; /* sockets including this source */
	unsigned long exclude_count; /* sockets excluding this source */
};

/* A growable array the parsers fill; free with mc_procnet_free(). */
struct mc_procnet_table {
	struct mc_membership *groups;
	size_t ngroups;
	struct mc_source_filter *sources;
	size_t nsources;
};

int mc_procnet_parse_igmp(const char *text, struct mc_procnet_table *t);
int mc_procnet_parse_igmp6(const char *text, struct mc_procnet_table *t);
int mc_procnet_parse_mcfilter(const char *text, struct mc_procnet_table *t);
int mc_procnet_parse_mcfilter6(const char *text, struct mc_procnet_table *t);
/* Read the four live files (a missing one, e.g. no IPv6, is skipped). */
int mc_procnet_read_all(struct mc_procnet_table *t);
/* Read a whole file into a NUL-terminated malloc'd buffer. */
int mc_procnet_read_file(const char *path, char **text);
void mc_procnet_free(struct mc_procnet_table *t);

#endif
