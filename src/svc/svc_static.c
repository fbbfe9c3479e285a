/*
 * svc_static: a VRF's static routes (RFC 8349 static-routes, see svc.h):
 * each is resolved to an interface and gateway, or to a drop, and then
 * originated as a local route of its VRF (svc.c), so that it is installed,
 * imported by the local VRFs that import its RTs and exported like an
 * attachment's host route.  Resolution is redone when what it depends on
 * changes: the VRF, an attachment or service node of the VRF coming or
 * going, a route of the VRF covering a next-hop-address.
 *
 * Not for: the FIB binding of VRF routes (svc.c), labels (svc.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"

static void st_key(struct svc_local_key *k, vrf_id vrf, const struct prefix *p)
{
	memset(k, 0, sizeof(*k));
	k->vrf = vrf;
	k->prefix = *p;
	prefix_normalize(&k->prefix);
}

/* What a static resolves to right now. */
struct resolved {
	enum svc_pend pend;
	fib_if_id ifc;
	struct ipaddr gw; /* unset: on-link */
	bool no_export;
};

const struct svc_static_st *svc_static_of(const struct svc *svc, const struct vrf_vpn *p)
{
	struct svc_local_key k;
	const struct svc_static_st *st;
	const struct vrf *v;

	if (p == NULL || p->ifc == 0 || htab_count(&svc->statics) == 0)
		return NULL;
	st_key(&k, p->origin_vrf, &p->key.prefix);
	st = htab_get(&svc->statics, &k);
	v = vrf_get(svc->db, p->origin_vrf);
	/* the path is the static's when the static is up: an attachment's
	 * route of the same key keeps the static pending */
	if (st == NULL || !st->up || v == NULL || rd_cmp(&v->c.rd, &p->key.rd) != 0)
		return NULL;
	return st;
}

/* A route a next-hop-address may resolve over: delivered here on an
 * interface (RFC 8349 s3 "the next hop ... in the same routing
 * instance"), and not itself resolved through an address, so that two
 * statics never resolve through each other. */
static bool resolvable(void *ctx, const struct vrf *v, const struct vrf_route *r)
{
	const struct svc *svc = ctx;
	const struct vrf_vpn *best[1];
	const struct svc_static_st *st;

	(void)v;
	if (vrf_route_best(r, best, 1) == 0 || best[0]->ifc == 0 ||
	    best[0]->ifc == VRF_IFC_BLACKHOLE)
		return false;
	st = svc_static_of(svc, best[0]);
	return st == NULL || st->s.kind != SVC_STATIC_ADDRESS;
}

static void resolve_address(struct svc *svc, const struct vrf *v, const struct svc_static *s,
			    struct resolved *out)
{
	const struct vrf_vpn *best[1];
	struct vrf_route *r = vrf_lookup(v, &s->nexthop, resolvable, svc);

	if (r == NULL || vrf_route_best(r, best, 1) == 0) {
		out->pend = SVC_PEND_STATIC_NH;
		return;
	}
	out->ifc = best[0]->ifc;
	/* a host route's gateway is the host; an on-link route's is the
	 * next-hop-address itself; a route to a node, the node */
	out->gw = best[0]->nexthop.afi ? best[0]->nexthop : s->nexthop;
}

/* An attachment of the VRF (on-link) or a service node whose in-VRF the
 * VRF is (the node's address of the family: s4.1.5). */
static void resolve_interface(struct svc *svc, const struct svc_static *s, struct resolved *out)
{
	const struct svc_attach_st *a = htab_get(&svc->attaches, &s->ifc);
	const struct svc_node_st *n = htab_get(&svc->nodes, &s->ifc);

	if (a != NULL && a->active && a->a.vrf == s->vrf) {
		out->ifc = s->ifc;
		return;
	}
	if (n != NULL && n->active && n->n.in_vrf == s->vrf) {
		const struct ipaddr *ip = s->prefix.afi == AFI_IPV6 ? &n->n.ip6 : &n->n.ip4;

		if (ip->afi == 0) {
			out->pend = SVC_PEND_WRONG_FAMILY;
			return;
		}
		out->ifc = s->ifc;
		out->gw = *ip;
		out->no_export = true;
		return;
	}
	out->pend = SVC_PEND_STATIC_IF;
}

static void resolve(struct svc *svc, const struct svc_static_st *st, struct resolved *out)
{
	const struct vrf *v = vrf_get(svc->db, st->s.vrf);
	const struct svc_local *l;

	memset(out, 0, sizeof(*out));
	if (v == NULL) {
		out->pend = SVC_PEND_UNKNOWN_VRF;
		return;
	}
	l = svc_local_get(svc, st->s.vrf, &st->key.prefix);
	if (l != NULL && !l->is_static) {
		out->pend = SVC_PEND_STATIC_TAKEN;
		return;
	}
	switch (st->s.kind) {
	case SVC_STATIC_BLACKHOLE:
		out->ifc = VRF_IFC_BLACKHOLE;
		break;
	case SVC_STATIC_INTERFACE:
		resolve_interface(svc, &st->s, out);
		break;
	case SVC_STATIC_ADDRESS:
		resolve_address(svc, v, &st->s, out);
		break;
	}
}

