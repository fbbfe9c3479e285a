/*
 * attrset: interned, reference-counted path attribute sets.
 *
 * The canonical bytes of a set are the received path attributes in
 * ascending type-code order, each written in canonical length form, minus
 * what is per route or per message: MP_REACH_NLRI, MP_UNREACH_NLRI and
 * NEXT_HOP (kept in the path record).  AS_PATH and AGGREGATOR are kept in
 * their 4-octet forms whatever the session spoke (RFC 6793 s4.2.3: from a
 * 2-octet speaker the AS4_PATH / AS4_AGGREGATOR are merged in and dropped).
 * Unrecognised optional transitive attributes are kept with the Partial
 * bit set and unrecognised non-transitive ones are dropped (RFC 4271 s5).
 * Two routes with the same bytes share one set.
 *
 * On creation the facts the decision process and export need are parsed
 * once from the bytes (struct attrset).
 *
 * Not for: policy, encoding towards a peer (export.c).
 */
#ifndef VTOPO_RDE_ATTRSET_H
#define VTOPO_RDE_ATTRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rbuf.h"
#include "rde/intern.h"
#include "wire/update.h"

#define ATTRSET_HAS_MED 0x01
#define ATTRSET_HAS_LOCAL_PREF 0x02
#define ATTRSET_HAS_ORIGINATOR 0x04
#define ATTRSET_HAS_CLUSTER 0x08
#define ATTRSET_NO_EXPORT 0x10	  /* RFC 1997 NO_EXPORT or NO_EXPORT_SUBCONFED */
#define ATTRSET_NO_ADVERTISE 0x20 /* RFC 1997 */

#define COMM_NO_EXPORT 0xFFFFFF01u
#define COMM_NO_ADVERTISE 0xFFFFFF02u
#define COMM_NO_EXPORT_SUBCONFED 0xFFFFFF03u

struct attrset {
	uint32_t local_pref;
	uint32_t med;
	uint32_t originator_id; /* host order */
	uint32_t neighbor_as;	/* first AS of the AS_PATH, 0 when empty */
	uint16_t as_path_len;	/* RFC 4271 s9.1.2.2 a */
	uint16_t cluster_len;	/* entries in CLUSTER_LIST */
	uint16_t ecomm_off;	/* EXTENDED_COMMUNITIES value within the bytes */
	uint16_t ecomm_len;
	uint8_t origin;
	uint8_t flags; /* ATTRSET_* */
};

struct attrset_table {
	struct intern *in;
	uint8_t *scratch; /* 65535 bytes for building canonical lists */
};

int attrset_table_init(struct attrset_table *t);
void attrset_table_fini(struct attrset_table *t);

/* Intern the attributes of a decoded UPDATE received on a session with
 * 4-octet AS numbers iff as4.  Returns the set's id with a reference
 * taken, or 0 when out of memory. */
uint32_t attrset_from_update(struct attrset_table *t, const struct bgp_attrs *a, bool as4);
/* Intern canonical bytes as they are (locally built sets, tests). */
uint32_t attrset_from_bytes(struct attrset_table *t, const uint8_t *b, size_t len);

static inline const struct attrset *attrset_get(const struct attrset_table *t, uint32_t id)
{
	return intern_user(t->in, id);
}
static inline void attrset_ref(struct attrset_table *t, uint32_t id)
{
	intern_ref(t->in, id);
}
static inline void attrset_unref(struct attrset_table *t, uint32_t id)
{
	intern_unref(t->in, id);
}
/* The canonical bytes as a view (a list of attributes). */
void attrset_bytes(const struct attrset_table *t, uint32_t id, struct rbuf *r);
/* One attribute of the set: its flags and value; false when absent. */
bool attrset_find(const struct attrset_table *t, uint32_t id, uint8_t type, uint8_t *flags,
		  struct rbuf *val);
/* Read the next attribute header of a canonical list; false at the end. */
bool attrset_next(struct rbuf *list, uint8_t *flags, uint8_t *type, struct rbuf *val);

#endif
