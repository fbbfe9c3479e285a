/*
 * open: the OPEN message (RFC 4271 s4.2, s6.2) with extended optional
 * parameters (RFC 9072), its capabilities (RFC 5492) and what two OPENs
 * agree on.
 *
 * Capabilities decoded: multiprotocol (RFC 4760 s8), route refresh
 * (RFC 2918 s2, and the pre-standard code 128), extended next hop
 * (RFC 8950, kept raw), extended message (RFC 8654 s3), graceful
 * restart (RFC 4724 s3, N bit RFC 8538 s2), 4-octet AS (RFC 6793 s3),
 * ADD-PATH (RFC 7911 s4), enhanced route refresh (RFC 7313 s3).  Any
 * other capability is kept as a view.
 *
 * Not for: session state or timers (vtopod); checking the peer AS or BGP
 * identifier against configuration (the caller knows what it expects).
 */
#include "wire/msg.h"

#define PARAM_CAPABILITIES 2 /* RFC 5492 s4 */
#define PARAM_EXT_MARKER 255 /* RFC 9072 s2 */

#define GR_FLAG_R 0x8000 /* RFC 4724 s3: Restart State */
#define GR_FLAG_N 0x4000 /* RFC 8538 s2: graceful notification */
#define GR_TIME_MASK 0x0fff
#define GR_AF_FLAG_F 0x80 /* RFC 4724 s3: Forwarding State */

/* ---- walking parameters and capabilities ---- */

/*
 * Next optional parameter: type(1) length(1) value (RFC 4271 s4.2), or
 * type(1) length(2) value in the RFC 9072 s2 layout.  1 = one carved
 * into *val, 0 = none left, -1 = the length runs past the field (params
 * left untouched).
 */
static int param_next(struct rbuf *params, bool ext, uint8_t *type, struct rbuf *val)
{
	struct rbuf p = *params;
	uint16_t len16 = 0;
	uint8_t len8 = 0;

	if (rbuf_empty(params))
		return 0;
	if (!rbuf_u8(&p, type))
		return -1;
	if (ext) {
		if (!rbuf_u16(&p, &len16))
			return -1;
	} else {
		if (!rbuf_u8(&p, &len8))
			return -1;
		len16 = len8;
	}
	if (!rbuf_sub(&p, len16, val))
		return -1;
	*params = p;
	return 1;
}

/* Next capability: code(1) length(1) value (RFC 5492 s4); as above. */
static int cap_next(struct rbuf *caps, uint8_t *code, struct rbuf *val)
{
	struct rbuf c = *caps;
	uint8_t len = 0;

	if (rbuf_empty(caps))
		return 0;
	if (!rbuf_u8(&c, code) || !rbuf_u8(&c, &len) || !rbuf_sub(&c, len, val))
		return -1;
	*caps = c;
	return 1;
}

void bgp_cap_iter_init(struct bgp_cap_iter *it, const struct bgp_open *o)
{
	it->params = o->params;
	it->ext = o->ext_opt_params;
	rbuf_init(&it->caps, NULL, 0);
}

bool bgp_cap_iter_next(struct bgp_cap_iter *it, uint8_t *code, struct rbuf *val)
{
	struct rbuf pv, rest;
	uint8_t type;

	for (;;) {
		if (!rbuf_empty(&it->caps)) {
			if (cap_next(&it->caps, code, val) > 0)
				return true;
			break;
		}
		if (param_next(&it->params, it->ext, &type, &pv) <= 0)
			break;
		if (type == PARAM_CAPABILITIES)
			it->caps = pv;
	}
	/* malformed or done: stay done */
	rbuf_rest(&it->caps, &rest);
	rbuf_rest(&it->params, &rest);
	return false;
}

/* ---- capability decoders: BGP_E_NONE or the error to raise ---- */

static enum bgp_err cap_mp(struct rbuf v, struct bgp_caps *c)
{
	uint16_t afi;
	uint8_t res, safi;
	enum bgp_fam f;

	/* RFC 4760 s8: AFI(2) Reserved(1) SAFI(1), length 4 */
	if (!rbuf_u16(&v, &afi) || !rbuf_u8(&v, &res) || !rbuf_u8(&v, &safi) || !rbuf_empty(&v))
		return BGP_E_OPEN_CAP_MALFORMED;
	f = bgp_fam_from_afisafi(afi, safi);
	if (f != BGP_FAM_NONE) {
		c->mp |= bgp_fam_bit(f);
	} else if (c->n_mp_other < sizeof(c->mp_other) / sizeof(c->mp_other[0])) {
		c->mp_other[c->n_mp_other].afi = afi;
		c->mp_other[c->n_mp_other].safi = safi;
		c->n_mp_other++;
	}
	return BGP_E_NONE;
}

