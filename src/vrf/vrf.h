/*
 * vrf: VRF tables joined to the VPN table by import/export pipes
 * (HOUSE-STYLE principle 3, as BIRD's l3vpn protocol does; RFC 4364 s4.3):
 *   import: a VPN path whose route targets match any import RT of a VRF is
 *           linked into that VRF's table with its RD stripped (the VRF route
 *           is keyed by prefix alone; its paths stay distinct by RD and
 *           ADD-PATH id, so anycast service routes from several PEs meet
 *           there, draft s5.2);
 *   export: a route of a VRF goes to the VPN table with the VRF's RD, its
 *           export RTs and the RTs added by export policy (the
 *           service-topology RTs of an egress zone VRF, draft s4.1.2).
 * Locally originated paths (attachments, service-node interfaces) enter
 * the VPN table too, marked with their interface; they are always in their
 * own VRF and, like remote paths, in every other VRF that imports them.
 *
 * Each VRF table answers exact lookups and longest-prefix matches for IPv4
 * and IPv6 (one hash per VRF plus a count of routes per prefix length, so an
 * LPM probes only the lengths present), used for the recursive resolution
 * of service-node addresses (draft s4.1.3 step 3).  A VRF route's best
 * paths come from the RFC 4271 s9.1.2.2 decision process over the paths of
 * every RD, by set elimination (as rde/decision.c does, so the result does
 * not depend on arrival order): local before remote, highest LOCAL_PREF,
 * shortest AS_PATH (a), lowest ORIGIN (b), lowest MED among paths from the
 * same neighbour AS (c), eBGP before iBGP (d).  The paths left form the
 * ECMP set (draft s5.2: equal cost paths to an anycast service address);
 * the tie-breaks after d (BGP identifier, peer address) pick one path of
 * one RD and are not applied across RDs, so distinct service-PEs stay
 * together in the set, while attributes that make one path win give the
 * active/standby of draft s5.3.
 *
 * Every change of a VRF route's paths is reported through the changed()
 * callback of the vrf_db, after the change; a route left without paths is
 * freed when the callback returns.
 *
 * Not for: next-hop resolution (svc), BGP decoding (wire), label values
 * (vrf_label.h), the FIB.
 */
#ifndef VTOPO_VRF_H
#define VTOPO_VRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"
#include "lib/ecomm.h"
#include "lib/htab.h"
#include "lib/prefix.h"
#include "lib/rd.h"
#include "vrf/vrf_policy.h"

typedef uint32_t vrf_id; /* the VRF's FIB id; 0 = none */

/* The interface of a local path that drops (a blackhole static route,
 * RFC 8349 special-next-hop): local like any other, forwarded nowhere. */
#define VRF_IFC_BLACKHOLE UINT32_MAX

#define VRF_RT_MAX 16

enum vrf_label_mode {
	VRF_LABEL_PER_VRF = 0, /* one label: pop, look up in the VRF */
	VRF_LABEL_PER_PREFIX,  /* one label per exported prefix */
	VRF_LABEL_PER_NEXTHOP, /* one label per attachment next hop: pop, send */
};

struct vrf_config {
	vrf_id id;
	char name[FIB_NAME_MAX];
	struct rd rd;
	uint8_t n_import, n_export, n_policy;
	struct ecomm import_rt[VRF_RT_MAX];
	struct ecomm export_rt[VRF_RT_MAX];
	struct vrf_policy_stmt policy[VRF_POLICY_MAX]; /* export policy, in order */
	enum vrf_label_mode label_mode;
};

/* An interned, sorted, duplicate-free set of route targets. */
struct vrf_rts {
	uint32_t refcnt;
	uint8_t n; /* key: n and rt[] (unused entries zero) */
	struct ecomm rt[VRF_RT_MAX * 2];
};

/* The attributes of a path that the decision between paths of distinct
 * RDs reads (RFC 4271 s9.1.1, s9.1.2.2 a-d). */
struct vrf_pref {
	uint32_t local_pref;  /* degree of preference: the attribute, or 100 */
	uint32_t as_path_len; /* AS_SET counts 1, confederation segments 0 */
	uint32_t neighbor_as; /* first AS of the AS_PATH, 0 when empty */
	uint32_t med;	      /* 0 when absent */
	uint8_t origin;	      /* IGP 0 < EGP 1 < INCOMPLETE 2 */
	bool ebgp;	      /* learnt from an external peer */
};

/* One path of the VPN table: (RD, prefix, path id) -> attributes. */
struct vrf_vpn_key {
	struct rd rd;
	struct prefix prefix;
	uint8_t pad[2];
	uint32_t path_id;
};

