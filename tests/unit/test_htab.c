/*
 * Unit tests for htab: every operation checked against a plain array of
 * the same objects (the reference), through growth, deletions that shift
 * runs back, keys whose length is not a multiple of eight, keys that share
 * all but one octet, and a key at a non-zero offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/htab.h"

struct obj {
	uint32_t val;
	uint8_t key[13]; /* 8 + a 5-octet tail */
	uint8_t present;
};

static void key_make(uint8_t *k, uint32_t i)
{
	/* all but the last two octets the same: a weak hash would cluster */
	memset(k, 0xab, 13);
	k[11] = (uint8_t)(i >> 8);
	k[12] = (uint8_t)i;
	k[3] = (uint8_t)(i >> 16);
}

static void check_all(const struct htab *h, struct obj *o, size_t n)
{
	size_t present = 0, seen = 0, it = 0;
	struct obj *p;

	for (size_t i = 0; i < n; i++) {
		struct obj *got = htab_get(h, o[i].key);

		assert_ptr_equal(got, o[i].present ? &o[i] : NULL);
		present += o[i].present;
	}
	assert_int_equal(htab_count(h), present);
	while ((p = htab_next(h, &it)) != NULL) {
		assert_true(p->present);
		seen++;
	}
	assert_int_equal(seen, present);
}

static void test_against_reference(void **state)
{
	enum { N = 5000 };
	struct obj *o = calloc(N, sizeof(*o));
	struct htab h;
	uint32_t r = 12345;

	(void)state;
	assert_non_null(o);
	htab_init(&h, offsetof(struct obj, key), sizeof(o->key));
	assert_null(htab_get(&h, o[0].key)); /* empty table */
	assert_null(htab_del(&h, o[0].key));
	for (uint32_t i = 0; i < N; i++) {
		o[i].val = i;
		key_make(o[i].key, i);
	}
	for (size_t i = 0; i < N; i++) {
		assert_null(htab_put(&h, &o[i]));
		o[i].present = 1;
	}
	check_all(&h, o, N);
	/* random deletions and re-insertions: backward shifts everywhere */
	for (int round = 0; round < 20000; round++) {
		size_t i;

		r = r * 1103515245u + 12345u;
		i = (r >> 8) % N;
		if (o[i].present) {
			assert_ptr_equal(htab_del(&h, o[i].key), &o[i]);
			o[i].present = 0;
			assert_null(htab_del(&h, o[i].key));
		} else {
			assert_null(htab_put(&h, &o[i]));
			o[i].present = 1;
		}
	}
	check_all(&h, o, N);
	htab_free(&h);
	free(o);
}

/* put of an equal key replaces and returns the old object */
static void test_replace(void **state)
{
	struct obj a = {.val = 1}, b = {.val = 2};
	struct htab h;

	(void)state;
	key_make(a.key, 7);
	key_make(b.key, 7);
	htab_init(&h, offsetof(struct obj, key), sizeof(a.key));
	assert_null(htab_put(&h, &a));
	assert_ptr_equal(htab_put(&h, &b), &a);
	assert_int_equal(htab_count(&h), 1);
	assert_ptr_equal(htab_get(&h, a.key), &b);
	assert_true(htab_bytes(&h) >= 16 * sizeof(void *));
	htab_free(&h);
	assert_int_equal(htab_count(&h), 0);
	assert_null(htab_get(&h, a.key));
}

/* keys of every length 1..24 hash deterministically and tell apart keys
 * that differ in any one octet */
static void test_hash(void **state)
{
	uint8_t k[24] = {0};

	(void)state;
	for (size_t len = 1; len <= sizeof(k); len++) {
		uint64_t base = htab_hash(k, len);

		assert_int_equal(htab_hash(k, len), base);
		for (size_t i = 0; i < len; i++) {
			k[i] = 1;
			assert_true(htab_hash(k, len) != base);
			k[i] = 0;
		}
		/* the length counts: zero octets are not the same as fewer */
		assert_true(htab_hash(k, len) != htab_hash(k, len - 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_against_reference),
	    cmocka_unit_test(test_replace),
	    cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
