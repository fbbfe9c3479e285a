/*
 * Unit tests for dp/dp_hash: the symmetric mode gives a flow and its
 * reverse the same hash (draft-ietf-bess-service-chaining s3.4.2); the
 * 5-tuple mode spreads flows over members.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/dp.h"

static void key(struct dp_flowkey *k, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->afi = AFI_IPV4;
	k->proto = 6;
	k->src[0] = 192, k->src[2] = 2, k->src[3] = (uint8_t)i;
	k->dst[0] = 198, k->dst[1] = 51, k->dst[2] = 100, k->dst[3] = (uint8_t)(i >> 8);
	k->sport = (uint16_t)(1024 + i * 7);
	k->dport = 443;
}

static void reverse(const struct dp_flowkey *k, struct dp_flowkey *r)
{
	*r = *k;
	memcpy(r->src, k->dst, 16);
	memcpy(r->dst, k->src, 16);
	r->sport = k->dport;
	r->dport = k->sport;
}

static void test_hash_symmetric(void **state)
{
	struct dp_flowkey k, r;
	unsigned asym_differs = 0;

	(void)state;
	for (uint32_t i = 0; i < 4096; i++) {
		key(&k, i);
		reverse(&k, &r);
		assert_int_equal(dp_hash(&k, FIB_HASH_SYMMETRIC), dp_hash(&r, FIB_HASH_SYMMETRIC));
		asym_differs += dp_hash(&k, FIB_HASH_5TUPLE) != dp_hash(&r, FIB_HASH_5TUPLE);
	}
	/* the plain 5-tuple hash is directional: most reverses differ */
	assert_true(asym_differs > 4000);
}

static void test_hash_spread(void **state)
{
	struct dp_flowkey k;
	unsigned bucket[4] = {0};

	(void)state;
	for (uint32_t i = 0; i < 4096; i++) {
		key(&k, i);
		bucket[dp_hash(&k, FIB_HASH_SYMMETRIC) % 4]++;
	}
	for (int b = 0; b < 4; b++) /* each member gets a fair share (1024 +- 25%) */
		assert_true(bucket[b] > 768 && bucket[b] < 1280);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_symmetric),
	    cmocka_unit_test(test_hash_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
