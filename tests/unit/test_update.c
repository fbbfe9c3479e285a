/*
 * Unit tests for the UPDATE codec (wire/update, wire/attr, wire/aspath).
 *
 * Messages are assembled by hand from the layouts of RFC 4271 s4.3 (UPDATE,
 * attributes), RFC 4760 s3/s4 (MP_REACH/MP_UNREACH), RFC 4364 s4.3.4 and
 * RFC 8277 s2 (VPN NLRI) and RFC 4724 s2 (End-of-RIB).  Expected verdicts
 * come from the RFC 7606 / RFC 6793 / RFC 8092 sections cited per case.
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
#include "lib/wbuf.h"
#include "wire/json.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"

#define MSG_MAX 4096

struct msg {
	uint8_t b[MSG_MAX];
	size_t len;
};

/* Header + withdrawn field + attribute list + NLRI, from hex strings. */
static void build(struct msg *m, const char *withdrawn, const char *attrs, const char *nlri)
{
	uint8_t w[512], a[2048], n[512];
	long wl = hex_decode(withdrawn, w, sizeof(w));
	long al = hex_decode(attrs, a, sizeof(a));
	long nl = hex_decode(nlri, n, sizeof(n));
	size_t off = 0;

	assert_true(wl >= 0 && al >= 0 && nl >= 0);
	memset(m->b, 0xff, BGP_MARKER_LEN);
	off = BGP_MARKER_LEN;
	m->len = BGP_HDR_LEN + 2 + (size_t)wl + 2 + (size_t)al + (size_t)nl;
	m->b[off++] = (uint8_t)(m->len >> 8);
	m->b[off++] = (uint8_t)m->len;
	m->b[off++] = BGP_MSG_UPDATE;
	m->b[off++] = (uint8_t)(wl >> 8);
	m->b[off++] = (uint8_t)wl;
	memcpy(m->b + off, w, (size_t)wl);
	off += (size_t)wl;
	m->b[off++] = (uint8_t)(al >> 8);
	m->b[off++] = (uint8_t)al;
	memcpy(m->b + off, a, (size_t)al);
	off += (size_t)al;
	memcpy(m->b + off, n, (size_t)nl);
}

static bool decode(const struct msg *m, const struct bgp_sess_params *p, struct bgp_update *u,
		   struct bgp_verdict *v)
{
	struct rbuf r;

	rbuf_init(&r, m->b, m->len);
	assert_true(rbuf_skip(&r, BGP_HDR_LEN));
	return bgp_update_decode(&r, p, u, v);
}

static void params(struct bgp_sess_params *p, bool ibgp, bool as4)
{
	bgp_sess_params_default(p);
	p->ibgp = ibgp;
	p->as4 = as4;
}

/* encode(decode(x)) == x */
static void assert_reencodes(const struct msg *m, const struct bgp_update *u)
{
	uint8_t out[MSG_MAX];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	bgp_update_encode(&w, u);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), m->len);
	assert_memory_equal(out, m->b, m->len);
}

/* Attribute pieces (RFC 4271 s4.3: flags, type, length, value). */
#define ORIGIN_IGP "40 01 01 00"
#define ASPATH_65000_65001 "40 02 0a 02 02 0000fde8 0000fde9"
#define NH_192_0_2_1 "40 03 04 c0000201"
#define MED_100 "80 04 04 00000064"
#define LP_100 "40 05 04 00000064"
#define COMM_65000_1 "c0 08 04 fde80001"
#define ASPATH_EMPTY "40 02 00"
#define NLRI_198_51_100 "18 c63364"
/* RFC 4760 s3, AFI 2 SAFI 1, 32-octet next hop 2001:db8::1 + fe80::1,
 * NLRI 2001:db8:1::/48 */
#define MP_V6                                                                                      \
	"80 0e 2c 0002 01 20 20010db8000000000000000000000001 "                                    \
	"fe800000000000000000000000000001 00 30 20010db80001"

