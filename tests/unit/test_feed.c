/*
 * Unit tests for vtopod_feed: a real RDE (UPDATEs in wire form from a route
 * reflector) joined to svc with the recording FIB backend, as vtopod joins
 * them.  VPN FlowSpec routes (RFC 8955 s8) carrying a service-topology RT
 * are resolved through the chain and installed as FIB flows with the
 * chain's next hop (draft-rfernando-bess-service-chaining-01 s4.1.5);
 * with a distinct service-topology RT that only the ingress zone VRF
 * imports they are installed there alone; a withdrawal removes them.
 *
 * Two PEs of Figure 1, each with its own RDE and svc:
 *   PE-1   198.18.0.1  zone1 (ingress of T and TF)
 *   S-PE-A 198.18.0.2  serv-a-in / serv-a-out, Serv-A 198.51.100.1
 * Routes the RR sends (their labels are the expected labels below):
 *   Serv-A 198.51.100.1/32  RD 198.18.0.2:1  label 1001  RT 65000:100  nh S-PE-A
 *   Serv-B 198.51.100.2/32  RD 198.18.0.3:1  label 3001  RT 65000:100  nh 198.18.0.3
 *   VM-2   203.0.113.70/32  RD 198.18.0.4:1  label 2001  RT 65000:2    nh 198.18.0.4
 *   a VPN flow route, RD 198.18.0.4:1, "destination 203.0.113.70/32,
 *   protocol TCP, destination port 80", RT 65000:101 (T) or 65000:121 (TF).
 */
#include "svc_harness.h"

#include <json-c/json.h>

#include "lib/wbuf.h"
#include "rde/rde.h"
#include "vtopod/vtopod_feed.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

#define LOCAL_AS 65000
#define MAXMSG 4096
#define RR 1

enum { ZONE1 = 1, IN_A, OUT_A, ZONE9 };
enum { IF_SA = 31 };

/* RFC 8955 s4.2.2, by hand: type 1 destination prefix /32 203.0.113.70;
 * type 3 IP protocol, one operator (end of list, 1 octet, ==) 6; type 5
 * destination port, (end, 1 octet, ==) 80. */
static const uint8_t FLOW4[] = {0x01, 0x20, 203, 0, 113, 70, 0x03, 0x81, 0x06, 0x05, 0x81, 80};
/* RFC 8956 s3.1: type 1 destination prefix /128 offset 0 2001:db8:2::10 */
static const uint8_t FLOW6[] = {0x01, 0x80, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0,
				0,    0,    0,	  0,	0,    0,    0,	  0,	0x10};

static const char *const HOPS[] = {"198.51.100.1,-", "198.51.100.2,-"};

struct pe {
	struct h_pe *h;
	struct rde *rde;
	unsigned fed, failed;
	bool filtered;		       /* behind the import filter, as in vtopod */
	struct feed_rts want;	       /* its route targets */
	const struct feed_rts *refeed; /* during rde_best_refeed */
};

static void cb_send(void *ctx, rde_peer_id peer, const uint8_t *msg, size_t len)
{
	(void)ctx, (void)peer, (void)msg, (void)len;
}

static size_t cb_room(void *ctx, rde_peer_id peer)
{
	(void)ctx, (void)peer;
	return 1 << 20;
}

/* What vtopod_svc.c does with every best-path change. */
static void on_best(void *ctx, const struct rde_best *b)
{
	struct pe *p = ctx;
	char err[128];

	p->fed++;
	if ((p->filtered ? vtopod_feed_wanted(p->h->svc, &p->want, p->refeed, b, err, sizeof(err))
			 : vtopod_feed_best(p->h->svc, b, err, sizeof(err))) != 0) {
		fprintf(stderr, "%s: %s\n", p->h->name, err);
		p->failed++;
	}
}

