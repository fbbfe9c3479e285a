/*
 * Unit tests for svc's static routes (RFC 8349 static-routes in a VRF,
 * svc_static.c) on PEs of the control-plane modules with the recording FIB
 * (svc_harness.h).  What is expected, and from where:
 *   - RFC 4364 s4.3.2: a route a PE exports from a VRF carries the VRF's
 *     RD and export RTs, a label the PE assigned and the PE itself as next
 *     hop; s4.3.1: a VRF importing one of those RTs installs it via that
 *     PE and label;
 *   - draft s4.1.4: the egress zone's aggregate carries the topology RT,
 *     its specifics only the zone RT (the export policy, per route);
 *   - draft s4.1.5: an aggregate label is looked up in the in-VRF, whose
 *     route sends traffic to the service node;
 *   - RFC 8349 s5 (ietf-routing static-routes): next-hop-address,
 *     outgoing-interface, special-next-hop blackhole.
 * Addresses: PE-2 198.18.0.4, PE-1 198.18.0.1; zone 2 RT 65000:2, the
 * topology RT 65000:102; VM 203.0.113.20 / 2001:db8:2::20 at PE-2.
 */
#include "svc_harness.h"

#include <json-c/json.h>

enum { ZONE1 = 1, ZONE2, IN_B, OUT_B };
enum { IF_VM2 = 21, IF_CE = 22, IF_SB = 41 };

/* The last export of p by pe: NULL when none; w set when a withdrawal. */
static const struct svc_export *last_exp(const struct h_pe *pe, const char *p)
{
	struct prefix q = h_pfx(p);

	for (size_t k = pe->n_out; k-- > 0;)
		if (prefix_cmp(&pe->out[k].prefix, &q) == 0)
			return &pe->out[k];
	return NULL;
}

static const char *rts_text(const struct svc_export *e)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < e->n_rts; i++) {
		char one[64];

		assert_non_null(ecomm_fmt(&e->rts[i], one, sizeof(one)));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "", one);
	}
	return buf;
}

static struct svc_static st_addr(vrf_id vrf, const char *p, const char *nh)
{
	struct svc_static s;

	memset(&s, 0, sizeof(s));
	s.vrf = vrf;
	s.prefix = h_pfx(p);
	s.kind = SVC_STATIC_ADDRESS;
	s.nexthop = h_ip(nh);
	return s;
}

static struct svc_static st_if(vrf_id vrf, const char *p, fib_if_id ifc)
{
	struct svc_static s;

	memset(&s, 0, sizeof(s));
	s.vrf = vrf;
	s.prefix = h_pfx(p);
	s.kind = SVC_STATIC_INTERFACE;
	s.ifc = ifc;
	snprintf(s.ifname, sizeof(s.ifname), "if%u", ifc);
	return s;
}

static struct svc_static st_drop(vrf_id vrf, const char *p)
{
	struct svc_static s;

	memset(&s, 0, sizeof(s));
	s.vrf = vrf;
	s.prefix = h_pfx(p);
	s.kind = SVC_STATIC_BLACKHOLE;
	return s;
}

static void set(struct h_pe *pe, struct svc_static s)
{
	assert_int_equal(svc_static_set(pe->svc, &s), 0);
}

/* PE-2's zone 2 (egress of the chain towards zone 2): the aggregate
 * 198.19.0.0/16 gets the topology RT by policy (s4.1.4), nothing else. */
static void zone2(struct h_pe *pe, enum vrf_label_mode mode)
{
	struct vrf_config c;

	memset(&c, 0, sizeof(c));
	c.id = ZONE2;
	snprintf(c.name, sizeof(c.name), "zone2");
	c.rd = h_rd("65000:41");
	c.import_rt[c.n_import++] = h_rt("65000:2");
	c.export_rt[c.n_export++] = h_rt("65000:2");
	c.policy[0].match_prefix = true;
	c.policy[0].prefix = h_pfx("198.19.0.0/16");
	c.policy[0].len_min = c.policy[0].len_max = 16;
	c.policy[0].rts[c.policy[0].n_rts++] = h_rt("65000:102");
	c.n_policy = 1;
	c.label_mode = mode;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
}

/* The three kinds, exported as RFC 4364 s4.3.2 says, installed at the
 * other PE as s4.3.1 says. */
