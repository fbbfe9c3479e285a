/*
 * bench_util: the clock and the resident-set reading that the in-process
 * benchmarks share.
 *
 * Not for: the peer benchmarks (bench/run-peers reads /proc itself).
 */
#ifndef VTOPO_BENCH_UTIL_H
#define VTOPO_BENCH_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Seconds on CLOCK_MONOTONIC. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This process's resident set in bytes (0 if /proc cannot be read). */
static inline size_t bench_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long a = 0, b = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &a, &b) != 2)
		b = 0;
	fclose(f);
	return (size_t)b * (size_t)sysconf(_SC_PAGESIZE);
}

#endif
