/*
 * svc: virtual service topologies in the control plane (draft sections 2,
 * 4 and 5): VRFs, local attachments and service-node interfaces, service
 * topologies, and the service-topology next-hop resolution of draft
 * s4.1.3, producing FIB ops (fib.h).  A pure module: no sockets, no BGP
 * decoding, no event loop; vtopod's RDE calls it and commits.
 *
 * Input API (what the RDE calls, one call per Loc-RIB best-path change of
 * ipv4-vpn / ipv6-vpn / flowspec-vpn learnt from a peer; locally originated
 * routes are svc's own and must not be fed back):
 *   svc_vpn_route_update(svc, &route)       add or replace one VPN path
 *   svc_vpn_route_withdraw(svc, rd, prefix, path_id)
 *   svc_vpn_flow_update / svc_vpn_flow_withdraw   VPN FlowSpec (RFC 8955 s8)
 * Configuration (from the YANG model / control socket):
 *   svc_vrf_set / svc_vrf_del                VRFs (RD, RTs, export policy, label mode)
 *   svc_attach_set / svc_attach_del          a VM/CE interface comes up / goes away
 *   svc_node_set / svc_node_del              a service-node interface (in/out VRF)
 *   svc_topology_set / svc_topology_del      {name, RT, service-node sequence}
 *   svc_static_set / svc_static_del          a VRF's static routes (RFC 8349)
 * Every call queues FIB ops; svc_commit() commits them as one generation.
 * A configuration change that must re-bind every route of a VRF queues a
 * walk that svc_work() advances a bounded number of routes per call.
 * Output: FIB ops, and exports through the svc_export_fn callback (the VPN
 * routes this PE advertises: attachment host routes, service-node routes).
 *
 * Resolution (draft s4.1.3): a VRF route whose best path carries a
 * service-topology RT that the VRF imports ignores its next hop and label;
 * in an ingress zone VRF it goes to the first service node, in the out-VRF
 * of service node i to node i+1, and in the out-VRF of the last node it
 * uses its own next hop and label.  The next service node's IP is resolved
 * in the VRF itself (longest match over routes that are not steered).
 * Steered prefixes point at one shared next-hop object per (VRF, topology,
 * family): a service route change or a chain change rewrites that object
 * with O(1) FIB ops whatever the number of prefixes (HOUSE-STYLE principle
 * 4), new objects before old ones go (make-before-break).  When several
 * topologies match, the lowest `priority` wins (a per-VM topology, draft
 * s4.2, is configured with a lower value than the zone's).  A chain that
 * cannot be resolved keeps its object as DROP (a stateful service must not
 * be bypassed) and states a pending reason.
 *
 * Not for: BGP best path between peers (the RDE), forwarding (backends).
 */
#ifndef VTOPO_SVC_H
#define VTOPO_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"
#include "lib/ecomm.h"
#include "lib/prefix.h"
#include "lib/rd.h"
#include "vrf/vrf.h"

#define SVC_NAME_MAX 32
#define SVC_HOPS_MAX 8
#define SVC_HOST_MAX 4

struct svc;

struct svc_config {
	struct ipaddr local4, local6;	  /* this PE's underlay addresses (export next hop) */
	uint32_t label_first, label_last; /* local label space; 0 = 16..1048575 */
};

/* A VPN route this PE advertises (withdraw: only rd, prefix). */
struct svc_export {
	bool withdraw;
	struct rd rd;
	struct prefix prefix;
	uint32_t label;
	struct ipaddr nexthop;
	uint8_t n_rts;
	struct ecomm rts[VRF_RT_MAX * 3];
	struct vrf_policy_attrs attrs; /* export policy's LOCAL_PREF / MED */
};
typedef void (*svc_export_fn)(void *ctx, const struct svc_export *e);

struct svc *svc_new(const struct svc_config *c, struct fib *fib, svc_export_fn exp, void *ctx);
void svc_free(struct svc *svc);
/* The local label space, for seeding preferred bindings before the first
 * svc_*_set() (vrf_label.h, docs/fib-protocol.md "Restarts"). */
struct vrf_labels;
struct vrf_labels *svc_labels(struct svc *svc);
int svc_commit(struct svc *svc);
/* Carry on with queued walks (a configuration change that re-binds every
 * route of a VRF: import RTs changed, a topology came or went, a VRF
 * became or stopped being a chain's last hop, a service node came or went
 * in an out-VRF), at most `budget` routes per call (HOUSE-STYLE principle
 * 10).  Returns true while work remains; commit between calls as you
 * like: every intermediate state forwards every prefix (the old chain
 * objects stay until their last user has moved). */
bool svc_work(struct svc *svc, unsigned budget);

/* --- configuration --- */

