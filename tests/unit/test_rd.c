/*
 * Unit tests for lib/rd.  Expected bytes are written by hand from the
 * RFC 4364 s4.2 layout: 2-octet type, then
 *   type 0: 2-octet AS administrator, 4-octet assigned number
 *   type 1: 4-octet IPv4 administrator, 2-octet assigned number
 *   type 2: 4-octet AS administrator, 2-octet assigned number
 * (65000 = 0xfde8, 4200000000 = 0xfa56ea00).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rd.h"

static void check_rd(const char *text, const uint8_t want[8])
{
	struct rd rd;
	char buf[RD_STRLEN];

	assert_int_equal(rd_parse(text, &rd), 0);
	assert_memory_equal(rd.b, want, 8);
	assert_string_equal(rd_fmt(&rd, buf, sizeof(buf)), text);
}

static void test_rd_type0(void **state)
{
	(void)state;
	const uint8_t a[8] = {0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01};
	const uint8_t b[8] = {0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t c[8] = {0};

	check_rd("65000:1", a);
	check_rd("65535:4294967295", b); /* largest type 0 values */
	check_rd("0:0", c);
}

static void test_rd_type1(void **state)
{
	(void)state;
	const uint8_t a[8] = {0x00, 0x01, 192, 0, 2, 1, 0x00, 0x07};
	const uint8_t b[8] = {0x00, 0x01, 203, 0, 113, 255, 0xff, 0xff};

	check_rd("192.0.2.1:7", a);
	check_rd("203.0.113.255:65535", b);
	assert_int_equal(rd_type((const struct rd *)a), 1);
}

static void test_rd_type2(void **state)
{
	(void)state;
	const uint8_t a[8] = {0x00, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x01};
	const uint8_t b[8] = {0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0xff, 0xff};
	const uint8_t c[8] = {0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00};

	check_rd("4200000000:1", a);
	check_rd("65536:65535", b); /* smallest AS that needs type 2 */
	check_rd("4294967295:0", c);
}

/* RFC 4364 s4.2 type 2 with an AS below 65536: the bytes cannot be told
 * apart from type 0 by the number's size, so the text says "L". */
static void test_rd_type2_small_as(void **state)
{
	(void)state;
	const uint8_t a[8] = {0x00, 0x02, 0x00, 0x00, 0xfd, 0xe8, 0x00, 0x07};
	const uint8_t b[8] = {0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
	struct rd rd;

	check_rd("65000L:7", a);
	check_rd("0L:0", b);
	assert_int_equal(rd_parse("L:1", &rd), -1);
	assert_int_equal(rd_parse("65000L:65536", &rd), -1); /* 2-octet number */
	assert_int_equal(rd_parse("65000LL:1", &rd), -1);
}

static void test_rd_unknown_type(void **state)
{
	(void)state;
	const uint8_t a[8] = {0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05, 0xab};
	const uint8_t b[8] = {0xff, 0xff, 0, 0, 0, 0, 0, 0};

	check_rd("type5:0102030405ab", a);
	check_rd("type65535:000000000000", b);
}

static void test_rd_rejects(void **state)
{
	(void)state;
	struct rd rd;
	const uint8_t sentinel[8] = {9, 9, 9, 9, 9, 9, 9, 9};
	const char *bad[] = {
	    "",
	    "65000",
	    "65000:",
	    ":1",
	    "65000:4294967296", /* type 0 number > 2^32-1 */
	    "65536:65536",	/* type 2 number > 65535 */
	    "4294967296:1",	/* AS > 2^32-1 */
	    "192.0.2.1:65536",	/* type 1 number > 65535 */
	    "192.0.2.256:1",
	    "192.0.2:1",
	    "65000:1x", /* trailing garbage */
	    "65000:1:2",
	    "65000: 1",
	    "-1:1",
	    "65000:+1",
	    "type1:000000000000", /* known type in the unknown form */
	    "type5:0102030405",	  /* short value */
	    "type5:0102030405abcd",
	    "type65536:000000000000",
	    "type:000000000000",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(rd.b, sentinel, 8);
		assert_int_equal(rd_parse(bad[i], &rd), -1);
		assert_memory_equal(rd.b, sentinel, 8);
	}
}

static void test_rd_cmp(void **state)
{
	(void)state;
	struct rd a, b, c;

	assert_int_equal(rd_parse("65000:1", &a), 0);
	assert_int_equal(rd_parse("65000:2", &b), 0);
	assert_int_equal(rd_parse("192.0.2.1:1", &c), 0);
	assert_int_equal(rd_cmp(&a, &a), 0);
	assert_int_equal(rd_cmp(&a, &b), -1);
	assert_int_equal(rd_cmp(&b, &a), 1);
	assert_int_equal(rd_cmp(&a, &c), -1); /* type 0 before type 1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rd_type0),	    cmocka_unit_test(test_rd_type1),
	    cmocka_unit_test(test_rd_type2),	    cmocka_unit_test(test_rd_type2_small_as),
	    cmocka_unit_test(test_rd_unknown_type), cmocka_unit_test(test_rd_rejects),
	    cmocka_unit_test(test_rd_cmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
