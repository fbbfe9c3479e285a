/*
 * Unit tests for lib/prefix: address and prefix text forms, host-bit and
 * length checks, containment.  Expected byte values are written by hand from
 * the dotted-quad / RFC 4291 s2.2 text, and canonical IPv6 text follows
 * RFC 5952 s4 (lower case, "::" for the longest run of zero groups, not for
 * a single zero group).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/prefix.h"

static void test_afi_width(void **state)
{
	(void)state;
	assert_int_equal(afi_addr_bytes(AFI_IPV4), 4);
	assert_int_equal(afi_addr_bits(AFI_IPV6), 128);
	assert_int_equal(afi_addr_bytes(0), 0);
	assert_int_equal(afi_addr_bits(3), 0);
}

static void test_ipaddr_v4(void **state)
{
	(void)state;
	struct ipaddr a, b;
	char buf[IPADDR_STRLEN];
	const uint8_t want[16] = {192, 0, 2, 1};

	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.afi, AFI_IPV4);
	assert_memory_equal(a.b, want, 16);
	assert_int_equal(ipaddr_v4(&a), 0xc0000201u);
	assert_string_equal(ipaddr_fmt(&a, buf, sizeof(buf)), "192.0.2.1");
	ipaddr_from_v4(&b, 0xc0000201u);
	assert_int_equal(ipaddr_cmp(&a, &b), 0);
	ipaddr_from_v4(&b, 0xc0000202u);
	assert_true(ipaddr_cmp(&a, &b) < 0);
}

static void test_ipaddr_v6_canonical(void **state)
{
	(void)state;
	struct ipaddr a;
	char buf[IPADDR_STRLEN];
	/* 2001:db8::1 = 2001 0db8 0000 ... 0001 */
	const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	assert_int_equal(ipaddr_parse("2001:DB8:0:0:0:0:0:1", &a), 0);
	assert_int_equal(a.afi, AFI_IPV6);
	assert_memory_equal(a.b, want, 16);
	/* RFC 5952 s4.3 lower case, s4.2.1 longest zero run compressed */
	assert_string_equal(ipaddr_fmt(&a, buf, sizeof(buf)), "2001:db8::1");
	/* RFC 5952 s4.2.2: a single 16-bit 0 field is not shortened */
	assert_int_equal(ipaddr_parse("2001:db8:0:1:1:1:1:1", &a), 0);
	assert_string_equal(ipaddr_fmt(&a, buf, sizeof(buf)), "2001:db8:0:1:1:1:1:1");
	/* RFC 5952 s4.2.3: the first of two equal runs is compressed */
	assert_int_equal(ipaddr_parse("2001:db8:0:0:1:0:0:1", &a), 0);
	assert_string_equal(ipaddr_fmt(&a, buf, sizeof(buf)), "2001:db8::1:0:0:1");
}

static void test_ipaddr_rejects(void **state)
{
	(void)state;
	struct ipaddr a;
	const char *bad[] = {"",	   "192.0.2",	   "192.0.2.256",	    "192.0.2.1 ",
			     " 192.0.2.1", "192.0.2.1/32", "2001:db8::1::2",	    "2001:db8::g",
			     "example",	   "192.0.2.1.5",  "2001:db8:0:0:0:0:0:0:1"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ipaddr_parse(bad[i], &a), -1);
}

static void test_prefix_parse_v4(void **state)
{
	(void)state;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	const uint8_t want[16] = {198, 51, 100, 0};

	assert_int_equal(prefix_parse("198.51.100.0/24", &p), 0);
	assert_int_equal(p.afi, AFI_IPV4);
	assert_int_equal(p.len, 24);
	assert_memory_equal(p.b, want, 16);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "198.51.100.0/24");
	/* a bare address is a host prefix */
	assert_int_equal(prefix_parse("203.0.113.9", &p), 0);
	assert_int_equal(p.len, 32);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "203.0.113.9/32");
	assert_int_equal(prefix_parse("0.0.0.0/0", &p), 0);
	assert_int_equal(p.len, 0);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "0.0.0.0/0");
	/* /25: the last byte may hold 128 but not 1 */
	assert_int_equal(prefix_parse("192.0.2.128/25", &p), 0);
	assert_int_equal(p.b[3], 0x80);
}

