/*
 * Unit tests for the route decision engine (rde): hand-built UPDATEs from
 * fake peers go through rde_update() and rde_work(); the messages the
 * send callback captures are decoded with bgp_update_decode() and checked
 * against the RFCs: route reflection (RFC 4456), eBGP rules (RFC 4271
 * s5.1), packing, withdrawals, End-of-RIB (RFC 4724), treat-as-withdraw
 * (RFC 7606), max-prefix (RFC 4486), RT-Constraint (RFC 4684) and output
 * backpressure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/ecomm.h"
#include "lib/rd.h"
#include "lib/wbuf.h"
#include "rde/rde.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

#define LOCAL_AS 65000
#define ROUTER_ID 0xc6336401u  /* 198.51.100.1 */
#define CLUSTER_ID 0xc6336464u /* 198.51.100.100 */
#define MAXPEERS 16
#define MAXMSG 4096

/* ---- capture ---- */

struct cap {
	size_t n, cap;
	uint8_t **msg;
	size_t *len;
};

struct world {
	struct rde *rde;
	struct cap out[MAXPEERS];
	size_t room[MAXPEERS];
	struct bgp_sess_params sp[MAXPEERS];
};

static void cb_send(void *ctx, rde_peer_id peer, const uint8_t *msg, size_t len)
{
	struct world *w = ctx;
	struct cap *c = &w->out[peer];

	assert_true(peer < MAXPEERS);
	assert_true(w->room[peer] >= len); /* never more than the room */
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->msg = realloc(c->msg, c->cap * sizeof(*c->msg));
		c->len = realloc(c->len, c->cap * sizeof(*c->len));
	}
	c->msg[c->n] = malloc(len);
	memcpy(c->msg[c->n], msg, len);
	c->len[c->n++] = len;
}

static size_t cb_room(void *ctx, rde_peer_id peer)
{
	return ((struct world *)ctx)->room[peer];
}

static void cap_clear(struct cap *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->msg[i]);
	c->n = 0;
}

static void run(struct world *w)
{
	for (int i = 0; i < 10000 && rde_work(w->rde, 64); i++)
		;
	assert_false(rde_work(w->rde, 64));
}

/* ---- what a peer received ---- */

struct seen {
	unsigned updates, announced, withdrawn, eor;
	unsigned vpn4_announced; /* of announced, those in VPN-IPv4 */
	uint32_t eor_fams;
	unsigned max_per_update;
	struct bgp_update last; /* last announcing UPDATE (views into the capture) */
	bool have_last;
	struct bgp_nlri last_nlri;
};

static void nlri_count(struct rbuf f, enum bgp_fam fam, bool wd, unsigned *n, struct bgp_nlri *last)
{
	struct bgp_verdict v;

	bgp_verdict_init(&v);
	while (!rbuf_empty(&f)) {
		assert_true(bgp_nlri_decode(&f, fam, false, wd, last, &v, BGP_E_UPD_NLRI));
		(*n)++;
	}
}

static void seen_of(struct world *w, rde_peer_id id, struct seen *s)
{
	struct cap *c = &w->out[id];

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < c->n; i++) {
		struct rbuf st, msg, body;
		struct bgp_verdict v;
		struct bgp_update u;
		uint8_t type;
		unsigned a = 0, d = 0;

		rbuf_init(&st, c->msg[i], c->len[i]);
		bgp_verdict_init(&v);
		assert_int_equal(bgp_hdr_split(&st, MAXMSG, &type, &msg, &body, &v), 1);
		assert_true(rbuf_empty(&st));
		assert_int_equal(type, BGP_MSG_UPDATE);
		assert_true(bgp_update_decode(&body, &w->sp[id], &u, &v));
		assert_int_equal(v.action, BGP_ACT_OK);
		s->updates++;
		if (u.eor != BGP_FAM_NONE) {
			s->eor++;
			s->eor_fams |= bgp_fam_bit(u.eor);
			continue;
		}
		nlri_count(u.withdrawn, BGP_FAM_IPV4_UNICAST, true, &d, &s->last_nlri);
		if (u.a.mpu_nlri.base)
			nlri_count(u.a.mpu_nlri, u.a.mpu_fam, true, &d, &s->last_nlri);
		nlri_count(u.nlri, BGP_FAM_IPV4_UNICAST, false, &a, &s->last_nlri);
		if (u.a.mp_nlri.base) {
			unsigned mp = 0;

			nlri_count(u.a.mp_nlri, u.a.mp_fam, false, &mp, &s->last_nlri);
			a += mp;
			if (u.a.mp_fam == BGP_FAM_VPNV4)
				s->vpn4_announced += mp;
		}
		if (a) {
			s->last = u;
			s->have_last = true;
		}
		s->announced += a;
		s->withdrawn += d;
		if (a + d > s->max_per_update)
			s->max_per_update = a + d;
	}
}

/* ---- building input ---- */

struct spec {
	uint8_t origin;
	const uint32_t *as_path;
	unsigned as_path_n;
	bool has_lp, has_med, has_orig;
	uint32_t lp, med, originator;
	const uint32_t *clusters;
	unsigned n_clusters;
	const char *rts[4];
	uint32_t nh; /* host order */
};

static void put_u32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void put_attrs_pre(struct wbuf *w, const struct spec *s)
{
	uint8_t buf[512];
	size_t n = 0;

	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, &s->origin, 1);
	if (s->as_path_n) {
		buf[n++] = BGP_AS_SEQUENCE;
		buf[n++] = (uint8_t)s->as_path_n;
		for (unsigned i = 0; i < s->as_path_n; i++, n += 4)
			put_u32(buf + n, s->as_path[i]);
	}
	bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, buf, n);
}

static void put_attrs_mid(struct wbuf *w, const struct spec *s)
{
	uint8_t b[64];

	if (s->has_med) {
		put_u32(b, s->med);
		bgp_attr_put(w, BGP_AF_OPTIONAL, BGP_ATTR_MED, b, 4);
	}
	if (s->has_lp) {
		put_u32(b, s->lp);
		bgp_attr_put(w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF, b, 4);
	}
	if (s->has_orig) {
		put_u32(b, s->originator);
		bgp_attr_put(w, BGP_AF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, b, 4);
	}
	if (s->n_clusters) {
		for (unsigned i = 0; i < s->n_clusters; i++)
			put_u32(b + 4 * i, s->clusters[i]);
		bgp_attr_put(w, BGP_AF_OPTIONAL, BGP_ATTR_CLUSTER_LIST, b, 4 * s->n_clusters);
	}
}

static void put_attrs_post(struct wbuf *w, const struct spec *s)
{
	uint8_t b[32];
	unsigned n = 0;

	for (; n < 4 && s->rts[n]; n++) {
		struct ecomm e;

		assert_int_equal(ecomm_parse(s->rts[n], &e), 0);
		memcpy(b + 8 * n, e.b, 8);
	}
	if (n)
		bgp_attr_put(w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, BGP_ATTR_EXT_COMMUNITIES, b,
			     8 * n);
}

