/*
 * dp_label: the incoming label table (RFC 3031 s3.11 ILM): 20-bit label ->
 * next-hop id, open addressing with linear probing and tombstone-free
 * deletion (backward shift).
 *
 * Not for: label stacks on the wire (dp_fwd.c).
 */
#include "dp/dp.h"

#include <stdlib.h>
#include <string.h>

#define LABEL_FREE UINT32_MAX

void dp_labels_init(struct dp_labels *t)
{
	memset(t, 0, sizeof(*t));
}

void dp_labels_free(struct dp_labels *t)
{
	free(t->slots);
	dp_labels_init(t);
}

static size_t lbl_home(const struct dp_labels *t, uint32_t label)
{
	return (label * 2654435761u) & (t->cap - 1);
}

static bool lbl_grow(struct dp_labels *t)
{
	struct dp_labels n = {.cap = t->cap ? t->cap * 2 : 16};

	if ((n.slots = malloc(n.cap * sizeof(*n.slots))) == NULL)
		return false;
	for (size_t i = 0; i < n.cap; i++)
		n.slots[i].label = LABEL_FREE;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].label == LABEL_FREE)
			continue;
		size_t j = lbl_home(&n, t->slots[i].label);
		while (n.slots[j].label != LABEL_FREE)
			j = (j + 1) & (n.cap - 1);
		n.slots[j] = t->slots[i];
		n.n++;
	}
	free(t->slots);
	*t = n;
	return true;
}

struct dp_label *dp_labels_get(const struct dp_labels *t, uint32_t label)
{
	if (t->cap == 0 || label > 0xfffff)
		return NULL;
	for (size_t j = lbl_home(t, label);; j = (j + 1) & (t->cap - 1)) {
		if (t->slots[j].label == label)
			return &t->slots[j];
		if (t->slots[j].label == LABEL_FREE)
			return NULL;
	}
}

struct dp_label *dp_labels_set(struct dp_labels *t, uint32_t label, fib_nh_id nh)
{
	struct dp_label *l = dp_labels_get(t, label);
	size_t j;

	if (l == NULL) {
		if ((t->n + 1) * 2 > t->cap && !lbl_grow(t))
			return NULL;
		j = lbl_home(t, label);
		while (t->slots[j].label != LABEL_FREE)
			j = (j + 1) & (t->cap - 1);
		l = &t->slots[j];
		memset(l, 0, sizeof(*l));
		l->label = label;
		t->n++;
	}
	l->nh = nh;
	l->stale = false;
	return l;
}

bool dp_labels_del(struct dp_labels *t, uint32_t label)
{
	struct dp_label *l = dp_labels_get(t, label);
	size_t i, j, mask = t->cap - 1;

	if (l == NULL)
		return false;
	i = (size_t)(l - t->slots);
	t->slots[i].label = LABEL_FREE;
	t->n--;
	/* backward shift: move later entries of the cluster into the hole */
	for (j = (i + 1) & mask; t->slots[j].label != LABEL_FREE; j = (j + 1) & mask) {
		size_t h = lbl_home(t, t->slots[j].label);
		if (((j - h) & mask) >= ((j - i) & mask)) {
			t->slots[i] = t->slots[j];
			t->slots[j].label = LABEL_FREE;
			i = j;
		}
	}
	return true;
}

size_t dp_labels_sweep(struct dp_labels *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap;) {
		if (t->slots[i].label != LABEL_FREE && t->slots[i].stale) {
			(void)dp_labels_del(t, t->slots[i].label);
			n++;
			continue; /* the shift may have moved another entry here */
		}
		i++;
	}
	return n;
}
