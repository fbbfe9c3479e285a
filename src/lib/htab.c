/*
 * htab: open-addressing hash table of object pointers (see htab.h).
 *
 * Beside each slot a one-octet tag holds the top bits of its object's
 * hash: a probe compares the tag first and calls memcmp() only when it
 * matches, so the run of occupied slots that linear probing walks costs
 * one byte load per slot that is not the key (the same idea as the RDE's
 * net hash, rib.h).
 */
#include "lib/htab.h"

#include <stdlib.h>
#include <string.h>

void htab_init(struct htab *h, size_t koff, size_t klen)
{
	memset(h, 0, sizeof(*h));
	h->koff = koff;
	h->klen = klen;
}

void htab_free(struct htab *h)
{
	free(h->slot);
	h->slot = NULL;
	h->tag = NULL;
	h->cap = h->n = 0;
}

/* Eight octets at a time, each word mixed in by a multiply, the tail
 * zero-padded, then a murmur finaliser to spread the bits (the index
 * takes the low bits, the tag the top ones). */
uint64_t htab_hash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t x = 0xcbf29ce484222325ull ^ (len * 0x9e3779b97f4a7c15ull), w;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w, p, 8);
		x = (x ^ w) * 0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		x = (x ^ w) * 0x9e3779b97f4a7c15ull;
	}
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static const void *key_of(const struct htab *h, const void *obj)
{
	return (const uint8_t *)obj + h->koff;
}

static uint8_t tag_of(uint64_t hv)
{
	return (uint8_t)(hv >> 56);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_hv(const struct htab *h, const void *key, uint64_t hv)
{
	size_t m = h->cap - 1, i = (size_t)hv & m;
	uint8_t t = tag_of(hv);

	while (h->slot[i] != NULL &&
	       (h->tag[i] != t || memcmp(key_of(h, h->slot[i]), key, h->klen) != 0))
		i = (i + 1) & m;
	return i;
}

static size_t find(const struct htab *h, const void *key)
{
	return find_hv(h, key, htab_hash(key, h->klen));
}

/* slot[cap] and tag[cap] in one allocation */
static int grow(struct htab *h)
{
	size_t ncap = h->cap ? h->cap * 2 : 16, ocap = h->cap;
	void **old = h->slot, **ns = calloc(ncap, sizeof(void *) + 1);

	if (ns == NULL)
		return -1;
	h->slot = ns;
	h->tag = (uint8_t *)(ns + ncap);
	h->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i] != NULL) {
			uint64_t hv = htab_hash(key_of(h, old[i]), h->klen);
			size_t j = find_hv(h, key_of(h, old[i]), hv);

			h->slot[j] = old[i];
			h->tag[j] = tag_of(hv);
		}
	free(old);
	return 0;
}

void *htab_get(const struct htab *h, const void *key)
{
	if (h->cap == 0)
		return NULL;
	return h->slot[find(h, key)];
}

void *htab_put(struct htab *h, void *obj)
{
	uint64_t hv;
	size_t i;
	void *old;

	if ((h->n + 1) * 4 > h->cap * 3 && grow(h) != 0)
		return obj;
	hv = htab_hash(key_of(h, obj), h->klen);
	i = find_hv(h, key_of(h, obj), hv);
	old = h->slot[i];
	h->slot[i] = obj;
	h->tag[i] = tag_of(hv);
	if (old == NULL)
		h->n++;
	return old;
}

void *htab_del(struct htab *h, const void *key)
{
	size_t m, i, j;
	void *obj;

	if (h->cap == 0)
		return NULL;
	m = h->cap - 1;
	i = find(h, key);
	obj = h->slot[i];
	if (obj == NULL)
		return NULL;
	h->slot[i] = NULL;
	h->n--;
	/* backward shift: move later members of the run into the hole when
	 * their home slot is not between the hole and them */
	for (j = (i + 1) & m; h->slot[j] != NULL; j = (j + 1) & m) {
		size_t home = (size_t)htab_hash(key_of(h, h->slot[j]), h->klen) & m;

		if (((j - home) & m) >= ((j - i) & m)) {
			h->slot[i] = h->slot[j];
			h->tag[i] = h->tag[j];
			h->slot[j] = NULL;
			i = j;
		}
	}
	return obj;
}

void *htab_next(const struct htab *h, size_t *i)
{
	while (*i < h->cap) {
		void *o = h->slot[(*i)++];

		if (o != NULL)
			return o;
	}
	return NULL;
}