static void pe_rde(struct pe *p, const char *addr)
{
	struct rde_config cfg = {.local_as = LOCAL_AS, .cluster_id = 0};
	struct rde_peer_config pc;
	struct bgp_sess_params sp;
	struct ipaddr local = h_ip(addr);

	cfg.router_id = (uint32_t)local.b[0] << 24 | (uint32_t)local.b[1] << 16 |
			(uint32_t)local.b[2] << 8 | local.b[3];
	p->rde = rde_new(&cfg, cb_send, cb_room, p);
	assert_non_null(p->rde);
	memset(&pc, 0, sizeof(pc));
	pc.address = h_ip("198.18.0.254");
	pc.remote_as = LOCAL_AS;
	pc.name = "rr";
	pc.families = bgp_fam_bit(BGP_FAM_VPNV4) | bgp_fam_bit(BGP_FAM_VPNV6) |
		      bgp_fam_bit(BGP_FAM_VPNFLOW4) | bgp_fam_bit(BGP_FAM_VPNFLOW6);
	assert_int_equal(rde_peer_add(p->rde, &pc), RR);
	bgp_sess_params_default(&sp);
	sp.ibgp = true;
	sp.fams = pc.families;
	rde_peer_up(p->rde, RR, &sp, 0xc61200fe, &local);
	rde_best_subscribe(p->rde, on_best, p);
}

static void pe_run(struct pe *p)
{
	for (int i = 0; i < 10000 && rde_work(p->rde, 64); i++)
		;
	assert_false(rde_work(p->rde, 64));
	h_commit(p->h);
	assert_int_equal(p->failed, 0);
}

static void feed(struct pe *p, const uint8_t *buf, size_t len)
{
	struct rbuf st, msg, body;
	struct bgp_verdict v;
	uint8_t type;

	rbuf_init(&st, buf, len);
	bgp_verdict_init(&v);
	assert_int_equal(bgp_hdr_split(&st, MAXMSG, &type, &msg, &body, &v), 1);
	rde_update(p->rde, RR, &body, &v);
	if (v.action != BGP_ACT_OK)
		fprintf(stderr, "%s: %s\n", p->h->name, bgp_err_desc(v.err)->name);
	assert_int_equal(v.action, BGP_ACT_OK);
	pe_run(p);
}

/* Attributes the next update() sends instead of the defaults (test_attrs). */
static struct {
	uint8_t origin;
	uint8_t aspath[16]; /* AS_PATH value as sent (4-octet ASes) */
	uint8_t aspath_len;
} xattr;

/* iBGP attributes from the RR: ORIGIN IGP, empty AS_PATH, LOCAL_PREF 100
 * (or what xattr says), the MP attribute (built by mp()), then the RTs. */
static size_t update(uint8_t *buf, bool withdraw, uint16_t afi, uint8_t safi, const char *nh,
		     const struct bgp_nlri *n, const char *rt)
{
	struct wbuf w;
	size_t hdr, alen, mp;
	uint8_t origin = xattr.origin, lp[4] = {0, 0, 0, 100};

	wbuf_init(&w, buf, MAXMSG);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	alen = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	if (withdraw) {
		mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI);
		wbuf_u16(&w, afi);
		wbuf_u8(&w, safi);
		bgp_nlri_encode(&w, n, false, true);
		bgp_attr_end(&w, mp);
	} else {
		bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, &origin, 1);
		bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH,
			     xattr.aspath_len ? xattr.aspath : NULL, xattr.aspath_len);
		bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF, lp, 4);
		mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
		wbuf_u16(&w, afi);
		wbuf_u8(&w, safi);
		if (nh) { /* RFC 4364 s4.3.2: RD 0 then the IPv4 address */
			struct ipaddr a = h_ip(nh);

			wbuf_u8(&w, 12);
			wbuf_zero(&w, 8);
			wbuf_bytes(&w, a.b, 4);
		} else { /* RFC 8955 s4: no next hop */
			wbuf_u8(&w, 0);
		}
		wbuf_u8(&w, 0);
		bgp_nlri_encode(&w, n, false, false);
		bgp_attr_end(&w, mp);
		if (rt) {
			struct ecomm e = h_rt(rt);

			bgp_attr_put(&w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE,
				     BGP_ATTR_EXT_COMMUNITIES, e.b, 8);
		}
	}
	wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
	bgp_hdr_end(&w, hdr);
	assert_true(wbuf_ok(&w));
	return wbuf_len(&w);
}

