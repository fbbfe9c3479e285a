/*
 * ecomm: extended (RFC 4360), IPv6-address-specific (RFC 5701), standard
 * (RFC 1997) and large (RFC 8092) communities: text <-> bytes; see ecomm.h
 * for the list of text forms.
 *
 * Every formatter checks that the value is in the canonical shape its text
 * form can express (reserved bits zero, flags known, float finite); anything
 * else formats as "raw:<hex>" so that parse(fmt(x)) == x for all 8-byte
 * values.  The bytes are read and written through rbuf/wbuf.
 *
 * Not for: what a community means to routing policy, or attribute decoding.
 */
#include "lib/ecomm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h> /* isfinite, signbit, fpclassify: macros, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/rbuf.h"
#include "lib/rd.h"
#include "lib/strnum.h"
#include "lib/wbuf.h"

/* Sub-types beyond those in ecomm.h. */
#define ST_FS_RATE_BYTES 0x06	/* RFC 8955 s7.1, type 0x80 */
#define ST_FS_ACTION 0x07	/* RFC 8955 s7.3, type 0x80 */
#define ST_FS_REDIRECT 0x08	/* RFC 8955 s7.4 / RFC 7674, types 0x80-0x82 */
#define ST_FS_MARKING 0x09	/* RFC 8955 s7.5, type 0x80 */
#define ST_FS_RATE_PACKETS 0x0c /* RFC 8955 s7.2, type 0x80 */
#define ST_REDIRECT_IP 0x0c	/* draft-ietf-idr-flowspec-redirect-ip s3, type 0x01 / IPv6 0x00 */
#define ST_ENCAP 0x0c		/* RFC 9012 s4.1, type 0x03 */
#define ST_CHASH_ORDER 0x14	/* draft-ietf-bess-service-chaining s10.2, type 0x03 */
#define ST_LOAD_BALANCE 0xaa	/* draft-ietf-bess-service-chaining s10.3, type 0x03 */
#define T_REDIRECT_IP_NH 0x08	/* pre-02 redirect-ip: type 0x08 sub 0x00 */
#define ST_REDIRECT_IP_NH 0x00

/* RFC 8955 s7.3: bit 47 (least significant of the 6 value octets) is
 * Terminal, bit 46 is Sample. */
#define FS_ACTION_TERMINAL 0x01
#define FS_ACTION_SAMPLE 0x02

/* draft-ietf-idr-flowspec-redirect-ip-02 s3 figure 1: C (copy) is the least
 * significant bit of the 2-octet local administrator. */
#define REDIRECT_IP_COPY 0x0001

/*
 * draft-ietf-bess-service-chaining-06 s10.3, Load Balance Settings:
 *
 *   | Type  0x03    | Sub-Type 0xaa |s d c p P R R R|R R R R R R R R|
 *   | Reserved      |B R R R R R R R| Reserved      | Reserved      |
 *
 * s/d: L3 source/destination address, c: L4 protocol, p/P: L4 source /
 * destination port are hash inputs; B: use source bias instead of ECMP.
 * B sits in octet 5 as the draft draws it.  (An existing implementation
 * was seen to put B in octet 4 instead; we follow the draft's figure.)
 * Text: "load-balance:" then the set flags, comma separated, in the order
 * below, or "none".
 */
static const struct {
	const char *name;
	uint8_t octet, mask;
} lb_flags[] = {
    {"src-ip", 2, 0x80},   {"dst-ip", 2, 0x40},	  {"proto", 2, 0x20},
    {"src-port", 2, 0x10}, {"dst-port", 2, 0x08}, {"source-bias", 5, 0x80},
};

/* ---- small helpers ---- */

