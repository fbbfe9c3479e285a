/*
 * rde: the API glue of the route decision engine (rde.h): peers, UPDATE
 * intake with the RFC 7606 verdicts, Adj-RIB-In paths, the decision
 * process per changed net, and the bounded work loop.
 *
 * Not for: building UPDATEs and the Adj-RIB-Out (export.c), show output
 * (rde_show.c), storage details (rib.c, attrset.c).
 */
#include "rde/rde_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire/msg.h"
#include "wire/update.h"

uint32_t rde_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

bool rde_fam_up(const struct rde_peer *p, enum bgp_fam f)
{
	return p->up && (p->sp.fams & bgp_fam_bit(f)) && !(p->disabled & bgp_fam_bit(f));
}

/* ---- setup ---- */

struct rde *rde_new(const struct rde_config *cfg, rde_send_fn send, rde_room_fn room, void *ctx)
{
	struct rde *rde = calloc(1, sizeof(*rde));
	static const uint8_t local[] = {
	    BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN,	 1, BGP_ORIGIN_IGP,
	    BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, 0,
	};

	if (!rde)
		return NULL;
	rde->cfg = *cfg;
	rde->dcfg.always_compare_med = cfg->always_compare_med;
	rde->send = send;
	rde->room = room;
	rde->ctx = ctx;
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		rib_init(&rde->ribs[f], (enum bgp_fam)f);
	slab_init(&rde->paths, sizeof(struct rib_path));
	rde->nexthops = intern_new(0);
	rde->labels = intern_new(0);
	rde->msg = malloc(BGP_EXT_MAX_LEN);
	if (attrset_table_init(&rde->attrs) != 0 || !rde->nexthops || !rde->labels || !rde->msg)
		goto fail;
	rde->local_attrs = attrset_from_bytes(&rde->attrs, local, sizeof(local));
	if (!rde->local_attrs)
		goto fail;
	return rde;
fail:
	rde_free(rde);
	return NULL;
}

static void peer_free(struct rde_peer *p)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		free(p->adv[f].w);
		free(p->pend[f].w);
	}
	rtc_set_clear(&p->rtc);
	free(p->queue);
	free(p->batch);
	free(p->name);
	free(p);
}

void rde_free(struct rde *rde)
{
	if (!rde)
		return;
	for (uint32_t i = 0; i < rde->npeers; i++)
		if (rde->peers[i])
			peer_free(rde->peers[i]);
	free(rde->peers);
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		rib_fini(&rde->ribs[f]);
	slab_fini(&rde->paths);
	attrset_table_fini(&rde->attrs);
	intern_free(rde->nexthops);
	intern_free(rde->labels);
	for (int i = 0; i < RDE_ENC_CACHE; i++)
		free(rde->cache[i].buf);
	free(rde->rtc_local);
	free(rde->msg);
	free(rde->cand_paths);
	free(rde->cands);
	free(rde->steps);
	free(rde);
}

rde_peer_id rde_peer_add(struct rde *rde, const struct rde_peer_config *pc)
{
	uint32_t id;
	struct rde_peer *p;

	for (id = 1; id < rde->npeers && rde->peers[id]; id++)
		;
	if (id > UINT16_MAX)
		return RDE_PEER_NONE;
	if (id >= rde->npeers) {
		uint32_t n = rde->npeers ? rde->npeers * 2 : 16;
		struct rde_peer **a = realloc(rde->peers, n * sizeof(*a));

		if (!a)
			return RDE_PEER_NONE;
		memset(a + rde->npeers, 0, (n - rde->npeers) * sizeof(*a));
		rde->peers = a;
		rde->npeers = n;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return RDE_PEER_NONE;
	p->batch = calloc(RDE_BATCH, sizeof(*p->batch));
	p->name = strdup(pc->name ? pc->name : "");
	if (!p->batch || !p->name) {
		peer_free(p);
		return RDE_PEER_NONE;
	}
	p->id = (rde_peer_id)id;
	p->cfg = *pc;
	p->cfg.name = p->name;
	p->ibgp = pc->remote_as == rde->cfg.local_as;
	rde->peers[id] = p;
	return p->id;
}

static void flush_now(struct rde *rde, struct rde_peer *p);

void rde_peer_remove(struct rde *rde, rde_peer_id id)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (!p)
		return;
	rde_peer_down(rde, id);
	/* every path, the stale ones of an RFC 4724 restart too */
	p->flush_fams = ~0u;
	p->flush_stale = 0;
	p->flushing = true;
	p->flush_fam = 0;
	p->flush_cursor = 1;
	flush_now(rde, p);
	rde->peers[id] = NULL;
	peer_free(p);
}

