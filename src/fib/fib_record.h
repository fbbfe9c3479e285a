/*
 * fib_record: a recording FIB backend for tests.  It keeps
 *   - the log of every op it was given (optional),
 *   - its current state (what a data plane would hold), as a fib_store,
 *   - checks of the ordering contract of fib.h, each breach counted as a
 *     violation with a message: a route, label, flow or ECMP group naming
 *     an unknown nh, a route in an unknown VRF, an nh deleted while
 *     something still uses it;
 *   - make-before-break watches: a watched (VRF, prefix) that is deleted
 *     inside a batch, or that after a batch is missing or points at a DROP
 *     nh, counts a gap.
 * Usage: rec = fib_record_new(true); fib = fib_new(&fib_record_ops, rec);
 * fib_free() frees the recorder.
 *
 * Not for: product binaries (it is linked only by tests and benches).
 */
#ifndef VTOPO_FIB_RECORD_H
#define VTOPO_FIB_RECORD_H

#include "fib/fib.h"
#include "fib/fib_store.h"

struct fib_record;

extern const struct fib_backend_ops fib_record_ops;

struct fib_record *fib_record_new(bool keep_log);
/* The op log since the last fib_record_log_clear(). */
size_t fib_record_log(const struct fib_record *r, const struct fib_op **ops);
void fib_record_log_clear(struct fib_record *r);
const struct fib_store *fib_record_state(const struct fib_record *r);
uint64_t fib_record_batches(const struct fib_record *r);
uint64_t fib_record_ops_total(const struct fib_record *r);
unsigned fib_record_violations(const struct fib_record *r);
/* Message of violation i (the first 32 are kept), or NULL. */
const char *fib_record_violation(const struct fib_record *r, unsigned i);
int fib_record_watch(struct fib_record *r, fib_vrf_id vrf, const struct prefix *p);
unsigned fib_record_gaps(const struct fib_record *r);
/* Make the next apply() fail (to exercise resync). */
void fib_record_fail_next(struct fib_record *r);
/* The nh a route points at in the recorded state (0 = none). */
fib_nh_id fib_record_route(const struct fib_record *r, fib_vrf_id vrf, const char *prefix);

#endif
