/*
 * slab: fixed-size records addressed by a 32-bit index, allocated in
 * chunks so that a record costs exactly its size (no per-object malloc
 * header) and an index is half a pointer.  Free records are threaded
 * through their first four bytes.  Index 0 is never handed out, so 0 can
 * mean "none" in the records that link to each other.
 *
 * Not for: variable-size objects (intern.h), anything that must move.
 */
#ifndef VTOPO_RDE_SLAB_H
#define VTOPO_RDE_SLAB_H

#include <stddef.h>
#include <stdint.h>

#define SLAB_CHUNK_SHIFT 12
#define SLAB_CHUNK (1u << SLAB_CHUNK_SHIFT)

struct slab {
	size_t rec; /* record size in bytes (>= 4) */
	uint8_t **chunks;
	uint32_t n_chunks;
	uint32_t top;	    /* indexes [1, top) have been handed out at least once */
	uint32_t free_head; /* 0 = no free record */
	uint32_t used;	    /* records in use */
};

void slab_init(struct slab *s, size_t rec);
void slab_fini(struct slab *s);
/* A zeroed record, or 0 when out of memory. */
uint32_t slab_alloc(struct slab *s);
void slab_free(struct slab *s, uint32_t idx);
static inline void *slab_at(const struct slab *s, uint32_t idx)
{
	return s->chunks[idx >> SLAB_CHUNK_SHIFT] + (size_t)(idx & (SLAB_CHUNK - 1)) * s->rec;
}
/* Bytes held (chunks and chunk table). */
size_t slab_bytes(const struct slab *s);

#endif
