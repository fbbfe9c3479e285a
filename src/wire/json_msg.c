/*
 * json_msg: OPEN, NOTIFICATION and ROUTE-REFRESH as JSON objects, keys as
 * in the OPEN, NOTIFICATION and ROUTE-REFRESH tables of docs/decode-json.md.
 *
 * The objects carry the message's own keys only; `type`, `length` and
 * `verdict` are added by bgp_msg_to_json(), which knows the header.
 * Capabilities are listed in the order received, re-read from the
 * parameter bytes the decoder validated (struct bgp_caps keeps no order).
 *
 * Not for: decoding (open.c, notify.c, refresh.c), UPDATE (json_update.c).
 */
#include <stdlib.h>

#include <json-c/json.h>

#include "lib/hex.h"
#include "lib/prefix.h"
#include "wire/json.h"

static void add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void add_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

/* Lower-case hex of a whole view. */
static void add_hex(struct json_object *o, const char *key, const struct rbuf *r)
{
	size_t n = rbuf_left(r);
	char *s = malloc(2 * n + 1);

	if (s == NULL)
		return;
	add_str(o, key, hex_encode(rbuf_ptr(r), n, s));
	free(s);
}

/* "family" when we speak it, else "afi" and "safi" numbers. */
static void add_family(struct json_object *o, uint16_t afi, uint8_t safi)
{
	enum bgp_fam f = bgp_fam_from_afisafi(afi, safi);

	if (f != BGP_FAM_NONE) {
		add_str(o, "family", bgp_fam_table[f].name);
		return;
	}
	add_int(o, "afi", afi);
	add_int(o, "safi", safi);
}

/* ---- capabilities, one object each ---- */

static const char *cap_name(uint8_t code)
{
	switch (code) {
	case BGP_CAP_MP:
		return "multiprotocol";
	case BGP_CAP_ROUTE_REFRESH:
		return "route-refresh";
	case BGP_CAP_ROUTE_REFRESH_OLD:
		return "route-refresh-old";
	case BGP_CAP_ENHANCED_RR:
		return "enhanced-route-refresh";
	case BGP_CAP_EXT_MESSAGE:
		return "extended-message";
	case BGP_CAP_EXT_NEXTHOP:
		return "extended-nexthop";
	case BGP_CAP_AS4:
		return "as4";
	case BGP_CAP_ADD_PATH:
		return "add-path";
	case BGP_CAP_GRACEFUL_RESTART:
		return "graceful-restart";
	default:
		return "unknown";
	}
}

/* RFC 4760 s8 */
static bool cap_mp_json(struct json_object *o, struct rbuf v)
{
	uint16_t afi;
	uint8_t res, safi;

	if (!rbuf_u16(&v, &afi) || !rbuf_u8(&v, &res) || !rbuf_u8(&v, &safi) || !rbuf_empty(&v))
		return false;
	add_family(o, afi, safi);
	return true;
}

/* RFC 6793 s3 */
static bool cap_as4_json(struct json_object *o, struct rbuf v)
{
	uint32_t asn;

	if (!rbuf_u32(&v, &asn) || !rbuf_empty(&v))
		return false;
	add_int(o, "asn", asn);
	return true;
}

/* RFC 7911 s4 */
static bool cap_addpath_json(struct json_object *o, struct rbuf v)
{
	struct json_object *a;
	uint16_t afi;
	uint8_t safi, sr;

	if (rbuf_left(&v) % 4 != 0)
		return false;
	a = json_object_new_array();
	while (rbuf_u16(&v, &afi) && rbuf_u8(&v, &safi) && rbuf_u8(&v, &sr)) {
		struct json_object *e = json_object_new_object();

		add_family(e, afi, safi);
		add_bool(e, "send", sr & BGP_ADDPATH_TX);
		add_bool(e, "receive", sr & BGP_ADDPATH_RX);
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "families", a);
	return true;
}

/* RFC 4724 s3, N bit RFC 8538 s2 */
static bool cap_gr_json(struct json_object *o, struct rbuf v)
{
	struct json_object *a;
	uint16_t ft, afi;
	uint8_t safi, flags;

	if (!rbuf_u16(&v, &ft) || rbuf_left(&v) % 4 != 0)
		return false;
	add_int(o, "restart_time", ft & 0x0fff);
	add_bool(o, "restarting", ft & 0x8000);
	add_bool(o, "notification", ft & 0x4000);
	a = json_object_new_array();
	while (rbuf_u16(&v, &afi) && rbuf_u8(&v, &safi) && rbuf_u8(&v, &flags)) {
		struct json_object *e = json_object_new_object();

		add_family(e, afi, safi);
		add_bool(e, "forwarding", flags & 0x80);
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "families", a);
	return true;
}

static struct json_object *cap_to_json(uint8_t code, struct rbuf v)
{
	struct json_object *o = json_object_new_object();
	bool ok = true;

