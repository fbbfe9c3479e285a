/*
 * fib_proto: encoder and decoder of the FIB protocol (docs/fib-protocol.md).
 * Pure: bytes in, a struct fib_msg and a verdict out.  Every received byte
 * is read through rbuf; every body must be consumed exactly.
 *
 * Not for: sockets or state (fib_dp.c, src/dp/).
 */
#include "fib/fib_proto.h"

#include <string.h>

#include "lib/rbuf.h"

/* --- encoding --- */

static void fp_put_addr(struct wbuf *w, const struct ipaddr *a)
{
	wbuf_u8(w, a->afi);
	wbuf_bytes(w, a->b, afi_addr_bytes(a->afi));
}

static void fp_put_prefix(struct wbuf *w, const struct prefix *p)
{
	wbuf_u8(w, p->afi);
	wbuf_u8(w, p->len);
	wbuf_bytes(w, p->b, afi_addr_bytes(p->afi));
}

static void fp_put_name(struct wbuf *w, const char *name)
{
	size_t n = strnlen(name, FIB_NAME_MAX);

	if (n >= FIB_NAME_MAX)
		w->overflow = true;
	wbuf_u8(w, (uint8_t)n);
	wbuf_bytes(w, name, n);
}

static void fp_put_nh(struct wbuf *w, const struct fib_nh *nh)
{
	wbuf_u32(w, nh->id);
	wbuf_u8(w, (uint8_t)nh->type);
	switch (nh->type) {
	case FIB_NH_DROP:
		break;
	case FIB_NH_LOCAL:
		wbuf_u32(w, nh->ifc);
		fp_put_addr(w, &nh->gw);
		break;
	case FIB_NH_TUNNEL:
		fp_put_addr(w, &nh->pe);
		if (nh->n_labels > FIB_LABELS_MAX)
			w->overflow = true;
		wbuf_u8(w, nh->n_labels);
		for (unsigned i = 0; i < nh->n_labels && i < FIB_LABELS_MAX; i++)
			wbuf_u32(w, nh->labels[i]);
		break;
	case FIB_NH_LOOKUP:
		wbuf_u32(w, nh->vrf);
		break;
	case FIB_NH_ECMP:
		wbuf_u8(w, (uint8_t)nh->hash);
		if (nh->n_members > FIB_ECMP_MAX)
			w->overflow = true;
		wbuf_u8(w, nh->n_members);
		for (unsigned i = 0; i < nh->n_members && i < FIB_ECMP_MAX; i++)
			wbuf_u32(w, nh->members[i]);
		break;
	default:
		w->overflow = true;
	}
}

static void fp_put_if(struct wbuf *w, const struct fib_if *ifc)
{
	wbuf_u32(w, ifc->id);
	fp_put_name(w, ifc->name);
	wbuf_u8(w, (uint8_t)ifc->role);
	wbuf_u32(w, ifc->vrf);
	wbuf_u16(w, ifc->mtu);
	if (ifc->n_addr > 4)
		w->overflow = true;
	wbuf_u8(w, ifc->n_addr);
	for (unsigned i = 0; i < ifc->n_addr && i < 4; i++)
		fp_put_prefix(w, &ifc->addr[i]);
}

static void fp_put_op(struct wbuf *w, const struct fib_op *op)
{
	const __typeof__(op->u) *u = &op->u;

	switch (op->type) {
	case FIB_OP_RESYNC:
		break;
	case FIB_OP_VRF_SET:
		wbuf_u32(w, u->vrf.id);
		fp_put_name(w, u->vrf.name);
		break;
	case FIB_OP_VRF_DEL:
		wbuf_u32(w, u->vrf.id);
		break;
	case FIB_OP_IF_SET:
		fp_put_if(w, &u->ifc);
		break;
	case FIB_OP_IF_DEL:
		wbuf_u32(w, u->ifc.id);
		break;
	case FIB_OP_NH_SET:
		fp_put_nh(w, &u->nh);
		break;
	case FIB_OP_NH_DEL:
		wbuf_u32(w, u->nh.id);
		break;
	case FIB_OP_ROUTE_SET:
	case FIB_OP_ROUTE_DEL:
		wbuf_u32(w, u->route.vrf);
		fp_put_prefix(w, &u->route.prefix);
		if (op->type == FIB_OP_ROUTE_SET)
			wbuf_u32(w, u->route.nh);
		break;
	case FIB_OP_LABEL_SET:
	case FIB_OP_LABEL_DEL:
		wbuf_u32(w, u->label.label);
		if (op->type == FIB_OP_LABEL_SET)
			wbuf_u32(w, u->label.nh);
		break;
	case FIB_OP_FLOW_SET:
		wbuf_u32(w, u->flow.vrf);
		wbuf_u32(w, u->flow.id);
		wbuf_u32(w, u->flow.priority);
		wbuf_u8(w, u->flow.afi);
		wbuf_u8(w, u->flow.nlri_len);
		wbuf_bytes(w, u->flow.nlri, u->flow.nlri_len);
		wbuf_u32(w, u->flow.nh);
		break;
	case FIB_OP_FLOW_DEL:
		wbuf_u32(w, u->flow.vrf);
		wbuf_u32(w, u->flow.id);
		break;
	case FIB_OP_PEER_SET:
	case FIB_OP_PEER_DEL:
		fp_put_addr(w, &u->peer.addr);
		break;
	default:
		w->overflow = true;
	}
}

