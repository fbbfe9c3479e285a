/*
 * ctl_client: vtopoctl's side of the control socket (docs/ctl-json.md):
 * connect, send one request line, read one response line, all within a
 * timeout.
 *
 * Not for: what the commands mean (show.c), rendering (show_*.c).
 */
#ifndef VTOPO_CTL_CLIENT_H
#define VTOPO_CTL_CLIENT_H

#include <stddef.h>

struct json_object;

#define CTL_CONNECT_TIMEOUT_MS 5000
#define CTL_REPLY_TIMEOUT_MS 60000 /* without a byte from the daemon */

enum ctl_client_result {
	CTL_CLIENT_OK,	      /* *data is the response's data, to json_object_put() */
	CTL_CLIENT_REFUSED,   /* the daemon answered ok: false; err is its error */
	CTL_CLIENT_TRANSPORT, /* no answer: err says why, naming the socket */
};

/* Send {"command": cmd, "args": [args...]} to the daemon at `path`. */
enum ctl_client_result ctl_client_request(const char *path, const char *cmd,
					  const char *const *args, size_t nargs,
					  struct json_object **data, char *err, size_t errlen);

#endif