static enum bgp_err cap_as4(struct rbuf v, struct bgp_caps *c)
{
	uint32_t asn;

	/* RFC 6793 s3: the 4-octet AS number, length 4 */
	if (!rbuf_u32(&v, &asn) || !rbuf_empty(&v))
		return BGP_E_OPEN_CAP_MALFORMED;
	/* RFC 7607 s2: zero as the peer AS is Bad Peer AS */
	if (asn == 0)
		return BGP_E_OPEN_PEER_AS;
	c->as4 = true;
	c->as4_asn = asn;
	return BGP_E_NONE;
}

static enum bgp_err cap_addpath(struct rbuf v, struct bgp_caps *c)
{
	uint16_t afi;
	uint8_t safi, sr;

	/* RFC 7911 s4: a list of AFI(2) SAFI(1) Send/Receive(1) */
	if (rbuf_left(&v) % 4 != 0)
		return BGP_E_OPEN_CAP_MALFORMED;
	while (rbuf_u16(&v, &afi) && rbuf_u8(&v, &safi) && rbuf_u8(&v, &sr)) {
		enum bgp_fam f = bgp_fam_from_afisafi(afi, safi);

		/* only 1 (receive), 2 (send) and 3 (both) are defined */
		if (f == BGP_FAM_NONE || sr < BGP_ADDPATH_RX ||
		    sr > (BGP_ADDPATH_RX | BGP_ADDPATH_TX))
			continue;
		if (sr & BGP_ADDPATH_RX)
			c->addpath_rx |= bgp_fam_bit(f);
		if (sr & BGP_ADDPATH_TX)
			c->addpath_tx |= bgp_fam_bit(f);
	}
	return BGP_E_NONE;
}

static enum bgp_err cap_gr(struct rbuf v, struct bgp_caps *c)
{
	uint16_t flags_time, afi;
	uint8_t safi, flags;

	/* RFC 4724 s3: Restart Flags(4 bits) Restart Time(12 bits), then
	 * AFI(2) SAFI(1) Flags for Address Family(1) per family */
	if (!rbuf_u16(&v, &flags_time) || rbuf_left(&v) % 4 != 0)
		return BGP_E_OPEN_CAP_MALFORMED;
	c->gr = true;
	c->gr_restarting = flags_time & GR_FLAG_R;
	c->gr_notification = flags_time & GR_FLAG_N;
	c->gr_time = flags_time & GR_TIME_MASK;
	while (rbuf_u16(&v, &afi) && rbuf_u8(&v, &safi) && rbuf_u8(&v, &flags)) {
		enum bgp_fam f = bgp_fam_from_afisafi(afi, safi);

		if (f == BGP_FAM_NONE)
			continue;
		c->gr_fams |= bgp_fam_bit(f);
		if (flags & GR_AF_FLAG_F)
			c->gr_fwd |= bgp_fam_bit(f);
	}
	return BGP_E_NONE;
}

/* RFC 2918 s2, RFC 7313 s3, RFC 8654 s3: capabilities of length 0. */
static enum bgp_err cap_flag(struct rbuf v, bool *flag)
{
	if (!rbuf_empty(&v))
		return BGP_E_OPEN_CAP_MALFORMED;
	*flag = true;
	return BGP_E_NONE;
}

static enum bgp_err cap_decode(uint8_t code, struct rbuf v, struct bgp_caps *c)
{
	switch (code) {
	case BGP_CAP_MP:
		return cap_mp(v, c);
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ROUTE_REFRESH_OLD:
		return cap_flag(v, &c->route_refresh);
	case BGP_CAP_ENHANCED_RR:
		return cap_flag(v, &c->enhanced_rr);
	case BGP_CAP_EXT_MESSAGE:
		return cap_flag(v, &c->ext_msg);
	case BGP_CAP_AS4:
		return cap_as4(v, c);
	case BGP_CAP_ADD_PATH:
		return cap_addpath(v, c);
	case BGP_CAP_GRACEFUL_RESTART:
		return cap_gr(v, c);
	default:
		/* RFC 5492 s4: unknown capabilities are ignored; RFC 8950
		 * extended next hop is kept raw too.  Views beyond the array
		 * are still walkable through bgp_cap_iter. */
		if (c->n_unknown < BGP_CAPS_MAX_UNKNOWN) {
			c->unknown[c->n_unknown].code = code;
			c->unknown[c->n_unknown].val = v;
			c->n_unknown++;
		}
		return BGP_E_NONE;
	}
}

