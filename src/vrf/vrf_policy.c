/*
 * vrf_policy: export-policy statements matched against one exported route
 * (see vrf_policy.h).
 */
#include <string.h>

#include "vrf/vrf_policy.h"

/* openconfig-routing-policy prefix-set: within the prefix, with a length
 * in the masklength range (the loader makes 'exact' [len, len]). */
bool vrf_policy_match(const struct vrf_policy_stmt *st, const struct prefix *p, const char *att)
{
	if (st->afi != 0 && st->afi != p->afi)
		return false;
	if (st->match_prefix &&
	    (!prefix_contains(&st->prefix, p) || p->len < st->len_min || p->len > st->len_max))
		return false;
	/* draft s4.2: the route is the host route of this VM's attachment */
	if (st->attachment[0] != '\0' && (att == NULL || strcmp(st->attachment, att) != 0))
		return false;
	return true;
}

static void rt_append(struct ecomm *out, size_t *n, size_t max, const struct ecomm *rt)
{
	for (size_t i = 0; i < *n; i++)
		if (ecomm_cmp(&out[i], rt) == 0)
			return;
	if (*n < max)
		out[(*n)++] = *rt;
}

void vrf_policy_rts(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
		    const char *att, struct ecomm *out, size_t *n, size_t max)
{
	for (size_t i = 0; i < n_st; i++) {
		if (!vrf_policy_match(&st[i], p, att))
			continue;
		for (size_t j = 0; j < st[i].n_rts && j < VRF_POLICY_RT_MAX; j++)
			rt_append(out, n, max, &st[i].rts[j]);
	}
}

bool vrf_policy_rejects(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
			const char *att)
{
	for (size_t i = 0; i < n_st; i++)
		if (st[i].reject && vrf_policy_match(&st[i], p, att))
			return true;
	return false;
}

void vrf_policy_attrs(const struct vrf_policy_stmt *st, size_t n_st, const struct prefix *p,
		      const char *att, struct vrf_policy_attrs *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n_st; i++) {
		if ((!st[i].set_local_pref || out->set_local_pref) &&
		    (!st[i].set_med || out->set_med))
			continue;
		if (!vrf_policy_match(&st[i], p, att))
			continue;
		if (st[i].set_local_pref && !out->set_local_pref) {
			out->set_local_pref = true;
			out->local_pref = st[i].local_pref;
		}
		if (st[i].set_med && !out->set_med) {
			out->set_med = true;
			out->med = st[i].med;
		}
	}
}
