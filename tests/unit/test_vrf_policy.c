/*
 * Unit tests for vrf_policy: export-policy statements evaluated for one
 * exported route.  Expected route targets come from the draft's examples:
 *   - s4.1.2 / tests/config/fig1-pe2.json: the egress zone VRF of PE-2 tags
 *     its IPv4 zone prefixes with z1-to-z2's RT and its IPv6 ones with the
 *     IPv6 topology's RT; a VM's IPv4 host route gets the first only;
 *   - s4.1.4: the aggregate (or the default route) carries the chain's RT,
 *     the specific zone prefixes a separate topology RT, never both;
 *   - s4.2: a VM's host route carries its own per-VM topology RT as well
 *     as the zone chain's; other VMs and service-node routes do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vrf/vrf.h"
#include "vrf/vrf_policy.h"

static struct ecomm rt(const char *s)
{
	struct ecomm e;

	assert_int_equal(ecomm_parse(s, &e), 0); /* "target:AS:N" */
	assert_true(ecomm_is_rt(&e));
	return e;
}

static struct prefix pfx(const char *s)
{
	struct prefix p;

	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

/* A statement: prefix ("" none) with [lo, hi], attachment ("" any), one RT. */
static struct vrf_policy_stmt stmt(const char *prefix, unsigned lo, unsigned hi, const char *att,
				   const char *rt_s)
{
	struct vrf_policy_stmt st;

	memset(&st, 0, sizeof(st));
	if (prefix[0]) {
		st.match_prefix = true;
		st.prefix = pfx(prefix);
		st.len_min = (uint8_t)lo;
		st.len_max = (uint8_t)hi;
	}
	snprintf(st.attachment, sizeof(st.attachment), "%s", att);
	st.rts[st.n_rts++] = rt(rt_s);
	return st;
}

/* The policy's RTs for a route, as "65000:101 65000:106" in statement
 * order ("" none). */
static const char *eval(const struct vrf_policy_stmt *st, size_t n, const char *p,
			const char *att)
{
	static char buf[256];
	struct ecomm out[32];
	size_t k = 0, len = 0;
	struct prefix q = pfx(p);

	vrf_policy_rts(st, n, &q, att, out, &k, 32);
	buf[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		char one[64];

		assert_true(ecomm_fmt(&out[i], one, sizeof(one)) != NULL);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
					one + strlen("target:"));
	}
	return buf;
}

/* s4.1.2, fig1-pe2.json zone2: 203.0.113.64/26 26..32 -> 65000:101,
 * 2001:db8:2::/64 64..128 -> 65000:111. */
static void test_egress_zone_by_family(void **state)
{
	struct vrf_policy_stmt st[2] = {
	    stmt("203.0.113.64/26", 26, 32, "", "target:65000:101"),
	    stmt("2001:db8:2::/64", 64, 128, "", "target:65000:111"),
	};

	(void)state;
	assert_string_equal(eval(st, 2, "203.0.113.70/32", "vm2"), "65000:101");
	assert_string_equal(eval(st, 2, "2001:db8:2::10/128", "vm2"), "65000:111");
	assert_string_equal(eval(st, 2, "203.0.113.64/26", NULL), "65000:101");
	/* outside the zone, or shorter than the range: nothing */
	assert_string_equal(eval(st, 2, "203.0.113.10/32", "vm1"), "");
	assert_string_equal(eval(st, 2, "203.0.113.0/24", NULL), "");
	assert_string_equal(eval(st, 2, "2001:db8:1::10/128", "vm1"), "");
	assert_string_equal(eval(st, 2, "2001:db8:2::/48", NULL), "");
}

/* An address-family condition alone (yang conditions/address-family). */
static void test_family_only(void **state)
{
	struct vrf_policy_stmt st[2] = {
	    stmt("", 0, 0, "", "target:65000:102"),
	    stmt("", 0, 0, "", "target:65000:112"),
	};

	(void)state;
	st[0].afi = AFI_IPV4;
	st[1].afi = AFI_IPV6;
	assert_string_equal(eval(st, 2, "203.0.113.10/32", "vm1"), "65000:102");
	assert_string_equal(eval(st, 2, "2001:db8:1::10/128", "vm1"), "65000:112");
	assert_string_equal(eval(st, 2, "0.0.0.0/0", NULL), "65000:102");
	assert_string_equal(eval(st, 2, "::/0", NULL), "65000:112");
}

