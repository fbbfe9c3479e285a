/*
 * flowspec: flow specification NLRI components, RFC 8955 s4 (IPv4) and
 * RFC 8956 s3 (IPv6): validation, text form, and encoding from text.
 *
 * Components (type: name):
 *   1 destination, 2 source (prefix; IPv6 adds a pattern offset, RFC 8956 s3.1)
 *   3 protocol / next-header, 4 port, 5 destination-port, 6 source-port,
 *   7 icmp-type, 8 icmp-code, 9 tcp-flags, 10 packet-length, 11 dscp,
 *   12 fragment, 13 flow-label (IPv6 only)
 * numeric operators (RFC 8955 s4.2.1.1: e/a bits, len, lt/gt/eq) and bitmask
 * operators (s4.2.1.2: e/a, len, not, match).
 *
 * Text form (one line, components in type order, separated by spaces),
 * modelled on the RFC's examples:
 *   "destination 192.0.2.0/24 protocol =6 destination-port >=137&<=139,=8080
 *    tcp-flags =syn|ack fragment !is-fragment"
 * IPv6 prefixes with an offset: "destination 2001:db8::/64 offset 8" (the
 * address holds the pattern at its place; bits before the offset are 0).
 * In an operator list ',' is OR and '&' is AND (the a-bit).
 * Numeric operators: = < > <= >= != and "true" / "false" (value ignored;
 * written as "true:V" when it is not 0).  Bitmask operators: "!" (not)
 * then "=" (match) then flags joined by '|': names (tcp-flags fin syn rst
 * psh ack urg ece cwr; fragment dont-fragment is-fragment first-fragment
 * last-fragment) or numbers for the other bits; "0" for no bits.  Values
 * are encoded in the fewest octets, the flow label in 4 (RFC 8956 s3.7).
 * Reserved fragment bits (and DF for IPv6, RFC 8956 s3.6) are ignored on
 * decoding and refused in text.  IPv6 also accepts "next-header" for 3.
 *
 * Not for: the NLRI length prefix and RD (nlri.c), steering actions
 * (ecomm.h traffic-* communities), classification of packets (data plane).
 */
#ifndef VTOPO_FLOWSPEC_H
#define VTOPO_FLOWSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/verdict.h"

enum flowspec_type {
	FS_DST_PREFIX = 1,
	FS_SRC_PREFIX = 2,
	FS_PROTO = 3,
	FS_PORT = 4,
	FS_DST_PORT = 5,
	FS_SRC_PORT = 6,
	FS_ICMP_TYPE = 7,
	FS_ICMP_CODE = 8,
	FS_TCP_FLAGS = 9,
	FS_PKT_LEN = 10,
	FS_DSCP = 11,
	FS_FRAGMENT = 12,
	FS_FLOW_LABEL = 13,
};

/*
 * Check one NLRI's components (the bytes after the length and RD):
 * component types strictly increasing (RFC 8955 s4.2), known types only,
 * prefix lengths within the family, operator lengths legal for the type,
 * the end-of-list bit on the last operator of each component, the first
 * operator without the a-bit... afi selects RFC 8955 or RFC 8956 rules.
 * Returns false and raises BGP_E_FLOWSPEC_NLRI on the first problem.
 */
bool flowspec_validate(const struct rbuf *comps, uint8_t afi, struct bgp_verdict *v);
/* The same check without a verdict: NULL when valid, else a short reason
 * ("component types out of order") with *off the message offset of the
 * offending component. */
const char *flowspec_check(const struct rbuf *comps, uint8_t afi, size_t *off);
/* Text form of validated components (see above).  Returns buf. */
char *flowspec_fmt(const struct rbuf *comps, uint8_t afi, char *buf, size_t len);
/* Encode components from the text form; 0, or -1 with a message in err. */
int flowspec_parse(const char *text, uint8_t afi, struct wbuf *w, char *err, size_t errlen);
/* Name <-> type ("destination-port" <-> 5); NULL / 0 when unknown. */
const char *flowspec_type_name(uint8_t type);
uint8_t flowspec_type_from_name(const char *name, uint8_t afi);

/* The components as JSON: an array of {"type": name, "prefix"/"offset" or
 * "ops": [{"op": "<=", "and": false, "value": 139}, ...]}.  Declared with
 * json-c's type so that wire/ needs no other JSON layer. */
struct json_object;
struct json_object *flowspec_to_json(const struct rbuf *comps, uint8_t afi);

#endif
