/*
 * nlri: decode, encode, format and compare one NLRI of any family in
 * bgp_fam_table; see nlri.h for the contract.
 *
 * Every family is <length, value> with a family-specific value: a prefix
 * (RFC 4271 s4.3), labels + prefix (RFC 8277 s2), labels + RD + prefix
 * (RFC 4364 s4.3.4, RFC 4659 s3.2), origin AS + route target prefix
 * (RFC 4684 s4), or flow specification components behind a 1- or 2-octet
 * length (RFC 8955 s4, s8).  All lengths are checked here; the flow
 * components are checked by flowspec_validate().
 *
 * Not for: the flow components' own syntax (flowspec.c), the NLRI fields
 * around one NLRI (update.c), what a malformed NLRI means (verdict.c).
 */
#include "wire/nlri.h"

#include <stdio.h>
#include <string.h>

#include "wire/flowspec.h"

#define RTC_MIN_BITS 32 /* RFC 4684 s4: origin AS is never partial */
#define RTC_MAX_BITS 96 /* origin AS (4) + route target (8) octets */
#define RD_BITS 64
#define LABEL_BITS 24
#define FLOW_LEN_EXT 0xf0 /* RFC 8955 s4: first octet >= 0xf0: 2 octets */
#define FLOW_LEN_EXT_MAX 0xfff

/* How a decode step failed: a framing error is the caller's err_on_fail;
 * flowspec_validate() raises its own id. */
enum nlri_res {
	NLRI_OK,
	NLRI_BAD,
	NLRI_BAD_RAISED,
};

static unsigned bits_to_bytes(unsigned bits)
{
	return (bits + 7) / 8;
}

/* Zero every bit of b[0..nbytes) past the first `bits` (RFC 4271 s4.3:
 * trailing bits are irrelevant, so we keep them zero). */
static void bits_clear_after(uint8_t *b, size_t nbytes, unsigned bits)
{
	for (size_t i = bits / 8; i < nbytes; i++) {
		if (i == bits / 8 && bits % 8)
			b[i] &= (uint8_t)(0xff << (8 - bits % 8));
		else
			b[i] = 0;
	}
}

static uint8_t err_attr_type(enum bgp_err err)
{
	switch (err) {
	case BGP_E_MP_REACH:
	case BGP_E_MP_REACH_NEXT_HOP:
	case BGP_E_MP_REACH_NLRI:
		return BGP_ATTR_MP_REACH_NLRI;
	case BGP_E_MP_UNREACH:
	case BGP_E_MP_UNREACH_NLRI:
		return BGP_ATTR_MP_UNREACH_NLRI;
	default:
		return 0;
	}
}

/* `bits` bits of prefix (RFC 4271 s4.3: the minimal number of octets). */
static enum nlri_res read_prefix(struct rbuf *r, uint8_t afi, unsigned bits, struct prefix *p)
{
	if (bits > afi_addr_bits(afi))
		return NLRI_BAD;
	p->afi = afi;
	p->len = (uint8_t)bits;
	if (!rbuf_bytes(r, p->b, bits_to_bytes(bits)))
		return NLRI_BAD;
	bits_clear_after(p->b, sizeof(p->b), bits);
	return NLRI_OK;
}

/*
 * RFC 8277 s2: label entries until one with the S bit, all inside the
 * length (*bits, reduced here).  s2.4: a withdrawal carries exactly one
 * entry (0x800000, or 0x000000 from RFC 3107 speakers), S bit or not.
 */
static enum nlri_res read_labels(struct rbuf *r, bool withdraw, unsigned *bits,
				 struct label_stack *ls)
{
	uint32_t e;

	do {
		if (ls->n == LABEL_STACK_MAX || *bits < LABEL_BITS || !rbuf_u24(r, &e))
			return NLRI_BAD;
		ls->e[ls->n++] = e;
		*bits -= LABEL_BITS;
	} while (!withdraw && !label_bos(e));
	return NLRI_OK;
}

/* Unicast, labeled unicast, VPN: <length in bits, [labels], [RD], prefix>. */
static enum nlri_res decode_prefixed(struct rbuf *r, const struct bgp_fam_desc *fd, bool withdraw,
				     struct bgp_nlri *n)
{
	uint8_t len;
	unsigned bits;
	enum nlri_res res;

