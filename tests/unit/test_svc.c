/*
 * Unit tests for svc: service-topology next-hop resolution
 * (draft-rfernando-bess-service-chaining-01 s4.1.3) and its companions
 * (s4.1.1 service-node labels, s4.1.4 aggregation, s4.1.5 FlowSpec, s4.2
 * per-VM chains, s5.2 anycast scale-out, s5.3 active/standby), on PEs
 * built from the control-plane modules and the recording FIB backend.
 *
 * Figure 1 of the draft: hosts of Zone 1 (at PE-1) reach hosts of Zone 2
 * (at PE-2) through Serv-A (at S-PE-A) and then Serv-B (at S-PE-B).
 * Addresses used throughout (documentation ranges):
 *   PE-1 198.18.0.1, S-PE-A 198.18.0.2, S-PE-B 198.18.0.3, PE-2 198.18.0.4
 *   Serv-A 198.51.100.1 / 2001:db8:100::1, Serv-B 198.51.100.2 / 2001:db8:100::2
 *   Zone-1 VM 192.0.2.10 / 2001:db8:1::10 at PE-1, 192.0.2.20 at PE-2
 *   Zone-2 VM 203.0.113.20 / 2001:db8:2::20 at PE-2
 *   RTs: 65000:100 VPN (service-node routes), 65000:1 zone 1, 65000:2 zone 2,
 *        65000:1001 the service topology "T" zone 1 -> zone 2.
 * Every expected next hop below is derived from the draft's text, quoted
 * at the assertion; labels are the ones the exporting PE advertised.
 */
#include "svc_harness.h"

#include <json-c/json.h>

#include "lib/wbuf.h"
#include "wire/flowspec.h"

enum { ZONE1 = 1, ZONE2, IN_A, OUT_A, IN_B, OUT_B };
enum { IF_VM1 = 11, IF_VM2 = 21, IF_VM1B = 22, IF_SA = 31, IF_SB = 41 };

static const char *const T_HOPS[] = {"198.51.100.1,2001:db8:100::1",
				     "198.51.100.2,2001:db8:100::2"};

struct fig1 {
	struct h_net *net;
	struct h_pe *pe1, *spea, *speb, *pe2;
};

static void fig1_build(struct fig1 *f)
{
	f->net = calloc(1, sizeof(*f->net));
	assert_non_null(f->net);
	f->pe1 = h_pe_add(f->net, "PE-1", "198.18.0.1");
	f->spea = h_pe_add(f->net, "S-PE-A", "198.18.0.2");
	f->speb = h_pe_add(f->net, "S-PE-B", "198.18.0.3");
	f->pe2 = h_pe_add(f->net, "PE-2", "198.18.0.4");

	/* s4.1.2: the ingress zone and service VRFs import the
	 * service-topology RT; the egress zone VRF attaches it by policy. */
	h_vrf(f->pe1, ZONE1, "zone1", "65000:11", "65000:1 65000:100 65000:1001", "65000:1", NULL);
	h_vrf(f->spea, IN_A, "in-a", "65000:21", NULL, "65000:100", NULL);
	h_vrf(f->spea, OUT_A, "out-a", "65000:22", "65000:100 65000:1001", NULL, NULL);
	h_vrf(f->speb, IN_B, "in-b", "65000:31", NULL, "65000:100", NULL);
	h_vrf(f->speb, OUT_B, "out-b", "65000:32", "65000:100 65000:1001", NULL, NULL);
	h_vrf(f->pe2, ZONE2, "zone2", "65000:41", "65000:2", "65000:2", "65000:1001");
	h_vrf(f->pe2, ZONE1, "zone1", "65000:42", "65000:1", "65000:1", NULL);
	for (unsigned i = 0; i < 4; i++)
		h_topo(&f->net->pe[i], "T", "65000:1001", 100, T_HOPS, 2);

	h_node(f->spea, IF_SA, IN_A, OUT_A, "198.51.100.1", "2001:db8:100::1", false);
	h_node(f->speb, IF_SB, IN_B, OUT_B, "198.51.100.2", "2001:db8:100::2", false);
	h_attach(f->pe1, IF_VM1, ZONE1, "192.0.2.10", "2001:db8:1::10", NULL);
	h_attach(f->pe2, IF_VM2, ZONE2, "203.0.113.20", "2001:db8:2::20", NULL);
	h_attach(f->pe2, IF_VM1B, ZONE1, "192.0.2.20", NULL, NULL);
	h_sync(f->net);
}

static void fig1_check(const struct fig1 *f, const char *vm2, const char *sa, const char *sb)
{
	char sa_p[64], sb_p[64], vm2_p[64];
	uint32_t l_a, l_b, l_vm2;
	const struct fib_nh *nh;
	unsigned bits = strchr(vm2, ':') ? 128 : 32;

	snprintf(sa_p, sizeof(sa_p), "%s/%u", sa, bits);
	snprintf(sb_p, sizeof(sb_p), "%s/%u", sb, bits);
	snprintf(vm2_p, sizeof(vm2_p), "%s/%u", vm2, bits);
	l_a = h_exp_label(f->spea, IN_A, sa_p);
	l_b = h_exp_label(f->speb, IN_B, sb_p);
	l_vm2 = h_exp_label(f->pe2, ZONE2, vm2_p);

	/* s4.1.1: "a forwarding label that enables the service-PE to directly
	 * forward incoming traffic from the other PEs to the service node" */
	h_is_local(h_label(f->spea, l_a), IF_SA, sa);
	h_is_local(h_label(f->speb, l_b), IF_SB, sb);
	/* s4.1.1: service-node routes "are imported into and installed in
	 * each service out-VRF at a service-PE, as well as in the ingress
	 * zone VRF on an ingress zone PE" */
	h_is_tunnel(h_route(f->pe1, ZONE1, sa_p), "198.18.0.2", l_a);
	h_is_tunnel(h_route(f->spea, OUT_A, sb_p), "198.18.0.3", l_b);

	/* s3.1 / s4.1.3 steps 1-3 at PE-1 (ingress zone VRF): ignore PE-2's
	 * next hop and label, go to the first service node (Serv-A), resolved
	 * in the VRF to S-PE-A and Serv-A's label */
	h_is_tunnel(h_route(f->pe1, ZONE1, vm2_p), "198.18.0.2", l_a);
	/* ... at S-PE-A (out-VRF of Serv-A): the next node, Serv-B */
	h_is_tunnel(h_route(f->spea, OUT_A, vm2_p), "198.18.0.3", l_b);
	/* step 4 at S-PE-B, the last service-PE: "use the VPN next hop that
	 * was advertised with the zone prefix ... also the VPN label" */
	h_is_tunnel(h_route(f->speb, OUT_B, vm2_p), "198.18.0.4", l_vm2);
	/* PE-2: the VM is attached (s2), and the label PE-2 advertised pops
	 * and looks up in the zone VRF (per-VRF label mode) */
	h_is_local(h_route(f->pe2, ZONE2, vm2_p), IF_VM2, vm2);
	nh = h_label(f->pe2, l_vm2);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOOKUP);
	assert_int_equal(nh->vrf, ZONE2);
	/* s4.1.2: the service-topology RT is not in the in-VRFs' imports, so
	 * the zone prefix is not there */
	assert_null(h_route(f->spea, IN_A, vm2_p));
	assert_null(h_route(f->speb, IN_B, vm2_p));
}

