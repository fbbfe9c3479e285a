/*
 * reload: a new configuration at run time (SIGHUP, "vtopoctl reload").
 *
 * The file is loaded and validated whole; config_diff() says what changed.
 * Neighbors removed get Cease / Peer De-configured, neighbors whose session
 * settings changed get Cease / Other Configuration Change and start again
 * with the new settings (RFC 4486 s4, subcodes 3 and 6), new ones start,
 * and the others keep their sessions and simply point at the new
 * configuration.  The RT-Constraint membership vtopod originates follows
 * the configured import route targets (RFC 4684 s3).  The VRF and
 * service-topology runtime hears of the change through d->on_config.
 *
 * Not for: what cannot change at run time (AS, router id, listen sockets):
 * such a file is refused and vtopod must be restarted.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_diff.h"
#include "vtopod/vtopod.h"

void vtopod_rtc_apply(struct vtopod *d)
{
	struct ecomm *rts;
	size_t n;

	if (config_rtc_targets(d->cfg, &rts, &n) < 0) {
		log_warnx(&d->log, "RT-Constraint membership not updated: out of memory");
		return;
	}
	rde_rtc_local_set(d->rde, (const uint8_t(*)[8])rts, n);
	free(rts);
}

/* The peer of each old neighbor, before any is freed (NULL: none). */
static struct peer **peers_by_old(struct vtopod *d, const struct config *old)
{
	struct peer **v = calloc(old->n_neighbors ? old->n_neighbors : 1, sizeof(*v));

	for (size_t i = 0; v && i < d->n_peers; i++) {
		const struct config_neighbor *n = d->peers[i]->cfg;

		if (n >= old->neighbors && n < old->neighbors + old->n_neighbors)
			v[n - old->neighbors] = d->peers[i];
	}
	return v;
}

static void add_addr(struct json_object *o, const char *key, const struct config_neighbor *n)
{
	struct json_object *a;
	char buf[IPADDR_STRLEN];

	if (!json_object_object_get_ex(o, key, &a)) {
		a = json_object_new_array();
		json_object_object_add(o, key, a);
	}
	json_object_array_add(a, json_object_new_string(ipaddr_fmt(&n->address, buf, sizeof(buf))));
}

/* The new peers array in the new configuration's order. */
static int apply_neighbors(struct vtopod *d, const struct config *old, const struct config *new,
			   const struct config_diff *diff, struct json_object *nbs)
{
	struct peer **peers = calloc(new->n_neighbors ? new->n_neighbors : 1, sizeof(*peers));
	struct peer **fresh = calloc(new->n_neighbors ? new->n_neighbors : 1, sizeof(*fresh));
	struct peer **byold = peers_by_old(d, old);
	size_t k = 0, nf = 0;

	if (!peers || !fresh || !byold) {
		free(peers);
		free(fresh);
		free(byold);
		return -1;
	}
	for (size_t i = 0; i < diff->n_nb; i++) {
		const struct config_nb_diff *c = &diff->nb[i];
		const struct config_neighbor *on =
		    c->old_idx >= 0 ? &old->neighbors[c->old_idx] : NULL;
		const struct config_neighbor *nn =
		    c->new_idx >= 0 ? &new->neighbors[c->new_idx] : NULL;
		struct peer *p = on ? byold[c->old_idx] : NULL;

		if (on && !p && c->change != CONFIG_NB_REMOVED)
			c = &(const struct config_nb_diff){CONFIG_NB_ADDED, -1, c->new_idx};
		switch (c->change) {
		case CONFIG_NB_REMOVED:
			if (!p)
				continue;
			/* RFC 4486 s4: Peer De-configured */
			log_peer_notice(p, "removed from the configuration");
			session_peer_delete(p, 3, "peer-deconfigured");
			add_addr(nbs, "removed", on);
			continue;
		case CONFIG_NB_RESET:
			/* RFC 4486 s4: Other Configuration Change */
			log_peer_notice(p, "session settings changed: new session");
			if (p)
				session_peer_delete(p, 6, "other-configuration-change");
			add_addr(nbs, "reset", nn);
			p = NULL;
			break;
		case CONFIG_NB_ADDED:
			add_addr(nbs, "added", nn);
			break;
		case CONFIG_NB_UPDATE:
			add_addr(nbs, "updated", nn);
			__attribute__((fallthrough));
		case CONFIG_NB_SAME:
			p->cfg = nn;
			peers[k++] = p;
			continue;
		}
		p = session_peer_new(d, nn);
		if (!p) {
			log_warnx(&d->log, "reload: no room for a neighbor; it stays down");
			continue;
		}
		peers[k++] = p;
		fresh[nf++] = p;
	}
	free(byold);
	free(d->peers);
	d->peers = peers;
	d->n_peers = k;
	for (size_t i = 0; i < nf; i++)
		session_peer_start(fresh[i]);
	free(fresh);
	return 0;
}

static struct json_object *rts_json(const struct config *cfg)
{
	struct json_object *a = json_object_new_array();
	struct ecomm *rts;
	size_t n;
	char buf[64];

	if (config_rtc_targets(cfg, &rts, &n) < 0)
		return a;
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a,
				      json_object_new_string(ecomm_fmt(&rts[i], buf, sizeof(buf))));
	free(rts);
	return a;
}

int vtopod_reload(struct vtopod *d, struct config_errors *errs, struct json_object **summary)
{
	const char *yang = getenv("VTOPO_YANG_DIR");
	struct config *new = NULL, *old = d->cfg;
	struct config_diff diff;
	struct json_object *nbs;

	if (summary)
		*summary = NULL;
	if (config_load_dir(d->cfg_path, yang && *yang ? yang : NULL, &new, errs) < 0 ||
	    config_diff(old, new, &diff, errs) < 0) {
		if (errs->n == 0)
			config_diff_error(errs, "", "out of memory");
		for (size_t i = 0; i < errs->n; i++)
			log_warnx(&d->log, "reload refused: %s: %s",
				  errs->v[i].path[0] ? errs->v[i].path : d->cfg_path,
				  errs->v[i].reason);
		config_free(new);
		return -1;
	}
	nbs = json_object_new_object();
	if (apply_neighbors(d, old, new, &diff, nbs) < 0) {
		/* nothing was changed yet: the arrays come first */
		config_diff_error(errs, "", "out of memory");
		json_object_put(nbs);
		config_diff_free(&diff);
		config_free(new);
		return -1;
	}
	d->cfg = new;
	if (diff.rtc_changed)
		vtopod_rtc_apply(d);
	if (d->on_config)
		d->on_config(d, old, new, d->on_config_arg);
	log_notice(&d->log, "configuration reloaded from %s", d->cfg_path);
	if (summary) {
		*summary = json_object_new_object();
		json_object_object_add(*summary, "neighbors", nbs);
		json_object_object_add(*summary, "route_targets", rts_json(new));
		json_object_object_add(*summary, "vrfs_changed",
				       json_object_new_boolean(diff.vrf_changed));
	} else {
		json_object_put(nbs);
	}
	config_diff_free(&diff);
	config_free(old);
	return 0;
}
