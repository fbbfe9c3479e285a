/*
 * config_build: a validated libyang data tree of module vtopo -> struct config.
 *
 * Peer-group inheritance (the rule stated in the module's description): a
 * neighbor takes each leaf it does not set from the peer group it names; a
 * leaf set by neither takes the model's default, which libyang has already
 * added to both as a node flagged LYD_DEFAULT.  So for every leaf: the
 * neighbor's node unless it is a default, else the group's unless it is a
 * default, else whichever default exists.  No default is repeated here
 * except the two the model can only state in words (keepalive-interval =
 * hold-time / 3, cluster-id = router-id).
 *
 * Also the checks the model cannot express, done on the resolved values.
 *
 * Not for: parsing or schema validation (config_yang.c).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "lib/strnum.h"

/* A neighbor being resolved: its node, its group's node (or NULL), and its
 * data path for error reports. */
struct nbr_src {
	struct lyd_node *n;
	const struct lyd_node *g;
	const char *group;
	char *path;
};

const struct lyd_node *config_node_at(const struct lyd_node *from, const char *rel)
{
	struct lyd_node *r = NULL;

	if (!from || lyd_find_path(from, rel, 0, &r) != LY_SUCCESS)
		return NULL;
	return r;
}

const struct lyd_node *config_next(const struct lyd_node *c, const char *name)
{
	for (c = c ? c->next : NULL; c; c = c->next)
		if (c->schema && !strcmp(c->schema->name, name))
			return c;
	return NULL;
}

const struct lyd_node *config_first(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *c = parent ? lyd_child(parent) : NULL;

	if (c && c->schema && !strcmp(c->schema->name, name))
		return c;
	return config_next(c, name);
}

size_t config_count(const struct lyd_node *parent, const char *name)
{
	size_t n = 0;

	for (const struct lyd_node *c = config_first(parent, name); c; c = config_next(c, name))
		n++;
	return n;
}

static bool is_set(const struct lyd_node *n)
{
	return n && !(n->flags & LYD_DEFAULT);
}

/* The node that decides leaf rel for a neighbor (see the file header). */
static const struct lyd_node *pick(const struct lyd_node *n, const struct lyd_node *g,
				   const char *rel)
{
	const struct lyd_node *a = config_node_at(n, rel), *b = config_node_at(g, rel);

	if (is_set(a))
		return a;
	if (is_set(b))
		return b;
	return a ? a : b;
}

const char *config_str(const struct lyd_node *n)
{
	return n ? lyd_get_value(n) : NULL;
}

/* Canonical value of a numeric leaf; libyang has checked the range. */
uint64_t config_num(const struct lyd_node *n)
{
	const char *s = config_str(n);
	uint64_t v = 0;

	if (s && strnum_u64(s, strlen(s), UINT64_MAX, &v) < 0)
		v = 0;
	return v;
}

bool config_bool(const struct lyd_node *n)
{
	const char *s = config_str(n);

	return s && !strcmp(s, "true");
}

static uint32_t quad_of(const struct lyd_node *n)
{
	struct in_addr a = {0};

	if (!n || inet_pton(AF_INET, config_str(n), &a) != 1)
		return 0;
	return ntohl(a.s_addr);
}

char *config_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *path_join(const char *base, const char *rel)
{
	size_t n = strlen(base) + strlen(rel) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", base, rel);
	return p;
}

/* Record an error about leaf rel of the neighbor. */
__attribute__((format(printf, 4, 5))) static int
nbr_err(struct config_errors *errs, const struct nbr_src *s, const char *rel, const char *fmt, ...)
{
	char *path = path_join(s->path, rel), msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	config_err(errs, path ? path : s->path, "%s", msg);
	free(path);
	return -1;
}

static void family_read(struct config_family *f, const struct lyd_node *fn,
			const struct lyd_node *fg)
{
	f->enabled = config_bool(pick(fn, fg, "enabled"));
	f->add_paths_receive = config_bool(pick(fn, fg, "add-paths/receive"));
	f->add_paths_send = config_bool(pick(fn, fg, "add-paths/send"));
	f->max_prefixes = (uint32_t)config_num(pick(fn, fg, "prefix-limit/max-prefixes"));
	f->warning_threshold_pct =
	    (uint8_t)config_num(pick(fn, fg, "prefix-limit/warning-threshold-pct"));
	f->restart_timer = (uint16_t)config_num(pick(fn, fg, "prefix-limit/restart-timer"));
}

