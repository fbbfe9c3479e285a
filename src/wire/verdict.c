/*
 * verdict: the one table that says what each malformed-message case means
 * for the session (RFC 4271 s6, RFC 7606), and the verdict accumulator the
 * decoders feed.
 *
 * Every row cites the section that decides the action.  Code/subcode are
 * the NOTIFICATION (RFC 4271 s4.5) for session-reset rows; for
 * afi-safi-disable rows they are the NOTIFICATION a caller sends if it
 * chooses to reset instead (RFC 4760 s7: "UPDATE Message Error"/"Optional
 * Attribute Error"); other rows carry 0/0 because no NOTIFICATION is sent.
 *
 * Not for: detecting errors (the decoders do), acting on them (the session).
 */
#include "wire/verdict.h"

#include <string.h>

/* RFC 4271 s4.5 subcodes */
#define HDR_NOT_SYNC 1
#define HDR_BAD_LEN 2
#define HDR_BAD_TYPE 3
#define OPEN_UNSPECIFIC 0
#define OPEN_BAD_VERSION 1
#define OPEN_BAD_PEER_AS 2
#define OPEN_BAD_BGP_ID 3
#define OPEN_UNSUP_PARAM 4
#define OPEN_BAD_HOLD 6
#define UPD_MALFORMED_LIST 1
#define UPD_UNRECOG_WELLKNOWN 2
#define UPD_OPTIONAL_ATTR 9
#define UPD_INVALID_NETWORK 10
#define RR_INVALID_LEN 1 /* RFC 7313 s5 */

#define RESET(c, s) BGP_ACT_SESSION_RESET, (c), (s)
#define TAW BGP_ACT_TREAT_AS_WITHDRAW, 0, 0
#define DISCARD BGP_ACT_ATTR_DISCARD, 0, 0
#define AFDIS BGP_ACT_AFISAFI_DISABLE, BGP_ERR_UPDATE, UPD_OPTIONAL_ATTR

