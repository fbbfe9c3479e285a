/*
 * rib: net records, keys by family and the net hash; see rib.h.
 */
#include "rde/rib.h"

#include <stdlib.h>
#include <string.h>

#include "rde/intern.h"

/* Key layouts (bytes):
 *   PREFIX/LABELED  len, address (4 or 16)
 *   VPN             RD (8), len, address
 *   RTC             len, origin AS (4), route target (8)
 *   FLOW            pointer to {u16 length, bytes}
 *   VPNFLOW         RD (8), pointer */
static uint8_t key_len(enum bgp_fam fam)
{
	const struct bgp_fam_desc *d = &bgp_fam_table[fam];
	uint8_t ab = d->addr_afi == BGP_AFI_IPV6 ? 16 : 4;

	switch (d->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		return 1 + ab;
	case BGP_NK_VPN:
		return 8 + 1 + ab;
	case BGP_NK_RTC:
		return 13;
	case BGP_NK_FLOW:
		return sizeof(void *);
	case BGP_NK_VPNFLOW:
		return 8 + sizeof(void *);
	}
	return 0;
}

static bool is_flow(enum bgp_fam fam)
{
	enum bgp_nlri_kind k = bgp_fam_table[fam].kind;

	return k == BGP_NK_FLOW || k == BGP_NK_VPNFLOW;
}

int rib_init(struct rib *r, enum bgp_fam fam)
{
	memset(r, 0, sizeof(*r));
	r->fam = fam;
	r->klen = key_len(fam);
	/* header + key, rounded to 4 bytes (8 when the key holds a pointer) */
	size_t rec = sizeof(struct rib_net) + r->klen;
	size_t al = is_flow(fam) ? 8 : 4;

	slab_init(&r->nets, (rec + al - 1) & ~(al - 1));
	return 0;
}

static uint8_t *flow_blob(const struct rib *r, const struct rib_net *net)
{
	uint8_t *p;
	size_t off = bgp_fam_table[r->fam].kind == BGP_NK_VPNFLOW ? 8 : 0;

	memcpy(&p, net->key + off, sizeof(p));
	return p;
}

void rib_fini(struct rib *r)
{
	if (is_flow(r->fam))
		for (uint32_t i = 1; i < r->nets.top; i++) {
			struct rib_net *net = rib_net_at(r, i);

			if (net->flags & RIB_NET_USED)
				free(flow_blob(r, net));
		}
	slab_fini(&r->nets);
	free(r->hash);
	free(r->tags);
	memset(r, 0, sizeof(*r));
}

/* The key of n in `key` (klen bytes); for flow families *flow is the
 * component view to compare/copy instead of the pointer. */
static void make_key(const struct rib *r, const struct bgp_nlri *n, uint8_t *key)
{
	const struct bgp_fam_desc *d = &bgp_fam_table[r->fam];
	unsigned ab = d->addr_afi == BGP_AFI_IPV6 ? 16 : 4;

	memset(key, 0, r->klen);
	switch (d->kind) {
	case BGP_NK_VPN:
		memcpy(key, n->rd.b, 8);
		key += 8;
		__attribute__((fallthrough)); /* C23 [[fallthrough]] */
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED: {
		struct prefix p = n->pfx;

		prefix_normalize(&p);
		key[0] = p.len;
		memcpy(key + 1, p.b, ab);
		break;
	}
	case BGP_NK_RTC:
		key[0] = n->rtc_len;
		for (int i = 0; i < 4; i++)
			key[1 + i] = (uint8_t)(n->rtc_origin_as >> (24 - 8 * i));
		memcpy(key + 5, n->rtc_rt.b, 8);
		break;
	case BGP_NK_VPNFLOW:
		memcpy(key, n->rd.b, 8);
		break;
	case BGP_NK_FLOW:
		break;
	}
}

static uint32_t net_hash(const struct rib *r, const uint8_t *key, const struct rbuf *flow)
{
	uint32_t h;

	if (!is_flow(r->fam))
		return intern_hash(key, r->klen);
	h = intern_hash(rbuf_ptr(flow), rbuf_left(flow));
	if (bgp_fam_table[r->fam].kind == BGP_NK_VPNFLOW)
		h ^= intern_hash(key, 8) * 0x9e3779b1u;
	return h;
}

static uint32_t net_hash_of(const struct rib *r, uint32_t idx)
{
	const struct rib_net *net = rib_net_at(r, idx);
	struct rbuf flow;

	if (is_flow(r->fam)) {
		const uint8_t *b = flow_blob(r, net);
		uint16_t len;

		memcpy(&len, b, 2);
		rbuf_init(&flow, b + 2, len);
		return net_hash(r, net->key, &flow);
	}
	return net_hash(r, net->key, NULL);
}

