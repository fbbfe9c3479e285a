/*
 * svc: configuration, VPN routes in, local exports and labels out, and the
 * binding of every VRF route to its FIB next hop (see svc.h).
 *
 * Not for: the chain decision and resolution (svc_chain.c), next-hop
 * objects (svc_nh.c), FlowSpec (svc_flow.c), show models (svc_show.c),
 * static-route resolution (svc_static.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"

static void push_route(struct svc *svc, vrf_id vrf, const struct prefix *p, fib_nh_id nh)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = nh ? FIB_OP_ROUTE_SET : FIB_OP_ROUTE_DEL;
	op.u.route.vrf = vrf;
	op.u.route.prefix = *p;
	op.u.route.nh = nh;
	svc_push(svc, &op);
}

static void push_label(struct svc *svc, uint32_t label, fib_nh_id nh)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = nh ? FIB_OP_LABEL_SET : FIB_OP_LABEL_DEL;
	op.u.label.label = label;
	op.u.label.nh = nh;
	svc_push(svc, &op);
}

/* The default route an aggregate-label service node puts in its in-VRF
 * (node_dflt) for p in vrf, or NULL: it holds the FIB slot while no VRF
 * route (a static default, s4.1.5) does. */
static const struct svc_nh *node_dflt_for(const struct svc *svc, vrf_id vrf,
					  const struct prefix *p)
{
	size_t i = 0;
	struct svc_node_st *n;

	if (p->len != 0)
		return NULL;
	while ((n = htab_next(&svc->nodes, &i)) != NULL)
		if (n->n.in_vrf == vrf && n->dflt[p->afi == AFI_IPV6] != NULL)
			return n->dflt[p->afi == AFI_IPV6];
	return NULL;
}

/* Bind one VRF route to the next hop its best paths resolve to (draft
 * s4.1.3); the new nh is in the FIB before the route moves to it and the
 * old one is released after. */
void svc_route_eval(struct svc *svc, struct vrf *v, struct vrf_route *r)
{
	const struct vrf_vpn *best[FIB_ECMP_MAX];
	struct svc_nh *old = r->user, *nh = NULL;
	struct svc_decision d;
	size_t n = vrf_route_best(r, best, FIB_ECMP_MAX);
	struct svc_vrf *sv = v->user;

	/* evaluated under the current configuration: done for a walk */
	if (sv != NULL && n > 0 && r->mark != sv->walk_gen) {
		r->mark = sv->walk_gen;
		sv->marked++;
	} else if (sv != NULL && n == 0 && r->mark == sv->walk_gen && sv->marked > 0) {
		sv->marked--; /* the route goes away */
	}

	if (n > 0) {
		svc_decide(svc, v, best[0]->rts, best[0], r->prefix.afi, &d);
		if (d.role == SVC_ROLE_CHAIN) {
			struct svc_chain *c = svc_chain_get(svc, v, d.t, r->prefix.afi);

			nh = c ? svc_nh_hold(c->nh) : NULL;
		} else {
			nh = svc_nh_paths(svc, best, n);
		}
	}
	if (nh == old) {
		svc_nh_put(svc, nh);
		return;
	}
	if (nh == NULL) { /* an aggregate node's default takes the slot back */
		const struct svc_nh *dn = node_dflt_for(svc, v->c.id, &r->prefix);

		push_route(svc, v->c.id, &r->prefix, dn ? dn->f.id : 0);
	} else {
		push_route(svc, v->c.id, &r->prefix, nh->f.id);
	}
	r->user = nh;
	svc_nh_put(svc, old);
}

static void route_changed(void *ctx, struct vrf *v, struct vrf_route *r)
{
	struct svc *svc = ctx;

	svc_route_eval(svc, v, r);
	/* a service node's route changed: re-point the chains that use it */
	svc_chains_touch(svc, v, &r->prefix);
	/* a CE's route changed: re-resolve the statics via it */
	svc_statics_touch(svc, v, &r->prefix);
}

/* Queue a walk of v: every route is re-bound under the configuration
 * as it is now, a bounded number per svc_work() call (HOUSE-STYLE
 * principle 10).  Routes updated meanwhile are evaluated at once and
 * count as done. */
void svc_vrf_dirty(struct svc *svc, struct vrf *v)
{
	struct svc_vrf *sv = v->user;

	(void)svc;
	if (sv == NULL)
		return;
	sv->walk_gen++;
	sv->walking = true;
	sv->cursor = 0;
	sv->marked = 0;
}

/* Walk one VRF for at most *budget routes; true when it is done. */
static bool vrf_walk_step(struct svc *svc, struct vrf *v, unsigned *budget)
{
	struct svc_vrf *sv = v->user;
	struct vrf_route *r;

	while (*budget > 0) {
		r = vrf_route_next(v, &sv->cursor);
		if (r == NULL) {
			/* a deletion's backward shift can move a route behind
			 * the cursor: go round again until every one is done */
			if (sv->marked >= htab_count(&v->routes)) {
				sv->walking = false;
				return true;
			}
			sv->cursor = 0;
			continue;
		}
		(*budget)--;
		if (r->mark != sv->walk_gen)
			svc_route_eval(svc, v, r);
	}
	return false;
}

