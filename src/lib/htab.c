/*
 * htab: open-addressing hash table of object pointers (see htab.h).
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
	h->cap = h->n = 0;
}

/* 64-bit FNV-1a over the key, then a murmur finaliser to spread the bits. */
uint64_t htab_hash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t x = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		x = (x ^ p[i]) * 0x100000001b3ull;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static const void *key_of(const struct htab *h, const void *obj)
{
	return (const uint8_t *)obj + h->koff;
}

static size_t find(const struct htab *h, const void *key)
{
	size_t m = h->cap - 1, i = (size_t)htab_hash(key, h->klen) & m;

	while (h->slot[i] != NULL && memcmp(key_of(h, h->slot[i]), key, h->klen) != 0)
		i = (i + 1) & m;
	return i;
}

static int grow(struct htab *h)
{
	size_t ncap = h->cap ? h->cap * 2 : 16;
	void **old = h->slot;
	size_t ocap = h->cap;

	h->slot = calloc(ncap, sizeof(void *));
	if (h->slot == NULL) {
		h->slot = old;
		return -1;
	}
	h->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i] != NULL)
			h->slot[find(h, key_of(h, old[i]))] = old[i];
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
	size_t i;
	void *old;

	if ((h->n + 1) * 4 > h->cap * 3 && grow(h) != 0)
		return obj;
	i = find(h, key_of(h, obj));
	old = h->slot[i];
	h->slot[i] = obj;
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
