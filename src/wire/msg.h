/*
 * msg: BGP message framing and the non-UPDATE messages: header (RFC 4271
 * s4.1), OPEN with capabilities (RFC 5492; multiprotocol RFC 4760, route
 * refresh RFC 2918, enhanced route refresh RFC 7313, 4-octet AS RFC 6793,
 * ADD-PATH RFC 7911, graceful restart RFC 4724, extended messages
 * RFC 8654, extended optional parameters RFC 9072), KEEPALIVE,
 * NOTIFICATION (RFC 4271 s4.5, cease subcodes RFC 4486, shutdown
 * communication RFC 9003) and ROUTE-REFRESH (RFC 2918, RFC 7313).
 *
 * Decoders are pure: bytes in, struct and verdict out.  Decoded structs
 * hold rbuf views into the caller's buffer, valid while it lives.  A
 * decoder's `body` is the view bgp_hdr_split() returns (based at the start
 * of the message), so verdict offsets point into the whole message.
 *
 * Not for: UPDATE (update.h), session state (vtopod).
 */
#ifndef VTOPO_MSG_H
#define VTOPO_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/bgp.h"
#include "wire/verdict.h"

/* ---- header ---- */

/*
 * Split one message off the front of a byte stream.  Returns 1 and fills
 * type/body (the bytes after the 19-byte header) when a whole message is
 * there, 0 when more bytes are needed, -1 on a bad header (verdict set:
 * marker, length outside [19, max_len] or below the type's minimum, unknown
 * type).  `msg` receives the whole message view.
 *
 * Both views are based at the start of the message (rbuf.base), so every
 * offset a decoder reports is message-relative; on -1 `msg` holds the
 * 19-byte header.  OPEN and KEEPALIVE are never longer than 4096 whatever
 * max_len says (RFC 8654 s4).
 */
int bgp_hdr_split(struct rbuf *stream, size_t max_len, uint8_t *type, struct rbuf *msg,
		  struct rbuf *body, struct bgp_verdict *v);
/* Write a header with a length placeholder; bgp_hdr_end() patches it. */
size_t bgp_hdr_begin(struct wbuf *w, uint8_t type);
void bgp_hdr_end(struct wbuf *w, size_t mark);
const char *bgp_msg_type_name(uint8_t type); /* "open", ..., NULL if unknown */

/*
 * The NOTIFICATION data field for a session-reset verdict on `msg` (the
 * whole-message view from bgp_hdr_split()): the offending bytes the verdict
 * points at, except where the RFC asks for something else (RFC 4271 s6.2:
 * an unsupported version is answered with the largest version we support,
 * 2 octets).  Returns the number of bytes written to out (at most cap).
 */
size_t bgp_msg_notify_data(const struct bgp_verdict *v, const struct rbuf *msg, uint8_t *out,
			   size_t cap);

/* ---- OPEN and capabilities ---- */

enum bgp_cap_code {
	BGP_CAP_MP = 1,
	BGP_CAP_ROUTE_REFRESH = 2,
	BGP_CAP_EXT_NEXTHOP = 5,
	BGP_CAP_EXT_MESSAGE = 6,
	BGP_CAP_GRACEFUL_RESTART = 64,
	BGP_CAP_AS4 = 65,
	BGP_CAP_ADD_PATH = 69,
	BGP_CAP_ENHANCED_RR = 70,
	BGP_CAP_ROUTE_REFRESH_OLD = 128,
};

/* RFC 7911 s4 send/receive field */
#define BGP_ADDPATH_RX 1
#define BGP_ADDPATH_TX 2

#define BGP_CAPS_MAX_UNKNOWN 8

struct bgp_caps {
	uint32_t mp;	    /* families announced (bgp_fam_bit) */
	uint8_t n_mp_other; /* MP capabilities for families we don't speak */
	struct {
		uint16_t afi;
		uint8_t safi;
	} mp_other[8];
	bool route_refresh; /* code 2 (or the old 128) */
	bool enhanced_rr;
	bool as4;
	uint32_t as4_asn;
	bool ext_msg;
	uint32_t addpath_rx;  /* families the sender can receive path ids for */
	uint32_t addpath_tx;  /* families the sender will send path ids for */
	bool gr;	      /* RFC 4724 */
	bool gr_restarting;   /* R bit */
	bool gr_notification; /* N bit, RFC 8538 */
	uint16_t gr_time;
	uint32_t gr_fams; /* families listed */
	uint32_t gr_fwd;  /* ... with the F bit */
	uint8_t n_unknown;
	struct {
		uint8_t code;
		struct rbuf val;
	} unknown[BGP_CAPS_MAX_UNKNOWN];
};