/* ---- paths ---- */

void rde_path_labels(const struct rde *rde, const struct rib_path *p, struct label_stack *ls)
{
	memset(ls, 0, sizeof(*ls));
	if (p->nlabels == 1) {
		ls->n = 1;
		ls->e[0] = p->label;
	} else if (p->nlabels > 1) {
		size_t len;
		const uint8_t *d = intern_data(rde->labels, p->label, &len);

		ls->n = (uint8_t)(len / 4);
		memcpy(ls->e, d, len);
	}
}

void rde_path_nh(const struct rde *rde, const struct rib_path *p, struct ipaddr *nh)
{
	memset(nh, 0, sizeof(*nh));
	if (p->nh) {
		size_t len;
		const uint8_t *d = intern_data(rde->nexthops, p->nh, &len);

		memcpy(nh, d, sizeof(*nh));
	}
}

static uint32_t nh_get(struct rde *rde, const struct ipaddr *a)
{
	struct ipaddr z;

	if (!a->afi)
		return 0;
	memset(&z, 0, sizeof(z));
	z.afi = a->afi;
	memcpy(z.b, a->b, sizeof(z.b));
	return intern_get(rde->nexthops, &z, sizeof(z), NULL);
}

static void path_release(struct rde *rde, struct rib_path *rp)
{
	attrset_unref(&rde->attrs, rp->attrs);
	if (rp->nh)
		intern_unref(rde->nexthops, rp->nh);
	if (rp->nlabels > 1)
		intern_unref(rde->labels, rp->label);
}

/* Fill the path's label fields from a stack (taking a reference). */
static bool path_set_labels(struct rde *rde, struct rib_path *rp, const struct label_stack *ls)
{
	rp->nlabels = ls->n;
	if (ls->n == 0)
		rp->label = 0;
	else if (ls->n == 1)
		rp->label = ls->e[0];
	else if (!(rp->label = intern_get(rde->labels, ls->e, ls->n * 4u, NULL)))
		return false;
	return true;
}

void rde_decision_cands(struct rde *rde, enum bgp_fam fam, uint32_t idx, size_t *n)
{
	const struct rib_net *net = rib_net_at(&rde->ribs[fam], idx);
	size_t k = 0;

	for (uint32_t pi = net->paths; pi; pi = rde_path(rde, pi)->next) {
		const struct rib_path *rp = rde_path(rde, pi);
		const struct attrset *as = attrset_get(&rde->attrs, rp->attrs);
		const struct rde_peer *peer = rde_peer_get(rde, rp->peer);
		struct decision_cand *c;

		if (k == rde->cand_cap) {
			size_t cap = k ? k * 2 : 16;
			void *a = realloc(rde->cand_paths, cap * sizeof(*rde->cand_paths));

			if (!a)
				break;
			rde->cand_paths = a;
			if (!(a = realloc(rde->cands, cap * sizeof(*rde->cands))))
				break;
			rde->cands = a;
			if (!(a = realloc(rde->steps, cap * sizeof(*rde->steps))))
				break;
			rde->steps = a;
			rde->cand_cap = cap;
		}
		c = &rde->cands[k];
		memset(c, 0, sizeof(*c));
		/* RFC 4271 s5.1.5 / s9.1.1: without LOCAL_PREF the degree of
		 * preference is the default, 100 */
		c->local_pref = as->flags & ATTRSET_HAS_LOCAL_PREF ? as->local_pref : 100;
		c->local = rp->peer == RDE_PEER_NONE;
		c->as_path_len = as->as_path_len;
		c->origin = as->origin;
		c->neighbor_as = as->neighbor_as;
		c->med = as->flags & ATTRSET_HAS_MED ? as->med : 0;
		c->ebgp = peer && !peer->ibgp;
		/* RFC 4456 s9: ORIGINATOR_ID stands in for the BGP identifier */
		c->bgp_id = as->flags & ATTRSET_HAS_ORIGINATOR ? as->originator_id
			    : peer			       ? peer->remote_bgp_id
							       : rde->cfg.router_id;
		c->cluster_len = as->cluster_len;
		if (peer)
			c->peer_addr = peer->cfg.address;
		c->path_id = rp->path_id;
		rde->cand_paths[k++] = pi;
	}
	*n = k;
}

