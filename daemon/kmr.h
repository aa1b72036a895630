/*
 * The kernel's multicast routing socket (HOWTO 7.2, PROTOCOLS.md 3): a raw
 * IGMP socket that owns the kernel's multicast routing (MRT_INIT), holds the
 * VIFs and the forwarding cache (MFC), carries IGMP in and out, and brings
 * the kernel's upcalls (NOCACHE, WRONGVIF).
 */
#ifndef MCASTD_KMR_H
#define MCASTD_KMR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define KMR_MAXVIFS 32

struct kmr {
	int fd;
};

/* MRT_INIT.  -EADDRINUSE: another daemon owns multicast routing. */
int kmr_open(struct kmr *k);
/* MRT_DONE (the kernel drops every VIF and MFC entry) and close. */
void kmr_close(struct kmr *k);

int kmr_vif_add(struct kmr *k, unsigned vif, unsigned ifindex,
    uint8_t threshold);
int kmr_vif_del(struct kmr *k, unsigned vif);
int kmr_mfc_add(struct kmr *k, struct in_addr source, struct in_addr group,
    unsigned iif, const uint8_t ttls[KMR_MAXVIFS]);
int kmr_mfc_del(struct kmr *k, struct in_addr source, struct in_addr group);
/* The kernel's counters of an (S,G) entry (SIOCGETSGCNT). */
int kmr_sg_count(struct kmr *k, struct in_addr source, struct in_addr group,
    uint64_t *packets, uint64_t *bytes, uint64_t *wrong_if);
/* Join/leave a group on an interface (224.0.0.2, 224.0.0.22 ...). */
int kmr_join(struct kmr *k, unsigned ifindex, struct in_addr group);
int kmr_leave(struct kmr *k, unsigned ifindex, struct in_addr group);

enum kmr_event_kind {
	KMR_EVENT_NONE,	  /* nothing (EAGAIN) */
	KMR_EVENT_IGMP,	  /* an IGMP packet (IP header included) */
	KMR_EVENT_UPCALL, /* NOCACHE, WRONGVIF ... */
};

struct kmr_event {
	enum kmr_event_kind kind;
	/* IGMP */
	const uint8_t *packet; /* IPv4 header + IGMP */
	size_t len;
	unsigned ifindex; /* where it arrived */
	/* UPCALL */
	uint8_t upcall; /* IGMPMSG_* */
	unsigned vif;
	struct in_addr source;
	struct in_addr group;
};

/* Read one event into buf (>= 64 KiB).  0, or a negative errno. */
int kmr_read(struct kmr *k, uint8_t *buf, size_t cap, struct kmr_event *ev);
/*
 * Send a packet of the IGMP protocol number, its IPv4 header included
 * (whatever TTL, Router Alert and source it carries: igmp_ip_build_out),
 * out of ifindex to dst, a group or a unicast address.
 */
int kmr_send(struct kmr *k, unsigned ifindex, struct in_addr dst,
    const uint8_t *packet, size_t len);
/* The kernel's counters of a VIF (SIOCGETVIFCNT). */
struct kmr_vif_counters {
	uint64_t in_packets;
	uint64_t out_packets;
	uint64_t in_bytes;
	uint64_t out_bytes;
};
int kmr_vif_count(struct kmr *k, unsigned vif, struct kmr_vif_counters *c);
const char *kmr_upcall_name(uint8_t upcall);

#endif
