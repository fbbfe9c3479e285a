/*
 * fib: the forwarding information base as an API (HOUSE-STYLE principle 5).
 *
 * The control plane (vtopod's VRF and service-chain modules, later a
 * controller, draft section 6) writes *desired* forwarding state through
 * this interface; backends carry it out: a recording backend for tests,
 * the userspace data plane vtopo-dp (over a Unix socket, docs/fib-protocol.md)
 * and, later, a remote data plane.  Nothing here knows about BGP.
 *
 * Objects, all named by ids chosen by the writer (never pointers):
 *   vrf    a routing table (one per zone VRF, service in-VRF and out-VRF)
 *   if     a Linux interface owned by the data plane (a VM/CE attachment or
 *          the interface of a service node), bound to one VRF; traffic
 *          received on it is looked up in that VRF
 *   nh     a next-hop object; prefixes, labels and flows point at one, so
 *          changing it moves every dependent at once (VPP-style stacking,
 *          BGP PIC): drop, send on an interface to a gateway, MPLS-in-UDP
 *          (RFC 7510) to a remote PE with a label stack, look up in a VRF,
 *          or an ECMP group of other nh objects
 *   route  vrf + prefix -> nh
 *   label  incoming MPLS label -> nh (pop, then: look up in a VRF for
 *          per-VRF labels, send to an interface for per-attachment labels)
 *   flow   a FlowSpec rule (RFC 8955/8956 NLRI bytes) in a VRF -> nh,
 *          matched before the route lookup of that VRF
 *   peer   an underlay address of a PE from which MPLS-in-UDP is accepted
 *
 * Batches: every change is a struct fib_op; ops are applied in order and a
 * batch becomes visible at fib_commit() (one generation number per commit).
 * The writer states dependencies first (nh before the routes using it, an
 * ECMP group after its members) and removes dependents first.  A resync
 * (fib_resync()) restates the whole desired state as one batch that begins
 * with FIB_OP_RESYNC: whatever the backend holds that is not restated
 * before the commit is removed.  A backend that restarts asks for one.
 *
 * Not for: how a backend forwards, RIB state, BGP attributes.
 */
#ifndef VTOPO_FIB_H
#define VTOPO_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

typedef uint32_t fib_vrf_id; /* 0 = none */
typedef uint32_t fib_if_id;  /* 0 = none */
typedef uint32_t fib_nh_id;  /* 0 = none */

#define FIB_NAME_MAX 32    /* VRF and interface names, NUL included */
#define FIB_LABELS_MAX 4   /* label stack depth of a tunnel nh */
#define FIB_ECMP_MAX 16    /* members of an ECMP group */
#define FIB_FLOW_MAX 255   /* bytes of a FlowSpec NLRI (RFC 8955 s4.1: < 240 w/o ext len) */

enum fib_op_type {
	FIB_OP_RESYNC = 1, /* start of a full restatement */
	FIB_OP_VRF_SET,
	FIB_OP_VRF_DEL,
	FIB_OP_IF_SET,
	FIB_OP_IF_DEL,
	FIB_OP_NH_SET,
	FIB_OP_NH_DEL,
	FIB_OP_ROUTE_SET,
	FIB_OP_ROUTE_DEL,
	FIB_OP_LABEL_SET,
	FIB_OP_LABEL_DEL,
	FIB_OP_FLOW_SET,
	FIB_OP_FLOW_DEL,
	FIB_OP_PEER_SET,
	FIB_OP_PEER_DEL,
};

enum fib_if_role {
	FIB_IF_ATTACH = 1, /* VM or CE attachment (draft section 2) */
	FIB_IF_SERVICE,    /* towards a service node: sent from its in-VRF,
			      received traffic is looked up in its out-VRF */
};

struct fib_vrf {
	fib_vrf_id id;
	char name[FIB_NAME_MAX];
};

struct fib_if {
	fib_if_id id;
	char name[FIB_NAME_MAX]; /* Linux interface name */
	enum fib_if_role role;
	fib_vrf_id vrf;   /* received traffic is looked up here (out-VRF for a service) */
	struct prefix addr[4]; /* the PE's own addresses on it (gateway for hosts) */
	uint8_t n_addr;
	uint16_t mtu;     /* 0 = take the interface's */
};

enum fib_nh_type {
	FIB_NH_DROP = 1,
	FIB_NH_LOCAL,  /* send on `ifc` to `gw` (ARP/ND resolved by the backend) */
	FIB_NH_TUNNEL, /* MPLS-in-UDP (RFC 7510, UDP 6635) to `pe` with `labels` */
	FIB_NH_LOOKUP, /* look up again in `vrf` */
	FIB_NH_ECMP,   /* hash over `members` */
};