void rde_net_maybe_free(struct rde *rde, enum bgp_fam fam, uint32_t idx)
{
	struct rib_net *net = rib_net_at(&rde->ribs[fam], idx);

	if ((net->flags & RIB_NET_USED) && !net->paths && !net->nref)
		rib_net_free(&rde->ribs[fam], idx);
}

/* Run the decision process for one net after its paths changed.
 * old_best: the head path before (0 = none); touched: a path changed in
 * place (its attributes / next hop / labels). */
static void decide(struct rde *rde, enum bgp_fam fam, uint32_t idx, uint32_t old_best,
		   uint32_t touched)
{
	struct rib_net *net = rib_net_at(&rde->ribs[fam], idx);
	size_t n, b;
	uint32_t bp, prev;

	if (!net->paths) {
		net->flags &= (uint8_t)~RIB_NET_BEST;
		if (old_best) {
			export_net_changed(rde, fam, idx, true);
			rde_sub_net_changed(rde, fam, idx);
		}
		rde_net_maybe_free(rde, fam, idx);
		return;
	}
	rde_decision_cands(rde, fam, idx, &n);
	b = decision_select(rde->cands, n, &rde->dcfg, NULL);
	bp = rde->cand_paths[b];
	if (net->paths != bp) {
		for (prev = net->paths; rde_path(rde, prev)->next != bp;
		     prev = rde_path(rde, prev)->next)
			;
		rde_path(rde, prev)->next = rde_path(rde, bp)->next;
		rde_path(rde, bp)->next = net->paths;
		net->paths = bp;
	}
	net->flags |= RIB_NET_BEST;
	if (bp != old_best || touched == bp) {
		export_net_changed(rde, fam, idx, old_best != 0);
		rde_sub_net_changed(rde, fam, idx);
	} else if (fam == BGP_FAM_RTC) {
		/* RFC 4684 s3.2: the peer that sent the best membership path
		 * gets the best of the others, which any path can change */
		export_rtc_others_changed(rde, idx);
	}
}

static void rtc_member_changed(struct rde *rde, struct rde_peer *p, bool changed)
{
	if (changed && p->up)
		export_rtc_changed(rde, p);
}

/* Remove the path of (peer, path id) from a net; true if there was one. */
static bool path_remove(struct rde *rde, struct rde_peer *p, enum bgp_fam fam, uint32_t idx,
			uint32_t path_id, const struct bgp_nlri *n)
{
	struct rib_net *net = rib_net_at(&rde->ribs[fam], idx);
	uint32_t old_best = net->flags & RIB_NET_BEST ? net->paths : 0;
	uint32_t *link = &net->paths, pi;

	for (pi = *link; pi; link = &rde_path(rde, pi)->next, pi = *link) {
		struct rib_path *rp = rde_path(rde, pi);

		if (rp->peer != p->id || rp->path_id != path_id)
			continue;
		*link = rp->next;
		if (rp->flags & RIB_PATH_STALE)
			p->n_stale[fam]--;
		path_release(rde, rp);
		slab_free(&rde->paths, pi);
		if (net->npaths && net->npaths < 255)
			net->npaths--;
		p->n_paths[fam]--;
		if (fam == BGP_FAM_RTC && n && p->id)
			rtc_member_changed(rde, p, rtc_set_del(&p->rtc, n));
		decide(rde, fam, idx, old_best, 0);
		return true;
	}
	return false;
}