static const struct bgp_err_desc err_table[BGP_E_COUNT] = {
    [BGP_E_NONE] = {BGP_ACT_OK, 0, 0, "none", "", "no error"},

    /* Message header, RFC 4271 s6.1 */
    [BGP_E_HDR_MARKER] = {RESET(BGP_ERR_HEADER, HDR_NOT_SYNC), "header-marker", "RFC 4271 s6.1",
			  "marker is not all ones"},
    [BGP_E_HDR_LENGTH] = {RESET(BGP_ERR_HEADER, HDR_BAD_LEN), "header-length", "RFC 4271 s6.1",
			  "message length out of range for its type"},
    [BGP_E_HDR_TYPE] = {RESET(BGP_ERR_HEADER, HDR_BAD_TYPE), "header-type", "RFC 4271 s6.1",
			"unknown message type"},

    /* OPEN, RFC 4271 s6.2 */
    [BGP_E_OPEN_LENGTH] = {RESET(BGP_ERR_HEADER, HDR_BAD_LEN), "open-length", "RFC 4271 s6.1",
			   "OPEN shorter than its fixed part"},
    [BGP_E_OPEN_VERSION] = {RESET(BGP_ERR_OPEN, OPEN_BAD_VERSION), "open-version", "RFC 4271 s6.2",
			    "unsupported BGP version"},
    [BGP_E_OPEN_PEER_AS] = {RESET(BGP_ERR_OPEN, OPEN_BAD_PEER_AS), "open-peer-as", "RFC 4271 s6.2",
			    "peer AS is not the one configured"},
    [BGP_E_OPEN_BGP_ID] = {RESET(BGP_ERR_OPEN, OPEN_BAD_BGP_ID), "open-bgp-id", "RFC 4271 s6.2",
			   "BGP identifier is not a valid unicast address"},
    [BGP_E_OPEN_HOLD_TIME] = {RESET(BGP_ERR_OPEN, OPEN_BAD_HOLD), "open-hold-time", "RFC 4271 s6.2",
			      "hold time of 1 or 2 seconds"},
    [BGP_E_OPEN_OPT_PARAM_LEN] = {RESET(BGP_ERR_OPEN, OPEN_UNSPECIFIC), "open-opt-param-length",
				  "RFC 4271 s6.2, RFC 9072",
				  "optional parameters length inconsistent"},
    [BGP_E_OPEN_OPT_PARAM_UNSUPPORTED] = {RESET(BGP_ERR_OPEN, OPEN_UNSUP_PARAM),
					  "open-opt-param-unsupported", "RFC 4271 s6.2",
					  "optional parameter not recognised"},
    [BGP_E_OPEN_CAP_MALFORMED] = {RESET(BGP_ERR_OPEN, OPEN_UNSPECIFIC), "open-capability-malformed",
				  "RFC 4271 s6.2, RFC 5492", "recognised capability is malformed"},

    /* Other message lengths, RFC 4271 s6.1, RFC 7313 s5 */
    [BGP_E_KEEPALIVE_LENGTH] = {RESET(BGP_ERR_HEADER, HDR_BAD_LEN), "keepalive-length",
				"RFC 4271 s6.1", "KEEPALIVE is not 19 octets"},
    [BGP_E_NOTIFY_LENGTH] = {RESET(BGP_ERR_HEADER, HDR_BAD_LEN), "notification-length",
			     "RFC 4271 s6.1", "NOTIFICATION shorter than 21 octets"},
    [BGP_E_REFRESH_LENGTH] = {RESET(BGP_ERR_ROUTE_REFRESH, RR_INVALID_LEN), "route-refresh-length",
			      "RFC 7313 s5", "ROUTE-REFRESH is not 23 octets"},

    /* UPDATE framing, RFC 4271 s6.3 as revised by RFC 7606 s3, s4, s5 */
    [BGP_E_UPD_WITHDRAWN_LEN] = {RESET(BGP_ERR_UPDATE, UPD_MALFORMED_LIST), "withdrawn-length",
				 "RFC 7606 s3 b", "withdrawn routes length runs past the message"},
    [BGP_E_UPD_ATTR_LEN] = {RESET(BGP_ERR_UPDATE, UPD_MALFORMED_LIST), "total-attribute-length",
			    "RFC 7606 s3 b", "total path attribute length runs past the message"},
    [BGP_E_UPD_ATTR_OVERRUN] = {TAW, "attribute-length-overrun", "RFC 7606 s4",
				"attribute header or value runs past the attribute list"},
    [BGP_E_UPD_ATTR_FLAGS] = {TAW, "attribute-flags", "RFC 7606 s3 c",
			      "Optional or Transitive bit conflicts with the attribute"},
    [BGP_E_UPD_DUP_ATTR] = {DISCARD, "duplicate-attribute", "RFC 7606 s3 g",
			    "attribute repeated; repeats discarded"},
    [BGP_E_UPD_DUP_MP] = {RESET(BGP_ERR_UPDATE, UPD_MALFORMED_LIST), "duplicate-mp-attribute",
			  "RFC 7606 s3 g",
			  "MP_REACH_NLRI or MP_UNREACH_NLRI appears more than once"},
    [BGP_E_UPD_UNKNOWN_WELLKNOWN] = {RESET(BGP_ERR_UPDATE, UPD_UNRECOG_WELLKNOWN),
				     "unrecognized-well-known", "RFC 4271 s6.3",
				     "well-known (non-optional) attribute not recognised"},
    [BGP_E_UPD_MISSING_ORIGIN] = {TAW, "missing-origin", "RFC 7606 s3 d",
				  "ORIGIN missing with reachable NLRI"},
    [BGP_E_UPD_MISSING_AS_PATH] = {TAW, "missing-as-path", "RFC 7606 s3 d",
				   "AS_PATH missing with reachable NLRI"},
    [BGP_E_UPD_MISSING_NEXT_HOP] = {TAW, "missing-next-hop", "RFC 7606 s3 d",
				    "NEXT_HOP missing with IPv4 NLRI field"},
    [BGP_E_UPD_MISSING_LOCAL_PREF] = {TAW, "missing-local-pref", "RFC 7606 s3 d",
				      "LOCAL_PREF missing from an internal peer"},
    [BGP_E_UPD_NLRI] = {RESET(BGP_ERR_UPDATE, UPD_INVALID_NETWORK), "nlri-field",
			"RFC 7606 s5.3, s3 i, s3 j",
			"IPv4 NLRI or withdrawn routes field cannot be parsed"},

    /* Per attribute, RFC 7606 s7 */
    [BGP_E_ORIGIN] = {TAW, "origin-malformed", "RFC 7606 s7.1",
		      "ORIGIN length is not 1 or value undefined"},
    [BGP_E_AS_PATH] = {TAW, "as-path-malformed", "RFC 7606 s7.2",
		       "AS_PATH segment type, length or overrun invalid"},
    [BGP_E_NEXT_HOP] = {TAW, "next-hop-malformed", "RFC 7606 s7.3", "NEXT_HOP length is not 4"},
    [BGP_E_MED] = {TAW, "med-malformed", "RFC 7606 s7.4", "MULTI_EXIT_DISC length is not 4"},
    [BGP_E_LOCAL_PREF] = {TAW, "local-pref-malformed", "RFC 7606 s7.5",
			  "LOCAL_PREF length is not 4"},
    [BGP_E_LOCAL_PREF_EBGP] = {DISCARD, "local-pref-from-ebgp", "RFC 7606 s7.5",
			       "LOCAL_PREF received from an external peer"},
    [BGP_E_ATOMIC_AGGREGATE] = {DISCARD, "atomic-aggregate-malformed", "RFC 7606 s7.6",
				"ATOMIC_AGGREGATE length is not 0"},
    [BGP_E_AGGREGATOR] = {DISCARD, "aggregator-malformed", "RFC 7606 s7.7",
			  "AGGREGATOR length is not 6 (2-octet AS) or 8 (4-octet AS)"},
    [BGP_E_COMMUNITIES] = {TAW, "communities-malformed", "RFC 7606 s7.8",
			   "COMMUNITIES length is not a non-zero multiple of 4"},
    [BGP_E_ORIGINATOR_ID] = {TAW, "originator-id-malformed", "RFC 7606 s7.9",
			     "ORIGINATOR_ID length is not 4"},
    [BGP_E_CLUSTER_LIST] = {TAW, "cluster-list-malformed", "RFC 7606 s7.10",
			    "CLUSTER_LIST length is not a non-zero multiple of 4"},
    [BGP_E_MP_REACH] = {RESET(BGP_ERR_UPDATE, UPD_OPTIONAL_ATTR), "mp-reach-malformed",
			"RFC 7606 s7.11, RFC 4760 s7",
			"MP_REACH_NLRI too short to name its AFI/SAFI"},
    [BGP_E_MP_REACH_NEXT_HOP] = {AFDIS, "mp-reach-next-hop", "RFC 7606 s7.11",
				 "MP_REACH_NLRI next hop length inconsistent"},
    [BGP_E_MP_REACH_NLRI] = {AFDIS, "mp-reach-nlri", "RFC 7606 s5.3, s7.11",
			     "MP_REACH_NLRI NLRI cannot be parsed"},
    [BGP_E_MP_UNREACH] = {RESET(BGP_ERR_UPDATE, UPD_OPTIONAL_ATTR), "mp-unreach-malformed",
			  "RFC 7606 s7.12, RFC 4760 s7",
			  "MP_UNREACH_NLRI too short to name its AFI/SAFI"},
    [BGP_E_MP_UNREACH_NLRI] = {AFDIS, "mp-unreach-nlri", "RFC 7606 s5.3, s7.12",
			       "MP_UNREACH_NLRI withdrawn routes cannot be parsed"},
    [BGP_E_EXT_COMMUNITIES] = {TAW, "ext-communities-malformed", "RFC 7606 s7.14",
			       "EXTENDED_COMMUNITIES length is not a non-zero multiple of 8"},
    [BGP_E_AS4_PATH] = {DISCARD, "as4-path-malformed", "RFC 6793 s6",
			"AS4_PATH segment type, length or overrun invalid"},
    [BGP_E_AS4_AGGREGATOR] = {DISCARD, "as4-aggregator-malformed", "RFC 6793 s6",
			      "AS4_AGGREGATOR length is not 8"},
    [BGP_E_IPV6_EXT_COMMUNITIES] = {TAW, "ipv6-ext-communities-malformed", "RFC 7606 s7.15",
				    "IPv6 extended communities length is not a non-zero "
				    "multiple of 20"},
    [BGP_E_LARGE_COMMUNITIES] = {TAW, "large-communities-malformed", "RFC 8092 s6",
				 "LARGE_COMMUNITY length is not a non-zero multiple of 12"},
    [BGP_E_FLOWSPEC_NLRI] = {AFDIS, "flowspec-nlri", "RFC 8955 s4.2, s10",
			     "flow specification NLRI malformed"},
    [BGP_E_ORIGINATOR_ID_EBGP] = {DISCARD, "originator-id-from-ebgp", "RFC 7606 s7.9",
				  "ORIGINATOR_ID received from an external peer"},
    [BGP_E_CLUSTER_LIST_EBGP] = {DISCARD, "cluster-list-from-ebgp", "RFC 7606 s7.10",
				 "CLUSTER_LIST received from an external peer"},
    [BGP_E_AS4_FROM_NEW] = {DISCARD, "as4-attribute-from-new-speaker", "RFC 6793 s6",
			    "AS4_PATH or AS4_AGGREGATOR on a 4-octet AS session"},

    /* Limits configured on the receiver */
    [BGP_E_MAX_PREFIX] = {RESET(BGP_ERR_CEASE, 1), "max-prefix", "RFC 4486 s4",
			  "configured maximum number of prefixes exceeded"},
};

