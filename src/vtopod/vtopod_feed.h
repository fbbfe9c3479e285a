/*
 * vtopod_feed: the RDE's Loc-RIB best paths (rde.h, rde_best) into svc's
 * VRFs: VPN routes (RFC 4364 s9) to svc_vpn_route_update/withdraw, VPN
 * FlowSpec routes (RFC 8955 s8, RFC 8956) to svc_vpn_flow_update/withdraw
 * (draft-rfernando-bess-service-chaining-01 s4.1.5: resolved through the
 * chain of their service-topology RT, installed with its next hop).  One
 * path per (RD, prefix) or (RD, flow): path id 0.
 *
 * A library of its own so that a unit test can join a real RDE to svc with
 * the recording FIB backend; vtopod_svc.c wires it to the daemon.
 *
 * Not for: the BGP decision (the RDE), resolution (svc), committing.
 */
#ifndef VTOPO_VTOPOD_FEED_H
#define VTOPO_VTOPOD_FEED_H

#include <stddef.h>

#include "rde/rde.h"
#include "svc/svc.h"

/* Hand one best-path change to svc.  Returns 0 (a withdrawal of what svc
 * never held is not an error), or -1 with a reason written to err (for a
 * log line naming the route): a flow whose components svc refuses, or one
 * longer than a FIB flow holds (FIB_FLOW_MAX), out of memory. */
int vtopod_feed_best(struct svc *svc, const struct rde_best *b, char *err, size_t errlen);

#endif