static void test_prefix_parse_v6(void **state)
{
	(void)state;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x30};

	assert_int_equal(prefix_parse("2001:DB8:1230::/44", &p), 0);
	assert_int_equal(p.afi, AFI_IPV6);
	assert_int_equal(p.len, 44);
	assert_memory_equal(p.b, want, 16);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "2001:db8:1230::/44");
	assert_int_equal(prefix_parse("2001:db8::1", &p), 0);
	assert_int_equal(p.len, 128);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "2001:db8::1/128");
	assert_int_equal(prefix_parse("::/0", &p), 0);
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "::/0");
}

static void test_prefix_rejects(void **state)
{
	(void)state;
	struct prefix p;
	const char *bad[] = {
	    "192.0.2.1/24",			   /* host bits */
	    "192.0.2.128/24",			   /* host bits */
	    "192.0.2.0/33",			   /* longer than the family */
	    "2001:db8::/129",			   /* longer than the family */
	    "2001:db8::1/64",			   /* host bits */
	    "2001:db8:1238::/44",		   /* host bit 45..48 */
	    "192.0.2.0/",			   /* empty length */
	    "192.0.2.0/-1",			   /* sign */
	    "192.0.2.0/+24",	  "192.0.2.0/24x", /* trailing garbage */
	    "192.0.2.0/24/",	  "192.0.2.0/0024", "192.0.2.0 /24", "/24", "", "garbage/8",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p.len = 77;
		assert_int_equal(prefix_parse(bad[i], &p), -1);
		assert_int_equal(p.len, 77); /* untouched on failure */
	}
}

static void test_prefix_normalize(void **state)
{
	(void)state;
	struct prefix p = {.afi = AFI_IPV4, .len = 20, .b = {192, 0, 2, 1, 9}};
	const uint8_t want[16] = {192, 0, 0};

	/* 192.0.2.1/20: 2 = 0000 0010 lies in the host part of the 3rd octet */
	prefix_normalize(&p);
	assert_memory_equal(p.b, want, 16);
	p.len = 40; /* longer than IPv4: clamped */
	prefix_normalize(&p);
	assert_int_equal(p.len, 32);
}

static void test_prefix_cmp_and_contains(void **state)
{
	(void)state;
	struct prefix p16, p24, p24b, p6;
	struct ipaddr in, out, v6;

	assert_int_equal(prefix_parse("198.51.0.0/16", &p16), 0);
	assert_int_equal(prefix_parse("198.51.100.0/24", &p24), 0);
	assert_int_equal(prefix_parse("198.51.100.0/24", &p24b), 0);
	assert_int_equal(prefix_parse("2001:db8::/32", &p6), 0);
	assert_int_equal(ipaddr_parse("198.51.100.77", &in), 0);
	assert_int_equal(ipaddr_parse("198.52.0.1", &out), 0);
	assert_int_equal(ipaddr_parse("2001:db8:ffff::1", &v6), 0);

	assert_int_equal(prefix_cmp(&p24, &p24b), 0);
	assert_true(prefix_cmp(&p16, &p24) < 0);
	assert_true(prefix_cmp(&p24, &p16) > 0);
	assert_true(prefix_cmp(&p24, &p6) < 0); /* IPv4 sorts first */

	assert_true(prefix_contains(&p16, &p24));
	assert_false(prefix_contains(&p24, &p16));
	assert_true(prefix_contains(&p24, &p24b));
	assert_false(prefix_contains(&p16, &p6));
	assert_true(prefix_contains_addr(&p24, &in));
	assert_false(prefix_contains_addr(&p16, &out));
	assert_true(prefix_contains_addr(&p6, &v6));
	assert_false(prefix_contains_addr(&p6, &in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_afi_width),
	    cmocka_unit_test(test_ipaddr_v4),
	    cmocka_unit_test(test_ipaddr_v6_canonical),
	    cmocka_unit_test(test_ipaddr_rejects),
	    cmocka_unit_test(test_prefix_parse_v4),
	    cmocka_unit_test(test_prefix_parse_v6),
	    cmocka_unit_test(test_prefix_rejects),
	    cmocka_unit_test(test_prefix_normalize),
	    cmocka_unit_test(test_prefix_cmp_and_contains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