static void vpn4(struct pe *p, const char *rd, const char *prefix, uint32_t label, const char *rt,
		 const char *nh)
{
	uint8_t buf[MAXMSG];
	struct bgp_nlri n;
	size_t len;

	memset(&n, 0, sizeof(n));
	n.fam = BGP_FAM_VPNV4;
	n.rd = h_rd(rd);
	n.pfx = h_pfx(prefix);
	n.labels.n = 1;
	n.labels.e[0] = label_entry(label, true);
	len = update(buf, false, BGP_AFI_IPV4, BGP_SAFI_VPN, nh, &n, rt);
	feed(p, buf, len);
}

static void vpnflow(struct pe *p, bool withdraw, bool v6, const char *rt)
{
	uint8_t buf[MAXMSG];
	struct bgp_nlri n;
	size_t len;

	memset(&n, 0, sizeof(n));
	n.fam = v6 ? BGP_FAM_VPNFLOW6 : BGP_FAM_VPNFLOW4;
	n.rd = h_rd("198.18.0.4:1");
	if (v6)
		rbuf_init(&n.flow, FLOW6, sizeof(FLOW6));
	else
		rbuf_init(&n.flow, FLOW4, sizeof(FLOW4));
	len = update(buf, withdraw, v6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4, BGP_SAFI_VPN_FLOWSPEC, NULL,
		     &n, rt);
	feed(p, buf, len);
}

/* The FIB flows of a VRF in the recorded (backend) state. */
static unsigned flows_in(const struct pe *p, vrf_id vrf, const struct fib_flow **last)
{
	const struct fib_store *s = fib_record_state(p->h->rec);
	const struct fib_store_flow *f;
	size_t i = 0;
	unsigned n = 0;

	while ((f = htab_next(&s->flows, &i)) != NULL)
		if (f->vrf == vrf) {
			n++;
			*last = &f->flow;
		}
	return n;
}

static const struct fib_nh *flow_nh(const struct pe *p, const struct fib_flow *f)
{
	return fib_store_nh(fib_record_state(p->h->rec), f->nh);
}

struct world {
	struct h_net *net;
	struct pe pe1, spea;
};

static void world_build(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->net = calloc(1, sizeof(*w->net));
	assert_non_null(w->net);
	w->pe1.h = h_pe_add(w->net, "PE-1", "198.18.0.1");
	w->spea.h = h_pe_add(w->net, "S-PE-A", "198.18.0.2");
	/* s4.1.2: the ingress zone VRF imports the service-topology RTs; zone
	 * 2 (65000:2) is imported too, so a zone-2 route without a
	 * service-topology RT is reached directly (s2) */
	h_vrf(w->pe1.h, ZONE1, "zone1", "198.18.0.1:1",
	      "65000:1 65000:2 65000:100 65000:101 65000:121", "65000:1", NULL);
	h_vrf(w->spea.h, IN_A, "serv-a-in", "198.18.0.2:1", NULL, "65000:100", NULL);
	/* the out-VRF imports T's RT, not TF's (s4.1.5 "a distinct
	 * Service-topology-RT", used only on the ingress zone PE) */
	h_vrf(w->spea.h, OUT_A, "serv-a-out", "198.18.0.2:2", "65000:100 65000:101", NULL, NULL);
	h_node(w->spea.h, IF_SA, IN_A, OUT_A, "198.51.100.1", NULL, false);
	for (unsigned i = 0; i < 2; i++) {
		h_topo(&w->net->pe[i], "T", "65000:101", 100, HOPS, 2);
		h_topo(&w->net->pe[i], "TF", "65000:121", 100, HOPS, 2);
	}
	h_commit(w->pe1.h);
	h_commit(w->spea.h);
	pe_rde(&w->pe1, "198.18.0.1");
	pe_rde(&w->spea, "198.18.0.2");
	/* what the RR reflects (not a PE's own routes back to it) */
	vpn4(&w->pe1, "198.18.0.2:1", "198.51.100.1/32", 1001, "65000:100", "198.18.0.2");
	for (unsigned i = 0; i < 2; i++) {
		struct pe *p = i ? &w->spea : &w->pe1;

		vpn4(p, "198.18.0.3:1", "198.51.100.2/32", 3001, "65000:100", "198.18.0.3");
		vpn4(p, "198.18.0.4:1", "203.0.113.70/32", 2001, "65000:2", "198.18.0.4");
	}
}

