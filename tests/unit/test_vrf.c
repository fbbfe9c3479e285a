/*
 * Unit tests for vrf: the import/export pipes between the VPN table and
 * VRF tables (RFC 4364 s4.3.1 / s4.3.2 as BIRD's l3vpn does them: import
 * = any import RT matches, RD stripped; export = RD + export RTs + policy
 * RTs), longest-prefix match for IPv4 and IPv6, best paths with ECMP
 * (draft s5.2) and active/standby (draft s5.3), and the label allocator
 * (RFC 3032 s2.1: labels 0-15 are reserved).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vrf/vrf.h"
#include "vrf/vrf_label.h"

struct seen {
	unsigned calls;
	vrf_id last_vrf;
	size_t last_paths;
};

static void changed(void *ctx, struct vrf *v, struct vrf_route *r)
{
	struct seen *s = ctx;
	size_t n = 0;

	for (struct vrf_ref *ref = r->paths; ref; ref = ref->next)
		n++;
	s->calls++;
	s->last_vrf = v->c.id;
	s->last_paths = n;
}

static struct ecomm rt(const char *s)
{
	struct ecomm e;

	assert_int_equal(ecomm_rt_parse(s, &e), 0);
	return e;
}

static void add_vrf(struct vrf_db *db, vrf_id id, const char *imp1, const char *imp2)
{
	struct vrf_config c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	snprintf(c.name, sizeof(c.name), "v%u", id);
	assert_int_equal(rd_parse("65000:1", &c.rd), 0);
	if (imp1)
		c.import_rt[c.n_import++] = rt(imp1);
	if (imp2)
		c.import_rt[c.n_import++] = rt(imp2);
	assert_int_equal(vrf_set(db, &c), 0);
}

static void vpn_pref(struct vrf_db *db, const char *rd, const char *prefix, const char *rt1,
		     const char *nh, const struct vrf_pref *pf)
{
	struct vrf_vpn_key k;
	struct rd d;
	struct prefix p;
	struct ipaddr a;
	struct ecomm e[1];

	assert_int_equal(rd_parse(rd, &d), 0);
	assert_int_equal(prefix_parse(prefix, &p), 0);
	assert_int_equal(ipaddr_parse(nh, &a), 0);
	e[0] = rt(rt1);
	vrf_vpn_key_make(&k, &d, &p, 0);
	assert_int_equal(vrf_vpn_update(db, &k, e, 1, &a, 100, pf, 0, 0), 0);
}

static void vpn(struct vrf_db *db, const char *rd, const char *prefix, const char *rt1,
		const char *nh, uint32_t lp, uint32_t med)
{
	struct vrf_pref pf = {.local_pref = lp, .med = med};

	vpn_pref(db, rd, prefix, rt1, nh, &pf);
}

static struct vrf_route *route(struct vrf_db *db, vrf_id id, const char *prefix)
{
	struct prefix p;

	assert_int_equal(prefix_parse(prefix, &p), 0);
	return vrf_route_get(vrf_get(db, id), &p);
}

static void test_import_pipe(void **state)
{
	struct seen s = {0};
	struct vrf_db *db = vrf_db_new(changed, &s);
	struct vrf_route *r;
	struct rd d;
	struct prefix p;
	struct vrf_vpn_key k;

	(void)state;
	add_vrf(db, 1, "65000:1", NULL);
	add_vrf(db, 2, "65000:2", "65000:1001");
	/* matching any import RT imports; the other VRF does not see it */
	vpn(db, "65000:41", "203.0.113.20/32", "65000:1001", "198.18.0.4", 100, 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.last_vrf, 2);
	assert_null(route(db, 1, "203.0.113.20/32"));
	/* RD stripped: the same prefix under another RD is a second path of
	 * the same VRF route */
	vpn(db, "65000:51", "203.0.113.20/32", "65000:2", "198.18.0.5", 100, 0);
	r = route(db, 2, "203.0.113.20/32");
	assert_non_null(r);
	assert_int_equal(s.last_paths, 2);
	/* an import RT added by configuration re-runs the pipe */
	add_vrf(db, 1, "65000:1", "65000:2");
	assert_non_null(route(db, 1, "203.0.113.20/32"));
	/* a changed RT set moves the path out of a VRF */
	vpn(db, "65000:51", "203.0.113.20/32", "65000:3", "198.18.0.5", 100, 0);
	assert_null(route(db, 1, "203.0.113.20/32"));
	r = route(db, 2, "203.0.113.20/32");
	assert_non_null(r);
	assert_non_null(r->paths);
	assert_null(r->paths->next); /* one path left there */
	/* withdrawal: the route goes with its last path */
	assert_int_equal(rd_parse("65000:41", &d), 0);
	assert_int_equal(prefix_parse("203.0.113.20/32", &p), 0);
	vrf_vpn_key_make(&k, &d, &p, 0);
	assert_int_equal(vrf_vpn_withdraw(db, &k), 0);
	assert_null(route(db, 2, "203.0.113.20/32"));
	assert_int_equal(vrf_vpn_withdraw(db, &k), -1);
	assert_int_equal(errno, ENOENT);
	/* the VRF goes: its routes are reported without paths */
	vpn(db, "65000:41", "203.0.113.20/32", "65000:2", "198.18.0.4", 100, 0);
	s.calls = 0;
	assert_int_equal(vrf_del(db, 2), 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.last_paths, 0);
	assert_null(vrf_get(db, 2));
	vrf_db_free(db);
}

