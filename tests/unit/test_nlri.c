/*
 * Unit tests for wire/nlri (and the NLRI JSON of wire/json_nlri).
 *
 * Every vector is written by hand from the RFC layout cited next to it.
 * The unicast and ADD-PATH vectors were also produced by scapy
 * (scapy.contrib.bgp BGPNLRI_IPv4 / BGPNLRI_IPv6 / *_AP); the labeled,
 * VPN, RTC (0 and 96 bits) and FlowSpec vectors were wrapped in an
 * MP_REACH/MP_UNREACH UPDATE and dissected by tshark, which showed the
 * same labels, RDs, prefixes, origin AS / target and components.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/hex.h"
#include "wire/flowspec.h"
#include "wire/json.h"
#include "wire/nlri.h"

struct vec {
	uint8_t b[4200];
	size_t len;
};

static void vec_hex(struct vec *v, const char *hex)
{
	long n = hex_decode(hex, v->b, sizeof(v->b));

	assert_true(n >= 0);
	v->len = (size_t)n;
}

/* Decode exactly one NLRI filling the whole vector. */
static void decode_one(struct vec *v, const char *hex, enum bgp_fam fam, bool addpath,
		       bool withdraw, struct bgp_nlri *n)
{
	struct rbuf r;
	struct bgp_verdict vd;

	vec_hex(v, hex);
	rbuf_init(&r, v->b, v->len);
	bgp_verdict_init(&vd);
	assert_true(bgp_nlri_decode(&r, fam, addpath, withdraw, n, &vd, BGP_E_MP_REACH_NLRI));
	assert_true(rbuf_empty(&r));
	assert_int_equal(vd.action, BGP_ACT_OK);
	assert_int_equal(n->fam, fam);
}

/* Encode n and compare with the hex text. */
static void expect_encoding(const struct bgp_nlri *n, bool addpath, bool withdraw, const char *hex)
{
	struct vec want;
	uint8_t out[4200];
	struct wbuf w;

	vec_hex(&want, hex);
	wbuf_init(&w, out, sizeof(out));
	bgp_nlri_encode(&w, n, addpath, withdraw);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), want.len);
	assert_memory_equal(out, want.b, want.len);
}

/* decode(hex) then encode: the same bytes. */
static void round_trip(const char *hex, enum bgp_fam fam, bool addpath, bool withdraw,
		       struct bgp_nlri *n, struct vec *v)
{
	decode_one(v, hex, fam, addpath, withdraw, n);
	expect_encoding(n, addpath, withdraw, hex);
}

/* The decode must fail at offset 0 with `err` in the verdict and the
 * cursor left at the start. */
static void expect_error(const char *hex, enum bgp_fam fam, bool addpath, bool withdraw,
			 enum bgp_err err_on_fail, enum bgp_err want)
{
	struct vec v;
	struct rbuf r;
	struct bgp_verdict vd;
	struct bgp_nlri n;

	vec_hex(&v, hex);
	rbuf_init(&r, v.b, v.len);
	bgp_verdict_init(&vd);
	assert_false(bgp_nlri_decode(&r, fam, addpath, withdraw, &n, &vd, err_on_fail));
	assert_int_equal(rbuf_off(&r), 0);
	assert_int_equal(vd.err, want);
	assert_int_equal(vd.data_off, 0);
}

static void expect_prefix(const struct bgp_nlri *n, uint8_t afi, uint8_t len, const char *hex)
{
	struct vec b;
	uint8_t want[16] = {0};

	vec_hex(&b, hex);
	memcpy(want, b.b, b.len);
	assert_int_equal(n->pfx.afi, afi);
	assert_int_equal(n->pfx.len, len);
	assert_memory_equal(n->pfx.b, want, sizeof(want));
}

static void expect_fmt(const struct bgp_nlri *n, const char *want)
{
	char buf[BGP_NLRI_STRLEN];

	assert_string_equal(bgp_nlri_fmt(n, buf, sizeof(buf)), want);
}

