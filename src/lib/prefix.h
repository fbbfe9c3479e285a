/*
 * prefix: IPv4/IPv6 addresses and prefixes, with text forms.
 *
 * Families are identified by their BGP AFI number (1 = IPv4, 2 = IPv6) so
 * that wire code needs no mapping.  Addresses are stored in network byte
 * order; bytes past the family's width (and host bits of a prefix after
 * prefix_normalize()) are zero, so memcmp() of two values is meaningful.
 *
 * Not for: wire encoding of prefixes (wire/nlri.h).
 */
#ifndef VTOPO_PREFIX_H
#define VTOPO_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AFI_IPV4 1
#define AFI_IPV6 2

#define IPADDR_STRLEN 48
#define PREFIX_STRLEN 52

struct ipaddr {
	uint8_t afi; /* AFI_IPV4 or AFI_IPV6; 0 = unset */
	uint8_t b[16];
};

struct prefix {
	uint8_t afi;
	uint8_t len; /* bits */
	uint8_t b[16];
};

/* Width of an address family in bytes / bits (0 for an unknown afi). */
unsigned afi_addr_bytes(uint8_t afi);
unsigned afi_addr_bits(uint8_t afi);

/* Parse "192.0.2.1" or "2001:db8::1"; returns 0, or -1 on bad text. */
int ipaddr_parse(const char *s, struct ipaddr *a);
/* Format into buf (at least IPADDR_STRLEN); returns buf. */
char *ipaddr_fmt(const struct ipaddr *a, char *buf, size_t len);
int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b);
void ipaddr_from_v4(struct ipaddr *a, uint32_t host_order);
uint32_t ipaddr_v4(const struct ipaddr *a); /* host order */

/* Parse "192.0.2.0/24", "2001:db8::/32"; a bare address means a host
 * prefix.  Host bits must be zero ("192.0.2.1/24" is an error), len must fit
 * the family.  Returns 0, or -1. */
int prefix_parse(const char *s, struct prefix *p);
char *prefix_fmt(const struct prefix *p, char *buf, size_t len);
/* Clear the host bits and anything past the family's width. */
void prefix_normalize(struct prefix *p);
int prefix_cmp(const struct prefix *a, const struct prefix *b);
/* Does prefix p contain address a / prefix q? */
bool prefix_contains_addr(const struct prefix *p, const struct ipaddr *a);
bool prefix_contains(const struct prefix *p, const struct prefix *q);

#endif