/* Families: the union of the group's and the neighbor's, merged leaf by
 * leaf; none at all means ipv4-unicast with the model's defaults, which
 * are obtained by adding that entry to the neighbor's tree. */
static int families_read(struct config_neighbor *cn, const struct nbr_src *s)
{
	char rel[96];

	for (int pass = 0; pass < 2 && cn->n_families == 0; pass++) {
		if (pass == 1) {
			struct lyd_node *added = NULL;

			if (lyd_new_path(s->n, NULL, "afi-safis/afi-safi[name='ipv4-unicast']",
					 NULL, 0, &added) != LY_SUCCESS ||
			    lyd_new_implicit_tree(added, LYD_IMPLICIT_NO_STATE, NULL) != LY_SUCCESS)
				return -1;
		}
		for (int f = 0; f < CONFIG_AFI_SAFI_COUNT; f++) {
			const struct lyd_node *fn, *fg;

			snprintf(rel, sizeof(rel), "afi-safis/afi-safi[name='%s']",
				 config_afi_safi_name((enum config_afi_safi)f));
			fn = config_node_at(s->n, rel);
			fg = config_node_at(s->g, rel);
			if (!fn && !fg)
				continue;
			cn->families[cn->n_families].name = (enum config_afi_safi)f;
			family_read(&cn->families[cn->n_families++], fn, fg);
		}
	}
	return 0;
}

/* RFC 4271 s4.4, s10: keepalives below the hold time, none when it is 0.
 * The model checks this within one list entry; here it is checked again on
 * the values in effect after inheritance. */
static int timers_read(struct config_neighbor *cn, const struct nbr_src *s,
		       struct config_errors *errs)
{
	const struct lyd_node *ka = pick(s->n, s->g, "timers/keepalive-interval");

	cn->hold_time = (uint16_t)config_num(pick(s->n, s->g, "timers/hold-time"));
	cn->connect_retry = (uint16_t)config_num(pick(s->n, s->g, "timers/connect-retry"));
	cn->keepalive_interval = ka ? (uint16_t)config_num(ka) : cn->hold_time / 3;
	if (!ka)
		return 0;
	if (cn->hold_time == 0
		? cn->keepalive_interval != 0
		: cn->keepalive_interval == 0 || cn->keepalive_interval >= cn->hold_time)
		return nbr_err(errs, s, "timers/keepalive-interval",
			       "keepalive-interval %u does not fit hold-time %u in effect "
			       "(inherited from peer-group '%s')",
			       cn->keepalive_interval, cn->hold_time, s->group ? s->group : "");
	return 0;
}

static int session_read(struct config_neighbor *cn, const struct nbr_src *s, uint32_t local_as,
			struct config_errors *errs)
{
	const struct lyd_node *ras = pick(s->n, s->g, "remote-as");
	const struct lyd_node *la = pick(s->n, s->g, "local-address");
	int r = 0;

	if (!ras)
		r = s->group
			? nbr_err(errs, s, "remote-as",
				  "no remote-as on the neighbor nor on peer-group '%s'", s->group)
			: nbr_err(errs, s, "remote-as", "no remote-as and no peer-group");
	cn->remote_as = (uint32_t)config_num(ras);
	if (la && ipaddr_parse(config_str(la), &cn->local_address) == 0 &&
	    cn->local_address.afi != cn->address.afi)
		r = nbr_err(errs, s, "local-address",
			    "local-address %s is not of the neighbor address's family",
			    config_str(la));
	cn->route_reflector_client = config_bool(pick(s->n, s->g, "route-reflector-client"));
	/* RFC 4456 s6: reflection is between internal peers */
	if (ras && cn->route_reflector_client && cn->remote_as != local_as)
		r = nbr_err(errs, s, "route-reflector-client",
			    "route-reflector-client needs an internal peer, remote-as %u is not "
			    "global/as %u",
			    cn->remote_as, local_as);
	return r;
}

static int neighbor_read(struct config_neighbor *cn, struct nbr_src *s, uint32_t local_as,
			 struct config_errors *errs)
{
	int r = 0;