static void test_export_pipe(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	struct vrf_config c;
	struct ecomm out[8], extra[2] = {rt("65000:1005"), rt("65000:2")};
	struct prefix p;
	int n;

	(void)state;
	assert_int_equal(prefix_parse("203.0.113.10/32", &p), 0);
	memset(&c, 0, sizeof(c));
	c.id = 1;
	c.export_rt[c.n_export++] = rt("65000:2");
	c.policy[0].rts[c.policy[0].n_rts++] = rt("65000:1001"); /* draft s4.1.2 export policy */
	c.n_policy = 1;
	assert_int_equal(vrf_set(db, &c), 0);
	n = vrf_export_rts(&vrf_get(db, 1)->c, &p, NULL, extra, 2, out, 8);
	/* the union, sorted, the duplicate 65000:2 once */
	assert_int_equal(n, 3);
	assert_int_equal(ecomm_cmp(&out[0], &extra[1]), 0);
	assert_memory_equal(out[1].b, rt("65000:1001").b, 8);
	assert_memory_equal(out[2].b, rt("65000:1005").b, 8);
	vrf_db_free(db);
}

static void test_lpm(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	struct vrf *v;
	struct ipaddr a;
	struct vrf_route *r;
	char buf[PREFIX_STRLEN];

	(void)state;
	add_vrf(db, 1, "65000:1", NULL);
	vpn(db, "65000:9", "0.0.0.0/0", "65000:1", "198.18.0.9", 100, 0);
	vpn(db, "65000:9", "198.51.100.0/24", "65000:1", "198.18.0.9", 100, 0);
	vpn(db, "65000:9", "198.51.100.0/25", "65000:1", "198.18.0.9", 100, 0);
	vpn(db, "65000:9", "2001:db8::/32", "65000:1", "198.18.0.9", 100, 0);
	vpn(db, "65000:9", "2001:db8:100::/48", "65000:1", "198.18.0.9", 100, 0);
	v = vrf_get(db, 1);
	assert_int_equal(ipaddr_parse("198.51.100.1", &a), 0);
	r = vrf_lookup(v, &a, NULL, NULL);
	assert_string_equal(prefix_fmt(&r->prefix, buf, sizeof(buf)), "198.51.100.0/25");
	assert_int_equal(ipaddr_parse("198.51.100.200", &a), 0);
	r = vrf_lookup(v, &a, NULL, NULL);
	assert_string_equal(prefix_fmt(&r->prefix, buf, sizeof(buf)), "198.51.100.0/24");
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	r = vrf_lookup(v, &a, NULL, NULL);
	assert_string_equal(prefix_fmt(&r->prefix, buf, sizeof(buf)), "0.0.0.0/0");
	assert_int_equal(ipaddr_parse("2001:db8:100::1", &a), 0);
	r = vrf_lookup(v, &a, NULL, NULL);
	assert_string_equal(prefix_fmt(&r->prefix, buf, sizeof(buf)), "2001:db8:100::/48");
	assert_int_equal(ipaddr_parse("2001:db8:200::1", &a), 0);
	r = vrf_lookup(v, &a, NULL, NULL);
	assert_string_equal(prefix_fmt(&r->prefix, buf, sizeof(buf)), "2001:db8::/32");
	assert_int_equal(ipaddr_parse("2001:db9::1", &a), 0);
	assert_null(vrf_lookup(v, &a, NULL, NULL)); /* no IPv6 default */
	vrf_db_free(db);
}

