/*
 * Unit tests for the RFC 7606 verdict table and accumulator (wire/verdict).
 * Expected actions and NOTIFICATION codes are taken from the RFC text
 * cited next to each assertion (RFC 4271 s4.5 for the subcode numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire/verdict.h"

static void expect_row(enum bgp_err e, enum bgp_action a, uint8_t code, uint8_t sub)
{
	const struct bgp_err_desc *d = bgp_err_desc(e);

	assert_int_equal(d->action, a);
	if (a == BGP_ACT_SESSION_RESET || a == BGP_ACT_AFISAFI_DISABLE) {
		assert_int_equal(d->code, code);
		assert_int_equal(d->subcode, sub);
	}
}

static void test_every_row_filled(void **state)
{
	(void)state;
	for (int e = 1; e < BGP_E_COUNT; e++) {
		const struct bgp_err_desc *d = bgp_err_desc((enum bgp_err)e);

		assert_non_null(d->name);
		assert_non_null(d->ref);
		assert_non_null(d->text);
		assert_true(strlen(d->name) > 0);
		assert_true(strlen(d->ref) > 0);
		assert_int_not_equal(d->action, BGP_ACT_OK);
		/* names are stable ids: unique, lower case with hyphens */
		for (const char *c = d->name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				    *c == '-');
		for (int f = 1; f < e; f++)
			assert_string_not_equal(d->name, bgp_err_desc((enum bgp_err)f)->name);
	}
	/* out of range maps to the "none" row rather than reading past the table */
	assert_int_equal(bgp_err_desc(BGP_E_COUNT)->action, BGP_ACT_OK);
}

static void test_header_and_open_rows(void **state)
{
	(void)state;
	/* RFC 4271 s6.1: Connection Not Synchronized (1), Bad Message Length (2),
	 * Bad Message Type (3) */
	expect_row(BGP_E_HDR_MARKER, BGP_ACT_SESSION_RESET, 1, 1);
	expect_row(BGP_E_HDR_LENGTH, BGP_ACT_SESSION_RESET, 1, 2);
	expect_row(BGP_E_HDR_TYPE, BGP_ACT_SESSION_RESET, 1, 3);
	expect_row(BGP_E_KEEPALIVE_LENGTH, BGP_ACT_SESSION_RESET, 1, 2);
	expect_row(BGP_E_NOTIFY_LENGTH, BGP_ACT_SESSION_RESET, 1, 2);
	/* RFC 4271 s6.2 */
	expect_row(BGP_E_OPEN_VERSION, BGP_ACT_SESSION_RESET, 2, 1);
	expect_row(BGP_E_OPEN_PEER_AS, BGP_ACT_SESSION_RESET, 2, 2);
	expect_row(BGP_E_OPEN_BGP_ID, BGP_ACT_SESSION_RESET, 2, 3);
	expect_row(BGP_E_OPEN_OPT_PARAM_UNSUPPORTED, BGP_ACT_SESSION_RESET, 2, 4);
	expect_row(BGP_E_OPEN_HOLD_TIME, BGP_ACT_SESSION_RESET, 2, 6);
	/* RFC 7313 s5: ROUTE-REFRESH Message Error / Invalid Message Length */
	expect_row(BGP_E_REFRESH_LENGTH, BGP_ACT_SESSION_RESET, 7, 1);
}

