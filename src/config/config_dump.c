/*
 * config_dump: the resolved struct config printed as RFC 7951 JSON of module
 * vtopo, every default filled in, neighbors flattened (their peer groups
 * already applied, so no peer-groups are printed), members in model order.
 * The output is itself a valid configuration that loads to the same struct.
 * Route distinguishers and route targets are printed in the canonical text
 * forms of lib/rd.h and lib/ecomm.h.
 *
 * Not for: the configuration as written by the operator (this is the
 * result of inheritance), or runtime state.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#define DUMP_FLAGS                                                                                 \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static void put(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static json_object *jbool(bool b)
{
	return json_object_new_boolean(b);
}

static json_object *jnum(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

static json_object *jaddr(const struct ipaddr *a)
{
	char buf[IPADDR_STRLEN];

	return json_object_new_string(ipaddr_fmt(a, buf, sizeof(buf)));
}

static json_object *jquad(uint32_t host)
{
	struct in_addr a = {.s_addr = htonl(host)};
	char buf[INET_ADDRSTRLEN];

	return json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf)));
}

static json_object *family_dump(const struct config_family *f)
{
	json_object *o = json_object_new_object(), *ap = json_object_new_object(),
		    *pl = json_object_new_object();

	put(o, "name", json_object_new_string(config_afi_safi_name(f->name)));
	put(o, "enabled", jbool(f->enabled));
	put(ap, "receive", jbool(f->add_paths_receive));
	put(ap, "send", jbool(f->add_paths_send));
	put(o, "add-paths", ap);
	if (f->max_prefixes)
		put(pl, "max-prefixes", jnum(f->max_prefixes));
	put(pl, "warning-threshold-pct", jnum(f->warning_threshold_pct));
	put(pl, "restart-timer", jnum(f->restart_timer));
	put(o, "prefix-limit", pl);
	return o;
}

static json_object *neighbor_dump(const struct config_neighbor *n)
{
	json_object *o = json_object_new_object(), *t = json_object_new_object(),
		    *fams = json_object_new_array(), *af = json_object_new_object(),
		    *gr = json_object_new_object(), *em = json_object_new_object();

	put(o, "address", jaddr(&n->address));
	put(o, "remote-as", jnum(n->remote_as));
	if (n->description)
		put(o, "description", json_object_new_string(n->description));
	if (n->local_address.afi)
		put(o, "local-address", jaddr(&n->local_address));
	put(o, "port", jnum(n->port));
	put(o, "passive", jbool(n->passive));
	put(o, "enabled", jbool(n->enabled));
	put(t, "hold-time", jnum(n->hold_time));
	put(t, "keepalive-interval", jnum(n->keepalive_interval));
	put(t, "connect-retry", jnum(n->connect_retry));
	put(o, "timers", t);
	if (n->auth_password)
		put(o, "auth-password", json_object_new_string(n->auth_password));
	for (size_t i = 0; i < n->n_families; i++)
		json_object_array_add(fams, family_dump(&n->families[i]));
	put(af, "afi-safi", fams);
	put(o, "afi-safis", af);
	put(o, "route-reflector-client", jbool(n->route_reflector_client));
	put(o, "next-hop-self", jbool(n->next_hop_self));
	put(gr, "enabled", jbool(n->graceful_restart_enabled));
	put(gr, "restart-time", jnum(n->graceful_restart_time));
	put(o, "graceful-restart", gr);
	put(em, "enabled", jbool(n->extended_messages));
	put(o, "extended-messages", em);
	return o;
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *jrt(const struct ecomm *rt)
{
	char buf[ECOMM_STRLEN];

	return jstr(ecomm_fmt(rt, buf, sizeof(buf)));
}

static json_object *jprefix(const struct prefix *p)
{
	char buf[PREFIX_STRLEN];

	return jstr(prefix_fmt(p, buf, sizeof(buf)));
}

/* put(o, k, [entries]) unless there are none. */
static void put_list(json_object *o, const char *k, json_object *arr)
{
	if (json_object_array_length(arr))
		put(o, k, arr);
	else
		json_object_put(arr);
}