#define BGP_VERSION 4

struct bgp_open {
	uint8_t version;
	uint16_t my_as; /* AS_TRANS (23456) when the real AS is 4-octet */
	uint16_t hold_time;
	uint32_t bgp_id;     /* host order */
	bool ext_opt_params; /* RFC 9072 encoding was used */
	struct bgp_caps caps;
	/* The Optional Parameters field as received, for walking the
	 * capabilities in order (bgp_cap_iter); empty when not decoded. */
	struct rbuf params;
};

#define BGP_AS_TRANS 23456

/* Body = bytes after the header.  Checks version 4, hold time 0 or >= 3,
 * BGP identifier non-zero, parameters and capabilities well formed.
 * Capabilities we do not know (and extended next hop, RFC 8950) are kept
 * as views in caps.unknown. */
bool bgp_open_decode(struct rbuf *body, struct bgp_open *o, struct bgp_verdict *v);
/* Whole message (header included). */
void bgp_open_encode(struct wbuf *w, const struct bgp_open *o);
/* The AS a speaker really has: caps.as4_asn if present, else my_as. */
uint32_t bgp_open_asn(const struct bgp_open *o);
/* What both sides agreed on (RFC 4760 s8, RFC 6793, RFC 7911 s4, RFC 8654).
 * A side that announces no multiprotocol capability at all speaks IPv4
 * unicast only, as the RFC 4271 base protocol does.  ADD-PATH is kept to
 * negotiated families. */
void bgp_caps_negotiate(const struct bgp_caps *local, const struct bgp_caps *remote, bool ibgp,
			struct bgp_sess_params *out);

/*
 * Walk the capabilities of a decoded OPEN in the order received (RFC 5492
 * s4, one or more per Capabilities parameter; RFC 9072 layout when
 * o->ext_opt_params).  Other parameter types are skipped; the walk stops
 * at the first malformed length.  The OPEN's buffer must still be alive.
 */
struct bgp_cap_iter {
	struct rbuf params;
	struct rbuf caps;
	bool ext;
};

void bgp_cap_iter_init(struct bgp_cap_iter *it, const struct bgp_open *o);
bool bgp_cap_iter_next(struct bgp_cap_iter *it, uint8_t *code, struct rbuf *val);

/* ---- KEEPALIVE ---- */

void bgp_keepalive_encode(struct wbuf *w);
bool bgp_keepalive_decode(struct rbuf *body, struct bgp_verdict *v);

/* ---- NOTIFICATION ---- */

struct bgp_notify {
	uint8_t code, subcode;
	struct rbuf data;
	/* RFC 9003 shutdown communication (Cease/2 and Cease/4), if valid */
	bool has_shutdown_msg;
	struct rbuf shutdown_msg;
};

bool bgp_notify_decode(struct rbuf *body, struct bgp_notify *n, struct bgp_verdict *v);
void bgp_notify_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const void *data, size_t len);
/* Names from RFC 4271 s4.5, RFC 4486 (cease), RFC 7313, RFC 8203/9003:
 * "update-message-error", "malformed-attribute-list", ...; NULL if unknown. */
const char *bgp_notify_code_name(uint8_t code);
const char *bgp_notify_subcode_name(uint8_t code, uint8_t subcode);

/* ---- ROUTE-REFRESH ---- */

enum bgp_rr_subtype {
	BGP_RR_NORMAL = 0,
	BGP_RR_BORR = 1, /* RFC 7313 beginning of route refresh */
	BGP_RR_EORR = 2, /* RFC 7313 end of route refresh */
};

struct bgp_refresh {
	uint16_t afi;
	uint8_t subtype;
	uint8_t safi;
};

bool bgp_refresh_decode(struct rbuf *body, struct bgp_refresh *r, struct bgp_verdict *v);
void bgp_refresh_encode(struct wbuf *w, const struct bgp_refresh *r);

#endif