void nlri_withdraw(struct rde *rde, struct rde_peer *p, const struct bgp_nlri *n)
{
	struct rib *rib = &rde->ribs[n->fam];
	uint32_t idx = rib_net_find(rib, n);

	p->rx_withdraws++;
	if (idx)
		path_remove(rde, p, n->fam, idx, n->has_path_id ? n->path_id : 0, n);
}

/* Add or replace the path of (peer, path id).  Returns false on a
 * max-prefix overflow (RFC 4486 s4), v filled. */
bool nlri_announce(struct rde *rde, struct rde_peer *p, const struct bgp_nlri *n, uint32_t attrs,
		   uint32_t nh, struct bgp_verdict *v)
{
	enum bgp_fam fam = n->fam;
	uint32_t path_id = n->has_path_id ? n->path_id : 0, idx, pi, old_best;
	uint32_t max = p->cfg.max_prefixes[fam];
	struct rib_net *net;
	struct rib_path *rp = NULL, tmp;

	p->rx_prefixes++;
	idx = rib_net_get(&rde->ribs[fam], n);
	if (!idx || idx > RDE_NET_MAX) {
		p->rx_ignored++; /* out of memory: counted, the route is not kept */
		return true;
	}
	net = rib_net_at(&rde->ribs[fam], idx);
	old_best = net->flags & RIB_NET_BEST ? net->paths : 0;
	for (pi = net->paths; pi; pi = rde_path(rde, pi)->next) {
		rp = rde_path(rde, pi);
		if (rp->peer == p->id && rp->path_id == path_id)
			break;
	}
	if (pi) {
		if (rp->flags & RIB_PATH_STALE) { /* RFC 4724 s4.2: re-announced */
			rp->flags &= (uint8_t)~RIB_PATH_STALE;
			p->n_stale[fam]--;
		}
		memset(&tmp, 0, sizeof(tmp));
		if (!path_set_labels(rde, &tmp, &n->labels))
			return true;
		if (rp->attrs == attrs && rp->nh == nh && rp->nlabels == tmp.nlabels &&
		    rp->label == tmp.label) {
			if (tmp.nlabels > 1)
				intern_unref(rde->labels, tmp.label);
			return true; /* the same route again: nothing changes */
		}
		path_release(rde, rp);
		rp->nlabels = tmp.nlabels;
		rp->label = tmp.label;
	} else {
		if (max && p->n_paths[fam] >= max) {
			/* RFC 4486 s4: Cease, Maximum Number of Prefixes Reached;
			 * the data (AFI, SAFI, limit) comes from rde_cease_data() */
			bgp_verdict_raise(v, BGP_E_MAX_PREFIX, 0, 0, 0);
			v->fam = fam;
			rde_net_maybe_free(rde, fam, idx);
			return false;
		}
		pi = slab_alloc(&rde->paths);
		if (!pi) {
			p->rx_ignored++;
			rde_net_maybe_free(rde, fam, idx);
			return true;
		}
		rp = rde_path(rde, pi);
		if (!path_set_labels(rde, rp, &n->labels)) {
			slab_free(&rde->paths, pi);
			rde_net_maybe_free(rde, fam, idx);
			return true;
		}
		rp->peer = p->id;
		rp->path_id = path_id;
		rp->flags = 0;
		rp->next = net->paths;
		net->paths = pi;
		if (old_best) { /* keep the old best at the head until decided */
			rp->next = rde_path(rde, old_best)->next;
			rde_path(rde, old_best)->next = pi;
			net->paths = old_best;
		}
		if (net->npaths < 255)
			net->npaths++;
		p->n_paths[fam]++;
		if (fam == BGP_FAM_RTC && p->id)
			rtc_member_changed(rde, p, rtc_set_add(&p->rtc, n));
	}
	attrset_ref(&rde->attrs, attrs);
	rp->attrs = attrs;
	if (nh)
		intern_ref(rde->nexthops, nh);
	rp->nh = nh;
	rp->stamp = rde->now;
	decide(rde, fam, idx, old_best, pi);
	return true;
}

