/*
 * Unit tests for dp/dp_label: the incoming label table (RFC 3031 s3.11),
 * including deletion inside a probe cluster and growth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/dp.h"

static void test_label_set_get_del(void **state)
{
	struct dp_labels t;

	(void)state;
	dp_labels_init(&t);
	assert_null(dp_labels_get(&t, 100));
	for (uint32_t l = 16; l < 16 + 1000; l++)
		assert_non_null(dp_labels_set(&t, l, l * 2));
	assert_int_equal(t.n, 1000);
	for (uint32_t l = 16; l < 16 + 1000; l++)
		assert_int_equal(dp_labels_get(&t, l)->nh, l * 2);
	/* delete every other one: the rest must stay reachable */
	for (uint32_t l = 16; l < 16 + 1000; l += 2)
		assert_true(dp_labels_del(&t, l));
	assert_false(dp_labels_del(&t, 16));
	for (uint32_t l = 16; l < 16 + 1000; l++) {
		if (l % 2 == 0)
			assert_null(dp_labels_get(&t, l));
		else
			assert_int_equal(dp_labels_get(&t, l)->nh, l * 2);
	}
	assert_int_equal(t.n, 500);
	assert_null(dp_labels_get(&t, 0x100000)); /* beyond 20 bits */
	dp_labels_free(&t);
}

static void test_label_sweep(void **state)
{
	struct dp_labels t;

	(void)state;
	dp_labels_init(&t);
	for (uint32_t l = 100; l < 164; l++)
		assert_non_null(dp_labels_set(&t, l, 1));
	for (uint32_t l = 100; l < 164; l++)
		dp_labels_get(&t, l)->stale = (l % 3 == 0);
	assert_int_equal(dp_labels_sweep(&t), 21); /* 102, 105, ... 162 */
	for (uint32_t l = 100; l < 164; l++)
		assert_true((dp_labels_get(&t, l) == NULL) == (l % 3 == 0));
	dp_labels_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_label_set_get_del),
	    cmocka_unit_test(test_label_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
