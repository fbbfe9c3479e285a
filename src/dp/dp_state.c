/*
 * dp_state: the data plane's tables, changed only by committed FIB batches
 * (fib.h).  A batch that begins with FIB_OP_RESYNC marks every object
 * stale; SET ops clear the mark; at the end of the batch what is still
 * stale is removed (fib.h: "whatever the backend holds that is not
 * restated before the commit is removed").  Objects refer to each other by
 * id only, so the order of removal does not matter for memory safety.
 *
 * Not for: packets (dp_fwd.c), sockets (dp_io.c).
 */
#include "dp/dp_state.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "wire/flowspec.h"

#define VEC_PUSH(vec)                                                                              \
	((vec).n < (vec).cap || vec_grow((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v))          \
	     ? &(vec).v[(vec).n++]                                                                 \
	     : NULL)
#define VEC_DEL(vec, i) ((vec).v[i] = (vec).v[--(vec).n])

static bool vec_grow(void **v, size_t *cap, size_t size)
{
	size_t nc = *cap ? *cap * 2 : 8;
	void *p = realloc(*v, nc * size);

	if (p == NULL)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

void dp_state_init(struct dp_state *s)
{
	memset(s, 0, sizeof(*s));
	dp_labels_init(&s->labels);
}

struct dp_vrf *dp_vrf_get(struct dp_state *s, fib_vrf_id id)
{
	for (size_t i = 0; i < s->vrfs.n; i++)
		if (s->vrfs.v[i].cfg.id == id)
			return &s->vrfs.v[i];
	return NULL;
}

struct dp_if *dp_if_get(struct dp_state *s, fib_if_id id)
{
	for (size_t i = 0; i < s->ifs.n; i++)
		if (s->ifs.v[i]->cfg.id == id)
			return s->ifs.v[i];
	return NULL;
}

struct dp_nh *dp_nh_get(struct dp_state *s, fib_nh_id id)
{
	for (size_t i = 0; i < s->nhs.n; i++)
		if (s->nhs.v[i].cfg.id == id)
			return &s->nhs.v[i];
	return NULL;
}

struct dp_peer *dp_peer_get(struct dp_state *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->peers.n; i++)
		if (ipaddr_cmp(&s->peers.v[i].addr, a) == 0)
			return &s->peers.v[i];
	return NULL;
}

static struct dp_flow *flow_get(struct dp_state *s, fib_vrf_id vrf, uint32_t id, size_t *idx)
{
	for (size_t i = 0; i < s->flows.n; i++)
		if (s->flows.v[i].cfg.vrf == vrf && s->flows.v[i].cfg.id == id) {
			*idx = i;
			return &s->flows.v[i];
		}
	return NULL;
}

static void if_remove(struct dp_state *s, size_t i)
{
	struct dp_if *ifc = s->ifs.v[i];

	if (s->if_down)
		s->if_down(s->io_arg, ifc);
	free(ifc);
	VEC_DEL(s->ifs, i);
}

static void vrf_remove(struct dp_state *s, size_t i)
{
	dp_lpm_free(&s->vrfs.v[i].lpm4);
	dp_lpm_free(&s->vrfs.v[i].lpm6);
	VEC_DEL(s->vrfs, i);
}

static int op_vrf_set(struct dp_state *s, const struct fib_vrf *c)
{
	struct dp_vrf *v = dp_vrf_get(s, c->id);

	if (v == NULL) {
		if ((v = VEC_PUSH(s->vrfs)) == NULL)
			return -1;
		memset(v, 0, sizeof(*v));
		dp_lpm_init(&v->lpm4);
		dp_lpm_init(&v->lpm6);
	}
	v->cfg = *c;
	v->stale = false;
	return 0;
}

static int op_if_set(struct dp_state *s, const struct fib_if *c)
{
	struct dp_if *ifc = dp_if_get(s, c->id), **slot;

	if (ifc != NULL && strcmp(ifc->cfg.name, c->name) != 0) {
		if (s->if_down) /* renamed: reopen */
			s->if_down(s->io_arg, ifc);
		ifc->cfg = *c;
		if (s->if_up)
			s->if_up(s->io_arg, ifc);
	} else if (ifc == NULL) {
		if ((ifc = calloc(1, sizeof(*ifc))) == NULL || (slot = VEC_PUSH(s->ifs)) == NULL) {
			free(ifc);
			return -1;
		}
		*slot = ifc;
		ifc->fd = -1;
		ifc->cfg = *c;
		if (s->if_up)
			s->if_up(s->io_arg, ifc);
	}
	ifc->cfg = *c;
	ifc->stale = false;
	return 0;
}