	if (!rbuf_u8(r, &len))
		return NLRI_BAD;
	bits = len;
	if (fd->kind != BGP_NK_PREFIX) {
		res = read_labels(r, withdraw, &bits, &n->labels);
		if (res != NLRI_OK)
			return res;
	}
	if (fd->kind == BGP_NK_VPN) {
		/* RFC 4364 s4.3.4: the length covers labels + RD + prefix */
		if (bits < RD_BITS || !rbuf_bytes(r, n->rd.b, sizeof(n->rd.b)))
			return NLRI_BAD;
		bits -= RD_BITS;
	}
	return read_prefix(r, fd->addr_afi, bits, &n->pfx);
}

/* RFC 4684 s4: 0 (default) or 32..96 bits of origin AS + route target. */
static enum nlri_res decode_rtc(struct rbuf *r, struct bgp_nlri *n)
{
	uint8_t len, b[12] = {0};

	if (!rbuf_u8(r, &len))
		return NLRI_BAD;
	if (len != 0 && (len < RTC_MIN_BITS || len > RTC_MAX_BITS))
		return NLRI_BAD;
	if (!rbuf_bytes(r, b, bits_to_bytes(len)))
		return NLRI_BAD;
	bits_clear_after(b, sizeof(b), len);
	n->rtc_len = len;
	n->rtc_origin_as = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	memcpy(n->rtc_rt.b, b + 4, sizeof(n->rtc_rt.b));
	return NLRI_OK;
}

/* RFC 8955 s4: one octet below 240, else 0xfnnn (12 bits). */
static bool read_flow_len(struct rbuf *r, size_t *len)
{
	uint8_t b;
	uint16_t w;

	if (!rbuf_peek_u8(r, &b))
		return false;
	if (b < FLOW_LEN_EXT) {
		if (!rbuf_u8(r, &b))
			return false;
		*len = b;
		return true;
	}
	if (!rbuf_u16(r, &w))
		return false;
	*len = w & FLOW_LEN_EXT_MAX;
	return true;
}

/* FlowSpec (RFC 8955 s4) and VPN FlowSpec (s8: the length covers the RD). */
static enum nlri_res decode_flow(struct rbuf *r, const struct bgp_fam_desc *fd,
				 struct bgp_verdict *v, struct bgp_nlri *n)
{
	size_t len, start = rbuf_off(r);
	struct rbuf val;

	if (!read_flow_len(r, &len) || !rbuf_sub(r, len, &val))
		return NLRI_BAD;
	if (fd->kind == BGP_NK_VPNFLOW && !rbuf_bytes(&val, n->rd.b, sizeof(n->rd.b)))
		return NLRI_BAD;
	/* RFC 8955 s4.2: <[component]+>, so an empty list is malformed too */
	if (rbuf_empty(&val)) {
		bgp_verdict_raise(v, BGP_E_FLOWSPEC_NLRI, 0, start, rbuf_off(r) - start);
		return NLRI_BAD_RAISED;
	}
	if (!flowspec_validate(&val, fd->addr_afi, v))
		return NLRI_BAD_RAISED;
	n->flow = val;
	return NLRI_OK;
}

bool bgp_nlri_decode(struct rbuf *r, enum bgp_fam fam, bool addpath, bool withdraw,
		     struct bgp_nlri *n, struct bgp_verdict *v, enum bgp_err err_on_fail)
{
	struct rbuf c = *r;
	const struct bgp_fam_desc *fd;
	enum nlri_res res = NLRI_BAD;

