/*
 * Unit tests for the configuration loader (config/): golden files under
 * tests/config.  Good files are loaded, printed with config_dump_json() and
 * compared with *.expected.json, written by hand from the defaults and the
 * inheritance rule in yang/vtopo.yang.  Bad files must be rejected whole
 * with exactly the listed errors; the expected paths are the data paths of
 * the offending nodes in the model.
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

#include "config/config.h"

#define NBR(a) "/vtopo:vtopo/neighbors/neighbor[address='" a "']"
#define MAX_EXPECT 8

static int load(const char *name, struct config **cfg, struct config_errors *errs)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", VTOPO_TEST_CONFIG_DIR, name);
	return config_load_dir(path, VTOPO_SRC_YANG_DIR, cfg, errs);
}

static char *slurp(const char *name)
{
	char path[512];
	FILE *f;
	char *buf = calloc(1, 1 << 16);

	snprintf(path, sizeof(path), "%s/%s", VTOPO_TEST_CONFIG_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

static void print_errors(const struct config_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		print_message("  %s: %s\n", errs->v[i].path, errs->v[i].reason);
}

static struct config *load_good(const char *name)
{
	struct config_errors errs;
	struct config *cfg = NULL;
	int r;

	config_errors_init(&errs);
	r = load(name, &cfg, &errs);
	print_errors(&errs);
	assert_int_equal(r, 0);
	assert_int_equal(errs.n, 0);
	assert_non_null(cfg);
	config_errors_clear(&errs);
	return cfg;
}

/* load(file) printed == file.expected; then load(printed) printed == printed. */
static void golden_round_trip(const char *name, const char *expected)
{
	struct config *cfg = load_good(name), *again;
	char *dump = config_dump_json(cfg), *want = slurp(expected), *dump2;
	char tmp[] = "/tmp/vtopo-config-XXXXXX";
	int fd = mkstemp(tmp);
	struct config_errors errs;

	assert_non_null(dump);
	assert_string_equal(dump, want);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, dump, strlen(dump)), (ssize_t)strlen(dump));
	close(fd);
	config_errors_init(&errs);
	assert_int_equal(config_load_dir(tmp, VTOPO_SRC_YANG_DIR, &again, &errs), 0);
	unlink(tmp);
	dump2 = config_dump_json(again);
	assert_string_equal(dump2, dump);
	free(dump2);
	config_free(again);
	config_errors_clear(&errs);
	free(want);
	free(dump);
	config_free(cfg);
}

static void test_minimal_defaults(void **state)
{
	(void)state;
	golden_round_trip("good-minimal.json", "good-minimal.expected.json");
}

static void test_full_every_leaf(void **state)
{
	(void)state;
	golden_round_trip("good-full.json", "good-full.expected.json");
}

/* The struct itself, for the inheritance rule stated in the model. */
static void test_full_inheritance(void **state)
{
	struct config *cfg = load_good("good-full.json");
	const struct config_neighbor *pe1, *pe2, *v6;
	struct ipaddr a;

	(void)state;
	assert_int_equal(cfg->n_neighbors, 4);
	assert_int_equal(cfg->cluster_id, 0xc6336401); /* 198.51.100.1 */
	assert_int_equal(cfg->log_level, CONFIG_LOG_DEBUG);
	pe1 = &cfg->neighbors[0]; /* sorted: 192.0.2.10 < 192.0.2.11 < 198.51.100.2 < v6 */
	pe2 = &cfg->neighbors[1];
	v6 = &cfg->neighbors[3];
	assert_int_equal(ipaddr_parse("192.0.2.10", &a), 0);
	assert_int_equal(ipaddr_cmp(&pe1->address, &a), 0);
	assert_string_equal(pe1->peer_group, "rr-clients");
	/* set on the neighbor to the default value: still overrides the group */
	assert_false(pe1->passive);
	assert_true(pe2->passive);
	/* group's hold-time, neighbor's keepalive; group's, then hold/3 */
	assert_int_equal(pe1->hold_time, 30);
	assert_int_equal(pe1->keepalive_interval, 5);
	assert_int_equal(pe2->keepalive_interval, 10);
	assert_string_equal(pe2->auth_password, "pe2-secret");
	assert_string_equal(pe1->auth_password, "group-secret");
	/* families: union, merged leaf by leaf */
	assert_int_equal(pe1->n_families, 3);
	assert_int_equal(pe1->families[0].name, CONFIG_AFI_SAFI_IPV4_VPN);
	assert_true(pe1->families[0].add_paths_receive); /* group */
	assert_true(pe1->families[0].add_paths_send);	 /* neighbor */
	assert_int_equal(pe1->families[0].max_prefixes, 1000);
	assert_int_equal(pe1->families[1].name, CONFIG_AFI_SAFI_IPV6_VPN);
	assert_int_equal(pe1->families[2].name, CONFIG_AFI_SAFI_RTC);
	assert_int_equal(pe2->n_families, 2);
	/* hold-time 0: no keepalives (RFC 4271 s4.4) */
	assert_int_equal(v6->hold_time, 0);
	assert_int_equal(v6->keepalive_interval, 0);
	assert_int_equal(v6->local_address.afi, AFI_IPV6);
	assert_null(v6->auth_password);
	config_free(cfg);
}