static int op_nh_set(struct dp_state *s, const struct fib_nh *c)
{
	struct dp_nh *nh = dp_nh_get(s, c->id);

	if (nh == NULL) {
		if ((nh = VEC_PUSH(s->nhs)) == NULL)
			return -1;
		memset(nh, 0, sizeof(*nh));
	}
	nh->cfg = *c; /* every prefix, label and flow using it moves now */
	nh->stale = false;
	return 0;
}

static int op_route(struct dp_state *s, const struct fib_route *c, bool set)
{
	struct dp_vrf *v = dp_vrf_get(s, c->vrf);
	struct dp_lpm *t;

	if (v == NULL)
		return -1;
	t = c->prefix.afi == AFI_IPV6 ? &v->lpm6 : &v->lpm4;
	if (!set)
		return dp_lpm_del(t, &c->prefix) ? 0 : -1;
	return dp_lpm_set(t, &c->prefix, c->nh) ? 0 : -1;
}

static int op_flow(struct dp_state *s, const struct fib_flow *c, bool set)
{
	size_t i;
	struct dp_flow *f = flow_get(s, c->vrf, c->id, &i);
	struct rbuf r;
	size_t off;

	if (!set) {
		if (f == NULL)
			return -1;
		VEC_DEL(s->flows, i);
		return 0;
	}
	rbuf_init(&r, c->nlri, c->nlri_len);
	if (dp_vrf_get(s, c->vrf) == NULL || flowspec_check(&r, c->afi, &off) != NULL)
		return -1; /* RFC 8955 s4.2 components must be valid */
	if (f == NULL) {
		if ((f = VEC_PUSH(s->flows)) == NULL)
			return -1;
		memset(f, 0, sizeof(*f));
	}
	f->cfg = *c;
	f->stale = false;
	return 0;
}

static int op_peer(struct dp_state *s, const struct fib_peer *c, bool set)
{
	struct dp_peer *p = dp_peer_get(s, &c->addr);

	if (!set) {
		if (p == NULL)
			return -1;
		VEC_DEL(s->peers, (size_t)(p - s->peers.v));
		return 0;
	}
	if (p == NULL) {
		if ((p = VEC_PUSH(s->peers)) == NULL)
			return -1;
		memset(p, 0, sizeof(*p));
		p->addr = c->addr;
	}
	p->stale = false;
	return 0;
}

static int del_by_id(struct dp_state *s, const struct fib_op *op)
{
	size_t i;

	switch (op->type) {
	case FIB_OP_VRF_DEL:
		for (i = 0; i < s->vrfs.n; i++)
			if (s->vrfs.v[i].cfg.id == op->u.vrf.id) {
				vrf_remove(s, i);
				return 0;
			}
		return -1;
	case FIB_OP_IF_DEL:
		for (i = 0; i < s->ifs.n; i++)
			if (s->ifs.v[i]->cfg.id == op->u.ifc.id) {
				if_remove(s, i);
				return 0;
			}
		return -1;
	default: /* FIB_OP_NH_DEL */
		for (i = 0; i < s->nhs.n; i++)
			if (s->nhs.v[i].cfg.id == op->u.nh.id) {
				VEC_DEL(s->nhs, i);
				return 0;
			}
		return -1;
	}
}

static bool mark_route(struct dp_route *r, void *arg)
{
	r->stale = *(bool *)arg;
	return true;
}

static void mark_all(struct dp_state *s)
{
	bool t = true;

	for (size_t i = 0; i < s->vrfs.n; i++) {
		s->vrfs.v[i].stale = true;
		dp_lpm_walk(&s->vrfs.v[i].lpm4, mark_route, &t);
		dp_lpm_walk(&s->vrfs.v[i].lpm6, mark_route, &t);
	}
	for (size_t i = 0; i < s->ifs.n; i++)
		s->ifs.v[i]->stale = true;
	for (size_t i = 0; i < s->nhs.n; i++)
		s->nhs.v[i].stale = true;
	for (size_t i = 0; i < s->flows.n; i++)
		s->flows.v[i].stale = true;
	for (size_t i = 0; i < s->peers.n; i++)
		s->peers.v[i].stale = true;
	for (size_t i = 0; i < s->labels.cap; i++)
		s->labels.slots[i].stale = true;
}

