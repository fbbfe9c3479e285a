/*
 * Unit tests for fib (the API: batches, generations, resync from the
 * desired state) and fib_record (the recording backend and its checks of
 * the ordering contract stated in fib.h: "The writer states dependencies
 * first (nh before the routes using it, an ECMP group after its members)
 * and removes dependents first"; "whatever the backend holds that is not
 * restated before the commit is removed").
 */
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fib/fib_record.h"

static struct fib_op op_vrf(fib_vrf_id id, const char *name)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_VRF_SET;
	op.u.vrf.id = id;
	strcpy(op.u.vrf.name, name);
	return op;
}

static struct fib_op op_tunnel(fib_nh_id id, const char *pe, uint32_t label)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_SET;
	op.u.nh.id = id;
	op.u.nh.type = FIB_NH_TUNNEL;
	assert_int_equal(ipaddr_parse(pe, &op.u.nh.pe), 0);
	op.u.nh.labels[0] = label;
	op.u.nh.n_labels = 1;
	return op;
}

static struct fib_op op_ecmp(fib_nh_id id, fib_nh_id a, fib_nh_id b)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_SET;
	op.u.nh.id = id;
	op.u.nh.type = FIB_NH_ECMP;
	op.u.nh.n_members = 2;
	op.u.nh.members[0] = a;
	op.u.nh.members[1] = b;
	return op;
}

static struct fib_op op_route(enum fib_op_type t, fib_vrf_id vrf, const char *p, fib_nh_id nh)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = t;
	op.u.route.vrf = vrf;
	assert_int_equal(prefix_parse(p, &op.u.route.prefix), 0);
	op.u.route.nh = nh;
	return op;
}

static struct fib_op op_nh_del(fib_nh_id id)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_NH_DEL;
	op.u.nh.id = id;
	return op;
}

static void push(struct fib *fib, struct fib_op op)
{
	assert_int_equal(fib_push(fib, &op), 0);
}

static void test_commit_generation(void **state)
{
	struct fib_record *rec = fib_record_new(true);
	struct fib *fib = fib_new(&fib_record_ops, rec);
	const struct fib_op *log;

	(void)state;
	assert_int_equal(fib_generation(fib), 0);
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	/* nothing reaches the backend before the commit */
	assert_int_equal(fib_record_batches(rec), 0);
	assert_int_equal(fib_queued(fib), 3);
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_generation(fib), 1);
	assert_int_equal(fib_record_log(rec, &log), 3);
	assert_int_equal(log[0].type, FIB_OP_VRF_SET);
	assert_int_equal(log[1].type, FIB_OP_NH_SET);
	assert_int_equal(log[2].type, FIB_OP_ROUTE_SET);
	assert_int_equal(fib_record_route(rec, 1, "203.0.113.0/24"), 10);
	/* an empty commit is not a generation */
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_generation(fib), 1);
	assert_int_equal(fib_record_violations(rec), 0);
	fib_free(fib);
}

static void test_push_invalid(void **state)
{
	struct fib *fib = fib_new(&fib_record_ops, fib_record_new(false));
	struct fib_op op;

	(void)state;
	op = op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 0); /* no nh */
	assert_int_equal(fib_push(fib, &op), -1);
	assert_int_equal(errno, EINVAL);
	op = op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 1);
	op.u.route.prefix.len = 33; /* longer than IPv4 */
	assert_int_equal(fib_push(fib, &op), -1);
	op = op_ecmp(5, 1, 2);
	op.u.nh.n_members = 0;
	assert_int_equal(fib_push(fib, &op), -1);
	op.u.nh.n_members = FIB_ECMP_MAX + 1;
	assert_int_equal(fib_push(fib, &op), -1);
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_LABEL_SET;
	op.u.label.label = 0x100000; /* 21 bits: RFC 3032 labels are 20 */
	op.u.label.nh = 1;
	assert_int_equal(fib_push(fib, &op), -1);
	op.type = FIB_OP_RESYNC; /* only fib_resync() starts one */
	assert_int_equal(fib_push(fib, &op), -1);
	assert_int_equal(fib_queued(fib), 0);
	fib_free(fib);
}