/* Copy `n` characters of s into a NUL-terminated buffer; -1 if too long. */
static int str_take(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int num_parse(const char *s, uint64_t max, uint64_t *v)
{
	return strnum_u64(s, strlen(s), max, v);
}

static void ecomm_read(const struct ecomm *e, struct rbuf *r, uint8_t *type, uint8_t *sub)
{
	rbuf_init(r, e->b, sizeof(e->b));
	/* cannot fail: the view holds the 8 bytes */
	if (!rbuf_u8(r, type) || !rbuf_u8(r, sub))
		*type = *sub = 0;
}

/* ---- AS / IPv4 administrator forms (RT, RO, RT-Record, redirect) ---- */

/*
 * "65000:1" / "192.0.2.1:7" / "4200000000:1": the three layouts of
 * RFC 4360 s3.1 (2-octet AS), s3.2 (IPv4) and RFC 5668 s2 (4-octet AS) are
 * the value layouts of RD types 0, 1 and 2 (RFC 4364 s4.2), so the RD
 * parser picks the layout; `tbase` | layout gives the type octet.
 */
static int admin_parse(const char *s, uint8_t tbase, uint8_t sub, struct ecomm *e)
{
	struct rd rd;
	struct rbuf r;
	struct wbuf w;
	uint8_t val[6];
	uint16_t layout;

	if (rd_parse(s, &rd) < 0 || rd_type(&rd) > 2)
		return -1;
	rbuf_init(&r, rd.b, sizeof(rd.b));
	if (!rbuf_u16(&r, &layout) || !rbuf_bytes(&r, val, sizeof(val)))
		return -1;
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, (uint8_t)(tbase | layout));
	wbuf_u8(&w, sub);
	wbuf_bytes(&w, val, sizeof(val));
	return wbuf_ok(&w) ? 0 : -1;
}

static void admin_fmt(const char *word, uint8_t layout, struct rbuf *r, char *buf, size_t len)
{
	struct rd rd;
	struct wbuf w;
	uint8_t val[6];
	char txt[RD_STRLEN];

	wbuf_init(&w, rd.b, sizeof(rd.b));
	wbuf_u16(&w, layout);
	if (rbuf_bytes(r, val, sizeof(val)))
		wbuf_bytes(&w, val, sizeof(val));
	snprintf(buf, len, "%s:%s", word, rd_fmt(&rd, txt, sizeof(txt)));
}

static int parse_target(const char *a, struct ecomm *e)
{
	return admin_parse(a, ECOMM_T_AS2, ECOMM_ST_RT, e);
}
static int parse_origin(const char *a, struct ecomm *e)
{
	return admin_parse(a, ECOMM_T_AS2, ECOMM_ST_RO, e);
}
static int parse_rt_record(const char *a, struct ecomm *e)
{
	return admin_parse(a, ECOMM_T_AS2, ECOMM_ST_RT_RECORD, e);
}
static int parse_redirect(const char *a, struct ecomm *e)
{
	return admin_parse(a, ECOMM_T_FS_AS2, ST_FS_REDIRECT, e);
}

/* ---- flowspec actions, RFC 8955 s7 ---- */

/* A rate text: plain decimal, optional fraction and exponent; finite,
 * not negative (RFC 8955 s7.1: bytes per second; 0 means discard). */
static int rate_parse(const char *s, float *out)
{
	char *end;
	float f;

	if (*s < '0' || *s > '9' || strspn(s, "0123456789.eE+-") != strlen(s))
		return -1;
	errno = 0;
	f = strtof(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(f) || f < 0)
		return -1;
	*out = f;
	return 0;
}

/* Shortest text that reads back as the same float; integers in full. */
static bool rate_fmt(float f, char *buf, size_t len)
{
	if (!isfinite(f) || signbit(f) || fpclassify(f) == FP_SUBNORMAL)
		return false;
	if (f < 1e15f && f == (float)(uint64_t)f) {
		snprintf(buf, len, "%.0f", (double)f);
		return true;
	}
	for (int prec = 1; prec <= 9; prec++) {
		snprintf(buf, len, "%.*g", prec, (double)f);
		if (strtof(buf, NULL) == f)
			break;
	}
	return true;
}