static void sweep_all(struct dp_state *s)
{
	for (size_t i = 0; i < s->vrfs.n;) {
		if (s->vrfs.v[i].stale) {
			vrf_remove(s, i);
			continue;
		}
		(void)dp_lpm_sweep(&s->vrfs.v[i].lpm4);
		(void)dp_lpm_sweep(&s->vrfs.v[i].lpm6);
		i++;
	}
	for (size_t i = 0; i < s->ifs.n;)
		if (s->ifs.v[i]->stale)
			if_remove(s, i);
		else
			i++;
	for (size_t i = 0; i < s->nhs.n;)
		if (s->nhs.v[i].stale)
			VEC_DEL(s->nhs, i);
		else
			i++;
	for (size_t i = 0; i < s->flows.n;)
		if (s->flows.v[i].stale)
			VEC_DEL(s->flows, i);
		else
			i++;
	for (size_t i = 0; i < s->peers.n;)
		if (s->peers.v[i].stale)
			VEC_DEL(s->peers, i);
		else
			i++;
	(void)dp_labels_sweep(&s->labels);
}

static int op_apply(struct dp_state *s, const struct fib_op *op)
{
	switch (op->type) {
	case FIB_OP_VRF_SET:
		return op_vrf_set(s, &op->u.vrf);
	case FIB_OP_IF_SET:
		return op_if_set(s, &op->u.ifc);
	case FIB_OP_NH_SET:
		return op_nh_set(s, &op->u.nh);
	case FIB_OP_VRF_DEL:
	case FIB_OP_IF_DEL:
	case FIB_OP_NH_DEL:
		return del_by_id(s, op);
	case FIB_OP_ROUTE_SET:
	case FIB_OP_ROUTE_DEL:
		return op_route(s, &op->u.route, op->type == FIB_OP_ROUTE_SET);
	case FIB_OP_LABEL_SET:
		return dp_labels_set(&s->labels, op->u.label.label, op->u.label.nh) ? 0 : -1;
	case FIB_OP_LABEL_DEL:
		return dp_labels_del(&s->labels, op->u.label.label) ? 0 : -1;
	case FIB_OP_FLOW_SET:
	case FIB_OP_FLOW_DEL:
		return op_flow(s, &op->u.flow, op->type == FIB_OP_FLOW_SET);
	case FIB_OP_PEER_SET:
	case FIB_OP_PEER_DEL:
		return op_peer(s, &op->u.peer, op->type == FIB_OP_PEER_SET);
	default:
		return -1;
	}
}

static int flow_cmp(const void *a, const void *b)
{
	const struct dp_flow *x = a, *y = b;

	if (x->cfg.priority != y->cfg.priority)
		return x->cfg.priority < y->cfg.priority ? -1 : 1;
	return x->cfg.id < y->cfg.id ? -1 : x->cfg.id > y->cfg.id;
}

unsigned dp_state_apply(struct dp_state *s, uint64_t gen, const struct fib_op *ops, size_t n)
{
	unsigned refused = 0;
	bool resync = n > 0 && ops[0].type == FIB_OP_RESYNC;

	if (resync)
		mark_all(s);
	for (size_t i = resync ? 1 : 0; i < n; i++)
		if (op_apply(s, &ops[i]) != 0)
			refused++;
	if (resync) {
		sweep_all(s);
		s->resync_pending = false;
		s->resyncs++;
	}
	/* flows are classified in priority order (lower first) */
	if (s->flows.n > 1)
		qsort(s->flows.v, s->flows.n, sizeof(*s->flows.v), flow_cmp);
	s->gen = gen;
	s->commits++;
	s->ops_refused += refused;
	return refused;
}

void dp_state_free(struct dp_state *s)
{
	while (s->ifs.n)
		if_remove(s, s->ifs.n - 1);
	while (s->vrfs.n)
		vrf_remove(s, s->vrfs.n - 1);
	free(s->ifs.v);
	free(s->vrfs.v);
	free(s->nhs.v);
	free(s->flows.v);
	free(s->peers.v);
	dp_labels_free(&s->labels);
}

/* --- JSON --- */

static struct json_object *cnt_json(const struct dp_cnt *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "packets", json_object_new_int64((int64_t)c->pkts));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)c->bytes));
	return o;
}

static bool route_json(struct dp_route *r, void *arg)
{
	struct json_object *o = json_object_new_object();
	char buf[PREFIX_STRLEN];

	json_object_object_add(o, "prefix",
			       json_object_new_string(prefix_fmt(&r->prefix, buf, sizeof(buf))));
	json_object_object_add(o, "nh", json_object_new_int64(r->nh));
	json_object_object_add(o, "counters", cnt_json(&r->cnt));
	json_object_array_add(arg, o);
	return true;
}

static const char *nh_type_name(enum fib_nh_type t)
{
	static const char *const n[] = {"?", "drop", "local", "tunnel", "lookup", "ecmp"};
	return (unsigned)t < 6 ? n[t] : "?";
}