/* The PEs from which the data plane accepts MPLS-in-UDP (FIB peers,
 * RFC 7510 s5).  n > 0: exactly these; n == 0: the PEs that tunnel next
 * hops lead to.  Pushes only the difference. */
int svc_pe_set(struct svc *svc, const struct ipaddr *a, size_t n);

int svc_vrf_set(struct svc *svc, const struct vrf_config *c);
int svc_vrf_del(struct svc *svc, vrf_id id);

/* A VM or CE interface (draft s2): its host addresses are exported with
 * the VRF's RTs, the RTs of the export-policy statements that match each
 * host route (by family, prefix and `att`, the attachment's name: per-VM
 * service-topology RTs, draft s4.2) and `rts`. */
struct svc_attach {
	fib_if_id ifc;
	char name[FIB_NAME_MAX];
	char att[VRF_ATT_NAME_MAX]; /* for export-policy conditions; "": none */
	vrf_id vrf;
	uint8_t n_host, n_rts;
	struct ipaddr host[SVC_HOST_MAX];
	struct ecomm rts[VRF_RT_MAX];
};
int svc_attach_set(struct svc *svc, const struct svc_attach *a);
int svc_attach_del(struct svc *svc, fib_if_id ifc);

/* A service-node interface (draft s3.1, s4.1.1): traffic for the node is
 * sent from its in-VRF, traffic from it is looked up in its out-VRF.  Its
 * VPN-scoped addresses are exported from the in-VRF with a label that sends
 * traffic straight to the node, or (aggregate) the in-VRF's label plus an
 * IP lookup in the in-VRF (draft s4.1.5). */
struct svc_node {
	fib_if_id ifc;
	char name[FIB_NAME_MAX];
	vrf_id in_vrf, out_vrf;
	struct ipaddr ip4, ip6; /* the node's addresses (either may be unset) */
	bool aggregate_label;
};
int svc_node_set(struct svc *svc, const struct svc_node *n);
int svc_node_del(struct svc *svc, fib_if_id ifc);

/* A hop of a service-node sequence: the node's IPv4 and/or IPv6 address
 * (a prefix of a family the hop has no address for stays pending). */
struct svc_hop {
	struct ipaddr ip4, ip6;
};

/* draft s4.1.2: {Service-topology-name, Service-topology-RT,
 * Service-node-Sequence}. */
struct svc_topology {
	char name[SVC_NAME_MAX];
	struct ecomm rt;
	uint32_t priority; /* lower wins when several match a route */
	enum fib_hash hash; /* over an anycast service IP's paths (s5.2) */
	uint8_t n_hops;
	struct svc_hop hops[SVC_HOPS_MAX];
};
/* Add or change (insert/remove/replace nodes) a topology, by name. */
int svc_topology_set(struct svc *svc, const struct svc_topology *t);
int svc_topology_del(struct svc *svc, const char *name);

/* A static route of a VRF (RFC 8349 static-routes; yang
 * network-instance/static-routes).  Once resolved it is a local route of
 * the VRF like an attachment's host route: installed in the VRF's FIB, in
 * every local VRF that imports it, and exported with the VRF's RD, its
 * export RTs plus the export policy's (draft s4.1.2, s4.1.4: a zone's
 * aggregate with the topology RT), a label per the VRF's label mode and
 * this PE as next hop (RFC 4364 s4.3.2).  The next hop is
 *   ADDRESS    resolved in the VRF over its local routes that lead to an
 *              interface (attachment host routes, service-node routes,
 *              INTERFACE statics; not over other ADDRESS statics, so no
 *              loops, nor over remote routes): a CE behind an attachment;
 *   INTERFACE  an attachment of the VRF (on-link: the destination is
 *              resolved by ARP/ND), or a service node whose in-VRF this
 *              is: the in-VRF route an aggregate label is looked up in
 *              (draft s4.1.5), sent to the node's address of the family.
 *              Such a route stays in the in-VRF: it is neither exported
 *              nor imported elsewhere (the node is reached by its own
 *              route, s4.1.1; an in-VRF's catch-all exported would pull
 *              other VRFs' traffic into the node);
 *   BLACKHOLE  drop.
 * A static that cannot be resolved (or whose prefix an attachment or
 * service node originates here) is pending with a reason, neither
 * installed nor exported, and comes up when the cause goes. */
enum svc_static_kind {
	SVC_STATIC_ADDRESS = 1,
	SVC_STATIC_INTERFACE,
	SVC_STATIC_BLACKHOLE,
};

struct svc_static {
	vrf_id vrf;
	struct prefix prefix;	    /* with vrf, the key */
	enum svc_static_kind kind;
	struct ipaddr nexthop;	    /* ADDRESS: of the prefix's family */
	fib_if_id ifc;		    /* INTERFACE */
	char ifname[FIB_NAME_MAX];  /* INTERFACE, for show */
};
/* Add or change one (a change moves it in place: re-advertised only if
 * its label or exportability changes).  -1 with EINVAL: bad shape. */