static void test_fig1(void **state)
{
	struct fig1 f;
	struct prefix p = h_pfx("203.0.113.20/32");
	uint32_t l;

	(void)state;
	fig1_build(&f);
	fig1_check(&f, "203.0.113.20", "198.51.100.1", "198.51.100.2");
	fig1_check(&f, "2001:db8:2::20", "2001:db8:100::1", "2001:db8:100::2");

	/* s2: intra-zone routes stay direct: zone 1's VM at PE-2 is reached
	 * straight at PE-2 with PE-2's zone-1 label */
	l = h_exp_label(f.pe2, ZONE1, "192.0.2.20/32");
	h_is_tunnel(h_route(f.pe1, ZONE1, "192.0.2.20/32"), "198.18.0.4", l);
	h_is_local(h_route(f.pe1, ZONE1, "192.0.2.10/32"), IF_VM1, "192.0.2.10");
	/* the service topology is one-way (s4.1.5): zone 2 has no route back */
	assert_null(h_route(f.pe2, ZONE2, "192.0.2.10/32"));

	/* one shared nh per (VRF, topology, family) (s4.1.3 indirection) */
	{
		enum svc_pend pend = SVC_PEND_UNKNOWN_VRF;
		fib_nh_id c = svc_chain_nh(f.pe1->svc, ZONE1, "T", AFI_IPV4, &pend);

		assert_int_not_equal(c, 0);
		assert_int_equal(pend, SVC_PEND_NONE);
		assert_int_equal(svc_route_nh(f.pe1->svc, ZONE1, &p), c);
	}
	/* PE-1 accepts MPLS-in-UDP from the PEs it tunnels to (S-PE-A for the
	 * chain and the service route, PE-2 for the intra-zone host, S-PE-B
	 * for Serv-B's route) */
	{
		struct fib_peer k;

		memset(&k, 0, sizeof(k));
		k.addr = h_ip("198.18.0.2");
		assert_non_null(htab_get(&fib_record_state(f.pe1->rec)->peers, &k.addr));
		k.addr = h_ip("198.18.0.4");
		assert_non_null(htab_get(&fib_record_state(f.pe1->rec)->peers, &k.addr));
		assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->peers), 3);
	}
	/* show fib at PE-1: the zone-2 host via the service node, by T */
	{
		struct json_object *o = svc_show_fib(f.pe1->svc, "zone1"), *vrfs, *routes, *x;
		bool found = false;

		assert_true(json_object_object_get_ex(o, "vrfs", &vrfs));
		assert_int_equal(json_object_array_length(vrfs), 1);
		assert_true(json_object_object_get_ex(json_object_array_get_idx(vrfs, 0), "routes",
						      &routes));
		for (size_t i = 0; i < json_object_array_length(routes); i++) {
			struct json_object *r = json_object_array_get_idx(routes, i);

			assert_true(json_object_object_get_ex(r, "prefix", &x));
			if (strcmp(json_object_get_string(x), "203.0.113.20/32") != 0)
				continue;
			found = true;
			assert_true(json_object_object_get_ex(r, "via", &x));
			assert_string_equal(json_object_get_string(x), "service-node");
			assert_true(json_object_object_get_ex(r, "topology", &x));
			assert_string_equal(json_object_get_string(x), "T");
			assert_true(json_object_object_get_ex(r, "state", &x));
			assert_string_equal(json_object_get_string(x), "installed");
		}
		assert_true(found);
		json_object_put(o);
	}
	/* RT-Constraint interest: PE-1 imports T's RT */
	{
		struct ecomm rts[8], t = h_rt("65000:1001");
		size_t n = svc_import_rts(f.pe1->svc, rts, 8);
		bool has = false;

		assert_int_equal(n, 3);
		for (size_t i = 0; i < n; i++)
			has |= ecomm_cmp(&rts[i], &t) == 0;
		assert_true(has);
	}
	/* show service-topology at S-PE-A: the out-VRF's hop is resolved to
	 * node 1 (Serv-B) */
	{
		struct json_object *o = svc_show_topology(f.spea->svc, "T"), *t, *vrfs, *v, *x;

		assert_int_equal(json_object_array_length(o), 1);
		t = json_object_array_get_idx(o, 0);
		assert_true(json_object_object_get_ex(t, "vrfs", &vrfs));
		assert_true(json_object_array_length(vrfs) >= 1);
		v = json_object_array_get_idx(vrfs, 0);
		assert_true(json_object_object_get_ex(v, "vrf", &x));
		assert_string_equal(json_object_get_string(x), "out-a");
		assert_true(json_object_object_get_ex(v, "next_node", &x));
		assert_int_equal(json_object_get_int(x), 1);
		assert_true(json_object_object_get_ex(v, "state", &x));
		assert_string_equal(json_object_get_string(x), "resolved");
		json_object_put(o);
	}
	h_free(f.net);
}

/* --- single-PE scenarios: S-PE-A's out-VRF and PE-1's zone VRF --- */

static void feed(struct h_pe *pe, const char *rd, const char *prefix, uint32_t label,
		 const char *nh, const char *rts, uint32_t lp, uint32_t med)
{
	struct svc_vpn_route r;
	struct ecomm e[16];
	uint8_t n;

	h_rts(rts, e, &n);
	memset(&r, 0, sizeof(r));
	r.rd = h_rd(rd);
	r.prefix = h_pfx(prefix);
	r.label = label;
	r.nexthop = h_ip(nh);
	r.rts = e;
	r.n_rts = n;
	r.local_pref = lp;
	r.med = med;
	assert_int_equal(svc_vpn_route_update(pe->svc, &r), 0);
}

static void unfeed(struct h_pe *pe, const char *rd, const char *prefix)
{
	struct rd d = h_rd(rd);
	struct prefix p = h_pfx(prefix);

	assert_int_equal(svc_vpn_route_withdraw(pe->svc, &d, &p, 0), 0);
}

/* Zone-2 prefixes 198.19.x.y/32 (or 2001:db8:2:x::y/128) from PE-2 with
 * the zone RT and T's RT, label 7000+i. */
static void feed_zone(struct h_pe *pe, unsigned n, bool v6, const char *topo_rts)
{
	char p[64];

	for (unsigned i = 0; i < n; i++) {
		if (v6)
			snprintf(p, sizeof(p), "2001:db8:2:%x::%x/128", i >> 8, i & 0xff);
		else
			snprintf(p, sizeof(p), "198.19.%u.%u/32", i >> 8, i & 0xff);
		feed(pe, "65000:41", p, 7000 + i, "198.18.0.4", topo_rts, 100, 0);
	}
}

/* S-PE-A alone: out-a imports the VPN RT and T; Serv-A attached. */
static struct h_net *spea_only(struct h_pe **pe)
{
	struct h_net *net = calloc(1, sizeof(*net));

	assert_non_null(net);
	*pe = h_pe_add(net, "S-PE-A", "198.18.0.2");
	h_vrf(*pe, IN_A, "in-a", "65000:21", NULL, "65000:100", NULL);
	h_vrf(*pe, OUT_A, "out-a", "65000:22", "65000:100 65000:1001", NULL, NULL);
	h_node(*pe, IF_SA, IN_A, OUT_A, "198.51.100.1", "2001:db8:100::1", false);
	h_topo(*pe, "T", "65000:1001", 100, T_HOPS, 2);
	/* Serv-B's routes from S-PE-B */
	feed(*pe, "65000:31", "198.51.100.2/32", 3001, "198.18.0.3", "65000:100", 100, 0);
	feed(*pe, "65000:31", "2001:db8:100::2/128", 3002, "198.18.0.3", "65000:100", 100, 0);
	h_commit(*pe);
	(*pe)->n_out = 0;
	(*pe)->exported = 0;
	return net;
}

static uint64_t ops_of(struct h_pe *pe)
{
	return fib_record_ops_total(pe->rec);
}

/* The FIB ops that moving Serv-B to another PE and label costs, with n
 * zone prefixes behind the chain. */