	memset(n, 0, sizeof(*n));
	n->fam = fam;
	if (fam < 0 || fam >= BGP_FAM_COUNT)
		goto fail;
	fd = &bgp_fam_table[fam];
	/* RFC 7911 s3: a 4-octet path identifier before the NLRI proper */
	if (addpath) {
		if (!rbuf_u32(&c, &n->path_id))
			goto fail;
		n->has_path_id = true;
	}
	switch (fd->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
	case BGP_NK_VPN:
		res = decode_prefixed(&c, fd, withdraw, n);
		break;
	case BGP_NK_RTC:
		res = decode_rtc(&c, n);
		break;
	case BGP_NK_FLOW:
	case BGP_NK_VPNFLOW:
		res = decode_flow(&c, fd, v, n);
		break;
	}
	if (res != NLRI_OK)
		goto fail;
	*r = c;
	return true;
fail:
	/* RFC 7606 s5.3: what an unparsable NLRI means is the caller's
	 * context; we report it with the bytes from here to the end. */
	if (res != NLRI_BAD_RAISED)
		bgp_verdict_raise(v, err_on_fail, err_attr_type(err_on_fail), rbuf_off(r),
				  rbuf_left(r));
	return false;
}

/* The prefix in its minimal octets with the host bits zero. */
static void write_prefix(struct wbuf *w, const struct prefix *p)
{
	uint8_t b[16];
	unsigned len = p->len > afi_addr_bits(p->afi) ? afi_addr_bits(p->afi) : p->len;

	memcpy(b, p->b, sizeof(b));
	bits_clear_after(b, sizeof(b), len);
	wbuf_bytes(w, b, bits_to_bytes(len));
}

static void encode_prefixed(struct wbuf *w, const struct bgp_nlri *n, enum bgp_nlri_kind kind,
			    bool withdraw)
{
	unsigned nlabels = 0, bits;

	if (kind != BGP_NK_PREFIX)
		nlabels = withdraw ? 1 : n->labels.n;
	bits = nlabels * LABEL_BITS + (kind == BGP_NK_VPN ? RD_BITS : 0) + n->pfx.len;
	if (bits > UINT8_MAX || nlabels > LABEL_STACK_MAX) {
		w->overflow = true; /* cannot be expressed in one length octet */
		return;
	}
	wbuf_u8(w, (uint8_t)bits);
	if (withdraw && kind != BGP_NK_PREFIX) {
		/* RFC 8277 s2.4: one compatibility entry */
		wbuf_u24(w, n->labels.n ? n->labels.e[0] : LABEL_WITHDRAW_ENTRY);
	} else {
		for (unsigned i = 0; i < nlabels; i++)
			wbuf_u24(w, n->labels.e[i]);
	}
	if (kind == BGP_NK_VPN)
		wbuf_bytes(w, n->rd.b, sizeof(n->rd.b));
	write_prefix(w, &n->pfx);
}

static void encode_rtc(struct wbuf *w, const struct bgp_nlri *n)
{
	uint8_t b[12];
	unsigned len = n->rtc_len;

	if (len != 0 && (len < RTC_MIN_BITS || len > RTC_MAX_BITS)) {
		w->overflow = true;
		return;
	}
	b[0] = (uint8_t)(n->rtc_origin_as >> 24);
	b[1] = (uint8_t)(n->rtc_origin_as >> 16);
	b[2] = (uint8_t)(n->rtc_origin_as >> 8);
	b[3] = (uint8_t)n->rtc_origin_as;
	memcpy(b + 4, n->rtc_rt.b, sizeof(n->rtc_rt.b));
	bits_clear_after(b, sizeof(b), len);
	wbuf_u8(w, (uint8_t)len);
	wbuf_bytes(w, b, bits_to_bytes(len));
}

static void encode_flow(struct wbuf *w, const struct bgp_nlri *n, enum bgp_nlri_kind kind)
{
	size_t len = rbuf_left(&n->flow) + (kind == BGP_NK_VPNFLOW ? sizeof(n->rd.b) : 0);

	if (len > FLOW_LEN_EXT_MAX) {
		w->overflow = true;
		return;
	}
	/* RFC 8955 s4: the short form whenever it fits */
	if (len < FLOW_LEN_EXT)
		wbuf_u8(w, (uint8_t)len);
	else
		wbuf_u16(w, (uint16_t)(0xf000 | len));
	if (kind == BGP_NK_VPNFLOW)
		wbuf_bytes(w, n->rd.b, sizeof(n->rd.b));
	if (!rbuf_empty(&n->flow))
		wbuf_bytes(w, rbuf_ptr(&n->flow), rbuf_left(&n->flow));
}