/* ---- UPDATE intake ---- */

struct loop_ctx {
	uint32_t as;
	bool found;
};

static void loop_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	struct loop_ctx *c = ctx;

	(void)type;
	for (unsigned i = 0; i < n; i++)
		if (asns[i] == c->as)
			c->found = true;
}

/* Input loop checks: RFC 4271 s9.1.2 (own AS in the AS_PATH of a route
 * from an external peer), RFC 4456 s8 (own router id as ORIGINATOR_ID, own
 * cluster id in CLUSTER_LIST).  A looped route is not used: it counts as
 * a withdrawal of what the peer had sent for the prefix. */
static bool update_looped(const struct rde *rde, const struct rde_peer *p,
			  const struct bgp_attrs *a)
{
	if (!p->ibgp) {
		struct loop_ctx c = {.as = rde->cfg.local_as};

		bgp_aspath_walk(&a->as_path, a->as_path_as4, loop_seg, &c);
		return c.found;
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID) && a->originator_id == rde->cfg.router_id)
		return true;
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST)) {
		struct rbuf cl = a->cluster_list;
		uint32_t id;

		while (rbuf_u32(&cl, &id))
			if (id == rde->cfg.cluster_id)
				return true;
	}
	return false;
}

enum nlri_op { OP_WITHDRAW, OP_ANNOUNCE };
#define FIELD_AHEAD 8

/* Walk one NLRI field.  Families not negotiated or disabled are ignored. */
static bool field_walk(struct rde *rde, struct rde_peer *p, struct rbuf field, enum bgp_fam fam,
		       bool wd_field, enum nlri_op op, uint32_t attrs, uint32_t nh,
		       struct bgp_verdict *v)
{
	bool addpath = bgp_sess_addpath_rx(&p->sp, fam);
	struct bgp_verdict scratch;
	struct bgp_nlri ring[FIELD_AHEAD], *n;
	unsigned nq = 0, nd = 0; /* decoded, applied */

	if (fam == BGP_FAM_NONE || rbuf_empty(&field))
		return true;
	if (!rde_fam_up(p, fam)) {
		p->rx_ignored++;
		return true;
	}
	bgp_verdict_init(&scratch);
	/* Decode FIELD_AHEAD NLRIs ahead of the one applied and prefetch their
	 * hash slots: a million-route table does not fit in the cache, and
	 * the probes were most of the intake time. */
	for (;;) {
		while (nq - nd < FIELD_AHEAD && !rbuf_empty(&field)) {
			struct bgp_nlri *q = &ring[nq % FIELD_AHEAD];

			if (!bgp_nlri_decode(&field, fam, addpath, wd_field, q, &scratch,
					     BGP_E_UPD_NLRI)) {
				field = (struct rbuf){0}; /* validated by bgp_update_decode */
				break;
			}
			rib_net_prefetch(&rde->ribs[fam], q);
			nq++;
		}
		if (nd == nq)
			return true;
		n = &ring[nd++ % FIELD_AHEAD];
		if (op == OP_WITHDRAW)
			nlri_withdraw(rde, p, n);
		else if (!nlri_announce(rde, p, n, attrs, nh, v))
			return false;
	}
}