	if (ipaddr_parse(config_str(config_node_at(s->n, "address")), &cn->address) < 0)
		return config_err(errs, s->path, "bad address");
	cn->peer_group = config_strdup(s->group);
	cn->description = config_strdup(config_str(pick(s->n, s->g, "description")));
	cn->auth_password = config_strdup(config_str(pick(s->n, s->g, "auth-password")));
	cn->port = (uint16_t)config_num(pick(s->n, s->g, "port"));
	cn->passive = config_bool(pick(s->n, s->g, "passive"));
	cn->enabled = config_bool(pick(s->n, s->g, "enabled"));
	cn->next_hop_self = config_bool(pick(s->n, s->g, "next-hop-self"));
	cn->graceful_restart_enabled = config_bool(pick(s->n, s->g, "graceful-restart/enabled"));
	cn->graceful_restart_time =
	    (uint16_t)config_num(pick(s->n, s->g, "graceful-restart/restart-time"));
	cn->extended_messages = config_bool(pick(s->n, s->g, "extended-messages/enabled"));
	if (session_read(cn, s, local_as, errs) < 0)
		r = -1;
	if (timers_read(cn, s, errs) < 0)
		r = -1;
	if (families_read(cn, s) < 0)
		r = config_err(errs, s->path, "out of memory");
	return r;
}

static int neighbors_read(struct config *cfg, struct lyd_node *top, struct config_errors *errs)
{
	struct lyd_node *list = (struct lyd_node *)config_node_at(top, "neighbors"), *n;
	size_t cap = 0;
	int r = 0;

	LY_LIST_FOR(lyd_child(list), n) cap++;
	cfg->neighbors = calloc(cap ? cap : 1, sizeof(*cfg->neighbors));
	if (!cfg->neighbors)
		return config_err(errs, "", "out of memory");
	LY_LIST_FOR(lyd_child(list), n)
	{
		struct nbr_src s = {.n = n, .group = config_str(config_node_at(n, "peer-group"))};
		char grp[128];

		if (s.group) {
			snprintf(grp, sizeof(grp), "/vtopo:vtopo/peer-groups/peer-group[name='%s']",
				 s.group);
			s.g = config_node_at(top, grp);
		}
		s.path = lyd_path(n, LYD_PATH_STD, NULL, 0);
		if (!s.path)
			return config_err(errs, "", "out of memory");
		if (neighbor_read(&cfg->neighbors[cfg->n_neighbors++], &s, cfg->as, errs) < 0)
			r = -1;
		free(s.path);
	}
	return r;
}

static bool addr_is_any(const struct ipaddr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->b, zero, sizeof(zero));
}

/* Two listen entries on one port conflict when they are equal or one is
 * the wildcard of the other's family: bind() would fail with EADDRINUSE. */
static int listen_check(const struct config *cfg, const struct lyd_node *first,
			struct config_errors *errs)
{
	const struct lyd_node *n = first;
	int r = 0;

	for (size_t i = 0; i < cfg->n_listen; i++, n = n->next) {
		const struct config_listen *a = &cfg->listen[i];

		for (size_t j = 0; j < i; j++) {
			const struct config_listen *b = &cfg->listen[j];
			char *path;

			if (a->port != b->port || a->address.afi != b->address.afi ||
			    (ipaddr_cmp(&a->address, &b->address) && !addr_is_any(&a->address) &&
			     !addr_is_any(&b->address)))
				continue;
			path = lyd_path(n, LYD_PATH_STD, NULL, 0);
			r = config_err(errs, path ? path : "",
				       "listen entry overlaps another on port %u", a->port);
			free(path);
			break;
		}
	}
	return r;
}

static int listen_read(struct config *cfg, const struct lyd_node *glob, struct config_errors *errs)
{
	const struct lyd_node *n, *first = NULL;
	size_t cap = 0;

	LY_LIST_FOR(lyd_child(glob), n)
	{
		if (n->schema && !strcmp(n->schema->name, "listen")) {
			first = first ? first : n;
			cap++;
		}
	}
	if (!cap)
		return 0;
	cfg->listen = calloc(cap, sizeof(*cfg->listen));
	if (!cfg->listen)
		return config_err(errs, "", "out of memory");
	for (n = first; n && n->schema == first->schema; n = n->next) {
		struct config_listen *l = &cfg->listen[cfg->n_listen++];

		if (ipaddr_parse(config_str(config_node_at(n, "address")), &l->address) < 0)
			return config_err(errs, "", "bad listen address");
		l->port = (uint16_t)config_num(config_node_at(n, "port"));
	}
	return listen_check(cfg, first, errs);
}

