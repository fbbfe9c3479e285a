/*
 * export: the Adj-RIB-Out and UPDATE generation.
 *
 * State per peer and family: one bit per net "advertised" and one bit
 * "queued" (2 bits per route per peer), a queue of changed nets, and
 * walks over the table (initial dump, route refresh, RT-Constraint
 * re-evaluation) that advance a bounded number of nets per call.  What a
 * peer should have for a net is a function of the net's best path and the
 * outbound rules (export_filter), computed when the message is built, so
 * a net that changes several times before it is sent is sent once.
 *
 * The queue is bounded: past RDE_QUEUE_SPILL entries it is dropped and
 * the peer "spills": changed nets are only marked queued, and a scan of
 * those bits (a word of 64 nets at a time) takes the queue's place until
 * it finds none, so a full table changing at once costs no memory beyond
 * the bits (the queue was 4 bytes per route per peer).
 *
 * Packing: up to RDE_BATCH queued nets are sorted by (family, withdraw /
 * announce, source, attribute set, next hop) and every run with the same
 * key goes into as few full messages as fit (4096 bytes, 65535 with
 * RFC 8654).  The attribute list towards a peer depends on the attribute
 * set, the source class and the destination's policy (eBGP/iBGP, 4-octet
 * AS); it is encoded once and kept in a small cache keyed on exactly that,
 * so peers with the same outbound policy share the encoding.
 *
 * Outbound rules: RFC 4271 s9.2 (not back to the source; iBGP routes not
 * to other iBGP peers unless reflecting), RFC 4456 s6/s8 (reflection,
 * ORIGINATOR_ID, CLUSTER_LIST), RFC 4271 s5.1 (AS_PATH prepend, NEXT_HOP,
 * MED and LOCAL_PREF towards eBGP), RFC 1997 well-known communities,
 * RFC 4684 (RT-Constraint filter, RTC routes first, VPN routes after the
 * peer's RTC End-of-RIB; s3.2: towards each peer the best membership path
 * not received from it, so that the peer whose path is the best still
 * learns who else imports the RT), RFC 4724 s2 End-of-RIB after the
 * initial dump.
 * Labels are carried unchanged: a next-hop-self VPN speaker (eBGP
 * option B) would have to allocate local labels, which belongs with the
 * VRF/label allocation work; here VPN routes towards eBGP get next hop
 * self with the received labels.
 *
 * Not for: the decision process, intake.
 */
#include "rde/rde_int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"
#include "wire/msg.h"
#include "wire/update.h"

#define EXPORT_AHEAD 8 /* items of a batch whose hash slots are prefetched */

/* ---- bits and queue ---- */

int export_bits_set(struct rde_bits *b, uint32_t i)
{
	uint32_t word = i >> 6;

	if (word >= b->nwords) {
		uint32_t n = b->nwords ? b->nwords : 64;
		uint64_t *w;

		while (n <= word)
			n *= 2;
		w = realloc(b->w, n * sizeof(*w));
		if (!w)
			return -1;
		memset(w + b->nwords, 0, (n - b->nwords) * sizeof(*w));
		b->w = w;
		b->nwords = n;
	}
	if ((b->w[word] >> (i & 63)) & 1)
		return 0;
	b->w[word] |= 1ull << (i & 63);
	return 1;
}

void export_bits_clear(struct rde_bits *b, uint32_t i)
{
	if ((i >> 6) < b->nwords)
		b->w[i >> 6] &= ~(1ull << (i & 63));
}

static int queue_push(struct rde_peer *p, uint32_t ref)
{
	if (p->qlen == p->qcap) {
		uint32_t cap = p->qcap ? p->qcap * 2 : 256;
		uint32_t *q = malloc(cap * sizeof(*q));

		if (!q)
			return -1;
		for (uint32_t i = 0; i < p->qlen; i++)
			q[i] = p->queue[(p->qhead + i) % p->qcap];
		free(p->queue);
		p->queue = q;
		p->qcap = cap;
		p->qhead = 0;
	}
	p->queue[(p->qhead + p->qlen) % p->qcap] = ref;
	p->qlen++;
	return 0;
}

static uint32_t queue_pop(struct rde_peer *p)
{
	uint32_t ref = p->queue[p->qhead];

	p->qhead = (p->qhead + 1) % p->qcap;
	if (!--p->qlen && p->qcap > 4096) {
		/* a drained burst (initial load) gives its memory back */
		free(p->queue);
		p->queue = NULL;
		p->qcap = p->qhead = 0;
	}
	return ref;
}

static void net_ref(struct rde *rde, enum bgp_fam f, uint32_t idx, int d)
{
	struct rib_net *net = rib_net_at(&rde->ribs[f], idx);

	net->nref = (uint16_t)(net->nref + d);
	if (d < 0)
		rde_net_maybe_free(rde, f, idx);
}

/* ---- the outbound rules ---- */

static bool vpn_held(const struct rde_peer *p, enum bgp_fam f)
{
	/* RFC 4684 s6: VPN routes may wait for the peer's RTC End-of-RIB (or
	 * the caller's timeout) so that its membership is known first; see
	 * export_peer_start for when they do */
	return rtc_fam_filtered(f) && (p->sp.fams & bgp_fam_bit(BGP_FAM_RTC)) && !p->rtc_released;
}

/* May path rp of a net go to peer p at all (RFC 4271 s9.2, RFC 4456 s6,
 * RFC 1997)?  The RT-Constraint filter is applied by the caller. */