static void update_withdraw_all(struct rde *rde, struct rde_peer *p, const struct bgp_update *u,
				struct bgp_verdict *v)
{
	/* RFC 7606 s2 treat-as-withdraw: every NLRI of the message, reachable
	 * or not, is handled as withdrawn */
	field_walk(rde, p, u->withdrawn, BGP_FAM_IPV4_UNICAST, true, OP_WITHDRAW, 0, 0, v);
	field_walk(rde, p, u->nlri, BGP_FAM_IPV4_UNICAST, false, OP_WITHDRAW, 0, 0, v);
	if (u->a.mpu_nlri.base)
		field_walk(rde, p, u->a.mpu_nlri, u->a.mpu_fam, true, OP_WITHDRAW, 0, 0, v);
	if (u->a.mp_nlri.base)
		field_walk(rde, p, u->a.mp_nlri, u->a.mp_fam, false, OP_WITHDRAW, 0, 0, v);
}

static void disable_fam(struct rde_peer *p, enum bgp_fam fam)
{
	/* RFC 7606 s2 / RFC 4760 s7: ignore the family from now on and drop
	 * what the peer had sent in it; we also stop sending it */
	if (fam == BGP_FAM_NONE || (p->disabled & bgp_fam_bit(fam)))
		return;
	p->disabled |= bgp_fam_bit(fam);
	p->flush_fams |= bgp_fam_bit(fam);
	p->flush_stale &= ~bgp_fam_bit(fam);
	if (!p->flushing) {
		p->flushing = true;
		p->flush_fam = 0;
		p->flush_cursor = 1;
	}
}

void rde_update(struct rde *rde, rde_peer_id id, struct rbuf *body, struct bgp_verdict *v)
{
	struct rde_peer *p = rde_peer_get(rde, id);
	struct bgp_update u;
	uint32_t attrs = 0, nh4 = 0, nhmp = 0;

	bgp_verdict_init(v);
	if (!p || !p->up)
		return;
	p->rx_updates++;
	rde->now = rde_now(); /* one clock read per UPDATE, not per route */
	if (!bgp_update_decode(body, &p->sp, &u, v) || v->action == BGP_ACT_SESSION_RESET)
		return;
	if (u.eor != BGP_FAM_NONE) {
		p->eor_rcvd |= bgp_fam_bit(u.eor);
		rde_gr_eor(rde, p, u.eor); /* RFC 4724 s4.2: stale paths go */
		if (u.eor == BGP_FAM_RTC)
			export_release_vpn(rde, p); /* RFC 4684 s6 */
		return;
	}
	if (u.eor_unknown_fam)
		return;
	if (v->action == BGP_ACT_AFISAFI_DISABLE) {
		/* the disabled family is dropped; the rest of this message is
		 * treated as withdrawn, which is always safe (we cannot tell
		 * whether a weaker error was also found in it) */
		disable_fam(p, v->fam);
		update_withdraw_all(rde, p, &u, v);
		return;
	}
	if (v->action == BGP_ACT_TREAT_AS_WITHDRAW) {
		update_withdraw_all(rde, p, &u, v);
		return;
	}
	/* OK or attribute discard (the decoder already dropped those) */
	field_walk(rde, p, u.withdrawn, BGP_FAM_IPV4_UNICAST, true, OP_WITHDRAW, 0, 0, v);
	if (u.a.mpu_nlri.base)
		field_walk(rde, p, u.a.mpu_nlri, u.a.mpu_fam, true, OP_WITHDRAW, 0, 0, v);
	if (rbuf_empty(&u.nlri) && !u.a.mp_nlri.base)
		return;
	if (update_looped(rde, p, &u.a)) {
		p->rx_rejected++;
		field_walk(rde, p, u.nlri, BGP_FAM_IPV4_UNICAST, false, OP_WITHDRAW, 0, 0, v);
		if (u.a.mp_nlri.base)
			field_walk(rde, p, u.a.mp_nlri, u.a.mp_fam, false, OP_WITHDRAW, 0, 0, v);
		return;
	}
	attrs = attrset_from_update(&rde->attrs, &u.a, p->sp.as4);
	if (!attrs) {
		update_withdraw_all(rde, p, &u, v); /* out of memory: do not keep stale routes */
		return;
	}
	if (!rbuf_empty(&u.nlri)) {
		nh4 = nh_get(rde, &u.a.next_hop);
		if (!field_walk(rde, p, u.nlri, BGP_FAM_IPV4_UNICAST, false, OP_ANNOUNCE, attrs,
				nh4, v))
			goto out;
	}
	if (u.a.mp_nlri.base) {
		nhmp = nh_get(rde, &u.a.mp_nh);
		field_walk(rde, p, u.a.mp_nlri, u.a.mp_fam, false, OP_ANNOUNCE, attrs, nhmp, v);
	}
out:
	if (nh4)
		intern_unref(rde->nexthops, nh4);
	if (nhmp)
		intern_unref(rde->nexthops, nhmp);
	attrset_unref(&rde->attrs, attrs);
}

