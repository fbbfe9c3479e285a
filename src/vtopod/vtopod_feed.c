/*
 * vtopod_feed: best paths of the RDE into svc (vtopod_feed.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

static int rt_qcmp(const void *a, const void *b)
{
	return ecomm_cmp(a, b);
}

static bool rts_has(const struct feed_rts *f, const struct ecomm *rt)
{
	return f->n > 0 && bsearch(rt, f->rt, f->n, sizeof(f->rt[0]), rt_qcmp) != NULL;
}

int feed_rts_set(struct feed_rts *f, const struct ecomm *rts, size_t n, struct feed_rts *added,
		 size_t *removed)
{
	struct ecomm *v = malloc((n ? n : 1) * sizeof(*v));
	struct ecomm *a = added ? malloc((n ? n : 1) * sizeof(*a)) : NULL;
	size_t k = 0, na = 0;

	if (v == NULL || (added && a == NULL)) {
		free(v);
		free(a);
		errno = ENOMEM;
		return -1;
	}
	if (n)
		memcpy(v, rts, n * sizeof(*v));
	qsort(v, n, sizeof(*v), rt_qcmp);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || ecomm_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	for (size_t i = 0; added && i < k; i++)
		if (!rts_has(f, &v[i]))
			a[na++] = v[i];
	if (removed) {
		struct feed_rts now = {v, k};

		*removed = 0;
		for (size_t i = 0; i < f->n; i++)
			*removed += !rts_has(&now, &f->rt[i]);
	}
	free(f->rt);
	f->rt = v;
	f->n = k;
	if (added) {
		added->rt = a;
		added->n = na;
	}
	return 0;
}

bool feed_rts_wants(const struct feed_rts *f, const struct rde_best *b)
{
	if (b->withdraw)
		return true;
	for (size_t i = 0; i < b->n_ecomms; i++)
		if (rts_has(f, &b->ecomms[i]))
			return true;
	return false;
}

void feed_rts_free(struct feed_rts *f)
{
	free(f->rt);
	f->rt = NULL;
	f->n = 0;
}

int vtopod_feed_wanted(struct svc *svc, const struct feed_rts *want,
		       const struct feed_rts *refeed, const struct rde_best *b, char *err,
		       size_t errlen)
{
	struct rde_best w;

	if (refeed && (b->withdraw || !feed_rts_wants(refeed, b)))
		return 0;
	if (!feed_rts_wants(want, b)) {
		/* RFC 4364 s4.3.3: no VRF imports it (svc may hold it from
		 * when it carried other targets) */
		w = *b;
		w.withdraw = true;
		b = &w;
	}
	return vtopod_feed_best(svc, b, err, errlen);
}
