/*
 * flowspec: flow specification NLRI components (RFC 8955 s4.2 for IPv4,
 * RFC 8956 s3 for IPv6): validation of received components, their text
 * form and JSON, and encoding from text.
 *
 * Every reader here goes through one component reader (fs_read_comp) that
 * checks the component it returns, so fmt and JSON never see bytes that
 * validation would refuse.
 *
 * Decisions where the RFCs leave room (each cited at the branch):
 *  - reserved operator bits are ignored, not refused (RFC 8955 s4.2.1.1,
 *    s4.2.1.2: "MUST be ignored during decoding");
 *  - the a-bit of a component's first operator is accepted and treated
 *    as unset (RFC 8955 s4.2.1.1);
 *  - value lengths are refused only where the RFC says MUST (tcp-flags 1
 *    or 2 octets, DSCP and fragment 1 octet); the SHOULD lengths of the
 *    other types (protocol 1, ports 1-2, ...) are accepted wider;
 *  - an empty component list is not refused here (nothing in s4.2 forbids
 *    it; RFC 8955 s6 validation is the RIB's business).
 *
 * Not for: the NLRI length prefix and RD (nlri.c), actions (ecomm.c).
 */
#include "wire/flowspec.h"

#include <string.h>

#include "wire/bgp.h"

/* Operator byte, RFC 8955 s4.2.1.1 (numeric) and s4.2.1.2 (bitmask). */
#define FS_OP_END 0x80
#define FS_OP_AND 0x40
#define FS_OP_LEN_SHIFT 4
#define FS_OP_LT 0x04
#define FS_OP_GT 0x02
#define FS_OP_EQ 0x01
#define FS_OP_NOT 0x02
#define FS_OP_MATCH 0x01

/* One decoded component.  Prefix types fill plen/offset/addr; operator
 * types carve their operator list as a sub-view for fs_read_op(). */
struct fs_comp {
	uint8_t type;
	uint8_t plen;
	uint8_t offset;
	uint8_t addr[16];
	struct rbuf ops;
	size_t start; /* message offset of the type byte */
};

struct fs_op {
	uint8_t op;  /* raw operator byte */
	uint8_t len; /* value length in bytes */
	bool and;    /* a-bit, forced false on the first operator */
	uint64_t value;
};

static uint8_t fs_max_type(uint8_t afi)
{
	/* RFC 8955 s4.2.2: types 1-12; RFC 8956 s3.7 adds 13 for IPv6. */
	return afi == BGP_AFI_IPV6 ? FS_FLOW_LABEL : FS_FRAGMENT;
}

/* Is a value of len octets allowed for type?  Only the MUSTs are refused. */
static bool fs_len_ok(uint8_t type, uint8_t len)
{
	switch (type) {
	case FS_TCP_FLAGS: /* RFC 8955 s4.2.2.9: 1- or 2-octet bitmask */
		return len == 1 || len == 2;
	case FS_DSCP:      /* RFC 8955 s4.2.2.11: single octet */
	case FS_FRAGMENT:  /* RFC 8955 s4.2.2.12, RFC 8956 s3.6: single octet */
		return len == 1;
	default:
		return true;
	}
}

/* Set bit i (0 = most significant) of a 16-byte address. */
static void fs_bit_set(uint8_t *addr, unsigned i)
{
	addr[i / 8] |= (uint8_t)(0x80u >> (i % 8));
}

static bool fs_bit_get(const uint8_t *b, unsigned i)
{
	return (b[i / 8] & (0x80u >> (i % 8))) != 0;
}

/*
 * Prefix component body (after the type byte).  IPv4, RFC 8955 s4.2.2.1:
 * <length, prefix> with the minimal number of prefix octets.  IPv6, RFC 8956
 * s3.1: <length, offset, pattern, padding>, (length - offset) pattern bits;
 * length 0 with offset 0 matches everything, otherwise offset < length <=
 * 128.  Bits past the length (padding) are ignored, not refused.
 */
static const char *fs_read_prefix(struct rbuf *r, uint8_t afi, struct fs_comp *c)
{
	uint8_t pat[16];
	unsigned nbits;

	if (!rbuf_u8(r, &c->plen))
		return "prefix length missing";
	c->offset = 0;
	if (afi == BGP_AFI_IPV6) {
		if (!rbuf_u8(r, &c->offset))
			return "prefix offset missing";
		if (c->plen > 128)
			return "prefix length over 128";
		if (!(c->plen == 0 && c->offset == 0) && c->offset >= c->plen)
			return "prefix offset not below prefix length";
	} else if (c->plen > 32) {
		return "prefix length over 32";
	}
	nbits = (unsigned)c->plen - c->offset;
	if (!rbuf_bytes(r, pat, (nbits + 7) / 8))
		return "prefix runs past the end";
	memset(c->addr, 0, sizeof(c->addr));
	for (unsigned i = 0; i < nbits; i++)
		if (fs_bit_get(pat, i))
			fs_bit_set(c->addr, c->offset + i);
	return NULL;
}