enum fib_hash {
	FIB_HASH_5TUPLE = 0,
	FIB_HASH_SYMMETRIC, /* a flow and its reverse pick the same member
			       (draft-ietf-bess-service-chaining s3.4.2) */
};

struct fib_nh {
	fib_nh_id id;
	enum fib_nh_type type;
	fib_if_id ifc;          /* LOCAL */
	struct ipaddr gw;       /* LOCAL */
	struct ipaddr pe;       /* TUNNEL: underlay address of the remote PE */
	uint32_t labels[FIB_LABELS_MAX]; /* TUNNEL: label values, outermost first */
	uint8_t n_labels;
	fib_vrf_id vrf;         /* LOOKUP */
	enum fib_hash hash;     /* ECMP */
	uint8_t n_members;      /* ECMP */
	fib_nh_id members[FIB_ECMP_MAX];
};

struct fib_route {
	fib_vrf_id vrf;
	struct prefix prefix;
	fib_nh_id nh; /* ignored by ROUTE_DEL */
};

struct fib_label {
	uint32_t label; /* 20-bit value */
	fib_nh_id nh;   /* ignored by LABEL_DEL */
};

struct fib_flow {
	fib_vrf_id vrf;
	uint32_t id;       /* writer-chosen, unique per VRF */
	uint32_t priority; /* lower first; RFC 8955 s5.1 order is the writer's job */
	uint8_t afi;       /* AFI_IPV4 / AFI_IPV6 */
	uint8_t nlri_len;
	uint8_t nlri[FIB_FLOW_MAX]; /* RFC 8955 s4 components, without the length */
	fib_nh_id nh;      /* ignored by FLOW_DEL */
};

struct fib_peer {
	struct ipaddr addr; /* underlay address of a PE */
};

struct fib_op {
	enum fib_op_type type;
	union {
		struct fib_vrf vrf;
		struct fib_if ifc;
		struct fib_nh nh;
		struct fib_route route;
		struct fib_label label;
		struct fib_flow flow;
		struct fib_peer peer;
	} u;
};

/*
 * A backend.  apply() receives a whole batch at commit time; it returns 0
 * or -1 (the batch is then kept and offered again after a resync).
 * Backends are small files of their own (fib_record.c, fib_dp.c, ...).
 */
struct fib_backend_ops {
	const char *name;
	int (*apply)(void *ctx, uint64_t gen, const struct fib_op *ops, size_t n);
	void (*destroy)(void *ctx);
};

struct fib;

struct fib *fib_new(const struct fib_backend_ops *ops, void *ctx);
void fib_free(struct fib *fib);

/* Queue one change; fib_commit() hands the queued batch to the backend.
 * Returns 0, or -1 with errno (ENOMEM; EINVAL for a malformed op). */
int fib_push(struct fib *fib, const struct fib_op *op);
int fib_commit(struct fib *fib);

/* Restate the whole desired state to the backend as one batch. */
int fib_resync(struct fib *fib);
/* The next commit restates the whole desired state (a resync) instead of
 * sending the queued changes: for a backend known to hold nothing of ours
 * yet, such as a data plane we have not talked to (docs/fib-protocol.md:
 * it asks for a resync first and refuses plain batches until then). */
void fib_resync_pending(struct fib *fib);

/* The generation number of the last commit (0 before any). */
uint64_t fib_generation(const struct fib *fib);

/*
 * Extensions (compatible with the above).
 */
struct fib_store;
struct json_object;

/* Ops queued and not yet committed. */
size_t fib_queued(const struct fib *fib);
/* Ops handed to the backend since fib_new() (commits and resyncs). */
uint64_t fib_ops_total(const struct fib *fib);
/* The desired state as of the last fib_push() (fib_store.h), for show
 * commands and for tests. */
const struct fib_store *fib_state(const struct fib *fib);
/* Bytes the desired state holds. */
size_t fib_bytes(const struct fib *fib);
/* `show fib [VRF]` data model (docs/ctl-json.md "show fib"): per VRF its
 * routes with the next hop spelled out (ECMP members expanded); vrf 0 = all
 * VRFs.  fib_json.c. */
struct json_object *fib_show(const struct fib *fib, fib_vrf_id vrf);
/* One next hop of the desired state as JSON (NULL for an unknown id). */
struct json_object *fib_show_nh(const struct fib *fib, fib_nh_id id);

#endif
