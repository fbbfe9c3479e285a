/*
 * vrf_label: the local MPLS label space of a PE.  Labels are handed out
 * from [first, last] (16 and up: RFC 3032 s2.1 reserves 0-15), reused
 * after release, and bound to an owner so that `show labels` can say what
 * each one does:
 *   VRF_LABEL_PER_VRF      pop, look up in the VRF (aggregate label)
 *   VRF_LABEL_PER_PREFIX   pop, forward like one exported prefix
 *   VRF_LABEL_PER_NEXTHOP  pop, send to one attachment next hop: a VM or
 *                          the interface of a service node (draft s4.1.1)
 * The mode is chosen per VRF (vrf_config.label_mode); a service-node
 * interface picks direct (per next hop) or aggregate (per VRF, with an IP
 * lookup in the in-VRF, draft s4.1.5).
 *
 * Preferred bindings (docs/fib-protocol.md "Restarts"): a restarted vtopod
 * seeds the space with the labels vtopo-dp still forwards on, each keyed by
 * its forwarding action, before it allocates anything (RFC 4781 s3: the
 * restarting LSR recovers its bindings from the preserved forwarding
 * state; RFC 4724 s4.1).  A preferred label is reserved: a fresh
 * allocation never takes it; the first allocation whose owner has that
 * action does.  The action of an owner: PER_VRF pops and looks up in its
 * VRF; PER_PREFIX and PER_NEXTHOP pop and send to (ifc, gw), or drop for
 * ifc VRF_IFC_BLACKHOLE.  A preference is given as an owner with mode
 * PER_VRF (lookup in vrf) or PER_NEXTHOP (send to ifc/gw, or drop).
 * vrf_labels_release_unclaimed() frees what no owner claimed (at the
 * resync sweep).
 *
 * Not for: the FIB ops that make a label forward (svc pushes them).
 */
#ifndef VTOPO_VRF_LABEL_H
#define VTOPO_VRF_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrf/vrf.h"

struct vrf_label_owner {
	enum vrf_label_mode mode;
	vrf_id vrf;
	struct prefix prefix; /* PER_PREFIX */
	fib_if_id ifc;	      /* PER_NEXTHOP */
	struct ipaddr gw;     /* PER_NEXTHOP */
};

struct vrf_labels;

struct vrf_labels *vrf_labels_new(uint32_t first, uint32_t last);
void vrf_labels_free(struct vrf_labels *l);
/* A free label bound to owner, or 0 when the space is exhausted. */
uint32_t vrf_label_alloc(struct vrf_labels *l, const struct vrf_label_owner *owner);
void vrf_label_release(struct vrf_labels *l, uint32_t label);
const struct vrf_label_owner *vrf_label_owner(const struct vrf_labels *l, uint32_t label);
size_t vrf_labels_used(const struct vrf_labels *l);
/* Iterate the labels in use in ascending order: returns the next label
 * above `after` (0 to start), or 0 at the end. */
uint32_t vrf_label_next(const struct vrf_labels *l, uint32_t after);

/* Reserve label for the first owner with action pref (see above); -1 when
 * the label is outside the space or already used or reserved. */
int vrf_label_prefer(struct vrf_labels *l, uint32_t label, const struct vrf_label_owner *pref);
/* Free every reservation no owner claimed; returns how many. */
size_t vrf_labels_release_unclaimed(struct vrf_labels *l);
/* The label was handed out from a preferred binding (vtopo-dp already
 * forwards on it with this owner's action). */
bool vrf_label_recovered(const struct vrf_labels *l, uint32_t label);
const char *vrf_label_mode_name(enum vrf_label_mode m);

#endif
