/*
 * Unit tests for OPEN and capabilities (wire/open.c, wire/json_msg.c).
 *
 * Vectors are assembled by hand from the layouts of RFC 4271 s4.2,
 * RFC 5492 s4, RFC 4760 s8, RFC 6793 s3, RFC 7911 s4, RFC 4724 s3 and
 * RFC 9072 s2, and were checked with tshark's BGP dissector (it shows the
 * fields listed in each comment).  KNOWN_OPEN was produced by scapy's
 * BGP layer (scapy.contrib.bgp), an independent encoder.  Error codes are
 * those of RFC 4271 s6.2, RFC 7607 s2 and RFC 5492.
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
#include "wire/json.h"
#include "wire/msg.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

/*
 * A GoBGP-style OPEN (one capability per parameter): My AS 23456
 * (AS_TRANS), hold 180, id 192.0.2.1; MP ipv4-vpn (1/128) and ipv6-vpn
 * (2/128), route refresh (2) and its old code (128), 4-octet AS
 * 4200000000, ADD-PATH ipv4-vpn both (3) / ipv6-vpn receive (1), graceful
 * restart R=1 time 120 with ipv4-vpn F=1 and ipv6-vpn F=0, enhanced route
 * refresh (70), FQDN (73, "r1") which we do not decode.
 */
#define GOBGP_LIKE                                                                                 \
	MARKER "0063 01 04 5ba0 00b4 c0000201 46"                                                  \
	       "0206 0104 00010080"                                                                \
	       "0206 0104 00020080"                                                                \
	       "0202 0200"                                                                         \
	       "0202 8000"                                                                         \
	       "0206 4104 fa56ea00"                                                                \
	       "020a 4508 00018003 00028001"                                                       \
	       "020c 400a 8078 00018080 00028000"                                                  \
	       "0202 4600"                                                                         \
	       "0206 4904 02723100"

/* The same capabilities BIRD-style: all in one Capabilities parameter. */
#define BIRD_LIKE                                                                                  \
	MARKER "0053 01 04 5ba0 00b4 c0000201 36 0234"                                             \
	       "0104 00010080 0104 00020080 0200 8000 4104 fa56ea00"                               \
	       "4508 00018003 00028001 400a 8078 00018080 00028000 4600 4904 02723100"

/* scapy: BGPHeader(type=1)/BGPOpen(version=4, my_as=65001, hold_time=90,
 * bgp_id="198.51.100.1", opt_params=[one BGPOptParam per capability: MP
 * 1/1, MP 1/128, generic 2, generic 70, generic 6, FourBytesASN 65001,
 * generic 69 "00010103", GracefulRestart(restart_flags=0x4 (N),
 * restart_time=120, [1/1 flags 0x80])]) */
#define KNOWN_OPEN                                                                                 \
	"ffffffffffffffffffffffffffffffff00530104fde9005ac633640136020601040001000102060104"       \
	"00010080020202000202460002020600020641040000fde9020645040001010302084006407800010180"

/* RFC 9072 s2: Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt.
 * Parm. Length 18, then parameters with 2-octet lengths: MP 1/1 and AS4
 * 65001. */
#define EXT_OPEN                                                                                   \
	MARKER "0032 01 04 fde9 00b4 c6336401 ff ff 0012"                                          \
	       "02 0006 0104 00010001"                                                             \
	       "02 0006 4104 0000fde9"

static uint8_t g_buf[8192];

