/*
 * dp_lpm: longest-prefix match, one binary trie per VRF and family.  A path
 * of one node per bit; deleting a route frees the nodes it leaves empty.
 * Simple and exact; compressed tries can replace it behind the same calls.
 *
 * Not for: what a route points at (next-hop ids resolved in dp_fwd.c).
 */
#include "dp/dp.h"

#include <stdlib.h>
#include <string.h>

struct dp_lpm_node {
	struct dp_lpm_node *child[2];
	struct dp_route *route;
};

static bool lpm_bit(const uint8_t *b, unsigned i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

void dp_lpm_init(struct dp_lpm *t)
{
	t->root = NULL;
	t->n_routes = 0;
}

static void lpm_free_node(struct dp_lpm_node *n)
{
	if (n == NULL)
		return;
	lpm_free_node(n->child[0]);
	lpm_free_node(n->child[1]);
	free(n->route);
	free(n);
}

void dp_lpm_free(struct dp_lpm *t)
{
	lpm_free_node(t->root);
	dp_lpm_init(t);
}

struct dp_route *dp_lpm_set(struct dp_lpm *t, const struct prefix *p, fib_nh_id nh)
{
	struct dp_lpm_node **np = &t->root;

	for (unsigned i = 0;; i++) {
		if (*np == NULL && (*np = calloc(1, sizeof(**np))) == NULL)
			return NULL;
		if (i == p->len)
			break;
		np = &(*np)->child[lpm_bit(p->b, i)];
	}
	if ((*np)->route == NULL) {
		if (((*np)->route = calloc(1, sizeof(struct dp_route))) == NULL)
			return NULL;
		t->n_routes++;
	}
	(*np)->route->prefix = *p;
	(*np)->route->nh = nh;
	(*np)->route->stale = false;
	return (*np)->route;
}

struct dp_route *dp_lpm_exact(struct dp_lpm *t, const struct prefix *p)
{
	struct dp_lpm_node *n = t->root;

	for (unsigned i = 0; n != NULL && i < p->len; i++)
		n = n->child[lpm_bit(p->b, i)];
	return n ? n->route : NULL;
}

/* Delete below *np along p; frees nodes left without route or children. */
static bool lpm_del(struct dp_lpm_node **np, const struct prefix *p, unsigned depth, bool *done)
{
	struct dp_lpm_node *n = *np;

	if (n == NULL)
		return false;
	if (depth == p->len) {
		if (n->route == NULL)
			return false;
		free(n->route);
		n->route = NULL;
		*done = true;
	} else if (!lpm_del(&n->child[lpm_bit(p->b, depth)], p, depth + 1, done)) {
		return false;
	}
	if (n->route == NULL && n->child[0] == NULL && n->child[1] == NULL) {
		free(n);
		*np = NULL;
	}
	return true;
}

bool dp_lpm_del(struct dp_lpm *t, const struct prefix *p)
{
	bool done = false;

	(void)lpm_del(&t->root, p, 0, &done);
	if (done)
		t->n_routes--;
	return done;
}

struct dp_route *dp_lpm_lookup(struct dp_lpm *t, const uint8_t *b, unsigned bits)
{
	struct dp_lpm_node *n = t->root;
	struct dp_route *best = NULL;

	for (unsigned i = 0; n != NULL; i++) {
		if (n->route)
			best = n->route;
		if (i == bits)
			break;
		n = n->child[lpm_bit(b, i)];
	}
	return best;
}

static bool lpm_walk(struct dp_lpm_node *n, bool (*cb)(struct dp_route *, void *), void *arg)
{
	if (n == NULL)
		return true;
	if (n->route && !cb(n->route, arg))
		return false;
	return lpm_walk(n->child[0], cb, arg) && lpm_walk(n->child[1], cb, arg);
}

void dp_lpm_walk(struct dp_lpm *t, bool (*cb)(struct dp_route *r, void *arg), void *arg)
{
	(void)lpm_walk(t->root, cb, arg);
}

struct lpm_sweep {
	struct prefix p[64];
	size_t n;
};

static bool lpm_collect(struct dp_route *r, void *arg)
{
	struct lpm_sweep *s = arg;

	if (r->stale)
		s->p[s->n++] = r->prefix;
	return s->n < sizeof(s->p) / sizeof(s->p[0]);
}

size_t dp_lpm_sweep(struct dp_lpm *t)
{
	struct lpm_sweep s;
	size_t total = 0;

	do { /* collect a bounded batch, delete it, repeat */
		s.n = 0;
		dp_lpm_walk(t, lpm_collect, &s);
		for (size_t i = 0; i < s.n; i++)
			total += dp_lpm_del(t, &s.p[i]);
	} while (s.n == sizeof(s.p) / sizeof(s.p[0]));
	return total;
}
