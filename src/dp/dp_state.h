/*
 * dp_state: vtopo-dp's tables and their update from FIB ops (mark and
 * sweep on resync: FIB_OP_RESYNC marks everything stale, what is restated
 * before the commit is kept, the rest removed).
 *
 * Not for: packets (dp_fwd.c), sockets (dp_io.c, dp_main.c).
 */
#ifndef VTOPO_DP_STATE_H
#define VTOPO_DP_STATE_H

#include <net/ethernet.h>

#include "dp/dp.h"

#define DP_ARP_MAX 64

struct ev_io;

struct dp_arp {
	uint32_t ip; /* network order */
	uint8_t mac[6];
};

/* an IPv6 neighbour (RFC 4861 s5.1 neighbor cache, reachable entries only) */
struct dp_nd {
	uint8_t ip[16];
	uint8_t mac[6];
};

/* Packets waiting for a neighbour's MAC on an interface, ARP or Neighbor
 * Discovery (RFC 1122 s2.3.2.2: keep at least the latest packet to an
 * unresolved address and send it once resolved; RFC 4861 s7.2.2 likewise
 * queues while resolving): a service node put into a chain gets its first
 * packets. */
#define DP_ARP_WAIT 4
#define DP_ARP_WAIT_LEN 2048
struct dp_arp_wait {
	uint8_t ip[16]; /* IPv4: the first 4 octets, network order */
	bool v6;
	uint16_t len; /* 0 = free */
	uint8_t pkt[DP_ARP_WAIT_LEN];
};

struct dp_if {
	struct fib_if cfg;
	bool stale;
	int fd; /* AF_PACKET socket, -1 when the interface is missing */
	int ifindex;
	uint8_t mac[6];
	uint16_t mtu;
	struct ev_io *io;
	void *owner; /* the struct dp_ctx, for the I/O callback */
	void *ring;  /* dp_io.c's TPACKET_V3 receive ring, NULL without one */
	void *txq;   /* dp_io.c's transmit batch (-i batch), NULL without one */
	struct dp_arp arp[DP_ARP_MAX];
	unsigned n_arp;
	struct dp_nd nd[DP_ARP_MAX];
	unsigned n_nd;
	struct dp_arp_wait wait[DP_ARP_WAIT];
	unsigned n_wait; /* packets kept so far; the next goes to n_wait % DP_ARP_WAIT */
	struct dp_cnt rx, tx, drop;
};

struct dp_vrf {
	struct fib_vrf cfg;
	bool stale;
	struct dp_lpm lpm4, lpm6;
	struct dp_cnt lookups, no_route, flow_hits;
};

struct dp_nh {
	struct fib_nh cfg;
	bool stale;
	struct dp_cnt cnt;
};

struct dp_flow {
	struct fib_flow cfg;
	bool stale;
	struct dp_cnt cnt;
};

struct dp_peer {
	struct ipaddr addr;
	bool stale;
	struct dp_cnt rx;
};

/* A growable array of one object kind. */
#define DP_VEC(T)                                                                                  \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}

struct dp_state {
	DP_VEC(struct dp_vrf) vrfs;
	DP_VEC(struct dp_if *) ifs; /* pointers: I/O watchers hold them */
	DP_VEC(struct dp_nh) nhs;
	DP_VEC(struct dp_flow) flows;
	DP_VEC(struct dp_peer) peers;
	struct dp_labels labels;
	uint64_t gen;
	uint64_t commits, ops_refused;
	/* a writer came with another generation (it restarted): everything
	 * is stale until its resync commits, and forwarded meanwhile */
	bool resync_pending;
	uint64_t resyncs;
	/* called for interfaces added/removed (dp_io opens the socket) */
	void (*if_up)(void *arg, struct dp_if *ifc);
	void (*if_down)(void *arg, struct dp_if *ifc);
	void *io_arg;
};

void dp_state_init(struct dp_state *s);
void dp_state_free(struct dp_state *s);
/* Apply one committed batch.  Returns the number of ops refused. */
unsigned dp_state_apply(struct dp_state *s, uint64_t gen, const struct fib_op *ops, size_t n);

struct dp_vrf *dp_vrf_get(struct dp_state *s, fib_vrf_id id);
struct dp_if *dp_if_get(struct dp_state *s, fib_if_id id);
struct dp_nh *dp_nh_get(struct dp_state *s, fib_nh_id id);
struct dp_peer *dp_peer_get(struct dp_state *s, const struct ipaddr *a);

/* State and counters as JSON text (caller frees). */
char *dp_state_json(struct dp_state *s, const struct dp_cnt *glob, const char *const *gnames,
		    size_t n_glob);
/* The labels view (SHOW "labels", docs/fib-protocol.md): the generation,
 * the VRFs by id and name (no routes), the interfaces, the labels and the
 * next hops they point at (with an ECMP group's members): what a writer
 * that restarted needs to keep the labels by their actions.  Its size
 * grows with the labels, not with the routes.  Caller frees. */
char *dp_state_labels_json(struct dp_state *s);

#endif
