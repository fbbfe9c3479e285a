/*
 * update: decode and encode UPDATE messages (RFC 4271 s4.3, RFC 4760) with
 * the RFC 7606 treatment of every malformed case; see update.h.
 *
 * Decoding is one pass: the three length-delimited fields (RFC 4271 s4.3),
 * every attribute through the descriptor table (attr.c), every NLRI field
 * walked once with bgp_nlri_decode() (RFC 7606 s3 i, s5.3), then the
 * mandatory-attribute (s3 d) and End-of-RIB (RFC 4724 s2) checks.
 *
 * Not for: what an attribute means (attr.c), one NLRI (nlri.c), the RIB.
 */
#include "wire/update.h"

#include <string.h>

#include "wire/attr.h"
#include "wire/nlri.h"

/* RFC 4271 s4.3: a 2-octet length, then that many octets. */
static bool read_field(struct rbuf *body, struct rbuf *field)
{
	uint16_t len;

	return rbuf_u16(body, &len) && rbuf_sub(body, len, field);
}

static void raw_add(struct bgp_attrs *a, uint8_t flags, uint8_t type, const struct rbuf *val,
		    const struct rbuf *whole)
{
	if (a->n_raw >= sizeof(a->raw) / sizeof(a->raw[0]))
		return;
	a->raw[a->n_raw++] = (struct bgp_attr_raw){flags, type, *val, *whole};
}

/* RFC 7606 s3 g: MP_(UN)REACH twice resets; other repeats are discarded. */
static bool attr_dup(struct bgp_verdict *v, uint64_t seen[4], uint8_t type,
		     const struct rbuf *whole)
{
	if (!(seen[type >> 6] & (1ull << (type & 63)))) {
		seen[type >> 6] |= 1ull << (type & 63);
		return false;
	}
	if (type == BGP_ATTR_MP_REACH_NLRI || type == BGP_ATTR_MP_UNREACH_NLRI)
		bgp_verdict_raise(v, BGP_E_UPD_DUP_MP, type, rbuf_off(whole), rbuf_left(whole));
	else
		bgp_verdict_raise(v, BGP_E_UPD_DUP_ATTR, type, rbuf_off(whole), rbuf_left(whole));
	return true;
}

/* One attribute header: flags, type, 1- or 2-octet length (RFC 4271 s4.3). */
static bool attr_header(struct rbuf *list, uint8_t *flags, uint8_t *type, struct rbuf *val)
{
	uint8_t len8;
	uint16_t len16;

	if (!rbuf_u8(list, flags) || !rbuf_u8(list, type))
		return false;
	if (*flags & BGP_AF_EXTLEN) {
		if (!rbuf_u16(list, &len16))
			return false;
		return rbuf_sub(list, len16, val);
	}
	if (!rbuf_u8(list, &len8))
		return false;
	return rbuf_sub(list, len8, val);
}

/* Walk the path attribute list; RFC 7606 s4: an overrun or underrun makes
 * the rest unusable -> treat-as-withdraw, the NLRI field still located by
 * the Total Path Attribute Length. */
static unsigned attrs_decode(struct rbuf list, const struct bgp_sess_params *p, struct bgp_attrs *a,
			     struct bgp_verdict *v)
{
	uint64_t seen[4] = {0};
	unsigned count = 0;

	while (!rbuf_empty(&list)) {
		struct rbuf start = list, val, val0, whole;
		struct bgp_attr_ctx c = {p, a, v, 0, 0, {0}};

		if (!attr_header(&list, &c.flags, &c.type, &val)) {
			bgp_verdict_raise(v, BGP_E_UPD_ATTR_OVERRUN, 0, rbuf_off(&start),
					  rbuf_left(&start));
			return count + 1;
		}
		count++;
		val0 = val;
		whole = start;
		whole.end = list.pos;
		c.whole = whole;
		if (attr_dup(v, seen, c.type, &whole))
			continue;
		switch (bgp_attr_parse(&c, &val)) {
		case BGP_ATTR_OK:
			bgp_attrs_set(a, c.type);
			raw_add(a, c.flags, c.type, &val0, &whole);
			break;
		case BGP_ATTR_MALFORMED:
			raw_add(a, c.flags, c.type, &val0, &whole);
			break;
		case BGP_ATTR_DISCARDED:
			break;
		}
	}
	return count;
}

/* RFC 7606 s3 i, s5.3: walk a whole NLRI field; false at the first NLRI
 * that does not parse (bgp_nlri_decode() has raised `err`). */