/* RFC 4271 s4.3: <length in bits, the fewest octets holding the prefix> */
static void test_ipv4_unicast(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	round_trip("18 c00002", BGP_FAM_IPV4_UNICAST, false, false, &n, &v);
	assert_false(n.has_path_id);
	expect_prefix(&n, AFI_IPV4, 24, "c0000200");
	expect_fmt(&n, "192.0.2.0/24");
	round_trip("19 c6336480", BGP_FAM_IPV4_UNICAST, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV4, 25, "c6336480");
	round_trip("00", BGP_FAM_IPV4_UNICAST, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV4, 0, "");
	round_trip("20 cb007101", BGP_FAM_IPV4_UNICAST, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV4, 32, "cb007101");
	expect_fmt(&n, "203.0.113.1/32");
}

/* RFC 4271 s4.3: "the value of trailing bits is irrelevant"; we clear
 * them, so the re-encoding is the canonical form. */
static void test_ipv4_trailing_bits_cleared(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	decode_one(&v, "17 c00003", BGP_FAM_IPV4_UNICAST, false, false, &n);
	expect_prefix(&n, AFI_IPV4, 23, "c00002");
	expect_encoding(&n, false, false, "17 c00002");
}

/* A field of several NLRI is a loop until the view is empty. */
static void test_field_loop(void **state)
{
	(void)state;
	struct vec v;
	struct rbuf r;
	struct bgp_verdict vd;
	struct bgp_nlri n;
	const uint8_t lens[] = {24, 25, 0};

	vec_hex(&v, "18c00002 19c6336480 00");
	rbuf_init(&r, v.b, v.len);
	bgp_verdict_init(&vd);
	for (size_t i = 0; i < sizeof(lens); i++) {
		assert_true(bgp_nlri_decode(&r, BGP_FAM_IPV4_UNICAST, false, false, &n, &vd,
					    BGP_E_UPD_NLRI));
		assert_int_equal(n.pfx.len, lens[i]);
	}
	assert_true(rbuf_empty(&r));
}

static void test_ipv6_unicast(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	round_trip("20 20010db8", BGP_FAM_IPV6_UNICAST, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV6, 32, "20010db8");
	expect_fmt(&n, "2001:db8::/32");
	round_trip("30 20010db80001", BGP_FAM_IPV6_UNICAST, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV6, 48, "20010db80001");
	expect_fmt(&n, "2001:db8:1::/48");
}

/* RFC 7911 s3: a 4-octet path identifier precedes each NLRI. */
static void test_addpath(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	round_trip("00000001 18 c00002", BGP_FAM_IPV4_UNICAST, true, false, &n, &v);
	assert_true(n.has_path_id);
	assert_int_equal(n.path_id, 1);
	expect_prefix(&n, AFI_IPV4, 24, "c00002");
	round_trip("01020304 30 20010db80001", BGP_FAM_IPV6_UNICAST, true, false, &n, &v);
	assert_int_equal(n.path_id, 0x01020304);
	/* the same NLRI without ADD-PATH carries no identifier */
	expect_encoding(&n, false, false, "30 20010db80001");
	/* VPN with a path id: the id comes before the length octet */
	round_trip("0000000a 70 000641 0000fde800000001 c00002", BGP_FAM_VPNV4, true, false, &n,
		   &v);
	assert_int_equal(n.path_id, 10);
	/* a path id too short to read */
	expect_error("000000", BGP_FAM_IPV4_UNICAST, true, false, BGP_E_UPD_NLRI, BGP_E_UPD_NLRI);
}

/* RFC 8277 s2.2: length = 24 bits per label entry + prefix bits; entries
 * until the S bit.  Label 100, S=1: 0x000641. */
static void test_labeled_unicast(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	round_trip("30 000641 c00002", BGP_FAM_IPV4_LU, false, false, &n, &v);
	assert_int_equal(n.labels.n, 1);
	assert_int_equal(label_value(n.labels.e[0]), 100);
	assert_true(label_bos(n.labels.e[0]));
	expect_prefix(&n, AFI_IPV4, 24, "c00002");
	expect_fmt(&n, "192.0.2.0/24");
	/* two labels, 100 then 200 (S on the last) */
	round_trip("48 000640 000c81 c00002", BGP_FAM_IPV4_LU, false, false, &n, &v);
	assert_int_equal(n.labels.n, 2);
	assert_int_equal(label_value(n.labels.e[0]), 100);
	assert_false(label_bos(n.labels.e[0]));
	assert_int_equal(label_value(n.labels.e[1]), 200);
	assert_true(label_bos(n.labels.e[1]));
	/* IPv6: label 100 + 2001:db8:1::/48 = 72 bits */
	round_trip("48 000641 20010db80001", BGP_FAM_IPV6_LU, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV6, 48, "20010db80001");
}

