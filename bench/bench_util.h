/*
 * bench_util: the clock that the in-process benchmarks share (they read
 * their resident set with mem_rss() from core/mem.h, as `show memory` does).
 *
 * Not for: the peer benchmarks (bench/run-peers reads /proc itself).
 */
#ifndef VTOPO_BENCH_UTIL_H
#define VTOPO_BENCH_UTIL_H

#include <time.h>

/* Seconds on CLOCK_MONOTONIC. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
