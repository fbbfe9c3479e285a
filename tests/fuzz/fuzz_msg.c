/*
 * libFuzzer target: one whole BGP message through the full decode and JSON
 * rendering path (bgp_msg_to_json), which exercises the header, OPEN,
 * UPDATE (all attributes and NLRI families), NOTIFICATION and
 * ROUTE-REFRESH decoders.  The first input byte chooses the session
 * parameters (4-octet AS, iBGP, ADD-PATH families) so that every wire
 * variant is reachable.
 */
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fuzz_common.h"
#include "wire/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_sess_params p;
	struct json_object *o;

	if (size < 1)
		return 0;
	fuzz_params(data[0], &p);
	o = bgp_msg_to_json(data + 1, size - 1, &p);
	(void)json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	json_object_put(o);
	return 0;
}