static uint64_t repoint_ops(unsigned n, bool v6)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *sb = v6 ? "2001:db8:100::2/128" : "198.51.100.2/32";
	const char *first = v6 ? "2001:db8:2::/128" : "198.19.0.0/32";
	char last[64];
	uint64_t before, ops;
	size_t exported;

	feed_zone(pe, n, v6, "65000:2 65000:1001");
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, first), "198.18.0.3", v6 ? 3002 : 3001);
	if (v6)
		snprintf(last, sizeof(last), "2001:db8:2:%x::%x/128", (n - 1) >> 8, (n - 1) & 0xff);
	else
		snprintf(last, sizeof(last), "198.19.%u.%u/32", (n - 1) >> 8, (n - 1) & 0xff);
	{
		struct prefix a = h_pfx(first), b = h_pfx(last);

		assert_int_equal(fib_record_watch(pe->rec, OUT_A, &a), 0);
		assert_int_equal(fib_record_watch(pe->rec, OUT_A, &b), 0);
	}
	before = ops_of(pe);
	exported = pe->exported;
	/* Serv-B's route moves to 198.18.0.5 with label 5005 (the same RD:
	 * an implicit withdraw of the old path) */
	feed(pe, "65000:31", sb, 5005, "198.18.0.5", "65000:100", 100, 0);
	h_commit(pe);
	ops = ops_of(pe) - before;
	h_is_tunnel(h_route(pe, OUT_A, first), "198.18.0.5", 5005);
	h_is_tunnel(h_route(pe, OUT_A, last), "198.18.0.5", 5005);
	/* s4.1.3: "no re-advertisement of zone prefixes" */
	assert_int_equal(pe->exported, exported);
	assert_int_equal(fib_record_gaps(pe->rec), 0);
	h_free(net);
	return ops;
}

static void test_repoint_independent_of_n(void **state)
{
	(void)state;
	for (int v6 = 0; v6 < 2; v6++) {
		uint64_t small = repoint_ops(8, v6), big = repoint_ops(1000, v6);

		/* new tunnel nh, the service route, the chain nh, old nh gone */
		assert_int_equal(small, big);
		assert_true(small >= 2 && small <= 6);
	}
}

/* s4.1.5 "a new service node could be inserted into the service chain
 * seamlessly by just configuring the service policy", and removal,
 * replacement and deletion: make-before-break, no zone re-advertisement. */
static void test_chain_change(void **state)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *const acb[] = {T_HOPS[0], "198.51.100.3,2001:db8:100::3", T_HOPS[1]};
	const char *const ad[] = {T_HOPS[0], "198.51.100.4,-"};
	struct prefix w[2] = {h_pfx("198.19.0.0/32"), h_pfx("198.19.0.99/32")};
	uint64_t ops_small, ops_big, before;

	(void)state;
	feed(pe, "65000:61", "198.51.100.3/32", 6001, "198.18.0.6", "65000:100", 100, 0);
	feed(pe, "65000:61", "2001:db8:100::3/128", 6002, "198.18.0.6", "65000:100", 100, 0);
	feed_zone(pe, 10, true, "65000:2 65000:1001");
	feed(pe, "65000:71", "198.51.100.4/32", 7777, "198.18.0.7", "65000:100", 100, 0);
	feed_zone(pe, 100, false, "65000:2 65000:1001");
	h_commit(pe);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(fib_record_watch(pe->rec, OUT_A, &w[i]), 0);

	/* insert Serv-C after Serv-A: out-a now goes to Serv-C (S-PE-C) */
	before = ops_of(pe);
	h_topo(pe, "T", "65000:1001", 100, acb, 3);
	h_commit(pe);
	ops_small = ops_of(pe) - before;
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.0/32"), "198.18.0.6", 6001);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.99/32"), "198.18.0.6", 6001);
	h_is_tunnel(h_route(pe, OUT_A, "2001:db8:2::9/128"), "198.18.0.6", 6002);

	/* replace Serv-C with Serv-D: same number of ops with more prefixes */
	feed_zone(pe, 1000, false, "65000:2 65000:1001");
	h_commit(pe);
	h_topo(pe, "T", "65000:1001", 100, T_HOPS, 2); /* back to A, B */
	h_commit(pe);
	before = ops_of(pe);
	h_topo(pe, "T", "65000:1001", 100, acb, 3);
	h_commit(pe);
	ops_big = ops_of(pe) - before;
	assert_true(ops_small >= 1);
	assert_int_equal(ops_small, ops_big);
	h_topo(pe, "T", "65000:1001", 100, ad, 2);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.99/32"), "198.18.0.7", 7777);

	/* remove every node after Serv-A: S-PE-A becomes the last hop (s4.1.3
	 * step 4): the prefixes' own next hop and label */
	{
		const char *const a[] = {T_HOPS[0]};

		h_topo(pe, "T", "65000:1001", 100, a, 1);
		h_commit(pe);
		h_is_tunnel(h_route(pe, OUT_A, "198.19.0.99/32"), "198.18.0.4", 7000 + 99);
	}
	/* insert Serv-B again, then delete the chain: plain VPN forwarding */
	h_topo(pe, "T", "65000:1001", 100, T_HOPS, 2);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.99/32"), "198.18.0.3", 3001);
	assert_int_equal(svc_topology_del(pe->svc, "T"), 0);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.99/32"), "198.18.0.4", 7000 + 99);

	assert_int_equal(fib_record_gaps(pe->rec), 0);
	assert_int_equal(pe->exported, 0); /* nothing re-advertised */
	h_free(net);
}

/* s5.2: an anycast service IP advertised by several service-PEs with
 * distinct RDs: equal-best paths form an ECMP set (2, then 3, then 2). */
static void anycast(bool v6)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *sb = v6 ? "2001:db8:100::2/128" : "198.51.100.2/32";
	const char *z7 = v6 ? "2001:db8:2::7/128" : "198.19.0.7/32";
	const char *z49 = v6 ? "2001:db8:2::31/128" : "198.19.0.49/32";
	const struct fib_nh *nh;
	uint64_t before, ops3;

	feed_zone(pe, 50, v6, "65000:2 65000:1001");
	feed(pe, "65000:81", sb, 8001, "198.18.0.8", "65000:100", 100, 0);
	h_commit(pe);
	nh = h_route(pe, OUT_A, z7);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_ECMP);
	assert_int_equal(nh->n_members, 2);
	{
		const struct fib_store *s = fib_record_state(pe->rec);
		const struct fib_nh *a = fib_store_nh(s, nh->members[0]),
				    *b = fib_store_nh(s, nh->members[1]);
		struct ipaddr x = h_ip("198.18.0.3"), y = h_ip("198.18.0.8");

		assert_non_null(a);
		assert_non_null(b);
		/* one member per service-PE with its own label */
		assert_true((ipaddr_cmp(&a->pe, &x) == 0 && ipaddr_cmp(&b->pe, &y) == 0) ||
			    (ipaddr_cmp(&a->pe, &y) == 0 && ipaddr_cmp(&b->pe, &x) == 0));
	}
	before = ops_of(pe);
	feed(pe, "65000:91", sb, 9001, "198.18.0.9", "65000:100", 100, 0);
	h_commit(pe);
	ops3 = ops_of(pe) - before;
	assert_true(ops3 <= 6); /* not per prefix */
	assert_int_equal(h_route(pe, OUT_A, z49)->n_members, 3);
	unfeed(pe, "65000:81", sb);
	h_commit(pe);
	nh = h_route(pe, OUT_A, z49);
	assert_int_equal(nh->type, FIB_NH_ECMP);
	assert_int_equal(nh->n_members, 2);
	/* down to one service-PE: a plain tunnel again */
	unfeed(pe, "65000:91", sb);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, z49), "198.18.0.3", v6 ? 3002 : 3001);
	assert_int_equal(fib_record_gaps(pe->rec), 0);
	h_free(net);
}

static void test_anycast_ecmp(void **state)
{
	(void)state;
	anycast(false);
	anycast(true);
}

/* The members of S-PE-A's anycast set for Serv-B, as PE addresses in the
 * FIB's order, after the paths arrived in `order` (.8 and .9 besides .3). */
