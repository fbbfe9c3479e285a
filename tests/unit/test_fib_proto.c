/*
 * Unit tests for fib/fib_proto: the FIB protocol codec.  The byte vectors
 * are written by hand from docs/fib-protocol.md; every op type round-trips
 * (decode(encode(op)) == op); every truncation and a trailing byte are
 * refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fib/fib_proto.h"

static size_t enc(const struct fib_msg *m, uint8_t *buf, size_t cap)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	assert_true(fib_proto_encode(&w, m));
	return wbuf_len(&w);
}

static void test_hello_bytes(void **state)
{
	/* header: length 24, type 1, reserved; "VTFB", version 1, role 1, pad, gen 7 */
	static const uint8_t want[] = {0, 0, 0, 24, 0, 1, 0, 0, 0x56, 0x54, 0x46, 0x42,
				       0, 1, 1, 0,  0, 0, 0, 0, 0,    0,    0,	  7};
	struct fib_msg m = {.type = FIB_MSG_HELLO}, d;
	uint8_t buf[64];
	size_t n, len;

	(void)state;
	m.u.hello.version = 1;
	m.u.hello.role = FIB_ROLE_WRITER;
	m.u.hello.gen = 7;
	n = enc(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, n);
	assert_int_equal(fib_proto_frame(buf, n - 1, &len), 0);
	assert_int_equal(fib_proto_frame(buf, n, &len), 1);
	assert_int_equal(len, n);
	assert_null(fib_proto_decode(buf, n, &d));
	assert_int_equal(d.u.hello.gen, 7);
	buf[8] = 0; /* bad magic */
	assert_non_null(fib_proto_decode(buf, n, &d));
}

/* TRACE (docs/fib-protocol.md): header (length 8 + text, type 8), then the
 * command text, no terminator */
static void test_trace_bytes(void **state)
{
	static const uint8_t want[] = {0, 0, 0, 14, 0, 8, 0, 0, 's', 'h', 'o', 'w', ' ', 'x'};
	struct fib_msg m = {.type = FIB_MSG_TRACE}, d;
	uint8_t buf[64];
	size_t n;

	(void)state;
	m.u.text.p = "show x";
	m.u.text.len = 6;
	n = enc(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, n);
	assert_null(fib_proto_decode(buf, n, &d));
	assert_int_equal(d.type, FIB_MSG_TRACE);
	assert_int_equal(d.u.text.len, 6);
	assert_memory_equal(d.u.text.p, "show x", 6);
	assert_string_equal(fib_proto_msg_name(FIB_MSG_TRACE), "trace");
}

/* SHOW (docs/fib-protocol.md): an empty body asks for everything, the
 * text "labels" for the labels view */
static void test_show_bytes(void **state)
{
	static const uint8_t all[] = {0, 0, 0, 8, 0, 6, 0, 0};
	static const uint8_t labels[] = {0, 0, 0, 14, 0, 6, 0, 0, 'l', 'a', 'b', 'e', 'l', 's'};
	struct fib_msg m = {.type = FIB_MSG_SHOW}, d;
	uint8_t buf[64];
	size_t n;

	(void)state;
	n = enc(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(all));
	assert_memory_equal(buf, all, n);
	assert_null(fib_proto_decode(buf, n, &d));
	assert_int_equal(d.type, FIB_MSG_SHOW);
	assert_int_equal(d.u.text.len, 0);
	m.u.text.p = "labels";
	m.u.text.len = 6;
	n = enc(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(labels));
	assert_memory_equal(buf, labels, n);
	assert_null(fib_proto_decode(buf, n, &d));
	assert_int_equal(d.u.text.len, 6);
	assert_memory_equal(d.u.text.p, "labels", 6);
}

static void test_route_bytes(void **state)
{
	/* ROUTE_SET = op 8 -> message type 24: vrf 3, afi 1, len 24,
	 * 192.0.2.0, nh 9 */
	static const uint8_t want[] = {0, 0, 0,	 22,  0, 24, 0, 0, 0, 0, 0,
				       3, 1, 24, 192, 0, 2,  0, 0, 0, 0, 9};
	struct fib_msg m = {.type = FIB_MSG_OP_BASE + FIB_OP_ROUTE_SET}, d;
	uint8_t buf[64];
	size_t n;

	(void)state;
	m.u.op.type = FIB_OP_ROUTE_SET;
	m.u.op.u.route.vrf = 3;
	assert_int_equal(prefix_parse("192.0.2.0/24", &m.u.op.u.route.prefix), 0);
	m.u.op.u.route.nh = 9;
	n = enc(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, n);
	buf[17] = 1; /* host bit set in a route prefix */
	assert_non_null(fib_proto_decode(buf, n, &d));
	buf[17] = 0;
	buf[13] = 33; /* /33 */
	assert_non_null(fib_proto_decode(buf, n, &d));
}

static struct fib_op ops[16];
static size_t n_ops;

