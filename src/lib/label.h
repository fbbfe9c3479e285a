/*
 * label: MPLS labels and label stacks as carried in BGP NLRI (RFC 8277
 * section 2: each entry is 3 octets, 20-bit label, 3 bits TC/EXP, 1 bit
 * bottom-of-stack).
 *
 * A stack keeps the raw 24-bit entries so that encode(decode(x)) == x; the
 * helpers extract the label value and the S bit.  Text form: label values
 * separated by '/', top first ("100", "100/200").  RFC 8277 s2.4: a
 * withdrawal carries one entry 0x800000 (or 0x000000); label_is_withdraw()
 * recognises both.
 *
 * Not for: the data plane's MPLS header (that has TTL; see the dp code).
 */
#ifndef VTOPO_LABEL_H
#define VTOPO_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MPLS_LABEL_MAX 0xFFFFFu
#define LABEL_STACK_MAX 8
#define LABEL_WITHDRAW_ENTRY 0x800000u
#define LABEL_STACK_STRLEN (LABEL_STACK_MAX * 8 + 1)

/* Well-known label values, RFC 3032 section 2.1. */
#define MPLS_LABEL_IPV4_EXPLICIT_NULL 0
#define MPLS_LABEL_IMPLICIT_NULL 3

struct label_stack {
	uint8_t n;		     /* entries */
	uint32_t e[LABEL_STACK_MAX]; /* raw 24-bit entries */
};

static inline uint32_t label_value(uint32_t entry)
{
	return entry >> 4;
}
static inline bool label_bos(uint32_t entry)
{
	return entry & 1;
}
static inline uint32_t label_entry(uint32_t value, bool bos)
{
	return (value & MPLS_LABEL_MAX) << 4 | (bos ? 1u : 0u);
}
bool label_is_withdraw(uint32_t entry);

/* "100" or "100/200" -> entries with the S bit on the last; 0 or -1. */
int label_stack_parse(const char *s, struct label_stack *ls);
char *label_stack_fmt(const struct label_stack *ls, char *buf, size_t len);
/* Append one label value; returns -1 when full. Fixes up the S bits. */
int label_stack_push(struct label_stack *ls, uint32_t value);

#endif