static bool not_25(void *ctx, const struct vrf *v, const struct vrf_route *r)
{
	(void)ctx;
	(void)v;
	return r->prefix.len != 25;
}

static void test_lpm_filter(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	struct ipaddr a;
	struct vrf_route *r;

	(void)state;
	add_vrf(db, 1, "65000:1", NULL);
	vpn(db, "65000:9", "198.51.100.0/24", "65000:1", "198.18.0.9", 100, 0);
	vpn(db, "65000:9", "198.51.100.0/25", "65000:1", "198.18.0.9", 100, 0);
	assert_int_equal(ipaddr_parse("198.51.100.1", &a), 0);
	/* a refused candidate falls back to the next shorter match */
	r = vrf_lookup(vrf_get(db, 1), &a, not_25, NULL);
	assert_int_equal(r->prefix.len, 24);
	vrf_db_free(db);
}

static void test_best_paths(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	const struct vrf_vpn *best[4];
	struct vrf_route *r;
	char buf[RD_STRLEN];

	(void)state;
	add_vrf(db, 1, "65000:100", NULL);
	/* draft s5.2: equal paths from distinct RDs: ECMP, ordered by RD */
	vpn(db, "65000:81", "198.51.100.2/32", "65000:100", "198.18.0.8", 100, 0);
	vpn(db, "65000:31", "198.51.100.2/32", "65000:100", "198.18.0.3", 100, 0);
	r = route(db, 1, "198.51.100.2/32");
	assert_int_equal(vrf_route_best(r, best, 4), 2);
	assert_string_equal(rd_fmt(&best[0]->key.rd, buf, sizeof(buf)), "65000:31");
	assert_string_equal(rd_fmt(&best[1]->key.rd, buf, sizeof(buf)), "65000:81");
	/* draft s5.3: LOCAL_PREF makes one active */
	vpn(db, "65000:91", "198.51.100.2/32", "65000:100", "198.18.0.9", 200, 0);
	assert_int_equal(vrf_route_best(r, best, 4), 1);
	assert_string_equal(rd_fmt(&best[0]->key.rd, buf, sizeof(buf)), "65000:91");
	/* ... and MED among equal LOCAL_PREF (lower wins) */
	vpn(db, "65000:81", "198.51.100.2/32", "65000:100", "198.18.0.8", 200, 5);
	vpn(db, "65000:91", "198.51.100.2/32", "65000:100", "198.18.0.9", 200, 7);
	assert_int_equal(vrf_route_best(r, best, 4), 1);
	assert_string_equal(rd_fmt(&best[0]->key.rd, buf, sizeof(buf)), "65000:81");
	vrf_db_free(db);
}

