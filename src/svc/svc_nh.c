/*
 * svc_nh: FIB next-hop objects of svc, interned by content and
 * ref-counted (VPP-style stacking, HOUSE-STYLE principle 4).  The first
 * reference pushes NH_SET, the last one NH_DEL; an ECMP group holds its
 * members, so the FIB ordering contract (fib.h) follows from the counts:
 * dependencies are stated first and removed last.
 *
 * Not for: deciding which next hop a route gets (svc.c, svc_chain.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"

void svc_push(struct svc *svc, const struct fib_op *op)
{
	if (fib_push(svc->fib, op) != 0 && svc->err == 0)
		svc->err = errno ? errno : EIO;
}

static void push_nh(struct svc *svc, const struct svc_nh *nh, bool set)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = set ? FIB_OP_NH_SET : FIB_OP_NH_DEL;
	memcpy(&op.u.nh, &nh->f, sizeof(nh->f));
	svc_push(svc, &op);
}

/* Reference counting of the remote PEs behind tunnel nhs. */
static void peer_ref(struct svc *svc, const struct ipaddr *a, bool add)
{
	struct svc_peer k, *p;
	struct fib_op op;

	memset(&k, 0, sizeof(k));
	k.addr = *a;
	p = htab_get(&svc->peers, &k.addr);
	if (add && p == NULL) {
		p = malloc(sizeof(*p));
		if (p != NULL)
			*p = k;
		if (p == NULL || htab_put(&svc->peers, p) == p) {
			free(p);
			svc->err = ENOMEM;
			return;
		}
	} else if (p == NULL) {
		return;
	}
	if (add ? p->refcnt++ > 0 : --p->refcnt > 0)
		return;
	if (svc->n_pe_cfg == 0) { /* else the configured list is the FIB's */
		memset(&op, 0, sizeof(op));
		op.type = add ? FIB_OP_PEER_SET : FIB_OP_PEER_DEL;
		op.u.peer.addr = *a;
		svc_push(svc, &op);
	}
	if (!add)
		free(htab_del(&svc->peers, &k.addr));
}

static int pe_cmp(const void *a, const void *b)
{
	return ipaddr_cmp(a, b);
}

static bool pe_in(const struct svc *svc, const struct ipaddr *cfg, size_t n, const struct ipaddr *a)
{
	if (n == 0)
		return htab_get(&svc->peers, a) != NULL;
	return bsearch(a, cfg, n, sizeof(*cfg), pe_cmp) != NULL;
}

static void pe_push(struct svc *svc, const struct ipaddr *a, bool set)
{
	struct fib_op op;

	memset(&op, 0, sizeof(op));
	op.type = set ? FIB_OP_PEER_SET : FIB_OP_PEER_DEL;
	op.u.peer.addr = *a;
	svc_push(svc, &op);
}

/* Every address of one side (configured list, or the tunnel PEs when it
 * is empty) that the other side lacks is pushed as set or del. */
static void pe_diff(struct svc *svc, const struct ipaddr *from, size_t n_from,
		    const struct ipaddr *to, size_t n_to, bool set)
{
	size_t i = 0;
	const struct svc_peer *p;

	if (n_from) {
		for (i = 0; i < n_from; i++)
			if (!pe_in(svc, to, n_to, &from[i]))
				pe_push(svc, &from[i], set);
		return;
	}
	while ((p = htab_next(&svc->peers, &i)) != NULL)
		if (!pe_in(svc, to, n_to, &p->addr))
			pe_push(svc, &p->addr, set);
}

