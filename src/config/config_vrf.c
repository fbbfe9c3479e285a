/*
 * config_vrf: network-instances of a validated tree -> struct config_vrf,
 * with the checks that concern one VRF only and that the model cannot
 * express: the numeric fields of route distinguishers and route targets,
 * prefix lengths against the address family, next hops against the
 * destination's family.
 *
 * Text forms are those of lib/rd.h and lib/ecomm.h, so a value reads back
 * to the same bytes the BGP code puts on the wire.
 *
 * Not for: checks across VRFs, service nodes and topologies (config_svc.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "lib/strnum.h"

#define OOM(errs) config_err(errs, "", "out of memory")

/* A route target leaf: text form of ecomm.h, and a route target. */
static int rt_read(const struct lyd_node *n, struct ecomm *rt, struct config_errors *errs)
{
	const char *s = config_str(n);

	if (!s || ecomm_parse(s, rt) < 0 || !ecomm_is_rt(rt))
		return config_err_node(errs, n, NULL,
				       "route target '%s' is out of range (RFC 4360 s4: 2-octet AS "
				       "with a 4-octet number, or an IPv4 address or a 4-octet AS "
				       "with a 2-octet number)",
				       s ? s : "");
	return 0;
}

static int targets_read(struct config_vrf *v, const struct lyd_node *vn, struct config_errors *errs)
{
	const struct lyd_node *list = config_node_at(vn, "vpn-targets"), *t;
	size_t cap = config_count(list, "vpn-target");
	int r = 0;

	if (!cap)
		return 0;
	v->targets = calloc(cap, sizeof(*v->targets));
	if (!v->targets)
		return OOM(errs);
	for (t = config_first(list, "vpn-target"); t; t = config_next(t, "vpn-target")) {
		struct config_vpn_target *vt = &v->targets[v->n_targets];
		const char *type = config_str(config_node_at(t, "route-target-type"));

		if (rt_read(config_node_at(t, "route-target"), &vt->rt, errs) < 0) {
			r = -1;
			continue;
		}
		vt->type = !strcmp(type, "import")   ? CONFIG_RT_IMPORT
			   : !strcmp(type, "export") ? CONFIG_RT_EXPORT
						     : CONFIG_RT_BOTH;
		/* two spellings of one value (target:100:1 and target:100L:1 are
		 * different RTs; 192.0.2.1 and 192.0.2.01 are not) */
		for (size_t i = 0; i < v->n_targets; i++)
			if (!ecomm_cmp(&v->targets[i].rt, &vt->rt))
				r = config_err_node(errs, t, NULL,
						    "route target equal to another of this VRF");
		v->n_targets++;
	}
	return r;
}

/* "MIN..MAX" or "exact" against the prefix (openconfig prefix-set). */
static int masklen_read(struct config_policy_stmt *st, const struct lyd_node *cond,
			struct config_errors *errs)
{
	const struct lyd_node *n = config_node_at(cond, "masklength-range");
	const char *s = config_str(n), *dots;
	unsigned width = afi_addr_bits(st->prefix.afi);
	uint64_t lo = st->prefix.len, hi = st->prefix.len;

	if (s && strcmp(s, "exact")) {
		dots = strstr(s, "..");
		if (strnum_u64(s, (size_t)(dots - s), 255, &lo) < 0 ||
		    strnum_u64(dots + 2, strlen(dots + 2), 255, &hi) < 0)
			lo = hi = 255;
	}
	if (lo < st->prefix.len || lo > hi || hi > width)
		return config_err_node(errs, n, NULL,
				       "masklength-range '%s' must satisfy %u <= MIN <= MAX <= %u "
				       "(prefix length and address width)",
				       s, st->prefix.len, width);
	st->len_min = (uint8_t)lo;
	st->len_max = (uint8_t)hi;
	return 0;
}

static int stmt_actions_read(struct config_policy_stmt *st, const struct lyd_node *act,
			     struct config_errors *errs)
{
	size_t cap = config_count(act, "add-route-target");
	const struct lyd_node *n;
	int r = 0;

	st->reject = !strcmp(config_str(config_node_at(act, "policy-result")), "reject-route");
	if ((n = config_node_at(act, "set-local-pref"))) {
		st->set_local_pref = true;
		st->local_pref = (uint32_t)config_num(n);
	}
	if ((n = config_node_at(act, "set-med"))) {
		st->set_med = true;
		st->med = (uint32_t)config_num(n);
	}
	if (!cap)
		return 0;
	st->add_rts = calloc(cap, sizeof(*st->add_rts));
	if (!st->add_rts)
		return OOM(errs);
	for (n = config_first(act, "add-route-target"); n; n = config_next(n, "add-route-target"))
		if (rt_read(n, &st->add_rts[st->n_add_rts++], errs) < 0)
			r = -1;
	return r;
}