/* ---- OPEN decoding ---- */

/* One Capabilities parameter (RFC 5492 s4). */
static bool open_caps(struct rbuf caps, struct bgp_caps *c, struct bgp_verdict *v)
{
	struct rbuf val;
	uint8_t code;
	int r;

	for (;;) {
		size_t off = rbuf_off(&caps);
		enum bgp_err e;

		r = cap_next(&caps, &code, &val);
		if (r == 0)
			return true;
		if (r < 0) {
			bgp_verdict_raise(v, BGP_E_OPEN_CAP_MALFORMED, 0, off, rbuf_left(&caps));
			return false;
		}
		e = cap_decode(code, val, c);
		if (e != BGP_E_NONE) {
			bgp_verdict_raise(v, e, 0, off, rbuf_off(&caps) - off);
			return false;
		}
	}
}

static bool open_params(struct bgp_open *o, struct bgp_verdict *v)
{
	struct rbuf p = o->params, val;
	uint8_t type;
	int r;

	for (;;) {
		size_t off = rbuf_off(&p);

		r = param_next(&p, o->ext_opt_params, &type, &val);
		if (r == 0)
			return true;
		if (r < 0) {
			bgp_verdict_raise(v, BGP_E_OPEN_OPT_PARAM_LEN, 0, off, rbuf_left(&p));
			return false;
		}
		/* RFC 4271 s6.2: a parameter we do not recognize is
		 * Unsupported Optional Parameter; RFC 5492 s4: 2 is ours. */
		if (type != PARAM_CAPABILITIES) {
			bgp_verdict_raise(v, BGP_E_OPEN_OPT_PARAM_UNSUPPORTED, 0, off,
					  rbuf_off(&p) - off);
			return false;
		}
		if (!open_caps(val, &o->caps, v))
			return false;
	}
}

/* RFC 4271 s4.2 fixed fields and their s6.2 checks. */
static bool open_fixed(struct rbuf *b, struct bgp_open *o, struct bgp_verdict *v)
{
	size_t off = rbuf_off(b);

	if (!rbuf_u8(b, &o->version) || !rbuf_u16(b, &o->my_as) || !rbuf_u16(b, &o->hold_time) ||
	    !rbuf_u32(b, &o->bgp_id)) {
		bgp_verdict_raise(v, BGP_E_OPEN_LENGTH, 0, 16, 2); /* the Length field */
		return false;
	}
	/* s6.2: Unsupported Version Number (data: see bgp_msg_notify_data) */
	if (o->version != BGP_VERSION) {
		bgp_verdict_raise(v, BGP_E_OPEN_VERSION, 0, off, 1);
		return false;
	}
	/* RFC 7607 s2: zero as the peer AS is Bad Peer AS */
	if (o->my_as == 0) {
		bgp_verdict_raise(v, BGP_E_OPEN_PEER_AS, 0, off + 1, 2);
		return false;
	}
	/* s4.2, s6.2: "MUST reject Hold Time values of one or two seconds" */
	if (o->hold_time == 1 || o->hold_time == 2) {
		bgp_verdict_raise(v, BGP_E_OPEN_HOLD_TIME, 0, off + 3, 2);
		return false;
	}
	/* RFC 6286 s2.2: zero is Bad BGP Identifier (an internal peer using
	 * our own identifier is for the caller to check) */
	if (o->bgp_id == 0) {
		bgp_verdict_raise(v, BGP_E_OPEN_BGP_ID, 0, off + 5, 4);
		return false;
	}
	return true;
}

/* Carve the Optional Parameters field, in either layout. */
static bool open_param_field(struct rbuf *b, struct bgp_open *o, struct bgp_verdict *v)
{
	size_t off = rbuf_off(b);
	uint8_t optlen = 0, type = 0;
	uint16_t len;

	if (!rbuf_u8(b, &optlen)) {
		bgp_verdict_raise(v, BGP_E_OPEN_LENGTH, 0, 16, 2);
		return false;
	}
	len = optlen;
	/* RFC 9072 s2: a non-zero Non-Ext OP Len followed by Non-Ext OP
	 * Type 255 means the extended layout: a 2-octet length follows and
	 * Non-Ext OP Len is ignored. */
	if (optlen != 0 && rbuf_peek_u8(b, &type) && type == PARAM_EXT_MARKER) {
		off = rbuf_off(b) + 1;
		if (!rbuf_skip(b, 1) || !rbuf_u16(b, &len)) {
			bgp_verdict_raise(v, BGP_E_OPEN_OPT_PARAM_LEN, 0, off, rbuf_left(b));
			return false;
		}
		o->ext_opt_params = true;
	}
	/* The parameters must fill the rest of the message exactly. */
	if (rbuf_left(b) != len || !rbuf_sub(b, len, &o->params)) {
		bgp_verdict_raise(v, BGP_E_OPEN_OPT_PARAM_LEN, 0, off, o->ext_opt_params ? 2 : 1);
		return false;
	}
	return true;
}

