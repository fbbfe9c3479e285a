/*
 * svc_chain: service topologies and the service-topology next-hop
 * resolution of draft s4.1.3.
 *
 * svc_decide() says what a VRF route's best path becomes in a VRF:
 *   PLAIN  no service-topology RT that the VRF imports: normal VPN
 *          forwarding with the route's own next hop and label (intra-zone
 *          routes stay direct, draft s2);
 *   CHAIN  step 1-3: ignore the advertised next hop and label, go to the
 *          next service node of the sequence for this VRF's position (the
 *          first node in an ingress zone VRF, node i+1 in the out-VRF of
 *          node i), through the chain's shared nh;
 *   LAST   step 4: in the out-VRF of the last node, the route's own next
 *          hop and label.
 * A chain object per (VRF, topology, family) resolves the service node's
 * IP inside that VRF (step 3), over routes that are themselves PLAIN (a
 * steered route never carries the resolution of a service node: no
 * loops), to that route's nh: a tunnel to the service-PE with its label,
 * a local interface, or an ECMP set of those (draft s5.2).
 *
 * Not for: FIB object life cycles (svc_nh.c), VRF tables (vrf.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"

struct svc_topo *svc_topo_by_id(const struct svc *svc, uint32_t id)
{
	size_t i = 0;
	struct svc_topo *t;

	while ((t = htab_next(&svc->topos, &i)) != NULL)
		if (t->id == id)
			return t;
	return NULL;
}

static const struct ipaddr *hop_ip(const struct svc_hop *h, uint8_t afi)
{
	return afi == AFI_IPV6 ? &h->ip6 : &h->ip4;
}

static bool node_has_ip(const struct svc_node *n, const struct svc_hop *h)
{
	return (h->ip4.afi && n->ip4.afi && ipaddr_cmp(&h->ip4, &n->ip4) == 0) ||
	       (h->ip6.afi && n->ip6.afi && ipaddr_cmp(&h->ip6, &n->ip6) == 0);
}

/* The index of the service node a route in v goes to next: 0 in an ingress
 * zone VRF, i+1 in the out-VRF of node i (n_hops: v is the last hop). */
unsigned svc_vrf_position(const struct svc *svc, const struct vrf *v, const struct svc_topo *t,
			  uint8_t afi)
{
	size_t i = 0;
	struct svc_node_st *n;

	(void)afi;
	while ((n = htab_next(&svc->nodes, &i)) != NULL) {
		if (!n->active || n->n.out_vrf != v->c.id)
			continue;
		for (unsigned h = t->c.n_hops; h-- > 0;)
			if (node_has_ip(&n->n, &t->c.hops[h]))
				return h + 1;
	}
	return 0;
}

/* Every hop of t has an address of this family: t can carry the route. */
static bool topo_serves(const struct svc_topo *t, uint8_t afi)
{
	for (unsigned h = 0; h < t->c.n_hops; h++)
		if (hop_ip(&t->c.hops[h], afi)->afi == 0)
			return false;
	return true;
}

/* A topology of the route's own family before one that cannot carry it: a
 * zone prefix tagged with the RTs of a VPN-IPv4 and a VPN-IPv6 topology
 * (Figure 1's z1-to-z2 and z1-to-z2-v6 when the egress zone's policy adds
 * both) goes by the one of its family, draft s4.1.3 for RFC 4364 and
 * RFC 4659 alike.  When none serves the family, the route still goes by
 * the best other one and stays pending "wrong family" (fail closed). */
static bool topo_better(const struct svc_topo *a, const struct svc_topo *b, uint8_t afi)
{
	if (b == NULL)
		return true;
	if (topo_serves(a, afi) != topo_serves(b, afi))
		return topo_serves(a, afi);
	if (a->c.priority != b->c.priority)
		return a->c.priority < b->c.priority;
	return strcmp(a->name, b->name) < 0;
}

void svc_decide(const struct svc *svc, const struct vrf *v, const struct vrf_rts *rts,
		const struct vrf_vpn *best, uint8_t afi, struct svc_decision *d)
{
	const struct svc_topo *pick = NULL;
	size_t i = 0;
	struct svc_topo *t;

	memset(d, 0, sizeof(*d));
	d->role = SVC_ROLE_PLAIN;
	/* a route originated in this very VRF is delivered locally */
	if (best != NULL && best->ifc != 0 && best->origin_vrf == v->c.id)
		return;
	if (rts == NULL || rts->n == 0)
		return;
	/* draft s4.1.3: "based on the presence of a Service-topology-RT" -
	 * one that this VRF imports (draft s4.1.2), else intra-zone */
	while ((t = htab_next(&svc->topos, &i)) != NULL)
		if (vrf_rts_has(rts, &t->c.rt) && vrf_imports_rt(v, &t->c.rt) &&
		    topo_better(t, pick, afi))
			pick = t;
	if (pick == NULL)
		return;
	d->t = pick;
	d->pos = svc_vrf_position(svc, v, pick, afi);
	d->role = d->pos >= pick->c.n_hops ? SVC_ROLE_LAST : SVC_ROLE_CHAIN;
}