static bool path_allowed(struct rde *rde, const struct rde_peer *p, const struct rib_path *rp)
{
	const struct attrset *as;
	const struct rde_peer *src;

	if (rp->peer == p->id)
		return false; /* never back to where it came from */
	as = attrset_get(&rde->attrs, rp->attrs);
	if (as->flags & ATTRSET_NO_ADVERTISE)
		return false; /* RFC 1997 */
	if (!p->ibgp && (as->flags & ATTRSET_NO_EXPORT))
		return false; /* RFC 1997 */
	src = rde_peer_get(rde, rp->peer);
	/* RFC 4271 s9.2: routes from an internal peer are not sent to other
	 * internal peers; RFC 4456 s6 lets a reflector send those from a
	 * client to everyone and those from a non-client to clients */
	if (src && src->ibgp && p->ibgp && !src->cfg.rr_client && !p->cfg.rr_client)
		return false;
	return true;
}

/* A membership path p can use: allowed, and not one p originated itself
 * behind another reflector (RFC 4456 s8: p would ignore its own
 * ORIGINATOR_ID, and learn nothing from it). */
static bool rtc_path_allowed(struct rde *rde, const struct rde_peer *p, const struct rib_path *rp)
{
	const struct attrset *as = attrset_get(&rde->attrs, rp->attrs);

	if (!path_allowed(rde, p, rp))
		return false;
	return !(p->ibgp && (as->flags & ATTRSET_HAS_ORIGINATOR) &&
		 as->originator_id == p->remote_bgp_id);
}

/*
 * The RT membership path for peer p (RFC 4684 s3.2).  Membership routes
 * build the VPN route distribution graph: a speaker that does not hear
 * from us that we (or those behind us) import an RT keeps its VPN routes
 * with that RT from us (RFC 4684 s4).  With the best path alone, the peer
 * that sent the best path would never hear of the others: when several
 * clients of a reflector import the same RT, the one with the lowest BGP
 * identifier wins and gets nothing back, and its routes for that RT never
 * reach the other clients.  So towards p the path advertised is the best
 * among the paths p may have that were not received from p (and that p
 * did not originate): the overall best when p may have it, else the best
 * of the rest by the same decision process.  It carries its own
 * originator's ORIGINATOR_ID and our CLUSTER_LIST (RFC 4456 s8, enc_get).
 */
static const struct rib_path *rtc_path_for(struct rde *rde, const struct rde_peer *p, uint32_t idx)
{
	const struct rib_net *net = rib_net_at(&rde->ribs[BGP_FAM_RTC], idx);
	const struct rib_path *bp = rde_path(rde, net->paths);
	size_t n, m = 0;

	if (rtc_path_allowed(rde, p, bp))
		return bp;
	if (!bp->next)
		return NULL;
	rde_decision_cands(rde, BGP_FAM_RTC, idx, &n);
	for (size_t i = 0; i < n; i++) {
		if (!rtc_path_allowed(rde, p, rde_path(rde, rde->cand_paths[i])))
			continue;
		rde->cands[m] = rde->cands[i];
		rde->cand_paths[m++] = rde->cand_paths[i];
	}
	if (!m)
		return NULL;
	return rde_path(rde, rde->cand_paths[decision_select(rde->cands, m, &rde->dcfg, NULL)]);
}

/* The path of the net peer p should have (the best path, or for RT
 * membership the best one p may have), else NULL. */
static const struct rib_path *export_filter(struct rde *rde, struct rde_peer *p, enum bgp_fam f,
					    uint32_t idx)
{
	const struct rib_net *net = rib_net_at(&rde->ribs[f], idx);
	const struct rib_path *bp;
	const struct attrset *as;

	if (!(net->flags & RIB_NET_BEST))
		return NULL;
	if (f == BGP_FAM_RTC)
		return rtc_path_for(rde, p, idx);
	bp = rde_path(rde, net->paths);
	if (!path_allowed(rde, p, bp))
		return NULL;
	/* RFC 4684 s4: VPN routes only where the peer's membership matches.
	 * p->rtc holds every membership path p sent us, best or not (RFC
	 * 4684 s3.2: the filter towards a peer is built from all of them) */
	if (rtc_fam_filtered(f) && (p->sp.fams & bgp_fam_bit(BGP_FAM_RTC))) {
		struct rbuf b;

		as = attrset_get(&rde->attrs, bp->attrs);
		attrset_bytes(&rde->attrs, bp->attrs, &b);
		if (!rtc_set_match(&p->rtc, rbuf_ptr(&b) + as->ecomm_off, as->ecomm_len))
			return NULL;
	}
	return bp;
}

static enum export_kind resolve(struct rde *rde, struct rde_peer *p, enum bgp_fam f, uint32_t idx,
				bool reeval, const struct rib_path **out)
{
	const struct rib_path *bp = export_filter(rde, p, f, idx);
	bool adv = bits_get(&p->adv[f], idx);

	*out = bp;
	if (bp)
		return reeval && adv ? EXP_NONE : EXP_ANNOUNCE;
	return adv ? EXP_WITHDRAW : EXP_NONE;
}

/* ---- change notification ---- */

