/*
 * libFuzzer target: OPEN bodies and capability negotiation.  An OPEN that
 * decodes is re-encoded and must decode again to the same capabilities.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[BGP_EXT_MAX_LEN];
	struct bgp_open o, o2;
	struct bgp_verdict v;
	struct bgp_sess_params sp;
	struct rbuf r, stream, msg, body;
	struct wbuf w;
	uint8_t type;

	rbuf_init(&r, data, size);
	bgp_verdict_init(&v);
	if (!bgp_open_decode(&r, &o, &v))
		return 0;
	bgp_caps_negotiate(&o.caps, &o.caps, false, &sp);
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	if (!wbuf_ok(&w))
		return 0; /* more capabilities than one message holds */
	rbuf_init(&stream, buf, wbuf_len(&w));
	if (bgp_hdr_split(&stream, BGP_EXT_MAX_LEN, &type, &msg, &body, &v) != 1)
		abort();
	if (!bgp_open_decode(&body, &o2, &v))
		abort(); /* our own OPEN does not decode */
	if (o2.caps.mp != o.caps.mp || o2.caps.as4 != o.caps.as4 ||
	    o2.caps.addpath_rx != o.caps.addpath_rx || o2.hold_time != o.hold_time)
		abort();
	return 0;
}