static void test_record_violations(void **state)
{
	struct fib_record *rec = fib_record_new(false);
	struct fib *fib = fib_new(&fib_record_ops, rec);

	(void)state;
	push(fib, op_vrf(1, "zone1"));
	/* a route before its nh */
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_violations(rec), 1);
	assert_non_null(strstr(fib_record_violation(rec, 0), "unknown nh 10"));
	/* an ECMP group before a member */
	push(fib, op_ecmp(12, 10, 11));
	push(fib, op_tunnel(11, "198.18.0.3", 200));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_violations(rec), 2);
	/* deleting an nh still used by a route and by the group */
	push(fib, op_nh_del(10));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_violations(rec), 3);
	assert_non_null(strstr(fib_record_violation(rec, 2), "used 2 times"));
	/* a route in a VRF that does not exist */
	push(fib, op_route(FIB_OP_ROUTE_SET, 9, "203.0.113.0/24", 11));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_violations(rec), 4);
	fib_free(fib);
}

static void test_record_in_order(void **state)
{
	struct fib_record *rec = fib_record_new(false);
	struct fib *fib = fib_new(&fib_record_ops, rec);

	(void)state;
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_tunnel(11, "198.18.0.3", 200));
	push(fib, op_ecmp(12, 10, 11));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 12));
	assert_int_equal(fib_commit(fib), 0);
	/* dependents first: the route moves, the group goes, its members go */
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	push(fib, op_nh_del(12));
	push(fib, op_nh_del(11));
	push(fib, op_route(FIB_OP_ROUTE_DEL, 1, "203.0.113.0/24", 0));
	push(fib, op_nh_del(10));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_violations(rec), 0);
	assert_int_equal(htab_count(&fib_record_state(rec)->nhs), 0);
	fib_free(fib);
}

static void test_resync(void **state)
{
	struct fib_record *rec = fib_record_new(true);
	struct fib *fib = fib_new(&fib_record_ops, rec);
	const struct fib_op *log;
	size_t n;

	(void)state;
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_tunnel(11, "198.18.0.3", 200));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	assert_int_equal(fib_commit(fib), 0);
	/* the backend refuses a batch: it is not lost */
	fib_record_fail_next(rec);
	push(fib, op_ecmp(12, 10, 11));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "198.51.100.0/24", 12));
	push(fib, op_route(FIB_OP_ROUTE_DEL, 1, "203.0.113.0/24", 0));
	assert_int_equal(fib_commit(fib), -1);
	assert_int_equal(fib_record_route(rec, 1, "198.51.100.0/24"), 0);
	fib_record_log_clear(rec);
	/* the next commit restates the desired state from scratch */
	assert_int_equal(fib_commit(fib), 0);
	n = fib_record_log(rec, &log);
	assert_int_equal(n, 1 + 1 + 3 + 1); /* RESYNC, VRF, 3 nh, 1 route */
	assert_int_equal(log[0].type, FIB_OP_RESYNC);
	assert_int_equal(log[1].type, FIB_OP_VRF_SET);
	assert_int_equal(log[4].type, FIB_OP_NH_SET);
	assert_int_equal(log[4].u.nh.type, FIB_NH_ECMP); /* after its members */
	assert_int_equal(log[5].type, FIB_OP_ROUTE_SET);
	assert_int_equal(fib_record_route(rec, 1, "198.51.100.0/24"), 12);
	/* the withdrawn route is gone from the backend too */
	assert_int_equal(fib_record_route(rec, 1, "203.0.113.0/24"), 0);
	assert_int_equal(fib_record_violations(rec), 0);
	fib_free(fib);
}

/* A backend that holds nothing of ours yet (a data plane we have not
 * talked to): the first commit is a resync, not the queued changes. */
static void test_resync_pending(void **state)
{
	struct fib_record *rec = fib_record_new(true);
	struct fib *fib = fib_new(&fib_record_ops, rec);
	const struct fib_op *log;
	size_t n;

	(void)state;
	fib_resync_pending(fib);
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	assert_int_equal(fib_queued(fib), 0); /* the resync states them */
	assert_int_equal(fib_commit(fib), 0);
	n = fib_record_log(rec, &log);
	assert_int_equal(n, 1 + 3);
	assert_int_equal(log[0].type, FIB_OP_RESYNC);
	assert_int_equal(log[1].type, FIB_OP_VRF_SET);
	assert_int_equal(log[2].type, FIB_OP_NH_SET);
	assert_int_equal(log[3].type, FIB_OP_ROUTE_SET);
	assert_int_equal(fib_record_route(rec, 1, "203.0.113.0/24"), 10);
	assert_int_equal(fib_generation(fib), 1);
	/* then plain batches again */
	fib_record_log_clear(rec);
	push(fib, op_route(FIB_OP_ROUTE_DEL, 1, "203.0.113.0/24", 0));
	assert_int_equal(fib_commit(fib), 0);
	n = fib_record_log(rec, &log);
	assert_int_equal(n, 1);
	assert_int_equal(log[0].type, FIB_OP_ROUTE_DEL);
	assert_int_equal(fib_record_violations(rec), 0);
	fib_free(fib);
}