int svc_pe_set(struct svc *svc, const struct ipaddr *a, size_t n)
{
	struct ipaddr *v = NULL;

	if (n && (v = malloc(n * sizeof(*v))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (n) {
		memcpy(v, a, n * sizeof(*v));
		qsort(v, n, sizeof(*v), pe_cmp);
	}
	/* RFC 7510 s5: only the PEs are accepted; old ones go first */
	pe_diff(svc, svc->pe_cfg, svc->n_pe_cfg, v, n, false);
	pe_diff(svc, v, n, svc->pe_cfg, svc->n_pe_cfg, true);
	free(svc->pe_cfg);
	svc->pe_cfg = v;
	svc->n_pe_cfg = n;
	return svc_result(svc);
}

struct svc_nh *svc_nh_by_id(const struct svc *svc, fib_nh_id id)
{
	return htab_get(&svc->nh_id, &id);
}

struct svc_nh *svc_nh_hold(struct svc_nh *nh)
{
	if (nh != NULL)
		nh->refcnt++;
	return nh;
}

static struct svc_nh *nh_alloc(struct svc *svc)
{
	struct svc_nh *nh = calloc(1, sizeof(*nh));

	if (nh == NULL)
		goto nomem;
	nh->f.id = ++svc->next_nh;
	if (htab_put(&svc->nh_id, nh) == nh) {
		free(nh);
		goto nomem;
	}
	return nh;
nomem:
	if (svc->err == 0)
		svc->err = ENOMEM;
	return NULL;
}

struct svc_nh *svc_nh_get(struct svc *svc, const struct fib_nh *content)
{
	struct svc_nh *nh = htab_get(&svc->nh_content, &content->type);

	if (nh != NULL)
		return svc_nh_hold(nh);
	nh = nh_alloc(svc);
	if (nh == NULL)
		return NULL;
	memcpy(&nh->f.type, &content->type, sizeof(nh->f) - offsetof(struct fib_nh, type));
	if (htab_put(&svc->nh_content, nh) == nh) {
		htab_del(&svc->nh_id, &nh->f.id);
		free(nh);
		svc->err = ENOMEM;
		return NULL;
	}
	if (nh->f.type == FIB_NH_ECMP)
		for (unsigned i = 0; i < nh->f.n_members; i++)
			svc_nh_hold(svc_nh_by_id(svc, nh->f.members[i]));
	nh->refcnt = 1;
	if (nh->f.type == FIB_NH_TUNNEL)
		peer_ref(svc, &nh->f.pe, true);
	push_nh(svc, nh, true);
	return nh;
}

struct svc_nh *svc_nh_chain_new(struct svc *svc, struct svc_chain *c)
{
	struct svc_nh *nh = nh_alloc(svc);

	if (nh == NULL)
		return NULL;
	nh->chain = c;
	nh->f.type = FIB_NH_DROP;
	nh->refcnt = 0; /* users take references; the chain is freed with the last */
	return nh;
}

static void label_drop(struct svc *svc, struct svc_nh *nh)
{
	struct fib_op op;

	if (nh->label == 0)
		return;
	memset(&op, 0, sizeof(op));
	op.type = FIB_OP_LABEL_DEL;
	op.u.label.label = nh->label;
	svc_push(svc, &op);
	vrf_label_release(svc->labels, nh->label);
	nh->label = 0;
}

void svc_nh_put(struct svc *svc, struct svc_nh *nh)
{
	if (nh == NULL || --nh->refcnt > 0)
		return;
	if (nh->chain != NULL) {
		svc_chain_free(svc, nh->chain);
		return;
	}
	label_drop(svc, nh);
	push_nh(svc, nh, false);
	if (nh->f.type == FIB_NH_TUNNEL)
		peer_ref(svc, &nh->f.pe, false);
	htab_del(&svc->nh_content, &nh->f.type);
	htab_del(&svc->nh_id, &nh->f.id);
	if (nh->f.type == FIB_NH_ECMP)
		for (unsigned i = 0; i < nh->f.n_members; i++)
			svc_nh_put(svc, svc_nh_by_id(svc, nh->f.members[i]));
	free(nh);
}

static struct svc_nh *path_nh(struct svc *svc, const struct vrf_vpn *p)
{
	struct fib_nh k;

	if (p->nexthop.afi == 0 && p->ifc == 0)
		return NULL;
	memset(&k, 0, sizeof(k));
	if (p->ifc == VRF_IFC_BLACKHOLE) {
		k.type = FIB_NH_DROP; /* a blackhole static route */
	} else if (p->ifc != 0) { /* gw unset: on-link, the destination itself */
		k.type = FIB_NH_LOCAL;
		k.ifc = p->ifc;
		k.gw = p->nexthop;
	} else {
		/* draft s4.1.3 step 3 / RFC 4364: the PE and the VPN label;
		 * MPLS-in-UDP (RFC 7510) is the encapsulation */
		k.type = FIB_NH_TUNNEL;
		k.pe = p->nexthop;
		k.labels[0] = p->label & 0xFFFFF;
		k.n_labels = 1;
	}
	return svc_nh_get(svc, &k);
}

/* The members of an ECMP set in an order every PE derives alike from
 * what BGP told them all: by PE address, then label (tunnels), by
 * interface, then gateway (local).  Never by nh id, which is local: the
 * data plane takes member hash % n, and a symmetric hash only sends a flow
 * and its reverse to the same instance when the PEs choosing in the two
 * directions (the ingress PE and the last service-PE before the anycast
 * node in the reverse topology) hold the set in one order
 * (draft-ietf-bess-service-chaining s3.4.2). */
int svc_nh_member_cmp(const struct fib_nh *x, const struct fib_nh *y)
{
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->type == FIB_NH_TUNNEL) {
		c = ipaddr_cmp(&x->pe, &y->pe);
		if (c != 0)
			return c;
		for (unsigned i = 0; i < x->n_labels && i < y->n_labels; i++)
			if (x->labels[i] != y->labels[i])
				return x->labels[i] < y->labels[i] ? -1 : 1;
		return x->n_labels < y->n_labels ? -1 : x->n_labels > y->n_labels;
	}
	if (x->ifc != y->ifc)
		return x->ifc < y->ifc ? -1 : 1;
	return ipaddr_cmp(&x->gw, &y->gw);
}

static int member_cmp(const void *a, const void *b)
{
	const struct svc_nh *x = *(struct svc_nh *const *)a, *y = *(struct svc_nh *const *)b;

	return svc_nh_member_cmp(&x->f, &y->f);
}

struct svc_nh *svc_nh_paths(struct svc *svc, const struct vrf_vpn *const *best, size_t n)
{
	struct svc_nh *m[FIB_ECMP_MAX], *nh;
	struct fib_nh k;
	size_t k_n = 0;

	for (size_t i = 0; i < n && k_n < FIB_ECMP_MAX; i++) {
		struct svc_nh *x = path_nh(svc, best[i]);
		bool dup = false;

		for (size_t j = 0; x && j < k_n; j++)
			dup |= m[j] == x;
		if (x != NULL && dup)
			svc_nh_put(svc, x);
		else if (x != NULL)
			m[k_n++] = x;
	}
	if (k_n <= 1)
		return k_n ? m[0] : NULL;
	/* draft s5.2: equal-best paths to an anycast address form a set */
	memset(&k, 0, sizeof(k));
	k.type = FIB_NH_ECMP;
	k.hash = FIB_HASH_5TUPLE;
	k.n_members = (uint8_t)k_n;
	qsort(m, k_n, sizeof(m[0]), member_cmp);
	for (size_t i = 0; i < k_n; i++)
		k.members[i] = m[i]->f.id;
	nh = svc_nh_get(svc, &k);
	for (size_t i = 0; i < k_n; i++)
		svc_nh_put(svc, m[i]);
	return nh;
}