static void anycast_order(const char *const *order, enum fib_hash hash, char *out, size_t len)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	struct svc_topology t;
	const struct fib_nh *nh;
	const struct fib_store *s;
	size_t o = 0;

	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "T");
	t.rt = h_rt("65000:1001");
	t.priority = 100;
	t.hash = hash;
	t.n_hops = 2;
	t.hops[0].ip4 = h_ip("198.51.100.1");
	t.hops[1].ip4 = h_ip("198.51.100.2");
	assert_int_equal(svc_topology_set(pe->svc, &t), 0);
	feed_zone(pe, 4, false, "65000:2 65000:1001");
	for (unsigned i = 0; i < 2; i++)
		feed(pe, !strcmp(order[i], "198.18.0.8") ? "65000:81" : "65000:91",
		     "198.51.100.2/32", !strcmp(order[i], "198.18.0.8") ? 8001 : 9001, order[i],
		     "65000:100", 100, 0);
	h_commit(pe);
	nh = h_route(pe, OUT_A, "198.19.0.1/32");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_ECMP);
	/* the topology's hash mode reaches the FIB */
	assert_int_equal(nh->hash, hash);
	s = fib_record_state(pe->rec);
	out[0] = '\0';
	for (unsigned i = 0; i < nh->n_members; i++) {
		const struct fib_nh *m = fib_store_nh(s, nh->members[i]);
		char a[IPADDR_STRLEN];

		assert_non_null(m);
		ipaddr_fmt(&m->pe, a, sizeof(a));
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " " : "", a);
	}
	assert_int_equal(fib_record_gaps(pe->rec), 0);
	h_free(net);
}

/* draft-ietf-bess-service-chaining s3.4.2: with a symmetric hash, the PE
 * that picks the instance forward (ingress) and the one that picks it in
 * the reverse topology must hold the anycast set in the same order, or the
 * same hash lands on different instances.  The order is the paths'
 * content (PE address, label), whatever order they arrived in; and the
 * topology's hash-mode is the set's hash. */
static void test_anycast_order(void **state)
{
	const char *const a[] = {"198.18.0.9", "198.18.0.8"}, *const b[] = {"198.18.0.8",
									   "198.18.0.9"};
	char x[128], y[128];

	(void)state;
	anycast_order(a, FIB_HASH_SYMMETRIC, x, sizeof(x));
	anycast_order(b, FIB_HASH_SYMMETRIC, y, sizeof(y));
	assert_string_equal(x, "198.18.0.3 198.18.0.8 198.18.0.9");
	assert_string_equal(y, x);
	anycast_order(a, FIB_HASH_5TUPLE, x, sizeof(x));
	assert_string_equal(x, "198.18.0.3 198.18.0.8 198.18.0.9");
}

/* s5.3: active/standby by LOCAL_PREF, then by MED; withdrawal of the
 * active path fails over to the standby. */
static void test_active_standby(void **state)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);

	(void)state;
	feed_zone(pe, 20, false, "65000:2 65000:1001");
	/* Serv-B' at 198.18.0.8 preferred by LOCAL_PREF 200 */
	feed(pe, "65000:81", "198.51.100.2/32", 8001, "198.18.0.8", "65000:100", 200, 0);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.3/32"), "198.18.0.8", 8001);
	unfeed(pe, "65000:81", "198.51.100.2/32");
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.3/32"), "198.18.0.3", 3001);
	/* equal LOCAL_PREF: the lower MED wins */
	feed(pe, "65000:31", "198.51.100.2/32", 3001, "198.18.0.3", "65000:100", 100, 50);
	feed(pe, "65000:81", "198.51.100.2/32", 8001, "198.18.0.8", "65000:100", 100, 10);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.3/32"), "198.18.0.8", 8001);
	unfeed(pe, "65000:81", "198.51.100.2/32");
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.3/32"), "198.18.0.3", 3001);
	/* RFC 4659 s3.2.1.1: an ipv6-vpn route from an IPv4 PE has the
	 * IPv4-mapped next hop ::ffff:198.18.0.8; the tunnel goes to the IPv4
	 * address */
	feed(pe, "65000:81", "2001:db8:100::2/128", 8002, "::ffff:198.18.0.8", "65000:100", 200, 0);
	feed_zone(pe, 3, true, "65000:2 65000:1001");
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "2001:db8:2::1/128"), "198.18.0.8", 8002);
	h_free(net);
}

/* s4.1.4: a default route carries the service-topology RT (TD) and steers
 * the intermediate hops; the zone prefixes carry a separate RT (TS)
 * imported only by the ingress zone VRF and the last service-PE. */
static void test_default_route_chaining(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe1, *spea, *speb;
	uint64_t before;

	(void)state;
	pe1 = h_pe_add(net, "PE-1", "198.18.0.1");
	spea = h_pe_add(net, "S-PE-A", "198.18.0.2");
	speb = h_pe_add(net, "S-PE-B", "198.18.0.3");
	h_vrf(pe1, ZONE1, "zone1", "65000:11", "65000:100 65000:1002 65000:1003", NULL, NULL);
	h_vrf(spea, IN_A, "in-a", "65000:21", NULL, NULL, NULL);
	h_vrf(spea, OUT_A, "out-a", "65000:22", "65000:100 65000:1002", NULL, NULL);
	h_vrf(speb, IN_B, "in-b", "65000:31", NULL, NULL, NULL);
	h_vrf(speb, OUT_B, "out-b", "65000:32", "65000:100 65000:1002 65000:1003", NULL, NULL);
	h_node(spea, IF_SA, IN_A, OUT_A, "198.51.100.1", NULL, false);
	h_node(speb, IF_SB, IN_B, OUT_B, "198.51.100.2", NULL, false);
	for (unsigned i = 0; i < 3; i++) {
		struct h_pe *pe = &net->pe[i];

		h_topo(pe, "TD", "65000:1002", 100, T_HOPS, 2);
		h_topo(pe, "TS", "65000:1003", 100, T_HOPS, 2);
		feed(pe, "65000:21", "198.51.100.1/32", 2001, "198.18.0.2", "65000:100", 100, 0);
		feed(pe, "65000:31", "198.51.100.2/32", 3001, "198.18.0.3", "65000:100", 100, 0);
		/* the hub (PE-2) advertises the default with TD, the zone
		 * prefixes with TS */
		feed(pe, "65000:41", "0.0.0.0/0", 4000, "198.18.0.4", "65000:1002", 100, 0);
		feed_zone(pe, 30, false, "65000:1003");
		h_commit(pe);
	}
	/* ingress: the specifics go to Serv-A (first node), so does the default */
	h_is_tunnel(h_route(pe1, ZONE1, "198.19.0.5/32"), "198.18.0.2", 2001);
	h_is_tunnel(h_route(pe1, ZONE1, "0.0.0.0/0"), "198.18.0.2", 2001);
	/* intermediate: only the default, steered to Serv-B; the number of
	 * routes does not grow with the zone prefixes */
	assert_null(h_route(spea, OUT_A, "198.19.0.5/32"));
	h_is_tunnel(h_route(spea, OUT_A, "0.0.0.0/0"), "198.18.0.3", 3001);
	before = htab_count(&fib_record_state(spea->rec)->routes);
	feed_zone(spea, 200, false, "65000:1003");
	h_commit(spea);
	assert_int_equal(htab_count(&fib_record_state(spea->rec)->routes), before);
	/* last service-PE: the specifics with their own next hop and label */
	h_is_tunnel(h_route(speb, OUT_B, "198.19.0.5/32"), "198.18.0.4", 7005);
	h_is_tunnel(h_route(speb, OUT_B, "0.0.0.0/0"), "198.18.0.4", 4000);
	h_free(net);
}

/* s4.1.5: a VPN FlowSpec route with a distinct service-topology RT (TF),
 * imported only by the ingress zone VRF, is installed there with the
 * chain's next hop; one with T's RT is also installed at the intermediate
 * hop, and not at the last. */
