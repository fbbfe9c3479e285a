/*
 * libFuzzer target: FlowSpec components.  Byte 0 picks IPv4 or IPv6.  Valid
 * components are formatted as text, parsed back, and the result must be
 * valid and format to the same text (parse . fmt is idempotent).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/flowspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char t1[16384], t2[16384], err[256];
	uint8_t buf[8192];
	struct bgp_verdict v;
	struct rbuf r, r2;
	struct wbuf w;
	uint8_t afi;

	if (size < 1)
		return 0;
	afi = (data[0] & 1) ? 2 : 1;
	rbuf_init(&r, data + 1, size - 1);
	bgp_verdict_init(&v);
	if (!flowspec_validate(&r, afi, &v))
		return 0;
	json_object_put(flowspec_to_json(&r, afi));
	flowspec_fmt(&r, afi, t1, sizeof(t1));
	if (strlen(t1) + 1 >= sizeof(t1))
		return 0; /* truncated text cannot round-trip */
	wbuf_init(&w, buf, sizeof(buf));
	if (flowspec_parse(t1, afi, &w, err, sizeof(err)) != 0 || !wbuf_ok(&w))
		abort(); /* we printed something we cannot read */
	rbuf_init(&r2, buf, wbuf_len(&w));
	if (!flowspec_validate(&r2, afi, &v))
		abort();
	flowspec_fmt(&r2, afi, t2, sizeof(t2));
	if (strcmp(t1, t2) != 0)
		abort();
	return 0;
}
