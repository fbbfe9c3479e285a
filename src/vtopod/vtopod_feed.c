/*
 * vtopod_feed: best paths of the RDE into svc (vtopod_feed.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fib/fib.h"
#include "vtopod/vtopod_feed.h"
#include "wire/bgp.h"

static int feed_route(struct svc *svc, const struct rde_best *b, char *err, size_t errlen)
{
	struct svc_vpn_route r;

	if (b->withdraw) {
		if (svc_vpn_route_withdraw(svc, &b->rd, &b->prefix, 0) != 0 && errno != ENOENT)
			goto fail;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.rd = b->rd;
	r.prefix = b->prefix;
	r.label = b->label;
	r.nexthop = b->nexthop;
	r.rts = b->ecomms;
	r.n_rts = b->n_ecomms;
	r.local_pref = b->local_pref;
	r.med = b->med;
	r.as_path_len = b->as_path_len;
	r.neighbor_as = b->neighbor_as;
	r.origin = b->origin;
	r.ebgp = b->ebgp;
	if (svc_vpn_route_update(svc, &r) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "VPN route not imported: %s", strerror(errno));
	return -1;
}

/* RFC 8955 s8: the components after the RD; the AFI says how to read them
 * (RFC 8956 s3 for IPv6). */
static int feed_flow(struct svc *svc, const struct rde_best *b, char *err, size_t errlen)
{
	uint8_t afi = b->fam == BGP_FAM_VPNFLOW6 ? AFI_IPV6 : AFI_IPV4;
	struct svc_vpn_flow f;

	if (b->flow_len == 0 || b->flow_len > FIB_FLOW_MAX) {
		/* never held by svc, so nothing to withdraw either */
		snprintf(err, errlen, "VPN FlowSpec route of %zu bytes not installed (1..%u)",
			 b->flow_len, FIB_FLOW_MAX);
		return -1;
	}
	if (b->withdraw) {
		if (svc_vpn_flow_withdraw(svc, afi, &b->rd, b->flow, (uint8_t)b->flow_len, 0) !=
			0 &&
		    errno != ENOENT)
			goto fail;
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.afi = afi;
	f.rd = b->rd;
	f.nlri = b->flow;
	f.nlri_len = (uint8_t)b->flow_len;
	f.rts = b->ecomms;
	f.n_rts = b->n_ecomms;
	if (svc_vpn_flow_update(svc, &f) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "VPN FlowSpec route not installed: %s",
		 errno == EINVAL ? "malformed components (RFC 8955 s4.2)" : strerror(errno));
	return -1;
}

int vtopod_feed_best(struct svc *svc, const struct rde_best *b, char *err, size_t errlen)
{
	switch (b->fam) {
	case BGP_FAM_VPNV4:
	case BGP_FAM_VPNV6:
		return feed_route(svc, b, err, errlen);
	case BGP_FAM_VPNFLOW4:
	case BGP_FAM_VPNFLOW6:
		return feed_flow(svc, b, err, errlen);
	default:
		return 0; /* not a family a VRF imports */
	}
}