bool svc_work(struct svc *svc, unsigned budget)
{
	size_t i = 0;
	struct vrf *v;
	bool more = false;

	if (budget == 0)
		budget = 1;
	while ((v = vrf_next(svc->db, &i)) != NULL) {
		struct svc_vrf *sv = v->user;

		if (sv == NULL || !sv->walking)
			continue;
		if (!vrf_walk_step(svc, v, &budget)) {
			more = true;
			break;
		}
		/* chains left without users are gone; the rest re-resolve */
		svc_chains_touch(svc, v, NULL);
	}
	return more;
}

struct svc *svc_new(const struct svc_config *c, struct fib *fib, svc_export_fn exp, void *ctx)
{
	struct svc *svc = calloc(1, sizeof(*svc));

	if (svc == NULL)
		return NULL;
	svc->c = *c;
	svc->fib = fib;
	svc->exp = exp;
	svc->exp_ctx = ctx;
	svc->db = vrf_db_new(route_changed, svc);
	svc->labels = vrf_labels_new(c->label_first, c->label_last);
	if (svc->db == NULL || svc->labels == NULL) {
		vrf_db_free(svc->db);
		vrf_labels_free(svc->labels);
		free(svc);
		return NULL;
	}
	htab_init(&svc->nh_content, offsetof(struct svc_nh, f.type),
		  sizeof(struct fib_nh) - offsetof(struct fib_nh, type));
	htab_init(&svc->nh_id, offsetof(struct svc_nh, f.id), sizeof(fib_nh_id));
	htab_init(&svc->peers, offsetof(struct svc_peer, addr), sizeof(struct ipaddr));
	htab_init(&svc->chains, 0, sizeof(struct svc_chain_key));
	htab_init(&svc->topos, 0, SVC_NAME_MAX);
	htab_init(&svc->locals, 0, offsetof(struct svc_local_key, pad));
	htab_init(&svc->attaches, offsetof(struct svc_attach_st, a.ifc), sizeof(fib_if_id));
	htab_init(&svc->nodes, offsetof(struct svc_node_st, n.ifc), sizeof(fib_if_id));
	htab_init(&svc->flows, 0, sizeof(struct svc_flow_key));
	htab_init(&svc->statics, 0, offsetof(struct svc_local_key, pad));
	return svc;
}

static void free_all(struct htab *h)
{
	size_t i = 0;
	void *o;

	while ((o = htab_next(h, &i)) != NULL)
		free(o);
	htab_free(h);
}

struct vrf_labels *svc_labels(struct svc *svc)
{
	return svc->labels;
}

void svc_free(struct svc *svc)
{
	size_t i = 0;
	struct vrf *v;

	if (svc == NULL)
		return;
	while ((v = vrf_next(svc->db, &i)) != NULL)
		free(v->user);
	svc_flow_free_all(svc);
	svc_statics_free(svc);
	vrf_db_free(svc->db);
	vrf_labels_free(svc->labels);
	free_all(&svc->nh_id); /* every nh, plain and chain */
	htab_free(&svc->nh_content);
	free_all(&svc->peers);
	free(svc->pe_cfg);
	free_all(&svc->chains);
	free_all(&svc->topos);
	free_all(&svc->locals);
	free_all(&svc->attaches);
	free_all(&svc->nodes);
	free(svc);
}

/* The outcome of an API call: 0, or -1 with errno from the first error
 * recorded in svc->err since the last call (which it clears). */
int svc_result(struct svc *svc)
{
	int e = svc->err;

	svc->err = 0;
	if (e == 0)
		return 0;
	errno = e;
	return -1;
}

int svc_commit(struct svc *svc)
{
	return fib_commit(svc->fib);
}

/* --- VRFs --- */

static void vrf_dependents_up(struct svc *svc);
static bool export_changed(const struct vrf_config *a, const struct vrf_config *b);
static void locals_reexport(struct svc *svc, struct vrf *v, const struct vrf_config *old);

int svc_vrf_set(struct svc *svc, const struct vrf_config *c)
{
	struct vrf_config old = {0};
	struct fib_op op;
	struct vrf *v;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_VRF_SET;
	op.u.vrf.id = c->id;
	memcpy(op.u.vrf.name, c->name, sizeof(op.u.vrf.name));
	op.u.vrf.name[FIB_NAME_MAX - 1] = '\0';
	svc_push(svc, &op); /* the table exists before routes go in */
	v = vrf_get(svc->db, c->id);
	if (v != NULL)
		old = v->c;
	if (vrf_set(svc->db, c) != 0)
		return -1;
	v = vrf_get(svc->db, c->id);
	if (v->user == NULL)
		v->user = calloc(1, sizeof(struct svc_vrf));
	if (v->user == NULL)
		svc->err = ENOMEM;
	else if (old.id != 0 && export_changed(&old, c))
		locals_reexport(svc, v, &old);
	/* import RTs or positions may have changed the decisions */
	svc_vrf_dirty(svc, v);
	svc_chains_touch(svc, v, NULL);
	svc_flows_eval(svc);
	vrf_dependents_up(svc);
	svc_statics_eval(svc, c->id);
	return svc_result(svc);
}

/* --- local exports and labels (draft s2, s4.1.1) --- */

/* The RTs a local route is exported with under the VRF configuration c
 * (draft s4.1.2: export RTs and the export policy, for this route). */
static int local_rts(const struct svc_local *l, const struct vrf_config *c, struct ecomm *out,
		     size_t max)
{
	if (l->no_export)
		return 0; /* in its own VRF only (vrf.c: local routes always are) */
	return vrf_export_rts(c, &l->key.prefix, l->att[0] ? l->att : NULL, l->extra, l->n_extra,
			      out, max);
}

