/*
 * htab: an open-addressing hash table of object pointers, keyed by a byte
 * range inside each object (linear probing, backward-shift deletion, grows
 * at 3/4 load).  The key bytes are compared with memcmp(), so callers zero
 * the padding of their key structs.
 *
 * One slot is 9 bytes (the pointer and a one-octet tag of the hash that
 * spares most memcmp() calls); objects are owned by the caller and never
 * moved.
 *
 * Not for: ordered walks (iteration order is the slot order).
 */
#ifndef VTOPO_HTAB_H
#define VTOPO_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab {
	void **slot;
	uint8_t *tag; /* top octet of each slot's hash, in slot's allocation */
	size_t cap;   /* power of two, or 0 */
	size_t n;
	size_t koff, klen; /* key = ((uint8_t *)obj)[koff .. koff+klen) */
};

void htab_init(struct htab *h, size_t koff, size_t klen);
void htab_free(struct htab *h); /* the slots, not the objects */
uint64_t htab_hash(const void *key, size_t len);
void *htab_get(const struct htab *h, const void *key);
/* Insert obj; returns the object it replaced (same key) or NULL.
 * Returns obj itself on allocation failure (nothing inserted). */
void *htab_put(struct htab *h, void *obj);
/* Remove and return the object with this key, or NULL. */
void *htab_del(struct htab *h, const void *key);
/* Iterate: for (size_t i = 0; (o = htab_next(h, &i)) != NULL;) ... the
 * table must not change during the walk. */
void *htab_next(const struct htab *h, size_t *i);
static inline size_t htab_count(const struct htab *h)
{
	return h->n;
}
static inline size_t htab_bytes(const struct htab *h)
{
	return h->cap * (sizeof(void *) + 1);
}

#endif
