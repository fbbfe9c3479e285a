/*
 * Unit tests for lib/ecomm.  Every expected byte string below is written by
 * hand from the layout in the cited section; the extended-community vectors
 * were also checked against tshark's BGP dissector (an independent decoder)
 * by wrapping them in an UPDATE message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ecomm.h"

struct vec {
	const char *text;
	uint8_t b[8];
};

/* text -> bytes -> text, both ways checked against the hand-made vector */
static void check_vectors(const struct vec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ecomm e, w;
		char buf[ECOMM_STRLEN];

		print_message("%s\n", v[i].text);
		assert_int_equal(ecomm_parse(v[i].text, &e), 0);
		assert_memory_equal(e.b, v[i].b, 8);
		memcpy(w.b, v[i].b, 8);
		assert_string_equal(ecomm_fmt(&w, buf, sizeof(buf)), v[i].text);
	}
}

static void test_route_targets(void **state)
{
	(void)state;
	/* RFC 4360 s3.1 (type 0x00), s3.2 (0x01), RFC 5668 s2 (0x02);
	 * sub-type 0x02 route target (RFC 4360 s4), 0x03 route origin (s5) */
	const struct vec v[] = {
	    {"target:65000:1", {0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01}},
	    {"target:65535:4294967295", {0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	    {"target:192.0.2.1:7", {0x01, 0x02, 192, 0, 2, 1, 0x00, 0x07}},
	    {"target:4200000000:1", {0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x01}},
	    /* RFC 5668 s2 4-octet AS layout with an AS below 65536 */
	    {"target:65000L:7", {0x02, 0x02, 0x00, 0x00, 0xfd, 0xe8, 0x00, 0x07}},
	    {"origin:65000:1", {0x00, 0x03, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01}},
	    {"origin:198.51.100.9:65535", {0x01, 0x03, 198, 51, 100, 9, 0xff, 0xff}},
	    {"origin:4200000001:2", {0x02, 0x03, 0xfa, 0x56, 0xea, 0x01, 0x00, 0x02}},
	};
	struct ecomm e;

	check_vectors(v, sizeof(v) / sizeof(v[0]));
	assert_int_equal(ecomm_rt_parse("65000:1", &e), 0);
	assert_memory_equal(e.b, v[0].b, 8);
	assert_true(ecomm_is_rt(&e));
	assert_int_equal(ecomm_rt_parse("192.0.2.1:7", &e), 0);
	assert_true(ecomm_is_rt(&e));
	assert_int_equal(ecomm_rt_parse("target:65000:1", &e), -1);
	assert_int_equal(ecomm_parse("origin:65000:1", &e), 0);
	assert_false(ecomm_is_rt(&e));
	/* RFC 4360 s3.1: 0x40 = non-transitive; not an RT for import */
	memcpy(e.b, (uint8_t[]){0x40, 0x02, 0xfd, 0xe8, 0, 0, 0, 1}, 8);
	assert_false(ecomm_is_rt(&e));
}

static void test_rt_record(void **state)
{
	(void)state;
	/* draft-ietf-bess-service-chaining-06 s10.1: the RT's type, sub-type
	 * 0x13, the RT's 6 value octets */
	const struct vec v[] = {
	    {"rt-record:65000:1", {0x00, 0x13, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01}},
	    {"rt-record:192.0.2.1:7", {0x01, 0x13, 192, 0, 2, 1, 0x00, 0x07}},
	    {"rt-record:4200000000:1", {0x02, 0x13, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x01}},
	};

	check_vectors(v, sizeof(v) / sizeof(v[0]));
}

static void test_flowspec_actions(void **state)
{
	(void)state;
	/* RFC 8955 s7.1: 0x80 0x06, 2-octet id, IEEE 754 binary32 bytes/s;
	 * 1e6 = 1.9073486328125 * 2^19 -> 0x49742400, 1.5 -> 0x3fc00000,
	 * 0.1f -> 0x3dcccccd.  s7.2: same with sub-type 0x0c (packets/s). */
	const struct vec v[] = {
	    {"traffic-rate:65000:1000000", {0x80, 0x06, 0xfd, 0xe8, 0x49, 0x74, 0x24, 0x00}},
	    {"traffic-rate:64496:0", {0x80, 0x06, 0xfb, 0xf0, 0x00, 0x00, 0x00, 0x00}},
	    {"traffic-rate:0:1.5", {0x80, 0x06, 0x00, 0x00, 0x3f, 0xc0, 0x00, 0x00}},
	    {"traffic-rate:0:0.1", {0x80, 0x06, 0x00, 0x00, 0x3d, 0xcc, 0xcc, 0xcd}},
	    {"traffic-rate-packets:65000:1000000",
	     {0x80, 0x0c, 0xfd, 0xe8, 0x49, 0x74, 0x24, 0x00}},
	    /* s7.3: bit 47 (LSB of the last octet) = T, bit 46 = S */
	    {"traffic-action:terminal,sample", {0x80, 0x07, 0, 0, 0, 0, 0, 0x03}},
	    {"traffic-action:terminal", {0x80, 0x07, 0, 0, 0, 0, 0, 0x01}},
	    {"traffic-action:sample", {0x80, 0x07, 0, 0, 0, 0, 0, 0x02}},
	    {"traffic-action:none", {0x80, 0x07, 0, 0, 0, 0, 0, 0x00}},
	    /* s7.4 redirect (route target layout) + RFC 7674 0x81 / 0x82 */
	    {"redirect:65000:1", {0x80, 0x08, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01}},
	    {"redirect:192.0.2.1:7", {0x81, 0x08, 192, 0, 2, 1, 0x00, 0x07}},
	    {"redirect:4200000000:1", {0x82, 0x08, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x01}},
	    /* s7.5: DSCP in the low 6 bits of the last octet (46 = EF) */
	    {"traffic-marking:46", {0x80, 0x09, 0, 0, 0, 0, 0, 0x2e}},
	    {"traffic-marking:63", {0x80, 0x09, 0, 0, 0, 0, 0, 0x3f}},
	};
	struct ecomm e;
	char buf[ECOMM_STRLEN];

	check_vectors(v, sizeof(v) / sizeof(v[0]));
	/* other spellings parse to the same bytes */
	assert_int_equal(ecomm_parse("traffic-action:sample,terminal", &e), 0);
	assert_memory_equal(e.b, v[5].b, 8);
	assert_int_equal(ecomm_parse("traffic-rate:65000:1e6", &e), 0);
	assert_memory_equal(e.b, v[0].b, 8);
	assert_string_equal(ecomm_fmt(&e, buf, sizeof(buf)), "traffic-rate:65000:1000000");
}

static void test_redirect_ip(void **state)
{
	(void)state;
	/* draft-ietf-idr-flowspec-redirect-ip-02 s3: IPv4-address-specific
	 * (0x01) sub-type 0x0c, target address as global administrator, local
	 * administrator = 15 reserved bits + C.  The pre-02 form 0x08 0x00
	 * carries only the copy flag (target = the route's next hop). */
	const struct vec v[] = {
	    {"redirect-ip:192.0.2.1", {0x01, 0x0c, 192, 0, 2, 1, 0x00, 0x00}},
	    {"redirect-ip:203.0.113.5:copy", {0x01, 0x0c, 203, 0, 113, 5, 0x00, 0x01}},
	    {"redirect-ip-nh", {0x08, 0x00, 0, 0, 0, 0, 0, 0x00}},
	    {"redirect-ip-nh:copy", {0x08, 0x00, 0, 0, 0, 0, 0, 0x01}},
	};

	check_vectors(v, sizeof(v) / sizeof(v[0]));
}

static void test_opaque(void **state)
{
	(void)state;
	const struct vec v[] = {
	    /* RFC 9012 s4.1: 4 reserved octets, tunnel type; 13 = MPLS-in-UDP,
	     * 8 = VXLAN (RFC 9012 s3.1 / IANA tunnel types) */
	    {"encap:13", {0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x0d}},
	    {"encap:8", {0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x08}},
	    /* draft-ietf-bess-service-chaining-06 s10.2: 4-octet sort order,
	     * 2 reserved octets */
	    {"chash-order:7", {0x03, 0x14, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00}},
	    {"chash-order:4294967295", {0x03, 0x14, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00}},
	    /* s10.3: s d c p P in the top bits of octet 2, B the top bit of
	     * octet 5 (as drawn in the draft's figure) */
	    {"load-balance:src-ip,dst-ip,proto,src-port,dst-port,source-bias",
	     {0x03, 0xaa, 0xf8, 0x00, 0x00, 0x80, 0x00, 0x00}},
	    {"load-balance:src-ip,dst-ip", {0x03, 0xaa, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00}},
	    {"load-balance:dst-port", {0x03, 0xaa, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00}},
	    {"load-balance:source-bias", {0x03, 0xaa, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00}},
	    {"load-balance:none", {0x03, 0xaa, 0, 0, 0, 0, 0, 0}},
	};

	check_vectors(v, sizeof(v) / sizeof(v[0]));
	assert_true(strlen(v[4].text) < ECOMM_STRLEN);
}

static void test_raw_fallback(void **state)
{
	(void)state;
	/* values without a canonical text form keep all their bits as raw */
	const struct vec v[] = {
	    /* RFC 8097 origin validation state (non-transitive opaque) */
	    {"raw:4300000000000002", {0x43, 0x00, 0, 0, 0, 0, 0, 0x02}},
	    /* non-transitive route target (RFC 4360 s3.1 T bit) */
	    {"raw:4002fde800000001", {0x40, 0x02, 0xfd, 0xe8, 0, 0, 0, 1}},
	    /* reserved bits set */
	    {"raw:8009000000000040", {0x80, 0x09, 0, 0, 0, 0, 0, 0x40}},
	    {"raw:8009000000010001", {0x80, 0x09, 0, 0, 0, 1, 0, 0x01}},
	    {"raw:8007000000000004", {0x80, 0x07, 0, 0, 0, 0, 0, 0x04}},
	    {"raw:030c00000001000d", {0x03, 0x0c, 0, 0, 0, 1, 0, 0x0d}},
	    {"raw:0314000000070001", {0x03, 0x14, 0, 0, 0, 7, 0, 1}},
	    {"raw:03aaf80100000000", {0x03, 0xaa, 0xf8, 0x01, 0, 0, 0, 0}}, /* octet 3 */
	    {"raw:03aa000080000000", {0x03, 0xaa, 0, 0, 0x80, 0, 0, 0}},    /* octet 4 */
	    {"raw:03aa040000000000", {0x03, 0xaa, 0x04, 0, 0, 0, 0, 0}},
	    {"raw:010cc00002010002", {0x01, 0x0c, 192, 0, 2, 1, 0, 2}},
	    {"raw:0800000000000002", {0x08, 0x00, 0, 0, 0, 0, 0, 2}},
	    /* traffic rates with no decimal text: NaN, -1.0, +inf, subnormal */
	    {"raw:800600007fc00000", {0x80, 0x06, 0, 0, 0x7f, 0xc0, 0, 0}},
	    {"raw:80060000bf800000", {0x80, 0x06, 0, 0, 0xbf, 0x80, 0, 0}},
	    {"raw:800600007f800000", {0x80, 0x06, 0, 0, 0x7f, 0x80, 0, 0}},
	    {"raw:8006000000000001", {0x80, 0x06, 0, 0, 0, 0, 0, 1}},
	    {"raw:0000000000000000", {0}},
	};
	struct ecomm e;
	char buf[ECOMM_STRLEN];

	check_vectors(v, sizeof(v) / sizeof(v[0]));
	/* raw accepts any value, also one with a named form (upper-case hex too) */
	assert_int_equal(ecomm_parse("raw:00020000FDE80001", &e), 0);
	assert_string_equal(ecomm_fmt(&e, buf, sizeof(buf)), "target:0:4259840001");
}

static void test_rejects(void **state)
{
	(void)state;
	const char *bad[] = {
	    "",
	    "target",
	    "target:",
	    "TARGET:65000:1",
	    "bogus:1:2",
	    "target:65000:1 ",
	    "target:65000:4294967296",	 /* 2-octet AS form: number > 2^32-1 */
	    "target:4200000000:65536",	 /* 4-octet AS form: number > 65535 */
	    "target:4294967296:1",	 /* AS > 2^32-1 */
	    "target:192.0.2.1:65536",	 /* IPv4 form: number > 65535 */
	    "target:type5:010203040506", /* RD-only form */
	    "target:65000:1x",
	    "origin:-1:1",
	    "rt-record:65000",
	    "redirect:2001:db8::1:7",
	    "traffic-rate:65000",
	    "traffic-rate:65536:1",
	    "traffic-rate:65000:-1",
	    "traffic-rate:65000:nan",
	    "traffic-rate:65000:inf",
	    "traffic-rate:65000:1e39",
	    "traffic-rate:65000:0x10",
	    "traffic-rate:65000:",
	    "traffic-rate:65000:1 ",
	    "traffic-rate:65000:.5",
	    "traffic-action:",
	    "traffic-action:fast",
	    "traffic-action:terminal,terminal",
	    "traffic-action:terminal,",
	    "traffic-action:none,terminal",
	    "traffic-marking:64",
	    "traffic-marking:",
	    "traffic-marking:ef",
	    "redirect-ip",
	    "redirect-ip:192.0.2.1:cop",
	    "redirect-ip:2001:db8::1",
	    "redirect-ip:192.0.2.1:7",
	    "redirect-ip-nh:copyx",
	    "redirect-ip-nh:",
	    "encap:65536",
	    "encap:",
	    "encap:vxlan",
	    "chash-order:4294967296",
	    "chash-order:",
	    "chash-order:1:0",
	    "load-balance:",
	    "load-balance:src-ip,src-ip",
	    "load-balance:foo",
	    "load-balance:src-ip,",
	    "load-balance:none,src-ip",
	    "raw:00112233445566",
	    "raw:0011223344556677aa",
	    "raw:zz11223344556677",
	    "raw:",
	    "raw:00 11 22 33 44 55 66 77",
	};
	struct ecomm e;
	const uint8_t sentinel[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		memcpy(e.b, sentinel, 8);
		assert_int_equal(ecomm_parse(bad[i], &e), -1);
		assert_memory_equal(e.b, sentinel, 8);
	}
}

static void test_fmt_truncates_safely(void **state)
{
	(void)state;
	struct ecomm e;
	char buf[8];

	assert_int_equal(ecomm_parse("target:4200000000:65535", &e), 0);
	assert_string_equal(ecomm_fmt(&e, buf, sizeof(buf)), "target:");
	assert_int_equal(ecomm_parse("load-balance:src-ip,dst-ip", &e), 0);
	assert_string_equal(ecomm_fmt(&e, buf, sizeof(buf)), "load-ba");
}

static void test_cmp(void **state)
{
	(void)state;
	struct ecomm a, b;

	assert_int_equal(ecomm_parse("target:65000:1", &a), 0);
	assert_int_equal(ecomm_parse("target:65000:2", &b), 0);
	assert_int_equal(ecomm_cmp(&a, &a), 0);
	assert_int_equal(ecomm_cmp(&a, &b), -1);
	assert_int_equal(ecomm_cmp(&b, &a), 1);
}

static void test_ecomm6(void **state)
{
	(void)state;
	/* RFC 5701 s2: type 0x00 (transitive), sub-type, 16-octet IPv6 global
	 * administrator, 2-octet local administrator */
	static const struct {
		const char *text;
		uint8_t b[20];
	} v[] = {
	    {"target6:[2001:db8::1]:7",
	     {0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x07}},
	    {"origin6:[2001:db8:1::]:65535",
	     {0x00, 0x03, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}},
	    /* draft-ietf-bess-service-chaining-06 s10.1: sub-type 0x0013 */
	    {"rt-record6:[2001:db8::1]:7",
	     {0x00, 0x13, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x07}},
	    /* draft-ietf-idr-flowspec-redirect-ip-02 s3 */
	    {"redirect-ip6:[2001:db8::9]",
	     {0x00, 0x0c, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0x00, 0x00}},
	    {"redirect-ip6:[2001:db8::9]:copy",
	     {0x00, 0x0c, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0x00, 0x01}},
	    /* non-transitive RT (0x40) has no named form */
	    {"raw6:400220010db80000000000000000000000010007",
	     {0x40, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x07}},
	};
	const char *bad[] = {
	    "target6:2001:db8::1:7",
	    "target6:[2001:db8::1]",
	    "target6:[192.0.2.1]:7",
	    "target6:[2001:db8::1]:65536",
	    "redirect-ip6:[2001:db8::1]:7",
	    "target6:[2001:db8::1:7",
	    "raw6:4002",
	    "target:[2001:db8::1]:7",
	    "target6",
	};
	struct ecomm6 e;
	char buf[ECOMM6_STRLEN];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		print_message("%s\n", v[i].text);
		assert_int_equal(ecomm6_parse(v[i].text, &e), 0);
		assert_memory_equal(e.b, v[i].b, 20);
		assert_string_equal(ecomm6_fmt(&e, buf, sizeof(buf)), v[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ecomm6_parse(bad[i], &e), -1);
	/* the longest form fits ECOMM6_STRLEN */
	assert_int_equal(
	    ecomm6_parse("rt-record6:[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535", &e), 0);
	assert_string_equal(ecomm6_fmt(&e, buf, sizeof(buf)),
			    "rt-record6:[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void test_comm(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t c;
	} v[] = {
	    {"65000:1", 0xfde80001},
	    {"0:0", 0},
	    {"65535:65535", 0xffffffff},
	    {"no-export", 0xFFFFFF01},		 /* RFC 1997 */
	    {"no-advertise", 0xFFFFFF02},	 /* RFC 1997 */
	    {"no-export-subconfed", 0xFFFFFF03}, /* RFC 1997 */
	    {"no-peer", 0xFFFFFF04},		 /* RFC 3765 s4 */
	    {"graceful-shutdown", 0xFFFF0000},	 /* RFC 8326 s4.1 */
	    {"blackhole", 0xFFFF029A},		 /* RFC 7999 s5 (65535:666) */
	};
	const char *bad[] = {"",   "65536:1", "1:65536",    "1",	 "1:2:3",
			     "1:", ":1",      "no-exportx", "NO-EXPORT", "1: 2"};
	uint32_t c;
	char buf[COMM_STRLEN];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(comm_parse(v[i].text, &c), 0);
		assert_int_equal(c, v[i].c);
		assert_string_equal(comm_fmt(v[i].c, buf, sizeof(buf)), v[i].text);
	}
	/* numeric spelling of a well-known value parses; formats by name */
	assert_int_equal(comm_parse("65535:666", &c), 0);
	assert_string_equal(comm_fmt(c, buf, sizeof(buf)), "blackhole");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = 42;
		assert_int_equal(comm_parse(bad[i], &c), -1);
		assert_int_equal(c, 42);
	}
}

static void test_lcomm(void **state)
{
	(void)state;
	struct lcomm c;
	char buf[LCOMM_STRLEN];
	const char *bad[] = {"", "1:2", "1:2:3:4", "4294967296:1:2", "1:2:", "1::3", "a:b:c"};

	/* RFC 8092 s3: three 4-octet fields */
	assert_int_equal(lcomm_parse("4200000000:1:2", &c), 0);
	assert_int_equal(c.global, 4200000000u);
	assert_int_equal(c.local1, 1);
	assert_int_equal(c.local2, 2);
	assert_string_equal(lcomm_fmt(&c, buf, sizeof(buf)), "4200000000:1:2");
	assert_int_equal(lcomm_parse("4294967295:4294967295:4294967295", &c), 0);
	assert_string_equal(lcomm_fmt(&c, buf, sizeof(buf)), "4294967295:4294967295:4294967295");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lcomm_parse(bad[i], &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route_targets),
	    cmocka_unit_test(test_rt_record),
	    cmocka_unit_test(test_flowspec_actions),
	    cmocka_unit_test(test_redirect_ip),
	    cmocka_unit_test(test_opaque),
	    cmocka_unit_test(test_raw_fallback),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_fmt_truncates_safely),
	    cmocka_unit_test(test_cmp),
	    cmocka_unit_test(test_ecomm6),
	    cmocka_unit_test(test_comm),
	    cmocka_unit_test(test_lcomm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