/* "ID:RATE" -> 0x80 sub, 2-octet ID, 4-octet IEEE 754 binary32. */
static int rate_ecomm_parse(const char *a, uint8_t sub, struct ecomm *e)
{
	const char *colon = strchr(a, ':');
	uint64_t id;
	uint32_t bits;
	float f;
	struct wbuf w;

	if (!colon || strnum_u64(a, (size_t)(colon - a), UINT16_MAX, &id) < 0 ||
	    rate_parse(colon + 1, &f) < 0)
		return -1;
	memcpy(&bits, &f, sizeof(bits));
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, ECOMM_T_FS_AS2);
	wbuf_u8(&w, sub);
	wbuf_u16(&w, (uint16_t)id);
	wbuf_u32(&w, bits);
	return wbuf_ok(&w) ? 0 : -1;
}

static int parse_traffic_rate(const char *a, struct ecomm *e)
{
	return rate_ecomm_parse(a, ST_FS_RATE_BYTES, e);
}
static int parse_traffic_rate_packets(const char *a, struct ecomm *e)
{
	return rate_ecomm_parse(a, ST_FS_RATE_PACKETS, e);
}

static bool rate_ecomm_fmt(const char *word, struct rbuf *r, char *buf, size_t len)
{
	uint16_t id;
	uint32_t bits;
	float f;
	char txt[32];

	if (!rbuf_u16(r, &id) || !rbuf_u32(r, &bits))
		return false;
	memcpy(&f, &bits, sizeof(f));
	if (!rate_fmt(f, txt, sizeof(txt)))
		return false;
	snprintf(buf, len, "%s:%u:%s", word, (unsigned)id, txt);
	return true;
}

/* Write type, sub-type, 5 zero octets and a last octet. */
static int last_octet_ecomm(uint8_t type, uint8_t sub, uint8_t last, struct ecomm *e)
{
	struct wbuf w;

	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, type);
	wbuf_u8(&w, sub);
	wbuf_zero(&w, 5);
	wbuf_u8(&w, last);
	return wbuf_ok(&w) ? 0 : -1;
}

/* Read 5 octets that must be zero, then the last octet. */
static bool last_octet_read(struct rbuf *r, uint8_t *last)
{
	uint64_t zero;

	return rbuf_uint(r, 5, &zero) && zero == 0 && rbuf_u8(r, last);
}

/* "terminal", "sample", "terminal,sample" (either order) or "none". */
static int parse_traffic_action(const char *a, struct ecomm *e)
{
	uint8_t bits = 0;

	if (strcmp(a, "none") != 0) {
		for (;;) {
			size_t n = strcspn(a, ",");
			uint8_t bit = 0;

			if (n == 8 && strncmp(a, "terminal", n) == 0)
				bit = FS_ACTION_TERMINAL;
			else if (n == 6 && strncmp(a, "sample", n) == 0)
				bit = FS_ACTION_SAMPLE;
			if (bit == 0 || (bits & bit))
				return -1;
			bits |= bit;
			if (a[n] == '\0')
				break;
			a += n + 1;
		}
	}
	return last_octet_ecomm(ECOMM_T_FS_AS2, ST_FS_ACTION, bits, e);
}

static bool fmt_traffic_action(struct rbuf *r, char *buf, size_t len)
{
	uint8_t last;
	bool t, s;

	if (!last_octet_read(r, &last) || (last & ~(FS_ACTION_TERMINAL | FS_ACTION_SAMPLE)))
		return false;
	t = last & FS_ACTION_TERMINAL;
	s = last & FS_ACTION_SAMPLE;
	snprintf(buf, len, "traffic-action:%s%s%s", t ? "terminal" : "", t && s ? "," : "",
		 s ? "sample" : (t ? "" : "none"));
	return true;
}

/* RFC 8955 s7.5: 5 reserved octets, then 2 reserved bits and a 6-bit DSCP. */
static int parse_traffic_marking(const char *a, struct ecomm *e)
{
	uint64_t dscp;

	if (num_parse(a, 63, &dscp) < 0)
		return -1;
	return last_octet_ecomm(ECOMM_T_FS_AS2, ST_FS_MARKING, (uint8_t)dscp, e);
}