static void test_static_export(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe1, *pe2;
	const struct svc_export *e;
	const struct fib_nh *nh;
	struct ipaddr self = h_ip("198.18.0.4");
	uint32_t vrf_label;

	(void)state;
	pe1 = h_pe_add(net, "PE-1", "198.18.0.1");
	pe2 = h_pe_add(net, "PE-2", "198.18.0.4");
	h_vrf(pe1, ZONE2, "zone2", "65000:11", "65000:2", NULL, NULL);
	zone2(pe2, VRF_LABEL_PER_VRF);
	h_attach(pe2, IF_VM2, ZONE2, "203.0.113.20", "2001:db8:2::20", NULL);
	set(pe2, st_drop(ZONE2, "198.19.0.0/16"));
	set(pe2, st_addr(ZONE2, "192.0.2.128/25", "203.0.113.20"));
	set(pe2, st_addr(ZONE2, "2001:db8:20::/48", "2001:db8:2::20"));
	set(pe2, st_if(ZONE2, "198.51.100.64/26", IF_VM2));
	h_commit(pe2);
	vrf_label = h_exp_label(pe2, ZONE2, "203.0.113.20/32");

	/* FIB at PE-2: drop, via the CE (the attachment's host), on-link */
	nh = h_route(pe2, ZONE2, "198.19.0.0/16");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	h_is_local(h_route(pe2, ZONE2, "192.0.2.128/25"), IF_VM2, "203.0.113.20");
	h_is_local(h_route(pe2, ZONE2, "2001:db8:20::/48"), IF_VM2, "2001:db8:2::20");
	nh = h_route(pe2, ZONE2, "198.51.100.64/26");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOCAL);
	assert_int_equal(nh->ifc, IF_VM2);
	assert_int_equal(nh->gw.afi, 0); /* on-link: ARP for the destination */

	/* exports: RD 65000:41, zone RT (+ topology RT for the aggregate
	 * only), the per-VRF label, next hop self */
	e = last_exp(pe2, "198.19.0.0/16");
	assert_non_null(e);
	assert_false(e->withdraw);
	{
		struct rd rd = h_rd("65000:41");

		assert_int_equal(rd_cmp(&e->rd, &rd), 0);
	}
	assert_string_equal(rts_text(e), "target:65000:2 target:65000:102");
	assert_int_equal(e->label, vrf_label);
	assert_int_equal(ipaddr_cmp(&e->nexthop, &self), 0);
	e = last_exp(pe2, "192.0.2.128/25");
	assert_non_null(e);
	assert_string_equal(rts_text(e), "target:65000:2");
	assert_int_equal(e->label, vrf_label);
	e = last_exp(pe2, "2001:db8:20::/48");
	assert_non_null(e);
	assert_string_equal(rts_text(e), "target:65000:2");
	assert_int_equal(e->label, vrf_label);
	assert_non_null(last_exp(pe2, "198.51.100.64/26"));

	/* PE-1 imports 65000:2: each via PE-2 with its label */
	h_sync(net);
	h_is_tunnel(h_route(pe1, ZONE2, "198.19.0.0/16"), "198.18.0.4", vrf_label);
	h_is_tunnel(h_route(pe1, ZONE2, "192.0.2.128/25"), "198.18.0.4", vrf_label);
	h_is_tunnel(h_route(pe1, ZONE2, "2001:db8:20::/48"), "198.18.0.4", vrf_label);
	/* the label pops into a lookup in zone 2 (RFC 4364 s4.3.2) */
	nh = h_label(pe2, vrf_label);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOOKUP);
	assert_int_equal(nh->vrf, ZONE2);

	/* removing one static withdraws it alone */
	{
		size_t before = pe2->exported;
		struct prefix p = h_pfx("192.0.2.128/25");

		assert_int_equal(svc_static_del(pe2->svc, ZONE2, &p), 0);
		h_commit(pe2);
		assert_int_equal(pe2->exported - before, 1);
		assert_true(last_exp(pe2, "192.0.2.128/25")->withdraw);
		assert_null(h_route(pe2, ZONE2, "192.0.2.128/25"));
		assert_int_equal(svc_static_del(pe2->svc, ZONE2, &p), -1);
		h_sync(net);
		assert_null(h_route(pe1, ZONE2, "192.0.2.128/25"));
		assert_non_null(h_route(pe1, ZONE2, "198.19.0.0/16"));
	}
	h_free(net);
}

/* A next-hop-address with no local route to it is pending, and comes up
 * when the CE's attachment does; an attachment going takes its statics
 * with it (withdrawn), and they return with it. */
