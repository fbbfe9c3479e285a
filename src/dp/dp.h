/*
 * dp: vtopo-dp, the userspace data plane.  Its state is only what the FIB
 * protocol (docs/fib-protocol.md) wrote: VRFs with per-family LPM tables,
 * interfaces, next-hop objects, the label table, FlowSpec flows and PE
 * peers.  Nothing here knows about BGP.
 *
 * Prefixes, labels and flows hold next-hop *ids*; the nh is looked up when
 * a packet is forwarded, so one NH_SET moves every dependent at once
 * (HOUSE-STYLE principle 4).
 *
 * Not for: how the state is computed (control plane), the protocol codec
 * (fib/fib_proto.c).
 */
#ifndef VTOPO_DP_H
#define VTOPO_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"

struct dp_cnt {
	uint64_t pkts, bytes;
};

static inline void dp_cnt_add(struct dp_cnt *c, size_t bytes)
{
	c->pkts++;
	c->bytes += bytes;
}

/* --- LPM: a binary trie per family (dp_lpm.c) --- */
struct dp_route {
	struct prefix prefix;
	fib_nh_id nh;
	bool stale; /* not restated yet in a resync */
	struct dp_cnt cnt;
};

struct dp_lpm_node;
struct dp_lpm {
	struct dp_lpm_node *root;
	size_t n_routes;
};

void dp_lpm_init(struct dp_lpm *t);
void dp_lpm_free(struct dp_lpm *t);
/* Insert or replace; returns the route, NULL on ENOMEM. */
struct dp_route *dp_lpm_set(struct dp_lpm *t, const struct prefix *p, fib_nh_id nh);
bool dp_lpm_del(struct dp_lpm *t, const struct prefix *p);
/* Longest match for an address of afi (b: 4 or 16 bytes). */
struct dp_route *dp_lpm_lookup(struct dp_lpm *t, const uint8_t *b, unsigned bits);
struct dp_route *dp_lpm_exact(struct dp_lpm *t, const struct prefix *p);
/* Visit every route (in prefix order); cb returns false to stop. */
void dp_lpm_walk(struct dp_lpm *t, bool (*cb)(struct dp_route *r, void *arg), void *arg);
/* Remove routes marked stale; returns how many. */
size_t dp_lpm_sweep(struct dp_lpm *t);

/* --- label table (dp_label.c): open addressing on the 20-bit label --- */
struct dp_label {
	uint32_t label; /* LABEL_FREE when unused */
	fib_nh_id nh;
	bool stale;
	struct dp_cnt cnt;
};
struct dp_labels {
	struct dp_label *slots;
	size_t cap, n;
};
void dp_labels_init(struct dp_labels *t);
void dp_labels_free(struct dp_labels *t);
struct dp_label *dp_labels_set(struct dp_labels *t, uint32_t label, fib_nh_id nh);
bool dp_labels_del(struct dp_labels *t, uint32_t label);
struct dp_label *dp_labels_get(const struct dp_labels *t, uint32_t label);
size_t dp_labels_sweep(struct dp_labels *t);

/* --- ECMP hash (dp_hash.c) --- */
struct dp_flowkey {
	uint8_t afi;
	uint8_t proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};
/* 5-tuple hash; symmetric: a flow and its reverse hash the same. */
uint32_t dp_hash(const struct dp_flowkey *k, enum fib_hash mode);

/* --- FlowSpec classification (dp_flow.c) --- */
struct dp_pkt_info {
	uint8_t afi;
	uint8_t proto;
	const uint8_t *src, *dst; /* 4 or 16 bytes */
	uint16_t sport, dport;	  /* 0 when not TCP/UDP */
	uint8_t icmp_type, icmp_code;
	bool has_ports, has_icmp, has_tcpflags;
	uint8_t tcp_flags;
	uint16_t pkt_len; /* RFC 8955 s4.2.2.10: IP total length */
	uint8_t dscp;
	uint8_t frag; /* RFC 8955 s4.2.2.12 bits: DF 1, IsF 2, FF 4, LF 8 */
	uint32_t flow_label;
};
/* Do the validated components (RFC 8955 s4.2 / RFC 8956 s3) match? */
bool dp_flow_match(const uint8_t *nlri, size_t len, uint8_t afi, const struct dp_pkt_info *pi);
/* Can a packet to dst (4 or 16 bytes) match the rule?  Only its
 * destination-prefix components (RFC 8955 s4.2.2.1, RFC 8956 s3.1) are
 * checked; any other component might match some packet. */
bool dp_flow_dst_may_match(const uint8_t *nlri, size_t len, uint8_t afi, const uint8_t *dst);

#endif