static bool fmt_traffic_marking(struct rbuf *r, char *buf, size_t len)
{
	uint8_t last;

	if (!last_octet_read(r, &last) || last > 63)
		return false;
	snprintf(buf, len, "traffic-marking:%u", (unsigned)last);
	return true;
}

/* ---- redirect to IP ---- */

/*
 * draft-ietf-idr-flowspec-redirect-ip-02 s3: the target address is the
 * global administrator of a transitive IPv4-address-specific community
 * (type 0x01, sub-type 0x0c "Flow-spec Redirect to IPv4"), the local
 * administrator is 15 reserved bits and C.  Text "redirect-ip:192.0.2.1"
 * or "redirect-ip:192.0.2.1:copy".
 */
static int parse_redirect_ip(const char *a, struct ecomm *e)
{
	const char *colon = strchr(a, ':');
	size_t n = colon ? (size_t)(colon - a) : strlen(a);
	char ip[INET_ADDRSTRLEN];
	uint8_t addr[4];
	struct wbuf w;

	if (colon && strcmp(colon + 1, "copy") != 0)
		return -1;
	if (str_take(ip, sizeof(ip), a, n) < 0 || inet_pton(AF_INET, ip, addr) != 1)
		return -1;
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, ECOMM_T_IPV4);
	wbuf_u8(&w, ST_REDIRECT_IP);
	wbuf_bytes(&w, addr, sizeof(addr));
	wbuf_u16(&w, colon ? REDIRECT_IP_COPY : 0);
	return wbuf_ok(&w) ? 0 : -1;
}

static bool fmt_redirect_ip(struct rbuf *r, char *buf, size_t len)
{
	uint8_t addr[4];
	uint16_t la;
	char ip[INET_ADDRSTRLEN];

	if (!rbuf_bytes(r, addr, sizeof(addr)) || !rbuf_u16(r, &la) || (la & ~REDIRECT_IP_COPY))
		return false;
	inet_ntop(AF_INET, addr, ip, sizeof(ip));
	snprintf(buf, len, "redirect-ip:%s%s", ip, la ? ":copy" : "");
	return true;
}

/*
 * The earlier redirect-to-IP encoding (type 0x08, sub-type 0x00), which
 * draft -02 s5 asks IANA to deprecate: the target is the route's next hop,
 * so the community holds only the copy flag, taken as the least significant
 * bit of the last octet.  Text "redirect-ip-nh" / "redirect-ip-nh:copy".
 */
static int parse_redirect_ip_nh(const char *a, struct ecomm *e)
{
	uint8_t c = 0;

	if (a && strcmp(a, "copy") != 0)
		return -1;
	if (a)
		c = 1;
	return last_octet_ecomm(T_REDIRECT_IP_NH, ST_REDIRECT_IP_NH, c, e);
}

static bool fmt_redirect_ip_nh(struct rbuf *r, char *buf, size_t len)
{
	uint8_t last;

	if (!last_octet_read(r, &last) || last > 1)
		return false;
	snprintf(buf, len, "redirect-ip-nh%s", last ? ":copy" : "");
	return true;
}

/* ---- opaque (type 0x03) ---- */

/* RFC 9012 s4.1: 4 reserved octets, 2-octet tunnel type ("encap:13"). */
static int parse_encap(const char *a, struct ecomm *e)
{
	uint64_t t;
	struct wbuf w;

	if (num_parse(a, UINT16_MAX, &t) < 0)
		return -1;
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, ECOMM_T_OPAQUE);
	wbuf_u8(&w, ST_ENCAP);
	wbuf_u32(&w, 0);
	wbuf_u16(&w, (uint16_t)t);
	return wbuf_ok(&w) ? 0 : -1;
}

