/*
 * notify: the NOTIFICATION message (RFC 4271 s4.5) and the names of its
 * error codes and subcodes (RFC 4271 s4.5, RFC 4486, RFC 5492, RFC 6608,
 * RFC 7313, RFC 8538, RFC 9234, RFC 9384), plus the shutdown communication
 * of RFC 9003.
 *
 * Not for: deciding which NOTIFICATION a malformed message earns
 * (verdict.c).
 */
#include "wire/msg.h"

#define CODE_MAX 7
#define SUBCODE_MAX 11

/* IANA "BGP Error (Notification) Codes" and the subcode registries.
 * Subcode 0 is named "unspecific" for every code (RFC 4271 s6.2 uses
 * "Unspecific"; RFC 6608 s3 "Unspecified Error"). */
static const char *const code_names[CODE_MAX + 1] = {
    [BGP_ERR_HEADER] = "message-header-error",
    [BGP_ERR_OPEN] = "open-message-error",
    [BGP_ERR_UPDATE] = "update-message-error",
    [BGP_ERR_HOLD_TIMER] = "hold-timer-expired",
    [BGP_ERR_FSM] = "finite-state-machine-error",
    [BGP_ERR_CEASE] = "cease",
    [BGP_ERR_ROUTE_REFRESH] = "route-refresh-message-error", /* RFC 7313 s5 */
};

static const char
    *const subcode_names[CODE_MAX + 1][SUBCODE_MAX + 1] =
	{
	    /* RFC 4271 s4.5 */
	    [BGP_ERR_HEADER] =
		{
		    [0] = "unspecific",
		    [1] = "connection-not-synchronized",
		    [2] = "bad-message-length",
		    [3] = "bad-message-type",
		},
	    [BGP_ERR_OPEN] =
		{
		    [0] = "unspecific",
		    [1] = "unsupported-version-number",
		    [2] = "bad-peer-as",
		    [3] = "bad-bgp-identifier",
		    [4] = "unsupported-optional-parameter",
		    [5] = "authentication-failure", /* deprecated, RFC 4271 s4.5 */
		    [6] = "unacceptable-hold-time",
		    [7] = "unsupported-capability", /* RFC 5492 */
		    [11] = "role-mismatch",	    /* RFC 9234 */
		},
	    [BGP_ERR_UPDATE] =
		{
		    [0] = "unspecific",
		    [1] = "malformed-attribute-list",
		    [2] = "unrecognized-well-known-attribute",
		    [3] = "missing-well-known-attribute",
		    [4] = "attribute-flags-error",
		    [5] = "attribute-length-error",
		    [6] = "invalid-origin-attribute",
		    [7] = "as-routing-loop", /* deprecated, RFC 4271 s4.5 */
		    [8] = "invalid-next-hop-attribute",
		    [9] = "optional-attribute-error",
		    [10] = "invalid-network-field",
		    [11] = "malformed-as-path",
		},
	    [BGP_ERR_HOLD_TIMER] =
		{
		    [0] = "unspecific",
		},
	    /* RFC 6608 s3 */
	    [BGP_ERR_FSM] =
		{
		    [0] = "unspecific",
		    [1] = "receive-unexpected-message-in-opensent-state",
		    [2] = "receive-unexpected-message-in-openconfirm-state",
		    [3] = "receive-unexpected-message-in-established-state",
		},
	    /* RFC 4486 s3; 9 RFC 8538; 10 RFC 9384 */
	    [BGP_ERR_CEASE] =
		{
		    [0] = "unspecific",
		    [1] = "maximum-number-of-prefixes-reached",
		    [2] = "administrative-shutdown",
		    [3] = "peer-de-configured",
		    [4] = "administrative-reset",
		    [5] = "connection-rejected",
		    [6] = "other-configuration-change",
		    [7] = "connection-collision-resolution",
		    [8] = "out-of-resources",
		    [9] = "hard-reset",
		    [10] = "bfd-down",
		},
	    /* RFC 7313 s5 */
	    [BGP_ERR_ROUTE_REFRESH] =
		{
		    [0] = "unspecific",
		    [1] = "invalid-message-length",
		},
};

const char *bgp_notify_code_name(uint8_t code)
{
	return code <= CODE_MAX ? code_names[code] : NULL;
}

const char *bgp_notify_subcode_name(uint8_t code, uint8_t subcode)
{
	if (code > CODE_MAX || subcode > SUBCODE_MAX)
		return NULL;
	return subcode_names[code][subcode];
}

/* Length of the UTF-8 sequence led by b, 0 if b cannot lead one. */
static int utf8_seq_len(uint8_t b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/* Well-formed UTF-8 (RFC 3629 s4): no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
static bool utf8_valid(struct rbuf r)
{
	uint8_t b, c;

	while (rbuf_u8(&r, &b)) {
		int n = utf8_seq_len(b);
		uint8_t lo = 0x80, hi = 0xbf;

		if (n == 0)
			return false;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
		else if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
		for (int i = 1; i < n; i++) {
			if (!rbuf_u8(&r, &c) || c < lo || c > hi)
				return false;
			lo = 0x80;
			hi = 0xbf;
		}
	}
	return true;
}

/* RFC 9003 s2: Cease / Administrative Shutdown or Reset may carry a
 * 1-octet length and that many octets of UTF-8 (none when the length is
 * 0); a receiver "MUST NOT interpret invalid UTF-8 sequences", so an
 * invalid one, or one longer than the data, is left as plain data. */
static void notify_shutdown_msg(struct bgp_notify *n)
{
	struct rbuf d = n->data, s;
	uint8_t len;

	if (n->code != BGP_ERR_CEASE || (n->subcode != 2 && n->subcode != 4))
		return;
	if (!rbuf_u8(&d, &len) || len == 0 || !rbuf_sub(&d, len, &s) || !utf8_valid(s))
		return;
	n->has_shutdown_msg = true;
	n->shutdown_msg = s;
}

bool bgp_notify_decode(struct rbuf *body, struct bgp_notify *n, struct bgp_verdict *v)
{
	*n = (struct bgp_notify){0};
	/* RFC 4271 s4.5: code and subcode are mandatory (minimum length 21,
	 * s6.1 Bad Message Length with the Length field as data). */
	if (!rbuf_u8(body, &n->code) || !rbuf_u8(body, &n->subcode)) {
		bgp_verdict_raise(v, BGP_E_NOTIFY_LENGTH, 0, 16, 2);
		return false;
	}
	rbuf_rest(body, &n->data);
	notify_shutdown_msg(n);
	return true;
}

void bgp_notify_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const void *data, size_t len)
{
	size_t mark = bgp_hdr_begin(w, BGP_MSG_NOTIFICATION);

	wbuf_u8(w, code);
	wbuf_u8(w, subcode);
	wbuf_bytes(w, data, len);
	bgp_hdr_end(w, mark);
}
