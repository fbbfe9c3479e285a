/*
 * vtopod_svc: the service-topology runtime of the daemon (draft sections 2
 * and 4): builds svc's VRFs, attachments, service nodes and topologies
 * from the configuration at start and, on reload, sets or deletes only
 * what changed (svc makes chain changes make-before-break, draft s4.1.3).
 * The FIB goes to vtopo-dp (fib_dp) with --fib-socket, otherwise it is an
 * in-process store only; `show fib` says which.
 *
 * VRFs, attachments and service-node interfaces get ids by name that stay
 * the same across reloads, so an unchanged object is left alone.
 *
 * Attachments also come and go at run time through the control socket
 * (`vtopoctl attach add|del`, draft s2: a VM comes up, its PE exports its
 * host routes with the zone RT; it goes away, they are withdrawn).  They
 * are kept apart from the configuration and merged into every view, so a
 * reload keeps them; one whose VRF a reload removes (or whose name,
 * interface or address the new configuration takes) is withdrawn, stays
 * listed with the reason, and comes back when the conflict goes.
 *
 * Static routes (RFC 8349) are svc statics of their VRF, keyed by VRF and
 * prefix: a reload sets the ones that are new or changed and deletes the
 * ones that went, so only those are advertised or withdrawn.
 *
 * VPN routes and VPN FlowSpec routes come from the RDE's best-path
 * subscription (rde.h, vtopod_feed.h), only those carrying a route target
 * some VRF imports (RFC 4364 s4.3.3); when a reload adds import targets,
 * the RDE reports its best paths again and those carrying an added one go
 * in.  svc's exports become the RDE's locally originated routes.
 *
 * After a restart of vtopod, vtopo-dp still forwards with what the last
 * vtopod programmed.  Its resync (which sweeps whatever is not restated)
 * is held until every enabled neighbor is Established, has sent End-of-RIB
 * for each family and the RDE and svc have digested it (RFC 4724 s4.1:
 * the restarting speaker defers its selection until End-of-RIB from its
 * peers), or VTOPOD_FIB_HOLD_MS at most; meanwhile nothing is swept.
 *
 * Not for: resolution (svc), the BGP side (the RDE).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fib/fib.h"
#include "fib/fib_dp.h"
#include "lib/label.h"
#include "svc/svc.h"
#include "vrf/vrf_label.h"
#include "vtopod/ctl_server.h"
#include "vtopod/vtopod.h"
#include "vtopod/vtopod_feed.h"

#define SVC_WORK_BUDGET 256
#define RT_ATT_MAX 4096 /* attachments added at run time */
#define REASON_MAX 160

/* An attachment added through the control socket. */
struct rt_att {
	struct ctl_attach a;
	bool active;		 /* in the current view */
	char reason[REASON_MAX]; /* why not, when not */
};

/* A name ("vrf", "vrf/attachment", "node:name") and its stable id. */
struct svc_name {
	char *name;
	uint32_t id;
};

/* One configuration as svc sees it. */
struct svc_view {
	struct vrf_config *vrfs;
	size_t n_vrfs;
	struct svc_attach *atts;
	size_t n_atts;
	struct svc_node *nodes;
	size_t n_nodes;
	struct svc_topology *tops;
	size_t n_tops;
	struct svc_static *statics;
	size_t n_statics;
};

struct vtopod_svc {
	struct vtopod *d;
	struct fib *fib;
	struct svc *svc;
	struct svc_name *names;
	size_t n_names;
	uint32_t next_id;
	struct svc_view cur;
	bool exporting;	   /* inside on_export */
	struct fib_dp *dp; /* the FIB backend, or NULL (owned by fib) */
	struct rt_att *rt; /* added at run time, in order */
	size_t n_rt;
	struct json_object *changes; /* run-time attachments the last reload moved */
	bool svc_more;		     /* the last svc_work() left work */
	struct ev_timer t_hold;	     /* polls the end of the FIB hold */
	uint64_t hold_until;	     /* ev_now() bound of the hold */
	struct svc_export *deferred; /* exports held for the resync (on_export) */
	size_t n_deferred;
	struct feed_rts want;	       /* route targets svc's VRFs import (on_best) */
	const struct feed_rts *refeed; /* during a refeed: the ones just added */
};

static uint32_t name_id(struct vtopod_svc *s, const char *kind, const char *a, const char *b)
{
	char key[256];
	struct svc_name *n;

	snprintf(key, sizeof(key), "%s:%s/%s", kind, a, b ? b : "");
	for (size_t i = 0; i < s->n_names; i++)
		if (strcmp(s->names[i].name, key) == 0)
			return s->names[i].id;
	n = realloc(s->names, (s->n_names + 1) * sizeof(*n));
	if (!n)
		return 0;
	s->names = n;
	n[s->n_names].name = strdup(key);
	if (!n[s->n_names].name)
		return 0;
	n[s->n_names].id = ++s->next_id;
	return n[s->n_names++].id;
}

/* Forget a name whose object is gone for good (a run-time attachment):
 * ids are never reused, so a later one of the same name is new to svc. */
static void name_drop(struct vtopod_svc *s, const char *kind, const char *a, const char *b)
{
	char key[256];

	snprintf(key, sizeof(key), "%s:%s/%s", kind, a, b ? b : "");
	for (size_t i = 0; i < s->n_names; i++)
		if (strcmp(s->names[i].name, key) == 0) {
			free(s->names[i].name);
			s->names[i] = s->names[--s->n_names];
			return;
		}
}

static void view_free(struct svc_view *v)
{
	free(v->vrfs);
	free(v->atts);
	free(v->nodes);
	free(v->tops);
	free(v->statics);
	memset(v, 0, sizeof(*v));
}

static void rt_add(struct ecomm *set, uint8_t *n, const struct ecomm *rt)
{
	for (uint8_t i = 0; i < *n; i++)
		if (ecomm_cmp(&set[i], rt) == 0)
			return;
	if (*n < VRF_RT_MAX)
		set[(*n)++] = *rt;
}

/* One export-policy statement as svc evaluates it per route (vrf_policy.h;
 * draft s4.1.2 RTs, s5.3 LOCAL_PREF / MED).  A rejecting statement adds
 * nothing (yang: it cannot modify the route); the routes it matches are
 * not advertised. */
static void view_stmt(const struct config_policy_stmt *p, struct vrf_policy_stmt *st)
{
	memset(st, 0, sizeof(*st));
	st->afi = p->afi;
	st->match_prefix = p->match_prefix;
	if (p->match_prefix) {
		st->prefix = p->prefix;
		st->len_min = p->len_min;
		st->len_max = p->len_max;
	}
	if (p->attachment)
		snprintf(st->attachment, sizeof(st->attachment), "%s", p->attachment);
	for (size_t j = 0; !p->reject && j < p->n_add_rts && st->n_rts < VRF_POLICY_RT_MAX; j++)
		st->rts[st->n_rts++] = p->add_rts[j];
	st->set_local_pref = !p->reject && p->set_local_pref;
	st->local_pref = st->set_local_pref ? p->local_pref : 0;
	st->set_med = !p->reject && p->set_med;
	st->med = st->set_med ? p->med : 0;
	st->reject = p->reject;
}

