/*
 * Unit tests for wire/flowspec: FlowSpec components (RFC 8955 s4, RFC 8956
 * s3).  Expected bytes come from the RFCs' worked examples (RFC 8955 s4.3.1-2,
 * RFC 8956 s3.8.1-2) or are built by hand from the operator layouts of RFC 8955
 * s4.2.1.1 / s4.2.1.2, cited at each test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/bgp.h"
#include "wire/flowspec.h"
#include "wire/verdict.h"

#define V4 BGP_AFI_IPV4
#define V6 BGP_AFI_IPV6

/* The bytes validate, format to `text`, and `text` encodes back to the
 * same bytes. */
static void roundtrip(const uint8_t *b, size_t n, uint8_t afi, const char *text)
{
	struct rbuf r;
	struct bgp_verdict v;
	char buf[1024], err[128];
	uint8_t out[512];
	struct wbuf w;

	rbuf_init(&r, b, n);
	bgp_verdict_init(&v);
	assert_true(flowspec_validate(&r, afi, &v));
	assert_int_equal(v.err, BGP_E_NONE);
	assert_string_equal(flowspec_fmt(&r, afi, buf, sizeof(buf)), text);

	wbuf_init(&w, out, sizeof(out));
	assert_int_equal(flowspec_parse(text, afi, &w, err, sizeof(err)), 0);
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(out, b, n);
}

/* The bytes are refused for `why` at message offset `off`, and validate
 * raises BGP_E_FLOWSPEC_NLRI over the whole component list. */
static void refused(const uint8_t *b, size_t n, uint8_t afi, const char *why, size_t off)
{
	struct rbuf r;
	struct bgp_verdict v;
	size_t at = 999;
	const char *got;

	rbuf_init(&r, b, n);
	got = flowspec_check(&r, afi, &at);
	assert_non_null(got);
	assert_string_equal(got, why);
	assert_int_equal(at, off);

	bgp_verdict_init(&v);
	assert_false(flowspec_validate(&r, afi, &v));
	assert_int_equal(v.err, BGP_E_FLOWSPEC_NLRI);
	assert_int_equal(v.data_off, 0);
	assert_int_equal(v.data_len, n);
}

static void parse_fails(const char *text, uint8_t afi, const char *why)
{
	uint8_t out[64];
	char err[128];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	wbuf_u8(&w, 0xee); /* something written before must survive */
	assert_int_equal(flowspec_parse(text, afi, &w, err, sizeof(err)), -1);
	assert_int_equal(wbuf_len(&w), 1);
	assert_non_null(strstr(err, why));
}

static void json_is(const uint8_t *b, size_t n, uint8_t afi, const char *want)
{
	struct rbuf r;
	struct json_object *j;

	rbuf_init(&r, b, n);
	j = flowspec_to_json(&r, afi);
	assert_string_equal(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE),
			    want);
	json_object_put(j);
}

/* RFC 8955 s4.3.1 (without the NLRI length 0x0b):
 * destination 192.0.2.0/24, IP protocol == 6, port == 25. */
static const uint8_t rfc8955_ex1[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x03,
				      0x81, 0x06, 0x04, 0x81, 0x19};
/* RFC 8955 s4.3.2 (length 0x12): destination 192.0.2.0/24,
 * source 203.0.113.0/24, port >= 137 AND <= 139 OR == 8080. */
static const uint8_t rfc8955_ex2[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x02, 0x18, 0xcb, 0x00,
				      0x71, 0x04, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90};

static void test_rfc8955_examples(void **state)
{
	(void)state;
	roundtrip(rfc8955_ex1, sizeof(rfc8955_ex1), V4,
		  "destination 192.0.2.0/24 protocol =6 port =25");
	roundtrip(rfc8955_ex2, sizeof(rfc8955_ex2), V4,
		  "destination 192.0.2.0/24 source 203.0.113.0/24 port >=137&<=139,=8080");
}

/* RFC 8956 s3.8.1 (length 0x12): destination 2001:db8::/32
 * offset 0, source pattern 0x123456789a at offset 64, length 104, upper-layer
 * protocol == 6.  (The summary row of the RFC's table prints "0d bb"; its
 * octet-by-octet breakdown, and the prefix, give 0d b8.) */
static const uint8_t rfc8956_ex1[] = {0x01, 0x20, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x68,
				      0x40, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x03, 0x81, 0x06};
/* RFC 8956 s3.8.2 (length 0x0f): the same source at offset
 * 65: 39 pattern bits 24 68 ac f1 34, the last bit padding. */