static void world_free(struct world *w)
{
	rde_free(w->pe1.rde);
	rde_free(w->spea.rde);
	h_free(w->net);
}

/* s4.1.5: "a flow-spec route that is advertised with the appropriate
 * Service-topology-RT attached, so that the importing PEs resolve it using
 * the service chain tuple ... and install the flow-spec route with the
 * appropriate next-hop". */
static void test_flow_steered(void **state)
{
	struct world w;
	const struct fib_flow *f = NULL;

	(void)state;
	world_build(&w);
	/* s2: the zone route has no service-topology RT: straight to PE-2
	 * with PE-2's label */
	h_is_tunnel(h_route(w.pe1.h, ZONE1, "203.0.113.70/32"), "198.18.0.4", 2001);
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 0);

	vpnflow(&w.pe1, false, false, "65000:101");
	vpnflow(&w.spea, false, false, "65000:101");
	/* PE-1, ingress: the first service node, Serv-A, resolved in the VRF
	 * to S-PE-A with the label S-PE-A advertised for it (s4.1.3 1-3) */
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 1);
	assert_int_equal(f->afi, AFI_IPV4);
	assert_int_equal(f->nlri_len, sizeof(FLOW4));
	assert_memory_equal(f->nlri, FLOW4, sizeof(FLOW4));
	h_is_tunnel(flow_nh(&w.pe1, f), "198.18.0.2", 1001);
	/* the same shared object as T's prefixes (s4.1.3 indirection) */
	{
		enum svc_pend pend;

		assert_int_equal(f->nh, svc_chain_nh(w.pe1.h->svc, ZONE1, "T", AFI_IPV4, &pend));
	}
	/* the other traffic to VM-2 still goes direct */
	h_is_tunnel(h_route(w.pe1.h, ZONE1, "203.0.113.70/32"), "198.18.0.4", 2001);
	/* S-PE-A's out-VRF: the next node, Serv-B at 198.18.0.3, label 3001 */
	assert_int_equal(flows_in(&w.spea, OUT_A, &f), 1);
	h_is_tunnel(flow_nh(&w.spea, f), "198.18.0.3", 3001);
	assert_int_equal(flows_in(&w.spea, IN_A, &f), 0);

	/* withdrawn: gone from both FIBs */
	vpnflow(&w.pe1, true, false, NULL);
	vpnflow(&w.spea, true, false, NULL);
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 0);
	assert_int_equal(flows_in(&w.spea, OUT_A, &f), 0);
	world_free(&w);
}

/* s4.1.5: "the flow-spec route may be installed only in the ingress
 * zone-PE VRF using a distinct Service-topology-RT". */
