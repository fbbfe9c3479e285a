/*
 * prefix: IPv4/IPv6 addresses and prefixes and their text forms; see
 * prefix.h for the contract.  Text conversion goes through inet_pton() and
 * inet_ntop(), so IPv6 output is the RFC 5952 s4 canonical form (lower
 * case, longest run of zero groups compressed).
 *
 * Not for: wire encoding of prefixes (wire/nlri.c).
 */
#include "lib/prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lib/strnum.h"

unsigned afi_addr_bytes(uint8_t afi)
{
	switch (afi) {
	case AFI_IPV4:
		return 4;
	case AFI_IPV6:
		return 16;
	default:
		return 0;
	}
}

unsigned afi_addr_bits(uint8_t afi)
{
	return afi_addr_bytes(afi) * 8;
}

/* Parse the n characters at s as an address; the family is IPv6 when the
 * text holds a ':'. */
static int addr_parse_n(const char *s, size_t n, uint8_t *afi, uint8_t b[16])
{
	char tmp[IPADDR_STRLEN];
	bool v6 = memchr(s, ':', n) != NULL;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(b, 0, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, tmp, b) != 1)
		return -1;
	*afi = v6 ? AFI_IPV6 : AFI_IPV4;
	return 0;
}

static char *addr_fmt(uint8_t afi, const uint8_t b[16], char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	const char *s = "unset";

	if (afi == AFI_IPV4 || afi == AFI_IPV6) {
		int af = afi == AFI_IPV4 ? AF_INET : AF_INET6;

		s = inet_ntop(af, b, tmp, sizeof(tmp)) ? tmp : "?";
	}
	snprintf(buf, len, "%s", s);
	return buf;
}

int ipaddr_parse(const char *s, struct ipaddr *a)
{
	struct ipaddr t;

	if (addr_parse_n(s, strlen(s), &t.afi, t.b) < 0)
		return -1;
	*a = t;
	return 0;
}

char *ipaddr_fmt(const struct ipaddr *a, char *buf, size_t len)
{
	return addr_fmt(a->afi, a->b, buf, len);
}

int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	return memcmp(a->b, b->b, sizeof(a->b));
}

void ipaddr_from_v4(struct ipaddr *a, uint32_t host_order)
{
	memset(a, 0, sizeof(*a));
	a->afi = AFI_IPV4;
	a->b[0] = (uint8_t)(host_order >> 24);
	a->b[1] = (uint8_t)(host_order >> 16);
	a->b[2] = (uint8_t)(host_order >> 8);
	a->b[3] = (uint8_t)host_order;
}

uint32_t ipaddr_v4(const struct ipaddr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3];
}

/* Do the first `bits` bits of x and y agree? */
static bool bits_equal(const uint8_t *x, const uint8_t *y, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(x, y, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return ((x[whole] ^ y[whole]) & mask) == 0;
}

void prefix_normalize(struct prefix *p)
{
	unsigned width = afi_addr_bits(p->afi);

	if (p->len > width)
		p->len = (uint8_t)width;
	for (unsigned i = 0; i < sizeof(p->b); i++) {
		unsigned first = i * 8;

		if (first >= p->len)
			p->b[i] = 0;
		else if (first + 8 > p->len)
			p->b[i] &= (uint8_t)(0xff << (8 - (p->len - first)));
	}
}

int prefix_parse(const char *s, struct prefix *p)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct prefix t, n;
	uint64_t len;

	if (addr_parse_n(s, alen, &t.afi, t.b) < 0)
		return -1;
	if (!slash) {
		len = afi_addr_bits(t.afi);
	} else {
		const char *ls = slash + 1;

		/* at most 3 digits, so "/0024" style padding is refused */
		if (strlen(ls) > 3 || strnum_u64(ls, strlen(ls), afi_addr_bits(t.afi), &len) < 0)
			return -1;
	}
	t.len = (uint8_t)len;
	n = t;
	prefix_normalize(&n);
	if (memcmp(n.b, t.b, sizeof(t.b)) != 0)
		return -1; /* host bits set */
	*p = t;
	return 0;
}

char *prefix_fmt(const struct prefix *p, char *buf, size_t len)
{
	char a[IPADDR_STRLEN];

	addr_fmt(p->afi, p->b, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, (unsigned)p->len);
	return buf;
}

int prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	c = memcmp(a->b, b->b, sizeof(a->b));
	if (c != 0)
		return c < 0 ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool prefix_contains_addr(const struct prefix *p, const struct ipaddr *a)
{
	if (p->afi != a->afi || p->len > afi_addr_bits(p->afi))
		return false;
	return bits_equal(p->b, a->b, p->len);
}

bool prefix_contains(const struct prefix *p, const struct prefix *q)
{
	if (p->afi != q->afi || p->len > q->len || p->len > afi_addr_bits(p->afi))
		return false;
	return bits_equal(p->b, q->b, p->len);
}
