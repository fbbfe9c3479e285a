/*
 * intern: hash-consed byte strings; see intern.h.  Objects are malloc'ed
 * one each (there are few of them: one per distinct attribute set, next
 * hop or label stack); the id table and an open-addressing hash of ids
 * (linear probing, backward-shift deletion, no tombstones) find them.
 */
#include "rde/intern.h"

#include <stdlib.h>
#include <string.h>

struct intern_obj {
	uint32_t refcnt;
	uint32_t hash;
	uint16_t len;
	uint8_t pad[6];
	/* user area (rounded to 8), then the bytes */
	uint8_t body[];
};

struct intern {
	size_t user;		  /* rounded to 8 */
	struct intern_obj **objs; /* by id; [0] unused */
	uint32_t *gens;
	uint32_t n_ids, cap_ids;
	uint32_t *free_ids;
	uint32_t n_free;
	uint32_t *hash; /* ids, 0 = empty */
	uint32_t hcap;	/* power of two */
	size_t count, obj_bytes;
};

uint32_t intern_hash(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u; /* FNV-1a, then a final mix */

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

struct intern *intern_new(size_t user_size)
{
	struct intern *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->user = (user_size + 7) & ~(size_t)7;
	t->n_ids = 1;
	return t;
}

void intern_free(struct intern *t)
{
	if (!t)
		return;
	for (uint32_t i = 1; i < t->n_ids; i++)
		free(t->objs[i]);
	free(t->objs);
	free(t->gens);
	free(t->free_ids);
	free(t->hash);
	free(t);
}

static const uint8_t *obj_data(const struct intern *t, const struct intern_obj *o)
{
	return o->body + t->user;
}

static int hash_resize(struct intern *t, uint32_t cap)
{
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -1;
	for (uint32_t i = 0; i < t->hcap; i++) {
		uint32_t id = t->hash[i];

		if (!id)
			continue;
		uint32_t j = t->objs[id]->hash & (cap - 1);

		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = id;
	}
	free(t->hash);
	t->hash = h;
	t->hcap = cap;
	return 0;
}

static uint32_t new_id(struct intern *t)
{
	if (t->n_free)
		return t->free_ids[--t->n_free];
	if (t->n_ids >= t->cap_ids) {
		uint32_t cap = t->cap_ids ? t->cap_ids * 2 : 64;
		struct intern_obj **o = realloc(t->objs, cap * sizeof(*o));

		if (!o)
			return 0;
		t->objs = o;
		uint32_t *g = realloc(t->gens, cap * sizeof(*g));

		if (!g)
			return 0;
		t->gens = g;
		uint32_t *f = realloc(t->free_ids, cap * sizeof(*f));

		if (!f)
			return 0;
		t->free_ids = f;
		t->cap_ids = cap;
	}
	t->objs[t->n_ids] = NULL;
	t->gens[t->n_ids] = 0;
	return t->n_ids++;
}

uint32_t intern_get(struct intern *t, const void *data, size_t len, bool *created)
{
	uint32_t h = intern_hash(data, len), id, j;
	struct intern_obj *o;

	if (created)
		*created = false;
	if (len > UINT16_MAX)
		return 0;
	if ((t->count + 1) * 4 > (size_t)t->hcap * 3 && hash_resize(t, t->hcap ? t->hcap * 2 : 64))
		return 0;
	for (j = h & (t->hcap - 1); (id = t->hash[j]) != 0; j = (j + 1) & (t->hcap - 1)) {
		o = t->objs[id];
		if (o->hash == h && o->len == len && memcmp(obj_data(t, o), data, len) == 0) {
			o->refcnt++;
			return id;
		}
	}
	o = calloc(1, sizeof(*o) + t->user + len);
	if (!o)
		return 0;
	id = new_id(t);
	if (!id) {
		free(o);
		return 0;
	}
	o->refcnt = 1;
	o->hash = h;
	o->len = (uint16_t)len;
	if (len)
		memcpy(o->body + t->user, data, len);
	t->objs[id] = o;
	t->gens[id]++;
	t->hash[j] = id;
	t->count++;
	t->obj_bytes += sizeof(*o) + t->user + len;
	if (created)
		*created = true;
	return id;
}

void intern_ref(struct intern *t, uint32_t id)
{
	t->objs[id]->refcnt++;
}

static void hash_remove(struct intern *t, uint32_t id)
{
	uint32_t mask = t->hcap - 1, i = t->objs[id]->hash & mask, j;

	while (t->hash[i] != id)
		i = (i + 1) & mask;
	/* backward-shift deletion keeps every probe sequence unbroken */
	for (j = (i + 1) & mask; t->hash[j]; j = (j + 1) & mask) {
		uint32_t home = t->objs[t->hash[j]]->hash & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->hash[i] = t->hash[j];
			i = j;
		}
	}
	t->hash[i] = 0;
}

bool intern_unref(struct intern *t, uint32_t id)
{
	struct intern_obj *o = t->objs[id];

	if (--o->refcnt)
		return false;
	hash_remove(t, id);
	t->obj_bytes -= sizeof(*o) + t->user + o->len;
	t->count--;
	free(o);
	t->objs[id] = NULL;
	t->free_ids[t->n_free++] = id;
	return true;
}

const uint8_t *intern_data(const struct intern *t, uint32_t id, size_t *len)
{
	const struct intern_obj *o = t->objs[id];

	*len = o->len;
	return obj_data(t, o);
}

void *intern_user(const struct intern *t, uint32_t id)
{
	return t->objs[id]->body;
}

uint32_t intern_refcnt(const struct intern *t, uint32_t id)
{
	return t->objs[id]->refcnt;
}

uint32_t intern_gen(const struct intern *t, uint32_t id)
{
	return t->gens[id];
}

size_t intern_count(const struct intern *t)
{
	return t->count;
}

size_t intern_bytes(const struct intern *t)
{
	return t->obj_bytes + (size_t)t->cap_ids * (sizeof(void *) + 8) + (size_t)t->hcap * 4;
}
