/*
 * verdict: what a malformed message means for the session, decided in one
 * table (verdict.c) from RFC 4271 s6 and RFC 7606.
 *
 * A decoder that finds something wrong calls bgp_verdict_raise() with an
 * error id; the table maps the id to an action (and NOTIFICATION code and
 * subcode).  The verdict keeps the most severe action seen, the error that
 * caused it, the offending attribute and the offending bytes (as an offset
 * and length into the message, for the NOTIFICATION data field), plus every
 * attribute that was discarded.  The caller acts on it; decoders never log,
 * send or touch globals.
 *
 * docs/rfc7606.md renders this table for people.
 */
#ifndef VTOPO_VERDICT_H
#define VTOPO_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

/* Ordered by severity: a later one overrides an earlier one. */
enum bgp_action {
	BGP_ACT_OK = 0,
	BGP_ACT_ATTR_DISCARD,	   /* RFC 7606 s2 "attribute discard" */
	BGP_ACT_TREAT_AS_WITHDRAW, /* RFC 7606 s2 "treat-as-withdraw" */
	BGP_ACT_AFISAFI_DISABLE,   /* RFC 7606 s2 / RFC 4760 s7 */
	BGP_ACT_SESSION_RESET,	   /* NOTIFICATION with code/subcode/data */
};

/* NOTIFICATION error codes, RFC 4271 s4.5 (+ RFC 7313 for 7). */
enum bgp_notify_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7,
};

/*
 * Every way a message can be wrong.  The list is the left column of the
 * table in verdict.c; add new ids at the end of their group.
 */
enum bgp_err {
	BGP_E_NONE = 0,
	/* message header, RFC 4271 s6.1 */
	BGP_E_HDR_MARKER,
	BGP_E_HDR_LENGTH,
	BGP_E_HDR_TYPE,
	/* OPEN, RFC 4271 s6.2, RFC 5492, RFC 6793, RFC 9072 */
	BGP_E_OPEN_LENGTH,
	BGP_E_OPEN_VERSION,
	BGP_E_OPEN_PEER_AS,
	BGP_E_OPEN_BGP_ID,
	BGP_E_OPEN_HOLD_TIME,
	BGP_E_OPEN_OPT_PARAM_LEN,
	BGP_E_OPEN_OPT_PARAM_UNSUPPORTED,
	BGP_E_OPEN_CAP_MALFORMED,
	/* KEEPALIVE / NOTIFICATION / ROUTE-REFRESH lengths */
	BGP_E_KEEPALIVE_LENGTH,
	BGP_E_NOTIFY_LENGTH,
	BGP_E_REFRESH_LENGTH, /* RFC 7313 s5: code 7 subcode 1 */
	/* UPDATE framing, RFC 4271 s6.3, RFC 7606 s4 */
	BGP_E_UPD_WITHDRAWN_LEN,
	BGP_E_UPD_ATTR_LEN,
	BGP_E_UPD_ATTR_OVERRUN, /* an attribute's length runs past the list */
	BGP_E_UPD_ATTR_FLAGS,	/* RFC 7606 s3 c */
	BGP_E_UPD_DUP_ATTR,	/* RFC 7606 s3 g: discard the repeats */
	BGP_E_UPD_DUP_MP,	/* RFC 7606 s3 g: MP_(UN)REACH twice */
	BGP_E_UPD_UNKNOWN_WELLKNOWN,
	BGP_E_UPD_MISSING_ORIGIN, /* RFC 7606 s3 d */
	BGP_E_UPD_MISSING_AS_PATH,
	BGP_E_UPD_MISSING_NEXT_HOP,
	BGP_E_UPD_MISSING_LOCAL_PREF,
	BGP_E_UPD_NLRI, /* IPv4 NLRI/withdrawn field unparsable, s5.3 */
	/* per attribute, RFC 7606 s7 */
	BGP_E_ORIGIN,
	BGP_E_AS_PATH,
	BGP_E_NEXT_HOP,
	BGP_E_MED,
	BGP_E_LOCAL_PREF,
	BGP_E_LOCAL_PREF_EBGP, /* s7.5: from an external peer: discard */
	BGP_E_ATOMIC_AGGREGATE,
	BGP_E_AGGREGATOR,
	BGP_E_COMMUNITIES,
	BGP_E_ORIGINATOR_ID,
	BGP_E_CLUSTER_LIST,
	BGP_E_MP_REACH, /* s7.11, s5.3 */
	BGP_E_MP_REACH_NEXT_HOP,
	BGP_E_MP_REACH_NLRI,
	BGP_E_MP_UNREACH,
	BGP_E_MP_UNREACH_NLRI,
	BGP_E_EXT_COMMUNITIES,
	BGP_E_AS4_PATH,
	BGP_E_AS4_AGGREGATOR,
	BGP_E_IPV6_EXT_COMMUNITIES,
	BGP_E_LARGE_COMMUNITIES,
	BGP_E_FLOWSPEC_NLRI,	  /* RFC 8955 s4.2 ordering/operators */
	BGP_E_ORIGINATOR_ID_EBGP, /* s7.9: from an external peer: discard */
	BGP_E_CLUSTER_LIST_EBGP,  /* s7.10: from an external peer: discard */
	BGP_E_AS4_FROM_NEW,	  /* RFC 6793 s6: AS4_* between NEW speakers: discard */
	/* limits the receiver enforces */
	BGP_E_MAX_PREFIX, /* RFC 4486 s4: Cease, maximum number of prefixes */
	BGP_E_COUNT
};

struct bgp_err_desc {
	enum bgp_action action;
	/* NOTIFICATION, when action is SESSION_RESET; for AFISAFI_DISABLE the
	 * one to send if the caller resets instead (RFC 4760 s7); else 0 */
	uint8_t code, subcode;
	const char *name; /* stable id, e.g. "origin-malformed" */
	const char *ref;  /* "RFC 7606 s7.1" */
	const char *text; /* one line for people */
};

#define BGP_VERDICT_MAX_DISCARDED 16

struct bgp_verdict {
	enum bgp_action action;
	enum bgp_err err; /* the error behind action */
	uint8_t code, subcode;
	uint8_t attr_type; /* 0 when not about an attribute */
	uint32_t data_off; /* offending bytes in the message */
	uint32_t data_len;
	uint8_t n_discarded;
	uint8_t discarded[BGP_VERDICT_MAX_DISCARDED]; /* attribute types */
	enum bgp_fam fam;			      /* for AFISAFI_DISABLE */
};

const struct bgp_err_desc *bgp_err_desc(enum bgp_err err);
const char *bgp_action_name(enum bgp_action a); /* "ok", "attribute-discard", ... */
void bgp_verdict_init(struct bgp_verdict *v);
/* Record an error; keeps the most severe.  off/len locate the offending
 * bytes in the message (the whole attribute for attribute errors). */
void bgp_verdict_raise(struct bgp_verdict *v, enum bgp_err err, uint8_t attr_type, size_t off,
		       size_t len);

#endif
