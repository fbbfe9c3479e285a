/*
 * session_open: the OPEN we send and the checks of the one we receive.
 *
 * Our capabilities (RFC 5492) come from the neighbor's configuration:
 * multiprotocol per enabled family (RFC 4760), route refresh (RFC 2918),
 * 4-octet AS (RFC 6793), ADD-PATH receive/send where configured (RFC 7911),
 * extended messages where configured (RFC 8654), graceful restart as the
 * receiving speaker where configured (RFC 4724, session_gr.c).  Not
 * announced, because vtopod does not implement the other half: enhanced
 * route refresh (RFC 7313 needs BoRR/EoRR handling in the RDE).
 *
 * Not for: decoding (wire/open.c), state changes (session.c).
 */
#include <string.h>

#include "lib/wbuf.h"
#include "vtopod/vtopod.h"

void session_open_local_caps(struct peer *p)
{
	const struct config_neighbor *n = p->cfg;
	struct bgp_caps *c = &p->local_caps;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n->n_families; i++) {
		const struct config_family *f = &n->families[i];
		enum bgp_fam bf = bgp_fam_from_name(config_afi_safi_name(f->name));

		if (!f->enabled || bf == BGP_FAM_NONE)
			continue;
		c->mp |= bgp_fam_bit(bf);
		if (f->add_paths_receive)
			c->addpath_rx |= bgp_fam_bit(bf);
		if (f->add_paths_send)
			c->addpath_tx |= bgp_fam_bit(bf);
	}
	c->route_refresh = true;
	c->as4 = true;
	c->as4_asn = p->d->cfg->as;
	c->ext_msg = n->extended_messages;
	session_gr_local_caps(p, c);
}

void session_send_open(struct peer *p, struct conn *c)
{
	uint8_t buf[BGP_MAX_LEN];
	struct bgp_open o = {0};
	struct wbuf w;

	if (!c)
		return;
	o.version = BGP_VERSION;
	o.my_as = p->d->cfg->as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)p->d->cfg->as;
	o.hold_time = p->cfg->hold_time;
	o.bgp_id = p->d->cfg->router_id;
	/* RFC 4724 s3: the R and F bits say what holds now (vtopo-dp's
	 * state), not what held when the peer was configured */
	session_gr_local_caps(p, &p->local_caps);
	o.caps = p->local_caps;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	if (!wbuf_ok(&w)) {
		log_peer_errx(p, "our OPEN does not fit in %d bytes", BGP_MAX_LEN);
		return;
	}
	conn_send(c, buf, wbuf_len(&w));
}

/* Our MP capabilities (code 1, length 4, AFI, 0, SAFI) for the data of an
 * Unsupported Capability NOTIFICATION (RFC 5492 s5). */
static size_t mp_caps_data(const struct bgp_caps *c, uint8_t *out, size_t cap)
{
	struct wbuf w;

	wbuf_init(&w, out, cap);
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (!(c->mp & bgp_fam_bit(f)))
			continue;
		wbuf_u8(&w, BGP_CAP_MP);
		wbuf_u8(&w, 4);
		wbuf_u16(&w, bgp_fam_table[f].afi);
		wbuf_u8(&w, 0);
		wbuf_u8(&w, bgp_fam_table[f].safi);
	}
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

bool session_open_check(struct peer *p, const struct bgp_open *o, struct sess_negotiated *neg,
			uint8_t *code, uint8_t *subcode, uint8_t *data, size_t *dlen,
			const char **reason)
{
	const struct config_neighbor *n = p->cfg;
	uint32_t asn = bgp_open_asn(o);
	bool ibgp = n->remote_as == p->d->cfg->as;

	*dlen = 0;
	/* RFC 4271 s6.2: "If the Autonomous System field of the OPEN message
	 * is unacceptable, then the Error Subcode MUST be set to Bad Peer AS." */
	if (asn != n->remote_as) {
		log_peer_warnx(p, "OPEN: peer AS %u, configured remote-as %u", asn, n->remote_as);
		*code = BGP_ERR_OPEN, *subcode = 2, *reason = "open-peer-as";
		return false;
	}
	/* RFC 6286 s2.2: an internal peer may not use our BGP Identifier
	 * (zero is refused by the decoder, RFC 4271 s6.2). */
	if (ibgp && o->bgp_id == p->d->cfg->router_id) {
		log_peer_warnx(p, "OPEN: internal peer uses our BGP identifier");
		*code = BGP_ERR_OPEN, *subcode = 3, *reason = "open-bgp-id";
		return false;
	}
	memset(neg, 0, sizeof(*neg));
	bgp_caps_negotiate(&p->local_caps, &o->caps, ibgp, &neg->params);
	/* RFC 5492 s5: we MAY refuse a peer lacking what we need: without a
	 * family in common the session would carry nothing. */
	if (neg->params.fams == 0) {
		log_peer_warnx(p, "OPEN: no address family in common");
		*code = BGP_ERR_OPEN, *subcode = 7, *reason = "no-common-family";
		*dlen = mp_caps_data(&p->local_caps, data, 256);
		return false;
	}
	/* RFC 4271 s4.2: the smaller of the two Hold Times; zero means no
	 * keepalives.  s10: KeepaliveTime one third of the Hold Time unless
	 * configured smaller. */
	neg->hold_time = o->hold_time < n->hold_time ? o->hold_time : n->hold_time;
	neg->keepalive = n->keepalive_interval;
	if (neg->hold_time == 0)
		neg->keepalive = 0;
	else if (neg->keepalive == 0 || neg->keepalive > neg->hold_time / 3)
		neg->keepalive = neg->hold_time / 3 ? neg->hold_time / 3 : 1;
	neg->remote_id = o->bgp_id;
	neg->remote_as = asn;
	neg->route_refresh = p->local_caps.route_refresh && o->caps.route_refresh;
	neg->enhanced_rr = p->local_caps.enhanced_rr && o->caps.enhanced_rr;
	neg->gr = p->local_caps.gr && o->caps.gr;
	neg->gr_time = o->caps.gr_time;
	neg->gr_fams = o->caps.gr_fams;
	neg->gr_fwd = o->caps.gr_fwd;
	if (o->caps.n_unknown)
		log_peer_debug(p, "OPEN: %u capabilities we do not know, ignored (RFC 5492 s3)",
			       o->caps.n_unknown);
	return true;
}
