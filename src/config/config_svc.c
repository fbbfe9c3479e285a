/*
 * config_svc: service-nodes and service-topologies of a validated tree ->
 * struct config, and the checks across VRFs, service nodes and topologies
 * that the model cannot express
 * (draft-rfernando-bess-service-chaining-01 sections 2 to 5).
 *
 * Every problem is reported at the data path of the offending node with
 * the reason in words, and any one of them rejects the whole file.  The
 * checks run on the resolved structs, so the paths are written out here
 * in libyang's notation (lyd_path(), LYD_PATH_STD).
 *
 * Not for: resolving chains against routes (that needs BGP state and is
 * the service-topology module's job), or anything at run time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define OOM(errs) config_err(errs, "", "out of memory")

#define P_VRF "/vtopo:vtopo/network-instances/network-instance[name='%s']"
#define P_NODE "/vtopo:vtopo/service-nodes/service-node[name='%s']"
#define P_TOPO "/vtopo:vtopo/service-topologies/service-topology[name='%s']"

/* config_err() with a path built from a printf format and its arguments
 * (the path is formatted first, then the reason). */
__attribute__((format(printf, 3, 4))) static int err_at(struct config_errors *errs,
							const char *reason, const char *pfmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, pfmt);
	vsnprintf(path, sizeof(path), pfmt, ap);
	va_end(ap);
	return config_err(errs, path, "%s", reason);
}

static int node_read(struct config_service_node *sn, const struct lyd_node *n,
		     struct config_errors *errs)
{
	sn->name = config_strdup(config_str(config_node_at(n, "name")));
	sn->description = config_strdup(config_str(config_node_at(n, "description")));
	sn->interface = config_strdup(config_str(config_node_at(n, "interface")));
	sn->in_vrf = config_strdup(config_str(config_node_at(n, "in-vrf")));
	sn->out_vrf = config_strdup(config_str(config_node_at(n, "out-vrf")));
	sn->label_mode = !strcmp(config_str(config_node_at(n, "label-mode")), "aggregate")
			     ? CONFIG_SVC_LABEL_AGGREGATE
			     : CONFIG_SVC_LABEL_DIRECT;
	if (!sn->name || !sn->interface || !sn->in_vrf || !sn->out_vrf)
		return OOM(errs);
	if (ipaddr_parse(config_str(config_node_at(n, "address")), &sn->address) < 0)
		return config_err_node(errs, n, "address", "bad address");
	return 0;
}

static int topo_sequence_read(struct config_topology *t, const struct lyd_node *n,
			      struct config_errors *errs)
{
	size_t cap = config_count(n, "service-node-sequence");
	const struct lyd_node *s;

	if (cap && !(t->sequence = calloc(cap, sizeof(*t->sequence))))
		return OOM(errs);
	for (s = config_first(n, "service-node-sequence"); s;
	     s = config_next(s, "service-node-sequence"))
		if (ipaddr_parse(config_str(s), &t->sequence[t->n_sequence++]) < 0)
			return config_err_node(errs, s, NULL, "bad address");
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int topo_read(struct config_topology *t, const struct lyd_node *n,
		     struct config_errors *errs)
{
	const struct lyd_node *rt = config_node_at(n, "route-target"), *v;
	size_t cap = config_count(n, "ingress-vrf");

