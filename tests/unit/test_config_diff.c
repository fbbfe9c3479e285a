/*
 * Unit tests for config_diff: neighbors matched by address and classed by
 * what a reload must do to them (RFC 4486 s4: Peer De-configured for a
 * removed one, Other Configuration Change for one whose session settings
 * changed, nothing for a description), process settings that cannot
 * change at run time, and the route targets of our RT-Constraint
 * membership (RFC 4684 s3: the import targets of our VRFs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config_diff.h"

static struct config *load(const char *json)
{
	char path[] = "/tmp/vtopo-diff-XXXXXX";
	int fd = mkstemp(path);
	struct config_errors errs;
	struct config *cfg = NULL;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	config_errors_init(&errs);
	if (config_load_dir(path, VTOPO_SRC_YANG_DIR, &cfg, &errs) != 0)
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s: %s\n", errs.v[i].path, errs.v[i].reason);
	unlink(path);
	assert_non_null(cfg);
	config_errors_clear(&errs);
	return cfg;
}

#define HEAD "{\"vtopo:vtopo\": {\"global\": {\"as\": %s, \"router-id\": \"192.0.2.100\"},"
#define NB(addr, extra)                                                                            \
	"{\"address\": \"" addr "\", \"remote-as\": 65001, " extra                                 \
	" \"afi-safis\": {\"afi-safi\": [{\"name\": \"ipv4-vpn\"}]}}"

static struct config *load_nbs(const char *as, const char *nbs)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), HEAD "\"neighbors\": {\"neighbor\": [%s]}}}", as, nbs);
	return load(buf);
}

static void test_neighbors(void **state)
{
	(void)state;
	struct config *a =
	    load_nbs("65000", NB("192.0.2.1", "\"description\": \"one\",") "," NB(
				  "192.0.2.2", "") "," NB("192.0.2.3", "") "," NB("192.0.2.5", ""));
	struct config *b = load_nbs(
	    "65000", NB("192.0.2.1", "\"description\": \"uno\",") "," NB(
			 "192.0.2.3",
			 "\"timers\": {\"hold-time\": 30},") "," NB("192.0.2.4",
								    "") "," NB("192.0.2.5", ""));
	struct config_errors errs;
	struct config_diff d;

	config_errors_init(&errs);
	assert_int_equal(config_diff(a, b, &d, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_int_equal(d.n_nb, 5);
	/* .1: description only -> no new session */
	assert_int_equal(d.nb[0].change, CONFIG_NB_UPDATE);
	assert_int_equal(d.nb[0].old_idx, 0);
	assert_int_equal(d.nb[0].new_idx, 0);
	/* .2: gone -> Cease / Peer De-configured */
	assert_int_equal(d.nb[1].change, CONFIG_NB_REMOVED);
	assert_int_equal(d.nb[1].old_idx, 1);
	assert_int_equal(d.nb[1].new_idx, -1);
	/* .3: the hold time is negotiated in the OPEN -> new session */
	assert_int_equal(d.nb[2].change, CONFIG_NB_RESET);
	/* .4: new */
	assert_int_equal(d.nb[3].change, CONFIG_NB_ADDED);
	assert_int_equal(d.nb[3].old_idx, -1);
	assert_int_equal(d.nb[3].new_idx, 2);
	assert_int_equal(d.nb[4].change, CONFIG_NB_SAME);
	assert_false(d.rtc_changed);
	assert_false(d.vrf_changed);
	config_diff_free(&d);
	config_free(a);
	config_free(b);
}

static void test_fixed_settings(void **state)
{
	(void)state;
	struct config *a = load_nbs("65000", NB("192.0.2.1", ""));
	struct config *b = load_nbs("65002", NB("192.0.2.1", ""));
	struct config_errors errs;
	struct config_diff d;

	config_errors_init(&errs);
	assert_int_equal(config_diff(a, b, &d, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].path, "/vtopo:vtopo/global/as");
	assert_null(d.nb);
	config_errors_clear(&errs);
	config_free(a);
	config_free(b);
}

