/*
 * svc_int: svc's internal state, shared by its files (svc.c configuration
 * and routes, svc_nh.c next-hop objects, svc_chain.c topologies and
 * resolution, svc_flow.c FlowSpec, svc_show.c show models).
 *
 * Not for: other modules (they use svc.h).
 */
#ifndef VTOPO_SVC_INT_H
#define VTOPO_SVC_INT_H

#include "lib/htab.h"
#include "svc/svc.h"
#include "vrf/vrf_label.h"

/* A FIB next-hop object.  Plain ones (local, tunnel, ECMP, lookup) are
 * interned by content and shared by every route, label and ECMP group with
 * that content; a chain nh belongs to one svc_chain and its content is
 * rewritten in place when the chain re-resolves. */
struct svc_nh {
	struct fib_nh f; /* f.id is the FIB id; the rest is the content key */
	uint32_t refcnt;
	uint32_t label;		 /* a per-next-hop label bound to it, 0 = none */
	struct svc_chain *chain; /* != NULL: a chain nh */
};

/* A remote PE that some tunnel nh goes to: the data plane accepts
 * MPLS-in-UDP from it (FIB_OP_PEER_SET) while any tunnel uses it. */
struct svc_peer {
	struct ipaddr addr; /* key */
	uint32_t refcnt;
};

/* The next hop of topology `topo` in VRF `vrf` for one family: "the next
 * service node for this VRF's position in the chain" (draft s4.1.3). */
struct svc_chain_key {
	vrf_id vrf;
	uint32_t topo;
	uint8_t afi;
	uint8_t pad[3];
};

struct svc_chain {
	struct svc_chain_key key;
	struct svc_nh *nh;     /* what routes and flows point at */
	struct svc_nh *target; /* the resolved service route's nh (held) */
	enum svc_pend pend;
	uint8_t pos; /* index of the service node it leads to */
	struct ipaddr ip;
};

struct svc_topo {
	char name[SVC_NAME_MAX]; /* key */
	uint32_t id;
	struct svc_topology c;
};

/* Per-VRF svc state (struct vrf.user). */
struct svc_vrf {
	uint32_t label;	       /* per-VRF label, 0 = none yet */
	uint32_t label_users;  /* local exports using it */
	struct svc_nh *lookup; /* LOOKUP(vrf) nh of that label */
	/* a walk re-binding every route (svc_work): routes with mark !=
	 * walk_gen are still to do; `marked` counts those done */
	bool walking;
	uint32_t walk_gen;
	size_t cursor, marked;
};

/* A route this PE originates and exports (attachment host, service node). */
struct svc_local_key {
	vrf_id vrf;
	struct prefix prefix;
	uint8_t pad[2];
};

struct svc_local {
	struct svc_local_key key;
	fib_if_id ifc;
	struct ipaddr gw;
	enum vrf_label_mode mode;
	uint32_t label;
	struct svc_nh *label_nh; /* per-prefix / per-next-hop label target (held) */
	uint8_t n_extra;
	struct ecomm extra[VRF_RT_MAX];
	char att[VRF_ATT_NAME_MAX]; /* the attachment's name ("": a service node) */
	bool advertised;	    /* exported to the peers (not rejected by policy) */
	bool is_static;		    /* a static route's (svc_static.c) */
	bool no_export;		    /* in its own VRF only: no RTs, no label, not sent */
};

/* A static route as configured and as resolved (svc_static.c). */
struct svc_static_st {
	struct svc_local_key key; /* vrf, prefix */
	struct svc_static s;
	enum svc_pend pend; /* why it is not up */
	bool up;	    /* originated: a svc_local with is_static holds the key */
};

struct svc_attach_st {
	struct svc_attach a; /* key: a.ifc */
	bool active;	     /* its VRF exists: routes exported */
};

struct svc_node_st {
	struct svc_node n;	/* key: n.ifc */
	struct svc_nh *dflt[2]; /* aggregate: in-VRF default routes (v4, v6) */
	bool active;		/* both VRFs exist: exported, a chain position */
};

struct svc_flow_key {
	struct rd rd;
	uint32_t path_id;
	uint8_t afi;
	uint8_t len;
	uint8_t nlri[FIB_FLOW_MAX];
	uint8_t pad;
};

#define SVC_FLOW_VRFS 8
struct svc_flow {
	struct svc_flow_key key;
	const struct vrf_rts *rts;
	uint32_t id;
	uint32_t priority; /* RFC 8955 s5.1 rank, 1 = first */
	uint8_t n_inst;
	struct {
		vrf_id vrf;
		struct svc_nh *nh;
		enum svc_pend pend;
	} inst[SVC_FLOW_VRFS];
};