static const uint8_t rfc8956_ex2[] = {0x01, 0x20, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x02,
				      0x68, 0x41, 0x24, 0x68, 0xac, 0xf1, 0x34};

static void test_rfc8956_examples(void **state)
{
	(void)state;
	roundtrip(rfc8956_ex1, sizeof(rfc8956_ex1), V6,
		  "destination 2001:db8::/32 source ::1234:5678:9a00:0/104 offset 64 protocol =6");
	roundtrip(rfc8956_ex2, sizeof(rfc8956_ex2), V6,
		  "destination 2001:db8::/32 source ::1234:5678:9a00:0/104 offset 65");
}

/* The header's example line.  Bytes by hand: destination-port as in the
 * RFC 8955 s4.3 port example; tcp-flags 0x81 = e | m (s4.2.1.2), value
 * syn|ack = 0x02|0x10 (s4.2.2.9); fragment 0x82 = e | not, value IsF = 0x02
 * (s4.2.2.12). */
static void test_bitmask_components(void **state)
{
	(void)state;
	static const uint8_t b[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x03, 0x81, 0x06,
				    0x05, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90,
				    0x09, 0x81, 0x12, 0x0c, 0x82, 0x02};
	roundtrip(b, sizeof(b), V4,
		  "destination 192.0.2.0/24 protocol =6 destination-port >=137&<=139,=8080 "
		  "tcp-flags =syn|ack fragment !is-fragment");

	/* not + match (0x83 | len 2 = 0x93) over a 2-octet mask: cwr and a bit
	 * of the header's reserved octet 13 (s4.2.2.9). */
	static const uint8_t two[] = {0x09, 0x13, 0x01, 0x80, 0xc0, 0x01};
	roundtrip(two, sizeof(two), V4, "tcp-flags !=cwr|0x100&fin");

	/* every fragment bit, m clear: "any" (s4.2.1.2) */
	static const uint8_t frag[] = {0x0c, 0x80, 0x0f};
	roundtrip(frag, sizeof(frag), V4,
		  "fragment dont-fragment|is-fragment|first-fragment|last-fragment");
}

static void test_numeric_operators(void **state)
{
	(void)state;
	/* RFC 8955 s4.2.1.1 table: 0x01 ==, 0x02 >, 0x04 <, 0x06 !=; the last
	 * with e and a: 0xc5 <= . */
	static const uint8_t b[] = {0x06, 0x01, 0x50, 0x02, 0x50, 0x04,
				    0x16, 0x46, 0x17, 0xd5, 0x04, 0x00};
	roundtrip(b, sizeof(b), V4, "source-port =80,>80,<22&!=23&<=1024");

	/* true (lt|gt|eq) and false (none), value ignored but kept */
	static const uint8_t tf[] = {0x04, 0x07, 0x00, 0x80, 0x05};
	roundtrip(tf, sizeof(tf), V4, "port true,false:5");

	/* RFC 8956 s3.7: flow label in 4 octets, 0xa1 = e | len 10 | eq */
	static const uint8_t fl[] = {0x0d, 0xa1, 0x00, 0x0f, 0xff, 0xff};
	roundtrip(fl, sizeof(fl), V6, "flow-label =1048575");

	/* DSCP 46, packet length 1500 in 2 octets (0x91), icmp type/code */
	static const uint8_t mix[] = {0x07, 0x81, 0x08, 0x08, 0x81, 0x00, 0x0a,
				      0x91, 0x05, 0xdc, 0x0b, 0x81, 0x2e};
	roundtrip(mix, sizeof(mix), V4, "icmp-type =8 icmp-code =0 packet-length =1500 dscp =46");
}

static void test_wider_values_accepted(void **state)
{
	(void)state;
	struct rbuf r;
	char buf[128];

	/* Port 80 in 4 octets: RFC 8955 s4.2.2.4 only says SHOULD 1 or 2. */
	static const uint8_t port4[] = {0x04, 0xa1, 0x00, 0x00, 0x00, 0x50};
	rbuf_init(&r, port4, sizeof(port4));
	assert_null(flowspec_check(&r, V4, &(size_t){0}));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "port =80");

	/* 8-octet value (len 11) */
	static const uint8_t pl8[] = {0x0a, 0xb1, 0, 0, 0, 0, 0, 0, 0x01, 0x00};
	rbuf_init(&r, pl8, sizeof(pl8));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "packet-length =256");
}

/* RFC 8955 s4.2.1.1 / s4.2.1.2: reserved bits "MUST be ignored during
 * decoding"; the first a-bit "MUST be treated as always unset". */
