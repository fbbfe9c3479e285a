/*
 * json_update: a decoded UPDATE and a verdict as JSON, keys as in the
 * UPDATE and `verdict` tables of docs/decode-json.md.
 *
 * NLRI fields are walked again with bgp_nlri_decode() (they were validated
 * by bgp_update_decode(); a field that stopped parsing is listed up to the
 * bad NLRI).  `type` and `length` are added by bgp_msg_to_json().
 *
 * Not for: decoding (update.c), one NLRI (json_nlri.c).
 */
#include <json-c/json.h>
#include <stdlib.h>

#include "lib/ecomm.h"
#include "lib/hex.h"
#include "wire/attr.h"
#include "wire/json.h"

static void add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static struct json_object *hex_of(const struct rbuf *r)
{
	size_t n = rbuf_left(r);
	char *s = malloc(2 * n + 1);
	struct json_object *j;

	if (s == NULL)
		return json_object_new_string("");
	s[0] = '\0';
	if (n)
		hex_encode(rbuf_ptr(r), n, s);
	j = json_object_new_string(s);
	free(s);
	return j;
}

static void add_addr(struct json_object *o, const char *key, const struct ipaddr *a)
{
	char buf[IPADDR_STRLEN];

	add_str(o, key, ipaddr_fmt(a, buf, sizeof(buf)));
}

static void add_family(struct json_object *o, enum bgp_fam fam, uint16_t afi, uint8_t safi)
{
	if (fam != BGP_FAM_NONE) {
		add_str(o, "family", bgp_fam_table[fam].name);
		return;
	}
	add_int(o, "afi", afi);
	add_int(o, "safi", safi);
}

static struct json_object *nlri_array(struct rbuf field, enum bgp_fam fam,
				      const struct bgp_sess_params *p, bool withdraw)
{
	struct json_object *arr = json_object_new_array();
	bool addpath = bgp_sess_addpath_rx(p, fam);
	struct bgp_verdict scratch;
	struct bgp_nlri n;

	bgp_verdict_init(&scratch);
	while (!rbuf_empty(&field) &&
	       bgp_nlri_decode(&field, fam, addpath, withdraw, &n, &scratch, BGP_E_UPD_NLRI))
		json_object_array_add(arr, bgp_nlri_to_json(&n));
	return arr;
}

/* n x `width` octets rendered one string each by fmt_one. */
typedef void (*fmt_one_fn)(struct rbuf *r, char *buf, size_t len);

static struct json_object *list_of(struct rbuf r, size_t width, fmt_one_fn fmt)
{
	struct json_object *arr = json_object_new_array();
	char buf[ECOMM6_STRLEN];

	while (rbuf_left(&r) >= width) {
		fmt(&r, buf, sizeof(buf));
		json_object_array_add(arr, json_object_new_string(buf));
	}
	return arr;
}

static void fmt_comm(struct rbuf *r, char *buf, size_t len)
{
	uint32_t c = 0;

	if (rbuf_u32(r, &c))
		comm_fmt(c, buf, len);
}

static void fmt_quad(struct rbuf *r, char *buf, size_t len)
{
	struct ipaddr a;
	uint32_t v = 0;

	if (rbuf_u32(r, &v)) {
		ipaddr_from_v4(&a, v);
		ipaddr_fmt(&a, buf, len);
	}
}

static void fmt_ecomm(struct rbuf *r, char *buf, size_t len)
{
	struct ecomm e;

	if (rbuf_bytes(r, e.b, sizeof(e.b)))
		ecomm_fmt(&e, buf, len);
}

static void fmt_ecomm6(struct rbuf *r, char *buf, size_t len)
{
	struct ecomm6 e;

	if (rbuf_bytes(r, e.b, sizeof(e.b)))
		ecomm6_fmt(&e, buf, len);
}