static bool fmt_encap(struct rbuf *r, char *buf, size_t len)
{
	uint32_t rsv;
	uint16_t t;

	if (!rbuf_u32(r, &rsv) || !rbuf_u16(r, &t) || rsv != 0)
		return false;
	snprintf(buf, len, "encap:%u", (unsigned)t);
	return true;
}

/* draft-ietf-bess-service-chaining-06 s10.2: 4-octet Sort Order, 2 reserved
 * octets.  Text "chash-order:<sort order>"; reserved must be zero. */
static int parse_chash_order(const char *a, struct ecomm *e)
{
	uint64_t order;
	struct wbuf w;

	if (num_parse(a, UINT32_MAX, &order) < 0)
		return -1;
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_u8(&w, ECOMM_T_OPAQUE);
	wbuf_u8(&w, ST_CHASH_ORDER);
	wbuf_u32(&w, (uint32_t)order);
	wbuf_u16(&w, 0);
	return wbuf_ok(&w) ? 0 : -1;
}

static bool fmt_chash_order(struct rbuf *r, char *buf, size_t len)
{
	uint32_t order;
	uint16_t rsv;

	if (!rbuf_u32(r, &order) || !rbuf_u16(r, &rsv) || rsv != 0)
		return false;
	snprintf(buf, len, "chash-order:%" PRIu32, order);
	return true;
}

static int parse_load_balance(const char *a, struct ecomm *e)
{
	uint8_t v[8] = {ECOMM_T_OPAQUE, ST_LOAD_BALANCE};
	struct wbuf w;

	if (strcmp(a, "none") != 0) {
		for (;;) {
			size_t n = strcspn(a, ","), i;

			for (i = 0; i < sizeof(lb_flags) / sizeof(lb_flags[0]); i++)
				if (strlen(lb_flags[i].name) == n &&
				    strncmp(a, lb_flags[i].name, n) == 0)
					break;
			if (i == sizeof(lb_flags) / sizeof(lb_flags[0]) ||
			    (v[lb_flags[i].octet] & lb_flags[i].mask))
				return -1; /* unknown or repeated */
			v[lb_flags[i].octet] |= lb_flags[i].mask;
			if (a[n] == '\0')
				break;
			a += n + 1;
		}
	}
	wbuf_init(&w, e->b, sizeof(e->b));
	wbuf_bytes(&w, v, sizeof(v));
	return wbuf_ok(&w) ? 0 : -1;
}

static bool fmt_load_balance(struct rbuf *r, char *buf, size_t len)
{
	uint8_t v[8] = {0}, rsv[8];
	char list[ECOMM_STRLEN] = "";
	size_t off = 0;

	/* the flag table indexes octets of the whole community */
	if (!rbuf_bytes(r, &v[2], 6))
		return false;
	memcpy(rsv, v, sizeof(rsv));
	for (size_t i = 0; i < sizeof(lb_flags) / sizeof(lb_flags[0]); i++)
		rsv[lb_flags[i].octet] &= (uint8_t)~lb_flags[i].mask;
	for (size_t i = 0; i < sizeof(rsv); i++)
		if (rsv[i] != 0)
			return false; /* a reserved bit is set */
	for (size_t i = 0; i < sizeof(lb_flags) / sizeof(lb_flags[0]); i++) {
		if (!(v[lb_flags[i].octet] & lb_flags[i].mask))
			continue;
		/* all six names fit: list has room for 64 characters */
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", off ? "," : "",
					lb_flags[i].name);
	}
	snprintf(buf, len, "load-balance:%s", off ? list : "none");
	return true;
}

/* ---- raw ---- */

static int parse_raw(const char *a, struct ecomm *e)
{
	struct ecomm t;

	if (strlen(a) != 16 || hex_decode(a, t.b, sizeof(t.b)) != 8)
		return -1;
	*e = t;
	return 0;
}

/* ---- dispatch ---- */