static struct config *load_underlay(const char *underlay)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), HEAD "\"underlay\": %s}}", "65000", underlay);
	return load(buf);
}

/* underlay/label-range: labels already advertised stay valid only if the
 * range stays; the default (16..1048575, RFC 3032 s2.1) when absent. */
static void test_label_range(void **state)
{
	(void)state;
	struct config *a = load_underlay("{\"label-range\": {\"first\": 2000, \"last\": 2999}}");
	struct config *b = load_underlay("{\"label-range\": {\"first\": 3000}}");
	struct config *c = load_underlay("{}");
	struct config_errors errs;
	struct config_diff d;

	assert_int_equal(a->label_first, 2000);
	assert_int_equal(a->label_last, 2999);
	assert_int_equal(b->label_first, 3000);
	assert_int_equal(b->label_last, 1048575);
	assert_int_equal(c->label_first, 16);
	assert_int_equal(c->label_last, 1048575);
	config_errors_init(&errs);
	assert_int_equal(config_diff(a, b, &d, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].path, "/vtopo:vtopo/underlay/label-range");
	config_errors_clear(&errs);
	assert_int_equal(config_diff(a, a, &d, &errs), 0);
	config_diff_free(&d);
	config_free(a);
	config_free(b);
	config_free(c);
}

#define VRF(name, rd, targets)                                                                     \
	"{\"name\": \"" name "\", \"route-distinguisher\": \"" rd "\", \"vpn-targets\": "          \
	"{\"vpn-target\": [" targets "]}}"
#define RT(rt, type) "{\"route-target\": \"" rt "\", \"route-target-type\": \"" type "\"}"

static void test_rtc_targets(void **state)
{
	(void)state;
	char buf[4096];
	struct config *a, *b;
	struct ecomm *rts, want;
	size_t n;
	struct config_errors errs;
	struct config_diff d;

	snprintf(
	    buf, sizeof(buf), HEAD "\"network-instances\": {\"network-instance\": [%s, %s]}}}",
	    "65000",
	    VRF("red", "65000:1", RT("target:65000:3", "both") "," RT("target:65000:2", "export")),
	    VRF("blue", "65000:2",
		RT("target:65000:1", "import") "," RT("target:65000:3", "import")));
	a = load(buf);
	/* RFC 4684 s3: the import targets, here 65000:1 and 65000:3 (once);
	 * the export-only 65000:2 is not ours to ask for */
	assert_int_equal(config_rtc_targets(a, &rts, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ecomm_parse("target:65000:1", &want), 0);
	assert_memory_equal(&rts[0], &want, 8);
	assert_int_equal(ecomm_parse("target:65000:3", &want), 0);
	assert_memory_equal(&rts[1], &want, 8);
	free(rts);

	/* one more import target by reload: membership changes */
	snprintf(
	    buf, sizeof(buf), HEAD "\"network-instances\": {\"network-instance\": [%s, %s]}}}",
	    "65000",
	    VRF("red", "65000:1", RT("target:65000:3", "both") "," RT("target:65000:2", "both")),
	    VRF("blue", "65000:2",
		RT("target:65000:1", "import") "," RT("target:65000:3", "import")));
	b = load(buf);
	config_errors_init(&errs);
	assert_int_equal(config_diff(a, b, &d, &errs), 0);
	assert_true(d.rtc_changed);
	assert_true(d.vrf_changed);
	assert_int_equal(d.n_nb, 0);
	config_diff_free(&d);
	/* and none when nothing changed */
	assert_int_equal(config_diff(b, b, &d, &errs), 0);
	assert_false(d.rtc_changed);
	assert_false(d.vrf_changed);
	config_diff_free(&d);
	config_free(a);
	config_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_neighbors),
	    cmocka_unit_test(test_fixed_settings),
	    cmocka_unit_test(test_label_range),
	    cmocka_unit_test(test_rtc_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