const struct bgp_err_desc *bgp_err_desc(enum bgp_err err)
{
	if ((unsigned)err >= BGP_E_COUNT)
		return &err_table[BGP_E_NONE];
	return &err_table[err];
}

const char *bgp_action_name(enum bgp_action a)
{
	switch (a) {
	case BGP_ACT_OK:
		return "ok";
	case BGP_ACT_ATTR_DISCARD:
		return "attribute-discard";
	case BGP_ACT_TREAT_AS_WITHDRAW:
		return "treat-as-withdraw";
	case BGP_ACT_AFISAFI_DISABLE:
		return "afi-safi-disable";
	case BGP_ACT_SESSION_RESET:
		return "session-reset";
	}
	return "unknown";
}

void bgp_verdict_init(struct bgp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->action = BGP_ACT_OK;
	v->err = BGP_E_NONE;
	v->fam = BGP_FAM_NONE;
}

static void verdict_note_discard(struct bgp_verdict *v, uint8_t attr_type)
{
	if (attr_type == 0)
		return;
	for (unsigned i = 0; i < v->n_discarded; i++)
		if (v->discarded[i] == attr_type)
			return;
	if (v->n_discarded < BGP_VERDICT_MAX_DISCARDED)
		v->discarded[v->n_discarded++] = attr_type;
}

/* RFC 7606 s3 h: with several errors the strongest approach wins; among
 * equally strong ones the first is kept (its bytes go in the NOTIFICATION). */
void bgp_verdict_raise(struct bgp_verdict *v, enum bgp_err err, uint8_t attr_type, size_t off,
		       size_t len)
{
	const struct bgp_err_desc *d = bgp_err_desc(err);

	if (d->action == BGP_ACT_OK)
		return;
	if (d->action == BGP_ACT_ATTR_DISCARD)
		verdict_note_discard(v, attr_type);
	if (d->action <= v->action)
		return;
	v->action = d->action;
	v->err = err;
	v->code = d->code;
	v->subcode = d->subcode;
	v->attr_type = attr_type;
	v->data_off = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
	v->data_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}
