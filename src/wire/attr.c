/*
 * attr: one row per path attribute type code and the parser that the
 * UPDATE decoder runs for each attribute (see attr.h).
 *
 * Checks run in the RFC's order of precedence: who may send it (RFC 7606
 * s7.5, s7.9, s7.10; RFC 6793 s6), the Optional/Transitive flags (RFC 7606
 * s3 c), the length rule from the table (RFC 7606 s7.x), then the value.
 *
 * Not for: UPDATE framing, NLRI fields (update.c).
 */
#include "wire/attr.h"

#include <string.h>

#define O BGP_AF_OPTIONAL
#define T BGP_AF_TRANSITIVE
#define ANY 0xffff

static void copy_v4(struct rbuf *val, struct ipaddr *out)
{
	uint32_t v4 = 0;

	if (rbuf_u32(val, &v4))
		ipaddr_from_v4(out, v4);
}

static void copy_v6(struct rbuf *val, struct ipaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (rbuf_bytes(val, out->b, 16))
		out->afi = AFI_IPV6;
}

/* RFC 7606 s7.1: length 1 (table) and a defined value. */
static enum bgp_err parse_origin(struct bgp_attr_ctx *c, struct rbuf *val)
{
	if (!rbuf_u8(val, &c->a->origin) || c->a->origin > BGP_ORIGIN_INCOMPLETE)
		return BGP_E_ORIGIN;
	return BGP_E_NONE;
}

/* RFC 7606 s7.2, in the session's AS number width (RFC 6793 s4). */
static enum bgp_err parse_as_path(struct bgp_attr_ctx *c, struct rbuf *val)
{
	if (!bgp_aspath_valid(val, c->p->as4))
		return BGP_E_AS_PATH;
	c->a->as_path = *val;
	c->a->as_path_as4 = c->p->as4;
	return BGP_E_NONE;
}

static enum bgp_err parse_next_hop(struct bgp_attr_ctx *c, struct rbuf *val)
{
	copy_v4(val, &c->a->next_hop);
	return BGP_E_NONE;
}

static enum bgp_err parse_med(struct bgp_attr_ctx *c, struct rbuf *val)
{
	return rbuf_u32(val, &c->a->med) ? BGP_E_NONE : BGP_E_MED;
}

static enum bgp_err parse_local_pref(struct bgp_attr_ctx *c, struct rbuf *val)
{
	return rbuf_u32(val, &c->a->local_pref) ? BGP_E_NONE : BGP_E_LOCAL_PREF;
}

static enum bgp_err parse_none(struct bgp_attr_ctx *c, struct rbuf *val)
{
	(void)c;
	(void)val;
	return BGP_E_NONE;
}

/* RFC 7606 s7.7: 6 octets with 2-octet ASNs, 8 with 4-octet ASNs. */
static enum bgp_err parse_aggregator(struct bgp_attr_ctx *c, struct rbuf *val)
{
	uint16_t as16;

	if (rbuf_left(val) != (c->p->as4 ? 8u : 6u))
		return BGP_E_AGGREGATOR;
	if (c->p->as4) {
		if (!rbuf_u32(val, &c->a->aggregator_as))
			return BGP_E_AGGREGATOR;
	} else {
		if (!rbuf_u16(val, &as16))
			return BGP_E_AGGREGATOR;
		c->a->aggregator_as = as16;
	}
	copy_v4(val, &c->a->aggregator_addr);
	return BGP_E_NONE;
}

static enum bgp_err parse_communities(struct bgp_attr_ctx *c, struct rbuf *val)
{
	c->a->communities = *val;
	return BGP_E_NONE;
}

static enum bgp_err parse_originator_id(struct bgp_attr_ctx *c, struct rbuf *val)
{
	return rbuf_u32(val, &c->a->originator_id) ? BGP_E_NONE : BGP_E_ORIGINATOR_ID;
}

static enum bgp_err parse_cluster_list(struct bgp_attr_ctx *c, struct rbuf *val)
{
	c->a->cluster_list = *val;
	return BGP_E_NONE;
}