struct svc {
	struct svc_config c;
	struct fib *fib;
	svc_export_fn exp;
	void *exp_ctx;
	struct vrf_db *db;
	struct vrf_labels *labels;
	struct htab nh_content; /* struct svc_nh (plain) by content */
	struct htab peers;	/* struct svc_peer by address */
	struct ipaddr *pe_cfg;	/* configured PE allow-list, sorted (svc_pe_set) */
	size_t n_pe_cfg;
	struct htab nh_id;	/* struct svc_nh by id */
	struct htab chains;	/* struct svc_chain by key */
	struct htab topos;	/* struct svc_topo by name */
	struct htab locals;	/* struct svc_local by key */
	struct htab attaches;	/* struct svc_attach_st by ifc */
	struct htab nodes;	/* struct svc_node_st by ifc */
	struct htab flows;	/* struct svc_flow by key */
	struct htab statics;	/* struct svc_static_st by key */
	size_t n_static_addr;	/* ADDRESS statics: route changes re-resolve them */
	uint32_t next_nh, next_topo, next_flow;
	int err; /* first error of the current call (errors are values) */
};

/* svc_nh.c */
void svc_push(struct svc *svc, const struct fib_op *op);
struct svc_nh *svc_nh_get(struct svc *svc, const struct fib_nh *content);
struct svc_nh *svc_nh_hold(struct svc_nh *nh);
void svc_nh_put(struct svc *svc, struct svc_nh *nh);
struct svc_nh *svc_nh_by_id(const struct svc *svc, fib_nh_id id);
/* The nh of a set of best paths: LOCAL / TUNNEL, or ECMP of those; NULL
 * when no path has a usable next hop. */
struct svc_nh *svc_nh_paths(struct svc *svc, const struct vrf_vpn *const *best, size_t n);
struct svc_nh *svc_nh_chain_new(struct svc *svc, struct svc_chain *c);
/* The order of ECMP members (content, never ids): <0, 0, >0 */
int svc_nh_member_cmp(const struct fib_nh *x, const struct fib_nh *y);

/* svc_chain.c */
enum svc_role { SVC_ROLE_PLAIN, SVC_ROLE_CHAIN, SVC_ROLE_LAST };
struct svc_decision {
	enum svc_role role;
	const struct svc_topo *t;
	unsigned pos;
};
void svc_decide(const struct svc *svc, const struct vrf *v, const struct vrf_rts *rts,
		const struct vrf_vpn *best, uint8_t afi, struct svc_decision *d);
struct svc_topo *svc_topo_by_id(const struct svc *svc, uint32_t id);
struct svc_chain *svc_chain_get(struct svc *svc, struct vrf *v, const struct svc_topo *t,
				uint8_t afi);
void svc_chain_resolve(struct svc *svc, struct svc_chain *c);
void svc_chain_free(struct svc *svc, struct svc_chain *c);
/* Re-resolve the chains of v whose service IP lies in p (NULL: all). */
void svc_chains_touch(struct svc *svc, const struct vrf *v, const struct prefix *p);
unsigned svc_vrf_position(const struct svc *svc, const struct vrf *v, const struct svc_topo *t,
			  uint8_t afi);

/* svc.c */
void svc_route_eval(struct svc *svc, struct vrf *v, struct vrf_route *r);
void svc_vrf_dirty(struct svc *svc, struct vrf *v);

/* svc.c: local routes for static routes (svc_static.c).  add returns
 * NULL when the key is taken by an attachment or service node. */
struct svc_local *svc_local_static_add(struct svc *svc, struct vrf *v, const struct prefix *p,
				       fib_if_id ifc, const struct ipaddr *gw, bool no_export);
void svc_local_static_move(struct svc *svc, struct vrf *v, struct svc_local *l, fib_if_id ifc,
			   const struct ipaddr *gw);
void svc_local_static_del(struct svc *svc, vrf_id vrf, const struct prefix *p);
struct svc_local *svc_local_get(const struct svc *svc, vrf_id vrf, const struct prefix *p);

/* svc_static.c */
/* Re-resolve the statics of VRF vrf (0: of every VRF). */
void svc_statics_eval(struct svc *svc, vrf_id vrf);
/* A route of v changed: re-resolve the ADDRESS statics of v whose next
 * hop lies in p. */
void svc_statics_touch(struct svc *svc, const struct vrf *v, const struct prefix *p);
/* v goes away: its statics go down, pending. */
void svc_statics_vrf_gone(struct svc *svc, vrf_id vrf);
/* An attachment or service node takes the key of static-owned local l. */
void svc_static_yield(struct svc *svc, struct svc_local *l);
/* The static that originates path p, if any (for show and resolution). */
const struct svc_static_st *svc_static_of(const struct svc *svc, const struct vrf_vpn *p);
void svc_statics_free(struct svc *svc);

/* svc_flow.c */
void svc_flows_eval(struct svc *svc);
void svc_flow_free_all(struct svc *svc);

/* 0, or -1 with errno from the first error of the current call (svc.c) */
int svc_result(struct svc *svc);

#endif