static void fmt_lcomm(struct rbuf *r, char *buf, size_t len)
{
	struct lcomm c;

	if (rbuf_u32(r, &c.global) && rbuf_u32(r, &c.local1) && rbuf_u32(r, &c.local2))
		lcomm_fmt(&c, buf, len);
}

static struct json_object *aggregator(uint32_t as, const struct ipaddr *addr)
{
	struct json_object *o = json_object_new_object();

	add_int(o, "as", as);
	add_addr(o, "address", addr);
	return o;
}

/* An AS path as text, however long: at most 6 characters per wire octet
 * ("65535 " per 2-octet ASN, "{" "}" "(" ")" per 2-octet segment header). */
static void add_aspath(struct json_object *j, const char *key, const struct rbuf *path, bool as4)
{
	size_t len = rbuf_left(path) * 6 + 16;
	char *buf = malloc(len);

	if (!buf)
		return;
	add_str(j, key, bgp_aspath_fmt(path, as4, buf, len));
	free(buf);
}

static void path_attrs(struct json_object *j, const struct bgp_attrs *a)
{
	static const char *const origins[] = {"igp", "egp", "incomplete"};
	struct ipaddr id;

	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN) && a->origin <= BGP_ORIGIN_INCOMPLETE)
		add_str(j, "origin", origins[a->origin]);
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH))
		add_aspath(j, "as_path", &a->as_path, a->as_path_as4);
	if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		add_addr(j, "next_hop", &a->next_hop);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		add_int(j, "med", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		add_int(j, "local_pref", a->local_pref);
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		json_object_object_add(j, "atomic_aggregate", json_object_new_boolean(1));
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR))
		json_object_object_add(j, "aggregator",
				       aggregator(a->aggregator_as, &a->aggregator_addr));
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES))
		json_object_object_add(j, "communities", list_of(a->communities, 4, fmt_comm));
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID)) {
		ipaddr_from_v4(&id, a->originator_id);
		add_addr(j, "originator_id", &id);
	}
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST))
		json_object_object_add(j, "cluster_list", list_of(a->cluster_list, 4, fmt_quad));
}

static void path_attrs_more(struct json_object *j, const struct bgp_attrs *a)
{

	if (bgp_attrs_has(a, BGP_ATTR_EXT_COMMUNITIES))
		json_object_object_add(j, "ext_communities",
				       list_of(a->ext_communities, 8, fmt_ecomm));
	if (bgp_attrs_has(a, BGP_ATTR_IPV6_EXT_COMMUNITIES))
		json_object_object_add(j, "ipv6_ext_communities",
				       list_of(a->ipv6_ext_communities, 20, fmt_ecomm6));
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITIES))
		json_object_object_add(j, "large_communities",
				       list_of(a->large_communities, 12, fmt_lcomm));
	if (bgp_attrs_has(a, BGP_ATTR_AS4_PATH))
		add_aspath(j, "as4_path", &a->as4_path, true);
	if (bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR))
		json_object_object_add(j, "as4_aggregator",
				       aggregator(a->as4_aggregator_as, &a->as4_aggregator_addr));
}

/* RFC 4271 s5: attributes we do not decode, kept to be passed on. */
static void unknown_attrs(struct json_object *j, const struct bgp_attrs *a)
{
	struct json_object *arr = NULL;

	for (unsigned i = 0; i < a->n_raw; i++) {
		const struct bgp_attr_raw *r = &a->raw[i];
		struct json_object *o;

		if (bgp_attr_desc_get(r->type) != NULL)
			continue;
		if (arr == NULL)
			arr = json_object_new_array();
		o = json_object_new_object();
		add_int(o, "type", r->type);
		add_int(o, "flags", r->flags);
		json_object_object_add(o, "hex", hex_of(&r->val));
		json_object_array_add(arr, o);
	}
	if (arr)
		json_object_object_add(j, "unknown", arr);
}

