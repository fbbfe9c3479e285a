/*
 * Unit tests for NOTIFICATION (wire/notify.c) and ROUTE-REFRESH
 * (wire/refresh.c) and their JSON (wire/json_msg.c).
 *
 * Names are the registry names of RFC 4271 s4.5, RFC 4486 s3, RFC 5492,
 * RFC 6608 s3, RFC 7313 s5, RFC 8538, RFC 9234 and RFC 9384, lower-cased
 * and hyphenated.  Layouts: RFC 4271 s4.5, RFC 9003 s2, RFC 2918 s3,
 * RFC 7313 s3; errors: RFC 4271 s6.1, RFC 7313 s5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/hex.h"
#include "wire/json.h"
#include "wire/msg.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

static size_t unhex(const char *s, uint8_t *buf, size_t cap)
{
	long n = hex_decode(s, buf, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/* A message of `type` around body bytes. */
static size_t mkmsg(uint8_t type, const void *body, size_t n, uint8_t *buf)
{
	memset(buf, 0xff, 16);
	buf[16] = (uint8_t)((19 + n) >> 8);
	buf[17] = (uint8_t)(19 + n);
	buf[18] = type;
	memcpy(buf + 19, body, n);
	return 19 + n;
}

static void split(const uint8_t *m, size_t n, uint8_t want_type, struct rbuf *body,
		  struct bgp_verdict *v)
{
	struct rbuf s, msg;
	uint8_t type;

	rbuf_init(&s, m, n);
	bgp_verdict_init(v);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, body, v), 1);
	assert_int_equal(type, want_type);
}

static void assert_json(struct json_object *j, const char *want)
{
	const char *got = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);

	if (strcmp(got, want) != 0)
		print_error("got  %s\nwant %s\n", got, want);
	assert_string_equal(got, want);
	json_object_put(j);
}

/* ---- names ---- */

static void test_code_names(void **state)
{
	(void)state;
	/* RFC 4271 s4.5 */
	assert_string_equal(bgp_notify_code_name(1), "message-header-error");
	assert_string_equal(bgp_notify_code_name(2), "open-message-error");
	assert_string_equal(bgp_notify_code_name(3), "update-message-error");
	assert_string_equal(bgp_notify_code_name(4), "hold-timer-expired");
	assert_string_equal(bgp_notify_code_name(5), "finite-state-machine-error");
	assert_string_equal(bgp_notify_code_name(6), "cease");
	/* RFC 7313 s5 */
	assert_string_equal(bgp_notify_code_name(7), "route-refresh-message-error");
	assert_null(bgp_notify_code_name(0));
	assert_null(bgp_notify_code_name(9));
	assert_null(bgp_notify_code_name(255));
}