static json_object *stmt_dump(const struct config_policy_stmt *st)
{
	json_object *o = json_object_new_object(), *c = json_object_new_object(),
		    *a = json_object_new_object(), *rts = json_object_new_array();
	char range[16];

	put(o, "name", jstr(st->name));
	if (st->afi)
		put(c, "address-family", jstr(st->afi == AFI_IPV6 ? "ipv6-vpn" : "ipv4-vpn"));
	if (st->match_prefix) {
		put(c, "prefix", jprefix(&st->prefix));
		snprintf(range, sizeof(range), "%u..%u", st->len_min, st->len_max);
		put(c, "masklength-range", jstr(range));
	}
	if (st->attachment)
		put(c, "attachment", jstr(st->attachment));
	put(o, "conditions", c);
	put(a, "policy-result", jstr(st->reject ? "reject-route" : "accept-route"));
	for (size_t i = 0; i < st->n_add_rts; i++)
		json_object_array_add(rts, jrt(&st->add_rts[i]));
	put_list(a, "add-route-target", rts);
	if (st->set_local_pref)
		put(a, "set-local-pref", jnum(st->local_pref));
	if (st->set_med)
		put(a, "set-med", jnum(st->med));
	put(o, "actions", a);
	return o;
}

static json_object *attachment_dump(const struct config_attachment *at)
{
	json_object *o = json_object_new_object(), *addrs = json_object_new_array();

	put(o, "name", jstr(at->name));
	if (at->host)
		put(o, "host", jstr(at->host));
	put(o, "interface", jstr(at->interface));
	for (size_t i = 0; i < at->n_addresses; i++) {
		json_object *a = json_object_new_object();

		put(a, "ip", jaddr(&at->addresses[i].ip));
		put(a, "prefix-length", jnum(at->addresses[i].prefix_len));
		json_object_array_add(addrs, a);
	}
	put_list(o, "address", addrs);
	return o;
}

static json_object *route_dump(const struct config_static_route *sr)
{
	json_object *o = json_object_new_object(), *nh = json_object_new_object();

	put(o, "destination-prefix", jprefix(&sr->prefix));
	if (sr->kind == CONFIG_NH_ADDRESS)
		put(nh, "next-hop-address", jaddr(&sr->next_hop));
	else if (sr->kind == CONFIG_NH_INTERFACE)
		put(nh, "outgoing-interface", jstr(sr->interface));
	else
		put(nh, "special-next-hop", jstr("blackhole"));
	put(o, "next-hop", nh);
	return o;
}

/* A list "name": [...] inside a container "cont", both left out when empty. */
static void put_wrapped(json_object *o, const char *cont, const char *name, json_object *arr)
{
	json_object *c;

	if (!json_object_array_length(arr)) {
		json_object_put(arr);
		return;
	}
	c = json_object_new_object();
	put(c, name, arr);
	put(o, cont, c);
}

static json_object *vrf_dump(const struct config_vrf *v)
{
	json_object *o = json_object_new_object(), *tg = json_object_new_array(),
		    *pol = json_object_new_array(), *att = json_object_new_array(),
		    *rts = json_object_new_array();
	char rd[RD_STRLEN];

	put(o, "name", jstr(v->name));
	if (v->description)
		put(o, "description", jstr(v->description));
	put(o, "route-distinguisher", jstr(rd_fmt(&v->rd, rd, sizeof(rd))));
	for (size_t i = 0; i < v->n_targets; i++) {
		json_object *t = json_object_new_object();

		put(t, "route-target", jrt(&v->targets[i].rt));
		put(t, "route-target-type", jstr(config_rt_type_name(v->targets[i].type)));
		json_object_array_add(tg, t);
	}
	put_wrapped(o, "vpn-targets", "vpn-target", tg);
	put(o, "label-mode", jstr(config_label_mode_name(v->label_mode)));
	for (size_t i = 0; i < v->n_export_policy; i++)
		json_object_array_add(pol, stmt_dump(&v->export_policy[i]));
	put_wrapped(o, "export-policy", "statement", pol);
	for (size_t i = 0; i < v->n_attachments; i++)
		json_object_array_add(att, attachment_dump(&v->attachments[i]));
	put_wrapped(o, "attachments", "attachment", att);
	for (size_t i = 0; i < v->n_static_routes; i++)
		json_object_array_add(rts, route_dump(&v->static_routes[i]));
	put_wrapped(o, "static-routes", "route", rts);
	return o;
}

static json_object *node_dump(const struct config_service_node *sn)
{
	json_object *o = json_object_new_object();

	put(o, "name", jstr(sn->name));
	if (sn->description)
		put(o, "description", jstr(sn->description));
	put(o, "address", jaddr(&sn->address));
	put(o, "interface", jstr(sn->interface));
	put(o, "in-vrf", jstr(sn->in_vrf));
	put(o, "out-vrf", jstr(sn->out_vrf));
	put(o, "label-mode", jstr(config_svc_label_name(sn->label_mode)));
	return o;
}