static void add_ops(void)
{
	struct fib_op *o;

	n_ops = 0;
	memset(ops, 0, sizeof(ops));
	ops[n_ops++].type = FIB_OP_RESYNC;
	o = &ops[n_ops++];
	o->type = FIB_OP_VRF_SET;
	o->u.vrf.id = 1;
	strcpy(o->u.vrf.name, "zone-1");
	o = &ops[n_ops++];
	o->type = FIB_OP_IF_SET;
	o->u.ifc.id = 2;
	strcpy(o->u.ifc.name, "veth-h1");
	o->u.ifc.role = FIB_IF_SERVICE;
	o->u.ifc.vrf = 1;
	o->u.ifc.mtu = 1400;
	o->u.ifc.n_addr = 2;
	assert_int_equal(prefix_parse("192.0.2.0/24", &o->u.ifc.addr[0]), 0);
	o->u.ifc.addr[0].b[3] = 1; /* 192.0.2.1/24: interface addresses keep host bits */
	assert_int_equal(prefix_parse("2001:db8::/64", &o->u.ifc.addr[1]), 0);
	o = &ops[n_ops++];
	o->type = FIB_OP_NH_SET;
	o->u.nh.id = 3;
	o->u.nh.type = FIB_NH_LOCAL;
	o->u.nh.ifc = 2;
	assert_int_equal(ipaddr_parse("192.0.2.10", &o->u.nh.gw), 0);
	o = &ops[n_ops++];
	o->type = FIB_OP_NH_SET;
	o->u.nh.id = 4;
	o->u.nh.type = FIB_NH_TUNNEL;
	assert_int_equal(ipaddr_parse("198.18.0.2", &o->u.nh.pe), 0);
	o->u.nh.n_labels = 2;
	o->u.nh.labels[0] = 16;
	o->u.nh.labels[1] = 0xfffff;
	o = &ops[n_ops++];
	o->type = FIB_OP_NH_SET;
	o->u.nh.id = 5;
	o->u.nh.type = FIB_NH_ECMP;
	o->u.nh.hash = FIB_HASH_SYMMETRIC;
	o->u.nh.n_members = 2;
	o->u.nh.members[0] = 3;
	o->u.nh.members[1] = 4;
	o = &ops[n_ops++];
	o->type = FIB_OP_NH_SET;
	o->u.nh.id = 6;
	o->u.nh.type = FIB_NH_LOOKUP;
	o->u.nh.vrf = 1;
	o = &ops[n_ops++];
	o->type = FIB_OP_ROUTE_DEL;
	o->u.route.vrf = 1;
	assert_int_equal(prefix_parse("2001:db8:1::/48", &o->u.route.prefix), 0);
	o = &ops[n_ops++];
	o->type = FIB_OP_LABEL_SET;
	o->u.label.label = 100;
	o->u.label.nh = 6;
	o = &ops[n_ops++];
	o->type = FIB_OP_FLOW_SET;
	o->u.flow.vrf = 1;
	o->u.flow.id = 7;
	o->u.flow.priority = 10;
	o->u.flow.afi = AFI_IPV4;
	o->u.flow.nlri_len = 3;
	memcpy(o->u.flow.nlri, "\x03\x81\x06", 3);
	o->u.flow.nh = 5;
	o = &ops[n_ops++];
	o->type = FIB_OP_PEER_SET;
	assert_int_equal(ipaddr_parse("198.18.0.2", &o->u.peer.addr), 0);
	o = &ops[n_ops++];
	o->type = FIB_OP_NH_DEL;
	o->u.nh.id = 4;
}

static void test_roundtrip_and_truncation(void **state)
{
	uint8_t buf[1024];
	struct fib_msg m, d;
	size_t n;

	(void)state;
	add_ops();
	for (size_t i = 0; i < n_ops; i++) {
		memset(&m, 0, sizeof(m));
		m.type = (uint16_t)(FIB_MSG_OP_BASE + ops[i].type);
		m.u.op = ops[i];
		n = enc(&m, buf, sizeof(buf) - 1);
		assert_null(fib_proto_decode(buf, n, &d));
		assert_int_equal(d.type, m.type);
		assert_memory_equal(&d.u.op, &m.u.op, sizeof(m.u.op));
		/* every truncation is refused, with the length field adjusted too */
		for (size_t k = FIB_PROTO_HDR; k < n; k++) {
			buf[2] = (uint8_t)(k >> 8), buf[3] = (uint8_t)k;
			assert_non_null(fib_proto_decode(buf, k, &d));
		}
		buf[n] = 0; /* one trailing byte */
		buf[2] = (uint8_t)((n + 1) >> 8), buf[3] = (uint8_t)(n + 1);
		assert_non_null(fib_proto_decode(buf, n + 1, &d));
	}
}

static void test_bad_values(void **state)
{
	uint8_t buf[256];
	struct fib_msg m = {0}, d;
	size_t n;

	(void)state;
	add_ops();
	m.type = FIB_MSG_OP_BASE + FIB_OP_NH_SET;
	m.u.op = ops[4]; /* the tunnel */
	n = enc(&m, buf, sizeof(buf));
	buf[n - 3] = 0x10; /* last label 0x10ffff: beyond 20 bits */
	assert_non_null(fib_proto_decode(buf, n, &d));
	/* a message type we do not know, a frame length below the header */
	memcpy(buf, "\x00\x00\x00\x08\x00\x63\x00\x00", 8);
	assert_non_null(fib_proto_decode(buf, 8, &d));
	memcpy(buf, "\x00\x00\x00\x07", 4);
	assert_int_equal(fib_proto_frame(buf, 8, &n), -1);
	memcpy(buf, "\x00\x01\x00\x01", 4); /* 65537 > FIB_PROTO_MAX */
	assert_int_equal(fib_proto_frame(buf, 8, &n), -1);
	/* an ECMP group of 17 members cannot be encoded */
	{
		struct wbuf w;
		m.u.op = ops[5];
		m.u.op.u.nh.n_members = FIB_ECMP_MAX + 1;
		m.type = FIB_MSG_OP_BASE + FIB_OP_NH_SET;
		wbuf_init(&w, buf, sizeof(buf));
		assert_false(fib_proto_encode(&w, &m));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hello_bytes),
	    cmocka_unit_test(test_route_bytes),
	    cmocka_unit_test(test_roundtrip_and_truncation),
	    cmocka_unit_test(test_trace_bytes),
	    cmocka_unit_test(test_show_bytes),
	    cmocka_unit_test(test_bad_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