/* VPN-IPv4 prefix k: RD 65000:1, 198.18.k/32, label 16 + k. */
static void vpn_nlri(struct bgp_nlri *n, uint32_t k)
{
	memset(n, 0, sizeof(*n));
	n->fam = BGP_FAM_VPNV4;
	n->pfx.afi = 1;
	n->pfx.len = 32;
	n->pfx.b[0] = 198;
	n->pfx.b[1] = (uint8_t)(18 + (k >> 16));
	n->pfx.b[2] = (uint8_t)(k >> 8);
	n->pfx.b[3] = (uint8_t)k;
	n->labels.n = 1;
	n->labels.e[0] = label_entry(16 + k, true);
	assert_int_equal(rd_parse("65000:1", &n->rd), 0);
}

/* One UPDATE announcing VPN prefixes [first, first + count); returns the
 * number that fit. */
static unsigned vpn_update(uint8_t *buf, size_t *len, const struct spec *s, uint32_t first,
			   unsigned count)
{
	struct wbuf w;
	struct bgp_nlri n;
	size_t hdr, alen, mp;
	unsigned i;

	wbuf_init(&w, buf, MAXMSG);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	alen = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	put_attrs_pre(&w, s);
	put_attrs_mid(&w, s);
	mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
	wbuf_u16(&w, BGP_AFI_IPV4);
	wbuf_u8(&w, BGP_SAFI_VPN);
	wbuf_u8(&w, 12);
	wbuf_zero(&w, 8);
	wbuf_u32(&w, s->nh);
	wbuf_u8(&w, 0);
	for (i = 0; i < count; i++) {
		size_t before = wbuf_mark(&w);

		vpn_nlri(&n, first + i);
		bgp_nlri_encode(&w, &n, false, false);
		if (!wbuf_ok(&w) || wbuf_room(&w) < 64) {
			wbuf_truncate(&w, before);
			break;
		}
	}
	bgp_attr_end(&w, mp);
	put_attrs_post(&w, s);
	wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
	bgp_hdr_end(&w, hdr);
	assert_true(wbuf_ok(&w));
	*len = wbuf_len(&w);
	return i;
}

static void vpn_withdraw(uint8_t *buf, size_t *len, uint32_t first, unsigned count)
{
	struct wbuf w;
	struct bgp_nlri n;
	size_t hdr, alen, mp;

	wbuf_init(&w, buf, MAXMSG);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	alen = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI);
	wbuf_u16(&w, BGP_AFI_IPV4);
	wbuf_u8(&w, BGP_SAFI_VPN);
	for (unsigned i = 0; i < count; i++) {
		vpn_nlri(&n, first + i);
		n.labels.n = 0;
		bgp_nlri_encode(&w, &n, false, true);
	}
	bgp_attr_end(&w, mp);
	wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
	bgp_hdr_end(&w, hdr);
	assert_true(wbuf_ok(&w));
	*len = wbuf_len(&w);
}

/* RTC UPDATE (RFC 4684 s4): announce or withdraw one membership NLRI;
 * rt NULL = the default (length 0). */
static void rtc_update(uint8_t *buf, size_t *len, const char *rt, bool withdraw)
{
	struct wbuf w;
	struct bgp_nlri n;
	struct spec s = {.has_lp = true, .lp = 100, .nh = 0xc0000209};
	size_t hdr, alen, mp;

	memset(&n, 0, sizeof(n));
	n.fam = BGP_FAM_RTC;
	if (rt) {
		n.rtc_len = 96;
		n.rtc_origin_as = LOCAL_AS;
		assert_int_equal(ecomm_parse(rt, &n.rtc_rt), 0);
	}
	wbuf_init(&w, buf, MAXMSG);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	alen = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	if (withdraw) {
		mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI);
		wbuf_u16(&w, BGP_AFI_IPV4);
		wbuf_u8(&w, BGP_SAFI_RTC);
	} else {
		put_attrs_pre(&w, &s);
		put_attrs_mid(&w, &s);
		mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH_NLRI);
		wbuf_u16(&w, BGP_AFI_IPV4);
		wbuf_u8(&w, BGP_SAFI_RTC);
		wbuf_u8(&w, 4);
		wbuf_u32(&w, s.nh);
		wbuf_u8(&w, 0);
	}
	bgp_nlri_encode(&w, &n, false, withdraw);
	bgp_attr_end(&w, mp);
	wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
	bgp_hdr_end(&w, hdr);
	assert_true(wbuf_ok(&w));
	*len = wbuf_len(&w);
}

static void eor_update(uint8_t *buf, size_t *len, enum bgp_fam f)
{
	struct wbuf w;
	size_t hdr;

	wbuf_init(&w, buf, MAXMSG);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	wbuf_u16(&w, 6);
	wbuf_u8(&w, BGP_AF_OPTIONAL);
	wbuf_u8(&w, BGP_ATTR_MP_UNREACH_NLRI);
	wbuf_u8(&w, 3);
	wbuf_u16(&w, bgp_fam_table[f].afi);
	wbuf_u8(&w, bgp_fam_table[f].safi);
	bgp_hdr_end(&w, hdr);
	*len = wbuf_len(&w);
}

static void feed(struct world *w, rde_peer_id id, const uint8_t *buf, size_t len,
		 struct bgp_verdict *v)
{
	struct rbuf st, msg, body;
	uint8_t type;

	rbuf_init(&st, buf, len);
	bgp_verdict_init(v);
	assert_int_equal(bgp_hdr_split(&st, MAXMSG, &type, &msg, &body, v), 1);
	rde_update(w->rde, id, &body, v);
}

static void feed_ok(struct world *w, rde_peer_id id, const uint8_t *buf, size_t len)
{
	struct bgp_verdict v;

	feed(w, id, buf, len, &v);
	assert_int_equal(v.action, BGP_ACT_OK);
}

/* ---- the topology ---- */

enum { C1 = 1, C2, N1, N2, E1, R1, R2 };

struct peer_def {
	const char *addr;
	uint32_t as;
	bool client, rtc;
	uint32_t bgp_id;
};

static const struct peer_def defs[] = {
    [C1] = {"192.0.2.1", LOCAL_AS, true, false, 0xc0000201},
    [C2] = {"192.0.2.2", LOCAL_AS, true, false, 0xc0000202},
    [N1] = {"192.0.2.3", LOCAL_AS, false, false, 0xc0000203},
    [N2] = {"192.0.2.4", LOCAL_AS, false, false, 0xc0000204},
    [E1] = {"192.0.2.5", 65001, false, false, 0xc0000205},
    [R1] = {"192.0.2.6", LOCAL_AS, true, true, 0xc0000206},
    [R2] = {"192.0.2.7", LOCAL_AS, true, true, 0xc0000207},
};