static bool net_eq(const struct rib *r, const struct rib_net *net, const uint8_t *key,
		   const struct rbuf *flow)
{
	const uint8_t *b;
	uint16_t len;

	if (!is_flow(r->fam))
		return memcmp(net->key, key, r->klen) == 0;
	if (bgp_fam_table[r->fam].kind == BGP_NK_VPNFLOW && memcmp(net->key, key, 8) != 0)
		return false;
	b = flow_blob(r, net);
	memcpy(&len, b, 2);
	return len == rbuf_left(flow) && memcmp(b + 2, rbuf_ptr(flow), len) == 0;
}

/* Slot for hash h in a table of cap slots (multiply-shift, any cap). */
static inline uint32_t home(uint32_t h, uint32_t cap)
{
	return (uint32_t)(((uint64_t)h * cap) >> 32);
}

/* Probe for n: its net, or 0 with *slot the slot an insert should take
 * (the first tombstone on the way, else the empty slot that ended it). */
static uint32_t lookup(const struct rib *r, const struct bgp_nlri *n, uint8_t *key, uint32_t *slot,
		       uint8_t *tag)
{
	uint32_t h, i, idx, free_slot = UINT32_MAX;

	make_key(r, n, key);
	if (!r->hcap)
		return 0;
	h = net_hash(r, key, &n->flow);
	for (i = home(h, r->hcap); (idx = r->hash[i]) != 0; i = i + 1 == r->hcap ? 0 : i + 1) {
		if (idx == RIB_TOMB) {
			if (free_slot == UINT32_MAX)
				free_slot = i;
		} else if (r->tags[i] == (uint8_t)h &&
			   net_eq(r, rib_net_at(r, idx), key, &n->flow)) {
			return idx;
		}
	}
	if (slot)
		*slot = free_slot != UINT32_MAX ? free_slot : i;
	if (tag)
		*tag = (uint8_t)h;
	return 0;
}

void rib_net_prefetch(const struct rib *r, const struct bgp_nlri *n)
{
	uint8_t key[32];
	uint32_t i;

	if (!r->hcap || is_flow(r->fam))
		return;
	make_key(r, n, key);
	i = home(net_hash(r, key, NULL), r->hcap);
	__builtin_prefetch(&r->hash[i]);
	__builtin_prefetch(&r->tags[i]);
}

uint32_t rib_net_find(const struct rib *r, const struct bgp_nlri *n)
{
	uint8_t key[32];

	return lookup(r, n, key, NULL, NULL);
}

void rib_net_prefetch_idx(const struct rib *r, uint32_t idx)
{
	uint32_t i;

	if (!r->hcap || is_flow(r->fam))
		return;
	i = home(net_hash_of(r, idx), r->hcap);
	__builtin_prefetch(&r->hash[i]);
}

/* Rebuild the table from the nets (dropping tombstones): grown by half,
 * or at the same size when tombstones are what filled it. */
static int grow(struct rib *r)
{
	uint32_t cap = !r->hcap				   ? 1024
		       : (uint64_t)r->hcount * 2 < r->hcap ? r->hcap
							   : r->hcap + r->hcap / 2;
	uint32_t *h = calloc(cap, sizeof(*h));
	uint8_t *t = calloc(cap, 1);

	if (!h || !t) {
		free(h);
		free(t);
		return -1;
	}
	/* Walk the nets in slab order, not in old-slot order: sequential reads
	 * of the records instead of one cache miss per net.  The writes into
	 * the new table are random, so hash a batch first and prefetch its
	 * home slots, then place the batch (rehashing a million nets without
	 * either cost a quarter of the intake time). */
	enum { BATCH = 16 };
	uint32_t bidx[BATCH], bhv[BATCH], n = 0;

	for (uint32_t idx = 1; idx <= rib_net_top(r); idx++) {
		bool last = idx == rib_net_top(r);

		if (!last && (rib_net_at(r, idx)->flags & RIB_NET_USED)) {
			bidx[n] = idx;
			bhv[n] = net_hash_of(r, idx);
			__builtin_prefetch(&h[home(bhv[n], cap)], 1);
			n++;
		}
		if (n < BATCH && !last)
			continue;
		for (uint32_t k = 0; k < n; k++) {
			uint32_t j;

			for (j = home(bhv[k], cap); h[j]; j = j + 1 == cap ? 0 : j + 1)
				;
			h[j] = bidx[k];
			t[j] = (uint8_t)bhv[k];
		}
		n = 0;
	}
	free(r->hash);
	free(r->tags);
	r->hash = h;
	r->tags = t;
	r->hcap = cap;
	r->htombs = 0;
	return 0;
}

