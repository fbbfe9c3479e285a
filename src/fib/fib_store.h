/*
 * fib_store: the desired FIB state, kept by the fib API so that a backend
 * can be resynced from scratch (HOUSE-STYLE principle 5).  Every object is
 * keyed by the writer's ids: VRFs, interfaces and next hops by id, routes by
 * (VRF, prefix), labels by value, flows by (VRF, flow id), peers by address.
 *
 * Also used by the recording backend for its current-state view: applying
 * a batch of ops to a store yields what a backend holds.
 *
 * Not for: checking the ordering contract (fib_record.c does), forwarding.
 */
#ifndef VTOPO_FIB_STORE_H
#define VTOPO_FIB_STORE_H

#include "fib/fib.h"
#include "lib/htab.h"

struct fib_store_route {
	fib_vrf_id vrf;
	struct prefix prefix; /* key: vrf + prefix (22 bytes) */
	uint8_t pad[2];
	fib_nh_id nh;
};

struct fib_store_flow {
	fib_vrf_id vrf;
	uint32_t id; /* key: vrf + id */
	struct fib_flow flow;
};

struct fib_store {
	struct htab vrfs;   /* struct fib_vrf */
	struct htab ifs;    /* struct fib_if */
	struct htab nhs;    /* struct fib_nh */
	struct htab routes; /* struct fib_store_route */
	struct htab labels; /* struct fib_label */
	struct htab flows;  /* struct fib_store_flow */
	struct htab peers;  /* struct fib_peer */
};

void fib_store_init(struct fib_store *s);
void fib_store_clear(struct fib_store *s); /* free every object; stays usable */
/* Apply one op (RESYNC empties the store). 0, or -1 with errno ENOMEM. */
int fib_store_apply(struct fib_store *s, const struct fib_op *op);
/* Restate the whole state in dependency order (VRFs, interfaces, peers,
 * plain next hops, ECMP groups, routes, labels, flows), calling emit for
 * each op; stops and returns emit's first non-zero result. */
int fib_store_emit(const struct fib_store *s, int (*emit)(void *ctx, const struct fib_op *op),
		   void *ctx);

const struct fib_nh *fib_store_nh(const struct fib_store *s, fib_nh_id id);
const struct fib_vrf *fib_store_vrf(const struct fib_store *s, fib_vrf_id id);
const struct fib_if *fib_store_if(const struct fib_store *s, fib_if_id id);
/* The nh of a route, or 0. */
fib_nh_id fib_store_route(const struct fib_store *s, fib_vrf_id vrf, const struct prefix *p);
fib_nh_id fib_store_label(const struct fib_store *s, uint32_t label);
const struct fib_flow *fib_store_flow(const struct fib_store *s, fib_vrf_id vrf, uint32_t id);
/* Bytes held (objects and tables), for memory reports. */
size_t fib_store_bytes(const struct fib_store *s);

#endif
