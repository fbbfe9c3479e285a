/*
 * json_nlri: one decoded NLRI as a JSON object, keys as in the NLRI table
 * of docs/decode-json.md (path_id, prefix, labels, rd, origin_as,
 * route_target, length, default, flowspec, components).
 *
 * Not for: the family (the enclosing mp_reach / mp_unreach object names
 * it), decoding (nlri.c).
 */
#include <json-c/json.h>

#include "wire/flowspec.h"
#include "wire/json.h"

static void add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* Label values, top of stack first (RFC 8277 s2: the 20 high bits). */
static struct json_object *labels_to_json(const struct label_stack *ls)
{
	struct json_object *a = json_object_new_array();

	for (unsigned i = 0; i < ls->n && i < LABEL_STACK_MAX; i++)
		json_object_array_add(a, json_object_new_int64(label_value(ls->e[i])));
	return a;
}

/* RFC 4684 s4: the zero-length default, or origin AS + (padded) target. */
static void rtc_to_json(struct json_object *o, const struct bgp_nlri *n)
{
	char rt[ECOMM_STRLEN];

	add_int(o, "length", n->rtc_len);
	if (n->rtc_len == 0) {
		json_object_object_add(o, "default", json_object_new_boolean(1));
		return;
	}
	add_int(o, "origin_as", n->rtc_origin_as);
	add_str(o, "route_target", ecomm_fmt(&n->rtc_rt, rt, sizeof(rt)));
}

static void flow_to_json(struct json_object *o, const struct bgp_nlri *n, uint8_t afi)
{
	char text[BGP_NLRI_STRLEN];

	add_str(o, "flowspec", flowspec_fmt(&n->flow, afi, text, sizeof(text)));
	json_object_object_add(o, "components", flowspec_to_json(&n->flow, afi));
}

struct json_object *bgp_nlri_to_json(const struct bgp_nlri *n)
{
	struct json_object *o = json_object_new_object();
	const struct bgp_fam_desc *fd;
	char buf[RD_STRLEN > PREFIX_STRLEN ? RD_STRLEN : PREFIX_STRLEN];

	if (n->has_path_id)
		add_int(o, "path_id", n->path_id);
	if (n->fam < 0 || n->fam >= BGP_FAM_COUNT)
		return o;
	fd = &bgp_fam_table[n->fam];
	if (fd->kind == BGP_NK_VPN || fd->kind == BGP_NK_VPNFLOW)
		add_str(o, "rd", rd_fmt(&n->rd, buf, sizeof(buf)));
	switch (fd->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
	case BGP_NK_VPN:
		add_str(o, "prefix", prefix_fmt(&n->pfx, buf, sizeof(buf)));
		if (n->labels.n)
			json_object_object_add(o, "labels", labels_to_json(&n->labels));
		break;
	case BGP_NK_RTC:
		rtc_to_json(o, n);
		break;
	case BGP_NK_FLOW:
	case BGP_NK_VPNFLOW:
		flow_to_json(o, n, fd->addr_afi);
		break;
	}
	return o;
}