/* RFC 4364 s4.3.1 import/export targets, the export policy's statements
 * (draft s4.1.2: egress zones attach service-topology RTs by policy,
 * evaluated for each exported route by svc), and the service-topology RT
 * for ingress VRFs (yang ingress-vrf: "Each imports the service-topology
 * RT"). */
static void view_vrf(struct vtopod_svc *s, const struct config *cfg, const struct config_vrf *cv,
		     struct vrf_config *v)
{
	memset(v, 0, sizeof(*v));
	v->id = name_id(s, "vrf", cv->name, NULL);
	snprintf(v->name, sizeof(v->name), "%s", cv->name);
	v->rd = cv->rd;
	v->label_mode = cv->label_mode == CONFIG_LABEL_PER_PREFIX    ? VRF_LABEL_PER_PREFIX
			: cv->label_mode == CONFIG_LABEL_PER_NEXTHOP ? VRF_LABEL_PER_NEXTHOP
								     : VRF_LABEL_PER_VRF;
	for (size_t i = 0; i < cv->n_targets; i++) {
		if (cv->targets[i].type & CONFIG_RT_IMPORT)
			rt_add(v->import_rt, &v->n_import, &cv->targets[i].rt);
		if (cv->targets[i].type & CONFIG_RT_EXPORT)
			rt_add(v->export_rt, &v->n_export, &cv->targets[i].rt);
	}
	for (size_t i = 0; i < cv->n_export_policy && v->n_policy < VRF_POLICY_MAX; i++)
		view_stmt(&cv->export_policy[i], &v->policy[v->n_policy++]);
	for (size_t t = 0; t < cfg->n_topologies; t++)
		for (size_t i = 0; i < cfg->topologies[t].n_ingress_vrfs; i++)
			if (strcmp(cfg->topologies[t].ingress_vrfs[i], cv->name) == 0)
				rt_add(v->import_rt, &v->n_import, &cfg->topologies[t].rt);
}

/* An attachment (draft s2): its addresses as host routes, and its name,
 * which export-policy attachment conditions match (per-VM topologies,
 * s4.2). */
static void view_att(struct vtopod_svc *s, const struct config_vrf *cv,
		     const struct config_attachment *ca, vrf_id vrf, struct svc_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->ifc = name_id(s, "att", cv->name, ca->name);
	snprintf(a->name, sizeof(a->name), "%s", ca->interface ? ca->interface : ca->name);
	snprintf(a->att, sizeof(a->att), "%s", ca->name);
	a->vrf = vrf;
	for (size_t i = 0; i < ca->n_addresses && a->n_host < SVC_HOST_MAX; i++)
		a->host[a->n_host++] = ca->addresses[i].ip;
}

/* A service node's IPv4 and IPv6 addresses are two entries of the model
 * on one interface (fig1 configs): one svc node per interface. */
static void view_node(struct vtopod_svc *s, const struct config *cfg,
		      const struct config_service_node *cn, struct svc_view *v)
{
	long in = config_vrf_find(cfg, cn->in_vrf), out = config_vrf_find(cfg, cn->out_vrf);
	fib_if_id ifc = name_id(s, "node", cn->interface ? cn->interface : cn->name, NULL);
	struct svc_node *n = NULL;

	for (size_t i = 0; i < v->n_nodes && !n; i++)
		if (v->nodes[i].ifc == ifc)
			n = &v->nodes[i];
	if (!n) {
		n = &v->nodes[v->n_nodes++];
		memset(n, 0, sizeof(*n));
	}
	n->ifc = ifc;
	snprintf(n->name, sizeof(n->name), "%s", cn->interface ? cn->interface : cn->name);
	n->in_vrf = in < 0 ? 0 : name_id(s, "vrf", cn->in_vrf, NULL);
	n->out_vrf = out < 0 ? 0 : name_id(s, "vrf", cn->out_vrf, NULL);
	if (cn->address.afi == AFI_IPV4)
		n->ip4 = cn->address;
	else
		n->ip6 = cn->address;
	n->aggregate_label = cn->label_mode == CONFIG_SVC_LABEL_AGGREGATE;
}

/* draft s4.1.2: {name, RT, sequence}; yang: the highest preference steers,
 * svc: the lowest priority wins. */
static void view_top(const struct config_topology *ct, struct svc_topology *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", ct->name);
	t->rt = ct->rt;
	t->priority = UINT16_MAX - ct->preference;
	t->hash = ct->hash_mode == CONFIG_HASH_SYMMETRIC ? FIB_HASH_SYMMETRIC : FIB_HASH_5TUPLE;
	for (size_t i = 0; i < ct->n_sequence && t->n_hops < SVC_HOPS_MAX; i++) {
		if (ct->sequence[i].afi == AFI_IPV4)
			t->hops[t->n_hops++].ip4 = ct->sequence[i];
		else
			t->hops[t->n_hops++].ip6 = ct->sequence[i];
	}
}

/* A static route (RFC 8349): an outgoing-interface is an attachment of
 * the VRF or a service node whose in-VRF it is (config_svc.c checked
 * that it is one of them), named by the ids view_att / view_node give. */
static void view_static(struct vtopod_svc *s, const struct config *cfg,
			const struct config_vrf *cv, const struct config_static_route *cs,
			vrf_id vrf, struct svc_static *st)
{
	memset(st, 0, sizeof(*st));
	st->vrf = vrf;
	st->prefix = cs->prefix;
	switch (cs->kind) {
	case CONFIG_NH_ADDRESS:
		st->kind = SVC_STATIC_ADDRESS;
		st->nexthop = cs->next_hop;
		break;
	case CONFIG_NH_BLACKHOLE:
		st->kind = SVC_STATIC_BLACKHOLE;
		break;
	case CONFIG_NH_INTERFACE:
		st->kind = SVC_STATIC_INTERFACE;
		snprintf(st->ifname, sizeof(st->ifname), "%s", cs->interface);
		for (size_t i = 0; i < cv->n_attachments && st->ifc == 0; i++) {
			const struct config_attachment *ca = &cv->attachments[i];

			if (strcmp(ca->interface ? ca->interface : ca->name, cs->interface) == 0)
				st->ifc = name_id(s, "att", cv->name, ca->name);
		}
		for (size_t i = 0; i < cfg->n_service_nodes && st->ifc == 0; i++) {
			const struct config_service_node *cn = &cfg->service_nodes[i];
			const char *ifn = cn->interface ? cn->interface : cn->name;

			if (strcmp(ifn, cs->interface) == 0 && strcmp(cn->in_vrf, cv->name) == 0)
				st->ifc = name_id(s, "node", ifn, NULL);
		}
		break;
	}
}

/* ---- attachments added at run time ---- */

static const char *att_ifname(const struct config_attachment *ca)
{
	return ca->interface ? ca->interface : ca->name;
}