/* Drop the queue: its nets keep their pend bits, the scan finds them. */
static void spill_start(struct rde_peer *p)
{
	free(p->queue);
	p->queue = NULL;
	p->qhead = p->qlen = p->qcap = 0;
	p->spill = true;
	p->spill_again = false;
	p->spill_fam = 0;
	p->spill_cursor = 0;
}

static void enqueue(struct rde *rde, struct rde_peer *p, enum bgp_fam f, uint32_t idx)
{
	int r = export_bits_set(&p->pend[f], idx);

	if (r <= 0)
		return;
	if (!p->spill && p->qlen >= RDE_QUEUE_SPILL)
		spill_start(p);
	if (p->spill) {
		if (f < p->spill_fam || (f == p->spill_fam && idx < p->spill_cursor))
			p->spill_again = true;
	} else if (queue_push(p, (uint32_t)f << RDE_REF_FAM_SHIFT | idx) != 0) {
		spill_start(p); /* out of memory for the queue: the bits still work */
	}
	net_ref(rde, f, idx, 1);
}

/* The next net marked pend at or after the scan cursor, or 0 when the scan
 * is over (then it ends, or restarts when nets behind it were marked). */
static uint32_t spill_next(struct rde_peer *p, enum bgp_fam *fam, unsigned *used)
{
	while (p->spill_fam < BGP_FAM_COUNT) {
		const struct rde_bits *b = &p->pend[p->spill_fam];
		uint32_t wi = p->spill_cursor >> 6;

		if (wi < b->nwords) {
			uint64_t word = b->w[wi] & (~0ull << (p->spill_cursor & 63));

			(*used)++;
			if (word) {
				uint32_t idx = wi * 64 + (uint32_t)__builtin_ctzll(word);

				p->spill_cursor = idx + 1;
				*fam = (enum bgp_fam)p->spill_fam;
				return idx;
			}
			p->spill_cursor = (wi + 1) * 64;
			continue;
		}
		p->spill_fam++;
		p->spill_cursor = 0;
	}
	if (p->spill_again) {
		p->spill_again = false;
		p->spill_fam = 0;
		p->spill_cursor = 0;
	} else {
		p->spill = false;
	}
	return 0;
}

void export_net_changed(struct rde *rde, enum bgp_fam f, uint32_t idx, bool had_best)
{
	const struct rib_net *net = rib_net_at(&rde->ribs[f], idx);

	(void)had_best;
	for (uint32_t i = 1; i < rde->npeers; i++) {
		struct rde_peer *p = rde->peers[i];
		const struct rde_walk *w;

		if (!p || !rde_fam_up(p, f) || bits_get(&p->pend[f], idx))
			continue;
		w = &p->walk[f];
		/* a full walk that has not reached this net will send it */
		if (w->mode == WALK_FULL &&
		    (w->state == WALK_PENDING || (w->state == WALK_ACTIVE && idx >= w->cursor)))
			continue;
		if (!(net->flags & RIB_NET_BEST) && !bits_get(&p->adv[f], idx))
			continue; /* gone, and never sent: nothing to withdraw */
		enqueue(rde, p, f, idx);
	}
}

void export_rtc_others_changed(struct rde *rde, uint32_t idx)
{
	const struct rib_net *net = rib_net_at(&rde->ribs[BGP_FAM_RTC], idx);

	if (!(net->flags & RIB_NET_BEST))
		return;
	for (uint32_t i = 1; i < rde->npeers; i++) {
		struct rde_peer *p = rde->peers[i];
		const struct rde_walk *w;

		if (!p || !rde_fam_up(p, BGP_FAM_RTC) || bits_get(&p->pend[BGP_FAM_RTC], idx))
			continue;
		if (rtc_path_allowed(rde, p, rde_path(rde, net->paths)))
			continue; /* has the best path, which did not change */
		w = &p->walk[BGP_FAM_RTC];
		if (w->mode == WALK_FULL &&
		    (w->state == WALK_PENDING || (w->state == WALK_ACTIVE && idx >= w->cursor)))
			continue;
		enqueue(rde, p, BGP_FAM_RTC, idx);
	}
}

static void walk_start(struct rde_walk *w, enum rde_walk_mode mode, bool eor)
{
	w->state = WALK_PENDING;
	w->mode = (uint8_t)mode;
	w->eor = eor;
	w->reeval_next = false;
	w->cursor = 1;
}

void export_peer_start(struct rde *rde, struct rde_peer *p)
{
	(void)rde;
	/* RFC 4684 s6 allows waiting for the RTC End-of-RIB, which is only
	 * promised by a speaker that negotiated graceful restart (RFC 4724
	 * s2); without it many never send one, and waiting would hold every
	 * VPN route until the caller's timeout.  Without the wait nothing
	 * is sent too early: the membership filter (export_filter) lets a
	 * route through only once the peer has asked for its RT. */
	p->rtc_released = !(p->sp.fams & bgp_fam_bit(BGP_FAM_RTC)) || !p->sp.gr;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		memset(&p->walk[f], 0, sizeof(p->walk[f]));
		if (rde_fam_up(p, (enum bgp_fam)f))
			walk_start(&p->walk[f], WALK_FULL, true);
	}
}

