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
 *  - an empty component list is refused: s4.2 writes the NLRI value as
 *    <[component]+>.
 *
 * Not for: the NLRI length prefix and RD (nlri.c), actions (ecomm.c).
 */
#include "wire/flowspec.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

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

static bool fs_is_bitmask(uint8_t type)
{
	/* RFC 8955 s4.2.2.9 and s4.2.2.12: the two bitmask_op types. */
	return type == FS_TCP_FLAGS || type == FS_FRAGMENT;
}

/* Is a value of len octets allowed for type?  Only the MUSTs are refused. */
static bool fs_len_ok(uint8_t type, uint8_t len)
{
	switch (type) {
	case FS_TCP_FLAGS: /* RFC 8955 s4.2.2.9: 1- or 2-octet bitmask */
		return len == 1 || len == 2;
	case FS_DSCP:	  /* RFC 8955 s4.2.2.11: single octet */
	case FS_FRAGMENT: /* RFC 8955 s4.2.2.12, RFC 8956 s3.6: single octet */
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
	if (rbuf_empty(&r)) {
		/* RFC 8955 s4.2: <[component]+> */
		*off = rbuf_off(comps);
		return "no components";
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

/* ---- text form ---------------------------------------------------------- */

/* A bounded string appender: writes what fits, always NUL-terminated. */
struct fs_out {
	char *buf;
	size_t cap, pos;
};

static void fs_puts(struct fs_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->pos + 1 < o->cap) {
		size_t room = o->cap - 1 - o->pos;
		memcpy(o->buf + o->pos, s, n < room ? n : room);
		o->buf[o->pos + (n < room ? n : room)] = '\0';
	}
	o->pos += n;
}

static void fs_putu(struct fs_out *o, uint64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	fs_puts(o, tmp);
}

static void fs_putx(struct fs_out *o, uint64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "0x%" PRIx64, v);
	fs_puts(o, tmp);
}

/* Numeric operators by their lt/gt/eq bits, RFC 8955 s4.2.1.1 table. */
static const char *const fs_num_text[8] = {"false", "=", ">", ">=", "<", "<=", "!=", "true"};
static const char *const fs_num_json[8] = {"false", "==", ">", ">=", "<", "<=", "!=", "true"};

struct fs_flag {
	uint64_t bit;
	const char *name;
};

/* RFC 8955 s4.2.2.9: the TCP control bits of header octet 14. */
static const struct fs_flag fs_tcp_flags[] = {
    {0x01, "fin"}, {0x02, "syn"}, {0x04, "rst"}, {0x08, "psh"}, {0x10, "ack"},
    {0x20, "urg"}, {0x40, "ece"}, {0x80, "cwr"}, {0, NULL},
};

/* RFC 8955 s4.2.2.12: 0 0 0 0 LF FF IsF DF (DF is bit 7, the lowest). */
static const struct fs_flag fs_frag_flags[] = {
    {0x01, "dont-fragment"},
    {0x02, "is-fragment"},
    {0x04, "first-fragment"},
    {0x08, "last-fragment"},
    {0, NULL},
};

/* Fragment bits that mean something: the high nibble is reserved (RFC
 * 8955 s4.2.2.12), and so is DF for IPv6 (RFC 8956 s3.6); reserved bits
 * are ignored on decoding and never encoded. */
static uint64_t fs_frag_mask(uint8_t afi)
{
	return afi == BGP_AFI_IPV6 ? 0x0e : 0x0f;
}

static uint64_t fs_bitmask_value(uint8_t type, uint8_t afi, uint64_t v)
{
	return type == FS_FRAGMENT ? v & fs_frag_mask(afi) : v;
}

static void fs_fmt_flags(struct fs_out *o, uint8_t type, uint64_t v)
{
	const struct fs_flag *f = type == FS_TCP_FLAGS ? fs_tcp_flags : fs_frag_flags;
	bool any = false;

	for (; f->name; f++) {
		if (!(v & f->bit))
			continue;
		fs_puts(o, any ? "|" : "");
		fs_puts(o, f->name);
		v &= ~f->bit;
		any = true;
	}
	if (v) {
		fs_puts(o, any ? "|" : "");
		fs_putx(o, v);
	} else if (!any) {
		fs_puts(o, "0");
	}
}

static void fs_fmt_op(struct fs_out *o, uint8_t type, uint8_t afi, const struct fs_op *op)
{
	if (fs_is_bitmask(type)) {
		/* RFC 8955 s4.2.1.2: "!" for the not bit, "=" for the m bit. */
		fs_puts(o, (op->op & FS_OP_NOT) ? "!" : "");
		fs_puts(o, (op->op & FS_OP_MATCH) ? "=" : "");
		fs_fmt_flags(o, type, fs_bitmask_value(type, afi, op->value));
		return;
	}
	fs_puts(o, fs_num_text[op->op & 7]);
	if ((op->op & 7) == 0 || (op->op & 7) == 7) {
		/* true / false ignore the value; keep it only when not 0. */
		if (op->value) {
			fs_puts(o, ":");
			fs_putu(o, op->value);
		}
		return;
	}
	fs_putu(o, op->value);
}

static void fs_fmt_prefix(struct fs_out *o, uint8_t afi, const struct fs_comp *c)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, c->addr, a, sizeof(a));
	fs_puts(o, a);
	fs_puts(o, "/");
	fs_putu(o, c->plen);
	if (c->offset) {
		fs_puts(o, " offset ");
		fs_putu(o, c->offset);
	}
}

