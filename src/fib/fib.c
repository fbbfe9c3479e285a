/*
 * fib: the FIB API (fib.h): ops are checked, applied to the desired state
 * (fib_store.c) and queued; fib_commit() hands the queue to the backend as
 * one batch with a new generation number.  A failed apply marks the backend
 * out of sync: the next commit is a resync restating the desired state.
 *
 * Not for: the ordering contract's checks (the recording backend does
 * them; the writer is responsible), forwarding.
 */
#include "fib/fib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fib/fib_store.h"

struct fib {
	const struct fib_backend_ops *ops;
	void *ctx;
	struct fib_op *q;
	size_t n, cap;
	uint64_t gen;
	uint64_t ops_total;
	bool need_resync;
	struct fib_store store;
};

struct fib *fib_new(const struct fib_backend_ops *ops, void *ctx)
{
	struct fib *fib = calloc(1, sizeof(*fib));

	if (fib == NULL)
		return NULL;
	fib->ops = ops;
	fib->ctx = ctx;
	fib_store_init(&fib->store);
	return fib;
}

void fib_free(struct fib *fib)
{
	if (fib == NULL)
		return;
	if (fib->ops && fib->ops->destroy)
		fib->ops->destroy(fib->ctx);
	fib_store_clear(&fib->store);
	free(fib->q);
	free(fib);
}

static bool prefix_ok(const struct prefix *p)
{
	return afi_addr_bits(p->afi) != 0 && p->len <= afi_addr_bits(p->afi);
}

static bool addr_ok(const struct ipaddr *a)
{
	return afi_addr_bits(a->afi) != 0;
}

/* Shape checks of one op; the ordering contract is the writer's. */
static bool op_valid(const struct fib_op *op)
{
	switch (op->type) {
	case FIB_OP_RESYNC:
		return true;
	case FIB_OP_VRF_SET:
	case FIB_OP_VRF_DEL:
		return op->u.vrf.id != 0;
	case FIB_OP_IF_SET:
		return op->u.ifc.id != 0 && op->u.ifc.n_addr <= 4 &&
		       (op->u.ifc.role == FIB_IF_ATTACH || op->u.ifc.role == FIB_IF_SERVICE);
	case FIB_OP_IF_DEL:
		return op->u.ifc.id != 0;
	case FIB_OP_NH_DEL:
		return op->u.nh.id != 0;
	case FIB_OP_NH_SET:
		if (op->u.nh.id == 0)
			return false;
		switch (op->u.nh.type) {
		case FIB_NH_DROP:
			return true;
		case FIB_NH_LOCAL:
			return op->u.nh.ifc != 0;
		case FIB_NH_TUNNEL:
			return addr_ok(&op->u.nh.pe) && op->u.nh.n_labels <= FIB_LABELS_MAX;
		case FIB_NH_LOOKUP:
			return op->u.nh.vrf != 0;
		case FIB_NH_ECMP:
			return op->u.nh.n_members >= 1 && op->u.nh.n_members <= FIB_ECMP_MAX;
		}
		return false;
	case FIB_OP_ROUTE_SET:
		return op->u.route.vrf != 0 && op->u.route.nh != 0 &&
		       prefix_ok(&op->u.route.prefix);
	case FIB_OP_ROUTE_DEL:
		return op->u.route.vrf != 0 && prefix_ok(&op->u.route.prefix);
	case FIB_OP_LABEL_SET:
		return op->u.label.label <= 0xFFFFF && op->u.label.nh != 0;
	case FIB_OP_LABEL_DEL:
		return op->u.label.label <= 0xFFFFF;
	case FIB_OP_FLOW_SET:
		return op->u.flow.vrf != 0 && op->u.flow.nh != 0 &&
		       (op->u.flow.afi == AFI_IPV4 || op->u.flow.afi == AFI_IPV6);
	case FIB_OP_FLOW_DEL:
		return op->u.flow.vrf != 0;
	case FIB_OP_PEER_SET:
	case FIB_OP_PEER_DEL:
		return addr_ok(&op->u.peer.addr);
	}
	return false;
}

static int enqueue(struct fib *fib, const struct fib_op *op)
{
	if (fib->n == fib->cap) {
		size_t ncap = fib->cap ? fib->cap * 2 : 64;
		struct fib_op *q = realloc(fib->q, ncap * sizeof(*q));

		if (q == NULL) {
			errno = ENOMEM;
			return -1;
		}
		fib->q = q;
		fib->cap = ncap;
	}
	fib->q[fib->n++] = *op;
	return 0;
}

int fib_push(struct fib *fib, const struct fib_op *op)
{
	struct fib_op c;

	if (!op_valid(op) || op->type == FIB_OP_RESYNC) {
		errno = EINVAL;
		return -1;
	}
	c = *op;
	if (c.type == FIB_OP_ROUTE_SET || c.type == FIB_OP_ROUTE_DEL)
		prefix_normalize(&c.u.route.prefix);
	if (fib_store_apply(&fib->store, &c) != 0)
		return -1;
	if (fib->need_resync)
		return 0; /* the resync at the next commit restates it */
	return enqueue(fib, &c);
}

static void queue_reset(struct fib *fib)
{
	fib->n = 0;
	/* give back a large queue after a bulk batch */
	if (fib->cap > 4096) {
		free(fib->q);
		fib->q = NULL;
		fib->cap = 0;
	}
}

static int apply(struct fib *fib)
{
	int rc = 0;

	fib->gen++;
	fib->ops_total += fib->n;
	if (fib->ops && fib->ops->apply)
		rc = fib->ops->apply(fib->ctx, fib->gen, fib->q, fib->n);
	queue_reset(fib);
	fib->need_resync = rc != 0;
	return rc == 0 ? 0 : -1;
}

static int emit_op(void *ctx, const struct fib_op *op)
{
	return enqueue(ctx, op);
}

int fib_resync(struct fib *fib)
{
	struct fib_op r = {.type = FIB_OP_RESYNC};

	queue_reset(fib);
	if (enqueue(fib, &r) != 0 || fib_store_emit(&fib->store, emit_op, fib) != 0) {
		queue_reset(fib);
		fib->need_resync = true;
		return -1;
	}
	return apply(fib);
}

void fib_resync_pending(struct fib *fib)
{
	queue_reset(fib);
	fib->need_resync = true;
}

int fib_commit(struct fib *fib)
{
	if (fib->need_resync)
		return fib_resync(fib);
	if (fib->n == 0)
		return 0;
	return apply(fib);
}

uint64_t fib_generation(const struct fib *fib)
{
	return fib->gen;
}

size_t fib_queued(const struct fib *fib)
{
	return fib->n;
}

uint64_t fib_ops_total(const struct fib *fib)
{
	return fib->ops_total;
}

const struct fib_store *fib_state(const struct fib *fib)
{
	return &fib->store;
}

size_t fib_bytes(const struct fib *fib)
{
	return sizeof(*fib) + fib->cap * sizeof(struct fib_op) + fib_store_bytes(&fib->store);
}