/* Advertise a local route to the peers, or withdraw it: a route the
 * export policy rejects (reject-route) is withdrawn if it was advertised
 * and otherwise not sent; nothing is withdrawn that was not advertised. */
static void emit(struct svc *svc, struct svc_local *l, const struct vrf *v, bool withdraw)
{
	struct svc_export e;

	if (l->no_export)
		return;
	if (!withdraw && vrf_policy_rejects(v->c.policy, v->c.n_policy, &l->key.prefix,
					    l->att[0] ? l->att : NULL))
		withdraw = true;
	if (svc->exp == NULL || (withdraw && !l->advertised))
		return;
	l->advertised = !withdraw;
	memset(&e, 0, sizeof(e));
	e.withdraw = withdraw;
	e.rd = v->c.rd;
	e.prefix = l->key.prefix;
	if (!withdraw) {
		e.label = l->label;
		e.nexthop = l->key.prefix.afi == AFI_IPV6 && svc->c.local6.afi ? svc->c.local6
									       : svc->c.local4;
		e.n_rts = (uint8_t)local_rts(l, &v->c, e.rts, sizeof(e.rts) / sizeof(e.rts[0]));
		vrf_policy_attrs(v->c.policy, v->c.n_policy, &l->key.prefix,
				 l->att[0] ? l->att : NULL, &e.attrs);
	}
	svc->exp(svc->exp_ctx, &e);
}

static struct svc_nh *local_nh(struct svc *svc, fib_if_id ifc, const struct ipaddr *gw)
{
	struct fib_nh k;

	memset(&k, 0, sizeof(k));
	k.type = FIB_NH_LOCAL;
	if (ifc == VRF_IFC_BLACKHOLE) { /* a blackhole static's label drops */
		k.type = FIB_NH_DROP;
		return svc_nh_get(svc, &k);
	}
	k.ifc = ifc;
	k.gw = *gw;
	return svc_nh_get(svc, &k);
}

/* The label a local route is advertised with, by mode (vrf_label.h). */
static void label_bind(struct svc *svc, struct vrf *v, struct svc_local *l)
{
	struct svc_vrf *sv = v->user;
	struct vrf_label_owner o;
	struct fib_nh k;

	if (l->no_export)
		return; /* never advertised: no label */
	memset(&o, 0, sizeof(o));
	o.mode = l->mode;
	o.vrf = v->c.id;
	switch (l->mode) {
	case VRF_LABEL_PER_VRF:
		if (sv->label == 0) {
			memset(&k, 0, sizeof(k));
			k.type = FIB_NH_LOOKUP;
			k.vrf = v->c.id;
			sv->lookup = svc_nh_get(svc, &k);
			sv->label = sv->lookup ? vrf_label_alloc(svc->labels, &o) : 0;
			if (sv->label != 0)
				push_label(svc, sv->label, sv->lookup->f.id);
		}
		sv->label_users++;
		l->label = sv->label;
		break;
	case VRF_LABEL_PER_PREFIX:
		o.prefix = l->key.prefix;
		o.ifc = l->ifc; /* its action, for a preferred binding */
		o.gw = l->gw;
		l->label_nh = local_nh(svc, l->ifc, &l->gw);
		l->label = l->label_nh ? vrf_label_alloc(svc->labels, &o) : 0;
		if (l->label != 0)
			push_label(svc, l->label, l->label_nh->f.id);
		break;
	case VRF_LABEL_PER_NEXTHOP:
		o.ifc = l->ifc;
		o.gw = l->gw;
		l->label_nh = local_nh(svc, l->ifc, &l->gw);
		if (l->label_nh != NULL && l->label_nh->label == 0) {
			l->label_nh->label = vrf_label_alloc(svc->labels, &o);
			if (l->label_nh->label != 0)
				push_label(svc, l->label_nh->label, l->label_nh->f.id);
		}
		l->label = l->label_nh ? l->label_nh->label : 0;
		break;
	}
	if (l->label == 0 && svc->err == 0)
		svc->err = ENOSPC;
}

static void label_unbind(struct svc *svc, struct vrf *v, struct svc_local *l)
{
	struct svc_vrf *sv = v->user;

	if (l->no_export)
		return;
	switch (l->mode) {
	case VRF_LABEL_PER_VRF:
		if (sv->label_users > 0 && --sv->label_users == 0 && sv->label != 0) {
			push_label(svc, sv->label, 0);
			vrf_label_release(svc->labels, sv->label);
			sv->label = 0;
			svc_nh_put(svc, sv->lookup);
			sv->lookup = NULL;
		}
		break;
	case VRF_LABEL_PER_PREFIX:
		if (l->label != 0) {
			push_label(svc, l->label, 0);
			vrf_label_release(svc->labels, l->label);
		}
		svc_nh_put(svc, l->label_nh);
		break;
	case VRF_LABEL_PER_NEXTHOP:
		svc_nh_put(svc, l->label_nh); /* the label goes with the nh */
		break;
	}
	l->label = 0;
	l->label_nh = NULL;
}

static void local_key(struct svc_local_key *k, vrf_id vrf, const struct ipaddr *a)
{
	memset(k, 0, sizeof(*k));
	k->vrf = vrf;
	k->prefix.afi = a->afi;
	k->prefix.len = (uint8_t)afi_addr_bits(a->afi);
	memcpy(k->prefix.b, a->b, 16);
}

