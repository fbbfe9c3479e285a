/*
 * attr: the path attribute descriptor table (one row per type code: name,
 * expected flags, length rule, parse function, error id), in the manner of
 * BIRD's bgp_attr_table, and the one-attribute parser update.c drives.
 *
 * Not for: the UPDATE framing, NLRI fields, mandatory-attribute and
 * End-of-RIB checks (update.c); AS_PATH text and walking (aspath.c).
 */
#ifndef VTOPO_ATTR_H
#define VTOPO_ATTR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/rbuf.h"
#include "wire/bgp.h"
#include "wire/update.h"
#include "wire/verdict.h"

struct bgp_attr_ctx {
	const struct bgp_sess_params *p;
	struct bgp_attrs *a;
	struct bgp_verdict *v;
	uint8_t flags, type;
	struct rbuf whole; /* the attribute with its header, for error data */
};

/* Decode the value into c->a.  Returns BGP_E_NONE, or the error to raise
 * (the caller raises it with the whole attribute as data). */
typedef enum bgp_err (*bgp_attr_parse_fn)(struct bgp_attr_ctx *c, struct rbuf *val);

struct bgp_attr_desc {
	const char *name;	   /* "origin", "as-path", ... */
	uint8_t flags;		   /* expected Optional|Transitive bits */
	uint16_t len_min, len_max; /* value length rule ... */
	uint8_t len_unit;	   /* ... and a multiple of this (0: any) */
	enum bgp_err err;	   /* raised when malformed */
	enum bgp_err ebgp_err;	   /* raised when sent by an external peer, or NONE */
	bool old_only;		   /* RFC 6793 s6: only from a 2-octet AS speaker */
	bgp_attr_parse_fn parse;
};

/* NULL for a type code we do not decode. */
const struct bgp_attr_desc *bgp_attr_desc_get(uint8_t type);
const char *bgp_attr_name(uint8_t type); /* "unknown" for unknown codes */

enum bgp_attr_res {
	BGP_ATTR_OK,	    /* decoded: present, kept in the raw list */
	BGP_ATTR_MALFORMED, /* raised (treat-as-withdraw or worse): kept raw, not present */
	BGP_ATTR_DISCARDED, /* raised attribute-discard: dropped altogether */
};

/*
 * Parse one attribute (value in val, header facts in c) and raise what is
 * wrong on c->v.  Unknown optional attributes are BGP_ATTR_OK (passed on
 * verbatim, RFC 4271 s5).  With a flags conflict the value is still parsed
 * so that MP_REACH/MP_UNREACH views exist for treat-as-withdraw.
 */
enum bgp_attr_res bgp_attr_parse(struct bgp_attr_ctx *c, struct rbuf *val);

/* RFC 7606 s7.2 / RFC 6793 s6: segment type 1-4, segment length > 0, no
 * overrun; ASNs of 4 octets iff as4. */
bool bgp_aspath_valid(const struct rbuf *path, bool as4);

static inline void bgp_attrs_set(struct bgp_attrs *a, uint8_t type)
{
	a->present[type >> 6] |= 1ull << (type & 63);
}

#endif