static void test_flow_distinct_rt(void **state)
{
	struct world w;
	const struct fib_flow *f = NULL;

	(void)state;
	world_build(&w);
	vpnflow(&w.pe1, false, false, "65000:121");
	vpnflow(&w.spea, false, false, "65000:121");
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 1);
	h_is_tunnel(flow_nh(&w.pe1, f), "198.18.0.2", 1001);
	assert_int_equal(flows_in(&w.spea, OUT_A, &f), 0);
	assert_int_equal(flows_in(&w.spea, IN_A, &f), 0);

	/* the route changes to T's RT (an UPDATE replaces it): now also at
	 * S-PE-A; then back to TF: S-PE-A's rule goes */
	vpnflow(&w.spea, false, false, "65000:101");
	assert_int_equal(flows_in(&w.spea, OUT_A, &f), 1);
	vpnflow(&w.spea, false, false, "65000:121");
	assert_int_equal(flows_in(&w.spea, OUT_A, &f), 0);

	vpnflow(&w.pe1, true, false, NULL);
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 0);
	world_free(&w);
}

/* An ipv6-vpn-flowspec route (RFC 8956) reaches svc as an IPv6 flow.  T's
 * hops have no IPv6 address, so its chain cannot be resolved for IPv6 and
 * the flow points at the chain's drop object: a stateful service is never
 * bypassed (svc.h). */
static void test_flow_ipv6(void **state)
{
	struct world w;
	const struct fib_flow *f = NULL;
	const struct fib_nh *nh;

	(void)state;
	world_build(&w);
	vpnflow(&w.pe1, false, true, "65000:101");
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 1);
	assert_int_equal(f->afi, AFI_IPV6);
	assert_int_equal(f->nlri_len, sizeof(FLOW6));
	assert_memory_equal(f->nlri, FLOW6, sizeof(FLOW6));
	nh = flow_nh(&w.pe1, f);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_DROP);
	vpnflow(&w.pe1, true, true, NULL);
	assert_int_equal(flows_in(&w.pe1, ZONE1, &f), 0);
	world_free(&w);
}

/* show fib: the flow rule under its VRF with its topology, state and the
 * chain's next hop (docs/ctl-json.md). */
static void test_flow_show(void **state)
{
	struct world w;
	struct json_object *o, *v, *fl, *nh, *x;

	(void)state;
	world_build(&w);
	vpnflow(&w.pe1, false, false, "65000:101");
	o = svc_show_fib(w.pe1.h->svc, "zone1");
	v = json_object_array_get_idx(json_object_object_get(o, "vrfs"), 0);
	assert_non_null(v);
	assert_int_equal(json_object_array_length(json_object_object_get(v, "flows")), 1);
	fl = json_object_array_get_idx(json_object_object_get(v, "flows"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(fl, "rd")),
			    "198.18.0.4:1");
	assert_string_equal(json_object_get_string(json_object_object_get(fl, "nlri")),
			    "0120cb0071460381060581"
			    "50");
	assert_string_equal(json_object_get_string(json_object_object_get(fl, "topology")), "T");
	assert_string_equal(json_object_get_string(json_object_object_get(fl, "state")),
			    "installed");
	nh = json_object_object_get(fl, "nexthop");
	assert_string_equal(json_object_get_string(json_object_object_get(nh, "pe")), "198.18.0.2");
	x = json_object_array_get_idx(json_object_object_get(nh, "labels"), 0);
	assert_int_equal(json_object_get_int(x), 1001);
	json_object_put(o);
	world_free(&w);
}

/* A flow longer than a FIB flow holds is refused with a reason, and the
 * daemon goes on. */
static void test_flow_too_long(void **state)
{
	struct world w;
	uint8_t big[FIB_FLOW_MAX + 1];
	struct rde_best b;
	char err[128] = "";

	(void)state;
	world_build(&w);
	memset(&b, 0, sizeof(b));
	memset(big, 0, sizeof(big));
	b.fam = BGP_FAM_VPNFLOW4;
	b.rd = h_rd("198.18.0.4:1");
	b.flow = big;
	b.flow_len = sizeof(big);
	assert_int_equal(vtopod_feed_best(w.pe1.h->svc, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "256 bytes"));
	b.withdraw = true;
	assert_int_equal(vtopod_feed_best(w.pe1.h->svc, &b, err, sizeof(err)), -1);
	world_free(&w);
}