static void mp_to_json(struct json_object *j, const struct bgp_attrs *a,
		       const struct bgp_sess_params *p)
{
	struct json_object *o;

	if (a->mp_nlri.base != NULL) {
		o = json_object_new_object();
		add_family(o, a->mp_fam, a->mp_afi, a->mp_safi);
		if (a->mp_nh.afi)
			add_addr(o, "next_hop", &a->mp_nh);
		if (a->mp_nh_ll.afi)
			add_addr(o, "next_hop_link_local", &a->mp_nh_ll);
		if (a->mp_fam != BGP_FAM_NONE)
			json_object_object_add(o, "nlri",
					       nlri_array(a->mp_nlri, a->mp_fam, p, false));
		json_object_object_add(j, "mp_reach", o);
	}
	if (a->mpu_nlri.base != NULL) {
		o = json_object_new_object();
		add_family(o, a->mpu_fam, a->mpu_afi, a->mpu_safi);
		if (a->mpu_fam != BGP_FAM_NONE)
			json_object_object_add(o, "withdrawn",
					       nlri_array(a->mpu_nlri, a->mpu_fam, p, true));
		json_object_object_add(j, "mp_unreach", o);
	}
}

struct json_object *bgp_update_to_json(const struct bgp_update *u, const struct bgp_sess_params *p)
{
	struct json_object *j = json_object_new_object();
	struct json_object *attrs = json_object_new_object();

	if (!rbuf_empty(&u->withdrawn))
		json_object_object_add(j, "withdrawn",
				       nlri_array(u->withdrawn, BGP_FAM_IPV4_UNICAST, p, true));
	path_attrs(attrs, &u->a);
	path_attrs_more(attrs, &u->a);
	unknown_attrs(attrs, &u->a);
	if (json_object_object_length(attrs) > 0)
		json_object_object_add(j, "attributes", attrs);
	else
		json_object_put(attrs);
	mp_to_json(j, &u->a, p);
	if (!rbuf_empty(&u->nlri))
		json_object_object_add(j, "nlri",
				       nlri_array(u->nlri, BGP_FAM_IPV4_UNICAST, p, false));
	if (u->eor != BGP_FAM_NONE)
		add_str(j, "end_of_rib", bgp_fam_table[u->eor].name);
	return j;
}

struct json_object *bgp_verdict_to_json(const struct bgp_verdict *v, const uint8_t *msg)
{
	struct json_object *j = json_object_new_object();
	const struct bgp_err_desc *d = bgp_err_desc(v->err);
	const char *name;
	struct rbuf r, data;

	add_str(j, "action", bgp_action_name(v->action));
	add_str(j, "error", d->name);
	add_str(j, "reference", d->ref);
	if (v->action == BGP_ACT_SESSION_RESET) {
		add_int(j, "code", v->code);
		add_int(j, "subcode", v->subcode);
		if ((name = bgp_notify_code_name(v->code)) != NULL)
			add_str(j, "code_name", name);
		if ((name = bgp_notify_subcode_name(v->code, v->subcode)) != NULL)
			add_str(j, "subcode_name", name);
	}
	if (v->attr_type)
		add_int(j, "attribute", v->attr_type);
	if (msg != NULL && v->data_len > 0) {
		rbuf_init(&r, msg, (size_t)v->data_off + v->data_len);
		if (rbuf_skip(&r, v->data_off) && rbuf_sub(&r, v->data_len, &data))
			json_object_object_add(j, "data", hex_of(&data));
	}
	if (v->n_discarded > 0) {
		struct json_object *arr = json_object_new_array();

		for (unsigned i = 0; i < v->n_discarded; i++)
			json_object_array_add(arr, json_object_new_int(v->discarded[i]));
		json_object_object_add(j, "discarded", arr);
	}
	if (v->action == BGP_ACT_AFISAFI_DISABLE && v->fam != BGP_FAM_NONE)
		add_str(j, "family", bgp_fam_table[v->fam].name);
	return j;
}