static struct world *world_new(unsigned npeers, uint32_t max_vpn)
{
	struct world *w = calloc(1, sizeof(*w));
	struct rde_config cfg = {
	    .local_as = LOCAL_AS, .router_id = ROUTER_ID, .cluster_id = CLUSTER_ID};

	w->rde = rde_new(&cfg, cb_send, cb_room, w);
	assert_non_null(w->rde);
	for (unsigned i = 1; i <= npeers; i++) {
		struct rde_peer_config pc;
		struct ipaddr local;

		memset(&pc, 0, sizeof(pc));
		assert_int_equal(ipaddr_parse(defs[i].addr, &pc.address), 0);
		pc.remote_as = defs[i].as;
		pc.rr_client = defs[i].client;
		pc.name = defs[i].addr;
		pc.families = bgp_fam_bit(BGP_FAM_IPV4_UNICAST) | bgp_fam_bit(BGP_FAM_VPNV4) |
			      (defs[i].rtc ? bgp_fam_bit(BGP_FAM_RTC) : 0);
		pc.max_prefixes[BGP_FAM_VPNV4] = max_vpn;
		assert_int_equal(rde_peer_add(w->rde, &pc), i);
		bgp_sess_params_default(&w->sp[i]);
		w->sp[i].ibgp = defs[i].as == LOCAL_AS;
		w->sp[i].fams = pc.families;
		/* the RTC peers negotiated graceful restart: they may be
		 * waited for (RFC 4684 s6); test_rtc_no_gr covers the rest */
		w->sp[i].gr = defs[i].rtc;
		w->room[i] = 1 << 20;
		ipaddr_from_v4(&local, ROUTER_ID);
		rde_peer_up(w->rde, (rde_peer_id)i, &w->sp[i], defs[i].bgp_id, &local);
	}
	run(w);
	for (unsigned i = 1; i < MAXPEERS; i++)
		cap_clear(&w->out[i]);
	return w;
}

static void world_free(struct world *w)
{
	rde_free(w->rde);
	for (int i = 0; i < MAXPEERS; i++) {
		cap_clear(&w->out[i]);
		free(w->out[i].msg);
		free(w->out[i].len);
	}
	free(w);
}

static void clear_all(struct world *w)
{
	for (int i = 0; i < MAXPEERS; i++)
		cap_clear(&w->out[i]);
}

static const struct spec ibgp_spec = {
    .has_lp = true, .lp = 100, .nh = 0xc6120001, .rts = {"target:65000:1"}};

static unsigned announced_to(struct world *w, rde_peer_id id)
{
	struct seen s;

	seen_of(w, id, &s);
	return s.announced;
}

/* ---- tests ---- */