static void test_static_pending(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe = h_pe_add(net, "PE-2", "198.18.0.4");
	struct json_object *o, *vrfs, *routes, *r, *x;
	size_t before;
	bool seen = false;

	(void)state;
	zone2(pe, VRF_LABEL_PER_VRF);
	set(pe, st_addr(ZONE2, "192.0.2.0/24", "203.0.113.30"));
	set(pe, st_if(ZONE2, "198.51.100.0/28", IF_CE));
	h_commit(pe);
	assert_null(h_route(pe, ZONE2, "192.0.2.0/24"));
	assert_null(h_route(pe, ZONE2, "198.51.100.0/28"));
	assert_null(last_exp(pe, "192.0.2.0/24"));
	/* show fib lists it, pending, with the reason */
	o = svc_show_fib(pe->svc, "zone2");
	assert_true(json_object_object_get_ex(o, "vrfs", &vrfs));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(vrfs, 0), "routes",
					      &routes));
	for (size_t i = 0; i < json_object_array_length(routes); i++) {
		r = json_object_array_get_idx(routes, i);
		assert_true(json_object_object_get_ex(r, "prefix", &x));
		if (strcmp(json_object_get_string(x), "192.0.2.0/24") != 0)
			continue;
		seen = true;
		assert_true(json_object_object_get_ex(r, "state", &x));
		assert_string_equal(json_object_get_string(x), "pending");
		assert_true(json_object_object_get_ex(r, "via", &x));
		assert_string_equal(json_object_get_string(x), "static");
		assert_true(json_object_object_get_ex(r, "reason", &x));
		assert_string_equal(json_object_get_string(x), svc_pend_text(SVC_PEND_STATIC_NH));
	}
	assert_true(seen);
	json_object_put(o);

	/* the CE comes up (its attachment, draft s2) */
	h_attach(pe, IF_CE, ZONE2, "203.0.113.30", NULL, NULL);
	h_commit(pe);
	h_is_local(h_route(pe, ZONE2, "192.0.2.0/24"), IF_CE, "203.0.113.30");
	assert_non_null(h_route(pe, ZONE2, "198.51.100.0/28"));
	assert_false(last_exp(pe, "192.0.2.0/24")->withdraw);
	assert_false(last_exp(pe, "198.51.100.0/28")->withdraw);

	/* it goes: host route and both statics withdrawn, FIB empty */
	before = pe->exported;
	assert_int_equal(svc_attach_del(pe->svc, IF_CE), 0);
	h_commit(pe);
	assert_int_equal(pe->exported - before, 3);
	assert_true(last_exp(pe, "192.0.2.0/24")->withdraw);
	assert_true(last_exp(pe, "198.51.100.0/28")->withdraw);
	assert_null(h_route(pe, ZONE2, "192.0.2.0/24"));
	assert_null(h_route(pe, ZONE2, "198.51.100.0/28"));
	h_free(net);
}

/* s4.1.5: the in-VRF of an aggregate-label node holds a static default
 * out of the node's interface: installed towards the node, never
 * exported (the node's own route is, s4.1.1); removing it leaves the
 * node's default in place. */
static void test_static_in_vrf(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe = h_pe_add(net, "S-PE-B", "198.18.0.3");
	struct prefix p4 = h_pfx("0.0.0.0/0");
	size_t before;

	(void)state;
	h_vrf(pe, IN_B, "in-b", "65000:31", NULL, "65000:100", NULL);
	h_vrf(pe, OUT_B, "out-b", "65000:32", "65000:100", NULL, NULL);
	h_node(pe, IF_SB, IN_B, OUT_B, "198.51.100.2", "2001:db8:100::2", true);
	h_commit(pe);
	before = pe->exported;
	set(pe, st_if(IN_B, "0.0.0.0/0", IF_SB));
	set(pe, st_if(IN_B, "::/0", IF_SB));
	set(pe, st_if(IN_B, "192.0.2.0/24", IF_SB));
	h_commit(pe);
	assert_int_equal(pe->exported, before); /* nothing sent */
	h_is_local(h_route(pe, IN_B, "0.0.0.0/0"), IF_SB, "198.51.100.2");
	h_is_local(h_route(pe, IN_B, "::/0"), IF_SB, "2001:db8:100::2");
	h_is_local(h_route(pe, IN_B, "192.0.2.0/24"), IF_SB, "198.51.100.2");
	/* not imported into the out-VRF although it imports in-b's RT */
	assert_null(h_route(pe, OUT_B, "0.0.0.0/0"));
	assert_null(h_route(pe, OUT_B, "192.0.2.0/24"));
	assert_non_null(h_route(pe, OUT_B, "198.51.100.2/32"));
	/* the static goes: the node's own default stays */
	assert_int_equal(svc_static_del(pe->svc, IN_B, &p4), 0);
	h_commit(pe);
	h_is_local(h_route(pe, IN_B, "0.0.0.0/0"), IF_SB, "198.51.100.2");
	/* the node goes: no default, no static out of its interface */
	assert_int_equal(svc_node_del(pe->svc, IF_SB), 0);
	h_commit(pe);
	assert_null(h_route(pe, IN_B, "0.0.0.0/0"));
	assert_null(h_route(pe, IN_B, "::/0"));
	assert_null(h_route(pe, IN_B, "192.0.2.0/24"));
	h_free(net);
}

