/*
 * libFuzzer target: every NLRI decoder.  Byte 0 picks the family, ADD-PATH
 * and withdraw mode; the rest is one NLRI field.  Each NLRI that decodes is
 * re-encoded, decoded again and must compare equal (same RIB key), and is
 * formatted as text and JSON.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/json.h"
#include "wire/nlri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[BGP_NLRI_STRLEN];
	uint8_t buf[8192];
	struct bgp_verdict v;
	struct bgp_nlri n, n2;
	struct rbuf r, r2;
	struct wbuf w;
	enum bgp_fam fam;
	bool addpath, withdraw;

	if (size < 1)
		return 0;
	fam = (enum bgp_fam)(data[0] % BGP_FAM_COUNT);
	addpath = data[0] & 0x40;
	withdraw = data[0] & 0x80;
	rbuf_init(&r, data + 1, size - 1);
	bgp_verdict_init(&v);
	while (!rbuf_empty(&r)) {
		struct json_object *o;

		if (!bgp_nlri_decode(&r, fam, addpath, withdraw, &n, &v, BGP_E_MP_REACH_NLRI))
			break;
		bgp_nlri_fmt(&n, text, sizeof(text));
		o = bgp_nlri_to_json(&n);
		json_object_put(o);
		wbuf_init(&w, buf, sizeof(buf));
		bgp_nlri_encode(&w, &n, addpath, withdraw);
		if (!wbuf_ok(&w))
			abort();
		rbuf_init(&r2, buf, wbuf_len(&w));
		if (!bgp_nlri_decode(&r2, fam, addpath, withdraw, &n2, &v, BGP_E_MP_REACH_NLRI))
			abort(); /* our own encoding does not decode */
		if (!rbuf_empty(&r2) || bgp_nlri_cmp(&n, &n2) != 0)
			abort(); /* encode/decode changed the route's identity */
	}
	return 0;
}