static void test_reflection_matrix(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;

	/* RFC 4456 s6: from a client, to all clients and non-clients (not back) */
	vpn_update(buf, &len, &ibgp_spec, 0, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	assert_int_equal(announced_to(w, C1), 0);
	assert_int_equal(announced_to(w, C2), 1);
	assert_int_equal(announced_to(w, N1), 1);
	assert_int_equal(announced_to(w, N2), 1);
	assert_int_equal(announced_to(w, E1), 1);
	clear_all(w);
	/* from a non-client: to clients only (and eBGP), RFC 4456 s6 */
	vpn_update(buf, &len, &ibgp_spec, 1, 1);
	feed_ok(w, N1, buf, len);
	run(w);
	assert_int_equal(announced_to(w, C1), 1);
	assert_int_equal(announced_to(w, C2), 1);
	assert_int_equal(announced_to(w, N1), 0);
	assert_int_equal(announced_to(w, N2), 0);
	assert_int_equal(announced_to(w, E1), 1);
	world_free(w);
}

static bool cluster_list_is(const struct bgp_attrs *a, const uint32_t *ids, unsigned n)
{
	struct rbuf r = a->cluster_list;
	uint32_t v;

	for (unsigned i = 0; i < n; i++)
		if (!rbuf_u32(&r, &v) || v != ids[i])
			return false;
	return rbuf_empty(&r);
}

static void test_originator_cluster_list(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct spec sp = ibgp_spec;
	const uint32_t old[] = {0xc633640a};
	const uint32_t want1[] = {CLUSTER_ID};
	const uint32_t want2[] = {CLUSTER_ID, 0xc633640a};

	vpn_update(buf, &len, &sp, 0, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	seen_of(w, C2, &s);
	assert_true(s.have_last);
	/* RFC 4456 s8: ORIGINATOR_ID = the originator's BGP id, CLUSTER_LIST
	 * gets our CLUSTER_ID; next hop unchanged towards iBGP (RFC 4271
	 * s5.1.3) */
	assert_true(bgp_attrs_has(&s.last.a, BGP_ATTR_ORIGINATOR_ID));
	assert_int_equal(s.last.a.originator_id, defs[C1].bgp_id);
	assert_true(cluster_list_is(&s.last.a, want1, 1));
	assert_int_equal(ipaddr_v4(&s.last.a.mp_nh), 0xc6120001);
	assert_int_equal(s.last.a.local_pref, 100);
	assert_int_equal(label_value(s.last_nlri.labels.e[0]), 16); /* labels unchanged */
	clear_all(w);
	/* an existing ORIGINATOR_ID is kept, CLUSTER_LIST is prepended */
	sp.has_orig = true;
	sp.originator = 0xc0000263;
	sp.clusters = old;
	sp.n_clusters = 1;
	vpn_update(buf, &len, &sp, 1, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	seen_of(w, N1, &s);
	assert_int_equal(s.last.a.originator_id, 0xc0000263);
	assert_true(cluster_list_is(&s.last.a, want2, 2));
	world_free(w);
}

static void test_loops_dropped(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct spec sp = ibgp_spec;
	const uint32_t own_cluster[] = {0xc633640a, CLUSTER_ID};
	const uint32_t path_loop[] = {65001, LOCAL_AS};
	struct json_object *rib;

	/* RFC 4456 s8: our router id as ORIGINATOR_ID -> ignore */
	sp.has_orig = true;
	sp.originator = ROUTER_ID;
	vpn_update(buf, &len, &sp, 0, 1);
	feed_ok(w, C1, buf, len);
	/* RFC 4456 s8: our cluster id in CLUSTER_LIST -> ignore */
	sp.has_orig = false;
	sp.clusters = own_cluster;
	sp.n_clusters = 2;
	vpn_update(buf, &len, &sp, 1, 1);
	feed_ok(w, C1, buf, len);
	/* RFC 4271 s9.1.2: our AS in the AS_PATH from an eBGP peer */
	sp = (struct spec){
	    .as_path = path_loop, .as_path_n = 2, .nh = 0xc0000205, .rts = {"target:65000:1"}};
	vpn_update(buf, &len, &sp, 2, 1);
	feed_ok(w, E1, buf, len);
	run(w);
	for (int i = C1; i <= E1; i++)
		assert_int_equal(announced_to(w, (rde_peer_id)i), 0);
	rib = rde_show_rib(w->rde, BGP_FAM_VPNV4, NULL);
	assert_int_equal(json_object_array_length(json_object_object_get(rib, "routes")), 0);
	json_object_put(rib);
	world_free(w);
}

static void test_ebgp_rules(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct spec sp = ibgp_spec;
	const uint32_t ext_path[] = {65001, 65010};
	char text[128];

	sp.has_med = true;
	sp.med = 7;
	vpn_update(buf, &len, &sp, 0, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	seen_of(w, E1, &s);
	assert_true(s.have_last);
	/* RFC 4271 s5.1.2: our AS prepended; s5.1.5 no LOCAL_PREF; s5.1.4 MED
	 * not passed on; s5.1.3 next hop self; RFC 4456: no ORIGINATOR_ID /
	 * CLUSTER_LIST outside the AS */
	assert_string_equal(bgp_aspath_fmt(&s.last.a.as_path, true, text, sizeof(text)), "65000");
	assert_false(bgp_attrs_has(&s.last.a, BGP_ATTR_LOCAL_PREF));
	assert_false(bgp_attrs_has(&s.last.a, BGP_ATTR_MED));
	assert_false(bgp_attrs_has(&s.last.a, BGP_ATTR_ORIGINATOR_ID));
	assert_false(bgp_attrs_has(&s.last.a, BGP_ATTR_CLUSTER_LIST));
	assert_int_equal(ipaddr_v4(&s.last.a.mp_nh), ROUTER_ID);
	clear_all(w);
	/* from eBGP to iBGP: AS_PATH unchanged, LOCAL_PREF 100 added (s5.1.5),
	 * next hop unchanged (s5.1.3), no reflection attributes */
	sp = (struct spec){
	    .as_path = ext_path, .as_path_n = 2, .nh = 0xc0000205, .rts = {"target:65000:1"}};
	vpn_update(buf, &len, &sp, 5, 1);
	feed_ok(w, E1, buf, len);
	run(w);
	assert_int_equal(announced_to(w, E1), 0);
	seen_of(w, N2, &s);
	assert_true(s.have_last);
	assert_string_equal(bgp_aspath_fmt(&s.last.a.as_path, true, text, sizeof(text)),
			    "65001 65010");
	assert_int_equal(s.last.a.local_pref, 100);
	assert_int_equal(ipaddr_v4(&s.last.a.mp_nh), 0xc0000205);
	assert_false(bgp_attrs_has(&s.last.a, BGP_ATTR_ORIGINATOR_ID));
	world_free(w);
}

/*
 * Packing.  C1 -> C2 reflected, VPN-IPv4 /32 NLRI of 16 octets each
 * (length 1, label 3, RD 8, prefix 4; RFC 4364 s4.3.4, RFC 8277 s2).
 * Fixed part of each UPDATE (RFC 4271 s4.3): header 19, withdrawn length
 * 2, attribute length 2, ORIGIN 4, AS_PATH (empty) 3, LOCAL_PREF 7,
 * ORIGINATOR_ID 7, CLUSTER_LIST 7, EXT_COMMUNITIES 11, MP_REACH_NLRI with
 * extended length header 4 + AFI 2 + SAFI 1 + next hop length 1 + next
 * hop 12 + reserved 1 (RFC 4760 s3): 83.  (4096 - 83) / 16 = 250 per
 * message, so 1001 prefixes need ceil(1001 / 250) = 5 UPDATEs.
 * Withdrawals: 19 + 2 + 2 + MP_UNREACH 4 + 3 = 30, withdrawn NLRI 16
 * octets (label 0x800000, RFC 8277 s2.4): 254 per message, 4 UPDATEs.
 */
static void test_packing_and_withdrawals(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	unsigned sent = 0;

	while (sent < 1001) {
		sent += vpn_update(buf, &len, &ibgp_spec, sent, 1001 - sent);
		feed_ok(w, C1, buf, len);
	}
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.announced, 1001);
	assert_int_equal(s.updates, 5);
	assert_int_equal(s.max_per_update, 250);
	clear_all(w);
	for (unsigned k = 0; k < 1001; k += 200) {
		vpn_withdraw(buf, &len, k, k + 200 > 1001 ? 1001 - k : 200);
		feed_ok(w, C1, buf, len);
	}
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 1001);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.updates, 4);
	assert_int_equal(s.max_per_update, 254);
	world_free(w);
}

static void test_end_of_rib(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct ipaddr local;

	vpn_update(buf, &len, &ibgp_spec, 0, 3);
	feed_ok(w, C1, buf, len);
	run(w);
	rde_peer_down(w->rde, C2);
	run(w);
	clear_all(w);
	ipaddr_from_v4(&local, ROUTER_ID);
	rde_peer_up(w->rde, C2, &w->sp[C2], defs[C2].bgp_id, &local);
	run(w);
	seen_of(w, C2, &s);
	/* the initial dump, then one End-of-RIB per family (RFC 4724 s2) */
	assert_int_equal(s.announced, 3);
	assert_int_equal(s.eor, 2);
	assert_int_equal(s.eor_fams,
			 bgp_fam_bit(BGP_FAM_IPV4_UNICAST) | bgp_fam_bit(BGP_FAM_VPNV4));
	/* the End-of-RIB comes last */
	{
		struct rbuf st, msg, body;
		struct bgp_verdict v;
		struct bgp_update u;
		uint8_t type;
		struct cap *c = &w->out[C2];

		rbuf_init(&st, c->msg[c->n - 1], c->len[c->n - 1]);
		bgp_verdict_init(&v);
		assert_int_equal(bgp_hdr_split(&st, MAXMSG, &type, &msg, &body, &v), 1);
		assert_true(bgp_update_decode(&body, &w->sp[C2], &u, &v));
		assert_int_not_equal(u.eor, BGP_FAM_NONE);
	}
	/* C2 went down: its routes are gone and C1's route was never C2's */
	world_free(w);
}

static void test_treat_as_withdraw(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct spec sp = ibgp_spec;
	struct bgp_verdict v;

	vpn_update(buf, &len, &sp, 0, 2);
	feed_ok(w, C1, buf, len);
	run(w);
	clear_all(w);
	/* RFC 7606 s7.1: an undefined ORIGIN value -> treat-as-withdraw */
	sp.origin = 5;
	vpn_update(buf, &len, &sp, 0, 1);
	feed(w, C1, buf, len, &v);
	assert_int_equal(v.action, BGP_ACT_TREAT_AS_WITHDRAW);
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.last_nlri.pfx.b[3], 0);
	world_free(w);
}