static const struct {
	const char *word;
	int (*parse)(const char *arg, struct ecomm *e);
	bool bare_ok; /* may appear without ":arg" */
} ecomm_words[] = {
    {"target", parse_target, false},
    {"origin", parse_origin, false},
    {"rt-record", parse_rt_record, false},
    {"redirect", parse_redirect, false},
    {"traffic-rate", parse_traffic_rate, false},
    {"traffic-rate-packets", parse_traffic_rate_packets, false},
    {"traffic-action", parse_traffic_action, false},
    {"traffic-marking", parse_traffic_marking, false},
    {"redirect-ip", parse_redirect_ip, false},
    {"redirect-ip-nh", parse_redirect_ip_nh, true},
    {"encap", parse_encap, false},
    {"chash-order", parse_chash_order, false},
    {"load-balance", parse_load_balance, false},
    {"raw", parse_raw, false},
};

int ecomm_parse(const char *s, struct ecomm *e)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	const char *arg = colon ? colon + 1 : NULL;
	struct ecomm t;

	for (size_t i = 0; i < sizeof(ecomm_words) / sizeof(ecomm_words[0]); i++) {
		if (strlen(ecomm_words[i].word) != n || strncmp(s, ecomm_words[i].word, n) != 0)
			continue;
		if (!arg && !ecomm_words[i].bare_ok)
			return -1;
		if (ecomm_words[i].parse(arg, &t) < 0)
			return -1;
		*e = t;
		return 0;
	}
	return -1;
}

int ecomm_rt_parse(const char *s, struct ecomm *e)
{
	struct ecomm t;

	if (parse_target(s, &t) < 0)
		return -1;
	*e = t;
	return 0;
}

bool ecomm_is_rt(const struct ecomm *e)
{
	/* RFC 4360 s4, RFC 5668 s3: transitive types only */
	return e->b[0] <= ECOMM_T_AS4 && e->b[1] == ECOMM_ST_RT;
}

/* Format the admin-style kinds: RT / RO / RT-Record / redirect. */
static bool fmt_admin_kinds(uint8_t type, uint8_t sub, struct rbuf *r, char *buf, size_t len)
{
	const char *word = NULL;

	if (type <= ECOMM_T_AS4) {
		if (sub == ECOMM_ST_RT)
			word = "target";
		else if (sub == ECOMM_ST_RO)
			word = "origin";
		else if (sub == ECOMM_ST_RT_RECORD)
			word = "rt-record";
	} else if (type >= ECOMM_T_FS_AS2 && type <= ECOMM_T_FS_AS4 && sub == ST_FS_REDIRECT) {
		word = "redirect"; /* RFC 8955 s7.4, RFC 7674 */
	}
	if (!word)
		return false;
	admin_fmt(word, type & 0x03, r, buf, len);
	return true;
}

static bool fmt_known(uint8_t type, uint8_t sub, struct rbuf *r, char *buf, size_t len)
{
	if (fmt_admin_kinds(type, sub, r, buf, len))
		return true;
	if (type == ECOMM_T_FS_AS2 && sub == ST_FS_RATE_BYTES)
		return rate_ecomm_fmt("traffic-rate", r, buf, len);
	if (type == ECOMM_T_FS_AS2 && sub == ST_FS_RATE_PACKETS)
		return rate_ecomm_fmt("traffic-rate-packets", r, buf, len);
	if (type == ECOMM_T_FS_AS2 && sub == ST_FS_ACTION)
		return fmt_traffic_action(r, buf, len);
	if (type == ECOMM_T_FS_AS2 && sub == ST_FS_MARKING)
		return fmt_traffic_marking(r, buf, len);
	if (type == ECOMM_T_IPV4 && sub == ST_REDIRECT_IP)
		return fmt_redirect_ip(r, buf, len);
	if (type == T_REDIRECT_IP_NH && sub == ST_REDIRECT_IP_NH)
		return fmt_redirect_ip_nh(r, buf, len);
	if (type == ECOMM_T_OPAQUE && sub == ST_ENCAP)
		return fmt_encap(r, buf, len);
	if (type == ECOMM_T_OPAQUE && sub == ST_CHASH_ORDER)
		return fmt_chash_order(r, buf, len);
	if (type == ECOMM_T_OPAQUE && sub == ST_LOAD_BALANCE)
		return fmt_load_balance(r, buf, len);
	return false;
}