void export_peer_stop(struct rde *rde, struct rde_peer *p)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct rde_bits *bs[2] = {&p->adv[f], &p->pend[f]};

		for (int k = 0; k < 2; k++) {
			struct rde_bits *b = bs[k];

			for (uint32_t wi = 0; wi < b->nwords; wi++) {
				uint64_t word = b->w[wi];

				b->w[wi] = 0;
				while (word) {
					uint32_t bit = (uint32_t)__builtin_ctzll(word);

					word &= word - 1;
					net_ref(rde, (enum bgp_fam)f, wi * 64 + bit, -1);
				}
			}
			free(b->w);
			b->w = NULL;
			b->nwords = 0;
		}
		memset(&p->walk[f], 0, sizeof(p->walk[f]));
		p->n_adv[f] = 0;
	}
	p->qhead = p->qlen = 0;
	p->spill = p->spill_again = false;
	p->bpos = p->blen = 0;
}

void export_rtc_changed(struct rde *rde, struct rde_peer *p)
{
	(void)rde;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct rde_walk *w = &p->walk[f];

		if (!rtc_fam_filtered((enum bgp_fam)f) || !rde_fam_up(p, (enum bgp_fam)f))
			continue;
		if (w->state == WALK_NONE)
			walk_start(w, WALK_REEVAL, false);
		else if (w->mode == WALK_REEVAL)
			w->cursor = 1;
		else if (w->state == WALK_ACTIVE)
			w->reeval_next = true; /* the part already walked used the old set */
	}
}

void export_refresh(struct rde *rde, struct rde_peer *p, enum bgp_fam f)
{
	struct rde_walk *w = &p->walk[f];

	(void)rde;
	/* RFC 2918: send the Adj-RIB-Out again; an initial dump still running
	 * keeps its End-of-RIB */
	walk_start(w, WALK_FULL, w->state != WALK_NONE && w->eor);
}

void export_release_vpn(struct rde *rde, struct rde_peer *p)
{
	(void)rde;
	p->rtc_released = true;
}

/* ---- batches ---- */

/* Walk order: RT-Constraint first (RFC 4684 s6), VPN families last. */
static const enum bgp_fam walk_order[BGP_FAM_COUNT] = {
    BGP_FAM_RTC,     BGP_FAM_IPV4_UNICAST, BGP_FAM_IPV6_UNICAST, BGP_FAM_IPV4_LU,
    BGP_FAM_IPV6_LU, BGP_FAM_FLOW4,	   BGP_FAM_FLOW6,	 BGP_FAM_VPNV4,
    BGP_FAM_VPNV6,   BGP_FAM_VPNFLOW4,	   BGP_FAM_VPNFLOW6,
};

static int walk_pick(const struct rde_peer *p)
{
	for (int i = 0; i < BGP_FAM_COUNT; i++) {
		enum bgp_fam f = walk_order[i];

		if (p->walk[f].state != WALK_NONE && !vpn_held(p, f))
			return f;
	}
	return -1;
}

static void batch_push(struct rde_peer *p, enum bgp_fam f, uint32_t idx, enum export_kind k,
		       bool reeval, const struct rib_path *bp)
{
	struct export_item *it = &p->batch[p->blen++];

	memset(it, 0, sizeof(*it));
	it->net = idx;
	it->fam = (uint8_t)f;
	it->kind = (uint8_t)k;
	it->reeval = reeval;
	if (bp && k == EXP_ANNOUNCE) {
		it->src = bp->peer;
		it->attrs = bp->attrs;
		it->nh = bp->nh;
	}
}

static int item_cmp(const void *a, const void *b)
{
	const struct export_item *x = a, *y = b;

	if (x->fam != y->fam)
		return x->fam < y->fam ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->attrs != y->attrs)
		return x->attrs < y->attrs ? -1 : 1;
	if (x->nh != y->nh)
		return x->nh < y->nh ? -1 : 1;
	return x->net < y->net ? -1 : x->net > y->net;
}

/* One step of walk f; returns units used. */
static unsigned walk_step(struct rde *rde, struct rde_peer *p, enum bgp_fam f)
{
	struct rde_walk *w = &p->walk[f];
	const struct rib *rib = &rde->ribs[f];
	const struct rib_path *bp;
	enum export_kind k;
	uint32_t idx;

	w->state = WALK_ACTIVE;
	if (w->cursor >= rib_net_top(rib)) {
		bool again = w->reeval_next;

		if (w->eor)
			batch_push(p, f, 0, EXP_EOR, false, NULL);
		memset(w, 0, sizeof(*w));
		if (again)
			walk_start(w, WALK_REEVAL, false);
		return 1;
	}
	idx = w->cursor++;
	if (!(rib_net_at(rib, idx)->flags & RIB_NET_USED) || bits_get(&p->pend[f], idx))
		return 1;
	k = resolve(rde, p, f, idx, w->mode == WALK_REEVAL, &bp);
	if (k == EXP_NONE || export_bits_set(&p->pend[f], idx) <= 0)
		return 1;
	net_ref(rde, f, idx, 1);
	batch_push(p, f, idx, k, w->mode == WALK_REEVAL, bp);
	return 1;
}

static void item_done(struct rde *rde, struct rde_peer *p, const struct export_item *it,
		      enum export_kind k)
{
	enum bgp_fam f = (enum bgp_fam)it->fam;

	if (k == EXP_ANNOUNCE && export_bits_set(&p->adv[f], it->net) == 1) {
		net_ref(rde, f, it->net, 1);
		p->n_adv[f]++;
	} else if (k == EXP_WITHDRAW && bits_get(&p->adv[f], it->net)) {
		export_bits_clear(&p->adv[f], it->net);
		p->n_adv[f]--;
		net_ref(rde, f, it->net, -1);
	}
	export_bits_clear(&p->pend[f], it->net);
	net_ref(rde, f, it->net, -1);
}

