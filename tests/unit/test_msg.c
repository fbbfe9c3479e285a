/*
 * Unit tests for message framing (wire/msg.c): header split and its
 * RFC 4271 s6.1 errors, header writing, KEEPALIVE, type names and the
 * NOTIFICATION data of a verdict.  Expected codes and data come from
 * RFC 4271 s4.1, s4.4, s6.1 and RFC 8654 s4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/hex.h"
#include "wire/msg.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

static size_t unhex(const char *s, uint8_t *buf, size_t cap)
{
	long n = hex_decode(s, buf, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/* A header with the given length field and type, then `extra` zero bytes. */
static size_t mkhdr(uint8_t *buf, uint16_t len, uint8_t type, size_t extra)
{
	memset(buf, 0xff, 16);
	buf[16] = (uint8_t)(len >> 8);
	buf[17] = (uint8_t)len;
	buf[18] = type;
	memset(buf + 19, 0, extra);
	return 19 + extra;
}

/* Expect -1 with a session reset code/subcode and these data bytes. */
static void expect_hdr_error(const uint8_t *m, size_t n, size_t max_len, uint8_t code,
			     uint8_t subcode, const uint8_t *data, size_t dlen)
{
	struct rbuf s, msg, body;
	struct bgp_verdict v;
	uint8_t type, out[16];

	rbuf_init(&s, m, n);
	bgp_verdict_init(&v);
	assert_int_equal(bgp_hdr_split(&s, max_len, &type, &msg, &body, &v), -1);
	assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(v.code, code);
	assert_int_equal(v.subcode, subcode);
	assert_int_equal(bgp_msg_notify_data(&v, &msg, out, sizeof(out)), dlen);
	if (dlen)
		assert_memory_equal(out, data, dlen);
}

static void test_split_keepalive_and_partial(void **state)
{
	(void)state;
	uint8_t m[64];
	size_t n = unhex(MARKER "0013 04" MARKER "0017 05 0001 00 01", m, sizeof(m));
	struct rbuf s, msg, body;
	struct bgp_verdict v;
	uint8_t type = 0;
	uint16_t afi;

	bgp_verdict_init(&v);
	/* 18 bytes: not a whole header yet */
	rbuf_init(&s, m, 18);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 0);
	assert_int_equal(rbuf_off(&s), 0);
	/* the KEEPALIVE plus half of the next message */
	rbuf_init(&s, m, 19 + 20);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 1);
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	assert_int_equal(rbuf_left(&msg), 19);
	assert_true(rbuf_empty(&body));
	assert_true(bgp_keepalive_decode(&body, &v));
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 0);
	assert_int_equal(rbuf_left(&s), 20);
	/* the whole stream: the ROUTE-REFRESH, with a message-based body */
	rbuf_init(&s, m, n);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 1);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 1);
	assert_int_equal(type, BGP_MSG_ROUTE_REFRESH);
	assert_int_equal(rbuf_off(&body), 19);
	assert_int_equal(rbuf_left(&body), 4);
	assert_true(rbuf_u16(&body, &afi));
	assert_int_equal(afi, 1);
	assert_true(rbuf_empty(&s));
	assert_int_equal(v.action, BGP_ACT_OK);
}

/* RFC 4271 s6.1: marker not all ones -> 1/1 Connection Not Synchronized */
static void test_split_bad_marker(void **state)
{
	(void)state;
	uint8_t m[19];

	mkhdr(m, 19, BGP_MSG_KEEPALIVE, 0);
	m[7] = 0xfe;
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 1, NULL, 0);
}

/* RFC 4271 s6.1: length < 19 or > 4096 -> 1/2 with the Length field */
static void test_split_bad_length(void **state)
{
	(void)state;
	uint8_t m[19];

	mkhdr(m, 18, BGP_MSG_KEEPALIVE, 0);
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 2, (const uint8_t *)"\x00\x12", 2);
	mkhdr(m, 4097, BGP_MSG_UPDATE, 0);
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 2, (const uint8_t *)"\x10\x01", 2);
}

/* RFC 4271 s6.1: per-type minimums; KEEPALIVE exactly 19 */
static void test_split_type_minimums(void **state)
{
	(void)state;
	static const struct {
		uint8_t type;
		uint16_t bad, good;
	} cases[] = {
	    {BGP_MSG_OPEN, 28, 29},	     /* s4.2 */
	    {BGP_MSG_UPDATE, 22, 23},	     /* s4.3 */
	    {BGP_MSG_NOTIFICATION, 20, 21},  /* s4.5 */
	    {BGP_MSG_KEEPALIVE, 20, 19},     /* s4.4: exactly the header */
	    {BGP_MSG_ROUTE_REFRESH, 22, 23}, /* RFC 2918 s3 */
	};
	uint8_t m[64], data[2];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rbuf s, msg, body;
		struct bgp_verdict v;
		uint8_t type;

		data[0] = 0;
		data[1] = (uint8_t)cases[i].bad;
		mkhdr(m, cases[i].bad, cases[i].type, 0);
		expect_hdr_error(m, 19, BGP_MAX_LEN, 1, 2, data, 2);
		mkhdr(m, cases[i].good, cases[i].type, cases[i].good - 19);
		rbuf_init(&s, m, cases[i].good);
		bgp_verdict_init(&v);
		assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, &v), 1);
		assert_int_equal(type, cases[i].type);
		assert_int_equal(rbuf_left(&body), cases[i].good - 19);
	}
}