static bool addr_in(const struct ipaddr *a, const struct ipaddr *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ipaddr_cmp(a, &set[i]) == 0)
			return true;
	return false;
}

/* What in cfg keeps a from being up: its VRF is missing, or a configured
 * attachment or service node has its name, interface or (same VRF) one of
 * its addresses (yang: "An interface is in one VRF only").  false when
 * nothing does. */
static bool cfg_conflict(const struct config *cfg, const struct ctl_attach *a, char *why,
			 size_t len)
{
	char ip[IPADDR_STRLEN];

	if (config_vrf_find(cfg, a->vrf) < 0) {
		snprintf(why, len, "unknown network-instance '%s'", a->vrf);
		return true;
	}
	for (size_t i = 0; i < cfg->n_vrfs; i++) {
		const struct config_vrf *cv = &cfg->vrfs[i];

		for (size_t j = 0; j < cv->n_attachments; j++) {
			const struct config_attachment *ca = &cv->attachments[j];

			if (strcmp(ca->name, a->name) == 0) {
				snprintf(why, len,
					 "attachment '%s' exists in the configuration "
					 "(network-instance '%s')",
					 a->name, cv->name);
				return true;
			}
			if (strcmp(att_ifname(ca), a->ifname) == 0) {
				snprintf(why, len, "interface '%s' is configured attachment '%s''s",
					 a->ifname, ca->name);
				return true;
			}
			if (strcmp(cv->name, a->vrf) != 0)
				continue;
			for (size_t k = 0; k < ca->n_addresses; k++)
				if (addr_in(&ca->addresses[k].ip, a->addr, a->n_addr)) {
					snprintf(why, len,
						 "address %s is configured attachment '%s''s in "
						 "network-instance '%s'",
						 ipaddr_fmt(&ca->addresses[k].ip, ip, sizeof(ip)),
						 ca->name, cv->name);
					return true;
				}
		}
	}
	for (size_t i = 0; i < cfg->n_service_nodes; i++) {
		const struct config_service_node *cn = &cfg->service_nodes[i];
		const char *ifn = cn->interface ? cn->interface : cn->name;

		if (strcmp(ifn, a->ifname) == 0) {
			snprintf(why, len, "interface '%s' is service node '%s''s", a->ifname,
				 cn->name);
			return true;
		}
	}
	return false;
}

static void view_rt_att(struct vtopod_svc *s, const struct rt_att *r, struct svc_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->ifc = name_id(s, "rtatt", r->a.name, NULL);
	snprintf(a->name, sizeof(a->name), "%s", r->a.ifname);
	snprintf(a->att, sizeof(a->att), "%s", r->a.name); /* policy matches it (s4.2) */
	a->vrf = name_id(s, "vrf", r->a.vrf, NULL);
	for (size_t i = 0; i < r->a.n_addr && a->n_host < SVC_HOST_MAX; i++)
		a->host[a->n_host++] = r->a.addr[i];
}

static int view_build(struct vtopod_svc *s, const struct config *cfg, struct svc_view *v)
{
	size_t n_atts = s->n_rt, n_statics = 0;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < cfg->n_vrfs; i++) {
		n_atts += cfg->vrfs[i].n_attachments;
		n_statics += cfg->vrfs[i].n_static_routes;
	}
	v->vrfs = calloc(cfg->n_vrfs + 1, sizeof(*v->vrfs));
	v->atts = calloc(n_atts + 1, sizeof(*v->atts));
	v->nodes = calloc(cfg->n_service_nodes + 1, sizeof(*v->nodes));
	v->tops = calloc(cfg->n_topologies + 1, sizeof(*v->tops));
	v->statics = calloc(n_statics + 1, sizeof(*v->statics));
	if (!v->vrfs || !v->atts || !v->nodes || !v->tops || !v->statics) {
		view_free(v);
		return -1;
	}
	for (size_t i = 0; i < cfg->n_vrfs; i++) {
		const struct config_vrf *cv = &cfg->vrfs[i];

		view_vrf(s, cfg, cv, &v->vrfs[v->n_vrfs]);
		for (size_t j = 0; j < cv->n_attachments; j++)
			view_att(s, cv, &cv->attachments[j], v->vrfs[v->n_vrfs].id,
				 &v->atts[v->n_atts++]);
		for (size_t j = 0; j < cv->n_static_routes; j++)
			view_static(s, cfg, cv, &cv->static_routes[j], v->vrfs[v->n_vrfs].id,
				    &v->statics[v->n_statics++]);
		v->n_vrfs++;
	}
	for (size_t i = 0; i < s->n_rt; i++) {
		struct rt_att *r = &s->rt[i];

		r->active = !cfg_conflict(cfg, &r->a, r->reason, sizeof(r->reason));
		if (r->active) {
			r->reason[0] = '\0';
			view_rt_att(s, r, &v->atts[v->n_atts++]);
		}
	}
	for (size_t i = 0; i < cfg->n_service_nodes; i++)
		view_node(s, cfg, &cfg->service_nodes[i], v);
	for (size_t i = 0; i < cfg->n_topologies; i++)
		view_top(&cfg->topologies[i], &v->tops[v->n_tops++]);
	return 0;
}

/* ---- labels kept across a restart (docs/fib-protocol.md "Restarts") ---- */