	t->name = config_strdup(config_str(config_node_at(n, "name")));
	t->description = config_strdup(config_str(config_node_at(n, "description")));
	t->family = (enum config_afi_safi)config_afi_safi_from_name(
	    config_str(config_node_at(n, "address-family")));
	t->preference = (uint16_t)config_num(config_node_at(n, "preference"));
	t->hash_mode = !strcmp(config_str(config_node_at(n, "hash-mode")), "symmetric")
			   ? CONFIG_HASH_SYMMETRIC
			   : CONFIG_HASH_5TUPLE;
	if (!t->name || (cap && !(t->ingress_vrfs = calloc(cap, sizeof(char *)))))
		return OOM(errs);
	for (v = config_first(n, "ingress-vrf"); v; v = config_next(v, "ingress-vrf"))
		if (!(t->ingress_vrfs[t->n_ingress_vrfs++] = config_strdup(config_str(v))))
			return OOM(errs);
	if (cap)
		qsort(t->ingress_vrfs, t->n_ingress_vrfs, sizeof(char *), str_cmp);
	/* RFC 4360 s4 field widths; the pattern has checked the form */
	if (ecomm_parse(config_str(rt), &t->rt) < 0 || !ecomm_is_rt(&t->rt))
		return config_err_node(errs, rt, NULL,
				       "route target '%s' is out of range (RFC 4360 s4: 2-octet "
				       "AS with a 4-octet number, or an IPv4 address or a 4-octet "
				       "AS with a 2-octet number)",
				       config_str(rt));
	return topo_sequence_read(t, n, errs);
}

static int node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct config_service_node *)a)->name,
		      ((const struct config_service_node *)b)->name);
}

static int topo_cmp(const void *a, const void *b)
{
	return strcmp(((const struct config_topology *)a)->name,
		      ((const struct config_topology *)b)->name);
}

int config_svc_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs)
{
	const struct lyd_node *nodes = config_node_at(top, "service-nodes");
	const struct lyd_node *topos = config_node_at(top, "service-topologies"), *n;
	size_t n_nodes = config_count(nodes, "service-node");
	size_t n_topos = config_count(topos, "service-topology");
	int r = 0;

	if ((n_nodes && !(cfg->service_nodes = calloc(n_nodes, sizeof(*cfg->service_nodes)))) ||
	    (n_topos && !(cfg->topologies = calloc(n_topos, sizeof(*cfg->topologies)))))
		return OOM(errs);
	for (n = config_first(nodes, "service-node"); n; n = config_next(n, "service-node"))
		if (node_read(&cfg->service_nodes[cfg->n_service_nodes++], n, errs) < 0)
			r = -1;
	for (n = config_first(topos, "service-topology"); n; n = config_next(n, "service-topology"))
		if (topo_read(&cfg->topologies[cfg->n_topologies++], n, errs) < 0)
			r = -1;
	/* qsort() takes no NULL base, even for zero elements */
	if (r == 0 && n_nodes)
		qsort(cfg->service_nodes, cfg->n_service_nodes, sizeof(*cfg->service_nodes),
		      node_cmp);
	if (r == 0 && n_topos)
		qsort(cfg->topologies, cfg->n_topologies, sizeof(*cfg->topologies), topo_cmp);
	return r;
}

/*
 * Checks
 */

/* RFC 4364 s4.2: an RD makes the VPN routes of one VRF distinct from
 * those of every other; two VRFs of one PE cannot share it. */
static int check_rds(const struct config *cfg, struct config_errors *errs)
{
	char buf[RD_STRLEN], msg[256];
	int r = 0;

	for (size_t i = 0; i < cfg->n_vrfs; i++)
		for (size_t j = 0; j < i; j++) {
			if (rd_cmp(&cfg->vrfs[i].rd, &cfg->vrfs[j].rd))
				continue;
			snprintf(msg, sizeof(msg),
				 "route distinguisher %s is also that of network-instance '%s'",
				 rd_fmt(&cfg->vrfs[i].rd, buf, sizeof(buf)), cfg->vrfs[j].name);
			r = err_at(errs, msg, P_VRF "/route-distinguisher", cfg->vrfs[i].name);
			break;
		}
	return r;
}

/* Where a Linux interface is used: an attachment or service nodes. */
struct if_user {
	const char *ifname;
	const char *vrf;  /* attachment's VRF, or NULL for a service node */
	const char *name; /* attachment or service node */
	const struct config_service_node *sn;
};

/* Draft s2: the PE-CE link is in exactly one VRF; a service node's
 * interface is tied to its in-VRF/out-VRF pair (s3.1).  Several service
 * nodes (an IPv4 and an IPv6 address) may share one interface with the
 * same pair. */
static int check_if_pair(const struct if_user *a, const struct if_user *b,
			 struct config_errors *errs)
{
	char msg[256];