static bool nlri_field_ok(struct rbuf field, enum bgp_fam fam, const struct bgp_sess_params *p,
			  bool withdraw, struct bgp_verdict *v, enum bgp_err err)
{
	bool addpath = bgp_sess_addpath_rx(p, fam);
	struct bgp_nlri n;

	while (!rbuf_empty(&field))
		if (!bgp_nlri_decode(&field, fam, addpath, withdraw, &n, v, err))
			return false;
	return true;
}

/* RFC 7606 s5.3, s7.11, s7.12: an unparsable MP NLRI field disables its
 * family (or resets); families we do not speak are not interpreted. */
static void mp_fields_check(const struct bgp_attrs *a, const struct bgp_sess_params *p,
			    struct bgp_verdict *v)
{
	if (a->mp_fam != BGP_FAM_NONE && a->mp_nlri.base &&
	    !nlri_field_ok(a->mp_nlri, a->mp_fam, p, false, v, BGP_E_MP_REACH_NLRI) &&
	    v->action == BGP_ACT_AFISAFI_DISABLE && v->fam == BGP_FAM_NONE)
		v->fam = a->mp_fam;
	if (a->mpu_fam != BGP_FAM_NONE && a->mpu_nlri.base &&
	    !nlri_field_ok(a->mpu_nlri, a->mpu_fam, p, true, v, BGP_E_MP_UNREACH_NLRI) &&
	    v->action == BGP_ACT_AFISAFI_DISABLE && v->fam == BGP_FAM_NONE)
		v->fam = a->mpu_fam;
}

static void missing(struct bgp_verdict *v, const struct bgp_attrs *a, uint8_t type,
		    enum bgp_err err, size_t off)
{
	if (!bgp_attrs_has(a, type))
		bgp_verdict_raise(v, err, type, off, 0);
}

/*
 * RFC 7606 s3 d: missing well-known mandatory attributes -> treat-as-
 * withdraw.  ORIGIN and AS_PATH go with any reachable NLRI (RFC 4760 s3);
 * NEXT_HOP only with the IPv4 NLRI field (RFC 4760 s3 makes it
 * discretionary otherwise); LOCAL_PREF only from internal peers (RFC 4271
 * s5.1.5).
 */
static void mandatory_check(const struct bgp_update *u, const struct bgp_sess_params *p,
			    struct bgp_verdict *v, size_t off)
{
	const struct bgp_attrs *a = &u->a;
	bool v4 = !rbuf_empty(&u->nlri);
	bool mp = a->mp_nlri.base && !rbuf_empty(&a->mp_nlri);

	if (!v4 && !mp)
		return;
	missing(v, a, BGP_ATTR_ORIGIN, BGP_E_UPD_MISSING_ORIGIN, off);
	missing(v, a, BGP_ATTR_AS_PATH, BGP_E_UPD_MISSING_AS_PATH, off);
	if (v4)
		missing(v, a, BGP_ATTR_NEXT_HOP, BGP_E_UPD_MISSING_NEXT_HOP, off);
	if (p->ibgp)
		missing(v, a, BGP_ATTR_LOCAL_PREF, BGP_E_UPD_MISSING_LOCAL_PREF, off);
}

/* RFC 4724 s2: IPv4 unicast End-of-RIB is an UPDATE with nothing in it;
 * for other families, one with only an empty MP_UNREACH_NLRI. */
static void eor_detect(struct bgp_update *u, unsigned n_attrs)
{
	const struct bgp_attrs *a = &u->a;

	if (!rbuf_empty(&u->withdrawn) || !rbuf_empty(&u->nlri))
		return;
	if (n_attrs == 0) {
		u->eor = BGP_FAM_IPV4_UNICAST;
		return;
	}
	if (n_attrs != 1 || !bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI) ||
	    !rbuf_empty(&a->mpu_nlri))
		return;
	if (a->mpu_fam == BGP_FAM_NONE)
		u->eor_unknown_fam = true;
	else
		u->eor = a->mpu_fam;
}

bool bgp_update_decode(struct rbuf *body, const struct bgp_sess_params *p, struct bgp_update *u,
		       struct bgp_verdict *v)
{
	struct rbuf attrs, start = *body;
	unsigned n_attrs;

