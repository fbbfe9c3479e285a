/*
 * mem: how much memory this process holds, as the kernel counts it.
 *
 * The resident set comes from /proc/self/statm (proc(5): "size resident
 * shared text lib data dt", all in pages).  `show memory` reports it next
 * to the per-type accounting, and the in-process benchmarks measure with it.
 *
 * Not for: per-type accounting (each module counts its own objects and
 * bytes); other processes (bench/run-peers reads their /proc itself).
 */
#ifndef VTOPO_MEM_H
#define VTOPO_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Resident pages of a statm line times page_size into *rss.  false (and
 * *rss untouched) if the line does not start with two unsigned numbers. */
bool mem_statm_rss(const char *line, size_t page_size, size_t *rss)
    __attribute__((warn_unused_result));

/* This process's resident set in bytes; 0 if /proc cannot be read. */
size_t mem_rss(void);

#endif
