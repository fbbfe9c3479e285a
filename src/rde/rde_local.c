/*
 * rde_local: VPN routes this PE originates (RFC 4364 s4.3.1), e.g. the
 * host routes of attachments and service-node interfaces
 * (draft-rfernando-bess-service-chaining-01 s2, s4.1.1).  They are paths
 * of RDE_PEER_NONE in the Loc-RIB and go to peers like any best path; the
 * export sets the next hop to the session's own address (export.c).
 *
 * Not for: choosing RDs, RTs or labels (svc does).
 */
#include <errno.h>
#include <string.h>

#include "lib/label.h"
#include "rde/rde_int.h"
#include "wire/nlri.h"

#define LOCAL_ECOMM_MAX 31 /* 8 bytes each within a one-octet attribute length */

static const struct rde_peer vpn_peer = {.id = RDE_PEER_NONE, .up = true, .ibgp = true};

static void key(struct bgp_nlri *n, enum bgp_fam fam, const struct rd *rd, const struct prefix *p)
{
	memset(n, 0, sizeof(*n));
	n->fam = fam;
	n->rd = *rd;
	n->pfx = *p;
}

int rde_local_vpn_update(struct rde *rde, const struct rde_local_vpn *r)
{
	uint8_t b[16 + 7 + 7 + 3 + 8 * LOCAL_ECOMM_MAX];
	uint32_t lpref = r->set_local_pref ? r->local_pref : 100;
	struct rde_peer lp = vpn_peer;
	struct bgp_verdict v;
	struct bgp_nlri n;
	size_t len = 0;
	uint32_t attrs;

	if ((r->fam != BGP_FAM_VPNV4 && r->fam != BGP_FAM_VPNV6) || r->n_ecomms > LOCAL_ECOMM_MAX) {
		errno = EINVAL;
		return -1;
	}
	/* canonical attributes in type order (attrset.c) */
	b[len++] = BGP_AF_TRANSITIVE, b[len++] = BGP_ATTR_ORIGIN, b[len++] = 1;
	b[len++] = BGP_ORIGIN_IGP;
	b[len++] = BGP_AF_TRANSITIVE, b[len++] = BGP_ATTR_AS_PATH, b[len++] = 0;
	if (r->set_med) { /* RFC 4271 s5.1.4: optional non-transitive */
		b[len++] = BGP_AF_OPTIONAL, b[len++] = BGP_ATTR_MED, b[len++] = 4;
		for (int i = 3; i >= 0; i--)
			b[len++] = (uint8_t)(r->med >> (8 * i));
	}
	b[len++] = BGP_AF_TRANSITIVE, b[len++] = BGP_ATTR_LOCAL_PREF, b[len++] = 4;
	for (int i = 3; i >= 0; i--)
		b[len++] = (uint8_t)(lpref >> (8 * i));
	if (r->n_ecomms) {
		b[len++] = BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE;
		b[len++] = BGP_ATTR_EXT_COMMUNITIES;
		b[len++] = (uint8_t)(8 * r->n_ecomms);
		for (size_t i = 0; i < r->n_ecomms; i++, len += 8)
			memcpy(b + len, r->ecomms[i].b, 8);
	}
	attrs = attrset_from_bytes(&rde->attrs, b, len);
	if (!attrs) {
		errno = ENOMEM;
		return -1;
	}
	key(&n, r->fam, &r->rd, &r->prefix);
	n.labels.n = 1;
	n.labels.e[0] = label_entry(r->label, true); /* RFC 8277 s2 */
	lp.sp.fams = bgp_fam_bit(r->fam);
	rde->now = rde_now();
	bgp_verdict_init(&v);
	nlri_announce(rde, &lp, &n, attrs, 0, &v);
	attrset_unref(&rde->attrs, attrs);
	return 0;
}

void rde_local_vpn_withdraw(struct rde *rde, enum bgp_fam fam, const struct rd *rd,
			    const struct prefix *p)
{
	struct rde_peer lp = vpn_peer;
	struct bgp_nlri n;

	key(&n, fam, rd, p);
	lp.sp.fams = bgp_fam_bit(fam);
	nlri_withdraw(rde, &lp, &n);
}
