/*
 * fib_store: the desired FIB state keyed by ids (see fib_store.h).
 */
#include "fib/fib_store.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void fib_store_init(struct fib_store *s)
{
	htab_init(&s->vrfs, offsetof(struct fib_vrf, id), sizeof(fib_vrf_id));
	htab_init(&s->ifs, offsetof(struct fib_if, id), sizeof(fib_if_id));
	htab_init(&s->nhs, offsetof(struct fib_nh, id), sizeof(fib_nh_id));
	htab_init(&s->routes, 0, offsetof(struct fib_store_route, pad));
	htab_init(&s->labels, offsetof(struct fib_label, label), sizeof(uint32_t));
	htab_init(&s->flows, 0, 2 * sizeof(uint32_t));
	htab_init(&s->peers, offsetof(struct fib_peer, addr), sizeof(struct ipaddr));
}

static void drain(struct htab *h)
{
	size_t i = 0;
	void *o;

	while ((o = htab_next(h, &i)) != NULL)
		free(o);
	htab_free(h);
}

void fib_store_clear(struct fib_store *s)
{
	drain(&s->vrfs);
	drain(&s->ifs);
	drain(&s->nhs);
	drain(&s->routes);
	drain(&s->labels);
	drain(&s->flows);
	drain(&s->peers);
}

/* Replace or insert a copy of obj (size bytes). */
static int put(struct htab *h, const void *obj, size_t size)
{
	void *c = malloc(size), *old;

	if (c == NULL)
		goto fail;
	memcpy(c, obj, size);
	old = htab_put(h, c);
	if (old == c)
		goto fail;
	free(old);
	return 0;
fail:
	free(c);
	errno = ENOMEM;
	return -1;
}

static int del(struct htab *h, const void *key)
{
	free(htab_del(h, key));
	return 0;
}

static void route_key(struct fib_store_route *r, fib_vrf_id vrf, const struct prefix *p)
{
	memset(r, 0, sizeof(*r));
	r->vrf = vrf;
	r->prefix = *p;
}

int fib_store_apply(struct fib_store *s, const struct fib_op *op)
{
	struct fib_store_route r;
	struct fib_store_flow f;

	switch (op->type) {
	case FIB_OP_RESYNC:
		fib_store_clear(s);
		return 0;
	case FIB_OP_VRF_SET:
		return put(&s->vrfs, &op->u.vrf, sizeof(op->u.vrf));
	case FIB_OP_VRF_DEL:
		return del(&s->vrfs, &op->u.vrf.id);
	case FIB_OP_IF_SET:
		return put(&s->ifs, &op->u.ifc, sizeof(op->u.ifc));
	case FIB_OP_IF_DEL:
		return del(&s->ifs, &op->u.ifc.id);
	case FIB_OP_NH_SET:
		return put(&s->nhs, &op->u.nh, sizeof(op->u.nh));
	case FIB_OP_NH_DEL:
		return del(&s->nhs, &op->u.nh.id);
	case FIB_OP_ROUTE_SET:
		route_key(&r, op->u.route.vrf, &op->u.route.prefix);
		r.nh = op->u.route.nh;
		return put(&s->routes, &r, sizeof(r));
	case FIB_OP_ROUTE_DEL:
		route_key(&r, op->u.route.vrf, &op->u.route.prefix);
		return del(&s->routes, &r);
	case FIB_OP_LABEL_SET:
		return put(&s->labels, &op->u.label, sizeof(op->u.label));
	case FIB_OP_LABEL_DEL:
		return del(&s->labels, &op->u.label.label);
	case FIB_OP_FLOW_SET:
		f.vrf = op->u.flow.vrf;
		f.id = op->u.flow.id;
		f.flow = op->u.flow;
		return put(&s->flows, &f, sizeof(f));
	case FIB_OP_FLOW_DEL:
		f.vrf = op->u.flow.vrf;
		f.id = op->u.flow.id;
		return del(&s->flows, &f);
	case FIB_OP_PEER_SET:
		return put(&s->peers, &op->u.peer, sizeof(op->u.peer));
	case FIB_OP_PEER_DEL:
		return del(&s->peers, &op->u.peer.addr);
	}
	errno = EINVAL;
	return -1;
}

struct emitter {
	int (*emit)(void *ctx, const struct fib_op *op);
	void *ctx;
	int rc;
	struct fib_op op;
};