static int64_t jint(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* The entry of array `key` of the dump whose "id" is id. */
static struct json_object *jfind(struct json_object *dump, const char *key, int64_t id)
{
	struct json_object *a;

	if (!json_object_object_get_ex(dump, key, &a) || !json_object_is_type(a, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		if (jint(e, "id") == id)
			return e;
	}
	return NULL;
}

/* The action of the next hop vtopo-dp's label leads to, in this
 * configuration's ids (VRF and interface names are what both processes
 * share; ids are per process).  False when this configuration has no such
 * action: the label is then kept from fresh use and freed at the sweep. */
static bool held_action(const struct svc_view *v, struct json_object *dump, int64_t nh_id,
			struct vrf_label_owner *o)
{
	struct json_object *nh = jfind(dump, "nexthops", nh_id);
	const char *type = nh ? jstr(nh, "type") : NULL, *name, *gw;

	memset(o, 0, sizeof(*o));
	o->mode = VRF_LABEL_PER_NEXTHOP;
	if (type && strcmp(type, "drop") == 0) {
		o->ifc = VRF_IFC_BLACKHOLE;
		return true;
	}
	if (type && strcmp(type, "lookup") == 0) {
		name = jstr(jfind(dump, "vrfs", jint(nh, "vrf")), "name");
		for (size_t i = 0; name && i < v->n_vrfs; i++)
			if (strcmp(v->vrfs[i].name, name) == 0) {
				o->mode = VRF_LABEL_PER_VRF;
				o->vrf = v->vrfs[i].id;
				return true;
			}
		return false;
	}
	if (!type || strcmp(type, "local") != 0)
		return false;
	name = jstr(jfind(dump, "interfaces", jint(nh, "interface")), "name");
	gw = jstr(nh, "gateway");
	if (!name || (gw && ipaddr_parse(gw, &o->gw) != 0))
		return false;
	for (size_t i = 0; i < v->n_atts; i++)
		if (strcmp(v->atts[i].name, name) == 0)
			o->ifc = v->atts[i].ifc;
	for (size_t i = 0; i < v->n_nodes; i++)
		if (strcmp(v->nodes[i].name, name) == 0)
			o->ifc = v->nodes[i].ifc;
	return o->ifc != 0;
}

/* Before the first label is allocated: every label vtopo-dp holds becomes a
 * preferred binding for its action (vrf_label.h), so the label of each
 * forwarding action that survives the restart is the one vtopo-dp and the
 * peers already use (RFC 4724 s4.1 with the forwarding state preserved;
 * RFC 4781 s3).  A label whose action this configuration lacks is still
 * reserved: a fresh label is never one vtopo-dp forwards elsewhere. */
static void labels_recover(struct vtopod_svc *s, const struct svc_view *v, struct json_object *dump)
{
	struct vrf_labels *labels = svc_labels(s->svc);
	size_t kept = 0, other = 0;
	struct json_object *a;

	if (!dump || !json_object_object_get_ex(dump, "labels", &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int64_t label = jint(e, "label");
		struct vrf_label_owner o;
		bool known = held_action(v, dump, jint(e, "nh"), &o);

		if (!known) { /* matches no owner: vrf 0 is no VRF */
			memset(&o, 0, sizeof(o));
			o.mode = VRF_LABEL_PER_VRF;
		}
		if (label < 0 || label > MPLS_LABEL_MAX ||
		    vrf_label_prefer(labels, (uint32_t)label, &o) != 0)
			continue;
		known ? kept++ : other++;
	}
	log_notice(&s->d->log,
		   "FIB: vtopo-dp holds %zu labels: %zu kept for their actions, %zu for actions "
		   "gone (freed at the resync)",
		   kept + other, kept, other);
}

/* vtopo-dp's state (SHOW), when it holds some (generation != 0). */
static struct json_object *dp_dump(struct vtopod_svc *s)
{
	char *text = fib_dp_fetch_show(s->d->fib_socket, "labels");
	struct json_object *dump = text ? json_tokener_parse(text) : NULL;

	free(text);
	if (dump && jint(dump, "generation") <= 0) {
		json_object_put(dump);
		dump = NULL;
	}
	return dump;
}

static void name_put(struct vtopod_svc *s, const char *key, int64_t id)
{
	struct svc_name *n;

	if (id <= 0 || id > UINT32_MAX)
		return;
	for (size_t i = 0; i < s->n_names; i++)
		if (strcmp(s->names[i].name, key) == 0 || s->names[i].id == id)
			return;
	if ((n = realloc(s->names, (s->n_names + 1) * sizeof(*n))) == NULL)
		return;
	s->names = n;
	if ((n[s->n_names].name = strdup(key)) == NULL)
		return;
	n[s->n_names++].id = (uint32_t)id;
	if (id > s->next_id)
		s->next_id = (uint32_t)id;
}

/* Before the first name_id(): the VRFs and interfaces vtopo-dp holds keep
 * their ids, so the resync restates them instead of replacing them (an
 * interface under a new id is a new socket whose ARP and ND caches start
 * empty: packets wait for resolution, and are lost beyond the few kept). */
static void ids_recover(struct vtopod_svc *s, const struct config *cfg, struct json_object *dump)
{
	struct json_object *a;
	char key[256];

	if (dump && json_object_object_get_ex(dump, "vrfs", &a) &&
	    json_object_is_type(a, json_type_array))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			struct json_object *e = json_object_array_get_idx(a, i);
			const char *name = jstr(e, "name");
			if (name && config_vrf_find(cfg, name) >= 0) {
				snprintf(key, sizeof(key), "vrf:%s/", name);
				name_put(s, key, jint(e, "id"));
			}
		}
	if (!dump || !json_object_object_get_ex(dump, "interfaces", &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		const char *name = jstr(e, "name"), *role = jstr(e, "role");

		if (!name || !role)
			continue;
		if (strcmp(role, "service") == 0) {
			for (size_t k = 0; k < cfg->n_service_nodes; k++) {
				const struct config_service_node *cn = &cfg->service_nodes[k];
				if (strcmp(cn->interface ? cn->interface : cn->name, name) == 0) {
					snprintf(key, sizeof(key), "node:%s/", name);
					name_put(s, key, jint(e, "id"));
				}
			}
			continue;
		}
		for (size_t v = 0; v < cfg->n_vrfs; v++)
			for (size_t k = 0; k < cfg->vrfs[v].n_attachments; k++) {
				const struct config_attachment *ca = &cfg->vrfs[v].attachments[k];
				if (strcmp(att_ifname(ca), name) == 0) {
					snprintf(key, sizeof(key), "att:%s/%s", cfg->vrfs[v].name,
						 ca->name);
					name_put(s, key, jint(e, "id"));
				}
			}
	}
}

/* Labels vtopo-dp held that no action claimed go with the resync's sweep;
 * exports held for the resync go out once it is committed. */
static void labels_sweep(struct vtopod_svc *s)
{
	size_t n = vrf_labels_release_unclaimed(svc_labels(s->svc));

	if (n > 0)
		log_info(&s->d->log, "FIB: %zu labels of vtopo-dp not claimed, released", n);
}

static void on_export(void *ctx, const struct svc_export *e);

static void exports_flush(struct vtopod_svc *s)
{
	struct svc_export *q = s->deferred;
	size_t n = s->n_deferred;

	s->deferred = NULL;
	s->n_deferred = 0;
	for (size_t i = 0; i < n; i++)
		on_export(s, &q[i]);
	free(q);
}

/* ---- the difference: set what is new or changed, delete what went ---- */

static const struct vrf_config *find_vrf(const struct svc_view *v, vrf_id id)
{
	for (size_t i = 0; i < v->n_vrfs; i++)
		if (v->vrfs[i].id == id)
			return &v->vrfs[i];
	return NULL;
}

static const struct svc_attach *find_att(const struct svc_view *v, fib_if_id ifc)
{
	for (size_t i = 0; i < v->n_atts; i++)
		if (v->atts[i].ifc == ifc)
			return &v->atts[i];
	return NULL;
}

static const struct svc_node *find_node(const struct svc_view *v, fib_if_id ifc)
{
	for (size_t i = 0; i < v->n_nodes; i++)
		if (v->nodes[i].ifc == ifc)
			return &v->nodes[i];
	return NULL;
}

static const struct svc_topology *find_top(const struct svc_view *v, const char *name)
{
	for (size_t i = 0; i < v->n_tops; i++)
		if (strcmp(v->tops[i].name, name) == 0)
			return &v->tops[i];
	return NULL;
}

static const struct svc_static *find_static(const struct svc_view *v, const struct svc_static *k)
{
	for (size_t i = 0; i < v->n_statics; i++)
		if (v->statics[i].vrf == k->vrf && prefix_cmp(&v->statics[i].prefix, &k->prefix) == 0)
			return &v->statics[i];
	return NULL;
}

static void failed(struct vtopod_svc *s, const char *what, const char *name)
{
	log_warnx(&s->d->log, "service topologies: cannot apply %s %s", what, name);
}

/* Order: VRFs first (everything refers to them), then what goes, then
 * what comes; VRFs that went last. */
static void view_apply(struct vtopod_svc *s, const struct svc_view *o, const struct svc_view *n)
{
	for (size_t i = 0; i < n->n_vrfs; i++) {
		const struct vrf_config *p = find_vrf(o, n->vrfs[i].id);

		if ((!p || memcmp(p, &n->vrfs[i], sizeof(*p)) != 0) &&
		    svc_vrf_set(s->svc, &n->vrfs[i]) != 0)
			failed(s, "network-instance", n->vrfs[i].name);
	}
	for (size_t i = 0; i < o->n_statics; i++)
		if (!find_static(n, &o->statics[i]))
			(void)svc_static_del(s->svc, o->statics[i].vrf, &o->statics[i].prefix);
	for (size_t i = 0; i < o->n_tops; i++)
		if (!find_top(n, o->tops[i].name))
			(void)svc_topology_del(s->svc, o->tops[i].name);
	for (size_t i = 0; i < o->n_nodes; i++)
		if (!find_node(n, o->nodes[i].ifc))
			(void)svc_node_del(s->svc, o->nodes[i].ifc);
	for (size_t i = 0; i < o->n_atts; i++)
		if (!find_att(n, o->atts[i].ifc))
			(void)svc_attach_del(s->svc, o->atts[i].ifc);
	for (size_t i = 0; i < n->n_atts; i++) {
		const struct svc_attach *p = find_att(o, n->atts[i].ifc);

		if ((!p || memcmp(p, &n->atts[i], sizeof(*p)) != 0) &&
		    svc_attach_set(s->svc, &n->atts[i]) != 0)
			failed(s, "attachment", n->atts[i].name);
	}
	for (size_t i = 0; i < n->n_nodes; i++) {
		const struct svc_node *p = find_node(o, n->nodes[i].ifc);

		if ((!p || memcmp(p, &n->nodes[i], sizeof(*p)) != 0) &&
		    svc_node_set(s->svc, &n->nodes[i]) != 0)
			failed(s, "service-node", n->nodes[i].name);
	}
	for (size_t i = 0; i < n->n_tops; i++) {
		const struct svc_topology *p = find_top(o, n->tops[i].name);

		if ((!p || memcmp(p, &n->tops[i], sizeof(*p)) != 0) &&
		    svc_topology_set(s->svc, &n->tops[i]) != 0)
			failed(s, "service-topology", n->tops[i].name);
	}
	for (size_t i = 0; i < n->n_statics; i++) {
		const struct svc_static *p = find_static(o, &n->statics[i]);
		char pfx[PREFIX_STRLEN];

		if ((!p || memcmp(p, &n->statics[i], sizeof(*p)) != 0) &&
		    svc_static_set(s->svc, &n->statics[i]) != 0)
			failed(s, "static route",
			       prefix_fmt(&n->statics[i].prefix, pfx, sizeof(pfx)));
	}
	for (size_t i = 0; i < o->n_vrfs; i++)
		if (!find_vrf(n, o->vrfs[i].id))
			(void)svc_vrf_del(s->svc, o->vrfs[i].id);
	if (svc_commit(s->svc) != 0 && !(s->dp && fib_dp_held(s->dp)))
		log_warnx(&s->d->log, "service topologies: FIB commit failed");
}

/* Rebuild the view from cfg and the run-time attachments; apply the
 * difference. */
static int rebuild(struct vtopod_svc *s, const struct config *cfg)
{
	struct svc_view v;

	if (view_build(s, cfg, &v) != 0)
		return -1;
	if (svc_pe_set(s->svc, cfg->pe_addresses, cfg->n_pe_addresses) != 0)
		failed(s, "underlay", "pe-address");
	view_apply(s, &s->cur, &v);
	view_free(&s->cur);
	s->cur = v;
	return 0;
}

/* The route targets svc's VRFs import now (svc_import_rts: configured
 * import targets and the service-topology RTs of ingress VRFs) become
 * on_best's filter.  With refeed, the RDE's best paths carrying a target
 * new to the filter are fed again: routes passed over while no VRF
 * imported them.  When a target went, svc forgets the routes no VRF
 * imports any more. */
static void want_update(struct vtopod_svc *s, bool refeed)
{
	size_t cap = 64, n;
	struct ecomm *rts = NULL;
	struct feed_rts added = {0};
	size_t removed;

	for (;;) {
		struct ecomm *m = realloc(rts, cap * sizeof(*rts));

		if (m == NULL)
			goto nomem;
		rts = m;
		n = svc_import_rts(s->svc, rts, cap);
		if (n < cap)
			break;
		cap *= 2;
	}
	if (feed_rts_set(&s->want, rts, n, refeed ? &added : NULL, &removed) != 0)
		goto nomem;
	free(rts);
	if (removed > 0) { /* what only the targets that went brought in */
		long k = svc_vpn_prune(s->svc);

		if (k > 0)
			log_info(&s->d->log,
				 "service topologies: %ld VPN route(s) no VRF imports any more "
				 "forgotten",
				 k);
	}
	if (added.n > 0) {
		size_t k;

		s->refeed = &added;
		k = rde_best_refeed(s->d->rde);
		s->refeed = NULL;
		log_info(&s->d->log,
			 "service topologies: %zu new import route target(s), %zu best paths "
			 "looked at again",
			 added.n, k);
	}
	feed_rts_free(&added);
	return;
nomem:
	free(rts);
	/* keep the old filter: routes of new targets wait for their next update */
	log_warnx(&s->d->log, "service topologies: import filter not updated: out of memory");
}

static void on_config(struct vtopod *d, const struct config *old_cfg, const struct config *new_cfg,
		      void *arg)
{
	struct vtopod_svc *s = arg;
	bool *was = calloc(s->n_rt + 1, sizeof(*was));

	(void)d;
	(void)old_cfg; /* s->cur is what svc holds */
	for (size_t i = 0; was && i < s->n_rt; i++)
		was[i] = s->rt[i].active;
	if (!was || rebuild(s, new_cfg) != 0) {
		log_warnx(&s->d->log, "service topologies: out of memory, reload not applied");
		free(was);
		return;
	}
	/* what the reload did to run-time attachments: said in the log and
	 * in the reload's answer */
	json_object_put(s->changes);
	s->changes = json_object_new_array();
	for (size_t i = 0; i < s->n_rt; i++) {
		const struct rt_att *r = &s->rt[i];
		struct json_object *c;

		if (was[i] == r->active)
			continue;
		if (r->active)
			log_notice(&s->d->log, "attachment %s is up again in network-instance %s",
				   r->a.name, r->a.vrf);
		else
			log_warnx(&s->d->log, "attachment %s withdrawn: %s", r->a.name, r->reason);
		c = json_object_new_object();
		json_object_object_add(c, "name", json_object_new_string(r->a.name));
		json_object_object_add(c, "state",
				       json_object_new_string(r->active ? "active" : "withdrawn"));
		if (!r->active)
			json_object_object_add(c, "reason", json_object_new_string(r->reason));
		json_object_array_add(s->changes, c);
	}
	free(was);
	want_update(s, true);
}

/* The VPN routes this PE advertises (attachment host routes, service-node
 * routes, draft s2 and s4.1.1) become locally originated routes of the RDE,
 * so they go to the peers (the route reflector). */
static void on_export(void *ctx, const struct svc_export *e)
{
	struct vtopod_svc *s = ctx;
	enum bgp_fam fam = e->prefix.afi == AFI_IPV6 ? BGP_FAM_VPNV6 : BGP_FAM_VPNV4;
	struct rde_local_vpn r;
	char p[PREFIX_STRLEN];
	bool queued = false;

	/* Never advertise a label before vtopo-dp has its action.  While the
	 * resync is held (a restart, RFC 4724 s4.1), a label recovered from
	 * vtopo-dp (labels_recover) already has it: such routes go out at
	 * once, so the peers keep forwarding on the labels they had.  Holding
	 * every local route until the first resync commit would also keep
	 * that rule, but delays all of them by the whole End-of-RIB wait for
	 * nothing.  A fresh label has no action in vtopo-dp until the resync,
	 * so its route waits for it (exports_flush), as does everything said
	 * later about the same prefix, to keep the order. */
	for (size_t i = 0; i < s->n_deferred; i++)
		if (rd_cmp(&s->deferred[i].rd, &e->rd) == 0 &&
		    prefix_cmp(&s->deferred[i].prefix, &e->prefix) == 0)
			queued = true;
	if (s->dp && fib_dp_held(s->dp) &&
	    (queued || (!e->withdraw && !vrf_label_recovered(svc_labels(s->svc), e->label)))) {
		struct svc_export *q = realloc(s->deferred, (s->n_deferred + 1) * sizeof(*q));

		if (q) {
			s->deferred = q;
			q[s->n_deferred++] = *e;
			return;
		}
	}

	log_debug(&s->d->log, "service topologies: %s %s label %u",
		  e->withdraw ? "withdraw" : "export", prefix_fmt(&e->prefix, p, sizeof(p)),
		  e->label);
	s->exporting = true; /* the RDE reports our own net back: not svc's input */
	if (e->withdraw) {
		rde_local_vpn_withdraw(s->d->rde, fam, &e->rd, &e->prefix);
	} else {
		memset(&r, 0, sizeof(r));
		r.fam = fam;
		r.rd = e->rd;
		r.prefix = e->prefix;
		r.label = e->label;
		r.ecomms = e->rts;
		r.n_ecomms = e->n_rts;
		/* export policy: LOCAL_PREF / MED (draft s5.3 active/standby) */
		r.set_local_pref = e->attrs.set_local_pref;
		r.local_pref = e->attrs.local_pref;
		r.set_med = e->attrs.set_med;
		r.med = e->attrs.med;
		if (rde_local_vpn_update(s->d->rde, &r) != 0)
			log_warnx(&s->d->log, "service topologies: cannot originate %s", p);
	}
	s->exporting = false;
}

/* The RDE's Loc-RIB best-path changes (rde.h) into the VRFs: VPN routes
 * and VPN FlowSpec routes (vtopod_feed.h). */
static void on_best(void *ctx, const struct rde_best *b)
{
	struct vtopod_svc *s = ctx;
	char err[128], rd[RD_STRLEN];

	if (s->exporting)
		return;
	if (vtopod_feed_wanted(s->svc, &s->want, s->refeed, b, err, sizeof(err)) != 0)
		log_warnx(&s->d->log, "service topologies: %s %s: %s", bgp_fam_table[b->fam].name,
			  rd_fmt(&b->rd, rd, sizeof(rd)), err);
}

/* vtopo-dp asks for the whole state again */
static void on_resync(void *arg)
{
	struct vtopod_svc *s = arg;

	if (fib_resync(s->fib) != 0)
		log_warnx(&s->d->log, "service topologies: FIB resync failed");
}

/* Every enabled neighbor Established with its End-of-RIB in, nothing
 * left to digest (RFC 4724 s4.1). */
static bool converged(struct vtopod_svc *s)
{
	struct vtopod *d = s->d;

	if (d->rde_more || s->svc_more || fib_queued(s->fib) > 0)
		return false;
	for (size_t i = 0; i < d->n_peers; i++) {
		const struct peer *p = d->peers[i];

		if (p->admin_down)
			continue;
		if (p->state != FSM_ESTABLISHED || !rde_peer_eor_all(d->rde, p->id))
			return false;
	}
	return true;
}

static void on_hold(struct ev_loop *loop, void *arg)
{
	struct vtopod_svc *s = arg;
	bool late = ev_now(loop) >= s->hold_until;

	if (!fib_dp_held(s->dp)) { /* vtopo-dp had nothing to keep */
		ev_timer_stop(loop, &s->t_hold);
		labels_sweep(s);
		exports_flush(s);
		return;
	}
	if (!late && !converged(s))
		return;
	ev_timer_stop(loop, &s->t_hold);
	if (late)
		log_warnx(&s->d->log,
			  "FIB: End-of-RIB not in from every neighbor after %us, "
			  "resyncing vtopo-dp with what is known",
			  VTOPOD_FIB_HOLD_MS / 1000);
	else
		log_notice(&s->d->log,
			   "FIB: every neighbor up with End-of-RIB, resyncing vtopo-dp");
	labels_sweep(s); /* before the resync: what it does not restate goes */
	fib_dp_release(s->dp);
	exports_flush(s);
}

bool vtopod_svc_fwd_kept(struct vtopod *d, bool *restarting)
{
	struct vtopod_svc *s = d->svc;

	*restarting = false;
	if (!s || !s->dp || !fib_dp_has_state(s->dp))
		return false;
	*restarting = fib_dp_held(s->dp);
	return true;
}

int vtopod_svc_start(struct vtopod *d)
{
	struct vtopod_svc *s = calloc(1, sizeof(*s));
	struct svc_config c = {0};
	struct svc_view none = {0}, v;
	struct json_object *dump = NULL;

	if (!s)
		return -1;
	s->d = d;
	ipaddr_from_v4(&c.local4, d->cfg->router_id);
	c.label_first = d->cfg->label_first;
	c.label_last = d->cfg->label_last;
	if (d->fib_ops) {
		s->fib = fib_new(d->fib_ops, d->fib_ctx);
	} else if (d->fib_socket) { /* vtopo-dp (docs/fib-protocol.md) */
		s->dp = fib_dp_new(d->loop, d->fib_socket, on_resync, s);
		s->fib = s->dp ? fib_new(&fib_dp_ops, s->dp) : NULL;
		/* vtopo-dp holds nothing of this process's yet and refuses a
		 * plain batch until it has had the whole state: the first
		 * commit is that (it was refused and logged as a failed
		 * commit at every start) */
		if (s->fib)
			fib_resync_pending(s->fib);
		if (s->dp) { /* released at once if vtopo-dp has no state */
			fib_dp_hold(s->dp);
			s->hold_until = ev_now(d->loop) + VTOPOD_FIB_HOLD_MS;
			ev_timer_init(&s->t_hold, on_hold, s);
			ev_timer_start(d->loop, &s->t_hold, 50, 50);
		}
	} else {
		s->fib = fib_new(NULL, NULL); /* in-process store only */
	}
	s->svc = s->fib ? svc_new(&c, s->fib, on_export, s) : NULL;
	d->svc = s;
	if (s->dp) /* what vtopo-dp holds from the last vtopod ("Restarts") */
		dump = dp_dump(s);
	ids_recover(s, d->cfg, dump);
	if (!s->svc || view_build(s, d->cfg, &v) != 0) {
		json_object_put(dump);
		return -1;
	}
	if (svc_pe_set(s->svc, d->cfg->pe_addresses, d->cfg->n_pe_addresses) != 0)
		failed(s, "underlay", "pe-address");
	labels_recover(s, &v, dump);
	json_object_put(dump);
	view_apply(s, &none, &v);
	s->cur = v;
	d->on_config = on_config;
	d->on_config_arg = s;
	want_update(s, false);
	rde_best_subscribe(d->rde, on_best, s);
	return 0;
}

void vtopod_svc_stop(struct vtopod *d)
{
	struct vtopod_svc *s = d->svc;

	if (!s)
		return;
	if (d->rde)
		rde_best_subscribe(d->rde, NULL, NULL);
	if (s->dp)
		ev_timer_stop(d->loop, &s->t_hold);
	if (s->svc)
		svc_free(s->svc);
	if (s->fib)
		fib_free(s->fib);
	view_free(&s->cur);
	free(s->deferred);
	free(s->rt);
	feed_rts_free(&s->want);
	json_object_put(s->changes);
	for (size_t i = 0; i < s->n_names; i++)
		free(s->names[i].name);
	free(s->names);
	free(s);
	d->svc = NULL;
}

bool vtopod_svc_work(struct vtopod *d)
{
	struct vtopod_svc *s = d->svc;
	bool more;

	if (!s || !s->svc)
		return false;
	more = svc_work(s->svc, SVC_WORK_BUDGET);
	s->svc_more = more;
	if (fib_queued(s->fib) > 0 && svc_commit(s->svc) != 0 && !(s->dp && fib_dp_held(s->dp)))
		log_warnx(&d->log, "service topologies: FIB commit failed");
	return more;
}

/* The show models (docs/ctl-json.md), with where the FIB goes. */
struct json_object *vtopod_svc_show(struct vtopod *d, const char *what, const char *arg)
{
	struct vtopod_svc *s = d->svc;
	struct json_object *o;

	if (!s || !s->svc)
		return NULL;
	if (strcmp(what, "fib") == 0)
		o = svc_show_fib(s->svc, arg);
	else if (strcmp(what, "labels") == 0)
		o = svc_show_labels(s->svc);
	else
		o = svc_show_topology(s->svc, arg);
	if (o && json_object_is_type(o, json_type_object)) {
		char dp[300];

		if (s->dp)
			snprintf(dp, sizeof(dp), "vtopo-dp at %s (%s%s)", d->fib_socket,
				 fib_dp_connected(s->dp) ? "connected" : "not connected",
				 fib_dp_held(s->dp) ? ", resync held for End-of-RIB" : "");
		else
			snprintf(dp, sizeof(dp), "none (in-process store only)");
		json_object_object_add(o, "dataplane", json_object_new_string(dp));
	}
	return o;
}

/* ---- the control socket's attach commands ---- */

/* Some neighbor has the VPN family of afi enabled (RFC 4364 s4.3.4: the
 * host route is an ipv4-vpn or ipv6-vpn route; with no such session it
 * would reach nobody). */
static bool vpn_family_enabled(const struct config *cfg, uint8_t afi)
{
	enum config_afi_safi want =
	    afi == AFI_IPV6 ? CONFIG_AFI_SAFI_IPV6_VPN : CONFIG_AFI_SAFI_IPV4_VPN;

	for (size_t i = 0; i < cfg->n_neighbors; i++)
		for (size_t j = 0; j < cfg->neighbors[i].n_families; j++)
			if (cfg->neighbors[i].families[j].name == want &&
			    cfg->neighbors[i].families[j].enabled)
				return true;
	return false;
}

static struct rt_att *rt_find(struct vtopod_svc *s, const char *name)
{
	for (size_t i = 0; i < s->n_rt; i++)
		if (strcmp(s->rt[i].a.name, name) == 0)
			return &s->rt[i];
	return NULL;
}

/* {"name", "vrf", "interface", "origin", "state", ["reason"],
 *  "addresses": [{"address", "label"}]} (docs/ctl-json.md) */
static struct json_object *att_json(const struct vtopod_svc *s, const char *name, const char *vrf,
				    const char *ifname, const struct ipaddr *addr, size_t n,
				    bool runtime, bool active, const char *reason)
{
	struct json_object *o = json_object_new_object(), *as = json_object_new_array();
	long vi = config_vrf_find(s->d->cfg, vrf);

	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "vrf", json_object_new_string(vrf));
	json_object_object_add(o, "interface", json_object_new_string(ifname));
	json_object_object_add(o, "origin", json_object_new_string(runtime ? "runtime" : "config"));
	json_object_object_add(o, "state", json_object_new_string(active ? "active" : "withdrawn"));
	if (!active && reason)
		json_object_object_add(o, "reason", json_object_new_string(reason));
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();
		struct prefix p = {.afi = addr[i].afi, .len = (uint8_t)afi_addr_bits(addr[i].afi)};
		char buf[PREFIX_STRLEN];
		uint32_t label = 0;

		memcpy(p.b, addr[i].b, sizeof(p.b));
		for (size_t k = 0; active && vi >= 0 && k < s->cur.n_vrfs; k++)
			if (strcmp(s->cur.vrfs[k].name, vrf) == 0)
				label = svc_export_label(s->svc, s->cur.vrfs[k].id, &p);
		json_object_object_add(e, "address",
				       json_object_new_string(prefix_fmt(&p, buf, sizeof(buf))));
		if (label)
			json_object_object_add(e, "label", json_object_new_int64(label));
		json_object_array_add(as, e);
	}
	json_object_object_add(o, "addresses", as);
	return o;
}

static struct json_object *rt_json(const struct vtopod_svc *s, const struct rt_att *r)
{
	return att_json(s, r->a.name, r->a.vrf, r->a.ifname, r->a.addr, r->a.n_addr, true,
			r->active, r->reason);
}

struct json_object *vtopod_svc_attach_add(struct vtopod *d, const struct ctl_attach *a, char *err)
{
	struct vtopod_svc *s = d->svc;
	struct svc_attach sa, *atts;
	struct rt_att *r, *n;
	char ip[IPADDR_STRLEN];

	if (!s || !s->svc) {
		snprintf(err, CTL_ERR_MAX, "service topologies are not running");
		return NULL;
	}
	if (rt_find(s, a->name)) {
		snprintf(err, CTL_ERR_MAX, "attachment '%s' exists (added at run time)", a->name);
		return NULL;
	}
	if (cfg_conflict(d->cfg, a, err, CTL_ERR_MAX))
		return NULL;
	for (size_t i = 0; i < a->n_addr; i++)
		if (!vpn_family_enabled(d->cfg, a->addr[i].afi)) {
			snprintf(err, CTL_ERR_MAX, "address %s: %s is not enabled on any neighbor",
				 ipaddr_fmt(&a->addr[i], ip, sizeof(ip)),
				 a->addr[i].afi == AFI_IPV6 ? "ipv6-vpn" : "ipv4-vpn");
			return NULL;
		}
	for (size_t i = 0; i < s->n_rt; i++) {
		const struct rt_att *o = &s->rt[i];

		if (strcmp(o->a.ifname, a->ifname) == 0) {
			snprintf(err, CTL_ERR_MAX, "interface '%s' is attachment '%s''s", a->ifname,
				 o->a.name);
			return NULL;
		}
		if (strcmp(o->a.vrf, a->vrf) != 0)
			continue;
		for (size_t j = 0; j < a->n_addr; j++)
			if (addr_in(&a->addr[j], o->a.addr, o->a.n_addr)) {
				snprintf(err, CTL_ERR_MAX,
					 "address %s is attachment '%s''s in network-instance '%s'",
					 ipaddr_fmt(&a->addr[j], ip, sizeof(ip)), o->a.name,
					 a->vrf);
				return NULL;
			}
	}
	if (s->n_rt >= RT_ATT_MAX) {
		snprintf(err, CTL_ERR_MAX, "too many attachments added at run time (%d)",
			 RT_ATT_MAX);
		return NULL;
	}
	n = realloc(s->rt, (s->n_rt + 1) * sizeof(*n));
	if (!n) {
		snprintf(err, CTL_ERR_MAX, "out of memory");
		return NULL;
	}
	s->rt = n;
	atts = realloc(s->cur.atts, (s->cur.n_atts + 1) * sizeof(*atts));
	if (!atts) {
		snprintf(err, CTL_ERR_MAX, "out of memory");
		return NULL;
	}
	s->cur.atts = atts;
	r = &s->rt[s->n_rt];
	memset(r, 0, sizeof(*r));
	r->a = *a;
	/* one attachment more in the current view: svc and the FIB get it
	 * alone, whatever the size of the rest (no rebuild) */
	view_rt_att(s, r, &sa);
	if (sa.ifc == 0 || sa.vrf == 0 || svc_attach_set(s->svc, &sa) != 0) {
		snprintf(err, CTL_ERR_MAX, "cannot apply attachment '%s': %s", a->name,
			 strerror(errno));
		if (sa.ifc != 0)
			(void)svc_attach_del(s->svc, sa.ifc);
		(void)svc_commit(s->svc);
		return NULL;
	}
	if (svc_commit(s->svc) != 0)
		log_warnx(&d->log, "service topologies: FIB commit failed");
	s->cur.atts[s->cur.n_atts++] = sa;
	r->active = true;
	s->n_rt++;
	log_notice(&d->log, "attachment %s up in network-instance %s (interface %s)", a->name,
		   a->vrf, a->ifname);
	return rt_json(s, r);
}

struct json_object *vtopod_svc_attach_del(struct vtopod *d, const char *name, char *err)
{
	struct vtopod_svc *s = d->svc;
	struct rt_att *r = s ? rt_find(s, name) : NULL;
	struct json_object *o;
	size_t i;

	if (!r) {
		for (i = 0; s && i < d->cfg->n_vrfs; i++)
			for (size_t j = 0; j < d->cfg->vrfs[i].n_attachments; j++)
				if (strcmp(d->cfg->vrfs[i].attachments[j].name, name) == 0) {
					snprintf(
					    err, CTL_ERR_MAX,
					    "attachment '%s' is in the configuration file "
					    "(network-instance '%s'): remove it there and reload",
					    name, d->cfg->vrfs[i].name);
					return NULL;
				}
		snprintf(err, CTL_ERR_MAX, "no attachment '%s' added at run time", name);
		return NULL;
	}
	o = rt_json(s, r);
	if (r->active) { /* out of svc, the FIB and the current view alone */
		fib_if_id ifc = name_id(s, "rtatt", name, NULL);

		for (i = 0; i < s->cur.n_atts; i++)
			if (s->cur.atts[i].ifc == ifc) {
				memmove(&s->cur.atts[i], &s->cur.atts[i + 1],
					(s->cur.n_atts - i - 1) * sizeof(s->cur.atts[0]));
				s->cur.n_atts--;
				break;
			}
		(void)svc_attach_del(s->svc, ifc);
		if (svc_commit(s->svc) != 0)
			log_warnx(&d->log, "service topologies: FIB commit failed");
	}
	name_drop(s, "rtatt", name, NULL);
	i = (size_t)(r - s->rt);
	memmove(&s->rt[i], &s->rt[i + 1], (s->n_rt - i - 1) * sizeof(*r));
	s->n_rt--;
	log_notice(&d->log, "attachment %s removed", name);
	json_object_object_add(o, "state", json_object_new_string("removed"));
	return o;
}

struct json_object *vtopod_svc_attachments(struct vtopod *d)
{
	struct vtopod_svc *s = d->svc;
	struct json_object *o, *arr;

	if (!s || !s->svc)
		return NULL;
	o = json_object_new_object();
	arr = json_object_new_array();
	for (size_t i = 0; i < d->cfg->n_vrfs; i++) {
		const struct config_vrf *cv = &d->cfg->vrfs[i];

		for (size_t j = 0; j < cv->n_attachments; j++) {
			const struct config_attachment *ca = &cv->attachments[j];
			struct ipaddr ips[SVC_HOST_MAX];
			size_t n = 0;

			for (size_t k = 0; k < ca->n_addresses && n < SVC_HOST_MAX; k++)
				ips[n++] = ca->addresses[k].ip;
			json_object_array_add(arr, att_json(s, ca->name, cv->name, att_ifname(ca),
							    ips, n, false, true, NULL));
		}
	}
	for (size_t i = 0; i < s->n_rt; i++)
		json_object_array_add(arr, rt_json(s, &s->rt[i]));
	json_object_object_add(o, "attachments", arr);
	return o;
}

struct json_object *vtopod_svc_reload_changes(struct vtopod *d)
{
	struct vtopod_svc *s = d->svc;

	if (!s || !s->changes)
		return json_object_new_array();
	return json_object_get(s->changes);
}