static void test_flowspec_steering(void **state)
{
	struct fig1 f;
	/* RFC 8955 s4.2.2: type 1 destination prefix 203.0.113.20/32, type 3
	 * IP protocol == 6 (TCP), type 5 destination port == 443 */
	const uint8_t nlri[] = {0x01, 0x20, 203,  0,	113,  20,  0x03,
				0x81, 0x06, 0x05, 0x91, 0x01, 0xbb};
	struct ecomm tf[1] = {h_rt("65000:1004")}, t[1] = {h_rt("65000:1001")};
	struct svc_vpn_flow fl = {.afi = AFI_IPV4, .nlri = nlri, .nlri_len = sizeof(nlri)};
	enum svc_pend pend;

	(void)state;
	fig1_build(&f);
	/* TF: same sequence as T, imported only by PE-1's zone VRF */
	h_vrf(f.pe1, ZONE1, "zone1", "65000:11", "65000:1 65000:100 65000:1001 65000:1004",
	      "65000:1", NULL);
	for (unsigned i = 0; i < 4; i++)
		h_topo(&f.net->pe[i], "TF", "65000:1004", 100, T_HOPS, 2);
	fl.rd = h_rd("65000:41");
	fl.rts = tf;
	fl.n_rts = 1;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(svc_vpn_flow_update(f.net->pe[i].svc, &fl), 0);
	h_sync(f.net);
	{
		fib_nh_id id =
		    svc_flow_nh(f.pe1->svc, ZONE1, AFI_IPV4, &fl.rd, nlri, sizeof(nlri), 0);
		const struct fib_flow *ff = fib_store_flow(fib_record_state(f.pe1->rec), ZONE1, 1);

		assert_int_not_equal(id, 0);
		assert_int_equal(id, svc_chain_nh(f.pe1->svc, ZONE1, "TF", AFI_IPV4, &pend));
		assert_non_null(ff);
		assert_int_equal(ff->nh, id);
		assert_memory_equal(ff->nlri, nlri, sizeof(nlri));
		h_is_tunnel(fib_store_nh(fib_record_state(f.pe1->rec), id), "198.18.0.2",
			    h_exp_label(f.spea, IN_A, "198.51.100.1/32"));
	}
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->flows), 0);
	assert_int_equal(htab_count(&fib_record_state(f.speb->rec)->flows), 0);

	/* with T's RT: ingress and S-PE-A (towards Serv-B), not S-PE-B */
	fl.rts = t;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(svc_vpn_flow_update(f.net->pe[i].svc, &fl), 0);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->flows), 1);
	{
		fib_nh_id id =
		    svc_flow_nh(f.spea->svc, OUT_A, AFI_IPV4, &fl.rd, nlri, sizeof(nlri), 0);

		h_is_tunnel(fib_store_nh(fib_record_state(f.spea->rec), id), "198.18.0.3",
			    h_exp_label(f.speb, IN_B, "198.51.100.2/32"));
	}
	assert_int_equal(htab_count(&fib_record_state(f.speb->rec)->flows), 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(svc_vpn_flow_withdraw(f.net->pe[i].svc, AFI_IPV4, &fl.rd, nlri,
						       sizeof(nlri), 0),
				 0);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->flows), 0);
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->flows), 0);
	h_free(f.net);
}

/* RFC 8955 s5.1: flows are installed in precedence order.  By the text:
 * "destination 203.0.113.20/32" before "destination 203.0.113.0/24"
 * (equal over the common length: the longest prefix first); ".../24 +
 * protocol =6" before ".../24" alone (a rule with a component the other
 * lacks comes first); "protocol =6" alone last (lower component type
 * first).  The NLRI bytes come from the FlowSpec encoder. */
static void test_flow_order(void **state)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *text[4] = {"destination 203.0.113.0/24", "destination 203.0.113.20/32",
			       "protocol =6", "destination 203.0.113.0/24 protocol =6"};
	const uint32_t want[4] = {3, 1, 4, 2}; /* priorities of text[0..3] */
	uint8_t buf[4][64];
	size_t len[4];
	struct ecomm t[1] = {h_rt("65000:1001")};

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		struct wbuf w;
		char err[64];
		struct svc_vpn_flow fl = {.afi = AFI_IPV4, .rts = t, .n_rts = 1};

		wbuf_init(&w, buf[i], sizeof(buf[i]));
		assert_int_equal(flowspec_parse(text[i], AFI_IPV4, &w, err, sizeof(err)), 0);
		len[i] = wbuf_len(&w);
		fl.rd = h_rd("65000:41");
		fl.nlri = buf[i];
		fl.nlri_len = (uint8_t)len[i];
		assert_int_equal(svc_vpn_flow_update(pe->svc, &fl), 0);
	}
	h_commit(pe);
	for (unsigned i = 0; i < 4; i++) {
		/* flow ids are given in arrival order, 1..4 */
		const struct fib_flow *ff = fib_store_flow(fib_record_state(pe->rec), OUT_A, i + 1);

		assert_non_null(ff);
		assert_int_equal(ff->nlri_len, len[i]);
		assert_memory_equal(ff->nlri, buf[i], len[i]);
		assert_int_equal(ff->priority, want[i]);
	}
	/* malformed components are refused (RFC 8955 s4.2: types in order) */
	{
		const uint8_t bad[] = {0x03, 0x81, 0x06, 0x01, 0x18, 203, 0, 113};
		struct svc_vpn_flow fl = {
		    .afi = AFI_IPV4, .rts = t, .n_rts = 1, .nlri = bad, .nlri_len = sizeof(bad)};

		assert_int_equal(svc_vpn_flow_update(pe->svc, &fl), -1);
	}
	h_free(net);
}

/* s4.1.5 "Multiple service topologies": the reverse direction is its own
 * topology, here R = (Serv-B, Serv-A) from zone 2 to zone 1 with RT
 * 65000:1006, next to T in the same VPN.  Zone 2's VRF at PE-2 is R's
 * ingress (first node Serv-B); S-PE-B's out-VRF leads to Serv-A; S-PE-A's
 * out-VRF is R's last hop (PE-1's next hop and label). */
static void test_reverse_topology(void **state)
{
	struct fig1 f;
	const char *const r_hops[] = {T_HOPS[1], T_HOPS[0]};
	uint32_t l_a, l_b, l_vm1;

	(void)state;
	fig1_build(&f);
	for (unsigned i = 0; i < 4; i++)
		h_topo(&f.net->pe[i], "R", "65000:1006", 100, r_hops, 2);
	h_vrf(f.pe1, ZONE1, "zone1", "65000:11", "65000:1 65000:100 65000:1001", "65000:1",
	      "65000:1006");
	h_vrf(f.pe2, ZONE2, "zone2", "65000:41", "65000:2 65000:100 65000:1006", "65000:2",
	      "65000:1001");
	h_vrf(f.spea, OUT_A, "out-a", "65000:22", "65000:100 65000:1001 65000:1006", NULL, NULL);
	h_vrf(f.speb, OUT_B, "out-b", "65000:32", "65000:100 65000:1001 65000:1006", NULL, NULL);
	/* PE-1's export policy changed: its VM is advertised again, with R's
	 * RT */
	h_sync(f.net);
	l_a = h_exp_label(f.spea, IN_A, "198.51.100.1/32");
	l_b = h_exp_label(f.speb, IN_B, "198.51.100.2/32");
	l_vm1 = h_exp_label(f.pe1, ZONE1, "192.0.2.10/32");
	h_is_tunnel(h_route(f.pe2, ZONE2, "192.0.2.10/32"), "198.18.0.3", l_b);
	h_is_tunnel(h_route(f.speb, OUT_B, "192.0.2.10/32"), "198.18.0.2", l_a);
	h_is_tunnel(h_route(f.spea, OUT_A, "192.0.2.10/32"), "198.18.0.1", l_vm1);
	/* the forward direction is unchanged */
	fig1_check(&f, "203.0.113.20", "198.51.100.1", "198.51.100.2");
	h_free(f.net);
}

/* s4.2: a VM's host route with its own service-topology RT follows its own
 * chain (here Serv-B only), and falls back to the zone chain when the RT
 * is removed. */