bool fib_proto_encode(struct wbuf *w, const struct fib_msg *m)
{
	size_t start = wbuf_mark(w);
	size_t len;

	wbuf_u32(w, 0); /* patched below */
	wbuf_u16(w, m->type);
	wbuf_u16(w, 0);
	switch (m->type) {
	case FIB_MSG_HELLO:
		wbuf_u32(w, FIB_PROTO_MAGIC);
		wbuf_u16(w, m->u.hello.version);
		wbuf_u8(w, m->u.hello.role);
		wbuf_u8(w, 0);
		wbuf_u64(w, m->u.hello.gen);
		break;
	case FIB_MSG_BATCH:
	case FIB_MSG_COMMIT:
		wbuf_u64(w, m->u.gen);
		break;
	case FIB_MSG_RESYNC_REQ:
		break;
	case FIB_MSG_ACK:
		wbuf_u64(w, m->u.ack.gen);
		wbuf_u32(w, m->u.ack.status);
		break;
	case FIB_MSG_SHOW: /* the view: empty (everything) or "labels" */
	case FIB_MSG_SHOW_REPLY:
	case FIB_MSG_TRACE:
		if (m->u.text.len)
			wbuf_bytes(w, m->u.text.p, m->u.text.len);
		break;
	default:
		if (m->type != FIB_MSG_OP_BASE + (unsigned)m->u.op.type)
			w->overflow = true;
		fp_put_op(w, &m->u.op);
	}
	len = wbuf_len(w) - start;
	if (!wbuf_ok(w) || len > FIB_PROTO_MAX) {
		wbuf_truncate(w, start);
		w->overflow = true;
		return false;
	}
	wbuf_patch_u16(w, start, (uint16_t)(len >> 16));
	wbuf_patch_u16(w, start + 2, (uint16_t)len);
	return true;
}

/* --- decoding --- */

int fib_proto_frame(const uint8_t *buf, size_t avail, size_t *len)
{
	struct rbuf r;
	uint32_t l;

	rbuf_init(&r, buf, avail);
	if (!rbuf_u32(&r, &l))
		return 0;
	if (l < FIB_PROTO_HDR || l > FIB_PROTO_MAX)
		return -1;
	if (avail < l)
		return 0;
	*len = l;
	return 1;
}

static bool fp_get_addr(struct rbuf *r, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (!rbuf_u8(r, &a->afi))
		return false;
	if (a->afi != 0 && a->afi != AFI_IPV4 && a->afi != AFI_IPV6)
		return false;
	return rbuf_bytes(r, a->b, afi_addr_bytes(a->afi));
}

/* strict: host bits must be zero (routes); interface addresses keep them */
static bool fp_get_prefix(struct rbuf *r, struct prefix *p, bool strict)
{
	struct prefix q;

	memset(p, 0, sizeof(*p));
	if (!rbuf_u8(r, &p->afi) || !rbuf_u8(r, &p->len))
		return false;
	if (p->afi != AFI_IPV4 && p->afi != AFI_IPV6)
		return false;
	if (p->len > afi_addr_bits(p->afi))
		return false;
	if (!rbuf_bytes(r, p->b, afi_addr_bytes(p->afi)))
		return false;
	q = *p;
	prefix_normalize(&q);
	return !strict || memcmp(&q, p, sizeof(q)) == 0;
}

