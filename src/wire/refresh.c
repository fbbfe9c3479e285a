/*
 * refresh: the ROUTE-REFRESH message (RFC 2918 s3) with the enhanced
 * route refresh subtypes (RFC 7313 s3).
 *
 * Not for: what to do on a refresh (the session and RIB code); ORF
 * entries (RFC 5291) are not supported and not decoded.
 */
#include "wire/msg.h"

bool bgp_refresh_decode(struct rbuf *body, struct bgp_refresh *r, struct bgp_verdict *v)
{
	struct rbuf b = *body, orf;

	*r = (struct bgp_refresh){0};
	/* RFC 2918 s3: AFI (2), Reserved / RFC 7313 s3 Message Subtype (1),
	 * SAFI (1). */
	if (!rbuf_u16(&b, &r->afi) || !rbuf_u8(&b, &r->subtype) || !rbuf_u8(&b, &r->safi))
		goto bad_len;
	/* RFC 7313 s5: a BoRR or EoRR whose body is not 4 octets earns
	 * ROUTE-REFRESH Message Error / Invalid Message Length, with the
	 * complete message as data.  After a normal request (subtype 0) the
	 * extra octets would be ORF entries (RFC 5291), which we never
	 * negotiate: they are ignored.  Unknown subtypes are returned as they
	 * are; RFC 7313 s5 says to ignore such a message. */
	if ((r->subtype == BGP_RR_BORR || r->subtype == BGP_RR_EORR) && !rbuf_empty(&b))
		goto bad_len;
	rbuf_rest(&b, &orf);
	*body = b;
	return true;
bad_len:
	bgp_verdict_raise(v, BGP_E_REFRESH_LENGTH, 0, 0, body->end);
	return false;
}

void bgp_refresh_encode(struct wbuf *w, const struct bgp_refresh *r)
{
	size_t mark = bgp_hdr_begin(w, BGP_MSG_ROUTE_REFRESH);

	wbuf_u16(w, r->afi);
	wbuf_u8(w, r->subtype);
	wbuf_u8(w, r->safi);
	bgp_hdr_end(w, mark);
}