/* draft s5.2 through the RDE: Serv-B from a second service-PE (RD
 * 198.18.0.8:1) joins the ECMP set in zone1 only when RFC 4271 s9.1.2.2
 * leaves it next to the RR's path: not with a longer AS_PATH (a), not with
 * ORIGIN INCOMPLETE (b), yes with the same attributes. */
static void test_attrs(void **state)
{
	/* AS_SEQUENCE (2) of one AS, 65010 */
	static const uint8_t seq[] = {2, 1, 0, 0, 0xfd, 0xf2};
	struct world w;
	const struct fib_nh *nh;
	const char *sb = "198.51.100.2/32";

	(void)state;
	world_build(&w);
	h_is_tunnel(h_route(w.pe1.h, ZONE1, sb), "198.18.0.3", 3001);
	memcpy(xattr.aspath, seq, sizeof(seq));
	xattr.aspath_len = sizeof(seq);
	vpn4(&w.pe1, "198.18.0.8:1", sb, 8001, "65000:100", "198.18.0.8");
	h_is_tunnel(h_route(w.pe1.h, ZONE1, sb), "198.18.0.3", 3001);
	xattr.aspath_len = 0;
	xattr.origin = 2;
	vpn4(&w.pe1, "198.18.0.8:1", sb, 8001, "65000:100", "198.18.0.8");
	h_is_tunnel(h_route(w.pe1.h, ZONE1, sb), "198.18.0.3", 3001);
	xattr.origin = 0;
	vpn4(&w.pe1, "198.18.0.8:1", sb, 8001, "65000:100", "198.18.0.8");
	nh = h_route(w.pe1.h, ZONE1, sb);
	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_ECMP);
	assert_int_equal(nh->n_members, 2);
	/* the RR's path with the longer AS_PATH now: the other one alone */
	xattr.aspath_len = sizeof(seq);
	vpn4(&w.pe1, "198.18.0.3:1", sb, 3001, "65000:100", "198.18.0.3");
	xattr.aspath_len = 0;
	h_is_tunnel(h_route(w.pe1.h, ZONE1, sb), "198.18.0.8", 8001);
	world_free(&w);
}

/* The import filter as vtopod sets it: svc's import targets; returns the
 * ones new to it in added. */
static void filter_set(struct pe *p, struct feed_rts *added)
{
	struct ecomm rts[64];
	size_t n = svc_import_rts(p->h->svc, rts, 64);

	assert_int_equal(feed_rts_set(&p->want, rts, n, added, NULL), 0);
	p->filtered = true;
}

