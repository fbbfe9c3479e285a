/*
 * ctl_server: vtopod's side of the control socket (docs/ctl-json.md).  A
 * Unix stream socket; each client sends one request line of JSON, gets one
 * response line and is closed.  Requests are parsed and their arguments
 * validated here; the answers come from handlers that vtopod's main wires
 * in (function pointers plus an opaque context), so this file knows nothing
 * of sessions or the RDE.
 *
 * Nothing here blocks: the listening socket and every client are
 * non-blocking and driven by the caller's event loop through
 * struct ctl_loop_ops.  A request is bounded (CTL_REQUEST_MAX bytes); a
 * response is buffered and written as the client drains it, so a slow or
 * vanished client costs only its own buffer.
 *
 * Not for: the data behind the answers (rde_show_*, the session layer),
 * rendering them as text (vtopoctl does, src/ctl/show_*.c).
 */
#ifndef VTOPO_CTL_SERVER_H
#define VTOPO_CTL_SERVER_H

#include <stddef.h>

#include "lib/prefix.h"
#include "wire/bgp.h"

struct json_object;
struct ctl_server;

#define CTL_REQUEST_MAX 65536 /* bytes of one request line, newline included */
#define CTL_CLIENTS_MAX 64    /* connected clients; more are told to retry */
#define CTL_ERR_MAX 256	      /* room for a handler's error message */

/* ---- the event loop, as the server sees it ---- */

#define CTL_EV_READ 0x1u
#define CTL_EV_WRITE 0x2u

typedef void (*ctl_io_cb)(int fd, unsigned events, void *arg);

/*
 * Three calls the caller's loop provides (vtopod wires its own loop, the
 * tests a poll() loop).  io_add starts watching fd for `events` and calls
 * cb(fd, ready_events, arg) when ready; io_mod changes the events; io_del
 * stops watching (the server then closes fd).  io_del may be called from
 * inside cb for the same fd; a spurious callback (nothing ready) is
 * harmless.  io_add returns 0, or -1 (the server then
 * drops that client, or fails to start).
 */
struct ctl_loop_ops {
	int (*io_add)(void *loop, int fd, unsigned events, ctl_io_cb cb, void *arg);
	int (*io_mod)(void *loop, int fd, unsigned events);
	void (*io_del)(void *loop, int fd);
};

/* ---- attachments added at run time ---- */

#define CTL_ATTACH_ADDR_MAX 4 /* addresses of one attachment */
#define CTL_NAME_MAX 64	      /* attachment names: 1..63 (yang object-name) */
#define CTL_IFNAME_MAX 16     /* VRF and interface names: 1..15 (IFNAMSIZ) */

/* "attach add NAME vrf VRF address A.B.C.D/32|X::/128 [address ...]
 * [interface IFNAME]", checked for its shape; whether the VRF exists and
 * the rest is the handler's. */
struct ctl_attach {
	char name[CTL_NAME_MAX];
	char vrf[CTL_IFNAME_MAX];
	char ifname[CTL_IFNAME_MAX]; /* "" when not given */
	struct ipaddr addr[CTL_ATTACH_ADDR_MAX];
	size_t n_addr;
};

/* Parse the words after "attach add"; 0, or -1 with the reason in err
 * (CTL_ERR_MAX bytes).  In ctl_cmd.c. */
int ctl_attach_parse(const char *const *args, int n, struct ctl_attach *a, char *err);

/* ---- what the server answers with ---- */

/*
 * Each handler returns the response's `data` object (ownership passes to
 * the server), or NULL with a message in err (CTL_ERR_MAX bytes, e.g. "no
 * neighbor 192.0.2.9"), which becomes {"ok": false, "error": err}.
 * Arguments are validated before a handler is called.  A NULL handler
 * answers "'show X' is not available".
 */
struct ctl_handlers {
	void *ctx; /* passed to every handler */
	/* "show neighbors [ADDRESS]": addr is NULL for all neighbors. */
	struct json_object *(*neighbors)(void *ctx, const struct ipaddr *addr, char *err);
	/* "show rib FAMILY [PREFIX]": key is the canonical text of the NLRI
	 * (bgp_nlri_fmt(), whatever the user typed), or NULL for all. */
	struct json_object *(*rib)(void *ctx, enum bgp_fam fam, const char *key, char *err);
	/* "show rt-constraint" */
	struct json_object *(*rtc)(void *ctx, char *err);
	/* "show memory" */
	struct json_object *(*memory)(void *ctx, char *err);
	/* "reload": read the configuration file again and apply it; NULL
	 * with every refused YANG path and reason in err when it is refused */
	struct json_object *(*reload)(void *ctx, char *err);
	/* "show fib [VRF]", "show labels", "show service-topology [NAME]":
	 * what is "fib", "labels" or "service-topology"; arg NULL for all */
	struct json_object *(*svc)(void *ctx, const char *what, const char *arg, char *err);
	/* "attach add ...": a VM or CE interface comes up (draft s2) */
	struct json_object *(*attach_add)(void *ctx, const struct ctl_attach *a, char *err);
	/* "attach del NAME": it goes away, its host routes are withdrawn */
	struct json_object *(*attach_del)(void *ctx, const char *name, char *err);
	/* "show attachments" */
	struct json_object *(*attachments)(void *ctx, char *err);
};

/*
 * Create the socket at `path` (mode 0660) and start accepting.  A stale
 * socket left by a vtopod that died is removed; if another process answers
 * on `path`, or `path` exists and is not a socket, nothing is touched and
 * NULL is returned.  On failure returns NULL with a message naming the path
 * in err (errlen bytes).  `h` is copied.
 */
struct ctl_server *ctl_server_start(const char *path, const struct ctl_handlers *h,
				    const struct ctl_loop_ops *ops, void *loop, char *err,
				    size_t errlen);
/* Close every client and the socket, and remove the socket file. */
void ctl_server_stop(struct ctl_server *srv);

/* Clients connected now (for tests and "show memory"). */
size_t ctl_server_clients(const struct ctl_server *srv);

/*
 * Answer one request line (without the newline) as the socket would: the
 * response line (newline included, NUL terminated) to free(), or NULL when
 * out of memory.  The socket code calls it; so can tests.  In ctl_cmd.c.
 */
char *ctl_request_handle(const struct ctl_handlers *h, const char *req, size_t len);

#endif
