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
#define VRF(n) "/vtopo:vtopo/network-instances/network-instance[name='" n "']"
#define SVC(n) "/vtopo:vtopo/service-nodes/service-node[name='" n "']"
#define TOPO(n) "/vtopo:vtopo/service-topologies/service-topology[name='" n "']"
#define MAX_EXPECT 10

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

static void test_svc_full_every_leaf(void **state)
{
	(void)state;
	golden_round_trip("good-svc-full.json", "good-svc-full.expected.json");
}

/* dump(load(file)) loads again to the same dump. */
static struct config *load_stable(const char *name)
{
	struct config *cfg = load_good(name), *again = NULL;
	char *dump = config_dump_json(cfg), *dump2;
	char tmp[] = "/tmp/vtopo-config-XXXXXX";
	int fd = mkstemp(tmp);
	struct config_errors errs;

	assert_non_null(dump);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, dump, strlen(dump)), (ssize_t)strlen(dump));
	close(fd);
	config_errors_init(&errs);
	assert_int_equal(config_load_dir(tmp, VTOPO_SRC_YANG_DIR, &again, &errs), 0);
	unlink(tmp);
	dump2 = config_dump_json(again);
	assert_string_equal(dump2, dump);
	free(dump2);
	free(dump);
	config_free(again);
	config_errors_clear(&errs);
	return cfg;
}

static const struct config_topology *topo_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_topologies; i++)
		if (!strcmp(cfg->topologies[i].name, name))
			return &cfg->topologies[i];
	fail_msg("no topology %s", name);
	return NULL;
}

static void assert_addr(const struct ipaddr *a, const char *text)
{
	struct ipaddr b;

	assert_int_equal(ipaddr_parse(text, &b), 0);
	assert_int_equal(ipaddr_cmp(a, &b), 0);
}

/* RFC 4360 s3.1/s4: type 0x00, sub-type 0x02, 2-octet AS, 4-octet number. */
static void assert_rt_as2(const struct ecomm *rt, uint16_t as, uint32_t n)
{
	const uint8_t want[8] = {
	    0x00, 0x02, as >> 8, as & 0xff, n >> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff};

	assert_memory_equal(rt->b, want, 8);
}

/* Figure 1 of the draft at the ingress zone PE (PE-1). */
static void test_fig1_pe1(void **state)
{
	struct config *cfg = load_stable("fig1-pe1.json");
	/* RFC 4364 s4.2 type 1: 198.18.0.1 : 1 */
	const uint8_t rd[8] = {0x00, 0x01, 198, 18, 0, 1, 0x00, 0x01};
	const struct config_vrf *z;
	const struct config_topology *t;

	(void)state;
	assert_int_equal(cfg->n_vrfs, 1);
	z = &cfg->vrfs[0];
	assert_string_equal(z->name, "zone1");
	assert_memory_equal(z->rd.b, rd, 8);
	assert_int_equal(z->label_mode, CONFIG_LABEL_PER_VRF); /* the model's default */
	/* zone RT both ways (draft s2), then the VPN and topology RTs imported */
	assert_int_equal(z->n_targets, 4);
	assert_rt_as2(&z->targets[0].rt, 65000, 1);
	assert_int_equal(z->targets[0].type, CONFIG_RT_BOTH);
	assert_rt_as2(&z->targets[2].rt, 65000, 101);
	assert_int_equal(z->targets[2].type, CONFIG_RT_IMPORT);
	/* egress side of z2-to-z1: zone 1 prefixes leave with its RT (s4.1.2) */
	assert_int_equal(z->n_export_policy, 2);
	assert_string_equal(z->export_policy[0].name, "z2-to-z1-v4");
	assert_int_equal(z->export_policy[0].len_min, 26);
	assert_int_equal(z->export_policy[0].len_max, 32);
	assert_int_equal(z->export_policy[0].n_add_rts, 1);
	assert_rt_as2(&z->export_policy[0].add_rts[0], 65000, 102);
	assert_false(z->export_policy[0].reject);
	assert_int_equal(z->n_attachments, 1);
	assert_string_equal(z->attachments[0].interface, "vm1-z1");
	assert_int_equal(z->attachments[0].n_addresses, 2);
	assert_int_equal(z->attachments[0].addresses[0].prefix_len, 26);
	/* the tuple of s4.1.2, sequence in the order written */
	assert_int_equal(cfg->n_topologies, 4);
	t = topo_find(cfg, "z1-to-z2");
	assert_rt_as2(&t->rt, 65000, 101);
	assert_int_equal(t->family, CONFIG_AFI_SAFI_IPV4_VPN);
	assert_int_equal(t->n_sequence, 2);
	assert_addr(&t->sequence[0], "198.51.100.1");
	assert_addr(&t->sequence[1], "198.51.100.2");
	assert_int_equal(t->n_ingress_vrfs, 1);
	assert_string_equal(t->ingress_vrfs[0], "zone1");
	assert_int_equal(t->hash_mode, CONFIG_HASH_5TUPLE);
	t = topo_find(cfg, "z2-to-z1-v6");
	assert_int_equal(t->family, CONFIG_AFI_SAFI_IPV6_VPN);
	assert_addr(&t->sequence[0], "2001:db8:100::2");
	assert_int_equal(t->n_ingress_vrfs, 0);
	assert_int_equal(config_vrf_find(cfg, "zone1"), 0);
	assert_int_equal(config_vrf_find(cfg, "zone2"), -1);
	config_free(cfg);
}

