/*
 * bench_sync: how the benchmark's processes (senders, sink, the driving
 * script) coordinate on one machine: files in a shared directory.
 *
 *   DIR/NAME.up       a session of NAME is Established
 *   DIR/go.I          the driver lets the senders start phase I
 *   DIR/I.down        (flap) the sink has seen every route withdrawn
 *   DIR/I.done        the sink has seen phase I complete
 *   DIR/marks         one line per event "I KIND SECONDS": KIND "start" is
 *                     a sender's first byte of phase I, "up" its first
 *                     byte after a flap; CLOCK_MONOTONIC, which every
 *                     network namespace of the machine shares
 *
 * Lines are appended with O_APPEND in one write(), so concurrent senders
 * do not interleave.
 *
 * Not for: anything across machines.
 */
#ifndef VTOPO_BENCH_SYNC_H
#define VTOPO_BENCH_SYNC_H

#include <stdbool.h>

/* Create DIR/NAME (printf-style name); false on error. */
bool bench_sync_touch(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool bench_sync_exists(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append "idx kind t" to DIR/marks. */
bool bench_sync_mark(const char *dir, unsigned idx, const char *kind, double t);
/* The earliest mark of (idx, kind), or a negative value if there is none. */
double bench_sync_mark_min(const char *dir, unsigned idx, const char *kind);

#endif