	memset(u, 0, sizeof(*u));
	u->eor = BGP_FAM_NONE;
	u->a.mp_fam = BGP_FAM_NONE;
	u->a.mpu_fam = BGP_FAM_NONE;
	bgp_verdict_init(v);
	/* RFC 7606 s3 b (unchanged RFC 4271 s6.3): lengths past the message */
	if (!read_field(body, &u->withdrawn)) {
		bgp_verdict_raise(v, BGP_E_UPD_WITHDRAWN_LEN, 0, rbuf_off(&start), 0);
		return false;
	}
	start = *body;
	if (!read_field(body, &attrs)) {
		bgp_verdict_raise(v, BGP_E_UPD_ATTR_LEN, 0, rbuf_off(&start), 0);
		return false;
	}
	rbuf_rest(body, &u->nlri);
	n_attrs = attrs_decode(attrs, p, &u->a, v);
	/* RFC 7606 s3 i, s5.3: both IPv4 fields are checked alike */
	if (nlri_field_ok(u->withdrawn, BGP_FAM_IPV4_UNICAST, p, true, v, BGP_E_UPD_NLRI))
		(void)nlri_field_ok(u->nlri, BGP_FAM_IPV4_UNICAST, p, false, v, BGP_E_UPD_NLRI);
	mp_fields_check(&u->a, p, v);
	mandatory_check(u, p, v, rbuf_off(&attrs));
	eor_detect(u, n_attrs);
	return v->action != BGP_ACT_SESSION_RESET;
}

void bgp_attr_put(struct wbuf *w, uint8_t flags, uint8_t type, const void *val, size_t len)
{
	if (len > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	if (len > 255) {
		wbuf_u8(w, flags | BGP_AF_EXTLEN);
		wbuf_u8(w, type);
		wbuf_u16(w, (uint16_t)len);
	} else {
		wbuf_u8(w, flags & (uint8_t)~BGP_AF_EXTLEN);
		wbuf_u8(w, type);
		wbuf_u8(w, (uint8_t)len);
	}
	wbuf_bytes(w, val, len);
}

size_t bgp_attr_begin(struct wbuf *w, uint8_t flags, uint8_t type)
{
	size_t mark = wbuf_mark(w);

	wbuf_u8(w, flags | BGP_AF_EXTLEN);
	wbuf_u8(w, type);
	wbuf_u16(w, 0);
	return mark;
}

/* Canonical form: the 1-octet length whenever the value fits it. */
void bgp_attr_end(struct wbuf *w, size_t mark)
{
	size_t len;
	uint8_t flags;

	if (!wbuf_ok(w) || mark + 4 > wbuf_len(w))
		return;
	len = wbuf_len(w) - mark - 4;
	if (len > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	if (len > 255) {
		wbuf_patch_u16(w, mark + 2, (uint16_t)len);
		return;
	}
	flags = w->buf[mark];
	wbuf_patch_u8(w, mark, flags & (uint8_t)~BGP_AF_EXTLEN);
	wbuf_cut(w, mark + 2, 1);
	wbuf_patch_u8(w, mark + 2, (uint8_t)len);
}

static void put_view(struct wbuf *w, const struct rbuf *r)
{
	if (!rbuf_empty(r))
		wbuf_bytes(w, rbuf_ptr(r), rbuf_left(r));
}

void bgp_update_encode(struct wbuf *w, const struct bgp_update *u)
{
	static const uint8_t marker[BGP_MARKER_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	const struct bgp_attrs *a = &u->a;
	size_t start = wbuf_mark(w), lenpos, attrpos;

	wbuf_bytes(w, marker, sizeof(marker));
	lenpos = wbuf_mark(w);
	wbuf_u16(w, 0);
	wbuf_u8(w, BGP_MSG_UPDATE);
	wbuf_u16(w, (uint16_t)rbuf_left(&u->withdrawn));
	put_view(w, &u->withdrawn);
	attrpos = wbuf_mark(w);
	wbuf_u16(w, 0);
	/* ascending type code; the raw list holds no repeats (s3 g) */
	for (unsigned t = 0; t < 256; t++)
		for (unsigned i = 0; i < a->n_raw; i++)
			if (a->raw[i].type == t)
				bgp_attr_put(w, a->raw[i].flags, a->raw[i].type,
					     rbuf_ptr(&a->raw[i].val), rbuf_left(&a->raw[i].val));
	if (!wbuf_ok(w))
		return;
	wbuf_patch_u16(w, attrpos, (uint16_t)(wbuf_len(w) - attrpos - 2));
	put_view(w, &u->nlri);
	if (wbuf_ok(w))
		wbuf_patch_u16(w, lenpos, (uint16_t)(wbuf_len(w) - start));
}