/* s4.1.4: the aggregate zone prefix (exact) carries the chain's RT; the
 * specific zone prefixes under it a separate topology RT; the default
 * route (0.0.0.0/0 exact) the chain's RT and nothing else. */
static void test_aggregate_and_specifics(void **state)
{
	struct vrf_policy_stmt st[3] = {
	    stmt("198.19.0.0/16", 16, 16, "", "target:65000:101"),
	    stmt("198.19.0.0/16", 17, 32, "", "target:65000:201"),
	    stmt("0.0.0.0/0", 0, 0, "", "target:65000:101"),
	};

	(void)state;
	assert_string_equal(eval(st, 3, "198.19.0.0/16", NULL), "65000:101");
	assert_string_equal(eval(st, 3, "198.19.7.0/24", NULL), "65000:201");
	assert_string_equal(eval(st, 3, "198.19.7.9/32", "vm9"), "65000:201");
	assert_string_equal(eval(st, 3, "0.0.0.0/0", NULL), "65000:101");
	assert_string_equal(eval(st, 3, "198.18.0.0/15", NULL), "");
}

/* s4.2: VM-1's host routes carry the zone chain's RT (65000:102, IPv4
 * zone prefixes) and VM-1's own chain's RT (65000:106); VM-3 in the same
 * zone only the zone's; a service node's route (no attachment) neither
 * the per-VM RT. */
static void test_per_vm(void **state)
{
	struct vrf_policy_stmt st[3] = {
	    stmt("", 0, 0, "vm1", "target:65000:106"),
	    stmt("203.0.113.0/26", 26, 32, "", "target:65000:102"),
	    stmt("2001:db8:1::/64", 64, 128, "", "target:65000:112"),
	};

	(void)state;
	assert_string_equal(eval(st, 3, "203.0.113.10/32", "vm1"), "65000:106 65000:102");
	assert_string_equal(eval(st, 3, "2001:db8:1::10/128", "vm1"), "65000:106 65000:112");
	assert_string_equal(eval(st, 3, "203.0.113.11/32", "vm3"), "65000:102");
	assert_string_equal(eval(st, 3, "203.0.113.12/32", NULL), "65000:102");
	/* a name that only starts like the statement's is another VM */
	assert_string_equal(eval(st, 3, "203.0.113.13/32", "vm10"), "65000:102");
	/* every condition must hold: VM-1 and the IPv4 zone prefix */
	st[0].match_prefix = true;
	st[0].prefix = pfx("203.0.113.0/26");
	st[0].len_min = 32;
	st[0].len_max = 32;
	assert_string_equal(eval(st, 3, "2001:db8:1::10/128", "vm1"), "65000:112");
	assert_string_equal(eval(st, 3, "203.0.113.10/32", "vm1"), "65000:106 65000:102");
}

/* Two statements adding one RT: once; the export pipe merges the VRF's
 * export RTs, sorted (vrf.h). */
static void test_export_pipe_merge(void **state)
{
	struct vrf_config c;
	struct ecomm out[16];
	struct prefix v4 = pfx("203.0.113.10/32"), v6 = pfx("2001:db8:1::10/128");
	int n;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.export_rt[c.n_export++] = rt("target:65000:1");
	c.policy[c.n_policy++] = stmt("203.0.113.0/26", 26, 32, "", "target:65000:102");
	c.policy[c.n_policy++] = stmt("", 0, 0, "vm1", "target:65000:102");
	c.policy[c.n_policy++] = stmt("2001:db8:1::/64", 64, 128, "", "target:65000:112");
	n = vrf_export_rts(&c, &v4, "vm1", NULL, 0, out, 16);
	assert_int_equal(n, 2);
	assert_memory_equal(out[0].b, rt("target:65000:1").b, 8);
	assert_memory_equal(out[1].b, rt("target:65000:102").b, 8);
	/* the IPv6 host route of the same VM: never the IPv4 topology's RT */
	n = vrf_export_rts(&c, &v6, "vm1", NULL, 0, out, 16);
	assert_int_equal(n, 3);
	assert_memory_equal(out[0].b, rt("target:65000:1").b, 8);
	assert_memory_equal(out[1].b, rt("target:65000:102").b, 8); /* vm1's statement */
	assert_memory_equal(out[2].b, rt("target:65000:112").b, 8);
	n = vrf_export_rts(&c, &v6, NULL, NULL, 0, out, 16);
	assert_int_equal(n, 2);
	assert_memory_equal(out[1].b, rt("target:65000:112").b, 8);
}