static void test_max_prefix(void **state)
{
	(void)state;
	struct world *w = world_new(5, 10);
	uint8_t buf[MAXMSG], data[8];
	size_t len;
	struct bgp_verdict v;
	/* RFC 4486 s4: AFI 1, SAFI 128, upper bound 10 */
	const uint8_t want[7] = {0, 1, 128, 0, 0, 0, 10};

	vpn_update(buf, &len, &ibgp_spec, 0, 10);
	feed_ok(w, C1, buf, len);
	vpn_update(buf, &len, &ibgp_spec, 10, 1);
	feed(w, C1, buf, len, &v);
	assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(v.code, BGP_ERR_CEASE);
	assert_int_equal(v.subcode, 1);
	assert_int_equal(rde_cease_data(w->rde, C1, &v, data, sizeof(data)), 7);
	assert_memory_equal(data, want, 7);
	world_free(w);
}

/* RFC 4724 s2: a peer's initial routes are all in once its End-of-RIB
 * came for every negotiated family (R1: IPv4 unicast, VPN-IPv4, RTC);
 * the IPv4 unicast one is the empty UPDATE.  What a restarted vtopod
 * waits for before it resyncs vtopo-dp (RFC 4724 s4.1). */
static void test_eor_all(void **state)
{
	(void)state;
	struct world *w = world_new(7, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct wbuf wb;
	size_t hdr;

	assert_false(rde_peer_eor_all(w->rde, R1));
	eor_update(buf, &len, BGP_FAM_RTC);
	feed_ok(w, R1, buf, len);
	assert_false(rde_peer_eor_all(w->rde, R1));
	eor_update(buf, &len, BGP_FAM_VPNV4);
	feed_ok(w, R1, buf, len);
	assert_false(rde_peer_eor_all(w->rde, R1));
	wbuf_init(&wb, buf, MAXMSG);
	hdr = bgp_hdr_begin(&wb, BGP_MSG_UPDATE);
	wbuf_u16(&wb, 0); /* no withdrawn routes */
	wbuf_u16(&wb, 0); /* no attributes */
	bgp_hdr_end(&wb, hdr);
	feed_ok(w, R1, buf, wbuf_len(&wb));
	assert_true(rde_peer_eor_all(w->rde, R1));
	assert_false(rde_peer_eor_all(w->rde, R2)); /* R2 sent none */
	rde_peer_down(w->rde, R1);
	assert_false(rde_peer_eor_all(w->rde, R1));
	world_free(w);
}

static void test_rtc_filter(void **state)
{
	(void)state;
	struct world *w = world_new(7, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct spec sp1 = ibgp_spec, sp2 = ibgp_spec;
	struct json_object *j;

	sp2.rts[0] = "target:65000:2";
	vpn_update(buf, &len, &sp1, 0, 1); /* RT 65000:1 */
	feed_ok(w, C1, buf, len);
	vpn_update(buf, &len, &sp2, 1, 1); /* RT 65000:2 */
	feed_ok(w, C1, buf, len);
	run(w);
	/* RFC 4684 s6: nothing VPN before the peer's RTC End-of-RIB */
	assert_int_equal(announced_to(w, R1), 0);
	rtc_update(buf, &len, "target:65000:1", false);
	feed_ok(w, R1, buf, len);
	eor_update(buf, &len, BGP_FAM_RTC);
	feed_ok(w, R1, buf, len);
	run(w);
	seen_of(w, R1, &s);
	/* RFC 4684 s4: only the route whose RT matches R1's membership */
	assert_int_equal(s.announced, 1);
	assert_int_equal(s.last_nlri.pfx.b[3], 0);
	/* a peer without RTC gets everything */
	assert_int_equal(announced_to(w, C2), 2);
	clear_all(w);
	/* membership grows at run time: the second route follows */
	rtc_update(buf, &len, "target:65000:2", false);
	feed_ok(w, R1, buf, len);
	run(w);
	seen_of(w, R1, &s);
	assert_int_equal(s.announced, 1);
	assert_int_equal(s.last_nlri.pfx.b[3], 1);
	clear_all(w);
	/* and shrinks: the first is withdrawn */
	rtc_update(buf, &len, "target:65000:1", true);
	feed_ok(w, R1, buf, len);
	run(w);
	seen_of(w, R1, &s);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.last_nlri.pfx.b[3], 0);
	/* the default membership (zero length, RFC 4684 s4) means all */
	rtc_update(buf, &len, NULL, false);
	feed_ok(w, R2, buf, len);
	rde_rtc_timeout(w->rde, R2); /* the caller's timer instead of End-of-RIB */
	run(w);
	seen_of(w, R2, &s);
	assert_int_equal(s.announced >= 2, true);
	j = rde_show_rtc(w->rde);
	assert_string_equal(json_object_to_json_string_ext(json_object_object_get(j, "peers"),
							   JSON_C_TO_STRING_PLAIN),
			    "[{\"peer\":\"192.0.2.6\",\"default\":false,\"route_targets\":"
			    "[\"65000:target:65000:2\"]},{\"peer\":\"192.0.2.7\",\"default\":true,"
			    "\"route_targets\":[]}]");
	json_object_put(j);
	world_free(w);
}

/* RFC 4684 s6: without graceful restart there is no promise of an RTC
 * End-of-RIB, and VPN routes go out as soon as the membership asks for
 * them.  R1 comes up again without graceful restart, R2 keeps it. */
static void test_rtc_no_gr(void **state)
{
	(void)state;
	struct world *w = world_new(7, 0);
	struct ipaddr local;
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	struct spec sp1 = ibgp_spec;

	vpn_update(buf, &len, &sp1, 0, 1); /* RT 65000:1 */
	feed_ok(w, C1, buf, len);
	w->sp[R1].gr = false;
	ipaddr_from_v4(&local, ROUTER_ID);
	rde_peer_up(w->rde, R1, &w->sp[R1], defs[R1].bgp_id, &local);
	run(w);
	/* no membership yet: nothing matches, nothing is sent */
	seen_of(w, R1, &s);
	assert_int_equal(s.vpn4_announced, 0);
	clear_all(w);
	rtc_update(buf, &len, "target:65000:1", false);
	feed_ok(w, R1, buf, len);
	feed_ok(w, R2, buf, len);
	run(w);
	/* no End-of-RIB from either: R1 gets the route, R2 still waits */
	seen_of(w, R1, &s);
	assert_int_equal(s.vpn4_announced, 1);
	seen_of(w, R2, &s);
	assert_int_equal(s.vpn4_announced, 0);
	eor_update(buf, &len, BGP_FAM_RTC);
	feed_ok(w, R2, buf, len);
	run(w);
	seen_of(w, R2, &s);
	assert_int_equal(s.vpn4_announced, 1);
	world_free(w);
}

/* The membership routes peer id received: announced and withdrawn RTC
 * NLRI, the last announcing UPDATE's attributes in s. */
static void rtc_seen(struct world *w, rde_peer_id id, struct seen *s, unsigned *ann, unsigned *wd)
{
	seen_of(w, id, s);
	*ann = *wd = 0;
	if (s->have_last && s->last.a.mp_fam == BGP_FAM_RTC)
		*ann = s->announced - s->vpn4_announced;
	if (s->last_nlri.fam == BGP_FAM_RTC)
		*wd = s->withdrawn;
}

/*
 * RFC 4684 s3.2 at a route reflector: R1 and R2 (clients, RR at us) both
 * import RT 65000:1.  The best path of that membership is R1's (lowest
 * BGP identifier, RFC 4271 s9.1.2.2 f).  R1 must still learn that
 * somebody else asked for 65000:1, or it holds back its VPN routes for it
 * (RFC 4684 s4): towards R1 we advertise the best path among those not
 * received from R1, R2's, with R2's ORIGINATOR_ID and our CLUSTER_LIST
 * (RFC 4456 s8).  R2 gets R1's path.  The VPN filter towards each peer is
 * built from every membership path it sent, not only from best paths: a
 * VPN route with 65000:1 from C1 reaches both.
 */
static void test_rtc_rr_membership_to_originator(void **state)
{
	(void)state;
	struct world *w = world_new(7, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	unsigned ann, wd;
	const uint32_t want_cl[] = {CLUSTER_ID};

	rtc_update(buf, &len, "target:65000:1", false);
	feed_ok(w, R1, buf, len);
	run(w);
	/* only R1's path: nothing to tell R1, R2 learns it */
	rtc_seen(w, R1, &s, &ann, &wd);
	assert_int_equal(ann, 0);
	rtc_seen(w, R2, &s, &ann, &wd);
	assert_int_equal(ann, 1);
	assert_int_equal(s.last.a.originator_id, defs[R1].bgp_id);
	clear_all(w);
	/* R2 asks too; R1's path stays the best (lower BGP identifier) */
	feed_ok(w, R2, buf, len);
	run(w);
	rtc_seen(w, R1, &s, &ann, &wd);
	assert_int_equal(ann, 1);
	assert_int_equal(s.last_nlri.fam, BGP_FAM_RTC);
	assert_int_equal(s.last_nlri.rtc_len, 96);
	assert_int_equal(s.last_nlri.rtc_origin_as, LOCAL_AS);
	assert_true(bgp_attrs_has(&s.last.a, BGP_ATTR_ORIGINATOR_ID));
	assert_int_equal(s.last.a.originator_id, defs[R2].bgp_id);
	assert_true(cluster_list_is(&s.last.a, want_cl, 1));
	rtc_seen(w, R2, &s, &ann, &wd);
	assert_int_equal(ann + wd, 0); /* R2 already had R1's path */
	eor_update(buf, &len, BGP_FAM_RTC);
	feed_ok(w, R1, buf, len);
	feed_ok(w, R2, buf, len);
	run(w);
	clear_all(w);
	/* RFC 4684 s4: both filters hold 65000:1 */
	vpn_update(buf, &len, &ibgp_spec, 0, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	seen_of(w, R1, &s);
	assert_int_equal(s.vpn4_announced, 1);
	seen_of(w, R2, &s);
	assert_int_equal(s.vpn4_announced, 1);
	clear_all(w);
	/* R2 leaves: R1 loses the membership it had from R2 */
	rtc_update(buf, &len, "target:65000:1", true);
	feed_ok(w, R2, buf, len);
	run(w);
	rtc_seen(w, R1, &s, &ann, &wd);
	assert_int_equal(ann, 0);
	assert_int_equal(wd, 1);
	rtc_seen(w, R2, &s, &ann, &wd);
	assert_int_equal(ann, 0);
	seen_of(w, R2, &s);
	assert_int_equal(s.withdrawn, 1); /* the VPN route, no longer asked for */
	world_free(w);
}

static void test_room_backpressure(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;

	w->room[C2] = 0;
	vpn_update(buf, &len, &ibgp_spec, 0, 100);
	feed_ok(w, C1, buf, len);
	for (int i = 0; i < 50; i++)
		rde_work(w->rde, 64);
	assert_int_equal(w->out[C2].n, 0);	    /* nothing while there is no room */
	assert_int_equal(announced_to(w, N1), 100); /* a slow peer holds only itself */
	assert_true(rde_work(w->rde, 64));	    /* work is still pending */
	w->room[C2] = 1 << 20;
	run(w);
	assert_int_equal(announced_to(w, C2), 100);
	world_free(w);
}

/*
 * The export queue spills past RDE_QUEUE_SPILL (16384) changed nets to a
 * scan of the pend bits.  C2 has no room while C1 announces 20,000
 * prefixes, so its queue spills; then part of the scan runs, C1 withdraws
 * the first 100 prefixes (behind the scan) and announces 100 more.  Every
 * change must still reach C2: what it was sent nets out to the 20,000
 * prefixes C1 has at the end, and each UPDATE stays within the packing
 * bound of test_packing_and_withdrawals (250 announced, 254 withdrawn).
 */
static void test_queue_spill(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;
	unsigned sent = 0;

	w->room[C2] = 0;
	while (sent < 20000) {
		sent += vpn_update(buf, &len, &ibgp_spec, sent, 20000 - sent);
		feed_ok(w, C1, buf, len);
	}
	for (int i = 0; i < 50; i++)
		rde_work(w->rde, 64);
	assert_int_equal(w->out[C2].n, 0);
	w->room[C2] = 1 << 20;
	for (int i = 0; i < 20 && !w->out[C2].n; i++)
		rde_work(w->rde, 64); /* until the scan's first batch goes out */
	seen_of(w, C2, &s);
	assert_true(s.announced > 0 && s.announced < 20000);
	vpn_withdraw(buf, &len, 0, 100);
	feed_ok(w, C1, buf, len);
	vpn_update(buf, &len, &ibgp_spec, 20000, 100);
	feed_ok(w, C1, buf, len);
	run(w);
	seen_of(w, C2, &s);
	assert_true(s.withdrawn <= 100);
	assert_int_equal(s.announced - s.withdrawn, 20000);
	assert_true(s.announced <= 20100);
	assert_true(s.max_per_update <= 254);
	clear_all(w);
	for (unsigned k = 100; k < 20100; k += 250) {
		vpn_withdraw(buf, &len, k, 250);
		feed_ok(w, C1, buf, len);
	}
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 20000);
	assert_int_equal(s.announced, 0);
	world_free(w);
}

/* rde_work_units() counts work that sends nothing: flushing the routes of
 * a peer whose session went down while the only other peer has no room. */
static void test_work_units(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	uint64_t u0;

	vpn_update(buf, &len, &ibgp_spec, 0, 100);
	feed_ok(w, C1, buf, len);
	run(w);
	for (int i = 0; i < MAXPEERS; i++)
		w->room[i] = 0;
	clear_all(w);
	rde_peer_down(w->rde, C1);
	u0 = rde_work_units(w->rde);
	assert_true(rde_work(w->rde, 64));
	assert_true(rde_work_units(w->rde) > u0);
	for (int i = 0; i < MAXPEERS; i++)
		assert_int_equal(w->out[i].n, 0);
	world_free(w);
}

static void test_show_rib_reason(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct spec hi = ibgp_spec;
	struct json_object *rib, *route, *paths, *p0, *p1;

	hi.lp = 200;
	vpn_update(buf, &len, &ibgp_spec, 0, 1);
	feed_ok(w, C1, buf, len);
	vpn_update(buf, &len, &hi, 0, 1);
	feed_ok(w, N1, buf, len);
	run(w);
	rib = rde_show_rib(w->rde, BGP_FAM_VPNV4, "65000:1:198.18.0.0/32");
	route = json_object_array_get_idx(json_object_object_get(rib, "routes"), 0);
	assert_non_null(route);
	paths = json_object_object_get(route, "paths");
	assert_int_equal(json_object_array_length(paths), 2);
	p0 = json_object_array_get_idx(paths, 0);
	p1 = json_object_array_get_idx(paths, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(p0, "peer")),
			    "192.0.2.3");
	assert_true(json_object_get_boolean(json_object_object_get(p0, "best")));
	assert_string_equal(json_object_get_string(json_object_object_get(p0, "reason")),
			    "local-pref");
	assert_string_equal(json_object_get_string(json_object_object_get(p1, "reason")),
			    "local-pref");
	assert_int_equal(json_object_get_int(json_object_object_get(p0, "local_pref")), 200);
	json_object_put(rib);
	/* the new best from a non-client goes to clients; C1 had no copy of
	 * its own route so it now gets N1's */
	assert_int_equal(announced_to(w, C1), 1);
	world_free(w);
}

/* ---- graceful restart, receiving speaker (RFC 4724 s4.2) ---- */

static const uint32_t gr_fams = (1u << BGP_FAM_IPV4_UNICAST) | (1u << BGP_FAM_VPNV4);

static void gr_restart(struct world *w, rde_peer_id id, uint32_t fwd)
{
	struct ipaddr local;

	ipaddr_from_v4(&local, ROUTER_ID);
	rde_peer_up(w->rde, id, &w->sp[id], defs[id].bgp_id, &local);
	rde_gr_peer_up(w->rde, id, fwd);
}

static bool path_stale(struct world *w, const char *key)
{
	struct json_object *rib = rde_show_rib(w->rde, BGP_FAM_VPNV4, key), *route, *p0;
	bool stale;

	route = json_object_array_get_idx(json_object_object_get(rib, "routes"), 0);
	assert_non_null(route);
	p0 = json_object_array_get_idx(json_object_object_get(route, "paths"), 0);
	assert_non_null(p0);
	stale = json_object_get_boolean(json_object_object_get(p0, "stale"));
	json_object_put(rib);
	return stale;
}

/* The session of a restarting peer is lost: "the Receiving Speaker MUST
 * retain the routes received from the peer ... and mark them as stale";
 * re-announced routes replace them and "Once the End-of-RIB marker for an
 * address family is received from the peer, it MUST immediately remove
 * any routes from the peer that are still marked as stale". */
static void test_gr_stale_then_eor(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;

	w->sp[C1].fams = gr_fams;
	vpn_update(buf, &len, &ibgp_spec, 0, 3);
	feed_ok(w, C1, buf, len);
	run(w);
	clear_all(w);
	rde_peer_down_gr(w->rde, C1, gr_fams);
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 0); /* nothing withdrawn while stale */
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 3);
	assert_true(path_stale(w, "65000:1:198.18.0.1/32"));
	/* the peer is back, still listing VPN-IPv4 with the F bit */
	gr_restart(w, C1, gr_fams);
	run(w);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 3);
	vpn_update(buf, &len, &ibgp_spec, 0, 2); /* routes 0 and 1 again */
	feed_ok(w, C1, buf, len);
	run(w);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 1);
	assert_false(path_stale(w, "65000:1:198.18.0.1/32"));
	assert_true(path_stale(w, "65000:1:198.18.0.2/32"));
	clear_all(w);
	eor_update(buf, &len, BGP_FAM_VPNV4);
	feed_ok(w, C1, buf, len);
	run(w);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 0);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 1); /* route 2 only */
	assert_int_equal(s.announced, 0); /* routes 0 and 1 were unchanged */
	world_free(w);
}