static void test_ignored_bits(void **state)
{
	(void)state;
	struct rbuf r;
	char buf[128];

	static const uint8_t num_rsv[] = {0x03, 0x89, 0x06}; /* bit 3 */
	static const uint8_t bm_rsv[] = {0x09, 0x8d, 0x02};  /* bits 3-2 */
	static const uint8_t first_and[] = {0x03, 0x41, 0x06, 0xc1, 0x11};
	static const uint8_t frag_rsv[] = {0x0c, 0x80, 0xf3}; /* s4.2.2.12 */

	rbuf_init(&r, num_rsv, sizeof(num_rsv));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "protocol =6");
	rbuf_init(&r, bm_rsv, sizeof(bm_rsv));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "tcp-flags =syn");
	rbuf_init(&r, first_and, sizeof(first_and));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "protocol =6&=17");
	json_is(first_and, sizeof(first_and), V4,
		"[{\"type\":\"protocol\",\"ops\":[{\"op\":\"==\",\"and\":false,\"value\":6},"
		"{\"op\":\"==\",\"and\":true,\"value\":17}]}]");
	rbuf_init(&r, frag_rsv, sizeof(frag_rsv));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)),
			    "fragment dont-fragment|is-fragment");
	/* RFC 8956 s3.6: DF is reserved for IPv6 */
	assert_string_equal(flowspec_fmt(&r, V6, buf, sizeof(buf)), "fragment is-fragment");
}

static void test_prefix_edges(void **state)
{
	(void)state;
	static const uint8_t any6[] = {0x01, 0x00, 0x00}; /* RFC 8956 s3.1: ::/0 */
	static const uint8_t any4[] = {0x02, 0x00};
	static const uint8_t host[] = {0x01, 0x20, 0xc6, 0x33, 0x64, 0x07};
	static const uint8_t odd[] = {0x01, 0x19, 0xcb, 0x00, 0x71, 0x80};

	roundtrip(any6, sizeof(any6), V6, "destination ::/0");
	roundtrip(any4, sizeof(any4), V4, "source 0.0.0.0/0");
	roundtrip(host, sizeof(host), V4, "destination 198.51.100.7/32");
	roundtrip(odd, sizeof(odd), V4, "destination 203.0.113.128/25");

	/* padding bits past the length are ignored (RFC 8956 s3.1) */
	static const uint8_t pad[] = {0x01, 0x19, 0xcb, 0x00, 0x71, 0xff};
	struct rbuf r;
	char buf[64];
	rbuf_init(&r, pad, sizeof(pad));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "destination 203.0.113.128/25");
}

