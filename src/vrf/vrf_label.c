/*
 * vrf_label: the local label space (see vrf_label.h).  Owners are kept in
 * an array indexed by label - first, grown on demand; released labels go
 * on a free stack and are reused first.  A reserved slot (a preferred
 * binding) holds the action it is kept for until claimed or released.
 */
#include "vrf/vrf_label.h"

#include <stdlib.h>
#include <string.h>

enum { SLOT_FREE, SLOT_USED, SLOT_RESERVED };

struct slot {
	struct vrf_label_owner o; /* RESERVED: the preferred action */
	uint8_t used;		  /* SLOT_* */
	uint8_t recovered;	  /* USED, taken from a preferred binding */
};

struct vrf_labels {
	uint32_t first, last, next; /* next never handed out yet */
	struct slot *slot;
	size_t cap, used, reserved;
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

/* Room for slot i. */
static int grow(struct vrf_labels *l, size_t i)
{
	size_t nc = l->cap ? l->cap * 2 : 64;
	struct slot *s;

	if (i < l->cap)
		return 0;
	while (nc <= i)
		nc *= 2;
	s = realloc(l->slot, nc * sizeof(*s));
	if (s == NULL)
		return -1;
	memset(s + l->cap, 0, (nc - l->cap) * sizeof(*s));
	l->slot = s;
	l->cap = nc;
	return 0;
}

static void push_free(struct vrf_labels *l, uint32_t label)
{
	if (label >= l->next)
		return; /* not handed out yet: next reaches it */
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

/* Does the preferred action pref forward like owner o (vrf_label.h)? */
static bool action_match(const struct vrf_label_owner *pref, const struct vrf_label_owner *o)
{
	if (o->mode == VRF_LABEL_PER_VRF)
		return pref->mode == VRF_LABEL_PER_VRF && pref->vrf == o->vrf;
	if (pref->mode == VRF_LABEL_PER_VRF || pref->ifc != o->ifc)
		return false;
	return o->ifc == VRF_IFC_BLACKHOLE || ipaddr_cmp(&pref->gw, &o->gw) == 0;
}

static uint32_t take(struct vrf_labels *l, uint32_t label, const struct vrf_label_owner *owner,
		     bool recovered)
{
	struct slot *s = &l->slot[label - l->first];

	s->o = *owner;
	s->used = SLOT_USED;
	s->recovered = recovered;
	l->used++;
	return label;
}

uint32_t vrf_label_alloc(struct vrf_labels *l, const struct vrf_label_owner *owner)
{
	uint32_t label;

	for (size_t i = 0; l->reserved > 0 && i < l->cap; i++)
		if (l->slot[i].used == SLOT_RESERVED && action_match(&l->slot[i].o, owner)) {
			l->reserved--;
			return take(l, l->first + (uint32_t)i, owner, true);
		}
	if (l->n_free > 0) {
		label = l->free[l->n_free - 1];
		if (grow(l, label - l->first) != 0)
			return 0;
		l->n_free--;
		return take(l, label, owner, false);
	}
	/* a fresh label: never one reserved for another action */
	while (l->next <= l->last && l->next - l->first < l->cap &&
	       l->slot[l->next - l->first].used != SLOT_FREE)
		l->next++;
	if (l->next > l->last || grow(l, l->next - l->first) != 0)
		return 0;
	return take(l, l->next++, owner, false);
}

void vrf_label_release(struct vrf_labels *l, uint32_t label)
{
	size_t i = label - l->first;

	if (label < l->first || label > l->last || i >= l->cap || l->slot[i].used != SLOT_USED)
		return;
	l->slot[i].used = SLOT_FREE;
	l->slot[i].recovered = 0;
	l->used--;
	push_free(l, label);
}

int vrf_label_prefer(struct vrf_labels *l, uint32_t label, const struct vrf_label_owner *pref)
{
	size_t i = label - l->first;

	if (label < l->first || label > l->last || grow(l, i) != 0 ||
	    l->slot[i].used != SLOT_FREE)
		return -1;
	for (size_t k = 0; k < l->n_free; k++)
		if (l->free[k] == label) {
			l->free[k] = l->free[--l->n_free];
			break;
		}
	l->slot[i].o = *pref;
	l->slot[i].used = SLOT_RESERVED;
	l->reserved++;
	return 0;
}

size_t vrf_labels_release_unclaimed(struct vrf_labels *l)
{
	size_t n = 0;

	for (size_t i = 0; l->reserved > 0 && i < l->cap; i++)
		if (l->slot[i].used == SLOT_RESERVED) {
			l->slot[i].used = SLOT_FREE;
			l->reserved--;
			push_free(l, l->first + (uint32_t)i);
			n++;
		}
	return n;
}

bool vrf_label_recovered(const struct vrf_labels *l, uint32_t label)
{
	size_t i = label - l->first;

	return label >= l->first && i < l->cap && l->slot[i].used == SLOT_USED &&
	       l->slot[i].recovered;
}

const struct vrf_label_owner *vrf_label_owner(const struct vrf_labels *l, uint32_t label)
{
	size_t i = label - l->first;

	if (label < l->first || i >= l->cap || l->slot[i].used != SLOT_USED)
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
		if (l->slot[i].used == SLOT_USED)
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