static int stmt_read(struct config_policy_stmt *st, const struct lyd_node *sn,
		     struct config_errors *errs)
{
	const struct lyd_node *cond = config_node_at(sn, "conditions");
	const struct lyd_node *pfx = config_node_at(cond, "prefix");
	const struct lyd_node *fam = config_node_at(cond, "address-family");
	const char *att = config_str(config_node_at(cond, "attachment"));
	int r = 0;

	st->name = config_strdup(config_str(config_node_at(sn, "name")));
	st->attachment = att ? config_strdup(att) : NULL;
	if (!st->name || (att && !st->attachment))
		return OOM(errs);
	if (fam)
		st->afi = !strcmp(config_str(fam), "ipv6-vpn") ? AFI_IPV6 : AFI_IPV4;
	if (pfx) {
		st->match_prefix = true;
		if (prefix_parse(config_str(pfx), &st->prefix) < 0)
			r = config_err_node(errs, pfx, NULL, "bad prefix");
		else if (masklen_read(st, cond, errs) < 0)
			r = -1;
		else if (fam && st->afi != st->prefix.afi)
			/* a statement no route could ever match */
			r = config_err_node(errs, fam, NULL,
					    "address-family %s, but prefix %s is an %s prefix",
					    config_str(fam), config_str(pfx),
					    st->prefix.afi == AFI_IPV6 ? "IPv6" : "IPv4");
	}
	if (stmt_actions_read(st, config_node_at(sn, "actions"), errs) < 0)
		r = -1;
	return r;
}

static int policy_read(struct config_vrf *v, const struct lyd_node *vn, struct config_errors *errs)
{
	const struct lyd_node *pol = config_node_at(vn, "export-policy"), *sn;
	size_t cap = config_count(pol, "statement");
	int r = 0;

	if (!cap)
		return 0;
	v->export_policy = calloc(cap, sizeof(*v->export_policy));
	if (!v->export_policy)
		return OOM(errs);
	for (sn = config_first(pol, "statement"); sn; sn = config_next(sn, "statement"))
		if (stmt_read(&v->export_policy[v->n_export_policy++], sn, errs) < 0)
			r = -1;
	return r;
}

static int attachment_read(struct config_attachment *a, const struct lyd_node *an,
			   struct config_errors *errs)
{
	size_t cap = config_count(an, "address");
	const struct lyd_node *n;
	int r = 0;

	a->name = config_strdup(config_str(config_node_at(an, "name")));
	a->host = config_strdup(config_str(config_node_at(an, "host")));
	a->interface = config_strdup(config_str(config_node_at(an, "interface")));
	if (!a->name || !a->interface ||
	    (cap && !(a->addresses = calloc(cap, sizeof(*a->addresses)))))
		return OOM(errs);
	for (n = config_first(an, "address"); n; n = config_next(n, "address")) {
		struct config_if_addr *ad = &a->addresses[a->n_addresses];

		if (ipaddr_parse(config_str(config_node_at(n, "ip")), &ad->ip) < 0) {
			r = config_err_node(errs, n, "ip", "bad address");
			continue;
		}
		ad->prefix_len = (uint8_t)config_num(config_node_at(n, "prefix-length"));
		if (ad->prefix_len > afi_addr_bits(ad->ip.afi))
			r = config_err_node(errs, n, "prefix-length",
					    "prefix-length %u is longer than the %u bits of an %s "
					    "address",
					    ad->prefix_len, afi_addr_bits(ad->ip.afi),
					    ad->ip.afi == AFI_IPV4 ? "IPv4" : "IPv6");
		a->n_addresses++;
	}
	return r;
}

static int attach_cmp(const void *a, const void *b)
{
	return strcmp(((const struct config_attachment *)a)->name,
		      ((const struct config_attachment *)b)->name);
}

static int attachments_read(struct config_vrf *v, const struct lyd_node *vn,
			    struct config_errors *errs)
{
	const struct lyd_node *list = config_node_at(vn, "attachments"), *an;
	size_t cap = config_count(list, "attachment");
	int r = 0;

	if (!cap)
		return 0;
	v->attachments = calloc(cap, sizeof(*v->attachments));
	if (!v->attachments)
		return OOM(errs);
	for (an = config_first(list, "attachment"); an; an = config_next(an, "attachment"))
		if (attachment_read(&v->attachments[v->n_attachments++], an, errs) < 0)
			r = -1;
	if (r == 0)
		qsort(v->attachments, v->n_attachments, sizeof(*v->attachments), attach_cmp);
	return r;
}

static int route_read(struct config_static_route *sr, const struct lyd_node *rn,
		      struct config_errors *errs)
{
	const struct lyd_node *nh = config_node_at(rn, "next-hop");
	const struct lyd_node *addr = config_node_at(nh, "next-hop-address");
	const char *ifname = config_str(config_node_at(nh, "outgoing-interface"));