static void test_rts_set(void **state)
{
	struct feed_rts f = {0}, added = {0};
	struct ecomm in[4] = {h_rt("65000:2"), h_rt("65000:1"), h_rt("65000:2"), h_rt("65000:3")};
	struct rde_best b;
	size_t removed;

	(void)state;
	assert_int_equal(feed_rts_set(&f, in, 2, &added, &removed), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(added.n, 2);
	assert_int_equal(removed, 0);
	feed_rts_free(&added);
	/* 65000:3 is new, 65000:2 and 65000:1 are not */
	assert_int_equal(feed_rts_set(&f, in, 4, &added, &removed), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(added.n, 1);
	assert_int_equal(removed, 0);
	assert_int_equal(ecomm_cmp(&added.rt[0], &in[3]), 0);
	feed_rts_free(&added);
	/* only 65000:3 left: two gone */
	assert_int_equal(feed_rts_set(&f, &in[3], 1, NULL, &removed), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(feed_rts_set(&f, in, 4, NULL, NULL), 0);
	memset(&b, 0, sizeof(b));
	b.ecomms = &in[3];
	b.n_ecomms = 1;
	assert_true(feed_rts_wants(&f, &b));
	b.ecomms = &(struct ecomm){0};
	assert_false(feed_rts_wants(&f, &b));
	b.n_ecomms = 0;
	assert_false(feed_rts_wants(&f, &b));
	b.withdraw = true;
	assert_true(feed_rts_wants(&f, &b));
	feed_rts_free(&added);
	feed_rts_free(&f);
}

/* RFC 4364 s4.3.3: a PE keeps the VPN routes its VRFs import.  A route
 * whose targets no VRF imports costs svc nothing; a VRF that starts
 * importing its target gets it from the refeed; when the route stops
 * carrying an imported target it leaves the VRF. */
static void test_import_filter(void **state)
{
	struct world w;
	struct feed_rts added = {0};
	const char *p9 = "203.0.113.9/32";
	size_t before, k;

	(void)state;
	world_build(&w);
	filter_set(&w.pe1, NULL);
	before = svc_bytes(w.pe1.h->svc);
	vpn4(&w.pe1, "198.18.0.9:1", p9, 9001, "65000:9", "198.18.0.9");
	assert_int_equal(svc_bytes(w.pe1.h->svc), before);
	/* a VRF importing 65000:9 is configured: the route is not there
	 * until the refeed brings it */
	h_vrf(w.pe1.h, ZONE9, "zone9", "198.18.0.1:9", "65000:9", "65000:9", NULL);
	h_commit(w.pe1.h);
	assert_null(h_route(w.pe1.h, ZONE9, p9));
	filter_set(&w.pe1, &added);
	assert_int_equal(added.n, 1);
	w.pe1.refeed = &added;
	k = rde_best_refeed(w.pe1.rde);
	w.pe1.refeed = NULL;
	/* Serv-A, Serv-B, VM-2 and this one */
	assert_int_equal(k, 4);
	h_commit(w.pe1.h);
	assert_int_equal(w.pe1.failed, 0);
	h_is_tunnel(h_route(w.pe1.h, ZONE9, p9), "198.18.0.9", 9001);
	/* the routes of the old targets were passed over, not fed twice:
	 * zone 1's are as they were */
	h_is_tunnel(h_route(w.pe1.h, ZONE1, "203.0.113.70/32"), "198.18.0.4", 2001);
	/* now it carries only a target nobody imports: a withdrawal for svc */
	vpn4(&w.pe1, "198.18.0.9:1", p9, 9001, "65000:8", "198.18.0.9");
	assert_null(h_route(w.pe1.h, ZONE9, p9));
	assert_int_equal(svc_vpn_prune(w.pe1.h->svc), 0);
	/* back with 65000:9, then its VRF goes: svc forgets it (and only it:
	 * zone 1 imports the others) */
	vpn4(&w.pe1, "198.18.0.9:1", p9, 9001, "65000:9", "198.18.0.9");
	h_is_tunnel(h_route(w.pe1.h, ZONE9, p9), "198.18.0.9", 9001);
	assert_int_equal(svc_vrf_del(w.pe1.h->svc, ZONE9), 0);
	assert_int_equal(svc_vpn_prune(w.pe1.h->svc), 1);
	assert_int_equal(svc_vpn_prune(w.pe1.h->svc), 0);
	h_commit(w.pe1.h);
	h_is_tunnel(h_route(w.pe1.h, ZONE1, "203.0.113.70/32"), "198.18.0.4", 2001);
	feed_rts_free(&added);
	feed_rts_free(&w.pe1.want);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flow_steered),  cmocka_unit_test(test_flow_distinct_rt),
	    cmocka_unit_test(test_flow_ipv6),	  cmocka_unit_test(test_flow_show),
	    cmocka_unit_test(test_flow_too_long), cmocka_unit_test(test_attrs),
	    cmocka_unit_test(test_rts_set),	  cmocka_unit_test(test_import_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
