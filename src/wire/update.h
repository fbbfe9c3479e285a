/*
 * update: the UPDATE message (RFC 4271 s4.3) with every path attribute the
 * project needs, MP_REACH/MP_UNREACH (RFC 4760), ADD-PATH (RFC 7911) and
 * the RFC 7606 treatment of each malformed case.
 *
 * bgp_update_decode() validates the whole message in one pass (attributes
 * driven by a descriptor table, one row per type code; every NLRI field
 * walked once) and returns views: the caller then loops over the NLRI
 * fields with bgp_nlri_decode().  Known attributes are decoded into fields;
 * unknown optional ones are kept as views so they can be passed on
 * verbatim (with the Partial bit set when passed on, RFC 4271 s5).
 *
 * Encoding is two-level: bgp_attr_put() writes any attribute with the
 * right length form (extended length iff the value is longer than 255,
 * which is what "canonical" means in tests/vectors), and
 * bgp_update_encode() re-encodes a decoded UPDATE: attributes in ascending
 * type-code order, so that encode(decode(x)) == x for canonical x.
 *
 * Not for: interning attribute sets (RIB), policy.
 */
#ifndef VTOPO_UPDATE_H
#define VTOPO_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/bgp.h"
#include "wire/verdict.h"

#define BGP_ORIGIN_IGP 0
#define BGP_ORIGIN_EGP 1
#define BGP_ORIGIN_INCOMPLETE 2

/* AS_PATH segment types, RFC 4271 s4.3, RFC 5065 */
#define BGP_AS_SET 1
#define BGP_AS_SEQUENCE 2
#define BGP_AS_CONFED_SEQUENCE 3
#define BGP_AS_CONFED_SET 4

#define BGP_UPDATE_MAX_UNKNOWN 16

struct bgp_attr_raw {
	uint8_t flags, type;
	struct rbuf val;   /* the value */
	struct rbuf whole; /* flags, type, length and value */
};

struct bgp_attrs {
	uint64_t present[4]; /* bit per type code, after discards */
	uint8_t origin;
	struct rbuf as_path; /* validated; 4-octet ASNs iff as_path_as4 */
	bool as_path_as4;
	struct ipaddr next_hop; /* NEXT_HOP (IPv4) */
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	struct ipaddr aggregator_addr;
	struct rbuf communities;	  /* n x 4 */
	uint32_t originator_id;		  /* host order */
	struct rbuf cluster_list;	  /* n x 4 */
	struct rbuf ext_communities;	  /* n x 8 */
	struct rbuf ipv6_ext_communities; /* n x 20 */
	struct rbuf large_communities;	  /* n x 12 */
	struct rbuf as4_path;
	uint32_t as4_aggregator_as;
	struct ipaddr as4_aggregator_addr;
	/* MP_REACH_NLRI, RFC 4760 s3 */
	uint16_t mp_afi;
	uint8_t mp_safi;
	enum bgp_fam mp_fam; /* BGP_FAM_NONE: a family we don't speak */
	uint8_t mp_nh_len;
	struct ipaddr mp_nh;	/* global (VPN: RD of zeros stripped) */
	struct ipaddr mp_nh_ll; /* IPv6 link-local, if 32 (VPN: 48) bytes */
	struct rbuf mp_nlri;
	/* MP_UNREACH_NLRI, RFC 4760 s4 */
	uint16_t mpu_afi;
	uint8_t mpu_safi;
	enum bgp_fam mpu_fam;
	struct rbuf mpu_nlri;
	/* Every attribute as received, in order (for re-encoding, passing on
	 * unknown ones and the JSON dump).  Repeats are discarded (RFC 7606
	 * s3 g), so one slot per type code always suffices: nothing a peer
	 * sends is dropped for lack of room. */
	uint16_t n_raw;
	struct bgp_attr_raw raw[256];
};

static inline bool bgp_attrs_has(const struct bgp_attrs *a, uint8_t type)
{
	return a->present[type >> 6] & (1ull << (type & 63));
}

struct bgp_update {
	struct rbuf withdrawn; /* IPv4 unicast withdrawn routes field */
	struct rbuf nlri;      /* IPv4 unicast NLRI field */
	struct bgp_attrs a;
	/* RFC 4724 s2 / RFC 4760: an End-of-RIB marker for this family, or
	 * BGP_FAM_NONE */
	enum bgp_fam eor;
	bool eor_unknown_fam; /* End-of-RIB for a family we don't speak */
};

/*
 * Decode an UPDATE body (after the header).  Always fills what it could and
 * the verdict; returns false only when the verdict is SESSION_RESET (the
 * message cannot be used at all).  With TREAT_AS_WITHDRAW the NLRI views
 * are still valid and must be withdrawn; with AFISAFI_DISABLE v->fam names
 * the family.
 */
bool bgp_update_decode(struct rbuf *body, const struct bgp_sess_params *p, struct bgp_update *u,
		       struct bgp_verdict *v);

/* Write one attribute (flags' EXTLEN bit chosen from len). */
void bgp_attr_put(struct wbuf *w, uint8_t flags, uint8_t type, const void *val, size_t len);
/* Open an attribute whose length is not known yet; bgp_attr_end() fixes the
 * length and switches to the 1-octet form when it fits. */
size_t bgp_attr_begin(struct wbuf *w, uint8_t flags, uint8_t type);
void bgp_attr_end(struct wbuf *w, size_t mark);

/* Re-encode a decoded UPDATE as a whole message (header included). */
void bgp_update_encode(struct wbuf *w, const struct bgp_update *u);

/* Walk a validated AS_PATH: calls fn for each segment. */
typedef void (*bgp_aspath_seg_fn)(void *ctx, uint8_t seg_type, const uint32_t *asns, unsigned n);
void bgp_aspath_walk(const struct rbuf *path, bool as4, bgp_aspath_seg_fn fn, void *ctx);
/* RFC 4271 s9.1.2.2 a: path length (AS_SET counts 1, confed segments 0). */
unsigned bgp_aspath_len(const struct rbuf *path, bool as4);
/* Text: "65001 65002 {65003,65004} (65005)". Returns buf. */
char *bgp_aspath_fmt(const struct rbuf *path, bool as4, char *buf, size_t len);

#endif
