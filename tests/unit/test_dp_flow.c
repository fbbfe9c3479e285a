/*
 * Unit tests for dp/dp_flow: FlowSpec classification.  Rules are the
 * worked examples of RFC 8955 s4.3.1-2 and RFC 8956 s3.8.1 (bytes as printed
 * there, also checked by tests/unit/test_flowspec.c); packets are built by
 * hand to fall inside or just outside each component.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/dp.h"

/* RFC 8955 s4.3.1: destination 192.0.2.0/24, protocol == 6, port == 25 */
static const uint8_t ex1[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x03, 0x81, 0x06, 0x04, 0x81, 0x19};
/* RFC 8955 s4.3.2: destination 192.0.2.0/24, source 203.0.113.0/24,
 * port >= 137 AND <= 139 OR == 8080 */
static const uint8_t ex2[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x02, 0x18, 0xcb, 0x00,
			      0x71, 0x04, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90};
/* RFC 8956 s3.8.1: destination 2001:db8::/32, source pattern
 * 0x123456789a at bits 64-103, protocol == 6 */
static const uint8_t ex6[] = {0x01, 0x20, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x68,
			      0x40, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x03, 0x81, 0x06};

static uint8_t src4[4], dst4[4], src6[16], dst6[16];

static struct dp_pkt_info pkt4(const char *src, const char *dst, uint8_t proto, uint16_t sport,
			       uint16_t dport)
{
	struct dp_pkt_info pi;
	struct ipaddr a;

	memset(&pi, 0, sizeof(pi));
	assert_int_equal(ipaddr_parse(src, &a), 0);
	memcpy(src4, a.b, 4);
	assert_int_equal(ipaddr_parse(dst, &a), 0);
	memcpy(dst4, a.b, 4);
	pi.afi = AFI_IPV4;
	pi.src = src4;
	pi.dst = dst4;
	pi.proto = proto;
	pi.has_ports = proto == 6 || proto == 17;
	pi.sport = sport;
	pi.dport = dport;
	return pi;
}

static void test_flow_rfc8955_ex1(void **state)
{
	struct dp_pkt_info pi;

	(void)state;
	pi = pkt4("198.51.100.7", "192.0.2.9", 6, 40000, 25);
	assert_true(dp_flow_match(ex1, sizeof(ex1), AFI_IPV4, &pi));
	pi = pkt4("198.51.100.7", "192.0.2.9", 6, 25, 40000); /* port: either side */
	assert_true(dp_flow_match(ex1, sizeof(ex1), AFI_IPV4, &pi));
	pi = pkt4("198.51.100.7", "192.0.3.9", 6, 40000, 25); /* outside /24 */
	assert_false(dp_flow_match(ex1, sizeof(ex1), AFI_IPV4, &pi));
	pi = pkt4("198.51.100.7", "192.0.2.9", 17, 40000, 25); /* UDP */
	assert_false(dp_flow_match(ex1, sizeof(ex1), AFI_IPV4, &pi));
	pi = pkt4("198.51.100.7", "192.0.2.9", 6, 40000, 26);
	assert_false(dp_flow_match(ex1, sizeof(ex1), AFI_IPV4, &pi));
}

static void test_flow_rfc8955_ex2(void **state)
{
	struct dp_pkt_info pi;
	static const uint16_t in[] = {137, 138, 139, 8080};
	static const uint16_t out[] = {136, 140, 8079, 8081};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		pi = pkt4("203.0.113.5", "192.0.2.1", 17, 50000, in[i]);
		assert_true(dp_flow_match(ex2, sizeof(ex2), AFI_IPV4, &pi));
		pi = pkt4("203.0.113.5", "192.0.2.1", 17, 50000, out[i]);
		assert_false(dp_flow_match(ex2, sizeof(ex2), AFI_IPV4, &pi));
	}
	pi = pkt4("203.0.114.5", "192.0.2.1", 17, 50000, 138); /* source outside */
	assert_false(dp_flow_match(ex2, sizeof(ex2), AFI_IPV4, &pi));
	pi = pkt4("203.0.113.5", "192.0.2.1", 1, 0, 0); /* no ports: no match */
	assert_false(dp_flow_match(ex2, sizeof(ex2), AFI_IPV4, &pi));
}

static void test_flow_rfc8956_ex1(void **state)
{
	struct dp_pkt_info pi;
	struct ipaddr a;

	(void)state;
	memset(&pi, 0, sizeof(pi));
	assert_int_equal(ipaddr_parse("2001:db8:1::1", &a), 0);
	memcpy(dst6, a.b, 16);
	/* bits 64-103 of the source are 12 34 56 78 9a */
	assert_int_equal(ipaddr_parse("2001:db8:2:3:1234:5678:9aff:1", &a), 0);
	memcpy(src6, a.b, 16);
	pi.afi = AFI_IPV6;
	pi.src = src6;
	pi.dst = dst6;
	pi.proto = 6;
	assert_true(dp_flow_match(ex6, sizeof(ex6), AFI_IPV6, &pi));
	src6[12] ^= 0x80; /* bit 96 flips: outside the pattern */
	assert_false(dp_flow_match(ex6, sizeof(ex6), AFI_IPV6, &pi));
	src6[12] ^= 0x80;
	src6[13] ^= 0x80; /* bit 104: after the pattern, ignored */
	assert_true(dp_flow_match(ex6, sizeof(ex6), AFI_IPV6, &pi));
	pi.proto = 17;
	assert_false(dp_flow_match(ex6, sizeof(ex6), AFI_IPV6, &pi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flow_rfc8955_ex1),
	    cmocka_unit_test(test_flow_rfc8955_ex2),
	    cmocka_unit_test(test_flow_rfc8956_ex1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