static void test_per_vm_chain(void **state)
{
	struct fig1 f;
	const char *const b_only[] = {T_HOPS[1]};
	uint32_t l_a, l_b;

	(void)state;
	fig1_build(&f);
	h_vrf(f.pe1, ZONE1, "zone1", "65000:11", "65000:1 65000:100 65000:1001 65000:1005",
	      "65000:1", NULL);
	h_vrf(f.speb, OUT_B, "out-b", "65000:32", "65000:100 65000:1001 65000:1005", NULL, NULL);
	for (unsigned i = 0; i < 4; i++)
		h_topo(&f.net->pe[i], "VM30", "65000:1005", 10, b_only, 1);
	h_attach(f.pe2, 23, ZONE2, "203.0.113.30", NULL, "65000:1005");
	h_sync(f.net);
	l_a = h_exp_label(f.spea, IN_A, "198.51.100.1/32");
	l_b = h_exp_label(f.speb, IN_B, "198.51.100.2/32");
	/* its own chain: PE-1 sends straight to Serv-B; S-PE-B is its last */
	h_is_tunnel(h_route(f.pe1, ZONE1, "203.0.113.30/32"), "198.18.0.3", l_b);
	h_is_tunnel(h_route(f.speb, OUT_B, "203.0.113.30/32"), "198.18.0.4",
		    h_exp_label(f.pe2, ZONE2, "203.0.113.30/32"));
	/* other zone-2 hosts keep the zone chain */
	h_is_tunnel(h_route(f.pe1, ZONE1, "203.0.113.20/32"), "198.18.0.2", l_a);
	/* the per-VM RT is removed: back on the zone chain */
	h_attach(f.pe2, 23, ZONE2, "203.0.113.30", NULL, NULL);
	h_sync(f.net);
	h_is_tunnel(h_route(f.pe1, ZONE1, "203.0.113.30/32"), "198.18.0.2", l_a);
	h_free(f.net);
}

/* A zone prefix tagged with the RTs of a VPN-IPv4 and a VPN-IPv6 topology
 * (Figure 1's z1-to-z2 and z1-to-z2-v6 when the egress zone's export
 * policy adds both) goes by the topology of its own family, whichever
 * priority the other has (draft s4.1.3 for RFC 4364 and RFC 4659 alike). */
static void test_topology_family(void **state)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *const v4[] = {"198.51.100.1,-", "198.51.100.2,-"};
	const char *const v6[] = {"-,2001:db8:100::1", "-,2001:db8:100::2"};

	(void)state;
	h_vrf(pe, OUT_A, "out-a", "65000:22", "65000:100 65000:1011 65000:1012", NULL, NULL);
	for (unsigned round = 0; round < 2; round++) {
		/* round 0: the IPv4 topology has the better priority, round 1
		 * the IPv6 one */
		h_topo(pe, "T4", "65000:1011", round == 0 ? 10 : 20, v4, 2);
		h_topo(pe, "T6", "65000:1012", round == 0 ? 20 : 10, v6, 2);
		feed_zone(pe, 1, false, "65000:2 65000:1011 65000:1012");
		feed_zone(pe, 1, true, "65000:2 65000:1011 65000:1012");
		h_commit(pe);
		/* S-PE-A's out-VRF: the next node, Serv-B, with the label of
		 * Serv-B's route of the prefix's family */
		h_is_tunnel(h_route(pe, OUT_A, "198.19.0.0/32"), "198.18.0.3", 3001);
		h_is_tunnel(h_route(pe, OUT_A, "2001:db8:2::/128"), "198.18.0.3", 3002);
	}
	h_free(net);
}

/* A chain with a missing piece is pending with a reason, and resolves once
 * the piece arrives, without a restart. */
static void test_pending(void **state)
{
	struct h_pe *pe;
	struct h_net *net = spea_only(&pe);
	const char *const ax[] = {T_HOPS[0], "198.51.100.9,-"};
	enum svc_pend pend = SVC_PEND_NONE;
	const struct fib_nh *nh;
	struct json_object *o, *t, *v, *x;

	(void)state;
	h_topo(pe, "T", "65000:1001", 100, ax, 2);
	feed_zone(pe, 10, false, "65000:2 65000:1001");
	feed_zone(pe, 10, true, "65000:2 65000:1001");
	h_commit(pe);
	assert_int_not_equal(svc_chain_nh(pe->svc, OUT_A, "T", AFI_IPV4, &pend), 0);
	assert_int_equal(pend, SVC_PEND_SERVICE_IP);
	/* fail closed: the prefixes point at a drop, not past the service */
	nh = h_route(pe, OUT_A, "198.19.0.1/32");
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	assert_int_not_equal(svc_chain_nh(pe->svc, OUT_A, "T", AFI_IPV6, &pend), 0);
	assert_int_equal(pend, SVC_PEND_WRONG_FAMILY);
	o = svc_show_topology(pe->svc, "T");
	t = json_object_array_get_idx(o, 0);
	assert_true(json_object_object_get_ex(t, "vrfs", &x));
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		struct json_object *r;

		v = json_object_array_get_idx(x, i);
		assert_true(json_object_object_get_ex(v, "reason", &r));
		assert_true(strstr(json_object_get_string(r), "unresolved") != NULL ||
			    strstr(json_object_get_string(r), "wrong family") != NULL);
	}
	json_object_put(o);
	/* a service node configured before its out-VRF: its hop says why it
	 * is not up, and it comes up with the VRF, without a restart */
	{
		struct svc_node n;
		const char *const ac[] = {T_HOPS[0], "198.51.100.9,-", "198.51.100.7,-"};
		struct json_object *hops, *h, *r;
		size_t exported = pe->exported;

		memset(&n, 0, sizeof(n));
		n.ifc = 77;
		strcpy(n.name, "serv-c");
		n.in_vrf = 70;
		n.out_vrf = 71;
		n.ip4 = h_ip("198.51.100.7");
		assert_int_equal(svc_node_set(pe->svc, &n), 0);
		h_vrf(pe, 70, "in-c", "65000:70", NULL, "65000:100", NULL);
		h_topo(pe, "T", "65000:1001", 100, ac, 3);
		o = svc_show_topology(pe->svc, "T");
		assert_true(
		    json_object_object_get_ex(json_object_array_get_idx(o, 0), "hops", &hops));
		h = json_object_array_get_idx(hops, 2);
		assert_true(json_object_object_get_ex(h, "reason", &r));
		assert_string_equal(json_object_get_string(r), "unknown VRF");
		json_object_put(o);
		assert_int_equal(pe->exported, exported); /* not advertised yet */
		h_vrf(pe, 71, "out-c", "65000:71", "65000:100", NULL, NULL);
		assert_int_equal(pe->exported, exported + 1); /* draft s4.1.1 route */
		assert_int_equal(pe->out[pe->n_out - 1].prefix.len, 32);
		h_topo(pe, "T", "65000:1001", 100, ax, 2);
	}
	/* the missing service route arrives */
	feed(pe, "65000:99", "198.51.100.9/32", 9999, "198.18.0.9", "65000:100", 100, 0);
	h_commit(pe);
	h_is_tunnel(h_route(pe, OUT_A, "198.19.0.1/32"), "198.18.0.9", 9999);
	svc_chain_nh(pe->svc, OUT_A, "T", AFI_IPV4, &pend);
	assert_int_equal(pend, SVC_PEND_NONE);
	h_free(net);
}

/* s4.1.5: "an aggregate label may be used for the service route and an IP
 * route lookup done in an in-VRF at the service-PE". */
static void test_aggregate_label(void **state)
{
	struct h_pe *pe;
	struct h_net *net = calloc(1, sizeof(*net));
	const struct fib_nh *nh;
	uint32_t l;

	(void)state;
	pe = h_pe_add(net, "S-PE-A", "198.18.0.2");
	h_vrf(pe, IN_A, "in-a", "65000:21", NULL, "65000:100", NULL);
	h_vrf(pe, OUT_A, "out-a", "65000:22", "65000:100", NULL, NULL);
	h_node(pe, IF_SA, IN_A, OUT_A, "198.51.100.1", NULL, true);
	h_commit(pe);
	l = h_exp_label(pe, IN_A, "198.51.100.1/32");
	nh = h_label(pe, l);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOOKUP);
	assert_int_equal(nh->vrf, IN_A);
	/* the in-VRF sends everything to the node (s3.1: "The in-VRF has one
	 * or more routes with a next-hop of a local access interface") */
	h_is_local(h_route(pe, IN_A, "0.0.0.0/0"), IF_SA, "198.51.100.1");
	assert_int_equal(pe->exported, 1);
	assert_int_equal(pe->out[0].label, l);
	assert_int_equal(pe->out[0].n_rts, 1);
	/* the node goes away: its route is withdrawn, label and default go */
	assert_int_equal(svc_node_del(pe->svc, IF_SA), 0);
	h_commit(pe);
	assert_true(pe->out[pe->n_out - 1].withdraw);
	assert_null(h_label(pe, l));
	assert_null(h_route(pe, IN_A, "0.0.0.0/0"));
	h_free(net);
}

