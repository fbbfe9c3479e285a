/*
 * Test-only stand-in for wire/verdict.c: records the last error raised so
 * that a module's unit test can link without the verdict table.  Never
 * linked into product code.
 */
#include <string.h>

#include "wire/verdict.h"

void bgp_verdict_init(struct bgp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->fam = BGP_FAM_NONE;
}

void bgp_verdict_raise(struct bgp_verdict *v, enum bgp_err err, uint8_t attr_type, size_t off,
		       size_t len)
{
	v->action = BGP_ACT_SESSION_RESET;
	v->err = err;
	v->attr_type = attr_type;
	v->data_off = (uint32_t)off;
	v->data_len = (uint32_t)len;
}