static void st_down(struct svc *svc, struct svc_static_st *st, enum svc_pend why)
{
	st->pend = why;
	if (!st->up)
		return;
	st->up = false;
	svc_local_static_del(svc, st->s.vrf, &st->key.prefix);
}

/* Bring st to what it resolves to now; nothing when that is what it has.
 * The state is written before the VRF hears of it: the route change it
 * causes may come back here (svc_statics_touch) and must find it done. */
static void st_eval(struct svc *svc, struct svc_static_st *st)
{
	struct vrf *v = vrf_get(svc->db, st->s.vrf);
	struct svc_local *l;
	struct resolved r;

	resolve(svc, st, &r);
	if (r.pend != SVC_PEND_NONE) {
		st_down(svc, st, r.pend);
		return;
	}
	l = st->up ? svc_local_get(svc, st->s.vrf, &st->key.prefix) : NULL;
	if (l != NULL && (l->no_export != r.no_export || l->mode != v->c.label_mode)) {
		st_down(svc, st, SVC_PEND_NONE); /* exportability or label mode */
		l = NULL;
	}
	st->pend = SVC_PEND_NONE;
	if (l != NULL) {
		if (l->ifc != r.ifc || ipaddr_cmp(&l->gw, &r.gw) != 0)
			svc_local_static_move(svc, v, l, r.ifc, &r.gw);
		return;
	}
	st->up = true;
	if (svc_local_static_add(svc, v, &st->key.prefix, r.ifc, &r.gw, r.no_export) == NULL) {
		st->up = false;
		st->pend = SVC_PEND_STATIC_TAKEN;
	}
}

void svc_statics_eval(struct svc *svc, vrf_id vrf)
{
	size_t i = 0;
	struct svc_static_st *st;

	while ((st = htab_next(&svc->statics, &i)) != NULL)
		if (vrf == 0 || st->s.vrf == vrf)
			st_eval(svc, st);
}

void svc_statics_touch(struct svc *svc, const struct vrf *v, const struct prefix *p)
{
	size_t i = 0;
	struct svc_static_st *st;

	if (svc->n_static_addr == 0)
		return;
	while ((st = htab_next(&svc->statics, &i)) != NULL)
		if (st->s.kind == SVC_STATIC_ADDRESS && st->s.vrf == v->c.id &&
		    prefix_contains_addr(p, &st->s.nexthop))
			st_eval(svc, st);
}

void svc_statics_vrf_gone(struct svc *svc, vrf_id vrf)
{
	size_t i = 0;
	struct svc_static_st *st;

	while ((st = htab_next(&svc->statics, &i)) != NULL)
		if (st->s.vrf == vrf)
			st_down(svc, st, SVC_PEND_UNKNOWN_VRF);
}

void svc_static_yield(struct svc *svc, struct svc_local *l)
{
	struct svc_local_key k = l->key;
	struct svc_static_st *st = htab_get(&svc->statics, &k);

	if (st != NULL)
		st_down(svc, st, SVC_PEND_STATIC_TAKEN);
	else
		svc_local_static_del(svc, k.vrf, &k.prefix);
}

int svc_static_set(struct svc *svc, const struct svc_static *s)
{
	struct svc_local_key k;
	struct svc_static_st *st;
	bool add;

	if (s->vrf == 0 || afi_addr_bits(s->prefix.afi) == 0 ||
	    s->prefix.len > afi_addr_bits(s->prefix.afi) ||
	    (s->kind == SVC_STATIC_ADDRESS && s->nexthop.afi != s->prefix.afi) ||
	    (s->kind == SVC_STATIC_INTERFACE && (s->ifc == 0 || s->ifc == VRF_IFC_BLACKHOLE)) ||
	    (s->kind != SVC_STATIC_ADDRESS && s->kind != SVC_STATIC_INTERFACE &&
	     s->kind != SVC_STATIC_BLACKHOLE)) {
		errno = EINVAL;
		return -1;
	}
	st_key(&k, s->vrf, &s->prefix);
	st = htab_get(&svc->statics, &k);
	add = st == NULL;
	if (add) {
		st = calloc(1, sizeof(*st));
		if (st == NULL) {
			errno = ENOMEM;
			return -1;
		}
		st->key = k;
		if (htab_put(&svc->statics, st) == st) {
			free(st);
			errno = ENOMEM;
			return -1;
		}
	} else if (st->s.kind == SVC_STATIC_ADDRESS) {
		svc->n_static_addr--;
	}
	st->s = *s;
	st->s.prefix = k.prefix;
	if (s->kind == SVC_STATIC_ADDRESS)
		svc->n_static_addr++;
	st_eval(svc, st);
	return svc_result(svc);
}

int svc_static_del(struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct svc_local_key k;
	struct svc_static_st *st;

	st_key(&k, vrf, p);
	st = htab_del(&svc->statics, &k);
	if (st == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (st->s.kind == SVC_STATIC_ADDRESS)
		svc->n_static_addr--;
	/* out of the table first: the withdrawal's route change must not
	 * find it */
	if (st->up)
		svc_local_static_del(svc, vrf, &k.prefix);
	free(st);
	return svc_result(svc);
}

void svc_statics_free(struct svc *svc)
{
	size_t i = 0;
	struct svc_static_st *st;

	while ((st = htab_next(&svc->statics, &i)) != NULL)
		free(st);
	htab_free(&svc->statics);
}
