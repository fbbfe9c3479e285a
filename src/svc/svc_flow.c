/*
 * svc_flow: VPN FlowSpec routes steered into a service chain (draft
 * s4.1.5).  A flow carrying a service-topology RT is imported like a zone
 * route and resolved through the chain: in each VRF that imports the RT
 * and is not the chain's last hop, it is installed as a FIB flow pointing
 * at the chain's shared nh (the same object the zone prefixes use).  With a
 * distinct topology RT imported only by the ingress zone VRF it is
 * installed there alone.  Flows without a service-topology RT are not this
 * module's (RFC 8955 actions are the data plane's policy).
 *
 * Flow priority follows RFC 8955 s5.1 (the order of all flows known here;
 * IPv6 prefix components are compared the same way on their pattern
 * bytes, with the offset first, RFC 8956 s3.1); a flow whose rank moves is
 * restated with its new priority.
 *
 * Not for: FlowSpec decoding (wire/flowspec.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"
#include "wire/flowspec.h"

static void push_flow(struct svc *svc, const struct svc_flow *fl, vrf_id vrf, fib_nh_id nh)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = nh ? FIB_OP_FLOW_SET : FIB_OP_FLOW_DEL;
	op.u.flow.vrf = vrf;
	op.u.flow.id = fl->id;
	op.u.flow.priority = fl->priority;
	op.u.flow.afi = fl->key.afi;
	op.u.flow.nlri_len = fl->key.len;
	memcpy(op.u.flow.nlri, fl->key.nlri, fl->key.len);
	op.u.flow.nh = nh;
	svc_push(svc, &op);
}

/* One component of validated NLRI bytes: its type and the bytes after
 * the type (a prefix: length, [offset,] pattern; else the operator list). */
struct comp {
	uint8_t type;
	const uint8_t *data;
	size_t len;
};

static bool comp_next(const uint8_t *b, size_t n, size_t *off, uint8_t afi, struct comp *c)
{
	size_t o = *off, start;

	if (o >= n)
		return false;
	c->type = b[o++];
	start = o;
	if (c->type == FS_DST_PREFIX || c->type == FS_SRC_PREFIX) {
		unsigned bits, offset = 0;

		if (o >= n)
			return false;
		bits = b[o++];
		if (afi == AFI_IPV6) {
			if (o >= n)
				return false;
			offset = b[o++];
		}
		o += (bits > offset ? bits - offset + 7 : 0) / 8;
	} else {
		for (;;) {
			uint8_t op;

			if (o >= n)
				return false;
			op = b[o++];
			o += 1u << ((op >> 4) & 3);
			if (op & 0x80)
				break;
		}
	}
	if (o > n)
		return false;
	c->data = b + start;
	c->len = o - start;
	*off = o;
	return true;
}

/* RFC 8955 s5.1 flow_rule_cmp: < 0 when a has precedence. */
static int flow_cmp(const struct svc_flow *a, const struct svc_flow *b)
{
	size_t oa = 0, ob = 0;
	struct comp x, y;

	if (a->key.afi != b->key.afi)
		return a->key.afi < b->key.afi ? -1 : 1;
	for (;;) {
		bool hx = comp_next(a->key.nlri, a->key.len, &oa, a->key.afi, &x);
		bool hy = comp_next(b->key.nlri, b->key.len, &ob, b->key.afi, &y);
		size_t common;
		int c;

		if (!hx && !hy)
			break;
		if (!hx)
			return 1;
		if (!hy)
			return -1;
		if (x.type != y.type)
			return x.type < y.type ? -1 : 1;
		if (x.type == FS_DST_PREFIX || x.type == FS_SRC_PREFIX) {
			/* lowest IP value first over the common length, then
			 * the longest prefix */
			size_t hdr = a->key.afi == AFI_IPV6 ? 2 : 1;
			unsigned lx = x.data[0], ly = y.data[0], cb = lx < ly ? lx : ly;
			unsigned offset = hdr == 2 ? x.data[1] : 0;

			if (hdr == 2 && x.data[1] != y.data[1])
				return x.data[1] < y.data[1] ? -1 : 1;
			for (unsigned bit = 0; bit + offset < cb; bit++) {
				unsigned bx = x.data[hdr + bit / 8] >> (7 - bit % 8) & 1;
				unsigned by = y.data[hdr + bit / 8] >> (7 - bit % 8) & 1;

				if (bx != by)
					return bx < by ? -1 : 1;
			}
			if (lx != ly)
				return lx > ly ? -1 : 1;
		} else {
			/* lowest bytes first, then the longest string */
			common = x.len < y.len ? x.len : y.len;
			c = memcmp(x.data, y.data, common);
			if (c != 0)
				return c < 0 ? -1 : 1;
			if (x.len != y.len)
				return x.len > y.len ? -1 : 1;
		}
	}
	/* equal rules: a stable tie-break */
	return a->id < b->id ? -1 : a->id > b->id;
}