bool bgp_open_decode(struct rbuf *body, struct bgp_open *o, struct bgp_verdict *v)
{
	struct rbuf b = *body;

	*o = (struct bgp_open){0};
	if (!open_fixed(&b, o, v) || !open_param_field(&b, o, v) || !open_params(o, v))
		return false;
	*body = b;
	return true;
}

uint32_t bgp_open_asn(const struct bgp_open *o)
{
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

/* ---- OPEN encoding ---- */

static void cap_put_hdr(struct wbuf *w, uint8_t code, size_t len)
{
	wbuf_u8(w, code);
	wbuf_u8(w, (uint8_t)len);
}

static int fam_count(uint32_t set)
{
	int n = 0;

	for (int f = 0; f < BGP_FAM_COUNT; f++)
		n += (set & bgp_fam_bit(f)) != 0;
	return n;
}

static void caps_put_mp(struct wbuf *w, const struct bgp_caps *c)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (!(c->mp & bgp_fam_bit(f)))
			continue;
		cap_put_hdr(w, BGP_CAP_MP, 4);
		wbuf_u16(w, bgp_fam_table[f].afi);
		wbuf_u8(w, 0);
		wbuf_u8(w, bgp_fam_table[f].safi);
	}
	for (int i = 0; i < c->n_mp_other && i < 8; i++) {
		cap_put_hdr(w, BGP_CAP_MP, 4);
		wbuf_u16(w, c->mp_other[i].afi);
		wbuf_u8(w, 0);
		wbuf_u8(w, c->mp_other[i].safi);
	}
}

static void caps_put_addpath(struct wbuf *w, const struct bgp_caps *c)
{
	uint32_t set = c->addpath_rx | c->addpath_tx;

	if (!set)
		return;
	cap_put_hdr(w, BGP_CAP_ADD_PATH, 4 * (size_t)fam_count(set));
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (!(set & bgp_fam_bit(f)))
			continue;
		wbuf_u16(w, bgp_fam_table[f].afi);
		wbuf_u8(w, bgp_fam_table[f].safi);
		wbuf_u8(w, ((c->addpath_rx & bgp_fam_bit(f)) ? BGP_ADDPATH_RX : 0) |
			       ((c->addpath_tx & bgp_fam_bit(f)) ? BGP_ADDPATH_TX : 0));
	}
}

static void caps_put_gr(struct wbuf *w, const struct bgp_caps *c)
{
	if (!c->gr)
		return;
	cap_put_hdr(w, BGP_CAP_GRACEFUL_RESTART, 2 + 4 * (size_t)fam_count(c->gr_fams));
	wbuf_u16(w, (c->gr_restarting ? GR_FLAG_R : 0) | (c->gr_notification ? GR_FLAG_N : 0) |
			(c->gr_time & GR_TIME_MASK));
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (!(c->gr_fams & bgp_fam_bit(f)))
			continue;
		wbuf_u16(w, bgp_fam_table[f].afi);
		wbuf_u8(w, bgp_fam_table[f].safi);
		wbuf_u8(w, (c->gr_fwd & bgp_fam_bit(f)) ? GR_AF_FLAG_F : 0);
	}
}

/* Every capability TLV of c (RFC 5492 s4), in a fixed order. */
static void caps_put(struct wbuf *w, const struct bgp_caps *c)
{
	caps_put_mp(w, c);
	if (c->route_refresh)
		cap_put_hdr(w, BGP_CAP_ROUTE_REFRESH, 0);
	if (c->enhanced_rr)
		cap_put_hdr(w, BGP_CAP_ENHANCED_RR, 0);
	if (c->ext_msg)
		cap_put_hdr(w, BGP_CAP_EXT_MESSAGE, 0);
	if (c->as4) {
		cap_put_hdr(w, BGP_CAP_AS4, 4);
		wbuf_u32(w, c->as4_asn);
	}
	caps_put_addpath(w, c);
	caps_put_gr(w, c);
	for (int i = 0; i < c->n_unknown && i < BGP_CAPS_MAX_UNKNOWN; i++) {
		size_t len = rbuf_left(&c->unknown[i].val);

		if (len > UINT8_MAX)
			continue;
		cap_put_hdr(w, c->unknown[i].code, len);
		wbuf_bytes(w, rbuf_ptr(&c->unknown[i].val), len);
	}
}

