/*
 * bgp_routes: the benchmark's synthetic route set, shared by the generator
 * (which encodes it) and the sink (which recognises it).
 *
 * Route number k (0 <= k < 2^24) maps to one NLRI:
 *   ipv4-vpn:     VRF v = k >> 16, RD 65001:(100+v), label 100+v,
 *                 route target target:65001:(100+v),
 *                 prefix 198.19.0.0/16 + (k & 0xffff), /32
 *   ipv4-unicast: prefix 10.0.0.0/8 + k, /32 (RFC 1918: the routes never
 *                 leave the benchmark's network namespaces)
 * so that a VPN table of a million routes is 16 VRFs of 65,536 hosts, and
 * the sink maps every NLRI it receives back to k without a lookup table.
 *
 * Attribute sets: ORIGIN IGP, AS_PATH (the sender's AS), NEXT_HOP or
 * MP_REACH_NLRI next hop, the VPN route target; with attr_every = K > 0,
 * routes k and k' share a set iff k / K == k' / K, and set s carries
 * MED s and COMMUNITIES 65001:(s & 0xffff).  A new UPDATE starts whenever
 * the attribute set or the VRF changes; otherwise UPDATEs are packed to
 * 4,096 octets (RFC 4271 s4).
 *
 * Not for: sessions (bgp_client.h), timing (bgpgen.c).
 */
#ifndef VTOPO_BENCH_BGP_ROUTES_H
#define VTOPO_BENCH_BGP_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ecomm.h"
#include "wire/bgp.h"
#include "wire/nlri.h"

#define BGP_ROUTES_MAX (1u << 24)
#define BGP_ROUTES_AS 65001 /* administrator of the RDs and route targets */

struct bgp_routes_cfg {
	enum bgp_fam fam; /* BGP_FAM_VPNV4 or BGP_FAM_IPV4_UNICAST */
	uint32_t first;	  /* route numbers [first, first + count) */
	uint32_t count;
	uint32_t attr_every; /* 0: one attribute set per VRF; K: a new set every K routes */
	uint32_t local_as;   /* the AS_PATH is this one AS */
	uint32_t next_hop;   /* IPv4, host order */
};

/* One pre-encoded stream of whole UPDATE messages; `blocks` are offsets
 * where a message starts, about every 256 KiB, so a writer can slip a
 * KEEPALIVE in between. */
struct bgp_stream {
	uint8_t *buf;
	size_t len;
	size_t *blocks;
	size_t n_blocks;
	uint32_t n_msgs;
};

/* Route number k as an NLRI of family fam (labels set for announcements). */
void bgp_routes_nlri(enum bgp_fam fam, uint32_t k, struct bgp_nlri *n);
/* The route number of a received NLRI, or -1 if it is not one of ours. */
int64_t bgp_routes_index(const struct bgp_nlri *n);
/* The route target route k carries (VPN). */
void bgp_routes_rt(uint32_t k, struct ecomm *rt);

/* Encode the announcements (withdraw false) or withdrawals of cfg's routes.
 * as4: the session negotiated 4-octet ASNs.  Returns false when out of
 * memory or when the encoder overflowed (a bug). */
bool bgp_stream_build(struct bgp_stream *s, const struct bgp_routes_cfg *cfg, bool as4,
		      bool withdraw);
void bgp_stream_free(struct bgp_stream *s);

#endif
