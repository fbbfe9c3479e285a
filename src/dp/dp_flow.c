/*
 * dp_flow: FlowSpec classification of one packet against one rule's
 * components (RFC 8955 s4.2 for IPv4, RFC 8956 s3 for IPv6).  The
 * components were checked with flowspec_check() when the rule was set, so
 * a short read here only means "no match".
 *
 * A packet matches a rule when it matches every component (s4.2: "logical
 * AND").  Within one component the operator list is an OR of AND groups:
 * an operator with the a-bit is ANDed to the one before it (s4.2.1.1).
 * Port, ICMP and TCP-flag components only match packets that have those
 * fields (s4.2.2.4-9).
 *
 * Not for: validation and text (wire/flowspec.c), priority order (the
 * writer's, RFC 8955 s5.1).
 */
#include "dp/dp.h"

#include "lib/rbuf.h"
#include "wire/flowspec.h"

static bool fl_prefix(struct rbuf *r, uint8_t afi, const uint8_t *addr)
{
	uint8_t len, off = 0, pat[16] = {0};
	unsigned nbytes;

	if (!rbuf_u8(r, &len))
		return false;
	if (afi == AFI_IPV6 && !rbuf_u8(r, &off)) /* RFC 8956 s3.1 offset */
		return false;
	if (len > (afi == AFI_IPV6 ? 128 : 32) || off > len)
		return false;
	/* IPv4: prefix bytes; IPv6: the pattern's (len - off) bits, RFC 8956 s3.1 */
	nbytes = afi == AFI_IPV6 ? (unsigned)(len - off + 7) / 8 : (len + 7u) / 8;
	if (!rbuf_bytes(r, pat, nbytes))
		return false;
	for (unsigned i = off; i < len; i++) {
		unsigned pi = afi == AFI_IPV6 ? i - off : i;
		bool pb = (pat[pi / 8] >> (7 - pi % 8)) & 1;
		bool ab = (addr[i / 8] >> (7 - i % 8)) & 1;
		if (pb != ab)
			return false;
	}
	return true;
}

static bool fl_field(uint8_t type, const struct dp_pkt_info *pi, uint64_t *v)
{
	switch (type) {
	case FS_PROTO:
		*v = pi->proto;
		return true;
	case FS_PORT:
	case FS_DST_PORT:
	case FS_SRC_PORT:
		*v = type == FS_SRC_PORT ? pi->sport : pi->dport;
		return pi->has_ports;
	case FS_ICMP_TYPE:
	case FS_ICMP_CODE:
		*v = type == FS_ICMP_TYPE ? pi->icmp_type : pi->icmp_code;
		return pi->has_icmp;
	case FS_TCP_FLAGS:
		*v = pi->tcp_flags;
		return pi->has_tcpflags;
	case FS_PKT_LEN:
		*v = pi->pkt_len;
		return true;
	case FS_DSCP:
		*v = pi->dscp;
		return true;
	case FS_FRAGMENT:
		*v = pi->frag;
		return true;
	case FS_FLOW_LABEL:
		*v = pi->flow_label;
		return true;
	default:
		return false;
	}
}

static bool fl_term(uint8_t type, uint8_t op, uint64_t field, uint64_t val)
{
	bool t;

	if (type == FS_TCP_FLAGS || type == FS_FRAGMENT) {
		/* RFC 8955 s4.2.1.2: m-bit: all value bits set, else any of them */
		t = (op & 0x01) ? (field & val) == val : (field & val) != 0;
		return (op & 0x02) ? !t : t; /* not-bit */
	}
	/* RFC 8955 s4.2.1.1: lt 0x04, gt 0x02, eq 0x01; 0 = false, 7 = true */
	return ((op & 0x04) && field < val) || ((op & 0x02) && field > val) ||
	       ((op & 0x01) && field == val);
}

/* Evaluate one operator list against one field value. */
static bool fl_eval(struct rbuf *r, uint8_t type, bool have, uint64_t field, bool *ok)
{
	bool any = false, group = false, first = true;
	uint64_t val;
	uint8_t op;

	do {
		if (!rbuf_u8(r, &op) || !rbuf_uint(r, 1u << ((op >> 4) & 3), &val)) {
			*ok = false;
			return false;
		}
		bool t = have && fl_term(type, op, field, val);
		if (!first && (op & 0x40)) {
			group = group && t;
		} else {
			any = any || (!first && group);
			group = t;
		}
		first = false;
	} while (!(op & 0x80));
	return any || group;
}

/* One operator component.  RFC 8955 s4.2.2.4: type 4 (port) matches when
 * the source or the destination port satisfies the whole list. */
static bool fl_ops(struct rbuf *r, uint8_t type, const struct dp_pkt_info *pi, bool *ok)
{
	uint64_t field = 0;
	bool have = fl_field(type, pi, &field);
	struct rbuf again = *r;

	if (type == FS_PORT && fl_eval(&again, type, pi->has_ports, pi->sport, ok)) {
		*r = again;
		return true;
	}
	if (type == FS_PORT)
		field = pi->dport;
	return fl_eval(r, type, have, field, ok);
}

bool dp_flow_match(const uint8_t *nlri, size_t len, uint8_t afi, const struct dp_pkt_info *pi)
{
	struct rbuf r;
	uint8_t type;
	bool ok = true;

	rbuf_init(&r, nlri, len);
	if (rbuf_empty(&r))
		return false;
	while (!rbuf_empty(&r)) {
		bool m;
		if (!rbuf_u8(&r, &type))
			return false;
		if (type == FS_DST_PREFIX || type == FS_SRC_PREFIX)
			m = fl_prefix(&r, afi, type == FS_DST_PREFIX ? pi->dst : pi->src);
		else
			m = fl_ops(&r, type, pi, &ok);
		if (!m || !ok)
			return false;
	}
	return true;
}

bool dp_flow_dst_may_match(const uint8_t *nlri, size_t len, uint8_t afi, const uint8_t *dst)
{
	static const uint8_t any[16];
	struct rbuf r;
	uint8_t type, op;
	uint64_t val;

	rbuf_init(&r, nlri, len);
	if (rbuf_empty(&r))
		return false;
	while (!rbuf_empty(&r)) {
		if (!rbuf_u8(&r, &type))
			return false;
		if (type == FS_DST_PREFIX) {
			if (!fl_prefix(&r, afi, dst))
				return false;
		} else if (type == FS_SRC_PREFIX) {
			(void)fl_prefix(&r, afi, any); /* read whole: the result is moot */
		} else {
			do { /* an operator list (RFC 8955 s4.2.1): skipped */
				if (!rbuf_u8(&r, &op) ||
				    !rbuf_uint(&r, 1u << ((op >> 4) & 3), &val))
					return false;
			} while (!(op & 0x80));
		}
	}
	return true;
}
