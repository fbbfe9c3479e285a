/*
 * vrf: VRF tables, the VPN table and the pipes between them (see vrf.h).
 */
#include "vrf/vrf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vrf_db {
	struct htab vrfs; /* struct vrf by id */
	struct htab vpn;  /* struct vrf_vpn by key */
	struct htab rts;  /* struct vrf_rts by content */
	vrf_changed_fn changed;
	void *ctx;
	size_t n_refs;
};

struct vrf_db *vrf_db_new(vrf_changed_fn changed, void *ctx)
{
	struct vrf_db *db = calloc(1, sizeof(*db));

	if (db == NULL)
		return NULL;
	htab_init(&db->vrfs, offsetof(struct vrf, c.id), sizeof(vrf_id));
	htab_init(&db->vpn, 0, sizeof(struct vrf_vpn_key));
	htab_init(&db->rts, offsetof(struct vrf_rts, n),
		  sizeof(struct vrf_rts) - offsetof(struct vrf_rts, n));
	db->changed = changed;
	db->ctx = ctx;
	return db;
}

void vrf_rts_put(struct vrf_db *db, const struct vrf_rts *s)
{
	struct vrf_rts *m = (struct vrf_rts *)s;

	if (m != NULL && --m->refcnt == 0)
		free(htab_del(&db->rts, &m->n));
}

static int ecomm_qcmp(const void *a, const void *b)
{
	return ecomm_cmp(a, b);
}

const struct vrf_rts *vrf_rts_get(struct vrf_db *db, const struct ecomm *rts, size_t n)
{
	struct vrf_rts k, *s;

	memset(&k, 0, sizeof(k));
	for (size_t i = 0; i < n && k.n < VRF_RT_MAX * 2; i++)
		if (ecomm_is_rt(&rts[i]))
			k.rt[k.n++] = rts[i];
	qsort(k.rt, k.n, sizeof(k.rt[0]), ecomm_qcmp);
	for (unsigned i = 1, j = 1; i <= k.n; i++) {
		if (i == k.n) {
			memset(&k.rt[j], 0, (k.n - j) * sizeof(k.rt[0]));
			k.n = (uint8_t)j;
			break;
		}
		if (ecomm_cmp(&k.rt[i], &k.rt[j - 1]) != 0)
			k.rt[j++] = k.rt[i];
	}
	s = htab_get(&db->rts, &k.n);
	if (s == NULL) {
		s = malloc(sizeof(*s));
		if (s == NULL)
			return NULL;
		memcpy(s, &k, sizeof(k));
		s->refcnt = 0;
		if (htab_put(&db->rts, s) == s) {
			free(s);
			return NULL;
		}
	}
	s->refcnt++;
	return s;
}

bool vrf_rts_has(const struct vrf_rts *s, const struct ecomm *rt)
{
	for (unsigned i = 0; s != NULL && i < s->n; i++)
		if (memcmp(s->rt[i].b, rt->b, 8) == 0)
			return true;
	return false;
}

bool vrf_imports_rt(const struct vrf *v, const struct ecomm *rt)
{
	for (unsigned i = 0; i < v->c.n_import; i++)
		if (memcmp(v->c.import_rt[i].b, rt->b, 8) == 0)
			return true;
	return false;
}

bool vrf_imports(const struct vrf *v, const struct ecomm *rts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vrf_imports_rt(v, &rts[i]))
			return true;
	return false;
}

int vrf_export_rts(const struct vrf_config *c, const struct prefix *p, const char *att,
		   const struct ecomm *extra, size_t n_extra, struct ecomm *out, size_t max)
{
	size_t n = 0;

	for (unsigned i = 0; i < c->n_export && n < max; i++)
		out[n++] = c->export_rt[i];
	/* draft s4.1.2: the policy's RTs for this route only */
	vrf_policy_rts(c->policy, c->n_policy, p, att, out, &n, max);
	for (size_t i = 0; i < n_extra && n < max; i++)
		out[n++] = extra[i];
	qsort(out, n, sizeof(*out), ecomm_qcmp);
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (j == 0 || ecomm_cmp(&out[i], &out[j - 1]) != 0)
			out[j++] = out[i];
	return (int)j;
}

