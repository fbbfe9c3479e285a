/*
 * svc_show: the data models of `show fib [VRF]`, `show labels` and `show
 * service-topology [NAME]` (docs/ctl-json.md).  One model, rendered as
 * JSON or text by vtopoctl.
 *
 * Not for: the FIB's own model without svc annotations (fib_json.c).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "svc/svc_int.h"
#include "wire/flowspec.h"

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

/* A row of `show fib`: a VRF route, or a static route that is pending
 * (not in the VRF table). */
struct row {
	struct prefix prefix;
	const struct vrf_route *r;
	const struct svc_static_st *st;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return prefix_cmp(&x->prefix, &y->prefix);
}

/* A static route's configured next hop and what it does (RFC 8349):
 * `drop`, `interface IF`, `next-hop-address A`; and whether it goes to
 * the peers (the in-VRF route of an aggregate label does not). */
static void static_json(struct json_object *o, const struct svc *svc,
			const struct svc_static_st *st)
{
	char buf[IPADDR_STRLEN + 32];
	const struct svc_local *l = svc_local_get(svc, st->s.vrf, &st->key.prefix);

	switch (st->s.kind) {
	case SVC_STATIC_BLACKHOLE:
		snprintf(buf, sizeof(buf), "drop");
		break;
	case SVC_STATIC_INTERFACE:
		snprintf(buf, sizeof(buf), "interface %s", st->s.ifname);
		break;
	case SVC_STATIC_ADDRESS: {
		char ip[IPADDR_STRLEN];

		snprintf(buf, sizeof(buf), "next-hop-address %s",
			 ipaddr_fmt(&st->s.nexthop, ip, sizeof(ip)));
		break;
	}
	}
	json_object_object_add(o, "static", str(buf));
	json_object_object_add(o, "exported",
			       json_object_new_boolean(st->up && l != NULL && l->advertised));
}

static struct json_object *route_json(const struct svc *svc, const struct vrf *v,
				      const struct vrf_route *r)
{
	struct json_object *o = json_object_new_object();
	const struct vrf_vpn *best[FIB_ECMP_MAX];
	size_t n = vrf_route_best(r, best, FIB_ECMP_MAX);
	const struct svc_nh *nh = r->user;
	enum svc_pend pend = SVC_PEND_NONE;
	struct svc_decision d;
	char buf[PREFIX_STRLEN];

	const struct svc_static_st *st = n > 0 ? svc_static_of(svc, best[0]) : NULL;

	json_object_object_add(o, "prefix", str(prefix_fmt(&r->prefix, buf, sizeof(buf))));
	memset(&d, 0, sizeof(d));
	if (n > 0)
		svc_decide(svc, v, best[0]->rts, best[0], r->prefix.afi, &d);
	if (st != NULL)
		json_object_object_add(o, "via", str("static"));
	else if (n > 0 && best[0]->ifc != 0)
		json_object_object_add(o, "via", str("local"));
	else
		json_object_object_add(o, "via",
				       str(d.role == SVC_ROLE_CHAIN  ? "service-node"
					   : d.role == SVC_ROLE_LAST ? "last-hop"
								     : "remote-pe"));
	if (d.t != NULL)
		json_object_object_add(o, "topology", str(d.t->name));
	if (nh == NULL)
		pend = SVC_PEND_NO_NEXTHOP;
	else if (nh->chain != NULL)
		pend = nh->chain->pend;
	json_object_object_add(o, "state", str(pend == SVC_PEND_NONE ? "installed" : "pending"));
	if (pend != SVC_PEND_NONE)
		json_object_object_add(o, "reason", str(svc_pend_text(pend)));
	if (nh != NULL)
		json_object_object_add(o, "nexthop", fib_show_nh(svc->fib, nh->f.id));
	json_object_object_add(o, "paths", json_object_new_int((int)n));
	if (st != NULL)
		static_json(o, svc, st);
	return o;
}

/* A static route of v that is not up: why. */
static struct json_object *pending_static_json(const struct svc *svc,
					       const struct svc_static_st *st)
{
	struct json_object *o = json_object_new_object();
	char buf[PREFIX_STRLEN];

	json_object_object_add(o, "prefix", str(prefix_fmt(&st->key.prefix, buf, sizeof(buf))));
	json_object_object_add(o, "via", str("static"));
	json_object_object_add(o, "state", str("pending"));
	json_object_object_add(o, "reason", str(svc_pend_text(st->pend)));
	json_object_object_add(o, "paths", json_object_new_int(0));
	static_json(o, svc, st);
	return o;
}