char *flowspec_fmt(const struct rbuf *comps, uint8_t afi, char *buf, size_t len)
{
	struct fs_out o = {buf, len, 0};
	struct rbuf r = *comps;
	struct fs_comp c;
	uint8_t prev = 0;

	if (len)
		buf[0] = '\0';
	while (!rbuf_empty(&r)) {
		struct fs_op op;

		if (fs_read_comp(&r, afi, prev, &c)) {
			fs_puts(&o, prev ? " <malformed>" : "<malformed>");
			break;
		}
		fs_puts(&o, prev ? " " : "");
		fs_puts(&o, flowspec_type_name(c.type));
		fs_puts(&o, " ");
		prev = c.type;
		if (c.type == FS_DST_PREFIX || c.type == FS_SRC_PREFIX) {
			fs_fmt_prefix(&o, afi, &c);
			continue;
		}
		for (bool first = true; fs_read_op(&c.ops, first, &op); first = false) {
			if (!first)
				fs_puts(&o, op.and ? "&" : ",");
			fs_fmt_op(&o, c.type, afi, &op);
		}
	}
	return buf;
}

/* ---- JSON --------------------------------------------------------------- */

static struct json_object *fs_op_json(uint8_t type, uint8_t afi, const struct fs_op *op)
{
	struct json_object *j = json_object_new_object();
	const char *name;
	uint64_t v = op->value;

	if (fs_is_bitmask(type)) {
		/* docs/decode-json.md: match = m bit, not inverts. */
		static const char *const bm[4] = {"any", "match", "not-any", "not-match"};
		name = bm[op->op & 3];
		v = fs_bitmask_value(type, afi, v);
	} else {
		name = fs_num_json[op->op & 7];
	}
	json_object_object_add(j, "op", json_object_new_string(name));
	json_object_object_add(j, "and", json_object_new_boolean(op->and));
	json_object_object_add(j, "value", json_object_new_uint64(v));
	return j;
}

static struct json_object *fs_comp_json(uint8_t afi, struct fs_comp *c)
{
	struct json_object *j = json_object_new_object();
	struct fs_op op;

	json_object_object_add(j, "type", json_object_new_string(flowspec_type_name(c->type)));
	if (c->type == FS_DST_PREFIX || c->type == FS_SRC_PREFIX) {
		char p[INET6_ADDRSTRLEN + 8];
		struct fs_comp only = *c;
		struct fs_out o = {p, sizeof(p), 0};

		only.offset = 0; /* the offset is its own key */
		fs_fmt_prefix(&o, afi, &only);
		json_object_object_add(j, "prefix", json_object_new_string(p));
		if (afi == BGP_AFI_IPV6)
			json_object_object_add(j, "offset", json_object_new_int(c->offset));
		return j;
	}
	struct json_object *ops = json_object_new_array();
	for (bool first = true; fs_read_op(&c->ops, first, &op); first = false)
		json_object_array_add(ops, fs_op_json(c->type, afi, &op));
	json_object_object_add(j, "ops", ops);
	return j;
}

struct json_object *flowspec_to_json(const struct rbuf *comps, uint8_t afi)
{
	struct json_object *arr = json_object_new_array();
	struct rbuf r = *comps;
	struct fs_comp c;
	uint8_t prev = 0;

	while (!rbuf_empty(&r) && !fs_read_comp(&r, afi, prev, &c)) {
		json_object_array_add(arr, fs_comp_json(afi, &c));
		prev = c.type;
	}
	return arr;
}

/* ---- encoding from text ------------------------------------------------- */

struct fs_parse {
	const char *p; /* next unread character */
	uint8_t afi;
	struct wbuf *w;
	char *err;
	size_t errlen;
};

static int fs_fail(struct fs_parse *ps, const char *what, const char *tok)
{
	snprintf(ps->err, ps->errlen, "%s%s%s", what, tok ? ": " : "", tok ? tok : "");
	return -1;
}