static void test_labels(void **state)
{
	struct vrf_labels *l = vrf_labels_new(0, 19);
	struct vrf_label_owner o;
	uint32_t a, b, c;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.mode = VRF_LABEL_PER_VRF;
	o.vrf = 7;
	a = vrf_label_alloc(l, &o);
	assert_int_equal(a, 16); /* RFC 3032 s2.1: 0-15 reserved */
	o.mode = VRF_LABEL_PER_NEXTHOP;
	b = vrf_label_alloc(l, &o);
	assert_int_equal(b, 17);
	assert_int_equal(vrf_label_owner(l, a)->mode, VRF_LABEL_PER_VRF);
	assert_int_equal(vrf_label_owner(l, a)->vrf, 7);
	assert_int_equal(vrf_label_owner(l, b)->mode, VRF_LABEL_PER_NEXTHOP);
	assert_int_equal(vrf_label_next(l, 0), 16);
	assert_int_equal(vrf_label_next(l, 16), 17);
	vrf_label_release(l, a);
	assert_null(vrf_label_owner(l, a));
	c = vrf_label_alloc(l, &o);
	assert_int_equal(c, a); /* reused */
	assert_int_equal(vrf_label_alloc(l, &o), 18);
	assert_int_equal(vrf_label_alloc(l, &o), 19);
	assert_int_equal(vrf_label_alloc(l, &o), 0); /* exhausted */
	assert_int_equal(vrf_labels_used(l), 4);
	assert_string_equal(vrf_label_mode_name(VRF_LABEL_PER_PREFIX), "per-prefix");
	vrf_labels_free(l);
}

/* Preferred bindings (vrf_label.h; RFC 4781 s3: the restarting LSR takes
 * its labels from the preserved forwarding state).  The held state of the
 * standby_dp trace: IPv6 next hop on 16, IPv4 on 17, VRF 7's lookup on 20;
 * configuration order asks for IPv4 first. */
static void test_labels_preferred(void **state)
{
	struct vrf_labels *l = vrf_labels_new(16, 99);
	struct vrf_label_owner p4, p6, pv, o4, o6, other;

	(void)state;
	memset(&p6, 0, sizeof(p6));
	p6.mode = VRF_LABEL_PER_NEXTHOP;
	p6.ifc = 3;
	assert_int_equal(ipaddr_parse("2001:db8::1", &p6.gw), 0);
	p4 = p6;
	assert_int_equal(ipaddr_parse("198.51.100.1", &p4.gw), 0);
	memset(&pv, 0, sizeof(pv));
	pv.mode = VRF_LABEL_PER_VRF;
	pv.vrf = 7;
	assert_int_equal(vrf_label_prefer(l, 16, &p6), 0);
	assert_int_equal(vrf_label_prefer(l, 17, &p4), 0);
	assert_int_equal(vrf_label_prefer(l, 20, &pv), 0);
	assert_int_equal(vrf_label_prefer(l, 17, &pv), -1); /* reserved already */
	assert_int_equal(vrf_label_prefer(l, 100, &pv), -1); /* outside the space */
	assert_int_equal(vrf_label_prefer(l, 15, &pv), -1);  /* RFC 3032 s2.1 */
	assert_int_equal(vrf_labels_used(l), 0);
	assert_int_equal(vrf_label_next(l, 0), 0); /* reservations are not in use */

	/* the preferred label is honoured whatever the order of allocation */
	o4 = p4;
	o4.vrf = 5;
	o6 = p6;
	o6.vrf = 5;
	assert_int_equal(vrf_label_alloc(l, &o4), 17);
	assert_true(vrf_label_recovered(l, 17));
	/* a fresh label never takes a reserved one */
	memset(&other, 0, sizeof(other));
	other.mode = VRF_LABEL_PER_VRF;
	other.vrf = 8;
	assert_int_equal(vrf_label_alloc(l, &other), 18);
	assert_false(vrf_label_recovered(l, 18));
	assert_int_equal(vrf_label_alloc(l, &o6), 16);
	assert_int_equal(vrf_label_owner(l, 16)->vrf, 5);
	assert_int_equal(vrf_label_owner(l, 16)->mode, VRF_LABEL_PER_NEXTHOP);
	/* a per-prefix label for the same action: the preference is taken,
	 * so it falls back to a fresh label */
	o6.mode = VRF_LABEL_PER_PREFIX;
	assert_int_equal(vrf_label_alloc(l, &o6), 19);
	assert_false(vrf_label_recovered(l, 19));
	/* another gateway on that interface is another action */
	o6.mode = VRF_LABEL_PER_NEXTHOP;
	assert_int_equal(ipaddr_parse("2001:db8::2", &o6.gw), 0);
	assert_int_equal(vrf_label_alloc(l, &o6), 21); /* 20 is VRF 7's */

	/* the unclaimed one goes at the sweep and is reused */
	assert_int_equal(vrf_labels_release_unclaimed(l), 1);
	assert_int_equal(vrf_labels_release_unclaimed(l), 0);
	assert_int_equal(vrf_label_alloc(l, &pv), 20); /* a free label now */
	assert_false(vrf_label_recovered(l, 20));
	assert_int_equal(vrf_labels_used(l), 6);

	/* a recovered label released is reused, like any other */
	vrf_label_release(l, 16);
	assert_false(vrf_label_recovered(l, 16));
	assert_null(vrf_label_owner(l, 16));
	assert_int_equal(vrf_label_alloc(l, &other), 16);
	vrf_labels_free(l);

	/* a preference above the first free label: the labels below it are
	 * still handed out, and after its release it is handed out once */
	l = vrf_labels_new(16, 99);
	assert_int_equal(vrf_label_prefer(l, 18, &pv), 0);
	assert_int_equal(vrf_label_alloc(l, &other), 16);
	assert_int_equal(vrf_label_alloc(l, &other), 17);
	assert_int_equal(vrf_label_alloc(l, &pv), 18);
	vrf_label_release(l, 18);
	assert_int_equal(vrf_label_alloc(l, &other), 18);
	assert_int_equal(vrf_label_alloc(l, &other), 19);
	assert_int_equal(vrf_labels_used(l), 4);
	vrf_labels_free(l);
}

