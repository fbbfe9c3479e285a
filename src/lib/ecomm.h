/*
 * ecomm: BGP extended communities (RFC 4360), IPv6-address-specific
 * extended communities (RFC 5701), standard (RFC 1997) and large (RFC 8092)
 * communities: value types and their text forms.
 *
 * An extended community is kept as its 8 wire bytes.  Text forms (parse and
 * format round-trip; the first word names the kind):
 *   target:65000:1  target:192.0.2.1:7  target:4200000000:1   RT, types 0x00/0x01/0x02 sub 0x02
 *                               (RFC 4360 s4, RFC 5668 s3); the 2-octet AS form is chosen
 *                               when the AS fits 16 bits, as for route distinguishers (rd.h)
 *   origin:65000:1 ...          route origin, sub 0x03 (RFC 4360 s5)
 *   rt-record:65000:1 ...       draft-ietf-bess-service-chaining-06 s10.1 RT-Record, sub 0x13
 *   traffic-rate:65000:1000000  RFC 8955 s7.1 (0x80 0x06, 2-octet id, IEEE float bytes/s)
 *   traffic-rate-packets:65000:100  RFC 8955 s7.2 (0x80 0x0c, packets/s)
 *   traffic-action:terminal,sample  RFC 8955 s7.3 (0x80 0x07; also "terminal", "sample",
 *                               "none")
 *   redirect:65000:1 / redirect:192.0.2.1:7 / redirect:4200000000:1
 *                               RFC 8955 s7.4 + RFC 7674 (0x80/0x81/0x82 sub 0x08)
 *   traffic-marking:46          RFC 8955 s7.5 (0x80 0x09, DSCP)
 *   redirect-ip:192.0.2.1[:copy]  draft-ietf-idr-flowspec-redirect-ip-02 s3: target address
 *                               in the community (0x01 0x0c), C flag in the local admin
 *   redirect-ip-nh[:copy]       the older redirect-to-IP (0x08 0x00): the target is the
 *                               route's next hop, the community holds only the C flag
 *   encap:13                    RFC 9012 s4.1 encapsulation (0x03 0x0c; 13 = MPLS-in-UDP)
 *   chash-order:7               draft-ietf-bess-service-chaining-06 s10.2 consistent hash
 *                               sort order (0x03 0x14, 4-octet order, 2 reserved)
 *   load-balance:src-ip,dst-ip,proto,src-port,dst-port,source-bias  (any subset, or
 *                               "none") draft-ietf-bess-service-chaining-06 s10.3
 *                               load-balance settings (0x03 0xaa)
 *   raw:0011223344556677        anything else, and any value whose reserved bits are
 *                               not zero (hex of the 8 bytes)
 *
 * Not for: deciding what a community means for routing (that is policy).
 */
#ifndef VTOPO_ECOMM_H
#define VTOPO_ECOMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ECOMM_STRLEN 64

/* RFC 4360 s3 / RFC 7153 type octets used by the project. */
#define ECOMM_T_AS2 0x00
#define ECOMM_T_IPV4 0x01
#define ECOMM_T_AS4 0x02
#define ECOMM_T_OPAQUE 0x03
#define ECOMM_T_FS_AS2 0x80 /* RFC 8955 s7 (generic transitive) */
#define ECOMM_T_FS_IPV4 0x81
#define ECOMM_T_FS_AS4 0x82
#define ECOMM_ST_RT 0x02
#define ECOMM_ST_RO 0x03
#define ECOMM_ST_RT_RECORD 0x13

struct ecomm {
	uint8_t b[8];
};

static inline uint8_t ecomm_type(const struct ecomm *e)
{
	return e->b[0];
}
static inline uint8_t ecomm_subtype(const struct ecomm *e)
{
	return e->b[1];
}
/* Route target of any of the three forms (type 0x00/0x01/0x02, sub 0x02),
 * also with the non-transitive bit (0x40) clear only. */
bool ecomm_is_rt(const struct ecomm *e);
/* Build a route target from its text "65000:1" (without "target:"). */
int ecomm_rt_parse(const char *s, struct ecomm *e);

int ecomm_parse(const char *s, struct ecomm *e); /* 0 or -1 */
char *ecomm_fmt(const struct ecomm *e, char *buf, size_t len);
int ecomm_cmp(const struct ecomm *a, const struct ecomm *b);

/* RFC 5701 IPv6-address-specific extended community: 20 bytes,
 * type, sub-type, 16-octet IPv6 global administrator, 2-octet local
 * administrator.  Text: "target:2001:db8::1:7" style is ambiguous, so
 * the form is "target6:[2001:db8::1]:7" / "origin6:[...]:N" /
 * "rt-record6:[...]:N" (draft-ietf-bess-service-chaining-06 s10.1) /
 * "redirect-ip6:[...]" or "redirect-ip6:[...]:copy" (sub-type 0x0c,
 * draft-ietf-idr-flowspec-redirect-ip-02 s3) / "raw6:<hex>". */
#define ECOMM6_STRLEN 80
struct ecomm6 {
	uint8_t b[20];
};
int ecomm6_parse(const char *s, struct ecomm6 *e);
char *ecomm6_fmt(const struct ecomm6 *e, char *buf, size_t len);

/* RFC 1997 community "65000:1"; well-known ones format by name
 * (no-export, no-advertise, no-export-subconfed, no-peer (RFC 3765),
 * graceful-shutdown (RFC 8326), blackhole (RFC 7999)). */
#define COMM_STRLEN 24
int comm_parse(const char *s, uint32_t *c);
char *comm_fmt(uint32_t c, char *buf, size_t len);

/* RFC 8092 large community "4200000000:1:2". */
#define LCOMM_STRLEN 36
struct lcomm {
	uint32_t global, local1, local2;
};
int lcomm_parse(const char *s, struct lcomm *c);
char *lcomm_fmt(const struct lcomm *c, char *buf, size_t len);

#endif
