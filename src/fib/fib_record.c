/*
 * fib_record: the recording backend (see fib_record.h).
 */
#include "fib/fib_record.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC_MSGS 32

struct use {
	fib_nh_id nh; /* key */
	uint32_t n;   /* routes, labels, flows and ECMP groups using it */
};

struct watch {
	fib_vrf_id vrf;
	struct prefix prefix; /* key: 22 bytes */
};

struct fib_record {
	bool keep_log;
	bool fail_next;
	struct fib_op *log;
	size_t n_log, cap_log;
	struct fib_store st;
	struct htab uses;
	struct htab watches;
	uint64_t batches, ops;
	unsigned violations, gaps;
	char *msg[REC_MSGS];
};

static void violation(struct fib_record *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void violation(struct fib_record *r, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (r->violations < REC_MSGS)
		r->msg[r->violations] = strdup(buf);
	r->violations++;
}

static struct use *use_get(struct fib_record *r, fib_nh_id nh, bool create)
{
	struct use *u = htab_get(&r->uses, &nh);

	if (u == NULL && create) {
		u = calloc(1, sizeof(*u));
		if (u == NULL)
			return NULL;
		u->nh = nh;
		if (htab_put(&r->uses, u) == u) {
			free(u);
			return NULL;
		}
	}
	return u;
}

/* A dependent starts using nh: it must exist. */
static void use_add(struct fib_record *r, fib_nh_id nh, const char *what)
{
	struct use *u;

	if (fib_store_nh(&r->st, nh) == NULL)
		violation(r, "%s points at unknown nh %" PRIu32, what, nh);
	u = use_get(r, nh, true);
	if (u != NULL)
		u->n++;
}

static void use_drop(struct fib_record *r, fib_nh_id nh)
{
	struct use *u = use_get(r, nh, false);

	if (u != NULL && u->n > 0 && --u->n == 0)
		free(htab_del(&r->uses, &nh));
}

static void ecmp_uses(struct fib_record *r, const struct fib_nh *nh, bool add)
{
	if (nh == NULL || nh->type != FIB_NH_ECMP)
		return;
	for (unsigned i = 0; i < nh->n_members; i++)
		if (add)
			use_add(r, nh->members[i], "ECMP group");
		else
			use_drop(r, nh->members[i]);
}

static void watch_key(struct watch *w, fib_vrf_id vrf, const struct prefix *p)
{
	memset(w, 0, sizeof(*w));
	w->vrf = vrf;
	w->prefix = *p;
	prefix_normalize(&w->prefix);
}

static void clear_uses(struct fib_record *r)
{
	size_t i = 0;
	void *o;

	while ((o = htab_next(&r->uses, &i)) != NULL)
		free(o);
	htab_free(&r->uses);
}

/* Check one op against the state before it, then apply it. */
static void check_apply(struct fib_record *r, const struct fib_op *op)
{
	char pb[PREFIX_STRLEN];
	struct watch w;
	fib_nh_id old;
	const struct fib_flow *f;

	switch (op->type) {
	case FIB_OP_RESYNC:
		clear_uses(r);
		break;
	case FIB_OP_NH_SET:
		ecmp_uses(r, fib_store_nh(&r->st, op->u.nh.id), false);
		ecmp_uses(r, &op->u.nh, true);
		break;
	case FIB_OP_NH_DEL: {
		struct use *u = use_get(r, op->u.nh.id, false);

		if (u != NULL && u->n > 0)
			violation(r, "nh %" PRIu32 " deleted while used %" PRIu32 " times", u->nh,
				  u->n);
		ecmp_uses(r, fib_store_nh(&r->st, op->u.nh.id), false);
		break;
	}
	case FIB_OP_ROUTE_SET:
	case FIB_OP_ROUTE_DEL:
		prefix_fmt(&op->u.route.prefix, pb, sizeof(pb));
		if (fib_store_vrf(&r->st, op->u.route.vrf) == NULL)
			violation(r, "route %s in unknown vrf %" PRIu32, pb, op->u.route.vrf);
		old = fib_store_route(&r->st, op->u.route.vrf, &op->u.route.prefix);
		if (op->type == FIB_OP_ROUTE_SET)
			use_add(r, op->u.route.nh, "route");
		if (old != 0)
			use_drop(r, old);
		watch_key(&w, op->u.route.vrf, &op->u.route.prefix);
		if (op->type == FIB_OP_ROUTE_DEL && htab_get(&r->watches, &w) != NULL)
			r->gaps++;
		break;
	case FIB_OP_LABEL_SET:
	case FIB_OP_LABEL_DEL:
		old = fib_store_label(&r->st, op->u.label.label);
		if (op->type == FIB_OP_LABEL_SET)
			use_add(r, op->u.label.nh, "label");
		if (old != 0)
			use_drop(r, old);
		break;
	case FIB_OP_FLOW_SET:
	case FIB_OP_FLOW_DEL:
		f = fib_store_flow(&r->st, op->u.flow.vrf, op->u.flow.id);
		if (op->type == FIB_OP_FLOW_SET)
			use_add(r, op->u.flow.nh, "flow");
		if (f != NULL)
			use_drop(r, f->nh);
		break;
	default:
		break;
	}
	if (fib_store_apply(&r->st, op) != 0)
		violation(r, "out of memory applying op %d", (int)op->type);
}

static void check_watches(struct fib_record *r)
{
	size_t i = 0;
	struct watch *w;

	while ((w = htab_next(&r->watches, &i)) != NULL) {
		fib_nh_id id = fib_store_route(&r->st, w->vrf, &w->prefix);
		const struct fib_nh *nh = id ? fib_store_nh(&r->st, id) : NULL;

		if (nh == NULL || nh->type == FIB_NH_DROP)
			r->gaps++;
	}
}

static int rec_apply(void *ctx, uint64_t gen, const struct fib_op *ops, size_t n)
{
	struct fib_record *r = ctx;

	(void)gen;
	if (r->fail_next) {
		r->fail_next = false;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (r->keep_log) {
			if (r->n_log == r->cap_log) {
				size_t nc = r->cap_log ? r->cap_log * 2 : 256;
				struct fib_op *l = realloc(r->log, nc * sizeof(*l));

				if (l == NULL)
					return -1;
				r->log = l;
				r->cap_log = nc;
			}
			r->log[r->n_log++] = ops[i];
		}
		check_apply(r, &ops[i]);
	}
	r->batches++;
	r->ops += n;
	check_watches(r);
	return 0;
}

static void rec_destroy(void *ctx)
{
	struct fib_record *r = ctx;
	size_t i = 0;
	void *o;

	if (r == NULL)
		return;
	while ((o = htab_next(&r->watches, &i)) != NULL)
		free(o);
	htab_free(&r->watches);
	clear_uses(r);
	fib_store_clear(&r->st);
	for (unsigned k = 0; k < REC_MSGS; k++)
		free(r->msg[k]);
	free(r->log);
	free(r);
}

const struct fib_backend_ops fib_record_ops = {
    .name = "record",
    .apply = rec_apply,
    .destroy = rec_destroy,
};

struct fib_record *fib_record_new(bool keep_log)
{
	struct fib_record *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->keep_log = keep_log;
	fib_store_init(&r->st);
	htab_init(&r->uses, offsetof(struct use, nh), sizeof(fib_nh_id));
	htab_init(&r->watches, 0, offsetof(struct watch, prefix) + sizeof(struct prefix));
	return r;
}

size_t fib_record_log(const struct fib_record *r, const struct fib_op **ops)
{
	*ops = r->log;
	return r->n_log;
}

void fib_record_log_clear(struct fib_record *r)
{
	r->n_log = 0;
}

const struct fib_store *fib_record_state(const struct fib_record *r)
{
	return &r->st;
}

uint64_t fib_record_batches(const struct fib_record *r)
{
	return r->batches;
}

uint64_t fib_record_ops_total(const struct fib_record *r)
{
	return r->ops;
}

unsigned fib_record_violations(const struct fib_record *r)
{
	return r->violations;
}

const char *fib_record_violation(const struct fib_record *r, unsigned i)
{
	return i < REC_MSGS && i < r->violations ? r->msg[i] : NULL;
}

int fib_record_watch(struct fib_record *r, fib_vrf_id vrf, const struct prefix *p)
{
	struct watch *w = malloc(sizeof(*w));
	void *old;

	if (w == NULL)
		return -1;

	watch_key(w, vrf, p);
	old = htab_put(&r->watches, w);
	if (old == w) {
		free(w);
		return -1;
	}
	free(old);
	return 0;
}

unsigned fib_record_gaps(const struct fib_record *r)
{
	return r->gaps;
}

void fib_record_fail_next(struct fib_record *r)
{
	r->fail_next = true;
}

fib_nh_id fib_record_route(const struct fib_record *r, fib_vrf_id vrf, const char *prefix)
{
	struct prefix p;

	if (prefix_parse(prefix, &p) != 0)
		return 0;
	return fib_store_route(&r->st, vrf, &p);
}
