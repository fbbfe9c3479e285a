/* slab: fixed-size records by 32-bit index; see slab.h. */
#include "rde/slab.h"

#include <stdlib.h>
#include <string.h>

void slab_init(struct slab *s, size_t rec)
{
	memset(s, 0, sizeof(*s));
	s->rec = rec < 4 ? 4 : rec;
	s->top = 1; /* index 0 is "none" */
}

void slab_fini(struct slab *s)
{
	for (uint32_t i = 0; i < s->n_chunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	memset(s, 0, sizeof(*s));
}

static int slab_grow(struct slab *s)
{
	uint8_t **c = realloc(s->chunks, (s->n_chunks + 1) * sizeof(*c));

	if (!c)
		return -1;
	s->chunks = c;
	c[s->n_chunks] = calloc(SLAB_CHUNK, s->rec);
	if (!c[s->n_chunks])
		return -1;
	s->n_chunks++;
	return 0;
}

uint32_t slab_alloc(struct slab *s)
{
	uint32_t idx;

	if (s->free_head) {
		idx = s->free_head;
		memcpy(&s->free_head, slab_at(s, idx), sizeof(uint32_t));
	} else {
		if (s->top >= UINT32_MAX - 1)
			return 0;
		if ((s->top >> SLAB_CHUNK_SHIFT) >= s->n_chunks && slab_grow(s) != 0)
			return 0;
		idx = s->top++;
	}
	memset(slab_at(s, idx), 0, s->rec);
	s->used++;
	return idx;
}

void slab_free(struct slab *s, uint32_t idx)
{
	uint8_t *p = slab_at(s, idx);

	memset(p, 0, s->rec);
	memcpy(p, &s->free_head, sizeof(uint32_t));
	s->free_head = idx;
	s->used--;
}

size_t slab_bytes(const struct slab *s)
{
	return (size_t)s->n_chunks * (SLAB_CHUNK * s->rec + sizeof(uint8_t *));
}