static void test_ipv4_unicast(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;
	char buf[128];

	params(&p, false, true);
	build(&m, "", ORIGIN_IGP ASPATH_65000_65001 NH_192_0_2_1 MED_100 COMM_65000_1,
	      NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(u.a.origin, BGP_ORIGIN_IGP);
	assert_true(u.a.as_path_as4);
	assert_string_equal(bgp_aspath_fmt(&u.a.as_path, true, buf, sizeof(buf)), "65000 65001");
	assert_int_equal(bgp_aspath_len(&u.a.as_path, true), 2);
	assert_int_equal(ipaddr_v4(&u.a.next_hop), 0xc0000201);
	assert_int_equal(u.a.med, 100);
	assert_int_equal(rbuf_left(&u.a.communities), 4);
	assert_true(bgp_attrs_has(&u.a, BGP_ATTR_MED));
	assert_false(bgp_attrs_has(&u.a, BGP_ATTR_LOCAL_PREF));
	assert_int_equal(u.a.n_raw, 5);
	assert_int_equal(rbuf_left(&u.nlri), 4);
	assert_int_equal(u.eor, BGP_FAM_NONE);
	assert_reencodes(&m, &u);
}

/* RFC 4364 s4.3.4 / RFC 8277 s2: label 100 (S bit), RD 0:65000:1,
 * 198.51.100.0/24; next hop RD 0 + 192.0.2.1 (RFC 4364 s4.3.2). */
static void test_vpnv4_ibgp(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct bgp_nlri n;
	struct msg m;
	char buf[128];

	params(&p, true, true);
	build(&m, "",
	      ORIGIN_IGP ASPATH_EMPTY LP_100 "80 0e 20 0001 80 0c 0000000000000000 c0000201 00 "
					     "70 000641 0000fde800000001 c63364"
					     "c0 10 08 0002fde800000001",
	      "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(u.a.mp_fam, BGP_FAM_VPNV4);
	assert_int_equal(u.a.mp_nh_len, 12);
	assert_int_equal(ipaddr_v4(&u.a.mp_nh), 0xc0000201);
	assert_int_equal(u.a.local_pref, 100);
	assert_int_equal(rbuf_left(&u.a.ext_communities), 8);
	assert_true(
	    bgp_nlri_decode(&u.a.mp_nlri, u.a.mp_fam, false, false, &n, &v, BGP_E_MP_REACH_NLRI));
	assert_string_equal(prefix_fmt(&n.pfx, buf, sizeof(buf)), "198.51.100.0/24");
	assert_int_equal(n.labels.n, 1);
	assert_int_equal(label_value(n.labels.e[0]), 100);
	assert_string_equal(rd_fmt(&n.rd, buf, sizeof(buf)), "65000:1");
	assert_reencodes(&m, &u);
}

static void test_ipv6_unicast_ll(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;
	char buf[IPADDR_STRLEN];

	params(&p, false, true);
	build(&m, "", ORIGIN_IGP ASPATH_65000_65001 MP_V6, "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(u.a.mp_fam, BGP_FAM_IPV6_UNICAST);
	assert_string_equal(ipaddr_fmt(&u.a.mp_nh, buf, sizeof(buf)), "2001:db8::1");
	assert_string_equal(ipaddr_fmt(&u.a.mp_nh_ll, buf, sizeof(buf)), "fe80::1");
	assert_int_equal(rbuf_left(&u.a.mp_nlri), 7);
	assert_reencodes(&m, &u);
}

/* 2-octet session (RFC 6793 s4.2.2): AS_PATH with 2-octet ASNs, AS4_PATH
 * with 4-octet ones, and confederation segments in the text. */
static void test_as2_session(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;
	char buf[128];

	params(&p, false, false);
	build(&m, "",
	      ORIGIN_IGP "40 02 10 03 01 fdea 02 02 fde8 5ba0 01 02 fdeb fdec " NH_192_0_2_1
			 "c0 07 06 fde8 c0000201 c0 11 0a 02 02 0000fde8 fa56ea00",
	      NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_false(u.a.as_path_as4);
	/* 65002 confed seq, 65000 23456 sequence, {65003,65004} */
	assert_string_equal(bgp_aspath_fmt(&u.a.as_path, false, buf, sizeof(buf)),
			    "(65002) 65000 23456 {65003,65004}");
	/* RFC 4271 s9.1.2.2 a: confed 0, sequence 2, set 1 */
	assert_int_equal(bgp_aspath_len(&u.a.as_path, false), 3);
	assert_int_equal(u.a.aggregator_as, 65000);
	assert_string_equal(bgp_aspath_fmt(&u.a.as4_path, true, buf, sizeof(buf)),
			    "65000 4200000000");
	assert_reencodes(&m, &u);
}

/* RFC 4724 s2 */
static void test_end_of_rib(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;

	params(&p, false, true);
	build(&m, "", "", "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(u.eor, BGP_FAM_IPV4_UNICAST);
	assert_reencodes(&m, &u);

	build(&m, "", "80 0f 03 0001 80", "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(u.eor, BGP_FAM_VPNV4);
	assert_false(u.eor_unknown_fam);
	assert_reencodes(&m, &u);

	/* L2VPN EVPN (25/70): not ours */
	build(&m, "", "80 0f 03 0019 46", "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(u.eor, BGP_FAM_NONE);
	assert_true(u.eor_unknown_fam);

	/* a withdrawal is not an End-of-RIB */
	build(&m, "", "80 0f 08 0002 01 20 20010db8", "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(u.eor, BGP_FAM_NONE);
	build(&m, NLRI_198_51_100, "", "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(u.eor, BGP_FAM_NONE);
}

/* RFC 7606 s3 b (RFC 4271 s6.3 unchanged): Withdrawn Routes Length or
 * Total Attribute Length past the message -> Malformed Attribute List. */
static void test_framing(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;

	params(&p, false, true);
	build(&m, "", "", "");
	m.b[BGP_HDR_LEN + 1] = 5; /* withdrawn length 5, 2 octets follow */
	assert_false(decode(&m, &p, &u, &v));
	assert_int_equal(v.err, BGP_E_UPD_WITHDRAWN_LEN);
	assert_int_equal(v.action, BGP_ACT_SESSION_RESET);
	assert_int_equal(v.code, 3);
	assert_int_equal(v.subcode, 1);

	build(&m, "", ORIGIN_IGP, "");
	m.b[BGP_HDR_LEN + 3] = 5; /* total attribute length 5, 4 octets follow */
	assert_false(decode(&m, &p, &u, &v));
	assert_int_equal(v.err, BGP_E_UPD_ATTR_LEN);
	assert_int_equal(v.code, 3);
	assert_int_equal(v.subcode, 1);

	m.len = BGP_HDR_LEN + 1; /* not even a withdrawn length */
	assert_false(decode(&m, &p, &u, &v));
	assert_int_equal(v.err, BGP_E_UPD_WITHDRAWN_LEN);
}

/* One malformed case and the verdict its RFC section prescribes. */
struct bad {
	const char *what;
	bool ibgp, as4;
	const char *withdrawn, *attrs, *nlri;
	enum bgp_err err;
	enum bgp_action action;
	uint8_t code, subcode, attr;
	enum bgp_fam fam;
};

#define BASE ORIGIN_IGP ASPATH_65000_65001 NH_192_0_2_1
#define RESET3(s) BGP_ACT_SESSION_RESET, 3, (s)
#define TAW BGP_ACT_TREAT_AS_WITHDRAW, 0, 0
#define DISC BGP_ACT_ATTR_DISCARD, 0, 0
#define AFDIS BGP_ACT_AFISAFI_DISABLE, 3, 9
#define NOFAM BGP_FAM_NONE

static const struct bad bad_cases[] = {
    /* s4: the attribute runs past the list -> treat-as-withdraw */
    {"attribute overrun", 0, 1, "", BASE "40 04 05 00", NLRI_198_51_100, BGP_E_UPD_ATTR_OVERRUN,
     TAW, 0, NOFAM},
    {"attribute underrun", 0, 1, "", BASE "40", NLRI_198_51_100, BGP_E_UPD_ATTR_OVERRUN, TAW, 0,
     NOFAM},
    /* s3 c */
    {"origin flagged optional", 0, 1, "", "c0 01 01 00" ASPATH_65000_65001 NH_192_0_2_1,
     NLRI_198_51_100, BGP_E_UPD_ATTR_FLAGS, TAW, 1, NOFAM},
    /* s3 g */
    {"communities twice", 0, 1, "", BASE COMM_65000_1 "c0 08 04 fde80002", NLRI_198_51_100,
     BGP_E_UPD_DUP_ATTR, DISC, 8, NOFAM},
    {"mp_unreach twice", 0, 1, "", "80 0f 03 0001 80 80 0f 03 0001 80", "", BGP_E_UPD_DUP_MP,
     RESET3(1), 15, NOFAM},
    /* RFC 4271 s6.3: Unrecognized Well-known Attribute */
    {"unknown well-known", 0, 1, "", BASE "40 63 01 00", NLRI_198_51_100,
     BGP_E_UPD_UNKNOWN_WELLKNOWN, RESET3(2), 0x63, NOFAM},
    /* s3 d */
    {"missing origin", 0, 1, "", ASPATH_65000_65001 NH_192_0_2_1, NLRI_198_51_100,
     BGP_E_UPD_MISSING_ORIGIN, TAW, 1, NOFAM},
    {"missing as_path", 0, 1, "", ORIGIN_IGP NH_192_0_2_1, NLRI_198_51_100,
     BGP_E_UPD_MISSING_AS_PATH, TAW, 2, NOFAM},
    {"missing next_hop", 0, 1, "", ORIGIN_IGP ASPATH_65000_65001, NLRI_198_51_100,
     BGP_E_UPD_MISSING_NEXT_HOP, TAW, 3, NOFAM},
    {"missing as_path with MP_REACH", 0, 1, "", ORIGIN_IGP MP_V6, "", BGP_E_UPD_MISSING_AS_PATH,
     TAW, 2, NOFAM},
    {"missing local_pref on ibgp", 1, 1, "", ORIGIN_IGP ASPATH_EMPTY NH_192_0_2_1, NLRI_198_51_100,
     BGP_E_UPD_MISSING_LOCAL_PREF, TAW, 5, NOFAM},
    /* s5.3 + RFC 4271 s6.3 Invalid Network Field: /33 in IPv4 */
    {"nlri /33", 0, 1, "", BASE, "21 c6336400 00", BGP_E_UPD_NLRI, RESET3(10), 0, NOFAM},
    {"withdrawn overrun", 0, 1, "18 c633", "", "", BGP_E_UPD_NLRI, RESET3(10), 0, NOFAM},
    /* s7.1 */
    {"origin 3", 0, 1, "", "40 01 01 03" ASPATH_65000_65001 NH_192_0_2_1, NLRI_198_51_100,
     BGP_E_ORIGIN, TAW, 1, NOFAM},
    {"origin length 2", 0, 1, "", "40 01 02 0000" ASPATH_65000_65001 NH_192_0_2_1, NLRI_198_51_100,
     BGP_E_ORIGIN, TAW, 1, NOFAM},
    /* s7.2 */
    {"as_path segment type 5", 0, 1, "", ORIGIN_IGP "40 02 06 05 01 0000fde8" NH_192_0_2_1,
     NLRI_198_51_100, BGP_E_AS_PATH, TAW, 2, NOFAM},
    {"as_path segment length 0", 0, 1, "", ORIGIN_IGP "40 02 02 02 00" NH_192_0_2_1,
     NLRI_198_51_100, BGP_E_AS_PATH, TAW, 2, NOFAM},
    {"as_path segment overrun", 0, 1, "", ORIGIN_IGP "40 02 06 02 02 0000fde8" NH_192_0_2_1,
     NLRI_198_51_100, BGP_E_AS_PATH, TAW, 2, NOFAM},
    {"as_path 4-octet on 2-octet session", 0, 0, "",
     ORIGIN_IGP "40 02 06 02 01 0000fde8" NH_192_0_2_1, NLRI_198_51_100, BGP_E_AS_PATH, TAW, 2,
     NOFAM},
    /* s7.3, s7.4 */
    {"next_hop length 5", 0, 1, "", ORIGIN_IGP ASPATH_65000_65001 "40 03 05 c000020100",
     NLRI_198_51_100, BGP_E_NEXT_HOP, TAW, 3, NOFAM},
    {"med length 3", 0, 1, "", BASE "80 04 03 000064", NLRI_198_51_100, BGP_E_MED, TAW, 4, NOFAM},
    /* s7.5 */
    {"local_pref from ebgp", 0, 1, "", BASE LP_100, NLRI_198_51_100, BGP_E_LOCAL_PREF_EBGP, DISC, 5,
     NOFAM},
    {"local_pref length 2", 1, 1, "", BASE "40 05 02 0064", NLRI_198_51_100, BGP_E_LOCAL_PREF, TAW,
     5, NOFAM},
    /* s7.6, s7.7 */
    {"atomic_aggregate length 1", 0, 1, "", BASE "40 06 01 00", NLRI_198_51_100,
     BGP_E_ATOMIC_AGGREGATE, DISC, 6, NOFAM},
    {"aggregator length 6 on 4-octet session", 0, 1, "", BASE "c0 07 06 fde8 c0000201",
     NLRI_198_51_100, BGP_E_AGGREGATOR, DISC, 7, NOFAM},
    {"aggregator flagged well-known", 0, 1, "", BASE "40 07 08 0000fde8 c0000201", NLRI_198_51_100,
     BGP_E_AGGREGATOR, DISC, 7, NOFAM},
    /* s7.8 */
    {"communities length 5", 0, 1, "", BASE "c0 08 05 fde8000100", NLRI_198_51_100,
     BGP_E_COMMUNITIES, TAW, 8, NOFAM},
    {"communities length 0", 0, 1, "", BASE "c0 08 00", NLRI_198_51_100, BGP_E_COMMUNITIES, TAW, 8,
     NOFAM},
    /* s7.9, s7.10 */
    {"originator_id length 3", 1, 1, "", BASE LP_100 "80 09 03 c00002", NLRI_198_51_100,
     BGP_E_ORIGINATOR_ID, TAW, 9, NOFAM},
    {"originator_id from ebgp", 0, 1, "", BASE "80 09 04 c0000201", NLRI_198_51_100,
     BGP_E_ORIGINATOR_ID_EBGP, DISC, 9, NOFAM},
    {"cluster_list length 6", 1, 1, "", BASE LP_100 "80 0a 06 c0000201 0000", NLRI_198_51_100,
     BGP_E_CLUSTER_LIST, TAW, 10, NOFAM},
    {"cluster_list from ebgp", 0, 1, "", BASE "80 0a 04 c0000201", NLRI_198_51_100,
     BGP_E_CLUSTER_LIST_EBGP, DISC, 10, NOFAM},
    /* s7.11, s7.12, s5.3; RFC 4760 s7 Optional Attribute Error */
    {"mp_reach too short", 0, 1, "", ORIGIN_IGP ASPATH_65000_65001 "80 0e 02 0002", "",
     BGP_E_MP_REACH, RESET3(9), 14, NOFAM},
    {"vpnv4 next hop length 4", 0, 1, "",
     ORIGIN_IGP ASPATH_65000_65001 "80 0e 09 0001 80 04 c0000201 00", "", BGP_E_MP_REACH_NEXT_HOP,
     AFDIS, 14, BGP_FAM_VPNV4},
    {"ipv6 next hop length 4", 0, 1, "",
     ORIGIN_IGP ASPATH_65000_65001 "80 0e 09 0002 01 04 c0000201 00", "", BGP_E_MP_REACH_NEXT_HOP,
     AFDIS, 14, BGP_FAM_IPV6_UNICAST},
    {"next hop past attribute", 0, 1, "", ORIGIN_IGP ASPATH_65000_65001 "80 0e 06 0002 01 10 2001",
     "", BGP_E_MP_REACH_NEXT_HOP, AFDIS, 14, BGP_FAM_IPV6_UNICAST},
    {"ipv6 /129", 0, 1, "",
     ORIGIN_IGP ASPATH_65000_65001 "80 0e 17 0002 01 10 20010db8000000000000000000000001 00 81 20",
     "", BGP_E_MP_REACH_NLRI, AFDIS, 14, BGP_FAM_IPV6_UNICAST},
    {"mp_unreach too short", 0, 1, "", "80 0f 02 0002", "", BGP_E_MP_UNREACH, RESET3(9), 15, NOFAM},
    {"mp_unreach overrun", 0, 1, "", "80 0f 05 0002 01 30 20", "", BGP_E_MP_UNREACH_NLRI, AFDIS, 15,
     BGP_FAM_IPV6_UNICAST},
    /* RFC 8955 s4.2: <[component]+>, an empty flow is malformed */
    {"empty flowspec", 0, 1, "", ORIGIN_IGP ASPATH_65000_65001 "80 0e 06 0001 85 00 00 00", "",
     BGP_E_FLOWSPEC_NLRI, AFDIS, 0, BGP_FAM_FLOW4},
    /* s7.14, s7.15, RFC 8092 s6 */
    {"ext communities length 7", 0, 1, "", BASE "c0 10 07 0002fde8000000", NLRI_198_51_100,
     BGP_E_EXT_COMMUNITIES, TAW, 16, NOFAM},
    {"ipv6 ext communities length 19", 0, 1, "",
     BASE "c0 19 13 000220010db8000000000000000000000001 00", NLRI_198_51_100,
     BGP_E_IPV6_EXT_COMMUNITIES, TAW, 25, NOFAM},
    {"large communities length 11", 0, 1, "", BASE "c0 20 0b fa56ea00 00000001 000000",
     NLRI_198_51_100, BGP_E_LARGE_COMMUNITIES, TAW, 32, NOFAM},
    /* RFC 6793 s6 */
    {"as4_path segment length 0", 0, 0, "",
     ORIGIN_IGP "40 02 04 02 01 fde8" NH_192_0_2_1 "c0 11 06 02 00 0000fde8", NLRI_198_51_100,
     BGP_E_AS4_PATH, DISC, 17, NOFAM},
    {"as4_aggregator length 6", 0, 0, "",
     ORIGIN_IGP "40 02 04 02 01 fde8" NH_192_0_2_1 "c0 12 06 fde8 c0000201", NLRI_198_51_100,
     BGP_E_AS4_AGGREGATOR, DISC, 18, NOFAM},
    {"as4_path between 4-octet speakers", 0, 1, "", BASE "c0 11 06 02 01 0000fde8", NLRI_198_51_100,
     BGP_E_AS4_FROM_NEW, DISC, 17, NOFAM},
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *c = &bad_cases[i];
		struct bgp_sess_params p;
		struct bgp_update u;
		struct bgp_verdict v;
		struct msg m;
		bool ok;

		params(&p, c->ibgp, c->as4);
		build(&m, c->withdrawn, c->attrs, c->nlri);
		ok = decode(&m, &p, &u, &v);
		print_message("%s\n", c->what);
		assert_int_equal(v.err, c->err);
		assert_int_equal(v.action, c->action);
		assert_int_equal(ok, c->action != BGP_ACT_SESSION_RESET);
		if (c->action == BGP_ACT_SESSION_RESET || c->action == BGP_ACT_AFISAFI_DISABLE) {
			assert_int_equal(v.code, c->code);
			assert_int_equal(v.subcode, c->subcode);
		}
		assert_int_equal(v.attr_type, c->attr);
		assert_int_equal(v.fam, c->fam);
		if (c->action == BGP_ACT_ATTR_DISCARD) {
			assert_int_equal(v.n_discarded, 1);
			assert_int_equal(v.discarded[0], c->attr);
		}
	}
}

/* RFC 7606 s3 g: the first COMMUNITIES is kept, the repeat is dropped and
 * the re-encoded message carries it once. */
static void test_duplicate_keeps_first(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m, canon;

	params(&p, false, true);
	build(&m, "", BASE COMM_65000_1 "c0 08 04 fde80002", NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	assert_true(bgp_attrs_has(&u.a, BGP_ATTR_COMMUNITIES));
	assert_int_equal(rbuf_left(&u.a.communities), 4);
	assert_memory_equal(rbuf_ptr(&u.a.communities), "\xfd\xe8\x00\x01", 4);
	build(&canon, "", BASE COMM_65000_1, NLRI_198_51_100);
	assert_reencodes(&canon, &u);
}

/* RFC 7606 s3 h: several errors -> the strongest; here a discard
 * (ATOMIC_AGGREGATE) and a treat-as-withdraw (MED). */
static void test_worst_wins(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;

	params(&p, false, true);
	build(&m, "", BASE "80 04 03 000064 40 06 01 00", NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(v.err, BGP_E_MED);
	assert_int_equal(v.n_discarded, 1);
	assert_int_equal(v.discarded[0], BGP_ATTR_ATOMIC_AGGREGATE);
	assert_false(bgp_attrs_has(&u.a, BGP_ATTR_ATOMIC_AGGREGATE));
	/* the data of a treat-as-withdraw error is the whole attribute */
	assert_int_equal(v.data_len, 6);
	assert_int_equal(m.b[v.data_off + 1], BGP_ATTR_MED);
}

/* RFC 7606 s5: treat-as-withdraw needs the NLRI; a malformed ORIGIN next to
 * MP_REACH leaves the MP NLRI readable so it can be withdrawn. */
static void test_taw_keeps_mp_nlri(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct bgp_nlri n;
	struct msg m;
	char buf[PREFIX_STRLEN];

	params(&p, false, true);
	build(&m, "", "40 01 01 07" ASPATH_65000_65001 MP_V6, "");
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(v.err, BGP_E_ORIGIN);
	assert_int_equal(v.attr_type, BGP_ATTR_ORIGIN);
	assert_false(bgp_attrs_has(&u.a, BGP_ATTR_ORIGIN));
	assert_int_equal(u.a.mp_fam, BGP_FAM_IPV6_UNICAST);
	assert_true(
	    bgp_nlri_decode(&u.a.mp_nlri, u.a.mp_fam, false, false, &n, &v, BGP_E_MP_REACH_NLRI));
	assert_string_equal(prefix_fmt(&n.pfx, buf, sizeof(buf)), "2001:db8:1::/48");
	assert_true(rbuf_empty(&u.a.mp_nlri));
}

/* RFC 4271 s5: unknown optional transitive attributes are passed on. */
static void test_unknown_optional_kept(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg m;

	params(&p, false, true);
	build(&m, "", BASE "e0 63 02 abcd", NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_true(bgp_attrs_has(&u.a, 0x63));
	assert_int_equal(u.a.raw[u.a.n_raw - 1].type, 0x63);
	assert_int_equal(u.a.raw[u.a.n_raw - 1].flags, 0xe0);
	assert_int_equal(rbuf_left(&u.a.raw[u.a.n_raw - 1].whole), 5);
	assert_reencodes(&m, &u);
}

/* Canonical order and length form: attributes out of order, and a short
 * one in the 2-octet form, come out sorted with a 1-octet length. */
static void test_encode_canonicalises(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct msg in, canon;
	uint8_t out[MSG_MAX];
	struct wbuf w;

	params(&p, false, true);
	build(&in, "", NH_192_0_2_1 "50 01 0001 00" ASPATH_65000_65001, NLRI_198_51_100);
	assert_true(decode(&in, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	build(&canon, "", BASE, NLRI_198_51_100);
	wbuf_init(&w, out, sizeof(out));
	bgp_update_encode(&w, &u);
	assert_int_equal(wbuf_len(&w), canon.len);
	assert_memory_equal(out, canon.b, canon.len);
}

static void test_attr_put_lengths(void **state)
{
	(void)state;
	uint8_t val[300], out[400];
	struct wbuf w;
	size_t mark;

	memset(val, 0xab, sizeof(val));
	wbuf_init(&w, out, sizeof(out));
	bgp_attr_put(&w, 0xd0, 8, val, 4); /* EXTLEN asked for, not needed */
	assert_int_equal(wbuf_len(&w), 7);
	assert_int_equal(out[0], 0xc0);
	assert_int_equal(out[2], 4);
	wbuf_init(&w, out, sizeof(out));
	bgp_attr_put(&w, 0xc0, 8, val, 256);
	assert_int_equal(out[0], 0xd0);
	assert_int_equal(out[2], 0x01);
	assert_int_equal(out[3], 0x00);
	assert_int_equal(wbuf_len(&w), 260);

	wbuf_init(&w, out, sizeof(out));
	mark = bgp_attr_begin(&w, 0xc0, 16);
	wbuf_bytes(&w, val, 8);
	bgp_attr_end(&w, mark);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 11);
	assert_int_equal(out[0], 0xc0);
	assert_int_equal(out[1], 16);
	assert_int_equal(out[2], 8);
	assert_int_equal(out[3], 0xab);

	wbuf_init(&w, out, sizeof(out));
	mark = bgp_attr_begin(&w, 0xc0, 16);
	wbuf_bytes(&w, val, 296);
	bgp_attr_end(&w, mark);
	assert_int_equal(wbuf_len(&w), 300);
	assert_int_equal(out[0], 0xd0);
	assert_int_equal(out[2], 0x01);
	assert_int_equal(out[3], 0x28);
}

static void test_aspath_fmt_truncates(void **state)
{
	(void)state;
	const uint8_t path[] = {2, 3, 0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea};
	struct rbuf r;
	char buf[12];

	rbuf_init(&r, path, sizeof(path));
	bgp_aspath_fmt(&r, true, buf, sizeof(buf));
	assert_string_equal(buf, "65000 65001");
	assert_int_equal(bgp_aspath_len(&r, true), 3);
}

static const char *jstr(struct json_object *o, const char *path)
{
	char key[64];
	const char *dot;
	struct json_object *c = o;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if (!json_object_object_get_ex(c, key, &c))
			return NULL;
		path = dot + 1;
	}
	if (!json_object_object_get_ex(c, path, &c))
		return NULL;
	return json_object_get_string(c);
}

/* docs/decode-json.md, UPDATE table: values as the RFC layouts above
 * encode them (RT 65000:1 is type 0x00 sub 0x02, RFC 4360 s4). */
static void test_json(void **state)
{
	(void)state;
	struct bgp_sess_params p;
	struct bgp_update u;
	struct bgp_verdict v;
	struct json_object *j, *arr;
	struct msg m;

	params(&p, true, true);
	build(&m, "",
	      ORIGIN_IGP ASPATH_EMPTY LP_100
	      "80 0e 20 0001 80 0c 0000000000000000 c0000201 00 "
	      "70 000641 0000fde800000001 c63364"
	      "c0 10 08 0002fde800000001 c0 20 0c fa56ea00 00000001 00000002 e0 63 02 abcd",
	      "");
	assert_true(decode(&m, &p, &u, &v));
	j = bgp_update_to_json(&u, &p);
	assert_string_equal(jstr(j, "attributes.origin"), "igp");
	assert_string_equal(jstr(j, "attributes.as_path"), "");
	assert_string_equal(jstr(j, "attributes.local_pref"), "100");
	assert_string_equal(jstr(j, "mp_reach.family"), "ipv4-vpn");
	assert_string_equal(jstr(j, "mp_reach.next_hop"), "192.0.2.1");
	assert_null(jstr(j, "mp_reach.next_hop_link_local"));
	assert_null(jstr(j, "nlri"));
	assert_null(jstr(j, "withdrawn"));
	assert_true(json_object_object_get_ex(json_object_object_get(j, "mp_reach"), "nlri", &arr));
	assert_int_equal(json_object_array_length(arr), 1);
	assert_string_equal(jstr(json_object_array_get_idx(arr, 0), "prefix"), "198.51.100.0/24");
	assert_string_equal(jstr(json_object_array_get_idx(arr, 0), "rd"), "65000:1");
	arr = json_object_object_get(json_object_object_get(j, "attributes"), "ext_communities");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, 0)),
			    "target:65000:1");
	arr = json_object_object_get(json_object_object_get(j, "attributes"), "large_communities");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, 0)),
			    "4200000000:1:2");
	arr = json_object_object_get(json_object_object_get(j, "attributes"), "unknown");
	assert_int_equal(json_object_array_length(arr), 1);
	assert_string_equal(jstr(json_object_array_get_idx(arr, 0), "hex"), "abcd");
	assert_string_equal(jstr(json_object_array_get_idx(arr, 0), "flags"), "224");
	json_object_put(j);

	params(&p, false, true);
	build(&m, "", BASE COMM_65000_1 "c0 08 04 ffffff01", NLRI_198_51_100);
	assert_true(decode(&m, &p, &u, &v));
	j = bgp_update_to_json(&u, &p);
	assert_string_equal(jstr(j, "attributes.next_hop"), "192.0.2.1");
	assert_string_equal(jstr(j, "attributes.as_path"), "65000 65001");
	arr = json_object_object_get(j, "nlri");
	assert_string_equal(jstr(json_object_array_get_idx(arr, 0), "prefix"), "198.51.100.0/24");
	json_object_put(j);
	/* RFC 7606 s3 g: the repeat was discarded */
	j = bgp_verdict_to_json(&v, m.b);
	assert_string_equal(jstr(j, "action"), "attribute-discard");
	assert_string_equal(jstr(j, "error"), "duplicate-attribute");
	assert_string_equal(jstr(j, "reference"), "RFC 7606 s3 g");
	assert_string_equal(jstr(j, "data"), "c00804ffffff01");
	assert_null(jstr(j, "code"));
	arr = json_object_object_get(j, "discarded");
	assert_int_equal(json_object_array_length(arr), 1);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(arr, 0)), 8);
	json_object_put(j);

	/* RFC 4271 s6.3 / s4.5: UPDATE Message Error / Invalid Network Field */
	build(&m, "", BASE, "21 c6336400 00");
	assert_false(decode(&m, &p, &u, &v));
	j = bgp_verdict_to_json(&v, m.b);
	assert_string_equal(jstr(j, "action"), "session-reset");
	assert_string_equal(jstr(j, "code"), "3");
	assert_string_equal(jstr(j, "subcode"), "10");
	assert_non_null(jstr(j, "code_name"));
	assert_non_null(jstr(j, "subcode_name"));
	assert_string_equal(jstr(j, "data"), "21c633640000");
	json_object_put(j);

	build(&m, "", "80 0f 03 0002 01", "");
	assert_true(decode(&m, &p, &u, &v));
	j = bgp_update_to_json(&u, &p);
	assert_string_equal(jstr(j, "end_of_rib"), "ipv6-unicast");
	assert_string_equal(jstr(j, "mp_unreach.family"), "ipv6-unicast");
	json_object_put(j);
}

/*
 * RFC 4271 s5: unrecognized optional transitive attributes are passed on.
 * An UPDATE carrying 70 of them (types 100..169, each once, in canonical
 * ascending order) keeps every one and re-encodes byte for byte.
 */
static void test_many_unknown_attributes(void **state)
{
	(void)state;
	static uint8_t msg[4096], out[4096];
	static struct bgp_update u;
	struct bgp_sess_params p;
	struct bgp_verdict v;
	struct wbuf w;
	struct rbuf stream, m, body;
	size_t hdr, alen;
	uint8_t type;

	wbuf_init(&w, msg, sizeof(msg));
	hdr = bgp_hdr_begin(&w, BGP_MSG_UPDATE);
	wbuf_u16(&w, 0); /* no withdrawn routes */
	alen = wbuf_mark(&w);
	wbuf_u16(&w, 0);
	bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, "\0", 1);
	bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH, "\x02\x01\x00\x00\xfd\xe9", 6);
	bgp_attr_put(&w, BGP_AF_TRANSITIVE, BGP_ATTR_NEXT_HOP, "\xc0\x00\x02\x01", 4);
	for (unsigned t = 100; t < 170; t++) {
		uint8_t val = (uint8_t)t;

		bgp_attr_put(&w, BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE, (uint8_t)t, &val, 1);
	}
	wbuf_patch_u16(&w, alen, (uint16_t)(wbuf_mark(&w) - alen - 2));
	wbuf_bytes(&w, "\x18\xc6\x33\x64", 4); /* 198.51.100.0/24 */
	bgp_hdr_end(&w, hdr);
	assert_true(wbuf_ok(&w));

	bgp_sess_params_default(&p);
	rbuf_init(&stream, msg, wbuf_len(&w));
	bgp_verdict_init(&v);
	assert_int_equal(bgp_hdr_split(&stream, BGP_MAX_LEN, &type, &m, &body, &v), 1);
	assert_true(bgp_update_decode(&body, &p, &u, &v));
	assert_int_equal(v.action, BGP_ACT_OK);
	assert_int_equal(u.a.n_raw, 73);
	assert_true(bgp_attrs_has(&u.a, 169));

	wbuf_init(&w, out, sizeof(out));
	bgp_update_encode(&w, &u);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), (size_t)(msg[16] << 8 | msg[17]));
	assert_memory_equal(out, msg, wbuf_len(&w));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4_unicast),
	    cmocka_unit_test(test_many_unknown_attributes),
	    cmocka_unit_test(test_vpnv4_ibgp),
	    cmocka_unit_test(test_ipv6_unicast_ll),
	    cmocka_unit_test(test_as2_session),
	    cmocka_unit_test(test_end_of_rib),
	    cmocka_unit_test(test_framing),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_duplicate_keeps_first),
	    cmocka_unit_test(test_worst_wins),
	    cmocka_unit_test(test_taw_keeps_mp_nlri),
	    cmocka_unit_test(test_unknown_optional_kept),
	    cmocka_unit_test(test_encode_canonicalises),
	    cmocka_unit_test(test_attr_put_lengths),
	    cmocka_unit_test(test_aspath_fmt_truncates),
	    cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