static void test_update_rows(void **state)
{
	(void)state;
	/* RFC 7606 s3 b: lengths too large -> Malformed Attribute List */
	expect_row(BGP_E_UPD_WITHDRAWN_LEN, BGP_ACT_SESSION_RESET, 3, 1);
	expect_row(BGP_E_UPD_ATTR_LEN, BGP_ACT_SESSION_RESET, 3, 1);
	/* s4: attribute overrun/underrun -> treat-as-withdraw */
	expect_row(BGP_E_UPD_ATTR_OVERRUN, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	/* s3 c, s3 d */
	expect_row(BGP_E_UPD_ATTR_FLAGS, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	expect_row(BGP_E_UPD_MISSING_ORIGIN, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	expect_row(BGP_E_UPD_MISSING_AS_PATH, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	expect_row(BGP_E_UPD_MISSING_NEXT_HOP, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	expect_row(BGP_E_UPD_MISSING_LOCAL_PREF, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	/* s3 g */
	expect_row(BGP_E_UPD_DUP_ATTR, BGP_ACT_ATTR_DISCARD, 0, 0);
	expect_row(BGP_E_UPD_DUP_MP, BGP_ACT_SESSION_RESET, 3, 1);
	/* RFC 4271 s6.3: Unrecognized Well-known Attribute (2); Invalid Network
	 * Field (10) for an unparsable NLRI field (RFC 7606 s5.3, s3 j) */
	expect_row(BGP_E_UPD_UNKNOWN_WELLKNOWN, BGP_ACT_SESSION_RESET, 3, 2);
	expect_row(BGP_E_UPD_NLRI, BGP_ACT_SESSION_RESET, 3, 10);
}

static void test_attribute_rows(void **state)
{
	(void)state;
	expect_row(BGP_E_ORIGIN, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	  /* s7.1 */
	expect_row(BGP_E_AS_PATH, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	  /* s7.2 */
	expect_row(BGP_E_NEXT_HOP, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	  /* s7.3 */
	expect_row(BGP_E_MED, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);		  /* s7.4 */
	expect_row(BGP_E_LOCAL_PREF, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	  /* s7.5 */
	expect_row(BGP_E_LOCAL_PREF_EBGP, BGP_ACT_ATTR_DISCARD, 0, 0);	  /* s7.5 */
	expect_row(BGP_E_ATOMIC_AGGREGATE, BGP_ACT_ATTR_DISCARD, 0, 0);	  /* s7.6 */
	expect_row(BGP_E_AGGREGATOR, BGP_ACT_ATTR_DISCARD, 0, 0);	  /* s7.7 */
	expect_row(BGP_E_COMMUNITIES, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	  /* s7.8 */
	expect_row(BGP_E_ORIGINATOR_ID, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0); /* s7.9 */
	expect_row(BGP_E_ORIGINATOR_ID_EBGP, BGP_ACT_ATTR_DISCARD, 0, 0);
	expect_row(BGP_E_CLUSTER_LIST, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0); /* s7.10 */
	expect_row(BGP_E_CLUSTER_LIST_EBGP, BGP_ACT_ATTR_DISCARD, 0, 0);
	/* s7.11: "session reset" or "AFI/SAFI disable"; RFC 4760 s7 names
	 * UPDATE Message Error / Optional Attribute Error (9) */
	expect_row(BGP_E_MP_REACH, BGP_ACT_SESSION_RESET, 3, 9);
	expect_row(BGP_E_MP_REACH_NEXT_HOP, BGP_ACT_AFISAFI_DISABLE, 3, 9);
	expect_row(BGP_E_MP_REACH_NLRI, BGP_ACT_AFISAFI_DISABLE, 3, 9);
	expect_row(BGP_E_MP_UNREACH, BGP_ACT_SESSION_RESET, 3, 9);
	expect_row(BGP_E_MP_UNREACH_NLRI, BGP_ACT_AFISAFI_DISABLE, 3, 9);
	expect_row(BGP_E_FLOWSPEC_NLRI, BGP_ACT_AFISAFI_DISABLE, 3, 9);
	expect_row(BGP_E_EXT_COMMUNITIES, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);	 /* s7.14 */
	expect_row(BGP_E_IPV6_EXT_COMMUNITIES, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0); /* s7.15 */
	/* RFC 8092 s6 */
	expect_row(BGP_E_LARGE_COMMUNITIES, BGP_ACT_TREAT_AS_WITHDRAW, 0, 0);
	/* RFC 6793 s6: "attribute discard" for AS4_PATH and AS4_AGGREGATOR */
	expect_row(BGP_E_AS4_PATH, BGP_ACT_ATTR_DISCARD, 0, 0);
	expect_row(BGP_E_AS4_AGGREGATOR, BGP_ACT_ATTR_DISCARD, 0, 0);
	expect_row(BGP_E_AS4_FROM_NEW, BGP_ACT_ATTR_DISCARD, 0, 0);
}

/* RFC 4486 s4: exceeding a configured prefix limit is Cease, subcode 1
 * "Maximum Number of Prefixes Reached". */
static void test_limit_rows(void **state)
{
	(void)state;
	const struct bgp_err_desc *d = bgp_err_desc(BGP_E_MAX_PREFIX);

	assert_int_equal(d->action, BGP_ACT_SESSION_RESET);
	assert_int_equal(d->code, 6);
	assert_int_equal(d->subcode, 1);
	assert_string_equal(d->name, "max-prefix");
}

static void test_action_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_action_name(BGP_ACT_OK), "ok");
	assert_string_equal(bgp_action_name(BGP_ACT_ATTR_DISCARD), "attribute-discard");
	assert_string_equal(bgp_action_name(BGP_ACT_TREAT_AS_WITHDRAW), "treat-as-withdraw");
	assert_string_equal(bgp_action_name(BGP_ACT_AFISAFI_DISABLE), "afi-safi-disable");
	assert_string_equal(bgp_action_name(BGP_ACT_SESSION_RESET), "session-reset");
}

/* RFC 7606 s3 h: the strongest approach wins. */
static void test_keeps_worst(void **state)
{
	(void)state;
	struct bgp_verdict v;

	bgp_verdict_init(&v);
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(v.fam, BGP_FAM_NONE);

	bgp_verdict_raise(&v, BGP_E_AGGREGATOR, BGP_ATTR_AGGREGATOR, 30, 9);
	assert_int_equal(v.action, BGP_ACT_ATTR_DISCARD);
	assert_int_equal(v.err, BGP_E_AGGREGATOR);

	bgp_verdict_raise(&v, BGP_E_ORIGIN, BGP_ATTR_ORIGIN, 23, 4);
	assert_int_equal(v.action, BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(v.err, BGP_E_ORIGIN);
	assert_int_equal(v.attr_type, BGP_ATTR_ORIGIN);
	assert_int_equal(v.data_off, 23);
	assert_int_equal(v.data_len, 4);

	/* a weaker one later does not override, but its discard is recorded */
	bgp_verdict_raise(&v, BGP_E_ATOMIC_AGGREGATE, BGP_ATTR_ATOMIC_AGGREGATE, 40, 4);
	assert_int_equal(v.err, BGP_E_ORIGIN);
	assert_int_equal(v.n_discarded, 2);
	assert_int_equal(v.discarded[0], BGP_ATTR_AGGREGATOR);
	assert_int_equal(v.discarded[1], BGP_ATTR_ATOMIC_AGGREGATE);

	/* an equally strong one keeps the first */
	bgp_verdict_raise(&v, BGP_E_MED, BGP_ATTR_MED, 50, 3);
	assert_int_equal(v.err, BGP_E_ORIGIN);

	bgp_verdict_raise(&v, BGP_E_UPD_DUP_MP, BGP_ATTR_MP_REACH_NLRI, 60, 10);
	assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(v.code, 3);
	assert_int_equal(v.subcode, 1);
	assert_int_equal(v.data_off, 60);

	bgp_verdict_raise(&v, BGP_E_COMMUNITIES, BGP_ATTR_COMMUNITIES, 70, 3);
	assert_int_equal(v.err, BGP_E_UPD_DUP_MP);
}

static void test_discard_list_bounded(void **state)
{
	(void)state;
	struct bgp_verdict v;

	bgp_verdict_init(&v);
	for (unsigned t = 100; t < 100 + 2 * BGP_VERDICT_MAX_DISCARDED; t++)
		bgp_verdict_raise(&v, BGP_E_UPD_DUP_ATTR, (uint8_t)t, 0, 0);
	assert_int_equal(v.n_discarded, BGP_VERDICT_MAX_DISCARDED);
	/* the same type twice is listed once */
	bgp_verdict_init(&v);
	bgp_verdict_raise(&v, BGP_E_UPD_DUP_ATTR, BGP_ATTR_COMMUNITIES, 0, 0);
	bgp_verdict_raise(&v, BGP_E_UPD_DUP_ATTR, BGP_ATTR_COMMUNITIES, 0, 0);
	assert_int_equal(v.n_discarded, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_row_filled), cmocka_unit_test(test_header_and_open_rows),
	    cmocka_unit_test(test_update_rows),	     cmocka_unit_test(test_attribute_rows),
	    cmocka_unit_test(test_limit_rows),	     cmocka_unit_test(test_action_names),
	    cmocka_unit_test(test_keeps_worst),	     cmocka_unit_test(test_discard_list_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
