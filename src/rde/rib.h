/*
 * rib: per-family tables of nets and their paths, sized for millions of
 * routes.
 *
 * A net is a fixed-size record in its family's slab: a small header and
 * the key, whose size depends on the family (IPv4 unicast 5 bytes,
 * VPN-IPv4 13, VPN-IPv6 25, RTC 13; FlowSpec keys are held in a separate
 * allocation and the net keeps a pointer).  The key holds what
 * bgp_nlri_cmp() compares except the path id, which belongs to the path.
 * Nets are found through an open-addressing hash of 32-bit indexes
 * (linear probing; a freed net leaves a tombstone that later inserts reuse,
 * so a withdrawal costs one probe rather than rehashing the run behind it;
 * rebuilt from the net slab, grown by half when live slots and tombstones
 * pass 3/4).
 *
 * A path is a 28-byte record in one slab shared by all families: peer id,
 * ADD-PATH id, attribute set id, next hop id, the label (or an interned
 * stack id when there are several), time received, next path index.  The
 * paths of a net form a list whose head is the best path.
 *
 * Not for: deciding (decision.h) or sending (export.c).
 */
#ifndef VTOPO_RDE_RIB_H
#define VTOPO_RDE_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rde/slab.h"
#include "wire/bgp.h"
#include "wire/nlri.h"

#define RIB_NET_USED 0x01
#define RIB_NET_BEST 0x02   /* the head path is selected (the net has paths) */
#define RIB_TOMB UINT32_MAX /* hash slot of a freed net (net indexes are < 2^28) */

/* rib_path.flags */
#define RIB_PATH_STALE 0x01 /* kept through the peer's restart (RFC 4724 s4.2) */

struct rib_net {
	uint32_t paths; /* first path (the best), 0 = none */
	uint16_t nref;	/* adj-out bits and queue entries that name this net */
	uint8_t flags;
	uint8_t npaths; /* saturates at 255 */
	uint8_t key[];
};

struct rib_path {
	uint32_t next;
	uint32_t attrs; /* attrset id */
	uint32_t nh;	/* next hop id (rib nexthops), 0 = none / self */
	uint32_t label; /* nlabels == 1: the entry; > 1: label stack id */
	uint32_t path_id;
	uint32_t stamp; /* seconds, caller's clock */
	uint16_t peer;
	uint8_t nlabels;
	uint8_t flags;
};

struct rib {
	enum bgp_fam fam;
	uint8_t klen; /* key bytes */
	struct slab nets;
	uint32_t *hash; /* net index, 0 = empty */
	uint8_t *tags;	/* low 8 bits of each slot's hash: most probes that
			 * miss are rejected here without touching the net */
	uint32_t hcap, hcount;
	uint32_t htombs;   /* slots holding RIB_TOMB */
	size_t flow_bytes; /* FlowSpec key allocations */
};

int rib_init(struct rib *r, enum bgp_fam fam);
void rib_fini(struct rib *r);

static inline struct rib_net *rib_net_at(const struct rib *r, uint32_t idx)
{
	return slab_at(&r->nets, idx);
}
/* One past the highest net index handed out (for walks). */
static inline uint32_t rib_net_top(const struct rib *r)
{
	return r->nets.top;
}
static inline uint32_t rib_net_count(const struct rib *r)
{
	return r->nets.used;
}

/* The net of this NLRI, or 0. */
uint32_t rib_net_find(const struct rib *r, const struct bgp_nlri *n);
/* Prefetch the hash slot n will probe (call a few NLRIs ahead). */
void rib_net_prefetch(const struct rib *r, const struct bgp_nlri *n);
/* Prefetch the hash slot of net idx (ahead of freeing it). */
void rib_net_prefetch_idx(const struct rib *r, uint32_t idx);
/* Find or create; 0 when out of memory. */
uint32_t rib_net_get(struct rib *r, const struct bgp_nlri *n);
/* Free a net that has no paths and no references. */
void rib_net_free(struct rib *r, uint32_t idx);
/* The NLRI of a net (path id 0, no labels); flow views point into the net. */
void rib_net_nlri(const struct rib *r, uint32_t idx, struct bgp_nlri *n);

size_t rib_bytes_nets(const struct rib *r);
size_t rib_bytes_hash(const struct rib *r);

#endif