static int global_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs)
{
	const struct lyd_node *g = config_node_at(top, "global");
	const struct lyd_node *cid = config_node_at(g, "cluster-id");
	const char *file = config_str(config_node_at(g, "logging/file"));

	cfg->as = (uint32_t)config_num(config_node_at(g, "as"));
	cfg->router_id = quad_of(config_node_at(g, "router-id"));
	/* RFC 4456 s7: CLUSTER_ID defaults to the BGP Identifier */
	cfg->cluster_id = cid ? quad_of(cid) : cfg->router_id;
	cfg->control_socket = config_strdup(config_str(config_node_at(g, "control-socket")));
	cfg->log_file = config_strdup(file);
	cfg->log_level = (enum config_log_level)config_log_level_from_name(
	    config_str(config_node_at(g, "logging/level")));
	if (!cfg->control_socket || (file && !cfg->log_file))
		return config_err(errs, "", "out of memory");
	return listen_read(cfg, g, errs);
}

static int addr_cmp(const void *a, const void *b)
{
	return ipaddr_cmp(a, b);
}

/* underlay/pe-address: the PEs whose MPLS-in-UDP is accepted (RFC 7510
 * s5); underlay/label-range: the local label space */
static int underlay_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs)
{
	const struct lyd_node *u = config_node_at(top, "underlay"), *v;
	const struct lyd_node *lf = config_node_at(u, "label-range/first");
	const struct lyd_node *ll = config_node_at(u, "label-range/last");
	size_t cap = config_count(u, "pe-address");

	/* RFC 3032 s2.1: 0-15 are reserved; the model's defaults when absent */
	cfg->label_first = lf ? (uint32_t)config_num(lf) : 16;
	cfg->label_last = ll ? (uint32_t)config_num(ll) : 0xFFFFF;
	if (!cap)
		return 0;
	if (!(cfg->pe_addresses = calloc(cap, sizeof(*cfg->pe_addresses))))
		return config_err(errs, "", "out of memory");
	for (v = config_first(u, "pe-address"); v; v = config_next(v, "pe-address"))
		if (ipaddr_parse(config_str(v), &cfg->pe_addresses[cfg->n_pe_addresses++]) < 0)
			return config_err_node(errs, v, NULL, "bad PE address '%s'", config_str(v));
	qsort(cfg->pe_addresses, cfg->n_pe_addresses, sizeof(*cfg->pe_addresses), addr_cmp);
	return 0;
}

static int nbr_cmp(const void *a, const void *b)
{
	return ipaddr_cmp(&((const struct config_neighbor *)a)->address,
			  &((const struct config_neighbor *)b)->address);
}

int config_build(struct lyd_node *tree, struct config **out, struct config_errors *errs)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct lyd_node *top = NULL;
	int r = 0;

	*out = NULL;
	if (!cfg)
		return config_err(errs, "", "out of memory");
	if (lyd_find_path(tree, "/vtopo:vtopo", 0, &top) != LY_SUCCESS) {
		r = config_err(errs, "/vtopo:vtopo", "no configuration");
		goto out;
	}
	if (global_read(cfg, top, errs) < 0)
		r = -1;
	if (neighbors_read(cfg, top, errs) < 0)
		r = -1;
	if (cfg->n_neighbors)
		qsort(cfg->neighbors, cfg->n_neighbors, sizeof(*cfg->neighbors), nbr_cmp);
	if (config_vrfs_read(cfg, top, errs) < 0)
		r = -1;
	if (config_svc_read(cfg, top, errs) < 0)
		r = -1;
	if (underlay_read(cfg, top, errs) < 0)
		r = -1;
	/* the checks across VRFs, nodes and topologies need them all read */
	if (r == 0 && config_svc_check(cfg, errs) < 0)
		r = -1;
out:
	if (r < 0)
		config_free(cfg);
	else
		*out = cfg;
	return r;
}