struct bad_case {
	const char *file;
	const char *paths[MAX_EXPECT]; /* exactly these errors, in any order */
	const char *reason_has;	       /* a word the first error's reason contains */
};

static const struct bad_case bad_cases[] = {
    /* RFC 4271 s4.2: hold time 0 or at least 3 */
    {"bad-hold-time.json", {NBR("192.0.2.2") "/timers/hold-time"}, "range"},
    /* every type error of the file, not only the first */
    {"bad-types.json",
     {"/vtopo:vtopo/global/as", "/vtopo:vtopo/global/router-id", NBR("192.0.2.2") "/passive",
      NBR("192.0.2.2") "/port", NBR("192.0.2.2") "/auth-password"},
     "uint32"},
    /* an unknown node is reported at its parent, named in the reason */
    {"bad-unknown-leaf.json", {NBR("192.0.2.2") "/timers"}, "\"hold\""},
    /* no key: no predicate in the path */
    {"bad-missing-key.json",
     {"/vtopo:vtopo/neighbors/neighbor", NBR("192.0.2.3") "/afi-safis/afi-safi/name"},
     "address"},
    {"bad-leafref.json", {NBR("192.0.2.2") "/peer-group"}, "ibpg"},
    {"bad-must.json",
     {"/vtopo:vtopo/peer-groups/peer-group[name='fast']/timers/keepalive-interval",
      NBR("192.0.2.2") "/timers/keepalive-interval", NBR("192.0.2.3") "/timers/keepalive-interval",
      NBR("192.0.2.4") "/route-reflector-client", "/vtopo:vtopo/global/router-id"},
     "keepalive"},
    /* checks on the values after inheritance */
    {"bad-semantic.json",
     {"/vtopo:vtopo/global/listen[address='192.0.2.1']", NBR("192.0.2.2") "/remote-as",
      NBR("192.0.2.3") "/remote-as", NBR("2001:db8::2") "/local-address",
      NBR("192.0.2.4") "/timers/keepalive-interval", NBR("192.0.2.5") "/route-reflector-client"},
     "overlaps"},
    /* 2001:DB8:0::1 is 2001:db8::1 (RFC 5952 canonical form) */
    {"bad-duplicate.json", {"/vtopo:vtopo/global/listen[address='2001:db8::1']"}, "Duplicate"},
    {"bad-mandatory.json", {"/vtopo:vtopo/global/router-id"}, "Mandatory"},
    {"bad-empty.json", {"/vtopo:vtopo/global/as"}, "Mandatory"},
    {"bad-syntax.json", {""}, "line 5"},
    {"does-not-exist.json", {""}, "cannot open"},
};

static void check_bad(const struct bad_case *c)
{
	struct config_errors errs;
	struct config *cfg = (struct config *)1;
	size_t n = 0;

	while (n < MAX_EXPECT && c->paths[n])
		n++;
	config_errors_init(&errs);
	print_message("%s\n", c->file);
	assert_int_equal(load(c->file, &cfg, &errs), -1);
	print_errors(&errs);
	assert_null(cfg);
	assert_int_equal(errs.n, n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t j = 0; j < errs.n && !found; j++)
			found = !strcmp(errs.v[j].path, c->paths[i]);
		if (!found)
			fail_msg("%s: no error at %s", c->file, c->paths[i]);
	}
	assert_non_null(strstr(errs.v[0].reason, c->reason_has));
	config_errors_clear(&errs);
}

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		check_bad(&bad_cases[i]);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(config_afi_safi_name(CONFIG_AFI_SAFI_RTC), "rtc");
	assert_int_equal(config_afi_safi_from_name("ipv6-vpn-flowspec"),
			 CONFIG_AFI_SAFI_IPV6_VPN_FLOWSPEC);
	assert_int_equal(config_afi_safi_from_name("ipv4-multicast"), -1);
	assert_null(config_afi_safi_name(CONFIG_AFI_SAFI_COUNT));
	assert_int_equal(config_log_level_from_name("warning"), 4); /* RFC 5424 s6.2.1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal_defaults),
	    cmocka_unit_test(test_full_every_leaf),
	    cmocka_unit_test(test_full_inheritance),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
