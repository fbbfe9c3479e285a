/*
 * config_diff: the difference between two configurations (config_diff.h).
 * Pure: reads both, writes only the result.
 */
#include "config/config_diff.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool family_eq(const struct config_family *a, const struct config_family *b)
{
	return a->name == b->name && a->enabled == b->enabled &&
	       a->add_paths_receive == b->add_paths_receive &&
	       a->add_paths_send == b->add_paths_send && a->max_prefixes == b->max_prefixes &&
	       a->warning_threshold_pct == b->warning_threshold_pct &&
	       a->restart_timer == b->restart_timer;
}

/* Everything the session negotiated or depends on: a change needs a new
 * session (RFC 4486 s4, Other Configuration Change). */
static bool nb_session_eq(const struct config_neighbor *a, const struct config_neighbor *b)
{
	if (a->remote_as != b->remote_as || ipaddr_cmp(&a->local_address, &b->local_address) ||
	    a->port != b->port || a->passive != b->passive || a->enabled != b->enabled ||
	    a->hold_time != b->hold_time || a->keepalive_interval != b->keepalive_interval ||
	    a->connect_retry != b->connect_retry || !str_eq(a->auth_password, b->auth_password) ||
	    a->route_reflector_client != b->route_reflector_client ||
	    a->next_hop_self != b->next_hop_self ||
	    a->graceful_restart_enabled != b->graceful_restart_enabled ||
	    a->graceful_restart_time != b->graceful_restart_time ||
	    a->extended_messages != b->extended_messages || a->n_families != b->n_families)
		return false;
	for (size_t i = 0; i < a->n_families; i++)
		if (!family_eq(&a->families[i], &b->families[i]))
			return false;
	return true;
}

static enum config_nb_change nb_change(const struct config_neighbor *a,
				       const struct config_neighbor *b)
{
	if (!nb_session_eq(a, b))
		return CONFIG_NB_RESET;
	if (!str_eq(a->description, b->description) || !str_eq(a->peer_group, b->peer_group))
		return CONFIG_NB_UPDATE;
	return CONFIG_NB_SAME;
}

static bool listen_eq(const struct config *a, const struct config *b)
{
	if (a->n_listen != b->n_listen)
		return false;
	for (size_t i = 0; i < a->n_listen; i++)
		if (ipaddr_cmp(&a->listen[i].address, &b->listen[i].address) ||
		    a->listen[i].port != b->listen[i].port)
			return false;
	return true;
}

static int fixed_settings(const struct config *a, const struct config *b,
			  struct config_errors *errs)
{
	static const char *const why = "cannot change at run time; restart vtopod to apply it";
	int bad = 0;

	if (a->as != b->as)
		bad = config_err(errs, "/vtopo:vtopo/global/as", "%s", why);
	if (a->router_id != b->router_id)
		bad = config_err(errs, "/vtopo:vtopo/global/router-id", "%s", why);
	if (a->cluster_id != b->cluster_id)
		bad = config_err(errs, "/vtopo:vtopo/global/cluster-id", "%s", why);
	if (!listen_eq(a, b))
		bad = config_err(errs, "/vtopo:vtopo/global/listen", "%s", why);
	if (!str_eq(a->control_socket, b->control_socket))
		bad = config_err(errs, "/vtopo:vtopo/global/control-socket", "%s", why);
	/* labels already advertised and programmed stay valid */
	if (a->label_first != b->label_first || a->label_last != b->label_last)
		bad = config_err(errs, "/vtopo:vtopo/underlay/label-range", "%s", why);
	return bad;
}

static int rt_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct ecomm));
}

int config_rtc_targets(const struct config *cfg, struct ecomm **rts, size_t *n)
{
	size_t cap = cfg->n_topologies, k = 0;
	struct ecomm *v;

	for (size_t i = 0; i < cfg->n_vrfs; i++)
		cap += cfg->vrfs[i].n_targets;
	*rts = NULL;
	*n = 0;
	if (!cap)
		return 0;
	if (!(v = malloc(cap * sizeof(*v))))
		return -1;
	/* RFC 4684 s3: membership is what our VRFs import; a service
	 * topology's routes are imported by its route target (draft s4.1) */
	for (size_t i = 0; i < cfg->n_vrfs; i++)
		for (size_t j = 0; j < cfg->vrfs[i].n_targets; j++)
			if (cfg->vrfs[i].targets[j].type & CONFIG_RT_IMPORT)
				v[k++] = cfg->vrfs[i].targets[j].rt;
	for (size_t i = 0; i < cfg->n_topologies; i++)
		v[k++] = cfg->topologies[i].rt;
	qsort(v, k, sizeof(*v), rt_cmp);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (*n == 0 || rt_cmp(&v[*n - 1], &v[i]) != 0)
			v[(*n)++] = v[i];
	if (*n == 0) {
		free(v);
		v = NULL;
	}
	*rts = v;
	return 0;
}

static int rtc_differs(const struct config *a, const struct config *b, bool *out)
{
	struct ecomm *ra, *rb;
	size_t na, nb;
	int rc = -1;

	if (config_rtc_targets(a, &ra, &na) < 0)
		return -1;
	if (config_rtc_targets(b, &rb, &nb) == 0) {
		*out = na != nb || (na && memcmp(ra, rb, na * sizeof(*ra)) != 0);
		rc = 0;
	}
	free(ra);
	free(rb);
	return rc;
}

/* VRFs, service nodes and topologies: compared through the canonical dump
 * of each configuration without its neighbors. */
static int vrf_differs(const struct config *a, const struct config *b, bool *out)
{
	struct config ca = *a, cb = *b;
	char *ja, *jb;
	int rc = -1;

	ca.neighbors = cb.neighbors = NULL;
	ca.n_neighbors = cb.n_neighbors = 0;
	ja = config_dump_json(&ca);
	jb = config_dump_json(&cb);
	if (ja && jb) {
		*out = strcmp(ja, jb) != 0;
		rc = 0;
	}
	free(ja);
	free(jb);
	return rc;
}

int config_diff(const struct config *old, const struct config *new, struct config_diff *out,
		struct config_errors *errs)
{
	size_t i = 0, j = 0;

	memset(out, 0, sizeof(*out));
	if (fixed_settings(old, new, errs) < 0)
		return -1;
	out->nb = calloc(old->n_neighbors + new->n_neighbors + 1, sizeof(*out->nb));
	if (!out->nb)
		return -1;
	while (i < old->n_neighbors || j < new->n_neighbors) {
		struct config_nb_diff *d = &out->nb[out->n_nb++];
		int c = i == old->n_neighbors ? 1
			: j == new->n_neighbors
			    ? -1
			    : ipaddr_cmp(&old->neighbors[i].address, &new->neighbors[j].address);

		if (c < 0) {
			*d = (struct config_nb_diff){CONFIG_NB_REMOVED, (long)i++, -1};
		} else if (c > 0) {
			*d = (struct config_nb_diff){CONFIG_NB_ADDED, -1, (long)j++};
		} else {
			d->change = nb_change(&old->neighbors[i], &new->neighbors[j]);
			d->old_idx = (long)i++;
			d->new_idx = (long)j++;
		}
	}
	if (rtc_differs(old, new, &out->rtc_changed) < 0 ||
	    vrf_differs(old, new, &out->vrf_changed) < 0) {
		config_diff_free(out);
		return -1;
	}
	return 0;
}

void config_diff_free(struct config_diff *d)
{
	free(d->nb);
	memset(d, 0, sizeof(*d));
}

void config_diff_error(struct config_errors *errs, const char *path, const char *reason)
{
	(void)config_err(errs, path, "%s", reason);
}