static void local_key_prefix(struct svc_local_key *k, vrf_id vrf, const struct prefix *p)
{
	memset(k, 0, sizeof(*k));
	k->vrf = vrf;
	k->prefix = *p;
	prefix_normalize(&k->prefix);
}

/* Originate a local route: into the VPN table (its own VRF and the local
 * VRFs importing it) and to the peers.  NULL when it is not originated:
 * the key is another local route's (an attachment or service node takes
 * it from a static route, never the reverse) or no memory. */
static struct svc_local *local_make(struct svc *svc, struct vrf *v, const struct svc_local *tpl)
{
	struct svc_local *l, *had = htab_get(&svc->locals, &tpl->key);
	struct vrf_vpn_key vk;
	struct ecomm rts[VRF_RT_MAX * 3];
	int n;

	if (had != NULL && had->is_static && !tpl->is_static)
		svc_static_yield(svc, had); /* goes pending, frees had */
	else if (had != NULL)
		return NULL; /* already originated */
	l = malloc(sizeof(*l));
	if (l == NULL) {
		svc->err = ENOMEM;
		return NULL;
	}
	*l = *tpl;
	if (htab_put(&svc->locals, l) != NULL) {
		free(l);
		svc->err = ENOMEM;
		return NULL;
	}
	label_bind(svc, v, l);
	n = local_rts(l, &v->c, rts, sizeof(rts) / sizeof(rts[0]));
	vrf_vpn_key_make(&vk, &v->c.rd, &l->key.prefix, 0);
	if (vrf_vpn_update(svc->db, &vk, rts, (size_t)n, &l->gw, l->label, NULL, l->ifc,
			   v->c.id) != 0)
		svc->err = errno;
	emit(svc, l, v, false);
	return l;
}

/* Originate a host route (draft s2: "the attached PE starts to export the
 * CE's IP address with the corresponding zone-RT"). */
static void local_add(struct svc *svc, struct vrf *v, fib_if_id ifc, const struct ipaddr *host,
		      enum vrf_label_mode mode, const struct ecomm *extra, uint8_t n_extra,
		      const char *att)
{
	struct svc_local l;

	if (host->afi == 0)
		return;
	memset(&l, 0, sizeof(l));
	local_key(&l.key, v->c.id, host);
	l.ifc = ifc;
	l.gw = *host;
	l.mode = mode;
	l.n_extra = n_extra > VRF_RT_MAX ? VRF_RT_MAX : n_extra;
	if (l.n_extra > 0)
		memcpy(l.extra, extra, l.n_extra * sizeof(*extra));
	if (att != NULL)
		snprintf(l.att, sizeof(l.att), "%s", att);
	(void)local_make(svc, v, &l);
}

struct svc_local *svc_local_static_add(struct svc *svc, struct vrf *v, const struct prefix *p,
				       fib_if_id ifc, const struct ipaddr *gw, bool no_export)
{
	struct svc_local l;

	memset(&l, 0, sizeof(l));
	local_key_prefix(&l.key, v->c.id, p);
	l.ifc = ifc;
	l.gw = *gw;
	l.mode = v->c.label_mode;
	l.is_static = true;
	l.no_export = no_export;
	return local_make(svc, v, &l);
}

/* A static's next hop moved (another interface or gateway): the VRF
 * route follows in place; the peers hear of it only when the label
 * changes (per-prefix / per-next-hop modes). */
void svc_local_static_move(struct svc *svc, struct vrf *v, struct svc_local *l, fib_if_id ifc,
			   const struct ipaddr *gw)
{
	struct svc_local old = *l;
	struct vrf_vpn_key vk;
	struct ecomm rts[VRF_RT_MAX * 3];
	int n;

	l->ifc = ifc;
	l->gw = *gw;
	l->label = 0;
	l->label_nh = NULL;
	label_bind(svc, v, l); /* the new label before the old one goes */
	label_unbind(svc, v, &old);
	n = local_rts(l, &v->c, rts, sizeof(rts) / sizeof(rts[0]));
	vrf_vpn_key_make(&vk, &v->c.rd, &l->key.prefix, 0);
	if (vrf_vpn_update(svc->db, &vk, rts, (size_t)n, &l->gw, l->label, NULL, l->ifc,
			   v->c.id) != 0)
		svc->err = errno;
	if (l->label != old.label)
		emit(svc, l, v, false);
}

struct svc_local *svc_local_get(const struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct svc_local_key k;

	local_key_prefix(&k, vrf, p);
	return htab_get(&svc->locals, &k);
}

static void local_del_key(struct svc *svc, const struct svc_local_key *k);

void svc_local_static_del(struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct svc_local_key k;

	local_key_prefix(&k, vrf, p);
	local_del_key(svc, &k);
}

static void local_del(struct svc *svc, vrf_id vrf, const struct ipaddr *host)
{
	struct svc_local_key k;

	local_key(&k, vrf, host);
	local_del_key(svc, &k);
}

static void local_del_key(struct svc *svc, const struct svc_local_key *k)
{
	struct svc_local *l;
	struct vrf *v = vrf_get(svc->db, k->vrf);
	struct vrf_vpn_key vk;

	l = htab_del(&svc->locals, k);
	if (l == NULL || v == NULL) {
		free(l);
		return;
	}
	emit(svc, l, v, true);
	vrf_vpn_key_make(&vk, &v->c.rd, &l->key.prefix, 0);
	(void)vrf_vpn_withdraw(svc->db, &vk);
	label_unbind(svc, v, l);
	free(l);
}