static bool fp_get_name(struct rbuf *r, char *name)
{
	uint8_t n;

	memset(name, 0, FIB_NAME_MAX);
	if (!rbuf_u8(r, &n) || n >= FIB_NAME_MAX || !rbuf_bytes(r, name, n))
		return false;
	return strlen(name) == n; /* no NUL inside */
}

static const char *fp_get_nh(struct rbuf *r, struct fib_nh *nh)
{
	uint8_t t, h;

	if (!rbuf_u32(r, &nh->id) || !rbuf_u8(r, &t))
		return "short nh";
	if (nh->id == 0)
		return "nh id 0";
	nh->type = t;
	switch (t) {
	case FIB_NH_DROP:
		return NULL;
	case FIB_NH_LOCAL:
		if (!rbuf_u32(r, &nh->ifc) || !fp_get_addr(r, &nh->gw))
			return "bad local nh";
		return NULL;
	case FIB_NH_TUNNEL:
		if (!fp_get_addr(r, &nh->pe) || nh->pe.afi == 0 || !rbuf_u8(r, &nh->n_labels))
			return "bad tunnel nh";
		if (nh->n_labels == 0 || nh->n_labels > FIB_LABELS_MAX)
			return "bad label count";
		for (unsigned i = 0; i < nh->n_labels; i++)
			if (!rbuf_u32(r, &nh->labels[i]) || nh->labels[i] > 0xfffff)
				return "bad label";
		return NULL;
	case FIB_NH_LOOKUP:
		if (!rbuf_u32(r, &nh->vrf) || nh->vrf == 0)
			return "bad lookup nh";
		return NULL;
	case FIB_NH_ECMP:
		if (!rbuf_u8(r, &h) || h > FIB_HASH_SYMMETRIC || !rbuf_u8(r, &nh->n_members))
			return "bad ecmp nh";
		nh->hash = h;
		if (nh->n_members == 0 || nh->n_members > FIB_ECMP_MAX)
			return "bad ecmp member count";
		for (unsigned i = 0; i < nh->n_members; i++)
			if (!rbuf_u32(r, &nh->members[i]) || nh->members[i] == 0)
				return "bad ecmp member";
		return NULL;
	default:
		return "unknown nh type";
	}
}

static const char *fp_get_if(struct rbuf *r, struct fib_if *ifc)
{
	uint8_t role;

	if (!rbuf_u32(r, &ifc->id) || ifc->id == 0 || !fp_get_name(r, ifc->name) ||
	    ifc->name[0] == '\0')
		return "bad interface";
	if (!rbuf_u8(r, &role) || (role != FIB_IF_ATTACH && role != FIB_IF_SERVICE))
		return "bad interface role";
	ifc->role = role;
	if (!rbuf_u32(r, &ifc->vrf) || !rbuf_u16(r, &ifc->mtu) || !rbuf_u8(r, &ifc->n_addr) ||
	    ifc->n_addr > 4)
		return "bad interface";
	for (unsigned i = 0; i < ifc->n_addr; i++)
		if (!fp_get_prefix(r, &ifc->addr[i], false))
			return "bad interface address";
	return NULL;
}

static const char *fp_get_flow(struct rbuf *r, struct fib_flow *f, bool set)
{
	if (!rbuf_u32(r, &f->vrf) || !rbuf_u32(r, &f->id))
		return "short flow";
	if (!set)
		return NULL;
	if (!rbuf_u32(r, &f->priority) || !rbuf_u8(r, &f->afi) || !rbuf_u8(r, &f->nlri_len))
		return "short flow";
	if (f->afi != AFI_IPV4 && f->afi != AFI_IPV6)
		return "bad flow afi";
	if (!rbuf_bytes(r, f->nlri, f->nlri_len) || !rbuf_u32(r, &f->nh))
		return "short flow";
	return NULL;
}