static struct json_object *nh_json(const struct dp_nh *nh)
{
	struct json_object *o = json_object_new_object(), *a;
	char buf[IPADDR_STRLEN];

	json_object_object_add(o, "id", json_object_new_int64(nh->cfg.id));
	json_object_object_add(o, "type", json_object_new_string(nh_type_name(nh->cfg.type)));
	switch (nh->cfg.type) {
	case FIB_NH_LOCAL:
		json_object_object_add(o, "interface", json_object_new_int64(nh->cfg.ifc));
		if (nh->cfg.gw.afi)
			json_object_object_add(
			    o, "gateway",
			    json_object_new_string(ipaddr_fmt(&nh->cfg.gw, buf, sizeof(buf))));
		break;
	case FIB_NH_TUNNEL:
		json_object_object_add(
		    o, "pe", json_object_new_string(ipaddr_fmt(&nh->cfg.pe, buf, sizeof(buf))));
		a = json_object_new_array();
		for (unsigned i = 0; i < nh->cfg.n_labels; i++)
			json_object_array_add(a, json_object_new_int64(nh->cfg.labels[i]));
		json_object_object_add(o, "labels", a);
		break;
	case FIB_NH_LOOKUP:
		json_object_object_add(o, "vrf", json_object_new_int64(nh->cfg.vrf));
		break;
	case FIB_NH_ECMP:
		json_object_object_add(o, "symmetric",
				       json_object_new_boolean(nh->cfg.hash == FIB_HASH_SYMMETRIC));
		a = json_object_new_array();
		for (unsigned i = 0; i < nh->cfg.n_members; i++)
			json_object_array_add(a, json_object_new_int64(nh->cfg.members[i]));
		json_object_object_add(o, "members", a);
		break;
	default:
		break;
	}
	json_object_object_add(o, "counters", cnt_json(&nh->cnt));
	return o;
}

static struct json_object *vrf_json(struct dp_vrf *v)
{
	struct json_object *o = json_object_new_object(), *routes = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_int64(v->cfg.id));
	json_object_object_add(o, "name", json_object_new_string(v->cfg.name));
	json_object_object_add(o, "lookups", cnt_json(&v->lookups));
	json_object_object_add(o, "no-route", cnt_json(&v->no_route));
	json_object_object_add(o, "flow-hits", cnt_json(&v->flow_hits));
	dp_lpm_walk(&v->lpm4, route_json, routes);
	dp_lpm_walk(&v->lpm6, route_json, routes);
	json_object_object_add(o, "routes", routes);
	return o;
}

static struct json_object *if_json(const struct dp_if *ifc)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(ifc->cfg.id));
	json_object_object_add(o, "name", json_object_new_string(ifc->cfg.name));
	json_object_object_add(
	    o, "role",
	    json_object_new_string(ifc->cfg.role == FIB_IF_SERVICE ? "service" : "attach"));
	json_object_object_add(o, "vrf", json_object_new_int64(ifc->cfg.vrf));
	json_object_object_add(o, "up", json_object_new_boolean(ifc->fd >= 0));
	json_object_object_add(o, "rx", cnt_json(&ifc->rx));
	json_object_object_add(o, "tx", cnt_json(&ifc->tx));
	json_object_object_add(o, "drop", cnt_json(&ifc->drop));
	return o;
}

static struct json_object *ifs_json(const struct dp_state *s)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->ifs.n; i++)
		json_object_array_add(a, if_json(s->ifs.v[i]));
	return a;
}

static struct json_object *label_json(const struct dp_label *l, bool counters)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "label", json_object_new_int64(l->label));
	json_object_object_add(e, "nh", json_object_new_int64(l->nh));
	if (counters)
		json_object_object_add(e, "counters", cnt_json(&l->cnt));
	return e;
}