void bgp_nlri_encode(struct wbuf *w, const struct bgp_nlri *n, bool addpath, bool withdraw)
{
	enum bgp_nlri_kind kind;

	if (n->fam < 0 || n->fam >= BGP_FAM_COUNT) {
		w->overflow = true;
		return;
	}
	kind = bgp_fam_table[n->fam].kind;
	if (addpath)
		wbuf_u32(w, n->path_id); /* RFC 7911 s3 */
	switch (kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
	case BGP_NK_VPN:
		encode_prefixed(w, n, kind, withdraw);
		break;
	case BGP_NK_RTC:
		encode_rtc(w, n);
		break;
	case BGP_NK_FLOW:
	case BGP_NK_VPNFLOW:
		encode_flow(w, n, kind);
		break;
	}
}

static char *fmt_rtc(const struct bgp_nlri *n, char *buf, size_t len)
{
	char rt[ECOMM_STRLEN];

	if (n->rtc_len == 0) {
		snprintf(buf, len, "default");
		return buf;
	}
	ecomm_fmt(&n->rtc_rt, rt, sizeof(rt));
	if (n->rtc_len == RTC_MAX_BITS)
		snprintf(buf, len, "%u:%s", n->rtc_origin_as, rt);
	else
		snprintf(buf, len, "%u:%s/%u", n->rtc_origin_as, rt, n->rtc_len);
	return buf;
}

char *bgp_nlri_fmt(const struct bgp_nlri *n, char *buf, size_t len)
{
	char rd[RD_STRLEN], pfx[PREFIX_STRLEN];
	const struct bgp_fam_desc *fd;
	size_t off;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (n->fam < 0 || n->fam >= BGP_FAM_COUNT)
		return buf;
	fd = &bgp_fam_table[n->fam];
	switch (fd->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		prefix_fmt(&n->pfx, buf, len);
		break;
	case BGP_NK_VPN:
		snprintf(buf, len, "%s:%s", rd_fmt(&n->rd, rd, sizeof(rd)),
			 prefix_fmt(&n->pfx, pfx, sizeof(pfx)));
		break;
	case BGP_NK_RTC:
		fmt_rtc(n, buf, len);
		break;
	case BGP_NK_FLOW:
		flowspec_fmt(&n->flow, fd->addr_afi, buf, len);
		break;
	case BGP_NK_VPNFLOW:
		snprintf(buf, len, "%s ", rd_fmt(&n->rd, rd, sizeof(rd)));
		off = strlen(buf);
		if (off + 1 < len)
			flowspec_fmt(&n->flow, fd->addr_afi, buf + off, len - off);
		break;
	}
	return buf;
}

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_flow(const struct rbuf *a, const struct rbuf *b)
{
	size_t la = rbuf_left(a), lb = rbuf_left(b);
	int c = cmp_u(la, lb);

	if (c || !la)
		return c;
	return memcmp(rbuf_ptr(a), rbuf_ptr(b), la);
}

int bgp_nlri_cmp(const struct bgp_nlri *a, const struct bgp_nlri *b)
{
	int c = cmp_u((uint64_t)(a->fam + 1), (uint64_t)(b->fam + 1));

	if (c || (c = cmp_u(a->has_path_id, b->has_path_id)) || (c = cmp_u(a->path_id, b->path_id)))
		return c;
	if (a->fam < 0 || a->fam >= BGP_FAM_COUNT)
		return 0;
	switch (bgp_fam_table[a->fam].kind) {
	case BGP_NK_VPN:
		if ((c = rd_cmp(&a->rd, &b->rd)))
			return c;
		return prefix_cmp(&a->pfx, &b->pfx);
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		return prefix_cmp(&a->pfx, &b->pfx);
	case BGP_NK_RTC:
		if ((c = cmp_u(a->rtc_len, b->rtc_len)) ||
		    (c = cmp_u(a->rtc_origin_as, b->rtc_origin_as)))
			return c;
		return memcmp(a->rtc_rt.b, b->rtc_rt.b, sizeof(a->rtc_rt.b));
	case BGP_NK_VPNFLOW:
		if ((c = rd_cmp(&a->rd, &b->rd)))
			return c;
		return cmp_flow(&a->flow, &b->flow);
	case BGP_NK_FLOW:
		return cmp_flow(&a->flow, &b->flow);
	}
	return 0;
}
