/* bgp: the address-family descriptor table (one row per AFI/SAFI we speak)
 * and default session parameters. */
#include "wire/bgp.h"

#include <string.h>

const struct bgp_fam_desc bgp_fam_table[BGP_FAM_COUNT] = {
    [BGP_FAM_IPV4_UNICAST] = {BGP_AFI_IPV4, BGP_SAFI_UNICAST, 1, BGP_NK_PREFIX, "ipv4-unicast"},
    [BGP_FAM_IPV6_UNICAST] = {BGP_AFI_IPV6, BGP_SAFI_UNICAST, 2, BGP_NK_PREFIX, "ipv6-unicast"},
    [BGP_FAM_IPV4_LU] = {BGP_AFI_IPV4, BGP_SAFI_LABELED, 1, BGP_NK_LABELED, "ipv4-labeled-unicast"},
    [BGP_FAM_IPV6_LU] = {BGP_AFI_IPV6, BGP_SAFI_LABELED, 2, BGP_NK_LABELED, "ipv6-labeled-unicast"},
    [BGP_FAM_VPNV4] = {BGP_AFI_IPV4, BGP_SAFI_VPN, 1, BGP_NK_VPN, "ipv4-vpn"},
    [BGP_FAM_VPNV6] = {BGP_AFI_IPV6, BGP_SAFI_VPN, 2, BGP_NK_VPN, "ipv6-vpn"},
    [BGP_FAM_RTC] = {BGP_AFI_IPV4, BGP_SAFI_RTC, 1, BGP_NK_RTC, "rtc"},
    [BGP_FAM_FLOW4] = {BGP_AFI_IPV4, BGP_SAFI_FLOWSPEC, 1, BGP_NK_FLOW, "ipv4-flowspec"},
    [BGP_FAM_FLOW6] = {BGP_AFI_IPV6, BGP_SAFI_FLOWSPEC, 2, BGP_NK_FLOW, "ipv6-flowspec"},
    [BGP_FAM_VPNFLOW4] = {BGP_AFI_IPV4, BGP_SAFI_VPN_FLOWSPEC, 1, BGP_NK_VPNFLOW,
			  "ipv4-vpn-flowspec"},
    [BGP_FAM_VPNFLOW6] = {BGP_AFI_IPV6, BGP_SAFI_VPN_FLOWSPEC, 2, BGP_NK_VPNFLOW,
			  "ipv6-vpn-flowspec"},
};

enum bgp_fam bgp_fam_from_afisafi(uint16_t afi, uint8_t safi)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (bgp_fam_table[f].afi == afi && bgp_fam_table[f].safi == safi)
			return (enum bgp_fam)f;
	return BGP_FAM_NONE;
}

enum bgp_fam bgp_fam_from_name(const char *name)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (strcmp(bgp_fam_table[f].name, name) == 0)
			return (enum bgp_fam)f;
	return BGP_FAM_NONE;
}

void bgp_sess_params_default(struct bgp_sess_params *p)
{
	memset(p, 0, sizeof(*p));
	p->as4 = true;
	p->fams = (1u << BGP_FAM_COUNT) - 1;
}