/* Next whitespace-separated token into tok; false at the end of text. */
static bool fs_token(struct fs_parse *ps, char *tok, size_t len)
{
	size_t n = 0;

	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
		ps->p++;
	if (!*ps->p)
		return false;
	while (*ps->p && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\n') {
		if (n + 1 < len)
			tok[n++] = *ps->p;
		ps->p++;
	}
	tok[n] = '\0';
	return true;
}

/* Unsigned decimal or 0x-hex spanning exactly [s, end). */
static bool fs_num(const char *s, const char *end, uint64_t *v)
{
	unsigned base = 10;
	uint64_t x = 0;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s == end)
		return false;
	for (; s < end; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (x > (UINT64_MAX - d) / base)
			return false;
		x = x * base + d;
	}
	*v = x;
	return true;
}

/* Largest value the text may give a type, so that the encoding is one the
 * RFCs ask senders to use (fragment bits are checked against their mask). */
static uint64_t fs_max_value(uint8_t type)
{
	switch (type) {
	case FS_PROTO:	   /* RFC 8955 s4.2.2.3 */
	case FS_ICMP_TYPE: /* s4.2.2.7 */
	case FS_ICMP_CODE: /* s4.2.2.8 */
		return 0xff;
	case FS_PORT: /* s4.2.2.4-6, s4.2.2.10: 1 or 2 octets */
	case FS_DST_PORT:
	case FS_SRC_PORT:
	case FS_PKT_LEN:
	case FS_TCP_FLAGS: /* s4.2.2.9 */
		return 0xffff;
	case FS_DSCP: /* s4.2.2.11: six bits */
		return 0x3f;
	case FS_FLOW_LABEL: /* RFC 8956 s3.7: the 20-bit flow label */
		return 0xfffff;
	default:
		return 0;
	}
}

/* Value length to encode: RFC 8956 s3.7 asks for 4 octets for the flow
 * label; everything else takes the fewest octets that hold the value. */
static uint8_t fs_value_len(uint8_t type, uint64_t v)
{
	if (type == FS_FLOW_LABEL)
		return 4;
	if (v <= 0xff)
		return 1;
	if (v <= 0xffff)
		return 2;
	return v <= 0xffffffffu ? 4 : 8;
}

static uint8_t fs_len_bits(uint8_t len)
{
	return len == 1 ? 0 : len == 2 ? 1 : len == 4 ? 2 : 3;
}

/* "syn|ack|0x100" into a bitmask. */
static bool fs_parse_flags(uint8_t type, const char *s, const char *end, uint64_t *v)
{
	const struct fs_flag *tab = type == FS_TCP_FLAGS ? fs_tcp_flags : fs_frag_flags;

	*v = 0;
	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *e = bar ? bar : end;
		const struct fs_flag *f;
		uint64_t n;

		for (f = tab; f->name; f++)
			if (strlen(f->name) == (size_t)(e - s) &&
			    !memcmp(f->name, s, (size_t)(e - s)))
				break;
		if (f->name)
			*v |= f->bit;
		else if (fs_num(s, e, &n))
			*v |= n;
		else
			return false;
		s = bar ? bar + 1 : end;
		if (bar && s == end)
			return false;
	}
	return true;
}

/* One operator of a list, [s, end), into its op bits (without e, a, len)
 * and value. */
static bool fs_parse_op(uint8_t type, const char *s, const char *end, uint8_t *op, uint64_t *v)
{
	if (fs_is_bitmask(type)) {
		/* RFC 8955 s4.2.1.2: "!" sets not, "=" sets m. */
		*op = 0;
		if (s < end && *s == '!') {
			*op |= FS_OP_NOT;
			s++;
		}
		if (s < end && *s == '=') {
			*op |= FS_OP_MATCH;
			s++;
		}
		return s < end && fs_parse_flags(type, s, end, v);
	}
	/* Longest spelling first so that "<=" is not read as "<". */
	static const struct {
		const char *text;
		uint8_t bits;
	} ops[] = {
	    {"<=", FS_OP_LT | FS_OP_EQ},
	    {">=", FS_OP_GT | FS_OP_EQ},
	    {"!=", FS_OP_LT | FS_OP_GT},
	    {"==", FS_OP_EQ},
	    {"=", FS_OP_EQ},
	    {"<", FS_OP_LT},
	    {">", FS_OP_GT},
	    {"true", FS_OP_LT | FS_OP_GT | FS_OP_EQ},
	    {"false", 0},
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);

		if ((size_t)(end - s) < n || memcmp(s, ops[i].text, n))
			continue;
		*op = ops[i].bits;
		s += n;
		if (ops[i].bits == 0 || ops[i].bits == 7) {
			/* true / false: the value is optional, ":V". */
			*v = 0;
			return s == end || (*s == ':' && fs_num(s + 1, end, v));
		}
		return fs_num(s, end, v);
	}
	return false;
}