/* Figure 1 at the service-PEs: an in-VRF and an out-VRF per node. */
static void test_fig1_service_pes(void **state)
{
	struct config *a = load_stable("fig1-spe-a.json"), *b = load_stable("fig1-spe-b.json");
	const struct config_service_node *sa, *sb;
	const struct config_vrf *bin;

	(void)state;
	assert_int_equal(a->n_service_nodes, 2);
	sa = &a->service_nodes[0];
	assert_string_equal(sa->name, "serv-a");
	assert_addr(&sa->address, "198.51.100.1");
	assert_string_equal(sa->in_vrf, "serv-a-in");
	assert_string_equal(sa->out_vrf, "serv-a-out");
	assert_int_equal(sa->label_mode, CONFIG_SVC_LABEL_DIRECT);
	assert_string_equal(a->service_nodes[1].interface, "serv-a"); /* v6 on the same link */
	/* the in-VRF exports the routes to the node with the VPN RT (s4.1.1) */
	assert_int_equal(a->vrfs[0].n_targets, 1);
	assert_int_equal(a->vrfs[0].targets[0].type, CONFIG_RT_EXPORT);
	assert_rt_as2(&a->vrfs[0].targets[0].rt, 65000, 100);
	/* S-PE-B: aggregate label, then a lookup in the in-VRF (s4.1.5) */
	sb = &b->service_nodes[0];
	assert_int_equal(sb->label_mode, CONFIG_SVC_LABEL_AGGREGATE);
	bin = &b->vrfs[config_vrf_find(b, "serv-b-in")];
	assert_int_equal(bin->n_static_routes, 2);
	assert_int_equal(bin->static_routes[0].prefix.afi, AFI_IPV4);
	assert_int_equal(bin->static_routes[0].prefix.len, 0);
	assert_int_equal(bin->static_routes[0].kind, CONFIG_NH_INTERFACE);
	assert_string_equal(bin->static_routes[0].interface, "serv-b");
	assert_int_equal(b->n_topologies, 4);
	config_free(a);
	config_free(b);
}