static int flow_qcmp(const void *a, const void *b)
{
	return flow_cmp(*(const struct svc_flow *const *)a, *(const struct svc_flow *const *)b);
}

/* Rank every flow (priority 1 = first); restate installed ones that moved. */
static void flows_order(struct svc *svc)
{
	size_t n = htab_count(&svc->flows), k = 0, i = 0;
	struct svc_flow **v = calloc(n ? n : 1, sizeof(*v)), *fl;

	if (v == NULL) {
		svc->err = ENOMEM;
		return;
	}
	while ((fl = htab_next(&svc->flows, &i)) != NULL && k < n)
		v[k++] = fl;
	qsort(v, k, sizeof(*v), flow_qcmp);
	for (i = 0; i < k; i++) {
		if (v[i]->priority == i + 1)
			continue;
		v[i]->priority = (uint32_t)(i + 1);
		for (unsigned j = 0; j < v[i]->n_inst; j++)
			if (v[i]->inst[j].nh != NULL)
				push_flow(svc, v[i], v[i]->inst[j].vrf, v[i]->inst[j].nh->f.id);
	}
	free(v);
}

static int inst_find(const struct svc_flow *fl, vrf_id vrf)
{
	for (unsigned i = 0; i < fl->n_inst; i++)
		if (fl->inst[i].vrf == vrf)
			return (int)i;
	return -1;
}

static void inst_set(struct svc *svc, struct svc_flow *fl, vrf_id vrf, struct svc_nh *nh,
		     enum svc_pend pend)
{
	int i = inst_find(fl, vrf);
	struct svc_nh *old = i >= 0 ? fl->inst[i].nh : NULL;

	if (i < 0 && nh == NULL && pend == SVC_PEND_NONE)
		return;
	if (i < 0) {
		if (fl->n_inst == SVC_FLOW_VRFS) {
			svc_nh_put(svc, nh);
			return;
		}
		i = fl->n_inst++;
		fl->inst[i].vrf = vrf;
		fl->inst[i].nh = NULL;
	}
	fl->inst[i].pend = pend;
	if (nh != old)
		push_flow(svc, fl, vrf, nh ? nh->f.id : 0);
	fl->inst[i].nh = nh;
	svc_nh_put(svc, old);
	if (nh == NULL && pend == SVC_PEND_NONE)
		fl->inst[i] = fl->inst[--fl->n_inst];
}

static void flow_eval(struct svc *svc, struct svc_flow *fl, bool gone)
{
	size_t i = 0;
	struct vrf *v;

	while ((v = vrf_next(svc->db, &i)) != NULL) {
		struct svc_decision d;
		struct svc_nh *nh = NULL;
		enum svc_pend pend = SVC_PEND_NONE;

		if (!gone && fl->rts && vrf_imports(v, fl->rts->rt, fl->rts->n)) {
			svc_decide(svc, v, fl->rts, NULL, fl->key.afi, &d);
			if (d.role == SVC_ROLE_CHAIN) {
				struct svc_chain *c = svc_chain_get(svc, v, d.t, fl->key.afi);

				nh = c ? svc_nh_hold(c->nh) : NULL;
				pend = c ? c->pend : SVC_PEND_NO_NEXTHOP;
			} else if (d.role == SVC_ROLE_LAST) {
				pend = SVC_PEND_LAST_HOP;
			}
		}
		inst_set(svc, fl, v->c.id, nh, pend);
	}
	/* instances in VRFs that are gone */
	for (unsigned k = 0; k < fl->n_inst;) {
		if (gone || vrf_get(svc->db, fl->inst[k].vrf) == NULL) {
			inst_set(svc, fl, fl->inst[k].vrf, NULL, SVC_PEND_NONE);
			continue;
		}
		k++;
	}
}