/* "If the session does not get re-established within the 'Restart Time'
 * ... the Receiving Speaker MUST delete all the stale routes from the
 * peer"; the same when the stale-path timer runs out. */
static void test_gr_timer_flush(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;

	w->sp[C1].fams = gr_fams;
	vpn_update(buf, &len, &ibgp_spec, 0, 3);
	feed_ok(w, C1, buf, len);
	run(w);
	clear_all(w);
	rde_peer_down_gr(w->rde, C1, gr_fams);
	run(w);
	rde_gr_flush(w->rde, C1, ~0u);
	run(w);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 0);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 3);
	world_free(w);
}

/* "If the F bit for an address family is not set in the newly received
 * Graceful Restart Capability, or if the address family is not included
 * ... the Receiving Speaker MUST immediately remove all the stale routes
 * from the peer for that address family."  A family not kept at the
 * loss is withdrawn at once, like a plain session loss. */
static void test_gr_fbit_cleared(void **state)
{
	(void)state;
	struct world *w = world_new(5, 0);
	uint8_t buf[MAXMSG];
	size_t len;
	struct seen s;

	w->sp[C1].fams = gr_fams;
	vpn_update(buf, &len, &ibgp_spec, 0, 3);
	feed_ok(w, C1, buf, len);
	run(w);
	clear_all(w);
	rde_peer_down_gr(w->rde, C1, 1u << BGP_FAM_IPV4_UNICAST); /* VPN not listed */
	run(w);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 3);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 0);

	vpn_update(buf, &len, &ibgp_spec, 0, 3);
	gr_restart(w, C1, gr_fams);
	feed_ok(w, C1, buf, len);
	run(w);
	rde_peer_down_gr(w->rde, C1, gr_fams);
	run(w);
	clear_all(w);
	gr_restart(w, C1, 1u << BGP_FAM_IPV4_UNICAST); /* no F bit for VPN-IPv4 */
	run(w);
	assert_int_equal(rde_gr_stale_count(w->rde, C1), 0);
	seen_of(w, C2, &s);
	assert_int_equal(s.withdrawn, 3);
	/* a stale peer can be removed (no path may outlive it) */
	rde_peer_down_gr(w->rde, C2, gr_fams);
	rde_peer_remove(w->rde, C2);
	run(w);
	world_free(w);
}