static void test_subcode_names(void **state)
{
	(void)state;
	static const struct {
		uint8_t code, subcode;
		const char *name;
	} cases[] = {
	    /* RFC 4271 s4.5 */
	    {1, 1, "connection-not-synchronized"},
	    {1, 2, "bad-message-length"},
	    {1, 3, "bad-message-type"},
	    {2, 0, "unspecific"},
	    {2, 1, "unsupported-version-number"},
	    {2, 2, "bad-peer-as"},
	    {2, 3, "bad-bgp-identifier"},
	    {2, 4, "unsupported-optional-parameter"},
	    {2, 6, "unacceptable-hold-time"},
	    {2, 7, "unsupported-capability"}, /* RFC 5492 */
	    {2, 11, "role-mismatch"},	      /* RFC 9234 */
	    {3, 1, "malformed-attribute-list"},
	    {3, 2, "unrecognized-well-known-attribute"},
	    {3, 3, "missing-well-known-attribute"},
	    {3, 4, "attribute-flags-error"},
	    {3, 5, "attribute-length-error"},
	    {3, 6, "invalid-origin-attribute"},
	    {3, 8, "invalid-next-hop-attribute"},
	    {3, 9, "optional-attribute-error"},
	    {3, 10, "invalid-network-field"},
	    {3, 11, "malformed-as-path"},
	    /* RFC 6608 s3 */
	    {5, 1, "receive-unexpected-message-in-opensent-state"},
	    {5, 3, "receive-unexpected-message-in-established-state"},
	    /* RFC 4486 s3 */
	    {6, 1, "maximum-number-of-prefixes-reached"},
	    {6, 2, "administrative-shutdown"},
	    {6, 3, "peer-de-configured"},
	    {6, 4, "administrative-reset"},
	    {6, 5, "connection-rejected"},
	    {6, 6, "other-configuration-change"},
	    {6, 7, "connection-collision-resolution"},
	    {6, 8, "out-of-resources"},
	    {6, 9, "hard-reset"}, /* RFC 8538 */
	    {6, 10, "bfd-down"},  /* RFC 9384 */
	    /* RFC 7313 s5 */
	    {7, 1, "invalid-message-length"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = bgp_notify_subcode_name(cases[i].code, cases[i].subcode);

		assert_non_null(got);
		assert_string_equal(got, cases[i].name);
	}
	assert_null(bgp_notify_subcode_name(1, 4));
	assert_null(bgp_notify_subcode_name(2, 8));
	assert_null(bgp_notify_subcode_name(3, 12));
	assert_null(bgp_notify_subcode_name(4, 1));
	assert_null(bgp_notify_subcode_name(6, 11));
	assert_null(bgp_notify_subcode_name(7, 2));
	assert_null(bgp_notify_subcode_name(8, 0));
	assert_null(bgp_notify_subcode_name(6, 255));
}

/* ---- NOTIFICATION ---- */

static bool decode_notify(const void *body, size_t n, struct bgp_notify *nt, uint8_t *buf)
{
	struct bgp_verdict v;
	struct rbuf b;

	split(buf, mkmsg(BGP_MSG_NOTIFICATION, body, n, buf), BGP_MSG_NOTIFICATION, &b, &v);
	return bgp_notify_decode(&b, nt, &v);
}

/* RFC 9003 s2 and its example communication */
static void test_notify_shutdown_message(void **state)
{
	(void)state;
	static const char text[] = "[TICKET-1-1438367390] software upgrade; back in 2 hours";
	uint8_t body[300], buf[400];
	struct bgp_notify n;

	body[0] = 6;
	body[1] = 2;
	body[2] = sizeof(text) - 1;
	memcpy(body + 3, text, sizeof(text) - 1);
	assert_true(decode_notify(body, 3 + sizeof(text) - 1, &n, buf));
	assert_int_equal(n.code, 6);
	assert_int_equal(n.subcode, 2);
	assert_int_equal(rbuf_left(&n.data), 1 + sizeof(text) - 1);
	assert_true(n.has_shutdown_msg);
	assert_int_equal(rbuf_left(&n.shutdown_msg), sizeof(text) - 1);
	assert_memory_equal(rbuf_ptr(&n.shutdown_msg), text, sizeof(text) - 1);
	/* Administrative Reset too, up to 255 octets */
	body[1] = 4;
	body[2] = 255;
	memset(body + 3, 'a', 255);
	assert_true(decode_notify(body, 3 + 255, &n, buf));
	assert_true(n.has_shutdown_msg);
	assert_int_equal(rbuf_left(&n.shutdown_msg), 255);
	/* not for other subcodes */
	body[1] = 3;
	assert_true(decode_notify(body, 3 + 255, &n, buf));
	assert_false(n.has_shutdown_msg);
	assert_int_equal(rbuf_left(&n.data), 256);
}

static void test_notify_shutdown_invalid(void **state)
{
	(void)state;
	static const char *const bodies[] = {
	    "0602 05 68656c6c", /* longer than the data */
	    "0602 02 c328",	/* bad continuation */
	    "0602 02 c0af",	/* overlong '/' */
	    "0602 03 eda080",	/* UTF-16 surrogate */
	    "0602 04 f4908080", /* above U+10FFFF */
	    "0602 00",		/* length 0: no communication */
	    "0602",		/* no data at all */
	};
	uint8_t body[32], buf[64];
	struct bgp_notify n;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		size_t len = unhex(bodies[i], body, sizeof(body));

		assert_true(decode_notify(body, len, &n, buf));
		assert_false(n.has_shutdown_msg);
		assert_int_equal(rbuf_left(&n.data), len - 2);
	}
	/* multi-byte UTF-8 is fine: "Wartung", U+00FC and U+4FDD (2 and 3
	 * octets) */
	size_t len = unhex("0604 0e 57617274756e6720c3bc20e4bf9d", body, sizeof(body));

	assert_true(decode_notify(body, len, &n, buf));
	assert_true(n.has_shutdown_msg);
	assert_int_equal(rbuf_left(&n.shutdown_msg), 14);
}