/* Fill the batch from the walks, then the queue.  A batch is always
 * filled whole (at most RDE_BATCH nets, walk steps over free slots
 * included up to twice that), even past the caller's budget: packing
 * needs whole runs, and the overrun is bounded by this constant. */
static unsigned batch_fill(struct rde *rde, struct rde_peer *p)
{
	unsigned used = 0;
	bool walked = false;

	p->bpos = p->blen = 0;
	while (p->blen < RDE_BATCH && used < 2 * RDE_BATCH) {
		int f = walk_pick(p);

		if (f >= 0) {
			used += walk_step(rde, p, (enum bgp_fam)f);
			walked = true;
			continue;
		}
		enum bgp_fam qf;
		uint32_t idx;
		const struct rib_path *bp;

		if (p->spill) {
			/* walk items in this batch have pend bits too: scan
			 * only in a batch of its own; a restarted scan would
			 * find this batch's nets again, so it waits too */
			bool again = p->spill_again;

			if (walked || (idx = spill_next(p, &qf, &used)) == 0) {
				if (!walked && !p->blen && again && p->spill)
					continue;
				break;
			}
		} else if (p->qlen) {
			uint32_t ref = queue_pop(p);

			qf = (enum bgp_fam)(ref >> RDE_REF_FAM_SHIFT);
			idx = ref & RDE_NET_MAX;
		} else {
			break;
		}
		enum export_kind k = resolve(rde, p, qf, idx, false, &bp);

		used++;
		batch_push(p, qf, idx, k, false, bp);
		if (k == EXP_NONE) {
			item_done(rde, p, &p->batch[p->blen - 1], EXP_NONE);
			p->blen--;
		}
	}
	qsort(p->batch, p->blen, sizeof(*p->batch), item_cmp);
	return used;
}

/* ---- attribute encoding towards a peer ---- */

struct enc_ctx {
	struct wbuf *w;
	struct enc_cache *c;
	uint32_t local_as, cluster_id, src_bgp_id;
	bool ebgp, as4, reflect, local_src;
	bool lp_done, orig_done, cl_done, a_done, b_done;
};

static void enc_boundary(struct enc_ctx *e, unsigned type)
{
	if (type >= BGP_ATTR_NEXT_HOP && !e->a_done) {
		e->c->len_a = (uint16_t)wbuf_len(e->w);
		e->a_done = true;
	}
	if (type >= BGP_ATTR_MP_REACH_NLRI && !e->b_done) {
		e->c->len_b = (uint16_t)(wbuf_len(e->w) - e->c->len_a);
		e->b_done = true;
	}
}

static void put_u32_attr(struct wbuf *w, uint8_t flags, uint8_t type, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	bgp_attr_put(w, flags, type, b, 4);
}

/* Attributes we add that the set lacks, before an attribute of `type`. */
static void enc_missing(struct enc_ctx *e, unsigned type)
{
	if (type > BGP_ATTR_LOCAL_PREF && !e->lp_done && !e->ebgp) {
		enc_boundary(e, BGP_ATTR_LOCAL_PREF);
		/* RFC 4271 s5.1.5: every UPDATE to an internal peer carries it */
		put_u32_attr(e->w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF, 100);
		e->lp_done = true;
	}
	if (type > BGP_ATTR_ORIGINATOR_ID && !e->orig_done && e->reflect) {
		enc_boundary(e, BGP_ATTR_ORIGINATOR_ID);
		/* RFC 4456 s8: the BGP id of the originator in the local AS */
		put_u32_attr(e->w, BGP_AF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, e->src_bgp_id);
		e->orig_done = true;
	}
	if (type > BGP_ATTR_CLUSTER_LIST && !e->cl_done && e->reflect) {
		enc_boundary(e, BGP_ATTR_CLUSTER_LIST);
		put_u32_attr(e->w, BGP_AF_OPTIONAL, BGP_ATTR_CLUSTER_LIST, e->cluster_id);
		e->cl_done = true;
	}
}

static void narrow_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	struct wbuf *w = ctx;

	wbuf_u8(w, type);
	wbuf_u8(w, (uint8_t)n);
	for (unsigned i = 0; i < n; i++)
		wbuf_u16(w, asns[i] > 0xffff ? BGP_AS_TRANS : (uint16_t)asns[i]);
}

static void enc_as_path(struct enc_ctx *e, uint8_t flags, struct rbuf val)
{
	uint8_t tmp[4096 + 6];
	struct wbuf t;
	struct rbuf path;
	uint8_t st = 0, cnt = 0;
	size_t mark;

	wbuf_init(&t, tmp, sizeof(tmp));
	if (e->ebgp) {
		/* RFC 4271 s5.1.2: prepend our AS to the leftmost AS_SEQUENCE,
		 * or add a new one when there is none or it is full */
		struct rbuf r = val;

		if (rbuf_u8(&r, &st) && rbuf_u8(&r, &cnt) && st == BGP_AS_SEQUENCE && cnt < 255) {
			wbuf_u8(&t, BGP_AS_SEQUENCE);
			wbuf_u8(&t, (uint8_t)(cnt + 1));
			wbuf_u32(&t, e->local_as);
			wbuf_bytes(&t, rbuf_ptr(&r), rbuf_left(&r));
		} else {
			wbuf_u8(&t, BGP_AS_SEQUENCE);
			wbuf_u8(&t, 1);
			wbuf_u32(&t, e->local_as);
			wbuf_bytes(&t, rbuf_ptr(&val), rbuf_left(&val));
		}
		rbuf_init(&path, tmp, wbuf_len(&t));
	} else {
		path = val;
	}
	mark = bgp_attr_begin(e->w, flags, BGP_ATTR_AS_PATH);
	if (e->as4)
		wbuf_bytes(e->w, rbuf_ptr(&path), rbuf_left(&path));
	else /* RFC 6793 s4.2.2, without the AS4_PATH (see the file header) */
		bgp_aspath_walk(&path, true, narrow_seg, e->w);
	bgp_attr_end(e->w, mark);
}