static bool export_changed(const struct vrf_config *a, const struct vrf_config *b)
{
	return rd_cmp(&a->rd, &b->rd) != 0 || a->n_export != b->n_export ||
	       a->n_policy != b->n_policy ||
	       memcmp(a->export_rt, b->export_rt, a->n_export * sizeof(a->export_rt[0])) != 0 ||
	       memcmp(a->policy, b->policy, a->n_policy * sizeof(a->policy[0])) != 0;
}

/* The VRF's RD, export RTs or export policy changed: each local route
 * whose RT set, LOCAL_PREF, MED or rejection changed is advertised again
 * with the new ones, or withdrawn (a new RD withdraws the old route); the
 * others are left alone, no UPDATE. */
static void locals_reexport(struct svc *svc, struct vrf *v, const struct vrf_config *old)
{
	bool new_rd = rd_cmp(&old->rd, &v->c.rd) != 0;
	size_t i = 0;
	struct svc_local *l;

	while ((l = htab_next(&svc->locals, &i)) != NULL) {
		struct vrf_vpn_key vk;
		struct ecomm rts[VRF_RT_MAX * 3], was[VRF_RT_MAX * 3];
		struct vrf_policy_attrs attrs, attrs_was;
		const char *att = l->att[0] ? l->att : NULL;
		int n, n_was;

		if (l->key.vrf != v->c.id)
			continue;
		n = local_rts(l, &v->c, rts, sizeof(rts) / sizeof(rts[0]));
		n_was = local_rts(l, old, was, sizeof(was) / sizeof(was[0]));
		vrf_policy_attrs(v->c.policy, v->c.n_policy, &l->key.prefix, att, &attrs);
		vrf_policy_attrs(old->policy, old->n_policy, &l->key.prefix, att, &attrs_was);
		if (!new_rd && n == n_was && memcmp(rts, was, (size_t)n * sizeof(rts[0])) == 0 &&
		    memcmp(&attrs, &attrs_was, sizeof(attrs)) == 0 &&
		    vrf_policy_rejects(v->c.policy, v->c.n_policy, &l->key.prefix, att) ==
			vrf_policy_rejects(old->policy, old->n_policy, &l->key.prefix, att))
			continue;
		if (new_rd && l->advertised) {
			struct svc_export e;

			memset(&e, 0, sizeof(e));
			e.withdraw = true;
			e.rd = old->rd;
			e.prefix = l->key.prefix;
			if (svc->exp)
				svc->exp(svc->exp_ctx, &e);
			l->advertised = false;
		}
		if (new_rd) {
			vrf_vpn_key_make(&vk, &old->rd, &l->key.prefix, 0);
			(void)vrf_vpn_withdraw(svc->db, &vk);
		}
		vrf_vpn_key_make(&vk, &v->c.rd, &l->key.prefix, 0);
		if (vrf_vpn_update(svc->db, &vk, rts, (size_t)n, &l->gw, l->label, NULL, l->ifc,
				   v->c.id) != 0)
			svc->err = errno;
		emit(svc, l, v, false);
	}
}

static void push_if(struct svc *svc, fib_if_id ifc, const char *name, enum fib_if_role role,
		    vrf_id vrf, bool del)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = del ? FIB_OP_IF_DEL : FIB_OP_IF_SET;
	op.u.ifc.id = ifc;
	memcpy(op.u.ifc.name, name, sizeof(op.u.ifc.name));
	op.u.ifc.name[FIB_NAME_MAX - 1] = '\0';
	op.u.ifc.role = role;
	op.u.ifc.vrf = vrf;
	svc_push(svc, &op);
}

/* An attachment is active while its VRF exists; one configured before its
 * VRF waits (and `show` says so) and comes up when the VRF does. */
static void attach_up(struct svc *svc, struct svc_attach_st *st)
{
	struct vrf *v = vrf_get(svc->db, st->a.vrf);

	if (st->active || v == NULL)
		return;
	st->active = true;
	push_if(svc, st->a.ifc, st->a.name, FIB_IF_ATTACH, st->a.vrf, false);
	for (unsigned i = 0; i < st->a.n_host; i++)
		local_add(svc, v, st->a.ifc, &st->a.host[i], v->c.label_mode, st->a.rts,
			  st->a.n_rts, st->a.att);
	svc_statics_eval(svc, st->a.vrf); /* statics out of its interface */
}

static void attach_down(struct svc *svc, struct svc_attach_st *st)
{
	if (!st->active)
		return;
	/* draft s2: the VM goes away, its host routes are withdrawn */
	for (unsigned i = 0; i < st->a.n_host; i++)
		local_del(svc, st->a.vrf, &st->a.host[i]);
	st->active = false;
	svc_statics_eval(svc, st->a.vrf); /* before its interface goes */
	push_if(svc, st->a.ifc, st->a.name, FIB_IF_ATTACH, st->a.vrf, true);
}

int svc_attach_del(struct svc *svc, fib_if_id ifc)
{
	struct svc_attach_st *st = htab_del(&svc->attaches, &ifc);

	if (st == NULL) {
		errno = ENOENT;
		return -1;
	}
	attach_down(svc, st);
	free(st);
	return svc_result(svc);
}