static size_t unhex(const char *s, uint8_t *buf, size_t cap)
{
	long n = hex_decode(s, buf, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/* Split and decode a whole OPEN; returns what bgp_open_decode returned. */
static bool decode_msg(const uint8_t *m, size_t n, struct bgp_open *o, struct bgp_verdict *v)
{
	struct rbuf s, msg, body;
	uint8_t type;

	rbuf_init(&s, m, n);
	bgp_verdict_init(v);
	assert_int_equal(bgp_hdr_split(&s, BGP_MAX_LEN, &type, &msg, &body, v), 1);
	assert_int_equal(type, BGP_MSG_OPEN);
	return bgp_open_decode(&body, o, v);
}

static bool decode_hex(const char *hex, struct bgp_open *o, struct bgp_verdict *v)
{
	size_t n = unhex(hex, g_buf, sizeof(g_buf));

	return decode_msg(g_buf, n, o, v);
}

/* Build an OPEN around a body given in hex (header length computed). */
static size_t mkopen(const char *body_hex, uint8_t *buf, size_t cap)
{
	size_t n = unhex(body_hex, buf + 19, cap - 19) + 19;

	memset(buf, 0xff, 16);
	buf[16] = (uint8_t)(n >> 8);
	buf[17] = (uint8_t)n;
	buf[18] = BGP_MSG_OPEN;
	return n;
}

#define FAM(f) bgp_fam_bit(BGP_FAM_##f)

static void check_gobgp_like(const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	uint8_t fqdn[4] = {0x02, 'r', '1', 0x00};

	assert_int_equal(o->version, 4);
	assert_int_equal(o->my_as, BGP_AS_TRANS);
	assert_int_equal(o->hold_time, 180);
	assert_int_equal(o->bgp_id, 0xc0000201);
	assert_false(o->ext_opt_params);
	assert_int_equal(c->mp, FAM(VPNV4) | FAM(VPNV6));
	assert_int_equal(c->n_mp_other, 0);
	assert_true(c->route_refresh);
	assert_true(c->enhanced_rr);
	assert_true(c->as4);
	assert_int_equal(c->as4_asn, 4200000000u);
	assert_int_equal(bgp_open_asn(o), 4200000000u);
	assert_false(c->ext_msg);
	assert_int_equal(c->addpath_rx, FAM(VPNV4) | FAM(VPNV6));
	assert_int_equal(c->addpath_tx, FAM(VPNV4));
	assert_true(c->gr);
	assert_true(c->gr_restarting);
	assert_false(c->gr_notification);
	assert_int_equal(c->gr_time, 120);
	assert_int_equal(c->gr_fams, FAM(VPNV4) | FAM(VPNV6));
	assert_int_equal(c->gr_fwd, FAM(VPNV4));
	assert_int_equal(c->n_unknown, 1);
	assert_int_equal(c->unknown[0].code, 73);
	assert_int_equal(rbuf_left(&c->unknown[0].val), 4);
	assert_memory_equal(rbuf_ptr(&c->unknown[0].val), fqdn, 4);
}

static void test_decode_gobgp_like(void **state)
{
	(void)state;
	struct bgp_open o;
	struct bgp_verdict v;

	assert_true(decode_hex(GOBGP_LIKE, &o, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	check_gobgp_like(&o);
}

static void test_decode_bird_like(void **state)
{
	(void)state;
	struct bgp_open o;
	struct bgp_verdict v;

	assert_true(decode_hex(BIRD_LIKE, &o, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	check_gobgp_like(&o);
}

/* Capabilities come back in the order received, across parameters. */
static void test_cap_iter_order(void **state)
{
	(void)state;
	static const uint8_t want[] = {1, 1, 2, 128, 65, 69, 64, 70, 73};
	struct bgp_open o;
	struct bgp_verdict v;
	struct bgp_cap_iter it;
	struct rbuf val;
	uint8_t code;
	size_t i = 0;

	assert_true(decode_hex(GOBGP_LIKE, &o, &v));
	bgp_cap_iter_init(&it, &o);
	while (bgp_cap_iter_next(&it, &code, &val)) {
		assert_true(i < sizeof(want));
		assert_int_equal(code, want[i]);
		i++;
	}
	assert_int_equal(i, sizeof(want));
	assert_false(bgp_cap_iter_next(&it, &code, &val));
}

static void known_struct(struct bgp_open *o)
{
	*o = (struct bgp_open){0};
	o->version = 4;
	o->my_as = 65001;
	o->hold_time = 90;
	o->bgp_id = 0xc6336401; /* 198.51.100.1 */
	o->caps.mp = FAM(IPV4_UNICAST) | FAM(VPNV4);
	o->caps.route_refresh = true;
	o->caps.enhanced_rr = true;
	o->caps.ext_msg = true;
	o->caps.as4 = true;
	o->caps.as4_asn = 65001;
	o->caps.addpath_rx = FAM(IPV4_UNICAST);
	o->caps.addpath_tx = FAM(IPV4_UNICAST);
	o->caps.gr = true;
	o->caps.gr_notification = true;
	o->caps.gr_time = 120;
	o->caps.gr_fams = FAM(IPV4_UNICAST);
	o->caps.gr_fwd = FAM(IPV4_UNICAST);
}

static void test_encode_known_open(void **state)
{
	(void)state;
	uint8_t want[256], buf[256];
	size_t n = unhex(KNOWN_OPEN, want, sizeof(want));
	struct bgp_open o;
	struct wbuf w;

	known_struct(&o);
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), n);
	assert_memory_equal(buf, want, n);
	/* too small a buffer is reported, not overrun */
	wbuf_init(&w, buf, n - 1);
	bgp_open_encode(&w, &o);
	assert_false(wbuf_ok(&w));
}

static void assert_caps_equal(const struct bgp_caps *a, const struct bgp_caps *b)
{
	assert_int_equal(a->mp, b->mp);
	assert_int_equal(a->n_mp_other, b->n_mp_other);
	assert_int_equal(a->route_refresh, b->route_refresh);
	assert_int_equal(a->enhanced_rr, b->enhanced_rr);
	assert_int_equal(a->as4, b->as4);
	assert_int_equal(a->as4_asn, b->as4_asn);
	assert_int_equal(a->ext_msg, b->ext_msg);
	assert_int_equal(a->addpath_rx, b->addpath_rx);
	assert_int_equal(a->addpath_tx, b->addpath_tx);
	assert_int_equal(a->gr, b->gr);
	assert_int_equal(a->gr_restarting, b->gr_restarting);
	assert_int_equal(a->gr_notification, b->gr_notification);
	assert_int_equal(a->gr_time, b->gr_time);
	assert_int_equal(a->gr_fams, b->gr_fams);
	assert_int_equal(a->gr_fwd, b->gr_fwd);
	assert_int_equal(a->n_unknown, b->n_unknown);
	for (int i = 0; i < a->n_unknown; i++) {
		assert_int_equal(a->unknown[i].code, b->unknown[i].code);
		assert_true(rbuf_equal(&a->unknown[i].val, &b->unknown[i].val));
	}
}

static void test_roundtrip(void **state)
{
	(void)state;
	static const struct {
		const char *hex;
		bool canonical; /* one capability per parameter, our order */
	} vecs[] = {
	    {GOBGP_LIKE, false},
	    {BIRD_LIKE, false},
	    {KNOWN_OPEN, true},
	    {EXT_OPEN, true},
	};
	uint8_t in[512], out[512];

	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		size_t n = unhex(vecs[i].hex, in, sizeof(in));
		struct bgp_open a, b;
		struct bgp_verdict v;
		struct wbuf w;

		assert_true(decode_msg(in, n, &a, &v));
		wbuf_init(&w, out, sizeof(out));
		bgp_open_encode(&w, &a);
		assert_true(wbuf_ok(&w));
		assert_true(decode_msg(out, wbuf_len(&w), &b, &v));
		assert_int_equal(a.my_as, b.my_as);
		assert_int_equal(a.hold_time, b.hold_time);
		assert_int_equal(a.bgp_id, b.bgp_id);
		assert_int_equal(a.ext_opt_params, b.ext_opt_params);
		assert_caps_equal(&a.caps, &b.caps);
		if (vecs[i].canonical) {
			assert_int_equal(wbuf_len(&w), n);
			assert_memory_equal(out, in, n);
		}
	}
}

/* RFC 6793 s3: a 4-octet AS is sent as AS_TRANS in My Autonomous System */
static void test_encode_as_trans(void **state)
{
	(void)state;
	struct bgp_open o = {.version = 4, .my_as = 1234, .hold_time = 90, .bgp_id = 1};
	uint8_t buf[128];
	struct wbuf w;

	o.caps.as4 = true;
	o.caps.as4_asn = 4200000001u;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_true(wbuf_ok(&w));
	assert_int_equal(buf[20], 0x5b); /* 23456 */
	assert_int_equal(buf[21], 0xa0);
	/* a 2-octet AS stays as given */
	o.caps.as4_asn = 65001;
	o.my_as = 65001;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_int_equal(buf[20], 0xfd);
	assert_int_equal(buf[21], 0xe9);
}

static void test_decode_ext_opt_params(void **state)
{
	(void)state;
	struct bgp_open o;
	struct bgp_verdict v;

	assert_true(decode_hex(EXT_OPEN, &o, &v));
	assert_true(o.ext_opt_params);
	assert_int_equal(o.caps.mp, FAM(IPV4_UNICAST));
	assert_true(o.caps.as4);
	assert_int_equal(o.caps.as4_asn, 65001);
	assert_int_equal(bgp_open_asn(&o), 65001);
}

/* RFC 9072 s2: the extended layout MUST be used above 255 octets. */
static void test_encode_ext_when_needed(void **state)
{
	(void)state;
	struct bgp_open o = {.version = 4, .my_as = 65001, .hold_time = 90, .bgp_id = 1};
	struct bgp_open d;
	struct bgp_verdict v;
	uint8_t val[8][100], buf[2048];
	struct wbuf w;

	for (int i = 0; i < 8; i++) {
		memset(val[i], 0x10 + i, sizeof(val[i]));
		o.caps.unknown[i].code = (uint8_t)(200 + i);
		rbuf_init(&o.caps.unknown[i].val, val[i], sizeof(val[i]));
	}
	o.caps.n_unknown = 3; /* 3 * (2 + 2 + 100) = 312 > 255 */
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_true(wbuf_ok(&w));
	assert_int_equal(buf[28], 255); /* Non-Ext OP Len */
	assert_int_equal(buf[29], 255); /* Non-Ext OP Type */
	/* Extended Opt. Parm. Length: 3 * (1 + 2 + 2 + 100) */
	assert_int_equal(buf[30] << 8 | buf[31], 315);
	assert_int_equal(wbuf_len(&w), 29 + 3 + 315);
	assert_true(decode_msg(buf, wbuf_len(&w), &d, &v));
	assert_true(d.ext_opt_params);
	assert_caps_equal(&o.caps, &d.caps);
	/* two fit the classic layout: 2 * 104 = 208 */
	o.caps.n_unknown = 2;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_int_equal(buf[28], 208);
	assert_int_equal(buf[29], 2);
	assert_true(decode_msg(buf, wbuf_len(&w), &d, &v));
	assert_false(d.ext_opt_params);
	/* ... unless forced */
	o.ext_opt_params = true;
	wbuf_init(&w, buf, sizeof(buf));
	bgp_open_encode(&w, &o);
	assert_int_equal(buf[29], 255);
	assert_true(decode_msg(buf, wbuf_len(&w), &d, &v));
	assert_true(d.ext_opt_params);
	assert_caps_equal(&o.caps, &d.caps);
}

/* No parameters at all, hold time 0 and 3 are fine (RFC 4271 s4.2). */
static void test_decode_minimal(void **state)
{
	(void)state;
	uint8_t m[64];
	struct bgp_open o;
	struct bgp_verdict v;

	assert_true(decode_msg(m, mkopen("04 fde9 0000 c6336401 00", m, sizeof(m)), &o, &v));
	assert_int_equal(o.hold_time, 0);
	assert_false(o.caps.as4);
	assert_int_equal(bgp_open_asn(&o), 65001);
	assert_true(decode_msg(m, mkopen("04 fde9 0003 c6336401 00", m, sizeof(m)), &o, &v));
	assert_int_equal(o.hold_time, 3);
}

/* An unknown MP family is kept as numbers; an unknown ADD-PATH value
 * (RFC 7911 s4 defines 1-3) sets nothing. */
static void test_decode_other_families(void **state)
{
	(void)state;
	uint8_t m[64];
	struct bgp_open o;
	struct bgp_verdict v;

	/* MP L2VPN/EVPN 25/70; ADD-PATH 1/1 value 4 and 1/128 value 2 */
	size_t n = mkopen("04 fde9 00b4 c6336401 14 0206 0104 00190046"
			  "020a 4508 00010104 00018002",
			  m, sizeof(m));

	assert_true(decode_msg(m, n, &o, &v));
	assert_int_equal(o.caps.mp, 0);
	assert_int_equal(o.caps.n_mp_other, 1);
	assert_int_equal(o.caps.mp_other[0].afi, 25);
	assert_int_equal(o.caps.mp_other[0].safi, 70);
	assert_int_equal(o.caps.addpath_rx, 0);
	assert_int_equal(o.caps.addpath_tx, FAM(VPNV4));
}

struct err_case {
	const char *body;
	enum bgp_err err;
	uint8_t code, subcode;
	const char *data; /* NOTIFICATION data, hex */
};

static void test_open_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
	    /* RFC 4271 s6.2: version; data = largest supported, 2 octets */
	    {"03 fde9 00b4 c6336401 00", BGP_E_OPEN_VERSION, 2, 1, "0004"},
	    {"05 fde9 00b4 c6336401 00", BGP_E_OPEN_VERSION, 2, 1, "0004"},
	    /* RFC 7607 s2: AS 0, in My AS or the AS4 capability */
	    {"04 0000 00b4 c6336401 00", BGP_E_OPEN_PEER_AS, 2, 2, "0000"},
	    {"04 5ba0 00b4 c6336401 08 0206 4104 00000000", BGP_E_OPEN_PEER_AS, 2, 2,
	     "410400000000"},
	    /* RFC 4271 s6.2: hold time 1 or 2 */
	    {"04 fde9 0001 c6336401 00", BGP_E_OPEN_HOLD_TIME, 2, 6, "0001"},
	    {"04 fde9 0002 c6336401 00", BGP_E_OPEN_HOLD_TIME, 2, 6, "0002"},
	    /* RFC 4271 s6.2 / RFC 6286: identifier 0 */
	    {"04 fde9 00b4 00000000 00", BGP_E_OPEN_BGP_ID, 2, 3, "00000000"},
	    /* RFC 4271 s6.2: parameter type 1 is not supported */
	    {"04 fde9 00b4 c6336401 04 0102 abcd", BGP_E_OPEN_OPT_PARAM_UNSUPPORTED, 2, 4,
	     "0102abcd"},
	    /* Optional Parameters Length disagrees with the message */
	    {"04 fde9 00b4 c6336401 05 0202 0200", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0, "05"},
	    {"04 fde9 00b4 c6336401 04 0202 0200 ff", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0, "04"},
	    /* a parameter's length runs past the field */
	    {"04 fde9 00b4 c6336401 04 0205 0200", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0, "02050200"},
	    /* RFC 5492 s4: capability length runs past the parameter */
	    {"04 fde9 00b4 c6336401 04 0202 4104", BGP_E_OPEN_CAP_MALFORMED, 2, 0, "4104"},
	    /* capability value lengths: MP 4 (RFC 4760 s8), AS4 4 (RFC 6793
	     * s3), ADD-PATH 4n (RFC 7911 s4), GR 2+4n (RFC 4724 s3), route
	     * refresh 0 (RFC 2918 s2), enhanced 0 (RFC 7313 s3), extended
	     * message 0 (RFC 8654 s3) */
	    {"04 fde9 00b4 c6336401 07 0205 0103 000101", BGP_E_OPEN_CAP_MALFORMED, 2, 0,
	     "0103000101"},
	    {"04 fde9 00b4 c6336401 06 0204 4102 fde9", BGP_E_OPEN_CAP_MALFORMED, 2, 0, "4102fde9"},
	    {"04 fde9 00b4 c6336401 09 0207 4505 0001010300", BGP_E_OPEN_CAP_MALFORMED, 2, 0,
	     "45050001010300"},
	    {"04 fde9 00b4 c6336401 07 0205 4003 007800", BGP_E_OPEN_CAP_MALFORMED, 2, 0,
	     "4003007800"},
	    {"04 fde9 00b4 c6336401 05 0203 0201 00", BGP_E_OPEN_CAP_MALFORMED, 2, 0, "020100"},
	    {"04 fde9 00b4 c6336401 05 0203 4601 00", BGP_E_OPEN_CAP_MALFORMED, 2, 0, "460100"},
	    {"04 fde9 00b4 c6336401 05 0203 0601 00", BGP_E_OPEN_CAP_MALFORMED, 2, 0, "060100"},
	    /* RFC 9072 s2: extended length disagrees with the message, and
	     * a parameter running past it */
	    {"04 fde9 00b4 c6336401 ff ff 0010 02 0002 0200", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0,
	     "0010"},
	    {"04 fde9 00b4 c6336401 ff ff 0005 02 0003 0200", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0,
	     "0200030200"},
	    {"04 fde9 00b4 c6336401 ff ff 00", BGP_E_OPEN_OPT_PARAM_LEN, 2, 0, "00"},
	};
	uint8_t m[128], want[32], data[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = mkopen(cases[i].body, m, sizeof(m));
		size_t wn = unhex(cases[i].data, want, sizeof(want));
		struct bgp_open o;
		struct bgp_verdict v;
		struct rbuf msg;

		print_message("case %zu: %s\n", i, cases[i].body);
		assert_false(decode_msg(m, n, &o, &v));
		assert_int_equal(v.err, cases[i].err);
		assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
		assert_int_equal(v.code, cases[i].code);
		assert_int_equal(v.subcode, cases[i].subcode);
		rbuf_init(&msg, m, n);
		assert_int_equal(bgp_msg_notify_data(&v, &msg, data, sizeof(data)), wn);
		assert_memory_equal(data, want, wn);
	}
}

/* Called without the header check, a short body is a length error
 * (RFC 4271 s6.1 Bad Message Length). */
static void test_open_short_body(void **state)
{
	(void)state;
	uint8_t m[64];
	size_t n = mkopen("04 fde9 00b4 c6336401", m, sizeof(m));
	struct rbuf body;
	struct bgp_open o;
	struct bgp_verdict v;

	rbuf_init(&body, m, n);
	assert_true(rbuf_skip(&body, 19));
	bgp_verdict_init(&v);
	assert_false(bgp_open_decode(&body, &o, &v));
	assert_int_equal(v.err, BGP_E_OPEN_LENGTH);
	assert_int_equal(v.code, 1);
	assert_int_equal(v.subcode, 2);
	rbuf_init(&body, m, 19 + 3);
	assert_true(rbuf_skip(&body, 19));
	bgp_verdict_init(&v);
	assert_false(bgp_open_decode(&body, &o, &v));
	assert_int_equal(v.err, BGP_E_OPEN_LENGTH);
}

static void test_negotiate(void **state)
{
	(void)state;
	struct bgp_caps l = {0}, r = {0};
	struct bgp_sess_params p;

	l.mp = FAM(IPV4_UNICAST) | FAM(VPNV4) | FAM(VPNV6);
	r.mp = FAM(VPNV4) | FAM(RTC) | FAM(VPNV6);
	l.as4 = r.as4 = true;
	l.ext_msg = true;
	/* RFC 7911 s4: we can receive in vpnv4 and vpnv6, send in vpnv4 */
	l.addpath_rx = FAM(VPNV4) | FAM(VPNV6);
	l.addpath_tx = FAM(VPNV4);
	/* the peer will send in vpnv4, receive in vpnv4, and both in rtc */
	r.addpath_tx = FAM(VPNV4) | FAM(RTC);
	r.addpath_rx = FAM(VPNV4) | FAM(RTC);
	bgp_caps_negotiate(&l, &r, true, &p);
	assert_int_equal(p.fams, FAM(VPNV4) | FAM(VPNV6));
	assert_true(p.as4);
	assert_false(p.ext_msg);
	assert_true(p.ibgp);
	assert_int_equal(p.addpath_rx, FAM(VPNV4));
	assert_int_equal(p.addpath_tx, FAM(VPNV4));
	assert_true(bgp_sess_addpath_rx(&p, BGP_FAM_VPNV4));
	assert_false(bgp_sess_addpath_rx(&p, BGP_FAM_VPNV6));
	/* the peer only receives: we send, never receive path ids */
	r.addpath_tx = 0;
	r.ext_msg = true;
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_int_equal(p.addpath_rx, 0);
	assert_int_equal(p.addpath_tx, FAM(VPNV4));
	assert_true(p.ext_msg);
	assert_false(p.ibgp);
	/* RFC 4724 s3: graceful restart only when both sides sent it */
	assert_false(p.gr);
	r.gr = true;
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_false(p.gr);
	l.gr = true;
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_true(p.gr);
	l.gr = false;
	/* a peer with no MP capability speaks IPv4 unicast only */
	r = (struct bgp_caps){0};
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_int_equal(p.fams, FAM(IPV4_UNICAST));
	assert_false(p.as4);
	l.mp = FAM(VPNV4);
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_int_equal(p.fams, 0);
	/* MP only for a family we do not speak: nothing in common */
	r.n_mp_other = 1;
	r.mp_other[0].afi = 25;
	r.mp_other[0].safi = 70;
	l.mp = FAM(IPV4_UNICAST);
	bgp_caps_negotiate(&l, &r, false, &p);
	assert_int_equal(p.fams, 0);
}

static void assert_json(struct json_object *j, const char *want)
{
	const char *got = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);

	if (strcmp(got, want) != 0)
		print_error("got  %s\nwant %s\n", got, want);
	assert_string_equal(got, want);
	json_object_put(j);
}