/* Label modes (RFC 4364 s4.3.2 leaves the allocation to the PE; draft
 * s4.1.1 wants a label that reaches the attachment directly): per-VRF -
 * one label for the VRF, pop and look up; per-prefix - one label per host
 * route, pop and send to that host. */
static void test_label_modes(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe = h_pe_add(net, "PE-2", "198.18.0.4");
	struct vrf_config c;
	uint32_t a, b;
	const struct fib_nh *nh;
	struct json_object *o, *x;

	(void)state;
	h_vrf(pe, ZONE2, "zone2", "65000:41", "65000:2", "65000:2", NULL);
	h_attach(pe, IF_VM2, ZONE2, "203.0.113.20", "2001:db8:2::20", NULL);
	a = h_exp_label(pe, ZONE2, "203.0.113.20/32");
	b = h_exp_label(pe, ZONE2, "2001:db8:2::20/128");
	assert_int_equal(a, b); /* per-VRF: one label */
	h_commit(pe);
	nh = h_label(pe, a);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOOKUP);
	assert_int_equal(nh->vrf, ZONE2);

	memset(&c, 0, sizeof(c));
	c.id = ZONE1;
	strcpy(c.name, "zone1");
	c.rd = h_rd("65000:42");
	c.label_mode = VRF_LABEL_PER_PREFIX;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_attach(pe, IF_VM1B, ZONE1, "192.0.2.20", "2001:db8:1::20", NULL);
	h_commit(pe);
	a = h_exp_label(pe, ZONE1, "192.0.2.20/32");
	b = h_exp_label(pe, ZONE1, "2001:db8:1::20/128");
	assert_int_not_equal(a, b);
	h_is_local(h_label(pe, a), IF_VM1B, "192.0.2.20");
	h_is_local(h_label(pe, b), IF_VM1B, "2001:db8:1::20");
	o = svc_show_labels(pe->svc);
	assert_int_equal(json_object_array_length(o), 3);
	for (size_t i = 0; i < 3; i++) {
		struct json_object *l = json_object_array_get_idx(o, i), *m;

		assert_true(json_object_object_get_ex(l, "label", &x));
		assert_true(json_object_object_get_ex(l, "mode", &m));
		if ((uint32_t)json_object_get_int64(x) == a)
			assert_string_equal(json_object_get_string(m), "per-prefix");
	}
	json_object_put(o);
	/* the VM goes: its labels are released and leave the FIB */
	assert_int_equal(svc_attach_del(pe->svc, IF_VM1B), 0);
	h_commit(pe);
	assert_null(h_label(pe, a));
	assert_null(h_label(pe, b));
	h_free(net);
}

/* HOUSE-STYLE principle 5: a backend that refused a batch is resynced
 * from the desired state; afterwards it holds exactly that state. */
static void test_resync(void **state)
{
	struct fig1 f;
	const struct fib_store *want, *got;
	size_t i = 0;
	struct fib_store_route *r;

	(void)state;
	fig1_build(&f);
	fib_record_fail_next(f.pe1->rec);
	h_attach(f.pe1, 12, ZONE1, "192.0.2.11", NULL, NULL);
	assert_int_equal(svc_commit(f.pe1->svc), -1);
	h_sync(f.net); /* the next commit restates everything */
	want = fib_state(f.pe1->fib);
	got = fib_record_state(f.pe1->rec);
	assert_int_equal(htab_count(&got->routes), htab_count(&want->routes));
	assert_int_equal(htab_count(&got->nhs), htab_count(&want->nhs));
	assert_int_equal(htab_count(&got->labels), htab_count(&want->labels));
	while ((r = htab_next(&want->routes, &i)) != NULL)
		assert_int_equal(fib_store_route(got, r->vrf, &r->prefix), r->nh);
	h_is_local(h_route(f.pe1, ZONE1, "192.0.2.11/32"), 12, "192.0.2.11");
	fig1_check(&f, "203.0.113.20", "198.51.100.1", "198.51.100.2");
	h_free(f.net);
}

static bool h_peer(const struct h_pe *pe, const char *a)
{
	struct ipaddr ip = h_ip(a);

	return htab_get(&fib_record_state(pe->rec)->peers, &ip) != NULL;
}

/* RFC 7510 s5: MPLS-in-UDP is accepted from PEs only.  Without a
 * configured list these are the PEs the FIB tunnels to, which at S-PE-A
 * leaves out PE-1: Serv-A's out-VRF imports the service-node and topology
 * RTs, not zone 1's (s4.1.2), so nothing there leads to PE-1, yet PE-1
 * sends zone 1's traffic to Serv-A.  A configured list is the FIB's peer
 * set exactly, whatever the tunnels, and giving it up returns to them. */
static void test_pe_allow_list(void **state)
{
	struct fig1 f;
	struct ipaddr three[3] = {h_ip("198.18.0.4"), h_ip("198.18.0.1"), h_ip("198.18.0.3")};

	(void)state;
	fig1_build(&f);
	assert_true(h_peer(f.spea, "198.18.0.3"));
	assert_false(h_peer(f.spea, "198.18.0.1"));
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->peers), 1);

	assert_int_equal(svc_pe_set(f.spea->svc, three, 3), 0);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->peers), 3);
	assert_true(h_peer(f.spea, "198.18.0.1"));
	assert_true(h_peer(f.spea, "198.18.0.3"));
	assert_true(h_peer(f.spea, "198.18.0.4"));

	/* a shorter list: S-PE-B is dropped although S-PE-A tunnels to it */
	assert_int_equal(svc_pe_set(f.spea->svc, &three[1], 1), 0);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->peers), 1);
	assert_true(h_peer(f.spea, "198.18.0.1"));
	assert_false(h_peer(f.spea, "198.18.0.3"));
	/* a tunnel that goes and comes back adds no peer */
	assert_int_equal(svc_node_del(f.speb->svc, IF_SB), 0);
	h_sync(f.net);
	h_node(f.speb, IF_SB, IN_B, OUT_B, "198.51.100.2", "2001:db8:100::2", false);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->peers), 1);
	assert_false(h_peer(f.spea, "198.18.0.3"));

	assert_int_equal(svc_pe_set(f.spea->svc, NULL, 0), 0);
	h_sync(f.net);
	assert_int_equal(htab_count(&fib_record_state(f.spea->rec)->peers), 1);
	assert_true(h_peer(f.spea, "198.18.0.3"));
	assert_false(h_peer(f.spea, "198.18.0.1"));
	h_free(f.net);
}

/* s2: a VM goes away: its host route is withdrawn and removed. */
static void test_attach_lifecycle(void **state)
{
	struct fig1 f;

	(void)state;
	fig1_build(&f);
	assert_int_equal(svc_attach_del(f.pe2->svc, IF_VM2), 0);
	h_sync(f.net);
	assert_null(h_route(f.pe1, ZONE1, "203.0.113.20/32"));
	assert_null(h_route(f.spea, OUT_A, "203.0.113.20/32"));
	assert_null(h_route(f.speb, OUT_B, "203.0.113.20/32"));
	assert_null(h_route(f.pe2, ZONE2, "203.0.113.20/32"));
	/* the ingress zone VRF goes away altogether */
	assert_int_equal(svc_vrf_del(f.pe1->svc, ZONE1), 0);
	h_sync(f.net);
	assert_null(fib_store_vrf(fib_record_state(f.pe1->rec), ZONE1));
	assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->routes), 0);
	assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->nhs), 0);
	assert_int_equal(htab_count(&fib_record_state(f.pe1->rec)->labels), 0);
	/* and PE-1's VM route is gone from the other PEs */
	assert_null(h_route(f.pe2, ZONE1, "192.0.2.10/32"));
	h_free(f.net);
}

