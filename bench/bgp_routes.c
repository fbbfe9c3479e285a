/*
 * bgp_routes: route numbers <-> NLRIs, and the pre-encoded UPDATE streams
 * the generator sends (see bgp_routes.h for the route set).
 *
 * Not for: sockets or timing.
 */
#include "bgp_routes.h"

#include <stdlib.h>
#include <string.h>

#include "lib/label.h"
#include "lib/wbuf.h"
#include "wire/msg.h"
#include "wire/update.h"

#define VPN_NET 0xc6130000u	/* 198.19.0.0/16 */
#define UNICAST_NET 0x0a000000u /* 10.0.0.0/8 */
#define VRF_BASE 100u
#define BLOCK_BYTES (256u * 1024u)

static uint32_t route_vrf(uint32_t k)
{
	return k >> 16;
}

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void bgp_routes_nlri(enum bgp_fam fam, uint32_t k, struct bgp_nlri *n)
{
	uint32_t vrf = route_vrf(k);

	memset(n, 0, sizeof(*n));
	n->fam = fam;
	n->pfx.afi = AFI_IPV4;
	n->pfx.len = 32;
	if (fam != BGP_FAM_VPNV4) {
		put_be32(n->pfx.b, UNICAST_NET | (k & 0xffffff));
		return;
	}
	put_be32(n->pfx.b, VPN_NET | (k & 0xffff));
	/* RFC 4364 s4.2: type 0, 2-octet AS administrator, 4-octet number */
	n->rd.b[2] = BGP_ROUTES_AS >> 8;
	n->rd.b[3] = BGP_ROUTES_AS & 0xff;
	put_be32(n->rd.b + 4, VRF_BASE + vrf);
	n->labels.n = 1;
	n->labels.e[0] = label_entry(VRF_BASE + vrf, true);
}

int64_t bgp_routes_index(const struct bgp_nlri *n)
{
	uint32_t a = get_be32(n->pfx.b), num;

	if (n->pfx.afi != AFI_IPV4 || n->pfx.len != 32)
		return -1;
	if (n->fam == BGP_FAM_IPV4_UNICAST)
		return (a & 0xff000000u) == UNICAST_NET ? (int64_t)(a & 0xffffff) : -1;
	if (n->fam != BGP_FAM_VPNV4 || (a & 0xffff0000u) != VPN_NET)
		return -1;
	num = get_be32(n->rd.b + 4);
	if (rd_type(&n->rd) != 0 || n->rd.b[2] != (BGP_ROUTES_AS >> 8) ||
	    n->rd.b[3] != (BGP_ROUTES_AS & 0xff) || num < VRF_BASE || num - VRF_BASE > 0xff)
		return -1;
	return (int64_t)((num - VRF_BASE) << 16 | (a & 0xffff));
}

void bgp_routes_rt(uint32_t k, struct ecomm *rt)
{
	/* RFC 4360 s4: two-octet AS specific route target */
	memset(rt, 0, sizeof(*rt));
	rt->b[0] = ECOMM_T_AS2;
	rt->b[1] = ECOMM_ST_RT;
	rt->b[2] = BGP_ROUTES_AS >> 8;
	rt->b[3] = BGP_ROUTES_AS & 0xff;
	put_be32(rt->b + 4, VRF_BASE + route_vrf(k));
}

/* Routes k and k' can share one UPDATE iff their keys are equal. */
static uint64_t set_key(const struct bgp_routes_cfg *c, uint32_t k)
{
	uint64_t set = c->attr_every ? k / c->attr_every : 0;

	return (uint64_t)(c->fam == BGP_FAM_VPNV4 ? route_vrf(k) : 0) << 32 | set;
}

/* ORIGIN, AS_PATH, NEXT_HOP (unicast), MED and COMMUNITIES (varied sets):
 * the attributes below MP_REACH_NLRI, in type-code order. */
static void attrs_low_put(struct wbuf *w, const struct bgp_routes_cfg *c, uint32_t k, bool as4)
{
	uint8_t origin = BGP_ORIGIN_IGP, path[6], nh[4], med[4], comm[4];
	uint32_t set;

	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, &origin, 1);
	/* RFC 4271 s4.3 / RFC 6793 s3: one AS_SEQUENCE of the sender's AS */
	path[0] = BGP_AS_SEQUENCE;
	path[1] = 1;
	if (as4) {
		put_be32(path + 2, c->local_as);
	} else {
		path[2] = (uint8_t)(c->local_as >> 8);
		path[3] = (uint8_t)c->local_as;
	}
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, path, as4 ? 6 : 4);
	if (c->fam == BGP_FAM_IPV4_UNICAST) {
		put_be32(nh, c->next_hop);
		bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_NEXT_HOP, nh, 4);
	}
	if (!c->attr_every)
		return;
	set = k / c->attr_every;
	put_be32(med, set);
	bgp_attr_put(w, BGP_AF_OPTIONAL, BGP_ATTR_MED, med, 4);
	put_be32(comm, (uint32_t)BGP_ROUTES_AS << 16 | (set & 0xffff));
	bgp_attr_put(w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, BGP_ATTR_COMMUNITIES, comm, 4);
}

/* NLRIs from k while they fit (keeping `reserve` octets) and share k's
 * key; returns how many. */
static uint32_t nlri_fill(struct wbuf *w, const struct bgp_routes_cfg *c, uint32_t k, uint32_t end,
			  bool withdraw, size_t reserve)
{
	uint64_t key = set_key(c, k);
	struct bgp_nlri n;
	uint32_t i;

	for (i = k; i < end; i++) {
		size_t before = wbuf_mark(w);

		if (!withdraw && set_key(c, i) != key)
			break;
		bgp_routes_nlri(c->fam, i, &n);
		if (withdraw)
			n.labels.n = 0; /* RFC 8277 s2.4: the encoder writes 0x800000 */
		bgp_nlri_encode(w, &n, false, withdraw);
		if (!wbuf_ok(w) || wbuf_room(w) < reserve) {
			wbuf_truncate(w, before);
			break;
		}
	}
	return i - k;
}

