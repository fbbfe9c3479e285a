/*
 * vrf_policy: a VRF's export policy evaluated for one exported route
 * (draft s4.1.2: "At an egress zone PE, the corresponding zone-VRF will
 * have a route-policy that attaches the appropriate Service-topology-RTs
 * to routes exported from the VRF").  A statement adds its route targets
 * to a route when all of its conditions hold for that route: the family,
 * the prefix (within a covering prefix, with a length range) and the
 * attachment the route is the host route of.  Every matching statement
 * adds its RTs, so a VM's host route carries the zone chain's RT and its
 * own per-VM chain's RT (s4.2), and the zone's specific prefixes and its
 * aggregate carry different topology RTs (s4.1.4).
 *
 * The statements that match also give the route's LOCAL_PREF and MED: the
 * first one that sets each (s5.3 active/standby).
 *
 * Pure: no allocation, no globals; the caller merges the result with the
 * VRF's export RTs (vrf.h, vrf_export_rts).
 *
 * Not for: reading the YANG model (config_vrf.c), import (vrf.c).
 */
#ifndef VTOPO_VRF_POLICY_H
#define VTOPO_VRF_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ecomm.h"
#include "lib/prefix.h"

#define VRF_POLICY_MAX 16    /* statements per VRF (yang: max-elements) */
#define VRF_POLICY_RT_MAX 16 /* add-route-target per statement */
#define VRF_ATT_NAME_MAX 64  /* an attachment name (yang object-name) + NUL */

/* One statement's conditions and the RTs it adds; an unset condition
 * matches every route. */
struct vrf_policy_stmt {
	uint8_t afi;	       /* AFI_IPV4 / AFI_IPV6, 0: any family */
	bool match_prefix;     /* prefix set: */
	struct prefix prefix;  /* the route lies within it ... */
	uint8_t len_min;       /* ... with a length in [len_min, len_max] */
	uint8_t len_max;
	char attachment[VRF_ATT_NAME_MAX]; /* "": any route */
	uint8_t n_rts;
	struct ecomm rts[VRF_POLICY_RT_MAX];
	bool set_local_pref, set_med; /* actions set-local-pref, set-med */
	uint32_t local_pref, med;
	bool reject; /* policy-result reject-route */
};

/* The path attributes the policy sets on a route (draft s5.3: the active
 * service node's route wins by LOCAL_PREF); unset: LOCAL_PREF 100, no MED. */
struct vrf_policy_attrs {
	bool set_local_pref, set_med;
	uint32_t local_pref, med;
};

/* Do all conditions of st hold for the route to p?  att is the name of
 * the attachment p is a host route of, or NULL (a service-node route). */
bool vrf_policy_match(const struct vrf_policy_stmt *st, const struct prefix *p, const char *att);

/* Append to out (holding *n, at most max) the RTs of every statement
 * that matches the route, in statement order, without duplicates. */
void vrf_policy_rts(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
		    const char *att, struct ecomm *out, size_t *n, size_t max);

/* Is the route rejected: does a reject-route statement match it?  A
 * rejected route is not advertised, whatever other statements match. */
bool vrf_policy_rejects(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
			const char *att);

/* LOCAL_PREF and MED of the route: each from the first matching statement
 * (in the user's order) that sets it. */
void vrf_policy_attrs(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
		      const char *att, struct vrf_policy_attrs *out);

#endif
