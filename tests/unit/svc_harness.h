/*
 * svc_harness: PEs made of the control-plane modules (svc + fib with the
 * recording backend) joined by an in-memory route reflector: every route
 * a PE exports is delivered to every other PE as a VPN route from that PE
 * (next hop = the exporter's underlay address, its label, its RTs), as a
 * BGP route reflector would.  Header-only, for test_svc.c.
 */
#ifndef VTOPO_SVC_HARNESS_H
#define VTOPO_SVC_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fib/fib_record.h"
#include "svc/svc.h"

#define H_PES 8
#define H_EXPORTS 4096

struct h_pe {
	const char *name;
	struct ipaddr addr;
	struct fib_record *rec;
	struct fib *fib;
	struct svc *svc;
	struct svc_export out[H_EXPORTS];
	size_t n_out;
	size_t exported; /* all exports ever, to count re-advertisements */
};

struct h_net {
	struct h_pe pe[H_PES];
	unsigned n;
};

static inline struct ipaddr h_ip(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ipaddr_parse(s, &a), 0);
	return a;
}

static inline struct prefix h_pfx(const char *s)
{
	struct prefix p;

	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

static inline struct ecomm h_rt(const char *s)
{
	struct ecomm e;

	assert_int_equal(ecomm_rt_parse(s, &e), 0);
	return e;
}

static inline struct rd h_rd(const char *s)
{
	struct rd rd;

	assert_int_equal(rd_parse(s, &rd), 0);
	return rd;
}

static void h_export(void *ctx, const struct svc_export *e)
{
	struct h_pe *pe = ctx;

	assert_true(pe->n_out < H_EXPORTS);
	pe->out[pe->n_out++] = *e;
	pe->exported++;
}

static inline struct h_pe *h_pe_add(struct h_net *net, const char *name, const char *addr)
{
	struct h_pe *pe = &net->pe[net->n++];
	struct svc_config c;

	memset(&c, 0, sizeof(c));
	pe->name = name;
	pe->addr = h_ip(addr);
	c.local4 = pe->addr;
	/* distinct label spaces make a wrong label visible */
	c.label_first = 1000 * net->n;
	c.label_last = 1000 * net->n + 999;
	pe->rec = fib_record_new(true);
	pe->fib = fib_new(&fib_record_ops, pe->rec);
	pe->svc = svc_new(&c, pe->fib, h_export, pe);
	assert_non_null(pe->svc);
	return pe;
}

/* Finish queued walks a few routes at a time, committing after each step
 * (so the recorder checks every intermediate state), then commit. */
static inline void h_commit(struct h_pe *pe)
{
	unsigned guard = 0;

	while (svc_work(pe->svc, 7)) {
		assert_int_equal(svc_commit(pe->svc), 0);
		assert_true(++guard < 100000);
	}
	assert_int_equal(svc_commit(pe->svc), 0);
}

/* Deliver every queued export to the other PEs, then commit everywhere;
 * repeats until nothing is queued. */
static inline void h_sync(struct h_net *net)
{
	bool more = true;

	while (more) {
		more = false;
		for (unsigned i = 0; i < net->n; i++) {
			struct h_pe *src = &net->pe[i];

			for (size_t k = 0; k < src->n_out; k++) {
				const struct svc_export *e = &src->out[k];

				for (unsigned j = 0; j < net->n; j++) {
					struct svc_vpn_route r;

					if (j == i)
						continue;
					if (e->withdraw) {
						assert_int_equal(
						    svc_vpn_route_withdraw(net->pe[j].svc, &e->rd,
									   &e->prefix, 0),
						    0);
						continue;
					}
					memset(&r, 0, sizeof(r));
					r.rd = e->rd;
					r.prefix = e->prefix;
					r.label = e->label;
					r.nexthop = src->addr; /* next-hop-self at the exporter */
					r.rts = e->rts;
					r.n_rts = e->n_rts;
					r.local_pref = 100;
					assert_int_equal(svc_vpn_route_update(net->pe[j].svc, &r),
							 0);
				}
			}
			if (src->n_out > 0)
				more = true;
			src->n_out = 0;
		}
		for (unsigned i = 0; i < net->n; i++)
			h_commit(&net->pe[i]);
		if (more)
			continue;
	}
}

static inline void h_free(struct h_net *net)
{
	for (unsigned i = 0; i < net->n; i++) {
		for (unsigned v = 0; v < fib_record_violations(net->pe[i].rec); v++)
			fprintf(stderr, "%s: %s\n", net->pe[i].name,
				fib_record_violation(net->pe[i].rec, v));
		assert_int_equal(fib_record_violations(net->pe[i].rec), 0);
		svc_free(net->pe[i].svc);
		fib_free(net->pe[i].fib);
	}
	free(net);
}

/* A VRF config from space-separated RT lists. */
static inline void h_rts(const char *list, struct ecomm *out, uint8_t *n)
{
	char buf[256], *save = NULL;

	*n = 0;
	if (list == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		out[(*n)++] = h_rt(t);
}

static inline void h_vrf(struct h_pe *pe, vrf_id id, const char *name, const char *rd,
			 const char *imp, const char *exp, const char *policy)
{
	struct vrf_config c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.rd = h_rd(rd);
	h_rts(imp, c.import_rt, &c.n_import);
	h_rts(exp, c.export_rt, &c.n_export);
	if (policy != NULL) { /* one unconditional statement (draft s4.1.2) */
		h_rts(policy, c.policy[0].rts, &c.policy[0].n_rts);
		c.n_policy = 1;
	}
	assert_int_equal(svc_vrf_set(pe->svc, &c), 0);
}

static inline void h_attach(struct h_pe *pe, fib_if_id ifc, vrf_id vrf, const char *h4,
			    const char *h6, const char *rts)
{
	struct svc_attach a;

	memset(&a, 0, sizeof(a));
	a.ifc = ifc;
	snprintf(a.name, sizeof(a.name), "vm%u", ifc);
	a.vrf = vrf;
	if (h4)
		a.host[a.n_host++] = h_ip(h4);
	if (h6)
		a.host[a.n_host++] = h_ip(h6);
	h_rts(rts, a.rts, &a.n_rts);
	assert_int_equal(svc_attach_set(pe->svc, &a), 0);
}

static inline void h_node(struct h_pe *pe, fib_if_id ifc, vrf_id in, vrf_id out, const char *ip4,
			  const char *ip6, bool aggregate)
{
	struct svc_node n;

	memset(&n, 0, sizeof(n));
	n.ifc = ifc;
	snprintf(n.name, sizeof(n.name), "svc%u", ifc);
	n.in_vrf = in;
	n.out_vrf = out;
	if (ip4)
		n.ip4 = h_ip(ip4);
	if (ip6)
		n.ip6 = h_ip(ip6);
	n.aggregate_label = aggregate;
	assert_int_equal(svc_node_set(pe->svc, &n), 0);
}

/* A topology from "name", "rt" and up to 4 hops "ip4,ip6" ("-" for none). */
static inline void h_topo(struct h_pe *pe, const char *name, const char *rt, uint32_t prio,
			  const char *const *hops, unsigned n)
{
	struct svc_topology t;

	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.rt = h_rt(rt);
	t.priority = prio;
	t.n_hops = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		char buf[96], *comma;

		snprintf(buf, sizeof(buf), "%s", hops[i]);
		comma = strchr(buf, ',');
		if (comma)
			*comma++ = '\0';
		if (strcmp(buf, "-") != 0)
			t.hops[i].ip4 = h_ip(buf);
		if (comma && strcmp(comma, "-") != 0)
			t.hops[i].ip6 = h_ip(comma);
	}
	assert_int_equal(svc_topology_set(pe->svc, &t), 0);
}

/* The recorded (backend) next hop of a route, following it by id. */
static inline const struct fib_nh *h_route(const struct h_pe *pe, vrf_id vrf, const char *prefix)
{
	fib_nh_id id = fib_record_route(pe->rec, vrf, prefix);

	return id ? fib_store_nh(fib_record_state(pe->rec), id) : NULL;
}

static inline const struct fib_nh *h_label(const struct h_pe *pe, uint32_t label)
{
	fib_nh_id id = fib_store_label(fib_record_state(pe->rec), label);

	return id ? fib_store_nh(fib_record_state(pe->rec), id) : NULL;
}

static inline void h_is_tunnel(const struct fib_nh *nh, const char *pe, uint32_t label)
{
	struct ipaddr a = h_ip(pe);

	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_TUNNEL);
	assert_int_equal(ipaddr_cmp(&nh->pe, &a), 0);
	assert_int_equal(nh->n_labels, 1);
	assert_int_equal(nh->labels[0], label);
}

static inline void h_is_local(const struct fib_nh *nh, fib_if_id ifc, const char *gw)
{
	struct ipaddr a = h_ip(gw);

	assert_non_null(nh);
	assert_int_equal(nh->type, FIB_NH_LOCAL);
	assert_int_equal(nh->ifc, ifc);
	assert_int_equal(ipaddr_cmp(&nh->gw, &a), 0);
}

/* The label a PE advertised for one of its local routes. */
static inline uint32_t h_exp_label(const struct h_pe *pe, vrf_id vrf, const char *prefix)
{
	struct prefix p = h_pfx(prefix);
	uint32_t l = svc_export_label(pe->svc, vrf, &p);

	assert_int_not_equal(l, 0);
	return l;
}

#endif