size_t rde_cease_data(struct rde *rde, rde_peer_id id, const struct bgp_verdict *v, uint8_t *out,
		      size_t cap)
{
	struct rde_peer *p = rde_peer_get(rde, id);
	uint32_t max;

	if (!p || cap < 7 || v->action != BGP_ACT_SESSION_RESET || v->code != BGP_ERR_CEASE ||
	    v->subcode != 1 || v->fam < 0 || v->fam >= BGP_FAM_COUNT)
		return 0;
	/* RFC 4486 s4: AFI (2), SAFI (1), prefix upper bound (4) */
	max = p->cfg.max_prefixes[v->fam];
	out[0] = (uint8_t)(bgp_fam_table[v->fam].afi >> 8);
	out[1] = (uint8_t)bgp_fam_table[v->fam].afi;
	out[2] = bgp_fam_table[v->fam].safi;
	for (int i = 0; i < 4; i++)
		out[3 + i] = (uint8_t)(max >> (24 - 8 * i));
	return 7;
}

/* ---- sessions ---- */

/* Remove every path of the peer in the flushed families from one net. */
static void flush_net(struct rde *rde, struct rde_peer *p, enum bgp_fam fam, uint32_t idx)
{
	struct rib_net *net = rib_net_at(&rde->ribs[fam], idx);
	uint32_t pi = net->paths;

	while (pi) {
		struct rib_path *rp = rde_path(rde, pi);
		uint32_t next = rp->next;

		if (rp->peer == p->id &&
		    (!(p->flush_stale & bgp_fam_bit(fam)) || (rp->flags & RIB_PATH_STALE))) {
			struct bgp_nlri n;

			rib_net_nlri(&rde->ribs[fam], idx, &n);
			path_remove(rde, p, fam, idx, rp->path_id, &n);
			if (!(rib_net_at(&rde->ribs[fam], idx)->flags & RIB_NET_USED))
				return;
		}
		pi = next;
	}
}

static unsigned flush_work(struct rde *rde, struct rde_peer *p, unsigned budget)
{
	unsigned used = 0;

	while (p->flushing && used < budget) {
		enum bgp_fam f = (enum bgp_fam)p->flush_fam;
		struct rib *rib;

		if (p->flush_fam >= BGP_FAM_COUNT) {
			p->flushing = false;
			p->flush_fams = 0;
			p->flush_stale = 0;
			break;
		}
		rib = &rde->ribs[f];
		if (!(p->flush_fams & bgp_fam_bit(f)) || !p->n_paths[f] ||
		    p->flush_cursor >= rib_net_top(rib)) {
			p->flush_fam++;
			p->flush_cursor = 1;
			continue;
		}
		uint32_t idx = p->flush_cursor++;

		used++;
		if (rib_net_at(rib, idx)->flags & RIB_NET_USED)
			flush_net(rde, p, f, idx);
	}
	return used;
}

static void flush_now(struct rde *rde, struct rde_peer *p)
{
	while (p->flushing)
		flush_work(rde, p, UINT32_MAX);
}

void rde_flush_now(struct rde *rde, struct rde_peer *p)
{
	flush_now(rde, p);
}