char *ecomm_fmt(const struct ecomm *e, char *buf, size_t len)
{
	struct rbuf r;
	uint8_t type, sub;
	char hex[2 * sizeof(e->b) + 1];

	ecomm_read(e, &r, &type, &sub);
	if (!fmt_known(type, sub, &r, buf, len))
		snprintf(buf, len, "raw:%s", hex_encode(e->b, sizeof(e->b), hex));
	return buf;
}

int ecomm_cmp(const struct ecomm *a, const struct ecomm *b)
{
	int c = memcmp(a->b, b->b, sizeof(a->b));

	return c < 0 ? -1 : c > 0;
}

/* ---- IPv6-address-specific, RFC 5701 s2 ---- */

/* Transitive IPv6-address-specific sub-types (type octet 0x00). */
static const struct {
	const char *word;
	uint8_t sub;
	bool copy_flag; /* local administrator is the redirect-ip C flag */
} ecomm6_words[] = {
    {"target6", ECOMM_ST_RT, false},	       /* RFC 5701 s3 */
    {"origin6", ECOMM_ST_RO, false},	       /* RFC 5701 s3 */
    {"rt-record6", ECOMM_ST_RT_RECORD, false}, /* draft-ietf-bess-service-chaining s10.1 */
    {"redirect-ip6", ST_REDIRECT_IP, true},    /* draft-ietf-idr-flowspec-redirect-ip-02 s3 */
};

/* "[2001:db8::1]" followed by ":N" (or ":copy" / nothing for copy_flag). */
static int ecomm6_value_parse(const char *a, bool copy_flag, uint8_t addr[16], uint16_t *la)
{
	const char *close = strchr(a, ']');
	char ip[INET6_ADDRSTRLEN];
	uint64_t n;

	if (*a != '[' || !close || str_take(ip, sizeof(ip), a + 1, (size_t)(close - a - 1)) < 0 ||
	    inet_pton(AF_INET6, ip, addr) != 1)
		return -1;
	if (copy_flag) {
		if (close[1] == '\0')
			*la = 0;
		else if (strcmp(close + 1, ":copy") == 0)
			*la = REDIRECT_IP_COPY;
		else
			return -1;
		return 0;
	}
	if (close[1] != ':' || num_parse(close + 2, UINT16_MAX, &n) < 0)
		return -1;
	*la = (uint16_t)n;
	return 0;
}

int ecomm6_parse(const char *s, struct ecomm6 *e)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : 0;
	uint8_t addr[16];
	uint16_t la;
	struct ecomm6 t;
	struct wbuf w;

	if (!colon)
		return -1;
	if (n == 4 && strncmp(s, "raw6", 4) == 0) {
		if (strlen(colon + 1) != 40 || hex_decode(colon + 1, t.b, sizeof(t.b)) != 20)
			return -1;
		*e = t;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ecomm6_words) / sizeof(ecomm6_words[0]); i++) {
		if (strlen(ecomm6_words[i].word) != n || strncmp(s, ecomm6_words[i].word, n) != 0)
			continue;
		if (ecomm6_value_parse(colon + 1, ecomm6_words[i].copy_flag, addr, &la) < 0)
			return -1;
		wbuf_init(&w, t.b, sizeof(t.b));
		wbuf_u8(&w, 0x00); /* transitive */
		wbuf_u8(&w, ecomm6_words[i].sub);
		wbuf_bytes(&w, addr, sizeof(addr));
		wbuf_u16(&w, la);
		if (!wbuf_ok(&w))
			return -1;
		*e = t;
		return 0;
	}
	return -1;
}

