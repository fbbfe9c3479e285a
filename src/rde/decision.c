/*
 * decision: RFC 4271 s9.1.2.2 + RFC 4456 s9 best path selection; see
 * decision.h for the steps and why selection is set elimination.
 */
#include "rde/decision.h"

#include <stdlib.h>

static const char *const step_names[DECISION_STEP_COUNT] = {
    [DECISION_EQUAL] = "equal",
    [DECISION_ONLY_PATH] = "only-path",
    [DECISION_LOCAL_PREF] = "local-pref",
    [DECISION_LOCAL_ORIGIN] = "local-origin",
    [DECISION_AS_PATH_LEN] = "as-path-length",
    [DECISION_ORIGIN] = "origin",
    [DECISION_MED] = "med",
    [DECISION_EBGP] = "ebgp-over-ibgp",
    [DECISION_IGP_METRIC] = "igp-metric",
    [DECISION_ORIGINATOR_ID] = "originator-id",
    [DECISION_CLUSTER_LEN] = "cluster-list-length",
    [DECISION_PEER_ADDR] = "peer-address",
    [DECISION_PATH_ID] = "path-id",
};

const char *decision_step_name(enum decision_step s)
{
	return s < DECISION_STEP_COUNT ? step_names[s] : "unknown";
}

/* The key of candidate c at a step other than MED, oriented so that lower
 * is better.  Peer address is compared separately. */
static uint64_t step_key(const struct decision_cand *c, enum decision_step s)
{
	switch (s) {
	case DECISION_LOCAL_PREF:
		return UINT32_MAX - (uint64_t)c->local_pref; /* highest wins, s9.1.1 */
	case DECISION_LOCAL_ORIGIN:
		return c->local ? 0 : 1;
	case DECISION_AS_PATH_LEN:
		return c->as_path_len;
	case DECISION_ORIGIN:
		return c->origin;
	case DECISION_MED:
		return c->med;
	case DECISION_EBGP:
		return c->ebgp ? 0 : 1;
	case DECISION_IGP_METRIC:
		return c->igp_metric;
	case DECISION_ORIGINATOR_ID:
		return c->bgp_id;
	case DECISION_CLUSTER_LEN:
		return c->cluster_len;
	case DECISION_PATH_ID:
		return c->path_id;
	default:
		return 0;
	}
}

static int step_cmp(const struct decision_cand *a, const struct decision_cand *b,
		    enum decision_step s)
{
	uint64_t ka, kb;

	if (s == DECISION_PEER_ADDR)
		return ipaddr_cmp(&a->peer_addr, &b->peer_addr);
	ka = step_key(a, s);
	kb = step_key(b, s);
	return ka < kb ? -1 : ka > kb;
}

static bool med_comparable(const struct decision_cand *a, const struct decision_cand *b,
			   const struct decision_cfg *cfg)
{
	/* RFC 4271 s9.1.2.2 c: only among routes from the same neighbour AS */
	return cfg->always_compare_med || a->neighbor_as == b->neighbor_as;
}

int decision_cmp(const struct decision_cand *a, const struct decision_cand *b,
		 const struct decision_cfg *cfg, enum decision_step *step)
{
	for (enum decision_step s = DECISION_LOCAL_PREF; s < DECISION_STEP_COUNT; s++) {
		int c;

		if (s == DECISION_MED && !med_comparable(a, b, cfg))
			continue;
		c = step_cmp(a, b, s);
		if (c) {
			*step = s;
			return c;
		}
	}
	*step = DECISION_EQUAL;
	return 0;
}

/* MED step over the alive set: remove a candidate when an alive candidate
 * of its group (same neighbour AS, or everyone with always-compare-med)
 * has a lower MED.  Decided on the set before the step, so order-free. */
static size_t med_step(const struct decision_cand *c, size_t n, const struct decision_cfg *cfg,
		       bool *alive, enum decision_step *steps, size_t left)
{
	bool *drop = calloc(n, sizeof(*drop));

	if (!drop)
		return left; /* skip the step rather than fail: still order-free */
	for (size_t i = 0; i < n; i++) {
		if (!alive[i])
			continue;
		for (size_t j = 0; j < n && !drop[i]; j++)
			if (alive[j] && j != i && med_comparable(&c[i], &c[j], cfg) &&
			    c[j].med < c[i].med)
				drop[i] = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			alive[i] = false;
			if (steps)
				steps[i] = DECISION_MED;
			left--;
		}
	}
	free(drop);
	return left;
}

size_t decision_select(const struct decision_cand *c, size_t n, const struct decision_cfg *cfg,
		       enum decision_step *steps)
{
	bool stack_alive[16];
	bool *alive = n <= 16 ? stack_alive : calloc(n, sizeof(*alive));
	enum decision_step last = DECISION_ONLY_PATH;
	size_t left = n, best = 0;

	if (!alive) /* out of memory: fall back to pairwise, still a valid choice */
		alive = NULL;
	for (size_t i = 0; i < n && alive; i++)
		alive[i] = true;
	for (enum decision_step s = DECISION_LOCAL_PREF;
	     alive && left > 1 && s < DECISION_STEP_COUNT; s++) {
		size_t before = left, m = SIZE_MAX;

		if (s == DECISION_MED) {
			left = med_step(c, n, cfg, alive, steps, left);
		} else {
			for (size_t i = 0; i < n; i++)
				if (alive[i] && (m == SIZE_MAX || step_cmp(&c[i], &c[m], s) < 0))
					m = i;
			for (size_t i = 0; i < n; i++) {
				if (alive[i] && step_cmp(&c[i], &c[m], s) > 0) {
					alive[i] = false;
					if (steps)
						steps[i] = s;
					left--;
				}
			}
		}
		if (left < before)
			last = s;
	}
	if (alive) {
		for (best = 0; best < n && !alive[best]; best++)
			;
		if (best == n)
			best = 0;
		if (alive != stack_alive)
			free(alive);
	} else {
		enum decision_step st;

		for (size_t i = 1; i < n; i++)
			if (decision_cmp(&c[i], &c[best], cfg, &st) < 0)
				best = i;
	}
	if (steps)
		steps[best] = n == 1 ? DECISION_ONLY_PATH : last;
	return best;
}