/*
 * RFC 4760 s3 next hop lengths per family; RFC 8950 adds IPv6 next hops for
 * IPv4 families.  VPN next hops carry an RD first (RFC 4364 s4.3.2, RFC 4659
 * s3.2.1), FlowSpec may carry none (RFC 8955 s6), RTC carries 4 or 16.
 */
static bool mp_nh_len_ok(enum bgp_fam fam, uint8_t len)
{
	const struct bgp_fam_desc *fd = &bgp_fam_table[fam];
	bool v4 = fd->afi == BGP_AFI_IPV4;

	switch (fd->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		return (v4 && len == 4) || len == 16 || len == 32;
	case BGP_NK_VPN:
		return (v4 && len == 12) || len == 24 || len == 48;
	case BGP_NK_RTC:
		return len == 4 || len == 16;
	case BGP_NK_FLOW:
	case BGP_NK_VPNFLOW:
		return len == 0 || len == 4 || len == 16 || len == 32;
	}
	return false;
}

/* The lengths mp_nh_len_ok() accepts: an address, an address and a
 * link-local one (RFC 2545 s3), each behind an RD for VPN (RFC 4364 s4.3.2,
 * RFC 4659 s3.2.1; the RD is zero and is dropped). */
static void mp_nh_read(struct bgp_attrs *a, struct rbuf *nh)
{
	bool rd = a->mp_nh_len == 12 || a->mp_nh_len == 24 || a->mp_nh_len == 48;

	if (rd && !rbuf_skip(nh, 8))
		return;
	if (a->mp_nh_len == 4 || a->mp_nh_len == 12)
		copy_v4(nh, &a->mp_nh);
	else if (a->mp_nh_len != 0)
		copy_v6(nh, &a->mp_nh);
	if (a->mp_nh_len == 32 || a->mp_nh_len == 48) {
		if (rd && !rbuf_skip(nh, 8))
			return;
		copy_v6(nh, &a->mp_nh_ll);
	}
}

/* RFC 4760 s3: AFI, SAFI, next hop length and address, reserved, NLRI.
 * RFC 7606 s7.11: a bad next hop length makes the NLRI unlocatable. */
static enum bgp_err parse_mp_reach(struct bgp_attr_ctx *c, struct rbuf *val)
{
	struct bgp_attrs *a = c->a;
	struct rbuf nh;
	uint8_t reserved;

	if (!rbuf_u16(val, &a->mp_afi) || !rbuf_u8(val, &a->mp_safi) ||
	    !rbuf_u8(val, &a->mp_nh_len))
		return BGP_E_MP_REACH;
	a->mp_fam = bgp_fam_from_afisafi(a->mp_afi, a->mp_safi);
	if (!rbuf_sub(val, a->mp_nh_len, &nh) || !rbuf_u8(val, &reserved))
		return BGP_E_MP_REACH_NEXT_HOP;
	if (a->mp_fam != BGP_FAM_NONE) {
		if (!mp_nh_len_ok(a->mp_fam, a->mp_nh_len))
			return BGP_E_MP_REACH_NEXT_HOP;
		mp_nh_read(a, &nh);
	}
	/* a family we don't speak is kept as views, not interpreted */
	rbuf_rest(val, &a->mp_nlri);
	return BGP_E_NONE;
}

/* RFC 4760 s4: AFI, SAFI, withdrawn routes. */
static enum bgp_err parse_mp_unreach(struct bgp_attr_ctx *c, struct rbuf *val)
{
	struct bgp_attrs *a = c->a;

	if (!rbuf_u16(val, &a->mpu_afi) || !rbuf_u8(val, &a->mpu_safi))
		return BGP_E_MP_UNREACH;
	a->mpu_fam = bgp_fam_from_afisafi(a->mpu_afi, a->mpu_safi);
	rbuf_rest(val, &a->mpu_nlri);
	return BGP_E_NONE;
}

static enum bgp_err parse_ext_communities(struct bgp_attr_ctx *c, struct rbuf *val)
{
	c->a->ext_communities = *val;
	return BGP_E_NONE;
}