static bool ecomm6_fmt_known(const struct ecomm6 *e, char *buf, size_t len)
{
	struct rbuf r;
	uint8_t type, sub, addr[16];
	uint16_t la;
	char ip[INET6_ADDRSTRLEN];

	rbuf_init(&r, e->b, sizeof(e->b));
	if (!rbuf_u8(&r, &type) || !rbuf_u8(&r, &sub) || !rbuf_bytes(&r, addr, sizeof(addr)) ||
	    !rbuf_u16(&r, &la) || type != 0x00)
		return false;
	inet_ntop(AF_INET6, addr, ip, sizeof(ip));
	for (size_t i = 0; i < sizeof(ecomm6_words) / sizeof(ecomm6_words[0]); i++) {
		if (ecomm6_words[i].sub != sub)
			continue;
		if (!ecomm6_words[i].copy_flag) {
			snprintf(buf, len, "%s:[%s]:%u", ecomm6_words[i].word, ip, (unsigned)la);
			return true;
		}
		if (la & ~REDIRECT_IP_COPY)
			return false;
		snprintf(buf, len, "%s:[%s]%s", ecomm6_words[i].word, ip, la ? ":copy" : "");
		return true;
	}
	return false;
}

char *ecomm6_fmt(const struct ecomm6 *e, char *buf, size_t len)
{
	char hex[2 * sizeof(e->b) + 1];

	if (!ecomm6_fmt_known(e, buf, len))
		snprintf(buf, len, "raw6:%s", hex_encode(e->b, sizeof(e->b), hex));
	return buf;
}

/* ---- standard communities, RFC 1997 ---- */

static const struct {
	const char *name;
	uint32_t value;
} comm_names[] = {
    {"no-export", 0xFFFFFF01},		 /* RFC 1997 */
    {"no-advertise", 0xFFFFFF02},	 /* RFC 1997 */
    {"no-export-subconfed", 0xFFFFFF03}, /* RFC 1997 */
    {"no-peer", 0xFFFFFF04},		 /* RFC 3765 s4 */
    {"graceful-shutdown", 0xFFFF0000},	 /* RFC 8326 s4.1 */
    {"blackhole", 0xFFFF029A},		 /* RFC 7999 s5 */
};

/* "A:B" with n 32-bit (large) or 16-bit (standard) parts, into v[]. */
static int colon_nums_parse(const char *s, unsigned n, uint64_t max, uint64_t *v)
{
	for (unsigned i = 0; i < n; i++) {
		size_t k = strcspn(s, ":");

		if ((s[k] == ':') != (i + 1 < n) || strnum_u64(s, k, max, &v[i]) < 0)
			return -1;
		s += k + (s[k] == ':');
	}
	return 0;
}

int comm_parse(const char *s, uint32_t *c)
{
	uint64_t v[2];

	for (size_t i = 0; i < sizeof(comm_names) / sizeof(comm_names[0]); i++) {
		if (strcmp(s, comm_names[i].name) == 0) {
			*c = comm_names[i].value;
			return 0;
		}
	}
	if (colon_nums_parse(s, 2, UINT16_MAX, v) < 0)
		return -1;
	*c = (uint32_t)(v[0] << 16 | v[1]);
	return 0;
}

char *comm_fmt(uint32_t c, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(comm_names) / sizeof(comm_names[0]); i++) {
		if (comm_names[i].value == c) {
			snprintf(buf, len, "%s", comm_names[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "%u:%u", (unsigned)(c >> 16), (unsigned)(c & 0xffff));
	return buf;
}

/* ---- large communities, RFC 8092 ---- */

int lcomm_parse(const char *s, struct lcomm *c)
{
	uint64_t v[3];

	if (colon_nums_parse(s, 3, UINT32_MAX, v) < 0)
		return -1;
	c->global = (uint32_t)v[0];
	c->local1 = (uint32_t)v[1];
	c->local2 = (uint32_t)v[2];
	return 0;
}

char *lcomm_fmt(const struct lcomm *c, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu32 ":%" PRIu32 ":%" PRIu32, c->global, c->local1, c->local2);
	return buf;
}