/* docs/decode-json.md, OPEN table; values from the vector's comment. */
static void test_open_json(void **state)
{
	(void)state;
	struct bgp_open o;
	struct bgp_verdict v;

	assert_true(decode_hex(GOBGP_LIKE, &o, &v));
	assert_json(bgp_open_to_json(&o),
		    "{\"version\":4,\"my_as\":23456,\"asn\":4200000000,\"hold_time\":180,"
		    "\"bgp_id\":\"192.0.2.1\",\"capabilities\":["
		    "{\"code\":1,\"name\":\"multiprotocol\",\"family\":\"ipv4-vpn\"},"
		    "{\"code\":1,\"name\":\"multiprotocol\",\"family\":\"ipv6-vpn\"},"
		    "{\"code\":2,\"name\":\"route-refresh\"},"
		    "{\"code\":128,\"name\":\"route-refresh-old\"},"
		    "{\"code\":65,\"name\":\"as4\",\"asn\":4200000000},"
		    "{\"code\":69,\"name\":\"add-path\",\"families\":["
		    "{\"family\":\"ipv4-vpn\",\"send\":true,\"receive\":true},"
		    "{\"family\":\"ipv6-vpn\",\"send\":false,\"receive\":true}]},"
		    "{\"code\":64,\"name\":\"graceful-restart\",\"restart_time\":120,"
		    "\"restarting\":true,\"notification\":false,\"families\":["
		    "{\"family\":\"ipv4-vpn\",\"forwarding\":true},"
		    "{\"family\":\"ipv6-vpn\",\"forwarding\":false}]},"
		    "{\"code\":70,\"name\":\"enhanced-route-refresh\"},"
		    "{\"code\":73,\"name\":\"unknown\",\"hex\":\"02723100\"}]}");
	assert_true(decode_hex(EXT_OPEN, &o, &v));
	assert_json(bgp_open_to_json(&o),
		    "{\"version\":4,\"my_as\":65001,\"asn\":65001,\"hold_time\":180,"
		    "\"bgp_id\":\"198.51.100.1\",\"extended_parameters\":true,\"capabilities\":["
		    "{\"code\":1,\"name\":\"multiprotocol\",\"family\":\"ipv4-unicast\"},"
		    "{\"code\":65,\"name\":\"as4\",\"asn\":65001}]}");
}