	if (strcmp(a->ifname, b->ifname))
		return 0;
	if (a->sn && b->sn && !strcmp(a->sn->in_vrf, b->sn->in_vrf) &&
	    !strcmp(a->sn->out_vrf, b->sn->out_vrf))
		return 0;
	snprintf(msg, sizeof(msg), "interface '%s' is already used by %s '%s'%s%s%s", a->ifname,
		 b->sn ? "service-node" : "attachment", b->name,
		 b->vrf ? " of network-instance '" : "", b->vrf ? b->vrf : "",
		 b->vrf ? "'" : " with another in-vrf/out-vrf pair");
	if (a->sn)
		return err_at(errs, msg, P_NODE "/interface", a->name);
	return err_at(errs, msg, P_VRF "/attachments/attachment[name='%s']/interface", a->vrf,
		      a->name);
}

static int check_interfaces(const struct config *cfg, struct config_errors *errs)
{
	struct if_user *u;
	size_t n = cfg->n_service_nodes;
	int r = 0;

	for (size_t i = 0; i < cfg->n_vrfs; i++)
		n += cfg->vrfs[i].n_attachments;
	if (!n)
		return 0;
	u = calloc(n, sizeof(*u));
	if (!u)
		return OOM(errs);
	n = 0;
	for (size_t i = 0; i < cfg->n_vrfs; i++)
		for (size_t j = 0; j < cfg->vrfs[i].n_attachments; j++)
			u[n++] = (struct if_user){cfg->vrfs[i].attachments[j].interface,
						  cfg->vrfs[i].name,
						  cfg->vrfs[i].attachments[j].name, NULL};
	for (size_t i = 0; i < cfg->n_service_nodes; i++)
		u[n++] = (struct if_user){cfg->service_nodes[i].interface, NULL,
					  cfg->service_nodes[i].name, &cfg->service_nodes[i]};
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (check_if_pair(&u[i], &u[j], errs) < 0) {
				r = -1;
				break;
			}
	free(u);
	return r;
}

/* Is ifname an interface traffic of vrf can be sent on: an attachment of
 * the VRF or a service node whose in-VRF it is? */
static bool vrf_has_if(const struct config *cfg, const struct config_vrf *v, const char *ifname)
{
	for (size_t i = 0; i < v->n_attachments; i++)
		if (!strcmp(v->attachments[i].interface, ifname))
			return true;
	for (size_t i = 0; i < cfg->n_service_nodes; i++)
		if (!strcmp(cfg->service_nodes[i].interface, ifname) &&
		    !strcmp(cfg->service_nodes[i].in_vrf, v->name))
			return true;
	return false;
}

static int check_static_routes(const struct config *cfg, struct config_errors *errs)
{
	char pfx[PREFIX_STRLEN], msg[256];
	int r = 0;

	for (size_t i = 0; i < cfg->n_vrfs; i++) {
		const struct config_vrf *v = &cfg->vrfs[i];

		for (size_t j = 0; j < v->n_static_routes; j++) {
			const struct config_static_route *sr = &v->static_routes[j];

			if (sr->kind != CONFIG_NH_INTERFACE || vrf_has_if(cfg, v, sr->interface))
				continue;
			snprintf(msg, sizeof(msg),
				 "outgoing-interface '%s' is neither an attachment of this VRF "
				 "nor a service node whose in-vrf it is",
				 sr->interface);
			r = err_at(errs, msg,
				   P_VRF "/static-routes/route[destination-prefix='%s']/next-hop/"
					 "outgoing-interface",
				   v->name, prefix_fmt(&sr->prefix, pfx, sizeof(pfx)));
		}
	}
	return r;
}

/* Draft s3.1: the in-VRF and the out-VRF of a node are two tables; and
 * within one in-VRF a node's address must be that node only. */