static void test_rts_interned(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	struct ecomm a[3] = {rt("65000:2"), rt("65000:1"), rt("65000:2")};
	struct ecomm b[2] = {rt("65000:1"), rt("65000:2")};
	const struct vrf_rts *x, *y;

	(void)state;
	x = vrf_rts_get(db, a, 3);
	y = vrf_rts_get(db, b, 2);
	assert_ptr_equal(x, y); /* same set: one copy */
	assert_int_equal(x->n, 2);
	assert_true(vrf_rts_has(x, &b[0]));
	vrf_rts_put(db, x);
	vrf_rts_put(db, y);
	vrf_db_free(db);
}

/* The RDs of the best paths of r, comma-separated. */
static const char *best_rds(const struct vrf_route *r)
{
	static char out[128];
	const struct vrf_vpn *best[4];
	size_t n = vrf_route_best(r, best, 4);
	char buf[RD_STRLEN];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, rd_fmt(&best[i]->key.rd, buf, sizeof(buf)));
	}
	return out;
}

/* RFC 4271 s9.1.2.2 a-d across RDs: the ECMP set of draft s5.2 is what
 * the steps leave; each expectation is the RFC's elimination worked by
 * hand. */
static void test_best_steps(void **state)
{
	struct vrf_db *db = vrf_db_new(NULL, NULL);
	struct vrf_route *r;
	const char *pfx = "198.51.100.1/32";
	struct vrf_pref a = {.local_pref = 100, .as_path_len = 1, .neighbor_as = 65010};
	struct vrf_pref p;

	(void)state;
	add_vrf(db, 1, "65000:100", NULL);
	vpn_pref(db, "65000:1", pfx, "65000:100", "198.18.0.1", &a);
	vpn_pref(db, "65000:3", pfx, "65000:100", "198.18.0.3", &a);
	vpn_pref(db, "65000:2", pfx, "65000:100", "198.18.0.2", &a);
	r = route(db, 1, pfx);
	assert_string_equal(best_rds(r), "65000:1,65000:2,65000:3");
	/* a: a longer AS_PATH leaves the set, whatever its MED */
	p = a;
	p.as_path_len = 2;
	p.med = 0;
	a.med = 10;
	vpn_pref(db, "65000:1", pfx, "65000:100", "198.18.0.1", &a);
	vpn_pref(db, "65000:3", pfx, "65000:100", "198.18.0.3", &a);
	vpn_pref(db, "65000:2", pfx, "65000:100", "198.18.0.2", &p);
	assert_string_equal(best_rds(r), "65000:1,65000:3");
	/* ... but LOCAL_PREF comes first (s9.1.1) */
	p.local_pref = 200;
	vpn_pref(db, "65000:2", pfx, "65000:100", "198.18.0.2", &p);
	assert_string_equal(best_rds(r), "65000:2");
	/* b: ORIGIN INCOMPLETE loses to IGP */
	p = a;
	p.origin = 2;
	vpn_pref(db, "65000:2", pfx, "65000:100", "198.18.0.2", &p);
	assert_string_equal(best_rds(r), "65000:1,65000:3");
	/* c: MED only among paths from the same neighbour AS: 65000:3 (MED
	 * 20) goes to 65000:1 (MED 10), 65000:2 from AS 65020 stays with MED
	 * 50 */
	p = a;
	p.neighbor_as = 65020;
	p.med = 50;
	vpn_pref(db, "65000:2", pfx, "65000:100", "198.18.0.2", &p);
	p = a;
	p.med = 20;
	vpn_pref(db, "65000:3", pfx, "65000:100", "198.18.0.3", &p);
	assert_string_equal(best_rds(r), "65000:1,65000:2");
	/* c: only paths still in the set remove others: MED 5 from the same
	 * neighbour AS but with a longer AS_PATH left at step a */
	p = a;
	p.as_path_len = 3;
	p.med = 5;
	vpn_pref(db, "65000:4", pfx, "65000:100", "198.18.0.4", &p);
	assert_string_equal(best_rds(r), "65000:1,65000:2");
	/* d: after MED, external paths before internal ones */
	p = a;
	p.ebgp = true;
	vpn_pref(db, "65000:1", pfx, "65000:100", "198.18.0.1", &p);
	assert_string_equal(best_rds(r), "65000:1");
	/* a path removed at c does not count at d: 65000:3 (eBGP, MED 20) is
	 * out at c against 65000:1 (iBGP, MED 10), so the internal 65000:1
	 * and 65000:2 stay */
	p.med = 20;
	vpn_pref(db, "65000:3", pfx, "65000:100", "198.18.0.3", &p);
	vpn_pref(db, "65000:1", pfx, "65000:100", "198.18.0.1", &a);
	assert_string_equal(best_rds(r), "65000:1,65000:2");
	/* a withdrawal of the winner brings back what it removed (draft
	 * s5.3 failover): 65000:3 is then alone in AS 65010 */
	{
		struct vrf_vpn_key k;
		struct rd d;
		struct prefix x;

		assert_int_equal(rd_parse("65000:1", &d), 0);
		assert_int_equal(prefix_parse(pfx, &x), 0);
		vrf_vpn_key_make(&k, &d, &x, 0);
		assert_int_equal(vrf_vpn_withdraw(db, &k), 0);
	}
	/* 65000:4 (AS_PATH 3) still out; 65000:3 eBGP beats 65000:2 iBGP */
	assert_string_equal(best_rds(r), "65000:3");
	vrf_db_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_pipe),	 cmocka_unit_test(test_export_pipe),
	    cmocka_unit_test(test_lpm),		 cmocka_unit_test(test_lpm_filter),
	    cmocka_unit_test(test_best_paths),	 cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_labels_preferred),
	    cmocka_unit_test(test_rts_interned), cmocka_unit_test(test_best_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