/* s5.3: LOCAL_PREF and MED of a route come from the first matching
 * statement that sets each; a statement that matches but sets neither
 * (an RT-only one) does not stop the search. */
static void test_local_pref_med(void **state)
{
	struct vrf_policy_stmt st[4] = {
	    stmt("203.0.113.0/24", 24, 32, "", "target:65000:102"),
	    stmt("", 0, 0, "vm7", "target:65000:106"),
	    stmt("203.0.113.0/25", 25, 25, "", "target:65000:101"),
	    stmt("", 0, 0, "", "target:65000:1"),
	};
	struct vrf_policy_attrs a;
	struct prefix vm7 = pfx("203.0.113.7/32"), vm8 = pfx("203.0.113.8/32"),
		      agg = pfx("203.0.113.0/25");

	(void)state;
	st[1].set_local_pref = true, st[1].local_pref = 200; /* the active node */
	st[2].set_med = true, st[2].med = 10;
	st[3].set_local_pref = true, st[3].local_pref = 50;
	st[3].set_med = true, st[3].med = 7;
	vrf_policy_attrs(st, 4, &vm7, "vm7", &a);
	assert_true(a.set_local_pref && a.local_pref == 200);
	assert_true(a.set_med && a.med == 7);
	vrf_policy_attrs(st, 4, &vm8, "vm8", &a);
	assert_true(a.set_local_pref && a.local_pref == 50);
	assert_true(a.set_med && a.med == 7);
	vrf_policy_attrs(st, 4, &agg, NULL, &a);
	assert_true(a.set_local_pref && a.local_pref == 50);
	assert_true(a.set_med && a.med == 10);
	/* nothing sets them: LOCAL_PREF 100 and no MED at the RDE */
	vrf_policy_attrs(st, 2, &vm8, "vm8", &a);
	assert_false(a.set_local_pref);
	assert_false(a.set_med);
}

/* policy-result reject-route: a matching rejecting statement keeps the
 * route from the peers, whatever else matches; others pass. */
static void test_reject(void **state)
{
	struct vrf_policy_stmt st[2] = {
	    stmt("203.0.113.128/25", 25, 32, "", "target:65000:1"),
	    stmt("203.0.113.0/24", 24, 32, "", "target:65000:102"),
	};
	struct prefix mgmt = pfx("203.0.113.200/32"), vm = pfx("203.0.113.10/32"),
		      v6 = pfx("2001:db8:1::10/128");

	(void)state;
	st[0].reject = true;
	st[0].n_rts = 0; /* yang: a rejecting statement adds nothing */
	assert_true(vrf_policy_rejects(st, 2, &mgmt, "vm5"));
	assert_false(vrf_policy_rejects(st, 2, &vm, "vm1"));
	assert_false(vrf_policy_rejects(st, 2, &v6, "vm1"));
	assert_string_equal(eval(st, 2, "203.0.113.10/32", "vm1"), "65000:102");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_egress_zone_by_family),
	    cmocka_unit_test(test_family_only),
	    cmocka_unit_test(test_aggregate_and_specifics),
	    cmocka_unit_test(test_per_vm),
	    cmocka_unit_test(test_export_pipe_merge),
	    cmocka_unit_test(test_local_pref_med),
	    cmocka_unit_test(test_reject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