static int check_nodes(const struct config *cfg, struct config_errors *errs)
{
	char msg[256];
	int r = 0;

	for (size_t i = 0; i < cfg->n_service_nodes; i++) {
		const struct config_service_node *a = &cfg->service_nodes[i];

		if (!strcmp(a->in_vrf, a->out_vrf)) {
			snprintf(msg, sizeof(msg),
				 "out-vrf is the in-vrf '%s': a service node needs one VRF for "
				 "traffic towards it and another for traffic coming back "
				 "(draft section 3.1)",
				 a->in_vrf);
			r = err_at(errs, msg, P_NODE "/out-vrf", a->name);
		}
		for (size_t j = 0; j < i; j++) {
			const struct config_service_node *b = &cfg->service_nodes[j];

			if (ipaddr_cmp(&a->address, &b->address) || strcmp(a->in_vrf, b->in_vrf))
				continue;
			snprintf(msg, sizeof(msg),
				 "address is also that of service-node '%s' in in-vrf '%s'",
				 b->name, b->in_vrf);
			r = err_at(errs, msg, P_NODE "/address", a->name);
		}
	}
	return r;
}

/* The RTs a VRF attaches to every route it exports are its zone RTs. */
static const struct config_vrf *rt_exporter(const struct config *cfg, const struct ecomm *rt)
{
	for (size_t i = 0; i < cfg->n_vrfs; i++)
		for (size_t j = 0; j < cfg->vrfs[i].n_targets; j++)
			if ((cfg->vrfs[i].targets[j].type & CONFIG_RT_EXPORT) &&
			    !ecomm_cmp(&cfg->vrfs[i].targets[j].rt, rt))
				return &cfg->vrfs[i];
	return NULL;
}

static bool vrf_imports(const struct config_vrf *v, const struct ecomm *rt)
{
	for (size_t j = 0; j < v->n_targets; j++)
		if ((v->targets[j].type & CONFIG_RT_IMPORT) && !ecomm_cmp(&v->targets[j].rt, rt))
			return true;
	return false;
}

/* Draft s4.1.2: every chain has its own service-topology RT; it is added
 * to zone routes by export policy, never to every route of a VRF (the
 * routes to the service nodes themselves would then be steered through
 * the chain they build). */
static int check_topo_rt(const struct config *cfg, const struct config_topology *t, size_t idx,
			 struct config_errors *errs)
{
	const struct config_vrf *v = rt_exporter(cfg, &t->rt);
	char rt[ECOMM_STRLEN], msg[320];
	int r = 0;

	ecomm_fmt(&t->rt, rt, sizeof(rt));
	if (v) {
		snprintf(msg, sizeof(msg),
			 "route target %s is a zone route target, exported by network-instance "
			 "'%s'; a service-topology route target is attached by export policy "
			 "only (draft section 4.1.2)",
			 rt, v->name);
		r = err_at(errs, msg, P_TOPO "/route-target", t->name);
	}
	for (size_t j = 0; j < idx; j++) {
		if (ecomm_cmp(&cfg->topologies[j].rt, &t->rt))
			continue;
		snprintf(msg, sizeof(msg),
			 "route target %s is also that of service-topology '%s': every service "
			 "topology has its own (draft section 4.1.2)",
			 rt, cfg->topologies[j].name);
		r = err_at(errs, msg, P_TOPO "/route-target", t->name);
	}
	return r;
}

static int check_topo_sequence(const struct config_topology *t, struct config_errors *errs)
{
	uint8_t afi = t->family == CONFIG_AFI_SAFI_IPV6_VPN ? AFI_IPV6 : AFI_IPV4;
	char addr[IPADDR_STRLEN], msg[256];
	int r = 0;

	if (!t->n_sequence)
		return err_at(errs,
			      "service-node-sequence is empty: a service topology lists at least "
			      "one service node (draft section 4.1.2)",
			      P_TOPO "/service-node-sequence", t->name);
	for (size_t i = 0; i < t->n_sequence; i++) {
		if (t->sequence[i].afi == afi)
			continue;
		ipaddr_fmt(&t->sequence[i], addr, sizeof(addr));
		snprintf(msg, sizeof(msg),
			 "%s is not an %s address: every node of an %s topology is reached in "
			 "that family",
			 addr, afi == AFI_IPV4 ? "IPv4" : "IPv6", config_afi_safi_name(t->family));
		r = err_at(errs, msg, P_TOPO "/service-node-sequence[.='%s']", t->name, addr);
	}
	return r;
}