void rde_peer_up(struct rde *rde, rde_peer_id id, const struct bgp_sess_params *sp,
		 uint32_t remote_bgp_id, const struct ipaddr *local_addr)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (!p)
		return;
	if (p->up)
		rde_peer_down(rde, id);
	flush_now(rde, p); /* routes of the previous session go first */
	p->sp = *sp;
	p->sp.fams &= p->cfg.families ? p->cfg.families : ~0u;
	p->remote_bgp_id = remote_bgp_id;
	p->local_addr = *local_addr;
	p->disabled = 0;
	p->eor_rcvd = 0;
	p->up = true;
	export_peer_start(rde, p);
}

void rde_peer_down(struct rde *rde, rde_peer_id id)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (!p || !p->up)
		return;
	export_peer_stop(rde, p);
	p->up = false;
	rtc_set_clear(&p->rtc);
	p->flush_stale = 0;
	p->flush_fams = ~0u;
	p->flushing = true;
	p->flush_fam = 0;
	p->flush_cursor = 1;
}

void rde_refresh(struct rde *rde, rde_peer_id id, enum bgp_fam fam)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (p && fam >= 0 && fam < BGP_FAM_COUNT && rde_fam_up(p, fam))
		export_refresh(rde, p, fam);
}

void rde_rtc_timeout(struct rde *rde, rde_peer_id id)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (p && p->up)
		export_release_vpn(rde, p);
}

/* ---- local RT-Constraint routes ---- */

static const struct rde_peer local_peer = {.id = RDE_PEER_NONE, .up = true, .ibgp = true};

void rde_rtc_local_set(struct rde *rde, const uint8_t (*rts)[8], size_t n)
{
	struct bgp_nlri *nl = calloc(n ? n : 1, sizeof(*nl));
	struct rde_peer lp = local_peer;
	struct bgp_verdict v;

	if (!nl)
		return;
	lp.sp.fams = bgp_fam_bit(BGP_FAM_RTC);
	rde->now = rde_now();
	for (size_t i = 0; i < n; i++) {
		nl[i].fam = BGP_FAM_RTC;
		nl[i].rtc_len = 96; /* RFC 4684 s4: origin AS + the whole target */
		nl[i].rtc_origin_as = rde->cfg.local_as;
		memcpy(nl[i].rtc_rt.b, rts[i], 8);
	}
	bgp_verdict_init(&v);
	/* RFC 4684 s3: our membership is our local import targets */
	for (size_t i = 0; i < rde->n_rtc_local; i++)
		nlri_withdraw(rde, &lp, &rde->rtc_local[i]);
	for (size_t i = 0; i < n; i++)
		nlri_announce(rde, &lp, &nl[i], rde->local_attrs, 0, &v);
	free(rde->rtc_local);
	rde->rtc_local = nl;
	rde->n_rtc_local = n;
}

/* ---- work ---- */

uint64_t rde_work_units(const struct rde *rde)
{
	return rde->units;
}

bool rde_work(struct rde *rde, unsigned budget)
{
	bool more = false;

	for (uint32_t i = 1; i < rde->npeers && budget; i++) {
		struct rde_peer *p = rde->peers[i];

		if (p && p->flushing) {
			unsigned u = flush_work(rde, p, budget);

			rde->units += u;
			budget = u < budget ? budget - u : 0;
			more |= p->flushing;
		}
	}
	/* export: round robin so that a peer with a large queue does not
	 * starve the others; a blocked peer (no room) costs nothing */
	for (uint32_t k = 0; k < rde->npeers; k++) {
		uint32_t i = (rde->rr_next + k) % (rde->npeers ? rde->npeers : 1);
		struct rde_peer *p = rde->peers[i];
		bool pm = false;

		if (!p || !p->up)
			continue;
		if (budget) {
			unsigned u = export_peer_work(rde, p, budget, &pm);

			rde->units += u;
			budget = u < budget ? budget - u : 0;
		} else {
			pm = true;
		}
		more |= pm;
	}
	if (rde->npeers)
		rde->rr_next = (rde->rr_next + 1) % rde->npeers;
	return more;
}
