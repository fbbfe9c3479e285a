/*
 * vtopod_feed: the RDE's Loc-RIB best paths (rde.h, rde_best) into svc's
 * VRFs: VPN routes (RFC 4364 s9) to svc_vpn_route_update/withdraw, VPN
 * FlowSpec routes (RFC 8955 s8, RFC 8956) to svc_vpn_flow_update/withdraw
 * (draft-rfernando-bess-service-chaining-01 s4.1.5: resolved through the
 * chain of their service-topology RT, installed with its next hop).  One
 * path per (RD, prefix) or (RD, flow): path id 0.
 *
 * A filter in front of it (struct feed_rts): the route targets any VRF
 * imports.  A PE keeps only the VPN routes its VRFs import (RFC 4364
 * s4.3.3), so a best path carrying none of them is not svc's business: it
 * goes in as a withdrawal (svc drops it if it held it under other route
 * targets).  A route reflector or a pass-through speaker with no VRFs then
 * pays nothing in svc for the routes it only relays.
 *
 * A library of its own so that a unit test can join a real RDE to svc with
 * the recording FIB backend; vtopod_svc.c wires it to the daemon.
 *
 * Not for: the BGP decision (the RDE), resolution (svc), committing.
 */
#ifndef VTOPO_VTOPOD_FEED_H
#define VTOPO_VTOPOD_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "rde/rde.h"
#include "svc/svc.h"

/* Hand one best-path change to svc.  Returns 0 (a withdrawal of what svc
 * never held is not an error), or -1 with a reason written to err (for a
 * log line naming the route): a flow whose components svc refuses, or one
 * longer than a FIB flow holds (FIB_FLOW_MAX), out of memory. */
int vtopod_feed_best(struct svc *svc, const struct rde_best *b, char *err, size_t errlen);

/* A sorted set of route targets. */
struct feed_rts {
	struct ecomm *rt;
	size_t n;
};

/* Replace f's set by rts[0..n) (any order, duplicates allowed).  When
 * added is not NULL it receives the route targets new to the set (to
 * refeed the routes that carry them, rde_best_refeed); free it with
 * feed_rts_free.  When removed is not NULL it receives how many of the
 * old set are gone.  0, or -1 (ENOMEM: f unchanged). */
int feed_rts_set(struct feed_rts *f, const struct ecomm *rts, size_t n, struct feed_rts *added,
		 size_t *removed);
/* Does b carry a route target of f?  A withdrawal always passes. */
bool feed_rts_wants(const struct feed_rts *f, const struct rde_best *b);
void feed_rts_free(struct feed_rts *f);

/* vtopod_feed_best behind the filter want: a best path carrying none of
 * its route targets goes to svc as a withdrawal.  During a refeed
 * (rde_best_refeed; refeed = the targets just added, else NULL) only best
 * paths carrying one of those go in, the rest are passed over. */
int vtopod_feed_wanted(struct svc *svc, const struct feed_rts *want,
		       const struct feed_rts *refeed, const struct rde_best *b, char *err,
		       size_t errlen);

#endif
