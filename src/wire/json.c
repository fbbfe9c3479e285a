/*
 * json: bgp_msg_to_json(), the one entry point that turns a whole BGP
 * message into the JSON object of docs/decode-json.md.  It splits the
 * header (RFC 4271 s4.1), hands the body to the decoder of its type and
 * merges that decoder's JSON under "type" and "length"; "verdict" comes
 * last, only when the message is not fully OK.
 *
 * Not for: the per-message renderers (json_msg.c, json_update.c,
 * json_nlri.c) or any decoding.
 */
#include "wire/json.h"

#include <json-c/json.h>

#include "lib/rbuf.h"
#include "wire/msg.h"

/* Move every key of `from` into `to` (in order), then drop `from`. */
static void json_merge(struct json_object *to, struct json_object *from)
{
	if (from == NULL)
		return;
	json_object_object_foreach(from, key, val)
	{
		json_object_object_add(to, key, json_object_get(val));
	}
	json_object_put(from);
}

/* The decoded body of one message, or NULL when it did not decode. */
static struct json_object *body_to_json(uint8_t type, struct rbuf *body,
					const struct bgp_sess_params *p, struct bgp_verdict *v)
{
	switch (type) {
	case BGP_MSG_OPEN: {
		struct bgp_open o = {0};

		return bgp_open_decode(body, &o, v) ? bgp_open_to_json(&o) : NULL;
	}
	case BGP_MSG_UPDATE: {
		/* RFC 7606: only a session reset makes the message unusable */
		struct bgp_update u = {0};

		return bgp_update_decode(body, p, &u, v) ? bgp_update_to_json(&u, p) : NULL;
	}
	case BGP_MSG_NOTIFICATION: {
		struct bgp_notify n = {0};

		return bgp_notify_decode(body, &n, v) ? bgp_notify_to_json(&n) : NULL;
	}
	case BGP_MSG_KEEPALIVE:
		(void)bgp_keepalive_decode(body, v);
		return NULL;
	case BGP_MSG_ROUTE_REFRESH: {
		struct bgp_refresh r = {0};

		return bgp_refresh_decode(body, &r, v) ? bgp_refresh_to_json(&r) : NULL;
	}
	default: /* bgp_hdr_split() rejected it already */
		return NULL;
	}
}

/* "type" and "length" straight from the header bytes, as far as they go. */
static void hdr_to_json(struct json_object *o, const uint8_t *msg, size_t len)
{
	struct rbuf r;
	uint16_t hlen;
	uint8_t type;
	const char *name = NULL;

	rbuf_init(&r, msg, len);
	if (rbuf_skip(&r, BGP_MARKER_LEN + 2) && rbuf_u8(&r, &type))
		name = bgp_msg_type_name(type);
	json_object_object_add(o, "type", json_object_new_string(name ? name : "unknown"));
	rbuf_init(&r, msg, len);
	if (rbuf_skip(&r, BGP_MARKER_LEN) && rbuf_u16(&r, &hlen))
		json_object_object_add(o, "length", json_object_new_int(hlen));
}

struct json_object *bgp_msg_to_json(const uint8_t *msg, size_t len, const struct bgp_sess_params *p)
{
	struct json_object *o = json_object_new_object();
	struct bgp_sess_params dflt;
	struct rbuf stream, whole, body;
	struct bgp_verdict v;
	uint8_t type = 0;
	int rc;

	if (p == NULL) {
		bgp_sess_params_default(&dflt);
		p = &dflt;
	}
	bgp_verdict_init(&v);
	hdr_to_json(o, msg, len);
	rbuf_init(&stream, msg, len);
	rc = bgp_hdr_split(&stream, p->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN, &type, &whole,
			   &body, &v);
	if (rc == 1 && !rbuf_empty(&stream))
		rc = 0; /* more bytes than the length field says */
	if (rc == 0) {
		/* RFC 4271 s6.1: Bad Message Length, data = the length field */
		if (len >= BGP_MARKER_LEN + 2)
			bgp_verdict_raise(&v, BGP_E_HDR_LENGTH, 0, BGP_MARKER_LEN, 2);
		else
			bgp_verdict_raise(&v, BGP_E_HDR_LENGTH, 0, 0, 0);
	} else if (rc == 1) {
		json_merge(o, body_to_json(type, &body, p, &v));
	}
	if (v.action != BGP_ACT_OK)
		json_object_object_add(o, "verdict", bgp_verdict_to_json(&v, msg));
	return o;
}
