/*
 * dp_hash: the ECMP flow hash.  FIB_HASH_5TUPLE hashes (src, dst, proto,
 * sport, dport) in order; FIB_HASH_SYMMETRIC first orders the two
 * endpoints, so a flow and its reverse pick the same member
 * (draft-ietf-bess-service-chaining s3.4.2: the reverse flow must pass
 * the same stateful service instance).
 *
 * Not for: picking the member (dp_fwd.c takes hash % n).
 */
#include "dp/dp.h"

#include <string.h>

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

uint32_t dp_hash(const struct dp_flowkey *k, enum fib_hash mode)
{
	size_t w = k->afi == AFI_IPV6 ? 16 : 4;
	const uint8_t *a = k->src, *b = k->dst;
	uint16_t pa = k->sport, pb = k->dport;
	uint32_t h = 2166136261u;

	if (mode == FIB_HASH_SYMMETRIC) {
		int c = memcmp(a, b, w);
		if (c > 0 || (c == 0 && pa > pb)) {
			a = k->dst, b = k->src;
			pa = k->dport, pb = k->sport;
		}
	}
	h = fnv(h, a, w);
	h = fnv(h, b, w);
	h = fnv(h, &k->proto, 1);
	h = fnv(h, &pa, 2);
	h = fnv(h, &pb, 2);
	h ^= h >> 16; /* fold, so that % n sees the high bits */
	return h;
}
