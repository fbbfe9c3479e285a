/*
 * libFuzzer target: the FIB protocol decoder (fib/fib_proto.c).  Frames
 * are cut from the input as a reader would; every message that decodes is
 * encoded again and must decode to the same struct and the same bytes
 * (decode . encode . decode is stable; text messages, SHOW, SHOW-REPLY
 * and TRACE, point into their buffer and are compared by content).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fib/fib_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[FIB_PROTO_MAX];
	struct fib_msg m, m2;
	struct wbuf w;
	size_t len;

	while (fib_proto_frame(data, size, &len) == 1) {
		if (fib_proto_decode(data, len, &m) == NULL) {
			wbuf_init(&w, out, sizeof(out));
			if (!fib_proto_encode(&w, &m))
				abort(); /* we accepted something we cannot write */
			if (fib_proto_decode(out, wbuf_len(&w), &m2) != NULL)
				abort();
			if (m.type == FIB_MSG_SHOW || m.type == FIB_MSG_SHOW_REPLY ||
			    m.type == FIB_MSG_TRACE) {
				if (m2.u.text.len != m.u.text.len ||
				    memcmp(m2.u.text.p, m.u.text.p, m.u.text.len) != 0)
					abort();
			} else if (memcmp(&m, &m2, sizeof(m)) != 0) {
				abort();
			}
		}
		data += len;
		size -= len;
	}
	return 0;
}
