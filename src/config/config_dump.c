/*
 * config_dump: the resolved struct config printed as RFC 7951 JSON of module
 * vtopo, every default filled in, neighbors flattened (their peer groups
 * already applied, so no peer-groups are printed), members in model order.
 * The output is itself a valid configuration that loads to the same struct.
 *
 * Not for: the configuration as written by the operator (this is the
 * result of inheritance), or runtime state.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
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
