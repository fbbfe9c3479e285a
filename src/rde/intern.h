/*
 * intern: hash-consed, reference-counted byte strings with 32-bit ids
 * (one copy of each distinct value).  Each object may carry a fixed-size
 * user area (parsed facts about the bytes, filled once on creation).
 * Ids are reused after the last reference goes; intern_gen() changes on
 * every reuse, so a cache keyed by (id, gen) never confuses two values.
 *
 * Used for attribute sets (attrset.h), next hops and label stacks.
 *
 * Not for: parsing; the caller decides what the bytes mean.
 */
#ifndef VTOPO_RDE_INTERN_H
#define VTOPO_RDE_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct intern;

struct intern *intern_new(size_t user_size);
void intern_free(struct intern *t);
/* The id of the value (created when new, *created says so), with one more
 * reference; 0 when out of memory or len > 65535. */
uint32_t intern_get(struct intern *t, const void *data, size_t len, bool *created);
void intern_ref(struct intern *t, uint32_t id);
/* Drop one reference; true when the object was freed. */
bool intern_unref(struct intern *t, uint32_t id);
const uint8_t *intern_data(const struct intern *t, uint32_t id, size_t *len);
void *intern_user(const struct intern *t, uint32_t id);
uint32_t intern_refcnt(const struct intern *t, uint32_t id);
uint32_t intern_gen(const struct intern *t, uint32_t id);
/* Accounting: live objects and bytes held (objects, id table, hash). */
size_t intern_count(const struct intern *t);
size_t intern_bytes(const struct intern *t);

uint32_t intern_hash(const void *data, size_t len);

#endif