int svc_attach_set(struct svc *svc, const struct svc_attach *a)
{
	struct svc_attach_st *st;

	if (a->ifc == 0 || a->n_host > SVC_HOST_MAX || a->n_rts > VRF_RT_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (htab_get(&svc->attaches, &a->ifc) != NULL)
		(void)svc_attach_del(svc, a->ifc); /* replace: per-VM RTs may change */
	st = calloc(1, sizeof(*st));
	if (st != NULL)
		st->a = *a;
	if (st == NULL || htab_put(&svc->attaches, st) == st) {
		free(st);
		errno = ENOMEM;
		return -1;
	}
	attach_up(svc, st);
	return svc_result(svc);
}

/* --- service-node interfaces (draft s3.1, s4.1.1) --- */

/* Does a route of VRF vrf with a next hop hold the FIB slot of p? */
static bool vrf_holds(const struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct vrf *v = vrf_get(svc->db, vrf);
	struct vrf_route *r = v ? vrf_route_get(v, p) : NULL;

	return r != NULL && r->user != NULL;
}

static void node_dflt(struct svc *svc, struct svc_node_st *st, bool add)
{
	const struct ipaddr *ip[2] = {&st->n.ip4, &st->n.ip6};

	for (unsigned f = 0; f < 2; f++) {
		struct prefix p;

		if (ip[f]->afi == 0)
			continue;
		memset(&p, 0, sizeof(p));
		p.afi = ip[f]->afi; /* 0.0.0.0/0 or ::/0 in the in-VRF */
		/* a VRF route at the default (a static route, s4.1.5) holds
		 * the FIB slot; this one only fills it while there is none */
		if (add && st->n.aggregate_label) {
			st->dflt[f] = local_nh(svc, st->n.ifc, ip[f]);
			if (st->dflt[f] != NULL && !vrf_holds(svc, st->n.in_vrf, &p))
				push_route(svc, st->n.in_vrf, &p, st->dflt[f]->f.id);
		} else if (!add && st->dflt[f] != NULL) {
			if (!vrf_holds(svc, st->n.in_vrf, &p))
				push_route(svc, st->n.in_vrf, &p, 0);
			svc_nh_put(svc, st->dflt[f]);
			st->dflt[f] = NULL;
		}
	}
}

static void node_reeval(struct svc *svc, vrf_id out)
{
	struct vrf *v = vrf_get(svc->db, out);

	if (v == NULL)
		return;
	/* the out-VRF's position in the chains changed */
	svc_vrf_dirty(svc, v);
	svc_chains_touch(svc, v, NULL);
	svc_flows_eval(svc);
}

/* A service node is active while both its VRFs exist (else its hop shows
 * "unknown VRF" and it comes up when the configuration is fixed). */
static void node_up(struct svc *svc, struct svc_node_st *st)
{
	struct vrf *in = vrf_get(svc->db, st->n.in_vrf), *out = vrf_get(svc->db, st->n.out_vrf);
	enum vrf_label_mode mode =
	    st->n.aggregate_label ? VRF_LABEL_PER_VRF : VRF_LABEL_PER_NEXTHOP;

	if (st->active || in == NULL || out == NULL)
		return;
	st->active = true;
	/* received traffic from the node is looked up in its out-VRF */
	push_if(svc, st->n.ifc, st->n.name, FIB_IF_SERVICE, st->n.out_vrf, false);
	node_dflt(svc, st, true);
	/* draft s4.1.1: a route to each service node interface, with a label
	 * that sends traffic straight to the node (or the aggregate one) */
	local_add(svc, in, st->n.ifc, &st->n.ip4, mode, NULL, 0, NULL);
	local_add(svc, in, st->n.ifc, &st->n.ip6, mode, NULL, 0, NULL);
	node_reeval(svc, st->n.out_vrf);
	svc_statics_eval(svc, st->n.in_vrf); /* statics out of its interface */
}

static void node_down(struct svc *svc, struct svc_node_st *st)
{
	if (!st->active)
		return;
	st->active = false;
	local_del(svc, st->n.in_vrf, &st->n.ip4);
	local_del(svc, st->n.in_vrf, &st->n.ip6);
	svc_statics_eval(svc, st->n.in_vrf);
	node_dflt(svc, st, false);
	node_reeval(svc, st->n.out_vrf);
	push_if(svc, st->n.ifc, st->n.name, FIB_IF_SERVICE, st->n.out_vrf, true);
}

int svc_node_del(struct svc *svc, fib_if_id ifc)
{
	struct svc_node_st *st = htab_del(&svc->nodes, &ifc);

	if (st == NULL) {
		errno = ENOENT;
		return -1;
	}
	node_down(svc, st);
	free(st);
	return svc_result(svc);
}

int svc_node_set(struct svc *svc, const struct svc_node *n)
{
	struct svc_node_st *st;

	if (n->ifc == 0 || (n->ip4.afi == 0 && n->ip6.afi == 0)) {
		errno = EINVAL;
		return -1;
	}
	if (htab_get(&svc->nodes, &n->ifc) != NULL)
		(void)svc_node_del(svc, n->ifc);
	st = calloc(1, sizeof(*st));
	if (st != NULL)
		st->n = *n;
	if (st == NULL || htab_put(&svc->nodes, st) == st) {
		free(st);
		errno = ENOMEM;
		return -1;
	}
	node_up(svc, st);
	return svc_result(svc);
}

/* Bring up what waited for VRFs (after svc_vrf_set). */
static void vrf_dependents_up(struct svc *svc)
{
	size_t i = 0;
	struct svc_attach_st *a;
	struct svc_node_st *n;

	while ((a = htab_next(&svc->attaches, &i)) != NULL)
		attach_up(svc, a);
	for (i = 0; (n = htab_next(&svc->nodes, &i)) != NULL;)
		node_up(svc, n);
}

int svc_vrf_del(struct svc *svc, vrf_id id)
{
	struct vrf *v = vrf_get(svc->db, id);
	struct vrf_config none;
	struct fib_op op;
	size_t i = 0;
	struct svc_attach_st *a;
	struct svc_node_st *n;

	if (v == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* statics, attachments and nodes in it wait, configured, for the VRF
	 * to return */
	svc_statics_vrf_gone(svc, id);
	while ((a = htab_next(&svc->attaches, &i)) != NULL)
		if (a->a.vrf == id)
			attach_down(svc, a);
	for (i = 0; (n = htab_next(&svc->nodes, &i)) != NULL;)
		if (n->n.in_vrf == id || n->n.out_vrf == id)
			node_down(svc, n);
	/* flows first, then routes (their chains go with the last user) */
	none = v->c;
	none.n_import = 0;
	(void)vrf_set(svc->db, &none);
	svc_flows_eval(svc);
	free(v->user);
	v->user = NULL;
	if (vrf_del(svc->db, id) != 0)
		svc->err = errno;
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_VRF_DEL;
	op.u.vrf.id = id;
	svc_push(svc, &op);
	return svc_result(svc);
}

/* --- topologies --- */

/* Topologies are keyed by their name, NUL-padded to SVC_NAME_MAX. */
static void name_key(char key[SVC_NAME_MAX], const char *name)
{
	size_t n = strnlen(name, SVC_NAME_MAX - 1);

	memset(key, 0, SVC_NAME_MAX);
	memcpy(key, name, n);
}

static bool relevant(const struct svc *svc, const struct vrf *v, const struct svc_topo *t)
{
	size_t i = 0;
	struct svc_node_st *n;

	if (vrf_imports_rt(v, &t->c.rt))
		return true;
	while ((n = htab_next(&svc->nodes, &i)) != NULL)
		if (n->n.out_vrf == v->c.id)
			return true;
	return false;
}

/* Apply a topology change: VRFs whose role for it changes (a chain hop
 * becomes the last or stops being it, the RT or priority changed, the
 * topology comes or goes) re-bind their routes; everything else only
 * re-resolves its chain objects, O(1) FIB ops per VRF (draft s4.1.3:
 * "no re-advertisement of zone prefixes"; nothing is exported here). */
static void topo_apply(struct svc *svc, struct svc_topo *t, const struct svc_topology *old)
{
	size_t i = 0;
	struct vrf *v;
	struct svc_chain *c;

	while ((v = vrf_next(svc->db, &i)) != NULL) {
		struct svc_topo ot = *t;
		bool walk, rel = relevant(svc, v, t);

		if (old != NULL) {
			ot.c = *old;
			rel |= relevant(svc, v, &ot);
		}
		if (!rel)
			continue;
		walk = old == NULL || t->c.n_hops == 0 || memcmp(&old->rt, &t->c.rt, 8) != 0 ||
		       old->priority != t->c.priority;
		for (uint8_t afi = AFI_IPV4; !walk && afi <= AFI_IPV6; afi++)
			walk = (svc_vrf_position(svc, v, &ot, afi) >= old->n_hops) !=
			       (svc_vrf_position(svc, v, t, afi) >= t->c.n_hops);
		if (walk)
			svc_vrf_dirty(svc, v);
	}
	for (i = 0; (c = htab_next(&svc->chains, &i)) != NULL;)
		if (c->key.topo == t->id)
			svc_chain_resolve(svc, c);
	svc_flows_eval(svc);
}

int svc_topology_set(struct svc *svc, const struct svc_topology *tc)
{
	struct svc_topo *t;
	struct svc_topology old;
	bool had;
	char key[SVC_NAME_MAX];

	if (tc->n_hops == 0 || tc->n_hops > SVC_HOPS_MAX || !ecomm_is_rt(&tc->rt) ||
	    tc->name[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	name_key(key, tc->name);
	t = htab_get(&svc->topos, key);
	had = t != NULL;
	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(t->name, key, sizeof(key));
		t->id = ++svc->next_topo;
		if (htab_put(&svc->topos, t) == t) {
			free(t);
			errno = ENOMEM;
			return -1;
		}
	} else {
		old = t->c;
	}
	t->c = *tc;
	memcpy(t->c.name, key, sizeof(key));
	topo_apply(svc, t, had ? &old : NULL);
	return svc_result(svc);
}

int svc_topology_del(struct svc *svc, const char *name)
{
	char key[SVC_NAME_MAX];
	struct svc_topo *t;

	name_key(key, name);
	t = htab_get(&svc->topos, key);
	if (t == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* out of the table first, so that no decision picks it; routes move
	 * to their plain next hop (or another topology) before its chain
	 * objects go */
	htab_del(&svc->topos, key);
	{
		size_t i = 0;
		struct vrf *v;

		while ((v = vrf_next(svc->db, &i)) != NULL)
			if (relevant(svc, v, t))
				svc_vrf_dirty(svc, v);
	}
	svc_flows_eval(svc);
	free(t);
	return svc_result(svc);
}

/* --- routes from the RDE --- */

int svc_vpn_route_update(struct svc *svc, const struct svc_vpn_route *r)
{
	static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	struct vrf_vpn_key k;
	struct vrf_pref pref;
	struct ipaddr nh;

	if (afi_addr_bits(r->prefix.afi) == 0 || r->prefix.len > afi_addr_bits(r->prefix.afi)) {
		errno = EINVAL;
		return -1;
	}
	nh = r->nexthop;
	/* RFC 4659 s3.2.1.1: an IPv4 PE's next hop in an ipv6-vpn route is
	 * the IPv4-mapped IPv6 address; the tunnel goes to the IPv4 address */
	if (nh.afi == AFI_IPV6 && memcmp(nh.b, v4mapped, sizeof(v4mapped)) == 0) {
		uint8_t v4[4];

		memcpy(v4, nh.b + 12, 4);
		memset(&nh, 0, sizeof(nh));
		nh.afi = AFI_IPV4;
		memcpy(nh.b, v4, 4);
	}
	memset(&pref, 0, sizeof(pref));
	pref.local_pref = r->local_pref;
	pref.as_path_len = r->as_path_len;
	pref.neighbor_as = r->neighbor_as;
	pref.med = r->med;
	pref.origin = r->origin;
	pref.ebgp = r->ebgp;
	vrf_vpn_key_make(&k, &r->rd, &r->prefix, r->path_id);
	if (vrf_vpn_update(svc->db, &k, r->rts, r->n_rts, &nh, r->label, &pref, 0, 0) != 0 &&
	    svc->err == 0)
		svc->err = errno;
	return svc_result(svc);
}

int svc_vpn_route_withdraw(struct svc *svc, const struct rd *rd, const struct prefix *p,
			   uint32_t path_id)
{
	struct vrf_vpn_key k;

	vrf_vpn_key_make(&k, rd, p, path_id);
	if (vrf_vpn_withdraw(svc->db, &k) != 0)
		return -1;
	return svc_result(svc);
}

long svc_vpn_prune(struct svc *svc)
{
	return vrf_vpn_prune(svc->db);
}

/* --- state --- */

fib_nh_id svc_route_nh(const struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct vrf *v = vrf_get(svc->db, vrf);
	struct vrf_route *r;
	struct prefix q = *p;

	prefix_normalize(&q);
	r = v ? vrf_route_get(v, &q) : NULL;
	return r && r->user ? ((struct svc_nh *)r->user)->f.id : 0;
}

fib_nh_id svc_chain_nh(const struct svc *svc, vrf_id vrf, const char *topology, uint8_t afi,
		       enum svc_pend *pend)
{
	char key[SVC_NAME_MAX];
	struct svc_topo *t;
	struct svc_chain_key k;
	struct svc_chain *c;

	name_key(key, topology);
	t = htab_get(&svc->topos, key);
	if (t == NULL)
		return 0;
	memset(&k, 0, sizeof(k));
	k.vrf = vrf;
	k.topo = t->id;
	k.afi = afi;
	c = htab_get(&svc->chains, &k);
	if (c == NULL)
		return 0;
	if (pend)
		*pend = c->pend;
	return c->nh->f.id;
}

uint32_t svc_export_label(const struct svc *svc, vrf_id vrf, const struct prefix *p)
{
	struct svc_local_key k;
	struct svc_local *l;

	memset(&k, 0, sizeof(k));
	k.vrf = vrf;
	k.prefix = *p;
	l = htab_get(&svc->locals, &k);
	return l ? l->label : 0;
}

size_t svc_import_rts(const struct svc *svc, struct ecomm *out, size_t max)
{
	size_t i = 0, n = 0;
	struct vrf *v;

	while ((v = vrf_next(svc->db, &i)) != NULL)
		for (unsigned k = 0; k < v->c.n_import; k++) {
			bool dup = false;

			for (size_t j = 0; j < n && !dup; j++)
				dup = ecomm_cmp(&out[j], &v->c.import_rt[k]) == 0;
			if (!dup && n < max)
				out[n++] = v->c.import_rt[k];
		}
	return n;
}

const char *svc_pend_text(enum svc_pend p)
{
	switch (p) {
	case SVC_PEND_NONE:
		return "resolved";
	case SVC_PEND_NO_NEXTHOP:
		return "no usable next hop";
	case SVC_PEND_SERVICE_IP:
		return "service IP unresolved in the VRF";
	case SVC_PEND_WRONG_FAMILY:
		return "wrong family: the service node has no address of this family";
	case SVC_PEND_UNKNOWN_VRF:
		return "unknown VRF";
	case SVC_PEND_LAST_HOP:
		return "last hop: destination lookup";
	case SVC_PEND_STATIC_NH:
		return "next-hop-address unresolved: no local route to it in the VRF";
	case SVC_PEND_STATIC_IF:
		return "outgoing-interface is not up in the VRF";
	case SVC_PEND_STATIC_TAKEN:
		return "prefix originated here by an attachment or service node";
	}
	return "unknown";
}

size_t svc_bytes(const struct svc *svc)
{
	return sizeof(*svc) + vrf_db_bytes(svc->db) + fib_bytes(svc->fib) +
	       htab_bytes(&svc->nh_content) + htab_bytes(&svc->nh_id) +
	       htab_count(&svc->nh_id) * sizeof(struct svc_nh) + htab_bytes(&svc->chains) +
	       htab_count(&svc->chains) * sizeof(struct svc_chain) + htab_bytes(&svc->locals) +
	       htab_count(&svc->locals) * sizeof(struct svc_local) + htab_bytes(&svc->statics) +
	       htab_count(&svc->statics) * sizeof(struct svc_static_st);
}
