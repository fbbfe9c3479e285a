/*
 * rd: route distinguishers (RFC 4364 section 4.2), types 0, 1 and 2.
 *
 * Kept as the 8 wire bytes (type in the first two), so comparison and
 * hashing are memcmp()/bytes.  Text forms:
 *   type 0: "65000:1"        (2-octet AS : 4-octet number)
 *   type 1: "192.0.2.1:7"    (IPv4 address : 2-octet number)
 *   type 2: "4200000000:1"   (4-octet AS : 2-octet number)
 * Parsing picks type 0 when the AS fits 16 bits, type 2 when it does not
 * (then the number must fit 16 bits).  "100L:1" forces type 2 for an AS
 * that fits 16 bits (and a type 2 RD with such an AS formats that way).
 * Unknown types format as "type<T>:<hex of 6 value bytes>".
 *
 * Not for: route targets (ecomm.h).
 */
#ifndef VTOPO_RD_H
#define VTOPO_RD_H

#include <stddef.h>
#include <stdint.h>

#define RD_STRLEN 32

struct rd {
	uint8_t b[8];
};

static inline uint16_t rd_type(const struct rd *rd)
{
	return (uint16_t)(rd->b[0] << 8 | rd->b[1]);
}
int rd_parse(const char *s, struct rd *rd); /* 0 or -1 */
char *rd_fmt(const struct rd *rd, char *buf, size_t len);
int rd_cmp(const struct rd *a, const struct rd *b);

#endif