int svc_static_set(struct svc *svc, const struct svc_static *s);
int svc_static_del(struct svc *svc, vrf_id vrf, const struct prefix *p);

/* --- routes from the RDE --- */

struct svc_vpn_route {
	struct rd rd;
	struct prefix prefix; /* afi gives the family: ipv4-vpn / ipv6-vpn */
	uint32_t label;	      /* VPN label value (RFC 8277) */
	struct ipaddr nexthop;
	const struct ecomm *rts; /* extended communities (non-RTs ignored) */
	size_t n_rts;
	/* what decides between the paths of distinct RDs (vrf.h: the ECMP
	 * set of draft s5.2, the active path of s5.3); local_pref 0 is a
	 * LOCAL_PREF of 0, so set 100 for a route without one */
	uint32_t local_pref, med, path_id;
	uint32_t as_path_len, neighbor_as;
	uint8_t origin;
	bool ebgp;
};
int svc_vpn_route_update(struct svc *svc, const struct svc_vpn_route *r);
int svc_vpn_route_withdraw(struct svc *svc, const struct rd *rd, const struct prefix *p,
			   uint32_t path_id);
/* Forget the VPN routes no VRF imports any more (vrf_vpn_prune; the
 * daemon feeds only imported ones, RFC 4364 s4.3.3).  How many, or -1. */
long svc_vpn_prune(struct svc *svc);

/* VPN FlowSpec (RFC 8955 s8 / RFC 8956): NLRI components without the
 * length; resolved through the chain of its service-topology RT and
 * installed as a FIB flow in each importing VRF that is not the last hop
 * (draft s4.1.5). */
struct svc_vpn_flow {
	uint8_t afi;
	struct rd rd;
	const uint8_t *nlri;
	uint8_t nlri_len;
	const struct ecomm *rts;
	size_t n_rts;
	uint32_t path_id;
};
int svc_vpn_flow_update(struct svc *svc, const struct svc_vpn_flow *f);
int svc_vpn_flow_withdraw(struct svc *svc, uint8_t afi, const struct rd *rd, const uint8_t *nlri,
			  uint8_t nlri_len, uint32_t path_id);

/* --- state --- */

enum svc_pend {
	SVC_PEND_NONE = 0,
	SVC_PEND_NO_NEXTHOP,   /* no usable next hop on the route */
	SVC_PEND_SERVICE_IP,   /* the next service node's IP is unresolved in the VRF */
	SVC_PEND_WRONG_FAMILY, /* the hop has no address of the prefix's family */
	SVC_PEND_UNKNOWN_VRF,  /* a service-node interface names an unknown VRF */
	SVC_PEND_LAST_HOP,     /* a flow at the last hop: plain destination lookup */
	SVC_PEND_STATIC_NH,    /* a static's next-hop-address: no local route to it */
	SVC_PEND_STATIC_IF,    /* a static's outgoing-interface is not up in the VRF */
	SVC_PEND_STATIC_TAKEN, /* an attachment or service node originates the prefix */
};
const char *svc_pend_text(enum svc_pend p);

/* The FIB nh a VRF route points at (0: none / pending). */
fib_nh_id svc_route_nh(const struct svc *svc, vrf_id vrf, const struct prefix *p);
/* The shared chain nh of (VRF, topology, family) and its state. */
fib_nh_id svc_chain_nh(const struct svc *svc, vrf_id vrf, const char *topology, uint8_t afi,
		       enum svc_pend *pend);
/* The FIB nh of an installed flow in a VRF (0: not installed). */
fib_nh_id svc_flow_nh(const struct svc *svc, vrf_id vrf, uint8_t afi, const struct rd *rd,
		      const uint8_t *nlri, uint8_t nlri_len, uint32_t path_id);
/* The label an exported local route was advertised with (0: none). */
uint32_t svc_export_label(const struct svc *svc, vrf_id vrf, const struct prefix *p);
/* Every RT some VRF imports (service-topology RTs included), for the
 * RDE's RT-Constraint (RFC 4684; draft s5.2 "constrain the propagation"):
 * returns how many were written to out (at most max). */
size_t svc_import_rts(const struct svc *svc, struct ecomm *out, size_t max);
/* Bytes held by svc, its VRF tables and the FIB's desired state. */
size_t svc_bytes(const struct svc *svc);

/* show models (svc_show.c; docs/ctl-json.md): `show fib [VRF]` with the
 * topology that produced each route, `show labels`, `show
 * service-topology [NAME]`. */
struct json_object;
struct json_object *svc_show_fib(const struct svc *svc, const char *vrf);
struct json_object *svc_show_labels(const struct svc *svc);
struct json_object *svc_show_topology(const struct svc *svc, const char *name);

#endif