/* Per-prefix labels (RFC 4364 s4.3.2 leaves the choice to the PE): each
 * static its own label, popping to its own action; a changed next hop
 * moves the route in place with a new label; a prefix an attachment
 * originates is the attachment's. */
static void test_static_labels(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe = h_pe_add(net, "PE-2", "198.18.0.4");
	const struct fib_nh *nh;
	uint32_t drop, via, via2;
	size_t before;

	(void)state;
	zone2(pe, VRF_LABEL_PER_PREFIX);
	h_attach(pe, IF_VM2, ZONE2, "203.0.113.20", NULL, NULL);
	h_attach(pe, IF_CE, ZONE2, "203.0.113.30", NULL, NULL);
	set(pe, st_drop(ZONE2, "198.19.0.0/16"));
	set(pe, st_addr(ZONE2, "192.0.2.0/24", "203.0.113.20"));
	h_commit(pe);
	drop = h_exp_label(pe, ZONE2, "198.19.0.0/16");
	via = h_exp_label(pe, ZONE2, "192.0.2.0/24");
	assert_int_not_equal(drop, via);
	nh = h_label(pe, drop);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	h_is_local(h_label(pe, via), IF_VM2, "203.0.113.20");
	/* the CE moves behind the other attachment: one re-advertisement */
	before = pe->exported;
	set(pe, st_addr(ZONE2, "192.0.2.0/24", "203.0.113.30"));
	h_commit(pe);
	assert_int_equal(pe->exported - before, 1);
	via2 = h_exp_label(pe, ZONE2, "192.0.2.0/24");
	assert_int_equal(last_exp(pe, "192.0.2.0/24")->label, via2);
	h_is_local(h_label(pe, via2), IF_CE, "203.0.113.30");
	assert_int_not_equal(via, via2); /* the new label before the old goes */
	assert_null(h_label(pe, via));
	h_is_local(h_route(pe, ZONE2, "192.0.2.0/24"), IF_CE, "203.0.113.30");
	/* a static for an attachment's host route: the attachment's */
	set(pe, st_drop(ZONE2, "203.0.113.20/32"));
	h_commit(pe);
	h_is_local(h_route(pe, ZONE2, "203.0.113.20/32"), IF_VM2, "203.0.113.20");
	h_free(net);
}

/* Malformed statics are refused (errors are values). */
static void test_static_bad(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe = h_pe_add(net, "PE-2", "198.18.0.4");
	struct svc_static s;

	(void)state;
	zone2(pe, VRF_LABEL_PER_VRF);
	s = st_addr(ZONE2, "192.0.2.0/24", "2001:db8::1"); /* wrong family */
	assert_int_equal(svc_static_set(pe->svc, &s), -1);
	s = st_if(ZONE2, "192.0.2.0/24", 0);
	assert_int_equal(svc_static_set(pe->svc, &s), -1);
	s = st_drop(0, "192.0.2.0/24");
	assert_int_equal(svc_static_set(pe->svc, &s), -1);
	/* an unknown interface: pending */
	set(pe, st_if(ZONE2, "192.0.2.0/24", 77));
	h_commit(pe);
	assert_null(h_route(pe, ZONE2, "192.0.2.0/24"));
	/* the VRF goes and comes back: so does the blackhole */
	set(pe, st_drop(ZONE2, "198.19.0.0/16"));
	assert_int_equal(svc_vrf_del(pe->svc, ZONE2), 0);
	h_commit(pe);
	assert_true(last_exp(pe, "198.19.0.0/16")->withdraw);
	zone2(pe, VRF_LABEL_PER_VRF);
	h_commit(pe);
	assert_false(last_exp(pe, "198.19.0.0/16")->withdraw);
	assert_non_null(h_route(pe, ZONE2, "198.19.0.0/16"));
	h_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_export), cmocka_unit_test(test_static_pending),
	    cmocka_unit_test(test_static_in_vrf), cmocka_unit_test(test_static_labels),
	    cmocka_unit_test(test_static_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