uint32_t rib_net_get(struct rib *r, const struct bgp_nlri *n)
{
	uint8_t key[32];
	uint32_t slot = 0, idx;
	uint8_t tag = 0;
	struct rib_net *net;

	/* at most 3/4 full (tombstones count, they lengthen probes too):
	 * linear probing's misses grow as 1/(1-load)^2 */
	if ((uint64_t)(r->hcount + r->htombs + 1) * 4 > (uint64_t)r->hcap * 3 && grow(r) != 0)
		return 0;
	idx = lookup(r, n, key, &slot, &tag);
	if (idx)
		return idx;
	idx = slab_alloc(&r->nets);
	if (!idx)
		return 0;
	net = rib_net_at(r, idx);
	memcpy(net->key, key, r->klen);
	if (is_flow(r->fam)) {
		size_t len = rbuf_left(&n->flow);
		uint8_t *b = malloc(2 + len);
		uint16_t l16 = (uint16_t)len;
		size_t off = bgp_fam_table[r->fam].kind == BGP_NK_VPNFLOW ? 8 : 0;

		if (!b) {
			slab_free(&r->nets, idx);
			return 0;
		}
		memcpy(b, &l16, 2);
		if (len)
			memcpy(b + 2, rbuf_ptr(&n->flow), len);
		memcpy(net->key + off, &b, sizeof(b));
		r->flow_bytes += 2 + len;
	}
	net->flags = RIB_NET_USED;
	if (r->hash[slot] == RIB_TOMB)
		r->htombs--;
	r->hash[slot] = idx;
	r->tags[slot] = tag;
	r->hcount++;
	return idx;
}

void rib_net_free(struct rib *r, uint32_t idx)
{
	uint32_t cap = r->hcap, i;

	for (i = home(net_hash_of(r, idx), cap); r->hash[i] != idx; i = i + 1 == cap ? 0 : i + 1)
		;
	/* a tombstone, unless nothing probes past this slot (the next is empty) */
	if (r->hash[i + 1 == cap ? 0 : i + 1] == 0) {
		r->hash[i] = 0;
	} else {
		r->hash[i] = RIB_TOMB;
		r->htombs++;
	}
	r->hcount--;
	if (is_flow(r->fam)) {
		uint8_t *b = flow_blob(r, rib_net_at(r, idx));
		uint16_t len;

		memcpy(&len, b, 2);
		r->flow_bytes -= 2 + (size_t)len;
		free(b);
	}
	slab_free(&r->nets, idx);
}

void rib_net_nlri(const struct rib *r, uint32_t idx, struct bgp_nlri *n)
{
	const struct rib_net *net = rib_net_at(r, idx);
	const struct bgp_fam_desc *d = &bgp_fam_table[r->fam];
	const uint8_t *key = net->key;
	unsigned ab = d->addr_afi == BGP_AFI_IPV6 ? 16 : 4;

	memset(n, 0, sizeof(*n));
	n->fam = r->fam;
	switch (d->kind) {
	case BGP_NK_VPN:
		memcpy(n->rd.b, key, 8);
		key += 8;
		__attribute__((fallthrough)); /* C23 [[fallthrough]] */
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		n->pfx.afi = d->addr_afi;
		n->pfx.len = key[0];
		memcpy(n->pfx.b, key + 1, ab);
		break;
	case BGP_NK_RTC:
		n->rtc_len = key[0];
		n->rtc_origin_as = (uint32_t)key[1] << 24 | (uint32_t)key[2] << 16 |
				   (uint32_t)key[3] << 8 | key[4];
		memcpy(n->rtc_rt.b, key + 5, 8);
		break;
	case BGP_NK_VPNFLOW:
		memcpy(n->rd.b, key, 8);
		__attribute__((fallthrough)); /* C23 [[fallthrough]] */
	case BGP_NK_FLOW: {
		const uint8_t *b = flow_blob(r, net);
		uint16_t len;

		memcpy(&len, b, 2);
		rbuf_init(&n->flow, b + 2, len);
		break;
	}
	}
}

size_t rib_bytes_nets(const struct rib *r)
{
	return slab_bytes(&r->nets) + r->flow_bytes;
}

size_t rib_bytes_hash(const struct rib *r)
{
	return (size_t)r->hcap * (sizeof(uint32_t) + sizeof(uint8_t)); /* slots + tags */
}
