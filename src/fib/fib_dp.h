/*
 * fib_dp: the FIB backend that programs vtopo-dp over its Unix socket with
 * the FIB protocol (docs/fib-protocol.md).  The client side: connects,
 * says HELLO with the last generation it committed, sends batches and waits
 * for their ACK, reconnects once a second after a loss, and calls
 * `resync` whenever the data plane asks for a restatement (the owner
 * answers with fib_resync()).
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

#endif