/* RFC 8277 s2.4: a withdrawal carries one 3-octet compatibility field,
 * 0x800000 (or 0x000000 from RFC 3107 speakers), whatever its S bit. */
static void test_labeled_withdraw(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;

	round_trip("30 800000 c00002", BGP_FAM_IPV4_LU, false, true, &n, &v);
	assert_int_equal(n.labels.n, 1);
	assert_int_equal(n.labels.e[0], 0x800000);
	expect_prefix(&n, AFI_IPV4, 24, "c00002");
	round_trip("30 000000 c00002", BGP_FAM_IPV4_LU, false, true, &n, &v);
	assert_int_equal(n.labels.n, 1);
	assert_int_equal(n.labels.e[0], 0);
	/* without labels, a withdrawal is written with 0x800000 */
	n.labels.n = 0;
	expect_encoding(&n, false, true, "30 800000 c00002");
	/* read as an advertisement, 0x800000 has no S bit: the "stack" runs
	 * into the prefix and past the length */
	expect_error("30 800000 c00002", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* VPN withdrawals carry the same single field */
	round_trip("70 800000 0001c00002010007 c00002", BGP_FAM_VPNV4, false, true, &n, &v);
	assert_int_equal(n.labels.n, 1);
	expect_fmt(&n, "192.0.2.1:7:192.0.2.0/24");
}

/* RFC 4364 s4.3.4 / RFC 4659 s3.2: labels, 8-octet RD, prefix; the length
 * counts all three (24 + 64 + 24 = 112 for one label and a /24). */
static void test_vpn(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;
	const uint8_t rd[8] = {0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01};

	round_trip("70 000641 0000fde800000001 c00002", BGP_FAM_VPNV4, false, false, &n, &v);
	assert_int_equal(n.labels.n, 1);
	assert_int_equal(label_value(n.labels.e[0]), 100);
	assert_memory_equal(n.rd.b, rd, 8);
	expect_prefix(&n, AFI_IPV4, 24, "c00002");
	expect_fmt(&n, "65000:1:192.0.2.0/24");
	/* IPv6: 24 + 64 + 48 = 136 */
	round_trip("88 000641 0000fde800000001 20010db80001", BGP_FAM_VPNV6, false, false, &n, &v);
	assert_memory_equal(n.rd.b, rd, 8);
	expect_prefix(&n, AFI_IPV6, 48, "20010db80001");
	expect_fmt(&n, "65000:1:2001:db8:1::/48");
	/* labels + RD exactly, prefix /0 */
	round_trip("58 000641 0000fde800000001", BGP_FAM_VPNV4, false, false, &n, &v);
	expect_prefix(&n, AFI_IPV4, 0, "");
}

/* RFC 4684 s4: origin AS (4) + route target (8) as a 0..96-bit prefix;
 * origin AS 65000, target:65001:100 = 0002 fde9 00000064. */
static void test_rtc(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;
	const uint8_t rt[8] = {0x00, 0x02, 0xfd, 0xe9, 0x00, 0x00, 0x00, 0x64};
	const uint8_t rt16[8] = {0x00, 0x02, 0xfd, 0xe9, 0, 0, 0, 0};
	const uint8_t zero[8] = {0};

	round_trip("60 0000fde8 0002fde900000064", BGP_FAM_RTC, false, false, &n, &v);
	assert_int_equal(n.rtc_len, 96);
	assert_int_equal(n.rtc_origin_as, 65000);
	assert_memory_equal(n.rtc_rt.b, rt, 8);
	expect_fmt(&n, "65000:target:65001:100");
	/* the zero-length default (RFC 4684 s4 "default route target") */
	round_trip("00", BGP_FAM_RTC, false, false, &n, &v);
	assert_int_equal(n.rtc_len, 0);
	expect_fmt(&n, "default");
	/* 64 bits: origin AS, type, sub-type and the target's 2-octet AS */
	round_trip("40 0000fde8 0002fde9", BGP_FAM_RTC, false, false, &n, &v);
	assert_int_equal(n.rtc_len, 64);
	assert_memory_equal(n.rtc_rt.b, rt16, 8);
	expect_fmt(&n, "65000:target:65001:0/64");
	/* 32 bits: the origin AS alone */
	round_trip("20 0000fde8", BGP_FAM_RTC, false, false, &n, &v);
	assert_int_equal(n.rtc_origin_as, 65000);
	assert_memory_equal(n.rtc_rt.b, zero, 8);
	/* bits past the length are cleared (RFC 4271 s4.3 prefix rules) */
	decode_one(&v, "21 0000fde8 ff", BGP_FAM_RTC, false, false, &n);
	assert_int_equal(n.rtc_rt.b[0], 0x80);
	expect_encoding(&n, false, false, "21 0000fde8 80");
}

/* RFC 8955 s4.2.2 example layout, with 192.0.2.0/24 for 10.0.1/24:
 * destination 192.0.2.0/24, protocol =6, port =25. */
#define FLOW_COMPS "0118c00002 038106 048119"

static void test_flowspec(void **state)
{
	(void)state;
	struct vec v, comps;
	struct bgp_nlri n;
	const uint8_t rd[8] = {0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01};

	vec_hex(&comps, FLOW_COMPS);
	round_trip("0b" FLOW_COMPS, BGP_FAM_FLOW4, false, false, &n, &v);
	assert_int_equal(rbuf_left(&n.flow), 11);
	assert_memory_equal(rbuf_ptr(&n.flow), comps.b, 11);
	/* the text form of flowspec.h */
	expect_fmt(&n, "destination 192.0.2.0/24 protocol =6 port =25");
	/* RFC 8955 s8: the length covers the RD too (8 + 11 = 19) */
	round_trip("13 0000fde800000001" FLOW_COMPS, BGP_FAM_VPNFLOW4, false, false, &n, &v);
	assert_memory_equal(n.rd.b, rd, 8);
	assert_int_equal(rbuf_left(&n.flow), 11);
	assert_memory_equal(rbuf_ptr(&n.flow), comps.b, 11);
	expect_fmt(&n, "65000:1 destination 192.0.2.0/24 protocol =6 port =25");
	/* RFC 8956 s3.1: IPv6 destination 2001:db8::/32, offset 0 */
	round_trip("0d 01200020010db8 038106 048119", BGP_FAM_FLOW6, false, false, &n, &v);
	assert_int_equal(rbuf_left(&n.flow), 13);
	/* with ADD-PATH */
	round_trip("00000002 0b" FLOW_COMPS, BGP_FAM_FLOW4, true, false, &n, &v);
	assert_int_equal(n.path_id, 2);
}

/* RFC 8955 s4: 240 octets and more take 2 octets, 0xf000 | length.  A
 * port component with 120 "=25" operators: 1 + 119 * 2 + 2 = 241. */
static void test_flowspec_extended_length(void **state)
{
	(void)state;
	static char hex[2 * 250 + 8];
	struct vec v;
	struct bgp_nlri n;
	size_t o = 0;

	o += (size_t)snprintf(hex + o, sizeof(hex) - o, "f0f104");
	for (int i = 0; i < 119; i++)
		o += (size_t)snprintf(hex + o, sizeof(hex) - o, "0119");
	snprintf(hex + o, sizeof(hex) - o, "8119");
	round_trip(hex, BGP_FAM_FLOW4, false, false, &n, &v);
	assert_int_equal(rbuf_left(&n.flow), 241);
	/* a 2-octet length below 240 is accepted; we re-encode the short form */
	decode_one(&v, "f00b" FLOW_COMPS, BGP_FAM_FLOW4, false, false, &n);
	assert_int_equal(rbuf_left(&n.flow), 11);
	expect_encoding(&n, false, false, "0b" FLOW_COMPS);
}

static void test_err_prefix_too_long(void **state)
{
	(void)state;
	/* RFC 4271 s4.3 / RFC 7606 s5.3: 33 bits of IPv4 */
	expect_error("21 c000020100", BGP_FAM_IPV4_UNICAST, false, false, BGP_E_UPD_NLRI,
		     BGP_E_UPD_NLRI);
	/* 129 bits of IPv6 */
	expect_error("81 20010db8000000000000000000000000 00", BGP_FAM_IPV6_UNICAST, false, false,
		     BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
	/* labeled: 24 + 33 */
	expect_error("39 000641 c000020100", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* VPN: 24 + 64 + 33 */
	expect_error("79 000641 0000fde800000001 c000020100", BGP_FAM_VPNV4, false, false,
		     BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
}

static void test_err_truncated_prefix(void **state)
{
	(void)state;
	expect_error("18 c000", BGP_FAM_IPV4_UNICAST, false, false, BGP_E_UPD_NLRI, BGP_E_UPD_NLRI);
	expect_error("30 20010db8", BGP_FAM_IPV6_UNICAST, false, false, BGP_E_MP_UNREACH_NLRI,
		     BGP_E_MP_UNREACH_NLRI);
	expect_error("30 000641 c000", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	expect_error("", BGP_FAM_IPV4_UNICAST, false, false, BGP_E_UPD_NLRI, BGP_E_UPD_NLRI);
}

/* RFC 8277 s2: the label entries must end with S inside the length. */
static void test_err_truncated_label_stack(void **state)
{
	(void)state;
	/* label 100 without S, length 24: no room for the next entry */
	expect_error("18 000640", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* the length covers 2 entries but the bytes stop after 1 */
	expect_error("30 000640", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* length 0: not even one entry */
	expect_error("00", BGP_FAM_IPV4_LU, false, false, BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
	/* a withdrawal needs its compatibility field */
	expect_error("10 c000", BGP_FAM_IPV4_LU, false, true, BGP_E_MP_UNREACH_NLRI,
		     BGP_E_MP_UNREACH_NLRI);
	/* nine entries without S: more than LABEL_STACK_MAX (9 * 24 = 216) */
	expect_error("d8 000640000640000640 000640000640000640 000640000640000641", BGP_FAM_IPV4_LU,
		     false, false, BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
	/* VPN: 112 bits of entries without S, the fifth does not fit */
	expect_error("70 000640 000640 000640 000640 0000", BGP_FAM_VPNV4, false, false,
		     BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
}

/* RFC 4364 s4.3.4: the length must cover labels + RD. */
static void test_err_vpn_short(void **state)
{
	(void)state;
	/* 87 bits: label (24) + 63 */
	expect_error("57 000641 0000fde800000001", BGP_FAM_VPNV4, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* the label alone */
	expect_error("18 000641", BGP_FAM_VPNV6, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* the length is right but the RD is cut short */
	expect_error("58 000641 0000fde8", BGP_FAM_VPNV4, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
}

/* RFC 4684 s4: 0, or 32..96 bits (the origin AS is never partial). */
static void test_err_rtc_length(void **state)
{
	(void)state;
	char hex[64];

	for (int len = 1; len <= 31; len++) {
		snprintf(hex, sizeof(hex), "%02x 0000fde8", len);
		expect_error(hex, BGP_FAM_RTC, false, false, BGP_E_MP_REACH_NLRI,
			     BGP_E_MP_REACH_NLRI);
	}
	expect_error("61 0000fde8 0002fde900000064 00", BGP_FAM_RTC, false, false,
		     BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
	expect_error("ff 0000fde8 0002fde900000064 00", BGP_FAM_RTC, false, false,
		     BGP_E_MP_UNREACH_NLRI, BGP_E_MP_UNREACH_NLRI);
	/* 96 bits announced, 8 octets present */
	expect_error("60 0000fde8 0002fde9", BGP_FAM_RTC, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
}

/* RFC 8955 s4: the length must fit the field; s8: it must hold the RD. */
static void test_err_flowspec_length(void **state)
{
	(void)state;
	expect_error("0c" FLOW_COMPS, BGP_FAM_FLOW4, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	expect_error("f100" FLOW_COMPS, BGP_FAM_FLOW4, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	expect_error("f0", BGP_FAM_FLOW4, false, false, BGP_E_MP_REACH_NLRI, BGP_E_MP_REACH_NLRI);
	expect_error("05 0000fde800", BGP_FAM_VPNFLOW4, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_MP_REACH_NLRI);
	/* RFC 8955 s4.2 <[component]+>: an empty list is malformed */
	expect_error("00", BGP_FAM_FLOW4, false, false, BGP_E_MP_REACH_NLRI, BGP_E_FLOWSPEC_NLRI);
	expect_error("08 0000fde800000001", BGP_FAM_VPNFLOW6, false, false, BGP_E_MP_REACH_NLRI,
		     BGP_E_FLOWSPEC_NLRI);
}

/* RFC 8955 s4.2: components out of order.  The verdict carries flowspec's
 * own error id (and its offsets: the component list), not the caller's. */
static void test_err_flowspec_components(void **state)
{
	(void)state;
	struct vec v;
	struct rbuf r;
	struct bgp_verdict vd;
	struct bgp_nlri n;

	vec_hex(&v, "0b 038106 0118c00002 048119");
	rbuf_init(&r, v.b, v.len);
	bgp_verdict_init(&vd);
	assert_false(
	    bgp_nlri_decode(&r, BGP_FAM_FLOW4, false, false, &n, &vd, BGP_E_MP_REACH_NLRI));
	assert_int_equal(rbuf_off(&r), 0);
	assert_int_equal(vd.err, BGP_E_FLOWSPEC_NLRI);
	assert_int_equal(vd.data_off, 1);
	assert_int_equal(vd.data_len, 11);
}

/* Every proper truncation of a valid NLRI fails and leaves the cursor at
 * the start: each family's value is inside its length. */
static void test_err_every_truncation(void **state)
{
	(void)state;
	static const struct {
		enum bgp_fam fam;
		bool addpath, withdraw;
		const char *hex;
	} vs[] = {
	    {BGP_FAM_IPV4_UNICAST, true, false, "00000001 19 c6336480"},
	    {BGP_FAM_IPV6_UNICAST, false, false, "30 20010db80001"},
	    {BGP_FAM_IPV4_LU, false, false, "48 000640 000c81 c00002"},
	    {BGP_FAM_IPV6_LU, false, true, "48 800000 20010db80001"},
	    {BGP_FAM_VPNV4, false, false, "70 000641 0000fde800000001 c00002"},
	    {BGP_FAM_VPNV6, true, false, "00000001 88 000641 0000fde800000001 20010db80001"},
	    {BGP_FAM_RTC, false, false, "60 0000fde8 0002fde900000064"},
	    {BGP_FAM_FLOW4, false, false, "0b" FLOW_COMPS},
	    {BGP_FAM_VPNFLOW4, false, false, "13 0000fde800000001" FLOW_COMPS},
	    {BGP_FAM_FLOW6, false, false, "0d 01200020010db8 038106 048119"},
	};

	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		struct vec v;
		struct bgp_nlri n;

		vec_hex(&v, vs[i].hex);
		for (size_t len = 0; len < v.len; len++) {
			struct rbuf r;
			struct bgp_verdict vd;

			rbuf_init(&r, v.b, len);
			bgp_verdict_init(&vd);
			assert_false(bgp_nlri_decode(&r, vs[i].fam, vs[i].addpath, vs[i].withdraw,
						     &n, &vd, BGP_E_MP_REACH_NLRI));
			assert_int_equal(rbuf_off(&r), 0);
			assert_int_equal(vd.err, BGP_E_MP_REACH_NLRI);
		}
	}
}

/* The verdict points at the bad NLRI, not at the field's start. */
static void test_err_offset(void **state)
{
	(void)state;
	struct vec v;
	struct rbuf r;
	struct bgp_verdict vd;
	struct bgp_nlri n;

	vec_hex(&v, "18c00002 21c000020100");
	rbuf_init(&r, v.b, v.len);
	bgp_verdict_init(&vd);
	assert_true(
	    bgp_nlri_decode(&r, BGP_FAM_IPV4_UNICAST, false, false, &n, &vd, BGP_E_UPD_NLRI));
	assert_false(
	    bgp_nlri_decode(&r, BGP_FAM_IPV4_UNICAST, false, false, &n, &vd, BGP_E_UPD_NLRI));
	assert_int_equal(rbuf_off(&r), 4);
	assert_int_equal(vd.err, BGP_E_UPD_NLRI);
	assert_int_equal(vd.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(vd.attr_type, 0);
	assert_int_equal(vd.data_off, 4);
	assert_int_equal(vd.data_len, 6);

	/* inside MP_REACH_NLRI the offending attribute is 14 */
	vec_hex(&v, "00 21");
	rbuf_init(&r, v.b, v.len);
	bgp_verdict_init(&vd);
	assert_true(
	    bgp_nlri_decode(&r, BGP_FAM_IPV4_UNICAST, false, false, &n, &vd, BGP_E_MP_REACH_NLRI));
	assert_false(
	    bgp_nlri_decode(&r, BGP_FAM_IPV4_UNICAST, false, false, &n, &vd, BGP_E_MP_REACH_NLRI));
	assert_int_equal(vd.attr_type, BGP_ATTR_MP_REACH_NLRI);
	assert_int_equal(vd.data_off, 1);
}

/* The RIB key: labels do not count, everything else does. */
static void test_cmp(void **state)
{
	(void)state;
	struct vec va, vb;
	struct bgp_nlri a, b;

	decode_one(&va, "70 000641 0000fde800000001 c00002", BGP_FAM_VPNV4, false, false, &a);
	decode_one(&vb, "70 000c81 0000fde800000001 c00002", BGP_FAM_VPNV4, false, false, &b);
	assert_int_equal(bgp_nlri_cmp(&a, &b), 0);
	/* a withdrawal with 0x800000 matches the advertisement */
	decode_one(&vb, "70 800000 0000fde800000001 c00002", BGP_FAM_VPNV4, false, true, &b);
	assert_int_equal(bgp_nlri_cmp(&a, &b), 0);
	/* another RD */
	decode_one(&vb, "70 000641 0000fde800000002 c00002", BGP_FAM_VPNV4, false, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) < 0);
	assert_true(bgp_nlri_cmp(&b, &a) > 0);
	/* another prefix length */
	decode_one(&vb, "71 000641 0000fde800000001 c0000200", BGP_FAM_VPNV4, false, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) != 0);
	/* another path id */
	decode_one(&va, "00000001 18c00002", BGP_FAM_IPV4_UNICAST, true, false, &a);
	decode_one(&vb, "00000002 18c00002", BGP_FAM_IPV4_UNICAST, true, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) < 0);
	/* another family, same prefix */
	decode_one(&va, "18c00002", BGP_FAM_IPV4_UNICAST, false, false, &a);
	decode_one(&vb, "30 000641 c00002", BGP_FAM_IPV4_LU, false, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) != 0);
	/* RTC: the length counts */
	decode_one(&va, "40 0000fde8 0002fde9", BGP_FAM_RTC, false, false, &a);
	decode_one(&vb, "60 0000fde8 0002fde900000000", BGP_FAM_RTC, false, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) != 0);
	/* FlowSpec: the component bytes, from separate buffers */
	decode_one(&va, "0b" FLOW_COMPS, BGP_FAM_FLOW4, false, false, &a);
	decode_one(&vb, "0b" FLOW_COMPS, BGP_FAM_FLOW4, false, false, &b);
	assert_int_equal(bgp_nlri_cmp(&a, &b), 0);
	decode_one(&vb, "0b 0118c00002 038106 04811a", BGP_FAM_FLOW4, false, false, &b);
	assert_true(bgp_nlri_cmp(&a, &b) != 0);
}

/* Encoding writes canonical bytes: host bits zero, and reports an NLRI
 * that does not fit the buffer or one length octet. */
static void test_encode_limits(void **state)
{
	(void)state;
	struct bgp_nlri n;
	uint8_t out[4];
	struct wbuf w;

	memset(&n, 0, sizeof(n));
	n.fam = BGP_FAM_IPV4_UNICAST;
	n.pfx.afi = AFI_IPV4;
	n.pfx.len = 23;
	n.pfx.b[0] = 0xc0;
	n.pfx.b[2] = 0x03; /* a host bit */
	expect_encoding(&n, false, false, "17 c00002");
	wbuf_init(&w, out, 3);
	bgp_nlri_encode(&w, &n, false, false);
	assert_false(wbuf_ok(&w));
	/* IPv6 VPN with 3 labels: 72 + 64 + 128 = 264 bits */
	n.fam = BGP_FAM_VPNV6;
	n.pfx.afi = AFI_IPV6;
	n.pfx.len = 128;
	n.labels.n = 3;
	wbuf_init(&w, out, sizeof(out));
	bgp_nlri_encode(&w, &n, false, false);
	assert_false(wbuf_ok(&w));
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

/* docs/decode-json.md, "NLRI" table. */
static void test_json(void **state)
{
	(void)state;
	struct vec v;
	struct bgp_nlri n;
	struct json_object *o, *a;

	decode_one(&v, "00000007 70 000641 0000fde800000001 c00002", BGP_FAM_VPNV4, true, false,
		   &n);
	o = bgp_nlri_to_json(&n);
	assert_int_equal(json_object_get_int64(get(o, "path_id")), 7);
	assert_string_equal(json_object_get_string(get(o, "prefix")), "192.0.2.0/24");
	assert_string_equal(json_object_get_string(get(o, "rd")), "65000:1");
	a = get(o, "labels");
	assert_int_equal(json_object_array_length(a), 1);
	assert_int_equal(json_object_get_int64(json_object_array_get_idx(a, 0)), 100);
	assert_false(json_object_object_get_ex(o, "flowspec", NULL));
	json_object_put(o);

	decode_one(&v, "18c00002", BGP_FAM_IPV4_UNICAST, false, false, &n);
	o = bgp_nlri_to_json(&n);
	assert_false(json_object_object_get_ex(o, "path_id", NULL));
	assert_false(json_object_object_get_ex(o, "labels", NULL));
	assert_false(json_object_object_get_ex(o, "rd", NULL));
	assert_string_equal(json_object_get_string(get(o, "prefix")), "192.0.2.0/24");
	json_object_put(o);

	decode_one(&v, "60 0000fde8 0002fde900000064", BGP_FAM_RTC, false, false, &n);
	o = bgp_nlri_to_json(&n);
	assert_int_equal(json_object_get_int64(get(o, "origin_as")), 65000);
	assert_string_equal(json_object_get_string(get(o, "route_target")), "target:65001:100");
	assert_int_equal(json_object_get_int64(get(o, "length")), 96);
	assert_false(json_object_object_get_ex(o, "default", NULL));
	json_object_put(o);

	decode_one(&v, "00", BGP_FAM_RTC, false, false, &n);
	o = bgp_nlri_to_json(&n);
	assert_true(json_object_get_boolean(get(o, "default")));
	assert_int_equal(json_object_get_int64(get(o, "length")), 0);
	assert_false(json_object_object_get_ex(o, "origin_as", NULL));
	json_object_put(o);

	decode_one(&v, "13 0000fde800000001" FLOW_COMPS, BGP_FAM_VPNFLOW4, false, false, &n);
	o = bgp_nlri_to_json(&n);
	assert_string_equal(json_object_get_string(get(o, "rd")), "65000:1");
	assert_string_equal(json_object_get_string(get(o, "flowspec")),
			    "destination 192.0.2.0/24 protocol =6 port =25");
	a = get(o, "components");
	assert_int_equal(json_object_array_length(a), 3);
	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(a, 0), "type")),
			    "destination");
	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(a, 2), "type")),
			    "port");
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4_unicast),
	    cmocka_unit_test(test_ipv4_trailing_bits_cleared),
	    cmocka_unit_test(test_field_loop),
	    cmocka_unit_test(test_ipv6_unicast),
	    cmocka_unit_test(test_addpath),
	    cmocka_unit_test(test_labeled_unicast),
	    cmocka_unit_test(test_labeled_withdraw),
	    cmocka_unit_test(test_vpn),
	    cmocka_unit_test(test_rtc),
	    cmocka_unit_test(test_flowspec),
	    cmocka_unit_test(test_flowspec_extended_length),
	    cmocka_unit_test(test_err_prefix_too_long),
	    cmocka_unit_test(test_err_truncated_prefix),
	    cmocka_unit_test(test_err_truncated_label_stack),
	    cmocka_unit_test(test_err_vpn_short),
	    cmocka_unit_test(test_err_rtc_length),
	    cmocka_unit_test(test_err_flowspec_length),
	    cmocka_unit_test(test_err_flowspec_components),
	    cmocka_unit_test(test_err_every_truncation),
	    cmocka_unit_test(test_err_offset),
	    cmocka_unit_test(test_cmp),
	    cmocka_unit_test(test_encode_limits),
	    cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