	add_int(o, "code", code);
	add_str(o, "name", cap_name(code));
	switch (code) {
	case BGP_CAP_MP:
		ok = cap_mp_json(o, v);
		break;
	case BGP_CAP_AS4:
		ok = cap_as4_json(o, v);
		break;
	case BGP_CAP_ADD_PATH:
		ok = cap_addpath_json(o, v);
		break;
	case BGP_CAP_GRACEFUL_RESTART:
		ok = cap_gr_json(o, v);
		break;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ROUTE_REFRESH_OLD:
	case BGP_CAP_ENHANCED_RR:
	case BGP_CAP_EXT_MESSAGE:
		ok = rbuf_empty(&v);
		break;
	default:
		add_hex(o, "hex", &v);
		break;
	}
	/* Only reachable for an OPEN that did not decode: show the bytes. */
	if (!ok)
		add_hex(o, "hex", &v);
	return o;
}

static struct json_object *caps_to_json(const struct bgp_open *o)
{
	struct json_object *a = json_object_new_array();
	struct bgp_cap_iter it;
	struct rbuf val;
	uint8_t code;

	bgp_cap_iter_init(&it, o);
	while (bgp_cap_iter_next(&it, &code, &val))
		json_object_array_add(a, cap_to_json(code, val));
	return a;
}

/* The parameters of an OPEN our own encoder wrote (RFC 4271 s4.2 layout,
 * or RFC 9072 s2 when it starts 255, 255). */
static void encoded_params(struct rbuf body, struct bgp_open *d)
{
	uint8_t optlen = 0, type = 0;
	uint16_t len;

	if (!rbuf_skip(&body, 9) || !rbuf_u8(&body, &optlen))
		return;
	d->ext_opt_params = optlen != 0 && rbuf_peek_u8(&body, &type) && type == 255;
	if (d->ext_opt_params && (!rbuf_skip(&body, 1) || !rbuf_u16(&body, &len)))
		return;
	rbuf_rest(&body, &d->params);
}

/* An OPEN built in memory has no parameter bytes to walk: encode it and
 * list the capabilities as a peer would receive them. */
static struct json_object *caps_built_to_json(const struct bgp_open *o)
{
	struct json_object *a = NULL;
	uint8_t *buf = malloc(BGP_MAX_LEN);
	struct bgp_open d = {0};
	struct bgp_verdict v;
	struct wbuf w;
	struct rbuf r, msg, body;
	uint8_t type;

	if (buf == NULL)
		return json_object_new_array();
	wbuf_init(&w, buf, BGP_MAX_LEN);
	bgp_open_encode(&w, o);
	rbuf_init(&r, buf, wbuf_len(&w));
	bgp_verdict_init(&v);
	if (wbuf_ok(&w) && bgp_hdr_split(&r, BGP_MAX_LEN, &type, &msg, &body, &v) == 1) {
		encoded_params(body, &d);
		a = caps_to_json(&d);
	}
	free(buf);
	return a ? a : json_object_new_array();
}

struct json_object *bgp_open_to_json(const struct bgp_open *o)
{
	struct json_object *j = json_object_new_object();
	struct ipaddr id;
	char buf[IPADDR_STRLEN];

	add_int(j, "version", o->version);
	add_int(j, "my_as", o->my_as);
	add_int(j, "asn", bgp_open_asn(o));
	add_int(j, "hold_time", o->hold_time);
	ipaddr_from_v4(&id, o->bgp_id);
	add_str(j, "bgp_id", ipaddr_fmt(&id, buf, sizeof(buf)));
	if (o->ext_opt_params)
		add_bool(j, "extended_parameters", true);
	json_object_object_add(j, "capabilities",
			       o->params.base != NULL ? caps_to_json(o) : caps_built_to_json(o));
	return j;
}

struct json_object *bgp_notify_to_json(const struct bgp_notify *n)
{
	struct json_object *j = json_object_new_object();
	const char *name;

	add_int(j, "code", n->code);
	add_int(j, "subcode", n->subcode);
	if ((name = bgp_notify_code_name(n->code)) != NULL)
		add_str(j, "code_name", name);
	if ((name = bgp_notify_subcode_name(n->code, n->subcode)) != NULL)
		add_str(j, "subcode_name", name);
	if (!rbuf_empty(&n->data))
		add_hex(j, "data", &n->data);
	/* RFC 9003 s2: validated UTF-8, so it can go into JSON as is */
	if (n->has_shutdown_msg)
		json_object_object_add(
		    j, "shutdown_message",
		    json_object_new_string_len((const char *)rbuf_ptr(&n->shutdown_msg),
					       (int)rbuf_left(&n->shutdown_msg)));
	return j;
}

struct json_object *bgp_refresh_to_json(const struct bgp_refresh *r)
{
	struct json_object *j = json_object_new_object();
	static const char *const subtypes[] = {
	    [BGP_RR_NORMAL] = "normal",
	    [BGP_RR_BORR] = "begin",
	    [BGP_RR_EORR] = "end",
	};

	add_family(j, r->afi, r->safi);
	/* RFC 7313 s3; other values are to be ignored (s5) */
	add_str(j, "subtype", r->subtype <= BGP_RR_EORR ? subtypes[r->subtype] : "unknown");
	return j;
}
