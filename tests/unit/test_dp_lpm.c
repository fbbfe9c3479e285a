/*
 * Unit tests for dp/dp_lpm: longest-prefix match.  Expected answers follow
 * from the prefixes by hand (the longest covering prefix wins).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/dp.h"

static struct prefix P(const char *s) {
	struct prefix p;
	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

static fib_nh_id
look(struct dp_lpm *t, const char *addr)
{
	struct ipaddr a;
	struct dp_route *r;

	assert_int_equal(ipaddr_parse(addr, &a), 0);
	r = dp_lpm_lookup(t, a.b, afi_addr_bits(a.afi));
	return r ? r->nh : 0;
}

static void test_lpm_v4(void **state)
{
	struct dp_lpm t;
	struct prefix p;

	(void)state;
	dp_lpm_init(&t);
	assert_int_equal(look(&t, "192.0.2.1"), 0);
	p = P("0.0.0.0/0");
	assert_non_null(dp_lpm_set(&t, &p, 1));
	p = P("192.0.2.0/24");
	assert_non_null(dp_lpm_set(&t, &p, 2));
	p = P("192.0.2.128/25");
	assert_non_null(dp_lpm_set(&t, &p, 3));
	p = P("192.0.2.129/32");
	assert_non_null(dp_lpm_set(&t, &p, 4));
	assert_int_equal(t.n_routes, 4);
	assert_int_equal(look(&t, "198.51.100.1"), 1);
	assert_int_equal(look(&t, "192.0.2.1"), 2);
	assert_int_equal(look(&t, "192.0.2.200"), 3);
	assert_int_equal(look(&t, "192.0.2.129"), 4);
	/* replace keeps one route */
	p = P("192.0.2.0/24");
	assert_non_null(dp_lpm_set(&t, &p, 5));
	assert_int_equal(t.n_routes, 4);
	assert_int_equal(look(&t, "192.0.2.1"), 5);
	/* delete falls back to the next shorter prefix */
	p = P("192.0.2.128/25");
	assert_true(dp_lpm_del(&t, &p));
	assert_false(dp_lpm_del(&t, &p));
	assert_int_equal(look(&t, "192.0.2.200"), 5);
	assert_int_equal(look(&t, "192.0.2.129"), 4);
	p = P("0.0.0.0/0");
	assert_true(dp_lpm_del(&t, &p));
	assert_int_equal(look(&t, "198.51.100.1"), 0);
	dp_lpm_free(&t);
}

static void test_lpm_v6_and_sweep(void **state)
{
	struct dp_lpm t;
	struct prefix p;
	struct dp_route *r;

	(void)state;
	dp_lpm_init(&t);
	p = P("2001:db8::/32");
	assert_non_null(dp_lpm_set(&t, &p, 1));
	p = P("2001:db8:0:1::/64");
	r = dp_lpm_set(&t, &p, 2);
	assert_non_null(r);
	p = P("2001:db8:0:1::1/128");
	assert_non_null(dp_lpm_set(&t, &p, 3));
	assert_int_equal(look(&t, "2001:db8:0:1::2"), 2);
	assert_int_equal(look(&t, "2001:db8:0:1::1"), 3);
	assert_int_equal(look(&t, "2001:db8:ffff::1"), 1);
	assert_int_equal(look(&t, "2001:db9::1"), 0);
	/* a resync sweep removes exactly the stale routes */
	r->stale = true;
	assert_int_equal(dp_lpm_sweep(&t), 1);
	assert_int_equal(look(&t, "2001:db8:0:1::2"), 1);
	assert_int_equal(look(&t, "2001:db8:0:1::1"), 3);
	assert_int_equal(t.n_routes, 2);
	dp_lpm_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lpm_v4),
	    cmocka_unit_test(test_lpm_v6_and_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