struct svc_chain *svc_chain_get(struct svc *svc, struct vrf *v, const struct svc_topo *t,
				uint8_t afi)
{
	struct svc_chain_key k;
	struct svc_chain *c;

	memset(&k, 0, sizeof(k));
	k.vrf = v->c.id;
	k.topo = t->id;
	k.afi = afi;
	c = htab_get(&svc->chains, &k);
	if (c != NULL)
		return c;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto nomem;
	c->key = k;
	c->nh = svc_nh_chain_new(svc, c);
	if (c->nh == NULL) {
		free(c);
		return NULL;
	}
	if (htab_put(&svc->chains, c) == c) {
		htab_del(&svc->nh_id, &c->nh->f.id);
		free(c->nh);
		free(c);
		goto nomem;
	}
	svc_chain_resolve(svc, c);
	return c;
nomem:
	if (svc->err == 0)
		svc->err = ENOMEM;
	return NULL;
}

struct ok_ctx {
	const struct svc *svc;
	uint8_t afi;
};

/* A route that may carry the resolution of a service node: it has a best
 * path and is PLAIN in this VRF. */
static bool plain_route(void *ctx, const struct vrf *v, const struct vrf_route *r)
{
	const struct ok_ctx *o = ctx;
	const struct vrf_vpn *best[1];
	struct svc_decision d;

	if (vrf_route_best(r, best, 1) == 0)
		return false;
	svc_decide(o->svc, v, best[0]->rts, best[0], r->prefix.afi, &d);
	return d.role == SVC_ROLE_PLAIN;
}

static void push_chain_nh(struct svc *svc, struct svc_chain *c)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_SET;
	memcpy(&op.u.nh, &c->nh->f, sizeof(c->nh->f));
	svc_push(svc, &op);
}

void svc_chain_resolve(struct svc *svc, struct svc_chain *c)
{
	struct svc_topo *t = svc_topo_by_id(svc, c->key.topo);
	struct vrf *v = vrf_get(svc->db, c->key.vrf);
	struct svc_nh *target = NULL, *old = c->target;
	struct fib_nh f;
	const struct ipaddr *ip;
	bool was_set = c->nh->f.type != FIB_NH_DROP || c->pend != SVC_PEND_NONE || old != NULL;

	/* The topology is gone or this VRF became its last hop: the routes
	 * using this object move off it as their VRF is walked (svc_work);
	 * until the last one has, it keeps forwarding as it did
	 * (make-before-break). */
	if (t == NULL || v == NULL) {
		c->pend = SVC_PEND_UNKNOWN_VRF;
		return;
	}
	if (svc_vrf_position(svc, v, t, c->key.afi) >= t->c.n_hops) {
		c->pend = SVC_PEND_LAST_HOP;
		return;
	}
	c->pend = SVC_PEND_NONE;
	memset(&c->ip, 0, sizeof(c->ip));
	c->pos = (uint8_t)svc_vrf_position(svc, v, t, c->key.afi);
	ip = hop_ip(&t->c.hops[c->pos], c->key.afi);
	if (ip->afi == 0) {
		c->pend = SVC_PEND_WRONG_FAMILY;
		goto done;
	}
	c->ip = *ip;
	{
		struct ok_ctx o = {svc, c->key.afi};
		struct vrf_route *r = vrf_lookup(v, ip, plain_route, &o);
		const struct vrf_vpn *best[FIB_ECMP_MAX];
		size_t n;

		if (r == NULL) {
			c->pend = SVC_PEND_SERVICE_IP;
			goto done;
		}
		n = vrf_route_best(r, best, FIB_ECMP_MAX);
		target = svc_nh_paths(svc, best, n);
		if (target == NULL)
			c->pend = SVC_PEND_NO_NEXTHOP;
	}
done:
	/* make-before-break: the new target exists (pushed by svc_nh_get),
	 * the chain nh is rewritten in place, then the old target goes */
	memset(&f, 0, sizeof(f));
	if (target != NULL)
		memcpy(&f, &target->f, sizeof(f));
	else
		f.type = FIB_NH_DROP;
	f.id = c->nh->f.id;
	/* the topology's hash over an anycast set (s5.2): symmetric makes a
	 * flow and its reverse, steered by the reverse topology, pick the
	 * same instance (draft-ietf-bess-service-chaining s3.4.2) */
	if (f.type == FIB_NH_ECMP)
		f.hash = t->c.hash;
	if (!was_set || memcmp(&f, &c->nh->f, sizeof(f)) != 0) {
		memcpy(&c->nh->f, &f, sizeof(f));
		push_chain_nh(svc, c);
	}
	c->target = target;
	svc_nh_put(svc, old);
}

void svc_chain_free(struct svc *svc, struct svc_chain *c)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_DEL;
	op.u.nh.id = c->nh->f.id;
	svc_push(svc, &op);
	htab_del(&svc->chains, &c->key);
	htab_del(&svc->nh_id, &c->nh->f.id);
	svc_nh_put(svc, c->target);
	free(c->nh);
	free(c);
}

void svc_chains_touch(struct svc *svc, const struct vrf *v, const struct prefix *p)
{
	struct svc_chain *list[64], *c;
	size_t i = 0, n = 0;

	/* collect first: resolving may free nothing but must not race the walk */
	while ((c = htab_next(&svc->chains, &i)) != NULL) {
		if (v != NULL && c->key.vrf != v->c.id)
			continue;
		if (p != NULL && c->ip.afi != 0 && !prefix_contains_addr(p, &c->ip))
			continue;
		if (p != NULL && c->ip.afi == 0 && c->pend != SVC_PEND_SERVICE_IP)
			continue;
		if (n < 64)
			list[n++] = c;
		else
			svc_chain_resolve(svc, c);
	}
	for (i = 0; i < n; i++)
		svc_chain_resolve(svc, list[i]);
}
