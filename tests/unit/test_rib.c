/*
 * Unit tests for the RIB's net table (rib): find / create / free of
 * VPN-IPv4 nets through the open-addressing hash, whose freed slots are
 * tombstones.  Expected results are those of a set: a net is found after
 * it was created and until it is freed, keys are distinct, and the table
 * stays within its load bound (live slots and tombstones at most 3/4)
 * under churn without growing past what the live nets need.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rd.h"
#include "rde/rib.h"
#include "wire/nlri.h"

/* VPN-IPv4 198.18.0.0/15 + k as a /32 in RD 65000:(1 + k / 65536). */
static void net_k(struct bgp_nlri *n, uint32_t k)
{
	memset(n, 0, sizeof(*n));
	n->fam = BGP_FAM_VPNV4;
	n->pfx.afi = 1;
	n->pfx.len = 32;
	n->pfx.b[0] = 198;
	n->pfx.b[1] = (uint8_t)(18 + ((k >> 16) & 1));
	n->pfx.b[2] = (uint8_t)(k >> 8);
	n->pfx.b[3] = (uint8_t)k;
	assert_int_equal(rd_parse(k >= 131072 ? "65000:2" : "65000:1", &n->rd), 0);
}

static void check_load(const struct rib *r)
{
	assert_true((uint64_t)(r->hcount + r->htombs) * 4 <= (uint64_t)r->hcap * 3);
}

static void test_find_after_free(void **state)
{
	(void)state;
	enum { N = 3000 };
	struct rib r;
	struct bgp_nlri n;
	uint32_t idx[N];

	rib_init(&r, BGP_FAM_VPNV4);
	for (uint32_t k = 0; k < N; k++) {
		net_k(&n, k);
		idx[k] = rib_net_get(&r, &n);
		assert_int_not_equal(idx[k], 0);
		assert_int_equal(rib_net_get(&r, &n), idx[k]); /* the same key: the same net */
	}
	assert_int_equal(r.hcount, N);
	for (uint32_t k = 0; k < N; k += 2)
		rib_net_free(&r, idx[k]);
	assert_int_equal(r.hcount, N / 2);
	check_load(&r);
	for (uint32_t k = 0; k < N; k++) {
		net_k(&n, k);
		assert_int_equal(rib_net_find(&r, &n), k % 2 ? idx[k] : 0);
	}
	/* the freed keys come back as new nets; the kept ones are untouched */
	for (uint32_t k = 0; k < N; k += 2) {
		net_k(&n, k);
		idx[k] = rib_net_get(&r, &n);
		assert_int_not_equal(idx[k], 0);
	}
	assert_int_equal(r.hcount, N);
	check_load(&r);
	for (uint32_t k = 0; k < N; k++) {
		struct bgp_nlri back;

		net_k(&n, k);
		assert_int_equal(rib_net_find(&r, &n), idx[k]);
		rib_net_nlri(&r, idx[k], &back);
		assert_int_equal(bgp_nlri_cmp(&back, &n), 0);
	}
	rib_fini(&r);
}

/* Rounds of "create 20,000 new nets, free them all": tombstones must not
 * make the table grow round after round, nor break lookups. */
static void test_churn(void **state)
{
	(void)state;
	enum { N = 20000, ROUNDS = 8 };
	struct rib r;
	struct bgp_nlri n;
	uint32_t *idx = calloc(N, sizeof(*idx)), cap1 = 0;

	assert_non_null(idx);
	rib_init(&r, BGP_FAM_VPNV4);
	for (uint32_t round = 0; round < ROUNDS; round++) {
		for (uint32_t k = 0; k < N; k++) {
			net_k(&n, round * N + k);
			assert_int_equal(rib_net_find(&r, &n), 0);
			idx[k] = rib_net_get(&r, &n);
			assert_int_not_equal(idx[k], 0);
			check_load(&r);
		}
		if (round == 0)
			cap1 = r.hcap;
		assert_true(r.hcap <= cap1); /* rebuilt in place, not grown */
		for (uint32_t k = 0; k < N; k++) {
			net_k(&n, round * N + k);
			assert_int_equal(rib_net_find(&r, &n), idx[k]);
			rib_net_free(&r, idx[k]);
			assert_int_equal(rib_net_find(&r, &n), 0);
		}
		assert_int_equal(r.hcount, 0);
	}
	rib_fini(&r);
	free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_after_free),
	    cmocka_unit_test(test_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