/* ---- best-path subscription (rde_sub.c) ---- */

struct best_log {
	unsigned n;
	struct rde_best last;
	struct ecomm ec[4];
};

static void on_best(void *ctx, const struct rde_best *b)
{
	struct best_log *l = ctx;

	l->n++;
	l->last = *b;
	assert_true(b->n_ecomms <= 4);
	if (b->n_ecomms) /* no pointer to copy from when there are none */
		memcpy(l->ec, b->ecomms, b->n_ecomms * sizeof(struct ecomm));
	l->last.ecomms = l->ec;
}

/* The subscriber sees each (RD, prefix)'s best path as the RFC 4271 s9.1
 * decision picks it, with RFC 4364 s4.3.4 label and RFC 4360 RTs as sent,
 * then a withdrawal once no path is left. */
static void test_best_subscription(void **state)
{
	(void)state;
	struct world *w = world_new(2, 0);
	struct best_log l = {0};
	struct spec better = ibgp_spec;
	struct ecomm rt;
	struct ipaddr nh;
	uint8_t buf[MAXMSG];
	size_t len;

	rde_best_subscribe(w->rde, on_best, &l);
	vpn_update(buf, &len, &ibgp_spec, 5, 1);
	feed_ok(w, C1, buf, len);
	run(w);
	assert_int_equal(l.n, 1);
	assert_false(l.last.withdraw);
	assert_int_equal(l.last.fam, BGP_FAM_VPNV4);
	assert_int_equal(l.last.label, 16 + 5); /* vpn_nlri(): label 16 + k */
	assert_int_equal(l.last.prefix.len, 32);
	assert_int_equal(l.last.prefix.b[3], 5);
	assert_int_equal(l.last.local_pref, 100);
	assert_int_equal(ipaddr_parse("198.18.0.1", &nh), 0);
	assert_int_equal(ipaddr_cmp(&l.last.nexthop, &nh), 0);
	assert_int_equal(l.last.n_ecomms, 1);
	assert_int_equal(ecomm_parse("target:65000:1", &rt), 0);
	assert_memory_equal(l.last.ecomms[0].b, rt.b, 8);

	/* RFC 4271 s9.1.1: the higher LOCAL_PREF becomes the best */
	better.lp = 200;
	better.nh = 0xc6120002;
	vpn_update(buf, &len, &better, 5, 1);
	feed_ok(w, C2, buf, len);
	run(w);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.last.local_pref, 200);
	assert_int_equal(ipaddr_parse("198.18.0.2", &nh), 0);
	assert_int_equal(ipaddr_cmp(&l.last.nexthop, &nh), 0);

	vpn_withdraw(buf, &len, 5, 1);
	feed_ok(w, C2, buf, len);
	feed_ok(w, C1, buf, len);
	run(w);
	assert_int_equal(l.n, 4); /* back to C1's path, then none */
	assert_true(l.last.withdraw);
	assert_int_equal(l.last.prefix.b[3], 5);
	world_free(w);
}

