/* Unit tests for the bounded reader and writer (lib/rbuf, lib/wbuf). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"

static void test_getters_big_endian(void **state)
{
	(void)state;
	const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
	struct rbuf r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u24, u32;

	rbuf_init(&r, b, sizeof(b));
	assert_true(rbuf_u8(&r, &u8));
	assert_int_equal(u8, 0x01);
	assert_true(rbuf_u16(&r, &u16));
	assert_int_equal(u16, 0x0203);
	assert_true(rbuf_u24(&r, &u24));
	assert_int_equal(u24, 0x040506);
	assert_true(rbuf_u32(&r, &u32));
	assert_int_equal(u32, 0x0708090a);
	assert_true(rbuf_empty(&r));
}

static void test_short_read_leaves_cursor(void **state)
{
	(void)state;
	const uint8_t b[] = {0xaa, 0xbb, 0xcc};
	struct rbuf r, sub;
	uint32_t u32;
	uint64_t u64;

	rbuf_init(&r, b, sizeof(b));
	assert_false(rbuf_u32(&r, &u32));
	assert_int_equal(rbuf_left(&r), 3);
	assert_false(rbuf_u64(&r, &u64));
	assert_false(rbuf_sub(&r, 4, &sub));
	assert_false(rbuf_skip(&r, 4));
	assert_int_equal(rbuf_off(&r), 0);
	assert_false(rbuf_uint(&r, 9, &u64));
}

static void test_sub_views_keep_message_offsets(void **state)
{
	(void)state;
	const uint8_t b[] = {0, 1, 2, 3, 4, 5, 6, 7};
	struct rbuf r, sub, subsub;
	uint8_t v;

	rbuf_init(&r, b, sizeof(b));
	assert_true(rbuf_skip(&r, 2));
	assert_true(rbuf_sub(&r, 4, &sub));
	assert_int_equal(rbuf_left(&r), 2);
	assert_int_equal(rbuf_off(&sub), 2);
	assert_true(rbuf_skip(&sub, 1));
	assert_true(rbuf_sub(&sub, 2, &subsub));
	assert_int_equal(rbuf_off(&subsub), 3);
	assert_true(rbuf_u8(&subsub, &v));
	assert_int_equal(v, 3);
	/* a sub-view cannot read past its own end */
	assert_true(rbuf_u8(&subsub, &v));
	assert_false(rbuf_u8(&subsub, &v));
	assert_int_equal(rbuf_left(&sub), 1);
}

static void test_wbuf_overflow_is_sticky(void **state)
{
	(void)state;
	uint8_t buf[4];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u16(&w, 0x1234);
	wbuf_u24(&w, 0x56789a); /* does not fit */
	assert_false(wbuf_ok(&w));
	wbuf_u8(&w, 0xff); /* would fit, but the writer is already broken */
	assert_int_equal(wbuf_len(&w), 2);
	assert_int_equal(buf[0], 0x12);
	assert_int_equal(buf[1], 0x34);
}

static void test_wbuf_patch_and_cut(void **state)
{
	(void)state;
	uint8_t buf[16];
	struct wbuf w;
	size_t m;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u8(&w, 0xee);
	m = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	wbuf_bytes(&w, "abc", 3);
	wbuf_patch_u16(&w, m, 3);
	assert_true(wbuf_ok(&w));
	assert_memory_equal(buf,
			    "\xee\x00\x03"
			    "abc",
			    6);
	wbuf_cut(&w, m, 1);
	assert_int_equal(wbuf_len(&w), 5);
	assert_memory_equal(buf,
			    "\xee\x03"
			    "abc",
			    5);
	wbuf_truncate(&w, 1);
	assert_int_equal(wbuf_len(&w), 1);
}

static void test_round_trip(void **state)
{
	(void)state;
	uint8_t buf[32];
	struct wbuf w;
	struct rbuf r;
	uint64_t a, b;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u64(&w, 0x0102030405060708ull);
	wbuf_uint(&w, 5, 0xa1a2a3a4a5ull);
	assert_true(wbuf_ok(&w));
	rbuf_init(&r, buf, wbuf_len(&w));
	assert_true(rbuf_u64(&r, &a));
	assert_true(rbuf_uint(&r, 5, &b));
	assert_true(a == 0x0102030405060708ull);
	assert_true(b == 0xa1a2a3a4a5ull);
	assert_true(rbuf_empty(&r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_getters_big_endian),
	    cmocka_unit_test(test_short_read_leaves_cursor),
	    cmocka_unit_test(test_sub_views_keep_message_offsets),
	    cmocka_unit_test(test_wbuf_overflow_is_sticky),
	    cmocka_unit_test(test_wbuf_patch_and_cut),
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