static void test_watch_gaps(void **state)
{
	struct fib_record *rec = fib_record_new(false);
	struct fib *fib = fib_new(&fib_record_ops, rec);
	struct prefix p;
	struct fib_op drop;

	(void)state;
	assert_int_equal(prefix_parse("203.0.113.0/24", &p), 0);
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 10));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_watch(rec, 1, &p), 0);
	/* make-before-break: a new nh, the route moves, the old nh goes */
	push(fib, op_tunnel(11, "198.18.0.3", 200));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 11));
	push(fib, op_nh_del(10));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_gaps(rec), 0);
	/* break-before-make inside one batch is a gap */
	push(fib, op_route(FIB_OP_ROUTE_DEL, 1, "203.0.113.0/24", 0));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 11));
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_gaps(rec), 1);
	/* so is a drop */
	memset(&drop, 0, sizeof(drop));
	drop.type = FIB_OP_NH_SET;
	drop.u.nh.id = 11;
	drop.u.nh.type = FIB_NH_DROP;
	push(fib, drop);
	assert_int_equal(fib_commit(fib), 0);
	assert_int_equal(fib_record_gaps(rec), 2);
	fib_free(fib);
}

static void test_show(void **state)
{
	struct fib *fib = fib_new(&fib_record_ops, fib_record_new(false));
	struct json_object *o, *vrfs, *v, *routes, *r, *x, *nh, *m;

	(void)state;
	push(fib, op_vrf(1, "zone1"));
	push(fib, op_tunnel(10, "198.18.0.2", 100));
	push(fib, op_tunnel(11, "198.18.0.3", 200));
	push(fib, op_ecmp(12, 10, 11));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "203.0.113.0/24", 12));
	push(fib, op_route(FIB_OP_ROUTE_SET, 1, "198.51.100.0/24", 10));
	assert_int_equal(fib_commit(fib), 0);
	o = fib_show(fib, 0);
	assert_true(json_object_object_get_ex(o, "vrfs", &vrfs));
	v = json_object_array_get_idx(vrfs, 0);
	assert_true(json_object_object_get_ex(v, "name", &x));
	assert_string_equal(json_object_get_string(x), "zone1");
	assert_true(json_object_object_get_ex(v, "routes", &routes));
	assert_int_equal(json_object_array_length(routes), 2);
	/* sorted by prefix */
	r = json_object_array_get_idx(routes, 0);
	assert_true(json_object_object_get_ex(r, "prefix", &x));
	assert_string_equal(json_object_get_string(x), "198.51.100.0/24");
	assert_true(json_object_object_get_ex(r, "nexthop", &nh));
	assert_true(json_object_object_get_ex(nh, "pe", &x));
	assert_string_equal(json_object_get_string(x), "198.18.0.2");
	assert_true(json_object_object_get_ex(nh, "labels", &x));
	assert_int_equal(json_object_get_int(json_object_array_get_idx(x, 0)), 100);
	r = json_object_array_get_idx(routes, 1);
	assert_true(json_object_object_get_ex(r, "nexthop", &nh));
	assert_true(json_object_object_get_ex(nh, "type", &x));
	assert_string_equal(json_object_get_string(x), "ecmp");
	assert_true(json_object_object_get_ex(nh, "members", &m));
	assert_int_equal(json_object_array_length(m), 2);
	json_object_put(o);
	fib_free(fib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commit_generation),
	    cmocka_unit_test(test_push_invalid),
	    cmocka_unit_test(test_record_violations),
	    cmocka_unit_test(test_record_in_order),
	    cmocka_unit_test(test_resync),
	    cmocka_unit_test(test_resync_pending),
	    cmocka_unit_test(test_watch_gaps),
	    cmocka_unit_test(test_show),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
