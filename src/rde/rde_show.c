/*
 * rde_show: the show model of docs/ctl-json.md for the RIB, per-peer
 * counters, RT-Constraint membership and memory.  One JSON model; vtopoctl
 * renders it as text.
 *
 * Not for: the control socket framing (src/ctl), text rendering.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "lib/ecomm.h"
#include "rde/rde_int.h"
#include "wire/json.h"
#include "wire/update.h"

/* The attributes of a set in the decode JSON form: the canonical bytes
 * are an attribute list, so they decode as an UPDATE without NLRI. */
static void add_attrs(struct rde *rde, uint32_t attrs, struct json_object *o)
{
	struct rbuf list, body;
	struct bgp_sess_params sp;
	struct bgp_verdict v;
	struct bgp_update u;
	struct json_object *j, *a;
	size_t len;
	uint8_t *buf;

	attrset_bytes(&rde->attrs, attrs, &list);
	len = rbuf_left(&list);
	buf = malloc(len + 4);
	if (!buf)
		return;
	buf[0] = buf[1] = 0;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	memcpy(buf + 4, rbuf_ptr(&list), len);
	rbuf_init(&body, buf, len + 4);
	bgp_sess_params_default(&sp);
	sp.ibgp = true; /* keep LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST */
	bgp_verdict_init(&v);
	if (bgp_update_decode(&body, &sp, &u, &v)) {
		j = bgp_update_to_json(&u, &sp);
		if (j && json_object_object_get_ex(j, "attributes", &a)) {
			json_object_object_foreach(a, key, val)
			    json_object_object_add(o, key, json_object_get(val));
		}
		json_object_put(j);
	}
	free(buf);
}

static struct json_object *path_json(struct rde *rde, enum bgp_fam fam, uint32_t pi, bool best,
				     enum decision_step reason, uint32_t now)
{
	const struct rib_path *rp = rde_path(rde, pi);
	const struct rde_peer *peer = rde_peer_get(rde, rp->peer);
	struct json_object *o = json_object_new_object(), *labels;
	struct label_stack ls;
	struct ipaddr nh;
	char buf[IPADDR_STRLEN];

	json_object_object_add(o, "peer", json_object_new_string(peer ? peer->name : "local"));
	if (peer && bgp_sess_addpath_rx(&peer->sp, fam))
		json_object_object_add(o, "path_id", json_object_new_int64(rp->path_id));
	json_object_object_add(o, "best", json_object_new_boolean(best));
	json_object_object_add(o, "reason", json_object_new_string(decision_step_name(reason)));
	if (rp->flags & RIB_PATH_STALE) /* RFC 4724 s4.2 */
		json_object_object_add(o, "stale", json_object_new_boolean(true));
	rde_path_labels(rde, rp, &ls);
	if (ls.n) {
		labels = json_object_new_array();
		for (unsigned i = 0; i < ls.n; i++)
			json_object_array_add(labels, json_object_new_int64(label_value(ls.e[i])));
		json_object_object_add(o, "labels", labels);
	}
	rde_path_nh(rde, rp, &nh);
	if (nh.afi)
		json_object_object_add(o, "next_hop",
				       json_object_new_string(ipaddr_fmt(&nh, buf, sizeof(buf))));
	add_attrs(rde, rp->attrs, o);
	json_object_object_add(o, "age", json_object_new_int64(now - rp->stamp));
	return o;
}

static struct json_object *route_json(struct rde *rde, enum bgp_fam fam, uint32_t idx,
				      const char *key, uint32_t now)
{
	struct bgp_nlri n;
	struct json_object *o, *paths = json_object_new_array();
	size_t cnt, best, order[256], k = 0;

	rib_net_nlri(&rde->ribs[fam], idx, &n);
	o = bgp_nlri_to_json(&n);
	json_object_object_del(o, "labels");
	json_object_object_add(o, "prefix", json_object_new_string(key));
	rde_decision_cands(rde, fam, idx, &cnt);
	if (cnt > 256)
		cnt = 256;
	best = decision_select(rde->cands, cnt, &rde->dcfg, rde->steps);
	/* best first, then in decision order */
	order[k++] = best;
	for (size_t i = 0; i < cnt; i++) {
		enum decision_step st;
		size_t j;

		if (i == best)
			continue;
		for (j = k; j > 1 && decision_cmp(&rde->cands[i], &rde->cands[order[j - 1]],
						  &rde->dcfg, &st) < 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
		k++;
	}
	for (size_t i = 0; i < k; i++)
		json_object_array_add(paths,
				      path_json(rde, fam, rde->cand_paths[order[i]],
						order[i] == best, rde->steps[order[i]], now));
	json_object_object_add(o, "paths", paths);
	return o;
}

struct json_object *rde_show_rib(struct rde *rde, enum bgp_fam fam, const char *prefix)
{
	struct json_object *o = json_object_new_object(), *routes = json_object_new_array();
	const struct rib *rib;
	uint32_t now = rde_now();
	char key[BGP_NLRI_STRLEN];

	if (fam < 0 || fam >= BGP_FAM_COUNT) {
		json_object_put(routes);
		return o;
	}
	rib = &rde->ribs[fam];
	json_object_object_add(o, "family", json_object_new_string(bgp_fam_table[fam].name));
	for (uint32_t idx = 1; idx < rib_net_top(rib); idx++) {
		const struct rib_net *net = rib_net_at(rib, idx);
		struct bgp_nlri n;

		if (!(net->flags & RIB_NET_USED) || !net->paths)
			continue;
		rib_net_nlri(rib, idx, &n);
		bgp_nlri_fmt(&n, key, sizeof(key));
		if (prefix && strcmp(prefix, key) != 0)
			continue;
		json_object_array_add(routes, route_json(rde, fam, idx, key, now));
	}
	json_object_object_add(o, "routes", routes);
	return o;
}

static uint64_t count_best(const struct rde *rde, enum bgp_fam f, rde_peer_id id)
{
	const struct rib *rib = &rde->ribs[f];
	uint64_t n = 0;

	for (uint32_t idx = 1; idx < rib_net_top(rib); idx++) {
		const struct rib_net *net = rib_net_at(rib, idx);

		if ((net->flags & RIB_NET_BEST) && rde_path(rde, net->paths)->peer == id)
			n++;
	}
	return n;
}

struct json_object *rde_show_peer(struct rde *rde, rde_peer_id id)
{
	struct rde_peer *p = rde_peer_get(rde, id);
	struct json_object *o = json_object_new_object(), *pf;

	if (!p)
		return o;
	pf = json_object_new_object();
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct json_object *c;

		if (!((p->sp.fams | p->cfg.families) & bgp_fam_bit((enum bgp_fam)f)))
			continue;
		c = json_object_new_object();
		json_object_object_add(c, "received", json_object_new_int64(p->n_paths[f]));
		json_object_object_add(c, "accepted", json_object_new_int64(p->n_paths[f]));
		json_object_object_add(c, "best",
				       json_object_new_int64((int64_t)count_best(rde, f, id)));
		json_object_object_add(c, "advertised", json_object_new_int64(p->n_adv[f]));
		json_object_object_add(pf, bgp_fam_table[f].name, c);
	}
	json_object_object_add(o, "prefixes", pf);
	return o;
}

