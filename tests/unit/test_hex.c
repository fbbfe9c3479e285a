/* Unit tests for lib/hex: decoding with separators, rejection, encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/hex.h"

static void test_hex_decode(void **state)
{
	(void)state;
	uint8_t out[8];
	const uint8_t want[4] = {0xde, 0xad, 0xbe, 0xef};

	assert_int_equal(hex_decode("deadbeef", out, sizeof(out)), 4);
	assert_memory_equal(out, want, 4);
	assert_int_equal(hex_decode("0xDEADBEEF", out, sizeof(out)), 4);
	assert_memory_equal(out, want, 4);
	assert_int_equal(hex_decode("  de:ad be\n\tef ", out, sizeof(out)), 4);
	assert_memory_equal(out, want, 4);
	assert_int_equal(hex_decode("", out, sizeof(out)), 0);
	assert_int_equal(hex_decode("0x", out, sizeof(out)), 0);
	assert_int_equal(hex_decode("0001020304050607", out, sizeof(out)), 8);
	assert_int_equal(out[7], 7);
}

static void test_hex_rejects(void **state)
{
	(void)state;
	uint8_t out[4];

	assert_int_equal(hex_decode("abc", out, sizeof(out)), -1);	  /* odd */
	assert_int_equal(hex_decode("a b c", out, sizeof(out)), -1);	  /* odd */
	assert_int_equal(hex_decode("zz", out, sizeof(out)), -1);	  /* bad digit */
	assert_int_equal(hex_decode("00x1", out, sizeof(out)), -1);	  /* 0x not at start */
	assert_int_equal(hex_decode("0011223344", out, sizeof(out)), -1); /* > cap */
	assert_int_equal(hex_decode("00", out, 0), -1);
}

static void test_hex_encode(void **state)
{
	(void)state;
	const uint8_t in[] = {0x00, 0x0f, 0xa5, 0xff};
	char out[2 * sizeof(in) + 1];

	assert_string_equal(hex_encode(in, sizeof(in), out), "000fa5ff");
	assert_string_equal(hex_encode(in, 0, out), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hex_decode),
	    cmocka_unit_test(test_hex_rejects),
	    cmocka_unit_test(test_hex_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