struct vrf_vpn {
	struct vrf_vpn_key key;
	const struct vrf_rts *rts;
	struct ipaddr nexthop; /* remote: the PE; local: the host / service node */
	uint32_t label;	       /* remote: VPN label value */
	struct vrf_pref pref;
	fib_if_id ifc;	   /* != 0: originated here on this interface */
	vrf_id origin_vrf; /* local: the exporting VRF */
	uint32_t n_vrfs;   /* VRFs it is linked into */
};

struct vrf_ref {
	struct vrf_ref *next;
	struct vrf_vpn *vpn;
};

struct vrf_route {
	struct prefix prefix; /* key */
	uint8_t pad[2];
	uint32_t mark; /* the owner's (svc: the walk generation it was seen in) */
	struct vrf_ref *paths;
	void *user; /* the owner's binding (svc keeps its next hop here) */
};

struct vrf {
	struct vrf_config c;
	struct htab routes; /* struct vrf_route by prefix */
	uint32_t len_count[2][129];
	void *user;
};

struct vrf_db;
typedef void (*vrf_changed_fn)(void *ctx, struct vrf *vrf, struct vrf_route *r);

struct vrf_db *vrf_db_new(vrf_changed_fn changed, void *ctx);
void vrf_db_free(struct vrf_db *db);

/* Add or change a VRF; a changed import list re-runs the import pipe over
 * the VPN table.  0, or -1 (EINVAL: id 0; ENOMEM). */
int vrf_set(struct vrf_db *db, const struct vrf_config *c);
/* Remove a VRF and its routes (each reported as changed, without paths). */
int vrf_del(struct vrf_db *db, vrf_id id);
struct vrf *vrf_get(const struct vrf_db *db, vrf_id id);
struct vrf *vrf_by_name(const struct vrf_db *db, const char *name);
struct vrf *vrf_next(const struct vrf_db *db, size_t *iter);

/* Import pipe test: does any RT of the set match an import RT? */
bool vrf_imports(const struct vrf *v, const struct ecomm *rts, size_t n);
bool vrf_imports_rt(const struct vrf *v, const struct ecomm *rt);
/* Export pipe: the RTs of the route to p exported from a VRF configured
 * as c: its export RTs, the RTs of every export-policy statement that
 * matches the route (vrf_policy.h; att: the attachment p is a host route
 * of, or NULL) and `extra`, sorted, without duplicates. */
int vrf_export_rts(const struct vrf_config *c, const struct prefix *p, const char *att,
		   const struct ecomm *extra, size_t n_extra, struct ecomm *out, size_t max);

/* Intern a route-target set (sorted, deduplicated; the non-RT communities
 * are dropped). NULL on ENOMEM. */
const struct vrf_rts *vrf_rts_get(struct vrf_db *db, const struct ecomm *rts, size_t n);
void vrf_rts_put(struct vrf_db *db, const struct vrf_rts *s);
bool vrf_rts_has(const struct vrf_rts *s, const struct ecomm *rt);

/* Add or replace a VPN path and run the import pipes (pref NULL: LOCAL_PREF
 * 100, the rest 0, as for a route this PE originates). */
int vrf_vpn_update(struct vrf_db *db, const struct vrf_vpn_key *key, const struct ecomm *rts,
		   size_t n_rts, const struct ipaddr *nexthop, uint32_t label,
		   const struct vrf_pref *pref, fib_if_id ifc, vrf_id origin_vrf);
/* Remove a VPN path (0, or -1 with ENOENT). */
int vrf_vpn_withdraw(struct vrf_db *db, const struct vrf_vpn_key *key);
void vrf_vpn_key_make(struct vrf_vpn_key *k, const struct rd *rd, const struct prefix *p,
		      uint32_t path_id);
size_t vrf_vpn_count(const struct vrf_db *db);
/* Remove the VPN paths learnt from peers that no VRF imports any more
 * (RFC 4364 s4.3.3; after import targets or VRFs went away).  Returns how
 * many, or -1 (ENOMEM: nothing removed). */
long vrf_vpn_prune(struct vrf_db *db);

struct vrf_route *vrf_route_get(const struct vrf *v, const struct prefix *p);
struct vrf_route *vrf_route_next(const struct vrf *v, size_t *iter);
/* Longest match for addr among the routes for which ok() holds (NULL ok:
 * any). */
struct vrf_route *vrf_lookup(const struct vrf *v, const struct ipaddr *addr,
			     bool (*ok)(void *ctx, const struct vrf *v, const struct vrf_route *r),
			     void *ctx);
/* The best paths of a route (those left by the decision steps above),
 * ordered by RD and path id; returns how many (at most max: the first max
 * in that order). */
size_t vrf_route_best(const struct vrf_route *r, const struct vrf_vpn **out, size_t max);

/* Bytes held by the VPN table, VRF tables and RT sets. */
size_t vrf_db_bytes(const struct vrf_db *db);

#endif