/* RFC 6793 s6: AS4_PATH is always 4-octet; malformed if shorter than one
 * segment with one ASN, or a segment is empty, overruns or has an
 * undefined type. */
static enum bgp_err parse_as4_path(struct bgp_attr_ctx *c, struct rbuf *val)
{
	if (!bgp_aspath_valid(val, true))
		return BGP_E_AS4_PATH;
	c->a->as4_path = *val;
	return BGP_E_NONE;
}

static enum bgp_err parse_as4_aggregator(struct bgp_attr_ctx *c, struct rbuf *val)
{
	if (!rbuf_u32(val, &c->a->as4_aggregator_as))
		return BGP_E_AS4_AGGREGATOR;
	copy_v4(val, &c->a->as4_aggregator_addr);
	return BGP_E_NONE;
}

static enum bgp_err parse_ipv6_ext_communities(struct bgp_attr_ctx *c, struct rbuf *val)
{
	c->a->ipv6_ext_communities = *val;
	return BGP_E_NONE;
}

static enum bgp_err parse_large_communities(struct bgp_attr_ctx *c, struct rbuf *val)
{
	c->a->large_communities = *val;
	return BGP_E_NONE;
}

#define N BGP_E_NONE
/* name, flags, length min/max/unit, error, from-eBGP error, old-only, parser */
static const struct bgp_attr_desc attr_table[256] = {
    [BGP_ATTR_ORIGIN] = {"origin", T, 1, 1, 0, BGP_E_ORIGIN, N, false, parse_origin},
    [BGP_ATTR_AS_PATH] = {"as-path", T, 0, ANY, 0, BGP_E_AS_PATH, N, false, parse_as_path},
    [BGP_ATTR_NEXT_HOP] = {"next-hop", T, 4, 4, 0, BGP_E_NEXT_HOP, N, false, parse_next_hop},
    [BGP_ATTR_MED] = {"med", O, 4, 4, 0, BGP_E_MED, N, false, parse_med},
    [BGP_ATTR_LOCAL_PREF] = {"local-pref", T, 4, 4, 0, BGP_E_LOCAL_PREF, BGP_E_LOCAL_PREF_EBGP,
			     false, parse_local_pref},
    [BGP_ATTR_ATOMIC_AGGREGATE] = {"atomic-aggregate", T, 0, 0, 0, BGP_E_ATOMIC_AGGREGATE, N, false,
				   parse_none},
    [BGP_ATTR_AGGREGATOR] = {"aggregator", O | T, 6, 8, 0, BGP_E_AGGREGATOR, N, false,
			     parse_aggregator},
    [BGP_ATTR_COMMUNITIES] = {"communities", O | T, 4, ANY, 4, BGP_E_COMMUNITIES, N, false,
			      parse_communities},
    [BGP_ATTR_ORIGINATOR_ID] = {"originator-id", O, 4, 4, 0, BGP_E_ORIGINATOR_ID,
				BGP_E_ORIGINATOR_ID_EBGP, false, parse_originator_id},
    [BGP_ATTR_CLUSTER_LIST] = {"cluster-list", O, 4, ANY, 4, BGP_E_CLUSTER_LIST,
			       BGP_E_CLUSTER_LIST_EBGP, false, parse_cluster_list},
    [BGP_ATTR_MP_REACH_NLRI] = {"mp-reach-nlri", O, 0, ANY, 0, BGP_E_MP_REACH, N, false,
				parse_mp_reach},
    [BGP_ATTR_MP_UNREACH_NLRI] = {"mp-unreach-nlri", O, 0, ANY, 0, BGP_E_MP_UNREACH, N, false,
				  parse_mp_unreach},
    [BGP_ATTR_EXT_COMMUNITIES] = {"ext-communities", O | T, 8, ANY, 8, BGP_E_EXT_COMMUNITIES, N,
				  false, parse_ext_communities},
    [BGP_ATTR_AS4_PATH] = {"as4-path", O | T, 6, ANY, 2, BGP_E_AS4_PATH, N, true, parse_as4_path},
    [BGP_ATTR_AS4_AGGREGATOR] = {"as4-aggregator", O | T, 8, 8, 0, BGP_E_AS4_AGGREGATOR, N, true,
				 parse_as4_aggregator},
    [BGP_ATTR_IPV6_EXT_COMMUNITIES] = {"ipv6-ext-communities", O | T, 20, ANY, 20,
				       BGP_E_IPV6_EXT_COMMUNITIES, N, false,
				       parse_ipv6_ext_communities},
    [BGP_ATTR_LARGE_COMMUNITIES] = {"large-communities", O | T, 12, ANY, 12,
				    BGP_E_LARGE_COMMUNITIES, N, false, parse_large_communities},
};
#undef N