static void test_fig1_pe2_rr(void **state)
{
	struct config *pe2 = load_stable("fig1-pe2.json"), *rr = load_stable("fig1-rr.json");
	const struct config_topology *t;

	(void)state;
	t = topo_find(pe2, "z2-to-z1");
	assert_addr(&t->sequence[0], "198.51.100.2"); /* reverse chain, s4.1.5 */
	assert_addr(&t->sequence[1], "198.51.100.1");
	assert_string_equal(t->ingress_vrfs[0], "zone2");
	assert_int_equal(topo_find(pe2, "z1-to-z2")->n_ingress_vrfs, 0);
	assert_rt_as2(&pe2->vrfs[0].export_policy[0].add_rts[0], 65000, 101);
	assert_int_equal(rr->n_vrfs, 0);
	assert_int_equal(rr->n_topologies, 0);
	assert_int_equal(rr->n_neighbors, 4);
	for (size_t i = 0; i < rr->n_neighbors; i++)
		assert_true(rr->neighbors[i].route_reflector_client);
	config_free(pe2);
	config_free(rr);
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
    /* service topologies: the model's own rules */
    {"bad-svc-model.json",
     {VRF("a") "/route-distinguisher", VRF("a") "/vpn-targets/vpn-target/route-target",
      VRF("a") "/label-mode", SVC("fw") "/label-mode", TOPO("t") "/address-family",
      TOPO("t") "/hash-mode", TOPO("t") "/service-node-sequence[.='198.51.100.1']",
      VRF("a") "/export-policy/statement[name='vm']/conditions/attachment"},
     "route distinguisher is"},
    {"bad-svc-must.json",
     {VRF("a") "/export-policy/statement[name='no-prefix']/conditions/masklength-range",
      VRF("a") "/export-policy/statement[name='reject-and-set']/actions",
      VRF("a") "/export-policy/statement[name='reject-and-tag']/actions"},
     "needs a prefix"},
    /* an unknown VRF, by leafref; the missing in-vrf left behind is not
     * reported again */
    {"bad-svc-unknown-vrf.json",
     {TOPO("t") "/ingress-vrf[.='zone9']", SVC("fw") "/in-vrf"},
     "zone9"},
    /* values the patterns let through */
    {"bad-svc-values.json",
     {VRF("a") "/route-distinguisher",
      VRF("a") "/vpn-targets/vpn-target[route-target='target:192.0.2.1:70000']/route-target",
      VRF("a") "/export-policy/statement[name='short']/conditions/masklength-range",
      VRF("a") "/export-policy/statement[name='long']/conditions/masklength-range",
      VRF("a") "/export-policy/statement[name='long']/actions/"
	       "add-route-target[.='target:4200000000:65536']",
      VRF("a") "/export-policy/statement[name='wrong-family']/conditions/address-family",
      VRF("a") "/attachments/attachment[name='vm1']/address[ip='192.0.2.1']/prefix-length",
      VRF("a") "/static-routes/route[destination-prefix='198.51.100.0/24']/next-hop/"
	       "next-hop-address",
      VRF("a") "/static-routes/route[destination-prefix='198.51.100.128/25']/next-hop",
      VRF("b") "/route-distinguisher"},
     "out of range"},
    /* checks across VRFs, nodes and topologies */
    {"bad-svc-duplicate-rd.json", {VRF("d") "/route-distinguisher"}, "also that of"},
    {"bad-svc-node.json",
     {VRF("zone2") "/attachments/attachment[name='vm1']/interface", SVC("fw-v6") "/interface",
      SVC("on-vm") "/interface", SVC("fw-twin") "/address", SVC("loop") "/out-vrf"},
     "already used"},
    {"bad-svc-iface.json",
     {VRF("zone1") "/static-routes/route[destination-prefix='0.0.0.0/0']/next-hop/"
		   "outgoing-interface"},
     "neither an attachment"},
    {"bad-svc-topology.json",
     {TOPO("empty") "/service-node-sequence",
      TOPO("mixed") "/service-node-sequence[.='2001:db8::1']",
      TOPO("mixed6") "/service-node-sequence[.='198.51.100.1']", TOPO("on-zone-rt") "/route-target",
      TOPO("same-rt") "/route-target", TOPO("no-import") "/ingress-vrf[.='zone2']"},
     "empty"},
    /* RFC 3032 s2.1: a label range upside down */
    {"bad-label-range.json", {"/vtopo:vtopo/underlay/label-range"}, "first must not be above"},
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
	/* bit flags: both = import | export */
	assert_string_equal(config_rt_type_name(CONFIG_RT_IMPORT | CONFIG_RT_EXPORT), "both");
	assert_string_equal(config_label_mode_name(CONFIG_LABEL_PER_NEXTHOP), "per-nexthop");
	assert_string_equal(config_svc_label_name(CONFIG_SVC_LABEL_AGGREGATE), "aggregate");
	assert_string_equal(config_hash_mode_name(CONFIG_HASH_SYMMETRIC), "symmetric");
	assert_null(config_hash_mode_name((enum config_hash_mode)2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal_defaults),
	    cmocka_unit_test(test_full_every_leaf),
	    cmocka_unit_test(test_full_inheritance),
	    cmocka_unit_test(test_svc_full_every_leaf),
	    cmocka_unit_test(test_fig1_pe1),
	    cmocka_unit_test(test_fig1_service_pes),
	    cmocka_unit_test(test_fig1_pe2_rr),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