/* RFC 4271 s6.1: shorter than 21 -> Bad Message Length, Length field */
static void test_notify_short(void **state)
{
	(void)state;
	uint8_t m[20];
	struct rbuf b;
	struct bgp_notify n;
	struct bgp_verdict v;

	memset(m, 0xff, 16);
	m[16] = 0;
	m[17] = 20;
	m[18] = BGP_MSG_NOTIFICATION;
	m[19] = 6;
	rbuf_init(&b, m, sizeof(m));
	assert_true(rbuf_skip(&b, 19));
	bgp_verdict_init(&v);
	assert_false(bgp_notify_decode(&b, &n, &v));
	assert_int_equal(v.err, BGP_E_NOTIFY_LENGTH);
	assert_int_equal(v.code, 1);
	assert_int_equal(v.subcode, 2);
	assert_int_equal(v.data_off, 16);
	assert_int_equal(v.data_len, 2);
}

/* RFC 4271 s4.5 layout, RFC 9003 s2 data */
static void test_notify_encode(void **state)
{
	(void)state;
	uint8_t want[64], buf[64], out[64];
	size_t n = unhex(MARKER "001b 03 06 02 05 68656c6c6f", want, sizeof(want));
	struct wbuf w;
	struct rbuf b;
	struct bgp_notify nt;
	struct bgp_verdict v;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_notify_encode(&w, 6, 2, "\x05hello", 6);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(buf, want, n);
	/* and back */
	split(buf, n, BGP_MSG_NOTIFICATION, &b, &v);
	assert_true(bgp_notify_decode(&b, &nt, &v));
	assert_true(nt.has_shutdown_msg);
	assert_memory_equal(rbuf_ptr(&nt.shutdown_msg), "hello", 5);
	/* no data */
	n = unhex(MARKER "0015 03 04 00", want, sizeof(want));
	wbuf_init(&w, out, sizeof(out));
	bgp_notify_encode(&w, 4, 0, NULL, 0);
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(out, want, n);
}

static void test_notify_json(void **state)
{
	(void)state;
	uint8_t body[32], buf[64];
	struct bgp_notify n;
	size_t len = unhex("0602 05 68656c6c6f", body, sizeof(body));

	assert_true(decode_notify(body, len, &n, buf));
	assert_json(bgp_notify_to_json(&n),
		    "{\"code\":6,\"subcode\":2,\"code_name\":\"cease\","
		    "\"subcode_name\":\"administrative-shutdown\",\"data\":\"0568656c6c6f\","
		    "\"shutdown_message\":\"hello\"}");
	len = unhex("0302 0006 0102", body, sizeof(body));
	assert_true(decode_notify(body, len, &n, buf));
	assert_json(bgp_notify_to_json(&n),
		    "{\"code\":3,\"subcode\":2,\"code_name\":\"update-message-error\","
		    "\"subcode_name\":\"unrecognized-well-known-attribute\","
		    "\"data\":\"00060102\"}");
	/* codes we have no name for, no data */
	len = unhex("0901", body, sizeof(body));
	assert_true(decode_notify(body, len, &n, buf));
	assert_json(bgp_notify_to_json(&n), "{\"code\":9,\"subcode\":1}");
	len = unhex("0401", body, sizeof(body));
	assert_true(decode_notify(body, len, &n, buf));
	assert_json(bgp_notify_to_json(&n),
		    "{\"code\":4,\"subcode\":1,\"code_name\":\"hold-timer-expired\"}");
}

/* ---- ROUTE-REFRESH ---- */

