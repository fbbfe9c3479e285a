/*
 * dp_trace: vtopo-dp's per-packet trace.  Off by default; switched on with a
 * filter (VRF, source and destination prefix, IP protocol), every packet
 * that matches records its path through the data plane (interface or PE it
 * came from, VRF, lookup result, route / label / flow hit, next hops,
 * ECMP member, output or encapsulation, drop reason) as short text steps
 * in a bounded ring of the last DP_TRACE_PKTS packets, read with
 * `vtopo-dp -s SOCKET trace show`.
 *
 * Off, the packet path pays one test of `cur` per step point (NULL).
 *
 * Not for: counters (dp_state.c), the packet path itself (dp_fwd.c).
 */
#ifndef VTOPO_DP_TRACE_H
#define VTOPO_DP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"

#define DP_TRACE_PKTS 32
#define DP_TRACE_STEPS 24
#define DP_TRACE_STEP_LEN 96

struct dp_trace_filter {
	char vrf[FIB_NAME_MAX]; /* VRF name or decimal id; "" = any */
	bool has_src, has_dst;
	struct prefix src, dst;
	uint8_t proto; /* IP protocol; 0 = any */
};

struct dp_trace_pkt {
	uint64_t seq; /* 1, 2, ... since the trace was switched on */
	unsigned n_steps;
	bool truncated; /* more steps than DP_TRACE_STEPS */
	char step[DP_TRACE_STEPS][DP_TRACE_STEP_LEN];
};

struct dp_trace {
	bool on;
	struct dp_trace_filter f;
	struct dp_trace_pkt *ring; /* DP_TRACE_PKTS, allocated by the first `on` */
	uint64_t n;		   /* packets traced since `on` */
	struct dp_trace_pkt *cur;  /* the packet being traced, NULL otherwise */
};

/* "[vrf NAME|ID] [src PREFIX] [dst PREFIX] [proto icmp|tcp|udp|N]" (any
 * order, each at most once); NULL, or what is wrong. */
const char *dp_trace_parse(const char *text, struct dp_trace_filter *f);
/* The filter back as text (the parser's syntax; "any" when empty). */
void dp_trace_filter_fmt(const struct dp_trace_filter *f, char *buf, size_t len);

/* Switch on with a filter (the ring is emptied); 0, or -1 on ENOMEM. */
int dp_trace_on(struct dp_trace *t, const struct dp_trace_filter *f);
/* Switch off; what was recorded stays readable. */
void dp_trace_off(struct dp_trace *t);
void dp_trace_free(struct dp_trace *t);

/* Does a packet in VRF (id, name) from src to dst (4 or 16 bytes of afi)
 * with protocol proto match? */
bool dp_trace_match(const struct dp_trace_filter *f, fib_vrf_id vrf, const char *vrf_name,
		    uint8_t afi, const uint8_t *src, const uint8_t *dst, uint8_t proto);

/* Start recording a packet (the oldest one is overwritten), add a step
 * (printf format), stop.  step and end do nothing without a begin. */
void dp_trace_begin(struct dp_trace *t);
void dp_trace_step(struct dp_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dp_trace_end(struct dp_trace *t);

/* {"on": bool, "filter": text, "traced": n, "packets": [{"seq": n,
 * "steps": [text...]}...]} oldest first, at most max octets (the oldest
 * packets are left out to fit); caller frees. */
char *dp_trace_json(const struct dp_trace *t, size_t max);

#endif
