/*
 * fib_json: the `show fib [VRF]` data model of the desired FIB state
 * (docs/ctl-json.md "show fib"): one object per VRF with its routes sorted
 * by prefix, each with its next hop spelled out (ECMP members expanded),
 * its flows, and the label table.
 *
 * Not for: text rendering (vtopoctl renders this model), svc annotations.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fib/fib.h"
#include "fib/fib_store.h"

static const char *nh_type_name(enum fib_nh_type t)
{
	switch (t) {
	case FIB_NH_DROP:
		return "drop";
	case FIB_NH_LOCAL:
		return "local";
	case FIB_NH_TUNNEL:
		return "tunnel";
	case FIB_NH_LOOKUP:
		return "lookup";
	case FIB_NH_ECMP:
		return "ecmp";
	}
	return "unknown";
}

static struct json_object *nh_json(const struct fib_store *s, fib_nh_id id, int depth)
{
	const struct fib_nh *nh = fib_store_nh(s, id);
	struct json_object *o, *a;
	char buf[IPADDR_STRLEN];

	if (nh == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "type", json_object_new_string(nh_type_name(nh->type)));
	switch (nh->type) {
	case FIB_NH_LOCAL: {
		const struct fib_if *ifc = fib_store_if(s, nh->ifc);

		json_object_object_add(o, "interface",
				       ifc ? json_object_new_string(ifc->name)
					   : json_object_new_int64(nh->ifc));
		if (nh->gw.afi)
			json_object_object_add(
			    o, "gateway",
			    json_object_new_string(ipaddr_fmt(&nh->gw, buf, sizeof(buf))));
		break;
	}
	case FIB_NH_TUNNEL:
		json_object_object_add(
		    o, "pe", json_object_new_string(ipaddr_fmt(&nh->pe, buf, sizeof(buf))));
		a = json_object_new_array();
		for (unsigned i = 0; i < nh->n_labels; i++)
			json_object_array_add(a, json_object_new_int64(nh->labels[i]));
		json_object_object_add(o, "labels", a);
		break;
	case FIB_NH_LOOKUP: {
		const struct fib_vrf *v = fib_store_vrf(s, nh->vrf);

		json_object_object_add(
		    o, "vrf", v ? json_object_new_string(v->name) : json_object_new_int64(nh->vrf));
		break;
	}
	case FIB_NH_ECMP:
		a = json_object_new_array();
		for (unsigned i = 0; i < nh->n_members && depth < 4; i++) {
			struct json_object *m = nh_json(s, nh->members[i], depth + 1);

			if (m != NULL)
				json_object_array_add(a, m);
		}
		json_object_object_add(o, "members", a);
		json_object_object_add(o, "hash",
				       json_object_new_string(nh->hash == FIB_HASH_SYMMETRIC
								  ? "symmetric"
								  : "5-tuple"));
		break;
	case FIB_NH_DROP:
		break;
	}
	return o;
}

struct json_object *fib_show_nh(const struct fib *fib, fib_nh_id id)
{
	return nh_json(fib_state(fib), id, 0);
}

static int route_cmp(const void *a, const void *b)
{
	const struct fib_store_route *x = *(const struct fib_store_route *const *)a;
	const struct fib_store_route *y = *(const struct fib_store_route *const *)b;

	return prefix_cmp(&x->prefix, &y->prefix);
}

static struct json_object *vrf_json(const struct fib_store *s, const struct fib_vrf *v)
{
	struct json_object *o = json_object_new_object(), *routes = json_object_new_array(),
			   *flows = json_object_new_array();
	const struct fib_store_route **sel = NULL;
	size_t n = 0, cap = 0, i = 0;
	char pb[PREFIX_STRLEN];
	void *e;

	json_object_object_add(o, "id", json_object_new_int64(v->id));
	json_object_object_add(o, "name", json_object_new_string(v->name));
	while ((e = htab_next(&s->routes, &i)) != NULL) {
		const struct fib_store_route *r = e;

		if (r->vrf != v->id)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			const struct fib_store_route **ns = realloc(sel, nc * sizeof(*ns));

			if (ns == NULL)
				break;
			sel = ns;
			cap = nc;
		}
		sel[n++] = r;
	}
	if (n > 0)
		qsort(sel, n, sizeof(*sel), route_cmp);
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_new_object(), *nh = nh_json(s, sel[i]->nh, 0);

		json_object_object_add(
		    r, "prefix",
		    json_object_new_string(prefix_fmt(&sel[i]->prefix, pb, sizeof(pb))));
		json_object_object_add(r, "nexthop", nh);
		json_object_array_add(routes, r);
	}
	free(sel);
	for (i = 0; (e = htab_next(&s->flows, &i)) != NULL;) {
		const struct fib_store_flow *f = e;
		struct json_object *fo;

		if (f->vrf != v->id)
			continue;
		fo = json_object_new_object();
		json_object_object_add(fo, "id", json_object_new_int64(f->id));
		json_object_object_add(fo, "priority", json_object_new_int64(f->flow.priority));
		json_object_object_add(fo, "afi", json_object_new_int(f->flow.afi));
		json_object_object_add(fo, "nexthop", nh_json(s, f->flow.nh, 0));
		json_object_array_add(flows, fo);
	}
	json_object_object_add(o, "routes", routes);
	json_object_object_add(o, "flows", flows);
	return o;
}

struct json_object *fib_show(const struct fib *fib, fib_vrf_id vrf)
{
	const struct fib_store *s = fib_state(fib);
	struct json_object *o = json_object_new_object(), *vrfs = json_object_new_array(),
			   *labels = json_object_new_array();
	size_t i = 0;
	void *e;

	while ((e = htab_next(&s->vrfs, &i)) != NULL) {
		const struct fib_vrf *v = e;

		if (vrf == 0 || v->id == vrf)
			json_object_array_add(vrfs, vrf_json(s, v));
	}
	for (i = 0; (e = htab_next(&s->labels, &i)) != NULL;) {
		const struct fib_label *l = e;
		struct json_object *lo = json_object_new_object();

		json_object_object_add(lo, "label", json_object_new_int64(l->label));
		json_object_object_add(lo, "nexthop", nh_json(s, l->nh, 0));
		json_object_array_add(labels, lo);
	}
	json_object_object_add(o, "generation",
			       json_object_new_int64((int64_t)fib_generation(fib)));
	json_object_object_add(o, "vrfs", vrfs);
	json_object_object_add(o, "labels", labels);
	return o;
}