static const char *fp_get_op(struct rbuf *r, struct fib_op *op)
{
	switch (op->type) {
	case FIB_OP_RESYNC:
		return NULL;
	case FIB_OP_VRF_SET:
		if (!rbuf_u32(r, &op->u.vrf.id) || !fp_get_name(r, op->u.vrf.name))
			return "bad vrf";
		return op->u.vrf.id ? NULL : "vrf id 0";
	case FIB_OP_VRF_DEL:
		return rbuf_u32(r, &op->u.vrf.id) ? NULL : "bad vrf";
	case FIB_OP_IF_SET:
		return fp_get_if(r, &op->u.ifc);
	case FIB_OP_IF_DEL:
		return rbuf_u32(r, &op->u.ifc.id) ? NULL : "bad interface";
	case FIB_OP_NH_SET:
		return fp_get_nh(r, &op->u.nh);
	case FIB_OP_NH_DEL:
		return rbuf_u32(r, &op->u.nh.id) ? NULL : "bad nh";
	case FIB_OP_ROUTE_SET:
	case FIB_OP_ROUTE_DEL:
		if (!rbuf_u32(r, &op->u.route.vrf) || !fp_get_prefix(r, &op->u.route.prefix, true))
			return "bad route";
		if (op->type == FIB_OP_ROUTE_SET && !rbuf_u32(r, &op->u.route.nh))
			return "bad route";
		return NULL;
	case FIB_OP_LABEL_SET:
	case FIB_OP_LABEL_DEL:
		if (!rbuf_u32(r, &op->u.label.label) || op->u.label.label > 0xfffff)
			return "bad label";
		if (op->type == FIB_OP_LABEL_SET && !rbuf_u32(r, &op->u.label.nh))
			return "bad label";
		return NULL;
	case FIB_OP_FLOW_SET:
	case FIB_OP_FLOW_DEL:
		return fp_get_flow(r, &op->u.flow, op->type == FIB_OP_FLOW_SET);
	case FIB_OP_PEER_SET:
	case FIB_OP_PEER_DEL:
		if (!fp_get_addr(r, &op->u.peer.addr) || op->u.peer.addr.afi == 0)
			return "bad peer";
		return NULL;
	default:
		return "unknown op";
	}
}

static const char *fp_get_body(struct rbuf *r, struct fib_msg *m)
{
	uint32_t magic;
	uint8_t pad;

	switch (m->type) {
	case FIB_MSG_HELLO:
		if (!rbuf_u32(r, &magic) || magic != FIB_PROTO_MAGIC)
			return "bad magic";
		if (!rbuf_u16(r, &m->u.hello.version) || !rbuf_u8(r, &m->u.hello.role) ||
		    !rbuf_u8(r, &pad) || !rbuf_u64(r, &m->u.hello.gen))
			return "short hello";
		return NULL;
	case FIB_MSG_BATCH:
	case FIB_MSG_COMMIT:
		return rbuf_u64(r, &m->u.gen) ? NULL : "short message";
	case FIB_MSG_RESYNC_REQ:
		return NULL;
	case FIB_MSG_ACK:
		if (!rbuf_u64(r, &m->u.ack.gen) || !rbuf_u32(r, &m->u.ack.status))
			return "short ack";
		return NULL;
	case FIB_MSG_SHOW:
	case FIB_MSG_SHOW_REPLY:
	case FIB_MSG_TRACE:
		m->u.text.len = rbuf_left(r);
		m->u.text.p = (const char *)rbuf_ptr(r);
		return rbuf_skip(r, m->u.text.len) ? NULL : "short text";
	default:
		if (m->type <= FIB_MSG_OP_BASE || m->type > FIB_MSG_OP_BASE + FIB_OP_PEER_DEL)
			return "unknown message type";
		m->u.op.type = (enum fib_op_type)(m->type - FIB_MSG_OP_BASE);
		return fp_get_op(r, &m->u.op);
	}
}

const char *fib_proto_decode(const uint8_t *buf, size_t len, struct fib_msg *m)
{
	struct rbuf r, body;
	uint32_t l;
	uint16_t rsv;
	const char *err;

	memset(m, 0, sizeof(*m));
	rbuf_init(&r, buf, len);
	if (!rbuf_u32(&r, &l) || l != len || !rbuf_u16(&r, &m->type) || !rbuf_u16(&r, &rsv))
		return "bad header";
	rbuf_rest(&r, &body);
	err = fp_get_body(&body, m);
	if (err == NULL && !rbuf_empty(&body))
		err = "trailing bytes";
	return err;
}

const char *fib_proto_msg_name(uint16_t type)
{
	static const char *const names[] = {
	    [FIB_MSG_HELLO] = "hello",
	    [FIB_MSG_BATCH] = "batch",
	    [FIB_MSG_COMMIT] = "commit",
	    [FIB_MSG_RESYNC_REQ] = "resync-request",
	    [FIB_MSG_ACK] = "ack",
	    [FIB_MSG_SHOW] = "show",
	    [FIB_MSG_SHOW_REPLY] = "show-reply",
	    [FIB_MSG_TRACE] = "trace",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return type > FIB_MSG_OP_BASE ? "op" : "unknown";
}
