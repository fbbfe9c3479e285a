/* Shared helpers for the libFuzzer targets (test code only). */
#ifndef VTOPO_FUZZ_COMMON_H
#define VTOPO_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

#include "wire/bgp.h"

/* Session parameters from one selector byte: bit 0 = 4-octet AS,
 * bit 1 = iBGP, bit 2 = extended messages, bits 3-7 pick ADD-PATH receive
 * for a rotating subset of families. */
static inline void fuzz_params(uint8_t sel, struct bgp_sess_params *p)
{
	memset(p, 0, sizeof(*p));
	p->as4 = sel & 1;
	p->ibgp = sel & 2;
	p->ext_msg = sel & 4;
	p->fams = (1u << BGP_FAM_COUNT) - 1;
	if (sel & 8)
		p->addpath_rx = (0x5555u << ((sel >> 4) & 1)) & p->fams;
	if (sel & 0x80)
		p->addpath_rx = p->fams;
}

#endif