/* Families we do not speak as afi/safi; extended next hop as hex
 * (RFC 8950: NLRI AFI 1, NLRI SAFI 1, next hop AFI 2). */
static void test_open_json_other(void **state)
{
	(void)state;
	uint8_t m[64];
	struct bgp_open o;
	struct bgp_verdict v;

	size_t n = mkopen("04 fde9 00b4 c6336401 16 0206 0104 00190046"
			  "0208 0506 000100010002 0202 0600",
			  m, sizeof(m));

	assert_true(decode_msg(m, n, &o, &v));
	assert_int_equal(o.caps.n_unknown, 1);
	assert_int_equal(o.caps.unknown[0].code, BGP_CAP_EXT_NEXTHOP);
	assert_true(o.caps.ext_msg);
	assert_json(bgp_open_to_json(&o),
		    "{\"version\":4,\"my_as\":65001,\"asn\":65001,\"hold_time\":180,"
		    "\"bgp_id\":\"198.51.100.1\",\"capabilities\":["
		    "{\"code\":1,\"name\":\"multiprotocol\",\"afi\":25,\"safi\":70},"
		    "{\"code\":5,\"name\":\"extended-nexthop\",\"hex\":\"000100010002\"},"
		    "{\"code\":6,\"name\":\"extended-message\"}]}");
}

