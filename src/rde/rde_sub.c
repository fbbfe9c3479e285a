/*
 * rde_sub: a subscription to Loc-RIB best-path changes of ipv4-vpn and
 * ipv6-vpn (RFC 4364 s9: the VPN routes a PE imports into its VRFs), and of
 * ipv4-vpn-flowspec and ipv6-vpn-flowspec (RFC 8955 s8, RFC 8956: flow
 * routes imported by RT like VPN routes,
 * draft-rfernando-bess-service-chaining-01 s4.1.5).  The
 * decision process (rde.c) reports every net whose best path changed; the
 * subscriber receives the new best path of routes learnt from peers, or a
 * withdrawal.  One path per (RD, prefix): anycast service nodes use
 * distinct RDs (draft-rfernando-bess-service-chaining-01 s5.2), so their
 * ECMP set is formed across RDs by the subscriber.
 *
 * rde_best_refeed() reports every best path again, for a subscriber that
 * filters by route target and has just started importing new ones (RFC
 * 4364 s4.3.3: a PE keeps only the VPN routes its VRFs import; a route
 * reflector or ASBR keeps them all, so the Loc-RIB is the source).
 *
 * Not for: FlowSpec outside a VPN (SAFI 133: no VRF imports it), locally
 * originated routes (the subscriber's own; never reported back).
 */
#include <string.h>

#include "rde/rde_int.h"
#include "wire/nlri.h"

#define SUB_ECOMM_MAX 64

static bool sub_fam(enum bgp_fam fam)
{
	return fam == BGP_FAM_VPNV4 || fam == BGP_FAM_VPNV6 || fam == BGP_FAM_VPNFLOW4 ||
	       fam == BGP_FAM_VPNFLOW6;
}

void rde_best_subscribe(struct rde *rde, rde_best_fn fn, void *ctx)
{
	rde->best_fn = fn;
	rde->best_ctx = ctx;
}

void rde_sub_net_changed(struct rde *rde, enum bgp_fam fam, uint32_t idx)
{
	const struct rib_net *net;
	const struct rib_path *p;
	const struct attrset *as;
	const struct rde_peer *peer;
	struct rde_best b;
	struct bgp_nlri n;
	struct label_stack ls;
	struct ecomm ec[SUB_ECOMM_MAX];
	struct rbuf r;

	if (!rde->best_fn || !sub_fam(fam))
		return;
	net = rib_net_at(&rde->ribs[fam], idx);
	memset(&b, 0, sizeof(b));
	memset(&n, 0, sizeof(n));
	rib_net_nlri(&rde->ribs[fam], idx, &n);
	b.fam = fam;
	b.rd = n.rd;
	b.prefix = n.pfx;
	if (fam == BGP_FAM_VPNFLOW4 || fam == BGP_FAM_VPNFLOW6) {
		b.flow = rbuf_ptr(&n.flow);
		b.flow_len = rbuf_left(&n.flow);
	}
	p = (net->flags & RIB_NET_BEST) && net->paths ? rde_path(rde, net->paths) : NULL;
	if (p && p->peer == RDE_PEER_NONE)
		return; /* the subscriber's own route */
	if (!p) {
		b.withdraw = true;
		rde->best_fn(rde->best_ctx, &b);
		return;
	}
	rde_path_labels(rde, p, &ls);
	b.label = ls.n > 0 ? label_value(ls.e[0]) : 0;
	rde_path_nh(rde, p, &b.nexthop);
	as = attrset_get(&rde->attrs, p->attrs);
	/* RFC 4271 s9.1.1: a missing LOCAL_PREF (from an eBGP peer) */
	b.local_pref = (as->flags & ATTRSET_HAS_LOCAL_PREF) ? as->local_pref : 100;
	b.med = (as->flags & ATTRSET_HAS_MED) ? as->med : 0;
	b.as_path_len = as->as_path_len;
	b.neighbor_as = as->neighbor_as;
	b.origin = as->origin;
	peer = rde_peer_get(rde, p->peer);
	b.ebgp = peer != NULL && !peer->ibgp;
	attrset_bytes(&rde->attrs, p->attrs, &r);
	for (size_t o = as->ecomm_off; o + 8 <= (size_t)as->ecomm_off + as->ecomm_len &&
				       o + 8 <= r.end && b.n_ecomms < SUB_ECOMM_MAX;
	     o += 8)
		memcpy(ec[b.n_ecomms++].b, r.base + r.pos + o, 8);
	b.ecomms = ec;
	rde->best_fn(rde->best_ctx, &b);
}

size_t rde_best_refeed(struct rde *rde)
{
	static const enum bgp_fam fams[] = {BGP_FAM_VPNV4, BGP_FAM_VPNV6, BGP_FAM_VPNFLOW4,
					    BGP_FAM_VPNFLOW6};
	size_t n = 0;

	if (!rde->best_fn)
		return 0;
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		const struct rib *rib = &rde->ribs[fams[i]];

		for (uint32_t idx = 1; idx < rib_net_top(rib); idx++) {
			const struct rib_net *net = rib_net_at(rib, idx);

			if ((net->flags & (RIB_NET_USED | RIB_NET_BEST)) !=
			    (RIB_NET_USED | RIB_NET_BEST))
				continue;
			rde_sub_net_changed(rde, fams[i], idx);
			n++;
		}
	}
	return n;
}