static int flow_prio_cmp(const void *a, const void *b)
{
	const struct svc_flow *x = *(const struct svc_flow *const *)a;
	const struct svc_flow *y = *(const struct svc_flow *const *)b;

	return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* A VPN FlowSpec route held in VRF v (draft s4.1.5): its match, the
 * topology that steers it and the chain's next hop, or why it has none. */
static struct json_object *flow_json(const struct svc *svc, const struct vrf *v,
				     const struct svc_flow *fl, unsigned k)
{
	struct json_object *o = json_object_new_object();
	const struct svc_nh *nh = fl->inst[k].nh;
	enum svc_pend pend = fl->inst[k].pend;
	char text[1024], hex[2 * FIB_FLOW_MAX + 1], rd[RD_STRLEN];
	struct svc_decision d;
	struct rbuf r;

	rbuf_init(&r, fl->key.nlri, fl->key.len);
	json_object_object_add(o, "rd", str(rd_fmt(&fl->key.rd, rd, sizeof(rd))));
	json_object_object_add(o, "afi", str(fl->key.afi == AFI_IPV6 ? "ipv6" : "ipv4"));
	json_object_object_add(o, "match", str(flowspec_fmt(&r, fl->key.afi, text, sizeof(text))));
	json_object_object_add(o, "nlri", str(hex_encode(fl->key.nlri, fl->key.len, hex)));
	json_object_object_add(o, "id", json_object_new_int64(fl->id));
	json_object_object_add(o, "priority", json_object_new_int64(fl->priority));
	svc_decide(svc, v, fl->rts, NULL, fl->key.afi, &d);
	if (d.t != NULL)
		json_object_object_add(o, "topology", str(d.t->name));
	if (nh == NULL && pend == SVC_PEND_NONE)
		pend = SVC_PEND_NO_NEXTHOP;
	json_object_object_add(o, "state", str(pend == SVC_PEND_NONE ? "installed" : "pending"));
	if (pend != SVC_PEND_NONE)
		json_object_object_add(o, "reason", str(svc_pend_text(pend)));
	if (nh != NULL)
		json_object_object_add(o, "nexthop", fib_show_nh(svc->fib, nh->f.id));
	return o;
}

/* The flows of VRF v in RFC 8955 s5.1 order (the FIB's priority). */
static struct json_object *flows_json(const struct svc *svc, const struct vrf *v)
{
	struct json_object *a = json_object_new_array();
	size_t n = htab_count(&svc->flows), k = 0, i = 0;
	const struct svc_flow **sel = calloc(n ? n : 1, sizeof(*sel));
	struct svc_flow *fl;

	while (sel != NULL && (fl = htab_next(&svc->flows, &i)) != NULL && k < n)
		for (unsigned j = 0; j < fl->n_inst; j++)
			if (fl->inst[j].vrf == v->c.id)
				sel[k++] = fl;
	if (sel != NULL)
		qsort(sel, k, sizeof(*sel), flow_prio_cmp);
	for (i = 0; i < k; i++)
		for (unsigned j = 0; j < sel[i]->n_inst; j++)
			if (sel[i]->inst[j].vrf == v->c.id)
				json_object_array_add(a, flow_json(svc, v, sel[i], j));
	free(sel);
	return a;
}

static struct json_object *vrf_json(const struct svc *svc, const struct vrf *v)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct row *sel;
	size_t n = htab_count(&v->routes) + htab_count(&svc->statics), k = 0, i = 0;
	struct vrf_route *r;
	struct svc_static_st *st;

	json_object_object_add(o, "name", str(v->c.name));
	json_object_object_add(o, "id", json_object_new_int64(v->c.id));
	sel = calloc(n ? n : 1, sizeof(*sel));
	while (sel != NULL && (r = vrf_route_next(v, &i)) != NULL && k < n)
		sel[k++] = (struct row){.prefix = r->prefix, .r = r};
	for (i = 0; sel != NULL && (st = htab_next(&svc->statics, &i)) != NULL && k < n;)
		if (st->s.vrf == v->c.id && !st->up)
			sel[k++] = (struct row){.prefix = st->key.prefix, .st = st};
	if (sel != NULL)
		qsort(sel, k, sizeof(*sel), row_cmp);
	for (i = 0; i < k; i++)
		json_object_array_add(a, sel[i].r ? route_json(svc, v, sel[i].r)
						  : pending_static_json(svc, sel[i].st));
	free(sel);
	json_object_object_add(o, "routes", a);
	json_object_object_add(o, "flows", flows_json(svc, v));
	return o;
}

struct json_object *svc_show_fib(const struct svc *svc, const char *vrf)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	size_t i = 0;
	struct vrf *v;

	while ((v = vrf_next(svc->db, &i)) != NULL)
		if (vrf == NULL || strcmp(vrf, v->c.name) == 0)
			json_object_array_add(a, vrf_json(svc, v));
	json_object_object_add(o, "generation",
			       json_object_new_int64((int64_t)fib_generation(svc->fib)));
	json_object_object_add(o, "vrfs", a);
	return o;
}

struct json_object *svc_show_labels(const struct svc *svc)
{
	struct json_object *a = json_object_new_array();
	char buf[PREFIX_STRLEN];