/* An OPEN built in memory lists what it would send. */
static void test_open_json_built(void **state)
{
	(void)state;
	struct bgp_open o = {.version = 4, .my_as = 65001, .hold_time = 90, .bgp_id = 0xcb007101};

	o.caps.mp = FAM(RTC);
	o.caps.as4 = true;
	o.caps.as4_asn = 65001;
	assert_json(bgp_open_to_json(&o),
		    "{\"version\":4,\"my_as\":65001,\"asn\":65001,\"hold_time\":90,"
		    "\"bgp_id\":\"203.0.113.1\",\"capabilities\":["
		    "{\"code\":1,\"name\":\"multiprotocol\",\"family\":\"rtc\"},"
		    "{\"code\":65,\"name\":\"as4\",\"asn\":65001}]}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_gobgp_like),
	    cmocka_unit_test(test_decode_bird_like),
	    cmocka_unit_test(test_cap_iter_order),
	    cmocka_unit_test(test_encode_known_open),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_encode_as_trans),
	    cmocka_unit_test(test_decode_ext_opt_params),
	    cmocka_unit_test(test_encode_ext_when_needed),
	    cmocka_unit_test(test_decode_minimal),
	    cmocka_unit_test(test_decode_other_families),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_open_short_body),
	    cmocka_unit_test(test_negotiate),
	    cmocka_unit_test(test_open_json),
	    cmocka_unit_test(test_open_json_other),
	    cmocka_unit_test(test_open_json_built),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