/* --- VRF tables --- */

static unsigned fam(uint8_t afi)
{
	return afi == AFI_IPV6 ? 1 : 0;
}

struct vrf_route *vrf_route_get(const struct vrf *v, const struct prefix *p)
{
	return htab_get(&v->routes, p);
}

struct vrf_route *vrf_route_next(const struct vrf *v, size_t *iter)
{
	return htab_next(&v->routes, iter);
}

static bool should_import(const struct vrf *v, const struct vrf_vpn *p)
{
	if (p->ifc != 0 && p->origin_vrf == v->c.id)
		return true; /* a local route is always in its own VRF */
	return p->rts != NULL && vrf_imports(v, p->rts->rt, p->rts->n);
}

/* Link (add) or unlink p in v; report the change. */
static int link_path(struct vrf_db *db, struct vrf *v, struct vrf_vpn *p, bool add)
{
	struct vrf_route *r = vrf_route_get(v, &p->key.prefix);
	struct vrf_ref **pp, *ref;

	if (r == NULL) {
		if (!add)
			return 0;
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			goto nomem;
		r->prefix = p->key.prefix;
		if (htab_put(&v->routes, r) == r) {
			free(r);
			goto nomem;
		}
		v->len_count[fam(r->prefix.afi)][r->prefix.len]++;
	}
	for (pp = &r->paths; *pp != NULL && (*pp)->vpn != p; pp = &(*pp)->next)
		;
	if (add && *pp == NULL) {
		ref = malloc(sizeof(*ref));
		if (ref == NULL)
			goto nomem;
		ref->vpn = p;
		ref->next = r->paths;
		r->paths = ref;
		p->n_vrfs++;
		db->n_refs++;
	} else if (!add && *pp != NULL) {
		ref = *pp;
		*pp = ref->next;
		free(ref);
		p->n_vrfs--;
		db->n_refs--;
	} else if (!add) {
		return 0;
	}
	if (db->changed)
		db->changed(db->ctx, v, r);
	if (r->paths == NULL) {
		htab_del(&v->routes, &r->prefix);
		v->len_count[fam(r->prefix.afi)][r->prefix.len]--;
		free(r);
	}
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

/* Run every VRF's import pipe for one VPN path (add: it changed or is new;
 * !add: it is going away). */
static int import_all(struct vrf_db *db, struct vrf_vpn *p, bool add)
{
	size_t i = 0;
	struct vrf *v;
	int rc = 0;

	while ((v = htab_next(&db->vrfs, &i)) != NULL)
		if (link_path(db, v, p, add && should_import(v, p)) != 0)
			rc = -1;
	return rc;
}

/* Re-run one VRF's import pipe over the whole VPN table (configuration
 * change; bounded walks are left to the caller's batching). */
static int import_vrf(struct vrf_db *db, struct vrf *v)
{
	size_t i = 0;
	struct vrf_vpn *p;
	int rc = 0;

	while ((p = htab_next(&db->vpn, &i)) != NULL) {
		struct vrf_route *r = vrf_route_get(v, &p->key.prefix);
		bool has = false, want = should_import(v, p);

		for (struct vrf_ref *ref = r ? r->paths : NULL; ref != NULL; ref = ref->next)
			has |= ref->vpn == p;
		if (has != want && link_path(db, v, p, want) != 0)
			rc = -1;
	}
	return rc;
}

int vrf_set(struct vrf_db *db, const struct vrf_config *c)
{
	struct vrf *v;

	if (c->id == 0 || c->n_import > VRF_RT_MAX || c->n_export > VRF_RT_MAX ||
	    c->n_policy > VRF_POLICY_MAX) {
		errno = EINVAL;
		return -1;
	}
	v = vrf_get(db, c->id);
	if (v != NULL && v->c.n_import == c->n_import &&
	    memcmp(v->c.import_rt, c->import_rt, c->n_import * sizeof(c->import_rt[0])) == 0) {
		v->c = *c; /* same import pipe: nothing to re-import */
		return 0;
	}
	if (v == NULL) {
		v = calloc(1, sizeof(*v));
		if (v == NULL)
			goto nomem;
		v->c.id = c->id;
		htab_init(&v->routes, 0, sizeof(struct prefix));
		if (htab_put(&db->vrfs, v) == v) {
			free(v);
			goto nomem;
		}
	}
	v->c = *c;
	return import_vrf(db, v);
nomem:
	errno = ENOMEM;
	return -1;
}

int vrf_del(struct vrf_db *db, vrf_id id)
{
	struct vrf *v = vrf_get(db, id);
	struct vrf_route *r;
	size_t i;

	if (v == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* unlink every path; routes go as their last path does */
	for (;;) {
		i = 0;
		r = htab_next(&v->routes, &i);
		if (r == NULL)
			break;
		if (link_path(db, v, r->paths->vpn, false) != 0)
			return -1;
	}
	htab_free(&v->routes);
	htab_del(&db->vrfs, &id);
	free(v);
	return 0;
}

struct vrf *vrf_get(const struct vrf_db *db, vrf_id id)
{
	return htab_get(&db->vrfs, &id);
}

struct vrf *vrf_by_name(const struct vrf_db *db, const char *name)
{
	size_t i = 0;
	struct vrf *v;

	while ((v = htab_next(&db->vrfs, &i)) != NULL)
		if (strcmp(v->c.name, name) == 0)
			return v;
	return NULL;
}

struct vrf *vrf_next(const struct vrf_db *db, size_t *iter)
{
	return htab_next(&db->vrfs, iter);
}

/* --- the VPN table --- */

void vrf_vpn_key_make(struct vrf_vpn_key *k, const struct rd *rd, const struct prefix *p,
		      uint32_t path_id)
{
	memset(k, 0, sizeof(*k));
	k->rd = *rd;
	k->prefix = *p;
	prefix_normalize(&k->prefix);
	k->path_id = path_id;
}

int vrf_vpn_update(struct vrf_db *db, const struct vrf_vpn_key *key, const struct ecomm *rts,
		   size_t n_rts, const struct ipaddr *nexthop, uint32_t label,
		   const struct vrf_pref *pref, fib_if_id ifc, vrf_id origin_vrf)
{
	static const struct vrf_pref dflt = {.local_pref = 100};
	struct vrf_vpn *p = htab_get(&db->vpn, key);
	const struct vrf_rts *s = vrf_rts_get(db, rts, n_rts);

	if (s == NULL)
		goto nomem;
	if (p == NULL) {
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			goto nomem;
		p->key = *key;
		if (htab_put(&db->vpn, p) == p) {
			free(p);
			goto nomem;
		}
	}
	vrf_rts_put(db, p->rts);
	p->rts = s;
	p->nexthop = nexthop ? *nexthop : (struct ipaddr){0};
	p->label = label;
	p->pref = pref ? *pref : dflt;
	p->ifc = ifc;
	p->origin_vrf = origin_vrf;
	return import_all(db, p, true);
nomem:
	vrf_rts_put(db, s);
	errno = ENOMEM;
	return -1;
}

int vrf_vpn_withdraw(struct vrf_db *db, const struct vrf_vpn_key *key)
{
	struct vrf_vpn *p = htab_get(&db->vpn, key);
	int rc;

	if (p == NULL) {
		errno = ENOENT;
		return -1;
	}
	rc = import_all(db, p, false);
	htab_del(&db->vpn, key);
	vrf_rts_put(db, p->rts);
	free(p);
	return rc;
}

size_t vrf_vpn_count(const struct vrf_db *db)
{
	return htab_count(&db->vpn);
}

static bool imported_anywhere(const struct vrf_db *db, const struct vrf_vpn *p)
{
	size_t i = 0;
	struct vrf *v;

	while ((v = htab_next(&db->vrfs, &i)) != NULL)
		if (should_import(v, p))
			return true;
	return false;
}

long vrf_vpn_prune(struct vrf_db *db)
{
	struct vrf_vpn_key *keys = NULL;
	size_t n = 0, cap = 0, i = 0;
	struct vrf_vpn *p;

	/* collect first: a removal reorders the hash under the walk */
	while ((p = htab_next(&db->vpn, &i)) != NULL) {
		if (p->ifc != 0 || imported_anywhere(db, p))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct vrf_vpn_key *m = realloc(keys, nc * sizeof(*keys));

			if (m == NULL) {
				free(keys);
				errno = ENOMEM;
				return -1;
			}
			keys = m;
			cap = nc;
		}
		keys[n++] = p->key;
	}
	for (i = 0; i < n; i++)
		(void)vrf_vpn_withdraw(db, &keys[i]); /* in no VRF: no change to report */
	free(keys);
	return (long)n;
}

void vrf_db_free(struct vrf_db *db)
{
	size_t i = 0;
	struct vrf *v;
	struct vrf_vpn *p;

	if (db == NULL)
		return;
	db->changed = NULL;
	while ((v = htab_next(&db->vrfs, &i)) != NULL) {
		size_t j = 0;
		struct vrf_route *r;

		while ((r = htab_next(&v->routes, &j)) != NULL) {
			while (r->paths) {
				struct vrf_ref *n = r->paths->next;

				free(r->paths);
				r->paths = n;
			}
			free(r);
		}
		htab_free(&v->routes);
		free(v);
	}
	htab_free(&db->vrfs);
	for (i = 0; (p = htab_next(&db->vpn, &i)) != NULL;)
		free(p);
	htab_free(&db->vpn);
	for (i = 0; (p = htab_next(&db->rts, &i)) != NULL;)
		free(p);
	htab_free(&db->rts);
	free(db);
}

/* --- lookups --- */

struct vrf_route *vrf_lookup(const struct vrf *v, const struct ipaddr *addr,
			     bool (*ok)(void *ctx, const struct vrf *v, const struct vrf_route *r),
			     void *ctx)
{
	unsigned bits = afi_addr_bits(addr->afi), f = fam(addr->afi);
	struct prefix p;

	if (bits == 0)
		return NULL;
	for (int len = (int)bits; len >= 0; len--) {
		struct vrf_route *r;

		if (v->len_count[f][len] == 0)
			continue;
		memset(&p, 0, sizeof(p));
		p.afi = addr->afi;
		p.len = (uint8_t)len;
		memcpy(p.b, addr->b, 16);
		prefix_normalize(&p);
		r = vrf_route_get(v, &p);
		if (r != NULL && (ok == NULL || ok(ctx, v, r)))
			return r;
	}
	return NULL;
}

/*
 * The decision steps of vrf.h by set elimination: each step keeps the
 * paths that the steps before it kept and that are best at this step.
 * Without an array of candidates: the best key of each step is found in
 * one pass over the paths, so a path's survival up to a step is a
 * comparison with the keys found so far.
 */
struct best_keys {
	bool local;	 /* some path is local (draft: delivered here) */
	uint32_t lp;	 /* highest LOCAL_PREF (RFC 4271 s9.1.1) */
	uint32_t aspath; /* shortest AS_PATH (s9.1.2.2 a) */
	uint8_t origin;	 /* lowest ORIGIN (b) */
	bool ebgp;	 /* some path left after MED is external (d) */
};

enum best_step { STEP_LOCAL, STEP_LP, STEP_ASPATH, STEP_ORIGIN, STEP_MED, STEP_EBGP };

static bool kept(const struct vrf_route *r, const struct vrf_vpn *p, const struct best_keys *k,
		 enum best_step upto);

/* RFC 4271 s9.1.2.2 c: removed when a path still in the set from the same
 * neighbour AS has a lower MED. */
static bool med_kept(const struct vrf_route *r, const struct vrf_vpn *p, const struct best_keys *k)
{
	for (struct vrf_ref *q = r->paths; q != NULL; q = q->next)
		if (q->vpn != p && q->vpn->pref.neighbor_as == p->pref.neighbor_as &&
		    q->vpn->pref.med < p->pref.med && kept(r, q->vpn, k, STEP_ORIGIN))
			return false;
	return true;
}

/* Does p survive the steps up to and including `upto`? */
static bool kept(const struct vrf_route *r, const struct vrf_vpn *p, const struct best_keys *k,
		 enum best_step upto)
{
	const struct vrf_pref *a = &p->pref;

	if ((p->ifc != 0) != k->local)
		return false;
	if (upto >= STEP_LP && a->local_pref != k->lp)
		return false;
	if (upto >= STEP_ASPATH && a->as_path_len != k->aspath)
		return false;
	if (upto >= STEP_ORIGIN && a->origin != k->origin)
		return false;
	if (upto >= STEP_MED && !med_kept(r, p, k))
		return false;
	if (upto >= STEP_EBGP && a->ebgp != k->ebgp)
		return false;
	return true;
}

static void best_keys(const struct vrf_route *r, struct best_keys *k)
{
	struct vrf_ref *q;

	memset(k, 0, sizeof(*k));
	for (q = r->paths; q != NULL; q = q->next)
		k->local |= q->vpn->ifc != 0;
	for (q = r->paths; q != NULL; q = q->next)
		if (kept(r, q->vpn, k, STEP_LOCAL) && q->vpn->pref.local_pref > k->lp)
			k->lp = q->vpn->pref.local_pref;
	k->aspath = UINT32_MAX;
	for (q = r->paths; q != NULL; q = q->next)
		if (kept(r, q->vpn, k, STEP_LP) && q->vpn->pref.as_path_len < k->aspath)
			k->aspath = q->vpn->pref.as_path_len;
	k->origin = UINT8_MAX;
	for (q = r->paths; q != NULL; q = q->next)
		if (kept(r, q->vpn, k, STEP_ASPATH) && q->vpn->pref.origin < k->origin)
			k->origin = q->vpn->pref.origin;
	for (q = r->paths; q != NULL && !k->ebgp; q = q->next)
		k->ebgp = q->vpn->pref.ebgp && kept(r, q->vpn, k, STEP_MED);
}

static int path_order(const struct vrf_vpn *a, const struct vrf_vpn *b)
{
	int c = rd_cmp(&a->key.rd, &b->key.rd);

	if (c != 0)
		return c;
	return a->key.path_id < b->key.path_id ? -1 : a->key.path_id > b->key.path_id;
}

size_t vrf_route_best(const struct vrf_route *r, const struct vrf_vpn **out, size_t max)
{
	struct best_keys k;
	size_t n = 0;

	if (r->paths == NULL || max == 0)
		return 0;
	if (r->paths->next == NULL) {
		out[0] = r->paths->vpn;
		return 1;
	}
	best_keys(r, &k);
	for (struct vrf_ref *ref = r->paths; ref != NULL; ref = ref->next) {
		const struct vrf_vpn *p = ref->vpn;
		size_t i;

		if (!kept(r, p, &k, STEP_EBGP))
			continue;
		/* insertion by (RD, path id) keeps the ECMP set stable; past
		 * max, the last in that order fall off */
		for (i = n; i > 0 && path_order(p, out[i - 1]) < 0; i--)
			if (i < max)
				out[i] = out[i - 1];
		if (i < max)
			out[i] = p;
		if (n < max)
			n++;
	}
	return n;
}

size_t vrf_db_bytes(const struct vrf_db *db)
{
	size_t b = sizeof(*db) + htab_bytes(&db->vrfs) + htab_bytes(&db->vpn) +
		   htab_bytes(&db->rts) + htab_count(&db->vpn) * sizeof(struct vrf_vpn) +
		   htab_count(&db->rts) * sizeof(struct vrf_rts) +
		   db->n_refs * sizeof(struct vrf_ref);
	size_t i = 0;
	struct vrf *v;

	while ((v = htab_next(&db->vrfs, &i)) != NULL)
		b += sizeof(*v) + htab_bytes(&v->routes) +
		     htab_count(&v->routes) * sizeof(struct vrf_route);
	return b;
}
