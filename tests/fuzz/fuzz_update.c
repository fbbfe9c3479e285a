/*
 * libFuzzer target: UPDATE bodies.  Decode, walk every NLRI field the
 * decoder accepted, and re-encode: a decoded UPDATE that is OK must
 * re-encode into something that decodes OK again with the same NLRI count.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_nlri(struct rbuf field, enum bgp_fam fam, const struct bgp_sess_params *p,
			   bool withdraw)
{
	struct bgp_verdict v;
	struct bgp_nlri n;
	unsigned cnt = 0;

	if (fam == BGP_FAM_NONE)
		return 0;
	bgp_verdict_init(&v);
	while (!rbuf_empty(&field)) {
		if (!bgp_nlri_decode(&field, fam, bgp_sess_addpath_rx(p, fam), withdraw, &n, &v,
				     BGP_E_UPD_NLRI))
			break;
		cnt++;
	}
	return cnt;
}

static unsigned count_all(const struct bgp_update *u, const struct bgp_sess_params *p)
{
	unsigned n = count_nlri(u->withdrawn, BGP_FAM_IPV4_UNICAST, p, true) +
		     count_nlri(u->nlri, BGP_FAM_IPV4_UNICAST, p, false);

	if (bgp_attrs_has(&u->a, BGP_ATTR_MP_REACH_NLRI))
		n += count_nlri(u->a.mp_nlri, u->a.mp_fam, p, false);
	if (bgp_attrs_has(&u->a, BGP_ATTR_MP_UNREACH_NLRI))
		n += count_nlri(u->a.mpu_nlri, u->a.mpu_fam, p, true);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[BGP_EXT_MAX_LEN + 64];
	struct bgp_sess_params p;
	struct bgp_update *u = malloc(sizeof(*u)), *u2 = malloc(sizeof(*u2));
	struct bgp_verdict v, v2;
	struct rbuf body, msg, stream, body2;
	struct wbuf w;
	uint8_t type;
	unsigned n1;

	if (size < 1 || !u || !u2)
		goto out;
	fuzz_params(data[0], &p);
	rbuf_init(&body, data + 1, size - 1);
	bgp_verdict_init(&v);
	if (!bgp_update_decode(&body, &p, u, &v))
		goto out;
	n1 = count_all(u, &p);
	if (v.action != BGP_ACT_OK)
		goto out;
	wbuf_init(&w, out, sizeof(out));
	bgp_update_encode(&w, u);
	if (!wbuf_ok(&w))
		goto out;
	rbuf_init(&stream, out, wbuf_len(&w));
	bgp_verdict_init(&v2);
	if (bgp_hdr_split(&stream, BGP_EXT_MAX_LEN, &type, &msg, &body2, &v2) != 1)
		abort(); /* we wrote a header that we cannot read back */
	if (!bgp_update_decode(&body2, &p, u2, &v2) || v2.action != BGP_ACT_OK)
		abort(); /* re-encoding an OK UPDATE made it malformed */
	if (count_all(u2, &p) != n1)
		abort(); /* re-encoding lost or invented NLRI */
out:
	free(u);
	free(u2);
	return 0;
}
