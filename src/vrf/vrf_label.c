/*
 * vrf_label: the local label space (see vrf_label.h).  Owners are kept in
 * an array indexed by label - first, grown on demand; released labels go
 * on a free stack and are reused first.
 */
#include "vrf/vrf_label.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	struct vrf_label_owner o;
	uint8_t used;
};

struct vrf_labels {
	uint32_t first, last, next; /* next never handed out yet */
	struct slot *slot;
	size_t cap, used;
	uint32_t *free;
	size_t n_free, cap_free;
};

struct vrf_labels *vrf_labels_new(uint32_t first, uint32_t last)
{
	struct vrf_labels *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	if (first < 16)
		first = 16; /* RFC 3032 s2.1: 0-15 reserved */
	if (last > 0xFFFFF || last < first)
		last = 0xFFFFF;
	l->first = l->next = first;
	l->last = last;
	return l;
}

void vrf_labels_free(struct vrf_labels *l)
{
	if (l == NULL)
		return;
	free(l->slot);
	free(l->free);
	free(l);
}

uint32_t vrf_label_alloc(struct vrf_labels *l, const struct vrf_label_owner *owner)
{
	uint32_t label;
	size_t i;

	if (l->n_free > 0) {
		label = l->free[--l->n_free];
	} else {
		if (l->next > l->last)
			return 0;
		label = l->next++;
	}
	i = label - l->first;
	if (i >= l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct slot *s;

		while (nc <= i)
			nc *= 2;
		s = realloc(l->slot, nc * sizeof(*s));
		if (s == NULL) {
			vrf_label_release(l, label);
			return 0;
		}
		memset(s + l->cap, 0, (nc - l->cap) * sizeof(*s));
		l->slot = s;
		l->cap = nc;
	}
	l->slot[i].o = *owner;
	l->slot[i].used = 1;
	l->used++;
	return label;
}

void vrf_label_release(struct vrf_labels *l, uint32_t label)
{
	size_t i = label - l->first;

	if (label < l->first || label >= l->next)
		return;
	if (i < l->cap) {
		if (!l->slot[i].used)
			return;
		l->slot[i].used = 0;
		l->used--;
	}
	if (l->n_free == l->cap_free) {
		size_t nc = l->cap_free ? l->cap_free * 2 : 64;
		uint32_t *f = realloc(l->free, nc * sizeof(*f));

		if (f == NULL)
			return; /* the label is lost, not reused twice */
		l->free = f;
		l->cap_free = nc;
	}
	l->free[l->n_free++] = label;
}

const struct vrf_label_owner *vrf_label_owner(const struct vrf_labels *l, uint32_t label)
{
	size_t i = label - l->first;

	if (label < l->first || i >= l->cap || !l->slot[i].used)
		return NULL;
	return &l->slot[i].o;
}

size_t vrf_labels_used(const struct vrf_labels *l)
{
	return l->used;
}

uint32_t vrf_label_next(const struct vrf_labels *l, uint32_t after)
{
	size_t i = after < l->first ? 0 : after - l->first + 1;

	for (; i < l->cap; i++)
		if (l->slot[i].used)
			return l->first + (uint32_t)i;
	return 0;
}

const char *vrf_label_mode_name(enum vrf_label_mode m)
{
	switch (m) {
	case VRF_LABEL_PER_VRF:
		return "per-vrf";
	case VRF_LABEL_PER_PREFIX:
		return "per-prefix";
	case VRF_LABEL_PER_NEXTHOP:
		return "per-nexthop";
	}
	return "unknown";
}
