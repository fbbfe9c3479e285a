/*
 * aspath: AS_PATH / AS4_PATH segments (RFC 4271 s4.3, RFC 5065 s3,
 * RFC 6793): validation, walking, path length and text.
 *
 * A path is a view of <type, count, count x ASN> segments with 2- or
 * 4-octet ASNs.  Only bgp_aspath_valid() accepts unvalidated input; the
 * others assume a path it accepted and stop quietly at anything odd.
 *
 * Not for: AS path policy or prepending (RIB / policy code).
 */
#include <stdio.h>
#include <string.h>

#include "wire/attr.h"
#include "wire/update.h"

#define SEG_MAX 255

/* Read one segment; false at the end or on anything malformed. */
static bool seg_next(struct rbuf *r, bool as4, uint8_t *type, uint32_t *asns, unsigned *n)
{
	uint8_t cnt;

	if (!rbuf_u8(r, type) || !rbuf_u8(r, &cnt))
		return false;
	for (unsigned i = 0; i < cnt; i++) {
		uint16_t a16;

		if (as4) {
			if (!rbuf_u32(r, &asns[i]))
				return false;
		} else {
			if (!rbuf_u16(r, &a16))
				return false;
			asns[i] = a16;
		}
	}
	*n = cnt;
	return true;
}

/* RFC 7606 s7.2: malformed if a segment overruns, has length zero or an
 * undefined type (AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET). */
bool bgp_aspath_valid(const struct rbuf *path, bool as4)
{
	struct rbuf r = *path;
	uint32_t asns[SEG_MAX];
	uint8_t type;
	unsigned n;

	while (!rbuf_empty(&r)) {
		if (!seg_next(&r, as4, &type, asns, &n))
			return false;
		if (n == 0 || type < BGP_AS_SET || type > BGP_AS_CONFED_SET)
			return false;
	}
	return true;
}

void bgp_aspath_walk(const struct rbuf *path, bool as4, bgp_aspath_seg_fn fn, void *ctx)
{
	struct rbuf r = *path;
	uint32_t asns[SEG_MAX];
	uint8_t type;
	unsigned n;

	while (!rbuf_empty(&r) && seg_next(&r, as4, &type, asns, &n))
		fn(ctx, type, asns, n);
}

/* RFC 4271 s9.1.2.2 a: an AS_SET counts as 1; RFC 5065 s5.3: confederation
 * segments do not count. */
static void len_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	unsigned *len = ctx;

	(void)asns;
	if (type == BGP_AS_SEQUENCE)
		*len += n;
	else if (type == BGP_AS_SET)
		*len += 1;
}

unsigned bgp_aspath_len(const struct rbuf *path, bool as4)
{
	unsigned len = 0;

	bgp_aspath_walk(path, as4, len_seg, &len);
	return len;
}

struct fmt_ctx {
	char *buf;
	size_t len, used;
};

static void fmt_put(struct fmt_ctx *f, const char *s)
{
	size_t l = strlen(s);

	if (f->used + l >= f->len) {
		f->used = f->len; /* truncated: stop writing */
		return;
	}
	memcpy(f->buf + f->used, s, l + 1);
	f->used += l;
}

/* Sequences space-separated, sets in braces with commas; confederation
 * segments wrapped in parentheses: "65001 {65003,65004} (65005 65006)". */
static void fmt_seg(void *ctx, uint8_t type, const uint32_t *asns, unsigned n)
{
	struct fmt_ctx *f = ctx;
	bool set = type == BGP_AS_SET || type == BGP_AS_CONFED_SET;
	bool confed = type == BGP_AS_CONFED_SEQUENCE || type == BGP_AS_CONFED_SET;
	char num[16];

	if (f->used > 0)
		fmt_put(f, " ");
	if (confed)
		fmt_put(f, "(");
	if (set)
		fmt_put(f, "{");
	for (unsigned i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%s%u", i ? (set ? "," : " ") : "", asns[i]);
		fmt_put(f, num);
	}
	if (set)
		fmt_put(f, "}");
	if (confed)
		fmt_put(f, ")");
}

char *bgp_aspath_fmt(const struct rbuf *path, bool as4, char *buf, size_t len)
{
	struct fmt_ctx f = {buf, len, 0};

	if (len == 0)
		return buf;
	buf[0] = '\0';
	bgp_aspath_walk(path, as4, fmt_seg, &f);
	return buf;
}
