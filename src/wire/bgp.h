/*
 * bgp: protocol constants, the address-family descriptor table and the
 * negotiated session parameters every decoder takes as input.
 *
 * Not for: any parsing (see msg.h, update.h, nlri.h).
 */
#ifndef VTOPO_BGP_H
#define VTOPO_BGP_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 4271 s4.1 */
#define BGP_MARKER_LEN 16
#define BGP_HDR_LEN 19
#define BGP_MAX_LEN 4096
#define BGP_EXT_MAX_LEN 65535 /* RFC 8654 */
#define BGP_PORT 179

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5, /* RFC 2918 */
};

/* Path attribute type codes (IANA "BGP Path Attributes"). */
enum bgp_attr_code {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,	    /* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,	    /* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,	    /* RFC 4456 */
	BGP_ATTR_MP_REACH_NLRI = 14,	    /* RFC 4760 */
	BGP_ATTR_MP_UNREACH_NLRI = 15,	    /* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16,	    /* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,		    /* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,	    /* RFC 6793 */
	BGP_ATTR_IPV6_EXT_COMMUNITIES = 25, /* RFC 5701 */
	BGP_ATTR_LARGE_COMMUNITIES = 32,    /* RFC 8092 */
};

/* Attribute flags, RFC 4271 s4.3 */
#define BGP_AF_OPTIONAL 0x80
#define BGP_AF_TRANSITIVE 0x40
#define BGP_AF_PARTIAL 0x20
#define BGP_AF_EXTLEN 0x10

#define BGP_AFI_IPV4 1
#define BGP_AFI_IPV6 2
#define BGP_SAFI_UNICAST 1
#define BGP_SAFI_LABELED 4    /* RFC 8277 */
#define BGP_SAFI_VPN 128      /* RFC 4364 */
#define BGP_SAFI_RTC 132      /* RFC 4684 */
#define BGP_SAFI_FLOWSPEC 133 /* RFC 8955 */
#define BGP_SAFI_VPN_FLOWSPEC 134

/* The address families the project speaks; one row each in bgp_fam_table. */
enum bgp_fam {
	BGP_FAM_IPV4_UNICAST,
	BGP_FAM_IPV6_UNICAST,
	BGP_FAM_IPV4_LU,
	BGP_FAM_IPV6_LU,
	BGP_FAM_VPNV4,
	BGP_FAM_VPNV6,
	BGP_FAM_RTC,
	BGP_FAM_FLOW4,
	BGP_FAM_FLOW6,
	BGP_FAM_VPNFLOW4,
	BGP_FAM_VPNFLOW6,
	BGP_FAM_COUNT,
	BGP_FAM_NONE = -1,
};

enum bgp_nlri_kind {
	BGP_NK_PREFIX,	/* unicast */
	BGP_NK_LABELED, /* label stack + prefix (RFC 8277) */
	BGP_NK_VPN,	/* label stack + RD + prefix (RFC 4364/4659) */
	BGP_NK_RTC,	/* origin AS + route target prefix (RFC 4684) */
	BGP_NK_FLOW,	/* flow specification (RFC 8955/8956) */
	BGP_NK_VPNFLOW, /* RD + flow specification (RFC 8955 s8) */
};

struct bgp_fam_desc {
	uint16_t afi;
	uint8_t safi;
	uint8_t addr_afi; /* AFI of the prefixes inside (RTC: 1) */
	enum bgp_nlri_kind kind;
	const char *name; /* "ipv4-unicast", "ipv4-vpn", "rtc", ... */
};

extern const struct bgp_fam_desc bgp_fam_table[BGP_FAM_COUNT];
/* BGP_FAM_NONE when the pair is not one of ours. */
enum bgp_fam bgp_fam_from_afisafi(uint16_t afi, uint8_t safi);
enum bgp_fam bgp_fam_from_name(const char *name);
static inline uint32_t bgp_fam_bit(enum bgp_fam f)
{
	return 1u << f;
}

/*
 * What the two OPENs agreed on; decoders take it as input because the
 * wire format depends on it (4-octet AS paths, ADD-PATH path identifiers,
 * maximum message size).
 */
struct bgp_sess_params {
	bool as4;	     /* RFC 6793: both sides sent the capability */
	bool ext_msg;	     /* RFC 8654: both sides sent the capability */
	bool ibgp;	     /* affects LOCAL_PREF handling, RFC 7606 s7.5 */
	bool gr;	     /* RFC 4724: both sides sent Graceful Restart */
	uint32_t fams;	     /* families negotiated (bgp_fam_bit) */
	uint32_t addpath_rx; /* families in which received NLRI carry path ids */
	uint32_t addpath_tx; /* families in which sent NLRI carry path ids */
};

/* Parameters a decoder assumes when nothing was negotiated: 4-octet AS on,
 * no ADD-PATH, 4096-byte messages. */
void bgp_sess_params_default(struct bgp_sess_params *p);

static inline bool bgp_sess_addpath_rx(const struct bgp_sess_params *p, enum bgp_fam f)
{
	return f >= 0 && (p->addpath_rx & bgp_fam_bit(f));
}

#endif