/* RFC 4271 s6.1: unknown type -> 1/3 with the Type field */
static void test_split_bad_type(void **state)
{
	(void)state;
	uint8_t m[19];

	mkhdr(m, 19, 6, 0);
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 3, (const uint8_t *)"\x06", 1);
	mkhdr(m, 19, 0, 0);
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 3, (const uint8_t *)"\x00", 1);
}

/* RFC 8654 s4: extended messages except OPEN and KEEPALIVE */
static void test_split_extended_messages(void **state)
{
	(void)state;
	uint8_t m[19];
	struct rbuf s, msg, body;
	struct bgp_verdict v;
	uint8_t type;

	bgp_verdict_init(&v);
	mkhdr(m, 5000, BGP_MSG_UPDATE, 0);
	rbuf_init(&s, m, sizeof(m));
	/* fine with 65535, only more bytes needed */
	assert_int_equal(bgp_hdr_split(&s, BGP_EXT_MAX_LEN, &type, &msg, &body, &v), 0);
	assert_int_equal(v.action, BGP_ACT_OK);
	expect_hdr_error(m, sizeof(m), BGP_MAX_LEN, 1, 2, (const uint8_t *)"\x13\x88", 2);
	mkhdr(m, 5000, BGP_MSG_OPEN, 0);
	expect_hdr_error(m, sizeof(m), BGP_EXT_MAX_LEN, 1, 2, (const uint8_t *)"\x13\x88", 2);
	mkhdr(m, 5000, BGP_MSG_NOTIFICATION, 0);
	rbuf_init(&s, m, sizeof(m));
	assert_int_equal(bgp_hdr_split(&s, BGP_EXT_MAX_LEN, &type, &msg, &body, &v), 0);
}

/* RFC 4271 s4.4: a KEEPALIVE is the 19-octet header alone */
static void test_keepalive_encode(void **state)
{
	(void)state;
	uint8_t want[32], buf[64];
	size_t n = unhex(MARKER "0013 04", want, sizeof(want));
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_keepalive_encode(&w);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(buf, want, n);
	/* no room: the writer reports it */
	wbuf_init(&w, buf, 18);
	bgp_keepalive_encode(&w);
	assert_false(wbuf_ok(&w));
}

static void test_keepalive_decode_rejects_body(void **state)
{
	(void)state;
	uint8_t m[20];
	struct rbuf r;
	struct bgp_verdict v;

	mkhdr(m, 20, BGP_MSG_KEEPALIVE, 1);
	rbuf_init(&r, m, sizeof(m));
	assert_true(rbuf_skip(&r, 19));
	bgp_verdict_init(&v);
	assert_false(bgp_keepalive_decode(&r, &v));
	assert_int_equal(v.err, BGP_E_KEEPALIVE_LENGTH);
	assert_int_equal(v.code, 1);
	assert_int_equal(v.subcode, 2);
	assert_int_equal(v.data_off, 16);
	assert_int_equal(v.data_len, 2);
}

static void test_hdr_begin_end_patches_length(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct wbuf w;
	size_t mark;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u8(&w, 0xaa); /* something before: mark is not 0 */
	mark = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	assert_int_equal(mark, 1);
	wbuf_zero(&w, 4);
	bgp_hdr_end(&w, mark);
	assert_true(wbuf_ok(&w));
	assert_int_equal(buf[1 + 16], 0);
	assert_int_equal(buf[1 + 17], 23);
	assert_int_equal(buf[1 + 18], BGP_MSG_UPDATE);
	for (int i = 0; i < 16; i++)
		assert_int_equal(buf[1 + i], 0xff);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_msg_type_name(1), "open");
	assert_string_equal(bgp_msg_type_name(2), "update");
	assert_string_equal(bgp_msg_type_name(3), "notification");
	assert_string_equal(bgp_msg_type_name(4), "keepalive");
	assert_string_equal(bgp_msg_type_name(5), "route-refresh");
	assert_null(bgp_msg_type_name(0));
	assert_null(bgp_msg_type_name(6));
	assert_null(bgp_msg_type_name(255));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_keepalive_and_partial),
	    cmocka_unit_test(test_split_bad_marker),
	    cmocka_unit_test(test_split_bad_length),
	    cmocka_unit_test(test_split_type_minimums),
	    cmocka_unit_test(test_split_bad_type),
	    cmocka_unit_test(test_split_extended_messages),
	    cmocka_unit_test(test_keepalive_encode),
	    cmocka_unit_test(test_keepalive_decode_rejects_body),
	    cmocka_unit_test(test_hdr_begin_end_patches_length),
	    cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