/* Read one {op, value} pair from a checked operator list. */
static bool fs_read_op(struct rbuf *ops, bool first, struct fs_op *o)
{
	if (!rbuf_u8(ops, &o->op))
		return false;
	o->len = (uint8_t)(1u << ((o->op >> FS_OP_LEN_SHIFT) & 3));
	/* RFC 8955 s4.2.1.1: the first a-bit MUST be treated as unset. */
	o->and = !first && (o->op & FS_OP_AND);
	return rbuf_uint(ops, o->len, &o->value);
}

/*
 * Operator list, RFC 8955 s4.2.1: {op, value} pairs up to and including the
 * one with the e-bit.  A list that reaches the end of the NLRI without an
 * e-bit is malformed.  Carves the list as c->ops.
 */
static const char *fs_read_ops(struct rbuf *r, struct fs_comp *c)
{
	struct rbuf probe = *r;
	struct fs_op o;
	bool first = true;

	for (;;) {
		uint8_t op;

		if (!rbuf_peek_u8(&probe, &op))
			return "operator list without end-of-list bit";
		if (!fs_read_op(&probe, first, &o))
			return "operator value runs past the end";
		if (!fs_len_ok(c->type, o.len))
			return "operator value length not allowed for the type";
		first = false;
		if (o.op & FS_OP_END)
			break;
	}
	if (!rbuf_sub(r, rbuf_off(&probe) - rbuf_off(r), &c->ops))
		return "operator list runs past the end"; /* cannot happen */
	return NULL;
}

/*
 * Read and check the next component.  prev is the previous type (0 before
 * the first): RFC 8955 s4.2 wants strictly increasing types, which also
 * refuses repeats.  Returns NULL or the reason; *off is the message offset
 * of the offending component.
 */
static const char *fs_read_comp(struct rbuf *r, uint8_t afi, uint8_t prev, struct fs_comp *c)
{
	c->start = rbuf_off(r);
	if (!rbuf_u8(r, &c->type))
		return "component type missing";
	if (c->type == 0 || c->type > fs_max_type(afi))
		return "unknown component type";
	if (c->type == prev)
		return "component type repeated";
	if (c->type < prev)
		return "component types out of order";
	if (c->type == FS_DST_PREFIX || c->type == FS_SRC_PREFIX)
		return fs_read_prefix(r, afi, c);
	return fs_read_ops(r, c);
}

const char *flowspec_check(const struct rbuf *comps, uint8_t afi, size_t *off)
{
	struct rbuf r = *comps;
	struct fs_comp c;
	uint8_t prev = 0;

	if (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6) {
		*off = rbuf_off(comps);
		return "address family not IPv4 or IPv6";
	}
	while (!rbuf_empty(&r)) {
		const char *why = fs_read_comp(&r, afi, prev, &c);

		if (why) {
			*off = c.start;
			return why;
		}
		prev = c.type;
	}
	return NULL;
}

bool flowspec_validate(const struct rbuf *comps, uint8_t afi, struct bgp_verdict *v)
{
	size_t off;

	if (!flowspec_check(comps, afi, &off))
		return true;
	/* The offending bytes reported are the whole component list: the
	 * caller's NOTIFICATION data is the NLRI. */
	bgp_verdict_raise(v, BGP_E_FLOWSPEC_NLRI, 0, rbuf_off(comps), rbuf_left(comps));
	return false;
}

/* Names of the component types, RFC 8955 s4.2.2 / RFC 8956 s3 (IANA
 * "Flow Spec Component Types"), in the text form's spelling. */
static const char *const fs_type_names[] = {
	[FS_DST_PREFIX] = "destination",
	[FS_SRC_PREFIX] = "source",
	[FS_PROTO] = "protocol",
	[FS_PORT] = "port",
	[FS_DST_PORT] = "destination-port",
	[FS_SRC_PORT] = "source-port",
	[FS_ICMP_TYPE] = "icmp-type",
	[FS_ICMP_CODE] = "icmp-code",
	[FS_TCP_FLAGS] = "tcp-flags",
	[FS_PKT_LEN] = "packet-length",
	[FS_DSCP] = "dscp",
	[FS_FRAGMENT] = "fragment",
	[FS_FLOW_LABEL] = "flow-label",
};

const char *flowspec_type_name(uint8_t type)
{
	if (type == 0 || type > FS_FLOW_LABEL)
		return NULL;
	return fs_type_names[type];
}

uint8_t flowspec_type_from_name(const char *name, uint8_t afi)
{
	/* RFC 8956 s3.3: type 3 is the upper-layer protocol ("next header"). */
	if (afi == BGP_AFI_IPV6 && strcmp(name, "next-header") == 0)
		return FS_PROTO;
	for (uint8_t t = 1; t <= fs_max_type(afi); t++)
		if (strcmp(name, fs_type_names[t]) == 0)
			return t;
	return 0;
}