/*
 * Wrap each capability TLV in its own Capabilities parameter.  The RFC
 * 4271 layout when it fits in 255 octets, else (or when forced) the
 * RFC 9072 s2 layout: Non-Ext OP Len 255, Non-Ext OP Type 255, a 2-octet
 * length, and 2-octet parameter lengths.
 */
static void params_put(struct wbuf *w, struct rbuf caps, bool force_ext)
{
	struct rbuf scan = caps, val;
	size_t n = 0, total;
	uint8_t code;
	bool ext;

	while (cap_next(&scan, &code, &val) > 0)
		n++;
	total = rbuf_left(&caps) + 2 * n;
	ext = force_ext || total > UINT8_MAX;
	if (ext) {
		wbuf_u8(w, PARAM_EXT_MARKER);
		wbuf_u8(w, PARAM_EXT_MARKER);
		wbuf_u16(w, (uint16_t)(rbuf_left(&caps) + 3 * n));
	} else {
		wbuf_u8(w, (uint8_t)total);
	}
	while (cap_next(&caps, &code, &val) > 0) {
		wbuf_u8(w, PARAM_CAPABILITIES);
		if (ext)
			wbuf_u16(w, (uint16_t)(2 + rbuf_left(&val)));
		else
			wbuf_u8(w, (uint8_t)(2 + rbuf_left(&val)));
		cap_put_hdr(w, code, rbuf_left(&val));
		wbuf_bytes(w, rbuf_ptr(&val), rbuf_left(&val));
	}
}

void bgp_open_encode(struct wbuf *w, const struct bgp_open *o)
{
	uint8_t tmp[BGP_MAX_LEN];
	struct wbuf cw;
	struct rbuf caps;
	uint16_t my_as = o->my_as;
	size_t mark;

	wbuf_init(&cw, tmp, sizeof(tmp));
	caps_put(&cw, &o->caps);
	if (!wbuf_ok(&cw)) {
		w->overflow = true;
		return;
	}
	rbuf_init(&caps, tmp, wbuf_len(&cw));
	/* RFC 6793 s3: a 4-octet AS goes in the OPEN as AS_TRANS */
	if (o->caps.as4 && o->caps.as4_asn > UINT16_MAX)
		my_as = BGP_AS_TRANS;
	mark = bgp_hdr_begin(w, BGP_MSG_OPEN);
	wbuf_u8(w, o->version);
	wbuf_u16(w, my_as);
	wbuf_u16(w, o->hold_time);
	wbuf_u32(w, o->bgp_id);
	params_put(w, caps, o->ext_opt_params);
	bgp_hdr_end(w, mark);
}

/* ---- negotiation ---- */

/* Families a side announced; none at all means the RFC 4271 base
 * protocol, which carries IPv4 unicast only. */
static uint32_t caps_fams(const struct bgp_caps *c)
{
	if (c->mp == 0 && c->n_mp_other == 0)
		return bgp_fam_bit(BGP_FAM_IPV4_UNICAST);
	return c->mp;
}

void bgp_caps_negotiate(const struct bgp_caps *local, const struct bgp_caps *remote, bool ibgp,
			struct bgp_sess_params *out)
{
	*out = (struct bgp_sess_params){0};
	/* RFC 4760 s8 / RFC 5492: a family is usable when both announce it */
	out->fams = caps_fams(local) & caps_fams(remote);
	/* RFC 6793 s3, RFC 8654 s3: both sides must send the capability */
	out->as4 = local->as4 && remote->as4;
	out->ext_msg = local->ext_msg && remote->ext_msg;
	out->gr = local->gr && remote->gr;
	out->ibgp = ibgp;
	/* RFC 7911 s4/s5: we receive path ids in F when we said "receive"
	 * and the peer said "send", and send them in the converse case. */
	out->addpath_rx = local->addpath_rx & remote->addpath_tx & out->fams;
	out->addpath_tx = local->addpath_tx & remote->addpath_rx & out->fams;
}