	if (prefix_parse(config_str(config_node_at(rn, "destination-prefix")), &sr->prefix) < 0)
		return config_err_node(errs, rn, "destination-prefix", "bad prefix");
	if (ifname && addr)
		return config_err_node(errs, nh, NULL,
				       "next-hop-address and outgoing-interface together: set one");
	if (ifname) {
		sr->kind = CONFIG_NH_INTERFACE;
		sr->interface = config_strdup(ifname);
		return sr->interface ? 0 : OOM(errs);
	}
	if (!addr) {
		sr->kind = CONFIG_NH_BLACKHOLE;
		return 0;
	}
	sr->kind = CONFIG_NH_ADDRESS;
	if (ipaddr_parse(config_str(addr), &sr->next_hop) < 0)
		return config_err_node(errs, addr, NULL, "bad address");
	if (sr->next_hop.afi != sr->prefix.afi)
		return config_err_node(errs, addr, NULL,
				       "next-hop-address %s is not of the destination's family",
				       config_str(addr));
	return 0;
}

static int route_cmp(const void *a, const void *b)
{
	return prefix_cmp(&((const struct config_static_route *)a)->prefix,
			  &((const struct config_static_route *)b)->prefix);
}

static int routes_read(struct config_vrf *v, const struct lyd_node *vn, struct config_errors *errs)
{
	const struct lyd_node *list = config_node_at(vn, "static-routes"), *rn;
	size_t cap = config_count(list, "route");
	int r = 0;

	if (!cap)
		return 0;
	v->static_routes = calloc(cap, sizeof(*v->static_routes));
	if (!v->static_routes)
		return OOM(errs);
	for (rn = config_first(list, "route"); rn; rn = config_next(rn, "route"))
		if (route_read(&v->static_routes[v->n_static_routes++], rn, errs) < 0)
			r = -1;
	if (r == 0)
		qsort(v->static_routes, v->n_static_routes, sizeof(*v->static_routes), route_cmp);
	return r;
}

static int target_cmp(const void *a, const void *b)
{
	return ecomm_cmp(&((const struct config_vpn_target *)a)->rt,
			 &((const struct config_vpn_target *)b)->rt);
}

static int vrf_read(struct config_vrf *v, const struct lyd_node *vn, struct config_errors *errs)
{
	const struct lyd_node *rd = config_node_at(vn, "route-distinguisher");
	const char *lm = config_str(config_node_at(vn, "label-mode"));
	int r = 0;

	v->name = config_strdup(config_str(config_node_at(vn, "name")));
	v->description = config_strdup(config_str(config_node_at(vn, "description")));
	if (!v->name)
		return OOM(errs);
	/* RFC 4364 s4.2: the administrator and assigned number subfields */
	if (rd_parse(config_str(rd), &v->rd) < 0)
		r = config_err_node(errs, rd, NULL,
				    "route distinguisher '%s' is out of range (RFC 4364 s4.2: "
				    "2-octet AS with a 4-octet number, or an IPv4 address or a "
				    "4-octet AS with a 2-octet number)",
				    config_str(rd));
	v->label_mode = !strcmp(lm, "per-prefix")    ? CONFIG_LABEL_PER_PREFIX
			: !strcmp(lm, "per-nexthop") ? CONFIG_LABEL_PER_NEXTHOP
						     : CONFIG_LABEL_PER_VRF;
	if (targets_read(v, vn, errs) < 0)
		r = -1;
	else if (v->n_targets)
		qsort(v->targets, v->n_targets, sizeof(*v->targets), target_cmp);
	if (policy_read(v, vn, errs) < 0)
		r = -1;
	if (attachments_read(v, vn, errs) < 0)
		r = -1;
	if (routes_read(v, vn, errs) < 0)
		r = -1;
	return r;
}

static int vrf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct config_vrf *)a)->name, ((const struct config_vrf *)b)->name);
}

int config_vrfs_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs)
{
	const struct lyd_node *list = config_node_at(top, "network-instances"), *vn;
	size_t cap = config_count(list, "network-instance");
	int r = 0;

	if (!cap)
		return 0;
	cfg->vrfs = calloc(cap, sizeof(*cfg->vrfs));
	if (!cfg->vrfs)
		return OOM(errs);
	for (vn = config_first(list, "network-instance"); vn;
	     vn = config_next(vn, "network-instance"))
		if (vrf_read(&cfg->vrfs[cfg->n_vrfs++], vn, errs) < 0)
			r = -1;
	if (r == 0)
		qsort(cfg->vrfs, cfg->n_vrfs, sizeof(*cfg->vrfs), vrf_cmp);
	return r;
}

void config_vrf_free(struct config_vrf *v)
{
	for (size_t i = 0; i < v->n_export_policy; i++) {
		free(v->export_policy[i].name);
		free(v->export_policy[i].attachment);
		free(v->export_policy[i].add_rts);
	}
	for (size_t i = 0; i < v->n_attachments; i++) {
		free(v->attachments[i].name);
		free(v->attachments[i].host);
		free(v->attachments[i].interface);
		free(v->attachments[i].addresses);
	}
	for (size_t i = 0; i < v->n_static_routes; i++)
		free(v->static_routes[i].interface);
	free(v->name);
	free(v->description);
	free(v->targets);
	free(v->export_policy);
	free(v->attachments);
	free(v->static_routes);
}