	for (uint32_t l = vrf_label_next(svc->labels, 0); l != 0;
	     l = vrf_label_next(svc->labels, l)) {
		const struct vrf_label_owner *w = vrf_label_owner(svc->labels, l);
		const struct vrf *v = vrf_get(svc->db, w->vrf);
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "label", json_object_new_int64(l));
		json_object_object_add(o, "mode", str(vrf_label_mode_name(w->mode)));
		json_object_object_add(o, "vrf", str(v ? v->c.name : "?"));
		if (w->mode == VRF_LABEL_PER_PREFIX)
			json_object_object_add(o, "prefix",
					       str(prefix_fmt(&w->prefix, buf, sizeof(buf))));
		if (w->mode == VRF_LABEL_PER_NEXTHOP)
			json_object_object_add(o, "gateway",
					       str(ipaddr_fmt(&w->gw, buf, sizeof(buf))));
		{
			json_object_object_add(o, "action",
					       str(w->mode == VRF_LABEL_PER_VRF
						       ? "pop, lookup in VRF"
						       : "pop, send to next hop"));
		}
		json_object_array_add(a, o);
	}
	return a;
}

static const struct svc_node_st *node_for_hop(const struct svc *svc, const struct svc_hop *h)
{
	size_t i = 0;
	struct svc_node_st *n;

	while ((n = htab_next(&svc->nodes, &i)) != NULL)
		if ((h->ip4.afi && n->n.ip4.afi && ipaddr_cmp(&h->ip4, &n->n.ip4) == 0) ||
		    (h->ip6.afi && n->n.ip6.afi && ipaddr_cmp(&h->ip6, &n->n.ip6) == 0))
			return n;
	return NULL;
}

static struct json_object *topo_json(const struct svc *svc, const struct svc_topo *t)
{
	struct json_object *o = json_object_new_object(), *hops = json_object_new_array(),
			   *vrfs = json_object_new_array();
	char buf[ECOMM_STRLEN];
	size_t i = 0;
	struct svc_chain *c;

	json_object_object_add(o, "name", str(t->name));
	json_object_object_add(o, "rt", str(ecomm_fmt(&t->c.rt, buf, sizeof(buf))));
	json_object_object_add(o, "priority", json_object_new_int64(t->c.priority));
	json_object_object_add(o, "hash",
			       str(t->c.hash == FIB_HASH_SYMMETRIC ? "symmetric" : "5-tuple"));
	for (unsigned h = 0; h < t->c.n_hops; h++) {
		struct json_object *ho = json_object_new_object();
		const struct svc_node_st *n = node_for_hop(svc, &t->c.hops[h]);

		json_object_object_add(ho, "index", json_object_new_int((int)h));
		if (t->c.hops[h].ip4.afi)
			json_object_object_add(
			    ho, "ip4", str(ipaddr_fmt(&t->c.hops[h].ip4, buf, sizeof(buf))));
		if (t->c.hops[h].ip6.afi)
			json_object_object_add(
			    ho, "ip6", str(ipaddr_fmt(&t->c.hops[h].ip6, buf, sizeof(buf))));
		if (n != NULL) {
			const struct vrf *in = vrf_get(svc->db, n->n.in_vrf),
					 *out = vrf_get(svc->db, n->n.out_vrf);

			json_object_object_add(ho, "interface", str(n->n.name));
			json_object_object_add(ho, "in_vrf", str(in ? in->c.name : "?"));
			json_object_object_add(ho, "out_vrf", str(out ? out->c.name : "?"));
			if (in == NULL || out == NULL)
				json_object_object_add(ho, "reason",
						       str(svc_pend_text(SVC_PEND_UNKNOWN_VRF)));
		}
		json_object_array_add(hops, ho);
	}
	while ((c = htab_next(&svc->chains, &i)) != NULL) {
		struct json_object *co;
		const struct vrf *v;

		if (c->key.topo != t->id)
			continue;
		v = vrf_get(svc->db, c->key.vrf);
		co = json_object_new_object();
		json_object_object_add(co, "vrf", str(v ? v->c.name : "?"));
		json_object_object_add(co, "afi", str(c->key.afi == AFI_IPV6 ? "ipv6" : "ipv4"));
		json_object_object_add(co, "next_node", json_object_new_int(c->pos));
		if (c->ip.afi)
			json_object_object_add(co, "service_ip",
					       str(ipaddr_fmt(&c->ip, buf, sizeof(buf))));
		json_object_object_add(co, "state",
				       str(c->pend == SVC_PEND_NONE ? "resolved" : "pending"));
		if (c->pend != SVC_PEND_NONE)
			json_object_object_add(co, "reason", str(svc_pend_text(c->pend)));
		json_object_object_add(co, "users", json_object_new_int64(c->nh->refcnt));
		json_object_object_add(co, "nexthop", fib_show_nh(svc->fib, c->nh->f.id));
		json_object_array_add(vrfs, co);
	}
	json_object_object_add(o, "hops", hops);
	json_object_object_add(o, "vrfs", vrfs);
	return o;
}

struct json_object *svc_show_topology(const struct svc *svc, const char *name)
{
	struct json_object *a = json_object_new_array();
	size_t i = 0;
	struct svc_topo *t;

	while ((t = htab_next(&svc->topos, &i)) != NULL)
		if (name == NULL || strcmp(name, t->name) == 0)
			json_object_array_add(a, topo_json(svc, t));
	return a;
}
