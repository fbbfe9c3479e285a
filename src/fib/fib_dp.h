/*
 * fib_dp: the FIB backend that programs vtopo-dp over its Unix socket with
 * the FIB protocol (docs/fib-protocol.md).  The client side: connects,
 * says HELLO with the last generation it committed, sends batches and waits
 * for their ACK, reconnects after a loss (100 ms, doubling up to a
 * second), and calls `resync` whenever the data plane asks for a
 * restatement (the owner answers with fib_resync()).
 *
 * Hold: a writer that restarted (its generation 0) while the data plane
 * kept state (generation != 0) would sweep everything it has not relearned
 * yet.  While held, no batch is sent and the data plane keeps forwarding
 * with what it has; fib_dp_release() lets the resync go.  A data plane
 * that has no state releases the hold at once: there is nothing to keep.
 *
 * Not for: the desired-state store (fib.c), the codec (fib_proto.c).
 */
#ifndef VTOPO_FIB_DP_H
#define VTOPO_FIB_DP_H

#include "core/ev.h"
#include "fib/fib.h"

struct fib_dp;

extern const struct fib_backend_ops fib_dp_ops;

/* The context for fib_new(&fib_dp_ops, ctx).  resync(arg) is called from
 * the event loop when the data plane asks for a full restatement. */
struct fib_dp *fib_dp_new(struct ev_loop *loop, const char *path, void (*resync)(void *arg),
			  void *arg);
bool fib_dp_connected(const struct fib_dp *d);

/* Hold every batch until fib_dp_release() (see above). */
void fib_dp_hold(struct fib_dp *d);
void fib_dp_release(struct fib_dp *d);
bool fib_dp_held(const struct fib_dp *d);
/* The data plane is connected and holds forwarding state (a generation
 * other than 0): what survives a restart of the writer. */
bool fib_dp_has_state(const struct fib_dp *d);

/* The data plane's state as its SHOW-REPLY JSON text (docs/fib-protocol.md),
 * fetched at once as a show client on its own connection, waiting at most
 * a couple of seconds; NULL when vtopo-dp is not there or does not answer.
 * view is "labels" (what a restarted writer reads to keep the labels
 * vtopo-dp holds before it builds its own state, "Restarts"; a data plane
 * that does not know views closes the connection, and the whole state is
 * asked for instead) or NULL (everything).  The caller frees the text. */
char *fib_dp_fetch_show(const char *path, const char *view);

#endif
