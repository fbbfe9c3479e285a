/*
 * rtc: RT-Constraint (RFC 4684) membership sets and the VPN route filter.
 *
 * A peer that negotiated SAFI 132 tells us which route targets it wants
 * with RTC NLRI (origin AS + route target prefix, RFC 4684 s4); its
 * membership is the set of RTC NLRI received from it (each counted once
 * per ADD-PATH id).  A VPN route (ipv4-vpn, ipv6-vpn, vpn-flowspec) is
 * sent to such a peer only when one of its route targets falls under one
 * entry: the zero-length default route matches everything (RFC 4684 s4),
 * a length of 32 (origin AS only) any route target, otherwise the first
 * len - 32 bits of the target must be equal.  A peer that did not
 * negotiate RTC gets every VPN route (the filter does not apply).
 *
 * Not for: propagating the RTC routes themselves (they are an ordinary
 * family in the RIB and export.c), the initial ordering (export.c).
 */
#ifndef VTOPO_RDE_RTC_H
#define VTOPO_RDE_RTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"
#include "wire/nlri.h"

struct rtc_entry {
	uint8_t len;
	uint16_t refs;
	uint32_t origin_as;
	uint8_t rt[8];
};

struct rtc_set {
	struct rtc_entry *e;
	uint32_t n, cap;
};

static inline bool rtc_fam_filtered(enum bgp_fam f)
{
	return f == BGP_FAM_VPNV4 || f == BGP_FAM_VPNV6 || f == BGP_FAM_VPNFLOW4 ||
	       f == BGP_FAM_VPNFLOW6;
}

/* Add/remove one RTC NLRI; true when the set of distinct entries changed. */
bool rtc_set_add(struct rtc_set *s, const struct bgp_nlri *n);
bool rtc_set_del(struct rtc_set *s, const struct bgp_nlri *n);
void rtc_set_clear(struct rtc_set *s);
bool rtc_set_has_default(const struct rtc_set *s);
/* Does any route target in the EXTENDED_COMMUNITIES value (n x 8) match? */
bool rtc_set_match(const struct rtc_set *s, const uint8_t *ecomm, size_t len);
/* The NLRI of entry i (for show). */
void rtc_entry_nlri(const struct rtc_entry *e, struct bgp_nlri *n);

#endif
