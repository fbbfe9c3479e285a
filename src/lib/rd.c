/*
 * rd: route distinguishers (RFC 4364 s4.2) and their text forms; see rd.h.
 *
 * The 8 bytes are read and written through rbuf/wbuf like any wire data.
 * A type 2 RD whose AS happens to fit 16 bits formats with an "L" after
 * the AS ("100L:1", the convention Junos uses for 4-octet AS values), so
 * that text and bytes round-trip both ways.
 *
 * Not for: route targets (ecomm.c).
 */
#include "lib/rd.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/rbuf.h"
#include "lib/strnum.h"
#include "lib/wbuf.h"

/* RFC 4364 s4.2 type field values */
#define RD_T_AS2 0
#define RD_T_IPV4 1
#define RD_T_AS4 2

/* "type<T>:<12 hex digits>", the form rd_fmt() uses for unknown types. */
static int rd_parse_unknown(const char *s, struct rd *rd)
{
	const char *colon = strchr(s, ':');
	uint8_t val[6];
	uint64_t t;
	struct wbuf w;

	if (!colon || strncmp(s, "type", 4) != 0)
		return -1;
	if (strnum_u64(s + 4, (size_t)(colon - s - 4), UINT16_MAX, &t) < 0 || t <= RD_T_AS4)
		return -1;
	if (strlen(colon + 1) != 12 || hex_decode(colon + 1, val, sizeof(val)) != 6)
		return -1;
	wbuf_init(&w, rd->b, sizeof(rd->b));
	wbuf_u16(&w, (uint16_t)t);
	wbuf_bytes(&w, val, sizeof(val));
	return wbuf_ok(&w) ? 0 : -1;
}

int rd_parse(const char *s, struct rd *rd)
{
	const char *colon = strchr(s, ':');
	const char *num;
	struct rd t;
	struct wbuf w;
	uint64_t admin, n;
	char ip[INET_ADDRSTRLEN];
	size_t alen;

	if (strncmp(s, "type", 4) == 0)
		return rd_parse_unknown(s, rd);
	if (!colon || strchr(colon + 1, ':'))
		return -1;
	alen = (size_t)(colon - s);
	num = colon + 1;
	wbuf_init(&w, t.b, sizeof(t.b));
	if (memchr(s, '.', alen)) {
		/* type 1: IPv4 address : 2-octet number */
		uint8_t a[4];

		if (alen >= sizeof(ip))
			return -1;
		memcpy(ip, s, alen);
		ip[alen] = '\0';
		if (inet_pton(AF_INET, ip, a) != 1 ||
		    strnum_u64(num, strlen(num), UINT16_MAX, &n) < 0)
			return -1;
		wbuf_u16(&w, RD_T_IPV4);
		wbuf_bytes(&w, a, sizeof(a));
		wbuf_u16(&w, (uint16_t)n);
	} else {
		/* "100L:1": force the 4-octet AS layout (type 2) */
		bool as4 = alen > 1 && s[alen - 1] == 'L';

		if (strnum_u64(s, as4 ? alen - 1 : alen, UINT32_MAX, &admin) < 0)
			return -1;
		if (admin <= UINT16_MAX && !as4) {
			/* type 0: 2-octet AS : 4-octet number */
			if (strnum_u64(num, strlen(num), UINT32_MAX, &n) < 0)
				return -1;
			wbuf_u16(&w, RD_T_AS2);
			wbuf_u16(&w, (uint16_t)admin);
			wbuf_u32(&w, (uint32_t)n);
		} else {
			/* type 2: 4-octet AS : 2-octet number */
			if (strnum_u64(num, strlen(num), UINT16_MAX, &n) < 0)
				return -1;
			wbuf_u16(&w, RD_T_AS4);
			wbuf_u32(&w, (uint32_t)admin);
			wbuf_u16(&w, (uint16_t)n);
		}
	}
	if (!wbuf_ok(&w))
		return -1;
	*rd = t;
	return 0;
}

char *rd_fmt(const struct rd *rd, char *buf, size_t len)
{
	struct rbuf r;
	uint16_t type, n16;
	uint32_t n32;
	uint8_t a[6];
	char tmp[INET_ADDRSTRLEN];

	rbuf_init(&r, rd->b, sizeof(rd->b));
	if (!rbuf_u16(&r, &type))
		goto fail;
	switch (type) {
	case RD_T_AS2:
		if (!rbuf_u16(&r, &n16) || !rbuf_u32(&r, &n32))
			goto fail;
		snprintf(buf, len, "%u:%" PRIu32, (unsigned)n16, n32);
		break;
	case RD_T_IPV4:
		if (!rbuf_bytes(&r, a, 4) || !rbuf_u16(&r, &n16))
			goto fail;
		inet_ntop(AF_INET, a, tmp, sizeof(tmp));
		snprintf(buf, len, "%s:%u", tmp, (unsigned)n16);
		break;
	case RD_T_AS4:
		if (!rbuf_u32(&r, &n32) || !rbuf_u16(&r, &n16))
			goto fail;
		snprintf(buf, len, "%" PRIu32 "%s:%u", n32, n32 <= UINT16_MAX ? "L" : "",
			 (unsigned)n16);
		break;
	default: {
		char hex[13];

		if (!rbuf_bytes(&r, a, sizeof(a)))
			goto fail;
		snprintf(buf, len, "type%u:%s", (unsigned)type, hex_encode(a, sizeof(a), hex));
		break;
	}
	}
	return buf;
fail:
	/* cannot happen: the view is exactly the 8 bytes of the RD */
	snprintf(buf, len, "?");
	return buf;
}

int rd_cmp(const struct rd *a, const struct rd *b)
{
	int c = memcmp(a->b, b->b, sizeof(a->b));

	return c < 0 ? -1 : c > 0;
}