/* One announcement UPDATE starting at route k; returns the routes in it. */
static uint32_t announce_put(struct wbuf *w, const struct bgp_routes_cfg *c, uint32_t k,
			     uint32_t end, bool as4)
{
	struct ecomm rt;
	size_t hdr, alen, mp;
	uint32_t n;

	hdr = bgp_hdr_begin(w, BGP_MSG_UPDATE);
	wbuf_u16(w, 0); /* withdrawn routes length */
	alen = wbuf_mark(w);
	wbuf_u16(w, 0);
	attrs_low_put(w, c, k, as4);
	if (c->fam == BGP_FAM_IPV4_UNICAST) {
		wbuf_patch_u16(w, alen, (uint16_t)(wbuf_mark(w) - alen - 2));
		n = nlri_fill(w, c, k, end, false, 0);
		bgp_hdr_end(w, hdr);
		return n;
	}
	/* RFC 4760 s3, RFC 4364 s4.3.2: next hop is an RD of zeros + IPv4 */
	mp = bgp_attr_begin(w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
	wbuf_u16(w, BGP_AFI_IPV4);
	wbuf_u8(w, BGP_SAFI_VPN);
	wbuf_u8(w, 12);
	wbuf_zero(w, 8);
	wbuf_u32(w, c->next_hop);
	wbuf_u8(w, 0); /* reserved */
	n = nlri_fill(w, c, k, end, false, 3 + 8);
	bgp_attr_end(w, mp);
	bgp_routes_rt(k, &rt);
	bgp_attr_put(w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, BGP_ATTR_EXT_COMMUNITIES, rt.b, 8);
	wbuf_patch_u16(w, alen, (uint16_t)(wbuf_mark(w) - alen - 2));
	bgp_hdr_end(w, hdr);
	return n;
}

/* One withdrawal UPDATE starting at route k. */
static uint32_t withdraw_put(struct wbuf *w, const struct bgp_routes_cfg *c, uint32_t k,
			     uint32_t end)
{
	size_t hdr, mark, mp;
	uint32_t n;

	hdr = bgp_hdr_begin(w, BGP_MSG_UPDATE);
	mark = wbuf_mark(w);
	wbuf_u16(w, 0);
	if (c->fam == BGP_FAM_IPV4_UNICAST) {
		/* RFC 4271 s4.3: Withdrawn Routes field */
		n = nlri_fill(w, c, k, end, true, 2);
		wbuf_patch_u16(w, mark, (uint16_t)(wbuf_mark(w) - mark - 2));
		wbuf_u16(w, 0);
		bgp_hdr_end(w, hdr);
		return n;
	}
	mark = wbuf_mark(w);
	wbuf_u16(w, 0);
	/* RFC 4760 s4: MP_UNREACH_NLRI is the only attribute */
	mp = bgp_attr_begin(w, BGP_AF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI);
	wbuf_u16(w, BGP_AFI_IPV4);
	wbuf_u8(w, BGP_SAFI_VPN);
	n = nlri_fill(w, c, k, end, true, 0);
	bgp_attr_end(w, mp);
	wbuf_patch_u16(w, mark, (uint16_t)(wbuf_mark(w) - mark - 2));
	bgp_hdr_end(w, hdr);
	return n;
}

static bool block_add(struct bgp_stream *s, size_t off)
{
	size_t *b = realloc(s->blocks, (s->n_blocks + 1) * sizeof(*b));

	if (!b)
		return false;
	s->blocks = b;
	s->blocks[s->n_blocks++] = off;
	return true;
}

bool bgp_stream_build(struct bgp_stream *s, const struct bgp_routes_cfg *cfg, bool as4,
		      bool withdraw)
{
	/* an NLRI is at most 16 octets; an UPDATE holds at least one */
	size_t cap = (size_t)cfg->count * 17 + BGP_MAX_LEN * 2;
	uint32_t k = cfg->first, end = cfg->first + cfg->count;
	size_t last_block = 0;

	memset(s, 0, sizeof(*s));
	if (cfg->count > BGP_ROUTES_MAX || end > BGP_ROUTES_MAX)
		return false;
	if (cfg->attr_every)
		cap += (size_t)(cfg->count / cfg->attr_every + 1) * 128;
	cap += (size_t)(cfg->count / 65536 + 1) * 128; /* VRF boundaries */
	s->buf = malloc(cap);
	if (!s->buf || !block_add(s, 0))
		goto fail;
	while (k < end) {
		struct wbuf w;
		size_t room = cap - s->len;
		uint32_t n;

		wbuf_init(&w, s->buf + s->len, room < BGP_MAX_LEN ? room : BGP_MAX_LEN);
		n = withdraw ? withdraw_put(&w, cfg, k, end) : announce_put(&w, cfg, k, end, as4);
		if (!wbuf_ok(&w) || n == 0)
			goto fail;
		k += n;
		s->len += wbuf_len(&w);
		s->n_msgs++;
		if (s->len - last_block >= BLOCK_BYTES && k < end) {
			last_block = s->len;
			if (!block_add(s, s->len))
				goto fail;
		}
	}
	return true;
fail:
	bgp_stream_free(s);
	return false;
}

void bgp_stream_free(struct bgp_stream *s)
{
	free(s->buf);
	free(s->blocks);
	memset(s, 0, sizeof(*s));
}
