/*
 * Unit tests for lib/label.  Expected entries are written by hand from the
 * RFC 8277 s2.1 layout (also RFC 3032 s2.1): 20-bit label, 3-bit TC,
 * 1-bit S, so label 100 at the bottom of the stack is 100 << 4 | 1 = 0x000641.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/label.h"

static void test_label_entry_bits(void **state)
{
	(void)state;
	assert_int_equal(label_entry(100, true), 0x000641);
	assert_int_equal(label_entry(100, false), 0x000640);
	assert_int_equal(label_entry(MPLS_LABEL_MAX, true), 0xfffff1);
	assert_int_equal(label_value(0x000641), 100);
	assert_true(label_bos(0x000641));
	assert_false(label_bos(0x000640));
	/* TC bits (0x00e) do not leak into the value or the S bit */
	assert_int_equal(label_value(0x00064e), 100);
	assert_false(label_bos(0x00064e));
}

static void test_label_withdraw(void **state)
{
	(void)state;
	/* RFC 8277 s2.4: 0x800000 or 0x000000 in a withdrawal */
	assert_true(label_is_withdraw(0x800000));
	assert_true(label_is_withdraw(0x000000));
	assert_false(label_is_withdraw(0x800001));
	assert_false(label_is_withdraw(0x000641));
}

static void test_label_parse_fmt(void **state)
{
	(void)state;
	struct label_stack ls;
	char buf[LABEL_STACK_STRLEN];

	assert_int_equal(label_stack_parse("100", &ls), 0);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.e[0], 0x000641);
	assert_string_equal(label_stack_fmt(&ls, buf, sizeof(buf)), "100");

	assert_int_equal(label_stack_parse("100/200", &ls), 0);
	assert_int_equal(ls.n, 2);
	assert_int_equal(ls.e[0], 0x000640); /* S clear on top */
	assert_int_equal(ls.e[1], 0x000c81); /* 200 = 0xc8, S set */
	assert_string_equal(label_stack_fmt(&ls, buf, sizeof(buf)), "100/200");

	/* RFC 3032 s2.1 reserved values are still labels: 3 = implicit null */
	assert_int_equal(label_stack_parse("3", &ls), 0);
	assert_int_equal(ls.e[0], 0x000031);

	const char *full = "1048575/1048575/1048575/1048575/1048575/1048575/1048575/1048575";
	assert_int_equal(label_stack_parse(full, &ls), 0);
	assert_int_equal(ls.n, LABEL_STACK_MAX);
	assert_int_equal(ls.e[7], 0xfffff1);
	assert_int_equal(ls.e[6], 0xfffff0);
	assert_string_equal(label_stack_fmt(&ls, buf, sizeof(buf)), full);
	assert_true(strlen(full) < LABEL_STACK_STRLEN);
}

static void test_label_rejects(void **state)
{
	(void)state;
	struct label_stack ls = {.n = 42};
	const char *bad[] = {
	    "",
	    "1048576", /* > 20 bits */
	    "100/",
	    "/100",
	    "100//200",
	    "100 ",
	    "-1",
	    "0x10",
	    "1e3",
	    "1/2/3/4/5/6/7/8/9", /* more than LABEL_STACK_MAX */
	    "99999999999999999999999",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(label_stack_parse(bad[i], &ls), -1);
		assert_int_equal(ls.n, 42);
	}
}

static void test_label_push(void **state)
{
	(void)state;
	struct label_stack ls = {0};

	assert_int_equal(label_stack_push(&ls, 16), 0);
	assert_int_equal(ls.e[0], 0x000101);
	assert_int_equal(label_stack_push(&ls, 17), 0);
	assert_int_equal(ls.e[0], 0x000100); /* S moved to the new bottom */
	assert_int_equal(ls.e[1], 0x000111);
	assert_int_equal(label_stack_push(&ls, MPLS_LABEL_MAX + 1), -1);
	for (int i = 2; i < LABEL_STACK_MAX; i++)
		assert_int_equal(label_stack_push(&ls, 18), 0);
	assert_int_equal(label_stack_push(&ls, 19), -1);
	assert_int_equal(ls.n, LABEL_STACK_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_label_entry_bits), cmocka_unit_test(test_label_withdraw),
	    cmocka_unit_test(test_label_parse_fmt),  cmocka_unit_test(test_label_rejects),
	    cmocka_unit_test(test_label_push),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