struct json_object *rde_show_rtc(struct rde *rde)
{
	struct json_object *o = json_object_new_object(), *local = json_object_new_array();
	struct json_object *peers = json_object_new_array();
	char buf[BGP_NLRI_STRLEN];

	for (size_t i = 0; i < rde->n_rtc_local; i++)
		json_object_array_add(local, json_object_new_string(ecomm_fmt(
						 &rde->rtc_local[i].rtc_rt, buf, sizeof(buf))));
	for (uint32_t id = 1; id < rde->npeers; id++) {
		const struct rde_peer *p = rde->peers[id];
		struct json_object *po, *rts;

		if (!p || !p->up || !(p->sp.fams & bgp_fam_bit(BGP_FAM_RTC)))
			continue;
		po = json_object_new_object();
		rts = json_object_new_array();
		json_object_object_add(po, "peer", json_object_new_string(p->name));
		json_object_object_add(po, "default",
				       json_object_new_boolean(rtc_set_has_default(&p->rtc)));
		for (uint32_t i = 0; i < p->rtc.n; i++) {
			struct bgp_nlri n;

			if (!p->rtc.e[i].len)
				continue;
			rtc_entry_nlri(&p->rtc.e[i], &n);
			json_object_array_add(
			    rts, json_object_new_string(bgp_nlri_fmt(&n, buf, sizeof(buf))));
		}
		json_object_object_add(po, "route_targets", rts);
		json_object_array_add(peers, po);
	}
	json_object_object_add(o, "local", local);
	json_object_object_add(o, "peers", peers);
	return o;
}

static void add_type(struct json_object *types, size_t *total, const char *name, size_t objects,
		     size_t bytes)
{
	struct json_object *t = json_object_new_object();

	json_object_object_add(t, "type", json_object_new_string(name));
	json_object_object_add(t, "objects", json_object_new_int64((int64_t)objects));
	json_object_object_add(t, "bytes", json_object_new_int64((int64_t)bytes));
	json_object_array_add(types, t);
	*total += bytes;
}

struct json_object *rde_show_memory(struct rde *rde)
{
	struct json_object *o = json_object_new_object(), *types = json_object_new_array();
	size_t total = 0, nets = 0, net_bytes = 0, hash = 0, npeers = 0;

	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		nets += rib_net_count(&rde->ribs[f]);
		net_bytes += rib_bytes_nets(&rde->ribs[f]);
		hash += rib_bytes_hash(&rde->ribs[f]);
	}
	for (uint32_t i = 1; i < rde->npeers; i++)
		npeers += rde->peers[i] != NULL;
	add_type(types, &total, "attr-set", intern_count(rde->attrs.in),
		 intern_bytes(rde->attrs.in));
	/* AS paths live inside the interned attribute sets */
	add_type(types, &total, "as-path", 0, 0);
	add_type(types, &total, "next-hop", intern_count(rde->nexthops),
		 intern_bytes(rde->nexthops));
	add_type(types, &total, "label-stack", intern_count(rde->labels),
		 intern_bytes(rde->labels));
	add_type(types, &total, "rib-net", nets, net_bytes);
	add_type(types, &total, "rib-path", rde->paths.used, slab_bytes(&rde->paths));
	add_type(types, &total, "hash-table", BGP_FAM_COUNT, hash);
	add_type(types, &total, "adj-out", npeers, export_bytes(rde));
	add_type(types, &total, "peer", npeers,
		 npeers * sizeof(struct rde_peer) + rde->npeers * sizeof(void *));
	add_type(types, &total, "buffers", 2 + RDE_ENC_CACHE,
		 2 * (size_t)BGP_EXT_MAX_LEN + RDE_ENC_CACHE * (size_t)BGP_EXT_MAX_LEN);
	json_object_object_add(o, "rss_bytes", json_object_new_int64((int64_t)mem_rss()));
	json_object_object_add(o, "types", types);
	json_object_object_add(o, "total_bytes", json_object_new_int64((int64_t)total));
	return o;
}