char *dp_state_json(struct dp_state *s, const struct dp_cnt *glob, const char *const *gnames,
		    size_t n_glob)
{
	struct json_object *o = json_object_new_object(), *a, *g = json_object_new_object();
	char buf[IPADDR_STRLEN], *out;

	json_object_object_add(o, "generation", json_object_new_int64((int64_t)s->gen));
	json_object_object_add(o, "commits", json_object_new_int64((int64_t)s->commits));
	json_object_object_add(o, "ops-refused", json_object_new_int64((int64_t)s->ops_refused));
	json_object_object_add(o, "resync-pending", json_object_new_boolean(s->resync_pending));
	json_object_object_add(o, "resyncs", json_object_new_int64((int64_t)s->resyncs));
	for (size_t i = 0; i < n_glob; i++)
		json_object_object_add(g, gnames[i], cnt_json(&glob[i]));
	json_object_object_add(o, "counters", g);
	a = json_object_new_array();
	for (size_t i = 0; i < s->vrfs.n; i++)
		json_object_array_add(a, vrf_json(&s->vrfs.v[i]));
	json_object_object_add(o, "vrfs", a);
	json_object_object_add(o, "interfaces", ifs_json(s));
	a = json_object_new_array();
	for (size_t i = 0; i < s->nhs.n; i++)
		json_object_array_add(a, nh_json(&s->nhs.v[i]));
	json_object_object_add(o, "nexthops", a);
	a = json_object_new_array();
	for (size_t i = 0; i < s->labels.cap; i++) {
		const struct dp_label *l = &s->labels.slots[i];
		if (l->label > 0xfffff)
			continue;
		json_object_array_add(a, label_json(l, true));
	}
	json_object_object_add(o, "labels", a);
	a = json_object_new_array();
	for (size_t i = 0; i < s->flows.n; i++) {
		const struct dp_flow *f = &s->flows.v[i];
		struct json_object *e = json_object_new_object();
		char text[1024];
		struct rbuf r;
		rbuf_init(&r, f->cfg.nlri, f->cfg.nlri_len);
		json_object_object_add(e, "vrf", json_object_new_int64(f->cfg.vrf));
		json_object_object_add(e, "id", json_object_new_int64(f->cfg.id));
		json_object_object_add(
		    e, "match",
		    json_object_new_string(flowspec_fmt(&r, f->cfg.afi, text, sizeof(text))));
		json_object_object_add(e, "nh", json_object_new_int64(f->cfg.nh));
		json_object_object_add(e, "counters", cnt_json(&f->cnt));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "flows", a);
	a = json_object_new_array();
	for (size_t i = 0; i < s->peers.n; i++) {
		struct json_object *e = json_object_new_object();
		json_object_object_add(
		    e, "address",
		    json_object_new_string(ipaddr_fmt(&s->peers.v[i].addr, buf, sizeof(buf))));
		json_object_object_add(e, "rx", cnt_json(&s->peers.v[i].rx));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "peers", a);
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	return out;
}

static int id_qcmp(const void *a, const void *b)
{
	fib_nh_id x = *(const fib_nh_id *)a, y = *(const fib_nh_id *)b;

	return x < y ? -1 : x > y;
}

char *dp_state_labels_json(struct dp_state *s)
{
	struct json_object *o = json_object_new_object(), *a;
	fib_nh_id *ids = NULL;
	size_t n = 0, cap = 0;
	char *out = NULL;

	json_object_object_add(o, "generation", json_object_new_int64((int64_t)s->gen));
	json_object_object_add(o, "view", json_object_new_string("labels"));
	a = json_object_new_array();
	for (size_t i = 0; i < s->vrfs.n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "id", json_object_new_int64(s->vrfs.v[i].cfg.id));
		json_object_object_add(e, "name", json_object_new_string(s->vrfs.v[i].cfg.name));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "vrfs", a);
	json_object_object_add(o, "interfaces", ifs_json(s));
	a = json_object_new_array();
	for (size_t i = 0; i < s->labels.cap; i++) {
		const struct dp_label *l = &s->labels.slots[i];
		const struct dp_nh *nh;

		if (l->label > 0xfffff)
			continue;
		json_object_array_add(a, label_json(l, false));
		/* the next hop, and an ECMP group's members */
		nh = dp_nh_get(s, l->nh);
		for (unsigned k = 0; k <= (nh ? nh->cfg.n_members : 0); k++) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				fib_nh_id *m = realloc(ids, nc * sizeof(*ids));

				if (m == NULL)
					goto out;
				ids = m;
				cap = nc;
			}
			ids[n++] = k == 0 ? l->nh : nh->cfg.members[k - 1];
			if (nh == NULL || nh->cfg.type != FIB_NH_ECMP)
				break;
		}
	}
	json_object_object_add(o, "labels", a);
	if (n)
		qsort(ids, n, sizeof(*ids), id_qcmp);
	a = json_object_new_array();
	for (size_t i = 0; i < s->nhs.n; i++)
		if (n && bsearch(&s->nhs.v[i].cfg.id, ids, n, sizeof(*ids), id_qcmp))
			json_object_array_add(a, nh_json(&s->nhs.v[i]));
	json_object_object_add(o, "nexthops", a);
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
out:
	json_object_put(o);
	free(ids);
	return out;
}