/* "op[,|&op]..." for one component. */
static int fs_parse_ops(struct fs_parse *ps, uint8_t type, const char *tok)
{
	const char *s = tok;
	bool and = false;

	for (;;) {
		const char *e = s + strcspn(s, ",&");
		uint8_t op, len;
		uint64_t v;

		if (!fs_parse_op(type, s, e, &op, &v))
			return fs_fail(ps, "bad operator", tok);
		if (type == FS_FRAGMENT ? (v & ~fs_frag_mask(ps->afi)) != 0
					: v > fs_max_value(type))
			return fs_fail(ps, "value out of range for the type", tok);
		len = fs_value_len(type, v);
		op |= (uint8_t)(fs_len_bits(len) << FS_OP_LEN_SHIFT);
		op |= and? FS_OP_AND : 0; /* never on the first: s4.2.1.1 */
		op |= *e ? 0 : FS_OP_END;
		wbuf_u8(ps->w, op);
		wbuf_uint(ps->w, len, v);
		if (!*e)
			return 0;
		and = *e == '&';
		s = e + 1;
	}
}

/* "192.0.2.0/24" or "2001:db8::/64" [offset N] (RFC 8956 s3.1). */
static int fs_parse_prefix(struct fs_parse *ps, const char *tok)
{
	uint8_t addr[16] = {0}, pat[16] = {0};
	unsigned bits = ps->afi == BGP_AFI_IPV6 ? 128 : 32;
	const char *slash = strchr(tok, '/');
	char a[INET6_ADDRSTRLEN], t[32];
	uint64_t plen, off = 0;

	if (!slash || (size_t)(slash - tok) >= sizeof(a))
		return fs_fail(ps, "bad prefix", tok);
	memcpy(a, tok, (size_t)(slash - tok));
	a[slash - tok] = '\0';
	if (inet_pton(ps->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, a, addr) != 1 ||
	    !fs_num(slash + 1, slash + strlen(slash), &plen) || plen > bits)
		return fs_fail(ps, "bad prefix", tok);
	const char *save = ps->p;
	if (ps->afi == BGP_AFI_IPV6 && fs_token(ps, t, sizeof(t)) && !strcmp(t, "offset")) {
		if (!fs_token(ps, t, sizeof(t)) || !fs_num(t, t + strlen(t), &off))
			return fs_fail(ps, "bad offset", tok);
		if (off != 0 && off >= plen)
			return fs_fail(ps, "offset not below prefix length", tok);
	} else {
		ps->p = save;
	}
	for (unsigned i = 0; i < bits; i++) {
		bool in = i >= off && i < plen;

		if (fs_bit_get(addr, i) && !in)
			return fs_fail(ps, "address bits outside offset..length", tok);
		if (in && fs_bit_get(addr, i))
			fs_bit_set(pat, (unsigned)(i - off));
	}
	wbuf_u8(ps->w, (uint8_t)plen);
	if (ps->afi == BGP_AFI_IPV6)
		wbuf_u8(ps->w, (uint8_t)off);
	wbuf_bytes(ps->w, pat, (size_t)(plen - off + 7) / 8);
	return 0;
}

static int fs_parse_all(struct fs_parse *ps)
{
	char tok[512];
	uint8_t prev = 0;

	while (fs_token(ps, tok, sizeof(tok))) {
		uint8_t type = flowspec_type_from_name(tok, ps->afi);

		if (!type)
			return fs_fail(ps, "unknown component", tok);
		if (type <= prev)
			return fs_fail(ps, "components out of order or repeated", tok);
		prev = type;
		if (!fs_token(ps, tok, sizeof(tok)))
			return fs_fail(ps, "missing value for", flowspec_type_name(type));
		wbuf_u8(ps->w, type);
		if ((type == FS_DST_PREFIX || type == FS_SRC_PREFIX) ? fs_parse_prefix(ps, tok)
								     : fs_parse_ops(ps, type, tok))
			return -1;
	}
	return 0;
}

int flowspec_parse(const char *text, uint8_t afi, struct wbuf *w, char *err, size_t errlen)
{
	struct fs_parse ps = {text, afi, w, err, errlen};
	size_t mark = wbuf_mark(w);

	if (errlen)
		err[0] = '\0';
	if (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6) {
		fs_fail(&ps, "address family not IPv4 or IPv6", NULL);
		return -1;
	}
	if (fs_parse_all(&ps) == 0 && wbuf_ok(w)) {
		if (wbuf_len(w) > mark)
			return 0;
		fs_fail(&ps, "no components", NULL); /* RFC 8955 s4.2 */
	}
	if (!wbuf_ok(w))
		fs_fail(&ps, "components do not fit", NULL);
	wbuf_truncate(w, mark);
	return -1;
}