const struct bgp_attr_desc *bgp_attr_desc_get(uint8_t type)
{
	return attr_table[type].name ? &attr_table[type] : NULL;
}

const char *bgp_attr_name(uint8_t type)
{
	return attr_table[type].name ? attr_table[type].name : "unknown";
}

static void attr_raise(struct bgp_attr_ctx *c, enum bgp_err err)
{
	struct bgp_verdict *v = c->v;

	bgp_verdict_raise(v, err, c->type, rbuf_off(&c->whole), rbuf_left(&c->whole));
	/* RFC 7606 s2 / RFC 4760 s7: name the family to disable */
	if (v->action == BGP_ACT_AFISAFI_DISABLE && v->err == err && v->fam == BGP_FAM_NONE)
		v->fam = c->type == BGP_ATTR_MP_REACH_NLRI ? c->a->mp_fam : c->a->mpu_fam;
}

static bool len_ok(const struct bgp_attr_desc *d, size_t len)
{
	return len >= d->len_min && len <= d->len_max &&
	       (d->len_unit == 0 || len % d->len_unit == 0);
}

enum bgp_attr_res bgp_attr_parse(struct bgp_attr_ctx *c, struct rbuf *val)
{
	const struct bgp_attr_desc *d = bgp_attr_desc_get(c->type);
	enum bgp_attr_res res = BGP_ATTR_OK;
	enum bgp_err err;

	if (!d) {
		/* RFC 4271 s6.3: an unrecognised well-known attribute resets;
		 * unknown optional ones are kept and passed on (s5). */
		if (!(c->flags & BGP_AF_OPTIONAL))
			attr_raise(c, BGP_E_UPD_UNKNOWN_WELLKNOWN);
		return BGP_ATTR_OK;
	}
	/* RFC 7606 s7.5, s7.9, s7.10: iBGP-only attributes from an external
	 * peer are discarded, well-formed or not. */
	if (d->ebgp_err != BGP_E_NONE && !c->p->ibgp) {
		attr_raise(c, d->ebgp_err);
		return BGP_ATTR_DISCARDED;
	}
	/* RFC 6793 s6: NEW speakers discard AS4_* from NEW speakers. */
	if (d->old_only && c->p->as4) {
		attr_raise(c, BGP_E_AS4_FROM_NEW);
		return BGP_ATTR_DISCARDED;
	}
	/* RFC 7606 s3 c: Optional/Transitive conflict -> treat-as-withdraw,
	 * except where s3 f / RFC 6793 s6 mandate attribute discard. */
	if ((c->flags & (O | T)) != d->flags) {
		bool discard = bgp_err_desc(d->err)->action == BGP_ACT_ATTR_DISCARD;

		attr_raise(c, discard ? d->err : BGP_E_UPD_ATTR_FLAGS);
		if (discard)
			return BGP_ATTR_DISCARDED;
		res = BGP_ATTR_MALFORMED; /* still parsed: the NLRI views are needed */
	}
	if (!len_ok(d, rbuf_left(val)))
		err = d->err;
	else
		err = d->parse(c, val);
	if (err == BGP_E_NONE)
		return res;
	attr_raise(c, err);
	if (bgp_err_desc(err)->action == BGP_ACT_ATTR_DISCARD)
		return BGP_ATTR_DISCARDED;
	return BGP_ATTR_MALFORMED;
}