void svc_flows_eval(struct svc *svc)
{
	size_t i = 0;
	struct svc_flow *fl;

	while ((fl = htab_next(&svc->flows, &i)) != NULL)
		flow_eval(svc, fl, false);
}

static void flow_key(struct svc_flow_key *k, uint8_t afi, const struct rd *rd, const uint8_t *nlri,
		     uint8_t len, uint32_t path_id)
{
	memset(k, 0, sizeof(*k));
	k->rd = *rd;
	k->path_id = path_id;
	k->afi = afi;
	k->len = len;
	memcpy(k->nlri, nlri, len);
}

int svc_vpn_flow_update(struct svc *svc, const struct svc_vpn_flow *f)
{
	struct svc_flow_key k;
	struct svc_flow *fl;
	const struct vrf_rts *rts;

	if ((f->afi != AFI_IPV4 && f->afi != AFI_IPV6) || f->nlri_len == 0) {
		errno = EINVAL;
		return -1;
	}
	{
		/* RFC 8955 s4.2: only well-formed components are ordered and
		 * installed (the RDE has treated others as withdrawn already) */
		struct rbuf rb;
		size_t off;

		rbuf_init(&rb, f->nlri, f->nlri_len);
		if (flowspec_check(&rb, f->afi, &off) != NULL) {
			errno = EINVAL;
			return -1;
		}
	}
	flow_key(&k, f->afi, &f->rd, f->nlri, f->nlri_len, f->path_id);
	fl = htab_get(&svc->flows, &k);
	if (fl == NULL) {
		fl = calloc(1, sizeof(*fl));
		if (fl == NULL)
			goto nomem;
		fl->key = k;
		fl->id = ++svc->next_flow;
		if (htab_put(&svc->flows, fl) == fl) {
			free(fl);
			goto nomem;
		}
	}
	rts = vrf_rts_get(svc->db, f->rts, f->n_rts);
	if (rts == NULL)
		goto nomem;
	vrf_rts_put(svc->db, fl->rts);
	fl->rts = rts;
	flows_order(svc);
	flow_eval(svc, fl, false);
	return svc_result(svc);
nomem:
	errno = ENOMEM;
	return -1;
}

static void flow_drop(struct svc *svc, struct svc_flow *fl)
{
	flow_eval(svc, fl, true);
	htab_del(&svc->flows, &fl->key);
	vrf_rts_put(svc->db, fl->rts);
	free(fl);
}

int svc_vpn_flow_withdraw(struct svc *svc, uint8_t afi, const struct rd *rd, const uint8_t *nlri,
			  uint8_t nlri_len, uint32_t path_id)
{
	struct svc_flow_key k;
	struct svc_flow *fl;

	flow_key(&k, afi, rd, nlri, nlri_len, path_id);
	fl = htab_get(&svc->flows, &k);
	if (fl == NULL) {
		errno = ENOENT;
		return -1;
	}
	flow_drop(svc, fl);
	flows_order(svc);
	return svc_result(svc);
}

fib_nh_id svc_flow_nh(const struct svc *svc, vrf_id vrf, uint8_t afi, const struct rd *rd,
		      const uint8_t *nlri, uint8_t nlri_len, uint32_t path_id)
{
	struct svc_flow_key k;
	struct svc_flow *fl;
	int i;

	flow_key(&k, afi, rd, nlri, nlri_len, path_id);
	fl = htab_get(&svc->flows, &k);
	i = fl ? inst_find(fl, vrf) : -1;
	return i >= 0 && fl->inst[i].nh ? fl->inst[i].nh->f.id : 0;
}

void svc_flow_free_all(struct svc *svc)
{
	size_t i = 0;
	struct svc_flow *fl;

	while ((fl = htab_next(&svc->flows, &i)) != NULL)
		free(fl);
	htab_free(&svc->flows);
}