/* A locally originated VPN route (rde_local.c) reaches iBGP peers with its
 * RD, prefix and label (RFC 8277 s2), the RT (RFC 4360) and our own
 * address as next hop (RFC 4364 s4.3.2), and is withdrawn on request. */
static void test_local_vpn(void **state)
{
	(void)state;
	struct world *w = world_new(2, 0);
	struct rde_local_vpn r;
	struct ecomm rt;
	struct ipaddr self;
	struct seen s;

	memset(&r, 0, sizeof(r));
	r.fam = BGP_FAM_VPNV4;
	assert_int_equal(rd_parse("198.18.0.9:3", &r.rd), 0);
	assert_int_equal(prefix_parse("203.0.113.7/32", &r.prefix), 0);
	r.label = 1234;
	assert_int_equal(ecomm_parse("target:65000:101", &rt), 0);
	r.ecomms = &rt;
	r.n_ecomms = 1;
	assert_int_equal(rde_local_vpn_update(w->rde, &r), 0);
	run(w);
	seen_of(w, C1, &s);
	assert_int_equal(s.vpn4_announced, 1);
	assert_true(s.have_last);
	assert_int_equal(label_value(s.last_nlri.labels.e[0]), 1234);
	assert_int_equal(s.last_nlri.pfx.b[3], 7);
	assert_int_equal(s.last.a.local_pref, 100);
	assert_false(s.last.a.present[0] & (1u << BGP_ATTR_MED)); /* none unless set */
	assert_int_equal(rbuf_left(&s.last.a.ext_communities), 8);
	assert_memory_equal(s.last.a.ext_communities.base + s.last.a.ext_communities.pos, rt.b, 8);
	ipaddr_from_v4(&self, ROUTER_ID); /* the session's local address (world_new) */
	assert_int_equal(ipaddr_cmp(&s.last.a.mp_nh, &self), 0);
	clear_all(w);

	/* export policy set-local-pref / set-med (draft s5.3: the active
	 * service node's route wins on LOCAL_PREF): the attributes carry them
	 * (RFC 4271 s5.1.4, s5.1.5) */
	r.set_local_pref = true;
	r.local_pref = 200;
	r.set_med = true;
	r.med = 70000;
	assert_int_equal(rde_local_vpn_update(w->rde, &r), 0);
	run(w);
	seen_of(w, C1, &s);
	assert_true(s.have_last);
	assert_int_equal(s.last.a.local_pref, 200);
	assert_true(s.last.a.present[0] & (1u << BGP_ATTR_MED));
	assert_int_equal(s.last.a.med, 70000);
	clear_all(w);

	rde_local_vpn_withdraw(w->rde, BGP_FAM_VPNV4, &r.rd, &r.prefix);
	run(w);
	seen_of(w, C1, &s);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.announced, 0);
	r.fam = BGP_FAM_IPV4_UNICAST;
	assert_int_equal(rde_local_vpn_update(w->rde, &r), -1);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reflection_matrix),
	    cmocka_unit_test(test_originator_cluster_list),
	    cmocka_unit_test(test_loops_dropped),
	    cmocka_unit_test(test_ebgp_rules),
	    cmocka_unit_test(test_packing_and_withdrawals),
	    cmocka_unit_test(test_end_of_rib),
	    cmocka_unit_test(test_treat_as_withdraw),
	    cmocka_unit_test(test_max_prefix),
	    cmocka_unit_test(test_rtc_filter),
	    cmocka_unit_test(test_eor_all),
	    cmocka_unit_test(test_rtc_no_gr),
	    cmocka_unit_test(test_rtc_rr_membership_to_originator),
	    cmocka_unit_test(test_room_backpressure),
	    cmocka_unit_test(test_queue_spill),
	    cmocka_unit_test(test_work_units),
	    cmocka_unit_test(test_show_rib_reason),
	    cmocka_unit_test(test_gr_stale_then_eor),
	    cmocka_unit_test(test_gr_timer_flush),
	    cmocka_unit_test(test_gr_fbit_cleared),
	    cmocka_unit_test(test_best_subscription),
	    cmocka_unit_test(test_local_vpn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
