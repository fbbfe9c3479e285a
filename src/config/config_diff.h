/*
 * config_diff: what changes between two loaded configurations, as a pure
 * function, for applying a reload at run time (src/vtopod/reload.c).
 *
 * Neighbors are matched by address (both lists are sorted by it).  A
 * neighbor whose settings change in a way that the session negotiated or
 * depends on (AS, families, timers, password, capabilities, transport,
 * route-reflector client, next-hop-self, enabled, passive) needs a new
 * session (Cease / Other Configuration Change, RFC 4486 s4 subcode 6); a
 * change of its description or peer-group name alone does not.
 *
 * Settings of the process itself (AS, router id, cluster id, listen
 * addresses, control socket) cannot change at run time: the reload is
 * refused with one error per setting.
 *
 * Not for: loading (config.h), acting on the difference.
 */
#ifndef VTOPO_CONFIG_DIFF_H
#define VTOPO_CONFIG_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

enum config_nb_change {
	CONFIG_NB_SAME,	   /* nothing changed */
	CONFIG_NB_UPDATE,  /* description / peer group only: no new session */
	CONFIG_NB_RESET,   /* needs a new session (Cease subcode 6) */
	CONFIG_NB_ADDED,   /* start it */
	CONFIG_NB_REMOVED, /* Cease / Peer De-configured (subcode 3) */
};

struct config_nb_diff {
	enum config_nb_change change;
	long old_idx; /* index in old->neighbors, -1 when added */
	long new_idx; /* index in new->neighbors, -1 when removed */
};

struct config_diff {
	struct config_nb_diff *nb; /* in address order */
	size_t n_nb;
	bool rtc_changed; /* the RT membership we originate differs */
	bool vrf_changed; /* VRFs, service nodes or topologies differ */
};

/* 0 and *out filled (free with config_diff_free()), or -1 with errs
 * naming each process setting that cannot change at run time (out is then
 * empty), or -1 with nothing in errs when out of memory. */
int config_diff(const struct config *old, const struct config *new, struct config_diff *out,
		struct config_errors *errs);
void config_diff_free(struct config_diff *d);
/* Append one error (for callers that refuse a reload themselves). */
void config_diff_error(struct config_errors *errs, const char *path, const char *reason);

/* The route targets vtopod's RT-Constraint membership must cover
 * (RFC 4684 s3): every import target of every VRF and the route target of
 * every service topology, sorted and without duplicates.  *rts is
 * malloc'd (NULL when *n is 0).  -1 when out of memory. */
int config_rtc_targets(const struct config *cfg, struct ecomm **rts, size_t *n);

#endif
