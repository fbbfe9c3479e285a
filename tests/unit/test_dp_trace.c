/*
 * Unit tests for dp/dp_trace: the filter's syntax and its errors, which
 * packets match, the bounded ring (the oldest packets go first) and the
 * JSON that `vtopo-dp trace show` prints, cut to fit one reply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <netinet/in.h>

#include "dp/dp_trace.h"

static const uint8_t a10[4] = {203, 0, 113, 10}, a70[4] = {203, 0, 113, 70},
		     other[4] = {192, 0, 2, 1};

static void test_parse(void **state)
{
	struct dp_trace_filter f;
	char buf[256];

	(void)state;
	assert_null(dp_trace_parse("", &f));
	dp_trace_filter_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "any");
	assert_null(
	    dp_trace_parse("proto icmp dst 203.0.113.64/26 vrf zone1 src 203.0.113.10", &f));
	assert_string_equal(f.vrf, "zone1");
	assert_true(f.has_src && f.has_dst);
	assert_int_equal(f.src.len, 32);
	assert_int_equal(f.dst.len, 26);
	assert_int_equal(f.proto, IPPROTO_ICMP);
	dp_trace_filter_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "vrf zone1 src 203.0.113.10/32 dst 203.0.113.64/26 proto 1");
	assert_null(dp_trace_parse("proto 17", &f));
	assert_int_equal(f.proto, IPPROTO_UDP);
	assert_null(dp_trace_parse("src 2001:db8::/32", &f));
	assert_int_equal(f.src.afi, AFI_IPV6);
}

static void test_parse_errors(void **state)
{
	struct dp_trace_filter f;

	(void)state;
	/* each error names what is wrong */
	assert_non_null(strstr(dp_trace_parse("src 203.0.113.10/24", &f), "src"));
	assert_non_null(strstr(dp_trace_parse("dst nonsense", &f), "dst"));
	assert_non_null(strstr(dp_trace_parse("proto 0", &f), "proto"));
	assert_non_null(strstr(dp_trace_parse("proto 256", &f), "proto"));
	assert_non_null(strstr(dp_trace_parse("proto sctp-ish", &f), "proto"));
	assert_non_null(strstr(dp_trace_parse("vrf", &f), "vrf: value missing"));
	assert_non_null(strstr(dp_trace_parse("port 80", &f), "port"));
	assert_non_null(strstr(dp_trace_parse("vrf a vrf b", &f), "repeated"));
	assert_non_null(
	    strstr(dp_trace_parse("vrf 0123456789012345678901234567890123456789", &f), "vrf"));
}

static void test_match(void **state)
{
	struct dp_trace_filter f;

	(void)state;
	assert_null(dp_trace_parse("", &f));
	assert_true(dp_trace_match(&f, 3, "x", AFI_IPV4, other, other, IPPROTO_TCP));
	assert_null(dp_trace_parse("vrf zone1 src 203.0.113.0/26 dst 203.0.113.70 proto icmp", &f));
	assert_true(dp_trace_match(&f, 1, "zone1", AFI_IPV4, a10, a70, IPPROTO_ICMP));
	assert_false(dp_trace_match(&f, 2, "zone2", AFI_IPV4, a10, a70, IPPROTO_ICMP));
	assert_false(dp_trace_match(&f, 1, "zone1", AFI_IPV4, a10, a70, IPPROTO_UDP));
	assert_false(dp_trace_match(&f, 1, "zone1", AFI_IPV4, other, a70, IPPROTO_ICMP));
	assert_false(dp_trace_match(&f, 1, "zone1", AFI_IPV4, a10, a10, IPPROTO_ICMP));
	/* an IPv4 prefix never matches an IPv6 packet */
	uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8}, d6[16] = {0x20, 0x01, 0x0d, 0xb8, 1};
	assert_false(dp_trace_match(&f, 1, "zone1", AFI_IPV6, s6, d6, IPPROTO_ICMP));
	/* the VRF by id as well as by name */
	assert_null(dp_trace_parse("vrf 7", &f));
	assert_true(dp_trace_match(&f, 7, "zone1", AFI_IPV4, a10, a70, 1));
	assert_false(dp_trace_match(&f, 17, "zone1", AFI_IPV4, a10, a70, 1));
	assert_true(dp_trace_match(&f, 7, NULL, AFI_IPV4, a10, a70, 1));
}

/* off: begin records nothing; on: the ring keeps the last DP_TRACE_PKTS */
static void test_ring(void **state)
{
	struct dp_trace t = {0};
	struct dp_trace_filter f;
	struct json_object *o, *pkts, *p;
	char *json;

	(void)state;
	dp_trace_begin(&t);
	dp_trace_step(&t, "nothing %d", 1);
	dp_trace_end(&t);
	assert_int_equal(t.n, 0);
	assert_null(dp_trace_parse("proto udp", &f));
	assert_int_equal(dp_trace_on(&t, &f), 0);
	for (int i = 1; i <= DP_TRACE_PKTS + 5; i++) {
		dp_trace_begin(&t);
		dp_trace_step(&t, "packet %d", i);
		for (int k = 0; k < DP_TRACE_STEPS + 3; k++)
			dp_trace_step(&t, "step %d", k);
		dp_trace_end(&t);
	}
	dp_trace_step(&t, "after the end"); /* no packet: ignored */
	json = dp_trace_json(&t, 1 << 20);
	o = json_tokener_parse(json);
	assert_non_null(o);
	assert_true(json_object_get_boolean(json_object_object_get(o, "on")));
	assert_string_equal(json_object_get_string(json_object_object_get(o, "filter")),
			    "proto 17");
	assert_int_equal(json_object_get_int(json_object_object_get(o, "traced")),
			 DP_TRACE_PKTS + 5);
	pkts = json_object_object_get(o, "packets");
	assert_int_equal(json_object_array_length(pkts), DP_TRACE_PKTS);
	p = json_object_array_get_idx(pkts, 0);
	assert_int_equal(json_object_get_int(json_object_object_get(p, "seq")), 6);
	assert_string_equal(json_object_get_string(
				json_object_array_get_idx(json_object_object_get(p, "steps"), 0)),
			    "packet 6");
	assert_int_equal(json_object_array_length(json_object_object_get(p, "steps")),
			 DP_TRACE_STEPS);
	assert_true(json_object_get_boolean(json_object_object_get(p, "truncated")));
	json_object_put(o);
	free(json);
	/* cut to fit: fewer packets, the newest kept */
	json = dp_trace_json(&t, 8000);
	assert_true(strlen(json) < 8000);
	o = json_tokener_parse(json);
	pkts = json_object_object_get(o, "packets");
	assert_true(json_object_array_length(pkts) > 0);
	assert_true(json_object_array_length(pkts) < DP_TRACE_PKTS);
	p = json_object_array_get_idx(pkts, json_object_array_length(pkts) - 1);
	assert_int_equal(json_object_get_int(json_object_object_get(p, "seq")), DP_TRACE_PKTS + 5);
	json_object_put(o);
	free(json);
	/* off keeps what was recorded, records no more */
	dp_trace_off(&t);
	dp_trace_begin(&t);
	dp_trace_end(&t);
	assert_int_equal(t.n, DP_TRACE_PKTS + 5);
	dp_trace_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