static json_object *topo_dump(const struct config_topology *t)
{
	json_object *o = json_object_new_object(), *seq = json_object_new_array(),
		    *ing = json_object_new_array();

	put(o, "name", jstr(t->name));
	if (t->description)
		put(o, "description", jstr(t->description));
	put(o, "route-target", jrt(&t->rt));
	put(o, "address-family", jstr(config_afi_safi_name(t->family)));
	for (size_t i = 0; i < t->n_sequence; i++)
		json_object_array_add(seq, jaddr(&t->sequence[i]));
	put_list(o, "service-node-sequence", seq);
	for (size_t i = 0; i < t->n_ingress_vrfs; i++)
		json_object_array_add(ing, jstr(t->ingress_vrfs[i]));
	put_list(o, "ingress-vrf", ing);
	put(o, "preference", jnum(t->preference));
	put(o, "hash-mode", jstr(config_hash_mode_name(t->hash_mode)));
	return o;
}

static void svc_dump(json_object *top, const struct config *cfg)
{
	json_object *vrfs = json_object_new_array(), *nodes = json_object_new_array(),
		    *topos = json_object_new_array();

	for (size_t i = 0; i < cfg->n_vrfs; i++)
		json_object_array_add(vrfs, vrf_dump(&cfg->vrfs[i]));
	put_wrapped(top, "network-instances", "network-instance", vrfs);
	for (size_t i = 0; i < cfg->n_service_nodes; i++)
		json_object_array_add(nodes, node_dump(&cfg->service_nodes[i]));
	put_wrapped(top, "service-nodes", "service-node", nodes);
	for (size_t i = 0; i < cfg->n_topologies; i++)
		json_object_array_add(topos, topo_dump(&cfg->topologies[i]));
	put_wrapped(top, "service-topologies", "service-topology", topos);
}

static json_object *global_dump(const struct config *cfg)
{
	json_object *g = json_object_new_object(), *log = json_object_new_object();

	put(g, "as", jnum(cfg->as));
	put(g, "router-id", jquad(cfg->router_id));
	put(g, "cluster-id", jquad(cfg->cluster_id));
	if (cfg->n_listen) {
		json_object *ls = json_object_new_array();

		for (size_t i = 0; i < cfg->n_listen; i++) {
			json_object *l = json_object_new_object();

			put(l, "address", jaddr(&cfg->listen[i].address));
			put(l, "port", jnum(cfg->listen[i].port));
			json_object_array_add(ls, l);
		}
		put(g, "listen", ls);
	}
	put(g, "control-socket", json_object_new_string(cfg->control_socket));
	if (cfg->log_file)
		put(log, "file", json_object_new_string(cfg->log_file));
	put(log, "level", json_object_new_string(config_log_level_name(cfg->log_level)));
	put(g, "logging", log);
	return g;
}

char *config_dump_json(const struct config *cfg)
{
	json_object *root = json_object_new_object(), *top = json_object_new_object();
	const char *s;
	char *out = NULL;
	size_t len;

	if (!root || !top)
		goto fail;
	put(top, "global", global_dump(cfg));
	if (cfg->n_neighbors) {
		json_object *ns = json_object_new_object(), *arr = json_object_new_array();

		for (size_t i = 0; i < cfg->n_neighbors; i++)
			json_object_array_add(arr, neighbor_dump(&cfg->neighbors[i]));
		put(ns, "neighbor", arr);
		put(top, "neighbors", ns);
	}
	svc_dump(top, cfg);
	{
		json_object *u = json_object_new_object(), *r = json_object_new_object();

		if (cfg->n_pe_addresses) {
			json_object *a = json_object_new_array();

			for (size_t i = 0; i < cfg->n_pe_addresses; i++)
				json_object_array_add(a, jaddr(&cfg->pe_addresses[i]));
			put(u, "pe-address", a);
		}
		put(r, "first", json_object_new_int64(cfg->label_first));
		put(r, "last", json_object_new_int64(cfg->label_last));
		put(u, "label-range", r);
		put(top, "underlay", u);
	}
	put(root, "vtopo:vtopo", top);
	top = NULL;
	s = json_object_to_json_string_ext(root, DUMP_FLAGS);
	if (!s)
		goto fail;
	len = strlen(s);
	out = malloc(len + 2);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\n';
		out[len + 1] = '\0';
	}
fail:
	json_object_put(top);
	json_object_put(root);
	return out;
}