static void test_refused(void **state)
{
	(void)state;
	/* RFC 8955 s4.2: strictly increasing types */
	static const uint8_t order[] = {0x03, 0x81, 0x06, 0x01, 0x18, 0xc0, 0x00, 0x02};
	static const uint8_t dup[] = {0x03, 0x81, 0x06, 0x03, 0x81, 0x11};
	refused(order, sizeof(order), V4, "component types out of order", 3);
	refused(dup, sizeof(dup), V4, "component type repeated", 3);

	/* unknown types: 0, 13 for IPv4 (RFC 8955 s4.2.2), 14 for IPv6 */
	static const uint8_t t0[] = {0x00, 0x81, 0x01};
	static const uint8_t t13[] = {0x03, 0x81, 0x06, 0x0d, 0x81, 0x01};
	static const uint8_t t14[] = {0x0e, 0x81, 0x01};
	refused(t0, sizeof(t0), V4, "unknown component type", 0);
	refused(t13, sizeof(t13), V4, "unknown component type", 3);
	refused(t14, sizeof(t14), V6, "unknown component type", 0);

	/* value lengths the RFC makes mandatory */
	static const uint8_t dscp2[] = {0x0b, 0x91, 0x00, 0x2e};   /* s4.2.2.11 */
	static const uint8_t frag2[] = {0x0c, 0x91, 0x00, 0x01};   /* s4.2.2.12 */
	static const uint8_t tcp4[] = {0x09, 0xa1, 0, 0, 0, 0x02}; /* s4.2.2.9 */
	refused(dscp2, sizeof(dscp2), V4, "operator value length not allowed for the type", 0);
	refused(frag2, sizeof(frag2), V6, "operator value length not allowed for the type", 0);
	refused(tcp4, sizeof(tcp4), V4, "operator value length not allowed for the type", 0);

	/* no e-bit before the end of the NLRI (s4.2.1) */
	static const uint8_t noend[] = {0x01, 0x18, 0xc0, 0x00, 0x02, 0x03, 0x01, 0x06};
	static const uint8_t short_val[] = {0x04, 0x91, 0x00};
	static const uint8_t no_ops[] = {0x05};
	refused(noend, sizeof(noend), V4, "operator list without end-of-list bit", 5);
	refused(short_val, sizeof(short_val), V4, "operator value runs past the end", 0);
	refused(no_ops, sizeof(no_ops), V4, "operator list without end-of-list bit", 0);

	/* prefixes: length within the family; IPv6 offset < length (RFC
	 * 8956 s3.1); prefix octets inside the NLRI */
	static const uint8_t p33[] = {0x01, 0x21, 0xc0, 0x00, 0x02, 0x00, 0x00};
	static const uint8_t p129[] = {0x01, 0x81, 0x00};
	static const uint8_t off_gt[] = {0x01, 0x20, 0x40};
	static const uint8_t off_eq[] = {0x02, 0x40, 0x40};
	static const uint8_t off_only[] = {0x01, 0x00, 0x08};
	static const uint8_t p_short[] = {0x01, 0x18, 0xc0, 0x00};
	static const uint8_t p_nolen[] = {0x01};
	refused(p33, sizeof(p33), V4, "prefix length over 32", 0);
	refused(p129, sizeof(p129), V6, "prefix length over 128", 0);
	refused(off_gt, sizeof(off_gt), V6, "prefix offset not below prefix length", 0);
	refused(off_eq, sizeof(off_eq), V6, "prefix offset not below prefix length", 0);
	refused(off_only, sizeof(off_only), V6, "prefix offset not below prefix length", 0);
	refused(p_short, sizeof(p_short), V4, "prefix runs past the end", 0);
	refused(p_nolen, sizeof(p_nolen), V4, "prefix length missing", 0);

	/* RFC 8955 s4.2: the NLRI value is <[component]+> */
	refused(NULL, 0, V4, "no components", 0);

	/* a family the module does not know */
	size_t off;
	struct rbuf r;
	rbuf_init(&r, rfc8955_ex1, sizeof(rfc8955_ex1));
	assert_non_null(flowspec_check(&r, 25, &off));
}

/* Offsets in the verdict are message-relative (rbuf.h), also from a view
 * that starts inside a message. */
static void test_verdict_offsets(void **state)
{
	(void)state;
	static const uint8_t msg[] = {0xff, 0xff, 0x03, 0x81, 0x06, 0x03, 0x81, 0x11};
	struct rbuf all, comps;
	struct bgp_verdict v;
	size_t off;

	rbuf_init(&all, msg, sizeof(msg));
	assert_true(rbuf_skip(&all, 2));
	rbuf_rest(&all, &comps);
	assert_string_equal(flowspec_check(&comps, V4, &off), "component type repeated");
	assert_int_equal(off, 5);
	bgp_verdict_init(&v);
	assert_false(flowspec_validate(&comps, V4, &v));
	assert_int_equal(v.data_off, 2);
	assert_int_equal(v.data_len, 6);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_fails("destination 192.0.2.0/24 bogus =1", V4, "unknown component");
	parse_fails("protocol =6 destination 192.0.2.0/24", V4, "out of order");
	parse_fails("protocol =6 protocol =17", V4, "out of order or repeated");
	parse_fails("flow-label =1", V4, "unknown component");
	parse_fails("destination 192.0.2.1/24", V4, "outside");
	parse_fails("destination 192.0.2.0/33", V4, "bad prefix");
	parse_fails("destination 192.0.2.0/24 offset 8", V4, "unknown component");
	parse_fails("destination 2001:db8::/32 offset 32", V6, "offset not below");
	parse_fails("source 2001:db8::/64 offset 8", V6, "outside");
	parse_fails("dscp =64", V4, "out of range");
	parse_fails("port =65536", V4, "out of range");
	parse_fails("fragment =dont-fragment", V6, "out of range");
	parse_fails("fragment =first", V4, "bad operator");
	parse_fails("port =80,", V4, "bad operator");
	parse_fails("port =>80", V4, "bad operator");
	parse_fails("tcp-flags =syn|", V4, "bad operator");
	parse_fails("port", V4, "missing value");
	parse_fails("  ", V4, "no components");

	/* too long for the writer: nothing left behind */
	uint8_t tiny[4];
	char err[64];
	struct wbuf w;
	wbuf_init(&w, tiny, sizeof(tiny));
	assert_int_equal(
	    flowspec_parse("destination 192.0.2.0/24 protocol =6", V4, &w, err, sizeof(err)), -1);
	assert_int_equal(wbuf_len(&w), 0);
	assert_true(wbuf_ok(&w));
}

