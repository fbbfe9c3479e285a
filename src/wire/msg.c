/*
 * msg: BGP message framing (RFC 4271 s4.1, s6.1), message type names,
 * KEEPALIVE (RFC 4271 s4.4) and the NOTIFICATION data a framing or OPEN
 * verdict calls for.
 *
 * Not for: OPEN (open.c), NOTIFICATION (notify.c), ROUTE-REFRESH
 * (refresh.c), UPDATE (update.c), the error table (verdict.c).
 */
#include "wire/msg.h"

/* RFC 4271 s4.1 (OPEN 29, UPDATE 23, KEEPALIVE 19, NOTIFICATION 21) and
 * RFC 2918 s3 (ROUTE-REFRESH: header + AFI, reserved, SAFI = 23). */
static const struct {
	const char *name;
	uint16_t min_len;
} msg_types[] = {
    [BGP_MSG_OPEN] = {"open", 29},
    [BGP_MSG_UPDATE] = {"update", 23},
    [BGP_MSG_NOTIFICATION] = {"notification", 21},
    [BGP_MSG_KEEPALIVE] = {"keepalive", 19},
    [BGP_MSG_ROUTE_REFRESH] = {"route-refresh", 23},
};

#define MSG_TYPE_MAX BGP_MSG_ROUTE_REFRESH

/* Offsets of the header fields in a message. */
#define HDR_OFF_LENGTH 16
#define HDR_OFF_TYPE 18

const char *bgp_msg_type_name(uint8_t type)
{
	if (type == 0 || type > MSG_TYPE_MAX)
		return NULL;
	return msg_types[type].name;
}

static bool hdr_marker_ok(struct rbuf *h)
{
	bool ok = true;

	for (int i = 0; i < BGP_MARKER_LEN; i++) {
		uint8_t b = 0;

		if (!rbuf_u8(h, &b))
			return false;
		ok = ok && b == 0xff;
	}
	return ok;
}

/* RFC 4271 s6.1 checks on a complete 19-byte header; true when fine. */
static bool hdr_check(uint16_t len, uint8_t type, size_t max_len, struct bgp_verdict *v)
{
	/* RFC 8654 s4: the extended size never applies to OPEN and KEEPALIVE. */
	if (type == BGP_MSG_OPEN || type == BGP_MSG_KEEPALIVE)
		max_len = max_len < BGP_MAX_LEN ? max_len : BGP_MAX_LEN;
	/* RFC 4271 s6.1: Bad Message Length, data = the Length field */
	if (len < BGP_HDR_LEN || len > max_len) {
		bgp_verdict_raise(v, BGP_E_HDR_LENGTH, 0, HDR_OFF_LENGTH, 2);
		return false;
	}
	/* RFC 4271 s6.1: Bad Message Type, data = the Type field */
	if (bgp_msg_type_name(type) == NULL) {
		bgp_verdict_raise(v, BGP_E_HDR_TYPE, 0, HDR_OFF_TYPE, 1);
		return false;
	}
	/* RFC 4271 s6.1: below the type's minimum, KEEPALIVE exactly 19 */
	if (len < msg_types[type].min_len || (type == BGP_MSG_KEEPALIVE && len != BGP_HDR_LEN)) {
		bgp_verdict_raise(v, BGP_E_HDR_LENGTH, 0, HDR_OFF_LENGTH, 2);
		return false;
	}
	return true;
}

int bgp_hdr_split(struct rbuf *stream, size_t max_len, uint8_t *type, struct rbuf *msg,
		  struct rbuf *body, struct bgp_verdict *v)
{
	struct rbuf all, h;
	uint16_t len = 0;

	if (rbuf_left(stream) < BGP_HDR_LEN)
		return 0;
	/* Re-base on the message so that reported offsets are message-relative. */
	rbuf_init(&all, rbuf_ptr(stream), rbuf_left(stream));
	h = all;
	if (!hdr_marker_ok(&h)) {
		/* RFC 4271 s6.1: Connection Not Synchronized (no data defined) */
		rbuf_init(msg, rbuf_ptr(stream), BGP_HDR_LEN);
		bgp_verdict_raise(v, BGP_E_HDR_MARKER, 0, 0, 0);
		return -1;
	}
	if (!rbuf_u16(&h, &len) || !rbuf_u8(&h, type))
		return 0; /* cannot happen: 19 bytes are there */
	if (!hdr_check(len, *type, max_len, v)) {
		rbuf_init(msg, rbuf_ptr(stream), BGP_HDR_LEN);
		return -1;
	}
	if (rbuf_left(&all) < len)
		return 0;
	if (!rbuf_sub(&all, len, msg) || !rbuf_skip(stream, len))
		return 0;
	*body = *msg;
	if (!rbuf_skip(body, BGP_HDR_LEN))
		return 0;
	return 1;
}

size_t bgp_hdr_begin(struct wbuf *w, uint8_t type)
{
	size_t mark = wbuf_mark(w);

	for (int i = 0; i < BGP_MARKER_LEN; i++)
		wbuf_u8(w, 0xff);
	wbuf_u16(w, 0); /* patched by bgp_hdr_end() */
	wbuf_u8(w, type);
	return mark;
}

void bgp_hdr_end(struct wbuf *w, size_t mark)
{
	size_t len = wbuf_len(w) - mark;

	/* A message that does not fit a 16-bit length cannot be sent. */
	if (len > BGP_EXT_MAX_LEN) {
		w->overflow = true;
		return;
	}
	wbuf_patch_u16(w, mark + HDR_OFF_LENGTH, (uint16_t)len);
}

size_t bgp_msg_notify_data(const struct bgp_verdict *v, const struct rbuf *msg, uint8_t *out,
			   size_t cap)
{
	struct rbuf r = *msg;
	size_t n = v->data_len;

	/* RFC 4271 s6.2: "the Data field is a 2-octet unsigned integer, which
	 * indicates the largest, locally-supported version number" */
	if (v->err == BGP_E_OPEN_VERSION) {
		if (cap < 2)
			return 0;
		out[0] = 0;
		out[1] = BGP_VERSION;
		return 2;
	}
	if (n > cap)
		n = cap;
	r.pos = 0;
	if (!rbuf_skip(&r, v->data_off) || !rbuf_bytes(&r, out, n))
		return 0;
	return n;
}

void bgp_keepalive_encode(struct wbuf *w)
{
	bgp_hdr_end(w, bgp_hdr_begin(w, BGP_MSG_KEEPALIVE));
}

bool bgp_keepalive_decode(struct rbuf *body, struct bgp_verdict *v)
{
	/* RFC 4271 s4.4: a KEEPALIVE is the header only; s6.1 Bad Message
	 * Length with the Length field as data. */
	if (!rbuf_empty(body)) {
		bgp_verdict_raise(v, BGP_E_KEEPALIVE_LENGTH, 0, HDR_OFF_LENGTH, 2);
		return false;
	}
	return true;
}