/* The RTs of the last export of prefix p by pe, "65000:2 65000:1001"
 * sorted as exported ("withdrawn" / "none"). */
static const char *exp_rts(const struct h_pe *pe, const char *p)
{
	static char buf[256];
	struct prefix q = h_pfx(p);
	size_t len = 0;

	for (size_t k = pe->n_out; k-- > 0;) {
		const struct svc_export *e = &pe->out[k];

		if (prefix_cmp(&e->prefix, &q) != 0)
			continue;
		if (e->withdraw)
			return "withdrawn";
		buf[0] = '\0';
		for (unsigned i = 0; i < e->n_rts; i++) {
			char one[64];

			assert_non_null(ecomm_fmt(&e->rts[i], one, sizeof(one)));
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
						one + strlen("target:"));
		}
		return buf;
	}
	return "none";
}

static void policy_stmt(struct vrf_config *c, const char *prefix, unsigned lo, unsigned hi,
			const char *att, const char *rt)
{
	struct vrf_policy_stmt *st = &c->policy[c->n_policy++];

	memset(st, 0, sizeof(*st));
	if (prefix != NULL) {
		st->match_prefix = true;
		st->prefix = h_pfx(prefix);
		st->len_min = (uint8_t)lo;
		st->len_max = (uint8_t)hi;
	}
	if (att != NULL)
		snprintf(st->attachment, sizeof(st->attachment), "%s", att);
	st->rts[st->n_rts++] = h_rt(rt);
}

static void policy_attach(struct h_pe *pe, fib_if_id ifc, const char *att, const char *h4,
			  const char *h6)
{
	struct svc_attach a;

	memset(&a, 0, sizeof(a));
	a.ifc = ifc;
	snprintf(a.name, sizeof(a.name), "tap%u", ifc);
	snprintf(a.att, sizeof(a.att), "%s", att);
	a.vrf = ZONE2;
	a.host[a.n_host++] = h_ip(h4);
	if (h6)
		a.host[a.n_host++] = h_ip(h6);
	assert_int_equal(svc_attach_set(pe->svc, &a), 0);
}

/* s4.1.2: the egress zone VRF's policy attaches each topology RT to the
 * routes it is for, by family and prefix; s4.2: a VM's host route also
 * carries its own chain's RT, by attachment name, whenever the attachment
 * comes; a policy change re-advertises only the routes whose RTs change. */
static void test_export_policy_per_route(void **state)
{
	struct h_net *net = calloc(1, sizeof(*net));
	struct h_pe *pe;
	struct vrf_config c;
	size_t before;

	(void)state;
	pe = h_pe_add(net, "PE-2", "198.18.0.4");
	memset(&c, 0, sizeof(c));
	c.id = ZONE2;
	snprintf(c.name, sizeof(c.name), "zone2");
	c.rd = h_rd("65000:41");
	c.import_rt[c.n_import++] = h_rt("65000:2");
	c.export_rt[c.n_export++] = h_rt("65000:2");
	policy_stmt(&c, "203.0.113.0/24", 24, 32, NULL, "65000:1001");
	policy_stmt(&c, "2001:db8:2::/64", 64, 128, NULL, "65000:1011");
	policy_stmt(&c, NULL, 0, 0, "vm30", "65000:1005");
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	policy_attach(pe, IF_VM2, "vm20", "203.0.113.20", "2001:db8:2::20");
	h_commit(pe);
	assert_string_equal(exp_rts(pe, "203.0.113.20/32"), "65000:2 65000:1001");
	assert_string_equal(exp_rts(pe, "2001:db8:2::20/128"), "65000:2 65000:1011");
	/* VM-30 comes later (as `vtopoctl attach add` does): its statement
	 * applies to it */
	policy_attach(pe, 23, "vm30", "203.0.113.30", "2001:db8:2::30");
	h_commit(pe);
	assert_string_equal(exp_rts(pe, "203.0.113.30/32"), "65000:2 65000:1001 65000:1005");
	assert_string_equal(exp_rts(pe, "2001:db8:2::30/128"), "65000:2 65000:1005 65000:1011");
	/* the IPv6 statement goes: the two IPv6 routes alone are advertised
	 * again */
	before = pe->exported;
	c.policy[1] = c.policy[2];
	c.n_policy = 2;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_commit(pe);
	assert_int_equal(pe->exported - before, 2);
	assert_string_equal(exp_rts(pe, "2001:db8:2::20/128"), "65000:2");
	assert_string_equal(exp_rts(pe, "2001:db8:2::30/128"), "65000:2 65000:1005");
	/* the same policy again: nothing is advertised */
	before = pe->exported;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_commit(pe);
	assert_int_equal(pe->exported, before);
	/* s5.3: VM-30's statement also sets LOCAL_PREF 200: VM-30's two
	 * routes alone are advertised again, with it */
	before = pe->exported;
	c.policy[1].set_local_pref = true;
	c.policy[1].local_pref = 200;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_commit(pe);
	assert_int_equal(pe->exported - before, 2);
	for (size_t k = pe->n_out - 2; k < pe->n_out; k++) {
		assert_true(pe->out[k].attrs.set_local_pref);
		assert_int_equal(pe->out[k].attrs.local_pref, 200);
		assert_false(pe->out[k].attrs.set_med);
	}
	assert_string_equal(exp_rts(pe, "2001:db8:2::30/128"), "65000:2 65000:1005");
	/* reject-route for VM-30's IPv4 route: withdrawn alone, and back
	 * (the same RTs) when the statement goes */
	before = pe->exported;
	policy_stmt(&c, "203.0.113.30/32", 32, 32, NULL, "65000:1");
	c.policy[c.n_policy - 1].n_rts = 0;
	c.policy[c.n_policy - 1].reject = true;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_commit(pe);
	assert_int_equal(pe->exported - before, 1);
	assert_string_equal(exp_rts(pe, "203.0.113.30/32"), "withdrawn");
	assert_non_null(h_route(pe, ZONE2, "203.0.113.30/32")); /* still in its VRF */
	c.n_policy--;
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
	h_commit(pe);
	assert_int_equal(pe->exported - before, 2);
	assert_string_equal(exp_rts(pe, "203.0.113.30/32"), "65000:2 65000:1001 65000:1005");
	/* VM-30 goes and comes back under another name: no per-VM RT */
	assert_int_equal(svc_attach_del(pe->svc, 23), 0);
	assert_string_equal(exp_rts(pe, "203.0.113.30/32"), "withdrawn");
	policy_attach(pe, 23, "vm31", "203.0.113.30", NULL);
	h_commit(pe);
	assert_string_equal(exp_rts(pe, "203.0.113.30/32"), "65000:2 65000:1001");
	h_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fig1),
	    cmocka_unit_test(test_repoint_independent_of_n),
	    cmocka_unit_test(test_chain_change),
	    cmocka_unit_test(test_anycast_ecmp),
	    cmocka_unit_test(test_anycast_order),
	    cmocka_unit_test(test_active_standby),
	    cmocka_unit_test(test_default_route_chaining),
	    cmocka_unit_test(test_flowspec_steering),
	    cmocka_unit_test(test_flow_order),
	    cmocka_unit_test(test_reverse_topology),
	    cmocka_unit_test(test_per_vm_chain),
	    cmocka_unit_test(test_pending),
	    cmocka_unit_test(test_topology_family),
	    cmocka_unit_test(test_aggregate_label),
	    cmocka_unit_test(test_attach_lifecycle),
	    cmocka_unit_test(test_label_modes),
	    cmocka_unit_test(test_resync),
	    cmocka_unit_test(test_pe_allow_list),
	    cmocka_unit_test(test_export_policy_per_route),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