static void enc_cluster_list(struct enc_ctx *e, uint8_t flags, struct rbuf val)
{
	size_t mark = bgp_attr_begin(e->w, flags, BGP_ATTR_CLUSTER_LIST);

	/* RFC 4456 s8: prepend our CLUSTER_ID */
	wbuf_u32(e->w, e->cluster_id);
	wbuf_bytes(e->w, rbuf_ptr(&val), rbuf_left(&val));
	bgp_attr_end(e->w, mark);
	e->cl_done = true;
}

static void enc_attrs(struct rde *rde, struct enc_ctx *e, uint32_t attrs)
{
	struct rbuf list, val;
	uint8_t flags, type;

	attrset_bytes(&rde->attrs, attrs, &list);
	while (attrset_next(&list, &flags, &type, &val)) {
		enc_missing(e, type);
		enc_boundary(e, type);
		switch (type) {
		case BGP_ATTR_AS_PATH:
			enc_as_path(e, flags, val);
			continue;
		case BGP_ATTR_MED:
			/* RFC 4271 s5.1.4: not passed on to other neighbouring ASes */
			if (e->ebgp && !e->local_src)
				continue;
			break;
		case BGP_ATTR_LOCAL_PREF:
			e->lp_done = true;
			if (e->ebgp) /* RFC 4271 s5.1.5 */
				continue;
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			e->orig_done = true;
			if (e->ebgp) /* RFC 4456: internal to the AS */
				continue;
			break;
		case BGP_ATTR_CLUSTER_LIST:
			if (e->ebgp) {
				e->cl_done = true;
				continue;
			}
			if (e->reflect) {
				enc_cluster_list(e, flags, val);
				continue;
			}
			e->cl_done = true;
			break;
		case BGP_ATTR_AGGREGATOR:
			if (!e->as4) {
				uint32_t as = 0;
				uint8_t b[6];

				if (!rbuf_u32(&val, &as) || !rbuf_bytes(&val, b + 2, 4))
					continue;
				b[0] = (uint8_t)((as > 0xffff ? BGP_AS_TRANS : as) >> 8);
				b[1] = (uint8_t)(as > 0xffff ? BGP_AS_TRANS : as);
				bgp_attr_put(e->w, flags, type, b, 6);
				continue;
			}
			break;
		default:
			break;
		}
		bgp_attr_put(e->w, flags, type, rbuf_ptr(&val), rbuf_left(&val));
	}
	enc_missing(e, 256);
	enc_boundary(e, 256);
}

static struct enc_cache *enc_get(struct rde *rde, struct rde_peer *p, const struct rib_path *bp)
{
	const struct rde_peer *src = rde_peer_get(rde, bp->peer);
	uint8_t src_class = !src ? SRC_LOCAL : src->ibgp ? SRC_IBGP : SRC_EBGP;
	uint32_t src_id = src ? src->remote_bgp_id : rde->cfg.router_id;
	uint32_t gen = intern_gen(rde->attrs.in, bp->attrs);
	uint8_t ebgp = !p->ibgp, as4 = p->sp.as4;
	uint32_t slot = (bp->attrs * 31u + src_id * 7u + ebgp * 2u + as4) % RDE_ENC_CACHE;
	struct enc_cache *c = &rde->cache[slot];
	struct enc_ctx e;
	struct wbuf w;

	if (c->valid && c->attrs == bp->attrs && c->attrs_gen == gen && c->src_class == src_class &&
	    c->src_bgp_id == src_id && c->dst_ebgp == ebgp && c->dst_as4 == as4)
		return c;
	if (!c->buf) {
		c->buf = malloc(BGP_EXT_MAX_LEN);
		if (!c->buf)
			return NULL;
		c->cap = BGP_EXT_MAX_LEN;
	}
	c->valid = false;
	wbuf_init(&w, c->buf, c->cap);
	memset(&e, 0, sizeof(e));
	e.w = &w;
	e.c = c;
	e.local_as = rde->cfg.local_as;
	e.cluster_id = rde->cfg.cluster_id;
	e.src_bgp_id = src_id;
	e.ebgp = ebgp;
	e.as4 = as4;
	e.local_src = src_class == SRC_LOCAL;
	e.reflect = src_class == SRC_IBGP && !ebgp; /* RFC 4456 s8 */
	enc_attrs(rde, &e, bp->attrs);
	if (!wbuf_ok(&w))
		return NULL;
	c->len_c = (uint16_t)(wbuf_len(&w) - c->len_a - c->len_b);
	c->valid = true;
	c->attrs = bp->attrs;
	c->attrs_gen = gen;
	c->src_class = src_class;
	c->src_bgp_id = src_id;
	c->dst_ebgp = ebgp;
	c->dst_as4 = as4;
	return c;
}

