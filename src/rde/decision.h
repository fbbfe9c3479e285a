/*
 * decision: the RFC 4271 s9.1.2.2 decision process with the RFC 4456 s9
 * route reflection tie-breaks, as pure functions over candidate facts.
 *
 * Steps, in order (the `reason` names of docs/ctl-json.md):
 *   local-pref          highest LOCAL_PREF (degree of preference, s9.1.1)
 *   local-origin        a route this speaker originates itself (not an RFC
 *                       step: FRR, BIRD and others prefer their own routes
 *                       here, so that an RT-Constraint membership route
 *                       that others originate too is still advertised by
 *                       us, RFC 4684 s3)
 *   as-path-length      shortest AS_PATH (AS_SET counts 1, confed 0; s9.1.2.2 a)
 *   origin              lowest ORIGIN (IGP < EGP < INCOMPLETE; b)
 *   med                 lowest MED among routes from the same neighbour AS
 *                       (c; a missing MED is 0; always-compare-med compares
 *                       across neighbour ASes)
 *   ebgp-over-ibgp      routes from external peers (d)
 *   igp-metric          lowest IGP cost to the next hop (e)
 *   originator-id       lowest BGP identifier, the ORIGINATOR_ID when the
 *                       route has one (f; RFC 4456 s9)
 *   cluster-list-length shorter CLUSTER_LIST (RFC 4456 s9, between f and g)
 *   peer-address        lowest peer address (g)
 *   path-id             lowest ADD-PATH path identifier (two paths from one
 *                       peer; RFC 7911 leaves this open, we need a total order)
 *
 * Determinism.  The MED step is not a total order (MED is only compared
 * within one neighbour AS), so a best path found by pairwise "keep the
 * better" depends on arrival order.  decision_select() instead applies the
 * RFC's own formulation: each step removes candidates from the whole set
 * at once; at the MED step a candidate is removed when a candidate still
 * in the set with the same neighbour AS has a lower MED.  The result is a
 * function of the set alone, never of the order.
 *
 * Not for: RIB storage (rib.h), export (export.c).
 */
#ifndef VTOPO_RDE_DECISION_H
#define VTOPO_RDE_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

enum decision_step {
	DECISION_EQUAL, /* nothing decided (same candidate) */
	DECISION_ONLY_PATH,
	DECISION_LOCAL_PREF,
	DECISION_LOCAL_ORIGIN,
	DECISION_AS_PATH_LEN,
	DECISION_ORIGIN,
	DECISION_MED,
	DECISION_EBGP,
	DECISION_IGP_METRIC,
	DECISION_ORIGINATOR_ID,
	DECISION_CLUSTER_LEN,
	DECISION_PEER_ADDR,
	DECISION_PATH_ID,
	DECISION_STEP_COUNT
};

struct decision_cand {
	uint32_t local_pref; /* the attribute, or the default (100) */
	bool local;	     /* originated by this speaker */
	uint32_t as_path_len;
	uint8_t origin;
	uint32_t neighbor_as;
	uint32_t med; /* 0 when absent (RFC 4271 s9.1.2.2 c) */
	bool ebgp;
	uint32_t igp_metric;
	uint32_t bgp_id; /* ORIGINATOR_ID if present, else the peer's BGP id */
	uint32_t cluster_len;
	struct ipaddr peer_addr;
	uint32_t path_id;
};

struct decision_cfg {
	bool always_compare_med;
};

/* "local-pref", ...; "only-path"; "equal". */
const char *decision_step_name(enum decision_step s);

/* Compare two candidates: < 0 when a is better, > 0 when b is, 0 when no
 * step separates them.  *step is the step that decided. */
int decision_cmp(const struct decision_cand *a, const struct decision_cand *b,
		 const struct decision_cfg *cfg, enum decision_step *step);

/* The best of n >= 1 candidates by set elimination.  steps (n entries, may
 * be NULL) receives, for each loser, the step that removed it, and for the
 * winner the step that removed the last other candidate (ONLY_PATH when
 * n == 1). */
size_t decision_select(const struct decision_cand *c, size_t n, const struct decision_cfg *cfg,
		       enum decision_step *steps);

#endif