/* Text the parser accepts that is not canonical. */
static void test_parse_aliases(void **state)
{
	(void)state;
	uint8_t out[32];
	char err[64];
	struct wbuf w;
	static const uint8_t want[] = {0x03, 0x01, 0x06, 0x81, 0x11, 0x0a, 0x92, 0x01, 0x00};

	wbuf_init(&w, out, sizeof(out));
	assert_int_equal(flowspec_parse("  next-header ==6,=0x11\tpacket-length >256 ", V6, &w, err,
					sizeof(err)),
			 0);
	assert_int_equal(wbuf_len(&w), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void test_json(void **state)
{
	(void)state;
	json_is(rfc8955_ex2, sizeof(rfc8955_ex2), V4,
		"[{\"type\":\"destination\",\"prefix\":\"192.0.2.0/24\"},"
		"{\"type\":\"source\",\"prefix\":\"203.0.113.0/24\"},"
		"{\"type\":\"port\",\"ops\":[{\"op\":\">=\",\"and\":false,\"value\":137},"
		"{\"op\":\"<=\",\"and\":true,\"value\":139},"
		"{\"op\":\"==\",\"and\":false,\"value\":8080}]}]");
	json_is(rfc8956_ex2, sizeof(rfc8956_ex2), V6,
		"[{\"type\":\"destination\",\"prefix\":\"2001:db8::/32\",\"offset\":0},"
		"{\"type\":\"source\",\"prefix\":\"::1234:5678:9a00:0/104\",\"offset\":65}]");

	/* bitmask op names, docs/decode-json.md: m -> match, not inverts */
	static const uint8_t bm[] = {0x09, 0x01, 0x02, 0x43, 0x04, 0x00, 0x08, 0xc2, 0x10};
	json_is(bm, sizeof(bm), V4,
		"[{\"type\":\"tcp-flags\",\"ops\":[{\"op\":\"match\",\"and\":false,\"value\":2},"
		"{\"op\":\"not-match\",\"and\":true,\"value\":4},"
		"{\"op\":\"any\",\"and\":false,\"value\":8},"
		"{\"op\":\"not-any\",\"and\":true,\"value\":16}]}]");

	/* a malformed list yields the components before the fault */
	static const uint8_t bad[] = {0x03, 0x81, 0x06, 0x03, 0x81, 0x11};
	json_is(bad, sizeof(bad), V4,
		"[{\"type\":\"protocol\",\"ops\":[{\"op\":\"==\",\"and\":false,\"value\":6}]}]");
}

static void test_fmt_bounded(void **state)
{
	(void)state;
	char buf[12];
	struct rbuf r;

	memset(buf, 'x', sizeof(buf));
	rbuf_init(&r, rfc8955_ex1, sizeof(rfc8955_ex1));
	assert_string_equal(flowspec_fmt(&r, V4, buf, sizeof(buf)), "destination");

	static const uint8_t bad[] = {0x03, 0x81, 0x06, 0x02, 0x18};
	char big[64];
	rbuf_init(&r, bad, sizeof(bad));
	assert_string_equal(flowspec_fmt(&r, V4, big, sizeof(big)), "protocol =6 <malformed>");
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(flowspec_type_name(FS_DST_PORT), "destination-port");
	assert_string_equal(flowspec_type_name(FS_FLOW_LABEL), "flow-label");
	assert_null(flowspec_type_name(0));
	assert_null(flowspec_type_name(14));
	assert_int_equal(flowspec_type_from_name("destination-port", V4), FS_DST_PORT);
	assert_int_equal(flowspec_type_from_name("next-header", V6), FS_PROTO);
	assert_int_equal(flowspec_type_from_name("next-header", V4), 0);
	assert_int_equal(flowspec_type_from_name("flow-label", V4), 0);
	assert_int_equal(flowspec_type_from_name("flow-label", V6), FS_FLOW_LABEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8955_examples),	  cmocka_unit_test(test_rfc8956_examples),
	    cmocka_unit_test(test_bitmask_components),	  cmocka_unit_test(test_numeric_operators),
	    cmocka_unit_test(test_wider_values_accepted), cmocka_unit_test(test_ignored_bits),
	    cmocka_unit_test(test_prefix_edges),	  cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_verdict_offsets),	  cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_aliases),	  cmocka_unit_test(test_json),
	    cmocka_unit_test(test_fmt_bounded),		  cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