/* ---- messages ---- */

static size_t max_len(const struct rde_peer *p)
{
	return p->sp.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
}

static void msg_send(struct rde *rde, struct rde_peer *p, struct wbuf *w)
{
	rde->send(rde->ctx, p->id, w->buf, wbuf_len(w));
	p->tx_updates++;
}

static void send_eor(struct rde *rde, struct rde_peer *p, enum bgp_fam f)
{
	struct wbuf w;
	size_t hdr;

	wbuf_init(&w, rde->msg, BGP_MAX_LEN);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0);
	if (f == BGP_FAM_IPV4_UNICAST) {
		wbuf_u16(&w, 0); /* RFC 4724 s2: an UPDATE with nothing in it */
	} else {
		/* RFC 4724 s2: MP_UNREACH_NLRI with only the AFI/SAFI */
		wbuf_u16(&w, 6);
		wbuf_u8(&w, BGP_AF_OPTIONAL);
		wbuf_u8(&w, BGP_ATTR_MP_UNREACH_NLRI);
		wbuf_u8(&w, 3);
		wbuf_u16(&w, bgp_fam_table[f].afi);
		wbuf_u8(&w, bgp_fam_table[f].safi);
	}
	bgp_hdr_end(&w, hdr);
	msg_send(rde, p, &w);
}

/* The next hop towards p (RFC 4271 s5.1.3). */
static void out_nh(struct rde *rde, const struct rde_peer *p, enum bgp_fam f,
		   const struct rib_path *bp, struct ipaddr *nh)
{
	enum bgp_nlri_kind k = bgp_fam_table[f].kind;

	rde_path_nh(rde, bp, nh);
	if (k == BGP_NK_FLOW || k == BGP_NK_VPNFLOW)
		return; /* RFC 8955 s6: passed as is (usually none) */
	if (!p->ibgp || p->cfg.next_hop_self || !bp->peer || !nh->afi)
		*nh = p->local_addr;
}

static void put_mp_nh(struct wbuf *w, enum bgp_fam f, const struct ipaddr *nh)
{
	const struct bgp_fam_desc *d = &bgp_fam_table[f];
	bool vpn = d->kind == BGP_NK_VPN;
	struct ipaddr a = *nh;
	unsigned ab;

	if (!a.afi) {
		wbuf_u8(w, 0);
		return;
	}
	if (d->addr_afi == BGP_AFI_IPV6 && a.afi == AFI_IPV4 && d->kind != BGP_NK_FLOW &&
	    d->kind != BGP_NK_VPNFLOW) {
		/* IPv4-mapped IPv6 next hop (RFC 4659 s3.2.1.2, RFC 4798 s2) */
		memmove(a.b + 12, a.b, 4);
		memset(a.b, 0, 10);
		a.b[10] = a.b[11] = 0xff;
		a.afi = AFI_IPV6;
	}
	ab = a.afi == AFI_IPV6 ? 16 : 4;
	wbuf_u8(w, (uint8_t)(ab + (vpn ? 8 : 0)));
	if (vpn)
		wbuf_zero(w, 8); /* RFC 4364 s4.3.2: RD of zeros */
	wbuf_bytes(w, a.b, ab);
}

static bool addpath_tx(const struct rde_peer *p, enum bgp_fam f)
{
	return p->sp.addpath_tx & bgp_fam_bit(f);
}

/* Encode the NLRI of one item; false when it does not fit. */
static bool put_nlri(struct rde *rde, struct rde_peer *p, const struct export_item *it,
		     const struct rib_path *bp, struct wbuf *w, bool wd)
{
	struct bgp_nlri n;
	size_t before = wbuf_mark(w);
	bool ap = addpath_tx(p, (enum bgp_fam)it->fam);

	rib_net_nlri(&rde->ribs[it->fam], it->net, &n);
	if (bp && !wd)
		rde_path_labels(rde, bp, &n.labels);
	/* only the best path is sent; with ADD-PATH it carries id 1 */
	n.has_path_id = ap;
	n.path_id = ap ? 1 : 0;
	bgp_nlri_encode(w, &n, ap, wd);
	if (!wbuf_ok(w)) {
		wbuf_truncate(w, before);
		return false;
	}
	return true;
}