static void emit(struct emitter *e)
{
	if (e->rc == 0)
		e->rc = e->emit(e->ctx, &e->op);
}

int fib_store_emit(const struct fib_store *s, int (*fn)(void *ctx, const struct fib_op *op),
		   void *ctx)
{
	struct emitter e = {.emit = fn, .ctx = ctx};
	size_t i;
	void *o;

	memset(&e.op, 0, sizeof(e.op));
	for (i = 0; (o = htab_next(&s->vrfs, &i)) != NULL;) {
		e.op.type = FIB_OP_VRF_SET;
		e.op.u.vrf = *(struct fib_vrf *)o;
		emit(&e);
	}
	for (i = 0; (o = htab_next(&s->ifs, &i)) != NULL;) {
		e.op.type = FIB_OP_IF_SET;
		e.op.u.ifc = *(struct fib_if *)o;
		emit(&e);
	}
	for (i = 0; (o = htab_next(&s->peers, &i)) != NULL;) {
		e.op.type = FIB_OP_PEER_SET;
		e.op.u.peer = *(struct fib_peer *)o;
		emit(&e);
	}
	/* an ECMP group after its members */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; (o = htab_next(&s->nhs, &i)) != NULL;) {
			const struct fib_nh *nh = o;

			if ((nh->type == FIB_NH_ECMP) != (pass == 1))
				continue;
			e.op.type = FIB_OP_NH_SET;
			e.op.u.nh = *nh;
			emit(&e);
		}
	for (i = 0; (o = htab_next(&s->routes, &i)) != NULL;) {
		const struct fib_store_route *r = o;

		e.op.type = FIB_OP_ROUTE_SET;
		e.op.u.route.vrf = r->vrf;
		e.op.u.route.prefix = r->prefix;
		e.op.u.route.nh = r->nh;
		emit(&e);
	}
	for (i = 0; (o = htab_next(&s->labels, &i)) != NULL;) {
		e.op.type = FIB_OP_LABEL_SET;
		e.op.u.label = *(struct fib_label *)o;
		emit(&e);
	}
	for (i = 0; (o = htab_next(&s->flows, &i)) != NULL;) {
		e.op.type = FIB_OP_FLOW_SET;
		e.op.u.flow = ((struct fib_store_flow *)o)->flow;
		emit(&e);
	}
	return e.rc;
}

const struct fib_nh *fib_store_nh(const struct fib_store *s, fib_nh_id id)
{
	return htab_get(&s->nhs, &id);
}

const struct fib_vrf *fib_store_vrf(const struct fib_store *s, fib_vrf_id id)
{
	return htab_get(&s->vrfs, &id);
}

const struct fib_if *fib_store_if(const struct fib_store *s, fib_if_id id)
{
	return htab_get(&s->ifs, &id);
}

fib_nh_id fib_store_route(const struct fib_store *s, fib_vrf_id vrf, const struct prefix *p)
{
	struct fib_store_route k, *r;

	route_key(&k, vrf, p);
	r = htab_get(&s->routes, &k);
	return r ? r->nh : 0;
}

fib_nh_id fib_store_label(const struct fib_store *s, uint32_t label)
{
	struct fib_label *l = htab_get(&s->labels, &label);

	return l ? l->nh : 0;
}

const struct fib_flow *fib_store_flow(const struct fib_store *s, fib_vrf_id vrf, uint32_t id)
{
	uint32_t k[2] = {vrf, id};
	struct fib_store_flow *f = htab_get(&s->flows, k);

	return f ? &f->flow : NULL;
}

size_t fib_store_bytes(const struct fib_store *s)
{
	return htab_bytes(&s->vrfs) + htab_count(&s->vrfs) * sizeof(struct fib_vrf) +
	       htab_bytes(&s->ifs) + htab_count(&s->ifs) * sizeof(struct fib_if) +
	       htab_bytes(&s->nhs) + htab_count(&s->nhs) * sizeof(struct fib_nh) +
	       htab_bytes(&s->routes) + htab_count(&s->routes) * sizeof(struct fib_store_route) +
	       htab_bytes(&s->labels) + htab_count(&s->labels) * sizeof(struct fib_label) +
	       htab_bytes(&s->flows) + htab_count(&s->flows) * sizeof(struct fib_store_flow) +
	       htab_bytes(&s->peers) + htab_count(&s->peers) * sizeof(struct fib_peer);
}
