/*
 * attrset: canonical attribute bytes, interning and the parsed facts; see
 * attrset.h.
 */
#include "rde/attrset.h"

#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"
#include "wire/attr.h"
#include "wire/msg.h"

#define ATTRSET_MAX 65535

int attrset_table_init(struct attrset_table *t)
{
	t->in = intern_new(sizeof(struct attrset));
	t->scratch = malloc(ATTRSET_MAX);
	return t->in && t->scratch ? 0 : -1;
}

void attrset_table_fini(struct attrset_table *t)
{
	intern_free(t->in);
	free(t->scratch);
	t->in = NULL;
	t->scratch = NULL;
}

bool attrset_next(struct rbuf *list, uint8_t *flags, uint8_t *type, struct rbuf *val)
{
	struct rbuf r = *list;
	uint8_t l8;
	uint16_t l16;
	size_t len;

	if (!rbuf_u8(&r, flags) || !rbuf_u8(&r, type))
		return false;
	if (*flags & BGP_AF_EXTLEN) {
		if (!rbuf_u16(&r, &l16))
			return false;
		len = l16;
	} else {
		if (!rbuf_u8(&r, &l8))
			return false;
		len = l8;
	}
	if (!rbuf_sub(&r, len, val))
		return false;
	*list = r;
	return true;
}

/* ---- AS path: 4-octet form, RFC 6793 s4.2.3 merge ---- */

struct widen_ctx {
	struct wbuf *w;
	unsigned take; /* AS numbers still to take from the leading part */
};

static void widen_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	struct widen_ctx *c = ctx;
	unsigned k = n;

	if (type == BGP_AS_SET) {
		if (!c->take)
			return;
		c->take--;
	} else if (type == BGP_AS_SEQUENCE) {
		k = n < c->take ? n : c->take;
		c->take -= k;
	} else if (!c->take) {
		return; /* confederation segments count 0, kept while taking */
	}
	if (!k)
		return;
	wbuf_u8(c->w, type);
	wbuf_u8(c->w, (uint8_t)k);
	for (unsigned i = 0; i < k; i++)
		wbuf_u32(c->w, asns[i]);
}

/* AS_PATH from a 2-octet speaker: widen, and when AS4_PATH is usable take
 * the leading part of AS_PATH and prepend it to AS4_PATH (RFC 6793
 * s4.2.3). */
static void put_as_path(struct wbuf *w, const struct bgp_attrs *a, bool as4, uint8_t flags)
{
	struct widen_ctx c = {.w = w, .take = ~0u};
	bool merge = !as4 && bgp_attrs_has(a, BGP_ATTR_AS4_PATH);
	size_t mark;

	if (as4) {
		bgp_attr_put(w, flags, BGP_ATTR_AS_PATH, rbuf_ptr(&a->as_path),
			     rbuf_left(&a->as_path));
		return;
	}
	/* RFC 6793 s4.2.3: an AGGREGATOR with a real AS means AS4_* are stale */
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR) && bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
	    a->aggregator_as != BGP_AS_TRANS)
		merge = false;
	if (merge) {
		unsigned n2 = bgp_aspath_len(&a->as_path, false);
		unsigned n4 = bgp_aspath_len(&a->as4_path, true);

		if (n2 < n4)
			merge = false;
		else
			c.take = n2 - n4;
	}
	mark = bgp_attr_begin(w, flags, BGP_ATTR_AS_PATH);
	bgp_aspath_walk(&a->as_path, false, widen_seg, &c);
	if (merge)
		wbuf_bytes(w, rbuf_ptr(&a->as4_path), rbuf_left(&a->as4_path));
	bgp_attr_end(w, mark);
}

static void put_aggregator(struct wbuf *w, const struct bgp_attrs *a, bool as4, uint8_t flags)
{
	uint8_t v[8];
	uint32_t as = a->aggregator_as;
	uint32_t addr = ipaddr_v4(&a->aggregator_addr);

	/* RFC 6793 s4.2.3: AS_TRANS in AGGREGATOR means AS4_AGGREGATOR holds it */
	if (!as4 && as == BGP_AS_TRANS && bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR)) {
		as = a->as4_aggregator_as;
		addr = ipaddr_v4(&a->as4_aggregator_addr);
	}
	for (int i = 0; i < 4; i++) {
		v[i] = (uint8_t)(as >> (24 - 8 * i));
		v[4 + i] = (uint8_t)(addr >> (24 - 8 * i));
	}
	bgp_attr_put(w, flags, BGP_ATTR_AGGREGATOR, v, sizeof(v));
}

static void sort_raw(const struct bgp_attrs *a, uint8_t *order)
{
	for (unsigned i = 0; i < a->n_raw; i++) {
		unsigned j = i;

		while (j > 0 && a->raw[order[j - 1]].type > a->raw[i].type) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)i;
	}
}