static void test_refresh_decode(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		uint16_t afi;
		uint8_t subtype, safi;
		const char *json;
	} cases[] = {
	    /* RFC 2918 s3 */
	    {"0001 00 80", 1, 0, 128, "{\"family\":\"ipv4-vpn\",\"subtype\":\"normal\"}"},
	    /* RFC 7313 s3: BoRR, EoRR */
	    {"0002 01 80", 2, 1, 128, "{\"family\":\"ipv6-vpn\",\"subtype\":\"begin\"}"},
	    {"0001 02 84", 1, 2, 132, "{\"family\":\"rtc\",\"subtype\":\"end\"}"},
	    /* RFC 7313 s5: other subtypes are for the caller to ignore */
	    {"0019 03 46", 25, 3, 70, "{\"afi\":25,\"safi\":70,\"subtype\":\"unknown\"}"},
	    /* a normal request with trailing (ORF, RFC 5291) octets */
	    {"0001 00 01 01 40 0005 00", 1, 0, 1,
	     "{\"family\":\"ipv4-unicast\",\"subtype\":\"normal\"}"},
	};
	uint8_t body[32], buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = unhex(cases[i].body, body, sizeof(body));
		struct bgp_refresh r;
		struct bgp_verdict v;
		struct rbuf b;

		split(buf, mkmsg(BGP_MSG_ROUTE_REFRESH, body, n, buf), BGP_MSG_ROUTE_REFRESH, &b,
		      &v);
		assert_true(bgp_refresh_decode(&b, &r, &v));
		assert_int_equal(v.action, BGP_ACT_OK);
		assert_int_equal(r.afi, cases[i].afi);
		assert_int_equal(r.subtype, cases[i].subtype);
		assert_int_equal(r.safi, cases[i].safi);
		assert_json(bgp_refresh_to_json(&r), cases[i].json);
	}
}

/* RFC 7313 s5: BoRR/EoRR not 4 octets -> 7/1 with the whole message */
static void test_refresh_bad_length(void **state)
{
	(void)state;
	uint8_t body[8] = {0x00, 0x01, 0x01, 0x80, 0xaa}, buf[64], data[64];
	struct bgp_refresh r;
	struct bgp_verdict v;
	struct rbuf b, msg;
	size_t n;

	for (uint8_t st = 1; st <= 2; st++) {
		body[2] = st;
		n = mkmsg(BGP_MSG_ROUTE_REFRESH, body, 5, buf);
		split(buf, n, BGP_MSG_ROUTE_REFRESH, &b, &v);
		assert_false(bgp_refresh_decode(&b, &r, &v));
		assert_int_equal(v.err, BGP_E_REFRESH_LENGTH);
		assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
		assert_int_equal(v.code, 7);
		assert_int_equal(v.subcode, 1);
		rbuf_init(&msg, buf, n);
		assert_int_equal(bgp_msg_notify_data(&v, &msg, data, sizeof(data)), n);
		assert_memory_equal(data, buf, n);
	}
	/* a short body, when called without the header check */
	n = mkmsg(BGP_MSG_ROUTE_REFRESH, body, 3, buf);
	rbuf_init(&b, buf, n);
	assert_true(rbuf_skip(&b, 19));
	bgp_verdict_init(&v);
	assert_false(bgp_refresh_decode(&b, &r, &v));
	assert_int_equal(v.code, 7);
	assert_int_equal(v.subcode, 1);
	assert_int_equal(v.data_off, 0);
	assert_int_equal(v.data_len, 22);
}

/* RFC 2918 s3 / RFC 7313 s3 layout */
static void test_refresh_encode(void **state)
{
	(void)state;
	uint8_t want[32], buf[32];
	size_t n = unhex(MARKER "0017 05 0002 01 80", want, sizeof(want));
	struct bgp_refresh r = {.afi = 2, .subtype = BGP_RR_BORR, .safi = 128};
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_refresh_encode(&w, &r);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(buf, want, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_code_names),
	    cmocka_unit_test(test_subcode_names),
	    cmocka_unit_test(test_notify_shutdown_message),
	    cmocka_unit_test(test_notify_shutdown_invalid),
	    cmocka_unit_test(test_notify_short),
	    cmocka_unit_test(test_notify_encode),
	    cmocka_unit_test(test_notify_json),
	    cmocka_unit_test(test_refresh_decode),
	    cmocka_unit_test(test_refresh_bad_length),
	    cmocka_unit_test(test_refresh_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