/* Build and send one message starting at the batch head; returns units. */
static unsigned build_one(struct rde *rde, struct rde_peer *p)
{
	struct export_item *it = &p->batch[p->bpos];
	enum bgp_fam f = (enum bgp_fam)it->fam;
	const struct rib_path *bp, *first;
	enum export_kind kind;
	struct enc_cache *c = NULL;
	struct ipaddr nh;
	struct wbuf w;
	size_t hdr, alen = 0, mp = 0, count = 0, cap = max_len(p);
	bool use_mp;
	unsigned used = 0;

	if (it->kind == EXP_EOR) {
		send_eor(rde, p, f);
		p->bpos++;
		return 1;
	}
	kind = resolve(rde, p, f, it->net, it->reeval, &first);
	if (kind == EXP_NONE) {
		item_done(rde, p, it, EXP_NONE);
		p->bpos++;
		return 1;
	}
	if (kind == EXP_ANNOUNCE) {
		c = enc_get(rde, p, first);
		out_nh(rde, p, f, first, &nh);
	}
	use_mp = f != BGP_FAM_IPV4_UNICAST || (kind == EXP_ANNOUNCE && nh.afi != AFI_IPV4);
	wbuf_init(&w, rde->msg, cap);
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	if (kind == EXP_WITHDRAW && !use_mp) {
		alen = wbuf_mark(&w); /* withdrawn routes length */
		wbuf_u16(&w, 0);
		w.cap -= 2;
	} else {
		wbuf_u16(&w, 0);
		alen = wbuf_mark(&w);
		wbuf_u16(&w, 0);
		if (kind == EXP_ANNOUNCE && c) {
			wbuf_bytes(&w, c->buf, c->len_a);
			if (!use_mp) {
				bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_NEXT_HOP, nh.b, 4);
				wbuf_bytes(&w, c->buf + c->len_a, c->len_b + c->len_c);
			} else {
				wbuf_bytes(&w, c->buf + c->len_a, c->len_b);
			}
		}
		if (use_mp) {
			mp = bgp_attr_begin(&w, BGP_AF_OPTIONAL,
					    kind == EXP_ANNOUNCE ? BGP_ATTR_MP_REACH_NLRI
								 : BGP_ATTR_MP_UNREACH_NLRI);
			wbuf_u16(&w, bgp_fam_table[f].afi);
			wbuf_u8(&w, bgp_fam_table[f].safi);
			if (kind == EXP_ANNOUNCE) {
				put_mp_nh(&w, f, &nh);
				wbuf_u8(&w, 0); /* reserved, RFC 4760 s3 */
				if (c)
					w.cap -= c->len_c;
			}
		} else {
			wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
		}
	}
	if (!wbuf_ok(&w) || (kind == EXP_ANNOUNCE && !c))
		goto drop; /* attributes alone do not fit: cannot be sent */
	for (;;) {
		struct export_item *x;
		enum export_kind k;

		/* a run may continue in the next batch: refill, keep packing */
		if (p->bpos >= p->blen) {
			used += batch_fill(rde, p);
			if (p->bpos >= p->blen)
				break;
		}
		x = &p->batch[p->bpos];

		if (x->fam != f || x->kind == EXP_EOR)
			break;
		/* a withdrawn net is usually freed by item_done: fetch the hash
		 * slot it will clear a few items ahead */
		if (p->bpos + EXPORT_AHEAD < p->blen && x[EXPORT_AHEAD].kind == EXP_WITHDRAW &&
		    x[EXPORT_AHEAD].fam == f)
			rib_net_prefetch_idx(&rde->ribs[f], x[EXPORT_AHEAD].net);
		k = resolve(rde, p, f, x->net, x->reeval, &bp);
		if (k == EXP_NONE) {
			item_done(rde, p, x, EXP_NONE);
			p->bpos++;
			used++;
			continue;
		}
		if (k != kind ||
		    (k == EXP_ANNOUNCE &&
		     (bp->attrs != first->attrs || bp->nh != first->nh || bp->peer != first->peer)))
			break;
		if (!put_nlri(rde, p, x, bp, &w, k == EXP_WITHDRAW))
			break;
		item_done(rde, p, x, k);
		p->bpos++;
		used++;
		count++;
		if (k == EXP_WITHDRAW)
			p->tx_withdraws++;
		else
			p->tx_prefixes++;
	}
	if (!count)
		goto drop;
	if (kind == EXP_WITHDRAW && !use_mp) {
		wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
		w.cap += 2;
		wbuf_u16(&w, 0);
	} else if (use_mp) {
		bgp_attr_end(&w, mp);
		if (kind == EXP_ANNOUNCE && c) {
			w.cap += c->len_c;
			wbuf_bytes(&w, c->buf + c->len_a + c->len_b, c->len_c);
		}
		wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_len(&w) - alen - 2));
	}
	bgp_hdr_end(&w, hdr);
	msg_send(rde, p, &w);
	return used;
drop:
	/* one NLRI that fits in no message (or attributes that do not):
	 * nothing can be sent for it; drop the item rather than loop */
	item_done(rde, p, &p->batch[p->bpos], EXP_NONE);
	p->bpos++;
	return used + 1;
}

unsigned export_peer_work(struct rde *rde, struct rde_peer *p, unsigned budget, bool *more)
{
	unsigned used = 0;

	*more = false;
	while (used < budget) {
		if (p->bpos >= p->blen) {
			used += batch_fill(rde, p);
			if (p->bpos >= p->blen) {
				*more = p->qlen || p->spill || walk_pick(p) >= 0;
				return used;
			}
		}
		/* one maximum-size message must fit in the peer's output */
		if (rde->room(rde->ctx, p->id) < max_len(p)) {
			*more = true;
			return used;
		}
		used += build_one(rde, p);
	}
	*more = p->bpos < p->blen || p->qlen || p->spill || walk_pick(p) >= 0;
	return used;
}

size_t export_bytes(const struct rde *rde)
{
	size_t n = 0;

	for (uint32_t i = 1; i < rde->npeers; i++) {
		const struct rde_peer *p = rde->peers[i];

		if (!p)
			continue;
		for (int f = 0; f < BGP_FAM_COUNT; f++)
			n += (size_t)(p->adv[f].nwords + p->pend[f].nwords) * 8;
		n += (size_t)p->qcap * 4 + RDE_BATCH * sizeof(struct export_item);
	}
	return n;
}