/* Draft s4.1.2: the ingress zone VRFs import the service-topology RT. */
static int check_topo_ingress(const struct config *cfg, const struct config_topology *t,
			      struct config_errors *errs)
{
	char rt[ECOMM_STRLEN], msg[256];
	int r = 0;

	for (size_t i = 0; i < t->n_ingress_vrfs; i++) {
		long v = config_vrf_find(cfg, t->ingress_vrfs[i]);

		if (v < 0 || vrf_imports(&cfg->vrfs[v], &t->rt))
			continue;
		snprintf(msg, sizeof(msg),
			 "network-instance '%s' does not import route target %s: an ingress "
			 "zone VRF imports the service-topology route target (draft section "
			 "4.1.2)",
			 t->ingress_vrfs[i], ecomm_fmt(&t->rt, rt, sizeof(rt)));
		r = err_at(errs, msg, P_TOPO "/ingress-vrf[.='%s']", t->name, t->ingress_vrfs[i]);
	}
	return r;
}

/* The leafrefs of the model already guarantee these; checked again so
 * that a struct built by other means (tests, a future control socket)
 * cannot name a VRF that does not exist. */
static int check_vrf_refs(const struct config *cfg, struct config_errors *errs)
{
	char msg[256];
	int r = 0;

	for (size_t i = 0; i < cfg->n_service_nodes; i++) {
		const struct config_service_node *sn = &cfg->service_nodes[i];
		const char *names[2] = {sn->in_vrf, sn->out_vrf}, *leaf[2] = {"in-vrf", "out-vrf"};

		for (int k = 0; k < 2; k++) {
			if (config_vrf_find(cfg, names[k]) >= 0)
				continue;
			snprintf(msg, sizeof(msg), "%s '%s' is not a configured network-instance",
				 leaf[k], names[k]);
			r = err_at(errs, msg, P_NODE "/%s", sn->name, leaf[k]);
		}
	}
	for (size_t i = 0; i < cfg->n_topologies; i++)
		for (size_t j = 0; j < cfg->topologies[i].n_ingress_vrfs; j++) {
			const char *v = cfg->topologies[i].ingress_vrfs[j];

			if (config_vrf_find(cfg, v) >= 0)
				continue;
			snprintf(msg, sizeof(msg),
				 "ingress-vrf '%s' is not a configured network-instance", v);
			r = err_at(errs, msg, P_TOPO "/ingress-vrf[.='%s']",
				   cfg->topologies[i].name, v);
		}
	return r;
}

int config_svc_check(const struct config *cfg, struct config_errors *errs)
{
	int r = 0;

	if (check_vrf_refs(cfg, errs) < 0)
		r = -1;
	if (check_rds(cfg, errs) < 0)
		r = -1;
	if (check_interfaces(cfg, errs) < 0)
		r = -1;
	if (check_static_routes(cfg, errs) < 0)
		r = -1;
	if (check_nodes(cfg, errs) < 0)
		r = -1;
	for (size_t i = 0; i < cfg->n_topologies; i++) {
		const struct config_topology *t = &cfg->topologies[i];

		if (check_topo_rt(cfg, t, i, errs) < 0)
			r = -1;
		if (check_topo_sequence(t, errs) < 0)
			r = -1;
		if (check_topo_ingress(cfg, t, errs) < 0)
			r = -1;
	}
	return r;
}

void config_svc_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_service_nodes; i++) {
		struct config_service_node *sn = &cfg->service_nodes[i];

		free(sn->name);
		free(sn->description);
		free(sn->interface);
		free(sn->in_vrf);
		free(sn->out_vrf);
	}
	for (size_t i = 0; i < cfg->n_topologies; i++) {
		struct config_topology *t = &cfg->topologies[i];

		for (size_t j = 0; j < t->n_ingress_vrfs; j++)
			free(t->ingress_vrfs[j]);
		free(t->ingress_vrfs);
		free(t->name);
		free(t->description);
		free(t->sequence);
	}
	free(cfg->service_nodes);
	free(cfg->topologies);
}