static void put_canonical(struct wbuf *w, const struct bgp_attrs *a, bool as4)
{
	uint8_t order[64];

	sort_raw(a, order);
	for (unsigned i = 0; i < a->n_raw; i++) {
		const struct bgp_attr_raw *r = &a->raw[order[i]];
		uint8_t flags = r->flags & (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE | BGP_AF_PARTIAL);

		switch (r->type) {
		case BGP_ATTR_MP_REACH_NLRI:
		case BGP_ATTR_MP_UNREACH_NLRI:
		case BGP_ATTR_NEXT_HOP:
			continue; /* per route or per message */
		case BGP_ATTR_AS4_PATH:
		case BGP_ATTR_AS4_AGGREGATOR:
			continue; /* merged into the 4-octet forms (RFC 6793 s4.2.3) */
		default:
			break;
		}
		if (bgp_attr_desc_get(r->type)) {
			if (!bgp_attrs_has(a, r->type))
				continue; /* malformed or discarded (RFC 7606) */
			if (r->type == BGP_ATTR_AS_PATH) {
				put_as_path(w, a, as4, flags);
				continue;
			}
			if (r->type == BGP_ATTR_AGGREGATOR) {
				put_aggregator(w, a, as4, flags);
				continue;
			}
		} else {
			/* RFC 4271 s5: unrecognised optional transitive attributes
			 * are passed on with Partial set, non-transitive ones
			 * quietly ignored */
			if (!(r->flags & BGP_AF_OPTIONAL) || !(r->flags & BGP_AF_TRANSITIVE))
				continue;
			flags |= BGP_AF_PARTIAL;
		}
		bgp_attr_put(w, flags, r->type, rbuf_ptr(&r->val), rbuf_left(&r->val));
	}
}

/* ---- facts ---- */

struct first_as {
	bool done;
	uint32_t as;
};

static void first_as_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	struct first_as *f = ctx;

	if (f->done || type == BGP_AS_CONFED_SEQUENCE || type == BGP_AS_CONFED_SET)
		return;
	f->done = true;
	/* RFC 4271 s9.1.2.2 c: a path that is empty or starts with an AS_SET
	 * has the local AS as neighbour AS (0 here) */
	if (type == BGP_AS_SEQUENCE && n)
		f->as = asns[0];
}

static void parse_facts(struct attrset *s, const uint8_t *b, size_t len)
{
	struct rbuf list, val;
	uint8_t flags, type;
	uint32_t u;

	memset(s, 0, sizeof(*s));
	rbuf_init(&list, b, len);
	while (attrset_next(&list, &flags, &type, &val)) {
		switch (type) {
		case BGP_ATTR_ORIGIN:
			if (!rbuf_u8(&val, &s->origin))
				s->origin = BGP_ORIGIN_INCOMPLETE;
			break;
		case BGP_ATTR_AS_PATH: {
			struct first_as f = {0};

			if (!bgp_aspath_valid(&val, true))
				break;
			s->as_path_len = (uint16_t)bgp_aspath_len(&val, true);
			bgp_aspath_walk(&val, true, first_as_seg, &f);
			s->neighbor_as = f.as;
			break;
		}
		case BGP_ATTR_MED:
			if (rbuf_u32(&val, &s->med))
				s->flags |= ATTRSET_HAS_MED;
			break;
		case BGP_ATTR_LOCAL_PREF:
			if (rbuf_u32(&val, &s->local_pref))
				s->flags |= ATTRSET_HAS_LOCAL_PREF;
			break;
		case BGP_ATTR_COMMUNITIES:
			while (rbuf_u32(&val, &u)) {
				if (u == COMM_NO_EXPORT || u == COMM_NO_EXPORT_SUBCONFED)
					s->flags |= ATTRSET_NO_EXPORT;
				else if (u == COMM_NO_ADVERTISE)
					s->flags |= ATTRSET_NO_ADVERTISE;
			}
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			if (rbuf_u32(&val, &s->originator_id))
				s->flags |= ATTRSET_HAS_ORIGINATOR;
			break;
		case BGP_ATTR_CLUSTER_LIST:
			s->flags |= ATTRSET_HAS_CLUSTER;
			s->cluster_len = (uint16_t)(rbuf_left(&val) / 4);
			break;
		case BGP_ATTR_EXT_COMMUNITIES:
			s->ecomm_off = (uint16_t)rbuf_off(&val);
			s->ecomm_len = (uint16_t)rbuf_left(&val);
			break;
		default:
			break;
		}
	}
}

uint32_t attrset_from_bytes(struct attrset_table *t, const uint8_t *b, size_t len)
{
	bool created;
	uint32_t id = intern_get(t->in, b, len, &created);

	if (id && created) {
		size_t n;
		const uint8_t *d = intern_data(t->in, id, &n);

		parse_facts(intern_user(t->in, id), d, n);
	}
	return id;
}

uint32_t attrset_from_update(struct attrset_table *t, const struct bgp_attrs *a, bool as4)
{
	struct wbuf w;

	wbuf_init(&w, t->scratch, ATTRSET_MAX);
	put_canonical(&w, a, as4);
	if (!wbuf_ok(&w))
		return 0;
	return attrset_from_bytes(t, t->scratch, wbuf_len(&w));
}

void attrset_bytes(const struct attrset_table *t, uint32_t id, struct rbuf *r)
{
	size_t len;
	const uint8_t *d = intern_data(t->in, id, &len);

	rbuf_init(r, d, len);
}

bool attrset_find(const struct attrset_table *t, uint32_t id, uint8_t type, uint8_t *flags,
		  struct rbuf *val)
{
	struct rbuf list;
	uint8_t f, ty;

	attrset_bytes(t, id, &list);
	while (attrset_next(&list, &f, &ty, val)) {
		if (ty == type) {
			if (flags)
				*flags = f;
			return true;
		}
		if (ty > type)
			break;
	}
	return false;
}
